//! Mail and letter templates kept by redacteuren: for each kind of case mail, a subject and a body
//! with placeholders such as `{naam}` and `{kenmerk}`. Each save is a new version; the newest is
//! used, and without one (or after "terug naar standaardtekst") the built-in text is.
//!
//! A placeholder is a name between braces. Which ones a kind allows and which it requires is
//! fixed here ([`LetterKind::placeholders`], [`LetterKind::required`]); anything else between
//! braces, or a brace that opens nothing, is refused naming what was written.

use crate::ids::EmployeeId;
use crate::text::{self, limits};
use crate::{Format, Invalid, InvalidKind};
use jiff::Timestamp;

/// `$body` with the closing of a case letter, as the built-in text closes a letter without a link.
macro_rules! with_end {
    ($body:literal) => {
        concat!(
            $body,
            "\n\nMet vriendelijke groet,\n{organisatie}\n\nNoem het nummer {kenmerk} als u ons belt of schrijft."
        )
    };
}

/// A case mail whose text a redacteur may change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LetterKind {
    /// The acknowledgement of a vraag, melding or klacht, sent when it comes in.
    Ontvangstbevestiging,
    /// News about a case: a status change other than suspension or closure.
    Statuswijziging,
    /// The case waits for the citizen: what is asked of them.
    Opschorting,
    /// The term was extended: the new last day and the reason.
    Verdaging,
    /// The answer of a closed case (a case not from the web form, or a printed letter).
    Antwoord,
    /// The answer of a closed case from the web form, which invites the citizen to the survey.
    EnqueteUitnodiging,
}

impl LetterKind {
    pub const ALL: [LetterKind; 6] = [
        LetterKind::Ontvangstbevestiging,
        LetterKind::Statuswijziging,
        LetterKind::Opschorting,
        LetterKind::Verdaging,
        LetterKind::Antwoord,
        LetterKind::EnqueteUitnodiging,
    ];

