//! Stories of the mail outbox: queued, claimed once, sent, retried and failed.

use crate::harness::{TestDb, app, operator};
use crate::stories::team;
use gastvrij_app::ports::{AuditQuery, Batch};
use gastvrij_app::{AppError, Page, Principal};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::team::Role;

crate::stories!(
    mail:
    mail_is_queued_claimed_sent_and_counted,
    failed_mail_backs_off_and_is_failed_after_the_last_attempt,
    a_claimed_mail_is_not_handed_out_twice,
);

fn mail_to(to: &str, subject: &str) -> gastvrij_domain::mail::MailInput {
    gastvrij_domain::mail::MailInput {
        kind: gastvrij_domain::mail::MailKind::Ontvangstbevestiging,
        to: to.into(),
        subject: subject.into(),
        body: "Beste inwoner,\n\nWe hebben uw melding ontvangen.".into(),
        reply_to: Some("kcc@lagewaard.nl".into()),
    }
}

/// A transport that refuses every mail, temporarily or for good.
struct RefusingTransport {
    permanent: bool,
}

#[async_trait::async_trait]
impl gastvrij_app::ports::MailTransport for RefusingTransport {
    fn name(&self) -> &'static str {
        "refusing"
    }

    async fn deliver(
        &self,
        _: &gastvrij_domain::mail::OutgoingMail,
        _: gastvrij_app::ports::Attempt,
    ) -> Result<(), gastvrij_app::ports::DeliveryError> {
        Err(gastvrij_app::ports::DeliveryError {
            category: if self.permanent { "refused" } else { "connection" },
            permanent: self.permanent,
            reason: "server said no to <jan@example.nl>".into(),
        })
    }
}

pub async fn mail_is_queued_claimed_sent_and_counted(db: &TestDb) {
    use gastvrij_app::ports::MailQuery;
    use gastvrij_domain::mail::{MailCounts, MailStatus, OutgoingMail};
    let (app, clock) = app(db);
    let who = operator();
    let store = app.store().clone();
    let queued = app.queue_mail(&who, mail_to("Jan@Example.NL", "Uw melding is ontvangen – dank u")).await.unwrap();
    let later = {
        clock.advance_secs(1);
        app.queue_mail(&who, mail_to("els@example.nl", "Tweede")).await.unwrap()
    };
    assert_eq!(store.mail_counts().await.unwrap(), MailCounts { pending: 2, sent: 0, failed: 0 });
    let audit = store.audit_log(&AuditQuery { entity_id: Some(queued.id.to_string()), ..Default::default() }).await;
    assert_eq!(audit.unwrap().iter().map(|a| a.action.as_str()).collect::<Vec<_>>(), vec!["mail.queued"]);

    // Claimed whole, oldest first; the lease keeps them from being claimed again.
    let now = app.now();
    let lease = now + jiff::SignedDuration::from_mins(15);
    let claimed = store.due_mail(now, lease, 10).await.unwrap();
    assert_eq!(claimed.iter().map(|c| c.mail.clone()).collect::<Vec<_>>(), vec![queued.clone(), later.clone()]);
    assert_eq!(claimed[0].attempts, 0);
    assert_eq!(claimed[0].mail.to.as_str(), "Jan@example.nl");
    assert_eq!(claimed[0].mail.reply_to.as_ref().map(|r| r.as_str()), Some("kcc@lagewaard.nl"));
    assert!(store.due_mail(now, lease, 10).await.unwrap().is_empty(), "claimed mail is not due");

    store.mail_sent(queued.id, now).await.unwrap();
    assert!(matches!(store.mail_sent(queued.id, now).await, Err(gastvrij_app::StoreError::Conflict(_))));
    assert!(matches!(
        store.mail_sent(gastvrij_domain::ids::MailId::new(), now).await,
        Err(gastvrij_app::StoreError::NotFound(_))
    ));
    assert_eq!(store.mail_counts().await.unwrap(), MailCounts { pending: 1, sent: 1, failed: 0 });
    let sent = store.mail_list(&MailQuery { status: Some(MailStatus::Sent), page: Page::default() }).await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].id, sent[0].attempts, sent[0].sent_at, sent[0].next_attempt_at),
        (queued.id, 1, Some(now), None)
    );
    assert_eq!(sent[0].subject, "Uw melding is ontvangen – dank u");
    // One mail by id, as the delivery worker asks about its unconfirmed files.
    assert_eq!(store.mail_record(queued.id).await.unwrap().as_ref(), Some(&sent[0]));
    let leased = store.mail_record(later.id).await.unwrap().expect("the claimed mail is there");
    assert_eq!((leased.status, leased.next_attempt_at, leased.sent_at), (MailStatus::Pending, Some(lease), None));
    assert_eq!(store.mail_record(gastvrij_domain::ids::MailId::new()).await.unwrap(), None);

    // A claimed mail whose worker died is due again once the lease has passed.
    clock.advance_secs(16 * 60);
    let again = store.due_mail(app.now(), app.now() + jiff::SignedDuration::from_mins(15), 10).await.unwrap();
    assert_eq!(again.iter().map(|c| c.mail.id).collect::<Vec<_>>(), vec![later.id]);
    let all = store.mail_list(&MailQuery::default()).await.unwrap();
    assert_eq!(all.iter().map(|m| m.id).collect::<Vec<_>>(), vec![later.id, queued.id], "newest first");

    // Mail queued in a batch exists with its records, or not at all.
    let t = gastvrij_domain::team::Team::create(team("Meldingen")).unwrap();
    let confirmation = OutgoingMail::create(mail_to("piet@example.nl", "Ontvangen"), app.now()).unwrap();
    let batch = Batch { teams: vec![t.clone(), t.clone()], mails: vec![confirmation.clone()], ..Default::default() };
    let change = Change::new(Actor::System, app.now(), "demo.seeded", "batch", "");
    assert!(store.insert_batch(&batch, &change).await.is_err(), "the same team twice");
    assert_eq!(store.mail_counts().await.unwrap().pending, 1, "no mail without its records");
    store.insert_batch(&Batch { teams: vec![t], ..batch }, &change).await.unwrap();
    assert_eq!(store.mail_counts().await.unwrap().pending, 2);
}

