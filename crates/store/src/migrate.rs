//! A small migration runner: numbered SQL files embedded in the binary, applied in order, each in
//! its own transaction, recorded in `gastvrij_schema`.

use crate::OpenError;
use sqlx::{Database, Executor, Pool};

/// One migration: its version and SQL.
pub struct Migration {
    pub version: i64,
    pub sql: &'static str,
}

/// A backend's migrations and how it tells whether the schema table exists.
pub struct Dialect {
    pub migrations: &'static [Migration],
    pub schema_table_exists: &'static str,
    /// How a migration step's transaction begins, and the statement that then makes it the only
    /// one: several nodes may start at once against one database, and exactly one applies each
    /// step (SQLite: `BEGIN IMMEDIATE` takes the write lock; PostgreSQL: a transaction-scoped
    /// advisory lock).
    pub begin: &'static str,
    pub lock: &'static str,
}

pub const SQLITE: Dialect = Dialect {
    migrations: &[
        Migration { version: 1, sql: include_str!("../migrations/sqlite/0001_foundation.sql") },
        Migration { version: 2, sql: include_str!("../migrations/sqlite/0002_events.sql") },
        Migration { version: 3, sql: include_str!("../migrations/sqlite/0003_kennisbank.sql") },
        Migration { version: 4, sql: include_str!("../migrations/sqlite/0004_rollups.sql") },
        Migration { version: 5, sql: include_str!("../migrations/sqlite/0005_sessions.sql") },
        Migration { version: 6, sql: include_str!("../migrations/sqlite/0006_directory.sql") },
        Migration { version: 7, sql: include_str!("../migrations/sqlite/0007_case_timing_columns.sql") },
        Migration { version: 8, sql: include_str!("../migrations/sqlite/0008_calls.sql") },
        Migration { version: 9, sql: include_str!("../migrations/sqlite/0009_forward_confirmation.sql") },
        Migration { version: 10, sql: include_str!("../migrations/sqlite/0010_mail_outbox.sql") },
        Migration { version: 11, sql: include_str!("../migrations/sqlite/0011_portal.sql") },
        Migration { version: 12, sql: include_str!("../migrations/sqlite/0012_grouping_by_place.sql") },
        Migration { version: 13, sql: include_str!("../migrations/sqlite/0013_mail_list_unsubscribe.sql") },
        Migration { version: 14, sql: include_str!("../migrations/sqlite/0014_folded_names.sql") },
        Migration { version: 15, sql: include_str!("../migrations/sqlite/0015_api_token_lifetime.sql") },
        Migration { version: 16, sql: include_str!("../migrations/sqlite/0016_subscription_confirm_sent.sql") },
        Migration { version: 17, sql: include_str!("../migrations/sqlite/0017_case_work.sql") },
        Migration { version: 18, sql: include_str!("../migrations/sqlite/0018_external_identity.sql") },
        Migration { version: 19, sql: include_str!("../migrations/sqlite/0019_on_call.sql") },
        Migration { version: 20, sql: include_str!("../migrations/sqlite/0020_open_data.sql") },
        Migration { version: 21, sql: include_str!("../migrations/sqlite/0021_complaints.sql") },
        Migration { version: 22, sql: include_str!("../migrations/sqlite/0022_letter_templates.sql") },
        Migration { version: 23, sql: include_str!("../migrations/sqlite/0023_team_board.sql") },
        Migration { version: 24, sql: include_str!("../migrations/sqlite/0024_pulse.sql") },
        Migration { version: 25, sql: include_str!("../migrations/sqlite/0025_kennisbank_editors.sql") },
        Migration { version: 26, sql: include_str!("../migrations/sqlite/0026_search_questions.sql") },
        Migration { version: 27, sql: include_str!("../migrations/sqlite/0027_norm_versions.sql") },
        Migration { version: 28, sql: include_str!("../migrations/sqlite/0028_satisfaction.sql") },
        Migration { version: 29, sql: include_str!("../migrations/sqlite/0029_journeys.sql") },
        Migration { version: 30, sql: include_str!("../migrations/sqlite/0030_open_data_publishing.sql") },
        Migration { version: 31, sql: include_str!("../migrations/sqlite/0031_rate_windows.sql") },
        Migration { version: 32, sql: include_str!("../migrations/sqlite/0032_contact_rollups.sql") },
        Migration { version: 33, sql: include_str!("../migrations/sqlite/0033_journey_rollups.sql") },
        Migration { version: 34, sql: include_str!("../migrations/sqlite/0034_case_segment.sql") },
        Migration { version: 36, sql: include_str!("../migrations/sqlite/0036_attachments.sql") },
        Migration { version: 37, sql: include_str!("../migrations/sqlite/0037_norm_daily_slices.sql") },
        Migration { version: 38, sql: include_str!("../migrations/sqlite/0038_contact_team.sql") },
        Migration { version: 39, sql: include_str!("../migrations/sqlite/0039_norm_daily_channel_topic.sql") },
    ],
    schema_table_exists: "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'gastvrij_schema'",
    begin: "BEGIN IMMEDIATE",
    lock: "SELECT 1",
};

