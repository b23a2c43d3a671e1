//! RBAC rules managed through the admin API. Every change is published on the cache
//! feed in its transaction, so the edge check of every instance applies it within a
//! second (Barong cleared only the serving process's cache, W15). Unlike Barong, every
//! verb and action the edge understands can be written, a rule is never stored twice,
//! and an update names the fields it changes explicitly (W8).

use serde_json::json;

use crate::domain::ClientInfo;
use crate::domain::permission::{normalise_path, parse_action, parse_verb};
use crate::services::{ErrorKind, ServiceError, Services};
use crate::storage::{
    self, StorageError,
    permissions::{NewPermission, Permission},
    users::User,
};

/// Fields of `PUT /admin/permissions`; `None` leaves a field as it is.
#[derive(Debug, Clone, Default)]
pub struct PermissionPatch {
    /// New role.
    pub role: Option<String>,
    /// New verb.
    pub verb: Option<String>,
    /// New path prefix.
    pub path: Option<String>,
    /// New action.
    pub action: Option<String>,
    /// New audit topic (`Some("")` clears it).
    pub topic: Option<String>,
}

fn unprocessable(key: &str) -> ServiceError {
    ServiceError::new(ErrorKind::Unprocessable, key)
}

fn not_found() -> ServiceError {
    ServiceError::new(ErrorKind::NotFound, "record.not_found")
}

/// Checks verb and action and normalises the rule; Barong's keys for each failure.
fn checked(rule: NewPermission) -> Result<NewPermission, ServiceError> {
    let mut errors = Vec::new();
    let verb = parse_verb(&rule.verb);
    if verb.is_none() {
        errors.push("admin.permissions.invalid_verb".to_owned());
    }
    let action = parse_action(&rule.action);
    if action.is_none() {
        errors.push("admin.permissions.invalid_action".to_owned());
    }
    let path = normalise_path(&rule.path);
    if path.is_empty() {
        errors.push("admin.permission.empty_path".to_owned());
    }
    match (verb, action, errors.is_empty()) {
        (Some(verb), Some(action), true) => Ok(NewPermission {
            role: rule.role.trim().to_owned(),
            verb: verb.to_owned(),
            path,
            action: action.to_owned(),
            topic: rule
                .topic
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty()),
        }),
        _ => Err(ServiceError::validation(errors)),
    }
}

fn rule_json(p: &Permission) -> serde_json::Value {
    json!({"id": p.id, "role": p.role, "verb": p.verb, "path": p.path,
           "action": p.action, "topic": p.topic})
}

impl Services {
    /// `GET /admin/permissions`: one page in id order and the total.
    pub async fn permissions_page(
        &self,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<Permission>, u64), ServiceError> {
        Ok(storage::permissions::page(self.db.conn(), offset, limit).await?)
    }

    /// `POST /admin/permissions`: the role must already exist (a new role cannot be
    /// introduced through the API, as in Barong); an identical rule is refused.
    pub async fn create_permission(
        &self,
        admin: &User,
        rule: NewPermission,
        client: &ClientInfo,
    ) -> Result<Permission, ServiceError> {
        let rule = checked(rule)?;
        let conn = self.db.conn();
        if !storage::permissions::role_exists(conn, &rule.role).await? {
            return Err(unprocessable("admin.permission.role_doesnt_exist"));
        }
        if storage::permissions::duplicate_exists(conn, &rule, None).await? {
            return Err(unprocessable("admin.permission.already_exists"));
        }
        // Reads above, writes only in the transaction: a SQLite transaction that reads
        // before it writes cannot wait for a concurrent writer and fails instead.
        let tx = self.db.begin().await?;
        let row = storage::permissions::insert(&tx, rule).await?;
        super::audit(
            &tx,
            admin,
            client,
            "permissions",
            "create",
            None,
            rule_json(&row),
        )
        .await?;
        tx.commit().await.map_err(StorageError::from)?;
        tracing::info!(admin.uid = %admin.uid, permission.id = row.id, "permission created");
        Ok(row)
    }

    /// `PUT /admin/permissions`: changes exactly the fields sent; nothing sent is
    /// `admin.permission.one_of_role_type_path_action`, nothing different is
    /// `admin.permission.<first field>_no_change`.
    pub async fn update_permission(
        &self,
        admin: &User,
        id: i64,
        patch: PermissionPatch,
        client: &ClientInfo,
    ) -> Result<Permission, ServiceError> {
        let sent: Vec<&str> = [
            ("role", patch.role.is_some()),
            ("verb", patch.verb.is_some()),
            ("path", patch.path.is_some()),
            ("action", patch.action.is_some()),
            ("topic", patch.topic.is_some()),
        ]
        .into_iter()
        .filter_map(|(name, present)| present.then_some(name))
        .collect();
        let Some(first) = sent.first().copied() else {
            return Err(unprocessable(
                "admin.permission.one_of_role_type_path_action",
            ));
        };
        let conn = self.db.conn();
        let current = storage::permissions::find(conn, id)
            .await?
            .ok_or_else(not_found)?;
        let rule = checked(NewPermission {
            role: patch.role.unwrap_or_else(|| current.role.clone()),
            verb: patch.verb.unwrap_or_else(|| current.verb.clone()),
            path: patch.path.unwrap_or_else(|| current.path.clone()),
            action: patch.action.unwrap_or_else(|| current.action.clone()),
            topic: patch.topic.or_else(|| current.topic.clone()),
        })?;
        let unchanged = rule.role == current.role
            && rule.verb == current.verb
            && rule.path == current.path
            && rule.action == current.action
            && rule.topic == current.topic;
        if unchanged {
            return Err(unprocessable(&format!(
                "admin.permission.{first}_no_change"
            )));
        }
        if rule.role != current.role && !storage::permissions::role_exists(conn, &rule.role).await?
        {
            return Err(unprocessable("admin.permission.role_doesnt_exist"));
        }
        if storage::permissions::duplicate_exists(conn, &rule, Some(id)).await? {
            return Err(unprocessable("admin.permission.already_exists"));
        }
        let tx = self.db.begin().await?;
        let row = storage::permissions::update(&tx, id, rule).await?;
        let data = json!({"before": rule_json(&current), "after": rule_json(&row)});
        super::audit(&tx, admin, client, "permissions", "update", None, data).await?;
        tx.commit().await.map_err(StorageError::from)?;
        tracing::info!(admin.uid = %admin.uid, permission.id = id, "permission updated");
        Ok(row)
    }

    /// `DELETE /admin/permissions`.
    pub async fn delete_permission(
        &self,
        admin: &User,
        id: i64,
        client: &ClientInfo,
    ) -> Result<(), ServiceError> {
        let current = storage::permissions::find(self.db.conn(), id)
            .await?
            .ok_or_else(not_found)?;
        let tx = self.db.begin().await?;
        if !storage::permissions::delete(&tx, id).await? {
            return Err(not_found());
        }
        super::audit(
            &tx,
            admin,
            client,
            "permissions",
            "delete",
            None,
            rule_json(&current),
        )
        .await?;
        tx.commit().await.map_err(StorageError::from)?;
        tracing::info!(admin.uid = %admin.uid, permission.id = id, "permission deleted");
        Ok(())
    }
}
