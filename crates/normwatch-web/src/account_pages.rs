//! The accounts' pages: `/account` (who you are, your sessions, a new password) and
//! `/admin/users` (an administrator's list of the accounts with their changes: role,
//! disabled or enabled, a reset password; a new account; the account audit). Forms carry
//! the session's CSRF token; the pages are per user, kept by no cache; no script is needed.
//!
//! Layer 6: refers to `ctx`, `error`, `routes`, `session`.

use askama::Template;
use askama_web::WebTemplate;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use normwatch_app::accounts::{AccountEdit, Actor, account_audit_json, account_json, account_role};
use normwatch_app::assessments::{Account, AssessmentError, MIN_PASSWORD_CHARS};
use serde::Deserialize;

use crate::ctx::Ctx;
use crate::routes;
use crate::session::{csrf_ok, field, form, refuse, signed, signed_form};

/// A notice after a change, named in the address the form redirects to (`?done=…`).
#[derive(Debug, Default, Deserialize)]
pub struct Done {
    pub done: Option<String>,
}

fn notice(done: &Done) -> Option<String> {
    let text = match done.done.as_deref()? {
        "password" => "Your password is changed; your other sessions have ended.",
        "added" => "The account is added.",
        "role" => "The role is changed.",
        "disabled" => "The account is disabled; its sessions have ended.",
        "enabled" => "The account may sign in again.",
        "reset" => "The password is reset; the account's sessions have ended.",
        _ => return None,
    };
    Some(text.to_string())
}

#[derive(Template, WebTemplate)]
#[template(path = "account.html")]
pub struct AccountPage {
    pub email: String,
    pub role: &'static str,
    pub is_admin: bool,
    pub created: String,
    pub live_sessions: i64,
    pub csrf: String,
    pub min_chars: usize,
    pub notice: Option<String>,
    pub error: Option<String>,
}

async fn account_page(ctx: &Ctx, account: &Account, notice: Option<String>, error: Option<String>) -> Response {
    match ctx.app().own_account(&account.email).await {
        Ok(me) => {
            let json = account_json(&me);
            let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
            let page = AccountPage {
                email: json.email,
                role: me.role.as_str(),
                is_admin: me.role.as_str() == "admin",
                created: json.created_at,
                live_sessions: json.live_sessions,
                csrf: account.csrf_token.clone(),
                min_chars: MIN_PASSWORD_CHARS,
                notice,
                error,
            };
            (status, page).into_response()
        }
        Err(e) => refuse(e),
    }
}

pub async fn account(State(ctx): State<Ctx>, headers: HeaderMap, Query(done): Query<Done>) -> Response {
    match signed(&ctx, &headers).await {
        Ok((account, _)) => account_page(&ctx, &account, notice(&done), None).await,
        Err(e) => refuse(e),
    }
}

/// The password form: the page again with the reason when refused (a wrong current
/// password, a short or mistyped new one).
pub async fn password_submit(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    let (account, token) = match signed(&ctx, &headers).await {
        Ok(signed) => signed,
        Err(e) => return refuse(e),
    };
    let fields = form(&body);
    if let Err(e) = csrf_ok(&fields, &account) {
        return refuse(e);
    }
    let new = field(&fields, "new").unwrap_or_default();
    if new != field(&fields, "again").unwrap_or_default() {
        let error = "The two new passwords differ; nothing was changed.".to_string();
        return account_page(&ctx, &account, None, Some(error)).await;
    }
    let current = field(&fields, "current").unwrap_or_default();
    match ctx.app().change_own_password(&account.email, &token, current, new).await {
        Ok(()) => Redirect::to("/account?done=password").into_response(),
        Err(AssessmentError::Invalid(reason)) => {
            account_page(&ctx, &account, None, Some(format!("{reason}; nothing was changed."))).await
        }
        Err(e) => refuse(e),
    }
}

pub struct AccountRow {
    pub email: String,
    pub is_self: bool,
    pub role: String,
    pub created: String,
    pub state: String,
    pub disabled: bool,
    pub live_sessions: i64,
    /// Where this row's forms post.
    pub action: String,
}

pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub email: String,
    pub before: String,
    pub after: String,
}

/// How many audit rows the page shows (the API gives more).
const PAGE_AUDIT_ROWS: usize = 200;

