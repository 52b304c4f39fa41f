//! The JSON contract shared by the CLI (`--json`) and the API (`/api/…`).
//!
//! Field names here are an interface that scripts depend on: add fields, never rename
//! or remove them. Each type converts from a core view; nothing here queries anything.

use serde::Serialize;
use serde_json::{Value, json};

use normwatch_core::domain::VoteCounts;
use normwatch_core::kb::{FactValue, Item, Paragraph, SourceInfo, SourceRef};
use normwatch_core::view::{Conflict, DocumentView, FieldSource, GroupView, SeriesView, Sponsorship};
use normwatch_store::KbStats;

#[derive(Debug, Serialize)]
pub struct DocumentJson {
    pub symbol: String,
    pub kind: Option<&'static str>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub committee: Option<&'static str>,
    pub stream: Option<&'static str>,
    pub series: Option<String>,
    pub adopted_on: Option<String>,
    pub issued_on: Option<String>,
    pub modality: Option<&'static str>,
    pub votes: Option<VotesJson>,
    pub voted_no: Vec<String>,
    pub sponsorship: Option<SponsorshipJson>,
    pub annex_items: u32,
    pub sources: Vec<SourceJson>,
    pub conflicts: Vec<ConflictJson>,
    // Fields beyond the fixed contract.
    pub year: Option<i32>,
    pub session: Option<u16>,
    pub agenda_item: Option<String>,
    pub draft: Option<String>,
    pub report: Option<String>,
    pub resolution: Option<String>,
    pub establishes: Option<String>,
    pub summary: Option<String>,
    pub changes: Option<String>,
    pub miscited: bool,
    pub cited_as: Option<String>,
    pub correct_symbol: Option<String>,
    pub items: Vec<ItemJson>,
    pub paragraphs: Vec<ParagraphJson>,
}

#[derive(Debug, Serialize, PartialEq, Eq)]
pub struct VotesJson {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub non_voting: Option<u32>,
}

impl From<VoteCounts> for VotesJson {
    fn from(v: VoteCounts) -> Self {
        VotesJson { yes: v.yes, no: v.no, abstain: v.abstain, non_voting: v.non_voting }
    }
}

#[derive(Debug, Serialize)]
pub struct SponsorshipJson {
    pub introduced_by: Vec<String>,
    pub cosponsors: Vec<String>,
    pub total_count: Option<u32>,
    pub joined_later_count: Option<u32>,
    pub not_sponsoring: Vec<String>,
    pub on_behalf_of: Option<String>,
}

