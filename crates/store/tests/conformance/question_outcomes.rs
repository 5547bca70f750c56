//! Stories of recording a question with its outcome: the question and the case or the
//! consultation it leads to are stored together, or not at all.

use crate::harness::{TestDb, app, operator};
use gastvrij_app::AppError;
use gastvrij_app::ports::{CaseQuery, ConsultationQuery, FollowUp};
use gastvrij_app::workspace::{HandoverInput, QuestionOutcome, RecordQuestion};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::{Case, CaseInput, CaseType};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{ContactInput, Outcome, Question, QuestionInput};
use gastvrij_domain::customer::CustomerInput;
use gastvrij_domain::ids::TeamId;
use gastvrij_domain::kennisbank::{Consultation, ConsultationInput};
use gastvrij_domain::team::TeamInput;

crate::stories!(
    question_outcomes:
    a_question_is_recorded_with_its_case_or_consultation_or_not_at_all,
    a_failing_follow_up_leaves_the_contact_as_it_was,
    the_contact_screen_reads_the_cases_and_consultations_of_its_own_questions,
    a_case_from_a_phone_call_is_acknowledged_and_tracked_like_a_web_form,
    the_klantoverleg_counts_the_quarters_questions_per_topic_and_channel_and_the_teams_consultations,
);

fn record(text: &str, outcome: QuestionOutcome) -> RecordQuestion {
    RecordQuestion { input: QuestionInput { text: text.into(), ..Default::default() }, outcome }
}

fn handover(team_id: TeamId) -> QuestionOutcome {
    QuestionOutcome::HandOver(HandoverInput {
        team_id,
        case_type: CaseType::Klacht,
        note: Some("Klant belt al voor de derde keer".into()),
        urgent: false,
    })
}

pub async fn a_question_is_recorded_with_its_case_or_consultation_or_not_at_all(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    let team = app.create_team(&who, TeamInput { name: "Heffingen".into(), description: None }).await.unwrap();
    let contact = app.create_contact(&who, ContactInput::on(Channel::Telefoon)).await.unwrap();
    let cases = || async { app.cases(&who, &CaseQuery::default()).await.unwrap() };
    let consultations = || async { app.consultations(&who, &ConsultationQuery::default()).await.unwrap() };

    // The second part fails (an unknown team): neither the question nor the case or consultation is stored.
    let unknown = TeamId::new();
    let e = app.record_question(&who, contact.id, record("Aanslag te hoog", handover(unknown))).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref i) if i.field == "team_id"), "{e:?}");
    let ask = QuestionOutcome::Consult { team: unknown, question: "Klopt de WOZ-waarde?".into() };
    let e = app.record_question(&who, contact.id, record("Aanslag te hoog", ask)).await.unwrap_err();
    assert!(matches!(e, AppError::Invalid(ref i) if i.field == "team_id"), "{e:?}");
    assert!(app.contact(&who, contact.id).await.unwrap().questions.is_empty(), "no question stored");
    assert!(cases().await.is_empty(), "no case stored");
    assert!(consultations().await.is_empty(), "no consultation stored");

    // Handed over: the question and the case with its reference, deadlines and note.
    let done = app.record_question(&who, contact.id, record("Aanslag te hoog", handover(team.id))).await.unwrap();
    let case = done.case.expect("a handover makes a case");
    assert!(!case.reference.is_empty());
    assert!(case.timing.deadlines.is_some(), "the norm gives deadlines");
    let stored = app.case_by_reference(&who, &case.reference).await.unwrap();
    assert_eq!((stored.id, stored.team_id, stored.contact_id), (case.id, team.id, Some(contact.id)));
    assert_eq!(stored.notes.len(), 1, "the handover note");
    let q = &app.contact(&who, contact.id).await.unwrap().questions[0];
    assert_eq!((q.id, q.case_id, q.outcome), (done.question, Some(case.id), Some(Outcome::HandedOver)));

    // Consulted: the question and the consultation about it.
    let ask = QuestionOutcome::Consult { team: team.id, question: "Klopt de WOZ-waarde?".into() };
    let done = app.record_question(&who, contact.id, record("WOZ-waarde", ask)).await.unwrap();
    let asked = consultations().await;
    assert_eq!(asked.len(), 1);
    assert_eq!((asked[0].question_id, asked[0].to_team), (Some(done.question), Some(team.id)));
    assert_eq!(app.contact(&who, contact.id).await.unwrap().questions.len(), 2);

    // Handing that question over later still makes one case, linked to it.
    let (after, later) = app
        .hand_over_question(
            &who,
            contact.id,
            done.question,
            HandoverInput { team_id: team.id, case_type: CaseType::Vraag, note: None, urgent: false },
        )
        .await
        .unwrap();
    assert_ne!(later.reference, case.reference);
    assert_eq!(after.questions[1].case_id, Some(later.id));
    assert_eq!(app.contact(&who, contact.id).await.unwrap().questions[1].case_id, Some(later.id));
    assert_eq!(cases().await.len(), 2);
}

