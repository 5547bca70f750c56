//! The demo's three customer journeys (issue 15), linked to the demo's topics, so their maps
//! show the generated history: an agrariër applying for a watervergunning, an inhabitant
//! reporting wateroverlast, and a tenant getting their first tax assessment.

use anyhow::Context;
use gastvrij_app::{App, Principal};
use gastvrij_domain::case::CaseStatus;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::customer::Segment;
use gastvrij_domain::ids::TopicId;
use gastvrij_domain::journey::{JourneyInput, TouchpointInput};
use gastvrij_domain::topic::Topic;

/// Flags of a step: moment of truth, moetje, peak moment.
type Flags = (bool, bool, bool);
const PLAIN: Flags = (false, false, false);
const TRUTH: Flags = (true, false, false);
const MOETJE: Flags = (false, true, false);
const PEAK: Flags = (false, false, true);

struct Step {
    name: &'static str,
    expectation: &'static str,
    flags: Flags,
    topics: &'static [&'static str],
    channels: &'static [Channel],
    statuses: &'static [CaseStatus],
}

struct Spec {
    name: &'static str,
    segment: Segment,
    process: &'static str,
    steps: &'static [Step],
}

const JOURNEYS: &[Spec] = &[
    Spec {
        name: "Agrariër vraagt een watervergunning aan",
        segment: Segment::Agrarier,
        process: "Watervergunning",
        steps: &[
            Step {
                name: "Informatie zoeken",
                expectation: "Ik weet snel of ik een vergunning nodig heb en wat ik moet aanleveren.",
                flags: PLAIN,
                topics: &["Watervergunning"],
                channels: &[Channel::Telefoon, Channel::Email],
                statuses: &[],
            },
            Step {
                name: "Aanvraag indienen",
                expectation: "Het formulier is kort en ik hoef niets dubbel in te vullen.",
                flags: MOETJE,
                topics: &["Watervergunning"],
                channels: &[Channel::Webformulier, Channel::Brief],
                statuses: &[],
            },
            Step {
                name: "Ontvangstbevestiging",
                expectation: "Ik hoor binnen een paar dagen dat mijn aanvraag binnen is, en wanneer ik een besluit krijg.",
                flags: PLAIN,
                topics: &["Watervergunning"],
                channels: &[],
                statuses: &[CaseStatus::Ontvangen],
            },
            Step {
                name: "Aanvullende gegevens",
                expectation: "Als er iets ontbreekt, hoor ik precies wat en hoe ik het stuur.",
                flags: MOETJE,
                topics: &["Watervergunning"],
                channels: &[],
                statuses: &[CaseStatus::Opgeschort],
            },
            Step {
                name: "Besluit",
                expectation: "Ik krijg op tijd een besluit dat ik begrijp, zodat ik aan het werk kan.",
                flags: TRUTH,
                topics: &["Watervergunning"],
                channels: &[],
                statuses: &[CaseStatus::Afgehandeld],
            },
        ],
    },
    Spec {
        name: "Inwoner meldt wateroverlast",
        segment: Segment::Inwoner,
        process: "Melding",
        steps: &[
            Step {
                name: "Melden",
                expectation: "Ik kan snel melden, ook 's avonds, en weet dat mijn melding is aangekomen.",
                flags: TRUTH,
                topics: &["Wateroverlast"],
                channels: &[Channel::Telefoon, Channel::Webformulier, Channel::App],
                statuses: &[],
            },
            Step {
                name: "Iemand komt kijken",
                expectation: "Er komt snel iemand, en ik weet wanneer.",
                flags: PLAIN,
                topics: &["Wateroverlast"],
                channels: &[],
                statuses: &[CaseStatus::InBehandeling],
            },
            Step {
                name: "Opgelost",
                expectation: "Het water is weg en ik hoor wat er is gedaan.",
                flags: PEAK,
                topics: &["Wateroverlast"],
                channels: &[],
                statuses: &[CaseStatus::Afgehandeld],
            },
        ],
    },
    Spec {
        name: "Huurder krijgt zijn eerste aanslag",
        segment: Segment::Belastingplichtige,
        process: "Aanslag watersysteemheffing",
        steps: &[
            Step {
                name: "Aanslag lezen",
                expectation: "Ik begrijp waarom ik als huurder een aanslag krijg en waarvoor ik betaal.",
                flags: PLAIN,
                topics: &["Aanslag"],
                channels: &[Channel::Email, Channel::Webformulier],
                statuses: &[],
            },
            Step {
                name: "Vraag stellen",
                expectation: "Ik krijg meteen antwoord, zonder dat ik word doorverbonden.",
                flags: TRUTH,
                topics: &["Aanslag"],
                channels: &[Channel::Telefoon, Channel::Chat],
                statuses: &[],
            },
            Step {
                name: "Betalen",
                expectation: "Ik kan in termijnen betalen zonder gedoe.",
                flags: MOETJE,
                topics: &["Automatische incasso", "Betalingsregeling"],
                channels: &[],
                statuses: &[],
            },
            Step {
                name: "Kwijtschelding aanvragen",
                expectation: "Als ik het niet kan betalen, hoor ik snel of ik kwijtschelding krijg.",
                flags: PLAIN,
                topics: &["Kwijtschelding"],
                channels: &[],
                statuses: &[],
            },
        ],
    },
];

/// Store the three journeys; returns how many.
pub async fn seed(app: &App, topics: &[Topic]) -> anyhow::Result<usize> {
    let topic = |name: &str| -> anyhow::Result<TopicId> {
        topics.iter().find(|t| t.name == name).map(|t| t.id).with_context(|| format!("the demo has no topic {name}"))
    };
    for spec in JOURNEYS {
        let mut steps = vec![];
        for s in spec.steps {
            let (moment_of_truth, moetje, peak) = s.flags;
            steps.push(TouchpointInput {
                name: s.name.into(),
                expectation: s.expectation.into(),
                moment_of_truth,
                moetje,
                peak,
                topics: s.topics.iter().map(|t| topic(t)).collect::<anyhow::Result<_>>()?,
                channels: s.channels.to_vec(),
                statuses: s.statuses.to_vec(),
            });
        }
        let head = JourneyInput { name: spec.name.into(), segment: Some(spec.segment), process: spec.process.into() };
        app.create_journey(&Principal::operator(), head, steps).await?;
    }
    Ok(JOURNEYS.len())
}
