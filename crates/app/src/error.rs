use crate::ports::StoreError;
use gastvrij_domain::Invalid;

/// What a use case can fail with. Client errors say what to fix; `Unexpected` is logged.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    Invalid(#[from] Invalid),
    #[error("{0} not found")]
    NotFound(&'static str),
    #[error("sign in first")]
    Unauthenticated,
    #[error("your role does not allow this; it needs one of: {0}")]
    Forbidden(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the database is unavailable: {0}")]
    Unavailable(String),
    #[error("unexpected error: {0:#}")]
    Unexpected(anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound(what) => AppError::NotFound(what),
            StoreError::Conflict(m) => AppError::Conflict(m),
            StoreError::Unavailable(m) => AppError::Unavailable(m),
            // A constraint the store knows to be a field's rule (a taken name) comes as an `Invalid`.
            StoreError::Other(e) => match e.downcast::<Invalid>() {
                Ok(invalid) => AppError::Invalid(invalid),
                Err(e) => AppError::Unexpected(e),
            },
        }
    }
}
