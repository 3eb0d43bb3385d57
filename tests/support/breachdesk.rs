//! `breachdesk-under-test`: the `breachdesk` command line for tests that start `serve` as a child
//! process and kill it. The same `cli::run` as `server/src/main.rs`; a separate binary only so that
//! cargo builds it next to the tests that run it (`CARGO_BIN_EXE_…`).

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
            eprintln!("breachdesk: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
