//! `gastvrij calendar`: the holidays of a year, and deadlines.
//!
//! Bad input gives one line on stderr that names the flag and the fix, exit code 2, and
//! nothing on stdout.

use std::path::Path;

use gastvrij_domain::calendar::{Calendar, CalendarError, MAX_YEAR, MIN_YEAR, parse_date};
use jiff::civil::Date;
use jiff::{SignedDuration, Timestamp};

/// `gastvrij calendar …`
#[derive(clap::Subcommand, Debug)]
pub enum CalendarCommand {
    /// Lists the holidays and closed days of a year, one per line: `2026-04-03 Goede Vrijdag`.
    Holidays {
        /// The year, e.g. 2026.
        #[arg(long, env = "GASTVRIJ_CALENDAR_YEAR", value_name = "YEAR", allow_hyphen_values = true, num_args = 0..=1, default_missing_value = "")]
        year: Option<String>,
        /// A TOML calendar file to use instead of the built-in `termijnenwet` calendar.
        #[arg(long, env = "GASTVRIJ_CALENDAR", value_name = "FILE", num_args = 0..=1, default_missing_value = "")]
        calendar: Option<String>,
        /// Anything clap does not recognise, reported by `execute` as one line.
        #[arg(hide = true, allow_hyphen_values = true, trailing_var_arg = true, num_args = 0..)]
        unknown: Vec<String>,
    },
    /// Computes a deadline: the due date for day terms, the moment for hour terms.
    Deadline {
        /// The start: a date (2026-04-02) for day terms, a moment with offset
        /// (2026-04-02T16:30:00+02:00) for hour terms.
        #[arg(long, env = "GASTVRIJ_CALENDAR_START", value_name = "DATE|MOMENT", allow_hyphen_values = true, num_args = 0..=1, default_missing_value = "")]
        start: Option<String>,
        /// The N-th working day after the start (0: the start date itself).
        #[arg(long, env = "GASTVRIJ_CALENDAR_WORKING_DAYS", value_name = "N", allow_hyphen_values = true, num_args = 0..=1, default_missing_value = "")]
        working_days: Option<String>,
        /// N calendar weeks under the Algemene termijnenwet.
        #[arg(long, env = "GASTVRIJ_CALENDAR_WEEKS", value_name = "N", allow_hyphen_values = true, num_args = 0..=1, default_missing_value = "")]
        weeks: Option<String>,
        /// N calendar days under the Algemene termijnenwet.
        #[arg(long, env = "GASTVRIJ_CALENDAR_CALENDAR_DAYS", value_name = "N", allow_hyphen_values = true, num_args = 0..=1, default_missing_value = "")]
        calendar_days: Option<String>,
        /// N hours of open office time.
        #[arg(long, env = "GASTVRIJ_CALENDAR_BUSINESS_HOURS", value_name = "N", allow_hyphen_values = true, num_args = 0..=1, default_missing_value = "")]
        business_hours: Option<String>,
        /// N minutes of open office time.
        #[arg(long, env = "GASTVRIJ_CALENDAR_BUSINESS_MINUTES", value_name = "N", allow_hyphen_values = true, num_args = 0..=1, default_missing_value = "")]
        business_minutes: Option<String>,
        /// N hours on the clock, day and night.
        #[arg(long, env = "GASTVRIJ_CALENDAR_CLOCK_HOURS", value_name = "N", allow_hyphen_values = true, num_args = 0..=1, default_missing_value = "")]
        clock_hours: Option<String>,
        /// A TOML calendar file to use instead of the built-in `termijnenwet` calendar.
        #[arg(long, env = "GASTVRIJ_CALENDAR", value_name = "FILE", num_args = 0..=1, default_missing_value = "")]
        calendar: Option<String>,
        /// Anything clap does not recognise, reported by `execute` as one line.
        #[arg(hide = true, allow_hyphen_values = true, trailing_var_arg = true, num_args = 0..)]
        unknown: Vec<String>,
    },
}

/// Input the command cannot use: the message names the flag and the fix (one line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

