//! The klantoverleg report (`/werkplek/klantoverleg`, issue 14): a back-office team's quarter
//! for its meeting with the KCC, as a page and as CSV, on the fixed test clock (2026-03-02, the
//! first quarter).

use crate::helpers::{TestApp, spawn_app};
use crate::staff::{open_session, send};
use axum::http::StatusCode;
use gastvrij_app::Principal;
use gastvrij_domain::team::{EmployeeInput, Role};
use serde_json::{Value, json};

async fn created(app: &TestApp, path: &str, token: &str, body: Value) -> Value {
    let (status, v) = app.post(path, token, body).await;
    assert_eq!(status, StatusCode::CREATED, "{path}: {v}");
    v
}

fn id(v: &Value) -> String {
    v["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn the_klantoverleg_report_counts_the_teams_questions_consultations_works_and_norms_of_the_quarter() {
    let app = spawn_app().await;
    let admin = app.admin.clone();
    let heffingen = id(&created(&app, "/api/v1/teams", &admin, json!({"name": "Heffingen"})).await);
    let vergunningen = id(&created(&app, "/api/v1/teams", &admin, json!({"name": "Vergunningen"})).await);
    let belasting =
        id(&created(&app, "/api/v1/topics", &admin, json!({"name": "Belastingen", "team_id": heffingen})).await);
    let kwijtschelding =
        id(&created(&app, "/api/v1/topics", &admin, json!({"name": "Kwijtschelding", "parent_id": belasting})).await);
    let vergunning =
        id(&created(&app, "/api/v1/topics", &admin, json!({"name": "Watervergunning", "team_id": vergunningen})).await);

    let agent = app.token_for("agent", &["kcc"]).await;
    let back = app.token_for("backoffice", &["backoffice"]).await;
    let q = |topic: &str, text: &str| json!({"topic_id": topic, "text": text});
    let contact = |channel: &str, questions: Vec<Value>| json!({"channel": channel, "questions": questions});
    let phone = contact(
        "telefoon",
        vec![q(&kwijtschelding, "Kan ik kwijtschelding krijgen?"), q(&kwijtschelding, "Hoe lang duurt het?")],
    );
    let phone = created(&app, "/api/v1/contacts", &agent, phone).await;
    created(&app, "/api/v1/contacts", &agent, contact("email", vec![q(&belasting, "Waarom twee aanslagen?")])).await;
    created(&app, "/api/v1/contacts", &agent, contact("telefoon", vec![q(&vergunning, "Mag ik een steiger?")])).await;

    let ask = |to: Value, question: &str| {
        let mut body = json!({"contact_id": phone["id"], "question": question});
        body.as_object_mut().unwrap().extend(to.as_object().unwrap().clone());
        body
    };
    let consultations = "/api/v1/kennisbank/consultations";
    let answered =
        created(&app, consultations, &agent, ask(json!({"to_team": heffingen}), "Geldt de nieuwe regeling al?")).await;
    let input = EmployeeInput {
        name: "Bea".into(),
        username: Some("bea".into()),
        roles: vec![Role::Backoffice],
        team_id: Some(heffingen.parse().unwrap()),
        active: true,
        ..Default::default()
    };
    let member = app.app.add_user(&Principal::operator(), input, "een lang testwachtwoord").await.unwrap().id;
    created(&app, consultations, &agent, ask(json!({"to_employee": member.to_string()}), "Wie beslist over uitstel?"))
        .await;
    created(&app, consultations, &agent, ask(json!({"to_team": vergunningen}), "Is dit vergunningplichtig?")).await;
    app.set_time("2026-03-02T11:30:00Z");
    let path = format!("{consultations}/{}/answer", id(&answered));
    let (status, _) = app.post(&path, &back, json!({"answer": "Ja, sinds 1 januari."})).await;
    assert_eq!(status, StatusCode::OK);

    let work = |title: &str, starts: &str, ends: &str| json!({"title": title, "what": "Werk.", "why": "Nodig.", "area": "2611", "starts_on": starts, "ends_on": ends, "contact": "Team Onderhoud"});
    created(&app, "/api/v1/planned-works", &admin, work("Baggeren Vliet", "2026-04-01", "2026-05-15")).await;
    created(&app, "/api/v1/planned-works", &admin, work("Dijk later", "2026-09-01", "2026-10-15")).await;

    let (session, _) = open_session(&app, "agent").await;
    let get = |path: String| {
        let session = session.clone();
        let app = &app;
        async move { send(app, "GET", &path, &[&session], None, &[]).await }
    };
    let report = get(format!("/werkplek/klantoverleg?team={heffingen}&jaar=2026&kwartaal=1")).await;
    assert_eq!(report.status, StatusCode::OK, "{}", report.body);
    let body = &report.body;
    assert!(body.contains("Klantoverleg Heffingen, 1e kwartaal 2026"), "{body}");
    assert!(body.contains("Kwijtschelding") && body.contains("Belastingen"), "the team's topics and their children");
    assert!(!body.contains("Watervergunning"), "another team's topic is not on the report");
    assert!(body.contains("3 vragen per onderwerp en kanaal"), "{body}");
    assert!(body.contains("2,5 uur"), "answered 2.5 hours after the question: {body}");
    assert!(body.contains("Baggeren Vliet") && !body.contains("Dijk later"), "works starting within 3 months");

    let csv = get(format!("/werkplek/klantoverleg.csv?team={heffingen}&jaar=2026&kwartaal=1")).await;
    assert_eq!(csv.status, StatusCode::OK);
    for line in [
        "questions,Kwijtschelding,telefoon,2",
        "questions,Belastingen,email,1",
        "consultations,asked,,2",
        "consultations,answered,,1",
        "consultations,open,,1",
        "consultations,median_hours,,2.5",
        "planned_works,Baggeren Vliet,,2026-04-01 – 2026-05-15",
    ] {
        assert!(csv.body.lines().any(|l| l == line), "{line:?} in\n{}", csv.body);
    }
    assert!(!csv.body.contains("Geldt de nieuwe regeling") && !csv.body.contains("Kan ik"), "no question texts");

    let next = get(format!("/werkplek/klantoverleg.csv?team={heffingen}&jaar=2026&kwartaal=2")).await;
    assert!(next.body.lines().any(|l| l == "consultations,asked,,0"), "another quarter: {}", next.body);
    let own = get("/werkplek/klantoverleg".into()).await;
    assert_eq!(own.status, StatusCode::OK, "defaults: a team and today's quarter");

    for (query, says) in [
        ("kwartaal=5", "Controleer het kwartaal"),
        ("jaar=twintig", "Controleer het jaar"),
        ("team=geen-team", "Controleer het team"),
    ] {
        let refused = get(format!("/werkplek/klantoverleg?{query}")).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {}", refused.body);
        assert!(refused.body.contains(says), "{query}: expected {says:?} in {}", refused.body);
    }
    app.token_for("redactie", &["redacteur"]).await;
    let (editor, _) = open_session(&app, "redactie").await;
    let refused = send(&app, "GET", "/werkplek/klantoverleg", &[&editor], None, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "an editor has no customer work");
}
