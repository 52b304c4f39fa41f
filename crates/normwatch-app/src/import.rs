//! Importing roll-call votes: which files make up which dataset (an [`ImportPlan`]), and
//! reading and storing them in one transaction (an [`ImportReport`]).
//!
//! Each dataset is parsed on a blocking thread that hands complete roll calls over a
//! channel to the store while it reads on, and its files are hashed (SHA-256) on a second
//! thread meanwhile. When storing fails the reader stops at its next read; nothing is
//! kept. Progress is reported through [`Progress`], so this module knows no terminal.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use normwatch_store::votes::{ImportSummary, ImportedFile, VotesImport};
use normwatch_store::{Store, StoreError};
use normwatch_votes::formats::{self, FileKind, Input, Streamed};
use normwatch_votes::model::{Dataset, RollCall};
use sha2::{Digest, Sha256};

use crate::App;

/// What can go wrong planning or running an import.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{0} does not exist; give a voting CSV file (gzipped or not) or a folder holding one dataset's files")]
    Missing(PathBuf),
    #[error("{0} holds no .csv or .csv.gz file")]
    EmptyFolder(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    /// A file's header or contents do not fit its format (file, line and column named).
    #[error(transparent)]
    Format(#[from] normwatch_votes::ImportError),
    #[error("{path} holds {found}, not {wanted} data")]
    WrongFormat { path: PathBuf, found: &'static str, wanted: &'static str },
    #[error("{first} and {second} are both {kind} files; import one at a time")]
    Duplicate { first: PathBuf, second: PathBuf, kind: &'static str },
    #[error(
        "the unvotes data needs its {needed} beside {have}: put the three unvotes files in one folder and import the folder"
    )]
    Incomplete { needed: &'static str, have: String },
    #[error("storing the imported votes: {0}")]
    Store(#[from] StoreError),
    #[error("the thread reading {0} stopped unexpectedly")]
    Thread(String),
}

pub type Result<T, E = ImportError> = std::result::Result<T, E>;

/// One file of a dataset, of a known kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlannedFile {
    pub kind: FileKind,
    pub path: PathBuf,
    /// Its size in bytes when planned (0 if unknown), for progress.
    pub size: u64,
}

/// One dataset's files.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatasetFiles {
    pub dataset: Dataset,
    pub files: Vec<PlannedFile>,
}

impl DatasetFiles {
    fn of(&self, kind: FileKind) -> Option<&Path> {
        self.files.iter().find(|f| f.kind == kind).map(|f| f.path.as_path())
    }

    /// The file a dataset's roll calls are cited from.
    fn origin(&self) -> String {
        let main = match self.dataset {
            Dataset::Unvotes => self.of(FileKind::UnvotesRollCalls),
            _ => self.files.first().map(|f| f.path.as_path()),
        };
        main.map(|p| p.display().to_string()).unwrap_or_default()
    }
}

/// Which files make up which dataset, in the order of preference of the datasets.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportPlan {
    pub datasets: Vec<DatasetFiles>,
}

impl ImportPlan {
    /// Plans the import of some paths (each a CSV file, gzipped or not, or a folder of one
    /// dataset's files); `forced` reads them as that dataset's format.
    pub fn new(paths: &[PathBuf], forced: Option<Dataset>) -> Result<ImportPlan> {
        let mut kinds: Vec<(FileKind, PathBuf)> = Vec::new();
        for path in paths {
            for (kind, file) in files_of(path, forced)? {
                if !kinds.iter().any(|(_, p)| *p == file) {
                    kinds.push((kind, file));
                }
            }
        }
        let mut plan: Vec<DatasetFiles> = Vec::new();
        for (kind, path) in kinds {
            let dataset = kind.dataset();
            if let Some(forced) = forced
                && dataset != forced
            {
                return Err(ImportError::WrongFormat { path, found: kind.description(), wanted: forced.format_name() });
            }
            let entry = match plan.iter().position(|d| d.dataset == dataset) {
                Some(i) => &mut plan[i],
                None => {
                    plan.push(DatasetFiles { dataset, files: Vec::new() });
                    let last = plan.len() - 1;
                    &mut plan[last]
                }
            };
            if let Some(other) = entry.files.iter().find(|f| f.kind == kind) {
                return Err(ImportError::Duplicate {
                    first: other.path.clone(),
                    second: path,
                    kind: kind.description(),
                });
            }
            let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
            entry.files.push(PlannedFile { kind, path, size });
        }
        for dataset in &plan {
            if dataset.dataset == Dataset::Unvotes {
                for needed in [FileKind::UnvotesRollCalls, FileKind::UnvotesVotes] {
                    if dataset.of(needed).is_none() {
                        let have =
                            dataset.files.iter().map(|f| f.path.display().to_string()).collect::<Vec<_>>().join(", ");
                        return Err(ImportError::Incomplete { needed: needed.description(), have });
                    }
                }
            }
        }
        plan.sort_by_key(|d| Dataset::ALL.iter().position(|x| *x == d.dataset));
        Ok(ImportPlan { datasets: plan })
    }

