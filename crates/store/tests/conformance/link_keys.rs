//! Stories of the key that makes the links in citizens' mails: kept in a file, never in the
//! database, while the links made with the database's key from before keep working.

use crate::harness::{TestDb, app};
use crate::portal::{Citizen, melding_from, team_and_topic};
use gastvrij_app::link_keys::{LinkKey, LinkPurpose};
use gastvrij_app::portal::token_hash;
use gastvrij_app::{App, AppError, Settings};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::ids::{TeamId, TopicId};
use gastvrij_domain::planned_works::SubscriptionForm;
use gastvrij_domain::portal::SubmissionId;
use std::sync::Arc;

crate::stories!(
    link_keys:
    links_are_made_with_the_key_file_and_those_made_with_the_database_key_keep_working,
    a_sent_mails_link_goes_with_its_body_when_the_retention_period_ends,
);

/// The links a mail keeps after it went out: in its body and its List-Unsubscribe header.
async fn kept_links(db: &TestDb) -> Vec<Option<String>> {
    let sql = "SELECT list_unsubscribe FROM mail_outbox WHERE list_unsubscribe IS NOT NULL OR body <> '' ORDER BY id";
    crate::harness::texts(&db.location, sql).await
}

/// Store a melding whose tracking link `app` makes; its id and token.
async fn melding(app: &App, team_topic: (TeamId, TopicId), email: &str) -> (SubmissionId, String) {
    let from = Citizen { customer: None, name: "Jan de Vries", email };
    let mut new = melding_from(app, team_topic, from, "Er ligt een dode vis in de sloot", "").await;
    let token = app.tracking_token(new.submission.id).await.unwrap();
    new.token_hash = token_hash(&token);
    let change = Change::new(Actor::Public, app.now(), "submission.received", new.submission.id, "melding");
    app.store().insert_submission(&new, &change).await.unwrap();
    (new.submission.id, token)
}

/// Subscribe `email` to works news; the text of its confirmation mail.
async fn subscription_mail(app: &App, email: &str) -> String {
    app.subscribe_to_works(&SubscriptionForm { email: email.into(), postcode: "2611 AB".into() }).await.unwrap();
    let now = app.now();
    let mails = app.store().due_mail(now, now + jiff::SignedDuration::from_mins(15), 50).await.unwrap();
    mails.into_iter().rev().find(|m| m.mail.to.as_str() == email).expect("a confirmation mail").mail.body
}

/// The token of the link to `path` in a mail's text.
fn token_in(body: &str, path: &str) -> String {
    let at = body.find(path).unwrap_or_else(|| panic!("no {path} in {body}")) + path.len();
    body[at..].split_whitespace().next().unwrap().to_string()
}

/// Subscribe `email` to works news; the unsubscribe token in its confirmation mail.
async fn subscribe(app: &App, email: &str) -> String {
    token_in(&subscription_mail(app, email).await, "/werkzaamheden/afmelden/")
}

fn with_key(db: &TestDb, like: &App, key: &LinkKey) -> App {
    let clock = Arc::new(crate::harness::TestClock(std::sync::Mutex::new(like.now())));
    App::new(db.store.clone(), clock, Settings::default()).with_link_key(key.clone())
}

