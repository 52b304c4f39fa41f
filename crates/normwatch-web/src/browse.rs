//! Series, expert groups, bodies, events and actors: their pages and their API answers.

//!
//! Layer 6: refers to `measurement` and to the layers below it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use normwatch_core::Iso3;
use normwatch_core::domain::{DocumentKind, Modality};
use normwatch_core::kb::RecordKind;
use normwatch_core::state::RegionalGroup;
use normwatch_core::view::{DocumentView, GroupView};
use serde_json::json;

use crate::charts::{self, Series};
use crate::ctx::Ctx;
use crate::error::{ApiError, PageError};
use crate::filters::{ApiQuery, GroupsQuery, RecordsQuery, SeriesQuery, TableQuery};
use crate::http::{json_response, list_response, table_response};
use crate::measurement;
use crate::routes;
use crate::ui::{
    ConflictBlock, Figure, ItemList, Link, SourceRow, conflict_blocks, item_lists, items_table, label_of, source_rows,
    sources_table, stream_label, year_label, year_span,
};
use normwatch_api::{GroupJson, ItemJson, NotFoundJson, OrTable, RecordJson, SeriesJson, SourceJson, Table};
use normwatch_app::App;
use normwatch_app::catalog::{Catalog, RecordView};

/// The addresses of the records of a kind whose ids are close to `id`, else the list of
/// the kind (events and actors have no list page); `record` and `list` build the addresses
/// (of pages or of API answers).
fn near(
    kind: RecordKind,
    catalog: &Catalog,
    id: &str,
    record: fn(RecordKind, &str) -> String,
    list: fn(RecordKind) -> String,
) -> Vec<String> {
    let mut suggestions: Vec<String> = catalog.suggest(kind, id).into_iter().map(|s| record(kind, &s)).collect();
    if suggestions.is_empty() && kind != RecordKind::Event && kind != RecordKind::Actor {
        suggestions.push(list(kind));
    }
    suggestions
}

fn unknown_message(kind: RecordKind, id: &str) -> String {
    format!("There is no {} `{id}` in the knowledge base.", kind.as_str())
}

fn unknown_page(kind: RecordKind, catalog: &Catalog, id: &str) -> PageError {
    PageError::not_found_paths(unknown_message(kind, id), near(kind, catalog, id, routes::record, routes::list))
}

fn unknown_api(kind: RecordKind, catalog: &Catalog, id: &str) -> ApiError {
    ApiError::not_found(unknown_message(kind, id), near(kind, catalog, id, routes::api_record, routes::api_list))
}

// ---------------------------------------------------------------------------------------
// Series

#[derive(Template, WebTemplate)]
#[template(path = "series_index.html")]
pub struct SeriesIndex {
    pub series: Vec<crate::ui::SeriesRow>,
}

pub async fn series_index(State(ctx): State<Ctx>) -> Result<Response, PageError> {
    let catalog = ctx.app().catalog().await?;
    Ok(SeriesIndex { series: crate::ui::series_rows(&catalog) }.into_response())
}

pub struct SeriesDocRow {
    pub year: String,
    pub link: Link,
    pub kind: String,
    /// The title, or nothing when it is the one of the row above (a series repeats its
    /// title from year to year).
    pub title: String,
    pub adoption: String,
    pub votes: String,
    pub sponsors: String,
}

pub struct Change {
    pub link: Link,
    pub year: String,
    pub text: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "series.html")]
pub struct SeriesPage {
    pub id: String,
    pub title: String,
    pub facts: Vec<(String, String, Option<String>)>,
    pub summary: Option<String>,
    pub documents: Vec<SeriesDocRow>,
    pub figures: Vec<Figure>,
    pub changes: Vec<Change>,
    pub sources: Vec<SourceRow>,
    pub conflicts: Vec<ConflictBlock>,
    pub export_href: String,
}

fn is_resolution(d: &DocumentView) -> bool {
    d.kind == Some(DocumentKind::Resolution)
}

/// The number of sponsors a source counts, else the states named.
fn sponsor_count(d: &DocumentView) -> Option<u32> {
    let s = d.sponsorship.as_ref()?;
    s.total_count.or_else(|| {
        let named = s.introduced_by.iter().chain(&s.cosponsors).collect::<std::collections::BTreeSet<_>>().len();
        (named > 0).then_some(named as u32)
    })
}

