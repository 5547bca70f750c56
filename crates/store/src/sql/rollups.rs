//! The roll-ups behind the norm and reachability reports: the dirty markers every write of a
//! case, phone contact or call leaves, and the daily rows the roll-up job rebuilds from them.

use super::cases::OPEN_STATUSES;
use super::shared::{BULK_ROWS, Tx, commit, other};
use super::{Backend, Db};
use crate::codec::{db_error, micros, opt_parse, opt_timestamp, parse, timestamp};
use gastvrij_app::ports::StoreResult;
use sqlx::{QueryBuilder, Row as _};

/// The advisory-lock key (PostgreSQL) that one node holds while it replaces roll-up days.
const ROLLUP_LOCK: i64 = 0x6776_5f72_6f6c_6c75; // "gv_rollu"

pub(super) async fn mark_dirty_tx(
    tx: &mut Tx,
    kind: &str,
    id: &str,
    day_at: jiff::Timestamp,
    touched: jiff::Timestamp,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO rollup_dirty (kind, id, day_at, touched) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (kind, id) DO UPDATE SET touched = excluded.touched",
    )
    .bind(kind)
    .bind(id)
    .bind(micros(day_at))
    .bind(micros(touched))
    .execute(&mut **tx)
    .await
    .map_err(db_error)?;
    Ok(())
}

