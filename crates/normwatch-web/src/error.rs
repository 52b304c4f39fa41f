//! The two error types of the web: [`ApiError`] answers JSON (`/api/…`), [`PageError`]
//! answers a designed HTML page. A handler's return type decides which, so no call says
//! "this is the API" with a flag. Failures of normwatch itself (the database, a
//! computation) are logged with their reason and shown without internals.
//!
//! Layer 2: refers only to `ui`.

use askama::Template;
use askama_web::WebTemplate;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use normwatch_app::assessments::AssessmentError;
use normwatch_store::StoreError;

use crate::ui::Link;
use normwatch_api::NotFoundJson;

/// A failure of normwatch, not of the request: answered with 500 and logged.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
    #[error("database: {0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    App(#[from] normwatch_app::AppError),
    #[error("cannot write the answer: {0}")]
    Serialize(#[from] serde_json::Error),
    /// A computation over the held texts that failed (a damaged term index, …).
    #[error("{0}")]
    Texts(String),
    #[error("{0}")]
    Assessment(AssessmentError),
}

impl Failure {
    fn respond(&self) -> Response {
        tracing::error!(error = %self, "request failed");
        let text = match self {
            Failure::Store(_) | Failure::App(normwatch_app::AppError::Store(_)) => {
                "normwatch could not read its database; see the server log"
            }
            Failure::App(_) | Failure::Texts(_) => "normwatch could not compute this answer; see the server log",
            Failure::Serialize(_) => "normwatch could not write this answer; see the server log",
            Failure::Assessment(_) => "normwatch could not complete this request; see the server log",
        };
        (StatusCode::INTERNAL_SERVER_ERROR, text).into_response()
    }
}

/// An error of an API route, answered as JSON (`{"error": …, "suggestions": […]}`).
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 404, with the addresses (or symbols) the caller may have meant.
    #[error("{message}")]
    NotFound { message: String, suggestions: Vec<String> },
    /// 400: a parameter that cannot be read, with the reason.
    #[error("{0}")]
    BadRequest(String),
    /// Another refusal with its status: 401, 403, 409, 422, 429.
    #[error("{message}")]
    Refused { status: StatusCode, message: String },
    /// A refusal whose body says more than a message (a 409 with the current item).
    #[error("refused with {status}")]
    Body { status: StatusCode, body: serde_json::Value },
    #[error(transparent)]
    Failed(#[from] Failure),
}

/// An error of a page, answered as an HTML page with links to what was meant.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("{message}")]
    NotFound { message: String, suggestions: Vec<Link> },
    #[error("{0}")]
    BadRequest(String),
    #[error(transparent)]
    Failed(#[from] Failure),
}

impl ApiError {
    pub fn not_found(message: impl Into<String>, suggestions: Vec<String>) -> ApiError {
        ApiError::NotFound { message: message.into(), suggestions }
    }

    /// An unknown document: the store's message and the symbols it suggests.
    pub fn unknown_document(nf: normwatch_store::NotFound) -> ApiError {
        ApiError::NotFound { message: nf.message, suggestions: nf.suggestions }
    }
}

impl PageError {
    pub fn not_found(message: impl Into<String>, suggestions: Vec<Link>) -> PageError {
        PageError::NotFound { message: message.into(), suggestions }
    }

    /// A not-found whose suggestions are addresses, each its own label.
    pub fn not_found_paths(message: impl Into<String>, paths: Vec<String>) -> PageError {
        PageError::not_found(message, paths.iter().map(|p| Link::path(p)).collect())
    }

    /// An unknown document: the store's message and links to the symbols it suggests.
    pub fn unknown_document(nf: normwatch_store::NotFound) -> PageError {
        PageError::not_found(nf.message, nf.suggestions.iter().map(|s| Link::document(s)).collect())
    }
}

macro_rules! failures_into {
    ($error:ident) => {
        impl From<StoreError> for $error {
            fn from(e: StoreError) -> Self {
                $error::Failed(Failure::Store(e))
            }
        }

        impl From<normwatch_app::AppError> for $error {
            fn from(e: normwatch_app::AppError) -> Self {
                use normwatch_app::AppError;
                use normwatch_search::SearchError;
                match e {
                    // What the user asked for, not a failure of normwatch.
                    AppError::Search(e @ (SearchError::Query(_) | SearchError::PrefixTooBroad { .. })) => {
                        $error::BadRequest(e.to_string())
                    }
                    e => $error::Failed(Failure::App(e)),
                }
            }
        }
    };
}

