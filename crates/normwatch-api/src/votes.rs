//! The JSON of the roll-call analyses (`normwatch votes … --json`, `import votes --json`).
//!
//! Field names are an interface: add, never rename. Each type converts from the plain
//! values of `normwatch-votes` (which derives no `Serialize`) or the store.

use serde::Serialize;
use utoipa::ToSchema;

use normwatch_core::Iso3;
use normwatch_core::domain::{Date, VoteCounts, VoteValue};
use normwatch_votes::analysis::{
    Agreement, Cohesion, GroupTally, MemberCohesion, Move, RecordEntry, RollCallReport, RollCallSummary, Scope,
    SideBySide, SideRow, StateRecord, StateVote, Tally, YearAgreement,
};
use normwatch_votes::crosscheck::{CrossCheck, Disagreement, Side, StateDifference};
use normwatch_votes::model::{Body, Dataset};

fn codes(states: &[Iso3]) -> Vec<String> {
    states.iter().map(ToString::to_string).collect()
}

fn date(date: Option<Date>) -> Option<String> {
    date.map(|d| d.to_string())
}

fn vote(value: Option<VoteValue>) -> Option<String> {
    value.map(|v| v.as_str().to_string())
}

/// Vote totals: yes, no, abstain and (where the dataset states it) non-voting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, ToSchema)]
pub struct TotalsJson {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub non_voting: Option<u32>,
}

impl From<VoteCounts> for TotalsJson {
    fn from(v: VoteCounts) -> Self {
        TotalsJson { yes: v.yes, no: v.no, abstain: v.abstain, non_voting: v.non_voting }
    }
}

/// The roll calls an analysis ran over.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoteScopeJson {
    /// The datasets combined (source ids), in order of preference.
    pub datasets: Vec<String>,
    /// First and last regular session, inclusive.
    pub sessions: Option<Vec<u16>>,
    /// First and last year, inclusive.
    pub years: Option<Vec<i32>>,
    pub series: Option<String>,
    pub issue: Option<String>,
}

impl VoteScopeJson {
    pub fn new(datasets: &[Dataset], scope: &Scope, series: Option<&str>) -> VoteScopeJson {
        VoteScopeJson {
            datasets: datasets.iter().map(|d| d.source_id().to_string()).collect(),
            sessions: scope.sessions.map(|(a, b)| vec![a, b]),
            years: scope.years.map(|(a, b)| vec![a, b]),
            series: series.map(str::to_string),
            issue: scope.issue.clone(),
        }
    }
}

/// A roll call's identity and result.
#[derive(Debug, Serialize, ToSchema)]
pub struct RollCallSummaryJson {
    /// The dataset's source id: unvotes, undl-scrape-2021, undl-ga-voting.
    pub dataset: String,
    /// The dataset's record: `rcid=4618`, `token=3896180`, `undl_id=…`.
    pub record: String,
    /// The canonical symbol, where the dataset's spelling parses.
    pub symbol: Option<String>,
    /// The symbol as the dataset writes it.
    pub symbol_text: String,
    /// general_assembly or security_council.
    pub body: String,
    pub session: Option<u16>,
    /// YYYY-MM-DD, where the dataset gives the day.
    pub date: Option<String>,
    pub year: i32,
    pub title: String,
    /// whole, paragraph or amendment.
    pub part: String,
    pub issues: Vec<String>,
    /// As the dataset states them.
    pub totals: TotalsJson,
    pub voted_no: Vec<String>,
    pub abstained: Vec<String>,
}

fn body_name(body: Body) -> &'static str {
    match body {
        Body::GeneralAssembly => "general_assembly",
        Body::SecurityCouncil => "security_council",
    }
}

impl From<&RollCallSummary> for RollCallSummaryJson {
    fn from(s: &RollCallSummary) -> Self {
        RollCallSummaryJson {
            dataset: s.dataset.source_id().to_string(),
            record: s.record.clone(),
            symbol: s.symbol.as_ref().map(ToString::to_string),
            symbol_text: s.symbol_text.clone(),
            body: body_name(s.body).to_string(),
            session: s.session,
            date: date(s.date),
            year: s.year,
            title: s.title.clone(),
            part: s.part.as_str().to_string(),
            issues: s.issues.clone(),
            totals: s.totals.into(),
            voted_no: codes(&s.voted_no),
            abstained: codes(&s.abstained),
        }
    }
}

