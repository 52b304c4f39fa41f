//! Measuring norm emergence end to end: the index and its decomposition, the seed's shape,
//! sensitivity, life cycle and figures, through the built binary over the real knowledge base.

use std::path::{Path, PathBuf};

use crate::support::{TestDb, copy_dir, corpus, kb_dir, normwatch};
use serde_json::Value;

/// A database holding the built-in knowledge base.
fn db() -> TestDb {
    let db = TestDb::new();
    db.ok(&["init"]);
    db
}

fn index(db: &TestDb, extra: &[&str]) -> Vec<Value> {
    let mut args = vec!["index", "--stream", "politico-military", "--json"];
    args.extend(extra);
    db.json(&args).as_array().expect("an array of years").clone()
}

/// The index value of each year, `None` where missing.
fn values(points: &[Value]) -> Vec<(i64, Option<f64>)> {
    points.iter().map(|p| (p["year"].as_i64().unwrap(), p["value"].as_f64())).collect()
}

fn value_of(points: &[Value], year: i64) -> f64 {
    points
        .iter()
        .find(|p| p["year"] == year)
        .and_then(|p| p["value"].as_f64())
        .unwrap_or_else(|| panic!("no index value for {year}"))
}

fn component<'a>(points: &'a [Value], year: i64, indicator: &str) -> &'a Value {
    let point = points.iter().find(|p| p["year"] == year).unwrap_or_else(|| panic!("no year {year}"));
    point["components"].as_array().unwrap().iter().find(|c| c["indicator"] == indicator).unwrap()
}

fn default_config() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/config/measurement.toml")).unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn the_index_decomposes_into_indicators_and_cited_facts() {
    let db = db();
    let points = index(&db, &[]);
    assert!(!points.is_empty());
    for point in &points {
        assert!(point["year"].is_i64(), "{point}");
        assert!(point["value"].is_f64() || point["value"].is_null(), "{point}");
        let components = point["components"].as_array().unwrap();
        let names: Vec<&str> = components.iter().map(|c| c["indicator"].as_str().unwrap()).collect();
        assert_eq!(names, ["sponsorship", "consensus", "language", "institutionalisation", "diffusion", "salience"]);
        let mut sum = 0.0;
        for c in components {
            assert!(c["weight"].is_f64(), "{c}");
            assert!(c["facts"].as_array().unwrap().iter().all(Value::is_string), "{c}");
            match c["value"].as_f64() {
                // Every value has cited facts behind it (an institutionalisation of 0 may have none).
                Some(v) if v > 0.0 => assert!(!c["facts"].as_array().unwrap().is_empty(), "{c}"),
                Some(_) => {}
                // Missing is missing: no contribution, not zero.
                None => assert!(c["contribution"].is_null(), "{c}"),
            }
            sum += c["contribution"].as_f64().unwrap_or(0.0);
        }
        if let Some(v) = point["value"].as_f64() {
            assert!((sum - v).abs() < 1e-9, "contributions add up to the index: {point}");
        }
    }
    // The 2005 US No is in the consensus component, traced to the datasets.
    let consensus = component(&points, 2005, "consensus");
    let facts: Vec<&str> = consensus["facts"].as_array().unwrap().iter().map(|f| f.as_str().unwrap()).collect();
    assert!(facts.contains(&"unvotes rcid=4618"), "{facts:?}");
    assert!(consensus["detail"].as_str().unwrap().contains("USA"), "{consensus}");
    // 2007 and 2008: no source counts the co-sponsors; missing, not zero.
    assert!(component(&points, 2007, "sponsorship")["value"].is_null());
}

/// Whether the data still shows the seed's trend (Maurer 2011, §II.1.1: rising to 2004, a
/// drop in 2005, rising through 2006-2008 and again after) is a finding, not a gate. The
/// section "The seed's shape" of docs/methods.md holds the yearly values and says, for each
/// comparison the seed's reading implies, whether the data bears it out; this test
/// regenerates that part and fails when the document is stale. Rewrite it with
/// `NORMWATCH_BLESS=1 cargo test --test measure the_seeds_shape`.
#[test]
fn the_seeds_shape_in_methods_is_current() {
    let db = db();
    let points = index(&db, &[]);
    let generated = seed_shape_markdown(&points);
    current_in_methods(SHAPE_BEGIN, &generated, "The seed's shape", "the_seeds_shape");
}

