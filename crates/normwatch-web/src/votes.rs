//! Imported roll-call votes as the pages show them, on the votes crate's analyses and the
//! store's vote tables: a document's adoption vote by regional group and by state, a
//! state's votes on the cyber series, and a pair's agreement year by year.

use std::sync::{Arc, Mutex, OnceLock};

use normwatch_core::Iso3;
use normwatch_core::domain::{Modality, VoteValue};
use normwatch_core::view::DocumentView;
use normwatch_store::{Store, StoreError};
use normwatch_votes::RollCall;
use normwatch_votes::analysis::{self, roll_call_report};
use normwatch_votes::model::{Part, preferred_adoption_vote};
use serde_json::json;

use crate::contract::Table;
use crate::pages::Link;

pub struct GroupRow {
    pub code: String,
    pub name: String,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub non_voting: u32,
}

impl GroupRow {
    pub fn count(&self, vote: VoteValue) -> u32 {
        match vote {
            VoteValue::Yes => self.yes,
            VoteValue::No => self.no,
            VoteValue::Abstain => self.abstain,
            VoteValue::NonVoting => self.non_voting,
        }
    }
}

pub struct StateVoteRow {
    pub state: Link,
    pub iso3: String,
    pub group: String,
    pub vote: &'static str,
}

pub struct OtherRollCall {
    pub record: String,
    pub date: String,
    pub part: &'static str,
    pub totals: String,
}

/// A document's adoption vote as the imported roll-call data give it.
pub struct DocumentVotes {
    /// `unvotes rcid=4618`: the dataset record the tables come from.
    pub source: String,
    pub date: String,
    pub totals: String,
    pub groups: Vec<GroupRow>,
    pub states: Vec<StateVoteRow>,
    /// Roll calls on the same symbol in other datasets or on parts of the text.
    pub others: Vec<OtherRollCall>,
    pub chart: String,
    pub figure_href: String,
}

impl DocumentVotes {
    pub fn tables(&self) -> Vec<Table> {
        let mut by_group =
            Table::new("votes-by-group", &["group", "name", "yes", "no", "abstain", "non_voting", "source"]);
        for g in &self.groups {
            by_group.push(vec![
                json!(g.code),
                json!(g.name),
                json!(g.yes),
                json!(g.no),
                json!(g.abstain),
                json!(g.non_voting),
                json!(self.source),
            ]);
        }
        let mut by_state = Table::new("votes", &["iso3", "name", "regional_group", "vote", "source"]);
        for s in &self.states {
            by_state.push(vec![json!(s.iso3), json!(s.state.label), json!(s.group), json!(s.vote), json!(self.source)]);
        }
        vec![by_state, by_group]
    }
}

/// The adoption vote of a document in the preferred dataset, if any dataset has one.
pub async fn document_votes(store: &Store, view: &DocumentView) -> Result<Option<DocumentVotes>, StoreError> {
    let roll_calls = store.roll_calls_for(&view.symbol).await?;
    let Some(roll_call) = preferred_adoption_vote(&roll_calls) else { return Ok(None) };
    let report = roll_call_report(roll_call);
    let symbol = view.symbol.to_string();
    let groups: Vec<GroupRow> = report
        .groups
        .iter()
        .filter(|g| g.yes + g.no + g.abstain + g.non_voting > 0)
        .map(|g| GroupRow {
            code: g.group.unwrap_or("none").to_string(),
            name: g.name.to_string(),
            yes: g.yes,
            no: g.no,
            abstain: g.abstain,
            non_voting: g.non_voting,
        })
        .collect();
    let mut states: Vec<StateVoteRow> = report
        .votes
        .iter()
        .map(|v| StateVoteRow {
            state: Link::new(format!("{} ({})", v.name, v.state), format!("/states/{}", v.state)),
            iso3: v.state.to_string(),
            group: v.state.info().regional_group.map(|g| g.code()).unwrap_or("none").to_string(),
            vote: v.vote.as_str(),
        })
        .collect();
    // Noes and abstentions first: they are what readers look for.
    states.sort_by_key(|s| {
        (
            match s.vote {
                "no" => 0,
                "abstain" => 1,
                "non_voting" => 2,
                _ => 3,
            },
            s.iso3.clone(),
        )
    });
    let others = roll_calls
        .iter()
        .filter(|r| !std::ptr::eq(*r, roll_call))
        .map(|r| OtherRollCall {
            record: format!("{} {}", r.dataset.source_id(), r.record_ref()),
            date: r.date.map(|d| d.to_string()).unwrap_or_else(|| r.year.to_string()),
            part: match r.part {
                Part::Whole => "whole",
                Part::Paragraph => "paragraph",
                Part::Amendment => "amendment",
            },
            totals: r.totals.to_string(),
        })
        .collect();
    let chart = crate::pages::votes_chart(&symbol, &groups);
    Ok(Some(DocumentVotes {
        source: format!("{} {}", roll_call.dataset.source_id(), roll_call.record_ref()),
        date: roll_call.date.map(|d| d.to_string()).unwrap_or_else(|| roll_call.year.to_string()),
        totals: roll_call.totals.to_string(),
        groups,
        states,
        others,
        chart,
        figure_href: crate::pages::figure_href("document-votes", "symbol", &symbol),
    }))
}

