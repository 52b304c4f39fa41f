//! The timeline: every dated document, expert group and event, year by year, in four
//! stream lanes (politico-military, the Second Committee's linking work, economic, and the
//! Internet-governance track), with exogenous incidents marked. Filters are query
//! parameters of a plain form, so the page works without JavaScript.

//!
//! Layer 6: refers to the layers below it.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::Uri;
use axum::response::{IntoResponse, Response};
use normwatch_core::Iso3;
use normwatch_core::domain::{Committee, DocumentKind, Stream};
use serde_json::json;

use crate::ctx::Ctx;
use crate::error::{ApiError, PageError};
use crate::filters::{ApiQuery, DocKind, DocumentFilter, PageQuery, TimelineKind, TimelineQuery};
use crate::http::list_response;
use crate::routes;
use crate::ui::{document_year, stream_label};
use normwatch_api::{NotFoundJson, Table, TimelineEntryJson};
use normwatch_app::Catalog;

const LANES: [Stream; 4] = [Stream::PoliticoMilitary, Stream::Linking, Stream::Economic, Stream::InternetGovernance];

/// Every entry passing the filters, in time order.
fn entries(catalog: &Catalog, query: &TimelineQuery) -> Vec<TimelineEntryJson> {
    let bodies = query.body.as_ref().map(|b| catalog.body_and_descendants(b));
    let state: Option<Iso3> = query.state;
    let kind = query.kind;
    let year_ok = |year: i32| {
        query.from.is_none_or(|f| year >= f)
            && query.to.is_none_or(|t| year <= t)
            && query.year.is_none_or(|y| year == y)
    };
    let stream_ok = |stream: Option<Stream>| query.stream.is_none_or(|s| stream == Some(s));
    let first_stream = |body_ids: &[String]| body_ids.iter().find_map(|b| catalog.body_streams(b).first().copied());
    let mut out = Vec::new();

    let document_kind = match kind {
        None => Some(DocKind::Any),
        Some(TimelineKind::Document(k)) => Some(k),
        Some(_) => None,
    };
    if let Some(document_kind) = document_kind {
        let filter = DocumentFilter {
            series: None,
            kind: Some(document_kind),
            committee: query.committee.map(|c| c.0),
            stream: query.stream,
            state: query.state,
            year: None,
            from: None,
            to: None,
        };
        for d in &catalog.documents {
            let Some(year) = document_year(d) else { continue };
            if !year_ok(year) || !filter.matches(d, bodies.as_deref()) {
                continue;
            }
            let symbol = d.symbol.to_string();
            out.push(TimelineEntryJson {
                year,
                date: d.adopted_on.or(d.issued_on).map(|x| x.to_string()),
                lane: d.stream.map_or("general", |s| s.as_str()),
                record: "document",
                kind: d.kind.map(|k| k.as_str().to_string()),
                title: d.title.clone().or_else(|| d.summary.clone()).unwrap_or_default(),
                body: d.body.clone(),
                committee: d.committee.map(|c| c.as_str()),
                exogenous: false,
                href: routes::document(&symbol),
                id: symbol,
            });
        }
    }

    // Groups and events have no committee; a committee filter keeps documents only.
    let others_wanted = query.committee.is_none();
    if others_wanted && kind.is_none_or(|k| k == TimelineKind::Group) {
        for g in &catalog.groups {
            let Some(year) = g.start_year else { continue };
            let stream = g.body.as_ref().and_then(|b| first_stream(std::slice::from_ref(b)));
            if !year_ok(year)
                || !stream_ok(stream)
                || bodies.as_ref().is_some_and(|list| !g.body.as_ref().is_some_and(|b| list.contains(b)))
                || state.is_some_and(|s| !g.members.contains(&s) && g.chair != Some(s))
            {
                continue;
            }
            out.push(TimelineEntryJson {
                year,
                date: None,
                lane: stream.map_or("general", |s| s.as_str()),
                record: "group",
                kind: g.kind.map(|k| k.as_str().to_string()),
                title: g.name.clone().unwrap_or_else(|| g.id.clone()),
                body: g.body.clone(),
                committee: None,
                exogenous: false,
                href: routes::group(&g.id),
                id: g.id.clone(),
            });
        }
    }
    for e in &catalog.events {
        let exogenous = e.flag("exogenous");
        // Incidents stay as context whatever the stream or body filter; a kind filter for
        // something else hides them.
        let wanted = match kind {
            None | Some(TimelineKind::Event) => true,
            Some(TimelineKind::Incident) => exogenous || e.text("kind") == Some("incident"),
            Some(_) => false,
        };
        let Some(year) = e.year() else { continue };
        if !wanted || !year_ok(year) || (!others_wanted && !exogenous) {
            continue;
        }
        let body_ids = e.ids("bodies");
        let stream = first_stream(&body_ids);
        if !exogenous
            && (!stream_ok(stream) || bodies.as_ref().is_some_and(|list| !body_ids.iter().any(|b| list.contains(b))))
        {
            continue;
        }
        if state.is_some_and(|s| !e.states("states").contains(&s)) && !exogenous {
            continue;
        }
        out.push(TimelineEntryJson {
            year,
            date: e.date("date").map(|d| d.to_string()),
            lane: if exogenous { "incident" } else { stream.map_or("general", |s| s.as_str()) },
            record: "event",
            kind: e.text("kind").map(str::to_string),
            title: e.name(),
            body: body_ids.first().cloned(),
            committee: None,
            exogenous,
            href: routes::event(&e.id),
            id: e.id.clone(),
        });
    }
    out.sort_by(|a, b| (a.year, &a.date, a.record, &a.id).cmp(&(b.year, &b.date, b.record, &b.id)));
    out
}

