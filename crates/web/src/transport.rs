//! Transport security and request limits.
//!
//! - **HTTPS** (`serve --public-url https://…`): every response carries `Strict-Transport-Security`,
//!   every cookie is `Secure`, and the session cookie travels as `__Host-gv_sessie`, a name the
//!   browser only accepts from this host over HTTPS with `Path=/`, so a neighbouring subdomain or
//!   a plain-HTTP answer cannot plant a session (session fixation). The handlers keep using
//!   [`crate::auth::SESSION_COOKIE`]: this layer renames the cookie on the way in and out, in one
//!   place, and on the way in drops a plain `gv_sessie` (which could have been planted). Over
//!   plain HTTP (development, the browser tests) the cookie keeps its plain name.
//! - **Limits**: a request must be answered within the request timeout, its body must keep
//!   arriving (no pause longer than the body timeout), and at most so many requests are handled
//!   at once; beyond that a request gets a clear 503 at once (Dutch text for pages, JSON for the
//!   API) instead of waiting in a queue that only grows.

use crate::auth::{SECURE_SESSION_COOKIE, SESSION_COOKIE};
use axum::extract::{OriginalUri, Request, State};
use axum::http::header::{CONTENT_TYPE, COOKIE, RETRY_AFTER, SET_COOKIE, STRICT_TRANSPORT_SECURITY};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use std::time::Duration;

/// One year, the value HSTS preload lists ask for; no `includeSubDomains`, as other hosts of the
/// water board's domain may not speak HTTPS.
const HSTS: &str = "max-age=31536000";

/// Request limits (see `serve --request-timeout-secs` and friends).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest a request may take, body included.
    pub request_timeout: Duration,
    /// The longest pause while a request body arrives.
    pub body_timeout: Duration,
    /// Requests handled at once; more get a 503.
    pub max_in_flight: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            request_timeout: Duration::from_secs(DEFAULT_REQUEST_TIMEOUT_SECS),
            body_timeout: Duration::from_secs(DEFAULT_BODY_TIMEOUT_SECS),
            max_in_flight: DEFAULT_MAX_IN_FLIGHT,
        }
    }
}

pub const DEFAULT_REQUEST_TIMEOUT_SECS: u64 = 60;
pub const DEFAULT_BODY_TIMEOUT_SECS: u64 = 15;
pub const DEFAULT_MAX_IN_FLIGHT: usize = 512;

/// HSTS, `Secure` cookies and the `__Host-` session cookie, when served over HTTPS.
pub async fn https_only(State(https): State<bool>, mut req: Request, next: Next) -> Response {
    if !https {
        return next.run(req).await;
    }
    rename_session_cookie_in(req.headers_mut());
    let mut res = next.run(req).await;
    secure_cookies_out(res.headers_mut());
    res.headers_mut().insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static(HSTS));
    res
}

/// `__Host-gv_sessie` becomes the handlers' `gv_sessie`; a plain `gv_sessie` sent over HTTPS is dropped.
fn rename_session_cookie_in(headers: &mut HeaderMap) {
    let mut pairs = Vec::new();
    for value in headers.get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()) {
        for pair in value.split(';').map(str::trim).filter(|p| !p.is_empty()) {
            let name = pair.split_once('=').map_or(pair, |(name, _)| name);
            if name == SESSION_COOKIE {
                continue;
            }
            match pair.strip_prefix(SECURE_SESSION_COOKIE).filter(|rest| rest.starts_with('=')) {
                Some(rest) => pairs.push(format!("{SESSION_COOKIE}{rest}")),
                None => pairs.push(pair.to_string()),
            }
        }
    }
    headers.remove(COOKIE);
    if let Ok(value) = HeaderValue::from_str(&pairs.join("; "))
        && !pairs.is_empty()
    {
        headers.insert(COOKIE, value);
    }
}

/// Every cookie `Secure`; the session cookie under its `__Host-` name.
fn secure_cookies_out(headers: &mut HeaderMap) {
    let cookies: Vec<String> =
        headers.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect();
    if cookies.is_empty() {
        return;
    }
    headers.remove(SET_COOKIE);
    for cookie in cookies {
        let mut cookie = match cookie.strip_prefix(SESSION_COOKIE).filter(|rest| rest.starts_with('=')) {
            Some(rest) => format!("{SECURE_SESSION_COOKIE}{rest}"),
            None => cookie,
        };
        if !cookie.split(';').any(|attr| attr.trim().eq_ignore_ascii_case("secure")) {
            cookie.push_str("; Secure");
        }
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            headers.append(SET_COOKIE, value);
        }
    }
}

/// A request that takes longer than the request timeout (slow body included) gets a 503.
pub async fn request_timeout(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    let api = is_api(&req);
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(res) => res,
        Err(_) => {
            tracing::warn!(timeout_secs = limit.as_secs(), "request took too long; answered 503");
            busy(api, "het duurde te lang om uw verzoek af te handelen", "the request took too long")
        }
    }
}

/// At most so many requests at once; the rest get a 503 straight away.
pub async fn in_flight_limit(State(slots): State<Arc<tokio::sync::Semaphore>>, req: Request, next: Next) -> Response {
    match slots.try_acquire_owned() {
        Ok(_permit) => next.run(req).await,
        Err(_) => {
            tracing::warn!("too many requests at once; answered 503");
            busy(is_api(&req), "het is op dit moment erg druk", "the server is busy")
        }
    }
}

