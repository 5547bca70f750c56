//! Open data: the figures other water boards exported, kept per organisation and year; the
//! years this organisation publishes; the counts the export reads per quarter; and the portal
//! heartbeats that measure its availability.

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use jiff::Timestamp;

/// One organisation's open-data file of one year, as kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerFigures {
    pub organisation_code: String,
    pub year: i16,
    pub organisation_name: String,
    pub schema_version: String,
    /// The checked file in canonical JSON.
    pub body: String,
}

/// A year published at `/open-data/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    pub year: i16,
    pub published_at: Timestamp,
}

/// Contacts started in a period, counted in the database (an indexed range, nothing loaded).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactCounts {
    /// Per channel code; channels without contacts are left out.
    pub per_channel: Vec<(String, u64)>,
    /// Questions of those contacts that have a line, and those answered in the first line.
    pub with_line: u64,
    pub first_line: u64,
}

/// Consultations asked in a period: asked, answered, and answered ones turned into an article.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ConsultationCounts {
    pub asked: u64,
    pub answered: u64,
    pub to_article: u64,
}

/// Heartbeats in a range of minutes, and the first heartbeat the installation ever recorded.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct HeartbeatCount {
    pub beats: u64,
    /// Minutes since the epoch (UTC); `None` before the first heartbeat.
    pub first_ever: Option<i64>,
}

#[async_trait]
pub trait OpenDataStore: Send + Sync {
    /// Keep `figures` as the file of its organisation and year, with the audit entry. The same
    /// body again changes nothing (no audit entry either) and returns `false`; another body
    /// replaces the kept one.
    async fn save_peer_figures(&self, figures: &PeerFigures, change: &Change) -> StoreResult<bool>;
    /// Every kept file, by organisation code and year.
    async fn peer_figures(&self) -> StoreResult<Vec<PeerFigures>>;

    /// The organisation code the beheerder set; `None`: derived from the name.
    async fn open_data_code(&self) -> StoreResult<Option<String>>;
    /// Set the organisation code, with the audit entry.
    async fn save_open_data_code(&self, code: &str, change: &Change) -> StoreResult<()>;
    /// Publish (or publish again) the file of `year`, with the audit entry.
    async fn publish_open_data(&self, year: i16, body: &str, change: &Change) -> StoreResult<()>;
    /// Withdraw the file of `year`; `false` (and no audit entry) when it was not published.
    async fn withdraw_open_data(&self, year: i16, change: &Change) -> StoreResult<bool>;
    /// The published years, newest first.
    async fn open_data_publications(&self) -> StoreResult<Vec<Publication>>;
    /// The published file of `year`.
    async fn published_open_data(&self, year: i16) -> StoreResult<Option<String>>;

    /// Contacts started in `[from, to)`, counted per channel, and their questions' lines.
    async fn contacts_started_between(&self, from: Timestamp, to: Timestamp) -> StoreResult<ContactCounts>;
    /// Consultations asked in `[from, to)`.
    async fn consultations_asked_between(&self, from: Timestamp, to: Timestamp) -> StoreResult<ConsultationCounts>;
    /// When each consultation asked in `[from, to)` was asked and answered (`None`: still open),
    /// in the order asked: the app judges each against the consultation term valid on its day.
    async fn consultation_times(
        &self,
        from: Timestamp,
        to: Timestamp,
    ) -> StoreResult<Vec<(Timestamp, Option<Timestamp>)>>;

    /// Record that the portal worked in `minute` (minutes since the epoch) as seen by `node`.
    /// `false` when that minute was already recorded (by this node or another): it counts once.
    async fn record_portal_heartbeat(&self, minute: i64, node: &str) -> StoreResult<bool>;
    /// Heartbeats in minutes `[from, to)`, and the first one ever.
    async fn portal_heartbeats(&self, from: i64, to: i64) -> StoreResult<HeartbeatCount>;
}
