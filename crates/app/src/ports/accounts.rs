//! Accounts and sessions: passwords, API tokens and signed-in sessions of employees.

use super::StoreResult;
use async_trait::async_trait;
use gastvrij_domain::api_token::ApiToken;
use gastvrij_domain::audit::Change;
use gastvrij_domain::ids::{ApiTokenId, EmployeeId};
use gastvrij_domain::team::Employee;
use jiff::{SignedDuration, Timestamp};

/// A token's last use is recorded at most this often: a token that calls the API all day costs
/// one write a minute, not one per request.
pub const LAST_USED_EVERY: SignedDuration = SignedDuration::from_secs(60);

/// An employee's standing with the organisation's identity provider (OIDC sign-in).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
pub struct ExternalLink {
    /// A beheerder allowed the next sign-in through the provider to bind this account, found by
    /// its username or verified e-mail address; cleared once bound.
    pub link_allowed: bool,
    /// The provider (`iss`) the account is bound to; later sign-ins match its `sub` only.
    pub bound_issuer: Option<String>,
}

/// How employees sign in: password hashes, API tokens and sessions.
#[async_trait]
pub trait AccountStore: Send + Sync {
    /// Set (or clear) the argon2id password hash of an employee.
    async fn set_password_hash(&self, id: EmployeeId, hash: Option<&str>, change: &Change) -> StoreResult<()>;
    async fn password_hash(&self, id: EmployeeId) -> StoreResult<Option<String>>;
    /// Store a new API token by the SHA-256 hash of its secret; the hash is never read back.
    async fn insert_api_token(&self, hash: &str, token: &ApiToken, change: &Change) -> StoreResult<()>;
    /// The token with this hash and its employee, if the token is neither revoked nor expired at
    /// `now` (it expires at its `expires_at`). Reads only; see [`AccountStore::record_api_token_use`].
    async fn employee_by_api_token(&self, hash: &str, now: Timestamp) -> StoreResult<Option<(Employee, ApiToken)>>;
    /// Record `at` as the last use of token `id`, unless a use less than [`LAST_USED_EVERY`]
    /// before `at` (or a later one) is recorded already; the check is part of the update, so app
    /// nodes racing for the same token write it once. An unknown id is no error.
    async fn record_api_token_use(&self, id: ApiTokenId, at: Timestamp) -> StoreResult<()>;
    /// An employee's API tokens, revoked and expired ones included, oldest first.
    async fn api_tokens(&self, employee: EmployeeId) -> StoreResult<Vec<ApiToken>>;
    /// Revoke token `id` at `change.at` and return it; a token revoked before keeps its first
    /// revocation time. `NotFound("api token")` for an unknown id.
    async fn revoke_api_token(&self, id: ApiTokenId, change: &Change) -> StoreResult<ApiToken>;

    /// The employee bound to `subject` at the provider `issuer`.
    async fn employee_by_external_identity(&self, issuer: &str, subject: &str) -> StoreResult<Option<Employee>>;
    /// The employees a beheerder allowed to be bound at their next external sign-in.
    async fn employees_open_for_external_link(&self) -> StoreResult<Vec<Employee>>;
    /// Bind employee `id` to `subject` at `issuer` and clear its permission to be bound, if it has
    /// that permission still; `false` (nothing written) when it has not. `Conflict` when another
    /// employee is bound to the same identity.
    async fn bind_external_identity(
        &self,
        id: EmployeeId,
        issuer: &str,
        subject: &str,
        change: &Change,
    ) -> StoreResult<bool>;
    /// Allow (or no longer allow) the next external sign-in to bind employee `id`; allowing it
    /// removes the binding it had, so the next sign-in binds it afresh.
    async fn allow_external_link(&self, id: EmployeeId, allowed: bool, change: &Change) -> StoreResult<()>;
    /// The employee's standing with the identity provider; `None` for an unknown employee.
    async fn external_link(&self, id: EmployeeId) -> StoreResult<Option<ExternalLink>>;

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
