//! `gastvrij benchmark export|import`: the open-data contract of issue 17, small-count
//! suppression in the file, refusal of a file that does not match the schema, and an import
//! that changes nothing the second time.

mod common;

use common::{TempDir, assert_one_line_error, gastvrij, stderr, stdout, with_app};
use gastvrij_app::Principal;
use gastvrij_app::ports::StoredPulseAnswer;
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::channel::Channel;
use gastvrij_domain::contact::ContactInput;
use gastvrij_domain::open_data::{CODES, OpenDataSet, Status, Unit};
use gastvrij_domain::organisation::Organisation;
use gastvrij_domain::pulse::PulseAnswer;
use gastvrij_domain::team::EmployeeInput;
use std::path::Path;

/// An organisation of 100,000 inhabitants with six e-mail contacts in the first quarter of 2025
/// and three chats in the second; five pulse answers (all 4) in a week of February and two (all
/// 2) in a week of May.
fn seed(data: &Path) {
    with_app(data, async |app| {
        let op = Principal::operator();
        app.update_organisation(&op, Organisation::parse("Waterschap Proef", 100_000, "Europe/Amsterdam").unwrap())
            .await
            .unwrap();
        let at = |s: &str| Some(s.parse().unwrap());
        for day in 10..16 {
            let started = at(&format!("2025-02-{day}T09:00:00Z"));
            app.create_contact(&op, ContactInput { started_at: started, ..ContactInput::on(Channel::Email) })
                .await
                .unwrap();
        }
        for day in 12..15 {
            let started = at(&format!("2025-05-{day}T09:00:00Z"));
            app.create_contact(&op, ContactInput { started_at: started, ..ContactInput::on(Channel::Chat) })
                .await
                .unwrap();
        }
        // Stored through the port: the app's clock here is the real one.
        for (i, (week, score)) in [("2025-02-10", 4), ("2025-05-12", 2)]
            .into_iter()
            .flat_map(|w| std::iter::repeat_n(w, if w.1 == 4 { 5 } else { 2 }))
            .enumerate()
        {
            let input = EmployeeInput { name: format!("Medewerker {i}"), active: true, ..Default::default() };
            let employee = app.create_employee(&op, input).await.unwrap();
            let start: jiff::civil::Date = week.parse().unwrap();
            let answer = StoredPulseAnswer {
                id: format!("{i:032x}"),
                period_start: start,
                period_end: start.saturating_add(jiff::Span::new().days(7)),
                team_id: None,
                // Enjoyment one lower than the other four statements.
                answer: PulseAnswer::parse([Some(score), Some(score), Some(score), Some(score), Some(score - 1)], None)
                    .unwrap(),
            };
            let change = Change::new(Actor::Employee(employee.id), app.now(), "pulse.answered", "pulse", "");
            assert!(app.store().save_pulse_answer(employee.id, &answer, &change).await.unwrap());
        }
    })
}

