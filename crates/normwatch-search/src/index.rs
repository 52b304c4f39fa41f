//! The index directory: its schema, writing documents, and the revision it reflects.
//!
//! **All or nothing.** A rebuild is one tantivy commit: every old document is deleted and
//! every new one added by one writer, and only `commit` publishes the result, by atomically
//! replacing `meta.json` (written to a temporary file, then renamed). Until then readers,
//! and any process opening the directory after a crash, see the previous commit; segment
//! files left by an unfinished rebuild are unreferenced and removed by the next commit's
//! garbage collection. If the caller's documents fail midway, the writer is rolled back.
//! This was chosen over building a fresh directory and swapping it in because tantivy
//! already gives the atomic switch, a swap of non-empty directories is not atomic on POSIX,
//! and open readers keep working across the commit without reopening anything.
//!
//! **Stamp.** Each commit carries a [`Stamp`] as its payload in `meta.json`: the store
//! revision the documents reflect and, per source, the version of that source's content
//! the caller indexed. The stamp changes in the same atomic step as the documents.
//! [`SearchIndex::stamp`] is what the served searcher reflects (a memory read);
//! [`SearchIndex::stored_stamp`] reads the directory (a small JSON file), so an application
//! can compare it with the store's revision and [`SearchIndex::refresh`] or rewrite only
//! the sources whose version moved.

use std::collections::{BTreeMap, HashSet};
use std::error::Error as StdError;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use tantivy::schema::{
    FAST, Field, INDEXED, IndexRecordOption, NumericOptions, STORED, STRING, Schema, TextFieldIndexing, TextOptions,
};
use tantivy::tokenizer::{LowerCaser, SimpleTokenizer, TextAnalyzer};
use tantivy::{Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument, Term};

use crate::target::Target;

/// The name the token rule is registered under in the index.
const TOKENIZER: &str = "normwatch";
const PAYLOAD_HEADER: &str = "normwatch-stamp 1";
/// tantivy refuses less than 15 MB of indexing memory per thread.
const MIN_THREAD_MEMORY: usize = 16 * 1024 * 1024;

/// What can go wrong with the index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    #[error("cannot create the search index folder {path}: {source}")]
    CreateDir { path: PathBuf, source: std::io::Error },
    #[error("the search index at {path} cannot be opened: {source}")]
    Open { path: PathBuf, source: tantivy::TantivyError },
    #[error(
        "the search index at {path} was written with another layout; it is derived data: remove the folder and rebuild it"
    )]
    OtherLayout { path: PathBuf },
    #[error("another process is writing the search index at {path} (its lock is held); try again when it has finished")]
    Busy { path: PathBuf },
    #[error("the search index stamp cannot hold `{value}`: {reason}")]
    BadStamp { value: String, reason: &'static str },
    #[error("document {key}: field `{field}` {reason}")]
    BadDocument { key: String, field: &'static str, reason: String },
    #[error("reading the documents to index failed after {indexed} of them, so the index was left as it was: {source}")]
    Source { indexed: usize, source: Box<dyn StdError + Send + Sync> },
    #[error(transparent)]
    Query(#[from] crate::query::QueryError),
    #[error(
        "`{prefix}*` matches {count} different words in the index, more than {max}; make the prefix longer",
        max = crate::search::MAX_EXPANSIONS
    )]
    PrefixTooBroad { prefix: String, count: usize },
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
}

pub type Result<T> = std::result::Result<T, SearchError>;

/// What a commit of the index reflects: the store revision, and per source (`kb`,
/// `speeches`…) the version of its content that was indexed, so that a caller rewrites only
/// the sources that changed. Revisions and versions are opaque words (no whitespace).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stamp {
    pub revision: String,
    pub sources: BTreeMap<String, String>,
}

impl Stamp {
    /// A stamp for `revision` without source versions.
    pub fn new(revision: impl Into<String>) -> Stamp {
        Stamp { revision: revision.into(), sources: BTreeMap::new() }
    }

    /// The same stamp with `source` at `version`.
    pub fn with_source(mut self, source: impl Into<String>, version: impl Into<String>) -> Stamp {
        self.sources.insert(source.into(), version.into());
        self
    }

    /// The version of `source` this stamp records.
    pub fn source(&self, source: &str) -> Option<&str> {
        self.sources.get(source).map(String::as_str)
    }

    fn check(&self) -> Result<()> {
        let words = std::iter::once(&self.revision).chain(self.sources.iter().flat_map(|(k, v)| [k, v]));
        for word in words {
            if word.is_empty() || word.chars().any(char::is_whitespace) {
                return Err(SearchError::BadStamp {
                    value: word.clone(),
                    reason: "revisions, sources and versions are non-empty words without whitespace",
                });
            }
        }
        Ok(())
    }

