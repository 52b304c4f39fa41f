//! What a search hit points to, and the stable key it is stored under.
//!
//! A key is the variant's tag followed by its parts, separated by `|`; inside a part, `%`
//! and `|` are written `%25` and `%7C`, so any text round-trips:
//!
//! | target | key |
//! | --- | --- |
//! | `Record { kind: "document", id: "A/RES/53/70", field: "title" }` | `record\|document\|A/RES/53/70\|title` |
//! | `AnnexItem { symbol: "A/70/174", list: "norms", label: "13(a)" }` | `annex\|A/70/174\|norms\|13(a)` |
//! | `Paragraph { symbol: "A/RES/53/70", number: "3" }` | `paragraph\|A/RES/53/70\|3` |
//! | `Speech { state: "USA", year: 2013 }` | `speech\|USA\|2013` |

use std::fmt;

/// The thing a document of the index stands for. The caller computes the link from it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// One field of a knowledge-base record (`id`, `title`, `summary`, `quote`…).
    Record { kind: String, id: String, field: String },
    /// One item of a list annexed to a document (e.g. a norm of a GGE report).
    AnnexItem { symbol: String, list: String, label: String },
    /// One paragraph of a document's text.
    Paragraph { symbol: String, number: String },
    /// A state's General Debate speech of a year.
    Speech { state: String, year: i32 },
}

/// A key that is not one of the forms [`Target::key`] writes.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{key}` is not a search target key: {reason}")]
pub struct TargetKeyError {
    pub key: String,
    pub reason: &'static str,
}

impl Target {
    /// The variant's tag, the first part of the key.
    pub fn tag(&self) -> &'static str {
        match self {
            Target::Record { .. } => "record",
            Target::AnnexItem { .. } => "annex",
            Target::Paragraph { .. } => "paragraph",
            Target::Speech { .. } => "speech",
        }
    }

    /// The stable key (see the module documentation).
    pub fn key(&self) -> String {
        let year;
        let parts: [&str; 3] = match self {
            Target::Record { kind, id, field } => [kind, id, field],
            Target::AnnexItem { symbol, list, label } => [symbol, list, label],
            Target::Paragraph { symbol, number } => [symbol, number, ""],
            Target::Speech { state, year: y } => {
                year = y.to_string();
                [state, &year, ""]
            }
        };
        let count = if matches!(self, Target::Paragraph { .. } | Target::Speech { .. }) { 2 } else { 3 };
        let mut key = String::from(self.tag());
        for part in &parts[..count] {
            key.push('|');
            escape_into(part, &mut key);
        }
        key
    }

    /// The key of the group this target belongs to when hits are collapsed: every field of
    /// one record forms one group; any other target is a group of its own.
    pub fn group_key(&self) -> String {
        match self {
            Target::Record { kind, id, .. } => {
                let mut key = String::from("record|");
                escape_into(kind, &mut key);
                key.push('|');
                escape_into(id, &mut key);
                key
            }
            other => other.key(),
        }
    }

    /// Reads a key written by [`Target::key`].
    pub fn parse_key(key: &str) -> Result<Target, TargetKeyError> {
        let error = |reason| TargetKeyError { key: key.to_string(), reason };
        let mut parts = key.split('|');
        let tag = parts.next().unwrap_or_default();
        let rest: Vec<String> = parts.map(unescape).collect::<Option<_>>().ok_or_else(|| error("bad %-escape"))?;
        match (tag, rest.as_slice()) {
            ("record", [kind, id, field]) => {
                Ok(Target::Record { kind: kind.clone(), id: id.clone(), field: field.clone() })
            }
            ("annex", [symbol, list, label]) => {
                Ok(Target::AnnexItem { symbol: symbol.clone(), list: list.clone(), label: label.clone() })
            }
            ("paragraph", [symbol, number]) => Ok(Target::Paragraph { symbol: symbol.clone(), number: number.clone() }),
            ("speech", [state, year]) => Ok(Target::Speech {
                state: state.clone(),
                year: year.parse().map_err(|_| error("the year of a speech is not a number"))?,
            }),
            ("record" | "annex" | "paragraph" | "speech", _) => Err(error("wrong number of parts for its tag")),
            _ => Err(error("unknown tag (record, annex, paragraph or speech)")),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.key())
    }
}

fn escape_into(part: &str, out: &mut String) {
    for c in part.chars() {
        match c {
            '%' => out.push_str("%25"),
            '|' => out.push_str("%7C"),
            c => out.push(c),
        }
    }
}

fn unescape(part: &str) -> Option<String> {
    let mut out = String::with_capacity(part.len());
    let mut rest = part;
    while let Some(i) = rest.find('%') {
        out.push_str(&rest[..i]);
        let code = rest.get(i + 1..i + 3)?;
        out.push(match code {
            "25" => '%',
            "7C" => '|',
            _ => return None,
        });
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn record(kind: &str, id: &str, field: &str) -> Target {
        Target::Record { kind: kind.into(), id: id.into(), field: field.into() }
    }

    #[test]
    fn keys_as_documented() {
        let cases = [
            (record("document", "A/RES/53/70", "title"), "record|document|A/RES/53/70|title"),
            (
                Target::AnnexItem { symbol: "A/70/174".into(), list: "norms".into(), label: "13(a)".into() },
                "annex|A/70/174|norms|13(a)",
            ),
            (Target::Paragraph { symbol: "A/RES/53/70".into(), number: "3".into() }, "paragraph|A/RES/53/70|3"),
            (Target::Speech { state: "USA".into(), year: 2013 }, "speech|USA|2013"),
            (record("a|b", "50%", ""), "record|a%7Cb|50%25|"),
        ];
        for (target, key) in cases {
            assert_eq!(target.key(), key);
            assert_eq!(Target::parse_key(key).as_ref(), Ok(&target), "{key}");
        }
    }

    #[test]
    fn fields_of_a_record_share_a_group() {
        assert_eq!(record("document", "X", "title").group_key(), record("document", "X", "summary").group_key());
        assert_ne!(record("document", "X", "title").group_key(), record("series", "X", "title").group_key());
        let speech = Target::Speech { state: "FRA".into(), year: 1999 };
        assert_eq!(speech.group_key(), speech.key());
    }

    #[test]
    fn bad_keys_are_refused() {
        for key in ["", "speech|USA", "speech|USA|year", "record|a|b", "nope|a", "paragraph|a%2|1", "annex|a|b|c|d"] {
            assert!(Target::parse_key(key).is_err(), "{key}");
        }
    }

    fn target() -> impl Strategy<Value = Target> {
        let s = ".{0,12}";
        prop_oneof![
            (s, s, s).prop_map(|(kind, id, field)| Target::Record { kind, id, field }),
            (s, s, s).prop_map(|(symbol, list, label)| Target::AnnexItem { symbol, list, label }),
            (s, s).prop_map(|(symbol, number)| Target::Paragraph { symbol, number }),
            (s, any::<i32>()).prop_map(|(state, year)| Target::Speech { state, year }),
        ]
    }

    proptest! {
        #[test]
        fn keys_round_trip(t in target()) {
            prop_assert_eq!(Target::parse_key(&t.key()), Ok(t));
        }

        #[test]
        fn parse_key_never_panics(key in ".{0,40}") {
            let _ = Target::parse_key(&key);
        }
    }
}
