//! Where a fact comes from: a seed section, a UN document, a dataset record.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::symbol::Symbol;

/// What kind of checking stands behind a fact.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Basis {
    /// Checked against a dataset, naming the record.
    Dataset,
    /// The UN document itself, or a reference work (not held here).
    Document,
    /// Stated in one of the founding texts.
    Seed,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Dataset => "dataset",
            Basis::Document => "document",
            Basis::Seed => "seed",
        }
    }

    /// Which claim is shown first when sources disagree: a dataset record beats the
    /// document as remembered, which beats a secondary text.
    pub fn precedence(self) -> u8 {
        match self {
            Basis::Dataset => 0,
            Basis::Document => 1,
            Basis::Seed => 2,
        }
    }
}

impl fmt::Display for Basis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A registered source (`kb/sources.toml`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceInfo {
    pub id: String,
    pub kind: SourceKind,
    /// For a seed, its file in `shared/seeds`; for a dataset, its folder.
    pub file: Option<String>,
    pub citation: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    Seed,
    Dataset,
    Reference,
}

/// The record locator of a dataset claim that rests on the record's absence from the
/// dataset: `undl-scrape-2021 absent`.
pub const ABSENCE_RECORD: &str = "absent";

/// A parsed reference to a source, as written in a fact: `maurer2011 §II.1.1`,
/// `doc A/RES/53/70, annex`, `unvotes rcid=4926`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum SourceRef {
    Seed { id: String, file: String, section: String },
    Document { symbol: Symbol, locator: Option<String> },
    Dataset { id: String, record: String },
    Reference { id: String, locator: Option<String> },
}

impl SourceRef {
    pub fn basis(&self) -> Basis {
        match self {
            SourceRef::Seed { .. } => Basis::Seed,
            SourceRef::Document { .. } | SourceRef::Reference { .. } => Basis::Document,
            SourceRef::Dataset { .. } => Basis::Dataset,
        }
    }

    /// Whether the claim rests on the cited record's *absence* from a dataset whose
    /// coverage is declared (`undl-scrape-2021 absent`): an inference, not a record read.
    /// Its basis stays `dataset`; the loader checks the coverage and what may be inferred.
    pub fn is_inference(&self) -> bool {
        matches!(self, SourceRef::Dataset { record, .. } if record == ABSENCE_RECORD)
    }

    /// The seed file or dataset folder the reference points into, if any.
    pub fn file(&self) -> Option<&str> {
        match self {
            SourceRef::Seed { file, .. } => Some(file),
            _ => None,
        }
    }

    /// Parses a reference against the registry of sources.
    pub fn parse(text: &str, registry: &[SourceInfo]) -> Result<SourceRef, String> {
        let text = text.trim();
        let (head, rest) = match text.split_once(char::is_whitespace) {
            Some((head, rest)) => (head, rest.trim()),
            None => (text, ""),
        };
        if head.is_empty() {
            return Err("the source is empty".to_string());
        }
        if head == "doc" {
            let (symbol_text, locator) = match rest.split_once(',') {
                Some((s, l)) => (s.trim(), Some(l.trim().to_string()).filter(|l| !l.is_empty())),
                None => (rest, None),
            };
            if symbol_text.is_empty() {
                return Err("`doc` must be followed by a document symbol, as in `doc A/RES/53/70`".to_string());
            }
            let symbol = Symbol::parse(symbol_text).map_err(|e| e.to_string())?;
            return Ok(SourceRef::Document { symbol, locator });
        }
        let Some(info) = registry.iter().find(|s| s.id == head) else {
            let known: Vec<&str> = registry.iter().map(|s| s.id.as_str()).collect();
            return Err(format!(
                "`{head}` is not a registered source; use `doc SYMBOL` or one of: {}",
                known.join(", ")
            ));
        };
        match info.kind {
            SourceKind::Seed => {
                let section = rest.strip_prefix('§').map(str::trim).unwrap_or_default();
                if section.is_empty() {
                    return Err(format!("a seed source needs a section, as in `{head} §II.1.1`"));
                }
                let file = info.file.clone().unwrap_or_default();
                Ok(SourceRef::Seed { id: head.to_string(), file, section: section.to_string() })
            }
            SourceKind::Dataset => {
                if rest.is_empty() {
                    return Err(format!("a dataset source needs a record, as in `{head} rcid=4926`"));
                }
                Ok(SourceRef::Dataset { id: head.to_string(), record: rest.to_string() })
            }
            SourceKind::Reference => Ok(SourceRef::Reference {
                id: head.to_string(),
                locator: Some(rest.to_string()).filter(|r| !r.is_empty()),
            }),
        }
    }
}

impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceRef::Seed { id, section, .. } => write!(f, "{id} §{section}"),
            SourceRef::Document { symbol, locator: Some(locator) } => write!(f, "doc {symbol}, {locator}"),
            SourceRef::Document { symbol, locator: None } => write!(f, "doc {symbol}"),
            SourceRef::Dataset { id, record } => write!(f, "{id} {record}"),
            SourceRef::Reference { id, locator: Some(locator) } => write!(f, "{id} {locator}"),
            SourceRef::Reference { id, locator: None } => f.write_str(id),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn registry() -> Vec<SourceInfo> {
        vec![
            SourceInfo {
                id: "maurer2011".into(),
                kind: SourceKind::Seed,
                file: Some("001_edef816d03214080.txt".into()),
                citation: "Maurer".into(),
            },
            SourceInfo { id: "unvotes".into(), kind: SourceKind::Dataset, file: None, citation: "Voeten".into() },
            SourceInfo { id: "iso3166".into(), kind: SourceKind::Reference, file: None, citation: "ISO".into() },
        ]
    }

    #[test]
    fn parses_each_form() {
        let r = registry();
        let seed = SourceRef::parse("maurer2011 §II.1.1", &r).unwrap();
        assert_eq!(seed.basis(), Basis::Seed);
        assert_eq!(seed.file(), Some("001_edef816d03214080.txt"));
        assert_eq!(seed.to_string(), "maurer2011 §II.1.1");
        let doc = SourceRef::parse("doc a/res/53/70, annex", &r).unwrap();
        assert_eq!(doc.to_string(), "doc A/RES/53/70, annex");
        assert_eq!(doc.basis(), Basis::Document);
        let data = SourceRef::parse("unvotes rcid=4926", &r).unwrap();
        assert_eq!(data.basis(), Basis::Dataset);
        assert!(!data.is_inference());
        let absent = SourceRef::parse("unvotes absent", &r).unwrap();
        assert_eq!(absent.basis(), Basis::Dataset);
        assert!(absent.is_inference());
        assert_eq!(absent.to_string(), "unvotes absent");
        assert_eq!(SourceRef::parse("iso3166", &r).unwrap().basis(), Basis::Document);
    }

    #[test]
    fn rejects_with_reasons() {
        let r = registry();
        assert!(SourceRef::parse("maurer2011", &r).unwrap_err().contains("section"));
        assert!(SourceRef::parse("unvotes", &r).unwrap_err().contains("record"));
        assert!(SourceRef::parse("wikipedia §1", &r).unwrap_err().contains("not a registered source"));
        assert!(SourceRef::parse("doc", &r).unwrap_err().contains("symbol"));
        assert!(SourceRef::parse("doc 53/70", &r).unwrap_err().contains("ambiguous"));
        assert!(SourceRef::parse("", &r).unwrap_err().contains("empty"));
    }
}
