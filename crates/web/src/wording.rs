//! The words for a validation error, chosen at the edge: `english` for the JSON API (what is
//! wrong and how to fix it), `dutch` for staff pages and public message pages, `citizen` for the
//! public forms (plain Dutch, B1, worded for the form it is shown on). The domain only says which
//! field is wrong and what kind of fault it is; every sentence lives here.
//!
//! Each has one sentence per kind, and per-(field, kind) overrides where a specific sentence
//! reads better.

use gastvrij_domain::portal::SubmissionKind;
use gastvrij_domain::{Format, Invalid, InvalidKind, StateRule};

/// The API's message: `field: what is wrong; how to fix it`.
pub fn english(i: &Invalid) -> String {
    format!("{}: {}", i.path(), english_problem(i))
}

/// A sentence for a page: `Controleer het gebied: … .`
pub fn dutch(i: &Invalid) -> String {
    dutch_as(label(i.field).unwrap_or("de invoer"), i)
}

/// As `dutch`, with the page's own name for the field (a form where `text` is a message, not a
/// question).
pub fn dutch_as(label: &str, i: &Invalid) -> String {
    let at = match i.item {
        Some(item) => format!(" (nummer {})", item.index + 1),
        None => String::new(),
    };
    format!("Controleer {label}{at}: {}.", dutch_problem(i))
}

/// The Dutch name of a field, with its article, as a sentence uses it.
pub fn label(field: &str) -> Option<&'static str> {
    Some(match field {
        "text" | "question" | "question_id" => "de vraag",
        "answer" => "het antwoord",
        "forwarded_to" => "doorgestuurd naar",
        "team_id" | "to_team" | "owning_teams" => "het team",
        "case_type" => "het soort zaak",
        "kind" => "het soort",
        "name" => "de naam",
        "email" | "details.email" => "het e-mailadres",
        "phone" | "details.phone" => "het telefoonnummer",
        "postcode" | "details.postcode" => "de postcode",
        "house_number" | "details.house_number" => "het huisnummer",
        "street" | "details.street" => "de straat",
        "city" | "details.city" => "de plaats",
        "kvk_number" | "details.kvk_number" => "het KvK-nummer",
        "segments" => "de doelgroepen",
        "channel" => "het kanaal",
        "waiting_seconds" => "de wachttijd",
        "until" => "de tijd",
        "availability" => "de beschikbaarheid",
        "expertise" => "de onderwerpen",
        "q" => "de zoekvraag",
        "limit" => "het aantal",
        "status" => "de status",
        "state" => "de stand van het contact",
        "outcome" => "de uitkomst",
        "line" => "de lijn",
        "note" => "de notitie",
        "questions" => "de vragen",
        "customer_id" | "klant" => "de klant",
        "contact_id" => "het contact",
        "agent_id" | "owner_id" | "to_employee" => "de medewerker",
        "topic_id" | "topic" => "het onderwerp",
        "parent_id" => "het bovenliggende onderwerp",
        "reason" => "de reden",
        "asked" => "wat u van de klant vraagt",
        "welke" => "welke zaken",
        "pagina" => "het paginanummer",
        "due_on" => "de dag waarop het nodig is",
        "target" => "het doel",
        "day" => "de datum",
        "action" | "actions" | "done" => "het actiepunt",
        "today" => "vandaag",
        "message" => "het bericht aan de klant",
        "result" => "het resultaat",
        "extension" => "de verlenging",
        "deadline" => "de termijn",
        "username" => "de gebruikersnaam",
        "password" => "het wachtwoord",
        "title" => "de titel",
        "what" => "wat we doen",
        "why" => "waarom",
        "area" => "het gebied",
        "starts_on" => "de eerste dag",
        "ends_on" => "de laatste dag",
        "contact" => "het contact",
        "subject" => "het onderwerp",
        "body" => "de tekst",
        "work_id" => "het werk",
        "keywords" => "de trefwoorden",
        "related" => "de verwante artikelen",
        "publish_at" => "de publicatiedatum",
        "archive_at" => "de archiefdatum",
        "review_date" => "de herzieningsdatum",
        "public_answer" => "het openbare antwoord",
        "rules" => "de synoniemen",
        "calls" => "de gesprekken",
        "call_id" => "het gespreksnummer",
        "started_at" => "het begin",
        "ended_at" => "het einde",
        "quarter" => "het kwartaal",
        "from" => "het begin van de periode",
        "to" => "het einde van de periode",
        "horizon_hours" => "de vooruitblik",
        "time_zone" => "de tijdzone",
        "calendar" => "de kalender",
        "inhabitants" => "het aantal inwoners",
        "file_name" => "de bestandsnaam",
        "content_type" => "het bestandstype",
        "sha256" => "de controlesom",
        "photo" => "de foto",
        "reply_to" => "het antwoordadres",
        "list_unsubscribe" => "de afmeldlink",
        "id" => "de code",
        "involved" => "de betrokken medewerkers",
        "involved_other" => "betrokken, geen medewerker",
        "hearing" => "de hoorzitting",
        "hearing_on" => "de datum van de hoorzitting",
        "hearing_notes" => "het verslag van de hoorzitting",
        "measures" => "de maatregelen",
        "jaar" | "year" => "het jaar",
        "organisation_code" => "de code van het waterschap",
        _ => return None,
    })
}

