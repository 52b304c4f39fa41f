//! Resolution and draft texts a user imported: the text as read, its source (the file and
//! its SHA-256), and its paragraphs, one import per symbol, each in one transaction that
//! replaces the symbol's earlier text. The knowledge base's reviewed paragraphs are
//! elsewhere (`paragraphs`) and never touched by an import.

use crate::{Dialect, Result, Store, StoreError, column};

/// One paragraph of an imported text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextParagraph {
    /// `preambular`, `operative` or `annex`.
    pub part: String,
    /// The operative number or the annex item's label.
    pub number: Option<String>,
    /// The leading participle or verb as written.
    pub lead: Option<String>,
    /// The operative verb, in the core's vocabulary (`OperativeVerb::as_str`).
    pub verb: Option<String>,
    pub text: String,
    /// 1-based line in the text.
    pub line: u32,
}

/// An imported text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredText {
    pub symbol: String,
    pub source: String,
    pub sha256: String,
    pub body: String,
    pub imported_at: String,
    pub paragraphs: Vec<TextParagraph>,
}

impl Store {
    /// Stores a document's text and paragraphs, replacing its earlier text, in one
    /// transaction; says whether one was replaced.
    pub async fn store_text(
        &self,
        symbol: &str,
        source: &str,
        sha256: &str,
        body: &str,
        paragraphs: &[TextParagraph],
    ) -> Result<bool> {
        with_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            let now: String = sqlx::query_scalar(<Db as Dialect>::NOW).fetch_one(&mut *tx).await?;
            // The cascade removes the paragraphs too; said explicitly so that it holds without it.
            sqlx::query("DELETE FROM text_paragraphs WHERE symbol = $1").bind(symbol).execute(&mut *tx).await?;
            let replaced = sqlx::query("DELETE FROM texts WHERE symbol = $1")
                .bind(symbol)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                > 0;
            sqlx::query("INSERT INTO texts (symbol, source, sha256, body, imported_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(symbol)
                .bind(source)
                .bind(sha256)
                .bind(body)
                .bind(&now)
                .execute(&mut *tx)
                .await?;
            for (position, p) in paragraphs.iter().enumerate() {
                sqlx::query(
                    "INSERT INTO text_paragraphs (symbol, position, part, number, lead, verb, text, line)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
                )
                .bind(symbol)
                .bind(position as i64)
                .bind(&p.part)
                .bind(&p.number)
                .bind(&p.lead)
                .bind(&p.verb)
                .bind(&p.text)
                .bind(i64::from(p.line))
                .execute(&mut *tx)
                .await?;
            }
            bump_revision!(&mut *tx);
            tx.commit().await?;
            Ok(replaced)
        })
    }

    /// A document's imported text with its paragraphs in order, if one was imported.
    pub async fn text(&self, symbol: &str) -> Result<Option<StoredText>> {
        const T: &str = "texts";
        const P: &str = "text_paragraphs";
        with_pool!(self, |pool, Db| {
            let mut tx = pool.begin().await?;
            <Db as Dialect>::read_snapshot(&mut *tx).await?;
            let Some(row) =
                sqlx::query("SELECT symbol, source, sha256, body, imported_at FROM texts WHERE symbol = $1")
                    .bind(symbol)
                    .fetch_optional(&mut *tx)
                    .await?
            else {
                return Ok(None);
            };
            let rows = sqlx::query(
                "SELECT part, number, lead, verb, text, line FROM text_paragraphs WHERE symbol = $1 ORDER BY position",
            )
            .bind(symbol)
            .fetch_all(&mut *tx)
            .await?;
            tx.commit().await?;
            let paragraphs = rows
                .iter()
                .map(|r| {
                    let line: i64 = column(r, P, "line")?;
                    Ok(TextParagraph {
                        part: column(r, P, "part")?,
                        number: column(r, P, "number")?,
                        lead: column(r, P, "lead")?,
                        verb: column(r, P, "verb")?,
                        text: column(r, P, "text")?,
                        line: u32::try_from(line).map_err(|e| StoreError::Column {
                            table: P,
                            column: "line",
                            reason: e.to_string(),
                        })?,
                    })
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(Some(StoredText {
                symbol: column(&row, T, "symbol")?,
                source: column(&row, T, "source")?,
                sha256: column(&row, T, "sha256")?,
                body: column(&row, T, "body")?,
                imported_at: column(&row, T, "imported_at")?,
                paragraphs,
            }))
        })
    }

    /// The symbols of every imported text, sorted.
    pub async fn text_symbols(&self) -> Result<Vec<String>> {
        with_pool!(self, |pool, Db| {
            let rows = sqlx::query("SELECT symbol FROM texts ORDER BY symbol").fetch_all(pool).await?;
            rows.iter().map(|r| column(r, "texts", "symbol")).collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::databases;

    fn paragraph(part: &str, number: Option<&str>, verb: Option<&str>, text: &str) -> TextParagraph {
        TextParagraph {
            part: part.into(),
            number: number.map(String::from),
            lead: verb.map(String::from),
            verb: verb.map(|v| v.to_lowercase()),
            text: text.into(),
            line: 3,
        }
    }

    #[tokio::test]
    async fn a_text_is_stored_with_its_paragraphs_and_replaced_by_the_next_import() {
        for db in databases().await {
            let store = &db.store;
            assert!(store.text("A/RES/57/239").await.unwrap().is_none());
            let first = [
                paragraph("preambular", None, None, "Noting that"),
                paragraph("operative", Some("1"), Some("Adopts"), "Adopts"),
            ];
            let revision = store.revision().await.unwrap();
            assert!(!store.store_text("A/RES/57/239", "a.txt", "aa", "body", &first).await.unwrap());
            assert!(store.revision().await.unwrap() > revision, "{}", db.name());
            let held = store.text("A/RES/57/239").await.unwrap().unwrap();
            assert_eq!((held.source.as_str(), held.sha256.as_str(), held.body.as_str()), ("a.txt", "aa", "body"));
            assert_eq!(held.paragraphs, first, "{}", db.name());
            let second = [paragraph("annex", Some("(a)"), None, "Awareness")];
            assert!(store.store_text("A/RES/57/239", "b.txt", "bb", "body 2", &second).await.unwrap());
            assert_eq!(store.text("A/RES/57/239").await.unwrap().unwrap().paragraphs, second);
            assert_eq!(store.text_symbols().await.unwrap(), ["A/RES/57/239"]);

            // A failure midway leaves the earlier text.
            store.refuse_inserts("text_paragraphs").await;
            assert!(store.store_text("A/RES/57/239", "c.txt", "cc", "body 3", &first).await.is_err());
            store.allow_inserts("text_paragraphs").await;
            assert_eq!(store.text("A/RES/57/239").await.unwrap().unwrap().source, "b.txt", "{}", db.name());
            db.finish().await;
        }
    }
}
