//! `model.user.*` events, written by the users repository itself in the caller's
//! transaction, so no code path can change a user without its event. Barong 2.2 dropped
//! almost every `model.user.updated` (its changes always included `updated_at`, W20);
//! here every change of a visible attribute is sent with the old values.

use serde_json::{Map, Value, json};

use super::users::User;
use super::{Conn, StorageError, outbox};
use crate::domain::event;
use crate::domain::time_format;

/// The attributes the Event API shows of a user (Barong's "user object").
const VISIBLE: &[&str] = &["uid", "email", "role", "level", "otp", "state"];

/// Barong's user object: `{uid, email, role, level, otp, state, created_at, updated_at}`
/// with second-precision ISO 8601 UTC times.
pub fn user_object(user: &User) -> Value {
    json!({
        "uid": user.uid,
        "email": user.email,
        "role": user.role,
        "level": user.level,
        "otp": user.otp,
        "state": user.state,
        "created_at": time_format::entity(user.created_at),
        "updated_at": time_format::entity(user.updated_at),
    })
}

/// Appends `model.user.created`.
pub async fn user_created(conn: &impl Conn, user: &User) -> Result<(), StorageError> {
    outbox::append(
        conn,
        event::USER_CREATED,
        &json!({ "record": user_object(user) }),
    )
    .await
}

/// Appends `model.user.updated` with the old value of every visible attribute that
/// changed; nothing when none did (a password or TOTP-secret change is not shown).
pub async fn user_updated(
    conn: &impl Conn,
    before: &User,
    after: &User,
) -> Result<(), StorageError> {
    let record = user_object(after);
    let changes = changes(&user_object(before), &record);
    if changes.is_empty() {
        return Ok(());
    }
    let payload = json!({ "record": record, "changes": changes });
    outbox::append(conn, event::USER_UPDATED, &payload).await
}

fn changes(before: &Value, after: &Value) -> Map<String, Value> {
    VISIBLE
        .iter()
        .filter(|attr| before[**attr] != after[**attr])
        .map(|attr| ((*attr).to_owned(), before[*attr].clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_keep_old_values_of_visible_attributes_only() {
        let before = json!({"uid": "ID1", "state": "pending", "level": 0, "updated_at": "a"});
        let after = json!({"uid": "ID1", "state": "active", "level": 1, "updated_at": "b"});
        let got = changes(&before, &after);
        assert_eq!(Value::Object(got), json!({"level": 0, "state": "pending"}));
    }
}
