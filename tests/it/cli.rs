//! The command-line contract, end to end: the built binary, a real SQLite file.

use crate::support::{TestDb, copy_dir, normwatch};
use serde_json::Value;

fn fixture_kb() -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/kb").to_string()
}

/// The exact field names of `normwatch show --json`; scripts depend on them.
const CONTRACT_FIELDS: &[&str] = &[
    "symbol",
    "kind",
    "title",
    "body",
    "committee",
    "stream",
    "series",
    "adopted_on",
    "issued_on",
    "modality",
    "votes",
    "voted_no",
    "sponsorship",
    "annex_items",
    "sources",
    "conflicts",
];

#[test]
fn show_json_keeps_the_contract_on_a_fixture() {
    let db = TestDb::new();
    db.ok(&["init", "--kb", &fixture_kb()]);
    let doc = db.json(&["show", "A/RES/53/70", "--json"]);
    for field in CONTRACT_FIELDS {
        assert!(doc.get(field).is_some(), "`{field}` is missing from {doc:#}");
    }
    insta::assert_json_snapshot!("show_53_70_fixture", doc);

    let draft = db.json(&["show", "A/C.1/61/L.35", "--json"]);
    insta::assert_json_snapshot!("show_61_l35_fixture", draft);
    let culture = db.json(&["show", "A/RES/57/239", "--json"]);
    insta::assert_json_snapshot!("show_57_239_fixture", culture);
}

#[test]
fn global_options_go_before_or_after_the_subcommand() {
    let db = TestDb::sqlite();
    let path = db.path().display().to_string();
    let kb = fixture_kb();
    let init = normwatch(&["init", "--kb", &kb, "--db", &path]);
    assert!(init.status.success(), "{}", String::from_utf8_lossy(&init.stderr));
    let after = normwatch(&["show", "A/RES/53/70", "--db", &path, "--json"]);
    let before = normwatch(&["--json", "--db", &path, "show", "A/RES/53/70"]);
    assert!(after.status.success() && before.status.success());
    assert_eq!(after.stdout, before.stdout);
    // R/53/70 is the unvotes spelling of the same document.
    let voeten = normwatch(&["--db", &path, "show", "R/53/70", "--json"]);
    assert_eq!(voeten.stdout, after.stdout);
}

#[test]
fn an_unknown_symbol_exits_3_and_suggests_near_matches() {
    let db = TestDb::new();
    db.ok(&["init", "--kb", &fixture_kb()]);
    let output = db.run(&["show", "A/RES/53/71"]);
    assert_eq!(output.status.code(), Some(3));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no document A/RES/53/71"), "{stderr}");
    assert!(stderr.contains("did you mean: A/RES/53/70"), "{stderr}");

    let json = db.run(&["show", "A/RES/53/71", "--json"]);
    assert_eq!(json.status.code(), Some(3));
    let body: Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(body["suggestions"][0], "A/RES/53/70");

    let malformed = db.run(&["show", "A/RES/fifty"]);
    assert_eq!(malformed.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&malformed.stderr).contains("not a UN document symbol"));
}

