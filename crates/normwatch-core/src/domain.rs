//! The small closed vocabularies of the domain: kinds of documents, committees, streams,
//! voting modalities and values, dates, operative verbs.
//!
//! Each type parses from and prints as exactly the spelling used in the knowledge-base
//! files and in the JSON contract, so the spellings live in one place.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Declares a closed vocabulary: an enum whose variants have one spelling each, used in
/// the knowledge base, in the database and in the JSON contract alike.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = VocabularyError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($text => Ok($name::$variant),)+
                    _ => Err(VocabularyError {
                        what: stringify!($name),
                        found: s.to_string(),
                        expected: vec![$($text),+],
                    }),
                }
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = String::deserialize(deserializer)?;
                text.parse().map_err(serde::de::Error::custom)
            }
        }
    };
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{found}` is not a valid {what}; expected one of: {}", expected.join(", "))]
pub struct VocabularyError {
    pub what: &'static str,
    pub found: String,
    pub expected: Vec<&'static str>,
}

vocabulary!(
    /// What a document is.
    DocumentKind {
        Resolution => "resolution",
        Draft => "draft",
        Report => "report",
        Letter => "letter",
        Decision => "decision",
        Other => "other",
    }
);

vocabulary!(
    /// The General Assembly Main Committees that deal with cyber-security.
    Committee {
        First => "First",
        Second => "Second",
        Third => "Third",
    }
);

vocabulary!(
    /// The negotiation streams of the seed model (Maurer 2011, part II).
    Stream {
        PoliticoMilitary => "politico-military",
        Economic => "economic",
        Linking => "linking",
        InternetGovernance => "internet-governance",
    }
);

vocabulary!(
    /// How a resolution was adopted.
    Modality {
        WithoutVote => "without_vote",
        RecordedVote => "recorded_vote",
    }
);

vocabulary!(
    /// A state's vote in a recorded vote.
    VoteValue {
        Yes => "yes",
        No => "no",
        Abstain => "abstain",
        NonVoting => "non_voting",
    }
);

impl VoteValue {
    /// Reads the one-letter codes of the UN Digital Library (`Y`, `N`, `A`, `X`) and the
    /// words of the unvotes data (`yes`, `no`, `abstain`).
    pub fn from_code(code: &str) -> Option<VoteValue> {
        match code.trim() {
            "Y" | "y" | "yes" | "Yes" => Some(VoteValue::Yes),
            "N" | "n" | "no" | "No" => Some(VoteValue::No),
            "A" | "a" | "abstain" | "Abstain" => Some(VoteValue::Abstain),
            "X" | "x" | "non_voting" | "non-voting" => Some(VoteValue::NonVoting),
            _ => None,
        }
    }
}

vocabulary!(
    BodyKind {
        PrincipalOrgan => "principal-organ",
        MainCommittee => "main-committee",
        SubsidiaryOrgan => "subsidiary-organ",
        FunctionalCommission => "functional-commission",
        SpecializedAgency => "specialized-agency",
        Programme => "programme",
        ResearchInstitute => "research-institute",
        Office => "office",
        Forum => "forum",
        Conference => "conference",
        Summit => "summit",
        WorkingGroup => "working-group",
        Committee => "committee",
        External => "external",
    }
);

vocabulary!(
    GroupKind {
        Gge => "gge",
        Oewg => "oewg",
        AdHocCommittee => "ad-hoc-committee",
        ExpertGroup => "expert-group",
        Other => "other",
    }
);

vocabulary!(
    /// How an expert group ended.
    Outcome {
        ConsensusReport => "consensus_report",
        NoConsensus => "no_consensus",
        Ongoing => "ongoing",
        Other => "other",
    }
);

vocabulary!(
    EventKind {
        Conference => "conference",
        Launch => "launch",
        Summit => "summit",
        Incident => "incident",
        Meeting => "meeting",
        Publication => "publication",
        Other => "other",
    }
);

vocabulary!(
    ActorKind {
        Person => "person",
        Organization => "organization",
    }
);

vocabulary!(
    ParagraphPart {
        Preambular => "preambular",
        Operative => "operative",
    }
);

/// The tally of a recorded vote.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VoteCounts {
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
    /// Members present or absent who did not vote; sources often leave it out.
    #[serde(default)]
    pub non_voting: Option<u32>,
}

impl fmt::Display for VoteCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}–{}–{}", self.yes, self.no, self.abstain)?;
        if let Some(n) = self.non_voting {
            write!(f, " ({n} non-voting)")?;
        }
        Ok(())
    }
}

/// A calendar date, written `YYYY-MM-DD`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(time::Date);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{0}` is not a date written YYYY-MM-DD")]
pub struct DateError(pub String);

const DATE_FORMAT: &[time::format_description::BorrowedFormatItem<'static>] =
    time::macros::format_description!("[year]-[month]-[day]");

impl Date {
    pub fn year(self) -> i32 {
        self.0.year()
    }

    pub fn from_ymd(year: i32, month: u8, day: u8) -> Option<Date> {
        let month = time::Month::try_from(month).ok()?;
        time::Date::from_calendar_date(year, month, day).ok().map(Date)
    }
}

impl FromStr for Date {
    type Err = DateError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        if s.len() != 10 {
            return Err(DateError(s.to_string()));
        }
        time::Date::parse(s, DATE_FORMAT).map(Date).map_err(|_| DateError(s.to_string()))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0.format(DATE_FORMAT).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // TOML has a native date type; accept it as well as a quoted string.
        let value = toml::Value::deserialize(deserializer)?;
        let text = match value {
            toml::Value::String(s) => s,
            toml::Value::Datetime(d) => d.to_string(),
            other => return Err(serde::de::Error::custom(format!("expected a date YYYY-MM-DD, found {other}"))),
        };
        text.parse().map_err(serde::de::Error::custom)
    }
}

