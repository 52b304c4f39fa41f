//! Search: the store's words in the tantivy index of `normwatch-search`, kept in step with
//! the store's revision.
//!
//! The index is derived data. It lives in a folder beside the SQLite file (`FILE.index`) or
//! wherever the operator says (`--index-dir`, required with PostgreSQL). Each commit is
//! stamped with the store revision it reflects and, per source, the version of what was
//! indexed; a search first compares the stamp with the store's revision and, when the
//! store has moved, rewrites the sources that changed (the knowledge base's records on
//! every move: a fraction of a second) in one commit. So a search never answers from data
//! older than the revision it read, and several processes over one database each keep
//! their own index in step.
//!
//! What is indexed, each typed by what it points to ([`Target`]):
//! - every record's id, each text-valued field (all claims of a field together), and the
//!   quotations of its claims: `Target::Record`;
//! - each item of a record's lists (annexed elements, recommendations): `Target::AnnexItem`;
//! - each paragraph of a document's text: `Target::Paragraph` (`pp1`, `op3`…);
//! - each General Debate speech imported: `Target::Speech` (source `speeches`, rewritten
//!   only when another corpus is imported: its version is the SHA-256 of what was read).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use normwatch_core::kb::{FactValue, Record, RecordKind};
use normwatch_core::view::RecordView;
use normwatch_search::{Doc, Query, SearchError, SearchIndex, Stamp, Target};
use sha2::{Digest, Sha256};

use crate::{App, AppError, Catalog, Result};

/// The source name of everything derived from the store's records.
pub const RECORDS: &str = "records";
/// The source name of the General Debate speeches.
pub const SPEECHES: &str = "speeches";
/// Speeches read from the store at a time while indexing.
const SPEECH_PAGE: u32 = 500;

/// How long a write waits for another process that holds the index's lock.
const BUSY_WAIT: Duration = Duration::from_secs(30);

/// The default index folder of a SQLite database file: `FILE.index` beside it.
pub fn default_dir(database: &Path) -> PathBuf {
    let mut name = database.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".index");
    database.with_file_name(name)
}

/// The index of one application, opened on first use.
pub(crate) struct Engine {
    dir: Option<PathBuf>,
    index: Mutex<Option<Arc<SearchIndex>>>,
    /// One writer at a time in this process.
    writing: tokio::sync::Mutex<()>,
}

impl Engine {
    pub(crate) fn new(dir: Option<PathBuf>) -> Engine {
        Engine { dir, index: Mutex::new(None), writing: tokio::sync::Mutex::new(()) }
    }

    pub(crate) fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    fn index(&self) -> Result<Arc<SearchIndex>> {
        let Some(dir) = &self.dir else { return Err(AppError::NoSearchIndex) };
        let mut slot = self.index.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(index) = slot.as_ref() {
            return Ok(index.clone());
        }
        let index = match SearchIndex::open(dir) {
            Err(SearchError::OtherLayout { .. }) => {
                // Derived data in an older layout: remove it (only a folder holding a
                // tantivy index) and start afresh; the next search fills it.
                tracing::info!(dir = %dir.display(), "the search index has another layout; rebuilding it");
                remove_index_folder(dir)?;
                SearchIndex::open(dir)?
            }
            other => other?,
        };
        let index = Arc::new(index);
        *slot = Some(index.clone());
        Ok(index)
    }
}

fn remove_index_folder(dir: &Path) -> Result<()> {
    if !dir.join("meta.json").is_file() {
        return Err(AppError::Search(SearchError::OtherLayout { path: dir.to_path_buf() }));
    }
    std::fs::remove_dir_all(dir).map_err(|source| AppError::Read { path: dir.to_path_buf(), source })
}

/// What to search for: the parsed query, the filters (`kinds` are record kinds or
/// `speech`; `targets` are target tags: `record`, `annex`, `paragraph`, `speech`) and the
/// page: the search crate's request as it is.
pub use normwatch_search::SearchRequest as Search;

/// What kind of hit to keep: a kind of record, or what the hit points to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HitKind {
    Record(RecordKind),
    /// A target tag: `record`, `annex`, `paragraph` or `speech`.
    Target(&'static str),
}

