//! TLS to PostgreSQL: `sslmode` in the `--database` URL decides whether the connection is
//! encrypted (docs/operations.md, "TLS to PostgreSQL"). Runs against the PostgreSQL named in
//! `GASTVRIJ_TEST_POSTGRES`, which must offer TLS (Debian's package does, with its own
//! certificate); without that variable the test says so and passes.

use gastvrij_store::{Database, Location, OpenMode};

fn with_sslmode(url: &str, mode: &str) -> String {
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}sslmode={mode}")
}

async fn encrypted(url: &str) -> bool {
    match Database::open(&Location::Postgres(url.to_string()), OpenMode::CreateIfMissing).await.unwrap() {
        Database::Postgres(pg) => pg.connection_encrypted().await.unwrap(),
        Database::Sqlite(_) => unreachable!("a postgres:// location opens PostgreSQL"),
    }
}

#[tokio::test]
async fn sslmode_in_the_url_decides_whether_the_connection_is_encrypted() {
    let Ok(url) = std::env::var("GASTVRIJ_TEST_POSTGRES") else {
        eprintln!("GASTVRIJ_TEST_POSTGRES is not set: the TLS test did not run");
        return;
    };
    assert!(encrypted(&with_sslmode(&url, "require")).await, "sslmode=require gives an encrypted connection");
    assert!(!encrypted(&with_sslmode(&url, "disable")).await, "sslmode=disable gives a plain one");

    // A certificate that cannot be checked against the given CA is refused with a clear error.
    let bogus_ca = std::env::temp_dir().join(format!("gastvrij-no-such-ca-{}.pem", std::process::id()));
    let strict = format!("{}&sslrootcert={}", with_sslmode(&url, "verify-full"), bogus_ca.display());
    let refused = Database::open(&Location::Postgres(strict), OpenMode::CreateIfMissing).await;
    assert!(refused.is_err(), "verify-full without a usable CA must not connect");
}
