//! The analyses, as pure functions of roll calls and parameters: a roll call in full, a
//! state's record, the cohesion of a group, agreement between every pair of states, a
//! pair's agreement year by year, and a series' votes side by side.
//!
//! Agreement follows the usual definition: over the roll calls where both states voted
//! yes, no or abstain (`n`), the share where they voted the same. Absence and non-voting
//! count for neither, since unvotes cannot tell them apart.

use std::collections::HashMap;

use normwatch_core::Iso3;
use normwatch_core::Symbol;
use normwatch_core::domain::{Date, VoteCounts, VoteValue};
use normwatch_core::state::RegionalGroup;

use crate::model::{Body, Dataset, NO_VOTE, Part, RollCall, VoteTable, adoption_vote, decode, encode, is_cast};
use crate::states::states;

/// When a roll call took place, for ordering: the year, then the date where known.
pub type When = (i32, Option<Date>);

/// The latest General Assembly roll call of each table.
pub fn latest(tables: &[VoteTable]) -> Vec<(Dataset, When)> {
    tables
        .iter()
        .filter_map(|t| {
            let last =
                t.roll_calls.iter().filter(|r| r.body == Body::GeneralAssembly).map(|r| (r.year, r.date)).max()?;
            Some((t.dataset, last))
        })
        .collect()
}

/// The roll calls of several datasets as one record without double counting: every
/// General Assembly roll call of the preferred dataset (official UNDL, then unvotes, then
/// the scrape), then from each further dataset only the roll calls dated after the last
/// one already covered (so the 2021 scrape extends unvotes from 2020 on). In time order.
pub fn chain(tables: &[VoteTable]) -> Vec<&RollCall> {
    chain_until(tables, &latest(tables))
}

/// [`chain`] for tables that hold only part of each dataset (a scope read from the
/// database): `latest` gives each whole dataset's last General Assembly roll call.
pub fn chain_until<'a>(tables: &'a [VoteTable], latest: &[(Dataset, When)]) -> Vec<&'a RollCall> {
    let mut ordered: Vec<&VoteTable> = tables.iter().collect();
    ordered.sort_by_key(|t| Dataset::ALL.iter().position(|d| *d == t.dataset));
    let mut out: Vec<&RollCall> = Vec::new();
    let mut covered: Option<When> = None;
    for table in ordered {
        out.extend(
            table
                .roll_calls
                .iter()
                .filter(|r| r.body == Body::GeneralAssembly)
                .filter(|r| covered.is_none_or(|until| (r.year, r.date) > until)),
        );
        let last = latest.iter().find(|(d, _)| *d == table.dataset).map(|(_, when)| *when);
        covered = covered.max(last);
    }
    out.sort_by_key(|r| (r.sort_key(), Dataset::ALL.iter().position(|d| *d == r.dataset)));
    out
}

/// Which roll calls an analysis covers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Scope {
    /// Regular sessions, inclusive.
    pub sessions: Option<(u16, u16)>,
    /// Calendar years, inclusive.
    pub years: Option<(i32, i32)>,
    /// The documents of a series: only the vote adopting each of them counts.
    pub symbols: Option<Vec<Symbol>>,
    /// An issue code (unvotes: me, nu, di, hr, co, ec).
    pub issue: Option<String>,
}

