//! The query language, parsed into a typed [`Query`] before anything touches the index.
//!
//! | you type | it finds |
//! | --- | --- |
//! | `critical infrastructure` | texts with both words (juxtaposed terms are all required) |
//! | `"critical infrastructure"` | the words next to each other, in that order |
//! | `cyber*` | every word starting with `cyber` (`cyber`, `cyberspace`, `cybersecurity`…) |
//! | `"information secur*"` | a phrase whose last (or any) word is a prefix |
//! | `cyber AND norms` | both (the same as `cyber norms`) |
//! | `cybercrime OR "cyber crime"` | either |
//! | `NOT terrorism`, `-terrorism` | texts without the word |
//! | `(a OR b) c` | brackets group |
//!
//! Matching ignores case. Words are split into tokens as the texts are (see
//! [`crate::token`]): `A/RES/53/70` is the phrase `"a res 53 70"`. `AND`, `OR` and `NOT` are
//! operators only in capitals; `NOT` binds tighter than `AND`, which binds tighter than `OR`.
//! A word without letters or digits (`&`, `–`) is ignored, as it is in the texts.

use std::fmt;

use crate::token::tokens;

/// At most this many words and prefixes in one query.
pub const MAX_TERMS: usize = 64;
/// At most this many nested brackets and negations.
pub const MAX_DEPTH: usize = 32;

/// One position of a query: a whole token, or every token starting with the given text.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Pattern {
    Word(String),
    Prefix(String),
}

impl Pattern {
    /// Whether `token` (already lower-cased) matches.
    pub fn matches(&self, token: &str) -> bool {
        match self {
            Pattern::Word(w) => token == w,
            Pattern::Prefix(p) => token.starts_with(p.as_str()),
        }
    }

    /// Whether a token, given as it stands in the text (not lower-cased), matches.
    pub fn matches_raw(&self, raw: &str) -> bool {
        crate::token::lower_matches(raw, self.text(), matches!(self, Pattern::Prefix(_)))
    }

    pub fn text(&self) -> &str {
        match self {
            Pattern::Word(w) | Pattern::Prefix(w) => w,
        }
    }
}

/// A parsed query. `Phrase`, `And` and `Or` always hold at least two members; `And` and
/// `Or` never directly hold a member of their own kind.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Query {
    Pattern(Pattern),
    Phrase(Vec<Pattern>),
    And(Vec<Query>),
    Or(Vec<Query>),
    Not(Box<Query>),
}

