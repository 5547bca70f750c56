//! The JSON API end to end (router without a socket, real SQLite underneath).

mod assets;
mod case_work;
mod complaints;
mod contact_figures;
mod helpers;
mod journeys;
mod kennisbank;
mod kennisbank_editors;
mod kennisbank_questions;
mod letter_templates;
mod matrix;
mod norm_pages;
mod norms;
mod oidc;
mod open_data;
mod openapi_limits;
mod planned_works;
mod portal;
mod pulse;
mod quarterly_review;
mod security;
mod staff;
mod taal;
mod team_board;

use axum::http::StatusCode;
use helpers::spawn_app;
use serde_json::{Value, json};

#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn_app().await;
    assert_eq!(app.get("/healthz", None).await.0, StatusCode::OK);
    let (status, body) = app.get("/readyz", None).await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, Some("ready")));
}

#[tokio::test]
async fn every_answer_carries_strict_security_headers() {
    let app = spawn_app().await;
    let res = app.raw("GET", "/", None, None).await;
    let csp =
        res.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    assert_eq!(res.headers()["x-frame-options"], "DENY");
    let html = String::from_utf8(axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec()).unwrap();
    assert!(html.contains("lang=\"nl\"") && !html.contains("style="));
    // Scripts only from files: every script element names its source and has no body.
    for tag in html.split("<script").skip(1) {
        assert!(tag.starts_with(" src=\"/static/") && tag.contains("></script>"), "inline script: <script{tag}");
    }
}

#[tokio::test]
async fn the_openapi_document_lists_every_route() {
    let app = spawn_app().await;
    let (status, doc) = app.get("/api/openapi.json", None).await;
    assert_eq!(status, StatusCode::OK);
    let paths: Vec<&str> = doc["paths"].as_object().unwrap().keys().map(String::as_str).collect();
    for expected in [
        "/api/v1/organisation",
        "/api/v1/teams",
        "/api/v1/teams/{id}",
        "/api/v1/employees",
        "/api/v1/topics",
        "/api/v1/customers",
        "/api/v1/customers/{id}",
        "/api/v1/contacts",
        "/api/v1/contacts/{id}/questions",
        "/api/v1/contacts/{id}/close",
        "/api/v1/cases",
        "/api/v1/cases/by-reference/{reference}",
        "/api/v1/cases/{id}/status",
        "/api/v1/audit",
        "/api/v1/planned-works/{id}/notify",
        "/api/v1/mail",
        "/api/v1/mail/{id}/retry",
        "/api/v1/klachten/jaaroverzicht",
        "/api/v1/journeys",
        "/api/v1/journeys/{id}/map",
        "/api/v1/kennisbank/zoekvragen",
    ] {
        assert!(paths.contains(&expected), "{expected} missing from {paths:?}");
    }
    assert!(doc["components"]["schemas"]["Case"].is_object());
    assert!(doc["components"]["schemas"]["YearOverview"].is_object(), "the annual overview's schema");
}

#[tokio::test]
async fn without_a_token_the_api_says_how_to_sign_in() {
    let app = spawn_app().await;
    let (status, body) = app.get("/api/v1/teams", None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body["error"].as_str().unwrap().contains("Bearer"));
    let (status, _) = app.get("/api/v1/teams", Some("gv_not-a-token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_revoked_or_expired_token_gets_401() {
    use gastvrij_app::Principal;
    use gastvrij_domain::api_token::TokenLifetime;
    let app = spawn_app().await;
    let agent = app.token_for("agent", &["kcc"]).await;
    let script = app.app.create_api_token(&Principal::operator(), "agent", "script", TokenLifetime::default()).await;
    let script = script.unwrap();
    assert_eq!(app.get("/api/v1/teams", Some(&script.secret)).await.0, StatusCode::OK);

    app.app.revoke_api_token(&Principal::operator(), script.token.id).await.unwrap();
    let (status, body) = app.get("/api/v1/teams", Some(&script.secret)).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "revoked: {body}");
    assert!(body["error"].as_str().unwrap().contains("Bearer"), "{body}");
    assert_eq!(app.get("/api/v1/teams", Some(&agent)).await.0, StatusCode::OK, "the user's other token still works");

    // Tokens made at the start of the test live 90 days, by the app's clock.
    app.set_time("2026-05-31T08:59:59Z");
    assert_eq!(app.get("/api/v1/teams", Some(&agent)).await.0, StatusCode::OK, "valid until its last second");
    app.set_time("2026-05-31T09:00:00Z");
    for token in [&agent, &app.admin] {
        let (status, body) = app.get("/api/v1/teams", Some(token)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "expired after 90 days: {body}");
    }
}

#[tokio::test]
async fn roles_decide_what_a_user_may_do() {
    let app = spawn_app().await;
    let kcc = app.token_for("agent", &["kcc"]).await;
    let redacteur = app.token_for("redactie", &["redacteur"]).await;
    let (status, body) = app.post("/api/v1/teams", &kcc, json!({"name": "X"})).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body["error"].as_str().unwrap().contains("beheerder"));
    assert_eq!(app.get("/api/v1/customers", Some(&redacteur)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/audit", Some(&kcc)).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/api/v1/audit", Some(&app.admin)).await.0, StatusCode::OK);
    assert_eq!(app.get("/api/v1/customers", Some(&kcc)).await.0, StatusCode::OK);
}

