//! `gastvrij telephony import FILE.csv`: calls from a call-centre export.

use crate::db::{self, DbArgs};
use anyhow::{Context, bail};
use clap::Subcommand;
use gastvrij_app::Principal;
use gastvrij_domain::telephony::{Call, CallInput, CallOutcome};
use gastvrij_store::OpenMode;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum TelephonyCommand {
    /// Import calls from a CSV export (comma or semicolon separated, with a header row naming
    /// call_id, offered_at, outcome, waiting_seconds and optionally agent — or the Dutch
    /// gesprek_id, tijdstip, uitkomst, wachttijd, medewerker). Times are RFC 3339, or
    /// "YYYY-MM-DD HH:MM[:SS]" in Dutch time. A bad line is reported with its number and skipped.
    Import {
        /// The CSV file.
        file: PathBuf,
        #[command(flatten)]
        db: DbArgs,
    },
}

pub async fn run(command: TelephonyCommand) -> anyhow::Result<()> {
    match command {
        TelephonyCommand::Import { file, db } => import(&file, &db).await,
    }
}

/// Split one CSV line: double quotes around a field allow the separator inside ("" is a quote).
fn fields(line: &str, sep: char) -> Vec<String> {
    let mut out = vec![];
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            c if c == sep && !quoted => out.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    out.push(field);
    out.into_iter().map(|f| f.trim().to_string()).collect()
}

fn column(header: &[String], names: &[&str]) -> Option<usize> {
    header.iter().position(|h| names.contains(&h.to_lowercase().as_str()))
}

fn moment(text: &str) -> Result<jiff::Timestamp, String> {
    if let Ok(t) = text.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    let civil: jiff::civil::DateTime = text.replace(' ', "T").parse().map_err(|_| {
        format!("offered_at '{text}' is not a time; write 2026-03-02T09:15:00+01:00 or 2026-03-02 09:15")
    })?;
    civil.in_tz("Europe/Amsterdam").map(|z| z.timestamp()).map_err(|e| format!("offered_at '{text}': {e}"))
}

async fn import(file: &PathBuf, args: &DbArgs) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(file).with_context(|| format!("cannot read {}; give the path of a .csv file", file.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{} is not UTF-8; save the export as UTF-8", file.display()))?;
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let Some((_, header_line)) = lines.next() else {
        bail!("{} is empty; expected a header row and calls", file.display())
    };
    let header_line = header_line.trim_start_matches('\u{feff}');
    let sep = if header_line.matches(';').count() > header_line.matches(',').count() { ';' } else { ',' };
    let header = fields(header_line, sep);
    let need = |names: &[&str], what: &str| {
        column(&header, names)
            .with_context(|| format!("the header has no {what} column; name it {}", names.join(" or ")))
    };
    let id_col = need(&["call_id", "gesprek_id", "id"], "call id")?;
    let at_col = need(&["offered_at", "tijdstip", "start"], "time")?;
    let outcome_col = need(&["outcome", "uitkomst", "status"], "outcome")?;
    let wait_col = need(&["waiting_seconds", "wachttijd", "wait"], "waiting time")?;
    let agent_col = column(&header, &["agent", "medewerker"]);

    let app = db::app(args.open(OpenMode::MustExist).await?);
    let who = Principal::operator();
    let (mut stored, mut failed, mut total) = (0u64, 0u64, 0u64);
    let mut batch: Vec<CallInput> = Vec::new();
    for (index, line) in lines {
        total += 1;
        let number = index + 1;
        let f = fields(line, sep);
        let get = |i: usize| f.get(i).map(String::as_str).unwrap_or("");
        let parsed = (|| -> Result<CallInput, String> {
            let outcome = CallOutcome::parse_loose(get(outcome_col)).map_err(|e| e.to_string())?;
            let waiting_seconds = match get(wait_col) {
                "" => None,
                w => Some(
                    w.parse::<u32>().map_err(|_| format!("waiting_seconds '{w}' is not a whole number of seconds"))?,
                ),
            };
            let input = CallInput {
                call_id: get(id_col).to_string(),
                offered_at: moment(get(at_col))?,
                outcome,
                waiting_seconds,
                agent: agent_col.map(|i| get(i).to_string()).filter(|a| !a.is_empty()),
                contact_id: None,
            };
            Call::create(input.clone()).map_err(|e| e.to_string())?;
            Ok(input)
        })();
        match parsed {
            Ok(input) => batch.push(input),
            Err(message) => {
                failed += 1;
                eprintln!("line {number}: {message}; skipped");
            }
        }
        if batch.len() == 500 {
            stored += app.record_calls(&who, std::mem::take(&mut batch)).await?;
        }
    }
    if !batch.is_empty() {
        stored += app.record_calls(&who, batch).await?;
    }
    eprintln!("imported {stored} calls; {failed} lines failed");
    if failed > 0 {
        bail!("{failed} of {total} lines were not imported (see above); fix them and import the file again");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_allow_quotes_and_either_separator() {
        assert_eq!(fields(r#"a;"b;c";"say ""hi""""#, ';'), vec!["a", "b;c", r#"say "hi""#]);
        assert_eq!(fields("x, y ,z", ','), vec!["x", "y", "z"]);
        assert_eq!(moment("2026-03-02 09:15").unwrap().to_string(), "2026-03-02T08:15:00Z");
        assert!(moment("gisteren").unwrap_err().contains("offered_at"));
    }
}