    /// The bytes every file holds, for a progress bar.
    pub fn total_bytes(&self) -> u64 {
        self.datasets.iter().flat_map(|d| &d.files).map(|f| f.size).sum()
    }
}

/// The files one path stands for, each with its kind.
fn files_of(path: &Path, forced: Option<Dataset>) -> Result<Vec<(FileKind, PathBuf)>> {
    if !path.exists() {
        return Err(ImportError::Missing(path.to_path_buf()));
    }
    let mut kinds = Vec::new();
    if path.is_dir() {
        let files = csv_files_in(path)?;
        if files.is_empty() {
            return Err(ImportError::EmptyFolder(path.to_path_buf()));
        }
        let alone = files.len() == 1;
        for file in files {
            kinds.push((kind_of(&file, forced, alone)?, file));
        }
        return Ok(kinds);
    }
    let kind = kind_of(path, forced, true)?;
    kinds.push((kind, path.to_path_buf()));
    // unvotes is three files: find the others beside the one given.
    if kind.dataset() == Dataset::Unvotes {
        let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        for sibling in csv_files_in(folder)? {
            if sibling == path {
                continue;
            }
            if let Ok(other) = sniff(&sibling)
                && other.dataset() == Dataset::Unvotes
                && !kinds.iter().any(|(k, _)| *k == other)
            {
                kinds.push((other, sibling));
            }
        }
    }
    Ok(kinds)
}

fn is_csv_name(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    name.ends_with(".csv") || name.ends_with(".csv.gz") || name.ends_with(".gz")
}

fn csv_files_in(dir: &Path) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir).map_err(|source| ImportError::Io { path: dir.to_path_buf(), source })?;
    let mut files: Vec<PathBuf> =
        entries.filter_map(|entry| entry.ok().map(|e| e.path())).filter(|p| p.is_file() && is_csv_name(p)).collect();
    files.sort();
    Ok(files)
}

fn open(path: &Path) -> Result<File> {
    File::open(path).map_err(|source| ImportError::Io { path: path.to_path_buf(), source })
}

fn sniff(path: &Path) -> Result<FileKind> {
    Ok(formats::sniff(Input::new(path.display().to_string(), open(path)?))?.0)
}

/// A file's kind, detected from its header. With a forced one-file format, a file given
/// alone whose header matches nothing is read as that format, so that its reader says
/// exactly which column is missing.
fn kind_of(path: &Path, forced: Option<Dataset>, alone: bool) -> Result<FileKind> {
    match (sniff(path), forced) {
        (Ok(kind), _) => Ok(kind),
        (Err(_), Some(Dataset::UndlScrape)) if alone => Ok(FileKind::UndlScrape),
        (Err(_), Some(Dataset::UndlOfficial)) if alone => Ok(FileKind::UndlOfficial),
        (Err(error), _) => Err(error),
    }
}

/// Where an import reports how far it has read. Implementations must be cheap: `read` is
/// called for every block read.
pub trait Progress: Send + Sync {
    /// `bytes` more bytes of the planned files were read.
    fn read(&self, bytes: u64);
}

/// Reports nothing.
pub struct NoProgress;

impl Progress for NoProgress {
    fn read(&self, _bytes: u64) {}
}

/// How to run an import.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportOptions {
    /// Leave out a dataset whose every file (by SHA-256) is already recorded as imported
    /// for it: `serve --votes` on every start.
    pub skip_imported: bool,
}

