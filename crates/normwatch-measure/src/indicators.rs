//! The six indicators of norm emergence, per scope (a stream or a series) and year, each
//! computed from cited facts. A value the facts do not give is `None`, never zero.

use std::collections::BTreeSet;

use normwatch_core::domain::{DocumentKind, Modality, OperativeVerb, Outcome, ParagraphPart, Stream};
use normwatch_core::kb::Basis;
use normwatch_core::view::{DocumentView, GroupView};
use normwatch_core::{Iso3, Symbol};

use crate::config::Config;
use crate::inputs::{Evidence, Inputs, document_evidence, document_year, group_evidence, member_states};
use crate::{Indicator, MeasureError};

/// What is measured: every resolution of a stream, or one series.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Scope {
    Stream(Stream),
    Series(String),
}

impl Scope {
    pub fn label(&self) -> String {
        match self {
            Scope::Stream(stream) => format!("stream {stream}"),
            Scope::Series(id) => format!("series {id}"),
        }
    }

    fn contains(&self, document: &DocumentView) -> bool {
        match self {
            Scope::Stream(stream) => document.stream == Some(*stream),
            Scope::Series(id) => document.series.as_deref() == Some(id.as_str()),
        }
    }
}

/// One indicator's value in one year, with how it was computed and the facts behind it.
#[derive(Clone, Debug, PartialEq)]
pub struct IndicatorValue {
    pub indicator: Indicator,
    /// On a 0–1 scale; `None` where the facts do not give it.
    pub value: Option<f64>,
    /// How the value was computed, in words and numbers.
    pub detail: String,
    pub evidence: Vec<Evidence>,
}

impl IndicatorValue {
    /// The distinct sources of the evidence, sorted.
    pub fn facts(&self) -> Vec<String> {
        let set: BTreeSet<&str> = self.evidence.iter().map(|e| e.source.as_str()).collect();
        set.into_iter().map(str::to_string).collect()
    }
}

/// The indicators of one scope in one year.
#[derive(Clone, Debug, PartialEq)]
pub struct YearMeasure {
    pub year: i32,
    /// The scope's resolutions adopted that year.
    pub resolutions: Vec<Symbol>,
    /// One value per indicator, in [`Indicator::ALL`] order.
    pub indicators: Vec<IndicatorValue>,
}

impl YearMeasure {
    pub fn get(&self, indicator: Indicator) -> &IndicatorValue {
        &self.indicators[indicator.position()]
    }
}

/// The sponsors of one resolution, from the resolution and the draft it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct SponsorCount {
    pub sponsors: u32,
    pub introduced_by: Vec<Iso3>,
    pub cosponsors: Vec<Iso3>,
    /// The total a source gives, if any.
    pub counted: Option<u32>,
    pub evidence: Vec<Evidence>,
}

const SPONSOR_FIELDS: &[&str] = &["introduced_by", "cosponsors", "cosponsor_count"];

/// The scope's resolutions, in order.
pub fn scope_resolutions<'a>(inputs: &'a Inputs, scope: &Scope) -> Vec<&'a DocumentView> {
    inputs
        .documents
        .iter()
        .filter(|d| d.kind == Some(DocumentKind::Resolution) && scope.contains(d) && document_year(d).is_some())
        .collect()
}

/// The drafts a resolution came from: its `draft` fact, and drafts whose `resolution` names it.
fn drafts_of<'a>(inputs: &'a Inputs, resolution: &DocumentView) -> Vec<&'a DocumentView> {
    inputs
        .documents
        .iter()
        .filter(|d| {
            d.symbol != resolution.symbol
                && (resolution.draft.as_ref() == Some(&d.symbol) || d.resolution.as_ref() == Some(&resolution.symbol))
        })
        .collect()
}

