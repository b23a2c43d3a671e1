//! The vocabulary of an RBAC rule as an admin may write it: the verbs and actions the
//! edge understands. Barong's API refused `PATCH` and `ALL` although its edge check
//! understood them; here every verb the edge matches can be written.

/// Verbs a rule may name (`ALL` matches every method).
pub const VERBS: [&str; 7] = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "ALL"];

/// What a matching rule does.
pub const ACTIONS: [&str; 3] = ["ACCEPT", "DROP", "AUDIT"];

/// The upper-cased verb, if the edge understands it.
pub fn parse_verb(raw: &str) -> Option<&'static str> {
    let upper = raw.trim().to_ascii_uppercase();
    VERBS.into_iter().find(|v| *v == upper)
}

/// The upper-cased action, if it is one of [`ACTIONS`].
pub fn parse_action(raw: &str) -> Option<&'static str> {
    let upper = raw.trim().to_ascii_uppercase();
    ACTIONS.into_iter().find(|a| *a == upper)
}

/// A rule path as stored: no leading slash, no surrounding blanks (the edge matches
/// normalised paths without the leading slash, so `/api/v2` would never match).
pub fn normalise_path(raw: &str) -> String {
    raw.trim().trim_start_matches('/').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verbs_and_actions_case_insensitive() {
        assert_eq!(parse_verb("patch"), Some("PATCH"));
        assert_eq!(parse_verb(" all "), Some("ALL"));
        assert_eq!(parse_verb("TRACE"), None);
        assert_eq!(parse_action("audit"), Some("AUDIT"));
        assert_eq!(parse_action("allow"), None);
        assert_eq!(normalise_path(" /api/v2/admin "), "api/v2/admin");
    }
}
