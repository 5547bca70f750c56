//! Contacts (klantcontacten): one conversation through one channel, holding one or more questions.

use crate::channel::Channel;
use crate::ids::{CaseId, ContactId, CustomerId, EmployeeId, QuestionId, TopicId};
use crate::{Invalid, InvalidKind, StateRule, text};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Where a question was answered: Delfland's first, second and third line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Line {
    /// Answered at once by the KCC.
    FirstLine,
    /// Answered by the KCC after consulting the back office (ruggespraak).
    SecondLine,
    /// Handled by the back office (a case) or by another body.
    ThirdLine,
}

impl Line {
    pub const ALL: [Line; 3] = [Line::FirstLine, Line::SecondLine, Line::ThirdLine];
    pub fn code(self) -> &'static str {
        match self {
            Line::FirstLine => "first_line",
            Line::SecondLine => "second_line",
            Line::ThirdLine => "third_line",
        }
    }
}
crate::codes::impl_codes!(Line, "line");

/// What happened to a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Answered at once (first line).
    Answered,
    /// Answered after consulting the back office (second line).
    AnsweredAfterConsult,
    /// Handed over to a team as a case (third line).
    HandedOver,
    /// Forwarded to another body (gemeente, provincie, Rijkswaterstaat, drinkwaterbedrijf).
    Forwarded,
    /// Not answered (e.g. caller hung up); counts against first-time fix.
    NotAnswered,
}

impl Outcome {
    pub const ALL: [Outcome; 5] = [
        Outcome::Answered,
        Outcome::AnsweredAfterConsult,
        Outcome::HandedOver,
        Outcome::Forwarded,
        Outcome::NotAnswered,
    ];
    pub fn code(self) -> &'static str {
        match self {
            Outcome::Answered => "answered",
            Outcome::AnsweredAfterConsult => "answered_after_consult",
            Outcome::HandedOver => "handed_over",
            Outcome::Forwarded => "forwarded",
            Outcome::NotAnswered => "not_answered",
        }
    }

    /// The line an outcome belongs to.
    pub fn line(self) -> Option<Line> {
        match self {
            Outcome::Answered => Some(Line::FirstLine),
            Outcome::AnsweredAfterConsult => Some(Line::SecondLine),
            Outcome::HandedOver | Outcome::Forwarded => Some(Line::ThirdLine),
            Outcome::NotAnswered => None,
        }
    }
}
crate::codes::impl_codes!(Outcome, "outcome");

/// The state of a contact in the agent's workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ContactState {
    Open,
    Parked,
    Closed,
}

impl ContactState {
    pub const ALL: [ContactState; 3] = [ContactState::Open, ContactState::Parked, ContactState::Closed];
    pub fn code(self) -> &'static str {
        match self {
            ContactState::Open => "open",
            ContactState::Parked => "parked",
            ContactState::Closed => "closed",
        }
    }
}
crate::codes::impl_codes!(ContactState, "state");

/// One question asked in a contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Question {
    pub id: QuestionId,
    pub topic_id: Option<TopicId>,
    pub text: String,
    pub answer: Option<String>,
    pub line: Option<Line>,
    pub outcome: Option<Outcome>,
    /// The case created when the question was handed over.
    pub case_id: Option<CaseId>,
    /// The other body the question was forwarded to.
    pub forwarded_to: Option<String>,
    /// When the other body confirmed it took the question over; until then the water board
    /// stays its owner.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub forward_confirmed_at: Option<Timestamp>,
}

/// A question as received from a form or the API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QuestionInput {
    #[serde(default)]
    pub topic_id: Option<TopicId>,
    #[schema(min_length = 1, max_length = 20000, pattern = r"\S")]
    pub text: String,
    #[serde(default)]
    #[schema(max_length = 20000)]
    pub answer: Option<String>,
    #[serde(default)]
    pub outcome: Option<Outcome>,
    #[serde(default)]
    pub line: Option<Line>,
    #[serde(default)]
    #[schema(max_length = 200)]
    pub forwarded_to: Option<String>,
}