    /// `normwatch-stamp 1`, then `revision R` and one `source NAME VERSION` line per source.
    fn to_payload(&self) -> String {
        let mut out = format!("{PAYLOAD_HEADER}\nrevision {}\n", self.revision);
        for (source, version) in &self.sources {
            out.push_str(&format!("source {source} {version}\n"));
        }
        out
    }

    fn from_payload(payload: Option<&str>) -> Option<Stamp> {
        let mut lines = payload?.lines();
        if lines.next()? != PAYLOAD_HEADER {
            return None;
        }
        let revision = lines.next()?.strip_prefix("revision ")?.to_string();
        let mut stamp = Stamp::new(revision);
        for line in lines {
            let mut words = line.strip_prefix("source ")?.split(' ');
            let (source, version) = (words.next()?, words.next()?);
            if words.next().is_some() {
                return None;
            }
            stamp.sources.insert(source.to_string(), version.to_string());
        }
        Some(stamp)
    }
}

/// One thing to make searchable. The caller computes `link` from `target`.
#[derive(Clone, Debug, PartialEq)]
pub struct Doc {
    pub target: Target,
    /// What the document was derived from (`kb`, `speeches`, `texts`…): the unit of
    /// [`SearchIndex::replace_source`].
    pub source: String,
    /// The label the kind filter matches (`document`, `paragraph`, `speech`…).
    pub kind: String,
    pub title: String,
    pub year: Option<i32>,
    /// The state, as an ISO 3166-1 alpha-3 code in capitals (`USA`), when there is one.
    pub state: Option<String>,
    pub link: String,
    /// The searched text.
    pub body: String,
}

impl Doc {
    fn check(&self) -> Result<()> {
        let bad = |field, reason: &str| {
            Err(SearchError::BadDocument { key: self.target.key(), field, reason: reason.to_string() })
        };
        if self.source.is_empty() {
            return bad("source", "is empty");
        }
        if self.kind.is_empty() {
            return bad("kind", "is empty");
        }
        if let Some(state) = &self.state
            && !(state.len() == 3 && state.bytes().all(|b| b.is_ascii_uppercase()))
        {
            return bad("state", &format!("is `{state}`, not an ISO3 code of three capital letters"));
        }
        Ok(())
    }
}

/// How many threads and how much memory a writer uses.
#[derive(Clone, Copy, Debug)]
pub struct WriterConfig {
    pub threads: usize,
    /// Overall indexing memory, split between the threads (raised to 16 MiB each if less).
    pub memory_bytes: usize,
}

impl Default for WriterConfig {
    fn default() -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(2);
        WriterConfig { threads, memory_bytes: threads * 48 * 1024 * 1024 }
    }
}

/// What a write did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteStats {
    pub documents: usize,
    pub revision: String,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Fields {
    pub key: Field,
    pub target: Field,
    pub group: Field,
    pub source: Field,
    pub kind: Field,
    pub year: Field,
    pub state: Field,
    pub title: Field,
    pub link: Field,
    pub body: Field,
}

fn schema() -> (Schema, Fields) {
    let mut builder = Schema::builder();
    let body_options = TextOptions::default().set_stored().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(TOKENIZER)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions),
    );
    let fields = Fields {
        key: builder.add_text_field("key", STRING | STORED),
        target: builder.add_text_field("target", STRING),
        group: builder.add_u64_field("group", FAST),
        source: builder.add_text_field("source", STRING),
        kind: builder.add_text_field("kind", STRING | STORED),
        year: builder.add_i64_field("year", NumericOptions::default() | INDEXED | FAST | STORED),
        state: builder.add_text_field("state", STRING | STORED),
        title: builder.add_text_field("title", STORED),
        link: builder.add_text_field("link", STORED),
        body: builder.add_text_field("body", body_options),
    };
    (builder.build(), fields)
}

