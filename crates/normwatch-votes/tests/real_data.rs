//! The readers on the real datasets (see `common` for where they are and the policy when
//! they are missing).

mod common;

use normwatch_core::Iso3;
use normwatch_core::domain::{VoteCounts, VoteValue};

use common::{data_dir, scrape, unvotes};

fn iso(code: &str) -> Iso3 {
    Iso3::parse(code).unwrap()
}

#[test]
fn unvotes_reads_whole() {
    let Some(dir) = data_dir("unvotes_reads_whole") else { return };
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
    let Some(dir) = data_dir("the_scrape_reads_whole") else { return };
    let started = std::time::Instant::now();
    let parsed = scrape(&dir);
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
    let Some(dir) = data_dir("the_two_datasets_cross_check") else { return };
    let unvotes = unvotes(&dir);
    let scrape = scrape(&dir);
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

/// The 2026-layout fixture was built from the scrape's row for A/RES/ES-10/19: read back by
/// the official reader, it agrees with the scrape state by state.
#[test]
fn the_official_fixture_agrees_with_the_scrape() {
    let Some(dir) = data_dir("the_official_fixture_agrees_with_the_scrape") else { return };
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/undl-ga-voting-2026-layout.csv");
    let official =
        normwatch_votes::formats::read_official(common::open(fixture.into())).unwrap_or_else(|e| panic!("{e}"));
    let check = normwatch_votes::crosscheck::crosscheck(&official.table, &scrape(&dir).table);
    assert_eq!((check.shared, check.agreeing), (1, 1), "{:?}", check.disagreements);
}
