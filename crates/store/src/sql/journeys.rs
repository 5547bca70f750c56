//! Customer journeys with their touchpoints, and the journey map's measurements per touchpoint.

use super::shared::{Row, Tx, commit, other, stale_or_missing, write_audit};
use super::{Backend, Db};
use crate::codec::{db_error, join, micros, parse, split, timestamp};
use gastvrij_app::ports::{StoreResult, TouchpointQuery, TouchpointSurvey, TouchpointVolume};
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::JourneyId;
use gastvrij_domain::journey::{Journey, Touchpoint};
use sqlx::{QueryBuilder, Row as _};

const JOURNEY_COLUMNS: &str = "id, name, segment, process, created_at, updated_at, version";
const TOUCHPOINT_COLUMNS: &str =
    "journey_id, position, name, expectation, moment_of_truth, moetje, peak, topics, channels, statuses";

fn journey_from(r: &Row) -> anyhow::Result<(Journey, i64)> {
    let journey = Journey {
        id: parse("id", &r.try_get::<String, _>("id")?)?,
        name: r.try_get("name")?,
        segment: parse("segment", &r.try_get::<String, _>("segment")?)?,
        process: r.try_get("process")?,
        touchpoints: vec![],
        created_at: timestamp(r.try_get("created_at")?)?,
        updated_at: timestamp(r.try_get("updated_at")?)?,
    };
    Ok((journey, r.try_get("version")?))
}

fn touchpoint_from(r: &Row) -> anyhow::Result<(String, Touchpoint)> {
    let t = Touchpoint {
        name: r.try_get("name")?,
        expectation: r.try_get("expectation")?,
        moment_of_truth: r.try_get("moment_of_truth")?,
        moetje: r.try_get("moetje")?,
        peak: r.try_get("peak")?,
        topics: split("topics", &r.try_get::<String, _>("topics")?)?,
        channels: split("channels", &r.try_get::<String, _>("channels")?)?,
        statuses: split("statuses", &r.try_get::<String, _>("statuses")?)?,
    };
    Ok((r.try_get("journey_id")?, t))
}

/// Write the touchpoints of `journey` in its order, after removing the ones stored.
async fn replace_touchpoints(tx: &mut Tx, journey: &Journey) -> StoreResult<()> {
    sqlx::query("DELETE FROM journey_touchpoints WHERE journey_id = $1")
        .bind(journey.id.to_string())
        .execute(&mut **tx)
        .await
        .map_err(db_error)?;
    if journey.touchpoints.is_empty() {
        return Ok(());
    }
    let mut qb = QueryBuilder::<Db>::new(format!("INSERT INTO journey_touchpoints ({TOUCHPOINT_COLUMNS}) "));
    qb.push_values(journey.touchpoints.iter().enumerate(), |mut b, (i, t)| {
        b.push_bind(journey.id.to_string())
            .push_bind(i as i64)
            .push_bind(t.name.clone())
            .push_bind(t.expectation.clone())
            .push_bind(t.moment_of_truth)
            .push_bind(t.moetje)
            .push_bind(t.peak)
            .push_bind(join(&t.topics))
            .push_bind(join(&t.channels))
            .push_bind(join(&t.statuses));
    });
    qb.build().execute(&mut **tx).await.map_err(db_error)?;
    Ok(())
}

/// ` AND <column> IN (...)` when `values` is not empty.
fn push_in<T: ToString>(qb: &mut QueryBuilder<Db>, column: &str, values: &[T]) {
    if values.is_empty() {
        return;
    }
    qb.push(format!(" AND {column} IN ("));
    let mut list = qb.separated(", ");
    for v in values {
        list.push_bind(v.to_string());
    }
    list.push_unseparated(")");
}

fn count(r: &Row, column: &str) -> StoreResult<u64> {
    let v: Option<i64> = r.try_get(column).map_err(other)?;
    u64::try_from(v.unwrap_or(0)).map_err(other)
}

