//! The daily roll-ups behind the journey map (docs/journeys.md): the markers writes of contacts,
//! cases and survey answers leave in `journey_dirty`, the refresh that recomputes the marked days
//! from the raw tables, and the read of one touchpoint over a period of days.

use super::shared::{HOUR, Row, Tx, commit, hour_of, other};
use super::{Backend, Db};
use crate::codec::{db_error, micros};
use gastvrij_app::ports::{StoreResult, TouchpointQuery, TouchpointRollup};
use sqlx::{QueryBuilder, Row as _};

/// The advisory-lock key (PostgreSQL) that one node holds while it replaces journey days.
const JOURNEY_ROLLUP_LOCK: i64 = 0x6776_5f6a_6f75_726e; // "gv_journ"

/// Renew a marker: a new hour starts at 0, a marked one counts up, so a refresh that read the
/// old counter leaves it standing.
const RENEW: &str = " ON CONFLICT (utc_hour) DO UPDATE SET touched = journey_dirty.touched + 1";

/// Mark the UTC hours `hours` (in any order, repeats allowed).
pub(super) async fn mark_hours_tx(tx: &mut Tx, hours: impl IntoIterator<Item = i64>) -> StoreResult<()> {
    super::shared::mark_hours_tx(tx, "journey_dirty", hours).await
}

/// Mark what a case change can move: its hour of receipt, and the hours its survey answers were
/// given (their topic and channel are the case's).
pub(super) async fn mark_case_tx(tx: &mut Tx, id: &str, created_at: jiff::Timestamp) -> StoreResult<()> {
    mark_hours_tx(tx, [hour_of(created_at)]).await?;
    let sql = format!(
        "INSERT INTO journey_dirty (utc_hour, touched) SELECT a.answered_at / {HOUR}, 0 FROM submissions s \
         JOIN survey_answers a ON a.submission_id = s.id WHERE s.case_id = $1{RENEW}"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).execute(&mut **tx).await.map_err(db_error)?;
    Ok(())
}

/// Mark the hour of the stored contact `id` and the hours of receipt of its cases (whose channel
/// follows the contact's).
pub(super) async fn mark_contact_tx(tx: &mut Tx, id: &str) -> StoreResult<()> {
    for sql in [
        format!(
            "INSERT INTO journey_dirty (utc_hour, touched) SELECT started_at / {HOUR}, 0 FROM contacts WHERE id = $1{RENEW}"
        ),
        format!(
            "INSERT INTO journey_dirty (utc_hour, touched) SELECT DISTINCT created_at / {HOUR}, 0 FROM cases \
             WHERE contact_id = $1{RENEW}"
        ),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).execute(&mut **tx).await.map_err(db_error)?;
    }
    Ok(())
}

pub(super) async fn dirty_hours(db: &Backend, limit: u32) -> StoreResult<Vec<(i64, i64)>> {
    sqlx::query_as("SELECT utc_hour, touched FROM journey_dirty ORDER BY utc_hour LIMIT $1")
        .bind(i64::from(limit))
        .fetch_all(db.reader())
        .await
        .map_err(db_error)
}

/// The wait of case `c` in whole seconds, and its bucket's lower bound.
const WAIT: &str = "((c.first_action_at - c.created_at) / 1000000)";

fn bucket_sql() -> String {
    format!(
        "CASE WHEN {WAIT} < 36000 THEN ({WAIT} / 360) * 360 WHEN {WAIT} < 864000 THEN ({WAIT} / 3600) * 3600 \
         ELSE ({WAIT} / 86400) * 86400 END"
    )
}

