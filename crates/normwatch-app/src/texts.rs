//! Resolution and draft texts as paragraphs: importing a document's text
//! (`normwatch import text PATH --symbol SYMBOL`: plain text, or PDF under size and time
//! limits), listing a document's paragraphs with their verbs and strengths, and diffing
//! two held texts paragraph by paragraph and word by word, each change classified.
//!
//! A document's text is *held* when a user imported it (its paragraphs cite the file and
//! its SHA-256) or, failing that, when the knowledge base has reviewed paragraphs of it
//! (each citing its own source); the imported text comes first.

use std::path::{Path, PathBuf};

use normwatch_core::Symbol;
use normwatch_core::domain::{OperativeVerb, ParagraphPart};
use normwatch_store::StoreError;
use normwatch_store::texts::TextParagraph;
use normwatch_text::diff::TextDiff;
use normwatch_text::lexicon::{LexiconError, VerbLexicon};
use normwatch_text::resolution::{self, ResolutionText};
use sha2::{Digest, Sha256};

use crate::App;

#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("{0} does not exist; give the plain text or the PDF of a resolution or draft")]
    Missing(PathBuf),
    #[error("cannot read {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{path}: {error}")]
    Pdf { path: PathBuf, error: String },
    #[error("{path}: not UTF-8 text (first bad byte at offset {offset}); give a plain-text or PDF file")]
    NotText { path: PathBuf, offset: usize },
    #[error("`{input}` is not a document symbol: {reason}")]
    Symbol { input: String, reason: String },
    #[error("{path} names itself {found} in its heading, not {given}: check --symbol")]
    OtherSymbol { path: PathBuf, found: String, given: String },
    #[error("{path}: no preambular or operative paragraph or annex item found; is it the text of a resolution?")]
    NoParagraphs { path: PathBuf },
    #[error(
        "no text of {0} is held: import one with `normwatch import text PATH --symbol {0}` (the knowledge base has no reviewed paragraphs of it either)"
    )]
    NotHeld(String),
    #[error("the measurement's verb lexicon: {0}")]
    Lexicon(#[from] LexiconError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl TextError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, TextError::NotHeld(_))
    }

    pub fn is_usage(&self) -> bool {
        matches!(self, TextError::Symbol { .. })
    }
}

pub type Result<T, E = TextError> = std::result::Result<T, E>;

/// What importing a text did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextImport {
    pub symbol: String,
    pub source: String,
    pub sha256: String,
    pub paragraphs: usize,
    pub replaced: bool,
}

/// Where a document's paragraphs come from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Held {
    /// A text a user imported: the file and its SHA-256.
    Imported { source: String, sha256: String },
    /// The knowledge base's reviewed paragraphs.
    KnowledgeBase,
}

/// One paragraph, as the `paragraphs` command lists it.
#[derive(Clone, Debug, PartialEq)]
pub struct ParagraphRow {
    pub number: Option<String>,
    /// `preambular`, `operative` or `annex`.
    pub part: &'static str,
    /// The leading participle or verb as written.
    pub verb: Option<String>,
    /// The operative verb's strength in the measurement's lexicon (0 to 1).
    pub strength: Option<f64>,
    pub text: String,
    pub source: String,
}

/// A document's paragraphs and where they come from.
#[derive(Clone, Debug, PartialEq)]
pub struct Paragraphs {
    pub symbol: String,
    pub held: Held,
    pub paragraphs: Vec<ParagraphRow>,
}

/// Two held texts compared.
#[derive(Clone, Debug, PartialEq)]
pub struct Comparison {
    pub a: String,
    pub b: String,
    pub held_a: Held,
    pub held_b: Held,
    pub diff: TextDiff,
}

/// The canonical form of a symbol a user typed.
pub fn canonical(input: &str) -> Result<String> {
    Symbol::parse(input)
        .map(|s| s.to_string())
        .map_err(|e| TextError::Symbol { input: input.to_string(), reason: e.to_string() })
}

/// Reads a text file: plain UTF-8 text, or a PDF (recognised by its first bytes) whose text
/// is extracted under the default size and time limits.
pub fn read_text(path: &Path, bytes: &[u8]) -> Result<String> {
    if bytes.starts_with(b"%PDF-") {
        return normwatch_text::pdf::pdf_to_text(bytes, normwatch_text::pdf::PdfLimits::default())
            .map_err(|e| TextError::Pdf { path: path.to_path_buf(), error: e.to_string() });
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| TextError::NotText { path: path.to_path_buf(), offset: e.valid_up_to() })?;
    Ok(normwatch_text::ungdc::normalize(text))
}