/// The General Assembly roll calls in a scope, in the order given.
pub fn select<'a>(roll_calls: &[&'a RollCall], scope: &Scope) -> Vec<&'a RollCall> {
    let mut picked: Vec<&RollCall> = roll_calls
        .iter()
        .copied()
        .filter(|r| r.body == Body::GeneralAssembly)
        .filter(|r| scope.sessions.is_none_or(|(from, to)| r.session.is_some_and(|s| from <= s && s <= to)))
        .filter(|r| scope.years.is_none_or(|(from, to)| from <= r.year && r.year <= to))
        .filter(|r| scope.issue.as_ref().is_none_or(|code| r.issues.iter().any(|i| i.eq_ignore_ascii_case(code))))
        .collect();
    if let Some(symbols) = &scope.symbols {
        let mut by_symbol: HashMap<(&Symbol, Dataset), Vec<&RollCall>> = HashMap::new();
        for roll_call in &picked {
            if let Some(symbol) = roll_call.symbol.as_ref().filter(|s| symbols.contains(s)) {
                by_symbol.entry((symbol, roll_call.dataset)).or_default().push(roll_call);
            }
        }
        let adopted: Vec<&RollCall> = by_symbol.values().filter_map(|list| adoption_vote(list)).collect();
        picked.retain(|r| adopted.iter().any(|a| std::ptr::eq(*a, *r)));
    }
    picked
}

/// A roll call's identity and result, as listed in reports.
#[derive(Clone, Debug, PartialEq)]
pub struct RollCallSummary {
    pub dataset: Dataset,
    /// `rcid=4618`, `token=3896180`, `undl_id=…`.
    pub record: String,
    pub symbol: Option<Symbol>,
    /// The symbol as the dataset writes it.
    pub symbol_text: String,
    pub body: Body,
    pub session: Option<u16>,
    pub date: Option<Date>,
    pub year: i32,
    pub title: String,
    pub part: Part,
    pub issues: Vec<String>,
    /// As the dataset states them (unvotes: its votes counted).
    pub totals: VoteCounts,
    pub voted_no: Vec<Iso3>,
    pub abstained: Vec<Iso3>,
}

impl RollCallSummary {
    pub fn of(roll_call: &RollCall) -> RollCallSummary {
        RollCallSummary {
            dataset: roll_call.dataset,
            record: roll_call.record_ref(),
            symbol: roll_call.symbol.clone(),
            symbol_text: roll_call.symbol_text.clone(),
            body: roll_call.body,
            session: roll_call.session,
            date: roll_call.date,
            year: roll_call.year,
            title: roll_call.title.clone(),
            part: roll_call.part,
            issues: roll_call.issues.clone(),
            totals: roll_call.totals,
            voted_no: roll_call.states_voting(VoteValue::No),
            abstained: roll_call.states_voting(VoteValue::Abstain),
        }
    }

    /// The symbol, or the dataset's spelling where it does not parse.
    pub fn label(&self) -> String {
        match &self.symbol {
            Some(symbol) => symbol.to_string(),
            None if self.symbol_text.is_empty() => self.record.clone(),
            None => self.symbol_text.clone(),
        }
    }
}

/// One state's vote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StateVote {
    pub state: Iso3,
    pub name: String,
    pub vote: VoteValue,
}

/// The votes of one UN regional group (or of the states in none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupTally {
    /// AFRICA, APG, EEG, GRULAC, WEOG; `None` for states in no group (such as the USA).
    pub group: Option<&'static str>,
    pub name: &'static str,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub non_voting: u32,
}

/// A roll call in full.
#[derive(Clone, Debug, PartialEq)]
pub struct RollCallReport {
    pub summary: RollCallSummary,
    /// The totals counted from the individual votes.
    pub counted: VoteCounts,
    /// Every recorded vote, by state code.
    pub votes: Vec<StateVote>,
    pub non_voting: Vec<Iso3>,
    pub groups: Vec<GroupTally>,
}