/// One state's vote.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateVoteValueJson {
    pub state: String,
    pub name: String,
    /// yes, no, abstain or non_voting.
    pub vote: String,
}

impl From<&StateVote> for StateVoteValueJson {
    fn from(v: &StateVote) -> Self {
        StateVoteValueJson { state: v.state.to_string(), name: v.name.clone(), vote: v.vote.as_str().to_string() }
    }
}

/// The votes of one UN regional group.
#[derive(Debug, Serialize, ToSchema)]
pub struct GroupTallyJson {
    /// AFRICA, APG, EEG, GRULAC, WEOG; null for the states in no group.
    pub group: Option<String>,
    pub name: String,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub non_voting: u32,
}

impl From<&GroupTally> for GroupTallyJson {
    fn from(g: &GroupTally) -> Self {
        GroupTallyJson {
            group: g.group.map(str::to_string),
            name: g.name.to_string(),
            yes: g.yes,
            no: g.no,
            abstain: g.abstain,
            non_voting: g.non_voting,
        }
    }
}

/// `normwatch votes rollcall SYMBOL --json`: one roll call in full (a list, one per
/// dataset and separate vote).
#[derive(Debug, Serialize, ToSchema)]
pub struct RollCallJson {
    #[serde(flatten)]
    pub summary: RollCallSummaryJson,
    /// The totals counted from the individual votes.
    pub counted: TotalsJson,
    pub votes: Vec<StateVoteValueJson>,
    pub non_voting: Vec<String>,
    pub groups: Vec<GroupTallyJson>,
}

impl From<&RollCallReport> for RollCallJson {
    fn from(r: &RollCallReport) -> Self {
        RollCallJson {
            summary: (&r.summary).into(),
            counted: r.counted.into(),
            votes: r.votes.iter().map(Into::into).collect(),
            non_voting: codes(&r.non_voting),
            groups: r.groups.iter().map(Into::into).collect(),
        }
    }
}

/// Counts of a state's votes.
#[derive(Debug, Serialize, ToSchema)]
pub struct TallyJson {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    pub non_voting: u32,
    /// Roll calls with no vote recorded for the state.
    pub no_vote: u32,
}

impl From<&Tally> for TallyJson {
    fn from(t: &Tally) -> Self {
        TallyJson { yes: t.yes, no: t.no, abstain: t.abstain, non_voting: t.non_voting, no_vote: t.no_vote }
    }
}

/// One roll call in a state's record.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordEntryJson {
    #[serde(flatten)]
    pub roll_call: RollCallSummaryJson,
    pub vote: Option<String>,
}

impl From<&RecordEntry> for RecordEntryJson {
    fn from(e: &RecordEntry) -> Self {
        RecordEntryJson { roll_call: (&e.roll_call).into(), vote: vote(e.vote) }
    }
}

/// A state's votes over a set of roll calls.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateRecordJson {
    pub state: String,
    pub name: String,
    pub tally: TallyJson,
    pub roll_calls: Vec<RecordEntryJson>,
}

impl From<&StateRecord> for StateRecordJson {
    fn from(r: &StateRecord) -> Self {
        StateRecordJson {
            state: r.state.to_string(),
            name: r.name.clone(),
            tally: (&r.tally).into(),
            roll_calls: r.roll_calls.iter().map(Into::into).collect(),
        }
    }
}

/// `normwatch votes record STATE --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordReportJson {
    pub scope: VoteScopeJson,
    pub record: StateRecordJson,
}

/// Agreement between two states.
#[derive(Debug, Serialize, ToSchema)]
pub struct PairAgreementJson {
    pub a: String,
    pub b: String,
    /// `identical / n`.
    pub agreement: f64,
    /// Roll calls where both voted yes, no or abstain.
    pub n: u32,
    pub identical: u32,
}

