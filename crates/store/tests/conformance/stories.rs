//! Stories every backend must pass.

use crate::harness::{TestDb, app, operator};
use gastvrij_app::cases::{Assignment, AttachmentInput};
use gastvrij_app::ports::{AuditQuery, Batch, CaseQuery, ContactQuery, CustomerQuery};
use gastvrij_app::{AppError, Page, Principal};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::{CaseInput, CaseStatus, CaseType};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{ContactInput, ContactState, Line, Outcome, QuestionInput};
use gastvrij_domain::customer::{ContactDetails, CustomerInput, CustomerKind, Segment};
use gastvrij_domain::ids::{TeamId, TopicId};
use gastvrij_domain::organisation::Organisation;
use gastvrij_domain::team::{EmployeeInput, Role, TeamInput};
use gastvrij_domain::topic::TopicInput;
use gastvrij_domain::values::{Email, Postcode};
use gastvrij_store::{Database, OpenError, OpenMode};

fn team(name: &str) -> TeamInput {
    TeamInput { name: name.into(), description: Some(format!("Team {name}")) }
}

fn phone_contact(questions: Vec<QuestionInput>) -> ContactInput {
    ContactInput {
        channel: Channel::Telefoon,
        customer_id: None,
        agent_id: None,
        started_at: None,
        ended_at: None,
        waiting_seconds: Some(17),
        questions,
    }
}

fn question(text: &str, outcome: Option<Outcome>) -> QuestionInput {
    QuestionInput { text: text.into(), outcome, ..Default::default() }
}

fn case_input(team: TeamId, case_type: CaseType) -> CaseInput {
    CaseInput {
        case_type,
        team_id: team,
        topic_id: None,
        owner_id: None,
        customer_id: None,
        contact_id: None,
        subject: "Sloot naast de weg loopt over".into(),
        intent: Some("Dat het water weer wegloopt".into()),
        urgent: false,
    }
}

pub async fn organisation_settings_are_saved_and_updated(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    assert_eq!(app.organisation(&who).await.unwrap(), Organisation::default(), "an empty database shows defaults");
    let org = Organisation::parse("Hoogheemraadschap van de Lage Waard", 812_000, "Europe/Amsterdam").unwrap();
    app.update_organisation(&who, org.clone()).await.unwrap();
    assert_eq!(app.organisation(&who).await.unwrap(), org);
    let renamed = Organisation { name: "Waterschap Lage Waard".into(), ..org };
    app.update_organisation(&who, renamed.clone()).await.unwrap();
    assert_eq!(app.organisation(&who).await.unwrap(), renamed);
    let bad = Organisation { time_zone: "Mars/Olympus".into(), ..renamed.clone() };
    assert!(matches!(app.update_organisation(&who, bad).await, Err(AppError::Invalid(e)) if e.field == "time_zone"));
    assert_eq!(app.organisation(&who).await.unwrap(), renamed, "a refused update changes nothing");
}

pub async fn teams_are_created_read_updated_and_listed(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    let kcc = app.create_team(&who, team("KCC")).await.unwrap();
    let permits = app.create_team(&who, team("Vergunningen")).await.unwrap();
    assert_eq!(app.team(&who, kcc.id).await.unwrap(), kcc);
    let updated = app
        .update_team(&who, permits.id, TeamInput { name: "Vergunningen en handhaving".into(), description: None })
        .await
        .unwrap();
    assert_eq!(app.team(&who, permits.id).await.unwrap(), updated);
    let names: Vec<String> = app.teams(&who).await.unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(names, vec!["KCC", "Vergunningen en handhaving"]);
    assert!(matches!(app.team(&who, TeamId::new()).await, Err(AppError::NotFound("team"))));
    assert!(matches!(app.update_team(&who, TeamId::new(), team("X")).await, Err(AppError::NotFound("team"))));
}

pub async fn duplicate_team_names_are_a_conflict_not_a_crash(db: &TestDb) {
    let (app, _) = app(db);
    app.create_team(&operator(), team("Betalingen")).await.unwrap();
    let err = app.create_team(&operator(), team("Betalingen")).await.unwrap_err();
    assert!(
        matches!(&err, AppError::Invalid(e) if e.field == "name" && e.kind == gastvrij_domain::InvalidKind::Duplicate),
        "a duplicate name is the name field's error: {err:?}"
    );
    assert_eq!(app.teams(&operator()).await.unwrap().len(), 1);
}

pub async fn employees_accounts_and_api_tokens(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    let kcc = app.create_team(&who, team("KCC")).await.unwrap();
    let input = EmployeeInput {
        name: "Fatima el Amrani".into(),
        email: Some(Email::parse("f.elamrani@lagewaard.nl").unwrap()),
        team_id: Some(kcc.id),
        roles: vec![Role::Kcc],
        username: Some("Fatima".into()),
        active: true,
        ..Default::default()
    };
    let fatima = app.add_user(&who, input.clone(), "een lang wachtwoord van mij").await.unwrap();
    assert_eq!(fatima.username.as_deref(), Some("fatima"), "usernames are lower-cased");
    assert_eq!(app.employee(&who, fatima.id).await.unwrap(), fatima);

    let signed_in = app.sign_in("FATIMA", "een lang wachtwoord van mij").await.unwrap();
    assert_eq!(signed_in, Principal::employee(fatima.id, vec![Role::Kcc]));
    assert!(matches!(app.sign_in("fatima", "fout wachtwoord!!").await, Err(AppError::Unauthenticated)));
    assert!(matches!(app.sign_in("niemand", "een lang wachtwoord van mij").await, Err(AppError::Unauthenticated)));

    let again =
        app.add_user(&who, EmployeeInput { name: "Ander".into(), ..input.clone() }, "nog een lang wachtwoord").await;
    assert!(
        matches!(&again, Err(AppError::Invalid(e)) if e.field == "username" && e.kind == gastvrij_domain::InvalidKind::Duplicate),
        "a taken username is the username field's error: {again:?}"
    );
    let short = app.add_user(&who, EmployeeInput { username: Some("kort".into()), ..input.clone() }, "kort").await;
    assert!(matches!(short, Err(AppError::Invalid(e)) if e.field == "password"));
    assert!(app.store().employee_by_username("kort").await.unwrap().is_none(), "a refused user is not half-written");

    let token = app.create_api_token(&who, "fatima", "telefonie", Default::default()).await.unwrap().secret;
    assert_eq!(app.principal_for_token(&token).await.unwrap().employee_id(), Some(fatima.id));
    assert!(matches!(app.principal_for_token("gv_nonsense").await, Err(AppError::Unauthenticated)));

    // A team lead may edit details but not roles.
    let lead = Principal::employee(fatima.id, vec![Role::Teamleider]);
    let renamed = app
        .update_employee(&lead, fatima.id, EmployeeInput { name: "Fatima El Amrani".into(), ..input.clone() })
        .await
        .unwrap();
    assert_eq!(renamed.name, "Fatima El Amrani");
    let promote = EmployeeInput { roles: vec![Role::Beheerder], ..input.clone() };
    assert!(matches!(app.update_employee(&lead, fatima.id, promote).await, Err(AppError::Forbidden(_))));
    // Deactivated employees cannot sign in or use tokens.
    app.update_employee(&who, fatima.id, EmployeeInput { active: false, ..input }).await.unwrap();
    assert!(app.sign_in("fatima", "een lang wachtwoord van mij").await.is_err());
    assert!(app.principal_for_token(&token).await.is_err());
    assert_eq!(app.employees(&who).await.unwrap().len(), 1);
}

