//! Shared by the campaign tests: the loopback SMTP servers of `support/`, waiting for a campaign,
//! and a demo trimmed to a few customers.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;
use sqlx::SqlitePool;

/// A Python SMTP server from `tests/support/`, stopped when dropped.
pub struct Smtp {
    child: Child,
    pub port: u16,
    pub folder: PathBuf,
}

impl Smtp {
    /// `smtp_sink.py` (every message decoded to JSON) or `smtp_faults.py` (a log line per message,
    /// misbehaving as `rules` say).
    pub fn start(script: &str, rules: Option<Value>) -> Smtp {
        Smtp::start_on(free_port(), script, rules)
    }

    /// As [`Smtp::start`], on a port chosen beforehand (the server under test was told it first).
    pub fn start_on(port: u16, script: &str, rules: Option<Value>) -> Smtp {
        let folder = std::env::temp_dir().join(format!("breachdesk-campaign-smtp-{}-{port}", std::process::id()));
        std::fs::create_dir_all(&folder).expect("sink folder");
        let mut args = vec![
            format!("{}/support/{script}", env!("CARGO_MANIFEST_DIR")),
            port.to_string(),
            folder.display().to_string(),
        ];
        if let Some(rules) = rules {
            let path = folder.join("rules.json");
            std::fs::write(&path, rules.to_string()).expect("rules");
            args.push(path.display().to_string());
        }
        // Debian's interpreter, which python3-aiosmtpd installs into.
        let mut child = Command::new("/usr/bin/python3")
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd (make setup-test installs python3-aiosmtpd)");
        let mut ready = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut ready)
            .expect("the SMTP server starts");
        assert_eq!(ready.trim(), "ready", "the SMTP server did not start");
        Smtp { child, port, folder }
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// From `smtp_faults.py`: how many messages each recipient received.
    pub fn received(&self) -> HashMap<String, u32> {
        let log = std::fs::read_to_string(self.folder.join("received.log")).unwrap_or_default();
        let mut counts = HashMap::new();
        for line in log.lines() {
            let recipient = line.split('\t').next().unwrap_or_default().to_lowercase();
            *counts.entry(recipient).or_insert(0) += 1;
        }
        counts
    }

    /// From `smtp_sink.py`: the decoded messages, in order of arrival.
    pub fn messages(&self) -> Vec<Value> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.folder)
            .map(|entries| entries.filter_map(Result::ok).map(|entry| entry.path()).collect())
            .unwrap_or_default();
        names.retain(|path| path.extension().is_some_and(|ext| ext == "json") && !path.ends_with("rules.json"));
        names.sort();
        names
            .iter()
            .map(|path| serde_json::from_slice(&std::fs::read(path).expect("json")).expect("valid json"))
            .collect()
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// A port the system just handed out: free for a server to take a moment later.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port()
}

/// Leaves only the first `keep` customers with an email address in the audiences (the rest marked
/// purged, which every audience leaves out), so a test does not wait for all 6,860.
pub async fn keep_first(pool: &SqlitePool, keep: i64) {
    sqlx::query(
        "UPDATE customers SET purged_at = '2018-01-01T00:00:00Z' WHERE id NOT IN \
         (SELECT id FROM customers WHERE email IS NOT NULL AND email <> '' ORDER BY id LIMIT ?)",
    )
    .bind(keep)
    .execute(pool)
    .await
    .expect("trim the customers");
}

/// Polls `check` every 100 ms until it answers `Some`, or fails the test after `limit`.
pub async fn wait_for<T, F, Fut>(limit: Duration, what: &str, mut check: F) -> T
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = Option<T>>,
{
    let started = Instant::now();
    loop {
        if let Some(value) = check().await {
            return value;
        }
        assert!(
            started.elapsed() < limit,
            "timed out after {limit:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// The campaign's state and its deliveries per state.
pub async fn state_of(pool: &SqlitePool, id: i64) -> (String, HashMap<String, i64>) {
    let state: String = sqlx::query_scalar("SELECT state FROM campaigns WHERE id = ?")
        .bind(id)
        .fetch_one(pool)
        .await
        .expect("campaign");
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT state, COUNT(*) FROM deliveries WHERE campaign_id = ? GROUP BY state")
            .bind(id)
            .fetch_all(pool)
            .await
            .expect("counts");
    (state, rows.into_iter().collect())
}

/// Lowercased email addresses of every customer who has one.
pub async fn customer_addresses(pool: &SqlitePool) -> Vec<String> {
    sqlx::query_scalar("SELECT lower(email) FROM customers WHERE email IS NOT NULL AND email <> '' ORDER BY id")
        .fetch_all(pool)
        .await
        .expect("addresses")
}
