//! The self-assessment's tables (issue 12): accounts, sessions, assessments with their
//! members, items (answers, evidence, planned actions, comments), uploaded evidence and the
//! audit log. The store takes and gives the pure types of `normwatch-assess`; it decides
//! nothing about who may do what (the application does), but it keeps two promises:
//!
//! - every change to an assessment writes its audit row in the same transaction;
//! - an item is only overwritten at the version its writer read (`UPDATE … WHERE version =
//!   $read`): a writer that lost the race gets [`AssessError::Conflict`] with the item as
//!   it is now, never a silent overwrite.
//!
//! These writes do not move the store revision: nothing kept per revision (the public
//! answers, the search index) is derived from private workflow data.

use normwatch_assess::assessment::{Assessment, FrameworkRef};
use normwatch_assess::evidence::{Evidence, MAX_EVIDENCE_FILE_BYTES};
use normwatch_assess::workflow::{
    Answer, AuditEntry, Change, Comment, CommentKind, Item, Member, PlannedAction, Role, State, Status, Timestamp,
    UserId,
};

use crate::accounts::AccountAction;
use crate::{Store, StoreError, column};

/// Why an assessment write was refused.
#[derive(Debug, thiserror::Error)]
pub enum AssessError {
    /// The item moved on since the writer read it: here it is now.
    #[error("the question was changed by someone else (now version {})", current.version)]
    Conflict { current: Box<Item> },
    #[error("no assessment `{0}`")]
    NoAssessment(String),
    #[error("assessment `{0}` has no question `{1}`")]
    NoItem(String, String),
    #[error("an assessment with id `{0}` exists already")]
    AssessmentExists(String),
    #[error("a user {0} exists already")]
    UserExists(String),
    #[error("no user {0}")]
    NoUser(String),
    /// The change would leave the installation without an administrator who can sign in.
    #[error("{0} is the last administrator who can sign in; make another account an administrator first")]
    LastAdmin(String),
    #[error("the file is {0} bytes; the limit is {MAX_EVIDENCE_FILE_BYTES}")]
    FileTooLarge(u64),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<sqlx::Error> for AssessError {
    fn from(e: sqlx::Error) -> Self {
        AssessError::Store(StoreError::Sql(e))
    }
}

type Result<T, E = AssessError> = std::result::Result<T, E>;

/// An account of this installation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UserRow {
    pub email: UserId,
    /// `admin` or `member`.
    pub role: String,
    /// The argon2 PHC string.
    pub password_hash: String,
    /// A disabled account may not sign in.
    pub disabled: bool,
}

/// A live session: whose, and its CSRF token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    pub email: UserId,
    pub role: String,
    pub csrf_token: String,
    pub expires_at: i64,
}

/// An assessment in a member's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssessmentSummary {
    pub id: String,
    pub title: String,
    pub framework: FrameworkRef,
    pub created_at: Timestamp,
    pub previous: Option<String>,
    pub role: Role,
}

/// An uploaded evidence file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvidenceFile {
    pub sha256: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

pub(crate) fn corrupt(table: &'static str, column: &'static str, reason: impl ToString) -> StoreError {
    StoreError::Column { table, column, reason: reason.to_string() }
}

pub(crate) fn user_id(text: String, table: &'static str, col: &'static str) -> Result<UserId, StoreError> {
    UserId::parse(&text).map_err(|e| corrupt(table, col, e))
}

fn timestamp(seconds: i64, table: &'static str, col: &'static str) -> Result<Timestamp, StoreError> {
    Timestamp::from_unix(seconds).ok_or_else(|| corrupt(table, col, format!("{seconds} is not a time")))
}

fn role_from(text: &str) -> Result<Role, StoreError> {
    Role::parse(text).map_err(|_| corrupt("assessment_members", "role", text))
}

fn status_from(text: &str) -> Result<Status, StoreError> {
    Status::ALL.into_iter().find(|s| s.as_str() == text).ok_or_else(|| corrupt("assessment_items", "status", text))
}

fn state_from(text: &str) -> Result<State, StoreError> {
    [State::Unassigned, State::Assigned, State::InReview, State::Accepted, State::SentBack]
        .into_iter()
        .find(|s| s.as_str() == text)
        .ok_or_else(|| corrupt("assessment_items", "state", text))
}

fn comment_kind_text(kind: CommentKind) -> &'static str {
    match kind {
        CommentKind::Discussion => "discussion",
        CommentKind::Accepted => "accepted",
        CommentKind::SentBack => "sent_back",
        CommentKind::Reopened => "reopened",
    }
}

