//! Stories of the public portal's storage: a submission is stored whole or not at all, its
//! messages, photos and survey come back as stored, and reports are grouped into incidents.

use crate::harness::{TestDb, app, operator};
use gastvrij_app::App;
use gastvrij_app::portal::{UploadedPhoto, token_hash};
use gastvrij_app::ports::{AuditQuery, CaseUpdate, NewSubmission, PhotoContent, PhotoUpload};
use gastvrij_app::{Page, StoreError};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::{Case, CaseInput};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::{Contact, ContactInput, Outcome, QuestionInput};
use gastvrij_domain::ids::{CaseId, CustomerId, MessageId, PhotoId, TeamId, TopicId};
use gastvrij_domain::portal::{
    GeoPoint, GroupCandidate, Grouping, Incident, IncidentId, Location, Message, Photo, Submission, SubmissionForm,
    SubmissionKind, SurveyAnswer,
};
use gastvrij_domain::team::TeamInput;
use gastvrij_domain::topic::TopicInput;
use gastvrij_domain::values::Postcode;
use jiff::{SignedDuration, Timestamp};

crate::stories!(
    portal:
    a_submission_is_stored_whole_or_not_at_all,
    messages_photos_and_the_survey_come_back_in_order_and_once,
    a_survey_answer_and_its_case_note_are_stored_together_or_not_at_all,
    a_status_change_and_its_mail_are_stored_together_or_not_at_all,
    an_incident_update_reaches_every_reporter_or_none,
    near_meldingen_of_one_topic_group_into_an_incident,
);

pub(crate) async fn team_and_topic(app: &App, topic: &str) -> (TeamId, TopicId) {
    let who = operator();
    let team = app.create_team(&who, TeamInput { name: format!("Team {topic}"), description: None }).await.unwrap();
    let topic = app
        .create_topic(&who, TopicInput { name: topic.into(), parent_id: None, team_id: Some(team.id) })
        .await
        .unwrap();
    (team.id, topic.id)
}

/// A melding as `App::submit` would store it, built by hand so a test can break it.
async fn melding(app: &App, team: TeamId, topic: TopicId, token: &str) -> NewSubmission {
    let from = Citizen { customer: None, name: "Jan de Vries", email: "jan@example.nl" };
    melding_from(app, (team, topic), from, "Er ligt een dode vis in de sloot", token).await
}

/// Who sent a hand-built melding.
pub(crate) struct Citizen<'a> {
    pub customer: Option<CustomerId>,
    pub name: &'a str,
    pub email: &'a str,
}

/// A melding from `from` about `description`, as `App::submit` would build it (not stored).
pub(crate) async fn melding_from(
    app: &App,
    (team, topic): (TeamId, TopicId),
    from: Citizen<'_>,
    description: &str,
    token: &str,
) -> NewSubmission {
    let now = app.now();
    let case_id = CaseId::new();
    let form = SubmissionForm {
        onderwerp: topic.to_string(),
        omschrijving: description.into(),
        postcode: "2611 AB".into(),
        huisnummer: "12".into(),
        lat: "52.0116".into(),
        lon: "4.3571".into(),
        contact: "email".into(),
        email: from.email.into(),
        naam: from.name.into(),
        ..Default::default()
    };
    let submission = Submission::from_form(SubmissionKind::Melding, &form, |_| true, case_id, now).unwrap();
    let mut contact = Contact::create(
        ContactInput {
            customer_id: from.customer,
            started_at: Some(now),
            ended_at: Some(now),
            questions: vec![QuestionInput {
                topic_id: Some(topic),
                text: submission.description.clone(),
                outcome: Some(Outcome::HandedOver),
                ..Default::default()
            }],
            ..ContactInput::on(Channel::Webformulier)
        },
        now,
    )
    .unwrap();
    contact.questions[0].case_id = Some(case_id);
    let mut case = Case::create(
        CaseInput {
            case_type: submission.kind.case_type(),
            team_id: team,
            topic_id: Some(topic),
            owner_id: None,
            customer_id: from.customer,
            contact_id: Some(contact.id),
            subject: submission.subject(),
            intent: None,
            urgent: false,
        },
        None,
        now,
    )
    .unwrap();
    case.id = case_id;
    NewSubmission {
        submission,
        token_hash: token_hash(token),
        contact,
        case,
        scope: app.reference_scope(now).await.unwrap(),
        photos: vec![],
        grouping: Grouping::Alone,
        new_incident: None,
        mails: vec![],
        events: vec![],
    }
}

