//! Password strength check reproducing the `strong_password` gem 0.0.6 as Barong 2.2
//! configures it (`min_entropy: 14`, `use_dictionary: true`, words of 4+ characters).
//!
//! Barong rejects a weak password with `password.password.password_strength`; which
//! passwords count as weak is observable behaviour, so the gem's estimate is rebuilt
//! step by step:
//! 1. the first 1000 characters are kept;
//! 2. the NIST-style entropy ([`entropy`]) of the password and of its lower-cased form
//!    must both reach 14 bits;
//! 3. so must every keyboard-sequence masking of the lower-cased form ([`qwerty`]);
//! 4. so must every dictionary masking of its variants ([`dictionary`], [`variants`]).
//!
//! Everything is pure and allocation-light; the word index and the keyboard runs
//! are built once on first use.

mod dictionary;
mod entropy;
mod qwerty;
mod variants;

pub use entropy::contains_decimal_digit;

/// Barong's `min_entropy`: below this many bits a password is too weak.
const MIN_ENTROPY: f64 = 14.0;

/// The gem only looks at this many characters (bounds the work per request).
const PASSWORD_LIMIT: usize = 1000;

/// Tells whether `password` passes Barong's entropy rule.
///
/// Exists so that signup and password changes reject exactly the passwords Barong
/// rejects as too weak (e.g. `Password1`, `Qq123123`) and keep accepting the ones it
/// accepts (e.g. `Tecohvi0`, `ZahSh8ei`).
pub fn is_strong(password: &str) -> bool {
    reaches(password, MIN_ENTROPY)
}

/// The gem's `is_strong?(min_entropy:, use_dictionary: true)`; the threshold is a
/// parameter so the gem's own examples at other thresholds can be checked.
fn reaches(password: &str, min_entropy: f64) -> bool {
    let base: String = password.chars().take(PASSWORD_LIMIT).collect();
    let lower = variants::downcase(&base);
    let weak = entropy::entropy(&base) < min_entropy
        || entropy::entropy(&lower) < min_entropy
        || qwerty::adjusted_entropy(&lower, entropy::entropy) < min_entropy;
    !weak && dictionary_entropy(&lower) >= min_entropy
}

/// Entropy left after masking common passwords in the variants of `lower`.
fn dictionary_entropy(lower: &str) -> f64 {
    let candidates = variants::all_variants(lower);
    dictionary::adjusted_entropy(lower, &candidates, entropy::entropy)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_the_reference_weak_passwords() {
        for password in [
            "Password1",
            "Password1123",
            "password",
            "password1",
            "Qq123123",
            "QqQq123123",
            "X2qL32",
            "eoV0qu",
            "Simple",
        ] {
            assert!(!is_strong(password), "{password} should be weak");
        }
    }

    #[test]
    fn accepts_the_reference_strong_passwords() {
        for password in [
            "Iequ4geiEWQw",
            "Xwqe213PZCXwe",
            "Kal31ewwqXrew",
            "Tecohvi0",
            "eeC2BiCucxWEQ",
            "Gol4aid2",
            "ZahSh8ei",
        ] {
            assert!(is_strong(password), "{password} should be strong");
        }
    }

    #[test]
    fn matches_the_gems_checker_examples() {
        let cases = [
            ("blahblah", [true, false, false]),
            ("password", [false, false, false]),
            ("wwwwwwww", [false, false, false]),
            ("adamruge", [false, false, false]),
            ("madaegur", [true, false, false]),
            ("aB$1", [false, false, false]),
            ("correct horse battery staple", [true, true, false]),
            ("c0rr#ct h0rs3 Batt$ry st@pl3 is Gr34t", [true, true, true]),
        ];
        for (password, expected) in cases {
            let actual = [12.0, 18.0, 40.0].map(|bits| reaches(password, bits));
            assert_eq!(actual, expected, "{password}");
        }
    }

    #[test]
    fn matches_the_gems_validator_examples_with_a_dictionary() {
        for password in ["password", "1234", "f0bar", "b@s3"] {
            assert!(!is_strong(password), "{password}");
            assert!(reaches(password, 1.0), "{password}");
        }
        for password in ["p@ssw0fdsafsdafrd", "b@se3ball rocks", "f0bar plus baz"] {
            assert!(is_strong(password), "{password}");
            assert!(!reaches(password, 40.0), "{password}");
        }
    }

    #[test]
    fn edge_cases() {
        assert!(!is_strong(""));
        assert!(!is_strong("a"));
        assert!(!is_strong(&"a".repeat(5000)));
        assert!(is_strong("Ωμέγα-Δέλτα-Σίγμα-9"));
        assert!(!is_strong("日本"));
    }

    #[test]
    fn only_the_first_thousand_characters_count() {
        let strong_tail = "Iequ4geiEWQw";
        let padded = format!("{}{strong_tail}", "a".repeat(PASSWORD_LIMIT));
        assert!(!is_strong(&padded));
    }
}
