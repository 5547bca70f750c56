//! The employee pulse (medewerkerspeiling, issue 15): five statements scored 1–5 plus an
//! optional comment, answered once per period of the schedule, anonymous by construction.
//!
//! What lives here is pure: the statements, the score and comment rules, the schedule's periods
//! on the calendar, and the roll-up of a group's answers in one period, which shows figures only
//! when at least [`MIN_GROUP`] people answered. How the answers are stored without the employee
//! is described in `docs/pulse.md`.

use crate::portal::DUTCH_MONTHS;
use crate::{Invalid, InvalidKind, text};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A group's figures (and comments) are shown only when at least this many people answered in
/// the period.
pub const MIN_GROUP: u64 = 5;

/// The longest comment, in characters.
pub const COMMENT_MAX: usize = 1000;

/// One statement of the pulse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Question {
    Workload,
    Equipped,
    Collaboration,
    TrustInKnowledge,
    Enjoyment,
}

impl Question {
    pub const ALL: [Question; 5] = [
        Question::Workload,
        Question::Equipped,
        Question::Collaboration,
        Question::TrustInKnowledge,
        Question::Enjoyment,
    ];

    /// The name in forms, the API and the CSV.
    pub fn code(self) -> &'static str {
        match self {
            Question::Workload => "workload",
            Question::Equipped => "equipped",
            Question::Collaboration => "collaboration",
            Question::TrustInKnowledge => "trust_in_knowledge",
            Question::Enjoyment => "enjoyment",
        }
    }

    /// The statement as the employee reads it (B1); 5 is always the good end.
    pub fn statement(self) -> &'static str {
        match self {
            Question::Workload => "Mijn werkdruk is goed te doen.",
            Question::Equipped => "Ik heb wat ik nodig heb om mijn werk goed te doen.",
            Question::Collaboration => "We werken in mijn team goed samen.",
            Question::TrustInKnowledge => "Ik kan vertrouwen op de kennis van mijn collega's.",
            Question::Enjoyment => "Ik heb plezier in mijn werk.",
        }
    }

    /// A short name for tables and charts.
    pub fn short(self) -> &'static str {
        match self {
            Question::Workload => "Werkdruk",
            Question::Equipped => "Goed toegerust",
            Question::Collaboration => "Samenwerking",
            Question::TrustInKnowledge => "Vertrouwen in kennis",
            Question::Enjoyment => "Plezier",
        }
    }
}

/// What the scores 1 to 5 mean.
pub const SCALE: [(u8, &str); 5] =
    [(1, "Helemaal niet mee eens"), (2, "Niet mee eens"), (3, "Neutraal"), (4, "Mee eens"), (5, "Helemaal mee eens")];

/// One filled-in pulse: a score 1–5 per statement (in the order of [`Question::ALL`]) and an
/// optional comment. It says nothing about who answered, nor when within the period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PulseAnswer {
    pub scores: [u8; 5],
    pub comment: Option<String>,
}

impl PulseAnswer {
    /// Checks the scores (each 1–5; `None` is a statement left open) and the comment.
    pub fn parse(scores: [Option<u8>; 5], comment: Option<&str>) -> Result<Self, Invalid> {
        let mut checked = [0u8; 5];
        for ((q, given), out) in Question::ALL.iter().zip(scores).zip(checked.iter_mut()) {
            *out = match given {
                None => return Err(Invalid::new(q.code(), InvalidKind::Empty)),
                Some(s @ 1..=5) => s,
                Some(_) => return Err(Invalid::new(q.code(), InvalidKind::OutOfRange { min: 1, max: Some(5) })),
            };
        }
        let comment = text::optional("comment", comment, COMMENT_MAX)?;
        Ok(Self { scores: checked, comment })
    }
}

/// How often a new pulse opens; set by a beheerder, weekly unless set otherwise.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// Monday to Sunday (ISO weeks).
    #[default]
    Week,
    /// Two ISO weeks, counted from Monday 1 January 2024 without restarting at New Year.
    TwoWeeks,
    /// A calendar month.
    Month,
}

impl Cadence {
    pub const ALL: [Cadence; 3] = [Cadence::Week, Cadence::TwoWeeks, Cadence::Month];

    pub fn code(self) -> &'static str {
        match self {
            Cadence::Week => "week",
            Cadence::TwoWeeks => "two_weeks",
            Cadence::Month => "month",
        }
    }

    pub fn dutch(self) -> &'static str {
        match self {
            Cadence::Week => "Elke week",
            Cadence::TwoWeeks => "Elke twee weken",
            Cadence::Month => "Elke maand",
        }
    }

    /// The period of this schedule that holds `day`.
    pub fn period_of(self, day: Date) -> Period {
        let monday = day.saturating_sub(i64::from(day.weekday().to_monday_zero_offset()).days());
        let (start, end) = match self {
            Cadence::Week => (monday, monday.saturating_add(7.days())),
            Cadence::TwoWeeks => {
                let days = i64::from((monday - TWO_WEEK_ANCHOR).get_days());
                let start = TWO_WEEK_ANCHOR.saturating_add((days.div_euclid(14) * 14).days());
                (start, start.saturating_add(14.days()))
            }
            Cadence::Month => (day.first_of_month(), day.first_of_month().saturating_add(1.month())),
        };
        Period { cadence: self, start, end }
    }

    /// The periods of this schedule that start in `[from, to)`, oldest first (at most `limit`,
    /// the most recent ones).
    pub fn periods(self, from: Date, to: Date, limit: usize) -> Vec<Period> {
        let mut out = vec![];
        let mut p = self.period_of(to.saturating_sub(1.day()));
        while p.start >= from && p.start < to {
            out.push(p);
            if out.len() == limit {
                break;
            }
            p = p.previous();
        }
        out.reverse();
        out
    }
}