fn sponsorship_svg(id: &str, docs: &[&DocumentView]) -> Option<String> {
    let with: Vec<&&DocumentView> = docs.iter().filter(|d| is_resolution(d) && sponsor_count(d).is_some()).collect();
    if with.is_empty() {
        return None;
    }
    let categories: Vec<String> = with
        .iter()
        .map(|d| {
            format!("{} {}", year_label(d), d.symbol.ga_session().map(|s| format!("({s})")).unwrap_or_default())
                .trim()
                .to_string()
        })
        .collect();
    let series = [Series {
        label: "Sponsors".into(),
        color: charts::ACCENT,
        values: with.iter().map(|d| sponsor_count(d).map(f64::from)).collect(),
    }];
    Some(charts::stacked_bars(
        &format!("Sponsors per resolution: {id}"),
        "The number of sponsors of each resolution of the series, as its sources count them (else the states they name).",
        &categories,
        &series,
    ))
}

fn votes_svg(id: &str, docs: &[&DocumentView]) -> Option<String> {
    let voted: Vec<&&DocumentView> = docs
        .iter()
        .filter(|d| is_resolution(d) && (d.votes.is_some() || d.modality == Some(Modality::WithoutVote)))
        .collect();
    if !voted.iter().any(|d| d.votes.is_some()) {
        return None;
    }
    let categories: Vec<String> = voted.iter().map(|d| year_label(d)).collect();
    let pick = |f: fn(&normwatch_core::domain::VoteCounts) -> u32| {
        voted.iter().map(|d| d.votes.as_ref().map(|v| f64::from(f(v)))).collect()
    };
    let series = [
        Series { label: "Yes".into(), color: charts::YES, values: pick(|v| v.yes) },
        Series { label: "No".into(), color: charts::NO, values: pick(|v| v.no) },
        Series { label: "Abstain".into(), color: charts::ABSTAIN, values: pick(|v| v.abstain) },
    ];
    Some(charts::stacked_bars(
        &format!("Recorded votes per resolution: {id}"),
        "Yes, no and abstain in the plenary's recorded vote on each resolution of the series; years without a bar adopted the resolution without a vote.",
        &categories,
        &series,
    ))
}

/// `/api/figures/series-sponsorship.svg?id=…` and `series-votes`.
pub async fn series_svg(app: &App, which: &str, id: &str) -> Result<String, ApiError> {
    let catalog = app.catalog().await?;
    if catalog.series(id).is_none() {
        return Err(unknown_api(RecordKind::Series, &catalog, id));
    }
    let docs = catalog.series_documents(id);
    let svg = if which == "series-votes" { votes_svg(id, &docs) } else { sponsorship_svg(id, &docs) };
    svg.ok_or_else(|| ApiError::not_found(format!("the series `{id}` has no data for this figure"), Vec::new()))
}

fn series_tables(docs: &[&DocumentView]) -> Vec<Table> {
    let mut documents = Table::new(
        "documents",
        &["year", "symbol", "kind", "title", "adopted_on", "modality", "yes", "no", "abstain", "sponsors", "changes"],
    );
    for d in docs {
        documents.push(vec![
            json!(d.year.or_else(|| d.symbol.year_hint())),
            json!(d.symbol.to_string()),
            json!(d.kind.map(|k| k.as_str())),
            json!(d.title),
            json!(d.adopted_on.map(|x| x.to_string())),
            json!(d.modality.map(|m| m.as_str())),
            json!(d.votes.map(|v| v.yes)),
            json!(d.votes.map(|v| v.no)),
            json!(d.votes.map(|v| v.abstain)),
            json!(sponsor_count(d)),
            json!(d.changes),
        ]);
    }
    vec![documents]
}

