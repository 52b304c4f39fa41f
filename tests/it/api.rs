//! The views and the API over the fixture knowledge base: every route answers, the served
//! OpenAPI description covers exactly the routes and describes every answer, exports,
//! pagination, ETags, bad parameters, security headers, search.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
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

async fn served_openapi(app: &axum::Router) -> serde_json::Value {
    let answer = get(app, "/api/openapi.json").await;
    assert_eq!(answer.status, StatusCode::OK);
    serde_json::from_str(&answer.body).expect("/api/openapi.json is JSON")
}

/// The API's routes as the README's contract names them: none may disappear or move.
const CONTRACT_ROUTES: &[&str] = &[
    "/api/stats",
    "/api/timeline",
    "/api/documents",
    "/api/documents/{symbol}",
    "/api/series",
    "/api/series/{id}",
    "/api/groups",
    "/api/groups/{id}",
    "/api/states",
    "/api/states/{iso3}",
    "/api/bodies",
    "/api/bodies/{id}",
    "/api/events",
    "/api/events/{id}",
    "/api/actors",
    "/api/actors/{id}",
    "/api/measurement",
    "/api/norms",
    "/api/norms/{id}",
    "/api/search",
    "/api/terms",
    "/api/kwic",
    "/api/speeches/{iso3}/{year}",
    "/api/paragraphs/{symbol}",
    "/api/diff",
    "/api/figures/{name}",
    "/api/frameworks",
];

/// The private routes of the self-assessment (per user; tested in `assess.rs`).
const PRIVATE_ROUTES: &[&str] = &[
    "/api/login",
    "/api/logout",
    "/api/assessments",
    "/api/assessments/import",
    "/api/assessments/{id}",
    "/api/assessments/{id}/items/{item}",
    "/api/assessments/{id}/items/{item}/workflow",
    "/api/assessments/{id}/members",
    "/api/assessments/{id}/audit",
    "/api/assessments/{id}/reassess",
    "/api/assessments/{id}/compare/{other}",
    "/api/assessments/{id}/crosswalk",
    "/api/assessments/{id}/export",
    "/api/assessments/{id}/items/{item}/evidence",
    "/api/assessments/{id}/evidence/{sha256}",
    "/api/account",
    "/api/account/password",
    "/api/users",
    "/api/users/{email}",
    "/api/users/audit",
];

#[tokio::test]
async fn the_served_openapi_description_is_stable() {
    let (app, _dir) = app().await;
    let doc = served_openapi(&app).await;
    assert_eq!(doc["openapi"], "3.1.0");
    insta::assert_json_snapshot!("openapi", doc);
}

#[tokio::test]
async fn the_openapi_description_lists_the_contract_routes() {
    let (app, _dir) = app().await;
    let doc = served_openapi(&app).await;
    let mut documented: Vec<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    let mut contract = [CONTRACT_ROUTES, PRIVATE_ROUTES].concat();
    documented.sort_unstable();
    contract.sort_unstable();
    assert_eq!(documented, contract);
}

