//! The `normwatch` command: parses arguments, opens the store, and hands each command to
//! the library crates. Only this edge uses `anyhow`; the crates below return typed errors.

mod coverage;
mod measure_cmd;
mod render;
mod votes_cmd;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use normwatch_core::kb::{Kb, KbFile};
use normwatch_store::{Store, kb_files};
use sha2::{Digest, Sha256};

#[derive(Parser)]
#[command(
    name = "normwatch",
    version,
    about = "An observatory of how norms for cyberspace are made at the United Nations",
    after_help = "Exit codes: 0 success, 1 error, 2 bad usage, 3 not found."
)]
struct Cli {
    /// The database file [default: normwatch.sqlite in the user's data directory].
    #[arg(long, global = true, env = "NORMWATCH_DB", value_name = "PATH")]
    db: Option<PathBuf>,

    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create or update the database and load the knowledge base into it.
    Init {
        /// Load the knowledge base from this folder instead of the copy built into the binary.
        #[arg(long, value_name = "DIR")]
        kb: Option<PathBuf>,
    },
    /// Show one document with every fact, its sources and any conflicts.
    Show {
        /// A UN document symbol in any common spelling: A/RES/53/70, R/60/45, "S/RES/1373 (2001)".
        symbol: String,
    },
    /// Serve the web UI and the JSON API.
    Serve {
        #[arg(long, default_value = "127.0.0.1:8080", value_name = "HOST:PORT")]
        addr: SocketAddr,
        /// Import roll-call votes from this dataset (a CSV file, gzipped or not, or a
        /// dataset's folder) before serving; repeatable. Re-importing replaces, never doubles.
        #[arg(long = "votes", value_name = "PATH")]
        votes: Vec<PathBuf>,
    },
    /// Work with the knowledge base.
    Kb {
        #[command(subcommand)]
        command: KbCommand,
    },
    /// Resolution series (one agenda item over the years).
    Series {
        #[command(subcommand)]
        command: SeriesCommand,
    },
    /// List the expert groups: GGEs, OEWGs, the Ad Hoc Committee, others.
    Groups,
    /// Import data: roll-call votes (`normwatch import votes PATH`).
    Import {
        #[command(subcommand)]
        command: votes_cmd::ImportCommand,
    },
    /// Analyse the imported roll-call votes.
    Votes {
        #[command(subcommand)]
        command: votes_cmd::VotesCommand,
    },
    /// The norm-emergence index per year, decomposed into indicators and cited facts.
    Index(measure_cmd::IndexArgs),
    /// The life-cycle stage (emergence, tipping point, cascade) of each series and norm.
    Lifecycle(measure_cmd::LifecycleArgs),
    /// Draw a figure as SVG: two-streams, sponsorship, trend, positions.
    Figure(measure_cmd::FigureArgs),
}

#[derive(Subcommand)]
enum SeriesCommand {
    /// Every series with its documents in order.
    List,
    /// One series with its documents and sources.
    Show { id: String },
}

#[derive(Subcommand)]
enum KbCommand {
    /// Validate a knowledge-base folder without touching any database.
    Check {
        #[arg(long, value_name = "DIR")]
        kb: Option<PathBuf>,
    },
    /// Count what the database holds: records per kind, facts per basis, open conflicts.
    Stats,
    /// Describe what the knowledge base covers, as Markdown (the source of docs/coverage.md).
    Coverage {
        #[arg(long, value_name = "DIR")]
        kb: Option<PathBuf>,
    },
    /// Find the document symbols a text cites and say which the knowledge base lacks.
    Scan {
        /// Text files to scan, such as the seeds.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        #[arg(long, value_name = "DIR")]
        kb: Option<PathBuf>,
        /// List only citations without a record.
        #[arg(long)]
        missing: bool,
    },
}

/// A failure that has its own exit code.
#[derive(Debug)]
struct NotFoundExit;

impl std::fmt::Display for NotFoundExit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("not found")
    }
}

