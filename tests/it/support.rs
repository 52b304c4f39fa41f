//! What every integration test shares: a [`TestApp`] (a fresh database — SQLite, or a schema
//! on the PostgreSQL server `NORMWATCH_TEST_DATABASE` names — the application,
//! the in-process router, a bound port-0 server on demand, a CLI runner over the same
//! database), the fixture and real knowledge bases, and the shared data beside the
//! repository.
//!
//! Real data: tests that need `../shared/data` call [`shared_data`], which fails with a
//! message when the data is absent; only `NORMWATCH_SKIP_REAL_DATA=1` turns that into a
//! printed skip. A test never passes because its data is missing.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use normwatch_core::kb::KbFile;
use normwatch_store::Store;
use normwatch_web::{AppState, router};
use tower::ServiceExt;

/// The repository's root.
pub const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// `../shared` beside the repository (CI clones the repository with it there);
/// `NORMWATCH_SHARED` overrides.
pub fn shared_dir() -> PathBuf {
    match std::env::var_os("NORMWATCH_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")),
    }
}

/// The shared datasets (`NORMWATCH_SHARED_DATA` overrides `shared_dir()/data`), or `None`
/// when they are absent and `NORMWATCH_SKIP_REAL_DATA=1` asks to skip; absent otherwise
/// is a failure with a message saying what to do.
pub fn shared_data(test: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("NORMWATCH_SHARED_DATA").map(PathBuf::from).unwrap_or_else(|| shared_dir().join("data"));
    if dir.join("unvotes-voeten/un_votes.csv.gz").is_file() {
        return Some(dir);
    }
    if std::env::var_os("NORMWATCH_SKIP_REAL_DATA").is_some_and(|v| v == "1") {
        eprintln!("{test}: skipped because NORMWATCH_SKIP_REAL_DATA=1 and the shared data is not at {}", dir.display());
        return None;
    }
    panic!(
        "{test}: the shared data is not at {}: clone the repository with shared/ beside it, set \
         NORMWATCH_SHARED_DATA, or set NORMWATCH_SKIP_REAL_DATA=1 to skip the tests on real data",
        dir.display()
    );
}

pub fn kb_dir() -> PathBuf {
    Path::new(ROOT).join("kb")
}

/// The small, stable knowledge base the snapshot tests use.
pub fn fixture_kb() -> PathBuf {
    Path::new(ROOT).join("tests/fixtures/kb")
}

/// A group, an event and an actor beside the fixture, so that every kind of page and API
/// route has a record (the fixture's sources are its own document records).
pub const FIXTURE_EXTRAS: &[(&str, &str)] = &[
    (
        "groups/gge.toml",
        "[[group]]\nid = \"gge-2004\"\n[[group.fact]]\nsource = \"doc A/RES/53/70\"\nname = \"First GGE\"\nkind = \"gge\"\nstart_year = 2004\nmembers = [\"RUS\", \"USA\", \"CHN\"]\nchair = \"RUS\"\n[[group.item]]\nlist = \"recommendations\"\nlabel = \"1\"\ntext = \"Cooperate <b>closely</b>\"\nsource = \"doc A/RES/53/70\"\n",
    ),
    (
        "events/events.toml",
        "[[event]]\nid = \"first-resolution-debate\"\n[[event.fact]]\nsource = \"doc A/RES/53/70\"\nname = \"First debate on the resolution\"\nkind = \"meeting\"\nyear = 1998\nbodies = [\"ga\"]\nstates = [\"RUS\"]\n",
    ),
    (
        "actors/actors.toml",
        "[[actor]]\nid = \"first-chair\"\n[[actor.fact]]\nsource = \"doc A/RES/53/70\"\nname = \"The first chair\"\nkind = \"person\"\ngroups = [\"gge-2004\"]\n",
    ),
];

pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// One test's database and the CLI over it: a SQLite file in a temporary folder, or, when
/// `NORMWATCH_TEST_DATABASE=postgres://…` names a server, a schema of its own there (dropped
/// when the test ends) with the search index in the temporary folder. [`TestDb::sqlite`]
/// asks for SQLite whatever the environment says (backups, `PRAGMA` checks).
pub struct TestDb {
    pub dir: tempfile::TempDir,
    /// The PostgreSQL server's address and this test's schema.
    postgres: Option<(String, String)>,
}

