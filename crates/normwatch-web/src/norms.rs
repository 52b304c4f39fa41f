//! Norms: the theme × instrument matrix and the list of norms, a norm's page with every
//! instrument that carries it in time order, and their API answers.
//!
//! Layer 6: refers to the layers below it.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Response};
use normwatch_api::{NormJson, NotFoundJson};
use normwatch_app::norms::{self, Instrument, NormView, Norms};
use normwatch_core::kb::RecordKind;

use crate::ctx::Ctx;
use crate::error::{ApiError, PageError};
use crate::http::json_response;
use crate::routes;
use crate::ui::Link;

/// The norms of the current database with the built-in knowledge base's crosswalk.
async fn read(ctx: &Ctx) -> Result<std::sync::Arc<Norms>, normwatch_app::AppError> {
    ctx.app().norms().await
}

/// The ids close to an unknown one.
fn suggest(norms: &Norms, id: &str) -> Vec<String> {
    let mut found = normwatch_core::suggest::near_matches(id, norms.norms.iter().map(|n| n.id.as_str()), 5);
    if found.is_empty() {
        let needle = id.to_ascii_lowercase();
        found = norms
            .norms
            .iter()
            .filter(|n| n.id.split('-').any(|w| w.len() > 2 && needle.contains(w)))
            .take(5)
            .map(|n| n.id.clone())
            .collect();
    }
    found
}

fn theme_link(norms: &Norms, id: &str) -> Link {
    Link::new(norms.theme(id).map_or_else(|| id.to_string(), |t| t.name.clone()), routes::theme(id))
}

fn instrument_link(i: &Instrument) -> Link {
    Link::new(i.symbol.clone(), routes::record(i.kind_of_record, &i.symbol))
}

pub struct MatrixRow {
    pub theme: Link,
    pub cells: Vec<Vec<Link>>,
}

pub struct ThemeBlock {
    pub anchor: String,
    pub name: String,
    pub definition: String,
    pub norms: Vec<NormRow>,
}

pub struct NormRow {
    pub link: Link,
    pub first_year: String,
    pub stage: String,
    pub instruments: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "norms.html")]
pub struct NormsPage {
    pub columns: Vec<Link>,
    pub matrix: Vec<MatrixRow>,
    pub themes: Vec<ThemeBlock>,
}

fn norm_row(n: &NormView) -> NormRow {
    NormRow {
        link: Link::new(n.name.clone(), routes::norm(&n.id)),
        first_year: n.first_year().map(|y| y.to_string()).unwrap_or_default(),
        stage: n.lifecycle.as_ref().map(|l| l.stage.as_str().replace('_', " ")).unwrap_or_default(),
        instruments: n.instruments.len(),
    }
}

pub async fn index(State(ctx): State<Ctx>) -> Result<Response, PageError> {
    let norms = read(&ctx).await?;
    // Columns: every instrument carrying a norm with a theme, in time order.
    let mut instruments: BTreeMap<String, &Instrument> = BTreeMap::new();
    for n in norms.norms.iter().filter(|n| n.theme.is_some()) {
        for i in &n.instruments {
            instruments.entry(i.symbol.clone()).or_insert(i);
        }
    }
    let mut columns: Vec<&Instrument> = instruments.into_values().collect();
    columns.sort_by(|a, b| {
        (a.year.is_none(), a.year, a.date, &a.symbol).cmp(&(b.year.is_none(), b.year, b.date, &b.symbol))
    });
    let matrix = norms.matrix();
    let rows = norms
        .themes
        .iter()
        .filter(|t| !t.norms.is_empty())
        .map(|t| MatrixRow {
            theme: theme_link(&norms, &t.id),
            cells: columns
                .iter()
                .map(|c| {
                    matrix
                        .iter()
                        .filter(|(theme, symbol, _)| theme == &t.id && symbol == &c.symbol)
                        .flat_map(|(_, _, ids)| ids)
                        .filter_map(|id| norms.norm(id))
                        .map(|n| Link::new(n.name.clone(), routes::norm(&n.id)))
                        .collect()
                })
                .collect(),
        })
        .collect();
    let mut themes: Vec<ThemeBlock> = norms
        .themes
        .iter()
        .map(|t| ThemeBlock {
            anchor: format!("theme-{}", t.id),
            name: t.name.clone(),
            definition: t.definition.clone().unwrap_or_default(),
            norms: t.norms.iter().filter_map(|id| norms.norm(id)).map(norm_row).collect(),
        })
        .collect();
    let unthemed: Vec<NormRow> = norms.norms.iter().filter(|n| n.theme.is_none()).map(norm_row).collect();
    if !unthemed.is_empty() {
        themes.push(ThemeBlock {
            anchor: "theme-none".into(),
            name: "Without a theme".into(),
            definition: String::new(),
            norms: unthemed,
        });
    }
    Ok(NormsPage { columns: columns.iter().map(|i| instrument_link(i)).collect(), matrix: rows, themes }
        .into_response())
}

pub struct ElementRow {
    pub item: String,
    pub wording: String,
    pub paraphrase: bool,
    pub relation: String,
    pub rationale: String,
    pub basis: String,
    pub source: String,
    pub unverified: String,
}

pub struct InstrumentBlock {
    pub link: Link,
    pub title: String,
    pub date: String,
    pub adoption: String,
    pub sponsors: Vec<Link>,
    pub elements: Vec<ElementRow>,
}

pub struct BreadthRow {
    pub year: i32,
    pub states: usize,
    pub with_consensus: usize,
    pub new: Vec<Link>,
    pub instruments: String,
}

pub struct ContestRow {
    pub link: Link,
    pub year: String,
    pub source: String,
    pub yes: usize,
    pub no: Vec<Link>,
    pub abstain: Vec<Link>,
}

