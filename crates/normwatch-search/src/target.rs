//! What a search hit points to, and the stable key it is stored under.
//!
//! A key is the variant's tag followed by its parts, separated by `|`; inside a part, `%`
//! and `|` are written `%25` and `%7C`, so any text round-trips:
//!
//! | target | key |
//! | --- | --- |
//! | `Record { kind: "document", id: "A/RES/53/70", field: "title" }` | `record\|document\|A/RES/53/70\|title` |
//! | `AnnexItem { kind: "document", id: "A/70/174", list: "norms", label: "13(a)" }` | `annex\|document\|A/70/174\|norms\|13(a)` |
//! | `Paragraph { symbol: "A/RES/53/70", number: "op3" }` | `paragraph\|A/RES/53/70\|op3` |
//! | `Speech { state: "USA", year: 2013 }` | `speech\|USA\|2013` |

use std::fmt;

/// The thing a document of the index stands for. The caller computes the link from it.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    /// One field of a knowledge-base record (`id`, `title`, `summary`, `quote`…).
    Record { kind: String, id: String, field: String },
    /// One item of a list attached to a record (e.g. a norm annexed to a GGE report, a
    /// recommendation of a group).
    AnnexItem { kind: String, id: String, list: String, label: String },
    /// One paragraph of a document's text (`number` names it within the text: `pp2`,
    /// `op3`, `annex1`…).
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
        let parts: Vec<&str> = match self {
            Target::Record { kind, id, field } => vec![kind, id, field],
            Target::AnnexItem { kind, id, list, label } => vec![kind, id, list, label],
            Target::Paragraph { symbol, number } => vec![symbol, number],
            Target::Speech { state, year: y } => {
                year = y.to_string();
                vec![state, &year]
            }
        };
        let mut key = String::from(self.tag());
        for part in parts {
            key.push('|');
            escape_into(part, &mut key);
        }
        key
    }

    /// The key of the group this target belongs to when hits are collapsed: the fields and
    /// items of one record, and the paragraphs of one document, form one group; a speech
    /// is a group of its own.
    pub fn group_key(&self) -> String {
        let record = |kind: &str, id: &str| {
            let mut key = String::from("record|");
            escape_into(kind, &mut key);
            key.push('|');
            escape_into(id, &mut key);
            key
        };
        match self {
            Target::Record { kind, id, .. } | Target::AnnexItem { kind, id, .. } => record(kind, id),
            Target::Paragraph { symbol, .. } => record("document", symbol),
            Target::Speech { .. } => self.key(),
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
            ("annex", [kind, id, list, label]) => {
                Ok(Target::AnnexItem { kind: kind.clone(), id: id.clone(), list: list.clone(), label: label.clone() })
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
                Target::AnnexItem {
                    kind: "document".into(),
                    id: "A/70/174".into(),
                    list: "norms".into(),
                    label: "13(a)".into(),
                },
                "annex|document|A/70/174|norms|13(a)",
            ),
            (Target::Paragraph { symbol: "A/RES/53/70".into(), number: "op3".into() }, "paragraph|A/RES/53/70|op3"),
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
        let item = Target::AnnexItem { kind: "document".into(), id: "X".into(), list: "l".into(), label: "1".into() };
        assert_eq!(item.group_key(), record("document", "X", "title").group_key());
        let paragraph = Target::Paragraph { symbol: "X".into(), number: "op1".into() };
        assert_eq!(paragraph.group_key(), record("document", "X", "title").group_key());
        let speech = Target::Speech { state: "FRA".into(), year: 1999 };
        assert_eq!(speech.group_key(), speech.key());
    }

    #[test]
    fn bad_keys_are_refused() {
        for key in [
            "",
            "speech|USA",
            "speech|USA|year",
            "record|a|b",
            "nope|a",
            "paragraph|a%2|1",
            "annex|a|b|c",
            "annex|a|b|c|d|e",
        ] {
            assert!(Target::parse_key(key).is_err(), "{key}");
        }
    }

    fn target() -> impl Strategy<Value = Target> {
        let s = ".{0,12}";
        prop_oneof![
            (s, s, s).prop_map(|(kind, id, field)| Target::Record { kind, id, field }),
            (s, s, s, s).prop_map(|(kind, id, list, label)| Target::AnnexItem { kind, id, list, label }),
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
