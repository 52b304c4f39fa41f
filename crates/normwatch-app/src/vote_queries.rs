//! The roll calls an analysis runs over, and the queries behind `normwatch votes …`:
//! a scope resolved against the knowledge base and the imported datasets, with typed
//! errors for what the user asked that does not exist.

use normwatch_core::Symbol;
use normwatch_core::kb::RecordKind;
use normwatch_store::votes::DatasetStatus;
use normwatch_store::{Store, StoreError};
use normwatch_votes::analysis::{self, RollCallReport, Scope, When};
use normwatch_votes::crosscheck::{self, CrossCheck};
use normwatch_votes::model::{Dataset, RollCall, VoteTable};

use crate::App;

/// What a query asked for that is not there, or that makes no sense.
#[derive(Debug, thiserror::Error)]
pub enum QueryError {
    #[error("no series `{id}`; the series are: {}", known.join(", "))]
    UnknownSeries { id: String, known: Vec<String> },
    #[error("no votes imported yet; run `normwatch import votes PATH` (e.g. ../shared/data/unvotes-voeten/) first")]
    NothingImported,
    #[error("{dataset} is not imported; imported: {}", names(imported))]
    NotImported { dataset: Dataset, imported: Vec<Dataset> },
    #[error(
        "no roll call on {symbol} in the imported data ({}); it may have been adopted without a vote, which these datasets do not record",
        names(imported)
    )]
    NoRollCall { symbol: Symbol, imported: Vec<Dataset> },
    #[error("--from-session {from} comes after --to-session {to}")]
    SessionsReversed { from: u16, to: u16 },
    #[error(
        "the cross-check needs two imported datasets (now: {}); import unvotes and the 2021 scrape",
        names(imported)
    )]
    TooFewDatasets { imported: Vec<Dataset> },
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl QueryError {
    /// Whether the user named something that does not exist (a series, a roll call):
    /// the CLI exits 3 for these.
    pub fn is_not_found(&self) -> bool {
        matches!(self, QueryError::UnknownSeries { .. } | QueryError::NoRollCall { .. })
    }

    /// Whether the arguments contradict each other: the CLI exits 2.
    pub fn is_usage(&self) -> bool {
        matches!(self, QueryError::SessionsReversed { .. })
    }
}

fn names(datasets: &[Dataset]) -> String {
    if datasets.is_empty() {
        return "none".to_string();
    }
    datasets.iter().map(|d| d.source_id()).collect::<Vec<_>>().join(", ")
}

/// The one check that a series exists, for every command that takes `--series`.
pub async fn check_series(store: &Store, id: &str) -> Result<(), QueryError> {
    let known = store.ids(RecordKind::Series).await?;
    if known.iter().any(|k| k == id) { Ok(()) } else { Err(QueryError::UnknownSeries { id: id.to_string(), known }) }
}

/// Which roll calls to analyse.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VoteQuery {
    /// First and last regular session, inclusive.
    pub sessions: Option<(u16, u16)>,
    /// First and last year, inclusive.
    pub years: Option<(i32, i32)>,
    /// Only the votes adopting the documents of this knowledge-base series.
    pub series: Option<String>,
    /// Only roll calls with this issue code.
    pub issue: Option<String>,
    /// One dataset only instead of combining them.
    pub dataset: Option<Dataset>,
}

/// The roll calls an analysis runs over: the imported datasets combined (or one), and
/// the scope.
pub struct Selection {
    tables: Vec<VoteTable>,
    /// Each whole dataset's latest roll call, to combine datasets without overlap.
    latest: Vec<(Dataset, When)>,
    dataset: Option<Dataset>,
    scope: Scope,
    series: Option<String>,
}

impl Selection {
    /// The datasets the selection reads, in order of preference.
    pub fn datasets(&self) -> Vec<Dataset> {
        self.tables.iter().map(|t| t.dataset).filter(|d| self.dataset.is_none_or(|only| *d == only)).collect()
    }

    pub fn scope(&self) -> &Scope {
        &self.scope
    }

    pub fn series(&self) -> Option<&str> {
        self.series.as_deref()
    }

    /// The roll calls in scope, in time order.
    pub fn roll_calls(&self) -> Result<Vec<&RollCall>, QueryError> {
        if self.tables.is_empty() {
            return Err(QueryError::NothingImported);
        }
        let combined: Vec<&RollCall> = match self.dataset {
            None => analysis::chain_until(&self.tables, &self.latest),
            Some(dataset) => {
                let Some(table) = self.tables.iter().find(|t| t.dataset == dataset) else {
                    return Err(QueryError::NotImported {
                        dataset,
                        imported: self.tables.iter().map(|t| t.dataset).collect(),
                    });
                };
                let mut list: Vec<&RollCall> = table.roll_calls.iter().collect();
                list.sort_by_key(|r| r.sort_key());
                list
            }
        };
        Ok(analysis::select(&combined, &self.scope))
    }
}

impl App {
    /// Resolves a query against the knowledge base (the series) and the imported data.
    pub async fn select_votes(&self, query: VoteQuery) -> Result<Selection, QueryError> {
        let store = self.store();
        if let Some((from, to)) = query.sessions
            && from > to
        {
            return Err(QueryError::SessionsReversed { from, to });
        }
        let symbols = match &query.series {
            None => None,
            Some(id) => {
                check_series(store, id).await?;
                // The documents whose `series` claim names it (what `Store::series_documents`
                // resolves, without resolving every document).
                let ids = store.ids_referencing(RecordKind::Document, "series", id).await?;
                Some(ids.iter().filter_map(|symbol| Symbol::parse(symbol).ok()).collect::<Vec<_>>())
            }
        };
        let scope = Scope { sessions: query.sessions, years: query.years, symbols, issue: query.issue };
        let tables = store.vote_tables(&scope).await?;
        let latest = store.vote_latest().await?;
        Ok(Selection { tables, latest, dataset: query.dataset, scope, series: query.series })
    }

    /// Every roll call held on one symbol (each dataset's, separate votes too), in full.
    pub async fn roll_call_reports(&self, symbol: &Symbol) -> Result<Vec<RollCallReport>, QueryError> {
        let roll_calls = self.store().roll_calls_for(symbol).await?;
        if roll_calls.is_empty() {
            let files = self.store().imported_file_hashes().await?;
            let imported: Vec<Dataset> =
                Dataset::ALL.into_iter().filter(|d| files.iter().any(|(f, _)| f == d)).collect();
            if imported.is_empty() {
                return Err(QueryError::NothingImported);
            }
            return Err(QueryError::NoRollCall { symbol: symbol.clone(), imported });
        }
        Ok(roll_calls.iter().map(analysis::roll_call_report).collect())
    }

    /// Every pair of imported datasets compared on the roll calls they share.
    pub async fn crosscheck(&self) -> Result<Vec<CrossCheck>, QueryError> {
        let tables = self.store().vote_tables(&Scope::default()).await?;
        let imported: Vec<&VoteTable> = tables.iter().filter(|t| !t.roll_calls.is_empty()).collect();
        if imported.len() < 2 {
            return Err(QueryError::TooFewDatasets { imported: imported.iter().map(|t| t.dataset).collect() });
        }
        let mut checks = Vec::new();
        for (i, left) in imported.iter().enumerate() {
            for right in &imported[i + 1..] {
                checks.push(crosscheck::crosscheck(left, right));
            }
        }
        Ok(checks)
    }

    /// What has been imported: datasets, files with their SHA-256, and a digest of the votes.
    pub async fn vote_imports(&self) -> Result<Vec<DatasetStatus>, QueryError> {
        Ok(self.store().vote_imports().await?)
    }
}
