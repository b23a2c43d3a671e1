//! The `barong` binary: parses the command line and hands over to `cli`.

use clap::Parser;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    let cli = barong::cli::Cli::parse();
    match barong::cli::run(cli).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("barong: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
