//! Service norms (servicenormen) and the deadlines they give a case.
//!
//! Case-type timing follows the ZGW Catalogi model: `doorlooptijd` (the legal lead time),
//! `servicenorm` (the organisation's own, shorter promise), `opschortingEnAanhoudingMogelijk`,
//! `verlengingMogelijk` and `verlengingstermijn`. Unlike Open Zaak, Gastvrij recomputes the
//! deadlines when a case is suspended, resumed or extended ([`deadlines`]).

use crate::calendar::{Calendar, CalendarError, Term};
use crate::case::CaseType;
use crate::channel::Channel;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// The five norm categories of the seed (Delfland).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NormCategory {
    /// Reachability: phone answered, e-mail acknowledged.
    Bereikbaarheid,
    /// Written acknowledgement of receipt and the handling term.
    Ontvangstbevestiging,
    /// The term for a substantive answer or decision.
    InhoudelijkeReactie,
    /// Information available: website uptime, articles reviewed in time.
    BeschikbaarheidInformatie,
    /// Hospitality: satisfaction grade and questions solved.
    Gastvrijheid,
}

/// Timing of one case type (ZGW Catalogi `ZaakType`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CaseTypeNorm {
    pub case_type: CaseType,
    /// Written acknowledgement of receipt (ontvangstbevestiging), if promised.
    #[schema(value_type = Option<Object>)]
    pub acknowledgement: Option<Term>,
    /// The organisation's own promise (servicenorm).
    #[schema(value_type = Object)]
    pub service_norm: Term,
    /// The legal lead time (doorlooptijd), if the law sets one.
    #[schema(value_type = Option<Object>)]
    pub lead_time: Option<Term>,
    /// A variant for urgent cases (danger: "binnen 24 uur", day and night).
    #[schema(value_type = Option<Object>)]
    pub urgent: Option<Term>,
    pub suspension_allowed: bool,
    pub extension_allowed: bool,
    /// How long one extension adds (verlengingstermijn).
    #[schema(value_type = Option<Object>)]
    pub extension_term: Option<Term>,
    /// The calendar the terms count on.
    pub calendar: String,
    /// Where the legal term comes from, for people.
    pub basis: String,
}

/// A reachability norm per channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ChannelNorm {
    pub channel: Channel,
    /// Phone: answered within this many seconds during office hours.
    pub answer_within_seconds: Option<u32>,
    /// Written channels: acknowledged within this term.
    #[schema(value_type = Option<Object>)]
    pub acknowledge_within: Option<Term>,
    /// The share (in percent) of contacts that must meet the norm.
    pub target_percent: u8,
}

/// A whole norm set: per case type and per channel, plus the outside measures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NormSet {
    pub case_types: Vec<CaseTypeNorm>,
    pub channels: Vec<ChannelNorm>,
    /// The share (in percent) of cases that must meet their deadlines.
    pub case_target_percent: u8,
    /// Public pages available at least this share of the time (percent).
    pub availability_percent: f64,
    /// Average satisfaction grade at least this.
    pub satisfaction_grade: f64,
    /// At least this share (percent) of customers say their question was solved.
    pub solved_percent: f64,
    /// At least this share (percent) of public answer searches end on an answer marked
    /// "geholpen" (category 4, beschikbaarheid informatie).
    #[serde(default = "default_search_helped_percent")]
    pub search_helped_percent: f64,
    /// A consultation of the back office (ruggespraak: a KCC agent asks a specialist while the
    /// customer waits or is called back) must be answered within this term, counted on the
    /// termijnenwet calendar from the moment it was asked (category 2, reactietijd).
    #[serde(default = "default_consultation_answer_within")]
    #[schema(value_type = Object)]
    pub consultation_answer_within: Term,
    /// The share (in percent) of consultations that must be answered within that term.
    #[serde(default = "default_consultation_target_percent")]
    pub consultation_target_percent: u8,
}

