//! Public answers, security headers and the page budget, failures on our side and incidents.

use super::*;

// ---- 6. Public answers ---------------------------------------------------------------------------

async fn articles(app: &TestApp) {
    let who = Principal::operator();
    use gastvrij_domain::kennisbank::ArticleStatus;
    for (id, title, answer, public, status) in [
        (
            "KB-1",
            "Kwijtschelding aanvragen",
            "Intern: controleer het inkomen altijd bij het Inlichtingenbureau.",
            Some("U kunt kwijtschelding aanvragen als uw inkomen laag is."),
            ArticleStatus::Openbaar,
        ),
        (
            "KB-2",
            "Kwijtschelding fraudesignalen",
            "Let op signalen van kwijtschelding-fraude.",
            None,
            ArticleStatus::Intern,
        ),
    ] {
        let input = serde_json::from_value(json!({
            "external_id": id, "title": title, "question": format!("{title}?"), "answer": answer, "public_answer": public
        }))
        .unwrap();
        let a = app.app.create_article(&who, input).await.unwrap();
        app.app.change_article_status(&who, a.id, ArticleStatus::TerBeoordeling).await.unwrap();
        app.app.change_article_status(&who, a.id, status).await.unwrap();
    }
    app.app.sync_search(0).await.unwrap();
}

#[tokio::test]
async fn public_answers_show_only_published_articles_and_count_prevented_questions() {
    let app = spawn_app().await;
    organise(&app).await;
    articles(&app).await;
    let window = |app: &TestApp| {
        let now = app.app.now();
        (now - jiff::SignedDuration::from_hours(1), now + jiff::SignedDuration::from_hours(1))
    };

    let hints = get(&app, "/antwoorden/suggesties?q=kwijtschelding", None).await;
    assert_eq!(hints.status, StatusCode::OK);
    assert!(hints.header("content-type").unwrap().starts_with("text/html"));
    assert!(
        hints.body.contains("Kwijtschelding aanvragen") && hints.body.contains("/antwoorden/KB-1"),
        "{}",
        hints.body
    );
    assert!(!hints.body.contains("fraude") && !hints.body.contains("KB-2"), "intern articles stay internal");
    assert!(!hints.body.contains("<html"), "a fragment, not a page");
    // The fragment under a public answer comes from what citizens may read, never the staff answer.
    let hints = get(&app, "/antwoorden/suggesties?q=inkomen", None).await;
    assert!(hints.body.contains("/antwoorden/KB-1"), "{}", hints.body);
    assert!(!hints.body.contains("Inlichtingenbureau"), "the staff answer leaks: {}", hints.body);
    assert!(hints.body.contains("uw inkomen laag is"), "{}", hints.body);
    // An answer taken off the website is not suggested, even before the index catches up.
    let kb1 = app.app.store().article_by_external_id("KB-1").await.unwrap().unwrap();
    app.app
        .change_article_status(&Principal::operator(), kb1.id, gastvrij_domain::kennisbank::ArticleStatus::Intern)
        .await
        .unwrap();
    let hints = get(&app, "/antwoorden/suggesties?q=kwijtschelding", None).await;
    assert!(!hints.body.contains("KB-1"), "{}", hints.body);
    app.app
        .change_article_status(&Principal::operator(), kb1.id, gastvrij_domain::kennisbank::ArticleStatus::Openbaar)
        .await
        .unwrap();
    let short = get(&app, "/antwoorden/suggesties?q=kw", None).await;
    assert_eq!((short.status, short.body.as_str()), (StatusCode::OK, ""));

    let search = get(&app, "/antwoorden?q=kwijtschelding", None).await;
    assert!(search.body.contains("Kwijtschelding aanvragen") && !search.body.contains("KB-2"));

    let (v, page) = visit(&app, "/antwoorden/KB-1?vraag=mag+ik+kwijtschelding").await;
    assert!(page.body.contains("U kunt kwijtschelding aanvragen als uw inkomen laag is."));
    assert!(!page.body.contains("Inlichtingenbureau"), "the internal answer is not shown to citizens");
    assert!(page.body.contains("/vraag?omschrijving=mag%20ik%20kwijtschelding"), "{}", page.body);
    for id in ["KB-2", "KB-404", "%00"] {
        let reply = get(&app, &format!("/antwoorden/{id}"), None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{id}");
        assert!(reply.body.contains("Niet gevonden"));
    }

    let (from, to) = window(&app);
    let count = || async { app.app.store().count_prevented_questions(from, to).await.unwrap() };
    assert_eq!(count().await, 0);
    let forged = post_form(&app, "/antwoorden/KB-1/geholpen", Some(&v.cookie), "csrf=fout").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert_eq!(count().await, 0);
    let helped = post_form(&app, "/antwoorden/KB-1/geholpen", Some(&v.cookie), &format!("csrf={}", v.csrf)).await;
    assert_eq!(helped.status, StatusCode::OK, "{}", helped.body);
    assert!(helped.body.contains("Fijn dat we u konden helpen"));
    assert_eq!(count().await, 1);
    let internal = post_form(&app, "/antwoorden/KB-2/geholpen", Some(&v.cookie), &format!("csrf={}", v.csrf)).await;
    assert_eq!(internal.status, StatusCode::NOT_FOUND);
    assert_eq!(count().await, 1, "an intern article prevents nothing");

    // An editor removes the public answer but leaves the article openbaar: the staff answer
    // must not take its place on the website.
    let kb1 = app.app.store().article_by_external_id("KB-1").await.unwrap().unwrap();
    let input = serde_json::from_value(json!({
        "external_id": "KB-1", "title": kb1.title, "question": kb1.question, "answer": kb1.answer
    }))
    .unwrap();
    let edited = app.app.update_article(&Principal::operator(), kb1.id, input).await.unwrap();
    assert_eq!((edited.status.code(), edited.public_answer), ("openbaar", None));
    let page = get(&app, "/antwoorden/KB-1", None).await;
    assert!(!page.body.contains("Inlichtingenbureau"), "the staff answer is shown to citizens: {}", page.body);
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    let hints = get(&app, "/antwoorden/suggesties?q=kwijtschelding", None).await;
    assert!(!hints.body.contains("Inlichtingenbureau") && !hints.body.contains("KB-1"), "{}", hints.body);
    let input = serde_json::from_value(json!({
        "external_id": "KB-1", "title": kb1.title, "question": kb1.question, "answer": kb1.answer,
        "public_answer": kb1.public_answer
    }))
    .unwrap();
    app.app.update_article(&Principal::operator(), kb1.id, input).await.unwrap();
    app.app.sync_search(0).await.unwrap();

    // "Zoek eerst": the vraag form shows the answers and stores nothing.
    let before = stored(&app).await;
    let (fv, _) = visit(&app, "/vraag").await;
    let first = post_multipart(
        &app,
        "/vraag",
        Some(&fv.cookie),
        &with_csrf(&fv, &[("omschrijving", "Kan ik kwijtschelding krijgen?"), ("zoek", "1")]),
        &[],
    )
    .await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.body.contains("Misschien helpt dit antwoord u") && first.body.contains("/antwoorden/KB-1"));
    assert!(first.body.contains(">Kan ik kwijtschelding krijgen?</textarea>"));
    assert_eq!(stored(&app).await, before);
}

