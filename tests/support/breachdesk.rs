//! `breachdesk-under-test`: the `breachdesk` command line for tests that start `serve` as a child
//! process and kill it. The same `cli::main` as `server/src/main.rs`; a separate binary only so that
//! cargo builds it next to the tests that run it (`CARGO_BIN_EXE_…`).

#[tokio::main]
async fn main() -> std::process::ExitCode {
    breachdesk_server::cli::main().await
}
