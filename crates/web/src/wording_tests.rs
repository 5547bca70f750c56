use super::*;
use gastvrij_domain::ids::CaseId;
use gastvrij_domain::photo::PhotoError;

/// One sample of every kind, every format and every state rule. The `match`es in `variant`,
/// `format_variant` and `rule_variant` have no catch-all, so a new kind, format or rule does not
/// compile until it is listed here (and so gets wording).
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
        Format::MapPoint,
        Format::HouseNumber,
        Format::PostcodeOrPlace,
        Format::OrganisationCode,
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
        StateRule::SubmissionClosed,
        StateRule::SurveyAnswered,
        StateRule::SurveyClosed { days: 14 },
        StateRule::TooManyMessages { max: 20 },
        StateRule::TooManyPhotos { max: 20, left: 2 },
        StateRule::OwnedByAnother,
        StateRule::InvolvedInComplaint,
        StateRule::OwnerInvolved,
        StateRule::HearingNotSettled,
        StateRule::OutcomeInWriting,
        StateRule::ReviewByAnother,
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
        K::Needed { by: "contact" },
        K::OutsideNetherlands,
        K::MissingPlaceholder { name: "{tekst}" },
        K::Photo { file: "vakantie.jpg".into(), problem: PhotoError::NotAPhoto },
        K::Photo { file: String::new(), problem: PhotoError::TooLarge { bytes: 11 << 20 } },
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
        K::Needed { .. } => 16,
        K::OutsideNetherlands => 17,
        K::Photo { .. } => 18,
        K::MissingPlaceholder { .. } => 19,
    }
}

fn format_variant(format: Format) -> usize {
    match format {
        Format::Date => 0,
        Format::TimeOfDay => 1,
        Format::WholeNumber => 2,
        Format::Uuid => 3,
        Format::Email => 4,
        Format::Phone => 5,
        Format::Postcode => 6,
        Format::KvkNumber => 7,
        Format::Username => 8,
        Format::TimeZone => 9,
        Format::AreaPart => 10,
        Format::AscendingRange => 11,
        Format::Postcodes => 12,
        Format::OneLine => 13,
        Format::HttpLink => 14,
        Format::FileName => 15,
        Format::Sha256 => 16,
        Format::SynonymRule => 17,
        Format::MapPoint => 18,
        Format::HouseNumber => 19,
        Format::PostcodeOrPlace => 20,
        Format::OrganisationCode => 21,
    }
}

fn rule_variant(rule: &StateRule) -> usize {
    match rule {
        StateRule::Transition { .. } => 0,
        StateRule::ContactNotOpen => 1,
        StateRule::ContactNotParked => 2,
        StateRule::ContactClosed => 3,
        StateRule::CaseClosed => 4,
        StateRule::AlreadyExtended => 5,
        StateRule::ExtensionNotAllowed { .. } => 6,
        StateRule::SuspensionNotAllowed { .. } => 7,
        StateRule::HandedOver { .. } => 8,
        StateRule::NotForwarded => 9,
        StateRule::AlreadyConfirmed => 10,
        StateRule::AlreadyAnswered => 11,
        StateRule::NotAnswered => 12,
        StateRule::BeyondCalendar => 13,
        StateRule::SubmissionClosed => 14,
        StateRule::SurveyAnswered => 15,
        StateRule::SurveyClosed { .. } => 16,
        StateRule::TooManyMessages { .. } => 17,
        StateRule::TooManyPhotos { .. } => 18,
        StateRule::OwnedByAnother => 19,
        StateRule::InvolvedInComplaint => 20,
        StateRule::OwnerInvolved => 21,
        StateRule::HearingNotSettled => 22,
        StateRule::OutcomeInWriting => 23,
        StateRule::ReviewByAnother => 24,
    }
}

