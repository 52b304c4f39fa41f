//! Draft-to-final diffs: two parsed texts aligned paragraph by paragraph (within each part:
//! preambular, operative, annex items) and word by word, each change classified.
//!
//! Alignment: the paragraphs of a part are compared as sequences (patience diff on their
//! normalised text); inside a changed run, paragraphs are paired in order with the most
//! similar paragraph (shared words at least [`PAIRING_THRESHOLD`] of the shorter); the rest are added
//! or removed. A paired paragraph is diffed word by word; its changed words are grouped
//! into *hunks* separated by at least [`HUNK_GAP`] unchanged words, and each hunk becomes
//! one change:
//! - `verb_weakened` / `verb_strengthened`: the hunk at the paragraph's opening changes
//!   its operative verb, and the [`VerbLexicon`] ranks the new verb lower / higher;
//! - `reworded`: any other change of words (also a verb change the lexicon cannot rank);
//! - `reference_added` / `reference_removed`: a document symbol (found by the core's
//!   scanner) cited in one paragraph and not the other, one change per symbol; a hunk that
//!   only adds or removes citations is not also reported as reworded;
//! - `paragraph_added` / `paragraph_removed`: a paragraph with no counterpart.

use std::collections::BTreeSet;

use normwatch_core::domain::OperativeVerb;
use normwatch_core::scan;
use similar::{Algorithm, ChangeTag, DiffOp};

use crate::lexicon::VerbLexicon;
use crate::resolution::{Part, ResolutionText};

/// Paragraphs less similar than this are not paired: the share of the shorter paragraph's
/// words that the other has too, in order.
pub const PAIRING_THRESHOLD: f32 = 0.5;
/// How many paragraphs ahead a paragraph looks for its counterpart: keeps the pairing
/// linear on long, much rewritten texts.
pub const PAIRING_WINDOW: usize = 25;
/// Unchanged words needed between two changes of a paragraph to report them apart.
pub const HUNK_GAP: usize = 3;

/// The kind of a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ChangeClass {
    VerbWeakened,
    VerbStrengthened,
    ParagraphAdded,
    ParagraphRemoved,
    ReferenceAdded,
    ReferenceRemoved,
    Reworded,
}

impl ChangeClass {
    pub const ALL: [ChangeClass; 7] = [
        ChangeClass::VerbWeakened,
        ChangeClass::VerbStrengthened,
        ChangeClass::ParagraphAdded,
        ChangeClass::ParagraphRemoved,
        ChangeClass::ReferenceAdded,
        ChangeClass::ReferenceRemoved,
        ChangeClass::Reworded,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ChangeClass::VerbWeakened => "verb_weakened",
            ChangeClass::VerbStrengthened => "verb_strengthened",
            ChangeClass::ParagraphAdded => "paragraph_added",
            ChangeClass::ParagraphRemoved => "paragraph_removed",
            ChangeClass::ReferenceAdded => "reference_added",
            ChangeClass::ReferenceRemoved => "reference_removed",
            ChangeClass::Reworded => "reworded",
        }
    }
}

/// One classified change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub class: ChangeClass,
    pub part: Part,
    /// 1-based position of the paragraph within its part in text A (none if added).
    pub paragraph_a: Option<usize>,
    /// 1-based position within its part in text B (none if removed).
    pub paragraph_b: Option<usize>,
    /// The paragraph's printed number in text A where the text gives one (an operative
    /// paragraph's `3`, an annex item's `(b)`); preambular paragraphs have none.
    pub number_a: Option<String>,
    /// The printed number in text B, likewise.
    pub number_b: Option<String>,
    /// The words of A that changed (with the unchanged words between them), the removed
    /// paragraph, or the removed symbol.
    pub before: String,
    /// The words of B, the added paragraph, or the added symbol.
    pub after: String,
}

/// What a segment of an aligned paragraph is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SegmentKind {
    Same,
    Removed,
    Added,
}

/// A run of text of an aligned pair: for a side-by-side or inline view.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    pub kind: SegmentKind,
    pub text: String,
}

/// One row of the alignment: a paragraph of A and its counterpart in B (either may be
/// missing), with their word-level diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Aligned {
    pub part: Part,
    pub paragraph_a: Option<usize>,
    pub paragraph_b: Option<usize>,
    /// The printed numbers, as in [`Change`].
    pub number_a: Option<String>,
    pub number_b: Option<String>,
    pub segments: Vec<Segment>,
}

