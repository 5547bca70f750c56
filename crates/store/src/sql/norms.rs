//! Norm versions (each valid from a day) and the survey grades of gastvrijheid.

use super::Backend;
use super::shared::{commit, other, write_audit};
use crate::codec::{db_error, micros, timestamp};
use gastvrij_app::ports::{KccToday, NormFilter, StoreResult, SurveyGrade};
use gastvrij_domain::audit::Change;
use gastvrij_domain::norm_versions::NormVersion;

#[async_trait::async_trait]
impl gastvrij_app::ports::NormStore for Backend {
    async fn norm_versions(&self) -> StoreResult<Vec<NormVersion>> {
        let rows: Vec<(String, String)> =
            sqlx::query_as("SELECT valid_from, norms FROM norm_versions ORDER BY valid_from")
                .fetch_all(self.reader())
                .await
                .map_err(db_error)?;
        rows.into_iter()
            .map(|(day, norms)| {
                Ok(NormVersion {
                    valid_from: day
                        .parse()
                        .map_err(|e: jiff::Error| other(anyhow::anyhow!("valid_from {day}: {e}")))?,
                    norms: serde_json::from_str(&norms).map_err(|e| other(anyhow::anyhow!("norms of {day}: {e}")))?,
                })
            })
            .collect()
    }

    async fn save_norm_versions(&self, versions: &[NormVersion], change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        for v in versions {
            let json = serde_json::to_string(&v.norms).map_err(|e| other(anyhow::anyhow!(e)))?;
            sqlx::query(
                "INSERT INTO norm_versions (valid_from, norms, saved_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (valid_from) DO UPDATE SET norms = excluded.norms, saved_at = excluded.saved_at",
            )
            .bind(v.valid_from.to_string())
            .bind(json)
            .bind(micros(change.at))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        }
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn survey_grades(
        &self,
        from: jiff::Timestamp,
        to: jiff::Timestamp,
        filter: &NormFilter,
    ) -> StoreResult<Vec<SurveyGrade>> {
        // Indexed by answered_at (0027); the case gives team, topic and channel.
        let (filtered, binds) = super::rollups::filter_sql(filter, "c.", 3);
        let sql = format!(
            "SELECT a.answered_at, a.grade, a.solved FROM survey_answers a \
             JOIN submissions s ON s.id = a.submission_id LEFT JOIN cases c ON c.id = s.case_id \
             WHERE a.answered_at >= $1 AND a.answered_at < $2{filtered}"
        );
        let mut query =
            sqlx::query_as::<_, (i64, i64, bool)>(sqlx::AssertSqlSafe(sql)).bind(micros(from)).bind(micros(to));
        for b in binds {
            query = query.bind(b);
        }
        let rows = query.fetch_all(self.reader()).await.map_err(db_error)?;
        rows.into_iter()
            .map(|(at, grade, solved)| {
                Ok(SurveyGrade { answered_at: timestamp(at)?, grade: u8::try_from(grade)?, solved })
            })
            .collect::<anyhow::Result<_>>()
            .map_err(other)
    }

    async fn kcc_today(&self, from: jiff::Timestamp, to: jiff::Timestamp) -> StoreResult<KccToday> {
        let (offered, abandoned, phone, contacts, consults): (i64, i64, i64, i64, i64) = sqlx::query_as(
            "SELECT (SELECT COUNT(*) FROM calls WHERE offered_at >= $1 AND offered_at < $2), \
             (SELECT COUNT(*) FROM calls WHERE offered_at >= $1 AND offered_at < $2 AND outcome = 'abandoned'), \
             (SELECT COUNT(*) FROM contacts k WHERE channel = 'telefoon' AND started_at >= $1 AND started_at < $2 \
              AND NOT EXISTS (SELECT 1 FROM calls c WHERE c.contact_id = k.id)), \
             (SELECT COUNT(*) FROM contacts WHERE started_at >= $1 AND started_at < $2), \
             (SELECT COUNT(*) FROM consultations WHERE answered_at IS NULL)",
        )
        .bind(micros(from))
        .bind(micros(to))
        .fetch_one(self.reader())
        .await
        .map_err(db_error)?;
        let n = |v: i64| u64::try_from(v).unwrap_or(0);
        Ok(KccToday {
            calls_offered: n(offered) + n(phone),
            calls_abandoned: n(abandoned),
            contacts: n(contacts),
            open_consults: n(consults),
        })
    }
}
