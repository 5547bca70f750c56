//! Customer satisfaction (issue 15) from the same use case as `/werkplek/cijfers/tevredenheid`:
//! per bucket (day, week, month) the answers, the average grade, the share solved, the average
//! effort and the low grades, for everything and per group of the split.

use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gastvrij_app::AppError;
use gastvrij_app::satisfaction::{SatisfactionQuery, SatisfactionSeries};
use gastvrij_domain::satisfaction::SatisfactionTotals;
use gastvrij_domain::{Format, Invalid};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new().route("/satisfaction", get(figures))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SatisfactionParams {
    /// First day (`2026-01-01`); default 12 buckets before `to`.
    #[param(format = Date)]
    pub from: Option<String>,
    /// The day after the last (exclusive); default tomorrow.
    #[param(format = Date)]
    pub to: Option<String>,
    /// `day`, `week` (default) or `month`.
    pub per: Option<String>,
    /// `total` (default), `channel`, `topic`, `team`, `segment` or `case_type`.
    pub split: Option<String>,
    /// Only this channel (`telefoon`).
    pub channel: Option<String>,
    /// Only this team.
    #[param(format = Uuid)]
    pub team: Option<String>,
    /// Only this topic.
    #[param(format = Uuid)]
    pub topic: Option<String>,
    /// Only this segment (`agrariër`).
    pub segment: Option<String>,
}

/// The figures of a group of answers; the averages are absent without answers.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SatisfactionPoint {
    pub answers: u64,
    pub average_grade: Option<f64>,
    pub solved_percent: Option<f64>,
    pub average_effort: Option<f64>,
    /// Answers with a grade of 5 or lower.
    pub low_grades: u64,
}

impl SatisfactionPoint {
    fn of(t: &SatisfactionTotals) -> Self {
        SatisfactionPoint {
            answers: t.answers,
            average_grade: t.grade(),
            solved_percent: t.solved_percent(),
            average_effort: t.effort(),
            low_grades: t.low,
        }
    }
}

/// One line: its key (`totaal`, a channel code, a team or topic id, a segment or case type code;
/// `""` for answers whose group is unknown), per bucket and over the whole period.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SatisfactionLine {
    pub key: String,
    pub per_bucket: Vec<SatisfactionPoint>,
    pub total: SatisfactionPoint,
}

impl SatisfactionLine {
    fn of(s: &SatisfactionSeries) -> Self {
        SatisfactionLine {
            key: s.key.clone(),
            per_bucket: s.per_bucket.iter().map(SatisfactionPoint::of).collect(),
            total: SatisfactionPoint::of(&s.total),
        }
    }
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct SatisfactionFigures {
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
    pub per: String,
    pub split: String,
    /// The first day of each bucket, oldest first.
    pub buckets: Vec<String>,
    pub overall: SatisfactionLine,
    /// One line per group of the split (none for `total`).
    pub groups: Vec<SatisfactionLine>,
}

fn given(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

pub(crate) fn id(field: &'static str, v: &Option<String>) -> Result<Option<String>, ApiError> {
    match given(v) {
        None => Ok(None),
        Some(v) if v.parse::<uuid::Uuid>().is_ok() => Ok(Some(v.to_string())),
        Some(v) => Err(AppError::from(Invalid::malformed(field, v, Format::Uuid)).into()),
    }
}

pub(crate) fn date(field: &'static str, v: &Option<String>) -> Result<Option<jiff::civil::Date>, ApiError> {
    crate::extract::optional_date(field, v.as_deref()).map_err(|e| AppError::from(e).into())
}

fn code<T: std::str::FromStr<Err = Invalid>>(field: &'static str, v: &Option<String>) -> Result<Option<T>, ApiError> {
    match given(v) {
        None => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|mut e: Invalid| {
            e.field = field;
            AppError::from(e).into()
        }),
    }
}

/// Customer satisfaction per bucket, for everything and per group of the split (team leads and
/// beheerders).
#[utoipa::path(get, path = "/api/v1/satisfaction", tag = "satisfaction", params(SatisfactionParams),
    responses((status = 200, body = SatisfactionFigures), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn figures(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<SatisfactionParams>,
) -> ApiResult<Json<SatisfactionFigures>> {
    let q = SatisfactionQuery {
        from: date("from", &p.from)?,
        to: date("to", &p.to)?,
        granularity: code("per", &p.per)?.unwrap_or_default(),
        split: code("split", &p.split)?.unwrap_or_default(),
        channel: code("channel", &p.channel)?,
        team_id: id("team", &p.team)?,
        topic_id: id("topic", &p.topic)?,
        segment: code("segment", &p.segment)?,
    };
    let r = s.app.satisfaction(&who, &q).await?;
    Ok(Json(SatisfactionFigures {
        from: r.from.to_string(),
        to: r.to.to_string(),
        per: r.granularity.code().to_string(),
        split: r.split.code().to_string(),
        buckets: r.buckets.iter().map(ToString::to_string).collect(),
        overall: SatisfactionLine::of(&r.overall),
        groups: r.series.iter().map(SatisfactionLine::of).collect(),
    }))
}
