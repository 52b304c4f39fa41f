//! Every claim the knowledge base infers from a record's absence from a dataset
//! (`undl-scrape-2021 absent`) is checked against the dataset itself: the record really is
//! absent. The loader checks the rest (declared coverage, dates, what may be inferred).

use std::collections::BTreeSet;
use std::io::Read;

use normwatch_core::Symbol;
use normwatch_core::kb::{FactValue, Kb, SourceRef, load};

fn knowledge_base() -> Kb {
    let root = crate::support::kb_dir();
    let files = normwatch_store::kb_files::from_folder(&root).expect("the kb folder reads");
    load(&files).unwrap_or_else(|e| panic!("{e}"))
}

/// The symbols of the scrape's `Resolution` column (resolutions and, in a few rows, drafts).
fn scrape_symbols() -> Option<BTreeSet<Symbol>> {
    let data = crate::support::shared_data("kb_inferences")?;
    let path = data.join("undl-voting-scrape-2021/UN DATA.csv.gz");
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(&path).unwrap()).read_to_string(&mut text).unwrap();
    let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let column = reader.headers().unwrap().iter().position(|h| h == "Resolution").expect("a Resolution column");
    Some(reader.records().filter_map(|row| Symbol::parse(row.unwrap().get(column)?.trim()).ok()).collect())
}

#[test]
fn every_inference_from_absence_names_a_record_the_dataset_lacks() {
    let kb = knowledge_base();
    let Some(symbols) = scrape_symbols() else { return };
    assert!(symbols.len() > 7000, "the scrape should hold about 7,855 rows, found {}", symbols.len());
    let mut inferred = 0;
    for record in &kb.records {
        for claim in record.claims.iter().filter(|c| c.source.is_inference()) {
            let SourceRef::Dataset { id, .. } = &claim.source else { unreachable!() };
            assert_eq!(id, "undl-scrape-2021", "only the scrape's absences are checked here");
            let symbol = Symbol::parse(&record.id).unwrap();
            assert!(
                !symbols.contains(&symbol),
                "{} is in the scrape, yet {} infers its absence",
                record.id,
                claim.origin
            );
            for draft in record.claims_for("draft") {
                if let FactValue::Symbol(draft) = &draft.value {
                    assert!(!symbols.contains(draft), "the draft {draft} of {} is in the scrape", record.id);
                }
            }
            inferred += 1;
        }
    }
    assert!(inferred > 0, "the knowledge base should hold inferences from the scrape's coverage");
}
