//! Open data: the figures other water boards exported, kept per organisation and year.

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;

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

#[async_trait]
pub trait OpenDataStore: Send + Sync {
    /// Keep `figures` as the file of its organisation and year, with the audit entry. The same
    /// body again changes nothing (no audit entry either) and returns `false`; another body
    /// replaces the kept one.
    async fn save_peer_figures(&self, figures: &PeerFigures, change: &Change) -> StoreResult<bool>;
    /// Every kept file, by organisation code and year.
    async fn peer_figures(&self) -> StoreResult<Vec<PeerFigures>>;
}
