//! `normwatch admin …`: commands for operators. `migrate` brings the schema up to date and
//! nothing else, `backup PATH` writes a consistent copy of a live SQLite database, `check`
//! verifies a database (exit 1 with the problems listed when it fails), `reindex` rebuilds
//! the search index from the database.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use normwatch_api as api;
use normwatch_app::App;
use normwatch_store::Backend;

use crate::output::{self, Format, Report};

#[derive(Subcommand)]
pub enum AdminCommand {
    /// Apply the schema migrations to the database and nothing else (no knowledge base is
    /// loaded); prints the backend and where the database is.
    Migrate,
    /// Write a consistent copy of the live SQLite database to a new file (PostgreSQL: use
    /// pg_dump).
    Backup {
        /// The new file; it must not exist yet.
        path: PathBuf,
    },
    /// Verify the database: the backend's integrity check and normwatch's consistency
    /// queries. Exits 1, listing the problems, when any check fails.
    Check,
    /// Rebuild the search index from the database, in one commit (searches bring it up to
    /// date by themselves; this is for a new folder, or after restoring a backup).
    Reindex,
}

fn backend_name(backend: Backend) -> &'static str {
    match backend {
        Backend::Sqlite => "sqlite",
        Backend::Postgres => "postgres",
    }
}

/// Runs an admin command on an opened store (opening it already applied the migrations).
pub async fn run(command: AdminCommand, app: &App, format: Format) -> anyhow::Result<()> {
    let store = app.store();
    let backend = backend_name(store.backend()).to_string();
    let database = store.location().to_string();
    match command {
        AdminCommand::Migrate => {
            let revision = store.revision().await?;
            output::print(&Migrated(api::AdminMigrateJson { backend, database, revision }), format)
        }
        AdminCommand::Backup { path } => {
            store.backup(&path).await?;
            let bytes = std::fs::metadata(&path).with_context(|| format!("reading {}", path.display()))?.len();
            let backup = path.display().to_string();
            output::print(&BackedUp(api::AdminBackupJson { backend, database, backup, bytes }), format)
        }
        AdminCommand::Check => {
            let report = store.check().await?;
            let ok = report.is_ok();
            let json = api::AdminCheckJson { backend, database, ok, problems: report.problems };
            if ok {
                return output::print(&Checked(json), format);
            }
            if format == Format::Json {
                output::print(&Checked(json), format)?;
                anyhow::bail!("the database failed its check");
            }
            anyhow::bail!("{} failed its check:\n  {}", json.database, json.problems.join("\n  "))
        }
        AdminCommand::Reindex => {
            let done = app.reindex().await?;
            let json = api::AdminReindexJson {
                backend,
                database,
                index: done.dir.display().to_string(),
                documents: done.documents,
                revision: done.revision,
                millis: u64::try_from(done.millis).unwrap_or(u64::MAX),
            };
            output::print(&Reindexed(json), format)
        }
    }
}

struct Reindexed(api::AdminReindexJson);

impl Report for Reindexed {
    type Json<'a> = &'a api::AdminReindexJson;

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let r = &self.0;
        writeln!(
            out,
            "rebuilt the search index {} from {}: {} documents at revision {} in {} ms",
            r.index, r.database, r.documents, r.revision, r.millis
        )
    }
}

struct Migrated(api::AdminMigrateJson);

impl Report for Migrated {
    type Json<'a> = &'a api::AdminMigrateJson;

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let m = &self.0;
        writeln!(out, "{} database {} is up to date (revision {})", m.backend, m.database, m.revision)
    }
}

struct BackedUp(api::AdminBackupJson);

impl Report for BackedUp {
    type Json<'a> = &'a api::AdminBackupJson;

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let b = &self.0;
        writeln!(out, "backed up {} into {} ({} bytes)", b.database, b.backup, b.bytes)
    }
}

struct Checked(api::AdminCheckJson);

impl Report for Checked {
    type Json<'a> = &'a api::AdminCheckJson;

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let c = &self.0;
        writeln!(out, "{} database {} passed every check", c.backend, c.database)
    }
}
