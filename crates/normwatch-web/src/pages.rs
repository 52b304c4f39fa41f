//! The home page and the document page, with the document API answers.
//!
//! Layer 6: refers to `votes` and to the layers below it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use normwatch_core::domain::Stream;
use normwatch_core::kb::{FactValue, SourceInfo};
use normwatch_core::view::{DocumentView, FieldSource};
use normwatch_core::{Iso3, Symbol};
use serde_json::json;

use crate::ctx::Ctx;
use crate::error::{ApiError, PageError};
use crate::filters::{ApiQuery, DocumentsQuery, FigureQuery, TableQuery};
use crate::http::{json_response, list_response, table_response};
use crate::routes;
use crate::ui::{
    ConflictBlock, FIELDS, ItemList, Link, SourceCell, conflict_blocks, item_lists, items_table, source_cell,
    sources_table, stream_label, year_label,
};
use crate::votes;
use normwatch_api::{DocumentJson, DocumentSummaryJson, KbStatsJson, NotFoundJson, OrTable, Table, citation};
use normwatch_app::{App, Catalog};

// ---------------------------------------------------------------------------------------
// Home

pub struct Count {
    pub label: &'static str,
    pub value: usize,
    pub href: &'static str,
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
    pub series: Vec<crate::ui::SeriesRow>,
    pub documents: Vec<DocumentRow>,
    pub incidents: Vec<Link>,
}

pub fn document_row(view: &DocumentView) -> DocumentRow {
    let symbol = view.symbol.to_string();
    DocumentRow {
        href: routes::document(&symbol),
        year: year_label(view),
        kind: view.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
        title: view.title.clone().or_else(|| view.summary.clone()).unwrap_or_default(),
        symbol,
    }
}

pub async fn home(State(ctx): State<Ctx>) -> Result<Response, PageError> {
    let catalog = ctx.app().catalog().await?;
    let streams = Stream::ALL
        .iter()
        .map(|s| StreamRow {
            label: stream_label(*s),
            href: routes::stream(s.as_str()),
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
                routes::event(&e.id),
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
        series: crate::ui::series_rows(&catalog),
        documents: catalog.documents.iter().map(document_row).collect(),
        incidents,
    }
    .into_response())
}

// ---------------------------------------------------------------------------------------
// Document

pub struct FactRow {
    pub field: &'static str,
    pub label: &'static str,
    pub value: String,
    pub href: Option<String>,
    pub sources: Vec<SourceCell>,
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
    /// Diffs with the draft and the previous resolution of the series, where both texts
    /// are held (filled by the page handler).
    pub compare: Vec<Link>,
    pub cite: String,
    pub api_href: String,
    pub export_href: String,
}