/// A value as typed, quoted and cut short so a long paste does not flood the message.
fn quoted(given: &str) -> String {
    const MAX: usize = 60;
    if given.chars().count() > MAX {
        format!("'{}…'", given.chars().take(MAX).collect::<String>())
    } else {
        format!("'{given}'")
    }
}

/// `2619-2611` becomes `2611-2619`: the example for a range written backwards.
fn swapped(range: &str) -> String {
    match range.split_once(['-', '–', '—']) {
        Some((a, b)) => format!("{}-{}", b.trim(), a.trim()),
        None => range.to_string(),
    }
}

/// The thing an id field refers to, for "no team has this id".
fn referent(field: &str) -> &'static str {
    match field {
        "team_id" | "to_team" | "owning_teams" => "team",
        "topic_id" | "parent_id" => "topic",
        "owner_id" | "agent_id" | "to_employee" | "involved" => "employee",
        "customer_id" => "customer",
        "contact_id" => "contact",
        "related" => "article",
        "work_id" => "planned work",
        _ => "record",
    }
}

/// What is wrong and how to fix it, without the field (the CLI names its own flag).
pub fn english_problem(i: &Invalid) -> String {
    use InvalidKind as K;
    match (i.field, &i.kind) {
        ("forwarded_to", K::Empty) => {
            "name the body the question was forwarded to (e.g. gemeente, Rijkswaterstaat)".into()
        }
        ("reason", K::Empty) => "is empty; say why, e.g. 'wacht op klant'".into(),
        ("waiting_seconds", K::Empty) => "give the seconds in the queue for an answered or abandoned call".into(),
        ("public_answer", K::Empty) => "write the public answer (B1) before publishing on the website".into(),
        ("to_team", K::Empty) => "ask a team (to_team) or a person (to_employee)".into(),
        ("questions", K::Empty) => "add at least one question before closing the contact".into(),
        ("calls", K::Empty) => "send at least one call".into(),
        ("area", K::Empty) => "is empty or names no postcode or place; write e.g. 2611-2619, 2625 or Delft".into(),
        ("starts_on" | "ends_on", K::Empty) => "is empty; write a date as YYYY-MM-DD, e.g. 2026-03-02".into(),
        ("username", K::Empty) => "a user needs a username to sign in with".into(),
        ("topic", K::Empty) => "is empty; give a topic such as Belastingen/Kwijtschelding".into(),
        ("name", K::Empty) => "is empty; fill it in (a person, organisation or team needs a name)".into(),
        ("password", K::TooShort { min }) => {
            format!("use at least {min} characters; a few words make a good passphrase")
        }
        ("password", K::TooLong { max }) => format!("use at most {max} bytes"),
        ("q", K::TooLong { max }) => format!("is longer than {max} characters; search with a few words"),
        ("questions", K::TooMany { max }) => format!("a contact holds at most {max} questions; start a new contact"),
        ("calls", K::TooMany { max }) => format!("send at most {max} calls per request"),
        ("to", K::TooMany { max }) => {
            format!("the period spans at most {max} weeks; choose a later from or an earlier to")
        }
        ("waiting_seconds", K::OutOfRange { max: Some(max), .. }) => {
            format!("is more than {max} seconds; check the unit (seconds) and the telephony data")
        }
        ("username", K::Duplicate) => "is taken; choose another username".into(),
        ("name", K::Duplicate) => "is taken already; choose another name".into(),
        ("line", K::Mismatch { expected: Some(line), .. }) => {
            format!("the outcome belongs to {line}; leave line out or make it match")
        }
        ("kind", K::Mismatch { .. }) => "an anonymous customer has no name or contact details; \
                                         choose kind persoon or organisatie, or leave them out"
            .into(),
        ("waiting_seconds", K::NotApplicable) => {
            "only phone contacts have a waiting time; leave it out for other channels".into()
        }
        ("details.kvk_number", K::NotApplicable) => {
            "only organisations have a KvK number; set kind to organisatie or leave it out".into()
        }
        ("until", K::NotApplicable) => "a time only goes with absent or in a meeting".into(),
        ("ends_on", K::OutOfOrder { after }) => format!("lies before the start ({after}); swap them"),
        ("ended_at", K::OutOfOrder { after }) => format!("is before {after}; a contact ends after it starts"),
        ("parent_id", K::Cycle) => "the topic would lie below itself; choose a parent outside its subtree".into(),
        ("related", K::Cycle) => "an article cannot be related to itself".into(),
        ("started_at", K::InFuture) => "lies in the future; use the moment the contact began".into(),
        ("question_id", K::Unknown { .. }) => "this contact has no question with that id".into(),
        (_, kind) => english_kind(i.field, kind),
    }
}

