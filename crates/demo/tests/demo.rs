//! The demo water board: deterministic per seed, complete, and with the patterns people expect.

use gastvrij_app::ports::Batch;
use gastvrij_demo::{DemoConfig, Generator};
use gastvrij_domain::calendar::Calendar;
use gastvrij_domain::case::{Case, CaseStatus, CaseType};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{Contact, Line, Outcome};
use gastvrij_domain::customer::{CustomerKind, Segment};
use gastvrij_domain::team::Role;
use jiff::civil::{Date, Weekday};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::OnceLock;

const UNTIL: &str = "2026-11-27";

fn config(seed: u64, scale: f64) -> DemoConfig {
    DemoConfig { scale, seed, until: UNTIL.parse().unwrap() }
}

/// Every batch the generator yields, in order.
fn generate(config: &DemoConfig, limit: usize) -> Vec<Batch> {
    let mut g = Generator::new(config).unwrap();
    let mut all = vec![g.reference_data()];
    while let Some(b) = g.next_customers(limit).unwrap() {
        assert!(b.customers.len() <= limit);
        all.push(b);
    }
    while let Some(b) = g.next_history(limit).unwrap() {
        assert!(b.contacts.len() <= limit, "a batch holds at most the asked number of contacts");
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

/// The demo at scale 0.2 (20,000 contacts), generated once for the pattern tests.
fn sample() -> &'static Sample {
    static SAMPLE: OnceLock<Sample> = OnceLock::new();
    SAMPLE.get_or_init(|| {
        let config = config(3, 0.2);
        let storm = Generator::new(&config).unwrap().storm().0;
        Sample { batches: generate(&config, 5_000), storm }
    })
}

struct Sample {
    batches: Vec<Batch>,
    storm: Date,
}

impl Sample {
    fn contacts(&self) -> impl Iterator<Item = &Contact> {
        self.batches.iter().flat_map(|b| &b.contacts)
    }
    fn cases(&self) -> impl Iterator<Item = &Case> {
        self.batches.iter().flat_map(|b| &b.cases)
    }
    fn topic(&self, name: &str) -> gastvrij_domain::ids::TopicId {
        self.batches[0].topics.iter().find(|t| t.name == name).unwrap().id
    }
}

fn cal() -> Calendar {
    Calendar::termijnenwet()
}

#[test]
fn the_same_seed_gives_the_same_data_and_another_seed_does_not() {
    let a = generate(&config(7, 0.02), 700);
    let b = generate(&config(7, 0.02), 700);
    assert_eq!(digest(&a), digest(&b));
    let c = generate(&config(8, 0.02), 700);
    assert_ne!(digest(&a), digest(&c));
    let other_day = DemoConfig { until: "2026-06-30".parse().unwrap(), ..config(7, 0.02) };
    assert_ne!(digest(&a), digest(&generate(&other_day, 700)));
}

#[test]
fn the_board_has_six_teams_forty_odd_staff_and_a_topic_tree() {
    let g = Generator::new(&config(1, 0.01)).unwrap();
    let base = g.reference_data();
    let teams: Vec<&str> = base.teams.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(teams, ["KCC", "Contracten", "Betalingen", "Product", "Vergunningen", "Meldingen"]);
    assert!((38..=46).contains(&base.employees.len()), "{} employees", base.employees.len());
    for team in &base.teams {
        let leads = base.employees.iter().filter(|e| e.team_id == Some(team.id) && e.roles.contains(&Role::Teamleider));
        assert_eq!(leads.count(), 1, "one teamleider in {}", team.name);
    }
    let count = |r: Role| base.employees.iter().filter(|e| e.roles.contains(&r)).count();
    assert_eq!((count(Role::Redacteur), count(Role::Beheerder)), (2, 1));
    assert!(base.employees.iter().all(|e| e.email.as_ref().unwrap().as_str().ends_with("@lagewaard.nl")));
    let names: BTreeSet<&str> = base.employees.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names.len(), base.employees.len(), "names are unique");
    let users: Vec<&str> = g.users().iter().map(|u| u.username).collect();
    assert_eq!(users, ["kcc", "backoffice", "teamleider", "redacteur", "beheerder"]);
    assert!(g.users().iter().all(|u| u.password.len() >= 12));
    assert!(base.employees.iter().filter(|e| e.username.is_some()).count() == 5);

    assert!((38..=50).contains(&base.topics.len()), "{} topics", base.topics.len());
    for name in ["Kwijtschelding", "Automatische incasso", "Blauwalg", "Dijkschade", "Lozen", "Evenement", "Regenton"] {
        assert!(base.topics.iter().any(|t| t.name == name), "{name}");
    }
    let roots: Vec<_> = base.topics.iter().filter(|t| t.parent_id.is_none()).collect();
    assert!(roots.len() >= 9 && roots.iter().all(|t| t.team_id.is_some()), "every top topic has a team");
}

