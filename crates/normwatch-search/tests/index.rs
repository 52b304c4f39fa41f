//! End-to-end tests on a temporary index.

use std::convert::Infallible;
use std::path::Path;

use normwatch_search::{
    Doc, Query, SearchError, SearchIndex, SearchRequest, SearchResults, Stamp, Target, WriterConfig,
};

fn speech(state: &str, year: i32, body: &str) -> Doc {
    Doc {
        target: Target::Speech { state: state.into(), year },
        source: "speeches".into(),
        kind: "speech".into(),
        title: format!("{state}, {year}"),
        year: Some(year),
        state: Some(state.into()),
        link: format!("/speeches/{state}/{year}"),
        body: body.into(),
    }
}

fn field(id: &str, field: &str, year: Option<i32>, body: &str) -> Doc {
    Doc {
        target: Target::Record { kind: "document".into(), id: id.into(), field: field.into() },
        source: "kb".into(),
        kind: "document".into(),
        title: format!("Document {id}"),
        year,
        state: None,
        link: format!("/documents/{id}"),
        body: body.into(),
    }
}

fn ok(docs: Vec<Doc>) -> impl Iterator<Item = Result<Doc, Infallible>> {
    docs.into_iter().map(Ok)
}

fn corpus() -> Vec<Doc> {
    vec![
        speech("USA", 1998, "Threats to critical infrastructure and the security of information."),
        speech("RUS", 1998, "Information security: developments in the field of information and telecommunications."),
        speech("EST", 2007, "Cyber attacks struck our critical information infrastructure; cyberspace needs norms."),
        speech("CHN", 2013, "Cybersecurity and cyberspace sovereignty. Critical infrastructure deserves protection."),
        speech("BRA", 2013, "Mass surveillance violates privacy; the internet must be governed multilaterally."),
        field("A/RES/53/70", "title", Some(1998), "Developments in the field of information and telecommunications"),
        field("A/RES/53/70", "summary", Some(1998), "The first resolution on information security"),
        field("A/70/174", "title", Some(2015), "Report of the Group of Governmental Experts on cyberspace"),
    ]
}

fn index(dir: &Path) -> SearchIndex {
    let index = SearchIndex::open(dir).unwrap();
    index.rebuild(ok(corpus()), &Stamp::new("1")).unwrap();
    index
}

fn run(index: &SearchIndex, query: &str, edit: impl FnOnce(&mut SearchRequest)) -> SearchResults {
    let mut request = SearchRequest::new(Query::parse(query).unwrap(), 100);
    edit(&mut request);
    index.search(&request).unwrap()
}

fn keys(index: &SearchIndex, query: &str, edit: impl FnOnce(&mut SearchRequest)) -> Vec<String> {
    let mut keys: Vec<String> = run(index, query, edit).hits.iter().map(|h| h.target.key()).collect();
    keys.sort();
    keys
}

#[test]
fn words_phrases_prefixes_and_booleans() {
    let dir = tempfile::tempdir().unwrap();
    let index = index(dir.path());
    let none = |_: &mut SearchRequest| {};
    // (query, keys of the expected hits, sorted)
    let cases: &[(&str, &[&str])] = &[
        ("CYBER", &["speech|EST|2007"]),
        ("cyber*", &["record|document|A/70/174|title", "speech|CHN|2013", "speech|EST|2007"]),
        ("\"critical infrastructure\"", &["speech|CHN|2013", "speech|USA|1998"]),
        ("critical infrastructure", &["speech|CHN|2013", "speech|EST|2007", "speech|USA|1998"]),
        ("\"critical info*\"", &["speech|EST|2007"]),
        ("\"cyber* sovereignty\"", &["speech|CHN|2013"]),
        ("\"information security\"", &["record|document|A/RES/53/70|summary", "speech|RUS|1998"]),
        ("cyberspace -sovereignty", &["record|document|A/70/174|title", "speech|EST|2007"]),
        ("cyberspace NOT sovereignty", &["record|document|A/70/174|title", "speech|EST|2007"]),
        ("privacy OR sovereignty", &["speech|BRA|2013", "speech|CHN|2013"]),
        ("(privacy OR sovereignty) internet", &["speech|BRA|2013"]),
        ("critical AND NOT (cyber* OR threats)", &[]),
        ("critical -cyber*", &["speech|USA|1998"]),
        ("A/RES/53/70", &[]),
        ("nonexistent*", &[]),
        ("\"nonexistent* words\"", &[]),
    ];
    let mut failures = Vec::new();
    for (query, want) in cases {
        let got = keys(&index, query, none);
        if got != *want {
            failures.push(format!("{query}: got {got:?}, want {want:?}"));
        }
        assert_eq!(run(&index, query, none).total, want.len(), "{query}");
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    // A purely negative query matches everything else.
    assert_eq!(run(&index, "-cyber*", none).total, 5);
}

#[test]
fn bm25_ranks_more_frequent_terms_higher() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let docs = vec![
        speech("AAA", 2000, "norms norms norms of behaviour"),
        speech("BBB", 2000, "norms of behaviour and many other words that dilute the term"),
        speech("CCC", 2000, "nothing relevant"),
    ];
    index.rebuild(ok(docs), &Stamp::new("1")).unwrap();
    let results = run(&index, "norms", |_| {});
    let order: Vec<String> = results.hits.iter().map(|h| h.target.key()).collect();
    assert_eq!(order, ["speech|AAA|2000", "speech|BBB|2000"]);
    assert!(results.hits[0].score > results.hits[1].score && results.hits[1].score > 0.0);
}

