//! `normwatch import speeches`, `import text`, `terms`, `kwic`, `paragraphs` and `diff`:
//! the arguments, handed to the application, printed as reports (`crate::output::texts`).

use std::path::PathBuf;
use std::sync::Arc;

use clap::{Args, ValueEnum};
use normwatch_api as api;
use normwatch_app::App;
use normwatch_app::import::Progress;
use normwatch_app::speeches::SpeechScope;
use normwatch_app::texts_json;
use normwatch_text::count::By;

use crate::output::texts::{Comparison, FirstUses, Kwic, Paragraphs, SpeechesImported, Terms, TextImported};
use crate::output::{self, Format};

/// Which speeches: years and a speaker.
#[derive(Args, Debug, Default)]
pub struct SpeechScopeArgs {
    /// Only this speaker: ISO3 code, name, or the corpus's own code (EU).
    #[arg(long, value_name = "ISO3")]
    state: Option<String>,
    /// From this year on.
    #[arg(long, value_name = "YEAR")]
    from: Option<u16>,
    /// Up to this year.
    #[arg(long, value_name = "YEAR")]
    to: Option<u16>,
}

impl SpeechScopeArgs {
    fn scope(&self) -> SpeechScope {
        SpeechScope { from: self.from, to: self.to, state: self.state.clone() }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ByArg {
    Year,
    State,
}

/// `normwatch terms PATTERN`.
#[derive(Args, Debug)]
pub struct TermsArgs {
    /// A word (`cyber`), a prefix (`cyber*`) or a phrase in quotes (`"critical infrastructure*"`);
    /// case-insensitive, tokens are runs of letters and digits.
    pattern: String,
    /// One row per year or per speaker.
    #[arg(long, value_enum, default_value = "year")]
    by: ByArg,
    /// Instead of a table: each speaker's first speech using the pattern, by year.
    #[arg(long)]
    first: bool,
    #[command(flatten)]
    scope: SpeechScopeArgs,
    /// Print CSV (`--json` wins).
    #[arg(long)]
    csv: bool,
}

/// `normwatch kwic PATTERN`.
#[derive(Args, Debug)]
pub struct KwicArgs {
    /// A word, a prefix (`cyber*`) or a phrase in quotes, as for `terms`.
    pattern: String,
    /// Tokens of context on each side.
    #[arg(long, default_value_t = 5, value_name = "N")]
    window: usize,
    #[command(flatten)]
    scope: SpeechScopeArgs,
    /// Print CSV (`--json` wins).
    #[arg(long)]
    csv: bool,
}

/// Tokens each side of a first use's snippet.
const SNIPPET_WINDOW: usize = 8;

pub async fn import_speeches(app: &App, path: PathBuf, json: bool) -> anyhow::Result<()> {
    let bar = Bar::new(normwatch_app::speeches::speech_bytes(&path));
    let result = app.import_speeches(&path, bar.clone()).await;
    bar.finish();
    let report = result
        .map_err(|error| anyhow::Error::from(error).context("nothing was imported; the database is as it was"))?;
    output::print(&SpeechesImported(texts_json::speech_import(&report)), Format::of(json, false))
}

pub async fn import_text(app: &App, path: PathBuf, symbol: String, json: bool) -> anyhow::Result<()> {
    let imported = app
        .import_text(&path, &symbol)
        .await
        .map_err(|error| anyhow::Error::from(error).context("nothing was imported; the database is as it was"))?;
    let json_value = api::TextImportJson {
        symbol: imported.symbol,
        source: imported.source,
        sha256: imported.sha256,
        paragraphs: imported.paragraphs,
        replaced: imported.replaced,
    };
    output::print(&TextImported(json_value), Format::of(json, false))
}

pub async fn terms(app: &App, args: TermsArgs, json: bool) -> anyhow::Result<()> {
    let format = Format::of(json, args.csv);
    let scope = args.scope.scope();
    if args.first {
        let firsts = app.first_uses(&args.pattern, &scope, SNIPPET_WINDOW).await?;
        return output::print(&FirstUses(firsts.iter().map(texts_json::first_use).collect()), format);
    }
    let by = match args.by {
        ByArg::Year => By::Year,
        ByArg::State => By::State,
    };
    let table = app.terms(&args.pattern, by, &scope).await?;
    output::print(&Terms(texts_json::terms(&table)), format)
}

pub async fn kwic(app: &App, args: KwicArgs, json: bool) -> anyhow::Result<()> {
    let rows = app.kwic(&args.pattern, args.window, &args.scope.scope()).await?;
    output::print(&Kwic(rows.iter().map(texts_json::kwic).collect()), Format::of(json, args.csv))
}

pub async fn paragraphs(app: &App, symbol: &str, json: bool) -> anyhow::Result<()> {
    let held = app.paragraphs(symbol).await?;
    output::print(&Paragraphs(texts_json::paragraphs(&held)), Format::of(json, false))
}

pub async fn diff(app: &App, a: &str, b: &str, json: bool) -> anyhow::Result<()> {
    let comparison = app.diff_texts(a, b).await?;
    output::print(&Comparison(texts_json::diff(&comparison)), Format::of(json, false))
}

/// A progress bar over the bytes read, shown only when stderr is a terminal.
struct Bar(Option<indicatif::ProgressBar>);

impl Bar {
    fn new(total: u64) -> Arc<Bar> {
        if !std::io::IsTerminal::is_terminal(&std::io::stderr()) {
            return Arc::new(Bar(None));
        }
        let bar = indicatif::ProgressBar::new(total);
        if let Ok(style) = indicatif::ProgressStyle::with_template("{msg:>10} {bar:40} {bytes}/{total_bytes} {elapsed}")
        {
            bar.set_style(style);
        }
        bar.set_message("importing");
        Arc::new(Bar(Some(bar)))
    }

    fn finish(&self) {
        if let Some(bar) = &self.0 {
            bar.finish_and_clear();
        }
    }
}

impl Progress for Bar {
    fn read(&self, bytes: u64) {
        if let Some(bar) = &self.0 {
            bar.inc(bytes);
        }
    }
}
