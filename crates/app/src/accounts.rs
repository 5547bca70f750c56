//! Use cases: sign-in accounts (argon2id passwords) and API tokens.

use crate::ports::ExternalLink;
use crate::principal::roles;
use crate::{App, AppError, Principal};
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use gastvrij_domain::api_token::{ApiToken, TokenLifetime};
use gastvrij_domain::audit::{Actor, Change};
use gastvrij_domain::ids::{ApiTokenId, EmployeeId};
use gastvrij_domain::team::{Employee, EmployeeInput, parse_username};
use gastvrij_domain::{Invalid, InvalidKind};

/// Minimum password length; long passphrases beat complexity rules.
pub const MIN_PASSWORD_CHARS: usize = 12;

impl App {
    /// Create an employee who can sign in (`gastvrij user add`).
    pub async fn add_user(&self, who: &Principal, input: EmployeeInput, password: &str) -> Result<Employee, AppError> {
        who.require(roles::ADMIN)?;
        if input.username.as_deref().is_none_or(|u| u.trim().is_empty()) {
            return Err(Invalid::empty("username").into());
        }
        let hash = hash_password_off_the_runtime(password).await?;
        let employee = self.create_employee(who, input).await?;
        let change = Change::new(who.actor, self.now(), "employee.password_set", employee.id, "");
        self.store.set_password_hash(employee.id, Some(&hash), &change).await?;
        Ok(employee)
    }

    /// Check a username and password; the same answer for an unknown user and a wrong password.
    pub async fn sign_in(&self, username: &str, password: &str) -> Result<Principal, AppError> {
        let username = username.trim().to_lowercase();
        let found = self.store.employee_by_username(&username).await?;
        let stored = match &found {
            Some(e) if e.active => self.store.password_hash(e.id).await?,
            _ => None,
        };
        // Verify against a dummy hash when there is no user, so timing does not reveal usernames.
        let hash = stored.unwrap_or_else(|| DUMMY_HASH.to_string());
        let ok = verify_password(password, hash).await?;
        match found {
            Some(e) if ok && e.active => Ok(Principal::employee(e.id, e.roles)),
            _ => Err(AppError::Unauthenticated),
        }
    }

    /// Issue an API token for an employee, valid for `lifetime` from now; only its hash is
    /// stored, the secret is returned once (beheerder only).
    pub async fn create_api_token(
        &self,
        who: &Principal,
        username: &str,
        label: &str,
        lifetime: TokenLifetime,
    ) -> Result<IssuedToken, AppError> {
        who.require(roles::ADMIN)?;
        let employee = self.user_by_username(username).await?;
        let label = gastvrij_domain::text::required("label", label, 100)?;
        let secret = random_token("gv_")?;
        let token = ApiToken::issue(employee.id, label, self.now(), lifetime);
        // The audit entry names the token (revoking names it too) and, in the summary, its employee.
        let change = Change::new(
            who.actor,
            token.created_at,
            "api_token.created",
            token.id,
            format!("employee {}", employee.id),
        );
        self.store.insert_api_token(&token_hash(&secret), &token, &change).await?;
        Ok(IssuedToken { secret, token })
    }

    /// The API tokens of a user, revoked and expired ones included, oldest first (beheerder only).
    pub async fn api_tokens(&self, who: &Principal, username: &str) -> Result<Vec<ApiToken>, AppError> {
        who.require(roles::ADMIN)?;
        let employee = self.user_by_username(username).await?;
        Ok(self.store.api_tokens(employee.id).await?)
    }

    /// Revoke an API token for good (beheerder only); revoking it again changes nothing but is
    /// recorded in the audit log like the first time. `NotFound("api token")` for an unknown id.
    pub async fn revoke_api_token(&self, who: &Principal, id: ApiTokenId) -> Result<ApiToken, AppError> {
        who.require(roles::ADMIN)?;
        let change = Change::new(who.actor, self.now(), "api_token.revoked", id, "");
        Ok(self.store.revoke_api_token(id, &change).await?)
    }

