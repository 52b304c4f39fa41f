//! The one formatter for a span of years, shared by the CLI and the web.

/// A span of years as people write it: `2004–2005`; `2019–` while it lasts (a start
/// without an end); `2004` when it starts and ends in one year; `–2005` when only the end
/// is known; nothing when neither is.
pub fn year_span(start: Option<i32>, end: Option<i32>) -> String {
    match (start, end) {
        (Some(a), Some(b)) if a == b => a.to_string(),
        (Some(a), Some(b)) => format!("{a}–{b}"),
        (Some(a), None) => format!("{a}–"),
        (None, Some(b)) => format!("–{b}"),
        (None, None) => String::new(),
    }
}

/// The span covered by some years (the earliest to the latest), or nothing.
pub fn span_of(years: impl IntoIterator<Item = i32>) -> String {
    let mut range: Option<(i32, i32)> = None;
    for year in years {
        range = Some(range.map_or((year, year), |(a, b)| (a.min(year), b.max(year))));
    }
    range.map_or_else(String::new, |(a, b)| year_span(Some(a), Some(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_read_as_written() {
        let cases = [
            (Some(2004), Some(2005), "2004–2005"),
            (Some(2019), None, "2019–"),
            (Some(2004), Some(2004), "2004"),
            (None, Some(2005), "–2005"),
            (None, None, ""),
        ];
        for (start, end, expected) in cases {
            assert_eq!(year_span(start, end), expected, "{start:?}..{end:?}");
        }
        assert_eq!(span_of([2010, 2004, 2007]), "2004–2010");
        assert_eq!(span_of([2010]), "2010");
        assert_eq!(span_of([]), "");
    }
}
