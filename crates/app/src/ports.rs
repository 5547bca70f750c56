//! Ports: what the use cases need from the outside world.

use crate::Page;
use async_trait::async_trait;
use gastvrij_domain::audit::{AuditEntry, Change, Event};
use gastvrij_domain::case::{Case, CaseStatus, CaseType};
use gastvrij_domain::contact::Contact;
use gastvrij_domain::customer::Customer;
use gastvrij_domain::ids::{
    ArticleId, CaseId, ConsultationId, ContactId, CustomerId, EmployeeId, MailId, TeamId, TopicId,
};
use gastvrij_domain::knowledge::{Article, ArticleVersion, Consultation};
use gastvrij_domain::mail::{MailCounts, MailRecord, MailStatus, OutgoingMail, Retry};
use gastvrij_domain::organisation::Organisation;
use gastvrij_domain::team::{Employee, Team};
use gastvrij_domain::topic::Topic;
use jiff::Timestamp;

/// The current time; a port so tests can fix it.
pub trait Clock: Send + Sync {
    fn now(&self) -> Timestamp;
}

/// The real clock.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        Timestamp::now()
    }
}

/// Errors a store reports.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0} not found")]
    NotFound(&'static str),
    /// A uniqueness or concurrency conflict the caller can resolve.
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Unavailable(String),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Filters for listing customers.
#[derive(Debug, Clone, Default)]
pub struct CustomerQuery {
    /// Matches name (contains, case-insensitive), e-mail, phone, postcode or KvK number exactly.
    pub text: Option<String>,
    pub postcode: Option<String>,
    pub house_number: Option<String>,
    pub page: Page,
}

/// Filters for listing contacts, newest first.
#[derive(Debug, Clone, Default)]
pub struct ContactQuery {
    pub customer_id: Option<CustomerId>,
    pub agent_id: Option<EmployeeId>,
    pub from: Option<Timestamp>,
    pub to: Option<Timestamp>,
    pub page: Page,
}

/// Filters for listing cases, newest first.
#[derive(Debug, Clone, Default)]
pub struct CaseQuery {
    pub team_id: Option<TeamId>,
    pub owner_id: Option<EmployeeId>,
    pub customer_id: Option<CustomerId>,
    pub status: Option<CaseStatus>,
    pub case_type: Option<CaseType>,
    pub open_only: bool,
    pub page: Page,
}

/// Filters for reading the audit log, oldest first.
#[derive(Debug, Clone, Default)]
pub struct AuditQuery {
    pub entity_id: Option<String>,
    pub after_seq: Option<i64>,
    pub page: Page,
}

/// The timing facts of one case, for norm compliance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseTimingRow {
    pub case_type: CaseType,
    pub team_id: TeamId,
    pub topic_id: Option<TopicId>,
    /// The channel of the contact the case came from, if any.
    pub channel: Option<gastvrij_domain::channel::Channel>,
    pub created_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    /// The first status change after receipt: the case was picked up (acknowledged).
    pub first_action_at: Option<Timestamp>,
    pub acknowledgement_due: Option<Timestamp>,
    pub service_norm_due: Option<Timestamp>,
    pub legal_due: Option<Timestamp>,
}

/// An open case with a deadline, for the deadline watch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DueCase {
    pub id: CaseId,
    pub reference: String,
    pub team_id: TeamId,
    pub owner_id: Option<EmployeeId>,
    pub service_norm_due: Timestamp,
}

/// Filters for reading events, oldest first.
#[derive(Debug, Clone, Default)]
pub struct EventQuery {
    pub team_id: Option<TeamId>,
    pub employee_id: Option<EmployeeId>,
    pub after_seq: Option<i64>,
    pub page: Page,
}

/// Filters for listing articles, most recently changed first.
#[derive(Debug, Clone, Default)]
pub struct ArticleQuery {
    pub status: Option<gastvrij_domain::knowledge::ArticleStatus>,
    /// Articles whose review date lies before this date (and are not archived).
    pub review_before: Option<jiff::civil::Date>,
    pub topic_id: Option<TopicId>,
    pub page: Page,
}

