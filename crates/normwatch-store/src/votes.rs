//! Imported roll-call votes: storing parsed datasets (one transaction per import), reading
//! them back for the analyses, and the dataset claims documents get from them.
//!
//! A roll call is one row with its votes packed in a BLOB (BYTEA on PostgreSQL), one byte per state in the order
//! the dataset's `vote_datasets.states` lists; rows are remapped to the current state
//! table when read, so a later change to `kb/states.csv` cannot shift a vote to the wrong
//! state.

use std::collections::HashMap;

use normwatch_core::Symbol;
use normwatch_core::domain::{Date, VoteCounts};
use normwatch_core::kb::{Claim, Origin, Record, RecordKind};
use normwatch_votes::analysis::{Scope, When};
use normwatch_votes::model::{Body, Dataset, NO_VOTE, Part, RollCall, VoteTable, adoption_vote};
use normwatch_votes::states::states;
use sha2::{Digest, Sha256};
use sqlx::{Postgres, QueryBuilder, Row, Sqlite, Transaction};

use crate::{Dialect, Pool, Result, Store, StoreError, column};

/// A file an import read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportedFile {
    pub path: String,
    pub sha256: String,
    /// Data rows read (the header not counted).
    pub rows: u64,
}

/// What importing one dataset did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportSummary {
    pub dataset: Dataset,
    pub roll_calls: usize,
    pub votes: usize,
    /// Whether an earlier import of the dataset was replaced.
    pub replaced: bool,
}

/// An imported dataset as the database holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DatasetStatus {
    pub dataset: Dataset,
    pub roll_calls: i64,
    pub votes: i64,
    pub imported_at: String,
    pub files: Vec<ImportedFile>,
    /// A SHA-256 over every stored roll call, to tell whether two databases (or one,
    /// before and after) hold the same votes.
    pub digest: String,
}

/// Rows per INSERT statement: 19 parameters each stays well under SQLite's limit (32,766)
/// and PostgreSQL's (65,535).
const BATCH: usize = 400;

const COLUMNS: &str = "dataset, record, symbol, symbol_text, is_resolution, body, session, date, year, title, part, yes, no, abstain, non_voting, issues, origin_file, origin_line, votes";

/// The columns a roll call is read back from, in the order of [`StoredRollCall`]
/// (`is_resolution` is for queries; [`RollCall::is_resolution`] recomputes it).
const READ_COLUMNS: &str = "dataset, record, symbol, symbol_text, body, session, date, year, title, part, yes, no, abstain, non_voting, issues, origin_file, origin_line, votes";

/// An import under way: one transaction for every dataset it replaces. Dropping it without
/// [`VotesImport::commit`] rolls everything back.
pub struct VotesImport {
    tx: Tx,
    now: String,
    state_list: String,
    replaced: Vec<(Dataset, bool)>,
}

/// The transaction of an import, on either backend.
enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs one body on an import's transaction, whichever backend it is (see `with_pool!`):
/// `$conn` is the backend's connection inside the transaction.
macro_rules! with_tx {
    ($tx:expr, |$conn:ident, $db:ident| $body:expr) => {
        match &mut $tx {
            Tx::Sqlite(tx) => {
                #[allow(dead_code)]
                type $db = Sqlite;
                let $conn = &mut **tx;
                $body
            }
            Tx::Postgres(tx) => {
                #[allow(dead_code)]
                type $db = Postgres;
                let $conn = &mut **tx;
                $body
            }
        }
    };
}

