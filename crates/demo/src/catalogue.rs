//! What the demo water board is made of: teams, the topic tree with what people ask, places and
//! names. All of it is fictional; e-mail addresses of customers use example domains.

use gastvrij_domain::case::CaseType;
use gastvrij_domain::customer::Segment;

pub const ORGANISATION: &str = "Hoogheemraadschap van de Lage Waard";
pub const INHABITANTS: u32 = 812_000;
/// The domain of the water board's own staff.
pub const STAFF_DOMAIN: &str = "lagewaard.nl";
/// The storm of the demo's history (fictional).
pub const STORM_NAME: &str = "Wietske";

pub const KCC: usize = 0;
pub const CONTRACTEN: usize = 1;
pub const BETALINGEN: usize = 2;
pub const PRODUCT: usize = 3;
pub const VERGUNNINGEN: usize = 4;
pub const MELDINGEN: usize = 5;

/// Teams per process step (the seed: Waternet's circles for contracten, betalingen and product),
/// plus the KCC as first line.
pub const TEAMS: [(&str, &str); 6] = [
    (
        "KCC",
        "Klantcontactcentrum, de eerste lijn: beantwoordt vragen direct via telefoon, balie, e-mail, chat en sociale \
         media, legt vast en draagt over aan het team van de processtap; beheert de kennisbank.",
    ),
    (
        "Contracten",
        "Processtap contracten: wie is belastingplichtig voor welk object. Verhuizingen, aanslagen opleggen en \
         corrigeren, bezwaren tegen de heffingen, en de contracten met leveranciers.",
    ),
    (
        "Betalingen",
        "Processtap betalingen: automatische incasso, betalingsregelingen, kwijtschelding, aanmaningen en \
         terugbetalingen, en het betalen van facturen van leveranciers.",
    ),
    (
        "Product",
        "Processtap product: het watersysteem zelf. Peilbeheer, droogte en beregenen, onderhoud en werkzaamheden aan \
         dijken, watergangen en gemalen, recreatie en subsidies.",
    ),
    (
        "Vergunningen",
        "Processtap vergunningen: vooroverleg, watervergunningen en meldingen volgens de waterschapsverordening, \
         besluit binnen de wettelijke termijn, en toezicht.",
    ),
    (
        "Meldingen",
        "Processtap meldingen: wateroverlast, waterkwaliteit, dieren en schade. Aannemen, beoordelen, laten oplossen \
         door de buitendienst en de melder terugkoppelen; bij gevaar binnen 24 uur actie.",
    ),
];

/// How the volume of a topic moves through the year.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Season {
    Flat,
    /// Peaks in the weeks after the yearly tax assessment (end of February).
    TaxLetters,
    /// Tax letters, and again after the reminders (aanmaningen) in May.
    Payments,
    /// Spring: muskrats, events, rain barrels.
    Spring,
    /// Summer: algae, drought, recreation; higher still in a heat wave.
    Summer,
    /// Autumn and winter: rain and storms.
    Autumn,
}

/// The mix of channels people use for a kind of topic.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Profile {
    Tax,
    Objection,
    Report,
    Permit,
    Complaint,
    General,
}

impl Profile {
    /// Weights in [`gastvrij_domain::channel::Channel::ALL`] order: telefoon, e-mail,
    /// webformulier, balie, brief, sociale media, app, chat.
    pub fn channel_weights(self) -> [f64; 8] {
        match self {
            Profile::Tax => [62.0, 12.0, 10.0, 4.0, 5.0, 2.0, 1.0, 4.0],
            Profile::Objection => [35.0, 15.0, 18.0, 2.0, 20.0, 0.5, 0.5, 2.0],
            Profile::Report => [62.0, 6.0, 9.0, 1.0, 1.0, 8.0, 6.0, 2.0],
            Profile::Permit => [48.0, 24.0, 12.0, 3.0, 5.0, 0.5, 0.5, 1.0],
            Profile::Complaint => [35.0, 25.0, 25.0, 3.0, 8.0, 3.0, 0.5, 0.5],
            Profile::General => [55.0, 12.0, 10.0, 4.0, 3.0, 6.0, 3.0, 7.0],
        }
    }
}

/// A topic in the tree, with how often and how it is asked and how it usually ends.
pub struct TopicSpec {
    /// The parent's name; "" for a top topic.
    pub parent: &'static str,
    pub name: &'static str,
    /// The responsible team: always for a top topic; for a child only when it differs (else inherited).
    pub team: Option<usize>,
    /// Relative volume; 0 for topics that only group others.
    pub weight: f64,
    pub season: Season,
    /// The case type when the question is handed over.
    pub case_type: CaseType,
    pub profile: Profile,
    /// Who asks it; the first is the most likely.
    pub segments: &'static [Segment],
    /// Chance the KCC hands it over to the team (third line).
    pub handover: f64,
    /// Chance the KCC answers after consulting the back office (second line).
    pub consult: f64,
    /// Chance it belongs to another body, and which.
    pub forward: f64,
    pub bodies: &'static [&'static str],
    /// Share of the storm's extra contacts.
    pub storm: f64,
    pub questions: &'static [&'static str],
    pub answer: &'static str,
}

