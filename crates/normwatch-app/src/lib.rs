//! The application layer: what the CLI and the web both do, in UI terms.
//!
//! An [`App`] owns the store, the measurement configuration and the caches. Its read
//! models (the [`Catalog`], the measurement, the imported roll calls) are computed once
//! per **store revision** and shared; a write anywhere (a knowledge-base load, an import)
//! moves the revision and the next read recomputes. There are no process-global caches:
//! two `App`s over two databases never see each other's data.
//!
//! The app knows the store's interface and the pure crates (core, votes, measure). It does
//! not know HTTP, HTML, JSON or the command line: presenters convert its plain data into
//! the contract types of `normwatch-api`.

pub mod accounts;
pub mod assess_crosswalk;
pub mod assess_json;
pub mod assessments;
pub mod catalog;
pub mod dataset;
mod fresh;
pub mod import;
pub mod kb;
pub mod measurement;
pub mod norms;
mod norms_json;
pub mod proxies;
pub mod search;
pub mod speeches;
pub mod texts;
pub mod texts_json;
pub mod vote_queries;
pub mod votes;
pub mod years;

use std::sync::{Arc, Mutex};

use normwatch_measure::Config as MeasureConfig;
use normwatch_store::{Store, StoreError};
use normwatch_votes::RollCall;

pub use catalog::{Catalog, RecordView};
pub use measurement::Measured;

