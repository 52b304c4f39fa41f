//! Choosing the database (`--database URL`, `--db PATH`), the rule that reading commands
//! load nothing, and the operators' commands (`admin migrate`, `admin backup`, `admin check`),
//! end to end on the built binary; over PostgreSQL too when `NORMWATCH_TEST_DATABASE` is set.

use std::process::Output;

use normwatch_store::Store;
use serde_json::Value;

use crate::support::{TestDb, normwatch};

fn fixture_kb() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/kb").to_string()
}

fn succeeded(args: &[&str]) -> Output {
    let output = normwatch(args);
    assert!(output.status.success(), "normwatch {args:?} failed:\n{}", String::from_utf8_lossy(&output.stderr));
    output
}

fn json(args: &[&str]) -> Value {
    let output = succeeded(args);
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| panic!("normwatch {args:?} printed invalid JSON: {e}"))
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn the_database_option_takes_a_sqlite_url_or_a_bare_path_and_db_stays_its_shorthand() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nw.sqlite").display().to_string();
    let url = format!("sqlite://{path}");
    succeeded(&["--database", &url, "init", "--kb", &fixture_kb()]);
    let by_url = json(&["--database", &url, "show", "A/RES/53/70", "--json"]);
    assert_eq!(by_url["symbol"], "A/RES/53/70");
    assert_eq!(json(&["--database", &path, "show", "A/RES/53/70", "--json"]), by_url, "a bare path");
    assert_eq!(json(&["show", "A/RES/53/70", "--db", &path, "--json"]), by_url, "--db PATH");
    let migrated = json(&["--database", &url, "admin", "migrate", "--json"]);
    assert_eq!(migrated["backend"], "sqlite");
    assert_eq!(migrated["database"], path.as_str());
}

#[test]
fn giving_both_database_options_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nw.sqlite").display().to_string();
    let output = normwatch(&["--database", &path, "--db", &path, "kb", "stats"]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(stderr(&output).contains("--database URL") && stderr(&output).contains("--db PATH"), "{}", stderr(&output));
    assert!(!dir.path().join("nw.sqlite").exists(), "nothing is opened");
    // The environment counts as giving the option.
    let from_env = std::process::Command::new(env!("CARGO_BIN_EXE_normwatch"))
        .args(["--db", &path, "kb", "stats"])
        .env("NORMWATCH_DATABASE", format!("sqlite://{path}"))
        .env_remove("NORMWATCH_DB")
        .output()
        .unwrap();
    assert_eq!(from_env.status.code(), Some(2), "{}", stderr(&from_env));
}

#[tokio::test]
async fn a_reading_command_on_a_database_without_a_knowledge_base_says_to_run_init_and_loads_nothing() {
    let db = TestDb::new();
    for args in [&["show", "A/RES/60/45"][..], &["kb", "stats"], &["series", "list"], &["votes", "imports"]] {
        let output = db.run(args);
        assert_eq!(output.status.code(), Some(1), "{args:?}: {}", stderr(&output));
        assert!(stderr(&output).contains("run `normwatch init`"), "{args:?}: {}", stderr(&output));
    }
    let store = db.store().await;
    assert_eq!(store.kb_fingerprint().await.unwrap(), None, "no knowledge base was loaded");
    assert!(store.stats().await.unwrap().records.iter().all(|(_, n)| *n == 0), "no records");
    store.close().await;
    // `admin migrate` applies the schema alone; `init` then loads, and reading works.
    let migrated: Value = db.json(&["admin", "migrate", "--json"]);
    assert_eq!(migrated["backend"], if db.is_postgres() { "postgres" } else { "sqlite" });
    let store = db.store().await;
    assert_eq!(store.kb_fingerprint().await.unwrap(), None, "migrate loads no knowledge base");
    store.close().await;
    db.ok(&["init"]);
    assert_eq!(db.json(&["show", "A/RES/60/45", "--json"])["symbol"], "A/RES/60/45");
}

#[tokio::test]
async fn a_backup_passes_the_check_and_reads_the_same_as_the_original() {
    let db = TestDb::sqlite();
    db.ok(&["init"]);
    let original = db.json(&["show", "A/RES/60/45", "--json"]);
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("backup.sqlite");
    let copy_arg = copy.display().to_string();
    let backup = db.json(&["admin", "backup", &copy_arg, "--json"]);
    assert_eq!(backup["backup"], copy_arg.as_str());
    assert!(backup["bytes"].as_u64().unwrap() > 0);
    assert!(copy.is_file());
    let check = json(&["--db", &copy_arg, "admin", "check", "--json"]);
    assert_eq!(check["ok"], true, "{check}");
    assert_eq!(check["problems"], serde_json::json!([]));
    assert_eq!(json(&["--db", &copy_arg, "show", "A/RES/60/45", "--json"]), original);
    // A second backup into the same file is refused: a backup never overwrites.
    let again = db.run(&["admin", "backup", &copy_arg]);
    assert_eq!(again.status.code(), Some(1));
    assert!(stderr(&again).contains("exists already"), "{}", stderr(&again));

    // A damaged copy fails the check, exit 1, with the problem named.
    let store = Store::open(&copy).await.unwrap();
    store.close().await;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{copy_arg}")).await.unwrap();
    sqlx::query("DELETE FROM revision").execute(&pool).await.unwrap();
    pool.close().await;
    let output = normwatch(&["--db", &copy_arg, "admin", "check"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("the revision table has 0 rows"), "{}", stderr(&output));
    let output = normwatch(&["--db", &copy_arg, "admin", "check", "--json"]);
    assert_eq!(output.status.code(), Some(1));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["ok"], false);
    assert!(!report["problems"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn the_cli_answers_the_same_over_postgresql() {
    let Some((admin, address, schema)) = crate::store_pg::postgres_schema("cli").await else { return };
    let sqlite = TestDb::sqlite();
    sqlite.ok(&["init"]);
    let on_sqlite = sqlite.json(&["show", "A/RES/60/45", "--json"]);

    let output = normwatch(&["--database", &address, "show", "A/RES/60/45"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    assert!(stderr(&output).contains("run `normwatch init`"), "{}", stderr(&output));
    let migrated = json(&["--database", &address, "admin", "migrate", "--json"]);
    assert_eq!(migrated["backend"], "postgres");
    succeeded(&["--database", &address, "init"]);
    assert_eq!(json(&["--database", &address, "show", "A/RES/60/45", "--json"]), on_sqlite);
    let check = json(&["--database", &address, "admin", "check", "--json"]);
    assert_eq!(check["ok"], true, "{check}");
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("pg.sqlite").display().to_string();
    let backup = normwatch(&["--database", &address, "admin", "backup", &target]);
    assert_eq!(backup.status.code(), Some(1));
    assert!(stderr(&backup).contains("pg_dump"), "{}", stderr(&backup));
    sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
}
