//! The JSON contract shared by the CLI (`--json`) and the API (`/api/…`).
//!
//! Field names here are an interface that scripts depend on: add fields, never rename
//! or remove them. Each type converts from a core view; nothing here queries anything.
//!
//! Every type derives `utoipa::ToSchema` (utoipa without any web framework): the web
//! crate's OpenAPI description (`/api/openapi.json`) is generated from these types, so
//! every answer is described as precisely as it is typed here. No field holds untyped
//! JSON: a claim's value is a [`FactValueJson`], a table cell a [`TableCell`].

mod accounts;
mod admin;
mod assess;
mod assess_crosswalk;
mod cli;
mod measure;
mod norms;
mod texts;
mod votes;

pub use accounts::*;
pub use admin::*;
pub use assess::*;
pub use assess_crosswalk::*;
pub use cli::*;
pub use measure::*;
pub use norms::*;
pub use texts::*;
pub use votes::*;

use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use normwatch_core::domain::VoteCounts;
use normwatch_core::kb::KbStats;
use normwatch_core::kb::{FactValue, Item, Paragraph, SourceInfo, SourceRef};
use normwatch_core::view::{Conflict, DocumentView, FieldSource, GroupView, SeriesView, Sponsorship};
use normwatch_measure::IndexPoint;
use normwatch_measure::lifecycle::Lifecycle;

#[derive(Debug, Serialize, ToSchema)]
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

#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
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

#[derive(Debug, Serialize, ToSchema)]
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

#[derive(Debug, Serialize, ToSchema)]
pub struct SourceJson {
    pub field: String,
    /// The reference as written in the knowledge base: `maurer2011 §II.1.1`.
    pub source: String,
    pub basis: &'static str,
    /// The seed file the reference points into, for seeds.
    pub file: Option<String>,
    pub value: FactValueJson,
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
            value: FactValueJson::from(&s.value),
            shown: s.shown,
            quote: s.quote.clone(),
            note: s.note.clone(),
            origin: s.origin.as_ref().map(|o| o.to_string()),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictJson {
    pub field: String,
    pub claims: Vec<ConflictClaimJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConflictClaimJson {
    pub value: FactValueJson,
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
                    value: FactValueJson::from(&claim.value),
                    source: claim.source.to_string(),
                    basis: claim.source.basis().as_str(),
                    origin: claim.origin.as_ref().map(|o| o.to_string()),
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
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

#[derive(Debug, Serialize, ToSchema)]
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

/// A claim's value as plain JSON: a text (also an id, a date `2004-12-03` or a document
/// symbol), a whole number, a yes/no flag, a list of state codes or ids, or a recorded vote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
#[serde(untagged)]
pub enum FactValueJson {
    Text(String),
    Number(i64),
    Flag(bool),
    List(Vec<String>),
    Votes(VotesJson),
}

impl From<&FactValue> for FactValueJson {
    fn from(value: &FactValue) -> Self {
        match value {
            FactValue::Text(s) | FactValue::Id(s) => FactValueJson::Text(s.clone()),
            FactValue::Int(n) => FactValueJson::Number(*n),
            FactValue::Bool(b) => FactValueJson::Flag(*b),
            FactValue::Date(d) => FactValueJson::Text(d.to_string()),
            FactValue::Symbol(s) => FactValueJson::Text(s.to_string()),
            FactValue::States(list) => FactValueJson::List(list.iter().map(|c| c.to_string()).collect()),
            FactValue::Ids(list) => FactValueJson::List(list.clone()),
            FactValue::Votes(v) => FactValueJson::Votes(VotesJson::from(*v)),
        }
    }
}

/// A claim's value as a JSON value (a cell of an exported table).
pub fn fact_value(value: &FactValue) -> Value {
    serde_json::to_value(FactValueJson::from(value)).unwrap_or(Value::Null)
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
#[derive(Debug, Serialize, ToSchema)]
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
#[derive(Debug, Serialize, ToSchema)]
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
#[derive(Debug, Serialize, ToSchema)]
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
#[derive(Debug, Serialize, ToSchema)]
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

/// A table of a page, for export: CSV with a header row, or JSON as an array of objects
/// keyed by the column names. Every table a page shows is one of these on the API
/// (`?table=NAME&format=csv|json`).
#[derive(Debug, Clone)]
pub struct Table {
    pub name: String,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Value>>,
}

impl Table {
    pub fn new(name: impl Into<String>, columns: &[&'static str]) -> Table {
        Table { name: name.into(), columns: columns.to_vec(), rows: Vec::new() }
    }

    pub fn push(&mut self, row: Vec<Value>) {
        self.rows.push(row);
    }

    /// RFC 4180 CSV: a header row, then one line per row; lists are joined with `; `.
    pub fn to_csv(&self) -> String {
        let mut out = String::new();
        let line = |cells: Vec<String>| cells.iter().map(|c| csv_field(c)).collect::<Vec<_>>().join(",") + "\r\n";
        out.push_str(&line(self.columns.iter().map(|c| c.to_string()).collect()));
        for row in &self.rows {
            out.push_str(&line(row.iter().map(csv_text).collect()));
        }
        out
    }
}

fn csv_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(csv_text).collect::<Vec<_>>().join("; "),
        other => other.to_string(),
    }
}

fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

/// A cell of an exported table: empty (null), a flag, a number, a text or a list of texts.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(untagged)]
pub enum TableCell {
    Flag(bool),
    Number(f64),
    Text(String),
    List(Vec<String>),
}

/// An exported table as JSON: one object per row, keyed by the table's column names; a
/// cell is null when the row has no value.
impl utoipa::PartialSchema for Table {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        <Vec<std::collections::BTreeMap<String, Option<TableCell>>> as utoipa::PartialSchema>::schema()
    }
}

impl ToSchema for Table {
    fn name() -> std::borrow::Cow<'static, str> {
        "Table".into()
    }
}

impl Serialize for Table {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::{SerializeMap, SerializeSeq};
        struct Row<'a>(&'a [&'static str], &'a [Value]);
        impl Serialize for Row<'_> {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                let mut map = serializer.serialize_map(Some(self.0.len()))?;
                for (column, value) in self.0.iter().zip(self.1) {
                    map.serialize_entry(column, value)?;
                }
                map.end()
            }
        }
        let mut seq = serializer.serialize_seq(Some(self.rows.len()))?;
        for row in &self.rows {
            seq.serialize_element(&Row(&self.columns, row))?;
        }
        seq.end()
    }
}

