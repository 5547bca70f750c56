//! Rate-limit windows shared by every node of an installation (`rate_windows`).

use super::Backend;
use super::shared::commit;
use crate::codec::{db_error, micros};
use gastvrij_app::ports::StoreResult;

#[async_trait::async_trait]
impl gastvrij_app::ports::LimitStore for Backend {
    async fn count_hit(
        &self,
        scope: &str,
        key: &str,
        window_start: jiff::Timestamp,
        forget_before: jiff::Timestamp,
    ) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        // One statement: two nodes counting at once both add, neither overwrites.
        let (hits,): (i64,) = sqlx::query_as(
            "INSERT INTO rate_windows (scope, key, window_start, hits) VALUES ($1, $2, $3, 1) \
             ON CONFLICT (scope, key, window_start) DO UPDATE SET hits = rate_windows.hits + 1 RETURNING hits",
        )
        .bind(scope)
        .bind(key)
        .bind(micros(window_start))
        .fetch_one(&mut *tx)
        .await
        .map_err(db_error)?;
        if hits == 1 {
            sqlx::query("DELETE FROM rate_windows WHERE window_start < $1")
                .bind(micros(forget_before))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
        }
        commit(tx).await?;
        Ok(hits.max(0) as u64)
    }

    async fn hits(&self, scope: &str, key: &str, window_start: jiff::Timestamp) -> StoreResult<u64> {
        let hits: Option<(i64,)> =
            sqlx::query_as("SELECT hits FROM rate_windows WHERE scope = $1 AND key = $2 AND window_start = $3")
                .bind(scope)
                .bind(key)
                .bind(micros(window_start))
                .fetch_optional(self.reader())
                .await
                .map_err(db_error)?;
        Ok(hits.map_or(0, |(h,)| h.max(0) as u64))
    }
}