/// Who sponsored a resolution: the union of named introducers and co-sponsors, or the
/// total a source counts where larger. `None` when no source names a co-sponsor or gives
/// a count (knowing only who introduced the text does not say how many joined).
pub fn sponsorship(inputs: &Inputs, resolution: &DocumentView) -> Option<SponsorCount> {
    let mut documents = vec![resolution];
    documents.extend(drafts_of(inputs, resolution));
    let mut introduced_by: Vec<Iso3> = Vec::new();
    let mut cosponsors: Vec<Iso3> = Vec::new();
    let mut counted: Option<u32> = None;
    let mut evidence = Vec::new();
    let mut stated = false;
    for document in &documents {
        let Some(s) = &document.sponsorship else { continue };
        introduced_by.extend(&s.introduced_by);
        cosponsors.extend(&s.cosponsors);
        if let Some(total) = s.total_count {
            counted = Some(counted.map_or(total, |c| c.max(total)));
        }
        stated |= !s.cosponsors.is_empty() || s.total_count.is_some();
        evidence.extend(document_evidence(document, SPONSOR_FIELDS));
    }
    if !stated {
        return None;
    }
    introduced_by.sort();
    introduced_by.dedup();
    cosponsors.sort();
    cosponsors.dedup();
    let mut named: Vec<Iso3> = introduced_by.iter().chain(&cosponsors).copied().collect();
    named.sort();
    named.dedup();
    let sponsors = counted.unwrap_or(0).max(named.len() as u32);
    Some(SponsorCount { sponsors, introduced_by, cosponsors, counted, evidence })
}

/// The consensus of one resolution's adoption: 1 without a vote; for a recorded vote,
/// `max(0, base × yes share − penalty × permanent members voting No)`.
pub fn consensus(resolution: &DocumentView, config: &Config) -> Option<(f64, String, Vec<Evidence>)> {
    let symbol = &resolution.symbol;
    match resolution.modality? {
        Modality::WithoutVote => {
            Some((1.0, format!("{symbol}: adopted without a vote = 1"), document_evidence(resolution, &["modality"])))
        }
        Modality::RecordedVote => {
            let votes = resolution.votes?;
            let cast = votes.yes + votes.no + votes.abstain;
            if cast == 0 {
                return None;
            }
            let share = f64::from(votes.yes) / f64::from(cast);
            let p5_no: Vec<&Iso3> =
                resolution.voted_no.iter().filter(|s| config.permanent_members.contains(s)).collect();
            let value =
                (config.recorded_vote_base * share - config.permanent_member_no_penalty * p5_no.len() as f64).max(0.0);
            let names: Vec<&str> = p5_no.iter().map(|s| s.as_str()).collect();
            let detail = format!(
                "{symbol}: recorded vote {votes}: {base} × {share:.4} − {penalty} × {n} permanent member(s) voting No{list} = {value:.4}",
                base = config.recorded_vote_base,
                penalty = config.permanent_member_no_penalty,
                n = p5_no.len(),
                list = if names.is_empty() { String::new() } else { format!(" ({})", names.join(", ")) },
            );
            Some((value, detail, document_evidence(resolution, &["modality", "votes", "voted_no"])))
        }
    }
}

/// The operative verbs of a resolution: from its operative paragraphs where the knowledge
/// base holds them, else from passages the seeds quote in their own quotation marks.
pub fn operative_verbs(resolution: &DocumentView) -> Vec<(OperativeVerb, Evidence)> {
    let symbol = resolution.symbol.to_string();
    let mut found = Vec::new();
    for paragraph in &resolution.paragraphs {
        if paragraph.part != ParagraphPart::Operative {
            continue;
        }
        let verb = paragraph
            .verb
            .or_else(|| paragraph.verb_text.as_deref().and_then(OperativeVerb::classify))
            .or_else(|| OperativeVerb::classify(&paragraph.text));
        if let Some(verb) = verb {
            let number = paragraph.number.map_or_else(String::new, |n| format!(" {n}"));
            found.push((
                verb,
                Evidence {
                    record: symbol.clone(),
                    field: format!("operative paragraph{number}"),
                    source: paragraph.source.to_string(),
                    value: verb.to_string(),
                },
            ));
        }
    }
    if !found.is_empty() {
        return found;
    }
    for source in &resolution.sources {
        if source.basis() != Basis::Seed {
            continue;
        }
        let Some(quote) = &source.quote else { continue };
        for passage in quoted_passages(quote) {
            if let Some(verb) = OperativeVerb::classify(passage) {
                let evidence = Evidence {
                    record: symbol.clone(),
                    field: format!("quote ({})", source.field),
                    source: source.source.to_string(),
                    value: verb.to_string(),
                };
                if !found.iter().any(|(v, e): &(OperativeVerb, Evidence)| *v == verb && e.source == evidence.source) {
                    found.push((verb, evidence));
                }
            }
        }
    }
    found
}

