//! Contact figures (issue 15): known contacts give known figures on
//! /werkplek/cijfers/contacten, in its CSV and in GET /api/v1/contact-figures (one use case);
//! a bad date is a 422 with the field named; only team leads and beheerders see them.

use crate::helpers::{TestApp, spawn_app};
use crate::norm_pages::user;
use crate::staff::{open_session, send};
use axum::http::StatusCode;
use gastvrij_domain::team::Role;
use serde_json::json;

/// A contact with one question ending in `outcome`, closed when `close`.
async fn contact(app: &TestApp, channel: &str, outcome: &str, close: bool) {
    let body = json!({"channel": channel, "questions": [{"text": "Een vraag", "outcome": outcome}]});
    let (status, c) = app.post("/api/v1/contacts", &app.admin, body).await;
    assert_eq!(status, StatusCode::CREATED, "{c}");
    if close {
        let (status, _) =
            app.post(&format!("/api/v1/contacts/{}/close", c["id"].as_str().unwrap()), &app.admin, json!({})).await;
        assert_eq!(status, StatusCode::OK);
    }
}

#[tokio::test]
async fn known_contacts_give_the_same_figures_on_the_page_in_the_csv_and_in_the_api() {
    let app = spawn_app().await;
    user(&app, "cijferleider", Role::Teamleider).await;
    let (lead, _) = open_session(&app, "cijferleider").await;
    // Monday 2 March 2026, 09:00 UTC (10:00 in Amsterdam): two calls closed, one answered at
    // once; one e-mail still open.
    contact(&app, "telefoon", "answered", true).await;
    contact(&app, "telefoon", "not_answered", true).await;
    contact(&app, "email", "answered", false).await;

    let index = send(&app, "GET", "/werkplek/cijfers", &[&lead], None, &[]).await;
    assert!(index.body.contains("href=\"/werkplek/cijfers/contacten\""), "linked from the index");

    let page = send(&app, "GET", "/werkplek/cijfers/contacten", &[&lead], None, &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for want in [
        "id=\"contacten\">3<",
        "id=\"afgesloten\">2<",
        "id=\"meteen-goed\">1<",
        "id=\"meteen-goed-deel\">50,0 %<",
        "id=\"ruggespraak-gevraagd\">0<",
        "Periode: dinsdag 3 februari 2026 tot dinsdag 3 maart 2026.",
        "scope=\"row\">Telefoon</th><td class=\"utrecht-table__cell\">2<",
        "scope=\"row\">E-mail</th><td class=\"utrecht-table__cell\">1<",
        "<svg width=\"200\" height=\"112\" aria-hidden=\"true\"",
        "href=\"/werkplek/cijfers/contacten.csv\"",
    ] {
        assert!(page.body.contains(want), "{want} in {}", page.body);
    }
    assert!(!page.body.contains("style="), "no inline style");
    // The hour-of-week table: Monday (first row), 10:00 (the eleventh hour column) holds 3.
    let monday = page.body.split("scope=\"row\">maandag</th>").nth(1).unwrap().split("</tr>").next().unwrap();
    let cells: Vec<&str> = monday.split("<td class=\"utrecht-table__cell\">").skip(1).collect();
    assert_eq!(cells.len(), 24);
    assert!(cells[10].starts_with("3<"), "{monday}");
    assert!(cells[9].starts_with("0<"), "{monday}");

    let csv = send(&app, "GET", "/werkplek/cijfers/contacten.csv", &[&lead], None, &[]).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with("section,key,value\n"), "{}", csv.body);
    for want in [
        "\ncontacts,started,3\n",
        "\ncontacts,closed,2\n",
        "\ncontacts,first_time_right,1\n",
        "\ncontacts,first_time_right_percent,50.00\n",
        "\nchannel,telefoon,2\n",
        "\nchannel,email,1\n",
        "\nhour_of_week,1-10,3\n",
        "\nhour_of_week,1-09,0\n",
    ] {
        assert!(csv.body.contains(want), "{want} in {}", csv.body);
    }

    let (status, api) = app.get("/api/v1/contact-figures?from=2026-02-03&to=2026-03-03", Some(&app.admin)).await;
    assert_eq!(status, StatusCode::OK, "{api}");
    assert_eq!(
        (api["contacts"].as_u64(), api["closed"].as_u64(), api["first_time_right"].as_u64()),
        (Some(3), Some(2), Some(1))
    );
    assert_eq!(api["first_time_right_percent"].as_f64(), Some(50.0));
    assert_eq!(api["hour_of_week"][0][10].as_u64(), Some(3));
    let phone = api["per_channel"].as_array().unwrap().iter().find(|c| c["channel"] == "telefoon").unwrap().clone();
    assert_eq!(phone["contacts"].as_u64(), Some(2));

    // A period without these contacts has none.
    let (_, empty) = app.get("/api/v1/contact-figures?from=2026-01-01&to=2026-02-01", Some(&app.admin)).await;
    assert_eq!((empty["contacts"].as_u64(), empty["first_time_right_percent"].is_null()), (Some(0), true));

    // Bad dates: 422 with the field named, never a 500.
    let (status, bad) = app.get("/api/v1/contact-figures?from=gisteren", Some(&app.admin)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    assert!(bad.to_string().contains("from"), "{bad}");
    let (status, bad) = app.get("/api/v1/contact-figures?from=2026-03-02&to=2026-03-01", Some(&app.admin)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
    let wrong = send(&app, "GET", "/werkplek/cijfers/contacten?van=gisteren", &[&lead], None, &[]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("is geen datum. Kies een datum, bijvoorbeeld 2026-03-01."), "{}", wrong.body);
    let wrong =
        send(&app, "GET", "/werkplek/cijfers/contacten.csv?van=2026-03-02&tot=2026-03-01", &[&lead], None, &[]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    let wrong = send(&app, "GET", "/werkplek/cijfers/contacten?team=abc", &[&lead], None, &[]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn only_team_leads_and_beheerders_see_the_contact_figures() {
    let app = spawn_app().await;
    for (name, role) in [
        ("cijferlead", Role::Teamleider),
        ("cijferbeheer", Role::Beheerder),
        ("cijferkcc", Role::Kcc),
        ("cijferbo", Role::Backoffice),
        ("cijferred", Role::Redacteur),
    ] {
        user(&app, name, role).await;
        let (session, _) = open_session(&app, name).await;
        let allowed = matches!(role, Role::Teamleider | Role::Beheerder);
        for path in ["/werkplek/cijfers/contacten", "/werkplek/cijfers/contacten.csv"] {
            let want = if allowed { StatusCode::OK } else { StatusCode::FORBIDDEN };
            assert_eq!(send(&app, "GET", path, &[&session], None, &[]).await.status, want, "{path} as {name}");
        }
    }
    let anonymous = send(&app, "GET", "/werkplek/cijfers/contacten", &[], None, &[]).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "to the sign-in page");
}

#[tokio::test]
async fn the_page_and_its_csv_narrow_to_a_segment_and_refuse_an_unknown_one() {
    let app = spawn_app().await;
    user(&app, "segmentleider", Role::Teamleider).await;
    let (lead, _) = open_session(&app, "segmentleider").await;
    // Two calls without a customer: they have no segment.
    contact(&app, "telefoon", "answered", true).await;
    contact(&app, "telefoon", "answered", true).await;

    let all = send(&app, "GET", "/werkplek/cijfers/contacten", &[&lead], None, &[]).await;
    assert_eq!(all.status, StatusCode::OK, "{}", all.body);
    assert!(all.body.contains("id=\"contacten\">2<"), "{}", all.body);
    assert!(all.body.contains("<select class=\"utrecht-select\" id=\"segment\" name=\"segment\">"), "{}", all.body);

    let inwoner = send(&app, "GET", "/werkplek/cijfers/contacten?segment=inwoner", &[&lead], None, &[]).await;
    assert_eq!(inwoner.status, StatusCode::OK, "{}", inwoner.body);
    assert!(inwoner.body.contains("id=\"contacten\">0<"), "no contact has a customer of that segment");
    assert!(
        inwoner.body.contains("href=\"/werkplek/cijfers/contacten.csv?segment=inwoner\""),
        "the CSV keeps the filter"
    );

    let csv = send(&app, "GET", "/werkplek/cijfers/contacten.csv?segment=inwoner", &[&lead], None, &[]).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.contains("\ncontacts,started,0\n"), "{}", csv.body);

    for path in ["/werkplek/cijfers/contacten?segment=onzin", "/werkplek/cijfers/contacten.csv?segment=onzin"] {
        let bad = send(&app, "GET", path, &[&lead], None, &[]).await;
        assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}");
        assert!(bad.body.contains("Het segment bestaat niet"), "{}", bad.body);
    }
}