impl Default for TestDb {
    fn default() -> Self {
        TestDb::new()
    }
}

/// The PostgreSQL server the tests run on, if one is named.
pub fn test_database_url() -> Option<String> {
    std::env::var("NORMWATCH_TEST_DATABASE").ok().filter(|u| !u.trim().is_empty())
}

/// Runs `f` on a runtime of its own in a thread of its own, so that sync tests, async tests
/// and `Drop` can all reach the server.
fn on_runtime<T: Send + 'static>(f: impl std::future::Future<Output = T> + Send + 'static) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime").block_on(f)
    })
    .join()
    .expect("the database task ran")
}

impl TestDb {
    /// The backend the environment asks for: PostgreSQL when `NORMWATCH_TEST_DATABASE` is
    /// set, SQLite otherwise.
    pub fn new() -> TestDb {
        match test_database_url() {
            Some(url) => TestDb::postgres(url),
            None => TestDb::sqlite(),
        }
    }

    /// A SQLite file, whatever the environment says.
    pub fn sqlite() -> TestDb {
        TestDb { dir: tempfile::tempdir().expect("a temporary folder"), postgres: None }
    }

    fn postgres(url: String) -> TestDb {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let schema = format!("nw_it_{}_{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
        let (admin, sql) = (url.clone(), format!("DROP SCHEMA IF EXISTS {schema} CASCADE; CREATE SCHEMA {schema}"));
        static SWEPT: std::sync::Once = std::sync::Once::new();
        let sweep = !SWEPT.is_completed();
        SWEPT.call_once(|| {});
        on_runtime(async move {
            let pool = sqlx::PgPool::connect(&admin).await.unwrap_or_else(|e| panic!("NORMWATCH_TEST_DATABASE: {e}"));
            if sweep {
                sweep_schemas(&pool).await;
            }
            sqlx::raw_sql(&sql).execute(&pool).await.expect("a schema for the test");
            pool.close().await;
        });
        TestDb { dir: tempfile::tempdir().expect("a temporary folder"), postgres: Some((url, schema)) }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// The SQLite file (for a PostgreSQL test database, a file that is never created).
    pub fn path(&self) -> PathBuf {
        self.dir.path().join("normwatch.sqlite")
    }

    /// The address `--database` takes.
    pub fn address(&self) -> String {
        match &self.postgres {
            Some((url, schema)) => {
                let separator = if url.contains('?') { '&' } else { '?' };
                format!("{url}{separator}options[search_path]={schema}")
            }
            None => self.path().display().to_string(),
        }
    }

    /// The search index's folder when it is not the default beside the SQLite file.
    pub fn index_dir(&self) -> Option<PathBuf> {
        self.postgres.as_ref().map(|_| self.dir.path().join("index"))
    }

    /// Opens this database as the application does.
    pub async fn store(&self) -> Store {
        Store::connect(&self.address()).await.expect("the test database opens")
    }

    /// `--database <this db> [--index-dir DIR] ARGS…`.
    fn arguments(&self, args: &[&str]) -> Vec<String> {
        let mut full = vec!["--database".to_string(), self.address()];
        if let Some(dir) = self.index_dir() {
            full.extend(["--index-dir".to_string(), dir.display().to_string()]);
        }
        full.extend(args.iter().map(|a| a.to_string()));
        full
    }

    /// Runs `normwatch --database <this db> [--index-dir DIR] ARGS…`.
    pub fn run(&self, args: &[&str]) -> Output {
        let full = self.arguments(args);
        normwatch(&full.iter().map(String::as_str).collect::<Vec<_>>())
    }

    /// [`TestDb::run`] with `stdin` on the command's standard input (a password).
    pub fn run_with_stdin(&self, args: &[&str], stdin: &str) -> Output {
        use std::io::Write;
        let mut child = command()
            .args(self.arguments(args))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the normwatch binary runs");
        child.stdin.take().expect("a pipe").write_all(stdin.as_bytes()).expect("the password is written");
        child.wait_with_output().expect("the normwatch binary runs")
    }

    /// Runs a command that must succeed and returns its standard output.
    pub fn ok(&self, args: &[&str]) -> String {
        let output = self.run(args);
        assert!(
            output.status.success(),
            "normwatch {args:?} failed with {}:\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        );
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }

    pub fn json(&self, args: &[&str]) -> serde_json::Value {
        let text = self.ok(args);
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("normwatch {args:?} printed invalid JSON ({e}):\n{text}"))
    }
}

impl Drop for TestDb {
    /// Drops the test's schema in the background: the test's own pools may still hold
    /// connections whose transactions end only when their runtime runs again, so waiting
    /// here could wait for ever. Schemas a test run leaves behind are dropped by the next
    /// run ([`sweep_schemas`]).
    fn drop(&mut self) {
        if let Some((url, schema)) = self.postgres.take() {
            std::thread::spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
                let _ = runtime.block_on(async move {
                    let pool = sqlx::PgPool::connect(&url).await?;
                    let sql = format!("SET lock_timeout = '10s'; DROP SCHEMA IF EXISTS {schema} CASCADE");
                    sqlx::raw_sql(&sql).execute(&pool).await?;
                    pool.close().await;
                    Ok::<_, sqlx::Error>(())
                });
            });
        }
    }
}

