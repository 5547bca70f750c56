//! The public portal: submissions, their messages, photos and surveys, prevented questions,
//! incidents, and the installation's secrets.

use super::{CaseUpdate, StoreError, StoreResult};
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::case::Case;
use gastvrij_domain::contact::Contact;
use gastvrij_domain::ids::{ArticleId, CaseId, TopicId};
use jiff::Timestamp;

/// A photo to store with a submission or message: checked, cleaned, with its bytes (or the key
/// of the object that holds them).
#[derive(Debug, Clone)]
pub struct PhotoUpload {
    pub meta: gastvrij_domain::portal::Photo,
    pub content: PhotoContent,
}

/// Where a photo's bytes are: in its database row (the default) or in object storage under a key
/// ([`Attachments`](super::Attachments)); then the row keeps only the key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhotoContent {
    Bytes(Vec<u8>),
    Object(String),
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
    /// Events raised with the submission (a melding with danger: `melding.danger` for its
    /// team). The placeholder in a summary becomes the case reference, as in the mails.
    pub events: Vec<gastvrij_domain::audit::Event>,
}

/// The citizen's side of a case made by staff (phone, e-mail, letter, counter), written with the
/// case: the submission row that the tracking link finds, and the acknowledgement mail (its
/// [`REFERENCE_PLACEHOLDER`] becomes the case reference).
#[derive(Debug, Clone)]
pub struct TrackedCase {
    pub submission: gastvrij_domain::portal::Submission,
    /// SHA-256 (hex) of the tracking token.
    pub token_hash: String,
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

/// The surveys offered in a period and what they were answered (open data).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SurveyTotals {
    /// Submissions whose case closed in the period (each was offered the survey).
    pub offered: u64,
    pub answers: u64,
    /// The sum of the grades (1–10) of the answers.
    pub grade_sum: u64,
    /// Answers saying the question was solved.
    pub solved: u64,
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
    /// An incident update: one message per reporter and the mails to those who chose e-mail, in
    /// one transaction (all or none), audited once with `change`. Returns how many mails were
    /// queued.
    async fn insert_incident_update(
        &self,
        messages: &[gastvrij_domain::portal::Message],
        mails: &[gastvrij_domain::mail::OutgoingMail],
        change: &Change,
    ) -> StoreResult<usize>;
    /// A photo's content type and bytes (or object key), when it belongs to the submission.
    async fn submission_photo(
        &self,
        submission: gastvrij_domain::portal::SubmissionId,
        photo: gastvrij_domain::ids::PhotoId,
    ) -> StoreResult<Option<(String, PhotoContent)>>;
    /// Keys of objects whose photos were erased (erasure, retention) and whose objects are still
    /// to be deleted: at most `limit`.
    async fn queued_attachment_deletions(&self, limit: u32) -> StoreResult<Vec<String>>;
    /// The object with this key is deleted: take it off the queue.
    async fn attachment_deleted(&self, key: &str) -> StoreResult<()>;
    /// Store a survey answer; a second answer for the same submission is a conflict. With
    /// `case`, the submission's case (a citizen who asks to reopen it leaves a note) is saved in
    /// the same transaction: when its version is stale, nothing is stored.
    async fn insert_survey_answer(
        &self,
        answer: &gastvrij_domain::portal::SurveyAnswer,
        change: &Change,
        case: Option<CaseUpdate<'_>>,
    ) -> StoreResult<()>;
    /// The surveys of the submissions whose case closed in `[from, to)`: each such submission
    /// was offered one.
    async fn survey_totals(&self, from: Timestamp, to: Timestamp) -> StoreResult<SurveyTotals>;
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
    /// The installation's secret called `name`, if one exists; reading never creates one.
    async fn stored_installation_secret(&self, name: &str) -> StoreResult<Option<String>>;
}
