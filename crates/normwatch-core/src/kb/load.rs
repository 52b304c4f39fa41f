//! Reading and validating a knowledge base from its files' text.
//!
//! The loader takes file contents, not paths, so that it does no I/O: the binary reads
//! the files (from the embedded copy or a folder) and hands them over. It reports every
//! problem it finds, each with file, line and column, rather than stopping at the first.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;

use super::format::{
    ClaimSink, RawItem, RawRecord, RawTable, RecordFile, Reference, RelationFile, SourcesFile, lower_field,
};
use super::schema::{self, EdgeBasis, Key, KindSpec, MappingRelation, RelationSpec};
use super::{
    Claim, DatasetCoverage, FactValue, Item, Kb, Origin, Paragraph, Record, RecordKind, Relation, SourceInfo,
    SourceKind, SourceRef,
};
use crate::domain::OperativeVerb;

/// One file of the knowledge base: its path relative to the `kb/` folder, and its text.
#[derive(Clone, Debug)]
pub struct KbFile {
    pub path: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KbError {
    pub file: String,
    pub line: u32,
    pub column: u32,
    pub message: String,
}

impl fmt::Display for KbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.file, self.line, self.column, self.message)
    }
}

/// Every problem found in a knowledge base.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KbErrors(pub Vec<KbError>);

impl fmt::Display for KbErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.0.len();
        writeln!(f, "the knowledge base has {n} error{}:", if n == 1 { "" } else { "s" })?;
        for error in &self.0 {
            writeln!(f, "  {error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for KbErrors {}

impl KbErrors {
    /// The same errors with file names under `root` (the folder the files came from),
    /// so that an editor or terminal can open them.
    pub fn under(mut self, root: &str) -> KbErrors {
        let root = root.trim_end_matches('/');
        for error in &mut self.0 {
            error.file = format!("{root}/{}", error.file);
        }
        self
    }
}

/// Byte offsets of line starts, to turn spans into line and column.
struct Lines(Vec<usize>);

impl Lines {
    fn new(text: &str) -> Lines {
        Lines(std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect())
    }

    fn position(&self, text: &str, offset: usize) -> (u32, u32) {
        let line = self.0.partition_point(|&start| start <= offset).max(1);
        let start = self.0[line - 1];
        let column = text.get(start..offset.min(text.len())).map_or(1, |s| s.chars().count() + 1);
        (line as u32, column as u32)
    }
}

struct FileContext<'a> {
    path: &'a str,
    text: &'a str,
    lines: Lines,
}

impl FileContext<'_> {
    fn error(&self, span: Range<usize>, message: impl Into<String>) -> KbError {
        let (line, column) = self.lines.position(self.text, span.start);
        KbError { file: self.path.to_string(), line, column, message: message.into() }
    }

    fn origin(&self, span: &Range<usize>) -> Origin {
        Origin { file: self.path.to_string(), line: self.lines.position(self.text, span.start).0 }
    }
}

/// Collects one record's claims while the raw facts are lowered.
struct RecordBuilder<'a, 'f> {
    file: &'a FileContext<'f>,
    sources: &'a [SourceInfo],
    claims: Vec<Claim>,
    references: Vec<(Reference, String)>,
    errors: Vec<KbError>,
    current: Option<(SourceRef, Option<String>, Option<String>)>,
    claims_in_fact: usize,
}

impl ClaimSink for RecordBuilder<'_, '_> {
    fn claim(&mut self, field: &'static str, span: Range<usize>, value: FactValue) {
        self.claims_in_fact += 1;
        if let Some((source, quote, note)) = &self.current {
            self.claims.push(Claim {
                field: field.to_string(),
                value,
                source: source.clone(),
                quote: quote.clone(),
                note: note.clone(),
                origin: self.file.origin(&span),
            });
        }
    }

    fn reference(&mut self, reference: Reference) {
        self.references.push((reference, self.file.path.to_string()));
    }

    fn invalid(&mut self, span: Range<usize>, message: String) {
        self.errors.push(self.file.error(span, message));
    }
}

impl RecordBuilder<'_, '_> {
    fn source(&mut self, text: &toml::Spanned<String>) -> Option<SourceRef> {
        match SourceRef::parse(text.get_ref(), self.sources) {
            Ok(source) => Some(source),
            Err(message) => {
                self.errors.push(self.file.error(text.span(), format!("source: {message}")));
                None
            }
        }
    }

    /// Lowers one fact: its source, quote and note, then every field the kind declares.
    fn fact(&mut self, spec: &KindSpec, fact: toml::Spanned<RawTable>) {
        let span = fact.span();
        let mut header_source = None;
        let (mut quote, mut note) = (None, None);
        let mut fields = Vec::new();
        for (key, value) in fact.into_inner() {
            match key.get_ref().as_str() {
                "source" => match value.get_ref().as_str() {
                    Some(text) => header_source = Some(toml::Spanned::new(value.span(), text.to_string())),
                    None => self.errors.push(self.file.error(value.span(), "`source` should be text")),
                },
                "quote" | "note" => match value.get_ref().as_str() {
                    Some(text) if key.get_ref() == "quote" => quote = Some(text.to_string()),
                    Some(text) => note = Some(text.to_string()),
                    None => {
                        self.errors.push(self.file.error(value.span(), format!("`{}` should be text", key.get_ref())))
                    }
                },
                name => match spec.field(name) {
                    Some(field) => fields.push((field, value)),
                    None => self.errors.push(self.file.error(
                        key.span(),
                        format!(
                            "unknown field `{name}` in a {} fact, expected one of: source, quote, note, {}",
                            spec.table,
                            spec.fields.iter().map(|f| f.name).collect::<Vec<_>>().join(", ")
                        ),
                    )),
                },
            }
        }
        let Some(source_text) = header_source else {
            self.errors.push(self.file.error(span, "this fact has no `source`"));
            return;
        };
        let source = self.source(&source_text);
        self.current = source.map(|s| (s, quote, note));
        self.claims_in_fact = 0;
        // In the order the registry declares the fields, so that claims come in one order
        // whatever the order written.
        fields.sort_by_key(|(field, _)| spec.fields.iter().position(|f| f.name == field.name));
        let had_fields = !fields.is_empty();
        for (field, value) in fields {
            lower_field(self, field, value);
        }
        if self.claims_in_fact == 0 && !had_fields {
            self.errors.push(self.file.error(source_text.span(), "this fact states no field besides its source"));
        }
        self.current = None;
    }

