//! Stories of personal data (AVG): everything held on one customer is exported, erasing it keeps
//! the case figures and is idempotent, and retention follows the clock.

use crate::harness::{TestDb, app, operator};
use crate::portal::{Citizen, melding_from, photo};
use gastvrij_app::App;
use gastvrij_app::ports::{AuditQuery, ERASED, NewSubmission};
use gastvrij_app::privacy::RetentionRun;
use gastvrij_app::{Page, Principal};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::CaseStatus;
use gastvrij_domain::customer::{ContactDetails, Customer, CustomerInput, CustomerKind};
use gastvrij_domain::ids::{CaseId, CustomerId, TeamId, TopicId};
use gastvrij_domain::mail::{MailInput, MailKind};
use gastvrij_domain::planned_works::SubscriptionForm;
use gastvrij_domain::portal::{Message, SurveyAnswer};
use gastvrij_domain::team::TeamInput;
use gastvrij_domain::topic::TopicInput;
use jiff::{SignedDuration, Timestamp};

crate::stories!(
    privacy:
    everything_on_a_customer_is_exported_and_erasing_keeps_the_figures,
    retention_anonymises_and_deletes_by_the_clock,
);

async fn team_and_topic(app: &App) -> (TeamId, TopicId) {
    let who = operator();
    let team = app.create_team(&who, TeamInput { name: "Team Water".into(), description: None }).await.unwrap();
    let topic = app
        .create_topic(&who, TopicInput { name: "Wateroverlast".into(), parent_id: None, team_id: Some(team.id) })
        .await
        .unwrap();
    (team.id, topic.id)
}

pub(crate) async fn customer(app: &App, name: &str, email: &str) -> Customer {
    let input = CustomerInput {
        kind: Some(CustomerKind::Persoon),
        name: Some(name.into()),
        segments: vec![],
        details: ContactDetails {
            email: Some(email.parse().unwrap()),
            phone: Some("0612345678".parse().unwrap()),
            postcode: Some("2611 AB".parse().unwrap()),
            house_number: Some("12".into()),
            street: Some("Oude Delft".into()),
            city: Some("Delft".into()),
            kvk_number: None,
        },
    };
    app.create_customer(&operator(), input).await.unwrap()
}

/// A melding from `name` <`email`> on a case of `customer`, stored with one photo.
async fn melding(
    app: &App,
    area: (TeamId, TopicId),
    customer: Option<CustomerId>,
    name: &str,
    email: &str,
) -> NewSubmission {
    let from = Citizen { customer, name, email };
    let description = "Er ligt een dode vis in de sloot bij mijn huis";
    let token = format!("{:0>48}", CaseId::new().to_string().replace('-', ""));
    let mut new = melding_from(app, area, from, description, &token).await;
    new.photos = vec![photo(&new, None, b"png", app.now())];
    let change = Change::new(Actor::Public, app.now(), "submission.received", new.submission.id, "melding");
    app.store().insert_submission(&new, &change).await.unwrap();
    new
}

async fn actions(app: &App, entity: impl ToString) -> Vec<(String, String)> {
    let query = AuditQuery { entity_id: Some(entity.to_string()), page: Page::first(500), ..Default::default() };
    app.store().audit_log(&query).await.unwrap().into_iter().map(|e| (e.action, e.summary)).collect()
}

