//! Stories of the activity calendar (werkzaamheden) and its subscriptions, on every backend.

use crate::harness::{TestDb, app, operator};
use gastvrij_app::ports::{AuditQuery, NewSubscription, PlannedWorkQuery, SubscriberNews};
use gastvrij_app::{AppError, Page};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::ContactInput;
use gastvrij_domain::ids::PlannedWorkId;
use gastvrij_domain::mail::{MailInput, MailKind, OutgoingMail};
use gastvrij_domain::planned_works::{Area, PlannedWorkInput, Subscription, SubscriptionForm, SubscriptionState};
use gastvrij_domain::values::{Email, Postcode};

crate::stories!(
    planned_works:
    planned_works_are_listed_current_first_and_found_by_postcode_or_place,
    contacts_are_linked_to_works_and_counted_per_work,
    subscriptions_are_confirmed_ended_and_never_duplicated,
    news_reaches_confirmed_subscribers_in_the_area_once_each,
    a_subscription_and_its_confirmation_mail_are_written_together,
);

fn work(title: &str, area: &str, starts: &str, ends: &str) -> PlannedWorkInput {
    PlannedWorkInput {
        title: title.into(),
        what: format!("{title}: wat we doen."),
        why: "Zodat het water weer goed wegloopt.".into(),
        area: area.into(),
        starts_on: starts.into(),
        ends_on: ends.into(),
        contact: "Omgevingsmanager, 088 000 0000".into(),
    }
}

pub async fn planned_works_are_listed_current_first_and_found_by_postcode_or_place(db: &TestDb) {
    // The test clock says 2026-03-02.
    let (app, _) = app(db);
    let who = operator();
    let past = app.create_planned_work(&who, work("Maaien", "2600-2649", "2025-06-01", "2025-09-30")).await.unwrap();
    let later = app
        .create_planned_work(&who, work("Baggeren Vliet", "2650-2689, Den Hoorn", "2026-04-01", "2026-06-30"))
        .await
        .unwrap();
    let now = app
        .create_planned_work(&who, work("Dijkversterking Lekdijk", "2611-2619; 2625", "2026-02-01", "2026-03-02"))
        .await
        .unwrap();

    let listed = app.planned_works(&who, false, Page::first(50)).await.unwrap();
    assert_eq!(listed.iter().map(|w| w.id).collect::<Vec<_>>(), vec![now.id, later.id], "current first, no past");
    assert_eq!(listed[0], now, "stored and read back unchanged");
    let all = app.planned_works(&who, true, Page::first(50)).await.unwrap();
    assert_eq!(all.iter().map(|w| w.id).collect::<Vec<_>>(), vec![now.id, later.id, past.id]);
    let second = app.planned_works(&who, true, Page { limit: 1, offset: 1 }).await.unwrap();
    assert_eq!(second.iter().map(|w| w.id).collect::<Vec<_>>(), vec![later.id], "paged");

    let today = app.today().await.unwrap();
    let ids = |works: Vec<gastvrij_domain::planned_works::PlannedWork>| works.iter().map(|w| w.id).collect::<Vec<_>>();
    let covering = |d: Option<u16>, p: Option<&'static str>| {
        let store = db.store.clone();
        async move { store.planned_works_covering(d, p, today).await.unwrap() }
    };
    assert_eq!(ids(covering(Some(2611), None).await), vec![now.id], "lower bound");
    assert_eq!(ids(covering(Some(2619), None).await), vec![now.id], "upper bound");
    assert_eq!(ids(covering(Some(2625), None).await), vec![now.id], "a single postcode");
    assert!(covering(Some(2620), None).await.is_empty());
    assert!(covering(Some(2630), None).await.is_empty(), "the past work's area is not searched");
    assert_eq!(ids(covering(None, Some("den  hoorn")).await), vec![later.id], "places case-insensitively");
    assert_eq!(ids(covering(Some(2611), Some("DEN HOORN")).await), vec![now.id, later.id]);
    assert!(covering(None, Some("Delft")).await.is_empty());

    let mut changed = work("Baggeren Vliet", "2700-2710", "2026-04-01", "2026-07-31");
    changed.why = "De Vliet is te ondiep.".into();
    let updated = app.update_planned_work(&who, later.id, changed).await.unwrap();
    assert_eq!(updated.areas, vec![Area::Postcodes { from: 2700, to: 2710 }]);
    assert!(covering(None, Some("Den Hoorn")).await.is_empty(), "the old areas are replaced");
    assert_eq!(ids(covering(Some(2705), None).await), vec![later.id]);
    let read = app.planned_work(&who, later.id).await.unwrap();
    assert_eq!((read.why.as_str(), read.ends_on.to_string()), ("De Vliet is te ondiep.", "2026-07-31".to_string()));
    assert_eq!(read.created_at, later.created_at);

    let missing = app.update_planned_work(&who, PlannedWorkId::new(), work("X", "2611", "2026-01-01", "2026-01-02"));
    assert!(matches!(missing.await, Err(AppError::NotFound(_))));
    let bad = app.create_planned_work(&who, work("X", "2611-26x9", "2026-01-01", "2026-01-02")).await;
    assert!(matches!(bad, Err(AppError::Invalid(ref i)) if i.field == "area"), "{bad:?}");
    let log =
        db.store.audit_log(&AuditQuery { entity_id: Some(later.id.to_string()), ..Default::default() }).await.unwrap();
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        vec!["planned_work.created", "planned_work.updated"]
    );

    let query = PlannedWorkQuery { today, include_past: false, page: Page::first(10) };
    assert_eq!(db.store.planned_works(&query).await.unwrap().len(), 2);
}

