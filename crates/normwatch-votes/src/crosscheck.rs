//! Comparing two datasets on every roll call they share.
//!
//! Two datasets share a roll call when each has a vote adopting the same resolution
//! (canonical symbol). For each, the stated totals, the dates and every state's vote are
//! compared; any difference is listed, none is resolved. Where one dataset cannot tell
//! non-voting from absence (unvotes), non-voting counts as no vote on both sides; a state
//! whose seat one dataset labels under a predecessor (the Republic of China's votes as
//! China's, the USSR's as Russia's) is compared seat for seat.

use std::collections::{BTreeMap, HashMap};

use normwatch_core::Iso3;
use normwatch_core::Symbol;
use normwatch_core::domain::{Date, VoteCounts, VoteValue};

use crate::model::{Dataset, NO_VOTE, RollCall, VoteTable, adoption_vote, decode, encode};
use crate::states::states;

/// One dataset's side of a shared roll call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Side {
    pub record: String,
    pub date: Option<Date>,
    pub year: i32,
    pub totals: VoteCounts,
}

impl Side {
    fn of(roll_call: &RollCall) -> Side {
        Side { record: roll_call.record_ref(), date: roll_call.date, year: roll_call.year, totals: roll_call.totals }
    }
}

/// A state the two datasets record differently.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateDifference {
    pub state: Iso3,
    pub left: Option<VoteValue>,
    pub right: Option<VoteValue>,
}

/// A shared roll call on which the datasets differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Disagreement {
    pub symbol: Symbol,
    pub left: Side,
    pub right: Side,
    /// Yes, no or abstain differ, or both state non-voting and it differs.
    pub totals_differ: bool,
    pub dates_differ: bool,
    pub states: Vec<StateDifference>,
}

/// The result of comparing two datasets.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CrossCheck {
    pub left: Dataset,
    pub right: Dataset,
    /// Resolutions both datasets have a vote on.
    pub shared: u32,
    /// Shared roll calls on which they agree in every respect compared.
    pub agreeing: u32,
    pub only_left: u32,
    pub only_right: u32,
    pub disagreements: Vec<Disagreement>,
}

/// The vote adopting each resolution in a table.
fn adoption_votes(table: &VoteTable) -> HashMap<&Symbol, &RollCall> {
    let mut by_symbol: HashMap<&Symbol, Vec<&RollCall>> = HashMap::new();
    for roll_call in &table.roll_calls {
        if roll_call.is_resolution()
            && let Some(symbol) = &roll_call.symbol
        {
            by_symbol.entry(symbol).or_default().push(roll_call);
        }
    }
    by_symbol.into_iter().filter_map(|(symbol, list)| adoption_vote(&list).map(|r| (symbol, r))).collect()
}

pub fn crosscheck(left: &VoteTable, right: &VoteTable) -> CrossCheck {
    let left_votes = adoption_votes(left);
    let right_votes = adoption_votes(right);
    let both_non_voting = left.dataset.records_non_voting() && right.dataset.records_non_voting();
    let mut shared: Vec<(&Symbol, &RollCall, &RollCall)> =
        left_votes.iter().filter_map(|(symbol, l)| right_votes.get(symbol).map(|r| (*symbol, *l, *r))).collect();
    shared.sort_by_key(|(symbol, l, _)| (l.sort_key(), (*symbol).clone()));
    let mut disagreements = Vec::new();
    for (symbol, l, r) in &shared {
        let totals_differ = l.totals.yes != r.totals.yes
            || l.totals.no != r.totals.no
            || l.totals.abstain != r.totals.abstain
            || matches!((l.totals.non_voting, r.totals.non_voting), (Some(a), Some(b)) if a != b);
        let dates_differ = (l.date, l.year) != (r.date, r.year);
        let states = state_differences(l, r, both_non_voting);
        if totals_differ || dates_differ || !states.is_empty() {
            disagreements.push(Disagreement {
                symbol: (*symbol).clone(),
                left: Side::of(l),
                right: Side::of(r),
                totals_differ,
                dates_differ,
                states,
            });
        }
    }
    let shared_count = shared.len() as u32;
    CrossCheck {
        left: left.dataset,
        right: right.dataset,
        shared: shared_count,
        agreeing: shared_count - disagreements.len() as u32,
        only_left: (left_votes.len() - shared.len()) as u32,
        only_right: (right_votes.len() - shared.len()) as u32,
        disagreements,
    }
}

/// Votes recorded for one seat by one dataset: (state column, vote byte).
type Labelled = Vec<(usize, u8)>;

