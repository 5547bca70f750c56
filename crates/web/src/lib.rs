//! The HTTP adapter: the JSON API under `/api/v1` (with its OpenAPI document), health checks,
//! and the HTML pages. Security headers, request logging and authentication are layers here;
//! authorisation (roles) is decided by the use cases in `gastvrij-app`.

pub mod api;
mod auth;
pub mod charts;
mod error;
mod extract;
mod layers;
mod limits;
pub mod oidc;
mod pages;
pub mod portal;
pub mod proxy;
mod staff;
pub mod transport;
pub mod wording;
mod workspace;

pub use auth::{LOGIN_CSRF_COOKIE, SESSION_COOKIE};
pub use error::ApiError;

use axum::Router;
use gastvrij_app::App;
use std::time::Instant;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub started: Instant,
    /// Failed sign-ins: 10 per 5 minutes per address, 10 per 15 minutes per account.
    pub login_limiter: std::sync::Arc<layers::LoginLimiter>,
    /// Public submissions (forms, messages, surveys) per address and 10 minutes.
    pub submit_limiter: std::sync::Arc<layers::RateLimiter>,
    /// Open-data pages and files (`/open-data/…`) per address and 10 minutes.
    pub open_data_limiter: std::sync::Arc<layers::RateLimiter>,
    /// Phone numbers shown on public pages.
    pub portal: std::sync::Arc<portal::PortalSettings>,
    /// Sign-in through the organisation's OpenID Connect provider, when configured.
    pub oidc: Option<std::sync::Arc<oidc::Provider>>,
    /// Load balancers whose `X-Forwarded-For` names the client.
    pub trusted_proxies: std::sync::Arc<proxy::TrustedProxies>,
    /// Served over HTTPS (`--public-url https://…`): HSTS, `Secure` and `__Host-` cookies.
    pub https: bool,
    /// Request timeout, body timeout and requests in flight.
    pub limits: transport::Limits,
    /// The rate limits are counted in the database, for all nodes together.
    pub shared_limits: bool,
}

/// Public submissions allowed per address in 10 minutes, unless configured otherwise.
pub const DEFAULT_SUBMISSIONS_PER_10_MINUTES: u32 = 20;

/// Open-data pages and files one address may fetch in 10 minutes (a year is two files; a
/// harvester that walks every year stays far below this).
pub const OPEN_DATA_PER_10_MINUTES: u32 = 120;

impl AppState {
    pub fn new(app: App) -> Self {
        let state = Self {
            app,
            started: Instant::now(),
            login_limiter: Default::default(),
            submit_limiter: std::sync::Arc::new(layers::RateLimiter::new(
                DEFAULT_SUBMISSIONS_PER_10_MINUTES,
                std::time::Duration::from_secs(600),
            )),
            open_data_limiter: std::sync::Arc::new(layers::RateLimiter::new(
                OPEN_DATA_PER_10_MINUTES,
                std::time::Duration::from_secs(600),
            )),
            portal: Default::default(),
            oidc: None,
            trusted_proxies: Default::default(),
            https: false,
            limits: Default::default(),
            shared_limits: false,
        };
        // Several nodes share a PostgreSQL database: the limits hold for the installation.
        let shared = state.app.store().backend() == "postgres";
        state.with_shared_limits(shared)
    }

    /// Count the sign-in and submission limits in the database, for every node of the
    /// installation together (the default on PostgreSQL), or in this node's memory (SQLite: one
    /// node).
    pub fn with_shared_limits(mut self, shared: bool) -> Self {
        self.shared_limits = shared;
        self.login_limiter = std::sync::Arc::new(if shared {
            layers::LoginLimiter::shared(self.app.clone())
        } else {
            layers::LoginLimiter::default()
        });
        let max = self.submit_limiter.max();
        self.submit_limiter = std::sync::Arc::new(self.submission_limiter(max));
        self
    }

    fn submission_limiter(&self, max: u32) -> layers::RateLimiter {
        let limiter = layers::RateLimiter::new(max, std::time::Duration::from_secs(600));
        if self.shared_limits { limiter.shared(self.app.clone(), "submit") } else { limiter }
    }

    /// Served over HTTPS: HSTS on every response, `Secure` cookies, the `__Host-` session cookie.
    pub fn with_https(mut self, https: bool) -> Self {
        self.https = https;
        self
    }

    pub fn with_limits(mut self, limits: transport::Limits) -> Self {
        self.limits = limits;
        self
    }

    /// Believe `X-Forwarded-For` from peers in these networks (the load balancers in front).
    pub fn with_trusted_proxies(mut self, networks: Vec<proxy::Cidr>) -> Self {
        self.trusted_proxies = std::sync::Arc::new(proxy::TrustedProxies::new(networks));
        self
    }

    /// Allow `per_10_minutes` open-data pages and files per address.
    pub fn with_open_data_limit(mut self, per_10_minutes: u32) -> Self {
        self.open_data_limiter =
            std::sync::Arc::new(layers::RateLimiter::new(per_10_minutes, std::time::Duration::from_secs(600)));
        self
    }

    /// Allow `per_10_minutes` public submissions per address (0: no limit, for benchmarks).
    pub fn with_submission_limit(mut self, per_10_minutes: u32) -> Self {
        let max = if per_10_minutes == 0 { u32::MAX } else { per_10_minutes };
        self.submit_limiter = std::sync::Arc::new(self.submission_limiter(max));
        self
    }

    pub fn with_portal(mut self, settings: portal::PortalSettings) -> Self {
        self.portal = std::sync::Arc::new(settings);
        self
    }

    /// Offer sign-in through an OpenID Connect provider beside the password form.
    pub fn with_oidc(mut self, provider: oidc::Provider) -> Self {
        self.oidc = Some(std::sync::Arc::new(provider));
        self
    }
}

/// The whole application as a router: a plain function, so tests can call it without a socket.
pub fn router(state: AppState) -> Router {
    use axum::middleware::{from_fn, from_fn_with_state};
    let proxies = state.trusted_proxies.clone();
    let (https, limits) = (state.https, state.limits);
    let slots = std::sync::Arc::new(tokio::sync::Semaphore::new(limits.max_in_flight.max(1)));
    // Layers run outside in: the client's address first; HSTS, cookies and security headers on
    // every answer (503s included); then the limits, before any handler reads a body.
    Router::new()
        .merge(pages::router())
        .merge(portal::router().route_layer(from_fn_with_state(state.clone(), layers::submission_gate)))
        .merge(staff::router())
        .merge(oidc::router())
        .merge(workspace::router())
        .nest("/api/v1", api::router())
        .merge(api::openapi::router())
        .fallback(pages::not_found)
        .layer(from_fn(layers::request_log))
        .layer(tower_http::timeout::RequestBodyTimeoutLayer::new(limits.body_timeout))
        .layer(from_fn_with_state(limits.request_timeout, transport::request_timeout))
        .layer(from_fn_with_state(slots, transport::in_flight_limit))
        .layer(from_fn(layers::security_headers))
        .layer(from_fn_with_state(https, transport::https_only))
        .layer(from_fn_with_state(proxies, proxy::client_address))
        .with_state(state)
}
