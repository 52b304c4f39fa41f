//! `normwatch search QUERY`: the same search as `/search` and `/api/search`, with the same
//! filters; `--json` prints what `/api/search` answers for the same page.

use std::io::{self, Write};

use clap::Args;
use normwatch_api::SearchHitJson;
use normwatch_app::App;
use normwatch_app::search::{Ask, HitKind};
use normwatch_core::Iso3;
use normwatch_search::SearchError;

use crate::UsageError;
use crate::output::{self, Format, Report};

#[derive(Args)]
pub struct SearchArgs {
    /// What to find: words (all must match), "a phrase", a prefix cyber*, OR, NOT or
    /// -word, brackets; or a document symbol (quote the query for your shell).
    pub query: String,
    /// Only hits of this kind: a kind of record (document, series, body, group, event,
    /// actor, theme, norm), or record, annex, paragraph, speech.
    #[arg(long, value_name = "KIND")]
    pub kind: Option<HitKind>,
    /// Only hits of this year or later.
    #[arg(long, value_name = "YEAR")]
    pub from: Option<i32>,
    /// Only hits of this year or earlier.
    #[arg(long, value_name = "YEAR")]
    pub to: Option<i32>,
    /// Only hits about this state (ISO3), such as its speeches.
    #[arg(long, value_name = "ISO3")]
    pub state: Option<Iso3>,
    /// Hits to print.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub limit: usize,
    /// Hits to skip (for the next page).
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub offset: usize,
    /// Print the hits as CSV.
    #[arg(long)]
    pub csv: bool,
}

pub async fn run(args: SearchArgs, app: &App, json: bool) -> anyhow::Result<()> {
    let ask = Ask {
        q: &args.query,
        kind: args.kind,
        from: args.from,
        to: args.to,
        state: args.state.map(|s| s.to_string()),
        offset: args.offset,
        limit: args.limit.max(1),
    };
    let asked = match app.ask(&ask).await {
        Ok(asked) => asked,
        // A query that cannot be read is the caller's to fix: a usage error (exit 2).
        Err(normwatch_app::AppError::Search(e @ (SearchError::Query(_) | SearchError::PrefixTooBroad { .. }))) => {
            return Err(UsageError::new(e.to_string()).into());
        }
        Err(e) => return Err(e.into()),
    };
    let hits: Vec<SearchHitJson> = asked.hits.iter().map(normwatch_web::hit_json).collect();
    output::print(&Hits { total: asked.total, offset: args.offset, hits }, Format::of(json, args.csv))
}

struct Hits {
    total: usize,
    offset: usize,
    hits: Vec<SearchHitJson>,
}

impl Report for Hits {
    type Json<'a> = &'a [SearchHitJson];

    fn json(&self) -> Self::Json<'_> {
        &self.hits
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        for (n, h) in self.hits.iter().enumerate() {
            let year = h.year.map_or_else(String::new, |y| format!(" ({y})"));
            let title = h.title.as_deref().map_or_else(String::new, |t| format!(" — {t}"));
            writeln!(out, "{:>4}. {} {}{year}{title}", self.offset + n + 1, h.record, h.id)?;
            writeln!(out, "      {}: {}", h.field, h.snippet)?;
        }
        let (first, last) = (self.offset + 1, self.offset + self.hits.len());
        match self.total {
            0 => writeln!(out, "no hits"),
            total if self.hits.is_empty() => writeln!(out, "{total} hits; none after {}", self.offset),
            total if last < total => {
                writeln!(out, "{total} hits; {first}–{last} shown (--offset {last} for the next)")
            }
            total => writeln!(out, "{total} hit{}", if total == 1 { "" } else { "s" }),
        }
    }

    fn csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut writer = output::csv_writer(out);
        writer.write_record([
            "record", "id", "title", "field", "target", "passage", "year", "state", "score", "snippet",
        ])?;
        for h in &self.hits {
            writer.write_record([
                h.record.as_str(),
                &h.id,
                h.title.as_deref().unwrap_or_default(),
                &h.field,
                h.target,
                &h.passage,
                &h.year.map(|y| y.to_string()).unwrap_or_default(),
                h.state.as_deref().unwrap_or_default(),
                &h.score.to_string(),
                &h.snippet,
            ])?;
        }
        writer.flush()?;
        Ok(())
    }
}
