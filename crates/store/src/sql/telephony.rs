//! Calls reported by the telephony platform.

use super::Backend;
use super::rollups::mark_dirty_tx;
use super::shared::{commit, other, write_audit};
use crate::codec::{db_error, micros, parse, timestamp};
use gastvrij_app::ports::StoreResult;
use gastvrij_domain::audit::Change;

#[async_trait::async_trait]
impl gastvrij_app::ports::TelephonyStore for Backend {
    async fn upsert_calls(&self, calls: &[gastvrij_domain::telephony::Call], change: &Change) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        for c in calls {
            sqlx::query(
                "INSERT INTO calls (call_id, offered_at, outcome, waiting_seconds, agent, contact_id, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (call_id) DO UPDATE SET offered_at = excluded.offered_at, \
                 outcome = excluded.outcome, waiting_seconds = excluded.waiting_seconds, agent = excluded.agent, \
                 contact_id = COALESCE(excluded.contact_id, calls.contact_id), updated_at = excluded.updated_at",
            )
            .bind(&c.call_id)
            .bind(micros(c.offered_at))
            .bind(c.outcome.code())
            .bind(c.waiting_seconds.map(i64::from))
            .bind(c.agent.as_deref())
            .bind(c.contact_id.map(|id| id.to_string()))
            .bind(micros(change.at))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            mark_dirty_tx(&mut tx, "call", &c.call_id, c.offered_at, change.at).await?;
        }
        write_audit(&mut tx, change).await?;
        commit(tx).await?;
        Ok(calls.len() as u64)
    }

    async fn calls(
        &self,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
    ) -> StoreResult<Vec<gastvrij_domain::telephony::Call>> {
        let rows: Vec<(String, i64, String, Option<i64>, Option<String>, Option<String>)> = sqlx::query_as(
            "SELECT call_id, offered_at, outcome, waiting_seconds, agent, contact_id FROM calls \
             WHERE offered_at >= $1 AND offered_at < $2 ORDER BY offered_at, call_id",
        )
        .bind(micros(from))
        .bind(micros(to))
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        rows.into_iter()
            .map(|(call_id, at, outcome, wait, agent, contact)| {
                Ok(gastvrij_domain::telephony::Call {
                    call_id,
                    offered_at: timestamp(at)?,
                    outcome: outcome.parse()?,
                    waiting_seconds: wait.map(u32::try_from).transpose()?,
                    agent,
                    contact_id: contact.as_deref().map(|c| parse("contact_id", c)).transpose()?,
                })
            })
            .collect::<anyhow::Result<_>>()
            .map_err(other)
    }
}
