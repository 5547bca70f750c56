//! Stories of the mail and letter templates (issue 14): each save a new version numbered per
//! kind, the newest one in use, "terug naar standaardtekst" as a version of its own, and a save
//! that lost a race refused without writing. Also the letters printed for a case, kept once per
//! text.

use crate::harness::{TestDb, app, operator, texts};
use crate::stories::{case_input, team};
use gastvrij_app::ports::KeptLetter;
use gastvrij_app::{AppError, Principal, StoreError};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::CaseType;
use gastvrij_domain::ids::EmployeeId;
use gastvrij_domain::letter_template::{LetterKind, LetterTemplate, TemplateVersion};
use gastvrij_domain::team::Role;

crate::stories!(
    letter_templates:
    each_save_is_a_new_version_and_the_newest_is_in_use,
    a_save_that_lost_the_race_for_its_number_writes_nothing,
    a_printed_letter_is_kept_once_per_text,
);

const ACK: LetterKind = LetterKind::Ontvangstbevestiging;

pub async fn each_save_is_a_new_version_and_the_newest_is_in_use(db: &TestDb) {
    let (app, clock) = app(db);
    let anna = Principal::employee(EmployeeId::new(), vec![Role::Redacteur]);
    assert!(app.letter_templates(&anna).await.unwrap().iter().all(|t| t.newest.is_none()), "nothing saved yet");

    let first = app.save_letter_template(&anna, ACK, "Ontvangen: {kenmerk}", "Beste {naam}, {kenmerk} {link}").await;
    assert_eq!(first.unwrap().version, 1);
    clock.advance_secs(60);
    let second = app.save_letter_template(&anna, ACK, "Ontvangen {kenmerk}", "Dag {naam}.\n{kenmerk}\n{link}").await;
    let second = second.unwrap();
    assert_eq!((second.version, second.saved_by), (2, anna.employee_id()));
    let answer = app.save_letter_template(&anna, LetterKind::Antwoord, "Antwoord", "{tekst} {kenmerk}").await.unwrap();
    assert_eq!(answer.version, 1, "numbered per kind");

    let states = app.letter_templates(&anna).await.unwrap();
    let ack = states.iter().find(|t| t.kind == ACK).unwrap();
    assert_eq!(ack.newest.as_ref(), Some(&second), "the newest version, read back whole");
    assert_eq!(ack.custom().unwrap().body, "Dag {naam}.\n{kenmerk}\n{link}");
    assert_eq!(states.iter().map(|t| t.kind).collect::<Vec<_>>(), LetterKind::ALL, "every kind, in order");

    let reset = app.reset_letter_template(&anna, ACK).await.unwrap().expect("a custom text was in use");
    assert_eq!((reset.version, reset.text.as_ref()), (3, None));
    assert!(app.reset_letter_template(&anna, ACK).await.unwrap().is_none(), "already standard: nothing written");
    let history = app.letter_template_history(&anna, ACK).await.unwrap();
    assert_eq!(history.iter().map(|v| v.version).collect::<Vec<_>>(), [3, 2, 1], "newest first, nothing lost");
    assert_eq!(history[2].text.as_ref().map(|t| t.subject.as_str()), Some("Ontvangen: {kenmerk}"));
    let states = app.letter_templates(&anna).await.unwrap();
    assert!(states.iter().find(|t| t.kind == ACK).unwrap().custom().is_none(), "the standard text again");

    let audited =
        texts(&db.location, "SELECT summary FROM audit_log WHERE action LIKE 'letter_template.%' ORDER BY seq");
    assert_eq!(
        audited.await,
        [
            "ontvangstbevestiging versie 1",
            "ontvangstbevestiging versie 2",
            "antwoord versie 1",
            "ontvangstbevestiging versie 3"
        ]
        .map(|s| Some(s.to_string()))
    );

    let kcc = Principal::employee(EmployeeId::new(), vec![Role::Kcc]);
    assert!(matches!(app.letter_templates(&kcc).await, Err(AppError::Forbidden(_))));
    assert!(matches!(
        app.save_letter_template(&kcc, ACK, "x {kenmerk}", "{kenmerk} {link}").await,
        Err(AppError::Forbidden(_))
    ));
}

pub async fn a_save_that_lost_the_race_for_its_number_writes_nothing(db: &TestDb) {
    let (app, _clock) = app(db);
    let text = LetterTemplate::parse(ACK, "Ontvangen", "{kenmerk} {link}").unwrap();
    let version = |n: u32| TemplateVersion {
        kind: ACK,
        version: n,
        text: Some(text.clone()),
        saved_by: None,
        saved_at: app.now(),
    };
    let change = Change::new(Actor::Operator, app.now(), "letter_template.saved", ACK.code(), "test");
    db.store.save_letter_template(&version(1), &change).await.unwrap();
    for stale in [1, 3] {
        let refused = db.store.save_letter_template(&version(stale), &change).await;
        assert!(matches!(refused, Err(StoreError::Conflict(_))), "version {stale}: {refused:?}");
    }
    assert_eq!(db.store.letter_template_history(ACK).await.unwrap().len(), 1);
    let audited = texts(&db.location, "SELECT summary FROM audit_log WHERE action = 'letter_template.saved'").await;
    assert_eq!(audited.len(), 1, "no audit entry for a refused save");
}

pub async fn a_printed_letter_is_kept_once_per_text(db: &TestDb) {
    let (app, clock) = app(db);
    let t = app.create_team(&operator(), team("Heffingen")).await.unwrap();
    let case = app.create_case(&operator(), case_input(t.id, CaseType::Vraag)).await.unwrap();
    let anna = EmployeeId::new();
    let letter = |body: &str| KeptLetter {
        case_id: case.id,
        kind: "brief",
        subject: "Antwoord op uw vraag".into(),
        body: body.into(),
        printed_by: Some(anna),
        printed_at: app.now(),
    };
    assert!(db.store.keep_printed_letter(&letter("Beste Sanne,\n\nIn april.")).await.unwrap());
    clock.advance_secs(60);
    assert!(!db.store.keep_printed_letter(&letter("Beste Sanne,\n\nIn april.")).await.unwrap(), "printed again");
    clock.advance_secs(60);
    assert!(db.store.keep_printed_letter(&letter("Beste Sanne,\n\nIn mei.")).await.unwrap(), "another text");
    let ack = KeptLetter { kind: "ontvangstbrief", ..letter("Beste Sanne,\n\nIn april.") };
    assert!(db.store.keep_printed_letter(&ack).await.unwrap(), "another kind");
    let kept = db.store.printed_letters(case.id).await.unwrap();
    assert_eq!(kept.len(), 3);
    assert_eq!((kept[0].body.as_str(), kept[0].kind), ("Beste Sanne,\n\nIn april.", "brief"), "oldest first, whole");
    assert_eq!(kept[0].printed_by, Some(anna));
    assert_eq!(kept[2].kind, "ontvangstbrief");
}
