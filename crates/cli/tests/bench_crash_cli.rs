//! `gastvrij bench crash` end to end with few kills: the server is killed with SIGKILL while
//! clients submit, and every acknowledged melding survives with its confirmation mail queued.
//! On PostgreSQL too when `GASTVRIJ_TEST_POSTGRES` names a server (always in CI).

mod common;

use common::gastvrij;

#[test]
fn acknowledged_meldingen_survive_sigkill_of_the_server() {
    let postgres = std::env::var("GASTVRIJ_TEST_POSTGRES").ok().filter(|u| !u.trim().is_empty());
    let mut args = vec!["bench", "crash", "--kills", "3", "--clients", "4", "--seed", "7"];
    if let Some(url) = &postgres {
        args.extend(["--postgres", url.as_str()]);
    }
    let out = gastvrij(&args);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let rows: Vec<Vec<&str>> = stdout
        .lines()
        .filter(|l| l.starts_with("| SQLite") || l.starts_with("| PostgreSQL"))
        .map(|l| l.split('|').map(str::trim).collect())
        .collect();
    assert_eq!(rows.len(), if postgres.is_some() { 2 } else { 1 }, "{stdout}");
    for row in rows {
        // | name | kills | acknowledged | unanswered | lost | mail missing | time |
        assert_eq!(row[2], "3", "killed three times: {row:?}");
        assert!(row[3].parse::<u32>().unwrap() > 0, "some meldingen were acknowledged: {row:?}");
        assert_eq!((row[5], row[6]), ("0", "0"), "nothing acknowledged was lost: {row:?}");
    }
}