/// Checks (or, with `NORMWATCH_BLESS=1`, rewrites) one generated part of docs/methods.md:
/// the text between `begin` and the next end marker.
fn current_in_methods(begin: &str, generated: &str, section: &str, test: &str) {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/methods.md");
    let text = std::fs::read_to_string(path).unwrap();
    let (before, rest) =
        text.split_once(begin).unwrap_or_else(|| panic!("docs/methods.md lacks the start marker {begin}"));
    let (current, after) = rest.split_once(SHAPE_END).expect("docs/methods.md lacks the generated end marker");
    if current != generated {
        if std::env::var_os("NORMWATCH_BLESS").is_some() {
            std::fs::write(path, format!("{before}{begin}{generated}{SHAPE_END}{after}")).unwrap();
        } else {
            panic!(
                "docs/methods.md (\"{section}\") is stale; regenerate it with \
                 `NORMWATCH_BLESS=1 cargo test --test it {test}`. Expected:\n{generated}"
            );
        }
    }
}

/// What salience shows on the real corpus is a finding written into docs/methods.md ("What
/// states said"): per year the states speaking, those using a term of the lexicon, the
/// salience, and the index without and with the corpus; the speeches counted in the years
/// the document discusses. This test regenerates that part and fails when it is stale;
/// it also checks that every counted speech decomposes to a state, a year and a snippet.
#[test]
fn the_salience_in_methods_is_current() {
    let Some(archive) = corpus("the_salience_in_methods_is_current") else { return };
    let without = db();
    let before = index(&without, &[]);
    let with = db();
    with.ok(&["import", "speeches", &archive.display().to_string()]);
    let after = index(&with, &[]);
    for point in &after {
        let salience = component(&after, point["year"].as_i64().unwrap(), "salience");
        if let Some(value) = salience["value"].as_f64() {
            let evidence = salience["evidence"].as_array().unwrap();
            let speeches: Vec<&Value> = evidence.iter().skip(1).collect();
            assert!((0.0..=1.0).contains(&value), "{salience}");
            for speech in &speeches {
                assert!(speech["record"].as_str().unwrap().starts_with("speech "), "{speech}");
                assert!(speech["source"].as_str().unwrap().starts_with("ungdc "), "{speech}");
                assert!(!speech["value"].as_str().unwrap().is_empty(), "a snippet: {speech}");
            }
        }
    }
    // Without the corpus salience is missing, never zero.
    assert!(before.iter().all(|p| component(&before, p["year"].as_i64().unwrap(), "salience")["value"].is_null()));
    current_in_methods(SALIENCE_BEGIN, &salience_markdown(&before, &after), "What states said", "the_salience_in");
}

const SALIENCE_BEGIN: &str = "<!-- generated by tests/measure.rs (the_salience_in_methods_is_current): begin -->\n";
/// The years whose speeches the document lists (the seed's turning points).
const SALIENCE_YEARS: [i64; 4] = [1998, 2005, 2010, 2013];

