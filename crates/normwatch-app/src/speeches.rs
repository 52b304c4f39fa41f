//! The UN General Debate Corpus: importing it (`normwatch import speeches PATH`) and
//! counting words in it (term tables by year or state, the first use per state,
//! keyword-in-context), exactly, from the inverted index the import stores.
//!
//! An import reads a `.tar.gz` (or `.tar`) as a stream, or a folder of `ISO3_NN_YYYY.txt`
//! files, on a blocking thread that also builds the index and hands speeches over a
//! channel to the store, all in one transaction: a failure anywhere leaves the database as
//! it was. Every entry that is not a speech, every second speech of a speaker in a session
//! and every speaker code the state registry does not know is reported, never dropped
//! silently (an unknown code's speeches are stored under the corpus's code).

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use normwatch_core::Iso3;
use normwatch_core::state::StateRegistry;
use normwatch_measure::{Debate, Mention};
use normwatch_store::speeches::{NewSpeech, SpeechImportSummary, SpeechSource, StoredSpeech};
use normwatch_store::{Store, StoreError};
use normwatch_text::count::{self, Kwic, Scope, SpeechMeta, TermRow};
use normwatch_text::index::{IndexBuilder, PostingsError};
use normwatch_text::pattern::{Pattern, PatternError};
use normwatch_text::ungdc::{self, EntryProblem, Speaker, Speech};
use sha2::{Digest, Sha256};

use crate::App;
use crate::import::Progress;

pub use normwatch_text::count::By;