impl Question {
    pub fn create(input: QuestionInput) -> Result<Self, Invalid> {
        let text = text::required("text", &input.text, text::limits::LONG)?;
        let answer = text::optional("answer", input.answer.as_deref(), text::limits::LONG)?;
        let forwarded_to = text::optional("forwarded_to", input.forwarded_to.as_deref(), text::limits::NAME)?;
        if input.outcome == Some(Outcome::Forwarded) && forwarded_to.is_none() {
            return Err(Invalid::empty("forwarded_to"));
        }
        let line = match (input.line, input.outcome.and_then(Outcome::line)) {
            (Some(given), Some(implied)) if given != implied => {
                return Err(Invalid::new(
                    "line",
                    InvalidKind::Mismatch { with: "outcome", expected: Some(implied.code()) },
                ));
            }
            (given, implied) => given.or(implied),
        };
        Ok(Question {
            id: QuestionId::new(),
            topic_id: input.topic_id,
            text,
            answer,
            line,
            outcome: input.outcome,
            case_id: None,
            forwarded_to,
            forward_confirmed_at: None,
        })
    }

    /// Record that the body the question was forwarded to has taken it over.
    pub fn confirm_forward(&mut self, now: Timestamp) -> Result<(), Invalid> {
        if self.outcome != Some(Outcome::Forwarded) {
            return Err(Invalid::wrong_state("outcome", StateRule::NotForwarded));
        }
        if self.forward_confirmed_at.is_some() {
            return Err(Invalid::wrong_state("forward_confirmed_at", StateRule::AlreadyConfirmed));
        }
        self.forward_confirmed_at = Some(now);
        Ok(())
    }
}

/// A contact as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Contact {
    pub id: ContactId,
    pub channel: Channel,
    pub customer_id: Option<CustomerId>,
    pub agent_id: Option<EmployeeId>,
    pub state: ContactState,
    #[schema(value_type = String, format = DateTime)]
    pub started_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub ended_at: Option<Timestamp>,
    /// Seconds the caller waited before being answered (phone only).
    pub waiting_seconds: Option<u32>,
    pub questions: Vec<Question>,
}

/// A contact as received from a form or the API.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ContactInput {
    pub channel: Channel,
    #[serde(default)]
    pub customer_id: Option<CustomerId>,
    #[serde(default)]
    pub agent_id: Option<EmployeeId>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub started_at: Option<Timestamp>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = DateTime)]
    pub ended_at: Option<Timestamp>,
    #[serde(default)]
    pub waiting_seconds: Option<u32>,
    #[serde(default)]
    pub questions: Vec<QuestionInput>,
}

impl ContactInput {
    /// A contact on `channel` without customer, agent, times, waiting time or questions; set
    /// what is known with struct update syntax.
    pub fn on(channel: Channel) -> Self {
        ContactInput {
            channel,
            customer_id: None,
            agent_id: None,
            started_at: None,
            ended_at: None,
            waiting_seconds: None,
            questions: vec![],
        }
    }
}

/// The longest plausible wait in a phone queue; more is a data error.
pub const MAX_WAITING_SECONDS: u32 = 4 * 3600;