pub async fn links_are_made_with_the_key_file_and_those_made_with_the_database_key_keep_working(db: &TestDb) {
    let (before, clock) = app(db);
    let store = &db.store;
    let team_topic = team_and_topic(&before, "Waterkwaliteit").await;
    let key = LinkKey::generate().unwrap();

    // With a key file from the start, the database holds no key at all.
    let fresh = with_key(db, &before, &key);
    let (first, first_token) = melding(&fresh, team_topic, "eerst@example.nl").await;
    let first_unsubscribe = subscribe(&fresh, "eerst@example.nl").await;
    for name in ["tracking_links", "unsubscribe_links"] {
        assert_eq!(store.stored_installation_secret(name).await.unwrap(), None, "{name} is not in the database");
    }
    assert_eq!(fresh.track(&first_token).await.unwrap().record.submission.id, first);

    // An installation from before: links made with the key the database held.
    let (old, old_token) = melding(&before, team_topic, "oud@example.nl").await;
    let old_unsubscribe = subscribe(&before, "oud@example.nl").await;
    let database_key = store.stored_installation_secret("tracking_links").await.unwrap().expect("made as before");
    assert!(!key.file_contents().contains(&database_key));

    // Now started with the key file.
    let after = with_key(db, &before, &key);
    assert_eq!(after.track(&old_token).await.unwrap().record.submission.id, old, "a link in a mail sent before");
    assert_eq!(after.subscription_to_end(&old_unsubscribe).await.unwrap().email.as_str(), "oud@example.nl");
    // New mails about records from before carry the links those already have.
    let id = |s: SubmissionId| s.to_string().into_bytes();
    assert_eq!(after.link_token(LinkPurpose::Tracking, &id(old)).await.unwrap(), old_token);
    clock.advance_secs(25 * 3600);
    let after = with_key(db, &before, &key);
    assert_eq!(subscribe(&after, "oud@example.nl").await, old_unsubscribe, "the same unsubscribe link");
    // New records get links made with the file key, which verify.
    let (new, new_token) = melding(&after, team_topic, "nieuw@example.nl").await;
    assert_ne!(new_token, before.tracking_token(new).await.unwrap(), "not the database key's");
    assert_eq!(after.track(&new_token).await.unwrap().record.submission.id, new);
    assert_eq!(after.link_token(LinkPurpose::Tracking, &id(new)).await.unwrap(), new_token);
    assert_eq!(after.link_token(LinkPurpose::Tracking, &id(first)).await.unwrap(), first_token);
    let new_unsubscribe = subscribe(&after, "nieuw@example.nl").await;
    assert_eq!(after.subscription_to_end(&new_unsubscribe).await.unwrap().email.as_str(), "nieuw@example.nl");
    assert_eq!(subscribe(&after, "eerst@example.nl").await, first_unsubscribe);

    // Links made with another key lead nowhere.
    let other = with_key(db, &before, &LinkKey::generate().unwrap());
    let forged = other.link_token(LinkPurpose::Tracking, &id(new)).await.unwrap();
    assert_ne!(forged, new_token);
    assert!(matches!(after.track(&forged).await, Err(AppError::NotFound(_))));
    let forged = other.tracking_token(old).await.unwrap();
    assert!(matches!(after.track(&forged).await, Err(AppError::NotFound(_))));
}

pub async fn a_sent_mails_link_goes_with_its_body_when_the_retention_period_ends(db: &TestDb) {
    let (app, _) = app(db);
    let confirmation = subscription_mail(&app, "lid@example.nl").await;
    let unsubscribe = token_in(&confirmation, "/werkzaamheden/afmelden/");
    app.confirm_work_subscription(&token_in(&confirmation, "/werkzaamheden/aanmelding/")).await.unwrap();
    let now = app.now();
    let who = crate::harness::operator();
    let news = app.notify_subscribers(&who, "Nieuws", "De dijk wordt versterkt.", &[(2611, 2611)], "test").await;
    assert_eq!(news.unwrap().queued, 1);
    // Past the lease of the confirmation mail read above, so both are claimed and sent.
    let (past_lease, minutes) = (now + jiff::SignedDuration::from_mins(20), jiff::SignedDuration::from_mins(15));
    for m in app.store().due_mail(past_lease, past_lease + minutes, 50).await.unwrap() {
        app.store().mail_sent(m.mail.id, now).await.unwrap();
    }
    let kept = kept_links(db).await;
    assert_eq!(kept.len(), 2, "the confirmation and the news, with their text");
    assert!(kept.iter().flatten().any(|header| header.ends_with(&unsubscribe)), "{kept:?}");

    let later = now + jiff::SignedDuration::from_hours(24 * 30);
    let run = app.apply_retention(later, false).await.unwrap();
    assert!(matches!(run, gastvrij_app::privacy::RetentionRun::Done(c) if c.mail_bodies == 2), "{run:?}");
    assert_eq!(kept_links(db).await, Vec::<Option<String>>::new(), "neither the body nor the header keeps the link");
}
