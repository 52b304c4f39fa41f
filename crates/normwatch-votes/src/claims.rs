//! The knowledge-base claims a roll call supports about the resolution it adopted.
//!
//! A roll call says how the resolution was adopted (`modality` = `recorded_vote`), the
//! tally (`votes`) and who voted against (`voted_no`), each with the dataset record as its
//! source (`unvotes rcid=4618`). Its title and date can describe a resolution the knowledge
//! base does not (yet) hold. Nothing here infers `without_vote` from a missing roll call:
//! the datasets list recorded votes only, and say nothing of the rest.

use normwatch_core::domain::{Modality, VoteValue};
use normwatch_core::kb::{Claim, FactValue, Origin, SourceRef};

use crate::model::RollCall;

/// What a roll call says about a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentClaims {
    /// `modality`, `votes`, `voted_no`.
    pub vote: Vec<Claim>,
    /// `title` and `adopted_on`, for a document otherwise undescribed.
    pub description: Vec<Claim>,
}

/// The claims for the resolution a roll call adopted. `origin_file` is the file the roll
/// call came from; the claims' origin is that file and the roll call's line.
pub fn document_claims(roll_call: &RollCall, origin_file: &str) -> DocumentClaims {
    let source = SourceRef::Dataset { id: roll_call.dataset.source_id().to_string(), record: roll_call.record_ref() };
    let origin = Origin { file: origin_file.to_string(), line: u32::try_from(roll_call.line).unwrap_or(u32::MAX) };
    let claim = |field: &str, value: FactValue| Claim {
        field: field.to_string(),
        value,
        source: source.clone(),
        quote: None,
        note: None,
        origin: origin.clone(),
    };
    let vote = vec![
        claim("modality", FactValue::Text(Modality::RecordedVote.as_str().to_string())),
        claim("votes", FactValue::Votes(roll_call.totals)),
        claim("voted_no", FactValue::States(roll_call.states_voting(VoteValue::No))),
    ];
    let mut description = Vec::new();
    if !roll_call.title.trim().is_empty() {
        description.push(claim("title", FactValue::Text(roll_call.title.trim().to_string())));
    }
    if let Some(date) = roll_call.date {
        description.push(claim("adopted_on", FactValue::Date(date)));
    }
    DocumentClaims { vote, description }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, Dataset, NO_VOTE, Part, encode};
    use crate::states::states;
    use normwatch_core::domain::VoteCounts;
    use normwatch_core::{Iso3, Symbol};

    #[test]
    fn a_roll_call_claims_modality_votes_and_no_voters() {
        let table = states();
        let mut votes = vec![NO_VOTE; table.len()];
        votes[table.index(Iso3::parse("USA").unwrap()).unwrap()] = encode(VoteValue::No);
        let totals = VoteCounts { yes: 177, no: 1, abstain: 0, non_voting: None };
        let roll_call = RollCall {
            dataset: Dataset::Unvotes,
            record: "4618".into(),
            symbol: Symbol::parse("R/60/45").ok(),
            symbol_text: "R/60/45".into(),
            body: Body::GeneralAssembly,
            session: Some(60),
            date: "2005-12-08".parse().ok(),
            year: 2005,
            title: "Developments".into(),
            part: Part::Whole,
            totals,
            issues: Vec::new(),
            line: 4620,
            votes,
        };
        let claims = document_claims(&roll_call, "un_roll_calls.csv.gz");
        let fields: Vec<&str> = claims.vote.iter().map(|c| c.field.as_str()).collect();
        assert_eq!(fields, ["modality", "votes", "voted_no"]);
        assert_eq!(claims.vote[1].value, FactValue::Votes(totals));
        assert_eq!(claims.vote[2].value, FactValue::States(vec![Iso3::parse("USA").unwrap()]));
        assert_eq!(claims.vote[0].source.to_string(), "unvotes rcid=4618");
        assert_eq!(claims.vote[0].origin.to_string(), "un_roll_calls.csv.gz:4620");
        assert_eq!(claims.description.len(), 2);
    }
}
