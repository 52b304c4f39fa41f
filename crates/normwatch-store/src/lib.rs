//! The normwatch database: the knowledge base (sourced claims, in the one layer `kb` that
//! loading replaces whole) and the imported roll-call votes (their own tables, one dataset
//! per import; the claims documents get from them are derived when read, never stored as a
//! layer).
//!
//! # Two backends, one interface
//!
//! A [`Store`] is an SQLite file (the default: [`Store::open`], or [`Store::connect`] with a
//! path or `sqlite://PATH`) or a PostgreSQL database ([`Store::connect`] with
//! `postgres://user:password@host:port/db`), for a deployment that several servers share.
//! No SQLite or PostgreSQL type appears in the public interface; callers never name a
//! backend.
//!
//! **Why an enum over the two native pools, not `sqlx::Any`.** `Any` would give one code
//! path, but it configures SQLite only through a URL (a file path must be spelled as one,
//! with `?` and `#` escaped, and WAL mode, foreign keys and the busy timeout would become
//! pragmas run per connection), its query builder writes `?` placeholders that
//! PostgreSQL refuses, and it converts every row into its own value type. The enum keeps
//! each driver's own types and options: `with_pool!` compiles one body of SQL twice,
//! once per backend (sqlx accepts `$1`-style placeholders on SQLite as on PostgreSQL), and
//! what the dialects do differently (`json_group_array`, `printf`, `strftime`, FTS5, the
//! integrity check, `VACUUM INTO`) lives in [`sqlite`] or [`postgres`] behind the small
//! `Dialect` trait. Each backend has its own embedded migrations (`migrations/sqlite/`,
//! `migrations/postgres/`).
//!
//! Every row is read with `try_get` (`column`): a foreign or hand-edited database file
//! gives a [`StoreError`] naming the table and column, never a panic. Every write
//! transaction bumps the [`Store::revision`], on both backends: caches key on it. A read
//! that takes several statements (a record, the vote tables, a symbol's roll calls, the
//! imports) runs in one read transaction, one snapshot: a load or an import committing
//! meanwhile is seen whole or not at all.
//!
//! The store knows SQL and nothing about HTTP or the command line. It hands out core
//! types ([`Record`], [`DocumentView`]); resolving claims into views stays in the core.

/// Runs one body against the store's pool, whichever backend it is: the body is compiled
/// once per backend, with `$pool` the backend's pool and `$db` its sqlx database type.
/// Bumps the store revision inside a write transaction (see [`Store::revision`]), on a
/// connection of either backend. The same statement on both; on PostgreSQL the row lock it
/// takes also orders concurrent writers, so two transactions never commit the same revision.
macro_rules! bump_revision {
    ($conn:expr) => {{
        let changed = sqlx::query("UPDATE revision SET value = value + 1").execute($conn).await?.rows_affected();
        if changed != 1 {
            return Err($crate::StoreError::Corrupt(format!("the revision table has {changed} rows where it has one")));
        }
    }};
}

macro_rules! with_pool {
    ($store:expr, |$pool:ident, $db:ident| $body:expr) => {
        match &$store.pool {
            $crate::Pool::Sqlite($pool) => {
                #[allow(dead_code)]
                type $db = sqlx::Sqlite;
                $body
            }
            $crate::Pool::Postgres($pool) => {
                #[allow(dead_code)]
                type $db = sqlx::Postgres;
                $body
            }
        }
    };
}

pub mod accounts;
pub mod assess;
pub mod kb_files;
pub mod postgres;
pub mod speeches;
pub mod sqlite;
pub mod texts;
pub mod votes;

#[cfg(test)]
pub(crate) mod testing;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use normwatch_core::Symbol;
use normwatch_core::domain::{OperativeVerb, ParagraphPart};
use normwatch_core::kb::Item;
use normwatch_core::kb::{Claim, FactValue, Kb, Origin, Paragraph, Record, RecordKind, SourceInfo, SourceKind};
use normwatch_core::state::{StateRegistry, StateRow};
use normwatch_core::view::DocumentView;
use sqlx::Row;
use sqlx::postgres::PgPool;
use sqlx::sqlite::SqlitePool;

/// What the two backends do differently, for the bodies [`with_pool!`] compiles once per
/// backend. Implemented in [`sqlite`] and [`postgres`].
pub(crate) trait Dialect: sqlx::Database {
    /// A query giving the current UTC time as `YYYY-MM-DDTHH:MM:SSZ`.
    const NOW: &'static str;
    /// A query giving, per dataset, its latest General Assembly roll call as `YYYY|DATE`
    /// (`DATE` empty where only the year is known), in columns `dataset` and `latest`.
    const LATEST_GA: &'static str;
    /// Makes the transaction just begun read one snapshot of the database in all its
    /// statements (SQLite in WAL mode does so from a transaction's first read; PostgreSQL
    /// needs `REPEATABLE READ`).
    async fn read_snapshot(conn: &mut Self::Connection) -> Result<()>;
    /// The backend's own integrity checks: each problem found, in words.
    async fn integrity(conn: &mut Self::Connection) -> Result<Vec<String>>;
}

/// The layer the reviewed knowledge-base files load into.
pub const KB_LAYER: &str = "kb";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot open the database at {path}: {reason}. Check that the folder exists and is writable, or choose another file with --db PATH"
    )]
    Open { path: PathBuf, reason: String },
    #[error(
        "cannot connect to the PostgreSQL database {url}: {reason}. Check that the server runs, that the database exists and that the user may use it"
    )]
    Connect { url: String, reason: String },
    #[error(
        "`{0}` is not a database address: give a file path, sqlite://PATH or postgres://user:password@host:port/database"
    )]
    Address(String),
    #[error("cannot create the folder {path} for the database")]
    CreateFolder { path: PathBuf, source: std::io::Error },
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
    #[error(
        "the database holds a value normwatch cannot read ({0}); run `normwatch init` to reload the knowledge base"
    )]
    Corrupt(String),
    #[error(
        "the database's column {table}.{column} holds a value normwatch cannot read ({reason}); is this a normwatch database? Run `normwatch init` on a new file (--db PATH) to start afresh"
    )]
    Column { table: &'static str, column: &'static str, reason: String },
    #[error("cannot back up into {path}: it exists already (choose a new file)")]
    BackupExists { path: PathBuf },
    #[error("{0}")]
    Unsupported(&'static str),
}

