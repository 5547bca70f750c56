//! Uitgaande post: the mail outbox for team leads and administrators — how many mails wait, went
//! out or failed, which ones failed and why, with a button to try a failed mail once more.
//! Recipients are masked (`j***@example.nl`); the text of a mail is never shown.

use super::{CsrfOnly, Page, error_page, layout};
use crate::AppState;
use crate::pages::escape;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
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

async fn outbox(State(s): State<AppState>, page: Page, Query(q): Query<OutboxQuery>) -> Response {
    let who = &page.0.principal;
    let (failed, pending) = match (
        s.app.mail_overview(who, Some(MailStatus::Failed), Paging::first(SHOWN)).await,
        s.app.mail_overview(who, Some(MailStatus::Pending), Paging::first(SHOWN)).await,
    ) {
        (Ok(f), Ok(p)) => (f, p),
        (Err(e), _) | (_, Err(e)) => return error_page(&e),
    };
    let counts = pending.counts;
    let time = |t: Option<jiff::Timestamp>| t.map(|t| s.app.local_time(t)).unwrap_or_default();
    let cells = |m: &MailLine| {
        format!(
            "<td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>",
            escape(m.kind.label()),
            escape(&m.subject),
            escape(&m.recipient),
            escape(&s.app.local_time(m.created_at)),
            m.attempts,
        )
    };
    let mut failed_rows = String::new();
    for m in &failed.mails {
        failed_rows.push_str(&format!(
            r#"<tr>{cells}<td>{error}</td><td><form method="post" action="/werkplek/post/{id}/opnieuw">{csrf}<button type="submit" aria-label="Opnieuw proberen: {subject}">Opnieuw proberen</button></form></td></tr>"#,
            cells = cells(m),
            error = escape(m.last_error.as_deref().unwrap_or("")),
            id = m.id,
            csrf = page.csrf_field(),
            subject = escape(&m.subject),
        ));
    }
    let mut pending_rows = String::new();
    for m in &pending.mails {
        pending_rows.push_str(&format!(
            "<tr>{}<td>{}</td><td>{}</td></tr>",
            cells(m),
            escape(&time(m.next_attempt_at)),
            escape(m.last_error.as_deref().unwrap_or("")),
        ));
    }
    let head = r#"<th scope="col">Soort</th><th scope="col">Onderwerp</th><th scope="col">Aan</th><th scope="col">Aangemaakt</th><th scope="col">Pogingen</th>"#;
    let notice = if q.opnieuw.is_some() {
        r#"<p role="status" class="melding">De mail staat weer klaar en wordt zo opnieuw verstuurd.</p>"#
    } else {
        ""
    };
    let failed_table = if failed.mails.is_empty() {
        "<p>Geen mislukte mails.</p>".to_string()
    } else {
        format!(
            r#"<table>
<caption>Mislukte mails, nieuwste eerst</caption>
<thead><tr>{head}<th scope="col">Laatste fout</th><th scope="col"><span class="visueel-verborgen">Actie</span></th></tr></thead>
<tbody>{failed_rows}</tbody>
</table>"#
        )
    };
    let pending_table = if pending.mails.is_empty() {
        "<p>Er wacht geen post.</p>".to_string()
    } else {
        format!(
            r#"<table>
<caption>Wachtende mails, nieuwste eerst</caption>
<thead><tr>{head}<th scope="col">Volgende poging</th><th scope="col">Laatste fout</th></tr></thead>
<tbody>{pending_rows}</tbody>
</table>"#
        )
    };
    let body = format!(
        r#"<h1>Uitgaande post</h1>
{notice}
<p>Mails aan inwoners: ontvangstbevestigingen, statuswijzigingen, berichten en aanmeldingen. Een mail die niet verstuurd kan worden, wordt na 1 minuut, 5 minuten, een half uur, 2 uur en 6 uur opnieuw geprobeerd; daarna staat hij hieronder bij de mislukte mails.</p>
<dl class="tellers">
<dt>Wacht op verzending</dt><dd>{pending_n}</dd>
<dt>Verstuurd</dt><dd>{sent_n}</dd>
<dt>Mislukt</dt><dd>{failed_n}</dd>
</dl>
<h2>Mislukt</h2>
{failed_table}
<h2>Wacht op verzending</h2>
{pending_table}"#,
        pending_n = counts.pending,
        sent_n = counts.sent,
        failed_n = counts.failed,
    );
    Html(layout(&page, "Uitgaande post", &body)).into_response()
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
