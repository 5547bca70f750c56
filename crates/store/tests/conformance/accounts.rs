//! Stories of sessions, consultations and the installation's secrets, on every backend.

use crate::harness::{TestDb, app, operator};
use gastvrij_app::Principal;
use gastvrij_app::ports::ConsultationQuery;
use gastvrij_domain::kennisbank::ConsultationInput;
use gastvrij_domain::team::{Employee, EmployeeInput, Role, TeamInput};
use jiff::{SignedDuration, Timestamp};

crate::stories!(
    accounts:
    sessions_are_created_read_expired_and_deleted,
    consultations_are_asked_answered_and_listed_by_filter,
    the_first_installation_secret_wins,
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
