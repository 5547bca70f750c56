//! Mail texts for citizens: plain Dutch (B1), one struct per mail, each body an askama text
//! template in `templates/mail/*.txt` (text templates are not HTML-escaped). The subject, one
//! line, is made here. The acknowledgement and the case letters may instead use the text a
//! redacteur saved for their kind (`text_with`, see `gastvrij_domain::letter_template`).

use crate::AppError;
use askama::Template;
use gastvrij_domain::case::CaseStatus;
use gastvrij_domain::letter_template::{LetterKind, LetterTemplate, Values};
use gastvrij_domain::planned_works::PlannedWork;
use gastvrij_domain::portal::{self, Submission, SubmissionKind};

/// A mail's subject and body.
pub type MailText = (String, String);

fn rendered(template: &impl Template) -> Result<String, AppError> {
    template.render().map_err(|e| AppError::Unexpected(anyhow::anyhow!("a mail template failed: {e}")))
}

/// `custom` filled in with `values`, or the `standard` text when there is no custom text or it
/// uses a value this mail lacks (a link in a printed letter).
fn custom_or(
    custom: Option<&LetterTemplate>,
    values: &Values<'_>,
    standard: impl FnOnce() -> Result<MailText, AppError>,
) -> Result<MailText, AppError> {
    match custom.and_then(|t| t.render(values)) {
        Some(text) => Ok(text),
        None => standard(),
    }
}

/// The acknowledgement of a vraag, melding or klacht (Ontvangstbevestiging). Its reference is
/// [`crate::ports::REFERENCE_PLACEHOLDER`]: the store fills it in when it assigns one.
#[derive(Template)]
#[template(path = "mail/acknowledgement.txt")]
pub struct Acknowledgement<'a> {
    pub name: Option<&'a str>,
    pub kind: SubmissionKind,
    pub noun: &'a str,
    pub urgent: bool,
    pub reference: &'a str,
    /// When the citizen hears from us at the latest: "dinsdag 3 maart 2026".
    pub expected: Option<&'a str>,
    pub link: &'a str,
    pub org: &'a str,
}

impl<'a> Acknowledgement<'a> {
    pub fn of(s: &'a Submission, link: &'a str, expected: Option<&'a str>, org: &'a str) -> Self {
        Self {
            name: s.name.as_deref(),
            kind: s.kind,
            noun: s.kind.noun(),
            urgent: s.urgent,
            reference: crate::ports::REFERENCE_PLACEHOLDER,
            expected,
            link,
            org,
        }
    }

    pub fn text(&self) -> Result<MailText, AppError> {
        Ok((format!("Ontvangstbevestiging: uw {} {}", self.noun, self.reference), rendered(self)?))
    }

    /// The text from `custom` (an [`LetterKind::Ontvangstbevestiging`]) when given, else
    /// [`Self::text`]. A melding with danger now always gets the standard text: it tells the
    /// citizen we act at once.
    pub fn text_with(&self, custom: Option<&LetterTemplate>) -> Result<MailText, AppError> {
        let custom = custom.filter(|t| t.kind == LetterKind::Ontvangstbevestiging && !self.urgent);
        let values = Values {
            naam: self.name,
            soort: Some(self.noun),
            kenmerk: Some(self.reference),
            uiterlijk: self.expected,
            link: Some(self.link),
            tekst: None,
            organisatie: Some(self.org),
        };
        custom_or(custom, &values, || self.text())
    }
}

/// To the on-call service (Gevaarmelding): a melding with danger now, with what the on-call
/// employee needs to act and to call back. Its reference is [`crate::ports::REFERENCE_PLACEHOLDER`].
#[derive(Template)]
#[template(path = "mail/danger_alert.txt")]
pub struct DangerAlert<'a> {
    pub reference: &'a str,
    pub topic: Option<&'a str>,
    pub postcode: Option<&'a str>,
    pub house_number: Option<&'a str>,
    pub place: Option<&'a str>,
    /// "52.01234, 4.35678"
    pub point: Option<String>,
    pub observed: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub description: &'a str,
    pub case_link: &'a str,
    pub org: &'a str,
}

