//! Keyboard-sequence adjustment of `strong_password` 0.0.6 (`QwertyAdjuster`): runs of
//! 3 to 6 neighbouring keys (`qwerty`, `1qaz`, `abcdef`, keypad columns...) are worth
//! almost nothing to an attacker, so they are masked before the entropy is estimated.
//!
//! Quirk kept on purpose: the gem escapes `-` as `\-` in the searched run but then
//! searches it as a plain string, so a run containing `-` only matches a password
//! that literally contains `\-`.

use std::sync::LazyLock;

/// The keyboard and alphabet sequences, in the gem's order.
const SEQUENCES: [&str; 14] = [
    "1234567890-",
    "qwertyuiop",
    "asdfghjkl;",
    "zxcvbnm,./",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik,9ol.0p;/-['=]:?_{\"+}",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm8ik9ol0p",
    "qazwsxedcrfvtgbyhnujmik,ol.p;/-['=]:?_{\"+}",
    "qazwsxedcrfvtgbyhnujmikolp",
    "]\"/=[;.-pl,0okm9ijn8uhb7ygv6tfc5rdx4esz3wa2q1",
    "pl0okm9ijn8uhb7ygv6tfc5rdx4esz3wa2q1",
    "]\"/[;.pl,okmijnuhbygvtfcrdxeszwaq",
    "plokmijnuhbygvtfcrdxeszwaq",
    "014725836914702583697894561230258/369*+-*/",
    "abcdefghijklmnopqrstuvwxyz",
];

/// Longest run that is masked; runs of 6, 5, 4 then 3 keys are tried.
const LONGEST_RUN: usize = 6;
/// Shortest run that is masked.
const SHORTEST_RUN: usize = 3;

/// The runs of every sequence, and an index to skip the sequences a password cannot
/// contain.
struct Runs {
    /// For each sequence, the runs to mask, in the order the gem tries them.
    by_sequence: Vec<Vec<String>>,
    /// First three characters of every run (sorted, packed by [`pack`]), with a bit
    /// set for each sequence having such a run. A password holding none of a
    /// sequence's trigrams has nothing masked.
    trigram_owners: Vec<(u64, u16)>,
}

/// Built on first use.
static RUNS: LazyLock<Runs> = LazyLock::new(|| {
    let by_sequence: Vec<Vec<String>> =
        SEQUENCES.iter().map(|sequence| runs_of(sequence)).collect();
    let mut trigram_owners: Vec<(u64, u16)> = Vec::new();
    for (index, runs) in by_sequence.iter().enumerate() {
        for trigram in runs.iter().filter_map(|run| first_trigram(run)) {
            trigram_owners.push((trigram, 1 << index));
        }
    }
    trigram_owners.sort_unstable();
    trigram_owners.dedup_by(|later, earlier| {
        let same = later.0 == earlier.0;
        if same {
            earlier.1 |= later.1;
        }
        same
    });
    Runs {
        by_sequence,
        trigram_owners,
    }
});

/// Lowest entropy of the lower-cased password and its reverse, before and after
/// masking each sequence's runs (the gem's `adjusted_entropy`).
///
/// `entropy` is the estimate to apply; production passes the full estimate, tests the
/// bonus-free one the gem documents its figures with.
pub fn adjusted_entropy(lower: &str, entropy: impl Fn(&str) -> f64) -> f64 {
    let reversed: String = lower.chars().rev().collect();
    let mut lowest = entropy(lower).min(entropy(&reversed));
    for candidate in [lower, reversed.as_str()] {
        let present = sequences_present(candidate);
        for (index, runs) in RUNS.by_sequence.iter().enumerate() {
            if present & (1 << index) == 0 {
                continue;
            }
            if let Some(masked) = mask_runs(candidate, runs) {
                lowest = lowest.min(entropy(&masked));
            }
        }
    }
    lowest
}

/// Bit set of the sequences that may have a run inside `text`.
fn sequences_present(text: &str) -> u16 {
    let chars: Vec<char> = text.chars().collect();
    chars
        .windows(3)
        .filter_map(first_trigram_of)
        .filter_map(owners_of)
        .fold(0, |present, owners| present | owners)
}

/// Sequences having a run that starts with `trigram`.
fn owners_of(trigram: u64) -> Option<u16> {
    let owners = &RUNS.trigram_owners;
    let index = owners
        .binary_search_by_key(&trigram, |&(key, _)| key)
        .ok()?;
    owners.get(index).map(|&(_, bits)| bits)
}

/// The first three characters of `run`, packed.
fn first_trigram(run: &str) -> Option<u64> {
    let chars: Vec<char> = run.chars().take(3).collect();
    first_trigram_of(&chars)
}

/// The first three of `chars`, packed, if there are three.
fn first_trigram_of(chars: &[char]) -> Option<u64> {
    match chars {
        [a, b, c, ..] => Some(pack(*a, *b, *c)),
        _ => None,
    }
}

/// Three characters as one integer key (21 bits each).
fn pack(a: char, b: char, c: char) -> u64 {
    (u64::from(a) << 42) | (u64::from(b) << 21) | u64::from(c)
}

/// Replaces the first occurrence of each run, one after the other, with `*`.
/// Returns `None` when nothing was replaced.
fn mask_runs(password: &str, runs: &[String]) -> Option<String> {
    let mut masked: Option<String> = None;
    for run in runs {
        let current = masked.as_deref().unwrap_or(password);
        if current.contains(run.as_str()) {
            masked = Some(current.replacen(run.as_str(), "*", 1));
        }
    }
    masked
}

/// All runs of `sequence`, longest first, left to right, with the first `-` of each
/// run written `\-` as the gem does.
fn runs_of(sequence: &str) -> Vec<String> {
    let keys: Vec<char> = sequence.chars().collect();
    (SHORTEST_RUN..=LONGEST_RUN)
        .rev()
        .flat_map(|length| keys.windows(length).map(escape_first_hyphen))
        .collect()
}

/// The run as a string, its first `-` replaced by `\-`.
fn escape_first_hyphen(keys: &[char]) -> String {
    let run: String = keys.iter().collect();
    run.replacen('-', "\\-", 1)
}

#[cfg(test)]
mod tests {
    use super::super::entropy::positional_bits;
    use super::*;

    #[test]
    fn matches_the_gems_figures_without_bonus_bits() {
        let cases = [
            ("qwertyuio", 5.5),
            ("1234567", 6.0),
            ("lkjhgfd", 6.0),
            ("0987654321", 5.5),
            ("zxcvbnm", 6.0),
            ("/.,mnbvcx", 5.5),
            ("password", 17.5),
        ];
        for (password, bits) in cases {
            assert_eq!(
                adjusted_entropy(password, positional_bits),
                bits,
                "{password}"
            );
        }
    }

    #[test]
    fn runs_are_tried_longest_first() {
        let runs = runs_of("abcdefg");
        assert_eq!(runs.first().map(String::as_str), Some("abcdef"));
        assert_eq!(runs.last().map(String::as_str), Some("efg"));
        assert_eq!(runs.len(), 2 + 3 + 4 + 5);
    }

    #[test]
    fn hyphen_runs_only_match_a_literal_backslash_hyphen() {
        let runs = runs_of("890-");
        assert!(runs.contains(&"90\\-".to_owned()));
        assert_eq!(mask_runs("x90-x", &runs), None);
        assert_eq!(mask_runs("x90\\-x", &runs), Some("x*x".to_owned()));
    }

    #[test]
    fn masks_runs_one_after_the_other() {
        let runs = runs_of("abcdefghijklmnopqrstuvwxyz");
        assert_eq!(mask_runs("abcdefxyz", &runs), Some("**".to_owned()));
        assert_eq!(mask_runs("a1b2c3", &runs), None);
    }
}
