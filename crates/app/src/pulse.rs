//! Use cases of the employee pulse (issue 15): answering this period's pulse, the trend per team
//! and for the whole organisation, and the schedule. Anonymous by construction: the answer is
//! stored without the employee (see `docs/pulse.md`), and figures are shown per group only from
//! `MIN_GROUP` answers on (`gastvrij_domain::pulse`).

use crate::ports::{PulseComment, StoredPulseAnswer};
use crate::principal::roles;
use crate::secrets::random_hex;
use crate::{App, AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::TeamId;
use gastvrij_domain::pulse::{Cadence, Period, PulseAnswer, PulseFigures, PulseTotals};
use gastvrij_domain::team::{Role, Team};
use gastvrij_domain::{Invalid, InvalidKind};
use jiff::ToSpan;
use jiff::civil::Date;

/// How many periods the trend shows at most.
pub const TREND_PERIODS: usize = 12;

/// This period's pulse as one employee sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PulseToday {
    pub period: Period,
    pub answered: bool,
}

/// One group's trend: the whole organisation (`team: None`) or a team.
#[derive(Debug, Clone, PartialEq)]
pub struct PulseGroup {
    pub team: Option<Team>,
    /// Per period of the report, in the same order.
    pub figures: Vec<PulseFigures>,
    /// The comments of the periods in which this group has figures (teams only), newest
    /// period first.
    pub comments: Vec<(Period, Vec<String>)>,
}

/// The pulse trend of the groups the caller may see.
#[derive(Debug, Clone, PartialEq)]
pub struct PulseReport {
    pub cadence: Cadence,
    pub periods: Vec<Period>,
    /// The organisation first, then the teams by name.
    pub groups: Vec<PulseGroup>,
}

impl App {
    /// The schedule of the pulse (any staff member).
    pub async fn pulse_cadence(&self, who: &Principal) -> Result<Cadence, AppError> {
        who.require(roles::STAFF)?;
        Ok(self.store.pulse_cadence().await?)
    }

    /// Set the schedule (beheerder); it applies from today: the current period is the one of
    /// the new schedule.
    pub async fn set_pulse_cadence(&self, who: &Principal, cadence: Cadence) -> Result<(), AppError> {
        who.require(roles::ADMIN)?;
        let change = Change::new(who.actor, self.now(), "pulse.schedule_set", "pulse", cadence.code());
        Ok(self.store.set_pulse_cadence(cadence, &change).await?)
    }

    /// This period's pulse for the signed-in employee: which period, and whether they answered.
    pub async fn pulse_today(&self, who: &Principal) -> Result<PulseToday, AppError> {
        who.require(roles::STAFF)?;
        let employee = who.employee_id().ok_or_else(|| AppError::Forbidden("an employee".into()))?;
        let period = self.store.pulse_cadence().await?.period_of(self.today().await?);
        let answered = self.store.has_answered_pulse(employee, period.start).await?;
        Ok(PulseToday { period, answered })
    }

    /// Answer this period's pulse, once. The answer is kept with the period and the employee's
    /// team only; the audit says that the employee answered, nothing about the answer. A second
    /// answer in the same period is a conflict and writes nothing.
    pub async fn answer_pulse(&self, who: &Principal, answer: PulseAnswer) -> Result<Period, AppError> {
        who.require(roles::STAFF)?;
        let employee_id = who.employee_id().ok_or_else(|| AppError::Forbidden("an employee".into()))?;
        let employee = self.store.employee(employee_id).await?.ok_or(AppError::NotFound("employee"))?;
        let period = self.store.pulse_cadence().await?.period_of(self.today().await?);
        let stored = StoredPulseAnswer {
            id: random_hex(16)?,
            period_start: period.start,
            period_end: period.end,
            team_id: employee.team_id,
            answer,
        };
        let change = Change::new(who.actor, self.now(), "pulse.answered", format!("pulse:{}", period.start), "");
        if self.store.save_pulse_answer(employee_id, &stored, &change).await? {
            Ok(period)
        } else {
            Err(AppError::Conflict("you answered the pulse of this period already".into()))
        }
    }

