//! The demo water board: deterministic per seed, with the patterns the issue asks for.

use gastvrij_app::ports::Batch;
use gastvrij_demo::{DemoConfig, Generator};
use gastvrij_domain::case::CaseType;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::customer::Segment;
use jiff::civil::{Date, Weekday};
use std::collections::{BTreeMap, BTreeSet};

fn config(seed: u64, scale: f64) -> DemoConfig {
    DemoConfig { scale, seed, until: "2026-11-27".parse().unwrap() }
}

/// Every batch the generator yields, in order.
fn generate(config: &DemoConfig) -> Vec<Batch> {
    let mut g = Generator::new(config).unwrap();
    let mut all = vec![g.reference_data()];
    while let Some(b) = g.next_customers(1_000) {
        all.push(b);
    }
    while let Some(b) = g.next_history(1_000) {
        all.push(b);
    }
    all
}

fn digest(batches: &[Batch]) -> String {
    batches
        .iter()
        .map(|b| format!("{:?}{:?}{:?}{:?}{:?}{:?}", b.teams, b.employees, b.topics, b.customers, b.contacts, b.cases))
        .collect()
}

#[test]
fn the_same_seed_gives_the_same_data_and_another_seed_does_not() {
    let a = generate(&config(7, 0.02));
    let b = generate(&config(7, 0.02));
    assert_eq!(digest(&a), digest(&b));
    let c = generate(&config(8, 0.02));
    assert_ne!(digest(&a), digest(&c));
}

#[test]
fn the_history_covers_every_segment_channel_and_case_type_with_the_planned_volume() {
    let batches = generate(&config(1, 0.05));
    let contacts: Vec<_> = batches.iter().flat_map(|b| &b.contacts).collect();
    assert_eq!(contacts.len() as u64, gastvrij_demo::planned_contacts(0.05));
    let segments: BTreeSet<Segment> =
        batches.iter().flat_map(|b| &b.customers).flat_map(|c| c.segments.clone()).collect();
    assert_eq!(segments.len(), Segment::ALL.len(), "{segments:?}");
    let channels: BTreeSet<Channel> = contacts.iter().map(|c| c.channel).collect();
    assert_eq!(channels.len(), Channel::ALL.len());
    let types: BTreeSet<CaseType> = batches.iter().flat_map(|b| &b.cases).map(|c| c.case_type).collect();
    assert_eq!(types.len(), CaseType::ALL.len(), "{types:?}");
    let cases: Vec<_> = batches.iter().flat_map(|b| &b.cases).collect();
    assert!(cases.iter().all(|c| c.timing.deadlines.is_some()), "every case has its deadlines");
    let refs: BTreeSet<&str> = cases.iter().map(|c| c.reference.as_str()).collect();
    assert_eq!(refs.len(), cases.len(), "references are unique");
    let (first, last) = (contacts.first().unwrap().started_at, contacts.last().unwrap().started_at);
    assert!(last.duration_since(first).as_hours() > 24 * 700, "two years of history");
}

fn per_day(batches: &[Batch]) -> BTreeMap<Date, usize> {
    let cal = gastvrij_domain::calendar::Calendar::termijnenwet();
    let mut days = BTreeMap::new();
    for c in batches.iter().flat_map(|b| &b.contacts) {
        *days.entry(cal.date_of(c.started_at)).or_insert(0) += 1;
    }
    days
}

#[test]
fn volume_follows_the_week_the_tax_letters_and_the_storm() {
    let batches = generate(&config(3, 0.2));
    let days = per_day(&batches);
    let avg = |f: &dyn Fn(&Date) -> bool| {
        let v: Vec<usize> = days.iter().filter(|(d, _)| f(d)).map(|(_, n)| *n).collect();
        v.iter().sum::<usize>() as f64 / v.len().max(1) as f64
    };
    let monday = avg(&|d| d.weekday() == Weekday::Monday);
    let saturday = avg(&|d| d.weekday() == Weekday::Saturday);
    assert!(monday > 5.0 * saturday, "monday {monday} vs saturday {saturday}");
    let tax_weeks = avg(&|d| {
        d.year() == 2026
            && d.month() == 3
            && d.day() <= 14
            && d.weekday() != Weekday::Saturday
            && d.weekday() != Weekday::Sunday
    });
    let quiet_weeks = avg(&|d| {
        d.year() == 2026
            && d.month() == 4
            && (13..=24).contains(&d.day())
            && d.weekday() != Weekday::Saturday
            && d.weekday() != Weekday::Sunday
    });
    assert!(tax_weeks > 1.4 * quiet_weeks, "tax letters {tax_weeks} vs quiet {quiet_weeks}");
    let storm: usize = (8..=10).map(|d| days.get(&Date::new(2025, 11, d).unwrap()).copied().unwrap_or(0)).sum();
    let week_before: usize =
        (8..=10).map(|d| days.get(&Date::new(2025, 11, d - 7).unwrap()).copied().unwrap_or(0)).sum();
    assert!(storm > 2 * week_before, "storm {storm} vs the week before {week_before}");
}

#[tokio::test]
async fn seeding_writes_the_demo_once_and_refuses_a_second_time() {
    let dir = std::env::temp_dir().join(format!("gastvrij_demo_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir(&dir).unwrap();
    let location = gastvrij_store::Location::Sqlite(dir.join("db.sqlite"));
    let db = gastvrij_store::Database::open(&location, gastvrij_store::OpenMode::CreateIfMissing).await.unwrap();
    db.migrate().await.unwrap();
    let app =
        gastvrij_app::App::new(db.into_store(), std::sync::Arc::new(gastvrij_app::SystemClock), Default::default());
    let summary = gastvrij_demo::seed(&app, &config(5, 0.01), &|_| {}).await.unwrap();
    assert_eq!(summary.contacts as i64, app.store().count_contacts().await.unwrap());
    assert_eq!(summary.users.len(), 5);
    assert!(app.sign_in("kcc", "demo-kcc-wachtwoord").await.is_ok(), "the demo users can sign in");
    let again = gastvrij_demo::seed(&app, &config(5, 0.01), &|_| {}).await;
    assert!(again.is_err());
    assert_eq!(summary.contacts as i64, app.store().count_contacts().await.unwrap(), "nothing was added");
    let _ = std::fs::remove_dir_all(&dir);
}
