//! The public portal: what citizens send in online (vraag, melding, klacht), how they follow it
//! with a private link, the messages back and forth, and the survey after closure.
//!
//! Wrong input comes back as [`Invalid`] with the form's field names (`omschrijving`,
//! `huisnummer`, …); the web crate words it for citizens (`wording::citizen`).

use crate::case::{CaseStatus, CaseType, StatusChange};
use crate::ids::{CaseId, EmployeeId, MessageId, PhotoId, TopicId};
pub use crate::ids::{IncidentId, SubmissionId};
use crate::values::{Email, PhoneNumber, Postcode};
use crate::{Format, Invalid, InvalidKind, StateRule, text};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// Longest description a citizen can type.
pub const MAX_DESCRIPTION_CHARS: usize = 4_000;
/// Longest short field (name, place description, "when").
pub const MAX_SHORT_CHARS: usize = 200;
/// How many photos one submission or message may carry.
pub const MAX_PHOTOS: usize = 3;
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

/// A point on the map (WGS 84).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

impl GeoPoint {
    /// A point inside the Netherlands and its waters (a generous box); the form field is `punt`.
    pub fn parse(lat: &str, lon: &str) -> Result<Option<GeoPoint>, Invalid> {
        let (lat, lon) = (lat.trim().replace(',', "."), lon.trim().replace(',', "."));
        if lat.is_empty() && lon.is_empty() {
            return Ok(None);
        }
        let bad = || Invalid::malformed("punt", &format!("{lat} {lon}"), Format::MapPoint);
        let (lat, lon): (f64, f64) = (lat.parse().map_err(|_| bad())?, lon.parse().map_err(|_| bad())?);
        if !(50.6..=53.7).contains(&lat) || !(3.2..=7.3).contains(&lon) {
            return Err(Invalid::new("punt", InvalidKind::OutsideNetherlands));
        }
        Ok(Some(GeoPoint { lat, lon }))
    }

    /// Great-circle distance in metres.
    pub fn distance_m(self, other: GeoPoint) -> f64 {
        const EARTH_RADIUS_M: f64 = 6_371_000.0;
        let (la1, la2) = (self.lat.to_radians(), other.lat.to_radians());
        let dla = la2 - la1;
        let dlo = (other.lon - self.lon).to_radians();
        let a = (dla / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlo / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_M * a.sqrt().min(1.0).asin()
    }
}

/// Where something is: an address, a description, a point, or a mix.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Location {
    pub postcode: Option<Postcode>,
    pub house_number: Option<String>,
    /// In the citizen's words, e.g. "bij de stuw aan de Molenweg".
    pub description: Option<String>,
    pub point: Option<GeoPoint>,
}

impl Location {
    pub fn is_empty(&self) -> bool {
        self.postcode.is_none() && self.description.is_none() && self.point.is_none()
    }

    /// Whether two reports are at the same place for grouping: within the radius when both
    /// have a point, else the same postcode (a postcode covers one street side, ~20 addresses).
    pub fn near(&self, other: &Location) -> bool {
        match (self.point, other.point) {
            (Some(a), Some(b)) => a.distance_m(b) <= INCIDENT_RADIUS_M,
            _ => self.postcode.is_some() && self.postcode == other.postcode,
        }
    }

    /// Where the reports [`Location::near`] this one can be: the same postcode, or a point in
    /// the box around this one's point (a little wider than the radius). A store narrows its
    /// candidates with it; `near` decides. `None` when nothing can be near (no postcode, no point).
    pub fn near_area(&self) -> Option<NearArea> {
        if self.postcode.is_none() && self.point.is_none() {
            return None;
        }
        const METRES_PER_DEGREE: f64 = 111_320.0;
        let margin = INCIDENT_RADIUS_M * 1.01;
        let bounds = self.point.map(|p| {
            let dlat = margin / METRES_PER_DEGREE;
            let dlon = margin / (METRES_PER_DEGREE * p.lat.to_radians().cos().max(0.01));
            PointBounds { lat_min: p.lat - dlat, lat_max: p.lat + dlat, lon_min: p.lon - dlon, lon_max: p.lon + dlon }
        });
        Some(NearArea { postcode: self.postcode.clone(), bounds })
    }
}

