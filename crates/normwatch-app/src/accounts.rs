//! The installation's accounts: who is in it, and the changes people make to accounts.
//!
//! The rules (the store keeps the audit and the last administrator):
//! - an administrator lists the accounts, adds one, changes a role, resets a password,
//!   disables or enables an account, and reads the account audit;
//! - anyone signed in changes their own password by giving the current one (a wrong one
//!   counts as a failed sign-in), and keeps the session they did it from; every other session
//!   of theirs is closed;
//! - the installation itself (the command line) may do what an administrator may;
//! - a disabled account may not sign in, and its sessions are closed at once.

use normwatch_api::{AccountAuditJson, AccountChangeRequest, AccountJson};
use normwatch_assess::workflow::{Timestamp, UserId};
use normwatch_store::accounts::{AccountAction, AccountAuditRow, AccountChange, AccountRow};

use crate::App;
use crate::assessments::{
    AccountRole, AssessmentError, INSTALLATION, MAX_FAILED_LOGINS, check_new_password, now, parse_user, password_hash,
    password_matches, token_hash,
};

type Result<T, E = AssessmentError> = std::result::Result<T, E>;

/// Who asks for an account change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Actor {
    /// The installation itself: the command line, a first start.
    Installation,
    /// A signed-in account; it must be an administrator for anything but its own password.
    User(UserId),
}

impl Actor {
    fn audit_name(&self) -> &str {
        match self {
            Actor::Installation => INSTALLATION,
            Actor::User(email) => email.as_str(),
        }
    }
}

/// An account as an administrator sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountSummary {
    pub email: UserId,
    pub role: AccountRole,
    pub created_at: i64,
    pub disabled_at: Option<i64>,
    pub live_sessions: i64,
}

/// What an administrator changes on an account; `None` leaves a part as it is.
#[derive(Clone, Debug, Default)]
pub struct AccountEdit {
    pub role: Option<AccountRole>,
    pub disabled: Option<bool>,
    /// A new password (a reset: every session of the account is closed).
    pub password: Option<String>,
}

/// One row of the account audit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountAuditEntry {
    pub at: i64,
    pub actor: String,
    pub email: String,
    pub action: AccountAction,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// How many audit rows the API and the command line answer at most.
pub const AUDIT_ROWS: u32 = 1000;

fn summary(row: AccountRow) -> Result<AccountSummary> {
    let role = AccountRole::parse(&row.role)
        .ok_or_else(|| AssessmentError::Invalid(format!("account {} has an unknown role {}", row.email, row.role)))?;
    Ok(AccountSummary {
        email: row.email,
        role,
        created_at: row.created_at,
        disabled_at: row.disabled_at,
        live_sessions: row.live_sessions,
    })
}

impl App {
    /// Refuses anyone but the installation or an administrator who can sign in.
    async fn require_admin(&self, actor: &Actor) -> Result<()> {
        let Actor::User(email) = actor else { return Ok(()) };
        match self.store().user(email).await? {
            Some(user) if user.role == AccountRole::Admin.as_str() && !user.disabled => Ok(()),
            Some(_) => Err(AssessmentError::Forbidden("only an administrator of this installation may do this".into())),
            None => Err(AssessmentError::Unauthorized),
        }
    }

    /// Every account of the installation.
    pub async fn accounts(&self, actor: &Actor) -> Result<Vec<AccountSummary>> {
        self.require_admin(actor).await?;
        self.store().accounts(now().unix()).await?.into_iter().map(summary).collect()
    }

    /// Adds an account.
    pub async fn add_account(
        &self,
        actor: &Actor,
        email: &str,
        role: AccountRole,
        password: &str,
    ) -> Result<AccountSummary> {
        self.require_admin(actor).await?;
        let email = parse_user(email)?;
        let hash = password_hash(password).await?;
        let at = now().unix();
        self.store().create_user(&email, role.as_str(), &hash, actor.audit_name(), at).await?;
        self.account(&email).await
    }