fn english_kind(field: &str, kind: &InvalidKind) -> String {
    use InvalidKind as K;
    match kind {
        K::Empty => "is empty; fill it in".into(),
        K::Needed { by } => format!("is empty, but {by} needs it; fill it in"),
        K::TooLong { max } => format!("is too long; shorten it to at most {max} characters"),
        K::TooShort { min } => format!("is too short; use at least {min} characters"),
        K::TooMany { max } => format!("has too many entries; give at most {max}"),
        K::OutOfRange { min, max: Some(max) } => format!("must be between {min} and {max}"),
        K::OutOfRange { min, max: None } => format!("must be {min} or more"),
        K::ControlCharacters => "contains control characters; remove them".into(),
        K::Malformed { given, expected } => english_format(given, *expected),
        K::Unknown { given, allowed } if !allowed.is_empty() => {
            format!("{} is unknown; use one of: {}", quoted(given), allowed.join(", "))
        }
        K::Unknown { .. } => {
            let hint = match referent(field) {
                "team" => "; list teams at /api/v1/teams",
                "topic" => "; list topics at /api/v1/topics",
                "customer" => "; create the customer first",
                _ => "",
            };
            format!("no {} has this id{hint}", referent(field))
        }
        K::Duplicate => "is taken already; choose another value".into(),
        K::Mismatch { with, expected: Some(e) } => format!("does not go with {with}; leave it out or make it {e}"),
        K::Mismatch { with, expected: None } => format!("does not go with {with}; change one of them"),
        K::NotApplicable => "does not apply here; leave it out".into(),
        K::OutOfOrder { after } => format!("must come after {after}"),
        K::Cycle => "refers to itself; choose another".into(),
        K::InFuture => "lies in the future; use the moment it happened".into(),
        K::WrongState(rule) => english_state(rule),
        K::OutsideNetherlands => {
            "lies outside the Netherlands; choose a place in the Netherlands or leave it out".into()
        }
        K::Photo { .. } => kind.to_string(),
        K::Described(text) => text.clone(),
        K::MissingPlaceholder { name } => format!("lacks {name}; this letter needs it, add it to the text"),
    }
}

fn english_format(given: &str, expected: Format) -> String {
    let g = quoted(given);
    match expected {
        Format::Date => format!("{g} is not a date; write it as YYYY-MM-DD, e.g. 2026-03-02"),
        Format::TimeOfDay => format!("{g} is not a time of day; write it as HH:MM, e.g. 14:30"),
        Format::WholeNumber => format!("{g} is not a whole number; write digits only, e.g. 90"),
        Format::Uuid => format!("{g} is not a valid id; use the UUID returned when the record was created"),
        Format::Email => format!("{g} is not an e-mail address; write it as name@example.nl"),
        Format::Phone => {
            format!("{g} is not a phone number; use digits, for example 0612345678 or +31612345678")
        }
        Format::Postcode => {
            format!("{g} is not a Dutch postcode; write four digits and two letters, for example 2611 AB")
        }
        Format::KvkNumber => format!("{g} is not a KvK number; it has exactly 8 digits"),
        Format::Username => {
            format!("{g} is not a username; use 2 to 64 characters: letters a-z, digits, '.', '-', '_' or '@'")
        }
        Format::TimeZone => format!("{g} is not a known time zone; use an IANA name such as Europe/Amsterdam"),
        Format::AreaPart => format!(
            "{g} is not a postcode range (2611-2619), a postcode (2611 or 2611 AB) or a place name (Delft); \
             separate the parts with commas"
        ),
        Format::AscendingRange => {
            format!("{g} runs backwards; write the lower postcode first, e.g. {}", swapped(given))
        }
        Format::Postcodes => {
            "names no postcode; subscriptions are by postcode, so write postcodes, e.g. 2611-2619, 2625".into()
        }
        Format::OneLine => "must be one line; remove the line breaks and tabs".into(),
        Format::HttpLink => "must be an absolute http(s) link without spaces, commas or angle brackets".into(),
        Format::FileName => format!("{g} is not a file name; give the file's name without a folder"),
        Format::Sha256 => "is not a SHA-256; give the 64 hex digits of the file's SHA-256".into(),
        Format::SynonymRule => format!("{g} is not 'a, b => c' or 'a, b, c'"),
        Format::MapPoint => format!("{g} is not a point; give latitude and longitude as decimal numbers"),
        Format::HouseNumber => {
            format!("{g} is not a house number; write the number and perhaps a letter, e.g. 12 or 12A")
        }
        Format::PostcodeOrPlace => format!("{g} is neither a postcode nor a place name; write e.g. 2611 AB or Delft"),
        Format::OrganisationCode => format!(
            "{g} is not an organisation code; use lower-case letters and digits with single hyphens, e.g. waterschap-de-lage-waard"
        ),
    }
}

