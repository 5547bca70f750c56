//! The KCC workspace (werkplek): staff pages, rendered on the server, keyboard first. Without
//! JavaScript every step works with plain forms; `static/werkplek.js` adds live search while
//! typing and shortcuts. Role checks happen in the use cases.

mod case;
mod consult;
mod contact;
mod directory;
mod incidents;
mod outbox;
mod queue;
mod search;
mod works;

use crate::AppState;
use crate::auth::{StaffSession, same_token};
use crate::pages::escape;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{Html, IntoResponse, Redirect, Response};
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
        .merge(works::router())
        .merge(outbox::router())
}

/// A form that carries only the session's CSRF token (buttons).
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

    pub fn csrf_field(&self) -> String {
        format!(r#"<input type="hidden" name="csrf" value="{}">"#, escape(&self.0.csrf))
    }
}

/// A workspace page: navigation, shortcuts legend and the script (an external file; the
/// security policy allows no inline script).
pub fn layout(page: &Page, title: &str, body: &str) -> String {
    format!(
        r##"<!doctype html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} – Gastvrij werkplek</title>
<link rel="stylesheet" href="/static/gastvrij.css">
<script src="/static/werkplek.js" defer></script>
</head>
<body class="werkplek">
<a class="skip" href="#main">Naar de inhoud</a>
<header class="balk">
<nav aria-label="Werkplek">
<ul>
<li><a href="/werkplek" accesskey="n">Nieuw contact</a></li>
<li><a href="/werkplek/ruggespraak">Ruggespraak</a></li>
<li><a href="/werkplek/zaken">Zaken van mijn team</a></li>
<li><a href="/werkplek/wie-weet-wat">Wie weet wat</a></li>
<li><a href="/werkplek/incidenten">Incidenten</a></li>
<li><a href="/werkplek/werkzaamheden">Werkzaamheden</a></li>{outbox}
<li><form method="post" action="/uitloggen">{csrf}<button type="submit">Uitloggen</button></form></li>
</ul>
</nav>
</header>
<main id="main">
{body}
</main>
<footer class="sneltoetsen">
<h2>Sneltoetsen</h2>
<dl>
<dt><kbd>Alt</kbd>+<kbd>N</kbd></dt><dd>nieuw contact</dd>
<dt><kbd>/</kbd></dt><dd>naar het zoekveld</dd>
<dt><kbd>Alt</kbd>+<kbd>1</kbd>…<kbd>9</kbd></dt><dd>zoekresultaat 1 tot 9 openen</dd>
<dt><kbd>Ctrl</kbd>+<kbd>Enter</kbd></dt><dd>formulier versturen</dd>
</dl>
</footer>
</body>
</html>"##,
        title = escape(title),
        csrf = page.csrf_field(),
        outbox = if page.0.principal.roles.iter().any(|r| matches!(r, Role::Teamleider | Role::Beheerder)) {
            "\n<li><a href=\"/werkplek/post\">Uitgaande post</a></li>"
        } else {
            ""
        },
    )
}

/// A plain page with one message (errors, refusals).
pub fn message_page(status: StatusCode, title: &str, text: &str) -> Response {
    (
        status,
        Html(crate::pages::page(
            title,
            &format!(
                r#"<h1>{}</h1><p role="alert">{}</p><p><a href="/werkplek">Naar de werkplek</a></p>"#,
                escape(title),
                escape(text)
            ),
        )),
    )
        .into_response()
}

/// What went wrong, in Dutch, for a person at the screen.
pub fn dutch(e: &AppError) -> String {
    match e {
        AppError::Invalid(i) => crate::wording::dutch(i),
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

/// An error page for a use case that failed before a page could be drawn.
pub fn error_page(e: &AppError) -> Response {
    if let AppError::Unexpected(err) = e {
        tracing::error!(error = ?err, "unexpected error");
    }
    message_page(status_of(e), "Dat lukte niet", &dutch(e))
}

/// An error box for the top of a form.
pub fn error_box(message: Option<&str>) -> String {
    message
        .map(|m| format!(r#"<div class="error" role="alert" id="fout"><p>{}</p></div>"#, escape(m)))
        .unwrap_or_default()
}

/// `<option>`s with one selected.
pub fn options<'a>(items: impl IntoIterator<Item = (&'a str, &'a str)>, selected: &str) -> String {
    let mut out = String::new();
    for (value, label) in items {
        let sel = if value == selected { " selected" } else { "" };
        out.push_str(&format!(r#"<option value="{}"{sel}>{}</option>"#, escape(value), escape(label)));
    }
    out
}
