//! Client IP through trusted proxies: the peer, or, when the peer is a trusted proxy,
//! the right-most hop of `X-Forwarded-For` that is not itself trusted, so a client
//! cannot choose its recorded IP by sending the header.

use std::net::IpAddr;

use ipnet::IpNet;

/// Resolves the client IP from the peer and the `X-Forwarded-For` values.
pub fn resolve<'a>(
    peer: IpAddr,
    forwarded_for: impl IntoIterator<Item = &'a str>,
    trusted: &[IpNet],
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let hops: Vec<IpAddr> = forwarded_for
        .into_iter()
        .flat_map(|v| v.split(','))
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    hops.iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .or(hops.first())
        .copied()
        .unwrap_or(peer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_only_counts_behind_trusted_proxies() {
        let trusted: Vec<IpNet> = vec![
            "127.0.0.0/8".parse().unwrap(),
            "10.0.0.0/8".parse().unwrap(),
        ];
        let xff = ["1.2.3.4, 5.6.7.8, 10.0.0.2"];
        assert_eq!(
            resolve("127.0.0.1".parse().unwrap(), xff, &trusted).to_string(),
            "5.6.7.8"
        );
        assert_eq!(
            resolve("9.9.9.9".parse().unwrap(), xff, &trusted).to_string(),
            "9.9.9.9"
        );
        assert_eq!(
            resolve("127.0.0.1".parse().unwrap(), [], &trusted).to_string(),
            "127.0.0.1"
        );
    }
}