pub async fn a_failing_follow_up_leaves_the_contact_as_it_was(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    let store = &db.store;
    let contact = app.create_contact(&who, ContactInput::on(Channel::Telefoon)).await.unwrap();
    let (mut changed, version) = store.contact(contact.id).await.unwrap().unwrap();
    let question = Question::create(QuestionInput { text: "Aanslag te hoog".into(), ..Default::default() }).unwrap();
    let question_id = question.id;
    changed.questions.push(question);
    let change = Change::new(Actor::Operator, app.now(), "contact.question_added", contact.id, "");

    // The consultation is written after the contact; its unknown team undoes the contact too.
    let ask = ConsultationInput {
        contact_id: Some(contact.id),
        question_id: Some(question_id),
        to_team: Some(TeamId::new()),
        to_employee: None,
        question: "Klopt dit?".into(),
    };
    let consultation = Consultation::ask(ask, None, app.now()).unwrap();
    let asked = Change::new(Actor::Operator, app.now(), "consultation.asked", consultation.id, "");
    let follow_up = FollowUp::Consultation { consultation: &consultation, change: &asked };
    assert!(store.update_contact_with(&changed, version, &change, follow_up).await.is_err());
    let (kept, kept_version) = store.contact(contact.id).await.unwrap().unwrap();
    assert!(kept.questions.is_empty(), "the question is not stored");
    assert_eq!(kept_version, version);

    // A case for an unknown team: no case, no question, and the reference counter did not move.
    let input = CaseInput {
        case_type: CaseType::Vraag,
        team_id: TeamId::new(),
        topic_id: None,
        owner_id: None,
        customer_id: None,
        contact_id: Some(contact.id),
        subject: "Aanslag te hoog".into(),
        intent: None,
        urgent: false,
    };
    let case = Case::create(input, None, app.now()).unwrap();
    let created = Change::new(Actor::Operator, app.now(), "case.created", case.id, "");
    let follow_up = FollowUp::Case { case: &case, scope: "WS-2026", change: &created, tracked: None };
    assert!(store.update_contact_with(&changed, version, &change, follow_up).await.is_err());
    assert!(store.contact(contact.id).await.unwrap().unwrap().0.questions.is_empty());
    assert!(app.cases(&who, &CaseQuery::default()).await.unwrap().is_empty());

    // The same follow-up with a real team stores both, with the first reference of the scope.
    let team = app.create_team(&who, TeamInput { name: "Heffingen".into(), description: None }).await.unwrap();
    let mut case = case;
    case.team_id = team.id;
    changed.questions[0].case_id = Some(case.id);
    let follow_up = FollowUp::Case { case: &case, scope: "WS-2026", change: &created, tracked: None };
    let (new_version, reference) = store.update_contact_with(&changed, version, &change, follow_up).await.unwrap();
    assert_eq!((new_version, reference.as_deref()), (version + 1, Some("WS-2026-000001")));
    let (stored, _) = store.contact(contact.id).await.unwrap().unwrap();
    assert_eq!(stored.questions[0].case_id, Some(case.id));
    assert_eq!(store.case(case.id).await.unwrap().unwrap().0.reference, "WS-2026-000001");
}