/// The diff of two texts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextDiff {
    /// Every paragraph of both texts, aligned, in order of parts.
    pub aligned: Vec<Aligned>,
    pub changes: Vec<Change>,
}

/// A paragraph or annex item, as the diff sees it.
struct Unit {
    text: String,
    verb: Option<OperativeVerb>,
    /// The printed number or label, where the text gives one.
    number: Option<String>,
}

fn units(text: &ResolutionText, part: Part) -> Vec<Unit> {
    match part {
        Part::Annex => text
            .annexes
            .iter()
            .flat_map(|annex| &annex.items)
            .map(|item| {
                let mut out = String::new();
                if let Some(heading) = &item.heading {
                    out.push_str(heading);
                    out.push_str(". ");
                }
                out.push_str(&item.text);
                for sub in &item.subitems {
                    out.push('\n');
                    out.push_str(sub);
                }
                if out.is_empty()
                    && let Some(section) = &item.section
                {
                    out.push_str(section);
                }
                Unit { text: out, verb: None, number: item.label.clone() }
            })
            .collect(),
        _ => text
            .paragraphs
            .iter()
            .filter(|p| p.part == part)
            .map(|p| Unit { text: p.full_text(), verb: p.verb, number: p.number.map(|n| n.to_string()) })
            .collect(),
    }
}

fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Diffs text A (e.g. the draft) against text B (e.g. the final resolution).
pub fn diff(a: &ResolutionText, b: &ResolutionText, lexicon: &VerbLexicon) -> TextDiff {
    let mut out = TextDiff::default();
    for part in [Part::Preambular, Part::Operative, Part::Annex] {
        diff_part(part, &units(a, part), &units(b, part), lexicon, &mut out);
    }
    out
}

fn diff_part(part: Part, a: &[Unit], b: &[Unit], lexicon: &VerbLexicon, out: &mut TextDiff) {
    let keys_a: Vec<String> = a.iter().map(|u| normalized(&u.text)).collect();
    let keys_b: Vec<String> = b.iter().map(|u| normalized(&u.text)).collect();
    let ops = similar::capture_diff_slices(Algorithm::Patience, &keys_a, &keys_b);
    // Runs of unequal paragraphs between equal ones.
    let mut pending: Option<(std::ops::Range<usize>, std::ops::Range<usize>)> = None;
    let flush = |pending: &mut Option<(std::ops::Range<usize>, std::ops::Range<usize>)>, out: &mut TextDiff| {
        if let Some((ra, rb)) = pending.take() {
            changed_run(part, a, b, ra, rb, lexicon, out);
        }
    };
    for op in ops {
        match op {
            DiffOp::Equal { old_index, new_index, len } => {
                flush(&mut pending, out);
                for k in 0..len {
                    out.aligned.push(Aligned {
                        part,
                        paragraph_a: Some(old_index + k + 1),
                        paragraph_b: Some(new_index + k + 1),
                        number_a: a[old_index + k].number.clone(),
                        number_b: b[new_index + k].number.clone(),
                        segments: vec![Segment { kind: SegmentKind::Same, text: a[old_index + k].text.clone() }],
                    });
                }
            }
            other => {
                let (ra, rb) = (other.old_range(), other.new_range());
                pending = Some(match pending.take() {
                    Some((pa, pb)) => {
                        (pa.start.min(ra.start)..pa.end.max(ra.end), pb.start.min(rb.start)..pb.end.max(rb.end))
                    }
                    None => (ra, rb),
                });
            }
        }
    }
    flush(&mut pending, out);
}