pub const POSTGRES: Dialect = Dialect {
    migrations: &[
        Migration { version: 1, sql: include_str!("../migrations/postgres/0001_foundation.sql") },
        Migration { version: 2, sql: include_str!("../migrations/postgres/0002_events.sql") },
        Migration { version: 3, sql: include_str!("../migrations/postgres/0003_kennisbank.sql") },
        Migration { version: 4, sql: include_str!("../migrations/postgres/0004_rollups.sql") },
        Migration { version: 5, sql: include_str!("../migrations/postgres/0005_sessions.sql") },
        Migration { version: 6, sql: include_str!("../migrations/postgres/0006_directory.sql") },
        Migration { version: 7, sql: include_str!("../migrations/postgres/0007_case_timing_columns.sql") },
        Migration { version: 8, sql: include_str!("../migrations/postgres/0008_calls.sql") },
        Migration { version: 9, sql: include_str!("../migrations/postgres/0009_forward_confirmation.sql") },
        Migration { version: 10, sql: include_str!("../migrations/postgres/0010_mail_outbox.sql") },
        Migration { version: 11, sql: include_str!("../migrations/postgres/0011_portal.sql") },
        Migration { version: 12, sql: include_str!("../migrations/postgres/0012_grouping_by_place.sql") },
        Migration { version: 13, sql: include_str!("../migrations/postgres/0013_mail_list_unsubscribe.sql") },
        Migration { version: 14, sql: include_str!("../migrations/postgres/0014_folded_names.sql") },
        Migration { version: 15, sql: include_str!("../migrations/postgres/0015_api_token_lifetime.sql") },
        Migration { version: 16, sql: include_str!("../migrations/postgres/0016_subscription_confirm_sent.sql") },
        Migration { version: 17, sql: include_str!("../migrations/postgres/0017_case_work.sql") },
        Migration { version: 18, sql: include_str!("../migrations/postgres/0018_external_identity.sql") },
        Migration { version: 19, sql: include_str!("../migrations/postgres/0019_on_call.sql") },
        Migration { version: 20, sql: include_str!("../migrations/postgres/0020_open_data.sql") },
        Migration { version: 21, sql: include_str!("../migrations/postgres/0021_complaints.sql") },
        Migration { version: 22, sql: include_str!("../migrations/postgres/0022_letter_templates.sql") },
        Migration { version: 23, sql: include_str!("../migrations/postgres/0023_team_board.sql") },
        Migration { version: 24, sql: include_str!("../migrations/postgres/0024_pulse.sql") },
        Migration { version: 25, sql: include_str!("../migrations/postgres/0025_kennisbank_editors.sql") },
        Migration { version: 26, sql: include_str!("../migrations/postgres/0026_search_questions.sql") },
        Migration { version: 27, sql: include_str!("../migrations/postgres/0027_norm_versions.sql") },
        Migration { version: 28, sql: include_str!("../migrations/postgres/0028_satisfaction.sql") },
        Migration { version: 29, sql: include_str!("../migrations/postgres/0029_journeys.sql") },
        Migration { version: 30, sql: include_str!("../migrations/postgres/0030_open_data_publishing.sql") },
        Migration { version: 31, sql: include_str!("../migrations/postgres/0031_rate_windows.sql") },
        Migration { version: 32, sql: include_str!("../migrations/postgres/0032_contact_rollups.sql") },
        Migration { version: 33, sql: include_str!("../migrations/postgres/0033_journey_rollups.sql") },
        Migration { version: 34, sql: include_str!("../migrations/postgres/0034_case_segment.sql") },
        Migration { version: 36, sql: include_str!("../migrations/postgres/0036_attachments.sql") },
        Migration { version: 37, sql: include_str!("../migrations/postgres/0037_norm_daily_slices.sql") },
        Migration { version: 38, sql: include_str!("../migrations/postgres/0038_contact_team.sql") },
        Migration { version: 39, sql: include_str!("../migrations/postgres/0039_norm_daily_channel_topic.sql") },
    ],
    schema_table_exists: "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'gastvrij_schema'",
    begin: "BEGIN",
    // Any fixed number, the same in every node; other advisory locks use other numbers.
    lock: "SELECT pg_advisory_xact_lock(7166118229105116)",
};

