//! The kennisbank through the API: a second-line question becomes a first-line article.

use crate::helpers::spawn_app;
use axum::http::StatusCode;
use serde_json::json;

#[tokio::test]
async fn a_consultation_answered_by_the_back_office_becomes_a_published_article() {
    let app = spawn_app().await;
    let admin = app.admin.clone();
    let (_, team) = app.post("/api/v1/teams", &admin, json!({"name": "Vergunningen"})).await;
    let agent = app.token_for("agent", &["kcc"]).await;
    let back = app.token_for("backoffice", &["backoffice"]).await;
    let editor = app.token_for("redactie", &["redacteur"]).await;

    let (_, contact) = app
        .post("/api/v1/contacts", &agent, json!({"channel": "telefoon", "questions": [{"text": "Mag ik een steiger bouwen in de sloot achter mijn huis?"}]}))
        .await;
    let question_id = contact["questions"][0]["id"].clone();
    let (status, consult) = app
        .post(
            "/api/v1/kennisbank/consultations",
            &agent,
            json!({"contact_id": contact["id"], "question_id": question_id, "to_team": team["id"], "question": "Mag een inwoner een steiger in een sloot bouwen?"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{consult}");
    let id = consult["id"].as_str().unwrap().to_string();

    let (_, inbox) = app
        .get(
            &format!("/api/v1/kennisbank/consultations?to_team={}&open=true", team["id"].as_str().unwrap()),
            Some(&back),
        )
        .await;
    assert_eq!(inbox.as_array().unwrap().len(), 1, "the team sees the question");
    let (status, too_early) =
        app.post(&format!("/api/v1/kennisbank/consultations/{id}/article"), &agent, json!({})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "no article before the answer: {too_early}");
    let answer = "Ja, tot 2 meter uit de oever zonder vergunning; groter vraagt een watervergunning.";
    let (status, answered) =
        app.post(&format!("/api/v1/kennisbank/consultations/{id}/answer"), &back, json!({"answer": answer})).await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    let (_, seen) = app.get(&format!("/api/v1/kennisbank/consultations/{id}"), Some(&agent)).await;
    assert_eq!(seen["answer"], answer, "the answer comes back to the agent");

    let (status, updated) = app
        .put(
            &format!("/api/v1/contacts/{}/questions/{}", contact["id"].as_str().unwrap(), question_id.as_str().unwrap()),
            &agent,
            json!({"text": "Mag ik een steiger bouwen in de sloot achter mijn huis?", "answer": answer, "outcome": "answered_after_consult"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["questions"][0]["line"], "second_line");

    let (status, article) = app
        .post(
            &format!("/api/v1/kennisbank/consultations/{id}/article"),
            &agent,
            json!({"title": "Steiger in een sloot"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{article}");
    assert_eq!(article["status"], "concept");
    assert_eq!(article["answer"], answer);
    assert_eq!(article["owning_teams"], json!([team["id"]]));
    assert_eq!(article["from_consultation"], consult["id"]);
    let (status, _) = app.post(&format!("/api/v1/kennisbank/consultations/{id}/article"), &agent, json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT, "one article per consultation");
    let (_, stats) = app.get("/api/v1/kennisbank/stats", Some(&agent)).await;
    assert_eq!(stats, json!({"answered_consultations": 1, "became_articles": 1}));

    let article_id = article["id"].as_str().unwrap().to_string();
    assert_eq!(
        app.get(&format!("/api/v1/kennisbank/articles/{article_id}"), Some(&agent)).await.0,
        StatusCode::NOT_FOUND,
        "a concept is for editors only"
    );
    let (status, _) = app
        .post(&format!("/api/v1/kennisbank/articles/{article_id}/status"), &agent, json!({"status": "ter_beoordeling"}))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "agents do not publish");
    let (status, body) = app
        .post(&format!("/api/v1/kennisbank/articles/{article_id}/status"), &editor, json!({"status": "intern"}))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "review comes first: {body}");
    app.post(
        &format!("/api/v1/kennisbank/articles/{article_id}/status"),
        &editor,
        json!({"status": "ter_beoordeling"}),
    )
    .await;
    let (status, published) = app
        .post(&format!("/api/v1/kennisbank/articles/{article_id}/status"), &editor, json!({"status": "intern"}))
        .await;
    assert_eq!((status, published["status"].as_str()), (StatusCode::OK, Some("intern")));

    let (status, _) = app.post(&format!("/api/v1/kennisbank/articles/{article_id}/use"), &agent, json!({})).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    app.post(&format!("/api/v1/kennisbank/articles/{article_id}/feedback"), &agent, json!({"helped": true})).await;
    let (_, read) = app.get(&format!("/api/v1/kennisbank/articles/{article_id}"), Some(&agent)).await;
    assert_eq!((read["usage_count"].as_i64(), read["helped"].as_i64()), (Some(1), Some(1)));

    let (_, versions) = app.get(&format!("/api/v1/kennisbank/articles/{article_id}/versions"), Some(&editor)).await;
    let versions = versions.as_array().unwrap();
    assert_eq!(versions.len(), 3, "created, to review, published");
    assert!(versions[2]["diff"].as_str().unwrap().contains("+ status: intern"), "{}", versions[2]["diff"]);
}

#[tokio::test]
async fn editors_see_articles_past_their_review_date_and_keep_synonyms() {
    let app = spawn_app().await;
    let editor = app.token_for("redactie", &["redacteur"]).await;
    let article = |title: &str, review: &str| json!({"title": title, "question": format!("{title}?"), "answer": "Antwoord.", "review_date": review});
    app.post("/api/v1/kennisbank/articles", &editor, article("Oud", "2020-01-01")).await;
    app.post("/api/v1/kennisbank/articles", &editor, article("Nieuw", "2999-01-01")).await;
    let (_, due) = app.get("/api/v1/kennisbank/articles?review_due=true", Some(&editor)).await;
    let titles: Vec<&str> = due.as_array().unwrap().iter().map(|a| a["title"].as_str().unwrap()).collect();
    assert_eq!(titles, vec!["Oud"]);

    let (status, _) = app
        .put(
            "/api/v1/kennisbank/synonyms",
            &editor,
            json!(["blauwe envelop => aanslag", "# opmerking", "sloot, watergang"]),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (_, rules) = app.get("/api/v1/kennisbank/synonyms", Some(&editor)).await;
    assert_eq!(rules, json!(["blauwe envelop => aanslag", "sloot, watergang"]));
    let (status, body) = app.put("/api/v1/kennisbank/synonyms", &editor, json!(["alleen"])).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
}

#[tokio::test]
async fn search_finds_published_articles_by_the_callers_words_and_handles_bad_queries() {
    let app = spawn_app().await;
    let editor = app.token_for("redactie", &["redacteur"]).await;
    // The four-eyes rule: another editor than the author publishes.
    let reviewer = app.token_for("tweede-redactie", &["redacteur"]).await;
    let agent = app.token_for("agent", &["kcc"]).await;
    for (title, question, answer) in [
        (
            "Kwijtschelding aanvragen",
            "Kan ik kwijtschelding krijgen?",
            "Bij een laag inkomen kunt u kwijtschelding aanvragen.",
        ),
        ("Steiger bouwen", "Heb ik een vergunning nodig voor een steiger?", "Soms is een watervergunning nodig."),
    ] {
        let (_, a) = app
            .post(
                "/api/v1/kennisbank/articles",
                &editor,
                json!({"external_id": format!("EXT-{title}"), "title": title, "question": question, "answer": answer}),
            )
            .await;
        let id = a["id"].as_str().unwrap().to_string();
        app.post(&format!("/api/v1/kennisbank/articles/{id}/status"), &editor, json!({"status": "ter_beoordeling"}))
            .await;
        if title.starts_with("Kwijt") {
            let (status, body) = app
                .post(&format!("/api/v1/kennisbank/articles/{id}/status"), &reviewer, json!({"status": "intern"}))
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
    }
    app.app.sync_search(0).await.unwrap();
    let (status, hits) = app
        .get(
            "/api/v1/kennisbank/search?q=ik%20heb%20weinig%20inkomen%20en%20kan%20niet%20betalen&limit=5",
            Some(&agent),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{hits}");
    assert_eq!(hits[0]["id"], "EXT-Kwijtschelding aanvragen");
    assert!(hits[0]["score"].as_f64().unwrap() > 0.0 && hits[0]["snippet"].as_str().unwrap().contains("<mark>"));
    let (_, concept) = app.get("/api/v1/kennisbank/search?q=steiger", Some(&agent)).await;
    assert_eq!(concept, json!([]), "agents do not find articles under review");
    let (_, for_editor) = app.get("/api/v1/kennisbank/search?q=steiger", Some(&editor)).await;
    assert_eq!(for_editor[0]["id"], "EXT-Steiger bouwen");
    let (_, filtered) = app.get("/api/v1/kennisbank/search?q=kwijtschelding&topic=Vergunningen", Some(&agent)).await;
    assert_eq!(filtered, json!([]), "the topic filter applies");
    let (_, typing) = app.get("/api/v1/kennisbank/search?q=kwijtsch&prefix=true", Some(&agent)).await;
    assert_eq!(typing[0]["id"], "EXT-Kwijtschelding aanvragen");

    assert_eq!(app.get("/api/v1/kennisbank/search?q=", Some(&agent)).await, (StatusCode::OK, json!([])));
    let long = "a".repeat(10_001);
    let (status, body) = app.get(&format!("/api/v1/kennisbank/search?q={long}"), Some(&agent)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let ten_thousand = "water%20".repeat(1_250);
    assert_eq!(app.get(&format!("/api/v1/kennisbank/search?q={ten_thousand}"), Some(&agent)).await.0, StatusCode::OK);
    for odd in ["%22kwijtschelding", "kwijt%20AND%20(OR", "%2B-%3A%5E()%5B%5D%7B%7D~*%3F%5C%2F", "%F0%9F%8C%8A"] {
        assert_eq!(
            app.get(&format!("/api/v1/kennisbank/search?q={odd}"), Some(&agent)).await.0,
            StatusCode::OK,
            "{odd}"
        );
    }
    assert_eq!(
        app.get("/api/v1/kennisbank/search?q=x&limit=0", Some(&agent)).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}
