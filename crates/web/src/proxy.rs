//! Who the client is behind a load balancer: the peer address, or, when the peer is a trusted
//! proxy (`serve --trusted-proxy CIDR`), the right-most address in `X-Forwarded-For` that is not
//! one of our own proxies. Everything left of that is written by the client and can be forged, so
//! it is never used; a peer that is not trusted may send any `X-Forwarded-For` it likes, it is
//! ignored.

use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// A network in CIDR notation: `10.0.0.0/8`, `2001:db8::/32`, or one address (`192.0.2.7`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl std::str::FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        let s = s.trim();
        let (addr, prefix) = match s.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (s, None),
        };
        let network: IpAddr =
            addr.trim().parse().map_err(|_| format!("'{s}' is not an address or network like 10.0.0.0/8"))?;
        let max = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => max,
            Some(p) => p
                .trim()
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= max)
                .ok_or_else(|| format!("'{s}': the prefix length must be a number from 0 to {max}"))?,
        };
        Ok(Cidr { network: mask(network, prefix), prefix })
    }
}

impl std::fmt::Display for Cidr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

impl Cidr {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        ip.is_ipv4() == self.network.is_ipv4() && mask(ip, self.prefix) == self.network
    }
}

/// The address with all but the first `prefix` bits cleared.
pub(crate) fn mask(ip: IpAddr, prefix: u8) -> IpAddr {
    match ip {
        IpAddr::V4(v4) => {
            let bits = u32::from(v4);
            let kept = if prefix == 0 { 0 } else { bits & (u32::MAX << (32 - u32::from(prefix.min(32)))) };
            IpAddr::V4(kept.into())
        }
        IpAddr::V6(v6) => {
            let bits = u128::from(v6);
            let kept = if prefix == 0 { 0 } else { bits & (u128::MAX << (128 - u32::from(prefix.min(128)))) };
            IpAddr::V6(kept.into())
        }
    }
}

/// An IPv4 address written as IPv6 (`::ffff:192.0.2.7`) is the IPv4 address.
pub(crate) fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The proxies whose `X-Forwarded-For` is believed.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies(Vec<Cidr>);

impl TrustedProxies {
    pub fn new(networks: Vec<Cidr>) -> Self {
        Self(networks)
    }

    fn trusts(&self, ip: IpAddr) -> bool {
        self.0.iter().any(|c| c.contains(ip))
    }

    /// The client's address: the peer, unless the peer is a trusted proxy; then the right-most
    /// address in `X-Forwarded-For` (all such headers, in order) that is not a trusted proxy. When
    /// every address is trusted, the left-most one; when the header is missing or unreadable, the
    /// peer itself.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let peer = canonical(peer);
        if !self.trusts(peer) {
            return peer;
        }
        let mut chain = Vec::new();
        for header in forwarded_for {
            for part in header.split(',') {
                match parse_forwarded(part) {
                    Some(ip) => chain.push(ip),
                    // A hop we cannot read: stop believing anything to its left.
                    None => chain.clear(),
                }
            }
        }
        let mut client = peer;
        for ip in chain.into_iter().rev() {
            client = ip;
            if !self.trusts(ip) {
                break;
            }
        }
        client
    }
}

/// One `X-Forwarded-For` entry: `192.0.2.7`, `2001:db8::1`, `[2001:db8::1]:443` or `192.0.2.7:443`.
fn parse_forwarded(part: &str) -> Option<IpAddr> {
    let part = part.trim();
    if let Ok(ip) = part.parse::<IpAddr>() {
        return Some(canonical(ip));
    }
    part.parse::<SocketAddr>().ok().map(|s| canonical(s.ip()))
}

/// The client address as found by [`client_address`], in the request's extensions.
#[derive(Debug, Clone, Copy)]
pub struct ClientAddr(pub IpAddr);

/// Works out the client's address once per request (see [`TrustedProxies::client`]).
pub async fn client_address(State(proxies): State<Arc<TrustedProxies>>, mut req: Request, next: Next) -> Response {
    if let Some(ConnectInfo(peer)) = req.extensions().get::<ConnectInfo<SocketAddr>>().copied() {
        let headers: Vec<&str> =
            req.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
        let client = proxies.client(peer.ip(), &headers);
        req.extensions_mut().insert(ClientAddr(client));
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    #[test]
    fn networks_parse_and_contain_their_addresses() {
        let ten: Cidr = "10.0.0.0/8".parse().unwrap();
        assert!(ten.contains(ip("10.200.3.4")) && !ten.contains(ip("11.0.0.1")));
        assert!(ten.contains(ip("::ffff:10.1.2.3")), "IPv4-mapped IPv6 is IPv4");
        let one: Cidr = "192.0.2.7".parse().unwrap();
        assert!(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")));
        let v6: Cidr = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains(ip("2001:db8:1::9")) && !v6.contains(ip("2001:db9::1")) && !v6.contains(ip("10.0.0.1")));
        assert_eq!("10.1.2.3/8".parse::<Cidr>().unwrap().to_string(), "10.0.0.0/8");
        assert!("0.0.0.0/0".parse::<Cidr>().unwrap().contains(ip("8.8.8.8")));
        for bad in ["", "10.0.0.0/33", "2001:db8::/129", "10.0.0/8", "proxy", "10.0.0.0/x"] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad} accepted");
        }
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() {
        let proxies = TrustedProxies::new(vec!["10.0.0.0/8".parse().unwrap()]);
        let lb = ip("10.0.0.2");
        // Two citizens behind the same load balancer are told apart.
        assert_eq!(proxies.client(lb, &["198.51.100.1"]), ip("198.51.100.1"));
        assert_eq!(proxies.client(lb, &["198.51.100.2"]), ip("198.51.100.2"));
        // A forged entry on the left does not help: the right-most untrusted one counts.
        assert_eq!(proxies.client(lb, &["1.2.3.4, 198.51.100.1"]), ip("198.51.100.1"));
        assert_eq!(proxies.client(lb, &["1.2.3.4", "198.51.100.1, 10.0.0.9"]), ip("198.51.100.1"));
        assert_eq!(proxies.client(lb, &["[2001:db8::1]:443"]), ip("2001:db8::1"));
        // An unreadable hop: nothing to its left is believed.
        assert_eq!(proxies.client(lb, &["198.51.100.1, unknown, 10.0.0.9"]), ip("10.0.0.9"));
        assert_eq!(proxies.client(lb, &[]), lb);
        // An untrusted peer's header is ignored.
        assert_eq!(proxies.client(ip("203.0.113.5"), &["198.51.100.1"]), ip("203.0.113.5"));
        assert_eq!(TrustedProxies::default().client(lb, &["198.51.100.1"]), lb);
    }
}
