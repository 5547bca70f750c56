//! Planned works (the activity calendar), the contacts they cause, and citizens' subscriptions.

use super::StoreResult;
use crate::Page;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::ContactId;
use jiff::Timestamp;

/// Which planned works to list: those not over on `today` first (the soonest start first), then,
/// with `include_past`, those that ended (the latest first).
#[derive(Debug, Clone)]
pub struct PlannedWorkQuery {
    pub today: jiff::civil::Date,
    pub include_past: bool,
    pub page: Page,
}

/// A subscription to store with the SHA-256 (hex) of its two tokens (the tokens themselves are
/// never stored) and its confirmation mail, queued in the same transaction.
#[derive(Debug, Clone)]
pub struct NewSubscription {
    pub subscription: gastvrij_domain::planned_works::Subscription,
    pub confirm_hash: String,
    pub unsubscribe_hash: String,
    pub mail: gastvrij_domain::mail::OutgoingMail,
    /// A confirmation mail for the same address and postcode (not ended) sent after this moment
    /// means no new mail: the subscription, its links and the outbox stay as they are.
    pub quiet_since: Timestamp,
    /// No mail either once this many confirmation mails went to the address after `quiet_since`
    /// (over all postcodes).
    pub max_recent_mails: i64,
}

/// News for one confirmed subscriber: the mail to queue.
#[derive(Debug, Clone)]
pub struct SubscriberNews {
    pub subscription_id: gastvrij_domain::ids::SubscriptionId,
    pub mail: gastvrij_domain::mail::OutgoingMail,
}

/// The activity calendar's storage: planned works with their areas, the contacts they cause,
/// and citizens' subscriptions to news about works in their postcode.
#[async_trait]
pub trait PlannedWorkStore: Send + Sync {
    /// Store a new work with its areas.
    async fn insert_planned_work(
        &self,
        work: &gastvrij_domain::planned_works::PlannedWork,
        change: &Change,
    ) -> StoreResult<()>;
    /// Save a changed work; its areas are replaced.
    async fn update_planned_work(
        &self,
        work: &gastvrij_domain::planned_works::PlannedWork,
        change: &Change,
    ) -> StoreResult<()>;
    async fn planned_work(
        &self,
        id: gastvrij_domain::ids::PlannedWorkId,
    ) -> StoreResult<Option<gastvrij_domain::planned_works::PlannedWork>>;
    async fn planned_works(
        &self,
        query: &PlannedWorkQuery,
    ) -> StoreResult<Vec<gastvrij_domain::planned_works::PlannedWork>>;
    /// Works not over on `today` whose area holds postcodes with these four digits or names this
    /// place (compared folded: case and diacritics ignored, see `gastvrij_domain::text::fold`), the soonest start first.
    async fn planned_works_covering(
        &self,
        digits: Option<u16>,
        place: Option<&str>,
        today: jiff::civil::Date,
    ) -> StoreResult<Vec<gastvrij_domain::planned_works::PlannedWork>>;
    /// Record that a contact was about a work; linking twice is a no-op.
    async fn link_contact_planned_work(
        &self,
        contact: ContactId,
        work: gastvrij_domain::ids::PlannedWorkId,
        change: &Change,
    ) -> StoreResult<()>;
    async fn unlink_contact_planned_work(
        &self,
        contact: ContactId,
        work: gastvrij_domain::ids::PlannedWorkId,
        change: &Change,
    ) -> StoreResult<()>;
    /// The works a contact is linked to.
    async fn contact_planned_works(&self, contact: ContactId) -> StoreResult<Vec<gastvrij_domain::ids::PlannedWorkId>>;
    /// How many contacts are linked to each work (works without contacts are left out).
    async fn planned_work_contact_counts(&self) -> StoreResult<Vec<(gastvrij_domain::ids::PlannedWorkId, i64)>>;
    /// Store a pending subscription with its confirmation mail, in one transaction. When one for
    /// the same address (case-insensitive for all of Unicode, see `gastvrij_domain::text::email_key`)
    /// and postcode exists, that one gets the new token hashes instead (no duplicate): a pending one
    /// stays pending, a confirmed one stays confirmed, an ended one is pending again. Within the
    /// limits of `quiet_since` and `max_recent_mails` no mail is queued and an existing
    /// subscription keeps its links (a new one is stored without a mail). Returns the subscription
    /// as stored; the audit entry names it.
    async fn save_subscription(
        &self,
        new: &NewSubscription,
        change: &Change,
    ) -> StoreResult<gastvrij_domain::planned_works::Subscription>;
    async fn subscription_by_confirm_hash(
        &self,
        hash: &str,
    ) -> StoreResult<Option<gastvrij_domain::planned_works::Subscription>>;
    async fn subscription_by_unsubscribe_hash(
        &self,
        hash: &str,
    ) -> StoreResult<Option<gastvrij_domain::planned_works::Subscription>>;
    /// Confirm a subscription (the first confirmation's moment is kept).
    async fn confirm_subscription(
        &self,
        id: gastvrij_domain::ids::SubscriptionId,
        at: Timestamp,
        change: &Change,
    ) -> StoreResult<()>;
    /// End a subscription (the first moment is kept).
    async fn end_subscription(
        &self,
        id: gastvrij_domain::ids::SubscriptionId,
        at: Timestamp,
        change: &Change,
    ) -> StoreResult<()>;
    /// Confirmed, not ended subscriptions whose postcode's four digits lie in one of the ranges.
    async fn confirmed_subscribers(
        &self,
        ranges: &[(u16, u16)],
    ) -> StoreResult<Vec<gastvrij_domain::planned_works::Subscription>>;
    /// Queue the subscribers' mails in one transaction; a subscriber who left (or was never
    /// confirmed) meanwhile is skipped. Returns how many mails were queued.
    async fn queue_subscriber_news(&self, news: &[SubscriberNews], change: &Change) -> StoreResult<u64>;
}
