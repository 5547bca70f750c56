//! Terms of service norms and statutory terms: "5 werkdagen", "6 weken", "24 uur".

use std::fmt;

use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use super::civil::{date_from_day_number, day_number};
use super::{Calendar, CalendarError};

/// A term for a norm or a statutory time limit. Serialised as `{"working_days": 5}`; shown in
/// Dutch as "5 werkdagen".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Term {
    /// Calendar days; a term ending on a Saturday, Sunday or recognised holiday moves to the
    /// next day that is none of these (Algemene termijnenwet).
    CalendarDays(u32),
    /// Calendar weeks, with the same rule (Awb terms: "binnen zes weken").
    Weeks(u32),
    /// Working days of the calendar's office.
    WorkingDays(u32),
    /// Hours of open office time (business hours).
    BusinessHours(u32),
    /// Hours on the clock, day and night (urgent reports: "binnen 24 uur").
    ClockHours(u32),
}

/// The serde shape with signed numbers, so that a negative number gets a clear message.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum TermRepr {
    CalendarDays(i64),
    Weeks(i64),
    WorkingDays(i64),
    BusinessHours(i64),
    ClockHours(i64),
}

impl TryFrom<TermRepr> for Term {
    type Error = CalendarError;

    fn try_from(repr: TermRepr) -> Result<Self, CalendarError> {
        let (field, n, make): (&str, i64, fn(u32) -> Term) = match repr {
            TermRepr::CalendarDays(n) => ("calendar_days", n, Term::CalendarDays),
            TermRepr::Weeks(n) => ("weeks", n, Term::Weeks),
            TermRepr::WorkingDays(n) => ("working_days", n, Term::WorkingDays),
            TermRepr::BusinessHours(n) => ("business_hours", n, Term::BusinessHours),
            TermRepr::ClockHours(n) => ("clock_hours", n, Term::ClockHours),
        };
        Term::checked(field, n, make)
    }
}

impl<'de> Deserialize<'de> for Term {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let repr = TermRepr::deserialize(deserializer)?;
        Term::try_from(repr).map_err(serde::de::Error::custom)
    }
}

impl Term {
    /// Builds a term from a signed count, rejecting negative and too large numbers; `field`
    /// names the field or flag for the error.
    pub fn checked(field: &str, n: i64, make: fn(u32) -> Term) -> Result<Term, CalendarError> {
        if n < 0 {
            return Err(CalendarError::negative(field, n));
        }
        let n = u32::try_from(n)
            .map_err(|_| CalendarError::invalid(field, format!("{n} is too large; use at most {}", u32::MAX)))?;
        Ok(make(n))
    }

    /// The number of days, weeks or hours.
    pub fn count(self) -> u32 {
        match self {
            Self::CalendarDays(n)
            | Self::Weeks(n)
            | Self::WorkingDays(n)
            | Self::BusinessHours(n)
            | Self::ClockHours(n) => n,
        }
    }

    /// Whether the term counts whole days (its deadline is the end of a day).
    pub fn is_day_based(self) -> bool {
        matches!(self, Self::CalendarDays(_) | Self::Weeks(_) | Self::WorkingDays(_))
    }

    /// The last day of a day-based term that starts on `start` (the day of receipt).
    fn due_day(self, calendar: &Calendar, start: Date) -> Result<Option<Date>, CalendarError> {
        Ok(match self {
            Self::CalendarDays(n) => Some(calendar.add_calendar_days(start, n)?),
            Self::Weeks(n) => Some(calendar.add_weeks(start, n)?),
            Self::WorkingDays(n) => Some(calendar.add_working_days(start, n)?),
            Self::BusinessHours(_) | Self::ClockHours(_) => None,
        })
    }

