//! The employee pulse: answers without the employee, who answered per period, the schedule.

use super::Backend;
use super::shared::{commit, other, write_audit};
use crate::codec::{db_error, micros, opt_parse, opt_str, parse};
use gastvrij_app::ports::{PulseComment, PulseTotalsRow, StoreResult, StoredPulseAnswer};
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::EmployeeId;
use gastvrij_domain::pulse::{Cadence, PulseTotals};
use jiff::civil::Date;
use sqlx::Row as _;

#[async_trait::async_trait]
impl gastvrij_app::ports::PulseStore for Backend {
    async fn save_pulse_answer(
        &self,
        employee: EmployeeId,
        answer: &StoredPulseAnswer,
        change: &Change,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let first = sqlx::query(
            "INSERT INTO pulse_respondents (employee_id, period_start) VALUES ($1, $2) \
             ON CONFLICT (employee_id, period_start) DO NOTHING RETURNING employee_id",
        )
        .bind(employee.to_string())
        .bind(answer.period_start.to_string())
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?
        .is_some();
        if !first {
            return Ok(false);
        }
        let [workload, equipped, collaboration, trust, enjoyment] = answer.answer.scores.map(i16::from);
        sqlx::query(
            "INSERT INTO pulse_answers (id, period_start, period_end, team_id, workload, equipped, collaboration, \
             trust_in_knowledge, enjoyment, comment) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(&answer.id)
        .bind(answer.period_start.to_string())
        .bind(answer.period_end.to_string())
        .bind(opt_str(&answer.team_id))
        .bind(workload)
        .bind(equipped)
        .bind(collaboration)
        .bind(trust)
        .bind(enjoyment)
        .bind(&answer.answer.comment)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_audit(&mut tx, change).await?;
        commit(tx).await?;
        Ok(true)
    }

    async fn has_answered_pulse(&self, employee: EmployeeId, period_start: Date) -> StoreResult<bool> {
        let row = sqlx::query("SELECT 1 FROM pulse_respondents WHERE employee_id = $1 AND period_start = $2")
            .bind(employee.to_string())
            .bind(period_start.to_string())
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        Ok(row.is_some())
    }

    async fn pulse_totals(&self, from: Date, to: Date) -> StoreResult<Vec<PulseTotalsRow>> {
        let rows = sqlx::query(
            "SELECT period_start, team_id, COUNT(*) AS answers, SUM(workload) AS s1, SUM(equipped) AS s2, \
             SUM(collaboration) AS s3, SUM(trust_in_knowledge) AS s4, SUM(enjoyment) AS s5 FROM pulse_answers \
             WHERE period_start >= $1 AND period_start < $2 GROUP BY period_start, team_id",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        let count = |r: &super::shared::Row, c: &str| -> StoreResult<u64> {
            u64::try_from(r.try_get::<i64, _>(c).map_err(other)?).map_err(other)
        };
        let mut all = rows
            .iter()
            .map(|r| {
                Ok(PulseTotalsRow {
                    period_start: parse("period_start", &r.try_get::<String, _>("period_start").map_err(other)?)
                        .map_err(other)?,
                    team_id: opt_parse("team_id", r.try_get("team_id").map_err(other)?).map_err(other)?,
                    totals: PulseTotals {
                        answers: count(r, "answers")?,
                        sums: [count(r, "s1")?, count(r, "s2")?, count(r, "s3")?, count(r, "s4")?, count(r, "s5")?],
                    },
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        all.sort_by_key(|r| (r.period_start, r.team_id));
        Ok(all)
    }

    async fn pulse_comments(&self, from: Date, to: Date) -> StoreResult<Vec<PulseComment>> {
        let rows = sqlx::query(
            "SELECT period_start, team_id, comment FROM pulse_answers \
             WHERE period_start >= $1 AND period_start < $2 AND comment IS NOT NULL ORDER BY id",
        )
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        rows.iter()
            .map(|r| {
                Ok(PulseComment {
                    period_start: parse("period_start", &r.try_get::<String, _>("period_start").map_err(other)?)
                        .map_err(other)?,
                    team_id: opt_parse("team_id", r.try_get("team_id").map_err(other)?).map_err(other)?,
                    text: r.try_get("comment").map_err(other)?,
                })
            })
            .collect()
    }

    async fn pulse_cadence(&self) -> StoreResult<Cadence> {
        let row: Option<(String,)> = sqlx::query_as("SELECT cadence FROM pulse_settings WHERE id = 1")
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        match row {
            Some((code,)) => parse("cadence", &code).map_err(other),
            None => Ok(Cadence::default()),
        }
    }

    async fn set_pulse_cadence(&self, cadence: Cadence, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO pulse_settings (id, cadence, changed_at) VALUES (1, $1, $2) \
             ON CONFLICT (id) DO UPDATE SET cadence = excluded.cadence, changed_at = excluded.changed_at",
        )
        .bind(cadence.code())
        .bind(micros(change.at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_audit(&mut tx, change).await?;
        commit(tx).await?;
        Ok(())
    }
}