/// Every schema says what it holds: no bare `object` (or `{}`) without properties or a
/// typed value for its keys.
#[tokio::test]
async fn the_openapi_description_types_every_answer() {
    fn walk(path: &str, value: &serde_json::Value, problems: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                let is_object = map
                    .get("type")
                    .is_some_and(|t| t == "object" || t.as_array().is_some_and(|a| a.contains(&"object".into())));
                if is_object
                    && !map.contains_key("properties")
                    && !map.get("additionalProperties").is_some_and(|a| a.is_object())
                {
                    problems.push(format!("{path}: an object without properties"));
                }
                for (key, inner) in map {
                    if (key == "schema" || key == "items" || key == "additionalProperties")
                        && inner.as_object().is_some_and(|o| o.is_empty())
                    {
                        problems.push(format!("{path}/{key}: an empty schema"));
                    }
                    walk(&format!("{path}/{key}"), inner, problems);
                }
            }
            serde_json::Value::Array(items) => {
                for (i, inner) in items.iter().enumerate() {
                    walk(&format!("{path}/{i}"), inner, problems);
                }
            }
            _ => {}
        }
    }
    let (app, _dir) = app().await;
    let doc = served_openapi(&app).await;
    let mut problems = Vec::new();
    walk("", &doc, &mut problems);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    for (path, item) in doc["paths"].as_object().unwrap() {
        if item.get("get").is_none() {
            continue;
        }
        let ok = &item["get"]["responses"]["200"];
        assert!(ok["content"].as_object().is_some_and(|c| !c.is_empty()), "{path} does not describe its answer");
    }
    let export = doc["paths"]["/api/documents"]["get"]["parameters"].as_array().unwrap();
    let format = export.iter().find(|p| p["name"] == "format").expect("lists document `format`");
    assert!(format["description"].as_str().unwrap().contains("every row"), "{format}");
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_binary() {
    let (app, _dir) = app().await;
    let page = get(&app, "/api/docs/").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("swagger"), "{}", page.body);
    let init = get(&app, "/api/docs/swagger-initializer.js").await;
    assert_eq!(init.status, StatusCode::OK);
    assert!(init.body.contains("/api/openapi.json"), "{}", init.body);
    assert_eq!(get(&app, "/api/docs/swagger-ui-bundle.js").await.status, StatusCode::OK);
}

/// The routes that answer from imported speeches and texts.
const NEEDS_IMPORTS: &[&str] =
    &["/api/terms", "/api/kwic", "/api/speeches/{iso3}/{year}", "/api/paragraphs/{symbol}", "/api/diff"];

#[tokio::test]
async fn every_api_route_answers_and_is_not_the_fallback() {
    let (app, _dir) = app().await;
    for route in CONTRACT_ROUTES {
        let uri = route
            .replace("{symbol}", "A/RES/53/70")
            .replace("{iso3}", "RUS")
            .replace("{year}", "1998")
            .replace("{name}", "series-sponsorship.svg?id=ga-first-ict-security");
        let uri = match *route {
            r if r.starts_with("/api/groups/") => uri.replace("{id}", "gge-2004"),
            r if r.starts_with("/api/bodies/") => uri.replace("{id}", "ga"),
            r if r.starts_with("/api/events/") => uri.replace("{id}", "first-resolution-debate"),
            r if r.starts_with("/api/actors/") => uri.replace("{id}", "first-chair"),
            r if r.starts_with("/api/norms/") => uri.replace("{id}", "culture-of-security"),
            _ => uri.replace("{id}", "ga-first-ict-security"),
        };
        let uri = match *route {
            "/api/terms" | "/api/kwic" => format!("{uri}?q=cyber*"),
            "/api/diff" => format!("{uri}?a=A/RES/53/70&b=A/RES/53/70"),
            _ => uri,
        };
        let answer = get(&app, &uri).await;
        assert!(!answer.body.contains("no API route"), "{uri} fell through to the fallback");
        if NEEDS_IMPORTS.contains(route) {
            // The fixture holds no speeches or imported texts: a 404 that says so (or an
            // answer from the knowledge base's reviewed paragraphs).
            assert!(
                answer.status == StatusCode::OK || answer.status == StatusCode::NOT_FOUND,
                "{uri}: {} {}",
                answer.status,
                answer.body
            );
            continue;
        }
        assert!(answer.status == StatusCode::OK, "{uri}: {} {}", answer.status, answer.body);
    }
}

