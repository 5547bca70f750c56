//! The mail outbox for team leads and administrators: counts per status, the mails with their
//! recipients masked, and trying a failed mail once more.

use crate::AppState;
use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ApiPath, ApiQuery};
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::{Json, Router};
use gastvrij_app::mail::MailOverview;
use gastvrij_domain::ids::MailId;
use gastvrij_domain::mail::MailStatus;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/mail", get(list)).route("/mail/{id}/retry", post(retry))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MailParams {
    /// Only mails in this status: `pending`, `sent` or `failed`.
    #[param(value_type = Option<String>)]
    pub status: Option<MailStatus>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

/// Outgoing mail: counts per status and the mails, newest first, recipients masked
/// (`j***@example.nl`) and without their text. For team leads and administrators.
#[utoipa::path(get, path = "/api/v1/mail", tag = "mail", params(MailParams),
    responses((status = 200, body = MailOverview), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn list(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<MailParams>,
) -> ApiResult<Json<MailOverview>> {
    let page = super::PageParams { limit: p.limit, offset: p.offset }.page()?;
    Ok(Json(s.app.mail_overview(&who, p.status, page).await?))
}

/// Try a failed mail once more, now.
#[utoipa::path(post, path = "/api/v1/mail/{id}/retry", tag = "mail", params(("id" = uuid::Uuid, Path, description = "The mail's id")),
    responses((status = 202, description = "The mail waits for its next attempt"), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "The mail is not failed")),
    security(("bearer" = [])))]
pub async fn retry(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiPath(id): ApiPath<MailId>,
) -> ApiResult<StatusCode> {
    s.app.retry_mail(&who, id).await?;
    Ok(StatusCode::ACCEPTED)
}
