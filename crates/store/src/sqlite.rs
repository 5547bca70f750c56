//! The embedded default: one SQLite file in the data dir.

use crate::OpenMode;
use crate::location::OpenError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Sqlite, Transaction};
use std::path::Path;
use std::time::Duration;

/// SQLite with one writer connection (writes are serialised in-process, and `BEGIN IMMEDIATE`
/// guards against other processes) and a pool of read-only connections (WAL lets them run
/// beside the writer).
#[derive(Clone)]
pub struct SqliteStore {
    writer: Pool<Sqlite>,
    readers: Pool<Sqlite>,
}

impl SqliteStore {
    pub const BACKEND: &'static str = "sqlite";

    /// Open the database file at `path`. Its folder must exist; the file itself is created only
    /// with [`OpenMode::CreateIfMissing`].
    pub async fn open(path: &Path, mode: OpenMode) -> Result<Self, OpenError> {
        let shown = path.display().to_string();
        let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        match std::fs::metadata(dir) {
            Ok(m) if !m.is_dir() => return Err(OpenError::DataDirIsFile(dir.display().to_string())),
            Ok(_) => {}
            Err(_) => return Err(OpenError::ParentMissing(dir.display().to_string())),
        }
        match std::fs::metadata(path) {
            Ok(m) if m.is_dir() => {
                return Err(OpenError::Io {
                    path: shown,
                    reason: "it is a folder; point at a file or at the data dir".into(),
                });
            }
            Ok(_) => {}
            Err(_) if mode == OpenMode::MustExist => return Err(OpenError::Missing(shown)),
            Err(_) => {}
        }
        let base = SqliteConnectOptions::new()
            .filename(path)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // A larger page cache and fewer WAL checkpoints: bulk writes (imports, the demo) spend
            // most of their time in checkpoints otherwise.
            .pragma("cache_size", "-65536")
            .pragma("wal_autocheckpoint", "20000");
        let io = |e: sqlx::Error| OpenError::Io { path: shown.clone(), reason: e.to_string() };
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(base.clone().create_if_missing(mode == OpenMode::CreateIfMissing))
            .await
            .map_err(io)?;
        let readers = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(base.read_only(true))
            .await
            .map_err(io)?;
        Ok(Self { writer, readers })
    }

    pub(crate) fn writer(&self) -> &Pool<Sqlite> {
        &self.writer
    }

    fn reader(&self) -> &Pool<Sqlite> {
        &self.readers
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, StoreError> {
        self.writer.begin_with("BEGIN IMMEDIATE").await.map_err(db_error)
    }
}

crate::sql::store_impl!(SqliteStore, sqlx::Sqlite);
crate::portal_sql::portal_impl!(SqliteStore, sqlx::Sqlite);
crate::planned_work_sql::planned_work_impl!(SqliteStore, sqlx::Sqlite);
