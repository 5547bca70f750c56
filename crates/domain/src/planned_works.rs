//! The activity calendar (werkzaamheden): planned works with their area, period, what and why,
//! and a contact; and citizens' e-mail subscriptions to news about works in their postcode
//! (double opt-in, one-click unsubscribe).
//!
//! An area is typed as a list separated by commas or semicolons: postcode ranges ("2611-2619"),
//! single postcodes ("2611" or "2611 AB"; only the four digits count) and place names ("Delft",
//! "Den Hoorn"). Wrong input comes back as `Invalid`, worded at the edge (English for the API,
//! Dutch for staff and citizens); the period in words is plain Dutch.

use crate::ids::{PlannedWorkId, SubscriptionId};
use crate::portal::dutch_day;
use crate::values::{Email, Postcode};
use crate::{Format, Invalid, InvalidKind, text};
use jiff::Timestamp;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Longest "what" and "why".
pub const MAX_TEXT: usize = 4_000;
/// Within this many hours after a confirmation mail, subscribing the same address and postcode
/// again sends no new one (the first mail's link still works).
pub const CONFIRMATION_QUIET_HOURS: i64 = 24;
/// At most this many confirmation mails go to one address within [`CONFIRMATION_QUIET_HOURS`].
pub const MAX_CONFIRMATIONS_PER_ADDRESS: i64 = 3;
/// Longest area as typed.
pub const MAX_AREA: usize = 1_000;
/// Most parts in one area.
pub const MAX_AREA_PARTS: usize = 50;
/// Longest place name.
const MAX_PLACE: usize = 80;

/// One part of a work's area.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Area {
    /// Every postcode whose four digits lie in `from..=to`.
    Postcodes { from: u16, to: u16 },
    /// A place (woonplaats or village) by name.
    Place { name: String },
}

impl Area {
    /// For people: "2611-2619", "2611", "Delft".
    pub fn describe(&self) -> String {
        match self {
            Area::Postcodes { from, to } if from == to => from.to_string(),
            Area::Postcodes { from, to } => format!("{from}-{to}"),
            Area::Place { name } => name.clone(),
        }
    }
}

/// The four digits of a postcode as typed: "2611", "2611AB", "2611 ab". `None` for anything else.
pub fn postcode_digits(s: &str) -> Option<u16> {
    let compact: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let b = compact.as_bytes();
    let letters_ok = match b.len() {
        4 => true,
        6 => b[4..].iter().all(u8::is_ascii_alphabetic),
        _ => false,
    };
    if !letters_ok || b[0] == b'0' || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    compact[..4].parse().ok()
}

fn looks_like_place(s: &str) -> bool {
    s.chars().any(char::is_alphabetic)
        && s.chars().all(|c| c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’' | '.' | '(' | ')'))
}

fn collapse_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Parse an area as typed. Every part must be a postcode range, a postcode or a place name; the
/// error names the first part that is none of these.
pub fn parse_area(typed: &str) -> Result<Vec<Area>, Invalid> {
    let typed = text::required("area", typed, MAX_AREA)?;
    let mut areas: Vec<Area> = Vec::new();
    for part in typed.split([',', ';', '\n']).map(str::trim).filter(|p| !p.is_empty()) {
        let area = parse_part(part)?;
        if !areas.contains(&area) {
            areas.push(area);
        }
    }
    if areas.is_empty() {
        return Err(Invalid::empty("area"));
    }
    if areas.len() > MAX_AREA_PARTS {
        return Err(Invalid::new("area", InvalidKind::TooMany { max: MAX_AREA_PARTS }));
    }
    Ok(areas)
}

fn parse_part(part: &str) -> Result<Area, Invalid> {
    let bad = || Invalid::malformed("area", part, Format::AreaPart);
    if let Some(n) = postcode_digits(part) {
        return Ok(Area::Postcodes { from: n, to: n });
    }
    if let Some((a, b)) = part.split_once(['-', '–', '—']).filter(|(a, b)| {
        postcode_digits(a).is_some() || postcode_digits(b).is_some() || a.trim().chars().all(|c| c.is_ascii_digit())
    }) {
        let (from, to) = (postcode_digits(a).ok_or_else(bad)?, postcode_digits(b).ok_or_else(bad)?);
        if from > to {
            return Err(Invalid::malformed("area", part, Format::AscendingRange));
        }
        return Ok(Area::Postcodes { from, to });
    }
    let name = collapse_spaces(part);
    if !looks_like_place(&name) || name.chars().count() > MAX_PLACE {
        return Err(bad());
    }
    Ok(Area::Place { name })
}

/// Where a work stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Planned,
    Current,
    Past,
}

