//! The JSON of the installation's accounts: `/api/account` (the caller's own) and
//! `/api/users` (the administrators'). Private, per user, like the assessment routes.
//!
//! Field names are an interface: add, never rename.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// An account of the installation.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct AccountJson {
    pub email: String,
    /// `admin` or `member`.
    pub role: String,
    /// When it was added (RFC 3339, UTC).
    pub created_at: String,
    /// Whether it may sign in.
    pub disabled: bool,
    /// When it was disabled (RFC 3339, UTC); none while it may sign in.
    pub disabled_at: Option<String>,
    /// Sessions not yet expired.
    pub live_sessions: i64,
}

/// `POST /api/users`: a new account.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct NewAccountRequest {
    pub email: String,
    /// `admin` or `member`; `member` when left out.
    pub role: Option<String>,
    /// At least 10 characters.
    pub password: String,
}

/// `PATCH /api/users/{email}`: what to change; a part left out stays as it is.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
pub struct AccountChangeRequest {
    /// `admin` or `member`.
    pub role: Option<String>,
    /// `true` disables the account (its sessions end), `false` enables it.
    pub disabled: Option<bool>,
    /// A new password (a reset: every session of the account ends).
    pub password: Option<String>,
}

/// `POST /api/account/password`: the caller's own password, changed.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct PasswordChangeRequest {
    pub current: String,
    /// At least 10 characters.
    pub new: String,
}

/// One change to an account in the account audit.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AccountAuditJson {
    /// RFC 3339, UTC.
    pub at: String,
    /// Who: an e-mail address, or `installation` (the command line, a first start).
    pub actor: String,
    /// Whose account.
    pub email: String,
    /// `created`, `role_changed`, `password_changed`, `password_reset`, `disabled` or
    /// `enabled`.
    pub action: String,
    /// The role or state before and after (never a password).
    pub before: Option<String>,
    pub after: Option<String>,
}