/// Why a query could not be read, and where (`position`: the 0-based index of the
/// character in the query text).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind} (at character {})", .position + 1)]
pub struct QueryError {
    pub kind: QueryErrorKind,
    pub position: usize,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryErrorKind {
    #[error("the query has no word to search for")]
    Empty,
    #[error("this `\"` opens a phrase that is never closed")]
    UnclosedQuote,
    #[error("this `(` is never closed")]
    UnclosedBracket,
    #[error("this `)` closes no `(`")]
    UnopenedBracket,
    #[error("`{0}` needs a term after it")]
    MissingOperand(&'static str),
    #[error("`{0}` needs a term before it")]
    MissingLeftOperand(&'static str),
    #[error("`*` can only end a word, as in `cyber*`")]
    MisplacedStar,
    #[error("brackets and negations nest more than {MAX_DEPTH} deep")]
    TooDeep,
    #[error("the query has more than {MAX_TERMS} words")]
    TooManyTerms,
}

impl Query {
    /// Parses what a user typed (see the module documentation for the syntax).
    pub fn parse(input: &str) -> Result<Query, QueryError> {
        let lexemes = lex(input)?;
        let mut parser = Parser { lexemes: &lexemes, next: 0, terms: 0 };
        let query = parser.or(0)?;
        if let Some(lexeme) = parser.peek() {
            // `or` stops only at the end or at a `)` it did not open.
            return Err(QueryError { kind: QueryErrorKind::UnopenedBracket, position: lexeme.position });
        }
        query.ok_or(QueryError { kind: QueryErrorKind::Empty, position: 0 })
    }

    /// The patterns that a matching text contains (those not under a `NOT`), each with the
    /// phrase it belongs to: what snippets highlight.
    pub fn positive_phrases(&self) -> Vec<Vec<Pattern>> {
        let mut out = Vec::new();
        self.collect_positive(&mut out);
        out
    }

    fn collect_positive(&self, out: &mut Vec<Vec<Pattern>>) {
        match self {
            Query::Pattern(p) => out.push(vec![p.clone()]),
            Query::Phrase(ps) => out.push(ps.clone()),
            Query::And(qs) | Query::Or(qs) => qs.iter().for_each(|q| q.collect_positive(out)),
            Query::Not(_) => {}
        }
    }
}

/// Writes the query in canonical syntax: parsing the output gives the same query.
impl fmt::Display for Query {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fn pattern(p: &Pattern, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match p {
                Pattern::Word(w) => f.write_str(w),
                Pattern::Prefix(w) => write!(f, "{w}*"),
            }
        }
        fn joined(qs: &[Query], sep: &str, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            for (i, q) in qs.iter().enumerate() {
                if i > 0 {
                    f.write_str(sep)?;
                }
                match (sep, q) {
                    (" ", Query::Or(_)) => write!(f, "({q})")?,
                    _ => write!(f, "{q}")?,
                }
            }
            Ok(())
        }
        match self {
            Query::Pattern(p) => pattern(p, f),
            Query::Phrase(ps) => {
                f.write_str("\"")?;
                for (i, p) in ps.iter().enumerate() {
                    if i > 0 {
                        f.write_str(" ")?;
                    }
                    pattern(p, f)?;
                }
                f.write_str("\"")
            }
            Query::And(qs) => joined(qs, " ", f),
            Query::Or(qs) => joined(qs, " OR ", f),
            Query::Not(q) => match **q {
                Query::Pattern(_) | Query::Phrase(_) | Query::Not(_) => write!(f, "-{q}"),
                _ => write!(f, "-({q})"),
            },
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Lex {
    Open,
    Close,
    And,
    Or,
    Not,
    Minus,
    /// Patterns of a bare word or a quoted phrase (empty when it holds no token).
    Terms(Vec<Pattern>),
}

#[derive(Clone, Debug)]
struct Lexeme {
    lex: Lex,
    /// Character index in the input.
    position: usize,
}

fn is_boundary(c: char) -> bool {
    c.is_whitespace() || matches!(c, '(' | ')' | '"')
}

/// Splits the input into brackets, operators, words and phrases.
fn lex(input: &str) -> Result<Vec<Lexeme>, QueryError> {
    let chars: Vec<(usize, char)> = input.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (_, c) = chars[i];
        let position = i;
        let mut push = |lex| out.push(Lexeme { lex, position });
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                push(Lex::Open);
                i += 1;
            }
            ')' => {
                push(Lex::Close);
                i += 1;
            }
            '"' => {
                let Some(len) = chars[i + 1..].iter().position(|&(_, c)| c == '"') else {
                    return Err(QueryError { kind: QueryErrorKind::UnclosedQuote, position });
                };
                push(Lex::Terms(patterns(input, &chars, i + 1, i + 1 + len)?));
                i += len + 2;
            }
            '-' if chars.get(i + 1).is_some_and(|&(_, n)| !n.is_whitespace() && n != ')') => {
                push(Lex::Minus);
                i += 1;
            }
            _ => {
                let len = chars[i..].iter().position(|&(_, c)| is_boundary(c)).unwrap_or(chars.len() - i);
                let end = i + len;
                let start_byte = chars[i].0;
                let end_byte = chars.get(end).map_or(input.len(), |&(b, _)| b);
                let lex = match &input[start_byte..end_byte] {
                    "AND" => Lex::And,
                    "OR" => Lex::Or,
                    "NOT" => Lex::Not,
                    _ => Lex::Terms(patterns(input, &chars, i, end)?),
                };
                push(lex);
                i = end;
            }
        }
    }
    Ok(out)
}

/// The tokens of `chars[from..to]`, a token directly followed by `*` being a prefix.
fn patterns(input: &str, chars: &[(usize, char)], from: usize, to: usize) -> Result<Vec<Pattern>, QueryError> {
    let byte = |i: usize| chars.get(i).map_or(input.len(), |&(b, _)| b);
    let text = &input[byte(from)..byte(to)];
    // Every `*` must directly follow a letter or digit and not be followed by one.
    for i in from..to {
        if chars[i].1 == '*' {
            let after_token = i > from && chars[i - 1].1.is_alphanumeric();
            let before_token = i + 1 < to && chars[i + 1].1.is_alphanumeric();
            if !after_token || before_token {
                return Err(QueryError { kind: QueryErrorKind::MisplacedStar, position: i });
            }
        }
    }
    Ok(tokens(text)
        .map(|t| if text[t.end..].starts_with('*') { Pattern::Prefix(t.text) } else { Pattern::Word(t.text) })
        .collect())
}

struct Parser<'a> {
    lexemes: &'a [Lexeme],
    next: usize,
    terms: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<&'a Lexeme> {
        self.lexemes.get(self.next)
    }