/// The passages inside quotation marks (“…”, ‘…’, "…") in a seed's quote.
fn quoted_passages(text: &str) -> Vec<&str> {
    let mut passages = Vec::new();
    for (open, close) in [('“', '”'), ('‘', '’'), ('"', '"')] {
        let mut rest = text;
        while let Some(start) = rest.find(open) {
            let after = &rest[start + open.len_utf8()..];
            let Some(end) = after.find(close) else { break };
            passages.push(&after[..end]);
            rest = &after[end + close.len_utf8()..];
        }
    }
    passages
}

/// The strength of a resolution's language: its strongest ranked operative verb on a 0–1
/// scale. `None` when no ranked verb is known.
pub fn language(resolution: &DocumentView, config: &Config) -> Option<(f64, String, Vec<Evidence>)> {
    let verbs = operative_verbs(resolution);
    let ranked: Vec<(f64, &OperativeVerb, &Evidence)> =
        verbs.iter().filter_map(|(v, e)| config.verb_strength(*v).map(|s| (s, v, e))).collect();
    let (best, verb, _) =
        ranked.iter().copied().fold(None, |acc: Option<(f64, &OperativeVerb, &Evidence)>, x| match acc {
            Some(a) if a.0 >= x.0 => Some(a),
            _ => Some(x),
        })?;
    let unranked: Vec<String> =
        verbs.iter().filter(|(v, _)| config.verb_strength(*v).is_none()).map(|(v, _)| v.to_string()).collect();
    let detail = format!(
        "{}: strongest ranked operative verb '{verb}' = {best:.4}{}",
        resolution.symbol,
        if unranked.is_empty() { String::new() } else { format!(" (not ranked: {})", unranked.join(", ")) }
    );
    Some((best, detail, ranked.iter().map(|(_, _, e)| (*e).clone()).collect()))
}

/// The mean of the values the scope's resolutions of a year have.
fn mean_of(
    indicator: Indicator,
    per_document: Vec<Option<(f64, String, Vec<Evidence>)>>,
    missing_note: &str,
) -> IndicatorValue {
    let known: Vec<(f64, String, Vec<Evidence>)> = per_document.iter().flatten().cloned().collect();
    let missing = per_document.len() - known.len();
    if known.is_empty() {
        return IndicatorValue {
            indicator,
            value: None,
            detail: format!("missing: {missing_note}"),
            evidence: Vec::new(),
        };
    }
    let value = known.iter().map(|k| k.0).sum::<f64>() / known.len() as f64;
    let mut detail: Vec<String> = known.iter().map(|k| k.1.clone()).collect();
    if known.len() > 1 {
        detail.push(format!("mean of {} resolutions = {value:.4}", known.len()));
    }
    if missing > 0 {
        detail.push(format!("{missing} resolution(s) without a value left out"));
    }
    let evidence = known.into_iter().flat_map(|k| k.2).collect();
    IndicatorValue { indicator, value: Some(value), detail: detail.join("; "), evidence }
}

/// The stream of a scope (for diffusion): the stream itself, or the stream of the series'
/// resolutions.
fn scope_stream(resolutions: &[&DocumentView], scope: &Scope) -> Option<Stream> {
    match scope {
        Scope::Stream(stream) => Some(*stream),
        Scope::Series(_) => resolutions.iter().find_map(|d| d.stream),
    }
}