fn english_state(rule: &StateRule) -> String {
    match rule {
        StateRule::Transition { from, to } => format!("what is '{from}' cannot become '{to}'"),
        StateRule::ContactNotOpen => "only an open contact can be parked".into(),
        StateRule::ContactNotParked => "only a parked contact can be resumed".into(),
        StateRule::ContactClosed => "the contact is already closed".into(),
        StateRule::CaseClosed => "a closed case cannot be extended; reopen it first".into(),
        StateRule::AlreadyExtended => "the case was already extended once; the law allows one extension".into(),
        StateRule::ExtensionNotAllowed { case_type } => {
            format!("a {case_type} cannot be extended; only case types with a legal extension can")
        }
        StateRule::SuspensionNotAllowed { case_type } => format!("a {case_type} cannot be suspended"),
        StateRule::HandedOver { case } => format!("this question was already handed over (case {case})"),
        StateRule::NotForwarded => "only a question forwarded to another body can be confirmed".into(),
        StateRule::AlreadyConfirmed => "the other body already confirmed this question".into(),
        StateRule::AlreadyAnswered => "this consultation has been answered already".into(),
        StateRule::NotAnswered => "the back office has not answered yet; wait for the answer".into(),
        StateRule::BeyondCalendar => {
            "the deadline falls outside the years the calendar covers; ask the administrator to extend it".into()
        }
        StateRule::SubmissionClosed => "the case is closed; nothing can be added now, answer the survey instead".into(),
        StateRule::SurveyAnswered => "the survey has been answered already".into(),
        StateRule::SurveyClosed { days } => {
            format!("the survey is closed; it can be answered up to {days} days after the case was closed")
        }
        StateRule::TooManyMessages { max } => {
            format!("{max} messages were added to this submission already; no more can be added")
        }
        StateRule::TooManyPhotos { max, left } => {
            format!("a submission holds at most {max} photos; {left} more can be added")
        }
        StateRule::OwnedByAnother => "the case has another owner; they or a team lead can hand it over to you".into(),
        StateRule::InvolvedInComplaint => {
            "this employee is involved in what the complaint is about and may not handle it (Awb 9:7)".into()
        }
        StateRule::OwnerInvolved => "the complaint's owner cannot be named involved; hand it over first".into(),
        StateRule::HearingNotSettled => {
            "record first whether the hearing was held, or why not (Awb 9:10); then close the complaint".into()
        }
        StateRule::OutcomeInWriting => "a complaint is closed with its result and conclusions in writing (Awb 9:12): \
             use POST /api/v1/cases/{id}/closure"
            .into(),
        StateRule::ReviewByAnother => {
            "you edited this article last; another editor reviews and publishes it (four-eyes rule)".into()
        }
    }
}

