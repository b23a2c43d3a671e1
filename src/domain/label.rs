//! Label rules shared by every writer of labels: key and value are lower-cased and
//! whitespace-squished, then must be 3..=255 characters of `[a-z0-9_-]`; scope is
//! `public` or `private`. Only private labels count for levels.

/// The scope users may manage themselves.
pub const PUBLIC: &str = "public";
/// The scope only Barong and admins write; it drives levels.
pub const PRIVATE: &str = "private";

/// Lower-cases and squishes (trim, collapse inner whitespace runs) like Barong.
pub fn normalise(raw: &str) -> String {
    raw.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Barong's model error keys for one attribute (`key` or `value`) of a label.
pub fn errors_for(attribute: &str, normalised: &str) -> Vec<String> {
    let mut errors = Vec::new();
    let len = normalised.chars().count();
    if len == 0 {
        errors.push(format!("{attribute}.blank"));
    }
    if len < 3 {
        errors.push(format!("{attribute}.too_short"));
    } else if len > 255 {
        errors.push(format!("{attribute}.too_long"));
    }
    if !normalised
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
        || len == 0
    {
        errors.push(format!("{attribute}.invalid"));
    }
    errors
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_and_validates() {
        assert_eq!(normalise("  Email  "), "email");
        assert!(errors_for("key", "email").is_empty());
        assert_eq!(errors_for("key", "ab"), vec!["key.too_short"]);
        assert_eq!(errors_for("value", "a b c"), vec!["value.invalid"]);
    }
}
