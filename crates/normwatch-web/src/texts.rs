//! Texts as data: a General Debate speech (`/speeches/{ISO3}/{year}`), the trend of up to
//! four patterns over the years (`/terms?q=`), one pattern in context (`/kwic?q=`), two held
//! texts side by side (`/diff?a=&b=`),
//! and their API answers (`/api/speeches/…`, `/api/terms`, `/api/kwic`,
//! `/api/paragraphs/…`, `/api/diff`).
//!
//! Layer 6: refers to the layers below it.

use std::collections::BTreeSet;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use normwatch_api::{self as api, Table};
use normwatch_app::speeches::{self, By, SpeechError, SpeechScope, TermTable};
use normwatch_app::texts::TextError;
use normwatch_app::texts_json;
use normwatch_text::diff::SegmentKind;
use serde::Deserialize;
use serde_json::Value;
use utoipa::IntoParams;

use crate::charts;
use crate::ctx::Ctx;
use crate::error::{ApiError, Failure, PageError};
use crate::filters::{ApiQuery, PageQuery};
use crate::http::{csv_response, json_response};
use crate::routes;

/// The most patterns one trend compares.
pub const MAX_PATTERNS: usize = 4;

fn speech_error(e: SpeechError) -> ApiError {
    if e.is_not_found() {
        ApiError::not_found(e.to_string(), Vec::new())
    } else if e.is_usage() {
        ApiError::BadRequest(e.to_string())
    } else {
        match e {
            SpeechError::Store(e) => e.into(),
            other => ApiError::Failed(Failure::Texts(other.to_string())),
        }
    }
}

fn text_error(e: TextError) -> ApiError {
    if e.is_not_found() {
        ApiError::not_found(e.to_string(), Vec::new())
    } else if e.is_usage() {
        ApiError::BadRequest(e.to_string())
    } else {
        match e {
            TextError::Store(e) => e.into(),
            other => ApiError::Failed(Failure::Texts(other.to_string())),
        }
    }
}

fn page_error(e: ApiError) -> PageError {
    match e {
        ApiError::NotFound { message, suggestions } => PageError::not_found_paths(message, suggestions),
        ApiError::BadRequest(message) | ApiError::Refused { message, .. } => PageError::BadRequest(message),
        ApiError::Body { status, .. } => PageError::BadRequest(format!("refused with {status}")),
        ApiError::Failed(f) => PageError::Failed(f),
    }
}

/// A year given in a form: empty is none.
fn year(text: &Option<String>, name: &str) -> Result<Option<u16>, ApiError> {
    match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => Ok(None),
        Some(t) => t.parse().map(Some).map_err(|_| ApiError::BadRequest(format!("`{name}`: `{t}` is not a year"))),
    }
}

fn nonempty(text: &Option<String>) -> Option<String> {
    text.as_deref().map(str::trim).filter(|t| !t.is_empty()).map(String::from)
}

// ------------------------------------------------------------------ terms

/// `/terms` and `/api/terms`: patterns and the speeches they are counted over.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TermsQuery {
    /// Up to four patterns separated by commas: a word (`cyber`), a prefix (`cyber*`) or a
    /// phrase in quotes (`"information security"`); case-insensitive.
    #[serde(default)]
    pub q: Option<String>,
    /// `year` (the default) or `state`.
    #[serde(default)]
    #[param(pattern = "^(year|state)$")]
    pub by: Option<String>,
    /// Only this speaker: ISO3 code, name, or the corpus's code (`EU`).
    #[serde(default)]
    pub state: Option<String>,
    /// From this year on.
    #[serde(default)]
    #[param(value_type = Option<u16>)]
    pub from: Option<String>,
    /// Up to this year.
    #[serde(default)]
    #[param(value_type = Option<u16>)]
    pub to: Option<String>,
    /// `json` (the default), `csv`, or `svg` (the trend figure).
    #[serde(default)]
    #[param(pattern = "^(json|csv|svg)$")]
    pub format: Option<String>,
}

