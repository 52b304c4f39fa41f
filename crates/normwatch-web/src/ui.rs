//! The UI kit every view shares: links, figures, source and conflict cells, item lists,
//! field labels, and the export tables of sources and items.
//!
//! Layer 1: refers only to `routes`.

use normwatch_core::Iso3;
use normwatch_core::domain::Stream;
use normwatch_core::kb::Item;
use normwatch_core::view::{Conflict, DocumentView, FieldSource};
use serde_json::json;

use crate::routes;
use normwatch_api::{Table, fact_value};
use normwatch_app::Catalog;

pub use normwatch_app::years::{span_of, year_span};

/// A link with its text.
#[derive(Clone, Debug)]
pub struct Link {
    pub label: String,
    pub href: String,
}

impl Link {
    pub fn new(label: impl Into<String>, href: impl Into<String>) -> Link {
        Link { label: label.into(), href: href.into() }
    }

    pub fn document(symbol: &str) -> Link {
        Link::new(symbol, routes::document(symbol))
    }

    /// A state by code, linking to its profile, with its name as the label.
    pub fn state(iso3: Iso3) -> Link {
        Link::new(format!("{} ({iso3})", iso3.info().name), routes::state(iso3.as_str()))
    }

    pub fn state_code(iso3: Iso3) -> Link {
        Link::new(iso3.to_string(), routes::state(iso3.as_str()))
    }

    /// A link whose text is its address (a suggestion on a not-found page).
    pub fn path(path: &str) -> Link {
        Link::new(path, path)
    }
}

/// A server-drawn SVG figure with its download address.
pub struct Figure {
    pub svg: String,
    pub href: String,
    pub name: String,
    pub caption: String,
}

pub fn stream_label(stream: Stream) -> &'static str {
    match stream {
        Stream::PoliticoMilitary => "Politico-military",
        Stream::Economic => "Economic",
        Stream::Linking => "Linking (Second Committee)",
        Stream::InternetGovernance => "Internet governance",
    }
}

/// A document's year: the stated one, else the one its symbol implies.
pub fn document_year(d: &DocumentView) -> Option<i32> {
    d.year.or_else(|| d.symbol.year_hint())
}

pub fn year_label(d: &DocumentView) -> String {
    document_year(d).map(|y| y.to_string()).unwrap_or_default()
}

/// The fields a record page shows, in order, with their labels.
pub const FIELDS: &[(&str, &str)] = &[
    ("kind", "Kind"),
    ("title", "Title"),
    ("body", "Body"),
    ("committee", "Committee"),
    ("stream", "Stream"),
    ("series", "Series"),
    ("agenda_item", "Agenda item"),
    ("adopted_on", "Adopted on"),
    ("issued_on", "Issued on"),
    ("year", "Year"),
    ("modality", "Adoption"),
    ("votes", "Recorded vote (yes–no–abstain)"),
    ("voted_no", "Voted no"),
    ("introduced_by", "Introduced by"),
    ("on_behalf_of", "On behalf of"),
    ("cosponsors", "Co-sponsors"),
    ("cosponsor_count", "Number of sponsors"),
    ("joined_later_count", "Joined later"),
    ("not_sponsoring", "Named as not co-sponsoring"),
    ("draft", "Draft"),
    ("report", "Committee report"),
    ("resolution", "Became resolution"),
    ("establishes", "Establishes"),
    ("annex_items", "Annexed items (stated)"),
    ("summary", "Summary"),
    ("changes", "Changes in wording"),
    ("cited_as", "Cited as"),
    ("correct_symbol", "Document meant"),
    ("miscited", "Mis-cited"),
];

pub fn label_of(field: &str) -> String {
    FIELDS.iter().find(|(f, _)| *f == field).map_or_else(|| field.replace('_', " "), |(_, l)| (*l).to_string())
}

pub struct SourceCell {
    pub basis: &'static str,
    pub source: String,
    pub value: String,
    pub shown: bool,
    pub note: Option<String>,
    pub quote: Option<String>,
    pub origin: String,
}

pub fn source_cell(s: &FieldSource) -> SourceCell {
    SourceCell {
        basis: s.basis().as_str(),
        source: s.source.to_string(),
        value: s.value.to_string(),
        shown: s.shown,
        note: s.note.clone(),
        quote: s.quote.clone(),
        origin: s.origin.as_ref().map(|o| o.to_string()).unwrap_or_default(),
    }
}