/// What can go wrong importing or counting speeches.
#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    #[error("{0} does not exist; give the corpus's .tar.gz (or .tar) or a folder of ISO3_NN_YYYY.txt files")]
    Missing(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Archive(#[from] ungdc::ReadError),
    #[error("{0} holds no speech: nothing was imported")]
    Empty(PathBuf),
    #[error("storing the speeches: {0}")]
    Store(#[from] StoreError),
    #[error("the thread reading {0} stopped unexpectedly")]
    Thread(String),
    #[error("the pattern `{pattern}`: {error}")]
    Pattern { pattern: String, error: PatternError },
    #[error("the database's term index is damaged: {0}; import the speeches again")]
    Postings(#[from] PostingsError),
    #[error("the database's speeches and term index disagree: {0}; import the speeches again")]
    Count(#[from] count::CountError),
    #[error(
        "the database holds no General Debate speeches: import them first with `normwatch import speeches PATH` (the corpus's .tar.gz or a folder)"
    )]
    NoSpeeches,
    #[error("no speaker `{input}` in the corpus{hint}")]
    UnknownSpeaker { input: String, hint: String },
    #[error("the year range {from}–{to} is empty")]
    Years { from: u16, to: u16 },
}

impl SpeechError {
    /// A request that names nothing the database holds (exit code 3, HTTP 404).
    pub fn is_not_found(&self) -> bool {
        matches!(self, SpeechError::NoSpeeches | SpeechError::UnknownSpeaker { .. })
    }

    /// A request that cannot be understood (exit code 2, HTTP 400).
    pub fn is_usage(&self) -> bool {
        matches!(self, SpeechError::Pattern { .. } | SpeechError::Years { .. })
    }
}

pub type Result<T, E = SpeechError> = std::result::Result<T, E>;

/// A speech entry that was not stored, with its path and the reason.
pub type Problem = EntryProblem;

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeechImportReport {
    pub path: PathBuf,
    pub stored: SpeechImportSummary,
    /// Entries that are not speeches, and second speeches of a speaker in a session.
    pub problems: Vec<Problem>,
    /// Speaker codes the state registry does not know, with their number of speeches
    /// (stored under the corpus's code).
    pub unresolved: BTreeMap<String, usize>,
    /// The files read, with their SHA-256.
    pub sources: Vec<(String, String)>,
}

/// Speeches per message from the reading thread to the store.
const BATCH: usize = 100;

/// What the reading thread hands back when it is done.
struct ReadOutcome {
    documents: u32,
    terms: Vec<(String, Vec<u8>)>,
    problems: Vec<Problem>,
    unresolved: BTreeMap<String, usize>,
    sources: Vec<(String, String)>,
}

enum Message {
    Source(String, String),
    Speeches(Vec<NewSpeech>),
}

/// The bytes `path` holds, for a progress bar: the archive's size, or the sum of the
/// folder's files.
pub fn speech_bytes(path: &Path) -> u64 {
    if path.is_dir() {
        walk(path).map(|files| files.iter().filter_map(|f| f.metadata().ok()).map(|m| m.len()).sum()).unwrap_or(0)
    } else {
        path.metadata().map(|m| m.len()).unwrap_or(0)
    }
}

impl App {
    /// Imports the General Debate Corpus from an archive (`.tar.gz`, `.tar`) or a folder,
    /// replacing every speech held, in one transaction.
    pub async fn import_speeches(&self, path: &Path, progress: Arc<dyn Progress>) -> Result<SpeechImportReport> {
        import_speeches(self.store(), path, progress).await
    }

    /// Every speech's state, session, year and word count, in document order; read once
    /// per store revision.
    pub async fn speech_metas(&self) -> Result<Arc<Vec<SpeechMeta>>> {
        let revision = self.store().data_version().await?;
        if let Some(metas) = self.inner.caches.speeches.get(&revision) {
            return Ok(metas);
        }
        let metas = Arc::new(self.store().speech_metas().await?);
        self.inner.caches.speeches.put(revision, metas.clone());
        Ok(metas)
    }

    /// The term table of a pattern, by year or by state, over a scope.
    pub async fn terms(&self, pattern: &str, by: By, scope: &SpeechScope) -> Result<TermTable> {
        let (pattern, metas, hits) = self.hits(pattern).await?;
        let scope = scope.resolve(&metas)?;
        let rows = count::term_table(&metas, &hits, by, &scope)?;
        Ok(TermTable { pattern: pattern.to_string(), by, rows })
    }

    /// For each speaker, its first speech using the pattern, ordered by year, with the
    /// sentence around the first use (`window` tokens each side).
    pub async fn first_uses(&self, pattern: &str, scope: &SpeechScope, window: usize) -> Result<Vec<FirstUse>> {
        let (pattern, metas, hits) = self.hits(pattern).await?;
        let scope = scope.resolve(&metas)?;
        let firsts = count::first_uses(&metas, &hits, &scope)?;
        let docs: Vec<u32> = firsts.iter().map(|f| f.doc).collect();
        let texts: BTreeMap<u32, String> = self.store().speech_texts(&docs).await?.into_iter().collect();
        Ok(firsts
            .into_iter()
            .map(|f| {
                let snippet = texts.get(&f.doc).and_then(|text| count::snippet(text, &pattern, f.position, window));
                FirstUse { state: f.state, year: f.year, session: f.session, snippet }
            })
            .collect())
    }

    /// Every occurrence of a pattern in the speeches of a scope, with `window` tokens of
    /// context each side (quanteda's `kwic`), in document order (by year, then speaker as
    /// the corpus is ordered).
    pub async fn kwic(&self, pattern: &str, window: usize, scope: &SpeechScope) -> Result<Vec<count::KwicRow>> {
        let (pattern, metas, hits) = self.hits(pattern).await?;
        let scope = scope.resolve(&metas)?;
        let docs: Vec<u32> = hits
            .docs
            .iter()
            .filter(|h| metas.get(h.doc as usize).is_some_and(|m| scope.contains(m)))
            .map(|h| h.doc)
            .collect();
        let mut rows = Vec::new();
        for (doc, text) in self.store().speech_texts(&docs).await? {
            if let Some(meta) = metas.get(doc as usize) {
                rows.extend(count::kwic_speech(meta, &text, &pattern, window, &scope));
            }
        }
        rows.sort_by(|a, b| (a.year, &a.state, a.line.position).cmp(&(b.year, &b.state, b.line.position)));
        Ok(rows)
    }

    /// The speech of a speaker (ISO3 code, name, or the corpus's own code) in a year.
    pub async fn speech(&self, speaker: &str, year: u16) -> Result<Option<StoredSpeech>> {
        let metas = self.speech_metas().await?;
        let code = speaker_code(speaker, &metas)?;
        Ok(self.store().speech(&code, year).await?)
    }

    /// The files the last speech import read.
    pub async fn speech_sources(&self) -> Result<Vec<SpeechSource>> {
        Ok(self.store().speech_sources().await?)
    }

    /// How many speeches the database holds (what a search index built from it covers).
    pub async fn speech_count(&self) -> Result<u64> {
        Ok(self.store().speech_count().await?)
    }

    /// Every speech with its text, in pages of `page` speeches, in document order: for
    /// building a search index from the database. `each` gets every page in turn.
    pub async fn for_each_speech_page(
        &self,
        page: u32,
        mut each: impl FnMut(Vec<StoredSpeech>) -> Result<()>,
    ) -> Result<u64> {
        let mut after = None;
        let mut seen = 0;
        loop {
            let speeches = self.store().speeches_after(after, page.max(1)).await?;
            let Some(last) = speeches.last() else { return Ok(seen) };
            after = Some(last.doc);
            seen += speeches.len() as u64;
            each(speeches)?;
        }
    }

    async fn hits(&self, pattern: &str) -> Result<(Pattern, Arc<Vec<SpeechMeta>>, normwatch_text::index::Hits)> {
        let parsed =
            Pattern::parse(pattern).map_err(|error| SpeechError::Pattern { pattern: pattern.to_string(), error })?;
        let metas = self.speech_metas().await?;
        if metas.is_empty() {
            return Err(SpeechError::NoSpeeches);
        }
        let postings = self.store().speech_postings(&parsed).await?;
        let hits = normwatch_text::index::count(&parsed, &postings)?;
        Ok((parsed, metas, hits))
    }
}

/// Which speeches a count covers, as a user gives it: years and a speaker (an ISO3 code, a
/// name the state registry knows, or the corpus's own code such as `EU`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SpeechScope {
    pub from: Option<u16>,
    pub to: Option<u16>,
    pub state: Option<String>,
}

impl SpeechScope {
    fn resolve(&self, metas: &[SpeechMeta]) -> Result<Scope> {
        if let (Some(from), Some(to)) = (self.from, self.to)
            && from > to
        {
            return Err(SpeechError::Years { from, to });
        }
        let state = self.state.as_deref().map(|s| speaker_code(s, metas)).transpose()?;
        Ok(Scope { from: self.from, to: self.to, state })
    }
}

/// The corpus's code of a speaker a user names.
fn speaker_code(input: &str, metas: &[SpeechMeta]) -> Result<String> {
    let upper = input.trim().to_ascii_uppercase();
    if metas.iter().any(|m| m.state == upper) {
        return Ok(upper);
    }
    let registry = StateRegistry::global();
    if let Some(info) = registry.lookup(input) {
        return Ok(info.iso3.as_str().to_string());
    }
    let suggestions = registry.suggest(input);
    let hint =
        if suggestions.is_empty() { String::new() } else { format!("; did you mean {}?", suggestions.join(", ")) };
    Err(SpeechError::UnknownSpeaker { input: input.to_string(), hint })
}

/// The byte ranges of a text where a pattern occurs (for highlighting a speech).
pub fn marks(text: &str, pattern: &str) -> Result<Vec<(usize, usize)>> {
    let parsed =
        Pattern::parse(pattern).map_err(|error| SpeechError::Pattern { pattern: pattern.to_string(), error })?;
    Ok(count::kwic(text, &parsed, 0).into_iter().map(|k| (k.start, k.end)).collect())
}

/// A term table.
#[derive(Clone, Debug, PartialEq)]
pub struct TermTable {
    /// The pattern in its canonical form.
    pub pattern: String,
    pub by: By,
    pub rows: Vec<TermRow>,
}

/// A speaker's first speech using a pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FirstUse {
    pub state: String,
    pub year: u16,
    pub session: u16,
    pub snippet: Option<Kwic>,
}