/// A column of a row, or an error naming the table and the column: SQLite stores any value
/// in any column, so a foreign or hand-edited file may hold a text where a number belongs.
pub(crate) fn column<'r, R, T>(row: &'r R, table: &'static str, name: &'static str) -> Result<T>
where
    R: Row,
    T: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    &'static str: sqlx::ColumnIndex<R>,
{
    row.try_get(name).map_err(|e| StoreError::Column { table, column: name, reason: e.to_string() })
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

pub use normwatch_core::kb::KbStats;

/// What loading the knowledge base did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadSummary {
    pub records: usize,
    pub claims: usize,
    pub items: usize,
    pub sources: usize,
}

/// Which database a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The pool of the backend a store runs on (see the crate's documentation for why an enum).
#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// What [`Store::check`] found: nothing when the database is consistent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckReport {
    pub backend: Backend,
    /// Each problem, in words; empty when the database passed every check.
    pub problems: Vec<String>,
}

impl CheckReport {
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) pool: Pool,
    /// The SQLite file, or `None` on PostgreSQL.
    path: Option<PathBuf>,
    /// Where the data is, for people: the file, or the URL without its password.
    location: String,
}

impl Store {
    /// Opens (creating if needed) the SQLite database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Store> {
        let pool = sqlite::open(path).await?;
        Ok(Store { pool: Pool::Sqlite(pool), path: Some(path.to_path_buf()), location: path.display().to_string() })
    }

    /// Opens the database an address names: `postgres://user:password@host:port/database`
    /// (or `postgresql://…`) for PostgreSQL; `sqlite://PATH`, `sqlite:PATH` or a bare path
    /// for an SQLite file ([`Store::open`]). The schema is brought up to date.
    pub async fn connect(address: &str) -> Result<Store> {
        if address.starts_with("postgres://") || address.starts_with("postgresql://") {
            let location = postgres::redact(address);
            let pool = postgres::connect(address, &location).await?;
            return Ok(Store { pool: Pool::Postgres(pool), path: None, location });
        }
        let path = match address.strip_prefix("sqlite://").or_else(|| address.strip_prefix("sqlite:")) {
            Some(path) => path,
            None if address.contains("://") || address.is_empty() => {
                return Err(StoreError::Address(postgres::redact(address)));
            }
            None => address,
        };
        Store::open(Path::new(path)).await
    }

    pub fn backend(&self) -> Backend {
        match self.pool {
            Pool::Sqlite(_) => Backend::Sqlite,
            Pool::Postgres(_) => Backend::Postgres,
        }
    }

    /// The SQLite file, or `None` for a PostgreSQL database.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Where the data is, for messages: the SQLite file, or the PostgreSQL URL without its
    /// password.
    pub fn location(&self) -> &str {
        &self.location
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }

    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        with_pool!(self, |pool, Db| {
            let row = sqlx::query("SELECT value FROM meta WHERE key = $1").bind(key).fetch_optional(pool).await?;
            row.map(|r| column(&r, "meta", "value")).transpose()
        })
    }

    /// The store revision: a counter that every write transaction (a knowledge-base load, a
    /// vote import) bumps and no read moves; one row read, a key for caches of derived data.
    /// Two databases may be at the same revision: key caches by [`Store::data_version`].
    pub async fn revision(&self) -> Result<u64> {
        let value: i64 = with_pool!(self, |pool, Db| {
            let row = sqlx::query("SELECT value FROM revision").fetch_one(pool).await?;
            column(&row, "revision", "value")?
        });
        u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("revision {value}")))
    }

    /// A key for caches of derived data, as text: this database's id (made when its schema
    /// was created) and its [`Store::revision`], `ID:REVISION`. Unlike the revision alone it
    /// does not repeat when a database is deleted and made anew at the same address; several
    /// servers over one PostgreSQL database share it.
    /// One round trip: it is read on every API request.
    pub async fn data_version(&self) -> Result<String> {
        let (id, value): (Option<String>, i64) = with_pool!(self, |pool, Db| {
            let row =
                sqlx::query("SELECT (SELECT value FROM meta WHERE key = 'database_id') AS id, value FROM revision")
                    .fetch_one(pool)
                    .await?;
            (column(&row, "meta", "id")?, column(&row, "revision", "value")?)
        });
        Ok(format!("{}:{value}", id.unwrap_or_default()))
    }

    /// The fingerprint of the knowledge base last loaded, if any.
    pub async fn kb_fingerprint(&self) -> Result<Option<String>> {
        self.meta("kb_fingerprint").await
    }

    /// Replaces the `kb` layer with this knowledge base, in one transaction: a failure
    /// leaves the previous knowledge base in place.
    pub async fn load_kb(&self, kb: &Kb, fingerprint: &str) -> Result<LoadSummary> {
        let mut summary = LoadSummary { records: 0, claims: 0, items: 0, sources: kb.sources.len() };
        with_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            for table in ["records", "claims", "items", "paragraphs"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE layer = $1")).bind(KB_LAYER).execute(&mut *tx).await?;
            }
            sqlx::query("DELETE FROM sources").execute(&mut *tx).await?;
            sqlx::query("DELETE FROM states").execute(&mut *tx).await?;
            for (position, row) in kb.states.rows().iter().enumerate() {
                sqlx::query(
                    "INSERT INTO states (position, iso3, iso2, name, aliases, regional_group, member_from, member_to, successor, source, notes)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
                )
                .bind(position as i64)
                .bind(&row.iso3)
                .bind(&row.iso2)
                .bind(&row.name)
                .bind(&row.aliases)
                .bind(&row.regional_group)
                .bind(&row.member_from)
                .bind(&row.member_to)
                .bind(&row.successor)
                .bind(&row.source)
                .bind(&row.notes)
                .execute(&mut *tx)
                .await?;
            }
            for source in &kb.sources {
                sqlx::query("INSERT INTO sources (id, kind, file, citation) VALUES ($1, $2, $3, $4)")
                    .bind(&source.id)
                    .bind(source_kind_text(source.kind))
                    .bind(&source.file)
                    .bind(&source.citation)
                    .execute(&mut *tx)
                    .await?;
            }
            for record in &kb.records {
                let layer = KB_LAYER;
                sqlx::query(
                    "INSERT INTO records (kind, id, layer, origin_file, origin_line) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(record.kind.as_str())
                .bind(&record.id)
                .bind(layer)
                .bind(&record.origin.file)
                .bind(i64::from(record.origin.line))
                .execute(&mut *tx)
                .await?;
                for claim in &record.claims {
                    sqlx::query(
                        "INSERT INTO claims (kind, id, layer, field, value, source, source_text, basis, quote, note, origin_file, origin_line)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                    )
                    .bind(record.kind.as_str())
                    .bind(&record.id)
                    .bind(layer)
                    .bind(&claim.field)
                    .bind(to_json(&claim.value)?)
                    .bind(to_json(&claim.source)?)
                    .bind(claim.source.to_string())
                    .bind(claim.source.basis().as_str())
                    .bind(&claim.quote)
                    .bind(&claim.note)
                    .bind(&claim.origin.file)
                    .bind(i64::from(claim.origin.line))
                    .execute(&mut *tx)
                    .await?;
                }
                for item in &record.items {
                    sqlx::query(
                        "INSERT INTO items (kind, id, layer, list, label, heading, text, paraphrase, count, source, source_text, origin_file, origin_line)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
                    )
                    .bind(record.kind.as_str())
                    .bind(&record.id)
                    .bind(layer)
                    .bind(&item.list)
                    .bind(&item.label)
                    .bind(&item.heading)
                    .bind(&item.text)
                    .bind(i64::from(item.paraphrase))
                    .bind(item.count)
                    .bind(to_json(&item.source)?)
                    .bind(item.source.to_string())
                    .bind(&item.origin.file)
                    .bind(i64::from(item.origin.line))
                    .execute(&mut *tx)
                    .await?;
                }
                for p in &record.paragraphs {
                    sqlx::query(
                        "INSERT INTO paragraphs (kind, id, layer, part, number, verb, verb_text, text, source, source_text, origin_file, origin_line)
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                    )
                    .bind(record.kind.as_str())
                    .bind(&record.id)
                    .bind(layer)
                    .bind(p.part.as_str())
                    .bind(p.number)
                    .bind(p.verb.map(|v| v.as_str()))
                    .bind(&p.verb_text)
                    .bind(&p.text)
                    .bind(to_json(&p.source)?)
                    .bind(p.source.to_string())
                    .bind(&p.origin.file)
                    .bind(i64::from(p.origin.line))
                    .execute(&mut *tx)
                    .await?;
                }
                summary.records += 1;
                summary.claims += record.claims.len();
                summary.items += record.items.len();
            }
            sqlx::query(
                "INSERT INTO meta (key, value) VALUES ('kb_fingerprint', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            )
            .bind(fingerprint)
            .execute(&mut *tx)
            .await?;
            bump_revision!(&mut *tx);
            tx.commit().await?;
        });
        Ok(summary)
    }

    /// Checks the database: the backend's own integrity check (SQLite's
    /// `PRAGMA integrity_check` and `foreign_key_check`, the FTS5 index), then the same
    /// consistency queries on both backends (one revision row, every dataset's roll calls
    /// all there, no claim without its record, every roll call's votes as long as its
    /// dataset's state list). It changes nothing and does not move the revision (on SQLite,
    /// FTS5's check is spelt as an INSERT that writes nothing: it waits for a running import).
    pub async fn check(&self) -> Result<CheckReport> {
        let mut problems = with_pool!(self, |pool, Db| {
            let mut conn = pool.acquire().await?;
            <Db as Dialect>::integrity(&mut *conn).await?
        });
        let rows: i64 =
            with_pool!(self, |pool, Db| sqlx::query_scalar("SELECT COUNT(*) FROM revision").fetch_one(pool).await?);
        if rows != 1 {
            problems.push(format!("the revision table has {rows} rows where it has one"));
        }
        const COUNTS: [(&str, &str); 7] = [
            (
                "voting datasets hold another number of roll calls than they recorded",
                "SELECT COUNT(*) FROM vote_datasets d WHERE d.roll_calls <> (SELECT COUNT(*) FROM roll_calls r WHERE r.dataset = d.dataset)",
            ),
            (
                "roll calls belong to no imported dataset",
                "SELECT COUNT(*) FROM roll_calls r WHERE NOT EXISTS (SELECT 1 FROM vote_datasets d WHERE d.dataset = r.dataset)",
            ),
            (
                "roll calls hold votes for another number of states than their dataset lists",
                "SELECT COUNT(*) FROM roll_calls r JOIN vote_datasets d ON d.dataset = r.dataset
                 WHERE length(r.votes) <> length(d.states) - length(replace(d.states, ',', '')) + 1",
            ),
            (
                "claims, items or paragraphs belong to no record",
                "SELECT (SELECT COUNT(*) FROM claims c WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.kind = c.kind AND r.id = c.id AND r.layer = c.layer))
                      + (SELECT COUNT(*) FROM items c WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.kind = c.kind AND r.id = c.id AND r.layer = c.layer))
                      + (SELECT COUNT(*) FROM paragraphs c WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.kind = c.kind AND r.id = c.id AND r.layer = c.layer))",
            ),
            (
                "files of imports belong to no imported dataset",
                "SELECT COUNT(*) FROM imports i WHERE NOT EXISTS (SELECT 1 FROM vote_datasets d WHERE d.dataset = i.dataset)",
            ),
            (
                "speeches are numbered past the number of speeches (the term index no longer matches them)",
                "SELECT COUNT(*) FROM speeches WHERE doc >= (SELECT COUNT(*) FROM speeches)",
            ),
            (
                "speeches cite a source file that no import recorded",
                "SELECT COUNT(*) FROM speeches s WHERE NOT EXISTS (SELECT 1 FROM speech_sources c WHERE c.source = s.source)",
            ),
        ];
        for (what, sql) in COUNTS {
            let n: i64 = with_pool!(self, |pool, Db| sqlx::query_scalar(sql).fetch_one(pool).await?);
            if n != 0 {
                problems.push(format!("{n} {what}"));
            }
        }
        if self.meta("database_id").await?.is_none() {
            problems.push("the database has no id (meta.database_id)".to_string());
        }
        Ok(CheckReport { backend: self.backend(), problems })
    }

    /// Writes a consistent copy of the live database to a new file (SQLite's `VACUUM INTO`:
    /// readers and writers may go on meanwhile). On PostgreSQL, back up with `pg_dump`.
    pub async fn backup(&self, path: &Path) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(pool) => sqlite::backup(pool, path).await,
            Pool::Postgres(_) => Err(StoreError::Unsupported(
                "a PostgreSQL database is backed up with pg_dump (e.g. pg_dump --format=custom --file=normwatch.dump DATABASE), not by normwatch",
            )),
        }
    }

    pub async fn sources(&self) -> Result<Vec<SourceInfo>> {
        with_pool!(self, |pool, Db| {
            let rows = sqlx::query("SELECT id, kind, file, citation FROM sources ORDER BY id").fetch_all(pool).await?;
            rows.into_iter()
                .map(|r| {
                    let kind: String = column(&r, "sources", "kind")?;
                    Ok(SourceInfo {
                        id: column(&r, "sources", "id")?,
                        kind: parse_source_kind(&kind)?,
                        file: column(&r, "sources", "file")?,
                        citation: column(&r, "sources", "citation")?,
                    })
                })
                .collect()
        })
    }

    /// The state table of the knowledge base last loaded (its `states.csv`), or `None` when
    /// none has been loaded since the database learnt to keep one (load the knowledge base
    /// again).
    pub async fn states(&self) -> Result<Option<StateRegistry>> {
        const T: &str = "states";
        let rows = with_pool!(self, |pool, Db| {
            sqlx::query(
                "SELECT iso3, iso2, name, aliases, regional_group, member_from, member_to, successor, source, notes
                 FROM states ORDER BY position",
            )
            .fetch_all(pool)
            .await?
            .iter()
            .map(|r| {
                Ok(StateRow {
                    iso3: column(r, T, "iso3")?,
                    iso2: column(r, T, "iso2")?,
                    name: column(r, T, "name")?,
                    aliases: column(r, T, "aliases")?,
                    regional_group: column(r, T, "regional_group")?,
                    member_from: column(r, T, "member_from")?,
                    member_to: column(r, T, "member_to")?,
                    successor: column(r, T, "successor")?,
                    source: column(r, T, "source")?,
                    notes: column(r, T, "notes")?,
                })
            })
            .collect::<Result<Vec<_>>>()?
        });
        if rows.is_empty() {
            return Ok(None);
        }
        StateRegistry::from_rows(rows).map(Some).map_err(|e| StoreError::Corrupt(format!("the stored {e}")))
    }

    /// The ids of every record of a kind, sorted.
    pub async fn ids(&self, kind: RecordKind) -> Result<Vec<String>> {
        with_pool!(self, |pool, Db| {
            let rows = sqlx::query("SELECT DISTINCT id FROM records WHERE kind = $1 ORDER BY id")
                .bind(kind.as_str())
                .fetch_all(pool)
                .await?;
            rows.iter().map(|r| column(r, "records", "id")).collect()
        })
    }

    /// A record with the claims of every layer, or `None` if no layer has it.
    pub async fn record(&self, kind: RecordKind, id: &str) -> Result<Option<Record>> {
        Ok(self.load_records(kind, Some(id)).await?.pop())
    }

    /// Loads records of a kind (one or all) with their claims, items and paragraphs, in
    /// four queries whatever their number.
    async fn load_records(&self, kind: RecordKind, only: Option<&str>) -> Result<Vec<Record>> {
        let filter = if only.is_some() { "AND id = $2" } else { "" };
        let sql = |table: &str, columns: &str, order: &str| {
            format!("SELECT id, {columns} FROM {table} WHERE kind = $1 {filter} ORDER BY {order}")
        };
        let mut records: Vec<Record> = Vec::new();
        with_pool!(self, |pool, Db| {
            // One read transaction: a load or an import committing meanwhile is seen whole
            // or not at all, never half (records of one load with claims of the next).
            let mut tx = pool.begin().await?;
            <Db as Dialect>::read_snapshot(&mut *tx).await?;
            macro_rules! fetch {
                ($sql:expr) => {{
                    let sql = $sql;
                    let mut query = sqlx::query(&sql).bind(kind.as_str());
                    if let Some(id) = only {
                        query = query.bind(id);
                    }
                    query.fetch_all(&mut *tx).await
                }};
            }
            let origins = fetch!(sql("records", "origin_file, origin_line", "id, layer <> 'kb', layer"))?;
            let mut index: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
            for r in origins {
                let id: String = column(&r, "records", "id")?;
                if index.contains_key(&id) {
                    continue;
                }
                index.insert(id.clone(), records.len());
                records.push(Record {
                    kind,
                    id,
                    origin: origin_of(&r, "records")?,
                    claims: Vec::new(),
                    items: Vec::new(),
                    paragraphs: Vec::new(),
                });
            }

            for r in fetch!(sql("claims", "field, value, source, quote, note, origin_file, origin_line", "seq"))? {
                const T: &str = "claims";
                let Some(&i) = index.get(&column::<_, String>(&r, T, "id")?) else { continue };
                records[i].claims.push(Claim {
                    field: column(&r, T, "field")?,
                    value: from_json(column(&r, T, "value")?)?,
                    source: from_json(column(&r, T, "source")?)?,
                    quote: column(&r, T, "quote")?,
                    note: column(&r, T, "note")?,
                    origin: origin_of(&r, T)?,
                });
            }
            for r in fetch!(sql(
                "items",
                "list, label, heading, text, paraphrase, count, source, origin_file, origin_line",
                "seq",
            ))? {
                const T: &str = "items";
                let Some(&i) = index.get(&column::<_, String>(&r, T, "id")?) else { continue };
                records[i].items.push(Item {
                    list: column(&r, T, "list")?,
                    label: column(&r, T, "label")?,
                    heading: column(&r, T, "heading")?,
                    text: column(&r, T, "text")?,
                    paraphrase: column::<_, i64>(&r, T, "paraphrase")? != 0,
                    count: column(&r, T, "count")?,
                    source: from_json(column(&r, T, "source")?)?,
                    origin: origin_of(&r, T)?,
                });
            }
            for r in fetch!(sql(
                "paragraphs",
                "part, number, verb, verb_text, text, source, origin_file, origin_line",
                "seq"
            ))? {
                const T: &str = "paragraphs";
                let Some(&i) = index.get(&column::<_, String>(&r, T, "id")?) else { continue };
                let part: String = column(&r, T, "part")?;
                let verb: Option<String> = column(&r, T, "verb")?;
                records[i].paragraphs.push(Paragraph {
                    part: ParagraphPart::from_str(&part).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    number: column(&r, T, "number")?,
                    verb: verb
                        .map(|v| OperativeVerb::from_str(&v))
                        .transpose()
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    verb_text: column(&r, T, "verb_text")?,
                    text: column(&r, T, "text")?,
                    source: from_json(column(&r, T, "source")?)?,
                    origin: origin_of(&r, T)?,
                });
            }
            if kind == RecordKind::Document {
                let datasets = sqlx::query(votes::DATASETS).fetch_all(&mut *tx).await?;
                let query = sqlx::query(votes::ADOPTIONS[usize::from(only.is_some())]);
                let roll_calls = match only {
                    Some(id) => query.bind(id).fetch_all(&mut *tx).await?,
                    None => query.fetch_all(&mut *tx).await?,
                };
                let datasets = datasets.iter().map(votes::dataset_states).collect::<Result<Vec<_>>>()?;
                let roll_calls = roll_calls.iter().map(votes::StoredRollCall::from_row).collect::<Result<Vec<_>>>()?;
                votes::attach_dataset_claims(datasets, roll_calls, only, &mut records)?;
            }
        });
        Ok(records)
    }

    pub async fn document(&self, symbol: &Symbol) -> Result<Option<DocumentView>> {
        let record = self.record(RecordKind::Document, &symbol.to_string()).await?;
        Ok(record.as_ref().and_then(DocumentView::resolve))
    }

    /// Every record of a kind, for listings.
    pub async fn records(&self, kind: RecordKind) -> Result<Vec<Record>> {
        self.load_records(kind, None).await
    }

    /// The documents of a series, in chronological order.
    pub async fn series_documents(&self, series: &str) -> Result<Vec<DocumentView>> {
        let ids = self.ids_referencing(RecordKind::Document, "series", series).await?;
        let mut views = Vec::new();
        for id in ids {
            if let Some(view) = self.record(RecordKind::Document, &id).await?.as_ref().and_then(DocumentView::resolve) {
                views.push(view);
            }
        }
        views.sort_by(normwatch_core::view::chronological);
        Ok(views)
    }

    /// What the database holds: records per kind, claims per basis and layer, conflicts.
    pub async fn stats(&self) -> Result<KbStats> {
        let mut records = Vec::new();
        let mut conflicts = Vec::new();
        for kind in RecordKind::ALL {
            let all = self.records(kind).await?;
            records.push((kind, all.len()));
            let open: usize = all.iter().map(|r| normwatch_core::view::record_conflicts(r).len()).sum();
            conflicts.push((kind, open));
        }
        let count = |sql: &'static str| async move {
            let n: i64 = with_pool!(self, |pool, Db| sqlx::query_scalar(sql).fetch_one(pool).await?);
            Ok::<i64, StoreError>(n)
        };
        let layers = with_pool!(self, |pool, Db| {
            sqlx::query("SELECT layer, COUNT(*) AS n FROM claims GROUP BY layer ORDER BY layer")
                .fetch_all(pool)
                .await?
                .iter()
                .map(|r| Ok((column(r, "claims", "layer")?, column(r, "claims", "n")?)))
                .collect::<Result<_>>()?
        });
        Ok(KbStats {
            records,
            claims: count("SELECT COUNT(*) FROM claims").await?,
            items: count("SELECT COUNT(*) FROM items").await?,
            paragraphs: count("SELECT COUNT(*) FROM paragraphs").await?,
            sources: count("SELECT COUNT(*) FROM sources").await?,
            claims_by_basis: self.claims_by_basis().await?,
            claims_by_layer: layers,
            conflicts,
        })
    }

    /// The ids of the records whose claim on `field` is the id `value` (e.g. the
    /// documents of a series).
    pub async fn ids_referencing(&self, kind: RecordKind, field: &str, value: &str) -> Result<Vec<String>> {
        let json = to_json(&FactValue::Id(value.to_string()))?;
        with_pool!(self, |pool, Db| {
            let rows =
                sqlx::query("SELECT DISTINCT id FROM claims WHERE kind = $1 AND field = $2 AND value = $3 ORDER BY id")
                    .bind(kind.as_str())
                    .bind(field)
                    .bind(&json)
                    .fetch_all(pool)
                    .await?;
            rows.iter().map(|r| column(r, "claims", "id")).collect()
        })
    }

    /// Counts of claims by basis, over every layer.
    pub async fn claims_by_basis(&self) -> Result<Vec<(String, i64)>> {
        with_pool!(self, |pool, Db| {
            let rows = sqlx::query("SELECT basis, COUNT(*) AS n FROM claims GROUP BY basis ORDER BY basis")
                .fetch_all(pool)
                .await?;
            rows.iter().map(|r| Ok((column(r, "claims", "basis")?, column(r, "claims", "n")?))).collect()
        })
    }
}