#[test]
fn customers_cover_every_segment_and_kind_with_fake_details() {
    let batches = generate(&config(1, 0.05), 400);
    let customers: Vec<_> = batches.iter().flat_map(|b| &b.customers).collect();
    assert_eq!(customers.len() as u64, gastvrij_demo::planned_customers(0.05));
    let segments: BTreeSet<Segment> = customers.iter().flat_map(|c| c.segments.clone()).collect();
    assert_eq!(segments.len(), Segment::ALL.len(), "{segments:?}");
    for kind in CustomerKind::ALL {
        assert!(customers.iter().any(|c| c.kind == kind), "{kind:?}");
    }
    for c in &customers {
        let d = &c.details;
        if let Some(p) = &d.postcode {
            let digits: u32 = p.as_str()[..4].parse().unwrap();
            assert!((2600..=2799).contains(&digits), "{p}");
        }
        if let Some(e) = &d.email {
            assert!(e.as_str().ends_with("@example.nl") || e.as_str().ends_with("@example.com"), "{e}");
        }
        if c.kind == CustomerKind::Persoon
            && let Some(phone) = &d.phone
        {
            assert!(phone.as_str().starts_with("06") && phone.as_str().len() == 10, "{phone}");
        }
    }
    assert!(customers.iter().any(|c| c.name.as_deref() == Some("Gemeente Lagedijk")));
    assert!(customers.iter().any(|c| c.name.as_deref().is_some_and(|n| n.starts_with("Maatschap "))));
    assert!(customers.iter().any(|c| c.name.as_deref().is_some_and(|n| n.contains(" van "))), "tussenvoegsels");
    assert!(customers.iter().filter(|c| c.kind == CustomerKind::Organisatie).all(|c| c.details.kvk_number.is_some()));
}

