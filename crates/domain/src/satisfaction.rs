//! Customer satisfaction (issue 15, the external monitor): which contacts and closed cases are
//! asked for their opinion, the answer (grade, solved, effort, comment), the roll-up of answers
//! and the action points (verbeterpunten) the figures lead to.
//!
//! Pure rules only: deterministic sampling per channel, the 30-day rule per person, checking an
//! answer, bucketing days into weeks and months, and the figures of a group of answers. Every
//! figure is defined in `docs/satisfaction.md`.

use crate::channel::Channel;
use crate::ids::EmployeeId;
use crate::portal::{MAX_DESCRIPTION_CHARS, SurveyForm};
use crate::{Invalid, InvalidKind, text};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp, ToSpan};
use serde::{Deserialize, Serialize};

/// Nobody is invited twice within this many days (by customer or by e-mail address).
pub const COOLDOWN_DAYS: i64 = 30;

/// An invitation can be answered up to this many days after it was made.
pub const ANSWER_DAYS: i64 = 14;

/// A grade at or below this is low (counted in "lage cijfers" and open to an action point).
pub const LOW_GRADE: u8 = 5;

/// The share of contacts (per channel) asked for their opinion when a beheerder set nothing:
/// every web form, app and letter; a fifth of the phone calls; half of the rest.
pub fn default_rate(channel: Channel) -> u8 {
    match channel {
        Channel::Webformulier | Channel::App | Channel::Brief => 100,
        Channel::Telefoon => 20,
        Channel::Email | Channel::Balie | Channel::SocialeMedia | Channel::Chat => 50,
    }
}

/// Checks a sample rate as typed: a whole percentage 0–100.
pub fn parse_rate(field: &'static str, given: &str) -> Result<u8, Invalid> {
    given
        .trim()
        .trim_end_matches('%')
        .trim()
        .parse::<u8>()
        .ok()
        .filter(|p| *p <= 100)
        .ok_or_else(|| Invalid::new(field, InvalidKind::OutOfRange { min: 0, max: Some(100) }))
}

/// The hash sampling is decided by: 64-bit FNV-1a of the source key (`contact:<id>`), the same
/// on every node and in every run.
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3))
}

/// Whether the contact or case `source` falls in a sample of `percent`%: its hash modulo 100 is
/// below the percentage. Deterministic, so two nodes (and a test) decide alike, and a larger
/// rate keeps everything a smaller one took.
pub fn sampled(source: &str, percent: u8) -> bool {
    fnv1a(source.as_bytes()) % 100 < u64::from(percent.min(100))
}

/// The last invitation to a person must be at or before this moment for a new one at `now`.
pub fn cooldown_cutoff(now: Timestamp) -> Timestamp {
    now - SignedDuration::from_hours(24 * COOLDOWN_DAYS)
}

/// Whether a person last invited at `last` (if ever) may be invited at `now`: never twice within
/// [`COOLDOWN_DAYS`] days.
pub fn may_invite(last: Option<Timestamp>, now: Timestamp) -> bool {
    last.is_none_or(|last| last <= cooldown_cutoff(now))
}

/// A checked answer to a survey: grade 1–10, solved yes/no, effort 1 (very easy) – 5 (very
/// hard), an optional comment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Rating {
    pub grade: u8,
    pub solved: bool,
    pub effort: u8,
    pub comment: Option<String>,
}

impl Rating {
    /// Checks the answer as typed; every problem at once, each with its field.
    pub fn from_form(form: &SurveyForm) -> Result<Rating, Vec<Invalid>> {
        let mut errors = Vec::new();
        let grade = form.cijfer.trim().parse::<u8>().ok().filter(|g| (1..=10).contains(g));
        if grade.is_none() {
            errors.push(Invalid::new("cijfer", InvalidKind::OutOfRange { min: 1, max: Some(10) }));
        }
        let solved = match form.opgelost.trim() {
            "ja" => Some(true),
            "nee" => Some(false),
            other => {
                let allowed = vec!["ja".to_string(), "nee".to_string()];
                errors.push(Invalid::new("opgelost", InvalidKind::Unknown { given: other.to_string(), allowed }));
                None
            }
        };
        let effort = form.moeite.trim().parse::<u8>().ok().filter(|e| (1..=5).contains(e));
        if effort.is_none() {
            errors.push(Invalid::new("moeite", InvalidKind::OutOfRange { min: 1, max: Some(5) }));
        }
        let comment = match text::optional("toelichting", Some(&form.toelichting), MAX_DESCRIPTION_CHARS) {
            Ok(c) => c,
            Err(e) => {
                errors.push(e);
                None
            }
        };
        match (grade, solved, effort) {
            (Some(grade), Some(solved), Some(effort)) if errors.is_empty() => {
                Ok(Rating { grade, solved, effort, comment })
            }
            _ => Err(errors),
        }
    }

