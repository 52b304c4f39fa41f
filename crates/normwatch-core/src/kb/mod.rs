//! The knowledge base: records made of sourced claims.
//!
//! A *record* is a thing the UN system has (a document, a series, a body, an expert group,
//! an event, an actor). A *claim* is one source's statement about one field of one record.
//! Claims are never merged away: resolving a record ([`crate::view`]) picks the value to
//! show first and reports every disagreement as a conflict.

mod format;
mod load;
pub mod schema;
pub mod source;

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::domain::{Date, VoteCounts};
use crate::state::Iso3;
use crate::symbol::Symbol;

pub use load::{KbError, KbErrors, KbFile, load};
pub use source::{ABSENCE_RECORD, Basis, SourceInfo, SourceKind, SourceRef};

/// The kinds of record, one folder each under `kb/`. Everything else about a kind (its
/// folder, table, key, fields and their merge rules) is declared in [`schema::KINDS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    Document,
    Series,
    Body,
    Group,
    Event,
    Actor,
    Theme,
    Norm,
}

impl RecordKind {
    pub const ALL: [RecordKind; 8] = [
        RecordKind::Document,
        RecordKind::Series,
        RecordKind::Body,
        RecordKind::Group,
        RecordKind::Event,
        RecordKind::Actor,
        RecordKind::Theme,
        RecordKind::Norm,
    ];

    /// The kind's name: its TOML table, its name in the database and the API.
    pub fn as_str(self) -> &'static str {
        self.spec().table
    }

    /// The kind's declaration in the registry.
    pub fn spec(self) -> &'static schema::KindSpec {
        schema::kind(self)
    }

    pub fn parse(text: &str) -> Option<RecordKind> {
        schema::kind_of_table(text).map(|k| k.kind)
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The value of one claim. The field a claim is about decides which variant it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "snake_case")]
pub enum FactValue {
    Text(String),
    Int(i64),
    Bool(bool),
    Date(Date),
    Symbol(Symbol),
    States(Vec<Iso3>),
    /// A reference to another record of the knowledge base.
    Id(String),
    Ids(Vec<String>),
    Votes(VoteCounts),
}

impl fmt::Display for FactValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FactValue::Text(s) | FactValue::Id(s) => f.write_str(s),
            FactValue::Int(n) => write!(f, "{n}"),
            FactValue::Bool(b) => write!(f, "{b}"),
            FactValue::Date(d) => write!(f, "{d}"),
            FactValue::Symbol(s) => write!(f, "{s}"),
            FactValue::States(states) => f.write_str(&states.iter().map(Iso3::as_str).collect::<Vec<_>>().join(", ")),
            FactValue::Ids(ids) => f.write_str(&ids.join(", ")),
            FactValue::Votes(v) => write!(f, "{v}"),
        }
    }
}

impl FactValue {
    /// Whether two claims say the same thing. Values agree when equal, and a tally that
    /// leaves out the non-voting count agrees with one that gives it: silence is not a
    /// different answer.
    pub fn agrees_with(&self, other: &FactValue) -> bool {
        match (self, other) {
            (FactValue::Votes(a), FactValue::Votes(b)) => {
                (a.yes, a.no, a.abstain) == (b.yes, b.no, b.abstain)
                    && (a.non_voting.is_none() || b.non_voting.is_none() || a.non_voting == b.non_voting)
            }
            _ => self == other,
        }
    }
}

/// Where a claim was written: a knowledge-base file and line, or an import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    pub file: String,
    pub line: u32,
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.file, self.line)
    }
}

/// One source's statement about one field of one record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claim {
    pub field: String,
    pub value: FactValue,
    pub source: SourceRef,
    /// The source's own words, where the writer copied them.
    pub quote: Option<String>,
    /// The reviewer's remark on the claim.
    pub note: Option<String>,
    pub origin: Origin,
}

/// An enumerated text attached to a record: an annexed element, a pledge, a principle.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    pub list: String,
    pub label: String,
    pub heading: Option<String>,
    pub text: String,
    pub paraphrase: bool,
    pub count: Option<i64>,
    pub source: SourceRef,
    pub origin: Origin,
}

/// A paragraph of a resolution's text, where the knowledge base holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Paragraph {
    pub part: crate::domain::ParagraphPart,
    pub number: Option<i64>,
    pub verb: Option<crate::domain::OperativeVerb>,
    pub verb_text: Option<String>,
    pub text: String,
    pub source: SourceRef,
    pub origin: Origin,
}

