//! Deadlines and norms through the API: the calendar contract, case deadlines that move with
//! suspension and extension, and compliance.

use crate::helpers::spawn_app;
use axum::http::StatusCode;
use serde_json::{Value, json};

fn at(v: &Value) -> jiff::Timestamp {
    v.as_str().unwrap_or_else(|| panic!("not a moment: {v}")).parse().unwrap()
}

fn ts(s: &str) -> jiff::Timestamp {
    s.parse().unwrap()
}

#[tokio::test]
async fn the_deadline_endpoint_answers_like_the_cli() {
    let app = spawn_app().await;
    let t = Some(app.admin.as_str());
    for (query, expected) in [
        ("start=2026-04-02&working_days=3", "2026-04-09"),
        ("start=2026-04-02&weeks=6", "2026-05-15"),
        ("start=2026-04-02T16:30:00%2B02:00&business_hours=4", "2026-04-07T11:30:00+02:00"),
    ] {
        let (status, body) = app.get(&format!("/api/v1/calendar/deadline?{query}"), t).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert_eq!(body["deadline"], expected, "{query}");
    }
    for query in [
        "start=2026-04-02&working_days=-1",
        "start=2026-02-30&working_days=1",
        "start=2026-04-02&working_days=1&weeks=1",
        "start=2026-04-02&business_hours=4",
        "working_days=2",
        "start=2026-04-02&working_days=2&calendar=nergens",
    ] {
        let (status, body) = app.get(&format!("/api/v1/calendar/deadline?{query}"), t).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {body}");
        assert!(body["error"].as_str().unwrap().len() > 15, "{query}: {body}");
    }
    let (_, holidays) = app.get("/api/v1/calendar/holidays?year=2026", t).await;
    assert!(
        holidays.as_array().unwrap().contains(&json!({"date": "2026-04-03", "name": "Goede Vrijdag"})),
        "{holidays}"
    );
}

