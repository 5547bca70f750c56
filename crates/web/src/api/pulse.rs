//! The employee pulse's trend (issue 15), from the same roll-up as the workspace page: per
//! period and group, the averages, or nothing where fewer than five answered.

use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gastvrij_domain::ids::TeamId;
use gastvrij_domain::pulse::{PulseFigures, Question};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub fn router() -> Router<AppState> {
    Router::new().route("/pulse", get(trend))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PulseParams {
    /// First day (`2026-01-01`); default three years before `to`.
    #[param(format = Date)]
    pub from: Option<String>,
    /// The day after the last (exclusive); default the end of the current period.
    #[param(format = Date)]
    pub to: Option<String>,
    /// Only this team.
    #[param(format = Uuid)]
    pub team: Option<String>,
}

/// The trend of the pulse: the periods (at most 12, the latest) and per group its figures.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PulseTrend {
    /// week, two_weeks or month.
    pub cadence: String,
    pub periods: Vec<PulsePeriod>,
    /// The organisation (no team) first, then the teams the caller may see.
    pub groups: Vec<PulseGroup>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PulsePeriod {
    #[schema(format = Date)]
    pub start: String,
    /// The day after the period.
    #[schema(format = Date)]
    pub end: String,
    pub label: String,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PulseGroup {
    #[schema(value_type = Option<String>, format = Uuid)]
    pub team_id: Option<TeamId>,
    pub team_name: Option<String>,
    /// One per period, in the order of `periods`.
    pub figures: Vec<PulsePoint>,
}

/// A group's figures in a period; everything but `shown` is absent when fewer than five answered.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct PulsePoint {
    pub shown: bool,
    pub answers: Option<u64>,
    /// Average per statement: workload, equipped, collaboration, trust_in_knowledge, enjoyment.
    pub averages: Option<BTreeMap<String, f64>>,
    pub overall: Option<f64>,
}

fn date(field: &str, s: Option<&str>) -> Result<Option<jiff::civil::Date>, ApiError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| ApiError::bad_request(format!("{field}: `{s}` is not a date; write 2026-01-01"))),
    }
}

/// The pulse per period for the organisation and the teams the caller may see (team leads:
/// their own team; beheerders: every team).
#[utoipa::path(get, path = "/api/v1/pulse", tag = "pulse", params(PulseParams),
    responses((status = 200, body = PulseTrend), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn trend(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<PulseParams>,
) -> ApiResult<Json<PulseTrend>> {
    let from = date("from", p.from.as_deref())?;
    let to = date("to", p.to.as_deref())?;
    let team = match p.team.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        None => None,
        Some(t) => {
            Some(t.parse::<TeamId>().map_err(|_| ApiError::bad_request(format!("team: `{t}` is not a team id")))?)
        }
    };
    let report = s.app.pulse_report(&who, from, to, team).await?;
    let periods = report
        .periods
        .iter()
        .map(|p| PulsePeriod { start: p.start.to_string(), end: p.end.to_string(), label: p.label() })
        .collect();
    let groups = report
        .groups
        .iter()
        .map(|g| PulseGroup {
            team_id: g.team.as_ref().map(|t| t.id),
            team_name: g.team.as_ref().map(|t| t.name.clone()),
            figures: g
                .figures
                .iter()
                .map(|f| match f {
                    PulseFigures::Shown { answers, averages, overall } => PulsePoint {
                        shown: true,
                        answers: Some(*answers),
                        averages: Some(Question::ALL.iter().map(|q| q.code().to_string()).zip(*averages).collect()),
                        overall: Some(*overall),
                    },
                    PulseFigures::TooFewAnswers => {
                        PulsePoint { shown: false, answers: None, averages: None, overall: None }
                    }
                })
                .collect(),
        })
        .collect();
    Ok(Json(PulseTrend { cadence: report.cadence.code().to_string(), periods, groups }))
}
