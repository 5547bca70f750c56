//! Cases (zaken): what the back office handles, with exactly one owner and an append-only history.

use crate::calendar::Calendar;
use crate::ids::{AttachmentId, CaseId, ContactId, CustomerId, EmployeeId, NoteId, TeamId, TopicId};
use crate::norms::{self, CaseTypeNorm, Deadlines, TimingError, TimingEvent};
use crate::{Invalid, StateRule, text};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The type of a case, following the seed and the ZGW Catalogi model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseType {
    Vraag,
    Klacht,
    Melding,
    Verzoek,
    Vergunningaanvraag,
    Bezwaar,
}

impl CaseType {
    pub const ALL: [CaseType; 6] = [
        CaseType::Vraag,
        CaseType::Klacht,
        CaseType::Melding,
        CaseType::Verzoek,
        CaseType::Vergunningaanvraag,
        CaseType::Bezwaar,
    ];
    pub fn code(self) -> &'static str {
        match self {
            CaseType::Vraag => "vraag",
            CaseType::Klacht => "klacht",
            CaseType::Melding => "melding",
            CaseType::Verzoek => "verzoek",
            CaseType::Vergunningaanvraag => "vergunningaanvraag",
            CaseType::Bezwaar => "bezwaar",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            CaseType::Vraag => "Vraag",
            CaseType::Klacht => "Klacht",
            CaseType::Melding => "Melding",
            CaseType::Verzoek => "Verzoek",
            CaseType::Vergunningaanvraag => "Vergunningaanvraag",
            CaseType::Bezwaar => "Bezwaar",
        }
    }
}
crate::codes::impl_codes!(CaseType, "case_type");

/// Where a case is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseStatus {
    /// Received, not yet picked up.
    Ontvangen,
    /// Someone works on it.
    InBehandeling,
    /// Suspended, e.g. waiting for the customer (opschorting).
    Opgeschort,
    /// Done; the customer has the answer or decision.
    Afgehandeld,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 4] =
        [CaseStatus::Ontvangen, CaseStatus::InBehandeling, CaseStatus::Opgeschort, CaseStatus::Afgehandeld];
    pub fn code(self) -> &'static str {
        match self {
            CaseStatus::Ontvangen => "ontvangen",
            CaseStatus::InBehandeling => "in_behandeling",
            CaseStatus::Opgeschort => "opgeschort",
            CaseStatus::Afgehandeld => "afgehandeld",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::Ontvangen => "Ontvangen",
            CaseStatus::InBehandeling => "In behandeling",
            CaseStatus::Opgeschort => "Opgeschort",
            CaseStatus::Afgehandeld => "Afgehandeld",
        }
    }

    /// The state machine: which status may follow which.
    pub fn can_become(self, next: CaseStatus) -> bool {
        use CaseStatus::*;
        matches!(
            (self, next),
            (Ontvangen, InBehandeling)
                | (Ontvangen, Afgehandeld)
                | (Ontvangen, Opgeschort)
                | (InBehandeling, Opgeschort)
                | (InBehandeling, Afgehandeld)
                | (Opgeschort, InBehandeling)
                | (Afgehandeld, InBehandeling)
        )
    }

    pub fn is_open(self) -> bool {
        self != CaseStatus::Afgehandeld
    }
}
crate::codes::impl_codes!(CaseStatus, "status");

/// One entry in the append-only status history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct StatusChange {
    pub status: CaseStatus,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    pub by: Option<EmployeeId>,
    pub reason: Option<String>,
}

/// A note on a case; notes are never edited, only added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Note {
    pub id: NoteId,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    pub author: Option<EmployeeId>,
    pub text: String,
}

/// Metadata of a file attached to a case; the content lives in the file store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Attachment {
    pub id: AttachmentId,
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: u64,
    /// Hex SHA-256 of the content.
    pub sha256: String,
    #[schema(value_type = String, format = DateTime)]
    pub uploaded_at: Timestamp,
    pub uploaded_by: Option<EmployeeId>,
}