#[tokio::test]
async fn events_and_actors_answer_with_their_records() {
    let (app, _dir) = app().await;
    let event: serde_json::Value =
        serde_json::from_str(&get(&app, "/api/events/first-resolution-debate").await.body).unwrap();
    assert_eq!(event["record"], "event");
    assert_eq!(event["name"], "First debate on the resolution");
    assert_eq!(event["fields"]["year"], 1998);
    assert_eq!(event["fields"]["states"], serde_json::json!(["RUS"]));
    let actors: serde_json::Value = serde_json::from_str(&get(&app, "/api/actors").await.body).unwrap();
    assert_eq!(actors[0]["id"], "first-chair");
    assert_eq!(actors[0]["fields"]["groups"], serde_json::json!(["gge-2004"]));
    let page = get(&app, "/events/first-resolution-debate").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("First debate on the resolution"));
    let page = get(&app, "/actors/first-chair").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("href=\"/groups/gge-2004\""), "{}", page.body);
    let missing = get(&app, "/api/events/first-resolution").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("/api/events/first-resolution-debate"), "{}", missing.body);
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
        "/bodies/ga",
        "/events/first-resolution-debate",
        "/actors/first-chair",
        "/documents/A/RES/53/70",
        "/measurement",
        "/search?q=information",
        "/search",
    ] {
        let answer = get(&app, uri).await;
        assert_eq!(answer.status, StatusCode::OK, "{uri}: {}", answer.body);
        assert!(answer.body.contains("</html>"), "{uri}");
        // The content security policy allows no inline script or style.
        assert!(!answer.body.contains(" style="), "{uri} has an inline style");
        assert!(!answer.body.contains("<style"), "{uri} has a style element");
        assert!(
            answer.body.matches("<script").count() == answer.body.matches("<script src=").count(),
            "{uri} has an inline script"
        );
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
}

#[tokio::test]
async fn an_export_returns_every_row_and_a_page_does_not() {
    let (app, _dir) = app().await;
    // The state table has about 200 states: more than a page.
    let page = get(&app, "/api/states").await;
    let total: usize = page.headers["x-total-count"].to_str().unwrap().parse().unwrap();
    assert!(total > 150, "{total}");
    let json: serde_json::Value = serde_json::from_str(&page.body).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 100);
    let csv = get(&app, "/api/states?format=csv").await;
    assert_eq!(csv.body.lines().count(), total + 1, "a header and every state");
    assert!(!csv.headers.contains_key(header::LINK));
    let json = get(&app, "/api/states?format=json").await;
    let rows: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), total);
    let limited = get(&app, "/api/states?format=csv&limit=10").await;
    assert_eq!(limited.body.lines().count(), 11);
    assert!(limited.headers[header::LINK].to_str().unwrap().contains("rel=\"next\""));
}

#[tokio::test]
async fn a_bad_parameter_is_a_400_that_says_why() {
    let (app, _dir) = app().await;
    for (uri, reason) in [
        ("/api/timeline?from=soon", "soon"),
        ("/api/documents?stream=maritime", "maritime"),
        ("/api/documents?kind=memo", "memo"),
        ("/api/documents?committee=Fourth", "First, Second or Third"),
        ("/api/documents?limit=many", "many"),
        ("/api/series?format=xml", "csv or json"),
        ("/api/search?q=x&kind=planet", "planet"),
        ("/api/groups?state=ZZZ", "ZZZ"),
    ] {
        let answer = get(&app, uri).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{uri}: {}", answer.body);
        let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap_or_else(|e| panic!("{uri}: {e}"));
        assert!(json["error"].as_str().unwrap().contains(reason), "{uri}: {}", answer.body);
    }
    let page = get(&app, "/timeline?from=soon").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("soon") && page.body.contains("</html>"), "{}", page.body);
    // A blank value is no filter (an unselected option of a plain form).
    assert_eq!(get(&app, "/timeline?from=&stream=&kind=").await.status, StatusCode::OK);
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let (app, _dir) = app().await;
    for uri in ["/", "/api/series", "/static/app.js", "/no/such/page", "/api/nope", "/api/docs/", "/healthz"] {
        let answer = get(&app, uri).await;
        let csp = answer.headers.get(header::CONTENT_SECURITY_POLICY).unwrap_or_else(|| panic!("{uri}: no CSP"));
        let csp = csp.to_str().unwrap();
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{uri}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'"), "{uri}: {csp}");
        assert_eq!(answer.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "{uri}");
        assert_eq!(answer.headers[header::X_FRAME_OPTIONS], "DENY", "{uri}");
        assert!(answer.headers.contains_key(header::REFERRER_POLICY), "{uri}");
    }
}

