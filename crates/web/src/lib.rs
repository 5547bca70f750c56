//! The HTTP adapter: the JSON API under `/api/v1` (with its OpenAPI document), health checks,
//! and the HTML pages. Security headers, request logging and authentication are layers here;
//! authorisation (roles) is decided by the use cases in `gastvrij-app`.

pub mod api;
mod auth;
mod error;
mod extract;
mod layers;
pub mod oidc;
mod pages;
pub mod portal;
mod staff;
pub mod wording;
mod workspace;

pub use error::ApiError;

use axum::Router;
use gastvrij_app::App;
use std::time::Instant;

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub app: App,
    pub started: Instant,
    /// Sign-in attempts: 10 per 5 minutes per address.
    pub login_limiter: std::sync::Arc<layers::RateLimiter>,
    /// Public submissions (forms, messages, surveys) per address and 10 minutes.
    pub submit_limiter: std::sync::Arc<layers::RateLimiter>,
    /// Phone numbers shown on public pages.
    pub portal: std::sync::Arc<portal::PortalSettings>,
    /// Sign-in through the organisation's OpenID Connect provider, when configured.
    pub oidc: Option<std::sync::Arc<oidc::Provider>>,
}

/// Public submissions allowed per address in 10 minutes, unless configured otherwise.
pub const DEFAULT_SUBMISSIONS_PER_10_MINUTES: u32 = 20;

impl AppState {
    pub fn new(app: App) -> Self {
        Self {
            app,
            started: Instant::now(),
            login_limiter: std::sync::Arc::new(layers::RateLimiter::new(10, std::time::Duration::from_secs(300))),
            submit_limiter: std::sync::Arc::new(layers::RateLimiter::new(
                DEFAULT_SUBMISSIONS_PER_10_MINUTES,
                std::time::Duration::from_secs(600),
            )),
            portal: Default::default(),
            oidc: None,
        }
    }

    /// Allow `per_10_minutes` public submissions per address (0: no limit, for benchmarks).
    pub fn with_submission_limit(mut self, per_10_minutes: u32) -> Self {
        let max = if per_10_minutes == 0 { u32::MAX } else { per_10_minutes };
        self.submit_limiter = std::sync::Arc::new(layers::RateLimiter::new(max, std::time::Duration::from_secs(600)));
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
    Router::new()
        .merge(pages::router())
        .merge(portal::router())
        .merge(staff::router())
        .merge(oidc::router())
        .merge(workspace::router())
        .nest("/api/v1", api::router())
        .merge(api::openapi::router())
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn(layers::request_log))
        .layer(axum::middleware::from_fn(layers::security_headers))
        .with_state(state)
}
