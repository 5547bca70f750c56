//! Three fictional peer water boards for the comparison page (issue 17): their open-data files
//! are made from the demo board's own figures, scaled to their number of inhabitants and moved a
//! few points up or down per indicator, deterministically from the seed.

use crate::rng::Rng;
use gastvrij_domain::open_data::{
    Indicator, OpenDataSet, OrganisationRef, PeriodFigures, Status, Unit, organisation_code,
};

/// Stream tag for [`Rng::derive`] (apart from those in `rng::stream`).
const PEERS: u64 = 17;

/// The peers: name and inhabitants.
pub const BOARDS: [(&str, u64); 3] = [
    ("Waterschap De Drie Polders", 540_000),
    ("Waterschap Hoge Veenen", 310_000),
    ("Hoogheemraadschap Oude Zeedijk", 1_150_000),
];

/// The three peers' files of the year of `own`.
pub fn peer_files(own: &OpenDataSet, seed: u64) -> Vec<OpenDataSet> {
    BOARDS
        .iter()
        .enumerate()
        .map(|(b, (name, inhabitants))| {
            let ratio = if own.organisation.inhabitants == 0 {
                1.0
            } else {
                *inhabitants as f64 / own.organisation.inhabitants as f64
            };
            let organisation =
                OrganisationRef { name: name.to_string(), code: organisation_code(name), inhabitants: *inhabitants };
            let periods = own
                .periods
                .iter()
                .map(|p| {
                    let indicators = p
                        .indicators
                        .iter()
                        .enumerate()
                        .map(|(i, ind)| {
                            // The same shift for an indicator in every period of a peer.
                            let mut rng = Rng::derive(seed, PEERS, (b * 100 + i) as u64);
                            vary(ind, ratio, rng.between(-9.0, 9.0), *inhabitants)
                        })
                        .collect();
                    PeriodFigures { indicators, ..p.clone() }
                })
                .collect();
            OpenDataSet::new(organisation, own.year, periods)
        })
        .collect()
}

fn scaled(n: u64, ratio: f64) -> u64 {
    (n as f64 * ratio).round() as u64
}

/// `ind` for a board `ratio` times as large, its share or grade moved by `points`.
fn vary(ind: &Indicator, ratio: f64, points: f64, inhabitants: u64) -> Indicator {
    let (Status::Reported, Some(n)) = (ind.status, ind.numerator) else { return ind.clone() };
    let d = ind.denominator.unwrap_or(0);
    match ind.unit {
        Unit::Count => Indicator::count(&ind.code, scaled(n, ratio)),
        Unit::Per1000Inhabitants => {
            Indicator::per_thousand(&ind.code, scaled(n, ratio * (1.0 + points / 100.0)), inhabitants)
        }
        Unit::Percent => {
            let whole = scaled(d, ratio);
            let share = (n as f64 / d.max(1) as f64 + points / 100.0).clamp(0.0, 1.0);
            Indicator::share(&ind.code, (whole as f64 * share).round() as u64, whole)
        }
        Unit::Grade => {
            let answers = scaled(d, ratio);
            let grade = (n as f64 / d.max(1) as f64 + points / 10.0).clamp(1.0, 10.0);
            Indicator::average(&ind.code, (answers as f64 * grade).round() as u64, answers)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gastvrij_domain::open_data::Period;

    #[test]
    fn peers_are_valid_files_of_the_same_year_and_the_same_every_time() {
        let org = OrganisationRef { name: "Demo".into(), code: "demo".into(), inhabitants: 800_000 };
        let periods = Period::of_year(2026)
            .into_iter()
            .map(|p| {
                PeriodFigures::new(
                    p,
                    vec![
                        Indicator::count("contacts_total", 40_000),
                        Indicator::share("norm_inhoudelijke_reactie", 880, 1000),
                        Indicator::average("satisfaction_average_grade", 760, 100),
                        Indicator::per_thousand("complaints_per_1000_inhabitants", 300, 800_000),
                        Indicator::count("contacts_chat", 3),
                    ],
                )
            })
            .collect();
        let own = OpenDataSet::new(org, 2026, periods);
        let peers = peer_files(&own, 2026);
        assert_eq!(peers, peer_files(&own, 2026), "deterministic");
        assert_eq!(peers.len(), 3);
        for peer in &peers {
            let json = serde_json::to_string(peer).unwrap();
            assert_eq!(&OpenDataSet::parse(&json).unwrap(), peer, "passes the import check");
            assert_eq!(peer.year, 2026);
            let share = peer.indicator("2026", "norm_inhoudelijke_reactie").unwrap().value.unwrap();
            assert!((79.0..=97.0).contains(&share), "{share}");
            assert_eq!(peer.indicator("2026", "contacts_chat").unwrap().status, Status::Suppressed);
        }
        let totals: Vec<f64> =
            peers.iter().map(|p| p.indicator("2026", "contacts_total").unwrap().value.unwrap()).collect();
        assert_eq!(totals, [27_000.0, 15_500.0, 57_500.0], "scaled to their inhabitants");
    }
}