const GROUP: TopicSpec = TopicSpec {
    parent: "",
    name: "",
    team: None,
    weight: 0.0,
    season: Season::Flat,
    case_type: CaseType::Vraag,
    profile: Profile::General,
    segments: &[],
    handover: 0.0,
    consult: 0.0,
    forward: 0.0,
    bodies: &[],
    storm: 0.0,
    questions: &[],
    answer: "",
};

const GEMEENTE: &[&str] = &["gemeente"];

use CaseType::*;
use Profile::*;
use Season::*;
use Segment::*;

pub const TOPICS: &[TopicSpec] = &[
    TopicSpec { name: "Belastingen", team: Some(CONTRACTEN), season: TaxLetters, profile: Tax, ..GROUP },
    TopicSpec {
        parent: "Belastingen",
        name: "Aanslag",
        weight: 14.0,
        season: TaxLetters,
        profile: Tax,
        segments: &[Belastingplichtige, Inwoner, Bedrijf, Agrarier],
        handover: 0.05,
        consult: 0.10,
        forward: 0.03,
        bodies: &["gemeente"],
        questions: &[
            "Ik heb een aanslag van het waterschap gekregen, wat moet ik betalen?",
            "Waarom krijg ik twee aanslagen voor hetzelfde huis?",
            "Klopt het bedrag van de zuiveringsheffing wel? We wonen maar met z'n tweeën.",
            "Wat is de watersysteemheffing en waarom betaal ik die?",
            "Ik heb de aanslag nog niet ontvangen, klopt dat?",
            "Mijn aanslag staat op naam van de vorige bewoner.",
        ],
        answer: "Uitgelegd waaruit de aanslag bestaat (watersysteemheffing en zuiveringsheffing) en hoe het bedrag is \
                 berekend; de digitale aanslag staat ook in de Berichtenbox.",
        ..GROUP
    },
    TopicSpec {
        parent: "Belastingen",
        name: "Kwijtschelding",
        team: Some(BETALINGEN),
        weight: 5.0,
        season: Payments,
        case_type: Verzoek,
        profile: Tax,
        segments: &[Inwoner, Belastingplichtige],
        handover: 0.15,
        consult: 0.10,
        questions: &[
            "Ik kan de aanslag niet betalen, ik heb een laag inkomen.",
            "Kan ik kwijtschelding krijgen met een bijstandsuitkering?",
            "Hoe lang duurt het voordat ik hoor of ik kwijtschelding krijg?",
            "Moet ik elk jaar opnieuw kwijtschelding aanvragen?",
        ],
        answer: "Kwijtschelding is mogelijk bij een laag inkomen en weinig vermogen; uitgelegd hoe de aanvraag werkt en \
                 dat er automatisch getoetst kan worden.",
        ..GROUP
    },
    TopicSpec {
        parent: "Belastingen",
        name: "Betalingsregeling",
        team: Some(BETALINGEN),
        weight: 5.0,
        season: Payments,
        case_type: Verzoek,
        profile: Tax,
        segments: &[Inwoner, Belastingplichtige, Bedrijf],
        handover: 0.1,
        consult: 0.10,
        questions: &[
            "Mag ik in termijnen betalen?",
            "Ik heb een aanmaning gekregen maar ik had al betaald.",
            "Kan ik uitstel van betaling krijgen?",
            "Ik kan deze maand de termijn niet betalen, wat nu?",
        ],
        answer: "Met automatische incasso betaalt u in tien termijnen; een andere regeling kan op verzoek.",
        ..GROUP
    },
    TopicSpec {
        parent: "Belastingen",
        name: "Automatische incasso",
        team: Some(BETALINGEN),
        weight: 4.0,
        season: Payments,
        profile: Tax,
        segments: &[Belastingplichtige, Inwoner],
        handover: 0.06,
        consult: 0.08,
        questions: &[
            "Ik wil de automatische incasso stopzetten.",
            "Er is twee keer geïncasseerd, hoe kan dat?",
            "Ik heb een nieuw rekeningnummer, hoe geef ik dat door?",
            "Waarom is de incasso niet doorgegaan?",
        ],
        answer: "Incasso aanpassen of stoppen kan via Mijn Lage Waard; uitgelegd wanneer de termijnen worden afgeschreven.",
        ..GROUP
    },
    TopicSpec {
        parent: "Belastingen",
        name: "Bezwaar WOZ of heffing",
        weight: 2.5,
        season: TaxLetters,
        case_type: Bezwaar,
        profile: Objection,
        segments: &[Belastingplichtige, Bedrijf, Agrarier],
        handover: 0.25,
        consult: 0.10,
        forward: 0.08,
        bodies: GEMEENTE,
        questions: &[
            "Ik ben het niet eens met de WOZ-waarde op mijn aanslag.",
            "Hoe maak ik bezwaar tegen het aantal vervuilingseenheden?",
            "Ik wil bezwaar maken, want ik woon alleen en betaal voor drie personen.",
            "Hoe staat het met mijn bezwaar van vorige maand?",
        ],
        answer: "Bezwaar kan binnen zes weken na de dagtekening; uitgelegd hoe, en dat de WOZ-waarde door de gemeente \
                 wordt vastgesteld.",
        ..GROUP
    },
    TopicSpec {
        parent: "Belastingen",
        name: "Verhuizing",
        weight: 3.0,
        season: Flat,
        profile: Tax,
        segments: &[Inwoner, Belastingplichtige],
        handover: 0.10,
        consult: 0.08,
        questions: &[
            "Ik ben verhuisd, krijg ik geld terug?",
            "Mijn moeder is overleden, wat gebeurt er met haar aanslag?",
            "Ik ga samenwonen, moet ik dat doorgeven?",
            "Ik krijg nog post op mijn oude adres.",
        ],
        answer: "Na verhuizing wordt de aanslag naar rato verrekend op basis van de gegevens uit de basisregistratie.",
        ..GROUP
    },
    TopicSpec { name: "Meldingen", team: Some(MELDINGEN), case_type: Melding, profile: Report, ..GROUP },
    TopicSpec {
        parent: "Meldingen",
        name: "Wateroverlast",
        weight: 3.0,
        season: Autumn,
        case_type: Melding,
        profile: Report,
        segments: &[Inwoner, Agrarier, Bedrijf],
        handover: 0.35,
        consult: 0.05,
        forward: 0.08,
        bodies: GEMEENTE,
        storm: 0.60,
        questions: &[
            "Mijn tuin staat onder water.",
            "De sloot achter ons huis loopt over.",
            "Het weiland staat blank en het water zakt niet weg.",
            "Het water komt bijna de kelder in.",
            "De straat staat onder water, de putten lopen niet door.",
        ],
        answer: "Melding aangenomen; de opzichter beoordeelt de situatie en laat de melder weten wat er gebeurt.",
        ..GROUP
    },
    TopicSpec {
        parent: "Meldingen",
        name: "Dode vissen",
        weight: 1.0,
        season: Summer,
        case_type: Melding,
        profile: Report,
        segments: &[Inwoner, Gast, Agrarier],
        handover: 0.4,
        consult: 0.05,
        questions: &[
            "Er drijven dode vissen in de vaart.",
            "Het water stinkt en er liggen dode vissen langs de kant.",
            "Er liggen dode eenden bij de vijver, is dat botulisme?",
        ],
        answer: "Melding aangenomen; bij warm weer kan botulisme optreden, de buitendienst ruimt de vissen op.",
        ..GROUP
    },
    TopicSpec {
        parent: "Meldingen",
        name: "Blauwalg",
        weight: 1.1,
        season: Summer,
        case_type: Melding,
        profile: Report,
        segments: &[Inwoner, Gast],
        handover: 0.2,
        consult: 0.05,
        forward: 0.05,
        bodies: &["provincie"],
        questions: &[
            "Het water is groen en dik, mag mijn hond erin?",
            "Is er blauwalg bij de zwemplas?",
            "Er ligt een groene laag op de sloot die stinkt.",
        ],
        answer: "Bij blauwalg geldt een waarschuwing: niet zwemmen en honden uit het water houden; de locatie wordt \
                 bemonsterd.",
        ..GROUP
    },
    TopicSpec {
        parent: "Meldingen",
        name: "Stank",
        weight: 0.8,
        season: Summer,
        case_type: Melding,
        profile: Report,
        segments: &[Inwoner, Bedrijf],
        handover: 0.35,
        consult: 0.05,
        forward: 0.10,
        bodies: GEMEENTE,
        questions: &[
            "Het stinkt bij de rioolwaterzuivering.",
            "Er komt een rioollucht uit de sloot.",
            "Bij het gemaal ruikt het naar rotte eieren.",
        ],
        answer: "Melding aangenomen; de zuivering of het gemaal wordt gecontroleerd. Stank uit het riool is voor de \
                 gemeente.",
        ..GROUP
    },
    TopicSpec {
        parent: "Meldingen",
        name: "Muskusratten",
        weight: 0.8,
        season: Spring,
        case_type: Melding,
        profile: Report,
        segments: &[Agrarier, Inwoner],
        handover: 0.45,
        consult: 0.05,
        questions: &[
            "Ik zie gaten in de oever, volgens mij van een muskusrat.",
            "Er zwemt een beverrat in de sloot.",
            "De kade zakt in, er zitten gangen in.",
        ],
        answer: "De muskusrattenbestrijder komt langs; graafschade aan oevers en kades wordt beoordeeld.",
        ..GROUP
    },
    TopicSpec {
        parent: "Meldingen",
        name: "Kapotte stuw of gemaal",
        weight: 0.7,
        season: Autumn,
        case_type: Melding,
        profile: Report,
        segments: &[Agrarier, Inwoner],
        handover: 0.5,
        consult: 0.05,
        storm: 0.15,
        questions: &[
            "Het gemaal maakt een raar geluid.",
            "De stuw staat vast, het water loopt niet weg.",
            "Het gemaal draait niet terwijl het water hoog staat.",
        ],
        answer: "Storing doorgegeven aan de dienstdoende monteur.",
        ..GROUP
    },
    TopicSpec {
        parent: "Meldingen",
        name: "Dijkschade",
        weight: 0.4,
        season: Autumn,
        case_type: Melding,
        profile: Report,
        segments: &[Inwoner, Agrarier],
        handover: 0.6,
        consult: 0.05,
        storm: 0.17,
        questions: &[
            "Er zit een scheur in de dijk.",
            "Er komt water door de kade.",
            "Op de dijk ligt een omgewaaide boom en de grond is opengescheurd.",
        ],
        answer: "Direct doorgezet naar de dijkwacht.",
        ..GROUP
    },
    TopicSpec {
        parent: "Meldingen",
        name: "Drijfvuil",
        weight: 0.6,
        season: Flat,
        case_type: Melding,
        profile: Report,
        segments: &[Inwoner, Gast],
        handover: 0.35,
        consult: 0.05,
        forward: 0.10,
        bodies: &["Rijkswaterstaat"],
        storm: 0.08,
        questions: &[
            "Er drijft een hoop afval voor het gemaal.",
            "Er ligt een fiets in de vaart.",
            "Na de storm drijven takken en plastic in de wetering.",
        ],
        answer: "Melding aangenomen voor opruiming door de buitendienst.",
        ..GROUP
    },
    TopicSpec {
        name: "Vergunningen",
        team: Some(VERGUNNINGEN),
        case_type: Vergunningaanvraag,
        profile: Permit,
        ..GROUP
    },
    TopicSpec {
        parent: "Vergunningen",
        name: "Watervergunning",
        weight: 2.2,
        season: Flat,
        case_type: Vergunningaanvraag,
        profile: Permit,
        segments: &[Bedrijf, Agrarier, Inwoner],
        handover: 0.18,
        consult: 0.20,
        questions: &[
            "Heb ik een vergunning nodig voor een steiger?",
            "Mag ik een dam met duiker aanleggen naar mijn perceel?",
            "Hoe lang duurt een watervergunning?",
            "Ik wil een beschoeiing plaatsen, moet ik dat melden?",
        ],
        answer: "Uitgelegd wanneer een watervergunning nodig is en wanneer een melding volstaat; vooroverleg is gratis.",
        ..GROUP
    },
    TopicSpec {
        parent: "Vergunningen",
        name: "Dempen sloot",
        weight: 0.8,
        season: Flat,
        case_type: Vergunningaanvraag,
        profile: Permit,
        segments: &[Agrarier, Bedrijf],
        handover: 0.22,
        consult: 0.20,
        questions: &["Mag ik een sloot dempen voor een grotere kavel?", "Moet ik compenseren als ik een sloot demp?"],
        answer: "Dempen vraagt een vergunning en compensatie met nieuw oppervlaktewater.",
        ..GROUP
    },
    TopicSpec {
        parent: "Vergunningen",
        name: "Bouwen bij dijk",
        weight: 1.0,
        season: Flat,
        case_type: Vergunningaanvraag,
        profile: Permit,
        segments: &[Inwoner, Bedrijf, Agrarier],
        handover: 0.2,
        consult: 0.20,
        forward: 0.05,
        bodies: GEMEENTE,
        questions: &[
            "Ik wil een schuur bouwen naast de dijk.",
            "Mag ik een boom planten op de dijk?",
            "Mag ik een hekwerk zetten in de beschermingszone?",
        ],
        answer: "Binnen de beschermingszone van de waterkering is een vergunning nodig; de omgevingsvergunning vraagt \
                 u bij de gemeente aan.",
        ..GROUP
    },
    TopicSpec {
        parent: "Vergunningen",
        name: "Grondwater onttrekken",
        weight: 0.7,
        season: Summer,
        case_type: Vergunningaanvraag,
        profile: Permit,
        segments: &[Bedrijf, Agrarier],
        handover: 0.18,
        consult: 0.20,
        forward: 0.05,
        bodies: &["provincie"],
        questions: &[
            "Moet ik bronbemaling melden?",
            "Mag ik grondwater oppompen voor beregening?",
            "Hoeveel grondwater mag ik onttrekken zonder vergunning?",
        ],
        answer: "Tot een bepaalde hoeveelheid volstaat een melding; daarboven is een vergunning nodig.",
        ..GROUP
    },
    TopicSpec {
        parent: "Vergunningen",
        name: "Lozen",
        weight: 0.6,
        season: Flat,
        case_type: Vergunningaanvraag,
        profile: Permit,
        segments: &[Bedrijf, Agrarier],
        handover: 0.22,
        consult: 0.20,
        forward: 0.05,
        bodies: &["Rijkswaterstaat"],
        questions: &[
            "Mag ik bemalingswater lozen op de sloot?",
            "Ik wil spoelwater van de kassen lozen, wat heb ik nodig?",
        ],
        answer: "Lozen op oppervlaktewater vraagt een melding of vergunning; uitgelegd welke gegevens nodig zijn.",
        ..GROUP
    },
    TopicSpec {
        parent: "Vergunningen",
        name: "Evenement",
        weight: 0.4,
        season: Spring,
        case_type: Vergunningaanvraag,
        profile: Permit,
        segments: &[Bedrijf, Inwoner],
        handover: 0.25,
        consult: 0.15,
        forward: 0.10,
        bodies: GEMEENTE,
        questions: &[
            "We organiseren een loop over de dijk, mag dat?",
            "Mogen we een podium op de kade zetten voor het dorpsfeest?",
        ],
        answer: "Voor een evenement op of bij de dijk is toestemming nodig; de evenementenvergunning regelt u bij de \
                 gemeente.",
        ..GROUP
    },
    TopicSpec { name: "Peilbeheer", team: Some(PRODUCT), season: Flat, ..GROUP },
    TopicSpec {
        parent: "Peilbeheer",
        name: "Waterpeil",
        weight: 1.5,
        season: Flat,
        segments: &[Agrarier, Inwoner],
        handover: 0.12,
        consult: 0.15,
        questions: &[
            "Waarom staat het water zo laag?",
            "Wanneer gaat het zomerpeil in?",
            "Het water staat hoger dan het peilbesluit zegt.",
        ],
        answer: "Het peil volgt het peilbesluit; uitgelegd wanneer het zomer- en winterpeil ingaat.",
        ..GROUP
    },
    TopicSpec {
        parent: "Peilbeheer",
        name: "Droogte",
        weight: 1.0,
        season: Summer,
        segments: &[Agrarier, Inwoner],
        handover: 0.08,
        consult: 0.15,
        questions: &["Geldt er een onttrekkingsverbod?", "Mijn sloot staat droog, kunnen jullie water inlaten?"],
        answer: "Uitgelegd welke maatregelen bij droogte gelden en waar de actuele stand staat.",
        ..GROUP
    },
    TopicSpec {
        parent: "Peilbeheer",
        name: "Beregenen",
        weight: 0.8,
        season: Summer,
        case_type: Verzoek,
        segments: &[Agrarier],
        handover: 0.12,
        consult: 0.15,
        forward: 0.05,
        bodies: &["provincie"],
        questions: &["Mag ik nog beregenen uit de sloot?", "Kan ik ontheffing krijgen voor het beregeningsverbod?"],
        answer: "Beregenen uit oppervlaktewater mag tenzij er een verbod geldt; ontheffing kan worden aangevraagd.",
        ..GROUP
    },
    TopicSpec { name: "Recreatie", team: Some(PRODUCT), season: Summer, ..GROUP },
    TopicSpec {
        parent: "Recreatie",
        name: "Vissen",
        weight: 0.6,
        season: Summer,
        segments: &[Gast, Inwoner],
        handover: 0.04,
        consult: 0.05,
        forward: 0.05,
        bodies: &["Rijkswaterstaat"],
        questions: &["Waar mag ik vissen?", "Heb ik een vispas nodig voor de polder?"],
        answer: "Visregels en visstekken genoemd; een vispas regelt u via de hengelsportvereniging.",
        ..GROUP
    },
    TopicSpec {
        parent: "Recreatie",
        name: "Varen",
        weight: 0.6,
        season: Summer,
        segments: &[Gast, Inwoner, Bedrijf],
        handover: 0.05,
        consult: 0.05,
        forward: 0.10,
        bodies: &["Rijkswaterstaat", "provincie"],
        questions: &[
            "Mag ik met mijn kano door de polder?",
            "Waarom is de sluis dicht?",
            "Hoe hoog is de brug bij het gemaal?",
        ],
        answer: "Vaarroutes, doorvaarthoogtes en bedieningstijden genoemd.",
        ..GROUP
    },
    TopicSpec {
        parent: "Recreatie",
        name: "Zwemwater",
        weight: 0.7,
        season: Summer,
        segments: &[Gast, Inwoner],
        handover: 0.05,
        consult: 0.05,
        forward: 0.15,
        bodies: &["provincie"],
        questions: &["Is het zwemwater goed?", "Kan ik veilig zwemmen bij de plas?", "Waarom geldt er een zwemverbod?"],
        answer: "De actuele zwemwaterkwaliteit staat op de zwemwaterkaart op de website van het waterschap.",
        ..GROUP
    },
    TopicSpec { name: "Subsidies", team: Some(PRODUCT), case_type: Verzoek, ..GROUP },
    TopicSpec {
        parent: "Subsidies",
        name: "Klimaatadaptatie",
        weight: 0.6,
        season: Flat,
        case_type: Verzoek,
        segments: &[Inwoner, Bedrijf, Overheid],
        handover: 0.20,
        consult: 0.10,
        forward: 0.10,
        bodies: GEMEENTE,
        questions: &["Is er geld voor een groen dak?", "Krijgen we subsidie om het schoolplein te vergroenen?"],
        answer: "De subsidieregeling klimaatadaptatie en de voorwaarden genoemd.",
        ..GROUP
    },
    TopicSpec {
        parent: "Subsidies",
        name: "Regenton",
        weight: 0.5,
        season: Spring,
        case_type: Verzoek,
        segments: &[Inwoner],
        handover: 0.15,
        consult: 0.05,
        forward: 0.15,
        bodies: GEMEENTE,
        questions: &["Krijg ik subsidie voor een regenton?", "Hoe vraag ik de regentonactie aan?"],
        answer: "De regentonactie loopt via de website; de gemeente geeft soms een extra bijdrage.",
        ..GROUP
    },
    TopicSpec {
        parent: "Subsidies",
        name: "Afkoppelen",
        weight: 0.4,
        season: Flat,
        case_type: Verzoek,
        segments: &[Inwoner, Bedrijf],
        handover: 0.20,
        consult: 0.10,
        forward: 0.15,
        bodies: GEMEENTE,
        questions: &["Krijg ik subsidie als ik mijn regenpijp afkoppel?", "Wie betaalt het afkoppelen van het dak?"],
        answer: "Subsidie voor afkoppelen en de voorwaarden uitgelegd; de aansluiting op het riool regelt de gemeente.",
        ..GROUP
    },
    TopicSpec {
        name: "Werkzaamheden",
        team: Some(PRODUCT),
        weight: 2.0,
        segments: &[Inwoner, Agrarier, Bedrijf],
        handover: 0.12,
        consult: 0.12,
        forward: 0.05,
        bodies: GEMEENTE,
        questions: &[
            "Waarom wordt er bij ons aan de dijk gewerkt?",
            "Hoe lang is de dijkweg nog afgesloten?",
            "Wanneer wordt de sloot langs ons perceel gebaggerd?",
            "De maaiers hebben mijn hek beschadigd.",
        ],
        answer: "Uitleg over de werkzaamheden en de planning; de activiteitenkalender staat op de website.",
        ..GROUP
    },
    TopicSpec { name: "Klachten", team: Some(KCC), case_type: Klacht, profile: Complaint, ..GROUP },
    TopicSpec {
        parent: "Klachten",
        name: "Bejegening",
        weight: 0.5,
        case_type: Klacht,
        profile: Complaint,
        segments: &[Inwoner, Belastingplichtige, Agrarier],
        handover: 0.6,
        consult: 0.05,
        questions: &[
            "Ik ben onvriendelijk te woord gestaan.",
            "Ik ben niet teruggebeld terwijl dat beloofd was.",
            "De medewerker aan de dijk sprak mij onbeschoft aan.",
        ],
        answer: "Excuses aangeboden en uitgelegd hoe de klacht wordt behandeld.",
        ..GROUP
    },
    TopicSpec {
        parent: "Klachten",
        name: "Afhandeling",
        weight: 0.7,
        case_type: Klacht,
        profile: Complaint,
        segments: &[Inwoner, Belastingplichtige, Bedrijf],
        handover: 0.6,
        consult: 0.05,
        questions: &[
            "Ik ben ontevreden over hoe mijn melding is behandeld.",
            "Mijn bezwaar duurt veel te lang.",
            "Ik heb al drie keer gebeld en er gebeurt niets.",
        ],
        answer: "De klacht is vastgelegd; de klachtbehandelaar neemt binnen drie werkdagen contact op.",
        ..GROUP
    },
    TopicSpec { name: "Algemeen", team: Some(KCC), ..GROUP },
    TopicSpec {
        parent: "Algemeen",
        name: "Bereikbaarheid en openingstijden",
        weight: 1.2,
        segments: &[Inwoner, Gast, Collega, Overheid],
        handover: 0.02,
        consult: 0.03,
        questions: &[
            "Wat zijn jullie openingstijden?",
            "Hoe kan ik iemand van team Vergunningen bereiken?",
            "Waar is het waterschapshuis?",
        ],
        answer: "Openingstijden, adres en bereikbaarheid gegeven.",
        ..GROUP
    },
    TopicSpec {
        parent: "Algemeen",
        name: "Waterschapsverkiezingen",
        weight: 0.3,
        segments: &[Inwoner, Belastingplichtige],
        handover: 0.02,
        consult: 0.05,
        forward: 0.20,
        bodies: GEMEENTE,
        questions: &["Wanneer zijn de waterschapsverkiezingen?", "Ik heb geen stempas voor het waterschap gekregen."],
        answer: "Uitgelegd wanneer de verkiezingen zijn en dat de stempas van de gemeente komt.",
        ..GROUP
    },
    TopicSpec {
        parent: "Algemeen",
        name: "Drinkwater en riolering",
        weight: 0.9,
        segments: &[Inwoner, Bedrijf],
        handover: 0.02,
        consult: 0.03,
        forward: 0.55,
        bodies: &["drinkwaterbedrijf", "gemeente"],
        questions: &[
            "Mijn kraanwater is bruin.",
            "Het riool in de straat is verstopt.",
            "Ik heb een rekening voor drinkwater, waarom betaal ik dan ook aan jullie?",
        ],
        answer: "Uitgelegd wie waarover gaat: drinkwater het drinkwaterbedrijf, het riool de gemeente, het zuiveren het \
                 waterschap.",
        ..GROUP
    },
    TopicSpec {
        name: "Leveranciers",
        team: Some(CONTRACTEN),
        weight: 0.6,
        segments: &[Leverancier, Bedrijf],
        handover: 0.20,
        consult: 0.15,
        questions: &[
            "Wanneer wordt mijn factuur betaald?",
            "Hoe schrijf ik in op een aanbesteding?",
            "Aan wie stuur ik de factuur voor het maaiwerk?",
        ],
        answer: "Betaaltermijn, factuuradres en de inkoopprocedure uitgelegd.",
        ..GROUP
    },
];

