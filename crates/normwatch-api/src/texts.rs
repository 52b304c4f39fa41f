//! Texts as data: the General Debate speeches (`normwatch import speeches`, `terms`,
//! `kwic`, `/api/terms`, `/api/speeches/{ISO3}/{year}`) and resolution texts as paragraphs
//! (`normwatch import text`, `paragraphs`, `diff`, `/api/paragraphs`, `/api/diff`).
//! The conversions from the application's read-models live in `normwatch-app`.

use std::collections::BTreeMap;

use serde::Serialize;
use utoipa::ToSchema;

/// What `normwatch import speeches` did.
#[derive(Debug, Serialize, ToSchema)]
pub struct SpeechImportJson {
    /// The archive or folder read.
    pub path: String,
    pub speeches: u64,
    /// Distinct terms in the stored index.
    pub terms: u64,
    /// Speeches of the earlier import that this one replaced.
    pub replaced: u64,
    /// Every entry not stored, with the reason.
    pub problems: Vec<EntryProblemJson>,
    /// Speaker codes the state registry does not know, with their number of speeches
    /// (stored under the corpus's code).
    pub unresolved: BTreeMap<String, usize>,
    /// The files read, with their SHA-256.
    pub sources: Vec<SpeechSourceJson>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EntryProblemJson {
    pub path: String,
    pub reason: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SpeechSourceJson {
    pub file: String,
    pub sha256: String,
}

/// One row of a term table: a year (`--by year`) or a speaker (`--by state`).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TermRowJson {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub year: Option<u16>,
    /// The speaker's ISO3 code, or the corpus's own code (`EU`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<String>,
    /// Occurrences of the pattern.
    pub count: u64,
    /// Speeches in the group.
    pub speeches: u32,
    /// Speeches that use the pattern at least once.
    pub speeches_with_term: u32,
    /// Distinct speakers that use it.
    pub states_with_term: u32,
    /// Tokens of all the group's speeches.
    pub words: u64,
    /// `count` per 10,000 tokens.
    pub per_10k_words: f64,
}

/// A pattern's term table (`/api/terms`, one per pattern asked for).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TermsJson {
    /// The pattern in its canonical form (`cyber*`, `"critical infrastructure*"`).
    pub pattern: String,
    /// `year` or `state`.
    pub by: &'static str,
    pub rows: Vec<TermRowJson>,
}

/// A speaker's first speech using a pattern (`normwatch terms PATTERN --first`).
#[derive(Debug, Serialize, ToSchema)]
pub struct FirstUseJson {
    pub state: String,
    pub year: u16,
    pub session: u16,
    /// The first use with a few words each side, as written.
    pub snippet: Option<String>,
}

/// One keyword-in-context line (`normwatch kwic`, `/api/kwic`), as quanteda's `kwic`.
#[derive(Debug, Serialize, ToSchema)]
pub struct KwicJson {
    pub state: String,
    pub year: u16,
    pub left: String,
    /// The matched words as written.
    #[serde(rename = "match")]
    pub matched: String,
    pub right: String,
    // Fields beyond the fixed contract.
    pub session: u16,
}

/// One speech of the General Debate (`/api/speeches/{ISO3}/{year}`).
#[derive(Debug, Serialize, ToSchema)]
pub struct SpeechJson {
    pub state: String,
    /// Whether `state` is a code of the state registry (not the corpus's own, like `EU`).
    pub resolved: bool,
    pub session: u16,
    pub year: u16,
    pub words: u32,
    pub text: String,
    /// Where it was read: the entry's path in the archive or the file's path, the file,
    /// and the file's SHA-256.
    pub path: String,
    pub source: String,
    pub sha256: String,
}

/// What `normwatch import text` did.
#[derive(Debug, Serialize, ToSchema)]
pub struct TextImportJson {
    pub symbol: String,
    pub source: String,
    pub sha256: String,
    pub paragraphs: usize,
    /// Whether an earlier text of the symbol was replaced.
    pub replaced: bool,
}

/// One paragraph of a held text (`normwatch paragraphs`, `/api/paragraphs/{symbol}`); the
/// knowledge base's reviewed paragraphs are given in this shape too.
#[derive(Debug, Serialize, ToSchema)]
pub struct TextParagraphJson {
    /// The operative paragraph's or annex item's number or label; none for preambular.
    pub number: Option<String>,
    /// `preambular`, `operative` or `annex`.
    pub part: &'static str,
    /// The leading participle or verb as written (`Recalling`, `Takes note of`).
    pub verb: Option<String>,
    /// The operative verb's strength in the measurement's lexicon (0 to 1), if ranked.
    pub strength: Option<f64>,
    pub text: String,
    /// Where the text was read: the file and its SHA-256, or the knowledge-base source.
    pub source: String,
}

/// A diff of two held texts (`normwatch diff`, `/api/diff`).
#[derive(Debug, Serialize, ToSchema)]
pub struct DiffJson {
    pub a: String,
    pub b: String,
    pub changes: Vec<ChangeJson>,
    // Fields beyond the fixed contract.
    /// Where each text is held from: an imported file with its SHA-256, or the knowledge
    /// base's reviewed paragraphs.
    pub held_a: String,
    pub held_b: String,
}

/// One classified change between two texts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangeJson {
    /// `verb_weakened`, `verb_strengthened`, `paragraph_added`, `paragraph_removed`,
    /// `reference_added`, `reference_removed` or `reworded`.
    pub class: &'static str,
    /// `preambular`, `operative` or `annex`.
    pub part: &'static str,
    /// The paragraph's position (1-based, in its part) in text A, and in text B.
    pub paragraph_a: Option<usize>,
    pub paragraph_b: Option<usize>,
    pub before: String,
    pub after: String,
    // Fields beyond the fixed contract.
    /// The paragraph's printed number in text A where the held text gives one (an
    /// operative paragraph's `3`, an annex item's `(b)`; preambular paragraphs have none),
    /// and in text B.
    pub number_a: Option<String>,
    pub number_b: Option<String>,
}