impl TermsQuery {
    fn patterns(&self) -> Result<Vec<String>, ApiError> {
        let patterns: Vec<String> = self
            .q
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(String::from)
            .collect();
        if patterns.len() > MAX_PATTERNS {
            return Err(ApiError::BadRequest(format!(
                "at most {MAX_PATTERNS} patterns at once, separated by commas; {} were given",
                patterns.len()
            )));
        }
        Ok(patterns)
    }

    fn by(&self) -> Result<By, ApiError> {
        match self.by.as_deref().map(str::trim) {
            None | Some("") | Some("year") => Ok(By::Year),
            Some("state") => Ok(By::State),
            Some(other) => Err(ApiError::BadRequest(format!("`by`: `{other}` is neither year nor state"))),
        }
    }

    fn scope(&self) -> Result<SpeechScope, ApiError> {
        Ok(SpeechScope { from: year(&self.from, "from")?, to: year(&self.to, "to")?, state: nonempty(&self.state) })
    }

    /// This query as a query string, with another format.
    fn href(&self, path: &str, format: Option<&str>) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        for (name, value) in
            [("q", &self.q), ("by", &self.by), ("state", &self.state), ("from", &self.from), ("to", &self.to)]
        {
            if let Some(v) = nonempty(value) {
                pairs.push((name, v));
            }
        }
        if let Some(format) = format {
            pairs.push(("format", format.to_string()));
        }
        let query: Vec<String> = pairs.iter().map(|(n, v)| format!("{n}={}", routes::encode_query(v))).collect();
        format!("{path}?{}", query.join("&"))
    }
}

async fn term_tables(ctx: &Ctx, query: &TermsQuery) -> Result<Vec<TermTable>, ApiError> {
    let by = query.by()?;
    let scope = query.scope()?;
    let mut tables = Vec::new();
    for pattern in query.patterns()? {
        tables.push(ctx.app().terms(&pattern, by, &scope).await.map_err(speech_error)?);
    }
    Ok(tables)
}

/// The tables as one CSV table: a pattern column, then the row's fields.
fn terms_table(tables: &[TermTable]) -> Table {
    let by = tables.first().map_or("year", |t| texts_json::by_name(t.by));
    let mut table = Table::new(
        "terms",
        &[
            "pattern",
            if by == "year" { "year" } else { "state" },
            "count",
            "speeches",
            "speeches_with_term",
            "states_with_term",
            "words",
            "per_10k_words",
        ],
    );
    for t in tables {
        for r in t.rows.iter().map(texts_json::term_row) {
            let group = match (r.year, r.state) {
                (Some(year), _) => Value::from(year),
                (None, state) => Value::from(state.unwrap_or_default()),
            };
            table.push(vec![
                Value::from(t.pattern.clone()),
                group,
                Value::from(r.count),
                Value::from(r.speeches),
                Value::from(r.speeches_with_term),
                Value::from(r.states_with_term),
                Value::from(r.words),
                Value::from(r.per_10k_words),
            ]);
        }
    }
    table
}

const COLORS: [&str; MAX_PATTERNS] = ["#0b5cad", "#b5470b", "#2e7d32", "#6a1b9a"];

/// The trend: occurrences per 10,000 words by year, one line per pattern.
fn trend_svg(tables: &[TermTable]) -> String {
    let years: BTreeSet<u16> =
        tables.iter().flat_map(|t| t.rows.iter().filter_map(|r| texts_json::term_row(r).year)).collect();
    let categories: Vec<String> = years.iter().map(|y| y.to_string()).collect();
    let series: Vec<charts::Series> = tables
        .iter()
        .zip(COLORS)
        .map(|(t, color)| {
            let rows: Vec<api::TermRowJson> = t.rows.iter().map(texts_json::term_row).collect();
            charts::Series {
                label: t.pattern.clone(),
                color,
                values: years
                    .iter()
                    .map(|y| rows.iter().find(|r| r.year == Some(*y)).map(|r| r.per_10k_words))
                    .collect(),
            }
        })
        .collect();
    let names: Vec<&str> = tables.iter().map(|t| t.pattern.as_str()).collect();
    charts::lines(
        "Uses per 10,000 words of the General Debate",
        &format!("Occurrences of {} per 10,000 words of the year's general-debate speeches", names.join(", ")),
        &categories,
        &series,
        false,
    )
}

