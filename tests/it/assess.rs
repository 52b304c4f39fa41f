//! The self-assessment over HTTP (issue 12), on SQLite and, when `NORMWATCH_TEST_DATABASE`
//! names a server, on PostgreSQL: every route's access rule for each role (401 without a
//! session, 404 for a non-member, 403 for a role without the permission or without the CSRF
//! token), the session rotated at login, login attempts limited, 409 with the current item
//! on a stale version, the export → import round trip, the DOCX and PDF read back, the
//! per-user answers never kept by the public cache, and `normwatch user add`.

use std::process::Stdio;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use normwatch_app::App;
use normwatch_app::assessments::AccountRole;
use normwatch_store::Store;
use normwatch_web::{AppState, router};
use serde_json::{Value, json};
use tower::ServiceExt;

use crate::store_pg::postgres_schema;
use crate::support::TestDb;

pub(crate) const PASSWORD: &str = "correct horse battery staple";

/// One installation under test: its router and application, and what to clean up.
pub(crate) struct Site {
    pub(crate) name: &'static str,
    pub(crate) app: App,
    pub(crate) router: axum::Router,
    _db: Option<TestDb>,
    schema: Option<(sqlx::PgPool, String)>,
}

impl Site {
    pub(crate) async fn over(
        name: &'static str,
        store: Store,
        db: Option<TestDb>,
        schema: Option<(sqlx::PgPool, String)>,
    ) -> Site {
        let app = App::with_built_in_config(store).await.expect("the application starts");
        let router = router(AppState { app: app.clone() });
        Site { name, app, router, _db: db, schema }
    }

    pub(crate) async fn finish(self) {
        self.app.store().close().await;
        if let Some((admin, schema)) = self.schema {
            sqlx::raw_sql(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin).await.unwrap();
        }
    }

    /// A user with an account, signed in.
    pub(crate) async fn user(&self, email: &str) -> Client {
        self.app.add_user(email, AccountRole::Member, PASSWORD).await.unwrap();
        let mut client = self.anonymous();
        let answer = client.login(email, PASSWORD).await;
        assert_eq!(answer.status, StatusCode::OK, "{}: {}", self.name, answer.text());
        client
    }

    pub(crate) fn anonymous(&self) -> Client {
        Client { router: self.router.clone(), cookie: None, csrf: None }
    }
}

/// An SQLite site, and a PostgreSQL one when the test server is there.
pub(crate) async fn sites(test: &str) -> Vec<Site> {
    let db = TestDb::new();
    let store = Store::open(&db.path()).await.unwrap();
    let mut all = vec![Site::over("sqlite", store, Some(db), None).await];
    if let Some((admin, address, schema)) = postgres_schema(test).await {
        let store = Store::connect(&address).await.unwrap();
        all.push(Site::over("postgres", store, None, Some((admin, schema))).await);
    }
    all
}

pub(crate) struct Reply {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl Reply {
    pub(crate) fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    pub(crate) fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| panic!("invalid JSON ({e}): {}", self.text()))
    }

    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// A browser of the API: it keeps the session cookie and the CSRF token.
#[derive(Clone)]
pub(crate) struct Client {
    pub(crate) router: axum::Router,
    pub(crate) cookie: Option<String>,
    pub(crate) csrf: Option<String>,
}

impl Client {
    pub(crate) async fn send(&self, method: Method, uri: &str, body: Option<String>, csrf: Option<&str>) -> Reply {
        let mut request = Request::builder().method(method).uri(uri);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie.as_str());
        }
        if let Some(token) = csrf {
            request = request.header("x-csrf-token", token);
        }
        let body = match body {
            Some(text) => {
                request = request.header("content-type", "application/json");
                Body::from(text)
            }
            None => Body::empty(),
        };
        let response = self.router.clone().oneshot(request.body(body).unwrap()).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec();
        Reply { status, headers, body }
    }

    pub(crate) async fn get(&self, uri: &str) -> Reply {
        self.send(Method::GET, uri, None, None).await
    }

    /// An unsafe request with the session's CSRF token.
    pub(crate) async fn write(&self, method: Method, uri: &str, body: Value) -> Reply {
        self.send(method, uri, Some(body.to_string()), self.csrf.as_deref()).await
    }

    pub(crate) async fn login(&mut self, email: &str, password: &str) -> Reply {
        let reply = self
            .send(Method::POST, "/api/login", Some(json!({"email": email, "password": password}).to_string()), None)
            .await;
        if reply.status == StatusCode::OK {
            let cookie = reply.header("set-cookie").expect("a session cookie").to_string();
            assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
            self.cookie = Some(cookie.split(';').next().unwrap().to_string());
            self.csrf = Some(reply.json()["csrf_token"].as_str().unwrap().to_string());
        }
        reply
    }
}

/// A coordinator's assessment with a contributor, a reviewer and a viewer; the first
/// question assigned to the contributor.
struct Team {
    coord: Client,
    contrib: Client,
    reviewer: Client,
    viewer: Client,
    stranger: Client,
    anonymous: Client,
    id: String,
    question: String,
}

async fn team(site: &Site) -> Team {
    let coord = site.user("coord@ciip.example").await;
    let contrib = site.user("anna@ministry.example").await;
    let reviewer = site.user("rev@cert.example").await;
    let viewer = site.user("view@parliament.example").await;
    let stranger = site.user("stranger@elsewhere.example").await;
    let created = coord
        .write(
            Method::POST,
            "/api/assessments",
            json!({"framework": "64-211", "title": "National CIIP self-assessment"}),
        )
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}: {}", site.name, created.text());
    let id = created.json()["id"].as_str().unwrap().to_string();
    for (email, role) in [
        ("anna@ministry.example", "contributor"),
        ("rev@cert.example", "reviewer"),
        ("view@parliament.example", "viewer"),
    ] {
        let added = coord
            .write(Method::POST, &format!("/api/assessments/{id}/members"), json!({"email": email, "role": role}))
            .await;
        assert_eq!(added.status, StatusCode::OK, "{}", added.text());
    }
    let shown = coord.get(&format!("/api/assessments/{id}")).await.json();
    let question = shown["items"][0]["id"].as_str().unwrap().to_string();
    let assigned = coord
        .write(
            Method::POST,
            &format!("/api/assessments/{id}/items/{question}/workflow"),
            json!({"command": "assign", "to": "anna@ministry.example", "version": 1}),
        )
        .await;
    assert_eq!(assigned.status, StatusCode::OK, "{}", assigned.text());
    Team { coord, contrib, reviewer, viewer, stranger, anonymous: site.anonymous(), id, question }
}

fn answer(version: u64, text: &str) -> Value {
    json!({"status": "partial", "maturity": 2, "answer": text, "version": version, "owner": "Ministry of the Interior"})
}

