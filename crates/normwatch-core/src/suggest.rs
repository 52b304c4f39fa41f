//! Near matches for what a user typed, for "did you mean" messages.

/// Up to `limit` candidates closest to `needle`, best first. A candidate that contains
/// the needle (or the needle's digits) ranks above mere edit-distance neighbours, so
/// `53/70` finds `A/RES/53/70`.
pub fn near_matches<'a>(needle: &str, candidates: impl IntoIterator<Item = &'a str>, limit: usize) -> Vec<String> {
    let needle = needle.trim().to_ascii_uppercase();
    if needle.is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(f64, &str)> = candidates
        .into_iter()
        .map(|candidate| {
            let upper = candidate.to_ascii_uppercase();
            let mut score = strsim::jaro_winkler(&needle, &upper);
            if upper.contains(&needle) || upper.ends_with(needle.trim_start_matches("A/RES/")) {
                score += 1.0;
            }
            (score, candidate)
        })
        .filter(|(score, _)| *score >= 0.8)
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(limit).map(|(_, c)| c.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::near_matches;

    #[test]
    fn finds_close_symbols_first() {
        let all = ["A/RES/53/70", "A/RES/54/49", "A/RES/57/239", "A/RES/64/211", "A/65/201"];
        assert_eq!(near_matches("A/RES/53/71", all, 2)[0], "A/RES/53/70");
        assert_eq!(near_matches("64/211", all, 1), ["A/RES/64/211"]);
        assert!(near_matches("zzzzzzzz", all, 3).is_empty());
        assert!(near_matches("", all, 3).is_empty());
    }
}
