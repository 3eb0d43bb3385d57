//! SMTP connections kept open between messages, with TCP_NODELAY and, where the server offers it,
//! command pipelining.
//!
//! lettre's own pool writes a message and its closing `.` as two small writes on a socket without
//! TCP_NODELAY, so each message waits for the server's delayed ACK (about 40 ms on Linux): 89
//! messages per second on loopback with 4 connections. Opening the socket here, with Nagle's
//! algorithm off, and handing it to lettre's connection removes the wait.
//!
//! lettre's `send` waits for the reply to MAIL FROM, each RCPT TO and DATA in turn: four round trips
//! a message. When the server's EHLO lists PIPELINING (RFC 2920), MAIL FROM, the RCPT TOs and DATA
//! go out in one write and their replies are read in order, then the body: two round trips. lettre
//! still opens the session (STARTTLS, TLS on connect, AUTH), parses replies and dot-stuffs the body.

use std::fmt;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use lettre::address::Envelope;
use lettre::transport::smtp::Error;
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::transport::smtp::client::{AsyncSmtpConnection, TlsParameters};
use lettre::transport::smtp::commands::{Data, Ehlo, Mail, Rcpt, Rset};
use lettre::transport::smtp::extension::{ClientId, Extension, MailBodyParameter, MailParameter, ServerInfo};
use tokio::net::TcpStream;
use url::Url;

use super::SendError;

/// How long to wait for a session to open, and for the server to answer one message.
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
    session: Session,
    since: Instant,
}

/// One open SMTP session and what its server offers beyond lettre's own list.
struct Session {
    connection: AsyncSmtpConnection,
    pipelining: bool,
}

/// Whether a session can carry the next message, after one was sent or refused.
#[derive(Debug, PartialEq, Eq)]
enum Afterwards {
    Reuse,
    /// The server's state is unknown or mid-transaction: close the socket.
    Close,
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

    /// Sends one message. A session that failed is closed; a working one is kept for the next.
    pub(super) async fn send(&self, envelope: &Envelope, message: &[u8]) -> Result<(), SendError> {
        let mut session = match self.take_idle() {
            Some(session) => session,
            // The greeting, EHLO, STARTTLS and AUTH are reads too: a server that stalls in them is given up.
            None => tokio::time::timeout(TIMEOUT, self.connect())
                .await
                .map_err(|_| timed_out())??,
        };
        let (sent, afterwards) = match tokio::time::timeout(TIMEOUT, session.send(envelope, message)).await {
            Ok(outcome) => outcome,
            Err(_) => (Err(timed_out()), Afterwards::Close),
        };
        if afterwards == Afterwards::Reuse {
            self.give_back(session);
        }
        // Otherwise dropping the session closes its socket.
        sent
    }

    fn take_idle(&self) -> Option<Session> {
        let mut idle = self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        while let Some(entry) = idle.pop() {
            if entry.since.elapsed() < MAX_IDLE_TIME {
                return Some(entry.session);
            }
            // Dropping closes the socket; the server has likely closed its end already.
        }
        None
    }

    fn give_back(&self, session: Session) {
        let mut idle = self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if idle.len() < MAX_IDLE_CONNECTIONS {
            idle.push(Idle {
                session,
                since: Instant::now(),
            });
        }
    }

    async fn connect(&self) -> Result<Session, SendError> {
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
        // lettre keeps no note of PIPELINING: ask again (EHLO may be repeated, RFC 5321 4.1.4), after
        // STARTTLS (the list may change) and before AUTH (which a repeated EHLO might undo).
        let pipelining = match connection.command(Ehlo::new(hello.clone())).await {
            Ok(reply) => offers_pipelining(reply.message()),
            Err(error) => {
                connection.abort().await;
                return Err(error.into());
            }
        };
        if let Some(credentials) = credentials {
            connection
                .auth(&[Mechanism::Plain, Mechanism::Login], credentials)
                .await?;
        }
        Ok(Session { connection, pipelining })
    }
}