pub(crate) fn photo(new: &NewSubmission, message: Option<MessageId>, bytes: &[u8], at: Timestamp) -> PhotoUpload {
    PhotoUpload {
        meta: Photo {
            id: PhotoId::new(),
            submission_id: new.submission.id,
            message_id: message,
            content_type: "image/png".into(),
            size_bytes: bytes.len() as u64,
            sha256: "ab".repeat(32),
            uploaded_at: at,
        },
        content: PhotoContent::Bytes(bytes.to_vec()),
    }
}

fn received(new: &NewSubmission) -> Change {
    Change::new(Actor::Public, new.submission.created_at, "submission.received", new.submission.id, "melding")
}

async fn audit_of(app: &App, entity: impl ToString) -> Vec<String> {
    let query = AuditQuery { entity_id: Some(entity.to_string()), page: Page::first(500), ..Default::default() };
    app.store().audit_log(&query).await.unwrap().into_iter().map(|e| e.action).collect()
}

/// Nothing of `new` exists: no contact, case, submission, photos, incident or audit entry.
async fn left_nothing(app: &App, new: &NewSubmission) {
    let store = app.store();
    assert!(store.contact(new.contact.id).await.unwrap().is_none(), "a contact was left behind");
    assert!(store.case(new.case.id).await.unwrap().is_none(), "a case was left behind");
    assert!(store.submission_by_case(new.case.id).await.unwrap().is_none(), "a submission was left behind");
    assert!(
        store.submission_by_token(&new.token_hash).await.unwrap().is_none_or(|r| r.submission.id != new.submission.id)
    );
    for p in &new.photos {
        assert!(store.submission_photo(new.submission.id, p.meta.id).await.unwrap().is_none(), "a photo was left");
    }
    if let Some(i) = &new.new_incident {
        assert!(store.incident(i.id).await.unwrap().is_none(), "an incident was left behind");
    }
    assert!(audit_of(app, new.submission.id).await.is_empty(), "an audit entry was left behind");
}