/// The candidates for [`Location::near`]: reports with this postcode or a point in these bounds.
#[derive(Debug, Clone, PartialEq)]
pub struct NearArea {
    pub postcode: Option<Postcode>,
    pub bounds: Option<PointBounds>,
}

/// A latitude/longitude box in degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PointBounds {
    pub lat_min: f64,
    pub lat_max: f64,
    pub lon_min: f64,
    pub lon_max: f64,
}

/// A submission as typed into the form (all text, as the browser sends it).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SubmissionForm {
    #[serde(default)]
    pub onderwerp: String,
    #[serde(default)]
    pub omschrijving: String,
    #[serde(default)]
    pub postcode: String,
    #[serde(default)]
    pub huisnummer: String,
    #[serde(default)]
    pub plek: String,
    #[serde(default)]
    pub lat: String,
    #[serde(default)]
    pub lon: String,
    /// When it happened or was seen, in the citizen's words or as a date.
    #[serde(default)]
    pub wanneer: String,
    /// "ja" when there is danger now.
    #[serde(default)]
    pub gevaar: String,
    #[serde(default)]
    pub contact: String,
    #[serde(default)]
    pub naam: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub telefoon: String,
    /// "ja" when the citizen lets photos keep where they were taken.
    #[serde(default)]
    pub fotolocatie: String,
}

/// A checked submission, ready to store.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Submission {
    pub id: SubmissionId,
    pub kind: SubmissionKind,
    pub case_id: CaseId,
    pub topic_id: Option<TopicId>,
    pub description: String,
    pub location: Location,
    pub observed: Option<String>,
    /// Danger now: the urgent route, day and night.
    pub urgent: bool,
    pub preference: ContactPreference,
    pub name: Option<String>,
    pub email: Option<Email>,
    pub phone: Option<PhoneNumber>,
    /// Photos keep their location only when the citizen agreed.
    pub photo_location_allowed: bool,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    pub incident_id: Option<IncidentId>,
}

/// Keep a field's value, or note its error.
fn keep<T>(errors: &mut Vec<Invalid>, result: Result<T, Invalid>) -> Option<T> {
    result.map_err(|e| errors.push(e)).ok()
}

/// Fewest characters of a description: less says nothing.
pub const MIN_DESCRIPTION_CHARS: usize = 5;

/// The description as checked for the "zoek eerst" step and the form.
pub fn check_description(value: &str) -> Result<String, Invalid> {
    let trimmed = value.trim();
    if !trimmed.is_empty() && trimmed.chars().count() < MIN_DESCRIPTION_CHARS {
        return Err(Invalid::new("omschrijving", InvalidKind::TooShort { min: MIN_DESCRIPTION_CHARS }));
    }
    text::required("omschrijving", value, MAX_DESCRIPTION_CHARS)
}

