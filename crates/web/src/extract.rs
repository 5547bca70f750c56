//! Extractors whose rejections are clear JSON errors instead of axum's plain-text defaults.

use crate::ApiError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// A JSON body; a malformed or mistyped body is a 400/422 that names the problem.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(e) => Err(ApiError::new(
                e.status(),
                format!("{}; send a JSON body as described in /api/openapi.json", e.body_text()),
            )),
        }
    }
}

/// Path parameters (ids); a malformed id is a 400.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Path::<T>::from_request_parts(parts, state).await.map(|p| ApiPath(p.0)).map_err(|e| {
            ApiError::bad_request(format!("{}; ids are the UUIDs returned when records are created", e.body_text()))
        })
    }
}

/// Query parameters; a malformed query is a 400.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e| ApiError::bad_request(e.body_text()))
    }
}

/// An optional date query parameter (`2026-01-01`; empty or spaces: none); a wrong one names
/// its field, so the API answers 422 and a page shows it at the field.
pub(crate) fn optional_date(
    field: &'static str,
    s: Option<&str>,
) -> Result<Option<jiff::civil::Date>, gastvrij_domain::Invalid> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => s
            .parse()
            .map(Some)
            .map_err(|_| gastvrij_domain::Invalid::malformed(field, s, gastvrij_domain::Format::Date)),
    }
}
