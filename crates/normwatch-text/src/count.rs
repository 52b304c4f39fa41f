//! Counting a pattern over a collection of speeches: term frequencies grouped by year or
//! by state, the first use per state, and keyword-in-context lines (as quanteda's `kwic`).
//!
//! The collection is a table of [`SpeechMeta`], one per document of the [`TermIndex`]
//! (`crate::index`) in the same order; counts come from the index's [`Hits`].
//!
//! [`TermIndex`]: crate::index::TermIndex

use std::collections::{BTreeMap, BTreeSet};

use crate::index::Hits;
use crate::pattern::Pattern;
use crate::token::{lower, tokens};

/// What the counts need to know of a speech.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeechMeta {
    /// The speaker's code: an ISO3 code, or the corpus's own code for a speaker the state
    /// registry does not know (`EU`).
    pub state: String,
    pub session: u16,
    pub year: u16,
    /// Number of tokens.
    pub words: u32,
}

/// Which speeches a count covers. Empty means all.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    pub from: Option<u16>,
    pub to: Option<u16>,
    pub state: Option<String>,
}

impl Scope {
    pub fn contains(&self, speech: &SpeechMeta) -> bool {
        self.from.is_none_or(|from| speech.year >= from)
            && self.to.is_none_or(|to| speech.year <= to)
            && self.state.as_deref().is_none_or(|s| s.eq_ignore_ascii_case(&speech.state))
    }
}

/// How rows are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum By {
    Year,
    State,
}

/// The key of a row.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Group {
    Year(u16),
    State(String),
}

/// One row of a term table.
#[derive(Clone, Debug, PartialEq)]
pub struct TermRow {
    pub group: Group,
    /// Occurrences of the pattern.
    pub count: u64,
    /// Speeches in the group.
    pub speeches: u32,
    /// Speeches in the group that use the pattern at least once.
    pub speeches_with_term: u32,
    /// Distinct speakers in the group that use the pattern.
    pub states_with_term: u32,
    /// Tokens of all the group's speeches.
    pub words: u64,
    /// `count` per 10,000 tokens of the group (0 when the group has no tokens).
    pub per_10k_words: f64,
}

/// Why counting could not be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CountError {
    #[error("a hit names document {doc}, but the collection has {documents} speeches")]
    UnknownDocument { doc: u32, documents: usize },
}

/// The term table: one row per year (ascending) or per state (by code) that has speeches
/// in scope; groups without an occurrence are kept, with zero counts.
pub fn term_table(speeches: &[SpeechMeta], hits: &Hits, by: By, scope: &Scope) -> Result<Vec<TermRow>, CountError> {
    struct Acc<'a> {
        count: u64,
        speeches: u32,
        with: u32,
        states: BTreeSet<&'a str>,
        words: u64,
    }
    let key = |s: &SpeechMeta| match by {
        By::Year => Group::Year(s.year),
        By::State => Group::State(s.state.clone()),
    };
    let mut groups: BTreeMap<Group, Acc> = BTreeMap::new();
    for speech in speeches.iter().filter(|s| scope.contains(s)) {
        let acc = groups.entry(key(speech)).or_insert_with(|| Acc {
            count: 0,
            speeches: 0,
            with: 0,
            states: BTreeSet::new(),
            words: 0,
        });
        acc.speeches += 1;
        acc.words += u64::from(speech.words);
    }
    for hit in &hits.docs {
        let speech = speeches
            .get(hit.doc as usize)
            .ok_or(CountError::UnknownDocument { doc: hit.doc, documents: speeches.len() })?;
        if !scope.contains(speech) || hit.count == 0 {
            continue;
        }
        if let Some(acc) = groups.get_mut(&key(speech)) {
            acc.count += u64::from(hit.count);
            acc.with += 1;
            acc.states.insert(&speech.state);
        }
    }
    Ok(groups
        .into_iter()
        .map(|(group, acc)| TermRow {
            group,
            count: acc.count,
            speeches: acc.speeches,
            speeches_with_term: acc.with,
            states_with_term: acc.states.len() as u32,
            words: acc.words,
            per_10k_words: if acc.words == 0 { 0.0 } else { acc.count as f64 * 10_000.0 / acc.words as f64 },
        })
        .collect())
}

