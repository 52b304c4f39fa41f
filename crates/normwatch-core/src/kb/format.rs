//! The on-disk TOML format (see `docs/kb-format.md`), parsed with serde into raw
//! structs that keep the span of every value, then lowered into claims.
//!
//! Types that parse themselves (symbols, dates, ISO3 codes, vocabularies) are used
//! directly, so a malformed value fails with the TOML parser's position. References to
//! other records stay strings here and are checked once every file has been read.

use serde::Deserialize;
use toml::Spanned;

use crate::domain::{
    ActorKind, BodyKind, Committee, Date, DocumentKind, EventKind, GroupKind, Modality, Outcome, ParagraphPart, Stream,
    VoteCounts,
};
use crate::state::Iso3;
use crate::symbol::Symbol;

use super::{FactValue, RecordKind, SourceKind};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SourcesFile {
    #[serde(default)]
    pub source: Vec<RawSource>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawSource {
    pub id: Spanned<String>,
    pub kind: SourceKind,
    pub file: Option<String>,
    pub citation: String,
    /// For a dataset: what it holds completely, and over which dates, so that a record's
    /// absence from it can ground an inference (`DATASET absent`).
    pub coverage: Option<Spanned<RawCoverage>>,
}

/// `coverage = { from = "…", to = "…", holds = "…" }` on a dataset source.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawCoverage {
    pub from: Date,
    pub to: Date,
    pub holds: String,
}

/// A record file. Each folder admits one kind; the loader checks the folder.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub(super) struct RecordFile {
    #[serde(default)]
    pub document: Vec<RawDocument>,
    #[serde(default)]
    pub series: Vec<RawRecord<SeriesFact>>,
    #[serde(default)]
    pub body: Vec<RawRecord<BodyFact>>,
    #[serde(default)]
    pub group: Vec<RawRecord<GroupFact>>,
    #[serde(default)]
    pub event: Vec<RawRecord<EventFact>>,
    #[serde(default)]
    pub actor: Vec<RawRecord<ActorFact>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawDocument {
    pub symbol: Spanned<Symbol>,
    #[serde(default)]
    pub fact: Vec<DocumentFact>,
    #[serde(default)]
    pub item: Vec<RawItem>,
    #[serde(default)]
    pub paragraph: Vec<RawParagraph>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, bound(deserialize = "F: Deserialize<'de>"))]
