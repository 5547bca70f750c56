//! Stories of open data (issue 17): the export read from either backend, and peer files kept
//! per organisation and year, where the same file twice changes nothing.

use crate::harness::{TestDb, app, operator, texts};
use crate::portal::{Citizen, melding_from, team_and_topic};
use gastvrij_app::Principal;
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::CaseStatus;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::ContactInput;
use gastvrij_domain::ids::EmployeeId;
use gastvrij_domain::open_data::{Indicator, OpenDataSet, OrganisationRef, Period, PeriodFigures, Status};
use gastvrij_domain::organisation::Organisation;
use gastvrij_domain::portal::SurveyAnswer;
use gastvrij_domain::team::Role;

crate::stories!(
    open_data:
    the_export_counts_the_same_on_both_backends_and_suppresses_small_counts,
    peer_files_are_kept_per_organisation_and_year_and_twice_changes_nothing,
    survey_answers_give_the_grade_the_response_rate_and_the_solved_share,
);

/// A peer's file of `year` with `contacts` contacts in the year and each quarter.
fn peer(code: &str, year: i16, contacts: u64) -> OpenDataSet {
    let org = OrganisationRef { name: format!("Waterschap {code}"), code: code.into(), inhabitants: 50_000 };
    let periods = Period::of_year(year)
        .into_iter()
        .map(|p| PeriodFigures::new(p, vec![Indicator::count("contacts_total", contacts)]));
    OpenDataSet::new(org, year, periods.collect())
}

pub async fn the_export_counts_the_same_on_both_backends_and_suppresses_small_counts(db: &TestDb) {
    let (app, _clock) = app(db);
    let op = operator();
    app.update_organisation(&op, Organisation::parse("Waterschap Proef", 100_000, "Europe/Amsterdam").unwrap())
        .await
        .unwrap();
    for (day, channel) in [(5, Channel::Email), (6, Channel::Email), (7, Channel::Email), (8, Channel::Email)]
        .into_iter()
        .chain([(9, Channel::Email), (12, Channel::Chat), (13, Channel::Chat)])
    {
        let started_at = Some(format!("2026-01-{day:02}T10:00:00Z").parse().unwrap());
        app.create_contact(&op, ContactInput { started_at, ..ContactInput::on(channel) }).await.unwrap();
    }
    let set = app.open_data(&op, 2026).await.unwrap();
    let q1 = |code: &str| set.indicator("2026-Q1", code).unwrap().clone();
    assert_eq!((q1("contacts_total").value, q1("contacts_email").value), (Some(7.0), Some(5.0)));
    assert_eq!((q1("contacts_chat").status, q1("contacts_chat").value), (Status::Suppressed, None));
    assert_eq!(set.indicator("2026-Q2", "contacts_total").unwrap().value, Some(0.0));
    assert_eq!(q1("norm_inhoudelijke_reactie").status, Status::NotAvailable, "no cases: nothing measured");
    assert_eq!(OpenDataSet::parse(&serde_json::to_string(&set).unwrap()).unwrap(), set, "passes its own check");
}

pub async fn peer_files_are_kept_per_organisation_and_year_and_twice_changes_nothing(db: &TestDb) {
    let (app, _clock) = app(db);
    let op = operator();
    let audited = async || {
        texts(&db.location, "SELECT summary FROM audit_log WHERE action = 'peer_figures.imported' ORDER BY seq").await
    };
    let first = peer("ab", 2025, 40);
    assert!(app.import_peer_figures(&op, &first).await.unwrap(), "new: stored");
    assert!(!app.import_peer_figures(&op, &first).await.unwrap(), "the same file again changes nothing");
    assert_eq!(app.peer_figures(&op).await.unwrap(), vec![first.clone()]);
    assert_eq!(audited().await, vec![Some("open data of ab for 2025".to_string())], "no audit entry for no change");

    let corrected = peer("ab", 2025, 41);
    assert!(app.import_peer_figures(&op, &corrected).await.unwrap(), "another file of the same year replaces it");
    let (other_year, other_board) = (peer("ab", 2026, 50), peer("a-b", 2025, 60));
    assert!(app.import_peer_figures(&op, &other_year).await.unwrap());
    assert!(app.import_peer_figures(&op, &other_board).await.unwrap());
    assert_eq!(
        app.peer_figures(&op).await.unwrap(),
        vec![other_board, corrected, other_year],
        "by organisation code (byte order on both backends) and year"
    );
    assert_eq!(audited().await.len(), 4);

    let kcc = Principal::employee(EmployeeId::new(), vec![Role::Kcc]);
    assert!(app.import_peer_figures(&kcc, &first).await.is_err(), "only a beheerder imports");
}

/// Twenty meldingen closed in March 2026, ten of them answered the survey: five solved, grades
/// summing to 80.
pub async fn survey_answers_give_the_grade_the_response_rate_and_the_solved_share(db: &TestDb) {
    let (app, _clock) = app(db);
    let op = operator();
    let store = app.store();
    let team_topic = team_and_topic(&app, "Wateroverlast").await;
    let grades = [8, 7, 9, 6, 8, 10, 7, 8, 9, 8];
    for i in 0..20 {
        let from = Citizen { customer: None, name: "Jan de Vries", email: "jan@example.nl" };
        let new = melding_from(&app, team_topic, from, "Er ligt een dode vis in de sloot", &format!("{i:048x}")).await;
        let received =
            Change::new(Actor::Public, new.submission.created_at, "submission.received", new.submission.id, "");
        store.insert_submission(&new, &received).await.unwrap();
        app.change_case_status(&op, new.case.id, CaseStatus::InBehandeling, None).await.unwrap();
        app.change_case_status(&op, new.case.id, CaseStatus::Afgehandeld, None).await.unwrap();
        if let Some(grade) = grades.get(i) {
            let answer = SurveyAnswer {
                submission_id: new.submission.id,
                grade: *grade,
                solved: i % 2 == 0,
                effort: 2,
                comment: None,
                reopen_requested: false,
                answered_at: app.now(),
            };
            let change = Change::new(Actor::Public, app.now(), "survey.answered", new.submission.id, "");
            store.insert_survey_answer(&answer, &change, None).await.unwrap();
        }
    }
    let set = app.open_data(&op, 2026).await.unwrap();
    let q1 = |code: &str| set.indicator("2026-Q1", code).unwrap().clone();
    let grade = q1("satisfaction_average_grade");
    assert_eq!((grade.value, grade.numerator, grade.denominator), (Some(8.0), Some(80), Some(10)));
    let rate = q1("survey_response_rate");
    assert_eq!((rate.value, rate.numerator, rate.denominator), (Some(50.0), Some(10), Some(20)));
    assert_eq!(q1("norm_gastvrijheid").value, Some(50.0), "five of ten say solved");
    assert_eq!(set.indicator("2026-Q2", "survey_response_rate").unwrap().status, Status::NotAvailable);
}