pub struct Entry {
    pub title: String,
    pub href: String,
    pub id: String,
    pub tag: String,
    pub show_id: bool,
}

pub struct LaneCell {
    pub name: &'static str,
    pub class: &'static str,
    pub entries: Vec<Entry>,
}

pub struct YearBlock {
    pub year: i32,
    pub incidents: Vec<Entry>,
    pub lanes: Vec<LaneCell>,
    pub general: Vec<Entry>,
}

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "timeline.html")]
pub struct TimelinePage {
    pub years: Vec<YearBlock>,
    pub lane_names: Vec<&'static str>,
    pub total: usize,
    pub bodies: Vec<Choice>,
    pub streams: Vec<Choice>,
    pub committees: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub states: Vec<Choice>,
    pub from: String,
    pub to: String,
    pub filtered: bool,
    pub export_href: String,
}

/// The filters as chosen, in the form's terms.
struct TimelineSelection {
    body: Option<String>,
    stream: Option<String>,
    committee: Option<String>,
    kind: Option<String>,
    state: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

fn choices(options: Vec<(String, String)>, selected: Option<&str>) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| Choice { selected: selected == Some(value.as_str()), value, label })
        .collect()
}

pub async fn page(State(ctx): State<Ctx>, PageQuery(query): PageQuery<TimelineQuery>) -> Result<Response, PageError> {
    let catalog = ctx.app().catalog().await?;
    let list = entries(&catalog, &query);
    let mut by_year: BTreeMap<i32, YearBlock> = BTreeMap::new();
    for e in &list {
        let block = by_year.entry(e.year).or_insert_with(|| YearBlock {
            year: e.year,
            incidents: Vec::new(),
            lanes: LANES
                .iter()
                .map(|s| LaneCell { name: stream_label(*s), class: s.as_str(), entries: Vec::new() })
                .collect(),
            general: Vec::new(),
        });
        let entry = Entry {
            title: e.title.clone(),
            href: e.href.clone(),
            id: e.id.clone(),
            tag: match e.record {
                "document" => e.kind.clone().unwrap_or_else(|| "document".into()),
                other => e.kind.clone().unwrap_or_else(|| other.to_string()),
            },
            show_id: e.record == "document",
        };
        match e.lane {
            "incident" => block.incidents.push(entry),
            "general" => block.general.push(entry),
            lane => match block.lanes.iter_mut().find(|l| l.class == lane) {
                Some(cell) => cell.entries.push(entry),
                None => block.general.push(entry),
            },
        }
    }

    let mut bodies: Vec<(String, String)> =
        catalog.bodies.iter().map(|b| (b.id.clone(), catalog.body_label(&b.id))).collect();
    bodies.sort_by_key(|b| b.1.to_lowercase());
    let mut kinds: Vec<(String, String)> = vec![("document".into(), "any document".into())];
    kinds.extend(DocumentKind::ALL.iter().map(|k| (k.as_str().to_string(), k.as_str().to_string())));
    kinds.extend(
        [("group", "expert group"), ("event", "event"), ("incident", "incident")]
            .map(|(a, b)| (a.to_string(), b.to_string())),
    );
    let mut named: Vec<Iso3> = Vec::new();
    for d in &catalog.documents {
        named.extend(d.voted_no.iter().copied());
        if let Some(s) = &d.sponsorship {
            named.extend(s.introduced_by.iter().chain(&s.cosponsors).copied());
        }
    }
    for g in &catalog.groups {
        named.extend(g.members.iter().copied());
    }
    for e in &catalog.events {
        named.extend(e.states("states"));
    }
    named.sort_by(|a, b| a.info().name.cmp(&b.info().name));
    named.dedup();
    let selected = TimelineSelection {
        body: query.body.clone(),
        stream: query.stream.map(|s| s.as_str().to_string()),
        committee: query.committee.map(|c| c.0.as_str().to_string()),
        kind: query.kind.map(|k| k.as_str().to_string()),
        state: query.state.map(|s| s.to_string()),
        from: query.from.map(|y| y.to_string()),
        to: query.to.map(|y| y.to_string()),
    };
    let query = routes::query(&[
        ("body", selected.body.clone()),
        ("stream", selected.stream.clone()),
        ("committee", selected.committee.clone()),
        ("kind", selected.kind.clone()),
        ("state", selected.state.clone()),
        ("from", selected.from.clone()),
        ("to", selected.to.clone()),
    ]);
    Ok(TimelinePage {
        total: list.len(),
        years: by_year.into_values().collect(),
        lane_names: LANES.iter().map(|s| stream_label(*s)).collect(),
        bodies: choices(bodies, selected.body.as_deref()),
        streams: choices(
            LANES.iter().map(|s| (s.as_str().to_string(), stream_label(*s).to_string())).collect(),
            selected.stream.as_deref(),
        ),
        committees: choices(
            Committee::ALL.iter().map(|c| (c.as_str().to_string(), format!("{c} Committee"))).collect(),
            selected.committee.as_deref(),
        ),
        kinds: choices(kinds, selected.kind.as_deref()),
        states: choices(
            named.iter().map(|s| (s.to_string(), format!("{} ({s})", s.info().name))).collect(),
            selected.state.as_deref(),
        ),
        from: selected.from.unwrap_or_default(),
        to: selected.to.unwrap_or_default(),
        filtered: !query.is_empty(),
        // An export: every entry (no `limit`).
        export_href: if query.is_empty() { "/api/timeline?".to_string() } else { format!("/api/timeline?{query}&") },
    }
    .into_response())
}

/// Every dated document, expert group and event, in time order, filtered; paged, or
/// exported whole with `format`.
#[utoipa::path(
    get,
    path = "/api/timeline",
    tag = "timeline",
    params(TimelineQuery),
    responses(
        (status = 200, description = "The entries that pass the filters", content(
            (Vec<TimelineEntryJson> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "A filter that cannot be read, with the reason", body = NotFoundJson),
    )
)]
pub async fn api(
    State(ctx): State<Ctx>,
    uri: Uri,
    ApiQuery(query): ApiQuery<TimelineQuery>,
) -> Result<Response, ApiError> {
    let catalog = ctx.app().catalog().await?;
    list_response(&uri, query.paging(), entries(&catalog, &query), |page| {
        let mut table = Table::new(
            "timeline",
            &["year", "date", "lane", "record", "id", "kind", "title", "body", "committee", "exogenous"],
        );
        for e in page {
            table.push(vec![
                json!(e.year),
                json!(e.date),
                json!(e.lane),
                json!(e.record),
                json!(e.id),
                json!(e.kind),
                json!(e.title),
                json!(e.body),
                json!(e.committee),
                json!(e.exogenous),
            ]);
        }
        table
    })
}
