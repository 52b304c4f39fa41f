//! Index-time and query-latency figures for the search crate.
//!
//! ```text
//! cargo run --release -p normwatch-search --example bench [-- RUNS]
//! ```
//!
//! Indexes the knowledge base (`kb/`, one document per text field, quote, annex item and
//! paragraph, as the FTS5 index did) and the UN General Debate Corpus
//! (`$NORMWATCH_SHARED/data/ungdc/ungdc-speeches.tar.gz`, read streaming from the archive),
//! then times a word, a phrase and a prefix query with a year filter on one thread
//! (first page of 10 hits with snippets, exact total).

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use normwatch_core::kb::{FactValue, KbFile, Record};
use normwatch_search::{Doc, Query, SearchIndex, SearchRequest, Stamp, Target};

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn main() -> Result<(), BoxError> {
    let runs: usize = std::env::args().nth(1).map_or(Ok(1000), |a| a.parse())?;
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = std::env::var_os("NORMWATCH_SHARED").map_or_else(|| root.join("../shared"), PathBuf::from);
    let corpus = shared.join("data/ungdc/ungdc-speeches.tar.gz");
    if !corpus.exists() {
        return Err(format!("the General Debate corpus is not at {} (set NORMWATCH_SHARED)", corpus.display()).into());
    }

    let kb = kb_docs(&root.join("kb"))?;
    let dir = tempfile::tempdir()?;
    let index = SearchIndex::open(dir.path())?;
    let mut times = Vec::new();
    for revision in 1..=5 {
        let start = Instant::now();
        index.rebuild(kb.iter().cloned().map(Ok::<_, BoxError>), &Stamp::new(revision.to_string()))?;
        times.push(start.elapsed());
    }
    times.sort();
    println!(
        "knowledge base: {} documents ({} KB of text); rebuild median {:.1} ms, max {:.1} ms (5 runs)",
        kb.len(),
        kb.iter().map(|d| d.body.len()).sum::<usize>() / 1024,
        ms(times[2]),
        ms(times[4])
    );

    let start = Instant::now();
    let cpu_start = cpu_time(libc::CLOCK_PROCESS_CPUTIME_ID);
    let mut skipped = Vec::new();
    // Streaming: each entry is decompressed, read and indexed in turn; nothing is extracted.
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(File::open(&corpus)?));
    let docs = archive.entries()?.filter_map(|entry| speech_doc(entry, &mut skipped).transpose());
    let stats = index.replace_source("speeches", docs, &Stamp::new("6"))?;
    let elapsed = start.elapsed();
    let cpu = cpu_time(libc::CLOCK_PROCESS_CPUTIME_ID).saturating_sub(cpu_start);
    println!(
        "speeches: {} documents indexed from the .tar.gz in {:.2} s wall, {:.2} s CPU over all threads \
         (gunzip, untar, indexing, commit and merges); {} entries noted",
        stats.documents,
        elapsed.as_secs_f64(),
        cpu.as_secs_f64(),
        skipped.len()
    );
    for s in skipped.iter().take(10) {
        println!("  {s}");
    }
    println!("index: {} documents, {:.0} MB on disk", index.len(), dir_size(dir.path())? as f64 / 1e6);

    println!("load average while measuring: {}", std::fs::read_to_string("/proc/loadavg").unwrap_or_default().trim());
    println!("latency on one thread: wall clock, and the thread's own CPU time (what the query costs without");
    println!("the waits for a core that other processes impose)");
    let queries = ["security", "\"information security\"", "cyber*"];
    for (from, to) in [(Some(1990), Some(2024)), (None, None)] {
        for query in queries {
            let mut request = SearchRequest::new(Query::parse(query)?, 10);
            request.from_year = from;
            request.to_year = to;
            let mut wall = Vec::with_capacity(runs);
            let mut cpu = Vec::with_capacity(runs);
            let mut total = 0;
            for i in 0..runs + runs / 10 {
                let cpu_start = thread_cpu();
                let start = Instant::now();
                let results = index.search(&request)?;
                let elapsed = start.elapsed();
                let cpu_elapsed = thread_cpu().saturating_sub(cpu_start);
                if i >= runs / 10 {
                    wall.push(elapsed);
                    cpu.push(cpu_elapsed);
                }
                total = results.total;
            }
            wall.sort();
            cpu.sort();
            let years = match (from, to) {
                (Some(a), Some(b)) => format!("years {a}-{b}"),
                _ => "all years".to_string(),
            };
            println!(
                "{query:<24} {years:<15} {total:>6} hits | wall p50 {:.3} ms p99 {:.3} ms | cpu p50 {:.3} ms p99 {:.3} ms | {runs} runs",
                ms(wall[runs / 2]),
                ms(wall[runs * 99 / 100]),
                ms(cpu[runs / 2]),
                ms(cpu[runs * 99 / 100]),
            );
        }
    }
    Ok(())
}

/// CPU time this thread has used.
fn thread_cpu() -> Duration {
    cpu_time(libc::CLOCK_THREAD_CPUTIME_ID)
}

