//! Search across titles, facts and annexed texts (SQLite FTS5 in the store), filtered by
//! kind of record; a query that is a document symbol goes straight to the document.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use normwatch_core::Symbol;
use normwatch_core::kb::RecordKind;
use normwatch_store::search::SnippetPart;
use serde_json::json;

use crate::AppState;
use crate::http::{AppError, Params, encode_query, list_response};
use normwatch_api::{SearchHitJson, Table};
use normwatch_app::Catalog;

fn href(kind: RecordKind, id: &str) -> String {
    match kind {
        RecordKind::Document => crate::document_href(id),
        RecordKind::Series => format!("/series/{id}"),
        RecordKind::Body => format!("/bodies/{id}"),
        RecordKind::Group => format!("/groups/{id}"),
        RecordKind::Event => format!("/events/{id}"),
        RecordKind::Actor => format!("/actors/{id}"),
    }
}

fn title(catalog: &Catalog, kind: RecordKind, id: &str) -> Option<String> {
    match kind {
        RecordKind::Document => catalog.document(id).and_then(|d| d.title.clone().or_else(|| d.summary.clone())),
        RecordKind::Series => catalog.series(id).and_then(|s| s.title.clone()),
        RecordKind::Group => catalog.group(id).and_then(|g| g.name.clone()),
        other => catalog.record(other, id).map(|r| r.name()),
    }
}

fn kind_filter(params: &Params, api: bool) -> Result<Option<RecordKind>, AppError> {
    match params.get("kind") {
        None => Ok(None),
        Some(text) => RecordKind::parse(text).map(Some).ok_or_else(|| {
            AppError::bad_request(
                format!("`{text}` is not a kind of record; use document, series, body, group, event or actor"),
                api,
            )
        }),
    }
}

struct Found {
    json: SearchHitJson,
    parts: Vec<SnippetPart>,
}

async fn run(state: &AppState, params: &Params, api: bool) -> Result<(Vec<Found>, Option<String>), AppError> {
    let kind = kind_filter(params, api)?;
    let q = params.get("q").unwrap_or_default();
    let results = state.app.store().search(q, kind).await?;
    let catalog = state.app.catalog().await?;
    // A symbol typed as such: the document first.
    let exact = Symbol::parse(q).ok().map(|s| s.to_string()).filter(|s| catalog.document(s).is_some());
    let mut found: Vec<Found> = results
        .hits
        .into_iter()
        .map(|hit| Found {
            json: SearchHitJson {
                record: hit.kind.as_str(),
                title: title(&catalog, hit.kind, &hit.id),
                href: href(hit.kind, &hit.id),
                field: hit.field,
                snippet: hit.snippet.iter().map(|p| p.text.as_str()).collect(),
                matches: hit.snippet.iter().filter(|p| p.matched).map(|p| p.text.clone()).collect(),
                fields: hit.fields,
                id: hit.id,
            },
            parts: hit.snippet,
        })
        .collect();
    if let Some(symbol) = &exact
        && let Some(i) = found.iter().position(|f| f.json.record == "document" && &f.json.id == symbol)
    {
        let hit = found.remove(i);
        found.insert(0, hit);
    }
    Ok((found, exact))
}

pub struct Piece {
    pub text: String,
    pub matched: bool,
}

pub struct ResultRow {
    pub record: &'static str,
    pub id: String,
    pub title: String,
    pub href: String,
    pub field: String,
    pub snippet: Vec<Piece>,
}

pub struct KindChoice {
    pub value: &'static str,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub q: String,
    pub kinds: Vec<KindChoice>,
    pub results: Vec<ResultRow>,
    pub total: usize,
    pub exact: Option<String>,
    pub more: Option<String>,
    pub export_href: String,
}

const PAGE: usize = 50;

pub async fn page(State(state): State<AppState>, Query(params): Query<Params>) -> Result<Response, AppError> {
    let (found, exact) = run(&state, &params, false).await?;
    let offset = params.int("offset", false)?.unwrap_or(0).max(0) as usize;
    let q = params.get("q").unwrap_or_default().to_string();
    let kind = params.get("kind");
    let total = found.len();
    let query = format!("q={}{}", encode_query(&q), kind.map(|k| format!("&kind={k}")).unwrap_or_default());
    Ok(SearchPage {
        kinds: RecordKind::ALL
            .iter()
            .map(|k| KindChoice { value: k.as_str(), selected: kind == Some(k.as_str()) })
            .collect(),
        results: found
            .into_iter()
            .skip(offset)
            .take(PAGE)
            .map(|f| ResultRow {
                record: f.json.record,
                title: f.json.title.clone().unwrap_or_default(),
                href: f.json.href,
                field: f.json.field.replace('_', " "),
                snippet: f.parts.into_iter().map(|p| Piece { text: p.text, matched: p.matched }).collect(),
                id: f.json.id,
            })
            .collect(),
        total,
        exact: exact.map(|s| crate::document_href(&s)),
        more: (offset + PAGE < total).then(|| format!("/search?{query}&offset={}", offset + PAGE)),
        export_href: format!("/api/search?{query}&limit=1000"),
        q,
    }
    .into_response())
}

pub async fn api(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    let (found, _) = run(&state, &params, true).await?;
    let list: Vec<SearchHitJson> = found.into_iter().map(|f| f.json).collect();
    list_response(&uri, &params, list, |page| {
        let mut table = Table::new("search", &["record", "id", "title", "field", "snippet", "fields", "href"]);
        for h in page {
            table.push(vec![
                json!(h.record),
                json!(h.id),
                json!(h.title),
                json!(h.field),
                json!(h.snippet),
                json!(h.fields),
                json!(h.href),
            ]);
        }
        table
    })
}
