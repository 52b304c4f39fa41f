//! The measurement of norm emergence (crate `normwatch-measure`): the index of the trend
//! stream with its decomposition, the life-cycle stages, the four figures and the weights
//! with their rationale. Computed once per state of the database and kept.

use std::sync::{Arc, Mutex, OnceLock};

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use normwatch_core::Symbol;
use normwatch_core::kb::RecordKind;
use normwatch_core::state::StateRegistry;
use normwatch_measure::{Config, FIGURE_NAMES, IndexPoint, Indicator, Inputs, Lifecycle, Scope, StateVote};
use normwatch_store::{Store, StoreError};
use normwatch_votes::model::preferred_adoption_vote;
use serde_json::json;

use crate::AppState;
use crate::browse::Figure;
use crate::catalog::Catalog;
use crate::charts::{self, Series};
use crate::contract::{FigureJson, IndexPointJson, LifecycleJson, MeasurementJson, Table, WeightJson};
use crate::http::{AppError, Params, json_response, table_response};

/// Everything the measurement page shows, computed from one state of the database.
struct Measured {
    config: Config,
    inputs: Inputs,
    trend: Vec<IndexPoint>,
    lifecycles: Vec<Lifecycle>,
    figures: Vec<normwatch_measure::Svg>,
    problems: Vec<String>,
}

fn measure_error(e: normwatch_measure::MeasureError) -> AppError {
    AppError::Internal(format!("measurement: {e}"))
}

/// Per-state votes on the positions series, from the imported roll calls (the adoption
/// vote in the preferred dataset). The CLI's `figure positions` uses it too.
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

async fn compute(store: &Store) -> Result<Measured, AppError> {
    let config = Config::default_config().map_err(measure_error)?;
    let mut records = Vec::new();
    for kind in [RecordKind::Document, RecordKind::Group, RecordKind::Body, RecordKind::Event] {
        records.extend(store.records(kind).await?);
    }
    let mut inputs = Inputs::from_records(&records, Vec::new());
    inputs.state_votes = state_votes(store, &inputs, &config.positions_series).await?;
    let mut problems = Vec::new();
    let trend = match normwatch_measure::measure(&inputs, &Scope::Stream(config.trend_stream), &config) {
        Ok(points) => points,
        Err(e) => {
            problems.push(e.to_string());
            Vec::new()
        }
    };
    let lifecycles = normwatch_measure::lifecycles(&inputs, None, &config);
    let mut figures = Vec::new();
    for name in FIGURE_NAMES {
        match normwatch_measure::figure(name, &inputs, &config) {
            Ok(svg) => figures.push(svg),
            Err(e) => problems.push(e.to_string()),
        }
    }
    Ok(Measured { config, inputs, trend, lifecycles, figures, problems })
}

async fn measured(store: &Store) -> Result<Arc<Measured>, AppError> {
    type Cached = (std::path::PathBuf, String, Arc<Measured>);
    static CACHE: OnceLock<Mutex<Vec<Cached>>> = OnceLock::new();
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    let version = store.data_version().await?;
    if let Ok(guard) = cache.lock()
        && let Some((_, _, m)) = guard.iter().find(|(p, v, _)| p == store.path() && *v == version)
    {
        return Ok(m.clone());
    }
    let m = Arc::new(compute(store).await?);
    if let Ok(mut guard) = cache.lock() {
        guard.retain(|(p, _, _)| p != store.path());
        if guard.len() >= 4 {
            guard.remove(0);
        }
        guard.push((store.path().to_path_buf(), version, m.clone()));
    }
    Ok(m)
}

fn to_json(m: &Measured) -> MeasurementJson {
    MeasurementJson {
        stream: m.config.trend_stream.as_str(),
        min_coverage: m.config.min_coverage,
        weights: Indicator::ALL
            .iter()
            .map(|i| WeightJson {
                indicator: i.as_str(),
                weight: m.config.weights.get(*i),
                rationale: m.config.rationale(&format!("index.weights.{}", i.as_str())).map(|r| r.rationale.clone()),
                sources: m
                    .config
                    .rationale(&format!("index.weights.{}", i.as_str()))
                    .map(|r| r.sources.clone())
                    .unwrap_or_default(),
            })
            .collect(),
        index: m.trend.iter().map(IndexPointJson::from).collect(),
        lifecycles: m.lifecycles.iter().map(LifecycleJson::from).collect(),
        figures: m
            .figures
            .iter()
            .map(|f| FigureJson {
                name: f.name.clone(),
                title: f.title.clone(),
                caption: f.caption.clone(),
                href: format!("/api/figures/{}.svg", f.name),
                sources: f.sources.clone(),
            })
            .collect(),
    }
}

fn tables(json: &MeasurementJson) -> Vec<Table> {
    let mut index = Table::new("index", &["year", "value", "coverage", "resolutions"]);
    let mut components =
        Table::new("components", &["year", "indicator", "value", "weight", "contribution", "detail", "facts"]);
    for p in &json.index {
        index.push(vec![json!(p.year), json!(p.value), json!(p.coverage), json!(p.resolutions)]);
        for c in &p.components {
            components.push(vec![
                json!(p.year),
                json!(c.indicator),
                json!(c.value),
                json!(c.weight),
                json!(c.contribution),
                json!(c.detail),
                json!(c.facts),
            ]);
        }
    }
    let mut lifecycles =
        Table::new("lifecycles", &["kind", "id", "title", "stage", "crossed_by", "crossed_in", "reason"]);
    // The table keeps flat columns: the crossing instrument's symbol and year.
    for l in &json.lifecycles {
        lifecycles.push(vec![
            json!(l.kind),
            json!(l.id),
            json!(l.title),
            json!(l.stage),
            json!(l.crossed_by.as_ref().map(|c| &c.symbol)),
            json!(l.crossed_by.as_ref().map(|c| c.year)),
            json!(l.reason),
        ]);
    }
    let mut weights = Table::new("weights", &["indicator", "weight", "rationale", "sources"]);
    for w in &json.weights {
        weights.push(vec![json!(w.indicator), json!(w.weight), json!(w.rationale), json!(w.sources)]);
    }
    vec![index, components, lifecycles, weights]
}