/// The rows a parsed text is stored as: preambular and operative paragraphs (with their
/// sub-paragraphs), then each annex's items.
pub fn paragraph_rows(text: &ResolutionText) -> Vec<TextParagraph> {
    let mut rows: Vec<TextParagraph> = text
        .paragraphs
        .iter()
        .map(|p| TextParagraph {
            part: p.part.as_str().to_string(),
            number: p.number.map(|n| n.to_string()),
            lead: p.lead.clone(),
            verb: p.verb.map(|v| v.as_str().to_string()),
            text: p.full_text(),
            line: p.line as u32,
        })
        .collect();
    for annex in &text.annexes {
        for item in &annex.items {
            let mut body = match &item.heading {
                Some(heading) => format!("{heading}\n{}", item.text),
                None => item.text.clone(),
            };
            for sub in &item.subitems {
                body.push('\n');
                body.push_str(sub);
            }
            rows.push(TextParagraph {
                part: "annex".to_string(),
                number: item.label.clone(),
                lead: None,
                verb: None,
                text: body,
                line: item.line as u32,
            });
        }
    }
    rows
}

impl App {
    /// Imports the text of a document from a file, replacing its earlier imported text.
    pub async fn import_text(&self, path: &Path, symbol: &str) -> Result<TextImport> {
        let symbol = canonical(symbol)?;
        if !path.exists() {
            return Err(TextError::Missing(path.to_path_buf()));
        }
        let bytes = std::fs::read(path).map_err(|source| TextError::Io { path: path.to_path_buf(), source })?;
        let sha256: String = Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect();
        let owned = path.to_path_buf();
        let body = tokio::task::spawn_blocking(move || read_text(&owned, &bytes))
            .await
            .map_err(|e| TextError::Pdf { path: path.to_path_buf(), error: e.to_string() })??;
        let parsed = resolution::parse(&body);
        if let Some(found) = &parsed.symbol
            && found.to_string() != symbol
        {
            return Err(TextError::OtherSymbol { path: path.to_path_buf(), found: found.to_string(), given: symbol });
        }
        let rows = paragraph_rows(&parsed);
        if rows.is_empty() {
            return Err(TextError::NoParagraphs { path: path.to_path_buf() });
        }
        let source = path.display().to_string();
        let replaced = self.store().store_text(&symbol, &source, &sha256, &body, &rows).await?;
        Ok(TextImport { symbol, source, sha256, paragraphs: rows.len(), replaced })
    }

    /// A document's paragraphs: its imported text's, or else the knowledge base's reviewed
    /// ones.
    pub async fn paragraphs(&self, symbol: &str) -> Result<Paragraphs> {
        let symbol = canonical(symbol)?;
        let strength = |verb: Option<OperativeVerb>| verb.and_then(|v| self.measurement_config().verb_strength(v));
        if let Some(text) = self.store().text(&symbol).await? {
            let source = format!("{} (sha256 {})", text.source, text.sha256);
            let paragraphs = text
                .paragraphs
                .into_iter()
                .map(|p| {
                    let verb = p.verb.as_deref().and_then(|v| v.parse::<OperativeVerb>().ok());
                    ParagraphRow {
                        number: p.number,
                        part: part_name(&p.part),
                        verb: p.lead,
                        strength: strength(verb),
                        text: p.text,
                        source: source.clone(),
                    }
                })
                .collect();
            return Ok(Paragraphs {
                symbol,
                held: Held::Imported { source: text.source, sha256: text.sha256 },
                paragraphs,
            });
        }
        let parsed =
            Symbol::parse(&symbol).map_err(|e| TextError::Symbol { input: symbol.clone(), reason: e.to_string() })?;
        let Some(document) = self.store().document(&parsed).await? else { return Err(TextError::NotHeld(symbol)) };
        if document.paragraphs.is_empty() {
            return Err(TextError::NotHeld(symbol));
        }
        let paragraphs = document
            .paragraphs
            .iter()
            .map(|p| ParagraphRow {
                number: p.number.map(|n| n.to_string()),
                part: match p.part {
                    ParagraphPart::Preambular => "preambular",
                    ParagraphPart::Operative => "operative",
                },
                verb: p.verb_text.clone().or_else(|| p.verb.map(|v| v.as_str().to_string())),
                strength: strength(p.verb),
                text: p.text.clone(),
                source: p.source.to_string(),
            })
            .collect();
        Ok(Paragraphs { symbol, held: Held::KnowledgeBase, paragraphs })
    }

    /// Compares two held texts (A the earlier, such as the draft; B the later).
    pub async fn diff_texts(&self, a: &str, b: &str) -> Result<Comparison> {
        let (a, held_a, text_a) = self.held_text(a).await?;
        let (b, held_b, text_b) = self.held_text(b).await?;
        let strengths = &self.measurement_config().verb_strengths;
        let lexicon = VerbLexicon::new(strengths.iter().map(|(verb, value)| (*verb, *value)))?;
        let diff = normwatch_text::diff::diff(&text_a, &text_b, &lexicon);
        Ok(Comparison { a, b, held_a, held_b, diff })
    }