pub async fn a_submission_is_stored_whole_or_not_at_all(db: &TestDb) {
    let (app, _) = app(db);
    let store = app.store();
    let (team, topic) = team_and_topic(&app, "Waterkwaliteit").await;

    let mut first = melding(&app, team, topic, &"a1".repeat(24)).await;
    let now = app.now();
    first.photos = vec![photo(&first, None, b"first-photo", now), photo(&first, None, b"second-photo", now)];
    let reference = store.insert_submission(&first, &received(&first)).await.unwrap();
    assert_eq!(reference, "WS-2026-000001");
    let (contact, _) = store.contact(first.contact.id).await.unwrap().expect("the contact");
    assert_eq!(contact.channel, Channel::Webformulier);
    assert_eq!(contact.questions[0].case_id, Some(first.case.id));
    let (case, _) = store.case(first.case.id).await.unwrap().expect("the case");
    assert_eq!(case.reference, reference);
    let record = store.submission_by_token(&first.token_hash).await.unwrap().expect("the submission by its token");
    assert_eq!(record.submission, first.submission, "every field comes back as stored");
    assert_eq!(record.case.id, first.case.id);
    assert_eq!(record.photos, first.photos.iter().map(|p| p.meta.clone()).collect::<Vec<_>>(), "photo metadata");
    assert!(record.messages.is_empty() && record.survey.is_none());
    let by_case = store.submission_by_case(first.case.id).await.unwrap().expect("the submission by its case");
    assert_eq!(by_case.submission.id, first.submission.id);
    let p = &first.photos[1];
    assert_eq!(
        store.submission_photo(first.submission.id, p.meta.id).await.unwrap(),
        Some(("image/png".to_string(), PhotoContent::Bytes(b"second-photo".to_vec())))
    );
    assert_eq!(audit_of(&app, first.submission.id).await, ["submission.received"]);
    assert!(store.submission_by_token(&token_hash(&"ff".repeat(24))).await.unwrap().is_none());

    // Fails at the very last step (a photo id that exists already): the contact, case,
    // submission, the incident it would start and the grouping of the first all roll back.
    let mut broken = melding(&app, team, topic, &"b2".repeat(24)).await;
    let incident = Incident {
        id: IncidentId::new(),
        topic_id: Some(topic),
        title: "Waterkwaliteit bij 2611 AB".into(),
        started_at: first.submission.created_at,
        last_report_at: broken.submission.created_at,
        closed_at: None,
        banner: None,
    };
    broken.grouping = Grouping::Start { with: vec![first.submission.id] };
    broken.new_incident = Some(incident);
    let mut duplicate = photo(&broken, None, b"dup", now);
    duplicate.meta.id = first.photos[0].meta.id;
    broken.photos = vec![photo(&broken, None, b"fine", now), duplicate];
    assert!(store.insert_submission(&broken, &received(&broken)).await.is_err());
    left_nothing(&app, &broken).await;
    let record = store.submission_by_token(&first.token_hash).await.unwrap().unwrap();
    assert_eq!(record.submission.incident_id, None, "the first report was not grouped");
    assert_eq!(
        store.submission_photo(first.submission.id, first.photos[0].meta.id).await.unwrap(),
        Some(("image/png".to_string(), PhotoContent::Bytes(b"first-photo".to_vec()))),
        "the existing photo is untouched"
    );

    // The same tracking token twice (fails after the contact and case were written).
    let same_token = melding(&app, team, topic, &"a1".repeat(24)).await;
    assert!(store.insert_submission(&same_token, &received(&same_token)).await.is_err());
    left_nothing(&app, &same_token).await;

    // A case id that exists already.
    let mut same_case = melding(&app, team, topic, &"c3".repeat(24)).await;
    same_case.case.id = first.case.id;
    same_case.submission.case_id = first.case.id;
    same_case.contact.questions[0].case_id = Some(first.case.id);
    assert!(store.insert_submission(&same_case, &received(&same_case)).await.is_err());
    assert!(store.contact(same_case.contact.id).await.unwrap().is_none());
    assert!(audit_of(&app, same_case.submission.id).await.is_empty());
    assert_eq!(store.case(first.case.id).await.unwrap().unwrap().0, case, "the existing case is untouched");

    assert_eq!(store.count_contacts().await.unwrap(), 1);
    let next = melding(&app, team, topic, &"d4".repeat(24)).await;
    assert_eq!(
        store.insert_submission(&next, &received(&next)).await.unwrap(),
        "WS-2026-000002",
        "failed submissions do not use up a reference"
    );
}