/// Whether an expert group belongs to a scope: a resolution of the scope established it
/// (`establishes`, or the group's `established_by`), or, for a stream, its body works in it.
fn group_in_scope(inputs: &Inputs, group: &GroupView, resolutions: &[&DocumentView], scope: &Scope) -> bool {
    let by_document = resolutions.iter().any(|d| {
        d.establishes.as_deref() == Some(group.id.as_str()) || group.established_by.as_ref() == Some(&d.symbol)
    });
    by_document
        || match scope {
            Scope::Stream(stream) => {
                group.body.as_deref().and_then(|b| inputs.body(b)).is_some_and(|b| b.streams.contains(stream))
            }
            Scope::Series(_) => false,
        }
}

/// The years a group sat: start year to end year (the start year alone without an end).
fn group_years(group: &GroupView) -> Option<(i32, i32)> {
    let start = group.start_year?;
    Some((start, group.end_year.unwrap_or(start).max(start)))
}

fn institutionalisation(
    inputs: &Inputs,
    year: i32,
    resolutions: &[&DocumentView],
    scope: &Scope,
    config: &Config,
) -> IndicatorValue {
    let mut parts = Vec::new();
    let mut evidence = Vec::new();
    let mut value = 0.0;

    let requesting: Vec<&&DocumentView> =
        resolutions.iter().filter(|d| document_year(d) == Some(year) && d.establishes.is_some()).collect();
    if !requesting.is_empty() {
        value += config.inst_requested;
        let names: Vec<String> = requesting
            .iter()
            .map(|d| format!("{} → {}", d.symbol, d.establishes.as_deref().unwrap_or_default()))
            .collect();
        parts.push(format!("requested ({}) +{}", names.join(", "), config.inst_requested));
        for d in requesting {
            evidence.extend(document_evidence(d, &["establishes"]));
        }
    }
    let groups: Vec<&GroupView> =
        inputs.groups.iter().filter(|g| group_in_scope(inputs, g, resolutions, scope)).collect();
    let active: Vec<&&GroupView> =
        groups.iter().filter(|g| group_years(g).is_some_and(|(from, to)| from <= year && year <= to)).collect();
    if !active.is_empty() {
        value += config.inst_active;
        let names: Vec<&str> = active.iter().map(|g| g.id.as_str()).collect();
        parts.push(format!("active ({}) +{}", names.join(", "), config.inst_active));
        for g in &active {
            evidence.extend(group_evidence(g, &["start_year", "end_year"]));
        }
    }
    let ending: Vec<&&GroupView> = groups.iter().filter(|g| group_years(g).is_some_and(|(_, to)| to == year)).collect();
    let consensus: Vec<&&&GroupView> = ending.iter().filter(|g| g.outcome == Some(Outcome::ConsensusReport)).collect();
    let failed: Vec<&&&GroupView> = ending.iter().filter(|g| g.outcome == Some(Outcome::NoConsensus)).collect();
    if !consensus.is_empty() {
        value += config.inst_consensus_report;
        let names: Vec<&str> = consensus.iter().map(|g| g.id.as_str()).collect();
        parts.push(format!("consensus report ({}) +{}", names.join(", "), config.inst_consensus_report));
        for g in consensus {
            evidence.extend(group_evidence(g, &["outcome", "report"]));
        }
    }
    if !failed.is_empty() {
        value += config.inst_no_consensus_report;
        let names: Vec<&str> = failed.iter().map(|g| g.id.as_str()).collect();
        parts.push(format!("no consensus ({}) +{}", names.join(", "), config.inst_no_consensus_report));
        for g in failed {
            evidence.extend(group_evidence(g, &["outcome"]));
        }
    }
    let value = value.min(1.0);
    let detail = if parts.is_empty() {
        "no expert group of the scope requested, sitting or reporting this year = 0".to_string()
    } else {
        format!("min(1, {}) = {value:.4}", parts.join(" + "))
    };
    IndicatorValue { indicator: Indicator::Institutionalisation, value: Some(value), detail, evidence }
}