    fn end_position(&self) -> usize {
        self.lexemes.last().map_or(0, |l| l.position + 1)
    }

    /// Whether the next lexeme can start a term.
    fn term_follows(&self) -> bool {
        matches!(self.peek().map(|l| &l.lex), Some(Lex::Open | Lex::Not | Lex::Minus | Lex::Terms(_)))
    }

    fn or(&mut self, depth: usize) -> Result<Option<Query>, QueryError> {
        if let Some(Lexeme { lex: Lex::Or, position }) = self.peek() {
            return Err(QueryError { kind: QueryErrorKind::MissingLeftOperand("OR"), position: *position });
        }
        let mut members = Vec::new();
        members.extend(self.and(depth)?);
        while let Some(Lexeme { lex: Lex::Or, position }) = self.peek() {
            let position = *position;
            self.next += 1;
            if !self.term_follows() {
                return Err(QueryError { kind: QueryErrorKind::MissingOperand("OR"), position });
            }
            members.extend(self.and(depth)?);
        }
        Ok(combine(members, Query::Or))
    }

    fn and(&mut self, depth: usize) -> Result<Option<Query>, QueryError> {
        let mut members = Vec::new();
        let mut seen_term = false;
        loop {
            match self.peek() {
                None | Some(Lexeme { lex: Lex::Close | Lex::Or, .. }) => break,
                Some(Lexeme { lex: Lex::And, position }) => {
                    let position = *position;
                    if !seen_term {
                        return Err(QueryError { kind: QueryErrorKind::MissingLeftOperand("AND"), position });
                    }
                    self.next += 1;
                    if !self.term_follows() {
                        return Err(QueryError { kind: QueryErrorKind::MissingOperand("AND"), position });
                    }
                }
                Some(_) => {
                    seen_term = true;
                    members.extend(self.unary(depth)?);
                }
            }
        }
        Ok(combine(members, Query::And))
    }

    fn unary(&mut self, depth: usize) -> Result<Option<Query>, QueryError> {
        let Some(lexeme) = self.peek() else { return Ok(None) };
        let position = lexeme.position;
        if depth >= MAX_DEPTH {
            return Err(QueryError { kind: QueryErrorKind::TooDeep, position });
        }
        match &lexeme.lex {
            Lex::Not | Lex::Minus => {
                let operator = if lexeme.lex == Lex::Not { "NOT" } else { "-" };
                self.next += 1;
                if !self.term_follows() {
                    return Err(QueryError { kind: QueryErrorKind::MissingOperand(operator), position });
                }
                Ok(self.unary(depth + 1)?.map(|q| Query::Not(Box::new(q))))
            }
            Lex::Open => {
                self.next += 1;
                let inner = self.or(depth + 1)?;
                match self.peek() {
                    Some(Lexeme { lex: Lex::Close, .. }) => {
                        self.next += 1;
                        Ok(inner)
                    }
                    _ => Err(QueryError { kind: QueryErrorKind::UnclosedBracket, position }),
                }
            }
            Lex::Terms(patterns) => {
                self.next += 1;
                self.terms += patterns.len();
                if self.terms > MAX_TERMS {
                    return Err(QueryError { kind: QueryErrorKind::TooManyTerms, position });
                }
                Ok(match patterns.len() {
                    0 => None,
                    1 => Some(Query::Pattern(patterns[0].clone())),
                    _ => Some(Query::Phrase(patterns.clone())),
                })
            }
            // `and` and `or` consume these before calling here.
            Lex::And | Lex::Or | Lex::Close => {
                Err(QueryError { kind: QueryErrorKind::MissingLeftOperand("AND"), position: self.end_position() })
            }
        }
    }
}

