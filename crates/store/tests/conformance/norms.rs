//! Stories of the service norms: roll-ups that equal a plain scan, and the timing facts of cases.

use crate::harness::{TestDb, app, operator};
use crate::stories::{case_input, phone_contact, question, team};
use gastvrij_app::ports::Batch;
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::{CaseResult, CaseStatus, CaseType};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::ContactInput;

crate::stories!(
    norms:
    compliance_from_rollups_equals_a_plain_scan,
    a_report_per_part_equals_the_report_filtered_to_that_part,
    case_timing_facts_follow_creation_status_changes_and_contacts,
    a_suspended_case_is_judged_at_its_suspension_in_the_queue_and_the_reports,
    migration_34_gives_existing_cases_their_segment_and_recomputes_their_days,
);

/// A database from before migration 34: cases without a segment and roll-up rows without one.
/// Migrating fills `cases.segment` from the customers and has the worker recompute the days of
/// closed cases with a segment, so the roll-ups equal a plain scan again, split by segment.
pub async fn migration_34_gives_existing_cases_their_segment_and_recomputes_their_days(db: &TestDb) {
    use gastvrij_app::norms::{GroupBy, Source};
    use gastvrij_domain::customer::{CustomerInput, Segment};
    use gastvrij_store::{Database, OpenMode};
    let (app, clock) = app(db);
    let who = operator();
    let t = app.create_team(&who, team("Heffingen")).await.unwrap();
    let farm = CustomerInput { segments: vec![Segment::Agrarier], ..Default::default() };
    let farm = app.create_customer(&who, farm).await.unwrap();
    let mut cases = vec![];
    for customer in [Some(farm.id), Some(farm.id), None] {
        let mut input = case_input(t.id, CaseType::Vraag);
        input.customer_id = customer;
        cases.push(app.create_case(&who, input).await.unwrap().id);
        clock.advance_secs(86_400);
    }
    app.change_case_status(&who, cases[0], CaseStatus::Afgehandeld, None).await.unwrap();
    app.change_case_status(&who, cases[2], CaseStatus::Afgehandeld, None).await.unwrap();
    let from: jiff::Timestamp = "2026-03-01T23:00:00Z".parse().unwrap();
    let to: jiff::Timestamp = "2026-04-01T22:00:00Z".parse().unwrap();
    let h = jiff::SignedDuration::from_hours(48);
    let before = app.compliance_from(&who, from, to, GroupBy::Segment, h, Source::Scan).await.unwrap();
    app.refresh_rollups().await.unwrap();

    // Back to the schema before 34, the roll-up rows summed over the segments as they were.
    let sql = "DELETE FROM gastvrij_schema WHERE version = 34; \
         DROP INDEX cases_open_timing; \
         ALTER TABLE cases DROP COLUMN segment; \
         CREATE INDEX cases_open_timing ON cases (status, created_at, case_type, team_id, topic_id, channel, \
             first_action_at, acknowledgement_due, service_norm_due, legal_due, closed_at) \
             WHERE status IN ('ontvangen', 'in_behandeling', 'opgeschort'); \
         CREATE TABLE norm_daily_old AS SELECT day, team_id, topic_id, channel, case_type, category, \
             SUM(within_norm) AS w, SUM(late) AS l, SUM(legal_late) AS ll FROM norm_daily \
             GROUP BY day, team_id, topic_id, channel, case_type, category; \
         DROP TABLE norm_daily; \
         CREATE TABLE norm_daily (day TEXT NOT NULL, team_id TEXT NOT NULL, topic_id TEXT NOT NULL, \
             channel TEXT NOT NULL, case_type TEXT NOT NULL, category TEXT NOT NULL, within_norm BIGINT NOT NULL, \
             late BIGINT NOT NULL, legal_late BIGINT NOT NULL, \
             PRIMARY KEY (day, team_id, topic_id, channel, case_type, category)); \
         INSERT INTO norm_daily SELECT day, team_id, topic_id, channel, case_type, category, w, l, ll FROM norm_daily_old; \
         DROP TABLE norm_daily_old;";
    crate::harness::raw_sql(&db.location, sql).await;
    let reopened = Database::open(&db.location, OpenMode::MustExist).await.unwrap();
    assert_eq!(reopened.migrate().await.unwrap(), vec![34]);

    for source in [Source::Scan, Source::Rollup] {
        let after = app.compliance_from(&who, from, to, GroupBy::Segment, h, source).await.unwrap();
        assert_eq!(serde_json::to_value(&after).unwrap(), serde_json::to_value(&before).unwrap(), "{source:?}");
    }
    let keys: Vec<(String, u64)> = before.groups.iter().map(|g| (g.key.clone(), g.counts.in_scope)).collect();
    assert_eq!(keys, vec![("agrariër".to_string(), 4), ("geen".to_string(), 2)]);
}