/// What callers say during the storm (topics with a storm share).
pub const STORM_QUESTIONS: &[&str] = &[
    "Door storm Wietske staat ons erf onder water.",
    "Storm Wietske: er is een boom op de kade gewaaid.",
    "Het water in de wetering stijgt snel door de storm.",
    "Wordt de dijk bij ons nog gecontroleerd tijdens de storm?",
    "Het gemaal lijkt uitgevallen sinds de storm.",
];

/// What the customer wants to achieve (bedoeling), per case type.
pub fn intents(case_type: CaseType) -> &'static [&'static str] {
    match case_type {
        CaseType::Vraag => &["Een duidelijk antwoord op de vraag", "Weten waar hij of zij aan toe is"],
        CaseType::Klacht => &["Gehoord worden en excuses", "Dat het de volgende keer beter gaat"],
        CaseType::Melding => &["Dat het probleem snel wordt opgelost", "Weten dat er iemand naar kijkt"],
        CaseType::Verzoek => &["Een betaalbare regeling", "Duidelijkheid over wat wel en niet kan"],
        CaseType::Vergunningaanvraag => &["Op tijd kunnen beginnen met het werk", "Zekerheid dat het mag"],
        CaseType::Bezwaar => &["Een lagere aanslag", "Een eerlijke herbeoordeling"],
    }
}

