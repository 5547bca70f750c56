//! Stories of the team board: its figures agree with the queue and the compliance report on
//! both backends; goals and notes with action points are kept, and refused writes leave nothing.

use crate::harness::{TestDb, app, operator};
use crate::stories::{case_input, team};
use gastvrij_app::case_work::{QueueFilter, QueueView};
use gastvrij_app::norms::{GroupBy, Source};
use gastvrij_app::ports::StoreError;
use gastvrij_app::{AppError, Principal};
use gastvrij_domain::audit::Change;
use gastvrij_domain::case::{CaseResult, CaseStatus, CaseType};
use gastvrij_domain::ids::ActionPointId;
use gastvrij_domain::team::{EmployeeInput, Role};
use gastvrij_domain::team_board::{GoalKind, NoteInput, NoteKind};

crate::stories!(
    team_board:
    the_board_counts_as_the_queue_and_the_compliance_report,
    goals_are_set_by_the_lead_and_notes_keep_action_points,
);

const DAY: i64 = 86_400;

async fn member(app: &gastvrij_app::App, name: &str, team: gastvrij_domain::ids::TeamId, role: Role) -> Principal {
    let input =
        EmployeeInput { name: name.into(), team_id: Some(team), roles: vec![role], active: true, ..Default::default() };
    let e = app.create_employee(&operator(), input).await.unwrap();
    Principal::employee(e.id, vec![role])
}

pub async fn the_board_counts_as_the_queue_and_the_compliance_report(db: &TestDb) {
    let (app, clock) = app(db);
    let op = operator();
    let t = app.create_team(&op, team("Heffingen")).await.unwrap();
    let u = app.create_team(&op, team("Klachten")).await.unwrap();
    let anna = member(&app, "Anna", t.id, Role::Backoffice).await;
    let bob = member(&app, "Bob", u.id, Role::Backoffice).await;
    let new = |team, case_type| app.create_case(&op, case_input(team, case_type));
    // Monday 2 March 2026, 10:00 in Amsterdam.
    let late = new(t.id, CaseType::Vraag).await.unwrap();
    let taken = new(t.id, CaseType::Klacht).await.unwrap();
    let paused = new(t.id, CaseType::Klacht).await.unwrap();
    let closed_last_week = new(t.id, CaseType::Vraag).await.unwrap();
    new(u.id, CaseType::Vraag).await.unwrap();
    app.take_case(&anna, taken.id).await.unwrap();
    app.change_case_status(&op, paused.id, CaseStatus::Opgeschort, Some("wacht op klant")).await.unwrap();
    app.close_case(&op, closed_last_week.id, CaseResult::Opgelost, "Zo zit het.", "").await.unwrap();
    // Tuesday 10 March: the vraag (5 working days) is late; the suspended klacht is not.
    clock.advance_secs(8 * DAY);
    new(t.id, CaseType::Vraag).await.unwrap();
    let done_today = new(t.id, CaseType::Vraag).await.unwrap();
    app.close_case(&op, done_today.id, CaseResult::Opgelost, "Zo zit het.", "").await.unwrap();

    let board = app.team_board(&anna, t.id).await.unwrap();
    let f = board.figures;
    let queue = |view| {
        let (app, op) = (app.clone(), op.clone());
        async move {
            app.team_queue(&op, t.id, &QueueFilter { view, ..Default::default() }).await.unwrap().cases.len() as u64
        }
    };
    assert_eq!(f.workload, queue(QueueView::All).await);
    assert_eq!(f.workload, 4, "late, taken, paused and fresh");
    assert_eq!(f.unassigned, queue(QueueView::Unassigned).await);
    assert_eq!(f.unassigned, 3);
    assert_eq!(f.late, queue(QueueView::Late).await);
    assert_eq!(f.late, 1, "the vraag only: a suspended case is never late");
    let late_ones =
        app.team_queue(&op, t.id, &QueueFilter { view: QueueView::Late, ..Default::default() }).await.unwrap();
    assert_eq!(late_ones.cases[0].id, late.id);
    assert_eq!(f.at_risk, queue(QueueView::AtRisk).await);
    assert_eq!(f.suspended, 1);
    assert_eq!((f.received_today, f.received_week, f.closed_today, f.closed_week), (2, 2, 1, 1));
    assert_eq!((board.today.to_string(), board.week_start.to_string()), ("2026-03-10".into(), "2026-03-09".into()));

    let monday: jiff::Timestamp = "2026-03-08T23:00:00Z".parse().unwrap();
    let report = app
        .compliance_from(
            &op,
            monday,
            monday + jiff::SignedDuration::from_hours(7 * 24),
            GroupBy::Team,
            jiff::SignedDuration::from_hours(48),
            Source::Scan,
        )
        .await
        .unwrap();
    let g = report.groups.iter().find(|g| g.key == t.id.to_string()).unwrap();
    assert!(g.counts.within_norm + g.counts.late > 0, "something was decided this week");
    assert_eq!((f.week_within_norm, f.week_late), (g.counts.within_norm, g.counts.late));
    assert_eq!(f.percent_within(), g.percent_within);

    assert_eq!(app.team_board(&bob, u.id).await.unwrap().figures.workload, 1, "another team's board");
    assert!(matches!(app.team_board(&bob, t.id).await, Err(AppError::Forbidden(_))), "not a member");
}