#[test]
fn filters_by_kind_year_and_state() {
    let dir = tempfile::tempdir().unwrap();
    let index = index(dir.path());
    let info = "information OR cyber*";
    assert_eq!(run(&index, info, |_| {}).total, 7);
    assert_eq!(
        keys(&index, info, |r| r.kinds = vec!["document".into()]),
        ["record|document|A/70/174|title", "record|document|A/RES/53/70|summary", "record|document|A/RES/53/70|title"]
    );
    assert_eq!(run(&index, info, |r| r.kinds = vec!["document".into(), "speech".into()]).total, 7);
    assert_eq!(run(&index, info, |r| r.kinds = vec!["paragraph".into()]).total, 0);
    assert_eq!(
        keys(&index, info, |r| {
            r.from_year = Some(2007);
            r.to_year = Some(2013)
        }),
        ["speech|CHN|2013", "speech|EST|2007"]
    );
    assert_eq!(run(&index, info, |r| r.from_year = Some(2014)).total, 1);
    assert_eq!(run(&index, info, |r| r.to_year = Some(1998)).total, 4);
    assert_eq!(keys(&index, info, |r| r.state = Some("est".into())), ["speech|EST|2007"]);
    assert_eq!(
        keys(&index, info, |r| {
            r.state = Some("RUS".into());
            r.kinds = vec!["speech".into()];
            r.to_year = Some(1998);
        }),
        ["speech|RUS|1998"]
    );
    // Filters do not change scores.
    let plain = run(&index, "information", |_| {});
    let filtered = run(&index, "information", |r| r.state = Some("RUS".into()));
    let rus = plain.hits.iter().find(|h| h.target.key() == "speech|RUS|1998").unwrap();
    assert_eq!(filtered.hits[0].score, rus.score);
}

#[test]
fn paging_is_exact() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let docs: Vec<Doc> = (0..2345)
        .map(|i| {
            let text = format!("cyber {} norms {}", "filler ".repeat(i % 17), if i % 3 == 0 { "security" } else { "" });
            speech("ZZZ", 1946 + (i % 79) as i32, &text).with_key(i)
        })
        .collect();
    index.rebuild(ok(docs), &Stamp::new("9")).unwrap();
    let mut seen = std::collections::HashSet::new();
    let mut last_score = f32::INFINITY;
    let mut offset = 0;
    loop {
        let results = run(&index, "cyber", |r| {
            r.offset = offset;
            r.limit = 500;
        });
        assert_eq!(results.total, 2345, "offset {offset}");
        if results.hits.is_empty() {
            break;
        }
        for hit in &results.hits {
            assert!(hit.score <= last_score);
            last_score = hit.score;
            assert!(seen.insert(hit.target.key()), "{} twice", hit.target.key());
        }
        offset += results.hits.len();
    }
    assert_eq!(seen.len(), 2345);
    assert_eq!(run(&index, "security", |_| {}).total, 782);
    assert_eq!(run(&index, "security", |r| r.offset = 700).hits.len(), 82);
    assert_eq!(run(&index, "security", |r| r.offset = 5000).hits.len(), 0);
}

trait WithKey {
    fn with_key(self, i: usize) -> Doc;
}

impl WithKey for Doc {
    fn with_key(mut self, i: usize) -> Doc {
        self.target = Target::Paragraph { symbol: "A/RES/1".into(), number: i.to_string() };
        self
    }
}