#[tokio::test]
async fn every_route_refuses_by_role_401_403_404() {
    for site in sites("roles").await {
        let t = team(&site).await;
        let id = &t.id;
        let q = &t.question;
        let item = format!("/api/assessments/{id}/items/{q}");
        let who = [
            ("anonymous", &t.anonymous),
            ("stranger", &t.stranger),
            ("viewer", &t.viewer),
            ("reviewer", &t.reviewer),
            ("contributor", &t.contrib),
            ("coordinator", &t.coord),
        ];
        let mut checked = 0;
        // (method, address, body, expected status for each of `who` in order).
        let rules: Vec<(Method, String, Option<Value>, [u16; 6])> = vec![
            (Method::GET, "/api/assessments".into(), None, [401, 200, 200, 200, 200, 200]),
            (Method::GET, format!("/api/assessments/{id}"), None, [401, 404, 200, 200, 200, 200]),
            (Method::GET, format!("/api/assessments/{id}/audit"), None, [401, 404, 200, 200, 200, 200]),
            (Method::GET, format!("/api/assessments/{id}/compare/{id}"), None, [401, 404, 200, 200, 200, 200]),
            (Method::GET, format!("/api/assessments/{id}/export?format=csv"), None, [401, 404, 403, 200, 403, 200]),
            (Method::PUT, item.clone(), Some(answer(2, "Refused")), [401, 404, 403, 403, 200, 409]),
            (
                Method::POST,
                format!("{item}/workflow"),
                Some(json!({"command": "comment", "comment": "A note", "version": 3})),
                [401, 404, 403, 200, 409, 409],
            ),
            (
                Method::POST,
                format!("/api/assessments/{id}/members"),
                Some(json!({"email": "new@x.example", "role": "viewer"})),
                [401, 404, 403, 403, 403, 200],
            ),
            (Method::POST, format!("/api/assessments/{id}/reassess"), Some(json!({})), [401, 404, 403, 403, 403, 201]),
            (
                Method::POST,
                "/api/assessments".into(),
                Some(json!({"framework": "57-239", "title": "T"})),
                [401, 201, 201, 201, 201, 201],
            ),
            (Method::POST, "/api/logout".into(), Some(json!({})), [401, 204, 204, 204, 204, 204]),
        ];
        for (method, uri, body, expected) in rules {
            for ((name, client), status) in who.iter().zip(expected) {
                let reply = match &body {
                    Some(body) => client.write(method.clone(), &uri, body.clone()).await,
                    None => client.send(method.clone(), &uri, None, None).await,
                };
                assert_eq!(reply.status.as_u16(), status, "{}: {name} {method} {uri}: {}", site.name, reply.text());
                checked += 1;
            }
        }
        assert_eq!(checked, 66);
        // The list holds only the caller's assessments.
        let list = t.stranger.get("/api/assessments").await;
        assert_eq!(list.status, StatusCode::UNAUTHORIZED, "signed out by the last rule");
        site.finish().await;
    }
}

