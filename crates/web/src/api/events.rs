use crate::AppState;
use crate::auth::Staff;
use crate::error::ApiResult;
use crate::extract::ApiQuery;
use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use gastvrij_app::ports::EventQuery;
use gastvrij_domain::audit::Event;
use gastvrij_domain::ids::TeamId;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/events", get(list))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventParams {
    /// Events for this team (and, for a signed-in employee, their own).
    pub team_id: Option<TeamId>,
    /// Events after this sequence number (for polling).
    pub after: Option<i64>,
    pub limit: Option<u32>,
}

/// Events for the caller and their team, e.g. cases entering their risk horizon, oldest first.
#[utoipa::path(get, path = "/api/v1/events", tag = "events", params(EventParams), responses((status = 200, body = [Event])), security(("bearer" = [])))]
pub async fn list(
    State(s): State<AppState>,
    Staff(who): Staff,
    ApiQuery(p): ApiQuery<EventParams>,
) -> ApiResult<Json<Vec<Event>>> {
    let query = EventQuery {
        team_id: p.team_id,
        employee_id: who.employee_id(),
        after_seq: p.after,
        page: super::PageParams { limit: p.limit, offset: None }.page()?,
    };
    Ok(Json(s.app.events(&who, &query).await?))
}
