//! Doorgestuurd: questions the KCC forwarded to another body (a municipality, Rijkswaterstaat)
//! that the other body has not confirmed after two working days. Until it confirms, the water
//! board stays the owner: the list reminds the KCC to ask them, and records the confirmation.

use super::{CsrfOnly, Frame, Page, error_page};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::contacts::FORWARD_CONFIRM_WORKING_DAYS;
use gastvrij_domain::ids::{ContactId, QuestionId};
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/werkplek/doorgestuurd", get(list))
        .route("/werkplek/doorgestuurd/{contact}/{question}/bevestigd", post(confirmed))
}

#[derive(Deserialize, Default)]
struct Shown {
    /// Set after a confirmation: the page says so.
    #[serde(default)]
    bevestigd: Option<String>,
}

/// `templates/staff/forwards/list.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/forwards/list.html")]
struct ForwardsPage {
    frame: Frame,
    confirmed: bool,
    days: i64,
    rows: Vec<Row>,
}

struct Row {
    contact: ContactId,
    question: QuestionId,
    to: String,
    text: String,
    forwarded: String,
    waiting: i64,
    channel: String,
}

async fn list(State(s): State<AppState>, page: Page, Query(q): Query<Shown>) -> Response {
    let overdue = match s.app.overdue_forwards(&page.0.principal).await {
        Ok(o) => o,
        Err(e) => return error_page(&e),
    };
    let rows = overdue
        .into_iter()
        .map(|o| Row {
            contact: o.forward.contact_id,
            question: o.forward.question_id,
            to: o.forward.forwarded_to,
            text: o.forward.text.chars().take(200).collect(),
            forwarded: s.app.local_time(o.forward.forwarded_at),
            waiting: o.waiting_working_days,
            channel: o.forward.channel.label().to_lowercase(),
        })
        .collect();
    ForwardsPage {
        frame: page.frame("Doorgestuurd"),
        confirmed: q.bevestigd.is_some(),
        days: FORWARD_CONFIRM_WORKING_DAYS,
        rows,
    }
    .into_response()
}

async fn confirmed(
    State(s): State<AppState>,
    page: Page,
    Path((contact, question)): Path<(ContactId, QuestionId)>,
    Form(f): Form<CsrfOnly>,
) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.confirm_forward(&page.0.principal, contact, question).await {
        Ok(_) => Redirect::to("/werkplek/doorgestuurd?bevestigd=1").into_response(),
        Err(e) => error_page(&e),
    }
}
