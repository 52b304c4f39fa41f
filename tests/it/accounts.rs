//! The installation's accounts, on SQLite and (with `NORMWATCH_TEST_DATABASE`) PostgreSQL:
//! over the API (`/api/account`, `/api/users`), through the pages (`/account`,
//! `/admin/users`) and from the command line (`normwatch user …`). Only administrators
//! manage accounts; every change is in the account audit; the last administrator stays one;
//! a disabled account cannot sign in and a new password ends the account's other sessions.

use axum::http::{Method, StatusCode};
use normwatch_app::assessments::AccountRole;
use normwatch_store::Store;
use serde_json::{Value, json};

use crate::assess::{Client, PASSWORD, Site, hidden, sites};
use crate::support::TestDb;

const NEW_PASSWORD: &str = "a longer passphrase, changed";

async fn admin(site: &Site, email: &str) -> Client {
    site.app.add_user(email, AccountRole::Admin, PASSWORD).await.unwrap();
    let mut client = site.anonymous();
    let reply = client.login(email, PASSWORD).await;
    assert_eq!(reply.status, StatusCode::OK, "{}: {}", site.name, reply.text());
    client
}

fn actions(audit: &Value) -> Vec<(String, String)> {
    audit
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["action"].as_str().unwrap().to_string(), e["email"].as_str().unwrap().to_string()))
        .collect()
}

