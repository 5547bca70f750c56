//! Use cases of the public portal: citizens send in a vraag, melding or klacht, follow it with
//! a private link, add information, and answer a survey after closure. Staff send messages
//! and run incidents (calamity mode).
//!
//! The tracking link carries a random token; only its SHA-256 is stored, so a database copy
//! does not open anyone's page.

use crate::ports::{ArticleHit, ArticleSearchQuery, NewSubmission, PhotoUpload, SubmissionRecord};
use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::Invalid;
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::{Case, CaseInput};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{Contact, ContactInput, Outcome, QuestionInput};
use gastvrij_domain::ids::{CaseId, PhotoId, TeamId};
use gastvrij_domain::knowledge::{Article, ArticleStatus};
use gastvrij_domain::photo;
use gastvrij_domain::portal::{
    self, FieldError, GroupCandidate, Grouping, Incident, IncidentId, Message, Photo, Submission, SubmissionForm,
    SubmissionId, SubmissionKind, SurveyAnswer, SurveyForm,
};
use gastvrij_domain::topic::{self, Topic};
use jiff::{SignedDuration, Timestamp};

/// Why a citizen's request was not taken: their input (every wrong field, in Dutch), or
/// something on our side.
#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    #[error("the form has {} error(s)", .0.len())]
    Invalid(Vec<FieldError>),
    #[error(transparent)]
    App(#[from] AppError),
}

impl From<crate::ports::StoreError> for PortalError {
    fn from(e: crate::ports::StoreError) -> Self {
        PortalError::App(e.into())
    }
}

