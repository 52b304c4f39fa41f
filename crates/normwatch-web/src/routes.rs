//! Where things live: the typed URL builders, and the one mapping from a kind of record to
//! its page and its API answer. Every link the web writes is built here.
//!
//! Layer 0: this module refers to no other module of the crate.

use normwatch_core::kb::RecordKind;

/// The path segment of a kind of record: `/series/…`, `/bodies/…`.
pub fn segment(kind: RecordKind) -> &'static str {
    // The knowledge base's folder of the kind, as its registry declares it.
    kind.spec().folder
}

/// A state's General Debate speech of a year: `/speeches/USA/2013`.
pub fn speech(iso3: &str, year: i32) -> String {
    format!("/speeches/{}/{year}", encode_path(iso3))
}

/// A pattern's counts over the years in one state's speeches: `/terms?q=…&state=…`.
pub fn terms_in_state(pattern: &str, iso3: &str) -> String {
    format!("/terms?q={}&state={}", encode_query(pattern), encode_query(iso3))
}

/// Two held texts side by side: `/diff?a=…&b=…` (A the earlier).
pub fn diff(a: &str, b: &str) -> String {
    format!("/diff?a={}&b={}", encode_query(a), encode_query(b))
}

/// The search page for a text: `/search?q=…`.
pub fn search_for(text: &str) -> String {
    format!("/search?q={}", encode_query(text))
}

/// The page of a record: `/documents/A/RES/53/70`, `/groups/gge-2004`.
pub fn record(kind: RecordKind, id: &str) -> String {
    match kind {
        RecordKind::Document => document(id),
        // Themes have no page of their own: each is a section of the norms list.
        RecordKind::Theme => theme(id),
        other => format!("/{}/{}", segment(other), encode_path(id)),
    }
}

/// The API answer of a record: `/api/documents/A/RES/53/70`.
pub fn api_record(kind: RecordKind, id: &str) -> String {
    match kind {
        // A theme is answered within the norms (each norm carries its theme).
        RecordKind::Theme => "/api/norms".to_string(),
        other => format!("/api{}", record(other, id)),
    }
}

/// The list of a kind: `/series`, `/groups` (documents are listed on the timeline).
pub fn list(kind: RecordKind) -> String {
    match kind {
        RecordKind::Document => "/timeline".to_string(),
        other => format!("/{}", segment(other)),
    }
}

/// The API list of a kind: `/api/series`.
pub fn api_list(kind: RecordKind) -> String {
    format!("/api/{}", segment(kind))
}

/// Where a document lives in the UI: the symbol as path segments, with the characters
/// that cannot stand in a path (the space of `S/RES/1373 (2001)`) escaped.
pub fn document(symbol: &str) -> String {
    format!("/documents/{}", encode_path(symbol))
}

pub fn series(id: &str) -> String {
    record(RecordKind::Series, id)
}

pub fn group(id: &str) -> String {
    record(RecordKind::Group, id)
}

pub fn body(id: &str) -> String {
    record(RecordKind::Body, id)
}

pub fn event(id: &str) -> String {
    record(RecordKind::Event, id)
}

pub fn state(iso3: &str) -> String {
    format!("/states/{}", encode_path(iso3))
}

/// The API answer of a state.
pub fn api_state(iso3: &str) -> String {
    format!("/api{}", state(iso3))
}

/// The timeline filtered to one stream.
pub fn stream(stream: &str) -> String {
    format!("/timeline?stream={}", encode_query(stream))
}

/// A server-side figure with one parameter: `/api/figures/series-votes.svg?id=…`.
pub fn figure(name: &str, key: &str, value: &str) -> String {
    format!("/api/figures/{name}.svg?{key}={}", encode_query(value))
}

/// A server-side figure with several parameters (those without a value are left out).
pub fn figure_with(name: &str, pairs: &[(&str, Option<String>)]) -> String {
    format!("/api/figures/{name}.svg?{}", query(pairs))
}

/// A figure of the measurement, by name: `/api/figures/index.svg`.
pub fn measure_figure(name: &str) -> String {
    format!("/api/figures/{name}.svg")
}

/// Percent-encodes what cannot stand in a path segment; `/` stays a separator.
pub fn encode_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'.' | b'-' | b'_' | b'(' | b')' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Percent-encodes a query value.
pub fn encode_query(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'~' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// A query string from the pairs that have a value: `a=1&b=x%20y` (empty when none).
pub fn query(pairs: &[(&str, Option<String>)]) -> String {
    pairs
        .iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| format!("{k}={}", encode_query(v))))
        .collect::<Vec<_>>()
        .join("&")
}

/// The page of a norm: `/norms/culture-of-security`.
pub fn norm(id: &str) -> String {
    format!("/norms/{}", encode_path(id))
}

/// A theme's place on the norms list: `/norms#theme-security-culture`.
pub fn theme(id: &str) -> String {
    format!("/norms#theme-{}", encode_path(id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_page_and_one_api_address() {
        let cases = [
            (RecordKind::Document, "S/RES/1373 (2001)", "/documents/S/RES/1373%20(2001)"),
            (RecordKind::Series, "ga-first", "/series/ga-first"),
            (RecordKind::Group, "gge-2004", "/groups/gge-2004"),
            (RecordKind::Body, "ga", "/bodies/ga"),
            (RecordKind::Event, "e 1", "/events/e%201"),
            (RecordKind::Actor, "x", "/actors/x"),
        ];
        for (kind, id, page) in cases {
            assert_eq!(record(kind, id), page);
            assert_eq!(api_record(kind, id), format!("/api{page}"));
        }
        assert_eq!(record(RecordKind::Norm, "n"), "/norms/n");
        assert_eq!(record(RecordKind::Theme, "t"), "/norms#theme-t");
        assert_eq!(api_record(RecordKind::Theme, "t"), "/api/norms");
        assert_eq!(list(RecordKind::Body), "/bodies");
        assert_eq!(api_list(RecordKind::Actor), "/api/actors");
    }

    #[test]
    fn queries_keep_only_present_values_and_escape_them() {
        assert_eq!(query(&[("a", Some("x y".into())), ("b", None), ("c", Some("1".into()))]), "a=x%20y&c=1");
        assert_eq!(figure("series-votes", "id", "a&b"), "/api/figures/series-votes.svg?id=a%26b");
    }
}
