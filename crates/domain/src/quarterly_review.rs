//! The klantoverleg report: what a back-office team and the KCC discuss every quarter (the
//! seed's "Wat voor vragen zijn er geweest, wat voor activiteiten staan er op stapel?").
//!
//! This module shapes figures the store counted: questions per topic and channel, and how fast
//! the team answered the KCC's consultations (ruggespraak). Every figure is defined in words in
//! `docs/klantoverleg.md`.

use crate::channel::Channel;
use crate::ids::{TeamId, TopicId};
use crate::kennisbank::Consultation;
use crate::topic::{Topic, responsible_team};
use jiff::Timestamp;
use serde::Serialize;

/// Questions about one topic in a quarter, per channel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct TopicQuestions {
    pub topic_id: TopicId,
    pub topic: String,
    /// One count per channel, in the order of [`Channel::ALL`].
    pub per_channel: Vec<u64>,
    pub total: u64,
}

/// The questions of a quarter about the topics `team` answers for (a topic's own team, or its
/// nearest ancestor's), one row per topic with questions, the most asked first. `counts` are the
/// store's counts per (topic, channel); questions without a topic belong to no team.
pub fn team_questions(
    topics: &[Topic],
    team: TeamId,
    counts: &[(Option<TopicId>, Channel, u64)],
) -> Vec<TopicQuestions> {
    let mut rows: Vec<TopicQuestions> = vec![];
    for (topic_id, channel, n) in counts {
        let Some(topic_id) = topic_id else { continue };
        if responsible_team(topics, *topic_id) != Some(team) {
            continue;
        }
        let Some(column) = Channel::ALL.iter().position(|c| c == channel) else { continue };
        let row = match rows.iter_mut().position(|r| r.topic_id == *topic_id) {
            Some(i) => &mut rows[i],
            None => {
                let name = topics.iter().find(|t| t.id == *topic_id).map(|t| t.name.clone()).unwrap_or_default();
                rows.push(TopicQuestions {
                    topic_id: *topic_id,
                    topic: name,
                    per_channel: vec![0; Channel::ALL.len()],
                    total: 0,
                });
                rows.last_mut().expect("just pushed")
            }
        };
        row.per_channel[column] += n;
        row.total += n;
    }
    rows.sort_by(|a, b| b.total.cmp(&a.total).then_with(|| a.topic.cmp(&b.topic)));
    rows
}

/// How the team answered the consultations asked of it in the quarter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ConsultationFigures {
    /// Consultations asked of the team (or of one of its members) in the quarter.
    pub asked: u64,
    /// Of those, answered by the time the report was made.
    pub answered: u64,
    /// Of those, not answered yet.
    pub open: u64,
    /// Median hours from question to answer (clock hours), of the answered ones.
    pub median_hours: Option<f64>,
    /// The time within which 90% of the answered ones were answered (nearest rank), in hours.
    pub p90_hours: Option<f64>,
    /// Answered ones that became an article in the kennisbank.
    pub to_article: u64,
}

/// The figures of `consultations` (already limited to the team and the quarter).
pub fn consultation_figures<'a>(consultations: impl IntoIterator<Item = &'a Consultation>) -> ConsultationFigures {
    let mut figures = ConsultationFigures::default();
    let mut hours = vec![];
    for c in consultations {
        figures.asked += 1;
        match c.answered_at {
            Some(at) => {
                figures.answered += 1;
                figures.to_article += u64::from(c.article_id.is_some());
                hours.push(hours_between(c.asked_at, at));
            }
            None => figures.open += 1,
        }
    }
    hours.sort_by(f64::total_cmp);
    figures.median_hours = median(&hours);
    figures.p90_hours = nearest_rank(&hours, 90);
    figures
}

fn hours_between(from: Timestamp, to: Timestamp) -> f64 {
    (to.as_second() - from.as_second()).max(0) as f64 / 3600.0
}

