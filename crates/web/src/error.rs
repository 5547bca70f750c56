//! One error type for every route: client errors say what to fix, server errors are logged
//! with detail and answered without internals.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gastvrij_app::AppError;
use serde::Serialize;

/// The JSON body of every error answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What is wrong and how to fix it.
    pub error: String,
    /// The field at fault, when one is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub body: ErrorBody,
}

impl ApiError {
    pub fn new(status: StatusCode, error: impl Into<String>) -> Self {
        Self { status, body: ErrorBody { error: error.into(), field: None } }
    }

    pub fn bad_request(error: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, error)
    }
}

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        match e {
            AppError::Invalid(i) => Self {
                status: StatusCode::UNPROCESSABLE_ENTITY,
                body: ErrorBody { error: crate::wording::english(&i), field: Some(i.path()) },
            },
            AppError::NotFound(what) => Self::new(StatusCode::NOT_FOUND, format!("{what} not found; check the id")),
            AppError::Unauthenticated => Self::new(
                StatusCode::UNAUTHORIZED,
                "sign in first: send 'Authorization: Bearer <token>' (create one with 'gastvrij user token')",
            ),
            AppError::Forbidden(roles) => {
                Self::new(StatusCode::FORBIDDEN, format!("your role does not allow this; it needs one of: {roles}"))
            }
            AppError::Conflict(m) => Self::new(StatusCode::CONFLICT, m),
            AppError::Unavailable(m) => {
                tracing::error!(error = %m, "database unavailable");
                Self::new(StatusCode::SERVICE_UNAVAILABLE, "the database is unavailable; try again shortly")
            }
            AppError::Unexpected(e) => {
                tracing::error!(error = ?e, "unexpected error");
                Self::new(StatusCode::INTERNAL_SERVER_ERROR, "something went wrong on our side; it has been logged")
            }
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        (self.status, Json(self.body)).into_response()
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