pub async fn series_page(State(ctx): State<Ctx>, Path(id): Path<String>) -> Result<Response, PageError> {
    let catalog = ctx.app().catalog().await?;
    let Some(series) = catalog.series(&id) else { return Err(unknown_page(RecordKind::Series, &catalog, &id)) };
    let docs = catalog.series_documents(&id);
    let mut facts = Vec::new();
    if let Some(c) = series.committee {
        facts.push(("Committee".to_string(), format!("{c} Committee"), None));
    }
    if let Some(s) = series.stream {
        facts.push(("Stream".to_string(), stream_label(s).to_string(), Some(routes::stream(s.as_str()))));
    }
    if let Some(b) = &series.body {
        facts.push(("Body".to_string(), catalog.body_label(b), Some(routes::body(b))));
    }
    if let Some(a) = &series.agenda_item {
        facts.push(("Agenda item".to_string(), a.clone(), None));
    }
    let mut figures = Vec::new();
    if let Some(svg) = sponsorship_svg(&id, &docs) {
        figures.push(Figure {
            svg,
            href: routes::figure("series-sponsorship", "id", &id),
            name: format!("{id}-sponsorship"),
            caption: "Co-sponsorship over time.".into(),
        });
    }
    if let Some(svg) = votes_svg(&id, &docs) {
        figures.push(Figure {
            svg,
            href: routes::figure("series-votes", "id", &id),
            name: format!("{id}-votes"),
            caption: "Recorded votes over time.".into(),
        });
    }
    if let Some(figure) = measurement::series_figure(ctx.app(), &id).await? {
        figures.push(figure);
    }
    let mut previous_title: Option<&str> = None;
    Ok(SeriesPage {
        title: series.title.clone().unwrap_or_else(|| id.clone()),
        facts,
        summary: series.summary.clone(),
        documents: docs
            .iter()
            .map(|d| SeriesDocRow {
                year: year_label(d),
                link: Link::document(&d.symbol.to_string()),
                kind: d.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
                title: {
                    let title = d.title.as_deref();
                    let repeated = title.is_some() && title == previous_title;
                    previous_title = title;
                    if repeated { String::new() } else { title.unwrap_or_default().to_string() }
                },
                adoption: match d.modality {
                    Some(Modality::WithoutVote) => "without a vote".into(),
                    Some(Modality::RecordedVote) => "recorded vote".into(),
                    None => String::new(),
                },
                votes: d.votes.map(|v| v.to_string()).unwrap_or_default(),
                sponsors: sponsor_count(d).map(|n| n.to_string()).unwrap_or_default(),
            })
            .collect(),
        figures,
        changes: docs
            .iter()
            .filter_map(|d| {
                d.changes.as_ref().map(|text| Change {
                    link: Link::document(&d.symbol.to_string()),
                    year: year_label(d),
                    text: text.clone(),
                })
            })
            .collect(),
        sources: source_rows(&series.sources),
        conflicts: conflict_blocks(&series.conflicts),
        export_href: format!("{}?", routes::api_record(RecordKind::Series, &id)),
        id,
    }
    .into_response())
}

fn series_json(catalog: &Catalog, id: &str) -> Option<SeriesJson> {
    let series = catalog.series(id)?;
    let docs: Vec<DocumentView> = catalog.series_documents(id).into_iter().cloned().collect();
    Some(SeriesJson::new(series, &docs))
}

/// The resolution series; paged, or exported whole with `format`.
#[utoipa::path(
    get,
    path = "/api/series",
    tag = "series",
    params(SeriesQuery),
    responses(
        (status = 200, description = "The series (the contract of `normwatch series list --json`)", content(
            (Vec<SeriesJson> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "A filter that cannot be read", body = NotFoundJson),
    )
)]
pub async fn api_series_list(
    State(ctx): State<Ctx>,
    uri: Uri,
    ApiQuery(query): ApiQuery<SeriesQuery>,
) -> Result<Response, ApiError> {
    let catalog = ctx.app().catalog().await?;
    let list: Vec<SeriesJson> = catalog
        .series
        .iter()
        .filter(|s| query.committee.is_none_or(|c| s.committee == Some(c.0)))
        .filter(|s| query.stream.is_none_or(|c| s.stream == Some(c)))
        .filter_map(|s| series_json(&catalog, &s.id))
        .collect();
    list_response(&uri, query.paging(), list, |page| {
        let mut table =
            Table::new("series", &["id", "title", "committee", "stream", "body", "agenda_item", "documents"]);
        for s in page {
            table.push(vec![
                json!(s.id),
                json!(s.title),
                json!(s.committee),
                json!(s.stream),
                json!(s.body),
                json!(s.agenda_item),
                json!(s.documents),
            ]);
        }
        table
    })
}