/// One dataset imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatasetImported {
    pub summary: ImportSummary,
    pub files: Vec<ImportedFile>,
    /// Facts about the data worth telling the user (rows without a symbol, drafts).
    pub notes: Vec<String>,
}

/// What an import did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub imported: Vec<DatasetImported>,
    /// Datasets left out because the store already holds exactly these files.
    pub skipped: Vec<Dataset>,
}

impl App {
    /// Imports the planned datasets in one transaction: all of them or none. Importing a
    /// dataset again replaces its earlier import.
    pub async fn import_votes(
        &self,
        plan: ImportPlan,
        options: ImportOptions,
        progress: Arc<dyn Progress>,
    ) -> Result<ImportReport> {
        import_votes(self.store(), plan, options, progress).await
    }
}

/// [`App::import_votes`] over a store.
pub async fn import_votes(
    store: &Store,
    plan: ImportPlan,
    options: ImportOptions,
    progress: Arc<dyn Progress>,
) -> Result<ImportReport> {
    let mut report = ImportReport::default();
    let mut work: Vec<(DatasetFiles, Option<Vec<String>>)> = Vec::new();
    if options.skip_imported {
        let recorded = store.imported_file_hashes().await?;
        for dataset in plan.datasets {
            let files = dataset.files.clone();
            let hashes = tokio::task::spawn_blocking(move || {
                files.iter().map(|f| sha256_file(&f.path)).collect::<Result<Vec<_>>>()
            })
            .await
            .map_err(|_| ImportError::Thread(dataset.origin()))??;
            let known = hashes.iter().all(|h| recorded.iter().any(|(d, sha)| *d == dataset.dataset && sha == h));
            if known {
                for file in &dataset.files {
                    progress.read(file.size);
                }
                report.skipped.push(dataset.dataset);
            } else {
                work.push((dataset, Some(hashes)));
            }
        }
    } else {
        work = plan.datasets.into_iter().map(|d| (d, None)).collect();
    }
    if work.is_empty() {
        return Ok(report);
    }
    let mut import = store.begin_votes_import().await?;
    for (dataset, hashes) in work {
        // An error drops the unfinished import, which rolls back everything it did.
        report.imported.push(import_dataset(&mut import, dataset, hashes, progress.clone()).await?);
    }
    import.commit().await?;
    Ok(report)
}

/// Roll calls handed to the database per message.
const SEND_BATCH: usize = 256;

/// Reads one dataset on a blocking thread and stores its roll calls as they are read:
/// a roll call is complete once the votes file moves on to the next one.
async fn import_dataset(
    import: &mut VotesImport,
    dataset: DatasetFiles,
    hashes: Option<Vec<String>>,
    progress: Arc<dyn Progress>,
) -> Result<DatasetImported> {
    let id = dataset.dataset;
    let origin = dataset.origin();
    import.start(id).await?;
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<RollCall>>(8);
    let stop = Arc::new(AtomicBool::new(false));
    let reader_stop = stop.clone();
    let reading = tokio::task::spawn_blocking(move || read_dataset(&dataset, hashes, progress, &reader_stop, &sender));
    let mut stored = Ok(());
    while let Some(batch) = receiver.recv().await {
        if let Err(error) = import.insert(id, &origin, &batch).await {
            stored = Err(error);
            break;
        }
    }
    if stored.is_err() {
        // The reader stops at its next read; wait for it so no thread outlives the import.
        stop.store(true, Ordering::Relaxed);
        drop(receiver);
    }
    let read = reading.await.map_err(|_| ImportError::Thread(origin.clone()))?;
    stored?;
    let (streamed, files) = read?;
    let table = &streamed.parsed.table;
    let pending: Vec<RollCall> = streamed.pending.iter().filter_map(|&i| table.roll_calls.get(i).cloned()).collect();
    import.insert(id, &origin, &pending).await?;
    let summary = import.end(table, &files).await?;
    Ok(DatasetImported { summary, files, notes: streamed.parsed.notes })
}

