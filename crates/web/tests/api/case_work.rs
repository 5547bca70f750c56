//! Case work in the workspace (`/werkplek/zaken`, issue 14): take and hand over, the queue's
//! filters, suspension with its frozen deadline, extension with a letter, status changes that
//! inform the citizen in the same transaction, closing with an answer (mail or printed letter),
//! and the timeline. All on the fixed test clock.

use crate::helpers::{TestApp, spawn_app};
use crate::staff::{Answer, open_session, send};
use axum::http::StatusCode;
use gastvrij_app::Principal;
use gastvrij_app::norms::{GroupBy, Source};
use gastvrij_domain::ids::{CaseId, EmployeeId};
use gastvrij_domain::mail::MailRecord;
use gastvrij_domain::team::{EmployeeInput, Role};
use serde_json::{Value, json};

/// A signed-in employee: session cookie, CSRF token and id.
pub(crate) struct Staff {
    pub(crate) session: String,
    pub(crate) csrf: String,
    pub(crate) id: EmployeeId,
}

/// A team "Heffingen" with two back-office employees, and a customer (with or without e-mail).
pub(crate) struct Desk {
    pub(crate) app: TestApp,
    pub(crate) team: String,
    pub(crate) anna: Staff,
    pub(crate) bram: Staff,
}

pub(crate) async fn employee(app: &TestApp, username: &str, role: Role, team: Option<&str>) -> Staff {
    let input = EmployeeInput {
        name: username.to_string(),
        username: Some(username.to_string()),
        roles: vec![role],
        team_id: team.map(|t| t.parse().unwrap()),
        active: true,
        ..Default::default()
    };
    let e = app.app.add_user(&Principal::operator(), input, "een lang testwachtwoord").await.unwrap();
    let (session, csrf) = open_session(app, username).await;
    Staff { session, csrf, id: e.id }
}

pub(crate) async fn desk() -> Desk {
    let app = spawn_app().await;
    let (status, team) = app.post("/api/v1/teams", &app.admin, json!({"name": "Heffingen"})).await;
    assert_eq!(status, StatusCode::CREATED, "{team}");
    let team = team["id"].as_str().unwrap().to_string();
    let anna = employee(&app, "anna", Role::Backoffice, Some(&team)).await;
    let bram = employee(&app, "bram", Role::Backoffice, Some(&team)).await;
    Desk { app, team, anna, bram }
}

impl Desk {
    /// A case of `case_type` for a new customer; `email` gives the customer an address.
    pub(crate) async fn case(&self, case_type: &str, subject: &str, email: Option<&str>) -> (CaseId, String) {
        let customer = self.customer(email).await;
        self.case_for(&customer, case_type, subject).await
    }

    /// A customer with an address, and an e-mail address when `email` is given; returns its id.
    pub(crate) async fn customer(&self, email: Option<&str>) -> String {
        let mut details = json!({"street": "Dijkweg", "house_number": "7", "postcode": "2611AB", "city": "Delft"});
        if let Some(e) = email {
            details["email"] = json!(e);
        }
        let body = json!({"kind": "persoon", "name": "Sanne Smit", "segments": [], "details": details});
        let (status, customer) = self.app.post("/api/v1/customers", &self.app.admin, body).await;
        assert_eq!(status, StatusCode::CREATED, "{customer}");
        customer["id"].as_str().unwrap().to_string()
    }

    pub(crate) async fn case_for(&self, customer: &str, case_type: &str, subject: &str) -> (CaseId, String) {
        let body = json!({"case_type": case_type, "team_id": self.team, "customer_id": customer, "subject": subject});
        let (status, case) = self.app.post("/api/v1/cases", &self.app.admin, body).await;
        assert_eq!(status, StatusCode::CREATED, "{case}");
        (case["id"].as_str().unwrap().parse().unwrap(), case["reference"].as_str().unwrap().to_string())
    }

    pub(crate) async fn get(&self, who: &Staff, path: &str) -> Answer {
        send(&self.app, "GET", path, &[&who.session], None, &[]).await
    }