pub fn roll_call_report(roll_call: &RollCall) -> RollCallReport {
    let table = states();
    let mut votes: Vec<StateVote> = roll_call
        .votes
        .iter()
        .enumerate()
        .filter_map(|(column, byte)| {
            decode(*byte).map(|vote| StateVote {
                state: table.iso3(column),
                name: table.info(column).name.clone(),
                vote,
            })
        })
        .collect();
    votes.sort_by_key(|v| v.state);
    let mut groups: Vec<GroupTally> = RegionalGroup::ALL
        .iter()
        .map(|g| GroupTally { group: Some(g.code()), name: g.name(), yes: 0, no: 0, abstain: 0, non_voting: 0 })
        .collect();
    groups.push(GroupTally { group: None, name: "In no regional group", yes: 0, no: 0, abstain: 0, non_voting: 0 });
    for (column, byte) in roll_call.votes.iter().enumerate() {
        let Some(vote) = decode(*byte) else { continue };
        let slot = match table.info(column).regional_group {
            Some(group) => RegionalGroup::ALL.iter().position(|g| *g == group).unwrap_or(RegionalGroup::ALL.len()),
            None => RegionalGroup::ALL.len(),
        };
        let tally = &mut groups[slot];
        match vote {
            VoteValue::Yes => tally.yes += 1,
            VoteValue::No => tally.no += 1,
            VoteValue::Abstain => tally.abstain += 1,
            VoteValue::NonVoting => tally.non_voting += 1,
        }
    }
    RollCallReport {
        summary: RollCallSummary::of(roll_call),
        counted: roll_call.counted(),
        votes,
        non_voting: roll_call.states_voting(VoteValue::NonVoting),
        groups,
    }
}

/// Counts of a state's votes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub non_voting: u32,
    /// Roll calls with no vote recorded for the state (absent, not a member, or, in
    /// unvotes, not voting).
    pub no_vote: u32,
}

impl Tally {
    fn add(&mut self, vote: Option<VoteValue>) {
        match vote {
            Some(VoteValue::Yes) => self.yes += 1,
            Some(VoteValue::No) => self.no += 1,
            Some(VoteValue::Abstain) => self.abstain += 1,
            Some(VoteValue::NonVoting) => self.non_voting += 1,
            None => self.no_vote += 1,
        }
    }
}

/// One roll call in a state's record.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordEntry {
    pub roll_call: RollCallSummary,
    pub vote: Option<VoteValue>,
}

/// A state's votes over a set of roll calls.
#[derive(Clone, Debug, PartialEq)]
pub struct StateRecord {
    pub state: Iso3,
    pub name: String,
    pub tally: Tally,
    pub roll_calls: Vec<RecordEntry>,
}

pub fn state_record(roll_calls: &[&RollCall], state: Iso3) -> StateRecord {
    let mut tally = Tally::default();
    let entries = roll_calls
        .iter()
        .map(|r| {
            let vote = r.vote(state);
            tally.add(vote);
            RecordEntry { roll_call: RollCallSummary::of(r), vote }
        })
        .collect();
    StateRecord { state, name: state.info().name.clone(), tally, roll_calls: entries }
}

/// Agreement between two states.
#[derive(Clone, Debug, PartialEq)]
pub struct Agreement {
    pub a: Iso3,
    pub b: Iso3,
    /// `identical / n`.
    pub agreement: f64,
    /// Roll calls where both voted yes, no or abstain.
    pub n: u32,
    /// Of those, the roll calls where they voted the same.
    pub identical: u32,
}

/// Per state column, bitsets over the roll calls: yes, no, abstain.
struct Bitsets {
    words: usize,
    bits: Vec<[Vec<u64>; 3]>,
}

impl Bitsets {
    fn new(roll_calls: &[&RollCall]) -> Bitsets {
        let words = roll_calls.len().div_ceil(64);
        let columns = states().len();
        let mut bits: Vec<[Vec<u64>; 3]> =
            (0..columns).map(|_| [vec![0u64; words], vec![0u64; words], vec![0u64; words]]).collect();
        for (i, roll_call) in roll_calls.iter().enumerate() {
            let (word, bit) = (i / 64, 1u64 << (i % 64));
            for (column, &byte) in roll_call.votes.iter().enumerate().take(columns) {
                if is_cast(byte) {
                    bits[column][usize::from(byte - 1)][word] |= bit;
                }
            }
        }
        Bitsets { words, bits }
    }

