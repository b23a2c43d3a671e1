//! Operator commands that reuse the services: `barong users create` (one account,
//! e.g. the first superadmin of a new exchange) and `barong permissions load` (add the
//! rules of a Barong seeds file to a running installation).

use std::path::Path;

use anyhow::Context;

use crate::app::build_services;
use crate::config::Config;
use crate::services::seed::{SeedUser, Seeds};

/// Creates one user; prints the uid, and the password when it was generated.
pub async fn create_user(config: &Config, user: SeedUser) -> anyhow::Result<()> {
    let services = build_services(config).await?;
    let generated = services.create_user_for_operator(&user).await?;
    let created =
        crate::storage::users::find_by_email(services.db.conn(), &user.email.to_lowercase())
            .await?
            .context("user vanished after creation")?;
    println!(
        "created {} (uid {}, role {}, state {}, level {})",
        created.email, created.uid, created.role, created.state, created.level
    );
    if let Some(password) = generated {
        println!("generated password: {password}");
    }
    Ok(())
}

/// Adds the permissions (and levels) of a seeds file that the database lacks.
pub async fn load_permissions(config: &Config, file: &Path) -> anyhow::Result<()> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let seeds = Seeds::parse(&text)?;
    let services = build_services(config).await?;
    let report = services.seed_levels_and_permissions(&seeds).await?;
    println!(
        "permissions added: {} (of {} in the file), levels added: {}",
        report.permissions_added,
        seeds.permissions.len(),
        report.levels_added
    );
    Ok(())
}
