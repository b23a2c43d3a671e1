//! The Event API catalogue: every event name barong emits, in one place, so the writers
//! (services, user repository), the relay (exchange and routing key) and the mailer
//! agree. Barong 2.2's names come first; ours follow the same `model.` / `system.` split.

/// A user row was created (sign-up, seeds): `{record}`.
pub const USER_CREATED: &str = "model.user.created";
/// A user row changed: `{record, changes}` with the old values of what changed.
pub const USER_UPDATED: &str = "model.user.updated";
/// Sign-up or a resent confirmation: `{user, language, domain, token}`.
pub const EMAIL_CONFIRMATION_TOKEN: &str = "system.user.email.confirmation.token";
/// The email address was confirmed: `{user, language, domain}`.
pub const EMAIL_CONFIRMED: &str = "system.user.email.confirmed";
/// A password reset was asked for: `{user, language, domain, token}`.
pub const PASSWORD_RESET_TOKEN: &str = "system.user.password.reset.token";
/// The password was reset with a mailed token: `{user, language, domain}`.
pub const PASSWORD_RESET: &str = "system.user.password.reset";
/// The password was changed by its owner: `{user, language, domain}`.
pub const PASSWORD_CHANGE: &str = "system.user.password.change";
/// The owner closed the account: the user object's fields at top level.
pub const ACCOUNT_DISCARDED: &str = "system.user.account.discarded";
/// The private `document` label became `verified`: `{uid, email}`.
pub const DOCUMENT_VERIFIED: &str = "system.document.verified";
/// The private `document` label became `rejected`: `{uid, email}`.
pub const DOCUMENT_REJECTED: &str = "system.document.rejected";
/// Ours: a login opened a session: `{user, user_ip, user_agent, new_device, language, domain}`.
pub const SESSION_CREATED: &str = "system.session.created";
/// Ours: sessions ended (log-out, revocation, other sessions ended by a password
/// change): `{user, language, domain, count, reason}`.
pub const SESSION_REVOKED: &str = "system.session.revoked";
/// Ours: an API key was created: `{user, kid, algorithm, scope}`.
pub const API_KEY_CREATED: &str = "model.api_key.created";
/// Ours: an API key was deleted: `{user, kid}`.
pub const API_KEY_DELETED: &str = "model.api_key.deleted";
/// Ours: 2FA was switched on: `{user}`.
pub const OTP_ENABLED: &str = "system.user.otp.enabled";
/// Ours: 2FA was switched off (by an admin): `{user}`.
pub const OTP_DISABLED: &str = "system.user.otp.disabled";
/// Ours: a phone number was verified: `{user, number}`.
pub const PHONE_VERIFIED: &str = "system.phone.verified";
/// Ours: repeated failed logins delayed further attempts:
/// `{user, language, domain, user_ip, retry_after}`.
pub const LOGIN_LOCKED: &str = "system.user.login.locked";

/// The events the mailer turns into a message.
pub const MAILED: &[&str] = &[
    EMAIL_CONFIRMATION_TOKEN,
    PASSWORD_RESET_TOKEN,
    PASSWORD_RESET,
    PASSWORD_CHANGE,
    SESSION_CREATED,
];

/// Whether the mailer acts on `name`.
pub fn is_mailed(name: &str) -> bool {
    MAILED.contains(&name)
}

/// The RabbitMQ exchange and routing key of an event, as Barong derived them:
/// `barong.events.<first segment>` and the rest of the name.
pub fn route(name: &str) -> (String, &str) {
    let (kind, key) = name.split_once('.').unwrap_or(("system", name));
    (format!("barong.events.{kind}"), key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_split_the_first_segment() {
        assert_eq!(
            route(PASSWORD_RESET_TOKEN),
            (
                "barong.events.system".to_owned(),
                "user.password.reset.token"
            )
        );
        assert_eq!(
            route(USER_CREATED),
            ("barong.events.model".to_owned(), "user.created")
        );
        assert!(is_mailed(EMAIL_CONFIRMATION_TOKEN));
        assert!(!is_mailed(USER_CREATED));
    }
}
