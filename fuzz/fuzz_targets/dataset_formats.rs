#![no_main]
//! The `--format` list of `normwatch export dataset`: never panics, reads back its own
//! spelling, and an error quotes a part of the input.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    normwatch_dataset::check_format_list(text);
});