    fn items(&mut self, raw: Vec<RawItem>) -> Vec<Item> {
        let mut items = Vec::new();
        for item in raw {
            let Some(source) = self.source(&item.source) else { continue };
            if item.text.get_ref().trim().is_empty() {
                self.errors.push(self.file.error(item.text.span(), "item text is empty"));
                continue;
            }
            if item.list.get_ref().trim().is_empty() || item.label.get_ref().trim().is_empty() {
                self.errors.push(self.file.error(item.label.span(), "an item needs a `list` and a `label`"));
                continue;
            }
            items.push(Item {
                list: item.list.get_ref().trim().to_string(),
                label: item.label.get_ref().trim().to_string(),
                heading: item.heading,
                text: item.text.get_ref().trim().to_string(),
                paraphrase: item.paraphrase,
                count: item.count,
                origin: self.file.origin(&item.label.span()),
                source,
            });
        }
        items
    }
}

fn new_builder<'a, 'f>(file: &'a FileContext<'f>, sources: &'a [SourceInfo]) -> RecordBuilder<'a, 'f> {
    RecordBuilder {
        file,
        sources,
        claims: Vec::new(),
        references: Vec::new(),
        errors: Vec::new(),
        current: None,
        claims_in_fact: 0,
    }
}

fn unexpected_file() -> String {
    let folders: Vec<String> = schema::KINDS
        .iter()
        .map(|k| k.folder)
        .chain(schema::RELATIONS.iter().map(|r| r.folder))
        .map(|f| format!("{f}/"))
        .collect();
    format!("unexpected file: records go in {} as .toml files", folders.join(", "))
}

impl RecordBuilder<'_, '_> {
    /// Lowers one record of a kind: its key, facts, items and paragraphs.
    fn record(&mut self, spec: &KindSpec, span: Range<usize>, raw: RawRecord) -> Option<Record> {
        let file = self.file;
        let (key, other) = match spec.key {
            Key::Symbol => (raw.symbol, raw.id.map(|v| ("id", v))),
            Key::Id => (raw.id, raw.symbol.map(|v| ("symbol", v))),
        };
        if let Some((name, value)) = other {
            self.errors.push(file.error(
                value.span(),
                format!("a {} record is keyed by `{}`, not `{name}`", spec.table, spec.key.as_str()),
            ));
        }
        let Some(key) = key else {
            self.errors.push(file.error(span, format!("a {} record needs its `{}`", spec.table, spec.key.as_str())));
            return None;
        };
        let key_span = key.span();
        let id = match spec.key {
            Key::Symbol => match crate::symbol::Symbol::parse(key.get_ref()) {
                Ok(symbol) => symbol.to_string(),
                Err(e) => {
                    self.errors.push(file.error(key_span, format!("symbol: {e}")));
                    return None;
                }
            },
            Key::Id => {
                if !valid_id(key.get_ref()) {
                    self.errors.push(file.error(
                        key_span.clone(),
                        format!("`{}` is not a valid id (lower-case letters, digits and hyphens)", key.get_ref()),
                    ));
                }
                key.into_inner()
            }
        };
        for fact in raw.fact {
            self.fact(spec, fact);
        }
        let items = self.items(raw.item);
        if !spec.paragraphs && !raw.paragraph.is_empty() {
            self.errors.push(file.error(key_span.clone(), format!("a {} record has no paragraphs", spec.table)));
        }
        let mut paragraphs = Vec::new();
        for p in raw.paragraph {
            let Some(source) = self.source(&p.source) else { continue };
            let verb = match &p.verb {
                None => None,
                Some(v) => match OperativeVerb::classify(v.get_ref()) {
                    Some(verb) => Some(verb),
                    None => {
                        self.errors.push(
                            file.error(v.span(), format!("`{}` is not an operative verb normwatch knows", v.get_ref())),
                        );
                        None
                    }
                },
            };
            paragraphs.push(Paragraph {
                part: *p.part.get_ref(),
                number: p.number,
                verb,
                verb_text: p.verb.map(|v| v.into_inner()),
                text: p.text.get_ref().trim().to_string(),
                origin: file.origin(&p.text.span()),
                source,
            });
        }
        if self.claims.is_empty() && items.is_empty() && self.errors.is_empty() {
            self.errors.push(file.error(key_span.clone(), "this record has no facts"));
        }
        Some(Record {
            kind: spec.kind,
            id,
            origin: file.origin(&key_span),
            claims: std::mem::take(&mut self.claims),
            items,
            paragraphs,
        })
    }