/// A roll call's columns as the `ON CONFLICT` clause of its insert sets them.
fn upsert_columns() -> String {
    COLUMNS
        .split(", ")
        .filter(|c| !["dataset", "record"].contains(c))
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// How the roll calls of a scope (the query's `scoped` table) are read on each backend.
trait ScopedRows: sqlx::Database {
    async fn fetch(query: QueryBuilder<'_, Self>, conn: &mut Self::Connection) -> Result<Vec<StoredRollCall>>;
}

impl ScopedRows for Sqlite {
    /// One result row for the whole scope: the SQLite driver's per-row cost (a thread
    /// hand-off and a copy of every value) is what reading thousands of roll calls would pay.
    async fn fetch(
        mut query: QueryBuilder<'_, Sqlite>,
        conn: &mut sqlx::SqliteConnection,
    ) -> Result<Vec<StoredRollCall>> {
        query.push(" SELECT json_group_array(json_array(");
        let mut list = query.separated(", ");
        for column in READ_COLUMNS.split(", ") {
            list.push(if column == "votes" { "hex(votes)" } else { column });
        }
        query.push(")) FROM scoped");
        let json: String = query.build_query_scalar().fetch_one(conn).await?;
        serde_json::from_str(&json).map_err(|e| StoreError::Column {
            table: "roll_calls",
            column: "*",
            reason: format!("a row does not have the types of a roll call: {e}"),
        })
    }
}

impl ScopedRows for Postgres {
    async fn fetch(
        mut query: QueryBuilder<'_, Postgres>,
        conn: &mut sqlx::PgConnection,
    ) -> Result<Vec<StoredRollCall>> {
        query.push(format!(" SELECT {READ_COLUMNS} FROM scoped"));
        query.build().fetch_all(conn).await?.iter().map(StoredRollCall::from_row).collect()
    }
}

impl Store {
    /// Stores each dataset, replacing what an earlier import of the same dataset left, all
    /// in one transaction: if anything fails, the database is as it was.
    pub async fn import_votes(&self, imports: &[(VoteTable, Vec<ImportedFile>)]) -> Result<Vec<ImportSummary>> {
        let mut import = self.begin_votes_import().await?;
        let mut summaries = Vec::new();
        for (table, files) in imports {
            import.start(table.dataset).await?;
            import.insert(table.dataset, &table.origin, &table.roll_calls).await?;
            summaries.push(import.end(table, files).await?);
        }
        import.commit().await?;
        Ok(summaries)
    }

    /// Starts an import that roll calls can be added to while their files are still being
    /// read.
    pub async fn begin_votes_import(&self) -> Result<VotesImport> {
        let codes: Vec<&str> = (0..states().len()).map(|c| states().info(c).iso3.as_str()).collect();
        let (tx, now) = match &self.pool {
            Pool::Sqlite(pool) => {
                let mut tx = pool.begin().await?;
                let now: String = sqlx::query_scalar(<Sqlite as Dialect>::NOW).fetch_one(&mut *tx).await?;
                (Tx::Sqlite(tx), now)
            }
            Pool::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                let now: String = sqlx::query_scalar(<Postgres as Dialect>::NOW).fetch_one(&mut *tx).await?;
                (Tx::Postgres(tx), now)
            }
        };
        Ok(VotesImport { tx, now, state_list: codes.join(","), replaced: Vec::new() })
    }
}

impl VotesImport {
    /// Removes what an earlier import of the dataset left and registers this one.
    pub async fn start(&mut self, dataset: Dataset) -> Result<()> {
        let id = dataset.source_id();
        let (state_list, now) = (&self.state_list, &self.now);
        let replaced = with_tx!(self.tx, |conn, Db| {
            let replaced = sqlx::query("DELETE FROM vote_datasets WHERE dataset = $1")
                .bind(id)
                .execute(&mut *conn)
                .await?
                .rows_affected()
                > 0;
            // The cascade removes these too; said explicitly so that it holds without it.
            sqlx::query("DELETE FROM roll_calls WHERE dataset = $1").bind(id).execute(&mut *conn).await?;
            sqlx::query("DELETE FROM imports WHERE dataset = $1").bind(id).execute(&mut *conn).await?;
            sqlx::query(
                "INSERT INTO vote_datasets (dataset, states, roll_calls, votes, imported_at) VALUES ($1, $2, 0, 0, $3)",
            )
            .bind(id)
            .bind(state_list)
            .bind(now)
            .execute(&mut *conn)
            .await?;
            replaced
        });
        self.replaced.push((dataset, replaced));
        Ok(())
    }

    /// Adds roll calls of a started dataset; a roll call added again replaces itself.
    pub async fn insert(&mut self, dataset: Dataset, origin: &str, roll_calls: &[RollCall]) -> Result<()> {
        let id = dataset.source_id();
        let upsert = format!(" ON CONFLICT (dataset, record) DO UPDATE SET {}", upsert_columns());
        for batch in roll_calls.chunks(BATCH) {
            with_tx!(self.tx, |conn, Db| {
                let mut insert: QueryBuilder<Db> = QueryBuilder::new(format!("INSERT INTO roll_calls ({COLUMNS}) "));
                insert.push_values(batch, |mut row, rc| {
                    row.push_bind(id)
                        .push_bind(&rc.record)
                        .push_bind(rc.symbol.as_ref().map(|s| s.to_string()))
                        .push_bind(&rc.symbol_text)
                        .push_bind(i64::from(rc.is_resolution()))
                        .push_bind(rc.body.as_str())
                        .push_bind(rc.session.map(i64::from))
                        .push_bind(rc.date.map(|d| d.to_string()))
                        .push_bind(i64::from(rc.year))
                        .push_bind(&rc.title)
                        .push_bind(rc.part.as_str())
                        .push_bind(i64::from(rc.totals.yes))
                        .push_bind(i64::from(rc.totals.no))
                        .push_bind(i64::from(rc.totals.abstain))
                        .push_bind(rc.totals.non_voting.map(i64::from))
                        .push_bind(rc.issues.join(" "))
                        .push_bind(origin)
                        .push_bind(rc.line as i64)
                        .push_bind(&rc.votes);
                });
                insert.push(&upsert);
                insert.build().execute(&mut *conn).await?;
            });
        }
        Ok(())
    }

    /// Records the dataset's totals and files once all its roll calls are in.
    pub async fn end(&mut self, table: &VoteTable, files: &[ImportedFile]) -> Result<ImportSummary> {
        let id = table.dataset.source_id();
        let votes = table.vote_count();
        let now = &self.now;
        let stored: i64 = with_tx!(self.tx, |conn, Db| {
            sqlx::query("UPDATE vote_datasets SET roll_calls = $1, votes = $2 WHERE dataset = $3")
                .bind(table.roll_calls.len() as i64)
                .bind(votes as i64)
                .bind(id)
                .execute(&mut *conn)
                .await?;
            for file in files {
                sqlx::query(
                    "INSERT INTO imports (dataset, path, sha256, rows, imported_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(&file.path)
                .bind(&file.sha256)
                .bind(file.rows as i64)
                .bind(now)
                .execute(&mut *conn)
                .await?;
            }
            sqlx::query_scalar("SELECT COUNT(*) FROM roll_calls WHERE dataset = $1")
                .bind(id)
                .fetch_one(&mut *conn)
                .await?
        });
        if stored != table.roll_calls.len() as i64 {
            return Err(StoreError::Corrupt(format!(
                "{id}: {stored} roll calls stored where {} were read; nothing was imported",
                table.roll_calls.len()
            )));
        }
        let replaced = self.replaced.iter().rev().find(|(d, _)| *d == table.dataset).is_some_and(|(_, r)| *r);
        Ok(ImportSummary { dataset: table.dataset, roll_calls: table.roll_calls.len(), votes, replaced })
    }

    /// Makes the import visible, all of it at once, at a new store revision.
    pub async fn commit(mut self) -> Result<()> {
        with_tx!(self.tx, |conn, Db| bump_revision!(&mut *conn));
        match self.tx {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

impl Store {
    /// Every imported dataset with the roll calls in a scope (its sessions, years, issue
    /// and symbols are applied in SQL; [`normwatch_votes::analysis::select`] applies the
    /// rest), in the order of preference of [`Dataset::ALL`]. A dataset with no roll call
    /// in the scope comes back empty.
    pub async fn vote_tables(&self, scope: &Scope) -> Result<Vec<VoteTable>> {
        // One snapshot: the state lists and the roll calls of the same import.
        let (datasets, rows) = with_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            <Db as Dialect>::read_snapshot(&mut *tx).await?;
            let datasets = sqlx::query(DATASETS).fetch_all(&mut *tx).await?;
            let datasets = datasets.iter().map(dataset_states).collect::<Result<Vec<_>>>()?;
            let mut query: QueryBuilder<Db> =
                QueryBuilder::new(format!("WITH scoped AS (SELECT {COLUMNS} FROM roll_calls WHERE 1 = 1"));
            if let Some((from, to)) = scope.sessions {
                query.push(" AND session BETWEEN ").push_bind(i64::from(from)).push(" AND ").push_bind(i64::from(to));
            }
            if let Some((from, to)) = scope.years {
                query.push(" AND year BETWEEN ").push_bind(i64::from(from)).push(" AND ").push_bind(i64::from(to));
            }
            if let Some(issue) = &scope.issue {
                query.push(" AND (' ' || issues || ' ') LIKE ").push_bind(format!("% {} %", issue.trim()));
            }
            if let Some(symbols) = &scope.symbols {
                query.push(" AND symbol IN (");
                let mut list = query.separated(", ");
                list.push("NULL");
                for symbol in symbols {
                    list.push_bind(symbol.to_string());
                }
                query.push(")");
            }
            query.push(")");
            (datasets, <Db as ScopedRows>::fetch(query, &mut *tx).await?)
        });
        let columns = StateColumns::from_rows(datasets)?;
        let mut tables: Vec<VoteTable> = columns
            .datasets()
            .into_iter()
            .map(|dataset| VoteTable { dataset, origin: String::new(), roll_calls: Vec::new() })
            .collect();
        for row in rows {
            let (roll_call, origin) = columns.decode(row)?;
            if let Some(table) = tables.iter_mut().find(|t| t.dataset == roll_call.dataset) {
                table.origin = origin;
                table.roll_calls.push(roll_call);
            }
        }
        for table in &mut tables {
            table.roll_calls.sort_by_key(|r| r.line);
        }
        tables.sort_by_key(|t| Dataset::ALL.iter().position(|d| *d == t.dataset));
        Ok(tables)
    }

    /// Each imported dataset's latest General Assembly roll call, for
    /// [`normwatch_votes::analysis::chain_until`].
    pub async fn vote_latest(&self) -> Result<Vec<(Dataset, When)>> {
        let rows: Vec<(String, String)> = with_pool!(self, |pool, Db| {
            sqlx::query(<Db as Dialect>::LATEST_GA)
                .fetch_all(pool)
                .await?
                .iter()
                .map(|row| Ok((column(row, "roll_calls", "dataset")?, column(row, "roll_calls", "latest")?)))
                .collect::<Result<_>>()?
        });
        let mut out = Vec::new();
        for (dataset, latest) in rows {
            let dataset = parse_dataset(&dataset)?;
            let corrupt = || StoreError::Corrupt(format!("roll call date `{latest}`"));
            let (year, date) = latest.split_once('|').ok_or_else(corrupt)?;
            let year: i32 = year.parse().map_err(|_| corrupt())?;
            let date = if date.is_empty() { None } else { Some(date.parse::<Date>().map_err(|_| corrupt())?) };
            out.push((dataset, (year, date)));
        }
        Ok(out)
    }

    /// Every roll call, in any dataset, whose symbol is this one (adoption votes and
    /// separate votes alike), in time order.
    pub async fn roll_calls_for(&self, symbol: &Symbol) -> Result<Vec<RollCall>> {
        let (datasets, rows) = with_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            <Db as Dialect>::read_snapshot(&mut *tx).await?;
            let datasets = sqlx::query(DATASETS).fetch_all(&mut *tx).await?;
            let datasets = datasets.iter().map(dataset_states).collect::<Result<Vec<_>>>()?;
            let rows = sqlx::query(&format!("SELECT {READ_COLUMNS} FROM roll_calls WHERE symbol = $1"))
                .bind(symbol.to_string())
                .fetch_all(&mut *tx)
                .await?;
            (datasets, rows.iter().map(StoredRollCall::from_row).collect::<Result<Vec<_>>>()?)
        });
        let columns = StateColumns::from_rows(datasets)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(columns.decode(row)?.0);
        }
        out.sort_by_key(|r| (r.sort_key(), Dataset::ALL.iter().position(|d| *d == r.dataset)));
        Ok(out)
    }

    /// What has been imported: datasets, their files, and a digest of their contents.
    pub async fn vote_imports(&self) -> Result<Vec<DatasetStatus>> {
        const T: &str = "vote_datasets";
        // One snapshot: each dataset's totals, files and roll calls of the same import.
        type Read = ((String, i64, i64, String), Vec<ImportedFile>, Vec<StoredRollCall>);
        let read: Vec<Read> = with_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            <Db as Dialect>::read_snapshot(&mut *tx).await?;
            let datasets = sqlx::query("SELECT dataset, roll_calls, votes, imported_at FROM vote_datasets")
                .fetch_all(&mut *tx)
                .await?
                .iter()
                .map(|row| {
                    Ok((
                        column(row, T, "dataset")?,
                        column(row, T, "roll_calls")?,
                        column(row, T, "votes")?,
                        column(row, T, "imported_at")?,
                    ))
                })
                .collect::<Result<Vec<(String, i64, i64, String)>>>()?;
            let mut read = Vec::new();
            for dataset in datasets {
                let files = sqlx::query("SELECT path, sha256, rows FROM imports WHERE dataset = $1 ORDER BY path")
                    .bind(&dataset.0)
                    .fetch_all(&mut *tx)
                    .await?
                    .iter()
                    .map(|r| {
                        let rows: i64 = column(r, "imports", "rows")?;
                        Ok(ImportedFile {
                            path: column(r, "imports", "path")?,
                            sha256: column(r, "imports", "sha256")?,
                            rows: u64::try_from(rows).map_err(|_| StoreError::Column {
                                table: "imports",
                                column: "rows",
                                reason: format!("{rows} is not a row count"),
                            })?,
                        })
                    })
                    .collect::<Result<_>>()?;
                let rows =
                    sqlx::query(&format!("SELECT {READ_COLUMNS} FROM roll_calls WHERE dataset = $1 ORDER BY record"))
                        .bind(&dataset.0)
                        .fetch_all(&mut *tx)
                        .await?
                        .iter()
                        .map(StoredRollCall::from_row)
                        .collect::<Result<_>>()?;
                read.push((dataset, files, rows));
            }
            read
        });
        let mut out = Vec::new();
        for ((id, roll_calls, votes, imported_at), files, rows) in read {
            let dataset = parse_dataset(&id)?;
            // Each row as one line of JSON, in record order: the same on both backends.
            let mut hasher = Sha256::new();
            for row in &rows {
                hasher.update(row.digest_line().as_bytes());
                hasher.update(b"\n");
            }
            out.push(DatasetStatus {
                dataset,
                roll_calls,
                votes,
                imported_at,
                files,
                digest: hasher.finalize().iter().map(|b| format!("{b:02x}")).collect(),
            });
        }
        out.sort_by_key(|s| Dataset::ALL.iter().position(|d| *d == s.dataset));
        Ok(out)
    }
}

