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
    /// Contacts started in the period on its channels, counted once per topic of the
    /// touchpoint they have a question on (contact–topic pairs); without topics, every contact
    /// on its channels; 0 when it names neither topics nor channels.
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

/// A touchpoint's figures over whole days from the daily roll-ups (docs/journeys.md).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct TouchpointRollup {
    /// Contact–topic pairs (as [`TouchpointVolume::contacts`]).
    pub contacts: u64,
    pub cases: u64,
    pub answers: u64,
    pub grade_sum: u64,
    /// Picked-up cases per wait bucket: the bucket's lower bound in seconds, ascending, the
    /// cases in it and the sum of their waits in seconds (see [`wait_bucket`]).
    pub waits: Vec<(i64, u64, i64)>,
}

/// The width in seconds of the wait bucket that starts at `lower` seconds: 6 minutes below 10
/// hours, an hour below 10 days, a day beyond.
pub fn wait_bucket_width(lower: i64) -> i64 {
    if lower < 36_000 {
        360
    } else if lower < 864_000 {
        3_600
    } else {
        86_400
    }
}

/// The lower bound of the bucket a wait of `seconds` falls in.
pub fn wait_bucket(seconds: i64) -> i64 {
    let width = wait_bucket_width(seconds);
    seconds.div_euclid(width) * width
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
    /// The touchpoint's figures over the local days `[from_day, to_day)` (`YYYY-MM-DD`) from the
    /// daily roll-ups, as current as the last [`Self::refresh_journey_days`].
    async fn touchpoint_rollup(
        &self,
        q: &TouchpointQuery,
        from_day: &str,
        to_day: &str,
    ) -> StoreResult<TouchpointRollup>;
    /// The UTC hours whose journey roll-ups are out of date, the oldest first, at most `limit`,
    /// each with its change counter.
    async fn dirty_journey_hours(&self, limit: u32) -> StoreResult<Vec<(i64, i64)>>;
    /// Recompute the journey roll-ups of the local days `days` (the day, its first moment and
    /// the next day's) from the raw tables and drop the markers `done` (hour, change counter)
    /// not renewed meanwhile, in one transaction.
    async fn refresh_journey_days(
        &self,
        days: &[(String, Timestamp, Timestamp)],
        done: &[(i64, i64)],
    ) -> StoreResult<()>;
    /// The plain reads over the raw tables below are the baseline `gastvrij bench monitor`
    /// checks the roll-ups against; the map reads [`Self::touchpoint_rollup`].
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