fn default_search_helped_percent() -> f64 {
    80.0
}

fn default_consultation_answer_within() -> Term {
    Term::WorkingDays(1)
}

fn default_consultation_target_percent() -> u8 {
    90
}

impl NormSet {
    pub fn for_case_type(&self, t: CaseType) -> Option<&CaseTypeNorm> {
        self.case_types.iter().find(|n| n.case_type == t)
    }

    /// The documented default for a water board (docs/norms.md), in the seed's five categories.
    pub fn water_board_default() -> NormSet {
        let cal = || "termijnenwet".to_string();
        let norm = |case_type, acknowledgement, service_norm, lead_time, extension_term: Option<Term>, basis: &str| {
            CaseTypeNorm {
                case_type,
                acknowledgement,
                service_norm,
                lead_time,
                urgent: None,
                suspension_allowed: true,
                extension_allowed: extension_term.is_some(),
                extension_term,
                calendar: cal(),
                basis: basis.into(),
            }
        };
        let mut melding = norm(
            CaseType::Melding,
            None,
            Term::WorkingDays(3),
            None,
            None,
            "eigen servicenorm: terugkoppeling binnen 3 werkdagen; bij gevaar actie binnen 24 uur",
        );
        melding.urgent = Some(Term::ClockHours(24));
        NormSet {
            case_types: vec![
                norm(
                    CaseType::Vraag,
                    Some(Term::WorkingDays(1)),
                    Term::WorkingDays(5),
                    None,
                    None,
                    "eigen servicenorm",
                ),
                melding,
                norm(
                    CaseType::Klacht,
                    Some(Term::WorkingDays(3)),
                    Term::Weeks(6),
                    Some(Term::Weeks(6)),
                    Some(Term::Weeks(4)),
                    "Awb 9:6 (ontvangstbevestiging) en 9:11 (6 weken, eenmaal verdagen met ten hoogste 4 weken)",
                ),
                norm(
                    CaseType::Verzoek,
                    Some(Term::WorkingDays(3)),
                    Term::Weeks(4),
                    Some(Term::Weeks(8)),
                    None,
                    "Awb 4:13 (redelijke termijn, ten hoogste 8 weken)",
                ),
                norm(
                    CaseType::Vergunningaanvraag,
                    Some(Term::WorkingDays(3)),
                    Term::Weeks(8),
                    Some(Term::Weeks(8)),
                    Some(Term::Weeks(6)),
                    "Omgevingswet: 8 weken, eenmaal verlengen met 6 weken",
                ),
                norm(
                    CaseType::Bezwaar,
                    Some(Term::WorkingDays(3)),
                    Term::Weeks(6),
                    Some(Term::Weeks(6)),
                    Some(Term::Weeks(6)),
                    "Awb 7:10 (6 weken, 12 met adviescommissie; verdagen met ten hoogste 6 weken)",
                ),
            ],
            channels: vec![
                ChannelNorm {
                    channel: Channel::Telefoon,
                    answer_within_seconds: Some(25),
                    acknowledge_within: None,
                    target_percent: 80,
                },
                ChannelNorm {
                    channel: Channel::Email,
                    answer_within_seconds: None,
                    acknowledge_within: Some(Term::WorkingDays(1)),
                    target_percent: 90,
                },
                ChannelNorm {
                    channel: Channel::Webformulier,
                    answer_within_seconds: None,
                    acknowledge_within: Some(Term::WorkingDays(1)),
                    target_percent: 90,
                },
                ChannelNorm {
                    channel: Channel::Brief,
                    answer_within_seconds: None,
                    acknowledge_within: Some(Term::WorkingDays(3)),
                    target_percent: 90,
                },
            ],
            case_target_percent: 90,
            availability_percent: 99.5,
            satisfaction_grade: 7.5,
            solved_percent: 80.0,
            search_helped_percent: default_search_helped_percent(),
            consultation_answer_within: default_consultation_answer_within(),
            consultation_target_percent: default_consultation_target_percent(),
        }
    }

