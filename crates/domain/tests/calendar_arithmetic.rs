//! Worked examples of working days, statutory terms, business hours and terms.

use gastvrij_domain::calendar::{Calendar, CalendarError, Term, TimeWindow, describe_working_days};
use jiff::civil::{Weekday, date};
use jiff::{SignedDuration, Timestamp};

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn cal() -> Calendar {
    Calendar::termijnenwet()
}

#[test]
fn three_working_days_after_maundy_thursday_skip_easter() {
    // Fri 3 Apr Goede Vrijdag, weekend, Mon 6 Apr Tweede Paasdag.
    assert_eq!(cal().add_working_days(date(2026, 4, 2), 3).unwrap(), date(2026, 4, 9));
    assert_eq!(cal().add_working_days(date(2026, 4, 2), 1).unwrap(), date(2026, 4, 7));
}

#[test]
fn zero_working_days_is_the_date_itself_even_on_a_sunday() {
    let sunday = date(2026, 4, 5);
    assert_eq!(cal().add_working_days(sunday, 0).unwrap(), sunday);
    assert_eq!(cal().add_working_days(sunday, 1).unwrap(), date(2026, 4, 7));
}

#[test]
fn working_days_cross_the_turn_of_the_year() {
    // Thu 24 Dec 2026 + 3: Mon 28, Tue 29, Wed 30.
    assert_eq!(cal().add_working_days(date(2026, 12, 24), 3).unwrap(), date(2026, 12, 30));
    // Wed 30 Dec + 2: Thu 31, (Fri 1 Jan holiday), Mon 4 Jan.
    assert_eq!(cal().add_working_days(date(2026, 12, 30), 2).unwrap(), date(2027, 1, 4));
    // 1000 working days jump across several years.
    let far = cal().add_working_days(date(2026, 1, 1), 1000).unwrap();
    assert_eq!(cal().working_days_between(date(2026, 1, 1), far).unwrap(), 1000);
}

#[test]
fn six_weeks_ending_on_ascension_day_move_to_the_friday() {
    assert_eq!(cal().add_weeks(date(2026, 4, 2), 6).unwrap(), date(2026, 5, 15));
}

#[test]
fn weeks_ending_on_a_saturday_move_to_monday() {
    // Sat 14 Mar 2026 + 1 week = Sat 21 Mar → Mon 23 Mar.
    assert_eq!(cal().add_weeks(date(2026, 3, 14), 1).unwrap(), date(2026, 3, 23));
    // A plain weekday stays.
    assert_eq!(cal().add_weeks(date(2026, 3, 10), 2).unwrap(), date(2026, 3, 24));
}

#[test]
fn calendar_days_ending_on_christmas_move_past_the_weekend_and_holidays() {
    // 2027: Sat 25 Dec, Sun 26 Dec → Mon 27 Dec.
    assert_eq!(cal().add_calendar_days(date(2027, 12, 15), 10).unwrap(), date(2027, 12, 27));
    // 2026: Fri 25, Sat 26, Sun 27 → Mon 28.
    assert_eq!(cal().add_calendar_days(date(2026, 12, 20), 5).unwrap(), date(2026, 12, 28));
}

#[test]
fn business_hours_across_easter_follow_the_contract() {
    let end = cal().add_business_hours(ts("2026-04-02T16:30:00+02:00"), 4).unwrap();
    assert_eq!(cal().format_moment(end), "2026-04-07T11:30:00+02:00");
}

#[test]
fn a_start_outside_office_hours_begins_at_the_next_opening() {
    let end = cal().add_business_hours(ts("2026-03-10T06:00:00+01:00"), 2).unwrap();
    assert_eq!(cal().format_moment(end), "2026-03-10T10:00:00+01:00");
    let end = cal().add_business_hours(ts("2026-03-13T18:00:00+01:00"), 1).unwrap();
    assert_eq!(cal().format_moment(end), "2026-03-16T09:00:00+01:00");
    assert_eq!(
        cal().format_moment(cal().next_opening(ts("2026-03-14T12:00:00+01:00")).unwrap()),
        "2026-03-16T08:00:00+01:00"
    );
}

#[test]
fn a_result_exactly_at_closing_time_stays_at_closing_time() {
    let end = cal().add_business_hours(ts("2026-03-10T08:00:00+01:00"), 9).unwrap();
    assert_eq!(cal().format_moment(end), "2026-03-10T17:00:00+01:00");
    let end = cal().add_business_minutes(ts("2026-03-10T16:30:00+01:00"), 30).unwrap();
    assert_eq!(cal().format_moment(end), "2026-03-10T17:00:00+01:00");
    assert!(!cal().is_open(end).unwrap());
}

#[test]
fn business_minutes_and_durations_count_seconds_exactly() {
    let start = ts("2026-03-10T16:59:30+01:00");
    let end = cal().add_business_time(start, SignedDuration::from_secs(45)).unwrap();
    assert_eq!(cal().format_moment(end), "2026-03-11T08:00:15+01:00");
    assert_eq!(cal().working_time_between(start, end).unwrap(), SignedDuration::from_secs(45));
}

