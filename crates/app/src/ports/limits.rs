//! Rate limits counted in the database, so that several nodes on one PostgreSQL hold one limit
//! for the installation (issue 18). Keys are hashes; no address is stored.

use super::StoreResult;
use async_trait::async_trait;
use jiff::Timestamp;

#[async_trait]
pub trait LimitStore {
    /// Count one hit of `key` in `scope`'s fixed window that started at `window_start`, and return
    /// the hits in that window so far, this one included. The first hit of a window also removes
    /// the windows that started before `forget_before`.
    async fn count_hit(
        &self,
        scope: &str,
        key: &str,
        window_start: Timestamp,
        forget_before: Timestamp,
    ) -> StoreResult<u64>;

    /// The hits of `key` in `scope`'s window that started at `window_start`.
    async fn hits(&self, scope: &str, key: &str, window_start: Timestamp) -> StoreResult<u64>;
}