/// A case as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Case {
    pub id: CaseId,
    /// The readable reference people use, e.g. `WS-2026-004217`.
    pub reference: String,
    pub case_type: CaseType,
    pub topic_id: Option<TopicId>,
    pub team_id: TeamId,
    /// The one owner (eigenaar); `None` while it waits in the team's queue.
    pub owner_id: Option<EmployeeId>,
    pub customer_id: Option<CustomerId>,
    pub contact_id: Option<ContactId>,
    pub subject: String,
    /// What the customer wants to achieve (bedoeling).
    pub intent: Option<String>,
    pub status: CaseStatus,
    /// Danger now (e.g. a dike giving way): the urgent norm applies, day and night.
    pub urgent: bool,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
    /// When the case was last closed (afgehandeld); `None` while open.
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<Timestamp>,
    /// Deadlines from the service norms and every recalculation of them.
    pub timing: CaseTiming,
    pub history: Vec<StatusChange>,
    pub notes: Vec<Note>,
    pub attachments: Vec<Attachment>,
}

/// A case as received from a form or the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CaseInput {
    pub case_type: CaseType,
    pub team_id: TeamId,
    #[serde(default)]
    pub topic_id: Option<TopicId>,
    #[serde(default)]
    pub owner_id: Option<EmployeeId>,
    #[serde(default)]
    pub customer_id: Option<CustomerId>,
    #[serde(default)]
    pub contact_id: Option<ContactId>,
    pub subject: String,
    #[serde(default)]
    pub intent: Option<String>,
    /// Danger now: the urgent norm applies.
    #[serde(default)]
    pub urgent: bool,
}

/// A case's deadlines, the events that moved them, and every recalculation with its reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CaseTiming {
    /// The current deadlines; `None` when no norm applies to the case type.
    pub deadlines: Option<Deadlines>,
    /// Suspensions, resumptions and the extension, in order.
    pub events: Vec<TimingEvent>,
    /// Every computation of the deadlines: at creation and after each event.
    pub recalculations: Vec<Recalculation>,
}

impl CaseTiming {
    pub fn is_extended(&self) -> bool {
        self.events.iter().any(|e| matches!(e, TimingEvent::Extended { .. }))
    }
}

/// One computation of a case's deadlines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Recalculation {
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    pub by: Option<EmployeeId>,
    pub reason: String,
    pub deadlines: Deadlines,
}

impl Case {
    /// A new case in status `ontvangen`; the store assigns the reference.
    pub fn create(input: CaseInput, by: Option<EmployeeId>, now: Timestamp) -> Result<Self, Invalid> {
        let subject = text::required("subject", &input.subject, text::limits::SHORT)?;
        let intent = text::optional("intent", input.intent.as_deref(), text::limits::LONG)?;
        Ok(Case {
            id: CaseId::new(),
            reference: String::new(),
            case_type: input.case_type,
            topic_id: input.topic_id,
            team_id: input.team_id,
            owner_id: input.owner_id,
            customer_id: input.customer_id,
            contact_id: input.contact_id,
            subject,
            intent,
            status: CaseStatus::Ontvangen,
            urgent: input.urgent,
            created_at: now,
            updated_at: now,
            closed_at: None,
            timing: CaseTiming::default(),
            history: vec![StatusChange { status: CaseStatus::Ontvangen, at: now, by, reason: None }],
            notes: vec![],
            attachments: vec![],
        })
    }

    /// Move to `next` if the state machine allows it, recording who and why.
    pub fn change_status(
        &mut self,
        next: CaseStatus,
        by: Option<EmployeeId>,
        reason: Option<&str>,
        now: Timestamp,
    ) -> Result<StatusChange, Invalid> {
        if !self.status.can_become(next) {
            return Err(Invalid::wrong_state(
                "status",
                StateRule::Transition { from: self.status.code(), to: next.code() },
            ));
        }
        let reason = text::optional("reason", reason, text::limits::SHORT)?;
        if next == CaseStatus::Opgeschort && reason.is_none() {
            return Err(Invalid::empty("reason"));
        }
        match (self.status, next) {
            (_, CaseStatus::Opgeschort) => self.timing.events.push(TimingEvent::Suspended { at: now }),
            (CaseStatus::Opgeschort, _) => self.timing.events.push(TimingEvent::Resumed { at: now }),
            _ => {}
        }
        self.closed_at = (next == CaseStatus::Afgehandeld).then_some(now);
        let change = StatusChange { status: next, at: now, by, reason };
        self.status = next;
        self.updated_at = now;
        self.history.push(change.clone());
        Ok(change)
    }

