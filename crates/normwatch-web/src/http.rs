//! Response helpers shared by every view: the one error type, query parameters, JSON and
//! CSV answers, pagination, the ETag layer and the embedded static files.

use axum::body::Body;
use axum::extract::{Path, Request};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use normwatch_store::StoreError;
use serde::{Deserialize, Serialize};

use normwatch_api::{NotFoundJson, Table};

/// A link offered when something is not found.
#[derive(Clone, Debug)]
pub struct Suggestion {
    pub label: String,
    pub href: String,
}

impl Suggestion {
    pub fn document(symbol: &str) -> Suggestion {
        Suggestion { label: symbol.to_string(), href: crate::document_href(symbol) }
    }

    pub fn path(path: &str) -> Suggestion {
        Suggestion { label: path.to_string(), href: path.to_string() }
    }
}

/// Everything a request can fail with. Not-found and bad-request answers are designed
/// pages (or JSON under `/api/`); database failures are logged and shown without internals.
pub enum AppError {
    Store(StoreError),
    NotFound {
        message: String,
        suggestions: Vec<Suggestion>,
        api: bool,
    },
    BadRequest {
        message: String,
        api: bool,
    },
    /// A failure of normwatch itself (not of the request), logged with its reason.
    Internal(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        AppError::Store(e)
    }
}

