//! The KCC workspace (werkplek): staff pages, rendered on the server, keyboard first. Without
//! JavaScript every step works with plain forms; `static/werkplek.js` adds live search while
//! typing and shortcuts. Role checks happen in the use cases.

mod case;
mod case_timeline;
mod comparison;
mod complaints;
mod consult;
mod contact;
mod contact_figures;
mod contact_screen;
mod directory;
mod figures_overview;
mod forwards;
mod incidents;
mod journeys;
mod kennisbank;
mod kennisbank_questions;
mod letter_templates;
mod norms;
mod outbox;
mod planned_works;
mod pulse;
mod quarterly_review;
mod queue;
mod satisfaction;
mod search;
mod team_board;

use crate::AppState;
use crate::auth::{StaffSession, same_token};
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use gastvrij_app::AppError;
use gastvrij_domain::team::Role;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(contact::router())
        .merge(search::router())
        .merge(consult::router())
        .merge(directory::router())
        .merge(queue::router())
        .merge(case::router())
        .merge(incidents::router())
        .merge(planned_works::router())
        .merge(forwards::router())
        .merge(outbox::router())
        .merge(comparison::router())
        .merge(quarterly_review::router())
        .merge(complaints::router())
        .merge(letter_templates::router())
        .merge(norms::router())
        .merge(pulse::router())
        .merge(team_board::router())
        .merge(kennisbank::router())
        .merge(journeys::router())
        .merge(kennisbank_questions::router())
        .merge(satisfaction::router())
        .merge(figures_overview::router())
        .merge(contact_figures::router())
}

/// A form that carries only its CSRF token (buttons; also on the public portal).
#[derive(serde::Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    pub csrf: String,
}

/// A form with an answer text.
#[derive(serde::Deserialize)]
pub struct AnswerForm {
    #[serde(default)]
    pub csrf: String,
    #[serde(default)]
    pub answer: String,
}

/// A signed-in staff member on a page; without a session the browser goes to the sign-in page.
pub struct Page(pub StaffSession);

impl FromRequestParts<AppState> for Page {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        StaffSession::from_request_parts(parts, state)
            .await
            .map(Page)
            .map_err(|_| Redirect::to("/inloggen").into_response())
    }
}

impl Page {
    /// The refusal for a form whose CSRF token is not this session's; `None` when it is.
    pub fn refuse_bad_csrf(&self, sent: &str) -> Option<Response> {
        if same_token(&self.0.csrf, sent) {
            None
        } else {
            Some(message_page(
                StatusCode::FORBIDDEN,
                "Formulier verlopen",
                "Het formulier was verlopen. Ga terug, laad de pagina opnieuw en probeer het nog een keer.",
            ))
        }
    }

    /// What the workspace frame (`templates/staff/layout.html`) needs, for a page titled `title`.
    pub fn frame(&self, title: impl Into<String>) -> Frame {
        Frame {
            title: title.into(),
            csrf: self.0.csrf.clone(),
            outbox: self.0.principal.roles.iter().any(|r| matches!(r, Role::Teamleider | Role::Beheerder)),
            templates: self.0.principal.roles.iter().any(|r| matches!(r, Role::Redacteur | Role::Beheerder)),
        }
    }
}

/// The workspace frame of a page: its title, the session's CSRF token for every form, and
/// whether the navigation links to the outbox (team leads and administrators) and to the mail
/// templates (redacteuren and administrators).
pub struct Frame {
    pub title: String,
    pub csrf: String,
    pub outbox: bool,
    pub templates: bool,
}

/// One `<option>` of a `<select>` (rendered by the `options` macro in `staff/macros.html`).
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// `<option>`s with the one whose value is `selected` selected.
pub fn choices<V: Into<String>, L: Into<String>>(
    items: impl IntoIterator<Item = (V, L)>,
    selected: &str,
) -> Vec<Choice> {
    items
        .into_iter()
        .map(|(value, label)| {
            let value = value.into();
            Choice { selected: value == selected, value, label: label.into() }
        })
        .collect()
}

