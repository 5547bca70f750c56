use super::*;
use gastvrij_domain::ids::CaseId;

/// One sample of every kind, every format and every state rule. The `match` in `variant` has
/// no catch-all, so a new kind does not compile until it is listed here (and so gets wording).
fn every_kind() -> Vec<InvalidKind> {
    use InvalidKind as K;
    let formats = [
        Format::Date,
        Format::TimeOfDay,
        Format::WholeNumber,
        Format::Uuid,
        Format::Email,
        Format::Phone,
        Format::Postcode,
        Format::KvkNumber,
        Format::Username,
        Format::TimeZone,
        Format::AreaPart,
        Format::AscendingRange,
        Format::Postcodes,
        Format::OneLine,
        Format::HttpLink,
        Format::FileName,
        Format::Sha256,
        Format::SynonymRule,
    ];
    let rules = [
        StateRule::Transition { from: "open", to: "afgehandeld" },
        StateRule::ContactNotOpen,
        StateRule::ContactNotParked,
        StateRule::ContactClosed,
        StateRule::CaseClosed,
        StateRule::AlreadyExtended,
        StateRule::ExtensionNotAllowed { case_type: "melding" },
        StateRule::SuspensionNotAllowed { case_type: "melding" },
        StateRule::HandedOver { case: CaseId::new() },
        StateRule::NotForwarded,
        StateRule::AlreadyConfirmed,
        StateRule::AlreadyAnswered,
        StateRule::NotAnswered,
        StateRule::BeyondCalendar,
    ];
    let mut kinds = vec![
        K::Empty,
        K::TooLong { max: 200 },
        K::TooShort { min: 12 },
        K::TooMany { max: 50 },
        K::OutOfRange { min: 1, max: Some(100) },
        K::OutOfRange { min: 0, max: None },
        K::ControlCharacters,
        K::Unknown { given: "x".into(), allowed: vec!["a".into(), "b".into()] },
        K::Unknown { given: "x".into(), allowed: vec![] },
        K::Duplicate,
        K::Mismatch { with: "outcome", expected: Some("first_line") },
        K::Mismatch { with: "name", expected: None },
        K::NotApplicable,
        K::OutOfOrder { after: "starts_on" },
        K::Cycle,
        K::InFuture,
        K::Described("the file is empty; choose a photo".into()),
    ];
    kinds.extend(formats.into_iter().map(|expected| K::Malformed { given: "x y".into(), expected }));
    kinds.extend(rules.into_iter().map(K::WrongState));
    kinds
}

fn variant(kind: &InvalidKind) -> usize {
    use InvalidKind as K;
    match kind {
        K::Empty => 0,
        K::TooLong { .. } => 1,
        K::TooShort { .. } => 2,
        K::TooMany { .. } => 3,
        K::OutOfRange { .. } => 4,
        K::ControlCharacters => 5,
        K::Malformed { .. } => 6,
        K::Unknown { .. } => 7,
        K::Duplicate => 8,
        K::Mismatch { .. } => 9,
        K::NotApplicable => 10,
        K::OutOfOrder { .. } => 11,
        K::Cycle => 12,
        K::InFuture => 13,
        K::WrongState(_) => 14,
        K::Described(_) => 15,
    }
}

/// The fields a staff page can report an error on.
const STAFF_FIELDS: &[&str] = &[
    "text",
    "answer",
    "forwarded_to",
    "team_id",
    "to_team",
    "case_type",
    "kind",
    "name",
    "email",
    "phone",
    "postcode",
    "house_number",
    "kvk_number",
    "details.kvk_number",
    "details.house_number",
    "waiting_seconds",
    "until",
    "availability",
    "expertise",
    "q",
    "status",
    "state",
    "outcome",
    "line",
    "questions",
    "question_id",
    "customer_id",
    "topic_id",
    "username",
    "password",
    "title",
    "what",
    "why",
    "area",
    "starts_on",
    "ends_on",
    "contact",
    "subject",
    "work_id",
    "channel",
    "note",
    "reason",
    "extension",
];

/// Words that only an English sentence would hold.
const ENGLISH: &[&str] = &[
    "empty", "fill it", " the ", "must", "choose", " use ", "write", "leave", "unknown", "already", "cannot", "field",
];

#[test]
fn every_kind_is_worded_in_english_and_in_dutch() {
    let kinds = every_kind();
    let mut seen: Vec<usize> = kinds.iter().map(variant).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(seen, (0..=15).collect::<Vec<_>>(), "a kind has no sample");
    for kind in kinds {
        let i = Invalid::new("name", kind.clone());
        let (en, nl) = (english(&i), dutch(&i));
        assert!(en.starts_with("name: ") && en.len() > "name: ".len() + 10, "{kind:?}: {en}");
        assert!(nl.starts_with("Controleer de naam: ") && nl.ends_with('.'), "{kind:?}: {nl}");
        assert_ne!(english_problem(&i), dutch_problem(&i), "{kind:?}");
    }
}

#[test]
fn no_dutch_wording_falls_back_to_english_for_staff_fields() {
    for field in STAFF_FIELDS {
        assert!(label(field).is_some(), "{field} has no Dutch label");
        for kind in every_kind() {
            let nl = dutch(&Invalid::new(field, kind.clone()));
            let lower = nl.to_lowercase();
            for word in ENGLISH {
                assert!(!lower.contains(word), "{field} {kind:?}: '{word}' in {nl}");
            }
            if field.contains('_') || field.contains('.') {
                assert!(!nl.contains(field), "{field} {kind:?}: the raw field name in {nl}");
            }
        }
    }
}

#[test]
fn the_api_keeps_saying_what_to_fix() {
    let area = Invalid::malformed("area", "2611-26x9", Format::AreaPart);
    assert!(english(&area).contains("'2611-26x9' is not a postcode range"), "{}", english(&area));
    let backwards = Invalid::malformed("area", "2619-2611", Format::AscendingRange);
    assert!(english(&backwards).ends_with("e.g. 2611-2619"), "{}", english(&backwards));
    assert!(english(&Invalid::empty("area")).starts_with("area: is empty"));
    let team = Invalid::unknown_id("team_id", "0190");
    assert_eq!(english(&team), "team_id: no team has this id; list teams at /api/v1/teams");
    let call = Invalid::empty("call_id").in_item("calls", 1);
    assert_eq!(english(&call), "calls[1].call_id: is empty; fill it in");
    let long = "x".repeat(500);
    assert!(english(&Invalid::malformed("subject", &long, Format::SynonymRule)).len() < 200, "a paste is cut short");
}

#[test]
fn staff_pages_read_dutch_sentences() {
    assert_eq!(dutch(&Invalid::empty("text")), "Controleer de vraag: is leeg; vul het in.");
    let area = Invalid::malformed("area", "26x9", Format::AreaPart);
    assert!(dutch(&area).starts_with("Controleer het gebied: '26x9' is geen reeks postcodes"), "{}", dutch(&area));
    assert_eq!(
        dutch_as("het bericht", &Invalid::empty("text")),
        "Controleer het bericht: is leeg; vul het in.",
        "a page names the field its own way"
    );
    let second = Invalid::empty("text").in_item("questions", 1);
    assert_eq!(dutch(&second), "Controleer de vraag (nummer 2): is leeg; vul het in.");
    let photo = Invalid::new("photo", "the file is empty; choose a photo".to_string());
    assert!(!dutch(&photo).contains("choose"), "an English description never reaches a Dutch page");
}