/// Whether an EHLO reply's lines (the first names the server) list the PIPELINING keyword.
fn offers_pipelining<'a>(mut lines: impl Iterator<Item = &'a str>) -> bool {
    lines.next();
    lines.any(|line| {
        line.split_whitespace()
            .next()
            .is_some_and(|keyword| keyword.eq_ignore_ascii_case("PIPELINING"))
    })
}

impl Session {
    async fn send(&mut self, envelope: &Envelope, message: &[u8]) -> (Result<(), SendError>, Afterwards) {
        if !self.pipelining {
            // lettre closes the connection itself on any failure.
            let sent = self.connection.send(envelope, message).await.map(drop);
            let afterwards = if sent.is_ok() && !self.connection.has_broken() {
                Afterwards::Reuse
            } else {
                Afterwards::Close
            };
            return (sent.map_err(SendError::from), afterwards);
        }
        let group = match Group::new(self.connection.server_info(), envelope, message) {
            Ok(group) => group,
            Err(error) => return (Err(error), Afterwards::Reuse),
        };
        // One write, then one reply per command in order. The first refusal is the one to report;
        // every reply is read all the same so the session stays in step.
        let replies = group.recipients.len() + 2;
        let mut refusal: Option<Error> = None;
        let mut data_accepted = false;
        for index in 0..replies {
            let reply = if index == 0 {
                self.connection.command(&group).await
            } else {
                self.connection.read_response().await
            };
            match reply {
                Ok(_) => data_accepted = index + 1 == replies,
                Err(error) if error.status().is_some() => {
                    refusal.get_or_insert(error);
                }
                // A broken or garbled reply: where the server stands is unknown.
                Err(error) => return (Err(error.into()), Afterwards::Close),
            }
        }
        match refusal {
            None => match self.body(message).await {
                Ok(_) => (Ok(()), Afterwards::Reuse),
                // The reply to the body ends the transaction either way.
                Err(error) if error.status().is_some() => (Err(error.into()), Afterwards::Reuse),
                Err(error) => (Err(error.into()), Afterwards::Close),
            },
            // DATA was accepted although a command before it was refused (RFC 2920 3.1 allows this):
            // the server now reads a body that will not come.
            Some(error) if data_accepted => (Err(error.into()), Afterwards::Close),
            // Nothing was accepted for delivery; RSET ends the half-open transaction.
            Some(error) => {
                let afterwards = match self.connection.command(Rset).await {
                    Ok(_) => Afterwards::Reuse,
                    Err(_) => Afterwards::Close,
                };
                (Err(error.into()), afterwards)
            }
        }
    }

    /// Sends the body after DATA's 354 and reads the server's verdict. lettre's own `message`
    /// dot-stuffs byte by byte and writes the closing `.` separately; a message is UTF-8 text here
    /// (lettre encodes every part), so it goes as one dot-stuffed write.
    async fn body(&mut self, message: &[u8]) -> Result<lettre::transport::smtp::response::Response, Error> {
        match std::str::from_utf8(message) {
            Ok(text) => self.connection.command(DotStuffed(text)).await,
            Err(_) => self.connection.message(message).await,
        }
    }
}

/// A message as sent after DATA: a `.` doubled at the start of every line (RFC 5321 4.5.2), then
/// the lone `.` that ends it.
struct DotStuffed<'a>(&'a str);

impl fmt::Display for DotStuffed<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut start = 0;
        // Dots are rare in encoded parts: finding each (memchr) beats looking at every line.
        for (dot, _) in text.match_indices('.') {
            if dot == 0 || text.as_bytes()[dot - 1] == b'\n' {
                f.write_str(&text[start..dot])?;
                f.write_str(".")?;
                start = dot;
            }
        }
        f.write_str(&text[start..])?;
        f.write_str(if text.ends_with("\r\n") { ".\r\n" } else { "\r\n.\r\n" })
    }
}

/// MAIL FROM, a RCPT TO for each recipient and DATA: the commands RFC 2920 lets a client send
/// without waiting, written as one.
struct Group {
    mail: Mail,
    recipients: Vec<Rcpt>,
}