/// Parses a dataset's files, sending complete roll calls in batches, and hashes the files
/// on a second thread meanwhile (unless their hashes are known).
fn read_dataset(
    dataset: &DatasetFiles,
    hashes: Option<Vec<String>>,
    progress: Arc<dyn Progress>,
    stop: &Arc<AtomicBool>,
    sender: &tokio::sync::mpsc::Sender<Vec<RollCall>>,
) -> Result<(Streamed, Vec<ImportedFile>)> {
    std::thread::scope(|scope| {
        let hashing = scope.spawn(|| match hashes {
            Some(known) => Ok(known),
            None => dataset.files.iter().map(|f| sha256_file(&f.path)).collect::<Result<Vec<_>>>(),
        });
        let mut batch: Vec<RollCall> = Vec::with_capacity(SEND_BATCH);
        let streamed = {
            let mut sink = |roll_call: &RollCall| {
                batch.push(roll_call.clone());
                if batch.len() == SEND_BATCH && sender.blocking_send(std::mem::take(&mut batch)).is_err() {
                    // Storing failed: stop reading; that error is the one reported.
                    stop.store(true, Ordering::Relaxed);
                }
            };
            parse_dataset(dataset, &progress, stop, &mut sink)
        };
        if !batch.is_empty() && !stop.load(Ordering::Relaxed) {
            let _ = sender.blocking_send(batch);
        }
        let hashes = hashing.join().map_err(|_| ImportError::Thread(dataset.origin()))?;
        let streamed = streamed?;
        let hashes = hashes?;
        let imported = dataset
            .files
            .iter()
            .zip(hashes)
            .map(|(file, sha256)| {
                let path = file.path.display().to_string();
                let rows = streamed.parsed.rows.iter().find(|(name, _)| *name == path).map_or(0, |(_, n)| *n);
                ImportedFile { path, sha256, rows }
            })
            .collect();
        Ok((streamed, imported))
    })
}

/// A file being read: counts bytes for the progress, and fails once the import stopped.
struct Tracked {
    file: File,
    progress: Arc<dyn Progress>,
    stop: Arc<AtomicBool>,
}

impl Read for Tracked {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.stop.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("the import stopped"));
        }
        let n = self.file.read(buf)?;
        self.progress.read(n as u64);
        Ok(n)
    }
}

fn parse_dataset(
    dataset: &DatasetFiles,
    progress: &Arc<dyn Progress>,
    stop: &Arc<AtomicBool>,
    sink: formats::Sink<'_>,
) -> Result<Streamed> {
    let input = |kind: FileKind| -> Result<Option<Input<Tracked>>> {
        let Some(path) = dataset.of(kind) else { return Ok(None) };
        let tracked = Tracked { file: open(path)?, progress: progress.clone(), stop: stop.clone() };
        Ok(Some(Input::new(path.display().to_string(), tracked)))
    };
    let incomplete = |needed: FileKind| ImportError::Incomplete {
        needed: needed.description(),
        have: dataset.files.iter().map(|f| f.path.display().to_string()).collect::<Vec<_>>().join(", "),
    };
    let streamed = match dataset.dataset {
        Dataset::Unvotes => {
            let roll_calls =
                input(FileKind::UnvotesRollCalls)?.ok_or_else(|| incomplete(FileKind::UnvotesRollCalls))?;
            let votes = input(FileKind::UnvotesVotes)?.ok_or_else(|| incomplete(FileKind::UnvotesVotes))?;
            formats::read_unvotes_into(roll_calls, votes, input(FileKind::UnvotesIssues)?, sink)?
        }
        Dataset::UndlScrape => {
            let file = input(FileKind::UndlScrape)?.ok_or_else(|| incomplete(FileKind::UndlScrape))?;
            formats::read_scrape_into(file, sink)?
        }
        Dataset::UndlOfficial => {
            let file = input(FileKind::UndlOfficial)?.ok_or_else(|| incomplete(FileKind::UndlOfficial))?;
            formats::read_official_into(file, sink)?
        }
    };
    Ok(streamed)
}

