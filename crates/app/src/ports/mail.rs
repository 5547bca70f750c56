//! Mail: the outbox the delivery worker drains, and the transport port it delivers through.

use super::StoreResult;
use crate::Page;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::MailId;
use gastvrij_domain::mail::{MailCounts, MailRecord, MailStatus, OutgoingMail, Retry};
use jiff::Timestamp;

/// Filters for listing outgoing mail, newest first.
#[derive(Debug, Clone, Default)]
pub struct MailQuery {
    pub status: Option<MailStatus>,
    pub page: Page,
}

/// A mail claimed for delivery, with the attempts made before this one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedMail {
    pub mail: OutgoingMail,
    pub attempts: u32,
}

/// The outbox. A use case whose change causes a mail queues it in that change's own
/// transaction instead of through [`MailStore::enqueue_mail`], so the two exist together or
/// not at all (see `ImportStore::insert_batch`, `PortalStore::insert_submissions`).
#[async_trait]
pub trait MailStore: Send + Sync {
    /// Queue one mail on its own, with the audit entry of `change`.
    async fn enqueue_mail(&self, mail: &OutgoingMail, change: &Change) -> StoreResult<()>;
    /// Claim up to `limit` pending mails due at `now`, the longest waiting first: their next
    /// attempt moves to `lease_until`, so no other worker takes them meanwhile. A worker that
    /// dies mid-delivery leaves its mails due again once the lease has passed.
    async fn due_mail(&self, now: Timestamp, lease_until: Timestamp, limit: u32) -> StoreResult<Vec<ClaimedMail>>;
    /// A claimed mail was accepted: it is `sent` (one attempt more).
    async fn mail_sent(&self, id: MailId, at: Timestamp) -> StoreResult<()>;
    /// A delivery attempt failed with `error`: one attempt more, and the mail waits for the next
    /// attempt or is `failed`.
    async fn mail_failed_attempt(&self, id: MailId, error: &str, next: Retry) -> StoreResult<()>;
    /// Make a failed mail pending again, due at `at` (staff asked to retry it).
    async fn retry_mail(&self, id: MailId, at: Timestamp, change: &Change) -> StoreResult<()>;
    async fn mail_list(&self, query: &MailQuery) -> StoreResult<Vec<MailRecord>>;
    async fn mail_counts(&self) -> StoreResult<MailCounts>;
}

/// Why a delivery attempt failed: technical, without the mail's content or recipient.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{category}: {reason}")]
pub struct DeliveryError {
    /// A short code for logs and counts: `connection`, `timeout`, `tls`, `refused`, `deferred`,
    /// `address`, `message`, `io`.
    pub category: &'static str,
    /// Retrying cannot help (the server refused the mail for good, the address is unusable).
    pub permanent: bool,
    pub reason: String,
}

impl DeliveryError {
    pub fn temporary(category: &'static str, reason: impl Into<String>) -> Self {
        Self { category, permanent: false, reason: reason.into() }
    }

    pub fn permanent(category: &'static str, reason: impl Into<String>) -> Self {
        Self { category, permanent: true, reason: reason.into() }
    }
}

/// Hands a mail over for delivery: to a mail server (SMTP), or to a folder of `.eml` files.
#[async_trait]
pub trait MailTransport: Send + Sync {
    /// `smtp` or `eml`, for logs.
    fn name(&self) -> &'static str;
    /// Deliver one mail. Success means the server (or the folder) has accepted it.
    async fn deliver(&self, mail: &OutgoingMail) -> Result<(), DeliveryError>;
}
