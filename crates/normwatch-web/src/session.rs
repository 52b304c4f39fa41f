//! Who is signed in: the session cookie (HttpOnly, SameSite=Strict, holding a random token
//! whose hash the database keeps) and the CSRF rule. [`Signed`] is the extractor of every
//! private route: without a live session it answers 401; on an unsafe method (anything but
//! GET, HEAD, OPTIONS) it also wants the session's CSRF token in `X-CSRF-Token`, and
//! answers 403 without it. The pages' forms carry the token in a hidden field instead
//! ([`signed_form`]), and a page's refusal is [`refuse`].
//!
//! Layer 3: refers to `ctx` and `error`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use normwatch_app::assessments::{Account, AssessmentError, SESSION_SECONDS};

use crate::ctx::Ctx;
use crate::error::{ApiError, Failure, NotFoundPage, PageError};

/// The session cookie's name.
pub const COOKIE: &str = "nw_session";
/// The header an unsafe API request carries the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The session token the request's cookie holds, if any.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    cookie_value(headers, COOKIE)
}

/// The `Set-Cookie` value of a new session (`Secure` when the site is served over HTTPS).
pub fn set_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_SECONDS}{secure}"
    ))
    .unwrap_or_else(|_| clear_cookie(false))
}

/// The `Set-Cookie` value that ends a session in the browser.
pub fn clear_cookie(secure: bool) -> HeaderValue {
    if secure {
        HeaderValue::from_static("nw_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0; Secure")
    } else {
        HeaderValue::from_static("nw_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
    }
}

/// The cookie that carries the sign-in form's CSRF token (before there is a session, the
/// form's hidden field must equal it: a page of another site cannot read or set it, so it
/// cannot sign a browser in to an account of its choosing).
pub const LOGIN_COOKIE: &str = "nw_login";

/// The value of the cookie `name` in the request, if any.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

/// The `Set-Cookie` value of the sign-in form's token (an hour, for the sign-in page only).
pub fn login_cookie(token: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{LOGIN_COOKIE}={token}; Path=/login; HttpOnly; SameSite=Strict; Max-Age=3600{secure}"
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("nw_login=; Path=/login; Max-Age=0"))
}

/// The client's address, when the server was started with it (not under `oneshot`): the
/// connection's, or, from a proxy the server trusts (`serve --trusted-proxy`), the one its
/// `X-Forwarded-For` chain names.
pub fn peer(
    ctx: &Ctx,
    info: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    headers: &HeaderMap,
) -> Option<std::net::IpAddr> {
    let peer = info.map(|axum::Extension(axum::extract::ConnectInfo(addr))| addr.ip())?;
    let forwarded: Vec<&str> = headers.get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    Some(normwatch_app::proxies::client_address(peer, &forwarded, ctx.app().trusted_proxies()))
}

/// Compares without stopping at the first difference.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// A signed-in caller: the account and the session token.
pub struct Signed {
    pub account: Account,
    pub token: String,
}

impl FromRequestParts<Ctx> for Signed {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, ctx: &Ctx) -> Result<Signed, ApiError> {
        let unauthorized = || ApiError::refused(StatusCode::UNAUTHORIZED, "sign in first (POST /api/login)");
        let token = cookie_token(&parts.headers).ok_or_else(unauthorized)?;
        let account = ctx.app().session(&token).await?.ok_or_else(unauthorized)?;
        if !is_safe(&parts.method) {
            let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or_default();
            if !same_token(sent, &account.csrf_token) {
                return Err(ApiError::refused(
                    StatusCode::FORBIDDEN,
                    "this request needs the session's CSRF token in the X-CSRF-Token header",
                ));
            }
        }
        Ok(Signed { account, token })
    }
}

// ---- the pages' forms ----

/// A refusal as a page: to the sign-in page without a session, else the status's page.
pub(crate) fn refuse(e: AssessmentError) -> Response {
    let (status, heading) = match &e {
        AssessmentError::Unauthorized => return Redirect::to("/login").into_response(),
        AssessmentError::NotFound(_) => (StatusCode::NOT_FOUND, "Not found"),
        AssessmentError::Forbidden(_) => (StatusCode::FORBIDDEN, "Not allowed"),
        AssessmentError::Conflict { .. } | AssessmentError::Exists(_) => (StatusCode::CONFLICT, "Changed meanwhile"),
        AssessmentError::Invalid(_) => (StatusCode::UNPROCESSABLE_ENTITY, "This cannot be done"),
        AssessmentError::BadCredentials => (StatusCode::UNAUTHORIZED, "Not signed in"),
        AssessmentError::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, "Too many attempts"),
        AssessmentError::Disabled => (StatusCode::FORBIDDEN, "Account disabled"),
        AssessmentError::Store(_) | AssessmentError::Hash(_) | AssessmentError::Random(_) => {
            return PageError::Failed(Failure::Assessment(e)).into_response();
        }
    };
    (status, NotFoundPage { heading, message: e.to_string(), suggestions: Vec::new() }).into_response()
}

/// Who holds the request's session cookie, and the token; unauthorized without a live one.
pub(crate) async fn signed(ctx: &Ctx, headers: &HeaderMap) -> Result<(Account, String), AssessmentError> {
    let token = cookie_token(headers).ok_or(AssessmentError::Unauthorized)?;
    let account = ctx.app().session(&token).await?.ok_or(AssessmentError::Unauthorized)?;
    Ok((account, token))
}

/// The fields of a submitted form.
pub(crate) fn form(body: &[u8]) -> Vec<(String, String)> {
    serde_urlencoded::from_bytes(body).unwrap_or_default()
}

/// A field of a submitted form.
pub(crate) fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
}

/// Whether a form carries the session's CSRF token.
pub(crate) fn csrf_ok(fields: &[(String, String)], account: &Account) -> Result<(), AssessmentError> {
    if same_token(field(fields, "csrf_token").unwrap_or_default(), &account.csrf_token) {
        Ok(())
    } else {
        Err(AssessmentError::Forbidden("the form has no valid CSRF token; reload the page and try again".into()))
    }
}

/// Reads a form posted by a signed-in account and checks its CSRF token.
pub(crate) async fn signed_form(
    ctx: &Ctx,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<(Account, Vec<(String, String)>), AssessmentError> {
    let (account, _) = signed(ctx, headers).await?;
    let fields = form(body);
    csrf_ok(&fields, &account)?;
    Ok((account, fields))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cookie_is_found_among_others_and_tokens_compare_exactly() {
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_static("a=1; nw_session=abc; b=2"));
        assert_eq!(cookie_token(&headers).as_deref(), Some("abc"));
        headers.insert(header::COOKIE, HeaderValue::from_static("nw_session="));
        assert_eq!(cookie_token(&headers), None);
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "ab"));
        let cookie = set_cookie("t", false).to_str().unwrap().to_string();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
        assert!(!cookie.contains("Secure"), "{cookie}");
        assert!(set_cookie("t", true).to_str().unwrap().ends_with("; Secure"));
        assert!(clear_cookie(true).to_str().unwrap().ends_with("; Secure"));
    }
}