fn diffusion(inputs: &Inputs, year: i32, stream: Option<Stream>, config: &Config) -> IndicatorValue {
    let Some(stream) = stream else {
        return IndicatorValue {
            indicator: Indicator::Diffusion,
            value: None,
            detail: "missing: the scope's resolutions name no stream".into(),
            evidence: Vec::new(),
        };
    };
    let mut evidence = Vec::new();
    // Bodies active this year: named by an event of the year, adopting or issuing a
    // document of the year, or hosting a group sitting that year.
    let mut active: BTreeSet<String> = BTreeSet::new();
    let in_stream = |id: &str| inputs.body(id).is_some_and(|b| b.streams.contains(&stream));
    for event in inputs.events.iter().filter(|e| e.year == Some(year)) {
        let ids: Vec<&String> = event.bodies.iter().filter(|b| in_stream(b)).collect();
        if !ids.is_empty() {
            active.extend(ids.into_iter().cloned());
            evidence.extend(event.evidence.iter().cloned());
        }
    }
    for document in inputs.documents.iter().filter(|d| document_year(d) == Some(year)) {
        if let Some(body) = document.body.as_deref().filter(|b| in_stream(b)) {
            active.insert(body.to_string());
            evidence.extend(document_evidence(document, &["body"]));
        }
    }
    for group in &inputs.groups {
        if group_years(group).is_some_and(|(from, to)| from <= year && year <= to)
            && let Some(body) = group.body.as_deref().filter(|b| in_stream(b))
        {
            active.insert(body.to_string());
            evidence.extend(group_evidence(group, &["body", "start_year", "end_year"]));
        }
    }
    for id in &active {
        if let Some(body) = inputs.body(id) {
            evidence.extend(body.evidence.iter().cloned());
        }
    }
    let resolutions: Vec<&DocumentView> = inputs
        .documents
        .iter()
        .filter(|d| {
            d.kind == Some(DocumentKind::Resolution) && d.stream == Some(stream) && document_year(d) == Some(year)
        })
        .collect();
    for d in &resolutions {
        evidence.extend(document_evidence(d, &["stream"]));
    }
    let bodies = active.len() as f64;
    let count = resolutions.len() as f64;
    let share = config.diffusion_bodies_share;
    let value = share * (bodies / config.diffusion_bodies_saturation).min(1.0)
        + (1.0 - share) * (count / config.diffusion_resolutions_saturation).min(1.0);
    let names: Vec<&str> = active.iter().map(String::as_str).collect();
    let detail = format!(
        "{share} × min(1, {bodies} bodies [{}] / {}) + {} × min(1, {count} resolutions / {}) = {value:.4}",
        names.join(", "),
        config.diffusion_bodies_saturation,
        1.0 - share,
        config.diffusion_resolutions_saturation,
    );
    evidence.sort();
    evidence.dedup();
    IndicatorValue { indicator: Indicator::Diffusion, value: Some(value), detail, evidence }
}