pub async fn contacts_are_linked_to_works_and_counted_per_work(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    let dike = app.create_planned_work(&who, work("Dijk", "2611-2619", "2026-02-01", "2026-05-01")).await.unwrap();
    let dredge = app.create_planned_work(&who, work("Baggeren", "2650", "2026-02-01", "2026-05-01")).await.unwrap();
    let a = app.create_contact(&who, ContactInput::on(Channel::Telefoon)).await.unwrap();
    let b = app.create_contact(&who, ContactInput::on(Channel::Telefoon)).await.unwrap();
    app.link_contact_to_work(&who, a.id, dike.id).await.unwrap();
    app.link_contact_to_work(&who, a.id, dike.id).await.unwrap();
    app.link_contact_to_work(&who, a.id, dredge.id).await.unwrap();
    app.link_contact_to_work(&who, b.id, dike.id).await.unwrap();
    let calendar = app.planned_work_calendar(&who, false).await.unwrap();
    let count = |id| calendar.iter().find(|e| e.work.id == id).map(|e| e.contacts);
    assert_eq!((count(dike.id), count(dredge.id)), (Some(2), Some(1)), "linking twice counts once");
    let mut linked: Vec<_> = app.contact_planned_works(&who, a.id).await.unwrap().iter().map(|w| w.id).collect();
    linked.sort();
    let mut want = vec![dike.id, dredge.id];
    want.sort();
    assert_eq!(linked, want);

    app.unlink_contact_from_work(&who, a.id, dike.id).await.unwrap();
    assert_eq!(db.store.planned_work_contact_counts().await.unwrap(), {
        let mut v = vec![(dike.id, 1), (dredge.id, 1)];
        v.sort_by_key(|(id, _)| id.to_string());
        v
    });
    let missing = app.link_contact_to_work(&who, a.id, PlannedWorkId::new()).await;
    assert!(matches!(missing, Err(AppError::NotFound("planned work"))), "{missing:?}");
    let log =
        db.store.audit_log(&AuditQuery { entity_id: Some(a.id.to_string()), ..Default::default() }).await.unwrap();
    let links = log.iter().filter(|e| e.action == "contact.planned_work_linked").count();
    assert_eq!(links, 2, "a link that changes nothing leaves no audit entry");
}

pub(crate) fn public(at: jiff::Timestamp, action: &'static str) -> Change {
    Change::new(Actor::Public, at, action, "", "")
}

fn public_on(at: jiff::Timestamp, action: &'static str, id: gastvrij_domain::ids::SubscriptionId) -> Change {
    Change::new(Actor::Public, at, action, id, "")
}

fn mail(to: &str, kind: MailKind, at: jiff::Timestamp) -> OutgoingMail {
    let input =
        MailInput { kind, to: to.into(), subject: "Werkzaamheden".into(), body: "Tekst.".into(), reply_to: None };
    OutgoingMail::create(input, at).unwrap()
}

pub(crate) fn new_subscription(email: &str, postcode: &str, n: u8, at: jiff::Timestamp) -> NewSubscription {
    NewSubscription {
        subscription: Subscription::pending(Email::parse(email).unwrap(), Postcode::parse(postcode).unwrap(), at),
        confirm_hash: format!("confirm-{n}"),
        unsubscribe_hash: format!("unsubscribe-{n}"),
        mail: mail(email, MailKind::Aanmelding, at),
        quiet_since: at,
        max_recent_mails: 1_000,
    }
}

