//! Complaints (klachten) as the Awb asks, chapter 9: who may handle one (9:7), the hearing
//! (9:10), the outcome in writing (9:12), whether it was handled in time (9:11) and the annual
//! overview of the complaint register (9:12a). What a klacht adds to its case lives in
//! [`Complaint`], kept with the case (`Case::complaint`).

use crate::calendar::Calendar;
use crate::case::{Case, CaseResult, CaseStatus, CaseType};
use crate::ids::EmployeeId;
use crate::norms::{self, CaseTypeNorm, Compliance, TimingError, TimingEvent};
use crate::{Invalid, InvalidKind, StateRule, text};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// What a klacht adds to its case: who it is about, the hearing and the measures taken.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Complaint {
    /// The employees the complaint is about (betrokken medewerkers): they do not handle it (9:7).
    #[serde(default)]
    pub involved: Vec<EmployeeId>,
    /// Someone else it is about ("betrokken, geen medewerker"), in a few words.
    #[serde(default)]
    pub involved_other: Option<String>,
    #[serde(default)]
    pub hearing: Hearing,
    /// The measures taken after the complaint, written for publication (no personal data); they
    /// appear in the annual overview.
    #[serde(default)]
    pub measures: Option<String>,
}

/// The hearing (hoorzitting, Awb 9:10): offered on a day, then held or not held for a reason.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Hearing {
    pub offered: Option<HearingOffer>,
    pub settled: Option<HearingSettled>,
}

/// The complainant was offered a hearing on `on`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HearingOffer {
    #[schema(value_type = String, format = Date)]
    pub on: Date,
    /// When this was recorded, and by whom.
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    pub by: Option<EmployeeId>,
}

/// The hearing question is settled: held (with notes) or not held (with the reason).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct HearingSettled {
    pub outcome: HearingOutcome,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    pub by: Option<EmployeeId>,
}

/// How the hearing question was settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum HearingOutcome {
    Held {
        #[schema(value_type = String, format = Date)]
        on: Date,
        notes: String,
    },
    NotHeld {
        reason: NoHearing,
    },
}

impl HearingOutcome {
    /// The hearing as a form gives it: `gehouden` with the day (`YYYY-MM-DD`) and the notes, or
    /// the code of the reason it was not held ([`NoHearing`]).
    pub fn parse(choice: &str, held_on: &str, notes: &str) -> Result<Self, Invalid> {
        match choice.trim() {
            "" => Err(Invalid::empty("hearing")),
            "gehouden" => Ok(HearingOutcome::Held {
                on: crate::planned_works::parse_date("hearing_on", held_on)?,
                notes: notes.to_string(),
            }),
            reason => Ok(HearingOutcome::NotHeld { reason: reason.parse()? }),
        }
    }
}

/// Why no hearing was held (Awb 9:10 second paragraph, and 9:5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoHearing {
    /// The complainant declined the hearing.
    KlagerZietAf,
    /// The complaint is manifestly unfounded (kennelijk ongegrond).
    KennelijkOngegrond,
    /// The complaint was resolved to the complainant's satisfaction (9:5).
    KlagerTevreden,
}

impl NoHearing {
    pub const ALL: [NoHearing; 3] = [NoHearing::KlagerZietAf, NoHearing::KennelijkOngegrond, NoHearing::KlagerTevreden];
    pub fn code(self) -> &'static str {
        match self {
            NoHearing::KlagerZietAf => "klager_ziet_af",
            NoHearing::KennelijkOngegrond => "kennelijk_ongegrond",
            NoHearing::KlagerTevreden => "klager_tevreden",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            NoHearing::KlagerZietAf => "de klager ziet af van horen",
            NoHearing::KennelijkOngegrond => "de klacht is kennelijk ongegrond",
            NoHearing::KlagerTevreden => "de klager is al tevreden (Awb 9:5)",
        }
    }
}
crate::codes::impl_codes!(NoHearing, "hearing");

impl Complaint {
    /// The 9:7 rule: an employee the complaint is about may not handle it.
    pub fn may_handle(&self, employee: EmployeeId) -> Result<(), Invalid> {
        if self.involved.contains(&employee) {
            return Err(Invalid::wrong_state("owner_id", StateRule::InvolvedInComplaint));
        }
        Ok(())
    }

