//! Accounts and sessions: passwords, API tokens and signed-in sessions of employees.

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::EmployeeId;
use gastvrij_domain::team::Employee;
use jiff::Timestamp;

/// How employees sign in: password hashes, API tokens and sessions.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Set (or clear) the argon2id password hash of an employee.
    async fn set_password_hash(&self, id: EmployeeId, hash: Option<&str>, change: &Change) -> StoreResult<()>;
    async fn password_hash(&self, id: EmployeeId) -> StoreResult<Option<String>>;
    /// Store an API token by its SHA-256 hash.
    async fn insert_api_token(&self, hash: &str, employee: EmployeeId, label: &str, change: &Change)
    -> StoreResult<()>;
    async fn employee_by_api_token(&self, hash: &str) -> StoreResult<Option<Employee>>;

    /// Store a session by the hash of its token; expired sessions are removed on the way.
    async fn insert_session(
        &self,
        token_hash: &str,
        employee: EmployeeId,
        csrf: &str,
        expires_at: Timestamp,
        now: Timestamp,
    ) -> StoreResult<()>;
    /// The employee and CSRF token of a session that has not expired at `now`.
    async fn session(&self, token_hash: &str, now: Timestamp) -> StoreResult<Option<(Employee, String)>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
}