    /// The trend of the periods (of the current schedule) that start in `[from, to)`, at most
    /// the last [`TREND_PERIODS`]; default: the last ones up to today. Team leads see the
    /// organisation and their own team, beheerders every team; `team` narrows it to one team.
    pub async fn pulse_report(
        &self,
        who: &Principal,
        from: Option<Date>,
        to: Option<Date>,
        team: Option<TeamId>,
    ) -> Result<PulseReport, AppError> {
        who.require(roles::TEAM_LEADS)?;
        let cadence = self.store.pulse_cadence().await?;
        let to = match to {
            Some(to) => to,
            None => cadence.period_of(self.today().await?).end,
        };
        let from = from.unwrap_or_else(|| to.saturating_sub(3.years()));
        if from >= to {
            return Err(Invalid::new("to", InvalidKind::OutOfOrder { after: "from" }).into());
        }
        let periods = cadence.periods(from, to, TREND_PERIODS);
        let (Some(first), Some(last)) = (periods.first(), periods.last()) else {
            return Ok(PulseReport { cadence, periods, groups: vec![] });
        };
        let (from, to) = (first.start, last.end);

        let visible = self.visible_teams(who).await?;
        let teams: Vec<Team> = match team {
            Some(id) => match visible.into_iter().find(|t| t.id == id) {
                Some(t) => vec![t],
                None => return Err(AppError::Forbidden("the team lead of this team".into())),
            },
            None => visible,
        };
        // Every stored period counts in the period of the current schedule in which it starts.
        let slot = |start: Date| periods.iter().position(|p| p.start <= start && start < p.end);
        let mut organisation = vec![PulseTotals::default(); periods.len()];
        let mut per_team = vec![vec![PulseTotals::default(); periods.len()]; teams.len()];
        for row in self.store.pulse_totals(from, to).await? {
            let Some(i) = slot(row.period_start) else { continue };
            organisation[i].add(&row.totals);
            if let Some(t) = teams.iter().position(|t| Some(t.id) == row.team_id) {
                per_team[t][i].add(&row.totals);
            }
        }
        let comments = self.store.pulse_comments(from, to).await?;
        let mut groups = vec![];
        if team.is_none() {
            groups.push(PulseGroup {
                team: None,
                figures: organisation.iter().map(PulseTotals::figures).collect(),
                comments: vec![],
            });
        }
        for (t, totals) in teams.into_iter().zip(per_team) {
            let comments = team_comments(&comments, t.id, &periods, &totals, slot);
            groups.push(PulseGroup {
                team: Some(t),
                figures: totals.iter().map(PulseTotals::figures).collect(),
                comments,
            });
        }
        Ok(PulseReport { cadence, periods, groups })
    }

    /// The teams whose pulse `who` may see: every team for a beheerder, a team lead's own team.
    async fn visible_teams(&self, who: &Principal) -> Result<Vec<Team>, AppError> {
        let mut teams = self.store.teams().await?;
        if !who.roles.contains(&Role::Beheerder) {
            let own = match who.employee_id() {
                Some(id) => self.store.employee(id).await?.and_then(|e| e.team_id),
                None => None,
            };
            teams.retain(|t| Some(t.id) == own);
        }
        teams.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(teams)
    }

    /// The average pulse score of the answers in periods that start in `[from, to)`, over the
    /// whole organisation: the sum of all scores and how many answers gave them.
    pub(crate) async fn pulse_sum(&self, from: Date, to: Date) -> Result<PulseTotals, AppError> {
        let mut all = PulseTotals::default();
        for row in self.store.pulse_totals(from, to).await? {
            all.add(&row.totals);
        }
        Ok(all)
    }
}

/// A team's comments in the periods where the team has figures, newest period first.
fn team_comments(
    comments: &[PulseComment],
    team: TeamId,
    periods: &[Period],
    totals: &[PulseTotals],
    slot: impl Fn(Date) -> Option<usize>,
) -> Vec<(Period, Vec<String>)> {
    let mut out: Vec<(Period, Vec<String>)> = periods.iter().map(|p| (*p, vec![])).collect();
    for c in comments.iter().filter(|c| c.team_id == Some(team)) {
        if let Some(i) = slot(c.period_start).filter(|i| totals[*i].shown()) {
            out[i].1.push(c.text.clone());
        }
    }
    out.retain(|(_, texts)| !texts.is_empty());
    out.reverse();
    out
}
