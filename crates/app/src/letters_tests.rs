//! The mail texts pinned for fixed inputs: the templates must render them byte for byte.

use super::*;
use gastvrij_domain::ids::CaseId;
use gastvrij_domain::planned_works::PlannedWorkInput;
use gastvrij_domain::portal::SubmissionForm;
use jiff::Timestamp;

const ORG: &str = "Hoogheemraadschap van de Lage Waard";
const LINK: &str = "https://waterschap.example/volgen/0123456789abcdef0123456789abcdef0123456789abcdef";

fn submission(kind: SubmissionKind, name: &str, urgent: bool) -> Submission {
    let form = SubmissionForm {
        onderwerp: gastvrij_domain::ids::TopicId::new().to_string(),
        omschrijving: "Er ligt een dode vis in de sloot & het stinkt <erg>".into(),
        plek: "Bij de stuw aan de Molenweg".into(),
        gevaar: if urgent { "ja".into() } else { String::new() },
        contact: "email".into(),
        naam: name.into(),
        email: "jan@example.nl".into(),
        ..Default::default()
    };
    Submission::from_form(kind, &form, |_| true, CaseId::new(), Timestamp::UNIX_EPOCH).unwrap()
}

fn work() -> PlannedWork {
    let input = PlannedWorkInput {
        title: "Dijkversterking Lekdijk".into(),
        what: "We maken de dijk hoger en breder.\nDe weg is dicht.".into(),
        why: "Zodat de dijk ook bij hoog water sterk genoeg is.".into(),
        area: "2611-2619, Delft".into(),
        starts_on: "2026-03-02".into(),
        ends_on: "2026-05-29".into(),
        contact: "Omgevingsmanager Lekdijk, 088 000 0001".into(),
    };
    PlannedWork::create(input, Timestamp::UNIX_EPOCH).unwrap()
}

/// Every mail text for the fixed inputs, in order, as (name, subject, body).
fn all() -> Vec<(&'static str, String, String)> {
    let mut out = vec![];
    let mut push = |name: &'static str, text: Result<MailText, AppError>| {
        let (subject, body) = text.unwrap();
        out.push((name, subject, body))
    };
    let melding = submission(SubmissionKind::Melding, "Jan Jansen", false);
    push("ack melding", Acknowledgement::of(&melding, LINK, Some("dinsdag 3 maart 2026"), ORG).text());
    let urgent = submission(SubmissionKind::Melding, "", true);
    push("ack urgent", Acknowledgement::of(&urgent, LINK, None, ORG).text());
    let vraag = submission(SubmissionKind::Vraag, "Fatma Öztürk", false);
    push("ack vraag", Acknowledgement::of(&vraag, LINK, Some("vrijdag 6 maart 2026"), ORG).text());
    let klacht = submission(SubmissionKind::Klacht, "Piet", false);
    push("ack klacht", Acknowledgement::of(&klacht, LINK, Some("maandag 13 april 2026"), ORG).text());
    for status in [CaseStatus::InBehandeling, CaseStatus::Opgeschort, CaseStatus::Afgehandeld] {
        push("status", StatusNews::of(&klacht, "WS-2026-000042", status, LINK, ORG).unwrap().text());
    }
    assert!(StatusNews::of(&klacht, "WS-2026-000042", CaseStatus::Ontvangen, LINK, ORG).is_none());
    let text = "Wij komen morgen kijken.\n\nGroet & tot ziens <team>";
    push("message", StaffMessage::of(&urgent, "WS-2026-000043", text, LINK, ORG).text());
    push("incident", IncidentUpdate::of(&melding, "WS-2026-000044", text, LINK, ORG).text());
    let (confirm, end) =
        ("https://x.example/werkzaamheden/aanmelding/abc", "https://x.example/werkzaamheden/afmelden/def");
    let confirmation =
        SubscriptionConfirmation { org: ORG, postcode: "2611 AB", confirm_link: confirm, unsubscribe_link: end };
    push("subscription", confirmation.text());
    let work = work();
    push("facts", WorkNews { intro: None, work: &work }.text().map(|body| (String::new(), body)));
    push("facts with intro", WorkNews { intro: Some(text), work: &work }.text().map(|body| (String::new(), body)));
    let subject = work_news_subject(&work);
    let news = SubscriberNews { org: ORG, subject: &subject, text, postcode: "2611 AB", unsubscribe_link: end };
    push("news", news.text());
    out
}

