//! The crash test: `breachdesk serve` as a child process sending a 6,860-recipient campaign to a
//! real SMTP server on loopback, killed with SIGKILL at several points and started again. Everyone
//! must receive the email at least once, and a second copy is possible only for the rows in flight
//! (`sending`) at a kill: at most the concurrency times the number of kills.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::str::FromStr;
use std::time::Duration;

use breachdesk_tests::campaign::{Smtp, customer_addresses, state_of, wait_for};
use sqlx::SqlitePool;
use sqlx::sqlite::SqliteConnectOptions;

const CONCURRENCY: i64 = 4;
const KILLS: usize = 3;

/// The binary under test: `BREACHDESK_BIN` when set (e.g. the release build), else the test build.
fn binary() -> PathBuf {
    std::env::var_os("BREACHDESK_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_breachdesk-under-test")))
}

fn command(data: &Path, smtp_url: &str) -> Command {
    let mut command = Command::new(binary());
    command
        .env(
            "DATABASE_URL",
            format!("sqlite://{}", data.join("breachdesk.db").display()),
        )
        .env("BREACHDESK_DATA_DIR", data)
        .env("SMTP_URL", smtp_url)
        .env("BREACHDESK_PUBLIC_URL", "http://127.0.0.1")
        .env("RUST_LOG", "warn");
    command
}

/// Starts `serve --demo` and waits until it serves (the demo is loaded by then).
fn serve(data: &Path, smtp_url: &str) -> Child {
    let mut child = command(data, smtp_url)
        .args(["serve", "--demo", "--listen", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server starts");
    let stdout = BufReader::new(child.stdout.take().expect("stdout"));
    let serving = stdout
        .lines()
        .map_while(Result::ok)
        .any(|line| line.starts_with("BreachDesk is serving"));
    if !serving {
        let _ = child.kill();
        let _ = child.wait();
        panic!("the server stopped before serving");
    }
    child
}

/// Runs `breachdesk campaign …` and returns its standard output.
fn campaign(data: &Path, smtp_url: &str, args: &[&str]) -> String {
    let output = command(data, smtp_url)
        .arg("campaign")
        .args(args)
        .output()
        .expect("the command line runs");
    assert!(
        output.status.success(),
        "campaign {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

async fn open(data: &Path) -> SqlitePool {
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", data.join("breachdesk.db").display()))
        .expect("url")
        .busy_timeout(Duration::from_secs(10));
    SqlitePool::connect_with(options)
        .await
        .expect("the test reads the database")
}

#[tokio::test(flavor = "multi_thread")]
async fn a_campaign_killed_three_times_mid_send_reaches_everyone_and_repeats_only_rows_in_flight() {
    let sink = Smtp::start("smtp_faults.py", None);
    let data = std::env::temp_dir().join(format!("breachdesk-crash-{}", std::process::id()));
    std::fs::create_dir_all(&data).expect("data folder");
    let url = sink.url();
    let mut server = serve(&data, &url);
    let pool = open(&data).await;
    // The demo leaves some customers without an address: give them one, so all 6,860 are recipients.
    sqlx::query("UPDATE customers SET email = 'customer-' || id || '@example.jp' WHERE email IS NULL OR email = ''")
        .execute(&pool)
        .await
        .expect("addresses for everyone");
    let addresses = customer_addresses(&pool).await;
    assert_eq!(addresses.len(), 6_860);
    // How many customers share each address (a family may share one): the copies each should get.
    let mut expected: HashMap<&str, u32> = HashMap::new();
    for address in &addresses {
        *expected.entry(address).or_default() += 1;
    }

    let id = campaign(
        &data,
        &url,
        &[
            "create",
            "--template",
            "apology-email",
            "--channel",
            "email",
            "--audience",
            "all",
            "--concurrency",
            &CONCURRENCY.to_string(),
        ],
    );
    let id = id.trim().to_owned();
    let campaign_id: i64 = id.parse().expect("create prints the id alone");
    campaign(&data, &url, &["start", &id]);

    let mut in_flight_at_kills = 0;
    for kill in 1..=KILLS {
        // Kill points spread over the run: after about a fifth, two fifths and three fifths.
        let target = 6_860 * kill / (KILLS + 2);
        wait_for(Duration::from_secs(180), "sending to progress", || async {
            (sink.received().values().sum::<u32>() as usize >= target).then_some(())
        })
        .await;
        server.kill().expect("SIGKILL");
        server.wait().expect("reaped");
        let (_, counts) = state_of(&pool, campaign_id).await;
        let sending = counts.get("sending").copied().unwrap_or_default();
        assert!(
            sending <= CONCURRENCY,
            "in flight {sending} never exceeds the concurrency"
        );
        in_flight_at_kills += sending;
        server = serve(&data, &url);
    }
    wait_for(Duration::from_secs(300), "the campaign to finish", || async {
        (state_of(&pool, campaign_id).await.0 == "finished").then_some(())
    })
    .await;
    // The SMTP server logs each message as it accepts it; give the last lines a moment.
    tokio::time::sleep(Duration::from_millis(300)).await;
    server.kill().expect("stop the server");
    server.wait().expect("reaped");

    let status: serde_json::Value =
        serde_json::from_str(&campaign(&data, &url, &["status", &id])).expect("status prints JSON");
    assert_eq!(status["state"], "finished");
    assert_eq!(status["counts"]["sent"], 6_860);
    assert_eq!(status["counts"]["sending"], 0);
    assert_eq!(status["concurrency"], CONCURRENCY);

    let received = sink.received();
    let got = |address: &str| received.get(address).copied().unwrap_or_default();
    let missed = expected
        .iter()
        .filter(|(address, copies)| got(address) < **copies)
        .count();
    assert_eq!(
        missed, 0,
        "{missed} addresses got fewer copies than customers they belong to"
    );
    let duplicates: i64 = expected
        .iter()
        .map(|(address, copies)| i64::from(got(address).saturating_sub(*copies)))
        .sum();
    println!("kills: {KILLS}, in flight at the kills: {in_flight_at_kills}, duplicates received: {duplicates}");
    assert!(
        duplicates <= in_flight_at_kills,
        "{duplicates} duplicates, but only {in_flight_at_kills} rows were in flight at the kills"
    );
    assert!(duplicates <= CONCURRENCY * KILLS as i64);
    pool.close().await;
    let _ = std::fs::remove_dir_all(&data);
}