failures_into!(ApiError);
failures_into!(PageError);

impl ApiError {
    pub fn refused(status: StatusCode, message: impl Into<String>) -> ApiError {
        ApiError::Refused { status, message: message.into() }
    }
}

/// The self-assessment's refusals: 401 without a session, 404 for a non-member (an
/// assessment's existence is private too), 403 for a member without the permission, 409
/// for a stale version or a taken name, 422 for a request that breaks a rule, 429 for too
/// many failed logins; 403 for a sign-in to a disabled account.
impl From<AssessmentError> for ApiError {
    fn from(e: AssessmentError) -> Self {
        let status = match &e {
            AssessmentError::Unauthorized | AssessmentError::BadCredentials => StatusCode::UNAUTHORIZED,
            AssessmentError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            AssessmentError::NotFound(_) => StatusCode::NOT_FOUND,
            AssessmentError::Forbidden(_) | AssessmentError::Disabled => StatusCode::FORBIDDEN,
            AssessmentError::Conflict { .. } | AssessmentError::Exists(_) => StatusCode::CONFLICT,
            AssessmentError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AssessmentError::Store(_) | AssessmentError::Hash(_) | AssessmentError::Random(_) => {
                return ApiError::Failed(Failure::Assessment(e));
            }
        };
        ApiError::refused(status, e.to_string())
    }
}

impl From<PageError> for ApiError {
    fn from(e: PageError) -> Self {
        match e {
            PageError::NotFound { message, suggestions } => {
                ApiError::NotFound { message, suggestions: suggestions.into_iter().map(|l| l.href).collect() }
            }
            PageError::BadRequest(message) => ApiError::BadRequest(message),
            PageError::Failed(f) => ApiError::Failed(f),
        }
    }
}

/// The body of an API error as bytes; the contract type is `NotFoundJson`.
fn error_json(status: StatusCode, error: String, suggestions: Vec<String>) -> Response {
    match serde_json::to_vec_pretty(&NotFoundJson { error, suggestions }) {
        Ok(bytes) => {
            let mut response = (status, bytes).into_response();
            response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
            response
        }
        Err(e) => Failure::Serialize(e).respond(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        match self {
            ApiError::NotFound { message, suggestions } => error_json(StatusCode::NOT_FOUND, message, suggestions),
            ApiError::BadRequest(message) => error_json(StatusCode::BAD_REQUEST, message, Vec::new()),
            ApiError::Refused { status, message } => error_json(status, message, Vec::new()),
            ApiError::Body { status, body } => match serde_json::to_vec_pretty(&body) {
                Ok(bytes) => {
                    let mut response = (status, bytes).into_response();
                    response.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
                    response
                }
                Err(e) => Failure::Serialize(e).respond(),
            },
            ApiError::Failed(failure) => failure.respond(),
        }
    }
}

/// The page shown for something not found or a request that cannot be read.
#[derive(Template, WebTemplate)]
#[template(path = "not_found.html")]
pub struct NotFoundPage {
    pub heading: &'static str,
    pub message: String,
    pub suggestions: Vec<Link>,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::NotFound { message, suggestions } => {
                (StatusCode::NOT_FOUND, NotFoundPage { heading: "Not found", message, suggestions }).into_response()
            }
            PageError::BadRequest(message) => (
                StatusCode::BAD_REQUEST,
                NotFoundPage { heading: "This request cannot be read", message, suggestions: Vec::new() },
            )
                .into_response(),
            PageError::Failed(failure) => failure.respond(),
        }
    }
}

/// The fallback: no route has this address. Suggests the lists whose names start alike.
pub fn no_route(path: &str) -> Response {
    let first = path.trim_start_matches("/api").split('/').nth(1).unwrap_or("");
    let suggestions: Vec<String> = ["/timeline", "/series", "/groups", "/states", "/bodies", "/measurement", "/search"]
        .into_iter()
        .filter(|p| !first.is_empty() && p.trim_start_matches('/').starts_with(&first[..first.len().min(3)]))
        .map(str::to_string)
        .collect();
    if path.starts_with("/api/") {
        let mut suggestions: Vec<String> = suggestions.into_iter().map(|p| format!("/api{p}")).collect();
        suggestions.push("/api/openapi.json".into());
        return ApiError::not_found(format!("no API route {path}"), suggestions).into_response();
    }
    PageError::not_found_paths(format!("There is no page at {path}."), suggestions).into_response()
}
