//! Complaints as the Awb asks (chapter 9, issue 14): the involved employee does not handle the
//! klacht (9:7), the hearing is settled before closing (9:10), the outcome in writing names the
//! judgement and the ombudsman (9:12), and the register with its annual overview (9:12a) is for
//! team leads and beheerders, without personal data in the CSV. All on the fixed test clock.

use crate::case_work::{Desk, desk, done, employee, refused};
use axum::http::StatusCode;
use gastvrij_domain::team::Role;
use serde_json::json;

/// A team lead of the desk's team.
async fn lead(d: &Desk) -> crate::case_work::Staff {
    employee(&d.app, "lea", Role::Teamleider, Some(&d.team)).await
}

#[tokio::test]
async fn the_involved_employee_neither_takes_nor_is_handed_the_klacht() {
    let d = desk().await;
    let lea = lead(&d).await;
    let (klacht, _) = d.case("klacht", "Onvriendelijk aan de telefoon", Some("sanne@example.nl")).await;
    let page = d.page(&d.bram, klacht).await;
    assert!(page.contains("Klacht (Awb hoofdstuk 9)") && page.contains("niemand vastgelegd"), "{page}");

    // Bram records at intake that the klacht is about Anna (a ticked employee) and a contractor.
    let form = format!("csrf={}&betrokken={}&anders=de+aannemer", d.bram.csrf, d.anna.id);
    let path = format!("/werkplek/zaken/{klacht}/betrokkenen");
    done(&crate::staff::send(&d.app, "POST", &path, &[&d.bram.session], Some(&form), &[]).await);
    let page = d.page(&d.bram, klacht).await;
    assert!(page.contains("de aannemer"), "{page}");

    // Anna may not take it, nor be handed it, on the page or through the API.
    refused(&d.act(&d.anna, klacht, "nemen", &[]).await, "Awb 9:7");
    let anna = d.anna.id.to_string();
    refused(&d.act(&lea, klacht, "overdragen", &[("aan", &anna), ("notitie", "Jij kent haar")]).await, "Awb 9:7");
    let (status, body) =
        d.app.post(&format!("/api/v1/cases/{klacht}/assignment"), &d.app.admin, json!({"owner_id": anna})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"].as_str().unwrap().contains("Awb 9:7"), "{body}");
    assert_eq!(d.case_json(klacht).await["owner_id"], serde_json::Value::Null, "nothing changed");
    assert!(d.case_json(klacht).await["notes"].as_array().unwrap().is_empty(), "no handover note either");

    // Nor may she take herself off the list; the team lead may change it.
    let form = format!("csrf={}&anders=", d.anna.csrf);
    let off = crate::staff::send(&d.app, "POST", &path, &[&d.anna.session], Some(&form), &[]).await;
    assert_eq!(off.status, StatusCode::FORBIDDEN, "{}", off.body);
    done(&d.act(&d.bram, klacht, "nemen", &[]).await);
    // The owner cannot be named involved without handing over first.
    let form = format!("csrf={}&betrokken={}", lea.csrf, d.bram.id);
    refused(
        &crate::staff::send(&d.app, "POST", &path, &[&lea.session], Some(&form), &[]).await,
        "draag de klacht eerst over",
    );
}

#[tokio::test]
async fn a_klacht_closes_after_the_hearing_with_conclusions_judgement_and_the_ombudsman() {
    let d = desk().await;
    let (klacht, reference) = d.case("klacht", "Aanslag te laat", None).await;
    let close = [
        ("resultaat", "deels_gegrond"),
        ("antwoord", "De aanslag kwam te laat."),
        ("maatregelen", "Aanslagen gaan voortaan eerder de deur uit."),
    ];
    refused(&d.act(&d.anna, klacht, "afhandelen", &close).await, "hoorzitting");
    assert_eq!(d.case_json(klacht).await["status"], "ontvangen", "nothing stored");

    done(&d.act(&d.anna, klacht, "hoorzitting-aanbod", &[("aangeboden_op", "2026-03-09")]).await);
    refused(
        &d.act(
            &d.anna,
            klacht,
            "hoorzitting",
            &[("hoorzitting", "gehouden"), ("gehouden_op", "2026-03-09"), ("verslag", "")],
        )
        .await,
        "Controleer",
    );
    refused(&d.act(&d.anna, klacht, "hoorzitting", &[]).await, "Controleer de hoorzitting");
    done(
        &d.act(
            &d.anna,
            klacht,
            "hoorzitting",
            &[
                ("hoorzitting", "gehouden"),
                ("gehouden_op", "2026-03-02"),
                ("verslag", "Klager legt uit wat er misging."),
            ],
        )
        .await,
    );
    let page = d.page(&d.anna, klacht).await;
    for part in [
        "Hoorzitting aangeboden",
        "maandag 9 maart 2026",
        "gehouden op maandag 2 maart 2026",
        "Klager legt uit wat er misging.",
    ] {
        assert!(page.contains(part), "{part} on the page and in the timeline: {page}");
    }

    done(&d.act(&d.anna, klacht, "afhandelen", &close).await);
    let letter = d.get(&d.anna, &format!("/werkplek/zaken/{klacht}/brief")).await;
    assert_eq!(letter.status, StatusCode::OK);
    for part in ["De aanslag kwam te laat.", "deels gegrond", "Nationale ombudsman", &reference] {
        assert!(letter.body.contains(part), "{part} in the letter: {}", letter.body);
    }
    assert_eq!(d.case_json(klacht).await["complaint"]["measures"], "Aanslagen gaan voortaan eerder de deur uit.");
}

#[tokio::test]
async fn the_register_and_overview_are_for_team_leads_and_hold_no_personal_data() {
    let d = desk().await;
    let lea = lead(&d).await;
    let (klacht, reference) = d.case("klacht", "Sanne Smit klaagt over de Dijkweg", Some("sanne@example.nl")).await;
    let form = format!("csrf={}&betrokken={}", lea.csrf, d.anna.id);
    done(
        &crate::staff::send(
            &d.app,
            "POST",
            &format!("/werkplek/zaken/{klacht}/betrokkenen"),
            &[&lea.session],
            Some(&form),
            &[],
        )
        .await,
    );
    done(&d.act(&d.bram, klacht, "hoorzitting", &[("hoorzitting", "klager_tevreden")]).await);
    let close = [
        ("resultaat", "gegrond"),
        ("antwoord", "Mevrouw Smit heeft gelijk."),
        ("maatregelen", "Telefoontraining voor het hele team."),
    ];
    done(&d.act(&d.bram, klacht, "afhandelen", &close).await);

    for path in [
        "/werkplek/klachten",
        "/werkplek/klachten/jaaroverzicht?jaar=2026",
        "/werkplek/klachten/jaaroverzicht.csv?jaar=2026",
    ] {
        assert_eq!(d.get(&d.anna, path).await.status, StatusCode::FORBIDDEN, "back office: {path}");
        assert_eq!(d.get(&lea, path).await.status, StatusCode::OK, "team lead: {path}");
    }
    let register = d.get(&lea, "/werkplek/klachten?jaar=2026").await.body;
    assert!(register.contains(&reference) && register.contains("Gegrond"), "{register}");
    let overview = d.get(&lea, "/werkplek/klachten/jaaroverzicht?jaar=2026").await.body;
    assert!(overview.contains("Telefoontraining voor het hele team.") && overview.contains("100,0%"), "{overview}");
    assert!(!overview.contains(&reference) && !overview.contains("Sanne"), "no references or names: {overview}");

    let csv = d.get(&lea, "/werkplek/klachten/jaaroverzicht.csv?jaar=2026").await.body;
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines[0], "jaar,onderwerp,ontvangen,gegrond,deels_gegrond,ongegrond,ingetrokken,zonder_oordeel,open");
    assert!(lines.contains(&"2026,Totaal,1,1,0,0,0,0,0"), "{csv}");
    assert!(lines.contains(&"2026,1,1,100.0"), "judged, in time, share: {csv}");
    assert!(lines.contains(&"2026,Zonder onderwerp,Telefoontraining voor het hele team."), "{csv}");
    for personal in ["Sanne", "Smit", "Dijkweg", "sanne@", "WS-2026", "anna", "bram", "Onvriendelijk"] {
        assert!(!csv.contains(personal), "{personal} in the CSV: {csv}");
    }

    let (status, json) = d.app.get("/api/v1/klachten/jaaroverzicht?jaar=2026", Some(&d.app.admin)).await;
    assert_eq!(status, StatusCode::OK, "{json}");
    assert_eq!((json["total"]["gegrond"].as_u64(), json["in_time"].as_u64()), (Some(1), Some(1)), "{json}");
}