/// One series with its documents; `?table=documents|sources` exports one table.
#[utoipa::path(
    get,
    path = "/api/series/{id}",
    tag = "series",
    params(("id" = String, Path, description = "The series id"), TableQuery),
    responses(
        (status = 200, description = "The series, or one of its tables", content(
            (OrTable<SeriesJson> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 404, description = "No such series (with the ids meant) or table", body = NotFoundJson),
    )
)]
pub async fn api_series(
    State(ctx): State<Ctx>,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<TableQuery>,
) -> Result<Response, ApiError> {
    let catalog = ctx.app().catalog().await?;
    let Some(json) = series_json(&catalog, &id) else { return Err(unknown_api(RecordKind::Series, &catalog, &id)) };
    if query.table.is_some() {
        let docs = catalog.series_documents(&id);
        let mut tables = series_tables(&docs);
        if let Some(series) = catalog.series(&id) {
            tables.push(sources_table(&series.sources));
        }
        return table_response(&query, tables);
    }
    json_response(&json)
}

// ---------------------------------------------------------------------------------------
// Expert groups

pub struct GroupRow {
    pub link: Link,
    pub kind: String,
    pub years: String,
    pub members: String,
    pub outcome: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "groups.html")]
pub struct GroupsIndex {
    pub groups: Vec<GroupRow>,
}

pub async fn groups_index(State(ctx): State<Ctx>) -> Result<Response, PageError> {
    let catalog = ctx.app().catalog().await?;
    Ok(GroupsIndex {
        groups: catalog
            .groups
            .iter()
            .map(|g| {
                let json = GroupJson::from(g);
                GroupRow {
                    link: Link::new(g.name.clone().unwrap_or_else(|| g.id.clone()), routes::group(&g.id)),
                    kind: g.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
                    years: year_span(g.start_year, g.end_year),
                    members: json.member_count.map(|n| n.to_string()).unwrap_or_default(),
                    outcome: g.outcome.map(|o| o.as_str().replace('_', " ")).unwrap_or_default(),
                }
            })
            .collect(),
    }
    .into_response())
}

pub struct RegionMembers {
    pub name: &'static str,
    pub code: &'static str,
    pub members: Vec<Link>,
}

#[derive(Template, WebTemplate)]
#[template(path = "group.html")]
pub struct GroupPage {
    pub id: String,
    pub name: String,
    pub facts: Vec<(String, String, Option<String>)>,
    pub summary: Option<String>,
    pub regions: Vec<RegionMembers>,
    pub member_count: Option<u32>,
    pub lists: Vec<ItemList>,
    pub sources: Vec<SourceRow>,
    pub conflicts: Vec<ConflictBlock>,
    pub export_href: String,
}

fn region_of(state: Iso3) -> Option<RegionalGroup> {
    state.info().regional_group
}

fn group_tables(g: &GroupView) -> Vec<Table> {
    let mut members = Table::new("members", &["iso3", "name", "regional_group", "chair"]);
    for m in &g.members {
        members.push(vec![
            json!(m.to_string()),
            json!(m.info().name),
            json!(region_of(*m).map(|r| r.code())),
            json!(g.chair == Some(*m)),
        ]);
    }
    let items = items_table(&g.items);
    vec![members, items, sources_table(&g.sources)]
}

