//! Stories of several Gastvrij nodes on one database (issue 18): what each node does at start
//! and in the background is done once, whoever does it.

use crate::harness::{TestClock, TestDb, app, operator, temp_dir};
use crate::stories::{case_input, team};
use gastvrij_app::norms::{GroupBy, Source};
use gastvrij_app::ports::{DeliveryError, MailTransport};
use gastvrij_app::privacy::RetentionRun;
use gastvrij_app::{App, Settings};
use gastvrij_domain::case::{CaseStatus, CaseType};
use gastvrij_domain::ids::MailId;
use gastvrij_domain::kennisbank::{ArticleInput, ArticleStatus};
use gastvrij_domain::mail::{MailInput, MailKind, OutgoingMail};
use gastvrij_store::{Database, Location, OpenMode};
use jiff::SignedDuration;
use std::sync::{Arc, Mutex};

crate::stories!(
    nodes:
    two_nodes_starting_at_once_apply_each_migration_exactly_once,
    two_mail_workers_deliver_each_mail_exactly_once,
    two_nodes_raise_each_risk_event_once,
    two_nodes_publish_and_archive_each_scheduled_article_once,
    two_nodes_refreshing_the_roll_ups_at_once_count_each_case_once,
    two_nodes_applying_retention_at_once_erase_each_record_once,
    two_nodes_counting_one_limit_at_once_lose_no_hit,
);

/// A second node: its own connection pool on the same database, with the same clock.
async fn second_node(db: &TestDb, clock: &Arc<TestClock>) -> App {
    let other = Database::open(&db.location, OpenMode::MustExist).await.expect("second node opens the database");
    App::new(other.into_store(), clock.clone(), Settings::default())
}

/// An empty database at the same place as `db` (PostgreSQL: its schema dropped and made anew;
/// SQLite: a new file beside it).
async fn empty_like(db: &TestDb) -> Location {
    match &db.location {
        Location::Sqlite(_) => Location::Sqlite(temp_dir().join("nodes.sqlite")),
        Location::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            sqlx::raw_sql("DROP SCHEMA public CASCADE; CREATE SCHEMA public").execute(&pool).await.unwrap();
            pool.close().await;
            Location::Postgres(url.clone())
        }
    }
}

pub async fn two_nodes_starting_at_once_apply_each_migration_exactly_once(db: &TestDb) {
    // What one node alone applies to an empty database (both dialects have the same steps).
    let alone = Database::open(&Location::Sqlite(temp_dir().join("alone.sqlite")), OpenMode::CreateIfMissing).await;
    let expected = alone.unwrap().migrate().await.unwrap();
    assert!(expected.len() > 10, "{expected:?}");
    // Three times from empty, so the two nodes meet at different steps.
    for _ in 0..3 {
        let location = empty_like(db).await;
        let a = Database::open(&location, OpenMode::CreateIfMissing).await.unwrap();
        let b = Database::open(&location, OpenMode::CreateIfMissing).await.unwrap();
        let (from_a, from_b) = tokio::join!(a.migrate(), b.migrate());
        let (from_a, from_b) = (from_a.expect("node a starts"), from_b.expect("node b starts"));
        let mut all: Vec<i64> = from_a.iter().chain(&from_b).copied().collect();
        all.sort_unstable();
        assert_eq!(all, expected, "each step applied by exactly one node (a: {from_a:?}, b: {from_b:?})");
        let status = a.schema_status().await.unwrap();
        assert_eq!(status.current, status.latest);
    }
}

/// A transport that records which mail it delivered, taking a moment per mail so the two
/// workers' rounds overlap.
#[derive(Default)]
struct Recording(Mutex<Vec<MailId>>);

#[async_trait::async_trait]
impl MailTransport for Recording {
    fn name(&self) -> &'static str {
        "recording"
    }

    async fn deliver(&self, mail: &OutgoingMail, _: gastvrij_app::ports::Attempt) -> Result<(), DeliveryError> {
        tokio::time::sleep(std::time::Duration::from_millis(2)).await;
        self.0.lock().expect("no panic while held").push(mail.id);
        Ok(())
    }
}

