//! Sjablonen (`/werkplek/sjablonen`, issue 14): only redacteuren and beheerders keep the mail
//! texts; a saved acknowledgement is what the next citizen gets; a text with an unknown
//! placeholder is refused by name and nothing is written; "Controleer" shows the preview and the
//! plain-language check without saving; "terug naar standaardtekst" brings the built-in text back.

use crate::helpers::{TestApp, spawn_app};
use crate::staff::{Answer, send, sign_in};
use axum::http::StatusCode;
use gastvrij_app::Principal;
use gastvrij_app::portal::UploadedPhoto;
use gastvrij_domain::letter_template::LetterKind;
use gastvrij_domain::portal::{SubmissionForm, SubmissionKind};
use gastvrij_domain::team::TeamInput;
use gastvrij_domain::topic::TopicInput;
use serde_json::json;

const PAGE: &str = "/werkplek/sjablonen/ontvangstbevestiging";

async fn post(app: &TestApp, session: &str, path: &str, fields: &[(&str, &str)]) -> Answer {
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        form.append_pair(k, v);
    }
    send(app, "POST", path, &[session], Some(&form.finish()), &[]).await
}

/// A vraag from the web form by Fatma (by e-mail); returns the acknowledgement's body and its
/// case reference.
async fn vraag(app: &TestApp) -> (String, String) {
    let op = Principal::operator();
    // A team and topic of its own each time: a test may send several.
    let name = format!("Belastingen {}", uuid::Uuid::now_v7().simple());
    let team = app.app.create_team(&op, TeamInput { name: name.clone(), description: None }).await.unwrap();
    let topic = TopicInput { name, parent_id: None, team_id: Some(team.id) };
    let topic = app.app.create_topic(&op, topic).await.unwrap();
    let form = SubmissionForm {
        onderwerp: topic.id.to_string(),
        omschrijving: "Waarom betaal ik twee keer?".into(),
        contact: "email".into(),
        naam: "Fatma Öztürk".into(),
        email: "fatma@example.nl".into(),
        ..Default::default()
    };
    let receipt = app.app.submit(SubmissionKind::Vraag, &form, &[] as &[UploadedPhoto]).await.unwrap();
    let now = app.app.now();
    let due = app.app.store().due_mail(now, now + jiff::SignedDuration::from_mins(15), 50).await.unwrap();
    let ack = due.iter().find(|m| m.mail.kind.code() == "ontvangstbevestiging").expect("an acknowledgement");
    assert_eq!(ack.mail.to.as_str(), "fatma@example.nl");
    (format!("{}\n---\n{}", ack.mail.subject, ack.mail.body), receipt.reference)
}