#[test]
fn collapse_groups_the_fields_of_a_record() {
    let dir = tempfile::tempdir().unwrap();
    let index = index(dir.path());
    let plain = run(&index, "information", |_| {});
    assert_eq!(plain.total, 5);
    let collapsed = run(&index, "information", |r| r.collapse = true);
    assert_eq!(collapsed.total, 4);
    let record = collapsed.hits.iter().find(|h| matches!(&h.target, Target::Record { .. })).unwrap();
    let mut fields = vec![record.target.clone()];
    fields.extend(record.also.clone());
    fields.sort();
    assert_eq!(
        fields.iter().map(Target::key).collect::<Vec<_>>(),
        ["record|document|A/RES/53/70|summary", "record|document|A/RES/53/70|title"]
    );
    // The collapsed hit is the group's best document.
    let best = plain.hits.iter().find(|h| h.target.group_key() == record.target.group_key()).unwrap();
    assert_eq!(best.target, record.target);
    assert_eq!(best.score, record.score);
    // Paging over groups.
    let second = run(&index, "information", |r| {
        r.collapse = true;
        r.offset = 3;
        r.limit = 5;
    });
    assert_eq!((second.total, second.hits.len()), (4, 1));
}

#[test]
fn hits_carry_their_fields_and_an_escaped_snippet() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let mut doc = speech("FRA", 2019, "<script>alert(1)</script> The Paris Call & \"cyber\" peace");
    doc.title = "France <2019>".into();
    index.rebuild(ok(vec![doc]), &Stamp::new("3")).unwrap();
    let results = run(&index, "cyber* paris", |_| {});
    let hit = &results.hits[0];
    assert_eq!(hit.target, Target::Speech { state: "FRA".into(), year: 2019 });
    assert_eq!((hit.kind.as_str(), hit.title.as_str(), hit.year), ("speech", "France <2019>", Some(2019)));
    assert_eq!((hit.state.as_deref(), hit.link.as_str()), (Some("FRA"), "/speeches/FRA/2019"));
    assert_eq!(
        hit.snippet.to_html(),
        "&lt;script&gt;alert(1)&lt;/script&gt; The <mark>Paris</mark> Call &amp; &quot;<mark>cyber</mark>&quot; peace"
    );
    assert!(!hit.snippet.to_html().contains("<script"));
}

#[test]
fn revision_tags_each_commit() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    assert_eq!((index.revision(), index.stored_revision().unwrap()), (None, None));
    assert!(index.is_empty());
    index.rebuild(ok(corpus()), &Stamp::new("41")).unwrap();
    assert_eq!((index.revision(), index.stored_revision().unwrap()), (Some("41".to_string()), Some("41".to_string())));
    assert_eq!(run(&index, "cyber*", |_| {}).revision, Some("41".to_string()));

    // A second handle (another process) sees the new commit only after refresh.
    let other = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(other.revision(), Some("41".to_string()));
    let stats =
        index.replace_source("speeches", ok(vec![speech("DEU", 2020, "cyber diplomacy")]), &Stamp::new("42")).unwrap();
    assert_eq!((stats.documents, stats.revision.as_str()), (1, "42"));
    assert_eq!(other.revision(), Some("41".to_string()));
    assert_eq!(other.stored_revision().unwrap(), Some("42".to_string()));
    assert_eq!(run(&other, "cyber*", |_| {}).total, 3);
    assert_eq!(other.refresh().unwrap().map(|s| s.revision), Some("42".to_string()));
    assert_eq!(other.revision(), Some("42".to_string()));

    // The speeches were replaced, the knowledge-base documents kept.
    assert_eq!(keys(&other, "cyber*", |_| {}), ["record|document|A/70/174|title", "speech|DEU|2020"]);
    assert_eq!(other.len(), 4);
    drop((index, other));
    let reopened = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(reopened.revision(), Some("42".to_string()));
}

#[test]
fn a_failed_rebuild_leaves_the_old_index_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let index = index(dir.path());
    let before = run(&index, "cyber* OR information", |_| {});

    // The documents fail midway.
    let failing = (0..1000).map(|i| {
        if i == 600 { Err(std::io::Error::other("disk read failed")) } else { Ok(speech("XXX", 2000, "cyber")) }
    });
    let failing = failing.enumerate().map(|(i, d)| d.map(|d| d.with_key(i)));
    let error = index.rebuild(failing, &Stamp::new("2")).unwrap_err();
    assert!(matches!(error, SearchError::Source { indexed: 600, .. }), "{error}");
    assert!(error.to_string().contains("disk read failed"), "{error}");
    assert_eq!(run(&index, "cyber* OR information", |_| {}), before);
    assert_eq!(index.stored_revision().unwrap(), Some("1".to_string()));

    // An invalid document.
    let mut bad = corpus();
    bad[3].state = Some("China".into());
    let error = index.rebuild(ok(bad), &Stamp::new("3")).unwrap_err();
    assert_eq!(
        error.to_string(),
        "document speech|CHN|2013: field `state` is `China`, not an ISO3 code of three capital letters"
    );
    let mut twice = corpus();
    twice.push(corpus().remove(0));
    let error = index.rebuild(ok(twice), &Stamp::new("3")).unwrap_err();
    assert_eq!(error.to_string(), "document speech|USA|1998: field `target` appears twice");
    let error = index.replace_source("speeches", ok(corpus()), &Stamp::new("3")).unwrap_err();
    assert!(error.to_string().contains("field `source` is `kb` in a replacement of the sources speeches"), "{error}");

    assert_eq!(run(&index, "cyber* OR information", |_| {}), before);
    drop(index);
    let reopened = SearchIndex::open(dir.path()).unwrap();
    assert_eq!(reopened.revision(), Some("1".to_string()));
    assert_eq!(run(&reopened, "cyber* OR information", |_| {}), before);
    // And the next rebuild works.
    reopened.rebuild(ok(corpus()), &Stamp::new("5")).unwrap();
    assert_eq!(reopened.revision(), Some("5".to_string()));
}