fn dutch_problem(i: &Invalid) -> String {
    use InvalidKind as K;
    match (i.field, &i.kind) {
        ("forwarded_to", K::Empty) => "is leeg; vul in naar welke organisatie de vraag ging".into(),
        ("reason", K::Empty) => "is leeg; schrijf waarom, bijvoorbeeld 'wacht op klant'".into(),
        ("waiting_seconds", K::Empty) => "is leeg; vul de wachttijd in seconden in".into(),
        ("public_answer", K::Empty) => "is leeg; schrijf eerst het openbare antwoord (B1)".into(),
        ("to_team", K::Empty) => "is leeg; kies een team of een persoon".into(),
        ("questions", K::Empty) => "ontbreken; voeg eerst een vraag toe".into(),
        ("area", K::Empty) => "noemt geen postcode of plaats; schrijf bijvoorbeeld 2611-2619, 2625 of Delft".into(),
        ("area", K::TooMany { max }) => format!("heeft te veel delen; gebruik er hoogstens {max}"),
        ("to", K::TooMany { max }) => format!("ligt te ver na het begin; een periode is hoogstens {max} weken"),
        ("waiting_seconds", K::OutOfRange { max: Some(max), .. }) => {
            format!("is te lang; meer dan {max} seconden kan niet")
        }
        ("username", K::Duplicate) => "is al in gebruik; kies een andere".into(),
        ("name", K::Duplicate) => "bestaat al; kies een andere naam".into(),
        ("kind", K::Mismatch { .. }) => {
            "een anonieme klant heeft geen naam of gegevens; kies persoon of organisatie, of laat ze leeg".into()
        }
        ("until", K::NotApplicable) => "hoort alleen bij afwezig of in overleg".into(),
        ("waiting_seconds", K::NotApplicable) => "hoort alleen bij een telefoongesprek; laat het leeg".into(),
        ("details.kvk_number" | "kvk_number", K::NotApplicable) => {
            "hoort alleen bij een organisatie; laat het leeg of kies organisatie".into()
        }
        ("ends_on", K::OutOfOrder { .. }) => "ligt voor de eerste dag; draai ze om".into(),
        (_, kind) => dutch_kind(kind),
    }
}

fn dutch_kind(kind: &InvalidKind) -> String {
    use InvalidKind as K;
    match kind {
        K::Empty => "is leeg; vul het in".into(),
        K::Needed { by } => format!("is leeg, maar hoort bij {}; vul het in", label(by).unwrap_or("een ander veld")),
        K::TooLong { max } => format!("is te lang; maak het korter (hoogstens {max} tekens)"),
        K::TooShort { min } => format!("is te kort; gebruik minstens {min} tekens"),
        K::TooMany { max } => format!("zijn te veel; gebruik er hoogstens {max}"),
        K::OutOfRange { min, max: Some(max) } => format!("moet tussen {min} en {max} liggen"),
        K::OutOfRange { min, max: None } => format!("moet {min} of meer zijn"),
        K::ControlCharacters => "bevat vreemde tekens; typ de tekst opnieuw".into(),
        K::Malformed { given, expected } => dutch_format(given, *expected),
        K::Unknown { given, allowed } if !allowed.is_empty() => {
            format!("{} kennen we niet; kies uit: {}", quoted(given), allowed.join(", "))
        }
        K::Unknown { .. } => "bestaat niet (meer); kies opnieuw uit de lijst".into(),
        K::Duplicate => "bestaat al; kies een andere".into(),
        K::Mismatch { with, .. } => format!("past niet bij {}", label(with).unwrap_or("de rest van het formulier")),
        K::NotApplicable => "hoort hier niet; laat het leeg".into(),
        K::OutOfOrder { after } => format!("moet na {} liggen", label(after).unwrap_or("het begin")),
        K::Cycle => "verwijst naar zichzelf; kies een ander".into(),
        K::InFuture => "ligt in de toekomst; kies het moment waarop het gebeurde".into(),
        K::WrongState(rule) => dutch_state(rule),
        K::OutsideNetherlands => "ligt niet in Nederland; kies een plek in Nederland".into(),
        K::Photo { .. } => {
            "is geen bruikbare foto; kies een foto van het type JPEG, PNG of HEIC, hoogstens 10 MB".into()
        }
        K::Described(_) => "klopt niet; controleer het en probeer het opnieuw".into(),
        K::MissingPlaceholder { name } => format!("mist {name}; die is nodig in deze brief, zet hem in de tekst"),
    }
}