pub async fn messages_photos_and_the_survey_come_back_in_order_and_once(db: &TestDb) {
    let (app, clock) = app(db);
    let store = app.store();
    let (team, topic) = team_and_topic(&app, "Wateroverlast").await;
    let new = melding(&app, team, topic, &"e5".repeat(24)).await;
    store.insert_submission(&new, &received(&new)).await.unwrap();
    let t0 = app.now();
    let at = |minutes: i64| t0 + SignedDuration::from_mins(minutes);

    // Written out of order: read back by time.
    let staff = Message::from_staff(new.submission.id, None, "We komen morgen kijken.", at(30)).unwrap();
    let citizen = Message::from_citizen(new.submission.id, "Hij ligt er nog.", at(10)).unwrap();
    let later = Message::from_citizen(new.submission.id, "Nu ligt er nog een.", at(60)).unwrap();
    let change = |m: &Message| Change::new(Actor::Public, m.at, "submission.information_added", m.submission_id, "");
    store.insert_submission_message(&staff, &[], &[], &change(&staff)).await.unwrap();
    let attached = photo(&new, Some(citizen.id), b"attached", at(10));
    store.insert_submission_message(&citizen, std::slice::from_ref(&attached), &[], &change(&citizen)).await.unwrap();
    store.insert_submission_message(&later, &[], &[], &change(&later)).await.unwrap();
    let record = store.submission_by_token(&new.token_hash).await.unwrap().unwrap();
    assert_eq!(record.messages, vec![citizen.clone(), staff.clone(), later.clone()]);
    assert!(!record.messages[1].from_citizen);
    assert_eq!(record.photos, vec![attached.meta.clone()]);
    assert_eq!(record.photos[0].message_id, Some(citizen.id));

    // A message for a submission that does not exist is refused and leaves no photo.
    let mut orphan = Message::from_citizen(new.submission.id, "Spook", at(70)).unwrap();
    orphan.submission_id = gastvrij_domain::portal::SubmissionId::new();
    let mut ghost_photo = photo(&new, Some(orphan.id), b"ghost", at(70));
    ghost_photo.meta.submission_id = orphan.submission_id;
    assert!(
        store
            .insert_submission_message(&orphan, std::slice::from_ref(&ghost_photo), &[], &change(&orphan))
            .await
            .is_err()
    );
    assert_eq!(store.submission_photo(orphan.submission_id, ghost_photo.meta.id).await.unwrap(), None);
    assert_eq!(store.submission_by_token(&new.token_hash).await.unwrap().unwrap().messages.len(), 3);

    let answer = SurveyAnswer {
        submission_id: new.submission.id,
        grade: 4,
        solved: false,
        effort: 5,
        comment: Some("Er ligt nog steeds vis".into()),
        reopen_requested: true,
        answered_at: at(90),
    };
    let answered = |a: &SurveyAnswer| Change::new(Actor::Public, a.answered_at, "survey.answered", a.submission_id, "");
    store.insert_survey_answer(&answer, &answered(&answer), None).await.unwrap();
    let second = SurveyAnswer { grade: 9, solved: true, reopen_requested: false, ..answer.clone() };
    assert!(
        matches!(store.insert_survey_answer(&second, &answered(&second), None).await, Err(StoreError::Conflict(_))),
        "a second answer is a conflict"
    );
    let record = store.submission_by_case(new.case.id).await.unwrap().unwrap();
    assert_eq!(record.survey, Some(answer), "the first answer stays");
    let actions = audit_of(&app, new.submission.id).await;
    assert_eq!(actions.iter().filter(|a| *a == "survey.answered").count(), 1, "{actions:?}");

    // Questions the kennisbank prevented are counted in [from, to).
    let input = serde_json::from_value(serde_json::json!({
        "title": "Kwijtschelding", "question": "Kan ik kwijtschelding krijgen?", "answer": "Ja, bij een laag inkomen."
    }))
    .unwrap();
    let article = app.create_article(&operator(), input).await.unwrap();
    clock.advance_secs(600);
    store.record_prevented_question(article.id, at(10)).await.unwrap();
    store.record_prevented_question(article.id, at(60)).await.unwrap();
    assert_eq!(store.count_prevented_questions(t0, at(60)).await.unwrap(), 1, "the end is excluded");
    assert_eq!(store.count_prevented_questions(t0, at(61)).await.unwrap(), 2);
    assert_eq!(store.count_prevented_questions(at(11), at(120)).await.unwrap(), 1);
}

/// A melding about `topic` received, and its case read just before a colleague saves a note
/// (`their_note`) on it: the case as read and its version, now stale.
async fn melding_read_before_a_colleague_saves(
    app: &App,
    topic: &str,
    token: &str,
    their_note: &str,
) -> (NewSubmission, Case, i64) {
    let store = app.store();
    let (team, topic) = team_and_topic(app, topic).await;
    let new = melding(app, team, topic, token).await;
    store.insert_submission(&new, &received(&new)).await.unwrap();
    let now = app.now();
    let (case, read_version) = store.case(new.case.id).await.unwrap().expect("the case");
    let (mut theirs, _) = store.case(new.case.id).await.unwrap().unwrap();
    theirs.add_note(their_note, None, now).unwrap();
    let noted = Change::new(Actor::Public, now, "case.note_added", theirs.id, "");
    store.update_case(&theirs, read_version, &noted, &[]).await.unwrap();
    (new, case, read_version)
}

