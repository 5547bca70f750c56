//! `gastvrij privacy export|erase|retention`: the commands' contract and errors.

mod common;

use common::gastvrij;
use gastvrij_app::{App, Principal, Settings, SystemClock};
use gastvrij_domain::customer::{ContactDetails, CustomerInput, CustomerKind};
use gastvrij_store::{Database, Location, OpenMode};
use std::path::Path;
use std::sync::Arc;

/// A customer in the database under `data`; returns the id.
fn customer(data: &Path) -> String {
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    rt.block_on(async {
        let db = Database::open(&Location::Sqlite(data.join("gastvrij.sqlite")), OpenMode::MustExist).await.unwrap();
        let app = App::new(db.into_store(), Arc::new(SystemClock), Settings::default());
        let input = CustomerInput {
            kind: Some(CustomerKind::Persoon),
            name: Some("Jan de Vries".into()),
            segments: vec![],
            details: ContactDetails { email: Some("jan@example.nl".parse().unwrap()), ..Default::default() },
        };
        app.create_customer(&Principal::operator(), input).await.unwrap().id.to_string()
    })
}

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn export_and_erase_one_customer_with_clear_errors() {
    let dir = std::env::temp_dir().join(format!("gastvrij_privacy_cli_{}", uuid::Uuid::now_v7().simple()));
    std::fs::create_dir(&dir).unwrap();
    let data_dir = dir.join("data");
    let data = data_dir.display().to_string();
    assert!(gastvrij(&["migrate", "--data", &data]).status.success());
    let id = customer(&data_dir);

    let out = gastvrij(&["privacy", "export", "--data", &data, "--customer", &id]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["customer"]["name"], "Jan de Vries");
    assert_eq!(json["customer"]["email"], "jan@example.nl");
    assert!(json["cases"].as_array().unwrap().is_empty());
    assert!(!stderr(&out).contains("Jan"), "no personal data in the logs: {}", stderr(&out));

    let file = dir.join("jan.json");
    let out =
        gastvrij(&["privacy", "export", "--data", &data, "--customer", &id, "--out", &file.display().to_string()]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "");
    let written: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written, json);

    let out = gastvrij(&["privacy", "export", "--data", &data, "--customer", "jan"]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out).lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).starts_with("error: --customer 'jan' is not a customer id"), "{}", stderr(&out));
    let unknown = uuid::Uuid::now_v7().to_string();
    let out = gastvrij(&["privacy", "export", "--data", &data, "--customer", &unknown]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stderr(&out), format!("error: no customer has id {unknown}\n"));

    // Erasing needs --yes, and says so.
    let out = gastvrij(&["privacy", "erase", "--data", &data, "--customer", &id]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("--yes"), "{}", stderr(&out));
    let still = gastvrij(&["privacy", "export", "--data", &data, "--customer", &id]);
    assert!(stdout(&still).contains("Jan de Vries"), "nothing was erased without --yes");

    let out = gastvrij(&["privacy", "erase", "--data", &data, "--customer", &id, "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with(&format!("erased customer {id}: customers=1 ")), "{}", stdout(&out));
    let out = gastvrij(&["privacy", "erase", "--data", &data, "--customer", &id, "--yes"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("customer {id} was already erased; nothing changed\n"));
    let out = gastvrij(&["privacy", "export", "--data", &data, "--customer", &id]);
    assert!(!stdout(&out).contains("Jan") && !stdout(&out).contains("jan@"), "{}", stdout(&out));
    let out = gastvrij(&["privacy", "erase", "--data", &data, "--customer", &unknown, "--yes"]);
    assert_eq!(out.status.code(), Some(1));

    let out = gastvrij(&["privacy", "retention", "--data", &data, "--dry-run"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "due (nothing changed): cases=0 mail_bodies=0 unconfirmed_subscriptions=0\n");
    let out = gastvrij(&["privacy", "retention", "--data", &data, "--retain-mail-bodies-days", "0"]);
    assert_eq!(out.status.code(), Some(2), "a term of 0 days is refused by the flag");
    let out = gastvrij(&["privacy", "retention", "--data", &data]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "retention applied: cases=0 mail_bodies=0 unconfirmed_subscriptions=0\n");
    let _ = std::fs::remove_dir_all(&dir);
}
