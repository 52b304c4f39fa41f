//! State profiles: sponsorships, co-sponsorships, votes on the cyber series, expert-group
//! seats and agreement with other states over time; up to three side by side
//! (`/states/RUS?compare=USA,CHN`).

//!
//! Layer 6: refers to `votes` and to the layers below it.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::Uri;
use axum::response::{IntoResponse, Redirect, Response};
use normwatch_core::Iso3;
use normwatch_core::state::StateRegistry;
use normwatch_core::view::DocumentView;
use serde_json::json;

use crate::charts::{self, Series};
use crate::ctx::Ctx;
use crate::error::{ApiError, PageError};
use crate::filters::{ApiQuery, FigureQuery, PageQuery, StateQuery, StatesPageQuery, StatesQuery};
use crate::http::{json_response, list_response, table_response};
use crate::routes;
use crate::ui::{Figure, Link, year_label, year_span};
use crate::votes;
use normwatch_api::{
    AgreementJson, GroupSeatJson, NotFoundJson, OrTable, StateJson, StateSummaryJson, StateVoteJson, Table,
};
use normwatch_app::App;
use normwatch_app::Catalog;

/// A state's record in the knowledge base.
struct Profile<'a> {
    introduced: Vec<&'a DocumentView>,
    cosponsored: Vec<&'a DocumentView>,
    not_sponsoring: Vec<&'a DocumentView>,
    voted_no: Vec<&'a DocumentView>,
    seats: Vec<GroupSeatJson>,
}

fn profile(catalog: &Catalog, iso3: Iso3) -> Profile<'_> {
    let mut p = Profile {
        introduced: Vec::new(),
        cosponsored: Vec::new(),
        not_sponsoring: Vec::new(),
        voted_no: Vec::new(),
        seats: Vec::new(),
    };
    for d in &catalog.documents {
        if let Some(s) = &d.sponsorship {
            if s.introduced_by.contains(&iso3) {
                p.introduced.push(d);
            } else if s.cosponsors.contains(&iso3) {
                p.cosponsored.push(d);
            }
            if s.not_sponsoring.contains(&iso3) {
                p.not_sponsoring.push(d);
            }
        }
        if d.voted_no.contains(&iso3) {
            p.voted_no.push(d);
        }
    }
    for g in &catalog.groups {
        if g.members.contains(&iso3) || g.chair == Some(iso3) {
            p.seats.push(GroupSeatJson {
                group: g.id.clone(),
                name: g.name.clone(),
                start_year: g.start_year,
                end_year: g.end_year,
                chair: g.chair == Some(iso3),
            });
        }
    }
    p
}

/// Reads `RUS`, `ru`, `Russian Federation`: any code or name the state table knows.
fn resolve_state(input: &str) -> Result<Iso3, Vec<String>> {
    let registry = StateRegistry::global();
    match registry.lookup(input) {
        Some(info) => Ok(info.iso3),
        None => Err(registry.suggest(input)),
    }
}

/// The states to compare with, from `compare=USA,CHN` (at most two others).
fn compared(compare: Option<&str>, main: Iso3) -> (Vec<Iso3>, Vec<String>) {
    let mut states = Vec::new();
    let mut problems = Vec::new();
    for part in compare.unwrap_or_default().split([',', ' ', ';']).map(str::trim).filter(|s| !s.is_empty()) {
        match resolve_state(part) {
            Ok(iso3) if iso3 != main && !states.contains(&iso3) => states.push(iso3),
            Ok(_) => {}
            Err(suggestions) => problems.push(if suggestions.is_empty() {
                format!("`{part}` is not a state normwatch knows.")
            } else {
                format!("`{part}` is not a state normwatch knows; did you mean {}?", suggestions.join(", "))
            }),
        }
    }
    if states.len() > 2 {
        problems.push(format!(
            "At most three states side by side; {} left out.",
            states[2..].iter().map(|s| s.to_string()).collect::<Vec<_>>().join(", ")
        ));
        states.truncate(2);
    }
    (states, problems)
}

pub struct DocLink {
    pub link: Link,
    pub year: String,
    pub title: String,
}

fn doc_links(list: &[&DocumentView]) -> Vec<DocLink> {
    list.iter()
        .map(|d| DocLink {
            link: Link::document(&d.symbol.to_string()),
            year: year_label(d),
            title: d.title.clone().unwrap_or_default(),
        })
        .collect()
}

