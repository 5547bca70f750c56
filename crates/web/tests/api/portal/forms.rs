//! The three forms: received, confirmed and a case for staff; bad input; the rate limit.

use super::*;

// ---- 1. The three forms -------------------------------------------------------------------------

#[tokio::test]
async fn each_form_is_received_confirmed_tracked_and_becomes_a_case_for_staff() {
    let app = spawn_app().await;
    let org = organise(&app).await;
    let melding = melding_fields(&org.topic, "nee");
    let urgent = melding_fields(&org.topic, "ja");
    let klacht_with_topic: Vec<(&str, &str)> =
        klacht_fields().into_iter().chain([("onderwerp", org.topic.as_str())]).collect();
    let melding: Vec<(&str, &str)> = melding.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let urgent: Vec<(&str, &str)> = urgent.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // (path, fields, case type, team, urgent)
    let cases: [(&str, Fields, &str, &str, bool); 4] = [
        ("vraag", vraag_fields(), "vraag", &org.kcc_team, false),
        ("melding", melding, "melding", &org.meldingen_team, false),
        ("melding", urgent, "melding", &org.meldingen_team, true),
        ("klacht", klacht_with_topic, "klacht", &org.meldingen_team, false),
    ];
    for (kind, fields, case_type, team, is_urgent) in cases {
        let (v, form) = visit(&app, &format!("/{kind}")).await;
        assert!(form.body.contains("name=\"website\""), "{kind}: the honeypot is on the form");
        assert!(form.body.contains("enctype=\"multipart/form-data\""), "{kind}");
        let reply =
            post_multipart(&app, &format!("/{kind}"), Some(&v.cookie), &with_csrf(&v, &fields), &[("", b"")]).await;
        let token = token_of(&reply);

        let confirmation = get(&app, &format!("/ontvangen/{token}"), None).await;
        assert_eq!(confirmation.status, StatusCode::OK, "{}", confirmation.body);
        assert!(
            confirmation.body.contains(&format!("Bedankt, we hebben uw {kind} ontvangen")),
            "{}",
            confirmation.body
        );
        let reference = reference_in(&confirmation.body);
        let case = case_by_reference(&app, &reference).await;
        assert_eq!(case["case_type"], case_type, "{kind}");
        assert_eq!(case["team_id"], team, "{kind}: the topic's team, else the contact centre");
        assert_eq!(case["urgent"], is_urgent, "{kind}: {case}");
        assert_eq!(case["status"], "ontvangen");
        let deadlines = &case["timing"]["deadlines"];
        let service_norm = deadlines["service_norm"].as_str().unwrap_or_else(|| panic!("{kind}: no deadline {case}"));
        assert!(
            confirmation.body.contains(&format!("U hoort uiterlijk op <strong>{}</strong>", dutch_date(service_norm))),
            "{kind}: the expected date {service_norm} is not on {}",
            confirmation.body
        );
        if is_urgent {
            let created: jiff::Timestamp = case["created_at"].as_str().unwrap().parse().unwrap();
            let due: jiff::Timestamp = service_norm.parse().unwrap();
            // Stored times are whole microseconds; the deadline keeps its nanoseconds.
            let after = due.duration_since(created) - jiff::SignedDuration::from_hours(24);
            assert!(after.abs() < jiff::SignedDuration::from_micros(1), "danger: within 24 hours, not {after}");
            assert!(confirmation.body.contains("U gaf aan dat er nu gevaar is"));
        }
        if kind == "klacht" {
            let ack = deadlines["acknowledgement"].as_str().expect("a klacht has an acknowledgement deadline");
            assert!(confirmation.body.contains(&format!("(uiterlijk {})", dutch_date(ack))), "{}", confirmation.body);
            assert!(deadlines["legal"].is_string(), "{case}");
        }

        let (status, contact) =
            app.get(&format!("/api/v1/contacts/{}", case["contact_id"].as_str().unwrap()), Some(&app.admin)).await;
        assert_eq!(status, StatusCode::OK, "{contact}");
        assert_eq!(contact["channel"], "webformulier");
        assert_eq!(contact["questions"][0]["case_id"], case["id"]);

        let tracking = get(&app, &format!("/volgen/{token}"), None).await;
        assert_eq!(tracking.status, StatusCode::OK);
        assert!(tracking.body.contains(&format!("We hebben uw {kind} ontvangen.")), "{}", tracking.body);
        assert!(tracking.body.contains(&reference));
        assert!(tracking.body.contains(&dutch_date(service_norm)), "the tracking page shows the expected date");

        let record = app.app.store().submission_by_case(case_id(&case)).await.unwrap().expect("a submission");
        assert_eq!(record.submission.kind.code(), kind);
        assert!(record.photos.is_empty(), "an empty file field (no photo chosen) stores no photo");
    }
    let (cases, contacts, _) = stored(&app).await;
    assert_eq!((cases, contacts), (4, 4));
}