impl From<&Agreement> for PairAgreementJson {
    fn from(p: &Agreement) -> Self {
        PairAgreementJson {
            a: p.a.to_string(),
            b: p.b.to_string(),
            agreement: p.agreement,
            n: p.n,
            identical: p.identical,
        }
    }
}

/// How one member voted relative to its group.
#[derive(Debug, Serialize, ToSchema)]
pub struct MemberCohesionJson {
    pub state: String,
    pub voted: u32,
    pub with_majority: u32,
    pub share: Option<f64>,
}

impl From<&MemberCohesion> for MemberCohesionJson {
    fn from(m: &MemberCohesion) -> Self {
        MemberCohesionJson {
            state: m.state.to_string(),
            voted: m.voted,
            with_majority: m.with_majority,
            share: m.share,
        }
    }
}

/// How cohesively a group of states votes.
#[derive(Debug, Serialize, ToSchema)]
pub struct CohesionJson {
    pub states: Vec<String>,
    pub roll_calls: u32,
    pub unanimous: u32,
    /// The mean Hix–Noury–Roland agreement index.
    pub index: Option<f64>,
    pub members: Vec<MemberCohesionJson>,
    pub pairs: Vec<PairAgreementJson>,
}

impl From<&Cohesion> for CohesionJson {
    fn from(c: &Cohesion) -> Self {
        CohesionJson {
            states: codes(&c.states),
            roll_calls: c.roll_calls,
            unanimous: c.unanimous,
            index: c.index,
            members: c.members.iter().map(Into::into).collect(),
            pairs: c.pairs.iter().map(Into::into).collect(),
        }
    }
}

/// `normwatch votes cohesion STATES --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CohesionReportJson {
    pub scope: VoteScopeJson,
    pub cohesion: CohesionJson,
}

/// `normwatch votes agreement --json`: every pair of states.
#[derive(Debug, Serialize, ToSchema)]
pub struct AgreementReportJson {
    pub scope: VoteScopeJson,
    pub roll_calls: usize,
    pub pairs: Vec<PairAgreementJson>,
}

/// A pair's agreement in one calendar year.
#[derive(Debug, Serialize, ToSchema)]
pub struct PairYearJson {
    pub year: i32,
    pub roll_calls: u32,
    pub n: u32,
    pub identical: u32,
    pub agreement: Option<f64>,
}

impl From<&YearAgreement> for PairYearJson {
    fn from(y: &YearAgreement) -> Self {
        PairYearJson { year: y.year, roll_calls: y.roll_calls, n: y.n, identical: y.identical, agreement: y.agreement }
    }
}

/// A pair's agreement over the whole scope.
#[derive(Debug, Serialize, ToSchema)]
pub struct PairOverallJson {
    pub n: u32,
    pub identical: u32,
    pub agreement: Option<f64>,
}

impl PairOverallJson {
    pub fn new(identical: u32, n: u32) -> PairOverallJson {
        PairOverallJson { n, identical, agreement: (n > 0).then(|| f64::from(identical) / f64::from(n)) }
    }
}

/// `normwatch votes pair A B --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PairReportJson {
    pub scope: VoteScopeJson,
    pub a: String,
    pub b: String,
    pub overall: PairOverallJson,
    pub years: Vec<PairYearJson>,
}

/// One state's votes across roll calls side by side.
#[derive(Debug, Serialize, ToSchema)]
pub struct SideRowJson {
    pub state: String,
    pub name: String,
    /// One per roll call, in order; null where no vote is recorded.
    pub votes: Vec<Option<String>>,
}

impl From<&SideRow> for SideRowJson {
    fn from(r: &SideRow) -> Self {
        SideRowJson {
            state: r.state.to_string(),
            name: r.name.clone(),
            votes: r.votes.iter().map(|v| vote(*v)).collect(),
        }
    }
}

/// A state that voted yes on one roll call and no on the next it voted on.
#[derive(Debug, Serialize, ToSchema)]
pub struct MoveJson {
    pub state: String,
    pub from: String,
    pub from_year: i32,
    pub to: String,
    pub to_year: i32,
}