/// Filters for listing consultations, newest first.
#[derive(Debug, Clone, Default)]
pub struct ConsultationQuery {
    pub to_team: Option<TeamId>,
    pub to_employee: Option<EmployeeId>,
    pub asked_by: Option<EmployeeId>,
    /// Only those still waiting for an answer.
    pub open_only: bool,
    pub page: Page,
}

/// Which cases a timing query covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseScope {
    All,
    Open,
    Closed,
}

/// A case or phone contact whose roll-up day must be recomputed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirtyMarker {
    /// `case` or `phone`.
    pub kind: String,
    pub id: String,
    /// Its moment of receipt, which decides the day.
    pub day_at: Timestamp,
    /// The change that marked it.
    pub touched: i64,
}

/// One row of the daily norm roll-up (closed cases only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormDailyRow {
    /// Local date of receipt, `YYYY-MM-DD`.
    pub day: String,
    pub team_id: TeamId,
    pub topic_id: Option<TopicId>,
    pub channel: Option<gastvrij_domain::channel::Channel>,
    pub case_type: CaseType,
    /// `ontvangstbevestiging` or `inhoudelijke_reactie`.
    pub category: String,
    pub within_norm: i64,
    pub late: i64,
    pub legal_late: i64,
}

/// Daily roll-up figures summed per day, slice key and category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormDailySum {
    pub day: String,
    /// The slice: a team or topic id, a channel or case type code, a category, `geen` or `totaal`.
    pub key: String,
    pub within_norm: i64,
    pub late: i64,
    pub legal_late: i64,
}

/// Which roll-up column makes the slice key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RollupSlice {
    Total,
    Team,
    Topic,
    Channel,
    CaseType,
    Category,
}

/// Which open cases to count, and the moments that decide their state (see
/// [`Store::open_case_counts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCaseQuery {
    /// Open cases received in `[from, to)`.
    pub from: Timestamp,
    pub to: Timestamp,
    /// The slice key; [`RollupSlice::Category`] counts like [`RollupSlice::Total`] (the category
    /// is the measurement itself).
    pub slice: RollupSlice,
    /// The starts of consecutive weeks, ascending; the first at or before `from`. A case belongs
    /// to the last week that starts at or before its receipt.
    pub week_starts: Vec<Timestamp>,
    /// A deadline at or before `now` without the work done is late.
    pub now: Timestamp,
    /// A deadline after `now` and at or before `risk_until` is at risk; a later one is open.
    pub risk_until: Timestamp,
}

/// Open cases of one slice and week whose two measurements are in the same state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCaseCount {
    /// As in [`NormDailySum::key`]; `totaal` for [`RollupSlice::Total`] and [`RollupSlice::Category`].
    pub key: String,
    /// Index into [`OpenCaseQuery::week_starts`].
    pub week: usize,
    /// The acknowledgement (first action against its deadline); `None` without that deadline.
    pub acknowledgement: Option<gastvrij_domain::norms::Compliance>,
    /// The service norm (closing against its deadline); `None` without that deadline.
    pub service_norm: Option<gastvrij_domain::norms::Compliance>,
    /// The case has a service-norm deadline and is (or was closed) at or past its legal deadline.
    pub legal_late: bool,
    pub cases: i64,
}

/// One day of phone reachability during office hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneDailyRow {
    pub day: String,
    pub within_norm: i64,
    pub late: i64,
}

/// Records written together in one transaction, with one audit entry (demo seeding, imports).
#[derive(Debug, Clone, Default)]
pub struct Batch {
    pub teams: Vec<Team>,
    pub employees: Vec<Employee>,
    pub topics: Vec<Topic>,
    pub customers: Vec<Customer>,
    pub contacts: Vec<Contact>,
    /// Cases with their references already assigned.
    pub cases: Vec<Case>,
    /// Mail the records cause (e.g. confirmations of receipt), queued with them or not at all.
    pub mails: Vec<OutgoingMail>,
}

