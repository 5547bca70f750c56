//! Ruggespraak (second line): questions from the KCC to a team or a person, answered in the
//! back office; the answer shows on the agent's contact screen; one action turns question and
//! answer into a draft article.

use super::{AnswerForm, Frame, Page, Saved, error_page, explain, status_of};
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::Page as Paging;
use gastvrij_app::ports::ConsultationQuery;
use gastvrij_domain::ids::ConsultationId;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/ruggespraak", get(list))
        .route("/werkplek/ruggespraak/{id}/antwoord", post(answer))
        .route("/werkplek/ruggespraak/{id}/artikel", post(to_article))
}

async fn list(State(s): State<AppState>, page: Page) -> Response {
    render(&s, &page, None).await
}

async fn render(s: &AppState, page: &Page, error: Option<&gastvrij_app::AppError>) -> Response {
    let who = &page.0.principal;
    let me = who.employee_id();
    let team = match me {
        Some(id) => s.app.employee(who, id).await.ok().and_then(|e| e.team_id),
        None => None,
    };
    let mut open = vec![];
    for q in [
        ConsultationQuery { to_team: team, open_only: true, page: Paging::first(100), ..Default::default() },
        ConsultationQuery { to_employee: me, open_only: true, page: Paging::first(100), ..Default::default() },
    ] {
        if q.to_team.is_none() && q.to_employee.is_none() {
            continue;
        }
        match s.app.consultations(who, &q).await {
            Ok(list) => open.extend(list),
            Err(e) => return error_page(&e),
        }
    }
    open.sort_by_key(|c| c.asked_at);
    open.dedup_by_key(|c| c.id);
    let open = open
        .iter()
        .map(|c| Open { id: c.id, asked: s.app.local_time(c.asked_at), question: c.question.clone() })
        .collect();
    let status = error.map(status_of).unwrap_or(StatusCode::OK);
    let error = error.map(|e| explain(e, Saved::Nothing));
    (status, ConsultPage { frame: page.frame("Ruggespraak"), error, open }).into_response()
}

/// `templates/staff/consult/page.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/consult/page.html")]
struct ConsultPage {
    frame: Frame,
    error: Option<String>,
    open: Vec<Open>,
}

/// An open consultation; the question's line breaks stay (`white-space: pre-line`).
struct Open {
    id: ConsultationId,
    asked: String,
    question: String,
}

async fn answer(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<ConsultationId>,
    Form(f): Form<AnswerForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.answer_consultation(&page.0.principal, id, &f.answer).await {
        Ok(_) => Redirect::to("/werkplek/ruggespraak").into_response(),
        Err(e) => render(&s, &page, Some(&e)).await,
    }
}

#[derive(Deserialize)]
struct ArticleForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    terug: String,
}

async fn to_article(
    State(s): State<AppState>,
    page: Page,
    Path(id): Path<ConsultationId>,
    Form(f): Form<ArticleForm>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.consultation_to_article(&page.0.principal, id, None).await {
        Ok(a) => {
            // Only a path on this site: never an open redirect.
            let back = if f.terug.starts_with("/werkplek/") && !f.terug.starts_with("//") {
                f.terug.as_str()
            } else {
                "/werkplek"
            };
            let message = format!("Concept-artikel gemaakt: {}", a.title);
            Redirect::to(&super::with_notice(back, &message)).into_response()
        }
        Err(e) => error_page(&e),
    }
}