fn changed_run(
    part: Part,
    a: &[Unit],
    b: &[Unit],
    ra: std::ops::Range<usize>,
    rb: std::ops::Range<usize>,
    lexicon: &VerbLexicon,
    out: &mut TextDiff,
) {
    // Pair in order: each paragraph of A with the most similar later paragraph of B.
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    let mut next_b = rb.start;
    for i in ra.clone() {
        let best = (next_b..rb.end.min(next_b + PAIRING_WINDOW))
            .map(|j| (j, similarity(&a[i].text, &b[j].text)))
            .filter(|(_, ratio)| *ratio >= PAIRING_THRESHOLD)
            .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.cmp(&x.0)));
        if let Some((j, _)) = best {
            pairs.push((i, j));
            next_b = j + 1;
        }
    }
    let mut i = ra.start;
    let mut j = rb.start;
    for (pi, pj) in pairs.into_iter().chain(std::iter::once((ra.end, rb.end))) {
        while i < pi {
            out.aligned.push(Aligned {
                part,
                paragraph_a: Some(i + 1),
                paragraph_b: None,
                number_a: a[i].number.clone(),
                number_b: None,
                segments: vec![Segment { kind: SegmentKind::Removed, text: a[i].text.clone() }],
            });
            out.changes.push(Change {
                class: ChangeClass::ParagraphRemoved,
                part,
                paragraph_a: Some(i + 1),
                paragraph_b: None,
                number_a: a[i].number.clone(),
                number_b: None,
                before: a[i].text.clone(),
                after: String::new(),
            });
            i += 1;
        }
        while j < pj {
            out.aligned.push(Aligned {
                part,
                paragraph_a: None,
                paragraph_b: Some(j + 1),
                number_a: None,
                number_b: b[j].number.clone(),
                segments: vec![Segment { kind: SegmentKind::Added, text: b[j].text.clone() }],
            });
            out.changes.push(Change {
                class: ChangeClass::ParagraphAdded,
                part,
                paragraph_a: None,
                paragraph_b: Some(j + 1),
                number_a: None,
                number_b: b[j].number.clone(),
                before: String::new(),
                after: b[j].text.clone(),
            });
            j += 1;
        }
        if pi < ra.end && pj < rb.end {
            pair(part, (pi, &a[pi]), (pj, &b[pj]), lexicon, out);
            i = pi + 1;
            j = pj + 1;
        }
    }
}

/// How much two paragraphs share: the words they have in common (in order) over the
/// words of the shorter one, so that a paragraph that only grew stays similar.
fn similarity(a: &str, b: &str) -> f32 {
    let shorter = crate::token::count_words(a).min(crate::token::count_words(b));
    if shorter == 0 {
        return if a.trim() == b.trim() { 1.0 } else { 0.0 };
    }
    let diff = similar::TextDiff::configure().algorithm(Algorithm::Patience).diff_unicode_words(a, b);
    let common: u32 = diff
        .iter_all_changes()
        .filter(|c| c.tag() == ChangeTag::Equal)
        .map(|c| crate::token::count_words(c.value()))
        .sum();
    common as f32 / shorter as f32
}

/// One word-level piece of a pair's diff.
struct Piece {
    tag: ChangeTag,
    text: String,
}