impl Batch {
    pub fn len(&self) -> usize {
        self.teams.len()
            + self.employees.len()
            + self.topics.len()
            + self.customers.len()
            + self.contacts.len()
            + self.cases.len()
            + self.mails.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

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

/// A search query over knowledge articles.
#[derive(Debug, Clone)]
pub struct ArticleSearchQuery<'a> {
    pub text: &'a str,
    pub limit: usize,
    /// Search as you type: the last word may be a prefix.
    pub prefix: bool,
    /// Only articles under this topic path.
    pub topic: Option<&'a str>,
    /// Only articles with one of these status codes.
    pub statuses: &'a [&'a str],
    /// Only articles for this audience (segment code).
    pub audience: Option<&'a str>,
}

/// A ranked search result.
#[derive(Debug, Clone, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct ArticleHit {
    /// The article's external id.
    pub id: String,
    pub title: String,
    pub score: f32,
    /// A fragment with the matching words in `<mark>`; the rest HTML-escaped.
    pub snippet: String,
}

/// The search index over knowledge articles: a derived, rebuildable copy of the database.
pub trait ArticleSearch: Send + Sync {
    fn search(&self, query: &ArticleSearchQuery<'_>) -> anyhow::Result<Vec<ArticleHit>>;
    /// Add or replace articles (with their topic paths).
    fn upsert(&self, articles: &[(Article, String)]) -> anyhow::Result<()>;
    fn delete(&self, external_ids: &[String]) -> anyhow::Result<()>;
    /// Replace the whole index; returns the number of articles indexed.
    fn rebuild(&self, articles: &mut dyn Iterator<Item = (Article, String)>) -> anyhow::Result<u64>;
    /// Use the editors' synonym rules from now on.
    fn set_synonyms(&self, rules: &[String]) -> anyhow::Result<()>;
    fn len(&self) -> u64;
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Persistent storage. Every mutating method writes its [`Change`] to the audit log in the same
/// transaction, so a change and its audit entry exist together or not at all.
#[async_trait]
pub trait Store: PortalStore + PlannedWorkStore + Send + Sync + 'static {
    /// `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// Succeeds when the database answers.
    async fn ping(&self) -> StoreResult<()>;

    async fn organisation(&self) -> StoreResult<Option<Organisation>>;
    async fn save_organisation(&self, org: &Organisation, change: &Change) -> StoreResult<()>;

    async fn insert_team(&self, team: &Team, change: &Change) -> StoreResult<()>;
    async fn update_team(&self, team: &Team, change: &Change) -> StoreResult<()>;
    async fn team(&self, id: TeamId) -> StoreResult<Option<Team>>;
    async fn teams(&self) -> StoreResult<Vec<Team>>;

    async fn insert_employee(&self, employee: &Employee, change: &Change) -> StoreResult<()>;
    async fn update_employee(&self, employee: &Employee, change: &Change) -> StoreResult<()>;
    async fn employee(&self, id: EmployeeId) -> StoreResult<Option<Employee>>;
    async fn employee_by_username(&self, username: &str) -> StoreResult<Option<Employee>>;
    async fn employees(&self) -> StoreResult<Vec<Employee>>;

    /// Store calls (insert, or update by call id) and mark their days for the roll-ups.
    /// Returns how many were stored.
    async fn upsert_calls(&self, calls: &[gastvrij_domain::telephony::Call], change: &Change) -> StoreResult<u64>;
    /// Calls offered in `[from, to)`, oldest first.
    async fn calls(&self, from: Timestamp, to: Timestamp) -> StoreResult<Vec<gastvrij_domain::telephony::Call>>;

    /// The expertise directory: one entry per employee who has one.
    async fn directory(&self) -> StoreResult<Vec<gastvrij_domain::directory::DirectoryEntry>>;
    async fn save_directory_entry(
        &self,
        entry: &gastvrij_domain::directory::DirectoryEntry,
        change: &Change,
    ) -> StoreResult<()>;
    /// Set (or clear) the argon2id password hash of an employee.
    async fn set_password_hash(&self, id: EmployeeId, hash: Option<&str>, change: &Change) -> StoreResult<()>;
    async fn password_hash(&self, id: EmployeeId) -> StoreResult<Option<String>>;
    /// Store an API token by its SHA-256 hash.
    async fn insert_api_token(&self, hash: &str, employee: EmployeeId, label: &str, change: &Change)
    -> StoreResult<()>;
    async fn employee_by_api_token(&self, hash: &str) -> StoreResult<Option<Employee>>;

    /// Store a session by the hash of its token; expired sessions are removed on the way.
    async fn insert_session(
        &self,
        token_hash: &str,
        employee: EmployeeId,
        csrf: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// The employee and CSRF token of a session that has not expired at `now`.
    async fn session(&self, token_hash: &str, now: Timestamp) -> StoreResult<Option<(Employee, String)>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;

    async fn insert_topic(&self, topic: &Topic, change: &Change) -> StoreResult<()>;
    async fn update_topic(&self, topic: &Topic, change: &Change) -> StoreResult<()>;
    async fn topic(&self, id: TopicId) -> StoreResult<Option<Topic>>;
    async fn topics(&self) -> StoreResult<Vec<Topic>>;

    async fn insert_customer(&self, customer: &Customer, change: &Change) -> StoreResult<()>;
    async fn update_customer(&self, customer: &Customer, change: &Change) -> StoreResult<()>;
    async fn customer(&self, id: CustomerId) -> StoreResult<Option<Customer>>;
    async fn customers(&self, query: &CustomerQuery) -> StoreResult<Vec<Customer>>;

    async fn insert_contact(&self, contact: &Contact, change: &Change) -> StoreResult<()>;
    /// Save a changed contact. Fails with `Conflict` when `expected_version` is stale.
    async fn update_contact(&self, contact: &Contact, expected_version: i64, change: &Change) -> StoreResult<i64>;
    /// A contact with its version for optimistic concurrency.
    async fn contact(&self, id: ContactId) -> StoreResult<Option<(Contact, i64)>>;
    async fn contacts(&self, query: &ContactQuery) -> StoreResult<Vec<Contact>>;
    async fn count_contacts(&self) -> StoreResult<i64>;

    /// Insert a new case, assigning the next readable reference in `scope` (e.g. `WS-2026`
    /// gives `WS-2026-000001`, `WS-2026-000002`, …); returns the reference.
    async fn insert_case(&self, case: &Case, scope: &str, change: &Change) -> StoreResult<String>;
    /// Save a changed case: its fields, and history entries, notes and attachments it did not
    /// have before (those are append-only). Fails with `Conflict` when `expected_version` is stale.
    async fn update_case(&self, case: &Case, expected_version: i64, change: &Change) -> StoreResult<i64>;
    async fn case(&self, id: CaseId) -> StoreResult<Option<(Case, i64)>>;
    async fn case_by_reference(&self, reference: &str) -> StoreResult<Option<(Case, i64)>>;
    async fn cases(&self, query: &CaseQuery) -> StoreResult<Vec<Case>>;

    /// Timing facts of the cases created in `[from, to)`.
    async fn case_timings(&self, from: Timestamp, to: Timestamp, scope: CaseScope) -> StoreResult<Vec<CaseTimingRow>>;

    /// Up to `limit` pending roll-up markers.
    async fn dirty_rollups(&self, limit: u32) -> StoreResult<Vec<DirtyMarker>>;
    /// Replace the roll-up rows of `days` and clear the processed markers, in one transaction.
    async fn replace_rollup_days(
        &self,
        days: &[String],
        norms: &[NormDailyRow],
        phone: &[PhoneDailyRow],
        done: &[DirtyMarker],
    ) -> StoreResult<()>;
    /// Roll-up figures for days in `[from_day, to_day)`, summed per day and slice in the database.
    async fn norm_daily(&self, from_day: &str, to_day: &str, slice: RollupSlice) -> StoreResult<Vec<NormDailySum>>;
    /// The open cases of a period counted in the database per slice, week and state of their
    /// measurements: the live part of a roll-up report, without reading the cases one by one.
    async fn open_case_counts(&self, q: &OpenCaseQuery) -> StoreResult<Vec<OpenCaseCount>>;
    async fn phone_daily(&self, from_day: &str, to_day: &str) -> StoreResult<Vec<PhoneDailyRow>>;

    /// `(moment, waiting_seconds)` of the phone contacts and reported calls in `[from, to)`; a
    /// contact a reported call stands for counts once, and an abandoned call waits `u32::MAX`.
    async fn phone_waits(&self, from: Timestamp, to: Timestamp) -> StoreResult<Vec<(Timestamp, u32)>>;

    /// Open cases whose service-norm deadline lies in `(after, until]`.
    async fn open_cases_due(&self, after: Timestamp, until: Timestamp) -> StoreResult<Vec<DueCase>>;

    /// Store events; those whose dedupe key exists already are skipped. Returns how many were new.
    async fn raise_events(&self, events: &[Event]) -> StoreResult<u64>;
    async fn events(&self, query: &EventQuery) -> StoreResult<Vec<Event>>;

    /// Insert a new article with its first version; raises `article.changed` for the index.
    async fn insert_article(&self, article: &Article, version: &ArticleVersion, change: &Change) -> StoreResult<()>;
    /// Save a changed article (its `version` one above `expected_version`) with the version entry.
    async fn update_article(
        &self,
        article: &Article,
        expected_version: i64,
        version: &ArticleVersion,
        change: &Change,
    ) -> StoreResult<()>;
    async fn article(&self, id: ArticleId) -> StoreResult<Option<Article>>;
    async fn article_by_external_id(&self, external_id: &str) -> StoreResult<Option<Article>>;
    async fn articles(&self, query: &ArticleQuery) -> StoreResult<Vec<Article>>;
    async fn article_versions(&self, id: ArticleId) -> StoreResult<Vec<ArticleVersion>>;
    /// Count a use of the article in a contact (`helped` = None), or feedback on it.
    async fn count_article_use(&self, id: ArticleId, helped: Option<bool>, change: &Change) -> StoreResult<()>;

    async fn insert_consultation(&self, c: &Consultation, change: &Change) -> StoreResult<()>;
    async fn update_consultation(&self, c: &Consultation, change: &Change) -> StoreResult<()>;
    async fn consultation(&self, id: ConsultationId) -> StoreResult<Option<Consultation>>;
    async fn consultations(&self, query: &ConsultationQuery) -> StoreResult<Vec<Consultation>>;
    /// `(answered consultations, those turned into an article)`.
    async fn consultation_counts(&self) -> StoreResult<(i64, i64)>;

    /// The synonym rules kept by editors, in order.
    async fn synonyms(&self) -> StoreResult<Vec<String>>;
    async fn save_synonyms(&self, rules: &[String], change: &Change) -> StoreResult<()>;

    async fn audit_log(&self, query: &AuditQuery) -> StoreResult<Vec<AuditEntry>>;

    /// Queue one mail on its own, with the audit entry of `change`. A use case whose change causes
    /// a mail queues it in that change's own transaction instead, so the two exist together or
    /// not at all: in the store that is one call of `enqueue_mail_tx(&mut tx, &mail)` inside the
    /// method that writes the change (see `insert_batch`, which queues a batch's `mails`).
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

    /// Write a batch of new records in one transaction with one audit entry. References of the
    /// batch's cases must already be set; the case counter moves past the highest one.
    async fn insert_batch(&self, batch: &Batch, change: &Change) -> StoreResult<()>;
}

/// A photo to store with a submission or message: checked, cleaned, with its bytes.
#[derive(Debug, Clone)]
pub struct PhotoUpload {
    pub meta: gastvrij_domain::portal::Photo,
    pub bytes: Vec<u8>,
}

/// Everything one citizen's submission writes, in one transaction.
#[derive(Debug, Clone)]
pub struct NewSubmission {
    pub submission: gastvrij_domain::portal::Submission,
    /// SHA-256 (hex) of the tracking token; the token itself is never stored.
    pub token_hash: String,
    /// The contact on channel webformulier, its question handed over to the case.
    pub contact: Contact,
    pub case: Case,
    /// The case reference's scope, e.g. `WS-2026`.
    pub scope: String,
    pub photos: Vec<PhotoUpload>,
    /// Grouping with earlier reports (calamity mode).
    pub grouping: gastvrij_domain::portal::Grouping,
    /// The incident to create when `grouping` starts one.
    pub new_incident: Option<gastvrij_domain::portal::Incident>,
    /// Mails queued with the submission (the confirmation of receipt). The placeholder
    /// [`REFERENCE_PLACEHOLDER`] in a subject or body becomes the case reference, which the
    /// store assigns in the same transaction.
    pub mails: Vec<gastvrij_domain::mail::OutgoingMail>,
}

/// Stands for the case reference in mails queued with a new submission.
pub const REFERENCE_PLACEHOLDER: &str = "{kenmerk}";

/// A submission with what its tracking page shows.
#[derive(Debug, Clone)]
pub struct SubmissionRecord {
    pub submission: gastvrij_domain::portal::Submission,
    pub case: Case,
    pub messages: Vec<gastvrij_domain::portal::Message>,
    pub photos: Vec<gastvrij_domain::portal::Photo>,
    pub survey: Option<gastvrij_domain::portal::SurveyAnswer>,
}

/// The public portal's storage: submissions, their messages, photos and surveys, prevented
/// questions, and incidents.
#[async_trait]
pub trait PortalStore: Send + Sync {
    /// Store submissions, each with its contact, case, photos, grouping and mails, in one
    /// transaction (all or none); returns their references in the same order.
    async fn insert_submissions(&self, batch: &[(&NewSubmission, &Change)]) -> StoreResult<Vec<String>>;
    /// Store one submission; returns its reference.
    async fn insert_submission(&self, new: &NewSubmission, change: &Change) -> StoreResult<String> {
        let mut references = self.insert_submissions(&[(new, change)]).await?;
        references.pop().ok_or_else(|| StoreError::Other(anyhow::anyhow!("a stored submission got no reference")))
    }
    async fn submission_by_token(&self, token_hash: &str) -> StoreResult<Option<SubmissionRecord>>;
    async fn submission_by_case(&self, case_id: CaseId) -> StoreResult<Option<SubmissionRecord>>;
    /// Add a message (with photos) to a submission.
    async fn insert_submission_message(
        &self,
        message: &gastvrij_domain::portal::Message,
        photos: &[PhotoUpload],
        mails: &[gastvrij_domain::mail::OutgoingMail],
        change: &Change,
    ) -> StoreResult<()>;
    /// A photo's content type and bytes, when it belongs to the submission.
    async fn submission_photo(
        &self,
        submission: gastvrij_domain::portal::SubmissionId,
        photo: gastvrij_domain::ids::PhotoId,
    ) -> StoreResult<Option<(String, Vec<u8>)>>;
    /// Store a survey answer; a second answer for the same submission is a conflict.
    async fn insert_survey_answer(
        &self,
        answer: &gastvrij_domain::portal::SurveyAnswer,
        change: &Change,
    ) -> StoreResult<()>;
    /// A citizen found the answer in the kennisbank and did not send the question.
    async fn record_prevented_question(&self, article: ArticleId, at: Timestamp) -> StoreResult<()>;
    async fn count_prevented_questions(&self, from: Timestamp, to: Timestamp) -> StoreResult<i64>;
    /// Meldingen of this topic since `since` in this area (same postcode or a point in the
    /// bounds), newest first, for grouping; at most 500. Reports of a closed incident are left
    /// out: it takes no new reports, and they start no other.
    async fn recent_reports(
        &self,
        topic: TopicId,
        since: Timestamp,
        area: &gastvrij_domain::portal::NearArea,
    ) -> StoreResult<Vec<gastvrij_domain::portal::GroupCandidate>>;
    async fn incidents(&self, open_only: bool) -> StoreResult<Vec<gastvrij_domain::portal::Incident>>;
    async fn incident(
        &self,
        id: gastvrij_domain::portal::IncidentId,
    ) -> StoreResult<Option<gastvrij_domain::portal::Incident>>;
    async fn update_incident(&self, incident: &gastvrij_domain::portal::Incident, change: &Change) -> StoreResult<()>;
    /// The submissions grouped under an incident.
    async fn incident_submissions(
        &self,
        id: gastvrij_domain::portal::IncidentId,
    ) -> StoreResult<Vec<gastvrij_domain::portal::Submission>>;
    /// The installation's secret called `name`; `candidate` becomes it when none exists yet.
    async fn installation_secret(&self, name: &str, candidate: &str) -> StoreResult<String>;
}

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
    pub subscription: gastvrij_domain::planned_work::Subscription,
    pub confirm_hash: String,
    pub unsubscribe_hash: String,
    pub mail: gastvrij_domain::mail::OutgoingMail,
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
        work: &gastvrij_domain::planned_work::PlannedWork,
        change: &Change,
    ) -> StoreResult<()>;
    /// Save a changed work; its areas are replaced.
    async fn update_planned_work(
        &self,
        work: &gastvrij_domain::planned_work::PlannedWork,
        change: &Change,
    ) -> StoreResult<()>;
    async fn planned_work(
        &self,
        id: gastvrij_domain::ids::PlannedWorkId,
    ) -> StoreResult<Option<gastvrij_domain::planned_work::PlannedWork>>;
    async fn planned_works(
        &self,
        query: &PlannedWorkQuery,
    ) -> StoreResult<Vec<gastvrij_domain::planned_work::PlannedWork>>;
    /// Works not over on `today` whose area holds postcodes with these four digits or names this
    /// place (case-insensitive), the soonest start first.
    async fn planned_works_covering(
        &self,
        digits: Option<u16>,
        place: Option<&str>,
        today: jiff::civil::Date,
    ) -> StoreResult<Vec<gastvrij_domain::planned_work::PlannedWork>>;
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
    /// the same address (case-insensitive) and postcode exists, that one gets the new token hashes
    /// instead (no duplicate): a pending one stays pending, a confirmed one stays confirmed, an
    /// ended one is pending again. Returns the subscription as stored; the audit entry names it.
    async fn save_subscription(
        &self,
        new: &NewSubscription,
        change: &Change,
    ) -> StoreResult<gastvrij_domain::planned_work::Subscription>;
    async fn subscription_by_confirm_hash(
        &self,
        hash: &str,
    ) -> StoreResult<Option<gastvrij_domain::planned_work::Subscription>>;
    async fn subscription_by_unsubscribe_hash(
        &self,
        hash: &str,
    ) -> StoreResult<Option<gastvrij_domain::planned_work::Subscription>>;
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
    ) -> StoreResult<Vec<gastvrij_domain::planned_work::Subscription>>;
    /// Queue the subscribers' mails in one transaction; a subscriber who left (or was never
    /// confirmed) meanwhile is skipped. Returns how many mails were queued.
    async fn queue_subscriber_news(&self, news: &[SubscriberNews], change: &Change) -> StoreResult<u64>;
}
