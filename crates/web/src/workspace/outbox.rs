//! Uitgaande post: the mail outbox for team leads and administrators — how many mails wait, went
//! out or failed, which ones failed and why, with a button to try a failed mail once more.
//! Recipients are masked (`j***@example.nl`); the text of a mail is never shown.

use super::{CsrfOnly, Frame, Page, error_page};
use crate::AppState;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::Page as Paging;
use gastvrij_app::mail::MailLine;
use gastvrij_domain::ids::MailId;
use gastvrij_domain::mail::MailStatus;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new().route("/werkplek/post", get(outbox)).route("/werkplek/post/{id}/opnieuw", post(retry))
}

/// Shown at most per table.
const SHOWN: u32 = 100;

#[derive(Deserialize, Default)]
struct OutboxQuery {
    /// Set after a retry: the page confirms it.
    #[serde(default)]
    opnieuw: Option<String>,
}

/// `templates/staff/outbox/page.html`.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/outbox/page.html")]
struct OutboxPage {
    frame: Frame,
    retried: bool,
    pending_n: i64,
    sent_n: i64,
    failed_n: i64,
    failed: Vec<MailRow>,
    pending: Vec<MailRow>,
}

struct MailRow {
    id: MailId,
    kind: &'static str,
    subject: String,
    recipient: String,
    created: String,
    attempts: u32,
    next_attempt: String,
    last_error: String,
}

async fn outbox(State(s): State<AppState>, page: Page, Query(q): Query<OutboxQuery>) -> Response {
    let who = &page.0.principal;
    let (failed, pending) = match (
        s.app.mail_overview(who, Some(MailStatus::Failed), Paging::first(SHOWN)).await,
        s.app.mail_overview(who, Some(MailStatus::Pending), Paging::first(SHOWN)).await,
    ) {
        (Ok(f), Ok(p)) => (f, p),
        (Err(e), _) | (_, Err(e)) => return error_page(&e),
    };
    let row = |m: &MailLine| MailRow {
        id: m.id,
        kind: m.kind.label(),
        subject: m.subject.clone(),
        recipient: m.recipient.clone(),
        created: s.app.local_time(m.created_at),
        attempts: m.attempts,
        next_attempt: m.next_attempt_at.map(|t| s.app.local_time(t)).unwrap_or_default(),
        last_error: m.last_error.clone().unwrap_or_default(),
    };
    let counts = pending.counts;
    OutboxPage {
        frame: page.frame("Uitgaande post"),
        retried: q.opnieuw.is_some(),
        pending_n: counts.pending,
        sent_n: counts.sent,
        failed_n: counts.failed,
        failed: failed.mails.iter().map(row).collect(),
        pending: pending.mails.iter().map(row).collect(),
    }
    .into_response()
}

async fn retry(State(s): State<AppState>, page: Page, Path(id): Path<MailId>, Form(f): Form<CsrfOnly>) -> Response {
    if let Some(r) = page.refuse_bad_csrf(&f.csrf) {
        return r;
    }
    match s.app.retry_mail(&page.0.principal, id).await {
        Ok(()) => Redirect::to("/werkplek/post?opnieuw=1").into_response(),
        Err(e) => error_page(&e),
    }
}
