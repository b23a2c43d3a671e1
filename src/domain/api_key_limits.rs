//! Limits an owner puts on one API key (beyond Barong): the addresses it may be used
//! from (a list of IPs or CIDR blocks) and a time after which it stops working. A
//! leaked key is then useless from elsewhere, and a key made for a one-off job dies on
//! its own.

use std::net::IpAddr;

use ipnet::IpNet;

/// Most entries in one allow-list (a list, not a firewall).
pub const MAX_ALLOWED_IPS: usize = 32;

/// Parses `10.0.0.0/8, 203.0.113.7, 2001:db8::/32`: IPs or CIDR blocks separated by
/// commas or spaces; empty means "no restriction". `None` when any entry is invalid or
/// there are too many.
pub fn parse_allowed_ips(raw: &str) -> Option<Vec<IpNet>> {
    let mut nets = Vec::new();
    for item in raw
        .split([',', ' '])
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        let net = item
            .parse::<IpNet>()
            .ok()
            .or_else(|| item.parse::<IpAddr>().ok().map(IpNet::from))?;
        nets.push(net.trunc());
    }
    (nets.len() <= MAX_ALLOWED_IPS).then_some(nets)
}

/// The stored form: comma-separated CIDR blocks; `None` for no restriction.
pub fn format_allowed_ips(nets: &[IpNet]) -> Option<String> {
    (!nets.is_empty()).then(|| {
        nets.iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join(",")
    })
}

/// Reads the stored form back (unparseable entries are dropped; the writer checked them).
pub fn stored_allowed_ips(stored: Option<&str>) -> Vec<IpNet> {
    stored.and_then(parse_allowed_ips).unwrap_or_default()
}

/// The stored scope column (a JSON list, Barong's format) as a list; unreadable or
/// absent means no scope.
pub fn stored_scopes(stored: Option<&str>) -> Vec<String> {
    stored
        .and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default()
}

/// Whether a key with this allow-list may be used from `client` (an empty list allows
/// every address; an unparseable client address is never allowed by a non-empty list).
pub fn allows(nets: &[IpNet], client: &str) -> bool {
    if nets.is_empty() {
        return true;
    }
    client
        .parse::<IpAddr>()
        .is_ok_and(|ip| nets.iter().any(|n| n.contains(&ip)))
}

/// Parses an expiry: unix seconds or RFC 3339; it must be after `now`. `Some(None)`
/// for the empty string (no expiry); `None` when invalid or not in the future.
pub fn parse_expires_at(
    raw: &str,
    now: chrono::NaiveDateTime,
) -> Option<Option<chrono::NaiveDateTime>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(None);
    }
    let at = raw
        .parse::<i64>()
        .ok()
        .and_then(|secs| chrono::DateTime::from_timestamp(secs, 0))
        .or_else(|| {
            chrono::DateTime::parse_from_rfc3339(raw)
                .ok()
                .map(|t| t.with_timezone(&chrono::Utc))
        })?
        .naive_utc();
    (at > now).then_some(Some(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allow_lists_parse_normalise_and_match() {
        let nets = parse_allowed_ips("10.1.2.3/8, 203.0.113.7 2001:db8::/32").unwrap();
        assert_eq!(
            format_allowed_ips(&nets).unwrap(),
            "10.0.0.0/8,203.0.113.7/32,2001:db8::/32"
        );
        assert!(allows(&nets, "10.200.0.1") && allows(&nets, "2001:db8::1"));
        assert!(!allows(&nets, "203.0.113.8") && !allows(&nets, "not an ip"));
        assert!(allows(&[], "anything"));
        assert_eq!(parse_allowed_ips(" "), Some(vec![]));
        assert_eq!(parse_allowed_ips("10.0.0.0/33"), None);
        assert_eq!(parse_allowed_ips("example.com"), None);
        let many = (0..33)
            .map(|i| format!("10.0.0.{i}"))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(parse_allowed_ips(&many), None);
    }

    #[test]
    fn expiry_must_be_in_the_future() {
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .unwrap()
            .naive_utc();
        assert_eq!(parse_expires_at("", now), Some(None));
        assert!(parse_expires_at("1800000060", now).unwrap().is_some());
        assert!(
            parse_expires_at("2027-01-15T12:00:00Z", now)
                .unwrap()
                .is_some()
        );
        assert_eq!(parse_expires_at("1799999999", now), None);
        assert_eq!(parse_expires_at("tomorrow", now), None);
    }
}
