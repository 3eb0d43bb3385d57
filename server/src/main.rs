//! Entry point of the `breachdesk` binary.

use clap::Parser;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn")))
        .with_writer(std::io::stderr)
        .init();
    match breachdesk_server::cli::run(breachdesk_server::cli::Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            // One line: the outermost context, then its causes.
            eprintln!("breachdesk: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