#[test]
fn a_malformed_knowledge_base_is_reported_with_file_and_line_and_loads_nothing() {
    let db = TestDb::new();
    db.ok(&["init", "--kb", &fixture_kb()]);
    let before = db.json(&["show", "A/RES/53/70", "--json"]);

    let broken = tempfile::tempdir().unwrap();
    copy_dir(std::path::Path::new(&fixture_kb()), broken.path());
    let doc = broken.path().join("documents/first.toml");
    let text = std::fs::read_to_string(&doc)
        .unwrap()
        .replace("adopted_on = \"1998-12-04\"", "adopted_on = \"4 December 1998\"");
    std::fs::write(&doc, text).unwrap();

    let output = db.run(&["init", "--kb", &broken.path().display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("documents/first.toml:19:16: `4 December 1998`"), "names file, line and column: {stderr}");
    assert!(stderr.contains("YYYY-MM-DD"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    // The database still holds the previous knowledge base.
    assert_eq!(db.json(&["show", "A/RES/53/70", "--json"]), before);
}

#[test]
fn an_unwritable_database_path_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("plain-file");
    std::fs::write(&file, "x").unwrap();
    let path = file.join("normwatch.sqlite").display().to_string();
    let output = normwatch(&["--db", &path, "init"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--db PATH"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn kb_check_validates_a_folder_without_a_database() {
    let ok = normwatch(&["kb", "check", "--kb", &fixture_kb()]);
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
    let missing = normwatch(&["kb", "check", "--kb", "/nonexistent/kb"]);
    assert_eq!(missing.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("is not a folder"));
}

#[test]
fn the_coverage_document_is_current() {
    let output = normwatch(&["kb", "coverage", "--kb", &crate::support::kb_dir().display().to_string()]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let generated = String::from_utf8(output.stdout).unwrap();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/coverage.md");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        generated == committed,
        "docs/coverage.md is stale: run `cargo run -- kb coverage --kb kb > docs/coverage.md`"
    );
}

#[test]
fn the_default_database_lives_in_the_data_directory_and_loads_the_built_in_kb_on_first_use() {
    let home = tempfile::tempdir().unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_normwatch"))
        .args(["show", "A/RES/53/70", "--json"])
        .env_remove("NORMWATCH_DB")
        .env("XDG_DATA_HOME", home.path())
        .env("HOME", home.path())
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let db = home.path().join("normwatch/normwatch.sqlite");
    assert!(db.is_file(), "the database is created at {}", db.display());
    let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(doc["symbol"], "A/RES/53/70");
}

#[test]
fn the_real_knowledge_base_answers_the_contract_with_sourced_facts_and_conflicts() {
    let db = TestDb::new();
    db.ok(&["init"]);
    for symbol in ["A/RES/53/70", "A/RES/57/239", "A/RES/64/211"] {
        let doc = db.json(&["show", symbol, "--json"]);
        assert_eq!(doc["symbol"], symbol);
        assert_eq!(doc["kind"], "resolution");
        assert!(doc["title"].is_string(), "{symbol} has a title");
        let sources = doc["sources"].as_array().unwrap();
        assert!(sources.iter().any(|s| s["basis"] == "seed"), "{symbol} cites a seed");
        assert!(sources.iter().all(|s| s["source"].is_string() && s["basis"].is_string()));
    }
    // The seeds disagree on when 53/70 was adopted (Maurer gives the issue date).
    let first = db.json(&["show", "A/RES/53/70", "--json"]);
    let conflict =
        first["conflicts"].as_array().unwrap().iter().find(|c| c["field"] == "adopted_on").expect("a date conflict");
    let values: Vec<&str> =
        conflict["claims"].as_array().unwrap().iter().map(|c| c["value"].as_str().unwrap()).collect();
    assert!(values.contains(&"1998-12-04") && values.contains(&"1999-01-04"), "{values:?}");
    assert_eq!(first["committee"], "First");
    assert_eq!(first["stream"], "politico-military");
    assert_eq!(first["sponsorship"]["introduced_by"], serde_json::json!(["RUS"]));

    // The annexes: nine elements of 57/239, eighteen items of the 64/211 tool.
    assert_eq!(db.json(&["show", "A/RES/57/239", "--json"])["annex_items"], 9);
    let tool = db.json(&["show", "A/RES/64/211", "--json"]);
    assert_eq!(tool["annex_items"], 18);
    let conflicts: Vec<&str> =
        tool["conflicts"].as_array().unwrap().iter().map(|c| c["field"].as_str().unwrap()).collect();
    assert!(conflicts.contains(&"cosponsor_count"), "'on behalf of 39' read two ways: {conflicts:?}");
    assert_eq!(db.json(&["show", "A/66/359", "--json"])["annex_items"], 11, "the code of conduct's pledges (a)–(k)");
}

#[test]
fn series_groups_and_stats_keep_their_contracts() {
    let db = TestDb::new();
    db.ok(&["init"]);
    let series = db.json(&["series", "list", "--json"]);
    let first = series
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "ga-first-ict-security")
        .expect("the First Committee series");
    for field in ["id", "title", "committee", "stream", "documents"] {
        assert!(first.get(field).is_some(), "series lacks `{field}`");
    }
    let documents: Vec<&str> = first["documents"].as_array().unwrap().iter().map(|d| d.as_str().unwrap()).collect();
    let position = |s: &str| documents.iter().position(|d| *d == s).unwrap_or_else(|| panic!("{s} in the series"));
    assert!(position("A/RES/53/70") < position("A/RES/60/45") && position("A/RES/60/45") < position("A/RES/65/41"));

    let groups = db.json(&["groups", "--json"]);
    let gge = groups.as_array().unwrap().iter().find(|g| g["id"] == "gge-2004").expect("the first GGE");
    for field in [
        "id",
        "name",
        "body",
        "established_by",
        "start_year",
        "end_year",
        "members",
        "member_count",
        "chair",
        "report",
        "outcome",
    ] {
        assert!(gge.get(field).is_some(), "group lacks `{field}`");
    }
    assert_eq!(gge["chair"], "RUS");
    assert_eq!(gge["outcome"], "no_consensus");
    assert_eq!(gge["member_count"], 15);
    let outcomes = ["consensus_report", "no_consensus", "ongoing", "other"];
    assert!(
        groups
            .as_array()
            .unwrap()
            .iter()
            .all(|g| g["outcome"].is_null() || outcomes.contains(&g["outcome"].as_str().unwrap()))
    );

    let stats = db.json(&["kb", "stats", "--json"]);
    assert!(stats["records"]["document"].as_u64().unwrap() > 100);
    assert!(stats["facts_by_basis"]["seed"].as_u64().unwrap() > 0);
    assert!(stats["conflicts"].as_u64().unwrap() > 0, "the seeds' disagreements are counted");
}