fn pair(part: Part, (i, ua): (usize, &Unit), (j, ub): (usize, &Unit), lexicon: &VerbLexicon, out: &mut TextDiff) {
    let diff = similar::TextDiff::configure().algorithm(Algorithm::Patience).diff_unicode_words(&ua.text, &ub.text);
    let pieces: Vec<Piece> =
        diff.iter_all_changes().map(|c| Piece { tag: c.tag(), text: c.value().to_string() }).collect();
    let mut segments: Vec<Segment> = Vec::new();
    for piece in &pieces {
        let kind = match piece.tag {
            ChangeTag::Equal => SegmentKind::Same,
            ChangeTag::Delete => SegmentKind::Removed,
            ChangeTag::Insert => SegmentKind::Added,
        };
        match segments.last_mut() {
            Some(last) if last.kind == kind => last.text.push_str(&piece.text),
            _ => segments.push(Segment { kind, text: piece.text.clone() }),
        }
    }
    out.aligned.push(Aligned {
        part,
        paragraph_a: Some(i + 1),
        paragraph_b: Some(j + 1),
        number_a: ua.number.clone(),
        number_b: ub.number.clone(),
        segments,
    });

    let refs_a = references(&ua.text);
    let refs_b = references(&ub.text);
    let cited: BTreeSet<String> = refs_a.union(&refs_b).flat_map(|(_, raw)| raw_words(raw)).collect();
    for (index, (start, end)) in hunks(&pieces).into_iter().enumerate() {
        let before: String =
            pieces[start..end].iter().filter(|p| p.tag != ChangeTag::Insert).map(|p| p.text.as_str()).collect();
        let after: String =
            pieces[start..end].iter().filter(|p| p.tag != ChangeTag::Delete).map(|p| p.text.as_str()).collect();
        let changed: Vec<&str> =
            pieces[start..end].iter().filter(|p| p.tag != ChangeTag::Equal).map(|p| p.text.as_str()).collect();
        let changed = changed.join(" ");
        let at_opening = index == 0 && pieces[..start].iter().all(|p| p.text.trim().is_empty());
        let class = match (at_opening, ua.verb, ub.verb) {
            (true, Some(va), Some(vb)) if va != vb => match lexicon.compare(vb, va) {
                Some(std::cmp::Ordering::Less) => ChangeClass::VerbWeakened,
                Some(std::cmp::Ordering::Greater) => ChangeClass::VerbStrengthened,
                _ => ChangeClass::Reworded,
            },
            _ => {
                // A hunk that only adds or removes citations is reported as references.
                let substantive = crate::token::words(&changed).into_iter().any(|w| {
                    !cited.contains(&w)
                        && !matches!(w.as_str(), "and" | "or" | "of" | "its" | "the" | "resolution" | "resolutions")
                });
                if !substantive {
                    continue;
                }
                ChangeClass::Reworded
            }
        };
        out.changes.push(Change {
            class,
            part,
            paragraph_a: Some(i + 1),
            paragraph_b: Some(j + 1),
            number_a: ua.number.clone(),
            number_b: ub.number.clone(),
            before: normalized(&before),
            after: normalized(&after),
        });
    }
    for (symbol, _) in refs_a.difference(&refs_b) {
        if !refs_b.iter().any(|(s, _)| s == symbol) {
            out.changes.push(Change {
                class: ChangeClass::ReferenceRemoved,
                part,
                paragraph_a: Some(i + 1),
                paragraph_b: Some(j + 1),
                number_a: ua.number.clone(),
                number_b: ub.number.clone(),
                before: symbol.clone(),
                after: String::new(),
            });
        }
    }
    for (symbol, _) in refs_b.difference(&refs_a) {
        if !refs_a.iter().any(|(s, _)| s == symbol) {
            out.changes.push(Change {
                class: ChangeClass::ReferenceAdded,
                part,
                paragraph_a: Some(i + 1),
                paragraph_b: Some(j + 1),
                number_a: ua.number.clone(),
                number_b: ub.number.clone(),
                before: String::new(),
                after: symbol.clone(),
            });
        }
    }
}

/// The document symbols a text cites (canonical form, raw text), via the core's scanner.
fn references(text: &str) -> BTreeSet<(String, String)> {
    scan::scan(text).into_iter().filter_map(|m| m.symbol.ok().map(|s| (s.to_string(), m.raw))).collect()
}

fn raw_words(raw: &str) -> Vec<String> {
    crate::token::words(raw)
}

