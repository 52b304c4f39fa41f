//! Search across titles, facts and annexed texts (SQLite FTS5 in the store), filtered by
//! kind of record; a query that is a document symbol goes straight to the document.

//!
//! Layer 6: refers to the layers below it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use normwatch_core::Symbol;
use normwatch_core::kb::RecordKind;
use normwatch_store::search::SnippetPart;
use serde_json::json;

use crate::ctx::Ctx;
use crate::error::{ApiError, PageError};
use crate::filters::{ApiQuery, PageQuery, SearchQuery};
use crate::http::list_response;
use crate::routes;
use normwatch_api::{NotFoundJson, SearchHitJson, Table};
use normwatch_app::{App, Catalog};

fn title(catalog: &Catalog, kind: RecordKind, id: &str) -> Option<String> {
    match kind {
        RecordKind::Document => catalog.document(id).and_then(|d| d.title.clone().or_else(|| d.summary.clone())),
        RecordKind::Series => catalog.series(id).and_then(|s| s.title.clone()),
        RecordKind::Group => catalog.group(id).and_then(|g| g.name.clone()),
        other => catalog.record(other, id).map(|r| r.name()),
    }
}

struct Found {
    json: SearchHitJson,
    parts: Vec<SnippetPart>,
}

async fn run(app: &App, query: &SearchQuery) -> Result<(Vec<Found>, Option<String>), normwatch_app::AppError> {
    let kind = query.kind.map(|k| k.0);
    let q = query.q.as_deref().unwrap_or_default();
    let results = app.store().search(q, kind).await?;
    let catalog = app.catalog().await?;
    // A symbol typed as such: the document first.
    let exact = Symbol::parse(q).ok().map(|s| s.to_string()).filter(|s| catalog.document(s).is_some());
    let mut found: Vec<Found> = results
        .hits
        .into_iter()
        .map(|hit| Found {
            json: SearchHitJson {
                record: hit.kind.as_str(),
                title: title(&catalog, hit.kind, &hit.id),
                href: routes::record(hit.kind, &hit.id),
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

pub async fn page(State(ctx): State<Ctx>, PageQuery(search): PageQuery<SearchQuery>) -> Result<Response, PageError> {
    let (found, exact) = run(ctx.app(), &search).await?;
    let offset = search.offset.unwrap_or(0);
    let q = search.q.clone().unwrap_or_default();
    let kind = search.kind.map(|k| k.0.as_str());
    let total = found.len();
    let query = routes::query(&[("q", Some(q.clone())), ("kind", kind.map(str::to_string))]);
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
        exact: exact.map(|s| routes::document(&s)),
        more: (offset + PAGE < total).then(|| format!("/search?{query}&offset={}", offset + PAGE)),
        // An export: every hit (no `limit`).
        export_href: format!("/api/search?{query}&"),
        q,
    }
    .into_response())
}

/// Search across titles, facts and annexed texts; a symbol finds its document first.
#[utoipa::path(
    get,
    path = "/api/search",
    tag = "search",
    params(SearchQuery),
    responses(
        (status = 200, description = "The records found, best first", content(
            (Vec<SearchHitJson> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "A parameter that cannot be read (an unknown `kind`)", body = NotFoundJson),
    )
)]
pub async fn api(
    State(ctx): State<Ctx>,
    uri: Uri,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Response, ApiError> {
    let (found, _) = run(ctx.app(), &query).await?;
    let list: Vec<SearchHitJson> = found.into_iter().map(|f| f.json).collect();
    list_response(&uri, query.paging(), list, |page| {
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
