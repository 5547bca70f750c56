//! The `Store` port on SQLite (the embedded default) and PostgreSQL.
//!
//! Both backends share one implementation of the queries: `sql/`, one file per area of the port
//! (`sql/cases.rs`, `sql/portal.rs`, …). `sqlite.rs` and `postgres.rs` each name their database
//! and store type (`Db`, `Backend`) and declare `#[path = "sql/mod.rs"] mod sql;`, so the same
//! files are compiled once per backend: one source of SQL, monomorphic code for each database,
//! no generics over `sqlx::Database` and no `sqlx::Any`, and plain modules that rustfmt formats.
//! The SQL is portable (`$N` parameters, `ON CONFLICT`, `RETURNING`), times are stored as
//! microseconds since the epoch and ids as text, so the two cannot drift apart. Each backend
//! keeps its own migrations and connection set-up.

pub mod attachments;
mod codec;
mod location;
mod migrate;
mod postgres;
mod sqlite;

pub use attachments::AttachmentsConfig;
pub use location::{Location, OpenError, OpenMode};
pub use migrate::SchemaStatus;
pub use postgres::PostgresStore;
pub use sqlite::SqliteStore;

use gastvrij_app::Store;
use std::sync::Arc;

/// An opened database: the store and the migration control that belongs to it.
pub enum Database {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl Database {
    /// Open the database at `location`. With [`OpenMode::MustExist`] a missing SQLite file or an
    /// uninitialised PostgreSQL schema is refused, so a typo never starts an empty system.
    /// A schema newer than this binary is always refused, before anything is written.
    pub async fn open(location: &Location, mode: OpenMode) -> Result<Self, OpenError> {
        let db = match location {
            Location::Sqlite(path) => Database::Sqlite(SqliteStore::open(path, mode).await?),
            Location::Postgres(url) => Database::Postgres(PostgresStore::connect(url).await?),
        };
        let status = db.schema_status().await?;
        if status.current > status.latest {
            return Err(OpenError::SchemaTooNew { found: status.current, supported: status.latest });
        }
        if mode == OpenMode::MustExist && status.current == 0 {
            return Err(OpenError::NotInitialised(location.to_string()));
        }
        Ok(db)
    }

    pub async fn schema_status(&self) -> Result<SchemaStatus, OpenError> {
        match self {
            Database::Sqlite(s) => migrate::status(s.writer(), &migrate::SQLITE).await,
            Database::Postgres(s) => migrate::status(s.pool(), &migrate::POSTGRES).await,
        }
    }

    /// Apply pending migrations; returns the versions applied.
    /// Afterwards the rows written before migration 14 get their folded names (SQL cannot fold
    /// all of Unicode, so the store does it); that step finds nothing to do once done.
    pub async fn migrate(&self) -> Result<Vec<i64>, OpenError> {
        let applied = match self {
            Database::Sqlite(s) => migrate::run(s.writer(), &migrate::SQLITE).await?,
            Database::Postgres(s) => migrate::run(s.pool(), &migrate::POSTGRES).await?,
        };
        let filled = match self {
            Database::Sqlite(s) => s.backfill_folds().await,
            Database::Postgres(s) => s.backfill_folds().await,
        }
        .map_err(|e| OpenError::Database(format!("filling the folded names failed: {e}")))?;
        if filled > 0 {
            tracing::info!(rows = filled, "filled the folded names of existing rows");
        }
        Ok(applied)
    }

    pub fn into_store(self) -> Arc<dyn Store> {
        match self {
            Database::Sqlite(s) => Arc::new(s),
            Database::Postgres(s) => Arc::new(s),
        }
    }
}
