//! The query parameters of every route, as one typed struct per route, and the extractors
//! that read them: [`ApiQuery`] answers a bad value with a JSON 400 naming the parameter
//! and the reason, [`PageQuery`] with a 400 page. Empty values (an unselected filter of a
//! plain HTML form) count as absent.
//!
//! Layer 3: refers to `error` (and, for the document filter, to `ui`).

use std::fmt::Display;
use std::str::FromStr;

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use normwatch_app::search::HitKind;
use normwatch_core::Iso3;
use normwatch_core::domain::{Committee, DocumentKind, GroupKind, Stream};
use normwatch_core::view::DocumentView;
use serde::{Deserialize, Deserializer};
use utoipa::IntoParams;

use crate::error::{ApiError, PageError};
use crate::ui::document_year;

/// Reads an optional parameter through `FromStr`; blank means absent.
fn opt<'de, D, T>(deserializer: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: FromStr,
    T::Err: Display,
{
    let text: Option<String> = Option::deserialize(deserializer)?;
    match text.as_deref().map(str::trim) {
        None | Some("") => Ok(None),
        Some(value) => value.parse().map(Some).map_err(|e| serde::de::Error::custom(format!("`{value}`: {e}"))),
    }
}

fn bad_query(rejection: axum::extract::rejection::QueryRejection) -> String {
    // serde_urlencoded names the field and the reason; drop axum's generic prefix.
    let text = rejection.body_text();
    text.strip_prefix("Failed to deserialize query string: ").unwrap_or(&text).to_string()
}

/// The query of an API route; a value that cannot be read is a JSON 400.
pub struct ApiQuery<T>(pub T);

/// The query of a page; a value that cannot be read is a 400 page.
pub struct PageQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| ApiQuery(q))
            .map_err(|e| ApiError::BadRequest(bad_query(e)))
    }
}

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> FromRequestParts<S> for PageQuery<T> {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state)
            .await
            .map(|Query(q)| PageQuery(q))
            .map_err(|e| PageError::BadRequest(bad_query(e)))
    }
}

/// `format=csv|json`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

impl FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "csv" => Ok(Format::Csv),
            "json" => Ok(Format::Json),
            _ => Err("use csv or json".to_string()),
        }
    }
}

/// A committee, in any letter case (`first`, `First`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommitteeParam(pub Committee);

impl FromStr for CommitteeParam {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Committee::ALL
            .iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s))
            .map(|c| CommitteeParam(*c))
            .ok_or_else(|| "use First, Second or Third".to_string())
    }
}

/// The kind filter of documents: `document` (any) or a document kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DocKind {
    Any,
    Kind(DocumentKind),
}

impl FromStr for DocKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "document" {
            return Ok(DocKind::Any);
        }
        s.parse().map(DocKind::Kind).map_err(|e: normwatch_core::domain::VocabularyError| e.to_string())
    }
}

/// The kind filter of the timeline: a kind of document, or groups, events, incidents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimelineKind {
    Document(DocKind),
    Group,
    Event,
    Incident,
}

impl FromStr for TimelineKind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "group" => Ok(TimelineKind::Group),
            "event" => Ok(TimelineKind::Event),
            "incident" => Ok(TimelineKind::Incident),
            other => other.parse().map(TimelineKind::Document).map_err(|_| {
                "use document, a document kind (resolution, draft, report, letter, decision, other), group, event \
                 or incident"
                    .to_string()
            }),
        }
    }
}

impl TimelineKind {
    pub fn as_str(self) -> &'static str {
        match self {
            TimelineKind::Document(DocKind::Any) => "document",
            TimelineKind::Document(DocKind::Kind(k)) => k.as_str(),
            TimelineKind::Group => "group",
            TimelineKind::Event => "event",
            TimelineKind::Incident => "incident",
        }
    }
}

/// The paging and export parameters of a list.
#[derive(Clone, Copy, Debug, Default)]
pub struct Paging {
    pub format: Option<Format>,
    pub limit: Option<usize>,
    pub offset: Option<usize>,
}

