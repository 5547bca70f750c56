//! Open data: other water boards' figures, one row per organisation and year; the organisation
//! code and the published years; the counts the export reads per quarter; portal heartbeats.

use super::Backend;
use super::shared::{commit, other, write_audit};
use crate::codec::{db_error, micros, timestamp};
use gastvrij_app::ports::{ConsultationCounts, ContactCounts, HeartbeatCount, PeerFigures, Publication, StoreResult};
use gastvrij_domain::audit::Change;
use jiff::Timestamp;
use sqlx::Row as _;

#[async_trait::async_trait]
impl gastvrij_app::ports::OpenDataStore for Backend {
    async fn save_peer_figures(&self, f: &PeerFigures, change: &Change) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        // Inserted or replaced: a row comes back; the same body again: none, and nothing changed.
        let changed = sqlx::query(
            "INSERT INTO peer_figures (organisation_code, year, organisation_name, schema_version, body, imported_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (organisation_code, year) DO UPDATE SET organisation_name = excluded.organisation_name, \
             schema_version = excluded.schema_version, body = excluded.body, imported_at = excluded.imported_at \
             WHERE peer_figures.body <> excluded.body \
             RETURNING organisation_code",
        )
        .bind(&f.organisation_code)
        .bind(i32::from(f.year))
        .bind(&f.organisation_name)
        .bind(&f.schema_version)
        .bind(&f.body)
        .bind(micros(change.at))
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?
        .is_some();
        if !changed {
            return Ok(false);
        }
        write_audit(&mut tx, change).await?;
        commit(tx).await?;
        Ok(true)
    }

    async fn peer_figures(&self) -> StoreResult<Vec<PeerFigures>> {
        let rows = sqlx::query(
            "SELECT organisation_code, year, organisation_name, schema_version, body FROM peer_figures \
             ",
        )
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        let mut all = rows
            .iter()
            .map(|r| {
                Ok(PeerFigures {
                    organisation_code: r.try_get("organisation_code").map_err(other)?,
                    year: i16::try_from(r.try_get::<i32, _>("year").map_err(other)?).map_err(other)?,
                    organisation_name: r.try_get("organisation_name").map_err(other)?,
                    schema_version: r.try_get("schema_version").map_err(other)?,
                    body: r.try_get("body").map_err(other)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        // Sorted here: the databases' collations may order hyphens differently.
        all.sort_by(|a, b| (&a.organisation_code, a.year).cmp(&(&b.organisation_code, b.year)));
        Ok(all)
    }

    async fn open_data_code(&self) -> StoreResult<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT organisation_code FROM open_data_settings WHERE id = 1")
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        Ok(row.map(|(code,)| code))
    }

    async fn save_open_data_code(&self, code: &str, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO open_data_settings (id, organisation_code) VALUES (1, $1) \
             ON CONFLICT (id) DO UPDATE SET organisation_code = excluded.organisation_code",
        )
        .bind(code)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn publish_open_data(&self, year: i16, body: &str, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO open_data_publications (year, body, published_at) VALUES ($1, $2, $3) \
             ON CONFLICT (year) DO UPDATE SET body = excluded.body, published_at = excluded.published_at",
        )
        .bind(i32::from(year))
        .bind(body)
        .bind(micros(change.at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn withdraw_open_data(&self, year: i16, change: &Change) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("DELETE FROM open_data_publications WHERE year = $1")
            .bind(i32::from(year))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        write_audit(&mut tx, change).await?;
        commit(tx).await?;
        Ok(true)
    }

    async fn open_data_publications(&self) -> StoreResult<Vec<Publication>> {
        let rows: Vec<(i32, i64)> =
            sqlx::query_as("SELECT year, published_at FROM open_data_publications ORDER BY year DESC")
                .fetch_all(self.reader())
                .await
                .map_err(db_error)?;
        rows.into_iter()
            .map(|(year, at)| {
                Ok(Publication {
                    year: i16::try_from(year).map_err(other)?,
                    published_at: timestamp(at).map_err(other)?,
                })
            })
            .collect()
    }

    async fn published_open_data(&self, year: i16) -> StoreResult<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT body FROM open_data_publications WHERE year = $1")
            .bind(i32::from(year))
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        Ok(row.map(|(body,)| body))
    }

    async fn contacts_started_between(&self, from: Timestamp, to: Timestamp) -> StoreResult<ContactCounts> {
        let per_channel: Vec<(String, i64)> = sqlx::query_as(
            "SELECT channel, COUNT(*) FROM contacts WHERE started_at >= $1 AND started_at < $2 GROUP BY channel",
        )
        .bind(micros(from))
        .bind(micros(to))
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        let (with_line, first_line): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(q.line), COALESCE(SUM(CASE WHEN q.line = 'first_line' THEN 1 ELSE 0 END), 0) \
             FROM contacts c JOIN questions q ON q.contact_id = c.id WHERE c.started_at >= $1 AND c.started_at < $2",
        )
        .bind(micros(from))
        .bind(micros(to))
        .fetch_one(self.reader())
        .await
        .map_err(db_error)?;
        let count = |n: i64| u64::try_from(n).map_err(other);
        Ok(ContactCounts {
            per_channel: per_channel.into_iter().map(|(c, n)| Ok((c, count(n)?))).collect::<StoreResult<_>>()?,
            with_line: count(with_line)?,
            first_line: count(first_line)?,
        })
    }

    async fn consultations_asked_between(&self, from: Timestamp, to: Timestamp) -> StoreResult<ConsultationCounts> {
        let (asked, answered, to_article): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(answered_at), \
             COALESCE(SUM(CASE WHEN answered_at IS NOT NULL AND article_id IS NOT NULL THEN 1 ELSE 0 END), 0) \
             FROM consultations WHERE asked_at >= $1 AND asked_at < $2",
        )
        .bind(micros(from))
        .bind(micros(to))
        .fetch_one(self.reader())
        .await
        .map_err(db_error)?;
        let count = |n: i64| u64::try_from(n).map_err(other);
        Ok(ConsultationCounts { asked: count(asked)?, answered: count(answered)?, to_article: count(to_article)? })
    }

    async fn consultation_times(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> StoreResult<Vec<(Timestamp, Option<Timestamp>)>> {
        let rows: Vec<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT asked_at, answered_at FROM consultations WHERE asked_at >= $1 AND asked_at < $2 \
             ORDER BY asked_at, id",
        )
        .bind(micros(from))
        .bind(micros(to))
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        rows.into_iter()
            .map(|(asked, answered)| {
                Ok((timestamp(asked).map_err(other)?, answered.map(timestamp).transpose().map_err(other)?))
            })
            .collect()
    }

    async fn record_portal_heartbeat(&self, minute: i64, node: &str) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        let done =
            sqlx::query("INSERT INTO portal_heartbeats (minute, node) VALUES ($1, $2) ON CONFLICT (minute) DO NOTHING")
                .bind(minute)
                .bind(node)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        commit(tx).await?;
        Ok(done.rows_affected() == 1)
    }

    async fn portal_heartbeats(&self, from: i64, to: i64) -> StoreResult<HeartbeatCount> {
        let (beats,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM portal_heartbeats WHERE minute >= $1 AND minute < $2")
                .bind(from)
                .bind(to)
                .fetch_one(self.reader())
                .await
                .map_err(db_error)?;
        let (first_ever,): (Option<i64>,) = sqlx::query_as("SELECT MIN(minute) FROM portal_heartbeats")
            .fetch_one(self.reader())
            .await
            .map_err(db_error)?;
        Ok(HeartbeatCount { beats: u64::try_from(beats).map_err(other)?, first_ever })
    }
}
