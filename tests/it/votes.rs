//! Roll-call votes end to end: the built binary imports the real datasets in
//! `../shared/data` (override with `NORMWATCH_SHARED_DATA`) into a database in a temporary
//! folder, and the knowledge base, the analyses and the cross-check read them back.
//! Malformed inputs are made at test time from the real files; nothing is copied into the
//! repository.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::Output;

use normwatch_core::state::StateRegistry;
use serde_json::Value;

fn shared_data() -> PathBuf {
    crate::support::shared_data("votes")
        .unwrap_or_else(|| panic!("the vote tests need the shared data; they cannot skip"))
}

fn unvotes_dir() -> PathBuf {
    shared_data().join("unvotes-voeten")
}

fn scrape_file() -> PathBuf {
    shared_data().join("undl-voting-scrape-2021/UN DATA.csv.gz")
}

/// A database in its own temporary folder, with the JSON helpers these tests use.
struct Db(crate::support::TestDb);

impl Db {
    /// A database initialised with the built-in knowledge base: reading commands (`show`,
    /// `votes …`) load nothing themselves, so a database that only holds imported votes
    /// would tell them to run `normwatch init` first.
    fn new() -> Db {
        let db = Db(crate::support::TestDb::new());
        db.ok(&["init"]);
        db
    }

    fn run(&self, args: &[&str]) -> Output {
        self.0.run(args)
    }

    /// Runs and expects success; returns stdout.
    fn ok(&self, args: &[&str]) -> String {
        self.0.ok(args)
    }

    /// Runs with `--json` and parses the output.
    fn json(&self, args: &[&str]) -> Value {
        let mut all = vec!["--json"];
        all.extend_from_slice(args);
        self.0.json(&all)
    }

    fn import(&self, path: &Path) -> Value {
        self.json(&["import", "votes", path.to_str().expect("a UTF-8 path")])
    }

    /// Everything the database holds of the votes, to compare before and after.
    fn state(&self) -> (Value, Value) {
        (self.json(&["votes", "imports"]), self.json(&["show", "A/RES/60/45"]))
    }
}

fn iso3_of_iso2(codes: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = codes
        .iter()
        .map(|c| StateRegistry::global().lookup_iso2(c).unwrap_or_else(|| panic!("ISO2 {c}")).iso3.to_string())
        .collect();
    out.sort();
    out
}

fn strings(value: &Value) -> Vec<String> {
    value.as_array().expect("an array").iter().map(|v| v.as_str().expect("a string").to_string()).collect()
}

fn check_vote(doc: &Value, yes: u64, no: u64, abstain: u64, voted_no: &[String]) {
    assert_eq!(doc["modality"], "recorded_vote", "{}", doc["symbol"]);
    assert_eq!(doc["votes"]["yes"], yes, "{}", doc["symbol"]);
    assert_eq!(doc["votes"]["no"], no, "{}", doc["symbol"]);
    assert_eq!(doc["votes"]["abstain"], abstain, "{}", doc["symbol"]);
    assert_eq!(strings(&doc["voted_no"]), voted_no, "{}", doc["symbol"]);
}

/// The source the shown value of a field comes from.
fn shown_source(doc: &Value, field: &str) -> String {
    doc["sources"]
        .as_array()
        .expect("sources")
        .iter()
        .find(|s| s["field"] == field && s["shown"] == true)
        .map(|s| s["source"].as_str().expect("a source").to_string())
        .unwrap_or_default()
}

