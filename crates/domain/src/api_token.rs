//! API tokens: how long one lives and whether it still lets its employee in.

use crate::ids::{ApiTokenId, EmployeeId};
use crate::{Invalid, InvalidKind};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

/// How long a new API token stays valid: whole days, 1 to [`TokenLifetime::MAX_DAYS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenLifetime {
    days: u16,
}

impl TokenLifetime {
    /// A token lives this long unless its issuer says otherwise.
    pub const DEFAULT_DAYS: u16 = 90;
    /// At most a year (a leap year included): a token that never ends is a leak waiting to happen.
    pub const MAX_DAYS: u16 = 366;

    /// A lifetime of `days` days; refused outside 1..=366 (field `days`).
    pub fn days(days: i64) -> Result<Self, Invalid> {
        match u16::try_from(days) {
            Ok(d) if (1..=Self::MAX_DAYS).contains(&d) => Ok(Self { days: d }),
            _ => Err(Invalid::new("days", InvalidKind::OutOfRange { min: 1, max: Some(Self::MAX_DAYS.into()) })),
        }
    }

    pub fn as_days(self) -> u16 {
        self.days
    }

    /// When a token issued at `issued` expires. Days are 24 hours: a token lives a fixed time,
    /// not until a wall-clock hour.
    pub fn expiry(self, issued: Timestamp) -> Timestamp {
        issued + SignedDuration::from_hours(24 * i64::from(self.days))
    }
}

impl Default for TokenLifetime {
    fn default() -> Self {
        Self { days: Self::DEFAULT_DAYS }
    }
}

/// An employee's API token as the store keeps it: everything but the secret and its hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ApiToken {
    pub id: ApiTokenId,
    pub employee_id: EmployeeId,
    /// What the token is for, e.g. "telefonie".
    pub label: String,
    pub created_at: Timestamp,
    /// From this moment on the token is refused.
    pub expires_at: Timestamp,
    /// The last time the token let its employee in, to the minute (see the store's throttle);
    /// `None` when it was never used.
    pub last_used_at: Option<Timestamp>,
    /// When a beheerder revoked it; a revoked token is refused for good.
    pub revoked_at: Option<Timestamp>,
}

/// Whether a token lets its employee in at some moment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TokenState {
    Active,
    /// Past its expiry moment.
    Expired,
    /// Revoked, expired or not.
    Revoked,
}

impl TokenState {
    pub fn code(self) -> &'static str {
        match self {
            TokenState::Active => "active",
            TokenState::Expired => "expired",
            TokenState::Revoked => "revoked",
        }
    }
}

impl ApiToken {
    /// A new token of `employee`, issued at `now`, valid for `lifetime`.
    pub fn issue(employee: EmployeeId, label: String, now: Timestamp, lifetime: TokenLifetime) -> Self {
        Self {
            id: ApiTokenId::new(),
            employee_id: employee,
            label,
            created_at: now,
            expires_at: lifetime.expiry(now),
            last_used_at: None,
            revoked_at: None,
        }
    }

    /// The token's state at `now`: revoked beats expired; expired from its expiry moment on.
    pub fn state(&self, now: Timestamp) -> TokenState {
        if self.revoked_at.is_some() {
            TokenState::Revoked
        } else if self.expires_at <= now {
            TokenState::Expired
        } else {
            TokenState::Active
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn a_lifetime_is_one_day_to_a_year() {
        assert_eq!(TokenLifetime::default().as_days(), 90);
        assert_eq!(TokenLifetime::days(1).unwrap().as_days(), 1);
        assert_eq!(TokenLifetime::days(366).unwrap().as_days(), 366);
        for bad in [0, -1, 367, 70_000, i64::MAX] {
            let e = TokenLifetime::days(bad).unwrap_err();
            assert_eq!((e.field, e.kind), ("days", InvalidKind::OutOfRange { min: 1, max: Some(366) }), "{bad}");
        }
    }

    #[test]
    fn a_token_is_active_until_its_expiry_moment_and_revoked_for_good() {
        let issued = at("2026-03-02T09:00:00Z");
        let mut token = ApiToken::issue(EmployeeId::new(), "telefonie".into(), issued, TokenLifetime::default());
        assert_eq!(token.expires_at, at("2026-05-31T09:00:00Z"), "90 days of 24 hours, summer time or not");
        assert_eq!(token.state(issued), TokenState::Active);
        assert_eq!(token.state(at("2026-05-31T08:59:59Z")), TokenState::Active);
        assert_eq!(token.state(at("2026-05-31T09:00:00Z")), TokenState::Expired);
        token.revoked_at = Some(at("2026-03-03T09:00:00Z"));
        assert_eq!(token.state(issued), TokenState::Revoked, "revoked counts even when read before the moment");
        assert_eq!(token.state(at("2027-01-01T00:00:00Z")), TokenState::Revoked, "revoked beats expired");
    }
}