/// Every variant has a sample in `every_kind`: the kinds, the formats and the state rules.
#[test]
fn every_kind_format_and_rule_has_a_sample() {
    let kinds = every_kind();
    let distinct = |mut seen: Vec<usize>| {
        seen.sort();
        seen.dedup();
        seen
    };
    assert_eq!(distinct(kinds.iter().map(variant).collect()), (0..=19).collect::<Vec<_>>(), "a kind has no sample");
    let formats = kinds.iter().filter_map(|k| match k {
        InvalidKind::Malformed { expected, .. } => Some(format_variant(*expected)),
        _ => None,
    });
    assert_eq!(distinct(formats.collect()), (0..=21).collect::<Vec<_>>(), "a format has no sample");
    let rules = kinds.iter().filter_map(|k| match k {
        InvalidKind::WrongState(rule) => Some(rule_variant(rule)),
        _ => None,
    });
    assert_eq!(distinct(rules.collect()), (0..=24).collect::<Vec<_>>(), "a state rule has no sample");
}

/// The fields a staff page can report an error on.
const STAFF_FIELDS: &[&str] = &[
    "text",
    "answer",
    "asked",
    "message",
    "result",
    "note",
    "owner_id",
    "reason",
    "welke",
    "due_on",
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
    "involved",
    "involved_other",
    "hearing",
    "hearing_on",
    "hearing_notes",
    "measures",
    "jaar",
];

/// Words that only an English sentence would hold.
const ENGLISH: &[&str] = &[
    "empty", "fill it", " the ", "must", "choose", " use ", "write", "leave", "unknown", "already", "cannot", "field",
];