impl From<&Move> for MoveJson {
    fn from(m: &Move) -> Self {
        MoveJson {
            state: m.state.to_string(),
            from: m.from.clone(),
            from_year: m.from_year,
            to: m.to.clone(),
            to_year: m.to_year,
        }
    }
}

/// Roll calls side by side.
#[derive(Debug, Serialize, ToSchema)]
pub struct SideBySideJson {
    pub roll_calls: Vec<RollCallSummaryJson>,
    pub states: Vec<SideRowJson>,
    pub yes_to_no: Vec<MoveJson>,
}

impl From<&SideBySide> for SideBySideJson {
    fn from(s: &SideBySide) -> Self {
        SideBySideJson {
            roll_calls: s.roll_calls.iter().map(Into::into).collect(),
            states: s.states.iter().map(Into::into).collect(),
            yes_to_no: s.yes_to_no.iter().map(Into::into).collect(),
        }
    }
}

/// `normwatch votes cyber --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct SideBySideReportJson {
    pub scope: VoteScopeJson,
    pub series: String,
    pub side_by_side: SideBySideJson,
}

/// One dataset's side of a shared roll call.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrossCheckSideJson {
    pub record: String,
    pub date: Option<String>,
    pub year: i32,
    pub totals: TotalsJson,
}

impl From<&Side> for CrossCheckSideJson {
    fn from(s: &Side) -> Self {
        CrossCheckSideJson { record: s.record.clone(), date: date(s.date), year: s.year, totals: s.totals.into() }
    }
}

/// A state the two datasets record differently.
#[derive(Debug, Serialize, ToSchema)]
pub struct StateDifferenceJson {
    pub state: String,
    pub left: Option<String>,
    pub right: Option<String>,
}

impl From<&StateDifference> for StateDifferenceJson {
    fn from(d: &StateDifference) -> Self {
        StateDifferenceJson { state: d.state.to_string(), left: vote(d.left), right: vote(d.right) }
    }
}

/// A shared roll call on which two datasets differ.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisagreementJson {
    pub symbol: String,
    pub left: CrossCheckSideJson,
    pub right: CrossCheckSideJson,
    pub totals_differ: bool,
    pub dates_differ: bool,
    pub states: Vec<StateDifferenceJson>,
}

impl From<&Disagreement> for DisagreementJson {
    fn from(d: &Disagreement) -> Self {
        DisagreementJson {
            symbol: d.symbol.to_string(),
            left: (&d.left).into(),
            right: (&d.right).into(),
            totals_differ: d.totals_differ,
            dates_differ: d.dates_differ,
            states: d.states.iter().map(Into::into).collect(),
        }
    }
}

/// `normwatch votes crosscheck --json`: one per pair of imported datasets.
#[derive(Debug, Serialize, ToSchema)]
pub struct CrossCheckJson {
    pub left: String,
    pub right: String,
    pub shared: u32,
    pub agreeing: u32,
    pub only_left: u32,
    pub only_right: u32,
    pub disagreements: Vec<DisagreementJson>,
}

impl From<&CrossCheck> for CrossCheckJson {
    fn from(c: &CrossCheck) -> Self {
        CrossCheckJson {
            left: c.left.source_id().to_string(),
            right: c.right.source_id().to_string(),
            shared: c.shared,
            agreeing: c.agreeing,
            only_left: c.only_left,
            only_right: c.only_right,
            disagreements: c.disagreements.iter().map(Into::into).collect(),
        }
    }
}

/// A file an import read.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedFileJson {
    pub path: String,
    pub sha256: String,
    /// Data rows read (the header not counted).
    pub rows: u64,
}

impl ImportedFileJson {
    pub fn new(path: &str, sha256: &str, rows: u64) -> ImportedFileJson {
        ImportedFileJson { path: path.to_string(), sha256: sha256.to_string(), rows }
    }
}

/// `normwatch votes imports --json`: an imported dataset as the database holds it.
#[derive(Debug, Serialize, ToSchema)]
pub struct DatasetStatusJson {
    pub dataset: String,
    pub roll_calls: i64,
    pub votes: i64,
    pub imported_at: String,
    /// A SHA-256 over every stored roll call.
    pub digest: String,
    pub files: Vec<ImportedFileJson>,
}

