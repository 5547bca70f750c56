//! Building a calendar in code, from the built-in `termijnenwet` calendar onwards.

use super::*;

/// Builds a [`Calendar`] in code; [`Calendar::from_toml`] builds one from a file.
#[derive(Debug, Clone, Default)]
pub struct CalendarBuilder {
    name: Option<String>,
    time_zone: Option<TimeZone>,
    week: [Option<Vec<TimeWindow>>; 7],
    termijnenwet: bool,
    dropped: Vec<String>,
    closed: Vec<ClosedDay>,
    special: Vec<SpecialHours>,
    ics: Vec<IcsEvent>,
}

impl CalendarBuilder {
    /// Starts from the built-in `termijnenwet` calendar: its holidays and its office hours
    /// (Monday–Friday 08:00–17:00; later [`CalendarBuilder::office_hours`] calls replace a
    /// weekday's hours).
    pub fn from_termijnenwet() -> Self {
        let mut b = Self { termijnenwet: true, ..Self::default() };
        b.week = office_week().map(Some);
        b
    }

    /// The name (default "calendar").
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// The time zone (default Europe/Amsterdam).
    pub fn time_zone(mut self, tz: TimeZone) -> Self {
        self.time_zone = Some(tz);
        self
    }

    /// Whether the recognised holidays of the Algemene termijnenwet apply.
    pub fn termijnenwet_holidays(mut self, yes: bool) -> Self {
        self.termijnenwet = yes;
        self
    }

    /// The office hours of a weekday (no windows: closed that weekday).
    pub fn office_hours(mut self, weekday: Weekday, windows: Vec<TimeWindow>) -> Self {
        self.week[weekday_to_index(weekday)] = Some(windows);
        self
    }

    /// The office works on this built-in holiday (it stays a recognised holiday for terms).
    pub fn drop_holiday(mut self, name: impl Into<String>) -> Self {
        self.dropped.push(name.into());
        self
    }

    /// Adds a closed day.
    pub fn closed(mut self, day: ClosedDay) -> Self {
        self.closed.push(day);
        self
    }

    /// Adds special office hours on given days.
    pub fn special_hours(mut self, hours: SpecialHours) -> Self {
        self.special.push(hours);
        self
    }

    /// Adds closures from iCalendar events (see [`parse_ics`]).
    pub fn ics_events(mut self, events: impl IntoIterator<Item = IcsEvent>) -> Self {
        self.ics.extend(events);
        self
    }

    /// Checks everything and builds the calendar.
    pub fn build(self) -> Result<Calendar, CalendarError> {
        let time_zone = self.time_zone.unwrap_or_else(default_time_zone);
        let mut week: [Vec<TimeWindow>; 7] = Default::default();
        for (i, windows) in self.week.into_iter().enumerate() {
            week[i] = normalise_windows(&format!("office_hours.{}", WEEKDAY_FIELDS[i]), windows.unwrap_or_default())?;
        }
        if week.iter().all(Vec::is_empty) {
            return Err(CalendarError::invalid(
                "office_hours",
                "no weekday has office hours; add e.g. monday = [\"08:00-17:00\"], or set base = \"termijnenwet\"",
            ));
        }
        let week_seconds = week.clone().map(|ws| ws.into_iter().map(SecondsWindow::from).collect());
        let mut dropped = Vec::new();
        for name in &self.dropped {
            let found = TERMIJNENWET_HOLIDAYS.iter().find(|h| h.eq_ignore_ascii_case(name.trim()));
            match found {
                Some(h) if self.termijnenwet => dropped.push(*h),
                _ => {
                    return Err(CalendarError::invalid(
                        "drop_holidays",
                        format!(
                            "`{name}` is not a built-in holiday{}; use one of: {}",
                            if self.termijnenwet { "" } else { " (and no base = \"termijnenwet\" is set)" },
                            TERMIJNENWET_HOLIDAYS.join(", ")
                        ),
                    ));
                }
            }
        }
        for (field, only) in self
            .closed
            .iter()
            .map(|c| ("closed", c.only_years_divisible_by))
            .chain(self.special.iter().map(|s| ("special_hours", s.only_years_divisible_by)))
        {
            if only == Some(0) {
                return Err(CalendarError::invalid(
                    format!("{field}.only_years_divisible_by"),
                    "must be 1 or more, e.g. 5 for lustrum years",
                ));
            }
        }
        let mut special = self.special;
        for s in &mut special {
            s.hours = normalise_windows("special_hours.hours", std::mem::take(&mut s.hours))?;
        }
        let civil = |t: IcsTime| -> (i32, u32) {
            let dt = match t {
                IcsTime::Date(d) => return (day_number(d), 0),
                IcsTime::Floating(dt) => dt,
                IcsTime::Instant(ts) => time_zone.to_datetime(ts),
            };
            let secs = dt.hour() as u32 * 3600 + dt.minute() as u32 * 60 + dt.second() as u32;
            (day_number(dt.date()), secs)
        };
        let ics = self
            .ics
            .into_iter()
            .map(|e| IcsSpan {
                start: civil(e.start),
                end: civil(e.end),
                name: e.summary,
                yearly: e.yearly,
                excluded: e.excluded.into_iter().map(day_number).collect(),
            })
            .collect();
        let years = (MIN_YEAR..=MAX_YEAR).map(|_| OnceLock::new()).collect();
        Ok(Calendar {
            inner: Arc::new(Inner {
                name: self.name.unwrap_or_else(|| "calendar".to_string()),
                time_zone,
                week,
                week_seconds,
                termijnenwet: self.termijnenwet,
                dropped,
                closed: self.closed,
                special,
                ics,
                years,
            }),
        })
    }
}
