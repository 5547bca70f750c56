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

/// How a closed case ended (resultaat), as ZGW's `Resultaattype`: a klacht is judged (Awb
/// 9:12), other cases are solved or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CaseResult {
    Opgelost,
    NietOpgelost,
    Doorverwezen,
    Ingetrokken,
    Gegrond,
    DeelsGegrond,
    Ongegrond,
}

impl CaseResult {
    pub const ALL: [CaseResult; 7] = [
        CaseResult::Opgelost,
        CaseResult::NietOpgelost,
        CaseResult::Doorverwezen,
        CaseResult::Ingetrokken,
        CaseResult::Gegrond,
        CaseResult::DeelsGegrond,
        CaseResult::Ongegrond,
    ];
    pub fn code(self) -> &'static str {
        match self {
            CaseResult::Opgelost => "opgelost",
            CaseResult::NietOpgelost => "niet_opgelost",
            CaseResult::Doorverwezen => "doorverwezen",
            CaseResult::Ingetrokken => "ingetrokken",
            CaseResult::Gegrond => "gegrond",
            CaseResult::DeelsGegrond => "deels_gegrond",
            CaseResult::Ongegrond => "ongegrond",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            CaseResult::Opgelost => "Opgelost",
            CaseResult::NietOpgelost => "Niet opgelost",
            CaseResult::Doorverwezen => "Doorverwezen",
            CaseResult::Ingetrokken => "Ingetrokken",
            CaseResult::Gegrond => "Gegrond",
            CaseResult::DeelsGegrond => "Deels gegrond",
            CaseResult::Ongegrond => "Ongegrond",
        }
    }

    /// The results a case of `case_type` may end with.
    pub fn for_type(case_type: CaseType) -> &'static [CaseResult] {
        use CaseResult::*;
        match case_type {
            CaseType::Klacht => &[Gegrond, DeelsGegrond, Ongegrond, Ingetrokken],
            _ => &[Opgelost, NietOpgelost, Doorverwezen, Ingetrokken],
        }
    }
}
crate::codes::impl_codes!(CaseResult, "result");