impl<'a> DangerAlert<'a> {
    pub fn of(s: &'a Submission, topic: Option<&'a str>, case_link: &'a str, org: &'a str) -> Self {
        Self {
            reference: crate::ports::REFERENCE_PLACEHOLDER,
            topic,
            postcode: s.location.postcode.as_ref().map(|p| p.as_str()),
            house_number: s.location.house_number.as_deref(),
            place: s.location.description.as_deref(),
            point: s.location.point.map(|p| format!("{:.5}, {:.5}", p.lat, p.lon)),
            observed: s.observed.as_deref(),
            phone: s.phone.as_ref().map(|p| p.as_str()),
            description: &s.description,
            case_link,
            org,
        }
    }

    pub fn text(&self) -> Result<MailText, AppError> {
        Ok((format!("GEVAAR: melding {} — direct oppakken", self.reference), rendered(self)?))
    }
}

/// The case of a submission changed status (not sent for "ontvangen").
#[derive(Template)]
#[template(path = "mail/status.txt")]
pub struct StatusNews<'a> {
    pub name: Option<&'a str>,
    pub noun: &'a str,
    pub reference: &'a str,
    pub status: CaseStatus,
    pub link: &'a str,
    pub org: &'a str,
}

impl<'a> StatusNews<'a> {
    /// `None` for a case that is only received: there is no news then.
    pub fn of(s: &'a Submission, reference: &'a str, status: CaseStatus, link: &'a str, org: &'a str) -> Option<Self> {
        (status != CaseStatus::Ontvangen).then_some(Self {
            name: s.name.as_deref(),
            noun: s.kind.noun(),
            reference,
            status,
            link,
            org,
        })
    }

    pub fn text(&self) -> Result<MailText, AppError> {
        Ok((format!("Status van uw {} {}", self.noun, self.reference), rendered(self)?))
    }
}

/// Staff wrote to the citizen (the message also shows on the tracking page), or an update went to
/// every reporter of an incident ([`IncidentUpdate::of`]).
#[derive(Template)]
#[template(path = "mail/message.txt")]
pub struct StaffMessage<'a> {
    /// An incident update ("nieuws over uw melding") rather than a message to this citizen.
    pub incident: bool,
    pub name: Option<&'a str>,
    pub noun: &'a str,
    pub reference: &'a str,
    pub text: &'a str,
    pub link: &'a str,
    pub org: &'a str,
}

impl<'a> StaffMessage<'a> {
    pub fn of(s: &'a Submission, reference: &'a str, text: &'a str, link: &'a str, org: &'a str) -> Self {
        Self { incident: false, name: s.name.as_deref(), noun: s.kind.noun(), reference, text, link, org }
    }

    pub fn text(&self) -> Result<MailText, AppError> {
        Ok((format!("Nieuws over uw {} {}", self.noun, self.reference), rendered(self)?))
    }
}

/// An update to every reporter of an incident: a [`StaffMessage`] that says it is news about the
/// melding.
pub struct IncidentUpdate;

impl IncidentUpdate {
    pub fn of<'a>(
        s: &'a Submission,
        reference: &'a str,
        text: &'a str,
        link: &'a str,
        org: &'a str,
    ) -> StaffMessage<'a> {
        StaffMessage { incident: true, ..StaffMessage::of(s, reference, text, link, org) }
    }
}

/// What a [`CaseLetter`] tells: its fixed opening.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CaseNews {
    /// The case moved to this status (opgeschort: what is asked of the citizen follows).
    Status(CaseStatus),
    /// The term was extended; the new last day, e.g. "dinsdag 3 maart 2026", then the reason.
    Extended(String),
    /// The case was closed; the answer follows.
    Answer,
    /// The case was received (the printed acknowledgement when there is no e-mail address); when
    /// the citizen hears from us follows.
    Received,
}

/// News about a case from the back office, in the employee's own words after a fixed opening:
/// by mail (with the tracking link for a case from the portal), or printed as a letter.
#[derive(Template)]
#[template(path = "mail/case_letter.txt")]
pub struct CaseLetter<'a> {
    pub name: Option<&'a str>,
    /// The case type as a citizen names it ("klacht").
    pub noun: &'a str,
    pub reference: &'a str,
    pub news: CaseNews,
    pub text: &'a str,
    /// The survey invitation (a closed case from the portal).
    pub survey: bool,
    /// The tracking link (a case from the portal).
    pub link: Option<&'a str>,
    pub org: &'a str,
}

