//! Sign-in: password hashes, API tokens and sessions.
//!
//! A token's last use is recorded by a conditional update (`record_api_token_use`) that the app
//! calls only when the row it has just read shows no use within the last minute: no state in
//! memory, right across several app nodes, and a busy token costs one write a minute.

use super::Backend;
use super::shared::{EMPLOYEE_COLUMNS, Row, commit, commit_found, employee_from, other, write_audit};
use crate::codec::{db_error, micros, opt_timestamp, parse, timestamp};
use gastvrij_app::StoreError;
use gastvrij_app::ports::{ExternalLink, LAST_USED_EVERY, StoreResult};
use gastvrij_domain::api_token::ApiToken;
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::{ApiTokenId, EmployeeId};
use gastvrij_domain::team::Employee;
use sqlx::Row as _;

/// The columns of `api_tokens t` but the hash, named `token_…` so they read beside an employee's.
const TOKEN_COLUMNS: &str = "t.id AS token_id, t.employee_id AS token_employee_id, t.label AS token_label, \
    t.created_at AS token_created_at, t.expires_at AS token_expires_at, t.last_used_at AS token_last_used_at, \
    t.revoked_at AS token_revoked_at";

fn token_from(r: &Row) -> anyhow::Result<ApiToken> {
    Ok(ApiToken {
        id: parse("id", &r.try_get::<String, _>("token_id")?)?,
        employee_id: parse("employee_id", &r.try_get::<String, _>("token_employee_id")?)?,
        label: r.try_get("token_label")?,
        created_at: timestamp(r.try_get("token_created_at")?)?,
        expires_at: timestamp(r.try_get("token_expires_at")?)?,
        last_used_at: opt_timestamp(r.try_get("token_last_used_at")?)?,
        revoked_at: opt_timestamp(r.try_get("token_revoked_at")?)?,
    })
}

fn employee_columns() -> String {
    EMPLOYEE_COLUMNS.split(", ").map(|c| format!("e.{c}")).collect::<Vec<_>>().join(", ")
}

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

    async fn insert_api_token(&self, hash: &str, token: &ApiToken, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO api_tokens (token_hash, id, employee_id, label, created_at, expires_at, last_used_at, revoked_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(hash)
        .bind(token.id.to_string())
        .bind(token.employee_id.to_string())
        .bind(&token.label)
        .bind(micros(token.created_at))
        .bind(micros(token.expires_at))
        .bind(token.last_used_at.map(micros))
        .bind(token.revoked_at.map(micros))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        write_audit(&mut tx, change).await?;
        commit(tx).await
    }

    async fn employee_by_api_token(
        &self,
        hash: &str,
        now: jiff::Timestamp,
    ) -> StoreResult<Option<(Employee, ApiToken)>> {
        let sql = format!(
            "SELECT {}, {TOKEN_COLUMNS} FROM employees e JOIN api_tokens t ON t.employee_id = e.id \
             WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2",
            employee_columns()
        );
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(hash)
            .bind(micros(now))
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        row.as_ref()
            .map(|r| -> anyhow::Result<(Employee, ApiToken)> { Ok((employee_from(r)?, token_from(r)?)) })
            .transpose()
            .map_err(other)
    }

    async fn record_api_token_use(&self, id: ApiTokenId, at: jiff::Timestamp) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1 AND (last_used_at IS NULL OR last_used_at <= $3)",
        )
        .bind(id.to_string())
        .bind(micros(at))
        .bind(micros(at - LAST_USED_EVERY))
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        commit(tx).await
    }

    async fn api_tokens(&self, employee: EmployeeId) -> StoreResult<Vec<ApiToken>> {
        let sql =
            format!("SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE t.employee_id = $1 ORDER BY t.created_at, t.id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(employee.to_string())
            .fetch_all(self.reader())
            .await
            .map_err(db_error)?;
        rows.iter().map(token_from).collect::<anyhow::Result<_>>().map_err(other)
    }

    async fn revoke_api_token(&self, id: ApiTokenId, change: &Change) -> StoreResult<ApiToken> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query("UPDATE api_tokens SET revoked_at = COALESCE(revoked_at, $2) WHERE id = $1")
            .bind(id.to_string())
            .bind(micros(change.at))
            .execute(&mut *tx)
            .await
            .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Err(StoreError::NotFound("api token"));
        }
        let sql = format!("SELECT {TOKEN_COLUMNS} FROM api_tokens t WHERE t.id = $1");
        let row =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(id.to_string()).fetch_one(&mut *tx).await.map_err(db_error)?;
        let token = token_from(&row).map_err(other)?;
        write_audit(&mut tx, change).await?;
        commit(tx).await?;
        Ok(token)
    }

    async fn employee_by_external_identity(&self, issuer: &str, subject: &str) -> StoreResult<Option<Employee>> {
        let sql =
            format!("SELECT {EMPLOYEE_COLUMNS} FROM employees WHERE external_issuer = $1 AND external_subject = $2");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(issuer)
            .bind(subject)
            .fetch_optional(self.reader())
            .await
            .map_err(db_error)?;
        row.as_ref().map(employee_from).transpose().map_err(other)
    }

    async fn employees_open_for_external_link(&self) -> StoreResult<Vec<Employee>> {
        let sql = format!("SELECT {EMPLOYEE_COLUMNS} FROM employees WHERE external_link_allowed ORDER BY id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql)).fetch_all(self.reader()).await.map_err(db_error)?;
        rows.iter().map(employee_from).collect::<anyhow::Result<_>>().map_err(other)
    }

    async fn bind_external_identity(
        &self,
        id: EmployeeId,
        issuer: &str,
        subject: &str,
        change: &Change,
    ) -> StoreResult<bool> {
        let mut tx = self.begin_write().await?;
        // The permission is checked by the update itself: of two sign-ins racing for one
        // account, one binds it and the other finds nothing left to bind.
        let done = sqlx::query(
            "UPDATE employees SET external_issuer = $2, external_subject = $3, external_link_allowed = FALSE \
             WHERE id = $1 AND external_link_allowed",
        )
        .bind(id.to_string())
        .bind(issuer)
        .bind(subject)
        .execute(&mut *tx)
        .await
        .map_err(db_error)?;
        if done.rows_affected() == 0 {
            return Ok(false);
        }
        write_audit(&mut tx, change).await?;
        commit(tx).await?;
        Ok(true)
    }

    async fn allow_external_link(&self, id: EmployeeId, allowed: bool, change: &Change) -> StoreResult<()> {
        let mut tx = self.begin_write().await?;
        let sql = if allowed {
            "UPDATE employees SET external_link_allowed = TRUE, external_issuer = NULL, external_subject = NULL \
             WHERE id = $1"
        } else {
            "UPDATE employees SET external_link_allowed = FALSE WHERE id = $1"
        };
        let done = sqlx::query(sql).bind(id.to_string()).execute(&mut *tx).await.map_err(db_error)?;
        commit_found(tx, done.rows_affected(), "employee", change).await
    }

    async fn external_link(&self, id: EmployeeId) -> StoreResult<Option<ExternalLink>> {
        let row: Option<(bool, Option<String>)> =
            sqlx::query_as("SELECT external_link_allowed, external_issuer FROM employees WHERE id = $1")
                .bind(id.to_string())
                .fetch_optional(self.reader())
                .await
                .map_err(db_error)?;
        Ok(row.map(|(link_allowed, bound_issuer)| ExternalLink { link_allowed, bound_issuer }))
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
            employee_columns()
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
