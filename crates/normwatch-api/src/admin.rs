//! The JSON of the operators' commands: `admin migrate`, `admin backup` and `admin check`.
//!
//! Field names are an interface: add, never rename.

use serde::Serialize;
use utoipa::ToSchema;

/// `normwatch admin migrate --json`: the schema is up to date on this database.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminMigrateJson {
    /// "sqlite" or "postgres".
    pub backend: String,
    /// The SQLite file, or the PostgreSQL URL without its password.
    pub database: String,
    /// The store revision after the migrations.
    pub revision: u64,
}

/// `normwatch admin backup PATH --json`: a consistent copy written to a new file.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminBackupJson {
    pub backend: String,
    /// The database that was copied.
    pub database: String,
    /// The file the copy was written to.
    pub backup: String,
    /// Its size in bytes.
    pub bytes: u64,
}

/// `normwatch admin check --json`: what the checks found (the command exits 1 unless `ok`).
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminCheckJson {
    pub backend: String,
    pub database: String,
    /// True when every check passed.
    pub ok: bool,
    /// Each problem found, in words; empty when `ok`.
    pub problems: Vec<String>,
}

/// `normwatch admin reindex --json`: the search index rebuilt from the database.
#[derive(Debug, Serialize, ToSchema)]
pub struct AdminReindexJson {
    pub backend: String,
    pub database: String,
    /// The index's folder.
    pub index: String,
    /// How many passages it holds.
    pub documents: usize,
    /// The store revision it reflects.
    pub revision: String,
    /// How long the rebuild took, reading the database included.
    pub millis: u64,
}