/// One entry of `/api/documents`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentSummaryJson {
    pub symbol: String,
    pub kind: Option<&'static str>,
    pub title: Option<String>,
    pub year: Option<i32>,
    pub series: Option<String>,
    pub body: Option<String>,
    pub committee: Option<&'static str>,
    pub stream: Option<&'static str>,
    pub adopted_on: Option<String>,
    pub modality: Option<&'static str>,
    pub votes: Option<VotesJson>,
    pub conflicts: usize,
}

impl From<&DocumentView> for DocumentSummaryJson {
    fn from(v: &DocumentView) -> Self {
        DocumentSummaryJson {
            symbol: v.symbol.to_string(),
            kind: v.kind.map(|k| k.as_str()),
            title: v.title.clone(),
            year: v.year.or_else(|| v.symbol.year_hint()),
            series: v.series.clone(),
            body: v.body.clone(),
            committee: v.committee.map(|c| c.as_str()),
            stream: v.stream.map(|s| s.as_str()),
            adopted_on: v.adopted_on.map(|d| d.to_string()),
            modality: v.modality.map(|m| m.as_str()),
            votes: v.votes.map(VotesJson::from),
            conflicts: v.conflicts.len(),
        }
    }
}

/// One entry of the timeline (`/api/timeline`).
#[derive(Debug, Serialize, ToSchema)]
pub struct TimelineEntryJson {
    pub year: i32,
    pub date: Option<String>,
    /// `politico-military`, `economic`, `linking`, `internet-governance`, or `general`
    /// when no stream is known; exogenous incidents are in lane `incident`.
    pub lane: &'static str,
    /// `document`, `group` or `event`.
    pub record: &'static str,
    pub id: String,
    /// The document kind, group kind or event kind.
    pub kind: Option<String>,
    pub title: String,
    pub body: Option<String>,
    pub committee: Option<&'static str>,
    pub exogenous: bool,
    pub href: String,
}