pub struct Column {
    pub link: Link,
    pub iso3: String,
    pub group: String,
    pub introduced: Vec<DocLink>,
    pub cosponsored: Vec<DocLink>,
    pub not_sponsoring: Vec<DocLink>,
    pub seats: Vec<(Link, String)>,
}

pub struct VoteRow {
    pub link: Link,
    pub year: String,
    pub votes: Vec<&'static str>,
    pub source: String,
}

pub struct AgreementRow {
    pub year: i32,
    pub cells: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "state.html")]
pub struct StatePage {
    pub iso3: String,
    /// The profile alone, without comparisons.
    pub self_href: String,
    pub name: String,
    pub group: String,
    pub membership: String,
    pub columns: Vec<Column>,
    pub compare: String,
    pub problems: Vec<String>,
    pub vote_rows: Vec<VoteRow>,
    pub agreement_heads: Vec<String>,
    pub agreement_rows: Vec<AgreementRow>,
    pub agreement_chart: Option<Figure>,
    pub export_href: String,
    /// Whether General Debate speeches are imported.
    pub debate_held: bool,
    /// The salience lexicon, as written in the configuration (empty: not configured).
    pub lexicon: String,
    /// The term counts of the lexicon's first pattern in this state's speeches.
    pub terms_href: String,
    /// The state's speeches that use a term of the lexicon, by year.
    pub mentions: Vec<MentionRow>,
}

/// One of the state's General Debate speeches that the salience indicator counts.
pub struct MentionRow {
    pub year: i32,
    pub terms: String,
    pub count: u32,
    pub snippet: String,
    pub href: String,
}

fn vote_text(vote: Option<normwatch_core::domain::VoteValue>) -> &'static str {
    vote.map_or("—", |v| v.as_str())
}

struct Agreements {
    with: Iso3,
    years: Vec<votes::YearAgreement>,
}

async fn agreements(app: &App, main: Iso3, others: &[Iso3]) -> Result<Vec<Agreements>, normwatch_app::AppError> {
    let mut out = Vec::new();
    for other in others {
        out.push(Agreements { with: *other, years: app.agreement_by_year(main, *other).await? });
    }
    Ok(out)
}

fn agreement_svg(main: Iso3, list: &[Agreements]) -> Option<String> {
    let mut years: Vec<i32> =
        list.iter().flat_map(|a| a.years.iter().filter(|y| y.share.is_some()).map(|y| y.year)).collect();
    years.sort_unstable();
    years.dedup();
    if years.is_empty() {
        return None;
    }
    let series: Vec<Series> = list
        .iter()
        .enumerate()
        .map(|(i, a)| Series {
            label: format!("with {}", a.with),
            color: charts::PALETTE[i % charts::PALETTE.len()],
            values: years.iter().map(|y| a.years.iter().find(|x| x.year == *y).and_then(|x| x.share)).collect(),
        })
        .collect();
    let labels: Vec<String> = years.iter().map(|y| y.to_string()).collect();
    Some(charts::lines(
        &format!("{main}: voting agreement per year"),
        "Share of General Assembly roll calls, among those where both states voted yes, no or abstain, in which they voted alike; from the imported voting datasets.",
        &labels,
        &series,
        true,
    ))
}

fn state_tables(
    catalog: &Catalog,
    main: Iso3,
    others: &[Iso3],
    votes: &[votes::DocumentVote],
    agreements: &[Agreements],
) -> Vec<Table> {
    let mut sponsorships = Table::new("sponsorships", &["iso3", "symbol", "year", "role", "title"]);
    let mut seats = Table::new("seats", &["iso3", "group", "name", "start_year", "end_year", "chair"]);
    for iso3 in std::iter::once(main).chain(others.iter().copied()) {
        let p = profile(catalog, iso3);
        for (list, role) in
            [(&p.introduced, "introduced"), (&p.cosponsored, "cosponsor"), (&p.not_sponsoring, "not_sponsoring")]
        {
            for d in list.iter() {
                sponsorships.push(vec![
                    json!(iso3.to_string()),
                    json!(d.symbol.to_string()),
                    json!(d.year),
                    json!(role),
                    json!(d.title),
                ]);
            }
        }
        for s in &p.seats {
            seats.push(vec![
                json!(iso3.to_string()),
                json!(s.group),
                json!(s.name),
                json!(s.start_year),
                json!(s.end_year),
                json!(s.chair),
            ]);
        }
    }
    let mut vote_table = Table::new("votes", &["symbol", "series", "year", "iso3", "vote", "source"]);
    for v in votes {
        for (iso3, vote) in &v.votes {
            vote_table.push(vec![
                json!(v.symbol),
                json!(v.series),
                json!(v.year),
                json!(iso3.to_string()),
                json!(vote.map(|x| x.as_str())),
                json!(v.source),
            ]);
        }
    }
    let mut agreement = Table::new("agreement", &["iso3", "with", "year", "votes", "agreed", "share"]);
    for a in agreements {
        for y in &a.years {
            agreement.push(vec![
                json!(main.to_string()),
                json!(a.with.to_string()),
                json!(y.year),
                json!(y.votes),
                json!(y.agreed),
                json!(y.share),
            ]);
        }
    }
    vec![sponsorships, vote_table, seats, agreement]
}

