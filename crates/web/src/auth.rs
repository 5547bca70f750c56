//! Who is calling. Staff authenticate with a bearer token (API clients) or a session cookie
//! (the staff pages). Cookie-authenticated requests that change something must carry the
//! session's CSRF token (header `x-csrf-token`, or a `csrf` form field). Role checks happen in
//! the use cases.

use crate::{ApiError, AppState};
use axum::extract::FromRequestParts;
use axum::http::header::{AUTHORIZATION, COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode};
use gastvrij_app::{AppError, Principal};

/// The session cookie, as every handler reads and writes it. Over HTTPS it travels as
/// [`SECURE_SESSION_COOKIE`]: `crate::transport::https_only` renames it on the way in and out.
pub const SESSION_COOKIE: &str = "gv_sessie";
/// The session cookie's name over HTTPS: the browser only takes a `__Host-` cookie from this
/// host, over HTTPS, with `Path=/` and `Secure`.
pub const SECURE_SESSION_COOKIE: &str = "__Host-gv_sessie";
/// The double-submit cookie that protects the sign-in form.
pub const LOGIN_CSRF_COOKIE: &str = "gv_inlog";

/// An authenticated staff member.
pub struct Staff(pub Principal);

/// An authenticated staff member signed in with a session, with the session's CSRF token.
pub struct StaffSession {
    pub principal: Principal,
    pub csrf: String,
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

pub use gastvrij_app::secrets::same_token;

impl FromRequestParts<AppState> for StaffSession {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let token = cookie(&parts.headers, SESSION_COOKIE).ok_or(AppError::Unauthenticated)?;
        let (principal, csrf) = state.app.session(token).await?;
        Ok(StaffSession { principal, csrf })
    }
}

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let header = parts.headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).unwrap_or("");
        if let Some(token) = header.strip_prefix("Bearer ").map(str::trim).filter(|t| !t.is_empty()) {
            return Ok(Staff(state.app.principal_for_token(token).await?));
        }
        if cookie(&parts.headers, SESSION_COOKIE).is_some() {
            let session = StaffSession::from_request_parts(parts, state).await?;
            let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
            let sent = parts.headers.get("x-csrf-token").and_then(|v| v.to_str().ok()).unwrap_or("");
            if !safe && !same_token(sent, &session.csrf) {
                return Err(ApiError::new(
                    StatusCode::FORBIDDEN,
                    "the CSRF token is missing or wrong; reload the page and try again",
                ));
            }
            return Ok(Staff(session.principal));
        }
        Err(AppError::Unauthenticated.into())
    }
}

/// Adds a `Set-Cookie` header (a value that cannot be a header is left out).
pub(crate) fn set_cookie(res: &mut axum::response::Response, value: &str) {
    if let Ok(v) = axum::http::HeaderValue::from_str(value) {
        res.headers_mut().append(axum::http::header::SET_COOKIE, v);
    }
}

/// Sets the staff session cookie after a sign-in (password or OIDC).
pub(crate) fn set_session_cookie(res: &mut axum::response::Response, token: &str) {
    let hours = gastvrij_app::accounts::SESSION_HOURS;
    set_cookie(res, &format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}", hours * 3600));
}