#[tokio::test]
async fn administrators_manage_accounts_over_the_api() {
    for site in sites("accounts_api").await {
        let name = site.name;
        let boss = admin(&site, "boss@ciip.example").await;
        let anna = site.user("anna@ministry.example").await;

        // Only administrators; without a session 401, without the CSRF token 403.
        assert_eq!(site.anonymous().get("/api/users").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(anna.get("/api/users").await.status, StatusCode::FORBIDDEN, "{name}");
        assert_eq!(anna.get("/api/users/audit").await.status, StatusCode::FORBIDDEN);
        let body = json!({"email": "x@y.example", "password": PASSWORD});
        let refused = anna.write(Method::POST, "/api/users", body.clone()).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.text());
        let no_token = boss.send(Method::POST, "/api/users", Some(body.to_string()), None).await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
        let patch = anna.write(Method::PATCH, "/api/users/boss@ciip.example", json!({"disabled": true})).await;
        assert_eq!(patch.status, StatusCode::FORBIDDEN);

        // A new account: 201; the same address again 409; bad input 422 with the reason.
        let added =
            boss.write(Method::POST, "/api/users", json!({"email": "Rev@CERT.example", "password": PASSWORD})).await;
        assert_eq!(added.status, StatusCode::CREATED, "{name}: {}", added.text());
        let account = added.json();
        assert_eq!((account["email"].as_str(), account["role"].as_str()), (Some("rev@cert.example"), Some("member")));
        assert_eq!((account["disabled"].as_bool(), account["live_sessions"].as_i64()), (Some(false), Some(0)));
        let again = boss.write(Method::POST, "/api/users", json!({"email": "rev@cert.example", "password": PASSWORD}));
        assert_eq!(again.await.status, StatusCode::CONFLICT);
        for (body, reason) in [
            (json!({"email": "c@x.example", "password": "short"}), "shorter than 10"),
            (json!({"email": "c@x.example", "password": PASSWORD, "role": "root"}), "not an account role"),
            (json!({"email": "not an address", "password": PASSWORD}), "e-mail"),
        ] {
            let reply = boss.write(Method::POST, "/api/users", body).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
            assert!(reply.text().contains(reason), "{reason}: {}", reply.text());
        }
        let listed = boss.get("/api/users").await.json();
        let emails: Vec<&str> = listed.as_array().unwrap().iter().map(|a| a["email"].as_str().unwrap()).collect();
        assert_eq!(emails, ["anna@ministry.example", "boss@ciip.example", "rev@cert.example"]);

        // Disabled: the session ends and the right password is refused with the reason.
        let mut rev = site.anonymous();
        assert_eq!(rev.login("rev@cert.example", PASSWORD).await.status, StatusCode::OK);
        assert_eq!(rev.get("/api/account").await.status, StatusCode::OK);
        let off = boss.write(Method::PATCH, "/api/users/rev@cert.example", json!({"disabled": true})).await;
        assert_eq!(off.status, StatusCode::OK, "{}", off.text());
        assert_eq!((off.json()["disabled"].as_bool(), off.json()["live_sessions"].as_i64()), (Some(true), Some(0)));
        assert_eq!(rev.get("/api/account").await.status, StatusCode::UNAUTHORIZED, "{name}: the session ended");
        let refused = site.anonymous().login("rev@cert.example", PASSWORD).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN);
        assert!(refused.text().contains("disabled"), "{}", refused.text());
        let wrong = site.anonymous().login("rev@cert.example", "not the password").await;
        assert_eq!(wrong.status, StatusCode::UNAUTHORIZED, "a wrong password does not tell the account is disabled");
        boss.write(Method::PATCH, "/api/users/rev@cert.example", json!({"disabled": false})).await;
        assert_eq!(rev.login("rev@cert.example", PASSWORD).await.status, StatusCode::OK);

        // A reset password ends the account's sessions; the old password no longer works.
        let reset = boss.write(Method::PATCH, "/api/users/rev@cert.example", json!({"password": NEW_PASSWORD})).await;
        assert_eq!(reset.status, StatusCode::OK, "{}", reset.text());
        assert_eq!(rev.get("/api/account").await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(site.anonymous().login("rev@cert.example", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(rev.login("rev@cert.example", NEW_PASSWORD).await.status, StatusCode::OK);

        // The last administrator is neither demoted nor disabled; all parts or none.
        for body in
            [json!({"role": "member"}), json!({"disabled": true}), json!({"password": NEW_PASSWORD, "role": "member"})]
        {
            let reply = boss.write(Method::PATCH, "/api/users/boss@ciip.example", body).await;
            assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.text());
            assert!(reply.text().contains("last administrator"), "{}", reply.text());
        }
        assert_eq!(site.anonymous().login("boss@ciip.example", PASSWORD).await.status, StatusCode::OK);
        let promoted = boss.write(Method::PATCH, "/api/users/rev@cert.example", json!({"role": "admin"})).await;
        assert_eq!(promoted.json()["role"], "admin");
        assert_eq!(rev.get("/api/users").await.status, StatusCode::OK, "an administrator now");
        let missing = boss.write(Method::PATCH, "/api/users/nobody@x.example", json!({"disabled": true})).await;
        assert_eq!(missing.status, StatusCode::NOT_FOUND);
        let bad_role = boss.write(Method::PATCH, "/api/users/rev@cert.example", json!({"role": "owner"})).await;
        assert_eq!(bad_role.status, StatusCode::UNPROCESSABLE_ENTITY);

        // The audit: every change, newest first, by whom; never a password.
        let audit = boss.get("/api/users/audit").await;
        assert_eq!(audit.status, StatusCode::OK);
        let audit = audit.json();
        assert_eq!(
            actions(&audit),
            [
                ("role_changed", "rev@cert.example"),
                ("password_reset", "rev@cert.example"),
                ("enabled", "rev@cert.example"),
                ("disabled", "rev@cert.example"),
                ("created", "rev@cert.example"),
                ("created", "anna@ministry.example"),
                ("created", "boss@ciip.example"),
            ]
            .map(|(a, e)| (a.to_string(), e.to_string()))
        );
        assert_eq!(audit[0]["actor"], "boss@ciip.example");
        assert_eq!((audit[0]["before"].as_str(), audit[0]["after"].as_str()), (Some("member"), Some("admin")));
        assert_eq!(audit[6]["actor"], "installation");
        assert!(!audit.to_string().contains("argon2"), "no hash in the audit");
        let one = boss.get("/api/users/audit?email=anna@ministry.example").await.json();
        assert_eq!(actions(&one), [("created".to_string(), "anna@ministry.example".to_string())]);
        site.finish().await;
    }
}

#[tokio::test]
async fn everyone_changes_their_own_password() {
    for site in sites("accounts_own").await {
        let anna = site.user("anna@ministry.example").await;
        let mut other = site.anonymous();
        assert_eq!(other.login("anna@ministry.example", PASSWORD).await.status, StatusCode::OK);
        let me = anna.get("/api/account").await;
        assert_eq!(me.status, StatusCode::OK);
        assert_eq!((me.json()["role"].as_str(), me.json()["live_sessions"].as_i64()), (Some("member"), Some(2)));

        let path = "/api/account/password";
        let wrong = anna.write(Method::POST, path, json!({"current": "not it at all", "new": NEW_PASSWORD})).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", wrong.text());
        let short = anna.write(Method::POST, path, json!({"current": PASSWORD, "new": "short"})).await;
        assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
        let no_token =
            anna.send(Method::POST, path, Some(json!({"current": PASSWORD, "new": NEW_PASSWORD}).to_string()), None);
        assert_eq!(no_token.await.status, StatusCode::FORBIDDEN);
        let changed = anna.write(Method::POST, path, json!({"current": PASSWORD, "new": NEW_PASSWORD})).await;
        assert_eq!(changed.status, StatusCode::NO_CONTENT, "{}: {}", site.name, changed.text());
        assert_eq!(anna.get("/api/account").await.status, StatusCode::OK, "this session stays");
        assert_eq!(other.get("/api/account").await.status, StatusCode::UNAUTHORIZED, "the other one ended");
        assert_eq!(site.anonymous().login("anna@ministry.example", PASSWORD).await.status, StatusCode::UNAUTHORIZED);
        assert_eq!(site.anonymous().login("anna@ministry.example", NEW_PASSWORD).await.status, StatusCode::OK);
        // Wrong current passwords count as failed sign-ins: the sixth try in a row is limited.
        for _ in 0..5 {
            anna.write(Method::POST, path, json!({"current": "guess guess guess", "new": NEW_PASSWORD})).await;
        }
        let limited = site.anonymous().login("anna@ministry.example", NEW_PASSWORD).await;
        assert_eq!(limited.status, StatusCode::TOO_MANY_REQUESTS, "{}", limited.text());
        site.finish().await;
    }
}

#[tokio::test]
async fn accounts_are_managed_through_the_pages() {
    for site in sites("accounts_pages").await {
        let name = site.name;
        site.app.add_user("boss@ciip.example", AccountRole::Admin, PASSWORD).await.unwrap();
        site.app.add_user("anna@ministry.example", AccountRole::Member, PASSWORD).await.unwrap();
        let mut boss = site.anonymous();
        assert_eq!(boss.form_login("boss@ciip.example", PASSWORD).await.status, StatusCode::SEE_OTHER);
        let mut anna = site.anonymous();
        assert_eq!(anna.form_login("anna@ministry.example", PASSWORD).await.status, StatusCode::SEE_OTHER);

        // Who sees what: the list links the accounts for an administrator only.
        assert!(boss.get("/assessments").await.text().contains("href=\"/admin/users\""));
        assert!(!anna.get("/assessments").await.text().contains("href=\"/admin/users\""));
        assert_eq!(site.anonymous().get("/admin/users").await.status, StatusCode::SEE_OTHER);
        assert_eq!(site.anonymous().get("/account").await.status, StatusCode::SEE_OTHER);
        assert_eq!(anna.get("/admin/users").await.status, StatusCode::FORBIDDEN, "{name}");
        let page = boss.get("/admin/users").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text());
        assert_eq!(page.header("cache-control"), Some("no-store"));
        let csrf = hidden(&page.text(), "csrf_token");
        assert!(page.text().contains("anna@ministry.example") && page.text().contains("2 accounts"));
        let anna_csrf = hidden(&anna.get("/account").await.text(), "csrf_token");
        let fields = [("csrf_token", anna_csrf.as_str()), ("email", "x@y.example"), ("password", PASSWORD)];
        let forged = anna.form("/admin/users", &fields).await;
        assert_eq!(forged.status, StatusCode::FORBIDDEN, "a member may not add accounts");

        // Add, promote, disable, enable, reset: each a form that comes back to the list.
        let add =
            [("csrf_token", csrf.as_str()), ("email", "rev@cert.example"), ("role", "member"), ("password", PASSWORD)];
        let added = boss.form("/admin/users", &add).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{name}: {}", added.text());
        assert_eq!(added.header("location"), Some("/admin/users?done=added#accounts"));
        let no_token = boss.form("/admin/users", &add[1..]).await;
        assert_eq!(no_token.status, StatusCode::FORBIDDEN);
        let rev = "/admin/users/rev%40cert.example";
        for (fields, done) in [
            (vec![("change", "role"), ("role", "admin")], "role"),
            (vec![("change", "disable")], "disabled"),
            (vec![("change", "enable")], "enabled"),
            (vec![("change", "password"), ("password", NEW_PASSWORD)], "reset"),
        ] {
            let mut with_token = vec![("csrf_token", csrf.as_str())];
            with_token.extend(fields);
            let reply = boss.form(rev, &with_token).await;
            assert_eq!(reply.status, StatusCode::SEE_OTHER, "{done}: {}", reply.text());
            assert_eq!(reply.header("location"), Some(format!("/admin/users?done={done}#accounts").as_str()));
        }
        let odd = boss.form(rev, &[("csrf_token", &csrf), ("change", "delete")]).await;
        assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
        let last = boss.form("/admin/users/boss%40ciip.example", &[("csrf_token", &csrf), ("change", "disable")]).await;
        assert_eq!(last.status, StatusCode::SEE_OTHER, "rev is an administrator too now: {}", last.text());
        let list = boss.get("/admin/users?done=reset").await;
        assert_eq!(list.status, StatusCode::SEE_OTHER, "disabling oneself ends one's own session");
        let mut rev_browser = site.anonymous();
        assert_eq!(rev_browser.form_login("rev@cert.example", NEW_PASSWORD).await.status, StatusCode::SEE_OTHER);
        let page = rev_browser.get("/admin/users?done=reset").await.text();
        assert!(page.contains("The password is reset"), "the notice is shown");
        for action in ["created", "role changed", "disabled", "enabled", "password reset"] {
            assert!(page.contains(&format!("<td>{action}</td>")), "{action} in the audit");
        }

        // Anna's own page: a mistyped or wrong new password is shown on the page; the right one changes it.
        let account = anna.get("/account").await;
        assert_eq!(account.status, StatusCode::OK);
        assert!(account.text().contains("anna@ministry.example") && account.text().contains("member"));
        let change = |current: &'static str, new: &'static str, again: &'static str| {
            let anna = anna.clone();
            let csrf = anna_csrf.clone();
            async move {
                anna.form(
                    "/account/password",
                    &[("csrf_token", &csrf), ("current", current), ("new", new), ("again", again)],
                )
                .await
            }
        };
        let mistyped = change(PASSWORD, NEW_PASSWORD, "another passphrase").await;
        assert_eq!(mistyped.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(mistyped.text().contains("differ"), "{}", mistyped.text());
        let wrong = change("not the password", NEW_PASSWORD, NEW_PASSWORD).await;
        assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(wrong.text().contains("current password is not right"), "{}", wrong.text());
        let done = change(PASSWORD, NEW_PASSWORD, NEW_PASSWORD).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.text());
        assert!(anna.get("/account?done=password").await.text().contains("Your password is changed"));
        site.finish().await;
    }
}