impl Phase {
    /// For citizens and staff, in words (never a colour alone).
    pub fn label(self) -> &'static str {
        match self {
            Phase::Planned => "Gepland",
            Phase::Current => "Nu bezig",
            Phase::Past => "Afgelopen",
        }
    }
}

/// A planned work as staff type it (the API and the staff form).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlannedWorkInput {
    #[schema(min_length = 1, max_length = 200, pattern = r"\S")]
    pub title: String,
    /// What is done, in plain words.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub what: String,
    /// Why it is done.
    #[schema(min_length = 1, max_length = 4000, pattern = r"\S")]
    pub why: String,
    /// Postcode ranges, postcodes and place names, separated by commas: "2611-2619, 2625, Delft".
    pub area: String,
    /// First day, YYYY-MM-DD.
    #[schema(format = Date)]
    pub starts_on: String,
    /// Last day, YYYY-MM-DD; not before `starts_on`.
    #[schema(format = Date)]
    pub ends_on: String,
    /// Who citizens can ask: a name, phone number or e-mail address.
    #[schema(min_length = 1, max_length = 500, pattern = r"\S")]
    pub contact: String,
}

/// A planned work in the activity calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct PlannedWork {
    pub id: PlannedWorkId,
    pub title: String,
    pub what: String,
    pub why: String,
    /// The area as typed.
    pub area: String,
    /// The area as parsed.
    pub areas: Vec<Area>,
    #[schema(value_type = String, format = Date)]
    pub starts_on: Date,
    #[schema(value_type = String, format = Date)]
    pub ends_on: Date,
    pub contact: String,
    #[schema(value_type = String, format = DateTime)]
    pub created_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub updated_at: Timestamp,
}

pub(crate) fn parse_date(field: &'static str, value: &str) -> Result<Date, Invalid> {
    let value = value.trim();
    if value.is_empty() {
        return Err(Invalid::empty(field));
    }
    value
        .parse::<Date>()
        .ok()
        .filter(|d| (2000..=2100).contains(&d.year()) && value.len() == 10)
        .ok_or_else(|| Invalid::malformed(field, value, Format::Date))
}

impl PlannedWork {
    pub fn create(input: PlannedWorkInput, now: Timestamp) -> Result<Self, Invalid> {
        let mut work = PlannedWork {
            id: PlannedWorkId::new(),
            title: String::new(),
            what: String::new(),
            why: String::new(),
            area: String::new(),
            areas: vec![],
            starts_on: Date::constant(2000, 1, 1),
            ends_on: Date::constant(2000, 1, 1),
            contact: String::new(),
            created_at: now,
            updated_at: now,
        };
        work.apply(input, now)?;
        Ok(work)
    }

    /// Replace the editable fields; nothing changes when a field is wrong.
    pub fn apply(&mut self, input: PlannedWorkInput, now: Timestamp) -> Result<(), Invalid> {
        let title = text::required("title", &input.title, text::limits::NAME)?;
        let what = text::required("what", &input.what, MAX_TEXT)?;
        let why = text::required("why", &input.why, MAX_TEXT)?;
        let areas = parse_area(&input.area)?;
        let starts_on = parse_date("starts_on", &input.starts_on)?;
        let ends_on = parse_date("ends_on", &input.ends_on)?;
        if ends_on < starts_on {
            return Err(Invalid::new("ends_on", InvalidKind::OutOfOrder { after: "starts_on" }));
        }
        let contact = text::required("contact", &input.contact, text::limits::SHORT)?;
        *self = PlannedWork {
            id: self.id,
            title,
            what,
            why,
            area: collapse_spaces(input.area.trim()),
            areas,
            starts_on,
            ends_on,
            contact,
            created_at: self.created_at,
            updated_at: now,
        };
        Ok(())
    }

    /// Whether the work's area holds a postcode with these four digits.
    pub fn covers_digits(&self, digits: u16) -> bool {
        self.areas.iter().any(|a| matches!(a, Area::Postcodes { from, to } if (*from..=*to).contains(&digits)))
    }

    /// Whether the work's area holds this postcode (by its four digits).
    pub fn covers(&self, postcode: &Postcode) -> bool {
        postcode_digits(postcode.as_str()).is_some_and(|d| self.covers_digits(d))
    }

    /// Whether the work's area names this place (case and accents do not matter).
    pub fn covers_place(&self, place: &str) -> bool {
        let wanted = text::fold(&collapse_spaces(place));
        self.areas.iter().any(|a| matches!(a, Area::Place { name } if text::fold(name) == wanted))
    }