fn usage(message: impl Into<String>) -> UsageError {
    UsageError(message.into().replace(['\n', '\r'], " "))
}

fn domain(flag: &str, e: CalendarError) -> UsageError {
    let text = e.to_string();
    if text.starts_with(flag) { usage(text) } else { usage(format!("{flag}: {text}")) }
}

/// Runs the command: prints the result on stdout, or one line on stderr and exits with 2.
pub fn run(cmd: CalendarCommand) -> anyhow::Result<()> {
    crate::print_or_exit_2(execute(&cmd))
}

/// Computes the output of a command (ending in a newline) without printing anything.
pub fn execute(cmd: &CalendarCommand) -> Result<String, UsageError> {
    match cmd {
        CalendarCommand::Holidays { year, calendar, unknown } => {
            reject_unknown("holidays", unknown, &["--year", "--calendar"])?;
            let year = parse_year(year.as_deref())?;
            let cal = load_calendar(calendar.as_deref())?;
            let mut out = String::new();
            for h in cal.holidays(year).map_err(|e| domain("--year", e))? {
                if h.closes_office {
                    out.push_str(&format!("{} {}\n", h.date, h.name));
                }
            }
            Ok(out)
        }
        CalendarCommand::Deadline {
            start,
            working_days,
            weeks,
            calendar_days,
            business_hours,
            business_minutes,
            clock_hours,
            calendar,
            unknown,
        } => {
            reject_unknown("deadline", unknown, &DEADLINE_FLAGS)?;
            let given: Vec<(&str, &String)> = [
                ("--working-days", working_days),
                ("--weeks", weeks),
                ("--calendar-days", calendar_days),
                ("--business-hours", business_hours),
                ("--business-minutes", business_minutes),
                ("--clock-hours", clock_hours),
            ]
            .into_iter()
            .filter_map(|(flag, v)| v.as_ref().map(|v| (flag, v)))
            .collect();
            let (flag, value) = match given.as_slice() {
                [one] => *one,
                [] => {
                    return Err(usage(
                        "give one duration: --working-days, --weeks, --calendar-days, --business-hours, \
                         --business-minutes or --clock-hours, e.g. --working-days 3",
                    ));
                }
                many => {
                    let flags: Vec<&str> = many.iter().map(|(f, _)| *f).collect();
                    return Err(usage(format!(
                        "{} cannot be combined; give exactly one duration flag",
                        flags.join(" and ")
                    )));
                }
            };
            let n = parse_count(flag, value)?;
            let start = start.as_deref().filter(|s| !s.trim().is_empty()).ok_or_else(|| {
                usage(
                    "--start is missing; pass a date such as 2026-04-02, or a moment such as 2026-04-02T16:30:00+02:00",
                )
            })?;
            let cal = load_calendar(calendar.as_deref())?;
            let line = match flag {
                "--working-days" | "--weeks" | "--calendar-days" => {
                    let date = parse_start_date(&cal, start, flag)?;
                    let due = match flag {
                        "--working-days" => cal.add_working_days(date, n),
                        "--weeks" => cal.add_weeks(date, n),
                        _ => cal.add_calendar_days(date, n),
                    };
                    due.map_err(|e| domain(flag, e))?.to_string()
                }
                _ => {
                    let at = parse_start_moment(start, flag)?;
                    let end = match flag {
                        "--business-hours" => cal.add_business_hours(at, n),
                        "--business-minutes" => cal.add_business_minutes(at, n),
                        _ => at
                            .checked_add(SignedDuration::from_hours(i64::from(n)))
                            .map_err(|e| CalendarError::OutOfRange { what: format!("{at} + {n} hours ({e})") }),
                    };
                    cal.format_moment(end.map_err(|e| domain(flag, e))?)
                }
            };
            Ok(format!("{line}\n"))
        }
    }
}

const DEADLINE_FLAGS: [&str; 8] = [
    "--start",
    "--working-days",
    "--weeks",
    "--calendar-days",
    "--business-hours",
    "--business-minutes",
    "--clock-hours",
    "--calendar",
];