pub(super) struct RawRecord<F> {
    pub id: Spanned<String>,
    #[serde(default)]
    pub fact: Vec<F>,
    #[serde(default)]
    pub item: Vec<RawItem>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawItem {
    pub list: Spanned<String>,
    pub label: Spanned<String>,
    pub heading: Option<String>,
    pub text: Spanned<String>,
    #[serde(default)]
    pub paraphrase: bool,
    pub count: Option<i64>,
    pub source: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawParagraph {
    pub part: Spanned<ParagraphPart>,
    pub number: Option<i64>,
    pub verb: Option<Spanned<String>>,
    pub text: Spanned<String>,
    pub source: Spanned<String>,
}

/// The parts every fact shares: who says it, in what words, with what remark.
pub(super) struct FactHeader<'a> {
    pub source: &'a Spanned<String>,
    pub quote: &'a Option<String>,
    pub note: &'a Option<String>,
}

/// A reference from a claim to another record, checked after all files are read.
pub(super) struct Reference {
    pub kind: RecordKind,
    pub id: String,
    pub span: std::ops::Range<usize>,
}

/// Receives the claims one fact makes.
pub(super) trait ClaimSink {
    fn claim(&mut self, field: &'static str, span: std::ops::Range<usize>, value: FactValue);
    fn reference(&mut self, reference: Reference);
    fn invalid(&mut self, span: std::ops::Range<usize>, message: String);
}

pub(super) trait Fact {
    fn header(&self) -> FactHeader<'_>;
    fn lower(self, sink: &mut dyn ClaimSink);
}

fn text(sink: &mut dyn ClaimSink, field: &'static str, value: Option<Spanned<String>>) {
    if let Some(v) = value {
        let span = v.span();
        let text = v.into_inner();
        if text.trim().is_empty() {
            sink.invalid(span, format!("`{field}` is empty"));
        } else {
            sink.claim(field, span, FactValue::Text(text));
        }
    }
}

fn count(sink: &mut dyn ClaimSink, field: &'static str, value: Option<Spanned<i64>>) {
    if let Some(v) = value {
        let span = v.span();
        let n = v.into_inner();
        if n < 0 {
            sink.invalid(span, format!("`{field}` cannot be negative"));
        } else {
            sink.claim(field, span, FactValue::Int(n));
        }
    }
}

fn year(sink: &mut dyn ClaimSink, field: &'static str, value: Option<Spanned<i64>>) {
    if let Some(v) = value {
        let span = v.span();
        let n = v.into_inner();
        if !(1945..=2100).contains(&n) {
            sink.invalid(span, format!("`{field}` = {n} is not a year of the United Nations"));
        } else {
            sink.claim(field, span, FactValue::Int(n));
        }
    }
}

fn vocabulary<T: ToString>(sink: &mut dyn ClaimSink, field: &'static str, value: Option<Spanned<T>>) {
    if let Some(v) = value {
        let span = v.span();
        sink.claim(field, span, FactValue::Text(v.into_inner().to_string()));
    }
}

fn date(sink: &mut dyn ClaimSink, field: &'static str, value: Option<Spanned<Date>>) {
    if let Some(v) = value {
        let span = v.span();
        sink.claim(field, span, FactValue::Date(v.into_inner()));
    }
}

fn boolean(sink: &mut dyn ClaimSink, field: &'static str, value: Option<Spanned<bool>>) {
    if let Some(v) = value {
        let span = v.span();
        sink.claim(field, span, FactValue::Bool(v.into_inner()));
    }
}

fn states(sink: &mut dyn ClaimSink, field: &'static str, value: Option<Spanned<Vec<Iso3>>>) {
    if let Some(v) = value {
        let span = v.span();
        let mut list = v.into_inner();
        let before = list.len();
        list.sort();
        list.dedup();
        if list.len() != before {
            sink.invalid(span, format!("`{field}` names a state twice"));
        } else {
            sink.claim(field, span, FactValue::States(list));
        }
    }
}

fn symbol_ref(sink: &mut dyn ClaimSink, field: &'static str, value: Option<Spanned<Symbol>>) {
    if let Some(v) = value {
        let span = v.span();
        let symbol = v.into_inner();
        sink.reference(Reference { kind: RecordKind::Document, id: symbol.to_string(), span: span.clone() });
        sink.claim(field, span, FactValue::Symbol(symbol));
    }
}

fn id_ref(sink: &mut dyn ClaimSink, field: &'static str, kind: RecordKind, value: Option<Spanned<String>>) {
    if let Some(v) = value {
        let span = v.span();
        let id = v.into_inner();
        sink.reference(Reference { kind, id: id.clone(), span: span.clone() });
        sink.claim(field, span, FactValue::Id(id));
    }
}

fn id_refs(sink: &mut dyn ClaimSink, field: &'static str, kind: RecordKind, value: Option<Spanned<Vec<String>>>) {
    if let Some(v) = value {
        let span = v.span();
        let mut ids = v.into_inner();
        for id in &ids {
            sink.reference(Reference { kind, id: id.clone(), span: span.clone() });
        }
        ids.sort();
        ids.dedup();
        sink.claim(field, span, FactValue::Ids(ids));
    }
}

/// Declares a fact struct: the shared header plus the record kind's fields.
macro_rules! fact_struct {
    ($name:ident { $($field:ident : $ty:ty),+ $(,)? }) => {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields)]
        pub(super) struct $name {
            pub source: Spanned<String>,
            pub quote: Option<String>,
            pub note: Option<String>,
            $(pub $field: Option<Spanned<$ty>>),+
        }
    };
}

