//! The editors' workspace of the kennisbank (`/werkplek/kennisbank`, issue 16): only redacteuren
//! and beheerders; a draft from ruggespraak waits for work, is edited (bad input is refused by
//! field and nothing is stored; "Controleer" checks the public answer without saving), sent for
//! review and approved by a second editor, never by the one who edited it last (the API refuses
//! the same); the versions show the differences; synonyms are kept on a page.

use crate::helpers::{TestApp, spawn_app};
use crate::staff::{Answer, send, sign_in};
use axum::http::StatusCode;
use gastvrij_app::Principal;
use serde_json::json;

async fn post(app: &TestApp, session: &str, path: &str, fields: &[(&str, &str)]) -> Answer {
    let mut form = form_urlencoded::Serializer::new(String::new());
    for (k, v) in fields {
        form.append_pair(k, v);
    }
    send(app, "POST", path, &[session], Some(&form.finish()), &[]).await
}

/// An answered consultation of team Vergunningen made into a draft by the agent: the draft's id.
async fn draft_from_ruggespraak(app: &TestApp) -> (String, String) {
    let admin = app.admin.clone();
    let (_, team) = app.post("/api/v1/teams", &admin, json!({"name": "Vergunningen"})).await;
    let agent = app.token_for("agent", &["kcc"]).await;
    let back = app.token_for("backoffice", &["backoffice"]).await;
    let (_, consult) = app
        .post(
            "/api/v1/kennisbank/consultations",
            &agent,
            json!({"to_team": team["id"], "question": "Mag een inwoner een steiger in een sloot bouwen?"}),
        )
        .await;
    let id = consult["id"].as_str().unwrap().to_string();
    app.post(&format!("/api/v1/kennisbank/consultations/{id}/answer"), &back, json!({"answer": "Ja, tot 2 meter."}))
        .await;
    let (status, article) =
        app.post(&format!("/api/v1/kennisbank/consultations/{id}/article"), &agent, json!({})).await;
    assert_eq!(status, StatusCode::CREATED, "{article}");
    (article["id"].as_str().unwrap().to_string(), team["id"].as_str().unwrap().to_string())
}

/// `over` before `base`: the form reads the first value of a field, so `over` wins.
fn with<'a>(over: &[(&'a str, &'a str)], base: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    over.iter().chain(base).copied().collect()
}

async fn stored(app: &TestApp, id: &str) -> gastvrij_domain::kennisbank::Article {
    app.app.article(&Principal::operator(), id.parse().unwrap()).await.unwrap()
}

#[tokio::test]
async fn only_redacteuren_and_beheerders_keep_the_kennisbank() {
    let app = spawn_app().await;
    let fields = |csrf: &str| {
        vec![
            ("csrf".to_string(), csrf.to_string()),
            ("titel".into(), "Titel".into()),
            ("vraag".into(), "Vraag?".into()),
            ("antwoord".into(), "Antwoord.".into()),
            ("actie".into(), "opslaan".into()),
        ]
    };
    for role in ["kcc", "backoffice", "teamleider"] {
        let (session, csrf) = sign_in(&app, role, &[role]).await;
        for path in ["/werkplek/kennisbank", "/werkplek/kennisbank/nieuw", "/werkplek/kennisbank/synoniemen"] {
            assert_eq!(
                send(&app, "GET", path, &[&session], None, &[]).await.status,
                StatusCode::FORBIDDEN,
                "{role} {path}"
            );
        }
        let f = fields(&csrf);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        assert_eq!(
            post(&app, &session, "/werkplek/kennisbank/nieuw", &f).await.status,
            StatusCode::FORBIDDEN,
            "{role}"
        );
        let synonyms =
            post(&app, &session, "/werkplek/kennisbank/synoniemen", &[("csrf", &csrf), ("regels", "a, b")]).await;
        assert_eq!(synonyms.status, StatusCode::FORBIDDEN, "{role}");
        let queue = send(&app, "GET", "/werkplek/zaken", &[&session], None, &[]).await;
        assert!(!queue.body.contains("href=\"/werkplek/kennisbank\""), "{role}: no link in the navigation");
    }
    let all = app.app.articles(&Principal::operator(), &Default::default()).await.unwrap();
    assert!(all.is_empty(), "nothing was written");
    assert!(app.app.synonyms(&Principal::operator()).await.unwrap().is_empty());

    for role in ["redacteur", "beheerder"] {
        let (session, csrf) = sign_in(&app, &format!("{role}1"), &[role]).await;
        let list = send(&app, "GET", "/werkplek/kennisbank", &[&session], None, &[]).await;
        assert_eq!(list.status, StatusCode::OK, "{role}: {}", list.body);
        assert!(list.body.contains("href=\"/werkplek/kennisbank\">Kennisbank</a>"), "{role}: in the navigation");
        assert!(list.body.contains("Er wachten geen concepten uit ruggespraak"));
        let f = fields(&csrf);
        let f: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let created = post(&app, &session, "/werkplek/kennisbank/nieuw", &f).await;
        assert_eq!(created.status, StatusCode::SEE_OTHER, "{role}: {}", created.body);
        let page = send(&app, "GET", created.location.as_deref().unwrap(), &[&session], None, &[]).await;
        assert!(page.body.contains("Opgeslagen als versie 1.") && page.body.contains("Concept"), "{}", page.body);
    }
}

