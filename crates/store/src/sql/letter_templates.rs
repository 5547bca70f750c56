//! Mail and letter templates: each save a new row, numbered per kind; the newest counts.

use super::Backend;
use super::shared::{Row, commit, other, write_audit};
use crate::codec::{db_error, micros, opt_parse, timestamp};
use gastvrij_app::StoreError;
use gastvrij_app::ports::StoreResult;
use gastvrij_domain::audit::Change;
use gastvrij_domain::letter_template::{LetterKind, LetterTemplate, TemplateVersion};
use sqlx::Row as _;

const COLUMNS: &str = "kind, version, subject, body, saved_by, saved_at";

fn version_from(r: &Row) -> anyhow::Result<TemplateVersion> {
    let kind = LetterKind::parse(&r.try_get::<String, _>("kind")?).map_err(|e| anyhow::anyhow!("kind: {e}"))?;
    let subject: Option<String> = r.try_get("subject")?;
    let body: Option<String> = r.try_get("body")?;
    Ok(TemplateVersion {
        kind,
        version: u32::try_from(r.try_get::<i64, _>("version")?)?,
        // Checked when saved; read back as it was kept.
        text: subject.zip(body).map(|(subject, body)| LetterTemplate { kind, subject, body }),
        saved_by: opt_parse("saved_by", r.try_get("saved_by")?)?,
        saved_at: timestamp(r.try_get("saved_at")?)?,
    })
}

#[async_trait::async_trait]
impl gastvrij_app::ports::LetterTemplateStore for Backend {
    async fn newest_letter_templates(&self) -> StoreResult<Vec<TemplateVersion>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM letter_templates t WHERE version = \
             (SELECT MAX(version) FROM letter_templates n WHERE n.kind = t.kind)"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.reader()).await.map_err(db_error)?;
        let mut all = rows.iter().map(version_from).collect::<anyhow::Result<Vec<_>>>().map_err(other)?;
        all.sort_by_key(|v| LetterKind::ALL.iter().position(|k| *k == v.kind));
        Ok(all)
    }

    async fn letter_template_history(&self, kind: LetterKind) -> StoreResult<Vec<TemplateVersion>> {
        let sql = format!("SELECT {COLUMNS} FROM letter_templates WHERE kind = $1 ORDER BY version DESC");
        let rows =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(kind.code()).fetch_all(self.reader()).await.map_err(db_error)?;
        rows.iter().map(version_from).collect::<anyhow::Result<Vec<_>>>().map_err(other)
    }

    async fn save_letter_template(&self, v: &TemplateVersion, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let (newest,): (Option<i64>,) = sqlx::query_as("SELECT MAX(version) FROM letter_templates WHERE kind = $1")
            .bind(v.kind.code())
            .fetch_one(&mut *tx)
            .await
            .map_err(db_error)?;
        if newest.unwrap_or(0) + 1 != i64::from(v.version) {
            return Err(StoreError::Conflict("the template was saved by someone else in the meantime".into()));
        }
        // The primary key refuses a second save of the same number that raced past the check.
        sqlx::query(
            "INSERT INTO letter_templates (kind, version, subject, body, saved_by, saved_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(v.kind.code())
        .bind(i64::from(v.version))
        .bind(v.text.as_ref().map(|t| t.subject.clone()))
        .bind(v.text.as_ref().map(|t| t.body.clone()))
        .bind(v.saved_by.map(|e| e.to_string()))
        .bind(micros(v.saved_at))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }
}
