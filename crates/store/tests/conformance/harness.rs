//! One set of stories, run against every backend: SQLite always, PostgreSQL when
//! `GASTVRIJ_TEST_POSTGRES` names a server (in CI always).

use gastvrij_app::{App, Clock, Principal, Settings, Store};
use gastvrij_store::{Database, Location, OpenMode};
use jiff::Timestamp;
use std::path::PathBuf;
use std::sync::{Arc, Mutex, Once};

/// A clock the test moves by hand.
pub struct TestClock(pub Mutex<Timestamp>);

impl TestClock {
    pub fn advance_secs(&self, s: i64) {
        let mut t = self.0.lock().expect("clock lock");
        *t += jiff::SignedDuration::from_secs(s);
    }
}

impl Clock for TestClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().expect("clock lock")
    }
}

/// A fresh, migrated database for one test; removed again when dropped.
pub struct TestDb {
    pub store: Arc<dyn Store>,
    pub location: Location,
    cleanup: Cleanup,
}

enum Cleanup {
    Dir(PathBuf),
    PgDatabase { admin_url: String, name: String },
}

impl Drop for TestDb {
    fn drop(&mut self) {
        match &self.cleanup {
            Cleanup::Dir(dir) => {
                let _ = std::fs::remove_dir_all(dir);
            }
            Cleanup::PgDatabase { admin_url, name } => {
                let (url, name) = (admin_url.clone(), name.clone());
                // Drop is synchronous: use a thread with its own runtime.
                let _ = std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
                    rt.block_on(async {
                        if let Ok(pool) = sqlx::PgPool::connect(&url).await {
                            let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                            let _ = sqlx::query(sqlx::AssertSqlSafe(sql)).execute(&pool).await;
                        }
                    });
                })
                .join();
            }
        }
    }
}

pub fn unique(prefix: &str) -> String {
    format!("{prefix}_{}", uuid::Uuid::now_v7().simple())
}

pub fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(unique("gastvrij_test"));
    std::fs::create_dir(&dir).expect("create temp dir");
    dir
}

pub async fn sqlite() -> TestDb {
    let dir = temp_dir();
    let location = Location::Sqlite(dir.join("gastvrij.sqlite"));
    let db = Database::open(&location, OpenMode::CreateIfMissing).await.expect("open sqlite");
    db.migrate().await.expect("migrate sqlite");
    TestDb { store: db.into_store(), location, cleanup: Cleanup::Dir(dir) }
}

static SKIP_NOTICE: Once = Once::new();

/// A fresh PostgreSQL database, or `None` (with one notice) when no server is configured.
pub async fn postgres() -> Option<TestDb> {
    let Ok(admin_url) = std::env::var("GASTVRIJ_TEST_POSTGRES") else {
        SKIP_NOTICE.call_once(|| {
            // Written to the real stderr, past the test harness's capture, so it is always seen.
            use std::io::Write as _;
            let _ = writeln!(
                std::io::stderr(),
                "PostgreSQL stories skipped: set GASTVRIJ_TEST_POSTGRES=postgres://USER@HOST:PORT/DB to run them"
            );
        });
        return None;
    };
    let admin = sqlx::PgPool::connect(&admin_url)
        .await
        .unwrap_or_else(|e| panic!("GASTVRIJ_TEST_POSTGRES is set but PostgreSQL is unreachable: {e}"));
    let name = unique("gv_test");
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE \"{name}\"")))
        .execute(&admin)
        .await
        .expect("create test database");
    admin.close().await;
    let url = match admin_url.rsplit_once('/') {
        Some((base, _)) => format!("{base}/{name}"),
        None => panic!("GASTVRIJ_TEST_POSTGRES must end in /DATABASE"),
    };
    let location = Location::Postgres(url);
    let db = Database::open(&location, OpenMode::CreateIfMissing).await.expect("open postgres");
    db.migrate().await.expect("migrate postgres");
    Some(TestDb { store: db.into_store(), location, cleanup: Cleanup::PgDatabase { admin_url, name } })
}

/// An app over `db` with a test clock at 2026-03-02 09:00 UTC.
pub fn app(db: &TestDb) -> (App, Arc<TestClock>) {
    let clock = Arc::new(TestClock(Mutex::new("2026-03-02T09:00:00Z".parse().expect("time"))));
    (App::new(db.store.clone(), clock.clone(), Settings::default()), clock)
}

pub fn operator() -> Principal {
    Principal::operator()
}

/// Generates one `#[tokio::test]` per backend for each story function of the module `$module`.
#[macro_export]
macro_rules! stories {
    ($module:ident: $($story:ident),* $(,)?) => {
        mod on_sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    let db = $crate::harness::sqlite().await;
                    $crate::$module::$story(&db).await;
                }
            )*
        }
        mod on_postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $story() {
                    if let Some(db) = $crate::harness::postgres().await {
                        $crate::$module::$story(&db).await;
                    }
                }
            )*
        }
    };
}

/// The first column of every row `sql` returns, as text: for a look at what no port shows.
pub async fn texts(location: &Location, sql: &str) -> Vec<Option<String>> {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match location {
        Location::Sqlite(path) => {
            let pool =
                sqlx::SqlitePool::connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(path)).await.unwrap();
            let rows: Vec<(Option<String>,)> = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
            pool.close().await;
            rows.into_iter().map(|(t,)| t).collect()
        }
        Location::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            let rows: Vec<(Option<String>,)> = sqlx::query_as(sql).fetch_all(&pool).await.unwrap();
            pool.close().await;
            rows.into_iter().map(|(t,)| t).collect()
        }
    }
}

/// Run `sql` (several statements) on the test database directly: to put the schema back to an
/// earlier version, or to make a change the way older code made it.
pub async fn raw_sql(location: &Location, sql: &str) {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    match location {
        Location::Sqlite(path) => {
            let options = sqlx::sqlite::SqliteConnectOptions::new().filename(path).foreign_keys(true);
            let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
        Location::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            sqlx::raw_sql(sql).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}