#[tokio::test]
async fn a_complaint_gets_deadlines_that_move_with_suspension_and_one_extension() {
    let app = spawn_app().await;
    let t = app.admin.clone();
    app.set_time("2026-04-02T10:00:00+02:00");
    let (_, team) = app.post("/api/v1/teams", &t, json!({"name": "Klachten"})).await;
    let (status, case) = app
        .post("/api/v1/cases", &t, json!({"case_type": "klacht", "team_id": team["id"], "subject": "Niet teruggebeld"}))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let d = &case["timing"]["deadlines"];
    // 6 weeks from 2 April ends on Hemelvaartsdag 14 May: the term ends Friday 15 May.
    assert_eq!(at(&d["legal"]), ts("2026-05-16T00:00:00+02:00"));
    assert_eq!(at(&d["acknowledgement"]), ts("2026-04-10T00:00:00+02:00"), "3 working days past Easter");
    let id = case["id"].as_str().unwrap().to_string();

    app.set_time("2026-04-13T09:00:00+02:00");
    let (status, suspended) = app
        .post(&format!("/api/v1/cases/{id}/status"), &t, json!({"status": "opgeschort", "reason": "wacht op klant"}))
        .await;
    assert_eq!(status, StatusCode::OK, "{suspended}");
    app.set_time("2026-04-20T09:00:00+02:00");
    let (_, resumed) = app.post(&format!("/api/v1/cases/{id}/status"), &t, json!({"status": "in_behandeling"})).await;
    assert_eq!(
        at(&resumed["timing"]["deadlines"]["legal"]),
        ts("2026-05-23T00:00:00+02:00"),
        "moved by 5 paused working days"
    );
    assert_eq!(
        at(&resumed["timing"]["deadlines"]["acknowledgement"]),
        ts("2026-04-10T00:00:00+02:00"),
        "a pause after a deadline does not move it"
    );

    let (status, extended) =
        app.post(&format!("/api/v1/cases/{id}/extension"), &t, json!({"reason": "advies nodig"})).await;
    assert_eq!(status, StatusCode::OK, "{extended}");
    assert_eq!(at(&extended["timing"]["deadlines"]["legal"]), ts("2026-06-20T00:00:00+02:00"), "plus 4 weeks");
    let reasons: Vec<&str> = extended["timing"]["recalculations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, vec!["aangemaakt", "opgeschort: wacht op klant", "hervat", "verlengd: advies nodig"]);

    let (status, again) = app.post(&format!("/api/v1/cases/{id}/extension"), &t, json!({"reason": "nog eens"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{again}");
    assert_eq!(again["field"], "extension");
    let (_, stored) = app.get(&format!("/api/v1/cases/{id}"), Some(&t)).await;
    assert_eq!(stored["timing"], extended["timing"], "a refused extension changes nothing");

    let (_, report) =
        app.get("/api/v1/norms/compliance?from=2026-04-01&to=2026-05-01&group_by=case_type", Some(&t)).await;
    let klacht = report["groups"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["key"] == "klacht")
        .unwrap_or_else(|| panic!("{report}"));
    assert_eq!(
        (klacht["in_scope"].as_u64(), klacht["late"].as_u64(), klacht["open"].as_u64()),
        (Some(2), Some(1), Some(1)),
        "{klacht}"
    );
    assert_eq!(klacht["label"], "Klacht");
    let (status, _) = app.get("/api/v1/norms/compliance?from=2026-05-01&to=2026-04-01", Some(&t)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _) = app.get("/api/v1/norms/compliance?from=gisteren&to=2026-04-01", Some(&t)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_period_of_centuries_or_outside_the_calendar_is_a_field_error() {
    let app = spawn_app().await;
    let t = app.admin.clone();
    // Found by schemathesis: a report per week over 5,800 years answered 500.
    for (query, field, problem) in [
        ("from=2026-10-08&to=7830-03-07", "to", "at most 522 weeks"),
        ("from=1000-01-01&to=1000-02-01", "from", "between 1583 and 9999"),
    ] {
        let (status, body) = app.get(&format!("/api/v1/norms/compliance?{query}"), Some(&t)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {body}");
        assert!(body.to_string().contains(field) && body.to_string().contains(problem), "{query}: {body}");
    }
    let (status, body) = app.get("/api/v1/norms/compliance?from=2026-01-01&to=2035-12-01", Some(&t)).await;
    assert_eq!(status, StatusCode::OK, "ten years is still a report: {body}");
}

#[tokio::test]
async fn a_report_cannot_be_extended() {
    let app = spawn_app().await;
    let t = app.admin.clone();
    let (_, team) = app.post("/api/v1/teams", &t, json!({"name": "Meldingen"})).await;
    let (_, case) = app
        .post(
            "/api/v1/cases",
            &t,
            json!({"case_type": "melding", "team_id": team["id"], "subject": "Dode vissen", "urgent": true}),
        )
        .await;
    let created = at(&case["created_at"]);
    assert_eq!(
        at(&case["timing"]["deadlines"]["service_norm"]),
        created + jiff::SignedDuration::from_hours(24),
        "urgent: 24 hours"
    );
    let (status, body) = app
        .post(&format!("/api/v1/cases/{}/extension", case["id"].as_str().unwrap()), &t, json!({"reason": "x"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn cases_entering_the_risk_horizon_raise_one_event_for_team_and_owner() {
    let app = spawn_app().await;
    let t = app.admin.clone();
    app.set_time("2026-04-07T10:00:00+02:00");
    let (_, team) = app.post("/api/v1/teams", &t, json!({"name": "Product"})).await;
    let (_, owner) = app
        .post("/api/v1/employees", &t, json!({"name": "Kees", "team_id": team["id"], "roles": ["backoffice"]}))
        .await;
    let (_, case) = app
        .post(
            "/api/v1/cases",
            &t,
            json!({"case_type": "vraag", "team_id": team["id"], "owner_id": owner["id"], "subject": "Vraag over peil"}),
        )
        .await;
    // Service norm: 5 working days, due Tuesday 14 April. Nothing at risk yet with 48 hours.
    assert_eq!(app.app.raise_risk_events(jiff::SignedDuration::from_hours(48)).await.unwrap(), 0);
    app.set_time("2026-04-13T09:00:00+02:00");
    assert_eq!(
        app.app.raise_risk_events(jiff::SignedDuration::from_hours(48)).await.unwrap(),
        2,
        "one for the team, one for the owner"
    );
    assert_eq!(app.app.raise_risk_events(jiff::SignedDuration::from_hours(48)).await.unwrap(), 0, "raised once");
    let (_, events) = app.get(&format!("/api/v1/events?team_id={}", team["id"].as_str().unwrap()), Some(&t)).await;
    let events = events.as_array().unwrap();
    assert_eq!(events.len(), 1, "the beheerder sees the team's event: {events:?}");
    assert_eq!(events[0]["kind"], "case.at_risk");
    assert_eq!(events[0]["entity_id"], case["id"]);
    assert!(events[0]["summary"].as_str().unwrap().ends_with("nog 1 werkdag"), "{}", events[0]["summary"]);
}