/// The id `kb/sources.toml` registers for the UN General Debate Corpus: the source of every
/// count made from the imported speeches.
pub const CORPUS_SOURCE: &str = "ungdc";

/// Tokens of context each side of a salience mention's snippet.
const MENTION_WINDOW: usize = 8;

/// What states said in the General Debate, for the salience indicator: per year the states
/// with a speech (speakers the state registry knows; the EU is not a state) and every such
/// speech that uses a pattern of `lexicon`, with the words around its first use. Empty when
/// no speeches are imported.
pub async fn debate(store: &Store, lexicon: &[String]) -> Result<Debate> {
    let metas = store.speech_metas().await?;
    if metas.is_empty() {
        return Ok(Debate::default());
    }
    let registry = StateRegistry::global();
    let state_of = |code: &str| Iso3::parse(code).ok().filter(|iso3| registry.get(*iso3).is_some());
    let mut speakers: BTreeMap<i32, u32> = BTreeMap::new();
    for meta in metas.iter() {
        if state_of(&meta.state).is_some() {
            *speakers.entry(i32::from(meta.year)).or_default() += 1;
        }
    }
    // doc → (patterns used, occurrences, the first pattern and its first position)
    let mut used: BTreeMap<u32, (Vec<String>, u32, usize, u32)> = BTreeMap::new();
    let mut patterns = Vec::new();
    for (i, text) in lexicon.iter().enumerate() {
        let pattern = Pattern::parse(text).map_err(|error| SpeechError::Pattern { pattern: text.clone(), error })?;
        let postings = store.speech_postings(&pattern).await?;
        for hit in normwatch_text::index::count(&pattern, &postings)?.docs.into_iter().filter(|h| h.count > 0) {
            let entry = used.entry(hit.doc).or_insert_with(|| (Vec::new(), 0, i, hit.first));
            entry.0.push(text.clone());
            entry.1 += hit.count;
        }
        patterns.push(pattern);
    }
    used.retain(|doc, _| metas.get(*doc as usize).is_some_and(|m| state_of(&m.state).is_some()));
    let docs: Vec<u32> = used.keys().copied().collect();
    let texts: BTreeMap<u32, String> = store.speech_texts(&docs).await?.into_iter().collect();
    let mut mentions = Vec::new();
    for (doc, (terms, count, first_pattern, position)) in used {
        let Some(meta) = metas.get(doc as usize) else { continue };
        let Some(state) = state_of(&meta.state) else { continue };
        let snippet = texts
            .get(&doc)
            .and_then(|text| count::snippet(text, &patterns[first_pattern], position, MENTION_WINDOW))
            .map(|k| format!("{} {} {}", k.left, k.matched, k.right).trim().to_string())
            .unwrap_or_default();
        mentions.push(Mention {
            state,
            year: i32::from(meta.year),
            session: meta.session,
            terms,
            count,
            snippet,
            source: format!("{CORPUS_SOURCE} {}_{}_{}.txt", meta.state, meta.session, meta.year),
        });
    }
    mentions.sort_by_key(|m| (m.year, m.state));
    Ok(Debate { speakers, mentions, lexicon: lexicon.to_vec(), source: CORPUS_SOURCE.to_string() })
}

