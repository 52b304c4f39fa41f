//! `normwatch export dataset DIR` on the real knowledge base and the real vote datasets:
//! the package validates against its own descriptor (every table's schema matches its
//! file's columns, types and vocabularies hold, primary keys are unique, foreign keys
//! resolve), each Parquet file reads back equal to its CSV, and exporting twice (formats
//! named in another order) gives identical files. On the backend the environment names.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::support::{TestDb, shared_data};

fn read_csv(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let header = reader.headers().unwrap().iter().map(str::to_string).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    (header, rows)
}

fn hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

fn check_type(kind: &str, value: &str) -> bool {
    match kind {
        "string" => true,
        "integer" => value.parse::<i64>().is_ok(),
        "boolean" => value == "true" || value == "false",
        "date" => value.len() == 10 && value.parse::<normwatch_core::domain::Date>().is_ok(),
        other => panic!("unexpected type {other}"),
    }
}

/// Validates the package in `dir` against its descriptor; returns each table's CSV.
fn validate(dir: &Path) -> BTreeMap<String, (Vec<String>, Vec<Vec<String>>)> {
    let descriptor: Value = serde_json::from_slice(&std::fs::read(dir.join("datapackage.json")).unwrap()).unwrap();
    assert_eq!(descriptor["profile"], "tabular-data-package");
    let mut tables = BTreeMap::new();
    for resource in descriptor["resources"].as_array().unwrap() {
        let name = resource["name"].as_str().unwrap().to_string();
        let path = dir.join(resource["path"].as_str().unwrap());
        assert_eq!(resource["format"], "csv", "{name}");
        let bytes = std::fs::read(&path).unwrap();
        assert_eq!(resource["bytes"].as_u64(), Some(bytes.len() as u64), "{name}");
        assert_eq!(resource["hash"].as_str().unwrap(), format!("sha256:{}", hex(&bytes)), "{name}");
        let (header, rows) = read_csv(&path);
        let fields = resource["schema"]["fields"].as_array().unwrap();
        let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
        assert_eq!(header, names, "{name}: the CSV's header is the schema's fields");
        assert_eq!(resource["rows"].as_u64(), Some(rows.len() as u64), "{name}");
        for field in fields {
            assert!(!field["description"].as_str().unwrap().is_empty(), "{name}.{}", field["name"]);
        }
        for (r, row) in rows.iter().enumerate() {
            assert_eq!(row.len(), fields.len(), "{name} row {r}");
            for (value, field) in row.iter().zip(fields) {
                let constraints = &field["constraints"];
                if value.is_empty() {
                    assert_ne!(constraints["required"], true, "{name} row {r}: {} is required", field["name"]);
                    continue;
                }
                assert!(
                    check_type(field["type"].as_str().unwrap(), value),
                    "{name} row {r}: {} = {value}",
                    field["name"]
                );
                if let Some(allowed) = constraints["enum"].as_array() {
                    assert!(allowed.iter().any(|a| a == value.as_str()), "{name} row {r}: {} = {value}", field["name"]);
                }
            }
        }
        let key: Vec<usize> = resource["schema"]["primaryKey"]
            .as_array()
            .map(|k| k.iter().map(|f| names.iter().position(|n| *n == f.as_str().unwrap()).unwrap()).collect())
            .unwrap_or_default();
        assert!(!key.is_empty(), "{name} has a primary key");
        let mut seen = HashSet::new();
        for row in &rows {
            let tuple: Vec<&str> = key.iter().map(|&i| row[i].as_str()).collect();
            assert!(seen.insert(tuple.clone()), "{name}: primary key {tuple:?} twice");
        }
        // The other formats: Parquet reads back as the CSV, JSON holds the same rows.
        for alternate in resource["alternates"].as_array().unwrap() {
            let other = dir.join(alternate["path"].as_str().unwrap());
            let bytes = std::fs::read(&other).unwrap();
            assert_eq!(alternate["hash"].as_str().unwrap(), format!("sha256:{}", hex(&bytes)));
            match alternate["format"].as_str().unwrap() {
                "parquet" => {
                    let (pheader, prows) = normwatch_dataset::read_parquet(&other).unwrap();
                    assert_eq!(pheader, header, "{name}.parquet columns");
                    assert!(prows == rows, "{name}.parquet differs from {name}.csv");
                }
                "json" => {
                    let json: Value = serde_json::from_slice(&bytes).unwrap();
                    assert_eq!(json.as_array().unwrap().len(), rows.len(), "{name}.json");
                }
                other => panic!("{other}"),
            }
        }
        tables.insert(name, (header, rows));
    }
    // Foreign keys resolve.
    for resource in descriptor["resources"].as_array().unwrap() {
        let name = resource["name"].as_str().unwrap();
        let Some(keys) = resource["schema"]["foreignKeys"].as_array() else { continue };
        for key in keys {
            let target = key["reference"]["resource"].as_str().unwrap();
            let column =
                |table: &str, field: &Value| tables[table].0.iter().position(|h| h == field.as_str().unwrap()).unwrap();
            let from: Vec<usize> = key["fields"].as_array().unwrap().iter().map(|f| column(name, f)).collect();
            let to: Vec<usize> =
                key["reference"]["fields"].as_array().unwrap().iter().map(|f| column(target, f)).collect();
            let targets: HashSet<Vec<&str>> =
                tables[target].1.iter().map(|row| to.iter().map(|&i| row[i].as_str()).collect()).collect();
            for row in &tables[name].1 {
                let tuple: Vec<&str> = from.iter().map(|&i| row[i].as_str()).collect();
                if tuple.iter().all(|v| v.is_empty()) {
                    continue;
                }
                assert!(targets.contains(&tuple), "{name} -> {target}: {tuple:?} is not there");
            }
        }
    }
    tables
}

fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p: PathBuf| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read(&p).unwrap()))
        .collect()
}

#[test]
fn the_exported_dataset_validates_reads_back_and_is_the_same_twice() {
    let Some(data) = shared_data("the_exported_dataset_validates_reads_back_and_is_the_same_twice") else { return };
    let db = TestDb::new();
    db.ok(&["init"]);
    db.ok(&["import", "votes", data.join("unvotes-voeten").to_str().unwrap()]);
    db.ok(&["import", "votes", data.join("undl-voting-scrape-2021/UN DATA.csv.gz").to_str().unwrap()]);
    let (first, second) = (db.dir.path().join("one"), db.dir.path().join("two"));
    // CSV and Parquet only: the JSON of the votes alone is over 100 MB (its writer is tested
    // in normwatch-dataset), and two exports are on disk at once.
    let summary = db.json(&["--json", "export", "dataset", first.to_str().unwrap(), "--format", "csv,parquet"]);
    db.ok(&["export", "dataset", second.to_str().unwrap(), "--format", "parquet,csv"]);
    let (a, b) = (files(&first), files(&second));
    assert_eq!(a.keys().collect::<Vec<_>>(), b.keys().collect::<Vec<_>>());
    for (name, bytes) in &a {
        assert!(bytes == &b[name], "{name} differs between two exports of the same database");
    }
    for table in
        ["documents", "sponsorships", "rollcalls", "votes", "groups", "group_members", "norms", "crosswalk", "sources"]
    {
        for ext in ["csv", "parquet"] {
            assert!(a.contains_key(&format!("{table}.{ext}")), "{table}.{ext} missing");
        }
    }
    assert!(a.contains_key("CITATION.cff") && a.contains_key("datapackage.json"));
    let cff = String::from_utf8(a["CITATION.cff"].clone()).unwrap();
    let version = summary["version"].as_str().unwrap();
    assert!(cff.contains(&format!("version: \"{version}\"")), "{cff}");

    let tables = validate(&first);
    let (header, rollcalls) = &tables["rollcalls"];
    for column in ["rollcall_id", "dataset", "symbol", "date", "session", "yes", "no", "abstain", "non_voting"] {
        assert!(header.iter().any(|h| h == column), "rollcalls.{column}");
    }
    assert_eq!(tables["votes"].0, ["rollcall_id", "state", "vote"]);
    // Both datasets are there, and unvotes's totals are its votes counted.
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let datasets: HashSet<&str> = rollcalls.iter().map(|r| r[col("dataset")].as_str()).collect();
    assert_eq!(datasets, HashSet::from(["unvotes", "undl-scrape-2021"]));
    let mut counted: HashMap<&str, [u64; 3]> = HashMap::new();
    for vote in &tables["votes"].1 {
        let slot = counted.entry(vote[0].as_str()).or_default();
        match vote[2].as_str() {
            "yes" => slot[0] += 1,
            "no" => slot[1] += 1,
            "abstain" => slot[2] += 1,
            _ => {}
        }
    }
    let unvotes: Vec<&Vec<String>> = rollcalls.iter().filter(|r| r[col("dataset")] == "unvotes").collect();
    assert!(unvotes.len() > 6000, "{} unvotes roll calls", unvotes.len());
    for r in unvotes {
        let totals: [u64; 3] = [col("yes"), col("no"), col("abstain")].map(|c| r[c].parse().unwrap());
        assert_eq!(counted.get(r[0].as_str()).copied().unwrap_or_default(), totals, "{}", r[0]);
    }
    // 60/45's recorded vote is in the table with its symbol, and the 2020 vote on 75/240
    // comes from the scrape.
    assert!(rollcalls.iter().any(|r| r[col("dataset")] == "unvotes" && r[col("symbol")] == "A/RES/60/45"));
    assert!(rollcalls.iter().any(|r| r[col("dataset")] == "undl-scrape-2021" && r[col("symbol")] == "A/RES/75/240"));
    // Every crosswalk edge has a source; every norm is carried.
    let (cw_header, crosswalk) = &tables["crosswalk"];
    let source = cw_header.iter().position(|h| h == "source").unwrap();
    assert!(crosswalk.len() >= 70 && crosswalk.iter().all(|r| !r[source].is_empty()));
}

#[test]
fn the_licence_terms_are_quoted_from_each_dataset_s_provenance() {
    let Some(data) = shared_data("the_licence_terms_are_quoted_from_each_dataset_s_provenance") else { return };
    let squash = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    let config = normwatch_app::dataset::Config::built_in().unwrap();
    assert!(!config.sources.is_empty());
    for terms in &config.sources {
        let path = data.join(&terms.provenance);
        let provenance = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let section = provenance.split("## License / terms").nth(1).unwrap_or_else(|| panic!("{}", path.display()));
        assert!(squash(section).contains(&squash(&terms.terms)), "{}: not quoted from {}", terms.id, path.display());
        if let Some(path) = &terms.path {
            assert!(section.contains(path.as_str()), "{}: {path}", terms.id);
        }
    }
}

#[test]
fn a_bad_format_is_refused_before_anything_is_written() {
    let db = TestDb::new();
    db.ok(&["init"]);
    let out = db.dir.path().join("out");
    let output = db.run(&["export", "dataset", out.to_str().unwrap(), "--format", "csv,xlsx"]);
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("unknown format `xlsx`"), "{stderr}");
    assert!(!out.exists());
}