/// CPU time used, by the thread or the process depending on `clock`.
fn cpu_time(clock: libc::clockid_t) -> Duration {
    let mut ts = libc::timespec { tv_sec: 0, tv_nsec: 0 };
    // SAFETY: `ts` is a valid, writable timespec; the clock id is a constant of the platform.
    let ok = unsafe { libc::clock_gettime(clock, &mut ts) } == 0;
    if !ok {
        return Duration::ZERO;
    }
    Duration::new(u64::try_from(ts.tv_sec).unwrap_or(0), u32::try_from(ts.tv_nsec).unwrap_or(0))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn dir_size(dir: &Path) -> std::io::Result<u64> {
    let mut size = 0;
    for entry in std::fs::read_dir(dir)? {
        size += entry?.metadata()?.len();
    }
    Ok(size)
}

/// The knowledge base's searchable texts, one document per text claim, quote, annex item
/// and paragraph, plus each record's id.
fn kb_docs(dir: &Path) -> Result<Vec<Doc>, BoxError> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder)? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let relative = path.strip_prefix(dir)?.to_string_lossy().replace('\\', "/");
                files.push(KbFile { path: relative, text: std::fs::read_to_string(&path)? });
            }
        }
    }
    let kb = normwatch_core::kb::load(&files).map_err(|e| format!("{e:?}"))?;
    let mut docs = Vec::new();
    for record in &kb.records {
        let kind = record.kind.as_str();
        let year = record_year(record);
        let title = record
            .claims
            .iter()
            .find(|c| matches!(c.field.as_str(), "title" | "name"))
            .map_or_else(|| record.id.clone(), |c| c.value.to_string());
        let link = format!("/{kind}/{}", record.id);
        let doc = |target: Target, body: String| Doc {
            target,
            source: "kb".into(),
            kind: kind.into(),
            title: title.clone(),
            year,
            state: None,
            link: link.clone(),
            body,
        };
        let field = |field: &str| Target::Record { kind: kind.into(), id: record.id.clone(), field: field.into() };
        let mut bodies: Vec<(String, String)> = vec![("id".into(), record.id.clone())];
        for claim in &record.claims {
            if let FactValue::Text(text) = &claim.value {
                bodies.push((claim.field.clone(), text.clone()));
            }
            if let Some(quote) = &claim.quote {
                bodies.push(("quote".into(), quote.clone()));
            }
        }
        // One document per field: the texts of several claims on one field are joined.
        bodies.sort_by(|a, b| a.0.cmp(&b.0));
        let mut merged: Vec<(String, String)> = Vec::new();
        for (name, text) in bodies {
            match merged.last_mut() {
                Some((last, body)) if *last == name => {
                    body.push_str("\n\n");
                    body.push_str(&text);
                }
                _ => merged.push((name, text)),
            }
        }
        docs.extend(merged.into_iter().map(|(name, text)| doc(field(&name), text)));
        for item in &record.items {
            let target = Target::AnnexItem {
                kind: record.kind.as_str().to_string(),
                id: record.id.clone(),
                list: item.list.clone(),
                label: item.label.clone(),
            };
            let body = item.heading.as_ref().map_or_else(|| item.text.clone(), |h| format!("{h}: {}", item.text));
            let mut d = doc(target, body);
            d.kind = "annex_item".into();
            docs.push(d);
        }
        for (i, paragraph) in record.paragraphs.iter().enumerate() {
            let number = paragraph.number.map_or_else(|| format!("p{}", i + 1), |n| n.to_string());
            let target = Target::Paragraph { symbol: record.id.clone(), number };
            let mut d = doc(target, paragraph.text.clone());
            d.kind = "paragraph".into();
            docs.push(d);
        }
    }
    // Keys must be unique: paragraphs numbered alike in different parts get their index.
    let mut seen = std::collections::HashSet::new();
    for (i, d) in docs.iter_mut().enumerate() {
        if !seen.insert(d.target.key())
            && let Target::Paragraph { number, .. } = &mut d.target
        {
            number.push_str(&format!("#{i}"));
            seen.insert(d.target.key());
        }
    }
    Ok(docs)
}

fn record_year(record: &Record) -> Option<i32> {
    record.claims.iter().find_map(|c| match &c.value {
        FactValue::Date(d) => Some(d.year()),
        FactValue::Int(n) if c.field == "year" => i32::try_from(*n).ok(),
        _ => None,
    })
}

/// The speech in one entry of the archive (`None`: not a speech file, or skipped and
/// reported in `skipped`).
fn speech_doc<R: Read>(
    entry: std::io::Result<tar::Entry<'_, R>>,
    skipped: &mut Vec<String>,
) -> Result<Option<Doc>, BoxError> {
    let mut entry = entry?;
    if !entry.header().entry_type().is_file() {
        return Ok(None);
    }
    let name = entry.path()?.to_string_lossy().into_owned();
    let Some((state, year)) = speech_name(&name) else {
        skipped.push(format!("{name}: not named ISO3_SS_YYYY.txt"));
        return Ok(None);
    };
    let mut bytes = Vec::new();
    entry.read_to_end(&mut bytes)?;
    let text = match String::from_utf8(bytes) {
        Ok(text) => text,
        Err(e) => {
            skipped.push(format!("{name}: not UTF-8 ({})", e.utf8_error()));
            return Ok(None);
        }
    };
    let body = text.trim_start_matches('\u{feff}').to_string();
    let iso3 = (state.len() == 3 && state.bytes().all(|b| b.is_ascii_uppercase())).then(|| state.clone());
    if iso3.is_none() {
        skipped.push(format!("{name}: `{state}` is not an ISO3 code; indexed without a state"));
    }
    Ok(Some(Doc {
        target: Target::Speech { state: state.clone(), year },
        source: "speeches".into(),
        kind: "speech".into(),
        title: format!("{state}, {year}"),
        year: Some(year),
        state: iso3,
        link: format!("/speeches/{state}/{year}"),
        body,
    }))
}

/// `ungdc/Session 68 - 2013/USA_68_2013.txt` → (`USA`, 2013).
fn speech_name(path: &str) -> Option<(String, i32)> {
    let file = path.rsplit('/').next()?.strip_suffix(".txt")?;
    let mut parts = file.split('_');
    let (state, _session, year) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    Some((state.to_string(), year.parse().ok()?))
}