    /// The moment a consultation asked at `asked_at` is late: the consultation term
    /// ([`NormSet::consultation_answer_within`]) counted on `calendar` from the moment asked. A
    /// day-based term ends at 00:00 of the day after its due date ("1 werkdag": asked on a
    /// Friday, answered on Monday is on time).
    pub fn consultation_deadline(&self, calendar: &Calendar, asked_at: Timestamp) -> Result<Timestamp, CalendarError> {
        self.consultation_answer_within.deadline_after(calendar, asked_at)
    }
}

/// What happened to a case that moves its deadlines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimingEvent {
    /// Suspended (opschorting), e.g. waiting for the customer.
    Suspended {
        #[schema(value_type = String, format = DateTime)]
        at: Timestamp,
    },
    /// Resumed after a suspension.
    Resumed {
        #[schema(value_type = String, format = DateTime)]
        at: Timestamp,
    },
    /// Extended once (verlenging).
    Extended {
        #[schema(value_type = String, format = DateTime)]
        at: Timestamp,
    },
}

/// The deadlines of a case: the first moment each is late.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Deadlines {
    #[schema(value_type = Option<String>, format = DateTime)]
    pub acknowledgement: Option<Timestamp>,
    #[schema(value_type = String, format = DateTime)]
    pub service_norm: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub legal: Option<Timestamp>,
}

/// Why a timing event was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TimingError {
    #[error("this case type allows no suspension")]
    SuspensionNotAllowed,
    #[error("this case type allows no extension")]
    ExtensionNotAllowed,
    #[error("the case was already extended once; the law allows one extension")]
    AlreadyExtended,
    #[error("the case is already suspended")]
    AlreadySuspended,
    #[error("the case is not suspended")]
    NotSuspended,
    #[error("events must be in time order")]
    OutOfOrder,
    #[error(transparent)]
    Calendar(#[from] CalendarError),
}

/// Compute the deadlines of a case received at `received`, after the timing `events` (in
/// order). Suspended time moves each deadline: day-based terms by the paused working days,
/// business-hour terms by the paused office time, clock-hour terms by the paused real time. An
/// extension adds the extension term once to the legal and service-norm deadlines.
pub fn deadlines(
    norm: &CaseTypeNorm,
    calendar: &Calendar,
    received: Timestamp,
    urgent: bool,
    events: &[TimingEvent],
) -> Result<Deadlines, TimingError> {
    let service_term = if urgent { norm.urgent.unwrap_or(norm.service_norm) } else { norm.service_norm };
    let mut acknowledgement = norm.acknowledgement.map(|t| t.deadline_after(calendar, received)).transpose()?;
    let mut service = (service_term, service_term.deadline_after(calendar, received)?);
    let mut legal = norm.lead_time.map(|t| t.deadline_after(calendar, received).map(|d| (t, d))).transpose()?;

    let mut suspended_since: Option<Timestamp> = None;
    let mut extended = false;
    let mut last = received;
    for event in events {
        let at = match event {
            TimingEvent::Suspended { at } | TimingEvent::Resumed { at } | TimingEvent::Extended { at } => *at,
        };
        if at < last {
            return Err(TimingError::OutOfOrder);
        }
        last = at;
        match event {
            TimingEvent::Suspended { .. } => {
                if !norm.suspension_allowed {
                    return Err(TimingError::SuspensionNotAllowed);
                }
                if suspended_since.is_some() {
                    return Err(TimingError::AlreadySuspended);
                }
                suspended_since = Some(at);
            }
            TimingEvent::Resumed { .. } => {
                let from = suspended_since.take().ok_or(TimingError::NotSuspended)?;
                let shift =
                    |(term, due): (Term, Timestamp)| shift_by_pause(calendar, term, due, from, at).map(|d| (term, d));
                service = shift(service)?;
                legal = legal.map(shift).transpose()?;
                acknowledgement = acknowledgement
                    .map(|d| {
                        shift_by_pause(calendar, norm.acknowledgement.unwrap_or(Term::WorkingDays(0)), d, from, at)
                    })
                    .transpose()?;
            }
            TimingEvent::Extended { .. } => {
                if !norm.extension_allowed {
                    return Err(TimingError::ExtensionNotAllowed);
                }
                if extended {
                    return Err(TimingError::AlreadyExtended);
                }
                let term = norm.extension_term.ok_or(TimingError::ExtensionNotAllowed)?;
                extended = true;
                let extend = |(t, due): (Term, Timestamp)| extend_by(calendar, term, due).map(|d| (t, d));
                legal = legal.map(extend).transpose()?;
                service = extend(service)?;
            }
        }
    }
    // A case still suspended now has deadlines that keep moving; callers show "opgeschort".
    Ok(Deadlines { acknowledgement, service_norm: service.1, legal: legal.map(|l| l.1) })
}

