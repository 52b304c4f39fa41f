//! `normwatch import votes` and `normwatch votes …`: the arguments, resolved into an
//! import plan or a vote query, handed to the application, and printed as a report
//! (`crate::output::votes`).

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, Subcommand, ValueEnum};
use normwatch_app::App;
use normwatch_app::import::{ImportOptions, ImportPlan, Progress};
use normwatch_app::vote_queries::VoteQuery;
use normwatch_core::state::StateRegistry;
use normwatch_core::{Iso3, Symbol};
use normwatch_votes::analysis;
use normwatch_votes::model::Dataset;

use crate::UsageError;
use crate::output::votes::{
    AgreementReport, CohesionReport, CrossChecks, Imported, Imports, PairReport, Record, RollCalls, SideBySideReport,
};
use crate::output::{self, Format};

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
    /// Import the UN General Debate Corpus: its .tar.gz (or .tar), read as a stream, or a
    /// folder of ISO3_NN_YYYY.txt files. Importing again replaces every speech held. Every
    /// entry that is not a speech, and every speaker code the state registry does not know,
    /// is reported.
    Speeches { path: PathBuf },
    /// Import the text of a resolution or draft (plain text, or PDF) as paragraphs, citing
    /// the file and its SHA-256. Importing a symbol again replaces its text.
    Text {
        path: PathBuf,
        /// The document's symbol in any common spelling: A/RES/57/239, R/57/239.
        #[arg(long)]
        symbol: String,
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
    /// A series' recorded votes side by side (every imported one by default), with each
    /// roll call's totals and No voters and the states that moved from yes to no.
    Cyber {
        /// The series (default: the measurement's `figures.positions_series`, the
        /// First Committee's ICT-security resolutions).
        #[arg(long, value_name = "ID")]
        series: Option<String>,
        #[arg(long, value_name = "YEAR")]
        from_year: Option<i32>,
        #[arg(long, value_name = "YEAR")]
        to_year: Option<i32>,
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
    pub from_session: Option<u16>,
    /// Last regular session (inclusive).
    #[arg(long, value_name = "N")]
    pub to_session: Option<u16>,
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

impl ScopeArgs {
    fn query(&self) -> VoteQuery {
        VoteQuery {
            sessions: match (self.from_session, self.to_session) {
                (None, None) => None,
                (from, to) => Some((from.unwrap_or(1), to.unwrap_or(u16::MAX))),
            },
            years: None,
            series: self.series.clone(),
            issue: self.issue.clone(),
            dataset: self.dataset.map(FormatArg::dataset),
        }
    }
}

impl Output {
    fn format(self, json: bool) -> Format {
        Format::of(json, self.csv)
    }
}

// ------------------------------------------------------------------ import

/// `normwatch import votes PATH`.
pub async fn import(command: ImportCommand, app: &App, json: bool) -> anyhow::Result<()> {
    let (path, format) = match command {
        ImportCommand::Votes { path, format } => (path, format),
        ImportCommand::Speeches { path } => return crate::texts_cmd::import_speeches(app, path, json).await,
        ImportCommand::Text { path, symbol } => return crate::texts_cmd::import_text(app, path, symbol, json).await,
    };
    let plan = ImportPlan::new(&[path], format.map(FormatArg::dataset))?;
    let report = import_plan(app, plan, ImportOptions::default()).await?;
    output::print(&Imported(&report), Format::of(json, false))
}

/// Runs an import plan with a progress bar on a terminal.
pub async fn import_plan(
    app: &App,
    plan: ImportPlan,
    options: ImportOptions,
) -> anyhow::Result<normwatch_app::import::ImportReport> {
    let bar = Bar::new(plan.total_bytes());
    let result = app.import_votes(plan, options, bar.clone()).await;
    bar.finish();
    result.map_err(|error| anyhow::Error::from(error).context("nothing was imported; the database is as it was"))
}

/// A progress bar over the bytes read, shown only when stderr is a terminal.
struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    fn new(total: u64) -> Arc<Bar> {
        if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            return Arc::new(Bar(None));
        }
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{msg:>10} {bar:40} {bytes}/{total_bytes} {elapsed}")
        {
            bar.set_style(style);
        }
        bar.set_message("importing");
        Arc::new(Bar(Some(bar)))
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn read(&self, bytes: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(bytes);
        }
    }
}