fn salience_markdown(before: &[Value], after: &[Value]) -> String {
    let mut out = String::from(
        "| year | states speaking | states using a term | salience | index without the corpus | index with it |\n\
         |---|---|---|---|---|---|\n",
    );
    let value = |points: &[Value], year: i64| {
        points.iter().find(|p| p["year"] == year).map_or("—".to_string(), |p| cell(&p["value"]))
    };
    for point in after {
        let year = point["year"].as_i64().unwrap();
        if !SHAPE_YEARS.contains(&year) {
            continue;
        }
        let salience = component(after, year, "salience");
        let evidence = salience["evidence"].as_array().unwrap();
        let (speaking, using) = match evidence.first() {
            Some(speakers) => (speakers["value"].as_str().unwrap().to_string(), (evidence.len() - 1).to_string()),
            None => ("—".to_string(), "—".to_string()),
        };
        out.push_str(&format!(
            "| {year} | {speaking} | {using} | {} | {} | {} |\n",
            cell(&salience["value"]),
            value(before, year),
            value(after, year)
        ));
    }
    out.push_str(
        "\nThe speeches counted in the years this section discusses (`normwatch index --json` lists every year's):\n\n",
    );
    for year in SALIENCE_YEARS {
        let salience = component(after, year, "salience");
        let speeches: Vec<String> = salience["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .skip(1)
            .map(|e| {
                format!(
                    "{} ({})",
                    e["source"].as_str().unwrap().trim_start_matches("ungdc "),
                    e["field"].as_str().unwrap()
                )
            })
            .collect();
        out.push_str(&format!(
            "- {year}: {}\n",
            if speeches.is_empty() { "none".to_string() } else { speeches.join("; ") }
        ));
    }
    out
}

const SHAPE_BEGIN: &str = "<!-- generated by tests/measure.rs (the_seeds_shape_in_methods_is_current): begin -->\n";
const SHAPE_END: &str = "<!-- generated: end -->";
/// The years the table covers: from the series' first resolution to the 80th session.
const SHAPE_YEARS: std::ops::RangeInclusive<i64> = 1998..=2025;

/// How one of the seed's comparisons fares in the data.
#[derive(Debug, PartialEq)]
enum Finding {
    Holds,
    Departs,
    Unchecked(i64),
}

/// `a < b < c …`: the values rise strictly through the years given.
fn rising(points: &[Value], years: &[i64]) -> Finding {
    let mut values = Vec::new();
    for &year in years {
        match points.iter().find(|p| p["year"] == year).and_then(|p| p["value"].as_f64()) {
            Some(v) => values.push(v),
            None => return Finding::Unchecked(year),
        }
    }
    if values.windows(2).all(|w| w[0] < w[1]) { Finding::Holds } else { Finding::Departs }
}

fn cell(value: &Value) -> String {
    value.as_f64().map_or_else(|| "—".to_string(), |v| format!("{v:.3}"))
}

/// The generated part of "The seed's shape": the yearly table, each comparison with its
/// finding, and the years without a value with what is missing.
fn seed_shape_markdown(points: &[Value]) -> String {
    let indicators: Vec<String> = points
        .first()
        .map(|p| p["components"].as_array().unwrap().iter().map(|c| c["indicator"].as_str().unwrap().to_string()))
        .into_iter()
        .flatten()
        .collect();
    let mut out = String::new();
    out.push_str(&format!("| year | index | coverage | {} |\n", indicators.join(" | ")));
    out.push_str(&format!("|---|---|---|{}\n", "---|".repeat(indicators.len())));
    let mut missing = Vec::new();
    for year in SHAPE_YEARS {
        let Some(point) = points.iter().find(|p| p["year"] == year) else {
            missing.push(format!("{year} (no resolution of the stream is held for that year)"));
            continue;
        };
        let components = point["components"].as_array().unwrap();
        let values: Vec<String> = indicators
            .iter()
            .map(|name| {
                components.iter().find(|c| c["indicator"] == name.as_str()).map_or("—".into(), |c| cell(&c["value"]))
            })
            .collect();
        out.push_str(&format!(
            "| {year} | {} | {} | {} |\n",
            cell(&point["value"]),
            cell(&point["coverage"]),
            values.join(" | ")
        ));
        if point["value"].is_null() {
            let resolutions: Vec<&str> =
                point["resolutions"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
            let absent: Vec<&str> =
                components.iter().filter(|c| c["value"].is_null()).filter_map(|c| c["indicator"].as_str()).collect();
            missing.push(if resolutions.is_empty() {
                format!("{year} (no resolution of the stream is held for that year)")
            } else {
                format!("{year} ({}; without a value: {})", resolutions.join(", "), absent.join(", "))
            });
        }
    }
    let value = |year: i64| points.iter().find(|p| p["year"] == year).map_or("—".to_string(), |p| cell(&p["value"]));
    let comparisons: [(&str, Vec<i64>, Finding); 5] = [
        ("rises from 1998 to 2004: 1998 < 2004", vec![1998, 2004], rising(points, &[1998, 2004])),
        ("drops in 2005: 2005 < 2004", vec![2005, 2004], rising(points, &[2005, 2004])),
        ("rises through 2006-2008: 2006 < 2007 < 2008", vec![2006, 2007, 2008], rising(points, &[2006, 2007, 2008])),
        ("rises again after 2008: 2008 < 2010", vec![2008, 2010], rising(points, &[2008, 2010])),
        ("rises again after 2008: 2008 < 2011", vec![2008, 2011], rising(points, &[2008, 2011])),
    ];
    out.push_str("\nThe comparisons the seed's reading implies, with the default weights:\n\n");
    for (text, years, finding) in comparisons {
        let shown: Vec<String> = years.iter().map(|&y| format!("{y} = {}", value(y))).collect();
        let verdict = match finding {
            Finding::Holds => "**holds**".to_string(),
            Finding::Departs => "**departs from the seed**".to_string(),
            Finding::Unchecked(year) => format!("**cannot be checked**: no value for {year}"),
        };
        out.push_str(&format!("- {text} — {verdict} ({})\n", shown.join(", ")));
    }
    out.push_str(&format!(
        "\nYears from {} to {} without an index value: {}.\n",
        SHAPE_YEARS.start(),
        SHAPE_YEARS.end(),
        if missing.is_empty() { "none".to_string() } else { missing.join("; ") }
    ));
    out
}

#[test]
fn the_shape_findings_follow_the_values() {
    let point = |year: i64, value: Option<f64>| {
        serde_json::json!({"year": year, "value": value, "coverage": 1.0, "resolutions": ["A/RES/1/1"],
            "components": [{"indicator": "consensus", "value": value}]})
    };
    let points = vec![point(1998, Some(0.2)), point(2004, Some(0.5)), point(2005, Some(0.6)), point(2006, None)];
    assert_eq!(rising(&points, &[1998, 2004]), Finding::Holds);
    assert_eq!(rising(&points, &[2005, 2004]), Finding::Departs);
    assert_eq!(rising(&points, &[2006, 2007]), Finding::Unchecked(2006));
    let markdown = seed_shape_markdown(&points);
    assert!(markdown.contains("| 2004 | 0.500 | 1.000 | 0.500 |"), "{markdown}");
    assert!(
        markdown.contains("drops in 2005: 2005 < 2004 — **departs from the seed** (2005 = 0.600, 2004 = 0.500)"),
        "{markdown}"
    );
    assert!(markdown.contains("2006 (A/RES/1/1; without a value: consensus)"), "{markdown}");
    assert!(markdown.contains("2007 (no resolution of the stream is held for that year)"), "{markdown}");
}

#[test]
fn year_range_series_and_csv() {
    let db = db();
    let points = index(&db, &["--from", "2005", "--to", "2008"]);
    assert_eq!(values(&points).iter().map(|v| v.0).collect::<Vec<_>>(), [2005, 2006, 2007, 2008]);

    let series = db.json(&["index", "--series", "ga-first-ict-security", "--json"]);
    assert_eq!(series[0]["year"], 1998);

    let csv = db.ok(&["index", "--stream", "politico-military", "--csv", "--from", "2005", "--to", "2005"]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("year,value,coverage,sponsorship,consensus,language,institutionalisation,diffusion,salience")
    );
    assert!(lines.next().unwrap().starts_with("2005,"));

    let missing = db.run(&["index", "--series", "no-such-series", "--json"]);
    assert_eq!(missing.status.code(), Some(3), "{}", String::from_utf8_lossy(&missing.stderr));
    let bad_stream = db.run(&["index", "--stream", "military"]);
    assert_eq!(bad_stream.status.code(), Some(2));
}

#[test]
fn changing_a_fact_changes_the_output() {
    let db = db();
    let before = index(&db, &[]);

    // A copy of the knowledge base in which a source gives A/RES/65/41 many more sponsors.
    let dir = tempfile::tempdir().unwrap();
    let kb = dir.path().join("kb");
    copy_dir(&kb_dir(), &kb);
    let file = kb.join("documents/ga-first/resolutions-1998-2013.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(text.contains("cosponsor_count = 36"), "the fact this test edits is gone");
    std::fs::write(&file, text.replace("cosponsor_count = 36", "cosponsor_count = 120")).unwrap();
    db.ok(&["init", "--kb", &kb.display().to_string()]);
    let after = index(&db, &[]);

    let old = component(&before, 2010, "sponsorship")["value"].as_f64().unwrap();
    let new = component(&after, 2010, "sponsorship")["value"].as_f64().unwrap();
    assert!(new > old, "{old} → {new}");
    assert!(value_of(&after, 2010) > value_of(&before, 2010));
    // Other years do not move.
    assert_eq!(value_of(&after, 2009), value_of(&before, 2009));
}

#[test]
fn changing_a_weight_changes_the_output_and_bad_configs_name_the_key() {
    let db = db();
    let dir = tempfile::tempdir().unwrap();
    let before = index(&db, &[]);
    let heavier = default_config().replacen(
        "[index.weights.institutionalisation]\n  value = 0.5",
        "[index.weights.institutionalisation]\n  value = 2.0",
        1,
    );
    assert_ne!(heavier, default_config());
    let path = write(dir.path(), "heavy.toml", &heavier);
    let after = index(&db, &["--config", &path.display().to_string()]);
    assert_eq!(component(&after, 2010, "institutionalisation")["weight"], 2.0);
    assert!(value_of(&after, 2010) > value_of(&before, 2010), "2010 has a consensus report and a request");
    assert!(value_of(&after, 2007) < value_of(&before, 2007), "2007 has no expert group");

    // A negative weight, an unregistered source: refused, naming the key.
    let negative = default_config().replacen(
        "[index.weights.consensus]\n  value = 1.0",
        "[index.weights.consensus]\n  value = -1.0",
        1,
    );
    let path = write(dir.path(), "negative.toml", &negative);
    let output = db.run(&["index", "--config", &path.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("index.weights.consensus"));

    let unsourced = default_config().replacen("sources = [\"maurer2011 §II.3\"]", "sources = [\"wikipedia §1\"]", 1);
    let path = write(dir.path(), "unsourced.toml", &unsourced);
    let output = db.run(&["lifecycle", "--config", &path.display().to_string()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("language.verbs.") && stderr.contains("not a registered source"), "{stderr}");
}

#[test]
fn sensitivity_moves_each_weight_by_half() {
    let db = db();
    let out = db.json(&["index", "sensitivity", "--stream", "politico-military", "--json"]);
    let runs = out["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 12, "six weights × two factors");
    for run in runs {
        assert!(run["factor"] == 0.5 || run["factor"] == 1.5, "{run}");
        assert!(run["max_shift"].is_u64());
        assert_eq!(run["years"].as_array().unwrap().len(), out["base"].as_array().unwrap().len());
    }
    let text = db.ok(&["index", "sensitivity", "--from", "1998", "--to", "2011"]);
    assert!(text.contains("consensus"), "{text}");
}

#[test]
fn the_life_cycle_states_its_rule_and_evidence() {
    let db = db();
    let all = db.json(&["lifecycle", "--series", "ga-first-ict-security", "--json"]);
    let series = &all[0];
    assert_eq!(series["kind"], "series");
    // The knowledge base counts 106 sponsors for the joint 2021 text (kb: russiaun-2021-first-committee),
    // past one third of the 193 Member States: the series reaches the tipping point there.
    assert_eq!(series["stage"], "tipping point reached", "{series:#}");
    assert_eq!(series["crossed_by"]["symbol"], "A/RES/76/19", "{series:#}");
    assert_eq!(series["crossed_by"]["endorsements"], 106);
    assert_eq!(series["crossed_by"]["threshold"], 65);
    assert!(series["rule"].as_str().unwrap().contains("0.3333"));
    let reason = series["reason"].as_str().unwrap();
    assert!(reason.contains("A/RES/76/19"), "the crossing instrument is named: {reason}");
    let instruments = series["instruments"].as_array().unwrap();
    assert!(instruments.iter().any(|i| i["endorsements"].is_null()), "unknown counts stay null");

    // A threshold no instrument meets leaves the series in emergence, naming the most endorsed one.
    let dir = tempfile::tempdir().unwrap();
    let high = default_config().replacen("  value = 0.3333\n", "  value = 0.6\n", 1);
    let path = write(dir.path(), "high.toml", &high);
    let all =
        db.json(&["lifecycle", "--series", "ga-first-ict-security", "--json", "--config", &path.display().to_string()]);
    assert_eq!(all[0]["stage"], "emergence", "{:#}", all[0]);
    let reason = all[0]["reason"].as_str().unwrap();
    assert!(reason.contains("A/RES/76/19"), "the most endorsed instrument is named: {reason}");

    // A lower threshold tips the series earlier, naming the instrument and its endorsements.
    let low = default_config().replacen("  value = 0.3333\n", "  value = 0.1\n", 1);
    let path = write(dir.path(), "low.toml", &low);
    let all =
        db.json(&["lifecycle", "--series", "ga-first-ict-security", "--json", "--config", &path.display().to_string()]);
    assert_ne!(all[0]["stage"], "emergence");
    assert_eq!(all[0]["crossed_by"]["symbol"], "A/RES/65/41");

    let everything = db.json(&["lifecycle", "--json"]);
    assert!(everything.as_array().unwrap().iter().any(|l| l["kind"] == "norm"));
}

#[test]
fn figures_are_deterministic_svg_with_sourced_captions() {
    let db = db();
    let dir = tempfile::tempdir().unwrap();
    for name in ["two-streams", "sponsorship", "trend", "positions"] {
        let out = dir.path().join(format!("{name}.svg"));
        let json = db.json(&["figure", name, "--out", &out.display().to_string(), "--json"]);
        assert_eq!(json["name"], name);
        assert!(json["caption"].as_str().unwrap().contains("Sources: "), "{json}");
        assert!(!json["sources"].as_array().unwrap().is_empty());
        let svg = std::fs::read_to_string(&out).unwrap();
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        assert!(!svg.contains("<script") && !svg.contains("href"), "no scripts, no external resources");
        // Drawing twice gives the same bytes.
        let again = dir.path().join(format!("{name}-again.svg"));
        db.ok(&["figure", name, "--out", &again.display().to_string()]);
        assert_eq!(svg, std::fs::read_to_string(&again).unwrap());
        insta::assert_snapshot!(format!("figure_{name}"), svg);
    }
    let unknown = normwatch(&["figure", "pie", "--out", "x.svg"]);
    assert_eq!(unknown.status.code(), Some(2));
}

/// With the roll calls imported, the positions figure shows each state's own vote.
#[test]
fn imported_votes_fill_the_positions_figure() {
    let Some(data) = crate::support::shared_data("imported_votes_fill_the_positions_figure") else { return };
    let unvotes = data.join("unvotes-voeten");
    let db = db();
    db.ok(&["import", "votes", &unvotes.display().to_string()]);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("positions.svg");
    let json = db.json(&["figure", "positions", "--out", &out.display().to_string(), "--json"]);
    let sources: Vec<&str> = json["sources"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(sources.contains(&"unvotes rcid=4618"), "{sources:?}");
    assert!(json["caption"].as_str().unwrap().contains("imported datasets"));
    // The 2005 index does not depend on whether the votes were imported: the knowledge base
    // already cites the same roll call.
    let points = index(&db, &["--from", "2005", "--to", "2005"]);
    assert!(component(&points, 2005, "consensus")["detail"].as_str().unwrap().contains("177"));
}

/// Every source the index cites for a fact, the membership count's included, is a source
/// the knowledge base registers: nothing the index shows rests on an id typed into code.
#[test]
fn every_source_the_index_cites_is_registered() {
    let db = db();
    let files = normwatch_store::kb_files::from_folder(&kb_dir()).expect("the knowledge base reads");
    let kb = normwatch_core::kb::load(&files).unwrap_or_else(|e| panic!("{e}"));
    let mut cited = std::collections::BTreeSet::new();
    for point in index(&db, &[]) {
        for component in point["components"].as_array().unwrap() {
            for evidence in component["evidence"].as_array().unwrap() {
                cited
                    .insert(evidence["source"].as_str().expect("every piece of evidence names its source").to_string());
            }
        }
    }
    assert!(cited.contains("un-member-states"), "the membership count is cited: {cited:?}");
    for source in &cited {
        if let Err(reason) = normwatch_core::kb::source::SourceRef::parse(source, &kb.sources) {
            panic!("the index cites `{source}`, which the knowledge base does not register: {reason}");
        }
    }
}
