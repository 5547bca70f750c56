//! Personal data (AVG): everything held on one person, erasing it, and retention by age.

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::ids::CustomerId;
use jiff::Timestamp;
use serde::Serialize;

/// One stored row as JSON: column name to value. Secrets (token and link hashes) and file
/// contents are left out; photos are listed by their metadata.
pub type JsonRow = serde_json::Map<String, serde_json::Value>;

/// Everything the store holds on one customer, table by table.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PersonalData {
    pub customer: JsonRow,
    /// Their contacts (by phone, desk, mail…) and the questions asked in them.
    pub contacts: Vec<JsonRow>,
    pub questions: Vec<JsonRow>,
    /// Consultations of colleagues about their questions.
    pub consultations: Vec<JsonRow>,
    /// Calls that became one of their contacts.
    pub calls: Vec<JsonRow>,
    /// Their cases, with status changes, notes and attachments (metadata).
    pub cases: Vec<JsonRow>,
    pub case_status_history: Vec<JsonRow>,
    pub case_notes: Vec<JsonRow>,
    pub case_attachments: Vec<JsonRow>,
    /// The letters printed for their cases, as printed.
    pub case_letters: Vec<JsonRow>,
    /// Portal submissions on their cases or from their e-mail address, with messages, photos
    /// (metadata) and survey answers.
    pub submissions: Vec<JsonRow>,
    pub submission_messages: Vec<JsonRow>,
    pub submission_photos: Vec<JsonRow>,
    pub survey_answers: Vec<JsonRow>,
    /// Subscriptions to news about planned works of their e-mail addresses.
    pub work_subscriptions: Vec<JsonRow>,
    /// Mail sent (or to be sent) to their e-mail addresses.
    pub mails: Vec<JsonRow>,
}

/// What an erasure changed, per kind of record; all zero when there was nothing left to erase.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Erasure {
    pub customers: u64,
    pub questions: u64,
    pub case_notes: u64,
    pub submissions: u64,
    pub messages: u64,
    pub survey_comments: u64,
    pub photos: u64,
    pub subscriptions: u64,
    pub mails: u64,
}

impl Erasure {
    pub fn total(&self) -> u64 {
        self.customers
            + self.questions
            + self.case_notes
            + self.submissions
            + self.messages
            + self.survey_comments
            + self.photos
            + self.subscriptions
            + self.mails
    }

    /// For the audit log: counts only, never content.
    pub fn summary(&self) -> String {
        format!(
            "customers={} questions={} case_notes={} submissions={} messages={} survey_comments={} photos={} \
             subscriptions={} mails={}",
            self.customers,
            self.questions,
            self.case_notes,
            self.submissions,
            self.messages,
            self.survey_comments,
            self.photos,
            self.subscriptions,
            self.mails
        )
    }
}

/// The moments before which records are due under the retention policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetentionCutoffs {
    /// Cases closed at or before this moment lose their personal data (photos go with them).
    pub cases_closed_before: Timestamp,
    /// Mail sent (or given up) at or before this moment loses its body.
    pub mail_before: Timestamp,
    /// Subscriptions made at or before this moment and never confirmed are deleted.
    pub unconfirmed_before: Timestamp,
    /// Stored search questions asked before this moment (their hour) are deleted.
    pub search_questions_before: Timestamp,
}

/// What one retention batch did (or, in a dry run, what is due).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct RetentionCounts {
    /// Closed cases whose personal data was anonymised.
    pub cases: u64,
    pub mail_bodies: u64,
    pub unconfirmed_subscriptions: u64,
    /// Stored search questions deleted (docs/kennisbank-learning.md).
    pub search_questions: u64,
}

impl RetentionCounts {
    pub fn total(&self) -> u64 {
        self.cases + self.mail_bodies + self.unconfirmed_subscriptions + self.search_questions
    }

    pub fn add(&mut self, other: RetentionCounts) {
        self.cases += other.cases;
        self.mail_bodies += other.mail_bodies;
        self.unconfirmed_subscriptions += other.unconfirmed_subscriptions;
        self.search_questions += other.search_questions;
    }

    /// For the audit log: counts only.
    pub fn summary(&self) -> String {
        format!(
            "cases={} mail_bodies={} unconfirmed_subscriptions={} search_questions={}",
            self.cases, self.mail_bodies, self.unconfirmed_subscriptions, self.search_questions
        )
    }
}

/// The advisory-lock key (PostgreSQL) that claims a retention batch, so two nodes on one database
/// never run one at the same time.
pub const RETENTION_LOCK: i64 = 0x6776_5f72_6574_656e; // "gv_reten"

/// Text put in place of erased free text.
pub const ERASED: &str = "[verwijderd]";

/// Address put in place of an erased e-mail address where the column cannot be empty.
pub const ERASED_EMAIL: &str = "verwijderd@verwijderd.invalid";

/// Personal data: export, erasure and retention.
#[async_trait]
pub trait PrivacyStore: Send + Sync {
    /// Everything held on one customer, or `None` when there is no such customer.
    async fn personal_data(&self, id: CustomerId) -> StoreResult<Option<PersonalData>>;
    /// Anonymise one customer and what identifies them, in one transaction, writing
    /// `customer.erased` with the counts when anything changed. `None`: no such customer.
    async fn erase_customer(&self, id: CustomerId, actor: Actor, at: Timestamp) -> StoreResult<Option<Erasure>>;
    /// Do at most `limit` records per kind of what is due, in one transaction that claims the
    /// work (PostgreSQL: `pg_try_advisory_xact_lock(RETENTION_LOCK)`). `None`: another node holds
    /// the claim. With `dry_run`, count all that is due and change nothing.
    async fn retention_batch(
        &self,
        cutoffs: &RetentionCutoffs,
        limit: u32,
        dry_run: bool,
    ) -> StoreResult<Option<RetentionCounts>>;
    /// Record a change that has no record of its own (a read, an export, a retention run).
    async fn record_change(&self, change: &Change) -> StoreResult<()>;
}