impl Submission {
    /// Check a form; every wrong field is reported at once, so the citizen fixes all in one go.
    /// `topics` are the topics the citizen may choose from (id and whether it exists).
    pub fn from_form(
        kind: SubmissionKind,
        form: &SubmissionForm,
        topic_exists: impl Fn(TopicId) -> bool,
        case_id: CaseId,
        now: Timestamp,
    ) -> Result<Submission, Vec<Invalid>> {
        let mut errors = Vec::new();
        let e = &mut errors;

        let topic_id = match form.onderwerp.trim() {
            "" => {
                if kind == SubmissionKind::Melding {
                    e.push(Invalid::empty("onderwerp"));
                }
                None
            }
            t => keep(
                e,
                t.parse::<TopicId>()
                    .ok()
                    .filter(|id| topic_exists(*id))
                    .ok_or_else(|| Invalid::unknown_id("onderwerp", t)),
            ),
        };
        let description = keep(e, check_description(&form.omschrijving));
        let postcode = match form.postcode.trim() {
            "" => None,
            p => keep(e, Postcode::parse(p).map_err(|_| Invalid::malformed("postcode", p, Format::Postcode))),
        };
        let house_number = match form.huisnummer.trim() {
            "" => None,
            h if h.len() <= 10
                && h.starts_with(|c: char| c.is_ascii_digit() && c != '0')
                && h.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | ' ')) =>
            {
                Some(h.to_uppercase())
            }
            h => keep(e, Err(Invalid::malformed("huisnummer", h, Format::HouseNumber))),
        };
        if postcode.is_some() != house_number.is_some() && form.plek.trim().is_empty() {
            let (field, by) = if postcode.is_some() { ("huisnummer", "postcode") } else { ("postcode", "huisnummer") };
            e.push(Invalid::new(field, InvalidKind::Needed { by }));
        }
        let description_of_place = keep(e, text::optional("plek", Some(&form.plek), MAX_SHORT_CHARS)).flatten();
        let point = keep(e, GeoPoint::parse(&form.lat, &form.lon)).flatten();
        let location = Location { postcode, house_number, description: description_of_place, point };
        if kind == SubmissionKind::Melding && location.is_empty() {
            e.push(Invalid::empty("postcode"));
        }
        let observed = keep(e, text::optional("wanneer", Some(&form.wanneer), MAX_SHORT_CHARS)).flatten();
        let urgent = kind == SubmissionKind::Melding && form.gevaar.trim() == "ja";
        let preference = match form.contact.trim() {
            "email" => Some(ContactPreference::Email),
            "telefoon" => Some(ContactPreference::Telefoon),
            "geen" => Some(ContactPreference::Geen),
            "" if kind == SubmissionKind::Klacht => keep(e, Err(Invalid::empty("contact"))),
            "" => Some(ContactPreference::Geen),
            other => keep(
                e,
                Err(Invalid::new(
                    "contact",
                    InvalidKind::Unknown {
                        given: other.to_string(),
                        allowed: ContactPreference::ALL.iter().map(|c| c.code().to_string()).collect(),
                    },
                )),
            ),
        };
        let name = keep(e, text::optional("naam", Some(&form.naam), MAX_SHORT_CHARS)).flatten();
        let email = match form.email.trim() {
            "" => None,
            address => keep(e, Email::parse(address).map_err(|_| Invalid::malformed("email", address, Format::Email))),
        };
        let phone = match form.telefoon.trim() {
            "" => None,
            p => keep(e, PhoneNumber::parse(p).map_err(|_| Invalid::malformed("telefoon", p, Format::Phone))),
        };
        match preference {
            Some(ContactPreference::Email) if email.is_none() && form.email.trim().is_empty() => {
                e.push(Invalid::new("email", InvalidKind::Needed { by: "contact" }))
            }
            Some(ContactPreference::Telefoon) if phone.is_none() && form.telefoon.trim().is_empty() => {
                e.push(Invalid::new("telefoon", InvalidKind::Needed { by: "contact" }))
            }
            _ => {}
        }
        if kind == SubmissionKind::Klacht && name.is_none() {
            e.push(Invalid::empty("naam"));
        }
        if !e.is_empty() {
            return Err(errors);
        }
        Ok(Submission {
            id: SubmissionId::new(),
            kind,
            case_id,
            topic_id,
            description: description.unwrap_or_default(),
            location,
            observed,
            urgent,
            preference: preference.unwrap_or(ContactPreference::Geen),
            name,
            email,
            phone,
            photo_location_allowed: form.fotolocatie.trim() == "ja",
            created_at: now,
            incident_id: None,
        })
    }

    /// The case's subject: the first line of the description, shortened.
    pub fn subject(&self) -> String {
        let first = self.description.lines().next().unwrap_or("").trim();
        let mut subject: String = first.chars().take(120).collect();
        if first.chars().count() > 120 {
            subject.push('…');
        }
        format!("{} via website: {subject}", capitalised(self.kind.code()))
    }

    /// Whether the water board may e-mail this citizen.
    pub fn mail_to(&self) -> Option<&Email> {
        (self.preference == ContactPreference::Email).then_some(self.email.as_ref()).flatten()
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

/// A message on a submission: information the citizen added, or news from the water board.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Message {
    pub id: MessageId,
    pub submission_id: SubmissionId,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    pub from_citizen: bool,
    pub author_id: Option<EmployeeId>,
    pub text: String,
}

impl Message {
    /// A message typed by the citizen on the tracking page.
    pub fn from_citizen(submission_id: SubmissionId, text: &str, now: Timestamp) -> Result<Message, Invalid> {
        let text = text::required("bericht", text, MAX_DESCRIPTION_CHARS)?;
        Ok(Message { id: MessageId::new(), submission_id, at: now, from_citizen: true, author_id: None, text })
    }