/// Where a stored record, claim, item or paragraph was written.
fn origin_of<R>(row: &R, table: &'static str) -> Result<Origin>
where
    R: Row,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    &'static str: sqlx::ColumnIndex<R>,
{
    let line: i64 = column(row, table, "origin_line")?;
    Ok(Origin {
        file: column(row, table, "origin_file")?,
        line: u32::try_from(line).map_err(|_| StoreError::Column {
            table,
            column: "origin_line",
            reason: format!("{line} is not a line number"),
        })?,
    })
}

fn source_kind_text(kind: SourceKind) -> &'static str {
    match kind {
        SourceKind::Seed => "seed",
        SourceKind::Dataset => "dataset",
        SourceKind::Reference => "reference",
    }
}

fn parse_source_kind(text: &str) -> Result<SourceKind> {
    match text {
        "seed" => Ok(SourceKind::Seed),
        "dataset" => Ok(SourceKind::Dataset),
        "reference" => Ok(SourceKind::Reference),
        other => Err(StoreError::Corrupt(format!("source kind `{other}`"))),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| StoreError::Corrupt(e.to_string()))
}

fn from_json<T: serde::de::DeserializeOwned>(text: String) -> Result<T> {
    serde_json::from_str(&text).map_err(|e| StoreError::Corrupt(format!("{e} in `{text}`")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{self, databases};
    use normwatch_core::kb::{KbFile, load};

    const SOURCES: &str =
        "[[source]]\nid = \"maurer2011\"\nkind = \"seed\"\nfile = \"001.txt\"\ncitation = \"Maurer\"\n";
    const DOC: &str = "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.fact]]\nsource = \"maurer2011 §II.1.1\"\nadopted_on = \"1999-01-04\"\n[[document.fact]]\nsource = \"doc A/RES/53/70\"\nadopted_on = \"1998-12-04\"\n[[document.item]]\nlist = \"annex\"\nlabel = \"1\"\ntext = \"An element\"\nsource = \"maurer2011 §Appendix\"\n";

    fn kb(doc: &str) -> Kb {
        load(&[
            KbFile { path: "sources.toml".into(), text: SOURCES.into() },
            KbFile { path: "documents/a.toml".into(), text: doc.into() },
        ])
        .unwrap()
    }

    #[tokio::test]
    async fn a_loaded_record_comes_back_whole_and_reloading_replaces_it() {
        for db in databases().await {
            let store = &db.store;
            let kb = kb(DOC);
            let summary = store.load_kb(&kb, "one").await.unwrap();
            assert_eq!(summary, LoadSummary { records: 1, claims: 2, items: 1, sources: 1 });
            let back = store.record(RecordKind::Document, "A/RES/53/70").await.unwrap().unwrap();
            assert_eq!(&back, &kb.records[0], "{}", db.name());
            assert_eq!(store.kb_fingerprint().await.unwrap().as_deref(), Some("one"));

            // Reloading replaces the layer instead of adding to it.
            store.load_kb(&kb, "two").await.unwrap();
            let again = store.record(RecordKind::Document, "A/RES/53/70").await.unwrap().unwrap();
            assert_eq!(again.claims.len(), 2);
            let view = store.document(&Symbol::parse("A/RES/53/70").unwrap()).await.unwrap().unwrap();
            assert_eq!(view.conflicts.len(), 1);
            assert_eq!(store.ids(RecordKind::Document).await.unwrap(), ["A/RES/53/70"]);
            let stats = store.stats().await.unwrap();
            assert_eq!((stats.claims, stats.items, stats.sources), (2, 1, 1), "{}", db.name());
            assert_eq!(stats.claims_by_layer, vec![("kb".to_string(), 2)]);
            assert!(store.check().await.unwrap().is_ok(), "{}: {:?}", db.name(), store.check().await);
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn the_revision_moves_with_each_load_and_not_with_reads() {
        for db in databases().await {
            let store = &db.store;
            assert_eq!(store.revision().await.unwrap(), 0);
            store.load_kb(&kb(DOC), "one").await.unwrap();
            assert_eq!(store.revision().await.unwrap(), 1);
            store.record(RecordKind::Document, "A/RES/53/70").await.unwrap();
            store.records(RecordKind::Document).await.unwrap();
            store.stats().await.unwrap();
            store.sources().await.unwrap();
            store.find_document("A/RES/53/70").await.unwrap().unwrap();
            store.check().await.unwrap();
            assert_eq!(store.revision().await.unwrap(), 1, "{}: reads do not move it", db.name());
            let version = store.data_version().await.unwrap();
            assert!(version.ends_with(":1") && version.len() == 34, "{version}");
            let other = match store.backend() {
                Backend::Sqlite => testing::sqlite().await,
                Backend::Postgres => testing::postgres().await.unwrap(),
            };
            assert_ne!(other.store.data_version().await.unwrap()[..32], version[..32], "each database has its own id");
            other.finish().await;
            store.load_kb(&kb(DOC), "one").await.unwrap();
            assert_eq!(store.revision().await.unwrap(), 2, "a reload of the same files is a write");
            // A load that fails leaves the revision where it was.
            store.refuse_inserts("items").await;
            assert!(store.load_kb(&kb(DOC), "two").await.is_err());
            assert_eq!(store.revision().await.unwrap(), 2);
            assert_eq!(store.kb_fingerprint().await.unwrap().as_deref(), Some("one"));
            assert_eq!(store.record(RecordKind::Document, "A/RES/53/70").await.unwrap().unwrap().items.len(), 1);
            db.finish().await;
        }
    }

    /// A foreign or hand-edited file: a value of the wrong type is an error that names the
    /// table and the column, not a panic. (SQLite only: PostgreSQL refuses such a value.)
    #[tokio::test]
    async fn a_wrong_typed_value_is_an_error_naming_its_column() {
        let db = testing::sqlite().await;
        let store = &db.store;
        store.load_kb(&kb(DOC), "one").await.unwrap();
        store.execute_raw("UPDATE records SET origin_line = 'line one'").await;
        let error = store.record(RecordKind::Document, "A/RES/53/70").await.unwrap_err();
        assert!(matches!(error, StoreError::Column { table: "records", column: "origin_line", .. }), "{error:?}");
        assert!(error.to_string().contains("records.origin_line"), "{error}");
        store.execute_raw("UPDATE records SET origin_line = 1").await;
        store.execute_raw("UPDATE items SET paraphrase = 'yes'").await;
        let error = store.records(RecordKind::Document).await.unwrap_err();
        assert!(matches!(error, StoreError::Column { table: "items", column: "paraphrase", .. }), "{error:?}");
        store.execute_raw("UPDATE sources SET citation = X'00FF'").await;
        let error = store.sources().await.unwrap_err();
        assert!(matches!(error, StoreError::Column { table: "sources", column: "citation", .. }), "{error:?}");
        store.execute_raw("UPDATE revision SET value = 'many'").await;
        let error = store.revision().await.unwrap_err();
        assert!(matches!(error, StoreError::Column { table: "revision", column: "value", .. }), "{error:?}");
    }

    /// The knowledge base's state table is stored with it, in the same transaction.
    #[tokio::test]
    async fn the_state_table_is_stored_with_the_knowledge_base() {
        for db in databases().await {
            let store = &db.store;
            assert!(store.states().await.unwrap().is_none(), "nothing loaded yet");
            let header = "iso3,iso2,name,aliases,regional_group,member_from,member_to,successor,source,notes\n";
            let table = format!(
                "{header}RUS,RU,Russian Federation,Russia|USSR,EEG,1945-10-24,,,maurer2011,\nSUN,SU,Soviet Union,,EEG,1945-10-24,1991-12-26,RUS,maurer2011,\"a note, quoted\"\n"
            );
            let files = |table: &str| {
                load(&[
                    KbFile { path: "sources.toml".into(), text: SOURCES.into() },
                    KbFile { path: "states.csv".into(), text: table.into() },
                    KbFile { path: "documents/a.toml".into(), text: DOC.into() },
                ])
                .unwrap_or_else(|e| panic!("{e}"))
            };
            let kb = files(&table);
            store.load_kb(&kb, "one").await.unwrap();
            let stored = store.states().await.unwrap().unwrap();
            assert_eq!(stored.rows(), kb.states.rows());
            assert_eq!(stored.lookup("USSR").map(|s| s.iso3.as_str()), Some("RUS"));
            assert_eq!(stored.lookup("SUN").and_then(|s| s.successor).map(|s| s.to_string()).as_deref(), Some("RUS"));
            // A failed load keeps the table it had; a successful one replaces it.
            store.refuse_inserts("items").await;
            let smaller = files(&format!("{header}RUS,RU,Russian Federation,,EEG,1945-10-24,,,maurer2011,\n"));
            assert!(store.load_kb(&smaller, "two").await.is_err());
            assert_eq!(store.states().await.unwrap().unwrap().all().len(), 2, "{}", db.name());
            store.allow_inserts("items").await;
            store.load_kb(&smaller, "two").await.unwrap();
            assert_eq!(store.states().await.unwrap().unwrap().all().len(), 1);
            db.finish().await;
        }
    }

    /// The knowledge base as shipped loads, with its state table; a load that fails at its
    /// very end (the revision row is gone) leaves all of it as it was.
    #[tokio::test]
    async fn the_embedded_knowledge_base_loads_whole_or_not_at_all() {
        let kb = load(&kb_files::embedded()).unwrap_or_else(|e| panic!("{e}"));
        for db in databases().await {
            let store = &db.store;
            let first = store.load_kb(&kb, "embedded").await.unwrap();
            let stored = store.states().await.unwrap().unwrap();
            assert_eq!(stored.rows(), normwatch_core::state::StateRegistry::global().rows());
            let stats = store.stats().await.unwrap();
            assert!(store.check().await.unwrap().is_ok(), "{}: {:?}", db.name(), store.check().await);

            // Everything is written before the revision is bumped: without its row the load
            // fails last, and nothing of it stays.
            store.execute_raw("DELETE FROM revision").await;
            let error = store.load_kb(&kb_with_one_record_less(&kb), "smaller").await.unwrap_err();
            assert!(error.to_string().contains("revision table has 0 rows"), "{error}");
            assert_eq!(store.stats().await.unwrap(), stats, "{}", db.name());
            assert_eq!(store.kb_fingerprint().await.unwrap().as_deref(), Some("embedded"));
            let report = store.check().await.unwrap();
            assert_eq!(report.problems, ["the revision table has 0 rows where it has one"]);
            store.execute_raw("INSERT INTO revision (id, value) VALUES (1, 1)").await;
            assert_eq!(store.load_kb(&kb, "embedded").await.unwrap(), first);
            db.finish().await;
        }
    }

    fn kb_with_one_record_less(kb: &Kb) -> Kb {
        let mut smaller = kb.clone();
        smaller.records.pop();
        smaller
    }

    #[tokio::test]
    async fn the_database_is_a_wal_mode_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        let store = Store::open(&path).await.unwrap();
        let Pool::Sqlite(pool) = &store.pool else { unreachable!() };
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(pool).await.unwrap();
        assert_eq!(mode, "wal");
        assert!(path.is_file());
        assert_eq!(store.path(), Some(path.as_path()));
        assert_eq!(store.backend(), Backend::Sqlite);
    }

    #[tokio::test]
    async fn an_unwritable_path_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("file");
        std::fs::write(&blocker, "not a folder").unwrap();
        let error = Store::open(&blocker.join("db.sqlite")).await.unwrap_err();
        assert!(error.to_string().contains("cannot open the database"), "{error}");
        assert!(error.to_string().contains("--db PATH"), "{error}");
    }

    /// `connect` takes a bare path, `sqlite://PATH` and `sqlite:PATH` for SQLite; other
    /// schemes are refused by name, and a server that does not answer is a clear error
    /// without the password.
    #[tokio::test]
    async fn an_address_chooses_the_backend() {
        let dir = tempfile::tempdir().unwrap();
        for (address, file) in [
            (dir.path().join("bare.sqlite").display().to_string(), "bare.sqlite"),
            (format!("sqlite://{}", dir.path().join("long.sqlite").display()), "long.sqlite"),
            (format!("sqlite:{}", dir.path().join("short.sqlite").display()), "short.sqlite"),
        ] {
            let store = Store::connect(&address).await.unwrap();
            assert_eq!(store.backend(), Backend::Sqlite);
            assert_eq!(store.path(), Some(dir.path().join(file).as_path()));
            assert!(dir.path().join(file).is_file());
        }
        let error = Store::connect("mysql://root:secret@localhost/db").await.unwrap_err();
        assert!(matches!(error, StoreError::Address(_)) && !error.to_string().contains("secret"), "{error}");
        // Port 1 on this machine: nothing listens there.
        let error = Store::connect("postgres://nw:secret@127.0.0.1:1/normwatch").await.unwrap_err();
        assert!(matches!(error, StoreError::Connect { .. }), "{error:?}");
        assert!(error.to_string().contains("postgres://nw:***@127.0.0.1:1/normwatch"), "{error}");
        assert!(!error.to_string().contains("secret"), "{error}");
    }

    /// A backup is a consistent copy that opens and checks; it does not overwrite a file.
    #[tokio::test]
    async fn a_backup_is_a_database_that_checks_and_holds_the_same() {
        for db in databases().await {
            let store = &db.store;
            store.load_kb(&kb(DOC), "one").await.unwrap();
            let dir = tempfile::tempdir().unwrap();
            let copy = dir.path().join("backup.sqlite");
            match store.backend() {
                Backend::Sqlite => {
                    store.backup(&copy).await.unwrap();
                    let error = store.backup(&copy).await.unwrap_err();
                    assert!(matches!(error, StoreError::BackupExists { .. }), "{error:?}");
                    let restored = Store::open(&copy).await.unwrap();
                    assert!(restored.check().await.unwrap().is_ok());
                    assert_eq!(restored.stats().await.unwrap(), store.stats().await.unwrap());
                    assert_eq!(restored.revision().await.unwrap(), store.revision().await.unwrap());
                    assert_eq!(
                        restored.record(RecordKind::Document, "A/RES/53/70").await.unwrap(),
                        store.record(RecordKind::Document, "A/RES/53/70").await.unwrap()
                    );
                }
                Backend::Postgres => {
                    let error = store.backup(&copy).await.unwrap_err();
                    assert!(error.to_string().contains("pg_dump"), "{error}");
                    assert!(!copy.exists());
                }
            }
            db.finish().await;
        }
    }

    /// The check finds what an interrupted or hand-edited database may hold.
    #[tokio::test]
    async fn the_check_names_what_is_inconsistent() {
        for db in databases().await {
            let store = &db.store;
            store.load_kb(&kb(DOC), "one").await.unwrap();
            assert!(store.check().await.unwrap().is_ok());
            store.execute_raw("DELETE FROM records").await;
            let report = store.check().await.unwrap();
            assert_eq!(report.problems, ["3 claims, items or paragraphs belong to no record"], "{}", db.name());
            db.finish().await;
        }
    }
}

/// The answer to "show me this document" when the input names none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotFound {
    pub message: String,
    pub suggestions: Vec<String>,
}

impl Store {
    /// Finds a document by any spelling of its symbol; when there is none, says why and
    /// suggests near matches among the documents the database holds.
    pub async fn find_document(&self, input: &str) -> Result<std::result::Result<DocumentView, NotFound>> {
        let known = self.ids(RecordKind::Document).await?;
        let suggest = |needle: &str| normwatch_core::suggest::near_matches(needle, known.iter().map(String::as_str), 5);
        let symbol = match Symbol::parse(input) {
            Ok(symbol) => symbol,
            Err(error) => {
                return Ok(Err(NotFound { message: error.to_string(), suggestions: suggest(input) }));
            }
        };
        let mut found = self.document(&symbol).await?;
        if found.is_none() {
            // `S/RES/1373` finds `S/RES/1373 (2001)`.
            if let Some(full) = known.iter().filter_map(|k| Symbol::parse(k).ok()).find(|k| symbol.same_document(k)) {
                found = self.document(&full).await?;
            }
        }
        match found {
            Some(view) => Ok(Ok(view)),
            None => Ok(Err(NotFound {
                message: format!("no document {symbol} in the knowledge base or the imported data"),
                suggestions: suggest(&symbol.to_string()),
            })),
        }
    }
}