#[test]
fn negative_business_time_is_refused_with_a_fix() {
    let e = cal().add_business_time(ts("2026-03-10T08:00:00Z"), SignedDuration::from_mins(-5)).unwrap_err();
    assert!(matches!(e, CalendarError::Negative { .. }));
    assert!(e.to_string().contains("must be 0 or more"), "{e}");
}

#[test]
fn several_windows_a_day_skip_the_lunch_break() {
    let cal = Calendar::builder()
        .office_hours(
            Weekday::Monday,
            vec![TimeWindow::parse("08:00-12:00").unwrap(), TimeWindow::parse("13:00-17:00").unwrap()],
        )
        .build()
        .unwrap();
    let end = cal.add_business_hours(ts("2026-03-09T11:00:00+01:00"), 2).unwrap();
    assert_eq!(cal.format_moment(end), "2026-03-09T14:00:00+01:00");
    // Only Mondays are open: a week later.
    let end = cal.add_business_hours(ts("2026-03-09T16:00:00+01:00"), 2).unwrap();
    assert_eq!(cal.format_moment(end), "2026-03-16T09:00:00+01:00");
    let worked = cal.working_time_between(ts("2026-03-09T00:00:00+01:00"), ts("2026-03-17T00:00:00+01:00")).unwrap();
    assert_eq!(worked, SignedDuration::from_hours(16));
}

#[test]
fn working_time_between_is_signed() {
    let (a, b) = (ts("2026-04-02T16:30:00+02:00"), ts("2026-04-07T11:30:00+02:00"));
    assert_eq!(cal().working_time_between(a, b).unwrap(), SignedDuration::from_hours(4));
    assert_eq!(cal().working_time_between(b, a).unwrap(), SignedDuration::from_hours(-4));
}

#[test]
fn working_days_between_reads_as_nog_and_te_laat() {
    let c = cal();
    let due = date(2026, 4, 9); // Thursday
    let say = |today| describe_working_days(c.working_days_between(today, due).unwrap());
    assert_eq!(say(date(2026, 4, 2)), "nog 3 werkdagen");
    assert_eq!(say(date(2026, 4, 8)), "nog 1 werkdag");
    assert_eq!(say(due), "vandaag");
    assert_eq!(say(date(2026, 4, 10)), "1 werkdag te laat");
    // The Saturday after a missed Friday due date is already late.
    let friday = date(2026, 4, 10);
    assert_eq!(describe_working_days(c.working_days_between(date(2026, 4, 11), friday).unwrap()), "1 werkdag te laat");
    assert_eq!(say(date(2026, 4, 13)), "2 werkdagen te laat");
}

#[test]
fn terms_give_the_first_late_moment() {
    let c = cal();
    let received = ts("2026-04-02T16:30:00+02:00");
    // Due Thursday 9 April: late from Friday 00:00 local time.
    assert_eq!(
        c.format_moment(Term::WorkingDays(3).deadline_after(&c, received).unwrap()),
        "2026-04-10T00:00:00+02:00"
    );
    assert_eq!(Term::WorkingDays(3).due_date(&c, received).unwrap(), date(2026, 4, 9));
    assert_eq!(c.format_moment(Term::Weeks(6).deadline_after(&c, received).unwrap()), "2026-05-16T00:00:00+02:00");
    assert_eq!(Term::Weeks(6).due_date(&c, received).unwrap(), date(2026, 5, 15));
    assert_eq!(
        c.format_moment(Term::BusinessHours(4).deadline_after(&c, received).unwrap()),
        "2026-04-07T11:30:00+02:00"
    );
    assert_eq!(
        c.format_moment(Term::ClockHours(24).deadline_after(&c, received).unwrap()),
        "2026-04-03T16:30:00+02:00"
    );
    assert_eq!(Term::CalendarDays(0).due_date(&c, received).unwrap(), date(2026, 4, 2));
    // The day of receipt counts in the calendar's zone: 23:30 UTC is already the next day.
    let late_evening = ts("2026-04-01T23:30:00Z");
    assert_eq!(Term::WorkingDays(0).due_date(&c, late_evening).unwrap(), date(2026, 4, 2));
}

#[test]
fn dates_outside_the_supported_years_are_refused() {
    let e = cal().add_working_days(date(1500, 1, 1), 1).unwrap_err();
    assert!(matches!(e, CalendarError::OutOfRange { .. }), "{e}");
    assert!(cal().add_working_days(date(9999, 12, 30), 5).is_err());
    // The first supported day works as a start (Saturday 1 January 1583 → Monday 3 January).
    assert_eq!(cal().working_day_on_or_after(date(1583, 1, 1)).unwrap(), date(1583, 1, 3));
}

#[test]
fn unknown_built_in_calendars_are_named() {
    let e = Calendar::builtin("feestdagen").unwrap_err();
    assert!(e.to_string().contains("unknown calendar `feestdagen`"), "{e}");
    assert_eq!(Calendar::builtin("termijnenwet").unwrap().name(), "termijnenwet");
}
