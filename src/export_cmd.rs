//! `normwatch export dataset DIR`: the open dataset — every table as CSV and Parquet (or
//! JSON), a Frictionless `datapackage.json` and a `CITATION.cff` — built by the app
//! (`normwatch_app::dataset`) and written by `normwatch-dataset`.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Subcommand;
use normwatch_api as api;
use normwatch_app::App;
use normwatch_app::dataset::{self, Config};
use normwatch_app::kb::KbSource;
use normwatch_dataset::Format as FileFormat;

use crate::output::{self, Format, Report};

#[derive(Subcommand)]
pub enum ExportCommand {
    /// Write the open dataset into DIR (created if missing; files of the same names are
    /// replaced): documents, sponsorships, roll calls and votes of every imported dataset,
    /// groups and members, themes, norms, the crosswalk and every fact's sources, with
    /// datapackage.json and CITATION.cff. The same database gives the same bytes.
    Dataset {
        dir: PathBuf,
        /// The table formats, comma-separated: csv, parquet, json.
        #[arg(long, default_value = "csv,parquet", value_name = "LIST")]
        format: String,
        /// Read the package's metadata from this file instead of the built-in
        /// config/dataset.toml.
        #[arg(long, value_name = "PATH")]
        metadata: Option<PathBuf>,
    },
}

pub async fn run(command: ExportCommand, app: &App, format: Format) -> anyhow::Result<()> {
    let ExportCommand::Dataset { dir, format: formats, metadata } = command;
    let formats = FileFormat::parse_list(&formats)?;
    let config = match &metadata {
        Some(path) => {
            let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
            Config::parse(&text, &path.display().to_string())?
        }
        None => Config::built_in()?,
    };
    let package = dataset::build(app, &KbSource::read(None)?, &config).await?;
    let target = dir.clone();
    let written = tokio::task::spawn_blocking(move || normwatch_dataset::write(&target, &package, &formats)).await??;
    let json = api::DatasetExportJson {
        dir: dir.display().to_string(),
        version: written.version,
        tables: written
            .rows
            .iter()
            .map(|(name, rows)| api::DatasetTableJson { name: name.to_string(), rows: *rows })
            .collect(),
        files: written
            .files
            .iter()
            .map(|f| api::DatasetFileJson {
                path: f.path.display().to_string(),
                bytes: f.bytes,
                sha256: f.sha256.clone(),
            })
            .collect(),
    };
    output::print(&Exported(json), format)
}

struct Exported(api::DatasetExportJson);

impl Report for Exported {
    type Json<'a> = &'a api::DatasetExportJson;

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "dataset {} written to {}", self.0.version, self.0.dir)?;
        for table in &self.0.tables {
            writeln!(out, "  {:<16} {:>9} rows", table.name, table.rows)?;
        }
        writeln!(out, "{} files", self.0.files.len())
    }
}
