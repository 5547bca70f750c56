//! The `gastvrij calendar` contract, run against the built binary.

use std::process::{Command, Output};

const CALENDARS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../calendars");

const ENV: [&str; 9] = [
    "GASTVRIJ_CALENDAR",
    "GASTVRIJ_CALENDAR_YEAR",
    "GASTVRIJ_CALENDAR_START",
    "GASTVRIJ_CALENDAR_WORKING_DAYS",
    "GASTVRIJ_CALENDAR_WEEKS",
    "GASTVRIJ_CALENDAR_CALENDAR_DAYS",
    "GASTVRIJ_CALENDAR_BUSINESS_HOURS",
    "GASTVRIJ_CALENDAR_BUSINESS_MINUTES",
    "GASTVRIJ_CALENDAR_CLOCK_HOURS",
];

fn gastvrij(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gastvrij"));
    for var in ENV {
        cmd.env_remove(var);
    }
    cmd.envs(env.iter().copied()).args(args).output().expect("the gastvrij binary runs")
}

fn stdout_of(args: &[&str]) -> String {
    let out = gastvrij(args, &[]);
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    assert!(out.stderr.is_empty(), "{args:?} wrote to stderr: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("utf-8 output")
}

/// Bad input: exit code 2, nothing on stdout, one line on stderr containing every `needle`.
fn assert_usage_error(args: &[&str], needles: &[&str]) {
    let out = gastvrij(args, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty(), "{args:?} wrote to stdout");
    assert_eq!(stderr.trim_end().lines().count(), 1, "{args:?}: not one line: {stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "{args:?}: `{needle}` missing in: {stderr}");
    }
}

#[test]
fn holidays_of_2026_print_one_line_each_sorted_by_date() {
    assert_eq!(
        stdout_of(&["calendar", "holidays", "--year", "2026"]),
        "2026-01-01 Nieuwjaarsdag\n\
         2026-04-03 Goede Vrijdag\n\
         2026-04-06 Tweede Paasdag\n\
         2026-04-27 Koningsdag\n\
         2026-05-05 Bevrijdingsdag\n\
         2026-05-14 Hemelvaartsdag\n\
         2026-05-25 Tweede Pinksterdag\n\
         2026-12-25 Eerste Kerstdag\n\
         2026-12-26 Tweede Kerstdag\n"
    );
}

#[test]
fn holidays_include_the_closed_days_of_a_calendar_file() {
    let file = format!("{CALENDARS}/termijnenwet-gelijkgestelde-dagen.toml");
    let out = stdout_of(&["calendar", "holidays", "--year", "2026", "--calendar", &file]);
    assert!(out.contains("2026-01-01 Nieuwjaarsdag\n2026-01-02 Vrijdag na Nieuwjaarsdag\n"), "{out}");
    assert!(out.contains("2026-05-14 Hemelvaartsdag\n2026-05-15 Vrijdag na Hemelvaartsdag\n"), "{out}");
    let office = format!("{CALENDARS}/waterschap-kantoor.toml");
    let out = stdout_of(&["calendar", "holidays", "--year", "2026", "--calendar", &office]);
    assert!(!out.contains("Bevrijdingsdag"), "the office works on 5 May 2026: {out}");
    assert!(out.contains("2026-09-18 Personeelsdag\n"), "{out}");
}

#[test]
fn three_working_days_after_2_april_2026_is_9_april() {
    assert_eq!(stdout_of(&["calendar", "deadline", "--start", "2026-04-02", "--working-days", "3"]), "2026-04-09\n");
}

#[test]
fn six_weeks_after_2_april_2026_skip_ascension_day() {
    assert_eq!(stdout_of(&["calendar", "deadline", "--start", "2026-04-02", "--weeks", "6"]), "2026-05-15\n");
    let file = format!("{CALENDARS}/termijnenwet-gelijkgestelde-dagen.toml");
    assert_eq!(
        stdout_of(&["calendar", "deadline", "--start", "2026-04-02", "--weeks", "6", "--calendar", &file]),
        "2026-05-18\n"
    );
}

#[test]
fn calendar_days_move_past_easter() {
    assert_eq!(stdout_of(&["calendar", "deadline", "--start", "2026-04-02", "--calendar-days", "1"]), "2026-04-07\n");
}

#[test]
fn four_business_hours_from_maundy_thursday_afternoon_end_on_tuesday_morning() {
    assert_eq!(
        stdout_of(&["calendar", "deadline", "--start", "2026-04-02T16:30:00+02:00", "--business-hours", "4"]),
        "2026-04-07T11:30:00+02:00\n"
    );
    // The same moment in UTC gives the same local answer.
    assert_eq!(
        stdout_of(&["calendar", "deadline", "--start", "2026-04-02T14:30:00Z", "--business-hours", "4"]),
        "2026-04-07T11:30:00+02:00\n"
    );
}

#[test]
fn clock_hours_and_business_minutes_print_moments() {
    assert_eq!(
        stdout_of(&["calendar", "deadline", "--start", "2026-03-28T12:00:00+01:00", "--clock-hours", "24"]),
        "2026-03-29T13:00:00+02:00\n"
    );
    assert_eq!(
        stdout_of(&["calendar", "deadline", "--start", "2026-04-02T16:30:00+02:00", "--business-minutes", "45"]),
        "2026-04-07T08:15:00+02:00\n"
    );
}

#[test]
fn every_flag_is_also_an_environment_variable() {
    let file = format!("{CALENDARS}/termijnenwet-gelijkgestelde-dagen.toml");
    let out = gastvrij(
        &["calendar", "deadline"],
        &[("GASTVRIJ_CALENDAR_START", "2026-04-02"), ("GASTVRIJ_CALENDAR_WEEKS", "6"), ("GASTVRIJ_CALENDAR", &file)],
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "2026-05-18\n");
    let out = gastvrij(&["calendar", "holidays"], &[("GASTVRIJ_CALENDAR_YEAR", "2027")]);
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("2027-01-01 Nieuwjaarsdag\n"));
}