    /// The postcode ranges of the area (places left out).
    pub fn postcode_ranges(&self) -> Vec<(u16, u16)> {
        self.areas
            .iter()
            .filter_map(|a| match a {
                Area::Postcodes { from, to } => Some((*from, *to)),
                Area::Place { .. } => None,
            })
            .collect()
    }

    /// Not over yet on `today`: it runs now or starts later.
    pub fn is_current_or_upcoming(&self, today: Date) -> bool {
        self.ends_on >= today
    }

    pub fn phase(&self, today: Date) -> Phase {
        if self.ends_on < today {
            Phase::Past
        } else if self.starts_on > today {
            Phase::Planned
        } else {
            Phase::Current
        }
    }

    /// The period for citizens: "van maandag 2 maart 2026 tot en met vrijdag 29 mei 2026", or
    /// "op maandag 2 maart 2026" for one day.
    pub fn period_in_words(&self) -> String {
        if self.starts_on == self.ends_on {
            format!("op {}", dutch_day(self.starts_on))
        } else {
            format!("van {} tot en met {}", dutch_day(self.starts_on), dutch_day(self.ends_on))
        }
    }

    /// Whether the typed words are all found in the title, what or area (for live search).
    pub fn matches_words(&self, words: &[String]) -> bool {
        let haystack = text::fold(&format!("{} {} {}", self.title, self.what, self.area));
        !words.is_empty() && words.iter().all(|w| haystack.contains(&text::fold(w)))
    }
}

/// What a citizen searches the calendar for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkSearch {
    /// The four digits of a postcode.
    Postcode(u16),
    /// A place name.
    Place(String),
}

/// The search box: a postcode ("2611", "2611 AB") or a place name. Empty is `None`.
pub fn parse_search(typed: &str) -> Result<Option<WorkSearch>, Invalid> {
    let typed = collapse_spaces(typed);
    if typed.is_empty() {
        return Ok(None);
    }
    if let Some(d) = postcode_digits(&typed) {
        return Ok(Some(WorkSearch::Postcode(d)));
    }
    if looks_like_place(&typed) && typed.chars().count() <= MAX_PLACE {
        return Ok(Some(WorkSearch::Place(typed)));
    }
    Err(Invalid::malformed("postcode", &typed, Format::PostcodeOrPlace))
}

/// Where a subscription stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionState {
    /// Waiting for the citizen to click the link in the confirmation mail.
    Pending,
    Confirmed,
    Unsubscribed,
}

/// A citizen's subscription to news about works and calamities in their postcode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subscription {
    pub id: SubscriptionId,
    pub email: Email,
    pub postcode: Postcode,
    pub created_at: Timestamp,
    pub confirmed_at: Option<Timestamp>,
    pub unsubscribed_at: Option<Timestamp>,
}

impl Subscription {
    pub fn pending(email: Email, postcode: Postcode, now: Timestamp) -> Self {
        Subscription {
            id: SubscriptionId::new(),
            email,
            postcode,
            created_at: now,
            confirmed_at: None,
            unsubscribed_at: None,
        }
    }

    pub fn state(&self) -> SubscriptionState {
        match (self.confirmed_at, self.unsubscribed_at) {
            (_, Some(_)) => SubscriptionState::Unsubscribed,
            (Some(_), None) => SubscriptionState::Confirmed,
            (None, None) => SubscriptionState::Pending,
        }
    }

    /// The four digits of the subscriber's postcode.
    pub fn digits(&self) -> u16 {
        postcode_digits(self.postcode.as_str()).unwrap_or(0)
    }
}

/// The subscription form as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubscriptionForm {
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub postcode: String,
}

