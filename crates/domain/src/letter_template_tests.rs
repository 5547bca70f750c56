//! Placeholders: which a kind allows and requires, how they are filled in, and the refusals.

use super::*;

fn values() -> Values<'static> {
    Values {
        naam: Some("Fatma Öztürk"),
        soort: Some("klacht"),
        kenmerk: Some("WS-2026-000042"),
        uiterlijk: Some("maandag 13 april 2026"),
        link: Some("https://x.example/volgen/abc"),
        tekst: Some("We hebben de stuw gerepareerd."),
        organisatie: Some("Waterschap De Dommel"),
    }
}

#[test]
fn a_template_is_filled_in_with_the_values_of_the_mail() {
    let t = LetterTemplate::parse(
        LetterKind::Antwoord,
        "Antwoord op uw {soort} {kenmerk}",
        "Beste {naam},\r\n\r\n{tekst}\r\n\r\nGroet,\r\n{organisatie} ({kenmerk})",
    )
    .unwrap();
    let (subject, body) = t.render(&values()).unwrap();
    assert_eq!(subject, "Antwoord op uw klacht WS-2026-000042");
    assert_eq!(
        body,
        "Beste Fatma Öztürk,\n\nWe hebben de stuw gerepareerd.\n\nGroet,\nWaterschap De Dommel (WS-2026-000042)"
    );
}

#[test]
fn without_a_name_the_greeting_says_heer_mevrouw() {
    let t = LetterTemplate::parse(LetterKind::Statuswijziging, "Nieuws", "Beste {naam},\n{tekst} {kenmerk}").unwrap();
    for naam in [None, Some("  ")] {
        let (_, body) = t.render(&Values { naam, ..values() }).unwrap();
        assert!(body.starts_with("Beste heer, mevrouw,\n"), "{body}");
    }
}

#[test]
fn a_value_with_braces_is_put_in_as_written_and_not_read_as_a_placeholder() {
    let t = LetterTemplate::parse(LetterKind::Antwoord, "{kenmerk}", "{naam}: {tekst} {kenmerk}").unwrap();
    let v = Values { naam: Some("{link}"), tekst: Some("zie {organisatie}"), ..values() };
    assert_eq!(t.render(&v).unwrap().1, "{link}: zie {organisatie} WS-2026-000042");
}

#[test]
fn a_template_that_uses_a_value_the_mail_lacks_is_not_used() {
    let t = LetterTemplate::parse(LetterKind::Antwoord, "Antwoord", "{tekst} {kenmerk}\n{link}").unwrap();
    assert_eq!(t.render(&Values { link: None, ..values() }), None, "a printed letter has no link");
    let plain = LetterTemplate::parse(LetterKind::Antwoord, "Antwoord", "{tekst} {kenmerk}").unwrap();
    assert!(plain.render(&Values { link: None, ..values() }).is_some(), "the link is not used: no need for it");
}

#[test]
fn an_unknown_placeholder_is_refused_by_name_with_the_allowed_ones() {
    let e = LetterTemplate::parse(LetterKind::Antwoord, "Antwoord", "Beste {voornaam}, {tekst} {kenmerk}").unwrap_err();
    assert_eq!(e.field, "body");
    let InvalidKind::Unknown { given, allowed } = e.kind else { panic!("{e:?}") };
    assert_eq!(given, "{voornaam}");
    assert_eq!(allowed, ["{naam}", "{soort}", "{kenmerk}", "{tekst}", "{link}", "{organisatie}"]);
}

#[test]
fn a_placeholder_of_another_kind_is_refused() {
    // {uiterlijk} belongs to the acknowledgement and the extension, not to the answer.
    let e = LetterTemplate::parse(LetterKind::Antwoord, "Uiterlijk {uiterlijk}", "{tekst} {kenmerk}").unwrap_err();
    assert_eq!(e.field, "subject");
    assert!(matches!(e.kind, InvalidKind::Unknown { ref given, .. } if given == "{uiterlijk}"), "{e:?}");
    assert!(LetterTemplate::parse(LetterKind::Verdaging, "Tot {uiterlijk}", "{tekst} {kenmerk} {uiterlijk}").is_ok());
}

#[test]
fn a_loose_brace_is_refused_showing_what_was_written() {
    for (body, given) in [
        ("{tekst} {kenmerk} {naam", "{naam"),
        ("{tekst} {kenmerk} } tot ziens", "} tot ziens"),
        ("{tekst} {kenmerk} {na\nam}", "{na\nam}"),
        ("{tekst} {kenmerk} {}", "{}"),
    ] {
        let e = LetterTemplate::parse(LetterKind::Antwoord, "Antwoord", body).unwrap_err();
        assert!(matches!(e.kind, InvalidKind::Unknown { given: ref g, .. } if g == given), "{body:?}: {e:?}");
    }
}

#[test]
fn a_required_placeholder_missing_from_the_body_is_refused_by_name() {
    let cases = [
        (LetterKind::Ontvangstbevestiging, "Uw nummer is {kenmerk}.", "{link}"),
        (LetterKind::Ontvangstbevestiging, "Volg het via {link}.", "{kenmerk}"),
        (LetterKind::Statuswijziging, "Nieuws over {kenmerk}.", "{tekst}"),
        (LetterKind::Verdaging, "{kenmerk}: {tekst}", "{uiterlijk}"),
        (LetterKind::EnqueteUitnodiging, "{kenmerk}: {tekst}", "{link}"),
    ];
    for (kind, body, missing) in cases {
        let e = LetterTemplate::parse(kind, "Onderwerp met {kenmerk}", body).unwrap_err();
        assert_eq!(e, Invalid::new("body", InvalidKind::MissingPlaceholder { name: missing }), "{kind:?}");
    }
}

#[test]
fn subject_and_body_must_be_filled_in_and_the_subject_on_one_line() {
    let kind = LetterKind::Antwoord;
    assert_eq!(LetterTemplate::parse(kind, " ", "{tekst} {kenmerk}").unwrap_err(), Invalid::empty("subject"));
    assert_eq!(LetterTemplate::parse(kind, "Antwoord", "\n").unwrap_err(), Invalid::empty("body"));
    let e = LetterTemplate::parse(kind, "Antwoord\nop uw vraag", "{tekst} {kenmerk}").unwrap_err();
    assert_eq!(
        (e.field, e.kind),
        ("subject", InvalidKind::Malformed { given: "Antwoord\nop uw vraag".into(), expected: Format::OneLine })
    );
}

#[test]
fn every_starter_text_is_a_valid_template_of_its_kind() {
    for kind in LetterKind::ALL {
        let (subject, body) = kind.starter();
        let t = LetterTemplate::parse(kind, subject, body).unwrap_or_else(|e| panic!("{kind:?}: {e}"));
        let (s, b) = t.render(&Values::example()).expect("the examples fill every placeholder");
        assert!(!s.contains('{') && !b.contains('{'), "{kind:?}: {b}");
        assert_eq!(LetterKind::parse(kind.code()), Ok(kind));
        for p in kind.required() {
            assert!(kind.placeholders().contains(p), "{kind:?} requires {p:?} but does not allow it");
        }
    }
    assert!(matches!(LetterKind::parse("brief").unwrap_err().kind, InvalidKind::Unknown { .. }));
}
