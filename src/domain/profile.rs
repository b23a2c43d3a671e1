//! Profile rules (Barong's `Profile` model, reference 10.6): what a submitted KYC
//! profile must look like before it is stored. Pure: the caller passes today's date, so
//! the date-of-birth bounds are testable without a clock. Every failure is a Barong model
//! key (`first_name.invalid`, `country.must have alpha2 or alpha3 format`, ...), one
//! group per attribute in parameter order.
//!
//! Where we differ from Barong on purpose: addresses may carry ordinary punctuation
//! (`12 Main St., Apt #4`) and names/cities a dot (W34); the date of birth must be a
//! real past date within [`MAX_AGE_YEARS`]; metadata is capped at [`MAX_METADATA_BYTES`];
//! a blank attribute reports only `<attr>.blank`, not also its length and format.

use std::sync::LazyLock;

use chrono::{Datelike, NaiveDate};
use regex::Regex;
use serde_json::{Map, Value};

/// Oldest accepted age in years: a birth date further back is a typo, not a customer.
pub const MAX_AGE_YEARS: i32 = 130;
/// Largest accepted `metadata`, serialised (the column is TEXT; a profile is not a
/// file store).
pub const MAX_METADATA_BYTES: usize = 16 * 1024;
/// Longest text attribute, in characters (Barong's `string` columns).
pub const MAX_LEN: usize = 255;

/// Barong's key for an unknown country code.
pub const COUNTRY_ERROR: &str = "country.must have alpha2 or alpha3 format";

static NAME: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^[\w\s\-'.]+$").ok());
static POSTCODE: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"^[\w\s\-]+$").ok());
static ADDRESS: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r"^[\w\s\-'.,;:/#&()]+$").ok());

/// What the client sent, as text (blank allowed: the rules below report it).
#[derive(Debug, Clone, Default)]
pub struct ProfileDraft {
    /// Given name.
    pub first_name: String,
    /// Family name.
    pub last_name: String,
    /// Date of birth, already parsed by [`parse_dob`]; `None` when blank.
    pub dob: Option<NaiveDate>,
    /// Street address.
    pub address: String,
    /// Postal code.
    pub postcode: String,
    /// City.
    pub city: String,
    /// ISO 3166-1 alpha-2 or alpha-3 code, any case.
    pub country: String,
    /// Free-form JSON object, if sent.
    pub metadata: Option<Map<String, Value>>,
}

/// A profile that passed every rule, normalised as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidProfile {
    /// Squished given name.
    pub first_name: String,
    /// Squished family name.
    pub last_name: String,
    /// Date of birth.
    pub dob: NaiveDate,
    /// Trimmed address (inner line breaks kept).
    pub address: String,
    /// Squished postal code.
    pub postcode: String,
    /// Squished city.
    pub city: String,
    /// Upper-cased country code as sent (alpha-2 stays alpha-2).
    pub country: String,
    /// Metadata serialised as JSON text.
    pub metadata: Option<String>,
}

/// Parses a date of birth sent as `YYYY-MM-DD` (the format Barong renders); `None` for
/// anything else, which the HTTP layer reports as `resource.profile.invalid_dob`.
pub fn parse_dob(raw: &str) -> Option<NaiveDate> {
    let raw = raw.trim();
    let shaped = raw.len() == 10
        && raw.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return None;
    }
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").ok()
}