#[tokio::test]
async fn a_draft_from_ruggespraak_is_edited_and_approved_by_a_second_editor() {
    let app = spawn_app().await;
    let (id, team) = draft_from_ruggespraak(&app).await;
    let (anna, anna_csrf) = sign_in(&app, "anna", &["redacteur"]).await;
    let (bert, bert_csrf) = sign_in(&app, "bert", &["redacteur"]).await;
    let editor = format!("/werkplek/kennisbank/{id}");

    let list = send(&app, "GET", "/werkplek/kennisbank", &[&anna], None, &[]).await;
    let waiting = list.body.split("id=\"alle-kop\"").next().unwrap();
    assert!(waiting.contains(&format!("href=\"{editor}\">Mag een inwoner een steiger")), "waiting for work: {waiting}");
    let page = send(&app, "GET", &editor, &[&anna], None, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("gemaakt van een vraag aan de backoffice") && page.body.contains("Ja, tot 2 meter."));

    // Bad input: every unreadable field is named beside it; nothing is stored; the text stays.
    let bad = [
        ("csrf", anna_csrf.as_str()),
        ("versie", "1"),
        ("titel", "   "),
        ("vraag", "Mag ik een steiger bouwen?"),
        ("antwoord", "Tot 2 meter uit de oever zonder vergunning."),
        ("herzien", "31-02-2027"),
        ("actie", "opslaan"),
    ];
    let refused = post(&app, &anna, &editor, &bad).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("Er is niets opgeslagen"), "{}", refused.body);
    assert!(
        refused.body.contains("id=\"fout-herzien\">Controleer de herzieningsdatum: is geen datum"),
        "{}",
        refused.body
    );
    assert!(refused.body.contains("Tot 2 meter uit de oever zonder vergunning."), "the text stays as typed");
    let no_title = with(&[("herzien", "2027-03-01")], &bad);
    let refused = post(&app, &anna, &editor, &no_title).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"fout-titel\">Controleer de titel: is leeg"), "{}", refused.body);
    assert!(refused.body.contains("aria-invalid=\"true\" aria-describedby=\"fout-titel\""));
    let order = with(
        &[
            ("titel", "Steiger in een sloot"),
            ("herzien", ""),
            ("publiceren", "2027-03-01"),
            ("archiveren", "2027-01-01"),
        ],
        &bad,
    );
    let refused = post(&app, &anna, &editor, &order).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Controleer de archiefdatum: moet na de publicatiedatum liggen"), "{}", refused.body);
    assert_eq!(stored(&app, &id).await.version, 1, "nothing was stored");

    // "Controleer" checks the public answer, nothing is saved.
    let public = "U mag een steiger van 2 meter bouwen. Is hij groter? Dan vraagt u een vergunning aan.";
    let good = [
        ("csrf", anna_csrf.as_str()),
        ("versie", "1"),
        ("titel", "Steiger in een sloot"),
        ("vraag", "Mag ik een steiger in de sloot bouwen?"),
        ("antwoord", "Tot 2 meter uit de oever zonder vergunning; groter vraagt een watervergunning."),
        ("openbaar", public),
        ("trefwoorden", "steiger\nvlonder"),
        ("teams", team.as_str()),
        ("herzien", "2027-03-01"),
        ("actie", "controleer"),
    ];
    let checked = post(&app, &anna, &editor, &good).await;
    assert_eq!(checked.status, StatusCode::OK, "{}", checked.body);
    assert!(checked.body.contains("Taalcheck") && checked.body.contains("Flesch-Douma"), "{}", checked.body);
    assert_eq!(stored(&app, &id).await.version, 1, "checked, not saved");
    let save = with(&[("actie", "opslaan")], &good);
    let saved = post(&app, &anna, &editor, &save).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let a = stored(&app, &id).await;
    assert_eq!((a.version, a.title.as_str(), a.keywords.len()), (2, "Steiger in een sloot", 2));
    assert_eq!(a.review_date.map(|d| d.to_string()).as_deref(), Some("2027-03-01"));
    // A form opened on an older version does not overwrite the newer one.
    let stale = post(&app, &bert, &editor, &with(&[("csrf", bert_csrf.as_str())], &save)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    assert_eq!(stored(&app, &id).await.version, 2);

    // The workflow: anna sends it for review; she edited it last, so she may not approve it.
    let status_path = format!("{editor}/status");
    let sent = post(&app, &anna, &status_path, &[("csrf", &anna_csrf), ("status", "ter_beoordeling")]).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    let own = post(&app, &anna, &status_path, &[("csrf", &anna_csrf), ("status", "openbaar")]).await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", own.body);
    assert!(own.body.contains("u heeft dit artikel als laatste bewerkt; een andere redacteur"), "{}", own.body);
    assert!(own.body.contains("U heeft de tekst als laatste bewerkt."));
    // The API refuses her the same way.
    let token =
        app.app.create_api_token(&Principal::operator(), "anna", "test", Default::default()).await.unwrap().secret;
    let (status, body) =
        app.post(&format!("/api/v1/kennisbank/articles/{id}/status"), &token, json!({"status": "intern"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.to_string().contains("four-eyes"), "{body}");
    assert_eq!(stored(&app, &id).await.status.code(), "ter_beoordeling", "nothing was stored");

    // Bert approves it to openbaar.
    let approved = post(&app, &bert, &status_path, &[("csrf", &bert_csrf), ("status", "openbaar")]).await;
    assert_eq!(approved.status, StatusCode::SEE_OTHER, "{}", approved.body);
    let after = send(&app, "GET", approved.location.as_deref().unwrap(), &[&bert], None, &[]).await;
    assert!(after.body.contains("De status is nu: Openbaar."), "{}", after.body);
    assert_eq!(stored(&app, &id).await.status.code(), "openbaar");
    let bad_status = post(&app, &bert, &status_path, &[("csrf", &bert_csrf), ("status", "weg")]).await;
    assert_eq!(bad_status.status, StatusCode::UNPROCESSABLE_ENTITY);

    // The versions with their differences, newest first, by name.
    let versions = send(&app, "GET", &format!("{editor}/versies"), &[&anna], None, &[]).await;
    assert_eq!(versions.status, StatusCode::OK);
    let b = &versions.body;
    assert!(
        b.contains("Versie 4, door bert") && b.contains("Versie 2, door anna") && b.contains("Versie 1, door agent"),
        "{b}"
    );
    assert!(b.contains("<del><strong>Weg:</strong> status: ter_beoordeling</del>"), "{b}");
    assert!(b.contains("<ins><strong>Erbij:</strong> titel: Steiger in een sloot</ins>"), "{b}");
    assert!(b.find("Versie 4").unwrap() < b.find("Versie 1").unwrap(), "newest first");

    // No longer waiting for work; found with the filters.
    let list = send(&app, "GET", "/werkplek/kennisbank", &[&anna], None, &[]).await;
    assert!(list.body.contains("Er wachten geen concepten uit ruggespraak"), "{}", list.body);
    let public_list =
        send(&app, "GET", "/werkplek/kennisbank?status=openbaar&volgorde=meest_gebruikt", &[&anna], None, &[]).await;
    assert!(public_list.body.contains("Steiger in een sloot"), "{}", public_list.body);
    let concepts = send(&app, "GET", "/werkplek/kennisbank?status=concept", &[&anna], None, &[]).await;
    assert!(!concepts.body.contains("Steiger in een sloot"));
    let wrong = send(&app, "GET", "/werkplek/kennisbank?volgorde=willekeurig", &[&anna], None, &[]).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.body.contains("kies uit: recent, meest_gebruikt, minst_geholpen"), "{}", wrong.body);

    // Every step was audited.
    let (_, audit) = app.get("/api/v1/audit?limit=100", Some(&app.admin)).await;
    let actions = audit.to_string();
    for action in ["article.created_from_consultation", "article.updated", "article.status_changed"] {
        assert!(actions.contains(action), "{action} in {actions}");
    }
}

#[tokio::test]
async fn synonyms_are_kept_on_a_page_and_a_bad_line_is_named() {
    let app = spawn_app().await;
    let (session, csrf) = sign_in(&app, "redactie", &["redacteur"]).await;
    let saved = post(
        &app,
        &session,
        "/werkplek/kennisbank/synoniemen",
        &[("csrf", &csrf), ("regels", "sloot, watergang\r\n# opmerking\r\nblauwe envelop => aanslag")],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = send(&app, "GET", saved.location.as_deref().unwrap(), &[&session], None, &[]).await;
    assert!(page.body.contains("Opgeslagen: 2 regels.") && page.body.contains("sloot, watergang\nblauwe envelop"));
    let bad =
        post(&app, &session, "/werkplek/kennisbank/synoniemen", &[("csrf", &csrf), ("regels", "a, b\nalleen")]).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("Controleer de synoniemen (nummer 2)"), "{}", bad.body);
    assert!(bad.body.contains("a, b\nalleen"), "the text stays as typed");
    let rules = app.app.synonyms(&Principal::operator()).await.unwrap();
    assert_eq!(rules, vec!["sloot, watergang", "blauwe envelop => aanslag"], "nothing was stored");
}
