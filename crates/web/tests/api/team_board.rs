//! The team board (`/werkplek/team`, `GET /api/v1/teams/{id}/board`, issue 14): who sees which
//! board, goals set by the team lead only, notes with action points ticked off by their owner,
//! and figures that follow each step of case work. On the fixed test clock (Monday 2 March 2026).

use crate::helpers::{TestApp, spawn_app};
use crate::staff::{Answer, open_session, send};
use axum::http::StatusCode;
use gastvrij_app::Principal;
use gastvrij_domain::ids::EmployeeId;
use gastvrij_domain::team::{EmployeeInput, Role};
use serde_json::json;

struct Staff {
    session: String,
    csrf: String,
    id: EmployeeId,
}

struct Team {
    app: TestApp,
    id: String,
    anna: Staff,
    lead: Staff,
    /// Back office in another team.
    bob: Staff,
}

async fn employee(app: &TestApp, username: &str, role: Role, team: &str) -> Staff {
    let input = EmployeeInput {
        name: username.to_string(),
        username: Some(username.to_string()),
        roles: vec![role],
        team_id: Some(team.parse().unwrap()),
        active: true,
        ..Default::default()
    };
    let e = app.app.add_user(&Principal::operator(), input, "een lang testwachtwoord").await.unwrap();
    let (session, csrf) = open_session(app, username).await;
    Staff { session, csrf, id: e.id }
}

async fn new_team(app: &TestApp, name: &str) -> String {
    let (status, team) = app.post("/api/v1/teams", &app.admin, json!({ "name": name })).await;
    assert_eq!(status, StatusCode::CREATED, "{team}");
    team["id"].as_str().unwrap().to_string()
}

async fn setup() -> Team {
    let app = spawn_app().await;
    let id = new_team(&app, "Heffingen").await;
    let other = new_team(&app, "Klachten").await;
    let anna = employee(&app, "anna", Role::Backoffice, &id).await;
    let lead = employee(&app, "lotte", Role::Teamleider, &id).await;
    let bob = employee(&app, "bob", Role::Backoffice, &other).await;
    Team { app, id, anna, lead, bob }
}

impl Team {
    async fn case(&self, case_type: &str) -> String {
        let body = json!({"case_type": case_type, "team_id": self.id, "subject": "Vraag over de aanslag"});
        let (status, case) = self.app.post("/api/v1/cases", &self.app.admin, body).await;
        assert_eq!(status, StatusCode::CREATED, "{case}");
        case["id"].as_str().unwrap().to_string()
    }

    async fn board(&self, who: &Staff) -> String {
        let page = send(&self.app, "GET", "/werkplek/team", &[&who.session], None, &[]).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        page.body
    }

    async fn post(&self, who: &Staff, path: &str, fields: &[(&str, &str)]) -> Answer {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("csrf", &who.csrf);
        for (k, v) in fields {
            form.append_pair(k, v);
        }
        send(&self.app, "POST", path, &[&who.session], Some(&form.finish()), &[]).await
    }
}

/// The number the board shows for the figure labelled `label`.
fn figure(page: &str, label: &str) -> u64 {
    let marker = format!("data-cijfer=\"{label}\">");
    let at = page.find(&marker).unwrap_or_else(|| panic!("no figure {label:?} in {page}")) + marker.len();
    page[at..].split('<').next().unwrap().parse().unwrap()
}

fn back_on_board(a: &Answer) {
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert!(a.location.as_deref().is_some_and(|l| l.starts_with("/werkplek/team?team=")), "{:?}", a.location);
}

