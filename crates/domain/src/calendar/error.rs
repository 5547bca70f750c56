//! Errors of the calendar module: each message names the field (or file and line) and says
//! how to fix it.

use super::civil::{MAX_YEAR, MIN_YEAR};

/// Why a calendar could not be built or a computation could not be done.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CalendarError {
    /// A count or duration below zero.
    #[error("{field} is {value}, but must be 0 or more; pass a whole number such as 5")]
    Negative {
        /// The field, flag or parameter.
        field: String,
        /// The value as given.
        value: String,
    },
    /// A date that does not exist (2026-02-30) or is not written as a date.
    #[error("{field}: `{value}` is not an existing date ({reason}); write it as {format}, e.g. {example}")]
    InvalidDate {
        /// The field, flag or parameter.
        field: String,
        /// The value as given.
        value: String,
        /// What is wrong with it.
        reason: String,
        /// The expected notation.
        format: &'static str,
        /// A valid example.
        example: &'static str,
    },
    /// `base = "..."` or a requested built-in calendar that does not exist.
    #[error("unknown calendar `{name}`; the built-in calendar is `termijnenwet` (or load a TOML calendar file)")]
    UnknownCalendar {
        /// The name as given.
        name: String,
    },
    /// A time zone name that is not in the time zone database.
    #[error("{field}: unknown time zone `{name}`; use an IANA name such as Europe/Amsterdam")]
    UnknownTimeZone {
        /// The field, flag or parameter.
        field: String,
        /// The name as given.
        name: String,
    },
    /// A TOML calendar file that cannot be parsed or has a wrong value.
    #[error("{origin}{}: {message}", line.map(|l| format!(" line {l}")).unwrap_or_default())]
    File {
        /// The file (as named by the caller).
        origin: String,
        /// The 1-based line of the problem, when known.
        line: Option<usize>,
        /// What is wrong and how to fix it, starting with the field.
        message: String,
    },
    /// An iCalendar (.ics) file that cannot be parsed.
    #[error("{origin} line {line}: {message}")]
    Ics {
        /// The file (as named by the caller).
        origin: String,
        /// The 1-based line of the problem (the first physical line of a folded line).
        line: usize,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// Any other invalid value, such as overlapping office hours.
    #[error("{field}: {message}")]
    Invalid {
        /// The field, flag or parameter.
        field: String,
        /// What is wrong and how to fix it.
        message: String,
    },
    /// A computation that reaches a year outside the supported range.
    #[error(
        "{what} falls outside the supported years {MIN_YEAR}-{MAX_YEAR} (Easter and the holidays \
         are computed for the Gregorian calendar only); use a date in that range"
    )]
    OutOfRange {
        /// The date, year or moment that is out of range.
        what: String,
    },
}

impl CalendarError {
    pub(crate) fn invalid(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self::Invalid { field: field.into(), message: message.into() }
    }

    pub(crate) fn negative(field: impl Into<String>, value: impl std::fmt::Display) -> Self {
        Self::Negative { field: field.into(), value: value.to_string() }
    }

    pub(crate) fn out_of_range(what: impl std::fmt::Display) -> Self {
        Self::OutOfRange { what: what.to_string() }
    }

    pub(crate) fn invalid_date(field: impl Into<String>, value: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::InvalidDate {
            field: field.into(),
            value: value.into(),
            reason: reason.into(),
            format: "YYYY-MM-DD",
            example: "2026-02-28",
        }
    }
}
