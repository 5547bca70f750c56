//! The team's queue: open cases of the signed-in employee's team, the nearest deadline first,
//! with the owner and the deadline as people say it ("nog 3 werkdagen", "2 werkdagen te laat",
//! "opgeschort sinds …"). A GET form filters on mine / unassigned / at risk / late, type, topic
//! and status, so it works without JavaScript.

use super::{Choice, Frame, Page, choices, dutch, error_page};
use crate::AppState;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use gastvrij_app::AppError;
use gastvrij_app::case_work::{QueueFilter, QueueView};
use gastvrij_domain::case::{CaseStatus, CaseType};
use gastvrij_domain::ids::{CaseId, TopicId};
use gastvrij_domain::{Invalid, InvalidKind};

pub fn router() -> Router<AppState> {
    Router::new().route("/werkplek/zaken", get(queue))
}

/// `templates/staff/queue/page.html`; no team: the page says how to get one.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/queue/page.html")]
struct QueuePage {
    frame: Frame,
    team: Option<String>,
    error: Option<String>,
    views: Vec<Choice>,
    kinds: Vec<Choice>,
    topics: Vec<Choice>,
    statuses: Vec<Choice>,
    cases: Vec<CaseRow>,
}

struct CaseRow {
    id: CaseId,
    reference: String,
    kind: &'static str,
    subject: String,
    status: &'static str,
    owner: String,
    due: String,
}

/// The filter as the form sends it (every field may be empty).
#[derive(serde::Deserialize, Default)]
struct Filters {
    #[serde(default)]
    welke: String,
    #[serde(default)]
    soort: String,
    #[serde(default)]
    onderwerp: String,
    #[serde(default)]
    status: String,
}

const VIEWS: [(QueueView, &str, &str); 5] = [
    (QueueView::All, "", "Alle open zaken"),
    (QueueView::Mine, "mijn", "Mijn zaken"),
    (QueueView::Unassigned, "zonder", "Zonder eigenaar"),
    (QueueView::AtRisk, "risico", "Bijna te laat"),
    (QueueView::Late, "laat", "Te laat"),
];

impl Filters {
    fn parse(&self) -> Result<QueueFilter, Invalid> {
        fn some(v: &str) -> Option<&str> {
            Some(v.trim()).filter(|v| !v.is_empty())
        }
        let view = VIEWS.iter().find(|(_, code, _)| *code == self.welke.trim()).map(|v| v.0).ok_or_else(|| {
            let allowed = VIEWS.iter().map(|v| v.1.to_string()).collect();
            Invalid::new("welke", InvalidKind::Unknown { given: self.welke.clone(), allowed })
        })?;
        let topic_id = match some(&self.onderwerp) {
            Some(t) => Some(t.parse::<TopicId>().map_err(|_| Invalid::unknown_id("topic_id", t))?),
            None => None,
        };
        Ok(QueueFilter {
            view,
            case_type: some(&self.soort).map(str::parse::<CaseType>).transpose()?,
            topic_id,
            status: some(&self.status).map(str::parse::<CaseStatus>).transpose()?,
        })
    }
}

async fn queue(State(s): State<AppState>, page: Page, Query(f): Query<Filters>) -> Response {
    let who = &page.0.principal;
    let frame = page.frame("Zaken van mijn team");
    let views = choices(VIEWS.iter().map(|v| (v.1, v.2)), &f.welke);
    let kinds = choices(
        std::iter::once(("", "Alle soorten")).chain(CaseType::ALL.iter().map(|t| (t.code(), t.label()))),
        &f.soort,
    );
    let statuses = choices(
        std::iter::once(("", "Alle open")).chain(CaseStatus::ALL.iter().map(|t| (t.code(), t.label()))),
        &f.status,
    );
    let topics = s.app.topics(who).await.unwrap_or_default();
    let topics = choices(
        std::iter::once((String::new(), "Alle onderwerpen".to_string()))
            .chain(topics.iter().map(|t| (t.id.to_string(), t.name.clone()))),
        &f.onderwerp,
    );
    let mut view = QueuePage { frame, team: None, error: None, views, kinds, topics, statuses, cases: vec![] };
    let team = match who.employee_id() {
        Some(id) => s.app.employee(who, id).await.ok().and_then(|e| e.team_id),
        None => None,
    };
    let Some(team) = team else {
        return view.into_response();
    };
    let teams = s.app.teams(who).await.unwrap_or_default();
    view.team = Some(teams.iter().find(|x| x.id == team).map(|t| t.name.clone()).unwrap_or_default());
    let filter = match f.parse() {
        Ok(filter) => filter,
        Err(e) => {
            view.error = Some(dutch(&e.into()));
            return (StatusCode::UNPROCESSABLE_ENTITY, view).into_response();
        }
    };
    let cases = match s.app.team_queue(who, team, &filter).await {
        Ok(c) => c,
        Err(e @ AppError::Invalid(_)) => {
            view.error = Some(dutch(&e));
            return (StatusCode::UNPROCESSABLE_ENTITY, view).into_response();
        }
        Err(e) => return error_page(&e),
    };
    let employees = s.app.employees(who).await.unwrap_or_default();
    view.cases = cases
        .iter()
        .map(|c| CaseRow {
            id: c.id,
            reference: c.reference.clone(),
            kind: c.case_type.label(),
            subject: c.subject.clone(),
            status: c.status.label(),
            owner: c
                .owner_id
                .and_then(|o| employees.iter().find(|e| e.id == o))
                .map(|e| e.name.clone())
                .unwrap_or_else(|| "niemand".into()),
            due: s.app.case_due_phrase(c).unwrap_or_else(|| "geen norm".into()),
        })
        .collect();
    view.into_response()
}
