//! Tests as data over the real inputs: every distinct symbol the two vote datasets write
//! (unvotes 0.3.0 and the 2021 UN Digital Library scrape) parses, and a resolution's
//! adoption vote that both datasets hold canonicalises to the same symbol in each.
//!
//! The spellings that do not parse, and the shared roll calls whose symbols differ because
//! the datasets themselves differ, are listed with their reasons in `tests/data/`; the test
//! fails when a listed entry parses or agrees (the list is stale) as well as when a new one
//! appears.

mod common;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use normwatch_core::Symbol;
use normwatch_votes::crosscheck::crosscheck;
use normwatch_votes::model::{RollCall, VoteTable, adoption_vote};

use common::{data_dir, scrape, unvotes};

/// `text<TAB>reason` lines, `#` comments.
fn listed(file: &str) -> BTreeMap<String, String> {
    file.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|l| {
            let (key, reason) = l.rsplit_once('\t').unwrap_or_else(|| panic!("no reason after a tab: {l:?}"));
            assert!(!reason.trim().is_empty(), "an empty reason: {l:?}");
            (key.to_string(), reason.to_string())
        })
        .collect()
}

#[test]
fn every_distinct_symbol_parses() {
    let Some(dir) = data_dir("every_distinct_symbol_parses") else { return };
    let expected = listed(include_str!("data/unparsed-symbols.tsv"));
    let mut failing = BTreeMap::new();
    let mut report = Vec::new();
    for parsed in [unvotes(&dir), scrape(&dir)] {
        let table = &parsed.table;
        let texts: BTreeSet<&str> = table.roll_calls.iter().map(|r| r.symbol_text.trim()).collect();
        let empty = usize::from(texts.contains(""));
        let mut parsed_count = 0;
        for text in texts.iter().filter(|t| !t.is_empty()) {
            match Symbol::parse(text) {
                Ok(_) => parsed_count += 1,
                Err(e) => {
                    failing.insert(text.to_string(), e.reason);
                }
            }
        }
        let blank = table.roll_calls.iter().filter(|r| r.symbol_text.trim().is_empty()).count();
        report.push(format!(
            "{}: {} distinct spellings, {parsed_count} parse, {} listed as not symbols, {blank} roll calls without one",
            table.dataset,
            texts.len() - empty,
            texts.len() - empty - parsed_count
        ));
    }
    eprintln!("{}", report.join("\n"));
    let unexpected: Vec<String> =
        failing.iter().filter(|(t, _)| !expected.contains_key(*t)).map(|(t, e)| format!("{t}\t{e}")).collect();
    let stale: Vec<&String> = expected.keys().filter(|t| !failing.contains_key(*t)).collect();
    assert!(unexpected.is_empty(), "spellings in the datasets that do not parse:\n{}", unexpected.join("\n"));
    assert!(stale.is_empty(), "listed in unparsed-symbols.tsv but they parse now: {stale:?}");
}

/// Each resolution's adoption vote in a table, by canonical symbol.
fn adoption_votes(table: &VoteTable) -> Vec<&RollCall> {
    let mut by_symbol: HashMap<&Symbol, Vec<&RollCall>> = HashMap::new();
    for roll_call in &table.roll_calls {
        if roll_call.is_resolution()
            && let Some(symbol) = &roll_call.symbol
        {
            by_symbol.entry(symbol).or_default().push(roll_call);
        }
    }
    by_symbol.values().filter_map(|list| adoption_vote(list)).collect()
}

/// A roll call's key for pairing without trusting the full symbol: the whole resolution
/// (part letters and section removed) and the yes, no and abstain counts.
type Key = (Symbol, u32, u32, u32);

fn keyed(votes: &[&RollCall]) -> HashMap<Key, Vec<Symbol>> {
    let mut out: HashMap<Key, Vec<Symbol>> = HashMap::new();
    for r in votes {
        let symbol = r.symbol.clone().expect("adoption votes have symbols");
        out.entry((symbol.whole(), r.totals.yes, r.totals.no, r.totals.abstain)).or_default().push(symbol);
    }
    out
}

