//! Email format rule of Barong 2.2's `User` model.
//!
//! Barong validates `users.email` with the `email_validator` gem 1.6.0 in strict mode.
//! Clients and existing accounts depend on exactly which addresses that accepts (it is
//! the difference between `email.invalid` and a created account), so this module
//! reproduces the gem's regular expression instead of following an RFC:
//!
//! ```text
//! \A(?>(?:ATOM\.?){,63}ATOM)@(?:LABEL\.?)*[[:alpha:]]{1,63}\z      (case-insensitive)
//! ATOM  = [-\p{Cased_Letter}\p{Nd}+_!"'#$%^&*{}/=?`|~]
//! LABEL = [[:alnum:]](?:[[:alnum:]-]{,62}[[:alnum:]]+)?
//! ```
//!
//! applied to the value with surrounding ASCII whitespace (and NUL) stripped. Ruby's
//! POSIX classes are Unicode-aware: `[[:alpha:]]` is the Alphabetic property and
//! `[[:alnum:]]` adds decimal digits (`Nd`). The local part is matched with a regex;
//! the domain is checked by hand because the counted repetitions over large Unicode
//! classes would blow up the regex automaton.

use regex::Regex;
use std::sync::LazyLock;

/// Most non-dot characters the local part may hold (`{,63}` repeats plus the last atom).
const MAX_LOCAL_ATOMS: usize = 64;
/// Longest accepted top-level domain, in characters.
const MAX_TLD_CHARS: usize = 63;
/// Longest domain label that has to be tried from one start position: the first
/// character, up to 62 characters that may be hyphens, and one final character. Longer
/// labels split into one of these followed by one-character labels (labels may follow
/// each other without a dot in the gem's pattern), so they add no new matches.
const MAX_SHORT_LABEL_CHARS: usize = 64;

