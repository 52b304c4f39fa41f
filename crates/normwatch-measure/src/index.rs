//! The index: a weighted mean of the indicators a year has, and how its yearly ranking
//! moves when each weight moves.

use crate::config::{Config, Weights};
use crate::indicators::{Scope, YearMeasure, yearly_indicators};
use crate::inputs::{Evidence, Inputs};
use crate::{Indicator, MeasureError};

/// One indicator's part in one year's index.
#[derive(Clone, Debug, PartialEq)]
pub struct Component {
    pub indicator: Indicator,
    pub value: Option<f64>,
    pub weight: f64,
    /// `weight × value / (sum of the weights of the indicators that have a value)`; the
    /// contributions add up to the index.
    pub contribution: Option<f64>,
    pub detail: String,
    pub facts: Vec<String>,
    pub evidence: Vec<Evidence>,
}

/// The index of one year.
#[derive(Clone, Debug, PartialEq)]
pub struct IndexPoint {
    pub year: i32,
    /// `None` when the indicators with a value carry less than the minimum coverage.
    pub value: Option<f64>,
    /// The share of the total weight carried by indicators with a value.
    pub coverage: f64,
    pub resolutions: Vec<String>,
    pub components: Vec<Component>,
}

/// Combines indicator values (in [`Indicator::ALL`] order) into an index value and its
/// coverage: `Σ wᵢxᵢ / Σ wᵢ` over the indicators that have a value.
pub fn combine(values: &[Option<f64>], weights: &Weights, min_coverage: f64) -> (Option<f64>, f64) {
    let total = weights.total();
    let mut weighted = 0.0;
    let mut available = 0.0;
    for (indicator, value) in Indicator::ALL.iter().zip(values) {
        if let Some(x) = value {
            let w = weights.get(*indicator);
            weighted += w * x;
            available += w;
        }
    }
    let coverage = if total > 0.0 { available / total } else { 0.0 };
    if available <= 0.0 || coverage + 1e-12 < min_coverage {
        return (None, coverage);
    }
    (Some(weighted / available), coverage)
}

/// The index of each year, with its decomposition.
pub fn index(years: &[YearMeasure], weights: &Weights, min_coverage: f64) -> Vec<IndexPoint> {
    years
        .iter()
        .map(|year| {
            let values: Vec<Option<f64>> = year.indicators.iter().map(|i| i.value).collect();
            let (value, coverage) = combine(&values, weights, min_coverage);
            let available: f64 =
                year.indicators.iter().filter(|i| i.value.is_some()).map(|i| weights.get(i.indicator)).sum();
            let components = year
                .indicators
                .iter()
                .map(|i| {
                    let weight = weights.get(i.indicator);
                    Component {
                        indicator: i.indicator,
                        value: i.value,
                        weight,
                        contribution: match (value, i.value) {
                            (Some(_), Some(x)) if available > 0.0 => Some(weight * x / available),
                            _ => None,
                        },
                        detail: i.detail.clone(),
                        facts: i.facts(),
                        evidence: i.evidence.clone(),
                    }
                })
                .collect();
            IndexPoint {
                year: year.year,
                value,
                coverage,
                resolutions: year.resolutions.iter().map(|s| s.to_string()).collect(),
                components,
            }
        })
        .collect()
}

/// The index of a scope with the configured weights.
pub fn measure(inputs: &Inputs, scope: &Scope, config: &Config) -> Result<Vec<IndexPoint>, MeasureError> {
    let years = yearly_indicators(inputs, scope, config)?;
    Ok(index(&years, &config.weights, config.min_coverage))
}

/// One year's place in the ranking before and after a weight changes. Rank 1 is the
/// highest index; a missing year has no rank.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RankMove {
    pub year: i32,
    pub base_rank: Option<usize>,
    pub rank: Option<usize>,
    /// The index with the changed weight.
    pub value: Option<f64>,
}

/// How one changed weight moves the yearly ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct SensitivityRun {
    pub indicator: Indicator,
    pub factor: f64,
    pub weight: f64,
    pub years: Vec<RankMove>,
    /// The largest move of any year in the ranking.
    pub max_shift: usize,
    /// Spearman's rank correlation between the two rankings.
    pub spearman: Option<f64>,
}

/// The rank of each year (1 = highest index; ties go to the earlier year).
pub fn ranks(points: &[(i32, Option<f64>)]) -> Vec<(i32, Option<usize>)> {
    let mut ranked: Vec<(i32, f64)> = points.iter().filter_map(|(y, v)| v.map(|v| (*y, v))).collect();
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    points.iter().map(|(y, _)| (*y, ranked.iter().position(|(ry, _)| ry == y).map(|p| p + 1))).collect()
}

