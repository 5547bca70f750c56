//! Stories of several Gastvrij nodes on one database (issue 18): what each node does at start
//! and in the background is done once, whoever does it.

use crate::harness::{TestDb, temp_dir};
use gastvrij_store::{Database, Location, OpenMode};

crate::stories!(
    nodes:
    two_nodes_starting_at_once_apply_each_migration_exactly_once,
);

/// An empty database at the same place as `db` (PostgreSQL: its schema dropped and made anew;
/// SQLite: a new file beside it).
async fn empty_like(db: &TestDb) -> Location {
    match &db.location {
        Location::Sqlite(_) => Location::Sqlite(temp_dir().join("nodes.sqlite")),
        Location::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            sqlx::raw_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public").execute(&pool).await.unwrap();
            pool.close().await;
            Location::Postgres(url.clone())
        }
    }
}

pub async fn two_nodes_starting_at_once_apply_each_migration_exactly_once(db: &TestDb) {
    // What one node alone applies to an empty database (both dialects have the same steps).
    let alone = Database::open(&Location::Sqlite(temp_dir().join("alone.sqlite")), OpenMode::CreateIfMissing).await;
    let expected = alone.unwrap().migrate().await.unwrap();
    assert!(expected.len() > 10, "{expected:?}");
    // Three times from empty, so the two nodes meet at different steps.
    for _ in 0..3 {
        let location = empty_like(db).await;
        let a = Database::open(&location, OpenMode::CreateIfMissing).await.unwrap();
        let b = Database::open(&location, OpenMode::CreateIfMissing).await.unwrap();
        let (from_a, from_b) = tokio::join!(a.migrate(), b.migrate());
        let (from_a, from_b) = (from_a.expect("node a starts"), from_b.expect("node b starts"));
        let mut all: Vec<i64> = from_a.iter().chain(&from_b).copied().collect();
        all.sort_unstable();
        assert_eq!(all, expected, "each step applied by exactly one node (a: {from_a:?}, b: {from_b:?})");
        let status = a.schema_status().await.unwrap();
        assert_eq!(status.current, status.latest);
    }
}
