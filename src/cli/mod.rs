//! Command line: `serve`, `migrate`, `seed`, `keys rotate`, `users create`,
//! `permissions load`. Each subcommand lives in its own file.

mod keys;
mod migrate;
mod operator;
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
    /// Manage user accounts.
    Users {
        /// What to do.
        #[command(subcommand)]
        action: UsersAction,
    },
    /// Manage the RBAC permission table.
    Permissions {
        /// What to do.
        #[command(subcommand)]
        action: PermissionsAction,
    },
}

/// `barong users` subcommands.
#[derive(Debug, Subcommand)]
pub enum UsersAction {
    /// Create one account (the role must be named by a permission).
    Create {
        /// Email address.
        #[arg(long)]
        email: String,
        /// Password (also BARONG_USER_PASSWORD, which keeps it out of `ps`); generated
        /// and printed once when absent.
        #[arg(long, env = "BARONG_USER_PASSWORD", hide_env_values = true)]
        password: Option<String>,
        /// Role.
        #[arg(long, default_value = "member")]
        role: String,
        /// State.
        #[arg(long, default_value = "active")]
        state: String,
        /// Levels granted (private labels of the first N rungs of the ladder).
        #[arg(long, default_value_t = 1)]
        level: usize,
    },
}

/// `barong permissions` subcommands.
#[derive(Debug, Subcommand)]
pub enum PermissionsAction {
    /// Add the permissions of a Barong seeds file that are missing (idempotent).
    Load {
        /// Seeds file (`permissions:` list; `levels:` are added too).
        file: PathBuf,
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
    let _telemetry = crate::observability::init(&config);
    match cli.command {
        Command::Serve => serve::run(&config).await,
        Command::Migrate => migrate::run(&config).await,
        Command::Seed { file } => seed::run(&config, file.as_deref()).await,
        Command::Keys {
            action: KeysAction::Rotate,
        } => keys::rotate(&config),
        Command::Users {
            action:
                UsersAction::Create {
                    email,
                    password,
                    role,
                    state,
                    level,
                },
        } => {
            let user = crate::services::seed::SeedUser {
                email,
                password,
                role,
                state,
                level,
            };
            operator::create_user(&config, user).await
        }
        Command::Permissions {
            action: PermissionsAction::Load { file },
        } => operator::load_permissions(&config, &file).await,
    }
}