#[tokio::test]
async fn only_redacteuren_and_beheerders_keep_the_templates() {
    let app = spawn_app().await;
    for role in ["kcc", "backoffice", "teamleider"] {
        let (session, csrf) = sign_in(&app, role, &[role]).await;
        for path in ["/werkplek/sjablonen", PAGE] {
            let page = send(&app, "GET", path, &[&session], None, &[]).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{role} on {path}");
        }
        let fields =
            [("csrf", csrf.as_str()), ("subject", "x {kenmerk}"), ("body", "{kenmerk} {link}"), ("actie", "opslaan")];
        assert_eq!(post(&app, &session, PAGE, &fields).await.status, StatusCode::FORBIDDEN, "{role} saves");
        let reset = post(&app, &session, &format!("{PAGE}/standaard"), &[("csrf", &csrf)]).await;
        assert_eq!(reset.status, StatusCode::FORBIDDEN, "{role} resets");
        let queue = send(&app, "GET", "/werkplek/zaken", &[&session], None, &[]).await;
        assert_eq!(queue.status, StatusCode::OK, "{role}: {}", queue.body);
        assert!(!queue.body.contains("/werkplek/sjablonen"), "{role}: no link in the navigation");
    }
    let history = app.app.letter_template_history(&Principal::operator(), LetterKind::Ontvangstbevestiging).await;
    assert!(history.unwrap().is_empty(), "nothing was written");

    for role in ["redacteur", "beheerder"] {
        let (session, _) = sign_in(&app, &format!("{role}1"), &[role]).await;
        let list = send(&app, "GET", "/werkplek/sjablonen", &[&session], None, &[]).await;
        assert_eq!(list.status, StatusCode::OK, "{role}: {}", list.body);
        assert!(list.body.contains("href=\"/werkplek/sjablonen\""), "{role}: the navigation links to it");
        for kind in LetterKind::ALL {
            assert!(list.body.contains(&format!("/werkplek/sjablonen/{}", kind.code())), "{kind:?} listed");
        }
        assert!(list.body.contains("standaardtekst"));
        let edit = send(&app, "GET", PAGE, &[&session], None, &[]).await;
        assert_eq!(edit.status, StatusCode::OK, "{role}");
        assert!(edit.body.contains("{uiterlijk}") && edit.body.contains("nog nooit aangepast"), "{}", edit.body);
    }
    let (session, _) = sign_in(&app, "redactie", &["redacteur"]).await;
    assert_eq!(
        send(&app, "GET", "/werkplek/sjablonen/brief", &[&session], None, &[]).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_saved_acknowledgement_is_what_the_next_citizen_gets() {
    let app = spawn_app().await;
    let (session, csrf) = sign_in(&app, "redactie", &["redacteur"]).await;
    let subject = "Wij hebben uw {soort} ({kenmerk})";
    let body = "Hallo {naam},\r\n\r\nDank u wel. Uw nummer is {kenmerk}.\r\nU hoort uiterlijk op {uiterlijk} van ons.\r\n\r\nVolg het hier: {link}\r\n\r\n{organisatie}";

    // "Controleer" shows the preview with example data and the check; nothing is saved.
    let check = [("csrf", csrf.as_str()), ("subject", subject), ("body", body), ("actie", "controleer")];
    let checked = post(&app, &session, PAGE, &check).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    for part in ["Voorbeeld", "Hallo Jan Jansen,", "Uw nummer is WS-2026-000042.", "Taalcheck", "Flesch-Douma"] {
        assert!(checked.body.contains(part), "{part} in {}", checked.body);
    }
    assert!(checked.body.contains("Hallo {naam},"), "the form keeps the text as typed");
    let operator = Principal::operator();
    let kind = LetterKind::Ontvangstbevestiging;
    assert!(app.app.letter_template_history(&operator, kind).await.unwrap().is_empty(), "checked, not saved");

    let save = [("csrf", csrf.as_str()), ("subject", subject), ("body", body), ("actie", "opslaan")];
    let saved = post(&app, &session, PAGE, &save).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let after = send(&app, "GET", saved.location.as_deref().unwrap(), &[&session], None, &[]).await.body;
    for part in
        ["Opgeslagen als versie 1", "aangepast (versie 1, door redactie", "Taalcheck", "Versie 1, door redactie"]
    {
        assert!(after.contains(part), "{part} in {after}");
    }

    let (mail, reference) = vraag(&app).await;
    assert!(mail.starts_with(&format!("Wij hebben uw vraag ({reference})\n---\nHallo Fatma Öztürk,\n\nDank u wel. Uw nummer is {reference}.\nU hoort uiterlijk op ")), "{mail}");
    assert!(mail.contains("\n\nVolg het hier: http") && mail.contains("/volgen/"), "{mail}");
    assert!(!mail.contains('{'), "every placeholder filled in: {mail}");
    // The acknowledgement is kept with its case: linked, with the text as sent.
    let store = app.app.store();
    let (case, _) = store.case_by_reference(&reference).await.unwrap().expect("the case");
    let kept = store.case_mails(case.id).await.unwrap();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(format!("{}\n---\n{}", kept[0].subject, kept[0].body), mail);

    // Back to the standard text: the next citizen gets the built-in acknowledgement again.
    let reset = post(&app, &session, &format!("{PAGE}/standaard"), &[("csrf", &csrf)]).await;
    assert_eq!(reset.status, StatusCode::SEE_OTHER, "{}", reset.body);
    let page = send(&app, "GET", reset.location.as_deref().unwrap(), &[&session], None, &[]).await.body;
    assert!(
        page.contains("De standaardtekst wordt weer gebruikt") && page.contains("Versie 2, door redactie"),
        "{page}"
    );
    let history = app.app.letter_template_history(&operator, kind).await.unwrap();
    assert_eq!((history.len(), history[0].text.is_none()), (2, true));
    let (standard, _) = vraag(&app).await;
    assert!(standard.contains("Bedankt. We hebben uw vraag ontvangen."), "the standard text again: {standard}");
}

#[tokio::test]
async fn a_text_with_an_unknown_placeholder_is_refused_by_name_and_nothing_is_written() {
    let app = spawn_app().await;
    let (session, csrf) = sign_in(&app, "redactie", &["redacteur"]).await;
    let body = "Beste {voornaam}, uw nummer is {kenmerk}. {link}";
    let fields = [("csrf", csrf.as_str()), ("subject", "Ontvangen"), ("body", body), ("actie", "opslaan")];
    let refused = post(&app, &session, PAGE, &fields).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("Controleer de tekst: &#39;{voornaam}&#39; kennen we niet"), "{}", refused.body);
    assert!(refused.body.contains("Beste {voornaam}"), "the text stays in the form");

    let missing =
        [("csrf", csrf.as_str()), ("subject", "Ontvangen"), ("body", "Uw nummer is {kenmerk}."), ("actie", "opslaan")];
    let refused = post(&app, &session, PAGE, &missing).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Controleer de tekst: mist {link}"), "{}", refused.body);

    let forged = [("csrf", "vervalst"), ("subject", "Ontvangen"), ("body", "{kenmerk} {link}"), ("actie", "opslaan")];
    assert_eq!(post(&app, &session, PAGE, &forged).await.status, StatusCode::FORBIDDEN);

    let kind = LetterKind::Ontvangstbevestiging;
    assert!(app.app.letter_template_history(&Principal::operator(), kind).await.unwrap().is_empty(), "no row");
    let (mail, _) = vraag(&app).await;
    assert!(mail.contains("Bedankt. We hebben uw vraag ontvangen."), "the standard text: {mail}");
}

/// The close form's "Controleer taal" shows the check of the answer and closes nothing; the
/// answer mail, from the redacteur's text, shows on the case's timeline as it was sent.
#[tokio::test]
async fn the_answer_is_checked_without_closing_and_the_mail_sent_shows_on_the_timeline() {
    let app = spawn_app().await;
    let (_, team) = app.post("/api/v1/teams", &app.admin, json!({"name": "Heffingen"})).await;
    let details = json!({"email": "sanne@example.nl"});
    let customer = json!({"kind": "persoon", "name": "Sanne Smit", "segments": [], "details": details});
    let (_, customer) = app.post("/api/v1/customers", &app.admin, customer).await;
    let case =
        json!({"case_type": "vraag", "team_id": team["id"], "customer_id": customer["id"], "subject": "Aanslag"});
    let (status, case) = app.post("/api/v1/cases", &app.admin, case).await;
    assert_eq!(status, StatusCode::CREATED, "{case}");
    let (id, reference) = (case["id"].as_str().unwrap(), case["reference"].as_str().unwrap());
    let (session, csrf) = sign_in(&app, "anna", &["backoffice"]).await;

    let answer = "Conform de regels krijgt u geld terug.";
    let fields = [("csrf", csrf.as_str()), ("resultaat", "opgelost"), ("antwoord", answer)];
    let checked = post(&app, &session, &format!("/werkplek/zaken/{id}/taalcheck"), &fields).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    for part in ["Taalcheck", "Flesch-Douma", "volgens", answer] {
        assert!(checked.body.contains(part), "{part} in {}", checked.body);
    }
    let open = app.app.case(&Principal::operator(), id.parse().unwrap()).await.unwrap();
    assert!(open.status.is_open(), "checked, not closed");
    let empty = [("csrf", csrf.as_str()), ("resultaat", "opgelost"), ("antwoord", " ")];
    let refused = post(&app, &session, &format!("/werkplek/zaken/{id}/taalcheck"), &empty).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Controleer het antwoord"), "{}", refused.body);

    let kind = LetterKind::Antwoord;
    let text = "Beste {naam},\n\nOns antwoord op {kenmerk}: {tekst}\n\n{organisatie}";
    app.app.save_letter_template(&Principal::operator(), kind, "Antwoord {kenmerk}", text).await.unwrap();
    let fields =
        [("csrf", csrf.as_str()), ("resultaat", "opgelost"), ("antwoord", "Volgens de regels krijgt u geld terug.")];
    let closed = post(&app, &session, &format!("/werkplek/zaken/{id}/afhandelen"), &fields).await;
    assert_eq!(closed.status, StatusCode::SEE_OTHER, "{}", closed.body);
    let page = send(&app, "GET", &format!("/werkplek/zaken/{id}"), &[&session], None, &[]).await.body;
    let sent = format!("Ons antwoord op {reference}: Volgens de regels krijgt u geld terug.");
    assert!(page.contains(&format!("Antwoord {reference}")) && page.contains(&sent), "the mail as sent: {page}");
    assert!(page.contains("Beste Sanne Smit,"), "{page}");
}

/// A printed letter (the citizen has no e-mail address) is kept with the case as printed, once
/// per text, and shows on the timeline.
#[tokio::test]
async fn a_printed_letter_is_kept_with_the_case_as_printed() {
    let app = spawn_app().await;
    let (_, team) = app.post("/api/v1/teams", &app.admin, json!({"name": "Heffingen"})).await;
    let details = json!({"street": "Dijkweg", "house_number": "7", "postcode": "2611AB", "city": "Delft"});
    let customer = json!({"kind": "persoon", "name": "Sanne Smit", "segments": [], "details": details});
    let (_, customer) = app.post("/api/v1/customers", &app.admin, customer).await;
    let case =
        json!({"case_type": "vraag", "team_id": team["id"], "customer_id": customer["id"], "subject": "Aanslag"});
    let (_, case) = app.post("/api/v1/cases", &app.admin, case).await;
    let id: gastvrij_domain::ids::CaseId = case["id"].as_str().unwrap().parse().unwrap();
    let (session, csrf) = sign_in(&app, "anna", &["backoffice"]).await;
    let store = app.app.store();

    let ack = send(&app, "GET", &format!("/werkplek/zaken/{id}/ontvangstbrief"), &[&session], None, &[]).await;
    assert_eq!(ack.status, StatusCode::OK, "{}", ack.body);
    let fields =
        [("csrf", csrf.as_str()), ("resultaat", "opgelost"), ("antwoord", "U krijgt het geld in april terug.")];
    assert_eq!(
        post(&app, &session, &format!("/werkplek/zaken/{id}/afhandelen"), &fields).await.status,
        StatusCode::SEE_OTHER
    );
    for _ in 0..2 {
        let letter = send(&app, "GET", &format!("/werkplek/zaken/{id}/brief"), &[&session], None, &[]).await;
        assert_eq!(letter.status, StatusCode::OK, "{}", letter.body);
    }
    let kept = store.printed_letters(id).await.unwrap();
    // Printed at the same moment of the fixed clock: listed by kind.
    assert_eq!(
        kept.iter().map(|l| l.kind).collect::<Vec<_>>(),
        ["brief", "ontvangstbrief"],
        "the same text twice: kept once"
    );
    assert!(
        kept[0].body.contains("U krijgt het geld in april terug.") && kept[0].body.starts_with("Beste Sanne Smit,")
    );
    assert!(kept[1].subject.starts_with("Ontvangstbevestiging: uw vraag"), "{}", kept[1].subject);
    let page = send(&app, "GET", &format!("/werkplek/zaken/{id}"), &[&session], None, &[]).await.body;
    assert!(page.contains("Brief afgedrukt door anna: Antwoord op uw vraag"), "{page}");

    // The kept letters hold personal data: exported with the customer, and erased with them.
    let customer: gastvrij_domain::ids::CustomerId = customer["id"].as_str().unwrap().parse().unwrap();
    let op = Principal::operator();
    assert_eq!(app.app.export_customer(&op, customer).await.unwrap().case_letters.len(), 2);
    app.app.erase_customer(&op, customer).await.unwrap();
    let erased = store.printed_letters(id).await.unwrap();
    assert!(erased.iter().all(|l| !l.body.contains("Sanne") && !l.body.contains("april")), "{erased:?}");
}