async fn import_speeches(store: &Store, path: &Path, progress: Arc<dyn Progress>) -> Result<SpeechImportReport> {
    if !path.exists() {
        return Err(SpeechError::Missing(path.to_path_buf()));
    }
    let mut import = store.begin_speech_import().await?;
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Message>(4);
    let owned = path.to_path_buf();
    let reading = tokio::task::spawn_blocking(move || read(&owned, progress, &sender));
    let mut stored = 0u64;
    while let Some(message) = receiver.recv().await {
        match message {
            Message::Source(source, sha256) => import.add_source(&source, &sha256).await?,
            Message::Speeches(batch) => {
                import.insert(&batch).await?;
                stored += batch.len() as u64;
            }
        }
    }
    let read = reading.await.map_err(|_| SpeechError::Thread(path.display().to_string()))??;
    if stored == 0 {
        return Err(SpeechError::Empty(path.to_path_buf()));
    }
    let summary = import.finish(read.documents, &read.terms).await?;
    Ok(SpeechImportReport {
        path: path.to_path_buf(),
        stored: summary,
        problems: read.problems,
        unresolved: read.unresolved,
        sources: read.sources,
    })
}

/// Reads the speeches, builds the index and sends the speeches on, in the same order. Stops
/// when nothing receives any more (the store failed).
fn read(path: &Path, progress: Arc<dyn Progress>, sender: &tokio::sync::mpsc::Sender<Message>) -> Result<ReadOutcome> {
    let mut state =
        Reading { builder: IndexBuilder::new(), seen: BTreeMap::new(), batch: Vec::new(), problems: Vec::new() };
    let mut sources = Vec::new();
    let mut stopped = false;
    if path.is_dir() {
        for file in walk(path).map_err(|source| SpeechError::Io { path: path.to_path_buf(), source })? {
            if stopped {
                break;
            }
            let name = file.display().to_string();
            let bytes = match std::fs::read(&file) {
                Ok(bytes) => bytes,
                Err(error) => {
                    state.problems.push(EntryProblem { path: name, reason: format!("cannot be read: {error}") });
                    continue;
                }
            };
            progress.read(bytes.len() as u64);
            let relative = file.strip_prefix(path).unwrap_or(&file).display().to_string();
            match ungdc::speech_from_bytes(&relative, &bytes) {
                Ok(speech) => {
                    // The file's row goes before the batch holding its speech.
                    if state.add(speech, &name) {
                        let sha256 = hex(&Sha256::digest(&bytes));
                        stopped |= sender.blocking_send(Message::Source(name.clone(), sha256.clone())).is_err();
                        sources.push((name, sha256));
                    }
                }
                Err(problem) => state.problems.push(problem),
            }
            if state.batch.len() >= BATCH {
                stopped |= state.flush(sender).is_err();
            }
        }
    } else {
        let file = File::open(path).map_err(|source| SpeechError::Io { path: path.to_path_buf(), source })?;
        let name = path.display().to_string();
        let mut hashing = Hashing { inner: file, hash: Sha256::new(), progress };
        // The archive's row comes last, when its hash is known: the speeches' reference
        // to it is checked at the commit.
        ungdc::read_archive(&mut hashing, &name, |entry| {
            if stopped {
                return;
            }
            match entry {
                Ok(speech) => {
                    state.add(speech, &name);
                }
                Err(problem) => state.problems.push(problem),
            }
            if state.batch.len() >= BATCH {
                stopped |= state.flush(sender).is_err();
            }
        })?;
        // Whatever follows the tar's end (padding) is part of the file and its hash.
        std::io::copy(&mut hashing, &mut std::io::sink())
            .map_err(|source| SpeechError::Io { path: path.to_path_buf(), source })?;
        let sha256 = hex(&hashing.hash.finalize());
        stopped |= sender.blocking_send(Message::Source(name.clone(), sha256.clone())).is_err();
        sources.push((name, sha256));
    }
    if !stopped {
        let _ = state.flush(sender);
    }
    let unresolved = state.unresolved();
    let documents = state.builder.documents();
    Ok(ReadOutcome {
        documents,
        terms: state.builder.finish().into_terms(),
        problems: state.problems,
        unresolved,
        sources,
    })
}

