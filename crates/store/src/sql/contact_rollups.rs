//! The hourly roll-ups behind the contact figures (docs/contact-figures.md): the markers every
//! write of a contact, a consultation or a case made from a contact leaves in `contact_dirty`, the
//! refresh that recomputes the marked hours from the raw tables, and the read of a period.

use super::Backend;
use super::shared::{HOUR, Row, Tx, commit, other};
use crate::codec::{db_error, micros};
use gastvrij_app::ports::{ContactFigureCounts, ContactHourRow, StoreResult};
use sqlx::Row as _;

/// The advisory-lock key (PostgreSQL) that one node holds while it replaces contact hours.
const CONTACT_ROLLUP_LOCK: i64 = 0x6776_5f63_6f6e_7461; // "gv_conta"

/// Renew a marker: a new hour starts at 0, a marked one counts up, so a refresh that read the
/// old counter leaves it standing.
const RENEW: &str = " ON CONFLICT (utc_hour) DO UPDATE SET touched = contact_dirty.touched + 1";

/// Mark the UTC hours `hours` (in any order, repeats allowed).
pub(super) async fn mark_hours_tx(tx: &mut Tx, hours: impl IntoIterator<Item = i64>) -> StoreResult<()> {
    super::shared::mark_hours_tx(tx, "contact_dirty", hours).await
}

/// Mark the hour of the stored contact `id` (nothing when there is none).
pub(super) async fn mark_contact_tx(tx: &mut Tx, id: &str) -> StoreResult<()> {
    let sql = format!(
        "INSERT INTO contact_dirty (utc_hour, touched) SELECT started_at / {HOUR}, 0 FROM contacts WHERE id = $1{RENEW}"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).execute(&mut **tx).await.map_err(db_error)?;
    Ok(())
}

/// Mark the hour the stored consultation `id` was asked, and the hour of its contact.
pub(super) async fn mark_consultation_tx(tx: &mut Tx, id: &str) -> StoreResult<()> {
    for sql in [
        format!(
            "INSERT INTO contact_dirty (utc_hour, touched) SELECT asked_at / {HOUR}, 0 FROM consultations WHERE id = $1{RENEW}"
        ),
        format!(
            "INSERT INTO contact_dirty (utc_hour, touched) SELECT k.started_at / {HOUR}, 0 FROM consultations s \
             JOIN contacts k ON k.id = s.contact_id WHERE s.id = $1{RENEW}"
        ),
    ] {
        sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id).execute(&mut **tx).await.map_err(db_error)?;
    }
    Ok(())
}

/// Closed at once, as `CONTACT_HOURS` in `contacts.rs` defines it.
const FIRST_TIME: &str = "CASE WHEN c.state = 'closed' \
     AND EXISTS (SELECT 1 FROM questions q WHERE q.contact_id = c.id) \
     AND NOT EXISTS (SELECT 1 FROM questions q WHERE q.contact_id = c.id \
         AND (q.outcome IS NULL OR q.outcome <> 'answered' OR q.case_id IS NOT NULL)) \
     AND NOT EXISTS (SELECT 1 FROM consultations s WHERE s.contact_id = c.id) \
     THEN 1 ELSE 0 END";

pub(super) async fn dirty_hours(db: &Backend, limit: u32) -> StoreResult<Vec<(i64, i64)>> {
    sqlx::query_as("SELECT utc_hour, touched FROM contact_dirty ORDER BY utc_hour LIMIT $1")
        .bind(i64::from(limit))
        .fetch_all(db.reader())
        .await
        .map_err(db_error)
}