/// Lists share `format`, `limit` and `offset`; this adds them to a query struct.
macro_rules! list_query {
    ($(#[$meta:meta])* $name:ident { $($(#[$field_meta:meta])* $field:ident : $ty:ty,)* }) => {
        $(#[$meta])*
        #[derive(Clone, Debug, Default, Deserialize, IntoParams)]
        #[into_params(parameter_in = Query)]
        pub struct $name {
            $($(#[$field_meta])* pub $field: $ty,)*
            /// `csv` or `json`. An export: without `limit`, every row is returned, not a page.
            #[serde(default, deserialize_with = "opt")]
            #[param(value_type = Option<String>, pattern = "^(csv|json)$")]
            pub format: Option<Format>,
            /// Rows per page: 100 by default, at most 1000; with `format`, all rows unless given.
            #[serde(default, deserialize_with = "opt")]
            #[param(value_type = Option<u32>, minimum = 1)]
            pub limit: Option<usize>,
            /// Rows to skip.
            #[serde(default, deserialize_with = "opt")]
            #[param(value_type = Option<u32>)]
            pub offset: Option<usize>,
        }

        impl $name {
            pub fn paging(&self) -> Paging {
                Paging { format: self.format, limit: self.limit, offset: self.offset }
            }
        }
    };
}

list_query!(
    /// `/api/documents`: the document filters.
    DocumentsQuery {
        /// Documents of this series (its id).
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        series: Option<String>,
        /// `document` (any) or a document kind: resolution, draft, report, letter, decision, other.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        kind: Option<DocKind>,
        /// A General Assembly Main Committee: First, Second, Third.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        committee: Option<CommitteeParam>,
        /// politico-military, economic, linking, internet-governance.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        stream: Option<Stream>,
        /// A body's id: documents of the body and of its sub-bodies.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        body: Option<String>,
        /// A state (ISO3): documents it introduced, co-sponsored, did not sponsor or voted against.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        state: Option<Iso3>,
        /// Documents of this year.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<i32>)]
        year: Option<i32>,
        /// From this year on.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<i32>)]
        from: Option<i32>,
        /// Up to this year.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<i32>)]
        to: Option<i32>,
    }
);

list_query!(
    /// `/api/timeline` and `/timeline`: the document filters, with kinds for groups and events.
    TimelineQuery {
        /// `document`, a document kind, `group`, `event` or `incident`.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        kind: Option<TimelineKind>,
        /// A General Assembly Main Committee: First, Second, Third (documents only).
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        committee: Option<CommitteeParam>,
        /// politico-military, economic, linking, internet-governance.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        stream: Option<Stream>,
        /// A body's id, with its sub-bodies.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        body: Option<String>,
        /// A state (ISO3) the entry names.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        state: Option<Iso3>,
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<i32>)]
        year: Option<i32>,
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<i32>)]
        from: Option<i32>,
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<i32>)]
        to: Option<i32>,
    }
);

list_query!(
    /// `/api/series`.
    SeriesQuery {
        /// First, Second, Third.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        committee: Option<CommitteeParam>,
        /// politico-military, economic, linking, internet-governance.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        stream: Option<Stream>,
    }
);

list_query!(
    /// `/api/groups`.
    GroupsQuery {
        /// The kind of group (gge, oewg, …).
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        kind: Option<GroupKind>,
        /// Groups this state (ISO3) sat on.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        state: Option<Iso3>,
    }
);

list_query!(
    /// `/api/bodies`, `/api/events`, `/api/actors`.
    RecordsQuery {
        /// The record's own `kind` field.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        kind: Option<String>,
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<i32>)]
        from: Option<i32>,
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<i32>)]
        to: Option<i32>,
    }
);

list_query!(
    /// `/api/states`.
    StatesQuery {
        /// Part of a state's name, or its ISO3 code.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        q: Option<String>,
    }
);

