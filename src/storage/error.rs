//! Classification of database errors, done once here so no caller inspects driver
//! messages: a unique violation becomes Barong's `<attribute>.taken` key.

use sea_orm::{DbErr, SqlErr};

/// A storage failure callers can branch on.
#[derive(Debug, thiserror::Error)]
pub enum StorageError {
    /// A unique index refused the write; the payload is Barong's model key
    /// (`email.taken`, `key.taken`, ...).
    #[error("conflict: {0}")]
    Conflict(&'static str),
    /// The database cannot be reached or failed; callers answer 503/500.
    #[error("database unavailable: {0}")]
    Unavailable(String),
}

impl From<DbErr> for StorageError {
    fn from(err: DbErr) -> Self {
        if let Some(SqlErr::UniqueConstraintViolation(message)) = err.sql_err() {
            return Self::Conflict(conflict_key(&message));
        }
        Self::Unavailable(err.to_string())
    }
}

/// The key of a number already verified by some account (the unique index on
/// `phones.verified_number`); the phones service answers Barong's
/// `resource.phone.number_exist` for it.
pub const NUMBER_TAKEN: &str = "number.taken";

/// Maps the violated index (named in the driver's message: SQLite names columns,
/// PostgreSQL and MySQL the index) to Barong's key.
fn conflict_key(message: &str) -> &'static str {
    const KEYS: &[(&[&str], &str)] = &[
        (&["index_users_on_email", "users.email"], "email.taken"),
        (&["index_users_on_uid", "users.uid"], "uid.taken"),
        (
            &[
                "index_labels_on_user_id_and_key_and_scope",
                "labels.user_id",
            ],
            "key.taken",
        ),
        (
            &["index_levels_on_key_and_value", "levels.key"],
            "value.taken",
        ),
        (&["index_apikeys_on_kid", "apikeys.kid"], "kid.taken"),
        (
            &["index_profiles_on_user_id", "profiles.user_id"],
            "profile.taken",
        ),
        (
            &["index_utilized_tokens_on_jti", "utilized_tokens.jti"],
            "jti.taken",
        ),
        (
            &["index_phones_on_verified_number", "phones.verified_number"],
            NUMBER_TAKEN,
        ),
    ];
    KEYS.iter()
        .find(|(needles, _)| needles.iter().any(|n| message.contains(n)))
        .map_or("record.taken", |(_, key)| key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_the_index_on_every_backend() {
        assert_eq!(
            conflict_key("UNIQUE constraint failed: users.email"),
            "email.taken"
        );
        assert_eq!(
            conflict_key("duplicate key value violates unique constraint \"index_users_on_email\""),
            "email.taken"
        );
        assert_eq!(
            conflict_key("Duplicate entry 'uid@x.io' for key 'users.index_users_on_uid'"),
            "uid.taken"
        );
        assert_eq!(
            conflict_key("UNIQUE constraint failed: phones.verified_number"),
            NUMBER_TAKEN
        );
        assert_eq!(
            conflict_key(
                "Duplicate entry '447418084106' for key 'phones.index_phones_on_verified_number'"
            ),
            NUMBER_TAKEN
        );
        assert_eq!(conflict_key("something else"), "record.taken");
    }
}