#[test]
fn every_kind_is_worded_in_english_and_in_dutch() {
    for kind in every_kind() {
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

/// The fields of the public forms (vraag, melding, klacht, tracking, survey, works).
const PUBLIC_FIELDS: &[&str] = &[
    "onderwerp",
    "omschrijving",
    "postcode",
    "huisnummer",
    "plek",
    "punt",
    "wanneer",
    "contact",
    "naam",
    "email",
    "telefoon",
    "fotos",
    "bericht",
    "cijfer",
    "opgelost",
    "moeite",
    "toelichting",
];

const PUBLIC_FORMS: [PublicForm; 7] = [
    PublicForm::Submission(SubmissionKind::Vraag),
    PublicForm::Submission(SubmissionKind::Melding),
    PublicForm::Submission(SubmissionKind::Klacht),
    PublicForm::Tracking(SubmissionKind::Vraag),
    PublicForm::Tracking(SubmissionKind::Melding),
    PublicForm::Tracking(SubmissionKind::Klacht),
    PublicForm::Works,
];

/// Every kind, format and state rule on every public field and form is worded in Dutch for the
/// citizen: never the API's English (whole or in part, nor the English `Display`), never an
/// English word, always a sentence.
#[test]
fn no_citizen_reads_english() {
    for form in PUBLIC_FORMS {
        for field in PUBLIC_FIELDS {
            for kind in every_kind() {
                let i = Invalid::new(field, kind.clone());
                let nl = citizen(&i, form);
                let case = format!("{form:?} {field} {kind:?}: {nl}");
                assert_ne!(nl, english(&i), "{case}");
                assert!(!nl.contains(&english_problem(&i)), "{case}");
                assert!(!nl.contains(&kind.to_string()), "{case}");
                let lower = nl.to_lowercase();
                for word in ENGLISH.iter().chain(&[" is not ", " a ", "please", " or ", " and "]) {
                    assert!(!lower.contains(word), "'{word}' in {case}");
                }
                let sentence = nl.strip_prefix("vakantie.jpg: ").unwrap_or(&nl);
                assert!(sentence.starts_with(char::is_uppercase), "{case}");
                assert!(nl.ends_with('.') || nl.ends_with('!'), "{case}");
            }
        }
    }
}

/// The sentences citizens read before the forms' errors became `Invalid`, kept word for word
/// (only "te lang" no longer counts the characters typed).
#[test]
fn citizens_read_the_sentences_they_read_before() {
    use InvalidKind as K;
    use PublicForm as F;
    use SubmissionKind as S;
    let melding = F::Submission(S::Melding);
    let given = |field, expected| Invalid::malformed(field, "x", expected);
    let cases: Vec<(PublicForm, Invalid, &str)> = vec![
        (F::Submission(S::Vraag), Invalid::empty("omschrijving"), "Typ uw vraag."),
        (melding, Invalid::empty("omschrijving"), "Beschrijf wat u ziet of wat er aan de hand is."),
        (F::Submission(S::Klacht), Invalid::empty("omschrijving"), "Beschrijf waarover u een klacht hebt."),
        (
            melding,
            Invalid::new("omschrijving", K::TooShort { min: 5 }),
            "Uw tekst is erg kort. Vertel in een paar woorden meer.",
        ),
        (
            melding,
            Invalid::new("omschrijving", K::TooLong { max: 4000 }),
            "Uw tekst is te lang. Maak het korter, tot 4000 tekens.",
        ),
        (
            melding,
            Invalid::new("plek", K::ControlCharacters),
            "De beschrijving van de plek bevat vreemde tekens. Typ de tekst opnieuw.",
        ),
        (
            melding,
            Invalid::new("wanneer", K::TooLong { max: 200 }),
            "Wanneer is te lang. Maak het korter, tot 200 tekens.",
        ),
        (melding, Invalid::empty("onderwerp"), "Kies waar uw melding over gaat."),
        (
            melding,
            Invalid::unknown_id("onderwerp", "x"),
            "Dit onderwerp kennen we niet. Kies een onderwerp uit de lijst.",
        ),
        (
            melding,
            given("postcode", Format::Postcode),
            "Deze postcode klopt niet. Schrijf 4 cijfers en 2 letters, bijvoorbeeld 2611 AB.",
        ),
        (
            melding,
            given("huisnummer", Format::HouseNumber),
            "Dit huisnummer klopt niet. Schrijf het nummer met eventueel een letter, bijvoorbeeld 12 of 12A.",
        ),
        (
            melding,
            Invalid::new("huisnummer", K::Needed { by: "postcode" }),
            "Vul ook het huisnummer in, of beschrijf de plek.",
        ),
        (
            melding,
            Invalid::new("postcode", K::Needed { by: "huisnummer" }),
            "Vul ook de postcode in, of beschrijf de plek.",
        ),
        (
            melding,
            Invalid::empty("postcode"),
            "Vertel ons waar het is: vul postcode en huisnummer in, of beschrijf de plek.",
        ),
        (
            melding,
            given("punt", Format::MapPoint),
            "De plek op de kaart klopt niet. Kies de plek opnieuw, of laat de kaart leeg.",
        ),
        (
            melding,
            Invalid::new("punt", K::OutsideNetherlands),
            "De plek op de kaart ligt niet in Nederland. Kies een plek in ons gebied, of laat de kaart leeg.",
        ),
        (F::Submission(S::Klacht), Invalid::empty("contact"), "Kies hoe wij u een antwoord op uw klacht sturen."),
        (
            melding,
            Invalid::new("contact", K::Unknown { given: "fax".into(), allowed: vec![] }),
            "Kies e-mail, telefoon of geen contact.",
        ),
        (melding, given("email", Format::Email), "Dit e-mailadres klopt niet. Schrijf het als naam@voorbeeld.nl."),
        (
            melding,
            given("telefoon", Format::Phone),
            "Dit telefoonnummer klopt niet. Schrijf alleen cijfers, bijvoorbeeld 0612345678.",
        ),
        (
            melding,
            Invalid::new("email", K::Needed { by: "contact" }),
            "U koos voor e-mail. Vul uw e-mailadres in, of kies een andere manier.",
        ),
        (
            melding,
            Invalid::new("telefoon", K::Needed { by: "contact" }),
            "U koos voor telefoon. Vul uw telefoonnummer in, of kies een andere manier.",
        ),
        (
            F::Submission(S::Klacht),
            Invalid::empty("naam"),
            "Vul uw naam in. Een klacht behandelen we altijd persoonlijk.",
        ),
        (melding, Invalid::new("fotos", K::TooMany { max: 3 }), "U kunt maximaal 3 foto's meesturen. Kies er minder."),
        (
            melding,
            Invalid::new("fotos", K::Photo { file: "vakantie.jpg".into(), problem: PhotoError::NotAPhoto }),
            "vakantie.jpg: Dit bestand is geen foto. Kies een foto van het type JPEG, PNG of HEIC.",
        ),
        (
            melding,
            Invalid::new("fotos", K::Photo { file: String::new(), problem: PhotoError::Empty }),
            "Dit bestand is leeg. Kies een foto en probeer het opnieuw.",
        ),
        (F::Tracking(S::Melding), Invalid::empty("bericht"), "Typ wat u wilt toevoegen, of kies een foto."),
        (
            F::Tracking(S::Vraag),
            Invalid::new("bericht", K::TooLong { max: 4000 }),
            "Uw bericht is te lang. Maak het korter, tot 4000 tekens.",
        ),
        (
            F::Tracking(S::Klacht),
            Invalid::wrong_state("bericht", StateRule::SubmissionClosed),
            "Uw klacht is al afgehandeld. Bent u niet tevreden? Vul dan de vragenlijst hieronder in.",
        ),
        (
            F::Tracking(S::Melding),
            Invalid::wrong_state("bericht", StateRule::TooManyMessages { max: 20 }),
            "U hebt al 20 berichten over uw melding gestuurd. Meer kan niet via deze pagina. \
             Wilt u nog iets laten weten? Neem dan contact met ons op.",
        ),
        (
            F::Tracking(S::Melding),
            Invalid::wrong_state("fotos", StateRule::TooManyPhotos { max: 20, left: 0 }),
            "Bij uw melding zitten al 20 foto's. Meer foto's kunnen er niet bij.",
        ),
        (
            F::Tracking(S::Melding),
            Invalid::wrong_state("fotos", StateRule::TooManyPhotos { max: 20, left: 2 }),
            "Bij uw melding kunnen in totaal 20 foto's. Er kunnen er nog 2 bij. Kies er minder.",
        ),
        (
            F::Tracking(S::Vraag),
            Invalid::wrong_state("cijfer", StateRule::SurveyAnswered),
            "U hebt deze vragenlijst al ingevuld. Dank u wel!",
        ),
        (
            F::Tracking(S::Vraag),
            Invalid::wrong_state("cijfer", StateRule::SurveyClosed { days: 14 }),
            "De vragenlijst is niet meer open. Dat kan tot 14 dagen na het afhandelen.",
        ),
        (
            F::Tracking(S::Vraag),
            Invalid::new("cijfer", K::OutOfRange { min: 1, max: Some(10) }),
            "Kies een cijfer van 1 tot en met 10.",
        ),
        (
            F::Tracking(S::Vraag),
            Invalid::new("opgelost", K::Unknown { given: "misschien".into(), allowed: vec![] }),
            "Kies ja of nee.",
        ),
        (
            F::Tracking(S::Vraag),
            Invalid::new("moeite", K::OutOfRange { min: 1, max: Some(5) }),
            "Kies hoeveel moeite het u kostte.",
        ),
        (
            F::Tracking(S::Vraag),
            Invalid::new("toelichting", K::ControlCharacters),
            "Uw toelichting bevat vreemde tekens. Typ de tekst opnieuw.",
        ),
        (F::Works, Invalid::empty("email"), "Vul uw e-mailadres in."),
        (F::Works, given("email", Format::Email), "Dit is geen e-mailadres. Schrijf het zo: naam@voorbeeld.nl."),
        (F::Works, Invalid::empty("postcode"), "Vul uw postcode in."),
        (
            F::Works,
            given("postcode", Format::Postcode),
            "Dit is geen postcode. Schrijf vier cijfers en twee letters, bijvoorbeeld 2611 AB.",
        ),
        (
            F::Works,
            given("postcode", Format::PostcodeOrPlace),
            "Dit is geen postcode of plaatsnaam. Vul uw postcode in, bijvoorbeeld 2611 AB, of de naam van uw woonplaats.",
        ),
    ];
    for (form, invalid, sentence) in cases {
        assert_eq!(citizen(&invalid, form), sentence, "{form:?} {invalid}");
    }
}
