#![no_main]
//! The text parsers never panic: resolution texts (and what they render to), patterns
//! (whose canonical form parses back to the same pattern), speech file names, postings
//! blobs. A parsed text diffed against itself has no changes.

use libfuzzer_sys::fuzz_target;
use normwatch_core::domain::OperativeVerb;
use normwatch_text::{diff, index, pattern::Pattern, resolution, ungdc};

fuzz_target!(|data: &[u8]| {
    let _ = index::decode("t", data);
    let Ok(text) = std::str::from_utf8(data) else { return };
    let parsed = resolution::parse(text);
    let rendered = parsed.render();
    let _ = resolution::parse(&rendered);
    let lexicon = normwatch_text::lexicon::VerbLexicon::new([(OperativeVerb::Adopts, 2.0), (OperativeVerb::TakesNote, 1.0)])
        .expect("a valid lexicon");
    assert!(diff::diff(&parsed, &parsed, &lexicon).changes.is_empty());
    if let Ok(pattern) = Pattern::parse(text)
        && pattern.elements().iter().all(|e| e.text().chars().all(char::is_alphanumeric))
    {
        let again = Pattern::parse(&pattern.to_string()).expect("a canonical pattern parses");
        assert_eq!(again, pattern);
        let _ = index::positions_in_text(&pattern, text);
        let _ = normwatch_text::count::kwic(text, &pattern, 3);
    }
    let _ = ungdc::parse_path(text);
    let _ = ungdc::speech_from_bytes(text, data);
});
