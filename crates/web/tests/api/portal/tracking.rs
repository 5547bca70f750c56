//! The tracking page: messages both ways, photos, caps, and the survey after closure.

use super::*;

// ---- 4. Tracking ---------------------------------------------------------------------------------

#[tokio::test]
async fn unknown_or_malformed_tracking_links_are_a_dutch_404_never_a_500() {
    let app = spawn_app().await;
    organise(&app).await;
    submit(&app, "vraag", &vraag_fields(), &[]).await;
    let unknown = "ab".repeat(24);
    let long = "a".repeat(5000);
    for token in [unknown.as_str(), "abc", "ZZ".repeat(24).as_str(), "%2e%2e%2f%2e%2e", "'%20OR%201=1--", &long] {
        for path in [format!("/volgen/{token}"), format!("/ontvangen/{token}")] {
            let reply = get(&app, &path, None).await;
            assert_eq!(reply.status, StatusCode::NOT_FOUND, "{}", &path[..path.len().min(80)]);
            assert!(reply.body.contains("Niet gevonden") && reply.body.contains("lang=\"nl\""), "{}", reply.body);
        }
        let (v, _) = visit(&app, "/vraag").await;
        let add = post_multipart(
            &app,
            &format!("/volgen/{token}/aanvullen"),
            Some(&v.cookie),
            &[("csrf", &v.csrf), ("bericht", "Nog iets")],
            &[],
        )
        .await;
        assert_eq!(add.status, StatusCode::NOT_FOUND, "aanvullen on {}", &token[..token.len().min(80)]);
        let survey = post_form(
            &app,
            &format!("/volgen/{token}/tevredenheid"),
            Some(&v.cookie),
            &format!("csrf={}&cijfer=8&opgelost=ja&moeite=2", v.csrf),
        )
        .await;
        assert_eq!(survey.status, StatusCode::NOT_FOUND);
    }
}

#[tokio::test]
async fn citizens_add_information_while_open_and_see_the_water_boards_messages() {
    let app = spawn_app().await;
    let org = organise(&app).await;
    let melding = melding_fields(&org.topic, "nee");
    let fields: Vec<(&str, &str)> = melding.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let token = submit(&app, "melding", &fields, &[]).await;
    let case = case_of(&app, &token).await;
    let (v, page) = visit(&app, &format!("/volgen/{token}")).await;
    assert!(page.body.contains("Er zijn nog geen berichten."));
    assert!(page.body.contains("Iets toevoegen"));
    let add = format!("/volgen/{token}/aanvullen");

    // Without the form's token nothing is added, and the text is kept.
    let forged =
        post_multipart(&app, &add, Some(&v.cookie), &[("csrf", "x"), ("bericht", "Hij stinkt nu ook")], &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(forged.body.contains(">Hij stinkt nu ook</textarea>"), "{}", forged.body);
    let empty = post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "  ")], &[]).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Typ wat u wilt toevoegen, of kies een foto."));
    let record = app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap();
    assert!(record.messages.is_empty());

    let png = png_with_author();
    let added = post_multipart(
        &app,
        &add,
        Some(&v.cookie),
        &[("csrf", &v.csrf), ("bericht", "De vis ligt er nog steeds.\nEn er zijn er meer.")],
        &[("sloot.png", &png)],
    )
    .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(added.location(), format!("/volgen/{token}?toegevoegd=1"));
    app.clock_tick();
    app.app.message_citizen(&Principal::operator(), case_id(&case), "We komen morgen <kijken>.").await.unwrap();

    let page = get(&app, &format!("/volgen/{token}?toegevoegd=1"), Some(&v.cookie)).await;
    assert!(page.body.contains("We hebben uw aanvulling ontvangen."));
    let citizen = page.body.find("U schreef op").expect("the citizen's message");
    let board = page.body.find("Het waterschap schreef op").expect("the water board's message");
    assert!(citizen < board, "messages in order");
    assert!(page.body.contains("De vis ligt er nog steeds.<br>En er zijn er meer."));
    assert!(page.body.contains("We komen morgen &#60;kijken&#62;."), "staff text is escaped");
    let links = photo_links(&page.body, &token);
    assert_eq!(links.len(), 1, "the added photo shows");
    let photo = get(&app, &links[0], None).await;
    assert_eq!(photo.header("content-type"), Some("image/png"));
    assert!(!contains(&photo.bytes, b"Jan Jansen"));

    // A photo without text is allowed.
    let only_photo =
        post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "")], &[("b.png", &png)]).await;
    assert_eq!(only_photo.status, StatusCode::SEE_OTHER, "{}", only_photo.body);
    let record = app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap();
    assert_eq!(record.messages.len(), 3);
    assert_eq!(record.photos.len(), 2);

    close_case(&app, &case).await;
    let page = get(&app, &format!("/volgen/{token}"), Some(&v.cookie)).await;
    assert!(page.body.contains("Uw melding is afgehandeld."));
    assert!(!page.body.contains("Iets toevoegen"), "no add form on a closed case");
    let late =
        post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "Nog één ding")], &[]).await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", late.body);
    assert!(late.body.contains("Uw melding is al afgehandeld."), "{}", late.body);
    let record = app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap();
    assert_eq!(record.messages.len(), 3, "nothing is added to a closed case");
}

