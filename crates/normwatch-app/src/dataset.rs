//! The open dataset (`normwatch export dataset DIR`): everything the database holds as plain
//! tables — documents, sponsorships, roll calls and state votes of every imported dataset,
//! expert groups and their members, themes, norms, crosswalk edges, every fact's sources and
//! the source registry — with their schemas, keys, licences and sources, for
//! `normwatch-dataset` to write. Metadata comes from `config/dataset.toml`, licences quoted
//! from each dataset's PROVENANCE.md.

use std::collections::{BTreeMap, BTreeSet};

use normwatch_core::domain::{DocumentKind, Modality, VoteValue};
use normwatch_core::kb::schema::{EdgeBasis, MappingRelation};
use normwatch_core::kb::{RecordKind, SourceInfo, SourceRef};
use normwatch_core::view::FieldSource;
use normwatch_dataset::{Cell, Citation, Field, FieldType, ForeignKey, License, Package, Source, Table};
use normwatch_votes::analysis::Scope;
use normwatch_votes::model::{Dataset, VoteTable, decode};
use normwatch_votes::states::states;
use serde::Deserialize;

use crate::kb::KbSource;
use crate::norms::Norms;
use crate::{App, AppError, Catalog, Result};

/// The built-in `config/dataset.toml`.
pub const DEFAULT_CONFIG: &str = include_str!("../../../config/dataset.toml");

/// `config/dataset.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub package: PackageConfig,
    #[serde(rename = "source", default)]
    pub sources: Vec<SourceTerms>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PackageConfig {
    pub name: String,
    pub title: String,
    pub description: String,
    pub message: String,
    pub authors: Vec<String>,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub knowledge_base: String,
}

/// A dataset's licence or terms, as its PROVENANCE.md states them.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceTerms {
    /// The source id in `kb/sources.toml`.
    pub id: String,
    /// `FOLDER/PROVENANCE.md` under the shared data folder: where `terms` is quoted from.
    pub provenance: String,
    /// An Open Definition / SPDX licence id, where the terms name a licence.
    pub name: Option<String>,
    /// The terms' address, where they give one.
    pub path: Option<String>,
    /// The terms, word for word.
    pub terms: String,
}

impl Config {
    pub fn built_in() -> Result<Config> {
        Config::parse(DEFAULT_CONFIG, "config/dataset.toml")
    }

    pub fn parse(text: &str, origin: &str) -> Result<Config> {
        toml::from_str(text).map_err(|e| AppError::Config { origin: origin.to_string(), message: e.to_string() })
    }

    fn terms(&self, source: &str) -> Option<&SourceTerms> {
        self.sources.iter().find(|s| s.id == source)
    }
}

fn license(terms: &SourceTerms) -> License {
    License {
        name: terms.name.clone(),
        path: terms.path.clone(),
        title: format!("{} (as recorded in {})", terms.terms, terms.provenance),
    }
}

/// A Frictionless licence needs a name or a path; terms with neither stay in the sources.
fn licenses_of(config: &Config, datasets: &BTreeSet<Dataset>) -> Vec<License> {
    datasets
        .iter()
        .filter_map(|d| config.terms(d.source_id()))
        .filter(|t| t.name.is_some() || t.path.is_some())
        .map(license)
        .collect()
}

fn source_of(info: &SourceInfo) -> Source {
    Source { title: format!("{}: {}", info.id, info.citation), path: None }
}

fn string(name: &'static str, description: &str) -> Field {
    Field::new(name, FieldType::String, description)
}

fn int(name: &'static str, description: &str) -> Field {
    Field::new(name, FieldType::Integer, description)
}

fn date(name: &'static str, description: &str) -> Field {
    Field::new(name, FieldType::Date, description)
}