/// A profile's address, comparing with `compare` if given.
fn state_href(iso3: &str, compare: Option<&str>) -> String {
    let query = routes::query(&[("compare", compare.map(str::to_string))]);
    if query.is_empty() { routes::state(iso3) } else { format!("{}?{query}", routes::state(iso3)) }
}

pub async fn page(
    State(ctx): State<Ctx>,
    Path(input): Path<String>,
    PageQuery(query): PageQuery<StateQuery>,
) -> Result<Response, PageError> {
    let main = match resolve_state(&input) {
        Ok(iso3) if iso3.as_str() == input => iso3,
        Ok(iso3) => {
            return Ok(Redirect::permanent(&state_href(iso3.as_str(), query.compare.as_deref())).into_response());
        }
        Err(suggestions) => {
            let links = suggestions
                .iter()
                .map(|s| Link::new(s.clone(), routes::state(s.split_whitespace().next().unwrap_or_default())))
                .collect();
            return Err(PageError::not_found(
                format!("There is no state `{input}` in normwatch's state table."),
                links,
            ));
        }
    };
    let state = &ctx;
    let catalog = ctx.app().catalog().await?;
    let (others, problems) = compared(query.compare.as_deref(), main);
    let all: Vec<Iso3> = std::iter::once(main).chain(others.iter().copied()).collect();
    let columns = all
        .iter()
        .map(|iso3| {
            let p = profile(&catalog, *iso3);
            Column {
                link: Link::state(*iso3),
                iso3: iso3.to_string(),
                group: iso3.info().regional_group.map(|g| g.name()).unwrap_or("in no regional group").to_string(),
                introduced: doc_links(&p.introduced),
                cosponsored: doc_links(&p.cosponsored),
                not_sponsoring: doc_links(&p.not_sponsoring),
                seats: p
                    .seats
                    .iter()
                    .map(|s| {
                        let years = year_span(s.start_year, s.end_year);
                        (
                            Link::new(s.name.clone().unwrap_or_else(|| s.group.clone()), routes::group(&s.group)),
                            if s.chair { format!("{years}, chair") } else { years },
                        )
                    })
                    .collect(),
            }
        })
        .collect();
    let docs: Vec<&DocumentView> = catalog.documents.iter().collect();
    let series_votes = state.app().series_votes(&docs, &all).await?;
    let agreement_list = agreements(state.app(), main, &others).await?;
    let mut years: Vec<i32> =
        agreement_list.iter().flat_map(|a| a.years.iter().filter(|y| y.votes > 0).map(|y| y.year)).collect();
    years.sort_unstable();
    years.dedup();
    let agreement_rows = years
        .iter()
        .rev()
        .map(|year| AgreementRow {
            year: *year,
            cells: agreement_list
                .iter()
                .map(|a| match a.years.iter().find(|y| y.year == *year) {
                    Some(y) if y.votes > 0 => format!("{:.0}% of {}", y.share.unwrap_or(0.0) * 100.0, y.votes),
                    _ => "—".to_string(),
                })
                .collect(),
        })
        .collect();
    let compare_text = others.iter().map(|s| s.to_string()).collect::<Vec<_>>().join(",");
    let agreement_chart = agreement_svg(main, &agreement_list).map(|svg| Figure {
        svg,
        href: routes::figure_with(
            "state-agreement",
            &[("id", Some(main.to_string())), ("compare", Some(compare_text.clone()))],
        ),
        name: format!("{main}-agreement"),
        caption: "Voting agreement per year.".into(),
    });
    let measured = state.app().measured().await?;
    let debate = &measured.inputs.debate;
    let mentions = debate
        .mentions
        .iter()
        .filter(|m| m.state == main)
        .map(|m| MentionRow {
            year: m.year,
            terms: m.terms.join(", "),
            count: m.count,
            snippet: m.snippet.clone(),
            href: format!(
                "{}?q={}",
                routes::speech(main.as_str(), m.year),
                routes::encode_query(m.terms.first().map_or("", String::as_str))
            ),
        })
        .collect();
    let info = main.info();
    let lexicon = &state.app().measurement_config().salience_lexicon;
    Ok(StatePage {
        debate_held: !debate.speakers.is_empty(),
        lexicon: lexicon.join(", "),
        terms_href: routes::terms_in_state(lexicon.first().map_or("", String::as_str), main.as_str()),
        mentions,
        name: info.name.clone(),
        group: info.regional_group.map(|g| g.name()).unwrap_or("in no regional group").to_string(),
        membership: match (info.member_from, info.member_to) {
            (Some(from), Some(to)) => format!("Member State from {from} to {to}"),
            (Some(from), None) => format!("Member State since {from}"),
            _ => "Not a Member State".to_string(),
        },
        columns,
        vote_rows: series_votes
            .iter()
            .map(|v| VoteRow {
                link: Link::document(&v.symbol),
                year: v.year.map(|y| y.to_string()).unwrap_or_default(),
                votes: v.votes.iter().map(|(_, vote)| vote_text(*vote)).collect(),
                source: v.source.clone(),
            })
            .collect(),
        agreement_heads: others.iter().map(|s| format!("with {} ({s})", s.info().name)).collect(),
        agreement_rows,
        agreement_chart,
        export_href: format!(
            "{}?{}",
            routes::api_state(main.as_str()),
            if compare_text.is_empty() {
                String::new()
            } else {
                format!("{}&", routes::query(&[("compare", Some(compare_text.clone()))]))
            }
        ),
        compare: compare_text,
        problems,
        self_href: routes::state(main.as_str()),
        iso3: main.to_string(),
    }
    .into_response())
}