/// One dot-free run of the local part: strict mode's atom characters, case-insensitive.
/// `None` only if the pattern failed to compile, in which case no email is accepted.
static LOCAL_RUN: LazyLock<Option<Regex>> =
    LazyLock::new(|| Regex::new(r#"(?i)\A[-\p{LC}\p{Nd}+_!"'#$%^&*{}/=?`|~]+\z"#).ok());

/// A single Unicode decimal digit (general category `Nd`), as Ruby's `[[:digit:]]`.
static DECIMAL_DIGIT: LazyLock<Option<Regex>> = LazyLock::new(|| Regex::new(r"\A\p{Nd}\z").ok());

/// Tells whether `value` is an email address Barong 2.2 would accept.
///
/// This exists so that signup and admin edits reject exactly the addresses Barong
/// rejects with `email.invalid` (strict `email_validator` 1.6.0), no more and no less:
/// e.g. `a@b` and `user@localhost` pass, `user@example.123` and `.a@b.c` do not.
pub fn is_valid_email(value: &str) -> bool {
    let trimmed = strip_ruby_whitespace(value);
    match trimmed.split_once('@') {
        Some((local, domain)) => is_valid_local_part(local) && is_valid_domain(domain),
        None => false,
    }
}

/// Ruby's `String#strip`: ASCII whitespace and NUL on both ends.
fn strip_ruby_whitespace(value: &str) -> &str {
    value.trim_matches(|c| matches!(c, '\0' | '\t' | '\n' | '\x0B' | '\x0C' | '\r' | ' '))
}

/// Atoms separated by single dots, 1 to 64 atoms, no leading or trailing dot.
fn is_valid_local_part(local: &str) -> bool {
    let Some(run_pattern) = LOCAL_RUN.as_ref() else {
        return false;
    };
    let mut atoms = 0;
    for run in local.split('.') {
        if !run_pattern.is_match(run) {
            return false;
        }
        atoms += run.chars().count();
    }
    atoms <= MAX_LOCAL_ATOMS
}

/// `(?:LABEL\.?)*TLD` over the whole domain, decided by walking the positions where a
/// label may start (dynamic programming, linear in the domain length).
fn is_valid_domain(domain: &str) -> bool {
    let chars: Vec<char> = domain.chars().collect();
    let mut label_start = vec![false; chars.len() + 1];
    label_start[0] = true;
    for start in 0..chars.len() {
        if !label_start[start] {
            continue;
        }
        if is_tld(&chars[start..]) {
            return true;
        }
        mark_label_ends(&chars, start, &mut label_start);
    }
    false
}

/// The final part of the domain: 1 to 63 alphabetic characters.
fn is_tld(chars: &[char]) -> bool {
    (1..=MAX_TLD_CHARS).contains(&chars.len()) && chars.iter().all(|c| c.is_alphabetic())
}

/// Marks every position reachable by one label (optionally followed by a dot) that
/// begins at `start`.
fn mark_label_ends(chars: &[char], start: usize, label_start: &mut [bool]) {
    if !chars.get(start).is_some_and(|&c| is_alnum(c)) {
        return;
    }
    let last_end = (start + MAX_SHORT_LABEL_CHARS).min(chars.len());
    for end in start + 1..=last_end {
        let Some(&last) = chars.get(end - 1) else {
            return;
        };
        if last == '-' {
            continue;
        }
        if !is_alnum(last) {
            return;
        }
        mark(label_start, end);
        if chars.get(end) == Some(&'.') {
            mark(label_start, end + 1);
        }
    }
}

/// Records that a label or the TLD may begin at `position`.
fn mark(label_start: &mut [bool], position: usize) {
    if let Some(slot) = label_start.get_mut(position) {
        *slot = true;
    }
}

/// Ruby's `[[:alnum:]]`: Alphabetic or decimal digit.
fn is_alnum(c: char) -> bool {
    c.is_alphabetic() || is_decimal_digit(c)
}

/// Unicode `Nd`; falls back to ASCII digits if the pattern could not be built.
fn is_decimal_digit(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_digit();
    }
    let mut buffer = [0u8; 4];
    DECIMAL_DIGIT
        .as_ref()
        .is_some_and(|digit| digit.is_match(c.encode_utf8(&mut buffer)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_the_reference_examples() {
        for email in [
            "a@b",
            "user@localhost",
            "user@example.com",
            "john.doe@barong.io",
        ] {
            assert!(is_valid_email(email), "{email} should be valid");
        }
    }

    #[test]
    fn rejects_a_numeric_tld() {
        assert!(!is_valid_email("user@example.123"));
    }

    #[test]
    fn accepts_the_gems_valid_examples() {
        for email in [
            "a+b@plus-in-local.com",
            "a_b@underscore-in-local.com",
            " user@example.com ",
            "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ@letters-in-local.org",
            "01234567890@numbers-in-local.net",
            "a@single-character-in-local.org",
            "one-character-third-level@a.example.com",
            "single-character-in-sld@x.org",
            "local@dash-in-sld.com",
            "letters-in-sld@123.com",
            "uncommon-tld@sld.museum",
            "local@sld.newTLD",
            "local@sub.domains.com",
            "aaa@bbb.co.jp",
            "nigel.worthington@big.co.uk",
            "f@c.com",
            "f@s",
            "f@s.c",
            "mixed-1234-in-{+^}-local@sld.net",
            "`&'*+-./=?^_{}~@other-valid-characters-in-local.net",
            "partially.\"quoted\"@sld.com",
            "areallylongnameaasdfasdfasdfasdf@asdfasdfasdfasdfasdf.ab.cd.ef.gh.co.ca",
        ] {
            assert!(is_valid_email(email), "{email} should be valid");
        }
    }

    #[test]
    fn rejects_the_gems_invalid_examples() {
        for email in [
            "",
            " ",
            "@bar.com",
            "test@example.com@example.com",
            "test@",
            "@missing-local.org",
            "a b@space-in-local.com",
            "! #$%|@invalid-characters-in-local.org",
            "<>@[]|@even-more-invalid-characters-in-local.org",
            "missing-sld@.com",
            "invalid-characters-in-sld@! \"#$%(),/;<>_[]`|.org",
            "missing-tld@sld.",
            "missing-at-sign.net",
            "unbracketed-IP@127.0.0.1",
            "invalid-ip@127.0.0.1.26",
            "another-invalid-ip@127.0.0.256",
            "IP-and-port@127.0.0.1:25",
            "host-beginning-with-dot@.example.com",
            "domain-beginning-with-dash@-example.com",
            "domain-ending-with-dash@example-.com",
            "the-local-part-is-invalid-if-it-is-longer-than-sixty-four-characters@sld.net",
            "user@example.com\n<script>alert('hello')</script>",
        ] {
            assert!(!is_valid_email(email), "{email:?} should be invalid");
        }
    }

    #[test]
    fn rejects_what_only_the_lenient_mode_allows() {
        for email in [
            "hans,peter@example.com",
            "hans(peter@example.com",
            "hans)peter@example.com",
            ".user-beginning-with-dot@example.com",
            "user-ending-with-dot.@example.com",
            "double..dot@example.com",
        ] {
            assert!(!is_valid_email(email), "{email} should be invalid");
        }
    }

    #[test]
    fn local_part_counts_atoms_not_dots() {
        let sixty_four = "a".repeat(64);
        assert!(is_valid_email(&format!("{sixty_four}@example.com")));
        assert!(!is_valid_email(&format!("{sixty_four}a@example.com")));
        let dotted = vec!["a"; 64].join(".");
        assert!(is_valid_email(&format!("{dotted}@example.com")));
        let too_many = vec!["a"; 65].join(".");
        assert!(!is_valid_email(&format!("{too_many}@example.com")));
    }

    #[test]
    fn tld_is_alphabetic() {
        assert!(is_valid_email(&format!("u@example.{}", "c".repeat(63))));
        // Labels may follow each other without a dot, so a longer run of letters is a
        // label plus a 63-letter TLD: the gem accepts it too.
        assert!(is_valid_email(&format!("u@example.{}", "c".repeat(200))));
        // Only the trailing letters form the TLD: `c0` is a label, `m` the TLD.
        assert!(is_valid_email("u@example.c0m"));
        assert!(!is_valid_email("u@example.co1"));
        assert!(!is_valid_email("u@example.co-m"));
    }

    #[test]
    fn labels_may_be_long_and_hyphenated_within_the_gems_limits() {
        let long_label = "x".repeat(300);
        assert!(is_valid_email(&format!("u@{long_label}.com")));
        // A label starts and ends alphanumeric and has its hyphens within its first 63
        // characters; a run of hyphens cannot be split between labels.
        let hyphens_to_62 = format!("a{}b", "-".repeat(62));
        assert!(is_valid_email(&format!("u@{hyphens_to_62}.com")));
        let hyphens_to_63 = format!("a{}b", "-".repeat(63));
        assert!(!is_valid_email(&format!("u@{hyphens_to_63}.com")));
        assert!(is_valid_email("u@a--b.com"));
        assert!(is_valid_email("u@a-b-c-d.e-f.com"));
        assert!(!is_valid_email("u@a..com"));
        assert!(!is_valid_email("u@example.com."));
    }

    #[test]
    fn case_and_surrounding_whitespace_do_not_matter() {
        assert!(is_valid_email("USER@EXAMPLE.COM"));
        assert!(is_valid_email("\t user@example.com\r\n"));
        assert!(!is_valid_email("user @example.com"));
    }

    #[test]
    fn unicode_letters_and_digits() {
        assert!(is_valid_email("élodie@exämple.fr"));
        assert!(is_valid_email("Σωκράτης@παράδειγμα.ελ"));
        assert!(is_valid_email("user١٢@example.com"));
        assert!(is_valid_email("user@пример.рф"));
        // Letters without case (e.g. CJK) are not Cased_Letter: rejected in the local part...
        assert!(!is_valid_email("用户@example.com"));
        // ...but the domain takes any alphabetic character.
        assert!(is_valid_email("user@例子.中国"));
        assert!(!is_valid_email("user\u{3000}@example.com"));
    }

    #[test]
    fn very_long_input_is_handled_quickly() {
        let domain = format!("{}.com", "a-".repeat(50_000) + "a");
        assert!(!is_valid_email(&format!("user@{domain}")));
        let dotted = format!("{}com", "ab.".repeat(50_000));
        assert!(is_valid_email(&format!("user@{dotted}")));
    }
}