struct Reading {
    builder: IndexBuilder,
    /// (speaker, session) → the path of its speech, to report a second one.
    seen: BTreeMap<(String, u16), (String, bool)>,
    batch: Vec<NewSpeech>,
    problems: Vec<Problem>,
}

impl Reading {
    /// Adds a speech to the index and the next batch; a second speech of a speaker in a
    /// session is reported instead (false).
    fn add(&mut self, speech: Speech, source: &str) -> bool {
        let code = speech.speaker.code().to_string();
        let resolved = matches!(speech.speaker, Speaker::State(_));
        if let Some((first, _)) = self.seen.get(&(code.clone(), speech.session)) {
            self.problems.push(EntryProblem {
                path: speech.path,
                reason: format!(
                    "a second speech of {code} in session {} (the first is {first}); not stored",
                    speech.session
                ),
            });
            return false;
        }
        self.seen.insert((code.clone(), speech.session), (speech.path.clone(), resolved));
        self.builder.add(&speech.text);
        self.batch.push(NewSpeech {
            state: code,
            resolved,
            session: speech.session,
            year: speech.year,
            words: speech.words,
            text: speech.text,
            path: speech.path,
            source: source.to_string(),
        });
        true
    }

    fn flush(&mut self, sender: &tokio::sync::mpsc::Sender<Message>) -> Result<(), ()> {
        if self.batch.is_empty() {
            return Ok(());
        }
        sender.blocking_send(Message::Speeches(std::mem::take(&mut self.batch))).map_err(|_| ())
    }

    fn unresolved(&self) -> BTreeMap<String, usize> {
        let mut out = BTreeMap::new();
        for ((code, _), (_, resolved)) in &self.seen {
            if !resolved {
                *out.entry(code.clone()).or_default() += 1;
            }
        }
        out
    }
}

/// A reader that hashes what passes and reports progress.
struct Hashing<R> {
    inner: R,
    hash: Sha256,
    progress: Arc<dyn Progress>,
}

impl<R: Read> Read for Hashing<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hash.update(&buf[..n]);
        self.progress.read(n as u64);
        Ok(n)
    }
}

