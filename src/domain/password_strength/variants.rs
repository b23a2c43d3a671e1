//! Password variants of `strong_password` 0.0.6 (`PasswordVariants`): the forms in
//! which a common password may hide (keyboard shifted one row down, leet speak,
//! reversed), so the dictionary check also catches `p4ssw0rd` or `drowssap`.

/// Characters of the bottom keyboard row; a password containing one is not shifted.
const BOTTOM_ROW: &[char] = &[
    'z', 'x', 'c', 'v', 'b', 'n', 'm', ',', '.', '/', '<', '>', '?',
];

/// Characters that trigger the leet-speak variants.
const LEET_TRIGGERS: &[char] = &[
    '@', '!', '$', '1', '2', '3', '4', '5', '6', '7', '8', '9', '0',
];

/// Each key mapped to the key below and to the right of it.
const DOWN_RIGHT: &[(char, char)] = &[
    ('a', 'z'),
    ('q', 'a'),
    ('1', 'q'),
    ('s', 'x'),
    ('w', 's'),
    ('2', 'w'),
    ('d', 'c'),
    ('e', 'd'),
    ('3', 'e'),
    ('f', 'v'),
    ('r', 'f'),
    ('4', 'r'),
    ('g', 'b'),
    ('t', 'g'),
    ('5', 't'),
    ('h', 'n'),
    ('y', 'h'),
    ('6', 'y'),
    ('j', 'm'),
    ('u', 'j'),
    ('7', 'u'),
    ('i', 'k'),
    ('8', 'i'),
    ('o', 'l'),
    ('9', 'o'),
    ('0', 'p'),
];

/// Each key mapped to the key below and to the left of it.
const DOWN_LEFT: &[(char, char)] = &[
    ('2', 'q'),
    ('w', 'a'),
    ('3', 'w'),
    ('s', 'z'),
    ('e', 's'),
    ('4', 'e'),
    ('d', 'x'),
    ('r', 'd'),
    ('5', 'r'),
    ('f', 'c'),
    ('t', 'f'),
    ('6', 't'),
    ('g', 'v'),
    ('y', 'g'),
    ('7', 'y'),
    ('h', 'b'),
    ('u', 'h'),
    ('8', 'u'),
    ('j', 'n'),
    ('i', 'j'),
    ('9', 'i'),
    ('k', 'm'),
    ('o', 'k'),
    ('0', 'o'),
    ('p', 'l'),
    ('-', 'p'),
];

/// Leet speak with `1` read as `i`.
const LEET: &[(char, char)] = &[
    ('@', 'a'),
    ('!', 'i'),
    ('$', 's'),
    ('1', 'i'),
    ('2', 'z'),
    ('3', 'e'),
    ('4', 'a'),
    ('5', 's'),
    ('6', 'g'),
    ('7', 't'),
    ('8', 'b'),
    ('9', 'g'),
    ('0', 'o'),
];

/// Leet speak with `1` read as `l`.
const LEET_ALT: &[(char, char)] = &[
    ('@', 'a'),
    ('!', 'i'),
    ('$', 's'),
    ('1', 'l'),
    ('2', 'z'),
    ('3', 'e'),
    ('4', 'a'),
    ('5', 's'),
    ('6', 'g'),
    ('7', 't'),
    ('8', 'b'),
    ('9', 'g'),
    ('0', 'o'),
];

/// Lower-cases character by character, like Ruby's `String#downcase` (no
/// context-dependent mappings such as a word-final sigma).
///
/// All of the gem's checks except the first one run on this form.
pub fn downcase(text: &str) -> String {
    text.chars().flat_map(char::to_lowercase).collect()
}

/// The lower-cased password followed by its keyboard-shift and leet-speak variants,
/// each also reversed (the gem's `PasswordVariants.all_variants`).
///
/// `lower` must already be lower-cased (see [`downcase`]).
pub fn all_variants(lower: &str) -> Vec<String> {
    let mut variants = vec![lower.to_owned()];
    if !lower.contains(BOTTOM_ROW) {
        push_mapped(&mut variants, lower, DOWN_RIGHT);
        push_mapped(&mut variants, lower, DOWN_LEFT);
    }
    if lower.contains(LEET_TRIGGERS) {
        push_mapped(&mut variants, lower, LEET);
        push_mapped(&mut variants, lower, LEET_ALT);
    }
    variants
}

/// Appends `text` translated through `map` (Ruby's `tr`), and that translation reversed.
fn push_mapped(variants: &mut Vec<String>, text: &str, map: &[(char, char)]) {
    let mapped: String = text.chars().map(|c| translate(c, map)).collect();
    let reversed: String = mapped.chars().rev().collect();
    variants.push(mapped);
    variants.push(reversed);
}

/// The image of `c` under `map`, or `c` itself when it is not mapped.
fn translate(c: char, map: &[(char, char)]) -> char {
    map.iter()
        .find(|(from, _)| *from == c)
        .map_or(c, |(_, to)| *to)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn contains(variants: &[String], expected: &str) -> bool {
        variants.iter().any(|variant| variant == expected)
    }

    #[test]
    fn starts_with_the_password_itself() {
        assert_eq!(all_variants("bnm"), vec!["bnm".to_owned()]);
        assert_eq!(
            all_variants("password").first().map(String::as_str),
            Some("password")
        );
        assert_eq!(downcase("PASSWORD"), "password");
    }

    #[test]
    fn keyboard_shift_variants() {
        let variants = all_variants("qwerty");
        assert!(contains(&variants, "asdfgh"));
        assert!(contains(&variants, "hgfdsa"));
        let variants = all_variants("sdfghj");
        assert!(contains(&variants, "zxcvbn"));
        assert!(contains(&variants, "nbvcxz"));
        assert_eq!(all_variants("zxcvbnm,./").len(), 1);
    }

    #[test]
    fn leet_speak_variants() {
        let variants = all_variants("p4ssw0rd");
        assert!(contains(&variants, "password"));
        assert!(contains(&variants, "drowssap"));
        let variants = all_variants("h1b0b");
        assert!(contains(&variants, "hibob"));
        assert!(contains(&variants, "hlbob"));
    }

    #[test]
    fn downcase_has_no_final_sigma_rule() {
        assert_eq!(downcase("ΟΔΟΣ"), "οδοσ");
    }
}