pub(super) async fn refresh_hours(db: &Backend, from_hour: i64, to_hour: i64, done: &[(i64, i64)]) -> StoreResult<()> {
    let mut tx = db.begin_write().await?;
    if Backend::BACKEND == "postgres" {
        sqlx::query("SELECT pg_advisory_xact_lock($1)")
            .bind(CONTACT_ROLLUP_LOCK)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
    }
    for table in ["contact_hourly", "contact_hourly_all", "handover_hourly", "handover_hourly_all", "consult_hourly"] {
        let sql = format!("DELETE FROM {table} WHERE utc_hour >= $1 AND utc_hour < $2");
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(from_hour)
            .bind(to_hour)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
    }
    let segment = super::shared::first_segment("cu.segments");
    let contacts = format!(
        "INSERT INTO contact_hourly (utc_hour, channel, team_id, segment, contacts, closed, first_time, forwarded) \
         SELECT c.started_at / {HOUR} AS h, c.channel AS ch, COALESCE(c.team_id, '') AS t, {segment} AS sg, COUNT(*), \
         SUM(CASE WHEN c.state = 'closed' THEN 1 ELSE 0 END), SUM({FIRST_TIME}), \
         SUM((SELECT COUNT(*) FROM questions q WHERE q.contact_id = c.id AND q.outcome = 'forwarded')) \
         FROM contacts c LEFT JOIN customers cu ON cu.id = c.customer_id \
         WHERE c.started_at >= $1 AND c.started_at < $2 GROUP BY h, ch, t, sg"
    );
    let handovers = format!(
        "INSERT INTO handover_hourly (utc_hour, team_id, segment, case_team_id, questions) \
         SELECT c.started_at / {HOUR} AS h, COALESCE(c.team_id, '') AS t, {segment} AS sg, COALESCE(k.team_id, '') AS kt, \
         COUNT(*) FROM contacts c JOIN questions q ON q.contact_id = c.id LEFT JOIN cases k ON k.id = q.case_id \
         LEFT JOIN customers cu ON cu.id = c.customer_id \
         WHERE q.case_id IS NOT NULL AND c.started_at >= $1 AND c.started_at < $2 GROUP BY h, t, sg, kt"
    );
    let consults = format!(
        "INSERT INTO consult_hourly (utc_hour, team_id, asked, answered, to_article) \
         SELECT s.asked_at / {HOUR} AS h, COALESCE(s.asker_team_id, '') AS t, COUNT(*), COUNT(s.answered_at), \
         SUM(CASE WHEN s.answered_at IS NOT NULL AND s.article_id IS NOT NULL THEN 1 ELSE 0 END) \
         FROM consultations s \
         WHERE s.asked_at >= $1 AND s.asked_at < $2 GROUP BY h, t"
    );
    for sql in [contacts, handovers, consults] {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(from_hour.saturating_mul(HOUR))
            .bind(to_hour.saturating_mul(HOUR))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
    }
    // The figures of everyone, from the rows just written.
    for sql in [
        "INSERT INTO contact_hourly_all (utc_hour, channel, contacts, closed, first_time, forwarded) \
         SELECT utc_hour, channel, SUM(contacts), SUM(closed), SUM(first_time), SUM(forwarded) FROM contact_hourly \
         WHERE utc_hour >= $1 AND utc_hour < $2 GROUP BY utc_hour, channel",
        "INSERT INTO handover_hourly_all (utc_hour, case_team_id, questions) \
         SELECT utc_hour, case_team_id, SUM(questions) FROM handover_hourly \
         WHERE utc_hour >= $1 AND utc_hour < $2 GROUP BY utc_hour, case_team_id",
    ] {
        sqlx::query(sql).bind(from_hour).bind(to_hour).execute(&mut *tx).await.map_err(db_error)?;
    }
    for (hour, touched) in done {
        sqlx::query("DELETE FROM contact_dirty WHERE utc_hour = $1 AND touched = $2")
            .bind(hour)
            .bind(touched)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
    }
    commit(tx).await
}

