//! Stories of the employee pulse (issue 15) on every backend: an answer is kept without the
//! employee, once per period, and a team's figures show only from five answers on.

use crate::harness::{TestDb, app, operator, texts};
use gastvrij_app::{App, AppError, Principal};
use gastvrij_domain::pulse::{Cadence, PulseAnswer, PulseFigures};
use gastvrij_domain::team::{Employee, EmployeeInput, Role, Team, TeamInput};

crate::stories!(
    pulse:
    an_answer_is_kept_without_the_employee_once_per_period,
    a_team_under_five_answers_shows_nothing_and_five_show_the_averages,
);

async fn team(app: &App, name: &str) -> Team {
    app.create_team(&operator(), TeamInput { name: name.into(), description: None }).await.unwrap()
}

async fn member(app: &App, username: &str, team: &Team, role: Role) -> (Employee, Principal) {
    let input = EmployeeInput {
        name: username.into(),
        team_id: Some(team.id),
        roles: vec![role],
        username: Some(username.into()),
        active: true,
        ..Default::default()
    };
    let e = app.create_employee(&operator(), input).await.unwrap();
    let who = Principal::employee(e.id, vec![role]);
    (e, who)
}

fn answer(score: u8, comment: Option<&str>) -> PulseAnswer {
    PulseAnswer::parse([Some(score); 5], comment).unwrap()
}

pub async fn an_answer_is_kept_without_the_employee_once_per_period(db: &TestDb) {
    let (app, clock) = app(db);
    let kcc = team(&app, "KCC").await;
    let (anna, who) = member(&app, "anna", &kcc, Role::Kcc).await;
    assert!(!app.pulse_today(&who).await.unwrap().answered);
    let period = app.answer_pulse(&who, answer(4, Some("Druk maar fijn"))).await.unwrap();
    assert_eq!(period.start.to_string(), "2026-03-02", "the test clock's Monday, weekly by default");
    assert!(app.pulse_today(&who).await.unwrap().answered);
    let again = app.answer_pulse(&who, answer(1, None)).await;
    assert!(matches!(again, Err(AppError::Conflict(_))), "{again:?}");

    // The answer row: period, team, scores and comment, a random id; nothing names Anna.
    let rows = texts(
        &db.location,
        "SELECT id || '|' || period_start || '|' || period_end || '|' || team_id || '|' || workload || '|' || comment \
         FROM pulse_answers",
    )
    .await;
    assert_eq!(rows.len(), 1, "the refused second answer wrote nothing");
    let row = rows[0].clone().unwrap();
    let fields: Vec<&str> = row.split('|').collect();
    assert_eq!(fields[1..], ["2026-03-02", "2026-03-09", &kcc.id.to_string(), "4", "Druk maar fijn"]);
    assert!(fields[0].len() == 32 && fields[0].chars().all(|c| c.is_ascii_hexdigit()), "random id: {}", fields[0]);
    assert!(!row.contains(&anna.id.to_string()));
    let columns = texts(&db.location, "SELECT employee_id || '|' || period_start FROM pulse_respondents").await;
    assert_eq!(columns, [Some(format!("{}|2026-03-02", anna.id))], "who answered is kept apart");

    // The audit says that Anna answered, nothing about what.
    let audit = texts(
        &db.location,
        "SELECT actor || '|' || entity_id || '|' || summary FROM audit_log WHERE action = 'pulse.answered'",
    )
    .await;
    assert_eq!(audit, [Some(format!("employee:{}|pulse:2026-03-02|", anna.id))]);

    // The next week is a new period; a monthly schedule makes March one period.
    clock.advance_secs(7 * 24 * 3600);
    assert!(!app.pulse_today(&who).await.unwrap().answered);
    assert!(app.set_pulse_cadence(&who, Cadence::Month).await.is_err(), "only a beheerder sets the schedule");
    app.set_pulse_cadence(&operator(), Cadence::Month).await.unwrap();
    assert_eq!(app.pulse_cadence(&who).await.unwrap(), Cadence::Month);
    let march = app.pulse_today(&who).await.unwrap();
    assert_eq!((march.period.start.to_string(), march.answered), ("2026-03-01".into(), false));
}

pub async fn a_team_under_five_answers_shows_nothing_and_five_show_the_averages(db: &TestDb) {
    let (app, _clock) = app(db);
    let (small, big) = (team(&app, "Heffingen").await, team(&app, "KCC").await);
    for i in 0..4 {
        let (_, who) = member(&app, &format!("h{i}"), &small, Role::Backoffice).await;
        app.answer_pulse(&who, answer(2, Some("Geheim"))).await.unwrap();
    }
    for (i, score) in [5, 4, 4, 3, 4].into_iter().enumerate() {
        let (_, who) = member(&app, &format!("k{i}"), &big, Role::Kcc).await;
        app.answer_pulse(&who, answer(score, (i == 0).then_some("Goede sfeer"))).await.unwrap();
    }
    let (_, lead) = member(&app, "leider", &small, Role::Teamleider).await;
    let report = app.pulse_report(&lead, None, None, None).await.unwrap();
    let names: Vec<Option<&str>> = report.groups.iter().map(|g| g.team.as_ref().map(|t| t.name.as_str())).collect();
    assert_eq!(names, [None, Some("Heffingen")], "a team lead sees the organisation and their own team");
    let now = report.periods.len() - 1;
    assert_eq!(report.periods[now].start.to_string(), "2026-03-02");
    // Organisation: 9 answers, scores 4×2 + 5 + 4 + 4 + 3 + 4 = 28 per statement.
    assert_eq!(report.groups[0].figures[now], PulseFigures::Shown { answers: 9, averages: [3.11; 5], overall: 3.11 });
    assert_eq!(report.groups[1].figures[now], PulseFigures::TooFewAnswers);
    assert!(report.groups[1].comments.is_empty(), "no comments of a group under five");
    assert!(matches!(app.pulse_report(&lead, None, None, Some(big.id)).await, Err(AppError::Forbidden(_))));

    let all = app.pulse_report(&operator(), None, None, Some(big.id)).await.unwrap();
    assert_eq!(all.groups.len(), 1);
    assert_eq!(all.groups[0].figures[now], PulseFigures::Shown { answers: 5, averages: [4.0; 5], overall: 4.0 });
    assert_eq!(all.groups[0].comments, [(all.periods[now], vec!["Goede sfeer".to_string()])]);
    let (_, agent) = member(&app, "agent", &big, Role::Kcc).await;
    assert!(matches!(app.pulse_report(&agent, None, None, None).await, Err(AppError::Forbidden(_))));

    // The open-data year: 9 answers, the average of all 45 scores.
    let set = app.open_data(&operator(), 2026).await.unwrap();
    let pulse = set.indicator("2026", "employee_pulse_average").unwrap();
    assert_eq!(pulse.value, Some(3.1));
    assert_eq!(set.indicator("2026-Q2", "employee_pulse_average").unwrap().value, None, "nothing in Q2");
}