#[test]
fn the_history_has_the_planned_volume_every_channel_and_case_type_and_linked_cases() {
    let s = sample();
    let contacts: Vec<&Contact> = s.contacts().collect();
    assert_eq!(contacts.len() as u64, gastvrij_demo::planned_contacts(0.2));
    let channels: BTreeSet<Channel> = contacts.iter().map(|c| c.channel).collect();
    assert_eq!(channels.len(), Channel::ALL.len());
    let cases: Vec<&Case> = s.cases().collect();
    let types: BTreeSet<CaseType> = cases.iter().map(|c| c.case_type).collect();
    assert_eq!(types.len(), CaseType::ALL.len(), "{types:?}");
    let (first, last) = (contacts.first().unwrap().started_at, contacts.last().unwrap().started_at);
    assert!(last.duration_since(first).as_hours() > 24 * 725, "two years of history");
    assert!(contacts.windows(2).all(|w| w[0].started_at <= w[1].started_at), "in time order");

    // Every handed-over question has its case, and every case its question.
    let by_id: HashMap<_, &Case> = cases.iter().map(|c| (c.id, *c)).collect();
    let mut linked = 0;
    for c in &contacts {
        for q in &c.questions {
            assert_eq!(q.outcome == Some(Outcome::HandedOver), q.case_id.is_some());
            if let Some(id) = q.case_id {
                let case = by_id[&id];
                assert_eq!((case.contact_id, case.topic_id, case.customer_id), (Some(c.id), q.topic_id, c.customer_id));
                linked += 1;
            }
            assert!(c.questions.len() <= 3);
        }
    }
    assert_eq!(linked, cases.len());

    // References WS-YYYY-NNNNNN, unique, numbered in order per year.
    let mut per_year: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for c in &cases {
        let (scope, n) = c.reference.rsplit_once('-').unwrap();
        assert!(scope.starts_with("WS-20") && n.len() == 6, "{}", c.reference);
        assert_eq!(scope[3..].parse::<i16>().unwrap(), cal().date_of(c.created_at).year());
        per_year.entry(scope).or_default().push(n.parse().unwrap());
    }
    for numbers in per_year.values() {
        assert!(numbers.iter().enumerate().all(|(i, n)| *n as usize == i + 1), "1, 2, 3, … per year");
    }

    // The owner belongs to the case's team; recent cases are open, old ones closed.
    let base = &s.batches[0];
    let team_of: HashMap<_, _> = base.employees.iter().map(|e| (e.id, e.team_id)).collect();
    assert!(cases.iter().filter_map(|c| c.owner_id.map(|o| (o, c.team_id))).all(|(o, t)| team_of[&o] == Some(t)));
    let end = cal().start_of_day(UNTIL.parse::<Date>().unwrap().tomorrow().unwrap()).unwrap();
    let age = |c: &Case| end.duration_since(c.created_at).as_hours() / 24;
    let share_open = |f: &dyn Fn(&Case) -> bool| {
        let v: Vec<_> = cases.iter().filter(|c| f(c)).collect();
        v.iter().filter(|c| c.status.is_open()).count() as f64 / v.len().max(1) as f64
    };
    assert!(share_open(&|c| age(c) > 120) < 0.01, "old cases are closed");
    assert!(share_open(&|c| age(c) < 3) > 0.6, "recent cases are open");
    let statuses: BTreeSet<_> = cases.iter().flat_map(|c| c.history.iter().map(|h| h.status.code())).collect();
    assert_eq!(statuses.len(), CaseStatus::ALL.len(), "{statuses:?}");
    assert!(cases.iter().any(|c| c.history.iter().any(|h| h.reason.as_deref() == Some("wacht op klant"))));
    assert!(cases.iter().any(|c| c.timing.is_extended()));
    let with_notes = share(cases.iter().filter(|c| !c.notes.is_empty()).count(), cases.len());
    assert!((0.3..0.9).contains(&with_notes), "some notes: {with_notes}");
    assert!(cases.iter().all(|c| c.timing.deadlines.is_some()), "every case has its deadlines");
}

fn share(n: usize, total: usize) -> f64 {
    n as f64 / total.max(1) as f64
}