/// The one page for a refusal or a failed use case (`templates/staff/message.html`): a heading,
/// the message as an alert, and a link onward.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/message.html")]
pub struct MessagePage<'a> {
    pub title: &'a str,
    pub text: &'a str,
    /// What a sign-in provider said about it, if anything.
    pub detail: Option<&'a str>,
    pub back: (&'a str, &'a str),
}

/// A plain page with one message (errors, refusals), with a link to the workspace.
pub fn message_page(status: StatusCode, title: &str, text: &str) -> Response {
    (status, MessagePage { title, text, detail: None, back: ("/werkplek", "Naar de werkplek") }).into_response()
}

/// Whether a failed step may have stored part of what it did (a step of several writes, e.g.
/// the customer was created but linking it to the contact failed). Only when nothing can have been
/// stored does an error say so.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Saved {
    Nothing,
    Maybe,
}

/// What to tell the person at the screen about a failed use case. Logs every unexpected error
/// (and an unavailable database) with its cause chain; the wording is `dutch`'s, except that
/// after a step of several writes it does not promise that nothing was stored.
pub fn explain(e: &AppError, saved: Saved) -> String {
    match e {
        AppError::Unexpected(err) => tracing::error!(error = ?err, "unexpected error on a staff page"),
        AppError::Unavailable(m) => tracing::error!(error = %m, "database unavailable on a staff page"),
        _ => {}
    }
    match (e, saved) {
        (AppError::Unavailable(_) | AppError::Unexpected(_), Saved::Maybe) => {
            "Er ging bij ons iets mis. Misschien is een deel al opgeslagen: laad de pagina opnieuw en kijk wat er \
             staat voordat u het nog eens probeert."
                .into()
        }
        _ => dutch(e),
    }
}

/// What went wrong, in Dutch, for a person at the screen.
pub fn dutch(e: &AppError) -> String {
    match e {
        AppError::Invalid(i) => crate::wording::dutch(i),
        AppError::NotFound("photo") => {
            "Foto niet gevonden. De foto is niet (meer) bewaard; de rest van de zaak staat er nog.".into()
        }
        AppError::NotFound(_) => "Dit bestaat niet (meer). Ga terug en kies opnieuw.".into(),
        AppError::Forbidden(_) => "Uw rol mag dit niet. Vraag uw teamleider als u dit wel nodig heeft.".into(),
        AppError::Conflict(_) => "Iemand anders veranderde dit tegelijk. Laad de pagina opnieuw.".into(),
        AppError::Unauthenticated => "Log opnieuw in.".into(),
        AppError::Unavailable(_) | AppError::Unexpected(_) => {
            "Er ging bij ons iets mis. Er is niets opgeslagen; probeer het zo nog eens.".into()
        }
    }
}

/// The status code that goes with an error shown on a page.
pub fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::NotFound(_) => StatusCode::NOT_FOUND,
        AppError::Forbidden(_) => StatusCode::FORBIDDEN,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
        AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Unexpected(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// The error page for a use case that failed before a page could be drawn (nothing stored).
pub fn error_page(e: &AppError) -> Response {
    error_page_after(e, Saved::Nothing)
}

/// The error page for a failed use case, saying what may have been stored.
pub fn error_page_after(e: &AppError, saved: Saved) -> Response {
    message_page(status_of(e), "Dat lukte niet", &explain(e, saved))
}

/// `path` with a notice for the next page (`?melding=…`), percent-encoded.
pub fn with_notice(path: &str, notice: &str) -> String {
    let query: String = form_urlencoded::Serializer::new(String::new()).append_pair("melding", notice).finish();
    format!("{path}?{query}")
}

/// A CSV file to download as `file_name`, the first record being the header.
pub fn csv_download(file_name: &str, records: &[Vec<String>]) -> Response {
    let mut w = csv::Writer::from_writer(vec![]);
    for rec in records {
        if let Err(e) = w.write_record(rec) {
            return error_page(&AppError::Unexpected(e.into()));
        }
    }
    let body = w.into_inner().unwrap_or_default();
    let disposition = format!("attachment; filename=\"{file_name}\"");
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
        ],
        body,
    )
        .into_response()
}