pub async fn the_contact_screen_reads_the_cases_and_consultations_of_its_own_questions(db: &TestDb) {
    let (app, clock) = app(db);
    let who = operator();
    let team = app.create_team(&who, TeamInput { name: "Heffingen".into(), description: None }).await.unwrap();
    let customer = app
        .create_customer(&who, CustomerInput { name: Some("Ærø Özdemir".into()), ..Default::default() })
        .await
        .unwrap();
    let ask = |q: &str| QuestionOutcome::Consult { team: team.id, question: q.into() };

    // An earlier contact of the same customer, with a case of its own.
    let earlier = app.create_contact(&who, ContactInput::on(Channel::Telefoon)).await.unwrap();
    app.link_contact_customer(&who, earlier.id, Some(customer.id)).await.unwrap();
    let old = app.record_question(&who, earlier.id, record("Vorige aanslag", handover(team.id))).await.unwrap();
    app.record_question(&who, earlier.id, record("Vorige vraag", ask("Vorige ruggespraak"))).await.unwrap();
    clock.advance_secs(60);

    // This contact: two cases and a consultation among five questions.
    let contact = app.create_contact(&who, ContactInput::on(Channel::Telefoon)).await.unwrap();
    let mut made = vec![];
    for (text, outcome) in [
        ("Aanslag te hoog", handover(team.id)),
        ("Wanneer wordt er gemaaid?", QuestionOutcome::Answered),
        ("WOZ-waarde", ask("Klopt de WOZ-waarde?")),
        ("Kwijtschelding", handover(team.id)),
        ("Afval", QuestionOutcome::Forward { to: "Gemeente".into() }),
    ] {
        made.push(app.record_question(&who, contact.id, record(text, outcome)).await.unwrap());
    }
    let screen = app.contact_screen(&who, contact.id).await.unwrap();
    assert_eq!(screen.contact.questions.len(), 5);
    let mut expected: Vec<_> = made.iter().filter_map(|m| m.case.as_ref().map(|c| c.id)).collect();
    let mut got: Vec<_> = screen.cases.iter().map(|c| c.id).collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "exactly the cases of this contact's questions");
    let asked: Vec<_> = made.iter().filter_map(|m| m.consultation.as_ref().map(|c| c.id)).collect();
    assert_eq!(screen.consultations.iter().map(|c| c.id).collect::<Vec<_>>(), asked);
    assert!(screen.teams.iter().any(|t| t.id == team.id));
    // No customer yet: no card.
    assert!(screen.customer.is_none());

    app.link_contact_customer(&who, contact.id, Some(customer.id)).await.unwrap();
    let screen = app.contact_screen(&who, contact.id).await.unwrap();
    let side = screen.customer.expect("the customer card");
    assert_eq!(side.customer.id, customer.id);
    assert_eq!(side.earlier.iter().map(|c| c.id).collect::<Vec<_>>(), vec![earlier.id], "the other contact only");
    // The customer's open cases: the earlier contact's (this contact's cases were made before the
    // customer was known).
    let open: Vec<_> = side.open_cases.iter().map(|c| c.id).collect();
    assert_eq!(open, vec![old.case.unwrap().id]);
}

/// Issue 14: a caller whose question becomes a case hears of it as a web form's sender does —
/// the acknowledgement with the reference, the expected date and a working tracking link, and
/// later the status mails — when their e-mail address is known; without one no mail is made.
pub async fn a_case_from_a_phone_call_is_acknowledged_and_tracked_like_a_web_form(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    let team = app.create_team(&who, TeamInput { name: "Heffingen".into(), description: None }).await.unwrap();
    let details = gastvrij_domain::customer::ContactDetails {
        email: Some("sanne.smit@example.nl".parse().unwrap()),
        ..Default::default()
    };
    let known = CustomerInput { name: Some("Sanne Smit".into()), details, ..Default::default() };
    let known = app.create_customer(&who, known).await.unwrap();
    let unknown = CustomerInput { name: Some("Piet Jansen".into()), ..Default::default() };
    let unknown = app.create_customer(&who, unknown).await.unwrap();
    let due = || async {
        let now = app.now();
        app.store().due_mail(now, now + jiff::SignedDuration::from_mins(15), 100).await.unwrap()
    };

    let call = |customer| ContactInput { customer_id: Some(customer), ..ContactInput::on(Channel::Telefoon) };
    let without = app.create_contact(&who, call(unknown.id)).await.unwrap();
    let done =
        app.record_question(&who, without.id, record("Mijn aanslag klopt niet", handover(team.id))).await.unwrap();
    let quiet = done.case.unwrap();
    assert!(due().await.is_empty(), "no address, no mail");
    assert!(app.submission_for_case(&who, quiet.id).await.unwrap().is_none(), "and nothing to track");

    let with = app.create_contact(&who, call(known.id)).await.unwrap();
    let done = app.record_question(&who, with.id, record("Mijn aanslag klopt niet", handover(team.id))).await.unwrap();
    let case = done.case.unwrap();
    let mails = due().await;
    assert_eq!(mails.len(), 1, "one acknowledgement");
    let ack = &mails[0].mail;
    assert_eq!((ack.kind.code(), ack.to.as_str()), ("ontvangstbevestiging", "sanne.smit@example.nl"));
    assert!(ack.subject.contains(&case.reference), "{}", ack.subject);
    assert!(ack.body.contains("Beste Sanne Smit"), "{}", ack.body);
    assert!(ack.body.contains("U hoort uiterlijk op"), "the expected answer date: {}", ack.body);
    let token = ack.body.split("/volgen/").nth(1).expect("a tracking link").split_whitespace().next().unwrap();
    let tracking = app.track(token).await.unwrap();
    assert_eq!(tracking.record.case.id, case.id, "the link follows the case");
    assert!(tracking.expected.is_some());

    // Status mails reach this citizen as they reach a web form's sender.
    app.change_case_status(&who, case.id, gastvrij_domain::case::CaseStatus::InBehandeling, None).await.unwrap();
    let news: Vec<_> = due().await.into_iter().filter(|m| m.mail.kind.code() == "statuswijziging").collect();
    assert_eq!(news.len(), 1);
    assert_eq!(news[0].mail.to.as_str(), "sanne.smit@example.nl");
}