impl HitKind {
    /// Every value, as a search form offers them.
    pub fn all() -> Vec<HitKind> {
        let mut all: Vec<HitKind> = RecordKind::ALL.into_iter().map(HitKind::Record).collect();
        all.extend(["paragraph", "speech"].map(HitKind::Target));
        all
    }

    pub fn as_str(self) -> &'static str {
        match self {
            HitKind::Record(kind) => kind.as_str(),
            HitKind::Target(tag) => tag,
        }
    }
}

impl std::str::FromStr for HitKind {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, Self::Err> {
        if let Some(kind) = RecordKind::parse(s) {
            return Ok(HitKind::Record(kind));
        }
        ["record", "annex", "paragraph", "speech"].into_iter().find(|tag| *tag == s).map(HitKind::Target).ok_or_else(
            || {
                "not a kind of hit; use a kind of record (document, series, body, group, event, actor, theme, norm) or record, annex, paragraph, speech".to_string()
            },
        )
    }
}

/// A search as a person asks it, before it is read.
#[derive(Clone, Debug, Default)]
pub struct Ask<'a> {
    pub q: &'a str,
    pub kind: Option<HitKind>,
    pub from: Option<i32>,
    pub to: Option<i32>,
    pub state: Option<String>,
    pub offset: usize,
    pub limit: usize,
}

impl Ask<'_> {
    /// The search asked for; `None` when it asks nothing (no words). A document symbol is
    /// looked for as the phrase of its parts (`A/RES/53/70`: "a res 53 70"). Hits are one
    /// per record unless paragraphs, items or fields are asked for.
    pub fn read(&self) -> std::result::Result<Option<Search>, normwatch_search::QueryError> {
        let q = self.q.trim();
        if q.is_empty() {
            return Ok(None);
        }
        let text = match normwatch_core::Symbol::parse(q) {
            Ok(symbol) => {
                let words: Vec<String> = normwatch_search::token::tokens(&symbol.to_string()).map(|t| t.text).collect();
                format!("\"{}\"", words.join(" "))
            }
            Err(_) => q.to_string(),
        };
        let mut search = Search::new(Query::parse(&text)?, self.limit);
        match self.kind {
            Some(HitKind::Record(kind)) => search.kinds = vec![kind.as_str().to_string()],
            Some(HitKind::Target(tag)) => search.targets = vec![tag.to_string()],
            None => {}
        }
        search.from_year = self.from;
        search.to_year = self.to;
        search.state = self.state.clone();
        search.collapse = !matches!(self.kind, Some(HitKind::Target("paragraph" | "annex" | "record")));
        search.offset = self.offset;
        Ok(Some(search))
    }
}

/// A piece of a snippet: text, and whether it matched the query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnippetPart {
    pub text: String,
    pub matched: bool,
}

/// One hit.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    /// The best-matching passage.
    pub target: Target,
    /// With `collapse`: the record's other matching passages, best first.
    pub also: Vec<Target>,
    /// The record kind (`document`…) or `speech`.
    pub kind: String,
    pub title: String,
    pub year: Option<i32>,
    pub state: Option<String>,
    /// BM25 score (higher is better).
    pub score: f32,
    pub snippet: Vec<SnippetPart>,
}

impl Hit {
    /// The record or speech the hit belongs to: its kind and id (`A/RES/53/70`, `USA/2013`).
    pub fn owner(&self) -> (String, String) {
        match &self.target {
            Target::Record { kind, id, .. } | Target::AnnexItem { kind, id, .. } => (kind.clone(), id.clone()),
            Target::Paragraph { symbol, .. } => (self.kind.clone(), symbol.clone()),
            Target::Speech { state, year } => ("speech".to_string(), format!("{state}/{year}")),
        }
    }
}

/// The name of the passage a target points to, as the search results show it: a record's
/// field (`title`, `quote`, `id`), `item:LIST` or `paragraph`.
pub fn field_name(target: &Target) -> String {
    match target {
        Target::Record { field, .. } => field.clone(),
        Target::AnnexItem { list, .. } => format!("item:{list}"),
        Target::Paragraph { .. } => "paragraph".to_string(),
        Target::Speech { .. } => "speech".to_string(),
    }
}

/// A page of hits.
#[derive(Clone, Debug, PartialEq)]
pub struct Found {
    /// How many hits there are in all: exact.
    pub total: usize,
    pub hits: Vec<Hit>,
    /// The store revision the index reflected.
    pub revision: String,
}

