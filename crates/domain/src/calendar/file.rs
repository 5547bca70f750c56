//! The TOML calendar file (format documented in `docs/calendar.md`).

use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use serde::Deserialize;
use toml::Spanned;

use super::civil::{WEEKDAY_FIELDS, parse_date, parse_month_day};
use super::{Calendar, CalendarBuilder, CalendarError, ClosedDay, DaySpec, SpecialHours, TimeWindow, parse_ics};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileSpec {
    name: Option<String>,
    base: Option<Spanned<String>>,
    time_zone: Option<Spanned<String>>,
    office_hours: Option<WeekSpec>,
    drop_holidays: Option<Spanned<Vec<String>>>,
    #[serde(default)]
    closed: Vec<Spanned<ClosedSpec>>,
    #[serde(default)]
    special_hours: Vec<Spanned<SpecialSpec>>,
    #[serde(default)]
    ics: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WeekSpec {
    monday: Option<Spanned<Vec<String>>>,
    tuesday: Option<Spanned<Vec<String>>>,
    wednesday: Option<Spanned<Vec<String>>>,
    thursday: Option<Spanned<Vec<String>>>,
    friday: Option<Spanned<Vec<String>>>,
    saturday: Option<Spanned<Vec<String>>>,
    sunday: Option<Spanned<Vec<String>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ClosedSpec {
    name: String,
    date: Option<Spanned<toml::Value>>,
    yearly: Option<Spanned<String>>,
    only_years_divisible_by: Option<Spanned<i64>>,
    #[serde(default)]
    termijnenwet: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SpecialSpec {
    name: String,
    date: Option<Spanned<toml::Value>>,
    yearly: Option<Spanned<String>>,
    only_years_divisible_by: Option<Spanned<i64>>,
    hours: Spanned<Vec<String>>,
}

/// Turns byte offsets into line numbers and errors into [`CalendarError::File`].
struct Source<'a> {
    text: &'a str,
    origin: &'a str,
}

impl Source<'_> {
    fn line(&self, offset: usize) -> usize {
        self.text.as_bytes()[..offset.min(self.text.len())].iter().filter(|b| **b == b'\n').count() + 1
    }

    fn error<T>(&self, span: &Spanned<T>, message: impl Into<String>) -> CalendarError {
        CalendarError::File {
            origin: self.origin.to_string(),
            line: Some(self.line(span.span().start)),
            message: message.into(),
        }
    }

    /// Re-anchors a calendar error at a place in the file.
    fn at<T>(&self, span: &Spanned<T>, e: CalendarError) -> CalendarError {
        self.error(span, e.to_string())
    }
}

fn day_spec(
    src: &Source<'_>,
    entry: &Spanned<impl Sized>,
    table: &str,
    name: &str,
    date: &Option<Spanned<toml::Value>>,
    yearly: &Option<Spanned<String>>,
) -> Result<DaySpec, CalendarError> {
    match (date, yearly) {
        (Some(d), None) => {
            let text = match d.get_ref() {
                toml::Value::String(s) => s.clone(),
                toml::Value::Datetime(dt) => dt.to_string(),
                other => {
                    return Err(src.error(
                        d,
                        format!("{table}.date must be a date such as \"2026-12-24\", not {}", other.type_str()),
                    ));
                }
            };
            parse_date(&format!("{table}.date"), &text).map(DaySpec::Once).map_err(|e| src.at(d, e))
        }
        (None, Some(y)) => parse_month_day(&format!("{table}.yearly"), y.get_ref())
            .map(|(month, day)| DaySpec::Yearly { month, day })
            .map_err(|e| src.at(y, e)),
        _ => Err(src.error(
            entry,
            format!(
                "{table} \"{name}\": give either date = \"2026-12-24\" (one day) or yearly = \"12-24\" \
                 (every year), not both or neither"
            ),
        )),
    }
}

fn divisor(src: &Source<'_>, table: &str, value: &Option<Spanned<i64>>) -> Result<Option<u16>, CalendarError> {
    let Some(v) = value else { return Ok(None) };
    match u16::try_from(*v.get_ref()) {
        Ok(n) if n >= 1 => Ok(Some(n)),
        _ => Err(src.error(
            v,
            format!(
                "{table}.only_years_divisible_by is {}; use a whole number of 1 or more, e.g. 5 for lustrum years",
                v.get_ref()
            ),
        )),
    }
}

fn windows(src: &Source<'_>, field: &str, list: &Spanned<Vec<String>>) -> Result<Vec<TimeWindow>, CalendarError> {
    list.get_ref().iter().map(|w| TimeWindow::parse_field(field, w).map_err(|e| src.at(list, e))).collect()
}

fn file_stem(origin: &str) -> String {
    let base = origin.rsplit(['/', '\\']).next().unwrap_or(origin);
    base.strip_suffix(".toml").unwrap_or(base).to_string()
}

impl Calendar {
    /// Builds a calendar from a TOML calendar file.
    ///
    /// `origin` names the file in errors (and gives the default name, its stem). `read_ics`
    /// reads an `ics = [...]` include by the path written in the file (relative to the
    /// calendar file; resolving it is the caller's job, as this crate does no I/O) and returns
    /// its text or a reason.
    pub fn from_toml(
        text: &str,
        origin: &str,
        read_ics: &mut dyn FnMut(&str) -> Result<String, String>,
    ) -> Result<Calendar, CalendarError> {
        let src = Source { text, origin };
        let spec: FileSpec = toml::from_str(text).map_err(|e| CalendarError::File {
            origin: origin.to_string(),
            line: e.span().map(|s| src.line(s.start)),
            message: e.message().trim().replace('\n', " "),
        })?;
        let mut b = match &spec.base {
            None => CalendarBuilder::default(),
            Some(base) => match base.get_ref().trim().to_ascii_lowercase().as_str() {
                "termijnenwet" => CalendarBuilder::from_termijnenwet(),
                other => {
                    return Err(src.error(
                        base,
                        format!("base: unknown calendar `{other}`; use base = \"termijnenwet\" or leave base out"),
                    ));
                }
            },
        };
        b = b.name(spec.name.clone().unwrap_or_else(|| file_stem(origin)));
        if let Some(tz) = &spec.time_zone {
            let zone = TimeZone::get(tz.get_ref().trim()).map_err(|_| {
                src.at(tz, CalendarError::UnknownTimeZone { field: "time_zone".into(), name: tz.get_ref().clone() })
            })?;
            b = b.time_zone(zone);
        }
        if let Some(week) = &spec.office_hours {
            let days = [
                (&week.monday, Weekday::Monday),
                (&week.tuesday, Weekday::Tuesday),
                (&week.wednesday, Weekday::Wednesday),
                (&week.thursday, Weekday::Thursday),
                (&week.friday, Weekday::Friday),
                (&week.saturday, Weekday::Saturday),
                (&week.sunday, Weekday::Sunday),
            ];
            for (i, (list, weekday)) in days.into_iter().enumerate() {
                if let Some(list) = list {
                    let field = format!("office_hours.{}", WEEKDAY_FIELDS[i]);
                    let ws = windows(&src, &field, list)?;
                    // Check overlaps here, where the line is known.
                    super::civil::normalise_windows(&field, ws.clone()).map_err(|e| src.at(list, e))?;
                    b = b.office_hours(weekday, ws);
                }
            }
        }
        if let Some(drop) = &spec.drop_holidays {
            for name in drop.get_ref() {
                b = b.drop_holiday(name.clone());
            }
        }
        for entry in &spec.closed {
            let c = entry.get_ref();
            b = b.closed(ClosedDay {
                name: c.name.clone(),
                on: day_spec(&src, entry, "closed", &c.name, &c.date, &c.yearly)?,
                only_years_divisible_by: divisor(&src, "closed", &c.only_years_divisible_by)?,
                extends_terms: c.termijnenwet,
            });
        }
        for entry in &spec.special_hours {
            let s = entry.get_ref();
            let hours = windows(&src, "special_hours.hours", &s.hours)?;
            super::civil::normalise_windows("special_hours.hours", hours.clone()).map_err(|e| src.at(&s.hours, e))?;
            b = b.special_hours(SpecialHours {
                name: s.name.clone(),
                on: day_spec(&src, entry, "special_hours", &s.name, &s.date, &s.yearly)?,
                only_years_divisible_by: divisor(&src, "special_hours", &s.only_years_divisible_by)?,
                hours,
            });
        }
        for path in &spec.ics {
            let ics = read_ics(path.get_ref()).map_err(|reason| {
                src.error(
                    path,
                    format!(
                        "ics: cannot read `{}`: {reason}; check the path (relative to the calendar file)",
                        path.get_ref()
                    ),
                )
            })?;
            b = b.ics_events(parse_ics(&ics, path.get_ref())?);
        }
        let anchor = spec.drop_holidays.as_ref().map(|d| d.span().start);
        b.build().map_err(|e| match (&e, anchor) {
            (CalendarError::Invalid { field, .. }, Some(start)) if field == "drop_holidays" => {
                CalendarError::File { origin: origin.to_string(), line: Some(src.line(start)), message: e.to_string() }
            }
            (CalendarError::Invalid { .. }, _) => {
                CalendarError::File { origin: origin.to_string(), line: None, message: e.to_string() }
            }
            _ => e,
        })
    }
}