fn parse_dataset(text: &str) -> Result<Dataset> {
    Dataset::from_source_id(text).ok_or_else(|| StoreError::Corrupt(format!("unknown voting dataset `{text}`")))
}

/// Each dataset with the state list its vote bytes follow.
pub(crate) const DATASETS: &str = "SELECT dataset, states FROM vote_datasets";

/// A row of [`DATASETS`].
pub(crate) fn dataset_states<R>(row: &R) -> Result<(String, String)>
where
    R: Row,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    &'static str: sqlx::ColumnIndex<R>,
{
    Ok((column(row, "vote_datasets", "dataset")?, column(row, "vote_datasets", "states")?))
}

/// The roll calls on resolutions: of every document the knowledge base holds, and (with
/// its symbol as `$1`) of one document.
pub(crate) const ADOPTIONS: [&str; 2] = [
    "SELECT dataset, record, symbol, symbol_text, body, session, date, year, title, part, yes, no, abstain, non_voting, issues, origin_file, origin_line, votes
     FROM roll_calls WHERE is_resolution = 1 AND symbol IN (SELECT id FROM records WHERE kind = 'document')",
    "SELECT dataset, record, symbol, symbol_text, body, session, date, year, title, part, yes, no, abstain, non_voting, issues, origin_file, origin_line, votes
     FROM roll_calls WHERE symbol = $1 AND is_resolution = 1",
];