pub async fn group_page(State(ctx): State<Ctx>, Path(id): Path<String>) -> Result<Response, PageError> {
    let catalog = ctx.app().catalog().await?;
    let Some(g) = catalog.group(&id) else { return Err(unknown_page(RecordKind::Group, &catalog, &id)) };
    let mut facts: Vec<(String, String, Option<String>)> = Vec::new();
    if let Some(k) = g.kind {
        facts.push(("Kind".into(), k.as_str().to_string(), None));
    }
    if let Some(b) = &g.body {
        facts.push(("Body".into(), catalog.body_label(b), Some(routes::body(b))));
    }
    if let Some(s) = &g.established_by {
        let symbol = s.to_string();
        let title =
            catalog.document(&symbol).and_then(|d| d.title.clone()).map(|t| format!(" — {t}")).unwrap_or_default();
        facts.push(("Mandate".into(), format!("{symbol}{title}"), Some(routes::document(&symbol))));
    }
    let span = year_span(g.start_year, g.end_year);
    if !span.is_empty() {
        facts.push(("Years".into(), span, None));
    }
    if let Some(c) = g.chair {
        let person = g.chair_person.as_ref().map(|p| format!("{p}, ")).unwrap_or_default();
        facts.push(("Chair".into(), format!("{person}{}", c.info().name), Some(routes::state(c.as_str()))));
    } else if let Some(p) = &g.chair_person {
        facts.push(("Chair".into(), p.clone(), None));
    }
    if let Some(n) = g.meetings {
        facts.push(("Meetings".into(), n.to_string(), None));
    }
    if let Some(o) = g.outcome {
        facts.push(("Outcome".into(), o.as_str().replace('_', " "), None));
    }
    if let Some(r) = &g.report {
        facts.push(("Report".into(), r.to_string(), Some(routes::document(&r.to_string()))));
    }
    let mut regions: Vec<RegionMembers> = RegionalGroup::ALL
        .iter()
        .map(|r| RegionMembers { name: r.name(), code: r.code(), members: Vec::new() })
        .collect();
    regions.push(RegionMembers { name: "In no regional group", code: "none", members: Vec::new() });
    for m in &g.members {
        let slot = region_of(*m)
            .and_then(|r| RegionalGroup::ALL.iter().position(|x| *x == r))
            .unwrap_or(RegionalGroup::ALL.len());
        let mut link = Link::state(*m);
        if g.chair == Some(*m) {
            link.label.push_str(" — chair");
        }
        regions[slot].members.push(link);
    }
    regions.retain(|r| !r.members.is_empty());
    Ok(GroupPage {
        name: g.name.clone().unwrap_or_else(|| id.clone()),
        facts,
        summary: g.summary.clone(),
        regions,
        member_count: GroupJson::from(g).member_count,
        lists: item_lists(&g.items),
        sources: source_rows(&g.sources),
        conflicts: conflict_blocks(&g.conflicts),
        export_href: format!("{}?", routes::api_record(RecordKind::Group, &id)),
        id,
    }
    .into_response())
}

/// The expert groups; paged, or exported whole with `format`.
#[utoipa::path(
    get,
    path = "/api/groups",
    tag = "groups",
    params(GroupsQuery),
    responses(
        (status = 200, description = "The groups (the contract of `normwatch groups --json`)", content(
            (Vec<GroupJson> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "A filter that cannot be read", body = NotFoundJson),
    )
)]
pub async fn api_groups(
    State(ctx): State<Ctx>,
    uri: Uri,
    ApiQuery(query): ApiQuery<GroupsQuery>,
) -> Result<Response, ApiError> {
    let catalog = ctx.app().catalog().await?;
    let list: Vec<GroupJson> = catalog
        .groups
        .iter()
        .filter(|g| query.kind.is_none_or(|k| g.kind == Some(k)))
        .filter(|g| query.state.is_none_or(|s| g.members.contains(&s)))
        .map(GroupJson::from)
        .collect();
    list_response(&uri, query.paging(), list, |page| {
        let mut table = Table::new(
            "groups",
            &[
                "id",
                "name",
                "kind",
                "body",
                "established_by",
                "start_year",
                "end_year",
                "member_count",
                "chair",
                "outcome",
                "report",
                "members",
            ],
        );
        for g in page {
            table.push(vec![
                json!(g.id),
                json!(g.name),
                json!(g.kind),
                json!(g.body),
                json!(g.established_by),
                json!(g.start_year),
                json!(g.end_year),
                json!(g.member_count),
                json!(g.chair),
                json!(g.outcome),
                json!(g.report),
                json!(g.members),
            ]);
        }
        table
    })
}