/// The term table of each pattern, by year or speaker; `format=csv` gives one CSV table,
/// `format=svg` the trend figure.
#[utoipa::path(
    get,
    path = "/api/terms",
    tag = "texts",
    params(TermsQuery),
    responses(
        (status = 200, description = "One term table per pattern", body = Vec<normwatch_api::TermsJson>),
        (status = 400, description = "A pattern or parameter that cannot be read", body = normwatch_api::NotFoundJson),
        (status = 404, description = "No speeches held, or no such speaker", body = normwatch_api::NotFoundJson),
    )
)]
pub async fn api_terms(State(ctx): State<Ctx>, ApiQuery(query): ApiQuery<TermsQuery>) -> Result<Response, ApiError> {
    if query.patterns()?.is_empty() {
        return Err(ApiError::BadRequest("give at least one pattern: `q=cyber*`".to_string()));
    }
    let tables = term_tables(&ctx, &query).await?;
    match query.format.as_deref() {
        Some("csv") => Ok(csv_response(&terms_table(&tables))),
        Some("svg") => {
            let svg = trend_svg(&tables);
            Ok((StatusCode::OK, [(header::CONTENT_TYPE, "image/svg+xml; charset=utf-8")], svg).into_response())
        }
        None | Some("json") => json_response(&tables.iter().map(texts_json::terms).collect::<Vec<_>>()),
        Some(other) => Err(ApiError::BadRequest(format!("`format`: `{other}` is not json, csv or svg"))),
    }
}

pub struct PatternTable {
    pub pattern: String,
    /// The pattern on the keyword-in-context page.
    pub kwic_href: String,
    pub rows: Vec<api::TermRowJson>,
}

#[derive(Template, WebTemplate)]
#[template(path = "terms.html")]
pub struct TermsPage {
    pub q: String,
    pub by_state: bool,
    pub state: String,
    pub from: String,
    pub to: String,
    pub figure: String,
    pub tables: Vec<PatternTable>,
    pub csv_href: String,
    pub json_href: String,
    pub svg_href: String,
}

pub async fn terms_page(
    State(ctx): State<Ctx>,
    PageQuery(query): PageQuery<TermsQuery>,
) -> Result<Response, PageError> {
    let tables = if query.patterns().map_err(page_error)?.is_empty() {
        Vec::new()
    } else {
        term_tables(&ctx, &query).await.map_err(page_error)?
    };
    let by_state = query.by().map_err(page_error)? == By::State;
    let figure = if tables.is_empty() || by_state { String::new() } else { trend_svg(&tables) };
    let page = TermsPage {
        q: query.q.clone().unwrap_or_default(),
        by_state,
        state: query.state.clone().unwrap_or_default(),
        from: query.from.clone().unwrap_or_default(),
        to: query.to.clone().unwrap_or_default(),
        figure,
        tables: tables
            .iter()
            .map(|t| PatternTable {
                kwic_href: format!("/kwic?q={}", routes::encode_query(&t.pattern)),
                pattern: t.pattern.clone(),
                rows: t.rows.iter().map(texts_json::term_row).collect(),
            })
            .collect(),
        csv_href: query.href("/api/terms", Some("csv")),
        json_href: query.href("/api/terms", None),
        svg_href: query.href("/api/terms", Some("svg")),
    };
    Ok(page.into_response())
}

// ------------------------------------------------------------------ kwic

/// `/api/kwic`: one pattern in context.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct KwicQuery {
    /// A word, a prefix (`cyber*`) or a phrase in quotes.
    pub q: String,
    /// Tokens of context each side (5 by default, at most 50).
    #[serde(default)]
    pub window: Option<usize>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    #[param(value_type = Option<u16>)]
    pub from: Option<String>,
    #[serde(default)]
    #[param(value_type = Option<u16>)]
    pub to: Option<String>,
    /// `json` (the default) or `csv`.
    #[serde(default)]
    #[param(pattern = "^(json|csv)$")]
    pub format: Option<String>,
}