// ---- 2. Bad input --------------------------------------------------------------------------------

#[tokio::test]
async fn a_wrong_melding_lists_every_problem_in_dutch_keeps_the_text_and_stores_nothing() {
    let app = spawn_app().await;
    organise(&app).await;
    let before = stored(&app).await;
    let (v, _) = visit(&app, "/melding").await;
    let fields = with_csrf(
        &v,
        &[
            ("onderwerp", ""),
            ("omschrijving", "   "),
            ("wanneer", "vanochtend om acht uur"),
            ("naam", "Jan de Vries"),
            ("contact", "email"),
            ("email", "jan@"),
        ],
    );
    let reply = post_multipart(&app, "/melding", Some(&v.cookie), &fields, &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in [
        "Kies waar uw melding over gaat.",
        "Beschrijf wat u ziet of wat er aan de hand is.",
        "Vertel ons waar het is: vul postcode en huisnummer in, of beschrijf de plek.",
        "Dit e-mailadres klopt niet. Schrijf het als naam@voorbeeld.nl.",
    ] {
        assert!(reply.body.contains(message), "missing {message:?} in {}", reply.body);
    }
    assert!(reply.body.contains("Er zijn nog 4 dingen niet goed"), "{}", reply.body);
    for kept in ["value=\"vanochtend om acht uur\"", "value=\"Jan de Vries\"", "value=\"jan@\""] {
        assert!(reply.body.contains(kept), "{kept} was not kept");
    }
    assert!(reply.body.contains("aria-invalid=\"true\" aria-describedby=\"omschrijving-fout\""));
    assert_error_links_resolve(&reply.body);
    assert_eq!(stored(&app).await, before, "nothing is stored");

    // A point outside the Netherlands, and a klacht without a name or a way to answer.
    let fields = with_csrf(
        &v,
        &[("omschrijving", "Er drijft olie op het water"), ("plek", "Bij de brug"), ("lat", "48.85"), ("lon", "2.35")],
    );
    let reply = post_multipart(&app, "/melding", Some(&v.cookie), &fields, &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("De plek op de kaart ligt niet in Nederland."), "{}", reply.body);
    assert_error_links_resolve(&reply.body);
    let (k, _) = visit(&app, "/klacht").await;
    let fields = with_csrf(&k, &[("omschrijving", "Niemand belde mij terug.")]);
    let reply = post_multipart(&app, "/klacht", Some(&k.cookie), &fields, &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Kies hoe wij u een antwoord op uw klacht sturen."));
    assert!(reply.body.contains("Vul uw naam in. Een klacht behandelen we altijd persoonlijk."));
    assert_error_links_resolve(&reply.body);
    assert_eq!(stored(&app).await, before, "nothing is stored");

    // The typed description is kept too when something else is wrong.
    let fields = with_csrf(&v, &[("omschrijving", "De stuw <b>lekt</b>"), ("contact", "geen")]);
    let reply = post_multipart(&app, "/melding", Some(&v.cookie), &fields, &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains(">De stuw &#60;b&#62;lekt&#60;/b&#62;</textarea>"), "kept and escaped: {}", reply.body);
    assert_eq!(stored(&app).await, before);
}

#[tokio::test]
async fn forms_without_the_right_token_or_with_the_honeypot_filled_store_nothing() {
    let app = spawn_app_with(|s| s.with_submission_limit(0)).await;
    let org = organise(&app).await;
    let before = stored(&app).await;
    let (v, _) = visit(&app, "/melding").await;
    let melding = melding_fields(&org.topic, "nee");
    let good: Vec<(&str, &str)> = melding.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let other = "0123456789abcdef0123456789abcdef";
    let wrong_token: Vec<(&str, &str)> = [("csrf", other), ("website", "")].into_iter().chain(good.clone()).collect();
    let attempts: [(Option<&str>, Fields); 4] = [
        (Some(&v.cookie), wrong_token.clone()),
        (Some(&v.cookie), good.clone()),
        (None, with_csrf(&v, &good)),
        (Some("gv_formulier="), [("csrf", ""), ("website", "")].into_iter().chain(good.clone()).collect()),
    ];
    for (cookie, fields) in attempts {
        let reply = post_multipart(&app, "/melding", cookie, &fields, &[]).await;
        assert_eq!(reply.status, StatusCode::FORBIDDEN, "cookie {cookie:?}: {}", reply.body);
        assert!(reply.body.contains("Het formulier was verlopen"), "{}", reply.body);
        assert!(reply.body.contains(">Er ligt een dode vis in de sloot</textarea>"), "the text is kept");
        assert!(reply.body.contains("value=\"2611 AB\""), "the postcode is kept");
        // The new form works: it carries a token the browser's cookie matches.
        let retry = hidden_csrf(&reply.body);
        assert!(retry.len() == 32, "{retry}");
    }
    assert_eq!(stored(&app).await, before, "nothing is stored without the form's token");

    let honeypot: Vec<(&str, &str)> =
        [("csrf", v.csrf.as_str()), ("website", "http://spam.example")].into_iter().chain(good.clone()).collect();
    let reply = post_multipart(&app, "/melding", Some(&v.cookie), &honeypot, &[]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Vul dit veld niet in"), "{}", reply.body);
    assert_eq!(stored(&app).await, before, "a filled honeypot stores nothing");

    // The same form with the right token and an empty honeypot goes through.
    let reply = post_multipart(&app, "/melding", Some(&v.cookie), &with_csrf(&v, &good), &[]).await;
    token_of(&reply);
    assert_eq!(stored(&app).await.0, before.0 + 1);
}

#[tokio::test]
async fn photos_are_checked_by_content_counted_and_limited_in_size() {
    let app = spawn_app_with(|s| s.with_submission_limit(0)).await;
    organise(&app).await;
    let before = stored(&app).await;
    let (v, _) = visit(&app, "/vraag").await;
    let fields = with_csrf(&v, &vraag_fields());
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer\n%%EOF\n".to_vec();
    let png = png_with_author();

    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &fields, &[("vakantie.jpg", &pdf)]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(
        reply.body.contains("vakantie.jpg: Dit bestand is geen foto. Kies een foto van het type JPEG, PNG of HEIC."),
        "{}",
        reply.body
    );
    assert!(reply.body.contains("Kies uw foto&#39;s opnieuw"), "{}", reply.body);
    assert!(reply.body.contains(">Wanneer wordt de aanslag voor dit jaar verstuurd?</textarea>"), "text kept");
    // A wrong form is answered before any photo is read: a photo's content costs CPU time, and the
    // citizen chooses the photos again anyway.
    let empty_question = with_csrf(&v, &[("omschrijving", " "), ("contact", "email"), ("email", "jan@example.nl")]);
    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &empty_question, &[("vakantie.jpg", &pdf)]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", reply.body);
    assert!(reply.body.contains("omschrijving-fout"), "the form's error is shown: {}", reply.body);
    assert!(!reply.body.contains("Dit bestand is geen foto"), "the photo was not read: {}", reply.body);
    let text = b"Dit is gewoon tekst, geen foto.".to_vec();
    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &fields, &[("foto.jpg", &text)]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("Dit bestand is geen foto."));

    let four: Vec<(&str, &[u8])> = (0..4).map(|_| ("a.png", png.as_slice())).collect();
    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &fields, &four).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reply.body.contains("U kunt maximaal 3 foto"), "{}", reply.body);

    let mut huge = png.clone();
    huge.resize(10 * 1024 * 1024 + 1, 0);
    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &fields, &[("groot.png", &huge)]).await;
    assert_eq!(reply.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", &reply.body[..reply.body.len().min(500)]);
    assert!(reply.body.contains("Een foto is groter dan 10 MB"), "{}", reply.body);
    assert!(reply.bytes.len() < 60_000, "the refusal does not echo the photo");
    assert_eq!(stored(&app).await, before, "no refused photo stores anything");

    // Exactly 10 MB is allowed (the limit is inclusive); it is padded after IEND, which is dropped.
    let mut at_limit = png.clone();
    at_limit.resize(10 * 1024 * 1024, 0);
    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &fields, &[("precies.png", &at_limit)]).await;
    let token = token_of(&reply);
    let record = app.app.store().submission_by_token(&gastvrij_app::portal::token_hash(&token)).await.unwrap().unwrap();
    assert_eq!(record.photos.len(), 1);
    assert!(record.photos[0].size_bytes < 1000, "the padding after IEND is not stored");
}