    /// The hearing was held, or there is a reason it was not.
    pub fn hearing_settled(&self) -> bool {
        self.hearing.settled.is_some()
    }

    /// Remove what may say something about a person (AVG): the notes of the hearing become
    /// `erased` and "betrokken, geen medewerker" goes; the involved employees, the hearing's days
    /// and the measures (written for publication) stay. True when something changed.
    pub fn erase_personal_data(&mut self, erased: &str) -> bool {
        let mut changed = self.involved_other.take().is_some();
        if let Some(HearingSettled { outcome: HearingOutcome::Held { notes, .. }, .. }) = &mut self.hearing.settled
            && notes != erased
        {
            *notes = erased.to_string();
            changed = true;
        }
        changed
    }
}

impl Case {
    /// The 9:7 rule for this case: `employee` may handle it unless it is a klacht about them.
    pub fn may_handle(&self, employee: EmployeeId) -> Result<(), Invalid> {
        match &self.complaint {
            Some(c) if self.case_type == CaseType::Klacht => c.may_handle(employee),
            _ => Ok(()),
        }
    }

    /// Record who a klacht is about; refused when its current owner is among them (hand it
    /// over first) or the case is no klacht.
    pub fn set_involved(
        &mut self,
        employees: Vec<EmployeeId>,
        other: Option<&str>,
        now: Timestamp,
    ) -> Result<(), Invalid> {
        self.require_open_complaint("involved")?;
        let other = text::optional("involved_other", other, text::limits::SHORT)?;
        if let Some(owner) = self.owner_id
            && employees.contains(&owner)
        {
            return Err(Invalid::wrong_state("involved", StateRule::OwnerInvolved));
        }
        let mut employees = employees;
        employees.sort_by_key(|e| e.to_string());
        employees.dedup();
        let complaint = self.complaint.get_or_insert_default();
        complaint.involved = employees;
        complaint.involved_other = other;
        self.updated_at = now;
        Ok(())
    }

    /// The complainant is offered a hearing on `on` (`YYYY-MM-DD`).
    pub fn offer_hearing(&mut self, on: &str, by: Option<EmployeeId>, now: Timestamp) -> Result<(), Invalid> {
        self.require_open_complaint("hearing")?;
        let on = crate::planned_works::parse_date("hearing_on", on)?;
        self.complaint.get_or_insert_default().hearing.offered = Some(HearingOffer { on, at: now, by });
        self.updated_at = now;
        Ok(())
    }

    /// Settle the hearing question: held on a day not after `today` with notes, or not held
    /// with a reason. A later record replaces an earlier one while the klacht is open.
    pub fn settle_hearing(
        &mut self,
        outcome: HearingOutcome,
        by: Option<EmployeeId>,
        now: Timestamp,
        today: Date,
    ) -> Result<(), Invalid> {
        self.require_open_complaint("hearing")?;
        let outcome = match outcome {
            HearingOutcome::Held { on, notes } => {
                if on > today {
                    return Err(Invalid::new("hearing_on", InvalidKind::InFuture));
                }
                HearingOutcome::Held { on, notes: text::required("hearing_notes", &notes, text::limits::LONG)? }
            }
            not_held => not_held,
        };
        self.complaint.get_or_insert_default().hearing.settled = Some(HearingSettled { outcome, at: now, by });
        self.updated_at = now;
        Ok(())
    }

    /// The measures taken, for the annual overview (empty: none).
    pub fn record_measures(&mut self, measures: &str) -> Result<(), Invalid> {
        let measures = text::optional("measures", Some(measures), text::limits::LONG)?;
        if measures.is_none() && self.complaint.is_none() {
            return Ok(());
        }
        if self.case_type != CaseType::Klacht {
            return Err(Invalid::new("measures", InvalidKind::NotApplicable));
        }
        self.complaint.get_or_insert_default().measures = measures;
        Ok(())
    }

