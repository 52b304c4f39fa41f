//! The `normwatch` command: parses arguments and settings into a plan, calls the
//! application layer (`normwatch-app`) and prints reports (`output`). Only this edge uses
//! `anyhow`; the crates below return typed errors, and their kind sets the exit code.

mod admin_cmd;
mod config;
mod coverage;
mod export_cmd;
mod measure_cmd;
mod output;
mod search_cmd;
mod texts_cmd;
mod user_cmd;
mod votes_cmd;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use normwatch_api as api;
use normwatch_app::App;
use normwatch_app::import::{ImportOptions, ImportPlan};
use normwatch_app::kb::{KbSource, KbState};
use normwatch_app::vote_queries::QueryError;
use normwatch_store::Store;
use output::Format;
use output::kb as kb_out;

#[derive(Parser)]
#[command(
    name = "normwatch",
    version,
    about = "An observatory of how norms for cyberspace are made at the United Nations",
    after_help = "Exit codes: 0 success, 1 error, 2 bad usage, 3 not found."
)]
struct Cli {
    /// The database: `sqlite://PATH`, a file path, or `postgres://user:password@host:port/db`
    /// [default: normwatch.sqlite in the user's data directory].
    #[arg(long, global = true, env = "NORMWATCH_DATABASE", value_name = "URL")]
    database: Option<String>,

    /// The SQLite database file (shorthand for `--database sqlite://PATH`).
    #[arg(long, global = true, env = "NORMWATCH_DB", value_name = "PATH")]
    db: Option<PathBuf>,

    /// The search index's folder [default: beside the SQLite file, `FILE.index`; required
    /// with PostgreSQL]. Derived data: `normwatch admin reindex` rebuilds it.
    #[arg(long, global = true, env = "NORMWATCH_INDEX_DIR", value_name = "DIR")]
    index_dir: Option<PathBuf>,

    /// Print machine-readable JSON instead of text.
    #[arg(long, global = true)]
    json: bool,