fn comment_kind_from(text: &str) -> Result<CommentKind, StoreError> {
    [CommentKind::Discussion, CommentKind::Accepted, CommentKind::SentBack, CommentKind::Reopened]
        .into_iter()
        .find(|k| comment_kind_text(*k) == text)
        .ok_or_else(|| corrupt("assessment_comments", "kind", text))
}

fn opt_ts(value: Option<i64>, col: &'static str) -> Result<Option<Timestamp>, StoreError> {
    value.map(|v| timestamp(v, "assessment_items", col)).transpose()
}

fn opt_user(value: Option<String>, col: &'static str) -> Result<Option<UserId>, StoreError> {
    value.map(|v| user_id(v, "assessment_items", col)).transpose()
}

/// What the audit row's `what`, `question`, `before` and `after` columns hold for a change.
fn audit_columns(change: &Change) -> (&'static str, Option<String>, Option<String>, Option<String>) {
    let json = |v: &dyn erased::Json| Some(v.json());
    match change {
        Change::Created { .. } => ("created", None, None, None),
        Change::Reassessed { .. } => ("reassessed", None, None, None),
        Change::Imported { .. } => ("imported", None, None, None),
        Change::Item { question, command: _, before, after } => {
            ("item", Some(question.clone()), json(before.as_ref()), json(after.as_ref()))
        }
        Change::Member { user: _, before, after } => ("member", None, json(before), json(after)),
    }
}