list_query!(
    /// `/api/search` and `/search`.
    SearchQuery {
        /// What to find: words (all must match), `"a phrase"`, a prefix `cyber*`, `OR`,
        /// `NOT` or `-word`, brackets; or a document symbol.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        q: Option<String>,
        /// Only hits of this kind: a kind of record (document, series, body, group, event,
        /// actor, theme, norm), or what a hit points to (record: a record's field; annex: a
        /// listed item; paragraph: a document's paragraph; speech).
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        kind: Option<HitKind>,
        /// Only hits of this year or later (hits without a year are left out).
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<i32>)]
        from: Option<i32>,
        /// Only hits of this year or earlier.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<i32>)]
        to: Option<i32>,
        /// Only hits about this state (ISO3), such as its speeches.
        #[serde(default, deserialize_with = "opt")]
        #[param(value_type = Option<String>)]
        state: Option<Iso3>,
    }
);

/// The export of one of a record's tables: `?table=sources&format=csv`.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TableQuery {
    /// One of the tables the record's page shows (`sources`, `items`, …); without it, the record.
    #[serde(default, deserialize_with = "opt")]
    #[param(value_type = Option<String>)]
    pub table: Option<String>,
    /// `csv` or `json` (the default) for `table`.
    #[serde(default, deserialize_with = "opt")]
    #[param(value_type = Option<String>, pattern = "^(csv|json)$")]
    pub format: Option<Format>,
}

/// `/api/states/{iso3}` and `/states/{iso3}`: the states to compare with, and a table.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StateQuery {
    /// Up to two other states, by code or name, separated by commas: `USA,CHN`.
    #[serde(default, deserialize_with = "opt")]
    #[param(value_type = Option<String>)]
    pub compare: Option<String>,
    #[serde(default, deserialize_with = "opt")]
    #[param(value_type = Option<String>)]
    pub table: Option<String>,
    #[serde(default, deserialize_with = "opt")]
    #[param(value_type = Option<String>, pattern = "^(csv|json)$")]
    pub format: Option<Format>,
}

impl StateQuery {
    pub fn table(&self) -> TableQuery {
        TableQuery { table: self.table.clone(), format: self.format }
    }
}

/// `/states`: the jump form (`?state=Russia`) and its comparison.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct StatesPageQuery {
    #[serde(default, deserialize_with = "opt")]
    pub state: Option<String>,
    #[serde(default, deserialize_with = "opt")]
    pub compare: Option<String>,
}

/// `/api/figures/{name}`: what the figure is of.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FigureQuery {
    /// The document of `document-votes`.
    #[serde(default, deserialize_with = "opt")]
    #[param(value_type = Option<String>)]
    pub symbol: Option<String>,
    /// The series of `series-sponsorship`, `series-votes`, `series-index`; the state of `state-agreement`.
    #[serde(default, deserialize_with = "opt")]
    #[param(value_type = Option<String>)]
    pub id: Option<String>,
    /// The states `state-agreement` compares with.
    #[serde(default, deserialize_with = "opt")]
    #[param(value_type = Option<String>)]
    pub compare: Option<String>,
}

/// The filters a document passes, shared by `/api/documents` and the timeline.
#[derive(Clone, Debug, Default)]
pub struct DocumentFilter {
    pub series: Option<String>,
    pub kind: Option<DocKind>,
    pub committee: Option<Committee>,
    pub stream: Option<Stream>,
    pub state: Option<Iso3>,
    pub year: Option<i32>,
    pub from: Option<i32>,
    pub to: Option<i32>,
}

impl DocumentsQuery {
    pub fn filter(&self) -> DocumentFilter {
        DocumentFilter {
            series: self.series.clone(),
            kind: self.kind,
            committee: self.committee.map(|c| c.0),
            stream: self.stream,
            state: self.state,
            year: self.year,
            from: self.from,
            to: self.to,
        }
    }
}