    /// The principal behind an API token, if the token is neither revoked nor expired (by the app
    /// clock) and its employee active. Records the use, at most once per
    /// [`LAST_USED_EVERY`](crate::ports::LAST_USED_EVERY) per token: the row just read says
    /// whether a write is due, so most requests write nothing.
    pub async fn principal_for_token(&self, token: &str) -> Result<Principal, AppError> {
        let now = self.now();
        let (employee, token) = match self.store.employee_by_api_token(&token_hash(token.trim()), now).await? {
            Some((e, t)) if e.active => (e, t),
            _ => return Err(AppError::Unauthenticated),
        };
        if token.last_used_at.is_none_or(|used| used <= now - crate::ports::LAST_USED_EVERY) {
            // Bookkeeping: a failed write must not turn a valid token away.
            if let Err(e) = self.store.record_api_token_use(token.id, now).await {
                tracing::warn!(error = %e, token = %token.id, "recording the API token's last use failed");
            }
        }
        Ok(Principal::employee(employee.id, employee.roles))
    }

    async fn user_by_username(&self, username: &str) -> Result<Employee, AppError> {
        self.store.employee_by_username(&username.trim().to_lowercase()).await?.ok_or(AppError::NotFound("user"))
    }
}

/// A newly issued API token: the secret, shown once, and what is stored about it.
#[derive(Debug, Clone)]
pub struct IssuedToken {
    /// `gv_` and 64 hex digits; only its hash is stored.
    pub secret: String,
    pub token: ApiToken,
}

/// How long a staff session lasts: one working day.
pub const SESSION_HOURS: i64 = 10;

/// A signed-in session: the token for the cookie and the CSRF token for forms.
#[derive(Debug, Clone)]
pub struct Session {
    pub token: String,
    pub csrf: String,
    pub principal: Principal,
}

/// Who the organisation's identity provider (OIDC) says signed in, from a checked ID token.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExternalIdentity {
    /// The provider (`iss`).
    pub issuer: String,
    /// The provider's lasting id of the person (`sub`), unique at that issuer.
    pub subject: String,
    /// The provider's username (Keycloak's `preferred_username`; the UPN in Microsoft Entra ID).
    pub username: Option<String>,
    pub email: Option<String>,
    /// The provider vouches for the address (`email_verified` is true); a missing claim is no.
    pub email_verified: bool,
}

/// How a sign-in through the organisation's identity provider ended.
#[derive(Debug)]
pub enum ExternalSignIn {
    /// A session for the bound (or now bound), active employee.
    Opened(Session),
    /// No account is bound to the person, and none that a beheerder allowed to be bound matches
    /// their username or verified e-mail address.
    NoAccount,
    /// The matching employee is deactivated.
    Inactive,
    /// More than one account allowed to be bound matches, so none is chosen.
    Ambiguous,
}

impl App {
    /// Sign in with username and password and open a session.
    pub async fn open_session(&self, username: &str, password: &str) -> Result<Session, AppError> {
        let principal = self.sign_in(username, password).await?;
        self.start_session(principal).await
    }