    /// A message from the water board to the citizen.
    pub fn from_staff(
        submission_id: SubmissionId,
        author_id: Option<EmployeeId>,
        text: &str,
        now: Timestamp,
    ) -> Result<Message, crate::Invalid> {
        let text = crate::text::required("text", text, MAX_DESCRIPTION_CHARS)?;
        Ok(Message { id: MessageId::new(), submission_id, at: now, from_citizen: false, author_id, text })
    }
}

/// A photo as stored: checked by content, metadata removed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Photo {
    pub id: PhotoId,
    pub submission_id: SubmissionId,
    pub message_id: Option<MessageId>,
    pub content_type: String,
    pub size_bytes: u64,
    /// Hex SHA-256 of the stored (cleaned) content.
    pub sha256: String,
    #[schema(value_type = String, format = DateTime)]
    pub uploaded_at: Timestamp,
}

/// A group of reports about one event, e.g. a flooded street during a storm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Incident {
    pub id: IncidentId,
    pub topic_id: Option<TopicId>,
    pub title: String,
    #[schema(value_type = String, format = DateTime)]
    pub started_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub last_report_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<Timestamp>,
    /// Text for a banner on the public start page while the incident is open.
    pub banner: Option<String>,
}

/// A report that may join an incident: what grouping needs to know of it.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupCandidate {
    pub submission_id: SubmissionId,
    pub topic_id: Option<TopicId>,
    pub location: Location,
    pub created_at: Timestamp,
    pub incident_id: Option<IncidentId>,
}

/// What to do with a new report: nothing, join an incident, or start one with earlier reports.
#[derive(Debug, Clone, PartialEq)]
pub enum Grouping {
    Alone,
    Join(IncidentId),
    Start { with: Vec<SubmissionId> },
}

/// Group a new melding with recent ones of the same category within the radius and window.
/// An existing incident wins; otherwise every near, ungrouped report starts one together.
pub fn group(new: &GroupCandidate, recent: &[GroupCandidate]) -> Grouping {
    let window = SignedDuration::from_hours(INCIDENT_WINDOW_HOURS);
    let near: Vec<&GroupCandidate> = recent
        .iter()
        .filter(|r| r.submission_id != new.submission_id)
        .filter(|r| new.topic_id.is_some() && r.topic_id == new.topic_id)
        .filter(|r| (new.created_at.duration_since(r.created_at)).abs() <= window)
        .filter(|r| r.location.near(&new.location))
        .collect();
    if let Some(incident) = near.iter().filter_map(|r| r.incident_id).next() {
        return Grouping::Join(incident);
    }
    if near.is_empty() {
        Grouping::Alone
    } else {
        Grouping::Start { with: near.iter().map(|r| r.submission_id).collect() }
    }
}

/// One step in the citizen's timeline, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimelineStep {
    pub at: Timestamp,
    pub text: String,
}

/// The status history told to the citizen; reasons stay internal.
pub fn timeline(kind: SubmissionKind, history: &[StatusChange]) -> Vec<TimelineStep> {
    let noun = kind.noun();
    let mut previous: Option<CaseStatus> = None;
    history
        .iter()
        .map(|h| {
            let text = match (previous, h.status) {
                (_, CaseStatus::Ontvangen) => format!("We hebben uw {noun} ontvangen."),
                (Some(CaseStatus::Afgehandeld), CaseStatus::InBehandeling) => {
                    format!("We kijken opnieuw naar uw {noun}.")
                }
                (Some(CaseStatus::Opgeschort), CaseStatus::InBehandeling) => {
                    format!("We gaan weer verder met uw {noun}.")
                }
                (_, CaseStatus::InBehandeling) => format!("Een medewerker is met uw {noun} bezig."),
                (_, CaseStatus::Opgeschort) => "We wachten even, bijvoorbeeld op informatie van u of van een ander. \
                                               De termijn staat zolang stil."
                    .to_string(),
                (_, CaseStatus::Afgehandeld) => format!("Uw {noun} is afgehandeld."),
            };
            previous = Some(h.status);
            TimelineStep { at: h.at, text }
        })
        .collect()
}