/// Drops the schemas of test processes that are gone (`nw_it_PID_N` whose process no longer
/// runs), once per test process.
async fn sweep_schemas(pool: &sqlx::PgPool) {
    let schemas: Vec<String> =
        sqlx::query_scalar("SELECT nspname::text FROM pg_namespace WHERE nspname LIKE 'nw\\_it\\_%'")
            .fetch_all(pool)
            .await
            .unwrap_or_default();
    for schema in schemas {
        let pid = schema.trim_start_matches("nw_it_").split('_').next().unwrap_or_default();
        let gone = pid.parse::<u32>().is_ok_and(|pid| !Path::new(&format!("/proc/{pid}")).exists());
        if gone {
            let sql = format!("SET lock_timeout = '1s'; DROP SCHEMA IF EXISTS {schema} CASCADE");
            let _ = sqlx::raw_sql(&sql).execute(pool).await;
        }
    }
}

/// The built binary, with no database chosen by the environment.
fn command() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_normwatch"));
    command.env_remove("NORMWATCH_DB").env_remove("NORMWATCH_DATABASE").env("NORMWATCH_LOG", "warn");
    command
}

/// Runs the built binary with `ARGS…` (no database chosen).
pub fn normwatch(args: &[&str]) -> Output {
    command().args(args).output().expect("the normwatch binary runs")
}

/// One HTTP answer, read whole.
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}", self.body))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// The application on a fresh database: the same store the CLI runner reads, the
/// in-process router, and a real server on a port-0 socket when asked.
pub struct TestApp {
    pub db: TestDb,
    pub store: Store,
    pub app: normwatch_app::App,
    pub router: axum::Router,
}

impl TestApp {
    /// A fresh database holding these knowledge-base files.
    pub async fn with_files(files: Vec<KbFile>) -> TestApp {
        let db = TestDb::new();
        let store = db.store().await;
        let kb = normwatch_core::kb::load(&files).unwrap_or_else(|e| panic!("{e}"));
        store.load_kb(&kb, "test").await.expect("the knowledge base loads");
        let config = normwatch_measure::Config::default_config().expect("the built-in parameters");
        let app = normwatch_app::App::with_index_dir(store.clone(), config, db.index_dir());
        let router = router(AppState { app: app.clone() });
        TestApp { db, store, app, router }
    }

    /// The fixture knowledge base, plus `extra` files.
    pub async fn fixture_with(extra: &[(&str, &str)]) -> TestApp {
        let mut files = normwatch_store::kb_files::from_folder(&fixture_kb()).expect("the fixture reads");
        files.extend(extra.iter().map(|(path, text)| KbFile { path: path.to_string(), text: text.to_string() }));
        TestApp::with_files(files).await
    }

    /// The fixture knowledge base with a record of every kind.
    pub async fn fixture() -> TestApp {
        TestApp::fixture_with(FIXTURE_EXTRAS).await
    }

    /// The knowledge base built into the binary.
    pub async fn built_in() -> TestApp {
        TestApp::with_files(normwatch_store::kb_files::embedded()).await
    }