impl From<FieldError> for PortalError {
    fn from(e: FieldError) -> Self {
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

/// SHA-256 hex of a tracking token.
pub fn token_hash(token: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(token.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn new_token() -> Result<String, AppError> {
    let mut bytes = [0u8; 24];
    getrandom::fill(&mut bytes).map_err(|e| AppError::Unexpected(anyhow::anyhow!("no randomness: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A token as it may appear in a link: 48 hex digits.
pub fn plausible_token(token: &str) -> bool {
    token.len() == 48 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

fn clean_photos(photos: &[UploadedPhoto], keep_location: bool) -> Result<Vec<photo::CleanPhoto>, FieldError> {
    if photos.len() > portal::MAX_PHOTOS {
        return Err(FieldError::new(
            "fotos",
            format!("U kunt maximaal {} foto's meesturen. Kies er minder.", portal::MAX_PHOTOS),
        ));
    }
    photos
        .iter()
        .map(|p| {
            photo::clean(&p.bytes, keep_location).map_err(|e| {
                let name: String = p.file_name.chars().filter(|c| !c.is_control()).take(80).collect();
                let name = if name.trim().is_empty() { String::new() } else { format!("{}: ", name.trim()) };
                FieldError::new("fotos", format!("{name}{}", e.dutch()))
            })
        })
        .collect()
}

fn uploads(
    cleaned: Vec<photo::CleanPhoto>,
    submission: SubmissionId,
    message: Option<gastvrij_domain::ids::MessageId>,
    now: Timestamp,
) -> Vec<PhotoUpload> {
    use sha2::Digest;
    cleaned
        .into_iter()
        .map(|c| PhotoUpload {
            meta: Photo {
                id: PhotoId::new(),
                submission_id: submission,
                message_id: message,
                content_type: c.format.content_type().to_string(),
                size_bytes: c.bytes.len() as u64,
                sha256: sha2::Sha256::digest(&c.bytes).iter().map(|b| format!("{b:02x}")).collect(),
                uploaded_at: now,
            },
            bytes: c.bytes,
        })
        .collect()
}

impl App {
    /// The topics citizens choose from: every topic, labelled with its path, in tree order.
    pub async fn public_topics(&self) -> Result<Vec<PublicTopic>, AppError> {
        let topics = self.store.topics().await?;
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
    /// its deadlines, photos, grouping) or not at all.
    pub async fn submit(
        &self,
        kind: SubmissionKind,
        form: &SubmissionForm,
        photos: &[UploadedPhoto],
    ) -> Result<Receipt, PortalError> {
        let now = self.now();
        let topics = self.store.topics().await?;
        let case_id = CaseId::new();
        let checked = Submission::from_form(kind, form, |id| topics.iter().any(|t| t.id == id), case_id, now);
        let cleaned = clean_photos(photos, form.fotolocatie.trim() == "ja");
        let (mut submission, cleaned) = match (checked, cleaned) {
            (Ok(s), Ok(c)) => (s, c),
            (Err(mut errors), Err(photo_error)) => {
                errors.push(photo_error);
                return Err(PortalError::Invalid(errors));
            }
            (Err(errors), _) => return Err(PortalError::Invalid(errors)),
            (_, Err(photo_error)) => return Err(photo_error.into()),
        };
        if submission.location.point.is_none() && submission.photo_location_allowed {
            submission.location.point = cleaned
                .iter()
                .find_map(|c| c.location)
                .map(|p| portal::GeoPoint { lat: p.lat, lon: p.lon })
                .filter(|p| portal::GeoPoint::parse(&p.lat.to_string(), &p.lon.to_string()).is_ok());
        }
        let teams = self.store.teams().await?;
        let team_id = Self::intake_team(&topics, &teams, submission.topic_id).ok_or_else(|| {
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

        let (grouping, new_incident) = self.grouping_for(&submission, &topics).await?;
        if let Grouping::Join(id) = grouping {
            submission.incident_id = Some(id);
        }
        if let Some(i) = &new_incident {
            submission.incident_id = Some(i.id);
        }
        let token = new_token()?;
        let scope = self.reference_scope(now).await?;
        let photos = uploads(cleaned, submission.id, None, now);
        let deadlines = case.timing.deadlines;
        let change = Change::new(Actor::Public, now, "submission.received", submission.id, kind.code());
        let incident = submission.incident_id;
        let new = NewSubmission {
            submission,
            token_hash: token_hash(&token),
            contact,
            case,
            scope,
            photos,
            grouping,
            new_incident,
        };
        let reference = self.store.insert_submission(&new, &change).await?;
        Ok(Receipt {
            reference,
            token,
            kind,
            urgent: new.submission.urgent,
            expected: deadlines.map(|d| d.service_norm),
            acknowledgement: deadlines.and_then(|d| d.acknowledgement),
            incident,
        })
    }

    async fn grouping_for(&self, s: &Submission, topics: &[Topic]) -> Result<(Grouping, Option<Incident>), AppError> {
        let (SubmissionKind::Melding, Some(topic)) = (s.kind, s.topic_id) else {
            return Ok((Grouping::Alone, None));
        };
        if s.location.point.is_none() && s.location.postcode.is_none() {
            return Ok((Grouping::Alone, None));
        }
        let since = s.created_at - SignedDuration::from_hours(portal::INCIDENT_WINDOW_HOURS);
        let recent = self.store.recent_reports(topic, since).await?;
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
            return Err(FieldError::new(
                "bericht",
                format!(
                    "Uw {} is al afgehandeld. Bent u niet tevreden? Vul dan de vragenlijst hieronder in.",
                    record.submission.kind.noun()
                ),
            )
            .into());
        }
        let text = if text.trim().is_empty() && !photos.is_empty() { "Foto toegevoegd." } else { text };
        let message = Message::from_citizen(record.submission.id, text, now);
        let cleaned = clean_photos(photos, keep_location);
        let (message, cleaned) = match (message, cleaned) {
            (Ok(m), Ok(c)) => (m, c),
            (Err(a), Err(b)) => return Err(PortalError::Invalid(vec![a, b])),
            (Err(e), _) | (_, Err(e)) => return Err(e.into()),
        };
        let photos = uploads(cleaned, record.submission.id, Some(message.id), now);
        let change = Change::new(Actor::Public, now, "submission.information_added", record.submission.id, "");
        self.store.insert_submission_message(&message, &photos, &change).await?;
        Ok(())
    }

    /// The survey after closure: one answer per submission, within 14 days. An unhappy citizen
    /// may ask to look again; the case gets a note its owner sees.
    pub async fn answer_survey(&self, token: &str, form: &SurveyForm) -> Result<SurveyAnswer, PortalError> {
        let record = self.record_for_token(token).await?;
        let now = self.now();
        if record.survey.is_some() {
            return Err(FieldError::new("cijfer", "U hebt deze vragenlijst al ingevuld. Dank u wel!").into());
        }
        if !portal::survey_open(record.case.closed_at, now) {
            return Err(FieldError::new(
                "cijfer",
                format!(
                    "De vragenlijst is niet meer open. Dat kan tot {} dagen na het afhandelen.",
                    portal::SURVEY_DAYS
                ),
            )
            .into());
        }
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
        index.search(&query).map_err(AppError::Unexpected)
    }

    /// A public answer by its id as search returns it; only published (openbaar) articles.
    pub async fn public_answer(&self, external_id: &str) -> Result<Article, AppError> {
        let article = self.store.article_by_external_id(external_id).await?.ok_or(AppError::NotFound("article"))?;
        if article.status != ArticleStatus::Openbaar {
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
        self.store.insert_submission_message(&message, &[], &change).await?;
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
            self.store.insert_submission_message(&message, &[], &change).await?;
        }
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

impl From<Invalid> for PortalError {
    fn from(e: Invalid) -> Self {
        PortalError::App(e.into())
    }
}
