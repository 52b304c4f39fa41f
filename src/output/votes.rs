//! The reports of `normwatch import votes` and `normwatch votes …`: text and CSV here,
//! JSON from the contract types of `normwatch-api`.

use std::io::{self, Write};

use normwatch_api as api;
use normwatch_app::import::ImportReport;
use normwatch_app::vote_queries::Selection;
use normwatch_app::years::year_span;
use normwatch_core::Iso3;
use normwatch_core::domain::{VoteCounts, VoteValue};
use normwatch_store::votes::DatasetStatus;
use normwatch_votes::analysis::YearAgreement;
use normwatch_votes::analysis::{Agreement, Cohesion, RollCallReport, RollCallSummary, SideBySide, StateRecord};
use normwatch_votes::crosscheck::{self, CrossCheck};
use normwatch_votes::model::Part;

use super::{Report, csv_writer, opt, percent, short};

/// The scope of a selection, as JSON.
fn scope_json(selection: &Selection) -> api::VoteScopeJson {
    api::VoteScopeJson::new(&selection.datasets(), selection.scope(), selection.series())
}

/// The scope of a selection in words: `series X, sessions 60–74 (unvotes + undl-scrape-2021)`.
fn scope_text(selection: &Selection) -> String {
    let scope = selection.scope();
    let mut parts = Vec::new();
    if let Some(series) = selection.series() {
        parts.push(format!("series {series}"));
    }
    if let Some(issue) = &scope.issue {
        parts.push(format!("issue {issue}"));
    }
    if let Some((a, b)) = scope.sessions {
        parts.push(if b == u16::MAX { format!("sessions {a}–") } else { format!("sessions {a}–{b}") });
    }
    if parts.is_empty() {
        parts.push("all roll calls".to_string());
    }
    let datasets: Vec<&str> = selection.datasets().iter().map(|d| d.source_id()).collect();
    format!("{} ({})", parts.join(", "), datasets.join(" + "))
}

fn files_json(files: &[normwatch_store::votes::ImportedFile]) -> Vec<api::ImportedFileJson> {
    files.iter().map(|f| api::ImportedFileJson::new(&f.path, &f.sha256, f.rows)).collect()
}

// ------------------------------------------------------------------ import votes

/// What `normwatch import votes` did.
pub struct Imported<'a>(pub &'a ImportReport);

impl Report for Imported<'_> {
    type Json<'a>
        = api::ImportJson
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_> {
        api::ImportJson {
            datasets: self
                .0
                .imported
                .iter()
                .map(|d| api::DatasetImportJson {
                    dataset: d.summary.dataset.source_id().to_string(),
                    roll_calls: d.summary.roll_calls,
                    votes: d.summary.votes,
                    replaced: d.summary.replaced,
                    files: files_json(&d.files),
                    notes: d.notes.clone(),
                })
                .collect(),
            skipped: self.0.skipped.iter().map(|d| d.source_id().to_string()).collect(),
        }
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        for d in &self.0.imported {
            let s = &d.summary;
            writeln!(
                out,
                "{}: {} roll calls, {} votes{}",
                s.dataset.source_id(),
                s.roll_calls,
                s.votes,
                if s.replaced { " (replacing the earlier import)" } else { "" }
            )?;
            for f in &d.files {
                writeln!(out, "  {} — {} rows, sha256 {}", f.path, f.rows, &f.sha256[..16.min(f.sha256.len())])?;
            }
            for note in &d.notes {
                writeln!(out, "  note: {note}")?;
            }
        }
        for dataset in &self.0.skipped {
            writeln!(out, "{}: already imported from these files, left as it is", dataset.source_id())?;
        }
        Ok(())
    }
}

// ------------------------------------------------------------------ votes imports

/// `normwatch votes imports`.
pub struct Imports(pub Vec<DatasetStatus>);