fact_struct!(DocumentFact {
    kind: DocumentKind,
    title: String,
    body: String,
    committee: Committee,
    stream: Stream,
    series: String,
    agenda_item: String,
    adopted_on: Date,
    issued_on: Date,
    year: i64,
    modality: Modality,
    votes: VoteCounts,
    voted_no: Vec<Iso3>,
    introduced_by: Vec<Iso3>,
    on_behalf_of: String,
    cosponsors: Vec<Iso3>,
    cosponsor_count: i64,
    joined_later_count: i64,
    not_sponsoring: Vec<Iso3>,
    draft: Symbol,
    report: Symbol,
    resolution: Symbol,
    establishes: String,
    annex_items: i64,
    summary: String,
    changes: String,
    cited_as: String,
    correct_symbol: Symbol,
    miscited: bool,
});

impl Fact for DocumentFact {
    fn header(&self) -> FactHeader<'_> {
        FactHeader { source: &self.source, quote: &self.quote, note: &self.note }
    }

    fn lower(self, sink: &mut dyn ClaimSink) {
        vocabulary(sink, "kind", self.kind);
        text(sink, "title", self.title);
        id_ref(sink, "body", RecordKind::Body, self.body);
        vocabulary(sink, "committee", self.committee);
        vocabulary(sink, "stream", self.stream);
        id_ref(sink, "series", RecordKind::Series, self.series);
        text(sink, "agenda_item", self.agenda_item);
        date(sink, "adopted_on", self.adopted_on);
        date(sink, "issued_on", self.issued_on);
        year(sink, "year", self.year);
        vocabulary(sink, "modality", self.modality);
        if let Some(v) = self.votes {
            let span = v.span();
            sink.claim("votes", span, FactValue::Votes(v.into_inner()));
        }
        states(sink, "voted_no", self.voted_no);
        states(sink, "introduced_by", self.introduced_by);
        text(sink, "on_behalf_of", self.on_behalf_of);
        states(sink, "cosponsors", self.cosponsors);
        count(sink, "cosponsor_count", self.cosponsor_count);
        count(sink, "joined_later_count", self.joined_later_count);
        states(sink, "not_sponsoring", self.not_sponsoring);
        symbol_ref(sink, "draft", self.draft);
        symbol_ref(sink, "report", self.report);
        symbol_ref(sink, "resolution", self.resolution);
        id_ref(sink, "establishes", RecordKind::Group, self.establishes);
        count(sink, "annex_items", self.annex_items);
        text(sink, "summary", self.summary);
        text(sink, "changes", self.changes);
        text(sink, "cited_as", self.cited_as);
        symbol_ref(sink, "correct_symbol", self.correct_symbol);
        boolean(sink, "miscited", self.miscited);
    }
}

fact_struct!(SeriesFact {
    title: String,
    committee: Committee,
    stream: Stream,
    body: String,
    agenda_item: String,
    summary: String,
});

impl Fact for SeriesFact {
    fn header(&self) -> FactHeader<'_> {
        FactHeader { source: &self.source, quote: &self.quote, note: &self.note }
    }

    fn lower(self, sink: &mut dyn ClaimSink) {
        text(sink, "title", self.title);
        vocabulary(sink, "committee", self.committee);
        vocabulary(sink, "stream", self.stream);
        id_ref(sink, "body", RecordKind::Body, self.body);
        text(sink, "agenda_item", self.agenda_item);
        text(sink, "summary", self.summary);
    }
}

fact_struct!(BodyFact {
    name: String,
    full_name: String,
    abbreviation: String,
    kind: BodyKind,
    parent: String,
    relation: String,
    streams: Vec<Stream>,
    platform: bool,
    summary: String,
});

