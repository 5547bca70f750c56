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
    /// none, team, topic, channel, case_type, norm_category or segment (the first segment of the
    /// case's customer; `geen` for a case without one).
    #[serde(default)]
    pub group_by: GroupBy,
    /// Open cases due within this many hours count as at risk (default 48).
    #[param(minimum = 0, maximum = 8784)]
    pub horizon_hours: Option<i64>,
    /// Only the cases of this team (id); calls have no team and are left out.
    pub team: Option<String>,
    /// Only the cases of this topic (id); calls are left out.
    pub topic: Option<String>,
    /// Only the cases that came in on this channel; calls count only for `telefoon`.
    pub channel: Option<String>,
    /// Only the cases of customers whose first segment is this one (`agrariër`); calls are left out.
    pub segment: Option<String>,
}

/// A filter value parsed, or a 422 naming the field.
fn parsed<T: std::str::FromStr>(
    field: &'static str,
    v: &Option<String>,
    expected: gastvrij_domain::Format,
) -> Result<Option<T>, gastvrij_app::AppError> {
    let Some(v) = v.as_deref().map(str::trim).filter(|v| !v.is_empty()) else { return Ok(None) };
    v.parse().map(Some).map_err(|_| gastvrij_domain::Invalid::malformed(field, v, expected).into())
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
    let channel = match p.channel.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
        Some(c) => Some(c.parse::<gastvrij_domain::channel::Channel>().map_err(gastvrij_app::AppError::from)?),
        None => None,
    };
    let filter = gastvrij_app::ports::NormFilter {
        team: parsed("team", &p.team, gastvrij_domain::Format::Uuid)?,
        topic: parsed("topic", &p.topic, gastvrij_domain::Format::Uuid)?,
        channel,
        segment: match p.segment.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            Some(v) => {
                Some(v.parse::<gastvrij_domain::customer::Segment>().map_err(|mut e: gastvrij_domain::Invalid| {
                    e.field = "segment";
                    gastvrij_app::AppError::from(e)
                })?)
            }
            None => None,
        },
    };
    let horizon = jiff::SignedDuration::from_hours(hours);
    Ok(Json(s.app.compliance_for(&who, from, to, p.group_by, horizon, &filter).await?))
}
