use crate::AppState;
use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use gastvrij_app::ports::ExternalLink;
use gastvrij_domain::ids::{EmployeeId, TeamId};
use gastvrij_domain::team::{Employee, EmployeeInput, Team, TeamInput};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/teams", get(list_teams).post(create_team))
        .route("/teams/{id}", get(show_team).put(update_team))
        .route("/teams/{id}/board", get(board))
        .route("/employees", get(list_employees).post(create_employee))
        .route("/employees/{id}", get(show_employee).put(update_employee))
        .route("/employees/{id}/external-sign-in", get(show_external_link).put(allow_external_link))
}

/// All teams.
#[utoipa::path(get, path = "/api/v1/teams", tag = "teams", responses((status = 200, body = [Team])), security(("bearer" = [])))]
pub async fn list_teams(State(s): State<AppState>, Staff(who): Staff) -> ApiResult<Json<Vec<Team>>> {
    Ok(Json(s.app.teams(&who).await?))
}

/// Create a team (beheerder).
#[utoipa::path(post, path = "/api/v1/teams", tag = "teams", request_body = TeamInput,
    responses((status = 201, body = Team), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_team(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiJson(input): ApiJson<TeamInput>,
) -> ApiResult<(StatusCode, Json<Team>)> {
    Ok((StatusCode::CREATED, Json(s.app.create_team(&who, input).await?)))
}

/// One team.
#[utoipa::path(get, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = uuid::Uuid, Path, description = "Team id")),
    responses((status = 200, body = Team), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn show_team(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<TeamId>,
) -> ApiResult<Json<Team>> {
    Ok(Json(s.app.team(&who, id).await?))
}

/// Change a team (teamleider).
#[utoipa::path(put, path = "/api/v1/teams/{id}", tag = "teams", params(("id" = uuid::Uuid, Path, description = "Team id")), request_body = TeamInput,
    responses((status = 200, body = Team), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn update_team(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<TeamId>,
    ApiJson(input): ApiJson<TeamInput>,
) -> ApiResult<Json<Team>> {
    Ok(Json(s.app.update_team(&who, id, input).await?))
}

/// The team board (dagstart): the team's figures, goals with progress and notes, from the same
/// function as `/werkplek/team` (docs/team-board.md defines every figure). For the team's members
/// and a beheerder.
#[utoipa::path(get, path = "/api/v1/teams/{id}/board", tag = "teams", params(("id" = uuid::Uuid, Path, description = "Team id")),
    responses((status = 200, body = gastvrij_app::team_board::TeamBoard), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn board(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<TeamId>,
) -> ApiResult<Json<gastvrij_app::team_board::TeamBoard>> {
    Ok(Json(s.app.team_board(&who, id).await?))
}

/// All employees.
#[utoipa::path(get, path = "/api/v1/employees", tag = "teams", responses((status = 200, body = [Employee])), security(("bearer" = [])))]
pub async fn list_employees(State(s): State<AppState>, Staff(who): Staff) -> ApiResult<Json<Vec<Employee>>> {
    Ok(Json(s.app.employees(&who).await?))
}

/// Create an employee (beheerder). Sign-in passwords are set with `gastvrij user add`.
#[utoipa::path(post, path = "/api/v1/employees", tag = "teams", request_body = EmployeeInput,
    responses((status = 201, body = Employee), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create_employee(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiJson(input): ApiJson<EmployeeInput>,
) -> ApiResult<(StatusCode, Json<Employee>)> {
    Ok((StatusCode::CREATED, Json(s.app.create_employee(&who, input).await?)))
}

/// One employee.
#[utoipa::path(get, path = "/api/v1/employees/{id}", tag = "teams", params(("id" = uuid::Uuid, Path, description = "Employee id")),
    responses((status = 200, body = Employee), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn show_employee(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<EmployeeId>,
) -> ApiResult<Json<Employee>> {
    Ok(Json(s.app.employee(&who, id).await?))
}

/// Change an employee (a teamleider: the employees of their own team who are not beheerder; roles,
/// usernames and the e-mail address of an account open for binding only by a beheerder).
#[utoipa::path(put, path = "/api/v1/employees/{id}", tag = "teams", params(("id" = uuid::Uuid, Path, description = "Employee id")), request_body = EmployeeInput,
    responses((status = 200, body = Employee), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn update_employee(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<EmployeeId>,
    ApiJson(input): ApiJson<EmployeeInput>,
) -> ApiResult<Json<Employee>> {
    Ok(Json(s.app.update_employee(&who, id, input).await?))
}

/// Whether the next sign-in through the organisation's identity provider may bind an account.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
pub struct ExternalLinkInput {
    /// `true`: the next sign-in whose username or verified e-mail address matches the account's
    /// binds it (and removes a binding it had); `false`: withdraw that permission.
    pub link_allowed: bool,
}

/// Whether an employee is bound to the organisation's identity provider (OIDC), or allowed to be
/// bound at the next sign-in (beheerder).
#[utoipa::path(get, path = "/api/v1/employees/{id}/external-sign-in", tag = "teams", params(("id" = uuid::Uuid, Path, description = "Employee id")),
    responses((status = 200, body = ExternalLink), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn show_external_link(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<EmployeeId>,
) -> ApiResult<Json<ExternalLink>> {
    Ok(Json(s.app.external_link(&who, id).await?))
}

/// Allow (or withdraw) binding an employee's account at their next sign-in through the
/// organisation's identity provider (beheerder only: that sign-in gets the account's roles).
#[utoipa::path(put, path = "/api/v1/employees/{id}/external-sign-in", tag = "teams", params(("id" = uuid::Uuid, Path, description = "Employee id")), request_body = ExternalLinkInput,
    responses((status = 200, body = ExternalLink), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn allow_external_link(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<EmployeeId>,
    ApiJson(input): ApiJson<ExternalLinkInput>,
) -> ApiResult<Json<ExternalLink>> {
    Ok(Json(s.app.allow_external_link(&who, id, input.link_allowed).await?))
}
