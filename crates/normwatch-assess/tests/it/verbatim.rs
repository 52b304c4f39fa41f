//! Every text of the built-in frameworks is the seed's text, word for word: each question,
//! heading, section title and passage is found in the appendix of the seed file it says it
//! was copied from (in `NORMWATCH_SHARED`/seeds, default `../shared/seeds` next to the
//! workspace). Fails when the seed is absent, unless `NORMWATCH_SKIP_REAL_DATA=1`.

use std::path::PathBuf;

use normwatch_assess::framework::{builtin_files, load};

fn seeds_dir() -> Option<PathBuf> {
    let shared = std::env::var_os("NORMWATCH_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    let dir = shared.join("seeds");
    if dir.is_dir() {
        return Some(dir);
    }
    if std::env::var("NORMWATCH_SKIP_REAL_DATA").as_deref() == Ok("1") {
        eprintln!("skipped: no seeds at {} (NORMWATCH_SKIP_REAL_DATA=1)", dir.display());
        return None;
    }
    panic!("the seeds are not at {}; set NORMWATCH_SHARED, or NORMWATCH_SKIP_REAL_DATA=1 to skip", dir.display());
}

/// The seed as running text: Markdown emphasis and heading marks removed, white space
/// (including the page breaks that split items 13 of 64/211 and (f) of 57/239) collapsed.
fn normalise(text: &str) -> String {
    let without_marks: String = text.chars().filter(|c| *c != '*' && *c != '#').collect();
    without_marks.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_builtin_text_is_found_verbatim_in_the_seed_appendix() {
    let Some(dir) = seeds_dir() else { return };
    let catalog = load(&builtin_files()).unwrap_or_else(|e| panic!("{e}"));
    let mut checked = 0;
    for framework in &catalog.frameworks {
        let path = dir.join(&framework.copied_from.file);
        let seed = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let seed = normalise(&seed);
        // The appendix starts with the heading of the 57/239 annex; only text from there on
        // counts, so a phrase quoted in the body of the paper does not pass for the annex.
        let start =
            seed.find("General Assembly Resolution 57/239 Creation of a global culture").expect("the appendix heading");
        let appendix = &seed[start..];
        let mut texts: Vec<(String, String)> = Vec::new();
        texts.push(("title".into(), framework.title.clone()));
        for passage in [&framework.mandate, &framework.introduction, &framework.note].into_iter().flatten() {
            texts.push(("passage".into(), passage.text.clone()));
        }
        for section in &framework.sections {
            texts.push((format!("section {}", section.id), section.title.clone()));
        }
        for q in &framework.questions {
            let prompt = match &q.heading {
                Some(h) => format!("{} {h}. {}", q.number, q.prompt),
                None => q.prompt.clone(),
            };
            texts.push((q.citation.paragraph.clone(), prompt));
            if let Some(stem) = &q.stem {
                texts.push((format!("{} (stem)", q.citation.paragraph), stem.clone()));
            }
        }
        for (what, text) in texts {
            assert!(
                appendix.contains(&normalise(&text)),
                "{} {what}: not found verbatim in {}:\n{text}",
                framework.id,
                path.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} texts checked");
}

#[test]
fn the_numbers_of_the_seed_are_those_of_the_files() {
    // The seed's own count of the 57/239 elements ("nine complementary elements") and the
    // numbering of the 58/199 and 64/211 annexes, against the loaded frameworks.
    let Some(dir) = seeds_dir() else { return };
    let seed = normalise(&std::fs::read_to_string(dir.join("001_edef816d03214080.txt")).unwrap());
    let catalog = load(&builtin_files()).unwrap();
    assert!(seed.contains("the following nine complementary elements"));
    assert_eq!(catalog.framework("57-239").unwrap().questions.len(), 9);
    assert!(seed.contains("11. Promote national and international research") && !seed.contains("12. Promote"));
    assert_eq!(catalog.framework("58-199").unwrap().questions.len(), 11);
    let tool = catalog.framework("64-211").unwrap();
    let items: std::collections::BTreeSet<&str> =
        tool.questions.iter().map(|q| q.number.split(' ').next().unwrap()).collect();
    assert_eq!(items.len(), 18);
    assert!(seed.contains("18. Summarize actions taken"));
}
