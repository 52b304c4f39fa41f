//! Tokens: maximal runs of Unicode letters and digits ([`char::is_alphanumeric`]),
//! lower-cased character by character.
//!
//! This is exactly what tantivy's `SimpleTokenizer` followed by its `LowerCaser` produce
//! (the simple tokenizer splits on every character that is not alphanumeric; the lower-caser
//! lower-cases ASCII tokens in place and every other token with `char::to_lowercase`, one
//! character at a time, so without the final-sigma rule of `str::to_lowercase`). Counting
//! here and searching with tantivy therefore see the same words. (tantivy's `default`
//! analyser also drops tokens longer than 40 bytes; ours does not.)

/// One token of a text: its byte range in the text, and its position (0-based count of
/// tokens before it).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub start: usize,
    pub end: usize,
    pub position: u32,
}

/// The tokens of `text`, with their byte ranges, in order.
pub fn tokens(text: &str) -> Tokens<'_> {
    Tokens { text, offset: 0, position: 0 }
}

/// Iterator over the tokens of a text; see [`tokens`].
#[derive(Clone, Debug)]
pub struct Tokens<'a> {
    text: &'a str,
    offset: usize,
    position: u32,
}

impl Iterator for Tokens<'_> {
    type Item = Token;

    fn next(&mut self) -> Option<Token> {
        let start = self.boundary(self.offset, false)?;
        let end = self.boundary(start, true).unwrap_or(self.text.len());
        self.offset = end;
        let token = Token { start, end, position: self.position };
        self.position = self.position.saturating_add(1);
        Some(token)
    }
}

impl Tokens<'_> {
    /// The byte offset of the first character at or after `from` that is (`inside`:
    /// is not) alphanumeric. ASCII is decided byte by byte, the rest by `char`.
    fn boundary(&self, from: usize, inside: bool) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut i = from;
        while i < bytes.len() {
            let b = bytes[i];
            let (alphanumeric, len) = if b < 0x80 {
                (b.is_ascii_alphanumeric(), 1)
            } else {
                let c = self.text[i..].chars().next().expect("i is on a character boundary");
                (c.is_alphanumeric(), c.len_utf8())
            };
            if alphanumeric != inside {
                return Some(i);
            }
            i += len;
        }
        None
    }
}

/// Writes the lower-cased form of one token into `out` (cleared first), as tantivy's
/// `LowerCaser` does.
pub fn lower_into(token: &str, out: &mut String) {
    out.clear();
    if token.is_ascii() {
        out.push_str(token);
        out.make_ascii_lowercase();
    } else {
        for c in token.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// The lower-cased form of one token.
pub fn lower(token: &str) -> String {
    let mut out = String::with_capacity(token.len());
    lower_into(token, &mut out);
    out
}

/// The lower-cased tokens of a text, in order.
pub fn words(text: &str) -> Vec<String> {
    tokens(text).map(|t| lower(&text[t.start..t.end])).collect()
}

/// How many tokens a text has: the word count of a speech.
pub fn count_words(text: &str) -> u32 {
    u32::try_from(tokens(text).count()).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_runs_of_letters_and_digits() {
        assert_eq!(
            words("Cyber-security, ICTs & the 2nd GGE's report (A/68/98)."),
            ["cyber", "security", "icts", "the", "2nd", "gge", "s", "report", "a", "68", "98"]
        );
        assert_eq!(words("Русский ТЕКСТ — Côte d’Ivoire"), ["русский", "текст", "côte", "d", "ivoire"]);
        assert_eq!(words("  \u{feff}\r\n\u{c}  "), Vec::<String>::new());
        // Final sigma: lower-cased one character at a time, as tantivy does.
        assert_eq!(words("ΟΔΟΣ"), ["οδοσ"]);
        let positions: Vec<u32> = tokens("a b  c").map(|t| t.position).collect();
        assert_eq!(positions, [0, 1, 2]);
        assert_eq!(count_words("one, two; three"), 3);
    }

    #[test]
    fn byte_ranges_point_into_the_text() {
        let text = "Noting—with concern İstanbul";
        for token in tokens(text) {
            let slice = &text[token.start..token.end];
            assert!(slice.chars().all(char::is_alphanumeric), "{slice}");
        }
        // Lower-casing may change the length: İ becomes i + combining dot.
        assert_eq!(lower("İ").chars().count(), 2);
    }
}
