//! The web UI in a real headless Chromium, on the real knowledge base and the real vote
//! imports: builds a database, prints each page's server render time, serves it on
//! 127.0.0.1, and runs `node tests/browser/run.mjs BASE_URL`, failing on its failures.
//!
//! Needs Node 20, `npm ci` in `tests/browser` and Debian's `chromium` (`.ci/run` installs
//! them). Without them the test fails and says what is missing, unless
//! `NORMWATCH_SKIP_BROWSER=1`. `NORMWATCH_SCREENSHOTS=1` rewrites `docs/screenshots/`.

use std::path::{Path, PathBuf};
use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use normwatch_store::Store;
use normwatch_store::votes::ImportedFile;
use normwatch_votes::formats::{self, Input};
use normwatch_web::{AppState, router};
use tower::ServiceExt;

const ROOT: &str = crate::support::ROOT;

fn shared_data() -> PathBuf {
    crate::support::shared_data("the_ui_works_in_a_real_browser").expect("the browser test needs the shared data")
}

fn open(path: &Path) -> Input<std::fs::File> {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("cannot open {}: {e}", path.display()));
    Input::new(path.display().to_string(), file)
}

fn imported(path: &Path) -> ImportedFile {
    ImportedFile { path: path.display().to_string(), sha256: String::new(), rows: 0 }
}

/// A database with the built-in knowledge base and both real vote datasets.
async fn real_store(dir: &Path) -> Store {
    let store = Store::open(&dir.join("browser.sqlite")).await.unwrap();
    let kb = normwatch_core::kb::load(&normwatch_store::kb_files::embedded()).unwrap_or_else(|e| panic!("{e}"));
    store.load_kb(&kb, "browser-test").await.unwrap();
    let data = shared_data();
    let unvotes = data.join("unvotes-voeten");
    let (calls, votes, issues) = (
        unvotes.join("un_roll_calls.csv.gz"),
        unvotes.join("un_votes.csv.gz"),
        unvotes.join("un_roll_call_issues.csv.gz"),
    );
    let parsed =
        formats::read_unvotes(open(&calls), open(&votes), Some(open(&issues))).unwrap_or_else(|e| panic!("{e}"));
    let scrape_path = data.join("undl-voting-scrape-2021").join("UN DATA.csv.gz");
    let scrape = formats::read_scrape(open(&scrape_path)).unwrap_or_else(|e| panic!("{e}"));
    store
        .import_votes(&[
            (parsed.table, vec![imported(&calls), imported(&votes), imported(&issues)]),
            (scrape.table, vec![imported(&scrape_path)]),
        ])
        .await
        .unwrap();
    store
}

/// The pages whose server time is reported, each rendered once cold and then timed.
const PAGES: &[&str] = &[
    "/",
    "/timeline",
    "/timeline?stream=politico-military&from=2005&to=2015",
    "/documents/A/RES/60/45",
    "/documents/A/RES/53/70",
    "/series/ga-first-ict-security",
    "/groups/gge-2004",
    "/states/RUS",
    "/states/RUS?compare=USA,CHN",
    "/bodies",
    "/measurement",
    "/norms",
    "/norms/culture-of-security",
    "/api/norms/culture-of-security",
    "/search?q=critical+information+infrastructure",
    "/api/documents",
    "/api/documents/A/RES/60/45",
    "/api/timeline",
];

async fn report_render_times(app: &axum::Router) {
    println!("server render time (in-process, debug build unless --release; median of 5 after a warm-up):");
    for uri in PAGES {
        let mut times = Vec::new();
        for round in 0..6 {
            let start = Instant::now();
            let response = app.clone().oneshot(Request::get(*uri).body(Body::empty()).unwrap()).await.unwrap();
            let status = response.status();
            let _ = axum::body::to_bytes(response.into_body(), 64 << 20).await.unwrap();
            let elapsed = start.elapsed();
            assert_eq!(status, StatusCode::OK, "{uri}");
            if round > 0 {
                times.push(elapsed);
            }
        }
        times.sort();
        println!("  {:>8.1} ms  {uri}", times[times.len() / 2].as_secs_f64() * 1000.0);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_ui_works_in_a_real_browser() {
    let run = crate::support::browser_tests_run("the browser part");
    let dir = tempfile::tempdir().unwrap();
    let store = real_store(dir.path()).await;
    let app = router(AppState { app: normwatch_app::App::with_built_in_config(store.clone()).await.unwrap() });
    report_render_times(&app).await;
    if !run {
        return;
    }
    let screenshots = if std::env::var("NORMWATCH_SCREENSHOTS").is_ok_and(|v| v == "1") {
        Path::new(ROOT).join("docs/screenshots")
    } else {
        dir.path().join("screenshots")
    };
    // run.mjs bounds its own run time (every wait has a timeout).
    let app = normwatch_app::App::with_built_in_config(store).await.unwrap();
    crate::support::run_browser_script(app, "run.mjs", &[screenshots.display().to_string()]).await;
}

/// The texts pages in Chromium (`tests/browser/texts.mjs`): search over the speeches, the
/// term trend, keyword in context and a diff, over the real corpus.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_texts_pages_work_in_a_real_browser() {
    if !crate::support::browser_tests_run("the texts pages") {
        return;
    }
    let corpus = crate::support::shared_dir().join("data/ungdc/ungdc-speeches.tar.gz");
    assert!(corpus.is_file(), "the texts browser test needs {}", corpus.display());
    let dir = tempfile::tempdir().unwrap();
    let store = real_store(dir.path()).await;
    let app = normwatch_app::App::with_built_in_config(store).await.unwrap();
    app.import_speeches(&corpus, std::sync::Arc::new(normwatch_app::import::NoProgress)).await.unwrap();
    crate::support::run_browser_script(app, "texts.mjs", &[]).await;
}
