//! A vraag, melding or klacht as typed into the form, and the checked submission.

use super::{
    ContactPreference, GeoPoint, IncidentId, Location, MAX_DESCRIPTION_CHARS, MAX_SHORT_CHARS, SubmissionId,
    SubmissionKind, keep,
};
use crate::case::{Case, CaseType};
use crate::ids::{CaseId, TopicId};
use crate::values::{Email, PhoneNumber, Postcode};
use crate::{Format, Invalid, InvalidKind, text};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

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
    /// The citizen's side of a case made from a phone call, e-mail, letter or counter visit,
    /// for a citizen whose e-mail address is known: stored like a web submission, so the
    /// acknowledgement, the tracking link, messages, status mails and the survey work the same.
    /// `text` is the question as the employee recorded it.
    pub fn for_case(
        case: &Case,
        text: &str,
        name: Option<String>,
        email: Email,
        phone: Option<PhoneNumber>,
        now: Timestamp,
    ) -> Self {
        let kind = match case.case_type {
            CaseType::Melding => SubmissionKind::Melding,
            CaseType::Klacht => SubmissionKind::Klacht,
            _ => SubmissionKind::Vraag,
        };
        Self {
            id: SubmissionId::new(),
            kind,
            case_id: case.id,
            topic_id: case.topic_id,
            description: text.to_string(),
            location: Location::default(),
            observed: None,
            urgent: case.urgent,
            preference: ContactPreference::Email,
            name,
            email: Some(email),
            phone,
            photo_location_allowed: false,
            created_at: now,
            incident_id: None,
        }
    }

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

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

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
}