#[test]
fn outcomes_channels_and_waiting_times_are_realistic() {
    let s = sample();
    let questions: Vec<_> = s.contacts().flat_map(|c| &c.questions).collect();
    let by = |o: Outcome| share(questions.iter().filter(|q| q.outcome == Some(o)).count(), questions.len());
    let (first, second, handed, forwarded, none) = (
        by(Outcome::Answered),
        by(Outcome::AnsweredAfterConsult),
        by(Outcome::HandedOver),
        by(Outcome::Forwarded),
        by(Outcome::NotAnswered),
    );
    println!("first {first:.3} second {second:.3} handed {handed:.3} forwarded {forwarded:.3} none {none:.3}");
    assert!((0.64..=0.76).contains(&first), "first line {first}");
    assert!((0.08..=0.16).contains(&second), "second line {second}");
    assert!((0.08..=0.16).contains(&handed), "handed over {handed}");
    assert!((0.015..=0.05).contains(&forwarded), "forwarded {forwarded}");
    assert!((0.01..=0.05).contains(&none), "not answered {none}");
    assert!(questions.iter().all(|q| q.line == q.outcome.and_then(Outcome::line)));
    assert!(questions.iter().filter(|q| q.line == Some(Line::SecondLine)).all(|q| q.answer.is_some()));

    let contacts: Vec<&Contact> = s.contacts().collect();
    let phone: Vec<&&Contact> = contacts.iter().filter(|c| c.channel == Channel::Telefoon).collect();
    println!("phone share {:.3}", share(phone.len(), contacts.len()));
    for ch in Channel::ALL {
        println!("  {ch:?} {:.3}", share(contacts.iter().filter(|c| c.channel == ch).count(), contacts.len()));
    }
    assert!(share(phone.len(), contacts.len()) > 0.45, "the phone dominates");
    let quick = share(phone.iter().filter(|c| c.waiting_seconds.unwrap() < 25).count(), phone.len());
    println!("answered within 25 s: {quick:.3}");
    assert!((0.65..0.95).contains(&quick), "mostly within 25 s: {quick}");
    assert!(
        phone
            .iter()
            .all(|c| (120..=480).contains(&(c.duration_seconds().unwrap() - i64::from(c.waiting_seconds.unwrap()))))
    );
    assert!(contacts.iter().filter(|c| c.channel != Channel::Telefoon).all(|c| c.waiting_seconds.is_none()));
    let anonymous = share(contacts.iter().filter(|c| c.customer_id.is_none()).count(), contacts.len());
    assert!((0.05..0.3).contains(&anonymous), "mostly known customers: {anonymous}");
    let agents: BTreeSet<_> = contacts.iter().filter_map(|c| c.agent_id).collect();
    let base = &s.batches[0];
    assert!(agents.iter().all(|a| base.employees.iter().any(|e| e.id == *a && e.roles.contains(&Role::Kcc))));

    // Reports through a web form always become a case.
    let melding_topics: BTreeSet<_> =
        s.cases().filter(|c| c.case_type == CaseType::Melding).filter_map(|c| c.topic_id).collect();
    let web_reports = contacts
        .iter()
        .filter(|c| c.channel == Channel::Webformulier)
        .flat_map(|c| &c.questions)
        .filter(|q| q.topic_id.is_some_and(|t| melding_topics.contains(&t)));
    assert!(web_reports.clone().count() > 0 && web_reports.clone().all(|q| q.case_id.is_some()));
}

fn local(c: &Contact) -> jiff::civil::DateTime {
    cal().to_zoned(c.started_at).datetime()
}

#[test]
fn volume_follows_the_day_and_the_week() {
    let s = sample();
    let count = |f: &dyn Fn(&Contact) -> bool| s.contacts().filter(|c| f(c)).count();
    let phone_on = |d: Weekday| count(&|c| c.channel == Channel::Telefoon && local(c).weekday() == d);
    let (monday, wednesday, saturday) =
        (phone_on(Weekday::Monday), phone_on(Weekday::Wednesday), phone_on(Weekday::Saturday));
    println!("phone: monday {monday}, wednesday {wednesday}, saturday {saturday}");
    assert!(monday > wednesday && monday > 20 * saturday.max(1), "Monday busiest, Saturday near zero");
    let desk_weekend = count(&|c| c.channel == Channel::Balie && local(c).weekday().to_monday_one_offset() >= 6);
    assert_eq!(desk_weekend, 0, "the desk is closed at weekends");
    let web_weekend = count(&|c| c.channel == Channel::Webformulier && local(c).weekday() == Weekday::Saturday);
    assert!(web_weekend > 0, "the web is open at weekends");

    // Office hours on working days, the storm left out (the calamity line answers day and night).
    let storm = |c: &Contact| (0..3).contains(&(local(c).date() - s.storm).get_days());
    let office = |c: &Contact| cal().is_working_day(local(c).date()).unwrap() && !storm(c);
    let phone_at = |h: i8| count(&|c| c.channel == Channel::Telefoon && local(c).hour() == h && office(c));
    println!("phone by hour: {:?}", (7..18).map(phone_at).collect::<Vec<_>>());
    assert!(phone_at(10) > phone_at(12) && phone_at(14) > phone_at(12) && phone_at(9) > phone_at(8));
    assert!(phone_at(10) > phone_at(16) && phone_at(7) == 0, "peaks 9–11 and 13–15, closed before 8");
    let night_mail = count(&|c| matches!(c.channel, Channel::Email | Channel::Webformulier) && local(c).hour() < 6);
    assert!(night_mail > 0, "e-mail and web forms around the clock");
}