#[tokio::test]
async fn the_command_line_manages_accounts() {
    let db = TestDb::new();
    let run = |args: &[&str], stdin: &str| {
        let output = db.run_with_stdin(args, stdin);
        let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
        (output.status.success(), text(&output.stdout), text(&output.stderr))
    };
    let password = format!("{PASSWORD}\n");
    assert!(run(&["user", "add", "boss@ciip.example", "--role", "admin", "--password-stdin"], &password).0);
    assert!(run(&["user", "add", "anna@ministry.example", "--password-stdin"], &password).0);
    let (ok, out, _) = run(&["--json", "user", "list"], "");
    assert!(ok);
    let listed: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 2);
    assert_eq!(
        (listed[0]["email"].as_str(), listed[0]["role"].as_str()),
        (Some("anna@ministry.example"), Some("member"))
    );
    let (_, csv, _) = run(&["user", "list", "--csv"], "");
    assert!(csv.starts_with("email,role,created_at,disabled_at,live_sessions\nanna@ministry.example,member,"), "{csv}");

    let (ok, out, err) = run(&["user", "role", "boss@ciip.example", "member"], "");
    assert!(!ok && err.contains("last administrator"), "{out}{err}");
    let (ok, _, err) = run(&["user", "disable", "boss@ciip.example"], "");
    assert!(!ok && err.contains("last administrator"), "{err}");
    assert!(run(&["user", "role", "anna@ministry.example", "admin"], "").0);
    let (ok, out, _) = run(&["user", "disable", "boss@ciip.example"], "");
    assert!(ok && out.contains("disabled"), "{out}");
    let (ok, _, err) = run(&["user", "passwd", "anna@ministry.example"], "");
    assert!(!ok && err.contains("--password-stdin"), "{err}");
    let (ok, out, _) =
        run(&["user", "passwd", "anna@ministry.example", "--password-stdin"], &format!("{NEW_PASSWORD}\n"));
    assert!(ok, "{out}");
    let (ok, _, err) = run(&["user", "enable", "nobody@x.example"], "");
    assert!(!ok && err.contains("no user nobody@x.example"), "{err}");

    let (ok, out, _) = run(&["--json", "user", "audit"], "");
    assert!(ok);
    let audit: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        actions(&audit),
        [
            ("password_reset", "anna@ministry.example"),
            ("disabled", "boss@ciip.example"),
            ("role_changed", "anna@ministry.example"),
            ("created", "anna@ministry.example"),
            ("created", "boss@ciip.example"),
        ]
        .map(|(a, e)| (a.to_string(), e.to_string()))
    );
    assert!(audit.as_array().unwrap().iter().all(|e| e["actor"] == "installation"));
    let (_, text, _) = run(&["user", "audit", "boss@ciip.example"], "");
    assert!(
        text.contains("disabled boss@ciip.example (enabled → disabled)") && text.ends_with("2 changes\n"),
        "{text}"
    );

    // What the command line did, the site sees.
    let site = Site::over(if db.is_postgres() { "postgres" } else { "sqlite" }, db.store().await, None, None).await;
    assert_eq!(site.anonymous().login("boss@ciip.example", PASSWORD).await.status, StatusCode::FORBIDDEN);
    assert_eq!(site.anonymous().login("anna@ministry.example", NEW_PASSWORD).await.status, StatusCode::OK);
    site.finish().await;
}