/// The answer to an [`Ask`].
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Asked {
    pub total: usize,
    pub hits: Vec<Hit>,
    /// The symbol of the document the query names, when it is held.
    pub exact: Option<String>,
}

/// What a rewrite of the index did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reindexed {
    pub dir: PathBuf,
    pub documents: usize,
    pub revision: String,
    pub millis: u128,
}

impl App {
    /// The folder of the search index, if there is one (`None` with PostgreSQL and no
    /// `--index-dir`).
    pub fn search_index_dir(&self) -> Option<&Path> {
        self.inner.search.dir()
    }

    /// Runs what a person asked (no words: no hits) and puts the document first when the
    /// query is the symbol of a document held; `exact` is that symbol.
    pub async fn ask(&self, ask: &Ask<'_>) -> Result<Asked> {
        let Some(search) = ask.read().map_err(|e| AppError::Search(e.into()))? else {
            return Ok(Asked::default());
        };
        let found = self.search(&search).await?;
        // Only a symbol needs the catalog (and its read of the revision).
        let exact = match normwatch_core::Symbol::parse(ask.q.trim()) {
            Ok(symbol) => {
                let symbol = symbol.to_string();
                self.catalog().await?.document(&symbol).is_some().then_some(symbol)
            }
            Err(_) => None,
        };
        let mut hits = found.hits;
        if let Some(symbol) = &exact
            && let Some(i) = hits.iter().position(|h| h.owner() == ("document".to_string(), symbol.clone()))
        {
            let hit = hits.remove(i);
            hits.insert(0, hit);
        }
        Ok(Asked { total: found.total, hits, exact })
    }

    /// Runs a search on an index in step with the store's current revision.
    pub async fn search(&self, search: &Search) -> Result<Found> {
        let index = self.inner.search.index()?;
        let revision = self.revision().await?;
        if index.revision().as_deref() != Some(revision.as_str()) {
            self.bring_up_to_date(&index, &revision, false).await?;
        }
        let request = search.clone();
        let searched = index.clone();
        let results = tokio::task::spawn_blocking(move || searched.search(&request))
            .await
            .map_err(|e| AppError::KnowledgeBase(format!("the search task failed: {e}")))??;
        let hits = results
            .hits
            .into_iter()
            .map(|hit| Hit {
                target: hit.target,
                also: hit.also,
                kind: hit.kind,
                title: hit.title,
                year: hit.year,
                state: hit.state,
                score: hit.score,
                snippet: hit
                    .snippet
                    .parts
                    .into_iter()
                    .map(|p| SnippetPart { text: p.text, matched: p.matched })
                    .collect(),
            })
            .collect();
        Ok(Found { total: results.total, hits, revision: results.revision.unwrap_or(revision) })
    }

    /// Rewrites the whole index from the store (`normwatch admin reindex`).
    pub async fn reindex(&self) -> Result<Reindexed> {
        let index = self.inner.search.index()?;
        let revision = self.revision().await?;
        self.bring_up_to_date(&index, &revision, true)
            .await?
            .ok_or_else(|| AppError::KnowledgeBase("the index was rewritten by another process meanwhile".into()))
    }