impl Report for Imports {
    type Json<'a>
        = Vec<api::DatasetStatusJson>
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_> {
        self.0
            .iter()
            .map(|s| api::DatasetStatusJson {
                dataset: s.dataset.source_id().to_string(),
                roll_calls: s.roll_calls,
                votes: s.votes,
                imported_at: s.imported_at.clone(),
                digest: s.digest.clone(),
                files: files_json(&s.files),
            })
            .collect()
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        if self.0.is_empty() {
            return writeln!(out, "no votes imported; run `normwatch import votes PATH`");
        }
        for s in &self.0 {
            writeln!(out, "{}: {} roll calls, {} votes, imported {}", s.dataset, s.roll_calls, s.votes, s.imported_at)?;
            for f in &s.files {
                writeln!(out, "  {} — {} rows, sha256 {}", f.path, f.rows, f.sha256)?;
            }
        }
        Ok(())
    }
}

// ------------------------------------------------------------------ rollcall

/// `normwatch votes rollcall SYMBOL`: each roll call held on the symbol.
pub struct RollCalls(pub Vec<RollCallReport>);

impl Report for RollCalls {
    type Json<'a>
        = Vec<api::RollCallJson>
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_> {
        self.0.iter().map(Into::into).collect()
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        for r in &self.0 {
            let s = &r.summary;
            writeln!(
                out,
                "{} — {} {} ({}{})",
                s.label(),
                s.dataset,
                s.record,
                date_text(s),
                s.session.map(|n| format!(", session {n}")).unwrap_or_default()
            )?;
            if !s.title.is_empty() {
                writeln!(out, "{}", s.title)?;
            }
            if s.part != Part::Whole {
                writeln!(out, "a separate vote on a {}", s.part.as_str())?;
            }
            writeln!(out, "totals as stated: {}", counts(&s.totals))?;
            if r.counted != s.totals {
                writeln!(out, "totals counted from the votes: {}", counts(&r.counted))?;
            }
            for (label, vote) in [
                ("yes", VoteValue::Yes),
                ("no", VoteValue::No),
                ("abstain", VoteValue::Abstain),
                ("non-voting", VoteValue::NonVoting),
            ] {
                let states: Vec<Iso3> = r.votes.iter().filter(|v| v.vote == vote).map(|v| v.state).collect();
                if !states.is_empty() {
                    writeln!(out, "{label} ({}): {}", states.len(), codes(&states))?;
                }
            }
            writeln!(out, "by regional group:    yes   no  abst  non-voting")?;
            for g in &r.groups {
                if g.yes + g.no + g.abstain + g.non_voting > 0 {
                    writeln!(
                        out,
                        "  {:<18} {:>4} {:>4} {:>5} {:>11}",
                        g.group.unwrap_or("(none)"),
                        g.yes,
                        g.no,
                        g.abstain,
                        g.non_voting
                    )?;
                }
            }
            writeln!(out)?;
        }
        Ok(())
    }

    fn csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut csv = csv_writer(out);
        csv.write_record(["symbol", "dataset", "record", "state", "name", "vote", "group"])?;
        for r in &self.0 {
            for v in &r.votes {
                let group = v.state.info().regional_group.map_or("", |g| g.code());
                csv.write_record([
                    r.summary.label().as_str(),
                    r.summary.dataset.source_id(),
                    &r.summary.record,
                    v.state.as_str(),
                    &v.name,
                    v.vote.as_str(),
                    group,
                ])?;
            }
        }
        csv.flush()?;
        Ok(())
    }
}

// ------------------------------------------------------------------ record

/// `normwatch votes record STATE`.
pub struct Record<'a> {
    pub selection: &'a Selection,
    pub record: StateRecord,
}