    /// POST the form `fields` to `/werkplek/zaken/{id}/{action}` with `who`'s CSRF token.
    pub(crate) async fn act(&self, who: &Staff, id: CaseId, action: &str, fields: &[(&str, &str)]) -> Answer {
        let mut form = form_urlencoded::Serializer::new(String::new());
        form.append_pair("csrf", &who.csrf);
        for (k, v) in fields {
            form.append_pair(k, v);
        }
        let path = format!("/werkplek/zaken/{id}/{action}");
        send(&self.app, "POST", &path, &[&who.session], Some(&form.finish()), &[]).await
    }

    pub(crate) async fn page(&self, who: &Staff, id: CaseId) -> String {
        let page = self.get(who, &format!("/werkplek/zaken/{id}")).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        page.body
    }

    pub(crate) async fn case_json(&self, id: CaseId) -> Value {
        serde_json::to_value(self.app.app.case(&Principal::operator(), id).await.unwrap()).unwrap()
    }

    pub(crate) async fn mails(&self, id: CaseId) -> Vec<MailRecord> {
        gastvrij_app::ports::CaseStore::case_mails(self.app.app.store().as_ref(), id).await.unwrap()
    }
}

pub(crate) fn done(a: &Answer) {
    assert_eq!(a.status, StatusCode::SEE_OTHER, "{}", a.body);
    assert!(a.location.as_deref().is_some_and(|l| l.ends_with("?klaar=1")), "{:?}", a.location);
}

/// A new session for `who` (after the clock moved past the old one's end).
async fn again(app: &TestApp, who: &Staff, username: &str) -> Staff {
    let (session, csrf) = open_session(app, username).await;
    Staff { session, csrf, id: who.id }
}

pub(crate) fn refused(a: &Answer, says: &str) {
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", a.body);
    assert!(a.body.contains(says), "expected {says:?} in {}", a.body);
}