    pub fn low(&self) -> bool {
        self.grade <= LOW_GRADE
    }
}

/// The sums of a group of answers, as the roll-up keeps them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SatisfactionTotals {
    pub answers: u64,
    pub grade_sum: u64,
    /// Answers that said the question was solved.
    pub solved: u64,
    pub effort_sum: u64,
    /// Answers with a grade of [`LOW_GRADE`] or lower.
    pub low: u64,
}

impl SatisfactionTotals {
    pub fn of(r: &Rating) -> Self {
        SatisfactionTotals {
            answers: 1,
            grade_sum: u64::from(r.grade),
            solved: u64::from(r.solved),
            effort_sum: u64::from(r.effort),
            low: u64::from(r.low()),
        }
    }

    pub fn add(&mut self, other: &SatisfactionTotals) {
        self.answers += other.answers;
        self.grade_sum += other.grade_sum;
        self.solved += other.solved;
        self.effort_sum += other.effort_sum;
        self.low += other.low;
    }

    fn ratio(part: u64, whole: u64) -> Option<f64> {
        (whole > 0).then(|| part as f64 / whole as f64)
    }

    /// The average grade (1–10); none without answers.
    pub fn grade(&self) -> Option<f64> {
        Self::ratio(self.grade_sum, self.answers)
    }

    /// The share of answers that said "opgelost", in percent.
    pub fn solved_percent(&self) -> Option<f64> {
        Self::ratio(self.solved * 100, self.answers)
    }

    /// The average effort (1–5).
    pub fn effort(&self) -> Option<f64> {
        Self::ratio(self.effort_sum, self.answers)
    }
}

/// How days are grouped in a trend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Granularity {
    Day,
    /// ISO weeks, Monday to Sunday.
    #[default]
    Week,
    Month,
}

impl Granularity {
    pub const ALL: [Granularity; 3] = [Granularity::Day, Granularity::Week, Granularity::Month];

    pub fn code(self) -> &'static str {
        match self {
            Granularity::Day => "day",
            Granularity::Week => "week",
            Granularity::Month => "month",
        }
    }

    pub fn dutch(self) -> &'static str {
        match self {
            Granularity::Day => "Per dag",
            Granularity::Week => "Per week",
            Granularity::Month => "Per maand",
        }
    }

    /// The first day of the bucket that holds `day`.
    pub fn start_of(self, day: Date) -> Date {
        match self {
            Granularity::Day => day,
            Granularity::Week => day.saturating_sub(i64::from(day.weekday().to_monday_zero_offset()).days()),
            Granularity::Month => day.first_of_month(),
        }
    }

    /// The first day of the bucket after the one that starts on `start`.
    pub fn next(self, start: Date) -> Date {
        match self {
            Granularity::Day => start.saturating_add(1.day()),
            Granularity::Week => start.saturating_add(7.days()),
            Granularity::Month => start.saturating_add(1.month()),
        }
    }

    /// The name of the bucket that starts on `start`: "2 maart 2026", "week 10 2026", "maart 2026".
    pub fn label(self, start: Date) -> String {
        let month = crate::portal::DUTCH_MONTHS[(start.month() - 1) as usize];
        match self {
            Granularity::Day => format!("{} {month} {}", start.day(), start.year()),
            Granularity::Week => format!("week {} {}", start.iso_week_date().week(), start.iso_week_date().year()),
            Granularity::Month => format!("{month} {}", start.year()),
        }
    }

    /// The buckets that overlap `[from, to)`, each as its first day, oldest first.
    pub fn buckets(self, from: Date, to: Date) -> Vec<Date> {
        let mut out = vec![];
        let mut at = self.start_of(from);
        while at < to {
            out.push(at);
            at = self.next(at);
        }
        out
    }
}

crate::codes::impl_codes!(Granularity, "granularity");

/// What a satisfaction trend is split by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Split {
    #[default]
    Total,
    Channel,
    Topic,
    Team,
    Segment,
    CaseType,
}

impl Split {
    pub const ALL: [Split; 6] =
        [Split::Total, Split::Channel, Split::Topic, Split::Team, Split::Segment, Split::CaseType];

    pub fn code(self) -> &'static str {
        match self {
            Split::Total => "total",
            Split::Channel => "channel",
            Split::Topic => "topic",
            Split::Team => "team",
            Split::Segment => "segment",
            Split::CaseType => "case_type",
        }
    }

    pub fn dutch(self) -> &'static str {
        match self {
            Split::Total => "Alles samen",
            Split::Channel => "Per kanaal",
            Split::Topic => "Per onderwerp",
            Split::Team => "Per team",
            Split::Segment => "Per segment",
            Split::CaseType => "Per soort zaak",
        }
    }
}

crate::codes::impl_codes!(Split, "split");

