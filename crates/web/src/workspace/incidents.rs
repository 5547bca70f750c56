//! Incidents (calamity mode): reports of one category within 500 m and 6 hours grouped
//! together. Staff send one update to every reporter, show a banner on the public start page,
//! and close the incident when it is over.

use super::{AnswerForm, Frame, Page, Saved, error_page, explain, status_of};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use gastvrij_domain::ids::CaseId;
use gastvrij_domain::portal::IncidentId;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/werkplek/incidenten", get(list)).route("/werkplek/incidenten/{id}/{action}", post(act))
}

#[derive(Deserialize, Default)]
struct Shown {
    #[serde(default)]
    bereikt: Option<usize>,
}

async fn list(State(s): State<AppState>, page: Page, Query(q): Query<Shown>) -> Response {
    let notice = q.bereikt.map(|n| format!("Het bericht staat bij {n} melding(en) op de volgpagina."));
    render(&s, &page, None, notice.as_deref()).await
}

/// `templates/staff/incidents/page.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/incidents/page.html")]
struct IncidentsPage {
    frame: Frame,
    notice: Option<String>,
    error: Option<String>,
    incidents: Vec<IncidentView>,
}

struct IncidentView {
    id: IncidentId,
    title: String,
    open: bool,
    first: String,
    last: String,
    banner: String,
    reports: Vec<Report>,
}

struct Report {
    case_id: CaseId,
    when: String,
    text: String,
}

/// The page; `error` is a failed step with what it may have stored.
async fn render(s: &AppState, page: &Page, error: Option<(&AppError, Saved)>, notice: Option<&str>) -> Response {
    let who = &page.0.principal;
    let incidents = match s.app.incidents(who, false).await {
        Ok(i) => i,
        Err(e) => return error_page(&e),
    };
    let tz = super::super::portal::time_zone(s).await;
    let moment = |t| super::super::portal::dutch_moment(t, &tz);
    let mut views = Vec::with_capacity(incidents.len());
    for incident in &incidents {
        let reports = s.app.incident_reports(who, incident.id).await.map(|(_, r)| r).unwrap_or_default();
        views.push(IncidentView {
            id: incident.id,
            title: incident.title.clone(),
            open: incident.closed_at.is_none(),
            first: moment(incident.started_at),
            last: moment(incident.last_report_at),
            banner: incident.banner.clone().unwrap_or_default(),
            reports: reports
                .iter()
                .map(|r| Report {
                    case_id: r.case_id,
                    when: moment(r.created_at),
                    text: r.description.chars().take(120).collect(),
                })
                .collect(),
        });
    }
    let status = error.map(|(e, _)| status_of(e)).unwrap_or(StatusCode::OK);
    let error = error.map(|(e, saved)| explain(e, saved));
    let view =
        IncidentsPage { frame: page.frame("Incidenten"), notice: notice.map(str::to_string), error, incidents: views };
    (status, view).into_response()
}

fn incident_id(id: &str) -> Result<IncidentId, Box<Response>> {
    id.parse::<IncidentId>().map_err(|_| Box::new(error_page(&gastvrij_app::AppError::NotFound("incident"))))
}

/// A step on an incident: `bericht` (a message to every reporter), `banier` (the banner on the
/// public start page) or `sluiten` (close it, which takes the banner down).
async fn act(
    State(s): State<AppState>,
    page: Page,
    Path((id, action)): Path<(String, String)>,
    Form(form): Form<AnswerForm>,
) -> Response {
    if let Some(refused) = page.refuse_bad_csrf(&form.csrf) {
        return refused;
    }
    let id = match incident_id(&id) {
        Ok(i) => i,
        Err(r) => return *r,
    };
    let who = &page.0.principal;
    let (done, saved) = match action.as_str() {
        "bericht" => (
            s.app
                .update_incident_reporters(who, id, &form.answer)
                .await
                .map(|n| format!("/werkplek/incidenten?bereikt={n}")),
            Saved::Maybe,
        ),
        "banier" => (
            s.app.set_incident(who, id, Some(&form.answer), false).await.map(|_| "/werkplek/incidenten".to_string()),
            Saved::Nothing,
        ),
        "sluiten" => {
            (s.app.set_incident(who, id, None, true).await.map(|_| "/werkplek/incidenten".to_string()), Saved::Nothing)
        }
        _ => return crate::pages::not_found().await.into_response(),
    };
    match done {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(e) => render(&s, &page, Some((&e, saved)), None).await,
    }
}