// ------------------------------------------------------------------ analyses

/// `normwatch votes …`.
pub async fn run(command: VotesCommand, app: &App, json: bool) -> anyhow::Result<()> {
    match command {
        VotesCommand::Imports => output::print(&Imports(app.vote_imports().await?), Format::of(json, false)),
        VotesCommand::Rollcall { symbol, output } => {
            let symbol = Symbol::parse(&symbol)?;
            output::print(&RollCalls(app.roll_call_reports(&symbol).await?), output.format(json))
        }
        VotesCommand::Record { state, scope, output } => {
            let state = parse_state(&state)?;
            let selection = app.select_votes(scope.query()).await?;
            let record = analysis::state_record(&selection.roll_calls()?, state);
            output::print(&Record { selection: &selection, record }, output.format(json))
        }
        VotesCommand::Cohesion { states, scope, output } => {
            let group: Vec<Iso3> =
                states.split(',').filter(|s| !s.trim().is_empty()).map(parse_state).collect::<anyhow::Result<_>>()?;
            if group.len() < 2 {
                return Err(UsageError::new("cohesion needs at least two states, comma-separated: USA,GBR,FRA").into());
            }
            let selection = app.select_votes(scope.query()).await?;
            let cohesion = analysis::cohesion(&selection.roll_calls()?, &group);
            output::print(&CohesionReport { selection: &selection, cohesion }, output.format(json))
        }
        VotesCommand::Agreement { scope, output } => {
            if scope.from_session.is_none() || scope.to_session.is_none() {
                return Err(UsageError::new(
                    "give the sessions: normwatch votes agreement --from-session 60 --to-session 74",
                )
                .into());
            }
            let selection = app.select_votes(scope.query()).await?;
            let selected = selection.roll_calls()?;
            let pairs = analysis::agreement(&selected);
            let report = AgreementReport { selection: &selection, roll_calls: selected.len(), pairs };
            output::print(&report, output.format(json))
        }
        VotesCommand::Pair { a, b, scope, output } => {
            let (a, b) = (parse_state(&a)?, parse_state(&b)?);
            let selection = app.select_votes(scope.query()).await?;
            let selected = selection.roll_calls()?;
            let years = analysis::pair_by_year(&selected, a, b);
            let (identical, n) = analysis::pair_agreement(&selected, a, b);
            output::print(&PairReport { selection: &selection, a, b, identical, n, years }, output.format(json))
        }
        VotesCommand::Cyber { series, from_year, to_year, dataset, output } => {
            let series = series.unwrap_or_else(|| app.measurement_config().positions_series.clone());
            let years = match (from_year, to_year) {
                (None, None) => None,
                (from, to) => Some((from.unwrap_or(i32::MIN), to.unwrap_or(i32::MAX))),
            };
            let query = VoteQuery {
                years,
                series: Some(series.clone()),
                dataset: dataset.map(FormatArg::dataset),
                ..VoteQuery::default()
            };
            let selection = app.select_votes(query).await?;
            let selected = selection.roll_calls()?;
            let (Some(first), Some(last)) =
                (selected.iter().map(|r| r.year).min(), selected.iter().map(|r| r.year).max())
            else {
                let within = match (from_year, to_year) {
                    (None, None) => String::new(),
                    (from, to) => format!(" in {}", normwatch_app::years::year_span(from, to)),
                };
                anyhow::bail!(
                    "no recorded vote on the documents of {series}{within} in the imported data; import the voting datasets first"
                );
            };
            let sides = analysis::side_by_side(&selected);
            let report = SideBySideReport { selection: &selection, series, years: (first, last), sides };
            output::print(&report, output.format(json))
        }
        VotesCommand::Crosscheck { output } => {
            output::print(&CrossChecks(app.crosscheck().await?), output.format(json))
        }
    }
}

/// A state by ISO3 code or name (an unknown one is an error, exit code 1, as it always was).
fn parse_state(text: &str) -> anyhow::Result<Iso3> {
    match StateRegistry::global().lookup(text) {
        Some(info) => Ok(info.iso3),
        None => {
            Err(Iso3::parse(text).err().map_or_else(|| anyhow::anyhow!("`{text}` is not a state"), anyhow::Error::from))
        }
    }
}