impl Report for Record<'_> {
    type Json<'a>
        = api::RecordReportJson
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_> {
        api::RecordReportJson { scope: scope_json(self.selection), record: (&self.record).into() }
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let record = &self.record;
        let t = &record.tally;
        writeln!(out, "{} ({}) — {}", record.name, record.state, scope_text(self.selection))?;
        writeln!(
            out,
            "{} roll calls: {} yes, {} no, {} abstain, {} non-voting, {} no vote recorded\n",
            record.roll_calls.len(),
            t.yes,
            t.no,
            t.abstain,
            t.non_voting,
            t.no_vote
        )?;
        for entry in &record.roll_calls {
            let s = &entry.roll_call;
            writeln!(
                out,
                "{:<10} {:<18} {:<11} {:<8} {}",
                date_text(s),
                s.label(),
                entry.vote.map_or("—", |v| v.as_str()),
                counts(&s.totals),
                short(&s.title, 60)
            )?;
        }
        Ok(())
    }

    fn csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut csv = csv_writer(out);
        csv.write_record([
            "symbol",
            "dataset",
            "record",
            "date",
            "vote",
            "yes",
            "no",
            "abstain",
            "non_voting",
            "title",
        ])?;
        for entry in &self.record.roll_calls {
            let s = &entry.roll_call;
            csv.write_record([
                s.label(),
                s.dataset.to_string(),
                s.record.clone(),
                date_text(s),
                entry.vote.map_or("", |v| v.as_str()).to_string(),
                s.totals.yes.to_string(),
                s.totals.no.to_string(),
                s.totals.abstain.to_string(),
                s.totals.non_voting.map(|n| n.to_string()).unwrap_or_default(),
                s.title.clone(),
            ])?;
        }
        csv.flush()?;
        Ok(())
    }
}

// ------------------------------------------------------------------ cohesion

/// `normwatch votes cohesion STATES`.
pub struct CohesionReport<'a> {
    pub selection: &'a Selection,
    pub cohesion: Cohesion,
}

impl Report for CohesionReport<'_> {
    type Json<'a>
        = api::CohesionReportJson
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_> {
        api::CohesionReportJson { scope: scope_json(self.selection), cohesion: (&self.cohesion).into() }
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let cohesion = &self.cohesion;
        let codes: Vec<&str> = cohesion.states.iter().map(Iso3::as_str).collect();
        writeln!(out, "{} — {}", codes.join(", "), scope_text(self.selection))?;
        writeln!(
            out,
            "{} roll calls with two or more members voting; {} unanimous; agreement index {}\n",
            cohesion.roll_calls,
            cohesion.unanimous,
            opt(cohesion.index)
        )?;
        writeln!(out, "member  voted  with the group's majority")?;
        for m in &cohesion.members {
            writeln!(out, "{:<7} {:>5}  {:>5} ({})", m.state, m.voted, m.with_majority, percent(m.share))?;
        }
        writeln!(out, "\npair      agreement   n")?;
        for p in &cohesion.pairs {
            writeln!(out, "{}–{}   {:>8}  {:>4}", p.a, p.b, percent(Some(p.agreement)), p.n)?;
        }
        Ok(())
    }

    fn csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut csv = csv_writer(out);
        csv.write_record(["state", "voted", "with_majority", "share"])?;
        for m in &self.cohesion.members {
            csv.write_record([m.state.to_string(), m.voted.to_string(), m.with_majority.to_string(), opt(m.share)])?;
        }
        csv.flush()?;
        Ok(())
    }
}

// ------------------------------------------------------------------ agreement

/// `normwatch votes agreement`: every pair of states. Its text is its CSV, the useful
/// form of a matrix.
pub struct AgreementReport<'a> {
    pub selection: &'a Selection,
    pub roll_calls: usize,
    pub pairs: Vec<Agreement>,
}

impl Report for AgreementReport<'_> {
    type Json<'a>
        = api::AgreementReportJson
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_> {
        api::AgreementReportJson {
            scope: scope_json(self.selection),
            roll_calls: self.roll_calls,
            pairs: self.pairs.iter().map(Into::into).collect(),
        }
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "a,b,agreement,n")?;
        for p in &self.pairs {
            writeln!(out, "{},{},{},{}", p.a, p.b, p.agreement, p.n)?;
        }
        Ok(())
    }
}

// ------------------------------------------------------------------ pair

/// `normwatch votes pair A B`.
pub struct PairReport<'a> {
    pub selection: &'a Selection,
    pub a: Iso3,
    pub b: Iso3,
    pub identical: u32,
    pub n: u32,
    pub years: Vec<YearAgreement>,
}

