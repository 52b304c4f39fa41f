//! Patterns: a word (`cyber`), a prefix (`cyber*`: every token starting with `cyber`), or a
//! phrase of such (`"critical infrastructure*"`: consecutive tokens), as quanteda's glob
//! patterns and `phrase()` are used.
//!
//! A pattern's words are tokenized with the same rule as texts ([`crate::token`]), so
//! `cyber-security` is the phrase `cyber security`, and matching is case-insensitive.

use std::fmt;
use std::str::FromStr;

use crate::token::{lower, tokens};

/// The most elements a phrase may have.
pub const MAX_PHRASE: usize = 16;

/// One element of a pattern: a whole token, or the start of a token.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Element {
    /// A token equal to this (lower-cased) word.
    Word(String),
    /// A token starting with this (lower-cased, non-empty) prefix.
    Prefix(String),
}

impl Element {
    /// Whether a lower-cased token matches.
    pub fn matches(&self, token: &str) -> bool {
        match self {
            Element::Word(word) => token == word,
            Element::Prefix(prefix) => token.starts_with(prefix.as_str()),
        }
    }

    /// The lower-cased text of the element, without `*`.
    pub fn text(&self) -> &str {
        match self {
            Element::Word(s) | Element::Prefix(s) => s,
        }
    }

    /// The range of terms a sorted term dictionary must be read over to find this
    /// element's terms: `start <= term < end` (no end: to the end of the dictionary).
    /// For a word, the range holds exactly the word. A store can answer it with
    /// `WHERE term >= ?1 AND term < ?2`.
    pub fn term_range(&self) -> (String, Option<String>) {
        match self {
            Element::Word(word) => {
                let mut end = word.clone();
                end.push('\0');
                (word.clone(), Some(end))
            }
            Element::Prefix(prefix) => (prefix.clone(), prefix_upper_bound(prefix)),
        }
    }
}

/// The smallest string greater than every string that starts with `prefix`, if any.
fn prefix_upper_bound(prefix: &str) -> Option<String> {
    let mut chars: Vec<char> = prefix.chars().collect();
    while let Some(last) = chars.pop() {
        let mut next = last as u32 + 1;
        // Skip the surrogate gap, which `char` cannot hold.
        if (0xD800..0xE000).contains(&next) {
            next = 0xE000;
        }
        if let Some(c) = char::from_u32(next) {
            chars.push(c);
            return Some(chars.into_iter().collect());
        }
    }
    None
}

impl fmt::Display for Element {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Element::Word(w) => f.write_str(w),
            Element::Prefix(p) => write!(f, "{p}*"),
        }
    }
}

/// A parsed pattern: one element, or a phrase of up to [`MAX_PHRASE`] elements.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Pattern {
    elements: Vec<Element>,
}

/// Why a pattern does not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PatternError {
    #[error("the pattern is empty; write a word, a prefix such as cyber*, or a phrase in quotes")]
    Empty,
    #[error("the pattern `{0}` opens a quote it does not close")]
    UnclosedQuote(String),
    #[error("the pattern `{0}` has a quote inside it; quote the whole phrase: \"critical infrastructure*\"")]
    InnerQuote(String),
    #[error("`{0}` has no letters or digits to match")]
    NoLetters(String),
    #[error("`{0}`: `*` may only end a word (cyber*), not stand inside or before it")]
    MisplacedStar(String),
    #[error("`{0}`: a prefix must end in a letter or digit before its `*`")]
    PrefixEnd(String),
    #[error("the phrase has {found} words; at most {max} are allowed")]
    TooLong { found: usize, max: usize },
}

impl Pattern {
    /// Parses a pattern: `cyber`, `cyber*`, `"critical infrastructure*"` (the quotes are
    /// optional; words separated by spaces or punctuation make a phrase).
    pub fn parse(input: &str) -> Result<Pattern, PatternError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PatternError::Empty);
        }
        let inner = match trimmed.strip_prefix('"') {
            Some(rest) => rest.strip_suffix('"').ok_or_else(|| PatternError::UnclosedQuote(trimmed.to_string()))?,
            None => trimmed,
        };
        if inner.contains('"') {
            return Err(PatternError::InnerQuote(trimmed.to_string()));
        }
        let mut elements = Vec::new();
        for part in inner.split_whitespace() {
            let (body, prefix) = match part.strip_suffix('*') {
                Some(body) => (body, true),
                None => (part, false),
            };
            if body.contains('*') {
                return Err(PatternError::MisplacedStar(part.to_string()));
            }
            let found: Vec<String> = tokens(body).map(|t| lower(&body[t.start..t.end])).collect();
            if found.is_empty() {
                return Err(if prefix {
                    PatternError::MisplacedStar(part.to_string())
                } else {
                    PatternError::NoLetters(part.to_string())
                });
            }
            if prefix && !body.ends_with(char::is_alphanumeric) {
                return Err(PatternError::PrefixEnd(part.to_string()));
            }
            let last = found.len() - 1;
            for (i, word) in found.into_iter().enumerate() {
                elements.push(if prefix && i == last { Element::Prefix(word) } else { Element::Word(word) });
            }
        }
        if elements.is_empty() {
            return Err(PatternError::Empty);
        }
        if elements.len() > MAX_PHRASE {
            return Err(PatternError::TooLong { found: elements.len(), max: MAX_PHRASE });
        }
        Ok(Pattern { elements })
    }

    /// The elements, in order; never empty.
    pub fn elements(&self) -> &[Element] {
        &self.elements
    }

    /// Whether the pattern is a phrase of more than one element.
    pub fn is_phrase(&self) -> bool {
        self.elements.len() > 1
    }

    /// Whether the lower-cased tokens `window` (of exactly the pattern's length) match.
    pub fn matches<S: AsRef<str>>(&self, window: &[S]) -> bool {
        window.len() == self.elements.len() && self.elements.iter().zip(window).all(|(e, t)| e.matches(t.as_ref()))
    }
}