impl From<&Sponsorship> for SponsorshipJson {
    fn from(s: &Sponsorship) -> Self {
        let codes = |list: &[normwatch_core::Iso3]| list.iter().map(|c| c.to_string()).collect();
        SponsorshipJson {
            introduced_by: codes(&s.introduced_by),
            cosponsors: codes(&s.cosponsors),
            total_count: s.total_count,
            joined_later_count: s.joined_later_count,
            not_sponsoring: codes(&s.not_sponsoring),
            on_behalf_of: s.on_behalf_of.clone(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct SourceJson {
    pub field: String,
    /// The reference as written in the knowledge base: `maurer2011 §II.1.1`.
    pub source: String,
    pub basis: &'static str,
    /// The seed file the reference points into, for seeds.
    pub file: Option<String>,
    pub value: Value,
    pub shown: bool,
    pub quote: Option<String>,
    pub note: Option<String>,
    /// The knowledge-base file and line (or import) the claim came from.
    pub origin: Option<String>,
}

impl From<&FieldSource> for SourceJson {
    fn from(s: &FieldSource) -> Self {
        SourceJson {
            field: s.field.clone(),
            source: s.source.to_string(),
            basis: s.basis().as_str(),
            file: s.source.file().map(str::to_string),
            value: fact_value(&s.value),
            shown: s.shown,
            quote: s.quote.clone(),
            note: s.note.clone(),
            origin: s.origin.as_ref().map(|o| o.to_string()),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ConflictJson {
    pub field: String,
    pub claims: Vec<ConflictClaimJson>,
}

#[derive(Debug, Serialize)]
pub struct ConflictClaimJson {
    pub value: Value,
    pub source: String,
    pub basis: &'static str,
    pub origin: Option<String>,
}

impl From<&Conflict> for ConflictJson {
    fn from(c: &Conflict) -> Self {
        ConflictJson {
            field: c.field.clone(),
            claims: c
                .claims
                .iter()
                .map(|claim| ConflictClaimJson {
                    value: fact_value(&claim.value),
                    source: claim.source.to_string(),
                    basis: claim.source.basis().as_str(),
                    origin: claim.origin.as_ref().map(|o| o.to_string()),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ItemJson {
    pub list: String,
    pub label: String,
    pub heading: Option<String>,
    pub text: String,
    pub paraphrase: bool,
    pub count: Option<i64>,
    pub source: String,
    pub basis: &'static str,
}

impl From<&Item> for ItemJson {
    fn from(i: &Item) -> Self {
        ItemJson {
            list: i.list.clone(),
            label: i.label.clone(),
            heading: i.heading.clone(),
            text: i.text.clone(),
            paraphrase: i.paraphrase,
            count: i.count,
            source: i.source.to_string(),
            basis: i.source.basis().as_str(),
        }
    }
}

#[derive(Debug, Serialize)]
pub struct ParagraphJson {
    pub part: &'static str,
    pub number: Option<i64>,
    pub verb: Option<&'static str>,
    pub text: String,
    pub source: String,
}

impl From<&Paragraph> for ParagraphJson {
    fn from(p: &Paragraph) -> Self {
        ParagraphJson {
            part: p.part.as_str(),
            number: p.number,
            verb: p.verb.map(|v| v.as_str()),
            text: p.text.clone(),
            source: p.source.to_string(),
        }
    }
}

/// A claim's value as plain JSON: strings, numbers, lists, a vote object.
pub fn fact_value(value: &FactValue) -> Value {
    match value {
        FactValue::Text(s) | FactValue::Id(s) => Value::String(s.clone()),
        FactValue::Int(n) => json!(n),
        FactValue::Bool(b) => json!(b),
        FactValue::Date(d) => Value::String(d.to_string()),
        FactValue::Symbol(s) => Value::String(s.to_string()),
        FactValue::States(list) => json!(list.iter().map(|c| c.to_string()).collect::<Vec<_>>()),
        FactValue::Ids(list) => json!(list),
        FactValue::Votes(v) => json!(VotesJson::from(*v)),
    }
}

impl From<&DocumentView> for DocumentJson {
    fn from(v: &DocumentView) -> Self {
        DocumentJson {
            symbol: v.symbol.to_string(),
            kind: v.kind.map(|k| k.as_str()),
            title: v.title.clone(),
            body: v.body.clone(),
            committee: v.committee.map(|c| c.as_str()),
            stream: v.stream.map(|s| s.as_str()),
            series: v.series.clone(),
            adopted_on: v.adopted_on.map(|d| d.to_string()),
            issued_on: v.issued_on.map(|d| d.to_string()),
            modality: v.modality.map(|m| m.as_str()),
            votes: v.votes.map(VotesJson::from),
            voted_no: v.voted_no.iter().map(|c| c.to_string()).collect(),
            sponsorship: v.sponsorship.as_ref().map(SponsorshipJson::from),
            annex_items: v.annex_items,
            sources: v.sources.iter().map(SourceJson::from).collect(),
            conflicts: v.conflicts.iter().map(ConflictJson::from).collect(),
            year: v.year,
            session: v.symbol.ga_session(),
            agenda_item: v.agenda_item.clone(),
            draft: v.draft.as_ref().map(|s| s.to_string()),
            report: v.report.as_ref().map(|s| s.to_string()),
            resolution: v.resolution.as_ref().map(|s| s.to_string()),
            establishes: v.establishes.clone(),
            summary: v.summary.clone(),
            changes: v.changes.clone(),
            miscited: v.miscited,
            cited_as: v.cited_as.clone(),
            correct_symbol: v.correct_symbol.as_ref().map(|s| s.to_string()),
            items: v.items.iter().map(ItemJson::from).collect(),
            paragraphs: v.paragraphs.iter().map(ParagraphJson::from).collect(),
        }
    }
}

/// The answer for a symbol nobody knows.
#[derive(Debug, Serialize)]
pub struct NotFoundJson {
    pub error: String,
    pub suggestions: Vec<String>,
}

/// How a source is cited in full, for "cite this" and source lists.
pub fn citation(source: &SourceRef, registry: &[SourceInfo]) -> String {
    match source {
        SourceRef::Seed { id, section, .. } | SourceRef::Dataset { id, record: section } => {
            match registry.iter().find(|s| &s.id == id) {
                Some(info) => format!("{}, {}", info.citation, section_label(source, section)),
                None => source.to_string(),
            }
        }
        SourceRef::Reference { id, locator } => match registry.iter().find(|s| &s.id == id) {
            Some(info) => match locator {
                Some(l) => format!("{}, {l}", info.citation),
                None => info.citation.clone(),
            },
            None => source.to_string(),
        },
        SourceRef::Document { symbol, locator } => match locator {
            Some(l) => format!("United Nations document {symbol}, {l}"),
            None => format!("United Nations document {symbol}"),
        },
    }
}

fn section_label(source: &SourceRef, section: &str) -> String {
    match source {
        SourceRef::Seed { .. } => format!("section {section}"),
        _ => format!("record {section}"),
    }
}

fn sources_json(sources: &[FieldSource]) -> Vec<SourceJson> {
    sources.iter().map(SourceJson::from).collect()
}

fn conflicts_json(conflicts: &[Conflict]) -> Vec<ConflictJson> {
    conflicts.iter().map(ConflictJson::from).collect()
}

/// `normwatch series list --json` and `/api/series`.
#[derive(Debug, Serialize)]
pub struct SeriesJson {
    pub id: String,
    pub title: Option<String>,
    pub committee: Option<&'static str>,
    pub stream: Option<&'static str>,
    pub documents: Vec<String>,
    pub body: Option<String>,
    pub agenda_item: Option<String>,
    pub summary: Option<String>,
    pub sources: Vec<SourceJson>,
    pub conflicts: Vec<ConflictJson>,
}

impl SeriesJson {
    pub fn new(series: &SeriesView, documents: &[DocumentView]) -> SeriesJson {
        SeriesJson {
            id: series.id.clone(),
            title: series.title.clone(),
            committee: series.committee.map(|c| c.as_str()),
            stream: series.stream.map(|s| s.as_str()),
            documents: documents.iter().map(|d| d.symbol.to_string()).collect(),
            body: series.body.clone(),
            agenda_item: series.agenda_item.clone(),
            summary: series.summary.clone(),
            sources: sources_json(&series.sources),
            conflicts: conflicts_json(&series.conflicts),
        }
    }
}

/// `normwatch groups --json` and `/api/groups`.
#[derive(Debug, Serialize)]
pub struct GroupJson {
    pub id: String,
    pub name: Option<String>,
    pub body: Option<String>,
    pub established_by: Option<String>,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub members: Vec<String>,
    pub member_count: Option<u32>,
    /// The chair's state.
    pub chair: Option<String>,
    pub report: Option<String>,
    pub outcome: Option<&'static str>,
    pub kind: Option<&'static str>,
    pub chair_person: Option<String>,
    pub meetings: Option<u32>,
    pub summary: Option<String>,
    pub items: Vec<ItemJson>,
    pub sources: Vec<SourceJson>,
    pub conflicts: Vec<ConflictJson>,
}

impl From<&GroupView> for GroupJson {
    fn from(g: &GroupView) -> Self {
        GroupJson {
            id: g.id.clone(),
            name: g.name.clone(),
            body: g.body.clone(),
            established_by: g.established_by.as_ref().map(|s| s.to_string()),
            start_year: g.start_year,
            end_year: g.end_year,
            members: g.members.iter().map(|c| c.to_string()).collect(),
            // A stated count wins; otherwise the number of members the sources name.
            member_count: g.member_count.or_else(|| (!g.members.is_empty()).then_some(g.members.len() as u32)),
            chair: g.chair.map(|c| c.to_string()),
            report: g.report.as_ref().map(|s| s.to_string()),
            outcome: g.outcome.map(|o| o.as_str()),
            kind: g.kind.map(|k| k.as_str()),
            chair_person: g.chair_person.clone(),
            meetings: g.meetings,
            summary: g.summary.clone(),
            items: g.items.iter().map(ItemJson::from).collect(),
            sources: sources_json(&g.sources),
            conflicts: conflicts_json(&g.conflicts),
        }
    }
}

/// `normwatch kb stats --json`.
#[derive(Debug, Serialize)]
pub struct KbStatsJson {
    /// Records per kind.
    pub records: std::collections::BTreeMap<&'static str, usize>,
    pub claims: i64,
    pub items: i64,
    pub paragraphs: i64,
    pub sources: i64,
    /// Claims per basis: seed, document, dataset.
    pub facts_by_basis: std::collections::BTreeMap<String, i64>,
    /// Claims per layer: the knowledge base (`kb`) and each import.
    pub facts_by_layer: std::collections::BTreeMap<String, i64>,
    /// Fields whose sources disagree, over all records.
    pub conflicts: usize,
    pub conflicts_by_kind: std::collections::BTreeMap<&'static str, usize>,
}

impl From<&KbStats> for KbStatsJson {
    fn from(s: &KbStats) -> Self {
        let mut facts_by_basis: std::collections::BTreeMap<String, i64> =
            ["seed", "document", "dataset"].into_iter().map(|b| (b.to_string(), 0)).collect();
        facts_by_basis.extend(s.claims_by_basis.iter().cloned());
        KbStatsJson {
            records: s.records.iter().map(|(k, n)| (k.as_str(), *n)).collect(),
            claims: s.claims,
            items: s.items,
            paragraphs: s.paragraphs,
            sources: s.sources,
            facts_by_basis,
            facts_by_layer: s.claims_by_layer.iter().cloned().collect(),
            conflicts: s.conflicts.iter().map(|(_, n)| n).sum(),
            conflicts_by_kind: s.conflicts.iter().map(|(k, n)| (k.as_str(), *n)).collect(),
        }
    }
}
