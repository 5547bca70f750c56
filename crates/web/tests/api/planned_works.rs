//! The activity calendar (werkzaamheden) end to end: the public pages and search, the
//! subscription with double opt-in and one-click unsubscribe, the staff API with its roles, and
//! the workspace calendar, contact link and live search.

use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use crate::staff::{Answer, cookie_pair, send};
use axum::http::StatusCode;
use gastvrij_app::ports::AuditQuery;
use gastvrij_domain::mail::MailKind;
use gastvrij_domain::planned_works::SubscriptionState;
use serde_json::{Value, json};

fn hidden(html: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let at = html.find(&marker).unwrap_or_else(|| panic!("no {name} field in {html}")) + marker.len();
    html[at..].split('"').next().unwrap().to_string()
}

fn encode(v: &str) -> String {
    v.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            b' ' => "+".into(),
            other => format!("%{other:02X}"),
        })
        .collect()
}

fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{k}={}", encode(v))).collect::<Vec<_>>().join("&")
}

/// The works of the stories, relative to the test clock's today (2026-03-02).
async fn seed_works(app: &TestApp) -> (Value, Value, Value) {
    app.set_time("2026-03-02T09:00:00Z");
    let t = &app.admin;
    let create = |body: Value| async move {
        let (status, work) = app.post("/api/v1/planned-works", t, body).await;
        assert_eq!(status, StatusCode::CREATED, "{work}");
        work
    };
    let dike = create(json!({"title": "Dijkversterking Lekdijk", "what": "We maken de dijk hoger en breder.",
        "why": "Zodat de dijk sterk genoeg is bij hoog water.", "area": "2611-2619, 2625 AB",
        "starts_on": "2026-02-01", "ends_on": "2026-06-30", "contact": "Omgevingsmanager Lekdijk, 088 000 0001"}))
    .await;
    let dredge = create(json!({"title": "Baggeren Vliet", "what": "We halen slib uit de Vliet.",
        "why": "De Vliet is te ondiep geworden.", "area": "2650-2689, Den Hoorn",
        "starts_on": "2026-04-01", "ends_on": "2026-05-15", "contact": "Team Onderhoud, 088 000 0002"}))
    .await;
    let old = create(json!({"title": "Maaien bermen", "what": "Maaien.", "why": "Veiligheid.", "area": "2700",
        "starts_on": "2025-06-01", "ends_on": "2025-08-31", "contact": "Team Onderhoud"}))
    .await;
    (dike, dredge, old)
}

fn assert_page_rules(a: &Answer, what: &str) {
    assert!(a.body.len() < 50_000, "{what} is {} bytes", a.body.len());
    assert!(a.body.contains("lang=\"nl\""), "{what}");
    assert!(!a.body.contains("<script>") && !a.body.contains("style="), "{what} has inline script or style");
}

