//! The UN General Debate Corpus in the database: the speeches (state, session, year, word
//! count, text, where each was read from) and the corpus's inverted index (one row per term,
//! its postings one blob in `normwatch-text`'s encoding), written together by one import in
//! one transaction and read back for counting ([`Store::speech_metas`],
//! [`Store::speech_postings`]), keyword-in-context ([`Store::speech_texts`]), the speech
//! page ([`Store::speech`]) and the search index ([`Store::speech_count`],
//! [`Store::speeches_after`]).
//!
//! A speech's `doc` is its document number in the postings: 0, 1, 2, … in the order the
//! import added it. An import replaces every speech, source and term, so the two tables
//! always describe the same collection.

use normwatch_text::count::SpeechMeta;
use normwatch_text::index::PostingSet;
use normwatch_text::pattern::Pattern;
use sqlx::{Postgres, QueryBuilder, Sqlite, Transaction};

use crate::{Dialect, Pool, Result, Store, StoreError, column};

/// Speech rows per INSERT statement (9 parameters each).
const SPEECH_BATCH: usize = 200;
/// Term rows per INSERT statement (2 parameters each).
const TERM_BATCH: usize = 1000;
/// Documents per `IN (…)` list when reading texts.
const DOC_BATCH: usize = 500;

/// A speech to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSpeech {
    /// An ISO3 code of the state registry, or the corpus's own code for a speaker the
    /// registry does not know (`EU`).
    pub state: String,
    /// Whether `state` is a code of the state registry.
    pub resolved: bool,
    pub session: u16,
    pub year: u16,
    /// Number of tokens.
    pub words: u32,
    /// The normalised text.
    pub text: String,
    /// The entry's path in the archive, or the file's path.
    pub path: String,
    /// The archive or file it was read from (registered with [`SpeechImport::add_source`]).
    pub source: String,
}

/// A speech as the database holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSpeech {
    /// Its document number in the postings.
    pub doc: u32,
    pub state: String,
    pub resolved: bool,
    pub session: u16,
    pub year: u16,
    pub words: u32,
    pub text: String,
    pub path: String,
    pub source: String,
    /// The SHA-256 of the source's bytes.
    pub sha256: String,
}

/// A file a speech import read, with its SHA-256.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpeechSource {
    pub source: String,
    pub sha256: String,
    pub imported_at: String,
}

/// What a speech import stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpeechImportSummary {
    pub speeches: u64,
    pub terms: u64,
    /// Speeches the import replaced.
    pub replaced: u64,
}

/// A speech import under way: one transaction. Dropping it without
/// [`SpeechImport::finish`] rolls everything back.
pub struct SpeechImport {
    tx: Tx,
    now: String,
    next_doc: u32,
    replaced: u64,
}

enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs one body on the import's transaction, whichever backend it is (see `with_pool!`).
macro_rules! with_speech_tx {
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

impl Store {
    /// Starts an import that replaces every speech: the earlier speeches, their sources and
    /// terms are removed inside the transaction (seen by others only at the commit).
    pub async fn begin_speech_import(&self) -> Result<SpeechImport> {
        let mut tx = match &self.pool {
            Pool::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Pool::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        };
        let (now, replaced) = with_speech_tx!(tx, |conn, Db| {
            let now: String = sqlx::query_scalar(<Db as Dialect>::NOW).fetch_one(&mut *conn).await?;
            let replaced = sqlx::query("DELETE FROM speeches").execute(&mut *conn).await?.rows_affected();
            sqlx::query("DELETE FROM speech_terms").execute(&mut *conn).await?;
            sqlx::query("DELETE FROM speech_sources").execute(&mut *conn).await?;
            (now, replaced)
        });
        Ok(SpeechImport { tx, now, next_doc: 0, replaced })
    }

    /// How many speeches the database holds.
    pub async fn speech_count(&self) -> Result<u64> {
        let n: i64 =
            with_pool!(self, |pool, Db| sqlx::query_scalar("SELECT COUNT(*) FROM speeches").fetch_one(pool).await?);
        u64::try_from(n).map_err(|_| StoreError::Corrupt(format!("{n} speeches")))
    }

    /// What counting needs of every speech, in document order: the `i`-th entry is document
    /// `i` of the postings.
    pub async fn speech_metas(&self) -> Result<Vec<SpeechMeta>> {
        // One row packing every speech's fields: sqlx hands each row over from its worker
        // thread, and 10,952 rows cost more in those hand-overs than in the reading.
        let packed: Option<String> = match &self.pool {
            Pool::Sqlite(pool) => sqlx::query_scalar(crate::sqlite::SPEECH_METAS_PACKED).fetch_one(pool).await?,
            Pool::Postgres(pool) => sqlx::query_scalar(crate::postgres::SPEECH_METAS_PACKED).fetch_one(pool).await?,
        };
        unpack_metas(packed.as_deref().unwrap_or_default())
    }

    /// The postings of every term a pattern can match: for each element, the terms of its
    /// range (`normwatch_text::pattern::Element::term_range`).
    pub async fn speech_postings(&self, pattern: &Pattern) -> Result<PostingSet> {
        let mut terms: Vec<(String, Vec<u8>)> = Vec::new();
        for element in pattern.elements() {
            let (start, end) = element.term_range();
            let rows = with_pool!(self, |pool, Db| {
                let query = match (element, &end) {
                    (normwatch_text::pattern::Element::Word(_), _) => {
                        sqlx::query("SELECT term, postings FROM speech_terms WHERE term = $1").bind(start.clone())
                    }
                    (_, Some(end)) => {
                        sqlx::query("SELECT term, postings FROM speech_terms WHERE term >= $1 AND term < $2")
                            .bind(start.clone())
                            .bind(end.clone())
                    }
                    (_, None) => {
                        sqlx::query("SELECT term, postings FROM speech_terms WHERE term >= $1").bind(start.clone())
                    }
                };
                let rows = query.fetch_all(pool).await?;
                rows.iter()
                    .map(|r| Ok((column(r, "speech_terms", "term")?, column(r, "speech_terms", "postings")?)))
                    .collect::<Result<Vec<(String, Vec<u8>)>>>()?
            });
            terms.extend(rows);
        }
        Ok(PostingSet::new(terms))
    }

    /// The texts of some speeches, by document number, in document order (numbers the
    /// database does not hold are left out).
    pub async fn speech_texts(&self, docs: &[u32]) -> Result<Vec<(u32, String)>> {
        let mut wanted: Vec<u32> = docs.to_vec();
        wanted.sort_unstable();
        wanted.dedup();
        let mut out = Vec::with_capacity(wanted.len());
        for batch in wanted.chunks(DOC_BATCH) {
            let rows = with_pool!(self, |pool, Db| {
                let mut query: QueryBuilder<Db> = QueryBuilder::new("SELECT doc, text FROM speeches WHERE doc IN (");
                let mut list = query.separated(", ");
                for doc in batch {
                    list.push_bind(i64::from(*doc));
                }
                query.push(") ORDER BY doc");
                let rows = query.build().fetch_all(pool).await?;
                rows.iter()
                    .map(|r| Ok((doc_number(column(r, "speeches", "doc")?)?, column(r, "speeches", "text")?)))
                    .collect::<Result<Vec<(u32, String)>>>()?
            });
            out.extend(rows);
        }
        Ok(out)
    }

    /// Up to `limit` speeches with their texts, in document order, after document `after`
    /// (from the first when `None`): page through every speech with
    /// `after = Some(last.doc)` until a page comes back empty (what a search index built
    /// from the database reads).
    pub async fn speeches_after(&self, after: Option<u32>, limit: u32) -> Result<Vec<StoredSpeech>> {
        let from = after.map_or(-1, i64::from);
        let rows = with_pool!(self, |pool, Db| {
            let rows = sqlx::query(&format!("{SPEECH_SELECT} WHERE s.doc > $1 ORDER BY s.doc LIMIT $2"))
                .bind(from)
                .bind(i64::from(limit))
                .fetch_all(pool)
                .await?;
            rows.iter().map(stored_speech).collect::<Result<Vec<_>>>()?
        });
        Ok(rows)
    }

    /// The speech of a speaker (ISO3 or the corpus's code, any case) in a year, if held.
    pub async fn speech(&self, state: &str, year: u16) -> Result<Option<StoredSpeech>> {
        let state = state.to_ascii_uppercase();
        with_pool!(self, |pool, Db| {
            let row = sqlx::query(&format!("{SPEECH_SELECT} WHERE s.state = $1 AND s.year = $2 ORDER BY s.session"))
                .bind(state)
                .bind(i64::from(year))
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(stored_speech).transpose()
        })
    }

    /// The files the last speech import read, with their SHA-256.
    pub async fn speech_sources(&self) -> Result<Vec<SpeechSource>> {
        const T: &str = "speech_sources";
        with_pool!(self, |pool, Db| {
            let rows = sqlx::query("SELECT source, sha256, imported_at FROM speech_sources ORDER BY source")
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| {
                    Ok(SpeechSource {
                        source: column(r, T, "source")?,
                        sha256: column(r, T, "sha256")?,
                        imported_at: column(r, T, "imported_at")?,
                    })
                })
                .collect()
        })
    }
}