/// What can go wrong in the application layer.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("measurement: {0}")]
    Measure(#[from] normwatch_measure::MeasureError),
    #[error("in {origin}: {message}")]
    Config { origin: String, message: String },
    #[error("{0}")]
    KnowledgeBase(String),
    #[error("cannot read {path}: {source}")]
    Read { path: std::path::PathBuf, source: std::io::Error },
    #[error("there is no search index: with PostgreSQL, give its folder with --index-dir DIR (NORMWATCH_INDEX_DIR)")]
    NoSearchIndex,
    #[error(transparent)]
    Search(#[from] normwatch_search::SearchError),
    #[error(transparent)]
    Speech(#[from] speeches::SpeechError),
}

pub type Result<T, E = AppError> = std::result::Result<T, E>;

/// The state of the database a cached value was computed from.
pub type Revision = String;

/// One cached value, valid for one revision of the store.
struct Slot<T> {
    value: Mutex<Option<(Revision, Arc<T>)>>,
}

impl<T> Default for Slot<T> {
    fn default() -> Self {
        Slot { value: Mutex::new(None) }
    }
}

impl<T> Slot<T> {
    fn get(&self, revision: &str) -> Option<Arc<T>> {
        let guard = self.value.lock().ok()?;
        match guard.as_ref() {
            Some((at, value)) if at == revision => Some(value.clone()),
            _ => None,
        }
    }

    fn put(&self, revision: Revision, value: Arc<T>) {
        if let Ok(mut guard) = self.value.lock() {
            *guard = Some((revision, value));
        }
    }
}

#[derive(Default)]
struct Caches {
    catalog: Slot<Catalog>,
    measured: Slot<Measured>,
    roll_calls: Slot<Vec<RollCall>>,
    speeches: Slot<Vec<normwatch_text::count::SpeechMeta>>,
    norms: Slot<norms::Norms>,
}

struct Inner {
    store: Store,
    measurement: MeasureConfig,
    caches: Caches,
    search: search::Engine,
    assess: assessments::State,
    revisions: fresh::SharedReads<Revision>,
}

/// The application: a store, the measurement parameters and the caches over them.
/// Cloning is cheap (one `Arc`).
#[derive(Clone)]
pub struct App {
    inner: Arc<Inner>,
}

impl App {
    /// An application over an open store, measuring with `measurement`
    /// (see [`measurement::load_config`]), with its search index beside a SQLite file
    /// ([`search::default_dir`]; none with PostgreSQL: see [`App::with_index_dir`]).
    pub fn new(store: Store, measurement: MeasureConfig) -> App {
        App::with_index_dir(store, measurement, None)
    }

    /// [`App::new`] with the search index in `index_dir` when it is given.
    pub fn with_index_dir(store: Store, measurement: MeasureConfig, index_dir: Option<std::path::PathBuf>) -> App {
        let dir = index_dir.or_else(|| store.path().map(search::default_dir));
        let search = search::Engine::new(dir);
        let inner = Inner {
            store,
            measurement,
            caches: Caches::default(),
            search,
            assess: Default::default(),
            revisions: Default::default(),
        };
        App { inner: Arc::new(inner) }
    }

    /// An application measuring with the built-in parameters. Their cited sources are
    /// checked against the built-in knowledge base by a test; a knowledge base loaded from
    /// a folder may lack them, so they are not checked here ([`measurement::load_config`]
    /// checks a user's file).
    pub async fn with_built_in_config(store: Store) -> Result<App> {
        Ok(App::new(store, MeasureConfig::default_config()?))
    }

    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    pub fn measurement_config(&self) -> &MeasureConfig {
        &self.inner.measurement
    }

    /// The store's current revision: it moves with every write transaction. Concurrent
    /// callers share one read of it, never one that started before they called
    /// (see [`fresh`]): what was committed before the call is in the answer.
    pub async fn revision(&self) -> Result<Revision> {
        Ok(self.inner.revisions.get(|| self.inner.store.data_version()).await?)
    }

    /// The catalog kept for `revision`, if one is (nothing is read).
    pub(crate) fn kept_catalog(&self, revision: &str) -> Option<Arc<Catalog>> {
        self.inner.caches.catalog.get(revision)
    }

    /// Keeps `catalog`, built from records read at `revision`, for the requests that follow.
    pub(crate) fn keep_catalog(&self, revision: &str, catalog: Arc<Catalog>) {
        self.inner.caches.catalog.put(revision.to_string(), catalog);
    }

    /// Everything the database holds, resolved; computed once per revision.
    pub async fn catalog(&self) -> Result<Arc<Catalog>> {
        let revision = self.revision().await?;
        if let Some(catalog) = self.inner.caches.catalog.get(&revision) {
            return Ok(catalog);
        }
        let catalog = Arc::new(Catalog::read(self.store()).await?);
        self.inner.caches.catalog.put(revision, catalog.clone());
        Ok(catalog)
    }

    /// The measurement (index, life cycles, figures) of the current revision.
    pub async fn measured(&self) -> Result<Arc<Measured>> {
        let revision = self.revision().await?;
        if let Some(measured) = self.inner.caches.measured.get(&revision) {
            return Ok(measured);
        }
        let measured = Arc::new(measurement::compute(self.store(), &self.inner.measurement).await?);
        self.inner.caches.measured.put(revision, measured.clone());
        Ok(measured)
    }

    /// Every General Assembly roll call of the imported datasets, chained without double
    /// counting, for the current revision.
    pub async fn roll_calls(&self) -> Result<Arc<Vec<RollCall>>> {
        let revision = self.revision().await?;
        if let Some(rolls) = self.inner.caches.roll_calls.get(&revision) {
            return Ok(rolls);
        }
        let tables = self.store().vote_tables(&normwatch_votes::analysis::Scope::default()).await?;
        let chained: Vec<RollCall> = normwatch_votes::analysis::chain(&tables).into_iter().cloned().collect();
        let rolls = Arc::new(chained);
        self.inner.caches.roll_calls.put(revision, rolls.clone());
        Ok(rolls)
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use normwatch_core::kb::{KbFile, load};

    use super::*;

    const FIXTURE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/fixtures/kb");

    const EXTRA: &str = "[[document]]\nsymbol = \"A/RES/99/1\"\n[[document.fact]]\nsource = \"doc A/RES/53/70\"\ntitle = \"A later resolution\"\nkind = \"resolution\"\n";

    fn fixture(extra: bool) -> Vec<KbFile> {
        let mut files = normwatch_store::kb_files::from_folder(Path::new(FIXTURE)).expect("the fixture reads");
        if extra {
            files.push(KbFile { path: "documents/extra.toml".into(), text: EXTRA.into() });
        }
        files
    }

    async fn app_on(dir: &Path, name: &str, extra: bool) -> App {
        let store = Store::open(&dir.join(name)).await.unwrap();
        store.load_kb(&load(&fixture(extra)).unwrap_or_else(|e| panic!("{e}")), "test").await.unwrap();
        App::with_built_in_config(store).await.unwrap()
    }

    #[tokio::test]
    async fn the_catalog_is_kept_per_revision_and_recomputed_after_a_write() {
        let dir = tempfile::tempdir().unwrap();
        let app = app_on(dir.path(), "a.sqlite", false).await;
        let first = app.catalog().await.unwrap();
        let again = app.catalog().await.unwrap();
        assert!(Arc::ptr_eq(&first, &again), "a read without a write reuses the catalog");
        assert!(first.document("A/RES/99/1").is_none());
        let before = app.revision().await.unwrap();
        app.store().load_kb(&load(&fixture(true)).unwrap(), "test-2").await.unwrap();
        assert_ne!(app.revision().await.unwrap(), before, "a load moves the revision");
        let after = app.catalog().await.unwrap();
        assert!(!Arc::ptr_eq(&first, &after));
        assert!(after.document("A/RES/99/1").is_some(), "the new document is seen after the write");
    }

    #[tokio::test]
    async fn catching_up_the_search_index_after_a_write_keeps_the_catalog_it_built() {
        let dir = tempfile::tempdir().unwrap();
        let app = app_on(dir.path(), "s.sqlite", false).await;
        app.store().load_kb(&load(&fixture(true)).unwrap(), "test-2").await.unwrap();
        let revision = app.revision().await.unwrap();
        assert!(app.kept_catalog(&revision).is_none(), "nothing read since the write");
        // Words, not a symbol: the search itself asks for no catalog.
        let asked = app.ask(&search::Ask { q: "later resolution", limit: 10, ..Default::default() }).await.unwrap();
        assert!(asked.exact.is_none());
        assert!(asked.hits.iter().any(|h| h.owner().1 == "A/RES/99/1"), "the new document is found");
        let kept = app.kept_catalog(&revision).expect("the catch-up keeps the catalog it built from its one read");
        assert!(Arc::ptr_eq(&kept, &app.catalog().await.unwrap()), "the next request reads nothing again");
        assert!(kept.document("A/RES/99/1").is_some());
    }

    #[tokio::test]
    async fn two_apps_over_two_databases_share_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let plain = app_on(dir.path(), "plain.sqlite", false).await;
        let extended = app_on(dir.path(), "extended.sqlite", true).await;
        assert!(extended.catalog().await.unwrap().document("A/RES/99/1").is_some());
        assert!(plain.catalog().await.unwrap().document("A/RES/99/1").is_none());
        assert!(extended.catalog().await.unwrap().document("A/RES/99/1").is_some());
    }

    #[tokio::test]
    async fn the_measurement_is_kept_per_revision() {
        let dir = tempfile::tempdir().unwrap();
        let app = app_on(dir.path(), "m.sqlite", false).await;
        let first = app.measured().await.unwrap();
        assert!(Arc::ptr_eq(&first, &app.measured().await.unwrap()));
        app.store().load_kb(&load(&fixture(true)).unwrap(), "test-2").await.unwrap();
        assert!(!Arc::ptr_eq(&first, &app.measured().await.unwrap()));
    }
}
