//! `POST /api/v1/taal/check`: the plain-language (B1) check, the same answer as
//! `gastvrij taal check FILE --json`.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiJson;
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use gastvrij_domain::plain_language::PlainLanguageReport;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/taal/check", post(check))
}

/// The text to check.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct TaalCheckRequest {
    /// Dutch text, paragraphs separated by blank lines; at most 100,000 characters, with at least
    /// one word.
    #[schema(max_length = 100000, pattern = "[A-Za-z]")]
    pub text: String,
}

/// Check a Dutch text for plain language (B1): the Flesch-Douma score, words, sentences, long
/// sentences (over 20 words), jargon with plain alternatives, and the B1 verdict. Any staff role
/// may; nothing is stored.
#[utoipa::path(post, path = "/api/v1/taal/check", tag = "taal", request_body = TaalCheckRequest,
    responses((status = 200, body = PlainLanguageReport), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn check(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiJson(body): ApiJson<TaalCheckRequest>,
) -> ApiResult<Json<PlainLanguageReport>> {
    Ok(Json(s.app.check_plain_language(&who, &body.text)?))
}
