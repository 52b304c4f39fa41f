#![no_main]
//! The search query parser: never panics, reports a position inside the input, and its
//! canonical form parses back to a query whose canonical form is stable.

use libfuzzer_sys::fuzz_target;
use normwatch_search::Query;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    match Query::parse(text) {
        Ok(query) => {
            // Lower-casing can split a token (`İ` becomes `i` and a combining dot), so
            // the first reparse may differ; from then on the form is stable.
            if let Ok(again) = Query::parse(&query.to_string()) {
                assert_eq!(Query::parse(&again.to_string()), Ok(again));
            }
        }
        Err(error) => assert!(error.position <= text.chars().count()),
    }
});
