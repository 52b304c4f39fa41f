//! Page models: plain structs the templates render. Building them is the only logic here.

use askama::Template;
use askama_web::WebTemplate;
use normwatch_core::kb::{FactValue, RecordKind, SourceInfo};
use normwatch_core::view::DocumentView;
use normwatch_store::{Store, StoreError};

use crate::contract::citation;
use crate::document_href;

pub struct SeriesRow {
    pub id: String,
    pub title: String,
    pub committee: String,
    pub documents: usize,
}

pub struct DocumentRow {
    pub symbol: String,
    pub href: String,
    pub year: String,
    pub title: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    pub series: Vec<SeriesRow>,
    pub documents: Vec<DocumentRow>,
}

pub async fn home(store: &Store) -> Result<HomePage, StoreError> {
    let mut documents = Vec::new();
    for record in store.records(RecordKind::Document).await? {
        if let Some(view) = DocumentView::resolve(&record) {
            documents.push((
                view.year.or_else(|| view.symbol.year_hint()),
                DocumentRow {
                    href: document_href(&view.symbol.to_string()),
                    symbol: view.symbol.to_string(),
                    year: view.year.map(|y| y.to_string()).unwrap_or_default(),
                    title: view.title.or(view.summary).unwrap_or_default(),
                },
            ));
        }
    }
    documents.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.symbol.cmp(&b.1.symbol)));

    let mut series = Vec::new();
    for record in store.records(RecordKind::Series).await? {
        let text = |field: &str| match record.claims_for(field).next().map(|c| &c.value) {
            Some(FactValue::Text(s)) => s.clone(),
            _ => String::new(),
        };
        let members = store.ids_referencing(RecordKind::Document, "series", &record.id).await?;
        series.push(SeriesRow { title: text("title"), committee: text("committee"), documents: members.len(), id: record.id });
    }
    Ok(HomePage { series, documents: documents.into_iter().map(|(_, row)| row).collect() })
}

pub struct SourceCell {
    pub basis: &'static str,
    pub source: String,
    pub value: String,
    pub shown: bool,
    pub note: Option<String>,
    pub quote: Option<String>,
}

pub struct FactRow {
    pub label: &'static str,
    pub value: String,
    pub href: Option<String>,
    pub sources: Vec<SourceCell>,
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

pub struct ParagraphCell {
    pub part: &'static str,
    pub text: String,
    pub source: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "document.html")]
pub struct DocumentPage {
    pub symbol: String,
    pub kind: String,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub miscited: bool,
    pub facts: Vec<FactRow>,
    pub conflicts: Vec<ConflictBlock>,
    pub lists: Vec<ItemList>,
    pub paragraphs: Vec<ParagraphCell>,
    pub cite: String,
    pub api_href: String,
}

/// The fields a document page shows, in order, with their labels.
const FIELDS: &[(&str, &str)] = &[
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

fn label_of(field: &str) -> String {
    FIELDS.iter().find(|(f, _)| *f == field).map_or_else(|| field.replace('_', " "), |(_, l)| (*l).to_string())
}

fn list_title(list: &str) -> String {
    match list {
        "annex" => "Annex".to_string(),
        other => {
            let mut title = other.replace('-', " ");
            if let Some(first) = title.get_mut(0..1) {
                first.make_ascii_uppercase();
            }
            title
        }
    }
}

pub fn document(view: &DocumentView, registry: &[SourceInfo]) -> DocumentPage {
    let mut facts = Vec::new();
    for (field, label) in FIELDS {
        let sources: Vec<SourceCell> = view
            .sources
            .iter()
            .filter(|s| s.field == *field)
            .map(|s| SourceCell {
                basis: s.basis().as_str(),
                source: s.source.to_string(),
                value: s.value.to_string(),
                shown: s.shown,
                note: s.note.clone(),
                quote: s.quote.clone(),
            })
            .collect();
        if sources.is_empty() {
            continue;
        }
        let shown: Vec<&normwatch_core::view::FieldSource> =
            view.sources.iter().filter(|s| s.field == *field && s.shown).collect();
        let value = match *field {
            // Union fields show every named state; others show the chosen claim.
            "introduced_by" | "cosponsors" | "not_sponsoring" => {
                let mut all: Vec<String> = shown.iter().flat_map(|s| s.value.to_string().split(", ").map(str::to_string).collect::<Vec<_>>()).collect();
                all.sort();
                all.dedup();
                all.join(", ")
            }
            _ => shown.first().map(|s| s.value.to_string()).unwrap_or_default(),
        };
        let href = match shown.first().map(|s| &s.value) {
            Some(FactValue::Symbol(symbol)) => Some(document_href(&symbol.to_string())),
            _ => None,
        };
        facts.push(FactRow { label, value, href, sources });
    }

    let conflicts = view
        .conflicts
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
        .collect();

    let mut lists: Vec<ItemList> = Vec::new();
    for item in &view.items {
        let cell = ItemCell {
            label: item.label.clone(),
            heading: None,
            text: item.text.clone(),
            paraphrase: item.paraphrase,
            source: item.source.to_string(),
            basis: item.source.basis().as_str(),
        };
        match lists.iter_mut().find(|l| l.title == list_title(&item.list)) {
            Some(list) => {
                let previous_heading = view
                    .items
                    .iter()
                    .filter(|i| i.list == item.list)
                    .take_while(|i| !std::ptr::eq(*i, item))
                    .last()
                    .and_then(|i| i.heading.clone());
                let heading = item.heading.clone().filter(|h| Some(h) != previous_heading.as_ref());
                list.items.push(ItemCell { heading, ..cell });
            }
            None => lists.push(ItemList {
                title: list_title(&item.list),
                items: vec![ItemCell { heading: item.heading.clone(), ..cell }],
            }),
        }
    }

    let symbol = view.symbol.to_string();
    let mut cite = String::from("United Nations");
    if let Some(title) = &view.title {
        cite.push_str(&format!(", \u{201c}{title}\u{201d}"));
    }
    cite.push_str(&format!(", {symbol}"));
    if let Some(date) = view.adopted_on {
        cite.push_str(&format!(", adopted {date}"));
    } else if let Some(year) = view.year {
        cite.push_str(&format!(" ({year})"));
    }
    cite.push('.');
    let mut cited_sources: Vec<String> = Vec::new();
    for s in view.sources.iter().filter(|s| s.shown) {
        let c = citation(&s.source, registry);
        if !cited_sources.contains(&c) {
            cited_sources.push(c);
        }
    }
    if !cited_sources.is_empty() {
        cite.push_str(&format!(" Facts as recorded by normwatch from: {}.", cited_sources.join("; ")));
    }

    DocumentPage {
        kind: view.kind.map_or_else(|| "document".to_string(), |k| k.as_str().to_string()),
        title: view.title.clone(),
        summary: view.summary.clone(),
        miscited: view.miscited,
        facts,
        conflicts,
        lists,
        paragraphs: view
            .paragraphs
            .iter()
            .map(|p| ParagraphCell { part: p.part.as_str(), text: p.text.clone(), source: p.source.to_string() })
            .collect(),
        cite,
        api_href: format!("/api{}", document_href(&symbol)),
        symbol,
    }
}

pub struct Suggestion {
    pub symbol: String,
    pub href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "not_found.html")]
pub struct NotFoundPage {
    pub message: String,
    pub suggestions: Vec<Suggestion>,
}

pub fn not_found(message: &str, suggestions: &[String]) -> NotFoundPage {
    NotFoundPage {
        message: message.to_string(),
        suggestions: suggestions.iter().map(|s| Suggestion { symbol: s.clone(), href: document_href(s) }).collect(),
    }
}
