//! The GA 64/211 self-assessment as a service: accounts and sessions (argon2 password
//! hashes, hashed session tokens rotated at every login, a CSRF token per session, login
//! attempts limited per address), and every assessment command with the per-assessment
//! roles enforced: a non-member gets [`AssessmentError::NotFound`] (an assessment is private,
//! its existence included), a member without the permission gets `Forbidden`, a stale
//! version gets `Conflict` with the current item. The rules themselves live in
//! `normwatch-assess` (`permits`, the workflow's `apply`); this module loads, applies and
//! stores, each change with its audit row in one transaction.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{SystemTime, UNIX_EPOCH};

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use normwatch_assess::assessment::{self as domain, Assessment, AssessmentError as DomainError, Comparison, Progress};
use normwatch_assess::framework::{
    Catalog as Frameworks, Framework, MaturityScale, builtin_files, load, load_with_builtin,
};
use normwatch_assess::report::{self, ReportOptions, ReportView};
use normwatch_assess::workflow::{
    Answer, AuditEntry, Command, Item, Member, Permission, Role, Status, Timestamp, TransitionError, UserId, permits,
};
use normwatch_store::StoreError;
use normwatch_store::assess::{AssessError, AssessmentSummary};
use sha2::{Digest, Sha256};

use crate::App;

/// A framework file, as `App::install_frameworks` takes it.
pub use normwatch_assess::framework::FrameworkFile;

/// Policy: a session lasts this long (seconds) after login.
pub const SESSION_SECONDS: i64 = 12 * 3600;
/// Policy: at most this many failed logins per address within [`LOGIN_WINDOW_SECONDS`].
pub const MAX_FAILED_LOGINS: usize = 5;
pub const LOGIN_WINDOW_SECONDS: i64 = 15 * 60;
/// Policy: at most this many failed logins from one client address within
/// [`LOGIN_WINDOW_SECONDS`], whatever the e-mail addresses tried.
pub const MAX_FAILED_LOGINS_PER_PEER: usize = 20;
/// Policy: an uploaded file no answer lists is deleted once it is this old (seconds): the
/// upload's own save has long finished or failed by then.
pub const ORPHAN_GRACE_SECONDS: i64 = 3600;
/// Policy: the shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 10;

#[derive(Debug, thiserror::Error)]
pub enum AssessmentError {
    /// No session, or one that expired.
    #[error("sign in first")]
    Unauthorized,
    #[error("wrong e-mail address or password")]
    BadCredentials,
    #[error("too many failed sign-ins for this address; try again in {retry_after} seconds")]
    RateLimited { retry_after: i64 },
    /// The password was right, but an administrator disabled the account.
    #[error("this account is disabled; ask an administrator of this installation")]
    Disabled,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Forbidden(String),
    /// The question changed since the caller read it.
    #[error("the question was changed by someone else (now version {}); merge and try again", current.version)]
    Conflict { current: Box<Item> },
    /// A name that is taken (a user, an assessment id on import).
    #[error("{0}")]
    Exists(String),
    /// A request that breaks a rule of the workflow or a check of the input.
    #[error("{0}")]
    Invalid(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot hash the password: {0}")]
    Hash(String),
    #[error("no randomness from the operating system: {0}")]
    Random(String),
}

type Result<T, E = AssessmentError> = std::result::Result<T, E>;

impl From<AssessError> for AssessmentError {
    fn from(e: AssessError) -> Self {
        match e {
            AssessError::Conflict { current } => AssessmentError::Conflict { current },
            AssessError::NoAssessment(id) => AssessmentError::NotFound(format!("no assessment {id}")),
            AssessError::NoItem(_, q) => AssessmentError::NotFound(format!("no question {q}")),
            AssessError::AssessmentExists(id) => AssessmentError::Exists(format!("an assessment {id} exists already")),
            AssessError::UserExists(email) => AssessmentError::Exists(format!("a user {email} exists already")),
            AssessError::NoUser(email) => AssessmentError::NotFound(format!("no user {email}")),
            e @ AssessError::LastAdmin(_) => AssessmentError::Invalid(e.to_string()),
            e @ AssessError::FileTooLarge(_) => AssessmentError::Invalid(e.to_string()),
            AssessError::Store(e) => AssessmentError::Store(e),
        }
    }
}

fn not_found(id: &str) -> AssessmentError {
    AssessmentError::NotFound(format!("no assessment {id}"))
}

impl From<DomainError> for AssessmentError {
    fn from(e: DomainError) -> Self {
        match e {
            DomainError::NotFound => AssessmentError::NotFound("not found".into()),
            e @ DomainError::Forbidden { .. } => AssessmentError::Forbidden(e.to_string()),
            DomainError::Transition(t) => t.into(),
            other => AssessmentError::Invalid(other.to_string()),
        }
    }
}

impl From<TransitionError> for AssessmentError {
    fn from(e: TransitionError) -> Self {
        match e {
            TransitionError::Conflict { current } => AssessmentError::Conflict { current },
            TransitionError::NotAMember => AssessmentError::NotFound("not found".into()),
            e @ (TransitionError::Forbidden { .. } | TransitionError::NotAssignee) => {
                AssessmentError::Forbidden(e.to_string())
            }
            other => AssessmentError::Invalid(other.to_string()),
        }
    }
}

/// The role of an account in the installation (not in an assessment).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AccountRole {
    Admin,
    Member,
}

