//! The UN General Debate Corpus, read for real: every speech of the archive is read or
//! reported, and counts from the inverted index equal a plain scan of the raw files that
//! this test does on its own (its own tar reading, its own token rule).

use std::collections::BTreeMap;
use std::io::Read;
use std::path::PathBuf;

use normwatch_text::count::{By, Group, Scope, SpeechMeta, term_table};
use normwatch_text::index::{IndexBuilder, count};
use normwatch_text::pattern::Pattern;
use normwatch_text::ungdc::read_archive;

mod common;

/// The archive, or `None` when the data is absent and `NORMWATCH_SKIP_REAL_DATA=1`.
fn archive() -> Option<PathBuf> {
    common::shared_file("data/ungdc/ungdc-speeches.tar.gz")
}

/// The test's own token rule, written separately from the crate's: walk the characters,
/// a token is a maximal run of alphanumeric characters, each lower-cased on its own.
fn plain_tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() {
            for lower in c.to_lowercase() {
                current.push(lower);
            }
        } else if !current.is_empty() {
            out.push(std::mem::take(&mut current));
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// The test's own matcher: `*` at the end of a word is a prefix; words in a phrase are
/// consecutive tokens.
fn plain_count(tokens: &[String], pattern: &[&str]) -> u64 {
    let matches = |token: &str, word: &str| match word.strip_suffix('*') {
        Some(prefix) => token.starts_with(prefix),
        None => token == word,
    };
    if tokens.len() < pattern.len() {
        return 0;
    }
    (0..=tokens.len() - pattern.len())
        .filter(|&i| pattern.iter().enumerate().all(|(k, word)| matches(&tokens[i + k], word)))
        .count() as u64
}

#[test]
fn every_speech_is_read_and_counts_equal_a_plain_scan() {
    let Some(path) = archive() else { return };
    // Pass 1: the crate's reader and index.
    let file = std::fs::File::open(&path).unwrap();
    let mut builder = IndexBuilder::new();
    let mut speeches: Vec<SpeechMeta> = Vec::new();
    let mut problems = Vec::new();
    let summary = read_archive(file, &path.display().to_string(), |result| match result {
        Ok(speech) => {
            let added = builder.add(&speech.text);
            assert_eq!(added.words, speech.words, "{}", speech.path);
            assert_eq!(added.doc as usize, speeches.len());
            speeches.push(speech.meta());
        }
        Err(problem) => problems.push(problem),
    })
    .unwrap();
    assert_eq!(summary.speeches + summary.problems.len(), 10_952, "every speech is read or reported");
    assert!(problems.is_empty(), "the corpus's PROVENANCE says all 10,952 files are speeches: {problems:?}");
    assert_eq!(summary.speeches, 10_952);
    // The European Union is the one speaker the state registry does not know.
    assert_eq!(summary.unresolved.keys().collect::<Vec<_>>(), ["EU"]);
    assert!(summary.unresolved["EU"] >= 14, "EU speeches in sessions 66–79");
    assert_eq!(speeches.iter().map(|s| s.year).min(), Some(1946));
    assert_eq!(speeches.iter().map(|s| s.year).max(), Some(2024));
    let index = builder.finish();

    // Pass 2: the raw files, read by this test alone.
    let cases: [(&str, &[&str], &[u16]); 6] = [
        ("cyber*", &["cyber*"], &[1998, 2005, 2010, 2013]),
        ("cyberspace", &["cyberspace"], &[2013, 2024]),
        ("\"information security\"", &["information", "security"], &[2011, 2013]),
        ("\"critical infrastructure*\"", &["critical", "infrastructure*"], &[2010, 2017]),
        ("terroris*", &["terroris*"], &[1985, 2001]),
        ("ICT*", &["ict*"], &[2015, 2023]),
    ];
    let years: std::collections::BTreeSet<u16> = cases.iter().flat_map(|c| c.2.iter().copied()).collect();
    // (pattern, year) → (count, speeches with the term, words of the year)
    let mut expected: BTreeMap<(&str, u16), (u64, u32)> = BTreeMap::new();
    let mut year_words: BTreeMap<u16, (u64, u32)> = BTreeMap::new();
    let file = std::fs::File::open(&path).unwrap();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(file));
    for entry in tar.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        let Some(stem) = name.rsplit('/').next().and_then(|n| n.strip_suffix(".txt")) else { continue };
        let year: u16 = stem.rsplit('_').next().unwrap().parse().unwrap();
        if !years.contains(&year) {
            continue;
        }
        let mut raw = String::new();
        entry.read_to_string(&mut raw).unwrap();
        let tokens = plain_tokens(&raw);
        let words = year_words.entry(year).or_default();
        words.0 += tokens.len() as u64;
        words.1 += 1;
        for (name, words, case_years) in &cases {
            if case_years.contains(&year) {
                let n = plain_count(&tokens, words);
                let slot = expected.entry((name, year)).or_default();
                slot.0 += n;
                slot.1 += u32::from(n > 0);
            }
        }
    }

    let mut nonzero = 0;
    for (name, _, case_years) in &cases {
        let pattern = Pattern::parse(name).unwrap();
        let hits = count(&pattern, &index.postings_for(&pattern)).unwrap();
        let rows = term_table(&speeches, &hits, By::Year, &Scope::default()).unwrap();
        for year in *case_years {
            let row = rows.iter().find(|r| r.group == Group::Year(*year)).unwrap();
            let (count, with) = expected[&(*name, *year)];
            let (words, files) = year_words[year];
            assert_eq!((row.count, row.speeches_with_term), (count, with), "{name} in {year}");
            assert_eq!((row.words, row.speeches), (words, files), "words and speeches of {year}");
            nonzero += usize::from(count > 0);
        }
    }
    assert!(nonzero >= 10, "the cases must find something to compare, found {nonzero} non-zero counts");
}
