//! Roll-ups: norm compliance and phone reachability per day, the markers of days to recompute,
//! and the compliance reads over cases and phone contacts.

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::case::CaseType;
use gastvrij_domain::channel::Channel;
use gastvrij_domain::customer::Segment;
use gastvrij_domain::ids::{TeamId, TopicId};
use gastvrij_domain::norms::Compliance;
use jiff::Timestamp;

/// The timing facts of one case, for norm compliance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseTimingRow {
    pub case_type: CaseType,
    pub team_id: TeamId,
    pub topic_id: Option<TopicId>,
    /// The channel of the contact the case came from, if any.
    pub channel: Option<Channel>,
    /// The first segment of the case's customer, if any (`cases.segment`: the store keeps it
    /// current when the case is written and when the customer's segments change).
    pub segment: Option<Segment>,
    pub created_at: Timestamp,
    pub closed_at: Option<Timestamp>,
    /// The first status change after receipt: the case was picked up (acknowledged).
    pub first_action_at: Option<Timestamp>,
    pub acknowledgement_due: Option<Timestamp>,
    pub service_norm_due: Option<Timestamp>,
    pub legal_due: Option<Timestamp>,
    /// Since when the open case is suspended: its clock stands still (`norms::classify_case`).
    pub suspended_since: Option<Timestamp>,
}

/// Which cases a timing query covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseScope {
    All,
    Open,
    Closed,
}

/// A case or phone contact whose roll-up day must be recomputed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirtyMarker {
    /// `case` or `phone`.
    pub kind: String,
    pub id: String,
    /// Its moment of receipt, which decides the day.
    pub day_at: Timestamp,
    /// The change that marked it.
    pub touched: i64,
}

/// One row of the daily norm roll-up (closed cases only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormDailyRow {
    /// Local date of receipt, `YYYY-MM-DD`.
    pub day: String,
    pub team_id: TeamId,
    pub topic_id: Option<TopicId>,
    pub channel: Option<Channel>,
    pub segment: Option<Segment>,
    pub case_type: CaseType,
    /// `ontvangstbevestiging` or `inhoudelijke_reactie`.
    pub category: String,
    pub within_norm: i64,
    pub late: i64,
    pub legal_late: i64,
}

/// Daily roll-up figures summed per day, slice key and category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormDailySum {
    /// The day; empty when summed over the period.
    pub day: String,
    /// The slice: a team or topic id, a channel or case type code, a category, `geen` or `totaal`.
    pub key: String,
    /// The part (the key of a second slice, read with it so that one read serves a report per
    /// part); empty without one.
    pub part: String,
    pub within_norm: i64,
    pub late: i64,
    pub legal_late: i64,
}

/// Which `norm_daily` sums to read ([`RollupStore::norm_daily`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NormDailyQuery {
    /// The first day (`YYYY-MM-DD`) and the day after the last.
    pub from_day: String,
    pub to_day: String,
    pub slice: RollupSlice,
    /// A second slice whose key is summed beside the first ([`NormDailySum::part`]).
    pub part: Option<RollupSlice>,
    /// Sums per day (for weekly figures), or over the whole period.
    pub by_day: bool,
    pub filter: super::NormFilter,
}

/// Which roll-up column makes the slice key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RollupSlice {
    Total,
    Team,
    Topic,
    Channel,
    CaseType,
    Category,
    Segment,
}

/// Which open cases to count, and the moments that decide their state (see
/// [`RollupStore::open_case_counts`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCaseQuery {
    /// Open cases received in `[from, to)`.
    pub from: Timestamp,
    pub to: Timestamp,
    /// The slice key; [`RollupSlice::Category`] counts like [`RollupSlice::Total`] (the category
    /// is the measurement itself).
    pub slice: RollupSlice,
    /// A second slice whose key is counted beside the first ([`OpenCaseCount::part`]).
    pub part: Option<RollupSlice>,
    /// The starts of consecutive weeks, ascending; the first at or before `from`. A case belongs
    /// to the last week that starts at or before its receipt.
    pub week_starts: Vec<Timestamp>,
    /// A deadline at or before `now` without the work done is late. A suspended case is judged
    /// at the moment it was suspended, and is never at risk (`norms::classify_case`).
    pub now: Timestamp,
    /// A deadline after `now` and at or before `risk_until` is at risk; a later one is open.
    pub risk_until: Timestamp,
    /// Only the cases of this team, topic, channel and segment (those set).
    pub filter: super::NormFilter,
}

/// Open cases of one slice and week whose two measurements are in the same state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenCaseCount {
    /// As in [`NormDailySum::key`]; `totaal` for [`RollupSlice::Total`] and [`RollupSlice::Category`].
    pub key: String,
    /// The key of [`OpenCaseQuery::part`]; empty without one.
    pub part: String,
    /// Index into [`OpenCaseQuery::week_starts`].
    pub week: usize,
    /// The acknowledgement (first action against its deadline); `None` without that deadline.
    pub acknowledgement: Option<Compliance>,
    /// The service norm (closing against its deadline); `None` without that deadline.
    pub service_norm: Option<Compliance>,
    /// The case has a service-norm deadline and is (or was closed) at or past its legal deadline.
    pub legal_late: bool,
    pub cases: i64,
}

/// One day of phone reachability during office hours.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneDailyRow {
    pub day: String,
    pub within_norm: i64,
    pub late: i64,
}

/// The daily roll-ups and the compliance reads they are computed from.
#[async_trait]
pub trait RollupStore: Send + Sync {
    /// Timing facts of the cases created in `[from, to)`.
    async fn case_timings(&self, from: Timestamp, to: Timestamp, scope: CaseScope) -> StoreResult<Vec<CaseTimingRow>>;

    /// Up to `limit` pending roll-up markers.
    async fn dirty_rollups(&self, limit: u32) -> StoreResult<Vec<DirtyMarker>>;
    /// Replace the roll-up rows of `days` and clear the processed markers, in one transaction.
    async fn replace_rollup_days(
        &self,
        days: &[String],
        norms: &[NormDailyRow],
        phone: &[PhoneDailyRow],
        done: &[DirtyMarker],
    ) -> StoreResult<()>;
    /// The roll-up rows of the days `[from_day, to_day)` matching `filter`, summed in the database
    /// per slice key, part key and (with `by_day`) day; without `by_day` each sum has day `""`.
    async fn norm_daily(&self, q: &NormDailyQuery) -> StoreResult<Vec<NormDailySum>>;
    /// The open cases of a period counted in the database per slice, week and state of their
    /// measurements: the live part of a roll-up report, without reading the cases one by one.
    async fn open_case_counts(&self, q: &OpenCaseQuery) -> StoreResult<Vec<OpenCaseCount>>;
    async fn phone_daily(&self, from_day: &str, to_day: &str) -> StoreResult<Vec<PhoneDailyRow>>;

    /// `(moment, waiting_seconds)` of the phone contacts and reported calls in `[from, to)`; a
    /// contact a reported call stands for counts once, and an abandoned call waits `u32::MAX`.
    async fn phone_waits(&self, from: Timestamp, to: Timestamp) -> StoreResult<Vec<(Timestamp, u32)>>;
}