crate::codes::impl_codes!(Cadence, "cadence");

/// The Monday two-week periods are counted from.
const TWO_WEEK_ANCHOR: Date = Date::constant(2024, 1, 1);

/// One period of the schedule: `[start, end)` in days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub cadence: Cadence,
    pub start: Date,
    /// The first day after the period.
    pub end: Date,
}

impl Period {
    /// The period before this one, on the same schedule.
    pub fn previous(self) -> Period {
        self.cadence.period_of(self.start.saturating_sub(1.day()))
    }

    /// The last day of the period.
    pub fn last_day(self) -> Date {
        self.end.saturating_sub(1.day())
    }

    /// The period in Dutch: `week 10 2026`, `week 53 2026 – week 1 2027`, `maart 2026`.
    pub fn label(self) -> String {
        let week = |d: Date| (d.iso_week_date().week(), d.iso_week_date().year());
        match self.cadence {
            Cadence::Week => {
                let (w, y) = week(self.start);
                format!("week {w} {y}")
            }
            Cadence::TwoWeeks => {
                let ((w1, y1), (w2, y2)) = (week(self.start), week(self.last_day()));
                if y1 == y2 { format!("week {w1}–{w2} {y1}") } else { format!("week {w1} {y1} – week {w2} {y2}") }
            }
            Cadence::Month => format!("{} {}", DUTCH_MONTHS[(self.start.month() - 1) as usize], self.start.year()),
        }
    }
}

/// The answers of one group (a team, or the whole organisation) in one period: how many, and
/// the sum of the scores per statement (in the order of [`Question::ALL`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PulseTotals {
    pub answers: u64,
    pub sums: [u64; 5],
}

impl PulseTotals {
    pub fn add(&mut self, other: &PulseTotals) {
        self.answers += other.answers;
        for (s, o) in self.sums.iter_mut().zip(other.sums) {
            *s += o;
        }
    }

    /// Whether enough people answered to show anything of this group.
    pub fn shown(&self) -> bool {
        self.answers >= MIN_GROUP
    }

    /// The figures a screen may show.
    pub fn figures(&self) -> PulseFigures {
        if !self.shown() {
            return PulseFigures::TooFewAnswers;
        }
        let n = self.answers as f64;
        let averages = self.sums.map(|s| round2(s as f64 / n));
        let overall = round2(self.sums.iter().sum::<u64>() as f64 / (n * 5.0));
        PulseFigures::Shown { answers: self.answers, averages, overall }
    }
}

/// A group's pulse in a period as a screen may show it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PulseFigures {
    /// At least [`MIN_GROUP`] answered: their number, the average per statement (order of
    /// [`Question::ALL`]) and the average of all scores, each rounded to two decimals.
    Shown { answers: u64, averages: [f64; 5], overall: f64 },
    /// Fewer than [`MIN_GROUP`] answered (possibly none): nothing is shown, not even how many.
    TooFewAnswers,
}

impl PulseFigures {
    pub fn overall(&self) -> Option<f64> {
        match self {
            PulseFigures::Shown { overall, .. } => Some(*overall),
            PulseFigures::TooFewAnswers => None,
        }
    }
}

