//! Full-text search for normwatch, over tantivy, behind one small interface that knows
//! nothing of the database or the web.
//!
//! The caller hands in plain [`Doc`]s, each pointing to a typed [`Target`] (a field of a
//! record, an annex item, a paragraph, a speech); [`SearchIndex::rebuild`] replaces the whole
//! index in one atomic commit stamped with the store revision it reflects ([`Stamp`]), and
//! [`SearchIndex::replace_source`] replaces one source's documents the same way. A user's
//! query is parsed by [`Query::parse`] (words, `"phrases"`, prefixes `cyber*`, `AND`/`OR`/
//! `NOT`/`-word`, brackets; see [`query`]) and run by [`SearchIndex::search`] with filters
//! by kind, year range and state: BM25 ranking, an exact total, any page, highlighted
//! [`Snippet`]s.
//!
//! Tokens everywhere (index, query, snippets) follow one rule, [`token::tokens`]: maximal
//! runs of Unicode letters and digits, lower-cased.
//!
//! ```
//! use normwatch_search::{Doc, Query, SearchIndex, SearchRequest, Stamp, Target};
//!
//! let dir = tempfile::tempdir().unwrap();
//! let index = SearchIndex::open(dir.path()).unwrap();
//! let doc = Doc {
//!     target: Target::Speech { state: "EST".into(), year: 2007 },
//!     source: "speeches".into(),
//!     kind: "speech".into(),
//!     title: "Estonia, 2007".into(),
//!     year: Some(2007),
//!     state: Some("EST".into()),
//!     link: "/speeches/EST/2007".into(),
//!     body: "Cyber attacks against critical infrastructure…".into(),
//! };
//! index.rebuild([Ok::<_, std::io::Error>(doc)], &Stamp::new("db:7")).unwrap();
//! let results = index.search(&SearchRequest::new(Query::parse("cyber*").unwrap(), 10)).unwrap();
//! assert_eq!((results.total, results.revision.as_deref()), (1, Some("db:7")));
//! assert_eq!(results.hits[0].snippet.to_html(), "<mark>Cyber</mark> attacks against critical infrastructure…");
//! ```

pub mod index;
pub mod query;
pub mod search;
pub mod snippet;
pub mod target;
pub mod token;

pub use index::{Doc, SearchError, SearchIndex, Stamp, WriteStats, WriterConfig};
pub use query::{Pattern, Query, QueryError, QueryErrorKind};
pub use search::{Hit, SearchRequest, SearchResults};
pub use snippet::{Snippet, SnippetPart};
pub use target::Target;
