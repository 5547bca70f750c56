//! Staff sign-in through OpenID Connect, against a real HTTP issuer started on a free localhost
//! port inside the test. It serves discovery, keys, an authorization endpoint that sends the
//! browser straight back with a code, and a token endpoint that checks the client secret and the
//! PKCE verifier and answers with an RS256-signed ID token (test-only keys in tests/fixtures).

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::staff::{Answer, cookie_pair, send};
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use gastvrij_app::Principal;
use gastvrij_domain::ids::EmployeeId;
use gastvrij_domain::team::EmployeeInput;
use gastvrij_web::oidc::{OidcConfig, Provider};
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair, RsaPublicKeyComponents};
use serde_json::{Value, json};
use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

const CLIENT_ID: &str = "gastvrij";
const CLIENT_SECRET: &str = "test-geheim";
const PUBLIC_URL: &str = "http://gastvrij.test";
const RETURN_URL: &str = "http://gastvrij.test/inloggen/oidc/terug";

/// What the fake issuer puts in (or how it signs) the next ID token.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Token {
    Good,
    WrongAudience,
    WrongIssuer,
    Expired,
    WrongNonce,
    /// Signed by another key under the name (`kid`) of the issuer's key.
    ForeignKey,
    /// Signed by a new key that the key set only lists from now on.
    Rotated,
}

struct Grant {
    nonce: String,
    challenge: String,
    redirect_uri: String,
}

struct Issuer {
    url: String,
    key: RsaKeyPair,
    other: RsaKeyPair,
    token: Mutex<Token>,
    claims: Mutex<Value>,
    rotated: Mutex<bool>,
    jwks_fetches: AtomicUsize,
    grants: Mutex<HashMap<String, Grant>>,
}