impl Report for PairReport<'_> {
    type Json<'a>
        = api::PairReportJson
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_> {
        api::PairReportJson {
            scope: scope_json(self.selection),
            a: self.a.to_string(),
            b: self.b.to_string(),
            overall: api::PairOverallJson::new(self.identical, self.n),
            years: self.years.iter().map(Into::into).collect(),
        }
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let (a, b, n) = (self.a, self.b, self.n);
        writeln!(out, "{a}–{b} — {}", scope_text(self.selection))?;
        let overall = api::PairOverallJson::new(self.identical, n).agreement;
        writeln!(out, "overall: {} over {n} roll calls both voted on\n", percent(overall))?;
        writeln!(out, "year  roll calls  both voted  agreement")?;
        for y in &self.years {
            writeln!(out, "{}  {:>10}  {:>10}  {:>9}", y.year, y.roll_calls, y.n, percent(y.agreement))?;
        }
        Ok(())
    }

    fn csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut csv = csv_writer(out);
        csv.write_record(["year", "roll_calls", "n", "identical", "agreement"])?;
        for y in &self.years {
            csv.write_record([
                y.year.to_string(),
                y.roll_calls.to_string(),
                y.n.to_string(),
                y.identical.to_string(),
                opt(y.agreement),
            ])?;
        }
        csv.flush()?;
        Ok(())
    }
}

// ------------------------------------------------------------------ cyber

/// `normwatch votes cyber`: a series' recorded votes side by side.
pub struct SideBySideReport<'a> {
    pub selection: &'a Selection,
    pub series: String,
    /// The years of the first and the last roll call shown.
    pub years: (i32, i32),
    pub sides: SideBySide,
}

impl Report for SideBySideReport<'_> {
    type Json<'a>
        = api::SideBySideReportJson
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_> {
        api::SideBySideReportJson {
            scope: scope_json(self.selection),
            series: self.series.clone(),
            side_by_side: (&self.sides).into(),
        }
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let sides = &self.sides;
        let (first, last) = self.years;
        writeln!(out, "{}: recorded votes {}\n", self.series, year_span(Some(first), Some(last)))?;
        for s in &sides.roll_calls {
            writeln!(
                out,
                "{:<13} {}  {:<16} {:<22} {}",
                s.label(),
                date_text(s),
                s.record,
                counts(&s.totals),
                s.dataset
            )?;
            writeln!(out, "    no ({}): {}", s.voted_no.len(), codes(&s.voted_no))?;
        }
        writeln!(out, "\nvotes side by side (Y yes, N no, A abstain, X non-voting, . none):")?;
        writeln!(
            out,
            "      {}",
            sides.roll_calls.iter().map(|s| short_symbol(&s.label())).collect::<Vec<_>>().join(" ")
        )?;
        for row in &sides.states {
            let cells: Vec<String> = row
                .votes
                .iter()
                .zip(&sides.roll_calls)
                .map(|(v, s)| format!("{:^w$}", letter(*v), w = short_symbol(&s.label()).chars().count()))
                .collect();
            writeln!(out, "{}   {}", row.state, cells.join(" "))?;
        }
        writeln!(out, "\nmoved from yes to no:")?;
        for m in &sides.yes_to_no {
            writeln!(out, "  {}  {} ({}) → {} ({})", m.state, m.from, m.from_year, m.to, m.to_year)?;
        }
        Ok(())
    }

    fn csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut csv = csv_writer(out);
        let mut header = vec!["state".to_string(), "name".to_string()];
        header.extend(self.sides.roll_calls.iter().map(RollCallSummary::label));
        csv.write_record(&header)?;
        for row in &self.sides.states {
            let mut record = vec![row.state.to_string(), row.name.clone()];
            record.extend(row.votes.iter().map(|v| v.map_or("", |v| v.as_str()).to_string()));
            csv.write_record(&record)?;
        }
        csv.flush()?;
        Ok(())
    }
}

// ------------------------------------------------------------------ crosscheck

/// `normwatch votes crosscheck`.
pub struct CrossChecks(pub Vec<CrossCheck>);

