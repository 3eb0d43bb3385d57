//! Test support: start the real server on port 0 with a fresh SQLite file, and talk to it over HTTP.

pub mod campaign;
pub mod scan;

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use std::path::PathBuf;

use breachdesk::role::Role;
use breachdesk::staff::{DisplayName, NewPassword, StaffEmail};
use breachdesk_server::{RunningServer, Settings};
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use sqlx::SqlitePool;

/// A running server with its own database and data folder, removed when dropped.
pub struct TestApp {
    pub base_url: String,
    pub pool: SqlitePool,
    pub data_dir: PathBuf,
    pub admin_password: String,
    server: RunningServer,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.task.abort();
        let _ = std::fs::remove_dir_all(&self.data_dir);
    }
}

/// Starts the server the way `breachdesk serve --demo` does, on a free port.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// As [`spawn_app`], with more settings, e.g. `SMTP_URL` for a test mail server.
pub async fn spawn_app_with(more: &[(&str, &str)]) -> TestApp {
    let data_dir = std::env::temp_dir().join(format!("breachdesk-test-{}-{}", std::process::id(), unique()));
    std::fs::create_dir_all(&data_dir).expect("create the test data folder");
    let database_url = format!("sqlite://{}", data_dir.join("breachdesk.db").display());
    let data = data_dir.display().to_string();
    let settings = Settings::from_lookup(|name| match name {
        "DATABASE_URL" => Some(database_url.clone()),
        "BREACHDESK_DATA_DIR" => Some(data.clone()),
        "LEPTOS_SITE_ADDR" => Some("127.0.0.1:0".into()),
        other => more
            .iter()
            .find(|(name, _)| *name == other)
            .map(|(_, value)| (*value).to_owned()),
    })
    .expect("test settings");
    let server = breachdesk_server::start(&settings, true)
        .await
        .expect("start the server");
    TestApp {
        base_url: format!("http://{}", server.address),
        pool: server.pool.clone(),
        admin_password: server
            .first_admin_password
            .clone()
            .expect("a first admin on an empty database"),
        data_dir,
        server,
    }
}

fn unique() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// A browser-like client: keeps cookies, does not follow redirects, sends this site's Origin.
pub struct Visitor {
    pub client: Client,
    base_url: String,
}

impl TestApp {
    pub fn visitor(&self) -> Visitor {
        Visitor {
            client: Client::builder()
                .cookie_store(true)
                .redirect(Policy::none())
                .build()
                .expect("http client"),
            base_url: self.base_url.clone(),
        }
    }

    /// Creates a staff account directly in the database and returns its password.
    pub async fn add_staff(&self, email: &str, role: Role) -> String {
        let password = format!("{role}-password-long-enough");
        breachdesk::accounts::create(
            &self.pool,
            &StaffEmail::parse(email).expect("email"),
            &DisplayName::parse(role.as_str()).expect("name"),
            role,
            &NewPassword::parse(password.clone()).expect("password"),
        )
        .await
        .expect("create staff");
        password
    }

    /// A visitor signed in with a new account of the role (the first admin for `Admin`).
    pub async fn signed_in(&self, role: Role) -> Visitor {
        let visitor = self.visitor();
        let (email, password) = match role {
            Role::Admin => (
                breachdesk_server::FIRST_ADMIN_EMAIL.to_owned(),
                self.admin_password.clone(),
            ),
            other => {
                let email = format!("{other}-{}@example.jp", unique());
                let password = self.add_staff(&email, other).await;
                (email, password)
            }
        };
        let response = visitor.sign_in(&email, &password).await;
        assert_eq!(response.headers()["location"], "/", "{role} signs in");
        visitor
    }
}

impl Visitor {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    /// A form post from this site's own pages.
    pub async fn post_form(&self, path: &str, body: &str) -> Response {
        self.client
            .post(self.url(path))
            .header("origin", &self.base_url)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "application/json")
            .body(body.to_owned())
            .send()
            .await
            .expect("POST")
    }

    /// Posts a CSV file the way the upload pages' forms do: multipart, with the encoding field.
    pub async fn upload_csv(&self, path: &str, file_name: &str, file: &[u8], encoding: &str) -> Response {
        let boundary = "breachdesk-test-boundary-7d1f";
        let mut body = format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"encoding\"\r\n\r\n{encoding}\r\n\
             --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{file_name}\"\r\n\
             Content-Type: text/csv\r\n\r\n"
        )
        .into_bytes();
        body.extend_from_slice(file);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        self.client
            .post(self.url(path))
            .header("origin", &self.base_url)
            .header("content-type", format!("multipart/form-data; boundary={boundary}"))
            .body(body)
            .send()
            .await
            .expect("upload")
    }

    pub async fn sign_in(&self, email: &str, password: &str) -> Response {
        let body = format!("email={}&password={}&next=%2F", encode(email), encode(password));
        self.post_form("/auth/login", &body).await
    }
}

pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => char::from(byte).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

pub fn is_refused(status: StatusCode) -> bool {
    status == StatusCode::UNAUTHORIZED || status == StatusCode::FORBIDDEN
}

/// Everything logged down to debug from the first call on (the HTTP stack's own chatter left at info),
/// so a test can search it. One subscriber per test binary.
pub fn captured_logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let logs = Arc::new(Mutex::new(Vec::new()));
        let sink = logs.clone();
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(
                "debug,hyper=info,h2=info,tower=info,reqwest=info",
            ))
            .with_ansi(false)
            .with_writer(move || LogSink(sink.clone()))
            .init();
        logs
    })
    .clone()
}

struct LogSink(Arc<Mutex<Vec<u8>>>);

impl Write for LogSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("log buffer").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}