impl<'a> CaseLetter<'a> {
    /// `news` and `text` about `case` to `name`, without a survey invitation or a link.
    pub fn about(
        case: &'a gastvrij_domain::case::Case,
        name: Option<&'a str>,
        news: CaseNews,
        text: &'a str,
        org: &'a str,
    ) -> Self {
        Self {
            name,
            noun: case.case_type.code(),
            reference: &case.reference,
            news,
            text,
            survey: false,
            link: None,
            org,
        }
    }

    pub fn text(&self) -> Result<MailText, AppError> {
        let subject = match &self.news {
            CaseNews::Status(CaseStatus::Opgeschort) => format!("We hebben iets van u nodig: {}", self.reference),
            CaseNews::Status(_) => format!("Nieuws over uw {} {}", self.noun, self.reference),
            CaseNews::Extended(_) => format!("Meer tijd nodig voor uw {} {}", self.noun, self.reference),
            CaseNews::Answer => format!("Antwoord op uw {} {}", self.noun, self.reference),
            CaseNews::Received => format!("Ontvangstbevestiging: uw {} {}", self.noun, self.reference),
        };
        Ok((subject, rendered(self)?))
    }

    /// The template kind of this letter.
    pub fn template_kind(&self) -> LetterKind {
        match self.news {
            CaseNews::Status(CaseStatus::Opgeschort) => LetterKind::Opschorting,
            CaseNews::Status(_) => LetterKind::Statuswijziging,
            CaseNews::Extended(_) => LetterKind::Verdaging,
            CaseNews::Answer if self.survey => LetterKind::EnqueteUitnodiging,
            CaseNews::Answer => LetterKind::Antwoord,
            CaseNews::Received => LetterKind::Ontvangstbevestiging,
        }
    }

    /// The text from `custom` (of [`Self::template_kind`]) when given and every value it uses is
    /// known for this letter, else [`Self::text`].
    pub fn text_with(&self, custom: Option<&LetterTemplate>) -> Result<MailText, AppError> {
        let custom = custom.filter(|t| t.kind == self.template_kind());
        let values = Values {
            naam: self.name,
            soort: Some(self.noun),
            kenmerk: Some(self.reference),
            uiterlijk: match &self.news {
                CaseNews::Extended(until) => Some(until.as_str()),
                _ => None,
            },
            link: self.link,
            tekst: Some(self.text),
            organisatie: Some(self.org),
        };
        custom_or(custom, &values, || self.text())
    }
}

/// The double opt-in of a subscription to news about works and calamities.
#[derive(Template)]
#[template(path = "mail/subscription_confirmation.txt")]
pub struct SubscriptionConfirmation<'a> {
    pub org: &'a str,
    pub postcode: &'a str,
    pub confirm_link: &'a str,
    pub unsubscribe_link: &'a str,
}

impl SubscriptionConfirmation<'_> {
    pub fn text(&self) -> Result<MailText, AppError> {
        Ok(("Bevestig uw aanmelding voor berichten over werkzaamheden".to_string(), rendered(self)?))
    }
}

/// News to one subscriber, with the link to unsubscribe.
#[derive(Template)]
#[template(path = "mail/subscriber_news.txt")]
pub struct SubscriberNews<'a> {
    pub org: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
    pub postcode: &'a str,
    pub unsubscribe_link: &'a str,
}

impl SubscriberNews<'_> {
    pub fn text(&self) -> Result<MailText, AppError> {
        Ok((self.subject.to_string(), rendered(self)?))
    }
}

/// The text of news about a planned work ([`SubscriberNews`] frames it): the editor's words, if
/// any, then the work's facts.
#[derive(Template)]
#[template(path = "mail/work_news.txt")]
pub struct WorkNews<'a> {
    pub intro: Option<&'a str>,
    pub work: &'a PlannedWork,
}

impl WorkNews<'_> {
    pub fn text(&self) -> Result<String, AppError> {
        rendered(self)
    }
}

/// The subject of news about a planned work when the editor gives none.
pub fn work_news_subject(work: &PlannedWork) -> String {
    format!("Werkzaamheden bij u in de buurt: {}", work.title)
}

#[cfg(test)]
#[path = "letters_tests.rs"]
mod tests;
