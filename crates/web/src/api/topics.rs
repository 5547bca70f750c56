use crate::AppState;
use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiJson, ApiPath};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::get;
use axum::{Json, Router};
use gastvrij_domain::ids::TopicId;
use gastvrij_domain::topic::{Topic, TopicInput};

pub fn router() -> Router<AppState> {
    Router::new().route("/topics", get(list).post(create)).route("/topics/{id}", get(show).put(update))
}

/// The topic tree as a flat list (each topic names its parent).
#[utoipa::path(get, path = "/api/v1/topics", tag = "topics", responses((status = 200, body = [Topic])), security(("bearer" = [])))]
pub async fn list(State(s): State<AppState>, Staff(who): Staff) -> ApiResult<Json<Vec<Topic>>> {
    Ok(Json(s.app.topics(&who).await?))
}

/// Create a topic (redacteur).
#[utoipa::path(post, path = "/api/v1/topics", tag = "topics", request_body = TopicInput,
    responses((status = 201, body = Topic), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn create(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiJson(input): ApiJson<TopicInput>,
) -> ApiResult<(StatusCode, Json<Topic>)> {
    Ok((StatusCode::CREATED, Json(s.app.create_topic(&who, input).await?)))
}

/// One topic.
#[utoipa::path(get, path = "/api/v1/topics/{id}", tag = "topics", params(("id" = uuid::Uuid, Path, description = "Topic id")),
    responses((status = 200, body = Topic), (status = 404, body = ErrorBody)), security(("bearer" = [])))]
pub async fn show(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<TopicId>,
) -> ApiResult<Json<Topic>> {
    Ok(Json(s.app.topic(&who, id).await?))
}

/// Change a topic (redacteur); a parent inside its own subtree is refused.
#[utoipa::path(put, path = "/api/v1/topics/{id}", tag = "topics", params(("id" = uuid::Uuid, Path, description = "Topic id")), request_body = TopicInput,
    responses((status = 200, body = Topic), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn update(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<TopicId>,
    ApiJson(input): ApiJson<TopicInput>,
) -> ApiResult<Json<Topic>> {
    Ok(Json(s.app.update_topic(&who, id, input).await?))
}
