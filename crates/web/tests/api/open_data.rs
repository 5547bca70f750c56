//! Open data for everyone (issue 17): `/open-data/` lists only the years a beheerder published
//! on `/werkplek/vergelijking`; the files have their content type and file name; a year that is
//! not published is a plain 404 page; the beheerder's forms check role and CSRF.

use crate::helpers::spawn_app;
use crate::staff::{send, sign_in};
use axum::body::Body;
use axum::http::{Request, StatusCode};
use gastvrij_domain::open_data::{CODES, OpenDataSet};
use tower::ServiceExt;

/// Status, the headers asked for, and the body of a GET without cookies.
async fn fetch(app: &crate::helpers::TestApp, path: &str, headers: &[&str]) -> (StatusCode, Vec<String>, String) {
    let res = app.router.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
    let status = res.status();
    let values = headers
        .iter()
        .map(|h| res.headers().get(*h).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default())
        .collect();
    let body = String::from_utf8(axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec()).unwrap();
    (status, values, body)
}

#[tokio::test]
async fn only_published_years_are_public_with_their_files_and_a_plain_404_for_the_rest() {
    let app = spawn_app().await;
    let (status, _, list) = fetch(&app, "/open-data/", &[]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Open data over onze dienstverlening") && list.contains("nog geen cijfers gepubliceerd"));
    let (status, _, missing) = fetch(&app, "/open-data/2025.json", &[]).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(missing.contains("Voor dit jaar zijn geen cijfers gepubliceerd"), "{missing}");
    assert_eq!(fetch(&app, "/open-data", &[]).await.0, StatusCode::PERMANENT_REDIRECT);

    // A team lead sees the comparison but not the publishing part, and may not publish.
    let (lead, lead_csrf) = sign_in(&app, "leider", &["teamleider"]).await;
    let page = send(&app, "GET", "/werkplek/vergelijking?jaar=2025", &[&lead], None, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Open data publiceren"));
    let form = format!("csrf={lead_csrf}&jaar=2025");
    let refused = send(&app, "POST", "/werkplek/vergelijking/publiceren", &[&lead], Some(&form), &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    let (admin, csrf) = sign_in(&app, "beheerder2", &["beheerder"]).await;
    let page = send(&app, "GET", "/werkplek/vergelijking?jaar=2025", &[&admin], None, &[]).await;
    assert!(page.body.contains("Open data publiceren") && page.body.contains("2025 is niet gepubliceerd"));
    assert!(page.body.contains("value=\"waterschap\""), "the code, derived from the name until set");
    let forged =
        send(&app, "POST", "/werkplek/vergelijking/publiceren", &[&admin], Some("csrf=vervalst&jaar=2025"), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let bad_year = send(
        &app,
        "POST",
        "/werkplek/vergelijking/publiceren",
        &[&admin],
        Some(&format!("csrf={csrf}&jaar=twee")),
        &[],
    )
    .await;
    assert_eq!(bad_year.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_year.body.contains("Jaar: kies een jaar"), "{}", bad_year.body);

    let bad_code = format!("csrf={csrf}&jaar=2025&code=Ons+Schap");
    let refused = send(&app, "POST", "/werkplek/vergelijking/code", &[&admin], Some(&bad_code), &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Controleer de code van het waterschap"), "{}", refused.body);
    let code = format!("csrf={csrf}&jaar=2025&code=ws-proef");
    let saved = send(&app, "POST", "/werkplek/vergelijking/code", &[&admin], Some(&code), &[]).await;
    assert!(saved.location.as_deref().unwrap_or_default().starts_with("/werkplek/vergelijking?jaar=2025&melding="));

    let form = format!("csrf={csrf}&jaar=2025");
    let published = send(&app, "POST", "/werkplek/vergelijking/publiceren", &[&admin], Some(&form), &[]).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    let page = send(&app, "GET", "/werkplek/vergelijking?jaar=2025", &[&admin], None, &[]).await;
    assert!(page.body.contains("2025 is gepubliceerd op") && page.body.contains("Haal 2025 van /open-data/"));

    let (_, _, list) = fetch(&app, "/open-data/", &[]).await;
    assert!(list.contains("href=\"/open-data/2025.json\"") && list.contains("href=\"/open-data/2025.csv\""));
    assert!(!list.contains("/open-data/2026."), "only the published year");
    assert!(list.contains("02-03-2026"), "the day it was published");
    assert!(!list.contains("style="), "no inline style");

    let headers = ["content-type", "content-disposition", "x-content-type-options", "content-security-policy"];
    let (status, h, json) = fetch(&app, "/open-data/2025.json", &headers).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(h[0], "application/json");
    assert_eq!(h[1], "attachment; filename=\"ws-proef-2025.json\"");
    assert_eq!(h[2], "nosniff");
    assert!(h[3].contains("default-src 'self'"));
    let set = OpenDataSet::parse(&json).expect("the public file passes the schema");
    assert_eq!((set.organisation.code.as_str(), set.year), ("ws-proef", 2025));

    let (status, h, csv) = fetch(&app, "/open-data/2025.csv", &headers).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        (h[0].as_str(), h[1].as_str()),
        ("text/csv; charset=utf-8", "attachment; filename=\"ws-proef-2025.csv\"")
    );
    assert_eq!(csv.lines().count(), 1 + 5 * CODES.len());
    let (status, h, schema) = fetch(&app, "/open-data/schema.json", &headers).await;
    assert_eq!((status, h[0].as_str()), (StatusCode::OK, "application/schema+json"));
    assert!(schema.contains("\"schema_version\""));
    for other in ["/open-data/2026.json", "/open-data/2025.xml", "/open-data/..%2Fgeheim", "/open-data/2025"] {
        assert_eq!(fetch(&app, other, &[]).await.0, StatusCode::NOT_FOUND, "{other}");
    }

    let withdrawn = send(&app, "POST", "/werkplek/vergelijking/intrekken", &[&admin], Some(&form), &[]).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    assert_eq!(fetch(&app, "/open-data/2025.json", &[]).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn downloads_are_limited_per_address() {
    let app = crate::helpers::spawn_app_with(|state| state.with_open_data_limit(3)).await;
    for _ in 0..3 {
        assert_eq!(fetch(&app, "/open-data/", &[]).await.0, StatusCode::OK);
    }
    let (status, h, body) = fetch(&app, "/open-data/2025.csv", &["retry-after"]).await;
    assert_eq!((status, h[0].as_str()), (StatusCode::TOO_MANY_REQUESTS, "600"));
    assert!(body.contains("Wacht tien minuten"), "{body}");
}
