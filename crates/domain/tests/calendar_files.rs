//! Calendar files (TOML) and iCalendar imports: the shipped examples, the format's features
//! and its error messages.

use gastvrij_domain::calendar::{Calendar, CalendarError, IcsTime, Term, parse_ics};
use jiff::civil::date;
use jiff::{SignedDuration, Timestamp};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../calendars/");

fn no_files(path: &str) -> Result<String, String> {
    Err(format!("no file {path} in this test"))
}

fn load(text: &str) -> Result<Calendar, CalendarError> {
    Calendar::from_toml(text, "test.toml", &mut no_files)
}

fn example(name: &str) -> Calendar {
    let text = std::fs::read_to_string(format!("{DIR}{name}")).unwrap();
    Calendar::from_toml(&text, name, &mut |p| std::fs::read_to_string(format!("{DIR}{p}")).map_err(|e| e.to_string()))
        .unwrap()
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn names(cal: &Calendar, year: i16) -> Vec<(String, String)> {
    cal.holidays(year).unwrap().into_iter().filter(|h| h.closes_office).map(|h| (h.date.to_string(), h.name)).collect()
}

#[test]
fn equated_days_file_moves_statutory_terms_past_the_friday_after_ascension() {
    let cal = example("termijnenwet-gelijkgestelde-dagen.toml");
    assert_eq!(cal.name(), "termijnenwet-gelijkgestelde-dagen");
    // Thu 14 May 2026 Hemelvaartsdag, Fri 15 May equated, weekend → Mon 18 May.
    assert_eq!(cal.add_weeks(date(2026, 4, 2), 6).unwrap(), date(2026, 5, 18));
    for d in [date(2026, 1, 2), date(2026, 5, 15), date(2027, 5, 7), date(2028, 4, 28), date(2028, 5, 26)] {
        assert!(!cal.is_working_day(d).unwrap(), "{d}");
        assert!(!cal.is_term_day(d).unwrap(), "{d}");
    }
    assert!(names(&cal, 2028).contains(&("2028-04-28".into(), "Vrijdag na Koningsdag".into())));
}

#[test]
fn water_board_office_works_on_5_may_except_in_lustrum_years() {
    let cal = example("waterschap-kantoor.toml");
    assert!(cal.is_working_day(date(2026, 5, 5)).unwrap());
    assert!(!cal.is_working_day(date(2025, 5, 5)).unwrap());
    assert!(!cal.is_working_day(date(2030, 5, 5)).unwrap());
    // For statutory terms 5 May stays a recognised holiday: Tue 24 Mar + 6 weeks = Tue 5 May → Wed 6 May.
    assert_eq!(cal.add_weeks(date(2026, 3, 24), 6).unwrap(), date(2026, 5, 6));
    let h = cal.holidays(2026).unwrap();
    let bevrijdingsdag = h.iter().find(|h| h.name == "Bevrijdingsdag").unwrap();
    assert!(!bevrijdingsdag.closes_office && bevrijdingsdag.extends_terms);
    assert!(!names(&cal, 2026).iter().any(|(_, n)| n == "Bevrijdingsdag"));
    assert!(names(&cal, 2030).contains(&("2030-05-05".into(), "Bevrijdingsdag".into())));
}

#[test]
fn water_board_office_has_christmas_hours_friday_hours_and_imported_closures() {
    let cal = example("waterschap-kantoor.toml");
    // Kerstavond (Thu 24 Dec 2026) 08:00-12:00: 3 hours from 10:00 end on Monday 28... which is
    // the Kerstsluiting (28-30 Dec, yearly, from the .ics file), so Thursday 31 Dec (08:00-12:00).
    let end = cal.add_business_hours(ts("2026-12-24T10:00:00+01:00"), 3).unwrap();
    assert_eq!(cal.format_moment(end), "2026-12-31T09:00:00+01:00");
    // Fridays: 08:00-12:00 and 13:00-16:00.
    let end = cal.add_business_hours(ts("2026-03-13T11:00:00+01:00"), 2).unwrap();
    assert_eq!(cal.format_moment(end), "2026-03-13T14:00:00+01:00");
    // Personeelsdag (all-day event) and the afternoon closure (timed event) of the .ics file.
    assert!(!cal.is_working_day(date(2026, 9, 18)).unwrap());
    let afternoon = cal.working_time_between(ts("2026-11-12T00:00:00+01:00"), ts("2026-11-13T00:00:00+01:00")).unwrap();
    assert_eq!(afternoon, SignedDuration::from_hours(4));
    assert!(names(&cal, 2027).contains(&("2027-12-29".into(), "Kerstsluiting".into())));
}

#[test]
fn a_file_without_base_needs_office_hours_and_has_no_holidays() {
    let e = load("time_zone = \"Europe/Amsterdam\"\n").unwrap_err().to_string();
    assert!(e.contains("office_hours: no weekday has office hours"), "{e}");
    let cal = load("[office_hours]\nmonday = [\"09:00-17:00\"]\n").unwrap();
    assert!(cal.is_working_day(date(2026, 4, 6)).unwrap(), "Tweede Paasdag is not a holiday without base");
    assert!(!cal.is_working_day(date(2026, 4, 7)).unwrap());
    assert_eq!(cal.name(), "test");
}

#[test]
fn time_zone_changes_the_local_day() {
    let cal = load("base = \"termijnenwet\"\ntime_zone = \"America/Curacao\"\n").unwrap();
    let end = cal.add_business_hours(ts("2026-03-10T12:00:00Z"), 1).unwrap();
    assert_eq!(cal.format_moment(end), "2026-03-10T09:00:00-04:00");
}

#[test]
fn native_toml_dates_are_accepted_too() {
    let cal = load("base = \"termijnenwet\"\n[[closed]]\nname = \"Heidag\"\ndate = 2026-06-12\n").unwrap();
    assert!(!cal.is_working_day(date(2026, 6, 12)).unwrap());
    assert!(cal.is_term_day(date(2026, 6, 12)).unwrap(), "a plain closed day does not extend terms");
}

#[test]
fn file_errors_name_the_line_the_field_and_the_fix() {
    let cases = [
        (
            "base = \"termijnenwet\"\n\n[[closed]]\nname = \"X\"\ndate = \"2026-02-30\"\n",
            "test.toml line 5: closed.date: `2026-02-30` is not an existing date (February 2026 has 28 days); write it as YYYY-MM-DD",
        ),
        ("base = \"feestdagen\"\n", "test.toml line 1: base: unknown calendar `feestdagen`"),
        (
            "base = \"termijnenwet\"\ntime_zone = \"Europe/Amsterdm\"\n",
            "test.toml line 2: time_zone: unknown time zone",
        ),
        ("base = \"termijnenwet\"\nclosd = []\n", "test.toml line 2: unknown field `closd`"),
        (
            "base = \"termijnenwet\"\n[office_hours]\nmonday = [\"08:00-12:00\", \"11:00-17:00\"]\n",
            "test.toml line 3: office_hours.monday: windows 08:00-12:00 and 11:00-17:00 overlap",
        ),
        (
            "base = \"termijnenwet\"\n[office_hours]\nfriday = [\"8-17\"]\n",
            "test.toml line 3: office_hours.friday: `8-17` is not a time window; write a window as HH:MM-HH:MM",
        ),
        (
            "base = \"termijnenwet\"\ndrop_holidays = [\"Bevrijding\"]\n",
            "test.toml line 2: drop_holidays: `Bevrijding` is not a built-in holiday",
        ),
        (
            "base = \"termijnenwet\"\n[[closed]]\nname = \"X\"\nyearly = \"02-30\"\n",
            "test.toml line 4: closed.yearly: `02-30` is not an existing date (February has 29 days); write it as MM-DD",
        ),
        (
            "base = \"termijnenwet\"\n[[closed]]\nname = \"X\"\n",
            "test.toml line 2: closed \"X\": give either date = \"2026-12-24\" (one day) or yearly = \"12-24\"",
        ),
        (
            "base = \"termijnenwet\"\n[[closed]]\nname = \"X\"\nyearly = \"05-05\"\nonly_years_divisible_by = 0\n",
            "test.toml line 5: closed.only_years_divisible_by is 0; use a whole number of 1 or more",
        ),
        (
            "base = \"termijnenwet\"\nics = [\"sluitingen.ics\"]\n",
            "test.toml line 2: ics: cannot read `sluitingen.ics`: no file sluitingen.ics in this test",
        ),
        ("base = \"termijnenwet\"\nname = \n", "test.toml line 2:"),
    ];
    for (text, want) in cases {
        let e = load(text).unwrap_err().to_string();
        assert!(e.starts_with(want), "\n got: {e}\nwant: {want}…");
        assert!(!e.contains('\n'), "one line: {e}");
    }
}

const ICS: &str = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n\
BEGIN:VTIMEZONE\r\nTZID:W. Europe Standard Time\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nEND:STANDARD\r\nEND:VTIMEZONE\r\n\
BEGIN:VEVENT\r\nSUMMARY:Kerst\\, Oud en Nieuw\r\nDTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261227\r\n\
BEGIN:VALARM\r\nTRIGGER:-PT15M\r\nEND:VALARM\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nSUMMARY:Heidag\r\nDTSTART;VALUE=DATE:20260301\r\nRRULE:FREQ=YEARLY;INTERVAL=2;COUNT=3\r\nEXDATE;VALUE=DATE:20280301\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nSUMMARY:Middag dicht\r\nDTSTART;TZID=W. Europe Standard Time:20260612T130000\r\nDURATION:PT4H\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nSUMMARY:Storing (UTC)\r\nDTSTART:20260615T060000Z\r\nDTEND:20260615T090000Z\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nSUMMARY:Afgelast\r\nSTATUS:CANCELLED\r\nDTSTART;VALUE=DATE:20260616\r\nEND:VEVENT\r\n\
BEGIN:VEVENT\r\nSUMMARY:Schrikkeldag\r\nDTSTART;VALUE=DATE:20240229\r\nRRULE:FREQ=YEARLY;UNTIL=20290101\r\nEND:VEVENT\r\n\
END:VCALENDAR\r\n";

#[test]
fn ics_events_are_read_with_escapes_components_and_recurrence() {
    let events = parse_ics(ICS, "x.ics").unwrap();
    assert_eq!(events.len(), 5, "the cancelled event is skipped");
    assert_eq!(events[0].summary, "Kerst, Oud en Nieuw");
    assert_eq!(events[0].end, IcsTime::Date(date(2026, 12, 27)));
    assert_eq!(events[1].yearly.unwrap().interval, 2);
    assert!(matches!(events[2].start, IcsTime::Floating(_)), "unknown TZID: the calendar's zone");
    assert!(matches!(events[3].start, IcsTime::Instant(_)));
}

#[test]
fn ics_closures_close_whole_days_and_parts_of_days() {
    let cal =
        Calendar::from_toml("base = \"termijnenwet\"\nics = [\"x.ics\"]\n", "test.toml", &mut |_| Ok(ICS.to_string()))
            .unwrap();
    // All-day event: 24, 25, 26 December closed; DTEND excluded.
    assert!(!cal.is_working_day(date(2026, 12, 24)).unwrap());
    assert!(cal.is_working_day(date(2026, 12, 28)).unwrap());
    // Every 2 years, 3 times, one skipped: 2026-03-02 (Mon of 1 Mar 2026? 1 Mar is a Sunday).
    let heidag: Vec<String> = (2026..=2032)
        .flat_map(|y| cal.holidays(y).unwrap())
        .filter(|h| h.name == "Heidag")
        .map(|h| h.date.to_string())
        .collect();
    assert_eq!(heidag, ["2026-03-01", "2030-03-01"]);
    // 29 February recurs only in leap years, until 2029.
    let leap: Vec<String> = (2024..=2033)
        .flat_map(|y| cal.holidays(y).unwrap())
        .filter(|h| h.name == "Schrikkeldag")
        .map(|h| h.date.to_string())
        .collect();
    assert_eq!(leap, ["2024-02-29", "2028-02-29"]);
    // Fri 12 June 13:00-17:00 closed: 5 office hours left.
    let friday = cal.working_time_between(ts("2026-06-12T00:00:00+02:00"), ts("2026-06-13T00:00:00+02:00")).unwrap();
    assert_eq!(friday, SignedDuration::from_hours(5));
    // Mon 15 June 06:00-09:00 UTC = 08:00-11:00 local closed: opens at 11:00.
    let opening = cal.next_opening(ts("2026-06-15T07:00:00+02:00")).unwrap();
    assert_eq!(cal.format_moment(opening), "2026-06-15T11:00:00+02:00");
    assert!(cal.is_working_day(date(2026, 6, 16)).unwrap(), "cancelled");
    assert_eq!(Term::WorkingDays(1).due_date(&cal, ts("2026-12-23T12:00:00+01:00")).unwrap(), date(2026, 12, 28));
}

#[test]
fn ics_errors_name_the_line_and_the_fix() {
    let cases = [
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:2026-12-24\nEND:VEVENT\nEND:VCALENDAR\n",
            "x.ics line 3: DTSTART: `2026-12-24` is not a date; write it as YYYYMMDD",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:X\nEND:VEVENT\nEND:VCALENDAR\n",
            "x.ics line 2: this VEVENT has no DTSTART",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261224\nRRULE:FREQ=WEEKLY\nEND:VEVENT\nEND:VCALENDAR\n",
            "x.ics line 4: RRULE FREQ=WEEKLY is not supported",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261224\nRRULE:FREQ=YEARLY;BYDAY=MO\nEND:VEVENT\nEND:VCALENDAR\n",
            "x.ics line 4: RRULE part BYDAY is not supported",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART:20261224T100000\nEND:VEVENT\nEND:VCALENDAR\n",
            "x.ics line 3: DTSTART has a time but the event has no DTEND",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nthis is not a property\nEND:VEVENT\nEND:VCALENDAR\n",
            "x.ics line 3: expected NAME:VALUE",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261224\nEND:VCALENDAR\n",
            "x.ics line 4: END:VCALENDAR closes BEGIN:VEVENT",
        ),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261224\nEND:VEVENT\n",
            "x.ics line 4: BEGIN:VCALENDAR is not closed",
        ),
        ("SUMMARY:loose\n", "x.ics line 1: SUMMARY outside BEGIN:VCALENDAR"),
        (
            "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20261224\nDTEND;VALUE=DATE:20261220\nEND:VEVENT\nEND:VCALENDAR\n",
            "x.ics line 4: DTEND is before DTSTART",
        ),
    ];
    for (text, want) in cases {
        let e = parse_ics(text, "x.ics").unwrap_err().to_string();
        assert!(e.starts_with(want), "\n got: {e}\nwant: {want}…");
    }
    // Folded lines report the line where the property starts.
    let folded =
        "BEGIN:VCALENDAR\nBEGIN:VEVENT\nSUMMARY:a\n b\nDTSTART;VALUE=DATE:2026\n 1301\nEND:VEVENT\nEND:VCALENDAR\n";
    let e = parse_ics(folded, "x.ics").unwrap_err().to_string();
    assert!(e.starts_with("x.ics line 5: DTSTART: `20261301` is not an existing date (there is no month 13)"), "{e}");
    // An ics error inside a calendar file keeps the .ics file and line.
    let e =
        Calendar::from_toml("base = \"termijnenwet\"\nics = [\"y.ics\"]\n", "t.toml", &mut |_| Ok(folded.to_string()))
            .unwrap_err()
            .to_string();
    assert!(e.starts_with("y.ics line 5:"), "{e}");
}
