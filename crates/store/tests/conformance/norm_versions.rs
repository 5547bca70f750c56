//! Stories of the norm set's versions: a change judges its own days only, on both sources of
//! the compliance figures, and the dashboard's filters narrow the figures the same way.

use crate::harness::{TestDb, app, operator};
use crate::stories::{case_input, phone_contact, question, team};
use gastvrij_app::norms::{GroupBy, Source};
use gastvrij_app::ports::NormFilter;
use gastvrij_domain::case::{CaseStatus, CaseType};
use gastvrij_domain::contact::ContactInput;
use gastvrij_domain::norm_versions::{NormForm, NormVersion};
use jiff::civil::date;

crate::stories!(
    norm_versions:
    a_norm_changed_today_does_not_rejudge_last_month,
    bad_norm_input_stores_nothing_and_an_import_twice_changes_nothing,
    the_dashboard_filters_by_team_and_channel_like_the_compliance_report,
    a_new_case_gets_the_service_norm_of_the_version_valid_on_its_day,
);

/// `(within norm, late, target)` of the bereikbaarheid group for Monday 2 March 2026 to 9 March,
/// the same from the plain scan and the roll-ups.
async fn first_week(app: &gastvrij_app::App) -> (u64, u64, u8) {
    let who = operator();
    let from: jiff::Timestamp = "2026-03-01T23:00:00Z".parse().unwrap();
    let to: jiff::Timestamp = "2026-03-08T23:00:00Z".parse().unwrap();
    let h = jiff::SignedDuration::ZERO;
    let scan = app.compliance_from(&who, from, to, GroupBy::NormCategory, h, Source::Scan).await.unwrap();
    let rolled = app.compliance_from(&who, from, to, GroupBy::NormCategory, h, Source::Rollup).await.unwrap();
    assert_eq!(serde_json::to_value(&scan).unwrap(), serde_json::to_value(&rolled).unwrap());
    let g = scan.groups.iter().find(|g| g.key == "bereikbaarheid").expect("calls were counted");
    (g.counts.within_norm, g.counts.late, g.target_percent)
}

async fn call(app: &gastvrij_app::App, waited: u32) {
    let input = ContactInput { waiting_seconds: Some(waited), ..phone_contact(vec![question("Vraag", None)]) };
    app.create_contact(&operator(), input).await.unwrap();
}

pub async fn a_norm_changed_today_does_not_rejudge_last_month(db: &TestDb) {
    let (app, clock) = app(db);
    let who = operator();
    // Monday 2 March 2026, 10:00 in the office: one call within 25 s, one after 30 s.
    call(&app, 20).await;
    call(&app, 30).await;
    assert_eq!(first_week(&app).await, (1, 1, 80));

    // Four weeks on, the beheerder allows 35 seconds with a target of 60%, from today.
    clock.advance_secs(28 * 86_400);
    let today = date(2026, 3, 30);
    let mut form = NormForm::of(&app.norms(&who).await.unwrap(), today);
    form.telefoon_seconden = "35".into();
    form.telefoon_doel = "60".into();
    let saved = app.save_norm_form(&who, &form).await.unwrap().unwrap();
    assert_eq!(saved.valid_from, today);
    assert_eq!(app.norms(&who).await.unwrap().phone().unwrap().answer_within_seconds, Some(35));

    // Last month keeps its norm: the 30-second call is still late, the target still 80%.
    assert_eq!(first_week(&app).await, (1, 1, 80));
    // Today a 30-second call is within the new norm, judged against 60%.
    call(&app, 30).await;
    let from: jiff::Timestamp = "2026-03-29T22:00:00Z".parse().unwrap();
    let to: jiff::Timestamp = "2026-03-30T22:00:00Z".parse().unwrap();
    let h = jiff::SignedDuration::ZERO;
    for source in [Source::Scan, Source::Rollup] {
        let r = app.compliance_from(&who, from, to, GroupBy::NormCategory, h, source).await.unwrap();
        let g = r.groups.iter().find(|g| g.key == "bereikbaarheid").unwrap();
        assert_eq!((g.counts.within_norm, g.counts.late, g.target_percent), (1, 0, 60), "{source:?}");
        assert_eq!(g.weekly[0].target_percent, 60);
    }
    // A period across the change: each week is judged against its own target.
    let from: jiff::Timestamp = "2026-03-01T23:00:00Z".parse().unwrap();
    let r = app.compliance_from(&who, from, to, GroupBy::NormCategory, h, Source::Rollup).await.unwrap();
    let g = r.groups.iter().find(|g| g.key == "bereikbaarheid").unwrap();
    let targets: Vec<(String, u8)> = g.weekly.iter().map(|w| (w.week.clone(), w.target_percent)).collect();
    assert_eq!(targets, vec![("2026-W10".to_string(), 80), ("2026-W14".to_string(), 60)]);
}

