//! `gastvrij bench intake` end to end with tiny numbers: the table is printed and nothing failed.
//! No timing assertions: the figures themselves belong in docs/benchmarks.md.

mod common;

use common::gastvrij;

#[test]
fn intake_bench_runs_end_to_end_with_tiny_numbers() {
    let dir = std::env::temp_dir().join(format!("gastvrij_bench_intake_{}", uuid::Uuid::now_v7().simple()));
    let data = dir.join("data").display().to_string();
    let out = gastvrij(&["bench", "intake", "--submissions", "50", "--concurrency", "4", "--photos", "--data", &data]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "stdout:\n{stdout}\nstderr:\n{stderr}");
    for expected in [
        "per-address submission limit: OFF",
        "HTTP submissions/s",
        "HTTP p99",
        "raw inserts/s",
        "HTTP intake / raw insert",
        "100,000 reports take",
        "/melding",
        "/static/portaal.js",
        "(PostgreSQL skipped",
    ] {
        assert!(stdout.contains(expected), "missing {expected:?} in:\n{stdout}");
    }
    let row = |label: &str| {
        let line = stdout.lines().find(|l| l.starts_with(label)).unwrap_or_else(|| panic!("no {label} row:\n{stdout}"));
        line[label.len()..].split_whitespace().collect::<Vec<_>>().join(" ")
    };
    assert_eq!(row("HTTP errors"), "0 of 50 ≤ 0.1%", "{stdout}");
    assert_eq!(row("stored (contacts)"), "50", "{stdout}");
    assert!(!stdout.contains(" error ×"), "{stdout}");
    assert!(std::path::Path::new(&data).join("gastvrij.sqlite").exists(), "--data keeps the database");
    let again = gastvrij(&["bench", "intake", "--submissions", "5", "--data", &data]);
    assert!(!again.status.success(), "a used --data is refused");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already holds a database"));
    let _ = std::fs::remove_dir_all(&dir);
}
