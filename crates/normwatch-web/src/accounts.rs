//! The installation's accounts over the API: `/api/account` (the caller's own: who, and a
//! new password) and `/api/users` (an administrator's: the accounts, a new one, a role, a
//! reset password, disabled or enabled, and the account audit). Private like the
//! assessment routes: a [`Signed`] caller (401 without a session, 403 without the CSRF
//! token on an unsafe method); the app refuses a member with 403.
//!
//! Layer 6: refers to `ctx`, `error`, `http`, `session`.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use normwatch_api::{
    AccountAuditJson, AccountChangeRequest, AccountJson, NewAccountRequest, NotFoundJson, PasswordChangeRequest,
};
use normwatch_app::accounts::{AUDIT_ROWS, AccountEdit, Actor, account_audit_json, account_json, account_role};
use normwatch_app::assessments::AccountRole;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::ctx::Ctx;
use crate::error::ApiError;
use crate::http::json_response;
use crate::session::Signed;

fn actor(signed: &Signed) -> Actor {
    Actor::User(signed.account.email.clone())
}

/// The caller's own account.
#[utoipa::path(
    get,
    path = "/api/account",
    tag = "accounts",
    responses(
        (status = 200, description = "The signed-in account", body = AccountJson),
        (status = 401, description = "No session", body = NotFoundJson),
    )
)]
pub async fn me(State(ctx): State<Ctx>, signed: Signed) -> Result<Response, ApiError> {
    let account = ctx.app().own_account(&signed.account.email).await?;
    json_response(&account_json(&account))
}

/// Change the caller's own password: the current one is needed (a wrong one counts as a
/// failed sign-in). This session stays open; every other session of the account ends.
#[utoipa::path(
    post,
    path = "/api/account/password",
    tag = "accounts",
    request_body = PasswordChangeRequest,
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 403, description = "No CSRF token", body = NotFoundJson),
        (status = 422, description = "The current password is not right, or the new one is too short", body = NotFoundJson),
        (status = 429, description = "Too many wrong passwords for this account", body = NotFoundJson),
    )
)]
pub async fn change_password(
    State(ctx): State<Ctx>,
    signed: Signed,
    Json(request): Json<PasswordChangeRequest>,
) -> Result<Response, ApiError> {
    ctx.app().change_own_password(&signed.account.email, &signed.token, &request.current, &request.new).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Every account of the installation (administrators only).
#[utoipa::path(
    get,
    path = "/api/users",
    tag = "accounts",
    responses(
        (status = 200, description = "The accounts, by e-mail address", body = Vec<AccountJson>),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 403, description = "Not an administrator", body = NotFoundJson),
    )
)]
pub async fn list(State(ctx): State<Ctx>, signed: Signed) -> Result<Response, ApiError> {
    let accounts = ctx.app().accounts(&actor(&signed)).await?;
    json_response(&accounts.iter().map(account_json).collect::<Vec<_>>())
}

/// Add an account (administrators only).
#[utoipa::path(
    post,
    path = "/api/users",
    tag = "accounts",
    request_body = NewAccountRequest,
    responses(
        (status = 201, description = "Added", body = AccountJson),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 403, description = "No CSRF token, or not an administrator", body = NotFoundJson),
        (status = 409, description = "The address has an account already", body = NotFoundJson),
        (status = 422, description = "Not an e-mail address, an unknown role, or a password under 10 characters", body = NotFoundJson),
    )
)]
pub async fn create(
    State(ctx): State<Ctx>,
    signed: Signed,
    Json(request): Json<NewAccountRequest>,
) -> Result<Response, ApiError> {
    let role = request.role.as_deref().map(account_role).transpose()?.unwrap_or(AccountRole::Member);
    let account = ctx.app().add_account(&actor(&signed), &request.email, role, &request.password).await?;
    let mut response = json_response(&account_json(&account))?;
    *response.status_mut() = StatusCode::CREATED;
    Ok(response)
}

/// Change an account (administrators only): its role, a new password (every session of
/// the account ends), disabled or enabled. All parts are applied together or none; the
/// last administrator who can sign in is neither demoted nor disabled.
#[utoipa::path(
    patch,
    path = "/api/users/{email}",
    tag = "accounts",
    params(("email" = String, Path, description = "The account's e-mail address")),
    request_body = AccountChangeRequest,
    responses(
        (status = 200, description = "The account now", body = AccountJson),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 403, description = "No CSRF token, or not an administrator", body = NotFoundJson),
        (status = 404, description = "No such account", body = NotFoundJson),
        (status = 422, description = "An unknown role, a password under 10 characters, or the last administrator", body = NotFoundJson),
    )
)]
pub async fn update(
    State(ctx): State<Ctx>,
    signed: Signed,
    Path(email): Path<String>,
    Json(request): Json<AccountChangeRequest>,
) -> Result<Response, ApiError> {
    let edit = AccountEdit::from_request(&request)?;
    let account = ctx.app().edit_account(&actor(&signed), &email, &edit).await?;
    json_response(&account_json(&account))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Only this account's changes.
    pub email: Option<String>,
}

/// The account audit, newest first (administrators only): who added, changed, disabled or
/// enabled which account, and when. Never a password.
#[utoipa::path(
    get,
    path = "/api/users/audit",
    tag = "accounts",
    params(AuditQuery),
    responses(
        (status = 200, description = "The changes, newest first (at most 1,000)", body = Vec<AccountAuditJson>),
        (status = 401, description = "No session", body = NotFoundJson),
        (status = 403, description = "Not an administrator", body = NotFoundJson),
    )
)]
pub async fn audit(
    State(ctx): State<Ctx>,
    signed: Signed,
    Query(query): Query<AuditQuery>,
) -> Result<Response, ApiError> {
    let entries = ctx.app().account_audit(&actor(&signed), query.email.as_deref(), AUDIT_ROWS).await?;
    json_response(&entries.iter().map(account_audit_json).collect::<Vec<_>>())
}