/// Every occurrence of a pattern in the speeches, with its context, as quanteda's `kwic`.
#[utoipa::path(
    get,
    path = "/api/kwic",
    tag = "texts",
    params(KwicQuery),
    responses(
        (status = 200, description = "Keyword-in-context lines, by year", body = Vec<normwatch_api::KwicJson>),
        (status = 400, description = "A pattern or parameter that cannot be read", body = normwatch_api::NotFoundJson),
        (status = 404, description = "No speeches held, or no such speaker", body = normwatch_api::NotFoundJson),
    )
)]
pub async fn api_kwic(State(ctx): State<Ctx>, ApiQuery(query): ApiQuery<KwicQuery>) -> Result<Response, ApiError> {
    let window = query.window.unwrap_or(5).min(50);
    let scope =
        SpeechScope { from: year(&query.from, "from")?, to: year(&query.to, "to")?, state: nonempty(&query.state) };
    let rows = ctx.app().kwic(&query.q, window, &scope).await.map_err(speech_error)?;
    let rows: Vec<api::KwicJson> = rows.iter().map(texts_json::kwic).collect();
    match query.format.as_deref() {
        Some("csv") => {
            let mut table = Table::new("kwic", &["state", "year", "left", "match", "right"]);
            for r in rows {
                table.push(vec![
                    Value::from(r.state),
                    Value::from(r.year),
                    Value::from(r.left),
                    Value::from(r.matched),
                    Value::from(r.right),
                ]);
            }
            Ok(csv_response(&table))
        }
        None | Some("json") => json_response(&rows),
        Some(other) => Err(ApiError::BadRequest(format!("`format`: `{other}` is not json or csv"))),
    }
}

// ------------------------------------------------------------------ speeches

/// `/speeches/{iso3}/{year}`: the words to mark.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SpeechQuery {
    #[serde(default)]
    pub q: Option<String>,
}

fn parse_year(text: &str) -> Result<u16, ApiError> {
    text.parse().map_err(|_| ApiError::BadRequest(format!("`{text}` is not a year")))
}

async fn held_speech(ctx: &Ctx, iso3: &str, year: u16) -> Result<normwatch_store::speeches::StoredSpeech, ApiError> {
    ctx.app()
        .speech(iso3, year)
        .await
        .map_err(speech_error)?
        .ok_or_else(|| ApiError::not_found(format!("no General Debate speech of {iso3} in {year} is held"), Vec::new()))
}

/// One speech of the General Debate with where it was read from.
#[utoipa::path(
    get,
    path = "/api/speeches/{iso3}/{year}",
    tag = "texts",
    params(
        ("iso3" = String, Path, description = "ISO3 code, name, or the corpus's code (`EU`)"),
        ("year" = u16, Path, description = "The year of the general debate"),
    ),
    responses(
        (status = 200, description = "The speech", body = normwatch_api::SpeechJson),
        (status = 404, description = "No such speech held", body = normwatch_api::NotFoundJson),
    )
)]
pub async fn api_speech(
    State(ctx): State<Ctx>,
    Path((iso3, year)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let speech = held_speech(&ctx, &iso3, parse_year(&year)?).await?;
    json_response(&texts_json::speech(&speech))
}

pub struct Piece {
    pub text: String,
    pub marked: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "speech.html")]
pub struct SpeechPage {
    pub state: String,
    pub state_name: String,
    pub state_href: Option<String>,
    pub year: u16,
    pub session: u16,
    pub words: u32,
    pub q: String,
    pub marks: usize,
    pub pieces: Vec<Piece>,
    pub path: String,
    pub source: String,
    pub sha256: String,
    pub api_href: String,
    pub terms_href: String,
    /// The speaker's record that year on the documents the knowledge base holds: what it
    /// introduced or co-sponsored, and how it voted on the cyber series.
    pub that_year: Vec<YearAction>,
}

