//! `normwatch import votes` and `normwatch votes …`: importing the roll-call datasets and
//! the analyses over them. Parsing and analysis live in `normwatch-votes`, storage in
//! `normwatch-store`; this module reads files, picks roll calls, and prints.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use normwatch_core::domain::{VoteCounts, VoteValue};
use normwatch_core::state::StateRegistry;
use normwatch_core::{Iso3, Symbol};
use normwatch_store::Store;
use normwatch_store::votes::{DatasetStatus, ImportSummary, ImportedFile, VotesImport};
use normwatch_votes::analysis::{self, RollCallSummary, Scope};
use normwatch_votes::crosscheck::{self, CrossCheck};
use normwatch_votes::formats::{self, FileKind, Input, Parsed};
use normwatch_votes::model::{Dataset, RollCall, VoteTable};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

use super::NotFoundExit;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import UN General Assembly roll-call votes. PATH is a CSV file, gzipped or not, or a
    /// folder holding a dataset's files (such as ../shared/data/unvotes-voeten/). The format
    /// is detected from the headers. Importing a dataset again replaces its earlier import.
    #[command(
        after_help = "Formats:\n  unvotes        Voeten's data (R package unvotes 0.3.0): un_roll_calls.csv, un_votes.csv, un_roll_call_issues.csv\n  undl-scrape    the unofficial UN Digital Library scrape 'UN DATA.csv' (GA and SC, to 2021)\n  undl-official  the UN Digital Library's General Assembly voting CSV (e.g. 2026_02_06_ga_voting.csv),\n                 downloadable from https://digitallibrary.un.org/record/4060887"
    )]
    Votes {
        path: PathBuf,
        /// Read the files as this format instead of detecting it.
        #[arg(long, value_enum)]
        format: Option<FormatArg>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    Unvotes,
    UndlScrape,
    UndlOfficial,
}

impl FormatArg {
    fn dataset(self) -> Dataset {
        match self {
            FormatArg::Unvotes => Dataset::Unvotes,
            FormatArg::UndlScrape => Dataset::UndlScrape,
            FormatArg::UndlOfficial => Dataset::UndlOfficial,
        }
    }
}

#[derive(Subcommand)]
pub enum VotesCommand {
    /// One resolution's roll calls: totals, every state's vote, No and abstaining states,
    /// the breakdown by UN regional group (each dataset's roll call listed).
    Rollcall {
        /// A resolution symbol in any spelling: A/RES/60/45, R/60/45.
        symbol: String,
        #[command(flatten)]
        output: Output,
    },
    /// A state's votes over a series, an issue or a range of sessions.
    Record {
        /// ISO3 code or name: USA, RUS, "Russian Federation".
        state: String,
        #[command(flatten)]
        scope: ScopeArgs,
        #[command(flatten)]
        output: Output,
    },
    /// How cohesively a group of states votes.
    Cohesion {
        /// Comma-separated ISO3 codes: USA,GBR,FRA.
        states: String,
        #[command(flatten)]
        scope: ScopeArgs,
        #[command(flatten)]
        output: Output,
    },
    /// Agreement of every pair of states: `a,b,agreement,n` with --csv (a < b; agreement =
    /// identical votes / roll calls where both voted yes, no or abstain; n = that count).
    Agreement {
        #[command(flatten)]
        scope: ScopeArgs,
        #[command(flatten)]
        output: Output,
    },
    /// Two states' agreement year by year.
    Pair {
        a: String,
        b: String,
        #[command(flatten)]
        scope: ScopeArgs,
        #[command(flatten)]
        output: Output,
    },
    /// The ICT-security series' recorded votes side by side (2005–2021 by default), with
    /// each roll call's totals and No voters and the states that moved from yes to no.
    Cyber {
        #[arg(long, default_value = "ga-first-ict-security", value_name = "ID")]
        series: String,
        #[arg(long, default_value_t = 2005, value_name = "YEAR")]
        from_year: i32,
        #[arg(long, default_value_t = 2021, value_name = "YEAR")]
        to_year: i32,
        /// Use one dataset only instead of combining them.
        #[arg(long, value_enum)]
        dataset: Option<FormatArg>,
        #[command(flatten)]
        output: Output,
    },
    /// Compare every pair of imported datasets on each roll call they share, listing every
    /// disagreement (totals, dates, states' votes).
    Crosscheck {
        #[command(flatten)]
        output: Output,
    },
    /// What has been imported: datasets, files with their SHA-256, and a digest of the votes.
    Imports,
}

#[derive(Args, Clone, Debug, Default)]
pub struct ScopeArgs {
    /// First regular session (inclusive).
    #[arg(long, value_name = "N")]
    from_session: Option<u16>,
    /// Last regular session (inclusive).
    #[arg(long, value_name = "N")]
    to_session: Option<u16>,
    /// Only the votes adopting the documents of this knowledge-base series (e.g. ga-first-ict-security).
    #[arg(long, value_name = "ID", conflicts_with = "issue")]
    series: Option<String>,
    /// Only roll calls with this issue code (unvotes: me, nu, di, hr, co, ec).
    #[arg(long, value_name = "CODE")]
    issue: Option<String>,
    /// Use one dataset only instead of combining them.
    #[arg(long, value_enum)]
    dataset: Option<FormatArg>,
}