/// The accounts' pages in headless Chromium (`tests/browser/accounts.mjs`).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_accounts_pages_work_in_a_real_browser() {
    if !crate::support::browser_tests_run("the accounts' pages") {
        return;
    }
    let db = TestDb::new();
    let site = Site::over("sqlite", Store::open(&db.path()).await.unwrap(), None, None).await;
    site.app.add_user("boss@ciip.example", AccountRole::Admin, PASSWORD).await.unwrap();
    crate::support::run_browser_script(site.app.clone(), "accounts.mjs", &[PASSWORD.to_string()]).await;
    site.finish().await;
}

/// One sign-in over the API as a server started with connection info sees it: from `peer`,
/// with an `X-Forwarded-For` chain when given.
async fn sign_in_from(site: &Site, peer: &str, forwarded: Option<&str>, email: &str, password: &str) -> StatusCode {
    use tower::ServiceExt;
    let body = json!({"email": email, "password": password}).to_string();
    let mut request = axum::http::Request::post("/api/login").header("content-type", "application/json");
    if let Some(chain) = forwarded {
        request = request.header("x-forwarded-for", chain);
    }
    let mut request = request.body(axum::body::Body::from(body)).unwrap();
    let addr: std::net::SocketAddr = format!("{peer}:40000").parse().unwrap();
    request.extensions_mut().insert(axum::extract::ConnectInfo(addr));
    site.router.clone().oneshot(request).await.unwrap().status()
}