mod erased {
    /// Serialises whatever the audit keeps as before/after.
    pub trait Json {
        fn json(&self) -> String;
    }
    impl<T: serde::Serialize> Json for T {
        fn json(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}

/// The statements every write shares, compiled for each backend.
macro_rules! write_audit {
    ($conn:expr, $entry:expr) => {{
        let entry: &AuditEntry = $entry;
        let (what, question, before, after) = audit_columns(&entry.change);
        let change = serde_json::to_string(&entry.change).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        sqlx::query(
            "INSERT INTO assessment_audit (assessment, actor, at, what, question, before, after, change)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&entry.assessment)
        .bind(entry.actor.as_str())
        .bind(entry.at.unix())
        .bind(what)
        .bind(question)
        .bind(before)
        .bind(after)
        .bind(change)
        .execute($conn)
        .await?;
    }};
}

/// Writes an item's row and its evidence, actions and comments (the old ones gone first).
macro_rules! write_item_parts {
    ($tx:expr, $assessment:expr, $item:expr) => {{
        let assessment: &str = $assessment;
        let item: &Item = $item;
        for table in ["assessment_comments", "assessment_evidence", "assessment_actions"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE assessment = $1 AND question = $2"))
                .bind(assessment)
                .bind(&item.question)
                .execute(&mut *$tx)
                .await?;
        }
        for (position, c) in item.comments.iter().enumerate() {
            sqlx::query(
                "INSERT INTO assessment_comments (assessment, question, position, author, at, kind, body)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(assessment)
            .bind(&item.question)
            .bind(position as i64)
            .bind(c.author.as_str())
            .bind(c.at.unix())
            .bind(comment_kind_text(c.kind))
            .bind(&c.text)
            .execute(&mut *$tx)
            .await?;
        }
        for (position, e) in item.answer.evidence.iter().enumerate() {
            let (kind, url, title, name, content_type, size, sha256) = match e {
                Evidence::Link { url, title } => ("link", Some(url), Some(title), None, None, None, None),
                Evidence::File { name, content_type, size, sha256 } => {
                    ("file", None, None, Some(name), Some(content_type), Some(*size as i64), Some(sha256))
                }
            };
            sqlx::query(
                "INSERT INTO assessment_evidence (assessment, question, position, kind, url, title, name, content_type, size, sha256)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(assessment)
            .bind(&item.question)
            .bind(position as i64)
            .bind(kind)
            .bind(url)
            .bind(title)
            .bind(name)
            .bind(content_type)
            .bind(size)
            .bind(sha256)
            .execute(&mut *$tx)
            .await?;
        }
        for (position, a) in item.answer.actions.iter().enumerate() {
            sqlx::query(
                "INSERT INTO assessment_actions (assessment, question, position, description, due, owner, done)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(assessment)
            .bind(&item.question)
            .bind(position as i64)
            .bind(&a.description)
            .bind(a.due.to_string())
            .bind(&a.owner)
            .bind(a.done)
            .execute(&mut *$tx)
            .await?;
        }
    }};
}

macro_rules! insert_item {
    ($tx:expr, $assessment:expr, $position:expr, $item:expr) => {{
        let item: &Item = $item;
        sqlx::query(
            "INSERT INTO assessment_items (assessment, question, position, version, state, assignee, status, maturity,
                 narrative, owner_agency, answered_by, answered_at, reviewed_by, reviewed_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        )
        .bind($assessment)
        .bind(&item.question)
        .bind($position as i64)
        .bind(item.version as i64)
        .bind(item.state.as_str())
        .bind(item.assignee.as_ref().map(UserId::as_str))
        .bind(item.answer.status.as_str())
        .bind(item.answer.maturity.map(i64::from))
        .bind(&item.answer.narrative)
        .bind(&item.answer.owner_agency)
        .bind(item.answered_by.as_ref().map(UserId::as_str))
        .bind(item.answered_at.map(Timestamp::unix))
        .bind(item.reviewed_by.as_ref().map(UserId::as_str))
        .bind(item.reviewed_at.map(Timestamp::unix))
        .bind(item.updated_at.unix())
        .execute(&mut *$tx)
        .await?;
        write_item_parts!($tx, $assessment, item);
    }};
}

macro_rules! write_members {
    ($tx:expr, $assessment:expr, $members:expr) => {{
        sqlx::query("DELETE FROM assessment_members WHERE assessment = $1")
            .bind($assessment)
            .execute(&mut *$tx)
            .await?;
        for (position, m) in $members.iter().enumerate() {
            sqlx::query("INSERT INTO assessment_members (assessment, email, role, position) VALUES ($1, $2, $3, $4)")
                .bind($assessment)
                .bind(m.user.as_str())
                .bind(m.role.as_str())
                .bind(position as i64)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}

/// Reads the items of an assessment (or the one question given), with their comments,
/// evidence and actions, on the transaction `$tx`.
macro_rules! read_items {
    ($tx:expr, $assessment:expr, $question:expr) => {{
        let assessment: &str = $assessment;
        let question: Option<&str> = $question;
        // `COALESCE($2, question)`: one question when one is given, else all (both backends
        // infer the parameter's type from the column).
                let bind = |sql: &'static str| sqlx::query(sql).bind(assessment).bind(question);
        let t = "assessment_items";
        let rows = bind("SELECT question, version, state, assignee, status, maturity, narrative, owner_agency, answered_by,
                    answered_at, reviewed_by, reviewed_at, updated_at
             FROM assessment_items WHERE assessment = $1 AND question = COALESCE($2, question) ORDER BY position")
        .fetch_all(&mut *$tx)
        .await?;
        let mut items = Vec::with_capacity(rows.len());
        for r in &rows {
            let version: i64 = column(r, t, "version")?;
            let maturity: Option<i64> = column(r, t, "maturity")?;
            items.push(Item {
                question: column(r, t, "question")?,
                version: u64::try_from(version).map_err(|e| corrupt(t, "version", e))?,
                state: state_from(&column::<_, String>(r, t, "state")?)?,
                assignee: opt_user(column(r, t, "assignee")?, "assignee")?,
                answer: Answer {
                    status: status_from(&column::<_, String>(r, t, "status")?)?,
                    maturity: maturity.map(|m| u8::try_from(m).map_err(|e| corrupt(t, "maturity", e))).transpose()?,
                    narrative: column(r, t, "narrative")?,
                    owner_agency: column(r, t, "owner_agency")?,
                    evidence: Vec::new(),
                    actions: Vec::new(),
                },
                answered_by: opt_user(column(r, t, "answered_by")?, "answered_by")?,
                answered_at: opt_ts(column(r, t, "answered_at")?, "answered_at")?,
                reviewed_by: opt_user(column(r, t, "reviewed_by")?, "reviewed_by")?,
                reviewed_at: opt_ts(column(r, t, "reviewed_at")?, "reviewed_at")?,
                comments: Vec::new(),
                updated_at: timestamp(column(r, t, "updated_at")?, t, "updated_at")?,
            });
        }
        let find = |items: &mut Vec<Item>, question: &str| -> Result<usize, StoreError> {
            items.iter().position(|i| i.question == question).ok_or_else(|| corrupt(t, "question", question))
        };
        let t = "assessment_comments";
        for r in bind("SELECT question, author, at, kind, body FROM assessment_comments WHERE assessment = $1 AND question = COALESCE($2, question) ORDER BY question, position")
        .fetch_all(&mut *$tx)
        .await?
        .iter()
        {
            let at = find(&mut items, &column::<_, String>(r, t, "question")?)?;
            items[at].comments.push(Comment {
                author: user_id(column(r, t, "author")?, t, "author")?,
                at: timestamp(column(r, t, "at")?, t, "at")?,
                kind: comment_kind_from(&column::<_, String>(r, t, "kind")?)?,
                text: column(r, t, "body")?,
            });
        }
        let t = "assessment_evidence";
        for r in bind("SELECT question, kind, url, title, name, content_type, size, sha256 FROM assessment_evidence
             WHERE assessment = $1 AND question = COALESCE($2, question) ORDER BY question, position")
        .fetch_all(&mut *$tx)
        .await?
        .iter()
        {
            let at = find(&mut items, &column::<_, String>(r, t, "question")?)?;
            let kind: String = column(r, t, "kind")?;
            let text = |name: &'static str| -> Result<String, StoreError> {
                column::<_, Option<String>>(r, t, name)?.ok_or_else(|| corrupt(t, name, "missing"))
            };
            let evidence = if kind == "link" {
                Evidence::Link { url: text("url")?, title: text("title")? }
            } else {
                let size: Option<i64> = column(r, t, "size")?;
                Evidence::File {
                    name: text("name")?,
                    content_type: text("content_type")?,
                    size: size.and_then(|s| u64::try_from(s).ok()).ok_or_else(|| corrupt(t, "size", "missing"))?,
                    sha256: text("sha256")?,
                }
            };
            items[at].answer.evidence.push(evidence);
        }
        let t = "assessment_actions";
        for r in bind("SELECT question, description, due, owner, done FROM assessment_actions WHERE assessment = $1 AND question = COALESCE($2, question)
             ORDER BY question, position")
        .fetch_all(&mut *$tx)
        .await?
        .iter()
        {
            let at = find(&mut items, &column::<_, String>(r, t, "question")?)?;
            let due: String = column(r, t, "due")?;
            items[at].answer.actions.push(PlannedAction {
                description: column(r, t, "description")?,
                due: due.parse().map_err(|e| corrupt(t, "due", format!("{e:?}")))?,
                owner: column(r, t, "owner")?,
                done: column(r, t, "done")?,
            });
        }
        items
    }};
}

impl Store {
    // ---- accounts and sessions ----

    /// Adds an account, with its audit row (`actor` did it); an existing e-mail address is
    /// refused.
    pub async fn create_user(
        &self,
        email: &UserId,
        role: &str,
        password_hash: &str,
        actor: &str,
        now: i64,
    ) -> Result<()> {
        with_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            let exists: Option<String> = sqlx::query_scalar("SELECT email FROM users WHERE email = $1")
                .bind(email.as_str())
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_some() {
                return Err(AssessError::UserExists(email.to_string()));
            }
            sqlx::query("INSERT INTO users (email, role, password_hash, created_at) VALUES ($1, $2, $3, $4)")
                .bind(email.as_str())
                .bind(role)
                .bind(password_hash)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            crate::accounts::write_account_audit!(
                &mut *tx,
                now,
                actor,
                email.as_str(),
                AccountAction::Created,
                None::<&str>,
                Some(role)
            );
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn user(&self, email: &UserId) -> Result<Option<UserRow>> {
        with_pool!(self, |pool, Db| {
            let row = sqlx::query("SELECT email, role, password_hash, disabled_at FROM users WHERE email = $1")
                .bind(email.as_str())
                .fetch_optional(pool)
                .await?;
            let Some(row) = row else { return Ok(None) };
            Ok(Some(UserRow {
                email: user_id(column(&row, "users", "email")?, "users", "email")?,
                role: column(&row, "users", "role")?,
                password_hash: column(&row, "users", "password_hash")?,
                disabled: column::<_, Option<i64>>(&row, "users", "disabled_at")?.is_some(),
            }))
        })
    }

    pub async fn user_count(&self) -> Result<u64> {
        let n: i64 =
            with_pool!(self, |pool, Db| sqlx::query_scalar("SELECT COUNT(*) FROM users").fetch_one(pool).await?);
        Ok(n as u64)
    }

    /// Opens a session; `replaces` (the caller's previous session, if any) is closed in the
    /// same transaction, so a login always rotates the session.
    pub async fn create_session(
        &self,
        token_hash: &str,
        email: &UserId,
        csrf_token: &str,
        now: i64,
        expires_at: i64,
        replaces: Option<&str>,
    ) -> Result<()> {
        with_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            if let Some(old) = replaces {
                sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(old).execute(&mut *tx).await?;
            }
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(now).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO sessions (token_hash, email, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(token_hash)
            .bind(email.as_str())
            .bind(csrf_token)
            .bind(now)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// The live session with this token hash (an expired one is none).
    pub async fn session(&self, token_hash: &str, now: i64) -> Result<Option<SessionRow>> {
        with_pool!(self, |pool, Db| {
            let row = sqlx::query(
                "SELECT s.email, u.role, s.csrf_token, s.expires_at FROM sessions s JOIN users u ON u.email = s.email
                 WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.disabled_at IS NULL",
            )
            .bind(token_hash)
            .bind(now)
            .fetch_optional(pool)
            .await?;
            let Some(row) = row else { return Ok(None) };
            Ok(Some(SessionRow {
                email: user_id(column(&row, "sessions", "email")?, "sessions", "email")?,
                role: column(&row, "users", "role")?,
                csrf_token: column(&row, "sessions", "csrf_token")?,
                expires_at: column(&row, "sessions", "expires_at")?,
            }))
        })
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        with_pool!(self, |pool, Db| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
        });
        Ok(())
    }

    // ---- assessments ----

    /// Stores a new assessment (created, reassessed or imported) with its audit entry.
    pub async fn insert_assessment(&self, assessment: &Assessment, audit: &AuditEntry) -> Result<()> {
        let a = assessment;
        with_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            let exists: Option<String> = sqlx::query_scalar("SELECT id FROM assessments WHERE id = $1")
                .bind(&a.id)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_some() {
                return Err(AssessError::AssessmentExists(a.id.clone()));
            }
            sqlx::query(
                "INSERT INTO assessments (id, title, framework, framework_version, created_at, created_by, previous)
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&a.id)
            .bind(&a.title)
            .bind(&a.framework.id)
            .bind(&a.framework.version)
            .bind(a.created_at.unix())
            .bind(a.created_by.as_str())
            .bind(&a.previous)
            .execute(&mut *tx)
            .await?;
            write_members!(tx, &a.id, &a.members);
            for (position, item) in a.items.iter().enumerate() {
                insert_item!(tx, &a.id, position, item);
            }
            write_audit!(&mut *tx, audit);
            tx.commit().await?;
            Ok(())
        })
    }

    /// The assessments `user` is a member of, newest first.
    pub async fn assessments_of(&self, user: &UserId) -> Result<Vec<AssessmentSummary>> {
        with_pool!(self, |pool, Db| {
            let rows = sqlx::query(
                "SELECT a.id, a.title, a.framework, a.framework_version, a.created_at, a.previous, m.role
                 FROM assessments a JOIN assessment_members m ON m.assessment = a.id
                 WHERE m.email = $1 ORDER BY a.created_at DESC, a.id",
            )
            .bind(user.as_str())
            .fetch_all(pool)
            .await?;
            let t = "assessments";
            rows.iter()
                .map(|row| {
                    Ok(AssessmentSummary {
                        id: column(row, t, "id")?,
                        title: column(row, t, "title")?,
                        framework: FrameworkRef {
                            id: column(row, t, "framework")?,
                            version: column(row, t, "framework_version")?,
                        },
                        created_at: timestamp(column(row, t, "created_at")?, t, "created_at")?,
                        previous: column(row, t, "previous")?,
                        role: role_from(&column::<_, String>(row, "assessment_members", "role")?)?,
                    })
                })
                .collect()
        })
    }

    /// A whole assessment, read in one snapshot; `None` when there is no such id.
    pub async fn assessment(&self, id: &str) -> Result<Option<Assessment>> {
        with_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            <Db as crate::Dialect>::read_snapshot(&mut tx).await?;
            let Some(row) = sqlx::query(
                "SELECT id, title, framework, framework_version, created_at, created_by, previous FROM assessments WHERE id = $1",
            )
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            else {
                return Ok(None);
            };
            let t = "assessments";
            let members =
                sqlx::query("SELECT email, role FROM assessment_members WHERE assessment = $1 ORDER BY position")
                    .bind(id)
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|r| {
                        Ok(Member {
                            user: user_id(column(r, "assessment_members", "email")?, "assessment_members", "email")?,
                            role: role_from(&column::<_, String>(r, "assessment_members", "role")?)?,
                        })
                    })
                    .collect::<Result<Vec<_>, StoreError>>()?;
            let items = read_items!(tx, id, None::<&str>);
            let assessment = Assessment {
                id: column(&row, t, "id")?,
                title: column(&row, t, "title")?,
                framework: FrameworkRef {
                    id: column(&row, t, "framework")?,
                    version: column(&row, t, "framework_version")?,
                },
                created_at: timestamp(column(&row, t, "created_at")?, t, "created_at")?,
                created_by: user_id(column(&row, t, "created_by")?, t, "created_by")?,
                previous: column(&row, t, "previous")?,
                members,
                items,
            };
            tx.commit().await?;
            Ok(Some(assessment))
        })
    }

    /// Writes `item` over the stored one if, and only if, the stored one is still at
    /// `read_version`; with its audit entry, in one transaction. Otherwise
    /// [`AssessError::Conflict`] carries the stored item.
    pub async fn save_item(&self, assessment: &str, item: &Item, read_version: u64, audit: &AuditEntry) -> Result<()> {
        with_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            let changed = sqlx::query(
                "UPDATE assessment_items SET version = $1, state = $2, assignee = $3, status = $4, maturity = $5,
                     narrative = $6, owner_agency = $7, answered_by = $8, answered_at = $9, reviewed_by = $10,
                     reviewed_at = $11, updated_at = $12
                 WHERE assessment = $13 AND question = $14 AND version = $15",
            )
            .bind(item.version as i64)
            .bind(item.state.as_str())
            .bind(item.assignee.as_ref().map(UserId::as_str))
            .bind(item.answer.status.as_str())
            .bind(item.answer.maturity.map(i64::from))
            .bind(&item.answer.narrative)
            .bind(&item.answer.owner_agency)
            .bind(item.answered_by.as_ref().map(UserId::as_str))
            .bind(item.answered_at.map(Timestamp::unix))
            .bind(item.reviewed_by.as_ref().map(UserId::as_str))
            .bind(item.reviewed_at.map(Timestamp::unix))
            .bind(item.updated_at.unix())
            .bind(assessment)
            .bind(&item.question)
            .bind(read_version as i64)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed != 1 {
                let mut current = read_items!(tx, assessment, Some(item.question.as_str()));
                tx.rollback().await?;
                return match current.pop() {
                    Some(current) => Err(AssessError::Conflict { current: Box::new(current) }),
                    None => Err(AssessError::NoItem(assessment.to_string(), item.question.clone())),
                };
            }
            write_item_parts!(tx, assessment, item);
            write_audit!(&mut *tx, audit);
            tx.commit().await?;
            Ok(())
        })
    }

    /// Replaces the members of an assessment, with the audit entry of the change.
    pub async fn save_members(&self, assessment: &str, members: &[Member], audit: &AuditEntry) -> Result<()> {
        with_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            let exists: Option<String> = sqlx::query_scalar("SELECT id FROM assessments WHERE id = $1")
                .bind(assessment)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err(AssessError::NoAssessment(assessment.to_string()));
            }
            write_members!(tx, assessment, members);
            write_audit!(&mut *tx, audit);
            tx.commit().await?;
            Ok(())
        })
    }

    /// The audit log of an assessment, oldest first.
    pub async fn audit(&self, assessment: &str) -> Result<Vec<AuditEntry>> {
        with_pool!(self, |pool, Db| {
            let rows = sqlx::query(
                "SELECT assessment, actor, at, change FROM assessment_audit WHERE assessment = $1 ORDER BY id",
            )
            .bind(assessment)
            .fetch_all(pool)
            .await?;
            let t = "assessment_audit";
            rows.iter()
                .map(|r| {
                    let change: String = column(r, t, "change")?;
                    Ok(AuditEntry {
                        assessment: column(r, t, "assessment")?,
                        actor: user_id(column(r, t, "actor")?, t, "actor")?,
                        at: timestamp(column(r, t, "at")?, t, "at")?,
                        change: serde_json::from_str(&change).map_err(|e| corrupt(t, "change", e))?,
                    })
                })
                .collect()
        })
    }

    /// Keeps an uploaded evidence file (by its digest; the same bytes are kept once).
    pub async fn put_evidence_file(
        &self,
        sha256: &str,
        content_type: &str,
        bytes: &[u8],
        uploaded_by: &UserId,
        now: i64,
    ) -> Result<()> {
        if bytes.len() as u64 > MAX_EVIDENCE_FILE_BYTES {
            return Err(AssessError::FileTooLarge(bytes.len() as u64));
        }
        with_pool!(self, |pool, Db| {
            sqlx::query(
                "INSERT INTO evidence_files (sha256, content_type, size, bytes, uploaded_by, uploaded_at)
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (sha256) DO NOTHING",
            )
            .bind(sha256)
            .bind(content_type)
            .bind(bytes.len() as i64)
            .bind(bytes)
            .bind(uploaded_by.as_str())
            .bind(now)
            .execute(pool)
            .await?;
        });
        Ok(())
    }

    /// Deletes the uploaded files no answer lists that were uploaded before `uploaded_before`
    /// (an upload whose save was refused leaves one; the age spares an upload whose answer
    /// is being saved just now). Answers how many were deleted.
    pub async fn prune_evidence_files(&self, uploaded_before: i64) -> Result<u64> {
        let deleted = with_pool!(self, |pool, Db| {
            sqlx::query(
                "DELETE FROM evidence_files WHERE uploaded_at < $1 AND NOT EXISTS
                 (SELECT 1 FROM assessment_evidence e WHERE e.sha256 = evidence_files.sha256)",
            )
            .bind(uploaded_before)
            .execute(pool)
            .await?
            .rows_affected()
        });
        Ok(deleted)
    }

    pub async fn evidence_file(&self, sha256: &str) -> Result<Option<EvidenceFile>> {
        with_pool!(self, |pool, Db| {
            let row = sqlx::query("SELECT sha256, content_type, bytes FROM evidence_files WHERE sha256 = $1")
                .bind(sha256)
                .fetch_optional(pool)
                .await?;
            let Some(row) = row else { return Ok(None) };
            let t = "evidence_files";
            Ok(Some(EvidenceFile {
                sha256: column(&row, t, "sha256")?,
                content_type: column(&row, t, "content_type")?,
                bytes: column(&row, t, "bytes")?,
            }))
        })
    }
}

#[cfg(test)]
mod tests {
    use normwatch_assess::evidence::Evidence;
    use normwatch_assess::framework::{builtin_files, load};
    use normwatch_assess::workflow::{Command, PlannedAction, Role, Status};

    use super::*;
    use crate::testing::databases;

    fn at(minute: i64) -> Timestamp {
        Timestamp::from_unix(1_796_029_200 + minute * 60).unwrap()
    }

    fn user(email: &str) -> UserId {
        UserId::parse(email).unwrap()
    }

    /// An assessment with a contributor and one answered question carrying evidence,
    /// an action and a comment, so every table is written.
    fn assessment() -> Assessment {
        let catalog = load(&builtin_files()).unwrap();
        let framework = catalog.framework("64-211").unwrap();
        let scale = catalog.scale_of(framework).unwrap();
        let (coord, anna) = (user("coord@ciip.example"), user("anna@ministry.example"));
        let (mut a, _) = Assessment::new("a1", "CIIP 2026", framework, &coord, at(0)).unwrap();
        a.set_member(&coord, &anna, Some(Role::Contributor), at(1)).unwrap();
        let q = framework.questions[0].id.clone();
        a.update(&coord, &q, 1, Command::Assign { to: anna.clone() }, scale, at(2)).unwrap();
        let answer = Answer {
            status: Status::Partial,
            maturity: Some(2),
            narrative: "A strategy is drafted.".into(),
            owner_agency: Some("Ministry".into()),
            evidence: vec![
                Evidence::Link { url: "https://example.org/strategy".into(), title: "Draft".into() },
                Evidence::File {
                    name: "plan.pdf".into(),
                    content_type: "application/pdf".into(),
                    size: 7,
                    sha256: "0".repeat(64),
                },
            ],
            actions: vec![PlannedAction {
                description: "Adopt it".into(),
                due: "2027-06-30".parse().unwrap(),
                owner: None,
                done: false,
            }],
        };
        a.update(&anna, &q, 2, Command::Submit { answer }, scale, at(3)).unwrap();
        a.update(&coord, &q, 3, Command::Comment { text: "Thanks".into() }, scale, at(4)).unwrap();
        a
    }

    fn created(a: &Assessment) -> AuditEntry {
        AuditEntry {
            assessment: a.id.clone(),
            actor: a.created_by.clone(),
            at: a.created_at,
            change: Change::Created {
                framework: a.framework.id.clone(),
                framework_version: a.framework.version.clone(),
            },
        }
    }

    #[tokio::test]
    async fn an_assessment_reads_back_as_it_was_written() {
        for db in databases().await {
            let store = &db.store;
            let a = assessment();
            store.insert_assessment(&a, &created(&a)).await.unwrap();
            assert_eq!(store.assessment("a1").await.unwrap().as_ref(), Some(&a), "{}", db.name());
            assert!(store.assessment("a2").await.unwrap().is_none());
            let again = store.insert_assessment(&a, &created(&a)).await.unwrap_err();
            assert!(matches!(again, AssessError::AssessmentExists(_)), "{again:?}");
            let mine = store.assessments_of(&user("anna@ministry.example")).await.unwrap();
            assert_eq!(mine.len(), 1);
            assert_eq!(mine[0].role, Role::Contributor);
            assert!(store.assessments_of(&user("other@x.example")).await.unwrap().is_empty());
            assert_eq!(store.revision().await.unwrap(), 0, "assessment writes do not move the revision");
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn a_stale_version_is_refused_with_the_current_item_and_nothing_is_written() {
        for db in databases().await {
            let store = &db.store;
            let a = assessment();
            store.insert_assessment(&a, &created(&a)).await.unwrap();
            let item = a.items[0].clone();
            let mut first = item.clone();
            first.version += 1;
            first.answer.narrative = "First writer".into();
            let audit = |before: &Item, after: &Item| AuditEntry {
                assessment: "a1".into(),
                actor: user("coord@ciip.example"),
                at: at(9),
                change: Change::Item {
                    question: item.question.clone(),
                    command: "save_draft".into(),
                    before: Box::new(before.clone()),
                    after: Box::new(after.clone()),
                },
            };
            store.save_item("a1", &first, item.version, &audit(&item, &first)).await.unwrap();
            let mut second = item.clone();
            second.version += 1;
            second.answer.narrative = "Second writer".into();
            second.answer.evidence.clear();
            let error = store.save_item("a1", &second, item.version, &audit(&item, &second)).await.unwrap_err();
            let AssessError::Conflict { current } = error else { panic!("{}: {error:?}", db.name()) };
            assert_eq!(*current, first);
            let stored = store.assessment("a1").await.unwrap().unwrap();
            assert_eq!(stored.items[0], first, "the loser wrote nothing");
            let log = store.audit("a1").await.unwrap();
            assert_eq!(log.len(), 2, "created, then the one accepted change");
            assert_eq!(log[1], audit(&item, &first));
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn users_sessions_and_members() {
        for db in databases().await {
            let store = &db.store;
            let anna = user("anna@ministry.example");
            store.create_user(&anna, "member", "$argon2id$x", "installation", 1).await.unwrap();
            assert!(matches!(
                store.create_user(&anna, "admin", "h", "installation", 2).await,
                Err(AssessError::UserExists(_))
            ));
            assert_eq!(store.user(&anna).await.unwrap().unwrap().role, "member");
            assert_eq!(store.user_count().await.unwrap(), 1);
            store.create_session("h1", &anna, "c1", 10, 100, None).await.unwrap();
            assert_eq!(store.session("h1", 50).await.unwrap().unwrap().csrf_token, "c1");
            assert!(store.session("h1", 100).await.unwrap().is_none(), "expired");
            store.create_session("h2", &anna, "c2", 60, 200, Some("h1")).await.unwrap();
            assert!(store.session("h1", 61).await.unwrap().is_none(), "rotated away");
            store.delete_session("h2").await.unwrap();
            assert!(store.session("h2", 61).await.unwrap().is_none());

            let a = assessment();
            store.insert_assessment(&a, &created(&a)).await.unwrap();
            let mut members = a.members.clone();
            members.push(Member { user: user("v@x.example"), role: Role::Viewer });
            let change = AuditEntry {
                assessment: "a1".into(),
                actor: a.created_by.clone(),
                at: at(5),
                change: Change::Member { user: user("v@x.example"), before: None, after: Some(Role::Viewer) },
            };
            store.save_members("a1", &members, &change).await.unwrap();
            assert_eq!(store.assessment("a1").await.unwrap().unwrap().members, members);
            assert_eq!(store.audit("a1").await.unwrap().last(), Some(&change));

            let big = vec![0u8; MAX_EVIDENCE_FILE_BYTES as usize + 1];
            let refused = store.put_evidence_file("ab", "text/plain", &big, &anna, 1).await.unwrap_err();
            assert!(matches!(refused, AssessError::FileTooLarge(_)), "{refused:?}");
            store.put_evidence_file("cd", "text/plain", b"hello", &anna, 1).await.unwrap();
            store.put_evidence_file("cd", "text/plain", b"hello", &anna, 2).await.unwrap();
            assert_eq!(store.evidence_file("cd").await.unwrap().unwrap().bytes, b"hello");
            db.finish().await;
        }
    }
}