/// Notes written when a case is closed, per case type.
pub fn closing_notes(case_type: CaseType) -> &'static [&'static str] {
    match case_type {
        CaseType::Vraag => &["Klant gebeld en het antwoord toegelicht.", "Antwoord per e-mail verstuurd."],
        CaseType::Klacht => &[
            "Gesprek gevoerd met klager; excuses aangeboden en afspraken gemaakt.",
            "Klachtbrief verstuurd; klacht gegrond verklaard.",
            "Klachtbrief verstuurd; klacht ongegrond verklaard met uitleg.",
        ],
        CaseType::Melding => &[
            "Buitendienst ter plaatse geweest en opgelost; melder teruggekoppeld.",
            "Melder gebeld: probleem verholpen.",
            "Opgepakt in regulier onderhoud; melder geïnformeerd.",
        ],
        CaseType::Verzoek => {
            &["Besluit verzonden; verzoek toegekend.", "Besluit verzonden; verzoek afgewezen met uitleg."]
        }
        CaseType::Vergunningaanvraag => {
            &["Vergunning verleend en verzonden.", "Aanvraag omgezet naar melding; klant geïnformeerd."]
        }
        CaseType::Bezwaar => &[
            "Beslissing op bezwaar verzonden; bezwaar gegrond, aanslag verminderd.",
            "Beslissing op bezwaar verzonden; bezwaar ongegrond.",
        ],
    }
}

