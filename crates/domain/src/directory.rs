//! The expertise directory (wie weet wat): who knows about what, how to reach them, and whether
//! they are available today, so the KCC reaches the right person while the caller waits.

use crate::ids::EmployeeId;
use crate::text;
use crate::{Format, Invalid, InvalidKind};
use jiff::Timestamp;
use serde::{Deserialize, Serialize};

/// Today's availability of an employee.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Availability {
    #[default]
    Present,
    Absent,
    InMeeting,
}

impl Availability {
    pub const ALL: [Availability; 3] = [Availability::Present, Availability::Absent, Availability::InMeeting];

    pub fn code(self) -> &'static str {
        match self {
            Availability::Present => "present",
            Availability::Absent => "absent",
            Availability::InMeeting => "in_meeting",
        }
    }

    /// As shown to staff.
    pub fn label(self) -> &'static str {
        match self {
            Availability::Present => "aanwezig",
            Availability::Absent => "afwezig",
            Availability::InMeeting => "in overleg",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|a| a.code() == code).ok_or_else(|| {
            let allowed = Self::ALL.iter().map(|a| a.code().to_string()).collect();
            Invalid::new("availability", InvalidKind::Unknown { given: code.to_string(), allowed })
        })
    }
}

/// One employee's line in the directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DirectoryEntry {
    pub employee_id: EmployeeId,
    /// What this person knows about, in the words colleagues search for.
    pub expertise: Vec<String>,
    pub availability: Availability,
    /// Until when the availability holds today, e.g. "14:30".
    pub until: Option<String>,
    pub note: Option<String>,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

/// The editable part of a directory entry.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DirectoryInput {
    #[serde(default)]
    pub expertise: Vec<String>,
    #[serde(default)]
    pub availability: Availability,
    #[serde(default)]
    pub until: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl DirectoryEntry {
    pub fn create(employee_id: EmployeeId, input: DirectoryInput, now: Timestamp) -> Result<Self, Invalid> {
        let mut expertise = Vec::new();
        for e in &input.expertise {
            if let Some(e) = text::optional("expertise", Some(e), text::limits::NAME)?
                && !expertise.contains(&e)
            {
                expertise.push(e);
            }
        }
        if expertise.len() > 50 {
            return Err(Invalid::new("expertise", InvalidKind::TooMany { max: 50 }));
        }
        let until = match text::optional("until", input.until.as_deref(), 5)? {
            None => None,
            Some(t) => {
                let bad = || Invalid::malformed("until", &t, Format::TimeOfDay);
                let (h, m) = t.split_once([':', '.']).ok_or_else(bad)?;
                let (h, m): (u8, u8) = (h.parse().map_err(|_| bad())?, m.parse().map_err(|_| bad())?);
                if h > 23 || m > 59 || t.len() < 4 {
                    return Err(bad());
                }
                Some(format!("{h:02}:{m:02}"))
            }
        };
        if until.is_some() && input.availability == Availability::Present {
            return Err(Invalid::new("until", InvalidKind::NotApplicable));
        }
        Ok(DirectoryEntry {
            employee_id,
            expertise,
            availability: input.availability,
            until,
            note: text::optional("note", input.note.as_deref(), text::limits::SHORT)?,
            updated_at: now,
        })
    }

    /// "in overleg tot 14:30", "afwezig", "aanwezig".
    pub fn describe(&self) -> String {
        match &self.until {
            Some(until) => format!("{} tot {until}", self.availability.label()),
            None => self.availability.label().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(availability: Availability, until: Option<&str>) -> DirectoryInput {
        DirectoryInput {
            expertise: vec!["kwijtschelding".into(), " ".into(), "kwijtschelding".into(), "peilbeheer".into()],
            availability,
            until: until.map(String::from),
            note: None,
        }
    }

    #[test]
    fn entries_keep_unique_subjects_and_describe_availability() {
        let e = DirectoryEntry::create(
            EmployeeId::new(),
            input(Availability::InMeeting, Some("9:05")),
            Timestamp::UNIX_EPOCH,
        )
        .unwrap();
        assert_eq!(e.expertise, vec!["kwijtschelding", "peilbeheer"]);
        assert_eq!(e.describe(), "in overleg tot 09:05");
    }

    #[test]
    fn a_bad_time_or_a_time_while_present_is_refused() {
        let bad = DirectoryEntry::create(
            EmployeeId::new(),
            input(Availability::Absent, Some("25:00")),
            Timestamp::UNIX_EPOCH,
        );
        assert_eq!(bad.unwrap_err().field, "until");
        let present = DirectoryEntry::create(
            EmployeeId::new(),
            input(Availability::Present, Some("10:00")),
            Timestamp::UNIX_EPOCH,
        );
        assert_eq!(present.unwrap_err().field, "until");
        assert_eq!(Availability::parse("weg").unwrap_err().field, "availability");
    }
}