    /// Lowers one edge of a relation; the records it names are checked once every file is
    /// read.
    fn edge(
        &mut self,
        spec: &'static RelationSpec,
        edge: toml::Spanned<RawTable>,
    ) -> Option<(Relation, Vec<(Reference, String)>)> {
        let file = self.file;
        let span = edge.span();
        let table = edge.into_inner();
        let allowed: Vec<&str> = [spec.from_key]
            .into_iter()
            .chain(spec.targets.iter().map(|t| t.key))
            .chain(["list", "item", "element", "relation", "rationale", "basis", "source", "note", "unverified"])
            .collect();
        let text = |name: &str, required: bool, errors: &mut Vec<KbError>| -> Option<(String, Range<usize>)> {
            match table.iter().find(|(k, _)| k.get_ref() == name) {
                None => {
                    if required {
                        errors.push(file.error(span.clone(), format!("a {} edge needs `{name}`", spec.name)));
                    }
                    None
                }
                Some((_, v)) => match v.get_ref().as_str() {
                    Some(t) if !t.trim().is_empty() => Some((t.trim().to_string(), v.span())),
                    _ => {
                        errors.push(file.error(v.span(), format!("`{name}` should be non-empty text")));
                        None
                    }
                },
            }
        };
        let mut errors = Vec::new();
        for key in table.keys() {
            if !allowed.contains(&key.get_ref().as_str()) {
                errors.push(file.error(
                    key.span(),
                    format!(
                        "unknown field `{}` in a {} edge, expected one of: {}",
                        key.get_ref(),
                        spec.name,
                        allowed.join(", ")
                    ),
                ));
            }
        }
        let from = text(spec.from_key, true, &mut errors);
        let named: Vec<&schema::Target> =
            spec.targets.iter().filter(|t| table.keys().any(|k| k.get_ref() == t.key)).collect();
        let target =
            match named.as_slice() {
                [one] => Some(*one),
                _ => {
                    let keys: Vec<&str> = spec.targets.iter().map(|t| t.key).collect();
                    errors.push(file.error(
                        span.clone(),
                        format!("a {} edge names exactly one of `{}`", spec.name, keys.join("`, `")),
                    ));
                    None
                }
            };
        let to = target.and_then(|t| text(t.key, true, &mut errors));
        let list = text("list", false, &mut errors);
        let item = text("item", false, &mut errors);
        let element = text("element", false, &mut errors);
        let relation = text("relation", true, &mut errors);
        let rationale = text("rationale", true, &mut errors);
        let basis = text("basis", true, &mut errors);
        let source_text = text("source", true, &mut errors);
        let note = text("note", false, &mut errors);
        let unverified = text("unverified", false, &mut errors);
        let relation = relation.and_then(|(r, at)| match r.parse::<MappingRelation>() {
            Ok(r) => Some(r),
            Err(e) => {
                errors.push(file.error(at, format!("`relation`: {e}")));
                None
            }
        });
        let basis = basis.and_then(|(b, at)| match b.parse::<EdgeBasis>() {
            Ok(b) => Some((b, at)),
            Err(e) => {
                errors.push(file.error(at, format!("`basis`: {e}")));
                None
            }
        });
        let to = to.and_then(|(t, at)| match target?.kind {
            RecordKind::Document => match crate::symbol::Symbol::parse(&t) {
                Ok(symbol) => Some((symbol.to_string(), at)),
                Err(e) => {
                    errors.push(file.error(at, format!("{e} (field `symbol`)")));
                    None
                }
            },
            _ => Some((t, at)),
        });
        let source = source_text.and_then(|(t, at)| self.source(&toml::Spanned::new(at, t)));
        if let (Some((EdgeBasis::Document, at)), Some(source)) = (&basis, &source)
            && source.basis() == super::Basis::Dataset
        {
            errors.push(file.error(
                at.clone(),
                "`basis = \"document\"` says the cited text makes the link itself: cite a document or a seed, not a dataset",
            ));
        }
        self.errors.append(&mut errors);
        let (from, to, relation, rationale, basis, source) = (from?, to?, relation?, rationale?, basis?, source?);
        let to_kind = target?.kind;
        let references = vec![
            (Reference { kind: spec.from, id: from.0.clone(), span: from.1 }, file.path.to_string()),
            (Reference { kind: to_kind, id: to.0.clone(), span: to.1.clone() }, file.path.to_string()),
        ];
        let relation = Relation {
            name: spec.name.to_string(),
            from: from.0,
            to_kind,
            to: to.0,
            list: list.map_or_else(|| "annex".to_string(), |l| l.0),
            item: item.map(|i| i.0),
            element: element.map(|e| e.0),
            relation,
            rationale: rationale.0,
            basis: basis.0,
            source,
            note: note.map(|n| n.0),
            unverified: unverified.map(|u| u.0),
            origin: file.origin(&to.1),
        };
        Some((relation, references))
    }
}

