//! The contract types of texts as data (`normwatch_api::texts`) from the read-models, so
//! that the CLI and the web print the same objects.

use normwatch_api as api;
use normwatch_store::speeches::StoredSpeech;
use normwatch_text::count::{By, Group, Kwic, KwicRow, TermRow};

use crate::speeches::{FirstUse, SpeechImportReport, TermTable};
use crate::texts::{Comparison, Held, Paragraphs};

pub fn speech_import(report: &SpeechImportReport) -> api::SpeechImportJson {
    api::SpeechImportJson {
        path: report.path.display().to_string(),
        speeches: report.stored.speeches,
        terms: report.stored.terms,
        replaced: report.stored.replaced,
        problems: report
            .problems
            .iter()
            .map(|p| api::EntryProblemJson { path: p.path.clone(), reason: p.reason.clone() })
            .collect(),
        unresolved: report.unresolved.clone(),
        sources: report
            .sources
            .iter()
            .map(|(file, sha256)| api::SpeechSourceJson { file: file.clone(), sha256: sha256.clone() })
            .collect(),
    }
}

pub fn term_row(row: &TermRow) -> api::TermRowJson {
    let (year, state) = match &row.group {
        Group::Year(year) => (Some(*year), None),
        Group::State(state) => (None, Some(state.clone())),
    };
    api::TermRowJson {
        year,
        state,
        count: row.count,
        speeches: row.speeches,
        speeches_with_term: row.speeches_with_term,
        states_with_term: row.states_with_term,
        words: row.words,
        per_10k_words: row.per_10k_words,
    }
}

pub fn by_name(by: By) -> &'static str {
    match by {
        By::Year => "year",
        By::State => "state",
    }
}

pub fn terms(table: &TermTable) -> api::TermsJson {
    api::TermsJson {
        pattern: table.pattern.clone(),
        by: by_name(table.by),
        rows: table.rows.iter().map(term_row).collect(),
    }
}

/// A keyword-in-context line as one string: left, match and right.
pub fn snippet_text(line: &Kwic) -> String {
    [line.left.as_str(), line.matched.as_str(), line.right.as_str()]
        .iter()
        .filter(|s| !s.is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(" ")
}

pub fn first_use(first: &FirstUse) -> api::FirstUseJson {
    api::FirstUseJson {
        state: first.state.clone(),
        year: first.year,
        session: first.session,
        snippet: first.snippet.as_ref().map(snippet_text),
    }
}

pub fn kwic(row: &KwicRow) -> api::KwicJson {
    api::KwicJson {
        state: row.state.clone(),
        year: row.year,
        left: row.line.left.clone(),
        matched: row.line.matched.clone(),
        right: row.line.right.clone(),
        session: row.session,
    }
}

pub fn speech(speech: &StoredSpeech) -> api::SpeechJson {
    api::SpeechJson {
        state: speech.state.clone(),
        resolved: speech.resolved,
        session: speech.session,
        year: speech.year,
        words: speech.words,
        text: speech.text.clone(),
        path: speech.path.clone(),
        source: speech.source.clone(),
        sha256: speech.sha256.clone(),
    }
}

pub fn paragraphs(held: &Paragraphs) -> Vec<api::TextParagraphJson> {
    held.paragraphs
        .iter()
        .map(|p| api::TextParagraphJson {
            number: p.number.clone(),
            part: p.part,
            verb: p.verb.clone(),
            strength: p.strength,
            text: p.text.clone(),
            source: p.source.clone(),
        })
        .collect()
}

pub fn diff(comparison: &Comparison) -> api::DiffJson {
    api::DiffJson {
        a: comparison.a.clone(),
        b: comparison.b.clone(),
        changes: comparison
            .diff
            .changes
            .iter()
            .map(|c| api::ChangeJson {
                class: c.class.as_str(),
                part: c.part.as_str(),
                paragraph_a: c.paragraph_a,
                paragraph_b: c.paragraph_b,
                before: c.before.clone(),
                after: c.after.clone(),
                number_a: c.number_a.clone(),
                number_b: c.number_b.clone(),
            })
            .collect(),
        held_a: held(&comparison.held_a),
        held_b: held(&comparison.held_b),
    }
}

/// Where a document's paragraphs come from, in words.
pub fn held(held: &Held) -> String {
    match held {
        Held::Imported { source, sha256 } => format!("imported from {source} (sha256 {sha256})"),
        Held::KnowledgeBase => "the knowledge base's reviewed paragraphs".to_string(),
    }
}