/// The texts as the `format!` code made them before the templates, for the inputs of [`all`].
const PINNED: [(&str, &str, &str); 13] = [
    (
        "ack melding",
        "Ontvangstbevestiging: uw melding {kenmerk}",
        "Beste Jan Jansen,\n\nBedankt. We hebben uw melding ontvangen. Uw nummer is {kenmerk}.\n\nEen medewerker bekijkt uw melding en zorgt dat er iets mee gebeurt.\nU hoort uiterlijk op dinsdag 3 maart 2026 van ons.\n\nVia deze link ziet u hoe het ervoor staat, en kunt u iets toevoegen:\nhttps://waterschap.example/volgen/0123456789abcdef0123456789abcdef0123456789abcdef\n\nMet vriendelijke groet,\nHoogheemraadschap van de Lage Waard\n\nDit bericht is automatisch verstuurd. U kunt er niet op antwoorden; \nvia de link hierboven kunt u ons wel iets laten weten.",
    ),
    (
        "ack urgent",
        "Ontvangstbevestiging: uw melding {kenmerk}",
        "Beste heer, mevrouw,\n\nBedankt. We hebben uw melding ontvangen. Uw nummer is {kenmerk}.\n\nU gaf aan dat er nu gevaar is. We komen zo snel mogelijk in actie.\n\nVia deze link ziet u hoe het ervoor staat, en kunt u iets toevoegen:\nhttps://waterschap.example/volgen/0123456789abcdef0123456789abcdef0123456789abcdef\n\nMet vriendelijke groet,\nHoogheemraadschap van de Lage Waard\n\nDit bericht is automatisch verstuurd. U kunt er niet op antwoorden; \nvia de link hierboven kunt u ons wel iets laten weten.",
    ),
    (
        "ack vraag",
        "Ontvangstbevestiging: uw vraag {kenmerk}",
        "Beste Fatma Öztürk,\n\nBedankt. We hebben uw vraag ontvangen. Uw nummer is {kenmerk}.\n\nEen medewerker zoekt het antwoord op uw vraag.\nU hoort uiterlijk op vrijdag 6 maart 2026 van ons.\n\nVia deze link ziet u hoe het ervoor staat, en kunt u iets toevoegen:\nhttps://waterschap.example/volgen/0123456789abcdef0123456789abcdef0123456789abcdef\n\nMet vriendelijke groet,\nHoogheemraadschap van de Lage Waard\n\nDit bericht is automatisch verstuurd. U kunt er niet op antwoorden; \nvia de link hierboven kunt u ons wel iets laten weten.",
    ),
    (
        "ack klacht",
        "Ontvangstbevestiging: uw klacht {kenmerk}",
        "Beste Piet,\n\nBedankt. We hebben uw klacht ontvangen. Uw nummer is {kenmerk}.\n\nWe bevestigen uw klacht binnen 5 werkdagen. U krijgt binnen 6 weken antwoord. Hebben we meer tijd nodig, dan hoort u dat op tijd.\nU hoort uiterlijk op maandag 13 april 2026 van ons.\n\nVia deze link ziet u hoe het ervoor staat, en kunt u iets toevoegen:\nhttps://waterschap.example/volgen/0123456789abcdef0123456789abcdef0123456789abcdef\n\nMet vriendelijke groet,\nHoogheemraadschap van de Lage Waard\n\nDit bericht is automatisch verstuurd. U kunt er niet op antwoorden; \nvia de link hierboven kunt u ons wel iets laten weten.",
    ),
    (
        "status",
        "Status van uw klacht WS-2026-000042",
        "Beste Piet,\n\nEen medewerker is met uw klacht bezig.\n\nBekijk uw klacht via deze link:\nhttps://waterschap.example/volgen/0123456789abcdef0123456789abcdef0123456789abcdef\n\nMet vriendelijke groet,\nHoogheemraadschap van de Lage Waard\n\nDit bericht is automatisch verstuurd. U kunt er niet op antwoorden; \nvia de link hierboven kunt u ons wel iets laten weten.",
    ),
    (
        "status",
        "Status van uw klacht WS-2026-000042",
        "Beste Piet,\n\nWe wachten even, bijvoorbeeld op informatie van u of van een ander. De termijn staat zolang stil.\n\nBekijk uw klacht via deze link:\nhttps://waterschap.example/volgen/0123456789abcdef0123456789abcdef0123456789abcdef\n\nMet vriendelijke groet,\nHoogheemraadschap van de Lage Waard\n\nDit bericht is automatisch verstuurd. U kunt er niet op antwoorden; \nvia de link hierboven kunt u ons wel iets laten weten.",
    ),
    (
        "status",
        "Status van uw klacht WS-2026-000042",
        "Beste Piet,\n\nUw klacht is afgehandeld. Wat vond u van onze hulp? Via de link hieronder kunt u dat binnen 14 dagen laten weten; het kost u een minuut.\n\nBekijk uw klacht via deze link:\nhttps://waterschap.example/volgen/0123456789abcdef0123456789abcdef0123456789abcdef\n\nMet vriendelijke groet,\nHoogheemraadschap van de Lage Waard\n\nDit bericht is automatisch verstuurd. U kunt er niet op antwoorden; \nvia de link hierboven kunt u ons wel iets laten weten.",
    ),
    (
        "message",
        "Nieuws over uw melding WS-2026-000043",
        "Beste heer, mevrouw,\n\nEr is een bericht voor u:\n\nWij komen morgen kijken.\n\nGroet & tot ziens <team>\n\nBekijk uw melding via deze link:\nhttps://waterschap.example/volgen/0123456789abcdef0123456789abcdef0123456789abcdef\n\nMet vriendelijke groet,\nHoogheemraadschap van de Lage Waard\n\nDit bericht is automatisch verstuurd. U kunt er niet op antwoorden; \nvia de link hierboven kunt u ons wel iets laten weten.",
    ),
    (
        "incident",
        "Nieuws over uw melding WS-2026-000044",
        "Beste Jan Jansen,\n\nEr is nieuws over uw melding:\n\nWij komen morgen kijken.\n\nGroet & tot ziens <team>\n\nBekijk uw melding via deze link:\nhttps://waterschap.example/volgen/0123456789abcdef0123456789abcdef0123456789abcdef\n\nMet vriendelijke groet,\nHoogheemraadschap van de Lage Waard\n\nDit bericht is automatisch verstuurd. U kunt er niet op antwoorden; \nvia de link hierboven kunt u ons wel iets laten weten.",
    ),
    (
        "subscription",
        "Bevestig uw aanmelding voor berichten over werkzaamheden",
        "Beste lezer,\n\nU wilt berichten van Hoogheemraadschap van de Lage Waard krijgen over werkzaamheden en calamiteiten bij postcode 2611 AB.\n\nKlik op deze link om uw aanmelding te bevestigen:\nhttps://x.example/werkzaamheden/aanmelding/abc\n\nPas daarna krijgt u berichten. Hebt u zich niet aangemeld? Dan hoeft u niets te doen: zonder bevestiging sturen we u niets.\n\nWilt u later geen berichten meer? Met deze link meldt u zich af:\nhttps://x.example/werkzaamheden/afmelden/def\n\nMet vriendelijke groet,\nHoogheemraadschap van de Lage Waard\n",
    ),
    (
        "facts",
        "",
        "Dijkversterking Lekdijk\n\nWanneer: van maandag 2 maart 2026 tot en met vrijdag 29 mei 2026.\nWaar: 2611-2619, Delft.\n\nWat gaan we doen?\nWe maken de dijk hoger en breder.\nDe weg is dicht.\n\nWaarom?\nZodat de dijk ook bij hoog water sterk genoeg is.\n\nVragen? Omgevingsmanager Lekdijk, 088 000 0001",
    ),
    (
        "facts with intro",
        "",
        "Wij komen morgen kijken.\n\nGroet & tot ziens <team>\n\nDijkversterking Lekdijk\n\nWanneer: van maandag 2 maart 2026 tot en met vrijdag 29 mei 2026.\nWaar: 2611-2619, Delft.\n\nWat gaan we doen?\nWe maken de dijk hoger en breder.\nDe weg is dicht.\n\nWaarom?\nZodat de dijk ook bij hoog water sterk genoeg is.\n\nVragen? Omgevingsmanager Lekdijk, 088 000 0001",
    ),
    (
        "news",
        "Werkzaamheden bij u in de buurt: Dijkversterking Lekdijk",
        "Beste lezer,\n\nWij komen morgen kijken.\n\nGroet & tot ziens <team>\n\nU krijgt dit bericht omdat u zich hebt aangemeld voor berichten over werkzaamheden en calamiteiten bij postcode 2611 AB.\nGeen berichten meer? Meld u af met deze link:\nhttps://x.example/werkzaamheden/afmelden/def\n\nMet vriendelijke groet,\nHoogheemraadschap van de Lage Waard\n",
    ),
];

