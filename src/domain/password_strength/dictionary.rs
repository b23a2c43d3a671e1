//! Dictionary adjustment of `strong_password` 0.0.6 (`DictionaryAdjuster`): a common
//! password hidden in a candidate (even shifted, leet-spoken or reversed) is worth
//! almost nothing, so the first one found is masked before the entropy is estimated.
//!
//! Word list: `common_passwords.txt` beside this file holds the words of
//! `lib/10k most common.txt` from the npm package `common-password` 0.1.2 (author
//! Michał Adamski, licence ISC: "Permission to use, copy, modify, and/or distribute this
//! software for any purpose with or without fee is hereby granted, provided that the
//! above copyright notice and this permission notice appear in all copies."), with LF
//! line endings and sorted longest first (ties in the original frequency order). It is
//! Mark Burnett's list of the 10,000 most common passwords: the same 10,000 words as
//! the list built into `strong_password` 0.0.6. All are lower-case and at least 4
//! characters long.
//!
//! Matching follows the gem's `sub(Regexp.union(words sorted longest first), '*')`:
//! the match starting leftmost wins and, among the words starting there, the longest.

use std::borrow::Cow;
use std::sync::LazyLock;

/// The common passwords, longest first, one per line.
const WORD_LIST: &str = include_str!("common_passwords.txt");

/// Shortest dictionary word that counts (the gem's `min_word_length` default).
const MIN_WORD_CHARS: usize = 4;

/// The word list, indexed on first use.
static WORDS: LazyLock<Dictionary> = LazyLock::new(|| {
    let words = WORD_LIST
        .lines()
        .map(str::trim)
        .filter(|word| word.chars().count() >= MIN_WORD_CHARS);
    Dictionary::new(words)
});

/// Lowest entropy of the lower-cased password and of each of its variants with its
/// first common password masked (the gem's `adjusted_entropy`).
///
/// `variants` are the candidates to mask (see `variants::all_variants`); `entropy` is
/// the estimate to apply, injected so tests can use the gem's bonus-free figures.
pub fn adjusted_entropy(lower: &str, variants: &[String], entropy: impl Fn(&str) -> f64) -> f64 {
    variants
        .iter()
        .map(|variant| entropy(&mask_first_word(variant)))
        .fold(entropy(lower), f64::min)
}

/// `text` with its first common password replaced by `*` (Ruby's `sub`).
fn mask_first_word(text: &str) -> Cow<'_, str> {
    let Some((start, length)) = WORDS.leftmost_match(text.as_bytes()) else {
        return Cow::Borrowed(text);
    };
    match (text.get(..start), text.get(start + length..)) {
        (Some(before), Some(after)) => Cow::Owned(format!("{before}*{after}")),
        _ => Cow::Borrowed(text),
    }
}

/// The words sorted bytewise, indexed by their first four bytes (every word has at
/// least four). Finding the words that start at a position is one binary search in a
/// small array, which keeps the check fast and cache-friendly.
struct Dictionary {
    words: Vec<&'static [u8]>,
    /// Sorted `(first four bytes, first word index, end word index)`.
    prefixes: Vec<(u32, usize, usize)>,
}

impl Dictionary {
    fn new(words: impl Iterator<Item = &'static str>) -> Self {
        let mut words: Vec<&'static [u8]> = words.map(str::as_bytes).collect();
        words.sort_unstable();
        words.dedup();
        let mut prefixes: Vec<(u32, usize, usize)> = Vec::new();
        for (index, word) in words.iter().enumerate() {
            let Some(key) = prefix_key(word) else {
                continue;
            };
            match prefixes.last_mut() {
                Some((last, _, end)) if *last == key => *end = index + 1,
                _ => prefixes.push((key, index, index + 1)),
            }
        }
        Self { words, prefixes }
    }

    /// Start and byte length of the leftmost match, preferring the longest word.
    /// Matches on bytes always fall on character boundaries (UTF-8 is self-synchronising).
    fn leftmost_match(&self, text: &[u8]) -> Option<(usize, usize)> {
        (0..text.len()).find_map(|start| {
            let rest = text.get(start..)?;
            self.longest_word_at_start(rest)
                .map(|length| (start, length))
        })
    }

    /// Byte length of the longest word that `text` begins with.
    fn longest_word_at_start(&self, text: &[u8]) -> Option<usize> {
        let key = prefix_key(text)?;
        let slot = self
            .prefixes
            .binary_search_by_key(&key, |&(prefix, _, _)| prefix)
            .ok()?;
        let &(_, first, end) = self.prefixes.get(slot)?;
        self.words
            .get(first..end)?
            .iter()
            .filter(|word| text.starts_with(word))
            .map(|word| word.len())
            .max()
    }
}

/// The first four bytes of `bytes` as one integer, if it has four.
fn prefix_key(bytes: &[u8]) -> Option<u32> {
    let first: [u8; 4] = bytes.get(..4)?.try_into().ok()?;
    Some(u32::from_be_bytes(first))
}

#[cfg(test)]
mod tests {
    use super::super::entropy::positional_bits;
    use super::super::variants::all_variants;
    use super::*;

    fn adjusted_without_bonus(password: &str) -> f64 {
        let lower = password.to_lowercase();
        adjusted_entropy(&lower, &all_variants(&lower), positional_bits)
    }

    #[test]
    fn word_list_is_the_expected_one() {
        let words: Vec<&str> = WORD_LIST.lines().collect();
        assert_eq!(words.len(), 10_000);
        assert!(words.contains(&"password"));
        assert!(words.windows(2).all(|pair| pair[0].len() >= pair[1].len()));
        assert!(words.iter().all(|w| w.chars().count() >= MIN_WORD_CHARS));
        assert!(
            words
                .iter()
                .all(|w| *w == w.to_lowercase() && *w == w.trim())
        );
    }

    #[test]
    fn matches_the_gems_figures_without_bonus_bits() {
        let cases = [
            ("bnm,./", 14.0),
            ("h#e0zbPas", 19.5),
            ("password", 4.0),
            ("E_!3password", 11.5),
            ("h#e0zbPas 32e2i81 password", 31.0625),
            ("123456", 4.0),
            ("password123456", 14.0),
            ("asdf)asdf", 14.0),
            ("asdf[]asdf", 16.0),
        ];
        for (password, bits) in cases {
            assert_eq!(adjusted_without_bonus(password), bits, "{password}");
        }
    }

    #[test]
    fn leftmost_match_wins_then_the_longest_word() {
        assert_eq!(mask_first_word("x12345"), "x*");
        assert_eq!(mask_first_word("x1234"), "x*");
        // "pass" and "password" both start at 1: the longer one goes; an earlier
        // start ("mypass") beats both.
        assert_eq!(mask_first_word("qpassword"), "q*");
        assert_eq!(mask_first_word("mypassword"), "*word");
        assert_eq!(mask_first_word("zzq"), "zzq");
    }

    #[test]
    fn non_ascii_text_is_masked_on_character_boundaries() {
        assert_eq!(mask_first_word("ééпарольpassword"), "ééпароль*");
        assert_eq!(mask_first_word("日本語"), "日本語");
    }
}
