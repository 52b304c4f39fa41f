//! The normwatch database: an SQLite file holding the knowledge base (sourced claims, in the
//! one layer `kb` that loading replaces whole) and the imported roll-call votes (their own
//! tables, one dataset per import; the claims documents get from them are derived when
//! read, never stored as a layer).
//!
//! Every row is read with `try_get` ([`column`]): a foreign or hand-edited database file
//! gives a [`StoreError`] naming the table and column, never a panic. Every write
//! transaction bumps the [`Store::revision`].
//!
//! The store knows SQL and nothing about HTTP or the command line. It hands out core
//! types ([`Record`], [`DocumentView`]); resolving claims into views stays in the core.

pub mod kb_files;
pub mod search;

use std::path::{Path, PathBuf};
use std::str::FromStr;

use normwatch_core::Symbol;
use normwatch_core::domain::{OperativeVerb, ParagraphPart};
use normwatch_core::kb::{Claim, FactValue, Item, Kb, Origin, Paragraph, Record, RecordKind, SourceInfo, SourceKind};
use normwatch_core::state::{StateRegistry, StateRow};
use normwatch_core::view::DocumentView;
use sqlx::sqlite::SqliteRow;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

pub mod votes;

/// The layer the reviewed knowledge-base files load into.
pub const KB_LAYER: &str = "kb";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "cannot open the database at {path}: {reason}. Check that the folder exists and is writable, or choose another file with --db PATH"
    )]
    Open { path: PathBuf, reason: String },
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
}

/// A column of a row, or an error naming the table and the column: SQLite stores any value
/// in any column, so a foreign or hand-edited file may hold a text where a number belongs.
pub(crate) fn column<'r, T>(row: &'r SqliteRow, table: &'static str, name: &'static str) -> Result<T>
where
    T: sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
{
    row.try_get(name).map_err(|e| StoreError::Column { table, column: name, reason: e.to_string() })
}

/// Bumps the store revision inside a write transaction (see [`Store::revision`]).
pub(crate) async fn bump_revision(tx: &mut sqlx::SqliteConnection) -> Result<()> {
    let changed = sqlx::query("UPDATE revision SET value = value + 1").execute(&mut *tx).await?.rows_affected();
    if changed != 1 {
        return Err(StoreError::Corrupt(format!("the revision table has {changed} rows where it has one")));
    }
    Ok(())
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

#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
    path: PathBuf,
}

