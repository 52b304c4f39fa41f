//! Texts as data: `import speeches`, `import text`, `terms`, `kwic`, `paragraphs`, `diff`.

use std::io::{self, Write};

use normwatch_api as api;

use super::{Report, csv_writer, short};

/// `normwatch import speeches`.
pub struct SpeechesImported(pub api::SpeechImportJson);

impl Report for SpeechesImported {
    type Json<'a> = &'a api::SpeechImportJson;

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let r = &self.0;
        writeln!(
            out,
            "imported {} speeches ({} distinct terms) from {}{}",
            r.speeches,
            r.terms,
            r.path,
            if r.replaced > 0 { format!("; replaced the {} speeches held before", r.replaced) } else { String::new() }
        )?;
        for (code, n) in &r.unresolved {
            writeln!(
                out,
                "speaker code {code} is not in the state registry: its {n} speeches are stored under {code}"
            )?;
        }
        if !r.problems.is_empty() {
            writeln!(out, "{} entries were not stored:", r.problems.len())?;
            for p in &r.problems {
                writeln!(out, "  {}: {}", p.path, p.reason)?;
            }
        }
        if let [one] = r.sources.as_slice() {
            writeln!(out, "source {} sha256 {}", one.file, one.sha256)?;
        } else {
            writeln!(out, "{} source files, each with its SHA-256 (--json lists them)", r.sources.len())?;
        }
        Ok(())
    }
}

/// `normwatch import text`.
pub struct TextImported(pub api::TextImportJson);

impl Report for TextImported {
    type Json<'a> = &'a api::TextImportJson;

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let r = &self.0;
        let replaced = if r.replaced { " (replacing the text held before)" } else { "" };
        writeln!(out, "{}: {} paragraphs from {} (sha256 {}){replaced}", r.symbol, r.paragraphs, r.source, r.sha256)
    }
}

const TERM_HEADER: [&str; 7] =
    ["count", "speeches", "speeches_with_term", "states_with_term", "words", "per_10k_words", ""];

/// `normwatch terms PATTERN --by year|state`.
pub struct Terms(pub api::TermsJson);

impl Report for Terms {
    type Json<'a> = &'a [api::TermRowJson];

    fn json(&self) -> Self::Json<'_> {
        &self.0.rows
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let t = &self.0;
        writeln!(out, "{} by {}", t.pattern, t.by)?;
        writeln!(
            out,
            "{:<6} {:>7} {:>8} {:>12} {:>10} {:>10} {:>9}",
            t.by, "count", "speeches", "with term", "speakers", "words", "per 10k"
        )?;
        for r in &t.rows {
            let group = r.year.map_or_else(|| r.state.clone().unwrap_or_default(), |y| y.to_string());
            writeln!(
                out,
                "{group:<6} {:>7} {:>8} {:>12} {:>10} {:>10} {:>9.2}",
                r.count, r.speeches, r.speeches_with_term, r.states_with_term, r.words, r.per_10k_words
            )?;
        }
        let total: u64 = t.rows.iter().map(|r| r.count).sum();
        writeln!(out, "{total} occurrences in {} {}s", t.rows.len(), t.by)
    }

    fn csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut csv = csv_writer(out);
        let mut header = vec![self.0.by];
        header.extend(&TERM_HEADER[..6]);
        csv.write_record(header)?;
        for r in &self.0.rows {
            let group = r.year.map_or_else(|| r.state.clone().unwrap_or_default(), |y| y.to_string());
            csv.write_record([
                group,
                r.count.to_string(),
                r.speeches.to_string(),
                r.speeches_with_term.to_string(),
                r.states_with_term.to_string(),
                r.words.to_string(),
                r.per_10k_words.to_string(),
            ])?;
        }
        csv.flush()?;
        Ok(())
    }
}

/// `normwatch terms PATTERN --first`.
pub struct FirstUses(pub Vec<api::FirstUseJson>);

impl Report for FirstUses {
    type Json<'a> = &'a [api::FirstUseJson];

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        for f in &self.0 {
            writeln!(
                out,
                "{}  {:<4} session {:>2}  {}",
                f.year,
                f.state,
                f.session,
                f.snippet.as_deref().unwrap_or("")
            )?;
        }
        writeln!(out, "{} speakers", self.0.len())
    }

    fn csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut csv = csv_writer(out);
        csv.write_record(["state", "year", "session", "snippet"])?;
        for f in &self.0 {
            csv.write_record([
                f.state.clone(),
                f.year.to_string(),
                f.session.to_string(),
                f.snippet.clone().unwrap_or_default(),
            ])?;
        }
        csv.flush()?;
        Ok(())
    }
}

/// `normwatch kwic PATTERN`.
pub struct Kwic(pub Vec<api::KwicJson>);

impl Report for Kwic {
    type Json<'a> = &'a [api::KwicJson];

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        for k in &self.0 {
            let left: String = {
                let chars: Vec<char> = k.left.chars().collect();
                chars[chars.len().saturating_sub(40)..].iter().collect()
            };
            writeln!(out, "{} {:<4} {left:>40} [{}] {}", k.year, k.state, k.matched, short(&k.right, 40))?;
        }
        writeln!(out, "{} matches", self.0.len())
    }

    fn csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut csv = csv_writer(out);
        csv.write_record(["state", "year", "left", "match", "right"])?;
        for k in &self.0 {
            csv.write_record([&k.state, &k.year.to_string(), &k.left, &k.matched, &k.right])?;
        }
        csv.flush()?;
        Ok(())
    }
}

/// `normwatch paragraphs SYMBOL`.
pub struct Paragraphs(pub Vec<api::TextParagraphJson>);

impl Report for Paragraphs {
    type Json<'a> = &'a [api::TextParagraphJson];

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let mut source = None;
        for p in &self.0 {
            if source != Some(&p.source) {
                writeln!(out, "source: {}", p.source)?;
                source = Some(&p.source);
            }
            let number = p.number.as_deref().unwrap_or("");
            let strength = p.strength.map_or_else(String::new, |s| format!(" [{s:.2}]"));
            writeln!(out, "{:<10} {number:>4} {}{strength}", p.part, short(&p.text.replace('\n', " "), 100))?;
        }
        writeln!(out, "{} paragraphs", self.0.len())
    }
}

/// `normwatch diff A B`.
pub struct Comparison(pub api::DiffJson);

impl Report for Comparison {
    type Json<'a> = &'a api::DiffJson;

    fn json(&self) -> Self::Json<'_> {
        &self.0
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let d = &self.0;
        writeln!(out, "A {}: {}", d.a, d.held_a)?;
        writeln!(out, "B {}: {}", d.b, d.held_b)?;
        for c in &d.changes {
            // The printed number where the text gives one, else `#` and the position.
            let at = |printed: &Option<String>, n: Option<usize>| match (printed, n) {
                (Some(printed), _) => printed.clone(),
                (None, Some(n)) => format!("#{n}"),
                (None, None) => "-".to_string(),
            };
            writeln!(
                out,
                "{:<18} {:<10} {:>3} → {:<3} {:?} → {:?}",
                c.class,
                c.part,
                at(&c.number_a, c.paragraph_a),
                at(&c.number_b, c.paragraph_b),
                short(&c.before, 60),
                short(&c.after, 60)
            )?;
        }
        writeln!(out, "{} changes", d.changes.len())
    }
}