pub struct ComponentCell {
    pub value: String,
    pub contribution: String,
    pub detail: String,
    pub facts: String,
}

pub struct IndexRow {
    pub year: i32,
    pub value: String,
    pub coverage: String,
    pub components: Vec<ComponentCell>,
    pub resolutions: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "measurement.html")]
pub struct MeasurementPage {
    pub stream: String,
    pub indicators: Vec<&'static str>,
    pub weights: Vec<WeightJson>,
    pub min_coverage: String,
    pub rows: Vec<IndexRow>,
    pub lifecycles: Vec<LifecycleJson>,
    pub figures: Vec<Figure>,
    pub problems: Vec<String>,
}

fn percent(value: Option<f64>) -> String {
    value.map(|v| format!("{:.0}", v * 100.0)).unwrap_or_else(|| "—".to_string())
}

pub async fn page(State(state): State<AppState>) -> Result<Response, AppError> {
    let m = measured(&state.store).await?;
    let json = to_json(&m);
    let rows = json
        .index
        .iter()
        .map(|p| IndexRow {
            year: p.year,
            value: percent(p.value),
            coverage: format!("{:.0}%", p.coverage * 100.0),
            components: p
                .components
                .iter()
                .map(|c| ComponentCell {
                    value: percent(c.value),
                    contribution: percent(c.contribution),
                    detail: c.detail.clone(),
                    facts: c.facts.join("; "),
                })
                .collect(),
            resolutions: p.resolutions.clone(),
        })
        .collect();
    let figures = m
        .figures
        .iter()
        .map(|f| Figure {
            svg: f.svg.clone(),
            href: format!("/api/figures/{}.svg", f.name),
            name: f.name.clone(),
            caption: f.caption.clone(),
        })
        .collect();
    Ok(MeasurementPage {
        stream: json.stream.to_string(),
        indicators: Indicator::ALL.iter().map(|i| i.as_str()).collect(),
        min_coverage: format!("{:.0}%", json.min_coverage * 100.0),
        weights: json.weights,
        rows,
        lifecycles: json.lifecycles,
        figures,
        problems: m.problems.clone(),
    }
    .into_response())
}

pub async fn api(State(state): State<AppState>, Query(params): Query<Params>) -> Result<Response, AppError> {
    let m = measured(&state.store).await?;
    let json = to_json(&m);
    if params.get("table").is_some() {
        return table_response(&params, tables(&json));
    }
    Ok(json_response(StatusCode::OK, &json))
}

/// One of the measure crate's figures, by name.
pub async fn figure(store: &Store, name: &str) -> Result<String, AppError> {
    let m = measured(store).await?;
    match m.figures.iter().find(|f| f.name == name) {
        Some(f) => Ok(f.svg.clone()),
        None => {
            let mut names: Vec<String> = FIGURE_NAMES.iter().map(|n| format!("/api/figures/{n}.svg")).collect();
            names.extend(
                ["document-votes", "series-sponsorship", "series-votes", "state-agreement"]
                    .map(|n| format!("/api/figures/{n}.svg")),
            );
            Err(AppError::not_found_api(format!("no figure `{name}`"), names))
        }
    }
}

/// The index of one series with its components, as a line chart for the series page.
pub async fn series_figure(store: &Store, catalog: &Catalog, id: &str) -> Result<Option<Figure>, AppError> {
    let _ = catalog;
    let m = measured(store).await?;
    let points = match normwatch_measure::measure(&m.inputs, &Scope::Series(id.to_string()), &m.config) {
        Ok(points) if points.iter().any(|p| p.value.is_some()) => points,
        _ => return Ok(None),
    };
    let categories: Vec<String> = points.iter().map(|p| p.year.to_string()).collect();
    let mut series =
        vec![Series { label: "Index".into(), color: "#1b1f23", values: points.iter().map(|p| p.value).collect() }];
    for (i, indicator) in Indicator::ALL.iter().enumerate() {
        series.push(Series {
            label: indicator.as_str().to_string(),
            color: [charts::ACCENT, charts::NO, charts::YES, "#8250df", "#9a6700"][i % 5],
            values: points
                .iter()
                .map(|p| p.components.iter().find(|c| c.indicator == *indicator).and_then(|c| c.value))
                .collect(),
        });
    }
    let svg = charts::lines(
        &format!("Norm-emergence index: {id}"),
        "The weighted index (black) and its five indicators per year, each on a 0–100 % scale; weights and definitions on the measurement page.",
        &categories,
        &series,
        true,
    );
    Ok(Some(Figure {
        svg,
        href: format!("/api/figures/series-index.svg?id={}", crate::http::encode_query(id)),
        name: format!("{id}-index"),
        caption: "Index and components over time.".into(),
    }))
}

/// `/api/figures/series-index.svg?id=…`.
pub async fn series_index_svg(store: &Store, params: &Params) -> Result<String, AppError> {
    let catalog = Catalog::load(store).await?;
    let id = params.get("id").unwrap_or_default();
    match series_figure(store, &catalog, id).await? {
        Some(f) => Ok(f.svg),
        None => Err(AppError::not_found_api(
            format!("no index can be computed for the series `{id}`"),
            vec!["/api/series".into()],
        )),
    }
}
