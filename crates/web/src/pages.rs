//! Health checks, static assets and the plain message page.
//!
//! The stylesheet every page loads is one response: the board's theme (`static/thema.css`),
//! the NL Design System components (`static/nlds/utrecht.css`, vendored and trimmed; see
//! `static/README.md`) and Gastvrij's own rules (`static/gastvrij.css`). Staff pages also load
//! `/static/utrecht-werkplek.css` (the table and status badge components) and
//! `/static/werkplek.css` (the workspace's own layout).

use crate::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/static/gastvrij.css", get(stylesheet))
        .route("/static/utrecht-werkplek.css", get(staff_components))
        .route("/static/werkplek.js", get(workspace_script))
        .route("/static/werkplek.css", get(workspace_stylesheet))
        .route("/static/portaal.js", get(portal_script))
}

/// Liveness: the process answers.
async fn healthz() -> &'static str {
    "ok"
}

/// Readiness: the database answers too.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    match state.app.store().ping().await {
        Ok(()) => (StatusCode::OK, "ready"),
        Err(e) => {
            tracing::warn!(error = %e, "not ready");
            (StatusCode::SERVICE_UNAVAILABLE, "database unavailable")
        }
    }
}

/// The shared stylesheet: theme, components, Gastvrij's own rules (in that order, so each may
/// build on the one before).
const STYLESHEET: &str = concat!(
    include_str!("../static/thema.css"),
    include_str!("../static/nlds/utrecht.css"),
    include_str!("../static/gastvrij.css")
);

async fn stylesheet() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")], STYLESHEET)
}

async fn staff_components() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../static/nlds/utrecht-werkplek.css"),
    )
}

async fn workspace_stylesheet() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../static/werkplek.css"),
    )
}

async fn workspace_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../static/werkplek.js"),
    )
}

async fn portal_script() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8"), (header::CACHE_CONTROL, "public, max-age=3600")],
        include_str!("../static/portaal.js"),
    )
}

/// A plain page with one message and an optional link onward (`templates/message.html`).
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "message.html")]
pub struct MessagePage<'a> {
    pub title: &'a str,
    pub heading: &'a str,
    pub text: &'a str,
    pub link: Option<(&'a str, &'a str)>,
}

pub async fn not_found() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        MessagePage {
            title: "Pagina niet gevonden",
            heading: "Deze pagina bestaat niet",
            text: "Controleer het adres.",
            link: Some(("/", "Naar de startpagina")),
        },
    )
}