    /// A klacht may be closed once the hearing question is settled (Awb 9:10).
    /// A klacht is not closed by a bare status change: its outcome goes in writing, with the
    /// result and the conclusions (Awb 9:12), through [`Case::close`].
    pub fn check_status_may_close(&self) -> Result<(), Invalid> {
        self.check_complaint_closable()?;
        if self.case_type == CaseType::Klacht {
            return Err(Invalid::wrong_state("status", StateRule::OutcomeInWriting));
        }
        Ok(())
    }

    pub fn check_complaint_closable(&self) -> Result<(), Invalid> {
        if self.case_type == CaseType::Klacht && !self.complaint.as_ref().is_some_and(Complaint::hearing_settled) {
            return Err(Invalid::wrong_state("hearing", StateRule::HearingNotSettled));
        }
        Ok(())
    }

    fn require_open_complaint(&self, field: &'static str) -> Result<(), Invalid> {
        if self.case_type != CaseType::Klacht {
            return Err(Invalid::new(field, InvalidKind::NotApplicable));
        }
        if !self.status.is_open() {
            return Err(Invalid::wrong_state(field, StateRule::CaseClosed));
        }
        Ok(())
    }
}

/// Where a complainant can go next (Awb 9:12 second paragraph names the ombudsman).
pub const OMBUDSMAN: &str = "Bent u het niet eens met hoe wij uw klacht hebben behandeld? Dan kunt u \
binnen een jaar naar de Nationale ombudsman. Dat is gratis. Kijk op www.nationaleombudsman.nl of bel \
0800 335 55 55.";

/// The outcome of a klacht in writing (Awb 9:12): the conclusions as the employee wrote them, the
/// judgement, and where the complainant can go next.
pub fn written_outcome(result: CaseResult, conclusions: &str) -> String {
    let judgement = match result {
        CaseResult::Gegrond => "Ons oordeel: uw klacht is gegrond. U heeft gelijk.",
        CaseResult::DeelsGegrond => "Ons oordeel: uw klacht is deels gegrond. U heeft voor een deel gelijk.",
        CaseResult::Ongegrond => "Ons oordeel: uw klacht is ongegrond. Wij vinden dat wij goed hebben gehandeld.",
        _ => "U heeft uw klacht ingetrokken. Wij behandelen hem daarom niet verder.",
    };
    format!("{}\n\n{judgement}\n\n{OMBUDSMAN}", conclusions.trim())
}

/// Whether a klacht was handled within its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Closed before the end of its term.
    InTime,
    /// Closed after the end of its term, or still open past it.
    Late,
    /// Open, and its term has not ended (or it is suspended and had time left).
    Pending,
}

/// Whether `case` was handled in time at `now` (docs/complaints.md): closed (its last closure)
/// before the end of its term, where the term is the legal term (else the service norm) from
/// `norm` on `calendar`, moved by the suspended time, and lengthened by the extension only when
/// the extension was made (and the complainant told, in the same step) before the term it
/// lengthens ended. An open klacht is late once that term has passed; while suspended, as at
/// its suspension ([`norms::classify_case`]).
pub fn timeliness(
    case: &Case,
    norm: &CaseTypeNorm,
    calendar: &Calendar,
    now: Timestamp,
) -> Result<Timeliness, TimingError> {
    let due = |events: &[TimingEvent]| {
        norms::deadlines(norm, calendar, case.created_at, case.urgent, events)
            .map(|d| d.legal.unwrap_or(d.service_norm))
    };
    let mut counted: Vec<TimingEvent> = Vec::with_capacity(case.timing.events.len());
    for event in &case.timing.events {
        if let TimingEvent::Extended { at } = event
            && *at >= due(&counted)?
        {
            // Extended after the term had ended: the law's one extension came too late.
            continue;
        }
        counted.push(event.clone());
    }
    let deadline = due(&counted)?;
    let done = if case.status == CaseStatus::Afgehandeld { case.closed_at } else { None };
    Ok(match norms::classify_case(deadline, done, case.suspended_since(), now, SignedDuration::ZERO) {
        Compliance::WithinNorm => Timeliness::InTime,
        Compliance::Late => Timeliness::Late,
        Compliance::Open | Compliance::AtRisk => Timeliness::Pending,
    })
}