const CRASH_DIR: &str = "NORMWATCH_SEARCH_CRASH_DIR";

/// Run by `a_killed_rebuild_leaves_the_old_index_searchable` in a child process: rebuilds
/// with endless documents until it is killed.
#[test]
#[ignore = "run as a child process by a_killed_rebuild_leaves_the_old_index_searchable"]
fn crash_child() {
    let Some(dir) = std::env::var_os(CRASH_DIR) else { return };
    let dir = Path::new(&dir);
    let index = SearchIndex::open_with(dir, WriterConfig { threads: 1, memory_bytes: 0 }).unwrap();
    let text = "cyber norms and critical infrastructure ".repeat(10);
    // tantivy queues at most 10,000 documents for its indexing threads: once 30,000 are
    // handed over, at least 20,000 have reached a segment being written to disk.
    let docs = (0..usize::MAX).map(|i| {
        if i == 30_000 {
            std::fs::write(dir.join("started"), "").unwrap();
        }
        Ok::<_, Infallible>(speech("KIL", 2000, &text).with_key(i))
    });
    index.rebuild(docs, &Stamp::new("99")).unwrap();
    unreachable!("the rebuild never ends");
}

#[test]
fn a_killed_rebuild_leaves_the_old_index_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let before = {
        let index = index(dir.path());
        run(&index, "cyber* OR information", |_| {})
    };
    let committed_files = std::fs::read_dir(dir.path()).unwrap().count();
    for wait_ms in [0, 150, 600] {
        let mut child = std::process::Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "crash_child", "--ignored", "--nocapture"])
            .env(CRASH_DIR, dir.path())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = dir.path().join("started");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !started.exists() {
            assert!(child.try_wait().unwrap().is_none(), "the child process ended before it started rebuilding");
            assert!(std::time::Instant::now() < deadline, "the child process did not start rebuilding");
            std::thread::sleep(std::time::Duration::from_millis(5));
        }
        std::thread::sleep(std::time::Duration::from_millis(wait_ms));
        child.kill().unwrap(); // SIGKILL
        child.wait().unwrap();
        std::fs::remove_file(&started).unwrap();
        // The child had written files of its unfinished rebuild: the kill hit real work.
        let files = std::fs::read_dir(dir.path()).unwrap().count();
        assert!(files > committed_files, "{files} files after the kill, {committed_files} before");

        let index = SearchIndex::open(dir.path()).unwrap();
        assert_eq!(index.revision(), Some("1".to_string()), "after a kill {wait_ms} ms into the rebuild");
        assert_eq!(run(&index, "cyber* OR information", |_| {}), before);
        assert_eq!(index.len(), 8);
    }
    // The lock died with the process: the next rebuild succeeds.
    let index = SearchIndex::open(dir.path()).unwrap();
    index.rebuild(ok(corpus()), &Stamp::new("2")).unwrap();
    assert_eq!(run(&index, "cyber* OR information", |_| {}).total, before.total);
}

#[test]
fn a_too_broad_prefix_is_an_error_not_a_cut() {
    let dir = tempfile::tempdir().unwrap();
    let index = SearchIndex::open(dir.path()).unwrap();
    let body: String = (0..5000).map(|i| format!("w{i} ")).collect();
    index.rebuild(ok(vec![speech("AAA", 2000, &body)]), &Stamp::new("1")).unwrap();
    let error = index.search(&SearchRequest::new(Query::parse("w*").unwrap(), 10)).unwrap_err();
    assert!(error.to_string().starts_with("`w*` matches 4097 different words in the index, more than 4096"), "{error}");
    // 1000 expansions are fine.
    assert_eq!(run(&index, "w1*", |_| {}).total, 1);
}