/// One expert group; `?table=members|items|sources` exports one table.
#[utoipa::path(
    get,
    path = "/api/groups/{id}",
    tag = "groups",
    params(("id" = String, Path, description = "The group id"), TableQuery),
    responses(
        (status = 200, description = "The group, or one of its tables", content(
            (OrTable<GroupJson> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 404, description = "No such group (with the ids meant) or table", body = NotFoundJson),
    )
)]
pub async fn api_group(
    State(ctx): State<Ctx>,
    Path(id): Path<String>,
    ApiQuery(query): ApiQuery<TableQuery>,
) -> Result<Response, ApiError> {
    let catalog = ctx.app().catalog().await?;
    let Some(g) = catalog.group(&id) else { return Err(unknown_api(RecordKind::Group, &catalog, &id)) };
    if query.table.is_some() {
        return table_response(&query, group_tables(g));
    }
    json_response(&GroupJson::from(g))
}

// ---------------------------------------------------------------------------------------
// Bodies, events, actors

pub struct BodyNode {
    pub href: String,
    /// The body's documents on the timeline.
    pub timeline_href: String,
    pub label: String,
    pub name: String,
    pub kind: String,
    pub platform: bool,
    pub streams: String,
    pub documents: usize,
    pub depth: usize,
    pub relation: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "bodies.html")]
pub struct BodiesPage {
    pub nodes: Vec<BodyNode>,
    pub platforms: Vec<Link>,
}

/// The bodies in the order of the hierarchy (roots first, each followed by its children).
fn body_tree(catalog: &Catalog) -> Vec<(usize, &RecordView)> {
    fn walk<'a>(catalog: &'a Catalog, parent: Option<&str>, depth: usize, out: &mut Vec<(usize, &'a RecordView)>) {
        let mut children: Vec<&RecordView> = catalog
            .bodies
            .iter()
            .filter(|b| {
                let p = b.text("parent").filter(|p| catalog.record(RecordKind::Body, p).is_some());
                p == parent
            })
            .collect();
        children.sort_by_key(|b| b.name());
        for child in children {
            if out.iter().any(|(_, b)| b.id == child.id) || depth > 12 {
                continue;
            }
            out.push((depth, child));
            walk(catalog, Some(&child.id), depth + 1, out);
        }
    }
    let mut out = Vec::new();
    walk(catalog, None, 0, &mut out);
    out
}

fn body_documents<'a>(catalog: &'a Catalog, id: &str) -> Vec<&'a DocumentView> {
    let ids = catalog.body_and_descendants(id);
    catalog.documents.iter().filter(|d| d.body.as_ref().is_some_and(|b| ids.contains(b))).collect()
}

pub async fn bodies_page(State(ctx): State<Ctx>) -> Result<Response, PageError> {
    let catalog = ctx.app().catalog().await?;
    let nodes = body_tree(&catalog)
        .into_iter()
        .map(|(depth, b)| BodyNode {
            label: catalog.body_label(&b.id),
            name: b.text("full_name").or(b.text("name")).unwrap_or(&b.id).to_string(),
            kind: b.text("kind").unwrap_or_default().replace('-', " "),
            platform: b.flag("platform"),
            streams: b.ids("streams").join(", "),
            documents: body_documents(&catalog, &b.id).len(),
            relation: b.text("relation").map(str::to_string),
            depth,
            href: routes::body(&b.id),
            timeline_href: format!("/timeline?{}", routes::query(&[("body", Some(b.id.clone()))])),
        })
        .collect();
    let platforms = catalog
        .bodies
        .iter()
        .filter(|b| b.flag("platform"))
        .map(|b| Link::new(catalog.body_label(&b.id), routes::body(&b.id)))
        .collect();
    Ok(BodiesPage { nodes, platforms }.into_response())
}

pub struct ValueRow {
    pub label: String,
    pub value: String,
    pub links: Vec<Link>,
}

#[derive(Template, WebTemplate)]
#[template(path = "record.html")]
pub struct RecordPage {
    pub kind: &'static str,
    pub id: String,
    pub name: String,
    pub summary: Vec<String>,
    pub values: Vec<ValueRow>,
    pub related_title: String,
    pub related: Vec<Link>,
    pub lists: Vec<ItemList>,
    pub sources: Vec<SourceRow>,
    pub conflicts: Vec<ConflictBlock>,
    pub api_href: String,
    pub export_href: String,
}