    /// Read settings (database, addr, measurement_config, votes) from this TOML file;
    /// the environment and the flags override it.
    #[arg(long, global = true, env = "NORMWATCH_CONFIG", value_name = "PATH")]
    config_file: Option<PathBuf>,

    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Create or update the database and load the knowledge base into it (one transaction).
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
    /// Serve the web UI and the JSON API; loads or upgrades the built-in knowledge base first.
    Serve {
        /// Where to listen [default: 127.0.0.1:8080, or `addr` in the settings].
        #[arg(long, env = "NORMWATCH_ADDR", value_name = "HOST:PORT")]
        addr: Option<SocketAddr>,
        /// Import roll-call votes from this dataset (a CSV file, gzipped or not, or a
        /// dataset's folder) before serving; repeatable. A dataset whose files (by SHA-256)
        /// are already imported is left as it is; all of them are imported in one transaction.
        #[arg(long = "votes", value_name = "PATH")]
        votes: Vec<PathBuf>,
        /// Read the measurement parameters from this file instead of the built-in
        /// config/measurement.toml (the same file the index commands take).
        #[arg(long, value_name = "PATH")]
        config: Option<PathBuf>,
        /// The site is reached over HTTPS (here or through a proxy): the self-assessment's
        /// session cookie gets the `Secure` flag.
        #[arg(long, env = "NORMWATCH_SECURE_COOKIES")]
        secure_cookies: bool,
        /// Self-assessment frameworks of your own: every `*.toml` file in this folder (the
        /// format of docs/frameworks.md) is offered beside the built-in ones; a malformed
        /// file stops the start with its file, line and column.
        #[arg(long, env = "NORMWATCH_FRAMEWORKS_DIR", value_name = "DIR")]
        frameworks: Option<PathBuf>,
        /// A reverse proxy in front of the server (an address or a network: 127.0.0.1,
        /// 10.0.0.0/8); repeatable. From it the client's address, which failed sign-ins are
        /// limited by, is read from `X-Forwarded-For`; from anyone else that header is
        /// ignored.
        #[arg(long = "trusted-proxy", env = "NORMWATCH_TRUSTED_PROXIES", value_delimiter = ',', value_name = "ADDR")]
        trusted_proxies: Vec<normwatch_app::proxies::IpRange>,
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
    /// List the norms, each with the instruments that carry it in time order.
    Norms,
    /// Search the knowledge base (and the texts imported): words, "phrases", prefixes
    /// (cyber*), OR, NOT or -word, brackets; a document symbol finds the document first.
    Search(search_cmd::SearchArgs),
    /// List the crosswalk: every edge from a norm to an instrument's element, with its source.
    Crosswalk {
        /// Print CSV (`--json` wins).
        #[arg(long)]
        csv: bool,
    },
    /// Import data: roll-call votes (`import votes PATH`), the General Debate speeches
    /// (`import speeches PATH`), a resolution's text (`import text PATH --symbol SYMBOL`).
    Import {
        #[command(subcommand)]
        command: votes_cmd::ImportCommand,
    },
    /// Count a word, prefix or phrase in the General Debate speeches, by year or speaker,
    /// or find each speaker's first use of it (`--first`).
    Terms(texts_cmd::TermsArgs),
    /// Every use of a word, prefix or phrase in the General Debate speeches, in context.
    Kwic(texts_cmd::KwicArgs),
    /// A document's paragraphs (an imported text's, or the knowledge base's reviewed
    /// ones) with their verbs and the verbs' strengths.
    Paragraphs {
        /// A UN document symbol in any common spelling.
        symbol: String,
    },
    /// Compare two held texts paragraph by paragraph and word by word (A the earlier, such
    /// as the draft), each change classified.
    Diff { a: String, b: String },
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
    /// The installation's accounts: add, list, passwd, role, disable, enable, audit.
    User {
        #[command(subcommand)]
        command: user_cmd::UserCommand,
    },
    /// Export data: `export dataset DIR` writes the open dataset (CSV and Parquet tables,
    /// datapackage.json, CITATION.cff).
    Export {
        #[command(subcommand)]
        command: export_cmd::ExportCommand,
    },
    /// For operators: migrate, back up or check the database.
    Admin {
        #[command(subcommand)]
        command: admin_cmd::AdminCommand,
    },
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

/// Arguments that contradict each other or name nothing valid: exit code 2, as clap's own.
#[derive(Debug)]
pub struct UsageError(String);

impl UsageError {
    pub fn new(message: impl Into<String>) -> UsageError {
        UsageError(message.into())
    }
}

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Something the user named does not exist: exit code 3.
#[derive(Debug)]
pub struct NotFound(String);

impl std::fmt::Display for NotFound {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotFound {}

/// The exit code of a failure, from the kind of its error: 2 bad usage, 3 not found, 1 else.
fn exit_code(error: &anyhow::Error) -> u8 {
    for cause in error.chain() {
        if cause.is::<UsageError>() {
            return 2;
        }
        if cause.is::<NotFound>() {
            return 3;
        }
        if let Some(error) = cause.downcast_ref::<normwatch_app::speeches::SpeechError>() {
            if error.is_not_found() {
                return 3;
            }
            if error.is_usage() {
                return 2;
            }
        }
        if let Some(error) = cause.downcast_ref::<normwatch_app::texts::TextError>() {
            if error.is_not_found() {
                return 3;
            }
            if error.is_usage() {
                return 2;
            }
        }
        if let Some(query) = cause.downcast_ref::<QueryError>() {
            if query.is_not_found() {
                return 3;
            }
            if query.is_usage() {
                return 2;
            }
        }
    }
    1
}

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
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(exit_code(&error))
        }
    }
}

