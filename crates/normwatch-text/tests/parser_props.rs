//! Property tests of the resolution parser and the diff: arbitrary input never panics;
//! texts generated in UN form parse to the structure they were generated from; a text
//! diffed against itself has no changes.

use normwatch_text::diff::diff;
use normwatch_text::resolution::{Part, parse};
use proptest::prelude::*;

mod common;

const PARTICIPLES: [&str; 8] = [
    "Recalling",
    "Noting with concern",
    "Bearing in mind",
    "Deeply concerned",
    "Recognizing",
    "Reaffirming",
    "Welcoming",
    "Having considered",
];
const VERBS: [&str; 8] =
    ["Adopts", "Requests", "Invites", "Takes note of", "Calls upon", "Also requests", "Decides", "Welcomes"];

/// A few lower-case words.
fn words() -> impl Strategy<Value = String> {
    proptest::collection::vec("[a-z]{1,9}", 1..14).prop_map(|w| w.join(" "))
}

#[derive(Debug, Clone)]
struct Spec {
    title: String,
    preambular: Vec<(usize, String)>,
    operative: Vec<(usize, String, Vec<String>)>,
    closing: bool,
    annex: Option<(String, Vec<String>)>,
    wrap: usize,
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        "[A-Z][a-z]{2,9}( [a-z]{2,9}){0,5}",
        proptest::collection::vec((0..PARTICIPLES.len(), words()), 0..4),
        proptest::collection::vec((0..VERBS.len(), words(), proptest::collection::vec(words(), 0..3)), 1..5),
        any::<bool>(),
        proptest::option::of(("[A-Z][a-z]{2,9}( [a-z]{2,9}){0,4}", proptest::collection::vec(words(), 1..5))),
        20usize..200,
    )
        .prop_map(|(title, preambular, operative, closing, annex, wrap)| Spec {
            title,
            preambular,
            operative,
            closing,
            annex,
            wrap,
        })
}

/// Hard-wraps a paragraph at spaces, as PDF text comes.
fn wrap(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut line = 0;
    for word in text.split(' ') {
        if line > 0 && line + word.len() > width {
            out.push('\n');
            line = 0;
        } else if line > 0 {
            out.push(' ');
            line += 1;
        }
        out.push_str(word);
        line += word.len();
    }
    out
}

fn write(spec: &Spec) -> String {
    let mut blocks = vec![spec.title.clone(), "The General Assembly,".to_string()];
    for (p, text) in &spec.preambular {
        blocks.push(wrap(&format!("{} {text},", PARTICIPLES[*p]), spec.wrap));
    }
    let n = spec.operative.len();
    for (k, (v, text, subs)) in spec.operative.iter().enumerate() {
        let end = if k + 1 == n { "." } else { ";" };
        if subs.is_empty() {
            blocks.push(wrap(&format!("{}. {} {text}{end}", k + 1, VERBS[*v]), spec.wrap));
        } else {
            blocks.push(wrap(&format!("{}. {} {text}:", k + 1, VERBS[*v]), spec.wrap));
            for (s, sub) in subs.iter().enumerate() {
                let label = (b'a' + s as u8) as char;
                blocks.push(wrap(&format!("({label}) {sub};"), spec.wrap));
            }
        }
    }
    if spec.closing {
        blocks.push("78th plenary meeting\n20 December 2002".to_string());
    }
    if let Some((title, items)) = &spec.annex {
        blocks.push("Annex".to_string());
        blocks.push(title.clone());
        for (k, item) in items.iter().enumerate() {
            blocks.push(wrap(&format!("{}. {item}.", k + 1), spec.wrap));
        }
    }
    blocks.join("\n\n")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_text_never_panics(input in "\\PC{0,300}") {
        let text = parse(&input);
        let _ = text.render();
        prop_assert!(diff(&text, &text, &common::shipped_lexicon()).changes.is_empty());
    }

    #[test]
    fn un_like_noise_never_panics(input in proptest::collection::vec(
        "(The General Assembly,|Annex|[0-9]{1,3}\\. |\\([a-z]{1,3}\\) |- |\\*|<sup>1</sup>|\\[\\.\\.\\.\\]|Recalling|Takes note|as follows:|\n|\n\n| |[a-z]{1,5}|78th plenary meeting|1 May 2000|[.,;:])",
        0..60,
    )) {
        let input: String = input.concat();
        let text = parse(&input);
        let rendered = text.render();
        let _ = parse(&rendered);
        prop_assert!(diff(&text, &text, &common::shipped_lexicon()).changes.is_empty());
    }

    #[test]
    fn generated_resolutions_parse_to_their_structure(spec in spec()) {
        let text = parse(&write(&spec));
        prop_assert_eq!(text.title.as_deref(), Some(spec.title.as_str()));
        prop_assert_eq!(text.organ.as_deref(), Some("The General Assembly"));
        let pre: Vec<_> = text.preambular().collect();
        prop_assert_eq!(pre.len(), spec.preambular.len());
        for (paragraph, (p, words)) in pre.iter().zip(&spec.preambular) {
            prop_assert_eq!(paragraph.lead.as_deref(), Some(PARTICIPLES[*p]));
            prop_assert_eq!(&paragraph.text, &format!("{} {words},", PARTICIPLES[*p]));
        }
        let ops: Vec<_> = text.operative().collect();
        prop_assert_eq!(ops.len(), spec.operative.len());
        for (k, (paragraph, (v, _, subs))) in ops.iter().zip(&spec.operative).enumerate() {
            prop_assert_eq!(paragraph.part, Part::Operative);
            prop_assert_eq!(paragraph.number, Some(k as u32 + 1));
            let expected_lead = VERBS[*v].trim_end_matches(" of");
            prop_assert_eq!(paragraph.lead.as_deref(), Some(expected_lead));
            prop_assert!(paragraph.verb.is_some());
            let texts: Vec<&str> = paragraph.subparagraphs.iter().map(|s| s.text.trim_end_matches(';')).collect();
            prop_assert_eq!(texts, subs.iter().map(String::as_str).collect::<Vec<_>>());
        }
        prop_assert_eq!(text.closing.len(), if spec.closing { 2 } else { 0 });
        match &spec.annex {
            Some((title, items)) => {
                prop_assert_eq!(text.annexes.len(), 1);
                prop_assert_eq!(text.annexes[0].title.as_deref(), Some(title.as_str()));
                let got: Vec<String> = text.annexes[0].items.iter().map(|i| i.text.clone()).collect();
                let want: Vec<String> = items.iter().map(|i| format!("{i}.")).collect();
                prop_assert_eq!(got, want);
            }
            None => prop_assert!(text.annexes.is_empty()),
        }
        // What the parser found renders to a text that parses to the same thing.
        let rendered = text.render();
        prop_assert_eq!(parse(&rendered).render(), rendered);
    }
}
