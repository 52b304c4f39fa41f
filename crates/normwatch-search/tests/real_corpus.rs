//! The General Debate speeches of 2000–2014, read from the shared `.tar.gz`: search totals
//! equal an independent scan of the texts with the same token rule, per year and over the
//! whole span, and every page of a long result list fits together.

use std::collections::HashSet;
use std::fs::File;
use std::io::Read;
use std::path::PathBuf;

use normwatch_search::{Doc, Query, SearchIndex, SearchRequest, Target};

const FROM: i32 = 2000;
const TO: i32 = 2014;

fn corpus_path() -> Option<PathBuf> {
    let shared = std::env::var_os("NORMWATCH_SHARED")
        .map_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"), PathBuf::from);
    let path = shared.join("data/ungdc/ungdc-speeches.tar.gz");
    if path.exists() {
        return Some(path);
    }
    if std::env::var("NORMWATCH_SKIP_REAL_DATA").as_deref() == Ok("1") {
        println!("skipped: {} is absent and NORMWATCH_SKIP_REAL_DATA=1", path.display());
        return None;
    }
    panic!(
        "the General Debate corpus is not at {} (set NORMWATCH_SHARED to the shared folder, \
         or NORMWATCH_SKIP_REAL_DATA=1 to skip tests on real data)",
        path.display()
    );
}

struct Speech {
    year: i32,
    /// Lower-cased tokens, split independently of the crate's tokenizer.
    words: Vec<String>,
}

/// Reads the speeches of `FROM..=TO` straight from the archive.
fn read(path: &PathBuf) -> (Vec<Doc>, Vec<Speech>) {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(File::open(path).unwrap()));
    let (mut docs, mut speeches) = (Vec::new(), Vec::new());
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let name = entry.path().unwrap().to_string_lossy().into_owned();
        let Some(file) = name.rsplit('/').next().and_then(|f| f.strip_suffix(".txt")) else { continue };
        let parts: Vec<&str> = file.split('_').collect();
        let [state, _session, year] = parts[..] else { panic!("{name}: not named ISO3_SS_YYYY.txt") };
        let year: i32 = year.parse().unwrap_or_else(|_| panic!("{name}: year"));
        if !(FROM..=TO).contains(&year) {
            continue;
        }
        let mut text = String::new();
        entry.read_to_string(&mut text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let words = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.chars().flat_map(char::to_lowercase).collect())
            .collect();
        speeches.push(Speech { year, words });
        docs.push(Doc {
            target: Target::Speech { state: state.to_string(), year },
            source: "speeches".into(),
            kind: "speech".into(),
            title: format!("{state}, {year}"),
            year: Some(year),
            state: (state.len() == 3).then(|| state.to_string()),
            link: String::new(),
            body: text,
        });
    }
    (docs, speeches)
}

/// Whether the speech contains the phrase; an element ending in `*` is a prefix.
fn has_phrase(speech: &Speech, phrase: &[&str]) -> bool {
    let matches = |word: &String, pattern: &str| match pattern.strip_suffix('*') {
        Some(prefix) => word.starts_with(prefix),
        None => word == pattern,
    };
    speech.words.windows(phrase.len()).any(|w| w.iter().zip(phrase).all(|(word, p)| matches(word, p)))
}

#[test]
fn totals_equal_an_independent_scan() {
    let Some(path) = corpus_path() else { return };
    let (docs, speeches) = read(&path);
    assert!(speeches.len() > 2500, "only {} speeches of {FROM}-{TO} in the archive", speeches.len());
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    index.rebuild(docs.into_iter().map(Ok::<_, std::convert::Infallible>), &normwatch_search::Stamp::new("1")).unwrap();

    // (query, the same as a predicate over a speech)
    type Check = fn(&Speech) -> bool;
    let cases: &[(&str, Check)] = &[
        ("cyber*", |s| has_phrase(s, &["cyber*"])),
        ("terrorism", |s| has_phrase(s, &["terrorism"])),
        ("\"information security\"", |s| has_phrase(s, &["information", "security"])),
        ("\"critical infrastructure*\"", |s| has_phrase(s, &["critical", "infrastructure*"])),
        ("\"information and communication* technolog*\"", |s| {
            has_phrase(s, &["information", "and", "communication*", "technolog*"])
        }),
        ("internet OR cyber*", |s| has_phrase(s, &["internet"]) || has_phrase(s, &["cyber*"])),
        ("cyber* -internet", |s| has_phrase(s, &["cyber*"]) && !has_phrase(s, &["internet"])),
        ("NOT security", |s| !has_phrase(s, &["security"])),
    ];
    let mut failures = Vec::new();
    for (query, check) in cases {
        for (from, to) in [(FROM, TO), (2001, 2001), (2010, 2013), (2014, 2014)] {
            let mut request = SearchRequest::new(Query::parse(query).unwrap(), 10);
            request.from_year = Some(from);
            request.to_year = Some(to);
            let results = index.search(&request).unwrap();
            let want = speeches.iter().filter(|s| (from..=to).contains(&s.year) && check(s)).count();
            if results.total != want {
                failures.push(format!("{query} in {from}-{to}: index {}, scan {want}", results.total));
            }
            if !query.starts_with("NOT") {
                for hit in &results.hits {
                    assert!(hit.snippet.to_html().contains("<mark>"), "{query}: {:?}", hit.snippet);
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));

    // Every page of a long list, put together, is the whole list once.
    let mut request = SearchRequest::new(Query::parse("security").unwrap(), 700);
    let total = index.search(&request).unwrap().total;
    assert!(total > 2000, "{total}");
    let mut seen = HashSet::new();
    while request.offset < total {
        let page = index.search(&request).unwrap();
        assert_eq!(page.total, total);
        for hit in page.hits {
            assert!(seen.insert(hit.target), "a hit on two pages");
        }
        request.offset += request.limit;
    }
    assert_eq!(seen.len(), total);
}
