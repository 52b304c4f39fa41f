//! The schema registry: every kind of record and every kind of relation of the knowledge
//! base, declared once.
//!
//! A kind names its folder under `kb/`, its TOML table, its key (`symbol` or `id`), its
//! labels, whether it carries items and paragraphs, and its fields. A field names its value
//! type (which also says whether it references another kind), its merge rule (how several
//! sources' claims combine), its label and its JSON name. The loader checks fields against
//! this table, the resolver ([`crate::view::RecordView`]) merges by it, and presenters take
//! labels and JSON names from it. Adding a kind is an entry in [`KINDS`], a variant of
//! [`RecordKind`] and a test.
//!
//! A relation is an edge between two records with its own source (a crosswalk edge from a
//! norm to an instrument's element): see [`RELATIONS`].

use std::fmt::Display;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::RecordKind;
use crate::domain::{
    ActorKind, BodyKind, Committee, DocumentKind, EventKind, GroupKind, Modality, Outcome, Stream, VocabularyError,
};

/// How the claims of several sources about one field combine.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Merge {
    /// One value is shown (by basis, then file order); different values are a conflict.
    Shown,
    /// Each source names some members; the value is the union, never a conflict.
    Union,
    /// Each source describes in its own words; all are kept, the first is shown, never a
    /// conflict.
    Narrative,
}

/// A closed vocabulary a field's value must belong to.
#[derive(Clone, Copy)]
pub struct Vocabulary {
    pub name: &'static str,
    /// Checks a spelling, naming the valid ones when it is not.
    pub check: fn(&str) -> Result<(), String>,
    /// Every valid spelling (for the OpenAPI schemas and the format reference).
    pub values: fn() -> Vec<&'static str>,
}

impl std::fmt::Debug for Vocabulary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

fn check<T: FromStr>(text: &str) -> Result<(), String>
where
    T::Err: Display,
{
    text.parse::<T>().map(|_| ()).map_err(|e| e.to_string())
}

/// Declares a vocabulary from a domain type with `ALL` and `as_str` (the domain's
/// `vocabulary!` types).
macro_rules! vocabulary {
    ($ty:ty, $name:literal) => {
        Vocabulary { name: $name, check: check::<$ty>, values: || <$ty>::ALL.iter().map(|v| v.as_str()).collect() }
    };
}

/// The type of a field's value, as written in the TOML files.
#[derive(Clone, Copy, Debug)]
pub enum ValueType {
    /// Non-empty text.
    Text,
    /// A non-negative integer.
    Count,
    /// A year of the United Nations (1945–2100).
    Year,
    Bool,
    /// `YYYY-MM-DD`.
    Date,
    /// A UN document symbol; a reference to the document's record.
    Symbol,
    /// One ISO3 code known to `states.csv`.
    State,
    /// A list of ISO3 codes, each once.
    States,
    /// `{ yes, no, abstain, non_voting }`.
    Votes,
    /// One spelling of a vocabulary.
    Vocabulary(Vocabulary),
    /// A list of spellings of a vocabulary.
    Vocabularies(Vocabulary),
    /// The id of a record of another (or the same) kind.
    Ref(RecordKind),
    /// A list of ids of records of a kind.
    Refs(RecordKind),
}

impl ValueType {
    /// The kind of record a value of this type refers to, if it is a reference.
    pub fn references(self) -> Option<RecordKind> {
        match self {
            ValueType::Symbol => Some(RecordKind::Document),
            ValueType::Ref(kind) | ValueType::Refs(kind) => Some(kind),
            _ => None,
        }
    }

    /// The type in words, for error messages and the format reference.
    pub fn describe(self) -> String {
        match self {
            ValueType::Text => "text".into(),
            ValueType::Count => "a non-negative integer".into(),
            ValueType::Year => "a year".into(),
            ValueType::Bool => "true or false".into(),
            ValueType::Date => "a date YYYY-MM-DD".into(),
            ValueType::Symbol => "a UN document symbol".into(),
            ValueType::State => "an ISO3 state code".into(),
            ValueType::States => "a list of ISO3 state codes".into(),
            ValueType::Votes => "a tally { yes, no, abstain, non_voting }".into(),
            ValueType::Vocabulary(v) => format!("a {}", v.name),
            ValueType::Vocabularies(v) => format!("a list of {}", v.name),
            ValueType::Ref(kind) => format!("the id of a {kind}"),
            ValueType::Refs(kind) => format!("a list of {kind} ids"),
        }
    }
}

