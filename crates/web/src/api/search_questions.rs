//! Learning from the questions (issue 16): the kennisbank searches that found no answer, grouped
//! by wording, from the same use case as `/werkplek/kennisbank/vragen` (docs/kennisbank-learning.md).

use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gastvrij_app::search_questions::{Period, QuestionGroup};
use gastvrij_domain::search_questions::SearchChannel;
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new().route("/kennisbank/zoekvragen", get(unanswered))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuestionParams {
    /// The last 7, 30 (default), 90 or 365 days up to the end of the current hour.
    pub dagen: Option<u32>,
    /// `werkplek` or `website`; both when absent.
    pub kanaal: Option<String>,
}

/// The searches that found nothing or whose top hit was not used, grouped by wording.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct UnansweredQuestions {
    pub period: Period,
    /// `werkplek`, `website`, or absent for both.
    pub channel: Option<String>,
    /// Most searches first (at most 100).
    pub groups: Vec<QuestionGroup>,
}

/// "Deze vragen vinden geen antwoord": for redacteuren and beheerders.
#[utoipa::path(get, path = "/api/v1/kennisbank/zoekvragen", tag = "kennisbank", params(QuestionParams),
    responses((status = 200, body = UnansweredQuestions), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn unanswered(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<QuestionParams>,
) -> ApiResult<Json<UnansweredQuestions>> {
    let channel = match p.kanaal.as_deref().map(str::trim).filter(|k| !k.is_empty()) {
        None => None,
        Some(k) => Some(SearchChannel::parse(k).ok_or_else(|| {
            ApiError::from(gastvrij_app::AppError::from(gastvrij_domain::Invalid::new(
                "kanaal",
                gastvrij_domain::InvalidKind::Unknown {
                    given: k.to_string(),
                    allowed: vec!["werkplek".into(), "website".into()],
                },
            )))
        })?),
    };
    let period = s.app.learning_period(p.dagen)?;
    let groups = s.app.unanswered_questions(&who, period, channel).await?;
    Ok(Json(UnansweredQuestions { period, channel: channel.map(|c| c.code().to_string()), groups }))
}