impl FromStr for Pattern {
    type Err = PatternError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Pattern::parse(s)
    }
}

/// The canonical form: `cyber*`, or `"critical infrastructure*"` for a phrase. It parses
/// back to the same pattern.
impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let words: Vec<String> = self.elements.iter().map(Element::to_string).collect();
        if self.is_phrase() { write!(f, "\"{}\"", words.join(" ")) } else { f.write_str(&words[0]) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parsed(input: &str) -> Vec<Element> {
        Pattern::parse(input).unwrap_or_else(|e| panic!("{input}: {e}")).elements
    }

    #[test]
    fn words_prefixes_and_phrases() {
        assert_eq!(parsed("Cyber"), [Element::Word("cyber".into())]);
        assert_eq!(parsed("cyber*"), [Element::Prefix("cyber".into())]);
        assert_eq!(
            parsed("\"Critical  infrastructure*\""),
            [Element::Word("critical".into()), Element::Prefix("infrastructure".into())]
        );
        assert_eq!(parsed("cyber-security"), [Element::Word("cyber".into()), Element::Word("security".into())]);
        assert_eq!(parsed("cyber-sec*"), [Element::Word("cyber".into()), Element::Prefix("sec".into())]);
        assert_eq!(Pattern::parse("\"critical infrastructure*\"").unwrap().to_string(), "\"critical infrastructure*\"");
        assert_eq!(Pattern::parse(" CYBER* ").unwrap().to_string(), "cyber*");
    }

    #[test]
    fn errors_say_what_is_wrong() {
        let check = |input: &str, expected: PatternError| assert_eq!(Pattern::parse(input), Err(expected), "{input}");
        check("", PatternError::Empty);
        check("\"\"", PatternError::Empty);
        check("\"cyber", PatternError::UnclosedQuote("\"cyber".into()));
        check("cyber \"war\"", PatternError::InnerQuote("cyber \"war\"".into()));
        check("--", PatternError::NoLetters("--".into()));
        check("cy*ber", PatternError::MisplacedStar("cy*ber".into()));
        check("*", PatternError::MisplacedStar("*".into()));
        check("cyber**", PatternError::MisplacedStar("cyber**".into()));
        check("cyber-*", PatternError::PrefixEnd("cyber-*".into()));
        let long = vec!["a"; MAX_PHRASE + 1].join(" ");
        check(&long, PatternError::TooLong { found: MAX_PHRASE + 1, max: MAX_PHRASE });
        assert!(Pattern::parse("cy*ber").unwrap_err().to_string().contains("only end a word"));
    }

    #[test]
    fn term_ranges_bound_the_prefix() {
        let (start, end) = Element::Prefix("cyber".into()).term_range();
        assert_eq!((start.as_str(), end.as_deref()), ("cyber", Some("cybes")));
        for term in ["cyber", "cybercrime", "cyberz\u{10FFFF}"] {
            assert!(term >= start.as_str() && term < end.as_deref().unwrap(), "{term}");
        }
        assert!("cybes" >= end.as_deref().unwrap());
        let (start, end) = Element::Word("war".into()).term_range();
        assert!("war" >= start.as_str() && "war" < end.as_deref().unwrap());
        assert!("wars" >= end.as_deref().unwrap());
        assert_eq!(prefix_upper_bound("\u{10FFFF}"), None);
        assert_eq!(prefix_upper_bound("a\u{D7FF}").as_deref(), Some("a\u{E000}"));
    }

    proptest! {
        #[test]
        fn parsing_never_panics_and_canonical_forms_round_trip(input in "\\PC{0,40}") {
            if let Ok(pattern) = Pattern::parse(&input) {
                // Lower-casing can make characters that are not letters or digits (İ gives
                // i and a combining dot); such words have no canonical spelling.
                prop_assume!(pattern.elements().iter().all(|e| e.text().chars().all(char::is_alphanumeric)));
                let canonical = pattern.to_string();
                let again = Pattern::parse(&canonical).unwrap();
                prop_assert_eq!(&again, &pattern);
                prop_assert_eq!(again.to_string(), canonical);
            }
        }

        #[test]
        fn a_prefix_range_holds_exactly_the_terms_with_the_prefix(prefix in "[a-zé\u{10FFFF}]{1,4}", term in "[a-zé\u{10FFFF}]{0,6}") {
            let (start, end) = Element::Prefix(prefix.clone()).term_range();
            let inside = term.as_str() >= start.as_str() && end.as_deref().is_none_or(|e| term.as_str() < e);
            prop_assert_eq!(inside, term.starts_with(&prefix));
        }
    }
}
