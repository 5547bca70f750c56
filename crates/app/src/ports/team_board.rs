//! The team board: the team's goals, the notes kept with the board and their action points,
//! and the team's case flow (the board's counts that the roll-ups do not hold).

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::{ActionPointId, TeamId};
use gastvrij_domain::team_board::{ActionPoint, BoardNote, GoalKind, TeamGoal};
use jiff::Timestamp;

/// The moments that split the team's case flow: the start of today and of this week.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TeamFlowQuery {
    pub team_id: TeamId,
    pub today: Timestamp,
    /// At or before `today`.
    pub week: Timestamp,
}

/// The team's open cases without an owner and suspended, and the cases it received and closed
/// since the start of today and of this week (counted in the database).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TeamFlow {
    pub unassigned: u64,
    pub suspended: u64,
    pub received_today: u64,
    pub received_week: u64,
    pub closed_today: u64,
    pub closed_week: u64,
}

#[async_trait]
pub trait TeamBoardStore: Send + Sync {
    /// The team's goals, in the order of [`GoalKind::ALL`].
    async fn team_goals(&self, team: TeamId) -> StoreResult<Vec<TeamGoal>>;
    /// Set the team's goal of its kind (replacing the one before).
    async fn save_team_goal(&self, goal: &TeamGoal, change: &Change) -> StoreResult<()>;
    /// Remove the team's goal of `kind`; `NotFound` when it has none.
    async fn remove_team_goal(&self, team: TeamId, kind: GoalKind, change: &Change) -> StoreResult<()>;

    /// A note with its action points, in one transaction.
    async fn insert_board_note(&self, note: &BoardNote, change: &Change) -> StoreResult<()>;
    /// The team's latest `limit` notes, the latest day first (then the latest written), each
    /// with its action points in the order written.
    async fn board_notes(&self, team: TeamId, limit: u32) -> StoreResult<Vec<BoardNote>>;
    /// An action point and the team of its note.
    async fn action_point(&self, id: ActionPointId) -> StoreResult<Option<(ActionPoint, TeamId)>>;
    /// Store whether the action point is done.
    async fn save_action_point(&self, point: &ActionPoint, change: &Change) -> StoreResult<()>;

    /// The team's case flow (see [`TeamFlow`]).
    async fn team_flow(&self, q: &TeamFlowQuery) -> StoreResult<TeamFlow>;
}
