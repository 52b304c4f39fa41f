//! Measures the pure part of `terms PATTERN --by year` over the General Debate Corpus:
//! reading the archive, building the inverted index, and counting from the postings a
//! store would hand back for the pattern (no store, no process start-up).
//!
//! `cargo run -p normwatch-text --example terms_bench [--release] -- [ARCHIVE] [PATTERN...]`

use std::time::{Duration, Instant};

use normwatch_text::count::{By, Scope, SpeechMeta, term_table};
use normwatch_text::index::{IndexBuilder, count};
use normwatch_text::pattern::Pattern;
use normwatch_text::ungdc::read_archive;

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort();
    samples[samples.len() / 2]
}

fn main() {
    let mut args = std::env::args().skip(1);
    let archive = args.next().unwrap_or_else(|| {
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/ungdc/ungdc-speeches.tar.gz").to_string()
    });
    let mut patterns: Vec<String> = args.collect();
    if patterns.is_empty() {
        patterns = vec!["cyber*".into(), "\"critical infrastructure*\"".into(), "the".into()];
    }

    let started = Instant::now();
    let mut texts = Vec::new();
    let mut speeches: Vec<SpeechMeta> = Vec::new();
    let file = std::fs::File::open(&archive).unwrap_or_else(|e| panic!("{archive}: {e}"));
    let summary = read_archive(file, &archive, |r| match r {
        Ok(speech) => {
            speeches.push(speech.meta());
            texts.push(speech.text);
        }
        Err(problem) => eprintln!("{problem}"),
    })
    .unwrap_or_else(|e| panic!("{e}"));
    let read = started.elapsed();

    let started = Instant::now();
    let mut builder = IndexBuilder::new();
    for text in &texts {
        builder.add(text);
    }
    let index = builder.finish();
    let build = started.elapsed();
    let bytes: usize = index.terms().iter().map(|(t, p)| t.len() + p.len()).sum();
    println!(
        "read {} speeches ({} problems) in {read:.2?}; index of {} terms, {:.1} MB, built in {build:.2?}",
        summary.speeches,
        summary.problems.len(),
        index.terms().len(),
        bytes as f64 / 1e6
    );

    for text in &patterns {
        let pattern = Pattern::parse(text).unwrap_or_else(|e| panic!("{e}"));
        let postings = index.postings_for(&pattern);
        let fetched: usize = postings.terms().iter().map(|(_, p)| p.len()).sum();
        let mut samples = Vec::new();
        let mut rows = Vec::new();
        for _ in 0..5 {
            let started = Instant::now();
            let hits = count(&pattern, &postings).unwrap();
            rows = term_table(&speeches, &hits, By::Year, &Scope::default()).unwrap();
            samples.push(started.elapsed());
        }
        let total: u64 = rows.iter().map(|r| r.count).sum();
        println!(
            "{pattern}: {} terms, {:.1} kB of postings, {total} occurrences in {} years; count + table by year: median {:.2?}",
            postings.terms().len(),
            fetched as f64 / 1e3,
            rows.len(),
            median(samples)
        );
    }
}