pub async fn two_mail_workers_deliver_each_mail_exactly_once(db: &TestDb) {
    let (a, clock) = app(db);
    let b = second_node(db, &clock).await;
    let mut queued = vec![];
    for i in 0..40 {
        let input = MailInput {
            kind: MailKind::Ontvangstbevestiging,
            to: format!("inwoner{i}@example.nl"),
            subject: format!("Ontvangstbevestiging {i}"),
            body: "Beste inwoner,\n\nWe hebben uw melding ontvangen.".into(),
            reply_to: None,
        };
        queued.push(a.queue_mail(&operator(), input).await.unwrap().id);
    }
    let on_a: &'static Recording = Box::leak(Box::default());
    let on_b: &'static Recording = Box::leak(Box::default());
    // Each node's worker runs rounds until a round finds nothing more to send.
    let worker = |app: App, transport: &'static Recording| async move {
        loop {
            if app.deliver_due_mail(transport, 5).await.unwrap().sent == 0 {
                break;
            }
        }
    };
    tokio::join!(worker(a.clone(), on_a), worker(b.clone(), on_b));
    let (by_a, by_b) = (on_a.0.lock().unwrap().clone(), on_b.0.lock().unwrap().clone());
    let mut delivered: Vec<MailId> = by_a.iter().chain(&by_b).copied().collect();
    delivered.sort();
    queued.sort();
    assert_eq!(delivered, queued, "every mail delivered once, by one node (a: {}, b: {})", by_a.len(), by_b.len());
    let counts = a.store().mail_counts().await.unwrap();
    assert_eq!((counts.pending, counts.sent), (0, 40));
}

pub async fn two_nodes_raise_each_risk_event_once(db: &TestDb) {
    let (a, clock) = app(db);
    let b = second_node(db, &clock).await;
    let who = operator();
    let t = a.create_team(&who, team("Vergunningen")).await.unwrap();
    for _ in 0..12 {
        a.create_case(&who, case_input(t.id, CaseType::Vraag)).await.unwrap();
    }
    // Service norm: 5 working days, due Monday 9 March; nothing at risk yet with 72 hours.
    let horizon = SignedDuration::from_hours(72);
    assert_eq!(a.raise_risk_events(horizon).await.unwrap(), 0, "nothing near its deadline yet");
    // Saturday 7 March: every case enters the horizon, once.
    clock.advance_secs(5 * 24 * 3600);
    let (from_a, from_b) = tokio::join!(a.raise_risk_events(horizon), b.raise_risk_events(horizon));
    let (from_a, from_b) = (from_a.unwrap(), from_b.unwrap());
    assert_eq!(from_a + from_b, 12, "one event per case for the team, raised by one node (a: {from_a}, b: {from_b})");
    let events = a.store().events(&gastvrij_app::ports::EventQuery::default()).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.kind == "case.at_risk").count(), 12);
    let (again_a, again_b) = tokio::join!(a.raise_risk_events(horizon), b.raise_risk_events(horizon));
    assert_eq!((again_a.unwrap(), again_b.unwrap()), (0, 0));
}

pub async fn two_nodes_publish_and_archive_each_scheduled_article_once(db: &TestDb) {
    let (a, clock) = app(db);
    let b = second_node(db, &clock).await;
    let who = operator();
    let now = a.now();
    let mut ids = vec![];
    for i in 0..10 {
        let input = ArticleInput {
            title: format!("Werkzaamheden Dijkweg {i}"),
            question: "Waarom is de Dijkweg dicht?".into(),
            answer: "Dijkversterking tot 1 juni.".into(),
            public_answer: Some("De Dijkweg is dicht tot 1 juni.".into()),
            publish_at: Some(now + SignedDuration::from_hours(1)),
            archive_at: Some(now + SignedDuration::from_hours(48)),
            ..Default::default()
        };
        let article = a.create_article(&who, input).await.unwrap();
        a.change_article_status(&who, article.id, ArticleStatus::TerBeoordeling).await.unwrap();
        a.change_article_status(&who, article.id, ArticleStatus::Intern).await.unwrap();
        ids.push(article.id);
    }
    let versions = |app: App, id| async move { app.article_versions(&operator(), id).await.unwrap().len() };
    let before = versions(a.clone(), ids[0]).await;
    for (hours, status) in [(2, ArticleStatus::Openbaar), (48, ArticleStatus::Gearchiveerd)] {
        clock.advance_secs(hours * 3600);
        let (on_a, on_b) = tokio::join!(a.apply_article_schedules(), b.apply_article_schedules());
        let (on_a, on_b) = (on_a.unwrap(), on_b.unwrap());
        assert_eq!(on_a + on_b, 10, "each article changed by one node (a: {on_a}, b: {on_b})");
        for id in &ids {
            assert_eq!(a.article(&who, *id).await.unwrap().status, status);
        }
    }
    assert_eq!(versions(a.clone(), ids[0]).await, before + 2, "one version per scheduled change, not two");
}

