//! The JSON of `normwatch index sensitivity --json` and `normwatch figure --json`
//! (the index and life cycles are [`crate::IndexPointJson`] and [`crate::LifecycleJson`]).
//!
//! Field names are an interface: add, never rename. `docs/methods.md` documents them.

use serde::Serialize;
use utoipa::ToSchema;

use normwatch_measure::Svg;
use normwatch_measure::index::{RankMove, SensitivityRun};

/// A year's index and its rank (1 = highest).
#[derive(Debug, Serialize, ToSchema)]
pub struct RankJson {
    pub year: i32,
    pub value: Option<f64>,
    pub rank: Option<usize>,
}

/// A year's rank with one weight changed.
#[derive(Debug, Serialize, ToSchema)]
pub struct SensitivityYearJson {
    pub year: i32,
    pub base_rank: Option<usize>,
    pub rank: Option<usize>,
    /// The index with the changed weight.
    pub value: Option<f64>,
}

impl From<&RankMove> for SensitivityYearJson {
    fn from(m: &RankMove) -> Self {
        SensitivityYearJson { year: m.year, base_rank: m.base_rank, rank: m.rank, value: m.value }
    }
}

/// How one changed weight moves the yearly ranking.
#[derive(Debug, Serialize, ToSchema)]
pub struct SensitivityRunJson {
    pub indicator: String,
    pub factor: f64,
    pub weight: f64,
    /// The largest move of any year in the ranking.
    pub max_shift: usize,
    /// Spearman's rank correlation between the two rankings.
    pub spearman: Option<f64>,
    pub years: Vec<SensitivityYearJson>,
}

impl From<&SensitivityRun> for SensitivityRunJson {
    fn from(r: &SensitivityRun) -> Self {
        SensitivityRunJson {
            indicator: r.indicator.as_str().to_string(),
            factor: r.factor,
            weight: r.weight,
            max_shift: r.max_shift,
            spearman: r.spearman,
            years: r.years.iter().map(Into::into).collect(),
        }
    }
}

/// `normwatch index sensitivity --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SensitivityJson {
    /// The stream or series measured.
    pub scope: String,
    /// The factors each weight was multiplied by.
    pub factors: Vec<f64>,
    pub base: Vec<RankJson>,
    pub runs: Vec<SensitivityRunJson>,
}

/// `normwatch figure NAME --out FILE --json`: the figure written.
#[derive(Debug, Serialize, ToSchema)]
pub struct FigureFileJson {
    pub name: String,
    /// The SVG file written.
    pub out: String,
    pub title: String,
    pub caption: String,
    pub sources: Vec<String>,
}

impl FigureFileJson {
    pub fn new(svg: &Svg, out: &std::path::Path) -> FigureFileJson {
        FigureFileJson {
            name: svg.name.clone(),
            out: out.display().to_string(),
            title: svg.title.clone(),
            caption: svg.caption.clone(),
            sources: svg.sources.clone(),
        }
    }
}
