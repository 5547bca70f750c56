//! Telephony: calls reported by the telephone exchange.

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::telephony::Call;
use jiff::Timestamp;

#[async_trait]
pub trait TelephonyStore: Send + Sync {
    /// Store calls (insert, or update by call id) and mark their days for the roll-ups.
    /// Returns how many were stored.
    async fn upsert_calls(&self, calls: &[Call], change: &Change) -> StoreResult<u64>;
    /// Calls offered in `[from, to)`, oldest first.
    async fn calls(&self, from: Timestamp, to: Timestamp) -> StoreResult<Vec<Call>>;
}
