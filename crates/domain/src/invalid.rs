//! One validation error for the whole domain: the field at fault and what kind of fault it is.
//!
//! The domain carries no wording. The web crate words an `Invalid` for its audience
//! (`wording::english` for the API, `wording::dutch` for staff pages, `wording::citizen` for the
//! public forms); `Display` is a plain English rendering for logs, the CLI and tests.

use crate::ids::CaseId;
use crate::photo::PhotoError;
use std::fmt;

/// A rule violation caused by input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The field (as named in the API or form) that is wrong.
    pub field: &'static str,
    /// What is wrong with it.
    pub kind: InvalidKind,
    /// The position in a list of the request the field belongs to (the second call of a batch).
    pub item: Option<Item>,
}

/// A position in a list of a request: `calls[1]` is the second call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    /// The list, as named in the API.
    pub list: &'static str,
    /// Zero-based position.
    pub index: usize,
}

/// What is wrong with a field. Small on purpose: a new kind needs wording in English and Dutch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InvalidKind {
    /// Nothing given where something is needed.
    Empty,
    /// Nothing given, but the value of the field `by` needs it (a house number without a
    /// postcode; e-mail chosen as the way to answer, without an address).
    Needed { by: &'static str },
    /// Longer than `max` characters.
    TooLong { max: usize },
    /// Shorter than `min` characters.
    TooShort { min: usize },
    /// A list with more than `max` entries.
    TooMany { max: usize },
    /// A number outside `min..=max` (no upper bound when `max` is `None`).
    OutOfRange { min: i64, max: Option<i64> },
    /// Contains control characters (other than line breaks and tabs).
    ControlCharacters,
    /// Not written in the expected format.
    Malformed { given: String, expected: Format },
    /// Not one of the allowed values (`allowed` may be empty when there are too many to list),
    /// or an id of a record that does not exist.
    Unknown { given: String, allowed: Vec<String> },
    /// A value that is already taken (a username, a team name).
    Duplicate,
    /// Does not go with another field: `with` names it, `expected` is the value that would fit.
    Mismatch { with: &'static str, expected: Option<&'static str> },
    /// Given, but it does not apply in this situation; leave it out.
    NotApplicable,
    /// Must come after the value of the field `after`.
    OutOfOrder { after: &'static str },
    /// Refers to itself, directly or through its children.
    Cycle,
    /// A moment that lies in the future where a past moment is needed.
    InFuture,
    /// The action is not possible in the current state.
    WrongState(StateRule),
    /// A place outside the Netherlands and its waters.
    OutsideNetherlands,
    /// An uploaded photo refused by its content; `file` is the name the browser gave, cleaned
    /// (may be empty).
    Photo { file: String, problem: PhotoError },
    /// A rule stated in English by code not yet converted to a kind (photo uploads).
    Described(String),
    /// A text written from a template lacks a placeholder it must use (`name` with its braces,
    /// `{tekst}`).
    MissingPlaceholder { name: &'static str },
}

/// A format a value must be written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// YYYY-MM-DD.
    Date,
    /// HH:MM.
    TimeOfDay,
    /// A whole number (of seconds).
    WholeNumber,
    /// An id (UUID) as returned when the record was created.
    Uuid,
    Email,
    Phone,
    /// 1234 AB.
    Postcode,
    /// 8 digits.
    KvkNumber,
    /// 2 to 64 of a-z, digits, '.', '-', '_', '@'.
    Username,
    /// An IANA time zone name.
    TimeZone,
    /// A postcode range (2611-2619), a postcode or a place name.
    AreaPart,
    /// A postcode range written high to low.
    AscendingRange,
    /// An area that must name postcodes (subscriptions are by postcode).
    Postcodes,
    /// One line of text.
    OneLine,
    /// An absolute http(s) link.
    HttpLink,
    /// A file name without a folder.
    FileName,
    /// 64 hex digits.
    Sha256,
    /// A synonym rule: `a, b => c` or `a, b, c`.
    SynonymRule,
    /// A point on the map: latitude and longitude as decimal numbers.
    MapPoint,
    /// A house number: digits, then perhaps a letter or addition (12, 12A, 12-3).
    HouseNumber,
    /// A postcode (2611 or 2611 AB) or a place name.
    PostcodeOrPlace,
    /// An organisation code for open data: lower-case letters and digits, words joined by one
    /// hyphen (`waterschap-de-lage-waard`), at most 100 characters.
    OrganisationCode,
}

/// Why an action is not possible in the current state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StateRule {
    /// A status change the life cycle does not allow (codes of the statuses).
    Transition { from: &'static str, to: &'static str },
    /// Only an open contact can be parked.
    ContactNotOpen,
    /// Only a parked contact can be resumed.
    ContactNotParked,
    /// The contact is closed already.
    ContactClosed,
    /// A closed case cannot be extended.
    CaseClosed,
    /// The case was extended once already; the law allows one extension.
    AlreadyExtended,
    /// This case type allows no extension.
    ExtensionNotAllowed { case_type: &'static str },
    /// This case type allows no suspension.
    SuspensionNotAllowed { case_type: &'static str },
    /// The question was handed over to a case already.
    HandedOver { case: CaseId },
    /// Only a question forwarded to another body can be confirmed.
    NotForwarded,
    /// The other body confirmed this question already.
    AlreadyConfirmed,
    /// The consultation was answered already.
    AlreadyAnswered,
    /// The consultation has no answer yet.
    NotAnswered,
    /// The deadline cannot be computed from the calendar (a date beyond its range).
    BeyondCalendar,
    /// The case of a submission is closed: nothing can be added any more.
    SubmissionClosed,
    /// The survey after closure was answered already (once per submission).
    SurveyAnswered,
    /// The survey can be answered up to `days` days after closure, and that is over (or the
    /// case is not closed).
    SurveyClosed { days: i64 },
    /// The citizen added `max` messages to this submission already; no more can be added.
    TooManyMessages { max: usize },
    /// A submission holds at most `max` photos over its life; `left` more can be added.
    TooManyPhotos { max: usize, left: usize },
    /// The case has another owner: only they (or a team lead) hand it on.
    OwnedByAnother,
    /// The employee is involved in what the klacht is about: they may not handle it (Awb 9:7).
    InvolvedInComplaint,
    /// The klacht's owner cannot be named involved: hand the klacht over first.
    OwnerInvolved,
    /// A klacht is closed only once the hearing was held or a reason not to hold it is recorded
    /// (Awb 9:10).
    HearingNotSettled,
    /// A klacht is closed with a judgement and its conclusions in writing (Awb 9:12): through the
    /// closing action, not by a bare status change.
    OutcomeInWriting,
    /// The four-eyes rule of the kennisbank: the employee who last edited an article's text does
    /// not approve it (publish it); another editor does.
    ReviewByAnother,
}

impl Invalid {
    /// `Invalid::new("name", InvalidKind::Empty)`. A `String` becomes `InvalidKind::Described`.
    pub fn new(field: &'static str, kind: impl Into<InvalidKind>) -> Self {
        Self { field, kind: kind.into(), item: None }
    }

    pub fn empty(field: &'static str) -> Self {
        Self::new(field, InvalidKind::Empty)
    }

    pub fn malformed(field: &'static str, given: &str, expected: Format) -> Self {
        Self::new(field, InvalidKind::Malformed { given: given.to_string(), expected })
    }

    /// An id that names no record (`given` is the id, empty when not known).
    pub fn unknown_id(field: &'static str, given: impl ToString) -> Self {
        Self::new(field, InvalidKind::Unknown { given: given.to_string(), allowed: vec![] })
    }

    pub fn wrong_state(field: &'static str, rule: StateRule) -> Self {
        Self::new(field, InvalidKind::WrongState(rule))
    }

    /// The same fault, placed at `list[index]` of the request.
    pub fn in_item(self, list: &'static str, index: usize) -> Self {
        Self { item: Some(Item { list, index }), ..self }
    }

    /// The field as the API names it: `calls[1].call_id`, or just `name`.
    pub fn path(&self) -> String {
        match self.item {
            Some(Item { list, index }) => format!("{list}[{index}].{}", self.field),
            None => self.field.to_string(),
        }
    }
}

impl From<String> for InvalidKind {
    fn from(described: String) -> Self {
        InvalidKind::Described(described)
    }
}

impl std::error::Error for Invalid {}

/// Plain English for logs and tests; users get their wording from the web crate.
impl fmt::Display for Invalid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.path(), self.kind)
    }
}

