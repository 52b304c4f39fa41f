//! The measurement of norm emergence (crate `normwatch-measure`): the index of the trend
//! stream with its decomposition, the life-cycle stages, the four figures and the weights
//! with their rationale. Computed once per state of the database and kept.
//!
//! Layer 5: refers to `ctx`, `error`, `filters`, `http`, `ui`, `routes` and `charts`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use normwatch_measure::{Config, FIGURE_NAMES, Indicator, Scope};
use serde_json::json;

use normwatch_app::{App, Measured};

use crate::charts::{self, Series};
use crate::ctx::Ctx;
use crate::error::{ApiError, PageError};
use crate::filters::{ApiQuery, TableQuery};
use crate::http::{json_response, table_response};
use crate::routes;
use crate::ui::{Figure, Link};
use normwatch_api::{FigureJson, IndexPointJson, LifecycleJson, MeasurementJson, NotFoundJson, Table, WeightJson};

fn to_json(config: &Config, m: &Measured) -> MeasurementJson {
    MeasurementJson {
        stream: config.trend_stream.as_str(),
        min_coverage: config.min_coverage,
        weights: Indicator::ALL
            .iter()
            .map(|i| WeightJson {
                indicator: i.as_str(),
                weight: config.weights.get(*i),
                rationale: config.rationale(&format!("index.weights.{}", i.as_str())).map(|r| r.rationale.clone()),
                sources: config
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
                href: routes::measure_figure(&f.name),
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
    pub resolutions: Vec<Link>,
}

pub struct Crossing {
    pub link: Link,
    pub year: i32,
    pub endorsements: u32,
    pub threshold: u32,
}

pub struct LifecycleRow {
    pub kind: &'static str,
    pub title: String,
    pub href: Option<String>,
    pub stage: &'static str,
    pub crossed_by: Option<Crossing>,
    pub reason: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "measurement.html")]
pub struct MeasurementPage {
    pub stream: String,
    pub indicators: Vec<&'static str>,
    pub weights: Vec<WeightJson>,
    pub min_coverage: String,
    pub rows: Vec<IndexRow>,
    pub lifecycles: Vec<LifecycleRow>,
    pub figures: Vec<Figure>,
    pub problems: Vec<String>,
}

fn percent(value: Option<f64>) -> String {
    value.map(|v| format!("{:.0}", v * 100.0)).unwrap_or_else(|| "—".to_string())
}

pub async fn page(State(ctx): State<Ctx>) -> Result<Response, PageError> {
    let m = ctx.app().measured().await?;
    let json = to_json(ctx.app().measurement_config(), &m);
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
            resolutions: p.resolutions.iter().map(|s| Link::document(s)).collect(),
        })
        .collect();
    let figures = m
        .figures
        .iter()
        .map(|f| Figure {
            svg: f.svg.clone(),
            href: routes::measure_figure(&f.name),
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
        lifecycles: json
            .lifecycles
            .iter()
            .map(|l| LifecycleRow {
                kind: l.kind,
                title: l.title.clone().unwrap_or_else(|| l.id.clone()),
                href: (l.kind == "series").then(|| routes::series(&l.id)),
                stage: l.stage,
                crossed_by: l.crossed_by.as_ref().map(|c| Crossing {
                    link: Link::document(&c.symbol),
                    year: c.year,
                    endorsements: c.endorsements,
                    threshold: c.threshold,
                }),
                reason: l.reason.clone(),
            })
            .collect(),
        figures,
        problems: m.problems.clone(),
    }
    .into_response())
}

/// The index of the trend stream with its decomposition, the life cycles, the weights and
/// the figures; `?table=index|components|lifecycles|weights` exports one table.
#[utoipa::path(
    get,
    path = "/api/measurement",
    tag = "measurement",
    params(TableQuery),
    responses(
        (status = 200, description = "The measurement, or one of its tables (`table`, as JSON or CSV)", content(
            (MeasurementJson = "application/json"),
            (Table = "text/csv"),
        )),
        (status = 404, description = "No such table", body = NotFoundJson),
    )
)]
pub async fn api(State(ctx): State<Ctx>, ApiQuery(query): ApiQuery<TableQuery>) -> Result<Response, ApiError> {
    let m = ctx.app().measured().await?;
    let json = to_json(ctx.app().measurement_config(), &m);
    if query.table.is_some() {
        return table_response(&query, tables(&json));
    }
    json_response(&json)
}

/// One of the measure crate's figures, by name.
pub async fn figure(app: &App, name: &str) -> Result<String, ApiError> {
    let m = app.measured().await?;
    match m.figures.iter().find(|f| f.name == name) {
        Some(f) => Ok(f.svg.clone()),
        None => {
            let mut names: Vec<String> = FIGURE_NAMES.iter().map(|n| routes::measure_figure(n)).collect();
            names.extend(
                ["document-votes", "series-sponsorship", "series-votes", "series-index", "state-agreement"]
                    .map(routes::measure_figure),
            );
            Err(ApiError::not_found(format!("no figure `{name}`"), names))
        }
    }
}

/// The index of one series with its components, as a line chart for the series page.
pub async fn series_figure(app: &App, id: &str) -> Result<Option<Figure>, normwatch_app::AppError> {
    let m = app.measured().await?;
    let points = match normwatch_measure::measure(&m.inputs, &Scope::Series(id.to_string()), app.measurement_config()) {
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
        href: routes::figure("series-index", "id", id),
        name: format!("{id}-index"),
        caption: "Index and components over time.".into(),
    }))
}

/// `/api/figures/series-index.svg?id=…`.
pub async fn series_index_svg(app: &App, id: &str) -> Result<String, ApiError> {
    match series_figure(app, id).await? {
        Some(f) => Ok(f.svg),
        None => Err(ApiError::not_found(
            format!("no index can be computed for the series `{id}`"),
            vec![routes::api_list(normwatch_core::kb::RecordKind::Series)],
        )),
    }
}
