//! A small, tolerant iCalendar (RFC 5545) reader for closed days.
//!
//! It reads the `VEVENT`s of a file: `DTSTART`, `DTEND` or `DURATION`, `SUMMARY`, `RRULE`
//! (`FREQ=YEARLY` with `INTERVAL`, `COUNT`, `UNTIL`, and `BYMONTH`/`BYMONTHDAY` when they
//! repeat the start date), `EXDATE` and `STATUS:CANCELLED`. Lines may end in CRLF or LF and may
//! be folded (a continuation line starts with a space or tab). Other properties and components
//! (`VTIMEZONE`, `VALARM`, `X-…`) are skipped. Errors name the line.

use jiff::civil::{Date, DateTime, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::CalendarError;
use super::civil::{checked_date, date_from_day_number, day_number};

/// A start or end in an iCalendar file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IcsTime {
    /// A whole day (`VALUE=DATE`).
    Date(Date),
    /// A local time without zone, or with a `TZID` that is not an IANA name (such as Outlook's
    /// "W. Europe Standard Time"): read in the calendar's time zone.
    Floating(DateTime),
    /// A UTC time (`…Z`) or a local time with an IANA `TZID`.
    Instant(Timestamp),
}

/// `RRULE:FREQ=YEARLY` with its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct YearlyRecurrence {
    /// Every `interval` years (1 = every year).
    pub interval: u16,
    /// At most this many occurrences, the first included.
    pub count: Option<u32>,
    /// No occurrence starts after this date.
    pub until: Option<Date>,
}

/// One event of an iCalendar file: the office is closed from `start` up to (not including) `end`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IcsEvent {
    /// `SUMMARY`, unescaped ("Gesloten" when absent).
    pub summary: String,
    /// `DTSTART`.
    pub start: IcsTime,
    /// `DTEND`, or `DTSTART` + `DURATION`, or the next day for a whole-day event: exclusive.
    pub end: IcsTime,
    /// `RRULE:FREQ=YEARLY…`.
    pub yearly: Option<YearlyRecurrence>,
    /// `EXDATE`s: the start dates of skipped occurrences.
    pub excluded: Vec<Date>,
    /// The line of `BEGIN:VEVENT`.
    pub line: usize,
}

struct Line<'a> {
    name: String,
    params: Vec<(String, String)>,
    value: &'a str,
}

impl Line<'_> {
    fn param(&self, key: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k.eq_ignore_ascii_case(key)).map(|(_, v)| v.as_str())
    }
}

/// Unfolds physical lines into logical lines, each with the number of its first physical line.
fn unfold(text: &str) -> Vec<(usize, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut out: Vec<(usize, String)> = Vec::new();
    for (i, raw) in text.split('\n').enumerate() {
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if let Some(rest) = raw.strip_prefix([' ', '\t'])
            && let Some((_, last)) = out.last_mut()
        {
            last.push_str(rest);
            continue;
        }
        out.push((i + 1, raw.to_string()));
    }
    out
}

fn split_line(line: &str) -> Result<Line<'_>, String> {
    // The name runs to the first ';' or ':'; parameters to the first ':' outside quotes.
    let mut in_quotes = false;
    let mut colon = None;
    for (i, c) in line.char_indices() {
        match c {
            '"' => in_quotes = !in_quotes,
            ':' if !in_quotes => {
                colon = Some(i);
                break;
            }
            _ => {}
        }
    }
    let Some(colon) = colon else {
        return Err(format!("expected NAME:VALUE, found `{}`; check that the line is not cut off", shorten(line)));
    };
    let head = &line[..colon];
    let mut parts = head.split(';');
    let name = parts.next().unwrap_or_default().trim().to_ascii_uppercase();
    if name.is_empty() {
        return Err(format!("`{}` has no property name before the colon", shorten(line)));
    }
    let mut params = Vec::new();
    for p in parts {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        params.push((k.trim().to_ascii_uppercase(), v.trim().trim_matches('"').to_string()));
    }
    Ok(Line { name, params, value: &line[colon + 1..] })
}

