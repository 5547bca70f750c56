//! Rate limits: a fixed window per client address (sign-in attempts, public submissions), and
//! failed sign-ins per account.
//!
//! Each node counts in memory. With several nodes on one PostgreSQL (`shared`), the database's
//! count decides, so the limits hold for the installation and not per node
//! (`gastvrij_app::limits`); the node's own count decides only while the database does not answer.
//!
//! Addresses are counted per network a person controls: an IPv4 address as is, an IPv6 address
//! by its /64 (one household or phone gets a whole /64 and can rotate through it at will). The
//! map is split in shards, each behind its own lock and holding at most a fixed number of keys:
//! expired windows are dropped when a shard is full, and when it is still full the oldest window
//! makes room. Memory stays bounded whatever number of addresses an attacker uses.

use gastvrij_app::limits::Limit;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

const SHARDS: usize = 16;
/// Keys kept at most, over all shards (a few MB).
pub const MAX_KEYS: usize = 64 * 1024;

/// A fixed-window counter per key, bounded in size.
struct Windows<K> {
    max: u32,
    window: Duration,
    per_shard: usize,
    hasher: std::collections::hash_map::RandomState,
    shards: Vec<Mutex<HashMap<K, (Instant, u32)>>>,
}

impl<K: Hash + Eq + Clone> Windows<K> {
    fn new(max: u32, window: Duration, max_keys: usize) -> Self {
        Self {
            max,
            window,
            per_shard: max_keys.div_ceil(SHARDS).max(1),
            hasher: Default::default(),
            shards: (0..SHARDS).map(|_| Mutex::default()).collect(),
        }
    }

    fn shard(&self, key: &K) -> std::sync::MutexGuard<'_, HashMap<K, (Instant, u32)>> {
        let i = (self.hasher.hash_one(key) % SHARDS as u64) as usize;
        self.shards[i].lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn exhausted(&self, key: &K, now: Instant) -> bool {
        self.shard(key).get(key).is_some_and(|(start, n)| now.duration_since(*start) < self.window && *n >= self.max)
    }

    /// Count one; false when that is over the limit of the current window.
    fn count(&self, key: &K, now: Instant) -> bool {
        let mut shard = self.shard(key);
        if !shard.contains_key(key) && shard.len() >= self.per_shard {
            shard.retain(|_, (start, _)| now.duration_since(*start) < self.window);
            if shard.len() >= self.per_shard {
                let oldest = shard.iter().min_by_key(|(_, (start, _))| *start).map(|(k, _)| k.clone());
                if let Some(oldest) = oldest {
                    shard.remove(&oldest);
                }
            }
        }
        let entry = shard.entry(key.clone()).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        entry.1 <= self.max
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.shards.iter().map(|s| s.lock().unwrap().len()).sum()
    }
}

/// What an address is counted as: IPv4 as is, IPv6 by its /64, an unknown address (tests
/// without a socket) as one.
fn address_key(ip: Option<IpAddr>) -> Option<IpAddr> {
    ip.map(|ip| match crate::proxy::canonical(ip) {
        v6 @ IpAddr::V6(_) => crate::proxy::mask(v6, 64),
        v4 => v4,
    })
}

/// The installation's count of one limit, in the database.
struct Shared {
    app: gastvrij_app::App,
    limit: Limit,
}

impl Shared {
    fn new(app: gastvrij_app::App, scope: &'static str, max: u32, window: Duration) -> Self {
        let window = jiff::SignedDuration::try_from(window).unwrap_or(jiff::SignedDuration::from_hours(1));
        Self { app, limit: Limit { scope, max, window } }
    }

    /// The database's answer, or `fallback` (the node's own count) when it gives none.
    async fn decide(&self, subject: &str, count: bool, fallback: bool) -> bool {
        let answer = if count {
            self.app.count_against(self.limit, subject).await.map(|within| !within)
        } else {
            self.app.limit_reached(self.limit, subject).await
        };
        answer.unwrap_or_else(|e| {
            tracing::warn!(scope = self.limit.scope, error = %e, "the shared rate limit is not available; this node's own count decides");
            fallback
        })
    }
}

/// A fixed-window rate limit per client address (sign-in attempts, public submissions).
pub struct RateLimiter {
    windows: Windows<Option<IpAddr>>,
    shared: Option<Shared>,
}

impl RateLimiter {
    pub fn new(max: u32, window: Duration) -> Self {
        Self::bounded(max, window, MAX_KEYS)
    }

    fn bounded(max: u32, window: Duration, max_keys: usize) -> Self {
        Self { windows: Windows::new(max, window, max_keys), shared: None }
    }

    /// Counted for the installation in `app`'s database under `scope` (several nodes). Without a
    /// limit (`u32::MAX`, benchmarks) there is nothing to count.
    pub fn shared(mut self, app: gastvrij_app::App, scope: &'static str) -> Self {
        if self.windows.max < u32::MAX {
            self.shared = Some(Shared::new(app, scope, self.windows.max, self.windows.window));
        }
        self
    }

    /// Whether `ip` used up its attempts in the current window (without counting one).
    pub async fn exhausted(&self, ip: Option<IpAddr>) -> bool {
        let key = address_key(ip);
        let own = self.windows.exhausted(&key, Instant::now());
        match &self.shared {
            Some(shared) => shared.decide(&subject(key), false, own).await,
            None => own,
        }
    }

    /// Count one attempt from `ip`; false when it exceeds the limit for the current window.
    pub async fn allow(&self, ip: Option<IpAddr>) -> bool {
        let own = self.allow_at(ip, Instant::now());
        match &self.shared {
            Some(shared) => !shared.decide(&subject(address_key(ip)), true, !own).await,
            None => own,
        }
    }