/// Why two symbols of one roll call differ. `None`: the same characters read two ways (a
/// parser's fault: `R/42/209/C` as section C beside `A/RES/42/209C`).
fn difference(unvotes: &Symbol, scrape: &Symbol) -> Option<&'static str> {
    let characters = |s: &Symbol| format!("{}{}", s.part_letters().unwrap_or(""), s.section().unwrap_or(""));
    if characters(unvotes) == characters(scrape) {
        return None;
    }
    let shape = |s: &Symbol| (s.part_letters().is_some(), s.section().is_some());
    Some(match (shape(unvotes), shape(scrape)) {
        ((true, false), (true, false)) => "the datasets letter the parts differently",
        ((false, true), (false, true)) => "the datasets number the sections differently",
        ((false, false), _) | (_, (false, false)) => "one dataset names a part or section, the other the whole",
        ((true, false), (false, true)) => "unvotes letters as parts what the scrape numbers as sections",
        _ => "the datasets name different parts and sections",
    })
}

#[test]
fn shared_adoption_votes_have_one_symbol() {
    let Some(dir) = data_dir("shared_adoption_votes_have_one_symbol") else { return };
    let expected = listed(include_str!("data/symbol-disagreements.tsv"));
    let (left, right) = (unvotes(&dir), scrape(&dir));
    let (left_votes, right_votes) = (adoption_votes(&left.table), adoption_votes(&right.table));
    let (left_keys, right_keys) = (keyed(&left_votes), keyed(&right_votes));
    // Pair where the resolution and its counts identify one roll call on each side.
    let mut pairs = 0u32;
    let mut misread = Vec::new();
    let mut differing = BTreeMap::new();
    for (key, l) in &left_keys {
        let Some(r) = right_keys.get(key) else { continue };
        if l.len() != 1 || r.len() != 1 {
            continue;
        }
        pairs += 1;
        if l[0] == r[0] {
            continue;
        }
        match difference(&l[0], &r[0]) {
            None => misread.push(format!("{}\t{}", l[0], r[0])),
            Some(why) => {
                differing.insert(format!("{}\t{}", l[0], r[0]), why.to_string());
            }
        }
    }
    // The evidence for reading a lone I after the number as a section (see
    // `normwatch_core::symbol`): unvotes' R/31/208/I and R/34/233/I, and the scrape's
    // A/RES/31/208[I] and A/RES/34/233[I] beside sections of the same resolutions, are one
    // symbol each, with the same counts on both sides.
    for (rcid, symbol) in [("1738", "A/RES/31/208/I"), ("2083", "A/RES/34/233/I")] {
        let l = left.table.roll_calls.iter().find(|r| r.record == rcid).expect("the unvotes roll call");
        assert_eq!(l.symbol.as_ref().map(|s| s.to_string()).as_deref(), Some(symbol), "rcid {rcid}");
        let r = right.table.roll_calls.iter().find(|r| r.symbol == l.symbol).expect("the scrape's roll call");
        assert_eq!((r.totals.yes, r.totals.no, r.totals.abstain), (l.totals.yes, l.totals.no, l.totals.abstain));
    }
    let check = crosscheck(&left.table, &right.table);
    eprintln!(
        "adoption votes: unvotes {}, scrape {}; paired by resolution and counts {pairs}: {} with one symbol, {} \
         with symbols the datasets themselves give differently, {} read two ways; the cross-check (by symbol) \
         shares {}",
        left_votes.len(),
        right_votes.len(),
        pairs as usize - differing.len() - misread.len(),
        differing.len(),
        misread.len(),
        check.shared
    );
    assert!(
        misread.is_empty(),
        "one roll call, one spelling, two canonical symbols (unvotes, scrape):\n{}",
        misread.join("\n")
    );
    let unexpected: Vec<String> = differing
        .iter()
        .filter(|(k, why)| expected.get(*k) != Some(why))
        .map(|(k, why)| format!("{k}\t{why}"))
        .collect();
    let stale: Vec<&String> = expected.keys().filter(|k| !differing.contains_key(*k)).collect();
    assert!(
        unexpected.is_empty(),
        "shared roll calls with different symbols, not in symbol-disagreements.tsv:\n{}",
        unexpected.join("\n")
    );
    assert!(stale.is_empty(), "listed in symbol-disagreements.tsv but they agree now (or no longer pair): {stale:?}");
    assert!(pairs > 3000, "{pairs} pairs: the pairing found too few shared roll calls to mean anything");
    assert!(
        check.shared as usize >= pairs as usize - differing.len(),
        "the cross-check shares fewer roll calls than the pairing finds with one symbol"
    );
}
