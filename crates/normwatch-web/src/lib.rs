//! The web UI and the JSON API over the app.store().
//!
//! Only this crate knows HTTP and HTML. Pages are server-rendered askama templates
//! (escaped by default); the API returns the same contract types the CLI prints, and
//! every table of every page also exports as CSV and JSON (`?table=NAME&format=csv`).
//!
//! Layout: `catalog` reads and resolves everything a request needs; one module per view
//! (`pages` for home and documents, `timeline`, `browse` for series, groups, bodies and
//! other records, `states`, `search`, `measurement`) builds its page model and its API
//! answer; `charts` draws the server-side SVG figures; `http` holds the response helpers
//! (ETag, CSV, pagination) and the one error type.

mod browse;
mod charts;
mod http;
mod measurement;
mod pages;
mod search;
mod states;
mod timeline;
mod votes;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use normwatch_app::App;
use normwatch_core::Symbol;

pub use http::AppError;
use http::Params;

#[derive(Clone)]
pub struct AppState {
    pub app: App,
}

/// The API's routes as registered below; the OpenAPI description (`openapi.json`) must
/// list exactly these (a test checks both ways).
pub const API_ROUTES: &[&str] = &[
    "/api/openapi.json",
    "/api/stats",
    "/api/timeline",
    "/api/documents",
    "/api/documents/{*symbol}",
    "/api/series",
    "/api/series/{id}",
    "/api/groups",
    "/api/groups/{id}",
    "/api/states",
    "/api/states/{iso3}",
    "/api/bodies",
    "/api/bodies/{id}",
    "/api/events",
    "/api/events/{id}",
    "/api/actors",
    "/api/actors/{id}",
    "/api/measurement",
    "/api/search",
    "/api/figures/{name}",
];

/// The application: every route, ready to serve or to test with `oneshot`.
pub fn router(state: AppState) -> Router {
    let api = Router::new()
        .route("/api/openapi.json", get(openapi))
        .route("/api/stats", get(pages::api_stats))
        .route("/api/timeline", get(timeline::api))
        .route("/api/documents", get(pages::api_documents))
        .route("/api/documents/{*symbol}", get(pages::api_document))
        .route("/api/series", get(browse::api_series_list))
        .route("/api/series/{id}", get(browse::api_series))
        .route("/api/groups", get(browse::api_groups))
        .route("/api/groups/{id}", get(browse::api_group))
        .route("/api/states", get(states::api_list))
        .route("/api/states/{iso3}", get(states::api_state))
        .route("/api/bodies", get(browse::api_bodies))
        .route("/api/bodies/{id}", get(browse::api_body))
        .route("/api/events", get(browse::api_events))
        .route("/api/events/{id}", get(browse::api_event))
        .route("/api/actors", get(browse::api_actors))
        .route("/api/actors/{id}", get(browse::api_actor))
        .route("/api/measurement", get(measurement::api))
        .route("/api/search", get(search::api))
        .route("/api/figures/{name}", get(figure))
        .layer(axum::middleware::from_fn(http::etag));
    Router::new()
        .route("/", get(pages::home))
        .route("/timeline", get(timeline::page))
        .route("/documents", get(|| async { Redirect::permanent("/timeline") }))
        .route("/documents/{*symbol}", get(document_page))
        .route("/series", get(browse::series_index))
        .route("/series/{id}", get(browse::series_page))
        .route("/groups", get(browse::groups_index))
        .route("/groups/{id}", get(browse::group_page))
        .route("/states", get(states::index))
        .route("/states/{iso3}", get(states::page))
        .route("/bodies", get(browse::bodies_page))
        .route("/bodies/{id}", get(browse::body_page))
        .route("/events/{id}", get(browse::event_page))
        .route("/actors/{id}", get(browse::actor_page))
        .route("/measurement", get(measurement::page))
        .route("/search", get(search::page))
        .route("/static/{name}", get(http::static_file))
        .route("/healthz", get(|| async { "ok" }))
        .merge(api)
        .fallback(not_found)
        .with_state(state)
}

/// Serves until interrupted (Ctrl-C) or the listener fails.
pub async fn serve(state: AppState, addr: SocketAddr) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("serving on http://{}", listener.local_addr()?);
    serve_on(state, listener).await
}

pub async fn serve_on(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
}

/// Where a document lives in the UI: the symbol as path segments, with the characters
/// that cannot stand in a path (the space of `S/RES/1373 (2001)`) escaped.
pub fn document_href(symbol: &str) -> String {
    format!("/documents/{}", http::encode_path(symbol))
}

async fn document_page(State(state): State<AppState>, Path(input): Path<String>) -> Result<Response, AppError> {
    // Any spelling of a symbol (R/60/45, a/res/60/45) redirects to the canonical page.
    if let Ok(symbol) = Symbol::parse(&input)
        && symbol.to_string() != input
    {
        return Ok(Redirect::permanent(&document_href(&symbol.to_string())).into_response());
    }
    pages::document_page(&state.app, &input).await
}

async fn openapi() -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

/// The OpenAPI 3.1 description of the API, maintained by hand next to the routes.
pub const OPENAPI: &str = include_str!("openapi.json");

async fn figure(
    State(state): State<AppState>,
    Path(name): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    let stem = name.strip_suffix(".svg").unwrap_or(&name);
    let svg = match stem {
        "document-votes" => pages::document_votes_svg(&state.app, &params).await?,
        "series-sponsorship" | "series-votes" => browse::series_svg(&state.app, stem, &params).await?,
        "state-agreement" => states::agreement_figure(&state.app, &params).await?,
        "series-index" => measurement::series_index_svg(&state.app, &params).await?,
        other => measurement::figure(&state.app, other).await?,
    };
    Ok((StatusCode::OK, [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], svg).into_response())
}

async fn not_found(uri: axum::http::Uri) -> AppError {
    let path = uri.path();
    let mut suggestions: Vec<String> =
        ["/timeline", "/series", "/groups", "/states", "/bodies", "/measurement", "/search"]
            .into_iter()
            .filter(|p| {
                let first = path.trim_start_matches("/api").split('/').nth(1).unwrap_or("");
                !first.is_empty() && p.trim_start_matches('/').starts_with(&first[..first.len().min(3)])
            })
            .map(str::to_string)
            .collect();
    if path.starts_with("/api/") {
        suggestions = suggestions.into_iter().map(|p| format!("/api{p}")).collect();
        suggestions.push("/api/openapi.json".into());
        return AppError::not_found_api(format!("no API route {path}"), suggestions);
    }
    AppError::not_found(format!("There is no page at {path}."), suggestions)
}
