//! Use cases of the public portal: citizens send in a vraag, melding or klacht, follow it with
//! a private link, add information, and answer a survey after closure. Staff send messages
//! and run incidents (calamity mode).
//!
//! The tracking link carries a random token; only its SHA-256 is stored, so a database copy
//! does not open anyone's page.
//!
//! By sub-area: `intake` (the forms: checking and storing a submission), `photos` (counting and
//! cleaning uploads), `tracking` (the citizen's tracking page), `survey` (the survey after
//! closure, `App::answer_survey`), `answers` (public answers while a citizen types) and `staff`
//! (messages to citizens, incidents). Here: the error, the tracking link and the citizens' mails.

mod answers;
mod intake;
mod photos;
mod staff;
mod survey;
mod tracking;

pub use crate::secrets::token_hash;
pub use intake::{PreparedSubmission, Receipt};

use crate::letters;
use crate::link_keys::LinkPurpose;
use crate::ports::SubmissionRecord;
use crate::{App, AppError, Principal};
use gastvrij_domain::Invalid;
use gastvrij_domain::audit::Actor;
use gastvrij_domain::case::Case;
use gastvrij_domain::portal::{self, Submission, SubmissionId};
use gastvrij_domain::topic::Topic;
use jiff::Timestamp;

/// Why a citizen's request was not taken: their input (every wrong field, with the form's field
/// names; the web crate words them), or something on our side.
#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    #[error("the form has {} error(s)", .0.len())]
    Invalid(Vec<Invalid>),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<crate::ports::StoreError> for PortalError {
    fn from(e: crate::ports::StoreError) -> Self {
        PortalError::App(e.into())
    }
}

/// The citizen's input is wrong (a rule on our side that fails is an `AppError::Invalid`).
impl From<Invalid> for PortalError {
    fn from(e: Invalid) -> Self {
        PortalError::Invalid(vec![e])
    }
}

/// A photo as uploaded: the bytes and the name the browser gave (used for messages only).
#[derive(Debug, Clone)]
pub struct UploadedPhoto {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// The water board's name and time zone (defaults when it has not been set up).
fn board_of(org: Option<&gastvrij_domain::organisation::Organisation>) -> (String, jiff::tz::TimeZone) {
    let name = org.map(|o| o.name.clone()).unwrap_or_else(|| "Het waterschap".into());
    let tz_name =
        org.map_or_else(|| gastvrij_domain::organisation::Organisation::default().time_zone, |o| o.time_zone.clone());
    (name, jiff::tz::TimeZone::get(&tz_name).unwrap_or(jiff::tz::TimeZone::UTC))
}

/// What the tracking page shows.
#[derive(Debug, Clone)]
pub struct Tracking {
    pub record: SubmissionRecord,
    pub timeline: Vec<portal::TimelineStep>,
    pub expected: Option<Timestamp>,
    pub survey_open: bool,
}

/// Topics a citizen can choose from, with the path shown ("Water > Wateroverlast").
#[derive(Debug, Clone)]
pub struct PublicTopic {
    pub topic: Topic,
    pub label: String,
}

impl Principal {
    /// A member of the public through the portal: no staff roles.
    pub fn public() -> Self {
        Self { actor: Actor::Public, roles: vec![] }
    }
}

/// A token as it may appear in a link: 48 hex digits.
pub fn plausible_token(token: &str) -> bool {
    token.len() == 48 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

impl App {
    /// The link to a stored submission's tracking page: the one its earlier mails carried.
    pub(crate) async fn tracking_link(&self, submission: SubmissionId) -> Result<String, AppError> {
        let token = self.link_token(LinkPurpose::Tracking, submission.to_string().as_bytes()).await?;
        Ok(self.link_for_token(&token))
    }

    fn link_for_token(&self, token: &str) -> String {
        format!("{}/volgen/{token}", self.settings.public_url.trim_end_matches('/'))
    }

    async fn board_name(&self) -> String {
        self.board().await.0
    }

    /// The water board's name and time zone, as citizens' mails use them.
    pub(crate) async fn board(&self) -> (String, jiff::tz::TimeZone) {
        let reference = self.reference.get(self.store.as_ref()).await.ok();
        board_of(reference.as_ref().and_then(|r| r.organisation.as_ref()))
    }

    pub(crate) fn citizen_mail(
        &self,
        kind: gastvrij_domain::mail::MailKind,
        to: &gastvrij_domain::values::Email,
        (subject, body): (String, String),
    ) -> Result<gastvrij_domain::mail::OutgoingMail, AppError> {
        let input =
            gastvrij_domain::mail::MailInput { kind, to: to.as_str().to_string(), subject, body, reply_to: None };
        Ok(gastvrij_domain::mail::OutgoingMail::create(input, self.now())?)
    }

    /// A mail with news for the citizen behind `record`, when they chose e-mail.
    /// `letter` words it from the submission, reference, text, link and the board's name.
    async fn news_mail(
        &self,
        submission: &Submission,
        reference: &str,
        what: &str,
        letter: fn(&Submission, &str, &str, &str, &str) -> Result<letters::MailText, AppError>,
    ) -> Result<Option<gastvrij_domain::mail::OutgoingMail>, AppError> {
        let Some(to) = submission.mail_to() else { return Ok(None) };
        let link = self.tracking_link(submission.id).await?;
        let org = self.board_name().await;
        let text = letter(submission, reference, what, &link, &org)?;
        Ok(Some(self.citizen_mail(gastvrij_domain::mail::MailKind::Bericht, to, text)?))
    }

    /// The mail telling the citizen of a status change of a case that came from the portal (when
    /// they chose e-mail), with the survey invitation once it is closed; queued with the change.
    pub(crate) async fn status_change_mail(
        &self,
        case: &Case,
    ) -> Result<Option<gastvrij_domain::mail::OutgoingMail>, AppError> {
        let Some(record) = self.store.submission_by_case(case.id).await? else { return Ok(None) };
        let Some(to) = record.submission.mail_to() else { return Ok(None) };
        if case.status == gastvrij_domain::case::CaseStatus::Ontvangen {
            return Ok(None);
        }
        let link = self.tracking_link(record.submission.id).await?;
        let org = self.board_name().await;
        let Some(news) = letters::StatusNews::of(&record.submission, &case.reference, case.status, &link, &org) else {
            return Ok(None);
        };
        Ok(Some(self.citizen_mail(gastvrij_domain::mail::MailKind::Statuswijziging, to, news.text()?)?))
    }

    /// The secret tracking token of a new submission: derived from its id with the link key
    /// (`link_keys`), so mails can carry it while the database keeps only its hash.
    pub async fn tracking_token(&self, submission: SubmissionId) -> Result<String, AppError> {
        self.new_link_token(LinkPurpose::Tracking, submission.to_string().as_bytes()).await
    }

    async fn record_for_token(&self, token: &str) -> Result<SubmissionRecord, AppError> {
        if !plausible_token(token) {
            return Err(AppError::NotFound("submission"));
        }
        self.store.submission_by_token(&token_hash(token)).await?.ok_or(AppError::NotFound("submission"))
    }
}