    fn allow_at(&self, ip: Option<IpAddr>, now: Instant) -> bool {
        self.windows.count(&address_key(ip), now)
    }

    /// Attempts allowed per window.
    pub fn max(&self) -> u32 {
        self.windows.max
    }
}

/// An address as the shared count names it (hashed before storage).
fn subject(key: Option<IpAddr>) -> String {
    key.map_or_else(|| "-".to_string(), |ip| ip.to_string())
}

/// Failed sign-ins: per address (10 in 5 minutes) and per account (10 in 15 minutes, from any
/// address, so guessing one password from many addresses stops too). Only failures count: a
/// whole office may sign in from one address at 8:00.
pub struct LoginLimiter {
    per_address: RateLimiter,
    per_account: Windows<String>,
    shared_account: Option<Shared>,
}

impl Default for LoginLimiter {
    fn default() -> Self {
        Self {
            per_address: RateLimiter::new(10, Duration::from_secs(300)),
            per_account: Windows::new(10, Duration::from_secs(900), MAX_KEYS),
            shared_account: None,
        }
    }
}

/// User names are compared case-insensitively and without surrounding spaces, as sign-in does.
fn account_key(username: &str) -> String {
    username.trim().to_lowercase().chars().take(200).collect()
}

impl LoginLimiter {
    /// Counted for the installation in `app`'s database (several nodes).
    pub fn shared(app: gastvrij_app::App) -> Self {
        let own = Self::default();
        let (max, window) = (own.per_account.max, own.per_account.window);
        Self {
            per_address: own.per_address.shared(app.clone(), "login-address"),
            shared_account: Some(Shared::new(app, "login-account", max, window)),
            ..own
        }
    }

    /// Whether a sign-in from `ip` for `username` must wait.
    pub async fn exhausted(&self, ip: Option<IpAddr>, username: &str) -> bool {
        if self.per_address.exhausted(ip).await {
            return true;
        }
        let account = account_key(username);
        let own = self.per_account.exhausted(&account, Instant::now());
        match &self.shared_account {
            Some(shared) => shared.decide(&account, false, own).await,
            None => own,
        }
    }

    /// Count a failed sign-in.
    pub async fn failed(&self, ip: Option<IpAddr>, username: &str) {
        self.failed_at(ip, username, Instant::now());
        if let Some(shared) = &self.per_address.shared {
            shared.decide(&subject(address_key(ip)), true, false).await;
        }
        if let Some(shared) = &self.shared_account {
            shared.decide(&account_key(username), true, false).await;
        }
    }

    fn failed_at(&self, ip: Option<IpAddr>, username: &str, now: Instant) {
        self.per_address.allow_at(ip, now);
        self.per_account.count(&account_key(username), now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    #[test]
    fn addresses_in_one_ipv6_64_share_a_limit_and_others_do_not() {
        let limiter = RateLimiter::new(2, Duration::from_secs(600));
        let t = Instant::now(); // only a base: the test moves by offsets from it
        assert!(limiter.allow_at(ip("2001:db8:1:2::1"), t));
        assert!(limiter.allow_at(ip("2001:db8:1:2:ffff::9"), t));
        assert!(!limiter.allow_at(ip("2001:db8:1:2:abcd::5"), t), "a rotated address in the same /64");
        assert!(limiter.allow_at(ip("2001:db8:1:3::1"), t), "the next /64 is someone else");
        assert!(limiter.allow_at(ip("192.0.2.1"), t) && limiter.allow_at(ip("192.0.2.2"), t));
        assert!(limiter.allow_at(ip("::ffff:192.0.2.1"), t) && !limiter.allow_at(ip("192.0.2.1"), t));
        assert!(limiter.allow_at(ip("2001:db8:1:2::1"), t + Duration::from_secs(600)), "a new window");
    }

    #[test]
    fn the_limiter_stays_bounded_under_many_addresses() {
        let limiter = RateLimiter::bounded(1, Duration::from_secs(600), 1024);
        let t = Instant::now();
        for i in 0..50_000u32 {
            let addr = IpAddr::V4((0x0A00_0000 + i).into());
            assert!(limiter.allow_at(Some(addr), t + Duration::from_millis(u64::from(i))));
        }
        assert!(limiter.windows.len() <= 1024 + SHARDS, "{} keys", limiter.windows.len());
        // A recent address is still counted; expired windows made room first.
        let recent = Some(IpAddr::V4((0x0A00_0000 + 49_999u32).into()));
        assert!(!limiter.allow_at(recent, t + Duration::from_millis(50_000)));
        let later = t + Duration::from_secs(3600);
        assert!(limiter.allow_at(ip("198.51.100.7"), later));
        assert!(limiter.windows.len() <= 1024 + SHARDS);
    }

    #[tokio::test]
    async fn failed_sign_ins_for_one_account_are_limited_across_addresses() {
        let limiter = LoginLimiter::default();
        let t = Instant::now();
        for i in 0..10u32 {
            let addr = Some(IpAddr::V4((0xC633_6400 + i).into())); // 198.51.100.i: a new address each time
            assert!(!limiter.per_account.exhausted(&account_key("beheerder"), t));
            limiter.failed_at(addr, if i % 2 == 0 { "beheerder" } else { " Beheerder " }, t);
        }
        assert!(limiter.per_account.exhausted(&account_key("BEHEERDER"), t));
        assert!(limiter.exhausted(ip("203.0.113.9"), "beheerder").await, "a fresh address does not help");
        assert!(!limiter.exhausted(ip("203.0.113.9"), "jan").await, "other accounts sign in as usual");
        assert!(!limiter.per_account.exhausted(&account_key("beheerder"), t + Duration::from_secs(900)));
    }
}