fn value_links(catalog: &Catalog, field: &str, value: &normwatch_core::kb::FactValue) -> Vec<Link> {
    use normwatch_core::kb::FactValue;
    match (field, value) {
        (_, FactValue::States(list)) => list.iter().map(|s| Link::state(*s)).collect(),
        (_, FactValue::Symbol(s)) => vec![Link::document(&s.to_string())],
        ("parent" | "body", FactValue::Id(id)) => vec![Link::new(catalog.body_label(id), routes::body(id))],
        ("bodies", FactValue::Ids(ids)) => {
            ids.iter().map(|id| Link::new(catalog.body_label(id), routes::body(id))).collect()
        }
        ("groups", FactValue::Ids(ids)) => ids.iter().map(|id| Link::new(id.clone(), routes::group(id))).collect(),
        _ => Vec::new(),
    }
}

fn record_page(catalog: &Catalog, r: &RecordView) -> RecordPage {
    let kind = r.kind.as_str();
    let values = r
        .values
        .iter()
        .filter(|(f, _)| !matches!(f.as_str(), "summary" | "name"))
        .map(|(f, v)| ValueRow { label: label_of(f), value: v.to_string(), links: value_links(catalog, f, v) })
        .collect();
    let summary =
        r.sources.iter().filter(|s| s.field == "summary").map(|s| format!("{} ({})", s.value, s.source)).collect();
    let (related_title, related) = match r.kind {
        RecordKind::Body => {
            let mut related: Vec<Link> = catalog
                .bodies
                .iter()
                .filter(|b| b.text("parent") == Some(r.id.as_str()))
                .map(|b| Link::new(format!("{} (sub-body)", catalog.body_label(&b.id)), routes::body(&b.id)))
                .collect();
            related.extend(body_documents(catalog, &r.id).iter().map(|d| {
                let symbol = d.symbol.to_string();
                Link::new(format!("{symbol} — {}", d.title.clone().unwrap_or_default()), routes::document(&symbol))
            }));
            related.extend(
                catalog
                    .groups
                    .iter()
                    .filter(|g| g.body.as_deref() == Some(r.id.as_str()))
                    .map(|g| Link::new(g.name.clone().unwrap_or_else(|| g.id.clone()), routes::group(&g.id))),
            );
            ("Sub-bodies, documents and groups".to_string(), related)
        }
        RecordKind::Actor => (
            "Groups".to_string(),
            r.ids("groups")
                .iter()
                .map(|g| {
                    Link::new(
                        catalog.group(g).and_then(|x| x.name.clone()).unwrap_or_else(|| g.clone()),
                        routes::group(g),
                    )
                })
                .collect(),
        ),
        _ => (String::new(), Vec::new()),
    };
    RecordPage {
        kind,
        id: r.id.clone(),
        name: r.name(),
        summary,
        values,
        related_title,
        related,
        lists: item_lists(&r.items),
        sources: source_rows(&r.sources),
        conflicts: conflict_blocks(&r.conflicts),
        api_href: routes::api_record(r.kind, &r.id),
        export_href: format!("{}?", routes::api_record(r.kind, &r.id)),
    }
}

async fn record_response(app: &App, kind: RecordKind, id: &str) -> Result<Response, PageError> {
    let catalog = app.catalog().await?;
    match catalog.record(kind, id) {
        Some(r) => Ok(record_page(&catalog, r).into_response()),
        None => Err(unknown_page(kind, &catalog, id)),
    }
}

pub async fn body_page(State(ctx): State<Ctx>, Path(id): Path<String>) -> Result<Response, PageError> {
    record_response(ctx.app(), RecordKind::Body, &id).await
}

pub async fn event_page(State(ctx): State<Ctx>, Path(id): Path<String>) -> Result<Response, PageError> {
    record_response(ctx.app(), RecordKind::Event, &id).await
}

pub async fn actor_page(State(ctx): State<Ctx>, Path(id): Path<String>) -> Result<Response, PageError> {
    record_response(ctx.app(), RecordKind::Actor, &id).await
}

