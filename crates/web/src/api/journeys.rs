//! Customer journeys (issue 15): the list, and the journey map of a period from the same use
//! case as the workspace page (`App::journey_map`; every figure is defined in docs/journeys.md).

use crate::AppState;
use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gastvrij_app::journeys::JourneyMap;
use gastvrij_domain::ids::JourneyId;
use gastvrij_domain::journey::Journey;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/journeys", get(list)).route("/journeys/{id}/map", get(map))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MapParams {
    /// First day (`2026-03-01`); default 28 days before `to`.
    #[param(format = Date)]
    pub from: Option<String>,
    /// The day after the last (exclusive); default tomorrow.
    #[param(format = Date)]
    pub to: Option<String>,
}

/// Every customer journey with its touchpoints, by name (any staff member).
#[utoipa::path(get, path = "/api/v1/journeys", tag = "journeys",
    responses((status = 200, body = Vec<Journey>), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(State(s): State<AppState>, Staff(who): Staff) -> ApiResult<Json<Vec<Journey>>> {
    Ok(Json(s.app.journeys(&who).await?))
}

/// The journey map: per touchpoint the volume, satisfaction, share within norm and waiting time
/// of the days `[from, to)`, where it hurts, and whether a moment of truth is below target.
#[utoipa::path(get, path = "/api/v1/journeys/{id}/map", tag = "journeys",
    params(("id" = uuid::Uuid, Path, description = "Journey id"), MapParams),
    responses((status = 200, body = JourneyMap), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn map(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<JourneyId>,
    ApiQuery(p): ApiQuery<MapParams>,
) -> ApiResult<Json<JourneyMap>> {
    let from = crate::extract::optional_date("from", p.from.as_deref()).map_err(gastvrij_app::AppError::from)?;
    let to = crate::extract::optional_date("to", p.to.as_deref()).map_err(gastvrij_app::AppError::from)?;
    Ok(Json(s.app.journey_map(&who, id, from, to).await?))
}