#[test]
fn every_mail_text_is_byte_identical_to_the_pinned_one() {
    let all = all();
    assert_eq!(all.len(), PINNED.len());
    for ((name, subject, body), (pinned_name, pinned_subject, pinned_body)) in all.iter().zip(PINNED) {
        assert_eq!(*name, pinned_name);
        assert_eq!(subject, pinned_subject, "{name}");
        assert_eq!(body, pinned_body, "{name}");
    }
}

/// The back office's letters about a case: a fixed opening, the employee's words, the tracking
/// link for a case from the portal, or the reference to quote for one without.
#[test]
fn case_letters_open_with_what_happened_and_carry_the_employees_words() {
    let letter = |news, name, link, survey| CaseLetter {
        name,
        noun: "klacht",
        reference: "WS-2026-000042",
        news,
        text: "Stuur een foto van de brief & de envelop <graag>.",
        survey,
        link,
        org: ORG,
    };
    let (subject, body) = letter(CaseNews::Status(CaseStatus::Opgeschort), None, Some(LINK), false).text().unwrap();
    assert_eq!(subject, "We hebben iets van u nodig: WS-2026-000042");
    assert_eq!(
        body,
        "Beste heer, mevrouw,\n\nOm verder te kunnen met uw klacht WS-2026-000042 hebben we iets van u nodig. De termijn \
         staat stil tot we het hebben. Dit vragen we van u:\n\nStuur een foto van de brief & de envelop <graag>.\n\nBekijk uw \
         klacht via deze link:\nhttps://waterschap.example/volgen/0123456789abcdef0123456789abcdef0123456789abcdef\n\nMet \
         vriendelijke groet,\nHoogheemraadschap van de Lage Waard\n\nDit bericht is automatisch verstuurd. U kunt er niet \
         op antwoorden; \nvia de link hierboven kunt u ons wel iets laten weten."
    );
    let (subject, body) =
        letter(CaseNews::Extended("dinsdag 12 mei 2026".into()), Some("Piet"), None, false).text().unwrap();
    assert_eq!(subject, "Meer tijd nodig voor uw klacht WS-2026-000042");
    assert_eq!(
        body,
        "Beste Piet,\n\nWe hebben meer tijd nodig voor uw klacht WS-2026-000042. U hoort uiterlijk op dinsdag 12 mei 2026 \
         van ons. De reden:\n\nStuur een foto van de brief & de envelop <graag>.\n\nMet vriendelijke groet,\nHoogheemraadschap \
         van de Lage Waard\n\nNoem het nummer WS-2026-000042 als u ons belt of schrijft."
    );
    let (subject, body) = letter(CaseNews::Answer, Some("Piet"), Some(LINK), true).text().unwrap();
    assert_eq!(subject, "Antwoord op uw klacht WS-2026-000042");
    assert!(
        body.contains("is afgehandeld. Dit is ons antwoord:\n\nStuur een foto")
            && body.contains("<graag>.\n\nWat vond u van onze hulp? Via de link hieronder kunt u dat binnen 14 dagen"),
        "{body}"
    );
    let (subject, body) = CaseLetter {
        text: "U hoort uiterlijk op dinsdag 12 mei 2026 van ons.",
        ..letter(CaseNews::Received, Some("Piet"), None, false)
    }
    .text()
    .unwrap();
    assert_eq!(subject, "Ontvangstbevestiging: uw klacht WS-2026-000042");
    assert_eq!(
        body,
        "Beste Piet,\n\nWe hebben uw klacht ontvangen. Uw nummer is WS-2026-000042.\n\nU hoort uiterlijk op dinsdag 12 mei \
         2026 van ons.\n\nMet vriendelijke groet,\nHoogheemraadschap van de Lage Waard\n\nNoem het nummer WS-2026-000042 als \
         u ons belt of schrijft."
    );
}