/// One klacht as the annual overview counts it: no names, addresses or references.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterLine {
    /// The topic's name; `None` when the klacht has no topic.
    pub topic: Option<String>,
    /// Closed (afgehandeld) now.
    pub closed: bool,
    /// The result of its last closure (kept when reopened, so read it with `closed`).
    pub result: Option<CaseResult>,
    pub timeliness: Timeliness,
    pub measures: Option<String>,
}

impl RegisterLine {
    /// The register line of a klacht at `now`.
    pub fn of(case: &Case, topic: Option<String>, timeliness: Timeliness) -> Self {
        RegisterLine {
            topic,
            closed: case.status == CaseStatus::Afgehandeld,
            result: case.closure.as_ref().map(|c| c.result),
            timeliness,
            measures: case.complaint.as_ref().and_then(|c| c.measures.clone()),
        }
    }
}

/// Counts of one topic (or of all) in the annual overview.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct OutcomeCounts {
    /// The topic's name; "Zonder onderwerp" for klachten without one, "Totaal" for the sum.
    pub topic: String,
    pub received: u32,
    pub gegrond: u32,
    pub deels_gegrond: u32,
    pub ongegrond: u32,
    pub ingetrokken: u32,
    /// Closed without a judgement on record (closed by a status change alone).
    pub without_result: u32,
    /// Not closed (yet).
    pub open: u32,
}

impl OutcomeCounts {
    fn add(&mut self, line: &RegisterLine) {
        self.received += 1;
        match (line.closed, line.result) {
            (false, _) => self.open += 1,
            (true, Some(CaseResult::Gegrond)) => self.gegrond += 1,
            (true, Some(CaseResult::DeelsGegrond)) => self.deels_gegrond += 1,
            (true, Some(CaseResult::Ongegrond)) => self.ongegrond += 1,
            (true, Some(_)) => self.ingetrokken += 1,
            (true, None) => self.without_result += 1,
        }
    }
}

/// A measure taken after a klacht, with its topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Measure {
    pub topic: String,
    pub text: String,
}

/// The annual overview of the complaint register (Awb 9:12a), without personal data.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct YearOverview {
    pub year: i16,
    /// Per topic, by name; klachten without a topic last.
    pub by_topic: Vec<OutcomeCounts>,
    pub total: OutcomeCounts,
    /// Klachten whose handling is judged: closed, or open past their term.
    pub judged: u32,
    /// Of those, closed within the term.
    pub in_time: u32,
    /// `in_time` as a share of `judged`, in percent with one decimal; `None` when none is judged.
    pub in_time_percent: Option<f64>,
    pub measures: Vec<Measure>,
}

/// The first and last year an annual overview can be asked for (the calendar's range).
pub const YEARS: std::ops::RangeInclusive<i16> = 1583..=9998;

/// The year of an annual overview, as typed (`jaar=2026`).
pub fn parse_year(given: &str) -> Result<i16, Invalid> {
    let given = given.trim();
    if given.is_empty() {
        return Err(Invalid::empty("jaar"));
    }
    if !given.chars().all(|c| c.is_ascii_digit()) {
        return Err(Invalid::malformed("jaar", given, crate::Format::WholeNumber));
    }
    let range = || InvalidKind::OutOfRange { min: i64::from(*YEARS.start()), max: Some(i64::from(*YEARS.end())) };
    let year: i16 = given.parse().map_err(|_| Invalid::new("jaar", range()))?;
    if !YEARS.contains(&year) {
        return Err(Invalid::new("jaar", range()));
    }
    Ok(year)
}

/// The topic name of klachten without a topic.
pub const NO_TOPIC: &str = "Zonder onderwerp";

