//! Staff sign-in with sessions and CSRF protection.

use crate::helpers::spawn_app;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

pub struct Answer {
    pub status: StatusCode,
    pub cookies: Vec<String>,
    pub location: Option<String>,
    pub body: String,
}

pub async fn send(
    app: &crate::helpers::TestApp,
    method: &str,
    path: &str,
    cookies: &[&str],
    form: Option<&str>,
    headers: &[(&str, &str)],
) -> Answer {
    let mut req = Request::builder().method(method).uri(path);
    if !cookies.is_empty() {
        req = req.header("cookie", cookies.join("; "));
    }
    if form.is_some() {
        req = req.header("content-type", "application/x-www-form-urlencoded");
    }
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = app
        .router
        .clone()
        .oneshot(req.body(form.map(|f| Body::from(f.to_string())).unwrap_or_else(Body::empty)).unwrap())
        .await
        .unwrap();
    let status = res.status();
    let cookies = res.headers().get_all("set-cookie").iter().map(|v| v.to_str().unwrap().to_string()).collect();
    let location = res.headers().get("location").map(|v| v.to_str().unwrap().to_string());
    let body = String::from_utf8(axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap().to_vec()).unwrap();
    Answer { status, cookies, location, body }
}

pub fn cookie_pair(a: &Answer, name: &str) -> String {
    a.cookies
        .iter()
        .find(|c| c.starts_with(&format!("{name}=")))
        .map(|c| c.split(';').next().unwrap().to_string())
        .unwrap_or_else(|| panic!("no {name} cookie in {:?}", a.cookies))
}

