//! Stories of sessions, consultations and the installation's secrets, on every backend.

use crate::harness::{TestDb, app, operator};
use gastvrij_app::ports::ConsultationQuery;
use gastvrij_app::{AppError, Principal};
use gastvrij_domain::kennisbank::ConsultationInput;
use gastvrij_domain::team::{Employee, EmployeeInput, Role, TeamInput};
use jiff::{SignedDuration, Timestamp};

crate::stories!(
    accounts:
    sessions_are_created_read_expired_and_deleted,
    consultations_are_asked_answered_and_listed_by_filter,
    the_first_installation_secret_wins,
    team_leads_change_only_their_own_teams_non_admin_employees,
);

async fn employee(app: &gastvrij_app::App, name: &str, username: &str, role: Role) -> Employee {
    let input = EmployeeInput {
        name: name.into(),
        email: None,
        phone: None,
        team_id: None,
        roles: vec![role],
        username: Some(username.into()),
        active: true,
    };
    app.create_employee(&operator(), input).await.unwrap()
}

pub async fn sessions_are_created_read_expired_and_deleted(db: &TestDb) {
    let (app, _) = app(db);
    let store = &db.store;
    let anna = employee(&app, "Anna Bakker", "anna", Role::Kcc).await;
    let t0: Timestamp = app.now();
    let hour = SignedDuration::from_hours(1);
    store.insert_session("hash-1", anna.id, "csrf-1", t0 + hour, t0).await.unwrap();
    store.insert_session("hash-2", anna.id, "csrf-2", t0 + hour * 8, t0).await.unwrap();

    let (found, csrf) = store.session("hash-1", t0).await.unwrap().expect("a fresh session");
    assert_eq!((found, csrf.as_str()), (anna.clone(), "csrf-1"));
    assert!(store.session("hash-unknown", t0).await.unwrap().is_none(), "an unknown token has no session");
    assert!(store.session("hash-1", t0 + hour).await.unwrap().is_none(), "expired at its expiry moment");
    assert!(store.session("hash-1", t0 + hour * 2).await.unwrap().is_none(), "and after");
    assert!(store.session("hash-1", t0 + hour - SignedDuration::from_secs(1)).await.unwrap().is_some());

    // A new session clears the expired ones on the way: hash-1 is gone even when read early.
    let t1 = t0 + hour * 2;
    store.insert_session("hash-3", anna.id, "csrf-3", t1 + hour, t1).await.unwrap();
    assert!(store.session("hash-1", t0).await.unwrap().is_none(), "the expired session was removed");
    assert_eq!(store.session("hash-2", t1).await.unwrap().map(|(_, c)| c).as_deref(), Some("csrf-2"));

    store.delete_session("hash-2").await.unwrap();
    assert!(store.session("hash-2", t1).await.unwrap().is_none(), "a deleted session is gone");
    store.delete_session("hash-2").await.unwrap();
    assert!(store.session("hash-3", t1).await.unwrap().is_some(), "deleting one leaves the others");
}

pub async fn consultations_are_asked_answered_and_listed_by_filter(db: &TestDb) {
    let (app, clock) = app(db);
    let permits =
        app.create_team(&operator(), TeamInput { name: "Vergunningen".into(), description: None }).await.unwrap();
    let agent = employee(&app, "Anna Bakker", "anna", Role::Kcc).await;
    let expert = employee(&app, "Bram Visser", "bram", Role::Backoffice).await;
    let as_agent = Principal::employee(agent.id, vec![Role::Kcc]);
    let as_expert = Principal::employee(expert.id, vec![Role::Backoffice]);
    let ask = |to_team, to_employee, question: &str| ConsultationInput {
        contact_id: None,
        question_id: None,
        to_team,
        to_employee,
        question: question.into(),
    };

    let to_team =
        app.ask_consultation(&as_agent, ask(Some(permits.id), None, "Mag een steiger op de dijk?")).await.unwrap();
    clock.advance_secs(60);
    let to_person = app.ask_consultation(&as_agent, ask(None, Some(expert.id), "Hoe diep is de sloot?")).await.unwrap();
    clock.advance_secs(60);
    let by_expert =
        app.ask_consultation(&as_expert, ask(Some(permits.id), None, "Geldt de keur ook hier?")).await.unwrap();
    assert_eq!(app.consultation(&as_agent, to_team.id).await.unwrap(), to_team, "stored and read back unchanged");
    assert_eq!(to_team.asked_by, Some(agent.id));

    clock.advance_secs(60);
    let answered = app.answer_consultation(&as_expert, to_person.id, "Ongeveer een meter.").await.unwrap();
    assert_eq!(answered.answer.as_deref(), Some("Ongeveer een meter."));
    assert_eq!((answered.answered_by, answered.answered_at), (Some(expert.id), Some(app.now())));
    assert_eq!(app.consultation(&as_agent, to_person.id).await.unwrap(), answered);

    let ids = |q: ConsultationQuery| {
        let app = &app;
        let who = &as_agent;
        async move { app.consultations(who, &q).await.unwrap().into_iter().map(|c| c.id).collect::<Vec<_>>() }
    };
    assert_eq!(ids(ConsultationQuery::default()).await, vec![by_expert.id, to_person.id, to_team.id], "newest first");
    assert_eq!(
        ids(ConsultationQuery { to_team: Some(permits.id), ..Default::default() }).await,
        vec![by_expert.id, to_team.id]
    );
    assert_eq!(ids(ConsultationQuery { to_employee: Some(expert.id), ..Default::default() }).await, vec![to_person.id]);
    assert_eq!(
        ids(ConsultationQuery { asked_by: Some(agent.id), ..Default::default() }).await,
        vec![to_person.id, to_team.id]
    );
    assert_eq!(
        ids(ConsultationQuery { open_only: true, ..Default::default() }).await,
        vec![by_expert.id, to_team.id],
        "the answered one is no longer open"
    );
    assert_eq!(
        ids(ConsultationQuery { to_team: Some(permits.id), asked_by: Some(agent.id), ..Default::default() }).await,
        vec![to_team.id],
        "filters combine"
    );
    let page = ConsultationQuery { page: gastvrij_app::Page { limit: 1, offset: 1 }, ..Default::default() };
    assert_eq!(ids(page).await, vec![to_person.id], "paged");
    assert_eq!(app.consultation_counts(&operator()).await.unwrap(), (1, 0), "one answered, none an article yet");
}

