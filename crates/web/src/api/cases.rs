use crate::AppState;
use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use gastvrij_app::cases::{Assignment, AttachmentInput};
use gastvrij_app::ports::CaseQuery;
use gastvrij_domain::case::{Case, CaseInput, CaseResult, CaseStatus, CaseType};
use gastvrij_domain::ids::{CaseId, CustomerId, EmployeeId, TeamId};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/cases", get(list).post(create))
        .route("/cases/{id}", get(show))
        .route("/cases/by-reference/{reference}", get(by_reference))
        .route("/cases/{id}/status", post(change_status))
        .route("/cases/{id}/notes", post(add_note))
        .route("/cases/{id}/assignment", post(assign))
        .route("/cases/{id}/attachments", post(add_attachment))
        .route("/cases/{id}/extension", post(extend))
        .route("/cases/{id}/closure", post(close))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseParams {
    pub team_id: Option<TeamId>,
    pub owner_id: Option<EmployeeId>,
    pub customer_id: Option<CustomerId>,
    pub status: Option<CaseStatus>,
    pub case_type: Option<CaseType>,
    /// Only cases that are not afgehandeld.
    #[serde(default)]
    pub open: bool,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct StatusInput {
    pub status: CaseStatus,
    /// Why; required when suspending (opgeschort).
    #[schema(max_length = 500)]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct NoteInput {
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub text: String,
}

/// Cases, newest first (a team's queue with `team_id` and `open=true`).
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseParams), responses((status = 200, body = [Case])), security(("bearer" = [])))]
pub async fn list(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<CaseParams>,
) -> ApiResult<Json<Vec<Case>>> {
    let query = CaseQuery {
        ids: vec![],
        team_id: p.team_id,
        owner_id: p.owner_id,
        customer_id: p.customer_id,
        status: p.status,
        case_type: p.case_type,
        open_only: p.open,
        page: super::PageParams { limit: p.limit, offset: p.offset }.page()?,
        ..Default::default()
    };
    Ok(Json(s.app.cases(&who, &query).await?))
}

/// Create a case; it gets its readable reference.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = CaseInput,
    responses((status = 201, body = Case), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiJson(input): ApiJson<CaseInput>,
) -> ApiResult<(StatusCode, Json<Case>)> {
    Ok((StatusCode::CREATED, Json(s.app.create_case(&who, input).await?)))
}

/// One case with history, notes and attachments.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = uuid::Uuid, Path, description = "Case id")),
    responses((status = 200, body = Case), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn show(State(s): State<AppState>, Staff(who): Staff, ApiPath(id): ApiPath<CaseId>) -> ApiResult<Json<Case>> {
    Ok(Json(s.app.case(&who, id).await?))
}

/// One case by its readable reference, e.g. `WS-2026-000042`.
#[utoipa::path(get, path = "/api/v1/cases/by-reference/{reference}", tag = "cases", params(("reference" = String, Path, description = "Readable reference")),
    responses((status = 200, body = Case), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn by_reference(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(reference): ApiPath<String>,
) -> ApiResult<Json<Case>> {
    Ok(Json(s.app.case_by_reference(&who, &reference).await?))
}

/// Move a case to another status (the state machine decides what is allowed).
#[utoipa::path(post, path = "/api/v1/cases/{id}/status", tag = "cases", params(("id" = uuid::Uuid, Path, description = "Case id")), request_body = StatusInput,
    responses((status = 200, body = Case), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn change_status(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<StatusInput>,
) -> ApiResult<Json<Case>> {
    Ok(Json(s.app.change_case_status(&who, id, input.status, input.reason.as_deref()).await?))
}

/// Add a note.
#[utoipa::path(post, path = "/api/v1/cases/{id}/notes", tag = "cases", params(("id" = uuid::Uuid, Path, description = "Case id")), request_body = NoteInput,
    responses((status = 200, body = Case), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn add_note(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<NoteInput>,
) -> ApiResult<Json<Case>> {
    Ok(Json(s.app.add_case_note(&who, id, &input.text).await?))
}

/// Give the case to another team and/or owner.
#[utoipa::path(post, path = "/api/v1/cases/{id}/assignment", tag = "cases", params(("id" = uuid::Uuid, Path, description = "Case id")), request_body = Assignment,
    responses((status = 200, body = Case), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn assign(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<Assignment>,
) -> ApiResult<Json<Case>> {
    Ok(Json(s.app.assign_case(&who, id, input).await?))
}

/// Record an attachment's metadata.
#[utoipa::path(post, path = "/api/v1/cases/{id}/attachments", tag = "cases", params(("id" = uuid::Uuid, Path, description = "Case id")), request_body = AttachmentInput,
    responses((status = 200, body = Case), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn add_attachment(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<AttachmentInput>,
) -> ApiResult<Json<Case>> {
    Ok(Json(s.app.add_case_attachment(&who, id, input).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ExtensionInput {
    /// Why the term is extended; told to the customer.
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub reason: String,
}

/// Extend the term once (verlenging), where the case type allows it; the deadlines move.
#[utoipa::path(post, path = "/api/v1/cases/{id}/extension", tag = "cases", params(("id" = uuid::Uuid, Path, description = "Case id")), request_body = ExtensionInput,
    responses((status = 200, body = Case), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn extend(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<ExtensionInput>,
) -> ApiResult<Json<Case>> {
    Ok(Json(s.app.extend_case(&who, id, &input.reason).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct ClosureInput {
    /// How the case ended; a klacht is judged `gegrond`, `deels_gegrond` or `ongegrond`.
    pub result: CaseResult,
    /// The answer to the customer; for a klacht the findings and conclusions (Awb 9:12).
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub answer: String,
    /// A klacht only: the measures taken, for the annual overview (write no personal data).
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub measures: String,
}

/// Close the case with its result and the answer to the customer, sent by mail (or kept for a
/// printed letter) in the same transaction. The way to close a klacht: its hearing must be
/// settled and its outcome goes in writing (Awb 9:10, 9:12).
#[utoipa::path(post, path = "/api/v1/cases/{id}/closure", tag = "cases", params(("id" = uuid::Uuid, Path, description = "Case id")), request_body = ClosureInput,
    responses((status = 200, body = Case), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn close(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<ClosureInput>,
) -> ApiResult<Json<Case>> {
    Ok(Json(s.app.close_case(&who, id, input.result, &input.answer, &input.measures).await?))
}
