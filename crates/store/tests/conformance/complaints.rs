//! Complaints (Awb chapter 9) on every backend: who a klacht is about, its hearing and measures
//! are kept with the case, and the register lists the klachten of a year.

use crate::harness::{TestDb, app, operator};
use crate::stories::{case_input, team};
use gastvrij_app::AppError;
use gastvrij_domain::case::{CaseResult, CaseStatus, CaseType};
use gastvrij_domain::complaint::{HearingOutcome, Timeliness};
use gastvrij_domain::team::{EmployeeInput, Role};
use gastvrij_domain::topic::TopicInput;
use gastvrij_domain::{InvalidKind, StateRule};

crate::stories!(
    complaints:
    a_klachts_involved_employees_hearing_and_measures_are_kept_and_listed_in_the_register,
);

pub async fn a_klachts_involved_employees_hearing_and_measures_are_kept_and_listed_in_the_register(db: &TestDb) {
    let (app, clock) = app(db);
    let who = operator();
    let heffingen = app.create_team(&who, team("Heffingen")).await.unwrap();
    let employee = |name: &str| EmployeeInput {
        name: name.into(),
        roles: vec![Role::Backoffice],
        team_id: Some(heffingen.id),
        active: true,
        ..Default::default()
    };
    let anna = app.create_employee(&who, employee("Anna")).await.unwrap();
    let bram = app.create_employee(&who, employee("Bram")).await.unwrap();
    let topic = TopicInput { name: "Belastingen".into(), parent_id: None, team_id: None };
    let topic = app.create_topic(&who, topic).await.unwrap();
    let mut input = case_input(heffingen.id, CaseType::Klacht);
    input.topic_id = Some(topic.id);
    let klacht = app.create_case(&who, input).await.unwrap();
    app.create_case(&who, case_input(heffingen.id, CaseType::Melding)).await.unwrap();

    app.set_complaint_involved(&who, klacht.id, vec![anna.id], "de deurwaarder").await.unwrap();
    app.offer_hearing(&who, klacht.id, "2026-03-10").await.unwrap();
    let (stored, _) = app.store().case(klacht.id).await.unwrap().unwrap();
    let complaint = stored.complaint.clone().expect("kept with the case");
    assert_eq!(complaint.involved, vec![anna.id]);
    assert_eq!(complaint.involved_other.as_deref(), Some("de deurwaarder"));
    assert_eq!(complaint.hearing.offered.as_ref().map(|o| o.on), Some(jiff::civil::date(2026, 3, 10)));

    // Awb 9:7 in the use cases: the involved employee neither takes nor is handed the klacht.
    let taken =
        app.assign_case(&who, klacht.id, gastvrij_app::cases::Assignment { team_id: None, owner_id: Some(anna.id) });
    let refused = |r: Result<_, AppError>| matches!(r, Err(AppError::Invalid(i)) if i.kind == InvalidKind::WrongState(StateRule::InvolvedInComplaint));
    assert!(refused(taken.await));
    assert!(refused(app.hand_over_case(&who, klacht.id, Some(anna.id), "Anna weet ervan").await));
    assert_eq!(app.store().case(klacht.id).await.unwrap().unwrap().0.owner_id, None, "nothing stored");
    app.hand_over_case(&who, klacht.id, Some(bram.id), "Bram was er niet bij").await.unwrap();

    // Closing needs the hearing settled; the measures are kept for the annual overview.
    let early = app.close_case(&who, klacht.id, CaseResult::DeelsGegrond, "Deels terecht.", "").await;
    assert!(matches!(early, Err(AppError::Invalid(i)) if i.field == "hearing"));
    clock.advance_secs(8 * 24 * 3600);
    let held = HearingOutcome::Held { on: jiff::civil::date(2026, 3, 10), notes: "Klager licht toe.".into() };
    app.settle_hearing(&who, klacht.id, held.clone()).await.unwrap();
    let measures = "De aanslagbrief legt de termijnen voortaan uit.";
    app.close_case(&who, klacht.id, CaseResult::DeelsGegrond, "Deels terecht.", measures).await.unwrap();
    let (stored, _) = app.store().case(klacht.id).await.unwrap().unwrap();
    assert_eq!(stored.status, CaseStatus::Afgehandeld);
    let complaint = stored.complaint.expect("kept");
    assert_eq!(complaint.hearing.settled.map(|s| s.outcome), Some(held));
    assert_eq!(complaint.measures.as_deref(), Some(measures));
    assert_eq!(complaint.involved, vec![anna.id], "unchanged by the other steps");

    let register = app.complaint_register(&who, "2026").await.unwrap();
    assert_eq!(register.rows.len(), 1, "only the klacht");
    let row = &register.rows[0];
    assert_eq!(
        (row.topic.as_deref(), row.result, row.timeliness),
        (Some("Belastingen"), Some(CaseResult::DeelsGegrond), Timeliness::InTime)
    );
    assert_eq!((register.overview.total.deels_gegrond, register.overview.in_time), (1, 1));
    assert_eq!(register.overview.measures[0].text, measures);
    assert!(app.complaint_register(&who, "2025").await.unwrap().rows.is_empty(), "another year");

    // Retention (AVG) erases the hearing's notes and the other party, and keeps the measures.
    app.apply_retention("2028-06-01T00:00:00Z".parse().unwrap(), false).await.unwrap();
    let erased = app.store().case(klacht.id).await.unwrap().unwrap().0.complaint.expect("kept");
    let notes = erased.hearing.settled.map(|s| s.outcome);
    assert!(matches!(notes, Some(HearingOutcome::Held { notes, .. }) if notes == gastvrij_app::ports::ERASED));
    assert_eq!((erased.involved_other, erased.measures.as_deref()), (None, Some(measures)));
}
