//! Planned works of the demo water board (werkzaamheden), with periods around the demo's last
//! day and areas as postcode ranges of the demo's towns, so the public calendar, the KCC's live
//! search and the subscriptions have something real to show.

use gastvrij_app::{App, Principal};
use gastvrij_domain::planned_works::PlannedWorkInput;
use jiff::civil::Date;

/// The demo's works: (title, what, why, area, first day and last day relative to `until`, contact).
const WORKS: &[(&str, &str, &str, &str, i32, i32, &str)] = &[
    (
        "Dijkversterking Lekdijk",
        "We maken de Lekdijk tussen Lagedijk en de Vaartweg hoger en breder. Vrachtwagens rijden af en aan; de \
         Dijkweg is op werkdagen van 7.00 tot 17.00 uur afgesloten voor doorgaand verkeer.",
        "Bij hoog water op de rivier moet de dijk sterk genoeg zijn. Uit de laatste keuring bleek dat dit stuk dat \
         niet meer is.",
        "2650-2669, Lagedijk",
        -30,
        150,
        "Omgevingsmanager Lekdijk, 088 000 0101, lekdijk@lagewaard.example",
    ),
    (
        "Baggeren Vliet",
        "We halen slib uit de Vliet en de zijsloten. Het slib gaat per boot naar een depot. Op het water is het \
         druk; de Vliet blijft open voor kano's en kleine boten.",
        "Door slib is de Vliet ondieper geworden. Dan kan het water bij veel regen minder goed weg.",
        "2600-2624, Lagewaard",
        14,
        60,
        "Team Onderhoud watergangen, 088 000 0102",
    ),
    (
        "Vervanging gemaal De Lier",
        "We bouwen een nieuw gemaal naast het oude gemaal De Lier. Als het nieuwe klaar is, breken we het oude af. \
         U hoort overdag soms heien.",
        "Het oude gemaal is 60 jaar oud en versleten. Het nieuwe pompt meer water weg en gebruikt minder stroom.",
        "2750-2779, Polderzijl",
        30,
        270,
        "Projectteam gemaal De Lier, 088 000 0103",
    ),
    (
        "Onderhoud stuw Wetering",
        "We vervangen de schuif van de stuw in de Wetering. Het water in de Wetering staat een paar dagen wat lager.",
        "De schuif lekt. Met een nieuwe schuif houden we het waterpeil weer goed op de juiste hoogte.",
        "2690-2700",
        -5,
        3,
        "Team Onderhoud kunstwerken, 088 000 0104",
    ),
    (
        "Nieuwe beschoeiing Bovenkade",
        "We vervangen de houten beschoeiing langs de Bovenkade door een nieuwe. Parkeren langs de kade kan dan even \
         niet.",
        "De oude beschoeiing is verrot. Zonder goede beschoeiing zakt de kant in het water.",
        "2730-2735, Kadedorp",
        60,
        90,
        "Team Onderhoud watergangen, 088 000 0102",
    ),
    (
        "Maaien en schonen watergangen",
        "We maaien de kanten van de sloten en halen planten uit het water.",
        "Zo kan het water goed doorstromen en blijven de kanten stevig.",
        "2720-2749, 2780-2799",
        -150,
        -60,
        "Team Onderhoud watergangen, 088 000 0102",
    ),
];

/// The demo's works as input, dated around `until` (the demo's last day).
pub fn planned_works(until: Date) -> Vec<PlannedWorkInput> {
    let day = |n: i32| until.saturating_add(jiff::Span::new().days(i64::from(n))).to_string();
    WORKS
        .iter()
        .map(|(title, what, why, area, from, to, contact)| PlannedWorkInput {
            title: title.to_string(),
            what: what.to_string(),
            why: why.to_string(),
            area: area.to_string(),
            starts_on: day(*from),
            ends_on: day(*to),
            contact: contact.to_string(),
        })
        .collect()
}

/// Add the demo's planned works; returns how many.
pub async fn seed(app: &App, until: Date) -> anyhow::Result<usize> {
    let who = Principal::system();
    let works = planned_works(until);
    for w in &works {
        app.create_planned_work(&who, w.clone()).await?;
    }
    Ok(works.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_demo_work_is_valid_and_lies_in_the_demo_towns() {
        let until: Date = "2026-11-27".parse().unwrap();
        let works = planned_works(until);
        assert_eq!(works.len(), WORKS.len());
        for w in works {
            let work = gastvrij_domain::planned_works::PlannedWork::create(w, jiff::Timestamp::UNIX_EPOCH).unwrap();
            for (from, to) in work.postcode_ranges() {
                assert!((2600..=2799).contains(&from) && (2600..=2799).contains(&to), "{}", work.title);
            }
        }
    }
}
