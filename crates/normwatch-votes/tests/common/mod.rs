//! Where the real datasets are, for the tests that read them.
//!
//! The shared folder is `NORMWATCH_SHARED` (default: `../shared` beside the workspace), with
//! the datasets under its `data/`. A test that needs them fails with a message when they are
//! absent, unless `NORMWATCH_SKIP_REAL_DATA=1` is set: then it says that it skips.

#![allow(dead_code)]

use std::fs::File;
use std::path::{Path, PathBuf};

use normwatch_votes::formats::{read_scrape, read_unvotes};
use normwatch_votes::{Input, Parsed};

pub const UNVOTES: [&str; 3] = [
    "unvotes-voeten/un_roll_calls.csv.gz",
    "unvotes-voeten/un_votes.csv.gz",
    "unvotes-voeten/un_roll_call_issues.csv.gz",
];
pub const SCRAPE: &str = "undl-voting-scrape-2021/UN DATA.csv.gz";

/// The shared data folder, if every file the tests read is there; `None` (with a line on
/// stderr) only where `NORMWATCH_SKIP_REAL_DATA=1` asks to skip. Panics otherwise.
pub fn data_dir(test: &str) -> Option<PathBuf> {
    let shared = std::env::var_os("NORMWATCH_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared")));
    let dir = shared.join("data");
    let missing: Vec<String> = UNVOTES
        .iter()
        .chain([&SCRAPE])
        .filter(|f| !dir.join(f).is_file())
        .map(|f| dir.join(f).display().to_string())
        .collect();
    if missing.is_empty() {
        return Some(dir);
    }
    if std::env::var("NORMWATCH_SKIP_REAL_DATA").as_deref() == Ok("1") {
        eprintln!("skipped {test}: NORMWATCH_SKIP_REAL_DATA=1 and the real data is missing ({})", missing.join(", "));
        return None;
    }
    panic!(
        "{test} needs the real datasets, and these files are missing: {}. Set NORMWATCH_SHARED to the folder \
         holding data/, or NORMWATCH_SKIP_REAL_DATA=1 to skip the tests that need them",
        missing.join(", ")
    );
}

pub fn open(path: PathBuf) -> Input<File> {
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let file = File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Input::new(name, file)
}

pub fn unvotes(dir: &Path) -> Parsed {
    read_unvotes(open(dir.join(UNVOTES[0])), open(dir.join(UNVOTES[1])), Some(open(dir.join(UNVOTES[2]))))
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn scrape(dir: &Path) -> Parsed {
    read_scrape(open(dir.join(SCRAPE))).unwrap_or_else(|e| panic!("{e}"))
}