const SPEECH_SELECT: &str =
    "SELECT s.doc, s.state, s.resolved, s.session, s.year, s.words, s.text, s.path, s.source, c.sha256
     FROM speeches s JOIN speech_sources c ON c.source = s.source";

fn stored_speech<R>(row: &R) -> Result<StoredSpeech>
where
    R: sqlx::Row,
    for<'r> i64: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    for<'r> String: sqlx::Decode<'r, R::Database> + sqlx::Type<R::Database>,
    &'static str: sqlx::ColumnIndex<R>,
{
    const T: &str = "speeches";
    Ok(StoredSpeech {
        doc: doc_number(column(row, T, "doc")?)?,
        state: column(row, T, "state")?,
        resolved: column::<_, i64>(row, T, "resolved")? != 0,
        session: small(column(row, T, "session")?, "session")?,
        year: small(column(row, T, "year")?, "year")?,
        words: u32::try_from(column::<_, i64>(row, T, "words")?).map_err(|e| StoreError::Column {
            table: T,
            column: "words",
            reason: e.to_string(),
        })?,
        text: column(row, T, "text")?,
        path: column(row, T, "path")?,
        source: column(row, T, "source")?,
        sha256: column(row, "speech_sources", "sha256")?,
    })
}

/// The speeches' fields as the backends pack them: records separated by U+001E, fields
/// (doc, state, session, year, words) by U+001F; put in document order and checked to be
/// numbered without a gap.
fn unpack_metas(packed: &str) -> Result<Vec<SpeechMeta>> {
    let field_error = |column: &'static str, reason: String| StoreError::Column { table: "speeches", column, reason };
    let mut numbered = Vec::new();
    for record in packed.split('\u{1e}').filter(|r| !r.is_empty()) {
        let fields: Vec<&str> = record.split('\u{1f}').collect();
        let [doc, state, session, year, words] = fields[..] else {
            return Err(StoreError::Corrupt(format!("a speech's fields do not read: {record:?}")));
        };
        let number = |name: &'static str, text: &str| -> Result<i64> {
            text.parse::<i64>().map_err(|e| field_error(name, format!("`{text}`: {e}")))
        };
        let meta = SpeechMeta {
            state: state.to_string(),
            session: small(number("session", session)?, "session")?,
            year: small(number("year", year)?, "year")?,
            words: u32::try_from(number("words", words)?).map_err(|e| field_error("words", e.to_string()))?,
        };
        numbered.push((number("doc", doc)?, meta));
    }
    numbered.sort_by_key(|(doc, _)| *doc);
    let mut out = Vec::with_capacity(numbered.len());
    for (doc, meta) in numbered {
        if doc != out.len() as i64 {
            return Err(StoreError::Corrupt(format!(
                "the speeches are numbered with a gap: document {doc} where {} was due",
                out.len()
            )));
        }
        out.push(meta);
    }
    Ok(out)
}