impl Store {
    /// Opens (creating if needed) the database file and brings its schema up to date.
    pub async fn open(path: &Path) -> Result<Store> {
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
        Ok(Store { pool, path: path.to_path_buf() })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    pub async fn meta(&self, key: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM meta WHERE key = ?").bind(key).fetch_optional(&self.pool).await?;
        row.map(|r| column(&r, "meta", "value")).transpose()
    }

    /// The store revision: a counter that every write transaction (a knowledge-base load, a
    /// vote import) bumps and no read moves; one row read, a key for caches of derived data.
    /// Two database files may be at the same revision: key caches by the file as well.
    pub async fn revision(&self) -> Result<u64> {
        let row = sqlx::query("SELECT value FROM revision").fetch_one(&self.pool).await?;
        let value: i64 = column(&row, "revision", "value")?;
        u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("revision {value}")))
    }

    /// A key for caches of derived data, as text: this database file's id (made when its
    /// schema was created) and its [`Store::revision`], `ID:REVISION`. Unlike the revision
    /// alone it does not repeat when a file is deleted and made anew at the same path.
    pub async fn data_version(&self) -> Result<String> {
        let id = self.meta("database_id").await?.unwrap_or_default();
        Ok(format!("{id}:{}", self.revision().await?))
    }

    /// The fingerprint of the knowledge base last loaded, if any.
    pub async fn kb_fingerprint(&self) -> Result<Option<String>> {
        self.meta("kb_fingerprint").await
    }

    /// Replaces the `kb` layer with this knowledge base, in one transaction: a failure
    /// leaves the previous knowledge base in place.
    pub async fn load_kb(&self, kb: &Kb, fingerprint: &str) -> Result<LoadSummary> {
        let mut tx = self.pool.begin().await?;
        for table in ["records", "claims", "items", "paragraphs"] {
            sqlx::query(&format!("DELETE FROM {table} WHERE layer = ?")).bind(KB_LAYER).execute(&mut *tx).await?;
        }
        sqlx::query("DELETE FROM sources").execute(&mut *tx).await?;
        sqlx::query("DELETE FROM states").execute(&mut *tx).await?;
        for (position, row) in kb.states.rows().iter().enumerate() {
            sqlx::query(
                "INSERT INTO states (position, iso3, iso2, name, aliases, regional_group, member_from, member_to, successor, source, notes)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
            sqlx::query("INSERT INTO sources (id, kind, file, citation) VALUES (?, ?, ?, ?)")
                .bind(&source.id)
                .bind(source_kind_text(source.kind))
                .bind(&source.file)
                .bind(&source.citation)
                .execute(&mut *tx)
                .await?;
        }
        let mut summary = LoadSummary { records: 0, claims: 0, items: 0, sources: kb.sources.len() };
        for record in &kb.records {
            insert_record(&mut tx, record, KB_LAYER).await?;
            summary.records += 1;
            summary.claims += record.claims.len();
            summary.items += record.items.len();
        }
        search::rebuild(&mut tx).await?;
        sqlx::query("INSERT INTO meta (key, value) VALUES ('kb_fingerprint', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(fingerprint)
            .execute(&mut *tx)
            .await?;
        bump_revision(&mut tx).await?;
        tx.commit().await?;
        Ok(summary)
    }

    pub async fn sources(&self) -> Result<Vec<SourceInfo>> {
        let rows =
            sqlx::query("SELECT id, kind, file, citation FROM sources ORDER BY id").fetch_all(&self.pool).await?;
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
    }

    /// The state table of the knowledge base last loaded (its `states.csv`), or `None` when
    /// none has been loaded since the database learnt to keep one (load the knowledge base
    /// again).
    pub async fn states(&self) -> Result<Option<StateRegistry>> {
        let rows = sqlx::query(
            "SELECT iso3, iso2, name, aliases, regional_group, member_from, member_to, successor, source, notes
             FROM states ORDER BY position",
        )
        .fetch_all(&self.pool)
        .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        const T: &str = "states";
        let rows = rows
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
            .collect::<Result<Vec<_>>>()?;
        StateRegistry::from_rows(rows).map(Some).map_err(|e| StoreError::Corrupt(format!("the stored {e}")))
    }

    /// The ids of every record of a kind, sorted.
    pub async fn ids(&self, kind: RecordKind) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT DISTINCT id FROM records WHERE kind = ? ORDER BY id")
            .bind(kind.as_str())
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| column(r, "records", "id")).collect()
    }

    /// A record with the claims of every layer, or `None` if no layer has it.
    pub async fn record(&self, kind: RecordKind, id: &str) -> Result<Option<Record>> {
        Ok(self.load_records(kind, Some(id)).await?.pop())
    }

    /// Loads records of a kind (one or all) with their claims, items and paragraphs, in
    /// four queries whatever their number.
    async fn load_records(&self, kind: RecordKind, only: Option<&str>) -> Result<Vec<Record>> {
        let filter = if only.is_some() { "AND id = ?" } else { "" };
        let fetch = |sql: String| fetch_rows(&self.pool, sql, kind, only);
        let origins = fetch(format!(
            "SELECT id, origin_file, origin_line FROM records WHERE kind = ? {filter} ORDER BY id, layer <> 'kb', layer"
        ))
        .await?;
        let mut records: Vec<Record> = Vec::new();
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

        for r in fetch(format!(
            "SELECT id, field, value, source, quote, note, origin_file, origin_line FROM claims WHERE kind = ? {filter} ORDER BY seq"
        ))
        .await?
        {
            const T: &str = "claims";
            let Some(&i) = index.get(&column::<String>(&r, T, "id")?) else { continue };
            records[i].claims.push(Claim {
                field: column(&r, T, "field")?,
                value: from_json(column(&r, T, "value")?)?,
                source: from_json(column(&r, T, "source")?)?,
                quote: column(&r, T, "quote")?,
                note: column(&r, T, "note")?,
                origin: origin_of(&r, T)?,
            });
        }
        for r in fetch(format!(
            "SELECT id, list, label, heading, text, paraphrase, count, source, origin_file, origin_line FROM items WHERE kind = ? {filter} ORDER BY seq"
        ))
        .await?
        {
            const T: &str = "items";
            let Some(&i) = index.get(&column::<String>(&r, T, "id")?) else { continue };
            records[i].items.push(Item {
                list: column(&r, T, "list")?,
                label: column(&r, T, "label")?,
                heading: column(&r, T, "heading")?,
                text: column(&r, T, "text")?,
                paraphrase: column::<i64>(&r, T, "paraphrase")? != 0,
                count: column(&r, T, "count")?,
                source: from_json(column(&r, T, "source")?)?,
                origin: origin_of(&r, T)?,
            });
        }
        for r in fetch(format!(
            "SELECT id, part, number, verb, verb_text, text, source, origin_file, origin_line FROM paragraphs WHERE kind = ? {filter} ORDER BY seq"
        ))
        .await?
        {
            const T: &str = "paragraphs";
            let Some(&i) = index.get(&column::<String>(&r, T, "id")?) else { continue };
            let part: String = column(&r, T, "part")?;
            let verb: Option<String> = column(&r, T, "verb")?;
            records[i].paragraphs.push(Paragraph {
                part: ParagraphPart::from_str(&part).map_err(|e| StoreError::Corrupt(e.to_string()))?,
                number: column(&r, T, "number")?,
                verb: verb.map(|v| OperativeVerb::from_str(&v)).transpose().map_err(|e| StoreError::Corrupt(e.to_string()))?,
                verb_text: column(&r, T, "verb_text")?,
                text: column(&r, T, "text")?,
                source: from_json(column(&r, T, "source")?)?,
                origin: origin_of(&r, T)?,
            });
        }
        if kind == RecordKind::Document {
            votes::attach_dataset_claims(&self.pool, only, &mut records).await?;
        }
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
            let n: i64 = sqlx::query_scalar(sql).fetch_one(&self.pool).await?;
            Ok::<i64, StoreError>(n)
        };
        let layers = sqlx::query("SELECT layer, COUNT(*) AS n FROM claims GROUP BY layer ORDER BY layer")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok((column(r, "claims", "layer")?, column(r, "claims", "n")?)))
            .collect::<Result<_>>()?;
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
        let rows = sqlx::query("SELECT DISTINCT id FROM claims WHERE kind = ? AND field = ? AND value = ? ORDER BY id")
            .bind(kind.as_str())
            .bind(field)
            .bind(json)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| column(r, "claims", "id")).collect()
    }

    /// Counts of claims by basis, over every layer.
    pub async fn claims_by_basis(&self) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query("SELECT basis, COUNT(*) AS n FROM claims GROUP BY basis ORDER BY basis")
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(|r| Ok((column(r, "claims", "basis")?, column(r, "claims", "n")?))).collect()
    }
}

