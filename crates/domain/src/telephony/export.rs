//! Reading a call-centre export: CSV with a header row (comma or semicolon separated, fields in
//! double quotes may hold the separator, quotes and line breaks), English or Dutch column names.
//! Pure: bytes in, calls and per-line problems out, so it can be fuzzed and tested without files.

use super::{Call, CallInput, CallOutcome};

/// What is wrong with the file as a whole; nothing of it can be imported.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    #[error("the file is not UTF-8; save the export as UTF-8")]
    NotUtf8,
    #[error("the file is empty; expected a header row and calls")]
    Empty,
    #[error("the header has no {what} column; name it {names}")]
    MissingColumn { what: &'static str, names: String },
    #[error("the header row cannot be read: {0}")]
    Header(String),
}

/// One line that could not be read; the others are still imported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// The line in the file where the record starts (1 is the header).
    pub line: u64,
    /// What is wrong and how to fix it.
    pub message: String,
}

/// The calls read from an export, each with the line it starts on, and the lines that failed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportRead {
    pub calls: Vec<(u64, CallInput)>,
    pub errors: Vec<LineError>,
}

const ID: &[&str] = &["call_id", "gesprek_id", "id"];
const AT: &[&str] = &["offered_at", "tijdstip", "start"];
const OUTCOME: &[&str] = &["outcome", "uitkomst", "status"];
const WAIT: &[&str] = &["waiting_seconds", "wachttijd", "wait"];
const AGENT: &[&str] = &["agent", "medewerker"];

/// Read an export. Times are RFC 3339, or "YYYY-MM-DD HH:MM[:SS]" in Dutch time.
pub fn read_export(bytes: &[u8]) -> Result<ExportRead, ExportError> {
    let text = std::str::from_utf8(bytes).map_err(|_| ExportError::NotUtf8)?;
    let text = text.trim_start_matches('\u{feff}');
    let Some(header_line) = text.lines().find(|l| !l.trim().is_empty()) else {
        return Err(ExportError::Empty);
    };
    let separator = if header_line.matches(';').count() > header_line.matches(',').count() { b';' } else { b',' };
    let mut reader =
        csv::ReaderBuilder::new().delimiter(separator).flexible(true).trim(csv::Trim::All).from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| ExportError::Header(e.to_string()))?.clone();
    let column = |names: &[&str]| header.iter().position(|h| names.contains(&h.to_lowercase().as_str()));
    let need = |names: &'static [&'static str], what: &'static str| {
        column(names).ok_or_else(|| ExportError::MissingColumn { what, names: names.join(" or ") })
    };
    let (id, at, outcome, wait) =
        (need(ID, "call id")?, need(AT, "time")?, need(OUTCOME, "outcome")?, need(WAIT, "waiting time")?);
    let agent = column(AGENT);
    let mut read = ExportRead::default();
    let mut lines = LineCounter::new(text);
    for record in reader.records() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(0, |p| lines.line_at(p.byte()));
                read.errors.push(LineError { line, message: format!("cannot be read as CSV: {e}") });
                continue;
            }
        };
        let line = record.position().map_or(0, |p| lines.line_at(p.byte()));
        if record.iter().all(str::is_empty) {
            continue;
        }
        let get = |i: usize| record.get(i).unwrap_or("");
        let parsed = (|| -> Result<CallInput, String> {
            let outcome = CallOutcome::parse_loose(get(outcome)).map_err(|e| e.to_string())?;
            let waiting_seconds = match get(wait) {
                "" => None,
                w => Some(
                    w.parse::<u32>().map_err(|_| format!("waiting_seconds '{w}' is not a whole number of seconds"))?,
                ),
            };
            let input = CallInput {
                call_id: get(id).to_string(),
                offered_at: moment(get(at))?,
                outcome,
                waiting_seconds,
                agent: agent.map(|i| get(i).to_string()).filter(|a| !a.is_empty()),
                contact_id: None,
            };
            Call::create(input.clone()).map_err(|e| e.to_string())?;
            Ok(input)
        })();
        match parsed {
            Ok(input) => read.calls.push((line, input)),
            Err(message) => read.errors.push(LineError { line, message }),
        }
    }
    Ok(read)
}