/// A suspended case's clock stands still: the queue's late and at-risk filters and both
/// compliance sources judge it as at its suspension (`norms::classify_case`), the same on both
/// backends.
pub async fn a_suspended_case_is_judged_at_its_suspension_in_the_queue_and_the_reports(db: &TestDb) {
    use gastvrij_app::case_work::{QueueFilter, QueueView};
    use gastvrij_app::norms::{GroupBy, Source};
    let (app, clock) = app(db);
    let who = operator();
    let t = app.create_team(&who, team("Klachten")).await.unwrap();
    let new = |case_type| app.create_case(&who, case_input(t.id, case_type));
    let (paused, running, late_vraag, paused_late) = (
        new(CaseType::Klacht).await.unwrap(),
        new(CaseType::Klacht).await.unwrap(),
        new(CaseType::Vraag).await.unwrap(),
        new(CaseType::Vraag).await.unwrap(),
    );
    clock.advance_secs(86_400);
    app.change_case_status(&who, paused.id, CaseStatus::Opgeschort, Some("wacht op klant")).await.unwrap();
    // Two weeks on, the vraag (5 working days) is late before it is suspended.
    clock.advance_secs(14 * 86_400);
    app.change_case_status(&who, paused_late.id, CaseStatus::Opgeschort, Some("wacht op klant")).await.unwrap();
    clock.advance_secs(40 * 86_400);

    let ids = |cases: Vec<gastvrij_domain::case::Case>| cases.into_iter().map(|c| c.id).collect::<Vec<_>>();
    let queue = |view| {
        let app = app.clone();
        let who = who.clone();
        async move { ids(app.team_queue(&who, t.id, &QueueFilter { view, ..Default::default() }).await.unwrap().cases) }
    };
    let late = queue(QueueView::Late).await;
    assert_eq!(late.len(), 3, "{late:?}");
    assert!(!late.contains(&paused.id) && late.contains(&paused_late.id) && late.contains(&running.id));
    assert!(queue(QueueView::AtRisk).await.is_empty());
    let all = queue(QueueView::All).await;
    assert_eq!(all.len(), 4);
    assert!(all[..2].contains(&late_vraag.id) && all[..2].contains(&paused_late.id), "the nearest deadline first");

    let from: jiff::Timestamp = "2026-03-01T23:00:00Z".parse().unwrap();
    let to: jiff::Timestamp = "2026-04-01T22:00:00Z".parse().unwrap();
    let h = jiff::SignedDuration::from_hours(48);
    let scan = app.compliance_from(&who, from, to, GroupBy::NormCategory, h, Source::Scan).await.unwrap();
    let rolled = app.compliance_from(&who, from, to, GroupBy::NormCategory, h, Source::Rollup).await.unwrap();
    assert_eq!(serde_json::to_value(&scan).unwrap(), serde_json::to_value(&rolled).unwrap());
    let service = scan.groups.iter().find(|g| g.key == "inhoudelijke_reactie").expect("a service-norm group");
    assert_eq!((service.counts.late, service.counts.open), (3, 1), "{:?}", service.counts);
}

