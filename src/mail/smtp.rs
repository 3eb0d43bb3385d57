//! SMTP connections kept open between messages, with TCP_NODELAY.
//!
//! lettre's own pool writes a message and its closing `.` as two small writes on a socket without
//! TCP_NODELAY, so each message waits for the server's delayed ACK (about 40 ms on Linux): 89
//! messages per second on loopback with 4 connections. Opening the socket here, with Nagle's
//! algorithm off, and handing it to lettre's connection removes the wait.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::Error;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use tokio::net::TcpStream;
use url::Url;

use super::SendError;

/// How long to wait for a connection, and for the server to answer one message.
const TIMEOUT: Duration = Duration::from_secs(60);
/// Servers close idle sessions after a few minutes (RFC 5321 4.5.3.2 allows 5); a connection idle
/// longer than this is closed rather than reused, so a send never starts on a dead socket.
const MAX_IDLE_TIME: Duration = Duration::from_secs(30);
/// Connections kept open between messages: more than any campaign's concurrency needs.
const MAX_IDLE_CONNECTIONS: usize = 64;

/// What an `SMTP_URL` says, read the way lettre's `from_url` reads it: `smtp://host:port` (plain),
/// `?tls=required` or `?tls=opportunistic` (STARTTLS), `smtps://` (TLS on connect), optional
/// `user:password@` and an optional `/ehlo-name` path.
#[derive(Clone)]
struct Settings {
    host: String,
    port: u16,
    security: Security,
    credentials: Option<Credentials>,
    hello: ClientId,
}

#[derive(Clone)]
enum Security {
    Plain,
    StartTls { required: bool, parameters: TlsParameters },
    Wrapper(TlsParameters),
}

const SMTP_PORT: u16 = 25;
const SUBMISSION_PORT: u16 = 587;
const SUBMISSIONS_PORT: u16 = 465;

impl Settings {
    fn parse(url: &str) -> Result<Self, String> {
        let url = Url::parse(url).map_err(|error| error.to_string())?;
        let host = url.host_str().ok_or("the URL names no host")?.to_owned();
        let tls = url
            .query_pairs()
            .find(|(key, _)| key == "tls")
            .map(|(_, value)| value.into_owned());
        let parameters = || TlsParameters::new(host.clone()).map_err(|error| error.to_string());
        let (security, default_port) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (Security::Plain, SMTP_PORT),
            ("smtp", Some(mode @ ("required" | "opportunistic"))) => (
                Security::StartTls {
                    required: mode == "required",
                    parameters: parameters()?,
                },
                SUBMISSION_PORT,
            ),
            ("smtps", _) => (Security::Wrapper(parameters()?), SUBMISSIONS_PORT),
            (scheme, tls) => return Err(format!("unknown scheme {scheme:?} or tls setting {tls:?}")),
        };
        let decode = |text: &str| {
            percent_encoding::percent_decode_str(text)
                .decode_utf8_lossy()
                .into_owned()
        };
        let credentials = url
            .password()
            .map(|password| Credentials::new(decode(url.username()), decode(password)));
        let path = url.path().trim_matches('/');
        let hello = if path.is_empty() {
            ClientId::default()
        } else {
            ClientId::Domain(path.to_owned())
        };
        Ok(Settings {
            port: url.port().unwrap_or(default_port),
            host,
            security,
            credentials,
            hello,
        })
    }
}

/// Checks an `SMTP_URL` without connecting.
pub(super) fn check_url(url: &str) -> Result<(), String> {
    Settings::parse(url).map(drop)
}

struct Idle {
    connection: AsyncSmtpConnection,
    since: Instant,
}

/// Open SMTP sessions shared by every sender; each message borrows one and gives it back.
pub(super) struct SmtpPool {
    settings: Settings,
    idle: Mutex<Vec<Idle>>,
}

impl SmtpPool {
    pub(super) fn new(url: &str) -> Result<Self, String> {
        Ok(SmtpPool {
            settings: Settings::parse(url)?,
            idle: Mutex::new(Vec::new()),
        })
    }

    /// Sends one message. A connection that failed is closed; a working one is kept for the next.
    pub(super) async fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), SendError> {
        let mut connection = match self.take_idle() {
            Some(connection) => connection,
            None => self.connect().await?,
        };
        let sent = match tokio::time::timeout(TIMEOUT, connection.send(envelope, message)).await {
            Ok(result) => result.map(drop).map_err(SendError::from),
            Err(_) => Err(timed_out()),
        };
        if sent.is_ok() && !connection.has_broken() {
            self.give_back(connection);
        } else {
            connection.abort().await;
        }
        sent
    }

    fn take_idle(&self) -> Option<AsyncSmtpConnection> {
        let mut idle = self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while let Some(entry) = idle.pop() {
            if entry.since.elapsed() < MAX_IDLE_TIME {
                return Some(entry.connection);
            }
            // Dropping closes the socket; the server has likely closed its end already.
        }
        None
    }

    fn give_back(&self, connection: AsyncSmtpConnection) {
        let mut idle = self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if idle.len() < MAX_IDLE_CONNECTIONS {
            idle.push(Idle {
                connection,
                since: Instant::now(),
            });
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, SendError> {
        let Settings {
            host,
            port,
            security,
            credentials,
            hello,
        } = &self.settings;
        let mut connection = match security {
            // lettre wraps the socket in TLS itself; Nagle stays on, TLS records are written whole.
            Security::Wrapper(parameters) => {
                AsyncSmtpConnection::connect_tokio1(
                    (host.as_str(), *port),
                    Some(TIMEOUT),
                    hello,
                    Some(parameters.clone()),
                    None,
                )
                .await?
            }
            Security::Plain | Security::StartTls { .. } => {
                let stream = tokio::time::timeout(TIMEOUT, TcpStream::connect((host.as_str(), *port)))
                    .await
                    .map_err(|_| timed_out())?
                    .map_err(connection_error)?;
                stream.set_nodelay(true).map_err(connection_error)?;
                AsyncSmtpConnection::connect_with_transport(Box::new(stream), hello).await?
            }
        };
        if let Security::StartTls { required, parameters } = security {
            if connection.can_starttls() {
                connection.starttls(parameters.clone(), hello).await?;
            } else if *required {
                connection.abort().await;
                return Err(temporary(
                    "the SMTP server does not offer STARTTLS, which SMTP_URL requires".to_owned(),
                ));
            }
        }
        if let Some(credentials) = credentials {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await?;
        }
        Ok(connection)
    }
}

fn temporary(message: String) -> SendError {
    SendError {
        permanent: false,
        message,
    }
}

fn connection_error(error: std::io::Error) -> SendError {
    temporary(format!("connection: {error}"))
}

fn timed_out() -> SendError {
    temporary("timed out waiting for the SMTP server".to_owned())
}

impl From<Error> for SendError {
    fn from(error: Error) -> Self {
        SendError {
            permanent: error.is_permanent(),
            message: error.to_string(),
        }
    }
}
