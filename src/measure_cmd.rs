//! `normwatch index`, `index sensitivity`, `lifecycle` and `figure`: the measurement of
//! norm emergence (crate `normwatch-measure`) over the database, printed as text, JSON or
//! CSV, and the figures written as SVG.
//!
//! The JSON shapes printed here are this module's own; their field names are an interface
//! (add, never rename). `docs/methods.md` documents them.

use std::path::PathBuf;

use anyhow::{Context, bail};
use clap::{Args, Subcommand};
use normwatch_api::{IndexPointJson, LifecycleJson};
use normwatch_core::domain::Stream;
use normwatch_core::kb::{RecordKind, SourceRef};
use normwatch_measure::index::ranks;
use normwatch_measure::{Config, IndexPoint, Inputs, Scope};
use normwatch_store::Store;
use serde::Serialize;

/// Where the measurement parameters come from.
#[derive(Args, Debug, Clone)]
pub struct ConfigArg {
    /// Read the measurement parameters from this file instead of the built-in
    /// config/measurement.toml.
    #[arg(long, value_name = "PATH")]
    config: Option<PathBuf>,
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
    config: ConfigArg,
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
    config: ConfigArg,
}

fn parse_stream(text: &str) -> Result<Stream, String> {
    text.parse::<Stream>().map_err(|e| e.to_string())
}

// ------------------------------------------------------------------ JSON shapes

#[derive(Serialize)]
pub struct RankJson {
    pub year: i32,
    pub value: Option<f64>,
    pub rank: Option<usize>,
}

#[derive(Serialize)]
pub struct SensitivityYearJson {
    pub year: i32,
    pub base_rank: Option<usize>,
    pub rank: Option<usize>,
    pub value: Option<f64>,
}

#[derive(Serialize)]
pub struct SensitivityRunJson {
    pub indicator: &'static str,
    pub factor: f64,
    pub weight: f64,
    pub max_shift: usize,
    pub spearman: Option<f64>,
    pub years: Vec<SensitivityYearJson>,
}

#[derive(Serialize)]
pub struct SensitivityJson {
    pub scope: String,
    pub factors: Vec<f64>,
    pub base: Vec<RankJson>,
    pub runs: Vec<SensitivityRunJson>,
}

#[derive(Serialize)]
pub struct FigureJson {
    pub name: String,
    pub out: String,
    pub title: String,
    pub caption: String,
    pub sources: Vec<String>,
}

// ------------------------------------------------------------------ loading

/// Reads and validates the parameters: the built-in file or `--config PATH`, every cited
/// source checked against the knowledge base's registry.
async fn load_config(arg: &ConfigArg, store: &Store) -> anyhow::Result<Config> {
    let (text, origin) = match &arg.config {
        Some(path) => (
            std::fs::read_to_string(path)
                .with_context(|| format!("reading the measurement configuration {}", path.display()))?,
            path.display().to_string(),
        ),
        None => (normwatch_measure::DEFAULT_CONFIG.to_string(), "the built-in config/measurement.toml".to_string()),
    };
    let config = Config::parse(&text).with_context(|| format!("in {origin}"))?;
    let registry = store.sources().await?;
    for (key, source) in config.cited_sources() {
        if let Err(reason) = SourceRef::parse(&source, &registry) {
            bail!("in {origin}: measurement configuration, key `{key}.sources`: `{source}`: {reason}");
        }
    }
    Ok(config)
}

/// Everything the measurements read, from every layer of the database.
async fn load_inputs(store: &Store) -> anyhow::Result<Inputs> {
    let mut records = Vec::new();
    for kind in [RecordKind::Document, RecordKind::Group, RecordKind::Body, RecordKind::Event] {
        records.extend(store.records(kind).await?);
    }
    Ok(Inputs::from_records(&records, Vec::new()))
}