/// A state's vote on one document: from the roll-call data where imported, else `no`
/// where the knowledge base names it among the "no" voters.
pub struct DocumentVote {
    pub symbol: String,
    pub series: Option<String>,
    pub year: Option<i32>,
    pub votes: Vec<(Iso3, Option<VoteValue>)>,
    pub source: String,
}

/// The recorded votes on the documents of the cyber series, for some states.
pub async fn series_votes(
    store: &Store,
    documents: &[&DocumentView],
    states: &[Iso3],
) -> Result<Vec<DocumentVote>, StoreError> {
    let mut out = Vec::new();
    for view in documents.iter().filter(|d| d.series.is_some() && d.modality == Some(Modality::RecordedVote)) {
        let roll_calls = store.roll_calls_for(&view.symbol).await?;
        let (votes, source) = match preferred_adoption_vote(&roll_calls) {
            Some(rc) => (
                states.iter().map(|s| (*s, rc.vote(*s))).collect(),
                format!("{} {}", rc.dataset.source_id(), rc.record_ref()),
            ),
            None => (
                states.iter().map(|s| (*s, view.voted_no.contains(s).then_some(VoteValue::No))).collect(),
                "knowledge base (voted_no)".to_string(),
            ),
        };
        out.push(DocumentVote {
            symbol: view.symbol.to_string(),
            series: view.series.clone(),
            year: view.year,
            votes,
            source,
        });
    }
    Ok(out)
}

type Cached = (String, Arc<Vec<RollCall>>);

/// Every General Assembly roll call of the imported datasets, chained without double
/// counting; kept in memory until an import changes what the database holds.
async fn all_roll_calls(store: &Store) -> Result<Arc<Vec<RollCall>>, StoreError> {
    static CACHE: OnceLock<Mutex<Vec<(std::path::PathBuf, Cached)>>> = OnceLock::new();
    let key = store.data_version().await?;
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    if let Ok(guard) = cache.lock()
        && let Some((_, (k, rolls))) = guard.iter().find(|(p, _)| p == store.path())
        && *k == key
    {
        return Ok(rolls.clone());
    }
    let tables = store.vote_tables(&analysis::Scope::default()).await?;
    let chained: Vec<RollCall> = analysis::chain(&tables).into_iter().cloned().collect();
    let rolls = Arc::new(chained);
    if let Ok(mut guard) = cache.lock() {
        guard.retain(|(p, _)| p != store.path());
        guard.push((store.path().to_path_buf(), (key, rolls.clone())));
    }
    Ok(rolls)
}

/// A pair's agreement per year over every General Assembly roll call imported.
pub struct YearAgreement {
    pub year: i32,
    pub votes: u32,
    pub agreed: u32,
    pub share: Option<f64>,
}

pub async fn agreement_by_year(store: &Store, a: Iso3, b: Iso3) -> Result<Vec<YearAgreement>, StoreError> {
    let rolls = all_roll_calls(store).await?;
    let refs: Vec<&RollCall> = rolls.iter().collect();
    Ok(analysis::pair_by_year(&refs, a, b)
        .into_iter()
        .map(|y| YearAgreement { year: y.year, votes: y.n, agreed: y.identical, share: y.agreement })
        .collect())
}
