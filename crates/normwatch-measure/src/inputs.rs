//! What the measurements read: resolved documents and groups, body and event records, and
//! per-state votes where an import holds them. The caller (CLI, web) loads these; nothing
//! here does I/O.

use normwatch_core::domain::{Date, Stream, VoteValue};
use normwatch_core::kb::{Record, RecordKind};
use normwatch_core::state::StateRegistry;
use normwatch_core::view::{DocumentView, FieldSource, GroupView, RecordView};
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

/// One General Debate speech that uses a term of the salience lexicon.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mention {
    /// The speaker's ISO3 code.
    pub state: Iso3,
    pub year: i32,
    pub session: u16,
    /// The lexicon's patterns the speech uses, in lexicon order.
    pub terms: Vec<String>,
    /// Occurrences of those patterns in the speech.
    pub count: u32,
    /// The words around the first use, as written.
    pub snippet: String,
    /// The corpus record, e.g. `ungdc USA_68_2013.txt`.
    pub source: String,
}

/// What states said in the General Debate, as the salience indicator reads it: the states
/// that spoke each year and the speeches that use a lexicon term. Empty when no corpus is
/// imported (salience is then missing, not zero).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Debate {
    /// Per year, the number of states (speakers the state registry knows) with a speech.
    pub speakers: std::collections::BTreeMap<i32, u32>,
    /// Every speech of such a speaker that uses a term of the lexicon, by year and state.
    pub mentions: Vec<Mention>,
    /// The lexicon the mentions were found with.
    pub lexicon: Vec<String>,
    /// The source of the corpus (`ungdc`).
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
    /// The General Debate, where an import holds it; may be empty.
    pub debate: Debate,
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
                RecordKind::Series | RecordKind::Actor | RecordKind::Theme | RecordKind::Norm => {}
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

fn evidence_of(record: &Record, source: &FieldSource) -> Evidence {
    Evidence {
        record: record.id.clone(),
        field: source.field.clone(),
        source: source.source.to_string(),
        value: source.value.to_string(),
    }
}

/// Every claim of a field that supplies the shown value (all of a union's), by the core's
/// one resolution rule.
fn shown<'a>(view: &'a RecordView, field: &'a str) -> impl Iterator<Item = &'a FieldSource> + 'a {
    view.sources.iter().filter(move |s| s.field == field && s.shown)
}

impl BodyFacts {
    pub fn from_record(record: &Record) -> BodyFacts {
        let view = RecordView::resolve(record);
        let streams = view.ids("streams").iter().filter_map(|id| id.parse::<Stream>().ok()).collect();
        let evidence = shown(&view, "streams").map(|s| evidence_of(record, s)).collect();
        BodyFacts { id: record.id.clone(), name: view.value("name").map(|v| v.to_string()), streams, evidence }
    }
}

impl EventFacts {
    pub fn from_record(record: &Record) -> EventFacts {
        let view = RecordView::resolve(record);
        let mut evidence = Vec::new();
        let year = match (view.int("year"), view.date("date")) {
            (Some(y), _) => {
                evidence.extend(shown(&view, "year").map(|s| evidence_of(record, s)));
                i32::try_from(y).ok()
            }
            (None, Some(d)) => {
                evidence.extend(shown(&view, "date").map(|s| evidence_of(record, s)));
                Some(d.year())
            }
            (None, None) => None,
        };
        let bodies = view.ids("bodies");
        evidence.extend(shown(&view, "bodies").map(|s| evidence_of(record, s)));
        EventFacts {
            id: record.id.clone(),
            name: view.value("name").map(|v| v.to_string()),
            year,
            bodies,
            exogenous: view.flag("exogenous"),
            evidence,
        }
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
