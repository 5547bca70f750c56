use crate::AppState;
use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiJson;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gastvrij_domain::organisation::Organisation;

pub fn router() -> Router<AppState> {
    Router::new().route("/organisation", get(show).put(update))
}

/// The organisation's settings.
#[utoipa::path(get, path = "/api/v1/organisation", tag = "organisation",
    responses((status = 200, body = Organisation), (status = 401, body = ErrorBody)), security(("bearer" = [])))]
pub async fn show(State(s): State<AppState>, Staff(who): Staff) -> ApiResult<Json<Organisation>> {
    Ok(Json(s.app.organisation(&who).await?))
}

/// Change the organisation's settings (beheerder).
#[utoipa::path(put, path = "/api/v1/organisation", tag = "organisation", request_body = Organisation,
    responses((status = 200, body = Organisation), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiJson(input): ApiJson<Organisation>,
) -> ApiResult<Json<Organisation>> {
    Ok(Json(s.app.update_organisation(&who, input).await?))
}
