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
    /// One mail as it stands now (`None` when there is no such mail): the delivery worker asks
    /// this about the deliveries its transport holds unconfirmed.
    async fn mail_record(&self, id: MailId) -> StoreResult<Option<MailRecord>>;
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

/// One delivery attempt: the mail and the moment recorded as its `sent_at` when the attempt
/// succeeds. No two claims of a mail share that moment (a second claim comes only after the
/// first one's lease, and the moment is taken within the lease), so it tells this node's attempt
/// apart from another node's attempt at the same mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attempt {
    pub id: MailId,
    /// Whole microseconds, as the store keeps it.
    pub at: Timestamp,
}

/// Hands a mail over for delivery: to a mail server (SMTP), or to a folder of `.eml` files.
///
/// Delivery has two phases so that a transport that can hold a mail back (the `.eml` folder)
/// delivers every mail exactly once, even when its node is killed: [`MailTransport::deliver`]
/// stages the mail, the worker records it as sent, and only then [`MailTransport::confirm`]
/// makes it visible. A node killed in between leaves a staged attempt; before it claims mail
/// again, its worker asks the store about each one ([`MailTransport::unconfirmed`]): recorded
/// as sent by this very attempt → confirm it, otherwise → [`MailTransport::discard`] it (the mail
/// is still due, or another attempt sent it). A transport that cannot hold mail back (SMTP: the
/// server has it once it accepted it) keeps the defaults and delivers at least once.
#[async_trait]
pub trait MailTransport: Send + Sync {
    /// `smtp` or `eml`, for logs.
    fn name(&self) -> &'static str;
    /// Deliver (or stage) one mail. Success means the server (or the folder) has it, complete
    /// and durable; a staged mail counts as delivered only after [`MailTransport::confirm`].
    async fn deliver(&self, mail: &OutgoingMail, attempt: Attempt) -> Result<(), DeliveryError>;
    /// The attempt is recorded as sent: release the staged mail. Confirming an attempt that is
    /// already confirmed does nothing.
    async fn confirm(&self, _attempt: Attempt) -> Result<(), DeliveryError> {
        Ok(())
    }
    /// The attempts staged and not yet confirmed or discarded.
    async fn unconfirmed(&self) -> Result<Vec<Attempt>, DeliveryError> {
        Ok(vec![])
    }
    /// Drop a staged attempt that was not recorded as sent.
    async fn discard(&self, _attempt: Attempt) -> Result<(), DeliveryError> {
        Ok(())
    }
}
