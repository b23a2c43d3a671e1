//! `Email`: an address that passed Barong's format rule, stored lower-cased so that
//! `Alice@x.io` and `alice@x.io` are one account (Barong compared case-sensitively
//! against a case-insensitive index and answered 500, W30).

use std::fmt;

/// A syntactically valid, normalised email address.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    /// Trims, checks the format (email_validator strict mode) and lower-cases.
    pub fn parse(raw: &str) -> Option<Self> {
        let trimmed = raw.trim();
        super::email_format::is_valid_email(trimmed).then(|| Self(trimmed.to_lowercase()))
    }

    /// Normalises a raw login input for lookup without validating it, so a login with a
    /// malformed address simply finds nobody.
    pub fn lookup_key(raw: &str) -> String {
        raw.trim().to_lowercase()
    }

    /// The address.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_space() {
        assert_eq!(
            Email::parse("  Alice@Example.COM ").unwrap().as_str(),
            "alice@example.com"
        );
        assert!(Email::parse("bad_format").is_none());
    }
}