#[derive(Template, WebTemplate)]
#[template(path = "norm.html")]
pub struct NormPage {
    pub breadth: Vec<BreadthRow>,
    pub breadth_rule: &'static str,
    pub contested: Vec<ContestRow>,
    pub id: String,
    pub name: String,
    pub theme: Option<Link>,
    pub definition: String,
    pub definition_sources: Vec<String>,
    pub first: String,
    pub stage: String,
    pub stage_reason: String,
    pub instruments: Vec<InstrumentBlock>,
}

/// How an instrument was adopted: without a vote, or by recorded vote with its counts.
fn adoption(i: &Instrument) -> String {
    let modality = i.modality.map(|m| m.as_str().replace('_', " "));
    match (modality, i.votes) {
        (Some(m), Some(v)) => {
            format!("{m}: {} in favour, {} against, {} abstaining", v.yes, v.no, v.abstain)
        }
        (None, Some(v)) => format!("recorded vote: {} in favour, {} against, {} abstaining", v.yes, v.no, v.abstain),
        (Some(m), None) => m,
        (None, None) if i.kind_of_record == RecordKind::Document => "adoption not recorded".into(),
        (None, None) => String::new(),
    }
}

pub async fn page(State(ctx): State<Ctx>, Path(id): Path<String>) -> Result<Response, PageError> {
    let norms = read(&ctx).await?;
    let Some(n) = norms.norm(&id) else {
        let links = suggest(&norms, &id).iter().map(|s| Link::new(s.clone(), routes::norm(s))).collect();
        return Err(PageError::not_found(format!("no norm `{id}`"), links));
    };
    let first = n
        .first()
        .map(|i| {
            let when = i.date.map_or_else(|| i.year.map(|y| y.to_string()).unwrap_or_default(), |d| d.to_string());
            format!("{when} in {}", i.symbol)
        })
        .unwrap_or_default();
    let instruments = n
        .instruments
        .iter()
        .map(|i| InstrumentBlock {
            link: instrument_link(i),
            title: i.title.clone().unwrap_or_default(),
            date: i.date.map_or_else(|| i.year.map(|y| y.to_string()).unwrap_or_default(), |d| d.to_string()),
            adoption: adoption(i),
            sponsors: i.sponsors.iter().map(|s| Link::state_code(*s)).collect(),
            elements: i
                .edges
                .iter()
                .map(|e| ElementRow {
                    item: e.item.as_deref().map_or_else(|| e.list.clone(), |l| format!("{} {l}", e.list)),
                    wording: e.wording.clone().unwrap_or_default(),
                    paraphrase: e.paraphrase,
                    relation: e.relation.as_str().to_string(),
                    rationale: e.rationale.clone(),
                    basis: e.basis.as_str().to_string(),
                    source: e.source.to_string(),
                    unverified: e.unverified.clone().unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    let states = |list: &[normwatch_core::Iso3]| list.iter().map(|s| Link::state_code(*s)).collect::<Vec<_>>();
    Ok(NormPage {
        breadth: n
            .breadth
            .iter()
            .map(|b| BreadthRow {
                year: b.year,
                states: b.states,
                with_consensus: b.with_consensus,
                new: states(&b.new),
                instruments: b.instruments.join(", "),
            })
            .collect(),
        breadth_rule: norms::BREADTH_RULE,
        contested: n
            .contested
            .iter()
            .map(|c| ContestRow {
                link: Link::new(c.symbol.clone(), routes::record(RecordKind::Document, &c.symbol)),
                year: c.year.map(|y| y.to_string()).unwrap_or_default(),
                source: c.vote.source.clone(),
                yes: c.vote.yes.len(),
                no: states(&c.vote.no),
                abstain: states(&c.vote.abstain),
            })
            .collect(),
        id: n.id.clone(),
        name: n.name.clone(),
        theme: n.theme.as_deref().map(|t| theme_link(&norms, t)),
        definition: n.definition.clone().unwrap_or_default(),
        definition_sources: n
            .record
            .sources
            .iter()
            .filter(|s| s.field == "definition")
            .map(|s| s.source.to_string())
            .collect(),
        first,
        stage: n.lifecycle.as_ref().map(|l| l.stage.as_str().replace('_', " ")).unwrap_or_default(),
        stage_reason: n.lifecycle.as_ref().map(|l| l.reason.clone()).unwrap_or_default(),
        instruments,
    }
    .into_response())
}

/// Every norm with the instruments that carry it, in time order.
#[utoipa::path(
    get,
    path = "/api/norms",
    tag = "norms",
    responses((status = 200, description = "Every norm", body = Vec<NormJson>))
)]
pub async fn api_list(State(ctx): State<Ctx>) -> Result<Response, ApiError> {
    let norms = read(&ctx).await?;
    json_response(&norms.norms.iter().map(NormJson::from).collect::<Vec<_>>())
}

/// One norm with the instruments that carry it, in time order.
#[utoipa::path(
    get,
    path = "/api/norms/{id}",
    tag = "norms",
    params(("id" = String, Path, description = "The norm id")),
    responses(
        (status = 200, description = "The norm", body = NormJson),
        (status = 404, description = "No such norm (with the ids meant)", body = NotFoundJson),
    )
)]
pub async fn api_norm(State(ctx): State<Ctx>, Path(id): Path<String>) -> Result<Response, ApiError> {
    let norms = read(&ctx).await?;
    let Some(n) = norms.norm(&id) else {
        let paths = suggest(&norms, &id).iter().map(|s| format!("/api{}", routes::norm(s))).collect();
        return Err(ApiError::not_found(format!("no norm `{id}`"), paths));
    };
    json_response(&NormJson::from(n))
}
