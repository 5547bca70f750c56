//! Telephony data: calls as a telephony platform or a call-centre export reports them. They
//! feed the reachability norm (answered within the norm's seconds during office hours) and can
//! be linked to the contact the agent recorded.

pub mod export;

use crate::ids::ContactId;
use crate::text;
use crate::{Invalid, InvalidKind};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// How a call in the queue ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CallOutcome {
    /// Offered to the queue, not (yet) answered or abandoned.
    Offered,
    Answered,
    /// The caller hung up while waiting: not answered in time, whatever the wait.
    Abandoned,
}

impl CallOutcome {
    pub const ALL: [CallOutcome; 3] = [CallOutcome::Offered, CallOutcome::Answered, CallOutcome::Abandoned];
    pub fn code(self) -> &'static str {
        match self {
            CallOutcome::Offered => "offered",
            CallOutcome::Answered => "answered",
            CallOutcome::Abandoned => "abandoned",
        }
    }

    /// Codes as call-centre exports write them, English or Dutch.
    pub fn parse_loose(s: &str) -> Result<Self, Invalid> {
        match s.trim().to_lowercase().as_str() {
            "offered" | "aangeboden" | "in wachtrij" => Ok(CallOutcome::Offered),
            "answered" | "beantwoord" | "aangenomen" => Ok(CallOutcome::Answered),
            "abandoned" | "opgehangen" | "verloren" | "afgebroken" => Ok(CallOutcome::Abandoned),
            other => Err(Invalid::new(
                "outcome",
                InvalidKind::Unknown {
                    given: other.to_string(),
                    allowed: ["offered", "answered", "abandoned", "aangeboden", "beantwoord", "opgehangen"]
                        .map(String::from)
                        .to_vec(),
                },
            )),
        }
    }
}
crate::codes::impl_codes!(CallOutcome, "outcome");

/// A call as received: the platform's own id makes a repeated report an update, not a second call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CallInput {
    /// The telephony platform's id of the call.
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub call_id: String,
    #[schema(value_type = String, format = DateTime)]
    pub offered_at: Timestamp,
    pub outcome: CallOutcome,
    /// Seconds in the queue until answered or abandoned (at most 4 hours); required unless the
    /// outcome is `offered`.
    #[serde(default)]
    #[schema(maximum = 14400)]
    pub waiting_seconds: Option<u32>,
    /// The agent who answered, as the platform names them (not personal data of a citizen).
    #[serde(default)]
    #[schema(max_length = 200)]
    pub agent: Option<String>,
    /// The contact the agent recorded for this call.
    #[serde(default)]
    pub contact_id: Option<ContactId>,
}

/// A stored call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Call {
    pub call_id: String,
    #[schema(value_type = String, format = DateTime)]
    pub offered_at: Timestamp,
    pub outcome: CallOutcome,
    pub waiting_seconds: Option<u32>,
    pub agent: Option<String>,
    pub contact_id: Option<ContactId>,
}

impl Call {
    pub fn create(input: CallInput) -> Result<Self, Invalid> {
        let call_id = text::required("call_id", &input.call_id, 200)?;
        if let Some(w) = input.waiting_seconds
            && w > crate::contact::MAX_WAITING_SECONDS
        {
            return Err(Invalid::new(
                "waiting_seconds",
                InvalidKind::OutOfRange { min: 0, max: Some(i64::from(crate::contact::MAX_WAITING_SECONDS)) },
            ));
        }
        if input.outcome != CallOutcome::Offered && input.waiting_seconds.is_none() {
            return Err(Invalid::empty("waiting_seconds"));
        }
        Ok(Call {
            call_id,
            offered_at: input.offered_at,
            outcome: input.outcome,
            waiting_seconds: input.waiting_seconds,
            agent: text::optional("agent", input.agent.as_deref(), 200)?,
            contact_id: input.contact_id,
        })
    }

    /// Whether the call counts for the reachability norm, and if so whether it was answered
    /// within `limit` seconds. Calls still in the queue do not count yet.
    pub fn answered_within(&self, limit: u32) -> Option<bool> {
        match self.outcome {
            CallOutcome::Offered => None,
            CallOutcome::Abandoned => Some(false),
            CallOutcome::Answered => Some(self.waiting_seconds.is_some_and(|w| w <= limit)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(outcome: CallOutcome, wait: Option<u32>) -> CallInput {
        CallInput {
            call_id: "c-1".into(),
            offered_at: Timestamp::UNIX_EPOCH,
            outcome,
            waiting_seconds: wait,
            agent: None,
            contact_id: None,
        }
    }

    #[test]
    fn abandoned_calls_are_never_answered_in_time_and_queued_calls_do_not_count() {
        assert_eq!(Call::create(input(CallOutcome::Answered, Some(25))).unwrap().answered_within(25), Some(true));
        assert_eq!(Call::create(input(CallOutcome::Answered, Some(26))).unwrap().answered_within(25), Some(false));
        assert_eq!(Call::create(input(CallOutcome::Abandoned, Some(3))).unwrap().answered_within(25), Some(false));
        assert_eq!(Call::create(input(CallOutcome::Offered, None)).unwrap().answered_within(25), None);
    }

    #[test]
    fn bad_calls_are_refused_naming_the_field() {
        assert_eq!(Call::create(input(CallOutcome::Answered, None)).unwrap_err().field, "waiting_seconds");
        assert_eq!(Call::create(input(CallOutcome::Answered, Some(99_999))).unwrap_err().field, "waiting_seconds");
        let mut no_id = input(CallOutcome::Offered, None);
        no_id.call_id = " ".into();
        assert_eq!(Call::create(no_id).unwrap_err().field, "call_id");
        assert_eq!(CallOutcome::parse_loose("Opgehangen").unwrap(), CallOutcome::Abandoned);
        assert_eq!(CallOutcome::parse_loose("weg").unwrap_err().field, "outcome");
    }
}
