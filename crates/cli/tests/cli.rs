//! The `gastvrij` binary: its contracts and its errors for bad input.

mod common;

use common::{TempDir, assert_one_line_error, command, gastvrij, stderr};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    v.sort();
    v
}

#[test]
fn unknown_flags_are_refused_with_usage_help() {
    let o = gastvrij(&["serve", "--lissen", "127.0.0.1:1"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--lissen"), "{}", stderr(&o));
}

#[test]
fn a_partial_oidc_configuration_stops_the_start_and_names_the_missing_flag() {
    let tmp = TempDir::new();
    let data = tmp.path("data");
    let o = gastvrij(&[
        "serve",
        "--data",
        &data,
        "--oidc-issuer",
        "https://sso.example.nl/realms/ws",
        "--oidc-client-id",
        "gv",
    ]);
    assert_one_line_error(&o, "missing --oidc-client-secret (GASTVRIJ_OIDC_CLIENT_SECRET)");
    assert!(entries(&tmp.0).is_empty(), "nothing was created");
}

#[test]
fn a_data_dir_that_is_a_file_is_refused_and_left_alone() {
    let tmp = TempDir::new();
    let file = tmp.path("data");
    std::fs::write(&file, "not a folder").unwrap();
    for args in
        [vec!["migrate", "--data", &file], vec!["serve", "--demo", "--data", &file], vec!["serve", "--data", &file]]
    {
        let o = gastvrij(&args);
        assert_one_line_error(&o, "is a file, not a folder");
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a folder");
    assert_eq!(entries(&tmp.0), vec!["data"]);
}

#[test]
fn a_mistyped_path_never_gets_a_database() {
    let tmp = TempDir::new();
    let missing = tmp.path("gastvrj-data");
    let o = gastvrij(&["serve", "--data", &missing]);
    assert_one_line_error(&o, "gastvrij migrate");
    let nested = tmp.path("no/such/folder");
    let o = gastvrij(&["migrate", "--data", &nested]);
    assert_one_line_error(&o, "does not exist");
    let o = gastvrij(&["migrate", "--database", &format!("sqlite://{}", tmp.path("nope/db.sqlite"))]);
    assert_one_line_error(&o, "does not exist");
    let o = gastvrij(&["user", "token", "--data", &missing, "--username", "x"]);
    assert_one_line_error(&o, "no Gastvrij database");
    assert!(entries(&tmp.0).is_empty(), "nothing was created: {:?}", entries(&tmp.0));
}

#[test]
fn an_unreachable_postgres_is_one_clear_line() {
    let o = gastvrij(&["migrate", "--database", "postgres://postgres:geheim@127.0.0.1:1/gastvrij"]);
    assert_one_line_error(&o, "cannot reach PostgreSQL at postgres://postgres:***@127.0.0.1:1/gastvrij");
    assert!(!stderr(&o).contains("geheim"), "the password is never shown");
    let o = gastvrij(&["migrate", "--database", "mysql://localhost/x"]);
    assert_one_line_error(&o, "sqlite://PATH or postgres://");
}

#[test]
fn migrate_creates_then_reports_up_to_date_and_a_newer_schema_is_refused() {
    let tmp = TempDir::new();
    let data = tmp.path("data");
    let o = gastvrij(&["migrate", "--data", &data]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(String::from_utf8_lossy(&o.stdout).contains("applied migrations"));
    let o = gastvrij(&["migrate", "--data", &data]);
    assert!(String::from_utf8_lossy(&o.stdout).contains("up to date"));

    let db = format!("{data}/gastvrij.sqlite");
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{db}")).await.unwrap();
        sqlx::query("INSERT INTO gastvrij_schema (version, applied_at) VALUES (999, 0)").execute(&pool).await.unwrap();
        pool.close().await;
    });
    let before = std::fs::read(&db).unwrap();
    for args in [vec!["serve", "--data", &data], vec!["migrate", "--data", &data]] {
        let o = gastvrij(&args);
        assert_one_line_error(&o, "upgrade gastvrij");
    }
    assert_eq!(std::fs::read(&db).unwrap(), before, "nothing was written");
}

#[test]
fn users_get_argon2id_passwords_and_tokens() {
    let tmp = TempDir::new();
    let data = tmp.path("data");
    assert!(gastvrij(&["migrate", "--data", &data]).status.success());
    let add = |password: &str, username: &str| {
        let mut child = command()
            .args([
                "user",
                "add",
                "--data",
                &data,
                "--username",
                username,
                "--name",
                "Jan de Vries",
                "--role",
                "kcc,teamleider",
                "--password-stdin",
            ])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(format!("{password}\n").as_bytes()).unwrap();
        child.wait_with_output().unwrap()
    };
    let o = add("kort", "jan");
    assert_one_line_error(&o, "password");
    let o = add("een heel lang wachtwoord", "jan");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "added user jan (kcc,teamleider)");
    let o = add("een heel lang wachtwoord", "jan");
    assert_one_line_error(&o, "taken");
    let o = gastvrij(&[
        "user",
        "add",
        "--data",
        &data,
        "--username",
        "x",
        "--name",
        "X",
        "--role",
        "baas",
        "--password",
        "een heel lang wachtwoord",
    ]);
    assert_eq!(o.status.code(), Some(2), "an unknown role is a usage error: {}", stderr(&o));
    assert!(stderr(&o).contains("kcc, backoffice, teamleider, redacteur, beheerder"), "{}", stderr(&o));
    let o = gastvrij(&["user", "token", "--data", &data, "--username", "jan"]);
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).trim().starts_with("gv_"));
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn http_get(port: u16, path: &str) -> Option<String> {
    let mut s = TcpStream::connect(("127.0.0.1", port)).ok()?;
    s.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").ok()?;
    let mut out = String::new();
    s.read_to_string(&mut out).ok()?;
    Some(out)
}

#[test]
fn serve_answers_health_checks_logs_json_and_stops_cleanly_on_sigterm() {
    let tmp = TempDir::new();
    let data = tmp.path("data");
    assert!(gastvrij(&["migrate", "--data", &data]).status.success());
    let port = free_port();
    let listen = format!("127.0.0.1:{port}");
    let child = command()
        .args(["serve", "--data", &data, "--listen", &listen, "--log-format", "json"])
        .env("GASTVRIJ_LOG", "info")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    let health = loop {
        if let Some(r) = http_get(port, "/healthz") {
            break r;
        }
        assert!(Instant::now() < deadline, "server did not start");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(health.starts_with("HTTP/1.1 200") && health.ends_with("ok"), "{health}");
    let ready = http_get(port, "/readyz").unwrap();
    assert!(ready.starts_with("HTTP/1.1 200") && ready.ends_with("ready"), "{ready}");
    let landing = http_get(port, "/").unwrap();
    assert!(
        landing.contains("Ik wil iets melden") && landing.contains("href=\"/medewerkers\""),
        "the start page offers the citizens' choices and the way in for staff: {landing}"
    );

    let killed = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap();
    assert!(killed.success());
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "graceful shutdown exits 0: {}", stderr(&out));
    let log = stderr(&out);
    for line in log.lines().filter(|l| !l.trim().is_empty()) {
        let v: serde_json::Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("not JSON ({e}): {line}"));
        assert!(v["level"].is_string());
    }
    assert!(log.contains("stopped cleanly"), "{log}");
    assert!(log.contains("\"route\":\"/healthz\""), "requests are logged by route: {log}");
}
