//! Customer journeys: the journeys with their touchpoints, and what the journey map measures
//! for a touchpoint in a period.

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::case::CaseStatus;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::ids::{JourneyId, TopicId};
use gastvrij_domain::journey::Journey;
use jiff::Timestamp;

/// What one touchpoint links to, in a period `[from, to)`. An empty list does not narrow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TouchpointQuery {
    pub from: Timestamp,
    pub to: Timestamp,
    pub topics: Vec<TopicId>,
    pub channels: Vec<Channel>,
    pub statuses: Vec<CaseStatus>,
}

/// Contacts and cases of a touchpoint in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TouchpointVolume {
    /// Contacts started in the period on its channels with a question on one of its topics;
    /// 0 when it names neither topics nor channels.
    pub contacts: u64,
    /// Cases received in the period with its topics, channels and current statuses.
    pub cases: u64,
}

/// Survey answers given in a period about the cases of a touchpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TouchpointSurvey {
    pub answers: u64,
    /// The sum of their grades (1–10).
    pub grade_sum: u64,
}

#[async_trait]
pub trait JourneyStore: Send + Sync {
    /// Store a new journey with its touchpoints and the audit entry, in one transaction.
    async fn insert_journey(&self, journey: &Journey, change: &Change) -> StoreResult<()>;
    /// Replace a journey's head and all its touchpoints, in one transaction, when it is still at
    /// `version`; else nothing is written and a conflict comes back. The stored version goes up
    /// by one.
    async fn update_journey(&self, journey: &Journey, version: i64, change: &Change) -> StoreResult<()>;
    /// A journey and its current version.
    async fn journey(&self, id: JourneyId) -> StoreResult<Option<(Journey, i64)>>;
    /// Every journey, by name.
    async fn journeys(&self) -> StoreResult<Vec<Journey>>;
    /// Contacts and cases of a touchpoint (indexed on time: `contacts_channel_started` or
    /// `contacts_started`, `cases_topic_created` or `cases_created`).
    async fn touchpoint_volume(&self, q: &TouchpointQuery) -> StoreResult<TouchpointVolume>;
    /// Survey answers given in the period about cases with the touchpoint's topics and channels
    /// (statuses do not narrow: a survey follows the closure).
    async fn touchpoint_survey(&self, q: &TouchpointQuery) -> StoreResult<TouchpointSurvey>;
    /// The seconds from receipt to the first action of each case received in the period with
    /// the touchpoint's topics and channels that was picked up, ascending.
    async fn touchpoint_waits(&self, q: &TouchpointQuery) -> StoreResult<Vec<i64>>;
}