    fn voted(&self, column: usize) -> bool {
        self.bits[column].iter().any(|set| set.iter().any(|w| *w != 0))
    }

    /// (identical, n) for two columns.
    fn compare(&self, a: usize, b: usize) -> (u32, u32) {
        let [ya, na, aa] = &self.bits[a];
        let [yb, nb, ab] = &self.bits[b];
        let mut identical = 0;
        let mut n = 0;
        for w in 0..self.words {
            identical += ((ya[w] & yb[w]) | (na[w] & nb[w]) | (aa[w] & ab[w])).count_ones();
            n += ((ya[w] | na[w] | aa[w]) & (yb[w] | nb[w] | ab[w])).count_ones();
        }
        (identical, n)
    }
}

/// Agreement for every pair of states that voted together at least once, `a < b` by
/// code, sorted by `a` then `b`.
pub fn agreement(roll_calls: &[&RollCall]) -> Vec<Agreement> {
    let bitsets = Bitsets::new(roll_calls);
    let table = states();
    let mut columns: Vec<usize> = (0..table.len()).filter(|&c| bitsets.voted(c)).collect();
    columns.sort_by_key(|&c| table.iso3(c));
    let mut out = Vec::new();
    for (i, &a) in columns.iter().enumerate() {
        for &b in &columns[i + 1..] {
            let (identical, n) = bitsets.compare(a, b);
            if n > 0 {
                out.push(Agreement {
                    a: table.iso3(a),
                    b: table.iso3(b),
                    agreement: f64::from(identical) / f64::from(n),
                    n,
                    identical,
                });
            }
        }
    }
    out
}

/// Agreement of two given states (by code order or not) over the roll calls.
pub fn pair_agreement(roll_calls: &[&RollCall], a: Iso3, b: Iso3) -> (u32, u32) {
    let table = states();
    let (Some(ca), Some(cb)) = (table.index(a), table.index(b)) else { return (0, 0) };
    let mut identical = 0;
    let mut n = 0;
    for roll_call in roll_calls {
        let (va, vb) = (roll_call.byte(ca), roll_call.byte(cb));
        if is_cast(va) && is_cast(vb) {
            n += 1;
            if va == vb {
                identical += 1;
            }
        }
    }
    (identical, n)
}

/// A pair's agreement in one calendar year.
#[derive(Clone, Debug, PartialEq)]
pub struct YearAgreement {
    pub year: i32,
    /// Roll calls in scope that year.
    pub roll_calls: u32,
    pub n: u32,
    pub identical: u32,
    /// `None` when the two never both voted that year.
    pub agreement: Option<f64>,
}

pub fn pair_by_year(roll_calls: &[&RollCall], a: Iso3, b: Iso3) -> Vec<YearAgreement> {
    let mut years: Vec<i32> = roll_calls.iter().map(|r| r.year).collect();
    years.sort_unstable();
    years.dedup();
    years
        .into_iter()
        .map(|year| {
            let in_year: Vec<&RollCall> = roll_calls.iter().copied().filter(|r| r.year == year).collect();
            let (identical, n) = pair_agreement(&in_year, a, b);
            YearAgreement {
                year,
                roll_calls: in_year.len() as u32,
                n,
                identical,
                agreement: (n > 0).then(|| f64::from(identical) / f64::from(n)),
            }
        })
        .collect()
}

/// How one member of a group voted relative to the group.
#[derive(Clone, Debug, PartialEq)]
pub struct MemberCohesion {
    pub state: Iso3,
    /// Roll calls where the member voted yes, no or abstain and the group had a majority.
    pub voted: u32,
    /// Of those, the roll calls where it voted with the group's most common vote.
    pub with_majority: u32,
    pub share: Option<f64>,
}

