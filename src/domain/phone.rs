//! Phone numbers as Barong stores them: every non-digit removed, parsed with no default
//! country (so the number must start with its country code), kept as the E.164 digits
//! without `+` (`+44 07418084106` -> `447418084106`) with the ISO country it belongs to.
//! Parsing and validation come from the `phonenumber` crate (Google's libphonenumber
//! metadata, as Barong's phonelib), so a number that cannot receive an SMS is refused
//! before any code is sent. Also the shape of verification codes.

use phonenumber::Mode;

/// Digits in a verification code (Barong's length).
pub const CODE_LENGTH: usize = 5;

/// A valid international number in Barong's stored form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber {
    digits: String,
    country: String,
}

/// Why a number was refused (the API answers `resource.phone.invalid_num` for all).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhoneError {
    /// No digits, or no known country code at the start.
    #[error("not a phone number with a country code")]
    Unparseable,
    /// Parsed, but no such number can exist in that country.
    #[error("not a valid phone number")]
    Invalid,
}

impl PhoneNumber {
    /// Parses what a user typed; spaces, dashes, brackets and a leading `+` or `00`
    /// style are all accepted because only the digits are kept (as Barong does).
    pub fn parse(raw: &str) -> Result<Self, PhoneError> {
        let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
        // The longest E.164 number has 15 digits; a little slack for a national
        // trunk prefix after the country code, but no unbounded parser input.
        if digits.is_empty() || digits.len() > 17 {
            return Err(PhoneError::Unparseable);
        }
        let parsed =
            phonenumber::parse(None, format!("+{digits}")).map_err(|_| PhoneError::Unparseable)?;
        if !parsed.is_valid() {
            return Err(PhoneError::Invalid);
        }
        let e164 = parsed.format().mode(Mode::E164).to_string();
        let country = parsed
            .country()
            .id()
            .map(|id| id.as_ref().to_owned())
            .ok_or(PhoneError::Invalid)?;
        Ok(Self {
            digits: e164.trim_start_matches('+').to_owned(),
            country,
        })
    }

    /// The stored form: international digits without `+`.
    pub fn digits(&self) -> &str {
        &self.digits
    }

    /// ISO 3166 alpha-2 country the number belongs to (Barong's `country` column).
    pub fn country(&self) -> &str {
        &self.country
    }

    /// The E.164 form (`+` and digits), as SMS providers want the recipient.
    pub fn e164(&self) -> String {
        format!("+{}", self.digits)
    }
}

/// A code as typed: surrounding spaces dropped; `None` when it cannot be a code (wrong
/// length or not all digits), so garbage is refused without touching the stored code.
pub fn normalise_code(input: &str) -> Option<&str> {
    let code = input.trim();
    (code.len() == CODE_LENGTH && code.bytes().all(|b| b.is_ascii_digit())).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_international_digits_and_country() {
        let n = PhoneNumber::parse("+44 07418084106").unwrap();
        assert_eq!(n.digits(), "447418084106");
        assert_eq!(n.country(), "GB");
        assert_eq!(n.e164(), "+447418084106");
        let n = PhoneNumber::parse("1 (415) 555-2671").unwrap();
        assert_eq!(n.digits(), "14155552671");
        assert_eq!(n.country(), "US");
        assert_eq!(PhoneNumber::parse("+49 30 123456").unwrap().country(), "DE");
    }

    #[test]
    fn refuses_numbers_without_country_code_or_invalid() {
        assert!(PhoneNumber::parse("07418084106").is_err());
        assert!(PhoneNumber::parse("").is_err());
        assert!(PhoneNumber::parse("abc").is_err());
        assert!(PhoneNumber::parse("+44 12").is_err());
        assert!(PhoneNumber::parse("+1 000 000 0000").is_err());
        assert!(PhoneNumber::parse("1234567890123456789012").is_err());
    }

    #[test]
    fn codes_are_five_digits() {
        assert_eq!(normalise_code(" 01234 "), Some("01234"));
        assert_eq!(normalise_code("1234"), None);
        assert_eq!(normalise_code("12a45"), None);
    }
}