fn dutch_format(given: &str, expected: Format) -> String {
    let g = quoted(given);
    match expected {
        Format::Date => "is geen datum; schrijf bijvoorbeeld 2026-03-02".into(),
        Format::TimeOfDay => "is geen tijd; schrijf bijvoorbeeld 14:30".into(),
        Format::WholeNumber => "is geen heel getal; schrijf alleen cijfers, bijvoorbeeld 90".into(),
        Format::Uuid => "is niet gevonden; kies opnieuw uit de lijst".into(),
        Format::Email => "is geen e-mailadres; schrijf het als naam@voorbeeld.nl".into(),
        Format::Phone => "is geen telefoonnummer; gebruik cijfers, bijvoorbeeld 0612345678".into(),
        Format::Postcode => "is geen postcode; schrijf vier cijfers en twee letters, bijvoorbeeld 2611 AB".into(),
        Format::KvkNumber => "is geen KvK-nummer; dat heeft precies 8 cijfers".into(),
        Format::Username => "kan niet; gebruik 2 tot 64 tekens: letters a-z, cijfers, '.', '-', '_' of '@'".into(),
        Format::TimeZone => format!("{g} is geen bekende tijdzone; gebruik bijvoorbeeld Europe/Amsterdam"),
        Format::AreaPart => format!(
            "{g} is geen reeks postcodes (2611-2619), postcode (2611 of 2611 AB) of plaatsnaam (Delft); \
             scheid de delen met komma's"
        ),
        Format::AscendingRange => format!("{g} loopt achteruit; zet de laagste postcode eerst"),
        Format::Postcodes => {
            "noemt geen postcode; berichten gaan per postcode, schrijf bijvoorbeeld 2611-2619, 2625".into()
        }
        Format::OneLine => "moet op één regel; haal de regelovergangen weg".into(),
        Format::HttpLink => "is geen geldige link; begin met https:// en gebruik geen spaties".into(),
        Format::FileName => "is geen bestandsnaam; geef de naam zonder map".into(),
        Format::Sha256 => "is geen geldige controlesom van 64 tekens".into(),
        Format::SynonymRule => format!("{g} is geen regel als 'a, b => c' of 'a, b, c'"),
        Format::MapPoint => "is geen plek op de kaart; kies de plek opnieuw".into(),
        Format::HouseNumber => "is geen huisnummer; schrijf bijvoorbeeld 12 of 12A".into(),
        Format::PostcodeOrPlace => "is geen postcode of plaatsnaam; schrijf bijvoorbeeld 2611 AB of Delft".into(),
        Format::OrganisationCode => {
            "is geen geldige code; gebruik kleine letters en cijfers met een streepje tussen de woorden, \
             bijvoorbeeld waterschap-de-lage-waard"
                .into()
        }
    }
}

fn dutch_state(rule: &StateRule) -> String {
    match rule {
        StateRule::Transition { from, to } => format!("kan niet van '{from}' naar '{to}'"),
        StateRule::ContactNotOpen => "kan nu niet: alleen een open contact kan worden geparkeerd".into(),
        StateRule::ContactNotParked => "kan nu niet: alleen een geparkeerd contact kan worden hervat".into(),
        StateRule::ContactClosed => "kan nu niet: het contact is al afgesloten".into(),
        StateRule::CaseClosed => "kan niet: een afgesloten zaak wordt niet verlengd; heropen hem eerst".into(),
        StateRule::AlreadyExtended => "kan niet: de zaak is al eens verlengd en de wet staat dat één keer toe".into(),
        StateRule::ExtensionNotAllowed { case_type } => format!("kan niet: een {case_type} wordt niet verlengd"),
        StateRule::SuspensionNotAllowed { case_type } => format!("kan niet: een {case_type} wordt niet opgeschort"),
        StateRule::HandedOver { .. } => "is al overgedragen".into(),
        StateRule::NotForwarded => "kan niet: alleen een doorgestuurde vraag wordt bevestigd".into(),
        StateRule::AlreadyConfirmed => "is al bevestigd door de andere organisatie".into(),
        StateRule::AlreadyAnswered => "is al beantwoord".into(),
        StateRule::NotAnswered => "is nog niet beantwoord; wacht op het antwoord".into(),
        StateRule::BeyondCalendar => "valt buiten de kalender; vraag de beheerder de kalender aan te vullen".into(),
        StateRule::SubmissionClosed => "kan niet meer: de zaak is afgehandeld".into(),
        StateRule::SurveyAnswered => "is al ingevuld".into(),
        StateRule::SurveyClosed { days } => format!("kan niet meer: dat kan tot {days} dagen na het afhandelen"),
        StateRule::TooManyMessages { max } => format!("kan niet meer: er zijn al {max} berichten toegevoegd"),
        StateRule::TooManyPhotos { max, left } => {
            format!("kan niet: er kunnen maximaal {max} foto's bij, nog {left}")
        }
        StateRule::OwnedByAnother => {
            "kan niet: de zaak heeft al een eigenaar; die of de teamleider kan hem aan u overdragen".into()
        }
        StateRule::InvolvedInComplaint => "kan niet: deze medewerker is betrokken bij waar de klacht over gaat en \
             mag de klacht niet behandelen (Awb 9:7); kies een collega die er niet bij betrokken was"
            .into(),
        StateRule::OwnerInvolved => {
            "kan niet: de behandelaar staat tussen de betrokkenen; draag de klacht eerst over aan een collega".into()
        }
        StateRule::HearingNotSettled => "kan nog niet: leg eerst vast of de hoorzitting is gehouden, of waarom \
             niet (Awb 9:10); daarna handelt u de klacht af"
            .into(),
        StateRule::OutcomeInWriting => "kan niet zo: een klacht handelt u af met het oordeel en de conclusies \
             op papier (Awb 9:12); gebruik Afhandelen op de zaakpagina"
            .into(),
        StateRule::ReviewByAnother => "kan niet: u heeft dit artikel als laatste bewerkt; een andere redacteur \
             beoordeelt en publiceert het (vier ogen)"
            .into(),
    }
}