/// A melding at a point (lat; lon 4.3571) through the use case, at the clock's time.
/// A citizen who asks to reopen the case leaves a note on it, saved with the survey answer in one
/// transaction: a stale case version fails the whole call and stores no answer; a retry with the
/// current version stores both.
pub async fn a_survey_answer_and_its_case_note_are_stored_together_or_not_at_all(db: &TestDb) {
    let (app, _) = app(db);
    let store = app.store();
    let (new, mut case, read_version) =
        melding_read_before_a_colleague_saves(&app, "Zwerfafval", &"f6".repeat(24), "Buitendienst ingepland").await;
    let now = app.now();

    // The citizen answers a little later.
    let later = now + SignedDuration::from_mins(5);
    let answer = SurveyAnswer {
        submission_id: new.submission.id,
        grade: 3,
        solved: false,
        effort: 4,
        comment: Some("Het afval ligt er nog".into()),
        reopen_requested: true,
        answered_at: later,
    };
    let answered = Change::new(Actor::Public, later, "survey.answered", new.submission.id, "3");
    let reopen = Change::new(Actor::Public, later, "case.reopen_requested", case.id, "");
    case.add_note("De klant vraagt om opnieuw te kijken", None, later).unwrap();
    let stale = CaseUpdate { case: &case, expected_version: read_version, change: &reopen };
    assert!(
        matches!(store.insert_survey_answer(&answer, &answered, Some(stale)).await, Err(StoreError::Conflict(_))),
        "a stale case version is a conflict"
    );
    let record = store.submission_by_case(new.case.id).await.unwrap().unwrap();
    assert_eq!(record.survey, None, "no answer is stored without its case note");
    let notes: Vec<_> = record.case.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(notes, ["Buitendienst ingepland"], "the colleague's save stands, the reopen note is not written");
    assert!(!audit_of(&app, new.submission.id).await.contains(&"survey.answered".to_string()));
    assert!(!audit_of(&app, case.id).await.contains(&"case.reopen_requested".to_string()));

    // Again with the case as it is now: the answer and the note are stored together.
    let (mut current, version) = store.case(new.case.id).await.unwrap().unwrap();
    current.add_note("De klant vraagt om opnieuw te kijken", None, later).unwrap();
    let fresh = CaseUpdate { case: &current, expected_version: version, change: &reopen };
    store.insert_survey_answer(&answer, &answered, Some(fresh)).await.unwrap();
    let record = store.submission_by_case(new.case.id).await.unwrap().unwrap();
    assert_eq!(record.survey, Some(answer));
    let notes: Vec<_> = record.case.notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(notes, ["Buitendienst ingepland", "De klant vraagt om opnieuw te kijken"]);
    assert_eq!(store.case(new.case.id).await.unwrap().unwrap().1, version + 1, "the case's version moved on");
    assert_eq!(audit_of(&app, new.submission.id).await, ["submission.received", "survey.answered"]);
    assert_eq!(audit_of(&app, case.id).await, ["case.note_added", "case.reopen_requested"]);
}

