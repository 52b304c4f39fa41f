//! Search (issue 10): the query language, filters, true paging and exports of `/api/search`
//! and `/search` over the built-in knowledge base; the index following the store's
//! revision; the CLI printing what the API answers; `admin reindex`.

use axum::http::StatusCode;
use serde_json::Value;

use crate::support::TestApp;

async fn hits(app: &TestApp, query: &str) -> (Vec<Value>, usize) {
    let answer = app.get(&format!("/api/search?{query}")).await;
    assert_eq!(answer.status, StatusCode::OK, "{query}: {}", answer.body);
    let total = answer.header("x-total-count").and_then(|t| t.parse().ok()).expect("X-Total-Count");
    (answer.json().as_array().cloned().unwrap_or_default(), total)
}

#[tokio::test]
async fn phrases_prefixes_and_not_mean_what_the_page_says() {
    let app = TestApp::built_in().await;
    // A phrase among paragraphs: every hit is a paragraph whose snippet holds the words in order.
    let (found, total) = hits(&app, "q=%22culture+of+cybersecurity%22&kind=paragraph&limit=1000").await;
    assert!(total >= 2 && found.len() == total, "{total}");
    for hit in &found {
        assert_eq!(hit["target"], "paragraph", "{hit}");
        assert!(hit["snippet"].as_str().unwrap().to_lowercase().contains("culture of cybersecurity"), "{hit}");
        assert!(hit["passage"].as_str().unwrap().starts_with("paragraph|"), "{hit}");
        assert!(hit["href"].as_str().unwrap().starts_with("/documents/"), "{hit}");
    }
    // A prefix finds at least what each of its words finds.
    let (_, prefix) = hits(&app, "q=cyber*&kind=paragraph").await;
    let (_, word) = hits(&app, "q=cybersecurity&kind=paragraph").await;
    assert!(prefix > word && word > 0, "cyber* {prefix}, cybersecurity {word}");
    // Over single passages, AND and AND NOT split the passages of a word in two.
    let (_, both) = hits(&app, "q=cybersecurity+culture&kind=paragraph").await;
    let (_, without) = hits(&app, "q=cybersecurity+-culture&kind=paragraph").await;
    let (_, either) = hits(&app, "q=cybersecurity+OR+culture&kind=paragraph").await;
    assert_eq!(both + without, word);
    assert!(either >= word && both > 0 && without > 0, "{both} {without} {either}");
}

#[tokio::test]
async fn filters_and_true_paging() {
    let app = TestApp::built_in().await;
    let (all, total) = hits(&app, "q=information&limit=1000").await;
    assert_eq!(all.len(), total, "one page holds all {total}");
    assert!(total > 20);
    // Pages of 7 are disjoint and together give the same hits in the same order.
    let mut paged = Vec::new();
    for offset in (0..total).step_by(7) {
        let (page, page_total) = hits(&app, &format!("q=information&limit=7&offset={offset}")).await;
        assert_eq!(page_total, total);
        paged.extend(page);
    }
    let keys = |list: &[Value]| list.iter().map(|h| h["passage"].as_str().unwrap().to_string()).collect::<Vec<_>>();
    assert_eq!(keys(&paged), keys(&all));
    // Years and kinds.
    let (dated, _) = hits(&app, "q=information&from=2000&to=2005&limit=1000").await;
    assert!(!dated.is_empty());
    for hit in &dated {
        let year = hit["year"].as_i64().expect("a year filter keeps dated hits only");
        assert!((2000..=2005).contains(&year), "{hit}");
    }
    let (groups, _) = hits(&app, "q=information&kind=group&limit=1000").await;
    assert!(!groups.is_empty() && groups.iter().all(|h| h["record"] == "group"), "{groups:?}");
    // One hit per record by default: no record twice.
    let mut owners: Vec<(String, String)> =
        all.iter().map(|h| (h["record"].as_str().unwrap().into(), h["id"].as_str().unwrap().into())).collect();
    owners.sort();
    let before = owners.len();
    owners.dedup();
    assert_eq!(owners.len(), before);
    // A CSV export holds every hit and the new columns.
    let csv = app.get("/api/search?q=information&format=csv").await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with("record,id,title,field,snippet,fields,href,target,passage,year,state,score"));
    let mut reader = csv::Reader::from_reader(csv.body.as_bytes());
    assert_eq!(reader.records().count(), total);
}