/// The annual overview of `year` from the register lines of the klachten received in it.
pub fn year_overview(year: i16, lines: &[RegisterLine]) -> YearOverview {
    let mut by_topic: std::collections::BTreeMap<(bool, String), OutcomeCounts> = Default::default();
    let mut total = OutcomeCounts { topic: "Totaal".into(), ..Default::default() };
    let (mut judged, mut in_time) = (0u32, 0u32);
    let mut measures = vec![];
    for line in lines {
        let topic = line.topic.clone().unwrap_or_else(|| NO_TOPIC.to_string());
        let row = by_topic
            .entry((line.topic.is_none(), topic.clone()))
            .or_insert_with(|| OutcomeCounts { topic: topic.clone(), ..Default::default() });
        row.add(line);
        total.add(line);
        match line.timeliness {
            Timeliness::InTime => (judged, in_time) = (judged + 1, in_time + 1),
            Timeliness::Late => judged += 1,
            Timeliness::Pending => {}
        }
        if let Some(text) = &line.measures {
            measures.push(Measure { topic, text: text.clone() });
        }
    }
    measures.sort_by(|a, b| (&a.topic, &a.text).cmp(&(&b.topic, &b.text)));
    let in_time_percent = (judged > 0).then(|| (f64::from(in_time) * 1000.0 / f64::from(judged)).round() / 10.0);
    YearOverview { year, by_topic: by_topic.into_values().collect(), total, judged, in_time, in_time_percent, measures }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::norms::NormSet;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn klacht(received: &str) -> Case {
        crate::case::tests::klacht_at(at(received))
    }

    fn cal() -> Calendar {
        crate::calendar::Calendar::termijnenwet()
    }

    fn norm() -> CaseTypeNorm {
        NormSet::water_board_default().for_case_type(CaseType::Klacht).unwrap().clone()
    }

    fn not_held() -> HearingOutcome {
        HearingOutcome::NotHeld { reason: NoHearing::KlagerZietAf }
    }

    #[test]
    fn an_involved_employee_may_not_take_or_be_handed_a_klacht() {
        let mut c = klacht("2026-04-02T10:00:00+02:00");
        let (anna, bram) = (EmployeeId::new(), EmployeeId::new());
        c.set_involved(vec![anna], Some("de aannemer"), c.created_at).unwrap();
        let refused = c.take(anna, c.created_at).unwrap_err();
        assert_eq!(refused.kind, InvalidKind::WrongState(StateRule::InvolvedInComplaint));
        assert_eq!(c.owner_id, None, "a refused take changes nothing");
        assert!(c.hand_over(Some(anna), "Graag jij", None, c.created_at).is_err());
        assert!(c.notes.is_empty(), "a refused handover leaves no note");
        c.take(bram, c.created_at).unwrap();
        c.hand_over(None, "Terug naar het team", Some(bram), c.created_at).unwrap();
    }

    #[test]
    fn the_owner_cannot_be_named_involved_without_handing_over_first() {
        let mut c = klacht("2026-04-02T10:00:00+02:00");
        let anna = EmployeeId::new();
        c.take(anna, c.created_at).unwrap();
        let refused = c.set_involved(vec![anna], None, c.created_at).unwrap_err();
        assert_eq!(refused.kind, InvalidKind::WrongState(StateRule::OwnerInvolved));
        assert_eq!(c.complaint, None);
    }

    #[test]
    fn other_case_types_have_no_complaint_fields_and_no_9_7_rule() {
        let mut c = klacht("2026-04-02T10:00:00+02:00");
        c.case_type = CaseType::Melding;
        assert_eq!(c.set_involved(vec![], None, c.created_at).unwrap_err().kind, InvalidKind::NotApplicable);
        assert!(c.may_handle(EmployeeId::new()).is_ok());
        c.record_measures("").unwrap();
    }

    #[test]
    fn a_klacht_closes_only_after_the_hearing_question_is_settled() {
        let mut c = klacht("2026-04-02T10:00:00+02:00");
        let now = c.created_at;
        let today = Date::constant(2026, 4, 20);
        let refused = c.close(CaseResult::Gegrond, "U heeft gelijk.", None, now).unwrap_err();
        assert_eq!(refused.field, "hearing");
        assert_eq!(c.status, CaseStatus::Ontvangen);
        c.offer_hearing("2026-04-21", None, now).unwrap();
        let future = HearingOutcome::Held { on: Date::constant(2026, 4, 21), notes: "Gesprek".into() };
        assert_eq!(c.settle_hearing(future, None, now, today).unwrap_err().field, "hearing_on");
        let no_notes = HearingOutcome::Held { on: today, notes: " ".into() };
        assert_eq!(c.settle_hearing(no_notes, None, now, today).unwrap_err().field, "hearing_notes");
        c.settle_hearing(not_held(), None, now, today).unwrap();
        c.close(CaseResult::Gegrond, "U heeft gelijk.", None, now).unwrap();
        assert_eq!(c.settle_hearing(not_held(), None, now, today).unwrap_err().field, "hearing", "closed");
    }

    #[test]
    fn in_time_means_closed_before_the_six_weeks_end() {
        // Received Thursday 2 April 2026: six weeks end on Ascension Day, so the last day is Friday 15 May.
        let mut c = klacht("2026-04-02T10:00:00+02:00");
        c.complaint = Some(Complaint { hearing: Hearing { offered: None, settled: None }, ..Default::default() });
        c.settle_hearing(not_held(), None, c.created_at, Date::constant(2026, 4, 2)).unwrap();
        let judge = |c: &Case, now: &str| timeliness(c, &norm(), &cal(), at(now)).unwrap();
        assert_eq!(judge(&c, "2026-05-15T23:00:00+02:00"), Timeliness::Pending);
        assert_eq!(judge(&c, "2026-05-16T00:00:00+02:00"), Timeliness::Late);
        let mut on_time = c.clone();
        on_time.close(CaseResult::Ongegrond, "Uitleg", None, at("2026-05-15T16:00:00+02:00")).unwrap();
        assert_eq!(judge(&on_time, "2026-12-31T00:00:00+01:00"), Timeliness::InTime);
        let mut late = c;
        late.close(CaseResult::Ongegrond, "Uitleg", None, at("2026-05-16T09:00:00+02:00")).unwrap();
        assert_eq!(judge(&late, "2026-12-31T00:00:00+01:00"), Timeliness::Late);
    }

    #[test]
    fn suspended_time_does_not_count() {
        let mut c = klacht("2026-04-02T10:00:00+02:00");
        let suspend = at("2026-04-13T09:00:00+02:00");
        c.change_status(CaseStatus::Opgeschort, None, Some("wacht op klant"), suspend).unwrap();
        c.change_status(CaseStatus::InBehandeling, None, None, at("2026-04-20T09:00:00+02:00")).unwrap();
        c.settle_hearing(not_held(), None, suspend, Date::constant(2026, 4, 20)).unwrap();
        // Five working days paused: the term ends on Friday 22 May instead of 15 May.
        c.close(CaseResult::Gegrond, "Excuses", None, at("2026-05-20T12:00:00+02:00")).unwrap();
        assert_eq!(timeliness(&c, &norm(), &cal(), c.closed_at.unwrap()).unwrap(), Timeliness::InTime);
    }

    #[test]
    fn an_extension_counts_only_when_made_before_the_term_ended() {
        let base = klacht("2026-04-02T10:00:00+02:00");
        let closed = at("2026-06-01T12:00:00+02:00");
        let with_extension = |extended: &str| {
            let mut c = base.clone();
            c.extend("Wij wachten op advies", at(extended)).unwrap();
            c.settle_hearing(not_held(), None, at(extended), Date::constant(2026, 6, 1)).unwrap();
            c.close(CaseResult::DeelsGegrond, "Uitleg", None, closed).unwrap();
            timeliness(&c, &norm(), &cal(), closed).unwrap()
        };
        // Extended on 14 May, before the term ended: four more weeks, to 12 June.
        assert_eq!(with_extension("2026-05-14T10:00:00+02:00"), Timeliness::InTime);
        // Extended on 18 May, after the term had ended on 15 May: it does not count.
        assert_eq!(with_extension("2026-05-18T10:00:00+02:00"), Timeliness::Late);
    }

    #[test]
    fn a_second_extension_of_a_klacht_is_refused() {
        let mut c = klacht("2026-04-02T10:00:00+02:00");
        c.extend("Advies nodig", at("2026-05-01T10:00:00+02:00")).unwrap();
        let refused = c.extend("Nog meer tijd", at("2026-05-02T10:00:00+02:00")).unwrap_err();
        assert_eq!(refused.kind, InvalidKind::WrongState(StateRule::AlreadyExtended));
        assert_eq!(c.timing.events.len(), 1);
    }

    #[test]
    fn the_written_outcome_carries_the_conclusions_the_judgement_and_the_ombudsman() {
        let text = written_outcome(CaseResult::DeelsGegrond, "We hebben de sloot te laat gemaaid. ");
        assert!(text.starts_with("We hebben de sloot te laat gemaaid.\n\n"));
        assert!(text.contains("deels gegrond"));
        assert!(text.ends_with(OMBUDSMAN));
    }

    #[test]
    fn erasing_removes_the_hearing_notes_and_the_other_party_but_keeps_the_measures() {
        let mut c = klacht("2026-04-02T10:00:00+02:00");
        c.set_involved(vec![], Some("Jan de aannemer"), c.created_at).unwrap();
        let held = HearingOutcome::Held { on: Date::constant(2026, 4, 2), notes: "Jan vertelt".into() };
        c.settle_hearing(held, None, c.created_at, Date::constant(2026, 4, 2)).unwrap();
        c.record_measures("Betere uitleg op de website").unwrap();
        let mut complaint = c.complaint.unwrap();
        assert!(complaint.erase_personal_data("[verwijderd]"));
        assert_eq!(complaint.involved_other, None);
        let notes = match complaint.hearing.settled.as_ref().map(|s| &s.outcome) {
            Some(HearingOutcome::Held { notes, .. }) => notes.as_str(),
            other => panic!("{other:?}"),
        };
        assert_eq!(notes, "[verwijderd]");
        assert_eq!(complaint.measures.as_deref(), Some("Betere uitleg op de website"));
        assert!(!complaint.erase_personal_data("[verwijderd]"), "nothing left to erase");
    }

    #[test]
    fn a_year_is_a_whole_number_the_calendar_can_hold() {
        assert_eq!(parse_year(" 2026 ").unwrap(), 2026);
        assert!(matches!(parse_year("twintig").unwrap_err().kind, InvalidKind::Malformed { .. }));
        assert!(matches!(parse_year("12026").unwrap_err().kind, InvalidKind::OutOfRange { .. }));
        assert!(matches!(parse_year("").unwrap_err().kind, InvalidKind::Empty));
    }

    #[test]
    fn the_year_overview_counts_by_topic_and_outcome_and_the_share_in_time() {
        let line = |topic: Option<&str>, result: Option<CaseResult>, timeliness, measures: Option<&str>| RegisterLine {
            topic: topic.map(str::to_string),
            closed: result.is_some(),
            result,
            timeliness,
            measures: measures.map(str::to_string),
        };
        let lines = [
            line(Some("Wegen"), Some(CaseResult::Gegrond), Timeliness::InTime, Some("Bermen vaker maaien")),
            line(Some("Wegen"), Some(CaseResult::Ongegrond), Timeliness::Late, None),
            line(Some("Belastingen"), Some(CaseResult::DeelsGegrond), Timeliness::InTime, None),
            line(None, None, Timeliness::Pending, None),
            line(Some("Belastingen"), None, Timeliness::Late, None),
            RegisterLine { closed: true, ..line(None, None, Timeliness::InTime, None) },
            RegisterLine { closed: false, ..line(None, Some(CaseResult::Gegrond), Timeliness::Pending, None) },
        ];
        let o = year_overview(2026, &lines);
        let topics: Vec<&str> = o.by_topic.iter().map(|r| r.topic.as_str()).collect();
        assert_eq!(topics, vec!["Belastingen", "Wegen", NO_TOPIC]);
        assert_eq!((o.by_topic[1].received, o.by_topic[1].gegrond, o.by_topic[1].ongegrond), (2, 1, 1));
        assert_eq!((o.total.received, o.total.open, o.total.deels_gegrond), (7, 3, 1), "reopened counts as open");
        assert_eq!((o.total.gegrond, o.total.without_result), (1, 1));
        assert_eq!((o.judged, o.in_time), (5, 3), "a pending klacht is not judged; an open late one is");
        assert_eq!(o.in_time_percent, Some(60.0));
        assert_eq!(o.measures, vec![Measure { topic: "Wegen".into(), text: "Bermen vaker maaien".into() }]);
        assert_eq!(year_overview(2026, &[]).in_time_percent, None);
    }
}