/// A status change of a case from the portal queues the citizen's mail in its own transaction:
/// a stale case version stores neither the change nor the mail; the use case queues both.
pub async fn a_status_change_and_its_mail_are_stored_together_or_not_at_all(db: &TestDb) {
    use gastvrij_domain::case::CaseStatus;
    use gastvrij_domain::mail::{MailInput, MailKind, OutgoingMail};
    let (app, _) = app(db);
    let store = app.store();
    let (new, mut case, read_version) =
        melding_read_before_a_colleague_saves(&app, "Gemaal", &"a7".repeat(24), "Gemaal gecontroleerd").await;
    let queued_before = store.mail_counts().await.unwrap().pending;
    let now = app.now();

    case.change_status(CaseStatus::InBehandeling, None, None, now).unwrap();
    let changed = Change::new(Actor::Public, now, "case.status_changed", case.id, "");
    let input = MailInput {
        kind: MailKind::Statuswijziging,
        to: "jan@example.nl".into(),
        subject: "Uw melding is in behandeling".into(),
        body: "Beste Jan,\n\nWe werken aan uw melding.".into(),
        reply_to: None,
    };
    let mail = OutgoingMail::create(input, now).unwrap();
    assert!(
        matches!(
            store.update_case(&case, read_version, &changed, std::slice::from_ref(&mail)).await,
            Err(StoreError::Conflict(_))
        ),
        "a stale case version is a conflict"
    );
    let (stored, version) = store.case(new.case.id).await.unwrap().unwrap();
    assert_eq!(stored.status, CaseStatus::Ontvangen, "the status did not change");
    assert_eq!(store.mail_counts().await.unwrap().pending, queued_before, "no mail was queued");
    assert!(!audit_of(&app, case.id).await.contains(&"case.status_changed".to_string()));

    // Through the use case, which reads the current version: the change and its mail together.
    let case = app.change_case_status(&operator(), new.case.id, CaseStatus::InBehandeling, None).await.unwrap();
    assert_eq!(case.status, CaseStatus::InBehandeling);
    assert_eq!(store.case(new.case.id).await.unwrap().unwrap().1, version + 1);
    let query = gastvrij_app::ports::MailQuery { status: None, page: Page::first(100) };
    let mails = store.mail_list(&query).await.unwrap();
    let news: Vec<_> = mails.iter().filter(|m| m.kind == MailKind::Statuswijziging).collect();
    assert_eq!(news.len(), 1, "one status mail");
    assert_eq!(news[0].to.as_str(), "jan@example.nl");
    assert!(news[0].subject.contains(&case.reference), "{}", news[0].subject);
    assert_eq!(store.mail_counts().await.unwrap().pending, queued_before + 1);
}

/// An incident update writes every reporter's message and mail in one transaction, in chunks:
/// one bad row (here a message for a submission that does not exist, after the first chunk)
/// stores nothing; otherwise the count returned is the number of mails queued.
pub async fn an_incident_update_reaches_every_reporter_or_none(db: &TestDb) {
    use gastvrij_domain::mail::{MailInput, MailKind, OutgoingMail};
    let (app, _) = app(db);
    let store = app.store();
    let (team, topic) = team_and_topic(&app, "Wateroverlast").await;
    let first = melding(&app, team, topic, &"b8".repeat(24)).await;
    store.insert_submission(&first, &received(&first)).await.unwrap();
    let second = melding(&app, team, topic, &"c9".repeat(24)).await;
    store.insert_submission(&second, &received(&second)).await.unwrap();
    let queued_before = store.mail_counts().await.unwrap().pending;
    let now = app.now();
    let incident = IncidentId::new();
    let update = Change::new(Actor::Public, now, "incident.update_sent", incident, "");
    // More rows than one INSERT takes, so the write spans several statements.
    let mut messages: Vec<_> = (0..150)
        .map(|i| {
            let to = if i % 2 == 0 { &first } else { &second };
            Message::from_staff(to.submission.id, None, "Het water zakt.", now).unwrap()
        })
        .collect();
    let mails: Vec<_> = (0..150)
        .map(|i| {
            let input = MailInput {
                kind: MailKind::Bericht,
                to: format!("melder{i}@example.nl"),
                subject: "Nieuws over uw melding".into(),
                body: "Het water zakt.".into(),
                reply_to: None,
            };
            OutgoingMail::create(input, now).unwrap()
        })
        .collect();
    let mut ghost = Message::from_staff(first.submission.id, None, "Spook", now).unwrap();
    ghost.submission_id = gastvrij_domain::portal::SubmissionId::new();
    messages.push(ghost);
    assert!(store.insert_incident_update(&messages, &mails, &update).await.is_err());
    for new in [&first, &second] {
        assert!(store.submission_by_token(&new.token_hash).await.unwrap().unwrap().messages.is_empty());
    }
    assert_eq!(store.mail_counts().await.unwrap().pending, queued_before, "no mail was queued");
    assert!(audit_of(&app, incident).await.is_empty());

    messages.pop();
    let queued = store.insert_incident_update(&messages, &mails, &update).await.unwrap();
    assert_eq!(queued, 150);
    assert_eq!(store.mail_counts().await.unwrap().pending, queued_before + 150);
    for new in [&first, &second] {
        assert_eq!(store.submission_by_token(&new.token_hash).await.unwrap().unwrap().messages.len(), 75);
    }
    assert_eq!(audit_of(&app, incident).await, ["incident.update_sent"]);
}