pub async fn compliance_from_rollups_equals_a_plain_scan(db: &TestDb) {
    use gastvrij_app::norms::{GroupBy, Source};
    use gastvrij_app::ports::NormFilter;
    use gastvrij_domain::customer::{CustomerInput, Segment};
    let (app, clock) = app(db);
    let who = operator();
    let teams = [
        app.create_team(&who, team("Meldingen")).await.unwrap(),
        app.create_team(&who, team("Klachten")).await.unwrap(),
    ];
    // Customers of three segments (the first counts: a farm that is also a company is an
    // agrariër), and cases without a customer ("geen").
    let customer = |segments: Vec<Segment>| {
        let (app, who) = (app.clone(), who.clone());
        async move { app.create_customer(&who, CustomerInput { segments, ..Default::default() }).await.unwrap().id }
    };
    let customers = [
        Some(customer(vec![Segment::Agrarier, Segment::Bedrijf]).await),
        Some(customer(vec![Segment::Inwoner]).await),
        Some(customer(vec![]).await),
        None,
    ];
    let mut ids = vec![];
    // Three weeks of cases and calls: some closed in time, some late, some open.
    for day in 0..15 {
        for (i, case_type) in [CaseType::Vraag, CaseType::Klacht, CaseType::Melding].into_iter().enumerate() {
            let contact = app
                .create_contact(
                    &who,
                    ContactInput {
                        waiting_seconds: Some((day * 7 + i as u32 * 11) % 60),
                        ..phone_contact(vec![question("Vraag", None)])
                    },
                )
                .await
                .unwrap();
            let mut input = case_input(teams[(day as usize + i) % 2].id, case_type);
            input.contact_id = Some(contact.id);
            input.customer_id = customers[(day as usize * 3 + i) % customers.len()];
            ids.push((app.create_case(&who, input).await.unwrap().id, day));
        }
        clock.advance_secs(if day % 5 == 4 { 3 * 86_400 } else { 86_400 });
    }
    // A klacht is heard and closed with its outcome in writing (Awb 9:10, 9:12); others by status.
    let close = |id| {
        let (app, who) = (app.clone(), who.clone());
        async move {
            if app.case(&who, id).await.unwrap().case_type == CaseType::Klacht {
                crate::stories::heard(&app, id).await;
                app.close_case(&who, id, CaseResult::Ongegrond, "Geen fout gevonden.", "").await.unwrap();
            } else {
                app.change_case_status(&who, id, CaseStatus::Afgehandeld, None).await.unwrap();
            }
        }
    };
    for (n, (id, day)) in ids.iter().enumerate() {
        if n % 3 != 2 && *day < 12 {
            app.change_case_status(&who, *id, CaseStatus::InBehandeling, None).await.unwrap();
            close(*id).await;
        }
    }
    let from: jiff::Timestamp = "2026-03-01T23:00:00Z".parse().unwrap();
    let to: jiff::Timestamp = "2026-04-30T22:00:00Z".parse().unwrap();
    let h = jiff::SignedDuration::from_hours(48);
    let all_groupings = [
        GroupBy::None,
        GroupBy::Team,
        GroupBy::CaseType,
        GroupBy::Channel,
        GroupBy::NormCategory,
        GroupBy::Topic,
        GroupBy::Segment,
    ];
    for group_by in all_groupings {
        let scan = app.compliance_from(&who, from, to, group_by, h, Source::Scan).await.unwrap();
        let rolled = app.compliance_from(&who, from, to, group_by, h, Source::Rollup).await.unwrap();
        assert_eq!(serde_json::to_value(&scan).unwrap(), serde_json::to_value(&rolled).unwrap(), "{group_by:?}");
        assert!(!scan.groups.is_empty());
    }
    // Sliced by segment: the first segment of each case's customer, "geen" without one.
    let both = |group_by, filter: NormFilter| {
        let (app, who) = (app.clone(), who.clone());
        async move {
            let scan = app.compliance_filtered_from(&who, from, to, group_by, h, Source::Scan, &filter).await.unwrap();
            let rolled =
                app.compliance_filtered_from(&who, from, to, group_by, h, Source::Rollup, &filter).await.unwrap();
            assert_eq!(
                serde_json::to_value(&scan).unwrap(),
                serde_json::to_value(&rolled).unwrap(),
                "{group_by:?} {filter:?}"
            );
            scan
        }
    };
    let by_segment = both(GroupBy::Segment, NormFilter::default()).await;
    let keys: Vec<(&str, &str)> = by_segment.groups.iter().map(|g| (g.key.as_str(), g.label.as_str())).collect();
    assert_eq!(keys, vec![("agrariër", "agrariër"), ("geen", "Onbekend"), ("inwoner", "inwoner")]);
    let in_scope = |r: &gastvrij_app::norms::ComplianceReport| r.groups.iter().map(|g| g.counts.in_scope).sum::<u64>();
    // Calls have no segment; each of the 45 cases counts its measurements (a melding has no
    // acknowledgement deadline).
    assert_eq!(in_scope(&by_segment), 45 + 45 - 15);
    // A segment filter, alone and with another filter, narrows both sources alike.
    for segment in [Segment::Agrarier, Segment::Inwoner, Segment::Overheid] {
        for filter in [
            NormFilter { segment: Some(segment), ..Default::default() },
            NormFilter { segment: Some(segment), team: Some(teams[1].id), ..Default::default() },
            NormFilter { segment: Some(segment), channel: Some(Channel::Telefoon), ..Default::default() },
        ] {
            for group_by in [GroupBy::NormCategory, GroupBy::Segment, GroupBy::Team] {
                let r = both(group_by, filter).await;
                assert!(r.groups.iter().all(|g| g.key != "bereikbaarheid"), "calls have no segment");
                if group_by == GroupBy::Segment {
                    let keys: Vec<&str> = r.groups.iter().map(|g| g.key.as_str()).collect();
                    // The farm's cases all went to the first team, the inwoner's to the second.
                    let present =
                        !matches!((segment, filter.team), (Segment::Overheid, _) | (Segment::Agrarier, Some(_)));
                    assert_eq!(keys, if present { vec![segment.code()] } else { vec![] }, "{filter:?}");
                }
            }
        }
    }
    let agrarier =
        |r: &gastvrij_app::norms::ComplianceReport| r.groups.iter().find(|g| g.key == "agrariër").map(|g| g.counts);
    let farm_counts = agrarier(&by_segment).expect("the farm's cases");
    // Changing the customer's segments moves its cases, in both sources.
    app.set_customer_segments(&who, customers[0].unwrap(), vec![Segment::Overheid, Segment::Agrarier]).await.unwrap();
    let moved = both(GroupBy::Segment, NormFilter::default()).await;
    assert_eq!(agrarier(&moved), None);
    let overheid = moved.groups.iter().find(|g| g.key == "overheid").expect("now overheid");
    assert_eq!(overheid.counts, farm_counts);
    // A later change reaches the roll-up too.
    let (last, _) = ids[ids.len() - 1];
    close(last).await;
    let scan = app.compliance_from(&who, from, to, GroupBy::None, h, Source::Scan).await.unwrap();
    let rolled = app.compliance_from(&who, from, to, GroupBy::None, h, Source::Rollup).await.unwrap();
    assert_eq!(serde_json::to_value(&scan).unwrap(), serde_json::to_value(&rolled).unwrap());
    let total = &scan.groups[0];
    assert!(total.counts.within_norm > 0 && total.counts.late > 0, "{total:?}");
}