/// The share of states whose General Debate speech of the year uses a term of the lexicon.
/// The same for every scope: the General Debate is not divided by stream. Missing when no
/// speech of the year is held.
pub fn salience(inputs: &Inputs, year: i32) -> IndicatorValue {
    let debate = &inputs.debate;
    let Some(&speakers) = debate.speakers.get(&year).filter(|&&n| n > 0) else {
        return IndicatorValue {
            indicator: Indicator::Salience,
            value: None,
            detail: if debate.speakers.is_empty() {
                "missing: no General Debate speeches are imported (normwatch import speeches)".into()
            } else {
                format!("missing: the imported General Debate corpus holds no speech of {year}")
            },
            evidence: Vec::new(),
        };
    };
    let mentions: Vec<&crate::inputs::Mention> = debate.mentions.iter().filter(|m| m.year == year).collect();
    let states: BTreeSet<Iso3> = mentions.iter().map(|m| m.state).collect();
    let value = states.len() as f64 / f64::from(speakers);
    let names: Vec<&str> = states.iter().map(|s| s.as_str()).collect();
    let detail = format!(
        "{} of {speakers} states speaking in the General Debate of {year} used a term of the lexicon ({}){} = {value:.4}",
        states.len(),
        debate.lexicon.join(", "),
        if names.is_empty() { String::new() } else { format!(": {}", names.join(", ")) },
    );
    let mut evidence = vec![Evidence {
        record: format!("General Debate {year}"),
        field: "states with a speech".into(),
        source: debate.source.clone(),
        value: speakers.to_string(),
    }];
    evidence.extend(mentions.iter().map(|m| Evidence {
        record: format!("speech {} {year}", m.state),
        field: format!("{} ({}×)", m.terms.join(", "), m.count),
        source: m.source.clone(),
        value: m.snippet.clone(),
    }));
    IndicatorValue { indicator: Indicator::Salience, value: Some(value), detail, evidence }
}

