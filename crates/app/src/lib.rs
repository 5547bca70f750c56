//! Gastvrij's use cases and the ports they need.
//!
//! Every use case is a method on [`App`]; it checks the caller's role, validates input with the
//! domain types, and writes the change together with its audit entry through the [`Store`] port
//! in one transaction.

pub mod accounts;
pub mod attachments;
pub mod calendars;
pub mod case_work;
pub mod cases;
pub mod complaints;
pub mod contact_figures;
pub mod contacts;
pub mod customers;
mod error;
pub mod figures_trend;
pub mod group_commit;
pub mod journeys;
pub mod kennisbank;
pub mod letter_templates;
pub mod letters;
pub mod limits;
pub mod link_keys;
pub mod mail;
pub mod norm_dashboard;
pub mod norms;
pub mod open_data;
pub mod organisation;
pub mod plain_language;
pub mod planned_works;
pub mod portal;
pub mod ports;
mod principal;
pub mod privacy;
pub mod pulse;
pub mod quarterly_review;
mod reference_cache;
pub mod satisfaction;
pub mod search;
pub mod search_questions;
pub mod secrets;
pub mod team_board;
pub mod teams;
pub mod telephony;
pub mod topics;
pub mod workspace;

pub use error::AppError;
pub use ports::{Clock, Store, StoreError, SystemClock};
pub use principal::Principal;

use std::sync::Arc;

/// Settings that shape use-case behaviour.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Prefix of readable case references, e.g. `WS` in `WS-2026-004217`.
    pub reference_prefix: String,
    /// The address citizens use to reach the portal, for links in mails, e.g.
    /// `https://www.waterschap.nl` (no trailing slash).
    pub public_url: String,
    /// Service norms per case type and channel.
    pub norms: gastvrij_domain::norms::NormSet,
    /// The calendars norms can name.
    pub calendars: calendars::Calendars,
    /// How long personal data is kept.
    pub retention: privacy::Retention,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            reference_prefix: "WS".into(),
            public_url: "http://localhost:8080".into(),
            norms: gastvrij_domain::norms::NormSet::water_board_default(),
            calendars: calendars::Calendars::builtin(),
            retention: privacy::Retention::default(),
        }
    }
}

/// The application: use cases over a store and a clock.
#[derive(Clone)]
pub struct App {
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    settings: Arc<Settings>,
    search: Option<Arc<dyn ports::ArticleSearch>>,
    /// The keys that derive the links in citizens' mails.
    links: Arc<link_keys::LinkKeys>,
    /// Wakes the mail worker after mail was queued (set by `serve`).
    mail_wake: Option<Arc<dyn Fn() + Send + Sync>>,
    /// Writes public submissions with group commit (started on first use).
    submissions: Arc<std::sync::OnceLock<group_commit::SubmissionWriter>>,
    /// Topics, teams and organisation for the public portal.
    reference: Arc<reference_cache::ReferenceCache>,
    /// The last search per person, so a question typed on is kept once.
    typing: Arc<search_questions::Typing>,
    /// Object storage for photos; `None`: their bytes stay in the database (the default).
    attachments: Option<Arc<dyn ports::Attachments>>,
}

impl App {
    pub fn new(store: Arc<dyn Store>, clock: Arc<dyn Clock>, settings: Settings) -> Self {
        Self {
            store,
            clock,
            settings: Arc::new(settings),
            search: None,
            links: Default::default(),
            mail_wake: None,
            submissions: Default::default(),
            reference: Default::default(),
            typing: Default::default(),
            attachments: None,
        }
    }

    /// The same app, keeping new photos in `attachments` (a folder or S3 bucket) and only their
    /// keys in the database.
    pub fn with_attachments(mut self, attachments: Arc<dyn ports::Attachments>) -> Self {
        self.attachments = Some(attachments);
        self
    }

    /// The same app with a search index for the kennisbank.
    pub fn with_search(mut self, search: Arc<dyn ports::ArticleSearch>) -> Self {
        self.search = Some(search);
        self
    }

    /// The same app, calling `wake` whenever mail was queued, so a worker can send it at once.
    pub fn with_mail_wake(mut self, wake: Arc<dyn Fn() + Send + Sync>) -> Self {
        self.mail_wake = Some(wake);
        self
    }

    /// Tell the mail worker there is mail to send (a no-op without one).
    pub fn wake_mail_worker(&self) {
        if let Some(wake) = &self.mail_wake {
            wake();
        }
    }

    /// The store, for adapters that need read models (health checks, exports).
    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.clock.now()
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }
}

/// Pagination shared by list use cases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct Page {
    pub limit: u32,
    pub offset: u32,
}

impl Page {
    pub const MAX_LIMIT: u32 = 500;

    /// The first `limit` items (capped at [`Page::MAX_LIMIT`]).
    pub fn first(limit: u32) -> Self {
        Page { limit: limit.clamp(1, Self::MAX_LIMIT), offset: 0 }
    }

    /// A page, refusing limits above [`Page::MAX_LIMIT`] or zero.
    pub fn new(limit: Option<u32>, offset: Option<u32>) -> Result<Self, gastvrij_domain::Invalid> {
        let limit = limit.unwrap_or(50);
        if limit == 0 || limit > Self::MAX_LIMIT {
            let range = gastvrij_domain::InvalidKind::OutOfRange { min: 1, max: Some(Self::MAX_LIMIT as i64) };
            return Err(gastvrij_domain::Invalid::new("limit", range));
        }
        Ok(Self { limit, offset: offset.unwrap_or(0) })
    }
}

impl Default for Page {
    fn default() -> Self {
        Self { limit: 50, offset: 0 }
    }
}