vocabulary!(
    /// The operative verbs with which resolution paragraphs open, as classes; the
    /// strength of each class is a sourced measurement parameter in
    /// `config/measurement.toml`, not here.
    OperativeVerb {
        Adopts => "adopts",
        Endorses => "endorses",
        Decides => "decides",
        Requests => "requests",
        Urges => "urges",
        CallsUpon => "calls upon",
        Welcomes => "welcomes",
        NotesWithAppreciation => "notes with appreciation",
        TakesNote => "takes note",
        Notes => "notes",
        Acknowledges => "acknowledges",
        Invites => "invites",
        Encourages => "encourages",
        Recommends => "recommends",
        Reaffirms => "reaffirms",
        Recognizes => "recognizes",
        Expresses => "expresses",
        Emphasizes => "emphasizes",
        Affirms => "affirms",
        Supports => "supports",
        DrawsAttention => "draws attention",
    }
);

impl OperativeVerb {
    /// Classifies the opening words of a paragraph: "Takes note with appreciation of …",
    /// "Also invites …", "Further requests …", "noted with appreciation".
    pub fn classify(opening: &str) -> Option<OperativeVerb> {
        let lower = opening.trim().to_lowercase();
        let words: Vec<&str> = lower
            .split_whitespace()
            .skip_while(|w| matches!(*w, "also" | "further" | "further," | "again" | "once" | "more" | "strongly"))
            .collect();
        let text = words.join(" ");
        let starts = |prefixes: &[&str]| prefixes.iter().any(|p| text.starts_with(p));
        // Longest phrases first, so "takes note with appreciation" is not read as "takes note".
        if starts(&[
            "takes note with appreciation",
            "took note with appreciation",
            "notes with appreciation",
            "noted with appreciation",
            "note with appreciation",
        ]) {
            return Some(OperativeVerb::NotesWithAppreciation);
        }
        if starts(&["takes note", "took note", "take note"]) {
            return Some(OperativeVerb::TakesNote);
        }
        if starts(&["calls upon", "calls on", "called upon"]) {
            return Some(OperativeVerb::CallsUpon);
        }
        if starts(&["draws attention", "draw attention"]) {
            return Some(OperativeVerb::DrawsAttention);
        }
        let first = words.first()?;
        let stem = |s: &str| first.starts_with(s);
        let verb = if stem("adopt") {
            OperativeVerb::Adopts
        } else if stem("endors") {
            OperativeVerb::Endorses
        } else if stem("decide") {
            OperativeVerb::Decides
        } else if stem("request") {
            OperativeVerb::Requests
        } else if stem("urge") {
            OperativeVerb::Urges
        } else if stem("welcom") {
            OperativeVerb::Welcomes
        } else if stem("note") {
            OperativeVerb::Notes
        } else if stem("acknowledg") {
            OperativeVerb::Acknowledges
        } else if stem("invite") {
            OperativeVerb::Invites
        } else if stem("encourag") {
            OperativeVerb::Encourages
        } else if stem("recommend") {
            OperativeVerb::Recommends
        } else if stem("reaffirm") {
            OperativeVerb::Reaffirms
        } else if stem("recogni") {
            OperativeVerb::Recognizes
        } else if stem("express") {
            OperativeVerb::Expresses
        } else if stem("emphasi") || stem("stress") || stem("underline") {
            OperativeVerb::Emphasizes
        } else if stem("affirm") {
            OperativeVerb::Affirms
        } else if stem("support") {
            OperativeVerb::Supports
        } else {
            return None;
        };
        Some(verb)
    }
}

/// How strong an operative verb is on an ordinal scale: larger is stronger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct VerbStrength(pub u8);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabularies_round_trip_and_explain_errors() {
        for stream in Stream::ALL {
            assert_eq!(stream.as_str().parse::<Stream>().unwrap(), *stream);
        }
        let error = "military".parse::<Stream>().unwrap_err();
        assert!(error.to_string().contains("politico-military"), "{error}");
        assert_eq!("First".parse::<Committee>().unwrap(), Committee::First);
        assert!("first".parse::<Committee>().is_err());
    }

    #[test]
    fn dates_parse_strictly() {
        let date: Date = "1998-12-04".parse().unwrap();
        assert_eq!(date.to_string(), "1998-12-04");
        assert_eq!(date.year(), 1998);
        for bad in ["1998-13-01", "1998-02-30", "4 December 1998", "98-12-04", ""] {
            assert!(bad.parse::<Date>().is_err(), "{bad}");
        }
    }

    #[test]
    fn vote_codes() {
        assert_eq!(VoteValue::from_code("Y"), Some(VoteValue::Yes));
        assert_eq!(VoteValue::from_code("abstain"), Some(VoteValue::Abstain));
        assert_eq!(VoteValue::from_code("X"), Some(VoteValue::NonVoting));
        assert_eq!(VoteValue::from_code("maybe"), None);
    }

    #[test]
    fn operative_verbs_classify_longest_phrase_first() {
        let check = |text, verb| assert_eq!(OperativeVerb::classify(text), Some(verb), "{text}");
        check("Takes note with appreciation of the report", OperativeVerb::NotesWithAppreciation);
        check("Takes note of the elements annexed", OperativeVerb::TakesNote);
        check("Invites all Member States", OperativeVerb::Invites);
        check("Also requests the Secretary-General", OperativeVerb::Requests);
        check("Calls upon Member States", OperativeVerb::CallsUpon);
        check("noted with appreciation the convening", OperativeVerb::NotesWithAppreciation);
        check("Adopts the principles annexed", OperativeVerb::Adopts);
        assert_eq!(OperativeVerb::classify("Bananas"), None);
    }
}
