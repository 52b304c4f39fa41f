//! Who is signed in: the session cookie (HttpOnly, SameSite=Strict, holding a random token
//! whose hash the database keeps) and the CSRF rule. [`Signed`] is the extractor of every
//! private route: without a live session it answers 401; on an unsafe method (anything but
//! GET, HEAD, OPTIONS) it also wants the session's CSRF token in `X-CSRF-Token`, and
//! answers 403 without it.
//!
//! Layer 3: refers to `ctx` and `error`.

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use normwatch_app::assessments::{Account, SESSION_SECONDS};

use crate::ctx::Ctx;
use crate::error::ApiError;

/// The session cookie's name.
pub const COOKIE: &str = "nw_session";
/// The header an unsafe API request carries the CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";

/// The session token the request's cookie holds, if any.
pub fn cookie_token(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
        .filter(|v| !v.is_empty())
}

/// The `Set-Cookie` value of a new session.
pub fn set_cookie(token: &str) -> HeaderValue {
    HeaderValue::from_str(&format!("{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={SESSION_SECONDS}"))
        .unwrap_or_else(|_| HeaderValue::from_static("nw_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"))
}

/// The `Set-Cookie` value that ends a session in the browser.
pub fn clear_cookie() -> HeaderValue {
    HeaderValue::from_static("nw_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0")
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
        let cookie = set_cookie("t").to_str().unwrap().to_string();
        assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
    }
}
