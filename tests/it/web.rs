//! The web UI and the API through the real router, on a real SQLite file.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use normwatch_core::kb::{KbFile, load};
use tower::ServiceExt;

/// The fixture knowledge base plus `extra` files, behind the router.
async fn app_with(extra: &[(&str, &str)]) -> (axum::Router, crate::support::TestApp) {
    let test = crate::support::TestApp::fixture_with(extra).await;
    (test.router.clone(), test)
}

async fn get(app: &axum::Router, uri: &str) -> (StatusCode, String, Option<String>) {
    let response = app.clone().oneshot(Request::get(uri).body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let location = response.headers().get(header::LOCATION).map(|v| v.to_str().unwrap().to_string());
    let bytes = axum::body::to_bytes(response.into_body(), 10 << 20).await.unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap(), location)
}

#[tokio::test]
async fn a_document_page_shows_facts_sources_and_conflicts() {
    let (app, _dir) = app_with(&[]).await;
    let (status, html, _) = get(&app, "/documents/A/RES/53/70").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("A/RES/53/70"));
    assert!(html.contains("Developments in the field of information and telecommunications"));
    assert!(html.contains("Conflicts between sources"), "the adoption-date conflict is shown");
    assert!(html.contains("maurer2011 §II.1.1") && html.contains("doc A/RES/53/70"));
    assert!(html.contains("Cite this"));
}

#[tokio::test]
async fn other_spellings_redirect_to_the_canonical_page() {
    let (app, _dir) = app_with(&[]).await;
    let (status, _, location) = get(&app, "/documents/R/53/70").await;
    assert_eq!(status, StatusCode::PERMANENT_REDIRECT);
    assert_eq!(location.as_deref(), Some("/documents/A/RES/53/70"));
}

#[tokio::test]
async fn the_api_returns_the_show_contract_for_segments_and_encoded_slashes() {
    let (app, _dir) = app_with(&[]).await;
    for uri in ["/api/documents/A/RES/53/70", "/api/documents/A%2FRES%2F53%2F70"] {
        let (status, body, _) = get(&app, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let json: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(json["symbol"], "A/RES/53/70");
        assert_eq!(json["conflicts"][0]["field"], "adopted_on");
        assert_eq!(json["modality"], "without_vote");
    }
    let (status, body, _) = get(&app, "/api/documents").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("A/RES/57/239"));
}

#[tokio::test]
async fn unknown_symbols_are_404s_with_suggestions() {
    let (app, _dir) = app_with(&[]).await;
    let (status, body, _) = get(&app, "/api/documents/A/RES/53/71").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["suggestions"][0], "A/RES/53/70");

    let (status, html, _) = get(&app, "/documents/A/RES/53/71").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("href=\"/documents/A/RES/53/70\""), "{html}");

    let (status, _, _) = get(&app, "/no/such/page").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn output_is_escaped() {
    let hostile = "[[document]]\nsymbol = \"A/RES/99/1\"\n[[document.fact]]\nsource = \"doc A/RES/99/1\"\ntitle = \"<script>alert('x')</script>\"\n";
    let (app, _dir) = app_with(&[("documents/hostile.toml", hostile)]).await;
    for uri in ["/", "/documents/A/RES/99/1"] {
        let (status, html, _) = get(&app, uri).await;
        assert_eq!(status, StatusCode::OK);
        assert!(!html.contains("<script>alert"), "{uri} renders markup from data");
        assert!(html.contains("&#60;script&#62;") || html.contains("&lt;script&gt;"), "{uri} shows the text escaped");
    }
}

#[tokio::test]
async fn the_home_page_lists_series_and_documents() {
    let (app, _dir) = app_with(&[]).await;
    let (status, html, _) = get(&app, "/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("ga-first-ict-security"));
    assert!(html.contains("href=\"/documents/A/C.1/61/L.35\""));
}

#[tokio::test]
async fn serves_over_a_real_socket() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let test = crate::support::TestApp::fixture().await;
    let addr = test.serve().await;
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").await.unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).await.unwrap();
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");
    assert!(response.ends_with("ok"), "{response}");
}

/// A write to the store moves its revision: the next answer is recomputed (not the cached
/// serialized document) and carries another ETag, so a client's old tag no longer matches.
#[tokio::test]
async fn a_new_revision_refreshes_cached_answers_and_their_tags() {
    let fixture = normwatch_store::kb_files::from_folder(&crate::support::fixture_kb()).unwrap();
    let test = crate::support::TestApp::with_files(fixture.clone()).await;
    let (store, app) = (test.store.clone(), test.router.clone());

    let first =
        app.clone().oneshot(Request::get("/api/documents/A/RES/53/70").body(Body::empty()).unwrap()).await.unwrap();
    let tag = first.headers()[header::ETAG].to_str().unwrap().to_string();
    let body = String::from_utf8(axum::body::to_bytes(first.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap();
    assert!(body.contains("Developments in the field") && !body.contains("Revised title"));

    // The curator edits the title of A/RES/53/70 and reloads.
    let files: Vec<KbFile> = fixture
        .iter()
        .map(|f| KbFile {
            path: f.path.clone(),
            text: f.text.replace("Developments in the field", "Revised title in the field"),
        })
        .collect();
    assert_ne!(files.iter().map(|f| &f.text).collect::<Vec<_>>(), fixture.iter().map(|f| &f.text).collect::<Vec<_>>());
    store.load_kb(&load(&files).unwrap_or_else(|e| panic!("{e}")), "second").await.unwrap();

    let request = Request::get("/api/documents/A/RES/53/70").header(header::IF_NONE_MATCH, &tag);
    let second = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    assert_eq!(second.status(), StatusCode::OK, "the old tag must not match the new revision");
    assert_ne!(second.headers()[header::ETAG].to_str().unwrap(), tag);
    let body = String::from_utf8(axum::body::to_bytes(second.into_body(), 1 << 20).await.unwrap().to_vec()).unwrap();
    assert!(body.contains("Revised title in the field"), "{body}");
}