/// How each dataset's stored vote bytes map onto the current state table.
struct StateColumns {
    /// Per dataset: `None` when the stored order is the current one, else stored
    /// position -> current column (`None` for a state no longer in the table).
    maps: HashMap<Dataset, Option<Vec<Option<usize>>>>,
}

impl StateColumns {
    /// From each dataset's id and state list, as [`DATASETS`] reads them.
    fn from_rows(rows: Vec<(String, String)>) -> Result<StateColumns> {
        let table = states();
        let current: Vec<&str> = (0..table.len()).map(|c| table.info(c).iso3.as_str()).collect();
        let mut maps = HashMap::new();
        for (dataset, stored) in rows {
            let dataset = parse_dataset(&dataset)?;
            let stored: Vec<&str> = stored.split(',').collect();
            let map = if stored == current {
                None
            } else {
                Some(
                    stored
                        .iter()
                        .map(|code| normwatch_core::Iso3::parse(code).ok().and_then(|iso| table.index(iso)))
                        .collect(),
                )
            };
            maps.insert(dataset, map);
        }
        Ok(StateColumns { maps })
    }

    fn datasets(&self) -> Vec<Dataset> {
        self.maps.keys().copied().collect()
    }

    fn decode(&self, stored: StoredRollCall) -> Result<(RollCall, String)> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("roll call {what}"));
        let dataset = parse_dataset(&stored.dataset)?;
        let votes = match self.maps.get(&dataset) {
            Some(None) if stored.votes.len() == states().len() => stored.votes,
            Some(None) => {
                return Err(corrupt(&format!("votes of {} bytes for {} states", stored.votes.len(), states().len())));
            }
            Some(Some(map)) => {
                let mut votes = vec![NO_VOTE; states().len()];
                for (position, byte) in stored.votes.iter().enumerate() {
                    if let Some(Some(column)) = map.get(position) {
                        votes[*column] = *byte;
                    }
                }
                votes
            }
            None => return Err(corrupt(&format!("of {dataset} without its dataset row"))),
        };
        let roll_call = RollCall {
            dataset,
            record: stored.record,
            symbol: stored.symbol.map(|s| Symbol::parse(&s)).transpose().map_err(|e| corrupt(&e.to_string()))?,
            symbol_text: stored.symbol_text,
            body: Body::parse(&stored.body).ok_or_else(|| corrupt(&format!("body `{}`", stored.body)))?,
            session: stored.session.and_then(|s| u16::try_from(s).ok()),
            date: stored.date.map(|d| d.parse::<Date>()).transpose().map_err(|e| corrupt(&e.to_string()))?,
            year: i32::try_from(stored.year).map_err(|_| corrupt(&format!("year {}", stored.year)))?,
            title: stored.title,
            part: Part::parse(&stored.part).ok_or_else(|| corrupt(&format!("part `{}`", stored.part)))?,
            totals: VoteCounts {
                yes: count(stored.yes)?,
                no: count(stored.no)?,
                abstain: count(stored.abstain)?,
                non_voting: stored.non_voting.map(count).transpose()?,
            },
            issues: stored.issues.split_whitespace().map(str::to_string).collect(),
            line: u64::try_from(stored.origin_line).unwrap_or(0),
            votes,
        };
        Ok((roll_call, stored.origin_file))
    }
}

