//! The PostgreSQL backend: connecting to a server, and what only PostgreSQL says this way
//! (`to_char`, `lpad`).

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool, Postgres};

use crate::{Dialect, Result, StoreError};

/// Connects to the database a `postgres://` URL names and brings its schema up to date.
/// `location` is the URL without its password, for errors.
/// Every speech's doc, state, session, year and words in one text (see
/// `speeches::unpack_metas`): records joined by U+001E, fields by U+001F.
pub(crate) const SPEECH_METAS_PACKED: &str = "SELECT string_agg(doc::text || chr(31) || state || chr(31) || session::text || chr(31) || year::text || chr(31) || words::text, chr(30) ORDER BY doc) FROM speeches";

pub(crate) async fn connect(url: &str, location: &str) -> Result<PgPool> {
    let error = |e: sqlx::Error| StoreError::Connect { url: location.to_string(), reason: e.to_string() };
    let options: PgConnectOptions = url.parse().map_err(error)?;
    let pool = PgPoolOptions::new()
        .max_connections(8)
        .acquire_timeout(std::time::Duration::from_secs(10))
        .connect_with(options)
        .await
        .map_err(error)?;
    sqlx::migrate!("./migrations/postgres").run(&pool).await?;
    Ok(pool)
}

/// The address without its password (`postgres://user:***@host/db`), for messages and logs.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else { return url.to_string() };
    let (authority, tail) = match rest.find(['/', '?']) {
        Some(at) => rest.split_at(at),
        None => (rest, ""),
    };
    match authority.rsplit_once('@') {
        Some((credentials, host)) => match credentials.split_once(':') {
            Some((user, _password)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_string(),
        },
        None => url.to_string(),
    }
}

impl Dialect for Postgres {
    const NOW: &'static str = r#"SELECT to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"#;
    const LATEST_GA: &'static str =
        "SELECT dataset, MAX(lpad(year::text, 4, '0') || '|' || COALESCE(date, '')) AS latest
         FROM roll_calls WHERE body = 'ga' GROUP BY dataset";

    async fn read_snapshot(conn: &mut PgConnection) -> Result<()> {
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY").execute(conn).await?;
        Ok(())
    }

    async fn integrity(conn: &mut PgConnection) -> Result<Vec<String>> {
        // PostgreSQL checks its pages itself (and `amcheck` needs a superuser); what can be
        // left behind by an interrupted command is an index that was never finished.
        let invalid: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
             JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND NOT (i.indisvalid AND i.indisready)",
        )
        .fetch_one(&mut *conn)
        .await?;
        Ok(if invalid > 0 {
            vec![format!("{invalid} indexes are invalid (an interrupted CREATE INDEX?)")]
        } else {
            vec![]
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_password_never_shows() {
        assert_eq!(redact("postgres://nw:secret@db:5432/normwatch"), "postgres://nw:***@db:5432/normwatch");
        assert_eq!(redact("postgres://nw:p@ss@db/normwatch?x=1"), "postgres://nw:***@db/normwatch?x=1");
        assert_eq!(redact("postgres://db/normwatch"), "postgres://db/normwatch");
        assert_eq!(redact("postgres://nw@db/normwatch"), "postgres://nw@db/normwatch");
    }
}