/// One thing the speaker did on a document in the speech's year.
pub struct YearAction {
    pub symbol: String,
    pub href: String,
    pub action: String,
    pub source: String,
}

/// The speaker's sponsorships and votes on held documents of a year.
async fn actions_in(ctx: &Ctx, iso3: normwatch_core::Iso3, year: i32) -> Result<Vec<YearAction>, PageError> {
    let catalog = ctx.app().catalog().await?;
    let of_year: Vec<&normwatch_core::view::DocumentView> =
        catalog.documents.iter().filter(|d| d.year == Some(year)).collect();
    let mut out = Vec::new();
    for d in &of_year {
        let Some(s) = &d.sponsorship else { continue };
        let action = if s.introduced_by.contains(&iso3) {
            "introduced"
        } else if s.cosponsors.contains(&iso3) {
            "co-sponsored"
        } else {
            continue;
        };
        out.push(YearAction {
            symbol: d.symbol.to_string(),
            href: routes::document(&d.symbol.to_string()),
            action: action.to_string(),
            source: "knowledge base".to_string(),
        });
    }
    for v in ctx.app().series_votes(&of_year, &[iso3]).await? {
        if let Some((_, Some(vote))) = v.votes.first() {
            out.push(YearAction {
                href: routes::document(&v.symbol),
                symbol: v.symbol,
                action: format!("voted {vote}"),
                source: v.source,
            });
        }
    }
    Ok(out)
}

pub async fn speech_page(
    State(ctx): State<Ctx>,
    Path((iso3, year)): Path<(String, String)>,
    PageQuery(query): PageQuery<SpeechQuery>,
) -> Result<Response, PageError> {
    let year = parse_year(&year).map_err(page_error)?;
    let speech = held_speech(&ctx, &iso3, year).await.map_err(page_error)?;
    let q = nonempty(&query.q).unwrap_or_default();
    let marks = if q.is_empty() {
        Vec::new()
    } else {
        speeches::marks(&speech.text, &q).map_err(|e| page_error(speech_error(e)))?
    };
    let mut pieces = Vec::new();
    let mut at = 0;
    for &(start, end) in &marks {
        if start > at {
            pieces.push(Piece { text: speech.text[at..start].to_string(), marked: false });
        }
        pieces.push(Piece { text: speech.text[start..end].to_string(), marked: true });
        at = end;
    }
    pieces.push(Piece { text: speech.text[at..].to_string(), marked: false });
    let registry = normwatch_core::state::StateRegistry::global();
    let known = if speech.resolved { registry.lookup(&speech.state) } else { None };
    let that_year = match known {
        Some(info) => actions_in(&ctx, info.iso3, i32::from(speech.year)).await?,
        None => Vec::new(),
    };
    let page = SpeechPage {
        that_year,
        state_name: known.map_or_else(|| speech.state.clone(), |s| s.name.clone()),
        state_href: known.map(|s| routes::state(s.iso3.as_str())),
        state: speech.state.clone(),
        year: speech.year,
        session: speech.session,
        words: speech.words,
        marks: marks.len(),
        pieces,
        path: speech.path.clone(),
        source: speech.source.clone(),
        sha256: speech.sha256.clone(),
        api_href: format!("/api/speeches/{}/{}", routes::encode_path(&speech.state), speech.year),
        terms_href: if q.is_empty() { String::new() } else { routes::terms_in_state(&q, &speech.state) },
        q,
    };
    Ok(page.into_response())
}

/// `/kwic`: the page of one pattern in context (every field optional, as a form sends it).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct KwicPageQuery {
    #[serde(default)]
    pub q: Option<String>,
    #[serde(default)]
    pub window: Option<String>,
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub from: Option<String>,
    #[serde(default)]
    pub to: Option<String>,
}

/// The most lines the page shows (the exports hold every line).
pub const KWIC_PAGE_ROWS: usize = 500;

pub struct KwicLine {
    pub state: String,
    pub year: u16,
    pub href: String,
    pub left: String,
    pub matched: String,
    pub right: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "kwic.html")]