impl AccountRole {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountRole::Admin => "admin",
            AccountRole::Member => "member",
        }
    }

    pub fn parse(text: &str) -> Option<AccountRole> {
        match text {
            "admin" => Some(AccountRole::Admin),
            "member" => Some(AccountRole::Member),
            _ => None,
        }
    }
}

/// Who is signed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub email: UserId,
    pub role: String,
    /// The session's CSRF token: an unsafe request must carry it.
    pub csrf_token: String,
}

/// A session just opened: the token for the cookie (never stored), and who.
#[derive(Clone, Debug)]
pub struct NewSession {
    pub token: String,
    pub account: Account,
}

/// An answer as a form or the API edits it; evidence and actions are kept unless given.
#[derive(Clone, Debug, Default)]
pub struct AnswerEdit {
    pub status: Option<Status>,
    pub maturity: Option<u8>,
    pub narrative: Option<String>,
    pub owner_agency: Option<String>,
    pub evidence: Option<Vec<normwatch_assess::evidence::Evidence>>,
    pub actions: Option<Vec<normwatch_assess::workflow::PlannedAction>>,
    /// Submit for review rather than save a draft.
    pub submit: bool,
}

impl AnswerEdit {
    /// The workflow command this edit is, over the item as the caller read it.
    pub fn command(self, current: &Answer) -> Command {
        let answer = Answer {
            status: self.status.unwrap_or(current.status),
            maturity: self.maturity,
            narrative: self.narrative.unwrap_or_else(|| current.narrative.clone()),
            owner_agency: self.owner_agency.or_else(|| current.owner_agency.clone()),
            evidence: self.evidence.unwrap_or_else(|| current.evidence.clone()),
            actions: self.actions.unwrap_or_else(|| current.actions.clone()),
        };
        if self.submit { Command::Submit { answer } } else { Command::SaveDraft { answer } }
    }
}

/// A report's format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReportFormat {
    Docx,
    Pdf,
    Csv,
    /// The export another installation imports.
    Json,
    Oscal,
}

impl ReportFormat {
    pub fn parse(text: &str) -> Option<ReportFormat> {
        Some(match text {
            "docx" => ReportFormat::Docx,
            "pdf" => ReportFormat::Pdf,
            "csv" => ReportFormat::Csv,
            "json" => ReportFormat::Json,
            "oscal" => ReportFormat::Oscal,
            _ => return None,
        })
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ReportFormat::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            ReportFormat::Pdf => "application/pdf",
            ReportFormat::Csv => "text/csv; charset=utf-8",
            ReportFormat::Json | ReportFormat::Oscal => "application/json",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            ReportFormat::Docx => "docx",
            ReportFormat::Pdf => "pdf",
            ReportFormat::Csv => "csv",
            ReportFormat::Json => "json",
            ReportFormat::Oscal => "oscal.json",
        }
    }
}

/// An assessment as its member sees it.
pub struct MemberView {
    pub assessment: Assessment,
    pub role: Role,
    pub framework: Framework,
    pub scale: MaturityScale,
    pub progress: Progress,
}

/// The service's own state, held by the [`App`]: the frameworks (built in, loaded once)
/// and the recent failed logins per address.
#[derive(Default)]
pub(crate) struct State {
    frameworks: OnceLock<std::result::Result<Arc<Frameworks>, String>>,
    failed_logins: Mutex<HashMap<String, Vec<i64>>>,
    dummy_hash: OnceLock<String>,
    secure_cookies: std::sync::atomic::AtomicBool,
    trusted_proxies: OnceLock<Vec<crate::proxies::IpRange>>,
}

pub fn now() -> Timestamp {
    let seconds = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    Timestamp::from_unix(seconds).unwrap_or(Timestamp::from_unix(0).expect("the epoch is a time"))
}

/// A fresh random token (256 bits, in hex): for a form's CSRF field before sign-in.
pub fn random_token() -> Result<String> {
    random_hex(32)
}

fn random_hex(bytes: usize) -> Result<String> {
    let mut buf = vec![0u8; bytes];
    getrandom::fill(&mut buf).map_err(|e| AssessmentError::Random(e.to_string()))?;
    Ok(buf.iter().map(|b| format!("{b:02x}")).collect())
}

/// What the database keeps of a session token: its SHA-256.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

/// An argon2id hash of a new password, which must have [`MIN_PASSWORD_CHARS`] characters.
/// The hash takes tens of milliseconds of CPU, so it runs on the blocking pool, not on the
/// workers that serve every other request.
pub(crate) async fn password_hash(password: &str) -> Result<String> {
    check_new_password(password)?;
    let password = password.to_owned();
    off_the_workers(move || argon2_hash(&password)).await?
}

fn argon2_hash(password: &str) -> Result<String> {
    Ok(Argon2::default()
        .hash_password(password.as_bytes())
        .map_err(|e| AssessmentError::Hash(e.to_string()))?
        .to_string())
}

