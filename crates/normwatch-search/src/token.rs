//! The token rule, shared by the index, the query parser and the snippets: a token is a
//! maximal run of characters for which [`char::is_alphanumeric`] holds (Unicode letters and
//! numbers), lower-cased character by character with [`char::to_lowercase`]. This is what
//! tantivy's `SimpleTokenizer` followed by its `LowerCaser` produce (a test checks that they
//! agree), so counts made with it agree with the index.

/// One token: its lower-cased text and the byte range it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// The tokens of `text`, in order.
pub fn tokens(text: &str) -> impl Iterator<Item = Token> + '_ {
    spans(text).map(|(start, end)| Token { text: lowercase(&text[start..end]), start, end })
}

/// The byte ranges of the tokens of `text`, in order, without lower-casing them.
pub fn spans(text: &str) -> Spans<'_> {
    Spans { text, pos: 0 }
}

/// Iterator returned by [`spans`].
pub struct Spans<'a> {
    text: &'a str,
    pos: usize,
}

impl Iterator for Spans<'_> {
    type Item = (usize, usize);

    fn next(&mut self) -> Option<(usize, usize)> {
        let rest = &self.text[self.pos..];
        let offset = rest.find(char::is_alphanumeric)?;
        let start = self.pos + offset;
        let len = self.text[start..].find(|c: char| !c.is_alphanumeric()).unwrap_or(self.text.len() - start);
        let end = start + len;
        self.pos = end;
        Some((start, end))
    }
}

/// Whether the lower-cased form of `raw` is `word` (`prefix: false`) or starts with it
/// (`prefix: true`), without allocating.
pub fn lower_matches(raw: &str, word: &str, prefix: bool) -> bool {
    let mut lower = raw.chars().flat_map(char::to_lowercase);
    for expected in word.chars() {
        if lower.next() != Some(expected) {
            return false;
        }
    }
    prefix || lower.next().is_none()
}

/// Lower-cases character by character (no context rules such as the final sigma), as
/// tantivy's `LowerCaser` does.
pub fn lowercase(word: &str) -> String {
    if word.is_ascii() {
        return word.to_ascii_lowercase();
    }
    word.chars().flat_map(char::to_lowercase).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};

    fn tantivy_tokens(text: &str) -> Vec<Token> {
        let mut analyzer = TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).build();
        let mut stream = analyzer.token_stream(text);
        let mut out = Vec::new();
        while let Some(t) = stream.next() {
            out.push(Token { text: t.text.clone(), start: t.offset_from, end: t.offset_to });
        }
        out
    }

    #[test]
    fn examples() {
        let cases: [(&str, &[&str]); 6] = [
            ("Information and Telecommunications", &["information", "and", "telecommunications"]),
            ("A/RES/53/70", &["a", "res", "53", "70"]),
            ("cyber-security, ICT4Peace!", &["cyber", "security", "ict4peace"]),
            ("ΟΔΟΣ Straße", &["οδοσ", "straße"]),
            ("  --  ", &[]),
            ("l'État ²³ 12½", &["l", "état", "²³", "12½"]),
        ];
        for (text, want) in cases {
            let got: Vec<String> = tokens(text).map(|t| t.text).collect();
            assert_eq!(got, want, "{text}");
            assert_eq!(tokens(text).collect::<Vec<_>>(), tantivy_tokens(text), "{text}");
        }
    }

    proptest! {
        #[test]
        fn lower_matches_agrees_with_lowercase(raw in "[a-zA-ZéÉİßΣ]{0,6}", word in "[a-zéiß]{0,4}") {
            let lower = lowercase(&raw);
            prop_assert_eq!(lower_matches(&raw, &word, false), lower == word);
            prop_assert_eq!(lower_matches(&raw, &word, true), lower.starts_with(&word));
        }

        #[test]
        fn agrees_with_tantivy(text in "\\PC{0,60}") {
            prop_assert_eq!(tokens(&text).collect::<Vec<_>>(), tantivy_tokens(&text));
        }
    }
}
