//! The built-in holidays checked against a table derived independently: Easter Sundays
//! 2024–2035 hard-coded from published tables, everything else derived with plain date
//! arithmetic (no computus, no calendar code).

use gastvrij_domain::calendar::{Calendar, TERMIJNENWET_HOLIDAYS, easter_sunday, termijnenwet_holidays};
use jiff::ToSpan;
use jiff::civil::{Date, Weekday, date};

/// Easter Sunday (Gregorian), from published tables.
const EASTER: [(i16, i8, i8); 12] = [
    (2024, 3, 31),
    (2025, 4, 20),
    (2026, 4, 5),
    (2027, 3, 28),
    (2028, 4, 16),
    (2029, 4, 1),
    (2030, 4, 21),
    (2031, 4, 13),
    (2032, 3, 28),
    (2033, 4, 17),
    (2034, 4, 9),
    (2035, 3, 25),
];

/// Years in which 27 April is a Sunday, so Koningsdag is on Saturday 26 April.
const KONINGSDAG_ON_26_APRIL: [i16; 3] = [2025, 2031, 2036];

fn expected(year: i16, easter: Date) -> Vec<(Date, &'static str)> {
    let plus = |days: i64| easter.checked_add(days.days()).expect("date in range");
    let koningsdag = if KONINGSDAG_ON_26_APRIL.contains(&year) { date(year, 4, 26) } else { date(year, 4, 27) };
    let mut days = vec![
        (date(year, 1, 1), "Nieuwjaarsdag"),
        (plus(-2), "Goede Vrijdag"),
        (plus(1), "Tweede Paasdag"),
        (koningsdag, "Koningsdag"),
        (date(year, 5, 5), "Bevrijdingsdag"),
        (plus(39), "Hemelvaartsdag"),
        (plus(50), "Tweede Pinksterdag"),
        (date(year, 12, 25), "Eerste Kerstdag"),
        (date(year, 12, 26), "Tweede Kerstdag"),
    ];
    days.sort_by_key(|(d, _)| *d);
    days
}

#[test]
fn easter_sundays_2024_to_2035_match_published_tables() {
    for (y, m, d) in EASTER {
        assert_eq!(easter_sunday(y).unwrap(), date(y, m, d), "Easter {y}");
    }
}

#[test]
fn holidays_2024_to_2035_match_an_independent_table() {
    for (y, m, d) in EASTER {
        let want = expected(y, date(y, m, d));
        assert_eq!(termijnenwet_holidays(y).unwrap(), want, "holidays of {y}");
        let listed: Vec<(Date, String)> =
            Calendar::termijnenwet().holidays(y).unwrap().into_iter().map(|h| (h.date, h.name)).collect();
        let want: Vec<(Date, String)> = want.into_iter().map(|(d, n)| (d, n.to_string())).collect();
        assert_eq!(listed, want, "Calendar::holidays({y})");
    }
}

#[test]
fn koningsdag_moves_to_26_april_when_27_april_is_a_sunday() {
    for year in KONINGSDAG_ON_26_APRIL {
        assert_eq!(date(year, 4, 27).weekday(), Weekday::Sunday);
        let koningsdag = termijnenwet_holidays(year).unwrap().into_iter().find(|(_, n)| *n == "Koningsdag").unwrap();
        assert_eq!(koningsdag.0, date(year, 4, 26), "Koningsdag {year}");
    }
    let k2026 = termijnenwet_holidays(2026).unwrap().into_iter().find(|(_, n)| *n == "Koningsdag").unwrap();
    assert_eq!(k2026.0, date(2026, 4, 27));
}

#[test]
fn holidays_on_a_weekend_are_listed_by_name() {
    // 26 December 2026 is a Saturday; 1 January 2028 is a Saturday.
    let cal = Calendar::termijnenwet();
    let h2026 = cal.holidays(2026).unwrap();
    assert!(h2026.iter().any(|h| h.date == date(2026, 12, 26) && h.name == "Tweede Kerstdag" && h.closes_office));
    assert!(cal.holidays(2028).unwrap().iter().any(|h| h.date == date(2028, 1, 1) && h.name == "Nieuwjaarsdag"));
}

#[test]
fn holidays_that_coincide_are_both_listed() {
    // Easter 2016 was on 27 March, so Hemelvaartsdag fell on 5 May.
    let names: Vec<&str> =
        termijnenwet_holidays(2016).unwrap().iter().filter(|(d, _)| *d == date(2016, 5, 5)).map(|(_, n)| *n).collect();
    assert_eq!(names, ["Bevrijdingsdag", "Hemelvaartsdag"]);
}

#[test]
fn every_year_has_the_nine_recognised_holidays() {
    for year in [1583, 1900, 2000, 2100, 9999] {
        let names: Vec<&str> = termijnenwet_holidays(year).unwrap().iter().map(|(_, n)| *n).collect();
        let mut sorted = names.clone();
        sorted.sort_unstable();
        let mut all = TERMIJNENWET_HOLIDAYS.to_vec();
        all.sort_unstable();
        assert_eq!(sorted, all, "{year}");
    }
    assert!(termijnenwet_holidays(1582).is_err());
}

#[test]
fn days_equated_by_royal_decree_are_not_built_in() {
    let cal = Calendar::termijnenwet();
    for d in [date(2026, 1, 2), date(2026, 5, 15), date(2027, 5, 7), date(2028, 4, 28), date(2028, 5, 26)] {
        assert!(cal.is_working_day(d).unwrap(), "{d}");
        assert!(cal.is_term_day(d).unwrap(), "{d}");
    }
}
