//! A user's own labels (`/resource/labels`): everyone reads all of their labels, but
//! only `public` ones are theirs to create, change and delete; `private` labels belong
//! to Barong and admins (they drive the level) and changing one is
//! `resource.labels.private`.
//!
//! The same key may exist once per scope (Barong's rule). When a user has both, the
//! public label is the one these endpoints read, change and delete, so a user can
//! always manage what they created; the private one is refused only when it is the
//! only label with that key. Unlike Barong (W27), a value that breaks the rules is a
//! 422 with the model keys, never a silent no-op.

use crate::domain::label::{self, PRIVATE, PUBLIC};
use crate::services::{ErrorKind, ServiceError, Services};
use crate::storage::{self, Conn, labels::Label, users::User};

fn not_found() -> ServiceError {
    ServiceError::new(ErrorKind::NotFound, "record.not_found")
}

fn private() -> ServiceError {
    ServiceError::new(ErrorKind::BadRequest, "resource.labels.private")
}

/// The label `GET labels/{key}` shows: the public one if it exists, else the private
/// one. The key is normalised like stored keys, so `Email` finds `email`.
async fn lookup(conn: &impl Conn, user: &User, key: &str) -> Result<Option<Label>, ServiceError> {
    let key = label::normalise(key);
    if let Some(found) = storage::labels::find(conn, user.id, &key, PUBLIC).await? {
        return Ok(Some(found));
    }
    Ok(storage::labels::find(conn, user.id, &key, PRIVATE).await?)
}

/// The public label a user may change: 404 when there is no label with that key,
/// 400 `resource.labels.private` when only a private one exists.
async fn managed(conn: &impl Conn, user: &User, key: &str) -> Result<Label, ServiceError> {
    match lookup(conn, user, key).await? {
        Some(found) if found.scope == PUBLIC => Ok(found),
        Some(_) => Err(private()),
        None => Err(not_found()),
    }
}

impl Services {
    /// Every label of the user, public and private, oldest first.
    pub async fn list_labels(&self, user: &User) -> Result<Vec<Label>, ServiceError> {
        Ok(storage::labels::list_for_user(self.db.conn(), user.id).await?)
    }

    /// One label by key (public first); 404 `record.not_found` when none.
    pub async fn get_label(&self, user: &User, key: &str) -> Result<Label, ServiceError> {
        lookup(self.db.conn(), user, key)
            .await?
            .ok_or_else(not_found)
    }

    /// Creates a public label. Key and value are normalised (lower-cased, squished) and
    /// must pass Barong's rules; an existing public label with that key is `key.taken`
    /// (also when two requests race: the unique index answers the same key).
    pub async fn create_label(
        &self,
        user: &User,
        key: &str,
        value: &str,
    ) -> Result<Label, ServiceError> {
        let key = label::normalise(key);
        let value = label::normalise(value);
        let conn = self.db.conn();
        let mut errors = label::errors_for("key", &key);
        if storage::labels::find(conn, user.id, &key, PUBLIC)
            .await?
            .is_some()
        {
            errors.push("key.taken".to_owned());
        }
        errors.extend(label::errors_for("value", &value));
        if !errors.is_empty() {
            return Err(ServiceError::validation(errors));
        }
        let created = storage::labels::insert(conn, user.id, &key, &value, PUBLIC).await?;
        tracing::info!(user.uid = %user.uid, label.key = %created.key, "public label created");
        Ok(created)
    }

    /// Changes the value of one of the user's public labels.
    pub async fn update_label(
        &self,
        user: &User,
        key: &str,
        value: &str,
    ) -> Result<Label, ServiceError> {
        let conn = self.db.conn();
        let found = managed(conn, user, key).await?;
        let value = label::normalise(value);
        let errors = label::errors_for("value", &value);
        if !errors.is_empty() {
            return Err(ServiceError::validation(errors));
        }
        Ok(storage::labels::set_value(conn, found, &value).await?)
    }

    /// Deletes one of the user's public labels.
    pub async fn delete_label(&self, user: &User, key: &str) -> Result<(), ServiceError> {
        let conn = self.db.conn();
        let found = managed(conn, user, key).await?;
        tracing::info!(user.uid = %user.uid, label.key = %found.key, "public label deleted");
        Ok(storage::labels::delete(conn, found.id).await?)
    }
}