pub struct KwicPage {
    pub q: String,
    pub window: usize,
    pub state: String,
    pub from: String,
    pub to: String,
    pub total: usize,
    pub shown: usize,
    pub rows: Vec<KwicLine>,
    pub csv_href: String,
    pub json_href: String,
    pub terms_href: String,
}

pub async fn kwic_page(
    State(ctx): State<Ctx>,
    PageQuery(query): PageQuery<KwicPageQuery>,
) -> Result<Response, PageError> {
    let q = nonempty(&query.q).unwrap_or_default();
    let window = match nonempty(&query.window) {
        None => 5,
        Some(text) => text
            .parse::<usize>()
            .map_err(|_| page_error(ApiError::BadRequest(format!("`window`: `{text}` is not a number of words"))))?
            .clamp(1, 50),
    };
    let scope = SpeechScope {
        from: year(&query.from, "from").map_err(page_error)?,
        to: year(&query.to, "to").map_err(page_error)?,
        state: nonempty(&query.state),
    };
    let all = if q.is_empty() {
        Vec::new()
    } else {
        ctx.app().kwic(&q, window, &scope).await.map_err(|e| page_error(speech_error(e)))?
    };
    let lines: Vec<api::KwicJson> = all.iter().take(KWIC_PAGE_ROWS).map(texts_json::kwic).collect();
    let pairs: Vec<(&str, Option<String>)> = vec![
        ("q", Some(q.clone())),
        ("window", Some(window.to_string())),
        ("state", nonempty(&query.state)),
        ("from", nonempty(&query.from)),
        ("to", nonempty(&query.to)),
    ];
    let encoded = |extra: Option<&str>| {
        let mut list: Vec<String> =
            pairs.iter().filter_map(|(n, v)| v.as_ref().map(|v| format!("{n}={}", routes::encode_query(v)))).collect();
        if let Some(format) = extra {
            list.push(format!("format={format}"));
        }
        list.join("&")
    };
    let mut terms = vec![format!("q={}", routes::encode_query(&q))];
    for (name, value) in [("state", &query.state), ("from", &query.from), ("to", &query.to)] {
        if let Some(v) = nonempty(value) {
            terms.push(format!("{name}={}", routes::encode_query(&v)));
        }
    }
    let page = KwicPage {
        window,
        state: query.state.clone().unwrap_or_default(),
        from: query.from.clone().unwrap_or_default(),
        to: query.to.clone().unwrap_or_default(),
        total: all.len(),
        shown: lines.len(),
        rows: lines
            .into_iter()
            .map(|r| KwicLine {
                href: format!("{}?q={}", routes::speech(&r.state, i32::from(r.year)), routes::encode_query(&q)),
                state: r.state,
                year: r.year,
                left: r.left,
                matched: r.matched,
                right: r.right,
            })
            .collect(),
        csv_href: format!("/api/kwic?{}", encoded(Some("csv"))),
        json_href: format!("/api/kwic?{}", encoded(None)),
        terms_href: format!("/terms?{}", terms.join("&")),
        q,
    };
    Ok(page.into_response())
}

// ------------------------------------------------------------------ paragraphs and diffs

/// A document's held paragraphs (an imported text's, or the knowledge base's reviewed
/// ones) with their verbs and strengths.
#[utoipa::path(
    get,
    path = "/api/paragraphs/{*symbol}",
    tag = "texts",
    params(("symbol" = String, Path, description = "A document symbol, slashes as they are: A/RES/57/239")),
    responses(
        (status = 200, description = "The paragraphs in order", body = Vec<normwatch_api::TextParagraphJson>),
        (status = 400, description = "Not a document symbol", body = normwatch_api::NotFoundJson),
        (status = 404, description = "No text of the document is held", body = normwatch_api::NotFoundJson),
    )
)]
pub async fn api_paragraphs(State(ctx): State<Ctx>, Path(symbol): Path<String>) -> Result<Response, ApiError> {
    let held = ctx.app().paragraphs(&symbol).await.map_err(text_error)?;
    json_response(&texts_json::paragraphs(&held))
}