fn shorten(s: &str) -> String {
    if s.chars().count() > 60 { format!("{}…", s.chars().take(60).collect::<String>()) } else { s.to_string() }
}

fn unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n' | 'N') => out.push(' '),
                Some(other) => out.push(other),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parses `YYYYMMDD`.
fn parse_ics_date(s: &str) -> Result<Date, String> {
    let s = s.trim();
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{s}` is not a date; write it as YYYYMMDD, e.g. 20261224"));
    }
    let n = |r: std::ops::Range<usize>| s[r].parse::<i32>().unwrap_or(0);
    checked_date(n(0..4), n(4..6), n(6..8)).map_err(|reason| format!("`{s}` is not an existing date ({reason})"))
}

/// Parses a DATE or DATE-TIME value of a property line.
fn parse_time(line: &Line<'_>) -> Result<IcsTime, String> {
    let value = line.value.trim();
    let value = value.split(',').next().unwrap_or(value).trim();
    parse_time_value(line, value)
}

fn parse_time_value(line: &Line<'_>, value: &str) -> Result<IcsTime, String> {
    let is_date = line.param("VALUE").is_some_and(|v| v.eq_ignore_ascii_case("DATE")) || value.len() == 8;
    if is_date {
        return parse_ics_date(value).map(IcsTime::Date);
    }
    let fix = "write it as YYYYMMDDTHHMMSS (local), YYYYMMDDTHHMMSSZ (UTC) or VALUE=DATE:YYYYMMDD";
    let (date, rest) = value.split_once(['T', 't']).ok_or_else(|| format!("`{value}` is not a date-time; {fix}"))?;
    let date = parse_ics_date(date)?;
    let (time, utc) = match rest.strip_suffix(['Z', 'z']) {
        Some(t) => (t, true),
        None => (rest, false),
    };
    if time.len() != 6 || !time.bytes().all(|b| b.is_ascii_digit()) {
        return Err(format!("`{value}` is not a date-time; {fix}"));
    }
    let n = |r: std::ops::Range<usize>| time[r].parse::<i8>().unwrap_or(-1);
    let t = Time::new(n(0..2), n(2..4), n(4..6).min(59), 0)
        .map_err(|_| format!("`{value}` has no valid time of day; {fix}"))?;
    let dt = date.to_datetime(t);
    if utc {
        return TimeZone::UTC.to_timestamp(dt).map(IcsTime::Instant).map_err(|e| e.to_string());
    }
    match line.param("TZID").map(|z| TimeZone::get(z.trim_start_matches('/'))) {
        Some(Ok(tz)) => tz
            .to_ambiguous_timestamp(dt)
            .compatible()
            .map(IcsTime::Instant)
            .map_err(|e| format!("`{value}` cannot be placed in its time zone: {e}")),
        // No zone, or a zone name that is not in the IANA database: the calendar's zone.
        _ => Ok(IcsTime::Floating(dt)),
    }
}

/// Parses an RFC 5545 duration such as `P1D`, `P2W`, `PT4H30M`.
fn parse_duration(value: &str) -> Result<SignedDuration, String> {
    let fix = "write it like P1D, P2W or PT4H30M";
    let v = value.trim();
    let v = v.strip_prefix('+').unwrap_or(v);
    if v.starts_with('-') {
        return Err(format!("DURATION `{value}` is negative; events must end after they start"));
    }
    let body = v.strip_prefix(['P', 'p']).ok_or_else(|| format!("`{value}` is not a duration; {fix}"))?;
    let mut secs: i64 = 0;
    let mut num = String::new();
    let mut in_time = false;
    let mut any = false;
    for c in body.chars() {
        match c.to_ascii_uppercase() {
            '0'..='9' => num.push(c),
            'T' if num.is_empty() => in_time = true,
            unit => {
                let n: i64 = num.parse().map_err(|_| format!("`{value}` is not a duration; {fix}"))?;
                num.clear();
                any = true;
                secs += n * match (unit, in_time) {
                    ('W', false) => 7 * 86_400,
                    ('D', false) => 86_400,
                    ('H', true) => 3600,
                    ('M', true) => 60,
                    ('S', true) => 1,
                    _ => return Err(format!("`{value}` is not a duration; {fix}")),
                };
            }
        }
    }
    if !num.is_empty() || !any {
        return Err(format!("`{value}` is not a duration; {fix}"));
    }
    Ok(SignedDuration::from_secs(secs))
}

fn parse_rrule(value: &str) -> Result<(YearlyRecurrence, Option<i8>, Option<i8>), String> {
    let mut freq = None;
    let mut rule = YearlyRecurrence { interval: 1, count: None, until: None };
    let (mut by_month, mut by_month_day) = (None, None);
    for part in value.split(';').filter(|p| !p.trim().is_empty()) {
        let (k, v) = part.split_once('=').ok_or_else(|| format!("RRULE part `{part}` has no `=`"))?;
        let v = v.trim();
        let number = |what: &str| -> Result<u32, String> {
            v.parse::<u32>()
                .ok()
                .filter(|n| *n >= 1)
                .ok_or_else(|| format!("RRULE {what}=`{v}` must be a whole number of 1 or more"))
        };
        match k.trim().to_ascii_uppercase().as_str() {
            "FREQ" => freq = Some(v.to_ascii_uppercase()),
            "INTERVAL" => {
                rule.interval =
                    u16::try_from(number("INTERVAL")?).map_err(|_| "RRULE INTERVAL is too large".to_string())?
            }
            "COUNT" => rule.count = Some(number("COUNT")?),
            "UNTIL" => rule.until = Some(parse_ics_date(v.get(..8).unwrap_or(v))?),
            "BYMONTH" => by_month = Some(v.parse::<i8>().map_err(|_| format!("RRULE BYMONTH=`{v}` is not one month"))?),
            "BYMONTHDAY" => {
                by_month_day = Some(v.parse::<i8>().map_err(|_| format!("RRULE BYMONTHDAY=`{v}` is not one day"))?)
            }
            "WKST" => {}
            other => {
                return Err(format!(
                    "RRULE part {other} is not supported; use FREQ=YEARLY with INTERVAL, COUNT or UNTIL, \
                     or list the days as separate events"
                ));
            }
        }
    }
    match freq.as_deref() {
        Some("YEARLY") => Ok((rule, by_month, by_month_day)),
        Some(f) => Err(format!(
            "RRULE FREQ={f} is not supported; only FREQ=YEARLY (the same day every year) is; list other days as separate events"
        )),
        None => Err("RRULE has no FREQ; add FREQ=YEARLY".to_string()),
    }
}

#[derive(Default)]
struct Draft {
    line: usize,
    summary: Option<String>,
    start: Option<(usize, IcsTime)>,
    end: Option<(usize, IcsTime)>,
    duration: Option<(usize, SignedDuration)>,
    rrule: Option<(usize, YearlyRecurrence, Option<i8>, Option<i8>)>,
    excluded: Vec<Date>,
    cancelled: bool,
}

/// Parses the events of an iCalendar file. `origin` names the file in errors.
pub fn parse_ics(text: &str, origin: &str) -> Result<Vec<IcsEvent>, CalendarError> {
    let err = |line: usize, message: String| CalendarError::Ics { origin: origin.to_string(), line, message };
    let mut events = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut draft: Option<Draft> = None;
    let mut saw_calendar = false;
    for (number, text_line) in unfold(text) {
        if text_line.trim().is_empty() {
            continue;
        }
        let line = split_line(&text_line).map_err(|m| err(number, m))?;
        match line.name.as_str() {
            "BEGIN" => {
                let component = line.value.trim().to_ascii_uppercase();
                if component == "VCALENDAR" {
                    saw_calendar = true;
                }
                if component == "VEVENT" && stack.last().map(String::as_str) == Some("VCALENDAR") {
                    draft = Some(Draft { line: number, ..Draft::default() });
                }
                stack.push(component);
                continue;
            }
            "END" => {
                let component = line.value.trim().to_ascii_uppercase();
                match stack.pop() {
                    Some(open) if open == component => {}
                    Some(open) => {
                        return Err(err(
                            number,
                            format!("END:{component} closes BEGIN:{open}; add END:{open} before it"),
                        ));
                    }
                    None => return Err(err(number, format!("END:{component} without BEGIN:{component}"))),
                }
                if component == "VEVENT"
                    && stack.last().map(String::as_str) == Some("VCALENDAR")
                    && let Some(d) = draft.take()
                    && let Some(event) = finish(d).map_err(|(l, m)| err(l, m))?
                {
                    events.push(event);
                }
                continue;
            }
            _ => {}
        }
        if stack.is_empty() {
            return Err(err(number, format!("{} outside BEGIN:VCALENDAR … END:VCALENDAR", line.name)));
        }
        // Only properties directly inside a VEVENT matter.
        let (Some(d), Some("VEVENT")) = (draft.as_mut(), stack.last().map(String::as_str)) else { continue };
        match line.name.as_str() {
            "SUMMARY" => d.summary = Some(unescape(line.value)),
            "DTSTART" => d.start = Some((number, parse_time(&line).map_err(|m| err(number, format!("DTSTART: {m}")))?)),
            "DTEND" => d.end = Some((number, parse_time(&line).map_err(|m| err(number, format!("DTEND: {m}")))?)),
            "DURATION" => d.duration = Some((number, parse_duration(line.value).map_err(|m| err(number, m))?)),
            "RRULE" => {
                let (rule, m, day) = parse_rrule(line.value).map_err(|m| err(number, m))?;
                d.rrule = Some((number, rule, m, day));
            }
            "EXDATE" => {
                for v in line.value.split(',').filter(|v| !v.trim().is_empty()) {
                    let t = parse_time_value(&line, v.trim()).map_err(|m| err(number, format!("EXDATE: {m}")))?;
                    d.excluded.push(match t {
                        IcsTime::Date(date) => date,
                        IcsTime::Floating(dt) => dt.date(),
                        // Compared with the occurrence's start date in UTC; close enough for
                        // skipping a whole occurrence.
                        IcsTime::Instant(ts) => TimeZone::UTC.to_datetime(ts).date(),
                    });
                }
            }
            "STATUS" => d.cancelled = line.value.trim().eq_ignore_ascii_case("CANCELLED"),
            _ => {}
        }
    }
    if let Some(open) = stack.last() {
        return Err(err(text.lines().count().max(1), format!("BEGIN:{open} is not closed; add END:{open}")));
    }
    if !saw_calendar {
        return Err(err(1, "no BEGIN:VCALENDAR found; is this an iCalendar (.ics) file?".to_string()));
    }
    Ok(events)
}

fn finish(d: Draft) -> Result<Option<IcsEvent>, (usize, String)> {
    if d.cancelled {
        return Ok(None);
    }
    let Some((start_line, start)) = d.start else {
        return Err((d.line, "this VEVENT has no DTSTART; add e.g. DTSTART;VALUE=DATE:20261224".to_string()));
    };
    let end = match (d.end, d.duration, start) {
        (Some((line, end)), _, _) => {
            match (start, end) {
                (IcsTime::Date(s), IcsTime::Date(e)) if e < s => {
                    return Err((line, "DTEND is before DTSTART; DTEND is the first day after the event".to_string()));
                }
                // Tolerated: some programs write DTEND = DTSTART for a one-day event.
                (IcsTime::Date(s), IcsTime::Date(e)) if e == s => IcsTime::Date(next_day(s, line)?),
                (IcsTime::Date(_), IcsTime::Date(_)) => end,
                (IcsTime::Date(_), _) | (_, IcsTime::Date(_)) => {
                    return Err((
                        line,
                        "DTSTART and DTEND must both be dates (VALUE=DATE) or both date-times".to_string(),
                    ));
                }
                _ => end,
            }
        }
        (None, Some((line, dur)), IcsTime::Date(s)) => {
            let days = dur.as_secs() / 86_400;
            if dur.as_secs() % 86_400 != 0 {
                return Err((line, "a whole-day event needs a DURATION in days or weeks, such as P1D".to_string()));
            }
            let n = i32::try_from(days).map_err(|_| (line, "DURATION is too long".to_string()))?;
            IcsTime::Date(date_from_day_number(day_number(s) + n.max(1)).map_err(|e| (line, e.to_string()))?)
        }
        (None, Some((line, dur)), IcsTime::Floating(dt)) => {
            IcsTime::Floating(dt.checked_add(dur).map_err(|e| (line, format!("DURATION: {e}")))?)
        }
        (None, Some((line, dur)), IcsTime::Instant(ts)) => {
            IcsTime::Instant(ts.checked_add(dur).map_err(|e| (line, format!("DURATION: {e}")))?)
        }
        (None, None, IcsTime::Date(s)) => IcsTime::Date(next_day(s, start_line)?),
        (None, None, _) => {
            return Err((
                start_line,
                "DTSTART has a time but the event has no DTEND or DURATION; add DTEND, or write \
                 DTSTART;VALUE=DATE:YYYYMMDD for a whole day"
                    .to_string(),
            ));
        }
    };
    let duration_ok = match (start, end) {
        (IcsTime::Floating(s), IcsTime::Floating(e)) => e > s,
        (IcsTime::Instant(s), IcsTime::Instant(e)) => e > s,
        (IcsTime::Date(s), IcsTime::Date(e)) => e > s,
        // A floating start with a zoned end (or the reverse) is accepted as written.
        _ => true,
    };
    if !duration_ok {
        return Err((start_line, "the event ends before or when it starts; check DTEND or DURATION".to_string()));
    }
    let yearly = match d.rrule {
        None => None,
        Some((line, rule, by_month, by_day)) => {
            let start_date = match start {
                IcsTime::Date(s) => s,
                IcsTime::Floating(dt) => dt.date(),
                IcsTime::Instant(ts) => TimeZone::UTC.to_datetime(ts).date(),
            };
            if by_month.is_some_and(|m| m != start_date.month()) || by_day.is_some_and(|x| x != start_date.day()) {
                return Err((
                    line,
                    "RRULE BYMONTH/BYMONTHDAY must repeat the month and day of DTSTART; other patterns are not \
                     supported, list those days as separate events"
                        .to_string(),
                ));
            }
            Some(rule)
        }
    };
    Ok(Some(IcsEvent {
        summary: d.summary.filter(|s| !s.is_empty()).unwrap_or_else(|| "Gesloten".to_string()),
        start,
        end,
        yearly,
        excluded: d.excluded,
        line: d.line,
    }))
}

fn next_day(d: Date, line: usize) -> Result<Date, (usize, String)> {
    date_from_day_number(day_number(d) + 1).map_err(|e| (line, e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn folded_crlf_lines_are_joined() {
        let text = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Kerst\r\n sluiting\r\nDTSTART;VALUE=DATE:20261224\r\n\
                    DTEND;VALUE=DATE:20261227\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let events = parse_ics(text, "x.ics").unwrap();
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].summary, "Kerstsluiting");
        assert_eq!(events[0].start, IcsTime::Date(date(2026, 12, 24)));
        assert_eq!(events[0].end, IcsTime::Date(date(2026, 12, 27)));
    }

    #[test]
    fn durations_follow_rfc_5545() {
        assert_eq!(parse_duration("P1W").unwrap(), SignedDuration::from_hours(168));
        assert_eq!(parse_duration("PT4H30M").unwrap(), SignedDuration::from_mins(270));
        assert!(parse_duration("P1H").is_err());
        assert!(parse_duration("-P1D").is_err());
    }

    #[test]
    fn errors_name_the_line() {
        let text = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDTSTART;VALUE=DATE:20260230\nEND:VEVENT\nEND:VCALENDAR\n";
        let e = parse_ics(text, "x.ics").unwrap_err().to_string();
        assert!(e.starts_with("x.ics line 3: DTSTART"), "{e}");
        assert!(e.contains("February 2026 has 28 days"), "{e}");
    }
}
