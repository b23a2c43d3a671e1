//! Command line: `serve`, `migrate`, `seed`, `keys rotate`. Each subcommand lives in its own file.

mod keys;
mod migrate;
mod seed;
mod serve;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::config::Config;

/// barong: edge authentication and authorization for crypto exchanges.
#[derive(Debug, Parser)]
#[command(name = "barong", version)]
pub struct Cli {
    /// TOML configuration file (also BARONG_CONFIG); environment variables override it.
    #[arg(long, global = true)]
    pub config: Option<PathBuf>,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Migrate the database, then serve HTTP until Ctrl-C or SIGTERM.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Load levels, permissions and users (Barong's seeds.yml format); idempotent.
    Seed {
        /// Seeds file; default: Barong's built-in seeds plus the configured admin.
        #[arg(long)]
        file: Option<PathBuf>,
    },
    /// Manage the JWT signing keys.
    Keys {
        /// What to do with the keys.
        #[command(subcommand)]
        action: KeysAction,
    },
}

/// `barong keys` subcommands.
#[derive(Debug, Subcommand)]
pub enum KeysAction {
    /// Generate a new signing key; the previous key stays in the JWKS for verification.
    Rotate,
}

/// Runs the parsed command.
pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = Config::load(cli.config.as_deref())?;
    crate::observability::init(&config);
    match cli.command {
        Command::Serve => serve::run(&config).await,
        Command::Migrate => migrate::run(&config).await,
        Command::Seed { file } => seed::run(&config, file.as_deref()).await,
        Command::Keys {
            action: KeysAction::Rotate,
        } => keys::rotate(&config),
    }
}
