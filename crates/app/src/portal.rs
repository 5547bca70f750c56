//! Use cases of the public portal: citizens send in a vraag, melding or klacht, follow it with
//! a private link, add information, and answer a survey after closure. Staff send messages
//! and run incidents (calamity mode).
//!
//! The tracking link carries a random token; only its SHA-256 is stored, so a database copy
//! does not open anyone's page.

use crate::letters;
use crate::ports::{ArticleHit, ArticleSearchQuery, NewSubmission, PhotoUpload, SubmissionRecord};
use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::{Case, CaseInput};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{Contact, ContactInput, Outcome, QuestionInput};
use gastvrij_domain::ids::{CaseId, PhotoId, TeamId};
use gastvrij_domain::knowledge::{Article, ArticleStatus};
use gastvrij_domain::photo;
use gastvrij_domain::portal::{
    self, GroupCandidate, Grouping, Incident, IncidentId, Message, Photo, Submission, SubmissionForm, SubmissionId,
    SubmissionKind, SurveyAnswer, SurveyForm,
};
use gastvrij_domain::topic::{self, Topic};
use gastvrij_domain::{Invalid, InvalidKind, StateRule};
use jiff::{SignedDuration, Timestamp};

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

/// What the citizen gets back once the submission is stored.
#[derive(Debug, Clone)]
pub struct Receipt {
    pub reference: String,
    /// The secret for the tracking link; shown once, never stored.
    pub token: String,
    pub kind: SubmissionKind,
    pub urgent: bool,
    /// When the water board expects to answer (from the norms), if a norm applies.
    pub expected: Option<Timestamp>,
    /// For a klacht: the written acknowledgement is due by then.
    pub acknowledgement: Option<Timestamp>,
    pub incident: Option<IncidentId>,
}

/// A submission checked and built but not stored yet.
#[derive(Debug, Clone)]
pub struct PreparedSubmission {
    pub new: NewSubmission,
    pub change: Change,
    /// The secret for the tracking link (the submission keeps its hash).
    pub token: String,
}

impl PreparedSubmission {
    /// The receipt once stored under `reference`.
    pub fn receipt(&self, reference: String) -> Receipt {
        let deadlines = self.new.case.timing.deadlines;
        Receipt {
            reference,
            token: self.token.clone(),
            kind: self.new.submission.kind,
            urgent: self.new.submission.urgent,
            expected: deadlines.map(|d| d.service_norm),
            acknowledgement: deadlines.and_then(|d| d.acknowledgement),
            incident: self.new.submission.incident_id,
        }
    }
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

use crate::secrets::random_hex;
pub use crate::secrets::token_hash;

/// A token as it may appear in a link: 48 hex digits.
pub fn plausible_token(token: &str) -> bool {
    token.len() == 48 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// How many photos are cleaned at once, over all requests: one per core. Cleaning is CPU work
/// (up to 10 MB walked and copied per photo), so it runs on blocking threads, never on the
/// request tasks, and a burst of uploads waits here instead of taking every core.
static PHOTO_CLEANERS: std::sync::LazyLock<std::sync::Arc<tokio::sync::Semaphore>> = std::sync::LazyLock::new(|| {
    let cores = std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get);
    std::sync::Arc::new(tokio::sync::Semaphore::new(cores))
});

/// The number of photos is checked at once (it costs nothing); their content only by [`clean_photos`].
fn count_photos(photos: &[UploadedPhoto]) -> Result<(), Invalid> {
    if photos.len() > portal::MAX_PHOTOS {
        return Err(Invalid::new("fotos", InvalidKind::TooMany { max: portal::MAX_PHOTOS }));
    }
    Ok(())
}

/// Check and strip each photo on a blocking thread, at most [`PHOTO_CLEANERS`] at once.
async fn clean_photos(photos: &[UploadedPhoto], keep_location: bool) -> Result<Vec<photo::CleanPhoto>, PortalError> {
    count_photos(photos)?;
    let mut cleaned = Vec::with_capacity(photos.len());
    for p in photos {
        let permit = PHOTO_CLEANERS
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| AppError::Unavailable("photo cleaning has stopped".into()))?;
        let bytes = p.bytes.clone();
        let result = tokio::task::spawn_blocking(move || {
            let _permit = permit; // held until the photo is done, even when the request is dropped
            photo::clean(&bytes, keep_location)
        })
        .await
        .map_err(|e| AppError::Unavailable(format!("cleaning a photo failed: {e}")))?;
        cleaned.push(result.map_err(|problem| {
            let name: String = p.file_name.chars().filter(|c| !c.is_control()).take(80).collect();
            Invalid::new("fotos", InvalidKind::Photo { file: name.trim().to_string(), problem })
        })?);
    }
    Ok(cleaned)
}