fn small(value: i64, name: &'static str) -> Result<u16> {
    u16::try_from(value).map_err(|e| StoreError::Column { table: "speeches", column: name, reason: e.to_string() })
}

fn doc_number(value: i64) -> Result<u32> {
    u32::try_from(value).map_err(|e| StoreError::Column { table: "speeches", column: "doc", reason: e.to_string() })
}

impl SpeechImport {
    /// Registers a file the import reads (an archive, or one speech's file).
    pub async fn add_source(&mut self, source: &str, sha256: &str) -> Result<()> {
        let now = &self.now;
        with_speech_tx!(self.tx, |conn, Db| {
            sqlx::query("INSERT INTO speech_sources (source, sha256, imported_at) VALUES ($1, $2, $3)")
                .bind(source)
                .bind(sha256)
                .bind(now)
                .execute(&mut *conn)
                .await?;
        });
        Ok(())
    }

    /// Adds speeches, numbering them on from the last: the first gets the next document
    /// number, which is returned. The caller adds their texts to the index in the same
    /// order.
    pub async fn insert(&mut self, speeches: &[NewSpeech]) -> Result<u32> {
        let first = self.next_doc;
        for batch in speeches.chunks(SPEECH_BATCH) {
            let start = self.next_doc;
            with_speech_tx!(self.tx, |conn, Db| {
                let mut insert: QueryBuilder<Db> = QueryBuilder::new(
                    "INSERT INTO speeches (doc, state, resolved, session, year, words, text, path, source) ",
                );
                let mut doc = i64::from(start);
                insert.push_values(batch, |mut row, s| {
                    row.push_bind(doc)
                        .push_bind(&s.state)
                        .push_bind(i64::from(s.resolved))
                        .push_bind(i64::from(s.session))
                        .push_bind(i64::from(s.year))
                        .push_bind(i64::from(s.words))
                        .push_bind(&s.text)
                        .push_bind(&s.path)
                        .push_bind(&s.source);
                    doc += 1;
                });
                insert.build().execute(&mut *conn).await?;
            });
            self.next_doc += batch.len() as u32;
        }
        Ok(first)
    }

    /// Stores the index of the speeches added (terms and postings, as
    /// `normwatch_text::index::TermIndex::terms` gives them, built over `documents` texts in
    /// the order of [`SpeechImport::insert`]), checks that both describe the same
    /// collection, and commits at a new store revision.
    pub async fn finish(mut self, documents: u32, terms: &[(String, Vec<u8>)]) -> Result<SpeechImportSummary> {
        if documents != self.next_doc {
            return Err(StoreError::Corrupt(format!(
                "the index covers {documents} speeches where {} were stored; nothing was imported",
                self.next_doc
            )));
        }
        for batch in terms.chunks(TERM_BATCH) {
            with_speech_tx!(self.tx, |conn, Db| {
                let mut insert: QueryBuilder<Db> = QueryBuilder::new("INSERT INTO speech_terms (term, postings) ");
                insert.push_values(batch, |mut row, (term, postings)| {
                    row.push_bind(term).push_bind(postings);
                });
                insert.build().execute(&mut *conn).await?;
            });
        }
        let stored: i64 = with_speech_tx!(self.tx, |conn, Db| {
            sqlx::query_scalar("SELECT COUNT(*) FROM speeches").fetch_one(&mut *conn).await?
        });
        if stored != i64::from(self.next_doc) {
            return Err(StoreError::Corrupt(format!(
                "{stored} speeches stored where {} were read; nothing was imported",
                self.next_doc
            )));
        }
        with_speech_tx!(self.tx, |conn, Db| bump_revision!(&mut *conn));
        match self.tx {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(SpeechImportSummary {
            speeches: u64::from(self.next_doc),
            terms: terms.len() as u64,
            replaced: self.replaced,
        })
    }
}

#[cfg(test)]
mod tests {
    use normwatch_text::count::{By, Scope, term_table};

