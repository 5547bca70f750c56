//! The JSON API under `/api/v1`: one module per domain, each with its routes.

pub mod audit;
pub mod calendar;
pub mod cases;
pub mod complaints;
pub mod contact_figures;
pub mod contacts;
pub mod customers;
pub mod events;
pub mod journeys;
pub mod kennisbank;
pub mod mail;
pub mod norms;
pub mod openapi;
pub mod organisation;
pub mod planned_works;
pub mod pulse;
pub mod satisfaction;
pub mod search_questions;
pub mod taal;
pub mod teams;
pub mod telephony;
pub mod topics;

use crate::AppState;
use axum::Router;

pub fn router() -> Router<AppState> {
    Router::new()
        .merge(organisation::router())
        .merge(teams::router())
        .merge(topics::router())
        .merge(customers::router())
        .merge(contacts::router())
        .merge(cases::router())
        .merge(complaints::router())
        .merge(audit::router())
        .merge(calendar::router())
        .merge(norms::router())
        .merge(events::router())
        .merge(kennisbank::router())
        .merge(telephony::router())
        .merge(planned_works::router())
        .merge(mail::router())
        .merge(taal::router())
        .merge(pulse::router())
        .merge(journeys::router())
        .merge(search_questions::router())
        .merge(satisfaction::router())
        .merge(contact_figures::router())
}

/// Paging parameters shared by list routes.
#[derive(Debug, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// At most this many items (1–500, default 50).
    pub limit: Option<u32>,
    /// Skip this many items (default 0).
    pub offset: Option<u32>,
}

impl PageParams {
    pub fn page(&self) -> Result<gastvrij_app::Page, crate::ApiError> {
        gastvrij_app::Page::new(self.limit, self.offset).map_err(|e| gastvrij_app::AppError::from(e).into())
    }
}
