//! The measurement of norm emergence over the current database: the parameters (the
//! built-in `config/measurement.toml` or a file), the inputs read from the store, and the
//! index, life cycles and figures computed from them.

use std::path::Path;

use normwatch_core::Symbol;
use normwatch_core::kb::{RecordKind, SourceRef};
use normwatch_core::state::StateRegistry;
use normwatch_measure::{Config, FIGURE_NAMES, IndexPoint, Inputs, Lifecycle, Scope, StateVote};
use normwatch_store::{Store, StoreError};
use normwatch_votes::model::preferred_adoption_vote;

use crate::{AppError, Result};

/// Everything the measurement shows, computed from one revision of the database.
pub struct Measured {
    pub inputs: Inputs,
    pub trend: Vec<IndexPoint>,
    pub lifecycles: Vec<Lifecycle>,
    pub figures: Vec<normwatch_measure::Svg>,
    /// What could not be computed, in words (a figure without data, say).
    pub problems: Vec<String>,
}

/// Reads and validates the measurement parameters: the built-in file, or `path`; every
/// cited source is checked against the knowledge base's source registry.
pub async fn load_config(path: Option<&Path>, store: &Store) -> Result<Config> {
    let (text, origin) = match path {
        Some(path) => (
            std::fs::read_to_string(path).map_err(|source| AppError::Read { path: path.to_path_buf(), source })?,
            path.display().to_string(),
        ),
        None => (normwatch_measure::DEFAULT_CONFIG.to_string(), "the built-in config/measurement.toml".to_string()),
    };
    let config =
        Config::parse(&text).map_err(|e| AppError::Config { origin: origin.clone(), message: e.to_string() })?;
    for (i, pattern) in config.salience_lexicon.iter().enumerate() {
        if let Err(error) = normwatch_text::pattern::Pattern::parse(pattern) {
            return Err(AppError::Config {
                origin,
                message: format!(
                    "measurement configuration, key `salience.lexicon.value`, pattern {}: `{pattern}`: {error}",
                    i + 1
                ),
            });
        }
    }
    let registry = store.sources().await?;
    for (key, source) in config.cited_sources() {
        if let Err(reason) = SourceRef::parse(&source, &registry) {
            return Err(AppError::Config {
                origin,
                message: format!("measurement configuration, key `{key}.sources`: `{source}`: {reason}"),
            });
        }
    }
    Ok(config)
}

/// Everything the measurements read, from every layer of the database: the records, and
/// what states said in the General Debate where the speeches are imported (salience, with
/// the configuration's lexicon).
pub async fn load_inputs(store: &Store, config: &Config) -> Result<Inputs> {
    let mut records = Vec::new();
    for kind in [RecordKind::Document, RecordKind::Group, RecordKind::Body, RecordKind::Event] {
        records.extend(store.records(kind).await?);
    }
    let mut inputs = Inputs::from_records(&records, Vec::new());
    // Without a lexicon salience is not measured: no speakers means missing, not zero.
    if !config.salience_lexicon.is_empty() {
        inputs.debate = crate::speeches::debate(store, &config.salience_lexicon).await?;
    }
    Ok(inputs)
}

/// Per-state votes on the documents of a series, from the imported roll calls (the
/// adoption vote in the preferred dataset).
pub async fn state_votes(store: &Store, inputs: &Inputs, series: &str) -> Result<Vec<StateVote>, StoreError> {
    let mut out = Vec::new();
    let symbols: Vec<Symbol> =
        inputs.documents.iter().filter(|d| d.series.as_deref() == Some(series)).map(|d| d.symbol.clone()).collect();
    for symbol in symbols {
        let roll_calls = store.roll_calls_for(&symbol).await?;
        let Some(adoption) = preferred_adoption_vote(&roll_calls) else { continue };
        for state in StateRegistry::global().all() {
            if let Some(vote) = adoption.vote(state.iso3) {
                out.push(StateVote {
                    symbol: symbol.clone(),
                    state: state.iso3,
                    vote,
                    source: format!("{} {}", adoption.dataset.source_id(), adoption.record_ref()),
                });
            }
        }
    }
    Ok(out)
}

/// The inputs with the positions series' votes filled in.
pub async fn inputs_with_votes(store: &Store, config: &Config) -> Result<Inputs> {
    let mut inputs = load_inputs(store, config).await?;
    inputs.state_votes = state_votes(store, &inputs, &config.positions_series).await?;
    Ok(inputs)
}

/// Computes the trend stream's index, every life cycle and the four figures.
pub async fn compute(store: &Store, config: &Config) -> Result<Measured> {
    let inputs = inputs_with_votes(store, config).await?;
    let mut problems = Vec::new();
    let trend = match normwatch_measure::measure(&inputs, &Scope::Stream(config.trend_stream), config) {
        Ok(points) => points,
        Err(e) => {
            problems.push(e.to_string());
            Vec::new()
        }
    };
    let lifecycles = normwatch_measure::lifecycles(&inputs, None, config);
    let mut figures = Vec::new();
    for name in FIGURE_NAMES {
        match normwatch_measure::figure(name, &inputs, config) {
            Ok(svg) => figures.push(svg),
            Err(e) => problems.push(e.to_string()),
        }
    }
    Ok(Measured { inputs, trend, lifecycles, figures, problems })
}
