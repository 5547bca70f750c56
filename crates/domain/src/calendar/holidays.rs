//! The recognised holidays of the Algemene termijnenwet, art. 3 lid 1 and 2.

use jiff::civil::{Date, Weekday};

use super::CalendarError;
use super::civil::{MAX_YEAR, MIN_YEAR, date_from_day_number, day_number};

/// The names of the recognised holidays, in the order of the year.
pub const TERMIJNENWET_HOLIDAYS: [&str; 9] = [
    "Nieuwjaarsdag",
    "Goede Vrijdag",
    "Tweede Paasdag",
    "Koningsdag",
    "Bevrijdingsdag",
    "Hemelvaartsdag",
    "Tweede Pinksterdag",
    "Eerste Kerstdag",
    "Tweede Kerstdag",
];

/// Easter Sunday in the Gregorian calendar (years 1583–9999).
pub fn easter_sunday(year: i16) -> Result<Date, CalendarError> {
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(CalendarError::out_of_range(format!("the year {year}")));
    }
    let e =
        computus::gregorian(i32::from(year)).map_err(|_| CalendarError::out_of_range(format!("the year {year}")))?;
    Date::new(year, e.month as i8, e.day as i8).map_err(|_| CalendarError::out_of_range(format!("the year {year}")))
}

/// The recognised holidays of `year` under the Algemene termijnenwet (art. 3 lid 1 and 2),
/// sorted by date: Nieuwjaarsdag, Goede Vrijdag, Tweede Paasdag, Koningsdag (27 April, or
/// 26 April when the 27th is a Sunday), Bevrijdingsdag (5 May, every year), Hemelvaartsdag,
/// Tweede Pinksterdag, Eerste and Tweede Kerstdag. Holidays on a Saturday or Sunday are listed
/// too. Days equated by royal decree (art. 3 lid 3) are not built in.
///
/// The current law is applied to every year: before 2014 the royal birthday was Koninginnedag
/// (30 April), which this function does not model.
pub fn termijnenwet_holidays(year: i16) -> Result<Vec<(Date, &'static str)>, CalendarError> {
    let easter = day_number(easter_sunday(year)?);
    let fixed = |month: i8, day: i8| Date::new(year, month, day).expect("fixed holidays exist every year");
    let koningsdag = {
        let d = fixed(4, 27);
        if d.weekday() == Weekday::Sunday { fixed(4, 26) } else { d }
    };
    let mut days = vec![
        (fixed(1, 1), TERMIJNENWET_HOLIDAYS[0]),
        (date_from_day_number(easter - 2)?, TERMIJNENWET_HOLIDAYS[1]),
        (date_from_day_number(easter + 1)?, TERMIJNENWET_HOLIDAYS[2]),
        (koningsdag, TERMIJNENWET_HOLIDAYS[3]),
        (fixed(5, 5), TERMIJNENWET_HOLIDAYS[4]),
        (date_from_day_number(easter + 39)?, TERMIJNENWET_HOLIDAYS[5]),
        (date_from_day_number(easter + 50)?, TERMIJNENWET_HOLIDAYS[6]),
        (fixed(12, 25), TERMIJNENWET_HOLIDAYS[7]),
        (fixed(12, 26), TERMIJNENWET_HOLIDAYS[8]),
    ];
    days.sort_by_key(|(d, _)| *d);
    Ok(days)
}