#[derive(Template, WebTemplate)]
#[template(path = "admin_users.html")]
pub struct UsersPage {
    pub csrf: String,
    pub rows: Vec<AccountRow>,
    pub audit: Vec<AuditRow>,
    pub audit_more: bool,
    pub min_chars: usize,
    pub notice: Option<String>,
}

fn user_action(email: &str) -> String {
    format!("/admin/users/{}", routes::encode_path(email))
}

pub async fn users(State(ctx): State<Ctx>, headers: HeaderMap, Query(done): Query<Done>) -> Response {
    let result = async {
        let (account, _) = signed(&ctx, &headers).await?;
        let actor = Actor::User(account.email.clone());
        let accounts = ctx.app().accounts(&actor).await?;
        // One row more than shown tells whether there are more.
        let mut audit = ctx.app().account_audit(&actor, None, PAGE_AUDIT_ROWS as u32 + 1).await?;
        let audit_more = audit.len() > PAGE_AUDIT_ROWS;
        audit.truncate(PAGE_AUDIT_ROWS);
        let rows = accounts
            .iter()
            .map(|a| {
                let json = account_json(a);
                AccountRow {
                    is_self: a.email == account.email,
                    action: user_action(&json.email),
                    state: json.disabled_at.map_or_else(|| "active".to_string(), |at| format!("disabled since {at}")),
                    disabled: json.disabled,
                    email: json.email,
                    role: json.role,
                    created: json.created_at,
                    live_sessions: json.live_sessions,
                }
            })
            .collect();
        let audit = audit
            .iter()
            .map(|e| {
                let json = account_audit_json(e);
                AuditRow {
                    at: json.at,
                    actor: json.actor,
                    action: json.action.replace('_', " "),
                    email: json.email,
                    before: json.before.unwrap_or_default(),
                    after: json.after.unwrap_or_default(),
                }
            })
            .collect();
        Ok::<_, AssessmentError>(UsersPage {
            csrf: account.csrf_token,
            rows,
            audit,
            audit_more,
            min_chars: MIN_PASSWORD_CHARS,
            notice: notice(&done),
        })
    };
    match result.await {
        Ok(page) => page.into_response(),
        Err(e) => refuse(e),
    }
}

/// The form that adds an account.
pub async fn add_submit(State(ctx): State<Ctx>, headers: HeaderMap, body: Bytes) -> Response {
    let result = async {
        let (account, fields) = signed_form(&ctx, &headers, &body).await?;
        let role = account_role(field(&fields, "role").unwrap_or("member"))?;
        let email = field(&fields, "email").unwrap_or_default();
        let password = field(&fields, "password").unwrap_or_default();
        ctx.app().add_account(&Actor::User(account.email), email, role, password).await
    };
    match result.await {
        Ok(_) => Redirect::to("/admin/users?done=added#accounts").into_response(),
        Err(e) => refuse(e),
    }
}

/// One account's forms: `change` = `role` (with `role`), `disable`, `enable` or
/// `password` (with `password`).
pub async fn change_submit(
    State(ctx): State<Ctx>,
    headers: HeaderMap,
    Path(email): Path<String>,
    body: Bytes,
) -> Response {
    let result = async {
        let (account, fields) = signed_form(&ctx, &headers, &body).await?;
        let (edit, done) = match field(&fields, "change").unwrap_or_default() {
            "role" => {
                let role = account_role(field(&fields, "role").unwrap_or_default())?;
                (AccountEdit { role: Some(role), ..AccountEdit::default() }, "role")
            }
            "disable" => (AccountEdit { disabled: Some(true), ..AccountEdit::default() }, "disabled"),
            "enable" => (AccountEdit { disabled: Some(false), ..AccountEdit::default() }, "enabled"),
            "password" => {
                let password = field(&fields, "password").unwrap_or_default().to_string();
                (AccountEdit { password: Some(password), ..AccountEdit::default() }, "reset")
            }
            other => {
                return Err(AssessmentError::Invalid(format!(
                    "`{other}` is not a change of an account (role, disable, enable or password)"
                )));
            }
        };
        ctx.app().edit_account(&Actor::User(account.email), &email, &edit).await?;
        Ok(done)
    };
    match result.await {
        // Disabling or resetting one's own account ends this session too.
        Ok(done) => Redirect::to(&format!("/admin/users?done={done}#accounts")).into_response(),
        Err(e) => refuse(e),
    }
}
