//! The public start page: the three choices in plain words, permits and the activity calendar,
//! the 24/7 number for danger, and a banner while an incident (calamity) is open.

use super::organisation_name;
use crate::AppState;
use axum::Router;
use axum::extract::State;
use axum::response::IntoResponse;
use axum::routing::get;

pub fn router() -> Router<AppState> {
    Router::new().route("/", get(start))
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "public/start.html")]
struct StartPage {
    org: String,
    banners: Vec<String>,
    urgent_phone: String,
}

async fn start(State(state): State<AppState>) -> impl IntoResponse {
    let banners = state.app.public_banners().await.unwrap_or_else(|e| {
        tracing::error!(error = ?e, "banners could not be read for the start page");
        Vec::new()
    });
    StartPage { org: organisation_name(&state).await, banners, urgent_phone: state.portal.urgent_phone.clone() }
}