/// The settings of this run: the file, the environment and these flags.
fn settings(cli: &Cli) -> anyhow::Result<config::Settings> {
    let database = match (&cli.database, &cli.db) {
        (Some(_), Some(_)) => {
            return Err(UsageError::new(
                "give the database once: --database URL (NORMWATCH_DATABASE) or --db PATH (NORMWATCH_DB), not both",
            )
            .into());
        }
        (Some(url), None) => Some(url.clone()),
        (None, Some(path)) => Some(path.display().to_string()),
        (None, None) => None,
    };
    let mut flags = config::Flags {
        config_file: cli.config_file.clone(),
        database,
        index_dir: cli.index_dir.clone(),
        ..Default::default()
    };
    match &cli.command {
        Command::Serve { addr, votes, config, .. } => {
            flags.addr = *addr;
            flags.votes = votes.clone();
            flags.measurement_config = config.clone();
        }
        Command::Index(args) => flags.measurement_config = args.config().map(Path::to_path_buf),
        Command::Lifecycle(args) => flags.measurement_config = args.config.config.clone(),
        Command::Figure(args) => flags.measurement_config = args.config.config.clone(),
        _ => {}
    }
    config::load(flags)
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = settings(&cli)?;
    let json = cli.json;
    let format = Format::of(json, false);
    let db = settings.database.clone();
    let index_dir = settings.index_dir.clone();
    match cli.command {
        Command::Kb { command: KbCommand::Check { kb } } => {
            let source = KbSource::read(kb.as_deref())?;
            let kb = source.load()?;
            let check = api::KbCheckJson { ok: true, records: kb.records.len(), sources: kb.sources.len() };
            output::print(&kb_out::Checked { origin: source.describe(), check }, format)
        }
        Command::Init { kb } => {
            let store = open_store(db).await?;
            let source = KbSource::read(kb.as_deref())?;
            let loaded = source.load_into(&store).await;
            store.close().await;
            let summary = loaded?;
            let init = api::InitJson {
                database: store.location().to_string(),
                knowledge_base: source.describe(),
                records: summary.records,
                claims: summary.claims,
                items: summary.items,
                sources: summary.sources,
            };
            output::print(&kb_out::Initialized(init), format)
        }
        Command::Show { symbol } => {
            let store = open_ready_store(db).await?;
            let found = store.find_document(&symbol).await;
            store.close().await;
            match found? {
                Ok(view) => output::print(&kb_out::Document(&view), format),
                Err(not_found) => {
                    if json {
                        output::print_json(&api::NotFoundJson {
                            error: not_found.message.clone(),
                            suggestions: not_found.suggestions.clone(),
                        })?;
                    }
                    let mut message = not_found.message;
                    if !not_found.suggestions.is_empty() {
                        message.push_str(&format!("\ndid you mean: {}", not_found.suggestions.join(", ")));
                    }
                    Err(NotFound(message).into())
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
                    rows.push(api::MentionJson {
                        file: path.display().to_string(),
                        line: mention.line(&text),
                        raw: mention.raw.clone(),
                        symbol,
                        inferred: mention.inferred,
                        known,
                    });
                }
            }
            output::print(&kb_out::Mentions(rows), format)
        }
        Command::Kb { command: KbCommand::Coverage { kb } } => {
            let kb = KbSource::read(kb.as_deref())?.load()?;
            print!("{}", coverage::markdown(&kb));
            Ok(())
        }
        Command::Kb { command: KbCommand::Stats } => {
            let store = open_ready_store(db).await?;
            let stats = store.stats().await;
            store.close().await;
            let stats = api::KbStatsJson::from(&stats?);
            output::print(&kb_out::Stats(stats), format)
        }
        Command::Series { command } => {
            let store = open_ready_store(db).await?;
            if let SeriesCommand::Show { id } = &command
                && let Err(error) = normwatch_app::vote_queries::check_series(&store, id).await
            {
                store.close().await;
                return Err(error.into());
            }
            let all = all_series(&store).await;
            store.close().await;
            let all = all?;
            let selected = match command {
                SeriesCommand::List => all,
                SeriesCommand::Show { id } => match all.into_iter().find(|s| s.id == id) {
                    Some(series) => vec![series],
                    None => {
                        return Err(
                            NotFound(format!("no series `{id}`; `normwatch series list` shows them all")).into()
                        );
                    }
                },
            };
            output::print(&kb_out::SeriesList(selected), format)
        }
        Command::Groups => {
            // The catalog's order (by start year), as the API lists them.
            let app = built_in_app(open_ready_store(db).await?, None)?;
            let catalog = app.catalog().await;
            app.store().close().await;
            let groups: Vec<api::GroupJson> = catalog?.groups.iter().map(api::GroupJson::from).collect();
            output::print(&kb_out::Groups(groups), format)
        }
        Command::Norms => {
            let app = measuring_app(db, settings.measurement_config.as_deref()).await?;
            let norms = normwatch_app::norms::read(&app, &KbSource::read(None)?).await;
            app.store().close().await;
            let norms: Vec<api::NormJson> = norms?.norms.iter().map(api::NormJson::from).collect();
            output::print(&output::norms::Norms(norms), format)
        }
        Command::Export { command } => {
            let app = measuring_app(db, settings.measurement_config.as_deref()).await?;
            let result = export_cmd::run(command, &app, format).await;
            app.store().close().await;
            result
        }
        Command::Crosswalk { csv } => {
            let app = measuring_app(db, settings.measurement_config.as_deref()).await?;
            let norms = normwatch_app::norms::read(&app, &KbSource::read(None)?).await;
            app.store().close().await;
            let edges: Vec<api::CrosswalkJson> = norms?.crosswalk.iter().map(api::CrosswalkJson::from).collect();
            output::print(&output::norms::Crosswalk(edges), Format::of(json, csv))
        }
        Command::Search(args) => {
            let app = built_in_app(open_ready_store(db).await?, index_dir)?;
            let result = search_cmd::run(args, &app, json).await;
            app.store().close().await;
            result
        }
        Command::Import { command } => {
            let app = built_in_app(open_store(db).await?, index_dir)?;
            let result = votes_cmd::import(command, &app, json).await;
            app.store().close().await;
            result
        }
        Command::Terms(args) => {
            let app = App::with_built_in_config(open_store(db).await?).await?;
            let result = texts_cmd::terms(&app, args, json).await;
            app.store().close().await;
            result
        }
        Command::Kwic(args) => {
            let app = App::with_built_in_config(open_store(db).await?).await?;
            let result = texts_cmd::kwic(&app, args, json).await;
            app.store().close().await;
            result
        }
        Command::Paragraphs { symbol } => {
            let app = App::with_built_in_config(open_store(db).await?).await?;
            let result = texts_cmd::paragraphs(&app, &symbol, json).await;
            app.store().close().await;
            result
        }
        Command::Diff { a, b } => {
            let app = App::with_built_in_config(open_store(db).await?).await?;
            let result = texts_cmd::diff(&app, &a, &b, json).await;
            app.store().close().await;
            result
        }
        Command::Votes { command } => {
            let app = built_in_app(open_ready_store(db).await?, index_dir)?;
            let result = votes_cmd::run(command, &app, json).await;
            app.store().close().await;
            result
        }
        Command::Index(args) => {
            let app = measuring_app(db, settings.measurement_config.as_deref()).await?;
            let result = measure_cmd::index(args, &app, json).await;
            app.store().close().await;
            result
        }
        Command::Lifecycle(args) => {
            let app = measuring_app(db, settings.measurement_config.as_deref()).await?;
            let result = measure_cmd::lifecycle(args, &app, json).await;
            app.store().close().await;
            result
        }
        Command::Figure(args) => {
            let app = measuring_app(db, settings.measurement_config.as_deref()).await?;
            let result = measure_cmd::figure(args, &app, json).await;
            app.store().close().await;
            result
        }
        Command::Serve { secure_cookies, frameworks, trusted_proxies, .. } => {
            serve(settings, secure_cookies, frameworks, trusted_proxies).await
        }
        Command::User { command } => {
            let store = open_store(db).await?;
            let app = App::with_built_in_config(store).await?;
            let result = user_cmd::run(command, &app, json).await;
            app.store().close().await;
            result
        }
        Command::Admin { command } => {
            let app = built_in_app(open_store(db).await?, index_dir)?;
            let result = admin_cmd::run(command, &app, format).await;
            app.store().close().await;
            result
        }
    }
}

