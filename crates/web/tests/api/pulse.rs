//! The employee pulse in the workspace and the API (issue 15): answering once, the figures per
//! team hidden under five answers, the CSV, the roles, and the SVG chart pinned by a snapshot.

use crate::helpers::{TestApp, spawn_app};
use crate::staff::{open_session, send};
use axum::http::StatusCode;
use gastvrij_app::Principal;
use gastvrij_domain::pulse::PulseAnswer;
use gastvrij_domain::team::{EmployeeInput, Role, Team, TeamInput};

async fn team(app: &TestApp, name: &str) -> Team {
    app.app.create_team(&Principal::operator(), TeamInput { name: name.into(), description: None }).await.unwrap()
}

/// A user in `team` who can sign in (password as `token_for` sets it).
async fn user(app: &TestApp, username: &str, team: &Team, role: Role) -> Principal {
    let input = EmployeeInput {
        name: username.into(),
        username: Some(username.into()),
        team_id: Some(team.id),
        roles: vec![role],
        active: true,
        ..Default::default()
    };
    let e = app.app.add_user(&Principal::operator(), input, "een lang testwachtwoord").await.unwrap();
    Principal::employee(e.id, vec![role])
}

/// `n` colleagues in `team` who answered `score` on every statement.
async fn answers(app: &TestApp, team: &Team, n: usize, score: u8) {
    for i in 0..n {
        let input = EmployeeInput {
            name: format!("{} {i}", team.name),
            team_id: Some(team.id),
            roles: vec![Role::Kcc],
            active: true,
            ..Default::default()
        };
        let e = app.app.create_employee(&Principal::operator(), input).await.unwrap();
        let who = Principal::employee(e.id, vec![Role::Kcc]);
        let comment = format!("Opmerking uit {}", team.name);
        app.app.answer_pulse(&who, PulseAnswer::parse([Some(score); 5], Some(&comment)).unwrap()).await.unwrap();
    }
}

const FULL: &str = "workload=4&equipped=3&collaboration=5&trust_in_knowledge=4&enjoyment=2&comment=Veel+werk";

#[tokio::test]
async fn an_employee_answers_the_pulse_once_without_a_trace_of_the_answer_in_the_audit() {
    let app = spawn_app().await;
    let kcc = team(&app, "KCC").await;
    user(&app, "anna", &kcc, Role::Kcc).await;
    let (session, csrf) = open_session(&app, "anna").await;

    let form = send(&app, "GET", "/werkplek/peiling", &[&session], None, &[]).await;
    assert_eq!(form.status, StatusCode::OK);
    for expected in [
        "week 10 2026",
        "<legend class=\"utrecht-form-fieldset__legend utrecht-form-fieldset__legend--html-legend\">Mijn werkdruk is goed te doen.</legend>",
        "type=\"radio\" id=\"enjoyment-5\" name=\"enjoyment\" value=\"5\"",
        "Uw teamleider leest de opmerkingen",
        "href=\"/werkplek/peiling\">Peiling</a>",
    ] {
        assert!(form.body.contains(expected), "{expected} missing");
    }
    assert!(!form.body.contains("href=\"/werkplek/cijfers/peiling\""), "no figures link for an agent");

    let forged = send(&app, "POST", "/werkplek/peiling", &[&session], Some(&format!("csrf=x&{FULL}")), &[]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    let open = "workload=4&equipped=&collaboration=5&trust_in_knowledge=4&enjoyment=2&comment=Bewaard";
    let half = send(&app, "POST", "/werkplek/peiling", &[&session], Some(&format!("csrf={csrf}&{open}")), &[]).await;
    assert_eq!(half.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        half.body.contains("Kies bij “Ik heb wat ik nodig heb om mijn werk goed te doen.” een antwoord van 1 tot 5.")
    );
    assert!(
        half.body.contains("id=\"workload-4\" name=\"workload\" value=\"4\" checked")
            && half.body.contains(">Bewaard</textarea>")
    );

    let ok = send(&app, "POST", "/werkplek/peiling", &[&session], Some(&format!("csrf={csrf}&{FULL}")), &[]).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER);
    let after = send(&app, "GET", ok.location.as_deref().unwrap(), &[&session], None, &[]).await;
    assert!(after.body.contains("Uw antwoord is opgeslagen, zonder uw naam."));
    assert!(after.body.contains("U heeft deze periode al geantwoord.") && !after.body.contains("type=\"radio\""));
    let twice = send(&app, "POST", "/werkplek/peiling", &[&session], Some(&format!("csrf={csrf}&{FULL}")), &[]).await;
    assert_eq!(twice.status, StatusCode::CONFLICT);
    assert!(twice.body.contains("U heeft deze periode al geantwoord."));

    // Stored once: one answer in the organisation's totals, and the audit names Anna but
    // nothing of what she answered.
    let totals = app.app.store().pulse_totals("2026-03-02".parse().unwrap(), "2026-03-09".parse().unwrap()).await;
    assert_eq!(totals.unwrap().iter().map(|r| r.totals.answers).sum::<u64>(), 1);
    let (_, audit) = app.get("/api/v1/audit?entity_id=pulse:2026-03-02", Some(&app.admin)).await;
    let entries = audit.as_array().unwrap();
    assert_eq!(entries.len(), 1, "{audit}");
    assert_eq!((entries[0]["action"].as_str(), entries[0]["summary"].as_str()), (Some("pulse.answered"), Some("")));
    assert!(!audit.to_string().contains("Veel werk"));
}

