//! The home page, the document page and the not-found page, with their API answers.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use normwatch_core::Iso3;
use normwatch_core::domain::{Stream, VoteValue};
use normwatch_core::kb::{FactValue, SourceInfo};
use normwatch_core::view::{DocumentView, FieldSource};
use serde_json::json;

use crate::charts::{self, Series};
use crate::http::{AppError, Params, Suggestion, encode_query, json_response, list_response, table_response};
use crate::{AppState, document_href, votes};
use normwatch_api::{DocumentJson, DocumentSummaryJson, KbStatsJson, Table, citation};
use normwatch_app::App;
use normwatch_app::Catalog;

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
        Link::new(symbol, document_href(symbol))
    }

    /// A state by code, linking to its profile, with its name as the label.
    pub fn state(iso3: Iso3) -> Link {
        Link::new(format!("{} ({iso3})", iso3.info().name), format!("/states/{iso3}"))
    }

    pub fn state_code(iso3: Iso3) -> Link {
        Link::new(iso3.to_string(), format!("/states/{iso3}"))
    }
}

pub fn stream_label(stream: Stream) -> &'static str {
    match stream {
        Stream::PoliticoMilitary => "Politico-military",
        Stream::Economic => "Economic",
        Stream::Linking => "Linking (Second Committee)",
        Stream::InternetGovernance => "Internet governance",
    }
}

// ---------------------------------------------------------------------------------------
// Home

pub struct Count {
    pub label: &'static str,
    pub value: usize,
    pub href: &'static str,
}

pub struct SeriesRow {
    pub id: String,
    pub href: String,
    pub title: String,
    pub committee: String,
    pub documents: usize,
    pub years: String,
}

pub struct DocumentRow {
    pub symbol: String,
    pub href: String,
    pub year: String,
    pub kind: String,
    pub title: String,
}

