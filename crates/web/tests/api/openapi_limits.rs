//! The OpenAPI document states the limits the domain checks. utoipa takes only literals for
//! `max_length`, `maximum` and the like, so this test ties each documented number to the domain's
//! constant: changing one without the other fails here.

use crate::helpers::spawn_app;
use gastvrij_domain::calendar::{MAX_YEAR, MIN_YEAR};
use gastvrij_domain::text::limits::{LONG, NAME, SHORT};
use serde_json::Value;

/// `(schema, property, maxLength, required)`: a required text must also not be blank.
const TEXTS: &[(&str, &str, usize, bool)] = &[
    ("TopicInput", "name", NAME, true),
    ("TeamInput", "name", NAME, true),
    ("TeamInput", "description", SHORT, false),
    ("EmployeeInput", "name", NAME, true),
    ("Organisation", "name", NAME, true),
    ("PlannedWorkInput", "title", NAME, true),
    ("PlannedWorkInput", "what", gastvrij_domain::planned_works::MAX_TEXT, true),
    ("PlannedWorkInput", "why", gastvrij_domain::planned_works::MAX_TEXT, true),
    ("PlannedWorkInput", "contact", SHORT, true),
    ("ArticleInput", "title", SHORT, true),
    ("ArticleInput", "question", LONG, true),
    ("ArticleInput", "answer", LONG, true),
    ("ArticleInput", "public_answer", LONG, false),
    ("ConsultationInput", "question", LONG, true),
    ("CaseInput", "subject", SHORT, true),
    ("CaseInput", "intent", LONG, false),
    ("QuestionInput", "text", LONG, true),
    ("QuestionInput", "answer", LONG, false),
    ("QuestionInput", "forwarded_to", NAME, false),
    ("NoteInput", "text", LONG, true),
    ("ExtensionInput", "reason", SHORT, true),
    ("AnswerInput", "answer", LONG, true),
    ("TaalCheckRequest", "text", gastvrij_domain::plain_language::MAX_TEXT_CHARS, false),
];

fn property<'a>(doc: &'a Value, schema: &str, name: &str) -> &'a Value {
    let p = &doc["components"]["schemas"][schema]["properties"][name];
    // An optional field is `oneOf: [null, {…}]` or a type list; its limits sit on the string part.
    p["oneOf"].as_array().and_then(|alts| alts.iter().find(|a| a["type"] == "string")).unwrap_or(p)
}

fn param<'a>(doc: &'a Value, path: &str, name: &str) -> &'a Value {
    let params = doc["paths"][path]["get"]["parameters"].as_array().expect("the operation has parameters");
    &params.iter().find(|p| p["name"] == name).unwrap_or_else(|| panic!("{path} has no parameter {name}"))["schema"]
}

#[tokio::test]
async fn documented_text_limits_are_the_domains() {
    let app = spawn_app().await;
    let (_, doc) = app.get("/api/openapi.json", None).await;
    for &(schema, name, max, required) in TEXTS {
        let p = property(&doc, schema, name);
        assert_eq!(p["maxLength"].as_u64(), Some(max as u64), "{schema}.{name}: {p}");
        if required {
            assert_eq!(
                (p["minLength"].as_u64(), p["pattern"].as_str()),
                (Some(1), Some(r"\S")),
                "{schema}.{name}: {p}"
            );
        }
    }
}

#[tokio::test]
async fn documented_ranges_and_formats_are_the_domains() {
    let app = spawn_app().await;
    let (_, doc) = app.get("/api/openapi.json", None).await;
    let waiting = property(&doc, "CallInput", "waiting_seconds");
    assert_eq!(
        waiting["maximum"].as_u64(),
        Some(u64::from(gastvrij_domain::contact::MAX_WAITING_SECONDS)),
        "{waiting}"
    );
    // Query parameters are documented as such (utoipa's default is a path parameter).
    let in_query =
        |path: &str| doc["paths"][path]["get"]["parameters"].as_array().unwrap().iter().all(|p| p["in"] == "query");
    assert!(
        in_query("/api/v1/calendar/holidays") && in_query("/api/v1/cases"),
        "query parameters documented elsewhere"
    );
    let year = param(&doc, "/api/v1/calendar/holidays", "year");
    assert_eq!((year["minimum"].as_i64(), year["maximum"].as_i64()), (Some(MIN_YEAR.into()), Some(MAX_YEAR.into())));
    let horizon = param(&doc, "/api/v1/norms/compliance", "horizon_hours");
    assert_eq!(horizon["maximum"].as_i64(), Some(24 * 366));
    assert_eq!(param(&doc, "/api/v1/norms/compliance", "from")["format"], "date");
    assert_eq!(param(&doc, "/api/v1/telephony/calls", "from")["format"], "date-time");
    assert_eq!(property(&doc, "PlannedWorkInput", "starts_on")["format"], "date");
    assert_eq!(doc["components"]["schemas"]["Email"]["format"], "email");
    for path in ["/api/v1/calendar/deadline", "/api/v1/calendar/holidays"] {
        assert_eq!(param(&doc, path, "calendar")["enum"], serde_json::json!(["termijnenwet"]), "{path}");
    }
    assert!(doc["components"]["schemas"]["Role"]["enum"].as_array().is_some_and(|e| e.len() == 5));
}