    /// `GET uri` through the in-process router, with extra request headers.
    pub async fn get_with(&self, uri: &str, headers: &[(&str, &str)]) -> Answer {
        let mut request = Request::get(uri);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = self.router.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
        Answer { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
    }

    pub async fn get(&self, uri: &str) -> Answer {
        self.get_with(uri, &[]).await
    }

    /// Serves the application on 127.0.0.1 at a free port until the test ends.
    pub async fn serve(&self) -> SocketAddr {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
        let addr = listener.local_addr().unwrap();
        tokio::spawn(normwatch_web::serve_on(AppState { app: self.app.clone() }, listener));
        addr
    }

    /// Runs the CLI over this application's database.
    pub fn cli(&self, args: &[&str]) -> Output {
        self.db.run(args)
    }

    pub fn cli_json(&self, args: &[&str]) -> serde_json::Value {
        self.db.json(args)
    }
}

/// The corpus archive, or `None` when it is absent and `NORMWATCH_SKIP_REAL_DATA=1`.
pub fn corpus(test: &str) -> Option<PathBuf> {
    let path = shared_dir().join("data/ungdc/ungdc-speeches.tar.gz");
    if path.is_file() {
        return Some(path);
    }
    if std::env::var_os("NORMWATCH_SKIP_REAL_DATA").is_some_and(|v| v == "1") {
        eprintln!("{test}: skipped because NORMWATCH_SKIP_REAL_DATA=1 and {} is absent", path.display());
        return None;
    }
    panic!("{test}: {} is missing; set NORMWATCH_SHARED, or NORMWATCH_SKIP_REAL_DATA=1 to skip", path.display());
}

// ---- the Chromium tests ----

/// Debian's chromium, or the one `CHROMIUM` names.
fn chromium() -> PathBuf {
    std::env::var_os("CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Whether the Chromium tests run: not under `NORMWATCH_SKIP_BROWSER=1` (said on stderr
/// for `what`); otherwise they must, and a missing tool (Node, `npm ci` in tests/browser,
/// chromium) fails the test with what to install.
pub fn browser_tests_run(what: &str) -> bool {
    if std::env::var("NORMWATCH_SKIP_BROWSER").is_ok_and(|v| v == "1") {
        eprintln!("NORMWATCH_SKIP_BROWSER=1: {what} in Chromium is skipped");
        return false;
    }
    let mut missing = Vec::new();
    if Command::new("node").arg("--version").output().is_err() {
        missing.push("node (Node.js 20) is not on PATH".to_string());
    }
    if !Path::new(ROOT).join("tests/browser/node_modules/playwright-core").is_dir() {
        missing.push("tests/browser/node_modules is missing: run `npm ci` in tests/browser".to_string());
    }
    if !chromium().is_file() {
        missing.push(format!("{} is missing: `apt-get install -y chromium` (or set CHROMIUM)", chromium().display()));
    }
    assert!(
        missing.is_empty(),
        "the browser test cannot run:\n  - {}\nInstall them (see .ci/run) or set NORMWATCH_SKIP_BROWSER=1 to skip this test.",
        missing.join("\n  - ")
    );
    true
}

/// Serves `app` on a free loopback port and runs `node tests/browser/SCRIPT BASE ARGS…` in
/// headless Chromium (every script bounds its own waits); prints what it printed and fails
/// the test when one of its checks failed.
pub async fn run_browser_script(app: normwatch_app::App, script: &str, args: &[String]) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("a free port");
    let base = format!("http://{}", listener.local_addr().expect("the port's address"));
    let server = tokio::spawn(normwatch_web::serve_on(AppState { app }, listener));
    let mut command = Command::new("node");
    command
        .arg(Path::new(ROOT).join("tests/browser").join(script))
        .arg(&base)
        .args(args)
        .env("CHROMIUM", chromium())
        .current_dir(Path::new(ROOT).join("tests/browser"));
    let output = tokio::task::spawn_blocking(move || command.output()).await.unwrap().expect("cannot start node");
    server.abort();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    println!("{stdout}");
    eprintln!("{stderr}");
    assert!(output.status.success(), "the checks of {script} failed:\n{stdout}\n{stderr}");
}