    /// As stored and in links: `ontvangstbevestiging`, `enquete-uitnodiging`.
    pub fn code(self) -> &'static str {
        match self {
            LetterKind::Ontvangstbevestiging => "ontvangstbevestiging",
            LetterKind::Statuswijziging => "statuswijziging",
            LetterKind::Opschorting => "opschorting",
            LetterKind::Verdaging => "verdaging",
            LetterKind::Antwoord => "antwoord",
            LetterKind::EnqueteUitnodiging => "enquete-uitnodiging",
        }
    }

    /// The kind with this code.
    pub fn parse(code: &str) -> Result<Self, Invalid> {
        Self::ALL.into_iter().find(|k| k.code() == code).ok_or_else(|| {
            let allowed = Self::ALL.iter().map(|k| k.code().to_string()).collect();
            Invalid::new("kind", InvalidKind::Unknown { given: code.to_string(), allowed })
        })
    }

    /// Its name on screen.
    pub fn label(self) -> &'static str {
        match self {
            LetterKind::Ontvangstbevestiging => "Ontvangstbevestiging",
            LetterKind::Statuswijziging => "Statuswijziging",
            LetterKind::Opschorting => "Opschorting (wacht op de klant)",
            LetterKind::Verdaging => "Verdaging (meer tijd nodig)",
            LetterKind::Antwoord => "Antwoord",
            LetterKind::EnqueteUitnodiging => "Antwoord met enquête-uitnodiging",
        }
    }

    /// When it is sent, in a sentence for the list of templates.
    pub fn when(self) -> &'static str {
        match self {
            LetterKind::Ontvangstbevestiging => {
                "Gaat direct weg als een vraag, melding of klacht binnenkomt en we het e-mailadres hebben."
            }
            LetterKind::Statuswijziging => "Gaat weg als een medewerker de status van een zaak verandert.",
            LetterKind::Opschorting => "Gaat weg als een zaak wacht op iets van de klant.",
            LetterKind::Verdaging => "Gaat weg als we de termijn van een zaak verlengen.",
            LetterKind::Antwoord => {
                "Gaat weg (of wordt geprint) als een zaak wordt afgehandeld die niet via het webformulier kwam."
            }
            LetterKind::EnqueteUitnodiging => {
                "Gaat weg als een zaak van het webformulier wordt afgehandeld; nodigt uit voor de enquête."
            }
        }
    }

    /// The placeholders its text may use.
    pub fn placeholders(self) -> &'static [Placeholder] {
        use Placeholder as P;
        match self {
            LetterKind::Ontvangstbevestiging => &[P::Naam, P::Soort, P::Kenmerk, P::Uiterlijk, P::Link, P::Organisatie],
            LetterKind::Verdaging => &[P::Naam, P::Soort, P::Kenmerk, P::Uiterlijk, P::Tekst, P::Link, P::Organisatie],
            LetterKind::Statuswijziging
            | LetterKind::Opschorting
            | LetterKind::Antwoord
            | LetterKind::EnqueteUitnodiging => &[P::Naam, P::Soort, P::Kenmerk, P::Tekst, P::Link, P::Organisatie],
        }
    }

    /// The placeholders its body must use: without them the citizen would miss what the mail is
    /// for (the reference, the employee's words, the new last day, the link to the survey).
    pub fn required(self) -> &'static [Placeholder] {
        use Placeholder as P;
        match self {
            LetterKind::Ontvangstbevestiging => &[P::Kenmerk, P::Link],
            LetterKind::Statuswijziging | LetterKind::Opschorting | LetterKind::Antwoord => &[P::Kenmerk, P::Tekst],
            LetterKind::Verdaging => &[P::Kenmerk, P::Uiterlijk, P::Tekst],
            LetterKind::EnqueteUitnodiging => &[P::Kenmerk, P::Tekst, P::Link],
        }
    }

    /// A first text for a redacteur who starts from the standard text: close to the built-in
    /// mail, written with this kind's placeholders.
    pub fn starter(self) -> (&'static str, &'static str) {
        match self {
            LetterKind::Ontvangstbevestiging => (
                "Ontvangstbevestiging: uw {soort} {kenmerk}",
                "Beste {naam},\n\nBedankt. We hebben uw {soort} ontvangen. Uw nummer is {kenmerk}.\n\
                 U hoort uiterlijk op {uiterlijk} van ons.\n\n\
                 Via deze link ziet u hoe het ervoor staat, en kunt u iets toevoegen:\n{link}\n\n\
                 Met vriendelijke groet,\n{organisatie}",
            ),
            LetterKind::Statuswijziging => (
                "Nieuws over uw {soort} {kenmerk}",
                with_end!("Beste {naam},\n\nEr is nieuws over uw {soort} {kenmerk}.\n\n{tekst}"),
            ),
            LetterKind::Opschorting => (
                "We hebben iets van u nodig: {kenmerk}",
                with_end!(
                    "Beste {naam},\n\nOm verder te kunnen met uw {soort} {kenmerk} hebben we iets van u nodig. \
                     De termijn staat stil tot we het hebben. Dit vragen we van u:\n\n{tekst}"
                ),
            ),
            LetterKind::Verdaging => (
                "Meer tijd nodig voor uw {soort} {kenmerk}",
                with_end!(
                    "Beste {naam},\n\nWe hebben meer tijd nodig voor uw {soort} {kenmerk}. \
                     U hoort uiterlijk op {uiterlijk} van ons. De reden:\n\n{tekst}"
                ),
            ),
            LetterKind::Antwoord => (
                "Antwoord op uw {soort} {kenmerk}",
                with_end!("Beste {naam},\n\nUw {soort} {kenmerk} is afgehandeld. Dit is ons antwoord:\n\n{tekst}"),
            ),
            LetterKind::EnqueteUitnodiging => (
                "Antwoord op uw {soort} {kenmerk}",
                "Beste {naam},\n\nUw {soort} {kenmerk} is afgehandeld. Dit is ons antwoord:\n\n{tekst}\n\n\
                 Wat vond u van onze hulp? Via de link hieronder kunt u dat laten weten; het kost u een minuut.\n{link}\n\n\
                 Met vriendelijke groet,\n{organisatie}",
            ),
        }
    }
}