/// Failed sign-ins are limited per client address (20 in the window). Behind a proxy the
/// server trusts, the client is the one `X-Forwarded-For` names, so one client's failures
/// do not lock the others out; from anyone else the header is ignored, so a client cannot
/// escape the limit by claiming other addresses.
#[tokio::test]
async fn failed_sign_ins_are_counted_per_client_behind_a_trusted_proxy() {
    let max = normwatch_app::assessments::MAX_FAILED_LOGINS_PER_PEER;
    for trusted in [false, true] {
        let db = TestDb::new();
        let site = Site::over("sqlite", Store::open(&db.path()).await.unwrap(), None, None).await;
        site.app.add_user("anna@ministry.example", AccountRole::Member, PASSWORD).await.unwrap();
        if trusted {
            site.app.set_trusted_proxies(vec!["127.0.0.0/8".parse().unwrap()]);
        }
        // Each try names another account, so only the per-client limit can be reached.
        for i in 0..max {
            let status =
                sign_in_from(&site, "127.0.0.1", Some("198.51.100.1"), &format!("u{i}@x.example"), "wrong").await;
            assert_eq!(status, StatusCode::UNAUTHORIZED, "try {i}");
        }
        let same = sign_in_from(&site, "127.0.0.1", Some("198.51.100.1"), "anna@ministry.example", PASSWORD).await;
        assert_eq!(same, StatusCode::TOO_MANY_REQUESTS, "trusted {trusted}: the client that failed is limited");
        let other = sign_in_from(&site, "127.0.0.1", Some("198.51.100.2"), "anna@ministry.example", PASSWORD).await;
        let expected = if trusted { StatusCode::OK } else { StatusCode::TOO_MANY_REQUESTS };
        assert_eq!(other, expected, "trusted {trusted}: another client behind the proxy");
        // A direct client is counted by its own address whatever it claims.
        for i in 0..max {
            let claim = format!("192.0.2.{i}");
            let status = sign_in_from(&site, "203.0.113.5", Some(&claim), &format!("v{i}@x.example"), "wrong").await;
            assert_eq!(status, StatusCode::UNAUTHORIZED);
        }
        let spoofed = sign_in_from(&site, "203.0.113.5", Some("192.0.2.250"), "anna@ministry.example", PASSWORD).await;
        assert_eq!(
            spoofed,
            StatusCode::TOO_MANY_REQUESTS,
            "trusted {trusted}: the header of an untrusted client is ignored"
        );
        site.finish().await;
    }
}
