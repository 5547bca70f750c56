//! PostgreSQL, for installations beyond one machine.

use crate::codec::db_error;
use crate::location::{OpenError, redact};
use gastvrij_app::StoreError;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Pool, Postgres, Transaction};
use std::str::FromStr;
use std::time::Duration;

/// PostgreSQL behind a connection pool; several app nodes may share one database.
#[derive(Clone)]
pub struct PostgresStore {
    pool: Pool<Postgres>,
}

impl PostgresStore {
    pub const BACKEND: &'static str = "postgres";

    pub async fn connect(url: &str) -> Result<Self, OpenError> {
        let unreachable = |reason: String| OpenError::Unreachable { url: redact(url), reason };
        let options = PgConnectOptions::from_str(url).map_err(|e| unreachable(format!("the URL is invalid ({e})")))?;
        let pool = PgPoolOptions::new()
            .max_connections(16)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(options.application_name("gastvrij"))
            .await
            .map_err(|e| unreachable(short(&e)))?;
        Ok(Self { pool })
    }

    pub(crate) fn pool(&self) -> &Pool<Postgres> {
        &self.pool
    }

    /// Whether this node's connections to PostgreSQL are encrypted (TLS), as the server sees
    /// one of them. `sslmode` in the URL decides: `prefer` (the default) encrypts when the
    /// server offers TLS, `require` refuses a plain connection, `verify-full` also checks the
    /// server's certificate and name (docs/operations.md).
    pub async fn connection_encrypted(&self) -> Result<bool, StoreError> {
        let (ssl,): (bool,) =
            sqlx::query_as("SELECT COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)")
                .fetch_one(&self.pool)
                .await
                .map_err(db_error)?;
        Ok(ssl)
    }

    fn reader(&self) -> &Pool<Postgres> {
        &self.pool
    }

    /// For single statements that need no transaction of their own (as `SqliteStore::writer`).
    pub(crate) fn writer(&self) -> &Pool<Postgres> {
        &self.pool
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Postgres>, StoreError> {
        self.pool.begin().await.map_err(db_error)
    }
}

/// The first line of a connection error, without the chain of causes.
fn short(e: &sqlx::Error) -> String {
    e.to_string().lines().next().unwrap_or("unknown error").to_string()
}

/// The queries of `sql/`, compiled for PostgreSQL.
type Db = Postgres;
type Backend = PostgresStore;
#[path = "sql/mod.rs"]
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose, see sql/mod.rs")]
mod sql;