/// The median of sorted values (the mean of the middle two for an even count).
fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

/// The `p`th percentile of sorted values by nearest rank: the smallest value with at least
/// `p`% of the values at or below it.
fn nearest_rank(sorted: &[f64], p: usize) -> Option<f64> {
    let rank = (sorted.len() * p).div_ceil(100);
    sorted.get(rank.checked_sub(1)?).copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ConsultationId, TopicId};

    fn topic(name: &str, parent: Option<TopicId>, team: Option<TeamId>) -> Topic {
        Topic { id: TopicId::new(), parent_id: parent, name: name.into(), team_id: team }
    }

    #[test]
    fn questions_count_for_the_team_that_answers_for_the_topic_or_its_parent() {
        let (heffingen, vergunningen) = (TeamId::new(), TeamId::new());
        let belasting = topic("Belastingen", None, Some(heffingen));
        let kwijtschelding = topic("Kwijtschelding", Some(belasting.id), None);
        let vergunning = topic("Watervergunning", None, Some(vergunningen));
        let topics = vec![belasting.clone(), kwijtschelding.clone(), vergunning.clone()];
        let counts = vec![
            (Some(kwijtschelding.id), Channel::Telefoon, 7),
            (Some(kwijtschelding.id), Channel::Email, 2),
            (Some(belasting.id), Channel::Telefoon, 3),
            (Some(vergunning.id), Channel::Telefoon, 40),
            (None, Channel::Telefoon, 100),
        ];
        let rows = team_questions(&topics, heffingen, &counts);
        assert_eq!(
            rows.iter().map(|r| (r.topic.as_str(), r.total)).collect::<Vec<_>>(),
            [("Kwijtschelding", 9), ("Belastingen", 3)]
        );
        let phone = Channel::ALL.iter().position(|c| *c == Channel::Telefoon).unwrap();
        assert_eq!(rows[0].per_channel[phone], 7);
        assert_eq!(rows[0].per_channel.iter().sum::<u64>(), 9);
        assert!(team_questions(&topics, TeamId::new(), &counts).is_empty());
    }

    fn consultation(asked: &str, answered: Option<&str>, article: bool) -> Consultation {
        Consultation {
            id: ConsultationId::new(),
            contact_id: None,
            question_id: None,
            asked_by: None,
            to_team: None,
            to_employee: None,
            question: "Vraag".into(),
            answer: answered.map(|_| "Antwoord".into()),
            answered_by: None,
            asked_at: asked.parse().unwrap(),
            answered_at: answered.map(|a| a.parse().unwrap()),
            article_id: article.then(crate::ids::ArticleId::new),
        }
    }

    #[test]
    fn consultation_figures_give_the_median_and_the_nearest_rank_90th_percentile_of_answered_ones() {
        let list = [
            consultation("2026-03-02T09:00:00Z", Some("2026-03-02T10:00:00Z"), true),
            consultation("2026-03-02T09:00:00Z", Some("2026-03-02T12:00:00Z"), false),
            consultation("2026-03-02T09:00:00Z", Some("2026-03-03T09:00:00Z"), false),
            consultation("2026-03-02T09:00:00Z", None, false),
        ];
        let f = consultation_figures(&list);
        assert_eq!((f.asked, f.answered, f.open, f.to_article), (4, 3, 1, 1));
        assert_eq!(f.median_hours, Some(3.0));
        assert_eq!(f.p90_hours, Some(24.0), "rank ceil(3 × 0.9) = 3: the slowest of three");
        let even = [
            consultation("2026-03-02T09:00:00Z", Some("2026-03-02T10:00:00Z"), false),
            consultation("2026-03-02T09:00:00Z", Some("2026-03-02T12:00:00Z"), false),
        ];
        assert_eq!(consultation_figures(&even).median_hours, Some(2.0));
        let none = consultation_figures(&[]);
        assert_eq!((none.asked, none.median_hours, none.p90_hours), (0, None, None));
    }
}
