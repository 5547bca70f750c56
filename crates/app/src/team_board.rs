//! Use cases: the team board (`/werkplek/team`, dagstart). Its figures come from the functions
//! the norms report and the queue use (`RollupStore::open_case_counts` with the queue's risk
//! horizon, `App::compliance` from the roll-ups for this week) and one count of the team's case
//! flow; docs/team-board.md defines each. The team's members and its team lead see the board;
//! only the team lead (and the beheerder) sets goals; members write notes and tick off their own
//! action points.

use crate::case_work::RISK_HORIZON;
use crate::norms::{GroupBy, Source};
use crate::ports::{OpenCaseQuery, RollupSlice, TeamFlowQuery};
use crate::principal::roles;
use crate::{App, AppError, Principal};
use gastvrij_domain::Invalid;
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::{ActionPointId, EmployeeId, TeamId};
use gastvrij_domain::norms::Compliance;
use gastvrij_domain::team::{Employee, Role, Team};
use gastvrij_domain::team_board::{BoardFigures, BoardNote, GoalKind, GoalProgress, NoteInput, TeamGoal};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::Serialize;

/// How many notes the board shows (the latest first).
pub const NOTES_SHOWN: u32 = 20;

/// Everything the board shows for one team at one moment.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TeamBoard {
    pub team: Team,
    #[schema(value_type = String, format = DateTime)]
    pub at: Timestamp,
    /// Today and the Monday this week started (local dates).
    #[schema(value_type = String, format = Date)]
    pub today: Date,
    #[schema(value_type = String, format = Date)]
    pub week_start: Date,
    pub figures: BoardFigures,
    pub goals: Vec<GoalProgress>,
    pub notes: Vec<BoardNote>,
    /// The team's active employees (owners of action points), by name.
    #[serde(skip)]
    pub members: Vec<Employee>,
    /// The caller may set the team's goals (its team lead, or a beheerder).
    pub may_set_goals: bool,
}

/// How the caller stands to a team's board.
struct Access {
    lead: bool,
}

impl App {
    /// The teams whose board the caller may see: their own team; every team for a beheerder.
    pub async fn board_teams(&self, who: &Principal) -> Result<Vec<Team>, AppError> {
        who.require(roles::STAFF)?;
        let teams = self.store.teams().await?;
        if who.roles.contains(&Role::Beheerder) {
            return Ok(teams);
        }
        let own = self.own_team(who).await?;
        Ok(teams.into_iter().filter(|t| Some(t.id) == own).collect())
    }

    /// The team of the signed-in employee, if any.
    pub async fn own_team(&self, who: &Principal) -> Result<Option<TeamId>, AppError> {
        Ok(match who.employee_id() {
            Some(me) => self.store.employee(me).await?.and_then(|e| e.team_id),
            None => None,
        })
    }

    /// Members of the team see its board; its team lead leads it; a beheerder leads every board.
    async fn board_access(&self, who: &Principal, team: TeamId) -> Result<Access, AppError> {
        who.require(roles::STAFF)?;
        if who.roles.contains(&Role::Beheerder) {
            return Ok(Access { lead: true });
        }
        if self.own_team(who).await? != Some(team) {
            return Err(AppError::Forbidden("a member of the team".into()));
        }
        Ok(Access { lead: who.roles.contains(&Role::Teamleider) })
    }

    /// The board of `team` now.
    pub async fn team_board(&self, who: &Principal, team: TeamId) -> Result<TeamBoard, AppError> {
        let access = self.board_access(who, team).await?;
        let team = self.store.team(team).await?.ok_or(AppError::NotFound("team"))?;
        let (figures, today, week_start) = self.board_figures(team.id).await?;
        let goals = self.store.team_goals(team.id).await?.iter().map(|g| g.judge(&figures)).collect();
        let notes = self.store.board_notes(team.id, NOTES_SHOWN).await?;
        let members =
            self.store.employees().await?.into_iter().filter(|e| e.active && e.team_id == Some(team.id)).collect();
        Ok(TeamBoard {
            team,
            at: self.now(),
            today,
            week_start,
            figures,
            goals,
            notes,
            members,
            may_set_goals: access.lead,
        })
    }