/// The first speech of a state that uses the pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirstUse {
    pub state: String,
    /// The speech's document id.
    pub doc: u32,
    pub year: u16,
    pub session: u16,
    /// Token position of the first occurrence in that speech (for a snippet, see
    /// [`kwic`] or [`snippet`]).
    pub position: u32,
}

/// For each state, its first speech (earliest year, then session) using the pattern,
/// ordered by year and then state code: who spoke of it first.
pub fn first_uses(speeches: &[SpeechMeta], hits: &Hits, scope: &Scope) -> Result<Vec<FirstUse>, CountError> {
    let mut first: BTreeMap<&str, FirstUse> = BTreeMap::new();
    for hit in &hits.docs {
        let speech = speeches
            .get(hit.doc as usize)
            .ok_or(CountError::UnknownDocument { doc: hit.doc, documents: speeches.len() })?;
        if !scope.contains(speech) || hit.count == 0 {
            continue;
        }
        let candidate = FirstUse {
            state: speech.state.clone(),
            doc: hit.doc,
            year: speech.year,
            session: speech.session,
            position: hit.first,
        };
        match first.get(speech.state.as_str()) {
            Some(existing)
                if (existing.year, existing.session, existing.doc) <= (speech.year, speech.session, hit.doc) => {}
            _ => {
                first.insert(&speech.state, candidate);
            }
        }
    }
    let mut out: Vec<FirstUse> = first.into_values().collect();
    out.sort_by(|a, b| (a.year, a.session, &a.state).cmp(&(b.year, b.session, &b.state)));
    Ok(out)
}

/// One keyword-in-context line: the match with `window` tokens of context each side,
/// as written in the text (whitespace collapsed to single spaces).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Kwic {
    pub left: String,
    /// The matched words as written.
    pub matched: String,
    pub right: String,
    /// Token position of the match.
    pub position: u32,
    /// Byte range of the match in the text.
    pub start: usize,
    pub end: usize,
}

/// Every occurrence of a pattern in a text, with `window` tokens of context each side
/// (quanteda's default window is 5).
pub fn kwic(text: &str, pattern: &Pattern, window: usize) -> Vec<Kwic> {
    let all: Vec<crate::token::Token> = tokens(text).collect();
    let words: Vec<String> = all.iter().map(|t| lower(&text[t.start..t.end])).collect();
    let n = pattern.elements().len();
    let mut out = Vec::new();
    if words.len() < n {
        return out;
    }
    for i in 0..=words.len() - n {
        if !pattern.matches(&words[i..i + n]) {
            continue;
        }
        let (start, end) = (all[i].start, all[i + n - 1].end);
        let left_start = all[i.saturating_sub(window)].start;
        let right_end = if window == 0 { end } else { all[(i + n - 1 + window).min(all.len() - 1)].end };
        out.push(Kwic {
            left: collapse(&text[left_start..start]),
            matched: collapse(&text[start..end]),
            right: collapse(&text[end..right_end]),
            position: i as u32,
            start,
            end,
        });
    }
    out
}

/// A keyword-in-context line of a speech: `{state, year, left, match, right}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KwicRow {
    pub state: String,
    pub year: u16,
    pub session: u16,
    pub line: Kwic,
}

/// The keyword-in-context lines of one speech, if it is in scope.
pub fn kwic_speech(speech: &SpeechMeta, text: &str, pattern: &Pattern, window: usize, scope: &Scope) -> Vec<KwicRow> {
    if !scope.contains(speech) {
        return Vec::new();
    }
    kwic(text, pattern, window)
        .into_iter()
        .map(|line| KwicRow { state: speech.state.clone(), year: speech.year, session: speech.session, line })
        .collect()
}

