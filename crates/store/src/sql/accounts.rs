//! Sign-in: password hashes, API tokens and sessions.

use super::Backend;
use super::shared::{EMPLOYEE_COLUMNS, commit, commit_found, employee_from, other, write_audit};
use crate::codec::{db_error, micros};
use gastvrij_app::ports::StoreResult;
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::EmployeeId;
use gastvrij_domain::team::Employee;
use sqlx::Row as _;

#[async_trait::async_trait]
impl gastvrij_app::ports::AccountStore for Backend {
    async fn set_password_hash(&self, id: EmployeeId, hash: Option<&str>, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE employees SET password_hash = $2 WHERE id = $1")
            .bind(id.to_string())
            .bind(hash)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        commit_found(tx, done.rows_affected(), "employee", change).await
    }

    async fn password_hash(&self, id: EmployeeId) -> StoreResult<Option<String>> {
        let row: Option<(Option<String>,)> = sqlx::query_as("SELECT password_hash FROM employees WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        Ok(row.and_then(|(h,)| h))
    }

    async fn insert_api_token(
        &self,
        hash: &str,
        employee: EmployeeId,
        label: &str,
        change: &Change,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("INSERT INTO api_tokens (token_hash, employee_id, label, created_at) VALUES ($1, $2, $3, $4)")
            .bind(hash)
            .bind(employee.to_string())
            .bind(label)
            .bind(micros(change.at))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn employee_by_api_token(&self, hash: &str) -> StoreResult<Option<Employee>> {
        let sql = format!(
            "SELECT {} FROM employees e JOIN api_tokens t ON t.employee_id = e.id WHERE t.token_hash = $1",
            EMPLOYEE_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ")
        );
        let row =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(hash).fetch_optional(self.reader()).await.map_err(db_error)?;
        row.as_ref().map(employee_from).transpose().map_err(other)
    }

    async fn insert_session(
        &self,
        token_hash: &str,
        employee: EmployeeId,
        csrf: &str,
        expires_at: jiff::Timestamp,
        now: jiff::Timestamp,
    ) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(micros(now))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        sqlx::query("INSERT INTO sessions (token_hash, employee_id, csrf_token, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(token_hash)
            .bind(employee.to_string())
            .bind(csrf)
            .bind(micros(now))
            .bind(micros(expires_at))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        commit(tx).await
    }

    async fn session(&self, token_hash: &str, now: jiff::Timestamp) -> StoreResult<Option<(Employee, String)>> {
        let sql = format!(
            "SELECT {}, s.csrf_token FROM employees e JOIN sessions s ON s.employee_id = e.id WHERE s.token_hash = $1 AND s.expires_at > $2",
            EMPLOYEE_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ")
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(token_hash)
            .bind(micros(now))
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        row.as_ref()
            .map(|r| -> anyhow::Result<(Employee, String)> { Ok((employee_from(r)?, r.try_get("csrf_token")?)) })
            .transpose()
            .map_err(other)
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        commit(tx).await
    }
}