pub fn hidden_csrf(html: &str) -> String {
    let at = html.find("name=\"csrf\" value=\"").expect("a csrf field") + "name=\"csrf\" value=\"".len();
    html[at..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn staff_sign_in_opens_a_session_that_guards_changes_with_csrf() {
    let app = spawn_app().await;
    app.token_for("fatima", &["beheerder"]).await;
    let form = send(&app, "GET", "/inloggen", &[], None, &[]).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.body.contains("lang=\"nl\"") && form.body.contains("for=\"password\">Wachtwoord</label>"));
    let login_cookie = cookie_pair(&form, "gv_inlog");
    let csrf = hidden_csrf(&form.body);
    assert_eq!(login_cookie, format!("gv_inlog={csrf}"));

    let forged =
        send(&app, "POST", "/inloggen", &[], Some("csrf=x&username=fatima&password=een+lang+testwachtwoord"), &[])
            .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "no sign-in without the form's token");
    let wrong = send(
        &app,
        "POST",
        "/inloggen",
        &[&login_cookie],
        Some(&format!("csrf={csrf}&username=fatima&password=fout")),
        &[],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("De gebruikersnaam of het wachtwoord klopt niet."));
    assert!(wrong.body.contains("value=\"fatima\""), "the username is kept");
    assert!(!wrong.cookies.iter().any(|c| c.starts_with("gv_sessie=")));

    let ok = send(
        &app,
        "POST",
        "/inloggen",
        &[&login_cookie],
        Some(&format!("csrf={csrf}&username=fatima&password=een+lang+testwachtwoord")),
        &[],
    )
    .await;
    assert_eq!((ok.status, ok.location.as_deref()), (StatusCode::SEE_OTHER, Some("/medewerkers")));
    let session = cookie_pair(&ok, "gv_sessie");
    assert!(ok.cookies.iter().any(|c| c.contains("HttpOnly") && c.contains("SameSite=Strict")));

    let home = send(&app, "GET", "/medewerkers", &[&session], None, &[]).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("Welkom, fatima"));
    let session_csrf = hidden_csrf(&home.body);

    assert_eq!(send(&app, "GET", "/api/v1/teams", &[&session], None, &[]).await.status, StatusCode::OK);
    let json = [("content-type", "application/json")];
    let no_token = send(&app, "POST", "/api/v1/teams", &[&session], None, &json).await;
    assert_eq!(no_token.status, StatusCode::FORBIDDEN, "a cookie alone cannot change anything: {}", no_token.body);
    let mut req = Request::builder()
        .method("POST")
        .uri("/api/v1/teams")
        .header("cookie", &session)
        .header("content-type", "application/json")
        .header("x-csrf-token", &session_csrf);
    req = req.header("accept", "application/json");
    let created = app.router.clone().oneshot(req.body(Body::from("{\"name\": \"KCC\"}")).unwrap()).await.unwrap();
    assert_eq!(created.status(), StatusCode::CREATED);

    let bad_logout = send(&app, "POST", "/uitloggen", &[&session], Some("csrf=nope"), &[]).await;
    assert_eq!(bad_logout.status, StatusCode::FORBIDDEN);
    let logout = send(&app, "POST", "/uitloggen", &[&session], Some(&format!("csrf={session_csrf}")), &[]).await;
    assert_eq!(logout.location.as_deref(), Some("/inloggen"));
    let after = send(&app, "GET", "/medewerkers", &[&session], None, &[]).await;
    assert_eq!(after.location.as_deref(), Some("/inloggen"), "the session is gone");
    assert_eq!(send(&app, "GET", "/api/v1/teams", &[&session], None, &[]).await.status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn repeated_sign_in_attempts_are_slowed_down() {
    let app = spawn_app().await;
    let form = send(&app, "GET", "/inloggen", &[], None, &[]).await;
    let login_cookie = cookie_pair(&form, "gv_inlog");
    let csrf = hidden_csrf(&form.body);
    let mut statuses = vec![];
    for _ in 0..11 {
        statuses.push(
            send(&app, "POST", "/inloggen", &[&login_cookie], Some(&format!("csrf={csrf}&username=x&password=y")), &[])
                .await
                .status,
        );
    }
    assert!(statuses[..10].iter().all(|s| *s == StatusCode::UNAUTHORIZED), "{statuses:?}");
    assert_eq!(statuses[10], StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn successful_sign_ins_from_one_address_are_not_limited() {
    // A whole office behind one address signs in at 8:00; only failed attempts count.
    let app = spawn_app().await;
    for i in 0..12 {
        let (session, _) = sign_in(&app, &format!("kantoor{i}"), &["kcc"]).await;
        assert!(session.starts_with("gv_sessie="), "{session}");
    }
}

pub async fn sign_in(app: &crate::helpers::TestApp, username: &str, roles: &[&str]) -> (String, String) {
    app.token_for(username, roles).await;
    open_session(app, username).await
}

/// Sign in as an existing user (password as `token_for` sets it): the session cookie and the
/// CSRF token of its forms.
pub async fn open_session(app: &crate::helpers::TestApp, username: &str) -> (String, String) {
    let form = send(app, "GET", "/inloggen", &[], None, &[]).await;
    let login_cookie = cookie_pair(&form, "gv_inlog");
    let csrf = hidden_csrf(&form.body);
    let body = format!("csrf={csrf}&username={username}&password=een+lang+testwachtwoord");
    let ok = send(app, "POST", "/inloggen", &[&login_cookie], Some(&body), &[]).await;
    let session = cookie_pair(&ok, "gv_sessie");
    let home = send(app, "GET", "/medewerkers", &[&session], None, &[]).await;
    (session, hidden_csrf(&home.body))
}

#[tokio::test]
async fn workspace_pages_check_session_role_and_csrf_and_keep_input_on_errors() {
    let app = spawn_app().await;
    assert_eq!(send(&app, "GET", "/werkplek", &[], None, &[]).await.location.as_deref(), Some("/inloggen"));

    let (editor, _) = sign_in(&app, "redactie", &["redacteur"]).await;
    let refused = send(&app, "GET", "/werkplek", &[&editor], None, &[]).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "an editor does not take calls");
    assert!(refused.body.contains("Uw rol mag dit niet"));

    let (agent, csrf) = sign_in(&app, "agent", &["kcc"]).await;
    for page in [
        "/werkplek",
        "/werkplek/ruggespraak",
        "/werkplek/zaken",
        "/werkplek/wie-weet-wat",
        "/werkplek/zoeken?q=aanslag",
    ] {
        let answer = send(&app, "GET", page, &[&agent], None, &[]).await;
        assert_eq!(answer.status, StatusCode::OK, "{page}");
        assert!(answer.body.contains("<script src=\"/static/werkplek.js\" defer></script>"), "{page}");
    }
    let forged = send(&app, "POST", "/werkplek/contacten", &[&agent], Some("csrf=x&channel=telefoon"), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let bad_wait = send(
        &app,
        "POST",
        "/werkplek/contacten",
        &[&agent],
        Some(&format!("csrf={csrf}&channel=telefoon&waiting_seconds=lang")),
        &[],
    )
    .await;
    assert_eq!(bad_wait.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_wait.body.contains("Controleer de wachttijd"), "{}", bad_wait.body);

    let started = send(
        &app,
        "POST",
        "/werkplek/contacten",
        &[&agent],
        Some(&format!("csrf={csrf}&channel=telefoon&waiting_seconds=12")),
        &[],
    )
    .await;
    let contact = started.location.expect("the new contact's page");
    let empty = send(
        &app,
        "POST",
        &format!("{contact}/vragen"),
        &[&agent],
        Some(&format!("csrf={csrf}&text=+&outcome=answered&answer=Mijn+antwoord+blijft+staan")),
        &[],
    )
    .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Controleer de vraag: is leeg; vul het in."), "{}", empty.body);
    assert!(empty.body.contains("Mijn antwoord blijft staan"), "the agent's input is kept");
    let no_team = send(
        &app,
        "POST",
        &format!("{contact}/vragen"),
        &[&agent],
        Some(&format!("csrf={csrf}&text=Mag+ik+een+steiger+bouwen&outcome=handed_over&case_type=vergunningaanvraag")),
        &[],
    )
    .await;
    assert_eq!(no_team.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_team.body.contains("Controleer het team"));
    let page = send(&app, "GET", &contact, &[&agent], None, &[]).await;
    assert!(page.body.contains("Nog geen vragen."), "nothing half-written");

    let answered = send(
        &app,
        "POST",
        &format!("{contact}/vragen"),
        &[&agent],
        Some(&format!("csrf={csrf}&text=Wanneer+komt+de+aanslag&outcome=answered&answer=In+februari")),
        &[],
    )
    .await;
    assert_eq!(answered.location.as_deref(), Some(contact.as_str()));
    let page = send(&app, "GET", &contact, &[&agent], None, &[]).await;
    assert!(page.body.contains("Beantwoord (eerste lijn)") && page.body.contains("In februari"));
}

#[tokio::test]
async fn every_workspace_page_checks_the_role_and_every_form_the_csrf_token() {
    let app = spawn_app().await;
    let some_id = "0190f5c4-7a3e-7000-8000-000000000000";
    let pages = [
        "/werkplek",
        "/werkplek/ruggespraak",
        "/werkplek/zaken",
        "/werkplek/wie-weet-wat",
        "/werkplek/zoeken?q=aanslag",
        "/werkplek/artikelen/KB-1",
        "/werkplek/werkzaamheden",
        "/werkplek/werkzaamheden?verleden=1",
        "/werkplek/werkzaamheden/0190f5c4-7a3e-7000-8000-000000000000",
        "/werkplek/post",
        "/werkplek/doorgestuurd",
        "/werkplek/zaken?welke=laat&soort=klacht",
        "/werkplek/zaken/0190f5c4-7a3e-7000-8000-000000000000",
        "/werkplek/zaken/0190f5c4-7a3e-7000-8000-000000000000/brief",
        "/werkplek/zaken/0190f5c4-7a3e-7000-8000-000000000000/ontvangstbrief",
        "/werkplek/vergelijking",
        "/werkplek/vergelijking.csv?jaar=twee&kwartaal=9",
        "/werkplek/klantoverleg",
        "/werkplek/klantoverleg.csv?jaar=2026&kwartaal=1",
        "/werkplek/team",
        "/werkplek/team?team=0190f5c4-7a3e-7000-8000-000000000000",
        "/werkplek/team?team=kapot",
        "/werkplek/kennisbank",
        "/werkplek/kennisbank?status=kwijt&volgorde=raar&pagina=0",
        "/werkplek/kennisbank?volgorde=minst_geholpen&herzien=1",
        "/werkplek/kennisbank/nieuw",
        "/werkplek/kennisbank/synoniemen",
        "/werkplek/kennisbank/0190f5c4-7a3e-7000-8000-000000000000",
        "/werkplek/kennisbank/0190f5c4-7a3e-7000-8000-000000000000/versies",
        "/werkplek/kennisbank/kapot",
        "/werkplek/klantreizen",
        "/werkplek/klantreizen/nieuw",
        "/werkplek/klantreizen/0190f5c4-7a3e-7000-8000-000000000000",
        "/werkplek/klantreizen/0190f5c4-7a3e-7000-8000-000000000000?van=kapot&tm=2026-01-01",
        "/werkplek/klantreizen/kapot",
        "/werkplek/klantreizen/0190f5c4-7a3e-7000-8000-000000000000/kaart.csv",
        "/werkplek/klantreizen/0190f5c4-7a3e-7000-8000-000000000000/bewerken",
        "/werkplek/klantreizen/0190f5c4-7a3e-7000-8000-000000000000/stappen/nieuw",
        "/werkplek/klantreizen/0190f5c4-7a3e-7000-8000-000000000000/stappen/1",
        "/werkplek/klantreizen/0190f5c4-7a3e-7000-8000-000000000000/stappen/0",
        "/werkplek/kennisbank/vragen",
        "/werkplek/kennisbank/vragen?dagen=3&kanaal=nergens",
        "/werkplek/kennisbank/vragen.csv",
    ];
    let contact_page = format!("/werkplek/contacten/{some_id}");
    let forms = [
        "/werkplek/contacten".to_string(),
        format!("/werkplek/contacten/{some_id}/klant"),
        format!("/werkplek/contacten/{some_id}/nieuwe-klant"),
        format!("/werkplek/contacten/{some_id}/vragen"),
        format!("/werkplek/contacten/{some_id}/vragen/{some_id}/beantwoord"),
        format!("/werkplek/contacten/{some_id}/vragen/{some_id}/bevestigd"),
        format!("/werkplek/contacten/{some_id}/afsluiten"),
        format!("/werkplek/ruggespraak/{some_id}/antwoord"),
        format!("/werkplek/ruggespraak/{some_id}/artikel"),
        "/werkplek/artikelen/KB-1/gebruikt".to_string(),
        format!("/werkplek/wie-weet-wat/{some_id}"),
        "/werkplek/werkzaamheden".to_string(),
        format!("/werkplek/werkzaamheden/{some_id}"),
        format!("/werkplek/werkzaamheden/{some_id}/bericht"),
        "/werkplek/werkzaamheden/calamiteit".to_string(),
        format!("/werkplek/contacten/{some_id}/werkzaamheden"),
        format!("/werkplek/contacten/{some_id}/werkzaamheden/{some_id}/ontkoppelen"),
        format!("/werkplek/post/{some_id}/opnieuw"),
        format!("/werkplek/doorgestuurd/{some_id}/{some_id}/bevestigd"),
        format!("/werkplek/incidenten/{some_id}/bericht"),
        format!("/werkplek/incidenten/{some_id}/banier"),
        format!("/werkplek/incidenten/{some_id}/sluiten"),
        format!("/werkplek/zaken/{some_id}/nemen"),
        format!("/werkplek/zaken/{some_id}/overdragen"),
        format!("/werkplek/zaken/{some_id}/opschorten"),
        format!("/werkplek/zaken/{some_id}/hervatten"),
        format!("/werkplek/zaken/{some_id}/verlengen"),
        format!("/werkplek/zaken/{some_id}/status"),
        format!("/werkplek/zaken/{some_id}/afhandelen"),
        format!("/werkplek/zaken/{some_id}/notitie"),
        format!("/werkplek/zaken/{some_id}/bericht"),
        format!("/werkplek/zaken/{some_id}/vraag-team"),
        format!("/werkplek/taken/{some_id}/antwoord"),
        format!("/werkplek/team/{some_id}/doelen"),
        format!("/werkplek/team/{some_id}/notities"),
        format!("/werkplek/team/acties/{some_id}"),
        "/werkplek/kennisbank/nieuw".to_string(),
        "/werkplek/kennisbank/synoniemen".to_string(),
        format!("/werkplek/kennisbank/{some_id}"),
        format!("/werkplek/kennisbank/{some_id}/status"),
        "/werkplek/klantreizen/nieuw".to_string(),
        format!("/werkplek/klantreizen/{some_id}/bewerken"),
        format!("/werkplek/klantreizen/{some_id}/stappen/nieuw"),
        format!("/werkplek/klantreizen/{some_id}/stappen/1"),
        format!("/werkplek/klantreizen/{some_id}/stappen/1/verplaatsen"),
        format!("/werkplek/klantreizen/{some_id}/stappen/1/verwijderen"),
        "/werkplek/kennisbank/vragen/artikel".to_string(),
        "/werkplek/vergelijking/code".to_string(),
        "/werkplek/vergelijking/publiceren".to_string(),
        "/werkplek/vergelijking/intrekken".to_string(),
    ];
    for page in pages.iter().copied().chain([contact_page.as_str()]) {
        assert_eq!(send(&app, "GET", page, &[], None, &[]).await.location.as_deref(), Some("/inloggen"), "{page}");
    }
    for role in ["kcc", "backoffice", "teamleider", "redacteur", "beheerder"] {
        let (session, _) = sign_in(&app, &format!("matrix-{role}"), &[role]).await;
        for page in pages.iter().copied().chain([contact_page.as_str()]) {
            let answer = send(&app, "GET", page, &[&session], None, &[]).await;
            assert!(!answer.status.is_server_error(), "GET {page} as {role}: {}", answer.status);
        }
        let start = send(&app, "GET", "/werkplek", &[&session], None, &[]).await.status;
        let want = if role == "redacteur" { StatusCode::FORBIDDEN } else { StatusCode::OK };
        assert_eq!(start, want, "/werkplek as {role}");
        let forwards = send(&app, "GET", "/werkplek/doorgestuurd", &[&session], None, &[]).await.status;
        assert_eq!(forwards, want, "/werkplek/doorgestuurd as {role}");
        let outbox = send(&app, "GET", "/werkplek/post", &[&session], None, &[]).await.status;
        let want = if matches!(role, "teamleider" | "beheerder") { StatusCode::OK } else { StatusCode::FORBIDDEN };
        assert_eq!(outbox, want, "/werkplek/post as {role}");
        let comparison = send(&app, "GET", "/werkplek/vergelijking", &[&session], None, &[]).await.status;
        assert_eq!(comparison, want, "/werkplek/vergelijking as {role}");
        let want = if matches!(role, "redacteur" | "beheerder") { StatusCode::OK } else { StatusCode::FORBIDDEN };
        for page in ["/werkplek/kennisbank", "/werkplek/kennisbank/nieuw", "/werkplek/kennisbank/synoniemen"] {
            let status = send(&app, "GET", page, &[&session], None, &[]).await.status;
            assert_eq!(status, want, "{page} as {role}");
        }
        let journeys = send(&app, "GET", "/werkplek/klantreizen", &[&session], None, &[]).await.status;
        assert_eq!(journeys, StatusCode::OK, "/werkplek/klantreizen as {role}");
        let new_journey = send(&app, "GET", "/werkplek/klantreizen/nieuw", &[&session], None, &[]).await.status;
        let want = if matches!(role, "redacteur" | "beheerder") { StatusCode::OK } else { StatusCode::FORBIDDEN };
        assert_eq!(new_journey, want, "/werkplek/klantreizen/nieuw as {role}");
        for form in &forms {
            let answer = send(&app, "POST", form, &[&session], Some("csrf=vervalst"), &[]).await;
            assert_eq!(answer.status, StatusCode::FORBIDDEN, "POST {form} as {role} without the session's token");
        }
    }
}

#[tokio::test]
async fn team_leads_see_failed_mail_masked_and_retry_it() {
    use gastvrij_app::Principal;
    use gastvrij_domain::mail::{MailInput, MailKind, Retry};
    let app = spawn_app().await;
    let store = app.app.store().clone();
    let queue = |to: &str, subject: &str| MailInput {
        kind: MailKind::Ontvangstbevestiging,
        to: to.into(),
        subject: subject.into(),
        body: "Geheime inhoud van de mail".into(),
        reply_to: None,
    };
    let failed = app
        .app
        .queue_mail(&Principal::operator(), queue("jan.jansen@example.nl", "Uw melding <ontvangen>"))
        .await
        .unwrap();
    app.app.queue_mail(&Principal::operator(), queue("els@voorbeeld.nl", "Nog onderweg")).await.unwrap();
    let now = app.app.now();
    let claimed = store.due_mail(now, now + jiff::SignedDuration::from_mins(15), 1).await.unwrap();
    assert_eq!(claimed[0].mail.id, failed.id);
    store.mail_failed_attempt(failed.id, "refused: permanent error (550): no such user", Retry::GiveUp).await.unwrap();

    let (lead, csrf) = sign_in(&app, "leider", &["teamleider"]).await;
    let page = send(&app, "GET", "/werkplek/post", &[&lead], None, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    let b = &page.body;
    assert!(b.contains("<h1>Uitgaande post</h1>") && b.contains("href=\"/werkplek/post\">Uitgaande post</a>"));
    assert!(b.contains("<dt>Wacht op verzending</dt><dd>1</dd>") && b.contains("<dt>Mislukt</dt><dd>1</dd>"), "{b}");
    assert!(
        b.contains("Uw melding &#60;ontvangen&#62;")
            && b.contains("j***@example.nl")
            && b.contains("e***@voorbeeld.nl")
    );
    assert!(b.contains("refused: permanent error (550): no such user"));
    assert!(!b.contains("jan.jansen") && !b.contains("Geheime inhoud"), "no addresses, no content");
    let action = format!("/werkplek/post/{}/opnieuw", failed.id);
    assert!(b.contains(&format!("action=\"{action}\"")));

    let (agent, _) = sign_in(&app, "agent", &["kcc"]).await;
    let kcc_home = send(&app, "GET", "/werkplek", &[&agent], None, &[]).await;
    assert!(!kcc_home.body.contains("/werkplek/post"), "no link for roles that may not see it");
    assert_eq!(send(&app, "GET", "/werkplek/post", &[&agent], None, &[]).await.status, StatusCode::FORBIDDEN);

    assert_eq!(send(&app, "POST", &action, &[&lead], Some("csrf=vervalst"), &[]).await.status, StatusCode::FORBIDDEN);
    let retried = send(&app, "POST", &action, &[&lead], Some(&format!("csrf={csrf}")), &[]).await;
    assert_eq!(retried.location.as_deref(), Some("/werkplek/post?opnieuw=1"));
    let after = send(&app, "GET", "/werkplek/post?opnieuw=1", &[&lead], None, &[]).await.body;
    assert!(after.contains("De mail staat weer klaar") && after.contains("Geen mislukte mails."));
    assert!(after.contains("<dt>Wacht op verzending</dt><dd>2</dd>"));
    let again = send(&app, "POST", &action, &[&lead], Some(&format!("csrf={csrf}")), &[]).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "only failed mail is retried");

    let token = app.token_for("api-leider", &["teamleider"]).await;
    let (status, json) = app.get("/api/v1/mail?status=pending", Some(&token)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json["counts"], serde_json::json!({"pending": 2, "sent": 0, "failed": 0}));
    assert_eq!(json["mails"].as_array().unwrap().len(), 2);
    assert_eq!(json["mails"][1]["recipient"], "j***@example.nl");
    assert_eq!(json["mails"][1]["attempts"], 1);
    assert!(json["mails"][1].get("body").is_none() && !json.to_string().contains("jan.jansen"));
    assert_eq!(app.get("/api/v1/mail?status=kwijt", Some(&token)).await.0, StatusCode::BAD_REQUEST);
    let (status, _) = app.post(&format!("/api/v1/mail/{}/retry", failed.id), &token, serde_json::json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_contact_screen_shows_what_citizens_and_agents_typed_as_text() {
    let app = spawn_app().await;
    let (agent, csrf) = sign_in(&app, "agent", &["kcc"]).await;
    let started = send(
        &app,
        "POST",
        "/werkplek/contacten",
        &[&agent],
        Some(&format!("csrf={csrf}&channel=telefoon&waiting_seconds=5")),
        &[],
    )
    .await;
    let contact = started.location.expect("the new contact's page");
    // <script>alert('vraag')</script> & "zo", as the question and as the answer.
    let evil = "%3Cscript%3Ealert(%27vraag%27)%3C%2Fscript%3E+%26+%22zo%22";
    let recorded = send(
        &app,
        "POST",
        &format!("{contact}/vragen"),
        &[&agent],
        Some(&format!("csrf={csrf}&text={evil}&outcome=answered&answer={evil}")),
        &[],
    )
    .await;
    assert_eq!(recorded.location.as_deref(), Some(contact.as_str()), "{}", recorded.body);
    let screen = send(
        &app,
        "GET",
        &format!("{contact}?klant=%3Cb%3Evet%3C%2Fb%3E&melding=%3Cimg+src%3Dx+onerror%3Dalert(1)%3E"),
        &[&agent],
        None,
        &[],
    )
    .await;
    assert_eq!(screen.status, StatusCode::OK);
    let b = &screen.body;
    assert!(
        !b.contains("<script>alert") && !b.contains("<img") && !b.contains("<b>vet"),
        "nothing typed is markup: {b}"
    );
    assert!(
        b.contains("<strong>&#60;script&#62;alert(&#39;vraag&#39;)&#60;/script&#62; &#38; &#34;zo&#34;</strong>"),
        "{b}"
    );
    assert!(b.contains("Antwoord: &#60;script&#62;alert("), "the answer is text too");
    assert!(b.contains(r#"value="&#60;b&#62;vet&#60;/b&#62;""#), "the customer search keeps its text, escaped");
    assert!(b.contains("&#60;img src=x onerror=alert(1)&#62;"), "the notice is text");
    // The live results have their own column beside the work, filled while the agent types.
    assert!(b.contains(r#"<aside class="contactscherm__resultaten""#) && b.contains(r#"<div id="resultaten""#));
    assert!(b.contains(r#"<link rel="stylesheet" href="/static/werkplek.css">"#));
    let css = send(&app, "GET", "/static/werkplek.css", &[], None, &[]).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.body.contains(".contactscherm__resultaten") && css.body.contains("position: sticky"));

    // A forged form gets the staff message page, not a bare text.
    let forged = send(&app, "POST", &format!("{contact}/parkeren"), &[&agent], Some("csrf=vervalst"), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.body.contains(r#"role="alert""#) && forged.body.contains("Formulier verlopen"));
}

/// A question forwarded on Monday and not confirmed by the other body shows in the KCC's list on
/// Wednesday (two working days later), not before; confirming it there takes it off the list.
#[tokio::test]
async fn forwarded_questions_unconfirmed_after_two_working_days_are_listed_until_confirmed() {
    let app = spawn_app().await; // Monday 2 March 2026, 09:00 UTC
    let (agent, csrf) = sign_in(&app, "agent", &["kcc"]).await;
    let started =
        send(&app, "POST", "/werkplek/contacten", &[&agent], Some(&format!("csrf={csrf}&channel=telefoon")), &[]).await;
    let contact = started.location.expect("the new contact's page");
    for (text, outcome) in [("Stoep+kapot+na+werk", "forwarded&forwarded_to=Gemeente+Delft"), ("Aanslag", "answered")] {
        let recorded = send(
            &app,
            "POST",
            &format!("{contact}/vragen"),
            &[&agent],
            Some(&format!("csrf={csrf}&text={text}&outcome={outcome}")),
            &[],
        )
        .await;
        assert_eq!(recorded.location.as_deref(), Some(contact.as_str()), "{}", recorded.body);
    }
    // Sessions last a working day: each day an agent signs in again.
    let mut day_agent = (agent, csrf);
    for (i, (day, listed)) in
        [("2026-03-02T15:00:00Z", false), ("2026-03-03T15:00:00Z", false), ("2026-03-04T08:00:00Z", true)]
            .into_iter()
            .enumerate()
    {
        app.set_time(day);
        day_agent = sign_in(&app, &format!("agent-dag-{i}"), &["kcc"]).await;
        let page = send(&app, "GET", "/werkplek/doorgestuurd", &[&day_agent.0], None, &[]).await;
        assert_eq!(page.status, StatusCode::OK);
        assert_eq!(page.body.contains("Stoep kapot na werk"), listed, "{day}: {}", page.body);
        assert!(!page.body.contains("Aanslag"), "an answered question is not forwarded");
    }
    let (agent, csrf) = day_agent;
    let page = send(&app, "GET", "/werkplek/doorgestuurd", &[&agent], None, &[]).await;
    assert!(page.body.contains("Gemeente Delft"));
    let at = page.body.find("action=\"/werkplek/doorgestuurd/").expect("a confirm form") + "action=\"".len();
    let action = page.body[at..].split('"').next().unwrap().to_string();
    let confirmed = send(&app, "POST", &action, &[&agent], Some(&format!("csrf={csrf}")), &[]).await;
    assert_eq!(confirmed.location.as_deref(), Some("/werkplek/doorgestuurd?bevestigd=1"), "{}", confirmed.body);
    let after = send(&app, "GET", "/werkplek/doorgestuurd?bevestigd=1", &[&agent], None, &[]).await;
    assert!(after.body.contains("Vastgelegd") && !after.body.contains("Stoep kapot na werk"), "{}", after.body);
}

/// A peer's open-data file of 2026: `within` of 100 service-norm cases in time, every period.
fn peer_file(name: &str, within: u64) -> gastvrij_domain::open_data::OpenDataSet {
    use gastvrij_domain::open_data::{
        Indicator, OpenDataSet, OrganisationRef, Period, PeriodFigures, organisation_code,
    };
    let org = OrganisationRef { name: name.into(), code: organisation_code(name), inhabitants: 300_000 };
    let periods = Period::of_year(2026)
        .into_iter()
        .map(|p| PeriodFigures::new(p, vec![Indicator::share("norm_inhoudelijke_reactie", within, 100)]))
        .collect();
    OpenDataSet::new(org, 2026, periods)
}

#[tokio::test]
async fn team_leads_compare_their_figures_with_imported_peers_as_a_table_and_csv() {
    use gastvrij_app::Principal;
    let app = spawn_app().await;
    for (name, within) in [("Waterschap Noord", 93), ("Waterschap Zuid", 71)] {
        app.app.import_peer_figures(&Principal::operator(), &peer_file(name, within)).await.unwrap();
    }
    let (lead, _) = sign_in(&app, "leider", &["teamleider"]).await;
    let page = send(&app, "GET", "/werkplek/vergelijking?jaar=2026", &[&lead], None, &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    for expected in [
        "Waterschap Noord",
        "Waterschap Zuid",
        "Norm inhoudelijke reactie",
        "<td class=\"utrecht-table__cell\">93,0</td>",
        "93,0 (Waterschap Noord)",
        "Mediaan",
        "<svg width=\"200\"",
        "aria-hidden=\"true\"",
        "niet geleverd",
        "href=\"/werkplek/vergelijking.csv?jaar=2026\"",
    ] {
        assert!(page.body.contains(expected), "{expected} missing");
    }
    assert!(!page.body.contains("style="), "no inline style");

    let quarter = send(&app, "GET", "/werkplek/vergelijking?jaar=2026&kwartaal=2", &[&lead], None, &[]).await;
    assert!(quarter.body.contains("voor 2026-Q2"), "the quarter is shown");

    let csv = send(&app, "GET", "/werkplek/vergelijking.csv?jaar=2026", &[&lead], None, &[]).await;
    assert_eq!(csv.status, StatusCode::OK);
    let mut lines = csv.body.lines();
    assert_eq!(
        lines.next(),
        Some("period,code,unit,waterschap,waterschap-noord,waterschap-zuid,median,best,best_organisation")
    );
    assert!(
        csv.body.contains("\n2026,norm_inhoudelijke_reactie,percent,,93,71,82,93,Waterschap Noord\n"),
        "{}",
        csv.body
    );

    let (agent, _) = sign_in(&app, "agent", &["kcc"]).await;
    assert_eq!(
        send(&app, "GET", "/werkplek/vergelijking.csv", &[&agent], None, &[]).await.status,
        StatusCode::FORBIDDEN
    );
}
