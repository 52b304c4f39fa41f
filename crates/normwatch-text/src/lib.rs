//! normwatch-text: texts as data, pure.
//!
//! Counting words in the UN General Debate Corpus, resolution texts as paragraphs with
//! their verbs, and draft-to-final diffs. Plain data in, plain data out: the crate reads
//! only from readers and byte slices it is handed, knows nothing of SQL, HTTP, tantivy or
//! JSON, and derives no serde. The store, the search crate, the CLI and the web wire it up.
//!
//! # Words and patterns
//!
//! - [`token::tokens`] / [`token::words`]: a token is a maximal run of Unicode letters and
//!   digits, lower-cased character by character: what tantivy's `SimpleTokenizer` +
//!   `LowerCaser` produce, so counts and search agree.
//! - [`pattern::Pattern::parse`]: `cyber`, `cyber*`, `"critical infrastructure*"` →
//!   [`pattern::Pattern`] (elements [`pattern::Element::Word`] / `Prefix`), with a
//!   [`pattern::PatternError`] that says what is wrong. `Display` is the canonical form.
//!
//! # Counting over a collection
//!
//! The pre-tokenised form is an inverted index, [`index::TermIndex`]: every term with its
//! postings (documents and token positions), one compact blob per term (varint deltas,
//! format documented in [`index`]). Build it at import with [`index::IndexBuilder::add`]
//! (document ids are 0, 1, 2, … in the order added) and persist
//! [`index::TermIndex::terms`] as rows `(term TEXT PRIMARY KEY, postings BLOB)`, next to a
//! table of [`count::SpeechMeta`] (state, session, year, words) in the same order.
//!
//! To count a pattern, a store reads the rows of each element's
//! [`pattern::Element::term_range`] (`term >= start AND term < end`), hands them over as
//! an [`index::PostingSet`], and calls:
//! - [`index::count`] → [`index::Hits`] (per document: occurrences, first position);
//! - [`count::term_table`] with [`count::By::Year`] or [`count::By::State`] and a
//!   [`count::Scope`] (from, to, state) → rows [`count::TermRow`] `{group, count, speeches,
//!   speeches_with_term, states_with_term, words, per_10k_words}`;
//! - [`count::first_uses`] → [`count::FirstUse`] per state, ordered by year;
//! - [`count::kwic`] on a speech's text (window of tokens each side) → [`count::Kwic`]
//!   `{left, matched, right, position, start, end}`, as quanteda's `kwic`; the caller adds
//!   state and year ([`count::kwic_speech`] does, giving [`count::KwicRow`]);
//!   [`count::snippet`] gives the line of a first use.
//!
//! [`index::positions_in_text`] counts one text by scanning it (no index).
//!
//! # The UN General Debate Corpus
//!
//! [`ungdc::read_archive`] streams the `.tar.gz` (or `.tar`) without extracting it;
//! [`ungdc::read_files`] reads `(path, reader)` pairs from a folder the caller walks. Each
//! entry reaches a callback as a [`ungdc::Speech`] (path, [`ungdc::Speaker`], session, year,
//! words, normalised text) or an [`ungdc::EntryProblem`] naming its path; the
//! [`ungdc::ReadSummary`] counts speeches, problems and unresolved speaker codes (`EU`).
//!
//! # Resolution texts
//!
//! [`resolution::parse`] reads the plain text of a resolution or draft (UN print, PDF text,
//! Markdown transcription) into a [`resolution::ResolutionText`]: heading, symbol, title,
//! organ, [`resolution::Paragraph`]s (part, number, lead participle or verb as written,
//! [`normwatch_core::domain::OperativeVerb`], text, sub-paragraphs, line), closing lines,
//! [`resolution::Annex`]es with [`resolution::AnnexItem`]s, footnotes and the number of
//! `[...]` elisions. It never fails; [`resolution::ResolutionText::render`] prints it back
//! in UN form. [`resolution::Part`] is `preambular | operative | annex` (the core's
//! `ParagraphPart` has no annex; [`resolution::Part::to_core`] converts).
//! [`pdf::pdf_to_text`] (feature `pdf`, on by default) extracts a PDF's text with
//! `pdf-extract` inside `catch_unwind`, on its own thread, under [`pdf::PdfLimits`] (size,
//! time).
//!
//! # Verbs and diffs
//!
//! [`lexicon::VerbLexicon`] holds verb strengths handed in by the caller (from
//! `config/measurement.toml` via `normwatch-measure`'s `Config::verb_strengths`).
//! [`diff::diff`] aligns two parsed texts part by part and word by word and returns a
//! [`diff::TextDiff`]: `aligned` rows (for side-by-side views, with
//! [`diff::Segment`]s) and `changes`, each [`diff::Change`] `{class, part, paragraph_a,
//! paragraph_b, before, after}` with [`diff::ChangeClass`] `verb_weakened |
//! verb_strengthened | paragraph_added | paragraph_removed | reference_added |
//! reference_removed | reworded` ([`diff::ChangeClass::as_str`] gives those names).

pub mod count;
pub mod diff;
pub mod index;
pub mod lexicon;
pub mod pattern;
#[cfg(feature = "pdf")]
pub mod pdf;
pub mod resolution;
pub mod token;
pub mod ungdc;
