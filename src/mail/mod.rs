//! Email out: builds a customer's message (multipart text + HTML, UTF-8, From and Reply-To from the
//! incident) and hands it to the configured transport, an `.eml` outbox folder or an SMTP server.

use std::path::PathBuf;
use std::sync::Arc;

use lettre::message::header::ContentType;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::{Address, AsyncFileTransport, AsyncTransport, Message, Tokio1Executor};

use crate::customer::Email;
use crate::incident::MailAddress;
use crate::template::RenderedEmail;
use smtp::SmtpPool;

mod smtp;

/// Where emails go: chosen once at start-up from the settings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MailSettings {
    /// Write each message as an `.eml` file into this folder (the default: nothing leaves the machine).
    Outbox(PathBuf),
    /// Deliver through an SMTP server.
    Smtp(SmtpUrl),
}

/// An SMTP connection URL that lettre accepts: `smtp://host:port` (plain, for a relay on loopback),
/// `smtp://user:password@host:587?tls=required` (STARTTLS) or `smtps://user:password@host` (TLS on connect).
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpUrl(String);

/// Why `SMTP_URL` was refused.
#[derive(Debug, thiserror::Error)]
#[error(
    "SMTP_URL is not an SMTP URL such as smtp://127.0.0.1:2525 or smtp://user:password@smtp.example.jp:587?tls=required: {0}"
)]
pub struct SmtpUrlError(String);

impl SmtpUrl {
    pub fn parse(url: &str) -> Result<Self, SmtpUrlError> {
        smtp::check_url(url).map_err(SmtpUrlError)?;
        Ok(SmtpUrl(url.to_owned()))
    }
}

impl std::fmt::Debug for SmtpUrl {
    /// The URL may hold a password: only the scheme and host are shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (scheme, rest) = self.0.split_once("://").unwrap_or(("?", &self.0));
        let host = rest.rsplit_once('@').map_or(rest, |(_, host)| host);
        write!(f, "SmtpUrl({scheme}://{host})")
    }
}

/// Why a message could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("the incident has no From address; an admin sets it on the Settings page")]
    NoFromAddress,
    #[error("{0} is not an address the mail library accepts")]
    Address(String),
    #[error("the message could not be built: {0}")]
    Message(#[from] lettre::error::Error),
}

/// Why a message was not accepted for delivery.
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct SendError {
    /// The server refused it for good (a 5xx reply): retrying will not help.
    pub permanent: bool,
    /// The transport's description, without the message's content.
    pub message: String,
}

/// A message ready to send, with the Message-ID to record against the customer.
pub struct OutgoingEmail {
    pub message: Message,
    /// Without angle brackets, e.g. `3f2a…@hawaiians-mall.com`.
    pub message_id: String,
}

/// The addresses an email goes from and to.
pub struct Envelope<'a> {
    pub from: Option<&'a MailAddress>,
    pub reply_to: Option<&'a MailAddress>,
    pub to_name: Option<&'a str>,
    pub to: &'a Email,
}

/// Builds the message: multipart/alternative (plain text first, HTML preferred), UTF-8 with the
/// subject and display names encoded as RFC 2047 words by lettre, a Date, and a Message-ID in the
/// From address's domain so bounces can be matched back to the customer.
pub fn build(envelope: &Envelope<'_>, content: &RenderedEmail) -> Result<OutgoingEmail, BuildError> {
    let from = envelope.from.ok_or(BuildError::NoFromAddress)?;
    let message_id = format!("{}@{}", unique_token(), from.domain());
    let mut builder = Message::builder()
        .from(mailbox(from.name(), from.email())?)
        .to(mailbox(envelope.to_name, envelope.to)?)
        .subject(content.subject.as_str())
        .message_id(Some(format!("<{message_id}>")))
        .date_now();
    if let Some(reply_to) = envelope.reply_to {
        builder = builder.reply_to(mailbox(reply_to.name(), reply_to.email())?);
    }
    let message = builder.multipart(
        MultiPart::alternative()
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_PLAIN)
                    .body(content.text.clone()),
            )
            .singlepart(
                SinglePart::builder()
                    .header(ContentType::TEXT_HTML)
                    .body(content.html.clone()),
            ),
    )?;
    Ok(OutgoingEmail { message, message_id })
}

fn mailbox(name: Option<&str>, email: &Email) -> Result<Mailbox, BuildError> {
    let address: Address = email
        .as_str()
        .parse()
        .map_err(|_| BuildError::Address(email.to_string()))?;
    Ok(Mailbox::new(name.map(str::to_owned), address))
}

/// 32 hex digits of randomness: unique without a counter shared between processes.
fn unique_token() -> String {
    let bytes: [u8; 16] = rand::random();
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The configured transport, shared by every request and worker (the SMTP one keeps a connection pool).
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
}

#[derive(Clone)]
enum Transport {
    Outbox(AsyncFileTransport<Tokio1Executor>),
    Smtp(Arc<SmtpPool>),
}

