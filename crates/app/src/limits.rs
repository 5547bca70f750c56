//! Rate limits counted for the whole installation: with several nodes on one PostgreSQL, an
//! address that spreads its requests over the nodes still meets one limit (issue 18). The store
//! keeps a hash of the address or account with the window, never the address itself, and forgets
//! windows after a day.

use crate::{App, AppError};
use jiff::{SignedDuration, Timestamp};

/// At most `max` hits per fixed `window` for one subject (an address or an account).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limit {
    /// What is counted, e.g. `submit` or `login-address`.
    pub scope: &'static str,
    pub max: u32,
    pub window: SignedDuration,
}

/// Windows that started this long ago are removed.
const FORGET_AFTER: SignedDuration = SignedDuration::from_hours(24);

impl App {
    /// Count one hit of `subject` against `limit`; true while it is still within the limit.
    pub async fn count_against(&self, limit: Limit, subject: &str) -> Result<bool, AppError> {
        let (start, key) = self.window_of(limit, subject);
        let hits = self.store.count_hit(limit.scope, &key, start, start - FORGET_AFTER).await?;
        Ok(hits <= u64::from(limit.max))
    }

    /// Whether `subject` used up `limit` in the current window (without counting a hit).
    pub async fn limit_reached(&self, limit: Limit, subject: &str) -> Result<bool, AppError> {
        let (start, key) = self.window_of(limit, subject);
        Ok(self.store.hits(limit.scope, &key, start).await? >= u64::from(limit.max))
    }

    /// The start of the current window (whole multiples of the window since the epoch, so every
    /// node agrees) and the stored key of `subject`.
    fn window_of(&self, limit: Limit, subject: &str) -> (Timestamp, String) {
        let now = self.now();
        let secs = limit.window.as_secs().max(1);
        let start = Timestamp::from_second(now.as_second().div_euclid(secs) * secs).unwrap_or(now);
        let key = crate::secrets::sha256_hex(format!("{}\u{0}{subject}", limit.scope).as_bytes());
        (start, key[..32].to_string())
    }
}