pub async fn two_nodes_refreshing_the_roll_ups_at_once_count_each_case_once(db: &TestDb) {
    let (a, clock) = app(db);
    let b = second_node(db, &clock).await;
    let who = operator();
    let t = a.create_team(&who, team("Heffingen")).await.unwrap();
    let start = a.now();
    for i in 0..16 {
        let case = a.create_case(&who, case_input(t.id, CaseType::Vraag)).await.unwrap();
        // Some within the norm, some late.
        clock.advance_secs(if i % 4 == 0 { 9 * 24 * 3600 } else { 3600 });
        a.change_case_status(&who, case.id, CaseStatus::Afgehandeld, None).await.unwrap();
    }
    let (on_a, on_b) = tokio::join!(a.refresh_rollups(), b.refresh_rollups());
    on_a.unwrap();
    on_b.unwrap();
    // Whole days (the roll-ups' grain) around everything that happened.
    let from: jiff::Timestamp = "2026-03-01T23:00:00Z".parse().unwrap();
    let to = from + SignedDuration::from_hours(24 * 7 * 8);
    assert!(start > from && a.now() < to);
    let horizon = SignedDuration::from_hours(48);
    let report = |source| {
        let a = a.clone();
        async move {
            let r = a.compliance_from(&operator(), from, to, GroupBy::Team, horizon, source).await.unwrap();
            serde_json::to_value(&r.groups).unwrap()
        }
    };
    let (rolled_up, scanned) = (report(Source::Rollup).await, report(Source::Scan).await);
    assert_eq!(rolled_up, scanned, "the roll-ups two nodes made count what a scan of the cases counts");
    assert!(rolled_up.to_string().contains("Heffingen"), "{rolled_up}");
}

pub async fn two_nodes_applying_retention_at_once_erase_each_record_once(db: &TestDb) {
    let (a, clock) = app(db);
    let b = second_node(db, &clock).await;
    for i in 0..6 {
        let input = MailInput {
            kind: MailKind::Ontvangstbevestiging,
            to: format!("inwoner{i}@example.nl"),
            subject: format!("Ontvangstbevestiging {i}"),
            body: "Beste inwoner,\n\nWe hebben uw melding ontvangen.".into(),
            reply_to: None,
        };
        a.queue_mail(&operator(), input).await.unwrap();
    }
    let transport: &'static Recording = Box::leak(Box::default());
    a.deliver_due_mail(transport, 10).await.unwrap();
    // 30 days after sending, the bodies go: once, by whichever node claims the run.
    let at = a.now() + SignedDuration::from_hours(24 * 31);
    let (on_a, on_b) = tokio::join!(a.apply_retention(at, false), b.apply_retention(at, false));
    let erased = |run: RetentionRun| match run {
        RetentionRun::Done(counts) => counts.mail_bodies,
        RetentionRun::ClaimedElsewhere => 0,
    };
    let (on_a, on_b) = (erased(on_a.unwrap()), erased(on_b.unwrap()));
    assert_eq!(on_a + on_b, 6, "each mail body erased once (a: {on_a}, b: {on_b})");
    let query = gastvrij_app::ports::AuditQuery {
        entity_id: Some("retention".into()),
        page: gastvrij_app::Page::first(500),
        ..Default::default()
    };
    let runs = a.store().audit_log(&query).await.unwrap();
    let counted: Vec<&str> = runs.iter().map(|r| r.summary.as_str()).filter(|s| !s.contains("mail_bodies=0")).collect();
    assert_eq!(counted.len(), 1, "one run did the work: {counted:?}");
}

pub async fn two_nodes_counting_one_limit_at_once_lose_no_hit(db: &TestDb) {
    use gastvrij_app::limits::Limit;
    let (a, clock) = app(db);
    let b = second_node(db, &clock).await;
    let limit = Limit { scope: "submit", max: 60, window: SignedDuration::from_secs(600) };
    let count = |app: App| async move {
        let mut within = 0;
        for _ in 0..40 {
            within += u32::from(app.count_against(limit, "198.51.100.9").await.unwrap());
        }
        within
    };
    let (on_a, on_b) = tokio::join!(count(a.clone()), count(b.clone()));
    assert_eq!(on_a + on_b, 60, "exactly the limit let through over both nodes (a: {on_a}, b: {on_b})");
    assert!(a.limit_reached(limit, "198.51.100.9").await.unwrap());
    assert!(!b.limit_reached(limit, "198.51.100.10").await.unwrap(), "another address");
    // The stored key is a hash: the address is nowhere in the table.
    let keys = crate::harness::texts(&db.location, "SELECT key FROM rate_windows").await;
    assert!(keys.iter().flatten().all(|k| k.len() == 32 && !k.contains("198.51")), "{keys:?}");
    // A day on, the first hit of a new window removes the old ones.
    clock.advance_secs(24 * 3600 + 600);
    assert!(a.count_against(limit, "192.0.2.1").await.unwrap());
    assert_eq!(crate::harness::texts(&db.location, "SELECT key FROM rate_windows").await.len(), 1);
}