impl fmt::Display for InvalidKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidKind::Empty => f.write_str("is empty"),
            InvalidKind::Needed { by } => write!(f, "is empty but needed with {by}"),
            InvalidKind::TooLong { max } => write!(f, "is longer than {max} characters"),
            InvalidKind::TooShort { min } => write!(f, "is shorter than {min} characters"),
            InvalidKind::TooMany { max } => write!(f, "has more than {max} entries"),
            InvalidKind::OutOfRange { min, max: Some(max) } => write!(f, "must be between {min} and {max}"),
            InvalidKind::OutOfRange { min, max: None } => write!(f, "must be {min} or more"),
            InvalidKind::ControlCharacters => f.write_str("contains control characters"),
            InvalidKind::Malformed { given, expected } => write!(f, "'{given}' is not {expected:?}"),
            InvalidKind::Unknown { given, allowed } if allowed.is_empty() => write!(f, "'{given}' is unknown"),
            InvalidKind::Unknown { given, allowed } => {
                write!(f, "'{given}' is unknown; use one of: {}", allowed.join(", "))
            }
            InvalidKind::Duplicate => f.write_str("is taken already"),
            InvalidKind::Mismatch { with, .. } => write!(f, "does not match {with}"),
            InvalidKind::NotApplicable => f.write_str("does not apply here"),
            InvalidKind::OutOfOrder { after } => write!(f, "must come after {after}"),
            InvalidKind::Cycle => f.write_str("refers to itself"),
            InvalidKind::InFuture => f.write_str("lies in the future"),
            InvalidKind::WrongState(rule) => write!(f, "not possible now ({rule:?})"),
            InvalidKind::OutsideNetherlands => f.write_str("lies outside the Netherlands"),
            InvalidKind::Photo { file, problem } if file.is_empty() => write!(f, "{problem}"),
            InvalidKind::Photo { file, problem } => write!(f, "{file}: {problem}"),
            InvalidKind::Described(text) => f.write_str(text),
            InvalidKind::MissingPlaceholder { name } => write!(f, "lacks the placeholder {name}"),
        }
    }
}