/// Every regular file under a folder, sorted by path (hidden files included: they are
/// reported like any other file that is not a speech).
fn walk(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let kind = entry.file_type()?;
            if kind.is_dir() {
                stack.push(entry.path());
            } else {
                out.push(entry.path());
            }
        }
    }
    out.sort();
    Ok(out)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::NoProgress;

    fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut builder = tar::Builder::new(Vec::new());
        for (path, data) in entries {
            let mut header = tar::Header::new_gnu();
            header.set_size(data.len() as u64);
            header.set_mode(0o644);
            header.set_entry_type(tar::EntryType::Regular);
            builder.append_data(&mut header, path, *data).unwrap();
        }
        let tar = builder.into_inner().unwrap();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, &tar).unwrap();
        gz.finish().unwrap()
    }

    const ENTRIES: [(&str, &[u8]); 5] = [
        ("ungdc/Session 53 - 1998/RUS_53_1998.txt", b"\xef\xbb\xbfInformation security,\r\ninformation security.\x0c"),
        ("ungdc/Session 53 - 1998/USA_53_1998.txt", b"Cyber threats and cyberspace."),
        ("ungdc/Session 66 - 2011/EU_66_2011.txt", b"Our cyber policy, again cyber."),
        ("ungdc/Session 66 - 2011/._EU_66_2011.txt", b"\0\0"),
        ("ungdc/Session 66 - 2011/USA_66_2011.txt", b"Nothing about it."),
    ];

    async fn app() -> (tempfile::TempDir, App) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
        (dir, App::with_built_in_config(store).await.unwrap())
    }

    #[tokio::test]
    async fn the_debate_counts_states_that_use_the_lexicon_and_leaves_the_eu_out() {
        let (dir, app) = app().await;
        let lexicon = vec!["cyber*".to_string(), "\"information security\"".to_string()];
        assert_eq!(debate(app.store(), &lexicon).await.unwrap(), Debate::default());
        let path = dir.path().join("corpus.tar.gz");
        std::fs::write(&path, archive(&ENTRIES)).unwrap();
        app.import_speeches(&path, Arc::new(NoProgress)).await.unwrap();
        let debate = debate(app.store(), &lexicon).await.unwrap();
        // 1998: RUS and USA speak; 2011: USA (the EU's speech is not a state's).
        assert_eq!(debate.speakers, BTreeMap::from([(1998, 2), (2011, 1)]));
        let found: Vec<(&str, i32, &[String], u32)> =
            debate.mentions.iter().map(|m| (m.state.as_str(), m.year, m.terms.as_slice(), m.count)).collect();
        assert_eq!(found, [("RUS", 1998, &lexicon[1..], 2), ("USA", 1998, &lexicon[..1], 2)]);
        assert_eq!(debate.mentions[0].snippet, "Information security , information security");
        assert_eq!(debate.mentions[1].source, "ungdc USA_53_1998.txt");
        let bad = debate_error(app.store(), &["\"unclosed".to_string()]).await;
        assert!(bad.contains("unclosed"), "{bad}");
    }

    async fn debate_error(store: &Store, lexicon: &[String]) -> String {
        debate(store, lexicon).await.unwrap_err().to_string()
    }

    #[tokio::test]
    async fn an_archive_is_imported_with_every_problem_and_unknown_code_reported() {
        let (dir, app) = app().await;
        let path = dir.path().join("corpus.tar.gz");
        std::fs::write(&path, archive(&ENTRIES)).unwrap();
        let report = app.import_speeches(&path, Arc::new(NoProgress)).await.unwrap();
        assert_eq!(report.stored.speeches, 4);
        assert_eq!(report.problems.len(), 1);
        assert_eq!(report.problems[0].path, "ungdc/Session 66 - 2011/._EU_66_2011.txt");
        assert_eq!(report.unresolved, BTreeMap::from([("EU".to_string(), 1)]));
        let expected = hex(&Sha256::digest(std::fs::read(&path).unwrap()));
        assert_eq!(report.sources, [(path.display().to_string(), expected.clone())]);
        let rus = app.speech("Russian Federation", 1998).await.unwrap().unwrap();
        assert_eq!(rus.text, "Information security,\ninformation security.\n");
        assert_eq!(rus.sha256, expected);

        let table = app.terms("cyber*", By::Year, &SpeechScope::default()).await.unwrap();
        let counts: Vec<(u64, u32, u32)> =
            table.rows.iter().map(|r| (r.count, r.speeches, r.speeches_with_term)).collect();
        assert_eq!(counts, [(2, 2, 1), (2, 2, 1)]);
        let scoped = SpeechScope { state: Some("eu".into()), ..SpeechScope::default() };
        let table = app.terms("cyber", By::State, &scoped).await.unwrap();
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].count, 2);
        let firsts = app.first_uses("\"information security\"", &SpeechScope::default(), 3).await.unwrap();
        assert_eq!(firsts.len(), 1);
        assert_eq!((firsts[0].state.as_str(), firsts[0].year), ("RUS", 1998));
        assert_eq!(firsts[0].snippet.as_ref().unwrap().matched, "Information security");
        let lines = app.kwic("cyber*", 2, &SpeechScope { from: Some(2000), ..SpeechScope::default() }).await.unwrap();
        let seen: Vec<(&str, &str, &str, &str)> = lines
            .iter()
            .map(|r| (r.state.as_str(), r.line.left.as_str(), r.line.matched.as_str(), r.line.right.as_str()))
            .collect();
        assert_eq!(seen, [("EU", "Our", "cyber", "policy, again"), ("EU", "policy, again", "cyber", "")]);

        let error = app
            .terms("cyber", By::Year, &SpeechScope { state: Some("Atlantis".into()), ..Default::default() })
            .await
            .unwrap_err();
        assert!(error.is_not_found(), "{error}");
        assert!(app.terms("\"", By::Year, &SpeechScope::default()).await.unwrap_err().is_usage());
        let backwards = SpeechScope { from: Some(2000), to: Some(1990), state: None };
        assert!(app.terms("cyber", By::Year, &backwards).await.unwrap_err().is_usage());

        let mut paged = Vec::new();
        let total = app
            .for_each_speech_page(3, |page| {
                paged.extend(page.into_iter().map(|s| (s.state, s.year)));
                Ok(())
            })
            .await
            .unwrap();
        assert_eq!(total, 4);
        assert_eq!(app.speech_count().await.unwrap(), 4);
        assert_eq!(paged[0], ("RUS".to_string(), 1998));
    }

    #[tokio::test]
    async fn a_folder_is_imported_each_file_with_its_hash_and_a_reimport_replaces() {
        let (dir, app) = app().await;
        let root = dir.path().join("txt");
        for (path, bytes) in &ENTRIES[..3] {
            let file = root.join(path);
            std::fs::create_dir_all(file.parent().unwrap()).unwrap();
            std::fs::write(file, bytes).unwrap();
        }
        // The same speaker and session twice, in another folder: reported, not stored.
        std::fs::create_dir_all(root.join("copy")).unwrap();
        std::fs::write(root.join("copy/USA_53_1998.txt"), b"Again.").unwrap();
        let report = app.import_speeches(&root, Arc::new(NoProgress)).await.unwrap();
        assert_eq!(report.stored.speeches, 3);
        assert_eq!(report.sources.len(), 3);
        assert_eq!(report.problems.len(), 1, "{:?}", report.problems);
        assert!(report.problems[0].reason.contains("second speech of USA"), "{}", report.problems[0]);
        assert!(app.terms("again", By::Year, &SpeechScope::default()).await.unwrap().rows.iter().all(|r| r.count <= 1));

        let path = dir.path().join("corpus.tar.gz");
        std::fs::write(&path, archive(&ENTRIES[3..])).unwrap();
        let report = app.import_speeches(&path, Arc::new(NoProgress)).await.unwrap();
        assert_eq!((report.stored.speeches, report.stored.replaced), (1, 3));
        let table = app.terms("cyber*", By::Year, &SpeechScope::default()).await.unwrap();
        assert_eq!(table.rows.iter().map(|r| r.count).sum::<u64>(), 0, "the earlier speeches are gone");

        let empty = dir.path().join("empty.tar.gz");
        std::fs::write(&empty, archive(&ENTRIES[3..4])).unwrap();
        assert!(matches!(app.import_speeches(&empty, Arc::new(NoProgress)).await, Err(SpeechError::Empty(_))));
        assert_eq!(app.speech_count().await.unwrap(), 1, "a failed import leaves the database as it was");
        assert!(matches!(
            app.import_speeches(&dir.path().join("nowhere"), Arc::new(NoProgress)).await,
            Err(SpeechError::Missing(_))
        ));
    }
}
