//! The two backends hold and give back the same: the built-in knowledge base and the real
//! unvotes data (Voeten) loaded into SQLite and into PostgreSQL read back equal, record by
//! record, roll call by roll call, with the same digest. Runs when
//! `NORMWATCH_TEST_DATABASE` names a PostgreSQL server; says it skips otherwise.

use std::path::{Path, PathBuf};

use normwatch_core::Symbol;
use normwatch_core::kb::{RecordKind, load};
use normwatch_store::votes::ImportedFile;
use normwatch_store::{Backend, Store, kb_files};
use normwatch_votes::Input;
use normwatch_votes::analysis::Scope;
use normwatch_votes::formats::read_unvotes;

fn unvotes() -> Option<PathBuf> {
    let shared = match std::env::var_os("NORMWATCH_SHARED") {
        Some(dir) => PathBuf::from(dir),
        None => Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    };
    let dir = std::env::var_os("NORMWATCH_SHARED_DATA").map(PathBuf::from).unwrap_or_else(|| shared.join("data"));
    let unvotes = dir.join("unvotes-voeten");
    if unvotes.join("un_votes.csv.gz").is_file() {
        return Some(unvotes);
    }
    if std::env::var_os("NORMWATCH_SKIP_REAL_DATA").is_some_and(|v| v == "1") {
        eprintln!("parity test: skipped because NORMWATCH_SKIP_REAL_DATA=1 and {} is absent", unvotes.display());
        return None;
    }
    panic!(
        "parity test: the unvotes data is not at {} (set NORMWATCH_SHARED or NORMWATCH_SHARED_DATA, or NORMWATCH_SKIP_REAL_DATA=1 to skip)",
        unvotes.display()
    );
}

#[tokio::test]
async fn both_backends_give_back_the_same_knowledge_base_and_votes() {
    let Some(url) = std::env::var("NORMWATCH_TEST_DATABASE").ok().filter(|u| !u.trim().is_empty()) else {
        skipped(format_args!("NORMWATCH_TEST_DATABASE is not set: the PostgreSQL parity test is skipped"));
        return;
    };
    let Some(dir) = unvotes() else { return };
    let open = |name: &str| Input::new(name, std::fs::File::open(dir.join(name)).unwrap());
    let parsed =
        read_unvotes(open("un_roll_calls.csv.gz"), open("un_votes.csv.gz"), Some(open("un_roll_call_issues.csv.gz")))
            .unwrap_or_else(|e| panic!("{e}"));
    let files: Vec<ImportedFile> = parsed
        .rows
        .iter()
        .map(|(path, rows)| ImportedFile { path: path.clone(), sha256: "test".into(), rows: *rows })
        .collect();
    let kb = load(&kb_files::embedded()).unwrap_or_else(|e| panic!("{e}"));

    let temp = tempfile::tempdir().unwrap();
    let sqlite = Store::open(&temp.path().join("parity.sqlite")).await.unwrap();
    let schema = format!("nw_parity_{}", std::process::id());
    let admin = sqlx::PgPool::connect(&url).await.unwrap_or_else(|e| panic!("NORMWATCH_TEST_DATABASE: {e}"));
    sqlx::raw_sql(&format!("CREATE SCHEMA {schema}")).execute(&admin).await.unwrap();
    let separator = if url.contains('?') { '&' } else { '?' };
    let postgres = Store::connect(&format!("{url}{separator}options[search_path]={schema}")).await.unwrap();
    assert_eq!((sqlite.backend(), postgres.backend()), (Backend::Sqlite, Backend::Postgres));
    assert!(!postgres.location().contains(":normwatch@") || !url.contains(":normwatch@"), "the password shows");

    for store in [&sqlite, &postgres] {
        store.load_kb(&kb, "built-in:test").await.unwrap();
        store.import_votes(&[(parsed.table.clone(), files.clone())]).await.unwrap();
        assert_eq!(store.revision().await.unwrap(), 2);
        let report = store.check().await.unwrap();
        assert!(report.is_ok(), "{:?}: {:?}", store.backend(), report.problems);
    }
    for kind in RecordKind::ALL {
        assert_eq!(sqlite.ids(kind).await.unwrap(), postgres.ids(kind).await.unwrap(), "{kind:?}");
        assert_eq!(sqlite.records(kind).await.unwrap(), postgres.records(kind).await.unwrap(), "{kind:?}");
    }
    assert_eq!(sqlite.stats().await.unwrap(), postgres.stats().await.unwrap());
    assert_eq!(sqlite.sources().await.unwrap(), postgres.sources().await.unwrap());
    assert_eq!(
        sqlite.states().await.unwrap().map(|s| s.rows().to_vec()),
        postgres.states().await.unwrap().map(|s| s.rows().to_vec())
    );
    for symbol in ["A/RES/60/45", "A/RES/53/70", "A/RES/70/237", "R/42/209/C"] {
        let symbol = Symbol::parse(symbol).unwrap();
        assert_eq!(sqlite.document(&symbol).await.unwrap(), postgres.document(&symbol).await.unwrap(), "{symbol}");
        assert_eq!(sqlite.roll_calls_for(&symbol).await.unwrap(), postgres.roll_calls_for(&symbol).await.unwrap());
    }
    let (mut left, mut right) = (sqlite.vote_imports().await.unwrap(), postgres.vote_imports().await.unwrap());
    for status in left.iter_mut().chain(right.iter_mut()) {
        status.imported_at.clear();
    }
    assert_eq!(left, right, "the same roll calls, the same digest");
    let scope = Scope { sessions: Some((60, 70)), issue: Some("di".into()), ..Scope::default() };
    for scope in [Scope::default(), scope] {
        assert_eq!(sqlite.vote_tables(&scope).await.unwrap(), postgres.vote_tables(&scope).await.unwrap());
    }
    assert_eq!(sqlite.vote_latest().await.unwrap(), postgres.vote_latest().await.unwrap());
    postgres.close().await;
    sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
}

/// Says that a run is skipped straight on stderr, past the test harness's capture (which
/// hides what a passing test prints), so that `cargo test` shows it.
fn skipped(message: std::fmt::Arguments) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{message}");
}
