//! Customer satisfaction of the demo (issue 15): answers on the 56 days before `until`, spread over
//! channels, segments, teams and topics, so the dashboard shows trends and splits. Phone and
//! letter score a little lower than the web form; some low grades carry a comment.

use crate::rng::Rng;
use gastvrij_app::App;
use gastvrij_app::ports::{NewInvitation, SurveyGroups};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::case::CaseType;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::customer::Segment;
use gastvrij_domain::satisfaction::Rating;
use gastvrij_domain::team::Team;
use gastvrij_domain::text::fold;
use jiff::ToSpan;

const DAYS: i64 = 56;
/// The stream of the demo's random numbers for the survey.
const TAG: u64 = 0x5341_5449;

const COMMENTS: [&str; 6] = [
    "Ik moest drie keer bellen voordat iemand het wist.",
    "Niemand belde terug, terwijl dat wel beloofd was.",
    "De brief was moeilijk te begrijpen.",
    "Snel en vriendelijk geholpen, dank u wel.",
    "Het formulier op de website werkte niet op mijn telefoon.",
    "Goed uitgelegd waarom mijn aanslag zo hoog was.",
];

/// Store the invitations and answers; returns how many answers.
pub async fn seed(app: &App, seed: u64, until: jiff::civil::Date, teams: &[Team]) -> anyhow::Result<usize> {
    let store = app.store();
    let topics = store.topics().await?;
    let channels = [Channel::Telefoon, Channel::Email, Channel::Webformulier, Channel::Balie, Channel::Brief];
    let segments = [Segment::Inwoner, Segment::Agrarier, Segment::Bedrijf, Segment::Belastingplichtige];
    let mut answered = 0;
    for day in 0..DAYS {
        let date = until.saturating_sub((DAYS - day).days());
        let at: jiff::Timestamp = format!("{date}T10:00:00Z").parse()?;
        let mut rng = Rng::derive(seed, TAG, day as u64);
        for n in 0..rng.range(3, 9) {
            let channel = *rng.pick(&channels);
            let topic = (!topics.is_empty()).then(|| rng.pick(&topics).clone());
            let team = topic.as_ref().and_then(|t| t.team_id).or_else(|| teams.first().map(|t| t.id));
            let case = rng.chance(0.3);
            let groups = SurveyGroups {
                channel: channel.code().to_string(),
                topic_id: topic.map(|t| t.id.to_string()).unwrap_or_default(),
                team_id: team.map(|t| t.to_string()).unwrap_or_default(),
                segment: rng.pick(&segments).code().to_string(),
                case_type: if case { CaseType::Melding.code().to_string() } else { String::new() },
            };
            let hash = format!("demo{:016x}{:016x}", rng.next_u64(), rng.next_u64());
            let invitation = NewInvitation {
                source: format!("demo:{date}:{n}"),
                token_hash: hash.clone(),
                groups,
                persons: vec![],
                at,
                expires_at: at + jiff::SignedDuration::from_hours(24 * 14),
            };
            store.seed_survey_invitation(&invitation).await?;
            let base = match channel {
                Channel::Telefoon | Channel::Brief => 6.6,
                Channel::Webformulier => 7.9,
                _ => 7.3,
            } + (day as f64 / DAYS as f64) * 0.6;
            let grade = (base + rng.between(-3.0, 2.5)).round().clamp(1.0, 10.0) as u8;
            let comment = rng.chance(if grade <= 5 { 0.6 } else { 0.15 }).then(|| {
                let pool = if grade <= 5 { &COMMENTS[..3] } else { &COMMENTS[3..] };
                rng.pick(pool).to_string()
            });
            let rating = Rating {
                grade,
                solved: grade >= 6 || rng.chance(0.2),
                effort: (11 - grade).div_ceil(2).clamp(1, 5),
                comment,
            };
            let folded = rating.comment.as_deref().map(fold);
            let change = Change::new(Actor::Public, at, "survey.answered", &hash[..16], grade.to_string());
            if store.answer_survey_invitation(&hash, &rating, folded.as_deref(), date, &change).await? {
                answered += 1;
            }
        }
    }
    Ok(answered)
}