/// How cohesively a group of states votes.
#[derive(Clone, Debug, PartialEq)]
pub struct Cohesion {
    pub states: Vec<Iso3>,
    /// Roll calls where at least two members voted yes, no or abstain.
    pub roll_calls: u32,
    /// Of those, the roll calls where every voting member voted the same.
    pub unanimous: u32,
    /// The mean Hix–Noury–Roland agreement index (1 = all vote alike, 0 = evenly split).
    pub index: Option<f64>,
    pub members: Vec<MemberCohesion>,
    /// Agreement of every pair of members.
    pub pairs: Vec<Agreement>,
}

pub fn cohesion(roll_calls: &[&RollCall], group: &[Iso3]) -> Cohesion {
    let table = states();
    let mut members: Vec<Iso3> = group.to_vec();
    members.sort();
    members.dedup();
    let columns: Vec<usize> = members.iter().filter_map(|s| table.index(*s)).collect();
    let mut counted = 0u32;
    let mut unanimous = 0u32;
    let mut index_sum = 0f64;
    let mut per_member: Vec<(u32, u32)> = vec![(0, 0); columns.len()];
    for roll_call in roll_calls {
        let mut counts = [0u32; 3];
        for &column in &columns {
            let byte = roll_call.byte(column);
            if is_cast(byte) {
                counts[usize::from(byte - 1)] += 1;
            }
        }
        let total: u32 = counts.iter().sum();
        if total < 2 {
            continue;
        }
        counted += 1;
        let max = counts.iter().copied().max().unwrap_or(0);
        if max == total {
            unanimous += 1;
        }
        index_sum += (f64::from(max) - 0.5 * f64::from(total - max)) / f64::from(total);
        // The group's majority, where one vote is the most common alone.
        let leaders: Vec<usize> = (0..3).filter(|&v| counts[v] == max).collect();
        if let [leader] = leaders.as_slice() {
            let majority = encode([VoteValue::Yes, VoteValue::No, VoteValue::Abstain][*leader]);
            for (slot, &column) in columns.iter().enumerate() {
                let byte = roll_call.byte(column);
                if is_cast(byte) {
                    per_member[slot].0 += 1;
                    if byte == majority {
                        per_member[slot].1 += 1;
                    }
                }
            }
        }
    }
    let members_out = columns
        .iter()
        .zip(&per_member)
        .map(|(&column, &(voted, with))| MemberCohesion {
            state: table.iso3(column),
            voted,
            with_majority: with,
            share: (voted > 0).then(|| f64::from(with) / f64::from(voted)),
        })
        .collect();
    let pairs = {
        let mut pairs = Vec::new();
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                let (identical, n) = pair_agreement(roll_calls, *a, *b);
                if n > 0 {
                    pairs.push(Agreement {
                        a: *a,
                        b: *b,
                        agreement: f64::from(identical) / f64::from(n),
                        n,
                        identical,
                    });
                }
            }
        }
        pairs
    };
    Cohesion {
        states: members,
        roll_calls: counted,
        unanimous,
        index: (counted > 0).then(|| index_sum / f64::from(counted)),
        members: members_out,
        pairs,
    }
}

/// One state's votes across roll calls shown side by side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SideRow {
    pub state: Iso3,
    pub name: String,
    /// One entry per roll call, in the order of [`SideBySide::roll_calls`].
    pub votes: Vec<Option<VoteValue>>,
}

/// A state that voted yes on one roll call and no on the next it voted on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Move {
    pub state: Iso3,
    pub from: String,
    pub from_year: i32,
    pub to: String,
    pub to_year: i32,
}

/// Roll calls side by side, with the states that moved from yes to no.
#[derive(Clone, Debug, PartialEq)]
pub struct SideBySide {
    pub roll_calls: Vec<RollCallSummary>,
    pub states: Vec<SideRow>,
    /// For each state, every step from a yes to a no between consecutive roll calls on
    /// which it voted yes, no or abstain (in time order).
    pub yes_to_no: Vec<Move>,
}

