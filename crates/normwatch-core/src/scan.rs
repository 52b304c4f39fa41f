//! Finding document symbols in running text: `A/RES/53/70`, `E/CN.15/2011/19`,
//! "resolutions 55/63 and 56/121", "resolution 1373 (2001)".
//!
//! Prose cites resolutions by number only, so the organ is read from the words just
//! before the number ("Commission on Narcotic Drugs resolution 43/8"). The guess is
//! reported as such ([`Mention::inferred`]) so that callers can review it.

use crate::symbol::Symbol;

/// One citation of a document in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mention {
    /// Byte range of the cited number or symbol.
    pub start: usize,
    pub end: usize,
    /// The text as written (for a prose citation, the number only).
    pub raw: String,
    /// What the citation parses to, or why it does not.
    pub symbol: Result<Symbol, String>,
    /// Whether the organ was inferred from the surrounding words.
    pub inferred: bool,
}

impl Mention {
    pub fn line(&self, text: &str) -> usize {
        text[..self.start].matches('\n').count() + 1
    }
}

const ROOTS: [&str; 6] = ["A/", "E/", "S/", "UNODC/", "ST/", "UNEP/"];

fn is_symbol_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-')
}

/// Every symbol-like citation in `text`, in order.
pub fn scan(text: &str) -> Vec<Mention> {
    let mut mentions = explicit(text);
    mentions.extend(prose(text));
    mentions.sort_by_key(|m| m.start);
    mentions.dedup_by(|a, b| a.start >= b.start && a.start < b.end);
    mentions
}

fn explicit(text: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < text.len() {
        let boundary = i == 0 || !text[..i].chars().next_back().is_some_and(|c| is_symbol_char(c) || c == '_');
        let root = ROOTS.iter().find(|r| text[i..].starts_with(**r));
        if !(boundary && root.is_some()) {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let mut end = i;
        for (offset, c) in text[i..].char_indices() {
            if !is_symbol_char(c) {
                break;
            }
            end = i + offset + c.len_utf8();
        }
        // A sentence's full stop is not part of the symbol.
        while end > i && matches!(bytes[end - 1], b'.' | b'-' | b'/') {
            end -= 1;
        }
        // `Add.` / `Rev.` split across a space: `E/2007/28/Rev. 1`.
        let rest = &text[end..];
        if rest.starts_with(". ")
            && rest[2..].starts_with(|c: char| c.is_ascii_digit())
            && text[i..end].rsplit('/').next().is_some_and(|last| ["Rev", "Add", "Corr"].contains(&last))
        {
            let digits = rest[2..].chars().take_while(char::is_ascii_digit).count();
            end += 2 + digits;
        }
        // Security Council resolutions carry their year: `S/RES/1373 (2001)`.
        if text[i..end].starts_with("S/RES/") {
            let rest = &text[end..];
            let trimmed = rest.trim_start_matches(' ');
            if starts_with_year_in_parentheses(trimmed) {
                end += rest.len() - trimmed.len() + 6;
            }
        }
        // Joint symbols name two documents: `E/2011/30-E/CN.15/2011/21`.
        let mut part_start = i;
        let whole = &text[i..end];
        let mut pieces: Vec<(usize, usize)> = Vec::new();
        for (offset, _) in whole.match_indices('-') {
            let next = &whole[offset + 1..];
            if ROOTS.iter().any(|r| next.starts_with(r)) {
                pieces.push((part_start, i + offset));
                part_start = i + offset + 1;
            }
        }
        pieces.push((part_start, end));
        for (start, stop) in pieces {
            let raw = text[start..stop].replace(". ", ".");
            if raw.bytes().any(|b| b.is_ascii_digit()) {
                out.push(Mention {
                    start,
                    end: stop,
                    symbol: Symbol::parse(&raw).map_err(|e| e.reason),
                    raw,
                    inferred: false,
                });
            }
        }
        i = end.max(i + 1);
    }
    out
}

/// Whether `s` opens with a year in parentheses, `(2001)`. Works on bytes, so text with
/// multi-byte characters right after the parenthesis is safe.
fn starts_with_year_in_parentheses(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 6 && b[0] == b'(' && b[1..5].iter().all(u8::is_ascii_digit) && b[5] == b')'
}

/// The organ the words before a prose citation point to.
fn organ_hint(before: &str) -> Option<&'static str> {
    let window: String = before.chars().rev().take(90).collect::<Vec<_>>().into_iter().rev().collect();
    let lower = window.to_ascii_lowercase();
    let last = |needles: &[&str]| needles.iter().filter_map(|n| lower.rfind(n)).max();
    let hints = [
        ("CND", last(&["commission on narcotic drugs", "cnd"])),
        ("CCPCJ", last(&["commission on crime prevention", "ccpcj"])),
        ("S", last(&["security council", "council established", "council set up"])),
        ("ECOSOC", last(&["ecosoc", "economic and social council"])),
        ("GA", last(&["general assembly", "unga", "ga resolution"])),
    ];
    hints.into_iter().filter_map(|(organ, at)| at.map(|at| (at, organ))).max().map(|(_, organ)| organ)
}

