//! The one typed settings struct: defaults that work with zero configuration, overridden by environment variables.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use breachdesk::mail::{MailSettings, SmtpUrl};

/// Everything the server reads from its environment. See `.env.example` for each variable.
#[derive(Clone, Debug)]
pub struct Settings {
    /// `DATABASE_URL`, default `sqlite://data/breachdesk.db`.
    pub database_url: String,
    /// `LEPTOS_SITE_ADDR`, default 127.0.0.1:3000.
    pub listen: SocketAddr,
    /// `BREACHDESK_PUBLIC_URL`: the address customers and staff use, default `http://<listen>`.
    pub public_base_url: String,
    /// `BREACHDESK_DATA_DIR`, default `data/`: the secret key, the outbox and generated files.
    pub data_dir: PathBuf,
    /// `SMTP_URL` (checked at start): absent means emails are written as `.eml` files to `<data_dir>/outbox/`.
    pub mail: MailSettings,
    /// `BREACHDESK_SESSION_IDLE_HOURS`, default 8.
    pub session_idle_hours: u32,
    /// `LEPTOS_SITE_ROOT`, default `target/site`: the built wasm, CSS and assets.
    pub site_root: PathBuf,
    /// `BREACHDESK_UPLOAD_LIMIT_MB`, default 50: the largest file the upload forms accept.
    pub upload_limit_mb: u32,
}

impl Settings {
    pub fn from_env() -> anyhow::Result<Settings> {
        Self::from_lookup(|name| std::env::var(name).ok().filter(|value| !value.trim().is_empty()))
    }

    /// Builds the settings from any variable source, so tests need not touch the process environment.
    pub fn from_lookup(lookup: impl Fn(&str) -> Option<String>) -> anyhow::Result<Settings> {
        let listen: SocketAddr = lookup("LEPTOS_SITE_ADDR")
            .unwrap_or_else(|| "127.0.0.1:3000".into())
            .parse()
            .context("LEPTOS_SITE_ADDR is not an address such as 127.0.0.1:3000")?;
        let public_base_url = lookup("BREACHDESK_PUBLIC_URL")
            .unwrap_or_else(|| format!("http://{listen}"))
            .trim_end_matches('/')
            .to_owned();
        let session_idle_hours = match lookup("BREACHDESK_SESSION_IDLE_HOURS") {
            Some(hours) => hours
                .parse::<u32>()
                .ok()
                .filter(|hours| (1..=720).contains(hours))
                .context("BREACHDESK_SESSION_IDLE_HOURS must be a whole number of hours from 1 to 720")?,
            None => 8,
        };
        let upload_limit_mb = match lookup("BREACHDESK_UPLOAD_LIMIT_MB") {
            Some(megabytes) => megabytes
                .parse::<u32>()
                .ok()
                .filter(|megabytes| (1..=1024).contains(megabytes))
                .context("BREACHDESK_UPLOAD_LIMIT_MB must be a whole number of megabytes from 1 to 1024")?,
            None => 50,
        };
        let data_dir = lookup("BREACHDESK_DATA_DIR").map_or_else(|| PathBuf::from("data"), PathBuf::from);
        let mail = match lookup("SMTP_URL") {
            Some(url) => MailSettings::Smtp(SmtpUrl::parse(url.trim())?),
            None => MailSettings::Outbox(data_dir.join("outbox")),
        };
        Ok(Settings {
            database_url: lookup("DATABASE_URL").unwrap_or_else(|| "sqlite://data/breachdesk.db".into()),
            listen,
            public_base_url,
            data_dir,
            mail,
            session_idle_hours,
            site_root: lookup("LEPTOS_SITE_ROOT").map_or_else(|| PathBuf::from("target/site"), PathBuf::from),
            upload_limit_mb,
        })
    }

    pub fn secret_key_path(&self) -> PathBuf {
        self.data_dir.join("secret.key")
    }

    /// The upload limit in bytes, as the upload routes enforce it.
    pub fn upload_limit_bytes(&self) -> usize {
        self.upload_limit_mb as usize * 1024 * 1024
    }

    /// Cookies carry `Secure` when the public address is https.
    pub fn secure_cookies(&self) -> bool {
        self.public_base_url.starts_with("https://")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_configuration_gives_working_defaults() {
        let settings = Settings::from_lookup(|_| None).unwrap();
        assert_eq!(settings.database_url, "sqlite://data/breachdesk.db");
        assert_eq!(settings.listen.to_string(), "127.0.0.1:3000");
        assert_eq!(settings.public_base_url, "http://127.0.0.1:3000");
        assert_eq!(settings.data_dir, PathBuf::from("data"));
        assert_eq!(settings.session_idle_hours, 8);
        assert_eq!(settings.upload_limit_bytes(), 50 * 1024 * 1024);
        assert_eq!(settings.mail, MailSettings::Outbox(PathBuf::from("data/outbox")));
        assert!(!settings.secure_cookies());
    }

    #[test]
    fn a_malformed_listen_address_is_refused_with_the_variable_named() {
        let error = Settings::from_lookup(|name| (name == "LEPTOS_SITE_ADDR").then(|| "nowhere".into())).unwrap_err();
        assert!(error.to_string().contains("LEPTOS_SITE_ADDR"));
    }

    #[test]
    fn an_smtp_url_is_checked_at_start_and_names_the_variable() {
        let smtp = |url: &'static str| Settings::from_lookup(move |name| (name == "SMTP_URL").then(|| url.into()));
        assert!(matches!(
            smtp("smtp://127.0.0.1:2525").unwrap().mail,
            MailSettings::Smtp(_)
        ));
        let error = smtp("mail.example.jp").unwrap_err();
        assert!(error.to_string().contains("SMTP_URL"), "{error}");
    }

    #[test]
    fn an_upload_limit_outside_1_to_1024_megabytes_is_refused_with_the_variable_named() {
        let limit = |value: &'static str| {
            Settings::from_lookup(move |name| (name == "BREACHDESK_UPLOAD_LIMIT_MB").then(|| value.into()))
        };
        assert_eq!(limit("5").unwrap().upload_limit_bytes(), 5 * 1024 * 1024);
        for refused in ["0", "1025", "fifty"] {
            let error = limit(refused).unwrap_err();
            assert!(error.to_string().contains("BREACHDESK_UPLOAD_LIMIT_MB"), "{error}");
        }
    }

    #[test]
    fn an_https_public_address_makes_cookies_secure() {
        let settings =
            Settings::from_lookup(|name| (name == "BREACHDESK_PUBLIC_URL").then(|| "https://desk.example.jp/".into()))
                .unwrap();
        assert_eq!(settings.public_base_url, "https://desk.example.jp");
        assert!(settings.secure_cookies());
    }
}