/// Where a database stands against this binary's migrations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SchemaStatus {
    /// The highest applied version; 0 for an empty database.
    pub current: i64,
    /// The highest version this binary knows.
    pub latest: i64,
}

const CREATE: &str =
    "CREATE TABLE IF NOT EXISTS gastvrij_schema (version BIGINT PRIMARY KEY, applied_at BIGINT NOT NULL)";

async fn current<DB: Database>(pool: &Pool<DB>, dialect: &Dialect) -> Result<i64, OpenError>
where
    for<'c> &'c Pool<DB>: Executor<'c, Database = DB>,
    i64: sqlx::Type<DB> + for<'r> sqlx::Decode<'r, DB>,
    for<'q> <DB as Database>::Arguments: sqlx::IntoArguments<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    // Reading must not create anything: look the table up first.
    let (exists,): (i64,) = sqlx::query_as(dialect.schema_table_exists).fetch_one(pool).await?;
    if exists == 0 {
        return Ok(0);
    }
    let (v,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(version), 0) FROM gastvrij_schema").fetch_one(pool).await?;
    Ok(v)
}

pub async fn status<DB: Database>(pool: &Pool<DB>, dialect: &Dialect) -> Result<SchemaStatus, OpenError>
where
    for<'c> &'c Pool<DB>: Executor<'c, Database = DB>,
    i64: sqlx::Type<DB> + for<'r> sqlx::Decode<'r, DB>,
    for<'q> <DB as Database>::Arguments: sqlx::IntoArguments<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let latest = dialect.migrations.iter().map(|m| m.version).max().unwrap_or(0);
    Ok(SchemaStatus { current: current(pool, dialect).await?, latest })
}

pub async fn run<DB: Database>(pool: &Pool<DB>, dialect: &Dialect) -> Result<Vec<i64>, OpenError>
where
    for<'c> &'c Pool<DB>: Executor<'c, Database = DB>,
    for<'c> &'c mut <DB as Database>::Connection: Executor<'c, Database = DB>,
    i64: sqlx::Type<DB> + for<'r> sqlx::Decode<'r, DB> + for<'q> sqlx::Encode<'q, DB>,
    for<'q> <DB as Database>::Arguments: sqlx::IntoArguments<DB>,
    usize: sqlx::ColumnIndex<DB::Row>,
{
    let status = status(pool, dialect).await?;
    if status.current > status.latest {
        return Err(OpenError::SchemaTooNew { found: status.current, supported: status.latest });
    }
    // Each step in a transaction that first takes the dialect's lock and then checks again
    // whether another node applied it meanwhile: two nodes starting at once never both migrate.
    let mut tx = pool.begin_with(dialect.begin).await?;
    sqlx::raw_sql(dialect.lock).execute(&mut *tx).await?;
    sqlx::raw_sql(CREATE).execute(&mut *tx).await?;
    tx.commit().await?;
    // Every known version not yet recorded, in ascending order — not only those above the highest
    // recorded one, so a database that got a later migration first (branches merged out of
    // order during development) still gets the earlier one.
    let recorded: Vec<(i64,)> = sqlx::query_as("SELECT version FROM gastvrij_schema").fetch_all(pool).await?;
    let recorded: std::collections::BTreeSet<i64> = recorded.into_iter().map(|(v,)| v).collect();
    let mut applied = vec![];
    for m in dialect.migrations.iter().filter(|m| !recorded.contains(&m.version)) {
        let mut tx = pool.begin_with(dialect.begin).await?;
        sqlx::raw_sql(dialect.lock).execute(&mut *tx).await?;
        let (done,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM gastvrij_schema WHERE version = $1")
            .bind(m.version)
            .fetch_one(&mut *tx)
            .await?;
        if done > 0 {
            tx.rollback().await?;
            continue;
        }
        sqlx::raw_sql(m.sql).execute(&mut *tx).await?;
        sqlx::query("INSERT INTO gastvrij_schema (version, applied_at) VALUES ($1, $2)")
            .bind(m.version)
            .bind(jiff::Timestamp::now().as_microsecond())
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        applied.push(m.version);
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_backends_know_the_same_versions_in_ascending_order() {
        let versions = |d: &Dialect| d.migrations.iter().map(|m| m.version).collect::<Vec<_>>();
        let (sqlite, postgres) = (versions(&SQLITE), versions(&POSTGRES));
        assert_eq!(sqlite, postgres, "every migration exists for both databases");
        assert!(sqlite.windows(2).all(|w| w[0] < w[1]), "listed once each, in ascending order: {sqlite:?}");
    }
}