/// Where a stored record, claim, item or paragraph was written.
fn origin_of(row: &SqliteRow, table: &'static str) -> Result<Origin> {
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

async fn fetch_rows(
    pool: &SqlitePool,
    sql: String,
    kind: RecordKind,
    only: Option<&str>,
) -> Result<Vec<sqlx::sqlite::SqliteRow>> {
    let mut query = sqlx::query(&sql).bind(kind.as_str());
    if let Some(id) = only {
        query = query.bind(id);
    }
    Ok(query.fetch_all(pool).await?)
}

async fn insert_record(tx: &mut sqlx::SqliteConnection, record: &Record, layer: &str) -> Result<()> {
    sqlx::query("INSERT INTO records (kind, id, layer, origin_file, origin_line) VALUES (?, ?, ?, ?, ?)")
        .bind(record.kind.as_str())
        .bind(&record.id)
        .bind(layer)
        .bind(&record.origin.file)
        .bind(i64::from(record.origin.line))
        .execute(&mut *tx)
        .await?;
    for claim in &record.claims {
        insert_claim(tx, record.kind, &record.id, layer, claim).await?;
    }
    for item in &record.items {
        sqlx::query(
            "INSERT INTO items (kind, id, layer, list, label, heading, text, paraphrase, count, source, source_text, origin_file, origin_line)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
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
    Ok(())
}

/// Adds one claim of a record in a layer.
async fn insert_claim(
    tx: &mut sqlx::SqliteConnection,
    kind: RecordKind,
    id: &str,
    layer: &str,
    claim: &Claim,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO claims (kind, id, layer, field, value, source, source_text, basis, quote, note, origin_file, origin_line)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(kind.as_str())
    .bind(id)
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
    Ok(())
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
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("nested/normwatch.sqlite")).await.unwrap();
        let kb = kb(DOC);
        let summary = store.load_kb(&kb, "one").await.unwrap();
        assert_eq!(summary, LoadSummary { records: 1, claims: 2, items: 1, sources: 1 });
        let back = store.record(RecordKind::Document, "A/RES/53/70").await.unwrap().unwrap();
        assert_eq!(&back, &kb.records[0]);
        assert_eq!(store.kb_fingerprint().await.unwrap().as_deref(), Some("one"));

        // Reloading replaces the layer instead of adding to it.
        store.load_kb(&kb, "two").await.unwrap();
        let again = store.record(RecordKind::Document, "A/RES/53/70").await.unwrap().unwrap();
        assert_eq!(again.claims.len(), 2);
        let view = store.document(&Symbol::parse("A/RES/53/70").unwrap()).await.unwrap().unwrap();
        assert_eq!(view.conflicts.len(), 1);
        assert_eq!(store.ids(RecordKind::Document).await.unwrap(), ["A/RES/53/70"]);
    }

    #[tokio::test]
    async fn the_revision_moves_with_each_load_and_not_with_reads() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
        assert_eq!(store.revision().await.unwrap(), 0);
        store.load_kb(&kb(DOC), "one").await.unwrap();
        assert_eq!(store.revision().await.unwrap(), 1);
        store.record(RecordKind::Document, "A/RES/53/70").await.unwrap();
        store.records(RecordKind::Document).await.unwrap();
        store.stats().await.unwrap();
        store.sources().await.unwrap();
        store.search("element", None).await.unwrap();
        store.find_document("A/RES/53/70").await.unwrap().unwrap();
        assert_eq!(store.revision().await.unwrap(), 1, "reads do not move it");
        let version = store.data_version().await.unwrap();
        assert!(version.ends_with(":1") && version.len() == 34, "{version}");
        let other = Store::open(&dir.path().join("other.sqlite")).await.unwrap();
        assert_ne!(other.data_version().await.unwrap()[..32], version[..32], "each file has its own id");
        store.load_kb(&kb(DOC), "one").await.unwrap();
        assert_eq!(store.revision().await.unwrap(), 2, "a reload of the same files is a write");
        // A load that fails leaves the revision where it was.
        sqlx::query("CREATE TRIGGER refuse BEFORE INSERT ON items BEGIN SELECT RAISE(ABORT, 'refused'); END")
            .execute(store.pool())
            .await
            .unwrap();
        assert!(store.load_kb(&kb(DOC), "two").await.is_err());
        assert_eq!(store.revision().await.unwrap(), 2);
        assert_eq!(store.kb_fingerprint().await.unwrap().as_deref(), Some("one"));
    }

    /// A foreign or hand-edited file: a value of the wrong type is an error that names the
    /// table and the column, not a panic.
    #[tokio::test]
    async fn a_wrong_typed_value_is_an_error_naming_its_column() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
        store.load_kb(&kb(DOC), "one").await.unwrap();
        sqlx::query("UPDATE records SET origin_line = 'line one'").execute(store.pool()).await.unwrap();
        let error = store.record(RecordKind::Document, "A/RES/53/70").await.unwrap_err();
        assert!(matches!(error, StoreError::Column { table: "records", column: "origin_line", .. }), "{error:?}");
        assert!(error.to_string().contains("records.origin_line"), "{error}");
        sqlx::query("UPDATE records SET origin_line = 1").execute(store.pool()).await.unwrap();
        sqlx::query("UPDATE items SET paraphrase = 'yes'").execute(store.pool()).await.unwrap();
        let error = store.records(RecordKind::Document).await.unwrap_err();
        assert!(matches!(error, StoreError::Column { table: "items", column: "paraphrase", .. }), "{error:?}");
        sqlx::query("UPDATE sources SET citation = X'00FF'").execute(store.pool()).await.unwrap();
        let error = store.sources().await.unwrap_err();
        assert!(matches!(error, StoreError::Column { table: "sources", column: "citation", .. }), "{error:?}");
        sqlx::query("UPDATE revision SET value = 'many'").execute(store.pool()).await.unwrap();
        let error = store.revision().await.unwrap_err();
        assert!(matches!(error, StoreError::Column { table: "revision", column: "value", .. }), "{error:?}");
    }

    /// The knowledge base's state table is stored with it, in the same transaction.
    #[tokio::test]
    async fn the_state_table_is_stored_with_the_knowledge_base() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
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
        sqlx::query("CREATE TRIGGER refuse BEFORE INSERT ON items BEGIN SELECT RAISE(ABORT, 'refused'); END")
            .execute(store.pool())
            .await
            .unwrap();
        let smaller = files(&format!("{header}RUS,RU,Russian Federation,,EEG,1945-10-24,,,maurer2011,\n"));
        assert!(store.load_kb(&smaller, "two").await.is_err());
        assert_eq!(store.states().await.unwrap().unwrap().all().len(), 2);
        sqlx::query("DROP TRIGGER refuse").execute(store.pool()).await.unwrap();
        store.load_kb(&smaller, "two").await.unwrap();
        assert_eq!(store.states().await.unwrap().unwrap().all().len(), 1);
    }

    /// The knowledge base as shipped loads, with its state table.
    #[tokio::test]
    async fn the_embedded_knowledge_base_loads_with_its_states() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
        let kb = load(&kb_files::embedded()).unwrap_or_else(|e| panic!("{e}"));
        store.load_kb(&kb, "embedded").await.unwrap();
        let stored = store.states().await.unwrap().unwrap();
        assert_eq!(stored.rows(), normwatch_core::state::StateRegistry::global().rows());
    }

    #[tokio::test]
    async fn the_database_is_a_wal_mode_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("db.sqlite");
        let store = Store::open(&path).await.unwrap();
        let mode: String = sqlx::query_scalar("PRAGMA journal_mode").fetch_one(store.pool()).await.unwrap();
        assert_eq!(mode, "wal");
        assert!(path.is_file());
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