#[tokio::test]
async fn unsafe_requests_need_the_csrf_token_and_login_rotates_the_session() {
    for site in sites("csrf").await {
        let mut coord = site.user("coord@ciip.example").await;
        let body = json!({"framework": "64-211", "title": "T"}).to_string();
        let none = coord.send(Method::POST, "/api/assessments", Some(body.clone()), None).await;
        assert_eq!(none.status, StatusCode::FORBIDDEN, "{}: {}", site.name, none.text());
        let wrong = coord.send(Method::POST, "/api/assessments", Some(body.clone()), Some("0123")).await;
        assert_eq!(wrong.status, StatusCode::FORBIDDEN);
        let right = coord.send(Method::POST, "/api/assessments", Some(body), coord.csrf.clone().as_deref()).await;
        assert_eq!(right.status, StatusCode::CREATED);
        assert_eq!(site.app.my_assessments(&normwatch_assess_user("coord@ciip.example")).await.unwrap().len(), 1);

        // A login with the old cookie: a new token, the old session closed (no fixation).
        let old = coord.clone();
        let again = coord.login("coord@ciip.example", PASSWORD).await;
        assert_eq!(again.status, StatusCode::OK);
        assert_ne!(old.cookie, coord.cookie);
        assert_ne!(old.csrf, coord.csrf);
        assert_eq!(old.get("/api/assessments").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(coord.get("/api/assessments").await.status, StatusCode::OK);
        // A made-up cookie is no session.
        let forged = Client { cookie: Some("nw_session=feedface".into()), ..site.anonymous() };
        assert_eq!(forged.get("/api/assessments").await.status, StatusCode::UNAUTHORIZED);

        // Failed logins are limited per address.
        let mut guess = site.anonymous();
        for _ in 0..normwatch_app::assessments::MAX_FAILED_LOGINS {
            assert_eq!(guess.login("coord@ciip.example", "wrong password").await.status, StatusCode::UNAUTHORIZED);
        }
        assert_eq!(guess.login("coord@ciip.example", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);

        let out = coord.write(Method::POST, "/api/logout", json!({})).await;
        assert_eq!(out.status, StatusCode::NO_CONTENT);
        assert!(out.header("set-cookie").unwrap().contains("Max-Age=0"));
        assert_eq!(coord.get("/api/assessments").await.status, StatusCode::UNAUTHORIZED);
        site.finish().await;
    }
}

/// A page form's access rule: its address, its fields, and the status expected for each
/// caller, anonymous to coordinator.
type PageRule = (String, Vec<(&'static str, &'static str)>, [u16; 6]);

fn normwatch_assess_user(email: &str) -> normwatch_assess::workflow::UserId {
    normwatch_assess::workflow::UserId::parse(email).unwrap()
}

#[tokio::test]
async fn a_stale_version_gets_409_with_the_current_item() {
    for site in sites("conflict").await {
        let t = team(&site).await;
        let uri = format!("/api/assessments/{}/items/{}", t.id, t.question);
        let version =
            t.contrib.get(&format!("/api/assessments/{}", t.id)).await.json()["items"][0]["version"].as_u64().unwrap();
        // Two editors read the same version; the coordinator saves first.
        let first = t.coord.write(Method::PUT, &uri, answer(version, "The coordinator's text")).await;
        assert_eq!(first.status, StatusCode::OK, "{}: {}", site.name, first.text());
        assert_eq!(first.json()["version"], version + 1);
        let second = t.contrib.write(Method::PUT, &uri, answer(version, "The contributor's text")).await;
        assert_eq!(second.status, StatusCode::CONFLICT, "{}", second.text());
        let conflict = second.json();
        assert_eq!(conflict["current"]["answer"], "The coordinator's text");
        assert_eq!(conflict["current"]["version"], version + 1);
        assert_eq!(conflict["current"]["source"], "A/RES/64/211, annex, item 1");
        // Merged at the current version, it goes through; nothing was silently lost.
        let merged = t.contrib.write(Method::PUT, &uri, answer(version + 1, "Both texts, merged")).await;
        assert_eq!(merged.status, StatusCode::OK, "{}", merged.text());
        let audit = t.viewer.get(&format!("/api/assessments/{}/audit", t.id)).await.json();
        let edits: Vec<&Value> = audit.as_array().unwrap().iter().filter(|e| e["command"] == "save_draft").collect();
        assert_eq!(edits.len(), 2, "two accepted edits, each with its audit row");
        assert_eq!(edits[0]["after"]["answer"], "The coordinator's text");
        assert_eq!(edits[1]["before"]["answer"], "The coordinator's text");
        assert_eq!(edits[1]["actor"], "anna@ministry.example");
        site.finish().await;
    }
}

/// The text of a DOCX's `word/document.xml`, read with an XML parser (fails on bad XML).
fn docx_text(bytes: &[u8]) -> String {
    use quick_xml::events::Event;
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a DOCX is a zip archive");
    let mut xml = String::new();
    archive.by_name("word/document.xml").unwrap().read_to_string(&mut xml).unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut text = String::new();
    loop {
        match reader.read_event().unwrap_or_else(|e| panic!("word/document.xml does not parse: {e}")) {
            Event::Text(t) => {
                text.push_str(&t.decode().unwrap());
                text.push(' ');
            }
            Event::Eof => break,
            _ => {}
        }
    }
    text
}

fn flat(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[tokio::test]
async fn the_export_round_trips_and_the_reports_read_back() {
    for site in sites("export").await {
        let t = team(&site).await;
        let uri = format!("/api/assessments/{}/items/{}", t.id, t.question);
        let mut submitted = answer(2, "A national strategy covers critical information infrastructures.");
        submitted["submit"] = json!(true);
        submitted["evidence"] = json!([{"kind": "link", "url": "https://example.org/strategy", "title": "Strategy"}]);
        submitted["actions"] =
            json!([{"description": "Adopt the strategy", "due": "2027-06-30", "owner": null, "done": false}]);
        let saved = t.contrib.write(Method::PUT, &uri, submitted).await;
        assert_eq!(saved.status, StatusCode::OK, "{}: {}", site.name, saved.text());
        let sent_back = t
            .reviewer
            .write(
                Method::POST,
                &format!("{uri}/workflow"),
                json!({"command": "send_back", "comment": "Cite the act", "version": 3}),
            )
            .await;
        assert_eq!(sent_back.status, StatusCode::OK, "{}", sent_back.text());
        assert_eq!(sent_back.json()["state"], "sent_back");

        let export = t.coord.get(&format!("/api/assessments/{}/export?format=json", t.id)).await;
        assert_eq!(export.status, StatusCode::OK);
        assert_eq!(export.header("cache-control"), Some("no-store"));
        // Another installation, where the coordinator has an account.
        let db = TestDb::new();
        let other = Site::over("other", Store::open(&db.path()).await.unwrap(), Some(db), None).await;
        let coord_there = other.user("coord@ciip.example").await;
        let imported = coord_there
            .send(Method::POST, "/api/assessments/import", Some(export.text()), coord_there.csrf.as_deref())
            .await;
        assert_eq!(imported.status, StatusCode::CREATED, "{}", imported.text());
        assert_eq!(imported.json()["id"], t.id.as_str());
        let again = coord_there.get(&format!("/api/assessments/{}/export?format=json", t.id)).await;
        assert_eq!(again.text(), export.text(), "the export round-trips exactly");
        let twice = coord_there
            .send(Method::POST, "/api/assessments/import", Some(export.text()), coord_there.csrf.as_deref())
            .await;
        assert_eq!(twice.status, StatusCode::CONFLICT);
        let broken = coord_there
            .send(
                Method::POST,
                "/api/assessments/import",
                Some("{\n  \"format\": 1".into()),
                coord_there.csrf.as_deref(),
            )
            .await;
        assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(broken.json()["error"].as_str().unwrap().contains("2:"), "{}", broken.text());
        other.finish().await;

        let docx = t.reviewer.get(&format!("/api/assessments/{}/export?format=docx", t.id)).await;
        assert_eq!(docx.status, StatusCode::OK);
        assert!(docx.header("content-disposition").unwrap().contains(".docx"));
        let text = flat(&docx_text(&docx.body));
        assert!(text.contains("National CIIP self-assessment"), "{text}");
        assert!(text.contains("A/RES/64/211, annex, item 1"), "every answer cites its paragraph: {text}");
        assert!(text.contains("A national strategy covers critical information infrastructures."), "{text}");

        let pdf = t.coord.get(&format!("/api/assessments/{}/export?format=pdf&omit_names=true", t.id)).await;
        assert_eq!(pdf.status, StatusCode::OK);
        assert_eq!(pdf.header("content-type"), Some("application/pdf"));
        let body = pdf.body.clone();
        let text = std::panic::catch_unwind(move || pdf_extract::extract_text_from_mem(&body))
            .expect("pdf-extract did not panic")
            .expect("the PDF's text can be extracted");
        let text = flat(&text);
        assert!(text.contains("A/RES/64/211"), "{text}");
        assert!(!text.contains("anna@ministry.example"), "names are omitted: {text}");

        let oscal = t.coord.get(&format!("/api/assessments/{}/export?format=oscal", t.id)).await;
        assert!(oscal.json()["assessment-results"].is_object(), "{}", oscal.text());
        let bad = t.coord.get(&format!("/api/assessments/{}/export?format=xls", t.id)).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The next cycle: copied forward, to be reviewed again, compared with this one.
        let next = t.coord.write(Method::POST, &format!("/api/assessments/{}/reassess", t.id), json!({})).await;
        assert_eq!(next.status, StatusCode::CREATED);
        let next_id = next.json()["id"].as_str().unwrap().to_string();
        let shown = t.contrib.get(&format!("/api/assessments/{next_id}")).await.json();
        assert_eq!(shown["items"][0]["state"], "in_review");
        assert_eq!(shown["items"][0]["answer"], "A national strategy covers critical information infrastructures.");
        let compared = t.coord.get(&format!("/api/assessments/{}/compare/{next_id}", t.id)).await;
        assert_eq!(compared.status, StatusCode::OK);
        assert_eq!(compared.json()["questions"].as_array().unwrap().len(), shown["items"].as_array().unwrap().len());
        site.finish().await;
    }
}

#[tokio::test]
async fn per_user_answers_are_never_kept_by_the_public_cache() {
    for site in sites("private").await {
        let a = site.user("a@x.example").await;
        let b = site.user("b@x.example").await;
        let created = a.write(Method::POST, "/api/assessments", json!({"framework": "58-199", "title": "A's"})).await;
        assert_eq!(created.status, StatusCode::CREATED);
        let mine = a.get("/api/assessments").await;
        assert_eq!(mine.json().as_array().unwrap().len(), 1);
        assert_eq!(mine.header("cache-control"), Some("no-store"));
        assert!(mine.header("etag").is_none(), "no ETag on a per-user answer");
        assert_eq!(b.get("/api/assessments").await.json(), json!([]), "{}: B does not get A's answer", site.name);
        // The frameworks are public and cached like any other answer.
        let frameworks = site.anonymous().get("/api/frameworks").await;
        assert_eq!(frameworks.status, StatusCode::OK);
        let list = frameworks.json();
        let ids: Vec<&str> = list.as_array().unwrap().iter().map(|f| f["id"].as_str().unwrap()).collect();
        for id in ["64-211", "57-239", "58-199"] {
            assert!(ids.contains(&id), "{ids:?}");
        }
        assert!(frameworks.header("etag").is_some());
        site.finish().await;
    }
}

#[tokio::test]
async fn user_add_reads_the_password_from_stdin_and_the_account_signs_in() {
    let db = TestDb::new();
    let run = |args: &[&str], stdin: &str| db.run_with_stdin(args, stdin);
    let added =
        run(&["user", "add", "Admin@CIIP.example", "--role", "admin", "--password-stdin"], &format!("{PASSWORD}\n"));
    assert!(added.status.success(), "{}", String::from_utf8_lossy(&added.stderr));
    assert!(String::from_utf8_lossy(&added.stdout).contains("added admin@ciip.example (admin)"));
    let twice = run(&["user", "add", "admin@ciip.example", "--password-stdin"], PASSWORD);
    assert!(!twice.status.success());
    assert!(String::from_utf8_lossy(&twice.stderr).contains("exists already"));
    let no_stdin = run(&["user", "add", "b@ciip.example"], "");
    assert!(!no_stdin.status.success());
    assert!(String::from_utf8_lossy(&no_stdin.stderr).contains("--password-stdin"));
    let site = Site::over(if db.is_postgres() { "postgres" } else { "sqlite" }, db.store().await, None, None).await;
    let mut admin = site.anonymous();
    let reply = admin.login("admin@ciip.example", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["user"], json!({"email": "admin@ciip.example", "role": "admin"}));
    site.finish().await;
}

#[tokio::test]
async fn uploads_are_checked_limited_and_private() {
    for site in sites("upload").await {
        let t = team(&site).await;
        let base = format!("/api/assessments/{}/items/{}/evidence", t.id, t.question);
        let upload = |client: &Client, name: &str, content_type: &str, bytes: Vec<u8>, version: u64| {
            let client = client.clone();
            let uri = format!("{base}?name={name}&version={version}");
            let content_type = content_type.to_string();
            async move {
                let mut request = Request::post(uri).header("content-type", content_type);
                if let Some(cookie) = &client.cookie {
                    request = request.header("cookie", cookie.as_str());
                }
                if let Some(token) = &client.csrf {
                    request = request.header("x-csrf-token", token.as_str());
                }
                let response = client.router.clone().oneshot(request.body(Body::from(bytes)).unwrap()).await.unwrap();
                let status = response.status();
                let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap();
                (status, String::from_utf8_lossy(&body).into_owned())
            }
        };
        let pdf = b"%PDF-1.7\n% a plan\n".to_vec();
        let (status, body) = upload(&t.viewer, "plan.pdf", "application/pdf", pdf.clone(), 2).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{}: {body}", site.name);
        let (status, _) = upload(&t.stranger, "plan.pdf", "application/pdf", pdf.clone(), 2).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let (status, body) = upload(&t.contrib, "plan.pdf", "application/pdf", b"MZ not a pdf".to_vec(), 2).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let (status, body) = upload(&t.contrib, "tool.exe", "application/x-msdownload", pdf.clone(), 2).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let big = vec![b'a'; normwatch_assess::evidence::MAX_EVIDENCE_FILE_BYTES as usize + 1];
        let (status, body) = upload(&t.contrib, "big.txt", "text/plain", big, 2).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
        let huge = vec![b'a'; normwatch_web::PRIVATE_BODY_LIMIT + 1];
        let (status, _) = upload(&t.contrib, "huge.txt", "text/plain", huge, 2).await;
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
        let (status, body) = upload(&t.contrib, "plan.pdf", "application/pdf", pdf.clone(), 2).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let item: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(item["version"], 3);
        let sha = item["evidence"][0]["sha256"].as_str().unwrap().to_string();
        assert_eq!(item["evidence"][0]["size"], pdf.len());
        let file = t.viewer.get(&format!("/api/assessments/{}/evidence/{sha}", t.id)).await;
        assert_eq!(file.status, StatusCode::OK);
        assert_eq!(file.body, pdf);
        assert_eq!(file.header("content-disposition"), Some("attachment"));
        assert_eq!(
            t.stranger.get(&format!("/api/assessments/{}/evidence/{sha}", t.id)).await.status,
            StatusCode::NOT_FOUND
        );
        let (status, _) = upload(&t.contrib, "plan.pdf", "application/pdf", pdf, 2).await;
        assert_eq!(status, StatusCode::CONFLICT, "a stale version is refused for uploads too");
        site.finish().await;
    }
}

impl Client {
    /// Signs in with the sign-in page's form, as a browser does: the page's token in the
    /// hidden field and in its cookie. Keeps the session cookie on success.
    pub(crate) async fn form_login(&mut self, email: &str, password: &str) -> Reply {
        let page = self.get("/login").await;
        let token = hidden(&page.text(), "csrf_token");
        let cookie = page.header("set-cookie").unwrap().split(';').next().unwrap().to_string();
        assert!(cookie.starts_with("nw_login="), "{cookie}");
        let reply = self
            .form_with_cookie("/login", &[("csrf_token", &token), ("email", email), ("password", password)], &cookie)
            .await;
        if reply.status == StatusCode::SEE_OTHER {
            self.cookie = Some(reply.header("set-cookie").unwrap().split(';').next().unwrap().to_string());
        }
        reply
    }

    /// Posts a form (`application/x-www-form-urlencoded`), as a browser does.
    pub(crate) async fn form(&self, uri: &str, fields: &[(&str, &str)]) -> Reply {
        self.form_with_cookie(uri, fields, "").await
    }

    async fn form_with_cookie(&self, uri: &str, fields: &[(&str, &str)], extra_cookie: &str) -> Reply {
        let body = fields
            .iter()
            .map(|(k, v)| format!("{k}={}", v.bytes().map(|b| format!("%{b:02X}")).collect::<String>()))
            .collect::<Vec<_>>()
            .join("&");
        let mut request = Request::post(uri).header("content-type", "application/x-www-form-urlencoded");
        let cookies: Vec<&str> =
            self.cookie.as_deref().into_iter().chain(Some(extra_cookie).filter(|c| !c.is_empty())).collect();
        if !cookies.is_empty() {
            request = request.header("cookie", cookies.join("; "));
        }
        let response = self.router.clone().oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec();
        Reply { status, headers, body }
    }
}

/// The value of a form's hidden field `name` in a page.
pub(crate) fn hidden(page: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    page.split(&marker)
        .nth(1)
        .unwrap_or_else(|| panic!("no field {name} in {page}"))
        .split('"')
        .next()
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn the_pages_sign_in_show_the_dashboard_and_merge_a_stale_save() {
    for site in sites("pages").await {
        let t = team(&site).await;
        // Signing in with the form: a cookie and a redirect to the list.
        site.app.add_user("page@x.example", AccountRole::Member, PASSWORD).await.unwrap();
        let mut browser = site.anonymous();
        assert_eq!(
            browser.get("/assessments").await.status,
            StatusCode::SEE_OTHER,
            "{}: to the sign-in page",
            site.name
        );
        let login = browser.get("/login").await;
        assert!(login.text().contains("name=\"password\""));
        // The sign-in form is refused without its token (login CSRF), or with another one.
        let forged = browser.form("/login", &[("email", "page@x.example"), ("password", PASSWORD)]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}", forged.text());
        assert!(forged.header("set-cookie").is_none_or(|c| !c.starts_with("nw_session=")));
        let other = browser
            .form_with_cookie(
                "/login",
                &[("csrf_token", "0011"), ("email", "page@x.example"), ("password", PASSWORD)],
                "nw_login=0022",
            )
            .await;
        assert_eq!(other.status, StatusCode::FORBIDDEN);
        let wrong = browser.form_login("page@x.example", "nope").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
        let signed = browser.form_login("page@x.example", PASSWORD).await;
        assert_eq!(signed.status, StatusCode::SEE_OTHER);
        assert_eq!(signed.header("location"), Some("/assessments"));
        let list = browser.get("/assessments").await;
        assert_eq!(list.status, StatusCode::OK);
        assert_eq!(list.header("cache-control"), Some("no-store"));
        assert!(list.text().contains("not a member of any assessment"), "{}", list.text());
        assert_eq!(browser.get(&format!("/assessments/{}", t.id)).await.status, StatusCode::NOT_FOUND);

        // The contributor's dashboard: progress, the assigned question as a task; escaped titles.
        let mut anna = site.anonymous();
        assert_eq!(anna.form_login("anna@ministry.example", PASSWORD).await.status, StatusCode::SEE_OTHER);
        let dashboard = anna.get(&format!("/assessments/{}", t.id)).await;
        assert_eq!(dashboard.status, StatusCode::OK);
        let html = dashboard.text();
        assert!(html.contains("Progress by section") && html.contains("My tasks"), "{html}");
        let page_uri = format!("/assessments/{}/items/{}", t.id, t.question);
        assert!(html.contains(&format!("href=\"{page_uri}\"")), "the task links to the question");

        let page = anna.get(&page_uri).await.text();
        assert!(page.contains("A/RES/64/211, annex, item 1"), "{page}");
        let csrf = page.split("name=\"csrf_token\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let version = page.split("name=\"version\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        let save = |csrf: String, version: String, text: &'static str| {
            let anna = anna.clone();
            let uri = page_uri.clone();
            async move {
                anna.form(
                    &uri,
                    &[
                        ("csrf_token", &csrf),
                        ("version", &version),
                        ("status", "partial"),
                        ("maturity", "2"),
                        ("answer", text),
                    ],
                )
                .await
            }
        };
        assert_eq!(save(String::new(), version.clone(), "x").await.status, StatusCode::FORBIDDEN, "no CSRF token");
        // Someone else saves first; this form's version is stale: the merge view shows both.
        let first = t
            .coord
            .write(
                Method::PUT,
                &format!("/api/assessments/{}/items/{}", t.id, t.question),
                answer(2, "<b>Coordinator</b>"),
            )
            .await;
        assert_eq!(first.status, StatusCode::OK);
        let stale = save(csrf.clone(), version.clone(), "Anna's text").await;
        assert_eq!(stale.status, StatusCode::CONFLICT);
        let merge = stale.text();
        assert!(merge.contains("Someone else changed this answer"), "{merge}");
        assert!(
            merge.contains("&#60;b&#62;Coordinator&#60;/b&#62;") && !merge.contains("<b>Coordinator"),
            "escaped: {merge}"
        );
        assert!(merge.contains("Anna&#39;s text"), "{merge}");
        assert!(merge.contains("name=\"version\" value=\"3\""), "the merge form carries the current version");
        let saved = save(csrf, "3".into(), "Merged").await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        let after = anna.get(&page_uri).await.text();
        assert!(after.contains("Merged") && after.contains("save draft"), "the history lists the saves: {after}");
        site.finish().await;
    }
}

/// The pages in headless Chromium (`tests/browser/assess.mjs`): sign in, dashboard, answer,
/// and two editors on one question getting the merge view. Needs what the other browser
/// test needs (Node, `npm ci` in tests/browser, Debian's chromium), or
/// `NORMWATCH_SKIP_BROWSER=1`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_pages_work_in_a_real_browser() {
    if !crate::support::browser_tests_run("the self-assessment's pages") {
        return;
    }
    let db = TestDb::new();
    let site = Site::over("sqlite", Store::open(&db.path()).await.unwrap(), Some(db), None).await;
    let t = team(&site).await;
    let args =
        [format!("/assessments/{}", t.id), format!("/assessments/{}/items/{}", t.id, t.question), PASSWORD.to_string()];
    crate::support::run_browser_script(site.app.clone(), "assess.mjs", &args).await;
    site.finish().await;
}

/// An assessment through the crosswalk: a question answered "in place" reaches its norms
/// (partly, since every 64/211 edge makes the norm wider than the item) and, through them,
/// elements of 58/199; the rest are gaps. Derived, with the edges; members only.
#[tokio::test]
async fn an_assessment_is_seen_through_the_crosswalk() {
    for site in sites("crosswalk").await {
        let t = team(&site).await;
        let id = &t.id;
        let assigned = t
            .coord
            .write(
                Method::POST,
                &format!("/api/assessments/{id}/items/4/workflow"),
                json!({"command": "assign", "to": "anna@ministry.example", "version": 1}),
            )
            .await;
        assert_eq!(assigned.status, StatusCode::OK, "{}: {}", site.name, assigned.text());
        let saved = t
            .contrib
            .write(
                Method::PUT,
                &format!("/api/assessments/{id}/items/4"),
                json!({"status": "in_place", "maturity": 3, "answer": "Adopted in 2024", "version": 2}),
            )
            .await;
        assert_eq!(saved.status, StatusCode::OK, "{}", saved.text());

        let uri = format!("/api/assessments/{id}/crosswalk");
        assert_eq!(t.anonymous.get(&uri).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(t.stranger.get(&uri).await.status, StatusCode::NOT_FOUND, "a non-member learns nothing");
        let reply = t.viewer.get(&uri).await;
        assert_eq!(reply.status, StatusCode::OK, "{}: {}", site.name, reply.text());
        assert_eq!(reply.header("cache-control"), Some("no-store"), "private answers are never kept");
        let body = reply.json();
        assert_eq!(body["document"], "A/RES/64/211");
        assert!(body["rule"].as_str().unwrap().contains("never answered by the team"));
        let norms = body["norms"].as_array().unwrap();
        let norm = |id: &str| norms.iter().find(|n| n["norm"] == id).unwrap_or_else(|| panic!("{id}"));
        let cip = norm("protect-critical-infrastructure");
        assert_eq!(cip["coverage"], "partly_covered", "{cip}");
        let carrier = &cip["carriers"][0];
        assert_eq!(carrier["answer"]["question"], "4");
        assert_eq!(carrier["answer"]["status"], "in_place");
        assert_eq!(carrier["edge"]["relation"], "superset-of");
        assert_eq!(carrier["edge"]["source"], "maurer2011 §Appendix 64/211");
        assert_eq!(norm("risk-management")["coverage"], "not_covered", "items 1-3 are not started");
        // Gaps first; the counts add up to every norm.
        assert_eq!(norms[0]["coverage"], "not_covered");
        let counted: u64 = body["norm_counts"].as_array().unwrap().iter().map(|c| c["count"].as_u64().unwrap()).sum();
        assert_eq!(counted as usize, norms.len());
        // 58/199 element 3 is reached through the norm, with both edges.
        let elements = body["elements"].as_array().unwrap();
        let e3 = elements.iter().find(|e| e["document"] == "A/RES/58/199" && e["number"] == "3").expect("58/199 3");
        assert_eq!(e3["coverage"], "partly_covered", "{e3}");
        let chain = e3["via"].as_array().unwrap().iter().find(|v| v["kind"] == "norm").expect("a chain via a norm");
        assert_eq!(chain["norm"], "protect-critical-infrastructure");
        assert_eq!(chain["edges"][0]["symbol"], "A/RES/64/211");
        assert_eq!(chain["edges"][1]["symbol"], "A/RES/58/199");
        assert!(elements.iter().any(|e| e["document"] == "A/RES/57/239"), "57/239's elements are listed too");
        assert!(elements.iter().any(|e| e["coverage"] == "not_covered"), "and the gaps");

        // The page, for members; the dashboard links to it.
        let page = t.viewer.get(&format!("/assessments/{id}/crosswalk")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        let html = page.text();
        assert!(html.contains("through the crosswalk") && html.contains("/norms/protect-critical-infrastructure"));
        assert!(html.contains("superset-of") && html.contains("A/RES/58/199"));
        assert!(
            t.viewer.get(&format!("/assessments/{id}")).await.text().contains(&format!("/assessments/{id}/crosswalk"))
        );
        assert_eq!(t.stranger.get(&format!("/assessments/{id}/crosswalk")).await.status, StatusCode::NOT_FOUND);
        // A question's page names the norms its item carries, with the edge.
        let question = t.viewer.get(&format!("/assessments/{id}/items/4")).await.text();
        assert!(question.contains("Norms this item carries"), "{question}");
        assert!(question.contains("/norms/protect-critical-infrastructure") && question.contains("superset-of"));
        let anonymous = t.anonymous.get(&format!("/assessments/{id}/crosswalk")).await;
        assert_eq!(anonymous.header("location"), Some("/login"));
        site.finish().await;
    }
}

impl Client {
    /// Posts a `multipart/form-data` form, as a browser does for a file input: text fields,
    /// then one file (name, content type, bytes).
    async fn multipart(&self, uri: &str, fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> Reply {
        let boundary = "----normwatch-test-boundary-7MA4YWxkTrZu0gW";
        let mut body = Vec::new();
        for (name, value) in fields {
            body.extend_from_slice(
                format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n")
                    .as_bytes(),
            );
        }
        if let Some((file_name, content_type, bytes)) = file {
            body.extend_from_slice(
                format!(
                    "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\nContent-Type: {content_type}\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
        let mut request =
            Request::post(uri).header("content-type", format!("multipart/form-data; boundary={boundary}"));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie.as_str());
        }
        let response = self.router.clone().oneshot(request.body(Body::from(body)).unwrap()).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX).await.unwrap().to_vec();
        Reply { status, headers, body }
    }
}

/// A signed-in browser of the pages (the sign-in form, no API token).
async fn page_user(site: &Site, email: &str) -> Client {
    site.app.add_user(email, AccountRole::Member, PASSWORD).await.unwrap();
    let mut client = site.anonymous();
    let signed = client.form_login(email, PASSWORD).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}: {}", site.name, signed.text());
    client
}

/// The CSRF token and the version a page's forms carry.
async fn page_form(client: &Client, uri: &str) -> (String, String, String) {
    let page = client.get(uri).await;
    assert_eq!(page.status, StatusCode::OK, "{uri}: {}", page.text());
    let html = page.text();
    let field = |name: &str| {
        if html.contains(&format!("name=\"{name}\"")) { hidden(&html, name) } else { String::new() }
    };
    (field("csrf_token"), field("version"), html)
}

/// A team of three runs an assessment through the pages only, without a script: the
/// coordinator starts it, adds a contributor and a reviewer, assigns questions; the
/// contributor answers with an owner, a planned action and evidence (a file and a link);
/// the reviewer sends one back and accepts the rest; the coordinator reads the report
/// (names left out on request), downloads the DOCX, starts the next cycle and compares.
#[tokio::test]
async fn a_team_of_three_runs_an_assessment_through_the_pages() {
    for site in sites("team_pages").await {
        let coord = page_user(&site, "coord@ciip.example").await;
        let anna = page_user(&site, "anna@ministry.example").await;
        let rev = page_user(&site, "rev@cert.example").await;
        let outsider = page_user(&site, "out@elsewhere.example").await;

        // Start an assessment from the list page.
        let (csrf, _, list) = page_form(&coord, "/assessments").await;
        assert!(list.contains("Start an assessment") && list.contains("value=\"64-211\" selected"), "{list}");
        let forged = coord.form("/assessments", &[("framework", "64-211"), ("title", "x")]).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "{}: no CSRF token", site.name);
        let created = coord
            .form("/assessments", &[("csrf_token", &csrf), ("framework", "64-211"), ("title", "CIIP <2026>")])
            .await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.text());
        let dashboard = created.header("location").unwrap().to_string();
        let id = dashboard.trim_start_matches("/assessments/").to_string();

        // Members, from the dashboard; only the coordinator has the form.
        let (csrf, _, html) = page_form(&coord, &dashboard).await;
        assert!(html.contains("CIIP &#60;2026&#62;") && html.contains("<svg"), "escaped title, charts: {html}");
        for (email, role) in [("anna@ministry.example", "contributor"), ("rev@cert.example", "reviewer")] {
            let added = coord
                .form(&format!("{dashboard}/members"), &[("csrf_token", &csrf), ("email", email), ("role", role)])
                .await;
            assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.text());
        }
        let (anna_csrf, _, _) = page_form(&anna, "/assessments").await;
        let (_, _, anna_dash) = page_form(&anna, &dashboard).await;
        assert!(!anna_dash.contains("Add or change member") && !anna_dash.contains("Start reassessment"));
        let refused = anna
            .form(
                &format!("{dashboard}/members"),
                &[("csrf_token", &anna_csrf), ("email", "x@y.example"), ("role", "viewer")],
            )
            .await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert_eq!(outsider.get(&dashboard).await.status, StatusCode::NOT_FOUND, "private by default");

        // The coordinator assigns the first two questions to the contributor.
        let items = coord.get(&format!("/api/assessments/{id}")).await.json()["items"].clone();
        let q1 = format!("{dashboard}/items/{}", items[0]["id"].as_str().unwrap());
        let q2 = format!("{dashboard}/items/{}", items[1]["id"].as_str().unwrap());
        for q in [&q1, &q2] {
            let (csrf, version, html) = page_form(&coord, q).await;
            assert!(html.contains("Give this question to") && html.contains("anna@ministry.example (contributor)"));
            assert!(!html.contains("rev@cert.example (reviewer)"), "a reviewer cannot be given a question");
            let assigned = coord
                .form(
                    &format!("{q}/workflow"),
                    &[
                        ("csrf_token", &csrf),
                        ("version", &version),
                        ("command", "assign"),
                        ("to", "anna@ministry.example"),
                    ],
                )
                .await;
            assert_eq!(assigned.status, StatusCode::SEE_OTHER, "{}", assigned.text());
        }
        let (_, _, anna_dash) = page_form(&anna, &dashboard).await;
        assert!(anna_dash.contains(&format!("href=\"{q1}\"")), "a task on the contributor's dashboard");

        // The contributor: evidence (a file, then a link) and the answer with an owner and an action.
        let pdf = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".to_vec();
        let (csrf, version, html) = page_form(&anna, &q2).await;
        assert!(html.contains("enctype=\"multipart/form-data\""), "{html}");
        let no_token = anna
            .multipart(&format!("{q2}/evidence"), &[("version", &version)], Some(("plan.pdf", "application/pdf", &pdf)))
            .await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
        let wrong_type = anna
            .multipart(
                &format!("{q2}/evidence"),
                &[("csrf_token", &csrf), ("version", &version)],
                Some(("plan.pdf", "application/pdf", b"MZ not a pdf")),
            )
            .await;
        assert_eq!(wrong_type.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong_type.text());
        assert!(wrong_type.text().contains("the upload is refused"), "{}", wrong_type.text());
        let uploaded = anna
            .multipart(
                &format!("{q2}/evidence"),
                &[("csrf_token", &csrf), ("version", &version)],
                Some(("plan.pdf", "application/pdf", &pdf)),
            )
            .await;
        assert_eq!(uploaded.status, StatusCode::SEE_OTHER, "{}", uploaded.text());
        let (csrf, version, html) = page_form(&anna, &q2).await;
        let download = html.split("<a href=\"/api/assessments/").nth(1).unwrap().split('"').next().unwrap();
        let file = anna.get(&format!("/api/assessments/{download}")).await;
        assert_eq!((file.status, file.body.clone()), (StatusCode::OK, pdf.clone()), "the file downloads");
        assert_eq!(outsider.get(&format!("/api/assessments/{download}")).await.status, StatusCode::NOT_FOUND);
        let linked = anna
            .multipart(
                &format!("{q2}/evidence"),
                &[
                    ("csrf_token", &csrf),
                    ("version", &version),
                    ("url", "https://cert.example/annual-report"),
                    ("title", "CERT annual report"),
                ],
                None,
            )
            .await;
        assert_eq!(linked.status, StatusCode::SEE_OTHER, "{}", linked.text());
        // A link added by mistake is taken out again with its own form; at a stale version
        // or a position the answer does not have, nothing is removed.
        let (csrf, version, _) = page_form(&anna, &q2).await;
        let mistake =
            [("csrf_token", csrf.as_str()), ("version", version.as_str()), ("url", "https://wrong.example/x")];
        assert_eq!(anna.multipart(&format!("{q2}/evidence"), &mistake, None).await.status, StatusCode::SEE_OTHER);
        let (csrf, version, html) = page_form(&anna, &q2).await;
        assert_eq!(html.matches("aria-label=\"Remove ").count(), 3, "a removal form per piece of evidence");
        let remove = format!("{q2}/evidence/remove");
        let stale = anna.form(&remove, &[("csrf_token", &csrf), ("version", "1"), ("index", "2")]).await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.text());
        let beyond = anna.form(&remove, &[("csrf_token", &csrf), ("version", &version), ("index", "9")]).await;
        assert_eq!(beyond.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", beyond.text());
        let no_token = anna.form(&remove, &[("version", &version), ("index", "2")]).await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
        let removed = anna.form(&remove, &[("csrf_token", &csrf), ("version", &version), ("index", "2")]).await;
        assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.text());
        let (_, _, html) = page_form(&anna, &q2).await;
        assert!(!html.contains("wrong.example") && html.contains("CERT annual report") && html.contains("plan.pdf"));
        for (q, text) in [(&q1, "Draft strategy adopted"), (&q2, "Plan in force since 2024")] {
            let (csrf, version, _) = page_form(&anna, q).await;
            let saved = anna
                .form(
                    q,
                    &[
                        ("csrf_token", &csrf),
                        ("version", &version),
                        ("status", "partial"),
                        ("maturity", "2"),
                        ("answer", text),
                        ("owner", "Ministry of the Interior"),
                        ("action_description", "Adopt the strategy"),
                        ("action_due", "2027-06-30"),
                        ("action_owner", "Cabinet office"),
                        ("submit", "1"),
                    ],
                )
                .await;
            assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.text());
        }
        let (_, _, html) = page_form(&anna, &q2).await;
        assert!(
            html.contains("CERT annual report") && html.contains("plan.pdf") && html.contains("Adopt the strategy"),
            "{html}"
        );
        assert!(
            html.contains("value=\"Ministry of the Interior\"")
                || html.contains("Owner agency: Ministry of the Interior")
        );

        // The reviewer: sends the first back (a comment is needed), accepts the second.
        let (csrf, version, html) = page_form(&rev, &q1).await;
        assert!(html.contains("Send back") && html.contains("Accept"), "{html}");
        let no_comment = rev
            .form(&format!("{q1}/workflow"), &[("csrf_token", &csrf), ("version", &version), ("command", "send_back")])
            .await;
        assert_eq!(no_comment.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", no_comment.text());
        let sent_back = rev
            .form(
                &format!("{q1}/workflow"),
                &[
                    ("csrf_token", &csrf),
                    ("version", &version),
                    ("command", "send_back"),
                    ("comment", "Cite the decree"),
                ],
            )
            .await;
        assert_eq!(sent_back.status, StatusCode::SEE_OTHER, "{}", sent_back.text());
        let stale = rev
            .form(&format!("{q1}/workflow"), &[("csrf_token", &csrf), ("version", &version), ("command", "accept")])
            .await;
        assert_eq!(stale.status, StatusCode::CONFLICT, "a stale step is refused: {}", stale.text());
        assert!(stale.text().contains("Someone else changed this question"));
        let (csrf, version, _) = page_form(&rev, &q2).await;
        let accepted = rev
            .form(&format!("{q2}/workflow"), &[("csrf_token", &csrf), ("version", &version), ("command", "accept")])
            .await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.text());
        let assign_as_reviewer = rev
            .form(
                &format!("{q1}/workflow"),
                &[("csrf_token", &csrf), ("version", "5"), ("command", "assign"), ("to", "rev@cert.example")],
            )
            .await;
        assert_eq!(assign_as_reviewer.status, StatusCode::FORBIDDEN);

        // Sent back: the contributor sees the comment, answers again; the reviewer accepts; both comment.
        let (csrf, version, html) = page_form(&anna, &q1).await;
        assert!(html.contains("Cite the decree") && html.contains("sent_back"), "{html}");
        let again = anna
            .form(
                &q1,
                &[
                    ("csrf_token", &csrf),
                    ("version", &version),
                    ("status", "in_place"),
                    ("maturity", "3"),
                    ("answer", "Decree 12/2025"),
                    ("owner", "Ministry of the Interior"),
                    ("action_done", "0"),
                    ("submit", "1"),
                ],
            )
            .await;
        assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.text());
        let (csrf, version, _) = page_form(&rev, &q1).await;
        let commented = rev
            .form(
                &format!("{q1}/workflow"),
                &[("csrf_token", &csrf), ("version", &version), ("command", "comment"), ("comment", "Thanks")],
            )
            .await;
        assert_eq!(commented.status, StatusCode::SEE_OTHER);
        let (csrf, version, _) = page_form(&rev, &q1).await;
        let accepted = rev
            .form(&format!("{q1}/workflow"), &[("csrf_token", &csrf), ("version", &version), ("command", "accept")])
            .await;
        assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.text());
        let (_, _, html) = page_form(&anna, &q1).await;
        assert!(html.contains("accepted") && html.contains("Thanks") && html.contains("done"), "{html}");

        // The coordinator's report: every answer cites its paragraph; names left out on request.
        let (_, _, html) = page_form(&coord, &dashboard).await;
        assert!(html.contains("Reports") && html.contains("format=docx"), "{html}");
        let report = coord.get(&format!("{dashboard}/report")).await;
        assert_eq!(report.status, StatusCode::OK, "{}", report.text());
        let text = report.text();
        assert!(text.contains("A/RES/64/211, annex, item 1") && text.contains("Decree 12/2025"), "{text}");
        assert!(text.contains("anna@ministry.example") && text.contains("Areas for further action"));
        let anonymous = coord.get(&format!("{dashboard}/report?omit_names=1&section=stock")).await.text();
        assert!(!anonymous.contains("anna@ministry.example") && anonymous.contains("Decree 12/2025"), "{anonymous}");
        assert_eq!(
            anna.get(&format!("{dashboard}/report")).await.status,
            StatusCode::FORBIDDEN,
            "a contributor may not export"
        );
        let docx = coord.get(&format!("/api/assessments/{id}/export?format=docx")).await;
        assert_eq!(docx.status, StatusCode::OK);
        assert!(docx.body.starts_with(b"PK"), "a zip (Office) file");

        // The next cycle, and the comparison with this one.
        let (csrf, _, _) = page_form(&coord, &dashboard).await;
        assert_eq!(
            anna.form(&format!("{dashboard}/reassess"), &[("csrf_token", &anna_csrf)]).await.status,
            StatusCode::FORBIDDEN
        );
        let next = coord.form(&format!("{dashboard}/reassess"), &[("csrf_token", &csrf), ("title", "CIIP 2027")]).await;
        assert_eq!(next.status, StatusCode::SEE_OTHER, "{}", next.text());
        let next = next.header("location").unwrap().to_string();
        assert_ne!(next, dashboard);
        let (_, _, html) = page_form(&coord, &next).await;
        assert!(html.contains("CIIP 2027") && html.contains("CIIP &#60;2026&#62;"), "both cycles listed: {html}");
        assert!(html.contains("Progress over cycles"));
        let compared = coord.get(&format!("{next}/compare")).await;
        assert_eq!(compared.status, StatusCode::OK, "{}", compared.text());
        let text = compared.text();
        assert!(text.contains("Question by question") && text.contains("unchanged"), "{text}");
        assert_eq!(outsider.get(&format!("{next}/compare")).await.status, StatusCode::NOT_FOUND);

        // Every change above is in the audit log.
        let audit = coord.get(&format!("/api/assessments/{id}/audit")).await.json();
        let commands: Vec<&str> = audit.as_array().unwrap().iter().filter_map(|e| e["command"].as_str()).collect();
        for command in ["assign", "save_draft", "submit", "send_back", "accept", "comment"] {
            assert!(commands.contains(&command), "{}: {command} audited: {commands:?}", site.name);
        }
        site.finish().await;
    }
}

