//! Stories of open data (issue 17): the export read from either backend, and peer files kept
//! per organisation and year, where the same file twice changes nothing.

use crate::harness::{TestDb, app, operator, texts};
use crate::portal::{Citizen, melding_from, team_and_topic};
use gastvrij_app::Principal;
use gastvrij_app::{App, Settings};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::CaseStatus;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::ContactInput;
use gastvrij_domain::ids::EmployeeId;
use gastvrij_domain::open_data::{Indicator, OpenDataSet, OrganisationRef, Period, PeriodFigures, Status};
use gastvrij_domain::organisation::Organisation;
use gastvrij_domain::portal::SurveyAnswer;
use gastvrij_domain::team::Role;
use gastvrij_store::{Database, OpenMode};

crate::stories!(
    open_data:
    the_export_counts_the_same_on_both_backends_and_suppresses_small_counts,
    peer_files_are_kept_per_organisation_and_year_and_twice_changes_nothing,
    survey_answers_give_the_grade_the_response_rate_and_the_solved_share,
    two_nodes_record_each_portal_minute_once,
    availability_is_minutes_with_a_heartbeat_of_the_minutes_measured_since_the_first,
    a_published_year_is_kept_as_published_until_withdrawn_and_the_code_is_the_beheerders,
    consultations_are_judged_by_the_answer_term_valid_on_the_day_asked,
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

/// Two nodes (each its own connection pool on the one database) record the same 30 minutes at
/// the same time: every minute is stored once, and exactly one of the two recorded it.
pub async fn two_nodes_record_each_portal_minute_once(db: &TestDb) {
    let (a, clock) = app(db);
    let other = Database::open(&db.location, OpenMode::MustExist).await.unwrap();
    let b = App::new(other.into_store(), clock.clone(), Settings::default());
    for _ in 0..30 {
        let (x, y) = (a.clone(), b.clone());
        let (from_a, from_b) = tokio::join!(
            tokio::spawn(async move { x.portal_heartbeat("node-a").await.unwrap() }),
            tokio::spawn(async move { y.portal_heartbeat("node-b").await.unwrap() }),
        );
        assert!(from_a.unwrap() ^ from_b.unwrap(), "exactly one node records the minute");
        assert!(!a.portal_heartbeat("node-a").await.unwrap(), "the same minute again counts nothing");
        clock.advance_secs(60);
    }
    let rows = texts(&db.location, "SELECT node FROM portal_heartbeats").await;
    assert_eq!(rows.len(), 30, "one row per minute, never two");
    let (start, end) = ("2026-03-02T09:00:00Z".parse().unwrap(), "2026-03-02T10:00:00Z".parse().unwrap());
    assert_eq!(a.portal_availability(start, end).await.unwrap(), (30, 30), "now is 09:30: 30 minutes measured");
}

/// Heartbeats from 09:00 to 09:29 but none from 09:10 to 09:14; the clock then stands at 09:40
/// (nothing recorded after 09:29: the portal was down, or every node was).
pub async fn availability_is_minutes_with_a_heartbeat_of_the_minutes_measured_since_the_first(db: &TestDb) {
    let (app, clock) = app(db);
    let at = |s: &str| -> jiff::Timestamp { s.parse().unwrap() };
    let day = (at("2026-03-02T00:00:00Z"), at("2026-03-03T00:00:00Z"));
    assert_eq!(app.portal_availability(day.0, day.1).await.unwrap(), (0, 0), "nothing measured yet");
    for minute in 0..30 {
        if !(10..15).contains(&minute) {
            assert!(app.portal_heartbeat("node-a").await.unwrap());
        }
        clock.advance_secs(60);
    }
    clock.advance_secs(10 * 60 + 30);
    assert_eq!(app.now(), at("2026-03-02T09:40:30Z"));
    assert_eq!(
        app.portal_availability(day.0, day.1).await.unwrap(),
        (25, 40),
        "from the first heartbeat (09:00) to the current minute (09:40), which is not over yet"
    );
    let hour = (at("2026-03-02T09:05:00Z"), at("2026-03-02T09:15:00Z"));
    assert_eq!(app.portal_availability(hour.0, hour.1).await.unwrap(), (5, 10));
    let before = (at("2026-03-01T00:00:00Z"), at("2026-03-02T00:00:00Z"));
    assert_eq!(app.portal_availability(before.0, before.1).await.unwrap(), (0, 0), "before the first heartbeat");

    let set = app.open_data(&operator(), 2026).await.unwrap();
    for code in ["portal_availability", "norm_beschikbaarheid_informatie"] {
        let q1 = set.indicator("2026-Q1", code).unwrap();
        assert_eq!((q1.value, q1.numerator, q1.denominator), (Some(62.5), Some(25), Some(40)), "{code}");
        assert_eq!(set.indicator("2026", code).unwrap().value, Some(62.5), "{code}");
        assert_eq!(set.indicator("2026-Q2", code).unwrap().status, Status::NotAvailable, "{code}: not begun");
    }
}

pub async fn a_published_year_is_kept_as_published_until_withdrawn_and_the_code_is_the_beheerders(db: &TestDb) {
    let (app, _clock) = app(db);
    let op = operator();
    app.update_organisation(&op, Organisation::parse("Waterschap Proef", 100_000, "Europe/Amsterdam").unwrap())
        .await
        .unwrap();
    assert_eq!(app.open_data_code().await.unwrap(), "waterschap-proef", "derived from the name until set");
    assert!(app.set_open_data_code(&op, "Not A Code").await.is_err());
    assert_eq!(app.set_open_data_code(&op, " ws-proef ").await.unwrap(), "ws-proef");
    assert_eq!(app.open_data_code().await.unwrap(), "ws-proef");

    assert_eq!(app.published_open_data(2025).await.unwrap(), None);
    let published = app.publish_open_data(&op, 2025).await.unwrap();
    assert_eq!(published.organisation.code, "ws-proef", "the export carries the code set");
    app.create_contact(
        &op,
        ContactInput { started_at: Some("2025-06-01T10:00:00Z".parse().unwrap()), ..ContactInput::on(Channel::Email) },
    )
    .await
    .unwrap();
    assert_eq!(app.published_open_data(2025).await.unwrap(), Some(published), "kept as it was at publishing");
    let years: Vec<i16> = app.open_data_publications().await.unwrap().iter().map(|p| p.year).collect();
    assert_eq!(years, [2025]);
    app.publish_open_data(&op, 2026).await.unwrap();
    let years: Vec<i16> = app.open_data_publications().await.unwrap().iter().map(|p| p.year).collect();
    assert_eq!(years, [2026, 2025], "newest first");

    assert!(app.withdraw_open_data(&op, 2025).await.unwrap());
    assert!(!app.withdraw_open_data(&op, 2025).await.unwrap(), "withdrawn already");
    assert_eq!(app.published_open_data(2025).await.unwrap(), None);
    let audited =
        texts(&db.location, "SELECT action FROM audit_log WHERE action LIKE 'open_data.%' ORDER BY seq").await;
    let audited: Vec<&str> = audited.iter().map(|a| a.as_deref().unwrap()).collect();
    assert_eq!(audited, ["open_data.code_set", "open_data.published", "open_data.published", "open_data.withdrawn"]);

    let lead = Principal::employee(EmployeeId::new(), vec![Role::Teamleider]);
    assert!(app.publish_open_data(&lead, 2025).await.is_err(), "only a beheerder publishes");
    assert!(app.withdraw_open_data(&lead, 2026).await.is_err(), "only a beheerder withdraws");
    assert!(app.set_open_data_code(&lead, "x").await.is_err(), "only a beheerder sets the code");
}

/// Ruggespraak answered in time, late, still open past its deadline and still open before it,
/// with a longer term from 16 March on: the indicator counts the same on both backends.
pub async fn consultations_are_judged_by_the_answer_term_valid_on_the_day_asked(db: &TestDb) {
    use gastvrij_domain::calendar::Term;
    use gastvrij_domain::kennisbank::ConsultationInput;
    use gastvrij_domain::norm_versions::NormVersion;
    use gastvrij_domain::norms::NormSet;

    let (app, clock) = app(db);
    let op = operator();
    let set_clock = |at: &str| *clock.0.lock().unwrap() = at.parse().unwrap();
    let team = app
        .create_team(&op, gastvrij_domain::team::TeamInput { name: "Vergunningen".into(), description: None })
        .await
        .unwrap();
    let longer = NormSet { consultation_answer_within: Term::WorkingDays(3), ..NormSet::water_board_default() };
    let version = NormVersion { valid_from: jiff::civil::date(2026, 3, 16), norms: longer };
    app.import_norm_versions(&op, &[version]).await.unwrap();

    let ask = async |n: usize| {
        let mut ids = vec![];
        for i in 0..n {
            let input = ConsultationInput {
                contact_id: None,
                question_id: None,
                to_team: Some(team.id),
                to_employee: None,
                question: format!("Vraag {i}"),
            };
            ids.push(app.ask_consultation(&op, input).await.unwrap().id);
        }
        ids
    };
    // Monday 2 March 10:00 (Amsterdam): one working day, so on time until Tuesday 24:00.
    set_clock("2026-03-02T09:00:00Z");
    let asked = ask(11).await;
    set_clock("2026-03-03T22:59:00Z");
    for id in &asked[..6] {
        app.answer_consultation(&op, *id, "Ja.").await.unwrap();
    }
    set_clock("2026-03-03T23:00:00Z");
    for id in &asked[6..9] {
        app.answer_consultation(&op, *id, "Nee.").await.unwrap();
    }
    // Monday 16 March, under the three-day term: answered on Wednesday is on time.
    set_clock("2026-03-16T09:00:00Z");
    let later = ask(1).await;
    set_clock("2026-03-18T09:00:00Z");
    app.answer_consultation(&op, later[0], "Ja.").await.unwrap();
    // Tuesday 31 March: still open and not due yet, so not judged.
    set_clock("2026-03-31T12:00:00Z");
    ask(1).await;

    let data = app.open_data(&op, 2026).await.unwrap();
    let q1 = data.indicator("2026-Q1", "consultations_answered_within_norm").unwrap().clone();
    assert_eq!(q1.status, Status::Reported, "{q1:?}");
    // Within: 6 + 1; late: 3 answered at the deadline + 2 open past it.
    assert_eq!((q1.numerator, q1.denominator, q1.value), (Some(7), Some(12), Some(58.3)));
    let year = data.indicator("2026", "consultations_answered_within_norm").unwrap();
    assert_eq!((year.numerator, year.denominator), (Some(7), Some(12)), "the year is the sum of its quarters");
    let q2 = data.indicator("2026-Q2", "consultations_answered_within_norm").unwrap();
    assert_eq!(q2.status, Status::NotAvailable, "nothing asked in Q2");
    assert_eq!(OpenDataSet::parse(&serde_json::to_string(&data).unwrap()).unwrap(), data, "passes its own check");
}
