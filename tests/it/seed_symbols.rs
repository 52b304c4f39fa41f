//! Every document symbol that either seed cites resolves to a knowledge-base record.
//!
//! The seeds cite documents by symbol (`A/65/201`) and in prose ("resolutions 55/63 and
//! 56/121"). The project's own scanner finds them; where prose leaves the organ to the
//! reader, the scanner infers it, and the few mentions it cannot read are listed below
//! with the document meant and why.

use normwatch_core::Symbol;
use normwatch_core::scan::scan;

/// Mentions the scanner reads wrongly or cannot parse: (seed file, line, text as
/// written, the symbol of the record that covers it, why).
const READ_BY_HAND: &[(&str, usize, &str, &str, &str)] = &[
    (
        "000_3ec7e86b162794a3.txt",
        565,
        "43/8",
        "CND/RES/43/8",
        "footnote credits the CND's Internet resolution to ECOSOC",
    ),
    (
        "000_3ec7e86b162794a3.txt",
        569,
        "48/5",
        "CND/RES/48/5",
        "footnote credits the CND's Internet resolution to ECOSOC",
    ),
    (
        "000_3ec7e86b162794a3.txt",
        571,
        "50/11",
        "CND/RES/50/11",
        "footnote credits the CND's Internet resolution to ECOSOC",
    ),
    ("001_edef816d03214080.txt", 799, "20/7", "CCPCJ/RES/20/7", "the sentence is about the CCPCJ's 2011 report"),
    (
        "001_edef816d03214080.txt",
        813,
        "43/8",
        "CND/RES/43/8",
        "the paragraph is about the Commission on Narcotic Drugs",
    ),
    (
        "001_edef816d03214080.txt",
        823,
        "43/8",
        "CND/RES/43/8",
        "footnote credits the CND's resolution to ECOSOC (E/2000/28 is the CND report)",
    ),
    (
        "001_edef816d03214080.txt",
        827,
        "48/5",
        "CND/RES/48/5",
        "footnote credits the CND's resolution to ECOSOC (E/2005/28 is the CND report)",
    ),
    (
        "001_edef816d03214080.txt",
        829,
        "50/11",
        "CND/RES/50/11",
        "footnote credits the CND's resolution to ECOSOC (E/2007/28/Rev.1 is the CND report)",
    ),
];

#[test]
fn every_symbol_in_the_seeds_has_a_record() {
    let files = normwatch_store::kb_files::from_folder(&crate::support::kb_dir()).expect("the kb folder is readable");
    let kb = normwatch_core::kb::load(&files).unwrap_or_else(|e| panic!("{e}"));
    let seeds = crate::support::shared_dir().join("seeds");
    let mut names: Vec<_> = std::fs::read_dir(&seeds)
        .unwrap_or_else(|e| panic!("{}: {e}", seeds.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "both seeds are present in {}", seeds.display());

    let mut checked = 0;
    let mut used: Vec<(&str, usize, &str)> = Vec::new();
    let mut missing = Vec::new();
    for path in &names {
        let file = path.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(path).unwrap();
        for mention in scan(&text) {
            let line = mention.line(&text);
            let by_hand = READ_BY_HAND.iter().find(|(f, l, raw, _, _)| *f == file && *l == line && *raw == mention.raw);
            if let Some((f, l, raw, _, _)) = by_hand {
                used.push((*f, *l, *raw));
            }
            let symbol = match (by_hand, &mention.symbol) {
                (Some((_, _, _, meant, _)), _) => Symbol::parse(meant).unwrap_or_else(|e| panic!("{e}")),
                (None, Ok(symbol)) => symbol.clone(),
                (None, Err(reason)) => {
                    missing.push(format!("{file}:{line}: `{}` does not parse ({reason})", mention.raw));
                    continue;
                }
            };
            checked += 1;
            if kb.document(&symbol).is_none() {
                let how = if mention.inferred { " (organ inferred from context)" } else { "" };
                missing.push(format!("{file}:{line}: `{}` → {symbol}{how} has no record", mention.raw));
            }
        }
    }
    assert!(checked > 100, "the scanner found only {checked} citations; it has stopped working");
    for (file, line, raw, _, _) in READ_BY_HAND {
        assert!(
            used.contains(&(*file, *line, *raw)),
            "{file}:{line} `{raw}` is listed but the scanner no longer finds it there"
        );
    }
    assert!(missing.is_empty(), "{} seed citations lack a record:\n{}", missing.len(), missing.join("\n"));
}
