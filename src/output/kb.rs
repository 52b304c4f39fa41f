//! The reports of the knowledge-base commands: `show`, `kb check`, `kb stats`,
//! `kb scan`, `init`, `series` and `groups`.

use std::fmt::Write;
use std::io;

use normwatch_api as api;

use super::Report;

use normwatch_core::view::DocumentView;

pub fn document(view: &DocumentView) -> String {
    let mut out = String::new();
    let kind = view.kind.map_or("document", |k| k.as_str());
    let _ = writeln!(out, "{} ({kind})", view.symbol);
    if let Some(title) = &view.title {
        let _ = writeln!(out, "{title}");
    }
    if view.miscited {
        let _ = writeln!(out, "note: this symbol is a mis-citation in a source");
    }
    let _ = writeln!(out);

    let mut fields: Vec<&str> = Vec::new();
    for source in &view.sources {
        if !fields.contains(&source.field.as_str()) {
            fields.push(&source.field);
        }
    }
    for field in fields {
        let _ = writeln!(out, "{field}:");
        for source in view.sources.iter().filter(|s| s.field == field) {
            let marker = if source.shown { "*" } else { " " };
            let _ = write!(out, "  {marker} {}  [{} — {}]", source.value, source.basis(), source.source);
            if let Some(note) = &source.note {
                let _ = write!(out, " ({note})");
            }
            let _ = writeln!(out);
        }
    }
    if view.annex_items > 0 {
        let _ = writeln!(out, "annex_items: {}", view.annex_items);
    }
    if !view.conflicts.is_empty() {
        let _ = writeln!(out, "\nconflicts:");
        for conflict in &view.conflicts {
            // One line per distinct value, with every source that gives it.
            let mut values: Vec<(String, Vec<String>)> = Vec::new();
            for claim in &conflict.claims {
                let value = claim.value.to_string();
                match values.iter_mut().find(|(v, _)| *v == value) {
                    Some((_, sources)) => sources.push(claim.source.to_string()),
                    None => values.push((value, vec![claim.source.to_string()])),
                }
            }
            let _ = writeln!(out, "  {}:", conflict.field);
            for (value, sources) in values {
                let _ = writeln!(out, "    {value}  [{}]", sources.join("; "));
            }
        }
    }
    let lists: Vec<&str> = {
        let mut l: Vec<&str> = view.items.iter().map(|i| i.list.as_str()).collect();
        l.dedup();
        l
    };
    for list in lists {
        let _ = writeln!(out, "\n{list}:");
        for item in view.items.iter().filter(|i| i.list == list) {
            let _ = writeln!(out, "  {} {}", item.label, item.text);
        }
    }
    let _ = writeln!(out, "\n* = the value shown; other lines are further sources.");
    out
}

pub fn stats(stats: &normwatch_api::KbStatsJson) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "records:");
    for (kind, n) in &stats.records {
        let _ = writeln!(out, "  {kind:<10} {n:>6}");
    }
    let _ = writeln!(
        out,
        "facts: {} claims, {} items, {} paragraphs, from {} sources",
        stats.claims, stats.items, stats.paragraphs, stats.sources
    );
    let _ = writeln!(out, "facts by basis:");
    for (basis, n) in &stats.facts_by_basis {
        let _ = writeln!(out, "  {basis:<10} {n:>6}");
    }
    let _ = writeln!(out, "facts by layer:");
    for (layer, n) in &stats.facts_by_layer {
        let _ = writeln!(out, "  {layer:<10} {n:>6}");
    }
    let _ = writeln!(out, "open conflicts: {}", stats.conflicts);
    for (kind, n) in stats.conflicts_by_kind.iter().filter(|(_, n)| **n > 0) {
        let _ = writeln!(out, "  {kind:<10} {n:>6}");
    }
    out
}