/// The state of an action point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ImprovementStatus {
    #[default]
    Open,
    Bezig,
    Klaar,
}

impl ImprovementStatus {
    pub const ALL: [ImprovementStatus; 3] =
        [ImprovementStatus::Open, ImprovementStatus::Bezig, ImprovementStatus::Klaar];

    pub fn code(self) -> &'static str {
        match self {
            ImprovementStatus::Open => "open",
            ImprovementStatus::Bezig => "bezig",
            ImprovementStatus::Klaar => "klaar",
        }
    }

    pub fn dutch(self) -> &'static str {
        match self {
            ImprovementStatus::Open => "Open",
            ImprovementStatus::Bezig => "Bezig",
            ImprovementStatus::Klaar => "Klaar",
        }
    }
}

crate::codes::impl_codes!(ImprovementStatus, "status");

/// What an action point came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// A figure on a dashboard; the reference names the page and its filters
    /// (`tevredenheid?kanaal=telefoon`).
    Figuur,
    /// A survey comment; the reference is the answer's id.
    Opmerking,
}

impl SourceKind {
    pub const ALL: [SourceKind; 2] = [SourceKind::Figuur, SourceKind::Opmerking];

    pub fn code(self) -> &'static str {
        match self {
            SourceKind::Figuur => "figuur",
            SourceKind::Opmerking => "opmerking",
        }
    }
}

crate::codes::impl_codes!(SourceKind, "source_kind");

/// The longest action point text and source label, in characters.
pub const IMPROVEMENT_TEXT_MAX: usize = 1000;
pub const SOURCE_LABEL_MAX: usize = 300;

/// An action point as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ImprovementForm {
    #[serde(default)]
    pub text: String,
    /// The owner's employee id.
    #[serde(default)]
    pub owner: String,
    /// `2026-04-01`.
    #[serde(default)]
    pub due: String,
    #[serde(default)]
    pub source_kind: String,
    #[serde(default)]
    pub source_ref: String,
    #[serde(default)]
    pub source_label: String,
}

/// A checked new action point (its status starts as open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NewImprovement {
    pub text: String,
    pub owner: EmployeeId,
    #[schema(value_type = String, format = Date)]
    pub due: Date,
    pub source_kind: SourceKind,
    pub source_ref: String,
    pub source_label: String,
}

