#![no_main]
//! Importing an assessment export never panics, and whatever imports exports to a text that
//! imports back to the same assessment.

use libfuzzer_sys::fuzz_target;
use normwatch_assess::framework::{builtin_files, load};
use normwatch_assess::report::export::{export, import};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let catalog = load(&builtin_files()).expect("the built-in frameworks load");
    if let Ok(assessment) = import(text, &catalog) {
        let again = export(&assessment, &catalog).expect("an imported assessment exports");
        assert_eq!(import(&again, &catalog).expect("an export imports"), assessment);
    }
});