fn fk(fields: &[&'static str], resource: &'static str, reference: &[&'static str]) -> ForeignKey {
    ForeignKey { fields: fields.to_vec(), resource, reference: reference.to_vec() }
}

fn kb_source(kb: &[SourceInfo]) -> Vec<Source> {
    vec![Source {
        title: format!(
            "normwatch knowledge base (kb/), reviewed TOML; each fact cites one of {} registered sources or a UN document (see the sources table)",
            kb.len()
        ),
        path: None,
    }]
}

fn base_table(name: &'static str, title: &str, description: &str, fields: Vec<Field>, key: &[&'static str]) -> Table {
    Table {
        name,
        title: title.to_string(),
        description: description.to_string(),
        fields,
        primary_key: key.to_vec(),
        foreign_keys: Vec::new(),
        sources: Vec::new(),
        licenses: Vec::new(),
        rows: Vec::new(),
    }
}

fn documents(catalog: &Catalog, sources: Vec<Source>, licenses: Vec<License>) -> Table {
    let mut table = base_table(
        "documents",
        "Documents",
        "UN documents the knowledge base records (resolutions, decisions, reports, letters, drafts), one per symbol, each field the value shown after resolving every source's claim (see the sources table for all of them); vote counts and modality may come from an imported voting dataset.",
        vec![
            string("symbol", "The document's canonical UN symbol (A/RES/53/70)."),
            string("kind", "resolution, decision, report, letter, draft, …")
                .one_of(DocumentKind::ALL.iter().map(|k| k.as_str())),
            string("title", "The title."),
            string("body", "The id of the body that issued or adopted it (see the knowledge base's bodies)."),
            string("committee", "The Main Committee that recommended it, where one did."),
            string("stream", "The stream of work it belongs to."),
            string("series", "The id of its resolution series (one agenda item over the years)."),
            string("agenda_item", "The agenda item, as the document gives it."),
            date("adopted_on", "Date of adoption."),
            date("issued_on", "Date of issue."),
            int("year", "Year of adoption, else of issue."),
            string("modality", "How it was adopted: without_vote or recorded_vote.")
                .one_of(Modality::ALL.iter().map(|m| m.as_str())),
            int("yes", "Votes in favour, where adopted by recorded vote."),
            int("no", "Votes against."),
            int("abstain", "Abstentions."),
            int("non_voting", "Members present and not voting, where the source counts them."),
            string("on_behalf_of", "The group on whose behalf it was introduced, where one is named."),
            int("sponsor_count", "The number of sponsors the source states (may exceed the states listed)."),
            string("draft", "The symbol of its draft."),
            string("resolution", "The symbol of the resolution adopting it (for a draft)."),
            string("report", "The symbol of the committee report recommending it."),
        ],
        &["symbol"],
    );
    let mut rows: Vec<&normwatch_core::view::DocumentView> = catalog.documents.iter().collect();
    rows.sort_by_key(|d| d.symbol.to_string());
    for d in rows {
        let s = d.sponsorship.as_ref();
        table.rows.push(vec![
            Cell::text(d.symbol.to_string()),
            Cell::opt_text(d.kind.map(|k| k.as_str())),
            Cell::opt_text(d.title.clone()),
            Cell::opt_text(d.body.clone()),
            Cell::opt_text(d.committee.map(|c| c.as_str())),
            Cell::opt_text(d.stream.map(|s| s.as_str())),
            Cell::opt_text(d.series.clone()),
            Cell::opt_text(d.agenda_item.clone()),
            Cell::opt_date(d.adopted_on),
            Cell::opt_date(d.issued_on),
            Cell::opt_int(d.year),
            Cell::opt_text(d.modality.map(|m| m.as_str())),
            Cell::opt_int(d.votes.map(|v| v.yes)),
            Cell::opt_int(d.votes.map(|v| v.no)),
            Cell::opt_int(d.votes.map(|v| v.abstain)),
            Cell::opt_int(d.votes.and_then(|v| v.non_voting)),
            Cell::opt_text(s.and_then(|s| s.on_behalf_of.clone())),
            Cell::opt_int(s.and_then(|s| s.total_count)),
            Cell::opt_text(d.draft.as_ref().map(ToString::to_string)),
            Cell::opt_text(d.resolution.as_ref().map(ToString::to_string)),
            Cell::opt_text(d.report.as_ref().map(ToString::to_string)),
        ]);
    }
    table.sources = sources;
    table.licenses = licenses;
    table
}

/// The roles of a state in a document's sponsorship, the first that applies.
pub const SPONSOR_ROLES: [&str; 3] = ["introduced", "cosponsor", "not_sponsoring"];

fn sponsorships(catalog: &Catalog, sources: Vec<Source>) -> Table {
    let mut table = base_table(
        "sponsorships",
        "Sponsorships",
        "One row per document and state named in its sponsorship: the state that introduced it (alone or on behalf of a group), a co-sponsor, or a state a source names as not sponsoring. A state both introducing and co-sponsoring is listed once, as introduced.",
        vec![
            string("symbol", "The document's symbol."),
            string("state", "The state's ISO 3166-1 alpha-3 code."),
            string("role", "introduced, cosponsor or not_sponsoring.").one_of(SPONSOR_ROLES).required(),
        ],
        &["symbol", "state"],
    );
    table.foreign_keys.push(fk(&["symbol"], "documents", &["symbol"]));
    let mut rows = BTreeMap::new();
    for d in &catalog.documents {
        let Some(s) = &d.sponsorship else { continue };
        let roles = [&s.introduced_by, &s.cosponsors, &s.not_sponsoring];
        for (role, list) in SPONSOR_ROLES.iter().zip(roles) {
            for state in list {
                rows.entry((d.symbol.to_string(), state.to_string())).or_insert(*role);
            }
        }
    }
    table.rows = rows
        .into_iter()
        .map(|((symbol, state), role)| vec![Cell::text(symbol), Cell::text(state), Cell::text(role)])
        .collect();
    table.sources = sources;
    table
}

/// The id of a roll call in the dataset: `unvotes:4618`.
pub fn rollcall_id(dataset: Dataset, record: &str) -> String {
    format!("{}:{record}", dataset.source_id())
}

fn vote_name(vote: VoteValue) -> &'static str {
    match vote {
        VoteValue::Yes => "yes",
        VoteValue::No => "no",
        VoteValue::Abstain => "abstain",
        VoteValue::NonVoting => "non_voting",
    }
}