/// A generic record (body, event, actor): its shown values by field, sources, conflicts.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordJson {
    pub id: String,
    pub record: &'static str,
    pub name: Option<String>,
    pub kind: Option<String>,
    /// Every field's shown value (lists are unions of every source's list).
    pub fields: std::collections::BTreeMap<String, FactValueJson>,
    pub items: Vec<ItemJson>,
    pub sources: Vec<SourceJson>,
    pub conflicts: Vec<ConflictJson>,
}

/// `/api/states`: one state and its counts.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateSummaryJson {
    pub iso3: String,
    pub name: String,
    pub regional_group: Option<&'static str>,
    pub introduced: usize,
    pub cosponsored: usize,
    pub group_seats: usize,
    pub voted_no: usize,
}

/// `/api/states/{iso3}`: a state's record on the cyber agenda.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateJson {
    pub iso3: String,
    pub name: String,
    pub regional_group: Option<&'static str>,
    pub member_from: Option<String>,
    pub member_to: Option<String>,
    /// Documents the state introduced (or led "on behalf of").
    pub introduced: Vec<String>,
    /// Documents the state is named as co-sponsoring.
    pub cosponsored: Vec<String>,
    /// Documents a source names it as not co-sponsoring.
    pub not_sponsoring: Vec<String>,
    /// Expert groups it sat on (`chair` where it chaired).
    pub group_seats: Vec<GroupSeatJson>,
    /// Its votes on the documents of the cyber series, where a recorded vote is known.
    pub votes: Vec<StateVoteJson>,
    /// Agreement with the states compared, per year.
    pub agreement: Vec<AgreementJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupSeatJson {
    pub group: String,
    pub name: Option<String>,
    pub start_year: Option<i32>,
    pub end_year: Option<i32>,
    pub chair: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct StateVoteJson {
    pub symbol: String,
    pub series: Option<String>,
    pub year: Option<i32>,
    /// `yes`, `no`, `abstain`, `non_voting`, or null when absent or unknown.
    pub vote: Option<&'static str>,
    /// Where the vote comes from: a dataset record or a knowledge-base source.
    pub source: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementJson {
    pub with: String,
    pub year: i32,
    /// Roll calls both states voted in.
    pub votes: u32,
    /// Of those, the ones where they voted alike.
    pub agreed: u32,
    pub share: Option<f64>,
}

/// One record found by `/api/search`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SearchHitJson {
    /// The kind of record the hit belongs to (`document`…), or `speech`.
    pub record: String,
    pub id: String,
    pub title: Option<String>,
    pub href: String,
    /// The field of the best passage.
    pub field: String,
    /// The passage as plain text; `matches` lists the words in it that matched.
    pub snippet: String,
    /// The matched words of the passage, in order.
    pub matches: Vec<String>,
    pub fields: Vec<String>,
    /// What the best passage is: `record` (a field), `annex` (a listed item),
    /// `paragraph` or `speech`.
    pub target: &'static str,
    /// The passage's stable key (`paragraph|A/RES/53/70|op3`).
    pub passage: String,
    pub year: Option<i32>,
    /// The state (ISO3) the hit is about, such as a speech's.
    pub state: Option<String>,
    /// BM25 score of the best passage (higher is better).
    pub score: f32,
}

/// `/api/measurement`: the index of the trend stream with its decomposition, the
/// life-cycle stages, the weights and the figures.
#[derive(Debug, Serialize, ToSchema)]
pub struct MeasurementJson {
    pub stream: &'static str,
    pub min_coverage: f64,
    pub weights: Vec<WeightJson>,
    pub index: Vec<IndexPointJson>,
    pub lifecycles: Vec<LifecycleJson>,
    pub figures: Vec<FigureJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WeightJson {
    pub indicator: &'static str,
    pub weight: f64,
    pub rationale: Option<String>,
    pub sources: Vec<String>,
}

/// One year of the index (`normwatch index --json`, `/api/measurement`): its value, and
/// each indicator with its weight and the cited facts it came from.
#[derive(Debug, Serialize, ToSchema)]
pub struct IndexPointJson {
    pub year: i32,
    pub value: Option<f64>,
    pub coverage: f64,
    pub resolutions: Vec<String>,
    pub components: Vec<ComponentJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ComponentJson {
    pub indicator: &'static str,
    pub value: Option<f64>,
    pub weight: f64,
    pub contribution: Option<f64>,
    pub detail: String,
    pub facts: Vec<String>,
    pub evidence: Vec<EvidenceJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EvidenceJson {
    pub record: String,
    pub field: String,
    pub source: String,
    pub value: String,
}

impl From<&IndexPoint> for IndexPointJson {
    fn from(point: &IndexPoint) -> IndexPointJson {
        IndexPointJson {
            year: point.year,
            value: point.value,
            coverage: point.coverage,
            resolutions: point.resolutions.clone(),
            components: point
                .components
                .iter()
                .map(|c| ComponentJson {
                    indicator: c.indicator.as_str(),
                    value: c.value,
                    weight: c.weight,
                    contribution: c.contribution,
                    detail: c.detail.clone(),
                    facts: c.facts.clone(),
                    evidence: c
                        .evidence
                        .iter()
                        .map(|e| EvidenceJson {
                            record: e.record.clone(),
                            field: e.field.clone(),
                            source: e.source.clone(),
                            value: e.value.clone(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}

/// The life-cycle stage of a series or a norm (`normwatch lifecycle --json`,
/// `/api/measurement`), with the rule and the instrument that crossed the threshold.
#[derive(Debug, Serialize, ToSchema)]
pub struct LifecycleJson {
    pub kind: &'static str,
    pub id: String,
    pub title: Option<String>,
    pub stage: &'static str,
    pub rule: String,
    pub reason: String,
    pub crossed_by: Option<CrossingJson>,
    pub instruments: Vec<InstrumentJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CrossingJson {
    pub symbol: String,
    pub year: i32,
    pub endorsements: u32,
    pub threshold: u32,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InstrumentJson {
    pub year: i32,
    pub symbol: String,
    pub endorsements: Option<u32>,
    pub member_states: u32,
    pub threshold: u32,
    pub met: Option<bool>,
    pub facts: Vec<String>,
}

impl From<&Lifecycle> for LifecycleJson {
    fn from(l: &Lifecycle) -> LifecycleJson {
        LifecycleJson {
            kind: l.kind,
            id: l.id.clone(),
            title: l.title.clone(),
            stage: l.stage.as_str(),
            rule: l.rule.clone(),
            reason: l.reason.clone(),
            crossed_by: l.crossed_by.as_ref().map(|(symbol, year, endorsements, threshold)| CrossingJson {
                symbol: symbol.clone(),
                year: *year,
                endorsements: *endorsements,
                threshold: *threshold,
            }),
            instruments: l
                .instruments
                .iter()
                .map(|r| {
                    let mut facts: Vec<String> = r.evidence.iter().map(|e| e.source.clone()).collect();
                    facts.sort();
                    facts.dedup();
                    InstrumentJson {
                        year: r.year,
                        symbol: r.symbol.clone(),
                        endorsements: r.endorsements,
                        member_states: r.member_states,
                        threshold: r.threshold,
                        met: r.met,
                        facts,
                    }
                })
                .collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FigureJson {
    pub name: String,
    pub title: String,
    pub caption: String,
    pub href: String,
    pub sources: Vec<String>,
}

/// The answer of a route that serves a record, or with `?table=NAME`, one of its tables.
#[derive(Debug, Serialize, ToSchema)]
#[serde(untagged)]
pub enum OrTable<T: ToSchema> {
    Record(T),
    Table(Table),
}
