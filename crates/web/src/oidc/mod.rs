//! Optional staff sign-in through the organisation's OpenID Connect provider (Keycloak,
//! Microsoft Entra ID, …): Authorization Code flow with PKCE (S256), `state` and `nonce`.
//!
//! `GET /inloggen/oidc` keeps state, nonce and PKCE verifier in a short-lived cookie and sends
//! the browser to the provider; `GET /inloggen/oidc/terug` checks the state, redeems the code,
//! checks the ID token and opens a session for the Gastvrij user bound to the token's `iss` +
//! `sub`, exactly as the password sign-in does; an account is bound at its first sign-in, and
//! only when a beheerder allowed it (`App::open_session_external`). Accounts are never created
//! here: roles stay managed in Gastvrij.
//! Logs name the route and the kind of failure only, never a person or a token.

mod id_token;
mod provider;

pub use provider::{DEFAULT_LABEL, OidcConfig, OidcError, Provider};

use crate::AppState;
use crate::auth::{cookie, same_token, set_cookie, set_session_cookie};
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gastvrij_app::accounts::ExternalSignIn;
use serde::Deserialize;

/// Holds state, nonce and PKCE verifier between the two steps.
pub const OIDC_COOKIE: &str = "gv_oidc";
const START: &str = "/inloggen/oidc";
const RETURN: &str = "/inloggen/oidc/terug";

pub fn router() -> Router<AppState> {
    Router::new().route(START, get(start)).route(RETURN, get(finish))
}

/// 32 random bytes, base64url: 256 bits, and a valid PKCE verifier (43 characters).
fn random_value() -> Option<String> {
    Some(URL_SAFE_NO_PAD.encode(gastvrij_app::secrets::random_bytes::<32>().ok()?))
}

fn pkce_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(ring::digest::digest(&ring::digest::SHA256, verifier.as_bytes()))
}

fn flow_cookie(value: &str, max_age: u32, secure: bool) -> String {
    // Lax, not Strict: the provider sends the browser back with a top-level GET from its own site.
    let secure = if secure { "; Secure" } else { "" };
    format!("{OIDC_COOKIE}={value}; Path=/inloggen; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}")
}

async fn start(State(s): State<AppState>) -> Response {
    let Some(provider) = s.oidc.clone() else { return crate::pages::not_found().await.into_response() };
    let (Some(state), Some(nonce), Some(verifier)) = (random_value(), random_value(), random_value()) else {
        tracing::error!(route = START, reason = "no_randomness", "OIDC sign-in could not start");
        return problem(StatusCode::SERVICE_UNAVAILABLE, "Inloggen lukt nu niet", UNAVAILABLE);
    };
    match provider.authorization_url(&state, &nonce, &pkce_challenge(&verifier)).await {
        Ok(url) => {
            let mut res = Redirect::to(&url).into_response();
            let value = format!("{state}.{nonce}.{verifier}");
            set_cookie(&mut res, &flow_cookie(&value, 600, provider.config.secure_cookies));
            res
        }
        Err(e) => provider_problem(START, e),
    }
}

#[derive(Deserialize)]
struct Callback {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
    error_description: Option<String>,
}

const EXPIRED: &str = "Het inloggen is verlopen of ongeldig. Probeer het opnieuw.";
const UNAVAILABLE: &str = "De inlogdienst van uw organisatie is nu niet bereikbaar. Probeer het over een paar minuten \
                           opnieuw, of log in met uw gebruikersnaam en wachtwoord van Gastvrij.";

async fn finish(
    State(s): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<Callback>, axum::extract::rejection::QueryRejection>,
) -> Response {
    let Some(provider) = s.oidc.clone() else { return crate::pages::not_found().await.into_response() };
    let mut res = finish_inner(&s, &provider, &headers, query.ok().map(|q| q.0)).await;
    // The flow cookie is used once, whatever happened.
    set_cookie(&mut res, &flow_cookie("", 0, provider.config.secure_cookies));
    res
}