fn prose(text: &str) -> Vec<Mention> {
    let mut out = Vec::new();
    // ASCII lower-casing keeps byte offsets, so positions found in `lower` index `text`.
    let lower = text.to_ascii_lowercase();
    let mut search = 0;
    while let Some(found) = lower[search..].find("resolution") {
        let word_start = search + found;
        search = word_start + "resolution".len();
        let mut cursor = search;
        if lower[cursor..].starts_with('s') {
            cursor += 1;
        }
        let hint = organ_hint(&text[..word_start]);
        // A list: `55/63 and 56/121`, `63/195 (2008), 64/179 (2009), and 65/232 (2011)`.
        loop {
            let rest = &text[cursor..];
            let trimmed = rest.trim_start_matches([' ', ',']);
            let trimmed = trimmed.strip_prefix("and ").unwrap_or(trimmed);
            let start = cursor + (rest.len() - trimmed.len());
            let number_len = trimmed.find(|c: char| !(c.is_ascii_digit() || c == '/')).unwrap_or(trimmed.len());
            let number = &trimmed[..number_len];
            let Some((left, right)) = number.split_once('/') else {
                // `resolution 1373` in a Security Council context, no slash.
                if !number.is_empty() && !number.contains('/') && number.len() <= 4 && hint == Some("S") {
                    let symbol = Symbol::parse(&format!("S/RES/{number}")).map_err(|e| e.reason);
                    let end = start + number_len;
                    out.push(Mention { start, end, raw: number.to_string(), symbol, inferred: true });
                }
                break;
            };
            if left.is_empty() || right.is_empty() || right.contains('/') {
                break;
            }
            let end = start + number_len;
            let symbol = match hint {
                Some("CND") => Symbol::parse(&format!("CND {number}")).map_err(|e| e.reason),
                Some("CCPCJ") => Symbol::parse(&format!("CCPCJ {number}")).map_err(|e| e.reason),
                // ECOSOC numbers its resolutions by year; a session number means the
                // text has given ECOSOC a functional commission's resolution.
                Some("ECOSOC") if left.len() != 4 => Err(format!(
                    "ECOSOC numbers resolutions by year, so `{number}` is a functional commission's resolution credited to ECOSOC"
                )),
                _ if left.len() == 4 => Symbol::parse(&format!("E/RES/{number}")).map_err(|e| e.reason),
                _ => Symbol::parse(&format!("A/RES/{number}")).map_err(|e| e.reason),
            };
            out.push(Mention { start, end, raw: number.to_string(), symbol, inferred: true });
            cursor = end;
            // Skip a year in parentheses after the number.
            let after = &text[cursor..];
            let after_trim = after.trim_start_matches(' ');
            if starts_with_year_in_parentheses(after_trim) {
                cursor += after.len() - after_trim.len() + 6;
            }
            let next = &text[cursor..];
            let next_trim = next.trim_start_matches([' ', ',']);
            if !(next_trim.starts_with("and ")
                || (next.starts_with(',') && next_trim.starts_with(|c: char| c.is_ascii_digit())))
            {
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<String> {
        scan(text)
            .into_iter()
            .map(|m| m.symbol.map(|s| s.to_string()).unwrap_or_else(|e| format!("error: {e}")))
            .collect()
    }

    #[test]
    fn explicit_symbols() {
        assert_eq!(found("see A/RES/53/70. Also A/57/529/Add.3."), ["A/RES/53/70", "A/57/529/Add.3"]);
        assert_eq!(found("report E/2007/28/Rev. 1 and S/RES/1373 (2001)."), ["E/2007/28/Rev.1", "S/RES/1373 (2001)"]);
        assert_eq!(found("(UNODC/CCPCJ/EG.4/2011/3)"), ["UNODC/CCPCJ/EG.4/2011/3"]);
        assert!(found("WSIS-05/TUNIS/DOC/9Rev.1").is_empty(), "a symbol inside another token is not one");
        assert_eq!(found("E/2011/30-E/CN.15/2011/21"), ["E/2011/30", "E/CN.15/2011/21"]);
    }

    #[test]
    fn multi_byte_text_after_a_symbol_is_safe() {
        // Found by the fuzzer: a multi-byte character where a year could start.
        let _ = scan("S/RES/1 (1A/\u{e1}RE(S/(S/[[E/R");
        let _ = scan("resolution 53/70 (\u{e1}\u{e1}\u{e1}\u{e1})");
        assert_eq!(found("S/RES/1373 (2001)"), ["S/RES/1373 (2001)"]);
        // Found by the fuzzer: characters whose lower case is longer than themselves.
        assert_eq!(found("\u{130}\u{130} resolution 53/70"), ["A/RES/53/70"]);
    }

    #[test]
    fn prose_citations_read_the_organ_from_context() {
        assert_eq!(found("resolutions 55/63 and 56/121"), ["A/RES/55/63", "A/RES/56/121"]);
        assert_eq!(
            found("resolutions 63/195 (2008), 64/179 (2009), and 65/232 (2011)"),
            ["A/RES/63/195", "A/RES/64/179", "A/RES/65/232"]
        );
        assert_eq!(found("ECOSOC resolution 2004/26"), ["E/RES/2004/26"]);
        assert_eq!(found("the Commission on Narcotic Drugs adopted resolution 43/8"), ["CND/RES/43/8"]);
        assert_eq!(found("the Security Council established the Committee through resolution 1373 in"), ["S/RES/1373"]);
        assert!(scan("resolution 53/70").iter().all(|m| m.inferred));
        let credited = scan("UN ECOSOC resolution 48/5 in E/2005/28");
        assert!(credited[0].symbol.as_ref().is_err_and(|e| e.contains("functional commission")));
        assert_eq!(credited[1].symbol.as_ref().unwrap().to_string(), "E/2005/28");
    }
}