/// The note written when a case waits for the customer, per case type.
pub fn suspension_note(case_type: CaseType) -> &'static str {
    match case_type {
        CaseType::Verzoek => "Inkomensgegevens opgevraagd bij de klant.",
        CaseType::Vergunningaanvraag => "Tekening en situatieschets opgevraagd bij de aanvrager.",
        CaseType::Bezwaar => "Klant gevraagd de gronden van het bezwaar aan te vullen.",
        _ => "Klant gevraagd om aanvullende gegevens.",
    }
}

pub const EXTENSION_REASONS: &[&str] = &["advies van de bezwaarcommissie nodig", "complexe aanvraag, extra onderzoek"];

// ---------------------------------------------------------------------------------------------
// People and places (fictional).

pub const FIRST_NAMES: &[&str] = &[
    "Jan", "Piet", "Kees", "Anna", "Sanne", "Fatima", "Mohamed", "Eva", "Lotte", "Daan", "Sem", "Noah", "Emma",
    "Julia", "Lucas", "Mila", "Tess", "Bram", "Lieke", "Ahmet", "Yara", "Ruben", "Femke", "Joost", "Ingrid", "Wim",
    "Gerda", "Hans", "Marloes", "Thijs", "Nadia", "Sophie", "Koen", "Anouk", "Rik", "Esther", "Bas", "Ilse", "Mehmet",
    "Priya", "Willem", "Cor", "Henk", "Truus", "Annemiek", "Jeroen", "Marieke", "Sander", "Wouter", "Linda", "Saskia",
    "Mark", "Patrick", "Monique", "Petra", "Erik", "Karin", "Dirk", "Hanneke", "Gijs", "Floor", "Jesse", "Sara", "Zoë",
    "Noor", "Finn", "Levi", "Julian", "Roos", "Fenna", "Hidde", "Maud", "Stijn", "Merel", "Youssef", "Samira", "Emre",
    "Elif", "Rachid", "Naima", "Dewi", "Anand", "Kevin", "Chantal", "Bert", "Riet", "Geert", "Jolanda", "Teun", "Vera",
    "Joëlle", "René", "Ria", "Arjen", "Sjoerd", "Hilde", "Wendy", "Martijn", "Ellen", "Niels",
];

