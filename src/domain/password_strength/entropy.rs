//! NIST-style entropy estimate of `strong_password` 0.0.6 (`EntropyCalculator` with
//! repeats weakened, plus `NistBonusBits`).
//!
//! Every adjuster of the gem ends in this calculation, and Barong's accept/reject
//! decision is a comparison of its result with 14, so it is reproduced to the bit:
//! same weights, same order of floating-point additions.

use regex::Regex;
use std::collections::HashMap;
use std::sync::LazyLock;

/// Bits of the first character, whatever it is.
const FIRST_CHAR_BITS: f64 = 4.0;
/// How much a character is worth again each time it repeats.
const REPEAT_WEAKENING_FACTOR: f64 = 0.75;

/// Any Unicode decimal digit (general category `Nd`), as Ruby's `[[:digit:]]`.
static DECIMAL_DIGIT: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\A\p{Nd}\z").ok());

/// Estimated entropy of `password` in bits: positional bits plus bonus bits.
///
/// This is the quantity Barong compares with `min_entropy` (14) for the password
/// itself and for each of its masked variants.
pub fn entropy(password: &str) -> f64 {
    positional_bits(password) + bonus_bits(password)
}

/// Bits earned by the characters alone: 4 for the first, then 2, 1.5 or 1 per
/// character depending on its position, scaled down by 0.75 per earlier occurrence of
/// the same character.
///
/// Kept separate from the bonus so the adjusters can be checked against the gem's own
/// figures, which are given without bonus bits.
pub fn positional_bits(password: &str) -> f64 {
    let mut weights = RepeatWeights::default();
    password.chars().enumerate().fold(0.0, |bits, (index, c)| {
        bits + position_value(index, weights.take(c))
    })
}

/// NIST bonus for character variety (up to +6, down to -6) and for spaces/words.
///
/// Exists because the gem adds it to every estimate; a password of only digits loses
/// bits here, which is why `123123...` style passwords fail.
pub fn bonus_bits(password: &str) -> f64 {
    let upper = password.chars().any(char::is_uppercase);
    let lower = password.chars().any(char::is_lowercase);
    let numeric = contains_decimal_digit(password);
    let other = password
        .chars()
        .any(|c| !(c.is_ascii_alphanumeric() || c == ' '));
    let variety = match (upper, lower, numeric, other) {
        (true, true, true, true) => 6.0,
        (true, true, false, true) => 5.0,
        (false, false, true, true) => -2.0,
        (false, false, true, false) => -6.0,
        _ => 0.0,
    };
    variety + spacing_bits(password)
}

/// Tells whether `text` holds a Unicode decimal digit (Ruby's `[[:digit:]]`).
///
/// Shared with the symbol rule so that both rules agree on what a digit is.
pub fn contains_decimal_digit(text: &str) -> bool {
    text.chars().any(is_decimal_digit)
}

/// Unicode `Nd`: ASCII digits directly, other characters through the regex (falling
/// back to "not a digit" if it could not be built).
fn is_decimal_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    let mut buffer = [0u8; 4];
    DECIMAL_DIGIT
        .as_ref()
        .is_some_and(|digit| digit.is_match(c.encode_utf8(&mut buffer)))
}

/// -2 without any space, +1 with more than three whitespace-separated words.
fn spacing_bits(password: &str) -> f64 {
    if !password.contains(' ') {
        -2.0
    } else if ruby_word_count(password) > 3 {
        1.0
    } else {
        0.0
    }
}

/// Length of Ruby's `password.split(/\s+/)`: runs of ASCII whitespace separate fields,
/// a leading empty field is kept, trailing empty fields are dropped.
fn ruby_word_count(text: &str) -> usize {
    let words = text
        .split(is_ruby_space)
        .filter(|word| !word.is_empty())
        .count();
    let leading_empty = text.starts_with(is_ruby_space);
    if words > 0 && leading_empty {
        words + 1
    } else {
        words
    }
}