    /// The deadline of a term that starts at `start`: the first moment that is late.
    ///
    /// - Day-based terms count from the local date of `start` in the calendar's zone; the
    ///   deadline is the start (00:00 local) of the day after the due date, exclusive: work
    ///   completed before it is on time.
    /// - `BusinessHours`: [`Calendar::add_business_hours`].
    /// - `ClockHours`: exactly that many real hours later, day or night, whatever the clocks do.
    pub fn deadline_after(self, calendar: &Calendar, start: Timestamp) -> Result<Timestamp, CalendarError> {
        match self {
            Self::BusinessHours(n) => calendar.add_business_hours(start, n),
            Self::ClockHours(n) => start
                .checked_add(SignedDuration::from_hours(i64::from(n)))
                .map_err(|e| CalendarError::out_of_range(format!("{start} + {n} hours ({e})"))),
            _ => {
                let due = self.due_day(calendar, calendar.date_of(start))?.expect("day-based term");
                calendar.start_of_day(date_from_day_number(day_number(due) + 1)?)
            }
        }
    }

    /// The due date: the last day on which the work is on time (the local date just before the
    /// deadline).
    pub fn due_date(self, calendar: &Calendar, start: Timestamp) -> Result<Date, CalendarError> {
        if let Some(due) = self.due_day(calendar, calendar.date_of(start))? {
            return Ok(due);
        }
        let deadline = self.deadline_after(calendar, start)?;
        Ok(calendar.date_of(deadline.checked_sub(SignedDuration::from_nanos(1)).unwrap_or(deadline)))
    }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

impl fmt::Display for Term {
    /// Dutch: "5 werkdagen", "1 werkdag", "6 weken", "10 kalenderdagen", "4 kantooruren",
    /// "24 uur".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.pad(&match *self {
            Self::CalendarDays(n) => plural(n, "kalenderdag", "kalenderdagen"),
            Self::Weeks(n) => plural(n, "week", "weken"),
            Self::WorkingDays(n) => plural(n, "werkdag", "werkdagen"),
            Self::BusinessHours(n) => plural(n, "kantooruur", "kantooruren"),
            Self::ClockHours(n) => format!("{n} uur"),
        })
    }
}

/// The Dutch phrase for a count from [`Calendar::working_days_between`]`(today, due_date)`:
/// "nog 3 werkdagen", "nog 1 werkdag", "vandaag", "1 werkdag te laat", "2 werkdagen te laat".
pub fn describe_working_days(n: i64) -> String {
    let unit = |k: u64| if k == 1 { "werkdag" } else { "werkdagen" };
    match n {
        0 => "vandaag".to_string(),
        n if n > 0 => format!("nog {n} {}", unit(n.unsigned_abs())),
        n => format!("{} {} te laat", n.unsigned_abs(), unit(n.unsigned_abs())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terms_read_and_write_as_snake_case_objects() {
        let t: Term = serde_json::from_str(r#"{"working_days": 5}"#).unwrap();
        assert_eq!(t, Term::WorkingDays(5));
        assert_eq!(serde_json::to_string(&Term::Weeks(6)).unwrap(), r#"{"weeks":6}"#);
        let e = serde_json::from_str::<Term>(r#"{"working_days": -5}"#).unwrap_err().to_string();
        assert!(e.contains("working_days is -5, but must be 0 or more"), "{e}");
    }

    #[test]
    fn terms_display_in_dutch() {
        assert_eq!(Term::WorkingDays(5).to_string(), "5 werkdagen");
        assert_eq!(Term::WorkingDays(1).to_string(), "1 werkdag");
        assert_eq!(Term::Weeks(6).to_string(), "6 weken");
        assert_eq!(Term::Weeks(1).to_string(), "1 week");
        assert_eq!(Term::CalendarDays(10).to_string(), "10 kalenderdagen");
        assert_eq!(Term::BusinessHours(4).to_string(), "4 kantooruren");
        assert_eq!(Term::ClockHours(24).to_string(), "24 uur");
    }

    #[test]
    fn working_day_counts_read_as_dutch_phrases() {
        assert_eq!(describe_working_days(1), "nog 1 werkdag");
        assert_eq!(describe_working_days(3), "nog 3 werkdagen");
        assert_eq!(describe_working_days(0), "vandaag");
        assert_eq!(describe_working_days(-1), "1 werkdag te laat");
        assert_eq!(describe_working_days(-2), "2 werkdagen te laat");
    }
}