pub async fn subscriptions_are_confirmed_ended_and_never_duplicated(db: &TestDb) {
    let (app, clock) = app(db);
    let store = &db.store;
    let t0 = app.now();
    let first =
        store.save_subscription(&new_subscription("Jan@Example.nl", "2611AB", 1, t0), &public(t0, "s")).await.unwrap();
    assert_eq!(first.state(), SubscriptionState::Pending);
    assert_eq!(first.email.as_str(), "Jan@example.nl");

    clock.advance_secs(60);
    let again = store
        .save_subscription(&new_subscription("jan@EXAMPLE.nl", "2611 AB", 2, app.now()), &public(app.now(), "s"))
        .await
        .unwrap();
    assert_eq!((again.id, again.created_at, again.state()), (first.id, t0, SubscriptionState::Pending), "no duplicate");
    assert_eq!(store.mail_counts().await.unwrap().pending, 2, "each request queued its confirmation mail");
    assert!(store.subscription_by_confirm_hash("confirm-1").await.unwrap().is_none(), "the old link is replaced");
    let found = store.subscription_by_confirm_hash("confirm-2").await.unwrap().unwrap();
    assert_eq!(found.id, first.id);
    let other = store
        .save_subscription(&new_subscription("jan@example.nl", "2612 AB", 3, app.now()), &public(app.now(), "s"))
        .await
        .unwrap();
    assert_ne!(other.id, first.id, "another postcode is another subscription");

    let confirmed_at = app.now();
    store.confirm_subscription(first.id, confirmed_at, &public_on(confirmed_at, "c", first.id)).await.unwrap();
    clock.advance_secs(60);
    store.confirm_subscription(first.id, app.now(), &public_on(app.now(), "c", first.id)).await.unwrap();
    let s = store.subscription_by_unsubscribe_hash("unsubscribe-2").await.unwrap().unwrap();
    assert_eq!(
        (s.state(), s.confirmed_at),
        (SubscriptionState::Confirmed, Some(confirmed_at)),
        "the first moment stays"
    );

    // Subscribing again while confirmed keeps the confirmation.
    let renewed = store
        .save_subscription(&new_subscription("jan@example.nl", "2611AB", 4, app.now()), &public(app.now(), "s"))
        .await
        .unwrap();
    assert_eq!((renewed.id, renewed.state()), (first.id, SubscriptionState::Confirmed));

    let ended_at = app.now();
    store.end_subscription(first.id, ended_at, &public_on(ended_at, "e", first.id)).await.unwrap();
    let s = store.subscription_by_unsubscribe_hash("unsubscribe-4").await.unwrap().unwrap();
    assert_eq!(s.state(), SubscriptionState::Unsubscribed);
    let late = store.confirm_subscription(first.id, app.now(), &public(app.now(), "c")).await;
    assert!(late.is_err(), "an ended subscription is not confirmed by an old link");
    assert!(store.confirmed_subscribers(&[(2611, 2611)]).await.unwrap().is_empty());

    // Subscribing after leaving starts over: pending until confirmed again.
    let back = store
        .save_subscription(&new_subscription("jan@example.nl", "2611AB", 5, app.now()), &public(app.now(), "s"))
        .await
        .unwrap();
    assert_eq!((back.id, back.state()), (first.id, SubscriptionState::Pending));
    assert_eq!(back.confirmed_at, None);

    let log =
        store.audit_log(&AuditQuery { entity_id: Some(first.id.to_string()), ..Default::default() }).await.unwrap();
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        vec!["s", "s", "c", "c", "s", "e", "s"],
        "every step is audited under the subscription's id: {log:?}"
    );
    assert!(log.iter().all(|e| !e.summary.contains('@')), "no addresses in the audit log");
}

