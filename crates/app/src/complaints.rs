//! Use cases: complaints (klachten) as the Awb asks, chapter 9. Who a klacht is about (the 9:7
//! rule itself lives on the case and holds for every way a case gets an owner), the hearing
//! (9:10), and the complaint register with its annual overview (9:12a). Closing a klacht with
//! its outcome in writing (9:12) is `close_case` in [`crate::case_work`].

use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::Invalid;
use gastvrij_domain::case::{Case, CaseResult, CaseStatus, CaseType};
use gastvrij_domain::complaint::{self, HearingOutcome, RegisterLine, Timeliness, YearOverview};
use gastvrij_domain::ids::{CaseId, EmployeeId, TopicId};
use jiff::civil::Date;

/// One klacht in the register, for team leads (the references are for them only; the annual
/// overview has none).
#[derive(Debug, Clone)]
pub struct RegisterRow {
    pub id: CaseId,
    pub reference: String,
    /// The day it was received, in the water board's time zone.
    pub received_on: Date,
    pub status: CaseStatus,
    pub topic: Option<String>,
    /// The result, while it is closed.
    pub result: Option<CaseResult>,
    pub timeliness: Timeliness,
}

/// The complaint register of a year: every klacht received in it, and the annual overview made
/// from exactly those.
pub struct Register {
    pub year: i16,
    pub rows: Vec<RegisterRow>,
    pub overview: YearOverview,
}

impl App {
    /// Record who a klacht is about: employees (they may not handle it, Awb 9:7) and perhaps
    /// someone who is no employee. Whoever works customers' cases may record it, except an
    /// employee already named involved (a team lead then does).
    pub async fn set_complaint_involved(
        &self,
        who: &Principal,
        id: CaseId,
        employees: Vec<EmployeeId>,
        other: &str,
    ) -> Result<Case, AppError> {
        who.require(roles::CUSTOMER_WORK)?;
        let (case, _) = self.store.case(id).await?.ok_or(AppError::NotFound("case"))?;
        let lead = who.leads_teams();
        let named =
            case.complaint.as_ref().is_some_and(|c| who.employee_id().is_some_and(|me| c.involved.contains(&me)));
        if named && !lead {
            return Err(AppError::Forbidden("a team lead (you are involved in this complaint)".into()));
        }
        for e in &employees {
            if self.store.employee(*e).await?.is_none() {
                return Err(Invalid::unknown_id("involved", e).into());
            }
        }
        let now = self.now();
        self.change_case(who, id, "complaint.involved_set", |c| c.set_involved(employees, Some(other), now)).await
    }

    /// The complainant is offered a hearing on `on` (`YYYY-MM-DD`).
    pub async fn offer_hearing(&self, who: &Principal, id: CaseId, on: &str) -> Result<Case, AppError> {
        let (by, now) = (who.employee_id(), self.now());
        self.change_case(who, id, "complaint.hearing_offered", |c| c.offer_hearing(on, by, now)).await
    }

    /// The hearing was held (on a day not after today, with notes) or not held (with the reason).
    pub async fn settle_hearing(&self, who: &Principal, id: CaseId, outcome: HearingOutcome) -> Result<Case, AppError> {
        let (by, now) = (who.employee_id(), self.now());
        let today = self.date_of(now).await;
        self.change_case(who, id, "complaint.hearing_settled", |c| c.settle_hearing(outcome, by, now, today)).await
    }

    /// The complaint register of `year` as typed (`2026`; klachten received in it, in the water
    /// board's time zone) with its annual overview. Team leads and beheerders only.
    pub async fn complaint_register(&self, who: &Principal, year: &str) -> Result<Register, AppError> {
        who.require(roles::TEAM_LEADS)?;
        let year = complaint::parse_year(year)?;
        let (_, tz) = self.board().await;
        let start = |y: i16| -> Result<jiff::Timestamp, AppError> {
            let zoned = Date::new(y, 1, 1).and_then(|d| d.to_zoned_datetime(tz.clone()));
            Ok(zoned.map_err(|e| AppError::Unexpected(anyhow::anyhow!("year {y}: {e}")))?.timestamp())
        };
        let cases = self.store.complaints_received(start(year)?, start(year + 1)?).await?;
        let topics = self.store.topics().await?;
        let topic_name = |t: Option<TopicId>| t.and_then(|t| topics.iter().find(|x| x.id == t)).map(|x| x.name.clone());
        let rows: Vec<RegisterRow> = cases
            .iter()
            .map(|c| RegisterRow {
                id: c.id,
                reference: c.reference.clone(),
                received_on: c.created_at.to_zoned_datetime(tz.clone()).date(),
                status: c.status,
                topic: topic_name(c.topic_id),
                result: c.closure.as_ref().filter(|_| c.status == CaseStatus::Afgehandeld).map(|x| x.result),
                timeliness: self.complaint_timeliness(c),
            })
            .collect();
        let lines: Vec<RegisterLine> =
            cases.iter().zip(&rows).map(|(c, r)| RegisterLine::of(c, r.topic.clone(), r.timeliness)).collect();
        Ok(Register { year, overview: complaint::year_overview(year, &lines), rows })
    }

    /// Whether a klacht is handled in time now (`complaint::timeliness`); not judged (pending)
    /// when no norm applies or its timing cannot be computed.
    fn complaint_timeliness(&self, case: &Case) -> Timeliness {
        let Some(norm) = self.settings.norms.for_case_type(CaseType::Klacht) else { return Timeliness::Pending };
        let Ok(calendar) = self.settings.calendars.get(&norm.calendar) else { return Timeliness::Pending };
        complaint::timeliness(case, norm, calendar, self.now()).unwrap_or_else(|e| {
            tracing::warn!(error = %e, case = %case.id, "complaint timing not computed");
            Timeliness::Pending
        })
    }

    /// The day of `at` in the water board's time zone.
    async fn date_of(&self, at: jiff::Timestamp) -> Date {
        let (_, tz) = self.board().await;
        at.to_zoned_datetime(tz).date()
    }
}
