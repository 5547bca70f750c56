//! The roll-ups behind the monitor pages (issue 15): the contact figures' hourly roll-ups and the
//! journey map's daily roll-ups give exactly what a plain GROUP BY over the raw tables gives,
//! after new contacts, questions, consultations, cases and survey answers, after changes (a
//! contact closed, a case picked up and moved to another team, a consultation answered), and
//! when two nodes refresh at once.

use crate::harness::{TestClock, TestDb, app, operator};
use crate::portal::{Citizen, melding_from, team_and_topic};
use crate::stories::case_input;
use gastvrij_app::cases::Assignment;
use gastvrij_app::contact_figures::ContactFiguresQuery;
use gastvrij_app::norms::Source;
use gastvrij_app::ports::{TouchpointQuery, wait_bucket};
use gastvrij_app::workspace::{HandoverInput, QuestionOutcome, RecordQuestion};
use gastvrij_app::{App, Settings};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::{CaseInput, CaseStatus, CaseType};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{ContactInput, QuestionInput};
use gastvrij_domain::ids::TopicId;
use gastvrij_domain::portal::SurveyAnswer;
use gastvrij_domain::team::{EmployeeInput, TeamInput};
use gastvrij_store::{Database, OpenMode};
use std::sync::Arc;

crate::stories!(
    monitor_rollups:
    contact_rollups_equal_the_plain_group_by_after_every_change,
    journey_rollups_equal_the_plain_reads_after_every_change,
    two_nodes_refreshing_the_monitor_roll_ups_at_once_count_everything_once,
    migration_38_gives_contacts_their_agents_team_and_recomputes_their_hours,
);

fn record(text: &str, topic: Option<TopicId>, outcome: QuestionOutcome) -> RecordQuestion {
    RecordQuestion { input: QuestionInput { text: text.into(), topic_id: topic, ..Default::default() }, outcome }
}

/// The contact figures from the roll-ups equal those of the plain GROUP BY, for all and per team.
async fn contact_figures_agree(app: &App, teams: &[String]) -> u64 {
    let who = operator();
    let all = ContactFiguresQuery::default();
    let rolled = app.contact_figures_from(&who, &all, Source::Rollup).await.unwrap();
    let scanned = app.contact_figures_from(&who, &all, Source::Scan).await.unwrap();
    assert_eq!(rolled, scanned);
    for team in teams {
        let q = ContactFiguresQuery { team_id: Some(team.clone()), ..Default::default() };
        let rolled = app.contact_figures_from(&who, &q, Source::Rollup).await.unwrap();
        assert_eq!(rolled, app.contact_figures_from(&who, &q, Source::Scan).await.unwrap(), "team {team}");
    }
    rolled.contacts
}

/// Contacts (with questions, a handover, a consultation and a forward) and some changes to them.
struct Scene {
    teams: Vec<String>,
    topic: TopicId,
    open: gastvrij_domain::ids::ContactId,
    handed: gastvrij_domain::ids::CaseId,
    other_team: gastvrij_domain::ids::TeamId,
    agent: gastvrij_domain::ids::EmployeeId,
}