/// One field of a kind of record.
#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    /// The key in the TOML files and the claim's field name.
    pub name: &'static str,
    pub ty: ValueType,
    pub merge: Merge,
    /// The label on pages.
    pub label: &'static str,
    /// The name in the JSON contract.
    pub json: &'static str,
}

/// How a record is identified in its TOML table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// `symbol = "A/RES/53/70"`, canonicalised.
    Symbol,
    /// `id = "lower-case-with-hyphens"`.
    Id,
}

impl Key {
    pub fn as_str(self) -> &'static str {
        match self {
            Key::Symbol => "symbol",
            Key::Id => "id",
        }
    }
}

/// One kind of record.
#[derive(Clone, Copy, Debug)]
pub struct KindSpec {
    pub kind: RecordKind,
    /// The TOML table (`[[document]]`) and the kind's name everywhere else.
    pub table: &'static str,
    /// The folder under `kb/`, also the path segment of its pages (`/documents/…`).
    pub folder: &'static str,
    pub key: Key,
    pub label: &'static str,
    pub plural_label: &'static str,
    /// Whether `[[<table>.paragraph]]` is allowed (a resolution's text).
    pub paragraphs: bool,
    pub fields: &'static [FieldSpec],
}

impl KindSpec {
    /// A field's label for pages; a field the kind does not declare shows its name.
    pub fn label_of<'a>(&self, field: &'a str) -> &'a str {
        match self.field(field) {
            Some(spec) => spec.label,
            None => field,
        }
    }

    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }

    /// The merge rule of a field; a field the kind does not declare (an import's) is shown.
    pub fn merge(&self, field: &str) -> Merge {
        self.field(field).map_or(Merge::Shown, |f| f.merge)
    }
}

const fn f(name: &'static str, ty: ValueType, merge: Merge, label: &'static str) -> FieldSpec {
    FieldSpec { name, ty, merge, label, json: name }
}

const fn shown(name: &'static str, ty: ValueType, label: &'static str) -> FieldSpec {
    f(name, ty, Merge::Shown, label)
}

const fn union(name: &'static str, ty: ValueType, label: &'static str) -> FieldSpec {
    f(name, ty, Merge::Union, label)
}

const fn narrative(name: &'static str, label: &'static str) -> FieldSpec {
    f(name, ValueType::Text, Merge::Narrative, label)
}

use ValueType as T;

const DOCUMENT_KIND: Vocabulary = vocabulary!(DocumentKind, "document kind");
const COMMITTEE: Vocabulary = vocabulary!(Committee, "Main Committee");
const STREAM: Vocabulary = vocabulary!(Stream, "stream");
const MODALITY: Vocabulary = vocabulary!(Modality, "modality");
const BODY_KIND: Vocabulary = vocabulary!(BodyKind, "body kind");
const GROUP_KIND: Vocabulary = vocabulary!(GroupKind, "group kind");
const OUTCOME: Vocabulary = vocabulary!(Outcome, "outcome");
const EVENT_KIND: Vocabulary = vocabulary!(EventKind, "event kind");
const ACTOR_KIND: Vocabulary = vocabulary!(ActorKind, "actor kind");