/// A stable 64-bit hash (FNV-1a) of a group key, stored as a fast field so that hits can be
/// collapsed per group without reading stored documents. Two groups would merge only on a
/// 64-bit collision (probability about n²/2⁶⁵: 10⁻¹⁰ for 10⁵ groups).
pub(crate) fn group_hash(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

pub(crate) struct Current {
    pub searcher: Searcher,
    pub stamp: Option<Stamp>,
}

/// A search index in a directory.
pub struct SearchIndex {
    path: PathBuf,
    index: Index,
    reader: IndexReader,
    pub(crate) fields: Fields,
    current: RwLock<Arc<Current>>,
    config: WriterConfig,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the folder and an empty index (no revision) if
    /// there is none.
    pub fn open(dir: &Path) -> Result<SearchIndex> {
        SearchIndex::open_with(dir, WriterConfig::default())
    }

    pub fn open_with(dir: &Path, config: WriterConfig) -> Result<SearchIndex> {
        let path = dir.to_path_buf();
        std::fs::create_dir_all(dir).map_err(|source| SearchError::CreateDir { path: path.clone(), source })?;
        let (schema, fields) = schema();
        let open_error = |source| SearchError::Open { path: path.clone(), source };
        let index = if dir.join("meta.json").exists() {
            let index = Index::open_in_dir(dir).map_err(open_error)?;
            if index.schema() != schema {
                return Err(SearchError::OtherLayout { path });
            }
            index
        } else {
            Index::create_in_dir(dir, schema).map_err(open_error)?
        };
        index
            .tokenizers()
            .register(TOKENIZER, TextAnalyzer::builder(SimpleTokenizer::default()).filter(LowerCaser).build());
        // The stamp first, so that it is never newer than what the reader loads.
        let stamp = Stamp::from_payload(index.load_metas().map_err(open_error)?.payload.as_deref());
        let reader = index.reader_builder().reload_policy(ReloadPolicy::Manual).try_into().map_err(open_error)?;
        let current = RwLock::new(Arc::new(Current { searcher: reader.searcher(), stamp }));
        Ok(SearchIndex { path, index, reader, fields, current, config })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What the documents being searched reflect (`None`: never built).
    pub fn stamp(&self) -> Option<Stamp> {
        self.current().stamp.clone()
    }

    /// The store revision the documents being searched reflect (`None`: never built).
    pub fn revision(&self) -> Option<String> {
        self.current().stamp.as_ref().map(|s| s.revision.clone())
    }

    /// The stamp of the last commit in the directory, which another process may have
    /// made since this one last looked.
    pub fn stored_stamp(&self) -> Result<Option<Stamp>> {
        Ok(Stamp::from_payload(self.index.load_metas()?.payload.as_deref()))
    }

    /// The revision of the last commit in the directory.
    pub fn stored_revision(&self) -> Result<Option<String>> {
        Ok(self.stored_stamp()?.map(|s| s.revision))
    }

    /// Starts serving the last commit in the directory; returns its stamp.
    ///
    /// The stamp is read before the reader reloads, so if another process commits in
    /// between, the stamp is older than what is served, never newer: a caller comparing it
    /// with the store's revision refreshes once more, and never trusts a stale index.
    pub fn refresh(&self) -> Result<Option<Stamp>> {
        let stamp = Stamp::from_payload(self.index.load_metas()?.payload.as_deref());
        self.reader.reload()?;
        let searcher = self.reader.searcher();
        *self.current.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(Current { searcher, stamp: stamp.clone() });
        Ok(stamp)
    }

    pub(crate) fn current(&self) -> Arc<Current> {
        self.current.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// Replaces every document of the index with `docs`, as one commit stamped `stamp`.
    /// If a document is invalid or the iterator yields an error, nothing changes.
    pub fn rebuild<I, E>(&self, docs: I, stamp: &Stamp) -> Result<WriteStats>
    where
        I: IntoIterator<Item = std::result::Result<Doc, E>>,
        E: Into<Box<dyn StdError + Send + Sync>>,
    {
        self.write(None, docs, stamp)
    }

    /// Replaces the documents of one source (e.g. every speech) with `docs`, as one commit
    /// stamped `stamp`; documents of other sources stay. All or nothing, as [`Self::rebuild`].
    pub fn replace_source<I, E>(&self, source: &str, docs: I, stamp: &Stamp) -> Result<WriteStats>
    where
        I: IntoIterator<Item = std::result::Result<Doc, E>>,
        E: Into<Box<dyn StdError + Send + Sync>>,
    {
        self.write(Some(&[source]), docs, stamp)
    }

    /// Replaces the documents of several sources at once (`docs` may mix them), as one
    /// commit stamped `stamp`; with no sources and no documents, only the stamp moves.
    pub fn replace_sources<I, E>(&self, sources: &[&str], docs: I, stamp: &Stamp) -> Result<WriteStats>
    where
        I: IntoIterator<Item = std::result::Result<Doc, E>>,
        E: Into<Box<dyn StdError + Send + Sync>>,
    {
        self.write(Some(sources), docs, stamp)
    }

    fn writer(&self) -> Result<IndexWriter<TantivyDocument>> {
        let threads = self.config.threads.max(1);
        let memory = self.config.memory_bytes.max(threads * MIN_THREAD_MEMORY);
        self.index.writer_with_num_threads(threads, memory).map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => SearchError::Busy { path: self.path.clone() },
            other => other.into(),
        })
    }

    fn write<I, E>(&self, sources: Option<&[&str]>, docs: I, stamp: &Stamp) -> Result<WriteStats>
    where
        I: IntoIterator<Item = std::result::Result<Doc, E>>,
        E: Into<Box<dyn StdError + Send + Sync>>,
    {
        stamp.check()?;
        let mut writer = self.writer()?;
        let added = match sources {
            None => writer.delete_all_documents().map_err(SearchError::from),
            Some(sources) => {
                for source in sources {
                    writer.delete_term(Term::from_field_text(self.fields.source, source));
                }
                Ok(0)
            }
        }
        .and_then(|_| self.add_all(&writer, sources, docs));
        let documents = match added {
            Ok(n) => n,
            Err(e) => {
                // Nothing was committed, so the index is unchanged whatever the rollback
                // says; the rollback only frees the writer's work.
                let _ = writer.rollback();
                return Err(e);
            }
        };
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&stamp.to_payload());
        prepared.commit()?;
        writer.wait_merging_threads()?;
        self.refresh()?;
        Ok(WriteStats { documents, revision: stamp.revision.clone() })
    }

    fn add_all<I, E>(&self, writer: &IndexWriter<TantivyDocument>, sources: Option<&[&str]>, docs: I) -> Result<usize>
    where
        I: IntoIterator<Item = std::result::Result<Doc, E>>,
        E: Into<Box<dyn StdError + Send + Sync>>,
    {
        let f = &self.fields;
        let mut keys = HashSet::new();
        for (n, doc) in docs.into_iter().enumerate() {
            let doc = doc.map_err(|e| SearchError::Source { indexed: n, source: e.into() })?;
            doc.check()?;
            if let Some(sources) = sources
                && !sources.contains(&doc.source.as_str())
            {
                return Err(SearchError::BadDocument {
                    key: doc.target.key(),
                    field: "source",
                    reason: format!("is `{}` in a replacement of the sources {}", doc.source, sources.join(", ")),
                });
            }
            let key = doc.target.key();
            if !keys.insert(key.clone()) {
                return Err(SearchError::BadDocument { key, field: "target", reason: "appears twice".into() });
            }
            let mut d = TantivyDocument::new();
            d.add_u64(f.group, group_hash(&doc.target.group_key()));
            d.add_text(f.key, &key);
            d.add_text(f.target, doc.target.tag());
            d.add_text(f.source, &doc.source);
            d.add_text(f.kind, &doc.kind);
            if let Some(year) = doc.year {
                d.add_i64(f.year, i64::from(year));
            }
            if let Some(state) = &doc.state {
                d.add_text(f.state, state);
            }
            d.add_text(f.title, &doc.title);
            d.add_text(f.link, &doc.link);
            d.add_text(f.body, &doc.body);
            writer.add_document(d)?;
        }
        Ok(keys.len())
    }

    /// How many documents the served searcher holds.
    pub fn len(&self) -> u64 {
        self.current().searcher.num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn group_hash_is_fnv1a() {
        // Published FNV-1a 64 test vectors.
        assert_eq!(group_hash(""), 0xcbf29ce484222325);
        assert_eq!(group_hash("a"), 0xaf63dc4c8601ec8c);
        assert_eq!(group_hash("foobar"), 0x85944171f73967e8);
    }

    #[test]
    fn an_index_can_be_shared_between_threads() {
        fn shared<T: Send + Sync>() {}
        shared::<SearchIndex>();
    }

    #[test]
    fn stamps_round_trip_through_the_payload() {
        let stamp = Stamp::new("db1:42").with_source("kb", "db1:42").with_source("speeches", "9f2c");
        assert_eq!(Stamp::from_payload(Some(&stamp.to_payload())), Some(stamp));
        assert_eq!(Stamp::from_payload(Some("normwatch-revision=42")), None);
        assert_eq!(Stamp::from_payload(Some("normwatch-stamp 1\nrevision 1\nsource a b c\n")), None);
        assert_eq!(Stamp::from_payload(None), None);
    }

    #[test]
    fn stamps_refuse_whitespace() {
        assert!(Stamp::new("a b").check().is_err());
        assert!(Stamp::new("1").with_source("kb", "").check().is_err());
        assert!(Stamp::new("1").with_source("kb", "x").check().is_ok());
    }
}