#[tokio::test]
async fn a_tracked_submission_takes_at_most_twenty_messages_and_twenty_photos() {
    let app = spawn_app_with(|s| s.with_submission_limit(0)).await;
    let org = organise(&app).await;
    let melding = melding_fields(&org.topic, "nee");
    let fields: Vec<(&str, &str)> = melding.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let token = submit(&app, "melding", &fields, &[]).await;
    let case = case_of(&app, &token).await;
    let (v, _) = visit(&app, &format!("/volgen/{token}")).await;
    let add = format!("/volgen/{token}/aanvullen");
    let png = png_with_author();
    let stored = || async { app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap() };

    // Six messages with three photos each: 18 photos; with two more, seven messages and 20 photos.
    let three: [(&str, &[u8]); 3] = [("a.png", &png), ("b.png", &png), ("c.png", &png)];
    for _ in 0..6 {
        let added = post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "")], &three).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    }
    // Three more would make 21: refused whole, with how many still fit.
    let over = post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "Nog meer")], &three).await;
    assert_eq!(over.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", over.body);
    assert!(
        over.body.contains("Bij uw melding kunnen in totaal 20 foto&#39;s. Er kunnen er nog 2 bij."),
        "{}",
        over.body
    );
    assert_eq!((stored().await.messages.len(), stored().await.photos.len()), (6, 18), "nothing stored");
    let two = post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "")], &three[..2]).await;
    assert_eq!(two.status, StatusCode::SEE_OTHER, "{}", two.body);
    let full = post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "")], &three[..1]).await;
    assert_eq!(full.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", full.body);
    assert!(full.body.contains("Bij uw melding zitten al 20 foto&#39;s."), "{}", full.body);
    assert_eq!(stored().await.photos.len(), 20);

    // Text messages up to twenty in all; the 21st is refused and not stored.
    for i in 8..=20 {
        app.clock_tick();
        let text = format!("Bericht {i}");
        let added = post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", &text)], &[]).await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "message {i}: {}", added.body);
    }
    // Staff messages do not count against the citizen.
    app.app.message_citizen(&Principal::operator(), case_id(&case), "We komen kijken.").await.unwrap();
    let last = post_multipart(&app, &add, Some(&v.cookie), &[("csrf", &v.csrf), ("bericht", "Bericht 21")], &[]).await;
    assert_eq!(last.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", last.body);
    assert!(last.body.contains("U hebt al 20 berichten over uw melding gestuurd."), "{}", last.body);
    let record = stored().await;
    assert_eq!(record.messages.iter().filter(|m| m.from_citizen).count(), 20);
    assert!(!record.messages.iter().any(|m| m.text == "Bericht 21"), "the 21st is not stored");
}

// ---- 5. Survey -----------------------------------------------------------------------------------

#[tokio::test]
async fn the_survey_opens_on_closure_takes_one_answer_and_closes_after_fourteen_days() {
    let app = spawn_app().await;
    let org = organise(&app).await;
    app.set_time("2026-03-02T09:00:00Z");
    let melding = melding_fields(&org.topic, "nee");
    let fields: Vec<(&str, &str)> = melding.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let token = submit(&app, "melding", &fields, &[]).await;
    let case = case_of(&app, &token).await;
    let (v, page) = visit(&app, &format!("/volgen/{token}")).await;
    let survey = format!("/volgen/{token}/tevredenheid");
    assert!(!page.body.contains("Wat vond u ervan?"), "no survey while the case is open");
    let early =
        post_form(&app, &survey, Some(&v.cookie), &format!("csrf={}&cijfer=8&opgelost=ja&moeite=2", v.csrf)).await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap().survey.is_none());

    app.set_time("2026-03-03T09:00:00Z");
    close_case(&app, &case).await;
    let page = get(&app, &format!("/volgen/{token}"), Some(&v.cookie)).await;
    assert!(page.body.contains("Wat vond u ervan?") && page.body.contains(&format!("action=\"{survey}\"")));
    assert!(page.body.contains("Is uw melding opgelost?"), "the survey names what was sent in");

    let invalid =
        post_form(&app, &survey, Some(&v.cookie), &format!("csrf={}&cijfer=11&opgelost=nee&moeite=9", v.csrf)).await;
    assert_eq!(invalid.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(invalid.body.contains("Kies een cijfer van 1 tot en met 10."));
    assert!(invalid.body.contains("Kies hoeveel moeite het u kostte."));
    assert!(invalid.body.contains("id=\"opgelost-nee\" name=\"opgelost\" value=\"nee\" checked"), "answers kept");
    let forged = post_form(&app, &survey, Some(&v.cookie), "csrf=nope&cijfer=8&opgelost=ja&moeite=2").await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    assert!(app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap().survey.is_none());

    let unhappy =
        format!("csrf={}&cijfer=4&opgelost=nee&moeite=5&toelichting=Er+ligt+nog+steeds+vis&heropenen=ja", v.csrf);
    let answered = post_form(&app, &survey, Some(&v.cookie), &unhappy).await;
    assert_eq!(answered.status, StatusCode::OK, "{}", answered.body);
    assert!(answered.body.contains("We kijken er opnieuw naar"), "{}", answered.body);
    assert!(!answered.body.contains("uw vraag"), "a melding is not called a vraag: {}", answered.body);
    assert!(answered.body.contains("U hebt de vragenlijst ingevuld."));
    let record = app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap();
    let stored_answer = record.survey.expect("the answer is stored");
    assert_eq!((stored_answer.grade, stored_answer.solved, stored_answer.effort), (4, false, 5));
    assert!(stored_answer.reopen_requested);
    assert_eq!(stored_answer.comment.as_deref(), Some("Er ligt nog steeds vis"));

    let (_, staff_view) = app.get(&format!("/api/v1/cases/{}", case["id"].as_str().unwrap()), Some(&app.admin)).await;
    let notes = staff_view["notes"].as_array().unwrap();
    assert!(
        notes.iter().any(|n| n["text"].as_str().unwrap_or_default().contains("vraagt om opnieuw te kijken")),
        "staff see the request: {staff_view}"
    );

    let again =
        post_form(&app, &survey, Some(&v.cookie), &format!("csrf={}&cijfer=9&opgelost=ja&moeite=1", v.csrf)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("U hebt deze vragenlijst al ingevuld."), "{}", again.body);
    let record = app.app.store().submission_by_case(case_id(&case)).await.unwrap().unwrap();
    assert_eq!(record.survey.unwrap().grade, 4, "the first answer stays");

    // A happy answer asks for nothing; the survey stays open for 14 days after closure.
    let second = submit(&app, "vraag", &vraag_fields(), &[]).await;
    let second_case = case_of(&app, &second).await;
    close_case(&app, &second_case).await; // closed 2026-03-03T09:00Z
    app.set_time("2026-03-17T09:00:00Z");
    let page = get(&app, &format!("/volgen/{second}"), Some(&v.cookie)).await;
    assert!(page.body.contains("Wat vond u ervan?"), "still open on day 14");
    app.set_time("2026-03-17T09:00:01Z");
    let page = get(&app, &format!("/volgen/{second}"), Some(&v.cookie)).await;
    assert!(!page.body.contains("Wat vond u ervan?"), "closed after 14 days");
    let late = post_form(
        &app,
        &format!("/volgen/{second}/tevredenheid"),
        Some(&v.cookie),
        &format!("csrf={}&cijfer=9&opgelost=ja&moeite=1&heropenen=ja", v.csrf),
    )
    .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(late.body.contains("De vragenlijst is niet meer open."), "{}", late.body);
    assert!(app.app.store().submission_by_case(case_id(&second_case)).await.unwrap().unwrap().survey.is_none());
}
