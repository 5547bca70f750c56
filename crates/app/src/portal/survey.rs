//! The survey after closure: one answer per submission, within 14 days; an unhappy citizen may
//! ask to look again.

use super::PortalError;
use crate::{App, AppError};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::portal::{self, SurveyAnswer, SurveyForm};

impl App {
    /// The survey after closure: one answer per submission, within 14 days. An unhappy citizen
    /// may ask to look again; the case gets a note its owner sees.
    pub async fn answer_survey(&self, token: &str, form: &SurveyForm) -> Result<SurveyAnswer, PortalError> {
        let record = self.record_for_token(token).await?;
        let now = self.now();
        portal::check_survey_open(record.survey.is_some(), record.case.closed_at, now)?;
        let answer = SurveyAnswer::from_form(record.submission.id, form, now).map_err(PortalError::Invalid)?;
        let change = Change::new(Actor::Public, now, "survey.answered", record.submission.id, answer.grade.to_string());
        // A request to reopen leaves a note on the case, saved with the answer in one transaction.
        let mut reopen = None;
        if answer.reopen_requested {
            let (mut case, version) = self.store.case(record.case.id).await?.ok_or(AppError::NotFound("case"))?;
            let note = format!(
                "De klant vraagt om opnieuw te kijken (tevredenheid: cijfer {}, opgelost: {}).",
                answer.grade,
                if answer.solved { "ja" } else { "nee" }
            );
            case.add_note(&note, None, now).map_err(AppError::from)?;
            let change = Change::new(Actor::Public, now, "case.reopen_requested", case.id, "");
            reopen = Some((case, version, change));
        }
        let case = reopen.as_ref().map(|(case, expected_version, change)| crate::ports::CaseUpdate {
            case,
            expected_version: *expected_version,
            change,
        });
        self.store.insert_survey_answer(&answer, &change, case).await.map_err(AppError::from)?;
        Ok(answer)
    }
}