/// A record with everything the knowledge base says of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub kind: RecordKind,
    /// The canonical symbol for documents, the id otherwise.
    pub id: String,
    pub origin: Origin,
    pub claims: Vec<Claim>,
    pub items: Vec<Item>,
    pub paragraphs: Vec<Paragraph>,
}

impl Record {
    pub fn claims_for<'a>(&'a self, field: &'a str) -> impl Iterator<Item = &'a Claim> + 'a {
        self.claims.iter().filter(move |c| c.field == field)
    }
}

/// What a dataset holds completely, over which dates (`coverage` in `kb/sources.toml`).
/// Within it, a record the dataset lacks is evidence: a General Assembly resolution absent
/// from a complete recorded-vote dataset was adopted without a vote. Claims that rest on
/// such an absence cite `DATASET absent` (see [`SourceRef::is_inference`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DatasetCoverage {
    /// The dataset's source id.
    pub source: String,
    pub from: Date,
    pub to: Date,
    /// What the dataset holds completely within those dates, in words.
    pub holds: String,
}

impl DatasetCoverage {
    pub fn covers(&self, date: Date) -> bool {
        self.from <= date && date <= self.to
    }
}

/// A validated knowledge base.
#[derive(Clone, Debug, Default)]
pub struct Kb {
    pub sources: Vec<SourceInfo>,
    /// The declared coverage of datasets, for inferences from absence.
    pub coverage: Vec<DatasetCoverage>,
    pub records: Vec<Record>,
    /// The state table of the knowledge base's `states.csv` (the built-in table where the
    /// files given to [`load`] hold none); every state a record names is in it.
    pub states: crate::state::StateRegistry,
    /// Typed edges between records, each with its own source (see [`schema::RELATIONS`]).
    pub relations: Vec<Relation>,
}

/// One edge of a relation (a crosswalk edge: a norm carried by an instrument's element).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Relation {
    /// The relation's name in [`schema::RELATIONS`] (`crosswalk`).
    pub name: String,
    /// The id of the record the edge starts from (a norm).
    pub from: String,
    /// The kind of the record it points to (a document, or a group, actor or body whose
    /// items carry the elements).
    pub to_kind: RecordKind,
    /// The id of the record it points to (a document's canonical symbol).
    pub to: String,
    /// The list of the target's items the element belongs to (`annex`), with `item`.
    pub list: String,
    /// The label of the target's item (`(a)`, `13 (c)`), if the edge is to one element.
    pub item: Option<String>,
    /// The element described in the project's own words, where the knowledge base holds
    /// no copy of its text.
    pub element: Option<String>,
    pub relation: schema::MappingRelation,
    pub rationale: String,
    pub basis: schema::EdgeBasis,
    pub source: SourceRef,
    pub note: Option<String>,
    /// What could not be verified, where something could not.
    pub unverified: Option<String>,
    pub origin: Origin,
}

impl Kb {
    /// The declared coverage of a dataset source, if any.
    pub fn coverage_of(&self, source: &str) -> Option<&DatasetCoverage> {
        self.coverage.iter().find(|c| c.source == source)
    }

    pub fn records_of(&self, kind: RecordKind) -> impl Iterator<Item = &Record> {
        self.records.iter().filter(move |r| r.kind == kind)
    }

    /// The edges of one relation, in file order.
    pub fn relations_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Relation> + 'a {
        self.relations.iter().filter(move |r| r.name == name)
    }

    pub fn find(&self, kind: RecordKind, id: &str) -> Option<&Record> {
        self.records.iter().find(|r| r.kind == kind && r.id == id)
    }

    /// The record of a document; a Security Council resolution cited without its year
    /// finds the record that has it.
    pub fn document(&self, symbol: &Symbol) -> Option<&Record> {
        self.find(RecordKind::Document, &symbol.to_string()).or_else(|| {
            self.records_of(RecordKind::Document).find(|r| Symbol::parse(&r.id).is_ok_and(|s| symbol.same_document(&s)))
        })
    }
}

/// Counts of what the database holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KbStats {
    pub records: Vec<(RecordKind, usize)>,
    pub claims: i64,
    pub items: i64,
    pub paragraphs: i64,
    pub sources: i64,
    pub claims_by_basis: Vec<(String, i64)>,
    pub claims_by_layer: Vec<(String, i64)>,
    /// Fields with disagreeing sources, per kind of record.
    pub conflicts: Vec<(RecordKind, usize)>,
}
