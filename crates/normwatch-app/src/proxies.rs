//! The reverse proxies a server trusts to name the client (`serve --trusted-proxy`): an
//! address or a network (`10.0.0.7`, `10.0.0.0/8`, `::1`, `fd00::/8`). Behind a proxy every
//! connection comes from the proxy, so a limit per client address (failed sign-ins) would
//! count everyone together; from a trusted proxy the client is read from the forwarded
//! chain instead. From anyone else, the chain is ignored: a client cannot claim another
//! address.

use std::net::IpAddr;
use std::str::FromStr;

/// An address, or a network in CIDR notation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    base: IpAddr,
    prefix: u8,
}

/// Why a proxy address could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not an address or a network (10.0.0.7, 10.0.0.0/8, ::1, fd00::/8): {reason}")]
pub struct IpRangeError {
    pub text: String,
    pub reason: String,
}

impl IpRange {
    fn bits(ip: IpAddr) -> (u128, u8) {
        match ip {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
            IpAddr::V6(v6) => (u128::from(v6), 128),
        }
    }

    /// Whether `ip` is this address or lies in this network (an IPv4 address written as
    /// IPv6, `::ffff:10.0.0.7`, counts as the IPv4 one).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        if ip.is_ipv4() != self.base.is_ipv4() {
            return false;
        }
        let (base, width) = Self::bits(self.base);
        let (addr, _) = Self::bits(ip);
        let shift = u32::from(width - self.prefix);
        // A shift by the full width (prefix 0) matches everything of the family.
        base.checked_shr(shift).unwrap_or(0) == addr.checked_shr(shift).unwrap_or(0)
    }
}

impl FromStr for IpRange {
    type Err = IpRangeError;

    fn from_str(text: &str) -> Result<IpRange, IpRangeError> {
        let error = |reason: String| IpRangeError { text: text.to_string(), reason };
        let trimmed = text.trim();
        let (addr, prefix) = match trimmed.split_once('/') {
            Some((addr, prefix)) => (addr, Some(prefix)),
            None => (trimmed, None),
        };
        let base: IpAddr = addr.parse().map_err(|e: std::net::AddrParseError| error(e.to_string()))?;
        let base = base.to_canonical();
        let width = if base.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => width,
            Some(p) => match p.parse::<u8>() {
                Ok(p) if p <= width => p,
                _ => return Err(error(format!("the prefix length must be a number from 0 to {width}"))),
            },
        };
        Ok(IpRange { base, prefix })
    }
}

impl std::fmt::Display for IpRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let width = if self.base.is_ipv4() { 32 } else { 128 };
        if self.prefix == width { write!(f, "{}", self.base) } else { write!(f, "{}/{}", self.base, self.prefix) }
    }
}

/// The client of a request that came from `peer` with the forwarded chain `forwarded`
/// (the values of `X-Forwarded-For`, each a comma-separated list, oldest hop first): from a
/// trusted proxy, the nearest address of the chain that is not itself a trusted proxy; else
/// `peer`. A chain that cannot be read leaves `peer`.
pub fn client_address(peer: IpAddr, forwarded: &[&str], trusted: &[IpRange]) -> IpAddr {
    let is_trusted = |ip: IpAddr| trusted.iter().any(|range| range.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let mut hops = Vec::new();
    for value in forwarded {
        for hop in value.split(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => hops.push(ip.to_canonical()),
                Err(_) => return peer,
            }
        }
    }
    hops.into_iter().rev().find(|ip| !is_trusted(*ip)).unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn range(text: &str) -> IpRange {
        text.parse().unwrap()
    }

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn ranges_contain_their_addresses() {
        assert!(range("10.0.0.0/8").contains(ip("10.200.3.4")));
        assert!(!range("10.0.0.0/8").contains(ip("11.0.0.1")));
        assert!(range("10.0.0.7").contains(ip("10.0.0.7")) && !range("10.0.0.7").contains(ip("10.0.0.8")));
        assert!(range("10.0.0.7").contains(ip("::ffff:10.0.0.7")), "an IPv4-mapped address");
        assert!(range("fd00::/8").contains(ip("fd12::1")) && !range("fd00::/8").contains(ip("fe80::1")));
        assert!(range("0.0.0.0/0").contains(ip("203.0.113.9")) && !range("0.0.0.0/0").contains(ip("::1")));
        assert!(range("::/0").contains(ip("2001:db8::1")));
        assert_eq!(range(" 10.1.2.3/16 ").to_string(), "10.1.2.3/16");
        for bad in ["", "10.0.0", "10.0.0.0/33", "::/129", "10.0.0.0/x", "proxy.example", "10.0.0.0/-1"] {
            let error = bad.parse::<IpRange>().unwrap_err();
            assert!(error.to_string().contains(&format!("`{bad}`")), "{error}");
        }
    }

    #[test]
    fn the_client_is_read_from_trusted_proxies_only() {
        let trusted = [range("10.0.0.0/8"), range("::1")];
        let client = |peer: &str, chain: &[&str]| client_address(ip(peer), chain, &trusted).to_string();
        assert_eq!(client("203.0.113.9", &["198.51.100.1"]), "203.0.113.9", "an untrusted peer names itself");
        assert_eq!(client("10.0.0.2", &["198.51.100.1"]), "198.51.100.1");
        assert_eq!(
            client("10.0.0.2", &["192.0.2.5, 198.51.100.1, 10.0.0.3"]),
            "198.51.100.1",
            "the nearest untrusted hop"
        );
        assert_eq!(client("10.0.0.2", &["192.0.2.5", "198.51.100.1"]), "198.51.100.1", "repeated headers in order");
        assert_eq!(client("::1", &["2001:db8::7"]), "2001:db8::7");
        assert_eq!(client("10.0.0.2", &[]), "10.0.0.2", "no chain: the proxy itself");
        assert_eq!(client("10.0.0.2", &["10.0.0.9"]), "10.0.0.2", "only proxies in the chain");
        assert_eq!(client("10.0.0.2", &["unknown, 198.51.100.1"]), "10.0.0.2", "an unreadable chain is not trusted");
        assert_eq!(client_address(ip("10.0.0.2"), &["198.51.100.1"], &[]), ip("10.0.0.2"), "no proxy trusted");
    }

    proptest! {
        #[test]
        fn any_range_reads_back_and_contains_its_base(v4 in any::<u32>(), v6 in any::<u128>(), p4 in 0u8..=32, p6 in 0u8..=128) {
            for (addr, prefix) in [(IpAddr::from(std::net::Ipv4Addr::from(v4)), p4), (IpAddr::from(std::net::Ipv6Addr::from(v6)), p6)] {
                let text = format!("{addr}/{prefix}");
                let parsed: IpRange = text.parse().unwrap();
                prop_assert!(parsed.contains(addr), "{text}");
                prop_assert_eq!(parsed.to_string().parse::<IpRange>().unwrap(), parsed);
            }
        }

        #[test]
        fn no_text_panics_the_reader(text in ".{0,60}") {
            let _ = text.parse::<IpRange>();
        }
    }
}
