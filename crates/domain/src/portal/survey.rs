//! The survey after closure: one answer per submission, within [`SURVEY_DAYS`] days.

use super::{SURVEY_DAYS, SubmissionId};
use crate::{Invalid, StateRule};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

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
        let crate::satisfaction::Rating { grade, solved, effort, comment } =
            crate::satisfaction::Rating::from_form(form)?;
        let reopen_requested = form.heropenen.trim() == "ja" && SurveyAnswer::unhappy(grade, solved);
        Ok(SurveyAnswer { submission_id, grade, solved, effort, comment, reopen_requested, answered_at: now })
    }
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

    fn at(h: i64) -> Timestamp {
        Timestamp::UNIX_EPOCH + SignedDuration::from_hours(h)
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
