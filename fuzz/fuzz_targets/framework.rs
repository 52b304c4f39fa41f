#![no_main]
//! The framework loader never panics on any user file, however malformed, and what loads
//! keeps every question citing its paragraph.

use libfuzzer_sys::fuzz_target;
use normwatch_assess::framework::{FrameworkFile, load_with_builtin};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let file = FrameworkFile { path: "user/fuzz.toml".into(), text: text.into(), builtin: false };
    match load_with_builtin(&[file]) {
        Ok(catalog) => {
            for framework in &catalog.frameworks {
                for question in &framework.questions {
                    assert!(question.citation.paragraph.starts_with(&framework.document.to_string()));
                }
            }
        }
        Err(errors) => assert!(!errors.0.is_empty()),
    }
});