fn count(n: i64) -> Result<u32> {
    u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("vote count {n}")))
}

/// A `roll_calls` row as stored, in the order of [`READ_COLUMNS`].
#[derive(Debug, serde::Deserialize)]
pub(crate) struct StoredRollCall {
    dataset: String,
    record: String,
    symbol: Option<String>,
    symbol_text: String,
    body: String,
    session: Option<i64>,
    date: Option<String>,
    year: i64,
    title: String,
    part: String,
    yes: i64,
    no: i64,
    abstain: i64,
    non_voting: Option<i64>,
    issues: String,
    origin_file: String,
    origin_line: i64,
    #[serde(deserialize_with = "from_hex")]
    votes: Vec<u8>,
}

impl StoredRollCall {
    pub(crate) fn from_row<R>(row: &R) -> Result<StoredRollCall>
    where
        R: Row,
        for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        for<'r> Vec<u8>: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
        &'static str: sqlx::ColumnIndex<R>,
    {
        const T: &str = "roll_calls";
        Ok(StoredRollCall {
            dataset: column(row, T, "dataset")?,
            record: column(row, T, "record")?,
            symbol: column(row, T, "symbol")?,
            symbol_text: column(row, T, "symbol_text")?,
            body: column(row, T, "body")?,
            session: column(row, T, "session")?,
            date: column(row, T, "date")?,
            year: column(row, T, "year")?,
            title: column(row, T, "title")?,
            part: column(row, T, "part")?,
            yes: column(row, T, "yes")?,
            no: column(row, T, "no")?,
            abstain: column(row, T, "abstain")?,
            non_voting: column(row, T, "non_voting")?,
            issues: column(row, T, "issues")?,
            origin_file: column(row, T, "origin_file")?,
            origin_line: column(row, T, "origin_line")?,
            votes: column(row, T, "votes")?,
        })
    }
}

impl StoredRollCall {
    /// The row as one line of JSON, for [`DatasetStatus::digest`].
    fn digest_line(&self) -> String {
        let votes: String = self.votes.iter().map(|b| format!("{b:02x}")).collect();
        serde_json::json!([
            self.dataset,
            self.record,
            self.symbol,
            self.symbol_text,
            self.body,
            self.session,
            self.date,
            self.year,
            self.title,
            self.part,
            self.yes,
            self.no,
            self.abstain,
            self.non_voting,
            self.issues,
            self.origin_file,
            self.origin_line,
            votes,
        ])
        .to_string()
    }
}

