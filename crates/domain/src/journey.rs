//! Customer journeys (klantreizen, issue 15): per segment and process, the ordered touchpoints
//! a customer passes, each with what the customer expects there, flags (moment of truth,
//! moetje, peak moment) and the topics, channels and case statuses that belong to it.
//!
//! What lives here is pure: checking a journey and its touchpoints, moving touchpoints, and the
//! rules that say where a touchpoint hurts on the journey map (`docs/journeys.md`).

use crate::case::CaseStatus;
use crate::channel::Channel;
use crate::customer::Segment;
use crate::ids::{JourneyId, TopicId};
use crate::{Invalid, InvalidKind, text};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// The longest name of a journey or touchpoint, and of the process, in characters.
pub const NAME_MAX: usize = 200;
/// The longest expectation, in characters.
pub const EXPECTATION_MAX: usize = 1000;
/// The most touchpoints one journey has.
pub const MAX_TOUCHPOINTS: usize = 30;
/// A figure is judged against its target only from this many measurements on (fewer say too
/// little to call a touchpoint painful).
pub const MIN_MEASUREMENTS: u64 = 5;
/// The waiting time (median from receipt to the first action on a case) above which a
/// touchpoint hurts, in hours: two days.
pub const WAIT_TARGET_HOURS: f64 = 48.0;

/// One step of a journey as the customer experiences it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Touchpoint {
    pub name: String,
    /// What the customer expects at this step, in their words.
    pub expectation: String,
    /// The step that makes or breaks the customer's trust.
    pub moment_of_truth: bool,
    /// A step the customer must take but gains nothing from (a "moetje").
    pub moetje: bool,
    /// A step the customer remembers as a high point.
    pub peak: bool,
    pub topics: Vec<TopicId>,
    pub channels: Vec<Channel>,
    pub statuses: Vec<CaseStatus>,
}

/// A touchpoint as typed in a form or sent to the API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TouchpointInput {
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub expectation: String,
    #[serde(default)]
    pub moment_of_truth: bool,
    #[serde(default)]
    pub moetje: bool,
    #[serde(default)]
    pub peak: bool,
    #[serde(default)]
    pub topics: Vec<TopicId>,
    #[serde(default)]
    pub channels: Vec<Channel>,
    #[serde(default)]
    pub statuses: Vec<CaseStatus>,
}

impl Touchpoint {
    /// Checks a touchpoint: a name, an expectation, not both moetje and peak moment, and at
    /// least one topic, channel or case status (else nothing can be measured). Repeated links
    /// are kept once, in a fixed order.
    pub fn parse(input: TouchpointInput) -> Result<Touchpoint, Invalid> {
        let name = text::required("name", &input.name, NAME_MAX)?;
        let expectation = text::required("expectation", &input.expectation, EXPECTATION_MAX)?;
        if input.moetje && input.peak {
            return Err(Invalid::new("peak", InvalidKind::Mismatch { with: "moetje", expected: None }));
        }
        if input.topics.is_empty() && input.channels.is_empty() && input.statuses.is_empty() {
            return Err(Invalid::new("topics", InvalidKind::Empty));
        }
        let mut topics = input.topics;
        topics.sort();
        topics.dedup();
        let channels = Channel::ALL.into_iter().filter(|c| input.channels.contains(c)).collect();
        let statuses = CaseStatus::ALL.into_iter().filter(|s| input.statuses.contains(s)).collect();
        Ok(Touchpoint {
            name,
            expectation,
            moment_of_truth: input.moment_of_truth,
            moetje: input.moetje,
            peak: input.peak,
            topics,
            channels,
            statuses,
        })
    }
}

/// A customer journey as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Journey {
    pub id: JourneyId,
    pub name: String,
    pub segment: Segment,
    /// The process the journey follows, e.g. "watervergunning".
    pub process: String,
    /// In the order the customer passes them.
    pub touchpoints: Vec<Touchpoint>,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

/// The editable head of a journey.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct JourneyInput {
    #[serde(default)]
    pub name: String,
    pub segment: Option<Segment>,
    #[serde(default)]
    pub process: String,
}

