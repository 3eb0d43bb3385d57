//! Entry point of the `breachdesk` binary.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    breachdesk_server::cli::main().await
}