impl Group {
    /// The same checks and MAIL parameters as lettre's own `send`.
    fn new(server: &ServerInfo, envelope: &Envelope, message: &[u8]) -> Result<Self, SendError> {
        let mut parameters = Vec::new();
        let non_ascii = envelope
            .from()
            .into_iter()
            .chain(envelope.to())
            .any(|address| !AsRef::<str>::as_ref(address).is_ascii());
        if non_ascii {
            if !server.supports_feature(Extension::SmtpUtfEight) {
                return Err(temporary(
                    "the envelope holds non-ASCII addresses but the SMTP server does not offer SMTPUTF8".to_owned(),
                ));
            }
            parameters.push(MailParameter::SmtpUtfEight);
        }
        if !message.is_ascii() {
            if !server.supports_feature(Extension::EightBitMime) {
                return Err(temporary(
                    "the message is not ASCII but the SMTP server does not offer 8BITMIME".to_owned(),
                ));
            }
            parameters.push(MailParameter::Body(MailBodyParameter::EightBitMime));
        }
        Ok(Group {
            mail: Mail::new(envelope.from().cloned(), parameters),
            recipients: envelope
                .to()
                .iter()
                .map(|to| Rcpt::new(to.clone(), Vec::new()))
                .collect(),
        })
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.mail)?;
        for recipient in &self.recipients {
            write!(f, "{recipient}")?;
        }
        write!(f, "{Data}")
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

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use lettre::Address;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    use super::*;

    /// How a scripted server answers: with or without PIPELINING in its EHLO, the reply to each
    /// message's RCPT TO (in turn, then 250), and its reply to DATA after a refused recipient.
    struct Script {
        pipelining: bool,
        rcpt_replies: Vec<&'static str>,
        data_after_refusal: &'static str,
    }

    /// What the server saw, one entry per event: `connect`, commands, body lines, `eof`.
    type Seen = Arc<Mutex<Vec<String>>>;