/// `/diff` and `/api/diff`: the two texts (A the earlier, such as the draft).
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The earlier text's symbol (a draft).
    #[serde(default)]
    pub a: Option<String>,
    /// The later text's symbol (the resolution).
    #[serde(default)]
    pub b: Option<String>,
}

/// Two held texts compared paragraph by paragraph and word by word, each change classified.
#[utoipa::path(
    get,
    path = "/api/diff",
    tag = "texts",
    params(DiffQuery),
    responses(
        (status = 200, description = "The classified changes", body = normwatch_api::DiffJson),
        (status = 400, description = "A missing or unreadable symbol", body = normwatch_api::NotFoundJson),
        (status = 404, description = "A text that is not held", body = normwatch_api::NotFoundJson),
    )
)]
pub async fn api_diff(State(ctx): State<Ctx>, ApiQuery(query): ApiQuery<DiffQuery>) -> Result<Response, ApiError> {
    let (Some(a), Some(b)) = (nonempty(&query.a), nonempty(&query.b)) else {
        return Err(ApiError::BadRequest("give both texts: `a=SYMBOL&b=SYMBOL`".to_string()));
    };
    let comparison = ctx.app().diff_texts(&a, &b).await.map_err(text_error)?;
    json_response(&texts_json::diff(&comparison))
}

pub struct DiffRow {
    pub part: &'static str,
    pub a: String,
    pub b: String,
    pub left: Vec<Piece>,
    pub right: Vec<Piece>,
}

#[derive(Template, WebTemplate)]
#[template(path = "diff.html")]
pub struct DiffPage {
    pub a: String,
    pub b: String,
    pub held_a: String,
    pub held_b: String,
    pub rows: Vec<DiffRow>,
    pub changes: Vec<api::ChangeJson>,
    pub api_href: String,
    pub compared: bool,
}

pub async fn diff_page(State(ctx): State<Ctx>, PageQuery(query): PageQuery<DiffQuery>) -> Result<Response, PageError> {
    let (a, b) = (nonempty(&query.a).unwrap_or_default(), nonempty(&query.b).unwrap_or_default());
    let mut page = DiffPage {
        a: a.clone(),
        b: b.clone(),
        held_a: String::new(),
        held_b: String::new(),
        rows: Vec::new(),
        changes: Vec::new(),
        api_href: String::new(),
        compared: false,
    };
    if a.is_empty() || b.is_empty() {
        return Ok(page.into_response());
    }
    let comparison = ctx.app().diff_texts(&a, &b).await.map_err(|e| page_error(text_error(e)))?;
    let json = texts_json::diff(&comparison);
    // The printed number where the text gives one, else `#` and the position in its part.
    let number = |printed: &Option<String>, n: Option<usize>| match (printed, n) {
        (Some(printed), _) => printed.clone(),
        (None, Some(n)) => format!("#{n}"),
        (None, None) => String::new(),
    };
    page.rows = comparison
        .diff
        .aligned
        .iter()
        .map(|row| {
            let side = |keep: SegmentKind| -> Vec<Piece> {
                row.segments
                    .iter()
                    .filter(|s| s.kind == SegmentKind::Same || s.kind == keep)
                    .map(|s| Piece { text: s.text.clone(), marked: s.kind != SegmentKind::Same })
                    .collect()
            };
            DiffRow {
                part: row.part.as_str(),
                a: number(&row.number_a, row.paragraph_a),
                b: number(&row.number_b, row.paragraph_b),
                left: if row.paragraph_a.is_some() { side(SegmentKind::Removed) } else { Vec::new() },
                right: if row.paragraph_b.is_some() { side(SegmentKind::Added) } else { Vec::new() },
            }
        })
        .collect();
    page.a = json.a.clone();
    page.b = json.b.clone();
    page.held_a = json.held_a.clone();
    page.held_b = json.held_b.clone();
    page.api_href = format!("/api/diff?a={}&b={}", routes::encode_query(&json.a), routes::encode_query(&json.b));
    page.changes = json.changes;
    page.compared = true;
    Ok(page.into_response())
}