/// The result of a closed case and the answer the citizen got (by mail or letter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Closure {
    pub result: CaseResult,
    pub answer: String,
}

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
    /// The result and answer of the last closure; kept when the case is reopened.
    #[serde(default)]
    pub closure: Option<Closure>,
    /// What a klacht adds: who it is about, the hearing, the measures (Awb chapter 9);
    /// `None` for other case types and for a klacht nobody recorded anything of yet.
    #[serde(default)]
    pub complaint: Option<crate::complaint::Complaint>,
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
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub subject: String,
    #[serde(default)]
    #[schema(max_length = 20000)]
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
            closure: None,
            complaint: None,
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

    /// Since when the case is suspended (opgeschort); `None` when it is not. Its clock stands
    /// still meanwhile (see [`crate::norms::classify_case`]).
    pub fn suspended_since(&self) -> Option<Timestamp> {
        if self.status != CaseStatus::Opgeschort {
            return None;
        }
        self.timing.events.iter().rev().find_map(|e| match e {
            TimingEvent::Suspended { at } => Some(*at),
            _ => None,
        })
    }

    /// The statuses this case may move to now: the life cycle, narrowed by its type's norm (a
    /// type without suspension is never suspended).
    pub fn next_statuses(&self, norm: Option<&CaseTypeNorm>) -> Vec<CaseStatus> {
        let suspension = norm.is_some_and(|n| n.suspension_allowed);
        CaseStatus::ALL
            .into_iter()
            .filter(|s| self.status.can_become(*s))
            .filter(|s| *s != CaseStatus::Opgeschort || suspension)
            .collect()
    }

    /// `by` takes the case: it becomes its one owner. Refused when someone else owns it (they, or
    /// a team lead, hand it over instead), and for a klacht about `by` (Awb 9:7).
    pub fn take(&mut self, by: EmployeeId, now: Timestamp) -> Result<(), Invalid> {
        if self.owner_id.is_some_and(|o| o != by) {
            return Err(Invalid::wrong_state("owner_id", StateRule::OwnedByAnother));
        }
        self.may_handle(by)?;
        self.owner_id = Some(by);
        self.updated_at = now;
        Ok(())
    }

    /// Hand the case to a colleague (`to`), or back to the team's queue (`None`), with a note
    /// that says why; the note is kept with the case. Refused for a klacht about `to` (Awb 9:7).
    pub fn hand_over(
        &mut self,
        to: Option<EmployeeId>,
        note: &str,
        by: Option<EmployeeId>,
        now: Timestamp,
    ) -> Result<Note, Invalid> {
        if let Some(to) = to {
            self.may_handle(to)?;
        }
        let note = self.add_note(note, by, now).map_err(|e| Invalid { field: "note", ..e })?;
        self.owner_id = to;
        Ok(note)
    }

    /// Close the case with a result and the answer for the citizen (for a klacht: the
    /// conclusions, once the hearing question is settled, Awb 9:10 and 9:12).
    pub fn close(
        &mut self,
        result: CaseResult,
        answer: &str,
        by: Option<EmployeeId>,
        now: Timestamp,
    ) -> Result<StatusChange, Invalid> {
        if !CaseResult::for_type(self.case_type).contains(&result) {
            let allowed = CaseResult::for_type(self.case_type).iter().map(|r| r.code().to_string()).collect();
            return Err(Invalid::new(
                "result",
                crate::InvalidKind::Unknown { given: result.code().to_string(), allowed },
            ));
        }
        let answer = text::required("answer", answer, text::limits::LONG)?;
        self.check_complaint_closable()?;
        let change = self.change_status(CaseStatus::Afgehandeld, by, Some(result.label()), now)?;
        self.closure = Some(Closure { result, answer });
        Ok(change)
    }

    /// Danger now and nobody has taken it yet: the queue shows it first, in red (the store's
    /// queue order, `CaseOrder::Deadline`, puts exactly these first).
    pub fn awaits_danger_pickup(&self) -> bool {
        self.urgent && self.owner_id.is_none() && self.status.is_open()
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
pub(crate) mod tests {
    use super::*;

    fn case() -> Case {
        klacht_at(Timestamp::UNIX_EPOCH)
    }

    /// A klacht received at `received`, for the tests of this crate.
    pub(crate) fn klacht_at(received: Timestamp) -> Case {
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
            received,
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
    fn one_owner_takes_and_hands_over_with_a_note() {
        let mut c = case();
        let (anna, bram) = (EmployeeId::new(), EmployeeId::new());
        c.take(anna, Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!(c.take(bram, Timestamp::UNIX_EPOCH).unwrap_err().field, "owner_id", "one owner");
        assert_eq!(c.hand_over(Some(bram), " ", Some(anna), Timestamp::UNIX_EPOCH).unwrap_err().field, "note");
        assert_eq!(c.owner_id, Some(anna), "a refused handover changes nothing");
        c.hand_over(None, "Terug naar het team: ik ben op vakantie", Some(anna), Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!((c.owner_id, c.notes.len()), (None, 1));
    }

    #[test]
    fn a_case_closes_with_a_result_of_its_type_and_an_answer() {
        let mut c = case();
        assert_eq!(c.close(CaseResult::Opgelost, "Klaar", None, Timestamp::UNIX_EPOCH).unwrap_err().field, "result");
        assert_eq!(c.close(CaseResult::Gegrond, "", None, Timestamp::UNIX_EPOCH).unwrap_err().field, "answer");
        assert_eq!(c.status, CaseStatus::Ontvangen);
        let heard = crate::complaint::HearingOutcome::NotHeld { reason: crate::complaint::NoHearing::KlagerZietAf };
        c.settle_hearing(heard, None, Timestamp::UNIX_EPOCH, jiff::civil::Date::constant(2026, 1, 1)).unwrap();
        c.close(CaseResult::Gegrond, "U heeft gelijk.", None, Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!(c.status, CaseStatus::Afgehandeld);
        assert_eq!(c.closure.as_ref().map(|x| x.result), Some(CaseResult::Gegrond));
    }

    #[test]
    fn the_next_statuses_follow_the_life_cycle_and_the_types_norm() {
        let c = case();
        let mut norm = crate::norms::NormSet::water_board_default().for_case_type(CaseType::Klacht).unwrap().clone();
        let all = vec![CaseStatus::InBehandeling, CaseStatus::Opgeschort, CaseStatus::Afgehandeld];
        assert_eq!(c.next_statuses(Some(&norm)), all);
        norm.suspension_allowed = false;
        assert_eq!(c.next_statuses(Some(&norm)), vec![CaseStatus::InBehandeling, CaseStatus::Afgehandeld]);
        assert_eq!(c.next_statuses(None), vec![CaseStatus::InBehandeling, CaseStatus::Afgehandeld], "no norm");
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