/// Move `due` by the working time paused between `from` and `to`.
fn shift_by_pause(
    calendar: &Calendar,
    term: Term,
    due: Timestamp,
    from: Timestamp,
    to: Timestamp,
) -> Result<Timestamp, CalendarError> {
    if from >= due {
        // A pause after the deadline cannot save it.
        return Ok(due);
    }
    match term {
        Term::ClockHours(_) => Ok(due.checked_add(to.duration_since(from)).unwrap_or(due)),
        Term::BusinessHours(_) => {
            let paused = calendar.working_time_between(from, to)?;
            calendar.add_business_time(due, paused)
        }
        _ => {
            // Day-based: the deadline is 00:00 of the day after the due date; move the due date
            // by the working days the pause covered (the day it started counts, the day it
            // ended does not).
            let paused = calendar.working_days_between(calendar.date_of(from), calendar.date_of(to))?.max(0);
            let last_due = calendar.date_of(due.checked_sub(SignedDuration::from_secs(1)).unwrap_or(due));
            let moved = calendar.add_working_days(last_due, u32::try_from(paused).unwrap_or(u32::MAX))?;
            let next = moved.tomorrow().map_err(|e| CalendarError::out_of_range(e.to_string()))?;
            calendar.start_of_day(next)
        }
    }
}

/// Add an extension term to a deadline: the term counted from the old due date.
fn extend_by(calendar: &Calendar, term: Term, due: Timestamp) -> Result<Timestamp, CalendarError> {
    if term.is_day_based() {
        let last_due = calendar.date_of(due.checked_sub(SignedDuration::from_secs(1)).unwrap_or(due));
        let start = calendar.start_of_day(last_due)?;
        term.deadline_after(calendar, start)
    } else {
        term.deadline_after(calendar, due)
    }
}

/// Compliance state of one deadline at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Compliance {
    /// Done before the deadline.
    WithinNorm,
    /// Done after the deadline, or still open past it.
    Late,
    /// Open, deadline not reached, outside the risk horizon.
    Open,
    /// Open, deadline within the risk horizon.
    AtRisk,
}

/// Classify a deadline: `done` is when the work was completed (if it was).
pub fn classify(deadline: Timestamp, done: Option<Timestamp>, now: Timestamp, horizon: SignedDuration) -> Compliance {
    match done {
        Some(d) if d < deadline => Compliance::WithinNorm,
        Some(_) => Compliance::Late,
        None if now >= deadline => Compliance::Late,
        None if deadline.duration_since(now) <= horizon => Compliance::AtRisk,
        None => Compliance::Open,
    }
}