fn uploads(
    cleaned: Vec<photo::CleanPhoto>,
    submission: SubmissionId,
    message: Option<gastvrij_domain::ids::MessageId>,
    now: Timestamp,
) -> Vec<PhotoUpload> {
    cleaned
        .into_iter()
        .map(|c| PhotoUpload {
            meta: Photo {
                id: PhotoId::new(),
                submission_id: submission,
                message_id: message,
                content_type: c.format.content_type().to_string(),
                size_bytes: c.bytes.len() as u64,
                sha256: crate::secrets::sha256_hex(&c.bytes),
                uploaded_at: now,
            },
            bytes: c.bytes,
        })
        .collect()
}

/// The sentence of a public answer that holds most words of the question (else the first),
/// shortened and HTML-escaped: the fragment under a suggested answer.
fn public_fragment(answer: &str, question: &str) -> String {
    let words: Vec<String> = question
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| w.chars().count() >= 3)
        .map(str::to_lowercase)
        .collect();
    let sentences = answer.split_inclusive(['.', '?', '!', '\n']).map(str::trim).filter(|s| !s.is_empty());
    let score = |s: &str| {
        let s = s.to_lowercase();
        words.iter().filter(|w| s.contains(w.as_str())).count()
    };
    let mut best: Option<(&str, usize)> = None;
    for sentence in sentences {
        let n = score(sentence);
        if best.is_none_or(|(_, m)| n > m) {
            best = Some((sentence, n));
        }
    }
    let sentence = best.map(|(s, _)| s).unwrap_or_default();
    let mut short: String = sentence.chars().take(200).collect();
    if sentence.chars().count() > 200 {
        short.push('…');
    }
    short
        .chars()
        .map(|c| match c {
            '&' => "&amp;".to_string(),
            '<' => "&lt;".to_string(),
            '>' => "&gt;".to_string(),
            '"' => "&quot;".to_string(),
            '\'' => "&#39;".to_string(),
            c => c.to_string(),
        })
        .collect()
}

impl App {
    /// The link to a submission's tracking page.
    async fn tracking_link(&self, submission: SubmissionId) -> Result<String, AppError> {
        Ok(self.link_for_token(&self.tracking_token(submission).await?))
    }

    fn link_for_token(&self, token: &str) -> String {
        format!("{}/volgen/{token}", self.settings.public_url.trim_end_matches('/'))
    }

    async fn board_name(&self) -> String {
        let reference = self.reference.get(self.store.as_ref()).await.ok();
        board_of(reference.as_ref().and_then(|r| r.organisation.as_ref())).0
    }