    /// Changes an account's role, password or state, each part with its audit row; answers
    /// the account as it is after.
    pub async fn edit_account(&self, actor: &Actor, email: &str, edit: &AccountEdit) -> Result<AccountSummary> {
        self.require_admin(actor).await?;
        let email = parse_user(email)?;
        let hash = match edit.password.as_deref() {
            Some(password) => Some(password_hash(password).await?),
            None => None,
        };
        let mut changes = Vec::new();
        if let Some(role) = edit.role {
            changes.push(AccountChange::Role(role.as_str()));
        }
        if let Some(hash) = &hash {
            changes.push(AccountChange::Password { hash, reset: true, keep: None });
        }
        if let Some(disabled) = edit.disabled {
            changes.push(AccountChange::Disabled(disabled));
        }
        summary(self.store().change_account(&email, &changes, actor.audit_name(), now().unix()).await?)
    }

    /// The owner changes their own password; the session `token` they did it from stays
    /// open, every other one of theirs is closed. A wrong current password counts as a
    /// failed sign-in for the address.
    pub async fn change_own_password(&self, user: &UserId, token: &str, current: &str, new: &str) -> Result<()> {
        let at = now().unix();
        self.check_login_limits(&[(user.as_str().to_string(), MAX_FAILED_LOGINS)], at)?;
        let row = self.store().user(user).await?.ok_or(AssessmentError::Unauthorized)?;
        check_new_password(new)?;
        if !password_matches(current, &row.password_hash).await? {
            self.record_failed_login(user.as_str(), at);
            return Err(AssessmentError::Invalid("the current password is not right".into()));
        }
        let hash = password_hash(new).await?;
        let keep = token_hash(token);
        let change = AccountChange::Password { hash: &hash, reset: false, keep: Some(&keep) };
        self.store().change_account(user, &[change], user.as_str(), at).await?;
        Ok(())
    }

    /// The account audit, newest first, at most `limit` rows (one account's with `email`).
    pub async fn account_audit(
        &self,
        actor: &Actor,
        email: Option<&str>,
        limit: u32,
    ) -> Result<Vec<AccountAuditEntry>> {
        self.require_admin(actor).await?;
        let email = email.map(parse_user).transpose()?;
        let rows = self.store().account_audit(email.as_ref(), limit).await?;
        Ok(rows
            .into_iter()
            .map(|r: AccountAuditRow| AccountAuditEntry {
                at: r.at,
                actor: r.actor,
                email: r.email,
                action: r.action,
                before: r.before,
                after: r.after,
            })
            .collect())
    }

    /// The signed-in account itself.
    pub async fn own_account(&self, user: &UserId) -> Result<AccountSummary> {
        self.account(user).await
    }

    async fn account(&self, email: &UserId) -> Result<AccountSummary> {
        let row = self
            .store()
            .account(email, now().unix())
            .await?
            .ok_or_else(|| AssessmentError::NotFound(format!("no user {email}")))?;
        summary(row)
    }
}

fn time(seconds: i64) -> String {
    Timestamp::from_unix(seconds).map_or_else(|| seconds.to_string(), |t| t.to_string())
}

/// The contract's shape of an account.
pub fn account_json(a: &AccountSummary) -> AccountJson {
    AccountJson {
        email: a.email.to_string(),
        role: a.role.as_str().to_string(),
        created_at: time(a.created_at),
        disabled: a.disabled_at.is_some(),
        disabled_at: a.disabled_at.map(time),
        live_sessions: a.live_sessions,
    }
}

/// The contract's shape of an account audit row.
pub fn account_audit_json(e: &AccountAuditEntry) -> AccountAuditJson {
    AccountAuditJson {
        at: time(e.at),
        actor: e.actor.clone(),
        email: e.email.clone(),
        action: e.action.as_str().to_string(),
        before: e.before.clone(),
        after: e.after.clone(),
    }
}

/// An account role as a request names it.
pub fn account_role(text: &str) -> Result<AccountRole> {
    AccountRole::parse(text)
        .ok_or_else(|| AssessmentError::Invalid(format!("`{text}` is not an account role (admin or member)")))
}

impl AccountEdit {
    /// The edit a `PATCH /api/users/{email}` asks for.
    pub fn from_request(request: &AccountChangeRequest) -> Result<AccountEdit> {
        Ok(AccountEdit {
            role: request.role.as_deref().map(account_role).transpose()?,
            disabled: request.disabled,
            password: request.password.clone(),
        })
    }
}