/// Moves each weight by each factor (default ±50%: 0.5 and 1.5) and reports how the
/// yearly ranking changes.
pub fn sensitivity(years: &[YearMeasure], config: &Config, factors: &[f64]) -> Vec<SensitivityRun> {
    let base: Vec<(i32, Option<f64>)> =
        index(years, &config.weights, config.min_coverage).iter().map(|p| (p.year, p.value)).collect();
    let base_ranks = ranks(&base);
    let mut runs = Vec::new();
    for indicator in Indicator::ALL {
        for &factor in factors {
            let mut weights = config.weights;
            let weight = weights.get(indicator) * factor;
            weights.set(indicator, weight);
            let changed: Vec<(i32, Option<f64>)> =
                index(years, &weights, config.min_coverage).iter().map(|p| (p.year, p.value)).collect();
            let changed_ranks = ranks(&changed);
            let rows: Vec<RankMove> = base_ranks
                .iter()
                .zip(&changed_ranks)
                .zip(&changed)
                .map(|(((year, a), (_, b)), (_, v))| RankMove { year: *year, base_rank: *a, rank: *b, value: *v })
                .collect();
            let max_shift = rows.iter().filter_map(|r| Some(r.base_rank?.abs_diff(r.rank?))).max().unwrap_or(0);
            runs.push(SensitivityRun { indicator, factor, weight, spearman: spearman(&rows), years: rows, max_shift });
        }
    }
    runs
}

fn spearman(rows: &[RankMove]) -> Option<f64> {
    let pairs: Vec<(f64, f64)> = rows.iter().filter_map(|r| Some((r.base_rank? as f64, r.rank? as f64))).collect();
    let n = pairs.len() as f64;
    if pairs.len() < 2 {
        return None;
    }
    let mean_a = pairs.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_b = pairs.iter().map(|p| p.1).sum::<f64>() / n;
    let cov: f64 = pairs.iter().map(|p| (p.0 - mean_a) * (p.1 - mean_b)).sum();
    let var_a: f64 = pairs.iter().map(|p| (p.0 - mean_a).powi(2)).sum();
    let var_b: f64 = pairs.iter().map(|p| (p.1 - mean_b).powi(2)).sum();
    if var_a == 0.0 || var_b == 0.0 {
        return None;
    }
    Some(cov / (var_a * var_b).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn weights(ws: [f64; 6]) -> Weights {
        Weights(ws)
    }

    #[test]
    fn missing_indicators_are_left_out_not_counted_as_zero() {
        let w = weights([1.0, 1.0, 0.5, 0.5, 0.5, 0.5]);
        let (value, coverage) = combine(&[None, Some(1.0), None, Some(0.0), Some(0.2), None], &w, 0.5);
        assert!((value.unwrap() - (1.0 + 0.0 + 0.1) / 2.0).abs() < 1e-12);
        assert!((coverage - 2.0 / 4.0).abs() < 1e-12);
        // Below the minimum coverage the year is missing.
        assert_eq!(combine(&[None, None, None, None, Some(0.2), None], &w, 0.5).0, None);
        assert_eq!(combine(&[None; 6], &w, 0.0).0, None);
    }

    #[test]
    fn ranks_put_the_highest_first_and_skip_missing_years() {
        let r = ranks(&[(2000, Some(0.2)), (2001, None), (2002, Some(0.5)), (2003, Some(0.2))]);
        assert_eq!(r, vec![(2000, Some(2)), (2001, None), (2002, Some(1)), (2003, Some(3))]);
    }

    proptest! {
        /// The index never falls when a positively weighted indicator rises (with the same
        /// indicators available), and stays within the range of the indicators.
        #[test]
        fn the_index_is_monotone_in_each_positively_weighted_indicator(
            ws in proptest::array::uniform6(0.0f64..3.0),
            xs in proptest::array::uniform6(proptest::option::weighted(0.8, 0.0f64..=1.0)),
            which in 0usize..6,
            bump in 0.0f64..1.0,
        ) {
            prop_assume!(ws[which] > 0.0);
            let w = weights(ws);
            let mut higher = xs;
            let base = xs[which].unwrap_or(0.0);
            higher[which] = Some((base + bump).min(1.0));
            let mut lower = xs;
            lower[which] = Some(base);
            let (a, _) = combine(&lower, &w, 0.0);
            let (b, _) = combine(&higher, &w, 0.0);
            if let (Some(a), Some(b)) = (a, b) {
                prop_assert!(b + 1e-12 >= a, "{a} > {b}");
                if higher[which] > lower[which] {
                    prop_assert!(b > a - 1e-12);
                }
            }
            if let Some(v) = b {
                let known: Vec<f64> = higher.iter().zip(ws).filter(|(x, w)| x.is_some() && *w > 0.0).map(|(x, _)| x.unwrap()).collect();
                let lo = known.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = known.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                prop_assert!(v >= lo - 1e-9 && v <= hi + 1e-9);
            }
        }

        /// Strictly monotone: raising a positively weighted indicator raises the index.
        #[test]
        fn raising_an_indicator_strictly_raises_the_index(
            ws in proptest::array::uniform6(0.01f64..3.0),
            xs in proptest::array::uniform6(0.0f64..0.9),
            which in 0usize..6,
            bump in 0.01f64..0.1,
        ) {
            let w = weights(ws);
            let lower: Vec<Option<f64>> = xs.iter().map(|x| Some(*x)).collect();
            let mut higher = lower.clone();
            higher[which] = Some(xs[which] + bump);
            let (a, _) = combine(&lower, &w, 0.0);
            let (b, _) = combine(&higher, &w, 0.0);
            prop_assert!(b.unwrap() > a.unwrap());
        }
    }
}