    #[test]
    fn packed_metas_unpack_in_document_order_and_refuse_gaps_and_bad_fields() {
        let packed = "1\u{1f}FRA\u{1f}53\u{1f}1998\u{1f}2100\u{1e}0\u{1f}EU\u{1f}53\u{1f}1998\u{1f}900";
        let metas = super::unpack_metas(packed).unwrap();
        assert_eq!(metas.iter().map(|m| m.state.as_str()).collect::<Vec<_>>(), ["EU", "FRA"]);
        assert_eq!((metas[1].session, metas[1].year, metas[1].words), (53, 1998, 2100));
        assert!(super::unpack_metas("").unwrap().is_empty());
        let gap = super::unpack_metas("1\u{1f}FRA\u{1f}53\u{1f}1998\u{1f}2100").unwrap_err();
        assert!(gap.to_string().contains("gap"), "{gap}");
        let bad = super::unpack_metas("0\u{1f}FRA\u{1f}x\u{1f}1998\u{1f}2100").unwrap_err();
        assert!(bad.to_string().contains("speeches.session"), "{bad}");
        assert!(super::unpack_metas("0\u{1f}FRA").is_err());
    }
    use normwatch_text::index::{IndexBuilder, count};

    use super::*;
    use crate::testing::databases;

    fn speech(state: &str, year: u16, text: &str) -> NewSpeech {
        NewSpeech {
            state: state.into(),
            resolved: state.len() == 3,
            session: year - 1945,
            year,
            words: normwatch_text::token::count_words(text),
            text: text.into(),
            path: format!("ungdc/{state}_{}_{year}.txt", year - 1945),
            source: "corpus.tar.gz".into(),
        }
    }

    fn corpus() -> Vec<NewSpeech> {
        vec![
            speech("USA", 1998, "We speak of cyber threats and cyberspace. Über-cyber: ÜBER."),
            speech("RUS", 1998, "Information security, information security!"),
            speech("RUS", 2001, "Cyber attacks worry us."),
            speech("EU", 2011, "Our cyber policy, again cyber."),
        ]
    }

    async fn import(store: &Store, speeches: &[NewSpeech]) -> Result<SpeechImportSummary> {
        let mut builder = IndexBuilder::new();
        let mut import = store.begin_speech_import().await?;
        import.add_source("corpus.tar.gz", "00ff").await?;
        import.insert(&speeches[..1]).await?;
        import.insert(&speeches[1..]).await?;
        for s in speeches {
            builder.add(&s.text);
        }
        let documents = builder.documents();
        import.finish(documents, builder.finish().terms()).await
    }