/// Compliance state of a case's deadline at `now`, where a suspended case's clock stands still:
/// while it is suspended (`suspended_since`) it is judged as at the moment it was suspended, so
/// it is late only when the deadline had passed before the suspension (a pause after the deadline
/// cannot save it, see [`deadlines`]) and never "at risk". Every screen and report of open cases
/// decides lateness through this rule (the store's SQL follows it for the roll-ups).
pub fn classify_case(
    deadline: Timestamp,
    done: Option<Timestamp>,
    suspended_since: Option<Timestamp>,
    now: Timestamp,
    horizon: SignedDuration,
) -> Compliance {
    match (done, suspended_since) {
        (None, Some(since)) if since >= deadline => Compliance::Late,
        (None, Some(_)) => Compliance::Open,
        _ => classify(deadline, done, now, horizon),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_suspended_case_is_judged_as_at_its_suspension() {
        let deadline = at("2026-04-14T00:00:00+02:00");
        let h = SignedDuration::from_hours(48);
        let long_after = at("2026-05-01T00:00:00+02:00");
        let before = Some(at("2026-04-08T10:00:00+02:00"));
        assert_eq!(classify_case(deadline, None, before, long_after, h), Compliance::Open, "never late while paused");
        assert_eq!(classify_case(deadline, None, before, deadline, h), Compliance::Open, "nor at risk");
        let after = Some(at("2026-04-15T10:00:00+02:00"));
        assert_eq!(classify_case(deadline, None, after, long_after, h), Compliance::Late, "was late already");
        assert_eq!(classify_case(deadline, None, None, long_after, h), Compliance::Late);
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn norm(t: CaseType) -> CaseTypeNorm {
        NormSet::water_board_default().for_case_type(t).unwrap().clone()
    }

    fn cal() -> Calendar {
        Calendar::termijnenwet()
    }

    #[test]
    fn a_question_counts_working_days_past_easter() {
        let d = deadlines(&norm(CaseType::Vraag), &cal(), at("2026-04-02T10:00:00+02:00"), false, &[]).unwrap();
        // Goede Vrijdag 3 April and tweede Paasdag 6 April do not count: due Monday 13 April.
        assert_eq!(d.service_norm, at("2026-04-14T00:00:00+02:00"));
        assert_eq!(d.acknowledgement, Some(at("2026-04-08T00:00:00+02:00")));
        assert_eq!(d.legal, None);
    }

    #[test]
    fn a_consultation_is_answered_within_one_working_day_past_easter() {
        let norms = NormSet::water_board_default();
        let deadline = norms.consultation_deadline(&cal(), at("2026-04-02T10:00:00+02:00")).unwrap();
        // Asked Thursday 2 April; Goede Vrijdag and tweede Paasdag do not count: due Tuesday 7 April.
        assert_eq!(deadline, at("2026-04-08T00:00:00+02:00"));
        // Judged as a case's deadline is ([`classify`]).
        let (now, h) = (at("2026-04-20T12:00:00+02:00"), SignedDuration::ZERO);
        let just_before = Some(at("2026-04-07T23:59:59+02:00"));
        assert_eq!(classify(deadline, just_before, now, h), Compliance::WithinNorm);
        assert_eq!(classify(deadline, Some(deadline), now, h), Compliance::Late, "at the deadline: late");
        assert_eq!(classify(deadline, None, now, h), Compliance::Late, "open past it: not within");
        assert_eq!(classify(deadline, None, at("2026-04-07T12:00:00+02:00"), h), Compliance::Open, "not judged yet");

        let hours = NormSet { consultation_answer_within: Term::BusinessHours(4), ..norms };
        let d = hours.consultation_deadline(&cal(), at("2026-04-02T10:00:00+02:00")).unwrap();
        assert!(d > at("2026-04-02T10:00:00+02:00") && d < at("2026-04-03T00:00:00+02:00"), "{d}");
    }

    #[test]
    fn an_old_norm_set_without_a_consultation_term_gets_the_default() {
        let mut json = serde_json::to_value(NormSet::water_board_default()).unwrap();
        let o = json.as_object_mut().unwrap();
        o.remove("consultation_answer_within");
        o.remove("consultation_target_percent");
        let old: NormSet = serde_json::from_value(json).unwrap();
        assert_eq!(old.consultation_answer_within, Term::WorkingDays(1));
        assert_eq!(old.consultation_target_percent, 90);
    }

    #[test]
    fn a_complaint_term_ending_on_ascension_day_moves_to_the_next_day() {
        let d = deadlines(&norm(CaseType::Klacht), &cal(), at("2026-04-02T10:00:00+02:00"), false, &[]).unwrap();
        // 6 weeks after 2 April is Thursday 14 May 2026, Hemelvaartsdag: the term ends Friday 15 May.
        assert_eq!(d.legal, Some(at("2026-05-16T00:00:00+02:00")));
    }

    #[test]
    fn suspension_moves_the_deadlines_by_the_paused_working_days() {
        let events = [
            TimingEvent::Suspended { at: at("2026-04-13T09:00:00+02:00") },
            TimingEvent::Resumed { at: at("2026-04-20T09:00:00+02:00") },
        ];
        let d = deadlines(&norm(CaseType::Klacht), &cal(), at("2026-04-02T10:00:00+02:00"), false, &events).unwrap();
        // Five working days paused (13–17 April): 15 May becomes 22 May.
        assert_eq!(d.legal, Some(at("2026-05-23T00:00:00+02:00")));
        assert_eq!(d.service_norm, at("2026-05-23T00:00:00+02:00"));
    }

    #[test]
    fn an_extension_adds_its_term_once_and_a_second_is_refused() {
        let received = at("2026-04-02T10:00:00+02:00");
        let once = [TimingEvent::Extended { at: at("2026-05-01T12:00:00+02:00") }];
        let d = deadlines(&norm(CaseType::Klacht), &cal(), received, false, &once).unwrap();
        // 15 May + 4 weeks = Friday 12 June.
        assert_eq!(d.legal, Some(at("2026-06-13T00:00:00+02:00")));
        let twice = [once[0].clone(), TimingEvent::Extended { at: at("2026-05-02T12:00:00+02:00") }];
        assert_eq!(
            deadlines(&norm(CaseType::Klacht), &cal(), received, false, &twice),
            Err(TimingError::AlreadyExtended)
        );
        let melding = deadlines(&norm(CaseType::Melding), &cal(), received, false, &once);
        assert_eq!(melding, Err(TimingError::ExtensionNotAllowed));
    }

    #[test]
    fn an_urgent_report_gets_24_hours_around_the_clock() {
        let d = deadlines(&norm(CaseType::Melding), &cal(), at("2026-10-24T22:00:00+02:00"), true, &[]).unwrap();
        // Across the end of summer time: exactly 24 real hours.
        assert_eq!(d.service_norm, at("2026-10-25T22:00:00+02:00"));
    }

    #[test]
    fn resuming_without_suspension_is_refused() {
        let events = [TimingEvent::Resumed { at: at("2026-04-20T09:00:00+02:00") }];
        assert_eq!(
            deadlines(&norm(CaseType::Vraag), &cal(), at("2026-04-02T10:00:00+02:00"), false, &events),
            Err(TimingError::NotSuspended)
        );
    }

    #[test]
    fn classification_against_a_risk_horizon() {
        let deadline = at("2026-04-14T00:00:00+02:00");
        let h = SignedDuration::from_hours(48);
        assert_eq!(classify(deadline, Some(at("2026-04-13T16:00:00+02:00")), deadline, h), Compliance::WithinNorm);
        assert_eq!(classify(deadline, Some(deadline), deadline, h), Compliance::Late);
        assert_eq!(classify(deadline, None, at("2026-04-13T00:00:00+02:00"), h), Compliance::AtRisk);
        assert_eq!(classify(deadline, None, at("2026-04-08T00:00:00+02:00"), h), Compliance::Open);
        assert_eq!(classify(deadline, None, deadline, h), Compliance::Late);
    }
}