/// Runs a password hash or check on the blocking pool, at most half the cores' worth at once
/// (at least one): a burst of sign-ins waits its turn and leaves the other cores to the
/// requests that read (`bench/login.sh` measures both).
async fn off_the_workers<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T> {
    static HASHING: std::sync::OnceLock<tokio::sync::Semaphore> = std::sync::OnceLock::new();
    let permits = HASHING.get_or_init(|| {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        tokio::sync::Semaphore::new((cores / 2).max(1))
    });
    let _turn = permits.acquire().await.map_err(|e| AssessmentError::Hash(e.to_string()))?;
    tokio::task::spawn_blocking(work).await.map_err(|e| AssessmentError::Hash(e.to_string()))
}

/// Whether `password` may become an account's password (checked before anything is hashed).
pub(crate) fn check_new_password(password: &str) -> Result<()> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AssessmentError::Invalid(format!("the password is shorter than {MIN_PASSWORD_CHARS} characters")));
    }
    Ok(())
}

/// Whether `password` is the one `hash` was made from (verified on the blocking pool, as
/// [`password_hash`] hashes).
pub(crate) async fn password_matches(password: &str, hash: &str) -> Result<bool> {
    let (password, hash) = (password.to_owned(), hash.to_owned());
    off_the_workers(move || Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok()).await
}

/// The account audit's actor for changes made from the installation itself.
pub const INSTALLATION: &str = "installation";

pub(crate) fn parse_user(email: &str) -> Result<UserId> {
    UserId::parse(email).map_err(AssessmentError::Invalid)
}

impl App {
    /// The frameworks of this installation (the built-in ones).
    pub fn frameworks(&self) -> Result<Arc<Frameworks>> {
        self.inner
            .assess
            .frameworks
            .get_or_init(|| load(&builtin_files()).map(Arc::new).map_err(|e| e.to_string()))
            .clone()
            .map_err(|e| AssessmentError::Invalid(format!("the built-in frameworks do not load: {e}")))
    }

    /// Installs frameworks of the user's (files in the format of `docs/frameworks.md`)
    /// beside the built-in ones: call it once, before anything reads the frameworks. A
    /// malformed file is refused with its file, line and column.
    pub fn install_frameworks(&self, files: &[FrameworkFile]) -> Result<Arc<Frameworks>> {
        let catalog = load_with_builtin(files).map_err(|e| AssessmentError::Invalid(e.to_string()))?;
        let catalog = Arc::new(catalog);
        self.inner.assess.frameworks.set(Ok(catalog.clone())).map_err(|_| {
            AssessmentError::Invalid("the frameworks are already loaded: install them before serving".into())
        })?;
        Ok(catalog)
    }

    fn framework_of(&self, a: &Assessment) -> Result<(Framework, MaturityScale)> {
        let frameworks = self.frameworks()?;
        let framework = frameworks
            .framework(&a.framework.id)
            .ok_or_else(|| AssessmentError::Invalid(format!("framework {} is not installed", a.framework.id)))?;
        let scale = frameworks
            .scale_of(framework)
            .ok_or_else(|| AssessmentError::Invalid(format!("the scale of {} is not installed", framework.id)))?;
        Ok((framework.clone(), scale.clone()))
    }

    /// Served over HTTPS (directly or behind a proxy that terminates TLS): the session
    /// cookie then carries `Secure`, so a browser never sends it over plain HTTP.
    pub fn set_secure_cookies(&self, secure: bool) {
        self.inner.assess.secure_cookies.store(secure, std::sync::atomic::Ordering::Relaxed);
    }

