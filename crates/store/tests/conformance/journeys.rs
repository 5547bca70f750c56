//! Stories of customer journeys (issue 15) on every backend: a journey and its touchpoints are
//! stored in order and changed in one transaction (a stale or wrong change writes nothing), and
//! the journey map counts the contacts, cases, survey answers, norm and waiting time of each
//! touchpoint from the same tables on both databases.

use crate::harness::{TestDb, app, operator, texts};
use crate::portal::{Citizen, melding_from, team_and_topic};
use crate::stories::case_input;
use gastvrij_app::journeys::JourneyEdit;
use gastvrij_app::{AppError, Principal};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::{CaseInput, CaseStatus, CaseType};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::customer::Segment;
use gastvrij_domain::ids::{EmployeeId, TopicId};
use gastvrij_domain::journey::{JourneyInput, Move, Pain, TouchpointInput};
use gastvrij_domain::portal::SurveyAnswer;
use gastvrij_domain::team::Role;

crate::stories!(
    journeys:
    a_journey_is_kept_in_order_and_each_change_is_whole_or_nothing,
    the_map_measures_each_touchpoint_and_calls_out_a_moment_of_truth_below_target,
);

fn step(name: &str, topics: Vec<TopicId>, channels: Vec<Channel>, statuses: Vec<CaseStatus>) -> TouchpointInput {
    TouchpointInput {
        name: name.into(),
        expectation: format!("Verwachting bij {name}"),
        topics,
        channels,
        statuses,
        ..Default::default()
    }
}

fn head(name: &str) -> JourneyInput {
    JourneyInput { name: name.into(), segment: Some(Segment::Inwoner), process: "Melding".into() }
}

pub async fn a_journey_is_kept_in_order_and_each_change_is_whole_or_nothing(db: &TestDb) {
    let (app, _clock) = app(db);
    let editor = Principal::employee(EmployeeId::new(), vec![Role::Redacteur]);
    let agent = Principal::employee(EmployeeId::new(), vec![Role::Kcc]);
    let (_, topic) = team_and_topic(&app, "Wateroverlast").await;
    let steps = vec![
        step("Melden", vec![topic], vec![Channel::Webformulier], vec![]),
        step("Bevestiging", vec![], vec![], vec![CaseStatus::Ontvangen]),
        step("Oplossing", vec![topic], vec![], vec![CaseStatus::Afgehandeld]),
    ];
    let refused = app.create_journey(&agent, head("Inwoner meldt wateroverlast"), steps.clone()).await;
    assert!(matches!(refused, Err(AppError::Forbidden(_))), "a KCC agent does not define journeys");
    let j = app.create_journey(&editor, head("Inwoner meldt wateroverlast"), steps).await.unwrap();
    let (stored, version) = app.journey(&agent, j.id).await.unwrap();
    assert_eq!((stored.clone(), version), (j.clone(), 1), "everyone reads it back exactly");
    assert_eq!(stored.touchpoints[0].topics, [topic]);
    assert_eq!(stored.touchpoints[0].channels, [Channel::Webformulier]);

    // A wrong touchpoint (an unknown topic) in a new journey stores no part of it.
    let unknown = step("X", vec![TopicId::new()], vec![], vec![]);
    let e = app.create_journey(&editor, head("Kapot"), vec![unknown]).await.unwrap_err();
    assert!(matches!(&e, AppError::Invalid(i) if i.path() == "touchpoints[0].topics"), "{e:?}");
    assert_eq!(app.journeys(&agent).await.unwrap().len(), 1);

    // Move, change and remove; each raises the version by one and is audited.
    app.edit_journey(&editor, j.id, 1, JourneyEdit::Move(2, Move::Up)).await.unwrap();
    let (moved, version) = app.journey(&agent, j.id).await.unwrap();
    let names: Vec<&str> = moved.touchpoints.iter().map(|t| t.name.as_str()).collect();
    assert_eq!((names, version), (vec!["Melden", "Oplossing", "Bevestiging"], 2));
    let stale = app.edit_journey(&editor, j.id, 1, JourneyEdit::Remove(0)).await;
    assert!(matches!(stale, Err(AppError::Conflict(_))), "a change made on version 1 is refused: {stale:?}");
    let wrong =
        app.edit_journey(&editor, j.id, 2, JourneyEdit::Replace(1, step("Melden", vec![topic], vec![], vec![])));
    assert!(matches!(wrong.await, Err(AppError::Invalid(i)) if i.field == "name"), "a name taken by another step");
    assert_eq!(app.journey(&agent, j.id).await.unwrap(), (moved, 2), "nothing of the refused changes was written");
    app.edit_journey(&editor, j.id, 2, JourneyEdit::Remove(2)).await.unwrap();
    let head2 = JourneyInput { segment: Some(Segment::Agrarier), ..head("Agrariër meldt wateroverlast") };
    app.edit_journey(&editor, j.id, 3, JourneyEdit::Head(head2)).await.unwrap();
    let (last, version) = app.journey(&agent, j.id).await.unwrap();
    assert_eq!((last.segment, last.touchpoints.len(), version), (Segment::Agrarier, 2, 4));
    let rows = texts(&db.location, "SELECT name FROM journey_touchpoints ORDER BY position").await;
    assert_eq!(rows, [Some("Melden".into()), Some("Oplossing".into())], "the removed row is gone");
    let audit = texts(&db.location, "SELECT action FROM audit_log WHERE action LIKE 'journey.%' ORDER BY seq").await;
    let audit: Vec<String> = audit.into_iter().flatten().collect();
    assert_eq!(audit, ["journey.created", "journey.touchpoint_moved", "journey.touchpoint_removed", "journey.updated"]);
    let refused = app.edit_journey(&agent, j.id, 4, JourneyEdit::Remove(0)).await;
    assert!(matches!(refused, Err(AppError::Forbidden(_))));
}

