//! The readers on the real datasets in `../shared/data` (override with
//! `NORMWATCH_SHARED_DATA`). Skipped, with a message, where the data is absent.

use std::fs::File;
use std::path::PathBuf;

use normwatch_core::Iso3;
use normwatch_core::domain::{VoteCounts, VoteValue};
use normwatch_votes::formats::{read_scrape, read_unvotes};
use normwatch_votes::{Input, Parsed};

fn data_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("NORMWATCH_SHARED_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data")));
    if dir.join("unvotes-voeten/un_votes.csv.gz").is_file() {
        Some(dir)
    } else {
        eprintln!("skipped: no shared data at {}", dir.display());
        None
    }
}

fn open(path: PathBuf) -> Input<File> {
    let name = path.file_name().unwrap().to_string_lossy().into_owned();
    Input::new(name, File::open(&path).unwrap())
}

fn unvotes(dir: &std::path::Path) -> Parsed {
    let base = dir.join("unvotes-voeten");
    read_unvotes(
        open(base.join("un_roll_calls.csv.gz")),
        open(base.join("un_votes.csv.gz")),
        Some(open(base.join("un_roll_call_issues.csv.gz"))),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn iso(code: &str) -> Iso3 {
    Iso3::parse(code).unwrap()
}

#[test]
fn unvotes_reads_whole() {
    let Some(dir) = data_dir() else { return };
    let started = std::time::Instant::now();
    let parsed = unvotes(&dir);
    eprintln!("unvotes read in {:?}; notes: {:?}", started.elapsed(), parsed.notes);
    let table = &parsed.table;
    assert_eq!(table.roll_calls.len(), 6202);
    assert_eq!(parsed.rows[1].1, 869_937);
    assert_eq!(table.vote_count(), 869_937, "every vote row lands in its own cell");
    let rc = table.roll_calls.iter().find(|r| r.record == "4618").unwrap();
    assert_eq!(rc.symbol.as_ref().unwrap().to_string(), "A/RES/60/45");
    assert_eq!(rc.totals, VoteCounts { yes: 177, no: 1, abstain: 0, non_voting: None });
    assert_eq!(rc.states_voting(VoteValue::No), vec![iso("USA")]);
    let rc = table.roll_calls.iter().find(|r| r.symbol_text == "A/RES/74/247").unwrap();
    assert_eq!(rc.totals, VoteCounts { yes: 79, no: 60, abstain: 33, non_voting: None });
    assert!(rc.vote(iso("SRB")).is_some(), "Yugoslavia's label in 2019 is Serbia's vote");
    assert_eq!(rc.vote(iso("NAM")), Some(VoteValue::Yes), "NA is Namibia");
}

#[test]
fn the_scrape_reads_whole() {
    let Some(dir) = data_dir() else { return };
    let started = std::time::Instant::now();
    let parsed =
        read_scrape(open(dir.join("undl-voting-scrape-2021/UN DATA.csv.gz"))).unwrap_or_else(|e| panic!("{e}"));
    eprintln!("scrape read in {:?}; notes: {:?}", started.elapsed(), parsed.notes);
    let table = &parsed.table;
    assert_eq!(table.roll_calls.len(), 7855);
    for rc in &table.roll_calls {
        assert_eq!(rc.counted(), rc.totals, "{} line {}", rc.record_ref(), rc.line);
    }
    let rc = table.roll_calls.iter().find(|r| r.symbol_text == "A/RES/75/240").unwrap();
    assert_eq!(rc.totals, VoteCounts { yes: 92, no: 50, abstain: 21, non_voting: Some(30) });
    assert_eq!(rc.record_ref(), "token=3896180");
}

#[test]
fn the_two_datasets_cross_check() {
    let Some(dir) = data_dir() else { return };
    let unvotes = unvotes(&dir);
    let scrape =
        read_scrape(open(dir.join("undl-voting-scrape-2021/UN DATA.csv.gz"))).unwrap_or_else(|e| panic!("{e}"));
    let check = normwatch_votes::crosscheck::crosscheck(&unvotes.table, &scrape.table);
    let totals = check.disagreements.iter().filter(|d| d.totals_differ).count();
    let dates = check.disagreements.iter().filter(|d| d.dates_differ).count();
    let states = check.disagreements.iter().filter(|d| !d.states.is_empty()).count();
    eprintln!(
        "shared {} agreeing {} only unvotes {} only scrape {}; totals differ {totals}, dates {dates}, states {states}",
        check.shared, check.agreeing, check.only_left, check.only_right
    );
    for d in check.disagreements.iter().filter(|d| d.dates_differ).step_by(300) {
        eprintln!(
            "{} {:?} {:?} {} {:?}",
            d.symbol,
            d.left,
            d.right,
            d.states.len(),
            d.states.iter().take(4).collect::<Vec<_>>()
        );
    }
    assert!(check.shared > 4000, "{}", check.shared);
    // The cyber votes the knowledge base cites agree in both datasets.
    for symbol in ["A/RES/60/45", "A/RES/73/27", "A/RES/73/266", "A/RES/74/247"] {
        let symbol = normwatch_core::Symbol::parse(symbol).unwrap();
        assert!(!check.disagreements.iter().any(|d| d.symbol == symbol && d.totals_differ), "{symbol}");
    }
}
