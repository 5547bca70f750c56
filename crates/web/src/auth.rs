//! Who is calling: staff authenticate with a bearer token (API) — sessions follow with the
//! staff UI. Role checks happen in the use cases.

use crate::{ApiError, AppState};
use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use gastvrij_app::{AppError, Principal};

/// An authenticated staff member.
pub struct Staff(pub Principal);

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
        let Some(token) = header.strip_prefix("Bearer ").map(str::trim).filter(|t| !t.is_empty()) else {
            return Err(AppError::Unauthenticated.into());
        };
        Ok(Staff(state.app.principal_for_token(token).await?))
    }
}