impl NewImprovement {
    /// Checks every field; a due date before `today` is refused.
    pub fn parse(form: &ImprovementForm, today: Date) -> Result<Self, Vec<Invalid>> {
        fn keep<T>(errors: &mut Vec<Invalid>, r: Result<T, Invalid>) -> Option<T> {
            r.map_err(|e| errors.push(e)).ok()
        }
        let mut errors = vec![];
        let text = keep(&mut errors, text::required("text", &form.text, IMPROVEMENT_TEXT_MAX));
        let owner = keep(
            &mut errors,
            form.owner.trim().parse::<EmployeeId>().map_err(|_| {
                if form.owner.trim().is_empty() {
                    Invalid::new("owner", InvalidKind::Empty)
                } else {
                    Invalid::malformed("owner", &form.owner, crate::Format::Uuid)
                }
            }),
        );
        let due = keep(
            &mut errors,
            match form.due.trim() {
                "" => Err(Invalid::new("due", InvalidKind::Empty)),
                d => match d.parse::<Date>() {
                    Ok(d) if d < today => Err(Invalid::new("due", InvalidKind::OutOfOrder { after: "today" })),
                    Ok(d) => Ok(d),
                    Err(_) => Err(Invalid::malformed("due", d, crate::Format::Date)),
                },
            },
        );
        let source_kind = keep(&mut errors, form.source_kind.trim().parse::<SourceKind>());
        let source_ref = keep(&mut errors, text::required("source_ref", &form.source_ref, SOURCE_LABEL_MAX));
        let source_label = keep(&mut errors, text::required("source_label", &form.source_label, SOURCE_LABEL_MAX));
        match (text, owner, due, source_kind, source_ref, source_label) {
            (Some(text), Some(owner), Some(due), Some(source_kind), Some(source_ref), Some(source_label)) => {
                Ok(NewImprovement { text, owner, due, source_kind, source_ref, source_label })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(h: i64) -> Timestamp {
        Timestamp::UNIX_EPOCH + SignedDuration::from_hours(h)
    }

    #[test]
    fn sampling_is_deterministic_and_keeps_about_the_rate() {
        let taken = (0..10_000).filter(|i| sampled(&format!("contact:{i}"), 20)).count();
        assert!((1_800..=2_200).contains(&taken), "about a fifth: {taken}");
        assert_eq!((0..1000).filter(|i| sampled(&format!("case:{i}"), 100)).count(), 1000);
        assert_eq!((0..1000).filter(|i| sampled(&format!("case:{i}"), 0)).count(), 0);
        for i in 0..1000 {
            let s = format!("contact:{i}");
            assert_eq!(sampled(&s, 35), sampled(&s, 35), "the same answer every time");
            if sampled(&s, 20) {
                assert!(sampled(&s, 50), "a larger rate keeps what a smaller one took");
            }
        }
        // Fixed values, so a change of hash shows.
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }

    #[test]
    fn nobody_is_invited_twice_within_thirty_days() {
        let now = at(24 * 100);
        assert!(may_invite(None, now));
        assert!(!may_invite(Some(now), now));
        assert!(!may_invite(Some(at(24 * 71)), now), "29 days ago");
        assert!(may_invite(Some(at(24 * 70)), now), "exactly 30 days ago");
        assert!(may_invite(Some(at(24 * 10)), now));
        assert_eq!(cooldown_cutoff(now), at(24 * 70));
    }

    #[test]
    fn rates_are_whole_percentages_and_every_channel_has_a_default() {
        assert_eq!(parse_rate("rate", " 20 % "), Ok(20));
        assert_eq!(parse_rate("rate", "100"), Ok(100));
        assert!(parse_rate("rate", "101").is_err());
        assert!(parse_rate("rate", "-1").is_err());
        assert!(parse_rate("rate", "veel").is_err());
        assert_eq!(default_rate(Channel::Webformulier), 100);
        assert_eq!(default_rate(Channel::Telefoon), 20);
        assert!(Channel::ALL.iter().all(|c| default_rate(*c) > 0));
    }

    #[test]
    fn a_rating_is_checked_field_by_field() {
        let form = SurveyForm { cijfer: "4".into(), opgelost: "nee".into(), moeite: "5".into(), ..Default::default() };
        let r = Rating::from_form(&form).unwrap();
        assert!(r.low() && !r.solved && r.comment.is_none());
        let bad = SurveyForm { cijfer: "0".into(), opgelost: "".into(), moeite: "6".into(), ..form };
        let fields: Vec<_> = Rating::from_form(&bad).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["cijfer", "opgelost", "moeite"]);
    }

    #[test]
    fn totals_add_up_to_the_figures() {
        let mut t = SatisfactionTotals::default();
        assert_eq!(t.grade(), None);
        for (grade, solved, effort) in [(8, true, 2), (4, false, 5), (9, true, 1)] {
            t.add(&SatisfactionTotals::of(&Rating { grade, solved, effort, comment: None }));
        }
        assert_eq!((t.answers, t.grade_sum, t.solved, t.effort_sum, t.low), (3, 21, 2, 8, 1));
        assert_eq!(t.grade(), Some(7.0));
        assert!((t.solved_percent().unwrap() - 66.666).abs() < 0.01);
    }

    #[test]
    fn weeks_start_on_monday_and_months_on_the_first() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(Granularity::Week.start_of(d("2026-03-05")), d("2026-03-02"));
        assert_eq!(Granularity::Month.start_of(d("2026-03-05")), d("2026-03-01"));
        assert_eq!(
            Granularity::Week.buckets(d("2026-03-04"), d("2026-03-17")),
            [d("2026-03-02"), d("2026-03-09"), d("2026-03-16")]
        );
        assert_eq!(Granularity::Month.buckets(d("2026-01-15"), d("2026-03-01")), [d("2026-01-01"), d("2026-02-01")]);
        assert_eq!(Granularity::Day.buckets(d("2026-03-01"), d("2026-03-03")).len(), 2);
        assert_eq!(Granularity::Week.label(d("2026-03-02")), "week 10 2026");
        assert_eq!(Granularity::Month.label(d("2026-03-01")), "maart 2026");
        assert_eq!(Granularity::Day.label(d("2026-03-01")), "1 maart 2026");
    }

    #[test]
    fn an_action_point_needs_text_owner_a_due_date_and_its_source() {
        let today: Date = "2026-03-02".parse().unwrap();
        let form = ImprovementForm {
            text: "Terugbelnotities beter bijhouden".into(),
            owner: EmployeeId::new().to_string(),
            due: "2026-04-01".into(),
            source_kind: "opmerking".into(),
            source_ref: "abc".into(),
            source_label: "Opmerking bij cijfer 3".into(),
        };
        assert_eq!(NewImprovement::parse(&form, today).unwrap().source_kind, SourceKind::Opmerking);
        let late = ImprovementForm { due: "2026-03-01".into(), ..form.clone() };
        assert_eq!(NewImprovement::parse(&late, today).unwrap_err()[0].field, "due");
        let empty = ImprovementForm { text: " ".into(), owner: "".into(), source_kind: "x".into(), ..form };
        let fields: Vec<_> = NewImprovement::parse(&empty, today).unwrap_err().into_iter().map(|e| e.field).collect();
        assert_eq!(fields, ["text", "owner", "source_kind"]);
    }
}
