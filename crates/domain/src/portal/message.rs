//! Messages on a submission both ways, its photos, and the status history told to the citizen.

use super::{MAX_DESCRIPTION_CHARS, SubmissionId, SubmissionKind};
use crate::case::{CaseStatus, StatusChange};
use crate::ids::{EmployeeId, MessageId, PhotoId};
use crate::{Invalid, text};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

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

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::SignedDuration;

    fn at(h: i64) -> Timestamp {
        Timestamp::UNIX_EPOCH + SignedDuration::from_hours(h)
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
}