fn rollcalls_and_votes(tables: &[VoteTable], sources: &[SourceInfo], config: &Config) -> (Table, Table) {
    let mut rollcalls = base_table(
        "rollcalls",
        "Roll calls",
        "Every recorded vote of every imported voting dataset, one row per roll call as that dataset gives it (a roll call in two datasets appears twice, once per dataset). Totals are the dataset's own; unvotes states none, so its totals are counted from its votes.",
        vec![
            string("rollcall_id", "DATASET:RECORD, the dataset's source id and its own id for the roll call."),
            string("dataset", "The dataset's source id (see the source_registry table)."),
            string("record", "The dataset's own id: rcid (unvotes), token (UNDL scrape) or undl_id (UNDL official)."),
            string("symbol", "The canonical symbol of what was voted on, where the dataset's spelling parses."),
            string("symbol_text", "The symbol as the dataset writes it."),
            string("body", "ga (General Assembly) or sc (Security Council).").one_of(["ga", "sc"]),
            date("date", "The date of the vote (a few roll calls give only the year)."),
            int("year", "The year of the vote."),
            int("session", "The regular session, where known."),
            string("part", "What was voted on: whole, paragraph or amendment.").one_of([
                "whole",
                "paragraph",
                "amendment",
            ]),
            string("title", "The title or description the dataset gives."),
            int("yes", "Votes in favour."),
            int("no", "Votes against."),
            int("abstain", "Abstentions."),
            int("non_voting", "Present and not voting, where the dataset records it (unvotes does not)."),
            string("issues", "Issue codes, space-separated (unvotes: me, nu, di, hr, co, ec)."),
            string("source", "The record as cited in sources: `unvotes rcid=4618`."),
        ],
        &["rollcall_id"],
    );
    let mut votes = base_table(
        "votes",
        "State votes",
        "One row per roll call and state that cast a vote or was recorded as present and not voting (long format). States absent or not members have no row; unvotes dropped non-votes and absences alike.",
        vec![
            string("rollcall_id", "The roll call (see rollcalls)."),
            string("state", "The state's ISO 3166-1 alpha-3 code."),
            string("vote", "yes, no, abstain or non_voting.").one_of(["yes", "no", "abstain", "non_voting"]).required(),
        ],
        &["rollcall_id", "state"],
    );
    votes.foreign_keys.push(fk(&["rollcall_id"], "rollcalls", &["rollcall_id"]));
    let table_states = states();
    let mut datasets = BTreeSet::new();
    for table in tables {
        datasets.insert(table.dataset);
        let mut calls: Vec<_> = table.roll_calls.iter().collect();
        calls.sort_by(|a, b| (a.line, &a.record).cmp(&(b.line, &b.record)));
        for call in calls {
            let id = rollcall_id(call.dataset, &call.record);
            rollcalls.rows.push(vec![
                Cell::text(id.clone()),
                Cell::text(call.dataset.source_id()),
                Cell::text(call.record.clone()),
                Cell::opt_text(call.symbol.as_ref().map(ToString::to_string)),
                Cell::text(call.symbol_text.clone()),
                Cell::text(call.body.as_str()),
                Cell::opt_date(call.date),
                Cell::Int(call.year.into()),
                Cell::opt_int(call.session),
                Cell::text(call.part.as_str()),
                Cell::text(call.title.clone()),
                Cell::Int(call.totals.yes.into()),
                Cell::Int(call.totals.no.into()),
                Cell::Int(call.totals.abstain.into()),
                Cell::opt_int(call.totals.non_voting),
                Cell::text(call.issues.join(" ")),
                Cell::text(format!("{} {}", call.dataset.source_id(), call.record_ref())),
            ]);
            let mut cast: Vec<(String, &'static str)> = call
                .votes
                .iter()
                .enumerate()
                .filter_map(|(column, byte)| Some((table_states.iso3(column).to_string(), vote_name(decode(*byte)?))))
                .collect();
            cast.sort();
            for (state, vote) in cast {
                votes.rows.push(vec![Cell::text(id.clone()), Cell::text(state), Cell::text(vote)]);
            }
        }
    }
    let registered: Vec<Source> = sources
        .iter()
        .filter(|s| Dataset::from_source_id(&s.id).is_some_and(|d| datasets.contains(&d)))
        .map(source_of)
        .collect();
    let licenses = licenses_of(config, &datasets);
    for table in [&mut rollcalls, &mut votes] {
        table.sources = registered.clone();
        table.licenses = licenses.clone();
    }
    (rollcalls, votes)
}

fn groups(catalog: &Catalog, sources: Vec<Source>) -> (Table, Table) {
    let mut groups = base_table(
        "groups",
        "Expert groups",
        "Groups of governmental experts, open-ended working groups, the Ad Hoc Committee and other groups the knowledge base records.",
        vec![
            string("group_id", "The knowledge base's id (gge-2004)."),
            string("name", "The group's name."),
            string("kind", "gge, oewg, ahc, …"),
            string("body", "The id of the body it reported to."),
            string("established_by", "The symbol of the resolution establishing it."),
            int("start_year", "First year of work."),
            int("end_year", "Last year of work."),
            int("member_count", "The number of members the source states."),
            string("chair", "The chair's state (ISO3)."),
            string("chair_person", "The chair's name."),
            int("meetings", "Meetings held, where stated."),
            string("report", "The symbol of its report."),
            string("outcome", "The outcome: consensus report, no consensus, …"),
        ],
        &["group_id"],
    );
    let mut members = base_table(
        "group_members",
        "Expert group members",
        "One row per group and member state, as the sources list them.",
        vec![
            string("group_id", "The group (see groups)."),
            string("state", "The member state's ISO 3166-1 alpha-3 code."),
        ],
        &["group_id", "state"],
    );
    members.foreign_keys.push(fk(&["group_id"], "groups", &["group_id"]));
    let mut list: Vec<_> = catalog.groups.iter().collect();
    list.sort_by(|a, b| a.id.cmp(&b.id));
    for g in list {
        groups.rows.push(vec![
            Cell::text(g.id.clone()),
            Cell::opt_text(g.name.clone()),
            Cell::opt_text(g.kind.map(|k| k.as_str())),
            Cell::opt_text(g.body.clone()),
            Cell::opt_text(g.established_by.as_ref().map(ToString::to_string)),
            Cell::opt_int(g.start_year),
            Cell::opt_int(g.end_year),
            Cell::opt_int(g.member_count),
            Cell::opt_text(g.chair.map(|c| c.to_string())),
            Cell::opt_text(g.chair_person.clone()),
            Cell::opt_int(g.meetings),
            Cell::opt_text(g.report.as_ref().map(ToString::to_string)),
            Cell::opt_text(g.outcome.map(|o| o.as_str())),
        ]);
        let states: BTreeSet<String> = g.members.iter().map(ToString::to_string).collect();
        for state in states {
            members.rows.push(vec![Cell::text(g.id.clone()), Cell::text(state)]);
        }
    }
    groups.sources = sources.clone();
    members.sources = sources;
    (groups, members)
}

fn norm_tables(norms: &Norms, sources: Vec<Source>) -> (Table, Table, Table) {
    let mut themes = base_table(
        "themes",
        "Themes",
        "The taxonomy of themes norms are grouped under, each defined in the project's own words with its sources.",
        vec![
            string("theme_id", "The theme's id."),
            string("name", "The theme's name."),
            string("definition", "The definition."),
        ],
        &["theme_id"],
    );
    for t in &norms.themes {
        themes.rows.push(vec![
            Cell::text(t.id.clone()),
            Cell::text(t.name.clone()),
            Cell::opt_text(t.definition.clone()),
        ]);
    }
    let mut table = base_table(
        "norms",
        "Norms",
        "Norms as records of their own: name, theme, definition (the project's words, sourced), first appearance and life-cycle stage by the measurement's rule (docs/methods.md).",
        vec![
            string("norm_id", "The norm's id."),
            string("name", "The norm's name."),
            string("theme", "The theme's id (see themes)."),
            string("definition", "The definition, in the project's own words."),
            int("first_year", "The year of the earliest dated instrument carrying it."),
            string("first_instrument", "The symbol (or record id) of that instrument."),
            int("instruments", "How many instruments carry it."),
            string("stage", "The life-cycle stage by the measurement's rule."),
            string("stage_reason", "Why this stage, in words."),
        ],
        &["norm_id"],
    );
    table.foreign_keys.push(fk(&["theme"], "themes", &["theme_id"]));
    for n in &norms.norms {
        table.rows.push(vec![
            Cell::text(n.id.clone()),
            Cell::text(n.name.clone()),
            Cell::opt_text(n.theme.clone()),
            Cell::opt_text(n.definition.clone()),
            Cell::opt_int(n.first_year()),
            Cell::opt_text(n.first().map(|i| i.symbol.clone())),
            Cell::Int(n.instruments.len() as i64),
            Cell::opt_text(n.lifecycle.as_ref().map(|l| l.stage.as_str())),
            Cell::opt_text(n.lifecycle.as_ref().map(|l| l.reason.clone())),
        ]);
    }
    let mut crosswalk = base_table(
        "crosswalk",
        "Crosswalk",
        "Every edge from a norm to an instrument's element, with an OSCAL control-mapping relation, a rationale and a source: a document that itself makes the link (basis document) or a reviewed curator's judgement (basis curator).",
        vec![
            int("edge_id", "The edge's position in the knowledge base (1-based)."),
            string("norm", "The norm (see norms)."),
            string("record_kind", "What carries it: document, group, actor, …")
                .one_of(RecordKind::ALL.iter().map(|k| k.as_str())),
            string("symbol", "The document's symbol, or the other record's id."),
            string("list", "The instrument's list of elements (annex, recommendations, norms, report)."),
            string("item", "The element's label, where the edge is to one element."),
            string("relation", "equivalent-to, subset-of, superset-of or intersects-with.")
                .one_of(MappingRelation::ALL.iter().map(|r| r.as_str()))
                .required(),
            string("basis", "document or curator.")
                .one_of([EdgeBasis::Document, EdgeBasis::Curator].map(EdgeBasis::as_str))
                .required(),
            string("rationale", "Why the element carries the norm.").required(),
            string("source", "The edge's source, as cited.").required(),
            string("wording", "The element's text: verbatim from a held copy unless paraphrase is true."),
            Field::new("paraphrase", FieldType::Boolean, "Whether wording is not the UN's text.").required(),
            string("note", "A note."),
            string("unverified", "What could not be verified, where something could not."),
            string("origin", "file:line in the knowledge base."),
        ],
        &["edge_id"],
    );
    crosswalk.foreign_keys.push(fk(&["norm"], "norms", &["norm_id"]));
    for (i, e) in norms.crosswalk.iter().enumerate() {
        crosswalk.rows.push(vec![
            Cell::Int(i as i64 + 1),
            Cell::text(e.norm.clone()),
            Cell::text(e.target_kind.as_str()),
            Cell::text(e.symbol.clone()),
            Cell::text(e.list.clone()),
            Cell::opt_text(e.item.clone()),
            Cell::text(e.relation.as_str()),
            Cell::text(e.basis.as_str()),
            Cell::text(e.rationale.clone()),
            Cell::text(e.source.to_string()),
            Cell::opt_text(e.wording.clone()),
            Cell::Bool(e.paraphrase),
            Cell::opt_text(e.note.clone()),
            Cell::opt_text(e.unverified.clone()),
            Cell::text(e.origin.clone()),
        ]);
    }
    for t in [&mut themes, &mut table, &mut crosswalk] {
        t.sources = sources.clone();
    }
    (themes, table, crosswalk)
}

fn source_tables(catalog: &Catalog, norms: &Norms, registry: &[SourceInfo]) -> (Table, Table) {
    let mut facts = base_table(
        "sources",
        "Every fact's sources",
        "One row per claim: a source's statement about one field of one record, whether its value is the one shown (dataset before document before seed, then the knowledge base's order) or not. Several rows for one field are several sources; differing values are conflicts, all kept.",
        vec![
            int("fact_id", "The claim's position in this table (1-based)."),
            string("record_kind", "document, series, body, group, event, actor, theme or norm.")
                .one_of(RecordKind::ALL.iter().map(|k| k.as_str())),
            string("record_id", "The record's symbol or id."),
            string("field", "The field the claim is about."),
            string("value", "The value claimed, as text (lists comma-separated)."),
            Field::new("shown", FieldType::Boolean, "Whether this claim supplies the value shown.").required(),
            string("basis", "seed, document or dataset."),
            string(
                "source",
                "The source as cited: `maurer2011 §II.1.1`, `doc A/RES/53/70, annex`, `unvotes rcid=4926`.",
            ),
            string("source_id", "The registered source's id (see source_registry); empty for a UN document."),
            string("document", "The UN document cited, for a document source."),
            string("quote", "The words quoted from the source, where the claim quotes it."),
            string("note", "A note."),
            string("origin", "file:line in the knowledge base, for a reviewed claim."),
        ],
        &["fact_id"],
    );
    facts.foreign_keys.push(fk(&["source_id"], "source_registry", &["source_id"]));
    let mut add = |kind: RecordKind, id: &str, sources: &[FieldSource]| {
        for s in sources {
            let (source_id, document) = match &s.source {
                SourceRef::Seed { id, .. } | SourceRef::Dataset { id, .. } | SourceRef::Reference { id, .. } => {
                    (Some(id.clone()), None)
                }
                SourceRef::Document { symbol, .. } => (None, Some(symbol.to_string())),
            };
            let n = facts.rows.len() as i64 + 1;
            facts.rows.push(vec![
                Cell::Int(n),
                Cell::text(kind.as_str()),
                Cell::text(id),
                Cell::text(s.field.clone()),
                Cell::text(s.value.to_string()),
                Cell::Bool(s.shown),
                Cell::text(s.basis().as_str()),
                Cell::text(s.source.to_string()),
                Cell::opt_text(source_id),
                Cell::opt_text(document),
                Cell::opt_text(s.quote.clone()),
                Cell::opt_text(s.note.clone()),
                Cell::opt_text(s.origin.as_ref().map(ToString::to_string)),
            ]);
        }
    };
    let mut documents: Vec<_> = catalog.documents.iter().collect();
    documents.sort_by_key(|d| d.symbol.to_string());
    for d in documents {
        add(RecordKind::Document, &d.symbol.to_string(), &d.sources);
    }
    let mut series: Vec<_> = catalog.series.iter().collect();
    series.sort_by(|a, b| a.id.cmp(&b.id));
    for s in series {
        add(RecordKind::Series, &s.id, &s.sources);
    }
    let mut groups: Vec<_> = catalog.groups.iter().collect();
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    for g in groups {
        add(RecordKind::Group, &g.id, &g.sources);
    }
    for kind in [RecordKind::Body, RecordKind::Event, RecordKind::Actor] {
        let mut records: Vec<_> = catalog.records(kind).iter().collect();
        records.sort_by(|a, b| a.id.cmp(&b.id));
        for r in records {
            add(kind, &r.id, &r.sources);
        }
    }
    for t in &norms.themes {
        add(RecordKind::Theme, &t.id, &t.record.sources);
    }
    for n in &norms.norms {
        add(RecordKind::Norm, &n.id, &n.record.sources);
    }
    let mut table = base_table(
        "source_registry",
        "Registered sources",
        "The registry of sources facts cite: the founding texts (seeds), datasets and reference works, each with its citation.",
        vec![
            string("source_id", "The source's id."),
            string("kind", "seed, dataset or reference.").one_of(["seed", "dataset", "reference"]),
            string("file", "For a seed, its file; for a dataset, its folder."),
            string("citation", "How to cite it.").required(),
        ],
        &["source_id"],
    );
    let mut registry: Vec<_> = registry.iter().collect();
    registry.sort_by(|a, b| a.id.cmp(&b.id));
    for s in registry {
        let kind = match s.kind {
            normwatch_core::kb::SourceKind::Seed => "seed",
            normwatch_core::kb::SourceKind::Dataset => "dataset",
            normwatch_core::kb::SourceKind::Reference => "reference",
        };
        table.rows.push(vec![
            Cell::text(s.id.clone()),
            Cell::text(kind),
            Cell::opt_text(s.file.clone()),
            Cell::text(s.citation.clone()),
        ]);
    }
    (facts, table)
}

/// The dataset of the current database, with the knowledge base it was loaded from (for the
/// crosswalk) and the metadata of `config`.
pub async fn build(app: &App, kb: &KbSource, config: &Config) -> Result<Package> {
    let catalog = app.catalog().await?;
    let norms = crate::norms::read(app, kb).await?;
    let store = app.store();
    let vote_tables = store.vote_tables(&Scope::default()).await?;
    let registry = catalog.sources.clone();
    let mut inputs = vec![("knowledge_base".to_string(), store.kb_fingerprint().await?.unwrap_or_default())];
    for (dataset, sha256) in store.imported_file_hashes().await? {
        inputs.push((format!("import {}", dataset.source_id()), sha256));
    }
    let datasets: BTreeSet<Dataset> =
        vote_tables.iter().filter(|t| !t.roll_calls.is_empty()).map(|t| t.dataset).collect();
    let kb_sources = kb_source(&registry);
    let mut document_sources = kb_sources.clone();
    document_sources.extend(
        registry
            .iter()
            .filter(|s| Dataset::from_source_id(&s.id).is_some_and(|d| datasets.contains(&d)))
            .map(source_of),
    );
    let documents = documents(&catalog, document_sources, licenses_of(config, &datasets));
    let sponsorships = sponsorships(&catalog, kb_sources.clone());
    let (rollcalls, votes) = rollcalls_and_votes(&vote_tables, &registry, config);
    let (groups, members) = groups(&catalog, kb_sources.clone());
    let (themes, norm_table, crosswalk) = norm_tables(&norms, kb_sources.clone());
    let (facts, source_registry) = source_tables(&catalog, &norms, &registry);
    let p = &config.package;
    let mut description = format!("{} {}", p.description, p.knowledge_base);
    for d in &datasets {
        if let Some(t) = config.terms(d.source_id()) {
            description.push_str(&format!(" Terms of {}: {} (from {}).", d.source_id(), t.terms, t.provenance));
        }
    }
    Ok(Package {
        name: p.name.clone(),
        title: p.title.clone(),
        description,
        program: format!("normwatch {}", env!("CARGO_PKG_VERSION")),
        program_version: env!("CARGO_PKG_VERSION").to_string(),
        homepage: None,
        licenses: licenses_of(config, &datasets),
        sources: registry.iter().map(source_of).collect(),
        inputs,
        citation: Citation {
            title: p.title.clone(),
            message: p.message.clone(),
            authors: p.authors.clone(),
            abstract_text: p.description.clone(),
            repository: None,
            keywords: p.keywords.clone(),
            license: None,
        },
        tables: vec![
            documents,
            sponsorships,
            rollcalls,
            votes,
            groups,
            members,
            themes,
            norm_table,
            crosswalk,
            facts,
            source_registry,
        ],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_config_reads_and_names_known_datasets() {
        let config = Config::built_in().unwrap();
        for terms in &config.sources {
            assert!(Dataset::from_source_id(&terms.id).is_some(), "{}", terms.id);
            assert!(terms.provenance.ends_with("/PROVENANCE.md"));
        }
        let error = Config::parse("[package]\nname = 1\n", "x.toml").unwrap_err().to_string();
        assert!(error.starts_with("in x.toml:"), "{error}");
    }
}
