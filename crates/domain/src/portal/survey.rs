//! The survey after closure: one answer per submission, within [`SURVEY_DAYS`] days.

use super::{MAX_DESCRIPTION_CHARS, SURVEY_DAYS, SubmissionId, keep};
use crate::{Invalid, InvalidKind, StateRule, text};
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
