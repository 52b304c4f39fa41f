//! Imported roll-call votes as read-models: a document's adoption vote, a state's votes
//! on the cyber series, and a pair's agreement year by year.

use normwatch_core::Iso3;
use normwatch_core::domain::{Modality, VoteValue};
use normwatch_core::view::DocumentView;
use normwatch_votes::RollCall;
use normwatch_votes::analysis::{self, RollCallReport, roll_call_report};
use normwatch_votes::model::preferred_adoption_vote;

use crate::{App, Result};

/// A document's adoption vote in the preferred dataset, with the other roll calls held
/// on the same symbol (paragraph votes, other datasets).
pub struct DocumentVotes {
    pub adoption: RollCall,
    pub report: RollCallReport,
    pub others: Vec<RollCall>,
}

impl DocumentVotes {
    /// Where the adoption vote comes from: `dataset record`.
    pub fn source(&self) -> String {
        roll_call_source(&self.adoption)
    }
}

/// `dataset record`, the citation of one roll call.
pub fn roll_call_source(roll_call: &RollCall) -> String {
    format!("{} {}", roll_call.dataset.source_id(), roll_call.record_ref())
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

/// A pair's agreement in one year over every General Assembly roll call imported.
pub struct YearAgreement {
    pub year: i32,
    pub votes: u32,
    pub agreed: u32,
    pub share: Option<f64>,
}

impl App {
    /// The adoption vote of a document in the preferred dataset, if any dataset has one.
    pub async fn document_votes(&self, view: &DocumentView) -> Result<Option<DocumentVotes>> {
        let roll_calls = self.store().roll_calls_for(&view.symbol).await?;
        let Some(adoption) = preferred_adoption_vote(&roll_calls) else { return Ok(None) };
        let report = roll_call_report(adoption);
        let others = roll_calls.iter().filter(|r| !std::ptr::eq(*r, adoption)).cloned().collect();
        Ok(Some(DocumentVotes { adoption: adoption.clone(), report, others }))
    }

    /// The recorded votes of some states on the documents of the cyber series.
    pub async fn series_votes(&self, documents: &[&DocumentView], states: &[Iso3]) -> Result<Vec<DocumentVote>> {
        let mut out = Vec::new();
        for view in documents.iter().filter(|d| d.series.is_some() && d.modality == Some(Modality::RecordedVote)) {
            let roll_calls = self.store().roll_calls_for(&view.symbol).await?;
            let (votes, source) = match preferred_adoption_vote(&roll_calls) {
                Some(rc) => (states.iter().map(|s| (*s, rc.vote(*s))).collect(), roll_call_source(rc)),
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

    /// A pair's agreement per year over every General Assembly roll call imported.
    pub async fn agreement_by_year(&self, a: Iso3, b: Iso3) -> Result<Vec<YearAgreement>> {
        let rolls = self.roll_calls().await?;
        let refs: Vec<&RollCall> = rolls.iter().collect();
        Ok(analysis::pair_by_year(&refs, a, b)
            .into_iter()
            .map(|y| YearAgreement { year: y.year, votes: y.n, agreed: y.identical, share: y.agreement })
            .collect())
    }
}
