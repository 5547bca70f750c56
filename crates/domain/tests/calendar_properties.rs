//! Laws of the calendar arithmetic, checked with proptest on the built-in calendar, an office
//! calendar from a file (lunch breaks, special hours, closures) and a calendar whose windows
//! cross the daylight-saving changes.
//!
//! The composition law, stated exactly: for every date `d` (working day or not) and all
//! `a, b ≥ 0`, `add_working_days(add_working_days(d, a), b) == add_working_days(d, a + b)`.
//! It holds for `a = 0` because `add_working_days(d, 0) == d`; for `a ≥ 1` because the result
//! is the `a`-th working day after `d`, and counting `b` more working days after it reaches the
//! `(a + b)`-th. (What does not hold: starting from the next working day instead of `d` — on a
//! Saturday, 1 working day is Monday, not Tuesday.)

use std::sync::OnceLock;

use gastvrij_domain::calendar::{Calendar, TimeWindow};
use jiff::civil::{Date, Weekday};
use jiff::{SignedDuration, Timestamp, ToSpan};
use proptest::prelude::*;

fn office() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../calendars/");
        let text = std::fs::read_to_string(format!("{dir}waterschap-kantoor.toml")).unwrap();
        Calendar::from_toml(&text, "waterschap-kantoor.toml", &mut |p| {
            std::fs::read_to_string(format!("{dir}{p}")).map_err(|e| e.to_string())
        })
        .unwrap()
    })
}

fn night_owl() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(|| {
        let w = |s: &str| TimeWindow::parse(s).unwrap();
        Calendar::builder()
            .name("night-owl")
            .termijnenwet_holidays(true)
            .office_hours(Weekday::Saturday, vec![w("01:00-04:00"), w("22:00-24:00")])
            .office_hours(Weekday::Sunday, vec![w("00:00-03:30")])
            .office_hours(Weekday::Monday, vec![w("02:00-02:45"), w("09:00-17:00")])
            .build()
            .unwrap()
    })
}

fn calendars() -> impl Strategy<Value = &'static Calendar> {
    prop_oneof![Just(termijnenwet()), Just(office()), Just(night_owl())]
}

fn termijnenwet() -> &'static Calendar {
    static CAL: OnceLock<Calendar> = OnceLock::new();
    CAL.get_or_init(Calendar::termijnenwet)
}

fn dates() -> impl Strategy<Value = Date> {
    // 2020-01-01 .. about 2040, including both DST weekends of every year.
    (0i64..7300).prop_map(|d| jiff::civil::date(2020, 1, 1).checked_add(d.days()).unwrap())
}

fn moments() -> impl Strategy<Value = Timestamp> {
    // Whole minutes mostly, some odd seconds, 2020..2040.
    (0i64..(20 * 365 * 24 * 60), 0i64..60, any::<bool>())
        .prop_map(|(m, s, odd)| Timestamp::from_second(1_577_836_800 + m * 60 + if odd { s } else { 0 }).unwrap())
}

