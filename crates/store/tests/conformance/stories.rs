//! Stories every backend must pass: organisation, accounts, customers, contacts, cases, audit,
//! batches and schema; the other areas have their own files. The shared builders are here.

use crate::harness::{TestDb, app, operator};
use gastvrij_app::cases::{Assignment, AttachmentInput};
use gastvrij_app::ports::{AuditQuery, Batch, CaseQuery, ContactQuery, CustomerQuery};
use gastvrij_app::{AppError, Page, Principal};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::{CaseInput, CaseResult, CaseStatus, CaseType};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{ContactInput, ContactState, Line, Outcome, QuestionInput};
use gastvrij_domain::customer::{ContactDetails, CustomerInput, CustomerKind, Segment};
use gastvrij_domain::ids::{TeamId, TopicId};
use gastvrij_domain::organisation::Organisation;
use gastvrij_domain::team::{EmployeeInput, Role, TeamInput};
use gastvrij_domain::topic::TopicInput;
use gastvrij_domain::values::{Email, Postcode};
use gastvrij_store::{Database, OpenError, OpenMode};

pub(crate) fn team(name: &str) -> TeamInput {
    TeamInput { name: name.into(), description: Some(format!("Team {name}")) }
}

pub(crate) fn phone_contact(questions: Vec<QuestionInput>) -> ContactInput {
    ContactInput { waiting_seconds: Some(17), questions, ..ContactInput::on(Channel::Telefoon) }
}

pub(crate) fn question(text: &str, outcome: Option<Outcome>) -> QuestionInput {
    QuestionInput { text: text.into(), outcome, ..Default::default() }
}

pub(crate) fn case_input(team: TeamId, case_type: CaseType) -> CaseInput {
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

/// A klacht is closed once its hearing question is settled (Awb 9:10): here, the complainant
/// declined.
pub(crate) async fn heard(app: &gastvrij_app::App, id: gastvrij_domain::ids::CaseId) {
    let declined = gastvrij_domain::complaint::HearingOutcome::NotHeld {
        reason: gastvrij_domain::complaint::NoHearing::KlagerZietAf,
    };
    app.settle_hearing(&operator(), id, declined).await.unwrap();
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

    let other = app.create_contact(&who, ContactInput::on(Channel::Email)).await.unwrap();
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
    let unheard = app.change_case_status(&who, second.id, CaseStatus::Afgehandeld, None).await;
    assert!(matches!(unheard, Err(AppError::Invalid(e)) if e.field == "hearing"), "a klacht is heard first");
    heard(&app, second.id).await;
    let bare = app.change_case_status(&who, second.id, CaseStatus::Afgehandeld, None).await;
    assert!(matches!(bare, Err(AppError::Invalid(e)) if e.field == "status"), "its outcome goes in writing (9:12)");
    app.close_case(&who, second.id, CaseResult::Ongegrond, "Wij vonden geen fout.", "").await.unwrap();
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
    app.store().update_case(&a, version, &change, &[]).await.unwrap();
    let lost_update = app.store().update_case(&b, version, &change, &[]).await;
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

/// Internal tasks: asked of another team, listed for the case and (while open) for that team,
/// the nearest day first; answered once, a second answer is refused and changes nothing.
pub async fn internal_tasks_are_asked_listed_and_answered_once(db: &TestDb) {
    use gastvrij_app::ports::TaskScope;
    let (app, clock) = app(db);
    let who = operator();
    let asking = app.create_team(&who, team("Heffingen")).await.unwrap();
    let asked = app.create_team(&who, team("Waterbeheer")).await.unwrap();
    let case = app.create_case(&who, case_input(asking.id, CaseType::Melding)).await.unwrap();
    let later = app.ask_team(&who, case.id, asked.id, "Kunnen jullie de stuw bekijken?", "2026-03-09").await.unwrap();
    let sooner = app.ask_team(&who, case.id, asked.id, "Is de sloot gemaaid?", "2026-03-04").await.unwrap();
    assert!(app.ask_team(&who, case.id, TeamId::new(), "Wie?", "2026-03-04").await.is_err(), "an unknown team");
    let open = app.store().case_tasks(TaskScope::OpenFor(asked.id)).await.unwrap();
    assert_eq!(open.iter().map(|t| t.id).collect::<Vec<_>>(), vec![sooner.id, later.id], "the nearest day first");
    assert!(app.store().case_tasks(TaskScope::OpenFor(asking.id)).await.unwrap().is_empty());

    clock.advance_secs(3600);
    let answered = app.answer_case_task(&who, sooner.id, "Ja, gisteren.").await.unwrap();
    assert!(app.answer_case_task(&who, sooner.id, "Nog eens").await.is_err(), "answered once");
    let open = app.store().case_tasks(TaskScope::OpenFor(asked.id)).await.unwrap();
    assert_eq!(open.iter().map(|t| t.id).collect::<Vec<_>>(), vec![later.id]);
    let of_case = app.store().case_tasks(TaskScope::Case(case.id)).await.unwrap();
    assert_eq!(of_case.len(), 2);
    let stored = of_case.iter().find(|t| t.id == sooner.id).unwrap();
    assert_eq!(stored, &answered, "stored as answered: {stored:?}");
    assert_eq!(stored.due_on, jiff::civil::date(2026, 3, 4));
    // A stale answer (written meanwhile by someone else) is a conflict.
    let mut stale = later.clone();
    stale.answer("Eerst", None, app.now()).unwrap();
    let change = Change::new(Actor::Operator, app.now(), "case.task_answered", case.id, "");
    app.store().answer_case_task(&stale, &change).await.unwrap();
    assert!(app.store().answer_case_task(&stale, &change).await.is_err(), "a second write is refused");
}