    pub fn secure_cookies(&self) -> bool {
        self.inner.assess.secure_cookies.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The reverse proxies trusted to name the client (set once, before serving): from
    /// them the client's address, which failed sign-ins are limited by, is read from the
    /// forwarded chain ([`crate::proxies::client_address`]).
    pub fn set_trusted_proxies(&self, proxies: Vec<crate::proxies::IpRange>) {
        let _ = self.inner.assess.trusted_proxies.set(proxies);
    }

    pub fn trusted_proxies(&self) -> &[crate::proxies::IpRange] {
        self.inner.assess.trusted_proxies.get().map_or(&[], Vec::as_slice)
    }

    // ---- accounts ----

    /// Adds an account with an argon2id hash of the password, from the installation itself
    /// (the command line, a first start); the account audit names `installation`.
    pub async fn add_user(&self, email: &str, role: AccountRole, password: &str) -> Result<UserId> {
        let email = parse_user(email)?;
        let hash = password_hash(password).await?;
        self.store().create_user(&email, role.as_str(), &hash, INSTALLATION, now().unix()).await?;
        Ok(email)
    }

    /// The first administrator, on a first start: when the installation has no account
    /// yet, adds `email` as an admin and answers it; with accounts already, adds nobody and
    /// answers `None` (the setting is then ignored, so it can stay in a service's unit file).
    pub async fn ensure_first_admin(&self, email: &str, password: &str) -> Result<Option<UserId>> {
        if self.store().user_count().await? > 0 {
            return Ok(None);
        }
        match self.add_user(email, AccountRole::Admin, password).await {
            Ok(user) => Ok(Some(user)),
            // Two servers starting at once over one database: the other one added it.
            Err(AssessmentError::Exists(_)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Whether the installation has any account (a first start has none).
    pub async fn has_accounts(&self) -> Result<bool> {
        Ok(self.store().user_count().await? > 0)
    }

    /// Signs in: checks the password, closes `previous` (the session the browser had, if
    /// any: a login always gets a new token) and opens a new session. Failed attempts per
    /// address are limited.
    pub async fn login(&self, email: &str, password: &str, previous: Option<&str>) -> Result<NewSession> {
        self.login_from(email, password, previous, None).await
    }

    /// [`App::login`] from a client at `peer`: failed attempts are limited per e-mail
    /// address ([`MAX_FAILED_LOGINS`]) and per client address ([`MAX_FAILED_LOGINS_PER_PEER`],
    /// so one client cannot try many accounts).
    pub async fn login_from(
        &self,
        email: &str,
        password: &str,
        previous: Option<&str>,
        peer: Option<IpAddr>,
    ) -> Result<NewSession> {
        let now = now().unix();
        let key = email.trim().to_lowercase();
        let peer_key = peer.map(|ip| format!("peer {ip}"));
        let mut limits = vec![(key.clone(), MAX_FAILED_LOGINS)];
        limits.extend(peer_key.clone().map(|k| (k, MAX_FAILED_LOGINS_PER_PEER)));
        self.check_login_limits(&limits, now)?;
        let user = match UserId::parse(email) {
            Ok(id) => self.store().user(&id).await?,
            Err(_) => None,
        };
        // For an unknown address a hash of a random password is verified, so that both
        // take as long and the time does not tell which addresses have accounts.
        let dummy = match self.inner.assess.dummy_hash.get() {
            Some(hash) => hash.clone(),
            None => {
                let password = random_hex(16)?;
                let hash = off_the_workers(move || argon2_hash(&password)).await??;
                self.inner.assess.dummy_hash.get_or_init(|| hash).clone()
            }
        };
        let hash = user.as_ref().map_or(dummy.as_str(), |u| u.password_hash.as_str());
        let verified = password_matches(password, hash).await?;
        let Some(user) = user.filter(|_| verified) else {
            self.record_failed_login(&key, now);
            if let Some(peer_key) = peer_key {
                self.record_failed_login(&peer_key, now);
            }
            return Err(AssessmentError::BadCredentials);
        };
        self.inner.assess.failed_logins.lock().unwrap_or_else(|p| p.into_inner()).remove(&key);
        if user.disabled {
            return Err(AssessmentError::Disabled);
        }
        let token = random_hex(32)?;
        let csrf_token = random_hex(32)?;
        let previous = previous.map(token_hash);
        self.store()
            .create_session(
                &token_hash(&token),
                &user.email,
                &csrf_token,
                now,
                now + SESSION_SECONDS,
                previous.as_deref(),
            )
            .await?;
        Ok(NewSession { token, account: Account { email: user.email, role: user.role, csrf_token } })
    }

    /// Refuses when any of `limits` (a key of the failed-login log, and how many failures in
    /// the window it may have) is reached.
    pub(crate) fn check_login_limits(&self, limits: &[(String, usize)], now: i64) -> Result<()> {
        let mut failed = self.inner.assess.failed_logins.lock().unwrap_or_else(|p| p.into_inner());
        for (key, max) in limits {
            let recent = failed.entry(key.clone()).or_default();
            recent.retain(|t| now - t < LOGIN_WINDOW_SECONDS);
            if recent.len() >= *max {
                let retry_after = LOGIN_WINDOW_SECONDS - (now - recent[0]);
                return Err(AssessmentError::RateLimited { retry_after: retry_after.max(1) });
            }
        }
        // Forget addresses whose attempts are all old, so the map does not grow forever.
        failed.retain(|_, times| times.iter().any(|t| now - t < LOGIN_WINDOW_SECONDS));
        Ok(())
    }

    /// Counts a failed sign-in (or a wrong current password) against `key`.
    pub(crate) fn record_failed_login(&self, key: &str, now: i64) {
        let mut failed = self.inner.assess.failed_logins.lock().unwrap_or_else(|p| p.into_inner());
        failed.entry(key.to_string()).or_default().push(now);
    }

    /// Who holds this session token, if it is live.
    pub async fn session(&self, token: &str) -> Result<Option<Account>> {
        let row = self.store().session(&token_hash(token), now().unix()).await?;
        Ok(row.map(|r| Account { email: r.email, role: r.role, csrf_token: r.csrf_token }))
    }

    pub async fn logout(&self, token: &str) -> Result<()> {
        Ok(self.store().delete_session(&token_hash(token)).await?)
    }

    // ---- assessments ----

    pub async fn my_assessments(&self, user: &UserId) -> Result<Vec<AssessmentSummary>> {
        Ok(self.store().assessments_of(user).await?)
    }

    pub async fn create_assessment(&self, user: &UserId, framework: &str, title: &str) -> Result<Assessment> {
        let frameworks = self.frameworks()?;
        let framework = frameworks
            .framework(framework)
            .ok_or_else(|| AssessmentError::Invalid(format!("there is no framework `{framework}`")))?;
        let (assessment, audit) = Assessment::new(&random_hex(8)?, title, framework, user, now())?;
        self.store().insert_assessment(&assessment, &audit).await?;
        Ok(assessment)
    }

    /// An assessment, for one of its members; anyone else gets `NotFound`.
    pub async fn assessment_for(&self, user: &UserId, id: &str) -> Result<MemberView> {
        let assessment = self.store().assessment(id).await?.ok_or_else(|| not_found(id))?;
        let role = assessment.role_of(user).ok_or_else(|| not_found(id))?;
        let (framework, scale) = self.framework_of(&assessment)?;
        let progress = domain::progress(&assessment, &framework);
        Ok(MemberView { assessment, role, framework, scale, progress })
    }

    async fn with_permission(&self, user: &UserId, id: &str, permission: Permission, what: &str) -> Result<MemberView> {
        let view = self.assessment_for(user, id).await?;
        if !permits(view.role, permission) {
            return Err(AssessmentError::Forbidden(format!("a {} may not {what}", view.role.as_str())));
        }
        Ok(view)
    }

    /// Applies a workflow command to one question, at the version the caller read.
    pub async fn update_item(
        &self,
        user: &UserId,
        id: &str,
        question: &str,
        read_version: u64,
        command: Command,
    ) -> Result<Item> {
        let MemberView { mut assessment, scale, .. } = self.assessment_for(user, id).await?;
        let audit = assessment.update(user, question, read_version, command, &scale, now())?;
        let item = assessment.item(question).cloned().ok_or_else(|| not_found(question))?;
        self.store().save_item(id, &item, read_version, &audit).await?;
        Ok(item)
    }

    /// Attaches an uploaded file to the answer of one question, at the version read: the
    /// upload policy of `normwatch-assess` (size, type, extension, leading bytes) is checked,
    /// the bytes are kept by their digest, and the answer is saved as a draft listing them.
    /// (The bytes are written first: a refused save leaves an unreferenced copy, never an
    /// answer pointing at missing bytes.)
    #[allow(clippy::too_many_arguments)]
    pub async fn upload_evidence(
        &self,
        user: &UserId,
        id: &str,
        question: &str,
        read_version: u64,
        name: &str,
        content_type: &str,
        bytes: &[u8],
    ) -> Result<Item> {
        let MemberView { assessment, role, .. } = self.assessment_for(user, id).await?;
        if !permits(role, Permission::Answer) {
            return Err(AssessmentError::Forbidden(format!("a {} may not answer", role.as_str())));
        }
        let item = assessment.item(question).ok_or_else(|| not_found(question))?;
        let evidence = normwatch_assess::evidence::check_upload(name, content_type, bytes)
            .map_err(|e| AssessmentError::Invalid(format!("the upload is refused: {e}")))?;
        let normwatch_assess::evidence::Evidence::File { sha256, content_type, .. } = &evidence else {
            return Err(AssessmentError::Invalid("an upload is a file".into()));
        };
        let now = now().unix();
        // The files refused saves left behind, once they are old enough not to be a save
        // under way.
        self.prune_evidence_files(now - ORPHAN_GRACE_SECONDS).await?;
        self.store().put_evidence_file(sha256, content_type, bytes, user, now).await?;
        let mut answer = item.answer.clone();
        answer.evidence.push(evidence);
        self.update_item(user, id, question, read_version, Command::SaveDraft { answer }).await
    }

    /// Deletes the uploaded files that no answer lists, uploaded before `uploaded_before`
    /// (seconds since 1970); answers how many.
    pub async fn prune_evidence_files(&self, uploaded_before: i64) -> Result<u64> {
        Ok(self.store().prune_evidence_files(uploaded_before).await?)
    }

    /// An uploaded file, for a member of an assessment whose answers list it.
    pub async fn evidence_file(
        &self,
        user: &UserId,
        id: &str,
        sha256: &str,
    ) -> Result<normwatch_store::assess::EvidenceFile> {
        let MemberView { assessment, .. } = self.assessment_for(user, id).await?;
        let listed = assessment
            .items
            .iter()
            .flat_map(|i| &i.answer.evidence)
            .any(|e| matches!(e, normwatch_assess::evidence::Evidence::File { sha256: s, .. } if s == sha256));
        let missing = || AssessmentError::NotFound(format!("no evidence {sha256} in this assessment"));
        if !listed {
            return Err(missing());
        }
        self.store().evidence_file(sha256).await?.ok_or_else(missing)
    }

    /// Adds a member, or changes their role (a coordinator's command).
    pub async fn set_member(&self, user: &UserId, id: &str, email: &str, role: Option<Role>) -> Result<Vec<Member>> {
        let member = parse_user(email)?;
        let MemberView { mut assessment, .. } = self.assessment_for(user, id).await?;
        let audit = assessment.set_member(user, &member, role, now())?;
        self.store().save_members(id, &assessment.members, &audit).await?;
        Ok(assessment.members)
    }

    /// The audit log, for any member.
    pub async fn audit(&self, user: &UserId, id: &str) -> Result<Vec<AuditEntry>> {
        self.assessment_for(user, id).await?;
        Ok(self.store().audit(id).await?)
    }

    /// Starts the next cycle from this assessment (a coordinator's command).
    pub async fn reassess(&self, user: &UserId, id: &str, title: Option<&str>) -> Result<Assessment> {
        let MemberView { assessment, framework, .. } = self.assessment_for(user, id).await?;
        let title = title.map_or_else(|| format!("{} (reassessment)", assessment.title), str::to_string);
        let (next, audit) = domain::reassess(&assessment, &framework, &random_hex(8)?, &title, user, now())?;
        self.store().insert_assessment(&next, &audit).await?;
        Ok(next)
    }

    /// Compares two assessments of one framework, question by question; the caller must be
    /// a member of both.
    pub async fn compare(&self, user: &UserId, before: &str, after: &str) -> Result<Comparison> {
        let a = self.assessment_for(user, before).await?;
        let b = self.assessment_for(user, after).await?;
        Ok(domain::compare(&a.assessment, &b.assessment, &a.framework)?)
    }

    /// An assessment for a member who may export it (the HTML report's access rule, the
    /// same as every other report's).
    pub async fn assessment_to_report(&self, user: &UserId, id: &str) -> Result<MemberView> {
        self.with_permission(user, id, Permission::Export, "export").await
    }

    /// The cycles that led to this assessment, oldest first and this one last: its
    /// `previous`, that one's, and so on, as far as the caller is a member (an earlier cycle
    /// the caller may not read ends the chain; so does a loop).
    pub async fn cycles(&self, user: &UserId, id: &str) -> Result<Vec<MemberView>> {
        let mut chain = vec![self.assessment_for(user, id).await?];
        let mut seen = std::collections::HashSet::from([id.to_string()]);
        while let Some(previous) = chain.last().and_then(|v| v.assessment.previous.clone()) {
            if !seen.insert(previous.clone()) {
                break;
            }
            match self.assessment_for(user, &previous).await {
                Ok(view) => chain.push(view),
                Err(AssessmentError::NotFound(_)) => break,
                Err(e) => return Err(e),
            }
        }
        chain.reverse();
        Ok(chain)
    }

    /// A report of the assessment (reviewers and coordinators may export).
    pub async fn export(
        &self,
        user: &UserId,
        id: &str,
        format: ReportFormat,
        options: Option<ReportOptions>,
    ) -> Result<Vec<u8>> {
        let view = self.with_permission(user, id, Permission::Export, "export").await?;
        if format == ReportFormat::Json {
            let text = report::export::export(&view.assessment, &*self.frameworks()?)
                .map_err(|e| AssessmentError::Invalid(e.to_string()))?;
            return Ok(text.into_bytes());
        }
        let options = options.unwrap_or_else(|| ReportOptions::full(now()));
        let report = ReportView::new(&view.assessment, &view.framework, &view.scale, &options)
            .map_err(|e| AssessmentError::Invalid(e.to_string()))?;
        let rendered = match format {
            ReportFormat::Docx => report::docx::render(&report),
            ReportFormat::Pdf => report::pdf::render(&report),
            ReportFormat::Csv => report::csv::render(&report),
            ReportFormat::Oscal | ReportFormat::Json => report::oscal::render(&report),
        };
        rendered.map_err(|e| AssessmentError::Invalid(e.to_string()))
    }

    /// Imports a JSON export. The importer must be one of its coordinators; the id must be
    /// new here. Stored exactly as exported, with an audit entry of the import.
    pub async fn import(&self, user: &UserId, text: &str) -> Result<Assessment> {
        let frameworks = self.frameworks()?;
        let assessment = report::export::import(text, &frameworks)
            .map_err(|e| AssessmentError::Invalid(format!("the export cannot be imported: {e}")))?;
        if assessment.role_of(user) != Some(Role::Coordinator) {
            return Err(AssessmentError::Forbidden(format!(
                "only a coordinator of the imported assessment may import it, and {user} is not one"
            )));
        }
        let audit = report::export::import_audit(&assessment, user, now());
        self.store().insert_assessment(&assessment, &audit).await?;
        Ok(assessment)
    }
}

#[cfg(test)]
mod tests {
    use normwatch_assess::workflow::State as ItemState;

    use super::*;

    async fn app() -> (tempfile::TempDir, App) {
        let dir = tempfile::tempdir().unwrap();
        let store = normwatch_store::Store::open(&dir.path().join("a.sqlite")).await.unwrap();
        (dir, App::with_built_in_config(store).await.unwrap())
    }

    fn user(email: &str) -> UserId {
        UserId::parse(email).unwrap()
    }

    /// On a single-threaded runtime another task runs while a password is hashed and checked:
    /// the work does not hold the thread that serves requests.
    #[tokio::test]
    async fn hashing_and_checking_a_password_leave_the_runtime_to_other_tasks() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let ticks = Arc::new(AtomicUsize::new(0));
        let ticker = tokio::spawn({
            let ticks = ticks.clone();
            async move {
                loop {
                    ticks.fetch_add(1, Ordering::Relaxed);
                    tokio::task::yield_now().await;
                }
            }
        });
        let before = ticks.load(Ordering::Relaxed);
        let hash = password_hash("correct horse battery").await.unwrap();
        let hashed = ticks.load(Ordering::Relaxed);
        assert!(password_matches("correct horse battery", &hash).await.unwrap());
        assert!(!password_matches("wrong horse battery", &hash).await.unwrap());
        let checked = ticks.load(Ordering::Relaxed);
        ticker.abort();
        assert!(hashed > before, "the ticker did not run while the password was hashed");
        assert!(checked > hashed, "the ticker did not run while the password was checked");
    }

    #[tokio::test]
    async fn the_first_admin_is_added_only_to_an_installation_without_accounts() {
        let (_dir, app) = app().await;
        assert!(!app.has_accounts().await.unwrap());
        assert!(matches!(
            app.ensure_first_admin("admin@ciip.example", "short").await,
            Err(AssessmentError::Invalid(_))
        ));
        let added = app.ensure_first_admin("Admin@ciip.example", "correct horse battery").await.unwrap();
        assert_eq!(added, Some(user("admin@ciip.example")));
        let row = app.store().user(&user("admin@ciip.example")).await.unwrap().unwrap();
        assert_eq!(row.role, "admin");
        assert!(app.has_accounts().await.unwrap());
        assert_eq!(app.ensure_first_admin("other@ciip.example", "correct horse battery").await.unwrap(), None);
        assert!(app.store().user(&user("other@ciip.example")).await.unwrap().is_none(), "only on a first start");
        app.login("admin@ciip.example", "correct horse battery", None).await.unwrap();
    }

    #[tokio::test]
    async fn a_framework_of_the_users_is_installed_beside_the_built_in_ones() {
        let builtin = include_str!("../../../frameworks/57-239.toml");
        let mine = builtin
            .replace("id = \"57-239\"", "id = \"my-checklist\"")
            .replace("title = \"Elements for creating", "title = \"Our checklist: elements for creating");
        let (_dir, app) = app().await;
        let broken =
            FrameworkFile { path: "broken.toml".into(), text: "format = 1\n[framework\n".into(), builtin: false };
        let Err(AssessmentError::Invalid(message)) = app.install_frameworks(&[broken]) else { panic!("refused") };
        assert!(message.contains("broken.toml:2:"), "file, line and column: {message}");
        let file = FrameworkFile { path: "mine.toml".into(), text: mine, builtin: false };
        let catalog = app.install_frameworks(std::slice::from_ref(&file)).unwrap();
        assert!(catalog.framework("my-checklist").is_some() && catalog.framework("64-211").is_some());
        assert!(app.install_frameworks(&[file]).is_err(), "only once");
        let coord = user("coord@ciip.example");
        let a = app.create_assessment(&coord, "my-checklist", "Ours").await.unwrap();
        assert_eq!(app.assessment_for(&coord, &a.id).await.unwrap().framework.id, "my-checklist");
    }

    #[tokio::test]
    async fn login_rotates_the_session_and_limits_failures() {
        let (_dir, app) = app().await;
        app.add_user("Coord@ciip.example", AccountRole::Admin, "correct horse battery").await.unwrap();
        assert!(matches!(
            app.add_user("coord@ciip.example", AccountRole::Member, "another long one").await,
            Err(AssessmentError::Exists(_))
        ));
        assert!(matches!(
            app.add_user("x@y.example", AccountRole::Member, "short").await,
            Err(AssessmentError::Invalid(_))
        ));
        let first = app.login("coord@ciip.example", "correct horse battery", None).await.unwrap();
        assert_eq!(app.session(&first.token).await.unwrap().unwrap().email, user("coord@ciip.example"));
        let second = app.login("coord@ciip.example", "correct horse battery", Some(&first.token)).await.unwrap();
        assert_ne!(first.token, second.token);
        assert_ne!(first.account.csrf_token, second.account.csrf_token);
        assert!(app.session(&first.token).await.unwrap().is_none(), "the old session is closed at login");
        app.logout(&second.token).await.unwrap();
        assert!(app.session(&second.token).await.unwrap().is_none());
        for _ in 0..MAX_FAILED_LOGINS {
            assert!(matches!(
                app.login("coord@ciip.example", "wrong", None).await,
                Err(AssessmentError::BadCredentials)
            ));
        }
        let limited = app.login("coord@ciip.example", "correct horse battery", None).await.unwrap_err();
        assert!(matches!(limited, AssessmentError::RateLimited { .. }), "{limited:?}");
        assert!(matches!(
            app.login("nobody@x.example", "whatever12", None).await,
            Err(AssessmentError::BadCredentials)
        ));
        // One client trying many addresses is limited too, and only that client.
        let peer: IpAddr = "192.0.2.7".parse().unwrap();
        for n in 0..MAX_FAILED_LOGINS_PER_PEER {
            let tried = app.login_from(&format!("u{n}@x.example"), "wrong", None, Some(peer)).await;
            assert!(matches!(tried, Err(AssessmentError::BadCredentials)), "{n}: {tried:?}");
        }
        app.add_user("fresh@x.example", AccountRole::Member, "correct horse battery").await.unwrap();
        let limited = app.login_from("fresh@x.example", "correct horse battery", None, Some(peer)).await;
        assert!(matches!(limited, Err(AssessmentError::RateLimited { .. })), "{limited:?}");
        let other: IpAddr = "192.0.2.8".parse().unwrap();
        app.login_from("fresh@x.example", "correct horse battery", None, Some(other)).await.unwrap();
    }

    #[tokio::test]
    async fn roles_conflicts_reassessment_and_the_export_round_trip() {
        let (_dir, app) = app().await;
        let (coord, anna, rev, view, stranger) = (
            user("coord@ciip.example"),
            user("anna@ministry.example"),
            user("rev@cert.example"),
            user("view@parliament.example"),
            user("stranger@x.example"),
        );
        let a = app.create_assessment(&coord, "64-211", "CIIP 2026").await.unwrap();
        for (who, role) in [(&anna, Role::Contributor), (&rev, Role::Reviewer), (&view, Role::Viewer)] {
            app.set_member(&coord, &a.id, who.as_str(), Some(role)).await.unwrap();
        }
        assert!(matches!(app.assessment_for(&stranger, &a.id).await, Err(AssessmentError::NotFound(_))));
        assert!(matches!(
            app.set_member(&view, &a.id, "z@x.example", Some(Role::Viewer)).await,
            Err(AssessmentError::Forbidden(_))
        ));
        let q = a.items[0].question.clone();
        let item = app.update_item(&coord, &a.id, &q, 1, Command::Assign { to: anna.clone() }).await.unwrap();
        assert_eq!(item.state, ItemState::Assigned);
        let edit = AnswerEdit {
            status: Some(Status::Partial),
            maturity: Some(2),
            narrative: Some("Drafted".into()),
            submit: true,
            ..AnswerEdit::default()
        };
        let denied = app.update_item(&view, &a.id, &q, 2, edit.clone().command(&item.answer)).await.unwrap_err();
        assert!(matches!(denied, AssessmentError::Forbidden(_)), "{denied:?}");
        let item = app.update_item(&anna, &a.id, &q, 2, edit.clone().command(&item.answer)).await.unwrap();
        assert_eq!((item.version, item.state), (3, ItemState::InReview));
        let stale = app.update_item(&rev, &a.id, &q, 2, Command::Accept { comment: None }).await.unwrap_err();
        let AssessmentError::Conflict { current } = stale else { panic!("{stale:?}") };
        assert_eq!(*current, item);
        app.update_item(&rev, &a.id, &q, 3, Command::Accept { comment: None }).await.unwrap();
        assert!(matches!(app.export(&anna, &a.id, ReportFormat::Pdf, None).await, Err(AssessmentError::Forbidden(_))));
        let log = app.audit(&view, &a.id).await.unwrap();
        assert_eq!(log.len(), 1 + 3 + 3, "created, three members, three item changes");

        let export = app.export(&coord, &a.id, ReportFormat::Json, None).await.unwrap();
        for format in [ReportFormat::Docx, ReportFormat::Pdf, ReportFormat::Csv, ReportFormat::Oscal] {
            assert!(!app.export(&rev, &a.id, format, None).await.unwrap().is_empty());
        }
        let (_other_dir, other) = self::app().await;
        let text = String::from_utf8(export.clone()).unwrap();
        assert!(matches!(other.import(&anna, &text).await, Err(AssessmentError::Forbidden(_))));
        let imported = other.import(&coord, &text).await.unwrap();
        assert_eq!(other.export(&coord, &imported.id, ReportFormat::Json, None).await.unwrap(), export);
        assert!(matches!(other.import(&coord, &text).await, Err(AssessmentError::Exists(_))));

        assert!(matches!(app.reassess(&anna, &a.id, None).await, Err(AssessmentError::Forbidden(_))));
        let next = app.reassess(&coord, &a.id, Some("CIIP 2027")).await.unwrap();
        assert_eq!(next.item(&q).unwrap().state, ItemState::InReview);
        // An upload whose save is refused (a stale version) leaves its bytes, pruned later.
        let q2 = a.items[1].question.clone();
        app.update_item(&coord, &a.id, &q2, 1, Command::Assign { to: anna.clone() }).await.unwrap();
        let pdf = b"%PDF-1.4\n%%EOF\n";
        let stale = app.upload_evidence(&anna, &a.id, &q2, 1, "plan.pdf", "application/pdf", pdf).await;
        assert!(matches!(stale, Err(AssessmentError::Conflict { .. })), "{stale:?}");
        let kept = b"%PDF-1.4\n% kept\n%%EOF\n";
        let item = app.upload_evidence(&anna, &a.id, &q2, 2, "kept.pdf", "application/pdf", kept).await.unwrap();
        let normwatch_assess::evidence::Evidence::File { sha256: kept_sha, .. } = &item.answer.evidence[0] else {
            panic!("{item:?}")
        };
        let later = now().unix() + ORPHAN_GRACE_SECONDS + 10;
        assert_eq!(app.prune_evidence_files(now().unix() - ORPHAN_GRACE_SECONDS).await.unwrap(), 0, "too young");
        assert_eq!(app.prune_evidence_files(later).await.unwrap(), 1, "only the unlisted file");
        assert!(app.evidence_file(&anna, &a.id, kept_sha).await.is_ok(), "a listed file stays");

        let cycles = app.cycles(&coord, &next.id).await.unwrap();
        assert_eq!(
            cycles.iter().map(|c| c.assessment.id.as_str()).collect::<Vec<_>>(),
            [a.id.as_str(), next.id.as_str()]
        );
        let comparison = app.compare(&coord, &a.id, &next.id).await.unwrap();
        assert_eq!(comparison.questions.len(), a.items.len());
        assert!(matches!(app.compare(&stranger, &a.id, &next.id).await, Err(AssessmentError::NotFound(_))));
    }
}