/// Where a touchpoint moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// One place earlier.
    Up,
    /// One place later.
    Down,
}

impl Journey {
    /// A new journey without touchpoints.
    pub fn create(id: JourneyId, input: JourneyInput, now: Timestamp) -> Result<Journey, Invalid> {
        let mut journey = Journey {
            id,
            name: String::new(),
            segment: Segment::Inwoner,
            process: String::new(),
            touchpoints: vec![],
            created_at: now,
            updated_at: now,
        };
        journey.apply(input, now)?;
        Ok(journey)
    }

    /// Change name, segment and process; the journey is unchanged when one is wrong.
    pub fn apply(&mut self, input: JourneyInput, now: Timestamp) -> Result<(), Invalid> {
        let name = text::required("name", &input.name, NAME_MAX)?;
        let segment = input.segment.ok_or_else(|| Invalid::empty("segment"))?;
        let process = text::required("process", &input.process, NAME_MAX)?;
        (self.name, self.segment, self.process, self.updated_at) = (name, segment, process, now);
        Ok(())
    }

    /// Add a touchpoint at the end.
    pub fn add(&mut self, input: TouchpointInput, now: Timestamp) -> Result<(), Invalid> {
        if self.touchpoints.len() >= MAX_TOUCHPOINTS {
            return Err(Invalid::new("touchpoints", InvalidKind::TooMany { max: MAX_TOUCHPOINTS }));
        }
        let t = Touchpoint::parse(input)?;
        self.check_unique(&t.name, None)?;
        self.touchpoints.push(t);
        self.updated_at = now;
        Ok(())
    }

    /// Replace the touchpoint at `index` (zero-based).
    pub fn replace(&mut self, index: usize, input: TouchpointInput, now: Timestamp) -> Result<(), Invalid> {
        self.check_index(index)?;
        let t = Touchpoint::parse(input).map_err(|e| e.in_item("touchpoints", index))?;
        self.check_unique(&t.name, Some(index))?;
        self.touchpoints[index] = t;
        self.updated_at = now;
        Ok(())
    }

    /// Move the touchpoint at `index` one place; the first cannot go up nor the last down.
    pub fn move_touchpoint(&mut self, index: usize, direction: Move, now: Timestamp) -> Result<(), Invalid> {
        self.check_index(index)?;
        let other = match direction {
            Move::Up => index.checked_sub(1),
            Move::Down => Some(index + 1).filter(|i| *i < self.touchpoints.len()),
        };
        let Some(other) = other else {
            let max = i64::try_from(self.touchpoints.len()).unwrap_or(i64::MAX) - 1;
            return Err(Invalid::new("position", InvalidKind::OutOfRange { min: 0, max: Some(max) }));
        };
        self.touchpoints.swap(index, other);
        self.updated_at = now;
        Ok(())
    }

    /// Remove the touchpoint at `index`.
    pub fn remove(&mut self, index: usize, now: Timestamp) -> Result<Touchpoint, Invalid> {
        self.check_index(index)?;
        self.updated_at = now;
        Ok(self.touchpoints.remove(index))
    }

    fn check_index(&self, index: usize) -> Result<(), Invalid> {
        if index >= self.touchpoints.len() {
            let max = i64::try_from(self.touchpoints.len()).unwrap_or(i64::MAX) - 1;
            return Err(Invalid::new("position", InvalidKind::OutOfRange { min: 0, max: Some(max.max(0)) }));
        }
        Ok(())
    }

    /// Two touchpoints of one journey never share a name (compared without case).
    fn check_unique(&self, name: &str, except: Option<usize>) -> Result<(), Invalid> {
        let folded = text::fold(name);
        let taken =
            self.touchpoints.iter().enumerate().any(|(i, t)| Some(i) != except && text::fold(&t.name) == folded);
        if taken { Err(Invalid::new("name", InvalidKind::Duplicate)) } else { Ok(()) }
    }
}

