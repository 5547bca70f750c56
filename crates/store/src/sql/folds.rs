//! The folded columns of migration 14, filled for rows written before it.

use super::Backend;
use super::shared::commit;
use crate::codec::db_error;
use gastvrij_app::ports::StoreResult;
use gastvrij_domain::text::{email_key, fold};

impl Backend {
    /// Fill the folded columns of migration 14 (see `gastvrij_domain::text::fold` and
    /// `email_key`) for rows written before it; rows written since have them already.
    /// Idempotent: only rows still without a fold are read. Returns how many were filled.
    pub(crate) async fn backfill_folds(&self) -> StoreResult<u64> {
        let mut tx = self.begin_write().await?;
        let mut filled = 0;
        for table in ["employees", "teams", "topics"] {
            let sql = format!("SELECT id, name FROM {table} WHERE name_folded IS NULL");
            let rows: Vec<(String, String)> =
                sqlx::query_as(sqlx::AssertSqlSafe(sql)).fetch_all(&mut *tx).await.map_err(db_error)?;
            let sql = format!("UPDATE {table} SET name_folded = $2 WHERE id = $1");
            for (id, name) in rows {
                sqlx::query(sqlx::AssertSqlSafe(sql.clone()))
                    .bind(id)
                    .bind(fold(&name))
                    .execute(&mut *tx)
                    .await
                    .map_err(db_error)?;
                filled += 1;
            }
        }
        let rows: Vec<(String, Option<String>, Option<String>)> =
            sqlx::query_as("SELECT id, name, email FROM customers WHERE name_folded IS NULL")
                .fetch_all(&mut *tx)
                .await
                .map_err(db_error)?;
        for (id, name, email) in rows {
            sqlx::query("UPDATE customers SET name_folded = $2, email_key = $3 WHERE id = $1")
                .bind(id)
                .bind(fold(name.as_deref().unwrap_or_default()))
                .bind(email.as_deref().map(email_key))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            filled += 1;
        }
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT id, email FROM work_subscriptions WHERE email_key IS NULL")
                .fetch_all(&mut *tx)
                .await
                .map_err(db_error)?;
        for (id, email) in rows {
            sqlx::query("UPDATE work_subscriptions SET email_key = $2 WHERE id = $1")
                .bind(id)
                .bind(email_key(&email))
                .execute(&mut *tx)
                .await
                .map_err(db_error)?;
            filled += 1;
        }
        let places: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT place FROM planned_work_areas WHERE place IS NOT NULL AND place_folded IS NULL",
        )
        .fetch_all(&mut *tx)
        .await
        .map_err(db_error)?;
        for (place,) in places {
            let done = sqlx::query(
                "UPDATE planned_work_areas SET place_folded = $2 WHERE place = $1 AND place_folded IS NULL",
            )
            .bind(&place)
            .bind(fold(&place))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
            filled += done.rows_affected();
        }
        commit(tx).await?;
        Ok(filled)
    }
}