/// Check the subscription form; every wrong field is reported at once.
pub fn check_subscription(form: &SubscriptionForm) -> Result<(Email, Postcode), Vec<Invalid>> {
    let mut errors = Vec::new();
    let email = match form.email.trim() {
        "" => {
            errors.push(Invalid::empty("email"));
            None
        }
        e => Email::parse(e).map_err(|_| errors.push(Invalid::malformed("email", e, Format::Email))).ok(),
    };
    let postcode = match form.postcode.trim() {
        "" => {
            errors.push(Invalid::empty("postcode"));
            None
        }
        p => Postcode::parse(p).map_err(|_| errors.push(Invalid::malformed("postcode", p, Format::Postcode))).ok(),
    };
    match (email, postcode) {
        (Some(e), Some(p)) if errors.is_empty() => Ok((e, p)),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> PlannedWorkInput {
        PlannedWorkInput {
            title: "Dijkversterking Lekdijk".into(),
            what: "We maken de dijk hoger en breder.".into(),
            why: "Zodat de dijk ook bij hoog water sterk genoeg is.".into(),
            area: "2611-2619; 2625 AB, Delft,  Den   Hoorn".into(),
            starts_on: "2026-03-02".into(),
            ends_on: "2026-05-29".into(),
            contact: "Omgevingsmanager Lekdijk, 088 000 0001".into(),
        }
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn date(s: &str) -> Date {
        s.parse().unwrap()
    }

    #[test]
    fn areas_hold_ranges_postcodes_and_places() {
        let areas = parse_area("2611-2619, 2625 AB; 2630ab, Delft, Den Hoorn, 's-Gravenzande, 2700 – 2710").unwrap();
        assert_eq!(
            areas,
            vec![
                Area::Postcodes { from: 2611, to: 2619 },
                Area::Postcodes { from: 2625, to: 2625 },
                Area::Postcodes { from: 2630, to: 2630 },
                Area::Place { name: "Delft".into() },
                Area::Place { name: "Den Hoorn".into() },
                Area::Place { name: "'s-Gravenzande".into() },
                Area::Postcodes { from: 2700, to: 2710 },
            ]
        );
        assert_eq!(parse_area("2611 AB - 2619 ZZ").unwrap(), vec![Area::Postcodes { from: 2611, to: 2619 }]);
        assert_eq!(parse_area("Delft, delft, 2611, 2611").unwrap().len(), 3, "exact repeats are dropped");
    }

    #[test]
    fn nonsense_in_an_area_is_refused_naming_the_part() {
        for (typed, part, expected) in [
            ("2611-2619, 26x1", "26x1", Format::AreaPart),
            ("2619-2611", "2619-2611", Format::AscendingRange),
            ("0123", "0123", Format::AreaPart),
            ("12345", "12345", Format::AreaPart),
            ("2611-", "2611-", Format::AreaPart),
            ("2611-abcd", "2611-abcd", Format::AreaPart),
            ("Delft, @home", "@home", Format::AreaPart),
        ] {
            let e = parse_area(typed).unwrap_err();
            assert_eq!(e.field, "area");
            assert_eq!(e.kind, InvalidKind::Malformed { given: part.into(), expected }, "{typed}");
        }
        assert_eq!(parse_area("  ").unwrap_err().kind, InvalidKind::Empty);
        assert_eq!(parse_area(", ;").unwrap_err().kind, InvalidKind::Empty, "no postcode or place");
        let many: Vec<String> = (1000..1100).map(|n| n.to_string()).collect();
        assert_eq!(parse_area(&many.join(",")).unwrap_err().kind, InvalidKind::TooMany { max: 50 });
    }

    #[test]
    fn a_work_covers_postcodes_by_their_digits_and_places_by_name() {
        let w = PlannedWork::create(input(), at("2026-02-01T10:00:00Z")).unwrap();
        assert!(w.covers(&Postcode::parse("2611 AB").unwrap()));
        assert!(w.covers(&Postcode::parse("2619ZZ").unwrap()));
        assert!(w.covers(&Postcode::parse("2625 XX").unwrap()), "a single postcode covers its four digits");
        assert!(!w.covers(&Postcode::parse("2620 AA").unwrap()));
        assert!(!w.covers(&Postcode::parse("2610 AA").unwrap()));
        assert!(w.covers_place("den hoorn") && w.covers_place("DELFT") && !w.covers_place("Delfgauw"));
        assert_eq!(w.postcode_ranges(), vec![(2611, 2619), (2625, 2625)]);
        assert_eq!(w.area, "2611-2619; 2625 AB, Delft, Den Hoorn");
    }

    #[test]
    fn the_phase_follows_the_period() {
        let w = PlannedWork::create(input(), at("2026-02-01T10:00:00Z")).unwrap();
        assert_eq!(w.phase(date("2026-03-01")), Phase::Planned);
        assert_eq!(w.phase(date("2026-03-02")), Phase::Current);
        assert_eq!(w.phase(date("2026-05-29")), Phase::Current);
        assert_eq!(w.phase(date("2026-05-30")), Phase::Past);
        assert!(w.is_current_or_upcoming(date("2026-05-29")));
        assert!(!w.is_current_or_upcoming(date("2026-05-30")));
        assert_eq!(w.period_in_words(), "van maandag 2 maart 2026 tot en met vrijdag 29 mei 2026");
        let one_day = PlannedWork::create(
            PlannedWorkInput { starts_on: "2026-03-02".into(), ends_on: "2026-03-02".into(), ..input() },
            at("2026-02-01T10:00:00Z"),
        )
        .unwrap();
        assert_eq!(one_day.period_in_words(), "op maandag 2 maart 2026");
    }

    #[test]
    fn input_is_checked_with_english_messages() {
        let now = at("2026-02-01T10:00:00Z");
        let cases = [
            (PlannedWorkInput { title: " ".into(), ..input() }, "title"),
            (PlannedWorkInput { what: "".into(), ..input() }, "what"),
            (PlannedWorkInput { why: "".into(), ..input() }, "why"),
            (PlannedWorkInput { area: "2611 tot 2619".into(), ..input() }, "area"),
            (PlannedWorkInput { area: "2611-26199".into(), ..input() }, "area"),
            (PlannedWorkInput { starts_on: "2 maart".into(), ..input() }, "starts_on"),
            (PlannedWorkInput { starts_on: "2026-02-30".into(), ..input() }, "starts_on"),
            (PlannedWorkInput { ends_on: "2026-03-01".into(), ..input() }, "ends_on"),
            (PlannedWorkInput { contact: "".into(), ..input() }, "contact"),
        ];
        for (bad, field) in cases {
            let e = PlannedWork::create(bad, now).unwrap_err();
            assert_eq!(e.field, field, "{e}");
        }
        let mut w = PlannedWork::create(input(), now).unwrap();
        let before = w.clone();
        assert!(w.apply(PlannedWorkInput { area: "2611-x".into(), ..input() }, now).is_err());
        assert_eq!(w, before, "a refused change leaves the work as it was");
        let later = at("2026-02-02T10:00:00Z");
        w.apply(PlannedWorkInput { area: "Delft".into(), ..input() }, later).unwrap();
        assert_eq!((w.id, w.created_at, w.updated_at), (before.id, before.created_at, later));
        assert_eq!(w.areas, vec![Area::Place { name: "Delft".into() }]);
    }

    #[test]
    fn citizens_search_by_postcode_or_place() {
        assert_eq!(parse_search(" 2611 ab ").unwrap(), Some(WorkSearch::Postcode(2611)));
        assert_eq!(parse_search("2611").unwrap(), Some(WorkSearch::Postcode(2611)));
        assert_eq!(parse_search("Den  Hoorn").unwrap(), Some(WorkSearch::Place("Den Hoorn".into())));
        assert_eq!(parse_search("").unwrap(), None);
        for bad in ["12", "26111", "2611 A", "<script>", "0611AB"] {
            assert_eq!(parse_search(bad).unwrap_err(), Invalid::malformed("postcode", bad, Format::PostcodeOrPlace));
        }
    }

    #[test]
    fn subscriptions_are_checked_and_move_through_their_states() {
        let form = SubscriptionForm { email: "Jan@Example.NL".into(), postcode: "2611ab".into() };
        let (email, postcode) = check_subscription(&form).unwrap();
        assert_eq!((email.as_str(), postcode.as_str()), ("Jan@example.nl", "2611 AB"));
        let errors = check_subscription(&SubscriptionForm { email: "jan@".into(), postcode: "12".into() }).unwrap_err();
        assert_eq!(errors.iter().map(|e| e.field).collect::<Vec<_>>(), vec!["email", "postcode"]);
        assert!(errors.iter().all(|e| matches!(e.kind, InvalidKind::Malformed { .. })));
        let empty = check_subscription(&SubscriptionForm::default()).unwrap_err();
        assert_eq!(empty, vec![Invalid::empty("email"), Invalid::empty("postcode")]);

        let mut s = Subscription::pending(email, postcode, at("2026-02-01T10:00:00Z"));
        assert_eq!((s.state(), s.digits()), (SubscriptionState::Pending, 2611));
        s.confirmed_at = Some(at("2026-02-01T10:05:00Z"));
        assert_eq!(s.state(), SubscriptionState::Confirmed);
        s.unsubscribed_at = Some(at("2026-02-03T10:05:00Z"));
        assert_eq!(s.state(), SubscriptionState::Unsubscribed);
    }

    #[test]
    fn live_search_words_match_title_what_and_area() {
        let w = PlannedWork::create(input(), at("2026-02-01T10:00:00Z")).unwrap();
        let words = |s: &str| s.split_whitespace().map(str::to_string).collect::<Vec<_>>();
        assert!(w.matches_words(&words("lekdijk")));
        assert!(w.matches_words(&words("dijk hoger")));
        assert!(w.matches_words(&words("den hoorn")));
        assert!(!w.matches_words(&words("baggeren")));
        assert!(!w.matches_words(&[]));
    }
}
