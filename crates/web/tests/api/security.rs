//! Security hardening end to end: client addresses behind a trusted proxy, the per-account
//! sign-in limit, HTTPS cookies and HSTS, and the submission limit checked before the body.

use crate::helpers::{TestApp, TestClock, spawn_app_with};
use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Request, StatusCode};
use gastvrij_app::{App, Settings};
use gastvrij_store::{Database, Location, OpenMode};
use std::net::SocketAddr;
use std::sync::Arc;
use tower::ServiceExt;

struct Reply {
    status: StatusCode,
    cookies: Vec<String>,
    hsts: Option<String>,
    body: String,
}

/// A request as it arrives over a socket from `peer`, with extra headers and an optional form body.
async fn from(
    app: &TestApp,
    peer: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    form: Option<&str>,
) -> Reply {
    let mut req = Request::builder().method(method).uri(path);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if form.is_some() {
        req = req.header("content-type", "application/x-www-form-urlencoded");
    }
    let mut req = req.body(form.map(|f| Body::from(f.to_string())).unwrap_or_else(Body::empty)).unwrap();
    req.extensions_mut().insert(ConnectInfo(peer.parse::<SocketAddr>().unwrap()));
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let cookies = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    let hsts = res.headers().get("strict-transport-security").map(|v| v.to_str().unwrap().to_string());
    let body = String::from_utf8(axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec()).unwrap();
    Reply { status, cookies, hsts, body }
}

fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + "name=\"csrf\" value=\"".len();
    html[at..].split('"').next().unwrap().to_string()
}

/// A failed (or, with the right password, successful) sign-in from `peer`, forwarded for `xff`.
async fn sign_in(app: &TestApp, peer: &str, xff: Option<&str>, username: &str, password: &str) -> Reply {
    let mut headers = vec![];
    if let Some(xff) = xff {
        headers.push(("x-forwarded-for", xff));
    }
    let form = from(app, peer, "GET", "/inloggen", &headers, None).await;
    let csrf = csrf_of(&form.body);
    let cookie = format!("gv_inlog={csrf}");
    headers.push(("cookie", &cookie));
    let body = format!("csrf={csrf}&username={username}&password={password}");
    from(app, peer, "POST", "/inloggen", &headers, Some(&body)).await
}

const TOO_MANY: &str = "U heeft te vaak geprobeerd in te loggen";

#[tokio::test]
async fn behind_a_trusted_proxy_citizens_are_counted_apart_and_an_untrusted_peers_header_is_ignored() {
    let proxy = vec!["10.0.0.0/8".parse().unwrap()];
    let app = spawn_app_with(|s| s.with_trusted_proxies(proxy)).await;
    let lb = "10.0.0.2:40000";
    for _ in 0..10 {
        let r = sign_in(&app, lb, Some("198.51.100.1"), "onbekend1", "fout").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let a = sign_in(&app, lb, Some("198.51.100.1"), "onbekend2", "fout").await;
    assert_eq!(a.status, StatusCode::TOO_MANY_REQUESTS, "the first citizen waits");
    assert!(a.body.contains(TOO_MANY));
    let b = sign_in(&app, lb, Some("198.51.100.2"), "onbekend3", "fout").await;
    assert_eq!(b.status, StatusCode::UNAUTHORIZED, "another citizen behind the same proxy does not");

    // A peer that is not a proxy cannot pick its own address with the header.
    let untrusted = "203.0.113.5:5000";
    for i in 0..10 {
        let r = sign_in(&app, untrusted, Some(&format!("192.0.2.{i}")), "onbekend4", "fout").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = sign_in(&app, untrusted, Some("192.0.2.99"), "onbekend5", "fout").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "X-Forwarded-For from an untrusted peer is ignored");
}

#[tokio::test]
async fn failed_sign_ins_for_one_account_wait_whatever_address_they_come_from() {
    let app = spawn_app_with(|s| s).await;
    app.token_for("fatima", &["beheerder"]).await;
    for i in 0..10 {
        let r = sign_in(&app, &format!("198.51.100.{i}:1000"), None, "fatima", "fout").await;
        assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    }
    let r = sign_in(&app, "192.0.2.50:1000", None, "fatima", "een+lang+testwachtwoord").await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "a new address does not reopen the account");
    assert!(r.body.contains(TOO_MANY), "{}", r.body);
    let other = sign_in(&app, "192.0.2.50:1000", None, "beheer", "fout").await;
    assert_eq!(other.status, StatusCode::UNAUTHORIZED, "other accounts are not affected");
}