    #[tokio::test]
    async fn an_import_stores_speeches_and_postings_and_counts_come_back_exact() {
        for db in databases().await {
            let store = &db.store;
            let before = store.revision().await.unwrap();
            let summary = import(store, &corpus()).await.unwrap();
            assert_eq!((summary.speeches, summary.replaced), (4, 0), "{}", db.name());
            assert!(store.revision().await.unwrap() > before, "{}: an import moves the revision", db.name());
            assert_eq!(store.speech_count().await.unwrap(), 4);
            let metas = store.speech_metas().await.unwrap();
            assert_eq!(
                metas,
                corpus()
                    .iter()
                    .map(|s| SpeechMeta { state: s.state.clone(), session: s.session, year: s.year, words: s.words })
                    .collect::<Vec<_>>()
            );
            for (text, expected) in
                [("cyber*", 6), ("cyber", 5), ("über*", 2), ("\"information security\"", 2), ("nothing", 0)]
            {
                let pattern = Pattern::parse(text).unwrap();
                let postings = store.speech_postings(&pattern).await.unwrap();
                let hits = count(&pattern, &postings).unwrap();
                assert_eq!(hits.total(), expected, "{}: {text}", db.name());
                let scanned: usize =
                    corpus().iter().map(|s| normwatch_text::index::positions_in_text(&pattern, &s.text).len()).sum();
                assert_eq!(hits.total(), scanned as u64, "{}: {text}", db.name());
            }
            let pattern = Pattern::parse("cyber*").unwrap();
            let hits = count(&pattern, &store.speech_postings(&pattern).await.unwrap()).unwrap();
            let rows = term_table(&metas, &hits, By::Year, &Scope::default()).unwrap();
            assert_eq!(rows.iter().map(|r| r.count).collect::<Vec<_>>(), [3, 1, 2]);
            let texts = store.speech_texts(&[3, 0, 3, 99]).await.unwrap();
            assert_eq!(texts.iter().map(|(d, _)| *d).collect::<Vec<_>>(), [0, 3]);
            assert_eq!(texts[1].1, "Our cyber policy, again cyber.");
            let usa = store.speech("usa", 1998).await.unwrap().unwrap();
            assert_eq!((usa.doc, usa.session, usa.sha256.as_str(), usa.resolved), (0, 53, "00ff", true));
            assert!(store.speech("USA", 2001).await.unwrap().is_none());
            let eu = store.speech("EU", 2011).await.unwrap().unwrap();
            assert!(!eu.resolved);
            let sources = store.speech_sources().await.unwrap();
            assert_eq!(sources.len(), 1);
            assert!(store.check().await.unwrap().is_ok(), "{}", db.name());
            store.execute_raw("UPDATE speeches SET doc = 7 WHERE doc = 3").await;
            let report = store.check().await.unwrap();
            assert_eq!(report.problems.len(), 1, "{}: {:?}", db.name(), report.problems);
            assert!(report.problems[0].contains("numbered past"), "{:?}", report.problems);
            assert!(store.speech_metas().await.is_err(), "{}: a gap in the numbering is an error", db.name());
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn paging_reads_every_speech_once_in_order() {
        for db in databases().await {
            let store = &db.store;
            import(store, &corpus()).await.unwrap();
            let mut seen = Vec::new();
            let mut after = None;
            loop {
                let page = store.speeches_after(after, 3).await.unwrap();
                let Some(last) = page.last() else { break };
                after = Some(last.doc);
                seen.extend(page.into_iter().map(|s| (s.doc, s.state, s.year, s.text)));
            }
            let expected: Vec<_> =
                corpus().into_iter().enumerate().map(|(i, s)| (i as u32, s.state, s.year, s.text)).collect();
            assert_eq!(seen, expected, "{}", db.name());
            db.finish().await;
        }
    }

    #[tokio::test]
    async fn a_reimport_replaces_and_a_failed_one_leaves_the_previous() {
        for db in databases().await {
            let store = &db.store;
            import(store, &corpus()).await.unwrap();
            let smaller = &corpus()[2..];
            let summary = import(store, smaller).await.unwrap();
            assert_eq!((summary.speeches, summary.replaced), (2, 4), "{}", db.name());
            assert_eq!(store.speech_count().await.unwrap(), 2);
            let pattern = Pattern::parse("information").unwrap();
            assert!(store.speech_postings(&pattern).await.unwrap().terms().is_empty(), "{}: old terms gone", db.name());

            // A failure midway (the terms refused) leaves the previous import whole.
            let revision = store.revision().await.unwrap();
            store.refuse_inserts("speech_terms").await;
            assert!(import(store, &corpus()).await.is_err());
            store.allow_inserts("speech_terms").await;
            assert_eq!(store.speech_count().await.unwrap(), 2, "{}", db.name());
            assert_eq!(store.revision().await.unwrap(), revision);
            let pattern = Pattern::parse("cyber").unwrap();
            assert_eq!(
                count(&pattern, &store.speech_postings(&pattern).await.unwrap()).unwrap().total(),
                3,
                "{}",
                db.name()
            );

            // An index that does not cover the speeches stored is refused.
            let mut import = store.begin_speech_import().await.unwrap();
            import.add_source("corpus.tar.gz", "00ff").await.unwrap();
            import.insert(&corpus()).await.unwrap();
            assert!(import.finish(3, &[]).await.is_err());
            assert_eq!(store.speech_count().await.unwrap(), 2);
            db.finish().await;
        }
    }
}