pub async fn goals_are_set_by_the_lead_and_notes_keep_action_points(db: &TestDb) {
    let (app, clock) = app(db);
    let op = operator();
    let t = app.create_team(&op, team("Heffingen")).await.unwrap();
    let u = app.create_team(&op, team("Klachten")).await.unwrap();
    let anna = member(&app, "Anna", t.id, Role::Backoffice).await;
    let lead = member(&app, "Lotte", t.id, Role::Teamleider).await;
    let bob = member(&app, "Bob", u.id, Role::Backoffice).await;
    for _ in 0..3 {
        app.create_case(&op, case_input(t.id, CaseType::Vraag)).await.unwrap();
    }

    let forbidden = app.set_team_goal(&anna, t.id, GoalKind::WerkvoorraadOnder, "40").await;
    assert!(matches!(forbidden, Err(AppError::Forbidden(_))), "a member sets no goals");
    assert!(matches!(app.set_team_goal(&bob, t.id, GoalKind::BinnenNorm, "95").await, Err(AppError::Forbidden(_))));
    app.set_team_goal(&lead, t.id, GoalKind::WerkvoorraadOnder, "40").await.unwrap();
    app.set_team_goal(&lead, t.id, GoalKind::WerkvoorraadOnder, "3").await.unwrap();
    app.set_team_goal(&op, t.id, GoalKind::BinnenNorm, "95").await.unwrap();
    let bad = app.set_team_goal(&lead, t.id, GoalKind::BinnenNorm, "120").await;
    assert!(matches!(bad, Err(AppError::Invalid(_))));
    let board = app.team_board(&anna, t.id).await.unwrap();
    assert!(!board.may_set_goals);
    let goals: Vec<_> = board.goals.iter().map(|g| (g.kind, g.target, g.met)).collect();
    assert_eq!(
        goals,
        vec![(GoalKind::BinnenNorm, 95, None), (GoalKind::WerkvoorraadOnder, 3, Some(false))],
        "one goal per kind, the last target kept; 3 open cases are not below 3"
    );
    app.remove_team_goal(&lead, t.id, GoalKind::BinnenNorm).await.unwrap();
    assert!(matches!(app.remove_team_goal(&lead, t.id, GoalKind::BinnenNorm).await, Err(AppError::NotFound(_))));
    assert_eq!(app.team_board(&lead, t.id).await.unwrap().goals.len(), 1);

    let (anna_id, lead_id) = (anna.employee_id().unwrap(), lead.employee_id().unwrap());
    let note = |day, text, actions| NoteInput { day, kind: NoteKind::Dagstart, text, actions };
    let first = app
        .add_board_note(
            &anna,
            t.id,
            note(
                "2026-03-02",
                "Veel vragen over de aanslag",
                vec![("Bel de drukker", Some(anna_id)), ("Uitleg op de site", Some(lead_id))],
            ),
        )
        .await
        .unwrap();
    let outsider = member_id(&bob);
    let refused = app.add_board_note(&anna, t.id, note("2026-03-02", "Nog een", vec![("Hulp", Some(outsider))])).await;
    assert!(matches!(refused, Err(AppError::Invalid(_))), "an owner outside the team is refused");
    assert!(matches!(
        app.add_board_note(&bob, t.id, note("2026-03-02", "x", vec![])).await,
        Err(AppError::Forbidden(_))
    ));
    clock.advance_secs(DAY);
    app.add_board_note(&lead, t.id, note("2026-03-03", "Rustige dinsdag", vec![])).await.unwrap();

    let notes = app.team_board(&anna, t.id).await.unwrap().notes;
    assert_eq!(notes.len(), 2, "the refused note left nothing");
    assert_eq!(notes[0].text, "Rustige dinsdag", "the latest day first");
    assert_eq!(notes[1].id, first.id);
    let texts: Vec<_> = notes[1].actions.iter().map(|a| (a.text.as_str(), a.owner_id, a.done)).collect();
    assert_eq!(texts, vec![("Bel de drukker", anna_id, false), ("Uitleg op de site", lead_id, false)]);

    let (mine, leads) = (notes[1].actions[0].id, notes[1].actions[1].id);
    assert!(matches!(app.tick_action_point(&anna, leads, true).await, Err(AppError::Forbidden(_))), "not hers");
    app.tick_action_point(&anna, mine, true).await.unwrap();
    assert!(matches!(app.tick_action_point(&anna, mine, true).await, Err(AppError::Invalid(_))), "done already");
    app.tick_action_point(&lead, leads, true).await.unwrap();
    app.tick_action_point(&lead, mine, false).await.unwrap();
    let notes = app.team_board(&anna, t.id).await.unwrap().notes;
    let done: Vec<_> = notes[1].actions.iter().map(|a| (a.done, a.done_at.is_some())).collect();
    assert_eq!(done, vec![(false, false), (true, true)]);

    let mut ghost = notes[1].actions[0].clone();
    ghost.id = ActionPointId::new();
    let change = Change::new(op.actor, app.now(), "team.action_ticked", ghost.id, "");
    let missing = gastvrij_app::ports::TeamBoardStore::save_action_point(app.store().as_ref(), &ghost, &change).await;
    assert!(matches!(missing, Err(StoreError::NotFound(_))));
}

fn member_id(p: &Principal) -> gastvrij_domain::ids::EmployeeId {
    p.employee_id().unwrap()
}