pub fn record_json(r: &RecordView) -> RecordJson {
    RecordJson {
        id: r.id.clone(),
        record: r.kind.as_str(),
        name: r.text("name").map(str::to_string),
        kind: r.text("kind").map(str::to_string),
        fields: r.values.iter().map(|(f, v)| (f.clone(), normwatch_api::FactValueJson::from(v))).collect(),
        items: r.items.iter().map(ItemJson::from).collect(),
        sources: r.sources.iter().map(SourceJson::from).collect(),
        conflicts: r.conflicts.iter().map(normwatch_api::ConflictJson::from).collect(),
    }
}

async fn api_records(app: &App, kind: RecordKind, uri: &Uri, query: &RecordsQuery) -> Result<Response, ApiError> {
    let catalog = app.catalog().await?;
    let list: Vec<RecordJson> = catalog
        .records(kind)
        .iter()
        .filter(|r| query.kind.as_deref().is_none_or(|k| r.text("kind") == Some(k)))
        .filter(|r| {
            query.from.is_none_or(|f| r.year().is_some_and(|y| y >= f))
                && query.to.is_none_or(|t| r.year().is_some_and(|y| y <= t))
        })
        .map(record_json)
        .collect();
    let name = routes::segment(kind);
    list_response(uri, query.paging(), list, |page| {
        let mut table = Table::new(name, &["id", "name", "kind", "fields"]);
        for r in page {
            table.push(vec![
                json!(r.id),
                json!(r.name),
                json!(r.kind),
                json!(serde_json::to_string(&r.fields).unwrap_or_default()),
            ]);
        }
        table
    })
}

async fn api_record(app: &App, kind: RecordKind, id: &str, query: &TableQuery) -> Result<Response, ApiError> {
    let catalog = app.catalog().await?;
    let Some(r) = catalog.record(kind, id) else { return Err(unknown_api(kind, &catalog, id)) };
    if query.table.is_some() {
        return table_response(query, vec![sources_table(&r.sources), items_table(&r.items)]);
    }
    json_response(&record_json(r))
}

/// One handler pair (list and one record) per kind of generic record, with its OpenAPI.
macro_rules! record_routes {
    ($kind:expr, $list:ident, $one:ident, $list_path:literal, $one_path:literal, $tag:literal, $what:literal) => {
        #[doc = concat!("The ", $what, "; paged, or exported whole with `format`.")]
        #[utoipa::path(
            get,
            path = $list_path,
            tag = $tag,
            params(RecordsQuery),
            responses(
                (status = 200, description = concat!("The ", $what), content(
                    (Vec<RecordJson> = "application/json"),
                    (String = "text/csv"),
                )),
                (status = 400, description = "A filter that cannot be read", body = NotFoundJson),
            )
        )]
        pub async fn $list(
            State(ctx): State<Ctx>,
            uri: Uri,
            ApiQuery(query): ApiQuery<RecordsQuery>,
        ) -> Result<Response, ApiError> {
            api_records(ctx.app(), $kind, &uri, &query).await
        }

        #[doc = concat!("One of the ", $what, "; `?table=sources|items` exports one table.")]
        #[utoipa::path(
            get,
            path = $one_path,
            tag = $tag,
            params(("id" = String, Path, description = "The record id"), TableQuery),
            responses(
                (status = 200, description = "The record, or one of its tables", content(
                    (OrTable<RecordJson> = "application/json"),
                    (String = "text/csv"),
                )),
                (status = 404, description = "No such record (with the ids meant) or table", body = NotFoundJson),
            )
        )]
        pub async fn $one(
            State(ctx): State<Ctx>,
            Path(id): Path<String>,
            ApiQuery(query): ApiQuery<TableQuery>,
        ) -> Result<Response, ApiError> {
            api_record(ctx.app(), $kind, &id, &query).await
        }
    };
}

record_routes!(
    RecordKind::Body,
    api_bodies,
    api_body,
    "/api/bodies",
    "/api/bodies/{id}",
    "bodies",
    "bodies of the UN system"
);
record_routes!(RecordKind::Event, api_events, api_event, "/api/events", "/api/events/{id}", "events", "events");
record_routes!(RecordKind::Actor, api_actors, api_actor, "/api/actors", "/api/actors/{id}", "actors", "actors");