#[tokio::test]
async fn the_board_reflects_taking_suspending_and_closing_a_case() {
    let t = setup().await;
    let vraag = t.case("vraag").await;
    let klacht = t.case("klacht").await;
    let page = t.board(&t.anna).await;
    assert!(page.contains("Teambord Heffingen") && page.contains("href=\"/werkplek/team\""), "in the navigation");
    assert_eq!(figure(&page, "Werkvoorraad nu (open zaken)"), 2);
    assert_eq!(figure(&page, "Zonder eigenaar"), 2);
    assert_eq!(figure(&page, "Binnengekomen vandaag"), 2);
    assert!(page.contains("href=\"/werkplek/zaken?welke=zonder\""), "links to the filtered queue");
    assert!(page.contains("Deze week is nog geen zaak beoordeeld; doel 90%."));

    assert_eq!(t.post(&t.anna, &format!("/werkplek/zaken/{vraag}/nemen"), &[]).await.status, StatusCode::SEE_OTHER);
    let page = t.board(&t.anna).await;
    assert_eq!(figure(&page, "Zonder eigenaar"), 1, "taken");
    assert_eq!(figure(&page, "Werkvoorraad nu (open zaken)"), 2);

    let asked = [("gevraagd", "Stuur de foto van de schade")];
    assert_eq!(
        t.post(&t.anna, &format!("/werkplek/zaken/{klacht}/opschorten"), &asked).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(figure(&t.board(&t.anna).await, "Opgeschort (wacht op klant)"), 1);

    let close = [("resultaat", "opgelost"), ("antwoord", "Zo zit het.")];
    assert_eq!(
        t.post(&t.anna, &format!("/werkplek/zaken/{vraag}/afhandelen"), &close).await.status,
        StatusCode::SEE_OTHER
    );
    let page = t.board(&t.anna).await;
    assert_eq!(figure(&page, "Werkvoorraad nu (open zaken)"), 1, "closed");
    assert_eq!((figure(&page, "Afgehandeld vandaag"), figure(&page, "Afgehandeld deze week")), (1, 1));
    // Received this week and decided: the vraag's acknowledgement and answer, and the klacht's
    // acknowledgement (its suspension was its first status change).
    let norm = page.split("id=\"norm\">").nth(1).unwrap().split('<').next().unwrap();
    assert_eq!(norm, "100% binnen de norm (3 van 3 beoordeeld); doel 90%: gehaald");

    // Ten days on the suspended klacht is still not late (its clock stands still).
    t.app.set_time("2026-03-12T09:00:00Z");
    let anna = {
        let (session, csrf) = open_session(&t.app, "anna").await;
        Staff { session, csrf, id: t.anna.id }
    };
    let page = t.board(&anna).await;
    assert_eq!(figure(&page, "Te laat"), 0);
    assert_eq!(figure(&page, "Binnengekomen deze week"), 0, "a new week");

    // The API answers from the same function.
    let (status, board) = t.app.get(&format!("/api/v1/teams/{}/board", t.id), Some(&t.app.admin)).await;
    assert_eq!(status, StatusCode::OK, "{board}");
    assert_eq!((board["figures"]["workload"].as_u64(), board["figures"]["suspended"].as_u64()), (Some(1), Some(1)));
    assert!(board.get("members").is_none(), "no staff list in the JSON");
}

#[tokio::test]
async fn only_members_see_the_board_and_only_the_lead_sets_goals() {
    let t = setup().await;
    let refused = send(&t.app, "GET", &format!("/werkplek/team?team={}", t.id), &[&t.bob.session], None, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "another team's member");
    let bob_token = t.app.token_for("bob-api", &["backoffice"]).await;
    let (status, _) = t.app.get(&format!("/api/v1/teams/{}/board", t.id), Some(&bob_token)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no team: no board over the API either");
    let (status, _) = t.app.get("/api/v1/teams/0190f5c4-7a3e-7000-8000-000000000000/board", Some(&t.app.admin)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    t.app.token_for("beheer-web", &["beheerder"]).await;
    let (beheer, _) = open_session(&t.app, "beheer-web").await;
    let page = send(&t.app, "GET", &format!("/werkplek/team?team={}", t.id), &[&beheer], None, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Toon bord") && page.body.contains("Doel instellen"), "a beheerder chooses and leads");

    let goals = format!("/werkplek/team/{}/doelen", t.id);
    let goal = [("soort", "werkvoorraad_onder"), ("doel", "40")];
    assert_eq!(t.post(&t.anna, &goals, &goal).await.status, StatusCode::FORBIDDEN, "a member sets no goals");
    assert!(!t.board(&t.anna).await.contains("Doel instellen"));
    back_on_board(&t.post(&t.lead, &goals, &goal).await);
    t.case("vraag").await;
    let page = t.board(&t.anna).await;
    assert!(
        page.contains("werkvoorraad onder 40</strong>: Gehaald (nu 1 open zaken: gehaald, nog 39 ruimte)"),
        "{page}"
    );

    let bad = t.post(&t.lead, &goals, &[("soort", "binnen_norm"), ("doel", "120")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Controleer het doel") && bad.body.contains("value=\"120\""), "{}", bad.body);
    back_on_board(&t.post(&t.lead, &goals, &[("soort", "werkvoorraad_onder"), ("actie", "verwijderen")]).await);
    assert!(t.board(&t.lead).await.contains("Het team heeft nog geen doelen."));

    let forged = send(&t.app, "POST", &goals, &[&t.lead.session], Some("csrf=x&soort=te_laat_onder&doel=2"), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(t.board(&t.lead).await.contains("Het team heeft nog geen doelen."), "nothing written");
}

#[tokio::test]
async fn members_keep_notes_with_action_points_that_the_owner_ticks_off() {
    let t = setup().await;
    let notes = format!("/werkplek/team/{}/notities", t.id);
    let (anna, lead) = (t.anna.id.to_string(), t.lead.id.to_string());
    let no_owner = t
        .post(
            &t.anna,
            &notes,
            &[("datum", "2026-03-02"), ("soort", "dagstart"), ("tekst", "Veel vragen"), ("actie1", "Bel de drukker")],
        )
        .await;
    assert_eq!(no_owner.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_owner.body.contains("Controleer de medewerker (nummer 1)"), "{}", no_owner.body);
    assert!(no_owner.body.contains("Bel de drukker") && no_owner.body.contains("Veel vragen"), "input kept");
    assert!(t.board(&t.anna).await.contains("Nog geen notities."), "nothing half-written");

    let outsider = t.bob.id.to_string();
    let wrong = [
        ("datum", "2026-03-02"),
        ("soort", "dagstart"),
        ("tekst", "x"),
        ("actie1", "Help"),
        ("eigenaar1", outsider.as_str()),
    ];
    assert_eq!(
        t.post(&t.anna, &notes, &wrong).await.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "owner outside the team"
    );

    let note = [
        ("datum", "2026-03-02"),
        ("soort", "dagstart"),
        ("tekst", "Veel vragen over de aanslag"),
        ("actie1", "Bel de drukker"),
        ("eigenaar1", anna.as_str()),
        ("actie2", "Uitleg op de site"),
        ("eigenaar2", lead.as_str()),
    ];
    back_on_board(&t.post(&t.anna, &notes, &note).await);
    let page = t.board(&t.anna).await;
    assert!(page.contains("Dagstart maandag 2 maart 2026 (anna)"), "{page}");
    assert!(page.contains("Bel de drukker: anna, open") && page.contains("Uitleg op de site: lotte, open"));
    let ids: Vec<&str> =
        page.split("action=\"/werkplek/team/acties/").skip(1).map(|s| s.split('"').next().unwrap()).collect();
    assert_eq!(ids.len(), 1, "anna may tick only her own point");
    let mine = ids[0].to_string();
    let lead_page = t.board(&t.lead).await;
    let all: Vec<&str> =
        lead_page.split("action=\"/werkplek/team/acties/").skip(1).map(|s| s.split('"').next().unwrap()).collect();
    assert_eq!(all.len(), 2, "the lead may tick both");
    let leads = all.iter().find(|id| **id != mine).unwrap().to_string();

    let tick = |id: &str| format!("/werkplek/team/acties/{id}");
    let team = t.id.clone();
    assert_eq!(t.post(&t.anna, &tick(&leads), &[("klaar", "ja"), ("team", &team)]).await.status, StatusCode::FORBIDDEN);
    back_on_board(&t.post(&t.anna, &tick(&mine), &[("klaar", "ja"), ("team", &team)]).await);
    let page = t.board(&t.anna).await;
    assert!(page.contains("Bel de drukker: anna, klaar") && page.contains("Uitleg op de site: lotte, open"));
    let again = t.post(&t.anna, &tick(&mine), &[("klaar", "ja"), ("team", &team)]).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "done already");
    back_on_board(&t.post(&t.anna, &tick(&mine), &[("klaar", "nee"), ("team", &team)]).await);
    assert!(t.board(&t.anna).await.contains("Bel de drukker: anna, open"), "opened again");
    let forged = send(&t.app, "POST", &tick(&mine), &[&t.anna.session], Some("csrf=x&klaar=ja"), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
}
