use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gastvrij_app::norms::{ComplianceReport, GroupBy};
use gastvrij_domain::norms::NormSet;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/norms", get(show)).route("/norms/compliance", get(compliance))
}

/// The service norms per case type and channel valid today.
#[utoipa::path(get, path = "/api/v1/norms", tag = "norms", responses((status = 200, body = NormSet)), security(("bearer" = [])))]
pub async fn show(State(s): State<AppState>, Staff(who): Staff) -> ApiResult<Json<NormSet>> {
    Ok(Json(s.app.norms(&who).await?))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ComplianceParams {
    /// Start of the period: a date (`2026-01-01`, local midnight) or an RFC 3339 moment.
    #[param(format = Date)]
    pub from: String,
    /// End of the period (exclusive), same notation.
    #[param(format = Date)]
    pub to: String,
    /// none, team, topic, channel, case_type or norm_category.
    #[serde(default)]
    pub group_by: GroupBy,
    /// Open cases due within this many hours count as at risk (default 48).
    #[param(minimum = 0, maximum = 8784)]
    pub horizon_hours: Option<i64>,
}

fn moment(field: &str, s: &str, tz: &jiff::tz::TimeZone) -> Result<jiff::Timestamp, ApiError> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    s.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| d.to_zoned_datetime(tz.clone()).ok())
        .map(|z| z.timestamp())
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "{field}: `{s}` is not a date or moment; write 2026-01-01 or 2026-01-01T00:00:00+01:00"
            ))
        })
}

/// Compliance with the norms for a period: in scope, within norm, late, open and at risk, the
/// share within norm against the target, and a weekly trend.
#[utoipa::path(get, path = "/api/v1/norms/compliance", tag = "norms", params(ComplianceParams),
    responses((status = 200, body = ComplianceReport), (status = 400, body = ErrorBody), (status = 422, body = ErrorBody)), security(("bearer" = [])))]
pub async fn compliance(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<ComplianceParams>,
) -> ApiResult<Json<ComplianceReport>> {
    let tz = s.app.settings().calendars.get("termijnenwet").map_err(gastvrij_app::AppError::from)?.time_zone().clone();
    let from = moment("from", &p.from, &tz)?;
    let to = moment("to", &p.to, &tz)?;
    let hours = p.horizon_hours.unwrap_or(48);
    if !(0..=24 * 366).contains(&hours) {
        return Err(ApiError::bad_request("horizon_hours must be between 0 and 8784"));
    }
    Ok(Json(s.app.compliance(&who, from, to, p.group_by, jiff::SignedDuration::from_hours(hours)).await?))
}
