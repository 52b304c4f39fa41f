//! Running a parsed [`Query`] with filters: BM25 ranking, exact totals, true paging,
//! optional collapsing of a record's fields into one hit, and snippets.

use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::Column;
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, PhraseQuery, Query as TantivyQuery, RangeQuery,
    RegexPhraseQuery, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, DocId, Score, Searcher, SegmentOrdinal, SegmentReader, TantivyDocument, Term};

use crate::index::{Fields, Result, SearchError, SearchIndex};
use crate::query::{Pattern, Query};
use crate::snippet::{Snippet, snippet};
use crate::target::Target;

/// At most this many distinct words may match one prefix; a broader prefix is an error
/// (never a silent cut).
pub const MAX_EXPANSIONS: usize = 4096;

/// What to search for and which page of the results to return.
#[derive(Clone, Debug)]
pub struct SearchRequest {
    pub query: Query,
    /// Only documents of these kinds (none: every kind).
    pub kinds: Vec<String>,
    /// Only documents whose target has one of these tags (`record`, `annex`, `paragraph`,
    /// `speech`; see [`Target::tag`]; none: every target).
    pub targets: Vec<String>,
    /// Only documents of these years, inclusive (documents without a year are left out
    /// when either bound is set).
    pub from_year: Option<i32>,
    pub to_year: Option<i32>,
    /// Only documents of this state (ISO3, any case).
    pub state: Option<String>,
    /// One hit per group (every field of a record is one group, see
    /// [`Target::group_key`]), its best-scoring document first.
    pub collapse: bool,
    pub offset: usize,
    pub limit: usize,
}

impl SearchRequest {
    /// A request for the first `limit` hits of `query`, without filters or collapsing.
    pub fn new(query: Query, limit: usize) -> SearchRequest {
        SearchRequest {
            query,
            kinds: Vec::new(),
            targets: Vec::new(),
            from_year: None,
            to_year: None,
            state: None,
            collapse: false,
            offset: 0,
            limit,
        }
    }
}

/// One result.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The best-scoring document of the hit.
    pub target: Target,
    /// With `collapse`: the other matching documents of the same group, best first.
    pub also: Vec<Target>,
    pub kind: String,
    pub title: String,
    pub year: Option<i32>,
    pub state: Option<String>,
    pub link: String,
    /// BM25 score (higher is better).
    pub score: f32,
    pub snippet: Snippet,
}

/// A page of results.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchResults {
    /// How many hits there are in all (groups, with `collapse`): exact.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// The store revision the searched documents reflect.
    pub revision: Option<String>,
}

impl SearchIndex {
    /// Runs a search on the documents being served.
    pub fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let current = self.current();
        let searcher = &current.searcher;
        let f = &self.fields;
        let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> =
            vec![(Occur::Must, compile(&request.query, searcher, f)?)];
        for filter in filters(request, f) {
            clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))));
        }
        let query = BooleanQuery::new(clauses);
        let matches = searcher.search(&query, &AllMatches { group: "group" })?;

        // Group (with `collapse`), then rank the groups by their best member; only the
        // groups up to the end of the page are sorted.
        let (total, page) = if request.collapse {
            let mut index: HashMap<u64, usize> = HashMap::new();
            let mut groups: Vec<Vec<Found>> = Vec::new();
            for found in matches {
                match index.get(&found.group) {
                    Some(&i) => groups[i].push(found),
                    None => {
                        index.insert(found.group, groups.len());
                        groups.push(vec![found]);
                    }
                }
            }
            for group in &mut groups {
                group.sort_by(rank);
            }
            (groups.len(), page_of(groups, request, |a, b| rank(&a[0], &b[0])))
        } else {
            (matches.len(), page_of(matches, request, rank).into_iter().map(|found| vec![found]).collect())
        };
        let phrases = request.query.positive_phrases();
        let hits = page.iter().map(|group| hit(searcher, f, group, &phrases)).collect::<Result<Vec<_>>>()?;
        Ok(SearchResults { total, hits, revision: current.stamp.as_ref().map(|s| s.revision.clone()) })
    }
}