    /// Compute the deadlines from the norm and the timing events, and record why.
    pub fn recompute_deadlines(
        &mut self,
        norm: &CaseTypeNorm,
        calendar: &Calendar,
        by: Option<EmployeeId>,
        reason: &str,
        now: Timestamp,
    ) -> Result<Deadlines, TimingError> {
        let deadlines = norms::deadlines(norm, calendar, self.created_at, self.urgent, &self.timing.events)?;
        self.timing.deadlines = Some(deadlines);
        self.timing.recalculations.push(Recalculation { at: now, by, reason: reason.to_string(), deadlines });
        Ok(deadlines)
    }

    /// Extend the term once (verlenging); the caller recomputes the deadlines.
    pub fn extend(&mut self, reason: &str, now: Timestamp) -> Result<(), Invalid> {
        if !self.status.is_open() {
            return Err(Invalid::wrong_state("status", StateRule::CaseClosed));
        }
        text::required("reason", reason, text::limits::SHORT)?;
        if self.timing.is_extended() {
            return Err(Invalid::wrong_state("extension", StateRule::AlreadyExtended));
        }
        self.timing.events.push(TimingEvent::Extended { at: now });
        self.updated_at = now;
        Ok(())
    }

    pub fn add_note(&mut self, text: &str, author: Option<EmployeeId>, now: Timestamp) -> Result<Note, Invalid> {
        let note = Note { id: NoteId::new(), at: now, author, text: text::required("text", text, text::limits::LONG)? };
        self.notes.push(note.clone());
        self.updated_at = now;
        Ok(note)
    }
}

/// A readable case reference: the scope (`PREFIX-YEAR`) and a zero-padded serial number.
pub fn format_reference(scope: &str, number: i64) -> String {
    format!("{scope}-{number:06}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case() -> Case {
        Case::create(
            CaseInput {
                case_type: CaseType::Klacht,
                team_id: TeamId::new(),
                topic_id: None,
                owner_id: None,
                customer_id: None,
                contact_id: None,
                subject: "Niet teruggebeld".into(),
                intent: None,
                urgent: false,
            },
            None,
            Timestamp::UNIX_EPOCH,
        )
        .unwrap()
    }

    #[test]
    fn a_closed_case_can_be_reopened_but_not_suspended() {
        let mut c = case();
        c.change_status(CaseStatus::Afgehandeld, None, None, Timestamp::UNIX_EPOCH).unwrap();
        assert!(c.change_status(CaseStatus::Opgeschort, None, Some("x"), Timestamp::UNIX_EPOCH).is_err());
        c.change_status(CaseStatus::InBehandeling, None, None, Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!(c.history.len(), 3);
    }

    #[test]
    fn suspension_needs_a_reason() {
        let mut c = case();
        assert_eq!(
            c.change_status(CaseStatus::Opgeschort, None, None, Timestamp::UNIX_EPOCH).unwrap_err().field,
            "reason"
        );
        assert_eq!(c.status, CaseStatus::Ontvangen);
    }

    #[test]
    fn references_are_zero_padded() {
        assert_eq!(format_reference("WS-2026", 4217), "WS-2026-004217");
    }
}

#[cfg(test)]
mod open_statuses {
    use super::CaseStatus;

    /// The store lists the open statuses by code (so indexes apply); keep it in step.
    #[test]
    fn the_open_statuses_are_received_in_progress_and_suspended() {
        let open: Vec<&str> = CaseStatus::ALL.iter().filter(|s| s.is_open()).map(|s| s.code()).collect();
        assert_eq!(open, vec!["ontvangen", "in_behandeling", "opgeschort"]);
    }
}