impl Contact {
    pub fn create(input: ContactInput, now: Timestamp) -> Result<Self, Invalid> {
        if input.waiting_seconds.is_some() && input.channel != Channel::Telefoon {
            return Err(Invalid::new("waiting_seconds", InvalidKind::NotApplicable));
        }
        if input.waiting_seconds.is_some_and(|w| w > MAX_WAITING_SECONDS) {
            return Err(Invalid::new(
                "waiting_seconds",
                InvalidKind::OutOfRange { min: 0, max: Some(i64::from(MAX_WAITING_SECONDS)) },
            ));
        }
        let started_at = input.started_at.unwrap_or(now);
        if started_at > now + jiff::SignedDuration::from_mins(5) {
            return Err(Invalid::new("started_at", InvalidKind::InFuture));
        }
        if let Some(end) = input.ended_at
            && end < started_at
        {
            return Err(Invalid::new("ended_at", InvalidKind::OutOfOrder { after: "started_at" }));
        }
        let questions = input
            .questions
            .into_iter()
            .enumerate()
            .map(|(i, q)| Question::create(q).map_err(|e| e.in_item("questions", i)))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Contact {
            id: ContactId::new(),
            channel: input.channel,
            customer_id: input.customer_id,
            agent_id: input.agent_id,
            state: if input.ended_at.is_some() { ContactState::Closed } else { ContactState::Open },
            started_at,
            ended_at: input.ended_at,
            waiting_seconds: input.waiting_seconds,
            questions,
        })
    }

    /// Park an open contact so the agent can take another and resume this one later.
    pub fn park(&mut self) -> Result<(), Invalid> {
        match self.state {
            ContactState::Open => {
                self.state = ContactState::Parked;
                Ok(())
            }
            _ => Err(Invalid::wrong_state("state", StateRule::ContactNotOpen)),
        }
    }

    pub fn resume(&mut self) -> Result<(), Invalid> {
        match self.state {
            ContactState::Parked => {
                self.state = ContactState::Open;
                Ok(())
            }
            _ => Err(Invalid::wrong_state("state", StateRule::ContactNotParked)),
        }
    }

    /// Close the contact; it needs at least one question and records the end time.
    pub fn close(&mut self, now: Timestamp) -> Result<(), Invalid> {
        if self.state == ContactState::Closed {
            return Err(Invalid::wrong_state("state", StateRule::ContactClosed));
        }
        if self.questions.is_empty() {
            return Err(Invalid::empty("questions"));
        }
        self.state = ContactState::Closed;
        self.ended_at = Some(now.max(self.started_at));
        Ok(())
    }

    /// Length of the contact in seconds, once closed.
    pub fn duration_seconds(&self) -> Option<i64> {
        self.ended_at.map(|end| end.as_second() - self.started_at.as_second())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> Timestamp {
        Timestamp::from_second(1_780_000_000).unwrap()
    }

    fn q(text: &str, outcome: Option<Outcome>) -> QuestionInput {
        QuestionInput { text: text.into(), outcome, ..Default::default() }
    }

    #[test]
    fn the_outcome_decides_the_line() {
        let c = Contact::create(
            ContactInput {
                waiting_seconds: Some(12),
                questions: vec![
                    q("Wanneer komt de aanslag?", Some(Outcome::Answered)),
                    q("Vergunning steiger", Some(Outcome::HandedOver)),
                ],
                ..ContactInput::on(Channel::Telefoon)
            },
            now(),
        )
        .unwrap();
        assert_eq!(c.questions[0].line, Some(Line::FirstLine));
        assert_eq!(c.questions[1].line, Some(Line::ThirdLine));
    }

    #[test]
    fn waiting_time_only_for_phone_and_errors_name_the_question() {
        let base = ContactInput { waiting_seconds: Some(3), ..ContactInput::on(Channel::Email) };
        assert_eq!(Contact::create(base.clone(), now()).unwrap_err().field, "waiting_seconds");
        let bad_q = ContactInput { waiting_seconds: None, questions: vec![q("ok", None), q("  ", None)], ..base };
        assert_eq!(Contact::create(bad_q, now()).unwrap_err().path(), "questions[1].text");
    }

    #[test]
    fn park_resume_close_records_duration() {
        let mut c =
            Contact::create(ContactInput { started_at: Some(now()), ..ContactInput::on(Channel::Telefoon) }, now())
                .unwrap();
        c.park().unwrap();
        assert!(c.park().is_err());
        c.resume().unwrap();
        assert_eq!(c.close(now()).unwrap_err().field, "questions");
        c.questions.push(Question::create(q("x", Some(Outcome::Answered))).unwrap());
        c.close(now() + jiff::SignedDuration::from_secs(95)).unwrap();
        assert_eq!(c.duration_seconds(), Some(95));
    }
}
