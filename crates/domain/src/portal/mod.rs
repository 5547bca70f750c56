//! The public portal: what citizens send in online (vraag, melding, klacht), how they follow it
//! with a private link, the messages back and forth, and the survey after closure.
//!
//! Wrong input comes back as [`Invalid`] with the form's field names (`omschrijving`,
//! `huisnummer`, …); the web crate words it for citizens (`wording::citizen`).
//!
//! By sub-area: [`submission`] (the form and the checked submission), [`location`] (where it
//! is), [`message`] (messages, photos and the timeline), [`incident`] (grouping reports) and
//! [`survey`] (the survey after closure).

pub mod incident;
pub mod location;
pub mod message;
pub mod submission;
pub mod survey;

pub use crate::ids::{IncidentId, SubmissionId};
pub use incident::{GroupCandidate, Grouping, Incident, group};
pub use location::{GeoPoint, Location, NearArea, PointBounds};
pub use message::{Message, Photo, TimelineStep, timeline};
pub use submission::{MIN_DESCRIPTION_CHARS, Submission, SubmissionForm, check_description};
pub use survey::{SurveyAnswer, SurveyForm, check_survey_open, survey_open};

use crate::Invalid;
use crate::case::CaseType;
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Longest description a citizen can type.
pub const MAX_DESCRIPTION_CHARS: usize = 4_000;
/// Longest short field (name, place description, "when").
pub const MAX_SHORT_CHARS: usize = 200;
/// How many photos one submission or message may carry.
pub const MAX_PHOTOS: usize = 3;
/// How many messages a citizen may add to one submission through the tracking page.
pub const MAX_CITIZEN_MESSAGES: usize = 20;
/// How many photos one submission may hold over its life (with the submission and added later).
pub const MAX_SUBMISSION_PHOTOS: usize = 20;
/// How long after closure the survey stays open.
pub const SURVEY_DAYS: i64 = 14;
/// Reports of one category this close together (metres) belong to one incident …
pub const INCIDENT_RADIUS_M: f64 = 500.0;
/// … when they arrive within this many hours of each other.
pub const INCIDENT_WINDOW_HOURS: i64 = 6;

/// What a citizen sends in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubmissionKind {
    Vraag,
    Melding,
    Klacht,
}

impl SubmissionKind {
    pub const ALL: [SubmissionKind; 3] = [SubmissionKind::Vraag, SubmissionKind::Melding, SubmissionKind::Klacht];
    pub fn code(self) -> &'static str {
        match self {
            SubmissionKind::Vraag => "vraag",
            SubmissionKind::Melding => "melding",
            SubmissionKind::Klacht => "klacht",
        }
    }
    /// The noun with its article, for sentences: "uw vraag", "uw melding", "uw klacht".
    pub fn noun(self) -> &'static str {
        self.code()
    }
    pub fn case_type(self) -> CaseType {
        match self {
            SubmissionKind::Vraag => CaseType::Vraag,
            SubmissionKind::Melding => CaseType::Melding,
            SubmissionKind::Klacht => CaseType::Klacht,
        }
    }
}
crate::codes::impl_codes!(SubmissionKind, "kind");

/// How the citizen wants to hear from the water board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactPreference {
    Email,
    Telefoon,
    Geen,
}

impl ContactPreference {
    pub const ALL: [ContactPreference; 3] =
        [ContactPreference::Email, ContactPreference::Telefoon, ContactPreference::Geen];
    pub fn code(self) -> &'static str {
        match self {
            ContactPreference::Email => "email",
            ContactPreference::Telefoon => "telefoon",
            ContactPreference::Geen => "geen",
        }
    }
}
crate::codes::impl_codes!(ContactPreference, "contact_preference");

/// Keep a field's value, or note its error.
fn keep<T>(errors: &mut Vec<Invalid>, result: Result<T, Invalid>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// The day of a moment for citizens, in the time zone `tz`: "dinsdag 3 december 2026".
pub fn dutch_date(at: Timestamp, tz: &jiff::tz::TimeZone) -> String {
    dutch_day(at.to_zoned_datetime(tz.clone()).date())
}

/// The months in Dutch, January first.
pub const DUTCH_MONTHS: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

/// A date for citizens: "dinsdag 3 december 2026".
pub fn dutch_day(d: jiff::civil::Date) -> String {
    const DAYS: [&str; 7] = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];
    let weekday = DAYS[d.weekday().to_monday_zero_offset() as usize];
    format!("{weekday} {} {} {}", d.day(), DUTCH_MONTHS[(d.month() - 1) as usize], d.year())
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_moment_is_dated_in_the_given_time_zone() {
        let tz = jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap();
        // 23:30 UTC on Monday 2 March is already Tuesday in Amsterdam.
        assert_eq!(super::dutch_date("2026-03-02T23:30:00Z".parse().unwrap(), &tz), "dinsdag 3 maart 2026");
        assert_eq!(super::dutch_date("2026-12-01T12:00:00Z".parse().unwrap(), &tz), "dinsdag 1 december 2026");
    }
}
