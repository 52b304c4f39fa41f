//! Accounts as the installation manages them: the list, a role or password changed, an
//! account disabled or enabled, and the account audit. Like the assessment tables these
//! writes do not move the store revision. Two promises:
//!
//! - every change to an account writes its `account_audit` row in the same transaction
//!   (never a password hash);
//! - no change leaves the installation without an administrator who can sign in: the last
//!   one is neither demoted nor disabled (checked inside the writing transaction, with the
//!   administrators' rows locked on PostgreSQL).
//!
//! Who may change what is the application's rule; the store only keeps these two.

use normwatch_assess::workflow::UserId;

use crate::assess::{AssessError, corrupt, user_id};
use crate::{Pool, Store, StoreError, column};

type Result<T, E = AssessError> = std::result::Result<T, E>;

/// What happened to an account (the audit's `action` column).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountAction {
    Created,
    RoleChanged,
    /// By the account's owner, who gave the current password.
    PasswordChanged,
    /// By an administrator or from the command line.
    PasswordReset,
    Disabled,
    Enabled,
}

impl AccountAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountAction::Created => "created",
            AccountAction::RoleChanged => "role_changed",
            AccountAction::PasswordChanged => "password_changed",
            AccountAction::PasswordReset => "password_reset",
            AccountAction::Disabled => "disabled",
            AccountAction::Enabled => "enabled",
        }
    }

    pub fn parse(text: &str) -> Option<AccountAction> {
        [
            AccountAction::Created,
            AccountAction::RoleChanged,
            AccountAction::PasswordChanged,
            AccountAction::PasswordReset,
            AccountAction::Disabled,
            AccountAction::Enabled,
        ]
        .into_iter()
        .find(|a| a.as_str() == text)
    }
}

/// An account as the administrators' page lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountRow {
    pub email: UserId,
    /// `admin` or `member`.
    pub role: String,
    pub created_at: i64,
    /// When it was disabled; `None` while it may sign in.
    pub disabled_at: Option<i64>,
    /// Sessions not yet expired.
    pub live_sessions: i64,
}

/// One change to an account.
#[derive(Clone, Copy, Debug)]
pub enum AccountChange<'a> {
    /// `admin` or `member`.
    Role(&'a str),
    /// A new argon2 hash. Every session of the account is closed but `keep` (the session
    /// of an owner who changed their own password).
    Password { hash: &'a str, reset: bool, keep: Option<&'a str> },
    /// Disabled (its sessions closed) or enabled again.
    Disabled(bool),
}

/// One row of the account audit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccountAuditRow {
    pub id: i64,
    pub at: i64,
    /// An e-mail address, or `installation` (the command line, a first start).
    pub actor: String,
    pub email: String,
    pub action: AccountAction,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Inserts one `account_audit` row on a connection of either backend.