/// Trims and collapses inner whitespace runs to one space (Rails' `squish`).
fn squish(raw: &str) -> String {
    raw.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Length and format keys for one text attribute; blank reports `.blank` alone.
fn text_errors(attr: &str, value: &str, min: usize, re: &LazyLock<Option<Regex>>) -> Vec<String> {
    if value.is_empty() {
        return vec![format!("{attr}.blank")];
    }
    let mut errors = Vec::new();
    let len = value.chars().count();
    if len < min {
        errors.push(format!("{attr}.too_short"));
    } else if len > MAX_LEN {
        errors.push(format!("{attr}.too_long"));
    }
    if !re.as_ref().is_some_and(|re| re.is_match(value)) {
        errors.push(format!("{attr}.invalid"));
    }
    errors
}

/// Whether a date of birth is a past day within [`MAX_AGE_YEARS`] of `today`.
fn dob_in_range(dob: NaiveDate, today: NaiveDate) -> bool {
    let oldest = NaiveDate::from_ymd_opt(today.year() - MAX_AGE_YEARS, 1, 1);
    dob < today && oldest.is_some_and(|oldest| dob >= oldest)
}

/// The ISO 3166-1 code, upper-cased, when `celes` knows it as alpha-2 or alpha-3.
pub fn country_code(raw: &str) -> Option<String> {
    let code = raw.trim();
    let known = match code.len() {
        2 => celes::Country::from_alpha2(code).is_ok(),
        3 => celes::Country::from_alpha3(code).is_ok(),
        _ => false,
    };
    known.then(|| code.to_ascii_uppercase())
}

impl ProfileDraft {
    /// Applies every rule; all failures at once, grouped per attribute in parameter order.
    pub fn validate(self, today: NaiveDate) -> Result<ValidProfile, Vec<String>> {
        let first_name = squish(&self.first_name);
        let last_name = squish(&self.last_name);
        let address = self.address.trim().to_owned();
        let postcode = squish(&self.postcode);
        let city = squish(&self.city);
        let mut errors = text_errors("first_name", &first_name, 1, &NAME);
        errors.extend(text_errors("last_name", &last_name, 1, &NAME));
        match self.dob {
            None => errors.push("dob.blank".to_owned()),
            Some(dob) if !dob_in_range(dob, today) => errors.push("dob.invalid".to_owned()),
            Some(_) => {}
        }
        errors.extend(text_errors("address", &address, 1, &ADDRESS));
        errors.extend(text_errors("postcode", &postcode, 2, &POSTCODE));
        errors.extend(text_errors("city", &city, 1, &NAME));
        let country = if self.country.trim().is_empty() {
            errors.push("country.blank".to_owned());
            None
        } else {
            let code = country_code(&self.country);
            if code.is_none() {
                errors.push(COUNTRY_ERROR.to_owned());
            }
            code
        };
        let metadata = match self.metadata {
            None => None,
            Some(map) => match serde_json::to_string(&map) {
                Ok(text) if text.len() <= MAX_METADATA_BYTES => Some(text),
                _ => {
                    errors.push("metadata.too_long".to_owned());
                    None
                }
            },
        };
        match (self.dob, country) {
            (Some(dob), Some(country)) if errors.is_empty() => Ok(ValidProfile {
                first_name,
                last_name,
                dob,
                address,
                postcode,
                city,
                country,
                metadata,
            }),
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 5).unwrap()
    }

    fn draft() -> ProfileDraft {
        ProfileDraft {
            first_name: "  Jean-Luc  ".into(),
            last_name: "O'Neil".into(),
            dob: parse_dob("1990-02-28"),
            address: "12 Main St., Apt #4".into(),
            postcode: "75 001".into(),
            city: "St. Louis".into(),
            country: "fra".into(),
            metadata: None,
        }
    }

    #[test]
    fn a_good_profile_is_normalised() {
        let p = draft().validate(today()).unwrap();
        assert_eq!(p.first_name, "Jean-Luc");
        assert_eq!(p.country, "FRA");
        assert_eq!(p.dob, NaiveDate::from_ymd_opt(1990, 2, 28).unwrap());
        assert_eq!(p.address, "12 Main St., Apt #4");
    }

    #[test]
    fn dob_must_be_a_real_past_date_within_bounds() {
        assert_eq!(parse_dob("1990-02-30"), None);
        assert_eq!(parse_dob("90-02-01"), None);
        assert_eq!(parse_dob("+1990-02-01"), None);
        assert_eq!(parse_dob("01/02/1990"), None);
        for bad in ["2026-12-05", "2030-01-01", "1895-12-31"] {
            let d = ProfileDraft {
                dob: parse_dob(bad),
                ..draft()
            };
            assert_eq!(
                d.validate(today()).unwrap_err(),
                vec!["dob.invalid"],
                "{bad}"
            );
        }
        let d = ProfileDraft {
            dob: parse_dob("1896-01-01"),
            ..draft()
        };
        assert!(d.validate(today()).is_ok());
    }

    #[test]
    fn every_rule_reports_barongs_key_in_parameter_order() {
        let d = ProfileDraft {
            first_name: "Bob, Jr".into(),
            last_name: " ".into(),
            dob: None,
            address: "a\u{0}b".into(),
            postcode: "1".into(),
            city: "x".repeat(256),
            country: "ZZ".into(),
            metadata: None,
        };
        assert_eq!(
            d.validate(today()).unwrap_err(),
            vec![
                "first_name.invalid",
                "last_name.blank",
                "dob.blank",
                "address.invalid",
                "postcode.too_short",
                "city.too_long",
                COUNTRY_ERROR,
            ]
        );
    }

    #[test]
    fn countries_are_iso_3166_alpha2_or_alpha3() {
        assert_eq!(country_code("ua").as_deref(), Some("UA"));
        assert_eq!(country_code("UKR").as_deref(), Some("UKR"));
        for bad in ["", "U", "XX", "UKRA", "Ukraine", "12"] {
            assert_eq!(country_code(bad), None, "{bad}");
        }
    }

    #[test]
    fn metadata_is_capped() {
        let mut big = Map::new();
        big.insert("k".into(), Value::String("x".repeat(MAX_METADATA_BYTES)));
        let d = ProfileDraft {
            metadata: Some(big),
            ..draft()
        };
        assert_eq!(d.validate(today()).unwrap_err(), vec!["metadata.too_long"]);
        let mut small = Map::new();
        small.insert("source".into(), Value::String("web".into()));
        let d = ProfileDraft {
            metadata: Some(small),
            ..draft()
        };
        assert_eq!(
            d.validate(today()).unwrap().metadata.as_deref(),
            Some(r#"{"source":"web"}"#)
        );
    }
}