#[tokio::test]
async fn bad_input_gets_a_clear_error_and_never_a_500() {
    let app = spawn_app().await;
    let t = &app.admin;
    let cases: Vec<(&str, &str, Option<&str>, StatusCode)> = vec![
        ("POST", "/api/v1/teams", Some("{not json"), StatusCode::BAD_REQUEST),
        ("POST", "/api/v1/teams", Some("{\"name\": 42}"), StatusCode::UNPROCESSABLE_ENTITY),
        ("POST", "/api/v1/teams", Some("{\"name\": \"   \"}"), StatusCode::UNPROCESSABLE_ENTITY),
        ("GET", "/api/v1/teams/not-a-uuid", None, StatusCode::BAD_REQUEST),
        ("GET", "/api/v1/teams/0190f5c4-7a3e-7000-8000-000000000000", None, StatusCode::NOT_FOUND),
        ("GET", "/api/v1/customers?limit=100000", None, StatusCode::UNPROCESSABLE_ENTITY),
        ("GET", "/api/v1/customers?postcode=99", None, StatusCode::UNPROCESSABLE_ENTITY),
        ("GET", "/api/v1/contacts?from=gisteren", None, StatusCode::BAD_REQUEST),
        ("GET", "/api/v1/cases?status=kwijt", None, StatusCode::BAD_REQUEST),
        (
            "POST",
            "/api/v1/customers",
            Some("{\"kind\": \"persoon\", \"details\": {\"email\": \"geen-mail\"}}"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        ("POST", "/api/v1/contacts", Some("{\"channel\": \"duif\"}"), StatusCode::UNPROCESSABLE_ENTITY),
        (
            "POST",
            "/api/v1/contacts",
            Some("{\"channel\": \"email\", \"waiting_seconds\": 5}"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "POST",
            "/api/v1/cases",
            Some(
                "{\"case_type\": \"melding\", \"team_id\": \"0190f5c4-7a3e-7000-8000-000000000000\", \"subject\": \"x\"}",
            ),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
        (
            "PUT",
            "/api/v1/organisation",
            Some("{\"name\": \"W\", \"inhabitants\": 1, \"time_zone\": \"Nergens/Niets\"}"),
            StatusCode::UNPROCESSABLE_ENTITY,
        ),
    ];
    for (method, path, body, expected) in cases {
        let res = app.raw(method, path, Some(t), body).await;
        let status = res.status();
        let bytes = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        let json: Value = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        assert_eq!(status, expected, "{method} {path}: {json}");
        let message = json["error"].as_str().unwrap_or_default();
        assert!(message.len() > 10, "{method} {path} has no helpful message: {json}");
    }
    let (_, teams) = app.get("/api/v1/teams", Some(t)).await;
    assert_eq!(teams.as_array().unwrap().len(), 0, "nothing was written by refused requests");
}

#[tokio::test]
async fn a_contact_becomes_a_case_through_the_api() {
    let app = spawn_app().await;
    let t = &app.admin;
    let (status, team) = app.post("/api/v1/teams", t, json!({"name": "Meldingen"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let (_, topic) = app.post("/api/v1/topics", t, json!({"name": "Wateroverlast", "team_id": team["id"]})).await;
    let (status, customer) = app
        .post("/api/v1/customers", t, json!({"kind": "persoon", "name": "Sanne Smit", "segments": ["inwoner"], "details": {"postcode": "2611ab", "house_number": "3"}}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{customer}");
    assert_eq!(customer["details"]["postcode"], "2611 AB");
    let (status, contact) = app
        .post(
            "/api/v1/contacts",
            t,
            json!({"channel": "telefoon", "customer_id": customer["id"], "waiting_seconds": 14,
                   "questions": [{"text": "Mijn tuin staat onder water", "topic_id": topic["id"], "outcome": "handed_over"}]}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{contact}");
    assert_eq!(contact["questions"][0]["line"], "third_line");
    let (status, case) = app
        .post("/api/v1/cases", t, json!({"case_type": "melding", "team_id": team["id"], "topic_id": topic["id"], "customer_id": customer["id"], "contact_id": contact["id"], "subject": "Wateroverlast tuin"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let reference = case["reference"].as_str().unwrap().to_string();
    assert!(reference.starts_with("WS-") && reference.len() == "WS-2026-000001".len(), "{reference}");
    let (status, moved) = app
        .post(&format!("/api/v1/cases/{}/status", case["id"].as_str().unwrap()), t, json!({"status": "opgeschort"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "suspension without a reason: {moved}");
    let (status, moved) = app
        .post(&format!("/api/v1/cases/{}/status", case["id"].as_str().unwrap()), t, json!({"status": "in_behandeling"}))
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(moved["history"].as_array().unwrap().len(), 2);
    let (status, found) = app.get(&format!("/api/v1/cases/by-reference/{reference}"), Some(t)).await;
    assert_eq!((status, &found["id"]), (StatusCode::OK, &case["id"]));
    let (_, queue) =
        app.get(&format!("/api/v1/cases?team_id={}&open=true", team["id"].as_str().unwrap()), Some(t)).await;
    assert_eq!(queue.as_array().unwrap().len(), 1);
    let (_, closed) =
        app.post(&format!("/api/v1/contacts/{}/close", contact["id"].as_str().unwrap()), t, json!({})).await;
    assert_eq!(closed["state"], "closed");
    let (_, history) =
        app.get(&format!("/api/v1/contacts?customer_id={}", customer["id"].as_str().unwrap()), Some(t)).await;
    assert_eq!(history.as_array().unwrap().len(), 1);
    let (_, audit) = app.get(&format!("/api/v1/audit?entity_id={}", case["id"].as_str().unwrap()), Some(t)).await;
    assert_eq!(audit.as_array().unwrap().len(), 2, "created and status_changed: {audit}");
}

#[tokio::test]
async fn customer_reads_through_the_api_are_audited_without_names() {
    let app = spawn_app().await;
    let t = &app.admin;
    let kcc = app.token_for("agent", &["kcc"]).await;
    let (_, customer) =
        app.post("/api/v1/customers", t, json!({"kind": "persoon", "name": "Sanne Smit", "segments": []})).await;
    let id = customer["id"].as_str().unwrap();
    let (status, read) = app.get(&format!("/api/v1/customers/{id}"), Some(&kcc)).await;
    assert_eq!((status, &read["name"]), (StatusCode::OK, &json!("Sanne Smit")));
    let (_, audit) = app.get(&format!("/api/v1/audit?entity_id={id}"), Some(t)).await;
    let actions: Vec<&str> = audit.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["customer.created", "customer.read"], "{audit}");
    let entry = &audit[1];
    assert_eq!((entry["actor"]["type"].as_str(), entry["summary"].as_str()), (Some("employee"), Some("")));

    let (status, found) = app.get("/api/v1/customers?q=sanne", Some(&kcc)).await;
    assert_eq!((status, found.as_array().unwrap().len()), (StatusCode::OK, 1));
    let (_, lists) = app.get("/api/v1/audit?entity_id=customers", Some(t)).await;
    let lists = lists.as_array().unwrap();
    assert_eq!(lists.len(), 1, "one entry per list read");
    assert_eq!((lists[0]["action"].as_str(), lists[0]["summary"].as_str()), (Some("customer.read"), Some("count=1")));
    assert!(!lists[0].to_string().contains("Sanne"), "never names");

    // A refused read is not a read.
    let redacteur = app.token_for("redactie", &["redacteur"]).await;
    assert_eq!(app.get(&format!("/api/v1/customers/{id}"), Some(&redacteur)).await.0, StatusCode::FORBIDDEN);
    let (_, audit) = app.get(&format!("/api/v1/audit?entity_id={id}"), Some(t)).await;
    assert_eq!(audit.as_array().unwrap().len(), 2);
}