async fn report(app: &App, topic: TopicId, lat: &str, kind: SubmissionKind) -> (String, Option<IncidentId>) {
    let form = SubmissionForm {
        onderwerp: topic.to_string(),
        omschrijving: "De straat staat onder water".into(),
        lat: lat.into(),
        lon: "4.3571".into(),
        contact: "geen".into(),
        ..Default::default()
    };
    let receipt = app.submit(kind, &form, &[] as &[UploadedPhoto]).await.unwrap();
    (receipt.token, receipt.incident)
}

async fn submission_of(app: &App, token: &str) -> Submission {
    app.store().submission_by_token(&token_hash(token)).await.unwrap().unwrap().submission
}

pub async fn near_meldingen_of_one_topic_group_into_an_incident(db: &TestDb) {
    let (app, clock) = app(db);
    let store = app.store();
    let (_, flooding) = team_and_topic(&app, "Wateroverlast").await;
    let (_, fish) = team_and_topic(&app, "Dode vis").await;
    let t0 = app.now(); // 09:00
    let hour = 3600;

    let (first, alone) = report(&app, flooding, "52.0116", SubmissionKind::Melding).await;
    assert_eq!(alone, None);
    clock.advance_secs(hour);
    let (other_topic, none) = report(&app, fish, "52.0116", SubmissionKind::Melding).await;
    assert_eq!(none, None, "another topic does not group");
    let (question, none) = report(&app, flooding, "52.0116", SubmissionKind::Vraag).await;
    assert_eq!(none, None, "a vraag does not group");
    clock.advance_secs(hour);
    let (far, none) = report(&app, flooding, "52.0300", SubmissionKind::Melding).await; // ~2 km
    assert_eq!(none, None, "a far report does not group");

    let by_postcode = SubmissionForm {
        onderwerp: flooding.to_string(),
        omschrijving: "De kelder loopt vol".into(),
        postcode: "2611 AB".into(),
        huisnummer: "12".into(),
        contact: "geen".into(),
        ..Default::default()
    };
    let postcode_receipt = app.submit(SubmissionKind::Melding, &by_postcode, &[] as &[UploadedPhoto]).await.unwrap();
    assert_eq!(postcode_receipt.incident, None, "no other report has this postcode");

    // Since 08:00, near the first: only the first (not the far one, the vraag or the other topic).
    let area =
        |lat: f64| Location { point: Some(GeoPoint { lat, lon: 4.3571 }), ..Default::default() }.near_area().unwrap();
    let since = t0 - SignedDuration::from_hours(1);
    let ids = |r: Vec<GroupCandidate>| r.iter().map(|r| r.submission_id).collect::<Vec<_>>();
    let first_id = submission_of(&app, &first).await.id;
    let far_id = submission_of(&app, &far).await.id;
    let here = ids(store.recent_reports(flooding, since, &area(52.0116)).await.unwrap());
    assert_eq!(here, vec![first_id]);
    assert!(!here.contains(&submission_of(&app, &question).await.id), "a vraag at the same place is no report");
    assert!(!here.contains(&submission_of(&app, &other_topic).await.id), "nor a melding of another topic");
    assert_eq!(ids(store.recent_reports(flooding, since, &area(52.0300)).await.unwrap()), vec![far_id]);
    assert!(store.recent_reports(fish, since, &area(52.03)).await.unwrap().is_empty(), "another topic");
    assert!(
        store.recent_reports(flooding, t0 + SignedDuration::from_mins(30), &area(52.0116)).await.unwrap().is_empty(),
        "only reports since the given time"
    );
    // By postcode: the report with that postcode, whether or not the new one has a point.
    let postcode_id = submission_of(&app, &postcode_receipt.token).await.id;
    let mut at_postcode = Location { postcode: Some(Postcode::parse("2611AB").unwrap()), ..Default::default() };
    assert_eq!(
        ids(store.recent_reports(flooding, since, &at_postcode.near_area().unwrap()).await.unwrap()),
        vec![postcode_id]
    );
    at_postcode.point = Some(GeoPoint { lat: 52.0300, lon: 4.3571 });
    let mut both = ids(store.recent_reports(flooding, since, &at_postcode.near_area().unwrap()).await.unwrap());
    both.sort();
    let mut expected = vec![far_id, postcode_id];
    expected.sort();
    assert_eq!(both, expected);

    // 11:00, ~270 m from the first: an incident starts with both.
    let (second, started) = report(&app, flooding, "52.0140", SubmissionKind::Melding).await;
    let incident = started.expect("an incident starts");
    let stored = store.incident(incident).await.unwrap().expect("the incident is stored");
    assert_eq!(stored.started_at, t0, "it started with the first report");
    assert_eq!(stored.last_report_at, t0 + SignedDuration::from_hours(2));
    assert_eq!(stored.topic_id, Some(flooding));
    assert_eq!(submission_of(&app, &first).await.incident_id, Some(incident), "the earlier report joined");
    assert_eq!(submission_of(&app, &second).await.incident_id, Some(incident));
    assert_eq!(submission_of(&app, &far).await.incident_id, None);

    // 12:00, near: joins, and the incident's last report moves.
    clock.advance_secs(hour);
    let (third, joined) = report(&app, flooding, "52.0120", SubmissionKind::Melding).await;
    assert_eq!(joined, Some(incident));
    let stored = store.incident(incident).await.unwrap().unwrap();
    assert_eq!(stored.last_report_at, t0 + SignedDuration::from_hours(3));
    assert_eq!(stored.started_at, t0);
    let members: Vec<_> = store.incident_submissions(incident).await.unwrap().into_iter().map(|s| s.id).collect();
    assert_eq!(
        members,
        vec![
            submission_of(&app, &first).await.id,
            submission_of(&app, &second).await.id,
            submission_of(&app, &third).await.id
        ],
        "in the order they came in"
    );
    assert_eq!(store.incidents(true).await.unwrap().iter().map(|i| i.id).collect::<Vec<_>>(), vec![incident]);

    // Closed: no longer among the open incidents.
    let closed = app.set_incident(&operator(), incident, None, true).await.unwrap();
    assert!(closed.closed_at.is_some());
    assert!(store.incidents(true).await.unwrap().is_empty());
    assert_eq!(store.incidents(false).await.unwrap().len(), 1);
    assert!(
        store.recent_reports(flooding, t0, &area(52.0118)).await.unwrap().is_empty(),
        "the reports of a closed incident are no candidates for grouping"
    );

    // A report near a closed incident does not disappear into it.
    clock.advance_secs(hour);
    let (after_close, grouped) = report(&app, flooding, "52.0118", SubmissionKind::Melding).await;
    assert_ne!(grouped, Some(incident), "a closed incident takes no new reports");
    assert_ne!(submission_of(&app, &after_close).await.incident_id, Some(incident));
    assert_eq!(store.incident_submissions(incident).await.unwrap().len(), 3);

    // Seven hours after the last report the window has passed: alone again.
    clock.advance_secs(7 * hour);
    let (_, alone) = report(&app, flooding, "52.0116", SubmissionKind::Melding).await;
    assert_eq!(alone, None);
    assert_eq!(store.incident_submissions(incident).await.unwrap().len(), 3);
}
