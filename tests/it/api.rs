//! The views and the API over the fixture knowledge base: every route answers, the
//! OpenAPI description matches the route table, exports, pagination, ETags, search.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use normwatch_web::API_ROUTES;
use tower::ServiceExt;

/// The fixture knowledge base with a record of every kind, behind the router.
async fn app() -> (axum::Router, crate::support::TestApp) {
    let test = crate::support::TestApp::fixture().await;
    (test.router.clone(), test)
}

struct Answer {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: String,
}

async fn get_with(app: &axum::Router, uri: &str, extra: Option<(&str, &str)>) -> Answer {
    let mut request = Request::get(uri);
    if let Some((name, value)) = extra {
        request = request.header(name, value);
    }
    let response = app.clone().oneshot(request.body(Body::empty()).unwrap()).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = axum::body::to_bytes(response.into_body(), 64 << 20).await.unwrap();
    Answer { status, headers, body: String::from_utf8_lossy(&bytes).to_string() }
}

async fn get(app: &axum::Router, uri: &str) -> Answer {
    get_with(app, uri, None).await
}

fn openapi() -> serde_json::Value {
    serde_json::from_str(normwatch_web::OPENAPI).expect("openapi.json is JSON")
}

#[test]
fn the_openapi_description_lists_exactly_the_api_routes() {
    let doc = openapi();
    let mut documented: Vec<String> = doc["paths"].as_object().unwrap().keys().cloned().collect();
    let mut routes: Vec<String> = API_ROUTES.iter().map(|r| r.replace("{*", "{")).collect();
    documented.sort();
    routes.sort();
    assert_eq!(documented, routes, "openapi.json and API_ROUTES disagree");
    assert_eq!(doc["openapi"], "3.1.0");
}

#[test]
fn the_openapi_description_is_stable() {
    insta::assert_json_snapshot!("openapi", openapi());
}

#[tokio::test]
async fn every_api_route_answers_and_is_not_the_fallback() {
    let (app, _dir) = app().await;
    for route in API_ROUTES {
        let uri = route
            .replace("{*symbol}", "A/RES/53/70")
            .replace("{id}", "ga-first-ict-security")
            .replace("{iso3}", "RUS")
            .replace("{name}", "series-sponsorship.svg?id=ga-first-ict-security");
        let uri = match route {
            r if r.starts_with("/api/groups/") => uri.replace("ga-first-ict-security", "gge-2004"),
            r if r.starts_with("/api/bodies/") => uri.replace("ga-first-ict-security", "ga"),
            r if r.starts_with("/api/events/") || r.starts_with("/api/actors/") => continue,
            _ => uri,
        };
        let answer = get(&app, &uri).await;
        assert!(!answer.body.contains("no API route"), "{uri} fell through to the fallback");
        assert!(answer.status == StatusCode::OK, "{uri}: {} {}", answer.status, answer.body);
    }
}

#[tokio::test]
async fn every_page_renders_and_unknown_things_suggest() {
    let (app, _dir) = app().await;
    for uri in [
        "/",
        "/timeline",
        "/timeline?stream=economic&from=1998&to=2015",
        "/series",
        "/series/ga-first-ict-security",
        "/groups",
        "/groups/gge-2004",
        "/states",
        "/states/RUS?compare=USA,CHN",
        "/bodies",
        "/measurement",
        "/search?q=information",
        "/search",
    ] {
        let answer = get(&app, uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
        assert!(answer.body.contains("</html>"), "{uri}");
    }
    let answer = get(&app, "/series/ga-first-ict").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(answer.body.contains("href=\"/series/ga-first-ict-security\""), "{}", answer.body);
    let answer = get(&app, "/api/groups/gge-2005").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    assert!(answer.body.contains("/api/groups/gge-2004"), "{}", answer.body);
    let answer = get(&app, "/states/Russia").await;
    assert_eq!(answer.status, StatusCode::PERMANENT_REDIRECT);
    let answer = get(&app, "/states/ZZZ").await;
    assert_eq!(answer.status, StatusCode::NOT_FOUND);
    let answer = get(&app, "/api/states/RUS?compare=NOPE").await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn lists_page_filter_and_export() {
    let (app, _dir) = app().await;
    let all = get(&app, "/api/documents").await;
    let total: usize = all.headers["x-total-count"].to_str().unwrap().parse().unwrap();
    assert!(total > 2);
    let page = get(&app, "/api/documents?limit=1&offset=1").await;
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 1);
    let link = page.headers[header::LINK].to_str().unwrap();
    assert!(link.contains("rel=\"next\"") && link.contains("rel=\"prev\""), "{link}");
    let filtered = get(&app, "/api/documents?series=ga-first-ict-security&kind=resolution").await;
    let json: serde_json::Value = serde_json::from_str(&filtered.body).unwrap();
    assert!(
        json.as_array().unwrap().iter().all(|d| d["series"] == "ga-first-ict-security" && d["kind"] == "resolution")
    );
    let csv = get(&app, "/api/documents?format=csv").await;
    assert!(csv.headers[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
    assert!(csv.body.starts_with("symbol,kind,title,year"), "{}", csv.body);
    let table = get(&app, "/api/documents/A/RES/53/70?table=sources&format=csv").await;
    assert_eq!(table.status, StatusCode::OK);
    assert!(table.body.starts_with("field,value,shown,source,basis"));
    let unknown = get(&app, "/api/documents/A/RES/53/70?table=nope").await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("sources"));
    let timeline = get(&app, "/api/timeline?from=1998&to=2000&format=csv").await;
    assert!(timeline.body.starts_with("year,date,lane,record"));
    let bad = get(&app, "/api/timeline?from=soon").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn api_answers_carry_etags_and_honour_if_none_match() {
    let (app, _dir) = app().await;
    let first = get(&app, "/api/series").await;
    let tag = first.headers[header::ETAG].to_str().unwrap().to_string();
    let again = get_with(&app, "/api/series", Some(("if-none-match", &tag))).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    let other = get_with(&app, "/api/series", Some(("if-none-match", "\"nope\""))).await;
    assert_eq!(other.status, StatusCode::OK);
}

#[tokio::test]
async fn search_finds_titles_and_annexed_texts_and_escapes() {
    let (app, _dir) = app().await;
    let answer = get(&app, "/api/search?q=telecommunications").await;
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert!(!json.as_array().unwrap().is_empty(), "{}", answer.body);
    let page = get(&app, "/search?q=%3Cscript%3E%22+OR+").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>\""));
    let symbol = get(&app, "/search?q=A/RES/53/70").await;
    assert!(symbol.body.contains("href=\"/documents/A/RES/53/70\""));
}

#[tokio::test]
async fn static_assets_are_embedded() {
    let (app, _dir) = app().await;
    assert_eq!(get(&app, "/static/style.css").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/static/app.js").await.status, StatusCode::OK);
    assert_eq!(get(&app, "/static/nope.js").await.status, StatusCode::NOT_FOUND);
}