fn key(file: &str) -> RsaKeyPair {
    let pem = std::fs::read_to_string(format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let body: String = pem
        .lines()
        .skip_while(|l| !l.starts_with("-----BEGIN PRIVATE KEY-----"))
        .skip(1)
        .take_while(|l| !l.starts_with("-----END"))
        .collect();
    RsaKeyPair::from_pkcs8(&STANDARD.decode(body).unwrap()).unwrap()
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn jwk(key: &RsaKeyPair, kid: &str) -> Value {
    let public = RsaPublicKeyComponents::<Vec<u8>>::from(key.public());
    json!({"kty": "RSA", "use": "sig", "alg": "RS256", "kid": kid, "n": b64(&public.n), "e": b64(&public.e)})
}

fn sign(key: &RsaKeyPair, kid: &str, claims: &Value) -> String {
    let header = json!({"alg": "RS256", "typ": "JWT", "kid": kid});
    let input = format!("{}.{}", b64(header.to_string().as_bytes()), b64(claims.to_string().as_bytes()));
    let mut sig = vec![0; key.public().modulus_len()];
    key.sign(&RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), input.as_bytes(), &mut sig).unwrap();
    format!("{input}.{}", b64(&sig))
}

/// The test clock's time (the app checks `exp` against its own clock).
fn now() -> i64 {
    crate::helpers::TEST_START.parse::<jiff::Timestamp>().unwrap().as_second()
}

async fn discovery(State(i): State<Arc<Issuer>>) -> Json<Value> {
    Json(json!({
        "issuer": i.url,
        "authorization_endpoint": format!("{}/authorize", i.url),
        "token_endpoint": format!("{}/token", i.url),
        "jwks_uri": format!("{}/jwks", i.url),
        "response_types_supported": ["code"],
        "id_token_signing_alg_values_supported": ["RS256"],
    }))
}

async fn jwks(State(i): State<Arc<Issuer>>) -> Json<Value> {
    i.jwks_fetches.fetch_add(1, Ordering::SeqCst);
    let mut keys = vec![jwk(&i.key, "k1")];
    if *i.rotated.lock().unwrap() {
        keys.push(jwk(&i.other, "k2"));
    }
    Json(json!({ "keys": keys }))
}

/// Signs the person in at once and sends the browser back with a code.
async fn authorize(State(i): State<Arc<Issuer>>, Query(q): Query<HashMap<String, String>>) -> Response {
    let p = |k: &str| q.get(k).cloned().unwrap_or_default();
    let well_formed = p("response_type") == "code"
        && p("scope").split(' ').any(|s| s == "openid")
        && p("client_id") == CLIENT_ID
        && p("code_challenge_method") == "S256"
        && p("code_challenge").len() == 43
        && !p("state").is_empty()
        && !p("nonce").is_empty();
    if !well_formed {
        return (StatusCode::BAD_REQUEST, "invalid_request").into_response();
    }
    let code = format!("code{}", i.grants.lock().unwrap().len());
    let grant = Grant { nonce: p("nonce"), challenge: p("code_challenge"), redirect_uri: p("redirect_uri") };
    i.grants.lock().unwrap().insert(code.clone(), grant);
    Redirect::to(&format!("{}?code={code}&state={}", p("redirect_uri"), p("state"))).into_response()
}

async fn token(State(i): State<Arc<Issuer>>, Form(f): Form<HashMap<String, String>>) -> Response {
    let p = |k: &str| f.get(k).cloned().unwrap_or_default();
    let invalid = |error: &str| (StatusCode::BAD_REQUEST, Json(json!({ "error": error }))).into_response();
    if p("client_id") != CLIENT_ID || p("client_secret") != CLIENT_SECRET {
        return invalid("invalid_client");
    }
    let Some(grant) = i.grants.lock().unwrap().remove(&p("code")) else { return invalid("invalid_grant") };
    let challenge = b64(ring::digest::digest(&ring::digest::SHA256, p("code_verifier").as_bytes()).as_ref());
    if p("grant_type") != "authorization_code"
        || p("redirect_uri") != grant.redirect_uri
        || challenge != grant.challenge
    {
        return invalid("invalid_grant");
    }
    let mode = *i.token.lock().unwrap();
    let mut claims = json!({
        "iss": i.url, "aud": CLIENT_ID, "azp": CLIENT_ID, "sub": "abc123",
        "iat": now(), "exp": now() + 300, "nonce": grant.nonce,
    });
    for (k, v) in i.claims.lock().unwrap().as_object().unwrap() {
        claims[k] = v.clone();
    }
    match mode {
        Token::WrongAudience => claims["aud"] = json!("een-andere-toepassing"),
        Token::WrongIssuer => claims["iss"] = json!("http://127.0.0.1:1/nep"),
        Token::Expired => claims["exp"] = json!(now() - 3600),
        Token::WrongNonce => claims["nonce"] = json!("een-andere-nonce"),
        _ => {}
    }
    let id_token = match mode {
        Token::ForeignKey => sign(&i.other, "k1", &claims),
        Token::Rotated => sign(&i.other, "k2", &claims),
        _ => sign(&i.key, "k1", &claims),
    };
    Json(json!({"access_token": "at", "token_type": "Bearer", "expires_in": 300, "id_token": id_token})).into_response()
}

/// Start the fake issuer on a free localhost port.
async fn start_issuer() -> Arc<Issuer> {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = Arc::new(Issuer {
        url: format!("http://{}", listener.local_addr().unwrap()),
        key: key("oidc-test-issuer-key.pem"),
        other: key("oidc-test-other-key.pem"),
        token: Mutex::new(Token::Good),
        claims: Mutex::new(json!({})),
        rotated: Mutex::new(false),
        jwks_fetches: AtomicUsize::new(0),
        grants: Mutex::new(HashMap::new()),
    });
    let router = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/jwks", get(jwks))
        .route("/authorize", get(authorize))
        .route("/token", post(token))
        .with_state(issuer.clone());
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    issuer
}

fn provider(issuer: &str) -> Provider {
    Provider::new(OidcConfig::new(issuer, CLIENT_ID, CLIENT_SECRET, PUBLIC_URL, None).unwrap()).unwrap()
}

async fn app_for(issuer: &str) -> TestApp {
    let provider = provider(issuer);
    spawn_app_with(|state| state.with_oidc(provider)).await
}

fn browser() -> reqwest::Client {
    let _ = rustls::crypto::ring::default_provider().install_default();
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
}

fn query_param(url: &str, name: &str) -> Option<String> {
    let url = reqwest::Url::parse(url).unwrap();
    url.query_pairs().find(|(k, _)| k == name).map(|(_, v)| v.into_owned())
}

/// `GET /inloggen/oidc`: the address at the issuer and the flow cookie.
async fn begin(app: &TestApp) -> (String, String) {
    let start = send(app, "GET", "/inloggen/oidc", &[], None, &[]).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.body);
    (start.location.clone().expect("a redirect to the issuer"), cookie_pair(&start, "gv_oidc"))
}