pub async fn everything_on_a_customer_is_exported_and_erasing_keeps_the_figures(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    let store = app.store();
    let area = team_and_topic(&app).await;
    let jan = customer(&app, "Jan de Vries", "Jan@Example.nl").await;
    let piet = customer(&app, "Piet Bakker", "piet@example.nl").await;
    let new = melding(&app, area, Some(jan.id), "Jan de Vries", "jan@example.nl").await;
    let other = melding(&app, area, Some(piet.id), "Piet Bakker", "piet@example.nl").await;
    let now = app.now();
    let message = Message::from_citizen(new.submission.id, "Ik ben Jan, bel me op 0612345678", now).unwrap();
    let change = Change::new(Actor::Public, now, "submission.information_added", new.submission.id, "");
    store.insert_submission_message(&message, &[], &[], &change).await.unwrap();
    let answer = SurveyAnswer {
        submission_id: new.submission.id,
        grade: 6,
        solved: true,
        effort: 2,
        comment: Some("Groeten van Jan".into()),
        reopen_requested: false,
        answered_at: now,
    };
    let answered = Change::new(Actor::Public, now, "survey.answered", new.submission.id, "");
    store.insert_survey_answer(&answer, &answered, None).await.unwrap();
    app.add_case_note(&who, new.case.id, "Meneer De Vries woont op nummer 12").await.unwrap();
    let answer = "Meneer De Vries krijgt een nieuwe duiker";
    app.close_case(&who, new.case.id, gastvrij_domain::case::CaseResult::Opgelost, answer, "").await.unwrap();
    let form = SubscriptionForm { email: "JAN@example.nl".into(), postcode: "2611 AB".into() };
    app.subscribe_to_works(&form).await.unwrap();
    let mail = MailInput {
        kind: MailKind::Statuswijziging,
        to: "jan@example.nl".into(),
        subject: "Uw zaak".into(),
        body: "Beste Jan".into(),
        reply_to: None,
    };
    app.queue_mail(&who, mail).await.unwrap();

    // Export: every section holds Jan's rows, and only his.
    let data = app.export_customer(&who, jan.id).await.unwrap();
    assert_eq!(data.customer["name"], "Jan de Vries");
    assert_eq!(data.customer["email"], "Jan@example.nl", "the domain is stored lower-cased");
    assert_eq!(data.contacts.len(), 1);
    assert_eq!(data.questions.len(), 1);
    assert_eq!(data.cases.len(), 1);
    assert_eq!(data.cases[0]["status"], "afgehandeld");
    assert_eq!(data.cases[0]["answer"], answer, "the answer the citizen got");
    assert_eq!(data.case_status_history.len(), 2, "received and closed");
    assert_eq!(data.case_notes.len(), 1);
    assert_eq!(data.submissions.len(), 1);
    assert_eq!(data.submissions[0]["name"], "Jan de Vries");
    assert_eq!(data.submission_messages.len(), 1);
    assert_eq!(data.submission_photos.len(), 1);
    assert_eq!(data.survey_answers.len(), 1);
    assert_eq!(data.work_subscriptions.len(), 1);
    let kinds: Vec<&str> = data.mails.iter().map(|m| m["kind"].as_str().unwrap()).collect();
    assert!(
        kinds.len() >= 2 && kinds.contains(&"aanmelding"),
        "status mail, confirmation and the queued mail: {kinds:?}"
    );
    let json = serde_json::to_string(&data).unwrap();
    assert!(!json.contains("Piet") && !json.contains("piet@"), "nothing of another person");
    assert!(!json.contains("token_hash") && !json.contains("confirm_hash"), "no secrets");
    assert!(actions(&app, jan.id).await.iter().any(|(a, s)| a == "customer.exported" && s.is_empty()));
    assert!(matches!(
        app.export_customer(&who, CustomerId::new()).await,
        Err(gastvrij_app::AppError::NotFound("customer"))
    ));
    let clerk = Principal::employee(gastvrij_domain::ids::EmployeeId::new(), vec![gastvrij_domain::team::Role::Kcc]);
    assert!(app.export_customer(&clerk, jan.id).await.is_err(), "only a beheerder exports");

    let case_before = store.case(new.case.id).await.unwrap().unwrap().0;
    let erased = app.erase_customer(&who, jan.id).await.unwrap();
    assert_eq!((erased.customers, erased.questions, erased.case_notes), (1, 1, 1));
    assert_eq!((erased.submissions, erased.messages, erased.survey_comments, erased.photos), (1, 1, 1, 1));
    assert_eq!(erased.subscriptions, 1);
    assert!(erased.mails >= 2, "{erased:?}");
    let audit = actions(&app, jan.id).await;
    assert!(audit.iter().any(|(a, s)| a == "customer.erased" && s.contains("customers=1")), "{audit:?}");
    assert!(audit.iter().all(|(_, s)| !s.contains("Jan")), "no personal data in the audit log");

    // Personal fields are gone; the figures stay.
    let gone = store.customer(jan.id).await.unwrap().unwrap();
    assert_eq!((gone.name, gone.details), (None, ContactDetails::default()));
    let query = gastvrij_app::ports::CustomerQuery { text: Some("jan".into()), ..Default::default() };
    assert!(app.customers(&who, &query).await.unwrap().is_empty(), "not found by name any more");
    let case_after = store.case(new.case.id).await.unwrap().unwrap().0;
    assert_eq!(
        (&case_after.reference, &case_after.subject, case_after.status, case_after.case_type, case_after.closed_at),
        (
            &case_before.reference,
            &case_before.subject,
            case_before.status,
            case_before.case_type,
            case_before.closed_at
        )
    );
    assert_eq!((case_after.history, case_after.timing), (case_before.history, case_before.timing));
    let closure = case_after.closure.expect("the result stays");
    assert!(!closure.answer.contains("Vries"), "the answer is erased: {}", closure.answer);
    let record = store.submission_by_case(new.case.id).await.unwrap().unwrap();
    let s = &record.submission;
    assert_eq!((s.name.as_deref(), s.email.is_none(), s.phone.is_none()), (None, true, true));
    assert_eq!((s.description.as_str(), s.location.house_number.as_deref()), (ERASED, None));
    assert_eq!(s.location.postcode.as_ref().map(|p| p.to_string()).as_deref(), Some("2611 AB"), "the area stays");
    assert!(record.photos.is_empty());
    assert_eq!(record.messages[0].text, ERASED);
    assert_eq!(record.survey.as_ref().map(|a| (a.grade, a.comment.clone())), Some((6, None)));
    let after = app.export_customer(&who, jan.id).await.unwrap();
    let json = serde_json::to_string(&after).unwrap();
    assert!(!json.to_lowercase().contains("jan"), "nothing of Jan is left: {json}");
    assert_eq!((after.cases.len(), after.mails.len(), after.work_subscriptions.len()), (1, 0, 0));

    // Piet is untouched; a second erasure changes nothing.
    let kept = store.submission_by_case(other.case.id).await.unwrap().unwrap();
    assert_eq!(kept.submission.name.as_deref(), Some("Piet Bakker"));
    assert_eq!(kept.photos.len(), 1);
    assert_eq!(store.customer(piet.id).await.unwrap().unwrap().name.as_deref(), Some("Piet Bakker"));
    assert_eq!(app.erase_customer(&who, jan.id).await.unwrap().total(), 0);
    let erasures = actions(&app, jan.id).await.into_iter().filter(|(a, _)| a == "customer.erased").count();
    assert_eq!(erasures, 1, "a run that changes nothing is not a change");
}