/// One read serves a report per part (the norm dashboard's channels, a journey map's topics):
/// each part's report equals the report filtered to that part, from the roll-ups and from a plain
/// scan, for every grouping; the report beside the parts equals the unparted one.
pub async fn a_report_per_part_equals_the_report_filtered_to_that_part(db: &TestDb) {
    use gastvrij_app::norms::{ComplianceReport, GroupBy, Source};
    use gastvrij_app::ports::NormFilter;
    use gastvrij_domain::customer::{CustomerInput, Segment};
    use gastvrij_domain::topic::TopicInput;
    use std::collections::BTreeMap;
    let (app, clock) = app(db);
    let who = operator();
    let teams = [
        app.create_team(&who, team("Meldingen")).await.unwrap(),
        app.create_team(&who, team("Heffingen")).await.unwrap(),
    ];
    let topic = |name: &str| {
        let (app, who) = (app.clone(), who.clone());
        let input = TopicInput { name: name.into(), parent_id: None, team_id: None };
        async move { app.create_topic(&who, input).await.unwrap().id }
    };
    let topics = [Some(topic("Wateroverlast").await), Some(topic("Aanslag").await), None];
    let farm = CustomerInput { segments: vec![Segment::Agrarier], ..Default::default() };
    let customers = [Some(app.create_customer(&who, farm).await.unwrap().id), None];
    let channels = [Some(Channel::Telefoon), Some(Channel::Email), Some(Channel::Brief), None];
    let mut ids = vec![];
    for day in 0..16u32 {
        for (i, case_type) in [CaseType::Vraag, CaseType::Klacht, CaseType::Melding].into_iter().enumerate() {
            let n = day as usize * 3 + i;
            let mut input = case_input(teams[n % 2].id, case_type);
            input.topic_id = topics[n % 3];
            input.customer_id = customers[n % 2];
            if let Some(channel) = channels[n % 4] {
                let waiting_seconds = (channel == Channel::Telefoon).then_some((day * 13) % 50);
                let contact = ContactInput { channel, waiting_seconds, ..phone_contact(vec![question("Vraag", None)]) };
                input.contact_id = Some(app.create_contact(&who, contact).await.unwrap().id);
            }
            ids.push((app.create_case(&who, input).await.unwrap().id, n));
        }
        clock.advance_secs(if day % 5 == 4 { 3 * 86_400 } else { 86_400 });
    }
    // Some closed in time, some late (picked up late), some open: late, at risk and not yet due.
    for (id, n) in &ids {
        if n % 4 == 3 {
            continue;
        }
        app.change_case_status(&who, *id, CaseStatus::InBehandeling, None).await.unwrap();
        if n % 5 != 0 && app.case(&who, *id).await.unwrap().case_type != CaseType::Klacht {
            app.change_case_status(&who, *id, CaseStatus::Afgehandeld, None).await.unwrap();
        }
    }
    let from: jiff::Timestamp = "2026-03-01T23:00:00Z".parse().unwrap();
    let to: jiff::Timestamp = "2026-04-30T22:00:00Z".parse().unwrap();
    let h = jiff::SignedDuration::from_hours(48);
    let json = |r: &ComplianceReport| serde_json::to_value(r).unwrap();
    let groupings = [
        GroupBy::None,
        GroupBy::Team,
        GroupBy::Topic,
        GroupBy::Channel,
        GroupBy::CaseType,
        GroupBy::NormCategory,
        GroupBy::Segment,
    ];
    let mut parts_seen = 0;
    for base in [NormFilter::default(), NormFilter { team: Some(teams[0].id), ..Default::default() }] {
        for part in [GroupBy::Channel, GroupBy::Topic, GroupBy::Team, GroupBy::Segment] {
            for (group_by, weeks) in groupings.into_iter().flat_map(|g| [(g, true), (g, false)]) {
                // Without weeks: the same report with no weekly figures.
                let json = |r: &ComplianceReport| {
                    let mut v = json(r);
                    if !weeks {
                        for g in v["groups"].as_array_mut().unwrap() {
                            g["weekly"] = serde_json::json!([]);
                        }
                    }
                    v
                };
                let parted = app.compliance_by_part(&who, from, to, group_by, part, h, &base, weeks).await.unwrap();
                let whole =
                    app.compliance_filtered_from(&who, from, to, group_by, h, Source::Rollup, &base).await.unwrap();
                assert_eq!(json(&parted.all), json(&whole), "{group_by:?} by {part:?} in {base:?}");
                if !weeks {
                    assert!(parted.all.groups.iter().all(|g| g.weekly.is_empty()));
                }
                // Per norm category the parts add up to the whole, "geen" included; calls count
                // in a part only when the parts are channels.
                if group_by == GroupBy::NormCategory {
                    let mut sums: BTreeMap<String, gastvrij_app::norms::Counts> = BTreeMap::new();
                    for g in parted.parts.values().flat_map(|r| &r.groups) {
                        sums.entry(g.key.clone()).or_default().merge(g.counts);
                    }
                    let whole: BTreeMap<String, gastvrij_app::norms::Counts> = parted
                        .all
                        .groups
                        .iter()
                        .filter(|g| part == GroupBy::Channel || g.key != "bereikbaarheid")
                        .map(|g| (g.key.clone(), g.counts))
                        .collect();
                    assert_eq!(sums, whole, "parts by {part:?} in {base:?}");
                }
                for (key, report) in &parted.parts {
                    // A part without a key ("geen") has no filter to compare with.
                    let filter = match part {
                        GroupBy::Channel => Channel::ALL
                            .iter()
                            .find(|c| c.code() == key)
                            .map(|c| NormFilter { channel: Some(*c), ..base }),
                        GroupBy::Topic => key.parse().ok().map(|t| NormFilter { topic: Some(t), ..base }),
                        GroupBy::Team => key.parse().ok().map(|t| NormFilter { team: Some(t), ..base }),
                        _ => Segment::ALL
                            .iter()
                            .find(|s| s.code() == key)
                            .map(|s| NormFilter { segment: Some(*s), ..base }),
                    };
                    let Some(filter) = filter else {
                        assert_eq!(key, "geen", "{part:?}");
                        continue;
                    };
                    for source in [Source::Rollup, Source::Scan] {
                        let filtered =
                            app.compliance_filtered_from(&who, from, to, group_by, h, source, &filter).await.unwrap();
                        assert_eq!(json(report), json(&filtered), "{group_by:?}, part {key} of {part:?}, {source:?}");
                    }
                    parts_seen += 1;
                }
                // A part with nothing in it is absent, and its filtered report is empty.
                if part == GroupBy::Channel && base.team.is_none() {
                    assert!(parted.parts.contains_key("telefoon") && parted.parts.contains_key("geen"), "{group_by:?}");
                    let chat = NormFilter { channel: Some(Channel::Chat), ..base };
                    let empty = app.compliance_filtered_from(&who, from, to, group_by, h, Source::Rollup, &chat);
                    assert!(!parted.parts.contains_key("chat") && empty.await.unwrap().groups.is_empty());
                }
            }
        }
    }
    assert!(parts_seen > 160, "{parts_seen}");
    // A journey map's read over a long period (on SQLite another query plan): the same figures.
    let (year_from, year_to): (jiff::Timestamp, jiff::Timestamp) =
        ("2025-11-30T23:00:00Z".parse().unwrap(), "2026-11-30T23:00:00Z".parse().unwrap());
    let none = NormFilter::default();
    let year = app.compliance_by_part(&who, year_from, year_to, GroupBy::Channel, GroupBy::Topic, h, &none, false);
    let year = year.await.unwrap();
    let no_weeks = |r: &ComplianceReport| {
        let mut v = json(r);
        for g in v["groups"].as_array_mut().unwrap() {
            g["weekly"] = serde_json::json!([]);
        }
        v
    };
    let whole = app.compliance_filtered_from(&who, year_from, year_to, GroupBy::Channel, h, Source::Scan, &none);
    assert_eq!(json(&year.all), no_weeks(&whole.await.unwrap()));
    assert_eq!(year.parts.len(), 3, "two topics and none");
    for (key, report) in year.parts.iter().filter(|(k, _)| *k != "geen") {
        let filter = NormFilter { topic: Some(key.parse().unwrap()), ..none };
        let filtered =
            app.compliance_filtered_from(&who, year_from, year_to, GroupBy::Channel, h, Source::Scan, &filter);
        assert_eq!(json(report), no_weeks(&filtered.await.unwrap()), "topic {key} over a year");
    }
    // Calls count in the telephone part and nowhere else.
    let none = NormFilter::default();
    let by_channel = app.compliance_by_part(&who, from, to, GroupBy::NormCategory, GroupBy::Channel, h, &none, true);
    let by_channel = by_channel.await.unwrap();
    let reachable = |r: &ComplianceReport| r.groups.iter().any(|g| g.key == "bereikbaarheid");
    assert!(reachable(&by_channel.all) && reachable(&by_channel.parts["telefoon"]));
    assert!(!reachable(&by_channel.parts["email"]) && !reachable(&by_channel.parts["geen"]));
    // A norm category or case type is no part (no filter selects it): refused.
    for part in [GroupBy::NormCategory, GroupBy::CaseType] {
        let refused = app.compliance_by_part(&who, from, to, GroupBy::None, part, h, &none, true).await;
        assert!(matches!(refused, Err(gastvrij_app::AppError::Invalid(ref i)) if i.field == "part"), "{part:?}");
    }
    // Not whole days: refused, nothing guessed.
    let half = from + jiff::SignedDuration::from_hours(12);
    let refused = app.compliance_by_part(&who, half, to, GroupBy::None, GroupBy::Channel, h, &none, true).await;
    assert!(matches!(refused, Err(gastvrij_app::AppError::Invalid(_))));
}

