//! Civil-date helpers: day numbers, strict date notation and office-hour windows.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, Weekday};

use super::CalendarError;

/// First year the calendar computes (the first full year of the Gregorian calendar that the
/// `computus` crate supports).
pub const MIN_YEAR: i16 = 1583;
/// Last year the calendar computes (the last year `jiff` can represent).
pub const MAX_YEAR: i16 = 9999;

pub(crate) const SECONDS_PER_DAY: u32 = 86_400;

/// Days since 1970-01-01 in the proleptic Gregorian calendar.
pub(crate) fn day_number(date: Date) -> i32 {
    days_from_civil(i32::from(date.year()), date.month() as u32, date.day() as u32)
}

/// Howard Hinnant's `days_from_civil`.
pub(crate) fn days_from_civil(year: i32, month: u32, day: u32) -> i32 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400) as u32;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe as i32 - 719_468
}

/// Howard Hinnant's `civil_from_days`: (year, month, day).
pub(crate) fn civil_from_days(days: i32) -> (i32, i8, i8) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097) as u32;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as i8;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as i8;
    let year = yoe as i32 + era * 400 + i32::from(month <= 2);
    (year, month, day)
}

/// The date of a day number, if it lies within the supported years.
pub(crate) fn date_from_day_number(days: i32) -> Result<Date, CalendarError> {
    let (year, month, day) = civil_from_days(days);
    match i16::try_from(year) {
        Ok(y) if (MIN_YEAR..=MAX_YEAR).contains(&y) => {
            Ok(Date::new(y, month, day).expect("civil_from_days yields an existing date"))
        }
        _ => Err(CalendarError::out_of_range(format!("the day {year:04}-{month:02}-{day:02}"))),
    }
}

/// Weekday of a day number, Monday = 0.
pub(crate) fn weekday_index(days: i32) -> usize {
    (days + 3).rem_euclid(7) as usize
}

/// Monday = 0 … Sunday = 6.
pub(crate) fn weekday_to_index(weekday: Weekday) -> usize {
    weekday.to_monday_zero_offset() as usize
}

pub(crate) const WEEKDAY_FIELDS: [&str; 7] =
    ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: i8) -> i8 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn digits(s: &str, len: usize) -> Option<i32> {
    if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) { s.parse().ok() } else { None }
}

/// Checks year, month and day and explains what is wrong ("February 2026 has 28 days").
pub(crate) fn checked_date(year: i32, month: i32, day: i32) -> Result<Date, String> {
    if !(i32::from(MIN_YEAR)..=i32::from(MAX_YEAR)).contains(&year) {
        return Err(format!("the year must be between {MIN_YEAR} and {MAX_YEAR}"));
    }
    if !(1..=12).contains(&month) {
        return Err(format!("there is no month {month}"));
    }
    let dim = days_in_month(year, month as i8);
    if !(1..=i32::from(dim)).contains(&day) {
        return Err(format!("{} {year} has {dim} days", MONTHS[(month - 1) as usize]));
    }
    Date::new(year as i16, month as i8, day as i8).map_err(|e| e.to_string())
}

/// Parses a strict `YYYY-MM-DD` date; `field` names the field for the error.
pub fn parse_date(field: &str, value: &str) -> Result<Date, CalendarError> {
    let v = value.trim();
    let mut parts = v.split('-');
    let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
        return Err(CalendarError::invalid_date(field, value, "expected YYYY-MM-DD"));
    };
    let (Some(y), Some(m), Some(d)) = (digits(y, 4), digits(m, 2), digits(d, 2)) else {
        return Err(CalendarError::invalid_date(field, value, "expected YYYY-MM-DD"));
    };
    checked_date(y, m, d).map_err(|reason| CalendarError::invalid_date(field, value, reason))
}

/// Parses a yearly month-day `MM-DD` (29 February is allowed: it then applies in leap years).
pub(crate) fn parse_month_day(field: &str, value: &str) -> Result<(i8, i8), CalendarError> {
    let bad = |reason: String| CalendarError::InvalidDate {
        field: field.to_string(),
        value: value.to_string(),
        reason,
        format: "MM-DD",
        example: "12-24",
    };
    let v = value.trim();
    let Some((m, d)) = v.split_once('-') else { return Err(bad("expected MM-DD".into())) };
    let (Some(m), Some(d)) = (digits(m, 2), digits(d, 2)) else { return Err(bad("expected MM-DD".into())) };
    // 2000 is a leap year, so 29 February passes; 30 February does not.
    checked_date(2000, m, d).map_err(|r| bad(r.replace(" 2000", "")))?;
    Ok((m as i8, d as i8))
}

/// One window of office hours on a day, in local civil time: from `start` up to (but not
/// including) `end`. `end` may be 24:00. Written `08:00-12:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TimeWindow {
    start: u16,
    end: u16,
}

impl TimeWindow {
    /// A window from `start` to `end`, in minutes after midnight (`end` at most 1440 = 24:00).
    pub fn from_minutes(start: u16, end: u16) -> Result<Self, CalendarError> {
        if end > 24 * 60 {
            return Err(CalendarError::invalid("office_hours", "a window cannot end after 24:00"));
        }
        if start >= end {
            return Err(CalendarError::invalid(
                "office_hours",
                format!(
                    "window {}-{} ends before it starts; write the earlier time first, e.g. 08:00-17:00",
                    hhmm(start),
                    hhmm(end.min(24 * 60))
                ),
            ));
        }
        Ok(Self { start, end })
    }