#[async_trait::async_trait]
impl gastvrij_app::ports::JourneyStore for Backend {
    async fn insert_journey(&self, journey: &Journey, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO journeys (id, name, segment, process, created_at, updated_at, version) \
             VALUES ($1, $2, $3, $4, $5, $6, 1)",
        )
        .bind(journey.id.to_string())
        .bind(&journey.name)
        .bind(journey.segment.code())
        .bind(&journey.process)
        .bind(micros(journey.created_at))
        .bind(micros(journey.updated_at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        replace_touchpoints(&mut tx, journey).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn update_journey(&self, journey: &Journey, version: i64, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let rows = sqlx::query(
            "UPDATE journeys SET name = $1, segment = $2, process = $3, updated_at = $4, version = version + 1 \
             WHERE id = $5 AND version = $6",
        )
        .bind(&journey.name)
        .bind(journey.segment.code())
        .bind(&journey.process)
        .bind(micros(journey.updated_at))
        .bind(journey.id.to_string())
        .bind(version)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?
        .rows_affected();
        if rows == 0 {
            return Err(stale_or_missing(&mut tx, "journeys", journey.id.to_string(), "journey").await);
        }
        replace_touchpoints(&mut tx, journey).await?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn journey(&self, id: JourneyId) -> StoreResult<Option<(Journey, i64)>> {
        let sql = format!("SELECT {JOURNEY_COLUMNS} FROM journeys WHERE id = $1");
        let Some(row) = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?
        else {
            return Ok(None);
        };
        let (mut journey, version) = journey_from(&row).map_err(other)?;
        let sql =
            format!("SELECT {TOUCHPOINT_COLUMNS} FROM journey_touchpoints WHERE journey_id = $1 ORDER BY position");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id.to_string())
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        for r in &rows {
            journey.touchpoints.push(touchpoint_from(r).map_err(other)?.1);
        }
        Ok(Some((journey, version)))
    }

    async fn journeys(&self) -> StoreResult<Vec<Journey>> {
        let sql = format!("SELECT {JOURNEY_COLUMNS} FROM journeys ORDER BY name, id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.reader()).await.map_err(db_error)?;
        let mut journeys =
            rows.iter().map(|r| journey_from(r).map(|(j, _)| j)).collect::<anyhow::Result<Vec<_>>>().map_err(other)?;
        let sql = format!("SELECT {TOUCHPOINT_COLUMNS} FROM journey_touchpoints ORDER BY journey_id, position");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.reader()).await.map_err(db_error)?;
        for r in &rows {
            let (journey_id, t) = touchpoint_from(r).map_err(other)?;
            if let Some(j) = journeys.iter_mut().find(|j| j.id.to_string() == journey_id) {
                j.touchpoints.push(t);
            }
        }
        Ok(journeys)
    }

    async fn touchpoint_volume(&self, q: &TouchpointQuery) -> StoreResult<TouchpointVolume> {
        let contacts = if q.topics.is_empty() && q.channels.is_empty() {
            0
        } else {
            let mut qb = if q.topics.is_empty() {
                QueryBuilder::<Db>::new("SELECT COUNT(*) AS n FROM contacts k WHERE k.started_at >= ")
            } else {
                // Contact–topic pairs: a contact counts once per topic it has a question on.
                QueryBuilder::<Db>::new(
                    "SELECT COUNT(*) AS n FROM (SELECT DISTINCT k.id, x.topic_id FROM contacts k \
                     JOIN questions x ON x.contact_id = k.id WHERE k.started_at >= ",
                )
            };
            qb.push_bind(micros(q.from)).push(" AND k.started_at < ").push_bind(micros(q.to));
            push_in(&mut qb, "k.channel", &q.channels);
            if !q.topics.is_empty() {
                push_in(&mut qb, "x.topic_id", &q.topics);
                qb.push(") p");
            }
            let row = qb.build().fetch_one(self.reader()).await.map_err(db_error)?;
            count(&row, "n")?
        };
        let mut qb = QueryBuilder::<Db>::new("SELECT COUNT(*) AS n FROM cases c WHERE c.created_at >= ");
        qb.push_bind(micros(q.from)).push(" AND c.created_at < ").push_bind(micros(q.to));
        push_in(&mut qb, "c.topic_id", &q.topics);
        push_in(&mut qb, "c.channel", &q.channels);
        push_in(&mut qb, "c.status", &q.statuses);
        let row = qb.build().fetch_one(self.reader()).await.map_err(db_error)?;
        Ok(TouchpointVolume { contacts, cases: count(&row, "n")? })
    }

    async fn touchpoint_rollup(
        &self,
        q: &TouchpointQuery,
        from_day: &str,
        to_day: &str,
    ) -> StoreResult<gastvrij_app::ports::TouchpointRollup> {
        super::journey_rollups::touchpoint(self, q, from_day, to_day).await
    }

    async fn dirty_journey_hours(&self, limit: u32) -> StoreResult<Vec<(i64, i64)>> {
        super::journey_rollups::dirty_hours(self, limit).await
    }

    async fn refresh_journey_days(
        &self,
        days: &[(String, jiff::Timestamp, jiff::Timestamp)],
        done: &[(i64, i64)],
    ) -> StoreResult<()> {
        super::journey_rollups::refresh_days(self, days, done).await
    }

    async fn touchpoint_survey(&self, q: &TouchpointQuery) -> StoreResult<TouchpointSurvey> {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT COUNT(*) AS n, CAST(SUM(a.grade) AS BIGINT) AS grades FROM survey_answers a \
             JOIN submissions s ON s.id = a.submission_id JOIN cases c ON c.id = s.case_id \
             WHERE a.answered_at >= ",
        );
        qb.push_bind(micros(q.from)).push(" AND a.answered_at < ").push_bind(micros(q.to));
        push_in(&mut qb, "c.topic_id", &q.topics);
        push_in(&mut qb, "c.channel", &q.channels);
        let row = qb.build().fetch_one(self.reader()).await.map_err(db_error)?;
        Ok(TouchpointSurvey { answers: count(&row, "n")?, grade_sum: count(&row, "grades")? })
    }

    async fn touchpoint_waits(&self, q: &TouchpointQuery) -> StoreResult<Vec<i64>> {
        let mut qb = QueryBuilder::<Db>::new(
            "SELECT c.first_action_at - c.created_at AS waited FROM cases c WHERE c.first_action_at IS NOT NULL \
             AND c.created_at >= ",
        );
        qb.push_bind(micros(q.from)).push(" AND c.created_at < ").push_bind(micros(q.to));
        push_in(&mut qb, "c.topic_id", &q.topics);
        push_in(&mut qb, "c.channel", &q.channels);
        qb.push(" ORDER BY waited");
        let rows = qb.build().fetch_all(self.reader()).await.map_err(db_error)?;
        rows.iter().map(|r| r.try_get::<i64, _>("waited").map(|us| us / 1_000_000).map_err(other)).collect()
    }
}