impl From<normwatch_app::AppError> for AppError {
    fn from(e: normwatch_app::AppError) -> Self {
        match e {
            normwatch_app::AppError::Store(e) => AppError::Store(e),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl AppError {
    pub fn not_found(message: impl Into<String>, suggestions: Vec<String>) -> AppError {
        AppError::NotFound {
            message: message.into(),
            suggestions: suggestions.iter().map(|s| Suggestion::path(s)).collect(),
            api: false,
        }
    }

    pub fn not_found_api(message: impl Into<String>, suggestions: Vec<String>) -> AppError {
        AppError::NotFound {
            message: message.into(),
            suggestions: suggestions.iter().map(|s| Suggestion::path(s)).collect(),
            api: true,
        }
    }

    /// A not-found with explicit links, for pages (`api = false`) or the API.
    pub fn missing(message: impl Into<String>, suggestions: Vec<Suggestion>, api: bool) -> AppError {
        AppError::NotFound { message: message.into(), suggestions, api }
    }

    pub fn bad_request(message: impl Into<String>, api: bool) -> AppError {
        AppError::BadRequest { message: message.into(), api }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            AppError::Store(error) => {
                tracing::error!(%error, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "normwatch could not read its database; see the server log")
                    .into_response()
            }
            AppError::Internal(reason) => {
                tracing::error!(%reason, "request failed");
                (StatusCode::INTERNAL_SERVER_ERROR, "normwatch could not compute this answer; see the server log")
                    .into_response()
            }
            AppError::NotFound { message, suggestions, api: true } => json_response(
                StatusCode::NOT_FOUND,
                &NotFoundJson { error: message, suggestions: suggestions.into_iter().map(|s| s.label).collect() },
            ),
            AppError::NotFound { message, suggestions, api: false } => {
                (StatusCode::NOT_FOUND, crate::pages::not_found(&message, suggestions)).into_response()
            }
            AppError::BadRequest { message, api: true } => {
                json_response(StatusCode::BAD_REQUEST, &NotFoundJson { error: message, suggestions: Vec::new() })
            }
            AppError::BadRequest { message, api: false } => {
                (StatusCode::BAD_REQUEST, crate::pages::not_found(&message, Vec::new())).into_response()
            }
        }
    }
}

/// The query parameters any route may take; each route reads the ones it knows. Empty
/// values (an unselected filter of a plain HTML form) count as absent.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Params {
    pub q: Option<String>,
    pub kind: Option<String>,
    pub body: Option<String>,
    pub stream: Option<String>,
    pub committee: Option<String>,
    pub state: Option<String>,
    pub series: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub year: Option<String>,
    pub compare: Option<String>,
    pub symbol: Option<String>,
    pub id: Option<String>,
    pub table: Option<String>,
    pub format: Option<String>,
    pub limit: Option<String>,
    pub offset: Option<String>,
}

fn present(value: &Option<String>) -> Option<&str> {
    value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Params {
    pub fn get(&self, name: &str) -> Option<&str> {
        match name {
            "q" => present(&self.q),
            "kind" => present(&self.kind),
            "body" => present(&self.body),
            "stream" => present(&self.stream),
            "committee" => present(&self.committee),
            "state" => present(&self.state),
            "series" => present(&self.series),
            "from" => present(&self.from),
            "to" => present(&self.to),
            "year" => present(&self.year),
            "compare" => present(&self.compare),
            "symbol" => present(&self.symbol),
            "id" => present(&self.id),
            "table" => present(&self.table),
            "format" => present(&self.format),
            "limit" => present(&self.limit),
            "offset" => present(&self.offset),
            _ => None,
        }
    }

    /// An integer parameter; text that is not a number is a bad request.
    pub fn int(&self, name: &str, api: bool) -> Result<Option<i64>, AppError> {
        match self.get(name) {
            None => Ok(None),
            Some(text) => text
                .parse()
                .map(Some)
                .map_err(|_| AppError::bad_request(format!("`{name}` must be a whole number, not `{text}`"), api)),
        }
    }

    pub fn wants_csv(&self) -> bool {
        self.get("format") == Some("csv")
    }
}

pub fn json_response<T: Serialize + ?Sized>(status: StatusCode, body: &T) -> Response {
    match serde_json::to_vec_pretty(body) {
        Ok(bytes) => (status, [(header::CONTENT_TYPE, "application/json")], bytes).into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot serialize a response");
            (StatusCode::INTERNAL_SERVER_ERROR, "normwatch could not write this answer; see the server log")
                .into_response()
        }
    }
}

pub fn csv_response(table: &Table) -> Response {
    let disposition = format!("attachment; filename=\"{}.csv\"", table.name);
    let mut response =
        (StatusCode::OK, [(header::CONTENT_TYPE, "text/csv; charset=utf-8")], table.to_csv()).into_response();
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// One of a view's tables, as CSV or JSON (`?table=NAME&format=csv|json`).
pub fn table_response(params: &Params, tables: Vec<Table>) -> Result<Response, AppError> {
    let wanted = params.get("table").unwrap_or_default();
    let names: Vec<String> = tables.iter().map(|t| t.name.to_string()).collect();
    match tables.into_iter().find(|t| t.name == wanted) {
        Some(table) if params.wants_csv() => Ok(csv_response(&table)),
        Some(table) => Ok(json_response(StatusCode::OK, &table)),
        None => Err(AppError::not_found_api(format!("this view has no table `{wanted}`"), names)),
    }
}

const DEFAULT_LIMIT: usize = 100;
const MAX_LIMIT: usize = 1000;

/// A list answer: `offset` and `limit` page it (the total is in `X-Total-Count`, the
/// next and previous pages in `Link`), `format=csv` turns the page into CSV.
pub fn list_response<T: Serialize>(
    uri: &Uri,
    params: &Params,
    items: Vec<T>,
    to_table: impl Fn(&[T]) -> Table,
) -> Result<Response, AppError> {
    let total = items.len();
    let offset = params.int("offset", true)?.unwrap_or(0).max(0) as usize;
    let limit = (params.int("limit", true)?.unwrap_or(DEFAULT_LIMIT as i64).max(1) as usize).min(MAX_LIMIT);
    let page: Vec<T> = items.into_iter().skip(offset).take(limit).collect();
    let mut response =
        if params.wants_csv() { csv_response(&to_table(&page)) } else { json_response(StatusCode::OK, &page) };
    let headers = response.headers_mut();
    headers.insert("x-total-count", HeaderValue::from(total));
    let mut links = Vec::new();
    if offset + limit < total {
        links.push(format!("<{}>; rel=\"next\"", with_offset(uri, offset + limit, limit)));
    }
    if offset > 0 {
        links.push(format!("<{}>; rel=\"prev\"", with_offset(uri, offset.saturating_sub(limit), limit)));
    }
    if !links.is_empty()
        && let Ok(value) = HeaderValue::from_str(&links.join(", "))
    {
        headers.insert(header::LINK, value);
    }
    Ok(response)
}

fn with_offset(uri: &Uri, offset: usize, limit: usize) -> String {
    let mut pairs: Vec<String> = uri
        .query()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("offset=") && !p.starts_with("limit="))
        .map(str::to_string)
        .collect();
    pairs.push(format!("offset={offset}"));
    pairs.push(format!("limit={limit}"));
    format!("{}?{}", uri.path(), pairs.join("&"))
}

/// Adds an `ETag` (a hash of the body) to every successful API answer and answers
/// `304 Not Modified` when the client already holds it.
pub async fn etag(request: Request, next: Next) -> Response {
    let if_none_match = request.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_string);
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, 256 << 20).await {
        Ok(bytes) => bytes,
        Err(error) => {
            tracing::error!(%error, "cannot read a response body");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    let tag = format!("\"{:016x}\"", fnv1a(&bytes));
    if let Ok(value) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, value);
    }
    parts.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    let matches = if_none_match
        .is_some_and(|list| list.split(',').map(str::trim).any(|t| t == tag || t == "*" || t == format!("W/{tag}")));
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// FNV-1a, 64 bits: a stable content hash for ETags (not for security).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= u64::from(*byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// Percent-encodes what cannot stand in a path segment; `/` stays a separator.
pub fn encode_path(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'.' | b'-' | b'_' | b'(' | b')' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

/// Percent-encodes a query value.
pub fn encode_query(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'.' | b'-' | b'_' | b'~' => out.push(byte as char),
            other => out.push_str(&format!("%{other:02X}")),
        }
    }
    out
}

pub const STYLE: &str = include_str!("../static/style.css");
pub const SCRIPT: &str = include_str!("../static/app.js");

/// The stylesheet and script, embedded in the binary: no CDN, no network.
pub async fn static_file(Path(name): Path<String>) -> Response {
    let (body, kind) = match name.as_str() {
        "style.css" => (STYLE, "text/css; charset=utf-8"),
        "app.js" => (SCRIPT, "text/javascript; charset=utf-8"),
        _ => return (StatusCode::NOT_FOUND, "no such file").into_response(),
    };
    (StatusCode::OK, [(header::CONTENT_TYPE, kind), (header::CACHE_CONTROL, "public, max-age=300")], body)
        .into_response()
}
