//! Norms and the crosswalk: the API's contract, the norm's page, the CLI's edges.

use serde_json::Value;

use crate::support::TestApp;

#[tokio::test]
async fn the_api_lists_norms_with_the_contract_fields_and_every_edge_has_a_source() {
    let test = TestApp::built_in().await;
    let answer = test.get("/api/norms").await;
    assert_eq!(answer.status, 200, "{}", answer.body);
    let norms = answer.json();
    let norms = norms.as_array().expect("a list");
    assert!(norms.len() >= 10, "{} norms", norms.len());
    for norm in norms {
        for field in ["id", "name", "theme", "first_year", "stage", "instruments"] {
            assert!(norm.get(field).is_some(), "{field} missing in {norm}");
        }
        let instruments = norm["instruments"].as_array().unwrap();
        assert!(!instruments.is_empty(), "{}", norm["id"]);
        for edge in instruments {
            for field in ["symbol", "item", "relation", "source"] {
                assert!(edge.get(field).is_some(), "{field} missing in {edge}");
            }
            assert!(!edge["source"].as_str().unwrap().trim().is_empty(), "{edge}");
            let relation = edge["relation"].as_str().unwrap();
            assert!(["equivalent-to", "subset-of", "superset-of", "intersects-with"].contains(&relation), "{relation}");
        }
        // The instruments run in time order, the undated last.
        let years: Vec<Option<i64>> = instruments.iter().map(|i| i["year"].as_i64()).collect();
        let mut sorted = years.clone();
        sorted.sort_by_key(|y| (y.is_none(), *y));
        assert_eq!(years, sorted, "{}", norm["id"]);
    }
    let one = test.get("/api/norms/culture-of-security").await;
    assert_eq!(one.status, 200, "{}", one.body);
    let one = one.json();
    assert_eq!(one["first_year"], 2002);
    assert_eq!(one["instruments"][0]["symbol"], "A/RES/57/239");
    assert_eq!(one["instruments"][0]["modality"], "without_vote");
    // Breadth over time starts with the first instrument; contested lists recorded votes
    // against or abstentions (none here: no roll call is imported).
    assert_eq!(one["breadth"][0]["year"], 2002);
    // 57/239 was adopted without a vote: with the consensus, the Member States of the day.
    let first = &one["breadth"][0];
    assert!(first["with_consensus"].as_u64().unwrap() > 150 + first["states"].as_u64().unwrap() / 2, "{first}");
    assert!(one["breadth"][0]["instruments"].as_array().unwrap().iter().any(|i| i == "A/RES/57/239"));
    assert!(one["breadth_rule"].as_str().unwrap().contains("without a vote"));
    assert_eq!(one["contested"], serde_json::json!([]));
    assert_eq!(one["opposed_by"], serde_json::json!([]));
}

#[tokio::test]
async fn a_norm_s_page_shows_its_instruments_in_time_order_with_their_adoption() {
    let test = TestApp::built_in().await;
    let page = test.get("/norms/culture-of-security").await;
    assert_eq!(page.status, 200, "{}", page.body);
    let body = &page.body;
    let positions: Vec<usize> = ["A/RES/57/239", "A/RES/58/199", "A/RES/64/211", "A/66/359"]
        .iter()
        .map(|s| body.find(&format!(">{s}</a>")).unwrap_or_else(|| panic!("{s} is not on the page")))
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "not in time order: {positions:?}");
    assert!(body.contains("First appearance"), "{body}");
    assert!(body.contains("2002-12-20"));
    assert!(body.contains("without vote"));
    assert!(body.contains("href=\"/norms#theme-"), "the theme links to the list");
    assert!(body.contains("Endorsement breadth over time"), "{body}");
    assert!(body.contains("id=\"contested\""));

    let index = test.get("/norms").await;
    assert_eq!(index.status, 200, "{}", index.body);
    assert!(index.body.contains("href=\"/norms/culture-of-security\""));
    assert!(index.body.contains("id=\"theme-security-culture\""));
    assert!(index.body.contains("Themes × instruments"));
    let home = test.get("/").await;
    assert!(home.body.contains("href=\"/norms\""), "a nav link");
}

#[tokio::test]
async fn an_unknown_norm_is_a_404_with_suggestions() {
    let test = TestApp::built_in().await;
    let answer = test.get("/api/norms/culture-of-securty").await;
    assert_eq!(answer.status, 404, "{}", answer.body);
    let body = answer.json();
    let suggestions: Vec<&str> = body["suggestions"].as_array().unwrap().iter().filter_map(Value::as_str).collect();
    assert!(suggestions.contains(&"/api/norms/culture-of-security"), "{suggestions:?}");
    let page = test.get("/norms/culture-of-securty").await;
    assert_eq!(page.status, 404);
    assert!(page.body.contains("/norms/culture-of-security"), "{}", page.body);
}

#[tokio::test]
async fn the_cli_prints_the_crosswalk_with_a_source_for_every_edge() {
    let test = TestApp::built_in().await;
    let edges = test.cli_json(&["--json", "crosswalk"]);
    let edges = edges.as_array().expect("a list");
    assert!(edges.len() >= 70, "{} edges", edges.len());
    for edge in edges {
        for field in ["norm", "symbol", "item", "relation", "rationale", "source"] {
            assert!(edge.get(field).is_some(), "{field} missing in {edge}");
        }
        assert!(!edge["source"].as_str().unwrap().is_empty());
    }
    let csv = test.cli(&["crosswalk", "--csv"]);
    assert!(csv.status.success());
    let csv = String::from_utf8(csv.stdout).unwrap();
    assert!(csv.starts_with("norm,symbol,item,relation,rationale,source"), "{csv}");
    assert!(csv.lines().count() > edges.len(), "a header and a line per edge");
    let text = test.cli(&["norms"]);
    assert!(text.status.success());
    assert!(String::from_utf8(text.stdout).unwrap().contains("culture-of-security"));
}
