//! `gastvrij user token`, `user tokens` and `user revoke-token`: issue, list and revoke API tokens;
//! and `user add --allow-oidc-link` and `user allow-oidc-link`: who an OIDC sign-in may bind.

mod common;

use common::{TempDir, assert_one_line_error, gastvrij, stderr, stdout, with_app};
use gastvrij_app::Principal;
use gastvrij_domain::team::{EmployeeInput, Role};
use std::process::Output;

/// The data rows of `user tokens` (after the header), split at tabs.
fn rows(o: &Output) -> Vec<Vec<String>> {
    let out = stdout(o);
    let mut lines = out.lines();
    assert_eq!(lines.next(), Some("id\tlabel\tcreated_at\texpires_at\tlast_used_at\tstate"));
    lines.map(|l| l.split('\t').map(str::to_string).collect()).collect()
}

#[test]
fn tokens_are_issued_listed_and_revoked_and_mistakes_are_one_clear_line() {
    let tmp = TempDir::new();
    let (data_dir, data) = tmp.migrated_data();
    with_app(&data_dir, async |app| {
        let input = EmployeeInput {
            name: "Jan de Vries".into(),
            roles: vec![Role::Kcc],
            username: Some("jan".into()),
            active: true,
            ..Default::default()
        };
        app.create_employee(&Principal::operator(), input).await.unwrap();
    });

    let o = gastvrij(&["user", "token", "--data", &data, "--username", "jan", "--label", "telefonie"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let secret = stdout(&o).trim().to_string();
    assert!(secret.starts_with("gv_") && !secret.contains('\n'), "stdout is the token alone: {secret}");
    assert!(stderr(&o).contains("valid until"), "{}", stderr(&o));
    for days in ["0", "367", "-5"] {
        let o = gastvrij(&["user", "token", "--data", &data, "--username", "jan", "--days", days]);
        assert_one_line_error(&o, "--days must be between 1 and 366");
    }
    let o = gastvrij(&["user", "token", "--data", &data, "--username", "jan", "--label", "kort", "--days", "1"]);
    assert!(o.status.success(), "{}", stderr(&o));

    let o = gastvrij(&["user", "tokens", "--data", &data, "--username", "jan"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let listed = rows(&o);
    assert_eq!(listed.len(), 2, "{}", stdout(&o));
    let (telefonie, kort) = (&listed[0], &listed[1]);
    assert_eq!((telefonie[1].as_str(), telefonie[4].as_str(), telefonie[5].as_str()), ("telefonie", "never", "active"));
    assert_eq!(kort[1], "kort");
    let created: jiff::Timestamp = telefonie[2].parse().unwrap();
    let expires: jiff::Timestamp = telefonie[3].parse().unwrap();
    assert_eq!((expires - created).as_hours(), 90 * 24, "90 days by default");
    let kort_created: jiff::Timestamp = kort[2].parse().unwrap();
    assert_eq!((kort[3].parse::<jiff::Timestamp>().unwrap() - kort_created).as_hours(), 24, "--days 1");
    assert!(!stdout(&o).contains(&secret[3..]), "the listing never shows a token");

    // A use of the token shows as its last use.
    with_app(&data_dir, async |app| app.principal_for_token(&secret).await.unwrap());
    let o = gastvrij(&["user", "tokens", "--data", &data, "--username", "jan", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(json.as_array().unwrap().len(), 2);
    assert_eq!(json[0]["id"], telefonie[0].as_str());
    assert_eq!((json[0]["label"].as_str(), json[0]["state"].as_str()), (Some("telefonie"), Some("active")));
    assert!(json[0]["last_used_at"].is_string(), "{json}");
    assert!(json[1]["last_used_at"].is_null() && json[0]["revoked_at"].is_null(), "{json}");

    let o = gastvrij(&["user", "revoke-token", &telefonie[0], "--data", &data]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), format!("revoked API token {} (telefonie)", telefonie[0]));
    let o = gastvrij(&["user", "revoke-token", &telefonie[0], "--data", &data]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("was revoked already"), "{}", stdout(&o));
    let o = gastvrij(&["user", "tokens", "--data", &data, "--username", "jan"]);
    let states: Vec<String> = rows(&o).into_iter().map(|r| r[5].clone()).collect();
    assert_eq!(states, vec!["revoked", "active"]);
    assert!(with_app(&data_dir, async |app| app.principal_for_token(&secret).await.is_err()), "refused once revoked");

    let unknown = uuid::Uuid::now_v7().to_string();
    let o = gastvrij(&["user", "revoke-token", &unknown, "--data", &data]);
    assert_one_line_error(&o, &format!("no API token has the id {unknown}"));
    let o = gastvrij(&["user", "revoke-token", "not-an-id", "--data", &data]);
    assert_one_line_error(&o, "'not-an-id' is not a token id");
    let o = gastvrij(&["user", "tokens", "--data", &data, "--username", "niemand"]);
    assert_one_line_error(&o, "no user is called 'niemand'");
}

#[test]
fn the_operator_allows_and_withdraws_binding_an_account_at_its_first_oidc_sign_in() {
    let tmp = TempDir(std::env::temp_dir().join(format!("gastvrij_oidc_cli_{}", uuid::Uuid::now_v7().simple())));
    std::fs::create_dir(&tmp.0).unwrap();
    let data_dir = tmp.0.join("data");
    let data = data_dir.display().to_string();
    assert!(gastvrij(&["migrate", "--data", &data]).status.success());
    let add = ["user", "add", "--data", &data, "--name", "Anna", "--role", "kcc", "--password", "een lang wachtwoord"];
    let o = gastvrij(&[&add[..], &["--username", "anna", "--allow-oidc-link"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("the first OIDC sign-in binds it"), "{}", stdout(&o));
    let o = gastvrij(&[&add[..], &["--username", "bert"]].concat());
    assert!(o.status.success() && !stdout(&o).contains("OIDC"), "{}", stdout(&o));
    let allowed = |username: &str| {
        with_app(&data_dir, async |app| {
            let who = Principal::operator();
            let all = app.employees(&who).await.unwrap();
            let id = all.iter().find(|e| e.username.as_deref() == Some(username)).unwrap().id;
            app.external_link(&who, id).await.unwrap().link_allowed
        })
    };
    assert!(allowed("anna") && !allowed("bert"));

    let o = gastvrij(&["user", "allow-oidc-link", "--data", &data, "--username", "Bert"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("bert: the next OIDC sign-in"), "{}", stdout(&o));
    let o = gastvrij(&["user", "allow-oidc-link", "--data", &data, "--username", "anna", "--withdraw"]);
    assert_eq!(stdout(&o).trim(), "anna: no longer open for binding; not bound");
    assert!(!allowed("anna") && allowed("bert"));
    let o = gastvrij(&["user", "allow-oidc-link", "--data", &data, "--username", "niemand"]);
    assert_one_line_error(&o, "no user is called 'niemand'");
}
