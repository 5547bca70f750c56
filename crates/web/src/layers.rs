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

/// A fixed-window rate limit per client address (sign-in attempts, public submissions).
pub struct RateLimiter {
    max: u32,
    window: std::time::Duration,
    seen: std::sync::Mutex<std::collections::HashMap<Option<std::net::IpAddr>, (Instant, u32)>>,
}

impl RateLimiter {
    pub fn new(max: u32, window: std::time::Duration) -> Self {
        Self { max, window, seen: Default::default() }
    }

    /// Whether `ip` used up its attempts in the current window (without counting one).
    pub fn exhausted(&self, ip: Option<std::net::IpAddr>) -> bool {
        let now = Instant::now();
        let seen = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        seen.get(&ip).is_some_and(|(start, n)| now.duration_since(*start) < self.window && *n >= self.max)
    }

    /// Count one attempt from `ip`; false when it exceeds the limit for the current window.
    pub fn allow(&self, ip: Option<std::net::IpAddr>) -> bool {
        let now = Instant::now();
        let mut seen = self.seen.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if seen.len() > 100_000 {
            seen.retain(|_, (start, _)| now.duration_since(*start) < self.window);
        }
        let entry = seen.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 += 1;
        entry.1 <= self.max
    }
}

/// The client's address, when the server was started with connect info (tests run without).
pub struct ClientIp(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientIp(parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip())))
    }
}