pub(super) async fn refresh_days(
    db: &Backend,
    days: &[(String, jiff::Timestamp, jiff::Timestamp)],
    done: &[(i64, i64)],
) -> StoreResult<()> {
    let mut tx = db.begin_write().await?;
    if Backend::BACKEND == "postgres" {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(JOURNEY_ROLLUP_LOCK)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
    }
    let bucket = bucket_sql();
    let fill = [
        "INSERT INTO journey_contact_daily (day, channel, topic_id, contacts) \
         SELECT $1, k.channel, q.topic_id, COUNT(DISTINCT k.id) FROM contacts k JOIN questions q ON q.contact_id = k.id \
         WHERE q.topic_id IS NOT NULL AND k.started_at >= $2 AND k.started_at < $3 GROUP BY k.channel, q.topic_id"
            .to_string(),
        "INSERT INTO journey_contact_daily (day, channel, topic_id, contacts) \
         SELECT $1, k.channel, '*', COUNT(*) FROM contacts k WHERE k.started_at >= $2 AND k.started_at < $3 \
         GROUP BY k.channel"
            .to_string(),
        "INSERT INTO journey_case_daily (day, topic_id, channel, status, cases) \
         SELECT $1, COALESCE(c.topic_id, '') AS t, COALESCE(c.channel, '') AS ch, c.status, COUNT(*) FROM cases c \
         WHERE c.created_at >= $2 AND c.created_at < $3 GROUP BY t, ch, c.status"
            .to_string(),
        format!(
            "INSERT INTO journey_wait_daily (day, topic_id, channel, bucket, cases, seconds) \
             SELECT $1, COALESCE(c.topic_id, '') AS t, COALESCE(c.channel, '') AS ch, {bucket} AS b, COUNT(*), SUM({WAIT}) \
             FROM cases c \
             WHERE c.first_action_at IS NOT NULL AND c.created_at >= $2 AND c.created_at < $3 GROUP BY t, ch, b"
        ),
        "INSERT INTO journey_survey_daily (day, topic_id, channel, answers, grade_sum) \
         SELECT $1, COALESCE(c.topic_id, '') AS t, COALESCE(c.channel, '') AS ch, COUNT(*), SUM(a.grade) \
         FROM survey_answers a JOIN submissions s ON s.id = a.submission_id JOIN cases c ON c.id = s.case_id \
         WHERE a.answered_at >= $2 AND a.answered_at < $3 GROUP BY t, ch"
            .to_string(),
    ];
    for (day, start, end) in days {
        for table in ["journey_contact_daily", "journey_case_daily", "journey_wait_daily", "journey_survey_daily"] {
            let sql = format!("DELETE FROM {table} WHERE day = $1");
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(day).execute(&mut *tx).await.map_err(db_error)?;
        }
        for sql in &fill {
            sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                .bind(day)
                .bind(micros(*start))
                .bind(micros(*end))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
    }
    for (hour, touched) in done {
        sqlx::query("DELETE FROM journey_dirty WHERE utc_hour = $1 AND touched = $2")
            .bind(hour)
            .bind(touched)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
    }
    commit(tx).await
}

/// ` AND column IN (…)` for a non-empty list.
fn push_in(qb: &mut QueryBuilder<Db>, column: &str, values: Vec<String>) {
    if values.is_empty() {
        return;
    }
    qb.push(format!(" AND {column} IN ("));
    let mut sep = qb.separated(", ");
    for v in values {
        sep.push_bind(v);
    }
    sep.push_unseparated(")");
}

pub(super) async fn touchpoint(
    db: &Backend,
    q: &TouchpointQuery,
    from_day: &str,
    to_day: &str,
) -> StoreResult<TouchpointRollup> {
    let topics: Vec<String> = q.topics.iter().map(ToString::to_string).collect();
    let channels: Vec<String> = q.channels.iter().map(|c| c.code().to_string()).collect();
    let statuses: Vec<String> = q.statuses.iter().map(|s| s.code().to_string()).collect();
    let total = |row: &Row, i: usize| -> StoreResult<u64> {
        let n: Option<i64> = row.try_get(i).map_err(other)?;
        u64::try_from(n.unwrap_or(0)).map_err(other)
    };
    let ranged = |select: &str| {
        let mut qb = QueryBuilder::<Db>::new(select);
        qb.push(" WHERE day >= ").push_bind(from_day.to_string()).push(" AND day < ").push_bind(to_day.to_string());
        qb
    };
    let contacts = if topics.is_empty() && channels.is_empty() {
        0
    } else {
        let mut qb = ranged("SELECT CAST(SUM(contacts) AS BIGINT) FROM journey_contact_daily");
        if topics.is_empty() {
            qb.push(" AND topic_id = '*'");
        } else {
            push_in(&mut qb, "topic_id", topics.clone());
        }
        push_in(&mut qb, "channel", channels.clone());
        total(&qb.build().fetch_one(db.reader()).await.map_err(db_error)?, 0)?
    };
    let mut qb = ranged("SELECT CAST(SUM(cases) AS BIGINT) FROM journey_case_daily");
    push_in(&mut qb, "topic_id", topics.clone());
    push_in(&mut qb, "channel", channels.clone());
    push_in(&mut qb, "status", statuses);
    let cases = total(&qb.build().fetch_one(db.reader()).await.map_err(db_error)?, 0)?;
    let mut qb =
        ranged("SELECT CAST(SUM(answers) AS BIGINT), CAST(SUM(grade_sum) AS BIGINT) FROM journey_survey_daily");
    push_in(&mut qb, "topic_id", topics.clone());
    push_in(&mut qb, "channel", channels.clone());
    let row = qb.build().fetch_one(db.reader()).await.map_err(db_error)?;
    let (answers, grade_sum) = (total(&row, 0)?, total(&row, 1)?);
    let mut qb =
        ranged("SELECT bucket, CAST(SUM(cases) AS BIGINT), CAST(SUM(seconds) AS BIGINT) FROM journey_wait_daily");
    push_in(&mut qb, "topic_id", topics);
    push_in(&mut qb, "channel", channels);
    qb.push(" GROUP BY bucket ORDER BY bucket");
    let waits = qb
        .build()
        .fetch_all(db.reader())
        .await
        .map_err(db_error)?
        .iter()
        .map(|r| {
            let seconds: Option<i64> = r.try_get(2).map_err(other)?;
            Ok((r.try_get::<i64, _>(0).map_err(other)?, total(r, 1)?, seconds.unwrap_or(0)))
        })
        .collect::<StoreResult<_>>()?;
    Ok(TouchpointRollup { contacts, cases, answers, grade_sum, waits })
}