/// Where a field's value links: documents, series, groups, bodies.
fn value_href(field: &str, value: &FactValue) -> Option<String> {
    match (field, value) {
        (_, FactValue::Symbol(symbol)) => Some(routes::document(&symbol.to_string())),
        ("series", FactValue::Id(id)) => Some(routes::series(id)),
        ("establishes", FactValue::Id(id)) => Some(routes::group(id)),
        ("body", FactValue::Id(id)) => Some(routes::body(id)),
        _ => None,
    }
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
    add("Body", view.body.as_ref().map(|b| catalog.body_label(b)), view.body.as_ref().map(|b| routes::body(b)));
    add("Committee", view.committee.map(|c| format!("{c} Committee")), None);
    add("Stream", view.stream.map(|s| stream_label(s).to_string()), view.stream.map(|s| routes::stream(s.as_str())));
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
        add(label, symbol.as_ref().map(|s| s.to_string()), symbol.as_ref().map(|s| routes::document(&s.to_string())));
    }
    if let Some(group) = &view.establishes {
        let name = catalog.group(group).and_then(|g| g.name.clone()).unwrap_or_else(|| group.clone());
        add("Establishes", Some(name), Some(routes::group(group)));
    }

    let symbol = view.symbol.to_string();
    let (series, previous, next) = match &view.series {
        Some(id) => {
            let members = catalog.series_documents(id);
            let at = members.iter().position(|d| d.symbol == view.symbol);
            let title = catalog.series(id).and_then(|s| s.title.clone()).unwrap_or_else(|| id.clone());
            let neighbour = |d: &&DocumentView| Link::document(&d.symbol.to_string());
            (
                Some(Link::new(title, routes::series(id))),
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
        compare: Vec::new(),
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
        api_href: routes::api_record(normwatch_core::kb::RecordKind::Document, &symbol),
        export_href: format!("{}?", routes::api_record(normwatch_core::kb::RecordKind::Document, &symbol)),
        symbol,
    }
}

/// The tables of a document, for `?table=`.
fn document_tables(view: &DocumentView, votes: Option<&votes::DocumentVotes>) -> Vec<Table> {
    let sources = sources_table(&view.sources);
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
    let items = items_table(&view.items);
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

/// `/documents/{symbol}`: any spelling of a symbol (R/60/45, a/res/60/45) redirects to
/// the canonical page.
pub async fn document_page(State(ctx): State<Ctx>, Path(input): Path<String>) -> Result<Response, PageError> {
    if let Ok(symbol) = Symbol::parse(&input)
        && symbol.to_string() != input
    {
        return Ok(Redirect::permanent(&routes::document(&symbol.to_string())).into_response());
    }
    let app = ctx.app();
    let view = app.store().find_document(&input).await?.map_err(PageError::unknown_document)?;
    let catalog = app.catalog().await?;
    let votes = votes::document_votes(app, &view).await?;
    let mut page = document(&view, &catalog, votes);
    page.compare = compare_links(app, &view, &catalog).await;
    Ok(page.into_response())
}

/// "Compare with the draft" (its `draft`, or a draft whose `resolution` names it) and
/// "compare with the previous resolution in the series", each only where both texts are
/// held (an imported text or the knowledge base's reviewed paragraphs).
async fn compare_links(app: &normwatch_app::App, view: &DocumentView, catalog: &Catalog) -> Vec<Link> {
    let this = view.symbol.to_string();
    if app.paragraphs(&this).await.is_err() {
        return Vec::new();
    }
    let mut candidates: Vec<(String, String)> = Vec::new();
    let drafts = view.draft.iter().cloned().chain(
        catalog.documents.iter().filter(|d| d.resolution.as_ref() == Some(&view.symbol)).map(|d| d.symbol.clone()),
    );
    for draft in drafts {
        let draft = draft.to_string();
        if draft != this && !candidates.iter().any(|(s, _)| *s == draft) {
            candidates.push((draft.clone(), format!("Compare with the draft {draft}")));
        }
    }
    if let Some(id) = &view.series {
        let members = catalog.series_documents(id);
        let at = members.iter().position(|d| d.symbol == view.symbol);
        if let Some(previous) = at.and_then(|i| i.checked_sub(1)).and_then(|i| members.get(i)) {
            let previous = previous.symbol.to_string();
            candidates
                .push((previous.clone(), format!("Compare with the previous resolution in the series, {previous}")));
        }
    }
    let mut links = Vec::new();
    for (other, label) in candidates {
        if app.paragraphs(&other).await.is_ok() {
            links.push(Link::new(label, routes::diff(&other, &this)));
        }
    }
    links
}

/// One document with every claim, its source, and the conflicts between sources; with
/// `?table=sources|sponsors|items|paragraphs|votes|votes-by-group`, one of its tables.
#[utoipa::path(
    get,
    path = "/api/documents/{*symbol}",
    tag = "documents",
    params(("symbol" = String, Path, description = "A document symbol in any common spelling: `A/RES/53/70`, `R/53/70`"), TableQuery),
    responses(
        (status = 200, description = "The document (the contract of `normwatch show --json`), or one of its tables", content(
            (OrTable<DocumentJson> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 404, description = "No such document (with the symbols meant) or no such table", body = NotFoundJson),
    )
)]
pub async fn api_document(
    State(ctx): State<Ctx>,
    Path(input): Path<String>,
    ApiQuery(query): ApiQuery<TableQuery>,
) -> Result<Response, ApiError> {
    // The serialized answer is kept per store revision by the API layer (`http::api_layer`).
    let app = ctx.app();
    let view = app.store().find_document(&input).await?.map_err(ApiError::unknown_document)?;
    if query.table.is_some() {
        let votes = votes::document_votes(app, &view).await?;
        return table_response(&query, document_tables(&view, votes.as_ref()));
    }
    json_response(&DocumentJson::from(&view))
}

/// Every document, filtered; paged, or exported whole with `format`.
#[utoipa::path(
    get,
    path = "/api/documents",
    tag = "documents",
    params(DocumentsQuery),
    responses(
        (status = 200, description = "The documents that pass the filters (`X-Total-Count` gives their number, `Link` the next and previous pages)", content(
            (Vec<DocumentSummaryJson> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "A filter that cannot be read, with the reason", body = NotFoundJson),
    )
)]
pub async fn api_documents(
    State(ctx): State<Ctx>,
    uri: Uri,
    ApiQuery(query): ApiQuery<DocumentsQuery>,
) -> Result<Response, ApiError> {
    let catalog = ctx.app().catalog().await?;
    let bodies = query.body.as_ref().map(|b| catalog.body_and_descendants(b));
    let filter = query.filter();
    let list: Vec<DocumentSummaryJson> = catalog
        .documents
        .iter()
        .filter(|d| filter.matches(d, bodies.as_deref()))
        .map(DocumentSummaryJson::from)
        .collect();
    list_response(&uri, query.paging(), list, documents_table)
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

/// What the database holds: records per kind, claims per basis, conflicts.
#[utoipa::path(
    get,
    path = "/api/stats",
    tag = "knowledge base",
    responses((status = 200, description = "The contract of `normwatch kb stats --json`", body = KbStatsJson))
)]
pub async fn api_stats(State(ctx): State<Ctx>) -> Result<Response, ApiError> {
    json_response(&KbStatsJson::from(&ctx.app().store().stats().await?))
}

/// `/api/figures/document-votes.svg?symbol=…`.
pub async fn document_votes_svg(app: &App, query: &FigureQuery) -> Result<String, ApiError> {
    let input = query.symbol.as_deref().unwrap_or_default();
    let view = app.store().find_document(input).await?.map_err(ApiError::unknown_document)?;
    match votes::document_votes(app, &view).await? {
        Some(v) => Ok(v.chart),
        None => {
            Err(ApiError::not_found(format!("no roll-call data for {} has been imported", view.symbol), Vec::new()))
        }
    }
}