impl Fact for BodyFact {
    fn header(&self) -> FactHeader<'_> {
        FactHeader { source: &self.source, quote: &self.quote, note: &self.note }
    }

    fn lower(self, sink: &mut dyn ClaimSink) {
        text(sink, "name", self.name);
        text(sink, "full_name", self.full_name);
        text(sink, "abbreviation", self.abbreviation);
        vocabulary(sink, "kind", self.kind);
        id_ref(sink, "parent", RecordKind::Body, self.parent);
        text(sink, "relation", self.relation);
        if let Some(v) = self.streams {
            let span = v.span();
            let mut names: Vec<String> = v.into_inner().into_iter().map(|s| s.to_string()).collect();
            names.sort();
            names.dedup();
            sink.claim("streams", span, FactValue::Ids(names));
        }
        boolean(sink, "platform", self.platform);
        text(sink, "summary", self.summary);
    }
}

fact_struct!(GroupFact {
    name: String,
    kind: GroupKind,
    body: String,
    established_by: Symbol,
    start_year: i64,
    end_year: i64,
    members: Vec<Iso3>,
    member_count: i64,
    chair: Iso3,
    chair_person: String,
    meetings: i64,
    report: Symbol,
    outcome: Outcome,
    summary: String,
});

impl Fact for GroupFact {
    fn header(&self) -> FactHeader<'_> {
        FactHeader { source: &self.source, quote: &self.quote, note: &self.note }
    }

    fn lower(self, sink: &mut dyn ClaimSink) {
        text(sink, "name", self.name);
        vocabulary(sink, "kind", self.kind);
        id_ref(sink, "body", RecordKind::Body, self.body);
        symbol_ref(sink, "established_by", self.established_by);
        year(sink, "start_year", self.start_year);
        year(sink, "end_year", self.end_year);
        states(sink, "members", self.members);
        count(sink, "member_count", self.member_count);
        if let Some(v) = self.chair {
            let span = v.span();
            sink.claim("chair", span, FactValue::States(vec![v.into_inner()]));
        }
        text(sink, "chair_person", self.chair_person);
        count(sink, "meetings", self.meetings);
        symbol_ref(sink, "report", self.report);
        vocabulary(sink, "outcome", self.outcome);
        text(sink, "summary", self.summary);
    }
}

fact_struct!(EventFact {
    name: String,
    kind: EventKind,
    date: Date,
    year: i64,
    bodies: Vec<String>,
    states: Vec<Iso3>,
    exogenous: bool,
    summary: String,
});

impl Fact for EventFact {
    fn header(&self) -> FactHeader<'_> {
        FactHeader { source: &self.source, quote: &self.quote, note: &self.note }
    }

    fn lower(self, sink: &mut dyn ClaimSink) {
        text(sink, "name", self.name);
        vocabulary(sink, "kind", self.kind);
        date(sink, "date", self.date);
        year(sink, "year", self.year);
        id_refs(sink, "bodies", RecordKind::Body, self.bodies);
        states(sink, "states", self.states);
        boolean(sink, "exogenous", self.exogenous);
        text(sink, "summary", self.summary);
    }
}

fact_struct!(ActorFact {
    name: String,
    kind: ActorKind,
    state: Iso3,
    role: String,
    body: String,
    groups: Vec<String>,
    summary: String,
});

impl Fact for ActorFact {
    fn header(&self) -> FactHeader<'_> {
        FactHeader { source: &self.source, quote: &self.quote, note: &self.note }
    }

    fn lower(self, sink: &mut dyn ClaimSink) {
        text(sink, "name", self.name);
        vocabulary(sink, "kind", self.kind);
        if let Some(v) = self.state {
            let span = v.span();
            sink.claim("state", span, FactValue::States(vec![v.into_inner()]));
        }
        text(sink, "role", self.role);
        id_ref(sink, "body", RecordKind::Body, self.body);
        id_refs(sink, "groups", RecordKind::Group, self.groups);
        text(sink, "summary", self.summary);
    }
}
