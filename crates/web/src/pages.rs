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
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::io::Write as _;
use std::sync::OnceLock;

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
static STYLESHEET: Asset = Asset::new(
    "text/css; charset=utf-8",
    concat!(
        include_str!("../static/thema.css"),
        include_str!("../static/nlds/utrecht.css"),
        include_str!("../static/gastvrij.css")
    ),
);
static STAFF_COMPONENTS: Asset =
    Asset::new("text/css; charset=utf-8", include_str!("../static/nlds/utrecht-werkplek.css"));
static WORKSPACE_STYLESHEET: Asset = Asset::new("text/css; charset=utf-8", include_str!("../static/werkplek.css"));
static WORKSPACE_SCRIPT: Asset = Asset::new("text/javascript; charset=utf-8", include_str!("../static/werkplek.js"));
static PORTAL_SCRIPT: Asset = Asset::new("text/javascript; charset=utf-8", include_str!("../static/portaal.js"));

async fn stylesheet(headers: HeaderMap) -> Response {
    STYLESHEET.serve(&headers)
}

async fn staff_components(headers: HeaderMap) -> Response {
    STAFF_COMPONENTS.serve(&headers)
}

async fn workspace_stylesheet(headers: HeaderMap) -> Response {
    WORKSPACE_STYLESHEET.serve(&headers)
}

async fn workspace_script(headers: HeaderMap) -> Response {
    WORKSPACE_SCRIPT.serve(&headers)
}

async fn portal_script(headers: HeaderMap) -> Response {
    PORTAL_SCRIPT.serve(&headers)
}

/// A stylesheet or script built into the binary, served gzip-compressed to every browser that
/// accepts it (all do): the shared stylesheet is 37 KB as text and about a sixth of that on the
/// wire. Only these fixed files are compressed, never pages: a compressed page that holds a
/// secret (the form token) beside text the visitor chose can leak the secret (BREACH).
struct Asset {
    content_type: &'static str,
    text: &'static str,
    gzip: OnceLock<Vec<u8>>,
}

impl Asset {
    const fn new(content_type: &'static str, text: &'static str) -> Self {
        Self { content_type, text, gzip: OnceLock::new() }
    }

    fn gzipped(&'static self) -> &'static [u8] {
        self.gzip.get_or_init(|| {
            let mut encoder = GzEncoder::new(Vec::new(), Compression::best());
            // Writing to a Vec cannot fail.
            encoder.write_all(self.text.as_bytes()).expect("gzip into memory");
            encoder.finish().expect("gzip into memory")
        })
    }

    fn serve(&'static self, request: &HeaderMap) -> Response {
        let common = [
            (header::CONTENT_TYPE, self.content_type),
            (header::CACHE_CONTROL, "public, max-age=3600"),
            (header::VARY, "Accept-Encoding"),
        ];
        if accepts_gzip(request) {
            (common, [(header::CONTENT_ENCODING, "gzip")], self.gzipped()).into_response()
        } else {
            (common, self.text).into_response()
        }
    }
}

/// Whether `Accept-Encoding` allows gzip: named (or `*`) with a quality above zero.
fn accepts_gzip(request: &HeaderMap) -> bool {
    let Some(accept) = request.get(header::ACCEPT_ENCODING).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    accept.split(',').any(|part| {
        let mut fields = part.split(';').map(str::trim);
        let coding = fields.next().unwrap_or_default();
        let refused =
            fields.any(|f| f.strip_prefix("q=").is_some_and(|q| q.parse::<f32>().map(|q| q <= 0.0).unwrap_or(true)));
        (coding.eq_ignore_ascii_case("gzip") || coding == "*") && !refused
    })
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