#[test]
fn export_writes_the_year_and_its_quarters_with_small_counts_suppressed() {
    let tmp = TempDir::new();
    let (data_dir, data) = tmp.migrated_data();
    seed(&data_dir);
    let out_dir = tmp.path("");

    let out = gastvrij(&["benchmark", "export", "--data", &data, "--year", "2025", "--out", &out_dir]);
    assert!(out.status.success(), "{}", stderr(&out));
    let path = stdout(&out).trim_end().to_string();
    assert!(path.ends_with("waterschap-proef-2025.json"), "{path}");
    let set = OpenDataSet::parse(&std::fs::read_to_string(&path).unwrap()).expect("the export passes its own check");
    assert_eq!((set.schema_version.as_str(), set.year), ("1.1", 2025));
    assert_eq!((set.organisation.code.as_str(), set.organisation.inhabitants), ("waterschap-proef", 100_000));
    let periods: Vec<&str> = set.periods.iter().map(|p| p.period.as_str()).collect();
    assert_eq!(periods, ["2025", "2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]);
    for p in &set.periods {
        let codes: Vec<&str> = p.indicators.iter().map(|i| i.code.as_str()).collect();
        assert_eq!(codes, CODES, "every indicator in every period, in order");
    }

    let value = |period: &str, code: &str| set.indicator(period, code).unwrap().value;
    assert_eq!(value("2025", "contacts_total"), Some(9.0));
    assert_eq!(value("2025", "contacts_email"), Some(6.0));
    assert_eq!(value("2025-Q3", "contacts_total"), Some(0.0), "zero is no person and is published");
    assert_eq!(value("2025", "contacts_per_1000_inhabitants"), Some(0.1));
    let chats = set.indicator("2025", "contacts_chat").unwrap();
    assert_eq!((chats.status, chats.value, chats.numerator), (Status::Suppressed, None, None));
    assert_eq!(chats.reason.as_deref(), Some("count under 5"));
    let q2 = set.indicator("2025-Q2", "contacts_per_1000_inhabitants").unwrap();
    assert_eq!((q2.status, q2.value), (Status::Suppressed, None), "the ratio goes with its small count");
    // The pulse: every score of the answers in periods that start in the period, shown from
    // five answers on: the year (5×(4×4+3) + 2×(4×2+1)) / 35 = 113 / 35 = 3.2; Q1 95 / 25 = 3.8;
    // Q2 two answers, hidden.
    let pulse = |period: &str| set.indicator(period, "employee_pulse_average").unwrap().clone();
    assert_eq!(
        (pulse("2025").value, pulse("2025").numerator, pulse("2025").denominator),
        (Some(3.2), Some(113), Some(35))
    );
    assert_eq!(pulse("2025-Q1").value, Some(3.8));
    // Per statement, one score per answer: workload (5×4 + 2×2) / 7 = 3.4, enjoyment
    // (5×3 + 2×1) / 7 = 2.4; Q1 4.0 and 3.0; Q2 hidden, Q3 nothing.
    for (code, year, q1) in [
        ("employee_pulse_workload", (Some(3.4), Some(24)), Some(4.0)),
        ("employee_pulse_equipped", (Some(3.4), Some(24)), Some(4.0)),
        ("employee_pulse_collaboration", (Some(3.4), Some(24)), Some(4.0)),
        ("employee_pulse_trust_in_knowledge", (Some(3.4), Some(24)), Some(4.0)),
        ("employee_pulse_enjoyment", (Some(2.4), Some(17)), Some(3.0)),
    ] {
        let of = |period: &str| set.indicator(period, code).unwrap().clone();
        assert_eq!((of("2025").value, of("2025").numerator), year, "{code}");
        assert_eq!((of("2025").denominator, of("2025").unit), (Some(7), Unit::Grade), "{code}");
        assert_eq!(of("2025-Q1").value, q1, "{code}");
        assert_eq!((of("2025-Q2").status, of("2025-Q2").value), (Status::Suppressed, None), "{code}");
        assert_eq!(of("2025-Q2").reason.as_deref(), Some("fewer than 5 answers"), "{code}");
        assert_eq!(of("2025-Q3").status, Status::NotAvailable, "{code}");
    }
    assert_eq!((pulse("2025-Q2").status, pulse("2025-Q2").value), (Status::Suppressed, None));
    assert_eq!(pulse("2025-Q2").reason.as_deref(), Some("fewer than 5 answers"));
    assert_eq!(pulse("2025-Q3").status, Status::NotAvailable, "nobody answered");

    let out =
        gastvrij(&["benchmark", "export", "--data", &data, "--year", "2025", "--format", "csv", "--out", &out_dir]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = std::fs::read_to_string(stdout(&out).trim_end()).unwrap();
    assert_eq!(csv.lines().count(), 1 + 5 * CODES.len(), "a header and one row per indicator and period");
    assert!(csv.contains("\nwaterschap-proef,2025,2025-Q2,contacts_chat,count,suppressed,,,,count under 5\n"), "{csv}");
}

#[test]
fn bad_export_flags_give_one_line_and_exit_2() {
    let tmp = TempDir::new();
    let (_, data) = tmp.migrated_data();
    for (args, needle) in [
        (vec!["--year", "twenty"], "--year 'twenty' is not a year"),
        (vec!["--year", "1999"], "--year '1999' is not a year"),
        (vec![], "--year is missing"),
        (vec!["--year", "2026", "--format", "xml"], "--format 'xml' is not known"),
        (vec!["--year", "2026", "--out", "/no/such/folder"], "--out '/no/such/folder' is not an existing folder"),
    ] {
        let mut all = vec!["benchmark", "export", "--data", &data];
        all.extend(args);
        let out = gastvrij(&all);
        assert_eq!(out.status.code(), Some(2), "{all:?}");
        assert_one_line_error(&out, needle);
    }
}

#[test]
fn import_refuses_a_file_that_does_not_match_and_twice_changes_nothing() {
    let tmp = TempDir::new();
    let (source_dir, source) = tmp.migrated_data();
    seed(&source_dir);
    let out = gastvrij(&["benchmark", "export", "--data", &source, "--year", "2025", "--out", &tmp.path("")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = stdout(&out).trim_end().to_string();

    let other = tmp.path("other");
    assert!(gastvrij(&["migrate", "--data", &other]).status.success());
    let other_dir = tmp.0.join("other");
    let kept = |dir: &Path| with_app(dir, async |app| app.peer_figures(&Principal::operator()).await.unwrap());

    // A file that does not match: the field and the reason, exit 2, nothing of it (nor of the
    // good file beside it) stored.
    let good = std::fs::read_to_string(&file).unwrap();
    let bad = tmp.path("bad.json");
    std::fs::write(&bad, good.replacen("\"unit\": \"count\"", "\"unit\": \"litre\"", 1)).unwrap();
    let out = gastvrij(&["benchmark", "import", "--data", &other, &file, &bad]);
    assert_eq!(out.status.code(), Some(2));
    assert_one_line_error(
        &out,
        "bad.json: refused, nothing stored: periods[0].indicators[0].unit: must be one of count, percent, \
         per_1000_inhabitants, grade (is \"litre\")",
    );
    let wrong_value = tmp.path("wrong.json");
    std::fs::write(&wrong_value, good.replacen("\"value\": 9.0", "\"value\": 90.0", 1)).unwrap();
    let out = gastvrij(&["benchmark", "import", "--data", &other, &wrong_value]);
    assert_one_line_error(&out, "periods[0].indicators[0].value: is 90 but numerator and denominator give 9");
    let out = gastvrij(&["benchmark", "import", "--data", &other]);
    assert_eq!(out.status.code(), Some(2));
    assert_one_line_error(&out, "no FILE given");
    assert!(kept(&other_dir).is_empty());

    let out = gastvrij(&["benchmark", "import", "--data", &other, &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("imported: waterschap-proef 2025 "), "{}", stdout(&out));
    let first = kept(&other_dir);
    assert_eq!(first.len(), 1);
    assert_eq!(first[0], OpenDataSet::parse(&good).unwrap());

    let out = gastvrij(&["benchmark", "import", "--data", &other, &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("unchanged: waterschap-proef 2025 "), "{}", stdout(&out));
    assert_eq!(kept(&other_dir), first);
}

#[test]
fn import_refuses_what_the_schema_forbids_naming_the_field() {
    let tmp = TempDir::new();
    let (source_dir, source) = tmp.migrated_data();
    seed(&source_dir);
    let out = gastvrij(&["benchmark", "export", "--data", &source, "--year", "2025", "--out", &tmp.path("")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let good: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(stdout(&out).trim_end()).unwrap()).unwrap();
    let (other_dir, other) = (tmp.0.join("other"), tmp.path("other"));
    assert!(gastvrij(&["migrate", "--data", &other]).status.success());
    type Edit = fn(&mut serde_json::Value);
    let cases: [(Edit, &str); 5] = [
        (|v| v["extra"] = "x".into(), "extra: is not allowed here"),
        (|v| v["organisation"]["code"] = "Hoofd Letters".into(), "organisation.code: does not match the pattern"),
        (|v| v["periods"][2]["to"] = "30-06-2025".into(), "periods[2].to: must be a date as YYYY-MM-DD"),
        (
            |v| v["periods"][1]["indicators"][0]["numerator"] = (-3).into(),
            "periods[1].indicators[0].numerator: must be at least 0",
        ),
        (
            |v| v["periods"][0]["indicators"][8]["reason"] = serde_json::Value::Null,
            "periods[0].indicators[8].reason: must be string (is null)",
        ),
    ];
    for (i, (edit, needle)) in cases.into_iter().enumerate() {
        let mut v = good.clone();
        edit(&mut v);
        let file = tmp.path(&format!("bad-{i}.json"));
        std::fs::write(&file, serde_json::to_string_pretty(&v).unwrap()).unwrap();
        let out = gastvrij(&["benchmark", "import", "--data", &other, &file]);
        assert_eq!(out.status.code(), Some(2), "{needle}");
        assert_one_line_error(&out, needle);
    }
    let kept = with_app(&other_dir, async |app| app.peer_figures(&Principal::operator()).await.unwrap());
    assert!(kept.is_empty(), "nothing of a refused file is stored");
}

#[test]
fn the_organisation_code_is_the_beheerders_and_the_export_carries_it() {
    let tmp = TempDir::new();
    let (data_dir, data) = tmp.migrated_data();
    seed(&data_dir);
    let out = gastvrij(&["benchmark", "code", "--data", &data]);
    assert_eq!(stdout(&out), "waterschap-proef\n", "derived from the name until set");
    let out = gastvrij(&["benchmark", "code", "--data", &data, "--set", "Proef Schap"]);
    assert_eq!(out.status.code(), Some(2));
    assert_one_line_error(&out, "--set 'Proef Schap' is not an organisation code");
    let out = gastvrij(&["benchmark", "code", "--data", &data, "--set", "ws-proef"]);
    assert_eq!((out.status.success(), stdout(&out).as_str()), (true, "ws-proef\n"), "{}", stderr(&out));
    let out = gastvrij(&["benchmark", "export", "--data", &data, "--year", "2025", "--out", &tmp.path("")]);
    let path = stdout(&out).trim_end().to_string();
    assert!(path.ends_with("ws-proef-2025.json"), "{path}");
    let set = OpenDataSet::parse(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(set.organisation.code, "ws-proef");
}

/// The "done when": an export of the demo imports into a second, empty Gastvrij, whose
/// comparison then shows both boards, and the demo's own peer files pass the schema too.
#[test]
fn an_export_of_the_demo_imports_into_an_empty_gastvrij_whose_comparison_shows_both() {
    let tmp = TempDir::new();
    let demo = tmp.path("demo");
    let out = gastvrij(&["demo", "--data", &demo, "--scale", "0.005", "--until", "2026-11-27"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = gastvrij(&["benchmark", "export", "--data", &demo, "--year", "2026", "--out", &tmp.path("")]);
    assert!(out.status.success(), "{}", stderr(&out));
    let file = stdout(&out).trim_end().to_string();
    assert!(file.ends_with("hoogheemraadschap-van-de-lage-waard-2026.json"), "{file}");
    let demo_peers = with_app(&tmp.0.join("demo"), async |app| app.peer_figures(&Principal::operator()).await.unwrap());
    assert_eq!(demo_peers.iter().filter(|p| p.year == 2026).count(), 3, "the demo ships three peer boards a year");
    for peer in &demo_peers {
        OpenDataSet::parse(&serde_json::to_string(peer).unwrap()).expect("a demo peer passes the schema");
    }

    let (empty_dir, empty) = tmp.migrated_data();
    with_app(&empty_dir, async |app| {
        let org = Organisation::parse("Waterschap Tweede", 250_000, "Europe/Amsterdam").unwrap();
        app.update_organisation(&Principal::operator(), org).await.unwrap();
    });
    let out = gastvrij(&["benchmark", "import", "--data", &empty, &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stdout(&out).starts_with("imported: hoogheemraadschap-van-de-lage-waard 2026 "), "{}", stdout(&out));

    let comparison =
        with_app(&empty_dir, async |app| app.comparison(&Principal::operator(), 2026, None).await.unwrap());
    assert_eq!(comparison.own.organisation.name, "Waterschap Tweede");
    let peers: Vec<&str> = comparison.peers.iter().map(|p| p.organisation.name.as_str()).collect();
    assert_eq!(peers, ["Hoogheemraadschap van de Lage Waard"]);
    let contacts = comparison.rows.iter().find(|r| r.code == "contacts_total").unwrap();
    let names: Vec<&str> = contacts.values.iter().map(|v| v.organisation.as_str()).collect();
    assert_eq!(names, ["Waterschap Tweede", "Hoogheemraadschap van de Lage Waard"], "both, ours first");
    assert_eq!(contacts.values[0].value, Some(0.0), "the empty board has no contacts");
    assert!(contacts.values[1].value.is_some_and(|n| n > 0.0), "the demo board's contacts are shown");
}