async fn scene(app: &App) -> Scene {
    let who = operator();
    let (team, topic) = team_and_topic(app, "Heffingen").await;
    let other = app.create_team(&who, TeamInput { name: "Meldingen".into(), description: None }).await.unwrap();
    let agent = app
        .create_employee(&who, EmployeeInput { name: "Agent".into(), team_id: Some(other.id), ..Default::default() })
        .await
        .unwrap();
    let one = app
        .create_contact(&who, ContactInput { agent_id: Some(agent.id), ..ContactInput::on(Channel::Telefoon) })
        .await
        .unwrap();
    app.record_question(&who, one.id, record("Aanslag", Some(topic), QuestionOutcome::Answered)).await.unwrap();
    app.close_contact(&who, one.id).await.unwrap();
    let two = app.create_contact(&who, ContactInput::on(Channel::Email)).await.unwrap();
    let hand = QuestionOutcome::HandOver(HandoverInput {
        team_id: team,
        case_type: CaseType::Vraag,
        note: None,
        urgent: false,
    });
    app.record_question(&who, two.id, record("Te hoog", Some(topic), hand)).await.unwrap();
    app.close_contact(&who, two.id).await.unwrap();
    let three = app.create_contact(&who, ContactInput::on(Channel::Telefoon)).await.unwrap();
    let ask = QuestionOutcome::Consult { team, question: "Klopt de WOZ-waarde?".into() };
    app.record_question(&who, three.id, record("WOZ", None, ask)).await.unwrap();
    let four = app
        .create_contact(&who, ContactInput { agent_id: Some(agent.id), ..ContactInput::on(Channel::Telefoon) })
        .await
        .unwrap();
    app.record_question(&who, four.id, record("Openingstijden", Some(topic), QuestionOutcome::Answered)).await.unwrap();
    let handed = app
        .cases(&who, &Default::default())
        .await
        .unwrap()
        .into_iter()
        .find(|c| c.contact_id == Some(two.id))
        .expect("the handover made a case")
        .id;
    Scene {
        teams: vec![team.to_string(), other.id.to_string()],
        topic,
        open: four.id,
        handed,
        other_team: other.id,
        agent: agent.id,
    }
}

