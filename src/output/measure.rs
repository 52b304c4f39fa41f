//! The reports of `normwatch index`, `index sensitivity`, `lifecycle` and `figure`.

use std::io::{self, Write};
use std::path::PathBuf;

use normwatch_api as api;
use normwatch_measure::{IndexPoint, Indicator, Lifecycle, SensitivityRun, Svg};

use super::{Report, csv_writer, opt};

fn cell(value: Option<f64>) -> String {
    value.map_or_else(|| "—".to_string(), |v| format!("{v:.3}"))
}

/// `normwatch index`: the index per year.
pub struct IndexReport {
    /// The stream or series measured, in words.
    pub scope: String,
    pub points: Vec<IndexPoint>,
}

impl Report for IndexReport {
    type Json<'a>
        = Vec<api::IndexPointJson>
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_> {
        self.points.iter().map(api::IndexPointJson::from).collect()
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "Norm-emergence index, {} (— = missing)", self.scope)?;
        let names: Vec<String> = Indicator::ALL.iter().map(|i| format!("{:>10.10}", i.as_str())).collect();
        writeln!(out, "{:<6}{:>8}  {}", "year", "index", names.join(" "))?;
        for point in &self.points {
            let values: Vec<String> = point.components.iter().map(|c| format!("{:>10}", cell(c.value))).collect();
            writeln!(out, "{:<6}{:>8}  {}", point.year, cell(point.value), values.join(" "))?;
        }
        writeln!(out, "\n`--json` decomposes every value into indicators and the cited facts behind them.")
    }

    fn csv(&self, out: &mut dyn Write) -> anyhow::Result<()> {
        let mut writer = csv_writer(out);
        let mut header = vec!["year".to_string(), "value".to_string(), "coverage".to_string()];
        header.extend(Indicator::ALL.iter().map(|i| i.as_str().to_string()));
        writer.write_record(&header)?;
        for point in &self.points {
            let mut row = vec![point.year.to_string(), opt(point.value), format!("{}", point.coverage)];
            row.extend(point.components.iter().map(|c| opt(c.value)));
            writer.write_record(&row)?;
        }
        writer.flush()?;
        Ok(())
    }
}

/// `normwatch index sensitivity`.
pub struct SensitivityReport {
    /// The stream or series measured, in words.
    pub scope: String,
    pub factors: Vec<f64>,
    /// Each year's index and rank with the configured weights.
    pub base: Vec<(i32, Option<f64>, Option<usize>)>,
    pub runs: Vec<SensitivityRun>,
}

impl Report for SensitivityReport {
    type Json<'a>
        = api::SensitivityJson
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_> {
        api::SensitivityJson {
            scope: self.scope.clone(),
            factors: self.factors.clone(),
            base: self.base.iter().map(|&(year, value, rank)| api::RankJson { year, value, rank }).collect(),
            runs: self.runs.iter().map(api::SensitivityRunJson::from).collect(),
        }
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "Sensitivity of the yearly ranking, {} (rank 1 = highest index)", self.scope)?;
        writeln!(
            out,
            "{:<22}{:>8}{:>8}{:>11}{:>10}  years that move",
            "indicator", "factor", "weight", "max shift", "spearman"
        )?;
        for run in &self.runs {
            let moved: Vec<String> = run
                .years
                .iter()
                .filter(|y| y.base_rank != y.rank)
                .map(|y| {
                    format!(
                        "{} {}→{}",
                        y.year,
                        y.base_rank.map_or("—".into(), |r| r.to_string()),
                        y.rank.map_or("—".into(), |r| r.to_string())
                    )
                })
                .collect();
            writeln!(
                out,
                "{:<22}{:>8}{:>8}{:>11}{:>10}  {}",
                run.indicator.as_str(),
                format!("×{}", run.factor),
                format!("{}", run.weight),
                run.max_shift,
                run.spearman.map_or("—".into(), |s| format!("{s:.3}")),
                if moved.is_empty() { "none".to_string() } else { moved.join(", ") }
            )?;
        }
        Ok(())
    }
}

/// `normwatch lifecycle`.
pub struct LifecycleReport(pub Vec<Lifecycle>);

impl Report for LifecycleReport {
    type Json<'a>
        = Vec<api::LifecycleJson>
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_> {
        self.0.iter().map(api::LifecycleJson::from).collect()
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        let all = self.json();
        if let Some(first) = all.first() {
            writeln!(out, "Rule: {}\n", first.rule)?;
        }
        for l in &all {
            writeln!(out, "{} {} — {}", l.kind, l.id, l.stage)?;
            if let Some(title) = &l.title {
                writeln!(out, "  {title}")?;
            }
            writeln!(out, "  {}", l.reason)?;
        }
        Ok(())
    }
}

/// `normwatch figure NAME --out FILE`: the figure written.
pub struct FigureWritten {
    pub svg: Svg,
    pub out: PathBuf,
}

impl Report for FigureWritten {
    type Json<'a>
        = api::FigureFileJson
    where
        Self: 'a;

    fn json(&self) -> Self::Json<'_> {
        api::FigureFileJson::new(&self.svg, &self.out)
    }

    fn text(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out, "wrote {} ({}): {}", self.out.display(), self.svg.name, self.svg.title)
    }
}