/// Every kind of record, in the order pages and statistics list them.
pub static KINDS: &[KindSpec] = &[
    KindSpec {
        kind: RecordKind::Document,
        table: "document",
        folder: "documents",
        key: Key::Symbol,
        label: "Document",
        plural_label: "Documents",
        paragraphs: true,
        fields: &[
            shown("kind", T::Vocabulary(DOCUMENT_KIND), "Kind"),
            shown("title", T::Text, "Title"),
            shown("body", T::Ref(RecordKind::Body), "Body"),
            shown("committee", T::Vocabulary(COMMITTEE), "Committee"),
            shown("stream", T::Vocabulary(STREAM), "Stream"),
            shown("series", T::Ref(RecordKind::Series), "Series"),
            shown("agenda_item", T::Text, "Agenda item"),
            shown("adopted_on", T::Date, "Adopted on"),
            shown("issued_on", T::Date, "Issued on"),
            shown("year", T::Year, "Year"),
            shown("modality", T::Vocabulary(MODALITY), "Adopted"),
            shown("votes", T::Votes, "Votes"),
            shown("voted_no", T::States, "Voted no"),
            union("introduced_by", T::States, "Introduced by"),
            shown("on_behalf_of", T::Text, "On behalf of"),
            union("cosponsors", T::States, "Co-sponsors"),
            shown("cosponsor_count", T::Count, "Sponsors (count)"),
            shown("joined_later_count", T::Count, "Joined later (count)"),
            union("not_sponsoring", T::States, "Not sponsoring"),
            shown("draft", T::Symbol, "Draft"),
            shown("report", T::Symbol, "Committee report"),
            shown("resolution", T::Symbol, "Resolution"),
            shown("establishes", T::Ref(RecordKind::Group), "Establishes"),
            shown("annex_items", T::Count, "Annexed elements"),
            narrative("summary", "Summary"),
            narrative("changes", "Changes"),
            shown("cited_as", T::Text, "Cited as"),
            shown("correct_symbol", T::Symbol, "Correct symbol"),
            shown("miscited", T::Bool, "Mis-cited"),
        ],
    },
    KindSpec {
        kind: RecordKind::Series,
        table: "series",
        folder: "series",
        key: Key::Id,
        label: "Series",
        plural_label: "Series",
        paragraphs: false,
        fields: &[
            shown("title", T::Text, "Title"),
            shown("committee", T::Vocabulary(COMMITTEE), "Committee"),
            shown("stream", T::Vocabulary(STREAM), "Stream"),
            shown("body", T::Ref(RecordKind::Body), "Body"),
            shown("agenda_item", T::Text, "Agenda item"),
            narrative("summary", "Summary"),
        ],
    },
    KindSpec {
        kind: RecordKind::Body,
        table: "body",
        folder: "bodies",
        key: Key::Id,
        label: "Body",
        plural_label: "Bodies",
        paragraphs: false,
        fields: &[
            shown("name", T::Text, "Name"),
            shown("full_name", T::Text, "Full name"),
            shown("abbreviation", T::Text, "Abbreviation"),
            shown("kind", T::Vocabulary(BODY_KIND), "Kind"),
            shown("parent", T::Ref(RecordKind::Body), "Parent"),
            narrative("relation", "Relation to parent"),
            union("streams", T::Vocabularies(STREAM), "Streams"),
            shown("platform", T::Bool, "Platform"),
            narrative("summary", "Summary"),
        ],
    },
    KindSpec {
        kind: RecordKind::Group,
        table: "group",
        folder: "groups",
        key: Key::Id,
        label: "Group",
        plural_label: "Groups",
        paragraphs: false,
        fields: &[
            shown("name", T::Text, "Name"),
            shown("kind", T::Vocabulary(GROUP_KIND), "Kind"),
            shown("body", T::Ref(RecordKind::Body), "Body"),
            shown("established_by", T::Symbol, "Established by"),
            shown("start_year", T::Year, "From"),
            shown("end_year", T::Year, "To"),
            union("members", T::States, "Members"),
            shown("member_count", T::Count, "Members (count)"),
            shown("chair", T::State, "Chair"),
            shown("chair_person", T::Text, "Chair (person)"),
            shown("meetings", T::Count, "Meetings"),
            shown("report", T::Symbol, "Report"),
            shown("outcome", T::Vocabulary(OUTCOME), "Outcome"),
            narrative("summary", "Summary"),
        ],
    },
    KindSpec {
        kind: RecordKind::Event,
        table: "event",
        folder: "events",
        key: Key::Id,
        label: "Event",
        plural_label: "Events",
        paragraphs: false,
        fields: &[
            shown("name", T::Text, "Name"),
            shown("kind", T::Vocabulary(EVENT_KIND), "Kind"),
            shown("date", T::Date, "Date"),
            shown("year", T::Year, "Year"),
            union("bodies", T::Refs(RecordKind::Body), "Bodies"),
            union("states", T::States, "States"),
            shown("exogenous", T::Bool, "Outside shock"),
            shown("signatories", T::Count, "Signatories (count)"),
            narrative("summary", "Summary"),
        ],
    },
    KindSpec {
        kind: RecordKind::Actor,
        table: "actor",
        folder: "actors",
        key: Key::Id,
        label: "Actor",
        plural_label: "Actors",
        paragraphs: false,
        fields: &[
            shown("name", T::Text, "Name"),
            shown("kind", T::Vocabulary(ACTOR_KIND), "Kind"),
            shown("state", T::State, "State"),
            narrative("role", "Role"),
            shown("body", T::Ref(RecordKind::Body), "Body"),
            union("groups", T::Refs(RecordKind::Group), "Groups"),
            narrative("summary", "Summary"),
        ],
    },
    KindSpec {
        kind: RecordKind::Theme,
        table: "theme",
        folder: "themes",
        key: Key::Id,
        label: "Theme",
        plural_label: "Themes",
        paragraphs: false,
        fields: &[
            shown("name", T::Text, "Name"),
            shown("parent", T::Ref(RecordKind::Theme), "Broader theme"),
            narrative("definition", "Definition"),
            narrative("summary", "Summary"),
        ],
    },
    KindSpec {
        kind: RecordKind::Norm,
        table: "norm",
        folder: "norms",
        key: Key::Id,
        label: "Norm",
        plural_label: "Norms",
        paragraphs: false,
        fields: &[
            shown("name", T::Text, "Name"),
            shown("theme", T::Ref(RecordKind::Theme), "Theme"),
            union("also_themes", T::Refs(RecordKind::Theme), "Also under"),
            narrative("definition", "Definition"),
            narrative("summary", "Summary"),
        ],
    },
];