/// Inside office hours, or exactly at a closing time.
fn open_or_closing(cal: &Calendar, t: Timestamp) -> bool {
    cal.is_open(t).unwrap() || cal.is_open(t - SignedDuration::from_nanos(1)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn adding_working_days_is_monotone(cal in calendars(), d in dates(), e in dates(), n in 0u32..40, m in 0u32..40) {
        let (lo, hi) = if d <= e { (d, e) } else { (e, d) };
        prop_assert!(cal.add_working_days(lo, n).unwrap() <= cal.add_working_days(hi, n).unwrap());
        let (small, big) = (n.min(m), n.max(m));
        prop_assert!(cal.add_working_days(d, small).unwrap() <= cal.add_working_days(d, big).unwrap());
        if small >= 1 && small < big {
            prop_assert!(cal.add_working_days(d, small).unwrap() < cal.add_working_days(d, big).unwrap());
        }
    }

    #[test]
    fn adding_a_then_b_working_days_equals_adding_a_plus_b(cal in calendars(), d in dates(), a in 0u32..60, b in 0u32..60) {
        let stepwise = cal.add_working_days(cal.add_working_days(d, a).unwrap(), b).unwrap();
        prop_assert_eq!(stepwise, cal.add_working_days(d, a + b).unwrap());
    }

    #[test]
    fn n_working_days_land_on_the_nth_working_day(cal in calendars(), d in dates(), n in 1u32..300) {
        let r = cal.add_working_days(d, n).unwrap();
        prop_assert!(r > d);
        prop_assert!(cal.is_working_day(r).unwrap());
        prop_assert_eq!(cal.working_days_between(d, r).unwrap(), i64::from(n));
        // Stepping one day at a time agrees.
        let mut day = d;
        let mut left = n;
        while left > 0 {
            day = day.tomorrow().unwrap();
            if cal.is_working_day(day).unwrap() {
                left -= 1;
            }
        }
        prop_assert_eq!(day, r);
    }

    #[test]
    fn working_days_between_working_days_is_antisymmetric(cal in calendars(), d in dates(), e in dates()) {
        let (a, b) = (cal.working_day_on_or_after(d).unwrap(), cal.working_day_on_or_after(e).unwrap());
        prop_assert_eq!(cal.working_days_between(a, b).unwrap(), -cal.working_days_between(b, a).unwrap());
        // A due date in the past always reads as late, also on a non-working today.
        if e > a {
            prop_assert!(cal.working_days_between(e, a).unwrap() < 0);
        }
    }

    #[test]
    fn weeks_end_on_the_first_term_day_on_or_after_the_plain_date(cal in calendars(), d in dates(), n in 0u32..60) {
        let plain = d.checked_add((i64::from(n) * 7).days()).unwrap();
        let r = cal.add_weeks(d, n).unwrap();
        prop_assert!(r >= plain);
        prop_assert!(cal.is_term_day(r).unwrap());
        prop_assert!(!matches!(r.weekday(), Weekday::Saturday | Weekday::Sunday));
        let mut day = plain;
        while day < r {
            prop_assert!(!cal.is_term_day(day).unwrap());
            day = day.tomorrow().unwrap();
        }
        prop_assert_eq!(cal.add_calendar_days(d, n * 7).unwrap(), r);
    }

    #[test]
    fn business_time_lands_in_office_hours_or_exactly_at_closing(cal in calendars(), t in moments(), minutes in 0u32..(60 * 40)) {
        let r = cal.add_business_minutes(t, minutes).unwrap();
        prop_assert!(r >= t);
        prop_assert!(open_or_closing(cal, r), "{} + {} min = {}", t, minutes, cal.format_moment(r));
        prop_assert_eq!(cal.working_time_between(t, r).unwrap(), SignedDuration::from_mins(i64::from(minutes)));
    }

    #[test]
    fn business_time_composes_for_positive_second_steps(cal in calendars(), t in moments(), a in 0u32..1200, b in 1u32..1200) {
        let stepwise = cal.add_business_minutes(cal.add_business_minutes(t, a).unwrap(), b).unwrap();
        prop_assert_eq!(stepwise, cal.add_business_minutes(t, a + b).unwrap());
    }

    #[test]
    fn business_time_is_monotone(cal in calendars(), t in moments(), a in 0u32..3000, b in 0u32..3000) {
        let (small, big) = (a.min(b), a.max(b));
        prop_assert!(cal.add_business_minutes(t, small).unwrap() <= cal.add_business_minutes(t, big).unwrap());
    }

    #[test]
    fn working_time_between_is_additive(cal in calendars(), a in moments(), db in -90i64..90, dc in -90i64..90, s in 0i64..86_400) {
        let b = a + SignedDuration::from_hours(db * 24) + SignedDuration::from_secs(s);
        let c = a + SignedDuration::from_hours(dc * 24);
        let ab = cal.working_time_between(a, b).unwrap();
        let bc = cal.working_time_between(b, c).unwrap();
        prop_assert_eq!(ab + bc, cal.working_time_between(a, c).unwrap());
    }
}