impl Mailer {
    /// The transport for `settings`; the outbox folder is created when missing.
    pub fn new(settings: &MailSettings) -> std::io::Result<Self> {
        let transport = match settings {
            MailSettings::Outbox(folder) => {
                std::fs::create_dir_all(folder)?;
                Transport::Outbox(AsyncFileTransport::new(folder))
            }
            MailSettings::Smtp(url) => Transport::Smtp(Arc::new(
                SmtpPool::new(&url.0).map_err(|error| std::io::Error::new(std::io::ErrorKind::InvalidInput, error))?,
            )),
        };
        Ok(Mailer { transport })
    }

    /// Hands the message over: written to the outbox, or accepted by the SMTP server.
    pub async fn send(&self, email: &OutgoingEmail) -> Result<(), SendError> {
        match &self.transport {
            Transport::Outbox(transport) => {
                transport
                    .send(email.message.clone())
                    .await
                    .map(drop)
                    .map_err(|error| SendError {
                        permanent: false,
                        message: error.to_string(),
                    })
            }
            Transport::Smtp(pool) => pool.send(email.message.envelope(), &email.message.formatted()).await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content() -> RenderedEmail {
        RenderedEmail {
            subject: "【常磐興産】お詫びとお願い".into(),
            text: "山田 太郎 様\n受付番号 K7QX-3MHT-9PABF".into(),
            html: "<p>山田 太郎 様</p>".into(),
        }
    }

    #[test]
    fn a_message_is_multipart_alternative_with_encoded_japanese_headers() {
        let from = MailAddress::parse("常磐興産株式会社 ハワイアンズモール <noreply@example.co.jp>").expect("from");
        let reply_to = MailAddress::parse("相談窓口 <support@example.co.jp>").expect("reply to");
        let to = Email::parse("taro@example.com").expect("to");
        let envelope = Envelope {
            from: Some(&from),
            reply_to: Some(&reply_to),
            to_name: Some("山田 太郎"),
            to: &to,
        };
        let email = build(&envelope, &content()).expect("builds");
        let raw = String::from_utf8(email.message.formatted()).expect("ASCII on the wire");

        assert!(raw.is_ascii(), "{raw}");
        assert!(email.message_id.ends_with("@example.co.jp"), "{}", email.message_id);
        assert!(raw.contains(&format!("Message-ID: <{}>", email.message_id)), "{raw}");
        assert!(raw.contains("Subject: =?utf-8?"), "{raw}");
        assert!(raw.contains("From: =?utf-8?"), "{raw}");
        assert!(raw.contains("<noreply@example.co.jp>"), "{raw}");
        assert!(raw.contains("Reply-To: =?utf-8?"), "{raw}");
        assert!(raw.contains("Date: "), "{raw}");
        assert!(raw.contains("Content-Type: multipart/alternative;"), "{raw}");
        assert!(raw.contains("Content-Type: text/plain; charset=utf-8"), "{raw}");
        assert!(raw.contains("Content-Type: text/html; charset=utf-8"), "{raw}");
        assert!(!raw.to_ascii_lowercase().contains("<img"), "no tracking pixel");
    }

    #[test]
    fn each_message_gets_its_own_id() {
        let from = MailAddress::parse("noreply@example.co.jp").expect("from");
        let to = Email::parse("taro@example.com").expect("to");
        let envelope = Envelope {
            from: Some(&from),
            reply_to: None,
            to_name: None,
            to: &to,
        };
        let first = build(&envelope, &content()).expect("builds");
        let second = build(&envelope, &content()).expect("builds");
        assert_ne!(first.message_id, second.message_id);
    }

    #[test]
    fn without_a_from_address_nothing_is_built() {
        let to = Email::parse("taro@example.com").expect("to");
        let envelope = Envelope {
            from: None,
            reply_to: None,
            to_name: None,
            to: &to,
        };
        assert!(matches!(build(&envelope, &content()), Err(BuildError::NoFromAddress)));
    }

    #[test]
    fn an_smtp_url_is_checked_and_its_password_never_printed() {
        let url = SmtpUrl::parse("smtp://user:secret@smtp.example.jp:587?tls=required").expect("valid");
        assert_eq!(format!("{url:?}"), "SmtpUrl(smtp://smtp.example.jp:587?tls=required)");
        assert!(SmtpUrl::parse("http://example.com").is_err());
    }

    #[tokio::test]
    async fn the_outbox_transport_writes_an_eml_file() {
        let folder = std::env::temp_dir().join(format!("breachdesk-outbox-{}", unique_token()));
        let mailer = Mailer::new(&MailSettings::Outbox(folder.clone())).expect("outbox");
        let from = MailAddress::parse("noreply@example.co.jp").expect("from");
        let to = Email::parse("taro@example.com").expect("to");
        let envelope = Envelope {
            from: Some(&from),
            reply_to: None,
            to_name: None,
            to: &to,
        };
        mailer
            .send(&build(&envelope, &content()).expect("builds"))
            .await
            .expect("written");
        let files: Vec<_> = std::fs::read_dir(&folder).expect("outbox folder").collect();
        assert_eq!(files.len(), 1);
        std::fs::remove_dir_all(folder).expect("clean up");
    }
}