#[tokio::test]
async fn stored_photos_lose_their_metadata_and_are_served_by_content_to_their_own_link_only() {
    let app = spawn_app().await;
    let org = organise(&app).await;
    let melding = melding_fields(&org.topic, "nee");
    let fields: Vec<(&str, &str)> = melding.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let jpeg = jpeg_with_exif();
    let png = png_with_author();
    // The PNG is named .jpg and sent as image/jpeg: the type comes from the content.
    let token = submit(&app, "melding", &fields, &[("IMG_0001.jpg", &jpeg), ("scan.jpg", &png)]).await;

    let page = get(&app, &format!("/volgen/{token}"), None).await;
    let links = photo_links(&page.body, &token);
    assert_eq!(links.len(), 2, "{}", page.body);
    let mut types = Vec::new();
    for link in &links {
        let photo = get(&app, link, None).await;
        assert_eq!(photo.status, StatusCode::OK);
        for secret in [&b"Jan Jansen"[..], b"Canon", b"Author", b"Exif", b"Made by"] {
            assert!(!contains(&photo.bytes, secret), "{} survived in {link}", String::from_utf8_lossy(secret));
        }
        let content_type = photo.header("content-type").unwrap().to_string();
        match content_type.as_str() {
            "image/jpeg" => {
                assert!(photo.bytes.starts_with(&[0xFF, 0xD8]) && photo.bytes.ends_with(&[0xFF, 0xD9]));
                assert!(contains(&photo.bytes, &[0x12, 0x34, 0xFF, 0x00, 0x56]), "the image data is kept");
            }
            "image/png" => {
                assert!(photo.bytes.starts_with(&[0x89, b'P', b'N', b'G']) && contains(&photo.bytes, b"IDAT"));
            }
            other => panic!("unexpected content type {other}"),
        }
        assert!(photo.header("cache-control").unwrap().contains("private"), "photos are not cached publicly");
        assert_eq!(photo.header("x-content-type-options"), Some("nosniff"));
        types.push(content_type);
    }
    types.sort();
    assert_eq!(types, ["image/jpeg", "image/png"]);

    // Another citizen's link does not open this photo, nor does a wrong or malformed photo id.
    let other = submit(&app, "vraag", &vraag_fields(), &[]).await;
    let id = links[0].rsplit('/').next().unwrap();
    for path in [
        format!("/volgen/{other}/foto/{id}"),
        format!("/volgen/{token}/foto/0190f5c4-7a3e-7000-8000-000000000000"),
        format!("/volgen/{token}/foto/geen-id"),
        format!("/volgen/{}/foto/{id}", "0".repeat(48)),
    ] {
        let reply = get(&app, &path, None).await;
        assert_eq!(reply.status, StatusCode::NOT_FOUND, "{path}");
        // "Niet gevonden", or "Foto niet gevonden" behind a valid link.
        assert!(reply.body.contains("Niet gevonden") || reply.body.contains("Foto niet gevonden"), "{path}");
    }
}