#[derive(Args, Clone, Copy, Debug, Default)]
pub struct Output {
    /// Print CSV instead of text.
    #[arg(long)]
    csv: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Format {
    Text,
    Json,
    Csv,
}

fn format(output: Output, json: bool) -> Format {
    if json {
        Format::Json
    } else if output.csv {
        Format::Csv
    } else {
        Format::Text
    }
}

// ------------------------------------------------------------------ import

/// `normwatch import votes PATH`.
pub async fn import(command: ImportCommand, db: Option<PathBuf>, json: bool) -> anyhow::Result<()> {
    let ImportCommand::Votes { path, format } = command;
    let plan = plan_import(&path, format.map(FormatArg::dataset))?;
    let progress = Progress::new(plan.iter().flat_map(|p| p.files()).map(|f| file_size(&f.path)).sum());
    let store = super::open_store(db).await?;
    let mut import = store.begin_votes_import().await?;
    let mut done: Vec<(Parsed, Vec<ImportedFile>, ImportSummary)> = Vec::new();
    let mut failure = None;
    for dataset in plan {
        match import_dataset(&mut import, dataset, &progress).await {
            Ok(result) => done.push(result),
            Err(error) => {
                failure = Some(error);
                break;
            }
        }
    }
    let outcome = match failure {
        // Dropping the unfinished import rolls back everything it did.
        Some(error) => {
            drop(import);
            Err(error.context("nothing was imported; the database is as it was"))
        }
        None => import.commit().await.context("storing the imported votes (nothing was changed)"),
    };
    progress.finish();
    store.close().await;
    outcome?;
    print_import(&done, json)
}

/// Reads one dataset on a blocking thread and stores its roll calls as they are read:
/// a roll call is complete once the votes file moves on to the next one.
async fn import_dataset(
    import: &mut VotesImport,
    dataset: DatasetFiles,
    progress: &Progress,
) -> anyhow::Result<(Parsed, Vec<ImportedFile>, ImportSummary)> {
    let id = dataset.dataset;
    let origin = match id {
        Dataset::Unvotes => dataset.of(FileKind::UnvotesRollCalls),
        _ => dataset.files.first().map(|(_, p)| p),
    }
    .map(|p| p.display().to_string())
    .unwrap_or_default();
    import.start(id).await?;
    let (sender, mut receiver) = tokio::sync::mpsc::channel::<Vec<RollCall>>(8);
    let progress = progress.clone();
    let reading = tokio::task::spawn_blocking(move || read_dataset(&dataset, &progress, &sender));
    while let Some(batch) = receiver.recv().await {
        import.insert(id, &origin, &batch).await?;
    }
    let (streamed, files) = reading.await.context("the thread reading the files stopped")??;
    let table = &streamed.parsed.table;
    let pending: Vec<RollCall> = streamed.pending.iter().filter_map(|&i| table.roll_calls.get(i).cloned()).collect();
    import.insert(id, &origin, &pending).await?;
    let summary = import.end(table, &files).await?;
    Ok((streamed.parsed, files, summary))
}

/// Roll calls handed to the database per message.
const SEND_BATCH: usize = 256;

/// Parses a dataset's files, sending complete roll calls in batches, and hashes the files
/// on a second thread meanwhile.
fn read_dataset(
    dataset: &DatasetFiles,
    progress: &Progress,
    sender: &tokio::sync::mpsc::Sender<Vec<RollCall>>,
) -> anyhow::Result<(formats::Streamed, Vec<ImportedFile>)> {
    let files = dataset.files();
    std::thread::scope(|scope| {
        let hashing = scope.spawn(|| files.iter().map(|f| sha256_file(&f.path)).collect::<anyhow::Result<Vec<_>>>());
        let mut batch: Vec<RollCall> = Vec::with_capacity(SEND_BATCH);
        let streamed = {
            let mut sink = |roll_call: &RollCall| {
                batch.push(roll_call.clone());
                if batch.len() == SEND_BATCH {
                    // A closed channel means storing failed; that error is reported.
                    let _ = sender.blocking_send(std::mem::take(&mut batch));
                }
            };
            parse_dataset(dataset, progress, &mut sink)
        };
        if !batch.is_empty() {
            let _ = sender.blocking_send(batch);
        }
        let hashes = hashing.join().map_err(|_| anyhow::anyhow!("the hashing thread failed"))?;
        let streamed = streamed?;
        let hashes = hashes?;
        let imported = files
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

/// One dataset's files, each of a known kind.
struct DatasetFiles {
    dataset: Dataset,
    files: Vec<(FileKind, PathBuf)>,
}

struct PlannedFile {
    path: PathBuf,
}

impl DatasetFiles {
    fn files(&self) -> Vec<PlannedFile> {
        self.files.iter().map(|(_, p)| PlannedFile { path: p.clone() }).collect()
    }

    fn of(&self, kind: FileKind) -> Option<&PathBuf> {
        self.files.iter().find(|(k, _)| *k == kind).map(|(_, p)| p)
    }
}

fn is_csv_name(path: &Path) -> bool {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    name.ends_with(".csv") || name.ends_with(".csv.gz") || name.ends_with(".gz")
}

fn csv_files_in(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list the folder {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.is_file() && is_csv_name(p))
        .collect();
    files.sort();
    Ok(files)
}

fn sniff(path: &Path) -> anyhow::Result<FileKind> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    Ok(formats::sniff(Input::new(path.display().to_string(), file))?.0)
}

/// Decides which files make up which dataset.
fn plan_import(path: &Path, forced: Option<Dataset>) -> anyhow::Result<Vec<DatasetFiles>> {
    if !path.exists() {
        bail!(
            "{} does not exist; give a voting CSV file (gzipped or not) or a folder holding one dataset's files",
            path.display()
        );
    }
    let mut kinds: Vec<(FileKind, PathBuf)> = Vec::new();
    if path.is_dir() {
        let files = csv_files_in(path)?;
        if files.is_empty() {
            bail!("{} holds no .csv or .csv.gz file", path.display());
        }
        let alone = files.len() == 1;
        for file in files {
            kinds.push((kind_of(&file, forced, alone)?, file));
        }
    } else {
        let kind = kind_of(path, forced, true)?;
        kinds.push((kind, path.to_path_buf()));
        // unvotes is three files: find the others beside the one given.
        if kind.dataset() == Dataset::Unvotes {
            let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
            for sibling in csv_files_in(folder)? {
                if sibling == path || kinds.iter().any(|(_, p)| *p == sibling) {
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
    }
    let mut plan: Vec<DatasetFiles> = Vec::new();
    for (kind, file) in kinds {
        let dataset = kind.dataset();
        if let Some(forced) = forced
            && dataset != forced
        {
            bail!("{} holds {}, not {} data", file.display(), kind.description(), forced.format_name());
        }
        let entry = match plan.iter_mut().position(|d| d.dataset == dataset) {
            Some(i) => &mut plan[i],
            None => {
                plan.push(DatasetFiles { dataset, files: Vec::new() });
                plan.last_mut().expect("just pushed")
            }
        };
        if let Some((_, other)) = entry.files.iter().find(|(k, _)| *k == kind) {
            bail!(
                "{} and {} are both {} files; import one at a time",
                other.display(),
                file.display(),
                kind.description()
            );
        }
        entry.files.push((kind, file));
    }
    for dataset in &plan {
        if dataset.dataset == Dataset::Unvotes {
            for needed in [FileKind::UnvotesRollCalls, FileKind::UnvotesVotes] {
                if dataset.of(needed).is_none() {
                    let have =
                        dataset.files.iter().map(|(_, p)| p.display().to_string()).collect::<Vec<_>>().join(", ");
                    bail!(
                        "the unvotes data needs its {} beside {have}: put the three unvotes files in one folder and import the folder",
                        needed.description()
                    );
                }
            }
        }
    }
    plan.sort_by_key(|d| Dataset::ALL.iter().position(|x| *x == d.dataset));
    Ok(plan)
}

/// A file's kind, detected from its header. With `--format` naming a one-file format, a
/// file given alone whose header matches nothing is read as that format, so that its reader
/// says exactly which column is missing.
fn kind_of(path: &Path, forced: Option<Dataset>, alone: bool) -> anyhow::Result<FileKind> {
    match (sniff(path), forced) {
        (Ok(kind), _) => Ok(kind),
        (Err(_), Some(Dataset::UndlScrape)) if alone => Ok(FileKind::UndlScrape),
        (Err(_), Some(Dataset::UndlOfficial)) if alone => Ok(FileKind::UndlOfficial),
        (Err(error), _) => Err(error),
    }
}

fn open_input(path: &Path, progress: &Progress) -> anyhow::Result<Input<Box<dyn Read + Send>>> {
    let file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let reader: Box<dyn Read + Send> = match &progress.bar {
        Some(bar) => Box::new(bar.wrap_read(file)),
        None => Box::new(file),
    };
    Ok(Input::new(path.display().to_string(), reader))
}

fn parse_dataset(
    dataset: &DatasetFiles,
    progress: &Progress,
    sink: formats::Sink<'_>,
) -> anyhow::Result<formats::Streamed> {
    let input = |kind: FileKind| -> anyhow::Result<Option<Input<Box<dyn Read + Send>>>> {
        dataset.of(kind).map(|p| open_input(p, progress)).transpose()
    };
    let streamed = match dataset.dataset {
        Dataset::Unvotes => {
            let (Some(roll_calls), Some(votes)) = (input(FileKind::UnvotesRollCalls)?, input(FileKind::UnvotesVotes)?)
            else {
                bail!("the unvotes data needs un_roll_calls.csv and un_votes.csv");
            };
            formats::read_unvotes_into(roll_calls, votes, input(FileKind::UnvotesIssues)?, sink)?
        }
        Dataset::UndlScrape => match input(FileKind::UndlScrape)? {
            Some(file) => formats::read_scrape_into(file, sink)?,
            None => bail!("no UN DATA.csv file found"),
        },
        Dataset::UndlOfficial => match input(FileKind::UndlOfficial)? {
            Some(file) => formats::read_official_into(file, sink)?,
            None => bail!("no UN Digital Library voting CSV found"),
        },
    };
    Ok(streamed)
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn sha256_file(path: &Path) -> anyhow::Result<String> {
    let mut file = File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 16];
    loop {
        let n = file.read(&mut buffer).with_context(|| format!("cannot read {}", path.display()))?;
        if n == 0 {
            break;
        }
        hasher.update(&buffer[..n]);
    }
    Ok(hasher.finalize().iter().map(|b| format!("{b:02x}")).collect())
}

/// A progress bar over the bytes read, shown only when stderr is a terminal.
#[derive(Clone)]
struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    fn new(total: u64) -> Progress {
        if !std::io::stderr().is_terminal() {
            return Progress { bar: None };
        }
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{msg:>10} {bar:40} {bytes}/{total_bytes} {elapsed}")
        {
            bar.set_style(style);
        }
        bar.set_message("importing");
        Progress { bar: Some(bar) }
    }

    fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

fn print_import(done: &[(Parsed, Vec<ImportedFile>, ImportSummary)], json: bool) -> anyhow::Result<()> {
    if json {
        let datasets: Vec<serde_json::Value> = done
            .iter()
            .map(|(p, files, s)| {
                json!({
                    "dataset": s.dataset.source_id(),
                    "roll_calls": s.roll_calls,
                    "votes": s.votes,
                    "replaced": s.replaced,
                    "files": files.iter().map(|f| json!({"path": f.path, "sha256": f.sha256, "rows": f.rows})).collect::<Vec<_>>(),
                    "notes": p.notes,
                })
            })
            .collect();
        return print_json(&json!({ "datasets": datasets }));
    }
    let mut out = String::new();
    for (p, files, s) in done {
        let _ = writeln!(
            out,
            "{}: {} roll calls, {} votes{}",
            s.dataset.source_id(),
            s.roll_calls,
            s.votes,
            if s.replaced { " (replacing the earlier import)" } else { "" }
        );
        for f in files {
            let _ = writeln!(out, "  {} — {} rows, sha256 {}", f.path, f.rows, &f.sha256[..16.min(f.sha256.len())]);
        }
        for note in &p.notes {
            let _ = writeln!(out, "  note: {note}");
        }
    }
    emit(&out)?;
    Ok(())
}

// ------------------------------------------------------------------ analyses

/// `normwatch votes …`.
pub async fn run(command: VotesCommand, db: Option<PathBuf>, json: bool) -> anyhow::Result<()> {
    let store = super::open_ready_store(db).await?;
    let result = run_with(&store, command, json).await;
    store.close().await;
    match result {
        // `normwatch votes agreement … | head` is not an error.
        Err(error) if is_broken_pipe(&error) => Ok(()),
        other => other,
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let io = cause.downcast_ref::<std::io::Error>().or_else(|| match cause.downcast_ref::<csv::Error>()?.kind() {
            csv::ErrorKind::Io(io) => Some(io),
            _ => None,
        });
        io.is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Writes text to stdout (an error, not a panic, if stdout is closed).
fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()?;
    Ok(())
}

async fn run_with(store: &Store, command: VotesCommand, json: bool) -> anyhow::Result<()> {
    match command {
        VotesCommand::Imports => imports(store, json).await,
        VotesCommand::Rollcall { symbol, output } => rollcall(store, &symbol, format(output, json)).await,
        VotesCommand::Record { state, scope, output } => {
            let state = parse_state(&state)?;
            let roll_calls = Selection::load(store, &scope).await?;
            let selected = roll_calls.select()?;
            let record = analysis::state_record(&selected, state);
            match format(output, json) {
                Format::Json => print_json(&json!({ "scope": roll_calls.describe(), "record": record })),
                Format::Csv => {
                    let mut csv = csv_writer();
                    csv.write_record([
                        "symbol",
                        "dataset",
                        "record",
                        "date",
                        "vote",
                        "yes",
                        "no",
                        "abstain",
                        "non_voting",
                        "title",
                    ])?;
                    for entry in &record.roll_calls {
                        let s = &entry.roll_call;
                        csv.write_record([
                            s.label(),
                            s.dataset.to_string(),
                            s.record.clone(),
                            date_text(s),
                            entry.vote.map_or("", |v| v.as_str()).to_string(),
                            s.totals.yes.to_string(),
                            s.totals.no.to_string(),
                            s.totals.abstain.to_string(),
                            s.totals.non_voting.map(|n| n.to_string()).unwrap_or_default(),
                            s.title.clone(),
                        ])?;
                    }
                    finish_csv(csv)
                }
                Format::Text => {
                    let mut out = String::new();
                    let t = &record.tally;
                    let _ = writeln!(out, "{} ({}) — {}", record.name, record.state, roll_calls.describe_text());
                    let _ = writeln!(
                        out,
                        "{} roll calls: {} yes, {} no, {} abstain, {} non-voting, {} no vote recorded\n",
                        record.roll_calls.len(),
                        t.yes,
                        t.no,
                        t.abstain,
                        t.non_voting,
                        t.no_vote
                    );
                    for entry in &record.roll_calls {
                        let s = &entry.roll_call;
                        let _ = writeln!(
                            out,
                            "{:<10} {:<18} {:<11} {:<8} {}",
                            date_text(s),
                            s.label(),
                            entry.vote.map_or("—", |v| v.as_str()),
                            counts(&s.totals),
                            short(&s.title, 60)
                        );
                    }
                    emit(&out)?;
                    Ok(())
                }
            }
        }
        VotesCommand::Cohesion { states, scope, output } => {
            let group: Vec<Iso3> =
                states.split(',').filter(|s| !s.trim().is_empty()).map(parse_state).collect::<anyhow::Result<_>>()?;
            if group.len() < 2 {
                bail!("cohesion needs at least two states, comma-separated: USA,GBR,FRA");
            }
            let roll_calls = Selection::load(store, &scope).await?;
            let selected = roll_calls.select()?;
            let cohesion = analysis::cohesion(&selected, &group);
            match format(output, json) {
                Format::Json => print_json(&json!({ "scope": roll_calls.describe(), "cohesion": cohesion })),
                Format::Csv => {
                    let mut csv = csv_writer();
                    csv.write_record(["state", "voted", "with_majority", "share"])?;
                    for m in &cohesion.members {
                        csv.write_record([
                            m.state.to_string(),
                            m.voted.to_string(),
                            m.with_majority.to_string(),
                            opt(m.share),
                        ])?;
                    }
                    finish_csv(csv)
                }
                Format::Text => {
                    let mut out = String::new();
                    let codes: Vec<&str> = cohesion.states.iter().map(Iso3::as_str).collect();
                    let _ = writeln!(out, "{} — {}", codes.join(", "), roll_calls.describe_text());
                    let _ = writeln!(
                        out,
                        "{} roll calls with two or more members voting; {} unanimous; agreement index {}\n",
                        cohesion.roll_calls,
                        cohesion.unanimous,
                        opt(cohesion.index)
                    );
                    let _ = writeln!(out, "member  voted  with the group's majority");
                    for m in &cohesion.members {
                        let _ = writeln!(
                            out,
                            "{:<7} {:>5}  {:>5} ({})",
                            m.state,
                            m.voted,
                            m.with_majority,
                            percent(m.share)
                        );
                    }
                    let _ = writeln!(out, "\npair      agreement   n");
                    for p in &cohesion.pairs {
                        let _ = writeln!(out, "{}–{}   {:>8}  {:>4}", p.a, p.b, percent(Some(p.agreement)), p.n);
                    }
                    emit(&out)?;
                    Ok(())
                }
            }
        }
        VotesCommand::Agreement { scope, output } => {
            if scope.from_session.is_none() || scope.to_session.is_none() {
                bail!("give the sessions: normwatch votes agreement --from-session 60 --to-session 74");
            }
            let roll_calls = Selection::load(store, &scope).await?;
            let selected = roll_calls.select()?;
            let pairs = analysis::agreement(&selected);
            match format(output, json) {
                Format::Json => {
                    print_json(&json!({ "scope": roll_calls.describe(), "roll_calls": selected.len(), "pairs": pairs }))
                }
                Format::Csv | Format::Text => {
                    // CSV is the useful form of a matrix; text is the same.
                    let stdout = std::io::stdout();
                    let mut out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
                    writeln!(out, "a,b,agreement,n")?;
                    for p in &pairs {
                        writeln!(out, "{},{},{},{}", p.a, p.b, p.agreement, p.n)?;
                    }
                    out.flush()?;
                    Ok(())
                }
            }
        }
        VotesCommand::Pair { a, b, scope, output } => {
            let (a, b) = (parse_state(&a)?, parse_state(&b)?);
            let roll_calls = Selection::load(store, &scope).await?;
            let selected = roll_calls.select()?;
            let years = analysis::pair_by_year(&selected, a, b);
            let (identical, n) = analysis::pair_agreement(&selected, a, b);
            match format(output, json) {
                Format::Json => print_json(&json!({
                    "scope": roll_calls.describe(),
                    "a": a, "b": b,
                    "overall": { "n": n, "identical": identical, "agreement": (n > 0).then(|| f64::from(identical) / f64::from(n)) },
                    "years": years,
                })),
                Format::Csv => {
                    let mut csv = csv_writer();
                    csv.write_record(["year", "roll_calls", "n", "identical", "agreement"])?;
                    for y in &years {
                        csv.write_record([
                            y.year.to_string(),
                            y.roll_calls.to_string(),
                            y.n.to_string(),
                            y.identical.to_string(),
                            opt(y.agreement),
                        ])?;
                    }
                    finish_csv(csv)
                }
                Format::Text => {
                    let mut out = String::new();
                    let _ = writeln!(out, "{a}–{b} — {}", roll_calls.describe_text());
                    let overall = (n > 0).then(|| f64::from(identical) / f64::from(n));
                    let _ = writeln!(out, "overall: {} over {n} roll calls both voted on\n", percent(overall));
                    let _ = writeln!(out, "year  roll calls  both voted  agreement");
                    for y in &years {
                        let _ =
                            writeln!(out, "{}  {:>10}  {:>10}  {:>9}", y.year, y.roll_calls, y.n, percent(y.agreement));
                    }
                    emit(&out)?;
                    Ok(())
                }
            }
        }
        VotesCommand::Cyber { series, from_year, to_year, dataset, output } => {
            let scope = ScopeArgs { series: Some(series.clone()), dataset, ..ScopeArgs::default() };
            let roll_calls = Selection::load_years(store, &scope, Some((from_year, to_year))).await?;
            let selected = roll_calls.select()?;
            if selected.is_empty() {
                bail!(
                    "no recorded vote on the documents of {series} in {from_year}–{to_year} in the imported data; import the voting datasets first"
                );
            }
            let sides = analysis::side_by_side(&selected);
            match format(output, json) {
                Format::Json => {
                    print_json(&json!({ "scope": roll_calls.describe(), "series": series, "side_by_side": sides }))
                }
                Format::Csv => {
                    let mut csv = csv_writer();
                    let mut header = vec!["state".to_string(), "name".to_string()];
                    header.extend(sides.roll_calls.iter().map(RollCallSummary::label));
                    csv.write_record(&header)?;
                    for row in &sides.states {
                        let mut record = vec![row.state.to_string(), row.name.clone()];
                        record.extend(row.votes.iter().map(|v| v.map_or("", |v| v.as_str()).to_string()));
                        csv.write_record(&record)?;
                    }
                    finish_csv(csv)
                }
                Format::Text => {
                    let mut out = String::new();
                    let _ = writeln!(out, "{series}: recorded votes {from_year}–{to_year}\n");
                    for s in &sides.roll_calls {
                        let _ = writeln!(
                            out,
                            "{:<13} {}  {:<16} {:<22} {}",
                            s.label(),
                            date_text(s),
                            s.record,
                            counts(&s.totals),
                            s.dataset
                        );
                        let _ = writeln!(out, "    no ({}): {}", s.voted_no.len(), codes(&s.voted_no));
                    }
                    let _ = writeln!(out, "\nvotes side by side (Y yes, N no, A abstain, X non-voting, . none):");
                    let _ = writeln!(
                        out,
                        "      {}",
                        sides.roll_calls.iter().map(|s| short_symbol(&s.label())).collect::<Vec<_>>().join(" ")
                    );
                    for row in &sides.states {
                        let cells: Vec<String> = row
                            .votes
                            .iter()
                            .zip(&sides.roll_calls)
                            .map(|(v, s)| format!("{:^w$}", letter(*v), w = short_symbol(&s.label()).chars().count()))
                            .collect();
                        let _ = writeln!(out, "{}   {}", row.state, cells.join(" "));
                    }
                    let _ = writeln!(out, "\nmoved from yes to no:");
                    for m in &sides.yes_to_no {
                        let _ = writeln!(out, "  {}  {} ({}) → {} ({})", m.state, m.from, m.from_year, m.to, m.to_year);
                    }
                    emit(&out)?;
                    Ok(())
                }
            }
        }
        VotesCommand::Crosscheck { output } => {
            let tables = store.vote_tables(&Scope::default()).await?;
            let imported: Vec<&VoteTable> = tables.iter().filter(|t| !t.roll_calls.is_empty()).collect();
            if imported.len() < 2 {
                bail!(
                    "the cross-check needs two imported datasets (now: {}); import unvotes and the 2021 scrape",
                    names(&imported)
                );
            }
            let mut checks: Vec<CrossCheck> = Vec::new();
            for (i, left) in imported.iter().enumerate() {
                for right in &imported[i + 1..] {
                    checks.push(crosscheck::crosscheck(left, right));
                }
            }
            print_crosscheck(&checks, format(output, json))
        }
    }
}

async fn imports(store: &Store, json: bool) -> anyhow::Result<()> {
    let statuses: Vec<DatasetStatus> = store.vote_imports().await?;
    if json {
        let list: Vec<serde_json::Value> = statuses
            .iter()
            .map(|s| {
                json!({
                    "dataset": s.dataset.source_id(),
                    "roll_calls": s.roll_calls,
                    "votes": s.votes,
                    "imported_at": s.imported_at,
                    "digest": s.digest,
                    "files": s.files.iter().map(|f| json!({"path": f.path, "sha256": f.sha256, "rows": f.rows})).collect::<Vec<_>>(),
                })
            })
            .collect();
        return print_json(&list);
    }
    if statuses.is_empty() {
        return emit("no votes imported; run `normwatch import votes PATH`\n");
    }
    let mut out = String::new();
    for s in &statuses {
        let _ =
            writeln!(out, "{}: {} roll calls, {} votes, imported {}", s.dataset, s.roll_calls, s.votes, s.imported_at);
        for f in &s.files {
            let _ = writeln!(out, "  {} — {} rows, sha256 {}", f.path, f.rows, f.sha256);
        }
    }
    emit(&out)
}

async fn rollcall(store: &Store, text: &str, format: Format) -> anyhow::Result<()> {
    let symbol = Symbol::parse(text)?;
    let roll_calls = store.roll_calls_for(&symbol).await?;
    if roll_calls.is_empty() {
        let imported = store.vote_imports().await?;
        if imported.is_empty() {
            eprintln!("error: no votes imported yet; run `normwatch import votes PATH` first");
        } else {
            let names: Vec<&str> = imported.iter().map(|s| s.dataset.source_id()).collect();
            eprintln!(
                "error: no roll call on {symbol} in the imported data ({}); it may have been adopted without a vote, which these datasets do not record",
                names.join(", ")
            );
        }
        return Err(NotFoundExit.into());
    }
    let reports: Vec<analysis::RollCallReport> = roll_calls.iter().map(analysis::roll_call_report).collect();
    match format {
        Format::Json => print_json(&reports),
        Format::Csv => {
            let mut csv = csv_writer();
            csv.write_record(["symbol", "dataset", "record", "state", "name", "vote", "group"])?;
            for r in &reports {
                for v in &r.votes {
                    let group = v.state.info().regional_group.map_or("", |g| g.code());
                    csv.write_record([
                        r.summary.label(),
                        r.summary.dataset.to_string(),
                        r.summary.record.clone(),
                        v.state.to_string(),
                        v.name.clone(),
                        v.vote.as_str().to_string(),
                        group.to_string(),
                    ])?;
                }
            }
            finish_csv(csv)
        }
        Format::Text => {
            let mut out = String::new();
            for r in &reports {
                let s = &r.summary;
                let _ = writeln!(
                    out,
                    "{} — {} {} ({}{})",
                    s.label(),
                    s.dataset,
                    s.record,
                    date_text(s),
                    s.session.map(|n| format!(", session {n}")).unwrap_or_default()
                );
                if !s.title.is_empty() {
                    let _ = writeln!(out, "{}", s.title);
                }
                if s.part != normwatch_votes::model::Part::Whole {
                    let _ = writeln!(out, "a separate vote on a {}", s.part.as_str());
                }
                let _ = writeln!(out, "totals as stated: {}", counts(&s.totals));
                if r.counted != s.totals {
                    let _ = writeln!(out, "totals counted from the votes: {}", counts(&r.counted));
                }
                for (label, vote) in [
                    ("yes", VoteValue::Yes),
                    ("no", VoteValue::No),
                    ("abstain", VoteValue::Abstain),
                    ("non-voting", VoteValue::NonVoting),
                ] {
                    let states: Vec<Iso3> = r.votes.iter().filter(|v| v.vote == vote).map(|v| v.state).collect();
                    if !states.is_empty() {
                        let _ = writeln!(out, "{label} ({}): {}", states.len(), codes(&states));
                    }
                }
                let _ = writeln!(out, "by regional group:    yes   no  abst  non-voting");
                for g in &r.groups {
                    if g.yes + g.no + g.abstain + g.non_voting > 0 {
                        let _ = writeln!(
                            out,
                            "  {:<18} {:>4} {:>4} {:>5} {:>11}",
                            g.group.unwrap_or("(none)"),
                            g.yes,
                            g.no,
                            g.abstain,
                            g.non_voting
                        );
                    }
                }
                let _ = writeln!(out);
            }
            emit(&out)?;
            Ok(())
        }
    }
}

fn print_crosscheck(checks: &[CrossCheck], format: Format) -> anyhow::Result<()> {
    match format {
        Format::Json => print_json(&checks),
        Format::Csv => {
            let mut csv = csv_writer();
            csv.write_record([
                "symbol",
                "left_dataset",
                "left_record",
                "right_dataset",
                "right_record",
                "kind",
                "subject",
                "left",
                "right",
            ])?;
            for check in checks {
                for d in &check.disagreements {
                    let base = |kind: &str, subject: String, l: String, r: String| {
                        [
                            d.symbol.to_string(),
                            check.left.to_string(),
                            d.left.record.clone(),
                            check.right.to_string(),
                            d.right.record.clone(),
                            kind.to_string(),
                            subject,
                            l,
                            r,
                        ]
                    };
                    if d.totals_differ {
                        csv.write_record(base(
                            "totals",
                            "yes-no-abstain-non_voting".into(),
                            counts_csv(&d.left.totals),
                            counts_csv(&d.right.totals),
                        ))?;
                    }
                    if d.dates_differ {
                        csv.write_record(base("date", String::new(), side_date(&d.left), side_date(&d.right)))?;
                    }
                    for s in &d.states {
                        csv.write_record(base("state", s.state.to_string(), vote_text(s.left), vote_text(s.right)))?;
                    }
                }
            }
            finish_csv(csv)
        }
        Format::Text => {
            let stdout = std::io::stdout();
            let mut out = std::io::BufWriter::new(stdout.lock());
            for check in checks {
                let totals = check.disagreements.iter().filter(|d| d.totals_differ).count();
                let dates = check.disagreements.iter().filter(|d| d.dates_differ).count();
                let states = check.disagreements.iter().filter(|d| !d.states.is_empty()).count();
                writeln!(
                    out,
                    "{} vs {}: {} resolutions voted in both; {} agree in full, {} differ ({totals} in totals, {dates} in date, {states} in states' votes); {} only in {}, {} only in {}",
                    check.left,
                    check.right,
                    check.shared,
                    check.agreeing,
                    check.disagreements.len(),
                    check.only_left,
                    check.left,
                    check.only_right,
                    check.right
                )?;
                for d in &check.disagreements {
                    let mut what = Vec::new();
                    if d.totals_differ {
                        what.push(format!("totals {} vs {}", counts(&d.left.totals), counts(&d.right.totals)));
                    }
                    if d.dates_differ {
                        what.push(format!("date {} vs {}", side_date(&d.left), side_date(&d.right)));
                    }
                    if !d.states.is_empty() {
                        let list: Vec<String> = d
                            .states
                            .iter()
                            .map(|s| format!("{} {}/{}", s.state, vote_text(s.left), vote_text(s.right)))
                            .collect();
                        what.push(format!("{} states: {}", d.states.len(), list.join(", ")));
                    }
                    writeln!(out, "  {:<16} {} / {}: {}", d.symbol, d.left.record, d.right.record, what.join("; "))?;
                }
            }
            out.flush()?;
            Ok(())
        }
    }
}

/// The roll calls an analysis runs over: the imported datasets combined (or one), and
/// the scope.
struct Selection {
    tables: Vec<VoteTable>,
    /// Each whole dataset's latest roll call, to combine datasets without overlap.
    latest: Vec<(Dataset, analysis::When)>,
    dataset: Option<Dataset>,
    scope: Scope,
    series: Option<String>,
}

impl Selection {
    async fn load(store: &Store, args: &ScopeArgs) -> anyhow::Result<Selection> {
        Selection::load_years(store, args, None).await
    }

    async fn load_years(store: &Store, args: &ScopeArgs, years: Option<(i32, i32)>) -> anyhow::Result<Selection> {
        let sessions = match (args.from_session, args.to_session) {
            (None, None) => None,
            (from, to) => Some((from.unwrap_or(1), to.unwrap_or(u16::MAX))),
        };
        if let Some((from, to)) = sessions
            && from > to
        {
            bail!("--from-session {from} comes after --to-session {to}");
        }
        let symbols = match &args.series {
            None => None,
            Some(id) => {
                use normwatch_core::kb::RecordKind;
                let known = store.ids(RecordKind::Series).await?;
                if !known.contains(id) {
                    eprintln!("error: no series `{id}`; the series are: {}", known.join(", "));
                    return Err(NotFoundExit.into());
                }
                // The documents whose `series` claim names it (what `Store::series_documents`
                // resolves, without resolving every document).
                let ids = store.ids_referencing(RecordKind::Document, "series", id).await?;
                Some(ids.iter().filter_map(|symbol| Symbol::parse(symbol).ok()).collect::<Vec<_>>())
            }
        };
        let scope = Scope { sessions, years, symbols, issue: args.issue.clone() };
        let tables = store.vote_tables(&scope).await?;
        let latest = store.vote_latest().await?;
        Ok(Selection {
            tables,
            latest,
            dataset: args.dataset.map(FormatArg::dataset),
            scope,
            series: args.series.clone(),
        })
    }

    fn select(&self) -> anyhow::Result<Vec<&RollCall>> {
        if self.tables.is_empty() {
            bail!(
                "no votes imported yet; run `normwatch import votes PATH` (e.g. ../shared/data/unvotes-voeten/) first"
            );
        }
        let combined: Vec<&RollCall> = match self.dataset {
            None => analysis::chain_until(&self.tables, &self.latest),
            Some(dataset) => {
                let Some(table) = self.tables.iter().find(|t| t.dataset == dataset) else {
                    bail!("{dataset} is not imported; imported: {}", names(&self.tables.iter().collect::<Vec<_>>()));
                };
                let mut list: Vec<&RollCall> = table.roll_calls.iter().collect();
                list.sort_by_key(|r| r.sort_key());
                list
            }
        };
        Ok(analysis::select(&combined, &self.scope))
    }

    fn describe(&self) -> serde_json::Value {
        json!({
            "datasets": self.tables.iter().filter(|t| self.dataset.is_none_or(|d| t.dataset == d)).map(|t| t.dataset.source_id()).collect::<Vec<_>>(),
            "sessions": self.scope.sessions.map(|(a, b)| json!([a, b])),
            "years": self.scope.years.map(|(a, b)| json!([a, b])),
            "series": self.series,
            "issue": self.scope.issue,
        })
    }

    fn describe_text(&self) -> String {
        let mut parts = Vec::new();
        if let Some(series) = &self.series {
            parts.push(format!("series {series}"));
        }
        if let Some(issue) = &self.scope.issue {
            parts.push(format!("issue {issue}"));
        }
        if let Some((a, b)) = self.scope.sessions {
            parts.push(if b == u16::MAX { format!("sessions {a}–") } else { format!("sessions {a}–{b}") });
        }
        if parts.is_empty() {
            parts.push("all roll calls".to_string());
        }
        let datasets: Vec<&str> = self
            .tables
            .iter()
            .filter(|t| self.dataset.is_none_or(|d| t.dataset == d))
            .map(|t| t.dataset.source_id())
            .collect();
        format!("{} ({})", parts.join(", "), datasets.join(" + "))
    }
}

// ------------------------------------------------------------------ small helpers

fn parse_state(text: &str) -> anyhow::Result<Iso3> {
    match StateRegistry::global().lookup(text) {
        Some(info) => Ok(info.iso3),
        None => {
            Err(Iso3::parse(text).err().map_or_else(|| anyhow::anyhow!("`{text}` is not a state"), anyhow::Error::from))
        }
    }
}

fn names(tables: &[&VoteTable]) -> String {
    if tables.is_empty() {
        return "none".to_string();
    }
    tables.iter().map(|t| t.dataset.source_id()).collect::<Vec<_>>().join(", ")
}

fn print_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    serde_json::to_writer_pretty(&mut out, value)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

fn csv_writer() -> csv::Writer<std::io::Stdout> {
    csv::Writer::from_writer(std::io::stdout())
}

fn finish_csv(mut csv: csv::Writer<std::io::Stdout>) -> anyhow::Result<()> {
    csv.flush()?;
    Ok(())
}

fn counts(v: &VoteCounts) -> String {
    match v.non_voting {
        Some(n) => format!("{}–{}–{} ({n} nv)", v.yes, v.no, v.abstain),
        None => format!("{}–{}–{}", v.yes, v.no, v.abstain),
    }
}

fn counts_csv(v: &VoteCounts) -> String {
    format!("{}-{}-{}-{}", v.yes, v.no, v.abstain, v.non_voting.map(|n| n.to_string()).unwrap_or_default())
}

fn codes(states: &[Iso3]) -> String {
    if states.is_empty() {
        return "none".to_string();
    }
    states.iter().map(Iso3::as_str).collect::<Vec<_>>().join(" ")
}

fn date_text(s: &RollCallSummary) -> String {
    s.date.map_or_else(|| s.year.to_string(), |d| d.to_string())
}

fn side_date(s: &crosscheck::Side) -> String {
    s.date.map_or_else(|| s.year.to_string(), |d| d.to_string())
}

fn vote_text(v: Option<VoteValue>) -> String {
    v.map_or("none", |v| v.as_str()).to_string()
}

fn letter(v: Option<VoteValue>) -> &'static str {
    match v {
        Some(VoteValue::Yes) => "Y",
        Some(VoteValue::No) => "N",
        Some(VoteValue::Abstain) => "A",
        Some(VoteValue::NonVoting) => "X",
        None => ".",
    }
}

/// `A/RES/73/266` → `73/266` for narrow columns.
fn short_symbol(label: &str) -> String {
    label.strip_prefix("A/RES/").unwrap_or(label).to_string()
}

fn short(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        text.to_string()
    } else {
        format!("{}…", text.chars().take(width - 1).collect::<String>())
    }
}

fn opt(value: Option<f64>) -> String {
    value.map(|v| v.to_string()).unwrap_or_default()
}

fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{:.1}%", v * 100.0))
}