/// Six meldingen about wateroverlast on the web form, each picked up two hours after receipt and
/// then closed (meldingen built by hand, without deadlines); five answered the survey with grades 6, 6, 7, 7 and 8 (average 6.8, below 7.5).
pub async fn the_map_measures_each_touchpoint_and_calls_out_a_moment_of_truth_below_target(db: &TestDb) {
    let (app, clock) = app(db);
    let op = operator();
    let store = app.store();
    let team_topic = team_and_topic(&app, "Wateroverlast").await;
    let (_, other) = team_and_topic(&app, "Vergunningen").await;
    let day = app.today().await.unwrap();
    let grades = [6, 6, 7, 7, 8];
    for i in 0..6 {
        let from = Citizen { customer: None, name: "Jan de Vries", email: "jan@example.nl" };
        let new = melding_from(&app, team_topic, from, "Water in de kelder", &format!("{i:048x}")).await;
        let received =
            Change::new(Actor::Public, new.submission.created_at, "submission.received", new.submission.id, "");
        store.insert_submission(&new, &received).await.unwrap();
        clock.advance_secs(2 * 3600);
        app.change_case_status(&op, new.case.id, CaseStatus::InBehandeling, None).await.unwrap();
        app.change_case_status(&op, new.case.id, CaseStatus::Afgehandeld, None).await.unwrap();
        if let Some(grade) = grades.get(i) {
            let answer = SurveyAnswer {
                submission_id: new.submission.id,
                grade: *grade,
                solved: true,
                effort: 2,
                comment: None,
                reopen_requested: false,
                answered_at: app.now(),
            };
            let change = Change::new(Actor::Public, app.now(), "survey.answered", new.submission.id, "");
            store.insert_survey_answer(&answer, &change, None).await.unwrap();
        }
        clock.advance_secs(-2 * 3600);
    }
    // Four questions by phone made cases by hand (so with deadlines): three picked up and closed
    // two hours later, one still open.
    for i in 0..4 {
        let input = CaseInput { topic_id: Some(team_topic.1), ..case_input(team_topic.0, CaseType::Vraag) };
        let case = app.create_case(&op, input).await.unwrap();
        if i < 3 {
            clock.advance_secs(2 * 3600);
            app.change_case_status(&op, case.id, CaseStatus::InBehandeling, None).await.unwrap();
            app.change_case_status(&op, case.id, CaseStatus::Afgehandeld, None).await.unwrap();
            clock.advance_secs(-2 * 3600);
        }
    }
    let mut melden = step("Melden", vec![team_topic.1], vec![Channel::Webformulier], vec![]);
    melden.moment_of_truth = true;
    let steps = vec![
        melden,
        step("Bellen", vec![], vec![Channel::Telefoon], vec![]),
        step("Nog open", vec![team_topic.1], vec![], vec![CaseStatus::Ontvangen]),
        step("Vergunning", vec![other], vec![], vec![]),
    ];
    let j = app.create_journey(&op, head("Inwoner meldt wateroverlast"), steps).await.unwrap();
    let agent = Principal::employee(EmployeeId::new(), vec![Role::Kcc]);
    let map = app.journey_map(&agent, j.id, Some(day), Some(day.tomorrow().unwrap())).await.unwrap();
    assert_eq!((map.from, map.to), (day, day.tomorrow().unwrap()));
    assert_eq!((map.targets.satisfaction_grade, map.targets.wait_hours), (7.5, 48.0));

    let m = &map.figures[0];
    assert_eq!((m.contacts, m.cases), (6, 6));
    assert_eq!((m.survey_answers, m.satisfaction), (5, Some(6.8)));
    assert_eq!((m.waits, m.median_wait_hours), (6, Some(2.0)));
    // The norm counts by topic: the three closed questions, acknowledged and answered in time (the
    // hand-built meldingen carry no deadlines; the open question is not due yet).
    assert_eq!((m.norm_measurements, m.percent_within), (6, Some(100.0)), "{m:?}");
    assert_eq!(m.pains, [Pain::LowSatisfaction]);
    assert!(m.moment_of_truth_below_target);

    let phone = &map.figures[1];
    assert_eq!((phone.contacts, phone.cases, phone.survey_answers, phone.waits), (0, 0, 0, 0));
    assert!(phone.pains.is_empty() && !phone.moment_of_truth_below_target);
    let open = &map.figures[2];
    assert_eq!((open.contacts, open.cases), (6, 1), "statuses narrow the cases only: one is still open");
    assert_eq!(map.figures[3].cases, 0, "another topic counts nothing of these");

    // The day before holds nothing; a period the wrong way round is refused.
    let before = app.journey_map(&agent, j.id, Some(day.yesterday().unwrap()), Some(day)).await.unwrap();
    assert_eq!((before.figures[0].cases, before.figures[0].survey_answers), (0, 0));
    let wrong = app.journey_map(&agent, j.id, Some(day), Some(day)).await;
    assert!(matches!(wrong, Err(AppError::Invalid(i)) if i.field == "to"));
}