/// One dataset imported by `normwatch import votes`.
#[derive(Debug, Serialize, ToSchema)]
pub struct DatasetImportJson {
    pub dataset: String,
    pub roll_calls: usize,
    pub votes: usize,
    /// Whether an earlier import of the dataset was replaced.
    pub replaced: bool,
    pub files: Vec<ImportedFileJson>,
    /// Facts about the data worth telling (rows without a symbol, drafts).
    pub notes: Vec<String>,
}

/// `normwatch import votes PATH --json`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportJson {
    pub datasets: Vec<DatasetImportJson>,
    /// Datasets left out because exactly these files were imported before (`serve --votes`).
    pub skipped: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use normwatch_core::Symbol;
    use normwatch_votes::analysis::{roll_call_report, state_record};
    use normwatch_votes::model::{Part, RollCall, encode};
    use normwatch_votes::states::states;
    use serde_json::Value;

    fn roll_call() -> RollCall {
        let table = states();
        let mut votes = vec![0u8; table.len()];
        for (code, vote) in [("USA", VoteValue::No), ("RUS", VoteValue::Yes), ("CHN", VoteValue::Yes)] {
            let column = table.index(Iso3::parse(code).unwrap()).unwrap();
            votes[column] = encode(vote);
        }
        RollCall {
            dataset: Dataset::Unvotes,
            record: "4618".to_string(),
            symbol: Some(Symbol::parse("A/RES/60/45").unwrap()),
            symbol_text: "R/60/45".to_string(),
            body: Body::GeneralAssembly,
            session: Some(60),
            date: Some("2005-12-08".parse().unwrap()),
            year: 2005,
            title: "Developments in the field of information and telecommunications".to_string(),
            part: Part::Whole,
            totals: VoteCounts { yes: 2, no: 1, abstain: 0, non_voting: None },
            issues: vec!["ec".to_string()],
            line: 2,
            votes,
        }
    }

    fn keys(value: &Value) -> Vec<&str> {
        let mut keys: Vec<&str> = value.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        keys
    }

    /// The names `normwatch votes rollcall --json` printed when the votes crate serialised
    /// its own types; they are an interface.
    #[test]
    fn a_roll_call_keeps_its_field_names_and_spellings() {
        let json = serde_json::to_value(RollCallJson::from(&roll_call_report(&roll_call()))).unwrap();
        assert_eq!(
            keys(&json),
            [
                "abstained",
                "body",
                "counted",
                "dataset",
                "date",
                "groups",
                "issues",
                "non_voting",
                "part",
                "record",
                "session",
                "symbol",
                "symbol_text",
                "title",
                "totals",
                "voted_no",
                "votes",
                "year"
            ]
        );
        assert_eq!(json["dataset"], "unvotes");
        assert_eq!(json["record"], "rcid=4618");
        assert_eq!(json["body"], "general_assembly");
        assert_eq!(json["part"], "whole");
        assert_eq!(json["date"], "2005-12-08");
        assert_eq!(json["totals"], serde_json::json!({"yes": 2, "no": 1, "abstain": 0, "non_voting": null}));
        assert_eq!(json["voted_no"], serde_json::json!(["USA"]));
        assert_eq!(json["votes"][0], serde_json::json!({"state": "CHN", "name": "China", "vote": "yes"}));
        assert_eq!(keys(&json["groups"][0]), ["abstain", "group", "name", "no", "non_voting", "yes"]);
    }

    #[test]
    fn a_record_entry_is_the_roll_call_with_the_state_vote() {
        let rc = roll_call();
        let record = StateRecordJson::from(&state_record(&[&rc], Iso3::parse("USA").unwrap()));
        let json = serde_json::to_value(record).unwrap();
        assert_eq!(keys(&json), ["name", "roll_calls", "state", "tally"]);
        assert_eq!(json["tally"], serde_json::json!({"yes": 0, "no": 1, "abstain": 0, "non_voting": 0, "no_vote": 0}));
        assert_eq!(json["roll_calls"][0]["vote"], "no");
        assert_eq!(json["roll_calls"][0]["symbol"], "A/RES/60/45");
    }
}