/// The public form an error is shown on: what a citizen reads depends on it (the description of
/// a vraag is "uw vraag", a closed melding is "uw melding").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PublicForm {
    /// The vraag, melding or klacht form.
    Submission(SubmissionKind),
    /// The tracking page of a submission of this kind: adding information, the survey.
    Tracking(SubmissionKind),
    /// The works pages: the search by postcode or place, and the subscription form.
    Works,
}

/// A sentence for a citizen on a public form: plain Dutch (B1) that says what is wrong and how
/// to fix it, never the English of the API. The field names are the form's (`omschrijving`).
pub fn citizen(i: &Invalid, form: PublicForm) -> String {
    use InvalidKind as K;
    use PublicForm as F;
    use SubmissionKind as S;
    let sentence = match (form, i.field, &i.kind) {
        // The works pages.
        (F::Works, "email", K::Empty) => "Vul uw e-mailadres in.",
        (F::Works, "email", K::Malformed { .. }) => "Dit is geen e-mailadres. Schrijf het zo: naam@voorbeeld.nl.",
        (F::Works, "postcode", K::Empty) => "Vul uw postcode in.",
        (F::Works, "postcode", K::Malformed { expected: Format::PostcodeOrPlace, .. }) => {
            "Dit is geen postcode of plaatsnaam. Vul uw postcode in, bijvoorbeeld 2611 AB, of de naam van uw woonplaats."
        }
        (F::Works, "postcode", K::Malformed { .. }) => {
            "Dit is geen postcode. Schrijf vier cijfers en twee letters, bijvoorbeeld 2611 AB."
        }
        // The vraag, melding and klacht forms.
        (F::Submission(S::Vraag), "omschrijving", K::Empty) => "Typ uw vraag.",
        (F::Submission(S::Melding), "omschrijving", K::Empty) => "Beschrijf wat u ziet of wat er aan de hand is.",
        (F::Submission(S::Klacht), "omschrijving", K::Empty) => "Beschrijf waarover u een klacht hebt.",
        (_, "omschrijving", K::TooShort { .. }) => "Uw tekst is erg kort. Vertel in een paar woorden meer.",
        (F::Submission(kind), "onderwerp", K::Empty) => {
            return format!("Kies waar uw {} over gaat.", kind.noun());
        }
        (_, "onderwerp", K::Unknown { .. }) => "Dit onderwerp kennen we niet. Kies een onderwerp uit de lijst.",
        (_, "postcode", K::Malformed { .. }) => {
            "Deze postcode klopt niet. Schrijf 4 cijfers en 2 letters, bijvoorbeeld 2611 AB."
        }
        (_, "postcode", K::Empty) => "Vertel ons waar het is: vul postcode en huisnummer in, of beschrijf de plek.",
        (_, "postcode", K::Needed { .. }) => "Vul ook de postcode in, of beschrijf de plek.",
        (_, "huisnummer", K::Malformed { .. }) => {
            "Dit huisnummer klopt niet. Schrijf het nummer met eventueel een letter, bijvoorbeeld 12 of 12A."
        }
        (_, "huisnummer", K::Needed { .. }) => "Vul ook het huisnummer in, of beschrijf de plek.",
        (_, "punt", K::OutsideNetherlands) => {
            "De plek op de kaart ligt niet in Nederland. Kies een plek in ons gebied, of laat de kaart leeg."
        }
        (_, "punt", _) => "De plek op de kaart klopt niet. Kies de plek opnieuw, of laat de kaart leeg.",
        (F::Submission(S::Klacht), "contact", K::Empty) => "Kies hoe wij u een antwoord op uw klacht sturen.",
        (_, "contact", K::Empty | K::Unknown { .. }) => "Kies e-mail, telefoon of geen contact.",
        (_, "email", K::Malformed { .. }) => "Dit e-mailadres klopt niet. Schrijf het als naam@voorbeeld.nl.",
        (_, "email", K::Needed { .. }) => "U koos voor e-mail. Vul uw e-mailadres in, of kies een andere manier.",
        (_, "telefoon", K::Malformed { .. }) => {
            "Dit telefoonnummer klopt niet. Schrijf alleen cijfers, bijvoorbeeld 0612345678."
        }
        (_, "telefoon", K::Needed { .. }) => {
            "U koos voor telefoon. Vul uw telefoonnummer in, of kies een andere manier."
        }
        (F::Submission(S::Klacht), "naam", K::Empty) => "Vul uw naam in. Een klacht behandelen we altijd persoonlijk.",
        // Photos, on the forms and the tracking page.
        (_, _, K::TooMany { max }) if i.field == "fotos" => {
            return format!("U kunt maximaal {max} foto's meesturen. Kies er minder.");
        }
        (_, _, K::Photo { file, problem }) if file.is_empty() => return problem.dutch(),
        (_, _, K::Photo { file, problem }) => return format!("{file}: {}", problem.dutch()),
        // The tracking page: adding information, the survey.
        (_, "bericht", K::Empty) => "Typ wat u wilt toevoegen, of kies een foto.",
        (F::Tracking(kind) | F::Submission(kind), _, K::WrongState(StateRule::SubmissionClosed)) => {
            return format!(
                "Uw {} is al afgehandeld. Bent u niet tevreden? Vul dan de vragenlijst hieronder in.",
                kind.noun()
            );
        }
        (F::Tracking(kind) | F::Submission(kind), _, K::WrongState(StateRule::TooManyMessages { max })) => {
            return format!(
                "U hebt al {max} berichten over uw {} gestuurd. Meer kan niet via deze pagina. \
                 Wilt u nog iets laten weten? Neem dan contact met ons op.",
                kind.noun()
            );
        }
        (F::Tracking(kind) | F::Submission(kind), _, K::WrongState(StateRule::TooManyPhotos { max, left: 0 })) => {
            return format!("Bij uw {} zitten al {max} foto's. Meer foto's kunnen er niet bij.", kind.noun());
        }
        (F::Tracking(kind) | F::Submission(kind), _, K::WrongState(StateRule::TooManyPhotos { max, left })) => {
            return format!(
                "Bij uw {} kunnen in totaal {max} foto's. Er kunnen er nog {left} bij. Kies er minder.",
                kind.noun()
            );
        }
        (_, _, K::WrongState(StateRule::SurveyAnswered)) => "U hebt deze vragenlijst al ingevuld. Dank u wel!",
        (_, _, K::WrongState(StateRule::SurveyClosed { days })) => {
            return format!("De vragenlijst is niet meer open. Dat kan tot {days} dagen na het afhandelen.");
        }
        (_, "cijfer", K::OutOfRange { min, max: Some(max) }) => {
            return format!("Kies een cijfer van {min} tot en met {max}.");
        }
        (_, "opgelost", _) => "Kies ja of nee.",
        (_, "moeite", _) => "Kies hoeveel moeite het u kostte.",
        // Any text field.
        (_, field, K::TooLong { max }) => {
            return format!("{} is te lang. Maak het korter, tot {max} tekens.", citizen_label(field));
        }
        (_, field, K::ControlCharacters) => {
            return format!("{} bevat vreemde tekens. Typ de tekst opnieuw.", citizen_label(field));
        }
        // What the public forms do not produce: the staff sentence, with the form's name for the field.
        (_, field, _) => return dutch_as(&lowercase_first(citizen_label(field)), i),
    };
    sentence.to_string()
}

/// The name of a public form's field as a sentence starts with it: "Uw tekst is te lang."
fn citizen_label(field: &str) -> &'static str {
    match field {
        "omschrijving" => "Uw tekst",
        "plek" => "De beschrijving van de plek",
        "wanneer" => "Wanneer",
        "naam" => "Uw naam",
        "bericht" => "Uw bericht",
        "toelichting" => "Uw toelichting",
        "email" => "Uw e-mailadres",
        "telefoon" => "Uw telefoonnummer",
        "postcode" => "De postcode",
        "huisnummer" => "Het huisnummer",
        "onderwerp" => "Het onderwerp",
        "contact" => "De manier waarop wij u antwoorden",
        "punt" => "De plek op de kaart",
        "cijfer" => "Het cijfer",
        "opgelost" | "moeite" => "Uw antwoord",
        "fotos" => "De foto's",
        _ => "Uw invoer",
    }
}

fn lowercase_first(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_lowercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
#[path = "wording_tests.rs"]
mod tests;