    /// Rewrites what lags `revision` (everything with `full`) in one commit. Returns `None`
    /// when another writer brought the index up to date first.
    async fn bring_up_to_date(
        &self,
        index: &Arc<SearchIndex>,
        revision: &str,
        full: bool,
    ) -> Result<Option<Reindexed>> {
        let _writing = self.inner.search.writing.lock().await;
        let started = Instant::now();
        // Another task of this process, or another process, may have written meanwhile.
        let stored = index.refresh()?;
        if !full && stored.as_ref().is_some_and(|s| s.revision == revision) {
            return Ok(None);
        }
        // A first build, or an index of another database: every source is rewritten.
        let full = full || stored.as_ref().is_none_or(|s| database_of(&s.revision) != database_of(revision));
        let speeches_version = self.speeches_version().await?;
        let speeches_lag = full || stored.as_ref().and_then(|s| s.source(SPEECHES)) != Some(speeches_version.as_str());
        // Every record is read once: the catalog that resolves references is built from the
        // same read unless one of this revision is kept already, and is kept for the requests
        // that follow when no write came between (the revision is unchanged after the read).
        let mut records = std::collections::HashMap::new();
        for kind in RecordKind::ALL {
            records.insert(kind, self.store().records(kind).await?);
        }
        let catalog = match self.kept_catalog(revision) {
            Some(catalog) => catalog,
            None => {
                let catalog = Arc::new(Catalog::of(&records, self.store().sources().await?));
                if self.revision().await? == revision {
                    self.keep_catalog(revision, catalog.clone());
                }
                catalog
            }
        };
        let mut docs = Vec::new();
        for kind in RecordKind::ALL {
            for record in &records[&kind] {
                record_docs(record, &catalog, &mut docs);
            }
        }
        let mut sources = vec![RECORDS];
        if speeches_lag {
            sources.push(SPEECHES);
            let mut seen = std::collections::HashSet::new();
            let mut after = None;
            loop {
                let page = self.store().speeches_after(after, SPEECH_PAGE).await?;
                let Some(last) = page.last() else { break };
                after = Some(last.doc);
                for speech in page {
                    // One speech per speaker and year is addressed; a second one of a year
                    // (none in the corpus) stays countable but not searchable.
                    if seen.insert((speech.state.clone(), speech.year)) {
                        docs.push(speech_doc(speech));
                    }
                }
            }
        }
        let stamp = Stamp::new(revision).with_source(RECORDS, revision).with_source(SPEECHES, &speeches_version);
        let index = index.clone();
        let written_stamp = stamp.clone();
        let stats = tokio::task::spawn_blocking(move || {
            let sources = if full { None } else { Some(sources) };
            write_waiting(&index, &docs, &written_stamp, sources.as_deref())
        })
        .await
        .map_err(|e| AppError::KnowledgeBase(format!("the indexing task failed: {e}")))??;
        let millis = started.elapsed().as_millis();
        tracing::info!(documents = stats.documents, revision, millis, "search index brought up to date");
        Ok(Some(Reindexed {
            dir: self.inner.search.dir().map(Path::to_path_buf).unwrap_or_default(),
            documents: stats.documents,
            revision: stats.revision,
            millis,
        }))
    }
}

impl App {
    /// The version of the speeches held: the SHA-256 of what the last import read (`none`
    /// when no corpus was imported).
    async fn speeches_version(&self) -> Result<String> {
        let sources = self.store().speech_sources().await?;
        if sources.is_empty() {
            return Ok("none".to_string());
        }
        let mut hasher = Sha256::new();
        for source in &sources {
            hasher.update(source.source.as_bytes());
            hasher.update([0]);
            hasher.update(source.sha256.as_bytes());
            hasher.update([0]);
        }
        Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
    }
}

/// The index document of a speech.
fn speech_doc(speech: normwatch_store::speeches::StoredSpeech) -> Doc {
    let registry = normwatch_core::state::StateRegistry::global();
    let info = if speech.resolved { registry.lookup(&speech.state) } else { None };
    let name = info.map_or(speech.state.as_str(), |s| s.name.as_str());
    let year = i32::from(speech.year);
    Doc {
        title: format!("{name}, {year}"),
        target: Target::Speech { state: speech.state.clone(), year },
        source: SPEECHES.to_string(),
        kind: "speech".to_string(),
        year: Some(year),
        state: info.map(|s| s.iso3.to_string()),
        link: String::new(),
        body: speech.text,
    }
}

/// The database part of a store revision (`DATABASE:COUNTER`).
fn database_of(revision: &str) -> &str {
    revision.rsplit_once(':').map_or(revision, |(database, _)| database)
}

/// Writes, waiting while another process holds the index's lock.
/// `sources: None` rewrites the whole index.
fn write_waiting(
    index: &SearchIndex,
    docs: &[Doc],
    stamp: &Stamp,
    sources: Option<&[&str]>,
) -> std::result::Result<normwatch_search::WriteStats, SearchError> {
    let deadline = Instant::now() + BUSY_WAIT;
    loop {
        let each = docs.iter().cloned().map(Ok::<_, std::convert::Infallible>);
        let written = match sources {
            None => index.rebuild(each, stamp),
            Some(sources) => index.replace_sources(sources, each, stamp),
        };
        match written {
            Err(SearchError::Busy { .. }) if Instant::now() < deadline => {
                std::thread::sleep(Duration::from_millis(100))
            }
            other => return other,
        }
    }
}