async fn finish_inner(s: &AppState, provider: &Provider, headers: &HeaderMap, query: Option<Callback>) -> Response {
    let refuse = |status: StatusCode, reason: &str, title: &str, message: &str| {
        tracing::warn!(route = RETURN, reason, "OIDC sign-in refused");
        problem(status, title, message)
    };
    let Some(q) = query else {
        return refuse(StatusCode::BAD_REQUEST, "bad_query", "Inloggen mislukt", EXPIRED);
    };
    if let Some(error) = q.error.as_deref() {
        // An OAuth error code (access_denied, login_required, …) is safe to log; the description is not logged.
        let code: String = error.chars().filter(|c| c.is_ascii_alphanumeric() || *c == '_').take(40).collect();
        tracing::warn!(route = RETURN, reason = "provider_error", code, "OIDC sign-in refused");
        let detail = q
            .error_description
            .as_deref()
            .map(|d| d.chars().take(300).collect::<String>())
            .filter(|d| !d.trim().is_empty());
        let (status, message) = if error == "access_denied" {
            (
                StatusCode::FORBIDDEN,
                "Het inloggen is afgebroken, of de inlogdienst van uw organisatie gaf geen toestemming.",
            )
        } else {
            (StatusCode::BAD_GATEWAY, "De inlogdienst van uw organisatie kon u niet inloggen.")
        };
        return problem_with_detail(status, "Inloggen mislukt", message, detail.as_deref());
    }
    let flow = cookie(headers, OIDC_COOKIE).unwrap_or("");
    let mut parts = flow.split('.');
    let (Some(state), Some(nonce), Some(verifier), None) = (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return refuse(StatusCode::BAD_REQUEST, "no_flow_cookie", "Inloggen mislukt", EXPIRED);
    };
    let (Some(code), Some(sent_state)) = (q.code.as_deref(), q.state.as_deref()) else {
        return refuse(StatusCode::BAD_REQUEST, "no_code_or_state", "Inloggen mislukt", EXPIRED);
    };
    if state.is_empty() || !same_token(state, sent_state) {
        return refuse(StatusCode::BAD_REQUEST, "state_mismatch", "Inloggen mislukt", EXPIRED);
    }
    let identity = match provider.sign_in(code, verifier, nonce, s.app.now().as_second()).await {
        Ok(identity) => identity,
        Err(e) => return provider_problem(RETURN, e),
    };
    let outcome = s.app.open_session_external(&identity).await;
    let no_account = "Uw organisatie-account hoort nog niet bij een account in Gastvrij. Vraag de beheerder om uw \
                      account in Gastvrij klaar te zetten voor koppelen, of om een account.";
    match outcome {
        Ok(ExternalSignIn::Opened(session)) => {
            tracing::info!(route = RETURN, "staff signed in with OIDC");
            // A page rather than a redirect: the browser arrived here from the provider's site, and
            // would not send the SameSite=Strict session cookie along a redirect from this answer.
            // The refresh below is a navigation from our own page, so the cookie goes with it.
            let mut res = SignedIn.into_response();
            set_session_cookie(&mut res, &session.token);
            res
        }
        Ok(ExternalSignIn::NoAccount) => refuse(StatusCode::FORBIDDEN, "no_account", "Geen account", no_account),
        Ok(ExternalSignIn::Inactive) => refuse(
            StatusCode::FORBIDDEN,
            "inactive_account",
            "Account niet actief",
            "Uw account in Gastvrij is niet actief. Vraag de beheerder om het weer aan te zetten.",
        ),
        Ok(ExternalSignIn::Ambiguous) => refuse(
            StatusCode::FORBIDDEN,
            "ambiguous_email",
            "Account niet gevonden",
            "Meer dan één account in Gastvrij past bij uw organisatie-account. Vraag de beheerder om alleen uw \
             eigen account klaar te zetten voor koppelen.",
        ),
        Err(e) => {
            use crate::workspace::{Saved, explain, status_of};
            problem(status_of(&e), "Inloggen mislukt", &explain(&e, Saved::Nothing))
        }
    }
}

fn provider_problem(route: &'static str, e: OidcError) -> Response {
    match e {
        OidcError::Unreachable(detail) => {
            tracing::warn!(route, reason = "provider_unreachable", %detail, "OIDC sign-in failed");
            problem(StatusCode::SERVICE_UNAVAILABLE, "Inlogdienst niet bereikbaar", UNAVAILABLE)
        }
        OidcError::BadAnswer(detail) => {
            tracing::warn!(route, reason = "provider_bad_answer", %detail, "OIDC sign-in failed");
            problem(
                StatusCode::BAD_GATEWAY,
                "Inloggen mislukt",
                "De inlogdienst van uw organisatie gaf een antwoord waarmee Gastvrij u niet kan inloggen. Probeer \
                 het opnieuw; blijft dit gebeuren, meld het dan aan de beheerder.",
            )
        }
        OidcError::Rejected(why) => {
            tracing::warn!(route, reason = why.reason(), "OIDC ID token refused");
            problem(
                StatusCode::UNAUTHORIZED,
                "Inloggen mislukt",
                "Gastvrij kon niet controleren dat het inloggen echt van de inlogdienst van uw organisatie komt. \
                 Probeer het opnieuw; blijft dit gebeuren, meld het dan aan de beheerder.",
            )
        }
    }
}

/// `templates/staff/sign_in/signed_in.html`: on to the staff start page.
#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "staff/sign_in/signed_in.html")]
struct SignedIn;

fn problem(status: StatusCode, title: &str, message: &str) -> Response {
    problem_with_detail(status, title, message, None)
}

/// The staff message page with the way back to the sign-in page; `detail` is what the
/// provider said (shown as text).
fn problem_with_detail(status: StatusCode, title: &str, message: &str, detail: Option<&str>) -> Response {
    let page =
        crate::workspace::MessagePage { title, text: message, detail, back: ("/inloggen", "Terug naar inloggen") };
    (status, page).into_response()
}