fn is_api(req: &Request) -> bool {
    let path = req.extensions().get::<OriginalUri>().map_or_else(|| req.uri().path(), |u| u.0.path());
    path.starts_with("/api/")
}

/// 503 with `Retry-After`: JSON for the API, else plain Dutch text (no HTML built here).
fn busy(api: bool, dutch: &str, english: &str) -> Response {
    let mut res = if api {
        let body = serde_json::json!({ "error": format!("{english}; try again in a minute") });
        (StatusCode::SERVICE_UNAVAILABLE, axum::Json(body)).into_response()
    } else {
        let text = format!("Sorry, {dutch}. Probeer het over een minuut opnieuw.");
        let mut res = (StatusCode::SERVICE_UNAVAILABLE, text).into_response();
        res.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/plain; charset=utf-8"));
        res
    };
    res.headers_mut().insert(RETRY_AFTER, HeaderValue::from_static("60"));
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::Router;
    use axum::body::Body;
    use axum::middleware::from_fn_with_state;
    use axum::routing::get;
    use tower::ServiceExt;

    async fn call(app: &Router, path: &str) -> (StatusCode, String, String) {
        let res = app.clone().oneshot(Request::get(path).body(Body::empty()).unwrap()).await.unwrap();
        let kind = res.headers().get(CONTENT_TYPE).map(|v| v.to_str().unwrap().to_string()).unwrap_or_default();
        let status = res.status();
        let body = axum::body::to_bytes(res.into_body(), usize::MAX).await.unwrap();
        (status, kind, String::from_utf8(body.to_vec()).unwrap())
    }

    #[tokio::test]
    async fn beyond_the_in_flight_limit_a_request_gets_a_503_at_once_dutch_for_pages_json_for_the_api() {
        let release = Arc::new(tokio::sync::Notify::new());
        let slots = Arc::new(tokio::sync::Semaphore::new(1));
        let held = release.clone();
        let app = Router::new()
            .route("/api/v1/traag", get(move || async move { held.notified().await }))
            .route("/pagina", get(|| async { "ok" }))
            .layer(from_fn_with_state(slots.clone(), in_flight_limit));
        let first = tokio::spawn({
            let app = app.clone();
            async move { call(&app, "/api/v1/traag").await }
        });
        while slots.available_permits() > 0 {
            tokio::task::yield_now().await;
        }
        let (status, kind, body) = call(&app, "/pagina").await;
        assert_eq!((status, kind.as_str()), (StatusCode::SERVICE_UNAVAILABLE, "text/plain; charset=utf-8"));
        assert!(body.contains("erg druk") && body.contains("Probeer het over een minuut opnieuw"), "{body}");
        let (status, kind, body) = call(&app, "/api/v1/traag").await;
        assert_eq!((status, kind.as_str()), (StatusCode::SERVICE_UNAVAILABLE, "application/json"));
        assert!(body.contains("\"error\""), "{body}");
        release.notify_one();
        assert_eq!(first.await.unwrap().0, StatusCode::OK);
        assert_eq!(call(&app, "/pagina").await.0, StatusCode::OK, "the slot is free again");
    }

    #[tokio::test]
    async fn a_request_that_takes_too_long_gets_a_503() {
        let app = Router::new()
            .route("/traag", get(std::future::pending::<&str>))
            .route("/snel", get(|| async { "ok" }))
            .layer(from_fn_with_state(Duration::from_millis(20), request_timeout));
        let (status, _, body) = call(&app, "/traag").await;
        assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
        assert!(body.contains("duurde te lang"), "{body}");
        assert_eq!(call(&app, "/snel").await.0, StatusCode::OK);
    }

    #[test]
    fn over_https_the_session_cookie_is_host_prefixed_and_secure_and_a_plain_one_is_ignored() {
        let mut out = HeaderMap::new();
        out.append(SET_COOKIE, HeaderValue::from_static("gv_sessie=abc; Path=/; HttpOnly; SameSite=Strict"));
        out.append(SET_COOKIE, HeaderValue::from_static("gv_inlog=x; Path=/inloggen; Secure"));
        secure_cookies_out(&mut out);
        let set: Vec<&str> = out.get_all(SET_COOKIE).iter().map(|v| v.to_str().unwrap()).collect();
        assert_eq!(
            set,
            ["__Host-gv_sessie=abc; Path=/; HttpOnly; SameSite=Strict; Secure", "gv_inlog=x; Path=/inloggen; Secure"]
        );

        let mut incoming = HeaderMap::new();
        incoming.append(COOKIE, HeaderValue::from_static("gv_sessie=planted; __Host-gv_sessie=real; gv_inlog=x"));
        rename_session_cookie_in(&mut incoming);
        assert_eq!(crate::auth::cookie(&incoming, SESSION_COOKIE), Some("real"));
        assert_eq!(crate::auth::cookie(&incoming, "gv_inlog"), Some("x"));
        let mut planted_only = HeaderMap::new();
        planted_only.append(COOKIE, HeaderValue::from_static("gv_sessie=planted"));
        rename_session_cookie_in(&mut planted_only);
        assert_eq!(crate::auth::cookie(&planted_only, SESSION_COOKIE), None);
    }
}
