//! `normwatch index`, `index sensitivity`, `lifecycle` and `figure`: the measurement of
//! norm emergence (crate `normwatch-measure`) over the database, printed as reports
//! (`crate::output::measure`; JSON from `normwatch-api`), and the figures written as SVG.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::{Args, Subcommand};
use normwatch_app::App;
use normwatch_app::measurement::{load_inputs, state_votes};
use normwatch_app::vote_queries::check_series;
use normwatch_core::domain::Stream;
use normwatch_measure::index::ranks;
use normwatch_measure::{Config, IndexPoint, Scope};

use crate::output::measure::{FigureWritten, IndexReport, LifecycleReport, SensitivityReport};
use crate::output::{self, Format};

/// Where the measurement parameters come from.
#[derive(Args, Debug, Clone)]
pub struct ConfigArg {
    /// Read the measurement parameters from this file instead of the built-in
    /// config/measurement.toml.
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,
}

/// What to measure.
#[derive(Args, Debug, Clone)]
pub struct ScopeArgs {
    /// Measure every resolution of a stream: politico-military, economic, linking, internet-governance
    /// [default: the configured trend stream, politico-military].
    #[arg(long, value_parser = parse_stream, conflicts_with = "series")]
    stream: Option<Stream>,
    /// Measure one resolution series (see `normwatch series list`).
    #[arg(long, value_name = "ID")]
    series: Option<String>,
    /// First year to print.
    #[arg(long, value_name = "YEAR")]
    from: Option<i32>,
    /// Last year to print.
    #[arg(long, value_name = "YEAR")]
    to: Option<i32>,
    #[command(flatten)]
    config: ConfigArg,
}

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct IndexArgs {
    #[command(subcommand)]
    command: Option<IndexCommand>,
    #[command(flatten)]
    scope: ScopeArgs,
    /// Print CSV: year, index, coverage and one column per indicator.
    #[arg(long)]
    csv: bool,
}

#[derive(Subcommand, Debug)]
pub enum IndexCommand {
    /// How the yearly ranking moves when each weight moves by ±50%.
    Sensitivity(ScopeArgs),
}

#[derive(Args, Debug)]
pub struct LifecycleArgs {
    /// Only this series (without it: every series and every norm).
    #[arg(long, value_name = "ID")]
    series: Option<String>,
    #[command(flatten)]
    pub config: ConfigArg,
}

#[derive(Args, Debug)]
pub struct FigureArgs {
    /// two-streams, sponsorship, trend or positions.
    #[arg(value_parser = clap::builder::PossibleValuesParser::new(normwatch_measure::FIGURE_NAMES))]
    name: String,
    /// The SVG file to write.
    #[arg(long, value_name = "FILE.svg")]
    out: PathBuf,
    #[command(flatten)]
    pub config: ConfigArg,
}

fn parse_stream(text: &str) -> Result<Stream, String> {
    text.parse::<Stream>().map_err(|e| e.to_string())
}

impl IndexArgs {
    /// The measurement parameters file this command names, if any.
    pub fn config(&self) -> Option<&Path> {
        match &self.command {
            Some(IndexCommand::Sensitivity(scope)) => scope.config.config.as_deref(),
            None => self.scope.config.config.as_deref(),
        }
    }
}

/// What to measure; the one check that a named series exists.
async fn scope_of(args: &ScopeArgs, app: &App) -> anyhow::Result<Scope> {
    match (&args.series, args.stream) {
        (Some(id), _) => {
            check_series(app.store(), id).await?;
            Ok(Scope::Series(id.clone()))
        }
        (None, Some(stream)) => Ok(Scope::Stream(stream)),
        (None, None) => Ok(Scope::Stream(app.measurement_config().trend_stream)),
    }
}

fn in_range(year: i32, args: &ScopeArgs) -> bool {
    args.from.is_none_or(|from| year >= from) && args.to.is_none_or(|to| year <= to)
}

// ------------------------------------------------------------------ commands

/// `normwatch index` and `normwatch index sensitivity`, measuring with the app's parameters.
pub async fn index(args: IndexArgs, app: &App, json: bool) -> anyhow::Result<()> {
    if let Some(IndexCommand::Sensitivity(scope)) = args.command {
        return sensitivity(scope, app, json).await;
    }
    let scope = scope_of(&args.scope, app).await?;
    let inputs = load_inputs(app.store(), app.measurement_config()).await?;
    let points: Vec<IndexPoint> = normwatch_measure::measure(&inputs, &scope, app.measurement_config())?
        .into_iter()
        .filter(|p| in_range(p.year, &args.scope))
        .collect();
    output::print(&IndexReport { scope: scope.label(), points }, Format::of(json, args.csv))
}

async fn sensitivity(args: ScopeArgs, app: &App, json: bool) -> anyhow::Result<()> {
    let config: &Config = app.measurement_config();
    let scope = scope_of(&args, app).await?;
    let inputs = load_inputs(app.store(), app.measurement_config()).await?;
    let years: Vec<normwatch_measure::YearMeasure> = normwatch_measure::yearly_indicators(&inputs, &scope, config)?
        .into_iter()
        .filter(|y| in_range(y.year, &args))
        .collect();
    let factors = [0.5, 1.5];
    let base: Vec<(i32, Option<f64>)> = normwatch_measure::index(&years, &config.weights, config.min_coverage)
        .iter()
        .map(|p| (p.year, p.value))
        .collect();
    let base_ranks = ranks(&base);
    let runs = normwatch_measure::sensitivity(&years, config, &factors);
    let report = SensitivityReport {
        scope: scope.label(),
        factors: factors.to_vec(),
        base: base.iter().zip(&base_ranks).map(|((year, value), (_, rank))| (*year, *value, *rank)).collect(),
        runs,
    };
    output::print(&report, Format::of(json, false))
}

/// `normwatch lifecycle`.
pub async fn lifecycle(args: LifecycleArgs, app: &App, json: bool) -> anyhow::Result<()> {
    if let Some(id) = &args.series {
        check_series(app.store(), id).await?;
    }
    let inputs = load_inputs(app.store(), app.measurement_config()).await?;
    let all = normwatch_measure::lifecycles(&inputs, args.series.as_deref(), app.measurement_config());
    output::print(&LifecycleReport(all), Format::of(json, false))
}

/// `normwatch figure NAME --out FILE`.
pub async fn figure(args: FigureArgs, app: &App, json: bool) -> anyhow::Result<()> {
    let config = app.measurement_config();
    let mut inputs = load_inputs(app.store(), app.measurement_config()).await?;
    if args.name == "positions" {
        inputs.state_votes = state_votes(app.store(), &inputs, &config.positions_series).await?;
    }
    let svg = normwatch_measure::figure(&args.name, &inputs, config)?;
    std::fs::write(&args.out, &svg.svg).with_context(|| format!("writing {}", args.out.display()))?;
    output::print(&FigureWritten { svg, out: args.out }, Format::of(json, false))
}
