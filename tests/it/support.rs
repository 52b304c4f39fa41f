//! What every integration test shares: a [`TestApp`] (a fresh database, the application,
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

/// A temporary folder holding a database file for one test, and the CLI over it.
pub struct TestDb {
    pub dir: tempfile::TempDir,
}

impl Default for TestDb {
    fn default() -> Self {
        TestDb::new()
    }
}

impl TestDb {
    pub fn new() -> TestDb {
        TestDb { dir: tempfile::tempdir().expect("a temporary folder") }
    }

    pub fn path(&self) -> PathBuf {
        self.dir.path().join("normwatch.sqlite")
    }

    /// Runs `normwatch --db <this db> ARGS…`.
    pub fn run(&self, args: &[&str]) -> Output {
        let mut full = vec!["--db".to_string(), self.path().display().to_string()];
        full.extend(args.iter().map(|a| a.to_string()));
        normwatch(&full.iter().map(String::as_str).collect::<Vec<_>>())
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

/// Runs the built binary with `ARGS…` (no database chosen).
pub fn normwatch(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_normwatch"))
        .args(args)
        .env_remove("NORMWATCH_DB")
        .env_remove("NORMWATCH_DATABASE")
        .env("NORMWATCH_LOG", "warn")
        .output()
        .expect("the normwatch binary runs")
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
        let store = Store::open(&db.path()).await.expect("the test database opens");
        let kb = normwatch_core::kb::load(&files).unwrap_or_else(|e| panic!("{e}"));
        store.load_kb(&kb, "test").await.expect("the knowledge base loads");
        let app = normwatch_app::App::with_built_in_config(store.clone()).await.expect("the application starts");
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