pub struct StreamRow {
    pub label: &'static str,
    pub href: String,
    pub documents: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
pub struct HomePage {
    pub counts: Vec<Count>,
    pub streams: Vec<StreamRow>,
    pub series: Vec<SeriesRow>,
    pub documents: Vec<DocumentRow>,
    pub incidents: Vec<Link>,
}

pub fn series_rows(catalog: &Catalog) -> Vec<SeriesRow> {
    catalog
        .series
        .iter()
        .map(|s| {
            let documents = catalog.series_documents(&s.id);
            let years: Vec<i32> = documents.iter().filter_map(|d| d.year.or_else(|| d.symbol.year_hint())).collect();
            SeriesRow {
                href: format!("/series/{}", s.id),
                title: s.title.clone().unwrap_or_else(|| s.id.clone()),
                committee: s.committee.map(|c| c.as_str().to_string()).or_else(|| s.body.clone()).unwrap_or_default(),
                documents: documents.len(),
                years: match (years.iter().min(), years.iter().max()) {
                    (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
                    (Some(a), _) => a.to_string(),
                    _ => String::new(),
                },
                id: s.id.clone(),
            }
        })
        .collect()
}

pub fn document_row(view: &DocumentView) -> DocumentRow {
    let symbol = view.symbol.to_string();
    DocumentRow {
        href: document_href(&symbol),
        year: view.year.or_else(|| view.symbol.year_hint()).map(|y| y.to_string()).unwrap_or_default(),
        kind: view.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
        title: view.title.clone().or_else(|| view.summary.clone()).unwrap_or_default(),
        symbol,
    }
}

pub async fn home(State(state): State<AppState>) -> Result<Response, AppError> {
    let catalog = state.app.catalog().await?;
    let streams = Stream::ALL
        .iter()
        .map(|s| StreamRow {
            label: stream_label(*s),
            href: format!("/timeline?stream={}", s.as_str()),
            documents: catalog.documents.iter().filter(|d| d.stream == Some(*s)).count(),
        })
        .collect();
    let incidents = catalog
        .events
        .iter()
        .filter(|e| e.flag("exogenous"))
        .map(|e| {
            Link::new(
                format!("{} ({})", e.name(), e.year().map(|y| y.to_string()).unwrap_or_default()),
                format!("/events/{}", e.id),
            )
        })
        .collect();
    Ok(HomePage {
        counts: vec![
            Count { label: "documents", value: catalog.documents.len(), href: "/timeline" },
            Count { label: "resolution series", value: catalog.series.len(), href: "/series" },
            Count { label: "expert groups", value: catalog.groups.len(), href: "/groups" },
            Count { label: "bodies", value: catalog.bodies.len(), href: "/bodies" },
            Count { label: "events", value: catalog.events.len(), href: "/timeline?kind=event" },
        ],
        streams,
        series: series_rows(&catalog),
        documents: catalog.documents.iter().map(document_row).collect(),
        incidents,
    }
    .into_response())
}

// ---------------------------------------------------------------------------------------
// Document

pub struct SourceCell {
    pub basis: &'static str,
    pub source: String,
    pub value: String,
    pub shown: bool,
    pub note: Option<String>,
    pub quote: Option<String>,
    pub origin: String,
}

pub struct FactRow {
    pub field: &'static str,
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
    pub number: String,
    pub text: String,
    pub source: String,
}

pub struct Overview {
    pub label: &'static str,
    pub value: String,
    pub href: Option<String>,
}

pub struct SponsorshipBlock {
    pub introduced_by: Vec<Link>,
    pub on_behalf_of: Option<String>,
    pub cosponsors: Vec<Link>,
    pub total_count: Option<u32>,
    pub joined_later_count: Option<u32>,
    pub not_sponsoring: Vec<Link>,
}

#[derive(Template, WebTemplate)]
#[template(path = "document.html")]
pub struct DocumentPage {
    pub symbol: String,
    pub kind: String,
    pub title: Option<String>,
    pub summary: Option<String>,
    pub miscited: bool,
    pub overview: Vec<Overview>,
    pub series: Option<Link>,
    pub previous: Option<Link>,
    pub next: Option<Link>,
    pub tally: Option<String>,
    pub voted_no: Vec<Link>,
    pub votes: Option<votes::DocumentVotes>,
    pub sponsorship: Option<SponsorshipBlock>,
    pub facts: Vec<FactRow>,
    pub conflicts: Vec<ConflictBlock>,
    pub lists: Vec<ItemList>,
    pub paragraphs: Vec<ParagraphCell>,
    pub cite: String,
    pub api_href: String,
    pub export_href: String,
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

pub fn label_of(field: &str) -> String {
    FIELDS.iter().find(|(f, _)| *f == field).map_or_else(|| field.replace('_', " "), |(_, l)| (*l).to_string())
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

/// Where a field's value links: documents, series, groups, bodies.
fn value_href(field: &str, value: &FactValue) -> Option<String> {
    match (field, value) {
        (_, FactValue::Symbol(symbol)) => Some(document_href(&symbol.to_string())),
        ("series", FactValue::Id(id)) => Some(format!("/series/{id}")),
        ("establishes", FactValue::Id(id)) => Some(format!("/groups/{id}")),
        ("body", FactValue::Id(id)) => Some(format!("/bodies/{id}")),
        _ => None,
    }
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

pub fn conflict_blocks(conflicts: &[normwatch_core::view::Conflict]) -> Vec<ConflictBlock> {
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

pub fn item_lists(items: &[normwatch_core::kb::Item]) -> Vec<ItemList> {
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

fn links(states: &[Iso3]) -> Vec<Link> {
    states.iter().map(|s| Link::state(*s)).collect()
}

pub fn cite(view: &DocumentView, registry: &[SourceInfo]) -> String {
    let symbol = view.symbol.to_string();
    let mut cite = String::from("United Nations");
    if let Some(title) = &view.title {
        cite.push_str(&format!(", \u{201c}{title}\u{201d}"));
    }
    cite.push_str(&format!(", {symbol}"));
    if let Some(date) = view.adopted_on {
        cite.push_str(&format!(", adopted {date}"));
    } else if let Some(date) = view.issued_on {
        cite.push_str(&format!(", issued {date}"));
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
    cite
}

pub fn document(view: &DocumentView, catalog: &Catalog, votes: Option<votes::DocumentVotes>) -> DocumentPage {
    let mut facts = Vec::new();
    for (field, label) in FIELDS {
        let sources: Vec<SourceCell> = view.sources.iter().filter(|s| s.field == *field).map(source_cell).collect();
        if sources.is_empty() {
            continue;
        }
        let shown: Vec<&FieldSource> = view.sources.iter().filter(|s| s.field == *field && s.shown).collect();
        let value = match *field {
            // Union fields show every named state; others show the chosen claim.
            "introduced_by" | "cosponsors" | "not_sponsoring" => {
                let mut all: Vec<String> = shown
                    .iter()
                    .flat_map(|s| s.value.to_string().split(", ").map(str::to_string).collect::<Vec<_>>())
                    .collect();
                all.sort();
                all.dedup();
                all.join(", ")
            }
            _ => shown.first().map(|s| s.value.to_string()).unwrap_or_default(),
        };
        let href = shown.first().and_then(|s| value_href(field, &s.value));
        facts.push(FactRow { field, label, value, href, sources });
    }

    let mut overview = Vec::new();
    let mut add = |label: &'static str, value: Option<String>, href: Option<String>| {
        if let Some(value) = value {
            overview.push(Overview { label, value, href });
        }
    };
    add("Body", view.body.as_ref().map(|b| catalog.body_label(b)), view.body.as_ref().map(|b| format!("/bodies/{b}")));
    add("Committee", view.committee.map(|c| format!("{c} Committee")), None);
    add(
        "Stream",
        view.stream.map(|s| stream_label(s).to_string()),
        view.stream.map(|s| format!("/timeline?stream={}", s.as_str())),
    );
    add("Adopted", view.adopted_on.map(|d| d.to_string()), None);
    add("Issued", view.issued_on.map(|d| d.to_string()), None);
    if view.adopted_on.is_none() && view.issued_on.is_none() {
        add("Year", view.year.map(|y| y.to_string()), None);
    }
    add("Agenda item", view.agenda_item.clone(), None);
    add(
        "Adoption",
        view.modality.map(|m| match m {
            normwatch_core::domain::Modality::WithoutVote => "without a vote".to_string(),
            normwatch_core::domain::Modality::RecordedVote => "by recorded vote".to_string(),
        }),
        None,
    );
    for (label, symbol) in [
        ("Draft", &view.draft),
        ("Committee report", &view.report),
        ("Became resolution", &view.resolution),
        ("Document meant", &view.correct_symbol),
    ] {
        add(label, symbol.as_ref().map(|s| s.to_string()), symbol.as_ref().map(|s| document_href(&s.to_string())));
    }
    if let Some(group) = &view.establishes {
        let name = catalog.group(group).and_then(|g| g.name.clone()).unwrap_or_else(|| group.clone());
        add("Establishes", Some(name), Some(format!("/groups/{group}")));
    }

    let symbol = view.symbol.to_string();
    let (series, previous, next) = match &view.series {
        Some(id) => {
            let members = catalog.series_documents(id);
            let at = members.iter().position(|d| d.symbol == view.symbol);
            let title = catalog.series(id).and_then(|s| s.title.clone()).unwrap_or_else(|| id.clone());
            let neighbour = |d: &&DocumentView| Link::document(&d.symbol.to_string());
            (
                Some(Link::new(title, format!("/series/{id}"))),
                at.and_then(|i| i.checked_sub(1)).and_then(|i| members.get(i)).map(neighbour),
                at.and_then(|i| members.get(i + 1)).map(neighbour),
            )
        }
        None => (None, None, None),
    };

    let sponsorship = view.sponsorship.as_ref().map(|s| SponsorshipBlock {
        introduced_by: links(&s.introduced_by),
        on_behalf_of: s.on_behalf_of.clone(),
        cosponsors: s.cosponsors.iter().map(|c| Link::state_code(*c)).collect(),
        total_count: s.total_count,
        joined_later_count: s.joined_later_count,
        not_sponsoring: links(&s.not_sponsoring),
    });

    DocumentPage {
        kind: view.kind.map_or_else(|| "document".to_string(), |k| k.as_str().to_string()),
        title: view.title.clone(),
        summary: view.summary.clone(),
        miscited: view.miscited,
        overview,
        series,
        previous,
        next,
        tally: view.votes.map(|v| v.to_string()),
        voted_no: view.voted_no.iter().map(|c| Link::state(*c)).collect(),
        votes,
        sponsorship,
        facts,
        conflicts: conflict_blocks(&view.conflicts),
        lists: item_lists(&view.items),
        paragraphs: view
            .paragraphs
            .iter()
            .map(|p| ParagraphCell {
                part: p.part.as_str(),
                number: p.number.map(|n| n.to_string()).unwrap_or_default(),
                text: p.text.clone(),
                source: p.source.to_string(),
            })
            .collect(),
        cite: cite(view, &catalog.sources),
        api_href: format!("/api{}", document_href(&symbol)),
        export_href: format!("/api{}?", document_href(&symbol)),
        symbol,
    }
}

/// The tables of a document, for `?table=`.
fn document_tables(view: &DocumentView, votes: Option<&votes::DocumentVotes>) -> Vec<Table> {
    let mut sources = Table::new("sources", &["field", "value", "shown", "source", "basis", "quote", "note", "origin"]);
    for s in &view.sources {
        sources.push(vec![
            json!(s.field),
            normwatch_api::fact_value(&s.value),
            json!(s.shown),
            json!(s.source.to_string()),
            json!(s.basis().as_str()),
            json!(s.quote),
            json!(s.note),
            json!(s.origin.as_ref().map(|o| o.to_string())),
        ]);
    }
    let mut sponsors = Table::new("sponsors", &["iso3", "name", "role"]);
    if let Some(s) = &view.sponsorship {
        for (list, role) in
            [(&s.introduced_by, "introduced"), (&s.cosponsors, "cosponsor"), (&s.not_sponsoring, "not_sponsoring")]
        {
            for iso3 in list {
                sponsors.push(vec![json!(iso3.to_string()), json!(iso3.info().name), json!(role)]);
            }
        }
    }
    let mut items = Table::new("items", &["list", "label", "heading", "text", "paraphrase", "source", "basis"]);
    for i in &view.items {
        items.push(vec![
            json!(i.list),
            json!(i.label),
            json!(i.heading),
            json!(i.text),
            json!(i.paraphrase),
            json!(i.source.to_string()),
            json!(i.source.basis().as_str()),
        ]);
    }
    let mut paragraphs = Table::new("paragraphs", &["part", "number", "verb", "text", "source"]);
    for p in &view.paragraphs {
        paragraphs.push(vec![
            json!(p.part.as_str()),
            json!(p.number),
            json!(p.verb.map(|v| v.as_str())),
            json!(p.text),
            json!(p.source.to_string()),
        ]);
    }
    let mut tables = vec![sources, sponsors, items, paragraphs];
    if let Some(votes) = votes {
        tables.extend(votes.tables());
    }
    tables
}

pub async fn document_page(app: &App, input: &str) -> Result<Response, AppError> {
    let view = match app.store().find_document(input).await? {
        Ok(view) => view,
        Err(nf) => {
            return Err(AppError::missing(
                nf.message,
                nf.suggestions.iter().map(|s| Suggestion::document(s)).collect(),
                false,
            ));
        }
    };
    let catalog = app.catalog().await?;
    let votes = votes::document_votes(app, &view).await?;
    Ok(document(&view, &catalog, votes).into_response())
}

pub async fn api_document(
    State(state): State<AppState>,
    Path(input): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    let view = match state.app.store().find_document(&input).await? {
        Ok(view) => view,
        Err(nf) => {
            return Err(AppError::missing(
                nf.message,
                nf.suggestions.iter().map(|s| Suggestion::document(s)).collect(),
                true,
            ));
        }
    };
    if params.get("table").is_some() {
        let votes = votes::document_votes(&state.app, &view).await?;
        return table_response(&params, document_tables(&view, votes.as_ref()));
    }
    Ok(json_response(StatusCode::OK, &DocumentJson::from(&view)))
}

/// Whether a document passes the list filters shared by `/api/documents` and the timeline.
pub fn document_matches(view: &DocumentView, params: &Params, bodies: Option<&[String]>) -> bool {
    let year = view.year.or_else(|| view.symbol.year_hint());
    let state = params.get("state").and_then(|s| Iso3::parse(s).ok());
    params.get("series").is_none_or(|s| view.series.as_deref() == Some(s))
        && params.get("kind").is_none_or(|k| view.kind.is_some_and(|v| v.as_str() == k) || k == "document")
        && params.get("committee").is_none_or(|c| view.committee.is_some_and(|v| v.as_str().eq_ignore_ascii_case(c)))
        && params.get("stream").is_none_or(|s| view.stream.is_some_and(|v| v.as_str() == s))
        && bodies.is_none_or(|list| view.body.as_ref().is_some_and(|b| list.contains(b)))
        && params.get("year").and_then(|y| y.parse::<i32>().ok()).is_none_or(|y| year == Some(y))
        && params.get("from").and_then(|y| y.parse::<i32>().ok()).is_none_or(|y| year.is_some_and(|v| v >= y))
        && params.get("to").and_then(|y| y.parse::<i32>().ok()).is_none_or(|y| year.is_some_and(|v| v <= y))
        && (params.get("state").is_none() || state.is_some_and(|s| involves(view, s)))
}

/// Whether a document names a state: as sponsor, co-sponsor, non-sponsor or "no" voter.
pub fn involves(view: &DocumentView, state: Iso3) -> bool {
    view.voted_no.contains(&state)
        || view.sponsorship.as_ref().is_some_and(|s| {
            s.introduced_by.contains(&state) || s.cosponsors.contains(&state) || s.not_sponsoring.contains(&state)
        })
}

pub async fn api_documents(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    let catalog = state.app.catalog().await?;
    let bodies = params.get("body").map(|b| catalog.body_and_descendants(b));
    let list: Vec<DocumentSummaryJson> = catalog
        .documents
        .iter()
        .filter(|d| document_matches(d, &params, bodies.as_deref()))
        .map(DocumentSummaryJson::from)
        .collect();
    list_response(&uri, &params, list, documents_table)
}

pub fn documents_table(list: &[DocumentSummaryJson]) -> Table {
    let mut table = Table::new(
        "documents",
        &[
            "symbol",
            "kind",
            "title",
            "year",
            "series",
            "body",
            "committee",
            "stream",
            "adopted_on",
            "modality",
            "yes",
            "no",
            "abstain",
            "conflicts",
        ],
    );
    for d in list {
        table.push(vec![
            json!(d.symbol),
            json!(d.kind),
            json!(d.title),
            json!(d.year),
            json!(d.series),
            json!(d.body),
            json!(d.committee),
            json!(d.stream),
            json!(d.adopted_on),
            json!(d.modality),
            json!(d.votes.as_ref().map(|v| v.yes)),
            json!(d.votes.as_ref().map(|v| v.no)),
            json!(d.votes.as_ref().map(|v| v.abstain)),
            json!(d.conflicts),
        ]);
    }
    table
}

pub async fn api_stats(State(state): State<AppState>) -> Result<Response, AppError> {
    Ok(json_response(StatusCode::OK, &KbStatsJson::from(&state.app.store().stats().await?)))
}

/// The regional-group chart of a document's adoption vote, or `None` without roll-call data.
pub fn votes_chart(symbol: &str, groups: &[votes::GroupRow]) -> String {
    let categories: Vec<String> = groups.iter().map(|g| g.code.clone()).collect();
    let series = [
        ("Yes", charts::YES, VoteValue::Yes),
        ("No", charts::NO, VoteValue::No),
        ("Abstain", charts::ABSTAIN, VoteValue::Abstain),
        ("Non-voting", charts::NON_VOTING, VoteValue::NonVoting),
    ]
    .into_iter()
    .map(|(label, color, vote)| Series {
        label: label.to_string(),
        color,
        values: groups.iter().map(|g| Some(f64::from(g.count(vote)))).collect(),
    })
    .collect::<Vec<_>>();
    charts::stacked_bars(
        &format!("{symbol}: votes by UN regional group"),
        "Yes, no, abstain and non-voting counts of the adoption vote for each UN regional group, from the imported roll-call data.",
        &categories,
        &series,
    )
}

/// `/api/figures/document-votes.svg?symbol=…`.
pub async fn document_votes_svg(app: &App, params: &Params) -> Result<String, AppError> {
    let input = params.get("symbol").unwrap_or_default();
    let view = match app.store().find_document(input).await? {
        Ok(view) => view,
        Err(nf) => {
            return Err(AppError::missing(
                nf.message,
                nf.suggestions.iter().map(|s| Suggestion::document(s)).collect(),
                true,
            ));
        }
    };
    match votes::document_votes(app, &view).await? {
        Some(v) => Ok(v.chart),
        None => {
            Err(AppError::not_found_api(format!("no roll-call data for {} has been imported", view.symbol), Vec::new()))
        }
    }
}

pub fn figure_href(name: &str, key: &str, value: &str) -> String {
    format!("/api/figures/{name}.svg?{key}={}", encode_query(value))
}

// ---------------------------------------------------------------------------------------
// Not found

#[derive(Template, WebTemplate)]
#[template(path = "not_found.html")]
pub struct NotFoundPage {
    pub message: String,
    pub suggestions: Vec<Suggestion>,
}

pub fn not_found(message: &str, suggestions: Vec<Suggestion>) -> NotFoundPage {
    NotFoundPage { message: message.to_string(), suggestions }
}
