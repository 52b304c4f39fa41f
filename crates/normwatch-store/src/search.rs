//! Full-text search over record ids, text-valued claims, quotes, items and paragraphs.
//!
//! On SQLite, an FTS5 index: derived, [`rebuild`] recomputes it from the tables inside the
//! knowledge-base load's transaction, so it can never disagree with what was loaded. On
//! PostgreSQL, a plain `ILIKE` over the same passages (`postgres::search`). Both are to be
//! replaced by the search crate (tantivy).

use std::collections::HashMap;

use normwatch_core::kb::RecordKind;

use crate::{Pool, Result, Store, StoreError, column};

/// The statements that fill the index from the tables (also run once by migration 0003).
const FILL: [&str; 5] = [
    "INSERT INTO search (kind, id, field, text) SELECT DISTINCT kind, id, 'id', id FROM records",
    "INSERT INTO search (kind, id, field, text)
     SELECT kind, id, field, json_extract(value, '$.v') FROM claims WHERE json_extract(value, '$.t') = 'text'",
    "INSERT INTO search (kind, id, field, text) SELECT kind, id, 'quote', quote FROM claims WHERE quote IS NOT NULL",
    "INSERT INTO search (kind, id, field, text)
     SELECT kind, id, 'item:' || list, COALESCE(heading || ': ', '') || text FROM items",
    "INSERT INTO search (kind, id, field, text) SELECT kind, id, 'paragraph', text FROM paragraphs",
];

/// Recomputes the whole index from the records, claims, items and paragraphs of every layer.
pub(crate) async fn rebuild(tx: &mut sqlx::SqliteConnection) -> Result<()> {
    sqlx::query("DELETE FROM search").execute(&mut *tx).await?;
    for sql in FILL {
        sqlx::query(sql).execute(&mut *tx).await?;
    }
    Ok(())
}

/// A piece of a snippet: text, and whether it matched the query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnippetPart {
    pub text: String,
    pub matched: bool,
}

/// One record that matched, with its best-ranked passage.
#[derive(Clone, Debug, PartialEq)]
pub struct SearchHit {
    pub kind: RecordKind,
    pub id: String,
    /// Where the best passage is: `id`, a claim's field (`title`, `summary`…), `quote`,
    /// `item:<list>` or `paragraph`.
    pub field: String,
    pub snippet: Vec<SnippetPart>,
    /// Every field of the record that matched.
    pub fields: Vec<String>,
    /// BM25 rank of the best passage (lower is better).
    pub rank: f64,
}

/// The matches for a query, best first, one entry per record.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchResults {
    /// The FTS5 query the words became, or `None` if the input had no words.
    pub query: Option<String>,
    pub hits: Vec<SearchHit>,
}

const START: char = '\u{2}';
const END: char = '\u{3}';

/// Turns what a user typed into an FTS5 query: its words (letters and digits), each a
/// quoted term so that no operator syntax leaks through, all required, the last one a
/// prefix so that partial words find something.
pub fn fts_query(input: &str) -> Option<String> {
    let words: Vec<String> = query_words(input).iter().map(|w| format!("\"{w}\"")).collect();
    let last = words.len().checked_sub(1)?;
    Some(
        words
            .iter()
            .enumerate()
            .map(|(i, w)| if i == last { format!("{w}*") } else { w.clone() })
            .collect::<Vec<_>>()
            .join(" "),
    )
}

/// The words of what a user typed (letters and digits), lower-cased, at most 16.
pub(crate) fn query_words(input: &str) -> Vec<String> {
    input.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).take(16).map(str::to_lowercase).collect()
}

fn split_snippet(text: &str) -> Vec<SnippetPart> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut matched = false;
    for c in text.chars() {
        if c == START || c == END {
            if !current.is_empty() {
                parts.push(SnippetPart { text: std::mem::take(&mut current), matched });
            }
            matched = c == START;
        } else {
            current.push(c);
        }
    }
    if !current.is_empty() {
        parts.push(SnippetPart { text: current, matched });
    }
    parts
}

impl Store {
    /// Searches the index; `kind` restricts the kind of record. Every matching record is
    /// returned (the knowledge base is small); callers page through them.
    pub async fn search(&self, input: &str, kind: Option<RecordKind>) -> Result<SearchResults> {
        let pool = match &self.pool {
            Pool::Sqlite(pool) => pool,
            Pool::Postgres(pool) => return crate::postgres::search(pool, input, kind).await,
        };
        let Some(query) = fts_query(input) else { return Ok(SearchResults::default()) };
        let rows = sqlx::query(
            "SELECT kind, id, field, snippet(search, 3, char(2), char(3), '…', 16) AS snippet, bm25(search) AS rank
             FROM search WHERE search MATCH ? AND (? IS NULL OR kind = ?) ORDER BY rank LIMIT 2000",
        )
        .bind(&query)
        .bind(kind.map(|k| k.as_str()))
        .bind(kind.map(|k| k.as_str()))
        .fetch_all(pool)
        .await?;
        let mut hits: Vec<SearchHit> = Vec::new();
        let mut index: HashMap<(String, String), usize> = HashMap::new();
        for row in rows {
            let kind_text: String = column(&row, "search", "kind")?;
            let kind = RecordKind::parse(&kind_text)
                .ok_or_else(|| StoreError::Corrupt(format!("record kind `{kind_text}`")))?;
            let id: String = column(&row, "search", "id")?;
            let field: String = column(&row, "search", "field")?;
            match index.get(&(kind_text.clone(), id.clone())) {
                Some(&i) => {
                    if !hits[i].fields.contains(&field) {
                        hits[i].fields.push(field);
                    }
                }
                None => {
                    index.insert((kind_text, id.clone()), hits.len());
                    let snippet: String = column(&row, "search", "snippet")?;
                    hits.push(SearchHit {
                        kind,
                        id,
                        fields: vec![field.clone()],
                        field,
                        snippet: split_snippet(&snippet),
                        rank: column(&row, "search", "rank")?,
                    });
                }
            }
        }
        Ok(SearchResults { query: Some(query), hits })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_input_becomes_quoted_terms() {
        assert_eq!(fts_query("critical infra").as_deref(), Some("\"critical\" \"infra\"*"));
        assert_eq!(fts_query("A/RES/53/70").as_deref(), Some("\"a\" \"res\" \"53\" \"70\"*"));
        // Operators become plain quoted words: nothing the user types is FTS5 syntax.
        assert_eq!(fts_query("\" OR NEAR( * -").as_deref(), Some("\"or\" \"near\"*"));
        assert_eq!(fts_query("   "), None);
    }

    #[test]
    fn snippets_split_on_markers() {
        let parts = split_snippet("the \u{2}culture\u{3} of");
        assert_eq!(parts.len(), 3);
        assert!(parts[1].matched && parts[1].text == "culture");
    }
}
