//! The team's queue: open cases of the signed-in employee's team, the nearest deadline first,
//! with the deadline as people say it ("nog 3 werkdagen", "2 werkdagen te laat").

use super::{Frame, Page, error_page};
use crate::AppState;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gastvrij_app::Page as Paging;
use gastvrij_app::ports::CaseQuery;
use gastvrij_domain::ids::CaseId;

pub fn router() -> Router<AppState> {
    Router::new().route("/werkplek/zaken", get(queue))
}

/// `templates/staff/queue/page.html`; no team: the page says how to get one.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/queue/page.html")]
struct QueuePage {
    frame: Frame,
    team: Option<String>,
    cases: Vec<CaseRow>,
}

struct CaseRow {
    id: CaseId,
    reference: String,
    kind: &'static str,
    subject: String,
    status: &'static str,
    due: String,
}

async fn queue(State(s): State<AppState>, page: Page) -> Response {
    let who = &page.0.principal;
    let frame = page.frame("Zaken van mijn team");
    let team = match who.employee_id() {
        Some(id) => s.app.employee(who, id).await.ok().and_then(|e| e.team_id),
        None => None,
    };
    let Some(team) = team else {
        return QueuePage { frame, team: None, cases: vec![] }.into_response();
    };
    let teams = s.app.teams(who).await.unwrap_or_default();
    let team_name = teams.iter().find(|x| x.id == team).map(|t| t.name.clone()).unwrap_or_default();
    let mut cases = match s
        .app
        .cases(who, &CaseQuery { team_id: Some(team), open_only: true, page: Paging::first(200), ..Default::default() })
        .await
    {
        Ok(c) => c,
        Err(e) => return error_page(&e),
    };
    cases.sort_by_key(|c| c.timing.deadlines.as_ref().map(|d| d.service_norm));
    let cases = cases
        .iter()
        .map(|c| CaseRow {
            id: c.id,
            reference: c.reference.clone(),
            kind: c.case_type.label(),
            subject: c.subject.clone(),
            status: c.status.label(),
            due: c
                .timing
                .deadlines
                .as_ref()
                .map(|d| s.app.due_phrase(d.service_norm))
                .unwrap_or_else(|| "geen norm".into()),
        })
        .collect();
    QueuePage { frame, team: Some(team_name), cases }.into_response()
}
