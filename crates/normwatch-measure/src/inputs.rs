//! What the measurements read: resolved documents and groups, body and event records, and
//! per-state votes where an import holds them. The caller (CLI, web) loads these; nothing
//! here does I/O.

use normwatch_core::domain::{Date, Stream, VoteValue};
use normwatch_core::kb::{Claim, FactValue, Record, RecordKind};
use normwatch_core::state::StateRegistry;
use normwatch_core::view::{DocumentView, GroupView};
use normwatch_core::{Iso3, Symbol};

/// One cited fact behind a value: which record, which field, which source, what it said.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Evidence {
    pub record: String,
    pub field: String,
    pub source: String,
    pub value: String,
}

/// A body (organ, committee, agency, platform) as the measurements need it.
#[derive(Clone, Debug, PartialEq)]
pub struct BodyFacts {
    pub id: String,
    pub name: Option<String>,
    pub streams: Vec<Stream>,
    pub evidence: Vec<Evidence>,
}

/// An event (conference, launch, incident) as the measurements need it.
#[derive(Clone, Debug, PartialEq)]
pub struct EventFacts {
    pub id: String,
    pub name: Option<String>,
    pub year: Option<i32>,
    pub bodies: Vec<String>,
    pub exogenous: bool,
    pub evidence: Vec<Evidence>,
}

/// One state's vote in one roll call, from an imported dataset.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateVote {
    pub symbol: Symbol,
    pub state: Iso3,
    pub vote: VoteValue,
    /// The dataset record, e.g. `unvotes rcid=4618`.
    pub source: String,
}

/// Everything the measurements read.
#[derive(Clone, Debug, Default)]
pub struct Inputs {
    /// Every document of the knowledge base and the imports (all series, all streams).
    pub documents: Vec<DocumentView>,
    pub groups: Vec<GroupView>,
    pub bodies: Vec<BodyFacts>,
    pub events: Vec<EventFacts>,
    /// Per-state votes, where an import holds them; may be empty.
    pub state_votes: Vec<StateVote>,
}

impl Inputs {
    /// Builds the inputs from records of every kind (documents and groups are resolved
    /// here; bodies and events are read field by field, the first claim by basis shown).
    pub fn from_records(records: &[Record], state_votes: Vec<StateVote>) -> Inputs {
        let mut inputs = Inputs { state_votes, ..Inputs::default() };
        for record in records {
            match record.kind {
                RecordKind::Document => inputs.documents.extend(DocumentView::resolve(record)),
                RecordKind::Group => inputs.groups.extend(GroupView::resolve(record)),
                RecordKind::Body => inputs.bodies.push(BodyFacts::from_record(record)),
                RecordKind::Event => inputs.events.push(EventFacts::from_record(record)),
                RecordKind::Series | RecordKind::Actor => {}
            }
        }
        inputs.documents.sort_by(normwatch_core::view::chronological);
        inputs
    }

    pub fn document(&self, symbol: &Symbol) -> Option<&DocumentView> {
        self.documents.iter().find(|d| &d.symbol == symbol)
    }

    pub fn body(&self, id: &str) -> Option<&BodyFacts> {
        self.bodies.iter().find(|b| b.id == id)
    }
}

/// The claims of one field, the shown one (by basis, then file order) first.
fn field_claims<'a>(record: &'a Record, field: &'a str) -> Vec<&'a Claim> {
    let mut claims: Vec<&Claim> = record.claims_for(field).collect();
    claims.sort_by_key(|c| c.source.basis().precedence());
    claims
}

fn evidence_of(record: &Record, claim: &Claim) -> Evidence {
    Evidence {
        record: record.id.clone(),
        field: claim.field.clone(),
        source: claim.source.to_string(),
        value: claim.value.to_string(),
    }
}

impl BodyFacts {
    pub fn from_record(record: &Record) -> BodyFacts {
        let mut streams = Vec::new();
        let mut evidence = Vec::new();
        for claim in field_claims(record, "streams") {
            if let FactValue::Ids(ids) = &claim.value {
                for id in ids {
                    if let Ok(stream) = id.parse::<Stream>()
                        && !streams.contains(&stream)
                    {
                        streams.push(stream);
                    }
                }
                evidence.push(evidence_of(record, claim));
            }
        }
        let name = field_claims(record, "name").first().map(|c| c.value.to_string());
        BodyFacts { id: record.id.clone(), name, streams, evidence }
    }
}

impl EventFacts {
    pub fn from_record(record: &Record) -> EventFacts {
        let mut evidence = Vec::new();
        let year_claim = field_claims(record, "year").into_iter().find(|c| matches!(c.value, FactValue::Int(_)));
        let date_claim = field_claims(record, "date").into_iter().find(|c| matches!(c.value, FactValue::Date(_)));
        let year = match (year_claim, date_claim) {
            (Some(c), _) => {
                evidence.push(evidence_of(record, c));
                match c.value {
                    FactValue::Int(y) => i32::try_from(y).ok(),
                    _ => None,
                }
            }
            (None, Some(c)) => {
                evidence.push(evidence_of(record, c));
                match c.value {
                    FactValue::Date(d) => Some(d.year()),
                    _ => None,
                }
            }
            (None, None) => None,
        };
        let mut bodies: Vec<String> = Vec::new();
        for claim in field_claims(record, "bodies") {
            if let FactValue::Ids(ids) = &claim.value {
                for id in ids {
                    if !bodies.contains(id) {
                        bodies.push(id.clone());
                    }
                }
                evidence.push(evidence_of(record, claim));
            }
        }
        let exogenous = field_claims(record, "exogenous").first().is_some_and(|c| c.value == FactValue::Bool(true));
        let name = field_claims(record, "name").first().map(|c| c.value.to_string());
        EventFacts { id: record.id.clone(), name, year, bodies, exogenous, evidence }
    }
}

/// The number of Member States on 31 December of a year (from `kb/states.csv`, compiled
/// into the core), with the evidence for it.
pub fn member_states(year: i32) -> (u32, Evidence) {
    let date = Date::from_ymd(year, 12, 31);
    let count = match date {
        Some(date) => StateRegistry::global().all().iter().filter(|s| s.member_on(date)).count() as u32,
        None => 0,
    };
    let evidence = Evidence {
        record: "kb/states.csv".into(),
        field: format!("Member States on {year}-12-31"),
        source: "un-member-states".into(),
        value: count.to_string(),
    };
    (count, evidence)
}

/// The year a document belongs to: the stated or adoption year, else the one its symbol
/// implies.
pub fn document_year(document: &DocumentView) -> Option<i32> {
    document.year.or_else(|| document.symbol.year_hint())
}

/// Evidence for the sources of some fields of a document (every source, shown or not).
pub fn document_evidence(document: &DocumentView, fields: &[&str]) -> Vec<Evidence> {
    document
        .sources
        .iter()
        .filter(|s| fields.contains(&s.field.as_str()) && s.shown)
        .map(|s| Evidence {
            record: document.symbol.to_string(),
            field: s.field.clone(),
            source: s.source.to_string(),
            value: s.value.to_string(),
        })
        .collect()
}

/// Evidence for the sources of some fields of a group.
pub fn group_evidence(group: &GroupView, fields: &[&str]) -> Vec<Evidence> {
    group
        .sources
        .iter()
        .filter(|s| fields.contains(&s.field.as_str()) && s.shown)
        .map(|s| Evidence {
            record: group.id.clone(),
            field: s.field.clone(),
            source: s.source.to_string(),
            value: s.value.to_string(),
        })
        .collect()
}