/// The label of a document's paragraph within its text: `pp2`, `op3`; a paragraph without
/// a number is counted within its part.
fn paragraph_label(part: &str, number: Option<i64>, position: usize) -> String {
    let prefix = match part {
        "preambular" => "pp",
        "operative" => "op",
        other => other,
    };
    match number {
        Some(n) => format!("{prefix}{n}"),
        None => format!("{prefix}#{position}"),
    }
}

/// The display title of a record.
fn title(record: &Record, catalog: &Catalog) -> String {
    let id = record.id.as_str();
    let found = match record.kind {
        RecordKind::Document => catalog.document(id).and_then(|d| d.title.clone().or_else(|| d.summary.clone())),
        RecordKind::Series => catalog.series(id).and_then(|s| s.title.clone()),
        RecordKind::Group => catalog.group(id).and_then(|g| g.name.clone()),
        _ => {
            let view = RecordView::resolve(record);
            view.text("title").or(view.text("name")).map(str::to_string)
        }
    };
    found.unwrap_or_else(|| id.to_string())
}

/// The year a record is filed under for the year filter.
fn year(record: &Record, catalog: &Catalog) -> Option<i32> {
    match record.kind {
        RecordKind::Document => catalog.document(&record.id).and_then(|d| d.year),
        RecordKind::Group => catalog.group(&record.id).and_then(|g| g.start_year),
        RecordKind::Event => RecordView::resolve(record).year(),
        _ => None,
    }
}

/// The index documents of one record (see the module documentation).
pub fn record_docs(record: &Record, catalog: &Catalog, out: &mut Vec<Doc>) {
    let kind = record.kind.as_str();
    let id = record.id.as_str();
    let mut bodies: BTreeMap<Target, Vec<String>> = BTreeMap::new();
    let mut add = |target: Target, text: &str| {
        let text = text.trim();
        if text.is_empty() {
            return;
        }
        let texts = bodies.entry(target).or_default();
        if !texts.iter().any(|t| t == text) {
            texts.push(text.to_string());
        }
    };
    let field = |field: &str| Target::Record { kind: kind.into(), id: id.into(), field: field.into() };
    add(field("id"), id);
    for claim in &record.claims {
        if let FactValue::Text(text) = &claim.value {
            add(field(&claim.field), text);
        }
        if let Some(quote) = &claim.quote {
            add(field("quote"), quote);
        }
    }
    for item in &record.items {
        let target =
            Target::AnnexItem { kind: kind.into(), id: id.into(), list: item.list.clone(), label: item.label.clone() };
        match &item.heading {
            Some(heading) => add(target, &format!("{heading}: {}", item.text)),
            None => add(target, &item.text),
        }
    }
    let mut positions: BTreeMap<&str, usize> = BTreeMap::new();
    for paragraph in &record.paragraphs {
        let part = paragraph.part.as_str();
        let position = positions.entry(part).and_modify(|n| *n += 1).or_insert(1);
        let target = if record.kind == RecordKind::Document {
            Target::Paragraph { symbol: id.into(), number: paragraph_label(part, paragraph.number, *position) }
        } else {
            field("paragraph")
        };
        add(target, &paragraph.text);
    }
    let title = title(record, catalog);
    let year = year(record, catalog);
    for (target, texts) in bodies {
        out.push(Doc {
            target,
            source: RECORDS.to_string(),
            kind: kind.to_string(),
            title: title.clone(),
            year,
            state: None,
            // The presenters compute addresses from the target.
            link: String::new(),
            body: texts.join("\n"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_sits_beside_the_database_file() {
        assert_eq!(default_dir(Path::new("/data/normwatch.sqlite")), PathBuf::from("/data/normwatch.sqlite.index"));
        assert_eq!(default_dir(Path::new("nw.db")), PathBuf::from("nw.db.index"));
    }

    #[test]
    fn paragraphs_are_labelled_by_part_and_number() {
        assert_eq!(paragraph_label("operative", Some(3), 1), "op3");
        assert_eq!(paragraph_label("preambular", None, 2), "pp#2");
    }
}