pub(super) async fn figure_rollup(
    db: &Backend,
    from: jiff::Timestamp,
    to: jiff::Timestamp,
    team: Option<&str>,
    segment: Option<&str>,
) -> StoreResult<ContactFigureCounts> {
    // Whole hours: the start's hour from its first microsecond on, the end's up to it.
    let (from, to) = (micros(from).div_euclid(HOUR), micros(to).div_euclid(HOUR));
    let (team, segment) = (team.unwrap_or(""), segment);
    // Everyone's figures from the tables without team and segment; else $3 team ('' all), $4 1
    // to filter on segment $5.
    let everyone = team.is_empty() && segment.is_none();
    let (contact_table, handover_table) =
        if everyone { ("contact_hourly_all", "handover_hourly_all") } else { ("contact_hourly", "handover_hourly") };
    let filter = if everyone {
        "utc_hour >= $1 AND utc_hour < $2 AND $3 = $3 AND $4 = $4 AND $5 = $5"
    } else {
        "utc_hour >= $1 AND utc_hour < $2 AND ($3 = '' OR team_id = $3) AND ($4 = 0 OR segment = $5)"
    };
    let ranged = |sql: String| {
        sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(from)
            .bind(to)
            .bind(team)
            .bind(i64::from(segment.is_some()))
            .bind(segment.unwrap_or(""))
    };
    let count = |r: &Row, i: usize| u64::try_from(r.try_get::<i64, _>(i).map_err(other)?).map_err(other);
    let hours = ranged(format!(
        "SELECT utc_hour, CAST(SUM(contacts) AS BIGINT), CAST(SUM(closed) AS BIGINT), \
         CAST(SUM(first_time) AS BIGINT) FROM {contact_table} WHERE {filter} GROUP BY utc_hour ORDER BY utc_hour"
    ))
    .fetch_all(db.reader())
    .await
    .map_err(db_error)?;
    let channels = ranged(format!(
        "SELECT channel, CAST(SUM(contacts) AS BIGINT) FROM {contact_table} WHERE {filter} GROUP BY channel ORDER BY channel"
    ))
    .fetch_all(db.reader())
    .await
    .map_err(db_error)?;
    let forwarded =
        ranged(format!("SELECT CAST(COALESCE(SUM(forwarded), 0) AS BIGINT) FROM {contact_table} WHERE {filter}"))
            .fetch_one(db.reader())
            .await
            .map_err(db_error)?;
    let handovers = ranged(format!(
        "SELECT case_team_id, CAST(SUM(questions) AS BIGINT) FROM {handover_table} WHERE {filter} GROUP BY case_team_id"
    ))
    .fetch_all(db.reader())
    .await
    .map_err(db_error)?;
    // Consultations have no segment.
    let consults = sqlx::query(
        "SELECT CAST(COALESCE(SUM(asked), 0) AS BIGINT), CAST(COALESCE(SUM(answered), 0) AS BIGINT), \
         CAST(COALESCE(SUM(to_article), 0) AS BIGINT) FROM consult_hourly \
         WHERE utc_hour >= $1 AND utc_hour < $2 AND ($3 = '' OR team_id = $3)",
    )
    .bind(from)
    .bind(to)
    .bind(team)
    .fetch_one(db.reader())
    .await
    .map_err(db_error)?;
    Ok(ContactFigureCounts {
        hours: hours
            .iter()
            .map(|r| {
                Ok(ContactHourRow {
                    utc_hour: r.try_get(0).map_err(other)?,
                    contacts: count(r, 1)?,
                    closed: count(r, 2)?,
                    first_time: count(r, 3)?,
                })
            })
            .collect::<StoreResult<_>>()?,
        channels: channels
            .iter()
            .map(|r| Ok((r.try_get(0).map_err(other)?, count(r, 1)?)))
            .collect::<StoreResult<_>>()?,
        consults_asked: count(&consults, 0)?,
        consults_answered: count(&consults, 1)?,
        consults_to_article: count(&consults, 2)?,
        handovers: handovers
            .iter()
            .map(|r| Ok((r.try_get(0).map_err(other)?, count(r, 1)?)))
            .collect::<StoreResult<_>>()?,
        forwarded: count(&forwarded, 0)?,
    })
}