/// One member stays itself; several become `make(members)`, flattening members of the same
/// kind.
fn combine(members: Vec<Query>, make: fn(Vec<Query>) -> Query) -> Option<Query> {
    if members.len() <= 1 {
        return members.into_iter().next();
    }
    let is_same =
        |q: &Query| matches!((make(Vec::new()), q), (Query::And(_), Query::And(_)) | (Query::Or(_), Query::Or(_)));
    let mut flat = Vec::with_capacity(members.len());
    for member in members {
        if is_same(&member) {
            match member {
                Query::And(inner) | Query::Or(inner) => flat.extend(inner),
                _ => unreachable!("is_same matched And or Or"),
            }
        } else {
            flat.push(member);
        }
    }
    Some(make(flat))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Each case: input, then the canonical form of the parsed query or `!kind@position`.
    const CASES: &[(&str, &str)] = &[
        ("cyber", "cyber"),
        ("  Cyber  ", "cyber"),
        ("critical infrastructure", "critical infrastructure"),
        ("critical AND infrastructure", "critical infrastructure"),
        ("\"Critical Infrastructure\"", "\"critical infrastructure\""),
        ("\"cyber\"", "cyber"),
        ("cyber*", "cyber*"),
        ("\"information secur*\"", "\"information secur*\""),
        ("\"cyber* norms\"", "\"cyber* norms\""),
        ("A/RES/53/70", "\"a res 53 70\""),
        ("a/res/53*", "\"a res 53*\""),
        ("cyber-security", "\"cyber security\""),
        ("a OR b", "a OR b"),
        ("a b OR c", "a b OR c"),
        ("a (b OR c)", "a (b OR c)"),
        ("(a OR b) (c OR d)", "(a OR b) (c OR d)"),
        ("a OR b OR c", "a OR b OR c"),
        ("(a OR (b OR c))", "a OR b OR c"),
        ("(a (b c))", "a b c"),
        ("NOT a", "-a"),
        ("-a", "-a"),
        ("a -b", "a -b"),
        ("a NOT b", "a -b"),
        ("a -\"b c\"", "a -\"b c\""),
        ("a -(b OR c)", "a -(b OR c)"),
        ("--a", "--a"),
        ("NOT NOT a", "--a"),
        ("a - b", "a b"),
        ("a & b", "a b"),
        ("a OR &", "a"),
        ("and or not", "and or not"),
        ("a -", "a"),
        ("(a)", "a"),
        ("x () y", "x y"),
        ("\"\" a", "a"),
        ("ΟΔΟΣ", "οδοσ"),
        ("", "!Empty@0"),
        ("   ", "!Empty@0"),
        ("&&", "!Empty@0"),
        ("\"a b", "!UnclosedQuote@0"),
        ("a \"b", "!UnclosedQuote@2"),
        ("(a b", "!UnclosedBracket@0"),
        ("a (b (c)", "!UnclosedBracket@2"),
        ("a b)", "!UnopenedBracket@3"),
        (")", "!UnopenedBracket@0"),
        ("a OR", "!MissingOperand@2"),
        ("a OR OR b", "!MissingOperand@2"),
        ("OR a", "!MissingLeftOperand@0"),
        ("a AND", "!MissingOperand@2"),
        ("AND a", "!MissingLeftOperand@0"),
        ("(AND a)", "!MissingLeftOperand@1"),
        ("a AND OR b", "!MissingOperand@2"),
        ("NOT", "!MissingOperand@0"),
        ("a NOT)", "!MissingOperand@2"),
        ("-(a)", "-a"),
        ("*", "!MisplacedStar@0"),
        ("cy*ber", "!MisplacedStar@2"),
        ("cyber**", "!MisplacedStar@6"),
        ("-*", "!MisplacedStar@1"),
        ("\"a * b\"", "!MisplacedStar@3"),
        ("é*x", "!MisplacedStar@1"),
    ];

    fn check(input: &str) -> String {
        match Query::parse(input) {
            Ok(q) => q.to_string(),
            Err(e) => format!("!{:?}@{}", e.kind, e.position)
                .replace("(\"OR\")", "")
                .replace("(\"AND\")", "")
                .replace("(\"NOT\")", ""),
        }
    }

    #[test]
    fn cases() {
        let mut failures = Vec::new();
        for (input, want) in CASES {
            let got = check(input);
            if got != *want {
                failures.push(format!("{input:?}: got {got}, want {want}"));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    #[test]
    fn nesting_and_size_are_bounded() {
        let deep = format!("{}a{}", "(".repeat(40), ")".repeat(40));
        assert_eq!(Query::parse(&deep).unwrap_err().kind, QueryErrorKind::TooDeep);
        let nots = format!("{}a", "NOT ".repeat(40));
        assert_eq!(Query::parse(&nots).unwrap_err().kind, QueryErrorKind::TooDeep);
        let many = "w ".repeat(MAX_TERMS + 1);
        assert_eq!(Query::parse(&many).unwrap_err(), QueryError { kind: QueryErrorKind::TooManyTerms, position: 128 });
        assert!(Query::parse(&"w ".repeat(MAX_TERMS)).is_ok());
    }

    #[test]
    fn errors_read_well() {
        let e = Query::parse("cyber \"norms").unwrap_err();
        assert_eq!(e.to_string(), "this `\"` opens a phrase that is never closed (at character 7)");
        let e = Query::parse("a OR").unwrap_err();
        assert_eq!(e.to_string(), "`OR` needs a term after it (at character 3)");
    }

    #[test]
    fn positive_phrases_skip_negations() {
        let q = Query::parse("a \"b c*\" -d (e OR -f)").unwrap();
        let want = vec![
            vec![Pattern::Word("a".into())],
            vec![Pattern::Word("b".into()), Pattern::Prefix("c".into())],
            vec![Pattern::Word("e".into())],
        ];
        assert_eq!(q.positive_phrases(), want);
    }

    fn query_text() -> impl Strategy<Value = String> {
        let leaf = prop_oneof![
            "[a-zA-Z0-9]{1,6}\\*?",
            "\"[a-z0-9]{1,5}\\*?( [a-z0-9]{1,5}\\*?){0,3}\"",
            "[a-z]{1,4}/[0-9]{1,3}",
        ];
        leaf.prop_recursive(4, 24, 4, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 2..4).prop_map(|v| v.join(" ")),
                prop::collection::vec(inner.clone(), 2..4).prop_map(|v| v.join(" OR ")),
                prop::collection::vec(inner.clone(), 2..4).prop_map(|v| v.join(" AND ")),
                inner.clone().prop_map(|q| format!("({q})")),
                inner.clone().prop_map(|q| format!("-({q})")),
                inner.prop_map(|q| format!("NOT ({q})")),
            ]
        })
    }

    proptest! {
        #[test]
        fn never_panics(input in "\\PC{0,40}") {
            let _ = Query::parse(&input);
        }

        #[test]
        fn never_panics_on_syntax(input in "[ab()\"*\\- ]{0,30}|(AND|OR|NOT|\\(|\\)|-|\\*|\"|x| )*") {
            if let Err(e) = Query::parse(&input) {
                prop_assert!(e.position <= input.chars().count());
            }
        }

        #[test]
        fn canonical_form_round_trips(input in query_text()) {
            let query = Query::parse(&input).unwrap();
            let again = Query::parse(&query.to_string());
            prop_assert_eq!(again, Ok(query));
        }
    }
}
