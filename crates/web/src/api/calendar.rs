//! `GET /api/v1/calendar/deadline` and `/holidays`: the same answers as `gastvrij calendar`.

use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gastvrij_domain::calendar::{Calendar, CalendarError, parse_date};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new().route("/calendar/deadline", get(deadline)).route("/calendar/holidays", get(holidays))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeadlineParams {
    /// A date (`2026-04-02`) for day-based terms, or a moment (`2026-04-02T16:30:00+02:00`) for hours.
    pub start: Option<String>,
    #[param(minimum = 0)]
    pub working_days: Option<i64>,
    #[param(minimum = 0)]
    pub weeks: Option<i64>,
    #[param(minimum = 0)]
    pub calendar_days: Option<i64>,
    #[param(minimum = 0)]
    pub business_hours: Option<i64>,
    #[param(minimum = 0)]
    pub clock_hours: Option<i64>,
    /// A configured calendar (default `termijnenwet`).
    pub calendar: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct DeadlineAnswer {
    /// `YYYY-MM-DD` for day-based terms; RFC 3339 with the calendar's local offset for hours.
    pub deadline: String,
    pub calendar: String,
}

fn bad(e: CalendarError) -> ApiError {
    ApiError::bad_request(e.to_string())
}

fn calendar(state: &AppState, name: Option<&str>) -> ApiResult<Calendar> {
    let name = name.map(str::trim).filter(|n| !n.is_empty()).unwrap_or("termijnenwet");
    state.app.settings().calendars.get(name).cloned().map_err(|e| ApiError::bad_request(crate::wording::english(&e)))
}

/// A deadline: N working days, weeks (Algemene termijnenwet) or calendar days after a date, or N
/// business or clock hours after a moment.
#[utoipa::path(get, path = "/api/v1/calendar/deadline", tag = "calendar", params(DeadlineParams),
    responses((status = 200, body = DeadlineAnswer), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
pub async fn deadline(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<DeadlineParams>,
) -> ApiResult<Json<DeadlineAnswer>> {
    s.app.organisation(&who).await?;
    let cal = calendar(&s, p.calendar.as_deref())?;
    let given: Vec<(&str, i64)> = [
        ("working_days", p.working_days),
        ("weeks", p.weeks),
        ("calendar_days", p.calendar_days),
        ("business_hours", p.business_hours),
        ("clock_hours", p.clock_hours),
    ]
    .into_iter()
    .filter_map(|(f, v)| v.map(|v| (f, v)))
    .collect();
    let [(field, n)] = given.as_slice() else {
        return Err(ApiError::bad_request(
            "give exactly one of working_days, weeks, calendar_days, business_hours or clock_hours, e.g. working_days=3",
        ));
    };
    if *n < 0 {
        return Err(bad(CalendarError::Negative { field: (*field).to_string(), value: n.to_string() }));
    }
    let n = u32::try_from(*n).map_err(|_| ApiError::bad_request(format!("{field} is too large")))?;
    let start = p.start.as_deref().map(str::trim).filter(|s| !s.is_empty()).ok_or_else(|| {
        ApiError::bad_request(
            "start is missing; pass a date such as 2026-04-02, or a moment such as 2026-04-02T16:30:00+02:00",
        )
    })?;
    let is_date = start.len() == 10;
    let deadline = match *field {
        "working_days" | "weeks" | "calendar_days" => {
            let date = if is_date { parse_date("start", start).map_err(bad)? } else { cal.date_of(moment(start)?) };
            let due = match *field {
                "working_days" => cal.add_working_days(date, n),
                "weeks" => cal.add_weeks(date, n),
                _ => cal.add_calendar_days(date, n),
            };
            due.map_err(bad)?.to_string()
        }
        _ => {
            if is_date {
                return Err(ApiError::bad_request(format!(
                    "start {start} is a date, but {field} needs a moment; pass e.g. {start}T16:30:00+02:00"
                )));
            }
            let at = moment(start)?;
            let due = if *field == "business_hours" {
                cal.add_business_hours(at, n)
            } else {
                at.checked_add(jiff::SignedDuration::from_hours(i64::from(n)))
                    .map_err(|_| CalendarError::Invalid { field: "clock_hours".into(), message: "is too large".into() })
            };
            cal.format_moment(due.map_err(bad)?)
        }
    };
    Ok(Json(DeadlineAnswer { deadline, calendar: cal.name().to_string() }))
}

fn moment(s: &str) -> ApiResult<jiff::Timestamp> {
    s.parse().map_err(|_| {
        ApiError::bad_request(format!(
            "start: `{s}` is not a date or moment; write 2026-04-02 or 2026-04-02T16:30:00+02:00"
        ))
    })
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HolidayParams {
    /// A year from 1583 (the first Gregorian year) to 9999.
    #[param(minimum = 1583, maximum = 9999)]
    pub year: i16,
    pub calendar: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct HolidayAnswer {
    pub date: String,
    pub name: String,
}

/// The days a calendar is closed for in a year: holidays and closing days.
#[utoipa::path(get, path = "/api/v1/calendar/holidays", tag = "calendar", params(HolidayParams),
    responses((status = 200, body = [HolidayAnswer]), (status = 400, body = ErrorBody)), security(("bearer" = [])))]
pub async fn holidays(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<HolidayParams>,
) -> ApiResult<Json<Vec<HolidayAnswer>>> {
    s.app.organisation(&who).await?;
    let cal = calendar(&s, p.calendar.as_deref())?;
    let days = cal.holidays(p.year).map_err(bad)?;
    Ok(Json(
        days.into_iter()
            .filter(|h| h.closes_office)
            .map(|h| HolidayAnswer { date: h.date.to_string(), name: h.name })
            .collect(),
    ))
}