#[tokio::test]
async fn citizens_find_works_by_postcode_or_place_in_plain_dutch() {
    let app = spawn_app().await;
    let (dike, dredge, old) = seed_works(&app).await;

    let all = send(&app, "GET", "/werkzaamheden", &[], None, &[]).await;
    assert_eq!(all.status, StatusCode::OK);
    assert_page_rules(&all, "the list");
    assert!(all.body.contains("Dijkversterking Lekdijk") && all.body.contains("Baggeren Vliet"));
    assert!(!all.body.contains("Maaien bermen"), "ended works are not listed");
    assert!(
        all.body.contains("<strong>Nu bezig</strong>: van zondag 1 februari 2026 tot en met dinsdag 30 juni 2026.")
    );
    assert!(all.body.contains("<strong>Gepland</strong>"), "the phase is said in words, not by colour");
    assert!(
        all.body.contains("<label class=\"utrecht-form-label\" for=\"postcode\">")
            && all.body.contains("href=\"/werkzaamheden/aanmelden\"")
    );

    let found = send(&app, "GET", "/werkzaamheden?postcode=2611+ab", &[], None, &[]).await;
    assert_eq!(found.status, StatusCode::OK);
    assert!(found.body.contains("Werkzaamheden bij postcode 2611") && found.body.contains("Dijkversterking Lekdijk"));
    assert!(!found.body.contains("Baggeren Vliet"));
    assert!(found.body.contains("Wat gaan we doen?") && found.body.contains("Zodat de dijk sterk genoeg is"));
    assert!(found.body.contains("Omgevingsmanager Lekdijk, 088 000 0001"));
    assert!(found.body.contains("href=\"/werkzaamheden/aanmelden?postcode=2611+ab\""), "subscribe with the postcode");
    let place = send(&app, "GET", "/werkzaamheden?postcode=den+hoorn", &[], None, &[]).await;
    assert!(place.body.contains("Baggeren Vliet") && !place.body.contains("Dijkversterking Lekdijk"));
    let none = send(&app, "GET", "/werkzaamheden?postcode=9999", &[], None, &[]).await;
    assert_eq!(none.status, StatusCode::OK);
    assert!(none.body.contains("Wij hebben nu geen werkzaamheden gepland bij postcode 9999."), "{}", none.body);
    let past = send(&app, "GET", "/werkzaamheden?postcode=2700", &[], None, &[]).await;
    assert!(past.body.contains("geen werkzaamheden gepland"), "ended works are not found");

    for bad in ["12345", "26%3Cscript%3E", "%E2%9C%93%E2%9C%93"] {
        let refused = send(&app, "GET", &format!("/werkzaamheden?postcode={bad}"), &[], None, &[]).await;
        assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}");
        assert!(refused.body.contains("Dit is geen postcode of plaatsnaam."), "{bad}");
        assert!(
            refused.body.contains(r##"<a class="utrecht-link utrecht-link--html-a" href="#postcode">"##),
            "the summary links to the field"
        );
        assert!(refused.body.contains(r#"aria-invalid="true" aria-describedby="postcode-hulp postcode-fout""#));
        assert!(!refused.body.contains("<script>"), "input is escaped");
    }
    let kept = send(&app, "GET", "/werkzaamheden?postcode=12345", &[], None, &[]).await;
    assert!(kept.body.contains(r#"value="12345""#), "the input is kept");
    let escaped = send(&app, "GET", "/werkzaamheden?postcode=26%3Cscript%3E", &[], None, &[]).await;
    assert!(escaped.body.contains(r#"value="26&#60;script&#62;""#));

    let id = dike["id"].as_str().unwrap();
    let one = send(&app, "GET", &format!("/werkzaamheden/werk/{id}"), &[], None, &[]).await;
    assert_eq!(one.status, StatusCode::OK);
    assert_page_rules(&one, "a work's page");
    assert!(
        one.body.contains("<h1 class=\"utrecht-heading-1\" id=\"werk-")
            && one.body.contains("We maken de dijk hoger en breder.")
    );
    let ended =
        send(&app, "GET", &format!("/werkzaamheden/werk/{}", old["id"].as_str().unwrap()), &[], None, &[]).await;
    assert!(ended.body.contains("<strong>Afgelopen</strong>"));
    for missing in ["/werkzaamheden/werk/geen-id", "/werkzaamheden/werk/0190f5c4-7a3e-7000-8000-000000000000"] {
        let gone = send(&app, "GET", missing, &[], None, &[]).await;
        assert_eq!(gone.status, StatusCode::NOT_FOUND, "{missing}");
        assert!(gone.body.contains("Niet gevonden"));
    }
    let _ = dredge;
}

#[tokio::test]
async fn a_long_calendar_is_paged_and_long_texts_are_cut() {
    let app = spawn_app().await;
    app.set_time("2026-03-02T09:00:00Z");
    for n in 0..23 {
        let (status, _) = app
            .post(
                "/api/v1/planned-works",
                &app.admin,
                json!({"title": format!("Werk {n:02}"), "what": "woord ".repeat(600), "why": "reden ".repeat(600),
                       "area": "2611", "starts_on": "2026-03-01", "ends_on": format!("2026-04-{:02}", n + 1),
                       "contact": "088 000 0000"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let first = send(&app, "GET", "/werkzaamheden", &[], None, &[]).await;
    assert_page_rules(&first, "page 1");
    assert!(first.body.contains("Volgende pagina") && !first.body.contains("Vorige pagina"));
    assert!(first.body.contains("Lees alles over Werk 00"));
    let second = send(&app, "GET", "/werkzaamheden?pagina=2", &[], None, &[]).await;
    assert!(second.body.contains("Werk 22") && second.body.contains("Vorige pagina"));
    let search = send(&app, "GET", "/werkzaamheden?postcode=2611", &[], None, &[]).await;
    assert_page_rules(&search, "the search");
}

async fn subscribe_form(app: &TestApp) -> (String, String) {
    let page = send(app, "GET", "/werkzaamheden/aanmelden?postcode=2611AB", &[], None, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_page_rules(&page, "the subscribe form");
    assert!(page.body.contains(r#"value="2611AB""#), "the postcode comes along from the search");
    assert!(
        page.body.contains(r#"<label class="utrecht-form-label" for="email">"#)
            && page.body.contains(r#"name="website""#)
    );
    (cookie_pair(&page, "gv_formulier"), hidden(&page.body, "csrf"))
}

async fn requested(app: &TestApp) -> Vec<String> {
    let query = AuditQuery { page: gastvrij_app::Page::first(500), ..Default::default() };
    app.app
        .store()
        .audit_log(&query)
        .await
        .unwrap()
        .into_iter()
        .filter(|e| e.action == "subscription.requested")
        .map(|e| e.entity_id)
        .collect()
}

/// Post the subscribe form with the cookie and token of `subscribe_form`.
async fn post_subscription(app: &TestApp, cookie: &str, csrf: &str, email: &str, postcode: &str) -> Answer {
    let body = form(&[("csrf", csrf), ("email", email), ("postcode", postcode)]);
    send(app, "POST", "/werkzaamheden/aanmelden", &[cookie], Some(&body), &[]).await
}

#[tokio::test]
async fn subscribing_refuses_forgery_bots_and_bad_input_and_never_tells_who_is_subscribed() {
    let app = spawn_app().await;
    let (cookie, csrf) = subscribe_form(&app).await;
    let post = |cookies: Vec<String>, body: String| {
        let app = &app;
        async move {
            let refs: Vec<&str> = cookies.iter().map(String::as_str).collect();
            send(app, "POST", "/werkzaamheden/aanmelden", &refs, Some(&body), &[]).await
        }
    };

    let forged = post(vec![], form(&[("csrf", &csrf), ("email", "jan@example.nl"), ("postcode", "2611 AB")])).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.body.contains("Het formulier was verlopen") && forged.body.contains(r#"value="jan@example.nl""#));
    let bot = post(
        vec![cookie.clone()],
        form(&[("csrf", &csrf), ("email", "jan@example.nl"), ("postcode", "2611 AB"), ("website", "spam")]),
    )
    .await;
    assert_eq!(bot.status, StatusCode::UNPROCESSABLE_ENTITY);
    let bad = post(vec![cookie.clone()], form(&[("csrf", &csrf), ("email", "jan@"), ("postcode", "26111")])).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_page_rules(&bad, "the refused form");
    assert!(bad.body.contains("Er zijn nog 2 dingen niet goed"));
    assert!(bad.body.contains(r##"<a class="utrecht-link utrecht-link--html-a" href="#email">Dit is geen e-mailadres. Schrijf het zo: naam@voorbeeld.nl.</a>"##));
    assert!(
        bad.body.contains(r##"<a class="utrecht-link utrecht-link--html-a" href="#postcode">Dit is geen postcode."##)
    );
    assert!(bad.body.contains(r#"value="jan@""#) && bad.body.contains(r#"value="26111""#), "input is kept");
    assert!(bad.body.contains(r#"id="email" name="email" type="email" autocomplete="email" maxlength="254" value="jan@" aria-invalid="true" aria-describedby="email-fout""#));
    let empty = post(vec![cookie.clone()], form(&[("csrf", &csrf)])).await;
    assert!(empty.body.contains("Vul uw e-mailadres in.") && empty.body.contains("Vul uw postcode in."));
    let garbage = post(vec![cookie.clone()], "%%%=&&==".to_string()).await;
    assert!(!garbage.status.is_server_error(), "{}", garbage.status);
    assert!(requested(&app).await.is_empty(), "nothing stored for refused forms");
    assert!(queued_mails(&app).await.is_empty(), "and no mail queued");

    let ok =
        post(vec![cookie.clone()], form(&[("csrf", &csrf), ("email", "Jan@Example.nl"), ("postcode", "2611ab")])).await;
    assert_eq!(
        (ok.status, ok.location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/werkzaamheden/aanmelden/verstuurd"))
    );
    let again =
        post(vec![cookie.clone()], form(&[("csrf", &csrf), ("email", "jan@example.nl"), ("postcode", "2611 AB")]))
            .await;
    assert_eq!(again.location, ok.location, "the same answer for an address that was subscribed already");
    let ids = requested(&app).await;
    assert_eq!(ids.len(), 2);
    assert_eq!(ids[0], ids[1], "no duplicate subscription");
    let sent = send(&app, "GET", "/werkzaamheden/aanmelden/verstuurd", &[], None, &[]).await;
    assert!(sent.body.contains("Kijk in uw e-mail"));
    assert!(!sent.body.contains("example.nl"));
}

#[tokio::test]
async fn subscribing_again_sends_no_new_mail_within_a_day_and_one_address_gets_three_a_day_at_most() {
    let app = spawn_app_with(|s| s.with_submission_limit(0)).await;
    let (cookie, csrf) = subscribe_form(&app).await;
    let subscribe = async |email: &str, postcode: &str| {
        let answer = post_subscription(&app, &cookie, &csrf, email, postcode).await;
        assert_eq!(answer.location.as_deref(), Some("/werkzaamheden/aanmelden/verstuurd"), "the same answer");
    };
    subscribe("jan@example.nl", "2611 AB").await;
    assert_eq!(queued_mails(&app).await.len(), 1);
    for _ in 0..3 {
        subscribe("Jan@Example.nl", "2611AB").await;
    }
    assert!(queued_mails(&app).await.is_empty(), "a pending confirmation of today is not sent again");
    let page = send(&app, "GET", "/werkzaamheden/aanmelden/verstuurd", &[], None, &[]).await;
    assert!(page.body.contains("Dan hebben we u al een e-mail gestuurd"), "{}", page.body);

    // Other postcodes: two more mails to this address today, then none.
    subscribe("jan@example.nl", "2612 AB").await;
    subscribe("jan@example.nl", "2613 AB").await;
    assert_eq!(queued_mails(&app).await.len(), 2);
    subscribe("jan@example.nl", "2614 AB").await;
    assert!(queued_mails(&app).await.is_empty(), "at most three confirmation mails per address a day");
    subscribe("piet@example.nl", "2614 AB").await;
    assert_eq!(queued_mails(&app).await.len(), 1, "another address is not held back");

    // The next day the mails go out again.
    let next_day = app.app.now() + jiff::SignedDuration::from_hours(25);
    app.set_time(&next_day.to_string());
    subscribe("jan@example.nl", "2614 AB").await;
    let mails: Vec<_> = queued_mails(&app).await.into_iter().filter(|m| m.created_at >= next_day).collect();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].body.contains("2614 AB"));
}

#[tokio::test]
async fn subscriptions_are_rate_limited_per_address() {
    let app = spawn_app_with(|s| s.with_submission_limit(2)).await;
    let (cookie, csrf) = subscribe_form(&app).await;
    let mut statuses = vec![];
    for n in 0..3 {
        statuses.push(post_subscription(&app, &cookie, &csrf, &format!("p{n}@example.nl"), "2611 AB").await.status);
    }
    assert_eq!(statuses, vec![StatusCode::SEE_OTHER, StatusCode::SEE_OTHER, StatusCode::TOO_MANY_REQUESTS]);
    assert_eq!(requested(&app).await.len(), 2);
}

#[tokio::test]
async fn unknown_links_get_a_dutch_page_not_an_error() {
    let app = spawn_app().await;
    let token = "ab".repeat(24);
    for path in [
        format!("/werkzaamheden/aanmelding/{token}"),
        format!("/werkzaamheden/afmelden/{token}"),
        "/werkzaamheden/aanmelding/kort".to_string(),
        "/werkzaamheden/afmelden/%3Cscript%3E".to_string(),
    ] {
        let page = send(&app, "GET", &path, &[], None, &[]).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("Deze link werkt niet (meer)"), "{path}");
    }
    let one_click =
        send(&app, "POST", &format!("/werkzaamheden/afmelden/{token}"), &[], Some("List-Unsubscribe=One-Click"), &[])
            .await;
    assert_eq!(one_click.status, StatusCode::NOT_FOUND);
    let forged = send(&app, "POST", &format!("/werkzaamheden/afmelden/{token}"), &[], Some("csrf=x"), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "a button press needs the form's token");
}

#[tokio::test]
async fn the_staff_api_keeps_works_with_english_errors_and_checks_roles() {
    let app = spawn_app().await;
    let t = &app.admin;
    let kcc = app.token_for("agent", &["kcc"]).await;
    let editor = app.token_for("redactie", &["redacteur"]).await;
    let lead = app.token_for("leider", &["teamleider"]).await;
    let back = app.token_for("achter", &["backoffice"]).await;
    let body = json!({"title": "Vervanging gemaal De Lier", "what": "Een nieuw gemaal.", "why": "Het oude is versleten.",
        "area": "2678, De Lier", "starts_on": "2026-05-01", "ends_on": "2026-11-30", "contact": "Projectteam gemaal"});

    let mut wrong = body.clone();
    wrong["area"] = json!("2611-26x9, Delft");
    let (status, error) = app.post("/api/v1/planned-works", &editor, wrong).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(error["field"], "area");
    assert!(error["error"].as_str().unwrap().contains("'2611-26x9' is not a postcode range"), "{error}");
    let mut backwards = body.clone();
    backwards["ends_on"] = json!("2026-04-01");
    let (status, error) = app.post("/api/v1/planned-works", &editor, backwards).await;
    assert_eq!((status, error["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("ends_on")));
    let (status, _) = app.post("/api/v1/planned-works", &editor, json!({"title": 5})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(app.post("/api/v1/planned-works", &kcc, body.clone()).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.post("/api/v1/planned-works", &back, body.clone()).await.0, StatusCode::FORBIDDEN);
    let (status, work) = app.post("/api/v1/planned-works", &editor, body.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{work}");
    assert_eq!(
        work["areas"],
        json!([{"kind": "postcodes", "from": 2678, "to": 2678}, {"kind": "place", "name": "De Lier"}])
    );
    let id = work["id"].as_str().unwrap();

    let mut changed = body.clone();
    changed["area"] = json!("2678-2679");
    let (status, updated) = app.put(&format!("/api/v1/planned-works/{id}"), &lead, changed.clone()).await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["area"], "2678-2679");
    assert_eq!(app.put(&format!("/api/v1/planned-works/{id}"), &kcc, changed.clone()).await.0, StatusCode::FORBIDDEN);
    let mut bad = changed.clone();
    bad["area"] = json!("");
    let (status, error) = app.put(&format!("/api/v1/planned-works/{id}"), t, bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(error["error"].as_str().unwrap().starts_with("area: is empty"), "{error}");
    let (_, read) = app.get(&format!("/api/v1/planned-works/{id}"), Some(&kcc)).await;
    assert_eq!(read["area"], "2678-2679", "a refused change changed nothing");
    let (status, list) = app.get("/api/v1/planned-works", Some(&back)).await;
    assert_eq!((status, list.as_array().map(Vec::len)), (StatusCode::OK, Some(1)));
    assert_eq!(app.get("/api/v1/planned-works?limit=0", Some(&kcc)).await.0, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(app.get("/api/v1/planned-works/geen-id", Some(&kcc)).await.0, StatusCode::BAD_REQUEST);

    let (status, contact) = app.post("/api/v1/contacts", &kcc, json!({"channel": "telefoon"})).await;
    assert_eq!(status, StatusCode::CREATED, "{contact}");
    let link = format!("/api/v1/contacts/{}/planned-works/{id}", contact["id"].as_str().unwrap());
    assert_eq!(app.post(&link, &editor, json!({})).await.0, StatusCode::FORBIDDEN);
    assert_eq!(app.post(&link, &kcc, json!({})).await.0, StatusCode::NO_CONTENT);
    assert_eq!(app.post(&link, &kcc, json!({})).await.0, StatusCode::NO_CONTENT, "linking twice is fine");
    let missing = format!(
        "/api/v1/contacts/{}/planned-works/0190f5c4-7a3e-7000-8000-000000000000",
        contact["id"].as_str().unwrap()
    );
    assert_eq!(app.post(&missing, &kcc, json!({})).await.0, StatusCode::NOT_FOUND);

    let notify = format!("/api/v1/planned-works/{id}/notify");
    assert_eq!(app.post(&notify, &kcc, json!({})).await.0, StatusCode::FORBIDDEN);
    let (status, report) = app.post(&notify, &editor, json!({"text": "Het werk begint later."})).await;
    assert_eq!((status, &report), (StatusCode::OK, &json!({"queued": 0})), "nobody subscribed yet");
}

async fn sign_in(app: &TestApp, username: &str, roles: &[&str]) -> (String, String) {
    app.token_for(username, roles).await;
    let page = send(app, "GET", "/inloggen", &[], None, &[]).await;
    let login = cookie_pair(&page, "gv_inlog");
    let body =
        form(&[("csrf", &hidden(&page.body, "csrf")), ("username", username), ("password", "een lang testwachtwoord")]);
    let ok = send(app, "POST", "/inloggen", &[&login], Some(&body), &[]).await;
    let session = cookie_pair(&ok, "gv_sessie");
    let home = send(app, "GET", "/medewerkers", &[&session], None, &[]).await;
    (session, hidden(&home.body, "csrf"))
}

/// Post the form that links a work to the contact at `contact` (a contact screen's path).
async fn link_work(app: &TestApp, contact: &str, agent: &str, body: &str) -> Answer {
    send(app, "POST", &format!("{contact}/werkzaamheden"), &[agent], Some(body), &[]).await
}

#[tokio::test]
async fn the_kcc_sees_the_calendar_links_contacts_and_finds_works_while_typing() {
    let app = spawn_app().await;
    let (dike, dredge, _) = seed_works(&app).await;
    let (agent, csrf) = sign_in(&app, "agent", &["kcc"]).await;
    let dike_id = dike["id"].as_str().unwrap();

    let calendar = send(&app, "GET", "/werkplek/werkzaamheden", &[&agent], None, &[]).await;
    assert_eq!(calendar.status, StatusCode::OK);
    assert!(calendar.body.contains("Dijkversterking Lekdijk") && calendar.body.contains("Baggeren Vliet"));
    assert!(!calendar.body.contains("Nieuw werk"), "the KCC reads, editors write");
    assert!(calendar.body.contains("href=\"/werkplek/werkzaamheden\">Werkzaamheden</a>"), "in the navigation");

    let started =
        send(&app, "POST", "/werkplek/contacten", &[&agent], Some(&format!("csrf={csrf}&channel=telefoon")), &[]).await;
    let contact = started.location.expect("the new contact");
    let screen = send(&app, "GET", &contact, &[&agent], None, &[]).await;
    assert!(screen.body.contains("Koppel aan dit contact") && screen.body.contains(&format!("value=\"{dike_id}\"")));
    let forged = link_work(&app, &contact, &agent, &format!("csrf=x&work_id={dike_id}")).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let none = link_work(&app, &contact, &agent, &format!("csrf={csrf}&work_id=")).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    let linked = link_work(&app, &contact, &agent, &format!("csrf={csrf}&work_id={dike_id}")).await;
    assert_eq!(linked.status, StatusCode::SEE_OTHER);
    let screen = send(&app, "GET", &contact, &[&agent], None, &[]).await;
    assert!(screen.body.contains("Ontkoppel Dijkversterking Lekdijk"));
    let calendar = send(&app, "GET", "/werkplek/werkzaamheden", &[&agent], None, &[]).await;
    assert!(
        calendar.body.contains(
            r#"<td class="utrecht-table__cell">2611-2619, 2625 AB</td><td class="utrecht-table__cell">1</td>"#
        ),
        "one contact about the dike: {}",
        calendar.body
    );

    let live =
        send(&app, "GET", "/werkplek/zoeken?q=wanneer+is+de+dijk+bij+2612+AB+klaar&deel=1", &[&agent], None, &[]).await;
    assert_eq!(live.status, StatusCode::OK);
    assert!(live.body.contains("Werkzaamheden") && live.body.contains("Dijkversterking Lekdijk"), "{}", live.body);
    let by_word = send(&app, "GET", "/werkplek/zoeken?q=baggeren&deel=1", &[&agent], None, &[]).await;
    assert!(by_word.body.contains("Baggeren Vliet") && !by_word.body.contains("Dijkversterking"));
    let _ = dredge;
}

/// Post the calamity form (flooding of the Dijkweg) for `area`.
async fn send_calamity(app: &TestApp, editor: &str, csrf: &str, area: &str) -> Answer {
    let body = form(&[
        ("csrf", csrf),
        ("subject", "Wateroverlast"),
        ("text", "De Dijkweg staat onder water."),
        ("area", area),
    ]);
    send(app, "POST", "/werkplek/werkzaamheden/calamiteit", &[editor], Some(&body), &[]).await
}

#[tokio::test]
async fn editors_keep_works_in_the_workspace_with_dutch_errors_and_input_kept() {
    let app = spawn_app().await;
    let (dike, _, _) = seed_works(&app).await;
    let (editor, csrf) = sign_in(&app, "redactie", &["redacteur"]).await;
    let list = send(&app, "GET", "/werkplek/werkzaamheden", &[&editor], None, &[]).await;
    assert!(list.body.contains("Nieuw werk") && list.body.contains(r#"for="werk-gebied">Gebied</label>"#));
    let typed = [
        ("csrf", csrf.as_str()),
        ("title", "Vervanging gemaal De Lier"),
        ("what", "Een nieuw gemaal."),
        ("why", "Het oude is versleten."),
        ("area", "2678, 26x9"),
        ("starts_on", "2026-05-01"),
        ("ends_on", "2026-11-30"),
        ("contact", "Projectteam gemaal"),
    ];
    let refused = send(&app, "POST", "/werkplek/werkzaamheden", &[&editor], Some(&form(&typed)), &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Controleer het gebied: &#39;26x9&#39; is geen reeks postcodes"), "{}", refused.body);
    assert!(
        refused.body.contains(r#"value="Vervanging gemaal De Lier""#) && refused.body.contains("Een nieuw gemaal.")
    );
    let mut good = typed;
    good[4] = ("area", "2678, De Lier");
    let saved = send(&app, "POST", "/werkplek/werkzaamheden", &[&editor], Some(&form(&good)), &[]).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER);
    let page = send(&app, "GET", saved.location.as_deref().unwrap(), &[&editor], None, &[]).await;
    assert!(page.body.contains("Het werk is opgeslagen.") && page.body.contains("Stuur bericht aan abonnees"));

    let id = dike["id"].as_str().unwrap();
    let sent = send(
        &app,
        "POST",
        &format!("/werkplek/werkzaamheden/{id}/bericht"),
        &[&editor],
        Some(&form(&[("csrf", &csrf), ("text", "")])),
        &[],
    )
    .await;
    assert_eq!(sent.location.as_deref(), Some(format!("/werkplek/werkzaamheden/{id}?verstuurd=0").as_str()));
    let places = send_calamity(&app, &editor, &csrf, "Den Hoorn").await;
    assert_eq!(places.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        places.body.contains("Controleer het gebied: noemt geen postcode")
            && places.body.contains("De Dijkweg staat onder water.")
    );
    let calamity = send_calamity(&app, &editor, &csrf, "2611-2619").await;
    assert_eq!(calamity.location.as_deref(), Some("/werkplek/werkzaamheden?verstuurd=0"));
    let (agent, agent_csrf) = sign_in(&app, "agent", &["kcc"]).await;
    let work = send(&app, "GET", &format!("/werkplek/werkzaamheden/{id}"), &[&agent], None, &[]).await;
    assert!(!work.body.contains("Stuur bericht aan abonnees"), "only editors send news");
    let refused = send(
        &app,
        "POST",
        &format!("/werkplek/werkzaamheden/{id}/bericht"),
        &[&agent],
        Some(&form(&[("csrf", &agent_csrf)])),
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

/// The mails waiting in the outbox (claimed, so each is read once).
async fn queued_mails(app: &TestApp) -> Vec<gastvrij_domain::mail::OutgoingMail> {
    let now = app.app.now();
    let claimed = app.app.store().due_mail(now, now + jiff::SignedDuration::from_mins(15), 100).await.unwrap();
    claimed.into_iter().map(|c| c.mail).collect()
}

/// The path of the first link in a mail body that starts with `prefix` (after the host).
fn link_in(body: &str, prefix: &str) -> String {
    let at = body.find(prefix).unwrap_or_else(|| panic!("no {prefix} link in {body}"));
    body[at..].split_whitespace().next().unwrap().to_string()
}

async fn subscription_state(app: &TestApp, unsubscribe_path: &str) -> SubscriptionState {
    let token = unsubscribe_path.rsplit('/').next().unwrap();
    let hash = gastvrij_app::portal::token_hash(token);
    app.app.store().subscription_by_unsubscribe_hash(&hash).await.unwrap().expect("the subscription").state()
}

#[tokio::test]
async fn subscribers_confirm_get_news_and_leave_in_one_click_by_the_links_in_their_mail() {
    let app = spawn_app().await;
    let (dike, _, _) = seed_works(&app).await;
    let editor = app.token_for("redactie", &["redacteur"]).await;
    let (cookie, csrf) = subscribe_form(&app).await;
    let subscribe = async |email: &str, postcode: &str| {
        let answer = post_subscription(&app, &cookie, &csrf, email, postcode).await;
        assert_eq!(answer.status, StatusCode::SEE_OTHER, "{}", answer.body);
    };

    subscribe("Jan@Example.nl", "2611 AB").await;
    let mails = queued_mails(&app).await;
    assert_eq!(mails.len(), 1, "one confirmation mail, queued with the subscription");
    let first = &mails[0];
    assert_eq!((first.kind, first.to.as_str()), (MailKind::Aanmelding, "Jan@example.nl"));
    assert!(first.subject.starts_with("Bevestig uw aanmelding"));
    let confirm_link = link_in(&first.body, "http://localhost:8080/werkzaamheden/aanmelding/");
    let unsubscribe_link = link_in(&first.body, "http://localhost:8080/werkzaamheden/afmelden/");
    let confirm = confirm_link.trim_start_matches("http://localhost:8080").to_string();
    let unsubscribe = unsubscribe_link.trim_start_matches("http://localhost:8080").to_string();
    assert_eq!(subscription_state(&app, &unsubscribe).await, SubscriptionState::Pending);

    // Subscribing again the same day sends nothing new: the first link still works.
    subscribe("jan@example.nl", "2611AB").await;
    assert!(queued_mails(&app).await.is_empty(), "no second mail within a day");
    assert_eq!(send(&app, "GET", &confirm, &[], None, &[]).await.status, StatusCode::OK);

    // A day later it sends a new confirmation; the old link no longer works, the unsubscribe
    // link stays the same.
    let next_day = app.app.now() + jiff::SignedDuration::from_hours(25);
    app.set_time(&next_day.to_string());
    subscribe("jan@example.nl", "2611AB").await;
    // (Yesterday's claimed mails are due again, as after a crashed delivery: left out here.)
    let again: Vec<_> = queued_mails(&app).await.into_iter().filter(|m| m.created_at >= next_day).collect();
    assert_eq!(again.len(), 1);
    let new_confirm =
        link_in(&again[0].body, "http://localhost:8080/werkzaamheden/aanmelding/").replace("http://localhost:8080", "");
    assert_ne!(new_confirm, confirm);
    assert_eq!(link_in(&again[0].body, "http://localhost:8080/werkzaamheden/afmelden/"), unsubscribe_link);
    let stale = send(&app, "GET", &confirm, &[], None, &[]).await;
    assert_eq!(stale.status, StatusCode::NOT_FOUND);

    let nobody =
        app.post(&format!("/api/v1/planned-works/{}/notify", dike["id"].as_str().unwrap()), &editor, json!({})).await;
    assert_eq!(nobody.1, json!({"queued": 0}), "a pending subscriber gets no news");

    // Following the link (as a mail scanner does) confirms nothing: it shows a button.
    let page = send(&app, "GET", &new_confirm, &[], None, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_page_rules(&page, "the confirmation page");
    assert_eq!(page.body.matches("<button").count(), 1, "one button");
    assert!(page.body.contains("Aanmelding bevestigen") && page.body.contains("2611 AB"));
    assert!(page.body.contains(&format!(r#"action="{new_confirm}""#)), "the button confirms: {}", page.body);
    assert!(!page.body.contains("Uw aanmelding is bevestigd"));
    assert_eq!(subscription_state(&app, &unsubscribe).await, SubscriptionState::Pending, "a GET confirms nothing");
    let forged = send(&app, "POST", &new_confirm, &[], Some("csrf=x"), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN, "a button press needs the form's token");
    assert_eq!(subscription_state(&app, &unsubscribe).await, SubscriptionState::Pending);

    // Pressing the button confirms.
    let form_cookie = cookie_pair(&page, "gv_formulier");
    let pressed = form(&[("csrf", &hidden(&page.body, "csrf"))]);
    let confirmed = send(&app, "POST", &new_confirm, &[&form_cookie], Some(&pressed), &[]).await;
    assert_eq!(confirmed.status, StatusCode::OK);
    assert_page_rules(&confirmed, "the confirmation");
    assert!(confirmed.body.contains("Uw aanmelding is bevestigd") && confirmed.body.contains("2611 AB"));
    assert_eq!(subscription_state(&app, &unsubscribe).await, SubscriptionState::Confirmed);
    let again = send(&app, "POST", &new_confirm, &[&form_cookie], Some(&pressed), &[]).await;
    assert_eq!(again.status, StatusCode::OK, "a second press is fine");
    let later = send(&app, "GET", &new_confirm, &[], None, &[]).await;
    assert!(later.body.contains("Uw aanmelding is bevestigd"), "the link of a confirmed subscription says so");

    subscribe("piet@example.nl", "2650 AA").await; // another area
    let _ = queued_mails(&app).await;
    let (status, report) = app
        .post(
            &format!("/api/v1/planned-works/{}/notify", dike["id"].as_str().unwrap()),
            &editor,
            json!({"text": "Vanaf maandag is de Dijkweg dicht."}),
        )
        .await;
    assert_eq!((status, &report), (StatusCode::OK, &json!({"queued": 1})));
    let news = queued_mails(&app).await;
    assert_eq!(news.len(), 1);
    assert_eq!((news[0].kind, news[0].to.as_str()), (MailKind::Bericht, "Jan@example.nl"));
    assert_eq!(news[0].subject, "Werkzaamheden bij u in de buurt: Dijkversterking Lekdijk");
    assert!(
        news[0].body.contains("Vanaf maandag is de Dijkweg dicht.") && news[0].body.contains("We maken de dijk hoger")
    );
    assert_eq!(
        link_in(&news[0].body, "http://localhost:8080/werkzaamheden/afmelden/"),
        unsubscribe_link,
        "the same link"
    );
    assert_eq!(news[0].list_unsubscribe.as_deref(), Some(unsubscribe_link.as_str()), "also as the header's link");

    let page = send(&app, "GET", &unsubscribe, &[], None, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_page_rules(&page, "the unsubscribe page");
    assert_eq!(page.body.matches("<button").count(), 1, "one button");
    assert!(page.body.contains("Ja, meld mij af") && page.body.contains("2611 AB"), "{}", page.body);
    assert!(page.body.contains(&format!(r#"action="{unsubscribe}""#)), "the button unsubscribes: {}", page.body);
    // RFC 8058: the mail program posts without the page's cookie.
    let one_click = send(&app, "POST", &unsubscribe, &[], Some("List-Unsubscribe=One-Click"), &[]).await;
    assert_eq!(one_click.status, StatusCode::OK);
    assert!(one_click.body.contains("U bent afgemeld"));
    assert_eq!(subscription_state(&app, &unsubscribe).await, SubscriptionState::Unsubscribed);
    let twice = send(&app, "POST", &unsubscribe, &[], Some("List-Unsubscribe=One-Click"), &[]).await;
    assert_eq!(twice.status, StatusCode::OK);
    assert!(send(&app, "GET", &unsubscribe, &[], None, &[]).await.body.contains("U bent afgemeld"));
    assert_eq!(
        send(&app, "GET", &new_confirm, &[], None, &[]).await.status,
        StatusCode::NOT_FOUND,
        "no way back in by an old link"
    );
    let (_, report) =
        app.post(&format!("/api/v1/planned-works/{}/notify", dike["id"].as_str().unwrap()), &editor, json!({})).await;
    assert_eq!(report, json!({"queued": 0}), "who left gets nothing");

    // The button on the page works with the form's token.
    subscribe("kees@example.nl", "2612 XY").await;
    let mail = queued_mails(&app).await.pop().unwrap();
    let kees =
        link_in(&mail.body, "http://localhost:8080/werkzaamheden/afmelden/").replace("http://localhost:8080", "");
    let page = send(&app, "GET", &kees, &[], None, &[]).await;
    let form_cookie = cookie_pair(&page, "gv_formulier");
    let pressed =
        send(&app, "POST", &kees, &[&form_cookie], Some(&form(&[("csrf", &hidden(&page.body, "csrf"))])), &[]).await;
    assert_eq!(pressed.status, StatusCode::OK);
    assert_eq!(subscription_state(&app, &kees).await, SubscriptionState::Unsubscribed);
}
