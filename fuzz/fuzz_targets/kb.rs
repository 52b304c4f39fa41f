#![no_main]
//! The knowledge-base loader never panics on any document file, however malformed.

use libfuzzer_sys::fuzz_target;
use normwatch_core::kb::{KbFile, load};

const SOURCES: &str = "[[source]]\nid = \"maurer2011\"\nkind = \"seed\"\nfile = \"001.txt\"\ncitation = \"Maurer\"\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = load(&[
        KbFile { path: "sources.toml".into(), text: SOURCES.into() },
        KbFile { path: "documents/fuzz.toml".into(), text: text.into() },
    ]);
});