/// The votes BLOB as SQLite's `hex()` spells it.
fn from_hex<'de, D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Vec<u8>, D::Error> {
    let text = <String as serde::Deserialize>::deserialize(deserializer)?;
    let digit = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'A'..=b'F' => Some(b - b'A' + 10),
        b'a'..=b'f' => Some(b - b'a' + 10),
        _ => None,
    };
    text.as_bytes()
        .chunks(2)
        .map(|pair| match pair {
            [high, low] => Some(digit(*high)? << 4 | digit(*low)?),
            _ => None,
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(|| serde::de::Error::custom("votes are not hexadecimal"))
}

/// Adds to document records the claims their imported roll calls support, and, when one
/// document is asked for by id, makes a record for a voted resolution the knowledge base
/// does not hold. The claims are derived on every read, so they always match the
/// imported data.
///
/// For each dataset that has a vote adopting the resolution, its `modality`, `votes` and
/// `voted_no` claims come first in the record (so the imported data supplies the values
/// shown); a knowledge-base claim saying the same from the same source stands in for the
/// derived one, keeping its file, line and note. `title` and `adopted_on` are added only
/// where no source gives them.
pub(crate) fn attach_dataset_claims(
    datasets: Vec<(String, String)>,
    roll_calls: Vec<StoredRollCall>,
    only: Option<&str>,
    records: &mut Vec<Record>,
) -> Result<()> {
    let columns = StateColumns::from_rows(datasets)?;
    if columns.maps.is_empty() {
        return Ok(());
    }
    let mut by_symbol: HashMap<String, Vec<(RollCall, String)>> = HashMap::new();
    for row in roll_calls {
        let (roll_call, origin) = columns.decode(row)?;
        if let Some(symbol) = &roll_call.symbol {
            by_symbol.entry(symbol.to_string()).or_default().push((roll_call, origin));
        }
    }
    let mut symbols: Vec<String> = by_symbol.keys().cloned().collect();
    symbols.sort();
    for symbol in symbols {
        let list = &by_symbol[&symbol];
        let position = match records.iter().position(|r| r.id == symbol) {
            Some(position) => position,
            None if only.is_some() => {
                let (first, origin) = &list[0];
                records.push(Record {
                    kind: RecordKind::Document,
                    id: symbol.clone(),
                    origin: Origin { file: origin.clone(), line: u32::try_from(first.line).unwrap_or(u32::MAX) },
                    claims: Vec::new(),
                    items: Vec::new(),
                    paragraphs: Vec::new(),
                });
                records.len() - 1
            }
            None => continue,
        };
        let record = &mut records[position];
        let mut front: Vec<Claim> = Vec::new();
        let mut description: Vec<Claim> = Vec::new();
        for dataset in Dataset::ALL {
            let candidates: Vec<&RollCall> =
                list.iter().filter(|(r, _)| r.dataset == dataset).map(|(r, _)| r).collect();
            let Some(adopted) = adoption_vote(&candidates) else { continue };
            let origin = list.iter().find(|(r, _)| std::ptr::eq(r, adopted)).map_or("", |(_, o)| o.as_str());
            let derived = normwatch_votes::claims::document_claims(adopted, origin);
            for claim in derived.vote {
                let same = record
                    .claims
                    .iter()
                    .position(|c| c.field == claim.field && c.source == claim.source && c.value == claim.value);
                match same {
                    Some(at) => front.push(record.claims.remove(at)),
                    None => front.push(claim),
                }
            }
            for claim in derived.description {
                let given = record.claims.iter().chain(&description).any(|c| c.field == claim.field);
                if !given {
                    description.push(claim);
                }
            }
        }
        front.append(&mut record.claims);
        front.append(&mut description);
        record.claims = front;
    }
    Ok(())
}

impl Store {
    /// Every imported file's SHA-256 with its dataset, without hashing any roll call:
    /// to leave out a file that is already imported.
    pub async fn imported_file_hashes(&self) -> Result<Vec<(Dataset, String)>> {
        let rows: Vec<(String, String)> = with_pool!(self, |pool, Db| {
            sqlx::query("SELECT dataset, sha256 FROM imports ORDER BY dataset, path")
                .fetch_all(pool)
                .await?
                .iter()
                .map(|row| Ok((column(row, "imports", "dataset")?, column(row, "imports", "sha256")?)))
                .collect::<Result<Vec<(String, String)>>>()?
        });
        rows.into_iter().map(|(dataset, sha256)| Ok((parse_dataset(&dataset)?, sha256))).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use normwatch_core::Iso3;
    use normwatch_core::domain::VoteValue;
    use normwatch_core::kb::{FactValue, KbFile, load};
    use normwatch_core::view::DocumentView;
    use normwatch_votes::Input;
    use normwatch_votes::formats::read_unvotes;

    use crate::testing::{self, TestDb, databases};

    const ROLL_CALLS: &str = "rcid,session,importantvote,date,unres,amend,para,short,descr\n\
        4618,60,0,2005-12-08,R/60/45,,,ICT,\"Developments in the field of information and telecommunications in the context of international security : resolution / adopted by the General Assembl\"\n\
        4619,60,0,2005-12-08,R/60/99,,,Other,Another resolution\n";
    const VOTES: &str = "rcid,country,country_code,vote\n4618,United States,US,no\n4618,Russia,RU,yes\n4618,China,CN,yes\n4619,Canada,CA,abstain\n";
    const SOURCES: &str = "[[source]]\nid = \"unvotes\"\nkind = \"dataset\"\ncitation = \"Voeten\"\n\n[[source]]\nid = \"maurer2011\"\nkind = \"seed\"\nfile = \"001.txt\"\ncitation = \"Maurer\"\n";
    const DOC: &str = "[[document]]\nsymbol = \"A/RES/60/45\"\n[[document.fact]]\nsource = \"maurer2011 §II.1.1\"\ntitle = \"Developments\"\nmodality = \"recorded_vote\"\nvoted_no = [\"USA\"]\n[[document.fact]]\nsource = \"unvotes rcid=4618\"\nvotes = { yes = 2, no = 1, abstain = 0 }\nnote = \"checked by hand\"\n";

    fn table(votes: &str) -> VoteTable {
        read_unvotes(
            Input::new("un_roll_calls.csv", ROLL_CALLS.as_bytes()),
            Input::new("un_votes.csv", votes.as_bytes()),
            None::<Input<&[u8]>>,
        )
        .unwrap()
        .table
    }

    /// A database of each backend, with the knowledge base of [`DOC`].
    async fn stores() -> Vec<TestDb> {
        let kb = load(&[
            KbFile { path: "sources.toml".into(), text: SOURCES.into() },
            KbFile { path: "documents/a.toml".into(), text: DOC.into() },
        ])
        .unwrap();
        let mut all = databases().await;
        for db in &all {
            db.store.load_kb(&kb, "test").await.unwrap();
        }
        all.shrink_to_fit();
        all
    }

    fn file(rows: u64) -> Vec<ImportedFile> {
        vec![ImportedFile { path: "un_votes.csv".into(), sha256: "00".into(), rows }]
    }

    /// A reader during an import sees the state before it until it commits, then all of it.
    #[tokio::test]
    async fn readers_during_an_import_see_the_old_state_until_the_commit() {
        for db in stores().await {
            let store = &db.store;
            let symbol = Symbol::parse("A/RES/60/99").unwrap();
            let mut import = store.begin_votes_import().await.unwrap();
            import.start(Dataset::Unvotes).await.unwrap();
            let votes = table(VOTES);
            import.insert(Dataset::Unvotes, "un_roll_calls.csv", &votes.roll_calls).await.unwrap();
            import.end(&votes, &file(4)).await.unwrap();
            assert_eq!(store.document(&symbol).await.unwrap(), None, "{}", db.name());
            assert!(store.vote_imports().await.unwrap().is_empty());
            assert!(store.vote_tables(&Scope::default()).await.unwrap().is_empty());
            let revision = store.revision().await.unwrap();
            import.commit().await.unwrap();
            assert_eq!(store.revision().await.unwrap(), revision + 1);
            assert!(store.document(&symbol).await.unwrap().is_some(), "{}", db.name());
            assert_eq!(store.vote_tables(&Scope::default()).await.unwrap()[0].roll_calls.len(), 2);
            db.finish().await;
        }
    }

    #[test]
    fn the_adoption_queries_read_the_columns_of_a_stored_roll_call() {
        for sql in ADOPTIONS {
            assert!(sql.starts_with(&format!("SELECT {READ_COLUMNS}\n")), "{sql}");
        }
    }

    #[tokio::test]
    async fn imported_votes_reach_the_document_view() {
        for db in stores().await {
            let store = &db.store;
            store.import_votes(&[(table(VOTES), file(4))]).await.unwrap();
            let symbol = Symbol::parse("A/RES/60/45").unwrap();
            let view = store.document(&symbol).await.unwrap().unwrap();
            assert_eq!(view.votes, Some(VoteCounts { yes: 2, no: 1, abstain: 0, non_voting: None }));
            assert_eq!(view.voted_no, vec![Iso3::parse("USA").unwrap()]);
            assert_eq!(view.title.as_deref(), Some("Developments"), "the knowledge base's title stands");
            assert!(view.conflicts.is_empty(), "{:?}", view.conflicts);
            // The knowledge base's identical claim stands in for the derived one, note and all.
            let votes: Vec<_> = view.sources.iter().filter(|s| s.field == "votes").collect();
            assert_eq!(votes.len(), 1);
            assert_eq!(votes[0].note.as_deref(), Some("checked by hand"));
            assert!(
                view.sources
                    .iter()
                    .any(|s| s.field == "voted_no" && s.source.to_string() == "unvotes rcid=4618" && s.shown)
            );

            // A voted resolution the knowledge base lacks still resolves, with the dataset's title.
            let other = store.document(&Symbol::parse("R/60/99").unwrap()).await.unwrap().unwrap();
            assert_eq!(other.title.as_deref(), Some("Other"));
            assert_eq!(other.modality, Some(normwatch_core::domain::Modality::RecordedVote));
            assert_eq!(other.votes.map(|v| v.abstain), Some(1));
            assert!(other.adopted_on.is_some());
            // …but it does not join the knowledge base's listings.
            assert_eq!(store.ids(RecordKind::Document).await.unwrap(), ["A/RES/60/45"]);
            let all = store.records(RecordKind::Document).await.unwrap();
            assert_eq!(all.len(), 1);
            assert!(DocumentView::resolve(&all[0]).unwrap().votes.is_some());
            assert!(store.check().await.unwrap().is_ok(), "{}", db.name());
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn a_dataset_disagreeing_with_the_knowledge_base_is_a_conflict_it_wins() {
        for db in stores().await {
            let store = &db.store;
            let changed = VOTES.replace("4618,China,CN,yes", "4618,China,CN,no");
            store.import_votes(&[(table(&changed), file(4))]).await.unwrap();
            let view = store.document(&Symbol::parse("A/RES/60/45").unwrap()).await.unwrap().unwrap();
            assert_eq!(view.votes.map(|v| v.no), Some(2), "the imported data is shown first");
            let fields: Vec<&str> = view.conflicts.iter().map(|c| c.field.as_str()).collect();
            assert!(fields.contains(&"votes") && fields.contains(&"voted_no"), "{fields:?}");
            let no: Vec<Iso3> = view.voted_no.clone();
            assert_eq!(no, vec![Iso3::parse("CHN").unwrap(), Iso3::parse("USA").unwrap()]);
            assert!(matches!(
                view.sources.iter().find(|s| s.field == "voted_no").map(|s| &s.value),
                Some(FactValue::States(states)) if states.len() == 2
            ));
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn reimporting_replaces_and_a_failed_import_changes_nothing() {
        for db in stores().await {
            let store = &db.store;
            let first = store.import_votes(&[(table(VOTES), file(4))]).await.unwrap();
            assert!(!first[0].replaced);
            let before = store.vote_imports().await.unwrap();
            let again = store.import_votes(&[(table(VOTES), file(4))]).await.unwrap();
            assert!(again[0].replaced);
            let after = store.vote_imports().await.unwrap();
            assert_eq!(before[0].digest, after[0].digest);
            assert_eq!(after[0].roll_calls, 2);
            let tables = store.vote_tables(&Scope::default()).await.unwrap();
            assert_eq!(tables.len(), 1);
            assert_eq!(tables[0].roll_calls, table(VOTES).roll_calls);
            let scope =
                Scope { symbols: Some(vec![Symbol::parse("A/RES/60/99").unwrap()]), issue: None, ..Scope::default() };
            let only = store.vote_tables(&scope).await.unwrap();
            assert_eq!(only[0].roll_calls.len(), 1);
            assert_eq!(only[0].roll_calls[0].record, "4619");
            let latest = store.vote_latest().await.unwrap();
            assert_eq!(latest, vec![(Dataset::Unvotes, (2005, "2005-12-08".parse().ok()))]);
            let rc = &store.roll_calls_for(&Symbol::parse("A/RES/60/45").unwrap()).await.unwrap()[0];
            assert_eq!(rc.vote(Iso3::parse("USA").unwrap()), Some(VoteValue::No));

            // A row the database refuses (a dataset id the schema does not know is impossible
            // through the types, so break the schema's other rule: a duplicate record).
            let mut twice = table(VOTES);
            twice.roll_calls.push(twice.roll_calls[0].clone());
            assert!(store.import_votes(&[(twice, file(4))]).await.is_err());
            let unchanged = store.vote_imports().await.unwrap();
            assert_eq!(unchanged, after, "{}", db.name());
            // A failure at the very end (the revision row is gone) leaves nothing either.
            store.execute_raw("DELETE FROM revision").await;
            let mut other = table(VOTES);
            other.roll_calls.pop();
            assert!(store.import_votes(&[(other, file(3))]).await.is_err());
            assert_eq!(store.vote_imports().await.unwrap(), after, "{}", db.name());
            store.execute_raw("INSERT INTO revision (id, value) VALUES (1, 1)").await;
            // The check sees a dataset that lost roll calls behind its back.
            assert!(store.check().await.unwrap().is_ok());
            store.execute_raw("DELETE FROM roll_calls WHERE record = '4619'").await;
            let report = store.check().await.unwrap();
            assert_eq!(report.problems, ["1 voting datasets hold another number of roll calls than they recorded"]);
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn the_revision_moves_with_each_import_and_not_with_reads_or_rollbacks() {
        for db in stores().await {
            let store = &db.store;
            let loaded = store.revision().await.unwrap();
            store.import_votes(&[(table(VOTES), file(4))]).await.unwrap();
            assert_eq!(store.revision().await.unwrap(), loaded + 1);
            store.vote_tables(&Scope::default()).await.unwrap();
            store.roll_calls_for(&Symbol::parse("A/RES/60/45").unwrap()).await.unwrap();
            store.vote_imports().await.unwrap();
            store.vote_latest().await.unwrap();
            store.document(&Symbol::parse("A/RES/60/45").unwrap()).await.unwrap();
            assert_eq!(store.revision().await.unwrap(), loaded + 1, "reads do not move it");
            // An import that fails, and one dropped before its commit, roll back whole.
            let mut twice = table(VOTES);
            twice.roll_calls.push(twice.roll_calls[0].clone());
            assert!(store.import_votes(&[(twice, file(4))]).await.is_err());
            let mut dropped = store.begin_votes_import().await.unwrap();
            dropped.start(Dataset::Unvotes).await.unwrap();
            dropped.insert(Dataset::Unvotes, "un_roll_calls.csv", &table(VOTES).roll_calls).await.unwrap();
            drop(dropped);
            assert_eq!(store.revision().await.unwrap(), loaded + 1, "a rolled-back import does not move it");
            store.import_votes(&[(table(VOTES), file(4))]).await.unwrap();
            assert_eq!(store.revision().await.unwrap(), loaded + 2, "{}", db.name());
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn a_wrong_typed_roll_call_is_an_error_naming_its_column() {
        // SQLite only: PostgreSQL refuses a value of the wrong type.
        let db = testing::sqlite().await;
        let store = &db.store;
        store
            .load_kb(
                &load(&[
                    KbFile { path: "sources.toml".into(), text: SOURCES.into() },
                    KbFile { path: "documents/a.toml".into(), text: DOC.into() },
                ])
                .unwrap(),
                "test",
            )
            .await
            .unwrap();
        store.import_votes(&[(table(VOTES), file(4))]).await.unwrap();
        store.execute_raw("UPDATE roll_calls SET year = 'nineteen' WHERE record = '4618'").await;
        let error = store.roll_calls_for(&Symbol::parse("A/RES/60/45").unwrap()).await.unwrap_err();
        assert!(matches!(error, StoreError::Column { table: "roll_calls", column: "year", .. }), "{error:?}");
        let error = store.vote_tables(&Scope::default()).await.unwrap_err();
        assert!(matches!(error, StoreError::Column { table: "roll_calls", .. }), "{error:?}");
        let error = store.document(&Symbol::parse("A/RES/60/45").unwrap()).await.unwrap_err();
        assert!(matches!(error, StoreError::Column { table: "roll_calls", column: "year", .. }), "{error:?}");
        store.execute_raw("UPDATE imports SET rows = 'four'").await;
        let error = store.vote_imports().await.unwrap_err();
        assert!(matches!(error, StoreError::Column { table: "imports", column: "rows", .. }), "{error:?}");
    }

    #[tokio::test]
    async fn stored_votes_follow_their_states_when_the_table_changes_order() {
        for db in stores().await {
            let store = &db.store;
            store.import_votes(&[(table(VOTES), file(4))]).await.unwrap();
            // Simulate a state table that listed the states in another order when importing.
            let table = states();
            let reversed: Vec<&str> = (0..table.len()).rev().map(|c| table.info(c).iso3.as_str()).collect();
            with_pool!(store, |pool, Db| {
                sqlx::query("UPDATE vote_datasets SET states = $1")
                    .bind(reversed.join(","))
                    .execute(pool)
                    .await
                    .unwrap();
                let blob: Vec<u8> = sqlx::query_scalar("SELECT votes FROM roll_calls WHERE record = '4618'")
                    .fetch_one(pool)
                    .await
                    .unwrap();
                let flipped: Vec<u8> = blob.iter().rev().copied().collect();
                sqlx::query("UPDATE roll_calls SET votes = $1 WHERE record = '4618'")
                    .bind(flipped)
                    .execute(pool)
                    .await
                    .unwrap();
            });
            let rc = &store.roll_calls_for(&Symbol::parse("A/RES/60/45").unwrap()).await.unwrap()[0];
            assert_eq!(rc.vote(Iso3::parse("USA").unwrap()), Some(VoteValue::No));
            assert_eq!(rc.vote(Iso3::parse("CHN").unwrap()), Some(VoteValue::Yes), "{}", db.name());
            db.finish().await;
        }
    }
}