pub fn side_by_side(roll_calls: &[&RollCall]) -> SideBySide {
    let table = states();
    let mut ordered: Vec<&RollCall> = roll_calls.to_vec();
    ordered.sort_by_key(|r| r.sort_key());
    let summaries: Vec<RollCallSummary> = ordered.iter().map(|r| RollCallSummary::of(r)).collect();
    let mut rows = Vec::new();
    let mut moves = Vec::new();
    let mut columns: Vec<usize> =
        (0..table.len()).filter(|&c| ordered.iter().any(|r| r.votes.get(c).is_some_and(|b| *b != NO_VOTE))).collect();
    columns.sort_by_key(|&c| table.iso3(c));
    for column in columns {
        let votes: Vec<Option<VoteValue>> = ordered.iter().map(|r| decode(r.byte(column))).collect();
        let mut last_cast: Option<(usize, VoteValue)> = None;
        for (i, vote) in votes.iter().enumerate() {
            let Some(vote) = vote.filter(|v| *v != VoteValue::NonVoting) else { continue };
            if let Some((from, VoteValue::Yes)) = last_cast
                && vote == VoteValue::No
            {
                moves.push(Move {
                    state: table.iso3(column),
                    from: summaries[from].label(),
                    from_year: summaries[from].year,
                    to: summaries[i].label(),
                    to_year: summaries[i].year,
                });
            }
            last_cast = Some((i, vote));
        }
        rows.push(SideRow { state: table.iso3(column), name: table.info(column).name.clone(), votes });
    }
    moves.sort_by(|a, b| (a.to_year, &a.to, a.state).cmp(&(b.to_year, &b.to, b.state)));
    SideBySide { roll_calls: summaries, states: rows, yes_to_no: moves }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NO_VOTE, encode};
    use proptest::prelude::*;

    fn iso(code: &str) -> Iso3 {
        Iso3::parse(code).unwrap()
    }

    fn roll_call(record: &str, symbol: &str, year: i32, votes: &[(&str, VoteValue)]) -> RollCall {
        let table = states();
        let mut bytes = vec![NO_VOTE; table.len()];
        for (code, vote) in votes {
            bytes[table.index(iso(code)).unwrap()] = encode(*vote);
        }
        let date = Date::from_ymd(year, 12, 1);
        RollCall {
            dataset: Dataset::Unvotes,
            record: record.into(),
            symbol: Symbol::parse(symbol).ok(),
            symbol_text: symbol.into(),
            body: Body::GeneralAssembly,
            session: u16::try_from(year - 1945).ok(),
            date,
            year,
            title: String::new(),
            part: Part::Whole,
            totals: VoteCounts { yes: 0, no: 0, abstain: 0, non_voting: None },
            issues: vec!["di".into()],
            line: 2,
            votes: bytes,
        }
    }

    use VoteValue::{Abstain as A, No as N, NonVoting as X, Yes as Y};

    #[test]
    fn agreement_counts_only_votes_both_cast() {
        let rcs = [
            roll_call("1", "R/60/45", 2005, &[("USA", N), ("RUS", Y), ("CHN", Y)]),
            roll_call("2", "R/61/54", 2006, &[("USA", N), ("RUS", Y), ("CHN", A)]),
            roll_call("3", "R/62/17", 2007, &[("USA", X), ("RUS", Y), ("CHN", Y)]),
        ];
        let refs: Vec<&RollCall> = rcs.iter().collect();
        let pairs = agreement(&refs);
        let find = |a: &str, b: &str| pairs.iter().find(|p| p.a == iso(a) && p.b == iso(b)).cloned().unwrap();
        let chn_rus = find("CHN", "RUS");
        assert_eq!((chn_rus.identical, chn_rus.n), (2, 3));
        let rus_usa = find("RUS", "USA");
        assert_eq!((rus_usa.identical, rus_usa.n), (0, 2), "non-voting is not a vote cast");
        assert!(pairs.iter().all(|p| p.a < p.b));
        assert_eq!(pairs.len(), 3);
        let years = pair_by_year(&refs, iso("USA"), iso("RUS"));
        assert_eq!(years.len(), 3);
        assert_eq!(years[2].agreement, None);
        assert_eq!(years[0].agreement, Some(0.0));
    }

    #[test]
    fn a_roll_call_report_breaks_down_by_group() {
        let rc = roll_call("1", "R/60/45", 2005, &[("USA", N), ("RUS", Y), ("FRA", Y), ("NAM", A)]);
        let report = roll_call_report(&rc);
        assert_eq!(report.summary.voted_no, vec![iso("USA")]);
        assert_eq!(report.summary.abstained, vec![iso("NAM")]);
        let eeg = report.groups.iter().find(|g| g.group == Some("EEG")).unwrap();
        assert_eq!(eeg.yes, 1);
        let weog = report.groups.iter().find(|g| g.group == Some("WEOG")).unwrap();
        assert_eq!((weog.yes, weog.no), (1, 1), "kb/states.csv counts the USA with WEOG");
        assert_eq!(report.votes.len(), 4);
    }

    #[test]
    fn series_scope_keeps_the_adoption_votes() {
        let mut para = roll_call("1", "R/60/45", 2005, &[("USA", Y)]);
        para.part = Part::Paragraph;
        let whole = roll_call("2", "R/60/45", 2005, &[("USA", N)]);
        let other = roll_call("3", "R/60/46", 2005, &[("USA", N)]);
        let refs = [&para, &whole, &other];
        let scope = Scope { symbols: Some(vec![Symbol::parse("A/RES/60/45").unwrap()]), ..Scope::default() };
        let picked = select(&refs, &scope);
        assert_eq!(picked.len(), 1);
        assert_eq!(picked[0].record, "2");
        let by_session = select(&refs, &Scope { sessions: Some((61, 70)), ..Scope::default() });
        assert!(by_session.is_empty());
        let by_issue = select(&refs, &Scope { issue: Some("DI".into()), ..Scope::default() });
        assert_eq!(by_issue.len(), 3);
    }

    #[test]
    fn records_cohesion_and_moves() {
        let rcs = [
            roll_call("1", "R/71/28", 2016, &[("USA", Y), ("GBR", Y), ("FRA", Y)]),
            roll_call("2", "R/73/27", 2018, &[("USA", N), ("GBR", N), ("FRA", A)]),
            roll_call("3", "R/73/266", 2018, &[("USA", Y), ("GBR", Y), ("FRA", Y)]),
        ];
        let refs: Vec<&RollCall> = rcs.iter().collect();
        let record = state_record(&refs, iso("USA"));
        assert_eq!((record.tally.yes, record.tally.no), (2, 1));
        let group = cohesion(&refs, &[iso("USA"), iso("GBR"), iso("FRA")]);
        assert_eq!(group.roll_calls, 3);
        assert_eq!(group.unanimous, 2);
        let index = group.index.unwrap();
        assert!((index - (1.0 + 0.5 + 1.0) / 3.0).abs() < 1e-9, "{index}");
        assert_eq!(group.pairs.len(), 3);
        let sides = side_by_side(&refs);
        assert_eq!(sides.states.len(), 3);
        let movers: Vec<&str> = sides.yes_to_no.iter().map(|m| m.state.as_str()).collect();
        assert_eq!(movers, ["GBR", "USA"]);
        assert_eq!(sides.yes_to_no[0].to, "A/RES/73/27");
    }

    #[test]
    fn chaining_extends_in_time_without_double_counting() {
        let unvotes = VoteTable {
            dataset: Dataset::Unvotes,
            origin: String::new(),
            roll_calls: vec![roll_call("1", "R/73/27", 2018, &[]), roll_call("2", "R/74/28", 2019, &[])],
        };
        let mut later = roll_call("9", "A/RES/75/240", 2020, &[]);
        later.dataset = Dataset::UndlScrape;
        let mut same = roll_call("8", "A/RES/74/28", 2019, &[]);
        same.dataset = Dataset::UndlScrape;
        let scrape = VoteTable { dataset: Dataset::UndlScrape, origin: String::new(), roll_calls: vec![same, later] };
        let tables = [scrape, unvotes];
        let chained = chain(&tables);
        let records: Vec<&str> = chained.iter().map(|r| r.record.as_str()).collect();
        assert_eq!(records, ["1", "2", "9"]);
        // With part of unvotes read, its whole coverage still decides.
        let partial =
            [VoteTable { roll_calls: vec![tables[1].roll_calls[0].clone()], ..tables[1].clone() }, tables[0].clone()];
        let whole = latest(&tables);
        let records: Vec<&str> = chain_until(&partial, &whole).iter().map(|r| r.record.as_str()).collect();
        assert_eq!(records, ["1", "9"]);
    }

    fn vote_strategy() -> impl Strategy<Value = u8> {
        prop_oneof![Just(NO_VOTE), Just(1u8), Just(2u8), Just(3u8), Just(4u8)]
    }

    proptest! {
        /// The bitset agreement equals the definition computed naively, for every pair.
        #[test]
        fn agreement_matches_the_definition(matrix in proptest::collection::vec(proptest::collection::vec(vote_strategy(), 6), 1..150)) {
            let table = states();
            let codes = ["USA", "RUS", "CHN", "FRA", "GBR", "NAM"];
            let rcs: Vec<RollCall> = matrix.iter().enumerate().map(|(i, row)| {
                let mut rc = roll_call(&i.to_string(), "R/60/45", 2005, &[]);
                for (code, byte) in codes.iter().zip(row) {
                    rc.votes[table.index(iso(code)).unwrap()] = *byte;
                }
                rc
            }).collect();
            let refs: Vec<&RollCall> = rcs.iter().collect();
            for pair in agreement(&refs) {
                let (identical, n) = pair_agreement(&refs, pair.a, pair.b);
                prop_assert_eq!((pair.identical, pair.n), (identical, n));
                prop_assert!(pair.n > 0 && pair.identical <= pair.n);
                prop_assert!(pair.a < pair.b);
                let (ca, cb) = (table.index(pair.a).unwrap(), table.index(pair.b).unwrap());
                let naive_n = rcs.iter().filter(|r| is_cast(r.votes[ca]) && is_cast(r.votes[cb])).count() as u32;
                let naive_same = rcs.iter().filter(|r| is_cast(r.votes[ca]) && r.votes[ca] == r.votes[cb]).count() as u32;
                prop_assert_eq!((naive_same, naive_n), (pair.identical, pair.n));
            }
        }

        /// Cohesion's index lies in [0, 1] and is 1 exactly when every counted roll call is unanimous.
        #[test]
        fn cohesion_index_is_bounded(matrix in proptest::collection::vec(proptest::collection::vec(vote_strategy(), 4), 1..60)) {
            let table = states();
            let codes = ["USA", "RUS", "CHN", "FRA"];
            let rcs: Vec<RollCall> = matrix.iter().enumerate().map(|(i, row)| {
                let mut rc = roll_call(&i.to_string(), "R/60/45", 2005, &[]);
                for (code, byte) in codes.iter().zip(row) {
                    rc.votes[table.index(iso(code)).unwrap()] = *byte;
                }
                rc
            }).collect();
            let refs: Vec<&RollCall> = rcs.iter().collect();
            let group = cohesion(&refs, &codes.map(iso));
            if let Some(index) = group.index {
                prop_assert!((0.0..=1.0 + 1e-12).contains(&index), "{}", index);
                prop_assert_eq!((index - 1.0).abs() < 1e-12, group.unanimous == group.roll_calls);
            } else {
                prop_assert_eq!(group.roll_calls, 0);
            }
        }
    }
}
