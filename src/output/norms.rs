//! `normwatch norms` and `normwatch crosswalk`.

use std::io::{self, Write};

use normwatch_api as api;

use super::{Report, csv_writer};

/// `normwatch norms`: every norm with its instruments.
pub struct Norms(pub Vec<api::NormJson>);

impl Report for Norms {
    type Json<'a> = &'a [api::NormJson];

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        for n in &self.0 {
            let first = n.first_year.map_or_else(|| "undated".to_string(), |y| y.to_string());
            let stage = n.stage.unwrap_or("no stage");
            writeln!(out, "{} — {}", n.id, n.name)?;
            writeln!(out, "  theme {}; first {first}; {stage}", n.theme.as_deref().unwrap_or("none"))?;
            let mut last: Option<&str> = None;
            for i in &n.instruments {
                if last != Some(i.symbol.as_str()) {
                    let year = i.year.map_or_else(|| "----".to_string(), |y| y.to_string());
                    let how = i.modality.map(|m| m.replace('_', " ")).unwrap_or_default();
                    writeln!(out, "  {year}  {}  {how}", i.symbol)?;
                    last = Some(i.symbol.as_str());
                }
                let item = i.item.as_deref().map_or_else(String::new, |l| format!(" {} {l}", i.list));
                writeln!(out, "          {}{item} [{}] ({})", i.relation, i.basis, i.source)?;
            }
        }
        writeln!(out, "{} norms", self.0.len())
    }
}

/// `normwatch crosswalk`: every edge from a norm to an instrument's element.
pub struct Crosswalk(pub Vec<api::CrosswalkJson>);

impl Report for Crosswalk {
    type Json<'a> = &'a [api::CrosswalkJson];

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        for e in &self.0 {
            let item = e.item.as_deref().map_or_else(String::new, |l| format!(" {} {l}", e.list));
            writeln!(out, "{} {} {}{item} [{}] ({})", e.norm, e.relation, e.symbol, e.basis, e.source)?;
        }
        writeln!(out, "{} edges", self.0.len())
    }

    fn csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut csv = csv_writer(out);
        csv.write_record(["norm", "symbol", "item", "relation", "rationale", "source", "list", "basis", "origin"])?;
        for e in &self.0 {
            csv.write_record([
                e.norm.as_str(),
                &e.symbol,
                e.item.as_deref().unwrap_or(""),
                e.relation,
                &e.rationale,
                &e.source,
                &e.list,
                e.basis,
                &e.origin,
            ])?;
        }
        csv.flush()?;
        Ok(())
    }
}