/// A state's record on the cyber agenda: sponsorships, group seats, votes on the cyber
/// series, agreement with up to two others; `?table=sponsorships|votes|seats|agreement`
/// exports one table.
#[utoipa::path(
    get,
    path = "/api/states/{iso3}",
    tag = "states",
    params(("iso3" = String, Path, description = "A state: its ISO3 code, another code or its name"), StateQuery),
    responses(
        (status = 200, description = "The state's record, or one of its tables", content(
            (OrTable<StateJson> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "A state to compare with that is unknown, or more than two", body = NotFoundJson),
        (status = 404, description = "No such state (with the states meant) or table", body = NotFoundJson),
    )
)]
pub async fn api_state(
    State(ctx): State<Ctx>,
    Path(input): Path<String>,
    ApiQuery(query): ApiQuery<StateQuery>,
) -> Result<Response, ApiError> {
    let main = resolve_state(&input).map_err(|suggestions| {
        ApiError::not_found(format!("there is no state `{input}` in normwatch's state table"), suggestions)
    })?;
    let catalog = ctx.app().catalog().await?;
    let (others, problems) = compared(query.compare.as_deref(), main);
    if let Some(problem) = problems.first() {
        return Err(ApiError::BadRequest(problem.clone()));
    }
    let all: Vec<Iso3> = std::iter::once(main).chain(others.iter().copied()).collect();
    let docs: Vec<&DocumentView> = catalog.documents.iter().collect();
    let series_votes = ctx.app().series_votes(&docs, &all).await?;
    let agreement_list = agreements(ctx.app(), main, &others).await?;
    if query.table.is_some() {
        return table_response(&query.table(), state_tables(&catalog, main, &others, &series_votes, &agreement_list));
    }
    let p = profile(&catalog, main);
    let symbols = |list: &[&DocumentView]| list.iter().map(|d| d.symbol.to_string()).collect::<Vec<_>>();
    let info = main.info();
    let json = StateJson {
        iso3: main.to_string(),
        name: info.name.clone(),
        regional_group: info.regional_group.map(|g| g.code()),
        member_from: info.member_from.map(|d| d.to_string()),
        member_to: info.member_to.map(|d| d.to_string()),
        introduced: symbols(&p.introduced),
        cosponsored: symbols(&p.cosponsored),
        not_sponsoring: symbols(&p.not_sponsoring),
        votes: series_votes
            .iter()
            .map(|v| StateVoteJson {
                symbol: v.symbol.clone(),
                series: v.series.clone(),
                year: v.year,
                vote: v.votes.first().and_then(|(_, vote)| vote.map(|x| x.as_str())),
                source: v.source.clone(),
            })
            .collect(),
        group_seats: p.seats,
        agreement: agreement_list
            .iter()
            .flat_map(|a| {
                a.years.iter().map(|y| AgreementJson {
                    with: a.with.to_string(),
                    year: y.year,
                    votes: y.votes,
                    agreed: y.agreed,
                    share: y.share,
                })
            })
            .collect(),
    };
    json_response(&json)
}