pub(super) async fn bulk_dirty_tx(
    tx: &mut Tx,
    markers: &[(&'static str, String, jiff::Timestamp, jiff::Timestamp)],
) -> StoreResult<()> {
    for chunk in markers.chunks(BULK_ROWS) {
        let mut qb = QueryBuilder::<Db>::new("INSERT INTO rollup_dirty (kind, id, day_at, touched) ");
        qb.push_values(chunk, |mut b, (kind, id, day_at, touched)| {
            b.push_bind(*kind).push_bind(id.clone()).push_bind(micros(*day_at)).push_bind(micros(*touched));
        });
        qb.push(" ON CONFLICT (kind, id) DO UPDATE SET touched = excluded.touched");
        qb.build().execute(&mut **tx).await.map_err(db_error)?;
    }
    Ok(())
}

/// The conditions of a filter on the columns `team_id`, `topic_id`, `channel` and `segment`
/// (which `norm_daily` and `cases` share), each after `prefix` (a table alias with its dot, or empty),
/// with parameters numbered from `first`, and their values.
pub(super) fn filter_sql(
    filter: &gastvrij_app::ports::NormFilter,
    prefix: &str,
    first: usize,
) -> (String, Vec<String>) {
    let (mut sql, mut binds) = (String::new(), vec![]);
    for (column, value) in [
        ("team_id", filter.team.map(|t| t.to_string())),
        ("topic_id", filter.topic.map(|t| t.to_string())),
        ("channel", filter.channel.map(|c| c.code().to_string())),
        ("segment", filter.segment.map(|s| s.code().to_string())),
    ] {
        if let Some(value) = value {
            sql.push_str(&format!(" AND {prefix}{column} = ${}", first + binds.len()));
            binds.push(value);
        }
    }
    (sql, binds)
}

#[async_trait::async_trait]
impl gastvrij_app::ports::RollupStore for Backend {
    async fn case_timings(
        &self,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
        scope: gastvrij_app::ports::CaseScope,
    ) -> StoreResult<Vec<gastvrij_app::ports::CaseTimingRow>> {
        let status = match scope {
            gastvrij_app::ports::CaseScope::All => "",
            gastvrij_app::ports::CaseScope::Open => " AND c.status IN ('ontvangen', 'in_behandeling', 'opgeschort')",
            gastvrij_app::ports::CaseScope::Closed => " AND c.status = 'afgehandeld'",
        };
        let sql = format!(
            "SELECT c.case_type, c.team_id, c.topic_id, c.channel, c.segment, c.created_at, c.closed_at, c.acknowledgement_due, \
             c.service_norm_due, c.legal_due, c.first_action_at, c.suspended_since FROM cases c WHERE c.created_at >= $1 AND c.created_at < $2{status}"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(micros(from))
            .bind(micros(to))
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        rows.iter()
            .map(|r| -> anyhow::Result<gastvrij_app::ports::CaseTimingRow> {
                Ok(gastvrij_app::ports::CaseTimingRow {
                    case_type: parse("case_type", &r.try_get::<String, _>("case_type")?)?,
                    team_id: parse("team_id", &r.try_get::<String, _>("team_id")?)?,
                    topic_id: opt_parse("topic_id", r.try_get("topic_id")?)?,
                    channel: opt_parse("channel", r.try_get("channel")?)?,
                    segment: opt_parse("segment", Some(r.try_get::<String, _>("segment")?).filter(|s| !s.is_empty()))?,
                    created_at: timestamp(r.try_get("created_at")?)?,
                    closed_at: opt_timestamp(r.try_get("closed_at")?)?,
                    first_action_at: opt_timestamp(r.try_get("first_action_at")?)?,
                    acknowledgement_due: opt_timestamp(r.try_get("acknowledgement_due")?)?,
                    suspended_since: opt_timestamp(r.try_get("suspended_since")?)?,
                    service_norm_due: opt_timestamp(r.try_get("service_norm_due")?)?,
                    legal_due: opt_timestamp(r.try_get("legal_due")?)?,
                })
            })
            .collect::<anyhow::Result<_>>()
            .map_err(other)
    }

    async fn dirty_rollups(&self, limit: u32) -> StoreResult<Vec<gastvrij_app::ports::DirtyMarker>> {
        let rows: Vec<(String, String, i64, i64)> =
            sqlx::query_as("SELECT kind, id, day_at, touched FROM rollup_dirty ORDER BY day_at LIMIT $1")
                .bind(i64::from(limit))
                .fetch_all(self.reader())
                .await
                .map_err(db_error)?;
        rows.into_iter()
            .map(|(kind, id, day_at, touched)| {
                Ok(gastvrij_app::ports::DirtyMarker { kind, id, day_at: timestamp(day_at)?, touched })
            })
            .collect::<anyhow::Result<_>>()
            .map_err(other)
    }

    async fn replace_rollup_days(
        &self,
        days: &[String],
        norms: &[gastvrij_app::ports::NormDailyRow],
        phone: &[gastvrij_app::ports::PhoneDailyRow],
        done: &[gastvrij_app::ports::DirtyMarker],
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        // Two nodes refreshing at once: the second waits here until the first committed, so its
        // DELETE sees (and replaces) the first one's rows instead of inserting beside them.
        // SQLite's write transaction (BEGIN IMMEDIATE) already excludes every other writer.
        if Backend::BACKEND == "postgres" {
            sqlx::query("SELECT pg_advisory_xact_lock($1)")
                .bind(ROLLUP_LOCK)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        for day in days {
            sqlx::query("DELETE FROM norm_daily WHERE day = $1").bind(day).execute(&mut *tx).await.map_err(db_error)?;
            sqlx::query("DELETE FROM phone_daily WHERE day = $1")
                .bind(day)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        for r in norms {
            sqlx::query(
                "INSERT INTO norm_daily (day, team_id, topic_id, channel, segment, case_type, category, within_norm, late, \
                 legal_late) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            )
            .bind(&r.day)
            .bind(r.team_id.to_string())
            .bind(r.topic_id.map(|t| t.to_string()).unwrap_or_default())
            .bind(r.channel.map(|c| c.code()).unwrap_or(""))
            .bind(r.segment.map(|s| s.code()).unwrap_or(""))
            .bind(r.case_type.code())
            .bind(&r.category)
            .bind(r.within_norm)
            .bind(r.late)
            .bind(r.legal_late)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        for r in phone {
            sqlx::query("INSERT INTO phone_daily (day, within_norm, late) VALUES ($1, $2, $3)")
                .bind(&r.day)
                .bind(r.within_norm)
                .bind(r.late)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        for m in done {
            sqlx::query("DELETE FROM rollup_dirty WHERE kind = $1 AND id = $2 AND touched = $3")
                .bind(&m.kind)
                .bind(&m.id)
                .bind(m.touched)
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        commit(tx).await
    }

    async fn norm_daily(
        &self,
        q: &gastvrij_app::ports::NormDailyQuery,
    ) -> StoreResult<Vec<gastvrij_app::ports::NormDailySum>> {
        // Each key, and the column it is made of: grouped by the plain columns (a key is a
        // one-to-one function of its column), the rows are summed in the order of an index
        // (migrations 37 and 39: `(day, column, part column)` per day, `(channel, topic_id, day)`
        // over the period) as they are read, with no sort.
        let (key, column) = daily_key(q.slice);
        let (part_key, part_column) = q.part.map_or(("''", None), daily_key);
        let day = if q.by_day { "day" } else { "''" };
        let group: Vec<&str> = q.by_day.then_some("day").into_iter().chain(column).chain(part_column).collect();
        let group = if group.is_empty() { String::new() } else { format!(" GROUP BY {}", group.join(", ")) };
        let (filtered, binds) = filter_sql(&q.filter, "", 3);
        // By channel and topic over a long period, the index `(channel, topic_id, day)` gives the
        // groups in order. SQLite would rather search the period's days in another index and sort
        // them (for a year at scale 100 three times slower than reading that index whole):
        // `+day` keeps the period's bounds out of its choice there. A short period is cheaper
        // to search and sort, and costs what the period holds, not what the history holds.
        use gastvrij_app::ports::RollupSlice;
        let days = match (q.from_day.parse::<jiff::civil::Date>(), q.to_day.parse::<jiff::civil::Date>()) {
            (Ok(from), Ok(to)) => (to - from).get_days(),
            _ => 0,
        };
        let in_channel_topic_order = !q.by_day
            && q.slice == RollupSlice::Channel
            && q.part == Some(RollupSlice::Topic)
            && days > IN_INDEX_ORDER_FROM_DAYS
            && Backend::BACKEND == "sqlite";
        let bound = if in_channel_topic_order { "+day" } else { "day" };
        let sql = format!(
            "SELECT {day} AS d, {key} AS k, {part_key} AS p, CAST(COALESCE(SUM(within_norm), 0) AS BIGINT) AS w, \
             CAST(COALESCE(SUM(late), 0) AS BIGINT) AS l, CAST(COALESCE(SUM(legal_late), 0) AS BIGINT) AS ll \
             FROM norm_daily WHERE {bound} >= $1 AND {bound} < $2{filtered}{group}"
        );
        let mut query = sqlx::query_as::<_, (String, String, String, i64, i64, i64)>(sqlx::AssertSqlSafe(sql))
            .bind(&q.from_day)
            .bind(&q.to_day);
        for b in binds {
            query = query.bind(b);
        }
        let rows = query.fetch_all(self.reader()).await.map_err(db_error)?;
        Ok(rows
            .into_iter()
            // Summed over nothing (no GROUP BY and no rows): one row of zeros, which is no row.
            .filter(|(_, _, _, w, l, _)| *w != 0 || *l != 0)
            .map(|(day, key, part, within_norm, late, legal_late)| gastvrij_app::ports::NormDailySum {
                day,
                key,
                part,
                within_norm,
                late,
                legal_late,
            })
            .collect())
    }

    async fn open_case_counts(
        &self,
        q: &gastvrij_app::ports::OpenCaseQuery,
    ) -> StoreResult<Vec<gastvrij_app::ports::OpenCaseCount>> {
        use gastvrij_domain::norms::Compliance;
        let key = open_key(q.slice);
        let part = q.part.map_or("''", open_key);
        // $1 from, $2 to, $3 now, $4 risk_until, $5… the starts of the second and later weeks.
        let last = q.week_starts.len().saturating_sub(1);
        // The week by halving: a year's case is placed with 6 comparisons rather than up to 52.
        fn week_of(lo: usize, hi: usize) -> String {
            if lo == hi {
                return lo.to_string();
            }
            let mid = (lo + hi).div_ceil(2);
            format!("CASE WHEN created_at < ${} THEN {} ELSE {} END", mid + 4, week_of(lo, mid - 1), week_of(mid, hi))
        }
        let week = format!("CAST({} AS BIGINT)", week_of(0, last));
        // The state of one measurement, as `gastvrij_domain::norms::classify_case` decides it: a
        // suspended case is judged at its suspension and is never at risk.
        let state = |due: &str, done: &str| {
            format!(
                "CASE WHEN {due} IS NULL THEN '' WHEN {done} IS NOT NULL THEN (CASE WHEN {done} < {due} THEN 'w' ELSE 'l' END) \
                 WHEN {due} <= COALESCE(suspended_since, $3) THEN 'l' WHEN suspended_since IS NULL AND {due} <= $4 THEN 'r' \
                 ELSE 'o' END"
            )
        };
        let (ack, service) = (state("acknowledgement_due", "first_action_at"), state("service_norm_due", "closed_at"));
        let (filtered, binds) = filter_sql(&q.filter, "", 5 + last);
        let sql = format!(
            "SELECT {key} AS k, {part} AS p, {week} AS w, {ack} AS a, {service} AS s, \
             CAST(CASE WHEN service_norm_due IS NOT NULL AND legal_due IS NOT NULL AND COALESCE(closed_at, suspended_since, $3) >= legal_due \
             THEN 1 ELSE 0 END AS BIGINT) AS ll, COUNT(*) AS n \
             FROM cases WHERE created_at >= $1 AND created_at < $2{OPEN_STATUSES}{filtered} GROUP BY k, p, w, a, s, ll"
        );
        let mut query = sqlx::query_as::<_, (String, String, i64, String, String, i64, i64)>(sqlx::AssertSqlSafe(sql))
            .bind(micros(q.from))
            .bind(micros(q.to))
            .bind(micros(q.now))
            .bind(micros(q.risk_until));
        for start in q.week_starts.iter().skip(1) {
            query = query.bind(micros(*start));
        }
        for b in binds {
            query = query.bind(b);
        }
        let rows = query.fetch_all(self.reader()).await.map_err(db_error)?;
        let state = |code: &str| match code {
            "w" => Some(Compliance::WithinNorm),
            "l" => Some(Compliance::Late),
            "r" => Some(Compliance::AtRisk),
            "o" => Some(Compliance::Open),
            _ => None,
        };
        rows.into_iter()
            .map(|(key, part, week, a, s, legal_late, cases)| {
                Ok(gastvrij_app::ports::OpenCaseCount {
                    key,
                    part,
                    week: usize::try_from(week)?,
                    acknowledgement: state(&a),
                    service_norm: state(&s),
                    legal_late: legal_late != 0,
                    cases,
                })
            })
            .collect::<anyhow::Result<_>>()
            .map_err(other)
    }

    async fn phone_daily(&self, from_day: &str, to_day: &str) -> StoreResult<Vec<gastvrij_app::ports::PhoneDailyRow>> {
        let rows: Vec<(String, i64, i64)> =
            sqlx::query_as("SELECT day, within_norm, late FROM phone_daily WHERE day >= $1 AND day < $2")
                .bind(from_day)
                .bind(to_day)
                .fetch_all(self.reader())
                .await
                .map_err(db_error)?;
        Ok(rows
            .into_iter()
            .map(|(day, within_norm, late)| gastvrij_app::ports::PhoneDailyRow { day, within_norm, late })
            .collect())
    }

    async fn phone_waits(
        &self,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
    ) -> StoreResult<Vec<(jiff::Timestamp, u32)>> {
        // Phone contacts with a waiting time, unless a reported call stands for them; and
        // the reported calls (an abandoned call was never answered in time).
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT started_at, waiting_seconds FROM contacts k WHERE channel = 'telefoon' AND waiting_seconds IS NOT NULL \
             AND started_at >= $1 AND started_at < $2 \
             AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.contact_id = k.id) \
             UNION ALL \
             SELECT offered_at, CASE WHEN outcome = 'abandoned' THEN $3 ELSE waiting_seconds END FROM calls \
             WHERE outcome <> 'offered' AND offered_at >= $1 AND offered_at < $2",
        )
        .bind(micros(from))
        .bind(micros(to))
        .bind(i64::from(u32::MAX))
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        rows.into_iter()
            .map(|(at, w)| Ok((timestamp(at)?, u32::try_from(w)?)))
            .collect::<anyhow::Result<_>>()
            .map_err(other)
    }
}

/// The periods (in days) from which a sum by channel and topic over the period reads the index
/// `(channel, topic_id, day)` whole rather than searching and sorting the period's days.
const IN_INDEX_ORDER_FROM_DAYS: i32 = 92;

/// A `norm_daily` slice key, and the column it is made of (none for the total).
fn daily_key(slice: gastvrij_app::ports::RollupSlice) -> (&'static str, Option<&'static str>) {
    use gastvrij_app::ports::RollupSlice;
    match slice {
        RollupSlice::Total => ("'totaal'", None),
        RollupSlice::Team => ("team_id", Some("team_id")),
        RollupSlice::Topic => ("CASE WHEN topic_id = '' THEN 'geen' ELSE topic_id END", Some("topic_id")),
        RollupSlice::Channel => ("CASE WHEN channel = '' THEN 'geen' ELSE channel END", Some("channel")),
        RollupSlice::CaseType => ("case_type", Some("case_type")),
        RollupSlice::Category => ("category", Some("category")),
        RollupSlice::Segment => ("CASE WHEN segment = '' THEN 'geen' ELSE segment END", Some("segment")),
    }
}

/// The slice key of an open case (`cases` has NULL where `norm_daily` has '').
fn open_key(slice: gastvrij_app::ports::RollupSlice) -> &'static str {
    use gastvrij_app::ports::RollupSlice;
    match slice {
        RollupSlice::Total | RollupSlice::Category => "'totaal'",
        RollupSlice::Team => "team_id",
        RollupSlice::Topic => "COALESCE(topic_id, 'geen')",
        RollupSlice::Channel => "COALESCE(channel, 'geen')",
        RollupSlice::CaseType => "case_type",
        RollupSlice::Segment => "CASE WHEN segment = '' THEN 'geen' ELSE segment END",
    }
}