pub async fn contact_rollups_equal_the_plain_group_by_after_every_change(db: &TestDb) {
    let (app, clock) = app(db);
    let who = operator();
    let s = scene(&app).await;
    assert_eq!(contact_figures_agree(&app, &s.teams).await, 4, "the four contacts are counted");
    let before = app.contact_figures(&who, &ContactFiguresQuery::default()).await.unwrap();
    assert_eq!((before.closed, before.first_time, before.consults_asked), (2, 1, 1));

    // Closing a contact, answering the consultation, moving the handed-over case to another team.
    app.close_contact(&who, s.open).await.unwrap();
    let consult = app.consultations(&who, &Default::default()).await.unwrap().remove(0);
    app.answer_consultation(&who, consult.id, "Ja.").await.unwrap();
    let to = Assignment { team_id: Some(s.other_team), owner_id: None };
    app.assign_case(&who, s.handed, to).await.unwrap();
    contact_figures_agree(&app, &s.teams).await;
    let after = app.contact_figures(&who, &ContactFiguresQuery::default()).await.unwrap();
    assert_eq!((after.closed, after.first_time, after.consults_answered), (3, 2, 1));
    assert_eq!(after.handovers, vec![(s.other_team.to_string(), 1)], "the handover follows the case's team");

    // An hour later, a contact on another channel: its own hour.
    clock.advance_secs(3600);
    app.create_contact(&who, ContactInput::on(Channel::Balie)).await.unwrap();
    assert_eq!(contact_figures_agree(&app, &s.teams).await, 5);

    // The segment filter: none of these contacts has a customer, so all are "".
    let unknown = ContactFiguresQuery { segment: Some(String::new()), ..Default::default() };
    assert_eq!(app.contact_figures(&who, &unknown).await.unwrap().contacts, 5);
    let inwoner = ContactFiguresQuery { segment: Some("inwoner".into()), ..Default::default() };
    assert_eq!(app.contact_figures(&who, &inwoner).await.unwrap().contacts, 0);
    let wrong = ContactFiguresQuery { segment: Some("marsmannetje".into()), ..Default::default() };
    let e = app.contact_figures(&who, &wrong).await.unwrap_err();
    assert!(matches!(e, gastvrij_app::AppError::Invalid(ref i) if i.field == "segment"), "{e:?}");

    // A customer's segments change: their contacts move to the new segment at once.
    use gastvrij_domain::customer::{CustomerInput, Segment};
    let inwoner_input = CustomerInput { segments: vec![Segment::Inwoner], ..Default::default() };
    let customer = app.create_customer(&who, inwoner_input).await.unwrap();
    clock.advance_secs(2 * 3600);
    let mine = ContactInput { customer_id: Some(customer.id), ..ContactInput::on(Channel::Email) };
    app.create_contact(&who, mine).await.unwrap();
    let farmer = ContactFiguresQuery { segment: Some("agrariër".into()), ..Default::default() };
    let queries = [inwoner, farmer, unknown];
    assert_eq!(segment_counts(&app, &queries).await, vec![1, 0, 5]);
    app.set_customer_segments(&who, customer.id, vec![Segment::Agrarier, Segment::Inwoner]).await.unwrap();
    assert_eq!(segment_counts(&app, &queries).await, vec![0, 1, 5], "the contact follows its customer's first segment");
    // The same first segment: no hour marked, nothing moves.
    app.set_customer_segments(&who, customer.id, vec![Segment::Agrarier]).await.unwrap();
    assert_eq!(app.store().dirty_contact_hours(10).await.unwrap(), vec![], "nothing to recompute");
    assert_eq!(segment_counts(&app, &queries).await, vec![0, 1, 5]);
    contact_figures_agree(&app, &s.teams).await;

    // The agent moves to the first team: their two earlier contacts stay with the team they
    // handled them for, a new one counts for the new team, and the roll-ups agree throughout.
    let per_team = |app: App, teams: Vec<String>| async move {
        let mut counts = vec![];
        for team in teams {
            let q = ContactFiguresQuery { team_id: Some(team), ..Default::default() };
            counts.push(app.contact_figures(&operator(), &q).await.unwrap().contacts);
        }
        counts
    };
    assert_eq!(per_team(app.clone(), s.teams.clone()).await, vec![0, 2]);
    let pending = ContactInput { agent_id: Some(s.agent), ..ContactInput::on(Channel::Telefoon) };
    let pending = app.create_contact(&who, pending).await.unwrap();
    assert_eq!(per_team(app.clone(), s.teams.clone()).await, vec![0, 3]);
    let agent = app.employee(&who, s.agent).await.unwrap();
    let moved =
        EmployeeInput { name: agent.name.clone(), team_id: Some(s.teams[0].parse().unwrap()), ..Default::default() };
    app.update_employee(&who, s.agent, moved).await.unwrap();
    assert_eq!(per_team(app.clone(), s.teams.clone()).await, vec![0, 3], "earlier work stays with its team");
    // Saving a contact from before the move (a question, then closing it) keeps its team.
    app.record_question(&who, pending.id, record("Vraag", Some(s.topic), QuestionOutcome::Answered)).await.unwrap();
    app.close_contact(&who, pending.id).await.unwrap();
    assert_eq!(per_team(app.clone(), s.teams.clone()).await, vec![0, 3]);
    clock.advance_secs(3600);
    let new = ContactInput { agent_id: Some(s.agent), ..ContactInput::on(Channel::Telefoon) };
    app.create_contact(&who, new).await.unwrap();
    assert_eq!(per_team(app.clone(), s.teams.clone()).await, vec![1, 3]);
    contact_figures_agree(&app, &s.teams).await;
}

/// A database from before migration 38, where an employee moved team after their contacts'
/// hours were rolled up: migrating gives the contacts the employee's team and marks their hours,
/// so the roll-ups equal the plain GROUP BY again.
pub async fn migration_38_gives_contacts_their_agents_team_and_recomputes_their_hours(db: &TestDb) {
    let (app, _clock) = app(db);
    let who = operator();
    let s = scene(&app).await;
    contact_figures_agree(&app, &s.teams).await;
    // Back to the schema before 38; then the agent moves in the old way (no marker).
    let sql = format!(
        "DELETE FROM gastvrij_schema WHERE version = 38; \
         ALTER TABLE consultations DROP COLUMN asker_team_id; \
         ALTER TABLE contacts DROP COLUMN team_id; \
         UPDATE employees SET team_id = '{}' WHERE id = '{}';",
        s.teams[0], s.agent
    );
    crate::harness::raw_sql(&db.location, &sql).await;
    let reopened = Database::open(&db.location, OpenMode::MustExist).await.unwrap();
    assert_eq!(reopened.migrate().await.unwrap(), vec![38]);
    // The agent's two contacts now count for the team the agent is in at the upgrade.
    let q = ContactFiguresQuery { team_id: Some(s.teams[0].clone()), ..Default::default() };
    assert_eq!(app.contact_figures(&who, &q).await.unwrap().contacts, 2);
    contact_figures_agree(&app, &s.teams).await;
}