/// `normwatch serve`: imports the configured vote datasets that are not imported yet (in
/// one transaction), then serves with the configured measurement parameters.
async fn serve(
    settings: config::Settings,
    secure_cookies: bool,
    frameworks: Option<PathBuf>,
    trusted_proxies: Vec<normwatch_app::proxies::IpRange>,
) -> anyhow::Result<()> {
    let store = open_store(settings.database.clone()).await?;
    match normwatch_app::kb::ensure_built_in(&store).await {
        Ok(KbState::Loaded(summary)) => tracing::info!(
            database = store.location(),
            records = summary.records,
            claims = summary.claims,
            "loaded the built-in knowledge base in one transaction (first start, or this binary brings a newer one)"
        ),
        Ok(KbState::Current) => tracing::info!(database = store.location(), "the knowledge base is current"),
        Err(error) => {
            store.close().await;
            return Err(error.into());
        }
    }
    let app = app_measuring(store, settings.measurement_config.as_deref(), settings.index_dir.clone()).await?;
    let Some(index_dir) = app.search_index_dir() else {
        app.store().close().await;
        bail!(
            "with PostgreSQL, give the search index's folder: --index-dir DIR (NORMWATCH_INDEX_DIR); each server keeps its own"
        );
    };
    tracing::info!(index = %index_dir.display(), "search index folder");
    if !settings.votes.is_empty() {
        let plan = ImportPlan::new(&settings.votes, None)?;
        let report = votes_cmd::import_plan(&app, plan, ImportOptions { skip_imported: true }).await?;
        for dataset in &report.skipped {
            tracing::info!(dataset = dataset.source_id(), "votes already imported from these files; left as they are");
        }
        for imported in &report.imported {
            let s = &imported.summary;
            tracing::info!(
                dataset = s.dataset.source_id(),
                roll_calls = s.roll_calls,
                votes = s.votes,
                "imported votes"
            );
        }
    }
    if let Some(dir) = frameworks {
        let files = framework_files(&dir)?;
        let catalog = app.install_frameworks(&files)?;
        tracing::info!(folder = %dir.display(), files = files.len(), frameworks = catalog.frameworks.len(), "frameworks installed");
    }
    first_admin(&app).await?;
    app.set_secure_cookies(secure_cookies);
    if !trusted_proxies.is_empty() {
        let list: Vec<String> = trusted_proxies.iter().map(ToString::to_string).collect();
        tracing::info!(proxies = %list.join(", "), "client addresses read from X-Forwarded-For from these proxies");
    }
    app.set_trusted_proxies(trusted_proxies);
    let addr = settings.addr;
    eprintln!("normwatch: serving {} on http://{addr}", app.store().location());
    normwatch_web::serve(normwatch_web::AppState { app }, addr)
        .await
        .with_context(|| format!("cannot serve on {addr} (is the port in use?)"))
}