    fn citizen_mail(
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

    /// After a status change of a case that came from the portal: tell the citizen (when they
    /// chose e-mail), with the survey invitation once it is closed.
    pub(crate) async fn mail_status_change(&self, case: &Case) -> Result<(), AppError> {
        let Some(record) = self.store.submission_by_case(case.id).await? else { return Ok(()) };
        let Some(to) = record.submission.mail_to() else { return Ok(()) };
        if case.status == gastvrij_domain::case::CaseStatus::Ontvangen {
            return Ok(());
        }
        let link = self.tracking_link(record.submission.id).await?;
        let org = self.board_name().await;
        let Some(news) = letters::StatusNews::of(&record.submission, &case.reference, case.status, &link, &org) else {
            return Ok(());
        };
        let mail = self.citizen_mail(gastvrij_domain::mail::MailKind::Statuswijziging, to, news.text()?)?;
        let change = Change::new(Actor::System, self.now(), "mail.queued", mail.id, mail.kind.code());
        self.store.enqueue_mail(&mail, &change).await?;
        self.wake_mail_worker();
        Ok(())
    }

    /// The secret tracking link of a submission: derived from its id with the installation's
    /// key, so mails can carry it while the database keeps only its hash.
    pub async fn tracking_token(&self, submission: SubmissionId) -> Result<String, AppError> {
        let key = match self.tracking_key.get() {
            Some(k) => k.clone(),
            None => {
                let key = self.store.installation_secret("tracking_links", &random_hex(32)?).await?;
                self.tracking_key.get_or_init(|| key).clone()
            }
        };
        Ok(crate::secrets::derived_token(key.as_bytes(), submission.to_string().as_bytes(), 24))
    }

    /// The topics citizens choose from: every topic, labelled with its path, in tree order.
    pub async fn public_topics(&self) -> Result<Vec<PublicTopic>, AppError> {
        let reference = self.reference.get(self.store.as_ref()).await?;
        let topics = &reference.topics;
        let label = |t: &Topic| {
            let mut parts = vec![t.name.clone()];
            let mut parent = t.parent_id;
            let mut guard = 0;
            while let (Some(p), true) = (parent, guard < 16) {
                match topics.iter().find(|x| x.id == p) {
                    Some(x) => {
                        parts.push(x.name.clone());
                        parent = x.parent_id;
                    }
                    None => break,
                }
                guard += 1;
            }
            parts.reverse();
            parts.join(" › ")
        };
        let mut out: Vec<PublicTopic> =
            topics.iter().map(|t| PublicTopic { label: label(t), topic: t.clone() }).collect();
        out.sort_by(|a, b| a.label.cmp(&b.label));
        Ok(out)
    }

    /// The team that receives submissions on `topic`: the topic's (or an ancestor's) team,
    /// else the contact centre (a team named KCC or Klantcontact), else the first team by name.
    fn intake_team(
        topics: &[Topic],
        teams: &[gastvrij_domain::team::Team],
        topic: Option<gastvrij_domain::ids::TopicId>,
    ) -> Option<TeamId> {
        if let Some(team) = topic.and_then(|t| topic::responsible_team(topics, t)) {
            return Some(team);
        }
        let kcc = teams.iter().find(|t| {
            let n = t.name.to_lowercase();
            n.contains("kcc") || n.contains("klantcontact")
        });
        kcc.or_else(|| teams.iter().min_by(|a, b| a.name.cmp(&b.name))).map(|t| t.id)
    }

    /// Take a citizen's vraag, melding or klacht: it is stored completely (contact, case with
    /// its deadlines, photos, grouping, confirmation mail) or not at all.
    pub async fn submit(
        &self,
        kind: SubmissionKind,
        form: &SubmissionForm,
        photos: &[UploadedPhoto],
    ) -> Result<Receipt, PortalError> {
        let prepared = self.prepare_submission(kind, form, photos).await?;
        let mailed = !prepared.new.mails.is_empty();
        let mut receipt = prepared.receipt(String::new());
        receipt.reference = self.submission_writer().write(prepared.new, prepared.change).await?;
        if mailed {
            self.wake_mail_worker();
        }
        Ok(receipt)
    }

    /// Check a submission and build everything it writes, without writing it: `submit` then
    /// stores it (the intake benchmark writes such rows straight through the store).
    pub async fn prepare_submission(
        &self,
        kind: SubmissionKind,
        form: &SubmissionForm,
        photos: &[UploadedPhoto],
    ) -> Result<PreparedSubmission, PortalError> {
        let now = self.now();
        let reference = self.reference.get(self.store.as_ref()).await?;
        let topics = &reference.topics;
        let case_id = CaseId::new();
        let checked = Submission::from_form(kind, form, |id| topics.iter().any(|t| t.id == id), case_id, now);
        // The form first: the photos' content is only read (CPU work) for a form that is otherwise right.
        let mut submission = match (checked, count_photos(photos)) {
            (Ok(s), Ok(())) => s,
            (Err(mut errors), Err(photo_error)) => {
                errors.push(photo_error);
                return Err(PortalError::Invalid(errors));
            }
            (Err(errors), _) => return Err(PortalError::Invalid(errors)),
            (_, Err(photo_error)) => return Err(photo_error.into()),
        };
        let cleaned = clean_photos(photos, form.fotolocatie.trim() == "ja").await?;
        if submission.location.point.is_none() && submission.photo_location_allowed {
            submission.location.point = cleaned
                .iter()
                .find_map(|c| c.location)
                .map(|p| portal::GeoPoint { lat: p.lat, lon: p.lon })
                .filter(|p| portal::GeoPoint::parse(&p.lat.to_string(), &p.lon.to_string()).is_ok());
        }
        let team_id = Self::intake_team(topics, &reference.teams, submission.topic_id).ok_or_else(|| {
            AppError::Unavailable("no team exists to receive submissions; an administrator must add one".into())
        })?;

        let mut contact = Contact::create(
            ContactInput {
                channel: Channel::Webformulier,
                customer_id: None,
                agent_id: None,
                started_at: Some(now),
                ended_at: Some(now),
                waiting_seconds: None,
                questions: vec![QuestionInput {
                    topic_id: submission.topic_id,
                    text: submission.description.clone(),
                    outcome: Some(Outcome::HandedOver),
                    ..Default::default()
                }],
            },
            now,
        )
        .map_err(AppError::from)?;
        contact.questions[0].case_id = Some(case_id);

        let mut case = Case::create(
            CaseInput {
                case_type: kind.case_type(),
                team_id,
                topic_id: submission.topic_id,
                owner_id: None,
                customer_id: None,
                contact_id: Some(contact.id),
                subject: submission.subject(),
                intent: Some(submission.description.chars().take(gastvrij_domain::text::limits::LONG).collect()),
                urgent: submission.urgent,
            },
            None,
            now,
        )
        .map_err(AppError::from)?;
        case.id = case_id;
        self.recompute(&mut case, &Principal::public(), "aangemaakt via website")?;

        let (grouping, new_incident) = self.grouping_for(&submission, topics).await?;
        if let Grouping::Join(id) = grouping {
            submission.incident_id = Some(id);
        }
        if let Some(i) = &new_incident {
            submission.incident_id = Some(i.id);
        }
        let token = self.tracking_token(submission.id).await?;
        let (board, tz) = board_of(reference.organisation.as_ref());
        let expected_text = case.timing.deadlines.map(|d| portal::dutch_date(d.service_norm, &tz));
        let mut mails = vec![];
        if let Some(to) = submission.mail_to() {
            let link = self.link_for_token(&token);
            let text = letters::Acknowledgement::of(&submission, &link, expected_text.as_deref(), &board).text()?;
            mails.push(self.citizen_mail(gastvrij_domain::mail::MailKind::Ontvangstbevestiging, to, text)?);
        }
        let scope = self.reference_scope_in(&tz, now);
        let photos = uploads(cleaned, submission.id, None, now);
        let change = Change::new(Actor::Public, now, "submission.received", submission.id, kind.code());
        let new = NewSubmission {
            token_hash: token_hash(&token),
            submission,
            contact,
            case,
            scope,
            photos,
            grouping,
            new_incident,
            mails,
        };
        Ok(PreparedSubmission { new, change, token })
    }

    /// The group-commit writer of submissions, started on first use.
    fn submission_writer(&self) -> &crate::group_commit::SubmissionWriter {
        self.submissions.get_or_init(|| crate::group_commit::SubmissionWriter::start(self.store.clone()))
    }

    async fn grouping_for(&self, s: &Submission, topics: &[Topic]) -> Result<(Grouping, Option<Incident>), AppError> {
        let (SubmissionKind::Melding, Some(topic)) = (s.kind, s.topic_id) else {
            return Ok((Grouping::Alone, None));
        };
        let Some(area) = s.location.near_area() else {
            return Ok((Grouping::Alone, None));
        };
        let since = s.created_at - SignedDuration::from_hours(portal::INCIDENT_WINDOW_HOURS);
        // Without the reports of closed incidents: those neither take new ones nor start another.
        let recent = self.store.recent_reports(topic, since, &area).await?;
        let me = GroupCandidate {
            submission_id: s.id,
            topic_id: s.topic_id,
            location: s.location.clone(),
            created_at: s.created_at,
            incident_id: None,
        };
        let grouping = portal::group(&me, &recent);
        let incident = match &grouping {
            Grouping::Start { with } => {
                let first = recent
                    .iter()
                    .filter(|r| with.contains(&r.submission_id))
                    .map(|r| r.created_at)
                    .min()
                    .unwrap_or(s.created_at);
                let topic_name = topics.iter().find(|t| t.id == topic).map(|t| t.name.clone()).unwrap_or_default();
                let place = s
                    .location
                    .postcode
                    .as_ref()
                    .map(|p| format!(" bij {p}"))
                    .or_else(|| s.location.description.as_ref().map(|d| format!(" bij {d}")))
                    .unwrap_or_default();
                Some(Incident {
                    id: IncidentId::new(),
                    topic_id: Some(topic),
                    title: format!("{topic_name}{place}").chars().take(200).collect(),
                    started_at: first,
                    last_report_at: s.created_at,
                    closed_at: None,
                    banner: None,
                })
            }
            _ => None,
        };
        Ok((grouping, incident))
    }

    async fn record_for_token(&self, token: &str) -> Result<SubmissionRecord, AppError> {
        if !plausible_token(token) {
            return Err(AppError::NotFound("submission"));
        }
        self.store.submission_by_token(&token_hash(token)).await?.ok_or(AppError::NotFound("submission"))
    }

    /// The citizen's tracking page.
    pub async fn track(&self, token: &str) -> Result<Tracking, AppError> {
        let record = self.record_for_token(token).await?;
        let timeline = portal::timeline(record.submission.kind, &record.case.history);
        let expected =
            if record.case.status.is_open() { record.case.timing.deadlines.map(|d| d.service_norm) } else { None };
        let survey_open = record.survey.is_none() && portal::survey_open(record.case.closed_at, self.now());
        Ok(Tracking { record, timeline, expected, survey_open })
    }

    /// A photo of the citizen's own submission.
    pub async fn tracked_photo(&self, token: &str, photo: PhotoId) -> Result<(String, Vec<u8>), AppError> {
        let record = self.record_for_token(token).await?;
        self.store.submission_photo(record.submission.id, photo).await?.ok_or(AppError::NotFound("photo"))
    }

    /// The citizen adds information or photos to an open submission.
    pub async fn add_information(
        &self,
        token: &str,
        text: &str,
        photos: &[UploadedPhoto],
        keep_location: bool,
    ) -> Result<(), PortalError> {
        let record = self.record_for_token(token).await?;
        let now = self.now();
        if !record.case.status.is_open() {
            return Err(Invalid::wrong_state("bericht", StateRule::SubmissionClosed).into());
        }
        let text = if text.trim().is_empty() && !photos.is_empty() { "Foto toegevoegd." } else { text };
        let message = match (Message::from_citizen(record.submission.id, text, now), count_photos(photos)) {
            (Ok(m), Ok(())) => m,
            (Err(a), Err(b)) => return Err(PortalError::Invalid(vec![a, b])),
            (Err(e), _) | (_, Err(e)) => return Err(e.into()),
        };
        let cleaned = clean_photos(photos, keep_location).await?;
        let photos = uploads(cleaned, record.submission.id, Some(message.id), now);
        let change = Change::new(Actor::Public, now, "submission.information_added", record.submission.id, "");
        self.store.insert_submission_message(&message, &photos, &[], &change).await?;
        Ok(())
    }

    /// The survey after closure: one answer per submission, within 14 days. An unhappy citizen
    /// may ask to look again; the case gets a note its owner sees.
    pub async fn answer_survey(&self, token: &str, form: &SurveyForm) -> Result<SurveyAnswer, PortalError> {
        let record = self.record_for_token(token).await?;
        let now = self.now();
        portal::check_survey_open(record.survey.is_some(), record.case.closed_at, now)?;
        let answer = SurveyAnswer::from_form(record.submission.id, form, now).map_err(PortalError::Invalid)?;
        let change = Change::new(Actor::Public, now, "survey.answered", record.submission.id, answer.grade.to_string());
        self.store.insert_survey_answer(&answer, &change).await?;
        if answer.reopen_requested {
            let (mut case, version) = self.store.case(record.case.id).await?.ok_or(AppError::NotFound("case"))?;
            let note = format!(
                "De klant vraagt om opnieuw te kijken (tevredenheid: cijfer {}, opgelost: {}).",
                answer.grade,
                if answer.solved { "ja" } else { "nee" }
            );
            case.add_note(&note, None, now).map_err(AppError::from)?;
            let change = Change::new(Actor::Public, now, "case.reopen_requested", case.id, "");
            self.store.update_case(&case, version, &change).await.map_err(AppError::from)?;
        }
        Ok(answer)
    }

    /// Search the public answers (status openbaar) while a citizen types.
    pub async fn search_public_answers(&self, text: &str, limit: usize) -> Result<Vec<ArticleHit>, AppError> {
        let text: String = text.chars().take(500).collect();
        if text.trim().chars().count() < 3 {
            return Ok(vec![]);
        }
        let index = self.search.as_ref().ok_or_else(|| AppError::Unavailable("the search index is not open".into()))?;
        let query = ArticleSearchQuery {
            text: &text,
            limit: limit.clamp(1, 10),
            prefix: true,
            topic: None,
            statuses: &["openbaar"],
            audience: None,
        };
        let hits = index.search(&query).map_err(AppError::Unexpected)?;
        // The index's fragment comes from the staff answer, which citizens must not read, and the
        // index may lag behind a status change: keep the hits that are openbaar now, each with a
        // fragment of its public answer.
        let mut public = Vec::with_capacity(hits.len());
        for mut hit in hits {
            let Some(article) = self.store.article_by_external_id(&hit.id).await? else { continue };
            let (ArticleStatus::Openbaar, Some(answer)) = (article.status, article.public_answer.as_deref()) else {
                continue;
            };
            hit.snippet = public_fragment(answer, &text);
            public.push(hit);
        }
        Ok(public)
    }

    /// A public answer by its id as search returns it; only published (openbaar) articles that
    /// have a public answer (the staff answer is never shown to citizens).
    pub async fn public_answer(&self, external_id: &str) -> Result<Article, AppError> {
        let article = self.store.article_by_external_id(external_id).await?.ok_or(AppError::NotFound("article"))?;
        if article.status != ArticleStatus::Openbaar || article.public_answer.is_none() {
            return Err(AppError::NotFound("article"));
        }
        Ok(article)
    }

    /// A citizen found the answer and did not send the question.
    pub async fn record_question_prevented(&self, external_id: &str) -> Result<(), AppError> {
        let article = self.public_answer(external_id).await?;
        self.store.record_prevented_question(article.id, self.now()).await?;
        Ok(())
    }

    /// The submission behind a case, for staff.
    pub async fn submission_for_case(
        &self,
        who: &Principal,
        case: CaseId,
    ) -> Result<Option<SubmissionRecord>, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        Ok(self.store.submission_by_case(case).await?)
    }