/// The one timing row of the case of `case_type` received around the test clock.
async fn timing_of(app: &gastvrij_app::App, case_type: CaseType) -> gastvrij_app::ports::CaseTimingRow {
    let day = jiff::SignedDuration::from_hours(24);
    let rows = app
        .store()
        .case_timings(app.now() - 30 * day, app.now() + day, gastvrij_app::ports::CaseScope::All)
        .await
        .unwrap();
    let mut found: Vec<_> = rows.into_iter().filter(|r| r.case_type == case_type).collect();
    assert_eq!(found.len(), 1, "one {case_type:?} case");
    found.remove(0)
}

pub async fn case_timing_facts_follow_creation_status_changes_and_contacts(db: &TestDb) {
    use gastvrij_app::norms::{GroupBy, Source};
    let (app, clock) = app(db);
    let who = operator();
    let t = app.create_team(&who, team("Klachten")).await.unwrap();
    let mail = ContactInput {
        channel: Channel::Email,
        waiting_seconds: None,
        ..phone_contact(vec![question("Klacht", None)])
    };
    let mail = app.create_contact(&who, mail).await.unwrap();
    let mut input = case_input(t.id, CaseType::Klacht);
    input.contact_id = Some(mail.id);
    let complaint = app.create_case(&who, input).await.unwrap();
    let enquiry = app.create_case(&who, case_input(t.id, CaseType::Vraag)).await.unwrap();
    app.create_case(&who, case_input(t.id, CaseType::Bezwaar)).await.unwrap();

    // On creation: the contact's channel, no action yet; a case without a contact has no channel.
    let row = timing_of(&app, CaseType::Klacht).await;
    assert_eq!((row.channel, row.first_action_at), (Some(Channel::Email), None));
    let row = timing_of(&app, CaseType::Vraag).await;
    assert_eq!((row.channel, row.first_action_at), (None, None));

    // The first status change after receipt is the first action; later ones do not move it.
    clock.advance_secs(2 * 3600);
    let picked_up = app.now();
    app.change_case_status(&who, complaint.id, CaseStatus::InBehandeling, None).await.unwrap();
    assert_eq!(timing_of(&app, CaseType::Klacht).await.first_action_at, Some(picked_up));
    clock.advance_secs(3600);
    app.change_case_status(&who, complaint.id, CaseStatus::Opgeschort, Some("wacht op klant")).await.unwrap();
    let row = timing_of(&app, CaseType::Klacht).await;
    assert_eq!((row.channel, row.first_action_at), (Some(Channel::Email), Some(picked_up)));

    // Batches (the demo's path) carry both facts too.
    let now = app.now();
    let chat =
        ContactInput { channel: Channel::Chat, waiting_seconds: None, ..phone_contact(vec![question("Sloot", None)]) };
    let chat = gastvrij_domain::contact::Contact::create(chat, now).unwrap();
    let mut input = case_input(t.id, CaseType::Melding);
    input.contact_id = Some(chat.id);
    let mut report = gastvrij_domain::case::Case::create(input, None, now).unwrap();
    report.reference = "WS-2026-000050".into();
    let norm = app.settings().norms.for_case_type(CaseType::Melding).unwrap().clone();
    let calendar = app.settings().calendars.get("termijnenwet").unwrap().clone();
    report.recompute_deadlines(&norm, &calendar, None, "aangemaakt", now).unwrap();
    let acted = now + jiff::SignedDuration::from_mins(10);
    report.change_status(CaseStatus::InBehandeling, None, None, acted).unwrap();
    report.change_status(CaseStatus::Afgehandeld, None, None, now + jiff::SignedDuration::from_hours(1)).unwrap();
    let batch = Batch { contacts: vec![chat.clone()], cases: vec![report], ..Default::default() };
    app.store().insert_batch(&batch, &Change::new(Actor::System, now, "demo.seeded", "batch", "1 case")).await.unwrap();
    let row = timing_of(&app, CaseType::Melding).await;
    assert_eq!((row.channel, row.first_action_at), (Some(Channel::Chat), Some(acted)));

    // Scan and roll-ups agree with open cases present, and after a contact changes channel.
    let from: jiff::Timestamp = "2026-03-01T23:00:00Z".parse().unwrap();
    let to: jiff::Timestamp = "2026-04-30T22:00:00Z".parse().unwrap();
    let h = jiff::SignedDuration::from_hours(48);
    let agree = |group_by| {
        let app = &app;
        let who = &who;
        async move {
            let scan = app.compliance_from(who, from, to, group_by, h, Source::Scan).await.unwrap();
            let rolled = app.compliance_from(who, from, to, group_by, h, Source::Rollup).await.unwrap();
            assert_eq!(serde_json::to_value(&scan).unwrap(), serde_json::to_value(&rolled).unwrap(), "{group_by:?}");
            scan
        }
    };
    for group_by in
        [GroupBy::None, GroupBy::Team, GroupBy::CaseType, GroupBy::Channel, GroupBy::NormCategory, GroupBy::Topic]
    {
        agree(group_by).await;
    }
    let total = agree(GroupBy::None).await.groups[0].counts;
    assert!(total.open > 0 && total.at_risk > 0 && total.within_norm > 0, "{total:?}");
    let (mut moved, version) = app.store().contact(chat.id).await.unwrap().unwrap();
    moved.channel = Channel::Brief;
    let change = Change::new(Actor::System, app.now(), "contact.test", chat.id, "");
    app.store().update_contact(&moved, version, &change).await.unwrap();
    assert_eq!(timing_of(&app, CaseType::Melding).await.channel, Some(Channel::Brief));
    let by_channel = agree(GroupBy::Channel).await;
    let keys: Vec<&str> = by_channel.groups.iter().map(|g| g.key.as_str()).collect();
    assert_eq!(keys, vec!["brief", "email", "geen"], "the closed case moved to its contact's new channel");

    // Two months on: open cases past their deadlines (one picked up late, one never, past its
    // legal deadline) still agree.
    clock.advance_secs(60 * 86_400);
    app.change_case_status(&who, enquiry.id, CaseStatus::InBehandeling, None).await.unwrap();
    for group_by in [GroupBy::None, GroupBy::Team, GroupBy::CaseType, GroupBy::Channel, GroupBy::NormCategory] {
        agree(group_by).await;
    }
    let total = agree(GroupBy::None).await.groups[0].clone();
    assert!(total.counts.late >= 3 && total.legal_late > 0, "{total:?}");
}
