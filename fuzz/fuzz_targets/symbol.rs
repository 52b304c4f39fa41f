#![no_main]
//! Symbol parsing never panics, and whatever parses prints a canonical form that parses
//! back to the same symbol. The prose scanner never panics either.

use libfuzzer_sys::fuzz_target;
use normwatch_core::Symbol;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(symbol) = Symbol::parse(text) {
        let canonical = symbol.to_string();
        let again = Symbol::parse(&canonical).expect("a canonical form parses");
        assert_eq!(again, symbol);
        assert_eq!(again.to_string(), canonical);
    }
    let _ = normwatch_core::scan::scan(text);
});