    /// Open a session for someone the organisation's identity provider (OIDC) has signed in.
    ///
    /// The person must already be a Gastvrij user: accounts are never created here, so roles
    /// stay managed in Gastvrij. An account is bound to the provider's `iss` + `sub` at its first
    /// sign-in, and from then on only that pair finds it: a changed username or e-mail address,
    /// at either side, never leads to another account. The first sign-in binds an account only
    /// when a beheerder allowed it ([`App::allow_external_link`]) and the provider's username
    /// equals the account's username or the provider's e-mail address, verified by the provider,
    /// equals the account's (compared case-insensitively); the permission is then used up.
    pub async fn open_session_external(&self, identity: &ExternalIdentity) -> Result<ExternalSignIn, AppError> {
        let (issuer, subject) = (identity.issuer.as_str(), identity.subject.as_str());
        if issuer.trim().is_empty() || subject.trim().is_empty() {
            return Ok(ExternalSignIn::NoAccount);
        }
        if let Some(bound) = self.store.employee_by_external_identity(issuer, subject).await? {
            return self.external_session(bound).await;
        }
        let username = identity.username.as_deref().and_then(|u| parse_username(u).ok());
        let email = identity
            .email
            .as_deref()
            .filter(|_| identity.email_verified)
            .map(|e| e.trim().to_lowercase())
            .filter(|e| !e.is_empty());
        let mut matches = self.store.employees_open_for_external_link().await?.into_iter().filter(|e| {
            e.username.is_some()
                && (username.is_some() && e.username == username
                    || e.email.as_ref().is_some_and(|m| email.as_deref() == Some(m.as_str().to_lowercase().as_str())))
        });
        let found = matches.next();
        if found.is_some() && matches.next().is_some() {
            return Ok(ExternalSignIn::Ambiguous);
        }
        let Some(employee) = found else { return Ok(ExternalSignIn::NoAccount) };
        if !employee.active {
            // The permission stays for when the account is active again.
            return Ok(ExternalSignIn::Inactive);
        }
        let change = Change::new(
            Actor::Employee(employee.id),
            self.now(),
            "employee.external_identity_bound",
            employee.id,
            issuer.to_string(),
        );
        if !self.store.bind_external_identity(employee.id, issuer, subject, &change).await? {
            // Another sign-in used the permission a moment ago.
            return Ok(ExternalSignIn::NoAccount);
        }
        self.external_session(employee).await
    }

    async fn external_session(&self, employee: Employee) -> Result<ExternalSignIn, AppError> {
        if !employee.active {
            return Ok(ExternalSignIn::Inactive);
        }
        Ok(ExternalSignIn::Opened(self.start_session(Principal::employee(employee.id, employee.roles)).await?))
    }

    /// Allow (or no longer allow) the next sign-in through the organisation's identity provider
    /// to bind employee `id`, found by username or verified e-mail address (beheerder only: that
    /// sign-in gets the account's roles). Allowing it removes a binding the account had, for an
    /// employee whose account at the provider was replaced.
    pub async fn allow_external_link(
        &self,
        who: &Principal,
        id: EmployeeId,
        allowed: bool,
    ) -> Result<ExternalLink, AppError> {
        who.require(roles::ADMIN)?;
        let employee = self.store.employee(id).await?.ok_or(AppError::NotFound("employee"))?;
        if allowed && employee.username.is_none() {
            // Only accounts with a username sign in.
            return Err(Invalid::empty("username").into());
        }
        let action = if allowed { "employee.external_link_allowed" } else { "employee.external_link_withdrawn" };
        let change = Change::new(who.actor, self.now(), action, id, "");
        self.store.allow_external_link(id, allowed, &change).await?;
        self.external_link(who, id).await
    }

    /// Whether employee `id` is bound to the identity provider or allowed to be (beheerder only).
    pub async fn external_link(&self, who: &Principal, id: EmployeeId) -> Result<ExternalLink, AppError> {
        who.require(roles::ADMIN)?;
        self.store.external_link(id).await?.ok_or(AppError::NotFound("employee"))
    }

    async fn start_session(&self, principal: Principal) -> Result<Session, AppError> {
        let employee = principal.employee_id().ok_or(AppError::Unauthenticated)?;
        let token = random_token("gvs_")?;
        let csrf = random_token("")?;
        let now = self.now();
        let expires = now + jiff::SignedDuration::from_hours(SESSION_HOURS);
        self.store.insert_session(&token_hash(&token), employee, &csrf, expires, now).await?;
        Ok(Session { token, csrf, principal })
    }

