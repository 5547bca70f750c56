//! The activity calendar (werkzaamheden) for staff: planned works, news to subscribers, and
//! contacts linked to the work they were about.

use crate::AppState;
use crate::api::PageParams;
use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use gastvrij_app::planned_works::{NewsInput, NewsReport};
use gastvrij_domain::ids::{ContactId, PlannedWorkId};
use gastvrij_domain::planned_works::{PlannedWork, PlannedWorkInput};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/planned-works", get(list).post(create))
        .route("/planned-works/{id}", get(show).put(update))
        .route("/planned-works/{id}/notify", post(notify))
        .route("/contacts/{id}/planned-works/{work_id}", post(link).delete(unlink))
}

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WorkParams {
    /// Also list works that have ended (after the current and upcoming ones).
    pub include_past: Option<bool>,
    /// At most this many items (1–500, default 50).
    pub limit: Option<u32>,
    /// Skip this many items (default 0).
    pub offset: Option<u32>,
}

/// Planned works: those not over yet (the soonest start first), then, with `include_past`,
/// those that ended (the latest first). Every staff role.
#[utoipa::path(get, path = "/api/v1/planned-works", tag = "planned-works", params(WorkParams),
    responses((status = 200, body = [PlannedWork]), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(q): ApiQuery<WorkParams>,
) -> ApiResult<Json<Vec<PlannedWork>>> {
    let page = PageParams { limit: q.limit, offset: q.offset }.page()?;
    Ok(Json(s.app.planned_works(&who, q.include_past.unwrap_or(false), page).await?))
}

/// Add a planned work (redacteur, teamleider). The area lists postcode ranges, postcodes and
/// place names separated by commas: `2611-2619, 2625 AB, Delft`.
#[utoipa::path(post, path = "/api/v1/planned-works", tag = "planned-works", request_body = PlannedWorkInput,
    responses((status = 201, body = PlannedWork), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiJson(input): ApiJson<PlannedWorkInput>,
) -> ApiResult<(StatusCode, Json<PlannedWork>)> {
    Ok((StatusCode::CREATED, Json(s.app.create_planned_work(&who, input).await?)))
}

/// One planned work.
#[utoipa::path(get, path = "/api/v1/planned-works/{id}", tag = "planned-works",
    params(("id" = uuid::Uuid, Path, description = "Planned work id")),
    responses((status = 200, body = PlannedWork), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn show(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<PlannedWorkId>,
) -> ApiResult<Json<PlannedWork>> {
    Ok(Json(s.app.planned_work(&who, id).await?))
}

/// Change a planned work (redacteur, teamleider); its areas are replaced.
#[utoipa::path(put, path = "/api/v1/planned-works/{id}", tag = "planned-works",
    params(("id" = uuid::Uuid, Path, description = "Planned work id")), request_body = PlannedWorkInput,
    responses((status = 200, body = PlannedWork), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn update(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<PlannedWorkId>,
    ApiJson(input): ApiJson<PlannedWorkInput>,
) -> ApiResult<Json<PlannedWork>> {
    Ok(Json(s.app.update_planned_work(&who, id, input).await?))
}

/// Send news about a work to the confirmed subscribers in its postcodes (redacteur,
/// teamleider): one mail each, queued in the outbox. The optional text comes before the work's
/// facts.
#[utoipa::path(post, path = "/api/v1/planned-works/{id}/notify", tag = "planned-works",
    params(("id" = uuid::Uuid, Path, description = "Planned work id")), request_body = NewsInput,
    responses((status = 200, body = NewsReport), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn notify(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<PlannedWorkId>,
    ApiJson(news): ApiJson<NewsInput>,
) -> ApiResult<Json<NewsReport>> {
    Ok(Json(s.app.notify_work_subscribers(&who, id, news).await?))
}

/// Record that a contact was about a planned work (kcc, backoffice, teamleider); linking twice
/// is a no-op.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/planned-works/{work_id}", tag = "planned-works",
    params(("id" = uuid::Uuid, Path, description = "Contact id"), ("work_id" = uuid::Uuid, Path, description = "Planned work id")),
    responses((status = 204), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn link(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath((id, work_id)): ApiPath<(ContactId, PlannedWorkId)>,
) -> ApiResult<StatusCode> {
    s.app.link_contact_to_work(&who, id, work_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Remove the link between a contact and a planned work.
#[utoipa::path(delete, path = "/api/v1/contacts/{id}/planned-works/{work_id}", tag = "planned-works",
    params(("id" = uuid::Uuid, Path, description = "Contact id"), ("work_id" = uuid::Uuid, Path, description = "Planned work id")),
    responses((status = 204)), security(("bearer" = [])))]
pub async fn unlink(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath((id, work_id)): ApiPath<(ContactId, PlannedWorkId)>,
) -> ApiResult<StatusCode> {
    s.app.unlink_contact_from_work(&who, id, work_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
