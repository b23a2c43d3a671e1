//! Seeding in Barong's `seeds.yml` format (levels, permissions, users), idempotent:
//! existing levels, identical permissions and existing emails are skipped, so running
//! it twice changes nothing.

use serde::Deserialize;

use crate::crypto::{password, random};
use crate::domain::{Email, Uid};
use crate::services::{Services, levels};
use crate::storage::{self, StorageError, permissions::NewPermission, users::NewUser};

/// Barong's default seeds, built in.
pub const DEFAULT_SEEDS: &str = include_str!("default_seeds.yml");

/// A seeds file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Seeds {
    /// KYC ladder, in level order.
    #[serde(default)]
    pub levels: Vec<SeedLevel>,
    /// Accounts to create.
    #[serde(default)]
    pub users: Vec<SeedUser>,
    /// RBAC rows.
    #[serde(default)]
    pub permissions: Vec<SeedPermission>,
}

/// A level entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedLevel {
    /// Label key.
    pub key: String,
    /// Label value.
    pub value: String,
    /// Description.
    #[serde(default)]
    pub description: String,
}

/// A user entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedUser {
    /// Email (required).
    pub email: String,
    /// Password; absent: the configured admin password, else a random one (reported).
    #[serde(default)]
    pub password: Option<String>,
    /// Role.
    #[serde(default = "default_role")]
    pub role: String,
    /// State.
    #[serde(default = "default_state")]
    pub state: String,
    /// Level: private labels of levels 1..=level are added.
    #[serde(default)]
    pub level: usize,
}

fn default_role() -> String {
    "member".to_owned()
}

fn default_state() -> String {
    "active".to_owned()
}

/// A permission entry.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeedPermission {
    /// Role.
    pub role: String,
    /// Verb.
    pub verb: String,
    /// Path prefix.
    pub path: String,
    /// Action.
    pub action: String,
    /// Audit topic.
    #[serde(default)]
    pub topic: Option<String>,
}

/// What a seeding run changed.
#[derive(Debug, Default)]
pub struct SeedReport {
    /// Levels added.
    pub levels_added: usize,
    /// Permissions added.
    pub permissions_added: usize,
    /// Users created, with the generated password when none was given.
    pub users_created: Vec<(String, Option<String>)>,
}

/// A seeding failure with a message for the operator.
#[derive(Debug, thiserror::Error)]
pub enum SeedError {
    /// The file is not valid seeds YAML.
    #[error("seeds file: {0}")]
    Parse(String),
    /// An entry is inconsistent (bad email, level beyond the ladder).
    #[error("seeds: {0}")]
    Invalid(String),
    /// The database failed.
    #[error("seeds: {0}")]
    Storage(#[from] StorageError),
}

impl Seeds {
    /// Parses a seeds file.
    pub fn parse(yaml: &str) -> Result<Self, SeedError> {
        serde_yaml::from_str(yaml).map_err(|e| SeedError::Parse(e.to_string()))
    }
}

impl Services {
    /// Applies `seeds`; `admin` is the user added when the file lists none
    /// (`admin_email`, `admin_password` from the configuration).
    pub async fn seed(
        &self,
        seeds: &Seeds,
        admin: Option<SeedUser>,
    ) -> Result<SeedReport, SeedError> {
        let mut report = self.seed_levels_and_permissions(seeds).await?;
        let ladder = storage::levels::ladder(self.db.conn()).await?;
        let users: Vec<SeedUser> = if seeds.users.is_empty() {
            admin.into_iter().collect()
        } else {
            seeds.users.clone()
        };
        for user in users {
            if user.level > ladder.len() {
                return Err(SeedError::Invalid(format!(
                    "user {} has level {} but only {} levels exist",
                    user.email,
                    user.level,
                    ladder.len()
                )));
            }
            if let Some(generated) = self.seed_user(&user, &ladder).await? {
                report.users_created.push((user.email.clone(), generated));
            }
        }
        Ok(report)
    }

