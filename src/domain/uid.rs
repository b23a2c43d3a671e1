//! `Uid`: the public user id, `ID` followed by 10 upper-case hex characters, exactly
//! Barong's format so upstream services (Peatio) keep working.

use std::fmt;

use rand::RngCore;

/// A user's public identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Uid(String);

impl Uid {
    /// A new random uid (40 random bits; callers retry on the rare collision).
    pub fn generate() -> Self {
        let mut bytes = [0u8; 5];
        rand::rngs::OsRng.fill_bytes(&mut bytes);
        Self(format!("ID{}", hex::encode_upper(bytes)))
    }

    /// Accepts `ID` + 10 word characters, anchored at both ends (Barong's `$` let a
    /// newline and anything after it through, W36).
    pub fn parse(raw: &str) -> Option<Self> {
        let rest = raw.strip_prefix("ID")?;
        let ok =
            rest.chars().count() == 10 && rest.chars().all(|c| c.is_alphanumeric() || c == '_');
        ok.then(|| Self(raw.to_owned()))
    }

    /// The uid text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Uid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_uids_parse_and_bad_ones_do_not() {
        let uid = Uid::generate();
        assert_eq!(uid.as_str().len(), 12);
        assert!(Uid::parse(uid.as_str()).is_some());
        assert!(Uid::parse("ID123").is_none());
        assert!(Uid::parse("ID1234567890\nX").is_none());
        assert!(Uid::parse("XX1234567890").is_none());
    }
}
