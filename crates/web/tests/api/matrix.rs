//! Every API route × every role: without a token 401; with any role never a 500; and the role
//! rules of the use cases hold for the routes that touch customer data and administration.

use crate::helpers::spawn_app;
use axum::http::StatusCode;

#[tokio::test]
async fn every_route_checks_authentication_and_no_role_gets_a_server_error() {
    let app = spawn_app().await;
    let roles = ["kcc", "backoffice", "teamleider", "redacteur", "beheerder"];
    let mut tokens = vec![];
    for role in roles {
        tokens.push((role, app.token_for(&format!("matrix-{role}"), &[role]).await));
    }
    let (_, doc) = app.get("/api/openapi.json", None).await;
    let paths = doc["paths"].as_object().unwrap();
    let some_id = "0190f5c4-7a3e-7000-8000-000000000000";
    let mut checked = 0;
    for (path, item) in paths {
        let concrete = path
            .replace("{reference}", "WS-2026-000001")
            .replace("{question_id}", some_id)
            .replace("{id}", some_id)
            .replace("{work_id}", some_id);
        for method in item.as_object().unwrap().keys() {
            let method = method.to_uppercase();
            let body = matches!(method.as_str(), "POST" | "PUT").then_some("{}");
            let res = app.raw(&method, &concrete, None, body).await;
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "{method} {path} without a token");
            for (role, token) in &tokens {
                let res = app.raw(&method, &concrete, Some(token), body).await;
                assert!(!res.status().is_server_error(), "{method} {path} as {role}: {}", res.status());
                checked += 1;
            }
        }
    }
    assert!(checked > 5 * 40, "walked {checked} route × role pairs");

    let expect = |path: &'static str, allowed: &'static [&'static str]| (path, allowed);
    for (path, allowed) in [
        expect("/api/v1/customers", &["kcc", "backoffice", "teamleider", "beheerder"]),
        expect("/api/v1/contacts", &["kcc", "backoffice", "teamleider", "beheerder"]),
        expect("/api/v1/cases", &["kcc", "backoffice", "teamleider", "beheerder"]),
        expect("/api/v1/audit", &["beheerder"]),
        expect("/api/v1/kennisbank/articles", &["redacteur", "beheerder"]),
        expect("/api/v1/kennisbank/zoekvragen", &["redacteur", "beheerder"]),
        expect("/api/v1/teams", &["kcc", "backoffice", "teamleider", "redacteur", "beheerder"]),
        expect("/api/v1/planned-works", &["kcc", "backoffice", "teamleider", "redacteur", "beheerder"]),
        expect("/api/v1/mail", &["teamleider", "beheerder"]),
        expect("/api/v1/journeys", &["kcc", "backoffice", "teamleider", "redacteur", "beheerder"]),
        expect("/api/v1/mail?status=failed", &["teamleider", "beheerder"]),
        expect("/api/v1/klachten/jaaroverzicht?jaar=2026", &["teamleider", "beheerder"]),
        expect("/api/v1/satisfaction", &["teamleider", "beheerder"]),
        expect("/api/v1/contact-figures", &["teamleider", "beheerder"]),
    ] {
        for (role, token) in &tokens {
            let status = app.raw("GET", path, Some(token), None).await.status();
            let want = if allowed.contains(role) { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(status, want, "GET {path} as {role}");
        }
    }
}