    /// A small SMTP server on loopback following `script`. With PIPELINING it reads MAIL FROM, RCPT TO
    /// and DATA before it answers any of them, so a client that waits after each command never gets
    /// a reply; without, it notes `alone` when a command arrived with nothing written after it.
    async fn scripted_server(script: Script) -> (String, Seen) {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("smtp://{}", listener.local_addr().expect("address"));
        let seen: Seen = Arc::default();
        let log = seen.clone();
        let script = Arc::new(Mutex::new(script));
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (log, script) = (log.clone(), script.clone());
                tokio::spawn(async move { serve(stream, &log, &script).await });
            }
        });
        (url, seen)
    }

    async fn serve(stream: TcpStream, seen: &Seen, script: &Mutex<Script>) {
        let note = |event: String| seen.lock().expect("log").push(event);
        note("connect".into());
        let (read, mut write) = stream.into_split();
        let mut read = BufReader::new(read);
        let pipelining = script.lock().expect("script").pipelining;
        write.write_all(b"220 test ESMTP\r\n").await.expect("greet");
        let mut line = String::new();
        loop {
            line.clear();
            if read.read_line(&mut line).await.unwrap_or(0) == 0 {
                note("eof".into());
                return;
            }
            let command = line.trim_end().to_owned();
            let verb = command
                .split([' ', ':'])
                .next()
                .unwrap_or_default()
                .to_ascii_uppercase();
            if !pipelining && read.buffer().is_empty() {
                note(format!("{verb} alone"));
            } else {
                note(verb.clone());
            }
            let reply = match verb.as_str() {
                "EHLO" if pipelining => "250-test\r\n250-PIPELINING\r\n250 8BITMIME\r\n".to_owned(),
                "EHLO" => "250-test\r\n250 8BITMIME\r\n".to_owned(),
                "MAIL" if pipelining => {
                    let mut replies = "250 2.1.0 ok\r\n".to_owned();
                    let mut refused = false;
                    loop {
                        line.clear();
                        read.read_line(&mut line).await.expect("the rest of the group");
                        let verb = line
                            .split([' ', ':'])
                            .next()
                            .unwrap_or_default()
                            .trim()
                            .to_ascii_uppercase();
                        note(verb.clone());
                        if verb == "DATA" {
                            break;
                        }
                        let rcpt = next_rcpt_reply(script);
                        refused |= !rcpt.starts_with('2');
                        replies.push_str(&format!("{rcpt}\r\n"));
                    }
                    let data = if refused {
                        script.lock().expect("script").data_after_refusal
                    } else {
                        "354 go ahead"
                    };
                    replies.push_str(&format!("{data}\r\n"));
                    write.write_all(replies.as_bytes()).await.expect("replies");
                    if !data.starts_with("354") {
                        continue;
                    }
                    read_body(&mut read, seen).await
                }
                "MAIL" => "250 2.1.0 ok".to_owned(),
                "RCPT" => next_rcpt_reply(script).to_owned(),
                "DATA" => {
                    write.write_all(b"354 go ahead\r\n").await.expect("354");
                    read_body(&mut read, seen).await
                }
                "RSET" => "250 2.0.0 ok".to_owned(),
                "QUIT" => {
                    let _ = write.write_all(b"221 bye\r\n").await;
                    return;
                }
                _ => "502 5.5.2 not implemented".to_owned(),
            };
            let reply = if reply.ends_with('\n') {
                reply
            } else {
                format!("{reply}\r\n")
            };
            if write.write_all(reply.as_bytes()).await.is_err() {
                return;
            }
        }
    }

    fn next_rcpt_reply(script: &Mutex<Script>) -> &'static str {
        let mut script = script.lock().expect("script");
        if script.rcpt_replies.is_empty() {
            "250 2.1.5 ok"
        } else {
            script.rcpt_replies.remove(0)
        }
    }

    /// Reads a body up to its lone `.`, noting each line as received; the reply to give.
    async fn read_body(read: &mut BufReader<tokio::net::tcp::OwnedReadHalf>, seen: &Seen) -> String {
        let mut line = String::new();
        loop {
            line.clear();
            if read.read_line(&mut line).await.unwrap_or(0) == 0 {
                return String::new();
            }
            if line == ".\r\n" {
                return "250 2.0.0 queued".to_owned();
            }
            seen.lock().expect("log").push(format!("body {}", line.trim_end()));
        }
    }

    fn envelope() -> Envelope {
        let address = |text: &str| text.parse::<Address>().expect("address");
        Envelope::new(
            Some(address("noreply@example.co.jp")),
            vec![address("taro@example.com")],
        )
        .expect("envelope")
    }

    const MESSAGE: &[u8] = b"Subject: test\r\n\r\nfirst line\r\n.leading dot\r\n";

    /// Sends with the test's own deadline, so a client waiting for a reply that never comes fails
    /// the test instead of hanging it.
    async fn send(pool: &SmtpPool) -> Result<(), SendError> {
        tokio::time::timeout(Duration::from_secs(10), pool.send(&envelope(), MESSAGE))
            .await
            .expect("the server answered")
    }

    fn events(seen: &Seen) -> Vec<String> {
        seen.lock().expect("log").clone()
    }

    fn occurrences(events: &[String], event: &str) -> usize {
        events.iter().filter(|seen| *seen == event).count()
    }

    #[test]
    fn pipelining_is_read_from_the_ehlo_keywords_not_the_server_name() {
        assert!(offers_pipelining(
            ["mx.example.jp", "SIZE 10240000", "pipelining", "8BITMIME"].into_iter()
        ));
        assert!(!offers_pipelining(
            ["PIPELINING", "SIZE 10240000", "X-PIPELINING-2"].into_iter()
        ));
        assert!(!offers_pipelining(std::iter::empty()));
    }

    #[test]
    fn dots_starting_lines_are_doubled_and_a_lone_dot_ends_the_message() {
        assert_eq!(
            DotStuffed(".first\r\nplain\r\n..two\r\nend. no\r\n").to_string(),
            "..first\r\nplain\r\n...two\r\nend. no\r\n.\r\n"
        );
        assert_eq!(DotStuffed("no line end").to_string(), "no line end\r\n.\r\n");
        assert_eq!(DotStuffed("bare\n.dot\r\n").to_string(), "bare\n..dot\r\n.\r\n");
    }

    #[test]
    fn a_group_is_mail_from_each_rcpt_to_and_data_in_one_text() {
        let server = ServerInfo::from_response(
            &"250-test\r\n250 8BITMIME\r\n"
                .parse::<lettre::transport::smtp::response::Response>()
                .expect("reply"),
        )
        .expect("server info");
        let group = Group::new(&server, &envelope(), MESSAGE).expect("group");
        assert_eq!(
            group.to_string(),
            "MAIL FROM:<noreply@example.co.jp>\r\nRCPT TO:<taro@example.com>\r\nDATA\r\n"
        );
    }

    #[tokio::test]
    async fn a_server_offering_pipelining_gets_the_envelope_in_one_go_and_a_dot_stuffed_body() {
        let (url, seen) = scripted_server(Script {
            pipelining: true,
            rcpt_replies: Vec::new(),
            data_after_refusal: "503 5.5.1 no valid recipients",
        })
        .await;
        let pool = SmtpPool::new(&url).expect("pool");

        send(&pool).await.expect("first sent");
        send(&pool).await.expect("second sent on the same session");

        let events = events(&seen);
        assert_eq!(occurrences(&events, "connect"), 1, "{events:?}");
        assert_eq!(occurrences(&events, "DATA"), 2, "{events:?}");
        assert!(events.contains(&"body ..leading dot".to_owned()), "{events:?}");
    }

    #[tokio::test]
    async fn a_recipient_refused_inside_a_pipelined_group_is_permanent_and_the_session_is_reset_and_kept() {
        let (url, seen) = scripted_server(Script {
            pipelining: true,
            rcpt_replies: vec!["550 5.1.1 mailbox unavailable"],
            data_after_refusal: "503 5.5.1 no valid recipients",
        })
        .await;
        let pool = SmtpPool::new(&url).expect("pool");

        let refused = send(&pool).await.expect_err("refused");
        send(&pool).await.expect("the next message goes through");

        assert!(refused.permanent, "{}", refused.message);
        assert!(refused.message.contains("550"), "{}", refused.message);
        let events = events(&seen);
        assert_eq!(occurrences(&events, "connect"), 1, "{events:?}");
        assert!(events.contains(&"RSET".to_owned()), "{events:?}");
        assert_eq!(occurrences(&events, "body Subject: test"), 1, "one body: {events:?}");
    }

    #[tokio::test]
    async fn data_accepted_after_a_refused_recipient_sends_no_body_and_closes_the_session() {
        let (url, seen) = scripted_server(Script {
            pipelining: true,
            rcpt_replies: vec!["451 4.3.0 try again later"],
            data_after_refusal: "354 go ahead",
        })
        .await;
        let pool = SmtpPool::new(&url).expect("pool");

        let refused = send(&pool).await.expect_err("refused");
        send(&pool).await.expect("the next message goes through a new session");

        assert!(!refused.permanent, "{}", refused.message);
        assert!(refused.message.contains("451"), "{}", refused.message);
        let events = events(&seen);
        assert_eq!(occurrences(&events, "connect"), 2, "{events:?}");
        assert_eq!(occurrences(&events, "body Subject: test"), 1, "one body: {events:?}");
    }

    #[tokio::test]
    async fn a_server_without_pipelining_gets_one_command_at_a_time() {
        let (url, seen) = scripted_server(Script {
            pipelining: false,
            rcpt_replies: Vec::new(),
            data_after_refusal: "503 5.5.1 no valid recipients",
        })
        .await;
        let pool = SmtpPool::new(&url).expect("pool");

        send(&pool).await.expect("first sent");
        send(&pool).await.expect("second sent on the same session");

        let events = events(&seen);
        for command in ["MAIL alone", "RCPT alone", "DATA alone"] {
            assert_eq!(occurrences(&events, command), 2, "{events:?}");
        }
        assert_eq!(occurrences(&events, "connect"), 1, "{events:?}");
    }
}
