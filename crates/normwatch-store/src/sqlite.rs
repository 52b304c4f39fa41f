//! The SQLite backend: opening a database file, and what only SQLite says this way (FTS5,
//! `printf`, `strftime`, `PRAGMA integrity_check`, `VACUUM INTO`).

use std::path::Path;

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqliteConnection, SqlitePool};

use crate::{Dialect, Result, StoreError};

/// Opens (creating if needed) the database file in WAL mode and brings its schema up to date.
/// Every speech's doc, state, session, year and words in one text (see
/// `speeches::unpack_metas`): records joined by U+001E, fields by U+001F.
pub(crate) const SPEECH_METAS_PACKED: &str = "SELECT group_concat(doc || char(31) || state || char(31) || session || char(31) || year || char(31) || words, char(30)) FROM speeches";

pub(crate) async fn open(path: &Path) -> Result<SqlitePool> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.exists()
    {
        std::fs::create_dir_all(parent)
            .map_err(|source| StoreError::CreateFolder { path: parent.to_path_buf(), source })?;
    }
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(std::time::Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(4)
        .connect_with(options)
        .await
        .map_err(|e| StoreError::Open { path: path.to_path_buf(), reason: e.to_string() })?;
    sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
    Ok(pool)
}

/// `VACUUM INTO` a new file: a consistent copy of the live database, compacted.
pub(crate) async fn backup(pool: &SqlitePool, path: &Path) -> Result<()> {
    if path.exists() {
        return Err(StoreError::BackupExists { path: path.to_path_buf() });
    }
    let target = path.to_str().ok_or(StoreError::Unsupported("the backup path must be valid UTF-8"))?;
    sqlx::query("VACUUM INTO $1").bind(target).execute(pool).await?;
    Ok(())
}

impl Dialect for Sqlite {
    const NOW: &'static str = "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";
    const LATEST_GA: &'static str = "SELECT dataset, MAX(printf('%04d|%s', year, COALESCE(date, ''))) AS latest
         FROM roll_calls WHERE body = 'ga' GROUP BY dataset";

    async fn read_snapshot(_conn: &mut SqliteConnection) -> Result<()> {
        Ok(())
    }

    async fn integrity(conn: &mut SqliteConnection) -> Result<Vec<String>> {
        let mut problems = Vec::new();
        let report: Vec<String> = sqlx::query_scalar("PRAGMA integrity_check").fetch_all(&mut *conn).await?;
        if report != ["ok"] {
            problems.extend(report.into_iter().map(|line| format!("integrity check: {line}")));
        }
        let dangling = sqlx::query("PRAGMA foreign_key_check").fetch_all(&mut *conn).await?.len();
        if dangling > 0 {
            problems.push(format!("{dangling} rows point to rows that do not exist (PRAGMA foreign_key_check)"));
        }
        Ok(problems)
    }
}