pub async fn failed_mail_backs_off_and_is_failed_after_the_last_attempt(db: &TestDb) {
    use gastvrij_domain::mail::{MAX_ATTEMPTS, MailStatus, retry_delay};
    let (app, clock) = app(db);
    let who = operator();
    let mail = app.queue_mail(&who, mail_to("jan@example.nl", "Status gewijzigd")).await.unwrap();
    let down = RefusingTransport { permanent: false };
    let failed_list =
        || async { app.mail_overview(&who, Some(MailStatus::Failed), Page::default()).await.unwrap().mails };
    for attempt in 1..=MAX_ATTEMPTS {
        let report = app.deliver_due_mail(&down, 5).await.unwrap();
        let line = app.mail_overview(&who, None, Page::default()).await.unwrap().mails.remove(0);
        assert_eq!(line.attempts, attempt);
        assert_eq!(line.recipient, "j***@example.nl");
        assert_eq!(line.last_error.as_deref(), Some("connection: server said no to <j***@example.nl>"));
        match retry_delay(attempt) {
            Some(wait) => {
                assert_eq!((report.retrying, report.failed), (1, 0), "attempt {attempt}");
                assert_eq!(line.status, MailStatus::Pending);
                assert_eq!(line.next_attempt_at, Some(app.now() + wait));
                assert_eq!(app.deliver_due_mail(&down, 5).await.unwrap().retrying, 0, "not due before its time");
                clock.advance_secs(wait.as_secs());
            }
            None => {
                assert_eq!((report.retrying, report.failed), (0, 1));
                assert_eq!(line.status, MailStatus::Failed);
                assert_eq!(line.next_attempt_at, None);
            }
        }
    }
    assert_eq!(failed_list().await.iter().map(|m| m.id).collect::<Vec<_>>(), vec![mail.id]);
    clock.advance_secs(86_400);
    assert_eq!(app.deliver_due_mail(&down, 5).await.unwrap(), Default::default(), "failed mail is left alone");

    // Staff retry it once more; a permanent refusal gives up at once.
    app.retry_mail(&who, mail.id).await.unwrap();
    assert!(matches!(app.retry_mail(&who, mail.id).await, Err(AppError::Conflict(_))), "it is pending now");
    let refused = app.deliver_due_mail(&RefusingTransport { permanent: true }, 5).await.unwrap();
    assert_eq!((refused.retrying, refused.failed), (0, 1));
    let line = failed_list().await.remove(0);
    assert_eq!((line.attempts, line.status), (MAX_ATTEMPTS + 1, MailStatus::Failed));
    let fresh = app.queue_mail(&who, mail_to("els@example.nl", "Nieuw")).await.unwrap();
    app.deliver_due_mail(&RefusingTransport { permanent: true }, 5).await.unwrap();
    assert_eq!(
        failed_list().await.iter().map(|m| (m.id, m.attempts)).collect::<Vec<_>>(),
        vec![(fresh.id, 1), (mail.id, MAX_ATTEMPTS + 1)]
    );
    let agent = Principal::employee(gastvrij_domain::ids::EmployeeId::new(), vec![Role::Kcc]);
    assert!(matches!(app.retry_mail(&agent, mail.id).await, Err(AppError::Forbidden(_))));
    assert!(matches!(app.mail_overview(&agent, None, Page::default()).await, Err(AppError::Forbidden(_))));
}

pub async fn a_claimed_mail_is_not_handed_out_twice(db: &TestDb) {
    const MAILS: usize = 60;
    const WORKERS: usize = 6;
    let (app, _) = app(db);
    let who = operator();
    for i in 0..MAILS {
        app.queue_mail(&who, mail_to(&format!("inwoner{i}@example.nl"), &format!("Mail {i}"))).await.unwrap();
    }
    let now = app.now();
    let lease = now + jiff::SignedDuration::from_mins(15);
    let mut workers = vec![];
    for _ in 0..WORKERS {
        let store = app.store().clone();
        workers.push(tokio::spawn(async move {
            let mut mine = vec![];
            loop {
                let batch = store.due_mail(now, lease, 4).await.expect("claim");
                if batch.is_empty() {
                    return mine;
                }
                mine.extend(batch.into_iter().map(|c| c.mail.id));
            }
        }));
    }
    let mut all = vec![];
    for w in workers {
        all.extend(w.await.expect("worker"));
    }
    let distinct: std::collections::BTreeSet<_> = all.iter().collect();
    assert_eq!(all.len(), MAILS, "every mail handed out once: {} claims, {} distinct", all.len(), distinct.len());
    assert_eq!(distinct.len(), MAILS);
}