impl std::error::Error for NotFoundExit {}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let default_level = if matches!(cli.command, Command::Serve { .. }) { "info" } else { "warn" };
    let filter = tracing_subscriber::EnvFilter::try_from_env("NORMWATCH_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default_level));
    let ansi = std::io::IsTerminal::is_terminal(&std::io::stderr());
    tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).with_ansi(ansi).init();

    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(error) => {
            eprintln!("error: cannot start the async runtime: {error}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) if error.is::<NotFoundExit>() => ExitCode::from(3),
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Kb { command: KbCommand::Check { kb } } => {
            let source = KbSource::read(kb.as_deref())?;
            let origin = source.describe();
            let kb = source.load()?;
            if cli.json {
                println!(
                    "{}",
                    serde_json::json!({ "ok": true, "records": kb.records.len(), "sources": kb.sources.len() })
                );
            } else {
                println!("{origin}: ok, {} records from {} sources", kb.records.len(), kb.sources.len());
            }
            Ok(())
        }
        Command::Init { kb } => {
            let store = open_store(cli.db).await?;
            let source = KbSource::read(kb.as_deref())?;
            let origin = source.describe();
            let summary = store.load_kb(&source.load()?, &source.fingerprint()).await?;
            if cli.json {
                println!(
                    "{}",
                    serde_json::json!({
                        "database": store.location(),
                        "knowledge_base": origin,
                        "records": summary.records,
                        "claims": summary.claims,
                        "items": summary.items,
                        "sources": summary.sources,
                    })
                );
            } else {
                println!(
                    "loaded {origin} into {}: {} records, {} claims, {} items, {} sources",
                    store.location(),
                    summary.records,
                    summary.claims,
                    summary.items,
                    summary.sources
                );
            }
            store.close().await;
            Ok(())
        }
        Command::Show { symbol } => {
            let store = open_ready_store(cli.db).await?;
            let found = store.find_document(&symbol).await?;
            store.close().await;
            match found {
                Ok(view) => {
                    if cli.json {
                        let json = normwatch_api::DocumentJson::from(&view);
                        println!("{}", serde_json::to_string_pretty(&json)?);
                    } else {
                        print!("{}", render::document(&view));
                    }
                    Ok(())
                }
                Err(not_found) => {
                    if cli.json {
                        let json = normwatch_api::NotFoundJson {
                            error: not_found.message.clone(),
                            suggestions: not_found.suggestions.clone(),
                        };
                        println!("{}", serde_json::to_string_pretty(&json)?);
                    }
                    eprintln!("error: {}", not_found.message);
                    if !not_found.suggestions.is_empty() {
                        eprintln!("did you mean: {}", not_found.suggestions.join(", "));
                    }
                    Err(NotFoundExit.into())
                }
            }
        }
        Command::Kb { command: KbCommand::Scan { files, kb, missing } } => {
            let kb = KbSource::read(kb.as_deref())?.load()?;
            let mut rows = Vec::new();
            for path in &files {
                let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
                for mention in normwatch_core::scan::scan(&text) {
                    let (symbol, known) = match &mention.symbol {
                        Ok(symbol) => (symbol.to_string(), kb.document(symbol).is_some()),
                        Err(reason) => (format!("unparseable: {reason}"), false),
                    };
                    if missing && known {
                        continue;
                    }
                    rows.push(serde_json::json!({
                        "file": path.display().to_string(),
                        "line": mention.line(&text),
                        "raw": mention.raw,
                        "symbol": symbol,
                        "inferred": mention.inferred,
                        "known": known,
                    }));
                }
            }
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for row in &rows {
                    println!(
                        "{}:{}\t{}\t{}{}\t{}",
                        row["file"].as_str().unwrap_or_default(),
                        row["line"],
                        row["raw"].as_str().unwrap_or_default(),
                        row["symbol"].as_str().unwrap_or_default(),
                        if row["inferred"].as_bool() == Some(true) { " (inferred)" } else { "" },
                        if row["known"].as_bool() == Some(true) { "known" } else { "MISSING" },
                    );
                }
            }
            Ok(())
        }
        Command::Kb { command: KbCommand::Coverage { kb } } => {
            let kb = KbSource::read(kb.as_deref())?.load()?;
            print!("{}", coverage::markdown(&kb));
            Ok(())
        }
        Command::Kb { command: KbCommand::Stats } => {
            let store = open_ready_store(cli.db).await?;
            let stats = normwatch_api::KbStatsJson::from(&store.stats().await?);
            store.close().await;
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&stats)?);
            } else {
                print!("{}", render::stats(&stats));
            }
            Ok(())
        }
        Command::Series { command } => {
            let store = open_ready_store(cli.db).await?;
            let mut all = Vec::new();
            for record in store.records(normwatch_core::kb::RecordKind::Series).await? {
                let Some(series) = normwatch_core::view::SeriesView::resolve(&record) else { continue };
                let documents = store.series_documents(&series.id).await?;
                all.push(normwatch_api::SeriesJson::new(&series, &documents));
            }
            store.close().await;
            let selected = match command {
                SeriesCommand::List => all,
                SeriesCommand::Show { id } => match all.into_iter().find(|s| s.id == id) {
                    Some(series) => vec![series],
                    None => {
                        eprintln!("error: no series `{id}`; `normwatch series list` shows them all");
                        return Err(NotFoundExit.into());
                    }
                },
            };
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&selected)?);
            } else {
                print!("{}", render::series(&selected));
            }
            Ok(())
        }
        Command::Import { command } => votes_cmd::import(command, cli.db, cli.json).await,
        Command::Votes { command } => votes_cmd::run(command, cli.db, cli.json).await,
        Command::Groups => {
            let store = open_ready_store(cli.db).await?;
            let groups: Vec<normwatch_api::GroupJson> = store
                .records(normwatch_core::kb::RecordKind::Group)
                .await?
                .iter()
                .filter_map(normwatch_core::view::GroupView::resolve)
                .map(|g| normwatch_api::GroupJson::from(&g))
                .collect();
            store.close().await;
            if cli.json {
                println!("{}", serde_json::to_string_pretty(&groups)?);
            } else {
                print!("{}", render::groups(&groups));
            }
            Ok(())
        }
        Command::Index(args) => measure_cmd::index(args, cli.db, cli.json).await,
        Command::Lifecycle(args) => measure_cmd::lifecycle(args, cli.db, cli.json).await,
        Command::Figure(args) => measure_cmd::figure(args, cli.db, cli.json).await,
        Command::Serve { addr, votes } => {
            let store = open_ready_store(cli.db).await?;
            for path in votes {
                let Some(db) = store.path().map(std::path::Path::to_path_buf) else {
                    bail!("serve --votes imports into an SQLite database only; import with `normwatch import votes`");
                };
                let db = Some(db);
                votes_cmd::import(votes_cmd::ImportCommand::Votes { path, format: None }, db, false).await?;
            }
            eprintln!("normwatch: serving {} on http://{addr}", store.location());
            let measurement = normwatch_app::measurement::load_config(None, &store).await?;
            let app = normwatch_app::App::new(store, measurement);
            normwatch_web::serve(normwatch_web::AppState { app }, addr)
                .await
                .with_context(|| format!("cannot serve on {addr} (is the port in use?)"))
        }
    }
}