/// Ranges of pieces that hold changes, split where at least [`HUNK_GAP`] unchanged words
/// lie between two changes.
fn hunks(pieces: &[Piece]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    let mut gap_words = 0;
    for (k, piece) in pieces.iter().enumerate() {
        if piece.tag == ChangeTag::Equal {
            gap_words += crate::token::count_words(&piece.text) as usize;
            continue;
        }
        match out.last_mut() {
            Some(last) if gap_words < HUNK_GAP => last.1 = k + 1,
            _ => out.push((k, k + 1)),
        }
        gap_words = 0;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::resolution::parse;

    fn lexicon() -> VerbLexicon {
        use OperativeVerb::*;
        VerbLexicon::new([(Adopts, 6.0), (Welcomes, 5.0), (Requests, 5.0), (TakesNote, 3.0), (Invites, 3.0)]).unwrap()
    }

    fn classes(diff: &TextDiff) -> Vec<(&'static str, &str, &str)> {
        diff.changes.iter().map(|c| (c.class.as_str(), c.before.as_str(), c.after.as_str())).collect()
    }

    #[test]
    fn verbs_references_and_paragraphs() {
        let a = parse(
            "The General Assembly,\n\nRecalling its resolution 53/70,\n\nNoting the report,\n\n\
             1. Takes note of the elements annexed;\n\n2. Invites Member States to act;\n\n3. Decides to close.\n",
        );
        let b = parse(
            "The General Assembly,\n\nRecalling its resolutions 53/70 and 55/63,\n\n\
             1. Adopts the elements annexed;\n\n2. Invites Member States to act promptly;\n\n3. Decides to close.\n\n\
             4. Welcomes the report.\n",
        );
        let diff = diff(&a, &b, &lexicon());
        assert_eq!(
            classes(&diff),
            [
                ("reference_added", "", "A/RES/55/63"),
                ("paragraph_removed", "Noting the report,", ""),
                ("verb_strengthened", "Takes note of", "Adopts"),
                ("reworded", "", "promptly"),
                ("paragraph_added", "", "Welcomes the report."),
            ]
        );
        let moved = diff.changes.iter().find(|c| c.class == ChangeClass::VerbStrengthened).unwrap();
        assert_eq!((moved.part, moved.paragraph_a, moved.paragraph_b), (Part::Operative, Some(1), Some(1)));
        assert_eq!(diff.aligned.len(), 2 + 4);
        let same = diff.aligned.iter().filter(|r| r.segments.iter().all(|s| s.kind == SegmentKind::Same)).count();
        assert_eq!(same, 1, "only operative paragraph 3 is unchanged");
    }

    #[test]
    fn changes_carry_the_printed_numbers_where_the_text_gives_them() {
        // A text that begins at its operative paragraph 4 (an excerpt): positions and
        // printed numbers differ.
        let a = parse("4. Invites Member States to act;\n\n5. Decides to close.\n");
        let b = parse("4. Requests Member States to act;\n\n5. Decides to close.\n\n6. Welcomes the report.\n");
        let result = diff(&a, &b, &lexicon());
        let found: Vec<_> = result
            .changes
            .iter()
            .map(|c| (c.class, c.paragraph_a, c.number_a.as_deref(), c.paragraph_b, c.number_b.as_deref()))
            .collect();
        assert_eq!(
            found,
            [
                (ChangeClass::VerbStrengthened, Some(1), Some("4"), Some(1), Some("4")),
                (ChangeClass::ParagraphAdded, None, None, Some(3), Some("6")),
            ]
        );
        assert!(result.aligned.iter().all(|row| row.paragraph_a.is_none() || row.number_a.is_some()));
        // Preambular paragraphs are not numbered in UN texts.
        let preambular =
            diff(&parse("Recalling x,\n\n1. Adopts y.\n"), &parse("Noting z,\n\n1. Adopts y.\n"), &lexicon());
        assert!(preambular.changes.iter().all(|c| c.number_a.is_none() && c.number_b.is_none()));
    }

    #[test]
    fn identical_texts_have_no_changes() {
        let text = parse("The General Assembly,\n\nRecalling x,\n\n1. Adopts y.\n\nAnnex\n\nTitle\n\n1. One.\n");
        let diff = diff(&text, &text, &lexicon());
        assert!(diff.changes.is_empty());
        assert_eq!(diff.aligned.len(), 3);
    }

    #[test]
    fn annex_items_are_compared_too() {
        let a = parse(
            "1. Takes note of the elements.\n\nAnnex\n\nElements\n\n1. Raise awareness of threats among stakeholders.\n\n2. Share information on incidents.\n",
        );
        let b = parse(
            "1. Takes note of the elements.\n\nAnnex\n\nElements\n\n1. Raise awareness of threats among all stakeholders.\n\n2. Share information on incidents.\n\n3. Train responders.\n",
        );
        let changes = diff(&a, &b, &lexicon()).changes;
        let found: Vec<_> =
            changes.iter().map(|c| (c.class, c.part, c.paragraph_a, c.paragraph_b, c.after.as_str())).collect();
        assert_eq!(
            found,
            [
                (ChangeClass::Reworded, Part::Annex, Some(1), Some(1), "all"),
                (ChangeClass::ParagraphAdded, Part::Annex, None, Some(3), "Train responders."),
            ]
        );
    }

    #[test]
    fn unranked_verb_changes_are_rewordings() {
        let a = parse("1. Reaffirms the principles.");
        let b = parse("1. Recognizes the principles.");
        assert_eq!(classes(&diff(&a, &b, &lexicon())), [("reworded", "Reaffirms", "Recognizes")]);
    }
}