pub async fn the_klantoverleg_counts_the_quarters_questions_per_topic_and_channel_and_the_teams_consultations(
    db: &TestDb,
) {
    use gastvrij_domain::topic::TopicInput;
    let (app, clock) = app(db);
    let who = operator();
    let team = app.create_team(&who, TeamInput { name: "Heffingen".into(), description: None }).await.unwrap();
    let other = app.create_team(&who, TeamInput { name: "Vergunningen".into(), description: None }).await.unwrap();
    let topic = |name: &str, team_id| TopicInput { name: name.into(), parent_id: None, team_id: Some(team_id) };
    let belasting = app.create_topic(&who, topic("Belastingen", team.id)).await.unwrap();
    let vergunning = app.create_topic(&who, topic("Watervergunning", other.id)).await.unwrap();
    let ask =
        |team_id, topic_id| QuestionOutcome::Consult { team: team_id, question: format!("Vraag over {topic_id}") };
    let with_topic = |text: &str, topic_id, outcome| RecordQuestion {
        input: QuestionInput { text: text.into(), topic_id: Some(topic_id), ..Default::default() },
        outcome,
    };

    // Last year's contact does not count in this quarter.
    clock.advance_secs(-80 * 86_400);
    let old = app.create_contact(&who, ContactInput::on(Channel::Telefoon)).await.unwrap();
    app.record_question(&who, old.id, with_topic("Oud", belasting.id, ask(team.id, belasting.id))).await.unwrap();
    clock.advance_secs(80 * 86_400);

    let phone = app.create_contact(&who, ContactInput::on(Channel::Telefoon)).await.unwrap();
    let mail = app.create_contact(&who, ContactInput::on(Channel::Email)).await.unwrap();
    let asked =
        app.record_question(&who, phone.id, with_topic("Aanslag", belasting.id, ask(team.id, belasting.id))).await;
    let asked = asked.unwrap().consultation.unwrap();
    app.record_question(&who, phone.id, with_topic("Nog een", belasting.id, QuestionOutcome::Answered)).await.unwrap();
    app.record_question(&who, mail.id, with_topic("Per mail", belasting.id, QuestionOutcome::Answered)).await.unwrap();
    let elsewhere = ask(other.id, vergunning.id);
    app.record_question(&who, phone.id, with_topic("Steiger", vergunning.id, elsewhere)).await.unwrap();
    clock.advance_secs(5_400);
    app.answer_consultation(&who, asked.id, "Ja.").await.unwrap();

    let review = app.quarterly_review(&who, team.id, 2026, 1).await.unwrap();
    assert_eq!(review.questions.len(), 1, "only the team's topic: {:?}", review.questions);
    let row = &review.questions[0];
    let column = |c: Channel| Channel::ALL.iter().position(|x| *x == c).unwrap();
    assert_eq!(
        (
            row.topic.as_str(),
            row.total,
            row.per_channel[column(Channel::Telefoon)],
            row.per_channel[column(Channel::Email)]
        ),
        ("Belastingen", 3, 2, 1)
    );
    let c = &review.consultations;
    assert_eq!((c.asked, c.answered, c.open, c.median_hours), (1, 1, 0, Some(1.5)), "this quarter's only");
    let last_year = app.quarterly_review(&who, team.id, 2025, 4).await.unwrap();
    assert_eq!((last_year.consultations.asked, last_year.consultations.open), (1, 1));
    assert_eq!(last_year.questions[0].total, 1);
}
