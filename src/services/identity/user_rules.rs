//! Barong's model validation of a new or changed password, as error keys.

use crate::domain::password_rules;

/// `password.too_long`, `password.requirements`, `password.password.password_strength`
/// in Barong's order; empty when the password is acceptable.
pub fn password_errors(password: &str) -> Vec<String> {
    let mut errors = Vec::new();
    if password.len() > 72 {
        errors.push("password.too_long".to_owned());
    }
    if !password_rules::meets_symbol_rule(password) {
        errors.push("password.requirements".to_owned());
    }
    if !password_rules::is_strong(password) {
        errors.push("password.password.password_strength".to_owned());
    }
    errors
}

/// The English sentence Barong stored as the reason of a failed password change.
pub fn reason_for(errors: &[String]) -> &'static str {
    if errors.iter().any(|e| e == "password.requirements") {
        "Password does not meet the minimum requirements"
    } else if errors.iter().any(|e| e == "password.too_long") {
        "Password is too long"
    } else {
        "Password is too weak"
    }
}