/// A value a template can name between braces.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Placeholder {
    Naam,
    Soort,
    Kenmerk,
    Uiterlijk,
    Link,
    Tekst,
    Organisatie,
}

impl Placeholder {
    pub const ALL: [Placeholder; 7] = [
        Placeholder::Naam,
        Placeholder::Soort,
        Placeholder::Kenmerk,
        Placeholder::Uiterlijk,
        Placeholder::Link,
        Placeholder::Tekst,
        Placeholder::Organisatie,
    ];

    /// As written in a template, with its braces: `{naam}`.
    pub fn written(self) -> &'static str {
        match self {
            Placeholder::Naam => "{naam}",
            Placeholder::Soort => "{soort}",
            Placeholder::Kenmerk => "{kenmerk}",
            Placeholder::Uiterlijk => "{uiterlijk}",
            Placeholder::Link => "{link}",
            Placeholder::Tekst => "{tekst}",
            Placeholder::Organisatie => "{organisatie}",
        }
    }

    /// What it becomes, for the edit page.
    pub fn meaning(self) -> &'static str {
        match self {
            Placeholder::Naam => "de naam van de klant; zonder naam staat er 'heer, mevrouw'",
            Placeholder::Soort => "vraag, melding of klacht",
            Placeholder::Kenmerk => "het nummer van de zaak",
            Placeholder::Uiterlijk => "de dag waarop de klant uiterlijk van ons hoort",
            Placeholder::Link => "de link waarmee de klant de zaak volgt",
            Placeholder::Tekst => "wat de medewerker schrijft",
            Placeholder::Organisatie => "de naam van het waterschap",
        }
    }

    /// The value in the preview.
    pub fn example(self) -> &'static str {
        match self {
            Placeholder::Naam => "Jan Jansen",
            Placeholder::Soort => "melding",
            Placeholder::Kenmerk => "WS-2026-000042",
            Placeholder::Uiterlijk => "dinsdag 3 maart 2026",
            Placeholder::Link => "https://waterschap.example/volgen/voorbeeld",
            Placeholder::Tekst => "We hebben de sloot bij de Molenweg schoongemaakt. De dode vis is weg.",
            Placeholder::Organisatie => "Waterschap Voorbeeld",
        }
    }

    fn named(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| &p.written()[1..p.written().len() - 1] == name)
    }
}

/// The values of one mail. A value that is `None` is unknown for this mail (a printed letter has
/// no link): a template that uses it is not used, the standard text is.
#[derive(Debug, Clone, Copy, Default)]
pub struct Values<'a> {
    /// `None` becomes "heer, mevrouw".
    pub naam: Option<&'a str>,
    pub soort: Option<&'a str>,
    pub kenmerk: Option<&'a str>,
    pub uiterlijk: Option<&'a str>,
    pub link: Option<&'a str>,
    pub tekst: Option<&'a str>,
    pub organisatie: Option<&'a str>,
}

impl<'a> Values<'a> {
    /// The example values of the preview.
    pub fn example() -> Values<'static> {
        let e = |p: Placeholder| Some(p.example());
        Values {
            naam: e(Placeholder::Naam),
            soort: e(Placeholder::Soort),
            kenmerk: e(Placeholder::Kenmerk),
            uiterlijk: e(Placeholder::Uiterlijk),
            link: e(Placeholder::Link),
            tekst: e(Placeholder::Tekst),
            organisatie: e(Placeholder::Organisatie),
        }
    }

    fn get(&self, p: Placeholder) -> Option<&'a str> {
        match p {
            Placeholder::Naam => Some(self.naam.filter(|n| !n.trim().is_empty()).unwrap_or("heer, mevrouw")),
            Placeholder::Soort => self.soort,
            Placeholder::Kenmerk => self.kenmerk,
            Placeholder::Uiterlijk => self.uiterlijk,
            Placeholder::Link => self.link,
            Placeholder::Tekst => self.tekst,
            Placeholder::Organisatie => self.organisatie,
        }
    }
}

/// A piece of a template: literal text or a placeholder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Piece<'t> {
    Text(&'t str),
    Slot(Placeholder),
}

