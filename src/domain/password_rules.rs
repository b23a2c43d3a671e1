//! Password rules of Barong 2.2's `User` model: the symbol rule
//! (`RequiredSymbolsValidator`, error `password.requirements`) and the entropy rule
//! (`strong_password` gem, error `password.password.password_strength`).
//!
//! A password is acceptable only if [`meets_symbol_rule`] and [`is_strong`] both hold;
//! callers report each failure under its own key, as Barong does.
//!
//! The strength estimate lives in `password_strength/` beside this file; it is declared
//! here (not in `domain/mod.rs`) so that this file stays its only entry point.

#[path = "password_strength/mod.rs"]
mod password_strength;

use password_strength::contains_decimal_digit;

/// Fewest characters the symbol rule accepts.
const MIN_CHARS: usize = 8;
/// Most characters the symbol rule accepts.
const MAX_CHARS: usize = 80;

/// Tells whether `password` meets Barong's symbol rule: 8 to 80 characters with at
/// least one lower-case letter, one upper-case letter and one decimal digit.
///
/// Exists to reproduce `password.requirements`. Barong evaluates its regex
/// `^(?=.*[[:lower:]])(?=.*[[:upper:]])(?=.*[[:digit:]])(?=.*[[:graph:]]).{8,80}$` with
/// line anchors, so one good line of a multi-line password passed (weak point W28).
/// Here the whole string must match, and as `.` does not match a line feed, a password
/// containing `\n` never passes. Letters and digits are Unicode-aware like Ruby's POSIX
/// classes; the `[[:graph:]]` condition always holds once a lower-case letter is present.
pub fn meets_symbol_rule(password: &str) -> bool {
    let length = password.chars().count();
    (MIN_CHARS..=MAX_CHARS).contains(&length)
        && !password.contains('\n')
        && password.chars().any(char::is_lowercase)
        && password.chars().any(char::is_uppercase)
        && contains_decimal_digit(password)
}

/// Tells whether `password` passes Barong's entropy rule (`strong_password` 0.0.6,
/// `min_entropy: 14`, with the common-password dictionary).
///
/// Exists to reproduce `password.password.password_strength`: the same passwords must
/// be refused as by Barong 2.2, e.g. `Password1` is refused even though it meets the
/// symbol rule.
pub fn is_strong(password: &str) -> bool {
    password_strength::is_strong(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn acceptable(password: &str) -> bool {
        meets_symbol_rule(password) && is_strong(password)
    }

    #[test]
    fn rejects_the_reference_examples() {
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
            assert!(!acceptable(password), "{password} should be rejected");
        }
    }

    #[test]
    fn accepts_the_reference_examples() {
        for password in [
            "Iequ4geiEWQw",
            "Xwqe213PZCXwe",
            "Kal31ewwqXrew",
            "Tecohvi0",
            "eeC2BiCucxWEQ",
            "Gol4aid2",
            "ZahSh8ei",
        ] {
            assert!(meets_symbol_rule(password), "{password} symbol rule");
            assert!(is_strong(password), "{password} strength");
        }
    }

    #[test]
    fn password1_fails_strength_but_not_symbols() {
        assert!(meets_symbol_rule("Password1"));
        assert!(!is_strong("Password1"));
    }

    #[test]
    fn lowercase_password_fails_both_rules() {
        assert!(!meets_symbol_rule("password"));
        assert!(!is_strong("password"));
    }

    #[test]
    fn symbol_rule_length_bounds() {
        assert!(!meets_symbol_rule(""));
        assert!(!meets_symbol_rule("Abcde1x"));
        assert!(meets_symbol_rule("Abcde1xy"));
        let eighty = format!("Ab1{}", "x".repeat(77));
        assert!(meets_symbol_rule(&eighty));
        assert!(!meets_symbol_rule(&format!("{eighty}x")));
    }

    #[test]
    fn symbol_rule_needs_each_class() {
        assert!(!meets_symbol_rule("abcdefg1"));
        assert!(!meets_symbol_rule("ABCDEFG1"));
        assert!(!meets_symbol_rule("Abcdefgh"));
        assert!(meets_symbol_rule("Ab1 !@#$"));
    }

    #[test]
    fn symbol_rule_looks_at_the_whole_string() {
        // Barong (W28) accepted these because one line matched.
        assert!(!meets_symbol_rule("Abcdefg1\nx"));
        assert!(!meets_symbol_rule("abc\nAbcdefg1"));
        assert!(!meets_symbol_rule("Abcd\nefg1"));
    }

    #[test]
    fn symbol_rule_counts_characters_and_knows_unicode() {
        assert!(meets_symbol_rule("Ωmegaé٣x"));
        assert!(meets_symbol_rule("Éléphant٣"));
        let eighty_wide = format!("Éé1{}", "ж".repeat(77));
        assert!(meets_symbol_rule(&eighty_wide));
        assert!(!meets_symbol_rule("日本語のパスワード"));
    }
}
