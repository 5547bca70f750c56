//! `gastvrij privacy export|erase|retention`: the commands' contract and errors.

mod common;

use common::{TempDir, gastvrij, stderr, stdout, with_app};
use gastvrij_app::Principal;
use gastvrij_domain::customer::{ContactDetails, CustomerInput, CustomerKind};
use std::path::Path;

/// A customer in the database under `data`; returns the id.
fn customer(data: &Path) -> String {
    with_app(data, async |app| {
        let input = CustomerInput {
            kind: Some(CustomerKind::Persoon),
            name: Some("Jan de Vries".into()),
            segments: vec![],
            details: ContactDetails { email: Some("jan@example.nl".parse().unwrap()), ..Default::default() },
        };
        app.create_customer(&Principal::operator(), input).await.unwrap().id.to_string()
    })
}

#[test]
fn export_and_erase_one_customer_with_clear_errors() {
    let tmp = TempDir::new();
    let (data_dir, data) = tmp.migrated_data();
    let id = customer(&data_dir);

    let out = gastvrij(&["privacy", "export", "--data", &data, "--customer", &id]);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(json["customer"]["name"], "Jan de Vries");
    assert_eq!(json["customer"]["email"], "jan@example.nl");
    assert!(json["cases"].as_array().unwrap().is_empty());
    assert!(!stderr(&out).contains("Jan"), "no personal data in the logs: {}", stderr(&out));

    let file = tmp.0.join("jan.json");
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
    assert_eq!(
        stdout(&out),
        "due (nothing changed): cases=0 mail_bodies=0 unconfirmed_subscriptions=0 search_questions=0\n"
    );
    let out = gastvrij(&["privacy", "retention", "--data", &data, "--retain-mail-bodies-days", "0"]);
    assert_eq!(out.status.code(), Some(2), "a term of 0 days is refused by the flag");
    let out = gastvrij(&["privacy", "retention", "--data", &data]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "retention applied: cases=0 mail_bodies=0 unconfirmed_subscriptions=0 search_questions=0\n"
    );
}