pub async fn the_first_installation_secret_wins(db: &TestDb) {
    let store = &db.store;
    assert_eq!(store.installation_secret("tracking", "first").await.unwrap(), "first");
    assert_eq!(store.installation_secret("tracking", "second").await.unwrap(), "first", "later calls get the same");
    assert_eq!(store.installation_secret("unsubscribe", "other").await.unwrap(), "other", "each name has its own");

    // Writers racing for a new name all get the one that was stored.
    let racers: Vec<_> = (0..8)
        .map(|n| {
            let store = store.clone();
            tokio::spawn(async move { store.installation_secret("raced", &format!("candidate-{n}")).await.unwrap() })
        })
        .collect();
    let mut seen = vec![];
    for r in racers {
        seen.push(r.await.unwrap());
    }
    assert!(seen.iter().all(|s| *s == seen[0]), "every racer got the same secret: {seen:?}");
    assert_eq!(store.installation_secret("raced", "late").await.unwrap(), seen[0]);
}

/// A team lead keeps the details of their own team's employees, but never a beheerder's (an
/// e-mail address is how an external sign-in may find an account) nor another team's, and cannot
/// move someone into or out of their team.
pub async fn team_leads_change_only_their_own_teams_non_admin_employees(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    let kcc = app.create_team(&who, TeamInput { name: "KCC".into(), description: None }).await.unwrap();
    let heffingen = app.create_team(&who, TeamInput { name: "Heffingen".into(), description: None }).await.unwrap();
    let member = |name: &str, team, role| EmployeeInput {
        name: name.into(),
        email: None,
        phone: None,
        team_id: Some(team),
        roles: vec![role],
        username: Some(name.to_lowercase()),
        active: true,
    };
    let lead = app.create_employee(&who, member("Leider", kcc.id, Role::Teamleider)).await.unwrap();
    let agent = app.create_employee(&who, member("Agent", kcc.id, Role::Kcc)).await.unwrap();
    let admin = app.create_employee(&who, member("Beheer", kcc.id, Role::Beheerder)).await.unwrap();
    let other = app.create_employee(&who, member("Ander", heffingen.id, Role::Backoffice)).await.unwrap();
    let as_lead = Principal::employee(lead.id, vec![Role::Teamleider]);
    let email = |input: EmployeeInput| EmployeeInput {
        email: Some(gastvrij_domain::values::Email::parse("nieuw@lagewaard.nl").unwrap()),
        ..input
    };

    let changed = app.update_employee(&as_lead, agent.id, email(member("Agent", kcc.id, Role::Kcc))).await.unwrap();
    assert_eq!(changed.email.map(|e| e.as_str().to_string()).as_deref(), Some("nieuw@lagewaard.nl"));
    for (whom, input, why) in [
        (admin.id, email(member("Beheer", kcc.id, Role::Beheerder)), "a beheerder's e-mail address"),
        (other.id, email(member("Ander", heffingen.id, Role::Backoffice)), "another team's employee"),
        (agent.id, member("Agent", heffingen.id, Role::Kcc), "moving someone out of the team"),
        (other.id, member("Ander", kcc.id, Role::Backoffice), "taking someone into the team"),
    ] {
        let refused = app.update_employee(&as_lead, whom, input).await;
        assert!(matches!(refused, Err(AppError::Forbidden(_))), "{why}: {refused:?}");
    }
    let admin_now = app.employee(&who, admin.id).await.unwrap();
    assert_eq!(admin_now.email, None, "nothing of a refused change is stored");
    // A beheerder may do all of it.
    app.update_employee(&who, admin.id, email(member("Beheer", kcc.id, Role::Beheerder))).await.unwrap();
}
