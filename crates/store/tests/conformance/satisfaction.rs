//! Stories of customer satisfaction (issue 15) on every backend: invitations follow the sample
//! rate and the 30-day rule, each link takes one answer, answers add up in the daily roll-up,
//! comments are searchable and a low grade with a comment becomes an action point; two workers
//! never invite for one contact twice.

use crate::harness::{TestDb, app, operator, texts};
use gastvrij_app::portal::PortalError;
use gastvrij_app::satisfaction::{InvitationState, SatisfactionQuery};
use gastvrij_app::workspace::{QuestionOutcome, RecordQuestion};
use gastvrij_app::{App, Clock, Settings};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{ContactInput, QuestionInput};
use gastvrij_domain::customer::{ContactDetails, CustomerInput, CustomerKind, Segment};
use gastvrij_domain::ids::CustomerId;
use gastvrij_domain::portal::SurveyForm;
use gastvrij_domain::satisfaction::{ImprovementForm, Split};
use gastvrij_domain::team::{EmployeeInput, Role};
use gastvrij_domain::values::Email;
use gastvrij_store::{Database, Location, OpenMode};
use std::sync::Arc;

crate::stories!(
    satisfaction:
    invitations_follow_the_rate_and_the_thirty_day_rule_and_each_link_takes_one_answer,
    two_workers_never_invite_for_one_contact_twice,
);

async fn customer(app: &App, email: &str, segment: Segment) -> CustomerId {
    let input = CustomerInput {
        kind: Some(CustomerKind::Persoon),
        name: Some("Jan Jansen".into()),
        segments: vec![segment],
        details: ContactDetails { email: Some(Email::parse(email).unwrap()), ..Default::default() },
    };
    app.create_customer(&operator(), input).await.unwrap().id
}

/// A contact on `channel` with `customer`, closed now.
async fn closed_contact(app: &App, channel: Channel, customer: Option<CustomerId>) -> String {
    let who = operator();
    let c =
        app.create_contact(&who, ContactInput { customer_id: customer, ..ContactInput::on(channel) }).await.unwrap();
    let question = QuestionInput { text: "Wanneer komt de aanslag?".into(), ..Default::default() };
    app.record_question(&who, c.id, RecordQuestion { input: question, outcome: QuestionOutcome::Answered })
        .await
        .unwrap();
    app.close_contact(&who, c.id).await.unwrap();
    format!("contact:{}", c.id)
}

async fn every_rate(app: &App, percent: u8) {
    for c in Channel::ALL {
        app.set_survey_rate(&operator(), c, percent).await.unwrap();
    }
}

/// The survey links in the queued mails, oldest first.
async fn links(location: &Location) -> Vec<String> {
    texts(location, "SELECT body FROM mail_outbox ORDER BY created_at, id")
        .await
        .into_iter()
        .flatten()
        .filter_map(|body| body.split("/enquete/").nth(1).map(|t| t.split_whitespace().next().unwrap().to_string()))
        .collect()
}

fn form(grade: &str, solved: &str, effort: &str, comment: &str) -> SurveyForm {
    SurveyForm {
        cijfer: grade.into(),
        opgelost: solved.into(),
        moeite: effort.into(),
        toelichting: comment.into(),
        ..Default::default()
    }
}

async fn outcome(location: &Location, source: &str) -> Option<String> {
    let sql = format!("SELECT outcome FROM survey_invitations WHERE source = '{source}'");
    texts(location, &sql).await.into_iter().next().flatten()
}

