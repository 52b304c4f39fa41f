//! The JSON of the CLI's own commands: `kb check`, `init` and `kb scan`.
//!
//! Field names are an interface: add, never rename.

use serde::Serialize;
use utoipa::ToSchema;

/// `normwatch kb check --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct KbCheckJson {
    /// Always true: a knowledge base that does not load is an error.
    pub ok: bool,
    pub records: usize,
    pub sources: usize,
}

/// `normwatch init --json`: what was loaded where.
#[derive(Debug, Serialize, ToSchema)]
pub struct InitJson {
    /// The database file.
    pub database: String,
    /// "the built-in knowledge base" or "the knowledge base in DIR".
    pub knowledge_base: String,
    pub records: usize,
    pub claims: usize,
    pub items: usize,
    pub sources: usize,
}

/// `normwatch kb scan FILES --json`: one citation of a document symbol in a text.
#[derive(Debug, Serialize, ToSchema)]
pub struct MentionJson {
    pub file: String,
    /// 1-based.
    pub line: usize,
    /// The citation as written.
    pub raw: String,
    /// The canonical symbol, or `unparseable: REASON`.
    pub symbol: String,
    /// Whether the symbol was completed from its context.
    pub inferred: bool,
    /// Whether the knowledge base has a record for it.
    pub known: bool,
}
