//! The on-disk TOML format (see `docs/kb-format.md`), parsed with serde into raw
//! structs that keep the span of every value, then lowered into claims.
//!
//! Records are read generically: a fact is a table of spanned values, checked field by
//! field against the kind's declaration in [`super::schema`], so a malformed value is
//! reported at its own position and the other fields are still checked. References to
//! other records are checked once every file has been read.

use std::collections::BTreeMap;

use serde::Deserialize;
use toml::Spanned;

use crate::domain::{Date, ParagraphPart, VoteCounts};
use crate::state::Iso3;
use crate::symbol::Symbol;

use super::schema::{FieldSpec, ValueType};
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

/// A table of key = value pairs with the span of every key and value: a fact, an edge.
pub(super) type RawTable = BTreeMap<Spanned<String>, Spanned<toml::Value>>;

/// A record file: tables of records (`[[document]]`), or of edges (`[[crosswalk]]`).
/// Which tables a folder admits is the registry's to say; the loader checks.
pub(super) type RecordFile = BTreeMap<Spanned<String>, Vec<Spanned<RawRecord>>>;

/// One record of any kind: its key (`symbol` or `id`, as its kind declares) and its facts,
/// items and paragraphs.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawRecord {
    pub id: Option<Spanned<String>>,
    pub symbol: Option<Spanned<String>>,
    #[serde(default)]
    pub fact: Vec<Spanned<RawTable>>,
    #[serde(default)]
    pub item: Vec<RawItem>,
    #[serde(default)]
    pub paragraph: Vec<RawParagraph>,
}

/// One edge of a relation, keys as its [`super::schema::RelationSpec`] names them.
pub(super) type RelationFile = BTreeMap<Spanned<String>, Vec<Spanned<RawTable>>>;

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

/// Lowers one field's value into a claim (and the references it makes), checking it
/// against the field's declared type.
pub(super) fn lower_field(sink: &mut dyn ClaimSink, field: &'static FieldSpec, value: Spanned<toml::Value>) {
    let span = value.span();
    let name = field.name;
    let value = value.into_inner();
    let wrong = |sink: &mut dyn ClaimSink, found: &toml::Value| {
        sink.invalid(span.clone(), format!("`{name}` should be {}, not `{found}`", field.ty.describe()));
    };
    let strings = |value: &toml::Value| -> Option<Vec<String>> {
        value.as_array()?.iter().map(|v| v.as_str().map(str::to_string)).collect()
    };
    match field.ty {
        ValueType::Text => match value.as_str() {
            Some(t) if t.trim().is_empty() => sink.invalid(span, format!("`{name}` is empty")),
            Some(t) => sink.claim(name, span, FactValue::Text(t.to_string())),
            None => wrong(sink, &value),
        },
        ValueType::Count => match value.as_integer() {
            Some(n) if n < 0 => sink.invalid(span, format!("`{name}` cannot be negative")),
            Some(n) => sink.claim(name, span, FactValue::Int(n)),
            None => wrong(sink, &value),
        },
        ValueType::Year => match value.as_integer() {
            Some(n) if !(1945..=2100).contains(&n) => {
                sink.invalid(span, format!("`{name}` = {n} is not a year of the United Nations"))
            }
            Some(n) => sink.claim(name, span, FactValue::Int(n)),
            None => wrong(sink, &value),
        },
        ValueType::Bool => match value.as_bool() {
            Some(b) => sink.claim(name, span, FactValue::Bool(b)),
            None => wrong(sink, &value),
        },
        ValueType::Date => {
            let text = match &value {
                toml::Value::String(s) => Some(s.clone()),
                toml::Value::Datetime(d) => Some(d.to_string()),
                _ => None,
            };
            match text.map(|t| t.parse::<Date>()) {
                Some(Ok(date)) => sink.claim(name, span, FactValue::Date(date)),
                Some(Err(e)) => sink.invalid(span, format!("{e} (field `{name}`)")),
                None => wrong(sink, &value),
            }
        }
        ValueType::Symbol => match value.as_str().map(Symbol::parse) {
            Some(Ok(symbol)) => {
                sink.reference(Reference { kind: RecordKind::Document, id: symbol.to_string(), span: span.clone() });
                sink.claim(name, span, FactValue::Symbol(symbol));
            }
            Some(Err(e)) => sink.invalid(span, format!("{e} (field `{name}`)")),
            None => wrong(sink, &value),
        },
        ValueType::State => match value.as_str().map(Iso3::parse) {
            Some(Ok(state)) => sink.claim(name, span, FactValue::States(vec![state])),
            Some(Err(e)) => sink.invalid(span, format!("{e} (field `{name}`)")),
            None => wrong(sink, &value),
        },
        ValueType::States => match strings(&value) {
            Some(codes) => {
                let mut list = Vec::new();
                for code in &codes {
                    match Iso3::parse(code) {
                        Ok(state) => list.push(state),
                        Err(e) => return sink.invalid(span, format!("{e} (field `{name}`)")),
                    }
                }
                let before = list.len();
                list.sort();
                list.dedup();
                if list.len() != before {
                    sink.invalid(span, format!("`{name}` names a state twice"));
                } else {
                    sink.claim(name, span, FactValue::States(list));
                }
            }
            None => wrong(sink, &value),
        },
        ValueType::Votes => match VoteCounts::deserialize(value.clone()) {
            Ok(votes) => sink.claim(name, span, FactValue::Votes(votes)),
            Err(e) => sink.invalid(span, format!("`{name}` should be {}: {}", field.ty.describe(), e.message())),
        },
        ValueType::Vocabulary(vocabulary) => match value.as_str() {
            Some(t) => match (vocabulary.check)(t) {
                Ok(()) => sink.claim(name, span, FactValue::Text(t.to_string())),
                Err(e) => sink.invalid(span, format!("{e} (field `{name}`)")),
            },
            None => wrong(sink, &value),
        },
        ValueType::Vocabularies(vocabulary) => match strings(&value) {
            Some(mut list) => {
                if let Some(e) = list.iter().find_map(|t| (vocabulary.check)(t).err()) {
                    return sink.invalid(span, format!("{e} (field `{name}`)"));
                }
                list.sort();
                list.dedup();
                sink.claim(name, span, FactValue::Ids(list));
            }
            None => wrong(sink, &value),
        },
        ValueType::Ref(kind) => match value.as_str() {
            Some(id) => {
                sink.reference(Reference { kind, id: id.to_string(), span: span.clone() });
                sink.claim(name, span, FactValue::Id(id.to_string()));
            }
            None => wrong(sink, &value),
        },
        ValueType::Refs(kind) => match strings(&value) {
            Some(mut ids) => {
                for id in &ids {
                    sink.reference(Reference { kind, id: id.clone(), span: span.clone() });
                }
                ids.sort();
                ids.dedup();
                sink.claim(name, span, FactValue::Ids(ids));
            }
            None => wrong(sink, &value),
        },
    }
}