#[tokio::test]
async fn over_https_the_session_cookie_is_host_prefixed_secure_and_every_answer_has_hsts() {
    let app = spawn_app_with(|s| s.with_https(true)).await;
    app.token_for("fatima", &["beheerder"]).await;
    let ok = sign_in(&app, "192.0.2.1:1000", None, "fatima", "een+lang+testwachtwoord").await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    assert_eq!(ok.hsts.as_deref(), Some("max-age=31536000"));
    let session = ok.cookies.iter().find(|c| c.starts_with("__Host-gv_sessie=")).expect("the __Host- cookie");
    assert!(session.contains("; Secure") && session.contains("Path=/"), "{session}");
    assert!(!ok.cookies.iter().any(|c| c.starts_with("gv_sessie=")), "{:?}", ok.cookies);
    let pair = session.split(';').next().unwrap();
    let home = from(&app, "192.0.2.1:1000", "GET", "/medewerkers", &[("cookie", pair)], None).await;
    assert_eq!(home.status, StatusCode::OK, "the __Host- cookie signs in");
    // The plain name is not accepted over HTTPS: it could have been planted over HTTP.
    let plain = pair.replacen("__Host-", "", 1);
    let planted = from(&app, "192.0.2.1:1000", "GET", "/medewerkers", &[("cookie", &plain)], None).await;
    assert_eq!(planted.status, StatusCode::SEE_OTHER, "back to the sign-in page");
    let missing = from(&app, "192.0.2.1:1000", "GET", "/bestaat-niet", &[], None).await;
    assert_eq!(missing.hsts.as_deref(), Some("max-age=31536000"), "every answer");

    // Over plain HTTP (development, the browser tests) nothing changes.
    let http = spawn_app_with(|s| s).await;
    http.token_for("fatima", &["beheerder"]).await;
    let ok = sign_in(&http, "192.0.2.1:1000", None, "fatima", "een+lang+testwachtwoord").await;
    assert!(ok.cookies.iter().any(|c| c.starts_with("gv_sessie=") && !c.contains("Secure")), "{:?}", ok.cookies);
    assert_eq!(ok.hsts, None);
}

#[tokio::test]
async fn an_address_that_used_up_its_submissions_is_refused_before_its_body_is_read() {
    let limiter = std::sync::Mutex::new(None);
    let app = spawn_app_with(|s| {
        let s = s.with_submission_limit(1);
        *limiter.lock().unwrap() = Some(s.submit_limiter.clone());
        s
    })
    .await;
    let limiter = limiter.lock().unwrap().clone().unwrap();
    assert!(limiter.allow(Some("198.51.100.9".parse().unwrap())).await, "its one submission");
    // Without a CSRF token the form would be refused with 403 after reading it; the limit comes first.
    let r =
        from(&app, "198.51.100.9:1000", "POST", "/vraag", &[("content-type", "multipart/form-data; boundary=x")], None)
            .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS, "{}", r.body);
    assert!(r.body.contains("Even wachten"));
    let other = from(&app, "198.51.100.10:1000", "POST", "/vraag", &[], None).await;
    assert_ne!(other.status, StatusCode::TOO_MANY_REQUESTS, "another address is not limited");
}

/// Two nodes on one database: the limits count for the installation, whichever node an address
/// reaches (on by default with PostgreSQL; here forced on over one SQLite file).
#[tokio::test]
async fn with_shared_limits_two_nodes_hold_one_limit_for_an_address_and_an_account() {
    let dir = std::env::temp_dir().join(format!("gastvrij_web_{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir(&dir).unwrap();
    let location = Location::Sqlite(dir.join("db.sqlite"));
    let clock = Arc::new(TestClock::at_test_start());
    let mut nodes = vec![];
    for _ in 0..2 {
        let db = Database::open(&location, OpenMode::CreateIfMissing).await.unwrap();
        db.migrate().await.unwrap();
        let app = App::new(db.into_store(), clock.clone(), Settings::default());
        nodes.push(gastvrij_web::AppState::new(app).with_shared_limits(true).with_submission_limit(3));
    }
    let (a, b) = (&nodes[0], &nodes[1]);
    let ip = |s: &str| Some(s.parse::<std::net::IpAddr>().unwrap());
    assert!(a.submit_limiter.allow(ip("198.51.100.9")).await);
    assert!(b.submit_limiter.allow(ip("198.51.100.9")).await);
    assert!(!a.submit_limiter.exhausted(ip("198.51.100.9")).await);
    assert!(a.submit_limiter.allow(ip("198.51.100.9")).await, "the third of three");
    assert!(b.submit_limiter.exhausted(ip("198.51.100.9")).await, "node B knows what node A counted");
    assert!(!b.submit_limiter.allow(ip("198.51.100.9")).await);
    assert!(b.submit_limiter.allow(ip("198.51.100.10")).await, "another address is not limited");
    // Failed sign-ins for one account, half on each node, from ever new addresses.
    for i in 0..10u8 {
        let node = if i % 2 == 0 { a } else { b };
        assert!(!node.login_limiter.exhausted(ip(&format!("203.0.113.{i}")), "beheerder").await);
        node.login_limiter.failed(ip(&format!("203.0.113.{i}")), "beheerder").await;
    }
    assert!(a.login_limiter.exhausted(ip("203.0.113.99"), "beheerder").await);
    assert!(b.login_limiter.exhausted(ip("203.0.113.99"), "Beheerder").await);
    assert!(!b.login_limiter.exhausted(ip("203.0.113.99"), "jan").await);
    // A new window (10 minutes on) starts afresh.
    clock.advance_secs(600);
    assert!(b.submit_limiter.allow(ip("198.51.100.9")).await);
    // Without sharing (the SQLite default: one node), each node counts alone.
    let alone = gastvrij_web::AppState::new(a.app.clone()).with_submission_limit(1);
    assert!(!alone.shared_limits);
    assert!(alone.submit_limiter.allow(ip("192.0.2.7")).await);
    let other = gastvrij_web::AppState::new(a.app.clone()).with_submission_limit(1);
    assert!(other.submit_limiter.allow(ip("192.0.2.7")).await, "a node alone does not see another's count");
    let _ = std::fs::remove_dir_all(dir);
}
