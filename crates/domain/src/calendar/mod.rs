//! Working days, office hours and deadlines.
//!
//! A [`Calendar`] is configuration: a time zone (default Europe/Amsterdam), office hours per
//! weekday (several windows a day), holidays, extra closed days (one-off or yearly), special
//! office hours on given days and closed days imported from iCalendar files. The built-in
//! calendar [`Calendar::termijnenwet`] has the recognised holidays of the Algemene
//! termijnenwet and office hours Monday–Friday 08:00–17:00; a TOML file
//! ([`Calendar::from_toml`], format in `docs/calendar.md`) extends or replaces it.
//!
//! Two kinds of day matter:
//! - a **working day**: the office is open (its weekday has office hours and no holiday or
//!   closed day applies). Working days and business hours follow the office.
//! - a **term day**: not a Saturday, Sunday or recognised holiday (built-in, or a closed day
//!   marked as equated with one). A statutory term in weeks or calendar days that ends on
//!   another day moves on to the next term day (Algemene termijnenwet art. 1). Dropping a
//!   holiday for the office (`drop_holidays`) or closing the office on other days does not
//!   change term days: the law does not follow the office.
//!
//! Conventions:
//! - `add_working_days(d, 0)` is `d` itself, even when `d` is not a working day; for `n ≥ 1`
//!   it is the `n`-th working day after `d`.
//! - [`Term::deadline_after`] returns the first moment that is late: for day-based terms the
//!   start (00:00, local time) of the day after the due date; a task is on time when it is
//!   completed before the deadline.
//! - Business hours count real elapsed time inside the office windows. Windows are local civil
//!   time; each window boundary is converted to an instant with jiff's "compatible" rule (a
//!   boundary in the spring-forward gap moves forward by the gap, a boundary in the autumn fold
//!   takes the first occurrence). So a 01:00–04:00 window lasts 2 hours on 29 March 2026 and 4
//!   hours on 25 October 2026; the usual 08:00–17:00 windows are never affected.
//! - A business-time start outside office hours begins at the next opening; a result that
//!   lands exactly at a closing time stays at that closing time.

mod builder;
mod civil;
mod error;
mod file;
mod holidays;
mod ics;
mod table;
mod term;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, OnceLock};

use jiff::civil::{Date, DateTime, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp, ZonedDateTime};

pub use builder::CalendarBuilder;
pub use civil::{MAX_YEAR, MIN_YEAR, TimeWindow, parse_date};
use civil::{
    SECONDS_PER_DAY, SecondsWindow, WEEKDAY_FIELDS, civil_from_days, date_from_day_number, day_number, days_from_civil,
    normalise_windows, subtract, weekday_index, weekday_to_index,
};
pub use error::CalendarError;
pub use holidays::{TERMIJNENWET_HOLIDAYS, easter_sunday, termijnenwet_holidays};
pub use ics::{IcsEvent, IcsTime, YearlyRecurrence, parse_ics};
use table::{Bits, WORDS, YearTable};
pub use term::{Term, describe_working_days};

/// The time zone of a calendar that names none.
pub const DEFAULT_TIME_ZONE: &str = "Europe/Amsterdam";

/// The names of the built-in calendars.
pub const BUILTIN_CALENDARS: [&str; 1] = ["termijnenwet"];

/// When a closed day or special office hours apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DaySpec {
    /// One date.
    Once(Date),
    /// The same month and day every year (29 February: leap years only).
    Yearly {
        /// 1–12.
        month: i8,
        /// 1–31.
        day: i8,
    },
}

impl DaySpec {
    fn in_year(self, year: i16) -> Option<Date> {
        match self {
            Self::Once(d) => (d.year() == year).then_some(d),
            Self::Yearly { month, day } => Date::new(year, month, day).ok(),
        }
    }
}

/// A day on which the office is closed.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ClosedDay {
    /// The name shown to people, in Dutch ("Kerstsluiting").
    pub name: String,
    /// When.
    pub on: DaySpec,
    /// Only in years divisible by this number (5: lustrum years).
    pub only_years_divisible_by: Option<u16>,
    /// The day is equated with a recognised holiday (Algemene termijnenwet art. 3 lid 3), so
    /// statutory terms ending on it move on too. `false`: only the office is closed.
    pub extends_terms: bool,
}

