//! The employee pulse of the demo (issue 15): answers of the eight weeks before the week of
//! `until`, so the demo accounts can still answer the current one. Most people answer most
//! weeks; in Vergunningen fewer do, so its page mostly shows "te weinig antwoorden".

use crate::catalogue;
use crate::rng::Rng;
use gastvrij_app::App;
use gastvrij_app::ports::StoredPulseAnswer;
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::pulse::{Cadence, PulseAnswer};
use gastvrij_domain::team::{Employee, Team};

/// The weeks of answers before the week of `until`.
const WEEKS: usize = 8;
/// The stream of the demo's random numbers for the pulse.
const TAG: u64 = 0x5055_4C53;

const COMMENTS: [&str; 6] = [
    "Het is druk door de aanslagen, maar we helpen elkaar goed.",
    "Ik mis soms informatie over werkzaamheden in de buurt.",
    "Fijn dat de kennisbank beter wordt.",
    "Graag meer tijd om nieuwe collega's in te werken.",
    "De nieuwe werkplek werkt prettig.",
    "Na de storm was het zwaar, de samenwerking was goed.",
];

/// Store the answers; returns how many.
pub async fn seed(
    app: &App,
    seed: u64,
    until: jiff::civil::Date,
    teams: &[Team],
    employees: &[Employee],
) -> anyhow::Result<usize> {
    let store = app.store();
    let mut period = Cadence::Week.period_of(until).previous();
    let mut stored = 0;
    for week in 0..WEEKS {
        for (n, e) in employees.iter().enumerate() {
            let Some(team) = e.team_id.and_then(|id| teams.iter().position(|t| t.id == id)) else { continue };
            let mut rng = Rng::derive(seed, TAG, (week * employees.len() + n) as u64);
            let turnout = if team == catalogue::VERGUNNINGEN { 0.6 } else { 0.9 };
            if !rng.chance(turnout) {
                continue;
            }
            let base = 3.0 + (team % 3) as f64 * 0.4;
            let mut scores = [None; 5];
            for s in &mut scores {
                *s = Some((base + rng.between(-1.6, 1.6)).round().clamp(1.0, 5.0) as u8);
            }
            let comment = rng.chance(0.2).then(|| *rng.pick(&COMMENTS));
            let answer = StoredPulseAnswer {
                id: format!("{:016x}{:016x}", rng.next_u64(), rng.next_u64()),
                period_start: period.start,
                period_end: period.end,
                team_id: e.team_id,
                answer: PulseAnswer::parse(scores, comment)?,
            };
            let change = Change::new(Actor::System, app.now(), "pulse.answered", format!("pulse:{}", period.start), "");
            if store.save_pulse_answer(e.id, &answer, &change).await? {
                stored += 1;
            }
        }
        period = period.previous();
    }
    Ok(stored)
}
