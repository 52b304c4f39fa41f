//! Roll calls held compactly: metadata plus one vote byte per state.

use std::fmt;

use normwatch_core::Iso3;
use normwatch_core::Symbol;
use normwatch_core::domain::{Date, DocumentKind, VoteCounts, VoteValue};

use crate::states::states;

/// The voting datasets normwatch reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Dataset {
    /// Voeten's data as packaged in the R package unvotes 0.3.0 (1946–2019).
    Unvotes,
    /// The unofficial scrape of the UN Digital Library (GA and SC, to December 2021).
    UndlScrape,
    /// The UN Digital Library's official General Assembly voting CSV (long format).
    UndlOfficial,
}

impl Dataset {
    pub const ALL: [Dataset; 3] = [Dataset::UndlOfficial, Dataset::Unvotes, Dataset::UndlScrape];

    /// The source id in `kb/sources.toml`.
    pub fn source_id(self) -> &'static str {
        match self {
            Dataset::Unvotes => "unvotes",
            Dataset::UndlScrape => "undl-scrape-2021",
            Dataset::UndlOfficial => "undl-ga-voting",
        }
    }

    /// The name `--format` takes.
    pub fn format_name(self) -> &'static str {
        match self {
            Dataset::Unvotes => "unvotes",
            Dataset::UndlScrape => "undl-scrape",
            Dataset::UndlOfficial => "undl-official",
        }
    }

    /// The name of the dataset's own record id.
    pub fn record_key(self) -> &'static str {
        match self {
            Dataset::Unvotes => "rcid",
            Dataset::UndlScrape => "token",
            Dataset::UndlOfficial => "undl_id",
        }
    }

    /// Whether the dataset lists members present but not voting (`X`). unvotes dropped
    /// absences and non-votes alike, so there "no vote" means either.
    pub fn records_non_voting(self) -> bool {
        !matches!(self, Dataset::Unvotes)
    }

    pub fn from_source_id(text: &str) -> Option<Dataset> {
        Dataset::ALL.into_iter().find(|d| d.source_id() == text)
    }

    /// Accepts the `--format` name or the source id.
    pub fn parse(text: &str) -> Option<Dataset> {
        let text = text.trim();
        Dataset::ALL.into_iter().find(|d| d.format_name() == text || d.source_id() == text)
    }
}

impl fmt::Display for Dataset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.source_id())
    }
}

/// The organ that voted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Body {
    GeneralAssembly,
    SecurityCouncil,
}

impl Body {
    pub fn as_str(self) -> &'static str {
        match self {
            Body::GeneralAssembly => "ga",
            Body::SecurityCouncil => "sc",
        }
    }

    pub fn parse(text: &str) -> Option<Body> {
        match text {
            "ga" => Some(Body::GeneralAssembly),
            "sc" => Some(Body::SecurityCouncil),
            _ => None,
        }
    }
}

/// What a roll call voted on, where the dataset says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part {
    /// The draft as a whole (or not coded otherwise).
    Whole,
    /// A separate vote on a paragraph.
    Paragraph,
    /// A vote on an amendment.
    Amendment,
}

impl Part {
    pub fn as_str(self) -> &'static str {
        match self {
            Part::Whole => "whole",
            Part::Paragraph => "paragraph",
            Part::Amendment => "amendment",
        }
    }

    pub fn parse(text: &str) -> Option<Part> {
        match text {
            "whole" => Some(Part::Whole),
            "paragraph" => Some(Part::Paragraph),
            "amendment" => Some(Part::Amendment),
            _ => None,
        }
    }
}

/// No vote recorded: not a member, absent, or (in unvotes) not voting.
pub const NO_VOTE: u8 = 0;

/// The byte a vote is stored as.
pub fn encode(vote: VoteValue) -> u8 {
    match vote {
        VoteValue::Yes => 1,
        VoteValue::No => 2,
        VoteValue::Abstain => 3,
        VoteValue::NonVoting => 4,
    }
}