/// The SHA-256 of a file's bytes, in lowercase hex.
pub fn sha256_file(path: &Path) -> Result<String> {
    let mut file = open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer).map_err(|source| ImportError::Io { path: path.to_path_buf(), source })?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared_data() -> Option<PathBuf> {
        let base = std::env::var_os("NORMWATCH_SHARED")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
        let dir = base.join("data");
        if dir.join("unvotes-voeten/un_votes.csv.gz").is_file() {
            return Some(dir);
        }
        assert!(
            std::env::var_os("NORMWATCH_SKIP_REAL_DATA").is_some(),
            "the shared voting data is not at {}: set NORMWATCH_SHARED, or NORMWATCH_SKIP_REAL_DATA=1 to skip",
            dir.display()
        );
        eprintln!("skipping: NORMWATCH_SKIP_REAL_DATA is set and the shared data is absent");
        None
    }

    #[test]
    fn one_unvotes_file_brings_its_two_siblings() {
        let Some(data) = shared_data() else { return };
        let plan = ImportPlan::new(&[data.join("unvotes-voeten/un_votes.csv.gz")], None).unwrap();
        assert_eq!(plan.datasets.len(), 1);
        let kinds: Vec<FileKind> = plan.datasets[0].files.iter().map(|f| f.kind).collect();
        assert!(kinds.contains(&FileKind::UnvotesRollCalls) && kinds.contains(&FileKind::UnvotesIssues));
        assert!(plan.total_bytes() > 1_000_000);
    }

    #[test]
    fn two_paths_plan_two_datasets_in_order_of_preference() {
        let Some(data) = shared_data() else { return };
        let paths = [data.join("undl-voting-scrape-2021/UN DATA.csv.gz"), data.join("unvotes-voeten")];
        let plan = ImportPlan::new(&paths, None).unwrap();
        let datasets: Vec<Dataset> = plan.datasets.iter().map(|d| d.dataset).collect();
        assert_eq!(datasets, vec![Dataset::Unvotes, Dataset::UndlScrape]);
    }

    #[test]
    fn a_forced_format_that_does_not_match_is_refused() {
        let Some(data) = shared_data() else { return };
        let error = ImportPlan::new(&[data.join("unvotes-voeten")], Some(Dataset::UndlScrape)).unwrap_err();
        assert!(matches!(error, ImportError::WrongFormat { .. }), "{error}");
    }

    #[test]
    fn a_missing_path_is_named() {
        let error = ImportPlan::new(&[PathBuf::from("/no/such/votes.csv")], None).unwrap_err();
        assert!(error.to_string().starts_with("/no/such/votes.csv does not exist"), "{error}");
    }

    /// Counts the bytes read.
    struct Counter(std::sync::atomic::AtomicU64);

    impl Progress for Counter {
        fn read(&self, bytes: u64) {
            self.0.fetch_add(bytes, Ordering::Relaxed);
        }
    }

    #[test]
    fn the_reader_stops_when_nothing_stores_what_it_reads() {
        let Some(data) = shared_data() else { return };
        let plan = ImportPlan::new(&[data.join("unvotes-voeten")], None).unwrap();
        let dataset = &plan.datasets[0];
        let (sender, receiver) = tokio::sync::mpsc::channel::<Vec<RollCall>>(1);
        drop(receiver);
        let counter = Arc::new(Counter(std::sync::atomic::AtomicU64::new(0)));
        let stop = Arc::new(AtomicBool::new(false));
        let result = read_dataset(dataset, None, counter.clone(), &stop, &sender);
        assert!(result.is_err(), "reading must fail once storing stopped");
        assert!(stop.load(Ordering::Relaxed));
        let read = counter.0.load(Ordering::Relaxed);
        assert!(read < plan.total_bytes() / 2, "read {read} of {} bytes after storing stopped", plan.total_bytes());
    }

    #[tokio::test]
    async fn a_second_import_of_the_same_files_is_skipped_when_asked() {
        let Some(data) = shared_data() else { return };
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
        let scrape = data.join("undl-voting-scrape-2021/UN DATA.csv.gz");
        let plan = ImportPlan::new(std::slice::from_ref(&scrape), None).unwrap();
        let options = ImportOptions { skip_imported: true };
        let first = import_votes(&store, plan.clone(), options, Arc::new(NoProgress)).await.unwrap();
        assert_eq!(first.imported.len(), 1);
        assert!(first.imported[0].summary.roll_calls > 1000);
        assert!(first.skipped.is_empty());
        let second = import_votes(&store, plan.clone(), options, Arc::new(NoProgress)).await.unwrap();
        assert!(second.imported.is_empty());
        assert_eq!(second.skipped, vec![Dataset::UndlScrape]);
        let forced = import_votes(&store, plan, ImportOptions::default(), Arc::new(NoProgress)).await.unwrap();
        assert!(forced.imported[0].summary.replaced);
    }
}
