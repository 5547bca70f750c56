//! Contact figures (issue 15): known contacts give known figures — first time right, the
//! consultations, the handovers per team, per channel and per hour of the week — and the team
//! filter keeps only the contacts of that team's agents.

use crate::harness::{TestDb, app, operator};
use gastvrij_app::contact_figures::{ContactFiguresQuery, hour_of_week};
use gastvrij_app::workspace::{HandoverInput, QuestionOutcome, RecordQuestion};
use gastvrij_domain::case::CaseType;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{ContactInput, QuestionInput};
use gastvrij_domain::team::{EmployeeInput, TeamInput};

crate::stories!(
    contact_figures:
    known_contacts_give_known_contact_figures,
);

fn record(text: &str, outcome: QuestionOutcome) -> RecordQuestion {
    RecordQuestion { input: QuestionInput { text: text.into(), ..Default::default() }, outcome }
}

pub async fn known_contacts_give_known_contact_figures(db: &TestDb) {
    let (app, _) = app(db);
    let who = operator();
    let team = app.create_team(&who, TeamInput { name: "Heffingen".into(), description: None }).await.unwrap();
    let other = app.create_team(&who, TeamInput { name: "Meldingen".into(), description: None }).await.unwrap();
    let agent = app
        .create_employee(&who, EmployeeInput { name: "Agent".into(), team_id: Some(other.id), ..Default::default() })
        .await
        .unwrap();

    // 1: phone, answered at once, closed: first time right (agent of "Meldingen").
    let one = app
        .create_contact(&who, ContactInput { agent_id: Some(agent.id), ..ContactInput::on(Channel::Telefoon) })
        .await
        .unwrap();
    app.record_question(&who, one.id, record("Wanneer komt de aanslag?", QuestionOutcome::Answered)).await.unwrap();
    app.close_contact(&who, one.id).await.unwrap();
    // 2: e-mail, handed over to "Heffingen", closed: not first time right.
    let two = app.create_contact(&who, ContactInput::on(Channel::Email)).await.unwrap();
    let hand = QuestionOutcome::HandOver(HandoverInput {
        team_id: team.id,
        case_type: CaseType::Vraag,
        note: None,
        urgent: false,
    });
    app.record_question(&who, two.id, record("Aanslag te hoog", hand)).await.unwrap();
    app.close_contact(&who, two.id).await.unwrap();
    // 3: phone, consulted (answered and made into an article), closed: not first time right.
    let three = app.create_contact(&who, ContactInput::on(Channel::Telefoon)).await.unwrap();
    let ask = QuestionOutcome::Consult { team: team.id, question: "Klopt de WOZ-waarde?".into() };
    app.record_question(&who, three.id, record("WOZ-waarde", ask)).await.unwrap();
    let consult = app.consultations(&who, &Default::default()).await.unwrap().remove(0);
    app.answer_consultation(&who, consult.id, "Ja, die klopt.").await.unwrap();
    app.consultation_to_article(&who, consult.id, Some("WOZ-waarde controleren")).await.unwrap();
    app.close_contact(&who, three.id).await.unwrap();
    // 4: phone, answered at once but still open: counted, not closed.
    let four = app.create_contact(&who, ContactInput::on(Channel::Telefoon)).await.unwrap();
    app.record_question(&who, four.id, record("Openingstijden", QuestionOutcome::Answered)).await.unwrap();
    // 5: started before the period: not counted.
    let before =
        ContactInput { started_at: Some("2026-01-05T09:00:00Z".parse().unwrap()), ..ContactInput::on(Channel::Brief) };
    app.create_contact(&who, before).await.unwrap();

    let q = ContactFiguresQuery::default();
    let r = app.contact_figures(&who, &q).await.unwrap();
    assert_eq!(
        (r.from.to_string(), r.to.to_string()),
        ("2026-02-03".into(), "2026-03-03".into()),
        "four weeks to tomorrow"
    );
    assert_eq!((r.contacts, r.closed, r.first_time), (4, 3, 1));
    assert_eq!(r.first_time_percent().map(|p| (p * 10.0).round()), Some(333.0));
    assert_eq!((r.consults_asked, r.consults_answered, r.consults_to_article), (1, 1, 1));
    assert_eq!(r.handovers, vec![(team.id.to_string(), 1)]);
    assert_eq!(r.forwarded, 0);
    let channel = |c: Channel| r.per_channel.iter().find(|(k, _)| *k == c).unwrap().1;
    assert_eq!((channel(Channel::Telefoon), channel(Channel::Email), channel(Channel::Brief)), (3, 1, 0));
    // 09:00 UTC on Monday 2 March is 10:00 in Amsterdam.
    assert_eq!(r.week[0][10], 4, "{:?}", r.week[0]);
    assert_eq!(r.week.iter().flatten().sum::<u64>(), 4);
    let tz = jiff::tz::TimeZone::get("Europe/Amsterdam").unwrap();
    assert_eq!(hour_of_week(one.started_at.as_second() / 3600, &tz), Some((0, 10)));

    // The team filter keeps the contacts of that team's agents.
    let only = ContactFiguresQuery { team_id: Some(other.id.to_string()), ..q.clone() };
    let r = app.contact_figures(&who, &only).await.unwrap();
    assert_eq!((r.contacts, r.closed, r.first_time, r.consults_asked), (1, 1, 1, 0));
    assert!(r.handovers.is_empty());

    // A period ending before it starts is refused, with the field named.
    let wrong = ContactFiguresQuery {
        from: Some("2026-03-02".parse().unwrap()),
        to: Some("2026-03-01".parse().unwrap()),
        ..Default::default()
    };
    let e = app.contact_figures(&who, &wrong).await.unwrap_err();
    assert!(matches!(e, gastvrij_app::AppError::Invalid(ref i) if i.field == "to"), "{e:?}");
}