pub fn series(list: &[normwatch_api::SeriesJson]) -> String {
    let mut out = String::new();
    for series in list {
        let _ = writeln!(
            out,
            "{} — {} [{}; {}]",
            series.id,
            series.title.as_deref().unwrap_or("(untitled)"),
            series.committee.unwrap_or("no committee"),
            series.stream.unwrap_or("no stream")
        );
        let _ = writeln!(
            out,
            "  {}",
            if series.documents.is_empty() { "(no documents)".to_string() } else { series.documents.join(", ") }
        );
    }
    out
}

pub fn groups(list: &[normwatch_api::GroupJson]) -> String {
    let mut out = String::new();
    for g in list {
        let years = years_active(g.start_year, g.end_year);
        let _ = writeln!(
            out,
            "{:<22} {:<9} {} ({} members, chair {}, outcome {})",
            g.id,
            years,
            g.name.as_deref().unwrap_or(""),
            g.member_count.map_or("?".to_string(), |n| n.to_string()),
            g.chair.as_deref().unwrap_or("?"),
            g.outcome.unwrap_or("?"),
        );
    }
    out
}

/// A group's years, as the web writes them (`normwatch_app::years::year_span`).
pub fn years_active(start: Option<i32>, end: Option<i32>) -> String {
    normwatch_app::years::year_span(start, end)
}

/// `normwatch show SYMBOL`.
pub struct Document<'a>(pub &'a DocumentView);

impl Report for Document<'_> {
    type Json<'a>
        = api::DocumentJson
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_> {
        api::DocumentJson::from(self.0)
    }

    fn text(&self, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(document(self.0).as_bytes())
    }
}

/// `normwatch kb stats`.
pub struct Stats(pub api::KbStatsJson);

impl Report for Stats {
    type Json<'a> = &'a api::KbStatsJson;

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(stats(&self.0).as_bytes())
    }
}

/// `normwatch series list` and `series show ID`.
pub struct SeriesList(pub Vec<api::SeriesJson>);

impl Report for SeriesList {
    type Json<'a> = &'a [api::SeriesJson];

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(series(&self.0).as_bytes())
    }
}

/// `normwatch groups`.
pub struct Groups(pub Vec<api::GroupJson>);

impl Report for Groups {
    type Json<'a> = &'a [api::GroupJson];

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn io::Write) -> io::Result<()> {
        out.write_all(groups(&self.0).as_bytes())
    }
}

/// `normwatch kb check`: a knowledge base that loaded.
pub struct Checked {
    /// "the built-in knowledge base" or "the knowledge base in DIR".
    pub origin: String,
    pub check: api::KbCheckJson,
}

impl Report for Checked {
    type Json<'a> = &'a api::KbCheckJson;

    fn json(&self) -> Self::Json<'_> {
        &self.check
    }

    fn text(&self, out: &mut dyn io::Write) -> io::Result<()> {
        writeln!(out, "{}: ok, {} records from {} sources", self.origin, self.check.records, self.check.sources)
    }
}

/// `normwatch init`.
pub struct Initialized(pub api::InitJson);

impl Report for Initialized {
    type Json<'a> = &'a api::InitJson;

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn io::Write) -> io::Result<()> {
        let i = &self.0;
        writeln!(
            out,
            "loaded {} into {}: {} records, {} claims, {} items, {} sources",
            i.knowledge_base, i.database, i.records, i.claims, i.items, i.sources
        )
    }
}

/// `normwatch kb scan FILES`.
pub struct Mentions(pub Vec<api::MentionJson>);

impl Report for Mentions {
    type Json<'a> = &'a [api::MentionJson];

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn io::Write) -> io::Result<()> {
        for row in &self.0 {
            writeln!(
                out,
                "{}:{}\t{}\t{}{}\t{}",
                row.file,
                row.line,
                row.raw,
                row.symbol,
                if row.inferred { " (inferred)" } else { "" },
                if row.known { "known" } else { "MISSING" },
            )?;
        }
        Ok(())
    }
}