pub async fn retention_anonymises_and_deletes_by_the_clock(db: &TestDb) {
    let (app, clock) = app(db);
    let who = operator();
    let store = app.store();
    let area = team_and_topic(&app).await;
    let t0: Timestamp = app.now();
    let days = |d: i64| SignedDuration::from_hours(24 * d);

    let early = melding(&app, area, None, "Ans Jansen", "ans@example.nl").await;
    let late = melding(&app, area, None, "Bas Smit", "bas@example.nl").await;
    app.change_case_status(&who, early.case.id, CaseStatus::Afgehandeld, None).await.unwrap();
    app.subscribe_to_works(&SubscriptionForm { email: "s1@example.nl".into(), postcode: "2611 AB".into() })
        .await
        .unwrap();
    clock.advance_secs(2 * 24 * 3600);
    app.change_case_status(&who, late.case.id, CaseStatus::Afgehandeld, None).await.unwrap();
    app.subscribe_to_works(&SubscriptionForm { email: "s2@example.nl".into(), postcode: "2611 AB".into() })
        .await
        .unwrap();
    let t2 = app.now();
    let due = store.due_mail(t2, t2 + days(1), 100).await.unwrap();
    assert_eq!(due.len(), 4, "two status mails and two confirmations");
    for m in &due {
        store.mail_sent(m.mail.id, t2).await.unwrap();
    }

    let dry = |at: Timestamp| {
        let app = app.clone();
        async move {
            match app.apply_retention(at, true).await.unwrap() {
                RetentionRun::Done(c) => (c.cases, c.mail_bodies, c.unconfirmed_subscriptions),
                RetentionRun::ClaimedElsewhere => panic!("nobody else runs"),
            }
        }
    };
    // Unconfirmed subscriptions: 7 days. Mail bodies: 30 days after sending. Cases: 730 days.
    assert_eq!(dry(t0 + days(7) - SignedDuration::from_secs(1)).await, (0, 0, 0));
    assert_eq!(dry(t0 + days(7) + SignedDuration::from_secs(1)).await, (0, 0, 1));
    assert_eq!(dry(t2 + days(30) - SignedDuration::from_secs(1)).await.1, 0);
    assert_eq!(dry(t2 + days(30)).await.1, 4);
    // The early case closed 2 years + 1 day ago, the late one 2 years − 1 day ago.
    let at = t0 + days(731);
    assert_eq!(dry(at).await, (1, 4, 2));
    assert!(store.submission_by_case(early.case.id).await.unwrap().unwrap().submission.name.is_some(), "dry run");

    let RetentionRun::Done(done) = app.apply_retention(at, false).await.unwrap() else { panic!("claimed") };
    assert_eq!((done.cases, done.mail_bodies, done.unconfirmed_subscriptions), (1, 4, 2));
    let early_after = store.submission_by_case(early.case.id).await.unwrap().unwrap();
    assert_eq!(early_after.submission.name, None);
    assert_eq!(early_after.submission.description, ERASED);
    assert!(early_after.photos.is_empty(), "photos go with their case");
    let question = |c: &NewSubmission| {
        let id = c.contact.id;
        async move { store.contact(id).await.unwrap().unwrap().0.questions[0].text.clone() }
    };
    assert_eq!(question(&early).await, ERASED, "the question that opened the case copied the description");
    assert_ne!(question(&late).await, ERASED);
    assert_eq!(early_after.case.status, CaseStatus::Afgehandeld, "figures stay");
    let late_after = store.submission_by_case(late.case.id).await.unwrap().unwrap();
    assert_eq!(late_after.submission.name.as_deref(), Some("Bas Smit"));
    assert_eq!(late_after.photos.len(), 1);
    let runs = actions(&app, "retention").await;
    assert_eq!(
        runs,
        vec![(
            "privacy.retention".to_string(),
            "cases=1 mail_bodies=4 unconfirmed_subscriptions=2 search_questions=0".to_string()
        )]
    );

    // Nothing twice; two days on, the late case is due.
    let RetentionRun::Done(again) = app.apply_retention(at, false).await.unwrap() else { panic!("claimed") };
    assert_eq!(again.total(), 0);
    let RetentionRun::Done(later) = app.apply_retention(at + days(2), false).await.unwrap() else { panic!() };
    assert_eq!(later.cases, 1);
    assert_eq!(store.submission_by_case(late.case.id).await.unwrap().unwrap().submission.name, None);
}
