//! The embedded default: one SQLite file in the data dir.

use crate::OpenMode;
use crate::codec::db_error;
use crate::location::OpenError;
use gastvrij_app::StoreError;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Pool, Sqlite, Transaction};
use std::path::Path;
use std::time::Duration;

/// SQLite with one writer connection (writes are serialised in-process, and `BEGIN IMMEDIATE`
/// guards against other processes) and a pool of read-only connections (WAL lets them run
/// beside the writer). A background task on a connection of its own copies the WAL into the
/// database (checkpoints), so no commit waits for one.
#[derive(Clone)]
pub struct SqliteStore {
    writer: Pool<Sqlite>,
    readers: Pool<Sqlite>,
    /// The checkpoint task stops when the last clone of the store is dropped.
    _alive: std::sync::Arc<()>,
}

/// How often the checkpoint task copies the WAL into the database.
const CHECKPOINT_EVERY: Duration = Duration::from_millis(500);

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
            // FULL: a commit returns only once the WAL is on the disk, so a melding whose
            // confirmation was shown survives a power cut, not only a crash of the process.
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            // A larger page cache. Checkpoints run beside the writer (below), and whenever writes
            // pause the WAL starts over. Under writes without pause that never happens, so past
            // 100,000 pages (~400 MB) the writer checkpoints itself after its commits: a bound,
            // rarely reached, since those checkpoints cost every request in flight a wait.
            .pragma("cache_size", "-65536")
            .pragma("wal_autocheckpoint", "100000");
        let io = |e: sqlx::Error| OpenError::Io { path: shown.clone(), reason: e.to_string() };
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(base.clone().create_if_missing(mode == OpenMode::CreateIfMissing))
            .await
            .map_err(io)?;
        let checkpointer = SqlitePoolOptions::new()
            .max_connections(1)
            .acquire_timeout(Duration::from_secs(60))
            .connect_with(base.clone())
            .await
            .map_err(io)?;
        let readers = SqlitePoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(30))
            .connect_with(base.read_only(true))
            .await
            .map_err(io)?;
        let alive = std::sync::Arc::new(());
        tokio::spawn(checkpoints(checkpointer, std::sync::Arc::downgrade(&alive)));
        Ok(Self { writer, readers, _alive: alive })
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

/// Copy the WAL into the database twice a second while the store is in use. A passive checkpoint
/// never blocks the writer or readers, and it leaves the writer's own checkpoint (see
/// `wal_autocheckpoint`) little to copy.
async fn checkpoints(pool: Pool<Sqlite>, alive: std::sync::Weak<()>) {
    let mut warned = false;
    loop {
        tokio::time::sleep(CHECKPOINT_EVERY).await;
        if alive.upgrade().is_none() {
            break;
        }
        match sqlx::query("PRAGMA wal_checkpoint(PASSIVE)").execute(&pool).await {
            Ok(_) => warned = false,
            Err(e) if !warned => {
                tracing::warn!(error = %e, "the SQLite checkpoint failed; the writer's own checkpoints still run");
                warned = true;
            }
            Err(_) => {}
        }
    }
    pool.close().await;
}

/// The queries of `sql/`, compiled for SQLite.
type Db = Sqlite;
type Backend = SqliteStore;
#[path = "sql/mod.rs"]
#[allow(clippy::duplicate_mod, reason = "compiled once per backend on purpose, see sql/mod.rs")]
mod sql;

#[cfg(test)]
mod tests {
    use super::*;

    /// A confirmed melding must survive a power cut: every connection that writes commits with
    /// `synchronous=FULL` (2), not NORMAL (1).
    #[tokio::test]
    async fn commits_wait_for_the_disk() {
        let dir = std::env::temp_dir().join(format!(
            "gastvrij-sync-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let store = SqliteStore::open(&dir.join("gastvrij.db"), OpenMode::CreateIfMissing).await.unwrap();
        let (level,): (i64,) = sqlx::query_as("PRAGMA synchronous").fetch_one(store.writer()).await.unwrap();
        assert_eq!(level, 2, "the writer must commit with synchronous=FULL");
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