    /// A document's text, parsed: the imported text, or the knowledge base's reviewed
    /// paragraphs as they are (each its own paragraph; where two sources give one paragraph
    /// differently, both are kept, as everywhere).
    async fn held_text(&self, symbol: &str) -> Result<(String, Held, ResolutionText)> {
        let symbol = canonical(symbol)?;
        if let Some(text) = self.store().text(&symbol).await? {
            let held = Held::Imported { source: text.source, sha256: text.sha256 };
            return Ok((symbol, held, resolution::parse(&text.body)));
        }
        let parsed =
            Symbol::parse(&symbol).map_err(|e| TextError::Symbol { input: symbol.clone(), reason: e.to_string() })?;
        let document = self.store().document(&parsed).await?;
        let Some(document) = document.filter(|d| !d.paragraphs.is_empty()) else {
            return Err(TextError::NotHeld(symbol));
        };
        let paragraphs = document
            .paragraphs
            .iter()
            .enumerate()
            .map(|(i, p)| resolution::Paragraph {
                part: match p.part {
                    ParagraphPart::Preambular => resolution::Part::Preambular,
                    ParagraphPart::Operative => resolution::Part::Operative,
                },
                number: p.number.and_then(|n| u32::try_from(n).ok()),
                lead: p.verb_text.clone(),
                verb: p.verb,
                text: p.text.clone(),
                subparagraphs: Vec::new(),
                line: i + 1,
            })
            .collect();
        Ok((symbol, Held::KnowledgeBase, ResolutionText { paragraphs, ..ResolutionText::default() }))
    }
}

fn part_name(part: &str) -> &'static str {
    match part {
        "preambular" => "preambular",
        "operative" => "operative",
        _ => "annex",
    }
}

#[cfg(test)]
mod tests {
    use normwatch_store::Store;
    use normwatch_text::diff::ChangeClass;

    use super::*;

    const DRAFT: &str = "The General Assembly,\n\nRecalling its resolution 55/63 of 4 December 2000,\n\n1. Adopts the principles annexed to the present resolution;\n\n2. Requests Member States to consider them.\n";
    const FINAL: &str = "The General Assembly,\n\nRecalling its resolution 55/63 of 4 December 2000,\n\n1. Takes note of the principles annexed to the present resolution;\n\n2. Invites Member States to consider them.\n\nAnnex\n\n(a) Awareness. Participants should be aware.\n";

    #[tokio::test]
    async fn a_text_is_imported_listed_and_compared() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("db.sqlite")).await.unwrap();
        let app = App::with_built_in_config(store).await.unwrap();
        let draft = dir.path().join("draft.txt");
        let last = dir.path().join("final.txt");
        std::fs::write(&draft, DRAFT).unwrap();
        std::fs::write(&last, FINAL).unwrap();
        // These are texts we wrote in UN form, stored under symbols of our own making.
        let imported = app.import_text(&draft, "A/C.2/99/L.1").await.unwrap();
        assert_eq!((imported.symbol.as_str(), imported.paragraphs, imported.replaced), ("A/C.2/99/L.1", 3, false));
        app.import_text(&last, "A/RES/99/1").await.unwrap();
        assert!(app.import_text(&last, "A/RES/99/1").await.unwrap().replaced);

        let listed = app.paragraphs("A/RES/99/1").await.unwrap();
        let rows: Vec<(&str, Option<&str>, Option<&str>)> =
            listed.paragraphs.iter().map(|p| (p.part, p.number.as_deref(), p.verb.as_deref())).collect();
        assert_eq!(
            rows,
            [
                ("preambular", None, Some("Recalling")),
                ("operative", Some("1"), Some("Takes note")),
                ("operative", Some("2"), Some("Invites")),
                ("annex", Some("(a)"), None)
            ]
        );
        let takes_note = listed.paragraphs[1].strength.unwrap();
        let invites = listed.paragraphs[2].strength.unwrap();
        assert!(takes_note > 0.0 && takes_note <= 1.0 && invites > 0.0);
        assert!(listed.paragraphs[1].source.starts_with(&last.display().to_string()));

        let comparison = app.diff_texts("A/C.2/99/L.1", "A/RES/99/1").await.unwrap();
        let classes: Vec<ChangeClass> = comparison.diff.changes.iter().map(|c| c.class).collect();
        assert_eq!(classes[..2], [ChangeClass::VerbWeakened, ChangeClass::VerbWeakened]);
        assert_eq!(comparison.diff.changes[1].before, "Requests");

        assert!(app.paragraphs("A/RES/98/1").await.unwrap_err().is_not_found());
        assert!(app.diff_texts("A/RES/99/1", "not a symbol at all").await.unwrap_err().is_usage());
        let elsewhere = dir.path().join("other.txt");
        std::fs::write(&elsewhere, format!("A/RES/99/2\n\n{FINAL}")).unwrap();
        assert!(matches!(app.import_text(&elsewhere, "A/RES/99/1").await, Err(TextError::OtherSymbol { .. })));
        std::fs::write(&elsewhere, b"\xff\xfe").unwrap();
        assert!(matches!(app.import_text(&elsewhere, "A/RES/99/1").await, Err(TextError::NotText { .. })));
    }
}