/// A survey answer as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SurveyForm {
    #[serde(default)]
    pub cijfer: String,
    #[serde(default)]
    pub opgelost: String,
    #[serde(default)]
    pub moeite: String,
    #[serde(default)]
    pub toelichting: String,
    #[serde(default)]
    pub heropenen: String,
}

/// A checked survey answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct SurveyAnswer {
    pub submission_id: SubmissionId,
    /// 1–10.
    pub grade: u8,
    /// "Is uw vraag opgelost?"
    pub solved: bool,
    /// Effort 1 (very easy) – 5 (very hard).
    pub effort: u8,
    pub comment: Option<String>,
    /// An unhappy citizen asked to look at it again.
    pub reopen_requested: bool,
    #[schema(value_type = String, format = DateTime)]
    pub answered_at: Timestamp,
}

impl SurveyAnswer {
    pub fn unhappy(grade: u8, solved: bool) -> bool {
        grade <= 5 || !solved
    }

    pub fn from_form(
        submission_id: SubmissionId,
        form: &SurveyForm,
        now: Timestamp,
    ) -> Result<SurveyAnswer, Vec<Invalid>> {
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
        let comment =
            keep(&mut errors, text::optional("toelichting", Some(&form.toelichting), MAX_DESCRIPTION_CHARS)).flatten();
        let (Some(grade), Some(solved), Some(effort), true) = (grade, solved, effort, errors.is_empty()) else {
            return Err(errors);
        };
        let reopen_requested = form.heropenen.trim() == "ja" && SurveyAnswer::unhappy(grade, solved);
        Ok(SurveyAnswer { submission_id, grade, solved, effort, comment, reopen_requested, answered_at: now })
    }
}

/// The day of a moment for citizens, in the time zone `tz`: "dinsdag 3 december 2026".
pub fn dutch_date(at: Timestamp, tz: &jiff::tz::TimeZone) -> String {
    dutch_day(at.to_zoned_datetime(tz.clone()).date())
}

