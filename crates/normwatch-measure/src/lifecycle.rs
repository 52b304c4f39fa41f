//! The Finnemore–Sikkink life-cycle stage of each series and each norm, with the rule and
//! the evidence: which instrument carried it past the tipping point, endorsed by how many.

use std::collections::BTreeMap;

use normwatch_core::domain::{DocumentKind, Modality};
use normwatch_core::view::DocumentView;

use crate::config::{Config, Endorsement};
use crate::indicators::{Scope, scope_resolutions, sponsorship};
use crate::inputs::{Evidence, Inputs, document_evidence, document_year, member_states};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Stage {
    Emergence,
    TippingPoint,
    Cascade,
    Internalization,
}

impl Stage {
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Emergence => "emergence",
            Stage::TippingPoint => "tipping point reached",
            Stage::Cascade => "cascade",
            Stage::Internalization => "internalization",
        }
    }
}

/// One instrument's endorsement against the threshold of its year.
#[derive(Clone, Debug, PartialEq)]
pub struct InstrumentRow {
    pub year: i32,
    pub symbol: String,
    /// States endorsing it; `None` where no source says.
    pub endorsements: Option<u32>,
    pub member_states: u32,
    /// `ceil(tipping_share × member_states)`.
    pub threshold: u32,
    pub met: Option<bool>,
    pub evidence: Vec<Evidence>,
}

/// The stage of one series or one norm.
#[derive(Clone, Debug, PartialEq)]
pub struct Lifecycle {
    /// `series` or `norm`.
    pub kind: &'static str,
    pub id: String,
    pub title: Option<String>,
    pub stage: Stage,
    /// The rule applied, with the configured numbers.
    pub rule: String,
    /// Why this stage, in words.
    pub reason: String,
    /// The instrument that first met the threshold: (symbol, year, endorsements, threshold).
    pub crossed_by: Option<(String, i32, u32, u32)>,
    pub instruments: Vec<InstrumentRow>,
}

/// The rule, stated with the configured numbers.
pub fn rule(config: &Config) -> String {
    format!(
        "endorsement = {endorsement}; threshold = ceil({share} × Member States that year); emergence until an instrument's \
         endorsements meet the threshold; 'tipping point reached' from the first that does; cascade once the threshold \
         is met in {years} consecutive years; internalization is never assigned from these data (it needs evidence of \
         domestic law and practice the knowledge base does not hold)",
        endorsement = config.endorsement.as_str(),
        share = config.tipping_share,
        years = config.cascade_years,
    )
}

fn endorsements(
    inputs: &Inputs,
    document: &DocumentView,
    members: u32,
    config: &Config,
) -> (Option<u32>, Vec<Evidence>) {
    match config.endorsement {
        Endorsement::Sponsors => match sponsorship(inputs, document) {
            Some(count) => (Some(count.sponsors), count.evidence),
            None => (None, Vec::new()),
        },
        Endorsement::Adopters => match document.modality {
            Some(Modality::WithoutVote) => (Some(members), document_evidence(document, &["modality"])),
            Some(Modality::RecordedVote) => match document.votes {
                Some(votes) => (Some(votes.yes), document_evidence(document, &["votes"])),
                None => (None, Vec::new()),
            },
            None => (None, Vec::new()),
        },
    }
}

fn row(inputs: &Inputs, document: &DocumentView, config: &Config) -> Option<InstrumentRow> {
    let year = document_year(document)?;
    let (members, members_evidence) = member_states(year);
    let threshold = (config.tipping_share * f64::from(members)).ceil() as u32;
    let (count, mut evidence) = endorsements(inputs, document, members, config);
    evidence.push(members_evidence);
    Some(InstrumentRow {
        year,
        symbol: document.symbol.to_string(),
        endorsements: count,
        member_states: members,
        threshold,
        met: count.map(|c| members > 0 && c >= threshold),
        evidence,
    })
}

fn assess(
    kind: &'static str,
    id: String,
    title: Option<String>,
    instruments: Vec<InstrumentRow>,
    config: &Config,
) -> Lifecycle {
    let crossing = instruments.iter().find(|r| r.met == Some(true));
    let (stage, reason, crossed_by) = match crossing {
        None => {
            let known = instruments.iter().filter(|r| r.endorsements.is_some()).count();
            let best = instruments.iter().filter_map(|r| Some((r.endorsements?, r))).max_by_key(|(c, _)| *c);
            let reason = match best {
                Some((count, r)) => format!(
                    "no instrument met the threshold; the most endorsed is {} ({}) with {count} of {} needed; {} of {} instruments have an endorsement count",
                    r.symbol,
                    r.year,
                    r.threshold,
                    known,
                    instruments.len()
                ),
                None => format!("no source counts the endorsements of any of its {} instrument(s)", instruments.len()),
            };
            (Stage::Emergence, reason, None)
        }
        Some(first) => {
            // Consecutive years, from the crossing, in which some instrument met the threshold.
            let mut by_year: BTreeMap<i32, bool> = BTreeMap::new();
            for r in instruments.iter().filter(|r| r.year >= first.year) {
                let entry = by_year.entry(r.year).or_insert(false);
                *entry |= r.met == Some(true);
            }
            let mut run = 0u32;
            for (expected, (year, met)) in (first.year..).zip(&by_year) {
                if *year != expected || !met {
                    break;
                }
                run += 1;
            }
            let stage = if run >= config.cascade_years { Stage::Cascade } else { Stage::TippingPoint };
            let count = first.endorsements.unwrap_or(0);
            let reason = format!(
                "{} ({}) was endorsed by {count}, meeting the threshold of {} of {} Member States; met in {run} consecutive year(s) from then",
                first.symbol, first.year, first.threshold, first.member_states
            );
            (stage, reason, Some((first.symbol.clone(), first.year, count, first.threshold)))
        }
    };
    Lifecycle { kind, id, title, stage, rule: rule(config), reason, crossed_by, instruments }
}

