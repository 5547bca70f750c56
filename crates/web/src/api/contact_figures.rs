//! Contact figures (issue 15) from the same use case as `/werkplek/cijfers/contacten`: first time
//! right, consultations, handovers per team, contacts per channel and per hour of the week. Every
//! figure is defined in `docs/contact-figures.md`.

use super::satisfaction::{date, id};
use crate::AppState;
use crate::auth::Staff;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::ApiQuery;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gastvrij_app::contact_figures::{ContactFigures, ContactFiguresQuery};
use serde::{Deserialize, Serialize};

pub fn router() -> Router<AppState> {
    Router::new().route("/contact-figures", get(figures))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactFigureParams {
    /// First day (`2026-01-01`); default four weeks before `to`.
    #[param(format = Date)]
    pub from: Option<String>,
    /// The day after the last (exclusive); default tomorrow.
    #[param(format = Date)]
    pub to: Option<String>,
    /// Only the contacts and consultations of this team: handled or asked by an employee of it, then.
    #[param(format = Uuid)]
    pub team: Option<String>,
    /// Only the contacts whose customer's first segment is this code (`inwoner`, …); empty for
    /// contacts without a known segment. Does not narrow the consultations.
    pub segment: Option<String>,
}

/// Contacts on one channel.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ChannelCount {
    pub channel: String,
    pub contacts: u64,
}

/// Questions handed over as a case to one team (`""`: the case's team is unknown).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct TeamHandovers {
    pub team_id: String,
    pub questions: u64,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ContactFigureBody {
    #[schema(format = Date)]
    pub from: String,
    #[schema(format = Date)]
    pub to: String,
    pub contacts: u64,
    pub closed: u64,
    /// Closed contacts whose questions were all answered at once.
    pub first_time_right: u64,
    /// `first_time_right` as a percentage of `closed`; absent without closed contacts.
    pub first_time_right_percent: Option<f64>,
    pub consultations_asked: u64,
    pub consultations_answered: u64,
    pub consultations_to_article: u64,
    pub handovers: Vec<TeamHandovers>,
    pub forwarded: u64,
    pub per_channel: Vec<ChannelCount>,
    /// Contacts per weekday (Monday first) and hour (0–23) in the organisation's time zone.
    pub hour_of_week: Vec<Vec<u64>>,
}

impl ContactFigureBody {
    pub fn of(r: &ContactFigures) -> Self {
        ContactFigureBody {
            from: r.from.to_string(),
            to: r.to.to_string(),
            contacts: r.contacts,
            closed: r.closed,
            first_time_right: r.first_time,
            first_time_right_percent: r.first_time_percent(),
            consultations_asked: r.consults_asked,
            consultations_answered: r.consults_answered,
            consultations_to_article: r.consults_to_article,
            handovers: r.handovers.iter().map(|(t, n)| TeamHandovers { team_id: t.clone(), questions: *n }).collect(),
            forwarded: r.forwarded,
            per_channel: r
                .per_channel
                .iter()
                .map(|(c, n)| ChannelCount { channel: c.code().to_string(), contacts: *n })
                .collect(),
            hour_of_week: r.week.iter().map(|d| d.to_vec()).collect(),
        }
    }
}

/// Contact figures of a period (team leads and beheerders).
#[utoipa::path(get, path = "/api/v1/contact-figures", tag = "contact-figures", params(ContactFigureParams),
    responses((status = 200, body = ContactFigureBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 422, body = ErrorBody)),
    security(("bearer" = [])))]
pub async fn figures(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<ContactFigureParams>,
) -> ApiResult<Json<ContactFigureBody>> {
    let q = ContactFiguresQuery {
        from: date("from", &p.from)?,
        to: date("to", &p.to)?,
        team_id: id("team", &p.team)?,
        segment: p.segment.map(|s| s.trim().to_string()),
    };
    let r = s.app.contact_figures(&who, &q).await?;
    Ok(Json(ContactFigureBody::of(&r)))
}