/// What a screen says where a group's figures are hidden.
pub const TOO_FEW: &str = "te weinig antwoorden";

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn weeks_run_monday_to_sunday_across_new_year() {
        // 2026 has 53 ISO weeks: 31 December 2026 (a Thursday) and 3 January 2027 are in week 53.
        let p = Cadence::Week.period_of(date(2026, 12, 31));
        assert_eq!((p.start, p.end), (date(2026, 12, 28), date(2027, 1, 4)));
        assert_eq!(Cadence::Week.period_of(date(2027, 1, 3)), p);
        assert_eq!(p.label(), "week 53 2026");
        let next = Cadence::Week.period_of(date(2027, 1, 4));
        assert_eq!((next.label(), next.previous()), ("week 1 2027".to_string(), p));
        // A Monday is the first day of its own week, a Sunday the last.
        assert_eq!(Cadence::Week.period_of(date(2026, 3, 2)).start, date(2026, 3, 2));
        assert_eq!(Cadence::Week.period_of(date(2026, 3, 8)).start, date(2026, 3, 2));
        assert_eq!(Cadence::Week.period_of(date(2026, 3, 9)).label(), "week 11 2026");
    }

    #[test]
    fn two_weeks_count_on_from_a_fixed_monday_and_do_not_restart_at_new_year() {
        let first = Cadence::TwoWeeks.period_of(date(2024, 1, 10));
        assert_eq!((first.start, first.end), (date(2024, 1, 1), date(2024, 1, 15)));
        // 2024-12-30 is 730 days (a multiple of 14) after the anchor: a period starts there
        // and runs into 2025.
        let turn = Cadence::TwoWeeks.period_of(date(2025, 1, 5));
        assert_eq!((turn.start, turn.end), (date(2024, 12, 30), date(2025, 1, 13)));
        assert_eq!(turn.label(), "week 1–2 2025");
        let over = Cadence::TwoWeeks.period_of(date(2026, 12, 31));
        assert_eq!((over.start, over.end), (date(2026, 12, 28), date(2027, 1, 11)));
        assert_eq!(over.label(), "week 53 2026 – week 1 2027");
        assert_eq!(over.previous().end, over.start);
        // Before the anchor the count goes on backwards.
        assert_eq!(Cadence::TwoWeeks.period_of(date(2023, 12, 31)).start, date(2023, 12, 18));
    }

    #[test]
    fn months_are_calendar_months() {
        let dec = Cadence::Month.period_of(date(2026, 12, 31));
        assert_eq!((dec.start, dec.end, dec.label()), (date(2026, 12, 1), date(2027, 1, 1), "december 2026".into()));
        assert_eq!(Cadence::Month.period_of(date(2027, 1, 1)).previous(), dec);
        assert_eq!(Cadence::Month.period_of(date(2028, 2, 29)).end, date(2028, 3, 1));
    }

    #[test]
    fn periods_between_two_days_are_listed_oldest_first_and_capped() {
        let weeks = Cadence::Week.periods(date(2026, 2, 2), date(2026, 3, 3), 10);
        let starts: Vec<Date> = weeks.iter().map(|p| p.start).collect();
        assert_eq!(
            starts,
            [date(2026, 2, 2), date(2026, 2, 9), date(2026, 2, 16), date(2026, 2, 23), date(2026, 3, 2)]
        );
        let last_two = Cadence::Week.periods(date(2026, 2, 2), date(2026, 3, 3), 2);
        assert_eq!(last_two.iter().map(|p| p.start).collect::<Vec<_>>(), [date(2026, 2, 23), date(2026, 3, 2)]);
        assert!(Cadence::Month.periods(date(2026, 3, 2), date(2026, 3, 20), 10).is_empty(), "March starts before");
    }

    #[test]
    fn an_answer_needs_every_score_from_1_to_5_and_a_short_comment() {
        let ok = PulseAnswer::parse([Some(1), Some(2), Some(3), Some(4), Some(5)], Some("  Fijn team  ")).unwrap();
        assert_eq!((ok.scores, ok.comment.as_deref()), ([1, 2, 3, 4, 5], Some("Fijn team")));
        assert_eq!(PulseAnswer::parse([Some(3); 5], Some("   ")).unwrap().comment, None);
        let open = PulseAnswer::parse([Some(3), None, Some(3), Some(3), Some(3)], None).unwrap_err();
        assert_eq!((open.field, open.kind), ("equipped", InvalidKind::Empty));
        let six = PulseAnswer::parse([Some(3), Some(3), Some(6), Some(3), Some(3)], None).unwrap_err();
        assert_eq!(six.field, "collaboration");
        assert!(PulseAnswer::parse([Some(0); 5], None).is_err());
        let long = "a".repeat(COMMENT_MAX + 1);
        assert_eq!(PulseAnswer::parse([Some(3); 5], Some(&long)).unwrap_err().field, "comment");
    }

    #[test]
    fn a_group_under_five_answers_shows_nothing_and_five_show_the_averages() {
        let four = PulseTotals { answers: 4, sums: [16, 12, 20, 8, 4] };
        assert_eq!(four.figures(), PulseFigures::TooFewAnswers);
        assert_eq!(PulseTotals::default().figures(), PulseFigures::TooFewAnswers);
        let mut five = four;
        five.add(&PulseTotals { answers: 1, sums: [4, 3, 5, 2, 2] });
        assert_eq!(
            five.figures(),
            PulseFigures::Shown { answers: 5, averages: [4.0, 3.0, 5.0, 2.0, 1.2], overall: 3.04 }
        );
        assert_eq!(five.figures().overall(), Some(3.04));
    }

    #[test]
    fn the_statements_keep_their_codes() {
        let codes: Vec<&str> = Question::ALL.iter().map(|q| q.code()).collect();
        assert_eq!(codes, ["workload", "equipped", "collaboration", "trust_in_knowledge", "enjoyment"]);
        assert_eq!("two_weeks".parse::<Cadence>().unwrap(), Cadence::TwoWeeks);
        assert_eq!(Cadence::default(), Cadence::Week);
    }
}
