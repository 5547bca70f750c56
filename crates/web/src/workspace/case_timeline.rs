//! The case page's timeline: everything that happened to a case, oldest first — status changes,
//! deadline recalculations, notes, messages both ways, a klacht's hearing and the mails queued
//! for it with the text that was sent (addresses masked), and the letters printed.

use crate::portal::{dutch_date, dutch_moment};
use gastvrij_app::case_work::CaseFile;
use gastvrij_domain::complaint::HearingOutcome;
use gastvrij_domain::ids::EmployeeId;
use gastvrij_domain::mail::mask_address;
use gastvrij_domain::portal::dutch_day;
use jiff::{SignedDuration, Timestamp};

/// One line of the timeline.
pub struct Line {
    pub when: String,
    pub what: String,
    /// The text that goes with it (a note, a message, a reason), shown with its line breaks.
    pub text: Option<String>,
}

/// The lines of `file` in time order; `name_of` names an employee.
pub fn timeline(file: &CaseFile, tz: &jiff::tz::TimeZone, name_of: &dyn Fn(EmployeeId) -> Option<String>) -> Vec<Line> {
    let by = |who: Option<EmployeeId>| who.and_then(name_of).map(|n| format!(" door {n}")).unwrap_or_default();
    let case = &file.case;
    let mut lines: Vec<(Timestamp, String, Option<String>)> = vec![];
    for h in &case.history {
        lines.push((h.at, format!("Status {}{}", h.status.label().to_lowercase(), by(h.by)), h.reason.clone()));
    }
    for r in &case.timing.recalculations {
        let last_day = dutch_date(r.deadlines.service_norm - SignedDuration::from_secs(1), tz);
        lines.push((r.at, format!("Termijn berekend: {}", r.reason), Some(format!("Reactie uiterlijk {last_day}"))));
    }
    for n in &case.notes {
        lines.push((n.at, format!("Notitie{}", by(n.author)), Some(n.text.clone())));
    }
    if let Some(record) = &file.submission {
        for m in &record.messages {
            let what = if m.from_citizen {
                "Bericht van de melder".to_string()
            } else {
                format!("Bericht aan de melder{}", by(m.author_id))
            };
            lines.push((m.at, what, Some(m.text.clone())));
        }
    }
    for t in &file.tasks {
        lines.push((t.asked_at, format!("Vraag aan een ander team{}", by(t.asked_by)), Some(t.question.clone())));
        if let (Some(at), Some(answer)) = (t.answered_at, &t.answer) {
            lines.push((at, format!("Antwoord van het andere team{}", by(t.answered_by)), Some(answer.clone())));
        }
    }
    if let Some(c) = &case.complaint {
        if let Some(o) = &c.hearing.offered {
            lines.push((o.at, format!("Hoorzitting aangeboden{}", by(o.by)), Some(format!("Op {}", dutch_day(o.on)))));
        }
        if let Some(h) = &c.hearing.settled {
            let (what, text) = match &h.outcome {
                HearingOutcome::Held { on, notes } => {
                    (format!("Hoorzitting gehouden op {}", dutch_day(*on)), Some(notes.clone()))
                }
                HearingOutcome::NotHeld { reason } => (format!("Geen hoorzitting: {}", reason.label()), None),
            };
            lines.push((h.at, format!("{what}{}", by(h.by)), text));
        }
    }
    for l in &file.letters {
        let what = format!("Brief afgedrukt{}: {}", by(l.printed_by), l.subject);
        lines.push((l.printed_at, what, Some(l.body.clone())));
    }
    for m in &file.mails {
        let what = format!("E-mail aan {}: {} ({})", mask_address(m.to.as_str()), m.subject, m.status.label());
        lines.push((m.created_at, what, Some(m.body.clone())));
    }
    lines.sort_by_key(|(at, _, _)| *at);
    lines.into_iter().map(|(at, what, text)| Line { when: dutch_moment(at, tz), what, text }).collect()
}