pub async fn bad_norm_input_stores_nothing_and_an_import_twice_changes_nothing(db: &TestDb) {
    let (app, _clock) = app(db);
    let who = operator();
    let today = date(2026, 3, 2);
    let before = app.norm_versions(&who).await.unwrap();
    assert_eq!(before.versions().len(), 1, "the set in code only");

    let mut form = NormForm::of(&app.norms(&who).await.unwrap(), today);
    form.telefoon_doel = "180".into();
    form.geldig_vanaf = "2026-03-01".into();
    let errors = app.save_norm_form(&who, &form).await.unwrap().unwrap_err();
    let fields: Vec<_> = errors.iter().map(|e| e.field).collect();
    assert_eq!(fields, vec!["geldig_vanaf", "telefoon_doel"]);
    assert_eq!(app.norm_versions(&who).await.unwrap(), before, "nothing stored");

    let mut norms = app.norms(&who).await.unwrap();
    norms.satisfaction_grade = 8.0;
    let versions = vec![NormVersion { valid_from: date(2026, 4, 1), norms }];
    let first = app.import_norm_versions(&who, &versions).await.unwrap();
    assert_eq!((first.stored, first.unchanged), (1, 0));
    let after = app.norm_versions(&who).await.unwrap();
    let again = app.import_norm_versions(&who, &versions).await.unwrap();
    assert_eq!((again.stored, again.unchanged), (0, 1));
    assert_eq!(app.norm_versions(&who).await.unwrap(), after);
    assert_eq!(after.valid_on(date(2026, 3, 31)).satisfaction_grade, 7.5);
    assert_eq!(after.valid_on(date(2026, 4, 1)).satisfaction_grade, 8.0);

    // Case terms are not a version's to change: refused, nothing stored.
    let mut terms = versions[0].norms.clone();
    terms.case_types.pop();
    let bad = vec![NormVersion { valid_from: date(2026, 5, 1), norms: terms }];
    assert!(app.import_norm_versions(&who, &bad).await.is_err());
    assert_eq!(app.norm_versions(&who).await.unwrap(), after);
}

pub async fn the_dashboard_filters_by_team_and_channel_like_the_compliance_report(db: &TestDb) {
    let (app, clock) = app(db);
    let who = operator();
    let (a, b) = (
        app.create_team(&who, team("Meldingen")).await.unwrap(),
        app.create_team(&who, team("Klachten")).await.unwrap(),
    );
    for (t, n) in [(a.id, 3), (b.id, 2)] {
        for _ in 0..n {
            let case = app.create_case(&who, case_input(t, CaseType::Vraag)).await.unwrap();
            app.change_case_status(&who, case.id, CaseStatus::InBehandeling, None).await.unwrap();
        }
    }
    call(&app, 10).await;
    clock.advance_secs(2 * 86_400);
    let (from, to) = (date(2026, 3, 2), date(2026, 3, 9));
    let all = app.norm_dashboard(&who, from, to, &NormFilter::default()).await.unwrap();
    let team_a =
        app.norm_dashboard(&who, from, to, &NormFilter { team: Some(a.id), ..Default::default() }).await.unwrap();
    let measure = |d: &gastvrij_app::norm_dashboard::NormDashboard, n: usize| d.categories[n].measures[0].clone();
    assert_eq!(measure(&all, 1).counts.unwrap().within_norm, 5, "every acknowledgement in time");
    assert_eq!(measure(&team_a, 1).counts.unwrap().within_norm, 3, "team A's only");
    assert_eq!(measure(&all, 0).base, 1, "the call");
    assert_eq!(measure(&team_a, 0).base, 0, "calls have no team");
    assert!(!measure(&all, 3).measured, "category 4 is not connected yet");
    assert_eq!(all.categories.iter().map(|c| c.number).collect::<Vec<_>>(), vec![1, 2, 3, 4, 5]);
    assert_eq!(all.today.calls_offered, 0, "the call was two days ago");
    assert_eq!(all.today.day, date(2026, 3, 4));
}

/// A version from tomorrow shortens the own service norm of a verzoek from 4 weeks to 2: a case
/// created tomorrow gets 2 weeks, a case of today keeps its 4, also when its deadlines are
/// recomputed after a suspension; the legal term (8 weeks) stays.
pub async fn a_new_case_gets_the_service_norm_of_the_version_valid_on_its_day(db: &TestDb) {
    let (app, clock) = app(db);
    let who = operator();
    let t = app.create_team(&who, team("Verzoeken")).await.unwrap();
    let at = |s: &str| s.parse::<jiff::Timestamp>().unwrap();
    // Monday 2 March 2026: four weeks, due Monday 30 March.
    let old = app.create_case(&who, case_input(t.id, CaseType::Verzoek)).await.unwrap();
    assert_eq!(old.timing.deadlines.unwrap().service_norm, at("2026-03-31T00:00:00+02:00"));

    let mut form = NormForm::of(&app.norms(&who).await.unwrap(), date(2026, 3, 3));
    form.zaaktypen.insert("servicenorm_verzoek".into(), "2".into());
    app.save_norm_form(&who, &form).await.unwrap().unwrap();
    let refused = {
        let mut f = form.clone();
        f.zaaktypen.insert("servicenorm_verzoek".into(), "9".into());
        app.save_norm_form(&who, &f).await.unwrap().unwrap_err()
    };
    assert_eq!(refused[0].field, "servicenorm_verzoek", "longer than the legal 8 weeks");

    clock.advance_secs(86_400);
    // Tuesday 3 March: two weeks, due Tuesday 17 March; the legal term still 8 weeks.
    let new = app.create_case(&who, case_input(t.id, CaseType::Verzoek)).await.unwrap();
    let d = new.timing.deadlines.unwrap();
    assert_eq!(d.service_norm, at("2026-03-18T00:00:00+01:00"));
    assert_eq!(d.legal, Some(at("2026-04-29T00:00:00+02:00")));

    // The older case keeps its own four weeks, also when a suspension recomputes them.
    app.change_case_status(&who, old.id, CaseStatus::InBehandeling, None).await.unwrap();
    app.change_case_status(&who, old.id, CaseStatus::Opgeschort, Some("wacht op de klant")).await.unwrap();
    let resumed = app.change_case_status(&who, old.id, CaseStatus::InBehandeling, None).await.unwrap();
    assert_eq!(resumed.timing.deadlines.unwrap().service_norm, at("2026-03-31T00:00:00+02:00"));
    let stored = app.case(&who, old.id).await.unwrap();
    assert_eq!(stored.timing.deadlines.unwrap().service_norm, at("2026-03-31T00:00:00+02:00"));
}