#[tokio::test]
async fn a_query_that_cannot_be_read_is_a_400_that_says_why() {
    let app = TestApp::built_in().await;
    for (query, reason) in [
        ("q=%22culture", "never closed"),
        ("q=(cyber", "`(` is never closed"),
        ("q=information&kind=planet", "not a kind of hit"),
        ("q=information&from=soon", "from"),
    ] {
        let answer = app.get(&format!("/api/search?{query}")).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{query}: {}", answer.body);
        assert!(answer.json()["error"].as_str().unwrap().contains(reason), "{query}: {}", answer.body);
    }
    let (none, total) = hits(&app, "q=").await;
    assert_eq!((none.len(), total), (0, 0), "no words, no hits");
}

#[tokio::test]
async fn a_symbol_finds_its_document_first() {
    let app = TestApp::built_in().await;
    let (found, _) = hits(&app, "q=A/RES/60/45").await;
    assert_eq!(found[0]["id"], "A/RES/60/45");
    assert_eq!(found[0]["href"], "/documents/A/RES/60/45");
    let page = app.get("/search?q=R/60/45").await;
    assert!(page.body.contains("The document <a class=\"symbol\" href=\"/documents/A/RES/60/45\""), "{}", page.body);
}

#[tokio::test]
async fn the_index_follows_the_revision() {
    let app = TestApp::fixture().await;
    let (before, _) = hits(&app, "q=zanzibar").await;
    assert!(before.is_empty());
    let dir = app.db.index_dir().unwrap_or_else(|| app.db.dir.path().join("normwatch.sqlite.index"));
    assert!(dir.join("meta.json").is_file(), "the index sits beside the SQLite file, or where it is told");
    let mut files = normwatch_store::kb_files::from_folder(&crate::support::fixture_kb()).unwrap();
    files.push(normwatch_core::kb::KbFile {
        path: "documents/zz.toml".into(),
        text: "[[document]]\nsymbol = \"A/RES/99/1\"\n[[document.fact]]\nsource = \"doc A/RES/53/70\"\ntitle = \"Cooperation with Zanzibar\"\n".into(),
    });
    let kb = normwatch_core::kb::load(&files).unwrap_or_else(|e| panic!("{e}"));
    app.store.load_kb(&kb, "more").await.unwrap();
    let (after, total) = hits(&app, "q=zanzibar").await;
    assert_eq!((total, after[0]["id"].as_str()), (1, Some("A/RES/99/1")), "{after:?}");
    assert_eq!(after[0]["matches"], serde_json::json!(["Zanzibar"]));
}

#[tokio::test]
async fn the_cli_prints_what_the_api_answers_and_reindexes() {
    let app = TestApp::built_in().await;
    let cli = app.cli_json(&["search", "cyber*", "--limit", "5", "--from", "2000", "--json"]);
    let api = app.get("/api/search?q=cyber*&limit=5&from=2000").await.json();
    assert_eq!(cli, api);
    let text =
        String::from_utf8(app.cli(&["search", "\"culture of cybersecurity\"", "--kind", "paragraph"]).stdout).unwrap();
    assert!(text.contains("paragraph:") && text.contains("hits"), "{text}");
    let bad = app.cli(&["search", "\"open"]);
    assert_eq!(bad.status.code(), Some(2), "a query that cannot be read is a usage error");
    assert!(String::from_utf8_lossy(&bad.stderr).contains("never closed"));
    let reindexed = app.cli_json(&["admin", "reindex", "--json"]);
    assert!(reindexed["documents"].as_u64().unwrap() > 1000, "{reindexed}");
    assert_eq!(reindexed["revision"].as_str(), Some(app.app.revision().await.unwrap().as_str()));
    // The served app keeps answering from the rewritten folder.
    assert_eq!(app.get("/api/search?q=cyber*&limit=5&from=2000").await.json(), api);
}