/// The `*.toml` files of a folder of frameworks, in name order.
fn framework_files(dir: &Path) -> anyhow::Result<Vec<normwatch_app::assessments::FrameworkFile>> {
    let entries =
        std::fs::read_dir(dir).with_context(|| format!("cannot read the frameworks folder {}", dir.display()))?;
    let mut paths = Vec::new();
    for entry in entries {
        let path = entry.with_context(|| format!("cannot read the frameworks folder {}", dir.display()))?.path();
        if path.extension().is_some_and(|e| e == "toml") {
            paths.push(path);
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))?;
            Ok(normwatch_app::assessments::FrameworkFile { path: path.display().to_string(), text, builtin: false })
        })
        .collect()
}

/// The self-assessment's first administrator, on a first start: with no account yet,
/// `NORMWATCH_ADMIN_EMAIL` and the password in the file `NORMWATCH_ADMIN_PASSWORD_FILE` (or,
/// for containers that pass secrets so, `NORMWATCH_ADMIN_PASSWORD`) make the account; without
/// them the server says how to make one. Once any account exists both are ignored.
async fn first_admin(app: &normwatch_app::App) -> anyhow::Result<()> {
    if app.has_accounts().await? {
        return Ok(());
    }
    let email = std::env::var("NORMWATCH_ADMIN_EMAIL").ok().filter(|e| !e.trim().is_empty());
    let password = match std::env::var_os("NORMWATCH_ADMIN_PASSWORD_FILE") {
        Some(path) => {
            let text = std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read NORMWATCH_ADMIN_PASSWORD_FILE {}", Path::new(&path).display()))?;
            Some(text.trim_end_matches(['\n', '\r']).to_string())
        }
        None => std::env::var("NORMWATCH_ADMIN_PASSWORD").ok(),
    };
    match (email, password) {
        (Some(email), Some(password)) => {
            if let Some(admin) = app
                .ensure_first_admin(&email, &password)
                .await
                .context("cannot create the first administrator from NORMWATCH_ADMIN_EMAIL")?
            {
                eprintln!("normwatch: first start: added the administrator {admin}; sign in at /login");
            }
        }
        (Some(_), None) => bail!(
            "NORMWATCH_ADMIN_EMAIL is set but no password: put it in a file named by NORMWATCH_ADMIN_PASSWORD_FILE"
        ),
        (None, _) => eprintln!(
            "normwatch: no account yet: create the first administrator with \
             `printf '%s' \"$PASSWORD\" | normwatch user add EMAIL --role admin --password-stdin`, \
             or start with NORMWATCH_ADMIN_EMAIL and NORMWATCH_ADMIN_PASSWORD_FILE"
        ),
    }
    Ok(())
}

