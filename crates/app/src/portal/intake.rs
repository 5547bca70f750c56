//! The forms: a vraag, melding or klacht is checked and stored completely (contact, case with
//! its deadlines, photos, grouping, acknowledgement) or not at all.

use super::photos::{clean_photos, count_photos, uploads};
use super::{PortalError, PublicTopic, UploadedPhoto, board_of, token_hash};
use crate::letters;
use crate::ports::NewSubmission;
use crate::{App, AppError, Principal};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::{Case, CaseInput};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{Contact, ContactInput, Outcome, QuestionInput};
use gastvrij_domain::ids::{CaseId, TeamId};
use gastvrij_domain::letter_template::LetterKind;
use gastvrij_domain::portal::{
    self, GroupCandidate, Grouping, Incident, IncidentId, Submission, SubmissionForm, SubmissionKind,
};
use gastvrij_domain::topic::{self, Topic};
use jiff::{SignedDuration, Timestamp};

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

impl App {
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
        let mut prepared = self.prepare_submission(kind, form, photos).await?;
        let mailed = !prepared.new.mails.is_empty();
        let mut receipt = prepared.receipt(String::new());
        // Objects first, then the row that names them; a failed commit deletes them again.
        let keys = self.offload_photos(&mut prepared.new.photos).await?;
        receipt.reference = match self.submission_writer().write(prepared.new, prepared.change).await {
            Ok(reference) => reference,
            Err(e) => {
                self.forget_objects(&keys).await;
                return Err(AppError::from(e).into());
            }
        };
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
                started_at: Some(now),
                ended_at: Some(now),
                questions: vec![QuestionInput {
                    topic_id: submission.topic_id,
                    text: submission.description.clone(),
                    outcome: Some(Outcome::HandedOver),
                    ..Default::default()
                }],
                ..ContactInput::on(Channel::Webformulier)
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
        self.recompute(&mut case, &Principal::public(), "aangemaakt via website").await?;

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
            let custom = reference.letter(LetterKind::Ontvangstbevestiging);
            let text =
                letters::Acknowledgement::of(&submission, &link, expected_text.as_deref(), &board).text_with(custom)?;
            mails.push(self.citizen_mail(gastvrij_domain::mail::MailKind::Ontvangstbevestiging, to, text)?);
        }
        let events = if submission.urgent {
            self.danger_alert(&submission, &case, reference.organisation.as_ref(), topics, &board, &mut mails)?
        } else {
            vec![]
        };
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
            events,
        };
        Ok(PreparedSubmission { new, change, token })
    }

    /// A melding with danger now: the on-call service's mail (when the organisation has an
    /// on-call address; it is sent before any other mail) and the `melding.danger` event for
    /// the case's team, both written with the submission.
    fn danger_alert(
        &self,
        submission: &Submission,
        case: &Case,
        organisation: Option<&gastvrij_domain::organisation::Organisation>,
        topics: &[Topic],
        board: &str,
        mails: &mut Vec<gastvrij_domain::mail::OutgoingMail>,
    ) -> Result<Vec<gastvrij_domain::audit::Event>, AppError> {
        if let Some(to) = organisation.and_then(|o| o.on_call_email.as_ref()) {
            let case_link = format!("{}/werkplek/zaken/{}", self.settings.public_url.trim_end_matches('/'), case.id);
            let topic = submission.topic_id.and_then(|id| topics.iter().find(|t| t.id == id)).map(|t| t.name.as_str());
            let text = letters::DangerAlert::of(submission, topic, &case_link, board).text()?;
            mails.push(self.citizen_mail(gastvrij_domain::mail::MailKind::Gevaarmelding, to, text)?);
        }
        Ok(vec![gastvrij_domain::audit::Event {
            seq: 0,
            at: case.created_at,
            kind: "melding.danger".into(),
            entity_id: case.id.to_string(),
            team_id: Some(case.team_id),
            employee_id: None,
            summary: format!("Melding met gevaar: {}", crate::ports::REFERENCE_PLACEHOLDER),
            dedupe_key: format!("melding.danger:{}", case.id),
        }])
    }

    /// For a case made by staff from a phone call, e-mail, letter or counter visit: when the
    /// customer's e-mail address is known, the tracking record and the acknowledgement a web
    /// form would have had (reference, expected answer date, tracking link). `None` without an
    /// address: the case page then offers a printable acknowledgement letter.
    pub(crate) async fn tracked_case(
        &self,
        case: &Case,
        customer: Option<gastvrij_domain::ids::CustomerId>,
    ) -> Result<Option<crate::ports::TrackedCase>, AppError> {
        let Some(customer) = customer else { return Ok(None) };
        let Some(customer) = self.store.customer(customer).await? else { return Ok(None) };
        let Some(email) = customer.details.email.clone() else { return Ok(None) };
        let text = case.intent.as_deref().unwrap_or(&case.subject);
        let submission = Submission::for_case(
            case,
            text,
            customer.name.clone(),
            email.clone(),
            customer.details.phone.clone(),
            self.now(),
        );
        let token = self.tracking_token(submission.id).await?;
        let (board, tz) = self.board().await;
        let expected = case.timing.deadlines.map(|d| portal::dutch_date(d.service_norm, &tz));
        let link = self.link_for_token(&token);
        let custom = self.letter_template(LetterKind::Ontvangstbevestiging).await?;
        let text =
            letters::Acknowledgement::of(&submission, &link, expected.as_deref(), &board).text_with(custom.as_ref())?;
        let mail = self.citizen_mail(gastvrij_domain::mail::MailKind::Ontvangstbevestiging, &email, text)?;
        Ok(Some(crate::ports::TrackedCase { submission, token_hash: token_hash(&token), mails: vec![mail] }))
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
}