pub async fn invitations_follow_the_rate_and_the_thirty_day_rule_and_each_link_takes_one_answer(db: &TestDb) {
    let (app, clock) = app(db);
    let who = operator();
    every_rate(&app, 100).await;
    app.set_survey_rate(&who, Channel::Balie, 0).await.unwrap();
    let jan = customer(&app, "jan@example.nl", Segment::Agrarier).await;
    let piet = customer(&app, "piet@example.nl", Segment::Inwoner).await;

    // Jan phones and mails on one day; Piet comes to the balie (0 %); an anonymous web form.
    let phone = closed_contact(&app, Channel::Telefoon, Some(jan)).await;
    clock.advance_secs(60);
    let mail = closed_contact(&app, Channel::Email, Some(jan)).await;
    let balie = closed_contact(&app, Channel::Balie, Some(piet)).await;
    let anonymous = closed_contact(&app, Channel::Webformulier, None).await;
    clock.advance_secs(60);
    let run = app.invite_surveys().await.unwrap();
    assert_eq!((run.invited, run.skipped, run.taken), (1, 3, 0), "{run:?}");
    assert_eq!(outcome(&db.location, &phone).await.as_deref(), Some("invited"));
    assert_eq!(outcome(&db.location, &mail).await.as_deref(), Some("recent"), "never twice within 30 days");
    assert_eq!(outcome(&db.location, &balie).await.as_deref(), Some("not_sampled"));
    assert_eq!(outcome(&db.location, &anonymous).await.as_deref(), Some("no_address"));
    let recipients = texts(&db.location, "SELECT person FROM survey_recipients ORDER BY person").await;
    assert_eq!(recipients.len(), 2, "Jan by customer and by hashed address: {recipients:?}");
    assert!(recipients.iter().flatten().all(|p| !p.contains("jan@")), "no address in the clear");
    assert_eq!(app.invite_surveys().await.unwrap(), Default::default(), "a second run decides nothing again");

    // The link in the mail takes one answer; a wrong one is refused and writes nothing.
    let tokens = links(&db.location).await;
    assert_eq!(tokens.len(), 1, "one mail");
    let token = &tokens[0];
    assert_eq!(app.survey_invitation_state(token).await.unwrap(), Some(InvitationState::Open));
    assert_eq!(app.survey_invitation_state("nep").await.unwrap(), None);
    let bad = app.answer_survey_invitation(token, &form("11", "misschien", "", "")).await;
    assert!(matches!(bad, Err(PortalError::Invalid(ref e)) if e.len() == 3), "{bad:?}");
    app.answer_survey_invitation(token, &form("4", "nee", "5", "De wachttijd was érg lang")).await.unwrap();
    let again = app.answer_survey_invitation(token, &form("9", "ja", "1", "")).await;
    assert!(matches!(again, Err(PortalError::Invalid(_))), "one answer per link: {again:?}");
    assert_eq!(app.survey_invitation_state(token).await.unwrap(), Some(InvitationState::Answered));

    // The roll-up holds the one answer, split by channel and segment.
    let q = SatisfactionQuery { split: Split::Channel, ..Default::default() };
    let report = app.satisfaction(&who, &q).await.unwrap();
    let t = report.overall.total;
    assert_eq!((t.answers, t.grade_sum, t.solved, t.effort_sum, t.low), (1, 4, 0, 5, 1));
    assert_eq!(report.series.len(), 1);
    assert_eq!(report.series[0].key, "telefoon");
    let by_segment = SatisfactionQuery { split: Split::Segment, ..Default::default() };
    assert_eq!(app.satisfaction(&who, &by_segment).await.unwrap().series[0].key, "agrariër");
    let inwoners = SatisfactionQuery { segment: Some(Segment::Inwoner), ..Default::default() };
    assert_eq!(app.satisfaction(&who, &inwoners).await.unwrap().overall.total.answers, 0, "the filter holds");

    // Comments are found without regard to case or accents.
    for (search, found) in [(Some("WACHTTIJD"), 1), (Some("erg"), 1), (Some("balie"), 0), (None, 1)] {
        let hits = app.satisfaction_comments(&who, &SatisfactionQuery::default(), search).await.unwrap();
        assert_eq!(hits.len(), found, "{search:?}");
    }
    let comment = &app.satisfaction_comments(&who, &SatisfactionQuery::default(), None).await.unwrap()[0];
    assert_eq!((comment.grade, comment.comment.as_str()), (4, "De wachttijd was érg lang"));

    // The low grade with its comment becomes an action point; only team leads make one.
    let lead = app
        .create_employee(
            &who,
            EmployeeInput {
                name: "Lea".into(),
                roles: vec![Role::Teamleider],
                username: Some("lea".into()),
                active: true,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    let point = ImprovementForm {
        text: "Terugbellen binnen een dag".into(),
        owner: lead.id.to_string(),
        due: "2026-04-01".into(),
        source_kind: "opmerking".into(),
        source_ref: comment.id.clone(),
        source_label: "Opmerking bij cijfer 4".into(),
    };
    let kcc = gastvrij_app::Principal::employee(lead.id, vec![Role::Kcc]);
    assert!(app.create_improvement(&kcc, &point).await.is_err());
    let made = app.create_improvement(&who, &point).await.unwrap();
    let listed = app.improvements(&who).await.unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!((listed[0].id, listed[0].point.source_ref.as_str()), (made.id, comment.id.as_str()));
    let wrong = ImprovementForm { source_ref: "onbekend".into(), ..point };
    assert!(app.create_improvement(&who, &wrong).await.is_err(), "only a comment with a low grade");

    // After 14 days the link is closed; after 30 days Jan may be asked again.
    clock.advance_secs(15 * 24 * 3600);
    assert_eq!(app.survey_invitation_state(token).await.unwrap(), Some(InvitationState::Answered));
    clock.advance_secs(16 * 24 * 3600);
    let later = closed_contact(&app, Channel::Chat, Some(jan)).await;
    assert_eq!(app.invite_surveys().await.unwrap().invited, 1);
    assert_eq!(outcome(&db.location, &later).await.as_deref(), Some("invited"));
    let new_token = links(&db.location).await.pop().unwrap();
    clock.advance_secs(14 * 24 * 3600 + 1);
    assert_eq!(app.survey_invitation_state(&new_token).await.unwrap(), Some(InvitationState::Expired));
    assert!(app.answer_survey_invitation(&new_token, &form("8", "ja", "2", "")).await.is_err());
    assert_eq!(app.satisfaction(&who, &SatisfactionQuery::default()).await.unwrap().overall.total.answers, 1);
}

pub async fn two_workers_never_invite_for_one_contact_twice(db: &TestDb) {
    let (a, clock) = app(db);
    every_rate(&a, 100).await;
    // A second node: its own connection pool on the same database.
    let other = Database::open(&db.location, OpenMode::MustExist).await.unwrap().into_store();
    let b = App::new(other, clock.clone() as Arc<dyn Clock>, Settings::default());
    let mut sources = vec![];
    for i in 0..12 {
        let c = customer(&a, &format!("klant{i}@example.nl"), Segment::Inwoner).await;
        sources.push(closed_contact(&a, Channel::Telefoon, Some(c)).await);
    }
    // One customer with three contacts: only one may be invited.
    let shared = customer(&a, "vaak@example.nl", Segment::Bedrijf).await;
    for _ in 0..3 {
        sources.push(closed_contact(&a, Channel::Email, Some(shared)).await);
    }
    clock.advance_secs(60);
    for _ in 0..3 {
        let (x, y) = tokio::join!(a.invite_surveys(), b.invite_surveys());
        let (x, y) = (x.unwrap(), y.unwrap());
        assert!(x.invited + y.invited <= 13);
    }
    let invited = texts(&db.location, "SELECT source FROM survey_invitations WHERE outcome = 'invited'").await;
    assert_eq!(invited.len(), 13, "12 customers and one of the three contacts of the 13th: {invited:?}");
    let decided = texts(&db.location, "SELECT source FROM survey_invitations").await;
    assert_eq!(decided.len(), sources.len(), "every contact decided once");
    assert_eq!(links(&db.location).await.len(), 13, "one mail per invitation");
    let recent = texts(&db.location, "SELECT source FROM survey_invitations WHERE outcome = 'recent'").await;
    assert_eq!(recent.len(), 2);
}