/// The line (as an editor numbers it) of byte offsets that only move forward; the csv reader's own
/// line count skips blank lines.
struct LineCounter<'a> {
    text: &'a [u8],
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(text: &'a str) -> Self {
        Self { text: text.as_bytes(), byte: 0, line: 1 }
    }

    /// The line of the first character at or after `byte` that is not a line break (a record's
    /// position includes the blank lines the reader skipped before it).
    fn line_at(&mut self, byte: u64) -> u64 {
        let mut to = usize::try_from(byte).unwrap_or(usize::MAX).min(self.text.len());
        while to < self.text.len() && matches!(self.text[to], b'\n' | b'\r') {
            to += 1;
        }
        if to > self.byte {
            self.line += self.text[self.byte..to].iter().filter(|b| **b == b'\n').count() as u64;
            self.byte = to;
        }
        self.line
    }
}

/// A moment as exports write it: RFC 3339, or a civil time in Europe/Amsterdam.
fn moment(text: &str) -> Result<jiff::Timestamp, String> {
    if let Ok(t) = text.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    let civil: jiff::civil::DateTime = text.replace(' ', "T").parse().map_err(|_| {
        format!("offered_at '{text}' is not a time; write 2026-03-02T09:15:00+01:00 or 2026-03-02 09:15")
    })?;
    civil.in_tz("Europe/Amsterdam").map(|z| z.timestamp()).map_err(|e| format!("offered_at '{text}': {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_hold_separators_quotes_and_line_breaks() {
        let file = "\u{feff}gesprek_id;tijdstip;uitkomst;wachttijd;medewerker\n\
                    \"a;1\";2026-03-02 09:15;beantwoord;12;\"Jan \"\"JJ\"\" Jansen\"\n\
                    \n\
                    b2;2026-03-02T09:20:00+01:00;opgehangen;40;\"Piet\nPaulus\"\n";
        let read = read_export(file.as_bytes()).unwrap();
        assert!(read.errors.is_empty(), "{:?}", read.errors);
        let ids: Vec<_> = read.calls.iter().map(|(line, c)| (*line, c.call_id.as_str())).collect();
        assert_eq!(ids, vec![(2, "a;1"), (4, "b2")]);
        assert_eq!(read.calls[0].1.agent.as_deref(), Some("Jan \"JJ\" Jansen"));
        assert_eq!(read.calls[0].1.offered_at.to_string(), "2026-03-02T08:15:00Z");
        assert_eq!(read.calls[1].1.agent.as_deref(), Some("Piet\nPaulus"));
        assert_eq!(read.calls[1].1.outcome, CallOutcome::Abandoned);
    }

    #[test]
    fn a_bad_line_is_reported_with_its_number_and_the_rest_is_read() {
        let file = "call_id,offered_at,outcome,waiting_seconds\nx1,gisteren,answered,3\nx2,2026-03-02 10:00,answered,\
                    twaalf\nx3,2026-03-02 10:05,offered,\n";
        let read = read_export(file.as_bytes()).unwrap();
        assert_eq!(read.calls.len(), 1);
        assert_eq!(read.calls[0].1.call_id, "x3");
        let lines: Vec<_> = read.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![2, 3]);
        assert!(read.errors[0].message.contains("offered_at"), "{:?}", read.errors[0]);
        assert!(read.errors[1].message.contains("waiting_seconds"), "{:?}", read.errors[1]);
    }

    #[test]
    fn the_file_as_a_whole_is_refused_with_the_reason() {
        assert_eq!(read_export(b"\xff\xfe"), Err(ExportError::NotUtf8));
        assert_eq!(read_export(b"\n \n"), Err(ExportError::Empty));
        let missing = read_export(b"call_id,offered_at,waiting_seconds\n").unwrap_err();
        assert_eq!(missing.to_string(), "the header has no outcome column; name it outcome or uitkomst or status");
    }
}
