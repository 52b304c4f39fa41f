//! The changes the Maurer seed lists between drafts and final resolutions (§II.3),
//! reproduced by the diff on texts built from the seed's own quotations. Every quotation is
//! checked to be in the seed file; the words around a quotation that the seed paraphrases
//! are marked as ours.

use normwatch_text::diff::{ChangeClass, diff};
use normwatch_text::resolution::{Part, parse};

mod common;

/// A quotation of the seed: panics if the seed does not hold it word for word.
fn quote<'a>(seed: &str, text: &'a str) -> &'a str {
    assert!(seed.contains(text), "the seed does not hold `{text}`");
    text
}

#[test]
fn resolution_57_239_adopts_became_takes_note_and_requests_became_invites() {
    let Some(path) = common::shared_file("seeds/001_edef816d03214080.txt") else { return };
    let seed = std::fs::read_to_string(path).unwrap();
    // "changing the original wording of “Adopts the principles annexed to the present
    // resolution” to “Takes note of the elements”"; the final wording is the appendix's.
    let adopts = quote(&seed, "Adopts the principles annexed to the present resolution");
    let takes_note = quote(
        &seed,
        "Takes note of the elements annexed to the present resolution, with a view to creating a global culture of cybersecurity",
    );
    // "the final resolution only “invites” rather than “requests” member states to take the
    // resolution into account for the World Summit on the Information Society": the verbs are
    // the seed's quotation, the rest of the paragraph follows its paraphrase (our wording).
    quote(&seed, "only “invites” rather than “requests” member states to take the resolution into account");
    let wsis = "Member States to take the resolution into account for the World Summit on the Information Society";
    // "the inclusion of a paragraph noting “gaps in access to ... information technology”".
    let gaps = quote(
        &seed,
        "gaps in access to and the use of information technologies by States can diminish the effectiveness of \
         international cooperation in combating the criminal misuse of information technology",
    );
    let draft = format!("The General Assembly,\n\n1. {adopts};\n\n2. Requests {wsis}.\n");
    let last = format!("The General Assembly,\n\nNoting that {gaps},\n\n1. {takes_note};\n\n2. Invites {wsis}.\n");
    let changes = diff(&parse(&draft), &parse(&last), &common::shipped_lexicon()).changes;
    type Row<'a> = (ChangeClass, Part, Option<usize>, Option<usize>, &'a str, &'a str);
    let found: Vec<Row> = changes
        .iter()
        .map(|c| (c.class, c.part, c.paragraph_a, c.paragraph_b, c.before.as_str(), c.after.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            (ChangeClass::ParagraphAdded, Part::Preambular, None, Some(1), "", format!("Noting that {gaps},").as_str()),
            (
                ChangeClass::VerbWeakened,
                Part::Operative,
                Some(1),
                Some(1),
                "Adopts the principles",
                "Takes note of the elements"
            ),
            (
                ChangeClass::Reworded,
                Part::Operative,
                Some(1),
                Some(1),
                "",
                ", with a view to creating a global culture of cybersecurity"
            ),
            (ChangeClass::VerbWeakened, Part::Operative, Some(2), Some(2), "Requests", "Invites"),
        ]
    );
}

#[test]
fn resolution_64_211_lost_a_paragraph_and_gained_one() {
    let Some(path) = common::shared_file("seeds/001_edef816d03214080.txt") else { return };
    let seed = std::fs::read_to_string(path).unwrap();
    // "The section mentioning “freedom of expression and the free flow of information, ideas
    // and knowledge” was also deleted"; the final text has “reiterating that all Governments
    // should have an equal role and responsibility for international Internet governance”.
    // The participles opening the two paragraphs are ours.
    let freedom = quote(&seed, "freedom of expression and the free flow of information, ideas and knowledge");
    let governments = quote(
        &seed,
        "that all Governments should have an equal role and responsibility for international Internet governance",
    );
    let invites = quote(&seed, "Invites* Member States to use, if and when they deem appropriate").replace('*', "");
    let draft = format!("The General Assembly,\n\nRecognizing {freedom},\n\n1. {invites};\n");
    let last = format!("The General Assembly,\n\nReiterating {governments},\n\n1. {invites};\n");
    let changes = diff(&parse(&draft), &parse(&last), &common::shipped_lexicon()).changes;
    let classes: Vec<ChangeClass> = changes.iter().map(|c| c.class).collect();
    assert_eq!(classes, [ChangeClass::ParagraphRemoved, ChangeClass::ParagraphAdded]);
    assert!(changes[0].before.contains(freedom));
    assert!(changes[1].after.contains(governments));
}