macro_rules! write_account_audit {
    ($conn:expr, $at:expr, $actor:expr, $email:expr, $action:expr, $before:expr, $after:expr) => {{
        let action: $crate::accounts::AccountAction = $action;
        sqlx::query(
            "INSERT INTO account_audit (at, actor, email, action, before, after) VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind($at)
        .bind($actor)
        .bind($email)
        .bind(action.as_str())
        .bind($before)
        .bind($after)
        .execute($conn)
        .await?;
    }};
}
pub(crate) use write_account_audit;

impl Store {
    /// Every account, by e-mail address, with its count of live sessions.
    pub async fn accounts(&self, now: i64) -> Result<Vec<AccountRow>> {
        self.accounts_where(None, now).await
    }

    /// One account, with its count of live sessions.
    pub async fn account(&self, email: &UserId, now: i64) -> Result<Option<AccountRow>> {
        Ok(self.accounts_where(Some(email), now).await?.pop())
    }

    /// Every account, or only `email`'s.
    async fn accounts_where(&self, email: Option<&UserId>, now: i64) -> Result<Vec<AccountRow>> {
        with_pool!(self, |pool, Db| {
            let rows = sqlx::query(
                "SELECT u.email, u.role, u.created_at, u.disabled_at,
                        (SELECT COUNT(*) FROM sessions s WHERE s.email = u.email AND s.expires_at > $1) AS live_sessions
                 FROM users u WHERE $2 = '' OR u.email = $2 ORDER BY u.email",
            )
            .bind(now)
            .bind(email.map_or("", |e| e.as_str()))
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    Ok(AccountRow {
                        email: user_id(column(row, "users", "email")?, "users", "email")?,
                        role: column(row, "users", "role")?,
                        created_at: column(row, "users", "created_at")?,
                        disabled_at: column(row, "users", "disabled_at")?,
                        live_sessions: column(row, "sessions", "live_sessions")?,
                    })
                })
                .collect()
        })
    }

    /// Applies changes to an account, in order, each with its audit row, all in one
    /// transaction; answers the account as it is after. A change that would leave no
    /// administrator who can sign in is refused with [`AssessError::LastAdmin`] and an
    /// unknown account with [`AssessError::NoUser`]; then nothing is written. A change to
    /// what the account already is (the same role, an enabled account enabled) writes
    /// nothing.
    pub async fn change_account(
        &self,
        email: &UserId,
        changes: &[AccountChange<'_>],
        actor: &str,
        now: i64,
    ) -> Result<AccountRow> {
        let lock = if matches!(self.pool, Pool::Postgres(_)) { " FOR UPDATE" } else { "" };
        with_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            for change in changes {
                // The administrators who can sign in, locked on PostgreSQL so that two
                // administrators demoting each other at once cannot both pass the check.
                let admins: Vec<String> = sqlx::query_scalar(&format!(
                    "SELECT email FROM users WHERE role = 'admin' AND disabled_at IS NULL ORDER BY email{lock}"
                ))
                .fetch_all(&mut *tx)
                .await?;
                let row = sqlx::query(&format!("SELECT role, disabled_at FROM users WHERE email = $1{lock}"))
                    .bind(email.as_str())
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(row) = row else { return Err(AssessError::NoUser(email.to_string())) };
                let role: String = column(&row, "users", "role")?;
                let disabled_at: Option<i64> = column(&row, "users", "disabled_at")?;
                let last_admin = admins.len() == 1 && admins[0] == email.as_str();
                match *change {
                    AccountChange::Role(new) if new != role => {
                        if last_admin && new != "admin" {
                            return Err(AssessError::LastAdmin(email.to_string()));
                        }
                        sqlx::query("UPDATE users SET role = $1 WHERE email = $2")
                            .bind(new)
                            .bind(email.as_str())
                            .execute(&mut *tx)
                            .await?;
                        write_account_audit!(
                            &mut *tx,
                            now,
                            actor,
                            email.as_str(),
                            AccountAction::RoleChanged,
                            Some(role.as_str()),
                            Some(new)
                        );
                    }
                    AccountChange::Role(_) => {}
                    AccountChange::Password { hash, reset, keep } => {
                        sqlx::query("UPDATE users SET password_hash = $1 WHERE email = $2")
                            .bind(hash)
                            .bind(email.as_str())
                            .execute(&mut *tx)
                            .await?;
                        // A token hash is hexadecimal: the empty string keeps nothing.
                        sqlx::query("DELETE FROM sessions WHERE email = $1 AND token_hash <> $2")
                            .bind(email.as_str())
                            .bind(keep.unwrap_or(""))
                            .execute(&mut *tx)
                            .await?;
                        let action = if reset { AccountAction::PasswordReset } else { AccountAction::PasswordChanged };
                        write_account_audit!(&mut *tx, now, actor, email.as_str(), action, None::<&str>, None::<&str>);
                    }
                    AccountChange::Disabled(true) if disabled_at.is_none() => {
                        if last_admin {
                            return Err(AssessError::LastAdmin(email.to_string()));
                        }
                        sqlx::query("UPDATE users SET disabled_at = $1 WHERE email = $2")
                            .bind(now)
                            .bind(email.as_str())
                            .execute(&mut *tx)
                            .await?;
                        sqlx::query("DELETE FROM sessions WHERE email = $1")
                            .bind(email.as_str())
                            .execute(&mut *tx)
                            .await?;
                        write_account_audit!(
                            &mut *tx,
                            now,
                            actor,
                            email.as_str(),
                            AccountAction::Disabled,
                            Some("enabled"),
                            Some("disabled")
                        );
                    }
                    AccountChange::Disabled(false) if disabled_at.is_some() => {
                        sqlx::query("UPDATE users SET disabled_at = NULL WHERE email = $1")
                            .bind(email.as_str())
                            .execute(&mut *tx)
                            .await?;
                        write_account_audit!(
                            &mut *tx,
                            now,
                            actor,
                            email.as_str(),
                            AccountAction::Enabled,
                            Some("disabled"),
                            Some("enabled")
                        );
                    }
                    AccountChange::Disabled(_) => {}
                }
            }
            tx.commit().await?;
            Ok::<(), AssessError>(())
        })?;
        self.account(email, now).await?.ok_or_else(|| AssessError::NoUser(email.to_string()))
    }

    /// The account audit, newest first; `email` keeps one account's rows.
    pub async fn account_audit(&self, email: Option<&UserId>, limit: u32) -> Result<Vec<AccountAuditRow>> {
        with_pool!(self, |pool, Db| {
            let rows = sqlx::query(
                "SELECT id, at, actor, email, action, before, after FROM account_audit
                 WHERE $1 = '' OR email = $1 ORDER BY id DESC LIMIT $2",
            )
            .bind(email.map_or("", |e| e.as_str()))
            .bind(i64::from(limit))
            .fetch_all(pool)
            .await?;
            rows.iter()
                .map(|row| {
                    let action: String = column(row, "account_audit", "action")?;
                    Ok(AccountAuditRow {
                        id: column(row, "account_audit", "id")?,
                        at: column(row, "account_audit", "at")?,
                        actor: column(row, "account_audit", "actor")?,
                        email: column(row, "account_audit", "email")?,
                        action: AccountAction::parse(&action)
                            .ok_or_else(|| corrupt("account_audit", "action", format!("unknown action {action}")))?,
                        before: column(row, "account_audit", "before")?,
                        after: column(row, "account_audit", "after")?,
                    })
                })
                .collect::<Result<Vec<_>, StoreError>>()
                .map_err(AssessError::from)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::databases;

    fn user(email: &str) -> UserId {
        UserId::parse(email).unwrap()
    }

    #[tokio::test]
    async fn changes_are_audited_and_the_last_admin_stays() {
        for db in databases().await {
            let store = &db.store;
            let (ada, bob) = (user("ada@ministry.example"), user("bob@ministry.example"));
            store.create_user(&ada, "admin", "$argon2id$a", "installation", 1).await.unwrap();
            store.create_user(&bob, "member", "$argon2id$b", "ada@ministry.example", 2).await.unwrap();
            store.create_session("s-ada", &ada, "c", 3, 1000, None).await.unwrap();
            store.create_session("s-bob-1", &bob, "c", 3, 1000, None).await.unwrap();
            store.create_session("s-bob-2", &bob, "c", 3, 1000, None).await.unwrap();
            let listed = store.accounts(10).await.unwrap();
            assert_eq!(
                listed.iter().map(|a| (a.email.as_str(), a.live_sessions)).collect::<Vec<_>>(),
                [("ada@ministry.example", 1), ("bob@ministry.example", 2)]
            );

            // The only administrator is neither demoted nor disabled, and nothing is written.
            for change in [AccountChange::Role("member"), AccountChange::Disabled(true)] {
                let refused = store.change_account(&ada, &[change], "ada@ministry.example", 4).await.unwrap_err();
                assert!(matches!(refused, AssessError::LastAdmin(_)), "{}: {refused:?}", db.name());
            }
            // All or nothing: a new password followed by a refused change is not kept.
            let reset = AccountChange::Password { hash: "$argon2id$new", reset: true, keep: None };
            store.change_account(&ada, &[reset, AccountChange::Role("member")], "x", 4).await.unwrap_err();
            assert_eq!(store.user(&ada).await.unwrap().unwrap().password_hash, "$argon2id$a");
            assert!(store.session("s-ada", 4).await.unwrap().is_some());

            let promote = [AccountChange::Role("admin")];
            let bob_now = store.change_account(&bob, &promote, "ada@ministry.example", 5).await.unwrap();
            assert_eq!(bob_now.role, "admin");
            // With two administrators, one may step down.
            store.change_account(&ada, &[AccountChange::Role("member")], "ada@ministry.example", 6).await.unwrap();
            // A password changed by its owner keeps the session it came from.
            let change = AccountChange::Password { hash: "$argon2id$b2", reset: false, keep: Some("s-bob-2") };
            let after = store.change_account(&bob, &[change], "bob@ministry.example", 7).await.unwrap();
            assert_eq!(after.live_sessions, 1);
            assert!(store.session("s-bob-1", 8).await.unwrap().is_none());
            assert!(store.session("s-bob-2", 8).await.unwrap().is_some());
            assert_eq!(store.user(&bob).await.unwrap().unwrap().password_hash, "$argon2id$b2");
            // Disabled: no session lives on, and the same change again writes nothing.
            let off =
                store.change_account(&ada, &[AccountChange::Disabled(true)], "bob@ministry.example", 9).await.unwrap();
            assert_eq!((off.disabled_at, off.live_sessions), (Some(9), 0));
            store.change_account(&ada, &[AccountChange::Disabled(true)], "bob@ministry.example", 10).await.unwrap();
            assert!(store.user(&ada).await.unwrap().unwrap().disabled);
            let no_one = user("nobody@ministry.example");
            let missing = store.change_account(&no_one, &[AccountChange::Disabled(true)], "x", 11).await.unwrap_err();
            assert!(matches!(missing, AssessError::NoUser(_)), "{missing:?}");

            let audit = store.account_audit(None, 100).await.unwrap();
            let actions: Vec<(&str, AccountAction, Option<&str>, Option<&str>)> =
                audit.iter().map(|r| (r.email.as_str(), r.action, r.before.as_deref(), r.after.as_deref())).collect();
            assert_eq!(
                actions,
                [
                    ("ada@ministry.example", AccountAction::Disabled, Some("enabled"), Some("disabled")),
                    ("bob@ministry.example", AccountAction::PasswordChanged, None, None),
                    ("ada@ministry.example", AccountAction::RoleChanged, Some("admin"), Some("member")),
                    ("bob@ministry.example", AccountAction::RoleChanged, Some("member"), Some("admin")),
                    ("bob@ministry.example", AccountAction::Created, None, Some("member")),
                    ("ada@ministry.example", AccountAction::Created, None, Some("admin")),
                ]
            );
            assert_eq!(audit[4].actor, "ada@ministry.example");
            assert_eq!(store.account_audit(Some(&ada), 100).await.unwrap().len(), 3);
            assert_eq!(store.account_audit(None, 2).await.unwrap().len(), 2);
            db.finish().await;
        }
    }

    #[test]
    fn actions_read_back() {
        for action in [
            AccountAction::Created,
            AccountAction::RoleChanged,
            AccountAction::PasswordChanged,
            AccountAction::PasswordReset,
            AccountAction::Disabled,
            AccountAction::Enabled,
        ] {
            assert_eq!(AccountAction::parse(action.as_str()), Some(action));
        }
        assert_eq!(AccountAction::parse("deleted"), None);
    }
}
