//! Customer journeys in the workspace and the API (issue 15): a redacteur builds a journey with
//! plain forms (bad input shown again with the field named, a stale form refused), an agent only
//! reads it, and the map's figures on the page, in the CSV and in the API are the same.

use crate::helpers::{TestApp, spawn_app};
use crate::staff::{send, sign_in};
use axum::http::StatusCode;
use gastvrij_app::Principal;
use gastvrij_domain::case::{CaseInput, CaseStatus, CaseType};
use gastvrij_domain::customer::Segment;
use gastvrij_domain::ids::TopicId;
use gastvrij_domain::journey::{JourneyInput, TouchpointInput};
use gastvrij_domain::team::TeamInput;
use gastvrij_domain::topic::TopicInput;

/// A team with the topic "Wateroverlast".
async fn topic(app: &TestApp) -> TopicId {
    let op = Principal::operator();
    let team = app.app.create_team(&op, TeamInput { name: "Meldingen".into(), description: None }).await.unwrap();
    let input = TopicInput { name: "Wateroverlast".into(), parent_id: None, team_id: Some(team.id) };
    app.app.create_topic(&op, input).await.unwrap().id
}

fn location_id(location: &str) -> String {
    location.trim_start_matches("/werkplek/klantreizen/").split('/').next().unwrap().to_string()
}

