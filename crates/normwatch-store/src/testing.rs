//! Test databases on both backends: an SQLite file in a temporary folder always, and a
//! PostgreSQL schema of its own (so that tests run in parallel) when
//! `NORMWATCH_TEST_DATABASE=postgres://…` names a server. Without that variable the
//! PostgreSQL run is skipped, and the tests say so once.

use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};

use crate::{Backend, Store};

/// The variable naming the PostgreSQL database the tests may use.
pub(crate) const VARIABLE: &str = "NORMWATCH_TEST_DATABASE";

/// A database for one test; [`TestDb::finish`] removes a PostgreSQL schema again.
pub(crate) struct TestDb {
    pub store: Store,
    _dir: Option<tempfile::TempDir>,
    /// The server's URL and the schema made for the test.
    schema: Option<(String, String)>,
}

impl TestDb {
    pub fn name(&self) -> &'static str {
        match self.store.backend() {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }

    pub async fn finish(self) {
        self.store.close().await;
        if let Some((url, schema)) = &self.schema {
            let pool = sqlx::PgPool::connect(url).await.expect("the test server answers");
            sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE")).execute(&pool).await.expect("the schema drops");
            pool.close().await;
        }
    }
}

/// A fresh SQLite database file.
pub(crate) async fn sqlite() -> TestDb {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
    TestDb { store, _dir: Some(dir), schema: None }
}

/// The address of the test server, or `None` (said once) when the variable is not set.
pub(crate) fn postgres_url() -> Option<String> {
    static SKIP: Once = Once::new();
    match std::env::var(VARIABLE) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            SKIP.call_once(|| {
                skipped(format_args!(
                    "{VARIABLE} is not set: the PostgreSQL run of the store tests is skipped (SQLite only)"
                ))
            });
            None
        }
    }
}

/// A fresh PostgreSQL schema on the test server, when there is one. A test that fails
/// leaves its schema behind (`nw_test_…`), to look at.
pub(crate) async fn postgres() -> Option<TestDb> {
    static NEXT: AtomicU32 = AtomicU32::new(0);
    let url = postgres_url()?;
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    let schema = format!("nw_test_{}_{}_{nanos}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed));
    let pool = sqlx::PgPool::connect(&url).await.unwrap_or_else(|e| panic!("{VARIABLE}={url}: {e}"));
    sqlx::raw_sql(&format!("CREATE SCHEMA {schema}")).execute(&pool).await.expect("a schema can be made");
    pool.close().await;
    let separator = if url.contains('?') { '&' } else { '?' };
    let store = Store::connect(&format!("{url}{separator}options[search_path]={schema}"))
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    Some(TestDb { store, _dir: None, schema: Some((url, schema)) })
}

/// A fresh database on each backend the tests can reach: SQLite, then PostgreSQL.
pub(crate) async fn databases() -> Vec<TestDb> {
    let mut all = vec![sqlite().await];
    all.extend(postgres().await);
    all
}

impl Store {
    /// Runs statements as they are, for tests that break a database on purpose.
    pub(crate) async fn execute_raw(&self, sql: &str) {
        with_pool!(self, |pool, Db| {
            sqlx::raw_sql(sql).execute(pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
        })
    }

    /// Makes every insert into `table` fail, until [`Store::allow_inserts`].
    pub(crate) async fn refuse_inserts(&self, table: &str) {
        self.execute_raw(&match self.backend() {
            Backend::Sqlite => {
                format!("CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} BEGIN SELECT RAISE(ABORT, 'refused'); END")
            }
            Backend::Postgres => format!(
                "CREATE FUNCTION refuse_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;
                 CREATE TRIGGER refuse_{table} BEFORE INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION refuse_{table}();"
            ),
        })
        .await
    }

    pub(crate) async fn allow_inserts(&self, table: &str) {
        self.execute_raw(&match self.backend() {
            Backend::Sqlite => format!("DROP TRIGGER refuse_{table}"),
            Backend::Postgres => format!("DROP TRIGGER refuse_{table} ON {table}; DROP FUNCTION refuse_{table}();"),
        })
        .await
    }
}

/// Says that a run is skipped straight on stderr, past the test harness's capture (which
/// hides what a passing test prints), so that `cargo test` shows it.
fn skipped(message: std::fmt::Arguments) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr(), "{message}");
}