    /// The board's figures for `team` now, with today and the Monday of this week.
    async fn board_figures(&self, team: TeamId) -> Result<(BoardFigures, Date, Date), AppError> {
        let calendar = self.settings.calendars.get("termijnenwet")?;
        let unexpected = |e: jiff::Error| AppError::Unexpected(e.into());
        let now = self.now();
        let today = calendar.date_of(now);
        let monday =
            today.checked_sub(jiff::Span::new().days(today.weekday().to_monday_zero_offset())).map_err(unexpected)?;
        let next_monday = monday.checked_add(jiff::Span::new().days(7)).map_err(unexpected)?;
        let start = |d: Date| calendar.start_of_day(d).map_err(|e| AppError::Unexpected(e.into()));
        let (today_start, week_start, week_end) = (start(today)?, start(monday)?, start(next_monday)?);

        let target_percent = self.norm_history().await?.valid_on(today).case_target_percent;
        let mut f = BoardFigures { target_percent, ..Default::default() };
        // Open cases as the queue and the compliance report judge them (suspended: never at risk,
        // late only when late before the suspension).
        let query = OpenCaseQuery {
            from: Timestamp::MIN,
            to: Timestamp::MAX,
            slice: RollupSlice::Team,
            part: None,
            week_starts: vec![Timestamp::MIN],
            now,
            risk_until: now + RISK_HORIZON,
            filter: Default::default(),
        };
        let key = team.to_string();
        for c in self.store.open_case_counts(&query).await?.into_iter().filter(|c| c.key == key) {
            let n = u64::try_from(c.cases).unwrap_or(0);
            f.workload += n;
            match c.service_norm {
                Some(Compliance::Late) => f.late += n,
                Some(Compliance::AtRisk) => f.at_risk += n,
                _ => {}
            }
        }
        let flow = self.store.team_flow(&TeamFlowQuery { team_id: team, today: today_start, week: week_start }).await?;
        (f.unassigned, f.suspended) = (flow.unassigned, flow.suspended);
        (f.received_today, f.received_week, f.closed_today, f.closed_week) =
            (flow.received_today, flow.received_week, flow.closed_today, flow.closed_week);
        // This week's norm compliance: the compliance report's figure for the team.
        let report = self
            .compliance_figures(week_start, week_end, GroupBy::Team, RISK_HORIZON, Source::Rollup, &Default::default())
            .await?;
        if let Some(g) = report.groups.iter().find(|g| g.key == key) {
            (f.week_within_norm, f.week_late) = (g.counts.within_norm, g.counts.late);
        }
        Ok((f, today, monday))
    }

    /// The team lead sets the team's goal of `kind` to `target` (replacing the one before).
    pub async fn set_team_goal(
        &self,
        who: &Principal,
        team: TeamId,
        kind: GoalKind,
        target: &str,
    ) -> Result<TeamGoal, AppError> {
        self.require_lead(who, team).await?;
        let goal = TeamGoal::set(team, kind, target, who.employee_id(), self.now())?;
        let change = Change::new(who.actor, self.now(), "team.goal_set", team, format!("{kind}: {}", goal.target));
        self.store.save_team_goal(&goal, &change).await?;
        Ok(goal)
    }

    /// The team lead removes the team's goal of `kind`.
    pub async fn remove_team_goal(&self, who: &Principal, team: TeamId, kind: GoalKind) -> Result<(), AppError> {
        self.require_lead(who, team).await?;
        let change = Change::new(who.actor, self.now(), "team.goal_removed", team, kind.code());
        Ok(self.store.remove_team_goal(team, kind, &change).await?)
    }

    async fn require_lead(&self, who: &Principal, team: TeamId) -> Result<(), AppError> {
        if self.store.team(team).await?.is_none() {
            return Err(AppError::NotFound("team"));
        }
        if !self.board_access(who, team).await?.lead {
            return Err(AppError::Forbidden("the team lead of the team".into()));
        }
        Ok(())
    }

    /// A member writes a note with the board; the owners of its action points are the team's
    /// active employees.
    pub async fn add_board_note(
        &self,
        who: &Principal,
        team: TeamId,
        input: NoteInput<'_>,
    ) -> Result<BoardNote, AppError> {
        self.board_access(who, team).await?;
        if self.store.team(team).await?.is_none() {
            return Err(AppError::NotFound("team"));
        }
        let note = BoardNote::write(team, input, who.employee_id(), self.now())?;
        for (i, a) in note.actions.iter().enumerate() {
            let member = self.store.employee(a.owner_id).await?.is_some_and(|e| e.active && e.team_id == Some(team));
            if !member {
                return Err(Invalid::unknown_id("owner_id", a.owner_id).in_item("actions", i).into());
            }
        }
        let change = Change::new(who.actor, self.now(), "team.note_added", note.id, note.kind.code());
        self.store.insert_board_note(&note, &change).await?;
        Ok(note)
    }

    /// The owner of an action point (or the team lead) ticks it off (`done`) or opens it again.
    pub async fn tick_action_point(
        &self,
        who: &Principal,
        id: ActionPointId,
        done: bool,
    ) -> Result<gastvrij_domain::team_board::ActionPoint, AppError> {
        let (mut point, team) = self.store.action_point(id).await?.ok_or(AppError::NotFound("action point"))?;
        let access = self.board_access(who, team).await?;
        let me: Option<EmployeeId> = who.employee_id();
        if !access.lead && me != Some(point.owner_id) {
            return Err(AppError::Forbidden("the owner of the action point".into()));
        }
        point.tick(done, self.now())?;
        let change =
            Change::new(who.actor, self.now(), "team.action_ticked", point.id, if done { "klaar" } else { "open" });
        self.store.save_action_point(&point, &change).await?;
        Ok(point)
    }
}
