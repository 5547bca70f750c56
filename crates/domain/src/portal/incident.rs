//! Incidents (calamity mode): reports of one category close together in place and time are
//! grouped, so staff answer them once.

use super::{INCIDENT_WINDOW_HOURS, IncidentId, Location, SubmissionId};
use crate::ids::TopicId;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// A group of reports about one event, e.g. a flooded street during a storm.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Incident {
    pub id: IncidentId,
    pub topic_id: Option<TopicId>,
    pub title: String,
    #[schema(value_type = String, format = DateTime)]
    pub started_at: Timestamp,
    #[schema(value_type = String, format = DateTime)]
    pub last_report_at: Timestamp,
    #[schema(value_type = Option<String>, format = DateTime)]
    pub closed_at: Option<Timestamp>,
    /// Text for a banner on the public start page while the incident is open.
    pub banner: Option<String>,
}

/// A report that may join an incident: what grouping needs to know of it.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupCandidate {
    pub submission_id: SubmissionId,
    pub topic_id: Option<TopicId>,
    pub location: Location,
    pub created_at: Timestamp,
    pub incident_id: Option<IncidentId>,
}

/// What to do with a new report: nothing, join an incident, or start one with earlier reports.
#[derive(Debug, Clone, PartialEq)]
pub enum Grouping {
    Alone,
    Join(IncidentId),
    Start { with: Vec<SubmissionId> },
}

/// Group a new melding with recent ones of the same category within the radius and window.
/// An existing incident wins; otherwise every near, ungrouped report starts one together.
pub fn group(new: &GroupCandidate, recent: &[GroupCandidate]) -> Grouping {
    let window = SignedDuration::from_hours(INCIDENT_WINDOW_HOURS);
    let near: Vec<&GroupCandidate> = recent
        .iter()
        .filter(|r| r.submission_id != new.submission_id)
        .filter(|r| new.topic_id.is_some() && r.topic_id == new.topic_id)
        .filter(|r| (new.created_at.duration_since(r.created_at)).abs() <= window)
        .filter(|r| r.location.near(&new.location))
        .collect();
    if let Some(incident) = near.iter().filter_map(|r| r.incident_id).next() {
        return Grouping::Join(incident);
    }
    if near.is_empty() {
        Grouping::Alone
    } else {
        Grouping::Start { with: near.iter().map(|r| r.submission_id).collect() }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::GeoPoint;
    use crate::values::Postcode;

    fn at(h: i64) -> Timestamp {
        Timestamp::UNIX_EPOCH + SignedDuration::from_hours(h)
    }

    fn candidate(topic: TopicId, lat: f64, hour: i64, incident: Option<IncidentId>) -> GroupCandidate {
        GroupCandidate {
            submission_id: SubmissionId::new(),
            topic_id: Some(topic),
            location: Location { point: Some(GeoPoint { lat, lon: 4.3571 }), ..Default::default() },
            created_at: at(hour),
            incident_id: incident,
        }
    }

    #[test]
    fn reports_group_by_category_distance_and_time() {
        let flood = TopicId::new();
        let new = candidate(flood, 52.0116, 10, None);
        let near_recent = candidate(flood, 52.0140, 6, None); // ~270 m, 4 h earlier
        let far = candidate(flood, 52.0300, 9, None); // ~2 km
        let old = candidate(flood, 52.0116, 3, None); // 7 h earlier
        let other_topic = candidate(TopicId::new(), 52.0116, 10, None);
        assert_eq!(group(&new, &[far.clone(), old.clone(), other_topic.clone()]), Grouping::Alone);
        assert_eq!(
            group(&new, &[far, old, near_recent.clone(), other_topic]),
            Grouping::Start { with: vec![near_recent.submission_id] }
        );
        let incident = IncidentId::new();
        let grouped = candidate(flood, 52.0120, 8, Some(incident));
        assert_eq!(group(&new, &[near_recent, grouped]), Grouping::Join(incident));
    }

    #[test]
    fn without_points_the_same_postcode_is_the_same_place() {
        let topic = TopicId::new();
        let place = Location { postcode: Some(Postcode::parse("2611AB").unwrap()), ..Default::default() };
        let mut a = candidate(topic, 52.0, 1, None);
        let mut b = candidate(topic, 52.0, 2, None);
        a.location = place.clone();
        b.location = place;
        assert!(matches!(group(&a, &[b.clone()]), Grouping::Start { .. }));
        b.location.postcode = Some(Postcode::parse("2612AB").unwrap());
        assert_eq!(group(&a, &[b]), Grouping::Alone);
    }
}
