//! The application over PostgreSQL (issue 10): the API answers the same objects as over
//! SQLite, and two application servers over one PostgreSQL database never serve stale
//! data, since their caches key on the store revision that every write moves. Runs when
//! `NORMWATCH_TEST_DATABASE=postgres://…` names a server (each test in a schema of its
//! own); says it skips otherwise.

use axum::body::Body;
use axum::http::Request;
use normwatch_store::{Backend, Store};
use normwatch_web::{AppState, router};
use serde_json::Value;
use tower::ServiceExt;

use crate::support::TestApp;

/// A fresh schema on the test server and its address, or `None` (said) without a server.
pub(crate) async fn postgres_schema(test: &str) -> Option<(sqlx::PgPool, String, String)> {
    let Some(url) = std::env::var("NORMWATCH_TEST_DATABASE").ok().filter(|u| !u.trim().is_empty()) else {
        skipped(format_args!("{test}: NORMWATCH_TEST_DATABASE is not set: the PostgreSQL run is skipped"));
        return None;
    };
    let schema = format!("nw_it_{test}_{}", std::process::id());
    let admin = sqlx::PgPool::connect(&url).await.unwrap_or_else(|e| panic!("NORMWATCH_TEST_DATABASE: {e}"));
    sqlx::raw_sql(&format!("CREATE SCHEMA {schema}")).execute(&admin).await.unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    Some((admin, format!("{url}{separator}options[search_path]={schema}"), schema))
}

async fn get(router: &axum::Router, uri: &str) -> (u16, Value) {
    let response = router.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status().as_u16();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap_or(Value::Null))
}

/// An application server over `store`, with a search index of its own in `index`.
fn app_over(store: Store, index: &tempfile::TempDir) -> axum::Router {
    let config = normwatch_measure::Config::default_config().expect("the built-in parameters");
    let app = normwatch_app::App::with_index_dir(store, config, Some(index.path().to_path_buf()));
    router(AppState { app })
}

#[tokio::test]
async fn the_api_answers_the_same_over_postgresql() {
    let Some((admin, address, schema)) = postgres_schema("same").await else { return };
    let sqlite = TestApp::built_in().await;
    let store = Store::connect(&address).await.unwrap();
    assert_eq!(store.backend(), Backend::Postgres);
    let kb = normwatch_core::kb::load(&normwatch_store::kb_files::embedded()).unwrap();
    store.load_kb(&kb, "test").await.unwrap();
    let index = tempfile::tempdir().unwrap();
    let postgres = app_over(store.clone(), &index);
    for uri in [
        "/api/documents/A/RES/53/70",
        "/api/documents/A/RES/64/211",
        "/api/series",
        "/api/series/ga-first-ict-security",
        "/api/groups",
        "/api/stats",
        "/api/measurement",
        // The same passages, ranked the same: search answers alike on both backends.
        "/api/search?q=cybersecurity",
        "/api/search?q=%22culture+of+cybersecurity%22&kind=paragraph",
        "/api/search?q=A/RES/60/45",
    ] {
        let on_sqlite = get(&sqlite.router, uri).await;
        let on_postgres = get(&postgres, uri).await;
        assert_eq!(on_sqlite.0, 200, "{uri}");
        assert_eq!(on_sqlite, on_postgres, "{uri}");
    }
    store.close().await;
    sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
}

#[tokio::test]
async fn two_servers_over_one_database_see_each_others_writes() {
    let Some((admin, address, schema)) = postgres_schema("two").await else { return };
    let (first, second) = (Store::connect(&address).await.unwrap(), Store::connect(&address).await.unwrap());
    let mut files = normwatch_store::kb_files::embedded();
    let kb = normwatch_core::kb::load(&files).unwrap();
    first.load_kb(&kb, "one").await.unwrap();
    let (index_one, index_two) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    let (one, two) = (app_over(first.clone(), &index_one), app_over(second.clone(), &index_two));
    let search = "/api/search?q=%22a+test+document%22";
    assert_eq!(get(&two, search).await.1, serde_json::json!([]), "nothing found before the load");
    let uri = "/api/documents/A/RES/99/999";
    assert_eq!(get(&two, uri).await.0, 404, "the second server has cached the catalog without it");
    assert_eq!(get(&two, "/api/stats").await, get(&one, "/api/stats").await);
    // The first server's store loads a knowledge base with one more document.
    files.push(normwatch_core::kb::KbFile {
        path: "documents/zz-test.toml".into(),
        text: "[[document]]\nsymbol = \"A/RES/99/999\"\n[[document.fact]]\nsource = \"maurer2011 §II.1.1\"\ntitle = \"A test document\"\n"
            .into(),
    });
    let more = normwatch_core::kb::load(&files).unwrap_or_else(|e| panic!("{e}"));
    first.load_kb(&more, "two").await.unwrap();
    assert_eq!(first.data_version().await.unwrap(), second.data_version().await.unwrap());
    let (status, document) = get(&two, uri).await;
    assert_eq!(status, 200, "the second server sees the new revision: {document}");
    assert_eq!(get(&two, "/api/stats").await, get(&one, "/api/stats").await);
    // Its search index follows the revision too.
    let (status, found) = get(&two, search).await;
    assert_eq!((status, found[0]["id"].as_str()), (200, Some("A/RES/99/999")), "{found}");
    first.close().await;
    second.close().await;
    sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
}

/// Says that a run is skipped straight on stderr, past the test harness's capture (which
/// hides what a passing test prints), so that `cargo test` shows it.
fn skipped(message: std::fmt::Arguments) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{message}");
}