#[test]
fn templates_and_scripts_hold_no_inline_script_or_style() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("crates/normwatch-web/templates");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display();
        assert!(!text.contains("style="), "{name}: an inline style attribute");
        assert!(!text.contains("<style"), "{name}: a style element");
        assert_eq!(text.matches("<script").count(), text.matches("<script src=").count(), "{name}: an inline script");
        assert!(
            !text.contains(" onclick=") && !text.contains(" onload=") && !text.contains(" onchange="),
            "{name}: an event handler attribute"
        );
    }
}

#[tokio::test]
async fn api_answers_carry_etags_and_honour_if_none_match() {
    let (app, _dir) = app().await;
    let first = get(&app, "/api/series").await;
    let tag = first.headers[header::ETAG].to_str().unwrap().to_string();
    let again = get_with(&app, "/api/series", Some(("if-none-match", &tag))).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.headers[header::ETAG].to_str().unwrap(), tag);
    let other = get_with(&app, "/api/series", Some(("if-none-match", "\"nope\""))).await;
    assert_eq!(other.status, StatusCode::OK);
    // The tag is per address: another query is another answer.
    let filtered = get(&app, "/api/series?stream=economic").await;
    assert_ne!(filtered.headers[header::ETAG].to_str().unwrap(), tag);
    // A document answered twice (the second from the cache of serialized answers) is the same.
    let one = get(&app, "/api/documents/A/RES/53/70").await;
    let two = get(&app, "/api/documents/R/53/70").await;
    assert_eq!(one.body, two.body);
    assert_eq!(one.status, StatusCode::OK);
}

#[tokio::test]
async fn search_finds_titles_and_annexed_texts_and_escapes() {
    let (app, _dir) = app().await;
    let answer = get(&app, "/api/search?q=telecommunications").await;
    let json: serde_json::Value = serde_json::from_str(&answer.body).unwrap();
    assert!(!json.as_array().unwrap().is_empty(), "{}", answer.body);
    // A query that cannot be read: the page says why, with the form, and escapes it.
    let page = get(&app, "/search?q=%3Cscript%3E%22+OR+").await;
    assert_eq!(page.status, StatusCode::BAD_REQUEST);
    assert!(page.body.contains("never closed") && page.body.contains("name=\"q\""), "{}", page.body);
    assert!(!page.body.contains("<script>\""));
    let page = get(&app, "/search?q=%3Cscript%3E+information").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>"));
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

/// The second request for an address is answered from the kept answer of the revision: the
/// same body and the same headers (type, paging, disposition).
#[tokio::test]
async fn kept_answers_keep_their_headers() {
    let (app, _dir) = app().await;
    for uri in
        ["/api/states?format=csv&limit=5", "/api/states", "/api/figures/two-streams.svg", "/api/documents/A/RES/53/70"]
    {
        let first = get(&app, uri).await;
        let second = get(&app, uri).await;
        assert_eq!(first.status, StatusCode::OK, "{uri}: {}", first.body);
        assert_eq!(first.body, second.body, "{uri}");
        for name in [header::CONTENT_TYPE, header::CONTENT_DISPOSITION, header::LINK, header::ETAG] {
            assert_eq!(first.headers.get(&name), second.headers.get(&name), "{uri}: {name}");
        }
        assert_eq!(first.headers.get("x-total-count"), second.headers.get("x-total-count"), "{uri}");
    }
}

#[tokio::test]
async fn a_large_request_body_is_refused_before_it_is_read() {
    let (app, _dir) = app().await;
    let request = Request::post("/search")
        .header(header::CONTENT_LENGTH, "1048576")
        .body(Body::from(vec![b'x'; 1 << 20]))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(response.headers().contains_key(header::CONTENT_SECURITY_POLICY));
}
