//! The complaint register's annual overview (Awb 9:12a) as JSON: the same figures as
//! `/werkplek/klachten/jaaroverzicht`, without personal data. Team leads and beheerders only.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gastvrij_domain::complaint::YearOverview;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/klachten/jaaroverzicht", get(year_overview))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParams {
    /// The year the klachten were received in (water board's time zone), 1583–9998.
    #[param(value_type = i32, minimum = 1583, maximum = 9998)]
    pub jaar: Option<String>,
}

/// The annual overview of the complaint register: klachten received in the year by topic and
/// outcome, the share handled within the legal term, and the measures taken.
#[utoipa::path(get, path = "/api/v1/klachten/jaaroverzicht", tag = "complaints", params(YearParams),
    responses((status = 200, body = YearOverview), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn year_overview(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<YearParams>,
) -> ApiResult<Json<YearOverview>> {
    Ok(Json(s.app.complaint_register(&who, p.jaar.as_deref().unwrap_or("")).await?.overview))
}
