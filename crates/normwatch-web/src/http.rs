//! Response helpers shared by every view: JSON and CSV answers, table exports, lists with
//! paging, the ETag layer and the embedded static files.
//!
//! Layer 4: refers to `ctx`, `error` and `filters`.

use axum::body::{Body, Bytes};
use axum::extract::{Path, Request, State};
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::ctx::{Ctx, Kept, MAX_KEPT_ANSWER};
use crate::error::{ApiError, Failure};
use crate::filters::{Format, Paging, TableQuery};
use normwatch_api::Table;

/// A serialized JSON body.
pub fn json_bytes<T: Serialize + ?Sized>(body: &T) -> Result<Bytes, ApiError> {
    serde_json::to_vec_pretty(body).map(Bytes::from).map_err(|e| ApiError::Failed(Failure::Serialize(e)))
}

/// `200 OK` with a JSON body already serialized.
pub fn json_body(bytes: Bytes) -> Response {
    let mut response = (StatusCode::OK, bytes).into_response();
    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

pub fn json_response<T: Serialize + ?Sized>(body: &T) -> Result<Response, ApiError> {
    Ok(json_body(json_bytes(body)?))
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
pub fn table_response(query: &TableQuery, tables: Vec<Table>) -> Result<Response, ApiError> {
    let wanted = query.table.as_deref().unwrap_or_default();
    let names: Vec<String> = tables.iter().map(|t| t.name.to_string()).collect();
    match tables.into_iter().find(|t| t.name == wanted) {
        Some(table) if query.format == Some(Format::Csv) => Ok(csv_response(&table)),
        Some(table) => json_response(&table),
        None => Err(ApiError::not_found(format!("this view has no table `{wanted}`"), names)),
    }
}

pub const DEFAULT_LIMIT: usize = 100;
pub const MAX_LIMIT: usize = 1000;

/// A list answer. Without `format`, `offset` and `limit` page it (100 rows by default, at
/// most 1000). With `format=csv` or `format=json` it is an export: every row unless
/// `limit` is given. The total is in `X-Total-Count`, the next and previous pages in `Link`.
pub fn list_response<T: Serialize>(
    uri: &Uri,
    paging: Paging,
    items: Vec<T>,
    to_table: impl Fn(&[T]) -> Table,
) -> Result<Response, ApiError> {
    let total = items.len();
    let window = paging.window(Some(total));
    let page: Vec<T> = items.into_iter().skip(window.offset).take(window.limit).collect();
    page_response(uri, window, total, page, to_table)
}

/// The rows a list answer holds: `offset` and `limit` after the defaults.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub offset: usize,
    pub limit: usize,
    /// Answer CSV (`format=csv`) rather than JSON.
    pub csv: bool,
}

impl Paging {
    /// The rows to answer. An export without `limit` is every row: `total` of them when it
    /// is known, else as many as there are (`usize::MAX`).
    pub fn window(&self, total: Option<usize>) -> Window {
        let offset = self.offset.unwrap_or(0);
        let limit = match (self.format, self.limit) {
            (Some(_), None) => total.map_or(usize::MAX, |t| t.max(1)),
            (_, limit) => limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT),
        };
        Window { offset, limit, csv: self.format == Some(Format::Csv) }
    }
}

/// One page of a list whose rows were chosen elsewhere (by a search engine that pages
/// itself), with the same headers as [`list_response`].
pub fn page_response<T: Serialize>(
    uri: &Uri,
    window: Window,
    total: usize,
    page: Vec<T>,
    to_table: impl Fn(&[T]) -> Table,
) -> Result<Response, ApiError> {
    let Window { offset, limit, csv } = window;
    let mut response = if csv { csv_response(&to_table(&page)) } else { json_response(&page)? };
    let headers = response.headers_mut();
    headers.insert("x-total-count", HeaderValue::from(total));
    let mut links = Vec::new();
    if offset.saturating_add(limit) < total {
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

/// The layer of the API and the pages: ETags and the cache of answers. Every answer is a function of
/// the store revision and the address (path and query), so
/// - the ETag is their hash: a client that holds it gets `304 Not Modified` before anything
///   is computed, and no answer is buffered to be hashed;
/// - a `200 OK` answer is kept, serialized, for its revision ([`Ctx::keep`]): the next
///   request for the same address is answered from memory.
pub async fn api_layer(State(ctx): State<Ctx>, request: Request, next: Next) -> Response {
    // Per-user answers are never kept nor tagged, whichever router they were put in.
    if is_private(request.uri().path()) {
        return next.run(request).await;
    }
    let revision = match ctx.app().revision().await {
        Ok(revision) => revision,
        Err(error) => return ApiError::from(error).into_response(),
    };
    let address = request.uri().path_and_query().map_or_else(|| request.uri().path(), |p| p.as_str()).to_string();
    let tag = ctx.etag(&revision, &address);
    let matches = request.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|list| {
        list.split(',').map(str::trim).any(|t| t == tag || t == "*" || t.strip_prefix("W/") == Some(tag.as_str()))
    });
    let tag = HeaderValue::from_str(&tag).ok();
    let validators = |headers: &mut axum::http::HeaderMap| {
        if let Some(tag) = &tag {
            headers.insert(header::ETAG, tag.clone());
        }
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    };
    if matches {
        let mut response = StatusCode::NOT_MODIFIED.into_response();
        validators(response.headers_mut());
        return response;
    }
    if let Some(kept) = ctx.kept(&revision, &address) {
        let mut response = (StatusCode::OK, kept.body).into_response();
        response.headers_mut().extend(kept.headers);
        validators(response.headers_mut());
        return response;
    }
    let response = next.run(request).await;
    if response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let body = match axum::body::to_bytes(body, MAX_KEPT_ANSWER).await {
        Ok(bytes) => {
            ctx.keep(&revision, &address, Kept { headers: parts.headers.clone(), body: bytes.clone() });
            Body::from(bytes)
        }
        Err(error) => {
            tracing::error!(%error, "cannot read an answer");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    validators(&mut parts.headers);
    Response::from_parts(parts, body)
}

/// The addresses whose answers depend on who asks (the self-assessment, sign-in): the answer
/// cache must never keep them.
pub fn is_private(path: &str) -> bool {
    const PRIVATE: &[&str] = &[
        "/api/assessments",
        "/api/login",
        "/api/logout",
        "/api/account",
        "/api/users",
        "/assessments",
        "/login",
        "/logout",
        "/account",
        "/admin",
    ];
    PRIVATE.iter().any(|p| path == *p || path.strip_prefix(p).is_some_and(|rest| rest.starts_with('/')))
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

#[cfg(test)]
mod private_tests {
    use super::is_private;

    #[test]
    fn per_user_addresses_are_private_and_public_ones_are_not() {
        for path in [
            "/api/assessments",
            "/api/assessments/x/items/1",
            "/api/login",
            "/api/logout",
            "/assessments/x",
            "/api/account/password",
            "/api/users/a@b.example",
            "/account",
            "/admin/users",
        ] {
            assert!(is_private(path), "{path}");
        }
        for path in ["/api/frameworks", "/api/assessmentsx", "/api/norms", "/", "/loginx"] {
            assert!(!is_private(path), "{path}");
        }
    }
}
