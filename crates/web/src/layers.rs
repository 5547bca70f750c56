//! Tower layers: strict security headers and request logging without personal data.

use axum::extract::{MatchedPath, Request};
use axum::http::HeaderValue;
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use std::time::Instant;

/// No inline script or style anywhere, no framing, no sniffing, no referrer leaks.
pub async fn security_headers(req: Request, next: Next) -> Response {
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, name: header::HeaderName, value: &'static str| {
        h.insert(name, HeaderValue::from_static(value));
    };
    set(
        h,
        header::CONTENT_SECURITY_POLICY,
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    set(h, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(h, header::X_FRAME_OPTIONS, "DENY");
    set(h, header::REFERRER_POLICY, "no-referrer");
    set(h, header::HeaderName::from_static("permissions-policy"), "camera=(), microphone=(), geolocation=(self)");
    set(h, header::HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    if !h.contains_key(header::CACHE_CONTROL) {
        set(h, header::CACHE_CONTROL, "no-store");
    }
    res
}

/// Logs method, route template (never the raw path or query: they may hold personal data),
/// status and duration.
pub async fn request_log(req: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = req.method().clone();
    let route =
        req.extensions().get::<MatchedPath>().map(|p| p.as_str().to_string()).unwrap_or_else(|| "unmatched".into());
    let res = next.run(req).await;
    let status = res.status().as_u16();
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if status >= 500 {
        tracing::warn!(%method, route, status, ms, "request");
    } else {
        tracing::info!(%method, route, status, ms, "request");
    }
    res
}

pub use crate::limits::{LoginLimiter, RateLimiter};

/// The client's address: behind a trusted proxy the one it forwarded (see [`crate::proxy`]), else
/// the peer's, when the server was started with connect info (tests run without).
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        if let Some(crate::proxy::ClientAddr(ip)) = parts.extensions.get::<crate::proxy::ClientAddr>() {
            return Ok(ClientIp(Some(*ip)));
        }
        Ok(ClientIp(parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip())))
    }
}

/// Public submissions are limited per address before their body is read: an address that used up
/// its submissions gets the Dutch "wait" page at once, without uploading megabytes of photos
/// first. (The handlers count a submission once it is real: checked token, no search preview.)
/// Unsubscribing from planned works always works.
pub async fn submission_gate(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
    ClientIp(ip): ClientIp,
    req: Request,
    next: Next,
) -> Response {
    let path = req.uri().path();
    if req.method() != axum::http::Method::POST
        || path.starts_with("/werkzaamheden/afmelden")
        || !state.submit_limiter.exhausted(ip).await
    {
        return next.run(req).await;
    }
    let phone = state.portal.phone.clone();
    let mut res = crate::portal::message(
        &state,
        axum::http::StatusCode::TOO_MANY_REQUESTS,
        "Even wachten",
        &format!(
            "Er zijn vanaf uw internetverbinding veel formulieren verstuurd. Wacht tien minuten en probeer het dan \
             opnieuw. Is het dringend? Bel {phone}."
        ),
    )
    .await;
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from_static("600"));
    res
}