pub const LAST_NAMES: &[&str] = &[
    "de Vries",
    "Jansen",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "de Groot",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "van Leeuwen",
    "Dekker",
    "Brouwer",
    "de Wit",
    "Dijkstra",
    "Smits",
    "de Graaf",
    "van der Meer",
    "van der Linden",
    "Kok",
    "Jacobs",
    "de Haan",
    "Vermeulen",
    "van den Berg",
    "van der Heijden",
    "Schouten",
    "El Amrani",
    "Yilmaz",
    "Kaya",
    "van Rijn",
    "Hoekstra",
    "Koster",
    "Prins",
    "Blom",
    "Huisman",
    "Post",
    "van der Wal",
    "Verhoeven",
    "Kuipers",
    "van Vliet",
    "Willems",
    "Maas",
    "van Wijk",
    "Boekhout",
    "Veenstra",
    "Scholten",
    "de Jong",
    "van Beek",
    "Kramer",
    "van den Broek",
    "de Ruiter",
    "Molenaar",
    "Hermans",
    "Groen",
    "Boersma",
    "Sedney",
    "Hoogendoorn",
    "van Es",
    "Verbeek",
    "Wolters",
    "Timmermans",
    "de Lange",
    "Postma",
    "Koç",
    "Bouzid",
    "Ramdin",
    "Nguyen",
    "van Os",
    "Zwart",
    "Lammers",
    "van der Velden",
    "Roos",
    "de Bruijn",
    "Vink",
    "Kroon",
    "ter Horst",
    "van 't Hof",
    "Slootweg",
    "Dijkhuizen",
    "Polderman",
    "Rietveld",
    "Waterman",
    "de Kade",
];

