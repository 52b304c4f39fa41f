//! Series, expert groups, bodies, events and actors: their pages and their API answers.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use normwatch_core::Iso3;
use normwatch_core::domain::{DocumentKind, Modality};
use normwatch_core::kb::RecordKind;
use normwatch_core::state::RegionalGroup;
use normwatch_core::view::{DocumentView, FieldSource, GroupView};
use serde_json::json;

use crate::AppState;
use crate::charts::{self, Series};
use crate::document_href;
use crate::http::{AppError, Params, json_response, list_response, table_response};
use crate::pages::{
    ConflictBlock, ItemList, Link, SourceCell, conflict_blocks, figure_href, item_lists, label_of, source_cell,
    stream_label,
};
use normwatch_api::{GroupJson, ItemJson, RecordJson, SeriesJson, SourceJson, Table, fact_value};
use normwatch_app::App;
use normwatch_app::catalog::{Catalog, RecordView};

fn unknown(kind: RecordKind, catalog: &Catalog, id: &str, api: bool) -> AppError {
    let base = match kind {
        RecordKind::Series => "series",
        RecordKind::Group => "groups",
        RecordKind::Body => "bodies",
        RecordKind::Event => "events",
        RecordKind::Actor => "actors",
        RecordKind::Document => "documents",
    };
    let prefix = if api { "/api/" } else { "/" };
    let mut suggestions: Vec<String> =
        catalog.suggest(kind, id).into_iter().map(|s| format!("{prefix}{base}/{s}")).collect();
    if suggestions.is_empty() && kind != RecordKind::Event && kind != RecordKind::Actor {
        suggestions.push(format!("{prefix}{base}"));
    }
    let message = format!("There is no {} `{id}` in the knowledge base.", kind.as_str());
    if api { AppError::not_found_api(message, suggestions) } else { AppError::not_found(message, suggestions) }
}

pub struct SourceRow {
    pub label: String,
    pub value: String,
    pub cell: SourceCell,
}

fn source_rows(sources: &[FieldSource]) -> Vec<SourceRow> {
    sources
        .iter()
        .map(|s| SourceRow { label: label_of(&s.field), value: s.value.to_string(), cell: source_cell(s) })
        .collect()
}