/// The vote a byte stands for; `None` for [`NO_VOTE`] and for bytes no version wrote.
pub fn decode(byte: u8) -> Option<VoteValue> {
    match byte {
        1 => Some(VoteValue::Yes),
        2 => Some(VoteValue::No),
        3 => Some(VoteValue::Abstain),
        4 => Some(VoteValue::NonVoting),
        _ => None,
    }
}

/// Whether a byte is a yes, a no or an abstention (the votes agreement counts).
pub fn is_cast(byte: u8) -> bool {
    (1..=3).contains(&byte)
}

/// One recorded vote as one dataset gives it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RollCall {
    pub dataset: Dataset,
    /// The dataset's own id for it: rcid, UNDL token or undl_id.
    pub record: String,
    /// The canonical symbol, where the dataset's spelling parses.
    pub symbol: Option<Symbol>,
    /// The symbol as the dataset writes it (`R/60/45`, `A/76/L.14`, `MISSING_DATA`).
    pub symbol_text: String,
    pub body: Body,
    /// The regular session, where known.
    pub session: Option<u16>,
    /// The date of the vote; a few rows give only the year.
    pub date: Option<Date>,
    pub year: i32,
    pub title: String,
    pub part: Part,
    /// The totals as the dataset states them (unvotes states none: its counted votes).
    pub totals: VoteCounts,
    /// Issue codes (unvotes: me, nu, di, hr, co, ec).
    pub issues: Vec<String>,
    /// The line of the file where the roll call is described.
    pub line: u64,
    /// One byte per state of the state table, in its order (see [`encode`]).
    pub votes: Vec<u8>,
}

impl RollCall {
    /// The reference written in sources: `rcid=4618`.
    pub fn record_ref(&self) -> String {
        format!("{}={}", self.dataset.record_key(), self.record)
    }

    /// The byte for a state column ([`NO_VOTE`] past the end of a short vector).
    pub fn byte(&self, column: usize) -> u8 {
        self.votes.get(column).copied().unwrap_or(NO_VOTE)
    }

    /// A state's vote.
    pub fn vote(&self, state: Iso3) -> Option<VoteValue> {
        states().index(state).and_then(|i| self.votes.get(i)).and_then(|b| decode(*b))
    }

    /// The totals counted from the individual votes.
    pub fn counted(&self) -> VoteCounts {
        let mut counts = [0u32; 5];
        for &byte in &self.votes {
            if let Some(slot) = counts.get_mut(usize::from(byte)) {
                *slot += 1;
            }
        }
        VoteCounts {
            yes: counts[1],
            no: counts[2],
            abstain: counts[3],
            non_voting: self.dataset.records_non_voting().then_some(counts[4]),
        }
    }

    /// The states that cast a given vote, sorted by code.
    pub fn states_voting(&self, vote: VoteValue) -> Vec<Iso3> {
        let wanted = encode(vote);
        let table = states();
        let mut out: Vec<Iso3> =
            self.votes.iter().enumerate().filter(|(_, b)| **b == wanted).map(|(i, _)| table.iso3(i)).collect();
        out.sort();
        out
    }

    /// Whether the symbol names an adopted resolution (not a draft or a missing value).
    pub fn is_resolution(&self) -> bool {
        self.symbol.as_ref().is_some_and(|s| s.implied_kind() == Some(DocumentKind::Resolution))
    }

    /// A key to order roll calls in time: date (or the year alone), then the record.
    pub fn sort_key(&self) -> (i32, Option<Date>, u64) {
        (self.year, self.date, self.line)
    }
}

/// What one dataset holds after reading.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VoteTable {
    pub dataset: Dataset,
    /// The file the roll calls are described in, as named to the reader.
    pub origin: String,
    pub roll_calls: Vec<RollCall>,
}

impl VoteTable {
    /// How many individual votes (bytes other than "no vote") the table holds.
    pub fn vote_count(&self) -> usize {
        self.roll_calls.iter().map(|r| r.votes.iter().filter(|b| **b != NO_VOTE).count()).sum()
    }
}