    /// A photo of a case's submission, for staff.
    pub async fn case_photo(
        &self,
        who: &Principal,
        case: CaseId,
        photo: PhotoId,
    ) -> Result<(String, Vec<u8>), AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let record = self.store.submission_by_case(case).await?.ok_or(AppError::NotFound("photo"))?;
        self.store.submission_photo(record.submission.id, photo).await?.ok_or(AppError::NotFound("photo"))
    }

    /// Staff write to the citizen; it shows on the tracking page.
    pub async fn message_citizen(&self, who: &Principal, case: CaseId, text: &str) -> Result<Message, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let record = self.store.submission_by_case(case).await?.ok_or(AppError::NotFound("submission"))?;
        let message = Message::from_staff(record.submission.id, who.employee_id(), text, self.now())?;
        let change = Change::new(who.actor, self.now(), "submission.message_sent", record.submission.id, "");
        let mails: Vec<_> = self
            .news_mail(&record.submission, &record.case.reference, &message.text, |s, r, t, l, o| {
                letters::StaffMessage::of(s, r, t, l, o).text()
            })
            .await?
            .into_iter()
            .collect();
        self.store.insert_submission_message(&message, &[], &mails, &change).await?;
        if !mails.is_empty() {
            self.wake_mail_worker();
        }
        Ok(message)
    }

    /// Incidents (calamity mode), open ones or the latest.
    pub async fn incidents(&self, who: &Principal, open_only: bool) -> Result<Vec<Incident>, AppError> {
        who.require(roles::STAFF)?;
        Ok(self.store.incidents(open_only).await?)
    }

    pub async fn incident_reports(
        &self,
        who: &Principal,
        id: IncidentId,
    ) -> Result<(Incident, Vec<Submission>), AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let incident = self.store.incident(id).await?.ok_or(AppError::NotFound("incident"))?;
        Ok((incident, self.store.incident_submissions(id).await?))
    }

    /// One update to every reporter of an incident; returns how many were reached.
    pub async fn update_incident_reporters(
        &self,
        who: &Principal,
        id: IncidentId,
        text: &str,
    ) -> Result<usize, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let (_, reports) = self.incident_reports(who, id).await?;
        let now = self.now();
        for s in &reports {
            let message = Message::from_staff(s.id, who.employee_id(), text, now)?;
            let change = Change::new(who.actor, now, "incident.update_sent", id, "");
            let reference = self.store.case(s.case_id).await?.map(|(c, _)| c.reference).unwrap_or_default();
            let mails: Vec<_> = self
                .news_mail(s, &reference, &message.text, |s, r, t, l, o| {
                    letters::IncidentUpdate::of(s, r, t, l, o).text()
                })
                .await?
                .into_iter()
                .collect();
            self.store.insert_submission_message(&message, &[], &mails, &change).await?;
        }
        self.wake_mail_worker();
        Ok(reports.len())
    }

    /// Show (or with `None`, hide) a banner on the public start page, or close the incident.
    pub async fn set_incident(
        &self,
        who: &Principal,
        id: IncidentId,
        banner: Option<&str>,
        close: bool,
    ) -> Result<Incident, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let mut incident = self.store.incident(id).await?.ok_or(AppError::NotFound("incident"))?;
        incident.banner = gastvrij_domain::text::optional("banner", banner, 300)?;
        if close && incident.closed_at.is_none() {
            incident.closed_at = Some(self.now());
            incident.banner = None;
        }
        let change = Change::new(who.actor, self.now(), "incident.changed", id, "");
        self.store.update_incident(&incident, &change).await?;
        Ok(incident)
    }

    /// Banners of open incidents, for the public start page.
    pub async fn public_banners(&self) -> Result<Vec<String>, AppError> {
        Ok(self.store.incidents(true).await?.into_iter().filter_map(|i| i.banner).collect())
    }
}