// ---- 3. Rate limit -------------------------------------------------------------------------------

#[tokio::test]
async fn the_third_submission_from_one_address_waits_with_a_dutch_message() {
    let app = spawn_app_with(|s| s.with_submission_limit(2)).await;
    organise(&app).await;
    let (v, _) = visit(&app, "/vraag").await;
    let fields = with_csrf(&v, &vraag_fields());
    for _ in 0..2 {
        token_of(&post_multipart(&app, "/vraag", Some(&v.cookie), &fields, &[]).await);
    }
    let before = stored(&app).await;
    let reply = post_multipart(&app, "/vraag", Some(&v.cookie), &fields, &[]).await;
    assert_eq!(reply.status, StatusCode::TOO_MANY_REQUESTS, "{}", reply.body);
    assert_eq!(reply.header("retry-after"), Some("600"));
    assert!(reply.body.contains("Even wachten") && reply.body.contains("Wacht tien minuten"), "{}", reply.body);
    assert!(reply.body.contains("lang=\"nl\""));
    assert_eq!(stored(&app).await, before, "the refused submission is not stored");
    // Reading is not limited.
    assert_eq!(get(&app, "/vraag", Some(&v.cookie)).await.status, StatusCode::OK);
}

// ---- Danger: the on-call service is alerted at once ----------------------------------------------

