//! `barong seed [--file seeds.yml]`.

use std::path::Path;

use anyhow::Context;

use crate::app::build_services;
use crate::config::Config;
use crate::services::seed::{DEFAULT_SEEDS, SeedUser, Seeds};

/// Seeds the database and prints what changed (and any generated password, once).
pub async fn run(config: &Config, file: Option<&Path>) -> anyhow::Result<()> {
    let text = match file {
        Some(path) => std::fs::read_to_string(path)
            .with_context(|| format!("cannot read {}", path.display()))?,
        None => DEFAULT_SEEDS.to_owned(),
    };
    let seeds = Seeds::parse(&text)?;
    let services = build_services(config).await?;
    let admin = SeedUser {
        email: config.admin_email.clone(),
        password: config
            .admin_password
            .as_ref()
            .map(|p| p.expose().to_owned()),
        role: "admin".to_owned(),
        state: "active".to_owned(),
        level: 3.min(seeds.levels.len()),
    };
    let report = services.seed(&seeds, Some(admin)).await?;
    println!(
        "levels added: {}, permissions added: {}, users created: {}",
        report.levels_added,
        report.permissions_added,
        report.users_created.len()
    );
    for (email, generated) in report.users_created {
        match generated {
            Some(password) => println!("created {email} with generated password: {password}"),
            None => println!("created {email}"),
        }
    }
    Ok(())
}