#[tokio::test]
async fn a_team_under_five_answers_shows_te_weinig_antwoorden_and_five_show_the_averages() {
    let app = spawn_app().await;
    let (heffingen, kcc) = (team(&app, "Heffingen").await, team(&app, "KCC").await);
    answers(&app, &heffingen, 4, 2).await;
    answers(&app, &kcc, 5, 4).await;
    user(&app, "leider", &heffingen, Role::Teamleider).await;
    user(&app, "beheer2", &kcc, Role::Beheerder).await;
    user(&app, "bo", &kcc, Role::Backoffice).await;

    let (lead, _) = open_session(&app, "leider").await;
    let page = send(&app, "GET", "/werkplek/cijfers/peiling", &[&lead], None, &[]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let heffingen_part = &page.body[page.body.find("Team Heffingen").expect("the lead's own team")..];
    assert!(heffingen_part.contains("<th class=\"utrecht-table__header-cell\" scope=\"row\">week 10 2026</th>\n<td class=\"utrecht-table__cell\" colspan=\"7\">te weinig antwoorden</td>"));
    assert!(!heffingen_part.contains("2,0") && !heffingen_part.contains("Opmerking uit"), "no number, no comment");
    assert!(!page.body.contains("Team KCC"), "a team lead sees only their own team");
    // The organisation: 9 answers, (4×2 + 5×4) / 9 = 3.1.
    assert!(page.body.contains("<td class=\"utrecht-table__cell\">9</td>\n<td class=\"utrecht-table__cell\">3,1</td>"));
    assert!(page.body.contains("<svg class=\"grafiek\"") && page.body.contains("aria-hidden=\"true\""));
    assert!(!page.body.contains("name=\"schema\""), "only a beheerder sets the schedule");
    assert!(!page.body.contains("style="));

    let (admin, admin_csrf) = open_session(&app, "beheer2").await;
    let all = send(&app, "GET", "/werkplek/cijfers/peiling", &[&admin], None, &[]).await;
    let kcc_part = &all.body[all.body.find("Team KCC").expect("every team for a beheerder")..];
    let row = "<th class=\"utrecht-table__header-cell\" scope=\"row\">week 10 2026</th>\n<td class=\"utrecht-table__cell\">5</td>\n<td class=\"utrecht-table__cell\">4,0</td>";
    assert!(kcc_part.contains(row), "{kcc_part}");
    assert!(kcc_part.contains("<li>Opmerking uit KCC</li>"), "comments of a group of five");
    assert!(!all.body.contains("Opmerking uit Heffingen"));

    let csv = send(&app, "GET", "/werkplek/cijfers/peiling.csv", &[&admin], None, &[]).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(csv.body.starts_with(
        "group,period_start,period_end,answers,workload,equipped,collaboration,trust_in_knowledge,enjoyment,overall\n"
    ));
    assert!(csv.body.contains("\nHeffingen,2026-03-02,2026-03-09,,,,,,,\n"), "{}", csv.body);
    assert!(csv.body.contains("\nKCC,2026-03-02,2026-03-09,5,4,4,4,4,4,4\n"), "{}", csv.body);

    let (_, api) = app.get("/api/v1/pulse?from=2026-03-02&to=2026-03-09", Some(&app.admin)).await;
    let groups = api["groups"].as_array().unwrap();
    let of = |name: &str| groups.iter().find(|g| g["team_name"] == name).unwrap()["figures"][0].clone();
    assert_eq!(
        of("Heffingen"),
        serde_json::json!({"shown": false, "answers": null, "averages": null, "overall": null})
    );
    assert_eq!(of("KCC")["averages"]["trust_in_knowledge"], 4.0);
    assert_eq!(groups[0]["team_name"], serde_json::Value::Null, "the organisation first");
    let (status, _) = app.get("/api/v1/pulse?from=gisteren", Some(&app.admin)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, doc) = app.get("/api/openapi.json", None).await;
    assert!(doc["paths"]["/api/v1/pulse"]["get"].is_object(), "documented");

    // The schedule, by a beheerder only.
    let set = send(
        &app,
        "POST",
        "/werkplek/cijfers/peiling/schema",
        &[&admin],
        Some(&format!("csrf={admin_csrf}&schema=month")),
        &[],
    )
    .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER);
    let monthly = send(&app, "GET", "/werkplek/cijfers/peiling", &[&admin], None, &[]).await;
    assert!(monthly.body.contains("De peiling loopt elke maand") && monthly.body.contains("maart 2026"));

    // A backoffice employee sees none of it.
    let (bo, bo_csrf) = open_session(&app, "bo").await;
    for path in ["/werkplek/cijfers/peiling", "/werkplek/cijfers/peiling.csv"] {
        assert_eq!(send(&app, "GET", path, &[&bo], None, &[]).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(send(&app, "GET", "/api/v1/pulse", &[&bo], None, &[]).await.status, StatusCode::FORBIDDEN);
    let refused = send(
        &app,
        "POST",
        "/werkplek/cijfers/peiling/schema",
        &[&bo],
        Some(&format!("csrf={bo_csrf}&schema=week")),
        &[],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

/// Compare `actual` with the committed file `tests/snapshots/{name}`; with `UPDATE_SNAPSHOTS=1`
/// write it instead.
pub(crate) fn snapshot(name: &str, actual: &str) {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots").join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert_eq!(actual, expected, "{name} changed; run with UPDATE_SNAPSHOTS=1 if that is intended");
}

#[test]
fn the_charts_draw_the_same_svg() {
    use gastvrij_web::charts::{columns, horizontal_bars};
    snapshot("pulse_columns.svg", &columns(&[Some(3.04), None, Some(5.0), Some(1.0), Some(4.5)], 0.0, 5.0));
    snapshot("comparison_bars.svg", &horizontal_bars(&[Some(93.0), None, Some(71.0)]));
    // Satisfaction: the average grade per bucket on the scale 0 to 10, a bucket without answers.
    snapshot("satisfaction_columns.svg", &columns(&[Some(7.4), Some(8.0), None, Some(3.0)], 0.0, 10.0));
    // The overview: per week the share within the norm (0–100) beside the average grade (0–10),
    // a week without decided cases and one without answers.
    snapshot(
        "overview_pairs.svg",
        &gastvrij_web::charts::paired_columns(
            &[Some(92.5), None, Some(100.0)],
            100.0,
            &[Some(7.6), Some(6.0), None],
            10.0,
        ),
    );
}
