//! Use cases: cases (zaken) and their lifecycle.

use crate::ports::CaseQuery;
use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::case::{Attachment, Case, CaseInput, CaseStatus};
use gastvrij_domain::ids::{AttachmentId, CaseId, EmployeeId, TeamId};
use gastvrij_domain::norms::TimingError;
use gastvrij_domain::{Format, Invalid, StateRule};
use serde::Deserialize;

/// A reassignment: another team and/or owner.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct Assignment {
    pub team_id: Option<TeamId>,
    /// The new owner; `null` returns the case to the team's queue.
    #[serde(default)]
    pub owner_id: Option<EmployeeId>,
}

/// Metadata of an uploaded file.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct AttachmentInput {
    /// A name without `/` or `\`.
    #[schema(min_length = 1, max_length = 255, pattern = r"^[^/\\]*[^\s/\\][^/\\]*$")]
    pub file_name: String,
    #[schema(min_length = 1, max_length = 100, pattern = r"\S")]
    pub content_type: String,
    pub size_bytes: u64,
    /// The file's SHA-256, 64 hexadecimal digits.
    #[schema(pattern = "^[0-9A-Fa-f]{64}$")]
    pub sha256: String,
}

impl App {
    pub async fn create_case(&self, who: &Principal, input: CaseInput) -> Result<Case, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let mut case = Case::create(input, who.employee_id(), self.now())?;
        self.check_case_refs(&case).await?;
        self.recompute(&mut case, who, "aangemaakt").await?;
        let change = Change::new(who.actor, self.now(), "case.created", case.id, case.case_type.code());
        let scope = self.reference_scope(case.created_at).await?;
        case.reference = self.store.insert_case(&case, &scope, &change).await?;
        Ok(case)
    }

    pub async fn case(&self, who: &Principal, id: CaseId) -> Result<Case, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        Ok(self.store.case(id).await?.ok_or(AppError::NotFound("case"))?.0)
    }

    pub async fn case_by_reference(&self, who: &Principal, reference: &str) -> Result<Case, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        Ok(self.store.case_by_reference(reference.trim()).await?.ok_or(AppError::NotFound("case"))?.0)
    }

    pub async fn cases(&self, who: &Principal, query: &CaseQuery) -> Result<Vec<Case>, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        Ok(self.store.cases(query).await?)
    }

    /// Change the status; suspending and resuming move the deadlines (and are refused for case
    /// types that allow no suspension). A citizen who sent the case in through the portal hears of
    /// it by the status mail, queued in the change's own transaction.
    pub async fn change_case_status(
        &self,
        who: &Principal,
        id: CaseId,
        status: CaseStatus,
        reason: Option<&str>,
    ) -> Result<Case, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let (mut case, version) = self.store.case(id).await?.ok_or(AppError::NotFound("case"))?;
        if status == CaseStatus::Afgehandeld {
            // A klacht is heard (or not, for a reason) before it is closed (Awb 9:10), and closed
            // with its outcome in writing (9:12: `close_case`), not by a bare status change.
            case.check_status_may_close()?;
        }
        self.apply_status(&mut case, who, status, reason).await?;
        // A mail that cannot be written must not stop the change.
        let mails = match self.status_change_mail(&case).await {
            Ok(mail) => mail.into_iter().collect(),
            Err(e) => {
                tracing::warn!(error = %e, case = %case.id, "status mail not written");
                Vec::new()
            }
        };
        self.save_case_with_mails(who, case, version, "case.status_changed", &mails).await
    }

    /// Move `case` to `status` as the life cycle allows; a suspension or resumption recomputes
    /// the deadlines.
    pub(crate) async fn apply_status(
        &self,
        case: &mut Case,
        who: &Principal,
        status: CaseStatus,
        reason: Option<&str>,
    ) -> Result<(), AppError> {
        let events_before = case.timing.events.len();
        case.change_status(status, who.employee_id(), reason, self.now())?;
        if case.timing.events.len() != events_before {
            let why = match (status, reason) {
                (CaseStatus::Opgeschort, Some(r)) => format!("opgeschort: {}", r.trim()),
                (CaseStatus::Opgeschort, None) => "opgeschort".to_string(),
                _ => "hervat".to_string(),
            };
            self.recompute(case, who, &why).await?;
        }
        Ok(())
    }

    /// Extend the term once (verlenging), where the case type allows it; the citizen gets a
    /// letter with the new date and the reason, queued in the same transaction.
    pub async fn extend_case(&self, who: &Principal, id: CaseId, reason: &str) -> Result<Case, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let (mut case, version) = self.store.case(id).await?.ok_or(AppError::NotFound("case"))?;
        let norm = self.settings.norms.for_case_type(case.case_type);
        if !norm.is_some_and(|n| n.extension_allowed) {
            let rule = StateRule::ExtensionNotAllowed { case_type: case.case_type.code() };
            return Err(Invalid::wrong_state("extension", rule).into());
        }
        case.extend(reason, self.now())?;
        self.recompute(&mut case, who, &format!("verlengd: {}", reason.trim())).await?;
        let mails = self.extension_letter(&case, reason).await?;
        self.save_case_with_mails(who, case, version, "case.extended", &mails).await
    }

    /// Recompute a case's deadlines from its type's norm in the norm version valid on the day
    /// the case was created (so a later version leaves older cases their terms), recording who
    /// and why.
    pub(crate) async fn recompute(&self, case: &mut Case, who: &Principal, reason: &str) -> Result<(), AppError> {
        let history = self.norm_history().await?;
        let created_on = self.settings.calendars.get("termijnenwet")?.date_of(case.created_at);
        let Some(norm) = history.valid_on(created_on).for_case_type(case.case_type) else { return Ok(()) };
        let calendar = self.settings.calendars.get(&norm.calendar)?;
        let case_type = case.case_type.code();
        case.recompute_deadlines(norm, calendar, who.employee_id(), reason, self.now()).map_err(|e| match e {
            TimingError::SuspensionNotAllowed => {
                Invalid::wrong_state("status", StateRule::SuspensionNotAllowed { case_type }).into()
            }
            TimingError::ExtensionNotAllowed => {
                Invalid::wrong_state("extension", StateRule::ExtensionNotAllowed { case_type }).into()
            }
            TimingError::AlreadyExtended => Invalid::wrong_state("extension", StateRule::AlreadyExtended).into(),
            TimingError::Calendar(c) => {
                tracing::warn!(error = %c, "deadline beyond the calendar");
                Invalid::wrong_state("deadline", StateRule::BeyondCalendar).into()
            }
            other => AppError::Conflict(other.to_string()),
        })?;
        Ok(())
    }

    async fn save_case(
        &self,
        who: &Principal,
        case: Case,
        version: i64,
        action: &'static str,
    ) -> Result<Case, AppError> {
        self.save_case_with_mails(who, case, version, action, &[]).await
    }

    /// Save a changed case with the mails its change causes, in one transaction (and wake the
    /// mail worker when there are any).
    pub(crate) async fn save_case_with_mails(
        &self,
        who: &Principal,
        mut case: Case,
        version: i64,
        action: &'static str,
        mails: &[gastvrij_domain::mail::OutgoingMail],
    ) -> Result<Case, AppError> {
        case.updated_at = self.now();
        let change = Change::new(who.actor, self.now(), action, case.id, "");
        self.store.update_case(&case, version, &change, mails).await?;
        if !mails.is_empty() {
            self.wake_mail_worker();
        }
        Ok(case)
    }

    pub async fn add_case_note(&self, who: &Principal, id: CaseId, text: &str) -> Result<Case, AppError> {
        let now = self.now();
        let by = who.employee_id();
        self.change_case(who, id, "case.note_added", |c| c.add_note(text, by, now).map(drop)).await
    }

    pub async fn assign_case(&self, who: &Principal, id: CaseId, to: Assignment) -> Result<Case, AppError> {
        if let Some(team) = to.team_id
            && self.store.team(team).await?.is_none()
        {
            return Err(Invalid::unknown_id("team_id", team).into());
        }
        self.change_case(who, id, "case.assigned", |c| {
            if let Some(owner) = to.owner_id {
                c.may_handle(owner)?;
            }
            if let Some(team) = to.team_id {
                c.team_id = team;
            }
            c.owner_id = to.owner_id;
            Ok(())
        })
        .await
    }

    pub async fn add_case_attachment(
        &self,
        who: &Principal,
        id: CaseId,
        input: AttachmentInput,
    ) -> Result<Case, AppError> {
        let now = self.now();
        let by = who.employee_id();
        self.change_case(who, id, "case.attachment_added", |c| {
            let file_name = gastvrij_domain::text::required("file_name", &input.file_name, 255)?;
            if file_name.contains(['/', '\\']) {
                return Err(Invalid::malformed("file_name", &input.file_name, Format::FileName));
            }
            if input.sha256.len() != 64 || !input.sha256.chars().all(|ch| ch.is_ascii_hexdigit()) {
                return Err(Invalid::malformed("sha256", &input.sha256, Format::Sha256));
            }
            c.attachments.push(Attachment {
                id: AttachmentId::new(),
                file_name,
                content_type: gastvrij_domain::text::required("content_type", &input.content_type, 100)?,
                size_bytes: input.size_bytes,
                sha256: input.sha256.to_ascii_lowercase(),
                uploaded_at: now,
                uploaded_by: by,
            });
            c.updated_at = now;
            Ok(())
        })
        .await
    }

    pub(crate) async fn change_case(
        &self,
        who: &Principal,
        id: CaseId,
        action: &'static str,
        apply: impl FnOnce(&mut Case) -> Result<(), Invalid>,
    ) -> Result<Case, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let (mut case, version) = self.store.case(id).await?.ok_or(AppError::NotFound("case"))?;
        apply(&mut case)?;
        self.check_case_refs(&case).await?;
        self.save_case(who, case, version, action).await
    }

    /// `PREFIX-YEAR`, the year taken in the organisation's time zone.
    pub async fn reference_scope(&self, at: jiff::Timestamp) -> Result<String, AppError> {
        let tz_name = self.store.organisation().await?.unwrap_or_default().time_zone;
        let tz = jiff::tz::TimeZone::get(&tz_name).unwrap_or(jiff::tz::TimeZone::UTC);
        Ok(self.reference_scope_in(&tz, at))
    }

    /// The reference scope (prefix and year) at `at` in the organisation's time zone `tz`.
    pub(crate) fn reference_scope_in(&self, tz: &jiff::tz::TimeZone, at: jiff::Timestamp) -> String {
        format!("{}-{}", self.settings.reference_prefix, at.to_zoned_datetime(tz.clone()).year())
    }

    pub(crate) async fn check_case_refs(&self, c: &Case) -> Result<(), AppError> {
        if self.store.team(c.team_id).await?.is_none() {
            return Err(Invalid::unknown_id("team_id", c.team_id).into());
        }
        if let Some(topic) = c.topic_id
            && self.store.topic(topic).await?.is_none()
        {
            return Err(Invalid::unknown_id("topic_id", topic).into());
        }
        if let Some(owner) = c.owner_id
            && self.store.employee(owner).await?.is_none()
        {
            return Err(Invalid::unknown_id("owner_id", owner).into());
        }
        if let Some(customer) = c.customer_id
            && self.store.customer(customer).await?.is_none()
        {
            return Err(Invalid::unknown_id("customer_id", customer).into());
        }
        if let Some(contact) = c.contact_id
            && self.store.contact(contact).await?.is_none()
        {
            return Err(Invalid::unknown_id("contact_id", contact).into());
        }
        Ok(())
    }
}