/// Let the issuer sign the person in; the path and query it sends the browser back to.
async fn at_issuer(authorize: &str) -> String {
    let res = browser().get(authorize).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "the fake issuer accepted the request");
    let back = res.headers()["location"].to_str().unwrap().to_string();
    back.strip_prefix(PUBLIC_URL).expect("back to the registered redirect URI").to_string()
}

/// The whole flow; the answer of the return step.
async fn sign_in(app: &TestApp) -> Answer {
    let (authorize, flow) = begin(app).await;
    let back = at_issuer(&authorize).await;
    send(app, "GET", &back, &[&flow], None, &[]).await
}

fn has_session(a: &Answer) -> bool {
    a.cookies.iter().any(|c| c.starts_with("gv_sessie=") && !c.starts_with("gv_sessie=;"))
}

/// A user whose first OIDC sign-in a beheerder allowed to bind the account.
async fn add_user(app: &TestApp, username: &str, email: Option<&str>, roles: &[&str], active: bool) -> EmployeeId {
    let id = add_unopened_user(app, username, email, roles, active).await;
    app.app.allow_external_link(&Principal::operator(), id, true).await.unwrap();
    id
}

/// A user nobody allowed to be bound to an OIDC sign-in.
async fn add_unopened_user(
    app: &TestApp,
    username: &str,
    email: Option<&str>,
    roles: &[&str],
    active: bool,
) -> EmployeeId {
    let input = EmployeeInput {
        name: format!("Medewerker {username}"),
        username: Some(username.into()),
        email: email.map(|e| e.parse().unwrap()),
        roles: roles.iter().map(|r| r.parse().unwrap()).collect(),
        active,
        ..Default::default()
    };
    app.app.add_user(&Principal::operator(), input, "een lang testwachtwoord").await.unwrap().id
}

/// Whose session an answer opened ("Welkom, …" on the staff start page), if any.
async fn welcomed(app: &TestApp, answer: &Answer) -> Option<String> {
    if !has_session(answer) {
        return None;
    }
    let session = cookie_pair(answer, "gv_sessie");
    let home = send(app, "GET", "/medewerkers", &[&session], None, &[]).await;
    let at = home.body.find("Welkom, ")? + "Welkom, ".len();
    Some(home.body[at..].split(['<', '\n']).next()?.trim().to_string())
}

