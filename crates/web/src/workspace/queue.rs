//! The team's queue: open cases of the signed-in employee's team, the nearest deadline first,
//! with the owner and the deadline as people say it ("nog 3 werkdagen", "2 werkdagen te laat",
//! "opgeschort sinds …"). A GET form filters on mine / unassigned / at risk / late, type, topic
//! and status, so it works without JavaScript. Above it, what other teams' cases ask of this team
//! (internal tasks), each with a form to answer it.

use super::{Choice, Frame, Page, choices, dutch, error_page};
use crate::AppState;
use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use gastvrij_app::AppError;
use gastvrij_app::case_work::{QUEUE_PAGE, QueueFilter, QueueView};
use gastvrij_domain::case::{CaseStatus, CaseType};
use gastvrij_domain::ids::{CaseId, CaseTaskId, TopicId};
use gastvrij_domain::{Invalid, InvalidKind};

pub fn router() -> Router<AppState> {
    Router::new().route("/werkplek/zaken", get(queue)).route("/werkplek/taken/{id}/antwoord", post(answer))
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
    tasks: Vec<TaskRow>,
    cases: Vec<CaseRow>,
    /// "Zaken 51 tot en met 100"; empty when the page holds none.
    shown: String,
    /// Links to the page before and after, with the same filters.
    previous: Option<String>,
    next: Option<String>,
}

/// An open task asked of the team, with the answer typed so far (kept after an error).
struct TaskRow {
    id: CaseTaskId,
    case_id: CaseId,
    reference: String,
    question: String,
    due: String,
    draft: String,
}

#[derive(serde::Deserialize, Default)]
struct TaskAnswer {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    antwoord: String,
}

struct CaseRow {
    id: CaseId,
    reference: String,
    kind: &'static str,
    subject: String,
    status: &'static str,
    owner: String,
    due: String,
    /// Danger now and nobody has taken it yet: at the top, in red.
    danger: bool,
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
    /// The page, counted from 1 (empty: the first).
    #[serde(default)]
    pagina: String,
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
        let page = match some(&self.pagina) {
            None => 0,
            Some(p) => match p.parse::<u32>() {
                Ok(n @ 1..=10_000) => n - 1,
                _ => return Err(Invalid::new("pagina", InvalidKind::OutOfRange { min: 1, max: Some(10_000) })),
            },
        };
        Ok(QueueFilter {
            page,
            view,
            case_type: some(&self.soort).map(str::parse::<CaseType>).transpose()?,
            topic_id,
            status: some(&self.status).map(str::parse::<CaseStatus>).transpose()?,
        })
    }

    /// The queue's address with these filters on page `page` (counted from 0).
    fn link(&self, page: u32) -> String {
        let mut query = form_urlencoded::Serializer::new(String::new());
        for (key, value) in
            [("welke", &self.welke), ("soort", &self.soort), ("onderwerp", &self.onderwerp), ("status", &self.status)]
        {
            if !value.trim().is_empty() {
                query.append_pair(key, value.trim());
            }
        }
        if page > 0 {
            query.append_pair("pagina", &(page + 1).to_string());
        }
        let query = query.finish();
        if query.is_empty() { "/werkplek/zaken".into() } else { format!("/werkplek/zaken?{query}") }
    }
}

async fn queue(State(s): State<AppState>, page: Page, Query(f): Query<Filters>) -> Response {
    render(&s, &page, &f, None).await
}

/// A team member answers a task asked of the team; an error comes back on the queue with the
/// answer kept.
async fn answer(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<String>,
    Form(form): Form<TaskAnswer>,
) -> Response {
    if let Some(refused) = page.refuse_bad_csrf(&form.csrf) {
        return refused;
    }
    let Ok(task) = id.parse::<CaseTaskId>() else {
        return error_page(&AppError::NotFound("task"));
    };
    match s.app.answer_case_task(&page.0.principal, task, &form.antwoord).await {
        Ok(_) => Redirect::to("/werkplek/zaken").into_response(),
        Err(e @ AppError::Invalid(_)) => render(&s, &page, &Filters::default(), Some((task, &form.antwoord, &e))).await,
        Err(e) => error_page(&e),
    }
}

async fn render(s: &AppState, page: &Page, f: &Filters, failed: Option<(CaseTaskId, &str, &AppError)>) -> Response {
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
    let mut view = QueuePage {
        frame,
        team: None,
        error: None,
        views,
        kinds,
        topics,
        statuses,
        tasks: vec![],
        cases: vec![],
        shown: String::new(),
        previous: None,
        next: None,
    };
    let team = match who.employee_id() {
        Some(id) => s.app.employee(who, id).await.ok().and_then(|e| e.team_id),
        None => None,
    };
    let Some(team) = team else {
        return view.into_response();
    };
    let teams = s.app.teams(who).await.unwrap_or_default();
    view.team = Some(teams.iter().find(|x| x.id == team).map(|t| t.name.clone()).unwrap_or_default());
    let tasks = match s.app.team_tasks(who, team).await {
        Ok(t) => t,
        Err(e) => return error_page(&e),
    };
    view.tasks = tasks
        .into_iter()
        .map(|t| TaskRow {
            id: t.task.id,
            case_id: t.task.case_id,
            reference: t.reference,
            question: t.task.question,
            due: gastvrij_domain::portal::dutch_day(t.task.due_on),
            draft: failed.filter(|(id, _, _)| *id == t.task.id).map(|(_, d, _)| d.to_string()).unwrap_or_default(),
        })
        .collect();
    if let Some((_, _, e)) = failed {
        view.error = Some(dutch(e));
    }
    let filter = match f.parse() {
        Ok(filter) => filter,
        Err(e) => {
            view.error = Some(dutch(&e.into()));
            return (StatusCode::UNPROCESSABLE_ENTITY, view).into_response();
        }
    };
    let status = if failed.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let slice = match s.app.team_queue(who, team, &filter).await {
        Ok(c) => c,
        Err(e @ AppError::Invalid(_)) => {
            view.error = Some(dutch(&e));
            return (StatusCode::UNPROCESSABLE_ENTITY, view).into_response();
        }
        Err(e) => return error_page(&e),
    };
    let employees = s.app.employees(who).await.unwrap_or_default();
    let first = slice.page * QUEUE_PAGE;
    if !slice.cases.is_empty() {
        view.shown = format!("Zaken {} tot en met {}", first + 1, first + slice.cases.len() as u32);
    }
    view.previous = (slice.page > 0).then(|| f.link(slice.page - 1));
    view.next = slice.more.then(|| f.link(slice.page + 1));
    view.cases = slice
        .cases
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
            danger: c.awaits_danger_pickup(),
        })
        .collect();
    (status, view).into_response()
}