/// `/api/figures/state-agreement.svg?id=RUS&compare=USA,CHN`.
pub async fn agreement_figure(app: &App, query: &FigureQuery) -> Result<String, ApiError> {
    let input = query.id.as_deref().unwrap_or_default();
    let main = resolve_state(input).map_err(|s| ApiError::not_found(format!("there is no state `{input}`"), s))?;
    let (others, _) = compared(query.compare.as_deref(), main);
    let list = agreements(app, main, &others).await?;
    agreement_svg(main, &list).ok_or_else(|| {
        ApiError::not_found(
            "no agreement data: name states to compare with (`compare=USA`) and import votes",
            Vec::new(),
        )
    })
}

fn summaries(catalog: &Catalog) -> Vec<StateSummaryJson> {
    let mut out: Vec<StateSummaryJson> = StateRegistry::global()
        .all()
        .iter()
        .map(|info| {
            let p = profile(catalog, info.iso3);
            StateSummaryJson {
                iso3: info.iso3.to_string(),
                name: info.name.clone(),
                regional_group: info.regional_group.map(|g| g.code()),
                introduced: p.introduced.len(),
                cosponsored: p.cosponsored.len(),
                group_seats: p.seats.len(),
                voted_no: p.voted_no.len(),
            }
        })
        .collect();
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

#[derive(Template, WebTemplate)]
#[template(path = "states.html")]
pub struct StatesIndex {
    /// Each state with the address of its profile.
    pub states: Vec<(StateSummaryJson, String)>,
}

pub async fn index(
    State(ctx): State<Ctx>,
    PageQuery(query): PageQuery<StatesPageQuery>,
) -> Result<Response, PageError> {
    // The jump form: `/states?state=Russia` goes to the profile.
    if let Some(input) = &query.state {
        return Ok(Redirect::to(&state_href(input, query.compare.as_deref())).into_response());
    }
    let catalog = ctx.app().catalog().await?;
    let mut states = summaries(&catalog);
    states.sort_by(|a, b| {
        (b.introduced + b.cosponsored + b.group_seats + b.voted_no)
            .cmp(&(a.introduced + a.cosponsored + a.group_seats + a.voted_no))
            .then_with(|| a.name.cmp(&b.name))
    });
    let states = states
        .into_iter()
        .map(|s| {
            let href = routes::state(&s.iso3);
            (s, href)
        })
        .collect();
    Ok(StatesIndex { states }.into_response())
}

/// Every state with its counts on the cyber agenda; paged, or exported whole with `format`.
#[utoipa::path(
    get,
    path = "/api/states",
    tag = "states",
    params(StatesQuery),
    responses(
        (status = 200, description = "The states, by name", content(
            (Vec<StateSummaryJson> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 400, description = "A parameter that cannot be read", body = NotFoundJson),
    )
)]
pub async fn api_list(
    State(ctx): State<Ctx>,
    uri: Uri,
    ApiQuery(query): ApiQuery<StatesQuery>,
) -> Result<Response, ApiError> {
    let catalog = ctx.app().catalog().await?;
    let list: Vec<StateSummaryJson> = summaries(&catalog)
        .into_iter()
        .filter(|s| {
            query
                .q
                .as_deref()
                .is_none_or(|q| s.name.to_lowercase().contains(&q.to_lowercase()) || s.iso3.eq_ignore_ascii_case(q))
        })
        .collect();
    list_response(&uri, query.paging(), list, |page| {
        let mut table = Table::new(
            "states",
            &["iso3", "name", "regional_group", "introduced", "cosponsored", "group_seats", "voted_no"],
        );
        for s in page {
            table.push(vec![
                json!(s.iso3),
                json!(s.name),
                json!(s.regional_group),
                json!(s.introduced),
                json!(s.cosponsored),
                json!(s.group_seats),
                json!(s.voted_no),
            ]);
        }
        table
    })
}