#[tokio::test]
async fn one_owner_takes_the_case_and_hands_it_on_with_a_note_and_the_queue_filters_it() {
    let d = desk().await;
    let (klacht, klacht_ref) = d.case("klacht", "Niet teruggebeld", None).await;
    let (vraag, vraag_ref) = d.case("vraag", "Hoe hoog is de aanslag", None).await;

    let queue = d.get(&d.anna, "/werkplek/zaken").await.body;
    let (first, second) = (queue.find(&vraag_ref).unwrap(), queue.find(&klacht_ref).unwrap());
    assert!(first < second, "sorted by deadline: the vraag (5 working days) before the klacht (6 weeks)");
    assert!(queue.contains("niemand"), "no owner yet");
    assert!(d.get(&d.anna, "/werkplek/zaken?welke=zonder").await.body.contains(&klacht_ref));
    assert!(!d.get(&d.anna, "/werkplek/zaken?welke=mijn").await.body.contains(&klacht_ref));
    let klachten = d.get(&d.anna, "/werkplek/zaken?soort=klacht").await.body;
    assert!(klachten.contains(&klacht_ref) && !klachten.contains(&vraag_ref), "filter on type");
    refused(&d.get(&d.anna, "/werkplek/zaken?welke=alles").await, "Controleer welke zaken");

    done(&d.act(&d.anna, klacht, "nemen", &[]).await);
    assert_eq!(d.case_json(klacht).await["owner_id"], json!(d.anna.id.to_string()));
    assert!(d.get(&d.anna, "/werkplek/zaken?welke=mijn").await.body.contains(&klacht_ref));
    assert!(!d.get(&d.anna, "/werkplek/zaken?welke=zonder").await.body.contains(&klacht_ref));
    refused(&d.act(&d.bram, klacht, "nemen", &[]).await, "heeft al een eigenaar");

    let bram = d.bram.id.to_string();
    refused(&d.act(&d.anna, klacht, "overdragen", &[("aan", &bram), ("notitie", " ")]).await, "Controleer de notitie");
    assert_eq!(d.case_json(klacht).await["owner_id"], json!(d.anna.id.to_string()), "nothing changed");
    done(&d.act(&d.anna, klacht, "overdragen", &[("aan", &bram), ("notitie", "Bram kent deze klant")]).await);
    assert_eq!(d.case_json(klacht).await["owner_id"], json!(bram));
    refused(&d.act(&d.anna, klacht, "overdragen", &[("aan", "team"), ("notitie", "terug")]).await, "eigenaar");
    done(&d.act(&d.bram, klacht, "overdragen", &[("aan", "team"), ("notitie", "Ik ben op vakantie")]).await);
    assert_eq!(d.case_json(klacht).await["owner_id"], Value::Null, "back in the team's queue");
    let page = d.page(&d.anna, klacht).await;
    assert!(page.contains("Bram kent deze klant") && page.contains("Ik ben op vakantie"), "notes in the timeline");
    assert!(page.contains("nog niemand"));

    // A team lead hands on anyone's case; an editor does no case work; a form needs its token.
    done(&d.act(&d.bram, klacht, "nemen", &[]).await);
    let lead = employee(&d.app, "leider", Role::Teamleider, Some(&d.team)).await;
    let anna = d.anna.id.to_string();
    done(&d.act(&lead, klacht, "overdragen", &[("aan", &anna), ("notitie", "Anna neemt het over")]).await);
    let editor = employee(&d.app, "redactie", Role::Redacteur, None).await;
    assert_eq!(d.act(&editor, klacht, "nemen", &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(d.get(&editor, &format!("/werkplek/zaken/{klacht}")).await.status, StatusCode::FORBIDDEN);
    let forged = Staff { csrf: "vervalst".into(), ..employee(&d.app, "carla", Role::Backoffice, Some(&d.team)).await };
    assert_eq!(d.act(&forged, vraag, "nemen", &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(d.case_json(vraag).await["owner_id"], Value::Null);
}

#[tokio::test]
async fn a_suspended_case_shows_its_frozen_time_and_is_never_late_on_any_screen() {
    let d = desk().await;
    let (id, reference) = d.case("klacht", "Te hoge aanslag", Some("sanne@example.nl")).await;
    done(&d.act(&d.anna, id, "nemen", &[]).await);
    done(&d.act(&d.anna, id, "status", &[("status", "in_behandeling"), ("bericht", "We zoeken het uit.")]).await);
    refused(&d.act(&d.anna, id, "opschorten", &[("gevraagd", "")]).await, "Controleer wat u van de klant vraagt");
    assert_eq!(d.mails(id).await.len(), 1, "nothing stored");

    // A week later the case waits for the customer.
    d.app.set_time("2026-03-09T09:00:00Z");
    let anna = again(&d.app, &d.anna, "anna").await;
    done(&d.act(&anna, id, "opschorten", &[("gevraagd", "Stuur de brief van de gemeente mee")]).await);
    let mails = d.mails(id).await;
    assert_eq!(
        mails.len(),
        2,
        "the question to the customer is queued with the suspension: {mails:?} {}",
        d.case_json(id).await
    );
    assert!(mails[0].subject.starts_with("We hebben iets van u nodig"), "{}", mails[0].subject);
    let page = d.page(&anna, id).await;
    assert!(page.contains("opgeschort sinds 9-3-2026 10:00, nog 24 werkdagen"), "frozen remaining time: {page}");

    // Long past the original deadline (13 April), the suspended case is not late anywhere.
    d.app.set_time("2026-06-01T09:00:00Z");
    let anna = again(&d.app, &anna, "anna").await;
    let page = d.page(&anna, id).await;
    assert!(page.contains("opgeschort sinds 9-3-2026 10:00, nog 24 werkdagen") && !page.contains("te laat"));
    let queue = d.get(&anna, "/werkplek/zaken").await.body;
    let rows = &queue[queue.find("<tbody").unwrap()..];
    assert!(rows.contains(&reference) && rows.contains("opgeschort sinds") && !rows.contains("te laat"), "{rows}");
    assert!(!d.get(&anna, "/werkplek/zaken?welke=laat").await.body.contains(&reference));
    assert!(!d.get(&anna, "/werkplek/zaken?welke=risico").await.body.contains(&reference));
    let (from, to) = ("2026-03-01T00:00:00+01:00".parse().unwrap(), "2026-04-01T00:00:00+02:00".parse().unwrap());
    for source in [Source::Scan, Source::Rollup] {
        let horizon = jiff::SignedDuration::from_hours(48);
        let report =
            d.app.app.compliance_from(&Principal::operator(), from, to, GroupBy::None, horizon, source).await.unwrap();
        let counts = &report.groups[0].counts;
        assert_eq!((counts.late, counts.at_risk, counts.open), (0, 0, 1), "{source:?}: {counts:?}");
    }

    // Resuming needs a word to the customer, then the deadline has moved by the pause.
    refused(&d.act(&anna, id, "hervatten", &[("bericht", "")]).await, "Controleer het bericht aan de klant");
    done(&d.act(&anna, id, "hervatten", &[("bericht", "Dank u, we hebben de brief.")]).await);
    let case = d.case_json(id).await;
    assert_eq!(case["status"], "in_behandeling");
    assert_eq!(case["timing"]["deadlines"]["service_norm"], "2026-07-02T22:00:00Z", "{case}");
    assert!(d.page(&anna, id).await.contains("nog 24 werkdagen"));

    // Extension (verdaging): a reason, a letter in the same transaction, once.
    refused(&d.act(&anna, id, "verlengen", &[("reden", " ")]).await, "Controleer de reden");
    done(&d.act(&anna, id, "verlengen", &[("reden", "We wachten op advies van de gemeente")]).await);
    let mails = d.mails(id).await;
    assert_eq!(mails.len(), 4);
    assert!(mails[0].subject.starts_with("Meer tijd nodig voor uw klacht"), "{}", mails[0].subject);
    refused(&d.act(&anna, id, "verlengen", &[("reden", "nog eens")]).await, "al eens verlengd");
    let page = d.page(&anna, id).await;
    for step in
        ["Termijn berekend: opgeschort: wacht op klant", "Termijn berekend: hervat", "Termijn berekend: verlengd"]
    {
        assert!(page.contains(step), "{step} in the timeline");
    }
    assert!(page.contains("E-mail aan s***@example.nl: Meer tijd nodig"), "mails in the timeline: {page}");
}

#[tokio::test]
async fn status_changes_follow_the_case_type_and_tell_the_citizen_in_the_same_transaction() {
    let d = desk().await;
    let (id, _) = d.case("vraag", "Wanneer komt de aanslag", Some("sanne@example.nl")).await;
    refused(
        &d.act(&d.anna, id, "status", &[("status", "in_behandeling")]).await,
        "Controleer het bericht aan de klant",
    );
    assert_eq!((d.case_json(id).await["status"].clone(), d.mails(id).await.len()), (json!("ontvangen"), 0));
    refused(
        &d.act(&d.anna, id, "status", &[("status", "afgehandeld"), ("bericht", "x")]).await,
        "Controleer de status",
    );
    refused(&d.act(&d.anna, id, "status", &[("status", "weg"), ("bericht", "x")]).await, "Controleer de status");

    done(&d.act(&d.anna, id, "status", &[("status", "in_behandeling"), ("bericht", "We zoeken het uit.")]).await);
    let mails = d.mails(id).await;
    assert_eq!((mails.len(), mails[0].subject.as_str()), (1, "Nieuws over uw vraag WS-2026-000001"));
    let page = d.page(&d.anna, id).await;
    assert!(!page.contains("/verlengen"), "a vraag has no extension");
    refused(&d.act(&d.anna, id, "verlengen", &[("reden", "druk")]).await, "wordt niet verlengd");
    assert!(page.contains("Status in behandeling door anna"), "status change in the timeline");
}

#[tokio::test]
async fn closing_mails_the_answer_or_offers_a_letter_to_print() {
    let d = desk().await;
    let (mailed, _) = d.case("klacht", "Onbeleefd behandeld", Some("sanne@example.nl")).await;
    refused(
        &d.act(&d.anna, mailed, "afhandelen", &[("resultaat", "gegrond"), ("antwoord", "")]).await,
        "Controleer het antwoord",
    );
    refused(
        &d.act(&d.anna, mailed, "afhandelen", &[("resultaat", "opgelost"), ("antwoord", "Klaar")]).await,
        "Controleer het resultaat",
    );
    assert_eq!(d.case_json(mailed).await["status"], "ontvangen");
    done(&d.act(&d.anna, mailed, "hoorzitting", &[("hoorzitting", "klager_ziet_af")]).await);
    let answer = "U heeft gelijk. Onze medewerker had u beter moeten helpen.";
    done(&d.act(&d.anna, mailed, "afhandelen", &[("resultaat", "gegrond"), ("antwoord", answer)]).await);
    let mails = d.mails(mailed).await;
    assert_eq!(mails[0].subject, "Antwoord op uw klacht WS-2026-000001");
    let page = d.page(&d.anna, mailed).await;
    assert!(page.contains("Gegrond") && page.contains(answer) && !page.contains("/brief"));

    let (printed, reference) = d.case("melding", "Kapotte stuw", None).await;
    assert_eq!(d.get(&d.anna, &format!("/werkplek/zaken/{printed}/brief")).await.status, StatusCode::NOT_FOUND, "open");
    done(
        &d.act(&d.anna, printed, "afhandelen", &[("resultaat", "opgelost"), ("antwoord", "De stuw is gemaakt.")]).await,
    );
    assert!(d.mails(printed).await.is_empty(), "no address, no mail");
    assert!(d.page(&d.anna, printed).await.contains(&format!("/werkplek/zaken/{printed}/brief")));
    let letter = d.get(&d.anna, &format!("/werkplek/zaken/{printed}/brief")).await;
    assert_eq!(letter.status, StatusCode::OK);
    for part in ["Sanne Smit", "Dijkweg 7", "2611 AB", "Antwoord op uw melding", "De stuw is gemaakt.", &reference] {
        assert!(letter.body.contains(part), "{part} in the letter: {}", letter.body);
    }
    assert!(!letter.body.contains("<script") && letter.body.contains("/static/werkplek.css"), "print CSS, no script");

    // The customer's other cases and contacts are linked from the page.
    let customer = d.customer(None).await;
    let (first, first_ref) = d.case_for(&customer, "vraag", "Eerste vraag").await;
    let (second, _) = d.case_for(&customer, "vraag", "Tweede vraag").await;
    let page = d.page(&d.anna, second).await;
    assert!(
        page.contains(&format!("<a class=\"utrecht-link\" href=\"/werkplek/zaken/{first}\">{first_ref}</a>")),
        "{page}"
    );
    assert!(!page.contains(&reference), "another customer's case is not shown");
}

#[tokio::test]
async fn a_case_asks_another_team_which_answers_from_its_queue() {
    let d = desk().await;
    let (status, other) = d.app.post("/api/v1/teams", &d.app.admin, json!({"name": "Waterbeheer"})).await;
    assert_eq!(status, StatusCode::CREATED);
    let other = other["id"].as_str().unwrap().to_string();
    let wim = employee(&d.app, "wim", Role::Backoffice, Some(&other)).await;
    let (id, reference) = d.case("melding", "Sloot loopt over", None).await;

    let ask = |question: &'static str, day: &'static str| {
        let other = other.clone();
        let d = &d;
        async move { d.act(&d.anna, id, "vraag-team", &[("team", &other), ("vraag", question), ("nodig_op", day)]).await }
    };
    refused(&ask(" ", "2026-03-05").await, "Controleer de vraag");
    refused(&ask("Kunnen jullie de stuw bekijken?", "2026-03-02").await, "moet na vandaag liggen");
    refused(&ask("Kunnen jullie de stuw bekijken?", "morgen").await, "Controleer de dag waarop het nodig is");
    assert!(!d.get(&wim, "/werkplek/zaken").await.body.contains("Kunnen jullie"), "nothing stored");
    done(&ask("Kunnen jullie de stuw bekijken?", "2026-03-05").await);

    let queue = d.get(&wim, "/werkplek/zaken").await.body;
    assert!(queue.contains("Gevraagd aan Waterbeheer") && queue.contains(&reference), "{queue}");
    assert!(queue.contains("nodig op donderdag 5 maart 2026: <span class=\"regels\">Kunnen jullie de stuw bekijken?"));
    assert!(!d.get(&d.anna, "/werkplek/zaken").await.body.contains("Kunnen jullie"), "not in the asking team's queue");
    let at = queue.find("/werkplek/taken/").unwrap();
    let answer_path = queue[at..].split('"').next().unwrap().to_string();

    let post = |who: &Staff, answer: &str| {
        let body = format!("csrf={}&antwoord={}", who.csrf, answer);
        let path = answer_path.clone();
        let session = who.session.clone();
        let app = &d.app;
        async move { send(app, "POST", &path, &[&session], Some(&body), &[]).await }
    };
    assert_eq!(post(&d.anna, "Gedaan").await.status, StatusCode::FORBIDDEN, "only the asked team answers");
    let empty = post(&wim, "+").await;
    refused(&empty, "Controleer het antwoord");
    assert!(empty.body.contains("Kunnen jullie de stuw bekijken?"), "the queue again, with the task");
    assert_eq!(post(&wim, "De+stuw+is+vrij").await.location.as_deref(), Some("/werkplek/zaken"));
    refused(&post(&wim, "Nog+eens").await, "is al beantwoord");
    assert!(!d.get(&wim, "/werkplek/zaken").await.body.contains("Kunnen jullie"), "answered: off the queue");
    let page = d.page(&d.anna, id).await;
    assert!(page.contains("Antwoord: <span class=\"regels\">De stuw is vrij</span>"), "{page}");
    assert!(page.contains("Antwoord van het andere team door wim"), "in the timeline");
}

/// Issue 14: a melding with danger now stands at the top of the team's queue, in red and named
/// so, until someone takes it; then it takes its place by deadline like any other case.
#[tokio::test]
async fn a_danger_melding_tops_the_queue_in_red_until_someone_takes_it() {
    let d = desk().await;
    let (_, first) = d.case("vraag", "Wanneer komt de aanslag", None).await;
    // A month later the vraag is late, so by deadline alone it would come first.
    d.app.set_time("2026-04-02T09:00:00Z");
    let (anna, bram) = (again(&d.app, &d.anna, "anna").await, again(&d.app, &d.bram, "bram").await);
    let body = json!({"case_type": "melding", "team_id": d.team, "subject": "Kade zakt weg", "urgent": true});
    let (status, danger) = d.app.post("/api/v1/cases", &d.app.admin, body).await;
    assert_eq!(status, StatusCode::CREATED, "{danger}");
    let (danger_id, danger_ref): (CaseId, String) =
        (danger["id"].as_str().unwrap().parse().unwrap(), danger["reference"].as_str().unwrap().into());
    let queue = d.get(&anna, "/werkplek/zaken").await;
    assert_eq!(queue.status, StatusCode::OK, "{}", queue.body);
    let rows: Vec<&str> = queue.body.split("<tr class=\"utrecht-table__row").skip(2).collect();
    assert!(rows[0].contains(&danger_ref), "danger first: {}", queue.body);
    assert!(rows[0].starts_with(" gevaar\"") && rows[0].contains("Gevaar, nog niet opgepakt"), "{}", rows[0]);
    assert!(rows[1].contains(&first) && rows[1].contains("te laat"), "the late vraag second: {}", rows[1]);
    assert!(!rows[1].contains("Gevaar"), "{}", rows[1]);

    done(&d.act(&anna, danger_id, "nemen", &[]).await);
    let queue = d.get(&bram, "/werkplek/zaken").await;
    assert!(!queue.body.contains("Gevaar, nog niet opgepakt"), "taken: no longer marked");
    let rows: Vec<&str> = queue.body.split("<tr class=\"utrecht-table__row").skip(2).collect();
    assert!(rows[0].contains(&first) && rows[1].contains(&danger_ref), "by deadline again: {}", queue.body);
}

/// Issue 14: a case for a customer without an e-mail address offers its acknowledgement as a
/// letter to print — the reference and the day they hear from us — while it is open; a customer
/// with an address gets it by mail instead, so the page offers no letter.
#[tokio::test]
async fn an_open_case_without_an_address_offers_its_acknowledgement_as_a_letter() {
    let d = desk().await;
    let (printed, reference) = d.case("vraag", "Wanneer komt de aanslag", None).await;
    let link = format!("/werkplek/zaken/{printed}/ontvangstbrief");
    assert!(d.page(&d.anna, printed).await.contains(&link), "the case page offers the letter");
    let letter = d.get(&d.anna, &link).await;
    assert_eq!(letter.status, StatusCode::OK, "{}", letter.body);
    let due = d.case_json(printed).await["timing"]["deadlines"]["service_norm"].as_str().unwrap().to_string();
    let expected = gastvrij_domain::portal::dutch_date(
        due.parse().unwrap(),
        &jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap(),
    );
    for part in [
        "Sanne Smit",
        "Dijkweg 7",
        "Ontvangstbevestiging: uw vraag",
        "We hebben uw vraag ontvangen. Uw nummer is",
        &format!("U hoort uiterlijk op {expected} van ons."),
        &reference,
    ] {
        assert!(letter.body.contains(part), "{part} in the letter: {}", letter.body);
    }
    assert!(!letter.body.contains("<script"), "print CSS, no script");

    let (mailed, _) = d.case("vraag", "Wanneer komt de aanslag", Some("sanne@example.nl")).await;
    assert!(!d.page(&d.anna, mailed).await.contains("ontvangstbrief"), "an address: no letter offered");
    done(&d.act(&d.anna, printed, "afhandelen", &[("resultaat", "opgelost"), ("antwoord", "In maart.")]).await);
    assert_eq!(d.get(&d.anna, &link).await.status, StatusCode::NOT_FOUND, "closed: the answer letter instead");
}

#[tokio::test]
async fn the_queue_shows_fifty_cases_a_page_and_links_the_next_page_with_the_same_filters() {
    let d = desk().await;
    let customer = d.customer(None).await;
    let mut references = vec![];
    for n in 0..52 {
        references.push(d.case_for(&customer, "vraag", &format!("Vraag nummer {n}")).await.1);
    }
    let count = |body: &str| references.iter().filter(|r| body.contains(r.as_str())).count();

    let first = d.get(&d.anna, "/werkplek/zaken?welke=zonder").await.body;
    assert_eq!(count(&first), 50, "one page holds 50 cases");
    assert!(first.contains("Zaken 1 tot en met 50"), "{first}");
    let next = first.split("rel=\"next\"").next().unwrap();
    assert!(
        next.ends_with("href=\"/werkplek/zaken?welke=zonder&#38;pagina=2\" "),
        "the next page keeps the filter: {next}"
    );
    assert!(!first.contains("Vorige zaken"));

    let second = d.get(&d.anna, "/werkplek/zaken?welke=zonder&pagina=2").await.body;
    assert_eq!(count(&second), 2, "the rest on the second page");
    assert!(second.contains("Zaken 51 tot en met 52") && second.contains("Vorige zaken"), "{second}");
    assert!(!second.contains("Volgende zaken"));
    assert!(references.iter().all(|r| first.contains(r.as_str()) != second.contains(r.as_str())), "no case on both");

    refused(&d.get(&d.anna, "/werkplek/zaken?pagina=0").await, "Controleer het paginanummer");
    let past = d.get(&d.anna, "/werkplek/zaken?pagina=9").await.body;
    assert!(past.contains("Geen zaken met deze filters"), "{past}");
}