#[tokio::test]
async fn without_a_search_index_suggestions_degrade_to_nothing_instead_of_an_error() {
    let dir = std::env::temp_dir().join(format!("gastvrij_portal_{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir(&dir).unwrap();
    let location = gastvrij_store::Location::Sqlite(dir.join("db.sqlite"));
    let db = gastvrij_store::Database::open(&location, gastvrij_store::OpenMode::CreateIfMissing).await.unwrap();
    db.migrate().await.unwrap();
    let app = gastvrij_app::App::new(
        db.into_store(),
        std::sync::Arc::new(crate::helpers::TestClock::at_test_start()),
        gastvrij_app::Settings::default(),
    );
    assert!(app.search_public_answers("kwijtschelding", 5).await.is_err(), "the use case says it is unavailable");
    let router = gastvrij_web::router(gastvrij_web::AppState::new(app));
    let hints = send(&router, "GET", "/antwoorden/suggesties?q=kwijtschelding", None, None).await;
    assert_eq!((hints.status, hints.body.as_str()), (StatusCode::OK, ""));
    let search = send(&router, "GET", "/antwoorden?q=kwijtschelding", None, None).await;
    assert_eq!(search.status, StatusCode::OK);
    assert!(search.body.contains("We vonden geen antwoord"), "{}", search.body);
    let _ = std::fs::remove_dir_all(&dir);
}

// ---- 7. Headers and page budget ------------------------------------------------------------------

#[tokio::test]
async fn public_pages_are_small_and_carry_strict_security_headers() {
    let app = spawn_app().await;
    let org = organise(&app).await;
    for i in 0..30 {
        // A long topic list is what makes the forms grow.
        app.post(
            "/api/v1/topics",
            &app.admin,
            json!({"name": format!("Onderwerp nummer {i:02} met een lange naam"), "team_id": org.meldingen_team}),
        )
        .await;
    }
    let token = submit(&app, "vraag", &vraag_fields(), &[]).await;
    let mut sizes = Vec::new();
    for path in
        ["/", "/vraag", "/melding", "/klacht", "/antwoorden", &format!("/volgen/{token}"), "/static/gastvrij.css"]
    {
        let reply = get(&app, path, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{path}");
        let csp = reply.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src 'self'") && csp.contains("script-src 'self'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline") && !csp.contains("unsafe-eval"), "{path}: {csp}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("form-action 'self'"));
        assert_eq!(reply.header("x-frame-options"), Some("DENY"), "{path}");
        assert_eq!(reply.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(reply.header("referrer-policy"), Some("no-referrer"), "{path}");
        if path.starts_with("/volgen/") {
            assert_eq!(reply.header("cache-control"), Some("no-store"), "the private page is not cached");
        }
        if !path.ends_with(".css") {
            assert!(reply.header("content-type").unwrap().starts_with("text/html"));
            assert!(!reply.body.contains("style=") && !reply.body.contains("<script>"), "{path}: inline code");
            assert!(reply.body.contains("<html lang=\"nl\">"));
        }
        assert!(reply.bytes.len() < 50 * 1024, "{path} is {} bytes", reply.bytes.len());
        sizes.push(format!("{path} {} B", reply.bytes.len()));
    }
    eprintln!("page sizes: {}", sizes.join(", "));
}

/// What a citizen typed comes back on public pages as text, never as markup: in a form that is
/// shown again with an error, and on the tracking page.
#[tokio::test]
async fn a_citizens_text_echoed_on_a_public_page_is_escaped() {
    let app = spawn_app().await;
    organise(&app).await;
    let evil = r#"J. "de" Vries"><script>alert('x')</script>"#;
    let (v, _) = visit(&app, "/klacht").await;
    // No description: the form comes back with the name kept.
    let fields = with_csrf(&v, &[("naam", evil), ("contact", "email"), ("email", "jan@example.nl")]);
    let reply = post_multipart(&app, "/klacht", Some(&v.cookie), &fields, &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(!reply.body.contains("<script>alert"), "markup from the citizen runs: {}", reply.body);
    assert!(reply.body.contains("&#60;script&#62;alert("), "the name is kept, escaped: {}", reply.body);
    assert!(!reply.body.contains(r#""de""#) && !reply.body.contains(r#"Vries">"#), "quotes close no attribute");

    let description = "De stuw <b>lekt</b>\n& het \"water\" stijgt";
    let fields = [("omschrijving", description), ("contact", "email"), ("email", "jan@example.nl")];
    let token = submit(&app, "vraag", &fields, &[]).await;
    let page = get(&app, &format!("/volgen/{token}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<b>lekt"), "{}", page.body);
    assert!(
        page.body.contains("De stuw &#60;b&#62;lekt&#60;/b&#62;<br>&#38; het &#34;water&#34; stijgt"),
        "{}",
        page.body
    );
}

// ---- Failures on our side and incidents ------------------------------------------------------------

#[tokio::test]
async fn without_a_team_to_receive_it_the_citizen_hears_that_nothing_was_stored() {
    let app = spawn_app().await;
    let before = stored(&app).await;
    let (v, _) = visit(&app, "/vraag").await;
    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &with_csrf(&v, &vraag_fields()), &[]).await;
    assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE, "{}", reply.body);
    assert!(reply.body.contains("Het lukt nu even niet") && reply.body.contains("Er is niets van u opgeslagen"));
    assert!(!reply.body.contains("team") && !reply.body.contains("administrator"), "no technical cause shown");
    assert_eq!(stored(&app).await, before);
}

#[tokio::test]
async fn near_meldingen_form_an_incident_whose_banner_shows_on_the_start_page_until_closed() {
    let app = spawn_app().await;
    let org = organise(&app).await;
    for lat in ["52.0116", "52.0140"] {
        let mut fields = melding_fields(&org.topic, "nee");
        fields.extend([("lat", lat.to_string()), ("lon", "4.3571".to_string())]);
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        submit(&app, "melding", &fields, &[]).await;
    }
    let who = Principal::operator();
    let incidents = app.app.incidents(&who, true).await.unwrap();
    assert_eq!(incidents.len(), 1, "two reports ~270 m apart within an hour form one incident");
    let (_, reports) = app.app.incident_reports(&who, incidents[0].id).await.unwrap();
    assert_eq!(reports.len(), 2);
    app.app.set_incident(&who, incidents[0].id, Some("Wateroverlast <Delft>: wij zijn bezig."), false).await.unwrap();
    let start = get(&app, "/", None).await;
    assert!(
        start.body.contains("<strong>Let op:</strong> Wateroverlast &#60;Delft&#62;: wij zijn bezig."),
        "{}",
        start.body
    );
    let reached = app.app.update_incident_reporters(&who, incidents[0].id, "Het water zakt.").await.unwrap();
    assert_eq!(reached, 2);
    app.app.set_incident(&who, incidents[0].id, None, true).await.unwrap();
    assert!(!get(&app, "/", None).await.body.contains("Let op:"), "the banner goes with the incident");
}