#[test]
fn a_negative_count_is_refused() {
    assert_usage_error(
        &["calendar", "deadline", "--start", "2026-04-02", "--working-days", "-3"],
        &["--working-days", "0 or more"],
    );
    assert_usage_error(&["calendar", "deadline", "--start", "2026-04-02", "--weeks=-1"], &["--weeks", "0 or more"]);
}

#[test]
fn an_impossible_date_is_refused() {
    assert_usage_error(
        &["calendar", "deadline", "--start", "2026-02-30", "--working-days", "3"],
        &["--start", "February 2026 has 28 days", "YYYY-MM-DD"],
    );
    assert_usage_error(
        &["calendar", "deadline", "--start", "2026-02-30T10:00:00+01:00", "--business-hours", "3"],
        &["--start", "February 2026 has 28 days"],
    );
}

#[test]
fn an_unknown_flag_is_refused() {
    assert_usage_error(
        &["calendar", "deadline", "--start", "2026-04-02", "--workdays", "3"],
        &["unknown flag --workdays", "did you mean --working-days?", "--help"],
    );
    assert_usage_error(&["calendar", "holidays", "--yaer", "2026"], &["unknown flag --yaer", "--year"]);
    assert_usage_error(&["calendar", "deadline", "--start", "2026-04-02", "--weeks", "6", "7"], &["`7`", "--weeks 6"]);
}

#[test]
fn a_flag_without_its_value_is_refused() {
    assert_usage_error(&["calendar", "deadline", "--start", "2026-04-02", "--weeks"], &["--weeks needs a number"]);
    assert_usage_error(&["calendar", "deadline", "--weeks", "6", "--start"], &["--start is missing"]);
    assert_usage_error(&["calendar", "holidays", "--year", "2026", "--calendar"], &["--calendar needs a file"]);
}

#[test]
fn a_date_where_a_moment_is_needed_is_refused() {
    assert_usage_error(
        &["calendar", "deadline", "--start", "2026-04-02", "--business-hours", "4"],
        &["--start", "needs a moment", "2026-04-02T16:30:00+02:00"],
    );
    assert_usage_error(
        &["calendar", "deadline", "--start", "2026-04-02T16:30:00", "--business-hours", "4"],
        &["--start", "offset"],
    );
}

#[test]
fn exactly_one_duration_flag_is_needed() {
    assert_usage_error(&["calendar", "deadline", "--start", "2026-04-02"], &["--working-days", "--weeks"]);
    assert_usage_error(
        &["calendar", "deadline", "--start", "2026-04-02", "--weeks", "6", "--working-days", "3"],
        &["--working-days and --weeks", "exactly one"],
    );
}

#[test]
fn bad_years_and_calendar_files_are_refused() {
    assert_usage_error(&["calendar", "holidays"], &["--year"]);
    assert_usage_error(&["calendar", "holidays", "--year", "twenty"], &["--year", "2026"]);
    assert_usage_error(
        &["calendar", "holidays", "--year", "2026", "--calendar", "/nonexistent/x.toml"],
        &["--calendar"],
    );
}