async fn scope_of(args: &ScopeArgs, config: &Config, inputs: &Inputs) -> anyhow::Result<Scope> {
    match (&args.series, args.stream) {
        (Some(id), _) => {
            if !inputs.documents.iter().any(|d| d.series.as_deref() == Some(id.as_str())) {
                let mut known: Vec<&str> = inputs.documents.iter().filter_map(|d| d.series.as_deref()).collect();
                known.sort();
                known.dedup();
                eprintln!("error: no series `{id}`; known series: {}", known.join(", "));
                return Err(crate::NotFoundExit.into());
            }
            Ok(Scope::Series(id.clone()))
        }
        (None, Some(stream)) => Ok(Scope::Stream(stream)),
        (None, None) => Ok(Scope::Stream(config.trend_stream)),
    }
}

fn in_range(year: i32, args: &ScopeArgs) -> bool {
    args.from.is_none_or(|from| year >= from) && args.to.is_none_or(|to| year <= to)
}

fn cell(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.3}"))
}

// ------------------------------------------------------------------ commands

pub async fn index(args: IndexArgs, db: Option<PathBuf>, json: bool) -> anyhow::Result<()> {
    if let Some(IndexCommand::Sensitivity(scope)) = args.command {
        return sensitivity(scope, db, json).await;
    }
    let store = crate::open_ready_store(db).await?;
    let config = load_config(&args.scope.config, &store).await;
    let inputs = load_inputs(&store).await;
    store.close().await;
    let (config, inputs) = (config?, inputs?);
    let scope = scope_of(&args.scope, &config, &inputs).await?;
    let points: Vec<IndexPoint> = normwatch_measure::measure(&inputs, &scope, &config)?
        .into_iter()
        .filter(|p| in_range(p.year, &args.scope))
        .collect();
    if json {
        let out: Vec<IndexPointJson> = points.iter().map(IndexPointJson::from).collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else if args.csv {
        let mut writer = csv::Writer::from_writer(std::io::stdout());
        let mut header = vec!["year".to_string(), "value".to_string(), "coverage".to_string()];
        header.extend(normwatch_measure::Indicator::ALL.iter().map(|i| i.as_str().to_string()));
        writer.write_record(&header)?;
        for point in &points {
            let mut row = vec![point.year.to_string(), opt(point.value), format!("{}", point.coverage)];
            row.extend(point.components.iter().map(|c| opt(c.value)));
            writer.write_record(&row)?;
        }
        writer.flush()?;
    } else {
        println!("Norm-emergence index, {} (— = missing)", scope.label());
        let names: Vec<String> =
            normwatch_measure::Indicator::ALL.iter().map(|i| format!("{:>10.10}", i.as_str())).collect();
        println!("{:<6}{:>8}  {}", "year", "index", names.join(" "));
        for point in &points {
            let values: Vec<String> = point.components.iter().map(|c| format!("{:>10}", cell(c.value))).collect();
            println!("{:<6}{:>8}  {}", point.year, cell(point.value), values.join(" "));
        }
        println!("\n`--json` decomposes every value into indicators and the cited facts behind them.");
    }
    Ok(())
}

fn opt(value: Option<f64>) -> String {
    value.map_or_else(String::new, |v| format!("{v}"))
}

async fn sensitivity(args: ScopeArgs, db: Option<PathBuf>, json: bool) -> anyhow::Result<()> {
    let store = crate::open_ready_store(db).await?;
    let config = load_config(&args.config, &store).await;
    let inputs = load_inputs(&store).await;
    store.close().await;
    let (config, inputs) = (config?, inputs?);
    let scope = scope_of(&args, &config, &inputs).await?;
    let years: Vec<normwatch_measure::YearMeasure> = normwatch_measure::yearly_indicators(&inputs, &scope, &config)?
        .into_iter()
        .filter(|y| in_range(y.year, &args))
        .collect();
    let factors = [0.5, 1.5];
    let base: Vec<(i32, Option<f64>)> = normwatch_measure::index(&years, &config.weights, config.min_coverage)
        .iter()
        .map(|p| (p.year, p.value))
        .collect();
    let base_ranks = ranks(&base);
    let runs = normwatch_measure::sensitivity(&years, &config, &factors);
    let out = SensitivityJson {
        scope: scope.label(),
        factors: factors.to_vec(),
        base: base
            .iter()
            .zip(&base_ranks)
            .map(|((year, value), (_, rank))| RankJson { year: *year, value: *value, rank: *rank })
            .collect(),
        runs: runs
            .iter()
            .map(|r| SensitivityRunJson {
                indicator: r.indicator.as_str(),
                factor: r.factor,
                weight: r.weight,
                max_shift: r.max_shift,
                spearman: r.spearman,
                years: r
                    .years
                    .iter()
                    .map(|m| SensitivityYearJson { year: m.year, base_rank: m.base_rank, rank: m.rank, value: m.value })
                    .collect(),
            })
            .collect(),
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    println!("Sensitivity of the yearly ranking, {} (rank 1 = highest index)", out.scope);
    println!("{:<22}{:>8}{:>8}{:>11}{:>10}  years that move", "indicator", "factor", "weight", "max shift", "spearman");
    for run in &out.runs {
        let moved: Vec<String> = run
            .years
            .iter()
            .filter(|y| y.base_rank != y.rank)
            .map(|y| {
                format!(
                    "{} {}→{}",
                    y.year,
                    y.base_rank.map_or("—".into(), |r| r.to_string()),
                    y.rank.map_or("—".into(), |r| r.to_string())
                )
            })
            .collect();
        println!(
            "{:<22}{:>8}{:>8}{:>11}{:>10}  {}",
            run.indicator,
            format!("×{}", run.factor),
            format!("{}", run.weight),
            run.max_shift,
            run.spearman.map_or("—".into(), |s| format!("{s:.3}")),
            if moved.is_empty() { "none".to_string() } else { moved.join(", ") }
        );
    }
    Ok(())
}

pub async fn lifecycle(args: LifecycleArgs, db: Option<PathBuf>, json: bool) -> anyhow::Result<()> {
    let store = crate::open_ready_store(db).await?;
    let config = load_config(&args.config, &store).await;
    let inputs = load_inputs(&store).await;
    store.close().await;
    let (config, inputs) = (config?, inputs?);
    if let Some(id) = &args.series
        && !inputs.documents.iter().any(|d| d.series.as_deref() == Some(id.as_str()))
    {
        eprintln!("error: no series `{id}`; `normwatch series list` shows them all");
        return Err(crate::NotFoundExit.into());
    }
    let all = normwatch_measure::lifecycles(&inputs, args.series.as_deref(), &config);
    let out: Vec<LifecycleJson> = all.iter().map(LifecycleJson::from).collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    if let Some(first) = out.first() {
        println!("Rule: {}\n", first.rule);
    }
    for l in &out {
        println!("{} {} — {}", l.kind, l.id, l.stage);
        if let Some(title) = &l.title {
            println!("  {title}");
        }
        println!("  {}", l.reason);
    }
    Ok(())
}

pub async fn figure(args: FigureArgs, db: Option<PathBuf>, json: bool) -> anyhow::Result<()> {
    let store = crate::open_ready_store(db).await?;
    let config = load_config(&args.config, &store).await;
    let inputs = load_inputs(&store).await;
    let (config, mut inputs) = match (config, inputs) {
        (Ok(c), Ok(i)) => (c, i),
        (Err(e), _) | (_, Err(e)) => {
            store.close().await;
            return Err(e);
        }
    };
    if args.name == "positions" {
        let votes = normwatch_app::measurement::state_votes(&store, &inputs, &config.positions_series).await;
        match votes {
            Ok(votes) => inputs.state_votes = votes,
            Err(e) => {
                store.close().await;
                return Err(e.into());
            }
        }
    }
    store.close().await;
    let svg = normwatch_measure::figure(&args.name, &inputs, &config)?;
    std::fs::write(&args.out, &svg.svg).with_context(|| format!("writing {}", args.out.display()))?;
    if json {
        let out = FigureJson {
            name: svg.name.clone(),
            out: args.out.display().to_string(),
            title: svg.title.clone(),
            caption: svg.caption.clone(),
            sources: svg.sources.clone(),
        };
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!("wrote {} ({}): {}", args.out.display(), svg.name, svg.title);
    }
    Ok(())
}