/// Office hours that replace the weekday's hours on given days.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SpecialHours {
    /// The name of the occasion, in Dutch ("Kerstavond").
    pub name: String,
    /// When.
    pub on: DaySpec,
    /// Only in years divisible by this number.
    pub only_years_divisible_by: Option<u16>,
    /// The office hours of those days (none: closed all day).
    pub hours: Vec<TimeWindow>,
}

/// A named day of a year: a holiday or a day on which the office is closed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Holiday {
    /// The date.
    pub date: Date,
    /// The name, in Dutch.
    pub name: String,
    /// The office is closed that day (false for a holiday dropped with `drop_holidays`).
    pub closes_office: bool,
    /// A recognised (or equated) holiday: statutory terms ending on it move on.
    pub extends_terms: bool,
}

/// An ICS event resolved to civil time in the calendar's zone.
#[derive(Debug, Clone)]
struct IcsSpan {
    name: String,
    /// (day number, second of day), inclusive.
    start: (i32, u32),
    /// (day number, second of day), exclusive.
    end: (i32, u32),
    yearly: Option<YearlyRecurrence>,
    excluded: Vec<i32>,
}

struct Inner {
    name: String,
    time_zone: TimeZone,
    week: [Vec<TimeWindow>; 7],
    week_seconds: [Vec<SecondsWindow>; 7],
    termijnenwet: bool,
    dropped: Vec<&'static str>,
    closed: Vec<ClosedDay>,
    special: Vec<SpecialHours>,
    ics: Vec<IcsSpan>,
    years: Box<[OnceLock<Box<YearTable>>]>,
}

/// Everything known about one year: the lookup table and the named days.
struct YearBuild {
    table: YearTable,
    named: Vec<Holiday>,
}

/// Working days, office hours, holidays and deadline arithmetic. Cheap to clone (shared).
///
/// Built with [`Calendar::termijnenwet`], [`Calendar::builtin`], [`Calendar::builder`] or
/// [`Calendar::from_toml`]. Lookups are cached per year, so computations cost a few bit
/// operations per year they touch.
#[derive(Clone)]
pub struct Calendar {
    inner: Arc<Inner>,
}

impl fmt::Debug for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Calendar")
            .field("name", &self.inner.name)
            .field("time_zone", &self.inner.time_zone.iana_name())
            .field("termijnenwet", &self.inner.termijnenwet)
            .finish_non_exhaustive()
    }
}

fn default_time_zone() -> TimeZone {
    TimeZone::get(DEFAULT_TIME_ZONE).expect("the bundled time zone database has Europe/Amsterdam")
}

fn office_week() -> [Vec<TimeWindow>; 7] {
    let day = vec![TimeWindow::from_minutes(8 * 60, 17 * 60).expect("08:00-17:00 is a valid window")];
    [day.clone(), day.clone(), day.clone(), day.clone(), day, Vec::new(), Vec::new()]
}

impl Calendar {
    /// The built-in calendar `termijnenwet`: Saturdays, Sundays and the recognised holidays
    /// of the Algemene termijnenwet are closed; office hours Monday–Friday 08:00–17:00;
    /// Europe/Amsterdam.
    pub fn termijnenwet() -> Calendar {
        static BUILTIN: OnceLock<Calendar> = OnceLock::new();
        BUILTIN
            .get_or_init(|| {
                CalendarBuilder::from_termijnenwet()
                    .name("termijnenwet")
                    .build()
                    .expect("the built-in calendar is valid")
            })
            .clone()
    }

    /// A built-in calendar by name (see [`BUILTIN_CALENDARS`]).
    pub fn builtin(name: &str) -> Result<Calendar, CalendarError> {
        match name.trim().to_ascii_lowercase().as_str() {
            "termijnenwet" => Ok(Self::termijnenwet()),
            _ => Err(CalendarError::UnknownCalendar { name: name.to_string() }),
        }
    }

    /// An empty calendar to fill in: Europe/Amsterdam, no office hours, no holidays.
    pub fn builder() -> CalendarBuilder {
        CalendarBuilder::default()
    }

    /// The calendar's name.
    pub fn name(&self) -> &str {
        &self.inner.name
    }

    /// The calendar's time zone.
    pub fn time_zone(&self) -> &TimeZone {
        &self.inner.time_zone
    }

    /// The regular office hours of a weekday.
    pub fn office_hours(&self, weekday: Weekday) -> &[TimeWindow] {
        &self.inner.week[weekday_to_index(weekday)]
    }

    /// Whether the recognised holidays of the Algemene termijnenwet are built in.
    pub fn has_termijnenwet_holidays(&self) -> bool {
        self.inner.termijnenwet
    }