fn hit(searcher: &Searcher, f: &Fields, group: &[Found], phrases: &[Vec<Pattern>]) -> Result<Hit> {
    let best = &group[0];
    let doc: TantivyDocument = searcher.doc(best.address)?;
    let text = |field| doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string();
    let also = group[1..]
        .iter()
        .map(|found| {
            let doc: TantivyDocument = searcher.doc(found.address)?;
            target(doc.get_first(f.key).and_then(|v| v.as_str()).unwrap_or_default())
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Hit {
        target: target(&text(f.key))?,
        also,
        kind: text(f.kind),
        title: text(f.title),
        year: doc.get_first(f.year).and_then(|v| v.as_i64()).and_then(|y| i32::try_from(y).ok()),
        state: doc.get_first(f.state).and_then(|v| v.as_str()).map(str::to_string),
        link: text(f.link),
        score: best.score,
        snippet: snippet(doc.get_first(f.body).and_then(|v| v.as_str()).unwrap_or_default(), phrases),
    })
}

fn target(key: &str) -> Result<Target> {
    Target::parse_key(key).map_err(|e| tantivy::TantivyError::InternalError(e.to_string()).into())
}

fn filters(request: &SearchRequest, f: &Fields) -> Vec<Box<dyn TantivyQuery>> {
    let mut out: Vec<Box<dyn TantivyQuery>> = Vec::new();
    let any_of = |field, values: &[String]| -> Box<dyn TantivyQuery> {
        let terms = values
            .iter()
            .map(|v| -> (Occur, Box<dyn TantivyQuery>) {
                (Occur::Should, Box::new(TermQuery::new(Term::from_field_text(field, v), IndexRecordOption::Basic)))
            })
            .collect();
        Box::new(BooleanQuery::new(terms))
    };
    if !request.kinds.is_empty() {
        out.push(any_of(f.kind, &request.kinds));
    }
    if !request.targets.is_empty() {
        out.push(any_of(f.target, &request.targets));
    }
    if request.from_year.is_some() || request.to_year.is_some() {
        let bound =
            |y: Option<i32>| y.map_or(Bound::Unbounded, |y| Bound::Included(Term::from_field_i64(f.year, y.into())));
        out.push(Box::new(RangeQuery::new(bound(request.from_year), bound(request.to_year))));
    }
    if let Some(state) = &request.state {
        let term = Term::from_field_text(f.state, &state.to_ascii_uppercase());
        out.push(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
    }
    out
}

/// Turns the typed query into a tantivy query over the body field.
fn compile(query: &Query, searcher: &Searcher, f: &Fields) -> Result<Box<dyn TantivyQuery>> {
    let body = f.body;
    Ok(match query {
        Query::Pattern(Pattern::Word(word)) => {
            Box::new(TermQuery::new(Term::from_field_text(body, word), IndexRecordOption::WithFreqs))
        }
        Query::Pattern(Pattern::Prefix(prefix)) => {
            let words = expand(searcher, f, prefix)?;
            let mut terms: Vec<Term> = words.iter().map(|w| Term::from_field_text(body, w)).collect();
            match terms.len() {
                0 => Box::new(EmptyQuery),
                1 => Box::new(TermQuery::new(terms.remove(0), IndexRecordOption::WithFreqs)),
                _ => Box::new(BooleanQuery::new(
                    terms
                        .into_iter()
                        .map(|t| -> (Occur, Box<dyn TantivyQuery>) {
                            (Occur::Should, Box::new(TermQuery::new(t, IndexRecordOption::WithFreqs)))
                        })
                        .collect(),
                )),
            }
        }
        Query::Phrase(patterns) if patterns.iter().all(|p| matches!(p, Pattern::Word(_))) => {
            Box::new(PhraseQuery::new(patterns.iter().map(|p| Term::from_field_text(body, p.text())).collect()))
        }
        Query::Phrase(patterns) => {
            let mut regexes = Vec::with_capacity(patterns.len());
            for pattern in patterns {
                // Tokens hold only letters and digits, none of which is a regex operator.
                regexes.push(match pattern {
                    Pattern::Word(w) => w.clone(),
                    Pattern::Prefix(p) => {
                        if expand(searcher, f, p)?.is_empty() {
                            return Ok(Box::new(EmptyQuery));
                        }
                        format!("{p}.*")
                    }
                });
            }
            let mut phrase = RegexPhraseQuery::new(body, regexes);
            phrase.set_max_expansions(u32::try_from(MAX_EXPANSIONS * patterns.len()).unwrap_or(u32::MAX));
            Box::new(phrase)
        }
        Query::And(members) => {
            let mut clauses: Vec<(Occur, Box<dyn TantivyQuery>)> = Vec::with_capacity(members.len());
            for member in members {
                clauses.push(match member {
                    Query::Not(inner) => (Occur::MustNot, compile(inner, searcher, f)?),
                    other => (Occur::Must, compile(other, searcher, f)?),
                });
            }
            if clauses.iter().all(|(occur, _)| *occur == Occur::MustNot) {
                clauses.push((Occur::Must, Box::new(AllQuery)));
            }
            Box::new(BooleanQuery::new(clauses))
        }
        Query::Or(members) => Box::new(BooleanQuery::new(
            members.iter().map(|m| Ok((Occur::Should, compile(m, searcher, f)?))).collect::<Result<Vec<_>>>()?,
        )),
        Query::Not(inner) => Box::new(BooleanQuery::new(vec![
            (Occur::Must, Box::new(AllQuery)),
            (Occur::MustNot, compile(inner, searcher, f)?),
        ])),
    })
}

/// Every word of the index (in any segment) that starts with `prefix`, refusing more than
/// [`MAX_EXPANSIONS`].
fn expand(searcher: &Searcher, f: &Fields, prefix: &str) -> Result<BTreeSet<String>> {
    let mut words = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(f.body)?;
        let mut stream =
            inverted.terms().range().ge(prefix.as_bytes()).into_stream().map_err(tantivy::TantivyError::from)?;
        while stream.advance() {
            let key = stream.key();
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            words.insert(String::from_utf8_lossy(key).into_owned());
            if words.len() > MAX_EXPANSIONS {
                return Err(SearchError::PrefixTooBroad { prefix: prefix.to_string(), count: words.len() });
            }
        }
    }
    Ok(words)
}

/// The requested page of `items` in `order`, sorting only what comes before its end.
fn page_of<T>(mut items: Vec<T>, request: &SearchRequest, order: impl Fn(&T, &T) -> std::cmp::Ordering) -> Vec<T> {
    let end = request.offset.saturating_add(request.limit).min(items.len());
    if end < items.len() {
        items.select_nth_unstable_by(end, &order);
        items.truncate(end);
    }
    items.sort_by(&order);
    items.split_off(request.offset.min(items.len()))
}

/// Best first; ties in index order, so that pages are stable.
fn rank(a: &Found, b: &Found) -> std::cmp::Ordering {
    b.score.total_cmp(&a.score).then(a.address.cmp(&b.address))
}

/// A matching document.
#[derive(Clone, Copy, Debug)]
struct Found {
    score: Score,
    group: u64,
    address: DocAddress,
}

/// Collects every match with its score and group: the total is exact and no match is
/// dropped before ranking and grouping.
struct AllMatches {
    group: &'static str,
}

struct SegmentMatches {
    segment: SegmentOrdinal,
    group: Column<u64>,
    found: Vec<Found>,
}

impl Collector for AllMatches {
    type Fruit = Vec<Found>;
    type Child = SegmentMatches;

    fn for_segment(&self, segment: SegmentOrdinal, reader: &SegmentReader) -> tantivy::Result<SegmentMatches> {
        Ok(SegmentMatches { segment, group: reader.fast_fields().u64(self.group)?, found: Vec::new() })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    fn merge_fruits(&self, fruits: Vec<Vec<Found>>) -> tantivy::Result<Vec<Found>> {
        Ok(fruits.into_iter().flatten().collect())
    }
}

impl SegmentCollector for SegmentMatches {
    type Fruit = Vec<Found>;

    fn collect(&mut self, doc: DocId, score: Score) {
        let group = self.group.first(doc).unwrap_or_default();
        self.found.push(Found { score, group, address: DocAddress::new(self.segment, doc) });
    }

    fn harvest(self) -> Vec<Found> {
        self.found
    }
}