/// Ruby's `\s`: space, tab, line feed, vertical tab, form feed, carriage return.
fn is_ruby_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0B' | '\x0C' | '\r')
}

/// Value of a character at `index` whose repeat-weakened worth is `value`.
fn position_value(index: usize, value: f64) -> f64 {
    match index {
        0 => FIRST_CHAR_BITS,
        1..=7 => value * 2.0,
        8..=19 => value * 1.5,
        _ => value,
    }
}

/// Current worth of each character seen so far (1, then 0.75, 0.5625, ...).
struct RepeatWeights {
    ascii: [f64; 128],
    other: HashMap<char, f64>,
}

impl Default for RepeatWeights {
    fn default() -> Self {
        Self {
            ascii: [1.0; 128],
            other: HashMap::new(),
        }
    }
}

impl RepeatWeights {
    /// Returns the worth of `c` and weakens it for its next occurrence.
    fn take(&mut self, c: char) -> f64 {
        let slot = match self.ascii.get_mut(c as usize) {
            Some(slot) => slot,
            None => self.other.entry(c).or_insert(1.0),
        };
        let value = *slot;
        *slot = value * REPEAT_WEAKENING_FACTOR;
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positional_bits_match_the_gems_figures() {
        let cases = [
            ("", 0.0),
            ("*", 4.0),
            ("**", 5.5),
            ("***", 6.625),
            ("****", 7.46875),
            ("****a", 9.46875),
            ("********", 9.1990966796875),
        ];
        for (password, bits) in cases {
            assert_eq!(positional_bits(password), bits, "{password}");
        }
    }

    #[test]
    fn positional_bits_without_repeats_follow_the_nist_steps() {
        let distinct: Vec<char> = ('a'..='z').collect();
        let expected = [
            0.0, 4.0, 6.0, 8.0, 10.0, 12.0, 14.0, 16.0, 18.0, 19.5, 21.0, 22.5, 24.0, 25.5, 27.0,
            28.5, 30.0, 31.5, 33.0, 34.5, 36.0, 37.0, 38.0, 39.0, 40.0,
        ];
        for (length, bits) in expected.iter().enumerate() {
            let password: String = distinct.iter().take(length).collect();
            assert_eq!(positional_bits(&password), *bits, "length {length}");
        }
    }

    #[test]
    fn bonus_bits_match_the_gems_figures() {
        let cases = [
            ("Ab$9", 4.0),
            ("Ab $9", 6.0),
            ("A b $ 9", 7.0),
            ("Ab$", 3.0),
            ("Ab $", 5.0),
            ("A b $ c d", 6.0),
            ("1!", -4.0),
            ("1 !", -2.0),
            ("1 ! 2 # 3 $", -1.0),
            ("123", -8.0),
            ("1 23", -6.0),
            ("1 2 3 4 5 6", -5.0),
            ("blah", -2.0),
            ("blah blah", 0.0),
            ("blah blah blah blah", 1.0),
        ];
        for (password, bits) in cases {
            assert_eq!(bonus_bits(password), bits, "{password}");
        }
    }

    #[test]
    fn word_count_follows_ruby_split() {
        assert_eq!(ruby_word_count(""), 0);
        assert_eq!(ruby_word_count("   "), 0);
        assert_eq!(ruby_word_count(" a"), 2);
        assert_eq!(ruby_word_count("a  b \t"), 2);
        assert_eq!(ruby_word_count(" a b c"), 4);
    }

    #[test]
    fn unicode_characters_count_like_any_other() {
        assert_eq!(positional_bits("éé"), 5.5);
        assert!(contains_decimal_digit("abc٣"));
        assert!(!contains_decimal_digit("abcⅣ"));
        // Non-ASCII letters are "other" characters for the bonus.
        assert_eq!(bonus_bits("Aé1"), 6.0 - 2.0);
    }
}
