//! Satisfaction (issue 15) end to end in the web layer: the invitation's link in the mail, the
//! public answer page without JavaScript (bad input, CSRF, one answer), the dashboard with its
//! table, SVG, CSV and comments, action points from a low grade, the API, and the roles.

use super::*;
use crate::staff::{open_session, send};
use gastvrij_app::workspace::{QuestionOutcome, RecordQuestion};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{ContactInput, QuestionInput};
use gastvrij_domain::customer::{ContactDetails, CustomerInput, CustomerKind, Segment};
use gastvrij_domain::team::{EmployeeInput, Role};
use gastvrij_domain::values::Email;

async fn user(app: &TestApp, username: &str, role: Role) {
    let input = EmployeeInput {
        name: format!("Medewerker {username}"),
        username: Some(username.into()),
        roles: vec![role],
        active: true,
        ..Default::default()
    };
    app.app.add_user(&Principal::operator(), input, "een lang testwachtwoord").await.unwrap();
}

/// A phone call of a customer in `segment`, closed, and the invitation job run; the link's token.
async fn invited(app: &TestApp) -> String {
    let who = Principal::operator();
    for c in Channel::ALL {
        app.app.set_survey_rate(&who, c, 100).await.unwrap();
    }
    let customer = CustomerInput {
        kind: Some(CustomerKind::Persoon),
        name: Some("Anja Boer".into()),
        segments: vec![Segment::Agrarier],
        details: ContactDetails { email: Some(Email::parse("anja@example.nl").unwrap()), ..Default::default() },
    };
    let customer = app.app.create_customer(&who, customer).await.unwrap();
    let contact = ContactInput { customer_id: Some(customer.id), ..ContactInput::on(Channel::Telefoon) };
    let contact = app.app.create_contact(&who, contact).await.unwrap();
    let question = QuestionInput { text: "Mag ik mijn sloot uitbaggeren?".into(), ..Default::default() };
    let record = RecordQuestion { input: question, outcome: QuestionOutcome::Answered };
    app.app.record_question(&who, contact.id, record).await.unwrap();
    app.app.close_contact(&who, contact.id).await.unwrap();
    assert_eq!(app.app.invite_surveys().await.unwrap().invited, 1);
    let mails = app.app.store().mail_list(&Default::default()).await.unwrap();
    let body = &mails.iter().find(|m| m.subject.starts_with("Wat vond u van uw contact")).expect("the invitation").body;
    assert!(body.contains("Het zijn vier korte vragen") && !body.contains("Anja"), "{body}");
    body.split("/enquete/").nth(1).unwrap().split_whitespace().next().unwrap().to_string()
}