pub async fn topics_form_a_tree_without_cycles(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    let taxes = app.create_team(&who, team("Betalingen")).await.unwrap();
    let root = app
        .create_topic(&who, TopicInput { name: "Belastingen".into(), parent_id: None, team_id: Some(taxes.id) })
        .await
        .unwrap();
    let child = app
        .create_topic(&who, TopicInput { name: "Kwijtschelding".into(), parent_id: Some(root.id), team_id: None })
        .await
        .unwrap();
    assert_eq!(app.topic(&who, child.id).await.unwrap().parent_id, Some(root.id));
    let cycle = app
        .update_topic(
            &who,
            root.id,
            TopicInput { name: "Belastingen".into(), parent_id: Some(child.id), team_id: None },
        )
        .await;
    assert!(matches!(cycle, Err(AppError::Invalid(e)) if e.field == "parent_id"));
    let renamed = app
        .update_topic(
            &who,
            child.id,
            TopicInput { name: "Kwijtschelding aanvragen".into(), parent_id: Some(root.id), team_id: None },
        )
        .await
        .unwrap();
    let all = app.topics(&who).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.contains(&renamed));
    assert_eq!(gastvrij_domain::topic::responsible_team(&all, child.id), Some(taxes.id));
    let orphan = app
        .create_topic(&who, TopicInput { name: "Wees".into(), parent_id: Some(TopicId::new()), team_id: None })
        .await;
    assert!(matches!(orphan, Err(AppError::Invalid(e)) if e.field == "parent_id"));
}