/// Contacts per query, from the roll-ups (the plain GROUP BY has no segment filter).
async fn segment_counts(app: &App, queries: &[ContactFiguresQuery]) -> Vec<u64> {
    let mut counts = vec![];
    for q in queries {
        counts.push(app.contact_figures_from(&operator(), q, Source::Rollup).await.unwrap().contacts);
    }
    counts
}

/// Per touchpoint query, the roll-up equals the plain reads; returns the roll-ups' counts.
async fn journey_figures_agree(app: &App, queries: &[TouchpointQuery]) -> Vec<(u64, u64, u64, u64)> {
    app.refresh_journey_rollups().await.unwrap();
    let day = app.today().await.unwrap();
    let (from_day, to_day) = (day.yesterday().unwrap().to_string(), day.tomorrow().unwrap().to_string());
    let store = app.store();
    let mut out = vec![];
    for q in queries {
        let rolled = store.touchpoint_rollup(q, &from_day, &to_day).await.unwrap();
        let volume = store.touchpoint_volume(q).await.unwrap();
        let survey = store.touchpoint_survey(q).await.unwrap();
        let mut buckets: Vec<(i64, u64, i64)> = vec![];
        for w in store.touchpoint_waits(q).await.unwrap() {
            match buckets.last_mut() {
                Some((b, n, sum)) if *b == wait_bucket(w) => (*n, *sum) = (*n + 1, *sum + w),
                _ => buckets.push((wait_bucket(w), 1, w)),
            }
        }
        assert_eq!(
            (rolled.contacts, rolled.cases, rolled.answers, rolled.grade_sum, &rolled.waits),
            (volume.contacts, volume.cases, survey.answers, survey.grade_sum, &buckets),
            "{q:?}"
        );
        out.push((rolled.contacts, rolled.cases, rolled.answers, rolled.waits.iter().map(|(_, n, _)| n).sum()));
    }
    out
}