/// What was measured for one touchpoint in a period (see `docs/journeys.md`).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, utoipa::ToSchema)]
pub struct Measured {
    /// Contacts started in the period on the touchpoint's channels about its topics.
    pub contacts: u64,
    /// Cases received in the period with its topics, channels and (current) statuses.
    pub cases: u64,
    /// Survey answers given in the period about cases of the touchpoint, and their grade sum.
    pub survey_answers: u64,
    pub grade_sum: u64,
    /// Norm measurements of the touchpoint's cases: within norm and late.
    pub within_norm: u64,
    pub late: u64,
    /// Cases picked up, and the median hours from receipt to the first action on them.
    pub waits: u64,
    pub median_wait_hours: Option<f64>,
}

/// What the map judges the figures against.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Targets {
    /// The average satisfaction grade at least this (the gastvrijheid norm).
    pub satisfaction_grade: f64,
    /// At least this share within norm, in percent (the norm set's case target).
    pub percent_within: f64,
    /// The median waiting time at most this, in hours.
    pub wait_hours: f64,
}

/// Where a touchpoint hurts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Pain {
    /// The average grade is below the satisfaction target.
    LowSatisfaction,
    /// The share within norm is below the target.
    BelowNorm,
    /// The median waiting time is above the target.
    LongWait,
}

impl Pain {
    /// The name in the API and the CSV.
    pub fn code(self) -> &'static str {
        match self {
            Pain::LowSatisfaction => "low_satisfaction",
            Pain::BelowNorm => "below_norm",
            Pain::LongWait => "long_wait",
        }
    }

    /// What the map says, in Dutch, beside the colour.
    pub fn dutch(self) -> &'static str {
        match self {
            Pain::LowSatisfaction => "Klanten zijn hier minder tevreden dan de norm",
            Pain::BelowNorm => "Te weinig zaken op tijd",
            Pain::LongWait => "Klanten wachten hier te lang",
        }
    }
}

/// The figures of a touchpoint as the map shows them, with its pains.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TouchpointFigures {
    pub contacts: u64,
    pub cases: u64,
    pub survey_answers: u64,
    /// Average grade (1–10), one decimal; `None` without answers.
    pub satisfaction: Option<f64>,
    /// Measurements within norm plus late.
    pub norm_measurements: u64,
    /// Share within norm in percent, one decimal; `None` without measurements.
    pub percent_within: Option<f64>,
    pub waits: u64,
    /// Median hours to the first action, one decimal; `None` without picked-up cases.
    pub median_wait_hours: Option<f64>,
    /// Where it hurts; judged only from [`MIN_MEASUREMENTS`] measurements of a figure on.
    pub pains: Vec<Pain>,
    /// A moment of truth whose satisfaction or share within norm is below target.
    pub moment_of_truth_below_target: bool,
}

impl Measured {
    /// The figures and where the touchpoint hurts. A figure hurts when it has at least
    /// [`MIN_MEASUREMENTS`] measurements and misses its target: grade below the satisfaction
    /// target, share within norm below the target, median wait above the target.
    pub fn judge(&self, touchpoint: &Touchpoint, targets: &Targets) -> TouchpointFigures {
        let satisfaction =
            (self.survey_answers > 0).then(|| round1(self.grade_sum as f64 / self.survey_answers as f64));
        let norm_measurements = self.within_norm + self.late;
        let percent_within =
            (norm_measurements > 0).then(|| round1(self.within_norm as f64 * 100.0 / norm_measurements as f64));
        let median_wait_hours = self.median_wait_hours.map(round1);
        let enough = |n: u64| n >= MIN_MEASUREMENTS;
        let mut pains = vec![];
        if enough(self.survey_answers) && satisfaction.is_some_and(|g| g < targets.satisfaction_grade) {
            pains.push(Pain::LowSatisfaction);
        }
        if enough(norm_measurements) && percent_within.is_some_and(|p| p < targets.percent_within) {
            pains.push(Pain::BelowNorm);
        }
        if enough(self.waits) && median_wait_hours.is_some_and(|h| h > targets.wait_hours) {
            pains.push(Pain::LongWait);
        }
        let moment_of_truth_below_target =
            touchpoint.moment_of_truth && pains.iter().any(|p| matches!(p, Pain::LowSatisfaction | Pain::BelowNorm));
        TouchpointFigures {
            contacts: self.contacts,
            cases: self.cases,
            survey_answers: self.survey_answers,
            satisfaction,
            norm_measurements,
            percent_within,
            waits: self.waits,
            median_wait_hours,
            pains,
            moment_of_truth_below_target,
        }
    }
}

