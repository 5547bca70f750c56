//! Daylight-saving weekends in Europe/Amsterdam: clocks go forward on Sunday 29 March 2026
//! (02:00 → 03:00) and back on Sunday 25 October 2026 (03:00 → 02:00).

use gastvrij_domain::calendar::{Calendar, Term, TimeWindow};
use jiff::civil::Weekday;
use jiff::{SignedDuration, Timestamp};

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn every_day(windows: &[&str]) -> Calendar {
    let ws: Vec<TimeWindow> = windows.iter().map(|w| TimeWindow::parse(w).unwrap()).collect();
    let mut b = Calendar::builder().name("test");
    for day in [
        Weekday::Monday,
        Weekday::Tuesday,
        Weekday::Wednesday,
        Weekday::Thursday,
        Weekday::Friday,
        Weekday::Saturday,
        Weekday::Sunday,
    ] {
        b = b.office_hours(day, ws.clone());
    }
    b.build().unwrap()
}

#[test]
fn clock_hours_across_the_spring_change_are_real_hours() {
    let cal = Calendar::termijnenwet();
    let start = ts("2026-03-28T12:00:00+01:00");
    let end = Term::ClockHours(24).deadline_after(&cal, start).unwrap();
    assert_eq!(start.duration_until(end), SignedDuration::from_hours(24));
    assert_eq!(cal.format_moment(end), "2026-03-29T13:00:00+02:00");
}

#[test]
fn clock_hours_across_the_autumn_change_are_real_hours() {
    let cal = Calendar::termijnenwet();
    let start = ts("2026-10-24T12:00:00+02:00");
    let end = Term::ClockHours(24).deadline_after(&cal, start).unwrap();
    assert_eq!(start.duration_until(end), SignedDuration::from_hours(24));
    assert_eq!(cal.format_moment(end), "2026-10-25T11:00:00+01:00");
}

#[test]
fn an_office_open_day_and_night_counts_23_and_25_hour_days() {
    let cal = every_day(&["00:00-24:00"]);
    let spring = cal.working_time_between(ts("2026-03-29T00:00:00+01:00"), ts("2026-03-30T00:00:00+02:00")).unwrap();
    assert_eq!(spring, SignedDuration::from_hours(23));
    let autumn = cal.working_time_between(ts("2026-10-25T00:00:00+02:00"), ts("2026-10-26T00:00:00+01:00")).unwrap();
    assert_eq!(autumn, SignedDuration::from_hours(25));
    // 24 business hours from Saturday noon are 24 real hours.
    let end = cal.add_business_hours(ts("2026-03-28T12:00:00+01:00"), 24).unwrap();
    assert_eq!(cal.format_moment(end), "2026-03-29T13:00:00+02:00");
}

#[test]
fn a_window_spanning_the_spring_gap_lasts_two_real_hours() {
    let cal = every_day(&["01:00-04:00"]);
    let start = ts("2026-03-29T00:00:00+01:00");
    // 01:00 CET to 04:00 CEST is 2 real hours: it closes exactly after 2 hours.
    let end = cal.add_business_hours(start, 2).unwrap();
    assert_eq!(cal.format_moment(end), "2026-03-29T04:00:00+02:00");
    let end = cal.add_business_hours(start, 3).unwrap();
    assert_eq!(cal.format_moment(end), "2026-03-30T02:00:00+02:00");
}

#[test]
fn a_window_spanning_the_autumn_fold_lasts_four_real_hours() {
    let cal = every_day(&["01:00-04:00"]);
    let start = ts("2026-10-25T00:00:00+02:00");
    let end = cal.add_business_hours(start, 4).unwrap();
    assert_eq!(cal.format_moment(end), "2026-10-25T04:00:00+01:00");
    assert_eq!(start.duration_until(end), SignedDuration::from_hours(5));
    let end = cal.add_business_hours(start, 5).unwrap();
    assert_eq!(cal.format_moment(end), "2026-10-26T02:00:00+01:00");
}

#[test]
fn a_window_starting_inside_the_gap_starts_when_the_clock_shows_it_after_the_jump() {
    // 02:30 does not exist on 29 March: the window starts at 03:30 CEST, one hour later.
    let cal = every_day(&["02:30-04:00"]);
    let worked = cal.working_time_between(ts("2026-03-29T00:00:00+01:00"), ts("2026-03-29T12:00:00+02:00")).unwrap();
    assert_eq!(worked, SignedDuration::from_mins(30));
}

#[test]
fn office_hours_on_the_weekdays_around_a_change_are_unaffected() {
    let cal = Calendar::termijnenwet();
    let end = cal.add_business_hours(ts("2026-03-27T16:00:00+01:00"), 2).unwrap();
    assert_eq!(cal.format_moment(end), "2026-03-30T09:00:00+02:00");
    let end = cal.add_business_hours(ts("2026-10-23T16:00:00+02:00"), 2).unwrap();
    assert_eq!(cal.format_moment(end), "2026-10-26T09:00:00+01:00");
    let worked = cal.working_time_between(ts("2026-03-27T00:00:00+01:00"), ts("2026-03-31T00:00:00+02:00")).unwrap();
    assert_eq!(worked, SignedDuration::from_hours(18));
}

#[test]
fn day_terms_end_at_local_midnight_after_a_change() {
    let cal = Calendar::termijnenwet();
    // Received Friday 27 March, 1 working day: due Monday 30 March, late from Tuesday 00:00 CEST.
    let deadline = Term::WorkingDays(1).deadline_after(&cal, ts("2026-03-27T10:00:00+01:00")).unwrap();
    assert_eq!(cal.format_moment(deadline), "2026-03-31T00:00:00+02:00");
    let deadline = Term::CalendarDays(2).deadline_after(&cal, ts("2026-10-23T10:00:00+02:00")).unwrap();
    assert_eq!(cal.format_moment(deadline), "2026-10-27T00:00:00+01:00");
}