/// The scenario in headless Chromium (`tests/browser/assess_team.mjs`): a team of
/// three through the pages, from a fresh installation with their three accounts. Needs
/// what the other browser tests need, or `NORMWATCH_SKIP_BROWSER=1`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_team_of_three_in_a_real_browser() {
    if !crate::support::browser_tests_run("the team's scenario") {
        return;
    }
    let db = TestDb::new();
    let site = Site::over("sqlite", Store::open(&db.path()).await.unwrap(), Some(db), None).await;
    for email in ["coord@ciip.example", "anna@ministry.example", "rev@cert.example"] {
        site.app.add_user(email, AccountRole::Member, PASSWORD).await.unwrap();
    }
    crate::support::run_browser_script(site.app.clone(), "assess_team.mjs", &[PASSWORD.to_string()]).await;
    site.finish().await;
}

/// `normwatch serve` on a first start: the administrator from `NORMWATCH_ADMIN_EMAIL` and
/// the password file is made (and only then); a malformed framework file in
/// `--frameworks DIR` stops the start with its file and line.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_makes_the_first_admin_and_refuses_a_malformed_framework() {
    use std::io::BufRead;
    let db = TestDb::new();
    let dir = tempfile::tempdir().unwrap();
    let password_file = dir.path().join("admin-password");
    std::fs::write(&password_file, format!("{PASSWORD}\n")).unwrap();
    let frameworks = dir.path().join("frameworks");
    std::fs::create_dir(&frameworks).unwrap();
    std::fs::write(frameworks.join("bad.toml"), "format = 1\n[framework\n").unwrap();
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let serve = |extra: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_normwatch"))
            .arg("--db")
            .arg(db.path())
            .arg("serve")
            .arg("--addr")
            .arg(format!("127.0.0.1:{port}"))
            .args(extra)
            .env_remove("NORMWATCH_DB")
            .env_remove("NORMWATCH_DATABASE")
            .env_remove("NORMWATCH_FRAMEWORKS_DIR")
            .env("NORMWATCH_LOG", "warn")
            .env("NORMWATCH_ADMIN_EMAIL", "Admin@CIIP.example")
            .env("NORMWATCH_ADMIN_PASSWORD_FILE", &password_file)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let bad = serve(&["--frameworks", frameworks.to_str().unwrap()]).wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(!bad.status.success() && stderr.contains("bad.toml:2:"), "file and line: {stderr}");

    let mut child = serve(&[]);
    let (lines, seen) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    std::thread::spawn(move || {
        for line in std::io::BufReader::new(stderr).lines().map_while(Result::ok) {
            if lines.send(line).is_err() {
                break;
            }
        }
    });
    let mut said = Vec::new();
    while let Ok(line) = seen.recv_timeout(std::time::Duration::from_secs(300)) {
        let serving = line.contains("serving");
        said.push(line);
        if serving {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(
        said.iter().any(|l| l.contains("added the administrator admin@ciip.example")),
        "the first start makes the admin: {said:?}"
    );
    let site = Site::over("sqlite", Store::open(&db.path()).await.unwrap(), None, None).await;
    let reply = site.anonymous().login("admin@ciip.example", PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{}", reply.text());
    assert_eq!(reply.json()["user"]["role"], "admin");
    site.finish().await;
}

/// Every page route's access rule for each role: without a session to the sign-in page
/// (303), a non-member 404, a role without the permission 403; and every form refused
/// without the session's CSRF token.
#[tokio::test]
async fn every_page_refuses_by_role_303_403_404() {
    for site in sites("page_roles").await {
        let t = team(&site).await;
        let (id, q) = (&t.id, &t.question);
        let page = format!("/assessments/{id}");
        let item = format!("{page}/items/{q}");
        let who = [
            ("anonymous", &t.anonymous),
            ("stranger", &t.stranger),
            ("viewer", &t.viewer),
            ("reviewer", &t.reviewer),
            ("contributor", &t.contrib),
            ("coordinator", &t.coord),
        ];
        let gets: Vec<(String, [u16; 6])> = vec![
            ("/assessments".into(), [303, 200, 200, 200, 200, 200]),
            (page.clone(), [303, 404, 200, 200, 200, 200]),
            (item.clone(), [303, 404, 200, 200, 200, 200]),
            (format!("{page}/report"), [303, 404, 403, 200, 403, 200]),
            (format!("{page}/compare?with={id}"), [303, 404, 200, 200, 200, 200]),
        ];
        let mut checked = 0;
        for (uri, expected) in gets {
            for ((name, client), status) in who.iter().zip(expected) {
                let reply = client.get(&uri).await;
                assert_eq!(reply.status.as_u16(), status, "{}: {name} GET {uri}: {}", site.name, reply.text());
                checked += 1;
            }
        }
        // (address, fields, expected for each of `who`): a stale version (0) shows that a
        // member passed the role check (409) where a role without the permission gets 403.
        let posts: Vec<PageRule> = vec![
            (
                format!("{item}/workflow"),
                vec![("command", "comment"), ("comment", "x"), ("version", "0")],
                [303, 404, 403, 409, 409, 409],
            ),
            (format!("{item}/workflow"), vec![("command", "accept"), ("version", "0")], [303, 404, 403, 409, 403, 409]),
            (
                format!("{item}/workflow"),
                vec![("command", "assign"), ("to", "anna@ministry.example"), ("version", "0")],
                [303, 404, 403, 403, 403, 409],
            ),
            (
                item.clone(),
                vec![("status", "partial"), ("answer", "x"), ("version", "0")],
                [303, 404, 403, 403, 409, 409],
            ),
            (format!("{item}/evidence/remove"), vec![("version", "0"), ("index", "0")], [303, 404, 403, 403, 409, 409]),
            (
                format!("{page}/members"),
                vec![("email", "new@x.example"), ("role", "viewer")],
                [303, 404, 403, 403, 403, 303],
            ),
            ("/assessments".into(), vec![("framework", "58-199"), ("title", "T")], [303, 303, 303, 303, 303, 303]),
            (format!("{page}/reassess"), vec![], [303, 404, 403, 403, 403, 303]),
        ];
        for (uri, fields, expected) in posts {
            for ((name, client), status) in who.iter().zip(expected) {
                let csrf = client.csrf.clone().unwrap_or_default();
                let mut with_token = vec![("csrf_token", csrf.as_str())];
                with_token.extend(fields.iter().copied());
                let reply = client.form(&uri, &with_token).await;
                assert_eq!(reply.status.as_u16(), status, "{}: {name} POST {uri}: {}", site.name, reply.text());
                if client.cookie.is_some() && name != &"stranger" {
                    let forged = client.form(&uri, &fields).await;
                    assert_eq!(
                        forged.status,
                        StatusCode::FORBIDDEN,
                        "{}: {name} POST {uri} without a token",
                        site.name
                    );
                }
                checked += 1;
            }
        }
        for ((name, client), status) in who.iter().zip([303, 404, 403, 403, 409, 409]) {
            let csrf = client.csrf.clone().unwrap_or_default();
            let reply = client
                .multipart(
                    &format!("{item}/evidence"),
                    &[("csrf_token", &csrf), ("version", "0")],
                    Some(("plan.txt", "text/plain", b"a plan")),
                )
                .await;
            assert_eq!(reply.status.as_u16(), status, "{}: {name} evidence: {}", site.name, reply.text());
            checked += 1;
        }
        println!("{}: {checked} page access rules checked", site.name);
        site.finish().await;
    }
}