pub async fn news_reaches_confirmed_subscribers_in_the_area_once_each(db: &TestDb) {
    let (app, _) = app(db);
    let store = &db.store;
    let now = app.now();
    let mut ids = vec![];
    for (n, (email, postcode)) in [
        ("a@x.nl", "2611 AB"),
        ("b@x.nl", "2619 ZZ"),
        ("c@x.nl", "2620 AA"),
        ("d@x.nl", "2650 AA"),
        ("e@x.nl", "2612 AB"),
    ]
    .into_iter()
    .enumerate()
    {
        let s =
            store.save_subscription(&new_subscription(email, postcode, n as u8, now), &public(now, "s")).await.unwrap();
        if email != "e@x.nl" {
            store.confirm_subscription(s.id, now, &public(now, "c")).await.unwrap();
        }
        ids.push(s.id);
    }
    let found = store.confirmed_subscribers(&[(2611, 2619), (2650, 2650), (2611, 2611)]).await.unwrap();
    let mut emails: Vec<&str> = found.iter().map(|s| s.email.as_str()).collect();
    emails.sort();
    assert_eq!(emails, vec!["a@x.nl", "b@x.nl", "d@x.nl"], "in range, confirmed, once each");
    assert!(store.confirmed_subscribers(&[]).await.unwrap().is_empty());

    store.end_subscription(ids[1], now, &public(now, "e")).await.unwrap();
    let before = store.mail_counts().await.unwrap().pending;
    let news = vec![
        SubscriberNews { subscription_id: ids[0], mail: mail("a@x.nl", MailKind::Bericht, now) },
        SubscriberNews { subscription_id: ids[1], mail: mail("b@x.nl", MailKind::Bericht, now) },
        SubscriberNews { subscription_id: ids[4], mail: mail("e@x.nl", MailKind::Bericht, now) },
    ];
    let change = Change::new(Actor::Operator, now, "subscribers.notified", "x", "");
    let queued = store.queue_subscriber_news(&news, &change).await.unwrap();
    assert_eq!(queued, 1, "who left, or never confirmed, gets nothing");
    assert_eq!(store.mail_counts().await.unwrap().pending, before + 1);
    let due = store.due_mail(now, now + jiff::SignedDuration::from_mins(15), 50).await.unwrap();
    let news_mails: Vec<&str> =
        due.iter().filter(|c| c.mail.kind == MailKind::Bericht).map(|c| c.mail.to.as_str()).collect();
    assert_eq!(news_mails, vec!["a@x.nl"]);
}

pub async fn a_subscription_and_its_confirmation_mail_are_written_together(db: &TestDb) {
    let (app, clock) = app(db);
    let store = &db.store;
    let form = |email: &str| SubscriptionForm { email: email.into(), postcode: "2611 ab".into() };
    app.subscribe_to_works(&form("Jan@Example.nl")).await.unwrap();
    app.subscribe_to_works(&form("JAN@example.nl")).await.unwrap();
    assert_eq!(store.mail_counts().await.unwrap().pending, 1, "no second confirmation the same day");
    clock.advance_secs(25 * 3600);
    app.subscribe_to_works(&form("jan@example.nl")).await.unwrap();
    let now = app.now();
    let mails = store.due_mail(now, now + jiff::SignedDuration::from_mins(15), 10).await.unwrap();
    assert_eq!(mails.len(), 2, "a confirmation per request a day apart");
    let link = |body: &str, path: &str| {
        let at = body.find(path).unwrap_or_else(|| panic!("no {path} in {body}"));
        body[at + path.len()..].split_whitespace().next().unwrap().to_string()
    };
    let unsubscribe: Vec<String> = mails.iter().map(|m| link(&m.mail.body, "/werkzaamheden/afmelden/")).collect();
    assert_eq!(unsubscribe[0], unsubscribe[1], "the unsubscribe link stays the same");
    let confirm: Vec<String> = mails.iter().map(|m| link(&m.mail.body, "/werkzaamheden/aanmelding/")).collect();
    assert_ne!(confirm[0], confirm[1], "each confirmation has its own link");
    assert!(matches!(app.confirm_work_subscription(&confirm[0]).await, Err(AppError::NotFound(_))), "replaced");
    let s = app.confirm_work_subscription(&confirm[1]).await.unwrap();
    assert_eq!(s.state(), SubscriptionState::Confirmed);
    assert_eq!(store.confirmed_subscribers(&[(2611, 2611)]).await.unwrap().len(), 1, "one subscription");
    let gone = app.unsubscribe_from_works(&unsubscribe[0]).await.unwrap();
    assert_eq!((gone.id, gone.state()), (s.id, SubscriptionState::Unsubscribed));

    let bad = app.subscribe_to_works(&SubscriptionForm { email: "geen".into(), postcode: "1".into() }).await;
    assert!(matches!(bad, Err(gastvrij_app::portal::PortalError::Invalid(ref e)) if e.len() == 2));
    assert_eq!(store.mail_counts().await.unwrap().pending, 2, "a refused form queues nothing");
}