    /// The principal and CSRF token of a live session.
    pub async fn session(&self, token: &str) -> Result<(Principal, String), AppError> {
        match self.store.session(&token_hash(token.trim()), self.now()).await? {
            Some((e, csrf)) if e.active => Ok((Principal::employee(e.id, e.roles), csrf)),
            _ => Err(AppError::Unauthenticated),
        }
    }

    pub async fn close_session(&self, token: &str) -> Result<(), AppError> {
        Ok(self.store.delete_session(&token_hash(token.trim())).await?)
    }
}

fn random_token(prefix: &str) -> Result<String, AppError> {
    Ok(format!("{prefix}{}", crate::secrets::random_hex(32)?))
}

/// Hash a password with argon2id and a random salt.
pub fn hash_password(password: &str) -> Result<String, AppError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(Invalid::new("password", InvalidKind::TooShort { min: MIN_PASSWORD_CHARS }).into());
    }
    if password.len() > 1024 {
        return Err(Invalid::new("password", InvalidKind::TooLong { max: 1024 }).into());
    }
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("hashing failed: {e}")))
}

use crate::secrets::token_hash;

/// Password hashing is deliberately slow (argon2id: ~19 MiB and tens of milliseconds per try).
/// It runs on blocking threads, at most one per core at a time, so a burst of sign-ins queues
/// here instead of stalling the async workers that serve every other request.
static PASSWORD_WORK: std::sync::LazyLock<tokio::sync::Semaphore> = std::sync::LazyLock::new(|| {
    tokio::sync::Semaphore::new(std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2))
});

async fn password_work<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
    let _permit =
        PASSWORD_WORK.acquire().await.map_err(|_| AppError::Unavailable("password checks are shut down".into()))?;
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::Unexpected(anyhow::anyhow!("a password check stopped: {e}")))
}

/// Whether `password` matches the argon2id `hash`, computed off the async workers.
async fn verify_password(password: &str, hash: String) -> Result<bool, AppError> {
    let password = password.to_owned();
    password_work(move || Argon2::default().verify_password(password.as_bytes(), hash.as_str()).is_ok()).await
}

/// [`hash_password`], computed off the async workers.
pub async fn hash_password_off_the_runtime(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    password_work(move || hash_password(&password)).await?
}

/// An argon2id hash of a random password nobody knows.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$1Q0GAdnd8kKkyV4JW9vDgbz+1wGHeb2Lc1s1xUMN8Xg";

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// On a single-threaded runtime, a check computed on the worker would leave the ticker at
    /// zero until it was done; off the runtime the ticker keeps running while the hash is checked.
    #[tokio::test(flavor = "current_thread")]
    async fn password_checks_leave_the_async_worker_free() {
        let hash = hash_password("een lang testwachtwoord").unwrap();
        let ticks = Arc::new(AtomicUsize::new(0));
        let ticker = tokio::spawn({
            let ticks = ticks.clone();
            async move {
                loop {
                    ticks.fetch_add(1, Ordering::Relaxed);
                    tokio::task::yield_now().await;
                }
            }
        });
        tokio::task::yield_now().await;
        let before = ticks.load(Ordering::Relaxed);
        assert!(verify_password("een lang testwachtwoord", hash.clone()).await.unwrap());
        assert!(!verify_password("een ander wachtwoord!", hash).await.unwrap());
        let during = ticks.load(Ordering::Relaxed) - before;
        ticker.abort();
        assert!(during > 0, "the runtime served nothing else while passwords were checked");
    }

    #[tokio::test(flavor = "current_thread")]
    async fn hashing_off_the_runtime_still_checks_the_length() {
        let e = hash_password_off_the_runtime("kort").await.unwrap_err();
        assert!(matches!(e, AppError::Invalid(Invalid { field: "password", .. })), "{e:?}");
        let hash = hash_password_off_the_runtime("een lang testwachtwoord").await.unwrap();
        assert!(hash.starts_with("$argon2id$"));
    }
}