fn state_differences(left: &RollCall, right: &RollCall, compare_non_voting: bool) -> Vec<StateDifference> {
    let table = states();
    let non_voting = encode(VoteValue::NonVoting);
    let normal = |byte: u8| if !compare_non_voting && byte == non_voting { NO_VOTE } else { byte };
    // seat -> the (column, vote) pairs each side records under it
    let mut seats: BTreeMap<usize, (Labelled, Labelled)> = BTreeMap::new();
    for column in 0..table.len() {
        let (l, r) = (normal(left.byte(column)), normal(right.byte(column)));
        if l != NO_VOTE {
            seats.entry(table.seat(column)).or_default().0.push((column, l));
        }
        if r != NO_VOTE {
            seats.entry(table.seat(column)).or_default().1.push((column, r));
        }
    }
    let mut out = Vec::new();
    for (_, (l, r)) in seats {
        match (l.as_slice(), r.as_slice()) {
            // One vote for the seat on each side, whatever label each gives it.
            ([(column, a)], [(_, b)]) => {
                if a != b {
                    out.push(StateDifference { state: table.iso3(*column), left: decode(*a), right: decode(*b) });
                }
            }
            _ => {
                let mut columns: Vec<usize> = l.iter().chain(&r).map(|(c, _)| *c).collect();
                columns.sort_unstable();
                columns.dedup();
                for column in columns {
                    let a = l.iter().find(|(c, _)| *c == column).map(|(_, v)| *v);
                    let b = r.iter().find(|(c, _)| *c == column).map(|(_, v)| *v);
                    if a != b {
                        out.push(StateDifference {
                            state: table.iso3(column),
                            left: a.and_then(decode),
                            right: b.and_then(decode),
                        });
                    }
                }
            }
        }
    }
    out.sort_by_key(|d| d.state);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Body, Part};

    fn iso(code: &str) -> Iso3 {
        Iso3::parse(code).unwrap()
    }

    fn roll_call(dataset: Dataset, symbol: &str, votes: &[(&str, VoteValue)], totals: VoteCounts) -> RollCall {
        let table = states();
        let mut bytes = vec![NO_VOTE; table.len()];
        for (code, vote) in votes {
            bytes[table.index(iso(code)).unwrap()] = encode(*vote);
        }
        RollCall {
            dataset,
            record: "1".into(),
            symbol: Symbol::parse(symbol).ok(),
            symbol_text: symbol.into(),
            body: Body::GeneralAssembly,
            session: Some(25),
            date: "1970-12-01".parse().ok(),
            year: 1970,
            title: String::new(),
            part: Part::Whole,
            totals,
            issues: Vec::new(),
            line: 2,
            votes: bytes,
        }
    }

    fn table(dataset: Dataset, roll_calls: Vec<RollCall>) -> VoteTable {
        VoteTable { dataset, origin: String::new(), roll_calls }
    }

    use VoteValue::{No as N, NonVoting as X, Yes as Y};

    #[test]
    fn lists_what_differs_and_nothing_else() {
        let t = |yes, no, nv| VoteCounts { yes, no, abstain: 0, non_voting: nv };
        let unvotes = table(
            Dataset::Unvotes,
            vec![
                roll_call(Dataset::Unvotes, "R/25/1", &[("USA", N), ("TWN", Y)], t(1, 1, None)),
                roll_call(Dataset::Unvotes, "R/25/2", &[("USA", N), ("FRA", Y)], t(1, 1, None)),
                roll_call(Dataset::Unvotes, "R/25/3", &[], t(0, 0, None)),
            ],
        );
        let scrape = table(
            Dataset::UndlScrape,
            vec![
                // A different resolution (2601 of the 25th session) and the one both have.
                roll_call(
                    Dataset::UndlScrape,
                    "A/RES/2601(XXV)",
                    &[("USA", N), ("CHN", Y), ("GBR", X)],
                    t(1, 1, Some(1)),
                ),
                roll_call(Dataset::UndlScrape, "A/RES/25/2", &[("USA", Y), ("FRA", Y)], t(2, 0, Some(0))),
            ],
        );
        let check = crosscheck(&unvotes, &scrape);
        assert_eq!(check.left, Dataset::Unvotes);
        assert_eq!(check.shared, 1);
        assert_eq!(check.only_left, 2);
        assert_eq!(check.only_right, 1);
        let d = &check.disagreements[0];
        assert!(d.totals_differ);
        assert_eq!(d.states, vec![StateDifference { state: iso("USA"), left: Some(N), right: Some(Y) }]);
    }

    #[test]
    fn a_seat_under_two_labels_is_one_state() {
        let t = VoteCounts { yes: 1, no: 1, abstain: 0, non_voting: None };
        let left = table(Dataset::Unvotes, vec![roll_call(Dataset::Unvotes, "R/25/1", &[("USA", N), ("TWN", Y)], t)]);
        let right = table(
            Dataset::UndlScrape,
            vec![roll_call(
                Dataset::UndlScrape,
                "R/25/1",
                &[("USA", N), ("CHN", Y), ("GBR", X)],
                VoteCounts { non_voting: Some(1), ..t },
            )],
        );
        let check = crosscheck(&left, &right);
        assert_eq!(check.shared, 1);
        assert_eq!(check.agreeing, 1, "{:?}", check.disagreements);
    }
}
