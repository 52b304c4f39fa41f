//! Search across titles, facts, annexed texts and paragraphs (the app's tantivy index),
//! filtered by kind, year and state, paged by the engine; a query that is a document
//! symbol finds the document first and links to it.

//!
//! Layer 6: refers to the layers below it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use normwatch_app::App;
use normwatch_app::search::{self, Ask, Asked, Hit, HitKind};
use normwatch_core::kb::RecordKind;
use normwatch_search::Target;
use serde_json::json;

use crate::ctx::Ctx;
use crate::error::{ApiError, PageError};
use crate::filters::{ApiQuery, PageQuery, SearchQuery};
use crate::http::{Window, page_response};
use crate::routes;
use normwatch_api::{NotFoundJson, SearchHitJson, Table};

/// The address of what a hit belongs to.
fn href(hit: &Hit) -> String {
    match &hit.target {
        Target::Speech { state, year } => routes::speech(state, *year),
        _ => {
            let (kind, id) = hit.owner();
            RecordKind::parse(&kind).map_or_else(|| routes::search_for(&id), |kind| routes::record(kind, &id))
        }
    }
}

/// A hit as the contract gives it (the CLI prints the same).
pub fn hit_json(hit: &Hit) -> SearchHitJson {
    let (record, id) = hit.owner();
    let mut fields = vec![search::field_name(&hit.target)];
    for target in &hit.also {
        let field = search::field_name(target);
        if !fields.contains(&field) {
            fields.push(field);
        }
    }
    SearchHitJson {
        record,
        title: (!hit.title.is_empty() && hit.title != id).then(|| hit.title.clone()),
        href: href(hit),
        field: search::field_name(&hit.target),
        snippet: hit.snippet.iter().map(|p| p.text.as_str()).collect(),
        matches: hit.snippet.iter().filter(|p| p.matched).map(|p| p.text.clone()).collect(),
        fields,
        id,
        target: hit.target.tag(),
        passage: hit.target.key(),
        year: hit.year,
        state: hit.state.clone(),
        score: hit.score,
    }
}

async fn run(app: &App, query: &SearchQuery, window: Window) -> Result<Asked, normwatch_app::AppError> {
    let ask = Ask {
        q: query.q.as_deref().unwrap_or_default(),
        kind: query.kind,
        from: query.from,
        to: query.to,
        state: query.state.map(|s| s.to_string()),
        offset: window.offset,
        limit: window.limit,
    };
    app.ask(&ask).await
}

pub struct Piece {
    pub text: String,
    pub matched: bool,
}

pub struct ResultRow {
    pub record: String,
    pub id: String,
    pub title: String,
    pub href: String,
    pub field: String,
    pub year: Option<i32>,
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
    /// Why the query cannot be read.
    pub error: Option<String>,
    pub kinds: Vec<KindChoice>,
    pub from: String,
    pub to: String,
    pub results: Vec<ResultRow>,
    pub total: usize,
    pub first: usize,
    pub exact: Option<String>,
    pub more: Option<String>,
    pub export_href: String,
}

const PAGE: usize = 50;

pub async fn page(State(ctx): State<Ctx>, PageQuery(search): PageQuery<SearchQuery>) -> Result<Response, PageError> {
    let offset = search.offset.unwrap_or(0);
    // A query that cannot be read is shown on the page with the reason, the form kept.
    let (answer, error) = match run(ctx.app(), &search, Window { offset, limit: PAGE, csv: false }).await {
        Ok(answer) => (answer, None),
        Err(e) => match PageError::from(e) {
            PageError::BadRequest(reason) => (Asked::default(), Some(reason)),
            other => return Err(other),
        },
    };
    let q = search.q.clone().unwrap_or_default();
    let kind = search.kind.map(HitKind::as_str);
    let query = routes::query(&[
        ("q", Some(q.clone())),
        ("kind", kind.map(str::to_string)),
        ("from", search.from.map(|y| y.to_string())),
        ("to", search.to.map(|y| y.to_string())),
        ("state", search.state.map(|s| s.to_string())),
    ]);
    let status = if error.is_some() { StatusCode::BAD_REQUEST } else { StatusCode::OK };
    let page = SearchPage {
        error,
        kinds: HitKind::all()
            .into_iter()
            .map(|k| KindChoice { value: k.as_str(), selected: kind == Some(k.as_str()) })
            .collect(),
        from: search.from.map(|y| y.to_string()).unwrap_or_default(),
        to: search.to.map(|y| y.to_string()).unwrap_or_default(),
        results: answer
            .hits
            .iter()
            .map(|hit| {
                let json = hit_json(hit);
                ResultRow {
                    record: json.record,
                    title: json.title.unwrap_or_default(),
                    href: json.href,
                    field: json.field.replace('_', " "),
                    year: hit.year,
                    snippet: hit.snippet.iter().map(|p| Piece { text: p.text.clone(), matched: p.matched }).collect(),
                    id: json.id,
                }
            })
            .collect(),
        total: answer.total,
        first: offset + 1,
        exact: answer.exact.map(|s| routes::document(&s)),
        more: (offset + PAGE < answer.total).then(|| format!("/search?{query}&offset={}", offset + PAGE)),
        // An export: every hit (no `limit`).
        export_href: format!("/api/search?{query}&"),
        q,
    };
    Ok((status, page).into_response())
}

/// Search the knowledge base (and the texts imported): words, `"phrases"`, prefixes
/// `cyber*`, `OR`, `NOT`; filters by kind, year and state; BM25 ranking; true paging
/// (`X-Total-Count` is exact). A symbol finds its document first.
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
        (status = 400, description = "A parameter or a query that cannot be read (an unknown `kind`, an unclosed quote, a prefix matching too many words)", body = NotFoundJson),
    )
)]
pub async fn api(
    State(ctx): State<Ctx>,
    uri: Uri,
    ApiQuery(query): ApiQuery<SearchQuery>,
) -> Result<Response, ApiError> {
    let window = query.paging().window(None);
    let answer = run(ctx.app(), &query, window).await?;
    let list: Vec<SearchHitJson> = answer.hits.iter().map(hit_json).collect();
    page_response(&uri, window, answer.total, list, |page| {
        let mut table = Table::new(
            "search",
            &[
                "record", "id", "title", "field", "snippet", "fields", "href", "target", "passage", "year", "state",
                "score",
            ],
        );
        for h in page {
            table.push(vec![
                json!(h.record),
                json!(h.id),
                json!(h.title),
                json!(h.field),
                json!(h.snippet),
                json!(h.fields),
                json!(h.href),
                json!(h.target),
                json!(h.passage),
                json!(h.year),
                json!(h.state),
                json!(h.score),
            ]);
        }
        table
    })
}
