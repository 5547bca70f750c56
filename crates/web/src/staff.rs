//! Staff sign-in and sign-out, and the staff start page.

use crate::AppState;
use crate::auth::{
    LOGIN_CSRF_COOKIE, SESSION_COOKIE, StaffSession, cookie, same_token, set_cookie, set_session_cookie,
};
use crate::layers::ClientIp;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use gastvrij_app::AppError;
use serde::Deserialize;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/inloggen", get(login_form).post(login))
        .route("/uitloggen", post(logout))
        .route("/medewerkers", get(home))
}

/// The sign-in page (`templates/staff/sign_in/form.html`); with `oidc_label`, a link to sign in
/// through the organisation's provider comes first and the password form stays below it.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/sign_in/form.html")]
struct LoginPage<'a> {
    csrf: &'a str,
    error: Option<&'a str>,
    username: &'a str,
    oidc_label: Option<&'a str>,
}

/// The staff start page (`templates/staff/sign_in/home.html`).
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/sign_in/home.html")]
struct HomePage {
    name: String,
    roles: String,
    csrf: String,
}

/// A CSRF token for the sign-in form; without randomness an empty one, which never matches.
fn random_hex() -> String {
    gastvrij_app::secrets::random_hex(16).unwrap_or_default()
}

fn oidc_label(s: &AppState) -> Option<&str> {
    s.oidc.as_deref().map(|p| p.config.label.as_str())
}

/// The sign-in form (with `error` and the typed `username` after a failed try) and its CSRF
/// cookie: the browser's `current` token when it is a whole one, else a new one.
fn login_page(
    s: &AppState,
    current: Option<&str>,
    status: StatusCode,
    error: Option<&str>,
    username: &str,
) -> Response {
    let token = current.filter(|t| t.len() == 32).map(str::to_string).unwrap_or_else(random_hex);
    let mut res = (status, LoginPage { csrf: &token, error, username, oidc_label: oidc_label(s) }).into_response();
    set_cookie(
        &mut res,
        &format!("{LOGIN_CSRF_COOKIE}={token}; Path=/inloggen; HttpOnly; SameSite=Strict; Max-Age=3600"),
    );
    res
}

async fn login_form(State(s): State<AppState>, headers: HeaderMap) -> Response {
    login_page(&s, cookie(&headers, LOGIN_CSRF_COOKIE), StatusCode::OK, None, "")
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
}

async fn login(
    State(s): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let expected = cookie(&headers, LOGIN_CSRF_COOKIE).unwrap_or("");
    let retry =
        |status: StatusCode, message: &str| login_page(&s, Some(expected), status, Some(message), &form.username);
    if expected.is_empty() || !same_token(expected, &form.csrf) {
        return retry(StatusCode::FORBIDDEN, "Het formulier was verlopen. Probeer het nog een keer.");
    }
    // Only failed attempts count: a whole office may sign in from one address at 8:00.
    if s.login_limiter.exhausted(ip, &form.username).await {
        return retry(
            StatusCode::TOO_MANY_REQUESTS,
            "U heeft te vaak geprobeerd in te loggen. Wacht een paar minuten.",
        );
    }
    match s.app.open_session(&form.username, &form.password).await {
        Ok(session) => {
            tracing::info!("staff signed in");
            let mut res = Redirect::to("/medewerkers").into_response();
            set_session_cookie(&mut res, &session.token);
            res
        }
        Err(AppError::Unauthenticated | AppError::Invalid(_)) => {
            s.login_limiter.failed(ip, &form.username).await;
            retry(StatusCode::UNAUTHORIZED, "De gebruikersnaam of het wachtwoord klopt niet.")
        }
        Err(e) => crate::workspace::error_page(&e),
    }
}

async fn logout(
    State(s): State<AppState>,
    headers: HeaderMap,
    session: Result<StaffSession, crate::ApiError>,
    Form(form): Form<crate::workspace::CsrfOnly>,
) -> Response {
    if let (Ok(session), Some(token)) = (session, cookie(&headers, SESSION_COOKIE)) {
        if !same_token(&session.csrf, &form.csrf) {
            return crate::workspace::message_page(
                StatusCode::FORBIDDEN,
                "Formulier verlopen",
                "Het formulier was verlopen. Ga terug en probeer het opnieuw.",
            );
        }
        let _ = s.app.close_session(token).await;
    }
    let mut res = Redirect::to("/inloggen").into_response();
    set_cookie(&mut res, &format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"));
    res
}

async fn home(State(s): State<AppState>, session: Result<StaffSession, crate::ApiError>) -> Response {
    let Ok(session) = session else { return Redirect::to("/inloggen").into_response() };
    let name = match session.principal.employee_id() {
        Some(id) => s.app.employee(&session.principal, id).await.map(|e| e.name).unwrap_or_default(),
        None => String::new(),
    };
    let roles: Vec<&str> = session.principal.roles.iter().map(|r| r.code()).collect();
    HomePage { name, roles: roles.join(", "), csrf: session.csrf }.into_response()
}