/// Unknown flags and stray values: one line naming the first and the likely fix.
fn reject_unknown(command: &str, unknown: &[String], flags: &[&str]) -> Result<(), UsageError> {
    let Some(first) = unknown.first() else { return Ok(()) };
    let help = format!("run `gastvrij calendar {command} --help` to see the flags");
    if !first.starts_with('-') {
        return Err(usage(format!(
            "unexpected argument `{first}`; a value goes right after its flag, e.g. --weeks 6; {help}"
        )));
    }
    let name = first.split('=').next().unwrap_or(first);
    let closest = flags.iter().min_by_key(|f| edit_distance(name, f)).filter(|f| edit_distance(name, f) <= 4);
    Err(usage(match closest {
        Some(f) => format!("unknown flag {name}; did you mean {f}? {help}"),
        None => format!("unknown flag {name}; {help}"),
    }))
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cur = row[j + 1];
            row[j + 1] = (prev + usize::from(ca != *cb)).min(row[j] + 1).min(cur + 1);
            prev = cur;
        }
    }
    row[b.len()]
}

fn parse_year(year: Option<&str>) -> Result<i16, UsageError> {
    let year = year
        .filter(|y| !y.trim().is_empty())
        .ok_or_else(|| usage("--year is missing; pass a year such as --year 2026"))?;
    let n: i64 = year
        .trim()
        .parse()
        .map_err(|_| usage(format!("--year: `{year}` is not a year; pass a whole number such as 2026")))?;
    i16::try_from(n)
        .ok()
        .filter(|y| (MIN_YEAR..=MAX_YEAR).contains(y))
        .ok_or_else(|| usage(format!("--year {n} is outside {MIN_YEAR}-{MAX_YEAR}; pass a year such as 2026")))
}

fn parse_count(flag: &str, value: &str) -> Result<u32, UsageError> {
    if value.trim().is_empty() {
        return Err(usage(format!("{flag} needs a number; pass e.g. {flag} 3")));
    }
    let n: i64 = value
        .trim()
        .parse()
        .map_err(|_| usage(format!("{flag}: `{value}` is not a whole number; pass a number such as 3")))?;
    if n < 0 {
        return Err(usage(format!("{flag} is {n}, but must be 0 or more; pass a number such as 3")));
    }
    u32::try_from(n).map_err(|_| usage(format!("{flag} {n} is too large; use at most {}", u32::MAX)))
}

fn looks_like_date(s: &str) -> bool {
    let b = s.trim().as_bytes();
    b.len() == 10 && b[4] == b'-' && b[7] == b'-'
}

/// A date, or the local date of a moment in the calendar's zone.
fn parse_start_date(cal: &Calendar, start: &str, flag: &str) -> Result<Date, UsageError> {
    let s = start.trim();
    if looks_like_date(s) {
        return parse_date("--start", s).map_err(|e| usage(e.to_string()));
    }
    if !s.as_bytes().get(10).is_some_and(|b| matches!(b, b'T' | b't' | b' ')) {
        return Err(usage(format!(
            "--start: `{s}` is not a date; write it as YYYY-MM-DD, e.g. 2026-04-02 (or a moment such as 2026-04-02T16:30:00+02:00)"
        )));
    }
    parse_start_moment(s, flag).map(|at| cal.date_of(at))
}

fn parse_start_moment(start: &str, flag: &str) -> Result<Timestamp, UsageError> {
    let s = start.trim();
    if looks_like_date(s) {
        parse_date("--start", s).map_err(|e| usage(e.to_string()))?;
        return Err(usage(format!("--start {s} is a date, but {flag} needs a moment; pass e.g. {s}T16:30:00+02:00")));
    }
    if s.as_bytes().get(10).is_some_and(|b| matches!(b, b'T' | b't' | b' ')) && s.is_char_boundary(10) {
        parse_date("--start", &s[..10]).map_err(|e| usage(e.to_string()))?;
    }
    s.parse::<Timestamp>().map_err(|_| {
        usage(format!(
            "--start: `{s}` is not a moment; write it as RFC 3339 with an offset, e.g. 2026-04-02T16:30:00+02:00 (or …Z for UTC)"
        ))
    })
}

