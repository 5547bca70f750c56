use crate::AppState;
use crate::auth::Staff;
use crate::error::ApiResult;
use crate::extract::ApiQuery;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gastvrij_app::ports::AuditQuery;
use gastvrij_domain::audit::AuditEntry;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/audit", get(list))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// Entries about this record only.
    pub entity_id: Option<String>,
    /// Entries after this sequence number (for following the log).
    pub after: Option<i64>,
    pub limit: Option<u32>,
    pub offset: Option<u32>,
}

/// The audit log, oldest first (beheerder).
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", params(AuditParams), responses((status = 200, body = [AuditEntry])), security(("bearer" = [])))]
pub async fn list(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<AuditParams>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    let query = AuditQuery {
        entity_id: p.entity_id,
        after_seq: p.after,
        page: super::PageParams { limit: p.limit, offset: p.offset }.page()?,
    };
    Ok(Json(s.app.audit_log(&who, &query).await?))
}