/// The pieces of `text`; `Err` with what was written for a brace that names no placeholder.
fn pieces(text: &str) -> Result<Vec<Piece<'_>>, String> {
    let mut out = vec![];
    let mut rest = text;
    while let Some(open) = rest.find(['{', '}']) {
        if open > 0 {
            out.push(Piece::Text(&rest[..open]));
        }
        let from = &rest[open..];
        let close = if from.starts_with('{') { from.find('}') } else { None };
        // A name is short and on one line: a brace that closes much later or on another line
        // opened nothing.
        let Some(close) = close.filter(|c| !from[1..*c].contains(['\n', '{'])) else {
            return Err(from.chars().take(20).collect::<String>().trim_end().to_string());
        };
        let name = &from[1..close];
        out.push(Piece::Slot(Placeholder::named(name).ok_or_else(|| from[..=close].to_string())?));
        rest = &from[close + 1..];
    }
    if !rest.is_empty() {
        out.push(Piece::Text(rest));
    }
    Ok(out)
}

/// A checked template: every placeholder allowed for its kind, every required one in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterTemplate {
    pub kind: LetterKind,
    /// One line.
    pub subject: String,
    pub body: String,
}

impl LetterTemplate {
    /// Checks a redacteur's text: both parts filled in (the subject on one line), within the
    /// limits, only placeholders of `kind`, and its required ones in the body.
    pub fn parse(kind: LetterKind, subject: &str, body: &str) -> Result<Self, Invalid> {
        let subject = text::required("subject", subject, limits::SHORT)?;
        if subject.contains(['\n', '\r']) {
            return Err(Invalid::malformed("subject", &subject, Format::OneLine));
        }
        // Line ends as the browser sends them (CRLF) become plain line breaks.
        let body = text::required("body", &body.replace("\r\n", "\n"), limits::LONG)?;
        check_placeholders(kind, "subject", &subject)?;
        let used = check_placeholders(kind, "body", &body)?;
        if let Some(missing) = kind.required().iter().find(|p| !used.contains(p)) {
            return Err(Invalid::new("body", InvalidKind::MissingPlaceholder { name: missing.written() }));
        }
        Ok(Self { kind, subject, body })
    }

    /// The subject and body with `values` filled in, or `None` when it uses a placeholder whose
    /// value is unknown for this mail (then the standard text is sent). Values are put in as they
    /// are: a value that contains braces is never read as a placeholder.
    pub fn render(&self, values: &Values<'_>) -> Option<(String, String)> {
        Some((fill(&self.subject, values)?, fill(&self.body, values)?))
    }
}

fn check_placeholders(kind: LetterKind, field: &'static str, text: &str) -> Result<Vec<Placeholder>, Invalid> {
    let allowed = || kind.placeholders().iter().map(|p| p.written().to_string()).collect();
    let pieces =
        pieces(text).map_err(|given| Invalid::new(field, InvalidKind::Unknown { given, allowed: allowed() }))?;
    let mut used = vec![];
    for piece in pieces {
        if let Piece::Slot(p) = piece {
            if !kind.placeholders().contains(&p) {
                let given = p.written().to_string();
                return Err(Invalid::new(field, InvalidKind::Unknown { given, allowed: allowed() }));
            }
            used.push(p);
        }
    }
    Ok(used)
}

fn fill(text: &str, values: &Values<'_>) -> Option<String> {
    // A stored template was checked when saved; one that no longer parses is not used.
    let pieces = pieces(text).ok()?;
    let mut out = String::with_capacity(text.len());
    for piece in pieces {
        match piece {
            Piece::Text(t) => out.push_str(t),
            Piece::Slot(p) => out.push_str(values.get(p)?),
        }
    }
    Some(out)
}

/// One saved version of a kind's template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateVersion {
    pub kind: LetterKind,
    /// 1 for the first save of the kind, one more for each save after it.
    pub version: u32,
    /// `None`: "terug naar standaardtekst" — from this version on, the built-in text is used.
    pub text: Option<LetterTemplate>,
    pub saved_by: Option<EmployeeId>,
    pub saved_at: Timestamp,
}

#[cfg(test)]
#[path = "letter_template_tests.rs"]
mod tests;