/// Every series with its documents, as the contract prints them.
async fn all_series(store: &Store) -> anyhow::Result<Vec<api::SeriesJson>> {
    let mut all = Vec::new();
    for record in store.records(normwatch_core::kb::RecordKind::Series).await? {
        let Some(series) = normwatch_core::view::SeriesView::resolve(&record) else { continue };
        let documents = store.series_documents(&series.id).await?;
        all.push(api::SeriesJson::new(&series, &documents));
    }
    Ok(all)
}

fn default_db_path() -> anyhow::Result<PathBuf> {
    let Some(dir) = dirs::data_dir() else {
        bail!(
            "cannot find a data directory for this user; pass --database URL or --db PATH, or set NORMWATCH_DATABASE"
        );
    };
    Ok(dir.join("normwatch").join("normwatch.sqlite"))
}

/// Opens the database the address names (`postgres://…`, `sqlite://PATH` or a path), or
/// the SQLite file in the data directory, and applies the migrations. Loads nothing.
async fn open_store(db: Option<String>) -> anyhow::Result<Store> {
    Ok(match db {
        Some(address) => Store::connect(&address).await?,
        None => Store::open(&default_db_path()?).await?,
    })
}

/// Opens the store for a reading command, which loads nothing: a database without a
/// knowledge base is an error that says to run `normwatch init`. The one exception is the
/// very first use of the default database (no --database or --db, and no file yet), so
/// that the README's first command works: the built-in knowledge base is loaded then.
async fn open_ready_store(db: Option<String>) -> anyhow::Result<Store> {
    let first_use = db.is_none() && !default_db_path()?.exists();
    let store = open_store(db).await?;
    let loaded = match normwatch_app::kb::is_loaded(&store).await {
        Ok(loaded) => loaded,
        Err(error) => {
            store.close().await;
            return Err(error.into());
        }
    };
    if loaded {
        return Ok(store);
    }
    if first_use {
        if let KbState::Loaded(summary) = normwatch_app::kb::ensure_built_in(&store).await? {
            tracing::info!(records = summary.records, "first use: loaded the built-in knowledge base");
        }
        return Ok(store);
    }
    store.close().await;
    bail!(
        "the database {} holds no knowledge base yet: run `normwatch init` on it first (with the same --database or --db)",
        store.location()
    )
}

/// An application measuring with the parameters of `config` (or the built-in ones),
/// checked against the knowledge base.
async fn measuring_app(db: Option<String>, config: Option<&Path>) -> anyhow::Result<App> {
    app_measuring(open_ready_store(db).await?, config, None).await
}

/// [`measuring_app`] over a store already opened, with its search index in `index_dir`
/// (default: beside a SQLite file).
async fn app_measuring(store: Store, config: Option<&Path>, index_dir: Option<PathBuf>) -> anyhow::Result<App> {
    match normwatch_app::measurement::load_config(config, &store).await {
        Ok(measurement) => Ok(App::with_index_dir(store, measurement, index_dir)),
        Err(error) => {
            store.close().await;
            Err(error.into())
        }
    }
}

/// An application measuring with the built-in parameters, with its search index in
/// `index_dir` (default: beside a SQLite file).
fn built_in_app(store: Store, index_dir: Option<PathBuf>) -> anyhow::Result<App> {
    Ok(App::with_index_dir(store, normwatch_measure::Config::default_config()?, index_dir))
}
