//! Open data: other water boards' figures, one row per organisation and year.

use super::Backend;
use super::shared::{commit, other, write_audit};
use crate::codec::{db_error, micros};
use gastvrij_app::ports::{PeerFigures, StoreResult};
use gastvrij_domain::audit::Change;
use sqlx::Row as _;

#[async_trait::async_trait]
impl gastvrij_app::ports::OpenDataStore for Backend {
    async fn save_peer_figures(&self, f: &PeerFigures, change: &Change) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        // Inserted or replaced: a row comes back; the same body again: none, and nothing changed.
        let changed = sqlx::query(
            "INSERT INTO peer_figures (organisation_code, year, organisation_name, schema_version, body, imported_at) \
             VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (organisation_code, year) DO UPDATE SET organisation_name = excluded.organisation_name, \
             schema_version = excluded.schema_version, body = excluded.body, imported_at = excluded.imported_at \
             WHERE peer_figures.body <> excluded.body \
             RETURNING organisation_code",
        )
        .bind(&f.organisation_code)
        .bind(i32::from(f.year))
        .bind(&f.organisation_name)
        .bind(&f.schema_version)
        .bind(&f.body)
        .bind(micros(change.at))
        .fetch_optional(&mut *tx)
        .await
        .map_err(db_error)?
        .is_some();
        if !changed {
            return Ok(false);
        }
        write_audit(&mut tx, change).await?;
        commit(tx).await?;
        Ok(true)
    }

    async fn peer_figures(&self) -> StoreResult<Vec<PeerFigures>> {
        let rows = sqlx::query(
            "SELECT organisation_code, year, organisation_name, schema_version, body FROM peer_figures \
             ",
        )
        .fetch_all(self.reader())
        .await
        .map_err(db_error)?;
        let mut all = rows
            .iter()
            .map(|r| {
                Ok(PeerFigures {
                    organisation_code: r.try_get("organisation_code").map_err(other)?,
                    year: i16::try_from(r.try_get::<i32, _>("year").map_err(other)?).map_err(other)?,
                    organisation_name: r.try_get("organisation_name").map_err(other)?,
                    schema_version: r.try_get("schema_version").map_err(other)?,
                    body: r.try_get("body").map_err(other)?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        // Sorted here: the databases' collations may order hyphens differently.
        all.sort_by(|a, b| (&a.organisation_code, a.year).cmp(&(&b.organisation_code, b.year)));
        Ok(all)
    }
}
