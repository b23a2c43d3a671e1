//! Barong's two timestamp renderings (reference 2.6): entities carry seconds
//! (`2019-06-25T14:22:26Z`), raw records milliseconds (`2019-06-25T14:22:26.000Z`).
//! Stored times are naive UTC. Shared by the HTTP renderings and the Event API's user
//! object, so an entity time reads the same in a response and in an event.

use chrono::NaiveDateTime;

/// Entity timestamps (`created_at` of labels, API keys, documents...).
pub fn entity(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Raw-record timestamps (activity rows, `Phone.validated_at`).
pub fn record(at: NaiveDateTime) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// A unix time in seconds as an entity timestamp.
pub fn entity_unix(secs: i64) -> String {
    chrono::DateTime::from_timestamp(secs, 0)
        .map(|t| entity(t.naive_utc()))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn barong_formats() {
        let at = chrono::DateTime::from_timestamp(1_561_472_546, 0)
            .unwrap()
            .naive_utc();
        assert_eq!(entity(at), "2019-06-25T14:22:26Z");
        assert_eq!(record(at), "2019-06-25T14:22:26.000Z");
        assert_eq!(entity_unix(1_561_472_546), "2019-06-25T14:22:26Z");
    }
}