/// The declaration of a kind of record.
pub fn kind(kind: RecordKind) -> &'static KindSpec {
    KINDS.iter().find(|k| k.kind == kind).expect("every record kind is declared in the registry (a test checks this)")
}

/// The kind whose TOML table has this name.
pub fn kind_of_table(table: &str) -> Option<&'static KindSpec> {
    KINDS.iter().find(|k| k.table == table)
}

/// The kind whose folder holds this path (`documents/ga-first/x.toml`).
pub fn kind_of_path(path: &str) -> Option<&'static KindSpec> {
    let folder = path.split('/').next()?;
    KINDS.iter().find(|k| k.folder == folder)
}

/// The OSCAL control-mapping relations (OSCAL Control Mapping model: `equivalent-to`,
/// `subset-of`, `superset-of`, `intersects-with`), read from the norm towards the
/// instrument's element: `subset-of` says the norm is narrower than the element.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MappingRelation {
    EquivalentTo,
    SubsetOf,
    SupersetOf,
    IntersectsWith,
}

impl MappingRelation {
    pub const ALL: [MappingRelation; 4] = [
        MappingRelation::EquivalentTo,
        MappingRelation::SubsetOf,
        MappingRelation::SupersetOf,
        MappingRelation::IntersectsWith,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MappingRelation::EquivalentTo => "equivalent-to",
            MappingRelation::SubsetOf => "subset-of",
            MappingRelation::SupersetOf => "superset-of",
            MappingRelation::IntersectsWith => "intersects-with",
        }
    }
}

impl std::fmt::Display for MappingRelation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for MappingRelation {
    type Err = VocabularyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        MappingRelation::ALL.into_iter().find(|r| r.as_str() == s).ok_or_else(|| VocabularyError {
            what: "mapping relation",
            found: s.to_string(),
            expected: MappingRelation::ALL.iter().map(|r| r.as_str()).collect(),
        })
    }
}

impl Serialize for MappingRelation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for MappingRelation {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?.parse().map_err(serde::de::Error::custom)
    }
}

/// Who makes the link an edge states.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum EdgeBasis {
    /// The cited source itself makes the link (64/211's annex item 18 names 57/239 and
    /// 58/199).
    Document,
    /// A curator's reviewed judgement, comparing the texts the source cites; shown as such.
    Curator,
}

impl EdgeBasis {
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeBasis::Document => "document",
            EdgeBasis::Curator => "curator",
        }
    }
}

impl std::fmt::Display for EdgeBasis {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for EdgeBasis {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "document" => Ok(EdgeBasis::Document),
            "curator" => Ok(EdgeBasis::Curator),
            other => Err(format!("`{other}` is not an edge basis; expected one of: document, curator")),
        }
    }
}

impl Serialize for EdgeBasis {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for EdgeBasis {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer)?.parse().map_err(serde::de::Error::custom)
    }
}