/// The median of `values` (sorted or not); the mean of the middle two for an even count.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) { (values[mid - 1] + values[mid]) / 2.0 } else { values[mid] })
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        "2026-03-02T09:00:00Z".parse().unwrap()
    }

    fn tp(name: &str) -> TouchpointInput {
        TouchpointInput {
            name: name.into(),
            expectation: "Ik weet wat ik moet doen".into(),
            channels: vec![Channel::Telefoon],
            ..Default::default()
        }
    }

    fn journey() -> Journey {
        let input = JourneyInput {
            name: " Inwoner meldt wateroverlast ".into(),
            segment: Some(Segment::Inwoner),
            process: "Melding".into(),
        };
        let mut j = Journey::create(JourneyId::new(), input, now()).unwrap();
        for n in ["Melden", "Bevestiging", "Oplossing"] {
            j.add(tp(n), now()).unwrap();
        }
        j
    }

    fn names(j: &Journey) -> Vec<&str> {
        j.touchpoints.iter().map(|t| t.name.as_str()).collect()
    }

    #[test]
    fn a_journey_needs_a_name_a_segment_and_a_process() {
        assert_eq!(journey().name, "Inwoner meldt wateroverlast");
        let no_segment = JourneyInput { name: "x".into(), segment: None, process: "p".into() };
        assert_eq!(Journey::create(JourneyId::new(), no_segment, now()).unwrap_err().field, "segment");
        let no_name = JourneyInput { name: "  ".into(), segment: Some(Segment::Bedrijf), process: "p".into() };
        assert_eq!(Journey::create(JourneyId::new(), no_name, now()).unwrap_err().field, "name");
        let mut j = journey();
        let long = JourneyInput { name: "a".into(), segment: Some(Segment::Bedrijf), process: "p".repeat(201) };
        assert_eq!(j.apply(long, now()).unwrap_err().field, "process");
        assert_eq!(j.segment, Segment::Inwoner, "unchanged after a refused change");
    }

    #[test]
    fn touchpoints_keep_their_order_and_move_one_place() {
        let mut j = journey();
        assert_eq!(names(&j), ["Melden", "Bevestiging", "Oplossing"]);
        j.move_touchpoint(2, Move::Up, now()).unwrap();
        assert_eq!(names(&j), ["Melden", "Oplossing", "Bevestiging"]);
        j.move_touchpoint(0, Move::Down, now()).unwrap();
        assert_eq!(names(&j), ["Oplossing", "Melden", "Bevestiging"]);
        assert_eq!(j.move_touchpoint(0, Move::Up, now()).unwrap_err().field, "position");
        assert_eq!(j.move_touchpoint(2, Move::Down, now()).unwrap_err().field, "position");
        assert_eq!(j.move_touchpoint(3, Move::Up, now()).unwrap_err().field, "position");
        assert_eq!(j.remove(1, now()).unwrap().name, "Melden");
        assert_eq!(names(&j), ["Oplossing", "Bevestiging"]);
        assert!(j.remove(2, now()).is_err());
    }

    #[test]
    fn a_touchpoint_is_checked_and_its_links_kept_once_in_order() {
        let mut j = journey();
        let empty_name = j.add(tp(" "), now()).unwrap_err();
        assert_eq!(empty_name.field, "name");
        let twice = j.add(tp("MELDEN"), now()).unwrap_err();
        assert_eq!((twice.field, twice.kind), ("name", InvalidKind::Duplicate));
        let nothing = TouchpointInput { channels: vec![], ..tp("Niets") };
        assert_eq!(j.add(nothing, now()).unwrap_err().field, "topics");
        let both = TouchpointInput { moetje: true, peak: true, ..tp("Beide") };
        assert_eq!(j.add(both, now()).unwrap_err().field, "peak");
        let no_expectation = TouchpointInput { expectation: String::new(), ..tp("Leeg") };
        assert_eq!(j.replace(1, no_expectation, now()).unwrap_err().path(), "touchpoints[1].expectation");
        // The same name is fine on the touchpoint that has it.
        let links = TouchpointInput {
            channels: vec![Channel::Email, Channel::Telefoon, Channel::Email],
            statuses: vec![CaseStatus::Afgehandeld, CaseStatus::Ontvangen],
            ..tp("Bevestiging")
        };
        j.replace(1, links, now()).unwrap();
        assert_eq!(j.touchpoints[1].channels, [Channel::Telefoon, Channel::Email]);
        assert_eq!(j.touchpoints[1].statuses, [CaseStatus::Ontvangen, CaseStatus::Afgehandeld]);
        assert_eq!(names(&j), ["Melden", "Bevestiging", "Oplossing"], "nothing else changed");
        for i in 3..MAX_TOUCHPOINTS {
            j.add(tp(&format!("Stap {i}")), now()).unwrap();
        }
        assert_eq!(j.add(tp("Een te veel"), now()).unwrap_err().field, "touchpoints");
    }

    fn targets() -> Targets {
        Targets { satisfaction_grade: 7.5, percent_within: 80.0, wait_hours: WAIT_TARGET_HOURS }
    }

    #[test]
    fn a_touchpoint_hurts_where_a_figure_with_enough_measurements_misses_its_target() {
        let moment = Touchpoint { moment_of_truth: true, ..Touchpoint::parse(tp("Besluit")).unwrap() };
        let m = Measured {
            contacts: 12,
            cases: 9,
            survey_answers: 5,
            grade_sum: 35,
            within_norm: 7,
            late: 3,
            waits: 5,
            median_wait_hours: Some(50.04),
        };
        let f = m.judge(&moment, &targets());
        assert_eq!((f.satisfaction, f.percent_within, f.median_wait_hours), (Some(7.0), Some(70.0), Some(50.0)));
        assert_eq!(f.pains, [Pain::LowSatisfaction, Pain::BelowNorm, Pain::LongWait]);
        let codes: Vec<&str> = f.pains.iter().map(|p| p.code()).collect();
        assert_eq!(codes, ["low_satisfaction", "below_norm", "long_wait"], "as serde names them");
        assert!(f.moment_of_truth_below_target);

        // On target: 7.5 is enough, 80 % is enough, 48 hours is not too long.
        let fine = Measured { grade_sum: 38, within_norm: 8, late: 2, median_wait_hours: Some(48.0), ..m };
        let f = fine.judge(&moment, &targets());
        assert_eq!(f.satisfaction, Some(7.6));
        assert!(f.pains.is_empty() && !f.moment_of_truth_below_target);

        // Four answers say too little: shown, not judged.
        let few = Measured { survey_answers: 4, grade_sum: 8, within_norm: 0, late: 4, waits: 4, ..m };
        let f = few.judge(&moment, &targets());
        assert_eq!((f.satisfaction, f.percent_within), (Some(2.0), Some(0.0)));
        assert!(f.pains.is_empty());

        // Only a long wait: it hurts, but a moment of truth is called out only on satisfaction
        // or norm; and a touchpoint that is no moment of truth is never called out.
        let slow = Measured { survey_answers: 0, grade_sum: 0, within_norm: 0, late: 0, ..m };
        let f = slow.judge(&moment, &targets());
        assert_eq!((f.pains.as_slice(), f.moment_of_truth_below_target), ([Pain::LongWait].as_slice(), false));
        let plain = Touchpoint { moment_of_truth: false, ..moment };
        assert!(!m.judge(&plain, &targets()).moment_of_truth_below_target);
        assert_eq!(Measured::default().judge(&plain, &targets()).satisfaction, None);
    }

    #[test]
    fn the_median_takes_the_middle_or_the_mean_of_the_middle_two() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), Some(2.5));
    }
}