/// Towns of the fictional region with their postcode ranges (four digits, inclusive) and streets.
pub struct Town {
    pub name: &'static str,
    pub postcodes: (u16, u16),
    pub weight: f64,
    pub streets: &'static [&'static str],
}

pub const TOWNS: &[Town] = &[
    Town {
        name: "Lagewaard",
        postcodes: (2600, 2649),
        weight: 40.0,
        streets: &[
            "Dijkweg",
            "Molenstraat",
            "Kerkstraat",
            "Waterlaan",
            "Zuiderkade",
            "Noordeinde",
            "Schoolstraat",
            "Havenstraat",
            "Lindelaan",
            "Beatrixlaan",
            "Rietlanden",
            "Gemaalplein",
            "Sluisweg",
            "Raadhuisstraat",
        ],
    },
    Town {
        name: "Lagedijk",
        postcodes: (2650, 2689),
        weight: 20.0,
        streets: &["Dorpsstraat", "Polderweg", "Slootkade", "Vaartweg", "Kastanjelaan", "Meidoornstraat", "Dijkzicht"],
    },
    Town {
        name: "Waardeveen",
        postcodes: (2690, 2719),
        weight: 15.0,
        streets: &["Veenweg", "Wetering", "Turfstraat", "Hoofdweg", "Petteveld", "Legakker", "Zuidzijde"],
    },
    Town {
        name: "Kadedorp",
        postcodes: (2720, 2749),
        weight: 12.0,
        streets: &["Kade", "Molenwerf", "Bovenkade", "Benedenkade", "Schouw", "Bergboezem"],
    },
    Town {
        name: "Polderzijl",
        postcodes: (2750, 2779),
        weight: 8.0,
        streets: &["Zijlweg", "Tochtweg", "Middelweg", "Boezemkade", "Oude Weg", "Nieuwe Tocht"],
    },
    Town {
        name: "Rietmeerdorp",
        postcodes: (2780, 2799),
        weight: 5.0,
        streets: &["Meerweg", "Rietkraag", "Oeverlanden", "Plaslaan", "Biezenweg"],
    },
];