/// Post a melding (with or without danger) whose citizen wants e-mail; returns its reference.
async fn melding_with_mail(app: &TestApp, topic: &str, danger: &'static str) -> String {
    let fields = melding_fields(topic, danger);
    let fields: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (*k, v.as_str()))
        .filter(|(k, _)| *k != "contact")
        .chain([("contact", "email"), ("email", "jan@example.nl")])
        .collect();
    let (v, _) = visit(app, "/melding").await;
    let reply = post_multipart(app, "/melding", Some(&v.cookie), &with_csrf(&v, &fields), &[("", b"")]).await;
    let token = token_of(&reply);
    reference_in(&get(app, &format!("/ontvangen/{token}"), None).await.body)
}

#[tokio::test]
async fn a_melding_with_danger_alerts_the_on_call_service_before_any_other_mail() {
    let app = spawn_app().await;
    let org = organise(&app).await;
    // Without an on-call address a danger melding is still urgent and raises its event, but no
    // alert mail is made.
    let unset = melding_with_mail(&app, &org.topic, "ja").await;

    let settings = json!({"name": "Waterschap Test", "inhabitants": 1000, "time_zone": "Europe/Amsterdam",
        "on_call_email": "piket@waterschap.test", "on_call_phone": "070 123 45 67"});
    let (status, saved) = app.put("/api/v1/organisation", &app.admin, settings.clone()).await;
    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["on_call_email"], "piket@waterschap.test");
    let mut bad = settings.clone();
    bad["on_call_email"] = json!("geen adres");
    let (status, error) = app.put("/api/v1/organisation", &app.admin, bad).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{error}");
    let (_, kept) = app.get("/api/v1/organisation", Some(&app.admin)).await;
    assert_eq!(kept["on_call_email"], "piket@waterschap.test", "a refused change keeps the address");
    let kcc = app.token_for("kcc-medewerker", &["kcc"]).await;
    let (status, _) = app.put("/api/v1/organisation", &kcc, settings).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "only a beheerder sets the on-call address");

    let calm = melding_with_mail(&app, &org.topic, "nee").await;
    app.set_time("2026-03-02T09:01:00Z");
    let danger = melding_with_mail(&app, &org.topic, "ja").await;

    let now = app.app.now();
    let due = app.app.store().due_mail(now, now + jiff::SignedDuration::from_mins(15), 50).await.unwrap();
    let alerts: Vec<_> = due.iter().filter(|m| m.mail.kind.code() == "gevaarmelding").collect();
    assert_eq!(alerts.len(), 1, "one alert: only the danger melding made after the address was set");
    assert_eq!(due[0].mail.kind.code(), "gevaarmelding", "the alert is sent first, though it is the newest mail");
    let alert = &alerts[0].mail;
    assert_eq!(alert.to.as_str(), "piket@waterschap.test");
    assert!(alert.subject.contains(&danger), "the subject names the reference: {}", alert.subject);
    let case = case_by_reference(&app, &danger).await;
    for part in [
        "2611 AB 12",
        "Er ligt een dode vis in de sloot",
        "Wateroverlast",
        &format!("/werkplek/zaken/{}", case["id"].as_str().unwrap()),
    ] {
        assert!(alert.body.contains(part), "the alert holds {part}: {}", alert.body);
    }
    assert!(!alert.body.contains("{kenmerk}"), "{}", alert.body);
    assert_eq!(
        due.iter().filter(|m| m.mail.kind.code() == "ontvangstbevestiging").count(),
        3,
        "every citizen is confirmed"
    );

    let (status, events) = app.get(&format!("/api/v1/events?team_id={}", org.meldingen_team), Some(&app.admin)).await;
    assert_eq!(status, StatusCode::OK, "{events}");
    let danger_events: Vec<&str> = events
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["kind"] == "melding.danger")
        .map(|e| e["summary"].as_str().unwrap())
        .collect();
    assert_eq!(danger_events, [format!("Melding met gevaar: {unset}"), format!("Melding met gevaar: {danger}")]);
    assert!(!danger_events.iter().any(|s| s.contains(&calm)), "a melding without danger raises none");
}