/// An edge to an element must name an element the knowledge base holds, or describe it in
/// the project's own words where it holds no copy.
fn check_relation(relation: &Relation, records: &[Record]) -> Option<KbError> {
    let target = records.iter().find(|r| r.kind == relation.to_kind && r.id == relation.to)?;
    let error = |message: String| {
        Some(KbError { file: relation.origin.file.clone(), line: relation.origin.line, column: 1, message })
    };
    let held: Vec<&Item> = target.items.iter().filter(|i| i.list == relation.list).collect();
    match &relation.item {
        Some(label) if !held.is_empty() => {
            if !held.iter().any(|i| &i.label == label) {
                return error(format!(
                    "{} has no `{}` item labelled `{label}`; its labels are {}",
                    relation.to,
                    relation.list,
                    held.iter().map(|i| i.label.as_str()).collect::<Vec<_>>().join(", ")
                ));
            }
            if relation.element.is_some() {
                return error(format!(
                    "the knowledge base holds the text of {} `{label}`: drop `element`, the item's own text is shown",
                    relation.to
                ));
            }
        }
        Some(label) if relation.element.is_none() => {
            return error(format!(
                "the knowledge base holds no `{}` items of {}: describe element `{label}` in our own words in `element`",
                relation.list, relation.to
            ));
        }
        _ => {}
    }
    None
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 80
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

fn toml_error(file: &FileContext<'_>, error: &toml::de::Error) -> KbError {
    let span = error.span().unwrap_or(0..0);
    file.error(span, error.message().trim().to_string())
}

/// Validates and assembles a knowledge base from its files.
pub fn load(files: &[KbFile]) -> Result<Kb, KbErrors> {
    let mut errors = Vec::new();
    let mut files: Vec<&KbFile> = files.iter().collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));

    let mut sources = Vec::new();
    let mut coverage: Vec<DatasetCoverage> = Vec::new();
    match files.iter().find(|f| f.path == "sources.toml") {
        None => errors.push(KbError {
            file: "sources.toml".into(),
            line: 0,
            column: 0,
            message: "the registry of sources is missing".into(),
        }),
        Some(file) => {
            let ctx = FileContext { path: &file.path, text: &file.text, lines: Lines::new(&file.text) };
            match toml::from_str::<SourcesFile>(&file.text) {
                Err(e) => errors.push(toml_error(&ctx, &e)),
                Ok(parsed) => {
                    for raw in parsed.source {
                        if !valid_id(raw.id.get_ref()) || raw.id.get_ref() == "doc" {
                            errors.push(ctx.error(
                                raw.id.span(),
                                format!(
                                    "`{}` is not a valid source id (lower-case letters, digits, hyphens; not `doc`)",
                                    raw.id.get_ref()
                                ),
                            ));
                        } else if sources.iter().any(|s: &SourceInfo| &s.id == raw.id.get_ref()) {
                            errors.push(
                                ctx.error(raw.id.span(), format!("source `{}` is registered twice", raw.id.get_ref())),
                            );
                        } else if raw.kind == super::SourceKind::Seed && raw.file.is_none() {
                            errors.push(ctx.error(raw.id.span(), "a seed source names its `file`"));
                        } else {
                            if let Some(declared) = raw.coverage {
                                let span = declared.span();
                                let declared = declared.into_inner();
                                if raw.kind != SourceKind::Dataset {
                                    errors.push(ctx.error(span, "only a dataset source declares a `coverage`"));
                                } else if declared.from > declared.to {
                                    errors.push(ctx.error(span, "coverage: `from` is after `to`"));
                                } else if declared.holds.trim().is_empty() {
                                    errors.push(
                                        ctx.error(span, "coverage: `holds` says what the dataset holds completely"),
                                    );
                                } else {
                                    coverage.push(DatasetCoverage {
                                        source: raw.id.get_ref().clone(),
                                        from: declared.from,
                                        to: declared.to,
                                        holds: declared.holds.trim().to_string(),
                                    });
                                }
                            }
                            sources.push(SourceInfo {
                                id: raw.id.into_inner(),
                                kind: raw.kind,
                                file: raw.file,
                                citation: raw.citation,
                            });
                        }
                    }
                }
            }
        }
    }

    let mut states: Option<crate::state::StateRegistry> = None;
    let mut records: Vec<Record> = Vec::new();
    let mut references: Vec<(Reference, String)> = Vec::new();
    let mut pending_relations: Vec<Relation> = Vec::new();
    let mut contexts: HashMap<String, FileContext<'_>> = HashMap::new();

    for file in &files {
        let ctx = FileContext { path: &file.path, text: &file.text, lines: Lines::new(&file.text) };
        if file.path == "sources.toml" || file.path.ends_with(".md") {
            continue;
        }
        if file.path == "states.csv" {
            let registered = |id: &str| sources.iter().any(|s: &SourceInfo| s.id == id);
            match crate::state::StateRegistry::parse_checked(&file.text, &registered) {
                Ok(registry) => states = Some(registry),
                Err(e) => errors.push(KbError {
                    file: file.path.clone(),
                    line: u32::try_from(e.line).unwrap_or(u32::MAX),
                    column: e.column,
                    message: e.message,
                }),
            }
            continue;
        }
        if !file.path.ends_with(".toml") {
            errors.push(ctx.error(0..0, unexpected_file()));
            continue;
        }
        if let Some(relation) = schema::relation_of_path(&file.path) {
            let parsed: RelationFile = match toml::from_str(&file.text) {
                Ok(parsed) => parsed,
                Err(e) => {
                    errors.push(toml_error(&ctx, &e));
                    continue;
                }
            };
            for (table, edges) in parsed {
                if table.get_ref() != relation.name {
                    errors.push(ctx.error(
                        table.span(),
                        format!(
                            "this file is in the folder of {} edges but holds `[[{}]]`",
                            relation.name,
                            table.get_ref()
                        ),
                    ));
                    continue;
                }
                for edge in edges {
                    let mut builder = new_builder(&ctx, &sources);
                    if let Some((relation, mut refs)) = builder.edge(relation, edge) {
                        pending_relations.push(relation);
                        references.append(&mut refs);
                    }
                    errors.append(&mut builder.errors);
                }
            }
            contexts.insert(file.path.clone(), ctx);
            continue;
        }
        let Some(spec) = schema::kind_of_path(&file.path) else {
            errors.push(ctx.error(0..0, unexpected_file()));
            continue;
        };
        let parsed: RecordFile = match toml::from_str(&file.text) {
            Ok(parsed) => parsed,
            Err(e) => {
                errors.push(toml_error(&ctx, &e));
                continue;
            }
        };
        let mut file_records = Vec::new();
        for (table, raws) in parsed {
            match schema::kind_of_table(table.get_ref()) {
                None => {
                    errors.push(ctx.error(
                        table.span(),
                        format!(
                            "`[[{}]]` is not a kind of record; the kinds are {}",
                            table.get_ref(),
                            schema::KINDS.iter().map(|k| k.table).collect::<Vec<_>>().join(", ")
                        ),
                    ));
                    continue;
                }
                Some(found) if found.kind != spec.kind => {
                    errors.push(ctx.error(
                        0..0,
                        format!(
                            "this file is in the folder of {} records but holds {} {} record(s)",
                            spec.table,
                            raws.len(),
                            found.table
                        ),
                    ));
                    continue;
                }
                Some(_) => {}
            }
            for raw in raws {
                let span = raw.span();
                let mut builder = new_builder(&ctx, &sources);
                if let Some(record) = builder.record(spec, span, raw.into_inner()) {
                    file_records.push(record);
                }
                errors.append(&mut builder.errors);
                references.append(&mut builder.references);
            }
        }
        records.append(&mut file_records);
        contexts.insert(file.path.clone(), ctx);
    }

    let mut seen: BTreeMap<(RecordKind, &str), &Origin> = BTreeMap::new();
    for record in &records {
        if let Some(first) = seen.insert((record.kind, &record.id), &record.origin) {
            errors.push(KbError {
                file: record.origin.file.clone(),
                line: record.origin.line,
                column: 1,
                message: format!("{} `{}` is already defined at {first}", record.kind, record.id),
            });
        }
    }
    for (reference, path) in &references {
        if !seen.contains_key(&(reference.kind, reference.id.as_str())) {
            let ctx = &contexts[path];
            let hint = match reference.kind {
                RecordKind::Document => format!("add a [[document]] record for {} under kb/documents/", reference.id),
                kind => format!("no {kind} has the id `{}`", reference.id),
            };
            errors.push(
                ctx.error(reference.span.clone(), format!("unknown {} `{}`: {hint}", reference.kind, reference.id)),
            );
        }
    }

    for relation in &pending_relations {
        errors.extend(check_relation(relation, &records));
    }

    // Every state a record names must be in this knowledge base's own table.
    let states = states.unwrap_or_else(|| crate::state::StateRegistry::global().clone());
    for record in &records {
        for claim in &record.claims {
            let FactValue::States(named) = &claim.value else { continue };
            for state in named.iter().filter(|s| states.get(**s).is_none()) {
                errors.push(KbError {
                    file: claim.origin.file.clone(),
                    line: claim.origin.line,
                    column: 1,
                    message: format!("`{}`: {state} is not a state in this knowledge base's states.csv", claim.field),
                });
            }
        }
    }

    for record in &records {
        errors.extend(check_inferences(record, &coverage));
    }

    if errors.is_empty() {
        Ok(Kb { sources, coverage, records, states, relations: pending_relations })
    } else {
        errors.sort_by(|a, b| (&a.file, a.line, a.column).cmp(&(&b.file, b.line, b.column)));
        errors.dedup();
        Err(KbErrors(errors))
    }
}