    /// Parses `HH:MM-HH:MM`, e.g. `08:00-12:00` (`24:00` is allowed as the end).
    pub fn parse(s: &str) -> Result<Self, CalendarError> {
        Self::parse_field("office_hours", s)
    }

    pub(crate) fn parse_field(field: &str, s: &str) -> Result<Self, CalendarError> {
        let fix = "write a window as HH:MM-HH:MM, e.g. \"08:00-12:00\"";
        let bad = || CalendarError::invalid(field, format!("`{s}` is not a time window; {fix}"));
        let (a, b) = s.trim().split_once('-').ok_or_else(bad)?;
        let (start, end) = (parse_hhmm(a).ok_or_else(bad)?, parse_hhmm(b).ok_or_else(bad)?);
        Self::from_minutes(start, end).map_err(|e| match e {
            CalendarError::Invalid { message, .. } => CalendarError::invalid(field, message),
            other => other,
        })
    }

    /// Start, in minutes after midnight.
    pub fn start_minute(self) -> u16 {
        self.start
    }

    /// End (exclusive), in minutes after midnight; 1440 is 24:00.
    pub fn end_minute(self) -> u16 {
        self.end
    }

    pub(crate) fn start_second(self) -> u32 {
        u32::from(self.start) * 60
    }

    pub(crate) fn end_second(self) -> u32 {
        u32::from(self.end) * 60
    }
}

fn parse_hhmm(s: &str) -> Option<u16> {
    let (h, m) = s.trim().split_once(':')?;
    if h.is_empty() || h.len() > 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) => Some(24 * 60),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

fn hhmm(minutes: u16) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

impl fmt::Display for TimeWindow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}", hhmm(self.start), hhmm(self.end))
    }
}

impl FromStr for TimeWindow {
    type Err = CalendarError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// Sorts windows and rejects overlaps; `field` names the day for the error.
pub(crate) fn normalise_windows(field: &str, mut windows: Vec<TimeWindow>) -> Result<Vec<TimeWindow>, CalendarError> {
    windows.sort();
    for pair in windows.windows(2) {
        if pair[1].start < pair[0].end {
            return Err(CalendarError::invalid(
                field,
                format!(
                    "windows {} and {} overlap; make them follow each other, e.g. 08:00-12:00 and 13:00-17:00",
                    pair[0], pair[1]
                ),
            ));
        }
    }
    Ok(windows)
}

/// Removes the civil interval `[from, to)` (seconds after midnight) from sorted windows.
/// Windows may then be cut at second precision, so this works in seconds.
pub(crate) fn subtract(windows: &[SecondsWindow], from: u32, to: u32) -> Vec<SecondsWindow> {
    let mut out = Vec::with_capacity(windows.len() + 1);
    for w in windows {
        if to <= w.start || from >= w.end {
            out.push(*w);
            continue;
        }
        if from > w.start {
            out.push(SecondsWindow { start: w.start, end: from });
        }
        if to < w.end {
            out.push(SecondsWindow { start: to, end: w.end });
        }
    }
    out
}

/// A window in seconds after midnight (internal; office windows after partial closures).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct SecondsWindow {
    pub(crate) start: u32,
    pub(crate) end: u32,
}

impl From<TimeWindow> for SecondsWindow {
    fn from(w: TimeWindow) -> Self {
        Self { start: w.start_second(), end: w.end_second() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_numbers_round_trip_through_dates() {
        for n in [-700_000, -1, 0, 1, 20_000, 2_932_896] {
            let (y, m, d) = civil_from_days(n);
            assert_eq!(days_from_civil(y, m as u32, d as u32), n);
        }
        assert_eq!(day_number(jiff::civil::date(1970, 1, 1)), 0);
        assert_eq!(weekday_index(0), 3, "1970-01-01 was a Thursday");
    }

    #[test]
    fn impossible_dates_explain_the_month_length() {
        let e = parse_date("--start", "2026-02-30").unwrap_err().to_string();
        assert!(e.contains("February 2026 has 28 days"), "{e}");
        assert!(e.contains("--start"), "{e}");
        assert!(parse_date("x", "2026-2-3").is_err());
        assert_eq!(parse_month_day("yearly", "02-29").unwrap(), (2, 29));
        assert!(parse_month_day("yearly", "02-30").unwrap_err().to_string().contains("February has 29 days"));
    }

    #[test]
    fn windows_parse_and_display() {
        let w = TimeWindow::parse("8:00-24:00").unwrap();
        assert_eq!(w.to_string(), "08:00-24:00");
        assert!(TimeWindow::parse("17:00-08:00").is_err());
        assert!(TimeWindow::parse("08:00-24:01").is_err());
        let overlap = normalise_windows(
            "office_hours.monday",
            vec![TimeWindow::parse("08:00-12:00").unwrap(), TimeWindow::parse("11:00-13:00").unwrap()],
        );
        assert!(overlap.unwrap_err().to_string().contains("overlap"));
    }
}
