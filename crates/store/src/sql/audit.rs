//! The audit log (written by every change, see `shared::write_audit`) and the events.

use super::shared::{Row, Tx, commit, other};
use super::{Backend, Db};
use crate::codec::{db_error, micros, opt_parse, opt_str, timestamp};
use anyhow::Context as _;
use gastvrij_app::ports::{AuditQuery, StoreResult};
use gastvrij_domain::audit::{Actor, AuditEntry, Event};
use sqlx::{QueryBuilder, Row as _};

fn audit_from(r: &Row) -> anyhow::Result<AuditEntry> {
    let actor: String = r.try_get("actor")?;
    Ok(AuditEntry {
        seq: r.try_get("seq")?,
        at: timestamp(r.try_get("at")?)?,
        actor: Actor::from_code(&actor).with_context(|| format!("stored actor '{actor}' is invalid"))?,
        action: r.try_get("action")?,
        entity_id: r.try_get("entity_id")?,
        summary: r.try_get("summary")?,
    })
}

/// Raise `e` in the transaction of its cause; one with the same dedupe key is a no-op (0).
pub(super) async fn insert_event_tx(tx: &mut Tx, e: &Event) -> StoreResult<u64> {
    let done = sqlx::query(
        "INSERT INTO events (at, kind, entity_id, team_id, employee_id, summary, dedupe_key) VALUES ($1, $2, $3, $4, $5, $6, $7) \
         ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(micros(e.at))
    .bind(&e.kind)
    .bind(&e.entity_id)
    .bind(opt_str(&e.team_id))
    .bind(opt_str(&e.employee_id))
    .bind(&e.summary)
    .bind(&e.dedupe_key)
    .execute(&mut **tx)
    .await
    .map_err(db_error)?;
    Ok(done.rows_affected())
}

#[async_trait::async_trait]
impl gastvrij_app::ports::AuditStore for Backend {
    async fn raise_events(&self, events: &[gastvrij_domain::audit::Event]) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let mut new = 0;
        for e in events {
            new += insert_event_tx(&mut tx, e).await?;
        }
        commit(tx).await?;
        Ok(new)
    }

    async fn events(&self, q: &gastvrij_app::ports::EventQuery) -> StoreResult<Vec<gastvrij_domain::audit::Event>> {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT seq, at, kind, entity_id, team_id, employee_id, summary, dedupe_key FROM events WHERE 1 = 1",
        );
        if let (Some(t), Some(e)) = (q.team_id, q.employee_id) {
            qb.push(" AND (team_id = ")
                .push_bind(t.to_string())
                .push(" OR employee_id = ")
                .push_bind(e.to_string())
                .push(")");
        } else if let Some(t) = q.team_id {
            qb.push(" AND team_id = ").push_bind(t.to_string());
        } else if let Some(e) = q.employee_id {
            qb.push(" AND employee_id = ").push_bind(e.to_string());
        }
        if let Some(s) = q.after_seq {
            qb.push(" AND seq > ").push_bind(s);
        }
        qb.push(" ORDER BY seq LIMIT ").push_bind(i64::from(q.page.limit));
        qb.push(" OFFSET ").push_bind(i64::from(q.page.offset));
        let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
        rows.iter()
            .map(|r| -> anyhow::Result<gastvrij_domain::audit::Event> {
                Ok(gastvrij_domain::audit::Event {
                    seq: r.try_get("seq")?,
                    at: timestamp(r.try_get("at")?)?,
                    kind: r.try_get("kind")?,
                    entity_id: r.try_get("entity_id")?,
                    team_id: opt_parse("team_id", r.try_get("team_id")?)?,
                    employee_id: opt_parse("employee_id", r.try_get("employee_id")?)?,
                    summary: r.try_get("summary")?,
                    dedupe_key: r.try_get("dedupe_key")?,
                })
            })
            .collect::<anyhow::Result<_>>()
            .map_err(other)
    }

    async fn audit_log(&self, q: &AuditQuery) -> StoreResult<Vec<AuditEntry>> {
        let mut qb =
            QueryBuilder::<Db>::new("SELECT seq, at, actor, action, entity_id, summary FROM audit_log WHERE 1 = 1");
        if let Some(e) = &q.entity_id {
            qb.push(" AND entity_id = ").push_bind(e.clone());
        }
        if let Some(s) = q.after_seq {
            qb.push(" AND seq > ").push_bind(s);
        }
        qb.push(" ORDER BY seq LIMIT ").push_bind(i64::from(q.page.limit));
        qb.push(" OFFSET ").push_bind(i64::from(q.page.offset));
        let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
        rows.iter().map(audit_from).collect::<anyhow::Result<_>>().map_err(other)
    }
}
