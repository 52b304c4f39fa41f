#![no_main]
//! The knowledge-base loader never panics on any record or relation file, however malformed:
//! the text is read as a document file, a norm file and a crosswalk file.

use libfuzzer_sys::fuzz_target;
use normwatch_core::kb::{KbFile, load};

const SOURCES: &str = "[[source]]\nid = \"maurer2011\"\nkind = \"seed\"\nfile = \"001.txt\"\ncitation = \"Maurer\"\n";

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for path in ["documents/fuzz.toml", "norms/fuzz.toml", "crosswalk/fuzz.toml"] {
        let _ = load(&[
            KbFile { path: "sources.toml".into(), text: SOURCES.into() },
            KbFile { path: path.into(), text: text.into() },
        ]);
    }
});