/// Where knowledge-base files came from: the copy built into the binary, or a folder.
struct KbSource {
    files: Vec<KbFile>,
    folder: Option<PathBuf>,
}

impl KbSource {
    fn read(dir: Option<&std::path::Path>) -> anyhow::Result<KbSource> {
        Ok(match dir {
            Some(dir) => KbSource { files: kb_files::from_folder(dir)?, folder: Some(dir.to_path_buf()) },
            None => KbSource { files: kb_files::embedded(), folder: None },
        })
    }

    fn describe(&self) -> String {
        match &self.folder {
            Some(dir) => format!("the knowledge base in {}", dir.display()),
            None => "the built-in knowledge base".to_string(),
        }
    }

    /// Validates the files; errors name files under the folder they came from.
    fn load(&self) -> anyhow::Result<Kb> {
        let root = self.folder.as_ref().map_or_else(|| "kb".to_string(), |d| d.display().to_string());
        normwatch_core::kb::load(&self.files)
            .map_err(|errors| errors.under(&root))
            .with_context(|| format!("loading {}", self.describe()))
    }

    fn fingerprint(&self) -> String {
        let prefix = if self.folder.is_some() { "folder:" } else { EMBEDDED_PREFIX };
        format!("{prefix}{}", fingerprint(&self.files))
    }
}

fn default_db_path() -> anyhow::Result<PathBuf> {
    let Some(dir) = dirs::data_dir() else {
        bail!("cannot find a data directory for this user; pass --db PATH or set NORMWATCH_DB");
    };
    Ok(dir.join("normwatch").join("normwatch.sqlite"))
}

async fn open_store(db: Option<PathBuf>) -> anyhow::Result<Store> {
    let path = match db {
        Some(path) => path,
        None => default_db_path()?,
    };
    Ok(Store::open(&path).await?)
}

/// A fingerprint of knowledge-base files, to tell whether the database holds them.
fn fingerprint(files: &[KbFile]) -> String {
    let mut sorted: Vec<&KbFile> = files.iter().collect();
    sorted.sort_by(|a, b| a.path.cmp(&b.path));
    let mut hasher = Sha256::new();
    for file in sorted {
        hasher.update(file.path.as_bytes());
        hasher.update([0]);
        hasher.update(file.text.as_bytes());
        hasher.update([0]);
    }
    hasher.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

const EMBEDDED_PREFIX: &str = "built-in:";

/// Opens the store and makes sure it holds a knowledge base: on first start, or after an
/// upgrade brought a newer built-in one, the built-in knowledge base is loaded. A
/// knowledge base loaded from a folder with `init --kb` is left as it is.
async fn open_ready_store(db: Option<PathBuf>) -> anyhow::Result<Store> {
    let store = open_store(db).await?;
    let source = KbSource::read(None)?;
    let wanted = source.fingerprint();
    match store.kb_fingerprint().await? {
        Some(current) if current == wanted || !current.starts_with(EMBEDDED_PREFIX) => {}
        _ => {
            let summary = store.load_kb(&source.load()?, &wanted).await?;
            tracing::info!(records = summary.records, "loaded the built-in knowledge base");
        }
    }
    Ok(store)
}
