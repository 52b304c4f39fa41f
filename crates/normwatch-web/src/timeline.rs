//! The timeline: every dated document, expert group and event, year by year, in four
//! stream lanes (politico-military, the Second Committee's linking work, economic, and the
//! Internet-governance track), with exogenous incidents marked. Filters are query
//! parameters of a plain form, so the page works without JavaScript.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use normwatch_core::Iso3;
use normwatch_core::domain::{Committee, DocumentKind, Stream};
use serde_json::json;

use crate::AppState;
use crate::http::{AppError, Params, encode_query, list_response};
use crate::pages::{document_matches, stream_label};
use normwatch_api::{Table, TimelineEntryJson};
use normwatch_app::Catalog;

const LANES: [Stream; 4] = [Stream::PoliticoMilitary, Stream::Linking, Stream::Economic, Stream::InternetGovernance];

/// Every entry passing the filters, in time order.
fn entries(catalog: &Catalog, params: &Params) -> Vec<TimelineEntryJson> {
    let bodies = params.get("body").map(|b| catalog.body_and_descendants(b));
    let state = params.get("state").and_then(|s| Iso3::parse(s).ok());
    let kind = params.get("kind");
    let year_ok = |year: i32| {
        params.get("from").and_then(|y| y.parse::<i32>().ok()).is_none_or(|f| year >= f)
            && params.get("to").and_then(|y| y.parse::<i32>().ok()).is_none_or(|t| year <= t)
            && params.get("year").and_then(|y| y.parse::<i32>().ok()).is_none_or(|y| year == y)
    };
    let stream_ok =
        |stream: Option<Stream>| params.get("stream").is_none_or(|s| stream.is_some_and(|v| v.as_str() == s));
    let first_stream = |body_ids: &[String]| body_ids.iter().find_map(|b| catalog.body_streams(b).first().copied());
    let mut out = Vec::new();

    let documents_wanted = kind.is_none_or(|k| k == "document" || DocumentKind::ALL.iter().any(|d| d.as_str() == k));
    if documents_wanted {
        for d in &catalog.documents {
            let Some(year) = d.year.or_else(|| d.symbol.year_hint()) else { continue };
            let doc_params = Params {
                kind: kind.filter(|k| *k != "document").map(str::to_string),
                from: None,
                to: None,
                year: None,
                ..params.clone()
            };
            if !year_ok(year) || !document_matches(d, &doc_params, bodies.as_deref()) {
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
                href: crate::document_href(&symbol),
                id: symbol,
            });
        }
    }

    // Groups and events have no committee; a committee filter keeps documents only.
    let others_wanted = params.get("committee").is_none();
    if others_wanted && kind.is_none_or(|k| k == "group") {
        for g in &catalog.groups {
            let Some(year) = g.start_year else { continue };
            let stream = g.body.as_ref().and_then(|b| first_stream(std::slice::from_ref(b)));
            if !year_ok(year)
                || !stream_ok(stream)
                || bodies.as_ref().is_some_and(|list| !g.body.as_ref().is_some_and(|b| list.contains(b)))
                || state.is_some_and(|s| !g.members.contains(&s) && g.chair != Some(s))
                || (params.get("state").is_some() && state.is_none())
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
                href: format!("/groups/{}", g.id),
                id: g.id.clone(),
            });
        }
    }
    for e in &catalog.events {
        let exogenous = e.flag("exogenous");
        // Incidents stay as context whatever the stream or body filter; a kind filter for
        // something else hides them.
        let wanted = match kind {
            None => true,
            Some("event") => true,
            Some("incident") => exogenous || e.text("kind") == Some("incident"),
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
        if params.get("state").is_some() && !state.is_some_and(|s| e.states("states").contains(&s)) && !exogenous {
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
            href: format!("/events/{}", e.id),
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
    pub warnings: Vec<String>,
}

fn choices(options: Vec<(String, String)>, selected: Option<&str>) -> Vec<Choice> {
    options
        .into_iter()
        .map(|(value, label)| Choice { selected: selected == Some(value.as_str()), value, label })
        .collect()
}

pub async fn page(State(state): State<AppState>, Query(params): Query<Params>) -> Result<Response, AppError> {
    let catalog = state.app.catalog().await?;
    let mut warnings = Vec::new();
    for name in ["from", "to"] {
        if let Some(text) = params.get(name)
            && text.parse::<i32>().is_err()
        {
            warnings.push(format!("`{text}` is not a year; the {name} filter is ignored."));
        }
    }
    if let Some(text) = params.get("state")
        && Iso3::parse(text).is_err()
    {
        warnings.push(format!("`{text}` is not a state code (ISO3, such as RUS); nothing matches it."));
    }
    let list = entries(&catalog, &params);
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
    bodies.sort_by(|a, b| a.1.to_lowercase().cmp(&b.1.to_lowercase()));
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
    let query = ["body", "stream", "committee", "kind", "state", "from", "to"]
        .iter()
        .filter_map(|k| params.get(k).map(|v| format!("{k}={}", encode_query(v))))
        .collect::<Vec<_>>()
        .join("&");
    Ok(TimelinePage {
        total: list.len(),
        years: by_year.into_values().collect(),
        lane_names: LANES.iter().map(|s| stream_label(*s)).collect(),
        bodies: choices(bodies, params.get("body")),
        streams: choices(
            LANES.iter().map(|s| (s.as_str().to_string(), stream_label(*s).to_string())).collect(),
            params.get("stream"),
        ),
        committees: choices(
            Committee::ALL.iter().map(|c| (c.as_str().to_string(), format!("{c} Committee"))).collect(),
            params.get("committee"),
        ),
        kinds: choices(kinds, params.get("kind")),
        states: choices(
            named.iter().map(|s| (s.to_string(), format!("{} ({s})", s.info().name))).collect(),
            params.get("state"),
        ),
        from: params.get("from").unwrap_or_default().to_string(),
        to: params.get("to").unwrap_or_default().to_string(),
        filtered: !query.is_empty(),
        export_href: if query.is_empty() {
            "/api/timeline?limit=1000".to_string()
        } else {
            format!("/api/timeline?{query}&limit=1000")
        },
        warnings,
    }
    .into_response())
}

pub async fn api(
    State(state): State<AppState>,
    uri: axum::http::Uri,
    Query(params): Query<Params>,
) -> Result<Response, AppError> {
    for name in ["from", "to", "year"] {
        params.int(name, true)?;
    }
    let catalog = state.app.catalog().await?;
    list_response(&uri, &params, entries(&catalog, &params), |page| {
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
