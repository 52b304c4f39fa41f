//! The PostgreSQL backend: connecting to a server, and what only PostgreSQL says this way
//! (`to_char`, `lpad`, JSON operators), with a plain search over the same passages as the
//! SQLite FTS5 index.

use std::collections::HashMap;

use normwatch_core::kb::RecordKind;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{PgConnection, PgPool, Postgres};

use crate::search::{SearchHit, SearchResults, SnippetPart, fts_query, query_words};
use crate::{Dialect, Result, StoreError, column};

/// Connects to the database a `postgres://` URL names and brings its schema up to date.
/// `location` is the URL without its password, for errors.
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

    async fn after_kb_load(_conn: &mut PgConnection) -> Result<()> {
        Ok(())
    }

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

/// The passages search reads: the same as the SQLite FTS5 index holds (see `search.rs`).
const PASSAGES: &str = "
    SELECT DISTINCT kind, id, 'id' AS field, id AS text FROM records
    UNION ALL SELECT kind, id, field, value::jsonb ->> 'v' FROM claims WHERE value::jsonb ->> 't' = 'text'
    UNION ALL SELECT kind, id, 'quote', quote FROM claims WHERE quote IS NOT NULL
    UNION ALL SELECT kind, id, 'item:' || list, COALESCE(heading || ': ', '') || text FROM items
    UNION ALL SELECT kind, id, 'paragraph', text FROM paragraphs";

/// Words of context a snippet keeps around its first match.
const SNIPPET_WORDS: usize = 16;

/// Search on PostgreSQL: every passage that contains each word of the input (`ILIKE`, so a
/// word also matches inside longer words), one hit per record, records with more matching
/// passages first. A plain, correct fallback with no stemming and no BM25: it is to be
/// replaced by the search crate (tantivy), which serves both backends.
pub(crate) async fn search(pool: &PgPool, input: &str, kind: Option<RecordKind>) -> Result<SearchResults> {
    let words = query_words(input);
    let Some(query) = fts_query(input) else { return Ok(SearchResults::default()) };
    let patterns: Vec<String> = words.iter().map(|w| format!("%{w}%")).collect();
    let rows = sqlx::query(&format!(
        "SELECT kind, id, field, text FROM ({PASSAGES}) AS passages
         WHERE ($1::text IS NULL OR kind = $1) AND text ILIKE ALL ($2::text[])
         ORDER BY kind, id, field, text"
    ))
    .bind(kind.map(|k| k.as_str()))
    .bind(&patterns)
    .fetch_all(pool)
    .await?;
    let mut hits: Vec<SearchHit> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for row in rows {
        let kind_text: String = column(&row, "search", "kind")?;
        let kind =
            RecordKind::parse(&kind_text).ok_or_else(|| StoreError::Corrupt(format!("record kind `{kind_text}`")))?;
        let id: String = column(&row, "search", "id")?;
        let field: String = column(&row, "search", "field")?;
        let text: String = column(&row, "search", "text")?;
        match index.get(&(kind_text.clone(), id.clone())) {
            Some(&i) => {
                hits[i].rank -= 1.0;
                if !hits[i].fields.contains(&field) {
                    hits[i].fields.push(field);
                }
            }
            None => {
                index.insert((kind_text, id.clone()), hits.len());
                hits.push(SearchHit {
                    kind,
                    id,
                    fields: vec![field.clone()],
                    field,
                    snippet: snippet(&text, &words),
                    rank: -1.0,
                });
            }
        }
    }
    // Stable: records with as many matching passages stay in kind and id order.
    hits.sort_by(|a, b| a.rank.total_cmp(&b.rank));
    Ok(SearchResults { query: Some(query), hits })
}

/// The passage around its first match, the words that contain a query word marked.
fn snippet(text: &str, words: &[String]) -> Vec<SnippetPart> {
    // Tokens alternate between words (letters and digits) and what separates them.
    let mut tokens: Vec<(&str, bool)> = Vec::new();
    let mut start = 0;
    let mut in_word = None;
    for (at, c) in text.char_indices() {
        let word = c.is_alphanumeric();
        if in_word.is_some_and(|w| w != word) {
            tokens.push((&text[start..at], in_word == Some(true)));
            start = at;
        }
        in_word = Some(word);
    }
    if start < text.len() {
        tokens.push((&text[start..], in_word == Some(true)));
    }
    let matches = |token: &str| {
        let lower = token.to_lowercase();
        words.iter().any(|w| lower.contains(w.as_str()))
    };
    let word_positions: Vec<usize> = tokens.iter().enumerate().filter(|(_, t)| t.1).map(|(i, _)| i).collect();
    let first = word_positions.iter().position(|&i| matches(tokens[i].0)).unwrap_or(0);
    let from_word = first.saturating_sub(SNIPPET_WORDS / 4);
    let to_word = (from_word + SNIPPET_WORDS).min(word_positions.len());
    let (from, to) = match (word_positions.get(from_word), to_word.checked_sub(1).and_then(|i| word_positions.get(i))) {
        (Some(&from), Some(&to)) => (from, to + 1),
        _ => (0, tokens.len()),
    };
    let mut parts: Vec<SnippetPart> = Vec::new();
    let mut push = |text: &str, matched: bool| match parts.last_mut() {
        Some(last) if last.matched == matched => last.text.push_str(text),
        _ => parts.push(SnippetPart { text: text.to_string(), matched }),
    };
    if from > 0 {
        push("…", false);
    }
    for (token, is_word) in &tokens[from..to] {
        push(token, *is_word && matches(token));
    }
    if to < tokens.len() {
        push("…", false);
    }
    parts
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

    #[test]
    fn a_snippet_marks_the_words_that_match_around_the_first() {
        let words = vec!["culture".to_string(), "cyber".to_string()];
        let parts = snippet("Creation of a global culture of cybersecurity", &words);
        let marked: Vec<&str> = parts.iter().filter(|p| p.matched).map(|p| p.text.as_str()).collect();
        assert_eq!(marked, ["culture", "cybersecurity"]);
        let text: String = parts.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(text, "Creation of a global culture of cybersecurity");
        let long = format!("{} culture {}", "word ".repeat(40), "word ".repeat(40));
        let parts = snippet(&long, &words);
        assert!(
            parts.first().is_some_and(|p| p.text.starts_with('…'))
                && parts.last().is_some_and(|p| p.text.ends_with('…'))
        );
        assert_eq!(parts.iter().filter(|p| p.matched).count(), 1);
    }
}
