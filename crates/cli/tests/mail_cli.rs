//! `gastvrij mail send-due` and `gastvrij mail list`: deliver once, list without addresses.

mod common;

use common::{TempDir, gastvrij, stderr, stdout, with_app};
use gastvrij_app::Principal;
use gastvrij_domain::mail::{MailInput, MailKind};
use std::path::Path;

/// Queue mail in the database under `data`, as a use case of the server would.
fn queue(data: &Path, mails: &[(&str, &str)]) {
    with_app(data, async |app| {
        for (to, subject) in mails {
            let input = MailInput {
                kind: MailKind::Statuswijziging,
                to: to.to_string(),
                subject: subject.to_string(),
                body: "Uw zaak is in behandeling genomen.".into(),
                reply_to: None,
            };
            app.queue_mail(&Principal::operator(), input).await.unwrap();
        }
    });
}

#[test]
fn send_due_delivers_once_and_list_shows_no_addresses() {
    let tmp = TempDir::new();
    let (data_dir, data) = tmp.migrated_data();
    queue(&data_dir, &[("jan.jansen@example.nl", "Uw zaak – in behandeling"), ("els@voorbeeld.nl", "Uw zaak")]);

    // Without a mail server: .eml files in DATA/mail.
    let out = gastvrij(&["mail", "send-due", "--data", &data]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "sent 2, failed 0 (to retry later 0, given up 0); outbox now: 0 pending, 2 sent, 0 failed\n"
    );
    let files: Vec<_> = std::fs::read_dir(data_dir.join("mail")).unwrap().collect();
    assert_eq!(files.len(), 2);
    let again = gastvrij(&["mail", "send-due", "--data", &data]);
    assert!(stdout(&again).starts_with("sent 0, failed 0"), "nothing is sent twice: {}", stdout(&again));

    // A mail server that does not answer: the attempt fails and the mail waits.
    queue(&data_dir, &[("piet@example.nl", "Bericht")]);
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port().to_string();
    let smtp = ["--smtp-host", "127.0.0.1", "--smtp-port", &closed, "--smtp-tls", "none"];
    let out = gastvrij(&[&["mail", "send-due", "--data", &data][..], &smtp].concat());
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(
        stdout(&out),
        "sent 0, failed 1 (to retry later 1, given up 0); outbox now: 1 pending, 2 sent, 0 failed\n"
    );
    assert!(!stderr(&out).contains("piet"), "logs never name the recipient: {}", stderr(&out));

    let list = gastvrij(&["mail", "list", "--data", &data]);
    assert!(list.status.success(), "{}", stderr(&list));
    let text = stdout(&list);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "id\tkind\tstatus\tattempts\tdomain\tcreated_at\tnext_attempt_at\tlast_error");
    assert_eq!(lines.len(), 4, "{text}");
    let pending: Vec<&str> = lines[1].split('\t').collect();
    assert_eq!(&pending[1..5], ["statuswijziging", "pending", "1", "example.nl"]);
    assert!(pending[7].starts_with("connection: "), "{text}");
    assert!(lines[2].contains("\tsent\t1\tvoorbeeld.nl\t") && lines[2].ends_with("\t-\t-"), "{text}");
    for secret in ["jan.jansen", "piet@", "els@", "in behandeling genomen", "Uw zaak"] {
        assert!(!text.contains(secret), "'{secret}' must not be listed:\n{text}");
    }
    let failed = gastvrij(&["mail", "list", "--status", "failed", "--data", &data]);
    assert_eq!(stdout(&failed).lines().count(), 1, "only the header");

    // A test mail for checking the settings; an address no mail server takes fails at once.
    let out = gastvrij(&["mail", "test", "--to", "jan..jansen@example.nl", "--data", &data]);
    assert!(out.status.success() && stdout(&out).starts_with("queued test mail "), "{}", stderr(&out));
    let out = gastvrij(&["mail", "test", "--to", "geen-adres", "--data", &data]);
    assert!(
        !out.status.success()
            && stderr(&out).contains("--to 'geen-adres' is not an e-mail address; write it as name@example.nl"),
        "{}",
        stderr(&out)
    );
    let out = gastvrij(&[&["mail", "send-due", "--data", &data][..], &smtp].concat());
    assert!(stdout(&out).starts_with("sent 0, failed 1 (to retry later 0, given up 1)"), "{}", stdout(&out));
    let failed = stdout(&gastvrij(&["mail", "list", "--status", "failed", "--data", &data]));
    assert!(failed.contains("\tbericht\tfailed\t1\texample.nl\t") && failed.contains("\taddress: "), "{failed}");

    // Bad settings are refused before anything is sent.
    let out = gastvrij(&["mail", "send-due", "--data", &data, "--mail-from", "Waterschap"]);
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--mail-from (GASTVRIJ_MAIL_FROM): 'Waterschap' is not a sender address"));
    let out = gastvrij(&["mail", "send-due", "--data", &data, "--smtp-host", "mail.example", "--smtp-username", "u"]);
    assert!(stderr(&out).contains("--smtp-username is set without --smtp-password"), "{}", stderr(&out));
    let out = gastvrij(&["mail", "send-due", "--data", &tmp.path("typo")]);
    assert!(!out.status.success() && stderr(&out).contains("check --data"), "{}", stderr(&out));
}