#[tokio::test]
async fn a_citizen_answers_the_invitation_once_and_the_team_lead_sees_it_with_an_action_point() {
    let app = spawn_app().await;
    let token = invited(&app).await;
    let path = format!("/enquete/{token}");

    // The public page: four questions, no script, a Dutch 404 for an unknown link.
    let (v, page) = visit(&app, &path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Wat vond u van ons contact?") && page.body.contains("Is uw vraag opgelost?"));
    assert!(!page.body.contains("<script>") && !page.body.contains("style="), "no inline script or style");
    assert_eq!(get(&app, "/enquete/onbekend", None).await.status, StatusCode::NOT_FOUND);

    let forged = post_form(&app, &path, Some(&v.cookie), "csrf=nep&cijfer=3&opgelost=nee&moeite=4").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let bad = post_form(&app, &path, Some(&v.cookie), &format!("csrf={}&cijfer=0&opgelost=nee&moeite=", v.csrf)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Kies een cijfer van 1 tot en met 10."), "{}", bad.body);
    assert!(bad.body.contains("id=\"opgelost-nee\" name=\"opgelost\" value=\"nee\" checked"), "answers kept");
    let answer = format!("csrf={}&cijfer=3&opgelost=nee&moeite=4&toelichting=Niemand+belde+terug", v.csrf);
    let ok = post_form(&app, &path, Some(&v.cookie), &answer).await;
    assert_eq!(ok.status, StatusCode::OK);
    assert!(ok.body.contains("Dank u wel voor uw mening."));
    let again = post_form(&app, &path, Some(&v.cookie), &answer).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY, "refused: answered already");
    assert!(again.body.contains("U hebt deze vragen al beantwoord.") && !again.body.contains("name=\"cijfer\""));

    // The dashboard for a team lead: the figure, its table and chart, the comment.
    user(&app, "lea", Role::Teamleider).await;
    user(&app, "kim", Role::Kcc).await;
    let (lead, csrf) = open_session(&app, "lea").await;
    let index = send(&app, "GET", "/werkplek/cijfers", &[&lead], None, &[]).await;
    assert_eq!(index.status, StatusCode::OK);
    for link in ["/werkplek/cijfers/tevredenheid", "/werkplek/cijfers/normen", "/werkplek/cijfers/peiling"] {
        assert!(index.body.contains(&format!("href=\"{link}\"")), "{link}");
    }
    let dash = send(&app, "GET", "/werkplek/cijfers/tevredenheid?splits=segment", &[&lead], None, &[]).await;
    assert_eq!(dash.status, StatusCode::OK, "{}", dash.body);
    assert!(dash.body.contains("<td class=\"utrecht-table__cell\" id=\"antwoorden\">1</td>"));
    assert!(dash.body.contains("<td class=\"utrecht-table__cell\" id=\"gemiddeld-cijfer\">3,0</td>"));
    assert!(dash.body.contains("scope=\"row\">agrariër</th>"), "split by segment");
    assert!(dash.body.contains("<svg class=\"grafiek\"") && dash.body.contains("Niemand belde terug"));
    assert!(!dash.body.contains("style=") && !dash.body.contains("name=\"telefoon\""), "no rates for a lead");
    let found = send(&app, "GET", "/werkplek/cijfers/tevredenheid?zoek=BELDE", &[&lead], None, &[]).await;
    assert!(found.body.contains("Niemand belde terug"));
    let none = send(&app, "GET", "/werkplek/cijfers/tevredenheid?zoek=wachttijd", &[&lead], None, &[]).await;
    assert!(!none.body.contains("Niemand belde terug") && none.body.contains("Geen opmerkingen"));
    let wrong = send(&app, "GET", "/werkplek/cijfers/tevredenheid?van=gisteren", &[&lead], None, &[]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("„Van” is geen datum"), "{}", wrong.body);
    let csv = send(&app, "GET", "/werkplek/cijfers/tevredenheid.csv?per=day&splits=channel", &[&lead], None, &[]).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.body.starts_with("group,period_start,answers,average_grade,solved_percent,average_effort,low_grades\n")
    );
    assert!(csv.body.contains("\ntelefoon,2026-03-02,1,3.00,0.00,4.00,1\n"), "{}", csv.body);
    assert!(!csv.body.contains("Niemand") && !csv.body.contains("anja"), "no comments or addresses in the CSV");

    // An action point from the low grade's comment, shown in the register and beside the comment.
    let link_start = dash.body.find("/werkplek/verbeterpunten?bron=opmerking").expect("a link from the comment");
    let link = &dash.body[link_start..];
    let link = link[..link.find('"').unwrap()].replace("&#38;", "&");
    let form = send(&app, "GET", &link, &[&lead], None, &[]).await;
    assert!(form.body.contains("name=\"source_kind\" value=\"opmerking\""));
    let source_ref = form.body.split("name=\"source_ref\" value=\"").nth(1).unwrap().split('"').next().unwrap();
    let owner = form.body.split("<option value=\"").nth(2).unwrap().split('"').next().unwrap().to_string();
    let body = |due: &str| {
        format!(
            "csrf={csrf}&source_kind=opmerking&source_ref={source_ref}&source_label=Opmerking+bij+cijfer+3&text=Terugbellen+binnen+een+dag&owner={owner}&due={due}"
        )
    };
    let late = send(&app, "POST", "/werkplek/verbeterpunten", &[&lead], Some(&body("2026-01-01")), &[]).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.body.contains("Kies bij „Klaar op” een datum van vandaag of later"));
    let made = send(&app, "POST", "/werkplek/verbeterpunten", &[&lead], Some(&body("2026-04-01")), &[]).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    let register = send(&app, "GET", "/werkplek/verbeterpunten", &[&lead], None, &[]).await;
    assert!(register.body.contains("Terugbellen binnen een dag") && register.body.contains("Opmerking bij cijfer 3"));
    let beside = send(&app, "GET", "/werkplek/cijfers/tevredenheid", &[&lead], None, &[]).await;
    assert!(beside.body.contains("Verbeterpunt: Terugbellen binnen een dag"), "shown beside its comment");

    // The API gives the same figures.
    let (status, api) = app.get("/api/v1/satisfaction?split=channel", Some(&app.admin)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(api["overall"]["total"]["answers"], 1);
    assert_eq!(api["overall"]["total"]["average_grade"], 3.0);
    assert_eq!(api["groups"][0]["key"], "telefoon");
    let (status, bad) = app.get("/api/v1/satisfaction?split=kleur", Some(&app.admin)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.to_string().contains("split"), "{bad}");

    // An agent sees none of it.
    let (kim, kim_csrf) = open_session(&app, "kim").await;
    for path in [
        "/werkplek/cijfers",
        "/werkplek/cijfers/tevredenheid",
        "/werkplek/cijfers/tevredenheid.csv",
        "/werkplek/verbeterpunten",
    ] {
        assert_eq!(send(&app, "GET", path, &[&kim], None, &[]).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    let refused = send(
        &app,
        "POST",
        "/werkplek/verbeterpunten",
        &[&kim],
        Some(&body("2026-04-01").replace(&csrf, &kim_csrf)),
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let rates = send(
        &app,
        "POST",
        "/werkplek/cijfers/tevredenheid/steekproef",
        &[&lead],
        Some(&format!("csrf={csrf}&telefoon=30")),
        &[],
    )
    .await;
    assert_eq!(rates.status, StatusCode::FORBIDDEN, "only a beheerder sets the rates");
}