/// Letters used in Dutch postcodes (no F, I, O, Q, U, Y).
pub const POSTCODE_LETTERS: &[u8] = b"ABCDEGHJKLMNPRSTVWXZ";

pub const FARMS: &[&str] =
    &["Maatschap", "Melkveebedrijf", "Akkerbouwbedrijf", "Kwekerij", "Fruitteeltbedrijf", "Loonbedrijf"];
pub const FARM_NAMES: &[&str] = &["De Hoeve", "Polderzicht", "Weidezicht", "De Eendracht", "Rietvoorn", "Nooitgedacht"];
pub const COMPANIES: &[&str] =
    &["Bouwbedrijf", "Installatiebedrijf", "Transport", "Aannemersbedrijf", "Hoveniersbedrijf", "Autobedrijf"];
pub const LEISURE: &[&str] = &["Jachthaven", "Recreatiepark", "Camping", "Watersportcentrum", "Tuincentrum"];
pub const SUPPLIERS: &[&str] =
    &["Grondverzet", "Pompenservice", "Maaibedrijf", "Ingenieursbureau", "Schoonmaakdienst", "Baggerbedrijf"];

/// Government customers: always present, whatever the scale.
pub const GOVERNMENTS: &[&str] = &[
    "Gemeente Lagewaard",
    "Gemeente Lagedijk",
    "Gemeente Waardeveen-Kadedorp",
    "Gemeente Polderzijl",
    "Provincie Lage Landen",
    "Rijkswaterstaat West",
    "Drinkwaterbedrijf Lage Waard",
    "Veiligheidsregio Lage Waard",
    "Omgevingsdienst Lage Waard",
    "Waterschap De Hoge Dijken",
];

/// The bodies a question can be forwarded to.
pub const OTHER_BODIES: &[&str] = &["gemeente", "provincie", "Rijkswaterstaat", "drinkwaterbedrijf"];