/// A date for citizens: "dinsdag 3 december 2026".
pub fn dutch_day(d: jiff::civil::Date) -> String {
    const DAYS: [&str; 7] = ["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag"];
    const MONTHS: [&str; 12] = [
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
    let weekday = DAYS[d.weekday().to_monday_zero_offset() as usize];
    format!("{weekday} {} {} {}", d.day(), MONTHS[(d.month() - 1) as usize], d.year())
}

/// Whether the survey can be answered now: not answered yet (`answered`), and [`survey_open`].
pub fn check_survey_open(answered: bool, closed_at: Option<Timestamp>, now: Timestamp) -> Result<(), Invalid> {
    if answered {
        return Err(Invalid::wrong_state("cijfer", StateRule::SurveyAnswered));
    }
    if !survey_open(closed_at, now) {
        return Err(Invalid::wrong_state("cijfer", StateRule::SurveyClosed { days: SURVEY_DAYS }));
    }
    Ok(())
}

/// Whether the survey can still be answered: the case is closed and closed less than
/// [`SURVEY_DAYS`] ago.
pub fn survey_open(closed_at: Option<Timestamp>, now: Timestamp) -> bool {
    closed_at.is_some_and(|closed| {
        now >= closed && now.duration_since(closed) <= SignedDuration::from_hours(24 * SURVEY_DAYS)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn melding() -> SubmissionForm {
        SubmissionForm {
            onderwerp: TopicId::new().to_string(),
            omschrijving: "Er ligt een dode vis in de sloot".into(),
            postcode: "2611ab".into(),
            huisnummer: "12a".into(),
            contact: "email".into(),
            email: "jan@example.nl".into(),
            ..Default::default()
        }
    }

    fn at(h: i64) -> Timestamp {
        Timestamp::UNIX_EPOCH + SignedDuration::from_hours(h)
    }

    #[test]
    fn a_good_melding_is_accepted_and_normalised() {
        let s = Submission::from_form(SubmissionKind::Melding, &melding(), |_| true, CaseId::new(), at(0)).unwrap();
        assert_eq!(s.location.postcode.as_ref().unwrap().as_str(), "2611 AB");
        assert_eq!(s.location.house_number.as_deref(), Some("12A"));
        assert_eq!(s.mail_to().unwrap().as_str(), "jan@example.nl");
        assert!(!s.urgent);
        assert!(s.subject().starts_with("Melding via website: Er ligt"));
    }

    #[test]
    fn every_wrong_field_is_reported_at_once() {
        let form = SubmissionForm {
            onderwerp: "".into(),
            omschrijving: " ".into(),
            postcode: "12345".into(),
            contact: "email".into(),
            email: "jan@".into(),
            ..Default::default()
        };
        let errors = Submission::from_form(SubmissionKind::Melding, &form, |_| true, CaseId::new(), at(0)).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field).collect();
        for f in ["onderwerp", "omschrijving", "postcode", "email"] {
            assert!(fields.contains(&f), "{f} missing from {fields:?}");
        }
        assert_eq!(errors.iter().find(|e| e.field == "omschrijving").unwrap().kind, InvalidKind::Empty);
    }

    #[test]
    fn a_melding_needs_a_place_and_a_known_topic() {
        let mut form = melding();
        form.postcode.clear();
        form.huisnummer.clear();
        let e = Submission::from_form(SubmissionKind::Melding, &form, |_| false, CaseId::new(), at(0)).unwrap_err();
        assert_eq!(e.iter().map(|e| e.field).collect::<Vec<_>>(), vec!["onderwerp", "postcode"]);
        form.plek = "Bij de stuw aan de Molenweg".into();
        assert!(Submission::from_form(SubmissionKind::Melding, &form, |_| true, CaseId::new(), at(0)).is_ok());
    }

    #[test]
    fn the_chosen_channel_needs_its_address() {
        let mut form = melding();
        form.email.clear();
        let e = Submission::from_form(SubmissionKind::Melding, &form, |_| true, CaseId::new(), at(0)).unwrap_err();
        assert_eq!(e[0].field, "email");
        form.contact = "telefoon".into();
        let e = Submission::from_form(SubmissionKind::Melding, &form, |_| true, CaseId::new(), at(0)).unwrap_err();
        assert_eq!(e[0].field, "telefoon");
        form.contact = "geen".into();
        let s = Submission::from_form(SubmissionKind::Melding, &form, |_| true, CaseId::new(), at(0)).unwrap();
        assert!(s.mail_to().is_none());
    }

    #[test]
    fn danger_only_makes_a_melding_urgent() {
        let mut form = melding();
        form.gevaar = "ja".into();
        assert!(Submission::from_form(SubmissionKind::Melding, &form, |_| true, CaseId::new(), at(0)).unwrap().urgent);
        form.onderwerp.clear();
        assert!(!Submission::from_form(SubmissionKind::Vraag, &form, |_| true, CaseId::new(), at(0)).unwrap().urgent);
    }

    #[test]
    fn a_klacht_needs_a_name_and_a_way_to_answer() {
        let form = SubmissionForm { omschrijving: "Niemand belde terug".into(), ..Default::default() };
        let e = Submission::from_form(SubmissionKind::Klacht, &form, |_| true, CaseId::new(), at(0)).unwrap_err();
        assert_eq!(e.iter().map(|e| e.field).collect::<Vec<_>>(), vec!["contact", "naam"]);
    }

    #[test]
    fn too_long_text_is_refused_with_the_limit() {
        let mut form = melding();
        form.omschrijving = "x".repeat(MAX_DESCRIPTION_CHARS + 1);
        let e = Submission::from_form(SubmissionKind::Melding, &form, |_| true, CaseId::new(), at(0)).unwrap_err();
        assert_eq!(e[0], Invalid::new("omschrijving", InvalidKind::TooLong { max: 4000 }));
    }

    #[test]
    fn points_must_lie_in_the_netherlands() {
        assert!(GeoPoint::parse("52,0116", "4,3571").unwrap().is_some());
        assert!(GeoPoint::parse("", "").unwrap().is_none());
        assert_eq!(
            GeoPoint::parse("48.85", "2.35").unwrap_err(),
            Invalid::new("punt", InvalidKind::OutsideNetherlands)
        );
        assert_eq!(GeoPoint::parse("abc", "4").unwrap_err().field, "punt");
    }

    #[test]
    fn distances_are_in_metres() {
        let delft = GeoPoint { lat: 52.0116, lon: 4.3571 };
        let near = GeoPoint { lat: 52.0146, lon: 4.3571 }; // 0.003° north ≈ 334 m
        let d = delft.distance_m(near);
        assert!((320.0..350.0).contains(&d), "{d}");
    }

    fn candidate(topic: TopicId, lat: f64, hour: i64, incident: Option<IncidentId>) -> GroupCandidate {
        GroupCandidate {
            submission_id: SubmissionId::new(),
            topic_id: Some(topic),
            location: Location { point: Some(GeoPoint { lat, lon: 4.3571 }), ..Default::default() },
            created_at: at(hour),
            incident_id: incident,
        }
    }

    #[test]
    fn reports_group_by_category_distance_and_time() {
        let flood = TopicId::new();
        let new = candidate(flood, 52.0116, 10, None);
        let near_recent = candidate(flood, 52.0140, 6, None); // ~270 m, 4 h earlier
        let far = candidate(flood, 52.0300, 9, None); // ~2 km
        let old = candidate(flood, 52.0116, 3, None); // 7 h earlier
        let other_topic = candidate(TopicId::new(), 52.0116, 10, None);
        assert_eq!(group(&new, &[far.clone(), old.clone(), other_topic.clone()]), Grouping::Alone);
        assert_eq!(
            group(&new, &[far, old, near_recent.clone(), other_topic]),
            Grouping::Start { with: vec![near_recent.submission_id] }
        );
        let incident = IncidentId::new();
        let grouped = candidate(flood, 52.0120, 8, Some(incident));
        assert_eq!(group(&new, &[near_recent, grouped]), Grouping::Join(incident));
    }

    #[test]
    fn without_points_the_same_postcode_is_the_same_place() {
        let topic = TopicId::new();
        let place = Location { postcode: Some(Postcode::parse("2611AB").unwrap()), ..Default::default() };
        let mut a = candidate(topic, 52.0, 1, None);
        let mut b = candidate(topic, 52.0, 2, None);
        a.location = place.clone();
        b.location = place;
        assert!(matches!(group(&a, &[b.clone()]), Grouping::Start { .. }));
        b.location.postcode = Some(Postcode::parse("2612AB").unwrap());
        assert_eq!(group(&a, &[b]), Grouping::Alone);
    }

    #[test]
    fn the_timeline_speaks_plainly_and_hides_reasons() {
        let change =
            |status, h| StatusChange { status, at: at(h), by: None, reason: Some("intern: wacht op RWS".into()) };
        let steps = timeline(
            SubmissionKind::Melding,
            &[
                change(CaseStatus::Ontvangen, 0),
                change(CaseStatus::InBehandeling, 1),
                change(CaseStatus::Opgeschort, 2),
                change(CaseStatus::InBehandeling, 3),
                change(CaseStatus::Afgehandeld, 4),
                change(CaseStatus::InBehandeling, 5),
            ],
        );
        let texts: Vec<&str> = steps.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(texts[0], "We hebben uw melding ontvangen.");
        assert_eq!(texts[3], "We gaan weer verder met uw melding.");
        assert_eq!(texts[4], "Uw melding is afgehandeld.");
        assert_eq!(texts[5], "We kijken opnieuw naar uw melding.");
        assert!(texts.iter().all(|t| !t.contains("RWS")));
    }

    #[test]
    fn survey_answers_are_checked_and_reopen_needs_unhappiness() {
        let id = SubmissionId::new();
        let form = SurveyForm {
            cijfer: "4".into(),
            opgelost: "nee".into(),
            moeite: "5".into(),
            heropenen: "ja".into(),
            ..Default::default()
        };
        let a = SurveyAnswer::from_form(id, &form, at(0)).unwrap();
        assert!(a.reopen_requested);
        let happy = SurveyForm { cijfer: "9".into(), opgelost: "ja".into(), ..form.clone() };
        assert!(!SurveyAnswer::from_form(id, &happy, at(0)).unwrap().reopen_requested);
        let bad = SurveyForm { cijfer: "11".into(), opgelost: "misschien".into(), moeite: "".into(), ..form };
        assert_eq!(SurveyAnswer::from_form(id, &bad, at(0)).unwrap_err().len(), 3);
    }

    #[test]
    fn the_survey_is_open_for_fourteen_days_after_closure() {
        assert!(!survey_open(None, at(0)));
        assert!(survey_open(Some(at(0)), at(24 * 14)));
        assert!(!survey_open(Some(at(0)), at(24 * 14 + 1)));
    }
}
