//! The portal for staff: a case's submission and photos, messages to the citizen, and incidents
//! (calamity mode).

use super::letters;
use crate::ports::SubmissionRecord;
use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::{CaseId, PhotoId};
use gastvrij_domain::portal::{Incident, IncidentId, Message, Submission};

impl App {
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
        let (content_type, content) =
            self.store.submission_photo(record.submission.id, photo).await?.ok_or(AppError::NotFound("photo"))?;
        self.photo_bytes(content_type, content).await
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

    /// One update to every reporter of an incident, written in one transaction (every reporter
    /// gets it or none does); returns how many were reached.
    pub async fn update_incident_reporters(
        &self,
        who: &Principal,
        id: IncidentId,
        text: &str,
    ) -> Result<usize, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let (_, reports) = self.incident_reports(who, id).await?;
        let now = self.now();
        let mut references = std::collections::HashMap::new();
        for ids in reports.chunks(crate::Page::MAX_LIMIT as usize) {
            let query = crate::ports::CaseQuery {
                ids: ids.iter().map(|s| s.case_id).collect(),
                page: crate::Page::first(crate::Page::MAX_LIMIT),
                ..Default::default()
            };
            references.extend(self.store.cases(&query).await?.into_iter().map(|c| (c.id, c.reference)));
        }
        let mut messages = Vec::with_capacity(reports.len());
        let mut mails = Vec::new();
        for s in &reports {
            let message = Message::from_staff(s.id, who.employee_id(), text, now)?;
            let reference = references.get(&s.case_id).map(String::as_str).unwrap_or_default();
            let mail = self
                .news_mail(s, reference, &message.text, |s, r, t, l, o| {
                    letters::IncidentUpdate::of(s, r, t, l, o).text()
                })
                .await?;
            mails.extend(mail);
            messages.push(message);
        }
        let change = Change::new(who.actor, now, "incident.update_sent", id, reports.len().to_string());
        let queued = self.store.insert_incident_update(&messages, &mails, &change).await?;
        if queued > 0 {
            self.wake_mail_worker();
        }
        Ok(messages.len())
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