/// The calendar years within which a regular General Assembly session adopts its resolutions,
/// from the symbol (`A/RES/65/141` → 2010-01-01 to 2011-12-31). A regular session opens in
/// September of the year its symbol dates itself to and closes before the next one opens, so
/// the two whole calendar years hold it with room on both sides.
fn session_span(id: &str) -> Option<(crate::domain::Date, crate::domain::Date)> {
    let symbol = crate::Symbol::parse(id).ok()?;
    if symbol.implied_kind() != Some(crate::domain::DocumentKind::Resolution) {
        return None;
    }
    symbol.ga_session()?;
    let opened = symbol.year_hint()?;
    Some((crate::domain::Date::from_ymd(opened, 1, 1)?, crate::domain::Date::from_ymd(opened + 1, 12, 31)?))
}

/// Claims that rest on a record's absence from a dataset (`DATASET absent`) must stay
/// within what the absence can show: the dataset declares its coverage, the record's
/// adoption date (or, without one, the whole span its regular session could have adopted it
/// in) lies inside it, and the only thing inferred is adoption without a vote.
fn check_inferences(record: &Record, coverage: &[DatasetCoverage]) -> Vec<KbError> {
    let mut errors = Vec::new();
    for claim in record.claims.iter().filter(|c| c.source.is_inference()) {
        let error = |message: String| KbError {
            file: claim.origin.file.clone(),
            line: claim.origin.line,
            column: 1,
            message: format!("{} `{}`: {message}", record.kind, record.id),
        };
        let SourceRef::Dataset { id, .. } = &claim.source else { continue };
        let Some(declared) = coverage.iter().find(|c| &c.source == id) else {
            errors.push(error(format!(
                "`{id} absent` infers from the record's absence, but `{id}` declares no `coverage` in sources.toml"
            )));
            continue;
        };
        if claim.field != "modality" || claim.value != FactValue::Text("without_vote".into()) {
            errors.push(error(format!(
                "an absence from `{id}` can only show `modality = \"without_vote\"`, not `{} = {}`",
                claim.field, claim.value
            )));
            continue;
        }
        let dates: Vec<crate::domain::Date> = record
            .claims_for("adopted_on")
            .filter_map(|c| match c.value {
                FactValue::Date(d) => Some(d),
                _ => None,
            })
            .collect();
        if dates.is_empty() {
            match session_span(&record.id) {
                Some((first, last)) if declared.covers(first) && declared.covers(last) => {}
                Some((first, last)) => errors.push(error(format!(
                    "its session may have adopted it from {first} to {last}, beyond the coverage of `{id}` ({} to {}): \
                     give the record an `adopted_on` date",
                    declared.from, declared.to
                ))),
                None => errors.push(error(format!(
                    "`{id} absent` needs an `adopted_on` date on the record (or a regular-session \
                     resolution symbol) to show it lies within the dataset's coverage"
                ))),
            }
        } else if let Some(outside) = dates.iter().find(|d| !declared.covers(**d)) {
            errors.push(error(format!(
                "adopted on {outside}, outside the coverage of `{id}` ({} to {}): its absence there shows nothing",
                declared.from, declared.to
            )));
        }
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCES: &str = r#"
[[source]]
id = "maurer2011"
kind = "seed"
file = "001_edef816d03214080.txt"
citation = "Maurer 2011"

[[source]]
id = "henderson2015"
kind = "seed"
file = "000_3ec7e86b162794a3.txt"
citation = "Henderson 2015"
"#;

    const SERIES: &str = r#"
[[series]]
id = "ga-first-ict-security"

  [[series.fact]]
  source = "maurer2011 §II.1.1"
  title = "Developments in the field of information and telecommunications in the context of international security"
  committee = "First"
"#;

    fn kb(extra: &[(&str, &str)]) -> Result<Kb, KbErrors> {
        let mut files = vec![
            KbFile { path: "sources.toml".into(), text: SOURCES.into() },
            KbFile { path: "series/first.toml".into(), text: SERIES.into() },
        ];
        files.extend(extra.iter().map(|(p, t)| KbFile { path: p.to_string(), text: t.to_string() }));
        load(&files)
    }

    #[track_caller]
    fn check_error(path: &str, text: &str, line: u32, contains: &str) {
        let errors = kb(&[(path, text)]).expect_err("the knowledge base should be rejected");
        assert!(
            errors.0.iter().any(|e| e.file == path && e.line == line && e.message.contains(contains)),
            "expected `{contains}` at {path}:{line}, got:\n{errors}"
        );
    }

    const DATASETS: &str = r#"
[[source]]
id = "scrape"
kind = "dataset"
citation = "A complete recorded-vote dataset"
coverage = { from = "1946-01-26", to = "2021-12-24", holds = "every recorded vote of the General Assembly plenary" }

[[source]]
id = "uncovered"
kind = "dataset"
citation = "A dataset that declares no coverage"
"#;

    fn inference(fact: &str) -> Result<Kb, KbErrors> {
        inference_on("A/RES/76/19", fact)
    }

    fn inference_on(symbol: &str, fact: &str) -> Result<Kb, KbErrors> {
        let sources = format!("{SOURCES}{DATASETS}");
        let doc = format!(
            "[[document]]\nsymbol = \"{symbol}\"\n\n  [[document.fact]]\n  source = \"doc {symbol}\"\n  kind = \"resolution\"\n{fact}"
        );
        load(&[
            KbFile { path: "sources.toml".into(), text: sources },
            KbFile { path: "documents/a.toml".into(), text: doc },
        ])
    }

    #[test]
    fn an_absence_within_declared_coverage_grounds_adoption_without_a_vote() {
        let kb = inference(
            "  adopted_on = \"2021-12-06\"\n\n  [[document.fact]]\n  source = \"scrape absent\"\n  modality = \"without_vote\"\n",
        )
        .unwrap();
        let coverage = kb.coverage_of("scrape").unwrap();
        assert_eq!(coverage.to.to_string(), "2021-12-24");
        assert!(kb.coverage_of("uncovered").is_none());
        let record = kb.find(RecordKind::Document, "A/RES/76/19").unwrap();
        let claim = record.claims_for("modality").next().unwrap();
        assert!(claim.source.is_inference());
        assert_eq!(claim.source.basis(), super::super::Basis::Dataset);
    }

    #[test]
    fn an_absence_outside_coverage_or_without_coverage_or_beyond_modality_is_rejected() {
        let outside = inference(
            "  adopted_on = \"2022-12-07\"\n\n  [[document.fact]]\n  source = \"scrape absent\"\n  modality = \"without_vote\"\n",
        )
        .unwrap_err();
        assert!(outside.to_string().contains("outside the coverage of `scrape`"), "{outside}");
        assert!(outside.0[0].file == "documents/a.toml" && outside.0[0].line == 11, "{outside}");

        let undeclared = inference(
            "  adopted_on = \"2021-12-06\"\n\n  [[document.fact]]\n  source = \"uncovered absent\"\n  modality = \"without_vote\"\n",
        )
        .unwrap_err();
        assert!(undeclared.to_string().contains("declares no `coverage`"), "{undeclared}");

        let votes = inference(
            "  adopted_on = \"2021-12-06\"\n\n  [[document.fact]]\n  source = \"scrape absent\"\n  modality = \"recorded_vote\"\n",
        )
        .unwrap_err();
        assert!(votes.to_string().contains("can only show `modality = \"without_vote\"`"), "{votes}");

        let undated = inference(
            "  year = 2021\n\n  [[document.fact]]\n  source = \"scrape absent\"\n  modality = \"without_vote\"\n",
        )
        .unwrap_err();
        assert!(undated.to_string().contains("from 2021-01-01 to 2022-12-31, beyond the coverage"), "{undated}");

        let no_session = inference_on(
            "A/DEC/65/512",
            "  year = 2010\n\n  [[document.fact]]\n  source = \"scrape absent\"\n  modality = \"without_vote\"\n",
        )
        .unwrap_err();
        assert!(no_session.to_string().contains("needs an `adopted_on` date"), "{no_session}");
    }

    #[test]
    fn an_undated_resolution_of_a_session_wholly_inside_the_coverage_may_rest_on_an_absence() {
        let kb = inference_on(
            "A/RES/65/141",
            "\n  [[document.fact]]\n  source = \"scrape absent\"\n  modality = \"without_vote\"\n",
        )
        .unwrap();
        let record = kb.find(RecordKind::Document, "A/RES/65/141").unwrap();
        assert!(record.claims_for("modality").next().unwrap().source.is_inference());
        assert_eq!(
            session_span("A/RES/65/141").map(|(a, b)| (a.to_string(), b.to_string())),
            Some(("2010-01-01".into(), "2011-12-31".into()))
        );
        assert_eq!(session_span("A/C.2/65/L.56"), None, "a draft is not adopted");
        assert_eq!(session_span("A/RES/ES-10/19"), None, "an emergency special session has no regular span");
    }

    #[test]
    fn coverage_is_declared_only_on_datasets_and_in_order() {
        let seed = "[[source]]\nid = \"s\"\nkind = \"reference\"\ncitation = \"x\"\ncoverage = { from = \"2000-01-01\", to = \"2001-01-01\", holds = \"all\" }\n";
        let errors = load(&[KbFile { path: "sources.toml".into(), text: seed.into() }]).unwrap_err();
        assert!(errors.to_string().contains("only a dataset source declares a `coverage`"), "{errors}");
        let reversed = "[[source]]\nid = \"d\"\nkind = \"dataset\"\ncitation = \"x\"\ncoverage = { from = \"2002-01-01\", to = \"2001-01-01\", holds = \"all\" }\n";
        let errors = load(&[KbFile { path: "sources.toml".into(), text: reversed.into() }]).unwrap_err();
        assert!(errors.to_string().contains("`from` is after `to`"), "{errors}");
    }

    #[test]
    fn a_valid_document_lowers_into_claims() {
        let text = r#"
[[document]]
symbol = "A/RES/53/70"

  [[document.fact]]
  source = "maurer2011 §II.1.1"
  quote = "adopted as Resolution 53/70 on 4 January 1999"
  series = "ga-first-ict-security"
  adopted_on = "1999-01-04"
  modality = "without_vote"
  introduced_by = ["RUS"]

  [[document.fact]]
  source = "henderson2015 §2.1"
  adopted_on = 1998-12-04

  [[document.item]]
  list = "annex"
  label = "1"
  text = "An element."
  source = "maurer2011 §Appendix"
"#;
        let kb = kb(&[("documents/first.toml", text)]).unwrap_or_else(|e| panic!("{e}"));
        let record = kb.find(RecordKind::Document, "A/RES/53/70").unwrap();
        let dates: Vec<String> = record.claims_for("adopted_on").map(|c| c.value.to_string()).collect();
        assert_eq!(dates, ["1999-01-04", "1998-12-04"]);
        let first = record.claims_for("adopted_on").next().unwrap();
        assert_eq!(first.origin, Origin { file: "documents/first.toml".into(), line: 9 });
        assert_eq!(first.quote.as_deref(), Some("adopted as Resolution 53/70 on 4 January 1999"));
        assert_eq!(record.items.len(), 1);
    }

    /// A knowledge base's own `states.csv` is its state table: loaded, checked against the
    /// sources, and the table records are checked against.
    #[test]
    fn the_folders_state_table_is_the_kb_s() {
        let header = "iso3,iso2,name,aliases,regional_group,member_from,member_to,successor,source,notes\n";
        let table = format!(
            "{header}RUS,RU,Russian Federation,,EEG,1945-10-24,,,maurer2011,\nCHN,CN,China,,APG,1945-10-24,,,maurer2011,\n"
        );
        let doc = "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.fact]]\nsource = \"maurer2011 §1\"\nintroduced_by = [\"RUS\"]\n";
        let kb = kb(&[("states.csv", &table), ("documents/a.toml", doc)]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kb.states.all().len(), 2);
        assert_eq!(kb.states.lookup("Russian Federation").map(|s| s.iso3.as_str()), Some("RUS"));
        // Without a states.csv among the files, the built-in table.
        let built_in = crate::state::StateRegistry::global().all().len();
        assert_eq!(kb_ok(&[("documents/a.toml", doc)]).states.all().len(), built_in);
        // A state the table lacks is an error where the record names it.
        let usa = doc.replace("RUS", "USA");
        check_in(&[("states.csv", &table), ("documents/a.toml", &usa)], "documents/a.toml", 5, 1, "USA is not a state");
        // The table's errors give the line and the column; its sources must be registered.
        let bad_group = table.replace("APG", "ASIA");
        check_in(&[("states.csv", &bad_group)], "states.csv", 3, 15, "`ASIA` is not AFRICA");
        let unregistered = table.replace("maurer2011,\nCHN", "nowhere,\nCHN");
        check_in(&[("states.csv", &unregistered)], "states.csv", 2, 45, "`nowhere` of RUS is not registered");
    }

    fn kb_ok(extra: &[(&str, &str)]) -> Kb {
        kb(extra).unwrap_or_else(|e| panic!("{e}"))
    }

    #[track_caller]
    fn check_in(files: &[(&str, &str)], path: &str, line: u32, column: u32, contains: &str) {
        let errors = kb(files).expect_err("the knowledge base should be rejected");
        assert!(
            errors
                .0
                .iter()
                .any(|e| e.file == path && e.line == line && e.column == column && e.message.contains(contains)),
            "expected `{contains}` at {path}:{line}:{column}, got:\n{errors}"
        );
    }

    #[test]
    fn syntax_errors_name_the_line() {
        check_error("documents/a.toml", "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.fact]\n", 3, "");
    }

    #[test]
    fn malformed_symbols_dates_and_states_name_the_line() {
        check_error("documents/a.toml", "[[document]]\nsymbol = \"A/RES/53\"\n", 2, "SESSION/NUMBER");
        check_error(
            "documents/a.toml",
            "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.fact]]\nsource = \"maurer2011 §1\"\nadopted_on = \"4 Jan 1999\"\n",
            5,
            "YYYY-MM-DD",
        );
        check_error(
            "documents/a.toml",
            "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.fact]]\nsource = \"maurer2011 §1\"\ncosponsors = [\"RUS\", \"XQZ\"]\n",
            5,
            "XQZ",
        );
        check_error(
            "documents/a.toml",
            "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.fact]]\nsource = \"maurer2011 §1\"\nstream = \"military\"\n",
            5,
            "politico-military",
        );
    }

    #[test]
    fn missing_and_unknown_sources_are_errors() {
        check_error(
            "documents/a.toml",
            "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.fact]]\ntitle = \"x\"\n",
            3,
            "source",
        );
        check_error(
            "documents/a.toml",
            "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.fact]]\nsource = \"wikipedia §1\"\ntitle = \"x\"\n",
            4,
            "not a registered source",
        );
        check_error(
            "documents/a.toml",
            "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.item]]\nlist = \"annex\"\nlabel = \"1\"\ntext = \"t\"\n",
            3,
            "source",
        );
    }

    #[test]
    fn unknown_references_and_fields_are_errors() {
        check_error(
            "documents/a.toml",
            "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.fact]]\nsource = \"maurer2011 §1\"\nseries = \"no-such-series\"\n",
            5,
            "unknown series",
        );
        check_error(
            "documents/a.toml",
            "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.fact]]\nsource = \"maurer2011 §1\"\ndraft = \"A/C.1/53/L.17\"\n",
            5,
            "add a [[document]] record for A/C.1/53/L.17",
        );
        check_error(
            "documents/a.toml",
            "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.fact]]\nsource = \"maurer2011 §1\"\nadoptd_on = \"1998-12-04\"\n",
            5,
            "unknown field",
        );
    }

    #[test]
    fn duplicates_are_errors_pointing_at_the_first() {
        let one =
            "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.fact]]\nsource = \"maurer2011 §1\"\ntitle = \"x\"\n";
        let two =
            "\n\n[[document]]\nsymbol = \"R/53/70\"\n[[document.fact]]\nsource = \"maurer2011 §1\"\ntitle = \"y\"\n";
        let errors = kb(&[("documents/a.toml", one), ("documents/b.toml", two)]).unwrap_err();
        let error = errors.0.iter().find(|e| e.message.contains("already defined")).expect("duplicate reported");
        assert_eq!((error.file.as_str(), error.line), ("documents/b.toml", 4));
        assert!(error.message.contains("documents/a.toml:2"), "{}", error.message);
    }

    #[test]
    fn empty_facts_and_misplaced_records_are_errors() {
        check_error(
            "documents/a.toml",
            "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.fact]]\nsource = \"maurer2011 §1\"\n",
            4,
            "states no field",
        );
        check_error("bodies/a.toml", "[[document]]\nsymbol = \"A/RES/53/70\"\n", 1, "folder of body records");
        check_error("notes.txt", "hello", 1, "unexpected file");
        check_error("bodies/a.toml", "[[widget]]\nid = \"w\"\n", 1, "`[[widget]]` is not a kind of record");
    }

    /// Every kind of the registry: a record with one text field per declared text field
    /// loads from its folder and table, and its claims resolve back to the values written.
    #[test]
    fn every_kind_of_the_registry_round_trips() {
        for spec in schema::KINDS {
            let key = match spec.key {
                Key::Symbol => "symbol = \"A/RES/53/70\"".to_string(),
                Key::Id => "id = \"round-trip\"".to_string(),
            };
            let texts: Vec<&str> =
                spec.fields.iter().filter(|f| matches!(f.ty, schema::ValueType::Text)).map(|f| f.name).collect();
            assert!(!texts.is_empty(), "{} declares a text field", spec.table);
            let fields: String = texts.iter().map(|f| format!("  {f} = \"the {f}\"\n")).collect();
            let text =
                format!("[[{t}]]\n{key}\n\n  [[{t}.fact]]\n  source = \"maurer2011 §1\"\n{fields}", t = spec.table);
            let path = format!("{}/x.toml", spec.folder);
            let kb = kb_ok(&[(&path, &text)]);
            let id = if spec.key == Key::Symbol { "A/RES/53/70" } else { "round-trip" };
            let record = kb.find(spec.kind, id).unwrap_or_else(|| panic!("a {} record", spec.table));
            let view = crate::view::RecordView::resolve(record);
            for f in &texts {
                assert_eq!(view.text(f), Some(format!("the {f}").as_str()), "{}.{f}", spec.table);
            }
            // The kind's table is refused in another kind's folder.
            let elsewhere = schema::KINDS.iter().find(|k| k.kind != spec.kind).unwrap();
            check_error(&format!("{}/x.toml", elsewhere.folder), &text, 1, "folder of");
        }
    }

    const THEME: &str = "[[theme]]\nid = \"t\"\n[[theme.fact]]\nsource = \"maurer2011 §1\"\nname = \"T\"\n";
    const NORM: &str = "[[norm]]\nid = \"n\"\n[[norm.fact]]\nsource = \"maurer2011 §1\"\nname = \"N\"\ntheme = \"t\"\n";
    const DOC: &str = "[[document]]\nsymbol = \"A/RES/57/239\"\n[[document.fact]]\nsource = \"maurer2011 §1\"\ntitle = \"x\"\n[[document.item]]\nlist = \"annex\"\nlabel = \"(a)\"\ntext = \"Awareness.\"\nsource = \"maurer2011 §A\"\n";

    fn edge(body: &str) -> Result<Kb, KbErrors> {
        kb(&[("themes/t.toml", THEME), ("norms/n.toml", NORM), ("documents/d.toml", DOC), ("crosswalk/c.toml", body)])
    }

    #[test]
    fn norms_reference_their_theme() {
        let kb = kb_ok(&[("themes/t.toml", THEME), ("norms/n.toml", NORM)]);
        assert_eq!(kb.records_of(RecordKind::Norm).count(), 1);
        check_error("norms/n.toml", &NORM.replace("\"t\"", "\"nowhere\""), 6, "unknown theme `nowhere`");
    }

    #[test]
    fn crosswalk_edges_load_with_their_source_and_are_checked() {
        let valid = "[[crosswalk]]\nnorm = \"n\"\nsymbol = \"R/57/239\"\nitem = \"(a)\"\nrelation = \"superset-of\"\nbasis = \"curator\"\nsource = \"maurer2011 §A\"\nrationale = \"Awareness is part of it.\"\n";
        let kb = edge(valid).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(kb.relations.len(), 1);
        let r = &kb.relations[0];
        assert_eq!((r.from.as_str(), r.to.as_str(), r.item.as_deref()), ("n", "A/RES/57/239", Some("(a)")));
        assert_eq!((r.relation, r.basis), (MappingRelation::SupersetOf, EdgeBasis::Curator));
        assert_eq!(r.origin, Origin { file: "crosswalk/c.toml".into(), line: 3 });

        let check = |body: String, contains: &str| {
            let errors = edge(&body).expect_err("the edge should be rejected");
            assert!(errors.to_string().contains(contains), "expected `{contains}`:\n{errors}");
        };
        check(valid.replace("(a)", "(z)"), "no `annex` item labelled `(z)`");
        check(valid.replace("superset-of", "refines"), "not a valid mapping relation");
        check(valid.replace("curator", "hearsay"), "not an edge basis");
        check(valid.replace("norm = \"n\"", "norm = \"m\""), "unknown norm `m`");
        check(valid.replace("rationale = \"Awareness is part of it.\"\n", ""), "needs `rationale`");
        check(valid.replace("source = \"maurer2011 §A\"\n", ""), "needs `source`");
        check(valid.replace("item = \"(a)\"", "item = \"1\"\nlist = \"norms\""), "describe element `1`");
        check(valid.replace("item = \"(a)\"", "item = \"(a)\"\nelement = \"x\""), "drop `element`");
        check(format!("{valid}colour = \"red\"\n"), "unknown field `colour`");
        check(valid.replace("[[crosswalk]]", "[[edges]]"), "holds `[[edges]]`");
        check(valid.replace("symbol = \"R/57/239\"", "symbol = \"R/57/239\"\nactor = \"x\""), "names exactly one of");
        check(valid.replace("symbol = \"R/57/239\"", "actor = \"nobody\""), "unknown actor `nobody`");
    }

    proptest::proptest! {
        #[test]
        fn any_text_is_loaded_or_rejected_without_panicking(text in "\\PC{0,300}") {
            let _ = kb(&[("documents/x.toml", &text)]);
        }

        #[test]
        fn mangled_crosswalk_files_are_loaded_or_rejected_without_panicking(cut in 0usize..260, insert in "[\\[\\]=\"a-z0-9 \n./§()-]{0,12}") {
            let valid = "[[crosswalk]]\nnorm = \"n\"\nsymbol = \"A/RES/57/239\"\nitem = \"(a)\"\nrelation = \"superset-of\"\nbasis = \"curator\"\nsource = \"maurer2011 §A\"\nrationale = \"r\"\n";
            let at = cut.min(valid.len());
            let at = (0..=at).rev().find(|i| valid.is_char_boundary(*i)).unwrap_or(0);
            let mangled = format!("{}{}{}", &valid[..at], insert, &valid[at..]);
            if let Err(errors) = edge(&mangled) {
                proptest::prop_assert!(errors.0.iter().all(|e| e.line >= 1 || e.file == "sources.toml"));
            }
        }

        #[test]
        fn mangled_valid_files_are_loaded_or_rejected_without_panicking(cut in 0usize..400, insert in "[\\[\\]=\"a-z0-9 \n./§]{0,12}") {
            let valid = "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.fact]]\nsource = \"maurer2011 §II.1.1\"\nseries = \"ga-first-ict-security\"\nadopted_on = \"1999-01-04\"\ncosponsors = [\"RUS\"]\n[[document.item]]\nlist = \"annex\"\nlabel = \"1\"\ntext = \"x\"\nsource = \"maurer2011 §A\"\n";
            let at = cut.min(valid.len());
            let at = (0..=at).rev().find(|i| valid.is_char_boundary(*i)).unwrap_or(0);
            let mangled = format!("{}{}{}", &valid[..at], insert, &valid[at..]);
            if let Err(errors) = kb(&[("documents/x.toml", &mangled)]) {
                proptest::prop_assert!(errors.0.iter().all(|e| e.line >= 1 || e.file == "sources.toml"));
            }
        }
    }

    #[test]
    fn all_errors_are_reported_at_once() {
        let text = "[[document]]\nsymbol = \"A/RES/53/70\"\n[[document.fact]]\nsource = \"nobody §1\"\ntitle = \"x\"\n\n[[document]]\nsymbol = \"A/RES/54/49\"\n[[document.fact]]\nsource = \"maurer2011 §1\"\nbody = \"nowhere\"\n";
        let errors = kb(&[("documents/a.toml", text)]).unwrap_err();
        assert_eq!(errors.0.len(), 2, "{errors}");
    }
}
