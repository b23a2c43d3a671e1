//! Labels set by staff: any scope, Barong's key/value rules, the level recomputed when a
//! private label changes. A private `document` label set to `verified` or `rejected`
//! is the KYC decision: it is audited under the topic `kyc` as well as `labels`, so
//! compliance can list every decision and who took it, and sent as
//! `system.document.verified` / `system.document.rejected` (on create and update; a
//! deleted label is not a decision, although Barong sent the event then too).

use serde_json::json;

use crate::domain::label::{PRIVATE, PUBLIC, errors_for, normalise};
use crate::domain::{ClientInfo, event};
use crate::services::{ErrorKind, ServiceError, Services, levels};
use crate::storage::{self, StorageError, labels::Label, users::User};

/// A label as an admin names it.
#[derive(Debug, Clone)]
pub struct LabelRef {
    /// Owner's uid.
    pub uid: String,
    /// Key.
    pub key: String,
    /// `public` or `private`.
    pub scope: String,
}

fn checked_scope(scope: &str, errors: &mut Vec<String>) -> String {
    let scope = scope.trim().to_owned();
    if scope != PUBLIC && scope != PRIVATE {
        errors.push("scope.inclusion".to_owned());
    }
    scope
}

/// Whether this change is a KYC decision.
fn kyc_decision(label: &Label) -> Option<&str> {
    (label.scope == PRIVATE
        && label.key == "document"
        && matches!(label.value.as_str(), "verified" | "rejected"))
    .then_some(label.value.as_str())
}

impl Services {
    async fn audit_label(
        &self,
        tx: &storage::Tx,
        admin: &User,
        client: &ClientInfo,
        action: &str,
        owner: &User,
        (label, before): (&Label, Option<&str>),
    ) -> Result<(), StorageError> {
        let mut data = json!({"key": label.key, "value": label.value, "scope": label.scope});
        if let (Some(before), Some(map)) = (before, data.as_object_mut()) {
            map.insert("from".to_owned(), json!(before));
        }
        super::audit(
            tx,
            admin,
            client,
            "labels",
            action,
            Some(&owner.uid),
            data.clone(),
        )
        .await?;
        if action != "delete"
            && let Some(decision) = kyc_decision(label)
        {
            super::audit(tx, admin, client, "kyc", decision, Some(&owner.uid), data).await?;
            let name = if decision == "verified" {
                event::DOCUMENT_VERIFIED
            } else {
                event::DOCUMENT_REJECTED
            };
            let payload = json!({"uid": owner.uid, "email": owner.email});
            storage::outbox::append(tx, name, &payload).await?;
        }
        Ok(())
    }

    /// `POST /admin/users/labels`: scope defaults to `public`.
    pub async fn admin_add_label(
        &self,
        admin: &User,
        target: LabelRef,
        value: &str,
        client: &ClientInfo,
    ) -> Result<Label, ServiceError> {
        let owner = self.target_of(admin, &target.uid).await?;
        let (key, value) = (normalise(&target.key), normalise(value));
        let mut errors = errors_for("key", &key);
        errors.extend(errors_for("value", &value));
        let scope = checked_scope(&target.scope, &mut errors);
        if !errors.is_empty() {
            return Err(ServiceError::validation(errors));
        }
        let tx = self.db.begin().await?;
        let label = storage::labels::insert(&tx, owner.id, &key, &value, &scope).await?;
        if scope == PRIVATE {
            levels::recompute(&tx, owner.id).await?;
        }
        self.audit_label(&tx, admin, client, "create", &owner, (&label, None))
            .await?;
        tx.commit().await.map_err(StorageError::from)?;
        Ok(label)
    }

    /// `PUT /admin/users/labels` and `POST /admin/users/labels/update`.
    pub async fn admin_change_label(
        &self,
        admin: &User,
        target: LabelRef,
        value: &str,
        client: &ClientInfo,
    ) -> Result<Label, ServiceError> {
        let owner = self.target_of(admin, &target.uid).await?;
        let value = normalise(value);
        let errors = errors_for("value", &value);
        if !errors.is_empty() {
            return Err(ServiceError::validation(errors));
        }
        let current = self.stored_label(&owner, &target).await?;
        let before = current.value.clone();
        let tx = self.db.begin().await?;
        let label = storage::labels::set_value(&tx, current, &value).await?;
        if label.scope == PRIVATE {
            levels::recompute(&tx, owner.id).await?;
        }
        self.audit_label(
            &tx,
            admin,
            client,
            "update",
            &owner,
            (&label, Some(&before)),
        )
        .await?;
        tx.commit().await.map_err(StorageError::from)?;
        Ok(label)
    }

    /// `DELETE /admin/users/labels`.
    pub async fn admin_delete_label(
        &self,
        admin: &User,
        target: LabelRef,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let owner = self.target_of(admin, &target.uid).await?;
        let current = self.stored_label(&owner, &target).await?;
        let tx = self.db.begin().await?;
        storage::labels::delete(&tx, current.id).await?;
        if current.scope == PRIVATE {
            levels::recompute(&tx, owner.id).await?;
        }
        self.audit_label(&tx, admin, client, "delete", &owner, (&current, None))
            .await?;
        tx.commit().await.map_err(StorageError::from)?;
        Ok(())
    }

    async fn stored_label(&self, owner: &User, target: &LabelRef) -> Result<Label, ServiceError> {
        storage::labels::find(
            self.db.conn(),
            owner.id,
            &normalise(&target.key),
            target.scope.trim(),
        )
        .await?
        .ok_or_else(|| ServiceError::new(ErrorKind::NotFound, "admin.label.doesnt_exist"))
    }

    /// `GET /admin/users/labels`: users holding the pair, each once.
    pub async fn users_with_label(
        &self,
        key: &str,
        value: &str,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<User>, u64), ServiceError> {
        Ok(storage::label_directory::users_with(
            self.db.conn(),
            &normalise(key),
            &normalise(value),
            offset,
            limit,
        )
        .await?)
    }

    /// `GET /admin/users/labels/list`: users per private (key, value).
    pub async fn private_label_counts(&self) -> Result<Vec<(String, String, i64)>, ServiceError> {
        Ok(storage::label_directory::private_counts(self.db.conn()).await?)
    }
}