impl DocumentFilter {
    /// Whether a document passes; `bodies` is the body filter with its sub-bodies.
    pub fn matches(&self, view: &DocumentView, bodies: Option<&[String]>) -> bool {
        let year = document_year(view);
        self.series.as_ref().is_none_or(|s| view.series.as_ref() == Some(s))
            && self.kind.is_none_or(|k| match k {
                DocKind::Any => true,
                DocKind::Kind(k) => view.kind == Some(k),
            })
            && self.committee.is_none_or(|c| view.committee == Some(c))
            && self.stream.is_none_or(|s| view.stream == Some(s))
            && bodies.is_none_or(|list| view.body.as_ref().is_some_and(|b| list.contains(b)))
            && self.year.is_none_or(|y| year == Some(y))
            && self.from.is_none_or(|y| year.is_some_and(|v| v >= y))
            && self.to.is_none_or(|y| year.is_some_and(|v| v <= y))
            && self.state.is_none_or(|s| involves(view, s))
    }
}

/// Whether a document names a state: as sponsor, co-sponsor, non-sponsor or "no" voter.
pub fn involves(view: &DocumentView, state: Iso3) -> bool {
    view.voted_no.contains(&state)
        || view.sponsorship.as_ref().is_some_and(|s| {
            s.introduced_by.contains(&state) || s.cosponsors.contains(&state) || s.not_sponsoring.contains(&state)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<T: serde::de::DeserializeOwned>(query: &str) -> Result<T, String> {
        serde_urlencoded::from_str(query).map_err(|e| e.to_string())
    }

    #[test]
    fn blank_values_are_absent_and_bad_values_say_why() {
        let q: DocumentsQuery = read("kind=&from=1998&stream=economic&committee=first&state=rus").unwrap();
        assert_eq!(q.kind, None);
        assert_eq!(q.from, Some(1998));
        assert_eq!(q.stream, Some(Stream::Economic));
        assert_eq!(q.committee, Some(CommitteeParam(Committee::First)));
        assert_eq!(q.state.map(|s| s.to_string()), Some("RUS".to_string()));
        let cases = [
            ("from=soon", "`soon`"),
            ("stream=maritime", "`maritime`"),
            ("kind=memo", "`memo`"),
            ("format=xml", "csv or json"),
            ("limit=-1", "`-1`"),
        ];
        for (query, expected) in cases {
            let error = read::<DocumentsQuery>(query).unwrap_err();
            assert!(error.contains(expected), "{query}: {error}");
        }
    }

    proptest::proptest! {
        /// Any query string reads as a query or as an error with a reason; never a panic.
        #[test]
        fn any_query_string_reads_or_says_why(query in "[a-z=&%0-9,.+-]{0,60}") {
            for result in [
                read::<DocumentsQuery>(&query).map(|_| ()),
                read::<TimelineQuery>(&query).map(|_| ()),
                read::<SearchQuery>(&query).map(|_| ()),
                read::<GroupsQuery>(&query).map(|_| ()),
                read::<StateQuery>(&query).map(|_| ()),
            ] {
                if let Err(reason) = result {
                    proptest::prop_assert!(!reason.is_empty());
                }
            }
        }

        /// A year given as a number reads as that year.
        #[test]
        fn years_read_back(year in -3000i32..3000) {
            let q: TimelineQuery = read(&format!("from={year}&to=+{year}")).unwrap();
            proptest::prop_assert_eq!(q.from, Some(year));
        }
    }

    #[test]
    fn timeline_kinds_cover_documents_groups_and_events() {
        for (text, kind) in [
            ("document", TimelineKind::Document(DocKind::Any)),
            ("resolution", TimelineKind::Document(DocKind::Kind(DocumentKind::Resolution))),
            ("group", TimelineKind::Group),
            ("incident", TimelineKind::Incident),
        ] {
            assert_eq!(text.parse::<TimelineKind>().unwrap(), kind);
            assert_eq!(kind.as_str(), text);
        }
        assert!("planet".parse::<TimelineKind>().is_err());
    }
}
