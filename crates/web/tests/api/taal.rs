//! `POST /api/v1/taal/check`: the plain-language check through the API, for every staff role.

use crate::helpers::spawn_app;
use axum::http::StatusCode;
use serde_json::{Value, json};

const BUREAUCRATIC: &str = "Indien u conform de voorwaarden de aanslag reeds heeft voldaan, dient u derhalve \
                            middels het bijgevoegde formulier inzake de restitutie een verzoek in te dienen.";

#[tokio::test]
async fn the_check_answers_the_contract_shape() {
    let app = spawn_app().await;
    let (status, body) = app.post("/api/v1/taal/check", &app.admin, json!({"text": BUREAUCRATIC})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["b1", "flesch_douma", "jargon", "long_sentences", "sentences", "words"], "{body}");
    assert!(body["flesch_douma"].is_f64(), "{body}");
    assert_eq!((body["words"].as_u64(), body["sentences"].as_u64()), (Some(25), Some(1)), "{body}");
    assert_eq!(body["long_sentences"], 1);
    assert_eq!(body["b1"], false);
    let jargon: Vec<&str> = body["jargon"].as_array().unwrap().iter().map(|j| j["word"].as_str().unwrap()).collect();
    assert_eq!(jargon, ["indien", "conform", "reeds", "dient u", "derhalve", "middels", "inzake"]);
    assert_eq!(body["jargon"][0], json!({"word": "indien", "alternative": "als"}));

    let (status, body) =
        app.post("/api/v1/taal/check", &app.admin, json!({"text": "Wij bellen u morgen.\n\nTot dan!"})).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!((body["words"].as_u64(), body["sentences"].as_u64(), &body["b1"]), (Some(6), Some(2), &json!(true)));
}

#[tokio::test]
async fn an_empty_or_overlong_text_is_refused_with_the_field() {
    let app = spawn_app().await;
    for text in ["", "  \n\n  ", "– …"] {
        let (status, body) = app.post("/api/v1/taal/check", &app.admin, json!({ "text": text })).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text:?}: {body}");
        assert_eq!(body["field"], "text", "{body}");
        assert!(body["error"].as_str().unwrap().starts_with("text: "), "{body}");
    }
    let long = "Wij bellen u. ".repeat(100_000 / 14 + 1);
    let (status, body) = app.post("/api/v1/taal/check", &app.admin, json!({ "text": long })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["error"].as_str().unwrap().contains("100000"), "{body}");
    let (status, body) = app.post("/api/v1/taal/check", &app.admin, json!({ "tekst": "Hallo." })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "a body without `text`: {body}");
}

#[tokio::test]
async fn every_staff_role_may_check_and_others_may_not() {
    let app = spawn_app().await;
    let body = json!({"text": "Wij bellen u morgen."}).to_string();
    for role in ["kcc", "backoffice", "teamleider", "redacteur", "beheerder"] {
        let token = app.token_for(&format!("taal-{role}"), &[role]).await;
        let (status, answer) = app.post("/api/v1/taal/check", &token, serde_json::from_str(&body).unwrap()).await;
        assert_eq!(status, StatusCode::OK, "{role}: {answer}");
    }
    let no_role = app.token_for("taal-geen-rol", &[]).await;
    let (status, answer): (StatusCode, Value) =
        app.post("/api/v1/taal/check", &no_role, serde_json::from_str(&body).unwrap()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    let res = app.raw("POST", "/api/v1/taal/check", None, Some(&body)).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_openapi_document_describes_the_check() {
    let app = spawn_app().await;
    let (_, doc) = app.get("/api/openapi.json", None).await;
    let post = &doc["paths"]["/api/v1/taal/check"]["post"];
    assert!(post.is_object(), "the route is missing from the document");
    assert!(doc["components"]["schemas"]["PlainLanguageReport"]["properties"]["flesch_douma"].is_object(), "{doc}");
    assert!(doc["components"]["schemas"]["TaalCheckRequest"].is_object());
}