/// Picks, among one dataset's roll calls on one symbol, the vote that adopted it: the
/// roll calls coded as separate votes on a paragraph or an amendment are set aside, and of
/// the rest the first in time and in the dataset's order (unvotes appended later roll
/// calls taken from meeting records, on motions and paragraphs, after its original ones).
/// `None` when every roll call is a separate vote.
pub fn adoption_vote<'a>(candidates: &[&'a RollCall]) -> Option<&'a RollCall> {
    candidates.iter().copied().filter(|r| r.part == Part::Whole).min_by_key(|r| r.sort_key())
}

/// The adoption vote of a resolution in the most preferred dataset that has one (the
/// order of [`Dataset::ALL`]), given every roll call on its symbol.
pub fn preferred_adoption_vote(roll_calls: &[RollCall]) -> Option<&RollCall> {
    Dataset::ALL.into_iter().find_map(|dataset| {
        let in_dataset: Vec<&RollCall> = roll_calls.iter().filter(|r| r.dataset == dataset).collect();
        adoption_vote(&in_dataset)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn roll_call(record: &str, symbol: &str, votes: &[(&str, VoteValue)]) -> RollCall {
        let table = states();
        let mut bytes = vec![NO_VOTE; table.len()];
        for (code, vote) in votes {
            let i = table.index(Iso3::parse(code).unwrap()).unwrap();
            bytes[i] = encode(*vote);
        }
        RollCall {
            dataset: Dataset::Unvotes,
            record: record.into(),
            symbol: Symbol::parse(symbol).ok(),
            symbol_text: symbol.into(),
            body: Body::GeneralAssembly,
            session: Some(60),
            date: "2005-12-08".parse().ok(),
            year: 2005,
            title: "T".into(),
            part: Part::Whole,
            totals: VoteCounts { yes: 0, no: 0, abstain: 0, non_voting: None },
            issues: Vec::new(),
            line: 2,
            votes: bytes,
        }
    }

    #[test]
    fn bytes_round_trip() {
        for vote in VoteValue::ALL {
            assert_eq!(decode(encode(*vote)), Some(*vote));
        }
        assert_eq!(decode(NO_VOTE), None);
        assert_eq!(decode(200), None);
    }

    #[test]
    fn counts_and_voters() {
        let rc = roll_call("1", "R/60/45", &[("USA", VoteValue::No), ("RUS", VoteValue::Yes), ("CHN", VoteValue::Yes)]);
        assert_eq!(rc.counted(), VoteCounts { yes: 2, no: 1, abstain: 0, non_voting: None });
        assert_eq!(rc.states_voting(VoteValue::No), vec![Iso3::parse("USA").unwrap()]);
        assert_eq!(rc.vote(Iso3::parse("RUS").unwrap()), Some(VoteValue::Yes));
        assert_eq!(rc.vote(Iso3::parse("FRA").unwrap()), None);
        assert!(rc.is_resolution());
        assert_eq!(rc.record_ref(), "rcid=1");
    }

    #[test]
    fn the_adoption_vote_is_the_first_vote_on_the_whole() {
        let mut para = roll_call("1", "R/61/77", &[]);
        para.part = Part::Paragraph;
        let whole = roll_call("2", "R/61/77", &[]);
        let mut appended = roll_call("3", "R/61/77", &[]);
        appended.line = 5000;
        assert_eq!(adoption_vote(&[&para, &appended, &whole]).map(|r| r.record.as_str()), Some("2"));
        assert_eq!(adoption_vote(&[&para]), None);
        assert_eq!(Dataset::parse("undl-scrape"), Some(Dataset::UndlScrape));
        assert_eq!(Dataset::parse("unvotes"), Some(Dataset::Unvotes));
        assert_eq!(Dataset::from_source_id("undl-ga-voting"), Some(Dataset::UndlOfficial));
    }
}