impl Report for CrossChecks {
    type Json<'a>
        = Vec<api::CrossCheckJson>
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_> {
        self.0.iter().map(Into::into).collect()
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        for check in &self.0 {
            let totals = check.disagreements.iter().filter(|d| d.totals_differ).count();
            let dates = check.disagreements.iter().filter(|d| d.dates_differ).count();
            let states = check.disagreements.iter().filter(|d| !d.states.is_empty()).count();
            writeln!(
                out,
                "{} vs {}: {} resolutions voted in both; {} agree in full, {} differ ({totals} in totals, {dates} in date, {states} in states' votes); {} only in {}, {} only in {}",
                check.left,
                check.right,
                check.shared,
                check.agreeing,
                check.disagreements.len(),
                check.only_left,
                check.left,
                check.only_right,
                check.right
            )?;
            for d in &check.disagreements {
                let mut what = Vec::new();
                if d.totals_differ {
                    what.push(format!("totals {} vs {}", counts(&d.left.totals), counts(&d.right.totals)));
                }
                if d.dates_differ {
                    what.push(format!("date {} vs {}", side_date(&d.left), side_date(&d.right)));
                }
                if !d.states.is_empty() {
                    let list: Vec<String> = d
                        .states
                        .iter()
                        .map(|s| format!("{} {}/{}", s.state, vote_text(s.left), vote_text(s.right)))
                        .collect();
                    what.push(format!("{} states: {}", d.states.len(), list.join(", ")));
                }
                writeln!(out, "  {:<16} {} / {}: {}", d.symbol, d.left.record, d.right.record, what.join("; "))?;
            }
        }
        Ok(())
    }

    fn csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut csv = csv_writer(out);
        csv.write_record([
            "symbol",
            "left_dataset",
            "left_record",
            "right_dataset",
            "right_record",
            "kind",
            "subject",
            "left",
            "right",
        ])?;
        for check in &self.0 {
            for d in &check.disagreements {
                let base = |kind: &str, subject: String, l: String, r: String| {
                    [
                        d.symbol.to_string(),
                        check.left.to_string(),
                        d.left.record.clone(),
                        check.right.to_string(),
                        d.right.record.clone(),
                        kind.to_string(),
                        subject,
                        l,
                        r,
                    ]
                };
                if d.totals_differ {
                    csv.write_record(base(
                        "totals",
                        "yes-no-abstain-non_voting".into(),
                        counts_csv(&d.left.totals),
                        counts_csv(&d.right.totals),
                    ))?;
                }
                if d.dates_differ {
                    csv.write_record(base("date", String::new(), side_date(&d.left), side_date(&d.right)))?;
                }
                for s in &d.states {
                    csv.write_record(base("state", s.state.to_string(), vote_text(s.left), vote_text(s.right)))?;
                }
            }
        }
        csv.flush()?;
        Ok(())
    }
}

// ------------------------------------------------------------------ small helpers

fn counts(v: &VoteCounts) -> String {
    match v.non_voting {
        Some(n) => format!("{}–{}–{} ({n} nv)", v.yes, v.no, v.abstain),
        None => format!("{}–{}–{}", v.yes, v.no, v.abstain),
    }
}

fn counts_csv(v: &VoteCounts) -> String {
    format!("{}-{}-{}-{}", v.yes, v.no, v.abstain, v.non_voting.map(|n| n.to_string()).unwrap_or_default())
}

fn codes(states: &[Iso3]) -> String {
    if states.is_empty() {
        return "none".to_string();
    }
    states.iter().map(Iso3::as_str).collect::<Vec<_>>().join(" ")
}

fn date_text(s: &RollCallSummary) -> String {
    s.date.map_or_else(|| s.year.to_string(), |d| d.to_string())
}

fn side_date(s: &crosscheck::Side) -> String {
    s.date.map_or_else(|| s.year.to_string(), |d| d.to_string())
}

fn vote_text(v: Option<VoteValue>) -> String {
    v.map_or("none", |v| v.as_str()).to_string()
}

fn letter(v: Option<VoteValue>) -> &'static str {
    match v {
        Some(VoteValue::Yes) => "Y",
        Some(VoteValue::No) => "N",
        Some(VoteValue::Abstain) => "A",
        Some(VoteValue::NonVoting) => "X",
        None => ".",
    }
}

/// `A/RES/73/266` → `73/266` for narrow columns.
fn short_symbol(label: &str) -> String {
    label.strip_prefix("A/RES/").unwrap_or(label).to_string()
}