fn sources_table(sources: &[FieldSource]) -> Table {
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

// ---------------------------------------------------------------------------------------
// Series

#[derive(Template, WebTemplate)]
#[template(path = "series_index.html")]
pub struct SeriesIndex {
    pub series: Vec<crate::pages::SeriesRow>,
}

pub async fn series_index(State(state): State<AppState>) -> Result<Response, AppError> {
    let catalog = state.app.catalog().await?;
    Ok(SeriesIndex { series: crate::pages::series_rows(&catalog) }.into_response())
}

pub struct SeriesDocRow {
    pub year: String,
    pub link: Link,
    pub kind: String,
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

pub struct Figure {
    pub svg: String,
    pub href: String,
    pub name: String,
    pub caption: String,
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

fn year_label(d: &DocumentView) -> String {
    d.year.or_else(|| d.symbol.year_hint()).map(|y| y.to_string()).unwrap_or_default()
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
pub async fn series_svg(app: &App, which: &str, params: &Params) -> Result<String, AppError> {
    let catalog = app.catalog().await?;
    let id = params.get("id").unwrap_or_default();
    if catalog.series(id).is_none() {
        return Err(unknown(RecordKind::Series, &catalog, id, true));
    }
    let docs = catalog.series_documents(id);
    let svg = if which == "series-votes" { votes_svg(id, &docs) } else { sponsorship_svg(id, &docs) };
    svg.ok_or_else(|| AppError::not_found_api(format!("the series `{id}` has no data for this figure"), Vec::new()))
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

pub async fn series_page(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, AppError> {
    let catalog = state.app.catalog().await?;
    let Some(series) = catalog.series(&id) else { return Err(unknown(RecordKind::Series, &catalog, &id, false)) };
    let docs = catalog.series_documents(&id);
    let mut facts = Vec::new();
    if let Some(c) = series.committee {
        facts.push(("Committee".to_string(), format!("{c} Committee"), None));
    }
    if let Some(s) = series.stream {
        facts.push((
            "Stream".to_string(),
            stream_label(s).to_string(),
            Some(format!("/timeline?stream={}", s.as_str())),
        ));
    }
    if let Some(b) = &series.body {
        facts.push(("Body".to_string(), catalog.body_label(b), Some(format!("/bodies/{b}"))));
    }
    if let Some(a) = &series.agenda_item {
        facts.push(("Agenda item".to_string(), a.clone(), None));
    }
    let mut figures = Vec::new();
    if let Some(svg) = sponsorship_svg(&id, &docs) {
        figures.push(Figure {
            svg,
            href: figure_href("series-sponsorship", "id", &id),
            name: format!("{id}-sponsorship"),
            caption: "Co-sponsorship over time.".into(),
        });
    }
    if let Some(svg) = votes_svg(&id, &docs) {
        figures.push(Figure {
            svg,
            href: figure_href("series-votes", "id", &id),
            name: format!("{id}-votes"),
            caption: "Recorded votes over time.".into(),
        });
    }
    if let Some(figure) = crate::measurement::series_figure(&state.app, &catalog, &id).await? {
        figures.push(figure);
    }
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
                title: d.title.clone().unwrap_or_default(),
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
        export_href: format!("/api/series/{id}?"),
        id,
    }
    .into_response())
}

fn series_json(catalog: &Catalog, id: &str) -> Option<SeriesJson> {
    let series = catalog.series(id)?;
    let docs: Vec<DocumentView> = catalog.series_documents(id).into_iter().cloned().collect();
    Some(SeriesJson::new(series, &docs))
}

pub async fn api_series_list(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    let catalog = state.app.catalog().await?;
    let list: Vec<SeriesJson> = catalog
        .series
        .iter()
        .filter(|s| {
            params.get("committee").is_none_or(|c| s.committee.is_some_and(|v| v.as_str().eq_ignore_ascii_case(c)))
        })
        .filter(|s| params.get("stream").is_none_or(|c| s.stream.is_some_and(|v| v.as_str() == c)))
        .filter_map(|s| series_json(&catalog, &s.id))
        .collect();
    list_response(&uri, &params, list, |page| {
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

pub async fn api_series(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    let catalog = state.app.catalog().await?;
    let Some(json) = series_json(&catalog, &id) else { return Err(unknown(RecordKind::Series, &catalog, &id, true)) };
    if params.get("table").is_some() {
        let docs = catalog.series_documents(&id);
        let mut tables = series_tables(&docs);
        if let Some(series) = catalog.series(&id) {
            tables.push(sources_table(&series.sources));
        }
        return table_response(&params, tables);
    }
    Ok(json_response(StatusCode::OK, &json))
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

fn years(g: &GroupView) -> String {
    match (g.start_year, g.end_year) {
        (Some(a), Some(b)) if a != b => format!("{a}–{b}"),
        (Some(a), _) => a.to_string(),
        (None, Some(b)) => b.to_string(),
        _ => String::new(),
    }
}

pub async fn groups_index(State(state): State<AppState>) -> Result<Response, AppError> {
    let catalog = state.app.catalog().await?;
    Ok(GroupsIndex {
        groups: catalog
            .groups
            .iter()
            .map(|g| {
                let json = GroupJson::from(g);
                GroupRow {
                    link: Link::new(g.name.clone().unwrap_or_else(|| g.id.clone()), format!("/groups/{}", g.id)),
                    kind: g.kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
                    years: years(g),
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
    let mut items = Table::new("items", &["list", "label", "heading", "text", "paraphrase", "source", "basis"]);
    for i in &g.items {
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
    vec![members, items, sources_table(&g.sources)]
}

pub async fn group_page(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, AppError> {
    let catalog = state.app.catalog().await?;
    let Some(g) = catalog.group(&id) else { return Err(unknown(RecordKind::Group, &catalog, &id, false)) };
    let mut facts: Vec<(String, String, Option<String>)> = Vec::new();
    if let Some(k) = g.kind {
        facts.push(("Kind".into(), k.as_str().to_string(), None));
    }
    if let Some(b) = &g.body {
        facts.push(("Body".into(), catalog.body_label(b), Some(format!("/bodies/{b}"))));
    }
    if let Some(s) = &g.established_by {
        let symbol = s.to_string();
        let title =
            catalog.document(&symbol).and_then(|d| d.title.clone()).map(|t| format!(" — {t}")).unwrap_or_default();
        facts.push(("Mandate".into(), format!("{symbol}{title}"), Some(document_href(&symbol))));
    }
    let span = years(g);
    if !span.is_empty() {
        facts.push(("Years".into(), span, None));
    }
    if let Some(c) = g.chair {
        let person = g.chair_person.as_ref().map(|p| format!("{p}, ")).unwrap_or_default();
        facts.push(("Chair".into(), format!("{person}{}", c.info().name), Some(format!("/states/{c}"))));
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
        facts.push(("Report".into(), r.to_string(), Some(document_href(&r.to_string()))));
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
        export_href: format!("/api/groups/{id}?"),
        id,
    }
    .into_response())
}

pub async fn api_groups(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    let catalog = state.app.catalog().await?;
    let list: Vec<GroupJson> = catalog
        .groups
        .iter()
        .filter(|g| params.get("kind").is_none_or(|k| g.kind.is_some_and(|v| v.as_str() == k)))
        .filter(|g| params.get("state").is_none_or(|s| g.members.iter().any(|m| m.as_str().eq_ignore_ascii_case(s))))
        .map(GroupJson::from)
        .collect();
    list_response(&uri, &params, list, |page| {
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

pub async fn api_group(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    let catalog = state.app.catalog().await?;
    let Some(g) = catalog.group(&id) else { return Err(unknown(RecordKind::Group, &catalog, &id, true)) };
    if params.get("table").is_some() {
        return table_response(&params, group_tables(g));
    }
    Ok(json_response(StatusCode::OK, &GroupJson::from(g)))
}

// ---------------------------------------------------------------------------------------
// Bodies, events, actors

pub struct BodyNode {
    pub id: String,
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

pub async fn bodies_page(State(state): State<AppState>) -> Result<Response, AppError> {
    let catalog = state.app.catalog().await?;
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
            id: b.id.clone(),
        })
        .collect();
    let platforms = catalog
        .bodies
        .iter()
        .filter(|b| b.flag("platform"))
        .map(|b| Link::new(catalog.body_label(&b.id), format!("/bodies/{}", b.id)))
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
        ("parent" | "body", FactValue::Id(id)) => vec![Link::new(catalog.body_label(id), format!("/bodies/{id}"))],
        ("bodies", FactValue::Ids(ids)) => {
            ids.iter().map(|id| Link::new(catalog.body_label(id), format!("/bodies/{id}"))).collect()
        }
        ("groups", FactValue::Ids(ids)) => {
            ids.iter().map(|id| Link::new(id.clone(), format!("/groups/{id}"))).collect()
        }
        _ => Vec::new(),
    }
}

fn record_page(catalog: &Catalog, r: &RecordView) -> RecordPage {
    let kind = r.kind.as_str();
    let base = match r.kind {
        RecordKind::Body => "bodies",
        RecordKind::Event => "events",
        _ => "actors",
    };
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
                .map(|b| Link::new(format!("{} (sub-body)", catalog.body_label(&b.id)), format!("/bodies/{}", b.id)))
                .collect();
            related.extend(body_documents(catalog, &r.id).iter().map(|d| {
                let symbol = d.symbol.to_string();
                Link::new(format!("{symbol} — {}", d.title.clone().unwrap_or_default()), document_href(&symbol))
            }));
            related.extend(
                catalog
                    .groups
                    .iter()
                    .filter(|g| g.body.as_deref() == Some(r.id.as_str()))
                    .map(|g| Link::new(g.name.clone().unwrap_or_else(|| g.id.clone()), format!("/groups/{}", g.id))),
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
                        format!("/groups/{g}"),
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
        api_href: format!("/api/{base}/{}", r.id),
        export_href: format!("/api/{base}/{}?", r.id),
    }
}

async fn record_response(app: &App, kind: RecordKind, id: &str) -> Result<Response, AppError> {
    let catalog = app.catalog().await?;
    match catalog.record(kind, id) {
        Some(r) => Ok(record_page(&catalog, r).into_response()),
        None => Err(unknown(kind, &catalog, id, false)),
    }
}

pub async fn body_page(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, AppError> {
    record_response(&state.app, RecordKind::Body, &id).await
}

pub async fn event_page(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, AppError> {
    record_response(&state.app, RecordKind::Event, &id).await
}

pub async fn actor_page(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, AppError> {
    record_response(&state.app, RecordKind::Actor, &id).await
}

pub fn record_json(r: &RecordView) -> RecordJson {
    RecordJson {
        id: r.id.clone(),
        record: r.kind.as_str(),
        name: r.text("name").map(str::to_string),
        kind: r.text("kind").map(str::to_string),
        fields: r.values.iter().map(|(f, v)| (f.clone(), fact_value(v))).collect(),
        items: r.items.iter().map(ItemJson::from).collect(),
        sources: r.sources.iter().map(SourceJson::from).collect(),
        conflicts: r.conflicts.iter().map(normwatch_api::ConflictJson::from).collect(),
    }
}

async fn api_records(
    app: &App,
    kind: RecordKind,
    uri: &axum::http::Uri,
    params: &Params,
) -> Result<Response, AppError> {
    let catalog = app.catalog().await?;
    let list: Vec<RecordJson> = catalog
        .records(kind)
        .iter()
        .filter(|r| params.get("kind").is_none_or(|k| r.text("kind") == Some(k)))
        .filter(|r| {
            params.get("from").and_then(|y| y.parse::<i32>().ok()).is_none_or(|f| r.year().is_some_and(|y| y >= f))
                && params.get("to").and_then(|y| y.parse::<i32>().ok()).is_none_or(|t| r.year().is_some_and(|y| y <= t))
        })
        .map(record_json)
        .collect();
    let name = match kind {
        RecordKind::Body => "bodies",
        RecordKind::Event => "events",
        _ => "actors",
    };
    list_response(uri, params, list, |page| {
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

async fn api_record(app: &App, kind: RecordKind, id: &str, params: &Params) -> Result<Response, AppError> {
    let catalog = app.catalog().await?;
    let Some(r) = catalog.record(kind, id) else { return Err(unknown(kind, &catalog, id, true)) };
    if params.get("table").is_some() {
        let mut items = Table::new("items", &["list", "label", "heading", "text", "paraphrase", "source", "basis"]);
        for i in &r.items {
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
        return table_response(params, vec![sources_table(&r.sources), items]);
    }
    Ok(json_response(StatusCode::OK, &record_json(r)))
}

pub async fn api_bodies(
    State(s): State<AppState>,
    uri: axum::http::Uri,
    Query(p): Query<Params>,
) -> Result<Response, AppError> {
    api_records(&s.app, RecordKind::Body, &uri, &p).await
}

pub async fn api_events(
    State(s): State<AppState>,
    uri: axum::http::Uri,
    Query(p): Query<Params>,
) -> Result<Response, AppError> {
    api_records(&s.app, RecordKind::Event, &uri, &p).await
}

pub async fn api_actors(
    State(s): State<AppState>,
    uri: axum::http::Uri,
    Query(p): Query<Params>,
) -> Result<Response, AppError> {
    api_records(&s.app, RecordKind::Actor, &uri, &p).await
}

pub async fn api_body(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, AppError> {
    api_record(&s.app, RecordKind::Body, &id, &p).await
}

pub async fn api_event(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, AppError> {
    api_record(&s.app, RecordKind::Event, &id, &p).await
}

pub async fn api_actor(
    State(s): State<AppState>,
    Path(id): Path<String>,
    Query(p): Query<Params>,
) -> Result<Response, AppError> {
    api_record(&s.app, RecordKind::Actor, &id, &p).await
}
