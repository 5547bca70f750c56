//! The team board: goals, notes with their action points, and the team's case flow.

use super::Backend;
use super::cases::OPEN_STATUSES;
use super::shared::{Row, commit, commit_found, other, write_audit};
use crate::codec::{db_error, micros, opt_parse, opt_str, opt_timestamp, parse, timestamp};
use gastvrij_app::ports::{StoreResult, TeamFlow, TeamFlowQuery};
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::{ActionPointId, TeamId};
use gastvrij_domain::team_board::{ActionPoint, BoardNote, GoalKind, TeamGoal};
use sqlx::Row as _;

const ACTION_COLUMNS: &str = "id, note_id, text, owner_id, done, done_at";

fn goal_from(r: &Row) -> anyhow::Result<TeamGoal> {
    Ok(TeamGoal {
        team_id: parse("team_id", &r.try_get::<String, _>("team_id")?)?,
        kind: parse("kind", &r.try_get::<String, _>("kind")?)?,
        target: u32::try_from(r.try_get::<i64, _>("target")?)?,
        set_by: opt_parse("set_by", r.try_get("set_by")?)?,
        set_at: timestamp(r.try_get("set_at")?)?,
    })
}

fn action_from(r: &Row) -> anyhow::Result<ActionPoint> {
    Ok(ActionPoint {
        id: parse("id", &r.try_get::<String, _>("id")?)?,
        note_id: parse("note_id", &r.try_get::<String, _>("note_id")?)?,
        text: r.try_get("text")?,
        owner_id: parse("owner_id", &r.try_get::<String, _>("owner_id")?)?,
        done: r.try_get("done")?,
        done_at: opt_timestamp(r.try_get("done_at")?)?,
    })
}

fn note_from(r: &Row) -> anyhow::Result<BoardNote> {
    Ok(BoardNote {
        id: parse("id", &r.try_get::<String, _>("id")?)?,
        team_id: parse("team_id", &r.try_get::<String, _>("team_id")?)?,
        day: parse("day", &r.try_get::<String, _>("day")?)?,
        kind: parse("kind", &r.try_get::<String, _>("kind")?)?,
        author_id: opt_parse("author_id", r.try_get("author_id")?)?,
        text: r.try_get("text")?,
        created_at: timestamp(r.try_get("created_at")?)?,
        actions: vec![],
    })
}

#[async_trait::async_trait]
impl gastvrij_app::ports::TeamBoardStore for Backend {
    async fn team_goals(&self, team: TeamId) -> StoreResult<Vec<TeamGoal>> {
        let rows = sqlx::query("SELECT team_id, kind, target, set_by, set_at FROM team_goals WHERE team_id = $1")
            .bind(team.to_string())
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        let mut goals = rows.iter().map(goal_from).collect::<anyhow::Result<Vec<_>>>().map_err(other)?;
        goals.sort_by_key(|g| g.kind);
        Ok(goals)
    }

