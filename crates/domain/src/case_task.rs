//! Internal tasks: a case asks another team for something (advice, a site visit), with a day
//! it is needed by; the task shows in that team's queue until the team answers it.

use crate::ids::{CaseId, CaseTaskId, EmployeeId, TeamId};
use crate::{Invalid, InvalidKind, StateRule, text};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One request of a case to another team.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct CaseTask {
    pub id: CaseTaskId,
    pub case_id: CaseId,
    /// The team that is asked.
    pub to_team: TeamId,
    pub question: String,
    /// The last day the answer is needed (the asking team's deadline for it).
    #[schema(value_type = String, format = Date)]
    pub due_on: Date,
    pub asked_by: Option<EmployeeId>,
    #[schema(value_type = String, format = DateTime)]
    pub asked_at: Timestamp,
    pub answer: Option<String>,
    pub answered_by: Option<EmployeeId>,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub answered_at: Option<Timestamp>,
}

impl CaseTask {
    /// A new request; `due_on` (`YYYY-MM-DD`) must lie after `today`.
    pub fn ask(
        case_id: CaseId,
        to_team: TeamId,
        question: &str,
        due_on: &str,
        by: Option<EmployeeId>,
        now: Timestamp,
        today: Date,
    ) -> Result<Self, Invalid> {
        let question = text::required("question", question, text::limits::LONG)?;
        let due_on = crate::planned_works::parse_date("due_on", due_on)?;
        if due_on <= today {
            return Err(Invalid::new("due_on", InvalidKind::OutOfOrder { after: "today" }));
        }
        Ok(CaseTask {
            id: CaseTaskId::new(),
            case_id,
            to_team,
            question,
            due_on,
            asked_by: by,
            asked_at: now,
            answer: None,
            answered_by: None,
            answered_at: None,
        })
    }

    /// The asked team answers, once.
    pub fn answer(&mut self, answer: &str, by: Option<EmployeeId>, now: Timestamp) -> Result<(), Invalid> {
        if self.answer.is_some() {
            return Err(Invalid::wrong_state("answer", StateRule::AlreadyAnswered));
        }
        self.answer = Some(text::required("answer", answer, text::limits::LONG)?);
        (self.answered_by, self.answered_at) = (by, Some(now));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_task_needs_a_question_and_a_later_day_and_is_answered_once() {
        let today = Date::constant(2026, 3, 2);
        let ask = |q: &str, due: &str| {
            CaseTask::ask(CaseId::new(), TeamId::new(), q, due, None, Timestamp::UNIX_EPOCH, today)
        };
        assert_eq!(ask(" ", "2026-03-05").unwrap_err().field, "question");
        assert_eq!(ask("Kunt u kijken?", "2026-03-02").unwrap_err().field, "due_on");
        assert_eq!(ask("Kunt u kijken?", "5 maart").unwrap_err().field, "due_on");
        let mut task = ask("Kunt u kijken?", "2026-03-05").unwrap();
        assert_eq!(task.answer("", None, Timestamp::UNIX_EPOCH).unwrap_err().field, "answer");
        task.answer("Gedaan: de duiker is vrij.", None, Timestamp::UNIX_EPOCH).unwrap();
        assert_eq!(task.answer("nog eens", None, Timestamp::UNIX_EPOCH).unwrap_err().field, "answer");
    }
}