pub async fn customers_are_created_found_and_updated(db: &TestDb) {
    let (app, clock) = app(db);
    let who = operator();
    let person = app
        .create_customer(
            &who,
            CustomerInput {
                kind: Some(CustomerKind::Persoon),
                name: Some("Jan de Vries".into()),
                segments: vec![Segment::Inwoner, Segment::Belastingplichtige],
                details: ContactDetails {
                    email: Some(Email::parse("jan@example.nl").unwrap()),
                    postcode: Some(Postcode::parse("2611ab").unwrap()),
                    house_number: Some("12a".into()),
                    ..Default::default()
                },
            },
        )
        .await
        .unwrap();
    let farm = app
        .create_customer(
            &who,
            CustomerInput {
                kind: Some(CustomerKind::Organisatie),
                name: Some("Maatschap Bos".into()),
                segments: vec![Segment::Agrarier, Segment::Bedrijf],
                details: ContactDetails { kvk_number: Some("12345678".parse().unwrap()), ..Default::default() },
            },
        )
        .await
        .unwrap();
    let anonymous = app.create_customer(&who, CustomerInput::default()).await.unwrap();
    assert_eq!(app.customer(&who, person.id).await.unwrap(), person);
    assert_eq!(app.customer(&who, anonymous.id).await.unwrap().kind, CustomerKind::Anoniem);

    let find = |text: &str| CustomerQuery { text: Some(text.into()), ..Default::default() };
    assert_eq!(app.customers(&who, &find("vries")).await.unwrap(), vec![person.clone()]);
    assert_eq!(app.customers(&who, &find("2611 AB")).await.unwrap(), vec![person.clone()]);
    assert_eq!(app.customers(&who, &find("12345678")).await.unwrap(), vec![farm.clone()]);
    let by_address =
        CustomerQuery { postcode: Some("2611 AB".into()), house_number: Some("12a".into()), ..Default::default() };
    assert_eq!(app.customers(&who, &by_address).await.unwrap(), vec![person.clone()]);
    assert_eq!(app.customers(&who, &CustomerQuery::default()).await.unwrap().len(), 3);

    clock.advance_secs(60);
    let updated = app
        .update_customer(
            &who,
            person.id,
            CustomerInput {
                name: Some("Jan de Vries-Smit".into()),
                segments: vec![Segment::Inwoner],
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let stored = app.customer(&who, person.id).await.unwrap();
    assert_eq!(stored, updated);
    assert_eq!(stored.created_at, person.created_at);
    assert!(stored.updated_at > person.updated_at);
    let paged = app
        .customers(&who, &CustomerQuery { page: Page::new(Some(2), Some(2)).unwrap(), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(paged.len(), 1, "the third customer on the second page of two");
}

pub async fn contacts_hold_questions_and_are_parked_resumed_and_closed(db: &TestDb) {
    let (app, clock) = app(db);
    let who = operator();
    let customer = app
        .create_customer(&who, CustomerInput { name: Some("Els Bakker".into()), ..Default::default() })
        .await
        .unwrap();
    let topic = app.create_topic(&who, TopicInput { name: "Belastingen".into(), ..Default::default() }).await.unwrap();
    let mut input = phone_contact(vec![QuestionInput {
        topic_id: Some(topic.id),
        text: "Waarom krijg ik twee aanslagen?".into(),
        answer: Some("Eén voor de woning, één voor de zuivering.".into()),
        outcome: Some(Outcome::Answered),
        ..Default::default()
    }]);
    input.customer_id = Some(customer.id);
    let contact = app.create_contact(&who, input).await.unwrap();
    assert_eq!(app.contact(&who, contact.id).await.unwrap(), contact);
    assert_eq!(contact.questions[0].line, Some(Line::FirstLine));

    let with_second = app.add_question(&who, contact.id, question("Kan ik in termijnen betalen?", None)).await.unwrap();
    assert_eq!(with_second.questions.len(), 2);
    let q2 = with_second.questions[1].id;
    let answered = app
        .update_question(
            &who,
            contact.id,
            q2,
            QuestionInput {
                text: "Kan ik in termijnen betalen?".into(),
                outcome: Some(Outcome::AnsweredAfterConsult),
                answer: Some("Ja, in tien termijnen.".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(answered.questions[1].line, Some(Line::SecondLine));
    assert_eq!(answered.questions[1].id, q2);

    assert_eq!(app.park_contact(&who, contact.id).await.unwrap().state, ContactState::Parked);
    assert_eq!(app.resume_contact(&who, contact.id).await.unwrap().state, ContactState::Open);
    clock.advance_secs(240);
    let closed = app.close_contact(&who, contact.id).await.unwrap();
    assert_eq!(closed.state, ContactState::Closed);
    assert_eq!(closed.duration_seconds(), Some(240));
    assert_eq!(app.contact(&who, contact.id).await.unwrap(), closed);

    let other = app
        .create_contact(&who, ContactInput { channel: Channel::Email, waiting_seconds: None, ..phone_contact(vec![]) })
        .await
        .unwrap();
    let mine =
        app.contacts(&who, &ContactQuery { customer_id: Some(customer.id), ..Default::default() }).await.unwrap();
    assert_eq!(mine, vec![closed.clone()]);
    let all = app.contacts(&who, &ContactQuery::default()).await.unwrap();
    assert_eq!(all.len(), 2);
    assert!(all.iter().any(|c| c.id == other.id));
    assert_eq!(app.store().count_contacts().await.unwrap(), 2);
}

pub async fn stale_contact_updates_are_refused(db: &TestDb) {
    let (app, _) = app(db);
    let contact = app.create_contact(&operator(), phone_contact(vec![question("Vraag", None)])).await.unwrap();
    let (loaded, version) = app.store().contact(contact.id).await.unwrap().unwrap();
    let change = Change::new(Actor::System, app.now(), "contact.test", contact.id, "");
    let next = app.store().update_contact(&loaded, version, &change).await.unwrap();
    assert_eq!(next, version + 1);
    let stale = app.store().update_contact(&loaded, version, &change).await;
    assert!(matches!(stale, Err(gastvrij_app::StoreError::Conflict(_))), "{stale:?}");
}

pub async fn cases_get_sequential_references_history_notes_and_attachments(db: &TestDb) {
    let (app, clock) = app(db);
    let who = operator();
    let meldingen = app.create_team(&who, team("Meldingen")).await.unwrap();
    let product = app.create_team(&who, team("Product")).await.unwrap();
    let owner = app
        .create_employee(
            &who,
            EmployeeInput {
                name: "Kees Visser".into(),
                team_id: Some(product.id),
                roles: vec![Role::Backoffice],
                active: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let first = app.create_case(&who, case_input(meldingen.id, CaseType::Melding)).await.unwrap();
    let second = app.create_case(&who, case_input(meldingen.id, CaseType::Klacht)).await.unwrap();
    assert_eq!(first.reference, "WS-2026-000001");
    assert_eq!(second.reference, "WS-2026-000002");
    assert_eq!(app.case_by_reference(&who, "ws-2026-000002").await.unwrap().id, second.id);

    clock.advance_secs(3600);
    app.change_case_status(&who, first.id, CaseStatus::InBehandeling, None).await.unwrap();
    app.change_case_status(&who, first.id, CaseStatus::Opgeschort, Some("wacht op klant")).await.unwrap();
    let refused = app.change_case_status(&who, first.id, CaseStatus::Ontvangen, None).await;
    assert!(matches!(refused, Err(AppError::Invalid(e)) if e.field == "status"));
    app.add_case_note(&who, first.id, "Klant gebeld, stuurt foto's.").await.unwrap();
    app.assign_case(&who, first.id, Assignment { team_id: Some(product.id), owner_id: Some(owner.id) }).await.unwrap();
    let sha = "a".repeat(64);
    let with_file = app
        .add_case_attachment(
            &who,
            first.id,
            AttachmentInput {
                file_name: "sloot.jpg".into(),
                content_type: "image/jpeg".into(),
                size_bytes: 52_311,
                sha256: sha.clone(),
            },
        )
        .await
        .unwrap();
    let stored = app.case(&who, first.id).await.unwrap();
    assert_eq!(stored, with_file);
    let statuses: Vec<CaseStatus> = stored.history.iter().map(|h| h.status).collect();
    assert_eq!(statuses, vec![CaseStatus::Ontvangen, CaseStatus::InBehandeling, CaseStatus::Opgeschort]);
    assert_eq!(stored.history[2].reason.as_deref(), Some("wacht op klant"));
    assert_eq!(stored.notes.len(), 1);
    assert_eq!(stored.attachments[0].sha256, sha);
    assert_eq!((stored.team_id, stored.owner_id), (product.id, Some(owner.id)));

    let queue = app.cases(&who, &CaseQuery { team_id: Some(meldingen.id), ..Default::default() }).await.unwrap();
    assert_eq!(queue, vec![app.case(&who, second.id).await.unwrap()]);
    app.change_case_status(&who, second.id, CaseStatus::Afgehandeld, None).await.unwrap();
    let open = app.cases(&who, &CaseQuery { open_only: true, ..Default::default() }).await.unwrap();
    assert_eq!(open.iter().map(|c| c.id).collect::<Vec<_>>(), vec![first.id]);
    let complaints =
        app.cases(&who, &CaseQuery { case_type: Some(CaseType::Klacht), ..Default::default() }).await.unwrap();
    assert_eq!(complaints.len(), 1);
}

pub async fn stale_case_updates_are_refused(db: &TestDb) {
    let (app, _) = app(db);
    let t = app.create_team(&operator(), team("Meldingen")).await.unwrap();
    let case = app.create_case(&operator(), case_input(t.id, CaseType::Melding)).await.unwrap();
    let (mut a, version) = app.store().case(case.id).await.unwrap().unwrap();
    let (mut b, _) = app.store().case(case.id).await.unwrap().unwrap();
    a.change_status(CaseStatus::InBehandeling, None, None, app.now()).unwrap();
    b.change_status(CaseStatus::Afgehandeld, None, None, app.now()).unwrap();
    let change = Change::new(Actor::System, app.now(), "case.test", case.id, "");
    app.store().update_case(&a, version, &change).await.unwrap();
    let lost_update = app.store().update_case(&b, version, &change).await;
    assert!(matches!(lost_update, Err(gastvrij_app::StoreError::Conflict(_))));
    let stored = app.case(&operator(), case.id).await.unwrap();
    assert_eq!(stored.status, CaseStatus::InBehandeling);
    assert_eq!(stored.history.len(), 2, "the refused change left no history entry");
}

pub async fn every_change_leaves_an_audit_entry(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    let t = app.create_team(&who, team("KCC")).await.unwrap();
    app.update_team(&who, t.id, team("Klantcontactcentrum")).await.unwrap();
    let c = app
        .create_customer(&who, CustomerInput { name: Some("Piet Jansen".into()), ..Default::default() })
        .await
        .unwrap();
    let contact =
        app.create_contact(&who, phone_contact(vec![question("Vraag", Some(Outcome::Answered))])).await.unwrap();
    app.close_contact(&who, contact.id).await.unwrap();
    let case = app.create_case(&who, case_input(t.id, CaseType::Vraag)).await.unwrap();
    app.add_case_note(&who, case.id, "notitie").await.unwrap();
    let log = app.store().audit_log(&AuditQuery::default()).await.unwrap();
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        vec![
            "team.created",
            "team.updated",
            "customer.created",
            "contact.created",
            "contact.closed",
            "case.created",
            "case.note_added"
        ]
    );
    assert!(log.windows(2).all(|w| w[0].seq < w[1].seq));
    assert!(log.iter().all(|e| e.actor == Actor::Operator));
    assert!(log.iter().all(|e| !e.summary.contains("Piet")), "the audit log holds no personal data");
    let about_case = app
        .store()
        .audit_log(&AuditQuery { entity_id: Some(case.id.to_string()), ..Default::default() })
        .await
        .unwrap();
    assert_eq!(about_case.len(), 2);
    let after = app.store().audit_log(&AuditQuery { after_seq: Some(log[4].seq), ..Default::default() }).await.unwrap();
    assert_eq!(after.len(), 2);
    let _ = c;
}

pub async fn invalid_references_are_refused_and_nothing_is_written(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    let before = app.store().audit_log(&AuditQuery::default()).await.unwrap().len();
    let bad_case = app.create_case(&who, case_input(TeamId::new(), CaseType::Melding)).await;
    assert!(matches!(bad_case, Err(AppError::Invalid(e)) if e.field == "team_id"));
    let bad_contact = app
        .create_contact(
            &who,
            ContactInput { customer_id: Some(gastvrij_domain::ids::CustomerId::new()), ..phone_contact(vec![]) },
        )
        .await;
    assert!(matches!(bad_contact, Err(AppError::Invalid(e)) if e.field == "customer_id"));
    let forbidden = app
        .create_team(&Principal::employee(gastvrij_domain::ids::EmployeeId::new(), vec![Role::Kcc]), team("X"))
        .await;
    assert!(matches!(forbidden, Err(AppError::Forbidden(_))));
    assert_eq!(app.store().audit_log(&AuditQuery::default()).await.unwrap().len(), before);
    assert_eq!(app.store().count_contacts().await.unwrap(), 0);
    assert!(app.teams(&who).await.unwrap().is_empty());
}

pub async fn concurrent_writers_lose_nothing(db: &TestDb) {
    const TASKS: usize = 8;
    const PER_TASK: usize = 1_000;
    let (app, _) = app(db);
    let mut handles = vec![];
    for task in 0..TASKS {
        let app = app.clone();
        handles.push(tokio::spawn(async move {
            let mut ids = Vec::with_capacity(PER_TASK);
            for i in 0..PER_TASK {
                let c = app
                    .create_contact(
                        &Principal::system(),
                        phone_contact(vec![question(&format!("taak {task} vraag {i}"), Some(Outcome::Answered))]),
                    )
                    .await
                    .expect("every write succeeds");
                ids.push(c.id);
            }
            ids
        }));
    }
    let mut all = vec![];
    for h in handles {
        all.extend(h.await.expect("task"));
    }
    assert_eq!(all.len(), TASKS * PER_TASK);
    assert_eq!(app.store().count_contacts().await.unwrap(), (TASKS * PER_TASK) as i64);
    for id in all.iter().step_by(97) {
        let c = app.contact(&operator(), *id).await.unwrap();
        assert_eq!(c.questions.len(), 1);
    }
    let mut audited = 0;
    let mut after = None;
    loop {
        let page = app
            .store()
            .audit_log(&AuditQuery {
                after_seq: after,
                page: Page::new(Some(500), None).unwrap(),
                ..Default::default()
            })
            .await
            .unwrap();
        let Some(last) = page.last() else { break };
        after = Some(last.seq);
        audited += page.iter().filter(|e| e.action == "contact.created").count();
    }
    assert_eq!(audited, TASKS * PER_TASK, "every acknowledged write has its audit entry");
}

pub async fn batches_are_all_or_nothing_and_move_the_reference_counter(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    let now = app.now();
    let t = gastvrij_domain::team::Team::create(team("Meldingen")).unwrap();
    let mut case = gastvrij_domain::case::Case::create(case_input(t.id, CaseType::Melding), None, now).unwrap();
    case.reference = "WS-2026-000041".into();
    let contact = gastvrij_domain::contact::Contact::create(phone_contact(vec![question("Vraag", None)]), now).unwrap();
    let batch = Batch {
        teams: vec![t.clone()],
        contacts: vec![contact.clone()],
        cases: vec![case.clone()],
        ..Default::default()
    };
    let change = Change::new(Actor::System, now, "demo.seeded", "batch", "3 records");

    // A batch that fails half-way (the same team twice) leaves nothing behind.
    let mut broken = batch.clone();
    broken.teams.push(t.clone());
    assert!(app.store().insert_batch(&broken, &change).await.is_err());
    assert!(app.teams(&who).await.unwrap().is_empty());
    assert_eq!(app.store().count_contacts().await.unwrap(), 0);

    app.store().insert_batch(&batch, &change).await.unwrap();
    assert_eq!(app.case(&who, case.id).await.unwrap(), case);
    assert_eq!(app.contact(&who, contact.id).await.unwrap(), contact);
    let next = app.create_case(&who, case_input(t.id, CaseType::Klacht)).await.unwrap();
    assert_eq!(next.reference, "WS-2026-000042", "new references continue after the batch's highest");
}

pub async fn a_newer_schema_is_refused_without_writing(db: &TestDb) {
    let (app, _) = app(db);
    app.create_team(&operator(), team("KCC")).await.unwrap();
    let reopened = Database::open(&db.location, OpenMode::MustExist).await.expect("reopen");
    let status = reopened.schema_status().await.unwrap();
    assert_eq!(status.current, status.latest);
    assert!(reopened.migrate().await.unwrap().is_empty(), "migrating twice applies nothing");
    // Pretend a newer gastvrij migrated this database.
    let future = status.latest + 1;
    match &db.location {
        gastvrij_store::Location::Sqlite(path) => {
            let pool =
                sqlx::SqlitePool::connect_with(sqlx::sqlite::SqliteConnectOptions::new().filename(path)).await.unwrap();
            sqlx::query("INSERT INTO gastvrij_schema (version, applied_at) VALUES ($1, 0)")
                .bind(future)
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        }
        gastvrij_store::Location::Postgres(url) => {
            let pool = sqlx::PgPool::connect(url).await.unwrap();
            sqlx::query("INSERT INTO gastvrij_schema (version, applied_at) VALUES ($1, 0)")
                .bind(future)
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        }
    }
    let refused = Database::open(&db.location, OpenMode::MustExist).await;
    assert!(matches!(refused, Err(OpenError::SchemaTooNew { found, .. }) if found == future), "{:?}", refused.err());
    let message =
        Database::open(&db.location, OpenMode::CreateIfMissing).await.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("upgrade gastvrij"), "{message}");
}

pub async fn articles_keep_versions_and_import_lines_upsert_by_external_id(db: &TestDb) {
    use gastvrij_app::kennisbank::{ArticleLine, ImportOutcome};
    use gastvrij_domain::knowledge::ArticleStatus;
    let (app, clock) = app(db);
    let who = operator();
    let line = ArticleLine {
        id: "KB-1".into(),
        title: "Kwijtschelding".into(),
        question: "Kan ik kwijtschelding krijgen?".into(),
        answer: "Ja, bij een laag inkomen.".into(),
        topic: Some("Belastingen/Kwijtschelding".into()),
        keywords: vec!["kwijtschelding".into(), "laag inkomen, bijstand".into()],
        ..Default::default()
    };
    assert_eq!(app.import_article_line(&who, line.clone()).await.unwrap(), ImportOutcome::Created);
    assert_eq!(app.import_article_line(&who, line.clone()).await.unwrap(), ImportOutcome::Unchanged);
    clock.advance_secs(10);
    let changed = ArticleLine { answer: "Ja, als uw inkomen laag is.".into(), ..line.clone() };
    assert_eq!(app.import_article_line(&who, changed).await.unwrap(), ImportOutcome::Updated);
    let stored = app.store().article_by_external_id("KB-1").await.unwrap().unwrap();
    assert_eq!(stored.status, ArticleStatus::Intern);
    assert_eq!(stored.keywords, vec!["kwijtschelding", "laag inkomen, bijstand"], "keywords may hold commas");
    assert_eq!(stored.version, 2);
    let topics = app.topics(&who).await.unwrap();
    assert_eq!(topics.len(), 2, "the topic path was created once: {topics:?}");
    let versions = app.article_versions(&who, stored.id).await.unwrap();
    assert_eq!(versions.len(), 2);
    assert!(
        versions[1].diff.contains("- Ja, bij een laag inkomen.")
            && versions[1].diff.contains("+ Ja, als uw inkomen laag is.")
    );
    let exported = app.export_articles(&who, Page::default()).await.unwrap();
    assert_eq!(exported[0].topic.as_deref(), Some("Belastingen/Kwijtschelding"));
    assert_eq!(exported[0].id, "KB-1");
    app.record_article_use(&who, stored.id).await.unwrap();
    app.record_article_feedback(&who, stored.id, false).await.unwrap();
    let read = app.article(&who, stored.id).await.unwrap();
    assert_eq!((read.usage_count, read.not_helped, read.version), (1, 1, 2), "counting is not a new version");
    app.save_synonyms(&who, vec!["blauwe envelop => aanslag".into()]).await.unwrap();
    assert_eq!(app.synonyms(&who).await.unwrap(), vec!["blauwe envelop => aanslag"]);
    let events = app.store().events(&gastvrij_app::ports::EventQuery::default()).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.kind == "article.changed").count(), 2, "the index is told of both versions");
}

pub async fn compliance_from_rollups_equals_a_plain_scan(db: &TestDb) {
    use gastvrij_app::norms::{GroupBy, Source};
    let (app, clock) = app(db);
    let who = operator();
    let teams = [
        app.create_team(&who, team("Meldingen")).await.unwrap(),
        app.create_team(&who, team("Klachten")).await.unwrap(),
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
            ids.push((app.create_case(&who, input).await.unwrap().id, day));
        }
        clock.advance_secs(if day % 5 == 4 { 3 * 86_400 } else { 86_400 });
    }
    for (n, (id, day)) in ids.iter().enumerate() {
        if n % 3 != 2 && *day < 12 {
            app.change_case_status(&who, *id, CaseStatus::InBehandeling, None).await.unwrap();
            app.change_case_status(&who, *id, CaseStatus::Afgehandeld, None).await.unwrap();
        }
    }
    let from: jiff::Timestamp = "2026-03-01T23:00:00Z".parse().unwrap();
    let to: jiff::Timestamp = "2026-04-30T22:00:00Z".parse().unwrap();
    let h = jiff::SignedDuration::from_hours(48);
    for group_by in
        [GroupBy::None, GroupBy::Team, GroupBy::CaseType, GroupBy::Channel, GroupBy::NormCategory, GroupBy::Topic]
    {
        let scan = app.compliance_from(&who, from, to, group_by, h, Source::Scan).await.unwrap();
        let rolled = app.compliance_from(&who, from, to, group_by, h, Source::Rollup).await.unwrap();
        assert_eq!(serde_json::to_value(&scan).unwrap(), serde_json::to_value(&rolled).unwrap(), "{group_by:?}");
        assert!(!scan.groups.is_empty());
    }
    // A later change reaches the roll-up too.
    let (last, _) = ids[ids.len() - 1];
    app.change_case_status(&who, last, CaseStatus::Afgehandeld, None).await.unwrap();
    let scan = app.compliance_from(&who, from, to, GroupBy::None, h, Source::Scan).await.unwrap();
    let rolled = app.compliance_from(&who, from, to, GroupBy::None, h, Source::Rollup).await.unwrap();
    assert_eq!(serde_json::to_value(&scan).unwrap(), serde_json::to_value(&rolled).unwrap());
    let total = &scan.groups[0];
    assert!(total.counts.within_norm > 0 && total.counts.late > 0, "{total:?}");
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

pub async fn scheduled_articles_are_published_and_archived_on_time(db: &TestDb) {
    use gastvrij_domain::knowledge::{ArticleInput, ArticleStatus};
    let (app, clock) = app(db);
    let who = operator();
    let now = app.now();
    let input = ArticleInput {
        title: "Werkzaamheden Dijkweg".into(),
        question: "Waarom is de Dijkweg dicht?".into(),
        answer: "Dijkversterking tot 1 juni.".into(),
        publish_at: Some(now + jiff::SignedDuration::from_hours(1)),
        archive_at: Some(now + jiff::SignedDuration::from_hours(48)),
        ..Default::default()
    };
    let article = app.create_article(&who, input).await.unwrap();
    app.change_article_status(&who, article.id, ArticleStatus::TerBeoordeling).await.unwrap();
    assert_eq!(app.apply_article_schedules().await.unwrap(), 0, "not yet");
    clock.advance_secs(2 * 3600);
    assert_eq!(app.apply_article_schedules().await.unwrap(), 1);
    assert_eq!(app.article(&who, article.id).await.unwrap().status, ArticleStatus::Intern);
    clock.advance_secs(48 * 3600);
    assert_eq!(app.apply_article_schedules().await.unwrap(), 1);
    assert_eq!(app.article(&who, article.id).await.unwrap().status, ArticleStatus::Gearchiveerd);
}

pub async fn reported_calls_feed_reachability_and_the_directory_keeps_lines(db: &TestDb) {
    use gastvrij_app::norms::{GroupBy, Source};
    use gastvrij_domain::directory::{Availability, DirectoryInput};
    use gastvrij_domain::telephony::{CallInput, CallOutcome};
    let (app, _clock) = app(db);
    let who = operator();
    // Monday 2 March 2026, office hours (Amsterdam): a contact that waited 10 s, and calls.
    let contact =
        app.create_contact(&who, ContactInput { waiting_seconds: Some(10), ..phone_contact(vec![]) }).await.unwrap();
    let call = |id: &str, at: &str, outcome: CallOutcome, wait: Option<u32>| CallInput {
        call_id: id.into(),
        offered_at: at.parse().unwrap(),
        outcome,
        waiting_seconds: wait,
        agent: Some("agent-7".into()),
        contact_id: None,
    };
    let from: jiff::Timestamp = "2026-03-01T23:00:00Z".parse().unwrap();
    let to: jiff::Timestamp = "2026-03-02T23:00:00Z".parse().unwrap();
    let phone = |report: &gastvrij_app::norms::ComplianceReport| {
        report.groups.iter().find(|g| g.key == "telefoon").map(|g| (g.counts.within_norm, g.counts.late))
    };
    let scan = |app: gastvrij_app::App| async move {
        app.compliance_from(&operator(), from, to, GroupBy::Channel, jiff::SignedDuration::ZERO, Source::Scan)
            .await
            .unwrap()
    };
    assert_eq!(phone(&scan(app.clone()).await), Some((1, 0)), "the contact alone");

    let mut linked = call("c-1", "2026-03-02T09:00:00Z", CallOutcome::Answered, Some(40));
    linked.contact_id = Some(contact.id);
    let calls = vec![
        linked,
        call("c-2", "2026-03-02T09:05:00Z", CallOutcome::Answered, Some(12)),
        call("c-3", "2026-03-02T09:06:00Z", CallOutcome::Abandoned, Some(4)),
        call("c-4", "2026-03-02T09:07:00Z", CallOutcome::Offered, None),
    ];
    assert_eq!(app.record_calls(&who, calls).await.unwrap(), 4);
    // The linked call stands for the contact (40 s: late); c-2 in time; the abandoned one late;
    // the one still in the queue does not count yet.
    assert_eq!(phone(&scan(app.clone()).await), Some((1, 2)));
    let rollup = app
        .compliance_from(&who, from, to, GroupBy::Channel, jiff::SignedDuration::ZERO, Source::Rollup)
        .await
        .unwrap();
    assert_eq!(phone(&rollup), Some((1, 2)), "roll-ups agree with the scan");

    // A repeated report updates the call; a bad call refuses the whole batch.
    let answered = call("c-4", "2026-03-02T09:07:00Z", CallOutcome::Answered, Some(20));
    app.record_calls(&who, vec![answered]).await.unwrap();
    let bad = vec![
        call("c-5", "2026-03-02T09:08:00Z", CallOutcome::Answered, Some(5)),
        call(" ", "2026-03-02T09:09:00Z", CallOutcome::Answered, Some(5)),
    ];
    let err = app.record_calls(&who, bad).await.unwrap_err();
    assert!(matches!(&err, AppError::Invalid(e) if e.path() == "calls[1].call_id"), "{err:?}");
    let stored = app.calls(&who, from, to).await.unwrap();
    assert_eq!(stored.iter().map(|c| c.call_id.as_str()).collect::<Vec<_>>(), vec!["c-1", "c-2", "c-3", "c-4"]);
    assert_eq!(stored[0].contact_id, Some(contact.id));
    assert_eq!(stored[3].outcome, CallOutcome::Answered);
    assert_eq!(phone(&scan(app.clone()).await), Some((2, 2)));

    // The directory: a line per employee, replaced on save.
    let team_id = app.create_team(&who, team("Heffingen")).await.unwrap().id;
    let expert = app
        .create_employee(
            &who,
            EmployeeInput { name: "Els de Vries".into(), team_id: Some(team_id), active: true, ..Default::default() },
        )
        .await
        .unwrap();
    let line = |availability, until: Option<&str>| DirectoryInput {
        expertise: vec!["kwijtschelding".into(), "invordering".into()],
        availability,
        until: until.map(String::from),
        note: None,
    };
    app.save_directory_entry(&who, expert.id, line(Availability::Present, None)).await.unwrap();
    app.save_directory_entry(&who, expert.id, line(Availability::InMeeting, Some("14:30"))).await.unwrap();
    let found = app.directory(&who, "Kwijtschelding").await.unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].team.as_deref(), Some("Heffingen"));
    assert_eq!(found[0].entry.as_ref().map(|e| e.describe()), Some("in overleg tot 14:30".into()));
    assert!(app.directory(&who, "peilbeheer").await.unwrap().is_empty());
}

pub async fn a_forwarded_question_stays_ours_until_the_other_body_confirms(db: &TestDb) {
    let (app, clock) = app(db);
    let who = operator();
    let mut forwarded = question("Lantaarnpaal kapot", Some(Outcome::Forwarded));
    forwarded.forwarded_to = Some("gemeente".into());
    let contact = app.create_contact(&who, phone_contact(vec![forwarded, question("Aanslag", None)])).await.unwrap();
    let (q, other) = (contact.questions[0].id, contact.questions[1].id);
    assert_eq!(contact.questions[0].forward_confirmed_at, None);
    app.close_contact(&who, contact.id).await.unwrap();
    clock.advance_secs(2 * 86_400);
    let confirmed = app.confirm_forward(&who, contact.id, q).await.unwrap();
    assert_eq!(confirmed.questions[0].forward_confirmed_at, Some(app.now()), "confirmed, even after closing");
    let stored = app.contact(&who, contact.id).await.unwrap();
    assert_eq!(stored.questions[0].forward_confirmed_at, Some(app.now()), "kept in the store");
    let twice = app.confirm_forward(&who, contact.id, q).await.unwrap_err();
    assert!(matches!(twice, AppError::Invalid(e) if e.field == "forward_confirmed_at"));
    let not_forwarded = app.confirm_forward(&who, contact.id, other).await.unwrap_err();
    assert!(matches!(not_forwarded, AppError::Invalid(e) if e.field == "outcome"));
}

fn mail_to(to: &str, subject: &str) -> gastvrij_domain::mail::MailInput {
    gastvrij_domain::mail::MailInput {
        kind: gastvrij_domain::mail::MailKind::Ontvangstbevestiging,
        to: to.into(),
        subject: subject.into(),
        body: "Beste inwoner,\n\nWe hebben uw melding ontvangen.".into(),
        reply_to: Some("kcc@lagewaard.nl".into()),
    }
}

/// A transport that refuses every mail, temporarily or for good.
struct RefusingTransport {
    permanent: bool,
}

#[async_trait::async_trait]
impl gastvrij_app::ports::MailTransport for RefusingTransport {
    fn name(&self) -> &'static str {
        "refusing"
    }

    async fn deliver(&self, _: &gastvrij_domain::mail::OutgoingMail) -> Result<(), gastvrij_app::ports::DeliveryError> {
        Err(gastvrij_app::ports::DeliveryError {
            category: if self.permanent { "refused" } else { "connection" },
            permanent: self.permanent,
            reason: "server said no to <jan@example.nl>".into(),
        })
    }
}

pub async fn mail_is_queued_claimed_sent_and_counted(db: &TestDb) {
    use gastvrij_app::ports::MailQuery;
    use gastvrij_domain::mail::{MailCounts, MailStatus, OutgoingMail};
    let (app, clock) = app(db);
    let who = operator();
    let store = app.store().clone();
    let queued = app.queue_mail(&who, mail_to("Jan@Example.NL", "Uw melding is ontvangen – dank u")).await.unwrap();
    let later = {
        clock.advance_secs(1);
        app.queue_mail(&who, mail_to("els@example.nl", "Tweede")).await.unwrap()
    };
    assert_eq!(store.mail_counts().await.unwrap(), MailCounts { pending: 2, sent: 0, failed: 0 });
    let audit = store.audit_log(&AuditQuery { entity_id: Some(queued.id.to_string()), ..Default::default() }).await;
    assert_eq!(audit.unwrap().iter().map(|a| a.action.as_str()).collect::<Vec<_>>(), vec!["mail.queued"]);

    // Claimed whole, oldest first; the lease keeps them from being claimed again.
    let now = app.now();
    let lease = now + jiff::SignedDuration::from_mins(15);
    let claimed = store.due_mail(now, lease, 10).await.unwrap();
    assert_eq!(claimed.iter().map(|c| c.mail.clone()).collect::<Vec<_>>(), vec![queued.clone(), later.clone()]);
    assert_eq!(claimed[0].attempts, 0);
    assert_eq!(claimed[0].mail.to.as_str(), "Jan@example.nl");
    assert_eq!(claimed[0].mail.reply_to.as_ref().map(|r| r.as_str()), Some("kcc@lagewaard.nl"));
    assert!(store.due_mail(now, lease, 10).await.unwrap().is_empty(), "claimed mail is not due");

    store.mail_sent(queued.id, now).await.unwrap();
    assert!(matches!(store.mail_sent(queued.id, now).await, Err(gastvrij_app::StoreError::Conflict(_))));
    assert!(matches!(
        store.mail_sent(gastvrij_domain::ids::MailId::new(), now).await,
        Err(gastvrij_app::StoreError::NotFound(_))
    ));
    assert_eq!(store.mail_counts().await.unwrap(), MailCounts { pending: 1, sent: 1, failed: 0 });
    let sent = store.mail_list(&MailQuery { status: Some(MailStatus::Sent), page: Page::default() }).await.unwrap();
    assert_eq!(sent.len(), 1);
    assert_eq!(
        (sent[0].id, sent[0].attempts, sent[0].sent_at, sent[0].next_attempt_at),
        (queued.id, 1, Some(now), None)
    );
    assert_eq!(sent[0].subject, "Uw melding is ontvangen – dank u");

    // A claimed mail whose worker died is due again once the lease has passed.
    clock.advance_secs(16 * 60);
    let again = store.due_mail(app.now(), app.now() + jiff::SignedDuration::from_mins(15), 10).await.unwrap();
    assert_eq!(again.iter().map(|c| c.mail.id).collect::<Vec<_>>(), vec![later.id]);
    let all = store.mail_list(&MailQuery::default()).await.unwrap();
    assert_eq!(all.iter().map(|m| m.id).collect::<Vec<_>>(), vec![later.id, queued.id], "newest first");

    // Mail queued in a batch exists with its records, or not at all.
    let t = gastvrij_domain::team::Team::create(team("Meldingen")).unwrap();
    let confirmation = OutgoingMail::create(mail_to("piet@example.nl", "Ontvangen"), app.now()).unwrap();
    let batch = Batch { teams: vec![t.clone(), t.clone()], mails: vec![confirmation.clone()], ..Default::default() };
    let change = Change::new(Actor::System, app.now(), "demo.seeded", "batch", "");
    assert!(store.insert_batch(&batch, &change).await.is_err(), "the same team twice");
    assert_eq!(store.mail_counts().await.unwrap().pending, 1, "no mail without its records");
    store.insert_batch(&Batch { teams: vec![t], ..batch }, &change).await.unwrap();
    assert_eq!(store.mail_counts().await.unwrap().pending, 2);
}

pub async fn failed_mail_backs_off_and_is_failed_after_the_last_attempt(db: &TestDb) {
    use gastvrij_domain::mail::{MAX_ATTEMPTS, MailStatus, retry_delay};
    let (app, clock) = app(db);
    let who = operator();
    let mail = app.queue_mail(&who, mail_to("jan@example.nl", "Status gewijzigd")).await.unwrap();
    let down = RefusingTransport { permanent: false };
    let failed_list =
        || async { app.mail_overview(&who, Some(MailStatus::Failed), Page::default()).await.unwrap().mails };
    for attempt in 1..=MAX_ATTEMPTS {
        let report = app.deliver_due_mail(&down, 5).await.unwrap();
        let line = app.mail_overview(&who, None, Page::default()).await.unwrap().mails.remove(0);
        assert_eq!(line.attempts, attempt);
        assert_eq!(line.recipient, "j***@example.nl");
        assert_eq!(line.last_error.as_deref(), Some("connection: server said no to <j***@example.nl>"));
        match retry_delay(attempt) {
            Some(wait) => {
                assert_eq!((report.retrying, report.failed), (1, 0), "attempt {attempt}");
                assert_eq!(line.status, MailStatus::Pending);
                assert_eq!(line.next_attempt_at, Some(app.now() + wait));
                assert_eq!(app.deliver_due_mail(&down, 5).await.unwrap().retrying, 0, "not due before its time");
                clock.advance_secs(wait.as_secs());
            }
            None => {
                assert_eq!((report.retrying, report.failed), (0, 1));
                assert_eq!(line.status, MailStatus::Failed);
                assert_eq!(line.next_attempt_at, None);
            }
        }
    }
    assert_eq!(failed_list().await.iter().map(|m| m.id).collect::<Vec<_>>(), vec![mail.id]);
    clock.advance_secs(86_400);
    assert_eq!(app.deliver_due_mail(&down, 5).await.unwrap(), Default::default(), "failed mail is left alone");

    // Staff retry it once more; a permanent refusal gives up at once.
    app.retry_mail(&who, mail.id).await.unwrap();
    assert!(matches!(app.retry_mail(&who, mail.id).await, Err(AppError::Conflict(_))), "it is pending now");
    let refused = app.deliver_due_mail(&RefusingTransport { permanent: true }, 5).await.unwrap();
    assert_eq!((refused.retrying, refused.failed), (0, 1));
    let line = failed_list().await.remove(0);
    assert_eq!((line.attempts, line.status), (MAX_ATTEMPTS + 1, MailStatus::Failed));
    let fresh = app.queue_mail(&who, mail_to("els@example.nl", "Nieuw")).await.unwrap();
    app.deliver_due_mail(&RefusingTransport { permanent: true }, 5).await.unwrap();
    assert_eq!(
        failed_list().await.iter().map(|m| (m.id, m.attempts)).collect::<Vec<_>>(),
        vec![(fresh.id, 1), (mail.id, MAX_ATTEMPTS + 1)]
    );
    let agent = Principal::employee(gastvrij_domain::ids::EmployeeId::new(), vec![Role::Kcc]);
    assert!(matches!(app.retry_mail(&agent, mail.id).await, Err(AppError::Forbidden(_))));
    assert!(matches!(app.mail_overview(&agent, None, Page::default()).await, Err(AppError::Forbidden(_))));
}

pub async fn a_claimed_mail_is_not_handed_out_twice(db: &TestDb) {
    const MAILS: usize = 60;
    const WORKERS: usize = 6;
    let (app, _) = app(db);
    let who = operator();
    for i in 0..MAILS {
        app.queue_mail(&who, mail_to(&format!("inwoner{i}@example.nl"), &format!("Mail {i}"))).await.unwrap();
    }
    let now = app.now();
    let lease = now + jiff::SignedDuration::from_mins(15);
    let mut workers = vec![];
    for _ in 0..WORKERS {
        let store = app.store().clone();
        workers.push(tokio::spawn(async move {
            let mut mine = vec![];
            loop {
                let batch = store.due_mail(now, lease, 4).await.expect("claim");
                if batch.is_empty() {
                    return mine;
                }
                mine.extend(batch.into_iter().map(|c| c.mail.id));
            }
        }));
    }
    let mut all = vec![];
    for w in workers {
        all.extend(w.await.expect("worker"));
    }
    let distinct: std::collections::BTreeSet<_> = all.iter().collect();
    assert_eq!(all.len(), MAILS, "every mail handed out once: {} claims, {} distinct", all.len(), distinct.len());
    assert_eq!(distinct.len(), MAILS);
}