    fn table(&self, year: i32) -> Result<&YearTable, CalendarError> {
        let slot = usize::try_from(year - i32::from(MIN_YEAR))
            .ok()
            .and_then(|i| self.inner.years.get(i))
            .ok_or_else(|| CalendarError::out_of_range(format!("the year {year}")))?;
        if let Some(t) = slot.get() {
            return Ok(t);
        }
        let built = self.inner.build_year(year as i16)?;
        // Another thread may have filled the slot meanwhile; both computed the same table.
        let _ = slot.set(Box::new(built.table));
        Ok(slot.get().expect("the slot was just filled"))
    }

    fn table_of_day(&self, day: i32) -> Result<&YearTable, CalendarError> {
        self.table(civil_from_days(day).0)
    }

    /// The named days of a year, sorted by date: the recognised holidays (also those on a
    /// Saturday or Sunday, and those the office works on, with `closes_office: false`),
    /// closed days, and closures imported from iCalendar files.
    pub fn holidays(&self, year: i16) -> Result<Vec<Holiday>, CalendarError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(CalendarError::out_of_range(format!("the year {year}")));
        }
        Ok(self.inner.build_year(year)?.named)
    }

    /// Whether the office is open on `date`.
    pub fn is_working_day(&self, date: Date) -> Result<bool, CalendarError> {
        let t = self.table(i32::from(date.year()))?;
        Ok(table::get(&t.working, (day_number(date) - t.first) as usize))
    }

    /// Whether a statutory term may end on `date`: it is not a Saturday, Sunday or recognised
    /// (or equated) holiday.
    pub fn is_term_day(&self, date: Date) -> Result<bool, CalendarError> {
        let t = self.table(i32::from(date.year()))?;
        Ok(table::get(&t.term_open, (day_number(date) - t.first) as usize))
    }

    /// Day number of the `k`-th day on or after `from` whose bit is set in `pick(table)`.
    fn seek(&self, from: i32, k: u32, pick: fn(&YearTable) -> &Bits) -> Result<i32, CalendarError> {
        let mut t = self.table_of_day(from)?;
        let mut after = from - t.first - 1;
        let mut k = k;
        loop {
            match table::nth_set_after(pick(t), after, k) {
                Ok(i) => return Ok(t.first + i as i32),
                Err(missing) => {
                    k = missing;
                    t = self.table(i32::from(t.year) + 1)?;
                    after = -1;
                }
            }
        }
    }

    /// The first working day on or after `date`.
    pub fn working_day_on_or_after(&self, date: Date) -> Result<Date, CalendarError> {
        date_from_day_number(self.seek(day_number(date), 1, |t| &t.working)?)
    }

    /// The `n`-th working day after `date`; `n = 0` gives `date` itself, even when it is not
    /// a working day.
    pub fn add_working_days(&self, date: Date, n: u32) -> Result<Date, CalendarError> {
        if n == 0 {
            return Ok(date);
        }
        date_from_day_number(self.seek(day_number(date) + 1, n, |t| &t.working)?)
    }

    /// The signed number of working days from `from` to `to`, for "nog 3 werkdagen" and
    /// "2 werkdagen te laat" (see [`describe_working_days`]):
    /// - `from ≤ to`: the working days after `from` up to and including `to`; so
    ///   `working_days_between(d, add_working_days(d, n)) == n`.
    /// - `from > to`: minus the working days from `to` up to but excluding `from`; so on the
    ///   first day after a missed due date the answer is already negative, also when that day
    ///   is a Saturday (-1 when the due date was a working day).
    ///
    /// Between two working days it is antisymmetric: `between(a, b) == -between(b, a)`.
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<i64, CalendarError> {
        let (a, b) = (day_number(from), day_number(to));
        if a <= b { self.count_working(a + 1, b + 1) } else { Ok(-self.count_working(b, a)?) }
    }

    /// The number of working days with day number in `from..to`.
    fn count_working(&self, from: i32, to: i32) -> Result<i64, CalendarError> {
        let mut total = 0i64;
        let mut day = from;
        while day < to {
            let t = self.table_of_day(day)?;
            let end = to.min(t.first + i32::from(t.len));
            total += i64::from(table::count(&t.working, (day - t.first) as usize, (end - t.first) as usize));
            day = end;
        }
        Ok(total)
    }

    /// The first term day (not a Saturday, Sunday or recognised holiday) on or after `date`.
    pub fn term_day_on_or_after(&self, date: Date) -> Result<Date, CalendarError> {
        date_from_day_number(self.seek(day_number(date), 1, |t| &t.term_open)?)
    }

    /// A statutory term of `n` calendar weeks from `date` under the Algemene termijnenwet:
    /// `date` plus `n` weeks; when that is a Saturday, Sunday or recognised holiday, the next
    /// day that is none of these.
    pub fn add_weeks(&self, date: Date, n: u32) -> Result<Date, CalendarError> {
        self.add_calendar_days(date, n.checked_mul(7).ok_or_else(|| CalendarError::out_of_range(format!("{n} weeks")))?)
    }

    /// A term of `n` calendar days from `date`, with the same rule as [`Calendar::add_weeks`].
    pub fn add_calendar_days(&self, date: Date, n: u32) -> Result<Date, CalendarError> {
        let day = i64::from(day_number(date)) + i64::from(n);
        let day = i32::try_from(day).map_err(|_| CalendarError::out_of_range(format!("{date} + {n} days")))?;
        self.term_day_on_or_after(date_from_day_number(day)?)
    }

    /// The local date of a moment in the calendar's time zone.
    pub fn date_of(&self, at: Timestamp) -> Date {
        self.inner.time_zone.to_datetime(at).date()
    }

    /// A moment in the calendar's time zone.
    pub fn to_zoned(&self, at: Timestamp) -> ZonedDateTime {
        at.to_zoned_datetime(self.inner.time_zone.clone())
    }

    /// RFC 3339 with the calendar zone's local offset, seconds included, no fraction:
    /// `2026-04-07T11:30:00+02:00`.
    pub fn format_moment(&self, at: Timestamp) -> String {
        let offset = self.inner.time_zone.to_offset(at);
        let dt = offset.to_datetime(at);
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{}",
            dt.year(),
            dt.month(),
            dt.day(),
            dt.hour(),
            dt.minute(),
            dt.second(),
            offset_text(offset)
        )
    }

    /// The first moment of `date` (00:00 local, or the first moment after a gap).
    pub fn start_of_day(&self, date: Date) -> Result<Timestamp, CalendarError> {
        self.instant(day_number(date), 0)
    }

    /// The instant of a civil (day, second) in the calendar's zone, "compatible" rule.
    fn instant(&self, day: i32, second: u32) -> Result<Timestamp, CalendarError> {
        let (day, second) = if second >= SECONDS_PER_DAY { (day + 1, second - SECONDS_PER_DAY) } else { (day, second) };
        let date = date_from_day_number(day)?;
        let time = Time::new((second / 3600) as i8, ((second / 60) % 60) as i8, (second % 60) as i8, 0)
            .expect("a second of the day is a valid time");
        self.inner
            .time_zone
            .to_ambiguous_timestamp(DateTime::from_parts(date, time))
            .compatible()
            .map_err(|e| CalendarError::out_of_range(format!("{date} {time} ({e})")))
    }

    /// The office windows of a working day (empty on other days), in seconds after midnight.
    fn windows_of_day(&self, day: i32) -> Result<&[SecondsWindow], CalendarError> {
        let t = self.table_of_day(day)?;
        let i = (day - t.first) as usize;
        if !table::get(&t.working, i) {
            return Ok(&[]);
        }
        Ok(match t.hours.binary_search_by_key(&(i as u16), |(d, _)| *d) {
            Ok(h) => &t.hours[h].1,
            Err(_) => &self.inner.week_seconds[weekday_index(day)],
        })
    }

    /// The first working day number on or after `day`.
    fn working_day_from(&self, day: i32) -> Result<i32, CalendarError> {
        self.seek(day, 1, |t| &t.working)
    }

    /// Adds `duration` of open office time to `start` (see the module documentation for the
    /// rules at opening, closing and daylight-saving changes).
    pub fn add_business_time(&self, start: Timestamp, duration: SignedDuration) -> Result<Timestamp, CalendarError> {
        if duration.is_negative() {
            return Err(CalendarError::negative("business time", format!("{duration:#}")));
        }
        let mut remaining = duration;
        let mut day = day_number(self.date_of(start));
        loop {
            day = self.working_day_from(day)?;
            for w in self.windows_of_day(day)? {
                let end = self.instant(day, w.end)?;
                if end <= start {
                    continue;
                }
                let from = self.instant(day, w.start)?.max(start);
                let available = from.duration_until(end);
                if remaining <= available {
                    return from
                        .checked_add(remaining)
                        .map_err(|e| CalendarError::out_of_range(format!("{start} + {duration:#} ({e})")));
                }
                remaining -= available;
            }
            day += 1;
        }
    }

    /// Adds `hours` business hours to `start`.
    pub fn add_business_hours(&self, start: Timestamp, hours: u32) -> Result<Timestamp, CalendarError> {
        self.add_business_time(start, SignedDuration::from_hours(i64::from(hours)))
    }

    /// Adds `minutes` business minutes to `start`.
    pub fn add_business_minutes(&self, start: Timestamp, minutes: u32) -> Result<Timestamp, CalendarError> {
        self.add_business_time(start, SignedDuration::from_mins(i64::from(minutes)))
    }

    /// Whether the office is open at `at` (a closing time itself is closed).
    pub fn is_open(&self, at: Timestamp) -> Result<bool, CalendarError> {
        let day = day_number(self.date_of(at));
        for w in self.windows_of_day(day)? {
            if self.instant(day, w.start)? <= at && at < self.instant(day, w.end)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// `at` when the office is open, else the next opening.
    pub fn next_opening(&self, at: Timestamp) -> Result<Timestamp, CalendarError> {
        self.add_business_time(at, SignedDuration::ZERO)
    }

    /// The open office time between two moments: positive when `from < to`, negative when
    /// `from > to`. `working_time_between(s, add_business_time(s, d)) == d`.
    pub fn working_time_between(&self, from: Timestamp, to: Timestamp) -> Result<SignedDuration, CalendarError> {
        if from > to {
            return Ok(-self.working_time_between(to, from)?);
        }
        let mut total = SignedDuration::ZERO;
        let last = day_number(self.date_of(to));
        let mut day = day_number(self.date_of(from));
        while day <= last {
            day = self.working_day_from(day)?;
            if day > last {
                break;
            }
            for w in self.windows_of_day(day)? {
                let start = self.instant(day, w.start)?.max(from);
                let end = self.instant(day, w.end)?.min(to);
                if start < end {
                    total += start.duration_until(end);
                }
            }
            day += 1;
        }
        Ok(total)
    }
}

fn offset_text(offset: jiff::tz::Offset) -> String {
    let secs = offset.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let secs = secs.unsigned_abs();
    format!("{sign}{:02}:{:02}", secs / 3600, (secs / 60) % 60)
}

impl Inner {
    fn applies(only: Option<u16>, year: i16) -> bool {
        only.is_none_or(|n| n > 0 && i32::from(year) % i32::from(n) == 0)
    }

    fn build_year(&self, year: i16) -> Result<YearBuild, CalendarError> {
        let first = days_from_civil(i32::from(year), 1, 1);
        let len = (days_from_civil(i32::from(year) + 1, 1, 1) - first) as u16;
        let mut named: Vec<Holiday> = Vec::new();
        let mut office_closed: Bits = [0; WORDS];
        let mut term_closed: Bits = [0; WORDS];
        let mut overrides: BTreeMap<u16, Vec<SecondsWindow>> = BTreeMap::new();
        let mut partial: Vec<(u16, u32, u32, &str)> = Vec::new();
        let doy = |d: Date| (day_number(d) - first) as usize;

        if self.termijnenwet {
            for (date, name) in termijnenwet_holidays(year)? {
                let closes = !self.dropped.contains(&name);
                named.push(Holiday { date, name: name.to_string(), closes_office: closes, extends_terms: true });
                table::set(&mut term_closed, doy(date));
                if closes {
                    table::set(&mut office_closed, doy(date));
                }
            }
        }
        for c in &self.closed {
            let Some(date) = c.on.in_year(year).filter(|_| Self::applies(c.only_years_divisible_by, year)) else {
                continue;
            };
            named.push(Holiday { date, name: c.name.clone(), closes_office: true, extends_terms: c.extends_terms });
            table::set(&mut office_closed, doy(date));
            if c.extends_terms {
                table::set(&mut term_closed, doy(date));
            }
        }
        for s in &self.special {
            if let Some(date) = s.on.in_year(year).filter(|_| Self::applies(s.only_years_divisible_by, year)) {
                overrides.insert(doy(date) as u16, s.hours.iter().map(|w| SecondsWindow::from(*w)).collect());
            }
        }
        let next_first = first + i32::from(len);
        for span in &self.ics {
            for (start, end) in span.occurrences_touching(year) {
                for day in start.0.max(first)..=end.0.min(next_first - 1) {
                    let from = if day == start.0 { start.1 } else { 0 };
                    let to = if day == end.0 { end.1 } else { SECONDS_PER_DAY };
                    if from >= to {
                        continue;
                    }
                    let i = (day - first) as usize;
                    if from == 0 && to == SECONDS_PER_DAY {
                        table::set(&mut office_closed, i);
                        let date = date_from_day_number(day)?;
                        named.push(Holiday {
                            date,
                            name: span.name.clone(),
                            closes_office: true,
                            extends_terms: false,
                        });
                    } else {
                        partial.push((i as u16, from, to, &span.name));
                    }
                }
            }
        }

        let mut working: Bits = [0; WORDS];
        let mut term_open: Bits = [0; WORDS];
        let mut hours = Vec::new();
        for i in 0..usize::from(len) {
            let day = first + i as i32;
            let wd = weekday_index(day);
            if wd < 5 && !table::get(&term_closed, i) {
                table::set(&mut term_open, i);
            }
            if table::get(&office_closed, i) {
                continue;
            }
            let regular = &self.week_seconds[wd];
            let mut windows = overrides.get(&(i as u16)).cloned().unwrap_or_else(|| regular.clone());
            let mut closed_by = None;
            for (_, from, to, name) in partial.iter().filter(|p| usize::from(p.0) == i) {
                let before = windows.len();
                windows = subtract(&windows, *from, *to);
                if before > 0 && windows.is_empty() {
                    closed_by = Some(*name);
                }
            }
            if windows.is_empty() {
                if let Some(name) = closed_by {
                    let date = date_from_day_number(day)?;
                    named.push(Holiday { date, name: name.to_string(), closes_office: true, extends_terms: false });
                }
                continue;
            }
            table::set(&mut working, i);
            if &windows != regular {
                hours.push((i as u16, windows));
            }
        }
        // The same day named twice (a built-in holiday and a closed day with that name) is
        // listed once, with both effects.
        named.sort_by(|a, b| (a.date, &a.name).cmp(&(b.date, &b.name)));
        named.dedup_by(|later, kept| {
            let same = later.date == kept.date && later.name == kept.name;
            if same {
                kept.closes_office |= later.closes_office;
                kept.extends_terms |= later.extends_terms;
            }
            same
        });
        Ok(YearBuild { table: YearTable { year, first, len, working, term_open, hours }, named })
    }
}

impl IcsSpan {
    /// Occurrences (start, end) that may touch `year`.
    fn occurrences_touching(&self, year: i16) -> Vec<((i32, u32), (i32, u32))> {
        let Some(rule) = self.yearly else {
            return vec![(self.start, self.end)];
        };
        let (y0, m0, d0) = civil_from_days(self.start.0);
        let span_years = (self.end.0 - self.start.0) / 365 + 1;
        let interval = i32::from(rule.interval.max(1));
        let mut out = Vec::new();
        for y in (i32::from(year) - span_years)..=i32::from(year) {
            if y < y0 || (y - y0) % interval != 0 {
                continue;
            }
            let k = (y - y0) / interval;
            if rule.count.is_some_and(|c| i64::from(k) >= i64::from(c)) {
                continue;
            }
            // 29 February repeats in leap years only.
            let Ok(date) = Date::new(y as i16, m0, d0) else { continue };
            if rule.until.is_some_and(|u| date > u) {
                continue;
            }
            let day = day_number(date);
            if self.excluded.contains(&day) {
                continue;
            }
            let shift = day - self.start.0;
            out.push(((day, self.start.1), (self.end.0 + shift, self.end.1)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendars_can_be_shared_between_threads() {
        fn shareable<T: Send + Sync + Clone>() {}
        shareable::<Calendar>();
        let cal = Calendar::termijnenwet();
        let worker = cal.clone();
        let d = std::thread::spawn(move || worker.add_working_days(jiff::civil::date(2026, 4, 2), 3).unwrap())
            .join()
            .unwrap();
        assert_eq!(d, jiff::civil::date(2026, 4, 9));
        assert!(format!("{cal:?}").contains("termijnenwet"));
    }

    #[test]
    fn a_weekday_without_hours_is_not_a_working_day_even_when_nothing_closes_it() {
        let cal = Calendar::termijnenwet();
        assert!(!cal.is_working_day(jiff::civil::date(2026, 3, 14)).unwrap());
        assert!(cal.office_hours(Weekday::Saturday).is_empty());
        assert_eq!(cal.office_hours(Weekday::Monday)[0].to_string(), "08:00-17:00");
    }
}
