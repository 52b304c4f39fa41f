//! The web UI and the JSON API over the store.
//!
//! Only this crate knows HTTP and HTML. Pages are server-rendered askama templates
//! (escaped by default); the API returns the same contract types the CLI prints.

pub mod contract;
mod pages;

use std::net::SocketAddr;

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use normwatch_core::Symbol;
use normwatch_core::kb::RecordKind;
use normwatch_store::{Store, StoreError};

use contract::{DocumentJson, NotFoundJson};

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
}

/// The application: every route, ready to serve or to test with `oneshot`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/documents/{*symbol}", get(document_page))
        .route("/api/documents", get(api_documents))
        .route("/api/documents/{*symbol}", get(api_document))
        .route("/healthz", get(|| async { "ok" }))
        .fallback(not_found_page)
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

/// An error while answering a request: the store failed. Shown without internals.
pub struct AppError(StoreError);

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError(e)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        tracing::error!(error = %self.0, "request failed");
        (StatusCode::INTERNAL_SERVER_ERROR, "normwatch could not read its database; see the server log").into_response()
    }
}

/// Where a document lives in the UI: the symbol as path segments, with the characters
/// that cannot stand in a path (the space of `S/RES/1373 (2001)`) escaped.
pub fn document_href(symbol: &str) -> String {
    let mut out = String::from("/documents/");
    for byte in symbol.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'.' | b'-' | b'_' | b'(' | b')' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

async fn home(State(state): State<AppState>) -> Result<Response, AppError> {
    Ok(pages::home(&state.store).await?.into_response())
}

async fn document_page(State(state): State<AppState>, Path(input): Path<String>) -> Result<Response, AppError> {
    // Any spelling of a symbol (R/60/45, a/res/60/45) redirects to the canonical page.
    if let Ok(symbol) = Symbol::parse(&input)
        && symbol.to_string() != input
    {
        return Ok(Redirect::permanent(&document_href(&symbol.to_string())).into_response());
    }
    match state.store.find_document(&input).await? {
        Ok(view) => {
            let sources = state.store.sources().await?;
            Ok(pages::document(&view, &sources).into_response())
        }
        Err(not_found) => Ok((StatusCode::NOT_FOUND, pages::not_found(&not_found.message, &not_found.suggestions)).into_response()),
    }
}

async fn api_document(State(state): State<AppState>, Path(input): Path<String>) -> Result<Response, AppError> {
    match state.store.find_document(&input).await? {
        Ok(view) => Ok(json_response(StatusCode::OK, &DocumentJson::from(&view))),
        Err(nf) => Ok(json_response(StatusCode::NOT_FOUND, &NotFoundJson { error: nf.message, suggestions: nf.suggestions })),
    }
}

#[derive(serde::Serialize)]
struct DocumentListEntry {
    symbol: String,
    kind: Option<&'static str>,
    title: Option<String>,
    year: Option<i32>,
    series: Option<String>,
}

async fn api_documents(State(state): State<AppState>) -> Result<Response, AppError> {
    let mut list = Vec::new();
    for record in state.store.records(RecordKind::Document).await? {
        if let Some(view) = normwatch_core::view::DocumentView::resolve(&record) {
            list.push(DocumentListEntry {
                symbol: view.symbol.to_string(),
                kind: view.kind.map(|k| k.as_str()),
                title: view.title,
                year: view.year,
                series: view.series,
            });
        }
    }
    Ok(json_response(StatusCode::OK, &list))
}

async fn not_found_page(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/api/") {
        return json_response(
            StatusCode::NOT_FOUND,
            &NotFoundJson { error: format!("no API route {}", uri.path()), suggestions: vec!["/api/documents".into()] },
        );
    }
    (StatusCode::NOT_FOUND, pages::not_found(&format!("There is no page at {}.", uri.path()), &[])).into_response()
}

fn json_response<T: serde::Serialize>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec_pretty(body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()).into_response(),
    }
}