/// A claim with its field's label, for the sources table of a record page.
pub struct SourceRow {
    pub label: String,
    pub value: String,
    pub cell: SourceCell,
}

pub fn source_rows(sources: &[FieldSource]) -> Vec<SourceRow> {
    sources
        .iter()
        .map(|s| SourceRow { label: label_of(&s.field), value: s.value.to_string(), cell: source_cell(s) })
        .collect()
}

pub struct ConflictClaimCell {
    pub basis: &'static str,
    pub source: String,
    pub value: String,
}

pub struct ConflictBlock {
    pub label: String,
    pub claims: Vec<ConflictClaimCell>,
}

pub fn conflict_blocks(conflicts: &[Conflict]) -> Vec<ConflictBlock> {
    conflicts
        .iter()
        .map(|c| ConflictBlock {
            label: label_of(&c.field),
            claims: c
                .claims
                .iter()
                .map(|claim| ConflictClaimCell {
                    basis: claim.source.basis().as_str(),
                    source: claim.source.to_string(),
                    value: claim.value.to_string(),
                })
                .collect(),
        })
        .collect()
}

pub struct ItemCell {
    pub label: String,
    pub heading: Option<String>,
    pub text: String,
    pub paraphrase: bool,
    pub source: String,
    pub basis: &'static str,
}

pub struct ItemList {
    pub title: String,
    pub items: Vec<ItemCell>,
}

fn list_title(list: &str) -> String {
    match list {
        "annex" => "Annex".to_string(),
        other => {
            let mut title = other.replace(['-', '_'], " ");
            if let Some(first) = title.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            title
        }
    }
}

pub fn item_lists(items: &[Item]) -> Vec<ItemList> {
    let mut lists: Vec<ItemList> = Vec::new();
    let mut last_heading: Option<(String, Option<String>)> = None;
    for item in items {
        let title = list_title(&item.list);
        // A heading is printed once, above the first item under it.
        let heading = match &last_heading {
            Some((list, heading)) if *list == item.list && *heading == item.heading => None,
            _ => item.heading.clone(),
        };
        last_heading = Some((item.list.clone(), item.heading.clone()));
        let cell = ItemCell {
            label: item.label.clone(),
            heading,
            text: item.text.clone(),
            paraphrase: item.paraphrase,
            source: item.source.to_string(),
            basis: item.source.basis().as_str(),
        };
        match lists.iter_mut().find(|l| l.title == title) {
            Some(list) => list.items.push(cell),
            None => lists.push(ItemList { title, items: vec![cell] }),
        }
    }
    lists
}

/// The `sources` export table of any record.
pub fn sources_table(sources: &[FieldSource]) -> Table {
    let mut table = Table::new("sources", &["field", "value", "shown", "source", "basis", "quote", "note", "origin"]);
    for s in sources {
        table.push(vec![
            json!(s.field),
            fact_value(&s.value),
            json!(s.shown),
            json!(s.source.to_string()),
            json!(s.basis().as_str()),
            json!(s.quote),
            json!(s.note),
            json!(s.origin.as_ref().map(|o| o.to_string())),
        ]);
    }
    table
}

/// The `items` export table of any record.
pub fn items_table(items: &[Item]) -> Table {
    let mut table = Table::new("items", &["list", "label", "heading", "text", "paraphrase", "source", "basis"]);
    for i in items {
        table.push(vec![
            json!(i.list),
            json!(i.label),
            json!(i.heading),
            json!(i.text),
            json!(i.paraphrase),
            json!(i.source.to_string()),
            json!(i.source.basis().as_str()),
        ]);
    }
    table
}

/// A row of the series lists (home page, `/series`).
pub struct SeriesRow {
    pub id: String,
    pub href: String,
    pub title: String,
    pub committee: String,
    pub documents: usize,
    pub years: String,
}

pub fn series_rows(catalog: &Catalog) -> Vec<SeriesRow> {
    catalog
        .series
        .iter()
        .map(|s| {
            let documents = catalog.series_documents(&s.id);
            SeriesRow {
                href: routes::series(&s.id),
                title: s.title.clone().unwrap_or_else(|| s.id.clone()),
                committee: s.committee.map(|c| c.as_str().to_string()).or_else(|| s.body.clone()).unwrap_or_default(),
                documents: documents.len(),
                years: span_of(documents.iter().filter_map(|d| document_year(d))),
                id: s.id.clone(),
            }
        })
        .collect()
}