#[tokio::test]
async fn a_redacteur_builds_a_journey_with_forms_and_an_agent_only_reads_it() {
    let app = spawn_app().await;
    let wateroverlast = topic(&app).await;
    let (editor, csrf) = sign_in(&app, "redacteur1", &["redacteur"]).await;
    let (agent, agent_csrf) = sign_in(&app, "kcc1", &["kcc"]).await;

    let form = send(&app, "GET", "/werkplek/klantreizen/nieuw", &[&editor], None, &[]).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("<option value=\"agrariër\">Agrariër</option>"));
    assert_eq!(
        send(&app, "GET", "/werkplek/klantreizen/nieuw", &[&agent], None, &[]).await.status,
        StatusCode::FORBIDDEN
    );

    // No segment: the page again, the field named, the name kept; nothing stored.
    let body = format!("csrf={csrf}&name=Inwoner+meldt+wateroverlast&segment=&process=Melding");
    let bad = send(&app, "POST", "/werkplek/klantreizen/nieuw", &[&editor], Some(&body), &[]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Controleer de doelgroep: kies een doelgroep uit de lijst."), "{}", bad.body);
    assert!(bad.body.contains("value=\"Inwoner meldt wateroverlast\""));
    assert!(app.app.journeys(&Principal::operator()).await.unwrap().is_empty());
    let forged = send(&app, "POST", "/werkplek/klantreizen/nieuw", &[&editor], Some("csrf=x&name=a"), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let body = format!("csrf={csrf}&name=Inwoner+meldt+wateroverlast&segment=inwoner&process=Melding");
    let made = send(&app, "POST", "/werkplek/klantreizen/nieuw", &[&editor], Some(&body), &[]).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    let id = location_id(made.location.as_deref().unwrap());

    // A step without anything to measure by is refused with the fix; the typed text stays.
    let steps = format!("/werkplek/klantreizen/{id}/stappen/nieuw");
    let empty = format!("csrf={csrf}&version=1&name=Melden&expectation=Ik+word+serieus+genomen");
    let refused = send(&app, "POST", &steps, &[&editor], Some(&empty), &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("kies minstens één onderwerp, kanaal of status"), "{}", refused.body);
    assert!(refused.body.contains(">Ik word serieus genomen</textarea>"));
    for (version, name, links) in [
        (1, "Melden", format!("topic={wateroverlast}&channel=webformulier&channel=telefoon&moment_of_truth=ja")),
        (2, "Bevestiging", "status=ontvangen".to_string()),
        (3, "Oplossing", format!("topic={wateroverlast}&status=afgehandeld&peak=ja")),
    ] {
        let body = format!("csrf={csrf}&version={version}&name={name}&expectation=Snel+antwoord&{links}");
        let ok = send(&app, "POST", &steps, &[&editor], Some(&body), &[]).await;
        assert_eq!(ok.status, StatusCode::SEE_OTHER, "{name}: {}", ok.body);
    }
    let both = format!("csrf={csrf}&version=4&name=Wachten&expectation=Niets&status=ontvangen&moetje=ja&peak=ja");
    let refused = send(&app, "POST", &steps, &[&editor], Some(&both), &[]).await;
    assert!(refused.body.contains("niet tegelijk een moetje en een piekmoment"), "{}", refused.body);
    assert!(refused.body.contains("id=\"status-ontvangen\" name=\"status\" value=\"ontvangen\" checked"));

    // Move "Oplossing" up, then a form of the old version changes nothing.
    let up = format!("/werkplek/klantreizen/{id}/stappen/3/verplaatsen");
    let moved = send(&app, "POST", &up, &[&editor], Some(&format!("csrf={csrf}&version=4&richting=omhoog")), &[]).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let stale = send(&app, "POST", &up, &[&editor], Some(&format!("csrf={csrf}&version=4&richting=omhoog")), &[]).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(stale.body.contains("Iemand anders veranderde deze klantreis net."));
    let edit = send(&app, "GET", &format!("/werkplek/klantreizen/{id}/bewerken"), &[&editor], None, &[]).await;
    let order: Vec<usize> =
        ["1. Melden", "2. Oplossing", "3. Bevestiging"].iter().map(|s| edit.body.find(s).expect(s)).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "in the new order");
    assert!(edit.body.contains("Kenmerken: moment van de waarheid") && !edit.body.contains("style="));

    // Change step 1 in its own form: the stored links are checked.
    let one = send(&app, "GET", &format!("/werkplek/klantreizen/{id}/stappen/1"), &[&editor], None, &[]).await;
    assert!(one.body.contains("id=\"kanaal-telefoon\" name=\"channel\" value=\"telefoon\" checked"));
    assert!(one.body.contains(&format!("value=\"{wateroverlast}\" checked")));
    let body = format!("csrf={csrf}&version=5&name=Melden+via+internet&expectation=Snel&channel=webformulier");
    let changed =
        send(&app, "POST", &format!("/werkplek/klantreizen/{id}/stappen/1"), &[&editor], Some(&body), &[]).await;
    assert_eq!(changed.status, StatusCode::SEE_OTHER);
    let remove = format!("/werkplek/klantreizen/{id}/stappen/3/verwijderen");
    assert_eq!(
        send(&app, "POST", &remove, &[&editor], Some(&format!("csrf={csrf}&version=6")), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    let (journey, version) = app.app.journey(&Principal::operator(), id.parse().unwrap()).await.unwrap();
    let names: Vec<&str> = journey.touchpoints.iter().map(|t| t.name.as_str()).collect();
    assert_eq!((names, version), (vec!["Melden via internet", "Oplossing"], 7));

    // The agent reads the list and the map, but edits nothing.
    let list = send(&app, "GET", "/werkplek/klantreizen", &[&agent], None, &[]).await;
    assert!(list.body.contains("Inwoner meldt wateroverlast") && !list.body.contains("/bewerken"));
    assert!(list.body.contains("href=\"/werkplek/klantreizen\">Klantreizen</a>"), "in the navigation");
    let map = send(&app, "GET", &format!("/werkplek/klantreizen/{id}"), &[&agent], None, &[]).await;
    assert_eq!(map.status, StatusCode::OK);
    for path in [format!("/werkplek/klantreizen/{id}/bewerken"), format!("/werkplek/klantreizen/{id}/stappen/1")] {
        assert_eq!(send(&app, "GET", &path, &[&agent], None, &[]).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    let body = format!("csrf={agent_csrf}&version=7");
    assert_eq!(
        send(&app, "POST", &remove.replace("/3/", "/1/"), &[&agent], Some(&body), &[]).await.status,
        StatusCode::FORBIDDEN
    );
}

/// Five questions about wateroverlast received on Monday 2 March 2026 and picked up and closed on
/// Thursday at 09:00 UTC, 72 hours later: the acknowledgement (1 working day) is late for all five,
/// the answer (5 working days) on time, so 5 of 10 measurements are within norm.
#[tokio::test]
async fn the_map_shows_the_same_figures_on_the_page_in_the_csv_and_in_the_api() {
    let app = spawn_app().await;
    let wateroverlast = topic(&app).await;
    let op = Principal::operator();
    let team = app.app.topic(&op, wateroverlast).await.unwrap().team_id.unwrap();
    let mut cases = vec![];
    for _ in 0..5 {
        let input = CaseInput {
            case_type: CaseType::Vraag,
            team_id: team,
            topic_id: Some(wateroverlast),
            owner_id: None,
            customer_id: None,
            contact_id: None,
            subject: "Water in de kelder".into(),
            intent: None,
            urgent: false,
        };
        cases.push(app.app.create_case(&op, input).await.unwrap().id);
    }
    app.set_time("2026-03-05T09:00:00Z");
    for id in cases {
        app.app.change_case_status(&op, id, CaseStatus::InBehandeling, None).await.unwrap();
        app.app.change_case_status(&op, id, CaseStatus::Afgehandeld, None).await.unwrap();
    }
    let melden = TouchpointInput {
        name: "Vraag stellen".into(),
        expectation: "Ik hoor binnen een dag dat mijn vraag binnen is".into(),
        moment_of_truth: true,
        topics: vec![wateroverlast],
        ..Default::default()
    };
    let bellen = TouchpointInput {
        name: "Bellen".into(),
        expectation: "Ik krijg meteen iemand aan de lijn".into(),
        channels: vec![gastvrij_domain::channel::Channel::Telefoon],
        ..Default::default()
    };
    let head = JourneyInput { name: "Inwoner vraagt".into(), segment: Some(Segment::Inwoner), process: "Vraag".into() };
    let j = app.app.create_journey(&op, head, vec![melden, bellen]).await.unwrap();

    let (agent, _) = sign_in(&app, "kcc2", &["kcc"]).await;
    let page = send(
        &app,
        "GET",
        &format!("/werkplek/klantreizen/{}?van=2026-03-02&tm=2026-03-05", j.id),
        &[&agent],
        None,
        &[],
    )
    .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for expected in [
        "Cijfers van 2026-03-02 tot en met 2026-03-05.",
        "Let op: moment van de waarheid onder de norm",
        "<li>Contacten: 0; zaken: 5</li>",
        "<li>Op tijd: 50,0 % (10 metingen)</li>",
        "<li>Wachttijd tot de eerste actie (mediaan): 72,0 uur (5 zaken)</li>",
        "<li>Tevredenheid: geen antwoorden</li>",
        "<strong>Pijnpunt:</strong> Te weinig zaken op tijd; Klanten wachten hier te lang.",
        "class=\"reis-stap reis-stap--pijn\"",
        "<td class=\"utrecht-table__cell\">50,0 % (10 metingen)</td>",
    ] {
        assert!(page.body.contains(expected), "{expected} missing from {}", page.body);
    }
    assert!(!page.body.contains("style="));
    let calm = &page.body[page.body.find("2. Bellen").unwrap()..];
    assert!(calm.contains("Hier gaat het goed, of er zijn te weinig metingen om te oordelen."));

    let csv = send(
        &app,
        "GET",
        &format!("/werkplek/klantreizen/{}/kaart.csv?van=2026-03-02&tm=2026-03-05", j.id),
        &[&agent],
        None,
        &[],
    )
    .await;
    assert!(csv.body.starts_with("position,touchpoint,moment_of_truth,moetje,peak,from,to,contacts,cases,"));
    assert!(
        csv.body.contains(
            "\n1,Vraag stellen,true,false,false,2026-03-02,2026-03-06,0,5,0,,10,50,5,72,below_norm;long_wait,true\n"
        ),
        "{}",
        csv.body
    );

    let token = app.token_for("kcc3", &["kcc"]).await;
    let (status, map) =
        app.get(&format!("/api/v1/journeys/{}/map?from=2026-03-02&to=2026-03-06", j.id), Some(&token)).await;
    assert_eq!(status, StatusCode::OK, "{map}");
    let first = &map["figures"][0];
    assert_eq!((first["cases"].as_u64(), first["percent_within"].as_f64()), (Some(5), Some(50.0)));
    assert_eq!((first["median_wait_hours"].as_f64(), first["satisfaction"].is_null()), (Some(72.0), true));
    assert_eq!(first["pains"], serde_json::json!(["below_norm", "long_wait"]));
    assert_eq!(first["moment_of_truth_below_target"], true);
    assert_eq!(map["journey"]["touchpoints"][0]["name"], "Vraag stellen");
    let (status, list) = app.get("/api/v1/journeys", Some(&token)).await;
    assert_eq!((status, list[0]["segment"].as_str()), (StatusCode::OK, Some("inwoner")));
    let (status, wrong) = app.get(&format!("/api/v1/journeys/{}/map?from=gisteren", j.id), Some(&token)).await;
    assert_eq!((status, wrong["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("from")), "{wrong}");
    let (status, _) =
        app.get(&format!("/api/v1/journeys/{}/map?from=2026-03-06&to=2026-03-02", j.id), Some(&token)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad_page = send(
        &app,
        "GET",
        &format!("/werkplek/klantreizen/{}?van=2026-03-06&tm=2026-03-01", j.id),
        &[&agent],
        None,
        &[],
    )
    .await;
    assert_eq!(bad_page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_page.body.contains("de einddatum moet op of na de begindatum liggen"));
    let (status, _) = app.get("/api/v1/journeys/0190f5c4-7a3e-7000-8000-000000000000/map", Some(&token)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