    /// Applies only levels and permissions (what `serve` does on an empty database).
    pub async fn seed_levels_and_permissions(
        &self,
        seeds: &Seeds,
    ) -> Result<SeedReport, SeedError> {
        let conn = self.db.conn();
        let mut report = SeedReport::default();
        for level in &seeds.levels {
            if storage::levels::insert_if_missing(
                conn,
                &level.key,
                &level.value,
                &level.description,
            )
            .await?
            {
                report.levels_added += 1;
            }
        }
        for p in &seeds.permissions {
            let new = NewPermission {
                role: p.role.clone(),
                verb: p.verb.clone(),
                path: p.path.clone(),
                action: p.action.clone(),
                topic: p.topic.clone(),
            };
            if storage::permissions::insert_if_missing(conn, new).await? {
                report.permissions_added += 1;
            }
        }
        Ok(report)
    }

    /// `barong users create`: one account for an operator. Unlike seeding, an existing
    /// email, an unknown role or a weak password is an error, not a silent skip.
    /// Returns the generated password when none was given.
    pub async fn create_user_for_operator(
        &self,
        user: &SeedUser,
    ) -> Result<Option<String>, SeedError> {
        if let Some(password) = &user.password {
            let errors = crate::services::identity::password_errors(password);
            if !errors.is_empty() {
                return Err(SeedError::Invalid(format!(
                    "password rejected: {}",
                    errors.join(", ")
                )));
            }
        }
        if !storage::permissions::role_exists(self.db.conn(), &user.role).await? {
            return Err(SeedError::Invalid(format!(
                "role '{}' is not named by any permission",
                user.role
            )));
        }
        let ladder = storage::levels::ladder(self.db.conn()).await?;
        if user.level > ladder.len() {
            return Err(SeedError::Invalid(format!(
                "level {} but only {} levels exist",
                user.level,
                ladder.len()
            )));
        }
        self.seed_user(user, &ladder)
            .await?
            .ok_or_else(|| SeedError::Invalid(format!("{} already exists", user.email)))
    }

    /// Creates one seeded user unless the email exists; returns `Some(generated
    /// password or None)` when created.
    async fn seed_user(
        &self,
        user: &SeedUser,
        ladder: &[crate::domain::level::LevelRung],
    ) -> Result<Option<Option<String>>, SeedError> {
        let email = Email::parse(&user.email)
            .ok_or_else(|| SeedError::Invalid(format!("'{}' is not a valid email", user.email)))?;
        if storage::users::find_by_email(self.db.conn(), email.as_str())
            .await?
            .is_some()
        {
            return Ok(None);
        }
        let (plain, generated) = match &user.password {
            Some(p) => (p.clone(), None),
            None => {
                let p = random::url_token();
                (p.clone(), Some(p))
            }
        };
        let digest = password::hash(&plain)
            .await
            .map_err(|e| SeedError::Invalid(e.to_string()))?;
        let tx = self.db.begin().await?;
        let created = storage::users::insert(
            &tx,
            NewUser {
                uid: Uid::generate().as_str().to_owned(),
                email: email.as_str().to_owned(),
                password_digest: digest,
                role: user.role.clone(),
                state: user.state.clone(),
                referral_id: None,
            },
        )
        .await?;
        for rung in ladder.iter().take(user.level) {
            levels::set_private_label(&tx, created.id, &rung.key, &rung.value).await?;
        }
        tx.commit().await.map_err(StorageError::from)?;
        Ok(Some(generated))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_seeds_parse_with_barong_table() {
        let seeds = Seeds::parse(DEFAULT_SEEDS).unwrap();
        assert_eq!(seeds.levels.len(), 3);
        assert_eq!(seeds.levels[0].key, "email");
        assert!(
            seeds
                .permissions
                .iter()
                .any(|p| p.role == "member" && p.path == "api/v2/barong/resource")
        );
        assert!(
            seeds
                .permissions
                .iter()
                .any(|p| p.role == "admin" && p.action == "drop")
        );
        assert!(Seeds::parse("levels: 3").is_err());
    }
}