#[tokio::test]
async fn a_bad_year_gets_a_clear_error_not_a_500() {
    let d = desk().await;
    let lea = lead(&d).await;
    for year in ["twintig", "99999", "-1"] {
        let page = d.get(&lea, &format!("/werkplek/klachten?jaar={year}")).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{year}: {}", page.body);
        assert!(page.body.contains("Controleer het jaar"), "{}", page.body);
        let csv = d.get(&lea, &format!("/werkplek/klachten/jaaroverzicht.csv?jaar={year}")).await;
        assert_eq!(csv.status, StatusCode::UNPROCESSABLE_ENTITY);
        let (status, json) =
            d.app.get(&format!("/api/v1/klachten/jaaroverzicht?jaar={year}"), Some(&d.app.admin)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{json}");
        assert!(json["error"].as_str().unwrap().starts_with("jaar"), "{json}");
    }
    let (status, json) = d.app.get("/api/v1/klachten/jaaroverzicht", Some(&d.app.admin)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no year: {json}");
}

#[tokio::test]
async fn through_the_api_a_klacht_closes_only_with_its_outcome_in_writing_after_the_hearing() {
    let d = desk().await;
    let admin = d.app.admin.clone();
    let (klacht, _) = d.case("klacht", "Aanslag te laat", None).await;
    let (vraag, _) = d.case("vraag", "Hoe hoog is de aanslag", None).await;
    let closure = |result: &str| json!({"result": result, "answer": "Wij vonden geen fout.", "measures": ""});

    let (status, body) = d.app.post(&format!("/api/v1/cases/{klacht}/closure"), &admin, closure("ongegrond")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("hearing"), "the hearing first (9:10): {body}");
    done(&d.act(&d.anna, klacht, "hoorzitting", &[("hoorzitting", "klager_tevreden")]).await);

    let bare = json!({"status": "afgehandeld"});
    let (status, body) = d.app.post(&format!("/api/v1/cases/{klacht}/status"), &admin, bare).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("/closure"), "says how to close it: {body}");
    assert_eq!(d.case_json(klacht).await["status"], "ontvangen", "nothing stored");

    let (status, body) = d.app.post(&format!("/api/v1/cases/{klacht}/closure"), &admin, closure("ongegrond")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((body["status"].as_str(), body["closure"]["result"].as_str()), (Some("afgehandeld"), Some("ongegrond")));

    let (status, body) = d.app.post(&format!("/api/v1/cases/{vraag}/closure"), &admin, closure("opgelost")).await;
    assert_eq!(status, StatusCode::OK, "any case closes this way: {body}");
    let (status, body) = d.app.post(&format!("/api/v1/cases/{vraag}/closure"), &admin, closure("opgelost")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "closed already: {body}");
}