/// Contacts per day with a given first-question topic (or all when `topic` is None).
fn per_day(s: &Sample, topic: Option<&str>) -> BTreeMap<Date, usize> {
    let topic = topic.map(|t| s.topic(t));
    let mut days = BTreeMap::new();
    for c in s.contacts() {
        if topic.is_none() || c.questions[0].topic_id == topic {
            *days.entry(cal().date_of(c.started_at)).or_insert(0) += 1;
        }
    }
    days
}

fn average(days: &BTreeMap<Date, usize>, f: impl Fn(&Date) -> bool) -> f64 {
    let mut n = 0;
    let mut sum = 0;
    for (d, c) in days {
        if f(d) {
            n += 1;
            sum += c;
        }
    }
    sum as f64 / n.max(1) as f64
}

fn weekday(d: &Date) -> bool {
    !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

#[test]
fn volume_follows_the_seasons_the_tax_letters_and_the_storm() {
    let s = sample();
    let all = per_day(s, None);
    let tax = average(&all, |d| d.year() == 2026 && d.month() == 3 && d.day() <= 14 && weekday(d));
    let quiet = average(&all, |d| d.year() == 2026 && d.month() == 6 && d.day() <= 14 && weekday(d));
    println!("tax letters {tax:.1} per working day vs quiet {quiet:.1}");
    assert!(tax > 1.8 * quiet, "tax letters {tax} vs quiet {quiet}");

    let algae = per_day(s, Some("Blauwalg"));
    let summer: usize = algae.iter().filter(|(d, _)| matches!(d.month(), 7 | 8)).map(|(_, n)| n).sum();
    let winter: usize = algae.iter().filter(|(d, _)| matches!(d.month(), 1 | 2)).map(|(_, n)| n).sum();
    assert!(summer > 4 * winter.max(1), "blauwalg in summer {summer} vs winter {winter}");
    let flood = per_day(s, Some("Wateroverlast"));
    let stormy = |d: &Date| (0..3).contains(&(*d - s.storm).get_days());
    let autumn = average(&flood, |d| matches!(d.month(), 10 | 11) && !stormy(d) && weekday(d));
    let spring = average(&flood, |d| matches!(d.month(), 4 | 5) && weekday(d));
    assert!(autumn > 2.0 * spring, "wateroverlast per working day in autumn {autumn} vs spring {spring}");

    // The storm: three days, much busier than the same days a week earlier.
    let days = |offset: i64| -> Vec<Date> {
        (0..3).map(|k| s.storm.checked_add(jiff::Span::new().days(k + offset)).unwrap()).collect()
    };
    let sum = |m: &BTreeMap<Date, usize>, ds: &[Date]| ds.iter().map(|d| m.get(d).copied().unwrap_or(0)).sum::<usize>();
    let (storm, before) = (sum(&all, &days(0)), sum(&all, &days(-7)));
    let (flood_storm, flood_before) = (sum(&flood, &days(0)), sum(&flood, &days(-7)));
    println!(
        "storm {}: {storm} contacts vs {before} a week before; wateroverlast {flood_storm} vs {flood_before}",
        s.storm
    );
    assert!(storm > 3 * before, "storm {storm} vs the week before {before}");
    assert!(flood_storm > 5 * flood_before.max(1), "wateroverlast {flood_storm} vs {flood_before}");
    assert!(
        s.contacts()
            .any(|c| c.questions[0].text.contains("storm Wietske") || c.questions[0].text.contains("Storm Wietske"))
    );
}

#[test]
fn objections_peak_after_the_tax_letters_and_permits_are_steady() {
    let s = sample();
    let per_month = |t: CaseType| {
        let mut m: BTreeMap<(i16, i8), usize> = BTreeMap::new();
        for c in s.cases().filter(|c| c.case_type == t) {
            let d = cal().date_of(c.created_at);
            *m.entry((d.year(), d.month())).or_insert(0) += 1;
        }
        m
    };
    let bezwaar = per_month(CaseType::Bezwaar);
    let march = bezwaar.get(&(2026, 3)).copied().unwrap_or(0);
    let october = bezwaar.get(&(2025, 10)).copied().unwrap_or(0);
    println!("bezwaar: march {march}, october {october}");
    assert!(march > 3 * october.max(1), "bezwaar after the tax letters");
    let permits = per_month(CaseType::Vergunningaanvraag);
    // The four complete quarters from October 2025 to September 2026.
    let quarters: Vec<usize> = [(2025, 10), (2026, 1), (2026, 4), (2026, 7)]
        .iter()
        .map(|(y, first)| (0..3).map(|m| permits.get(&(*y, first + m)).copied().unwrap_or(0)).sum())
        .collect();
    let mean = quarters.iter().sum::<usize>() as f64 / 4.0;
    println!("permit applications per quarter, 2025-Q4 to 2026-Q3: {quarters:?}");
    assert!(quarters.iter().all(|q| (*q as f64) > 0.5 * mean && (*q as f64) < 1.6 * mean), "steady: {quarters:?}");
}

async fn fresh_app(name: &str) -> (gastvrij_app::App, std::path::PathBuf) {
    let dir = std::env::temp_dir().join(format!("gastvrij_demo_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir(&dir).unwrap();
    let location = gastvrij_store::Location::Sqlite(dir.join("db.sqlite"));
    let db = gastvrij_store::Database::open(&location, gastvrij_store::OpenMode::CreateIfMissing).await.unwrap();
    db.migrate().await.unwrap();
    let app =
        gastvrij_app::App::new(db.into_store(), std::sync::Arc::new(gastvrij_app::SystemClock), Default::default());
    (app, dir)
}

#[tokio::test]
async fn seeding_writes_the_demo_once_and_refuses_a_second_time() {
    let (app, dir) = fresh_app("seed").await;
    let config = config(5, 0.01);
    let done = std::sync::Mutex::new(vec![]);
    let summary = gastvrij_demo::seed(&app, &config, &|n| done.lock().unwrap().push(n)).await.unwrap();
    let done = done.into_inner().unwrap();
    assert_eq!(done.last().copied(), Some(gastvrij_demo::planned_work(&config)), "progress reaches the plan");
    assert!(done.windows(2).all(|w| w[0] < w[1]));

    let store = app.store();
    assert_eq!(summary.contacts as i64, store.count_contacts().await.unwrap());
    assert_eq!(summary.teams, store.teams().await.unwrap().len());
    assert_eq!(summary.employees, store.employees().await.unwrap().len());
    assert_eq!(summary.topics, store.topics().await.unwrap().len());
    assert_eq!(summary.contacts as u64, gastvrij_demo::planned_contacts(0.01));
    let org = store.organisation().await.unwrap().unwrap();
    assert_eq!(
        (org.name.as_str(), org.inhabitants, org.time_zone.as_str()),
        ("Hoogheemraadschap van de Lage Waard", 812_000, "Europe/Amsterdam")
    );
    // Three fictional peers per year of history, for the comparison page.
    assert_eq!(summary.peer_files, 6);
    let peers = app.peer_figures(&gastvrij_app::Principal::operator()).await.unwrap();
    let years: Vec<i16> = peers.iter().map(|p| p.year).collect();
    let last = config.until.year();
    assert_eq!(years, [last - 1, last, last - 1, last, last - 1, last], "{years:?}");
    assert!(peers.iter().all(|p| p.organisation.code != "hoogheemraadschap-van-de-lage-waard"));
    // The pulse: the eight weeks before the week of `until` (2026-11-27, a Friday); the KCC has
    // figures every week, in Vergunningen (five people, fewer answer) most weeks are hidden.
    let from: jiff::civil::Date = "2026-09-28".parse().unwrap();
    let op = gastvrij_app::Principal::operator();
    let pulse = app.pulse_report(&op, Some(from), Some(config.until), None).await.unwrap();
    assert_eq!(pulse.periods.len(), 9, "eight weeks answered and the week of `until`");
    let figures = |team: &str| {
        let g = pulse.groups.iter().find(|g| g.team.as_ref().is_some_and(|t| t.name == team)).unwrap();
        g.figures.iter().map(|f| f.overall().is_some()).collect::<Vec<bool>>()
    };
    assert_eq!(figures("KCC"), [true, true, true, true, true, true, true, true, false]);
    assert!(figures("Vergunningen").iter().filter(|shown| !**shown).count() >= 6, "{:?}", figures("Vergunningen"));
    assert!(summary.pulse_answers > 8 * 30, "{}", summary.pulse_answers);
    // The three customer journeys, linked to the demo's topics: the map of the wateroverlast
    // journey over the last year counts the generated contacts and cases of its steps.
    assert_eq!(summary.journeys, 3);
    let journeys = app.journeys(&op).await.unwrap();
    let names: Vec<&str> = journeys.iter().map(|j| j.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Agrariër vraagt een watervergunning aan",
            "Huurder krijgt zijn eerste aanslag",
            "Inwoner meldt wateroverlast"
        ]
    );
    let flood = journeys.iter().find(|j| j.name == "Inwoner meldt wateroverlast").unwrap();
    let year_ago = config.until.saturating_sub(jiff::ToSpan::days(365));
    let map = app.journey_map(&op, flood.id, Some(year_ago), Some(config.until)).await.unwrap();
    assert!(map.journey.touchpoints[0].moment_of_truth);
    assert!(map.figures[0].contacts > 0 && map.figures[2].cases > 0, "{:?}", map.figures);

    let users: Vec<(&str, &str)> = summary.users.iter().map(|(u, _, r)| (u.as_str(), r.as_str())).collect();
    assert_eq!(
        users,
        [
            ("kcc", "kcc"),
            ("backoffice", "backoffice"),
            ("teamleider", "teamleider"),
            ("redacteur", "kcc,redacteur"),
            ("beheerder", "beheerder")
        ]
    );
    for (username, password, _) in &summary.users {
        assert!(app.sign_in(username, password).await.is_ok(), "{username} can sign in");
    }
    // The same accounts, with the same ids, in a second database seeded alike.
    let (twin, twin_dir) = fresh_app("twin").await;
    gastvrij_demo::seed(&twin, &config, &|_| {}).await.unwrap();
    assert_eq!(store.employees().await.unwrap(), twin.store().employees().await.unwrap());
    let last = format!("WS-2026-{:06}", 1);
    let (a, b) = (store.case_by_reference(&last).await.unwrap(), twin.store().case_by_reference(&last).await.unwrap());
    assert!(a.is_some() && a.map(|x| x.0) == b.map(|x| x.0), "identical cases");

    let again = gastvrij_demo::seed(&app, &config, &|_| {}).await;
    assert!(again.unwrap_err().to_string().contains("already holds teams"));
    assert_eq!(summary.contacts as i64, store.count_contacts().await.unwrap(), "nothing was added");
    assert_eq!(summary.employees, store.employees().await.unwrap().len());
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&twin_dir);
}
