//! Contacts: one conversation with a customer on one channel, with its questions.

use super::StoreResult;
use crate::Page;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::case::Case;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::Contact;
use gastvrij_domain::ids::{ContactId, CustomerId, EmployeeId, QuestionId};
use gastvrij_domain::kennisbank::Consultation;
use jiff::Timestamp;

/// Filters for listing contacts, newest first.
#[derive(Debug, Clone, Default)]
pub struct ContactQuery {
    pub customer_id: Option<CustomerId>,
    pub agent_id: Option<EmployeeId>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub page: Page,
}

/// What is written together with a changed contact, in the same transaction.
#[derive(Debug, Clone, Copy)]
pub enum FollowUp<'a> {
    /// Only the contact.
    Nothing,
    /// A new case (written before the contact, whose question points at it); the store gives it
    /// the next reference of `scope`.
    /// With `tracked`, the citizen's tracking record and acknowledgement mail are written too.
    Case { case: &'a Case, scope: &'a str, change: &'a Change, tracked: Option<&'a crate::ports::TrackedCase> },
    /// A consultation about one of the contact's questions.
    Consultation { consultation: &'a Consultation, change: &'a Change },
}

/// Contacts started in one UTC hour on one channel (issue 15, contact figures).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactHourRow {
    /// Hours since the epoch (UTC) of the start.
    pub utc_hour: i64,
    pub contacts: u64,
    /// Of those, closed.
    pub closed: u64,
    /// Of those closed, answered at once: at least one question, every question `answered`
    /// without a case, and no consultation.
    pub first_time: u64,
}

/// The raw counts behind the contact figures of a period, optionally for the contacts of the
/// agents of one team.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactFigureCounts {
    /// Per UTC hour, every channel together, in order of the hour.
    pub hours: Vec<ContactHourRow>,
    /// Contacts per channel code, in order of the code.
    pub channels: Vec<(String, u64)>,
    /// Consultations asked in the period.
    pub consults_asked: u64,
    pub consults_answered: u64,
    /// Answered consultations that became a kennisbank article.
    pub consults_to_article: u64,
    /// Questions of the period's contacts handed over as a case, per team id of the case.
    pub handovers: Vec<(String, u64)>,
    /// Questions of the period's contacts forwarded to another body.
    pub forwarded: u64,
}

/// A question forwarded to another body that has not confirmed taking it over yet; until then the
/// water board stays its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnconfirmedForward {
    pub contact_id: ContactId,
    pub question_id: QuestionId,
    pub text: String,
    pub forwarded_to: String,
    /// When the contact in which it was forwarded started.
    pub forwarded_at: Timestamp,
    pub customer_id: Option<CustomerId>,
    pub channel: Channel,
}

#[async_trait]
pub trait ContactStore: Send + Sync {
    async fn insert_contact(&self, contact: &Contact, change: &Change) -> StoreResult<()>;
    /// Save a changed contact. Fails with `Conflict` when `expected_version` is stale.
    async fn update_contact(&self, contact: &Contact, expected_version: i64, change: &Change) -> StoreResult<i64>;
    /// Save a changed contact and its follow-up in ONE transaction: all of it or nothing.
    /// Returns the new version, and the case's reference when a case was written.
    async fn update_contact_with(
        &self,
        contact: &Contact,
        expected_version: i64,
        change: &Change,
        follow_up: FollowUp<'_>,
    ) -> StoreResult<(i64, Option<String>)>;
    /// A contact with its version for optimistic concurrency.
    async fn contact(&self, id: ContactId) -> StoreResult<Option<(Contact, i64)>>;
    async fn contacts(&self, query: &ContactQuery) -> StoreResult<Vec<Contact>>;
    async fn count_contacts(&self) -> StoreResult<i64>;
    /// The questions of the contacts started in `[from, to)`, counted per topic and channel.
    async fn question_counts(
        &self,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
    ) -> StoreResult<Vec<(Option<gastvrij_domain::ids::TopicId>, gastvrij_domain::channel::Channel, u64)>>;
    /// The counts behind the contact figures of contacts started (and consultations asked) in
    /// `[from, to)`, read by a plain GROUP BY over the raw tables; with `team`, only contacts and
    /// consultations of that team (`contacts.team_id`, `consultations.asker_team_id`). The pages read [`Self::contact_figure_rollup`];
    /// this one is the baseline `gastvrij bench monitor` checks the roll-ups against.
    /// Indexed range reads: `contacts_started`, `consultations_asked`, `questions_contact`.
    async fn contact_figure_counts(
        &self,
        from: Timestamp,
        to: Timestamp,
        team: Option<&str>,
    ) -> StoreResult<ContactFigureCounts>;
    /// The same counts from the hourly roll-ups (`contact_hourly`, `handover_hourly`,
    /// `consult_hourly`), as current as the last [`Self::refresh_contact_hours`]. `from` and `to`
    /// are taken to whole UTC hours. With `segment`, only the contacts whose customer's first
    /// segment it is (`""`: without a known segment); it does not narrow the consultations.
    async fn contact_figure_rollup(
        &self,
        from: Timestamp,
        to: Timestamp,
        team: Option<&str>,
        segment: Option<&str>,
    ) -> StoreResult<ContactFigureCounts>;
    /// The UTC hours (hours since the epoch) whose contact roll-ups are out of date, the oldest
    /// first, at most `limit`, each with its change counter.
    async fn dirty_contact_hours(&self, limit: u32) -> StoreResult<Vec<(i64, i64)>>;
    /// Recompute the contact roll-ups of the UTC hours `[from_hour, to_hour)` from the raw
    /// tables and drop the markers `done` (hour, change counter) not renewed meanwhile, in one
    /// transaction.
    async fn refresh_contact_hours(&self, from_hour: i64, to_hour: i64, done: &[(i64, i64)]) -> StoreResult<()>;
    /// Forwarded questions the other body has not confirmed, oldest first (at most `limit`).
    async fn unconfirmed_forwards(&self, limit: u32) -> StoreResult<Vec<UnconfirmedForward>>;
}