pub async fn journey_rollups_equal_the_plain_reads_after_every_change(db: &TestDb) {
    let (app, clock) = app(db);
    let op = operator();
    let store = app.store();
    let s = scene(&app).await;
    let team_topic = team_and_topic(&app, "Wateroverlast").await;
    let mut cases = vec![];
    for i in 0..3 {
        let from = Citizen { customer: None, name: "Jan de Vries", email: "jan@example.nl" };
        let new = melding_from(&app, team_topic, from, "Water in de kelder", &format!("{i:048x}")).await;
        let received =
            Change::new(Actor::Public, new.submission.created_at, "submission.received", new.submission.id, "");
        store.insert_submission(&new, &received).await.unwrap();
        cases.push((new.case.id, new.submission.id));
    }
    let input = CaseInput { topic_id: Some(team_topic.1), ..case_input(team_topic.0, CaseType::Vraag) };
    app.create_case(&op, input).await.unwrap();
    let day = app.today().await.unwrap();
    let calendar = gastvrij_domain::calendar::Calendar::termijnenwet();
    let (from, to) = (
        calendar.start_of_day(day.yesterday().unwrap()).unwrap(),
        calendar.start_of_day(day.tomorrow().unwrap()).unwrap(),
    );
    let q = |topics: Vec<TopicId>, channels: Vec<Channel>, statuses: Vec<CaseStatus>| TouchpointQuery {
        from,
        to,
        topics,
        channels,
        statuses,
    };
    let queries = vec![
        q(vec![team_topic.1], vec![], vec![]),
        q(vec![team_topic.1], vec![Channel::Webformulier], vec![]),
        q(vec![team_topic.1, s.topic], vec![], vec![CaseStatus::Ontvangen]),
        q(vec![s.topic], vec![Channel::Telefoon], vec![]),
        q(vec![], vec![Channel::Telefoon, Channel::Email], vec![]),
        q(vec![], vec![], vec![CaseStatus::Afgehandeld]),
    ];
    let first = journey_figures_agree(&app, &queries).await;
    assert_eq!(first[0].1, 4, "three meldingen and one case on the topic");
    assert_eq!(first[3].0, 2, "two phone contacts with a question on the topic");

    // Picked up after two and a half hours and closed; a survey answer; a contact closed.
    clock.advance_secs(9000);
    for (case, _) in &cases[..2] {
        app.change_case_status(&op, *case, CaseStatus::InBehandeling, None).await.unwrap();
    }
    app.change_case_status(&op, cases[0].0, CaseStatus::Afgehandeld, None).await.unwrap();
    let answer = SurveyAnswer {
        submission_id: cases[0].1,
        grade: 6,
        solved: true,
        effort: 2,
        comment: None,
        reopen_requested: false,
        answered_at: app.now(),
    };
    let change = Change::new(Actor::Public, app.now(), "survey.answered", cases[0].1, "");
    store.insert_survey_answer(&answer, &change, None).await.unwrap();
    app.close_contact(&op, s.open).await.unwrap();
    let after = journey_figures_agree(&app, &queries).await;
    assert_eq!((after[0].2, after[0].3), (1, 2), "one answer, two picked up");
    assert_eq!(after[5].1, 1, "one closed case");

    // The map reads the same roll-ups.
    let steps = vec![gastvrij_domain::journey::TouchpointInput {
        name: "Melden".into(),
        expectation: "Snel geholpen".into(),
        topics: vec![team_topic.1],
        ..Default::default()
    }];
    let head = gastvrij_domain::journey::JourneyInput {
        name: "Wateroverlast".into(),
        segment: Some(gastvrij_domain::customer::Segment::Inwoner),
        process: "Melding".into(),
    };
    let j = app.create_journey(&op, head, steps).await.unwrap();
    let map = app.journey_map(&op, j.id, Some(day), Some(day.tomorrow().unwrap())).await.unwrap();
    let m = &map.figures[0];
    assert_eq!((m.cases, m.survey_answers, m.waits), (4, 1, 2));
    // Both waits are 2.5 hours: the mean of their bucket [2.5, 2.6) hours.
    assert_eq!(m.median_wait_hours, Some(2.5));
}

pub async fn two_nodes_refreshing_the_monitor_roll_ups_at_once_count_everything_once(db: &TestDb) {
    let (a, clock) = app(db);
    let b = second_node(db, &clock).await;
    let s = scene(&a).await;
    for _ in 0..3 {
        let (x, y) = tokio::join!(a.refresh_contact_rollups(), b.refresh_contact_rollups());
        x.unwrap();
        y.unwrap();
        let (x, y) = tokio::join!(a.refresh_journey_rollups(), b.refresh_journey_rollups());
        x.unwrap();
        y.unwrap();
        a.create_contact(&operator(), ContactInput::on(Channel::Telefoon)).await.unwrap();
    }
    assert_eq!(contact_figures_agree(&a, &s.teams).await, 7);
    assert_eq!(contact_figures_agree(&b, &s.teams).await, 7);
    let day = a.today().await.unwrap();
    let calendar = gastvrij_domain::calendar::Calendar::termijnenwet();
    let q = TouchpointQuery {
        from: calendar.start_of_day(day.yesterday().unwrap()).unwrap(),
        to: calendar.start_of_day(day.tomorrow().unwrap()).unwrap(),
        topics: vec![],
        channels: vec![Channel::Telefoon],
        statuses: vec![],
    };
    assert_eq!(journey_figures_agree(&b, std::slice::from_ref(&q)).await[0].0, 6, "three, and three more by phone");
}

/// A second node: its own connection pool on the same database, with the same clock.
async fn second_node(db: &TestDb, clock: &Arc<TestClock>) -> App {
    let other = Database::open(&db.location, OpenMode::MustExist).await.expect("second node opens the database");
    App::new(other.into_store(), clock.clone(), Settings::default())
}