/// The first occurrence of a pattern at or after token `position`, in context: the
/// snippet of a [`FirstUse`].
pub fn snippet(text: &str, pattern: &Pattern, position: u32, window: usize) -> Option<Kwic> {
    kwic(text, pattern, window).into_iter().find(|k| k.position >= position)
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::index::{TermIndex, count};

    fn corpus() -> (Vec<SpeechMeta>, Vec<&'static str>) {
        let speech =
            |state: &str, year: u16, words: u32| SpeechMeta { state: state.into(), session: year - 1945, year, words };
        let texts = vec![
            "We speak of cyber threats and cyberspace.",
            "Nothing to see.",
            "Cyber attacks worry us.",
            "Our cyber policy, again cyber.",
        ];
        let speeches =
            vec![speech("USA", 1998, 7), speech("RUS", 1998, 3), speech("RUS", 2001, 4), speech("EU", 2001, 5)];
        for (meta, text) in speeches.iter().zip(&texts) {
            assert_eq!(meta.words, crate::token::count_words(text));
        }
        (speeches, texts)
    }

    #[test]
    fn tables_by_year_and_by_state() {
        let (speeches, texts) = corpus();
        let index = TermIndex::build(texts.iter().copied());
        let pattern = Pattern::parse("cyber*").unwrap();
        let hits = count(&pattern, &index.postings_for(&pattern)).unwrap();
        let rows = term_table(&speeches, &hits, By::Year, &Scope::default()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].group, Group::Year(1998));
        assert_eq!(
            (rows[0].count, rows[0].speeches, rows[0].speeches_with_term, rows[0].states_with_term),
            (2, 2, 1, 1)
        );
        assert_eq!(rows[0].words, 10);
        assert!((rows[0].per_10k_words - 2000.0).abs() < 1e-9);
        assert_eq!((rows[1].count, rows[1].speeches_with_term, rows[1].states_with_term), (3, 2, 2));
        let by_state = term_table(&speeches, &hits, By::State, &Scope::default()).unwrap();
        let keys: Vec<_> = by_state.iter().map(|r| (r.group.clone(), r.count, r.speeches)).collect();
        assert_eq!(
            keys,
            [(Group::State("EU".into()), 2, 1), (Group::State("RUS".into()), 1, 2), (Group::State("USA".into()), 2, 1)]
        );
        let scoped = Scope { from: Some(2000), to: None, state: Some("rus".into()) };
        let rows = term_table(&speeches, &hits, By::Year, &scoped).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!((rows[0].count, rows[0].speeches), (1, 1));
        let bad = Hits { docs: vec![crate::index::DocHit { doc: 9, count: 1, first: 0 }] };
        assert!(term_table(&speeches, &bad, By::Year, &Scope::default()).is_err());
    }

    #[test]
    fn first_use_per_state_in_order_of_year() {
        let (speeches, texts) = corpus();
        let index = TermIndex::build(texts.iter().copied());
        let pattern = Pattern::parse("cyber").unwrap();
        let hits = count(&pattern, &index.postings_for(&pattern)).unwrap();
        let firsts = first_uses(&speeches, &hits, &Scope::default()).unwrap();
        let seen: Vec<(&str, u16, u32)> = firsts.iter().map(|f| (f.state.as_str(), f.year, f.position)).collect();
        assert_eq!(seen, [("USA", 1998, 3), ("EU", 2001, 1), ("RUS", 2001, 0)]);
        let first = &firsts[0];
        let line = snippet(texts[first.doc as usize], &pattern, first.position, 2).unwrap();
        assert_eq!(
            (line.left.as_str(), line.matched.as_str(), line.right.as_str()),
            ("speak of", "cyber", "threats and")
        );
    }

    #[test]
    fn kwic_keeps_the_text_as_written() {
        let text =
            "The General Assembly,\nnoting  Critical infrastructure-protection, and critical\r\ninfrastructures.";
        let pattern = Pattern::parse("\"critical infrastructure*\"").unwrap();
        let lines = kwic(text, &pattern, 2);
        assert_eq!(lines.len(), 2);
        assert_eq!(lines[0].left, "Assembly, noting");
        assert_eq!(lines[0].matched, "Critical infrastructure");
        assert_eq!(lines[0].right, "-protection, and");
        assert_eq!(lines[1].matched, "critical infrastructures");
        assert_eq!(lines[1].right, "");
        assert_eq!(&text[lines[1].start..lines[1].end], "critical\r\ninfrastructures");
        assert_eq!(kwic(text, &pattern, 0)[0].left, "");
        assert!(kwic("", &pattern, 5).is_empty());
        let speech = SpeechMeta { state: "USA".into(), session: 68, year: 2013, words: 12 };
        let rows = kwic_speech(&speech, text, &pattern, 2, &Scope::default());
        assert_eq!(
            (rows[0].state.as_str(), rows[0].year, rows[0].line.matched.as_str()),
            ("USA", 2013, "Critical infrastructure")
        );
        assert!(kwic_speech(&speech, text, &pattern, 2, &Scope { to: Some(2000), ..Scope::default() }).is_empty());
    }
}
