//! Telephony data: the platform reports calls (offered, answered, abandoned, waiting seconds,
//! agent); they feed the reachability norm and can be linked to a contact.

use crate::AppState;
use crate::auth::Staff;
use crate::error::ApiResult;
use crate::extract::{ApiJson, ApiQuery};
use axum::extract::State;
use axum::routing::post;
use axum::{Json, Router};
use gastvrij_domain::telephony::{Call, CallInput};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new().route("/telephony/calls", post(record).get(list))
}

/// Calls to record (at most 1,000); a call id seen before updates that call.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct CallBatch {
    pub calls: Vec<CallInput>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Recorded {
    /// How many calls were stored.
    pub stored: u64,
}

/// Record calls from the telephony platform: all or none.
#[utoipa::path(post, path = "/api/v1/telephony/calls", tag = "telephony", request_body = CallBatch,
    responses((status = 200, body = Recorded), (status = 422, body = crate::error::ErrorBody)), security(("bearer" = [])))]
pub async fn record(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiJson(batch): ApiJson<CallBatch>,
) -> ApiResult<Json<Recorded>> {
    Ok(Json(Recorded { stored: s.app.record_calls(&who, batch.calls).await? }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CallPeriod {
    /// Start of the period (RFC 3339).
    #[param(value_type = String, format = DateTime)]
    pub from: jiff::Timestamp,
    /// End of the period, exclusive (RFC 3339).
    #[param(value_type = String, format = DateTime)]
    pub to: jiff::Timestamp,
}

/// Calls offered in a period, oldest first.
#[utoipa::path(get, path = "/api/v1/telephony/calls", tag = "telephony", params(CallPeriod),
    responses((status = 200, body = [Call])), security(("bearer" = [])))]
pub async fn list(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<CallPeriod>,
) -> ApiResult<Json<Vec<Call>>> {
    Ok(Json(s.app.calls(&who, p.from, p.to).await?))
}