    async fn save_team_goal(&self, g: &TeamGoal, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO team_goals (team_id, kind, target, set_by, set_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (team_id, kind) DO UPDATE SET target = excluded.target, set_by = excluded.set_by, \
             set_at = excluded.set_at",
        )
        .bind(g.team_id.to_string())
        .bind(g.kind.code())
        .bind(i64::from(g.target))
        .bind(opt_str(&g.set_by))
        .bind(micros(g.set_at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn remove_team_goal(&self, team: TeamId, kind: GoalKind, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM team_goals WHERE team_id = $1 AND kind = $2")
            .bind(team.to_string())
            .bind(kind.code())
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        commit_found(tx, done.rows_affected(), "goal", change).await
    }

    async fn insert_board_note(&self, n: &BoardNote, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO board_notes (id, team_id, day, kind, author_id, text, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(n.id.to_string())
        .bind(n.team_id.to_string())
        .bind(n.day.to_string())
        .bind(n.kind.code())
        .bind(opt_str(&n.author_id))
        .bind(&n.text)
        .bind(micros(n.created_at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        for (position, a) in n.actions.iter().enumerate() {
            sqlx::query(
                "INSERT INTO board_actions (id, note_id, position, text, owner_id, done, done_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(a.id.to_string())
            .bind(n.id.to_string())
            .bind(i64::try_from(position).map_err(other)?)
            .bind(&a.text)
            .bind(a.owner_id.to_string())
            .bind(a.done)
            .bind(a.done_at.map(micros))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn board_notes(&self, team: TeamId, limit: u32) -> StoreResult<Vec<BoardNote>> {
        let rows = sqlx::query(
            "SELECT id, team_id, day, kind, author_id, text, created_at FROM board_notes WHERE team_id = $1 \
             ORDER BY day DESC, created_at DESC, id DESC LIMIT $2",
        )
        .bind(team.to_string())
        .bind(i64::from(limit))
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        let mut notes = rows.iter().map(note_from).collect::<anyhow::Result<Vec<_>>>().map_err(other)?;
        if notes.is_empty() {
            return Ok(notes);
        }
        let sql = format!(
            "SELECT {ACTION_COLUMNS} FROM board_actions WHERE note_id IN \
             (SELECT id FROM board_notes WHERE team_id = $1 ORDER BY day DESC, created_at DESC, id DESC LIMIT $2) \
             ORDER BY note_id, position"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(team.to_string())
            .bind(i64::from(limit))
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        for r in &rows {
            let a = action_from(r).map_err(other)?;
            if let Some(n) = notes.iter_mut().find(|n| n.id == a.note_id) {
                n.actions.push(a);
            }
        }
        Ok(notes)
    }

    async fn action_point(&self, id: ActionPointId) -> StoreResult<Option<(ActionPoint, TeamId)>> {
        let row = sqlx::query(
            "SELECT a.id, a.note_id, a.text, a.owner_id, a.done, a.done_at, n.team_id FROM board_actions a \
             JOIN board_notes n ON n.id = a.note_id WHERE a.id = $1",
        )
        .bind(id.to_string())
        .fetch_optional(self.reader())
        .await
        .map_err(db_error)?;
        row.map(|r| -> anyhow::Result<_> {
            Ok((action_from(&r)?, parse("team_id", &r.try_get::<String, _>("team_id")?)?))
        })
        .transpose()
        .map_err(other)
    }

    async fn save_action_point(&self, a: &ActionPoint, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE board_actions SET done = $2, done_at = $3 WHERE id = $1")
            .bind(a.id.to_string())
            .bind(a.done)
            .bind(a.done_at.map(micros))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        commit_found(tx, done.rows_affected(), "action point", change).await
    }

    async fn team_flow(&self, q: &TeamFlowQuery) -> StoreResult<TeamFlow> {
        let open = OPEN_STATUSES.trim_start_matches(" AND ");
        let sql = format!(
            "SELECT \
             CAST(COALESCE(SUM(CASE WHEN {open} AND owner_id IS NULL THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN status = 'opgeschort' THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN created_at >= $2 THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN created_at >= $3 THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN closed_at >= $2 THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN closed_at >= $3 THEN 1 ELSE 0 END), 0) AS BIGINT) \
             FROM cases WHERE team_id = $1 AND ({open} OR created_at >= $3 OR closed_at >= $3)"
        );
        let (unassigned, suspended, received_today, received_week, closed_today, closed_week): (
            i64,
            i64,
            i64,
            i64,
            i64,
            i64,
        ) = sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(q.team_id.to_string())
            .bind(micros(q.today))
            .bind(micros(q.week))
            .fetch_one(self.reader())
            .await
            .map_err(db_error)?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok(TeamFlow {
            unassigned: n(unassigned),
            suspended: n(suspended),
            received_today: n(received_today),
            received_week: n(received_week),
            closed_today: n(closed_today),
            closed_week: n(closed_week),
        })
    }
}