/// The stage of one series, from its resolutions.
pub fn series_lifecycle(inputs: &Inputs, series: &str, config: &Config) -> Option<Lifecycle> {
    let scope = Scope::Series(series.to_string());
    let resolutions = scope_resolutions(inputs, &scope);
    if resolutions.is_empty() {
        return None;
    }
    let title = resolutions.iter().find_map(|d| d.title.clone());
    let rows = resolutions.iter().filter_map(|d| row(inputs, d, config)).collect();
    Some(assess("series", series.to_string(), title, rows, config))
}

/// The norms: documents carrying items in the configured lists (annexed principles or
/// elements, recommendations), each assessed by its own endorsement.
pub fn norm_lifecycles(inputs: &Inputs, config: &Config) -> Vec<Lifecycle> {
    inputs
        .documents
        .iter()
        .filter(|d| d.items.iter().any(|i| config.norm_lists.contains(&i.list)))
        .filter_map(|d| {
            let instrument = row(inputs, d, config)?;
            let mut lifecycle = assess("norm", d.symbol.to_string(), d.title.clone(), vec![instrument], config);
            if d.kind != Some(DocumentKind::Resolution) && lifecycle.crossed_by.is_none() {
                lifecycle.reason.push_str(
                    "; this instrument is not a resolution, and the resolutions that welcome or take note of it are not linked to it in the knowledge base",
                );
            }
            Some(lifecycle)
        })
        .collect()
}

/// The stage of a norm of the knowledge base from every instrument that carries it (its
/// crosswalk edges), by the same rule as a series: each instrument is a row, in time order.
/// `None` when no instrument has a year.
pub fn instruments_lifecycle(
    inputs: &Inputs,
    id: &str,
    title: Option<String>,
    instruments: &[&DocumentView],
    config: &Config,
) -> Option<Lifecycle> {
    let mut rows: Vec<InstrumentRow> = instruments.iter().filter_map(|d| row(inputs, d, config)).collect();
    if rows.is_empty() {
        return None;
    }
    rows.sort_by(|a, b| (a.year, &a.symbol).cmp(&(b.year, &b.symbol)));
    Some(assess("norm", id.to_string(), title, rows, config))
}

/// Every series (or only one) and, without a series filter, every norm.
pub fn lifecycles(inputs: &Inputs, series: Option<&str>, config: &Config) -> Vec<Lifecycle> {
    let mut ids: Vec<&str> = inputs.documents.iter().filter_map(|d| d.series.as_deref()).collect();
    ids.sort();
    ids.dedup();
    let mut out: Vec<Lifecycle> = ids
        .into_iter()
        .filter(|id| series.is_none_or(|s| s == *id))
        .filter_map(|id| series_lifecycle(inputs, id, config))
        .collect();
    if series.is_none() {
        out.extend(norm_lifecycles(inputs, config));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use normwatch_core::kb::{KbFile, load};

    fn inputs(counts: &[(i32, u32)]) -> Inputs {
        let sources = "[[source]]\nid = \"maurer2011\"\nkind = \"seed\"\nfile = \"001.txt\"\ncitation = \"Maurer\"\n";
        let series = "[[series]]\nid = \"s\"\n  [[series.fact]]\n  source = \"maurer2011 §II.1.1\"\n  title = \"T\"\n";
        let documents: String = counts
            .iter()
            .enumerate()
            .map(|(i, (year, count))| {
                format!(
                    "[[document]]\nsymbol = \"A/RES/{session}/1\"\n  [[document.fact]]\n  source = \"maurer2011 §II.1.1\"\n  kind = \"resolution\"\n  series = \"s\"\n  year = {year}\n  cosponsor_count = {count}\n",
                    session = 60 + i
                )
            })
            .collect();
        let kb = load(&[
            KbFile { path: "sources.toml".into(), text: sources.into() },
            KbFile { path: "series/s.toml".into(), text: series.into() },
            KbFile { path: "documents/d.toml".into(), text: documents },
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        Inputs::from_records(&kb.records, Vec::new())
    }

    #[test]
    fn below_the_threshold_is_emergence_and_the_most_endorsed_is_named() {
        let config = Config::default_config().unwrap();
        let l = series_lifecycle(&inputs(&[(2005, 1), (2006, 40)]), "s", &config).unwrap();
        assert_eq!(l.stage, Stage::Emergence);
        assert!(l.reason.contains("A/RES/61/1") && l.reason.contains("40 of 64"), "{}", l.reason);
    }

    #[test]
    fn crossing_names_the_instrument_and_a_sustained_crossing_is_a_cascade() {
        let config = Config::default_config().unwrap();
        let tipped = series_lifecycle(&inputs(&[(2005, 10), (2006, 70), (2007, 20)]), "s", &config).unwrap();
        assert_eq!(tipped.stage, Stage::TippingPoint);
        assert_eq!(tipped.crossed_by, Some(("A/RES/61/1".to_string(), 2006, 70, 64)));
        let cascade = series_lifecycle(&inputs(&[(2005, 10), (2006, 70), (2007, 80)]), "s", &config).unwrap();
        assert_eq!(cascade.stage, Stage::Cascade);
        // A lower threshold moves the crossing earlier.
        let low = Config::parse(&crate::DEFAULT_CONFIG.replacen("  value = 0.3333\n", "  value = 0.05\n", 1)).unwrap();
        let early = series_lifecycle(&inputs(&[(2005, 10), (2006, 70)]), "s", &low).unwrap();
        assert_eq!(early.crossed_by.unwrap().0, "A/RES/60/1");
    }
}