/// The indicators of a scope for every year from its first to its last resolution.
pub fn yearly_indicators(inputs: &Inputs, scope: &Scope, config: &Config) -> Result<Vec<YearMeasure>, MeasureError> {
    let resolutions = scope_resolutions(inputs, scope);
    let years: Vec<i32> = resolutions.iter().filter_map(|d| document_year(d)).collect();
    let (Some(first), Some(last)) = (years.iter().min().copied(), years.iter().max().copied()) else {
        return Err(MeasureError::EmptyScope(scope.label()));
    };
    let stream = scope_stream(&resolutions, scope);
    let mut out = Vec::new();
    for year in first..=last {
        let of_year: Vec<&DocumentView> =
            resolutions.iter().copied().filter(|d| document_year(d) == Some(year)).collect();
        let (members, members_evidence) = member_states(year);
        let sponsorship_value = mean_of(
            Indicator::Sponsorship,
            of_year
                .iter()
                .map(|d| {
                    let count = sponsorship(inputs, d)?;
                    if members == 0 {
                        return None;
                    }
                    let value = f64::from(count.sponsors) / f64::from(members);
                    let mut evidence = count.evidence;
                    evidence.push(members_evidence.clone());
                    let how = match count.counted {
                        Some(total) => {
                            format!("counted {total}, named {}", count.introduced_by.len() + count.cosponsors.len())
                        }
                        None => format!("named {}", count.sponsors),
                    };
                    Some((
                        value,
                        format!(
                            "{}: {} sponsors ({how}) / {members} Member States = {value:.4}",
                            d.symbol, count.sponsors
                        ),
                        evidence,
                    ))
                })
                .collect(),
            if of_year.is_empty() { "no resolution this year" } else { "no source counts or names co-sponsors" },
        );
        let consensus_value = mean_of(
            Indicator::Consensus,
            of_year.iter().map(|d| consensus(d, config)).collect(),
            if of_year.is_empty() {
                "no resolution this year"
            } else {
                "no source gives the modality (and tally) of adoption"
            },
        );
        let language_value = mean_of(
            Indicator::Language,
            of_year.iter().map(|d| language(d, config)).collect(),
            if of_year.is_empty() {
                "no resolution this year"
            } else {
                "the knowledge base holds no operative paragraph and the seeds quote no ranked verb"
            },
        );
        out.push(YearMeasure {
            year,
            resolutions: of_year.iter().map(|d| d.symbol.clone()).collect(),
            indicators: vec![
                sponsorship_value,
                consensus_value,
                language_value,
                institutionalisation(inputs, year, &resolutions, scope, config),
                diffusion(inputs, year, stream, config),
                salience(inputs, year),
            ],
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use normwatch_core::kb::{KbFile, load};

    const SOURCES: &str = "[[source]]\nid = \"maurer2011\"\nkind = \"seed\"\nfile = \"001.txt\"\ncitation = \"Maurer\"\n\n[[source]]\nid = \"unvotes\"\nkind = \"dataset\"\nfile = \"unvotes\"\ncitation = \"Voeten\"\n";
    const BODIES: &str =
        "[[body]]\nid = \"ga\"\n  [[body.fact]]\n  source = \"maurer2011 §I.4\"\n  streams = [\"politico-military\"]\n";
    const SERIES: &str = "[[series]]\nid = \"s\"\n  [[series.fact]]\n  source = \"maurer2011 §II.1.1\"\n  stream = \"politico-military\"\n";

    fn inputs(documents: &str) -> Inputs {
        let kb = load(&[
            KbFile { path: "sources.toml".into(), text: SOURCES.into() },
            KbFile { path: "bodies/b.toml".into(), text: BODIES.into() },
            KbFile { path: "series/s.toml".into(), text: SERIES.into() },
            KbFile { path: "documents/d.toml".into(), text: documents.into() },
        ])
        .unwrap_or_else(|e| panic!("{e}"));
        Inputs::from_records(&kb.records, Vec::new())
    }

    fn doc(symbol: &str, year: i32, fields: &str) -> String {
        format!(
            "[[document]]\nsymbol = \"{symbol}\"\n  [[document.fact]]\n  source = \"maurer2011 §II.1.1\"\n  kind = \"resolution\"\n  body = \"ga\"\n  stream = \"politico-military\"\n  series = \"s\"\n  year = {year}\n{fields}\n"
        )
    }

    fn measure(text: &str) -> Vec<YearMeasure> {
        yearly_indicators(&inputs(text), &Scope::Series("s".into()), &Config::default_config().unwrap()).unwrap()
    }

    #[test]
    fn an_introducer_alone_leaves_sponsorship_missing_not_zero() {
        let years = measure(
            &(doc("A/RES/53/70", 1998, "  introduced_by = [\"RUS\"]\n  modality = \"without_vote\"")
                + &doc("A/RES/54/49", 1999, "  introduced_by = [\"RUS\"]\n  cosponsors = [\"CHN\", \"BLR\"]")),
        );
        assert_eq!(years[0].get(Indicator::Sponsorship).value, None);
        assert!(years[0].get(Indicator::Sponsorship).detail.starts_with("missing"));
        let (members, _) = member_states(1999);
        assert_eq!(years[1].get(Indicator::Sponsorship).value, Some(3.0 / f64::from(members)));
        // Modality unknown in 1999: consensus is missing too.
        assert_eq!(years[1].get(Indicator::Consensus).value, None);
        assert_eq!(years[0].get(Indicator::Consensus).value, Some(1.0));
    }

    #[test]
    fn a_permanent_members_no_weighs_more_than_its_vote() {
        let votes = "  [[document.fact]]\n  source = \"unvotes rcid=4618\"\n  modality = \"recorded_vote\"\n  votes = { yes = 177, no = 1, abstain = 0 }\n  voted_no = [\"USA\"]";
        let other = "  [[document.fact]]\n  source = \"unvotes rcid=1\"\n  modality = \"recorded_vote\"\n  votes = { yes = 177, no = 1, abstain = 0 }\n  voted_no = [\"ISR\"]";
        let years = measure(&(doc("A/RES/60/45", 2005, votes) + &doc("A/RES/61/54", 2006, other)));
        let usa = years[0].get(Indicator::Consensus);
        let isr = years[1].get(Indicator::Consensus);
        assert!((usa.value.unwrap() - (0.75 * 177.0 / 178.0 - 0.25)).abs() < 1e-9, "{usa:?}");
        assert!((isr.value.unwrap() - 0.75 * 177.0 / 178.0).abs() < 1e-9);
        assert_eq!(usa.facts(), vec!["unvotes rcid=4618".to_string()]);
    }

    #[test]
    fn language_comes_from_operative_paragraphs_else_the_seeds_quotes() {
        let paragraph = "  [[document.paragraph]]\n  part = \"operative\"\n  number = 2\n  verb = \"Invites\"\n  text = \"Invites all Member States\"\n  source = \"maurer2011 §II.1.1\"";
        let quoted = "  [[document.fact]]\n  source = \"maurer2011 §II.3\"\n  quote = \"resolution 65/232 “notes with appreciation the convening of” the group\"\n  summary = \"x\"";
        let years = measure(
            &(doc("A/RES/53/70", 1998, paragraph) + &doc("A/RES/54/49", 1999, quoted) + &doc("A/RES/55/28", 2000, "")),
        );
        let config = Config::default_config().unwrap();
        assert_eq!(years[0].get(Indicator::Language).value, config.verb_strength(OperativeVerb::Invites));
        assert_eq!(years[1].get(Indicator::Language).value, config.verb_strength(OperativeVerb::NotesWithAppreciation));
        assert_eq!(years[1].get(Indicator::Language).facts(), vec!["maurer2011 §II.3".to_string()]);
        assert_eq!(years[2].get(Indicator::Language).value, None);
    }

    #[test]
    fn quoted_passages_are_found_in_each_kind_of_quotation_mark() {
        assert_eq!(quoted_passages("a “b c” d ‘e’ \"f\""), vec!["b c", "e", "f"]);
        assert_eq!(quoted_passages("the US’s view"), Vec::<&str>::new());
    }

    #[test]
    fn salience_is_the_share_of_speaking_states_and_missing_without_speeches() {
        let text = doc("A/RES/53/70", 1998, "") + &doc("A/RES/54/49", 1999, "") + &doc("A/RES/55/28", 2000, "");
        let mut with = inputs(&text);
        let config = Config::default_config().unwrap();
        let scope = Scope::Series("s".into());
        let missing = yearly_indicators(&with, &scope, &config).unwrap();
        assert_eq!(missing[0].get(Indicator::Salience).value, None);
        assert!(missing[0].get(Indicator::Salience).detail.contains("import speeches"));
        let mention = |state: &str, year: i32| crate::inputs::Mention {
            state: Iso3::parse(state).unwrap(),
            year,
            session: (year - 1945) as u16,
            terms: vec!["cyber*".into()],
            count: 2,
            snippet: "of cyberspace and".into(),
            source: format!("ungdc {state}_{}_{year}.txt", year - 1945),
        };
        with.debate = crate::inputs::Debate {
            speakers: [(1998, 4), (1999, 5)].into_iter().collect(),
            // Two speeches of one state in a year count once.
            mentions: vec![mention("RUS", 1998), mention("RUS", 1998), mention("USA", 1998), mention("CHN", 1999)],
            lexicon: vec!["cyber*".into()],
            source: "ungdc".into(),
        };
        let years = yearly_indicators(&with, &scope, &config).unwrap();
        let y1998 = years[0].get(Indicator::Salience);
        assert_eq!(y1998.value, Some(0.5));
        assert!(y1998.detail.contains("2 of 4 states") && y1998.detail.contains("RUS, USA"), "{}", y1998.detail);
        // Decomposable to the speeches: one evidence per speech counted, plus the denominator.
        assert_eq!(y1998.evidence.len(), 4);
        assert!(y1998.evidence.iter().any(|e| e.source == "ungdc USA_53_1998.txt" && e.value == "of cyberspace and"));
        assert_eq!(years[1].get(Indicator::Salience).value, Some(0.2));
        // 2000 has resolutions but no speech held: missing, not zero.
        assert_eq!(years[2].get(Indicator::Salience).value, None);
        assert!(years[2].get(Indicator::Salience).detail.contains("no speech of 2000"));
    }

    #[test]
    fn an_empty_scope_is_an_error() {
        let error =
            yearly_indicators(&inputs(""), &Scope::Series("s".into()), &Config::default_config().unwrap()).unwrap_err();
        assert!(error.to_string().contains("series s"), "{error}");
    }
}