/// A kind of record a relation may point to, and the key that names it in an edge.
#[derive(Clone, Copy, Debug)]
pub struct Target {
    /// The key naming the target record (`symbol = "…"`, `actor = "…"`).
    pub key: &'static str,
    pub kind: RecordKind,
}

/// One kind of relation: typed edges from a record of one kind to a record (and optionally
/// one of its items) of one of several kinds, each with its own source, relation and
/// rationale.
#[derive(Clone, Copy, Debug)]
pub struct RelationSpec {
    /// The relation's name, its TOML table and its folder under `kb/`.
    pub name: &'static str,
    pub folder: &'static str,
    pub label: &'static str,
    pub from: RecordKind,
    /// The key naming the source record (`norm = "…"`).
    pub from_key: &'static str,
    /// What an edge may point to; an edge names exactly one.
    pub targets: &'static [Target],
}

/// Every kind of relation.
pub static RELATIONS: &[RelationSpec] = &[RelationSpec {
    name: "crosswalk",
    folder: "crosswalk",
    label: "Crosswalk",
    from: RecordKind::Norm,
    from_key: "norm",
    targets: &[
        Target { key: "symbol", kind: RecordKind::Document },
        Target { key: "group", kind: RecordKind::Group },
        Target { key: "actor", kind: RecordKind::Actor },
        Target { key: "body", kind: RecordKind::Body },
    ],
}];

/// The relation whose folder holds this path.
pub fn relation_of_path(path: &str) -> Option<&'static RelationSpec> {
    let folder = path.split('/').next()?;
    RELATIONS.iter().find(|r| r.folder == folder)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_declared_once_with_distinct_tables_and_folders() {
        for kind in RecordKind::ALL {
            assert_eq!(KINDS.iter().filter(|k| k.kind == kind).count(), 1, "{kind:?}");
            assert_eq!(super::kind(kind).table, kind.as_str());
            assert_eq!(RecordKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(KINDS.len(), RecordKind::ALL.len());
        for (i, a) in KINDS.iter().enumerate() {
            for b in &KINDS[i + 1..] {
                assert_ne!(a.table, b.table);
                assert_ne!(a.folder, b.folder);
            }
            for r in RELATIONS {
                assert_ne!(a.folder, r.folder, "a relation's folder is not a kind's");
            }
        }
    }

    #[test]
    fn fields_are_declared_once_per_kind_and_references_point_at_declared_kinds() {
        for spec in KINDS {
            for (i, field) in spec.fields.iter().enumerate() {
                assert!(spec.fields[i + 1..].iter().all(|g| g.name != field.name), "{}.{}", spec.table, field.name);
                assert!(!["source", "quote", "note"].contains(&field.name), "reserved: {}", field.name);
                if let Some(target) = field.ty.references() {
                    assert_eq!(kind(target).kind, target);
                }
                // A list merges as a union or is shown whole; text never merges as a union.
                if matches!(field.ty, ValueType::Text) {
                    assert_ne!(field.merge, Merge::Union, "{}.{}", spec.table, field.name);
                }
            }
        }
    }

    #[test]
    fn merge_rules_come_from_the_declarations() {
        let document = kind(RecordKind::Document);
        assert_eq!(document.merge("cosponsors"), Merge::Union);
        assert_eq!(document.merge("summary"), Merge::Narrative);
        assert_eq!(document.merge("adopted_on"), Merge::Shown);
        assert_eq!(kind(RecordKind::Body).merge("relation"), Merge::Narrative);
        assert_eq!(kind(RecordKind::Norm).merge("definition"), Merge::Narrative);
        assert_eq!(kind_of_path("norms/x.toml").map(|k| k.kind), Some(RecordKind::Norm));
        assert_eq!(relation_of_path("crosswalk/a.toml").map(|r| r.name), Some("crosswalk"));
        assert!((COMMITTEE.check)("First").is_ok());
        assert!((STREAM.check)("military").unwrap_err().contains("politico-military"));
        assert!((STREAM.values)().contains(&"politico-military"));
        assert!((MODALITY.values)().iter().all(|v| (MODALITY.check)(v).is_ok()));
        assert_eq!(kind(RecordKind::Document).label_of("adopted_on"), "Adopted on");
        assert_eq!(kind(RecordKind::Document).label_of("imported_field"), "imported_field");
    }
}