#[test]
fn unvotes_votes_reach_the_documents() {
    let db = Db::new();
    let report = db.import(&unvotes_dir());
    let dataset = &report["datasets"][0];
    assert_eq!(dataset["dataset"], "unvotes");
    assert_eq!(dataset["roll_calls"], 6202);
    assert_eq!(dataset["votes"], 869_937);
    assert_eq!(dataset["files"].as_array().map(Vec::len), Some(3));

    let doc = db.json(&["show", "A/RES/60/45"]);
    check_vote(&doc, 177, 1, 0, &["USA".to_string()]);
    assert_eq!(shown_source(&doc, "votes"), "unvotes rcid=4618");
    assert_eq!(
        doc["sources"].as_array().unwrap().iter().find(|s| s["field"] == "votes" && s["shown"] == true).unwrap()["basis"],
        "dataset"
    );

    let western = iso3_of_iso2(&[
        "AD", "AL", "AT", "AU", "BE", "BG", "CA", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GB", "GE", "GR",
        "HR", "HU", "IE", "IL", "IS", "IT", "JP", "LI", "LT", "LU", "LV", "MC", "ME", "MH", "MK", "MT", "NL", "NO",
        "NZ", "PL", "PT", "RO", "SE", "SI", "SK", "SM", "UA", "US",
    ]);
    check_vote(&db.json(&["show", "A/RES/73/27"]), 119, 46, 14, &western);
    let against_us_text = iso3_of_iso2(&["BO", "CN", "CU", "EG", "IR", "KM", "KP", "NI", "RU", "SY", "VE", "ZW"]);
    check_vote(&db.json(&["show", "A/RES/73/266"]), 138, 12, 16, &against_us_text);
    let against_cybercrime = iso3_of_iso2(&[
        "AD", "AL", "AT", "AU", "BA", "BE", "BG", "BZ", "CA", "CH", "CL", "CO", "CV", "CY", "CZ", "DE", "DK", "DO",
        "EE", "ES", "FI", "FM", "FR", "GB", "GE", "GR", "HN", "HR", "HU", "IE", "IL", "IS", "IT", "JP", "KR", "LI",
        "LT", "LU", "LV", "MC", "MD", "ME", "MH", "MK", "MT", "NL", "NO", "NZ", "PA", "PL", "PT", "PY", "RO", "SE",
        "SI", "SK", "SM", "TO", "UA", "US",
    ]);
    check_vote(&db.json(&["show", "A/RES/74/247"]), 79, 60, 33, &against_cybercrime);

    // A resolution the knowledge base does not hold resolves from its roll call alone.
    let other = db.json(&["show", "R/74/19"]);
    assert_eq!(other["modality"], "recorded_vote");
    assert_eq!(other["title"], "Oceans and the law of the sea");
    assert_eq!(shown_source(&other, "votes"), "unvotes rcid=9147");

    // A resolution adopted without a vote is not made "without_vote" by the import: the only
    // dataset claim on its modality is the knowledge base's own inference from the scrape's
    // declared coverage (`undl-scrape-2021 absent`), which the import leaves as it is.
    let quiet = db.json(&["show", "A/RES/53/70"]);
    let dataset_modality: Vec<&Value> = quiet["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["basis"] == "dataset" && s["field"] == "modality")
        .collect();
    assert_eq!(dataset_modality.len(), 1, "{dataset_modality:?}");
    assert_eq!(dataset_modality[0]["source"], "undl-scrape-2021 absent");

    // The roll call itself, with every state's vote and the regional groups.
    let calls = db.json(&["votes", "rollcall", "R/60/45"]);
    let call = &calls[0];
    assert_eq!(call["record"], "rcid=4618");
    assert_eq!(call["votes"].as_array().map(Vec::len), Some(178));
    assert_eq!(strings(&call["voted_no"]), ["USA"]);
    assert_eq!(call["groups"].as_array().map(Vec::len), Some(6));
    let text = db.ok(&["votes", "rollcall", "A/RES/60/45"]);
    assert!(text.contains("no (1): USA"), "{text}");
    let csv = db.ok(&["votes", "rollcall", "A/RES/60/45", "--csv"]);
    assert!(csv.starts_with("symbol,dataset,record,state,name,vote,group\n"), "{csv}");
    assert_eq!(csv.lines().count(), 179);

    // No roll call: exit code 3 and an explanation.
    let missing = db.run(&["votes", "rollcall", "A/RES/53/70"]);
    assert_eq!(missing.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("adopted without a vote"));
}

#[test]
fn the_2021_scrape_adds_the_2020_votes() {
    let db = Db::new();
    let report = db.import(&scrape_file());
    assert_eq!(report["datasets"][0]["dataset"], "undl-scrape-2021");
    assert_eq!(report["datasets"][0]["roll_calls"], 7855);
    let doc = db.json(&["show", "A/RES/75/240"]);
    let names = [
        "ALBANIA",
        "ANDORRA",
        "AUSTRALIA",
        "AUSTRIA",
        "BELGIUM",
        "BULGARIA",
        "CANADA",
        "CHILE",
        "COLOMBIA",
        "CROATIA",
        "CYPRUS",
        "CZECHIA",
        "DENMARK",
        "ESTONIA",
        "FINLAND",
        "FRANCE",
        "GEORGIA",
        "GERMANY",
        "GREECE",
        "HUNGARY",
        "ICELAND",
        "IRELAND",
        "ISRAEL",
        "ITALY",
        "JAPAN",
        "LATVIA",
        "LIECHTENSTEIN",
        "LITHUANIA",
        "LUXEMBOURG",
        "MALTA",
        "MONACO",
        "MONTENEGRO",
        "NETHERLANDS",
        "NEW ZEALAND",
        "NORTH MACEDONIA",
        "NORWAY",
        "POLAND",
        "PORTUGAL",
        "REPUBLIC OF KOREA",
        "REPUBLIC OF MOLDOVA",
        "ROMANIA",
        "SAN MARINO",
        "SLOVAKIA",
        "SLOVENIA",
        "SPAIN",
        "SWEDEN",
        "TURKEY",
        "UKRAINE",
        "UNITED KINGDOM",
        "UNITED STATES",
    ];
    let mut expected: Vec<String> = names
        .iter()
        .map(|n| StateRegistry::global().lookup_name(n).unwrap_or_else(|| panic!("{n}")).iso3.to_string())
        .collect();
    expected.sort();
    check_vote(&doc, 92, 50, 21, &expected);
    assert_eq!(doc["votes"]["non_voting"], 30);
    assert_eq!(shown_source(&doc, "votes"), "undl-scrape-2021 token=3896180");
}

#[test]
fn the_two_datasets_are_cross_checked() {
    let db = Db::new();
    db.import(&unvotes_dir());
    db.import(&scrape_file());
    let checks = db.json(&["votes", "crosscheck"]);
    let check = &checks[0];
    assert_eq!(check["left"], "unvotes");
    assert_eq!(check["right"], "undl-scrape-2021");
    let shared = check["shared"].as_u64().unwrap();
    let agreeing = check["agreeing"].as_u64().unwrap();
    let disagreements = check["disagreements"].as_array().unwrap();
    assert!(shared > 4000, "{shared}");
    assert_eq!(agreeing + disagreements.len() as u64, shared);
    assert!(!disagreements.is_empty());
    // The cyber votes agree in both.
    for symbol in ["A/RES/60/45", "A/RES/73/27", "A/RES/73/266", "A/RES/74/247"] {
        assert!(!disagreements.iter().any(|d| d["symbol"] == symbol && d["totals_differ"] == true), "{symbol}");
    }
    // A known disagreement: 61/62's tally (one state's vote recorded differently).
    let d = disagreements.iter().find(|d| d["symbol"] == "A/RES/61/62").expect("A/RES/61/62 differs");
    assert_eq!(d["totals_differ"], true);
    assert_eq!(d["states"][0]["state"], "CZE");

    // The command lists them.
    let text = db.ok(&["votes", "crosscheck"]);
    let first = text.lines().next().unwrap();
    assert!(first.starts_with(&format!("unvotes vs undl-scrape-2021: {shared} resolutions voted in both")), "{first}");
    assert!(
        text.lines().any(|l| l.trim_start().starts_with("A/RES/61/62") && l.contains("CZE no/abstain")),
        "61/62 listed"
    );
    assert_eq!(text.lines().count(), 1 + disagreements.len());
    let csv = db.ok(&["votes", "crosscheck", "--csv"]);
    assert!(csv.starts_with("symbol,left_dataset,left_record,right_dataset,right_record,kind,subject,left,right\n"));
    assert!(
        csv.contains("A/RES/61/62,unvotes,rcid=4694,undl-scrape-2021,token=588117,state,CZE,no,abstain"),
        "{}",
        &csv[..500]
    );

    // Both datasets' claims reach the document; unvotes' is shown first, the scrape's is cited.
    let doc = db.json(&["show", "A/RES/60/45"]);
    check_vote(&doc, 177, 1, 0, &["USA".to_string()]);
    assert!(
        doc["sources"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["source"] == "undl-scrape-2021 token=562360" && s["field"] == "voted_no")
    );
}

/// Writes `bytes` as `name` in `dir`, beside copies of the other unvotes files.
fn unvotes_folder_with(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let folder = dir.join("unvotes");
    std::fs::create_dir_all(&folder).unwrap();
    for file in ["un_roll_calls.csv.gz", "un_votes.csv.gz", "un_roll_call_issues.csv.gz"] {
        if file != name && !name.starts_with(file.trim_end_matches(".gz")) {
            std::fs::copy(unvotes_dir().join(file), folder.join(file)).unwrap();
        }
    }
    std::fs::write(folder.join(name), bytes).unwrap();
    folder
}

fn unvotes_csv() -> String {
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(unvotes_dir().join("un_votes.csv.gz")).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text
}

#[test]
fn malformed_files_fail_clearly_and_change_nothing() {
    let db = Db::new();
    db.import(&unvotes_dir());
    let before = db.state();
    let work = tempfile::tempdir().unwrap();

    let expect_failure = |folder: &Path, wanted: &[&str]| {
        let out = db.run(&["import", "votes", folder.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "the import should fail");
        let stderr = String::from_utf8_lossy(&out.stderr);
        for piece in wanted {
            assert!(stderr.contains(piece), "`{piece}` not in: {stderr}");
        }
        assert_eq!(db.state(), before, "the database changed after: {stderr}");
        stderr.to_string()
    };

    // A truncated gzip file.
    let gz = std::fs::read(unvotes_dir().join("un_votes.csv.gz")).unwrap();
    let cut = unvotes_folder_with(&work.path().join("cut"), "un_votes.csv.gz", &gz[..gz.len() / 2]);
    let message = expect_failure(&cut, &["un_votes.csv.gz, line ", "truncated"]);
    assert!(!message.contains("line 1:"), "the line where reading stopped: {message}");

    // A wrong header.
    let text = unvotes_csv();
    let wrong = text.replacen("rcid,country,country_code,vote", "rcid,country,country_code,votes", 1);
    let header = unvotes_folder_with(&work.path().join("header"), "un_votes.csv", wrong.as_bytes());
    expect_failure(&header, &["un_votes.csv, line 1, column 4 (votes)", "no column `vote`"]);

    // A bad vote value deep in the file (line 500,000), gzipped as the original.
    let mut lines: Vec<&str> = text.lines().collect();
    let target = lines[499_999].to_string();
    let broken = format!("{},maybe", target.rsplit_once(',').unwrap().0);
    lines[499_999] = &broken;
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(lines.join("\n").as_bytes()).unwrap();
    encoder.write_all(b"\n").unwrap();
    let bad = unvotes_folder_with(&work.path().join("vote"), "un_votes.csv.gz", &encoder.finish().unwrap());
    expect_failure(&bad, &["un_votes.csv.gz, line 500000, column 4 (vote): `maybe` is not a vote"]);

    // A malformed scrape (a vote letter that is none) fails the same way.
    let mut scrape = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(scrape_file()).unwrap()).read_to_string(&mut scrape).unwrap();
    let scrape = scrape.replacen(",Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,", ",Y,Y,Y,Q,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,", 1);
    let file = work.path().join("UN DATA.csv");
    std::fs::write(&file, scrape).unwrap();
    let out = db.run(&["import", "votes", file.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("UN DATA.csv, line 2, column 15 (UNITED KINGDOM): `Q` is not a vote"), "{stderr}");
    assert_eq!(db.state(), before);
}

#[test]
fn importing_again_replaces_the_earlier_import() {
    let db = Db::new();
    let first = db.import(&unvotes_dir());
    assert_eq!(first["datasets"][0]["replaced"], false);
    let before = db.state();
    let again = db.import(&unvotes_dir().join("un_votes.csv.gz"));
    assert_eq!(again["datasets"][0]["replaced"], true);
    assert_eq!(again["datasets"][0]["files"].as_array().map(Vec::len), Some(3), "the other files are found beside it");
    let after = db.state();
    assert_eq!(before.1, after.1, "the document reads the same");
    let digest = |v: &Value| v[0]["digest"].clone();
    assert_eq!(digest(&before.0), digest(&after.0));
    assert_eq!(before.0[0]["roll_calls"], after.0[0]["roll_calls"]);
    assert_eq!(before.0[0]["files"], after.0[0]["files"]);
    let sha = after.0[0]["files"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"].as_str().unwrap().ends_with("un_votes.csv.gz"))
        .unwrap()["sha256"]
        .clone();
    assert_eq!(
        sha, "9601f2ff048621cea7125d0dee4465ccf550a76954d786a389bce86525143647",
        "the file's SHA-256 as PROVENANCE.md gives it"
    );
}

/// Writes real Voeten roll calls in the layout of the UN Digital Library's official GA
/// voting CSV (data dictionary version 5), one row per state vote.
fn official_sample(path: &Path, rcids: &[&str]) {
    let open = |name: &str| flate2::read::GzDecoder::new(std::fs::File::open(unvotes_dir().join(name)).unwrap());
    let mut calls = csv::Reader::from_reader(open("un_roll_calls.csv.gz"));
    let mut meta = std::collections::HashMap::new();
    for row in calls.records() {
        let row = row.unwrap();
        if rcids.contains(&&row[0]) {
            meta.insert(
                row[0].to_string(),
                (row[1].to_string(), row[3].to_string(), row[4].trim().to_string(), row[8].to_string()),
            );
        }
    }
    let mut votes: std::collections::BTreeMap<String, Vec<(String, String, String)>> = Default::default();
    let mut reader = csv::Reader::from_reader(open("un_votes.csv.gz"));
    for row in reader.records() {
        let row = row.unwrap();
        if rcids.contains(&&row[0]) {
            let state = if row[2].is_empty() {
                StateRegistry::global().lookup_name(&row[1])
            } else {
                StateRegistry::global().lookup_iso2(&row[2])
            }
            .unwrap();
            let letter = match &row[3] {
                "yes" => "Y",
                "no" => "N",
                _ => "A",
            };
            votes.entry(row[0].to_string()).or_default().push((
                state.iso3.to_string(),
                state.name.to_uppercase(),
                letter.to_string(),
            ));
        }
    }
    let mut out = csv::Writer::from_path(path).unwrap();
    out.write_record([
        "undl_id",
        "ms_code",
        "ms_name",
        "ms_vote",
        "date",
        "session",
        "resolution",
        "draft",
        "committee_report",
        "meeting",
        "title",
        "agenda_title",
        "subjects",
        "vote_note",
        "total_yes",
        "total_no",
        "total_abstentions",
        "total_non_voting",
        "total_ms",
        "undl_link",
    ])
    .unwrap();
    for (rcid, rows) in &votes {
        let (session, date, unres, descr) = &meta[rcid];
        let symbol = normwatch_core::Symbol::parse(unres).unwrap().to_string();
        let count = |l: &str| rows.iter().filter(|r| r.2 == l).count();
        let (yes, no, abstain) = (count("Y"), count("N"), count("A"));
        let undl_id = format!("{}", 4_000_000 + rcid.parse::<u32>().unwrap());
        for (code, name, letter) in rows {
            out.write_record([
                undl_id.as_str(),
                code,
                name,
                letter,
                date,
                session,
                &symbol,
                "",
                "",
                "",
                descr,
                "",
                "",
                "",
                &yes.to_string(),
                &no.to_string(),
                &abstain.to_string(),
                &(193 - yes - no - abstain).to_string(),
                "193",
                &format!("https://digitallibrary.un.org/record/{undl_id}"),
            ])
            .unwrap();
        }
    }
    out.flush().unwrap();
}

#[test]
fn the_official_long_format_imports() {
    let work = tempfile::tempdir().unwrap();
    let sample = work.path().join("2026_02_06_ga_voting.csv");
    // 60/45, 73/27, 73/266, 74/247 and a few others.
    official_sample(&sample, &["4618", "6073", "6156", "9087", "9147", "6101"]);
    let db = Db::new();
    let report = db.json(&["import", "votes", sample.to_str().unwrap(), "--format", "undl-official"]);
    assert_eq!(report["datasets"][0]["dataset"], "undl-ga-voting");
    assert_eq!(report["datasets"][0]["roll_calls"], 6);
    let doc = db.json(&["show", "A/RES/73/27"]);
    assert_eq!(doc["votes"]["yes"], 119);
    assert_eq!(doc["votes"]["no"], 46);
    assert_eq!(doc["votes"]["non_voting"], 193 - 119 - 46 - 14);
    assert_eq!(shown_source(&doc, "votes"), "undl-ga-voting undl_id=4006073");

    // Detected without --format; cross-checked against unvotes with no disagreement.
    let db = Db::new();
    db.import(&sample);
    db.import(&unvotes_dir());
    let doc = db.json(&["show", "A/RES/60/45"]);
    check_vote(&doc, 177, 1, 0, &["USA".to_string()]);
    assert_eq!(shown_source(&doc, "votes"), "undl-ga-voting undl_id=4004618", "the official data comes first");
    let checks = db.json(&["votes", "crosscheck"]);
    assert_eq!(checks[0]["left"], "undl-ga-voting");
    assert_eq!(checks[0]["shared"], 6);
    assert_eq!(checks[0]["agreeing"], 6, "{}", checks[0]["disagreements"]);

    // A bad vote letter in the long format names its place.
    let text = std::fs::read_to_string(&sample).unwrap();
    let broken = text.replacen(",N,", ",No!,", 1);
    let line = text[..text.find(",N,").unwrap()].matches('\n').count() + 1;
    std::fs::write(&sample, broken).unwrap();
    let out = db.run(&["import", "votes", sample.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains(&format!("line {line}, column 4 (ms_vote): `No!` is not a vote")), "{stderr}");
}

#[test]
fn the_analyses_run_on_the_real_data() {
    let db = Db::new();
    db.import(&unvotes_dir());
    db.import(&scrape_file());

    // Agreement, exactly a,b,agreement,n.
    let csv = db.ok(&["votes", "agreement", "--from-session", "60", "--to-session", "74", "--csv"]);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("a,b,agreement,n"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.len() > 15_000, "{}", rows.len());
    assert!(rows.iter().all(|r| r.len() == 4 && r[0] < r[1]));
    let rus_usa = rows.iter().find(|r| r[0] == "RUS" && r[1] == "USA").expect("RUS,USA");
    let agreement: f64 = rus_usa[2].parse().unwrap();
    assert!((0.05..0.6).contains(&agreement), "{agreement}");
    let json = db.json(&["votes", "agreement", "--from-session", "60", "--to-session", "74"]);
    assert_eq!(json["pairs"].as_array().map(Vec::len), Some(rows.len()));

    // The ICT-security series only.
    let series = db.json(&[
        "votes",
        "agreement",
        "--from-session",
        "60",
        "--to-session",
        "76",
        "--series",
        "ga-first-ict-security",
    ]);
    assert!(series["roll_calls"].as_u64().unwrap() >= 10, "{}", series["roll_calls"]);

    // A pair year by year, over the series and over everything.
    let pair = db.json(&["votes", "pair", "USA", "RUS", "--series", "ga-first-ict-security"]);
    let years: Vec<i64> = pair["years"].as_array().unwrap().iter().map(|y| y["year"].as_i64().unwrap()).collect();
    assert_eq!(years.first(), Some(&2005));
    assert!(years.contains(&2020), "{years:?}");
    assert_eq!(pair["years"][0]["agreement"], 0.0, "the USA voted no alone in 2005");
    let all = db.ok(&["votes", "pair", "CHN", "RUS", "--csv"]);
    assert!(all.starts_with("year,roll_calls,n,identical,agreement\n"));

    // The cyber series side by side.
    let cyber = db.json(&["votes", "cyber"]);
    let labels: Vec<String> = cyber["side_by_side"]["roll_calls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["symbol"].as_str().unwrap_or("").to_string())
        .collect();
    for symbol in ["A/RES/60/45", "A/RES/73/27", "A/RES/73/266", "A/RES/75/240"] {
        assert!(labels.iter().any(|l| l == symbol), "{symbol} in {labels:?}");
    }
    let moves = cyber["side_by_side"]["yes_to_no"].as_array().unwrap();
    assert!(moves.iter().any(|m| m["state"] == "GBR" && m["to"] == "A/RES/73/27"), "the UK moved to no in 2018");
    let text = db.ok(&["votes", "cyber"]);
    assert!(text.contains("moved from yes to no:"));
    // The default series is the measurement's positions series; the years are the data's.
    let shown: Vec<i64> =
        cyber["side_by_side"]["roll_calls"].as_array().unwrap().iter().map(|r| r["year"].as_i64().unwrap()).collect();
    let (first, last) = (shown.iter().min().unwrap(), shown.iter().max().unwrap());
    assert_eq!(*first, 2005, "the series' first recorded vote, A/RES/60/45");
    assert!(text.starts_with(&format!("ga-first-ict-security: recorded votes {first}–{last}\n")), "{text}");
    let later = db.json(&["votes", "cyber", "--from-year", "2018"]);
    let years: Vec<i64> =
        later["side_by_side"]["roll_calls"].as_array().unwrap().iter().map(|r| r["year"].as_i64().unwrap()).collect();
    assert!(!years.is_empty() && years.iter().all(|y| *y >= 2018), "{years:?}");
    let none = db.run(&["votes", "cyber", "--to-year", "1990"]);
    assert_eq!(none.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&none.stderr).contains("ga-first-ict-security in –1990"));

    // A state's record and a group's cohesion.
    let record = db.ok(&["votes", "record", "USA", "--series", "ga-first-ict-security", "--csv"]);
    assert!(record.starts_with("symbol,dataset,record,date,vote,"));
    assert!(record.contains("A/RES/60/45,unvotes,rcid=4618,2005-12-08,no,177,1,0,"), "{record}");
    let issue = db.json(&[
        "votes",
        "record",
        "Russian Federation",
        "--issue",
        "di",
        "--from-session",
        "70",
        "--to-session",
        "74",
    ]);
    assert!(issue["record"]["roll_calls"].as_array().unwrap().len() > 50);
    let cohesion = db.json(&["votes", "cohesion", "USA,GBR,FRA", "--from-session", "70", "--to-session", "74"]);
    let index = cohesion["cohesion"]["index"].as_f64().unwrap();
    assert!((0.5..=1.0).contains(&index), "{index}");

    // Bad input is a clear error, not a panic.
    let out = db.run(&["votes", "record", "ZZZ"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("ZZZ"));
    let out = db.run(&["votes", "pair", "USA", "RUS", "--series", "no-such-series"]);
    assert_eq!(out.status.code(), Some(3));
}