#[tokio::test]
async fn oidc_sign_in_opens_a_session_like_the_password_does() {
    let issuer = start_issuer().await;
    let app = app_for(&issuer.url).await;
    add_user(&app, "anna", None, &["kcc"], true).await;
    *issuer.claims.lock().unwrap() = json!({"preferred_username": "Anna", "email": "a.de.vries@ws.nl"});

    let page = send(&app, "GET", "/inloggen", &[], None, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(r#"<a href="/inloggen/oidc">Inloggen met uw organisatie-account</a>"#));
    assert!(page.body.contains(r#"<input id="password""#), "the password form stays");

    let start = send(&app, "GET", "/inloggen/oidc", &[], None, &[]).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER);
    let authorize = start.location.clone().unwrap();
    assert!(authorize.starts_with(&format!("{}/authorize?", issuer.url)), "{authorize}");
    let param = |name: &str| query_param(&authorize, name).unwrap_or_default();
    assert_eq!(param("response_type"), "code");
    assert_eq!(param("scope"), "openid email profile");
    assert_eq!(param("client_id"), CLIENT_ID);
    assert_eq!(param("redirect_uri"), RETURN_URL);
    assert_eq!(param("code_challenge_method"), "S256");
    let flow = start.cookies.iter().find(|c| c.starts_with("gv_oidc=")).unwrap();
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/inloggen", "Max-Age=600"] {
        assert!(flow.contains(attribute), "{attribute} missing from {flow}");
    }
    let flow = cookie_pair(&start, "gv_oidc");
    let (state, nonce) = (param("state"), param("nonce"));
    assert!(state.len() >= 43 && nonce.len() >= 43 && state != nonce, "random state and nonce");
    assert!(flow.contains(&state) && flow.contains(&nonce));
    let verifier = flow.rsplit('.').next().unwrap();
    let challenge = b64(ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes()).as_ref());
    assert_eq!(param("code_challenge"), challenge);
    assert!(!authorize.contains(verifier), "the verifier never leaves Gastvrij before the token request");

    let back = at_issuer(&authorize).await;
    assert!(back.starts_with("/inloggen/oidc/terug?code="), "{back}");
    let done = send(&app, "GET", &back, &[&flow], None, &[]).await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert!(done.body.contains(r#"content="0; url=/medewerkers""#) && done.body.contains(r#"href="/medewerkers""#));
    assert!(done.cookies.iter().any(|c| c.starts_with("gv_oidc=;") && c.contains("Max-Age=0")), "flow cookie ends");
    let session_cookie = done.cookies.iter().find(|c| c.starts_with("gv_sessie=")).unwrap();
    assert!(session_cookie.contains("HttpOnly") && session_cookie.contains("SameSite=Strict"));
    let session = cookie_pair(&done, "gv_sessie");

    let werkplek = send(&app, "GET", "/werkplek", &[&session], None, &[]).await;
    assert_eq!(werkplek.status, StatusCode::OK, "{}", werkplek.body);
    let home = send(&app, "GET", "/medewerkers", &[&session], None, &[]).await;
    assert!(home.body.contains("Welkom, Medewerker anna"), "{}", home.body);

    // The code is used once: replaying the return gets no second session.
    let replay = send(&app, "GET", &back, &[&flow], None, &[]).await;
    assert_eq!(replay.status, StatusCode::BAD_GATEWAY, "{}", replay.body);
    assert!(!has_session(&replay));
}

#[tokio::test]
async fn a_wrong_or_missing_state_is_refused_without_a_session() {
    let issuer = start_issuer().await;
    let app = app_for(&issuer.url).await;
    add_user(&app, "anna", None, &["kcc"], true).await;
    *issuer.claims.lock().unwrap() = json!({"preferred_username": "anna"});

    let (authorize, flow) = begin(&app).await;
    let back = at_issuer(&authorize).await;
    let state = query_param(&format!("{PUBLIC_URL}{back}"), "state").unwrap();
    let last = if state.ends_with('x') { "y" } else { "x" };
    let forged = back.replace(&state, &format!("{}{last}", &state[..state.len() - 1]));
    let wrong = send(&app, "GET", &forged, &[&flow], None, &[]).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST);
    assert!(wrong.body.contains("Het inloggen is verlopen of ongeldig. Probeer het opnieuw."), "{}", wrong.body);
    assert!(!has_session(&wrong));
    let no_cookie = send(&app, "GET", &back, &[], None, &[]).await;
    assert_eq!(no_cookie.status, StatusCode::BAD_REQUEST);
    assert!(!has_session(&no_cookie));
    let no_code = send(&app, "GET", "/inloggen/oidc/terug", &[&flow], None, &[]).await;
    assert_eq!(no_code.status, StatusCode::BAD_REQUEST);
    // The untouched answer still works: only the state made the difference.
    let ok = send(&app, "GET", &back, &[&flow], None, &[]).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert!(has_session(&ok));
}

#[tokio::test]
async fn tokens_that_fail_a_check_are_refused_without_a_session() {
    let issuer = start_issuer().await;
    let app = app_for(&issuer.url).await;
    add_user(&app, "anna", None, &["kcc"], true).await;
    *issuer.claims.lock().unwrap() = json!({"preferred_username": "anna"});
    for bad in [Token::WrongAudience, Token::WrongIssuer, Token::Expired, Token::WrongNonce, Token::ForeignKey] {
        *issuer.token.lock().unwrap() = bad;
        let answer = sign_in(&app).await;
        assert_eq!(answer.status, StatusCode::UNAUTHORIZED, "{bad:?}: {}", answer.body);
        assert!(answer.body.contains("Gastvrij kon niet controleren"), "{bad:?}: {}", answer.body);
        assert!(!has_session(&answer), "{bad:?}");
    }
    *issuer.token.lock().unwrap() = Token::Good;
    assert!(has_session(&sign_in(&app).await), "the same flow with a good token signs in");
}

#[tokio::test]
async fn new_signing_keys_are_fetched_once_when_a_token_names_one() {
    let issuer = start_issuer().await;
    let app = app_for(&issuer.url).await;
    add_user(&app, "anna", None, &["kcc"], true).await;
    *issuer.claims.lock().unwrap() = json!({"preferred_username": "anna"});
    assert!(has_session(&sign_in(&app).await));
    assert!(has_session(&sign_in(&app).await));
    assert_eq!(issuer.jwks_fetches.load(Ordering::SeqCst), 1, "the key set is kept");
    *issuer.rotated.lock().unwrap() = true;
    *issuer.token.lock().unwrap() = Token::Rotated;
    let answer = sign_in(&app).await;
    assert!(has_session(&answer), "{}", answer.body);
    assert_eq!(issuer.jwks_fetches.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn only_an_account_a_beheerder_opened_is_bound_and_then_only_its_sub_gets_in() {
    let issuer = start_issuer().await;
    let app = app_for(&issuer.url).await;
    let bert = add_user(&app, "bert", Some("B.Jansen@WS.nl"), &["kcc"], true).await;
    let admin = add_unopened_user(&app, "wim", Some("w.de.boer@ws.nl"), &["beheerder"], true).await;
    add_user(&app, "carla", Some("carla@ws.nl"), &["kcc"], false).await;
    let who = |claims: Value| *issuer.claims.lock().unwrap() = claims;
    let link_of = |id: EmployeeId| {
        let app = &app;
        async move { app.get(&format!("/api/v1/employees/{id}/external-sign-in"), Some(&app.admin)).await }
    };

    who(
        json!({"sub": "s-onbekend", "preferred_username": "onbekend", "email": "onbekend@ws.nl", "email_verified": true}),
    );
    let unknown = sign_in(&app).await;
    assert_eq!(unknown.status, StatusCode::FORBIDDEN);
    assert!(
        unknown.body.contains("Uw organisatie-account hoort nog niet bij een account in Gastvrij"),
        "{}",
        unknown.body
    );
    assert!(!has_session(&unknown));

    // An account nobody opened for binding is not signed in by its verified address or username:
    // whoever has that address at the provider would get a beheerder's rights.
    who(json!({"sub": "s-mallory", "email": "w.de.boer@ws.nl", "email_verified": true}));
    let taken = sign_in(&app).await;
    assert_eq!(taken.status, StatusCode::FORBIDDEN, "{}", taken.body);
    assert_eq!(welcomed(&app, &taken).await, None);
    who(json!({"sub": "s-mallory", "preferred_username": "wim"}));
    assert_eq!(welcomed(&app, &sign_in(&app).await).await, None);
    assert_eq!(link_of(admin).await.1, json!({"link_allowed": false, "bound_issuer": null}));

    // Opened, but the provider does not say the address is verified (no claim, or false).
    who(json!({"sub": "s-bert", "preferred_username": "b.jansen@ws.nl", "email": "b.jansen@ws.nl"}));
    assert_eq!(sign_in(&app).await.status, StatusCode::FORBIDDEN, "a missing email_verified is not verified");
    who(json!({"sub": "s-bert", "email": "b.jansen@ws.nl", "email_verified": false}));
    assert_eq!(sign_in(&app).await.status, StatusCode::FORBIDDEN);
    assert_eq!(link_of(bert).await.1["link_allowed"], json!(true), "still open");

    // Entra ID puts the UPN in preferred_username; the verified address finds the opened account.
    who(
        json!({"sub": "s-bert", "preferred_username": "b.jansen@ws.nl", "email": "b.jansen@ws.nl", "email_verified": true}),
    );
    let by_email = sign_in(&app).await;
    assert_eq!(by_email.status, StatusCode::OK, "{}", by_email.body);
    assert_eq!(welcomed(&app, &by_email).await.as_deref(), Some("Medewerker bert"));
    assert_eq!(link_of(bert).await.1, json!({"link_allowed": false, "bound_issuer": issuer.url}), "bound");

    // Another person at the provider with the same verified address is refused from now on.
    who(json!({"sub": "s-ander", "preferred_username": "bert", "email": "b.jansen@ws.nl", "email_verified": true}));
    let other = sign_in(&app).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN, "{}", other.body);
    assert_eq!(welcomed(&app, &other).await, None);
    // Bert's own sub gets in, whatever his username and address at the provider say now.
    who(json!({"sub": "s-bert", "preferred_username": "iemand", "email": "ander@elders.nl"}));
    assert_eq!(welcomed(&app, &sign_in(&app).await).await.as_deref(), Some("Medewerker bert"));

    who(json!({"sub": "s-carla", "preferred_username": "carla"}));
    let inactive = sign_in(&app).await;
    assert_eq!(inactive.status, StatusCode::FORBIDDEN);
    assert!(inactive.body.contains("niet actief") && !has_session(&inactive));
}

#[tokio::test]
async fn a_team_lead_cannot_change_a_beheerders_address_nor_open_an_account_for_binding() {
    let app = spawn_app().await;
    let (status, team) = app.post("/api/v1/teams", &app.admin, json!({"name": "KCC"})).await;
    assert_eq!(status, StatusCode::CREATED, "{team}");
    let lead_token = app.token_for("leider", &["teamleider"]).await;
    let agent_token = app.token_for("agent", &["kcc"]).await;
    let (_, employees) = app.get("/api/v1/employees", Some(&app.admin)).await;
    let id_of = |username: &str| {
        employees.as_array().unwrap().iter().find(|e| e["username"] == username).unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    let (lead, agent, beheer) = (id_of("leider"), id_of("agent"), id_of("beheer"));
    let member = |name: &str, role: &str, email: Option<&str>| json!({"name": name, "username": name, "roles": [role], "team_id": team["id"], "email": email, "active": true});
    for (id, body) in
        [(&lead, member("leider", "teamleider", None)), (&agent, member("agent", "kcc", Some("agent@ws.nl")))]
    {
        let (status, body) = app.put(&format!("/api/v1/employees/{id}"), &app.admin, body).await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }

    // The team lead would put their own address on the beheerder's account, then sign in with it.
    let (status, body) = app
        .put(&format!("/api/v1/employees/{beheer}"), &lead_token, member("beheer", "beheerder", Some("leider@ws.nl")))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    for (id, token) in [(&beheer, &lead_token), (&agent, &lead_token), (&agent, &agent_token)] {
        let path = format!("/api/v1/employees/{id}/external-sign-in");
        let (status, body) = app.put(&path, token, json!({"link_allowed": true})).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(app.get(&path, Some(token)).await.0, StatusCode::FORBIDDEN);
    }
    let (_, shown) = app.get(&format!("/api/v1/employees/{beheer}"), Some(&app.admin)).await;
    assert_eq!(shown["email"], Value::Null, "nothing of the refused change is stored");

    // A beheerder opens the agent's account; from then on its address is the beheerder's to change.
    let path = format!("/api/v1/employees/{agent}/external-sign-in");
    let (status, opened) = app.put(&path, &app.admin, json!({"link_allowed": true})).await;
    assert_eq!((status, opened), (StatusCode::OK, json!({"link_allowed": true, "bound_issuer": null})));
    let (status, body) =
        app.put(&format!("/api/v1/employees/{agent}"), &lead_token, member("agent", "kcc", Some("leider@ws.nl"))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    let (status, _) =
        app.put(&format!("/api/v1/employees/{agent}"), &lead_token, member("Agent", "kcc", Some("agent@ws.nl"))).await;
    assert_eq!(status, StatusCode::OK, "other details of their own team's employee stay the team lead's");
    let (status, body) = app.put(&path, &app.admin, json!({"link_allowed": "ja"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn provider_problems_get_a_dutch_page_and_never_a_500() {
    // Nothing listens on a port that was just freed.
    let port = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap().local_addr().unwrap().port();
    let app = app_for(&format!("http://127.0.0.1:{port}")).await;
    let page = send(&app, "GET", "/inloggen", &[], None, &[]).await;
    assert_eq!(page.status, StatusCode::OK, "the sign-in page does not wait for the provider");
    assert!(page.body.contains("/inloggen/oidc"));
    let down = send(&app, "GET", "/inloggen/oidc", &[], None, &[]).await;
    assert_eq!(down.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(down.body.contains("De inlogdienst van uw organisatie is nu niet bereikbaar"), "{}", down.body);
    assert!(down.body.contains(r#"lang="nl""#) && !has_session(&down));

    // The discovery document must name exactly the configured issuer.
    let issuer = start_issuer().await;
    let app = app_for(&format!("{}/", issuer.url)).await;
    let mismatch = send(&app, "GET", "/inloggen/oidc", &[], None, &[]).await;
    assert_eq!(mismatch.status, StatusCode::BAD_GATEWAY, "{}", mismatch.body);
    assert!(mismatch.body.contains("Inloggen mislukt"));

    // The provider reports that the person cancelled.
    let app = app_for(&issuer.url).await;
    let (_, flow) = begin(&app).await;
    let cancelled = send(
        &app,
        "GET",
        "/inloggen/oidc/terug?error=access_denied&error_description=User+cancelled+%3Cb%3E",
        &[&flow],
        None,
        &[],
    )
    .await;
    assert_eq!(cancelled.status, StatusCode::FORBIDDEN);
    assert!(cancelled.body.contains("Het inloggen is afgebroken"), "{}", cancelled.body);
    assert!(cancelled.body.contains("User cancelled &#60;b&#62;"), "the description is escaped");
}

#[tokio::test]
async fn without_oidc_settings_there_is_no_oidc_sign_in() {
    let app = spawn_app().await;
    let page = send(&app, "GET", "/inloggen", &[], None, &[]).await;
    assert!(!page.body.contains("/inloggen/oidc"));
    assert_eq!(send(&app, "GET", "/inloggen/oidc", &[], None, &[]).await.status, StatusCode::NOT_FOUND);
    assert_eq!(
        send(&app, "GET", "/inloggen/oidc/terug?code=x&state=y", &[], None, &[]).await.status,
        StatusCode::NOT_FOUND
    );
}
