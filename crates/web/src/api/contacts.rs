use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath, ApiQuery};
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use gastvrij_app::ports::ContactQuery;
use gastvrij_domain::contact::{Contact, ContactInput, QuestionInput};
use gastvrij_domain::ids::{ContactId, CustomerId, EmployeeId, QuestionId};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/contacts", get(list).post(create))
        .route("/contacts/{id}", get(show))
        .route("/contacts/{id}/questions", post(add_question))
        .route("/contacts/{id}/questions/{question_id}", put(update_question))
        .route("/contacts/{id}/questions/{question_id}/forward-confirmation", post(confirm_forward))
        .route("/contacts/{id}/park", post(park))
        .route("/contacts/{id}/resume", post(resume))
        .route("/contacts/{id}/close", post(close))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactParams {
    pub customer_id: Option<CustomerId>,
    pub agent_id: Option<EmployeeId>,
    /// Contacts started at or after this moment (RFC 3339).
    pub from: Option<String>,
    /// Contacts started before this moment (RFC 3339).
    pub to: Option<String>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

fn moment(field: &str, v: Option<&str>) -> Result<Option<jiff::Timestamp>, ApiError> {
    v.filter(|s| !s.trim().is_empty())
        .map(|s| {
            s.trim().parse::<jiff::Timestamp>().map_err(|_| {
                ApiError::bad_request(format!(
                    "{field}: '{s}' is not a moment; use RFC 3339, e.g. 2026-03-02T09:00:00+01:00"
                ))
            })
        })
        .transpose()
}

/// Contacts, newest first.
#[utoipa::path(get, path = "/api/v1/contacts", tag = "contacts", params(ContactParams),
    responses((status = 200, body = [Contact]), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
pub async fn list(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<ContactParams>,
) -> ApiResult<Json<Vec<Contact>>> {
    let query = ContactQuery {
        customer_id: p.customer_id,
        agent_id: p.agent_id,
        from: moment("from", p.from.as_deref())?,
        to: moment("to", p.to.as_deref())?,
        page: super::PageParams { limit: p.limit, offset: p.offset }.page()?,
    };
    Ok(Json(s.app.contacts(&who, &query).await?))
}

/// Register a contact with its questions.
#[utoipa::path(post, path = "/api/v1/contacts", tag = "contacts", request_body = ContactInput,
    responses((status = 201, body = Contact), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiJson(input): ApiJson<ContactInput>,
) -> ApiResult<(StatusCode, Json<Contact>)> {
    Ok((StatusCode::CREATED, Json(s.app.create_contact(&who, input).await?)))
}

/// One contact with its questions.
#[utoipa::path(get, path = "/api/v1/contacts/{id}", tag = "contacts", params(("id" = uuid::Uuid, Path, description = "Contact id")),
    responses((status = 200, body = Contact), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn show(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<ContactId>,
) -> ApiResult<Json<Contact>> {
    Ok(Json(s.app.contact(&who, id).await?))
}

/// Add a question to a contact.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/questions", tag = "contacts", params(("id" = uuid::Uuid, Path, description = "Contact id")), request_body = QuestionInput,
    responses((status = 200, body = Contact), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn add_question(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<ContactId>,
    ApiJson(input): ApiJson<QuestionInput>,
) -> ApiResult<Json<Contact>> {
    Ok(Json(s.app.add_question(&who, id, input).await?))
}

/// Change a question: its text, answer, topic and outcome.
#[utoipa::path(put, path = "/api/v1/contacts/{id}/questions/{question_id}", tag = "contacts",
    params(("id" = uuid::Uuid, Path, description = "Contact id"), ("question_id" = uuid::Uuid, Path, description = "Question id")), request_body = QuestionInput,
    responses((status = 200, body = Contact), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn update_question(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath((id, question_id)): ApiPath<(ContactId, QuestionId)>,
    ApiJson(input): ApiJson<QuestionInput>,
) -> ApiResult<Json<Contact>> {
    Ok(Json(s.app.update_question(&who, id, question_id, input).await?))
}

/// The body a question was forwarded to confirmed it took it over; until then the water board
/// stays the owner.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/questions/{question_id}/forward-confirmation", tag = "contacts",
    params(("id" = uuid::Uuid, Path, description = "Contact id"), ("question_id" = uuid::Uuid, Path, description = "Question id")),
    responses((status = 200, body = Contact), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn confirm_forward(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath((id, question_id)): ApiPath<(ContactId, QuestionId)>,
) -> ApiResult<Json<Contact>> {
    Ok(Json(s.app.confirm_forward(&who, id, question_id).await?))
}

/// Park an open contact.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/park", tag = "contacts", params(("id" = uuid::Uuid, Path, description = "Contact id")),
    responses((status = 200, body = Contact), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn park(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<ContactId>,
) -> ApiResult<Json<Contact>> {
    Ok(Json(s.app.park_contact(&who, id).await?))
}

/// Resume a parked contact.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/resume", tag = "contacts", params(("id" = uuid::Uuid, Path, description = "Contact id")),
    responses((status = 200, body = Contact), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn resume(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<ContactId>,
) -> ApiResult<Json<Contact>> {
    Ok(Json(s.app.resume_contact(&who, id).await?))
}

/// Close a contact; records its end time and so its duration.
#[utoipa::path(post, path = "/api/v1/contacts/{id}/close", tag = "contacts", params(("id" = uuid::Uuid, Path, description = "Contact id")),
    responses((status = 200, body = Contact), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn close(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<ContactId>,
) -> ApiResult<Json<Contact>> {
    Ok(Json(s.app.close_contact(&who, id).await?))
}