fn load_calendar(path: Option<&str>) -> Result<Calendar, UsageError> {
    let Some(path) = path.map(Path::new) else { return Ok(Calendar::termijnenwet()) };
    if path.as_os_str().is_empty() {
        return Err(usage("--calendar needs a file; pass e.g. --calendar calendars/waterschap-kantoor.toml"));
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        usage(format!(
            "--calendar: cannot read `{}`: {e}; pass the path of a TOML calendar file, e.g. calendars/waterschap-kantoor.toml",
            path.display()
        ))
    })?;
    let dir = path.parent().unwrap_or(Path::new(".")).to_path_buf();
    let origin = path.display().to_string();
    Calendar::from_toml(&text, &origin, &mut |rel: &str| {
        std::fs::read_to_string(dir.join(rel)).map_err(|e| e.to_string())
    })
    .map_err(|e| domain("--calendar", e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn deadline(start: &str, flag: &str, n: &str) -> Result<String, UsageError> {
        let mut cmd = CalendarCommand::Deadline {
            start: Some(start.to_string()),
            working_days: None,
            weeks: None,
            calendar_days: None,
            business_hours: None,
            business_minutes: None,
            clock_hours: None,
            calendar: None,
            unknown: Vec::new(),
        };
        if let CalendarCommand::Deadline {
            working_days,
            weeks,
            calendar_days,
            business_hours,
            business_minutes,
            clock_hours,
            ..
        } = &mut cmd
        {
            let slot = match flag {
                "working-days" => working_days,
                "weeks" => weeks,
                "calendar-days" => calendar_days,
                "business-hours" => business_hours,
                "business-minutes" => business_minutes,
                _ => clock_hours,
            };
            *slot = Some(n.to_string());
        }
        execute(&cmd)
    }

    #[test]
    fn holidays_of_2026_are_listed_by_date() {
        let out =
            execute(&CalendarCommand::Holidays { year: Some("2026".into()), calendar: None, unknown: Vec::new() })
                .unwrap();
        assert!(out.starts_with("2026-01-01 Nieuwjaarsdag\n2026-04-03 Goede Vrijdag\n"), "{out}");
        assert_eq!(out.lines().count(), 9);
    }

    #[test]
    fn deadlines_follow_the_contract() {
        assert_eq!(deadline("2026-04-02", "working-days", "3").unwrap(), "2026-04-09\n");
        assert_eq!(deadline("2026-04-02", "weeks", "6").unwrap(), "2026-05-15\n");
        assert_eq!(
            deadline("2026-04-02T16:30:00+02:00", "business-hours", "4").unwrap(),
            "2026-04-07T11:30:00+02:00\n"
        );
    }

    #[test]
    fn bad_input_names_the_flag_and_the_fix() {
        let e = deadline("2026-04-02", "working-days", "-3").unwrap_err().0;
        assert!(e.starts_with("--working-days is -3, but must be 0 or more"), "{e}");
        let e = deadline("2026-02-30", "working-days", "3").unwrap_err().0;
        assert!(e.contains("--start") && e.contains("February 2026 has 28 days"), "{e}");
        let e = deadline("2026-04-02", "business-hours", "4").unwrap_err().0;
        assert!(e.contains("needs a moment"), "{e}");
        let e = deadline("2026/04/02", "weeks", "6").unwrap_err().0;
        assert!(e.starts_with("--start: `2026/04/02` is not a date; write it as YYYY-MM-DD"), "{e}");
        let e = deadline("2026-02-30T10:00:00+01:00", "weeks", "6").unwrap_err().0;
        assert!(e.contains("February 2026 has 28 days"), "{e}");
        assert_eq!(deadline("2026-04-02T23:30:00Z", "working-days", "0").unwrap(), "2026-04-03\n");
        let e = execute(&CalendarCommand::Holidays { year: None, calendar: None, unknown: Vec::new() }).unwrap_err().0;
        assert!(e.contains("--year"), "{e}");
    }
}
