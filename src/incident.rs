//! The incident profile: the facts every letter, email, status page and agent screen reads.

use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::customer::Email;

/// One incident per deployment, as the company announced it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentProfile {
    pub company_name: String,
    pub representative: String,
    pub shop_name: String,
    pub shop_url: String,
    pub title: String,
    pub affected_from: Date,
    pub affected_until: Date,
    pub leaked_items: String,
    pub announced_customers: u32,
    pub cause_summary: String,
    pub measures_taken: String,
    pub hotline_name: String,
    pub hotline_number: String,
    pub letter_sender: String,
    pub status_page_url: String,
    /// The From of every email; `None` until an admin sets it, and sending refuses to start without it.
    pub mail_from: Option<MailAddress>,
    /// Where customers' replies go, e.g. the hotline team's mailbox; `None` sends replies to the From address.
    pub reply_to: Option<MailAddress>,
}

/// An email address with an optional display name: `常磐興産株式会社 <info@example.co.jp>` or `info@example.co.jp`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MailAddress {
    name: Option<String>,
    email: Email,
}

/// Why a text is not an email address with an optional display name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("not an email address like info@example.co.jp or 会社名 <info@example.co.jp>")]
pub struct MailAddressError;

impl MailAddress {
    /// Reads `Name <address>` (the name may be quoted) or a bare address.
    pub fn parse(input: &str) -> Result<Self, MailAddressError> {
        let input = input.trim();
        let (name, address) = match input.strip_suffix('>').and_then(|rest| rest.rsplit_once('<')) {
            Some((name, address)) => {
                let name = name.trim();
                let name = name
                    .strip_prefix('"')
                    .and_then(|name| name.strip_suffix('"'))
                    .unwrap_or(name)
                    .trim();
                // Quotes, angle brackets and line breaks inside a name would change the header's meaning.
                if name
                    .chars()
                    .any(|c| matches!(c, '"' | '<' | '>' | '\\') || c.is_control())
                {
                    return Err(MailAddressError);
                }
                (Some(name).filter(|name| !name.is_empty()), address)
            }
            None => (None, input),
        };
        let email = Email::parse(address).map_err(|_| MailAddressError)?;
        Ok(MailAddress {
            name: name.map(str::to_owned),
            email,
        })
    }

    /// The display name, if any.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    pub fn email(&self) -> &Email {
        &self.email
    }

    /// The part after the `@`, e.g. for Message-IDs.
    pub fn domain(&self) -> &str {
        self.email.as_str().rsplit_once('@').map_or("", |(_, domain)| domain)
    }
}

impl fmt::Display for MailAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.name {
            Some(name) => write!(f, "{name} <{}>", self.email),
            None => write!(f, "{}", self.email),
        }
    }
}

impl TryFrom<String> for MailAddress {
    type Error = MailAddressError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<MailAddress> for String {
    fn from(value: MailAddress) -> Self {
        value.to_string()
    }
}

#[cfg(feature = "server")]
mod store {
    use super::{IncidentProfile, MailAddress};
    use sqlx::SqlitePool;
    use time::OffsetDateTime;

    #[derive(sqlx::FromRow)]
    struct IncidentRow {
        company_name: String,
        representative: String,
        shop_name: String,
        shop_url: String,
        title: String,
        affected_from: time::Date,
        affected_until: time::Date,
        leaked_items: String,
        announced_customers: i64,
        cause_summary: String,
        measures_taken: String,
        hotline_name: String,
        hotline_number: String,
        letter_sender: String,
        status_page_url: String,
        mail_from: String,
        reply_to: String,
    }

    /// The empty text stands for "not set"; anything else was checked when saved.
    fn optional_address(column: &str, text: &str) -> Result<Option<MailAddress>, sqlx::Error> {
        if text.is_empty() {
            return Ok(None);
        }
        MailAddress::parse(text)
            .map(Some)
            .map_err(|error| sqlx::Error::ColumnDecode {
                index: column.to_owned(),
                source: Box::new(error),
            })
    }

    impl IncidentProfile {
        /// The deployment's incident, or `None` before one is loaded.
        pub async fn load(pool: &SqlitePool) -> Result<Option<IncidentProfile>, sqlx::Error> {
            let row: Option<IncidentRow> = sqlx::query_as(
                "SELECT company_name, representative, shop_name, shop_url, title, affected_from, \
                 affected_until, leaked_items, announced_customers, cause_summary, measures_taken, \
                 hotline_name, hotline_number, letter_sender, status_page_url, mail_from, reply_to FROM incident WHERE id = 1",
            )
            .fetch_optional(pool)
            .await?;
            let Some(row) = row else { return Ok(None) };
            Ok(Some(IncidentProfile {
                mail_from: optional_address("mail_from", &row.mail_from)?,
                reply_to: optional_address("reply_to", &row.reply_to)?,
                company_name: row.company_name,
                representative: row.representative,
                shop_name: row.shop_name,
                shop_url: row.shop_url,
                title: row.title,
                affected_from: row.affected_from,
                affected_until: row.affected_until,
                leaked_items: row.leaked_items,
                announced_customers: u32::try_from(row.announced_customers).unwrap_or(u32::MAX),
                cause_summary: row.cause_summary,
                measures_taken: row.measures_taken,
                hotline_name: row.hotline_name,
                hotline_number: row.hotline_number,
                letter_sender: row.letter_sender,
                status_page_url: row.status_page_url,
            }))
        }

        /// Writes the profile as the deployment's incident, replacing any earlier version.
        pub async fn save<'e, E>(&self, executor: E) -> Result<(), sqlx::Error>
        where
            E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
        {
            sqlx::query(
                "INSERT INTO incident (id, company_name, representative, shop_name, shop_url, title, \
                 affected_from, affected_until, leaked_items, announced_customers, cause_summary, \
                 measures_taken, hotline_name, hotline_number, letter_sender, status_page_url, mail_from, reply_to, \
                 updated_at) VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (id) DO UPDATE SET company_name = excluded.company_name, \
                 representative = excluded.representative, shop_name = excluded.shop_name, \
                 shop_url = excluded.shop_url, title = excluded.title, affected_from = excluded.affected_from, \
                 affected_until = excluded.affected_until, leaked_items = excluded.leaked_items, \
                 announced_customers = excluded.announced_customers, cause_summary = excluded.cause_summary, \
                 measures_taken = excluded.measures_taken, hotline_name = excluded.hotline_name, \
                 hotline_number = excluded.hotline_number, letter_sender = excluded.letter_sender, \
                 status_page_url = excluded.status_page_url, mail_from = excluded.mail_from, \
                 reply_to = excluded.reply_to, updated_at = excluded.updated_at",
            )
            .bind(&self.company_name)
            .bind(&self.representative)
            .bind(&self.shop_name)
            .bind(&self.shop_url)
            .bind(&self.title)
            .bind(self.affected_from)
            .bind(self.affected_until)
            .bind(&self.leaked_items)
            .bind(i64::from(self.announced_customers))
            .bind(&self.cause_summary)
            .bind(&self.measures_taken)
            .bind(&self.hotline_name)
            .bind(&self.hotline_number)
            .bind(&self.letter_sender)
            .bind(&self.status_page_url)
            .bind(self.mail_from.as_ref().map(ToString::to_string).unwrap_or_default())
            .bind(self.reply_to.as_ref().map(ToString::to_string).unwrap_or_default())
            .bind(OffsetDateTime::now_utc())
            .execute(executor)
            .await?;
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_reads_with_or_without_a_display_name() {
        let bare = MailAddress::parse(" info@Example.co.jp ").expect("bare address");
        assert_eq!((bare.name(), bare.email().as_str()), (None, "info@example.co.jp"));
        let named = MailAddress::parse("常磐興産株式会社 お客様特別相談窓口 <info@example.co.jp>").expect("named");
        assert_eq!(named.name(), Some("常磐興産株式会社 お客様特別相談窓口"));
        assert_eq!(named.domain(), "example.co.jp");
        assert_eq!(
            named.to_string(),
            "常磐興産株式会社 お客様特別相談窓口 <info@example.co.jp>"
        );
        let quoted = MailAddress::parse("\"Shop, Inc.\" <info@example.com>").expect("quoted");
        assert_eq!(quoted.name(), Some("Shop, Inc."));
    }

    #[test]
    fn an_address_that_could_break_a_header_is_refused() {
        for text in [
            "",
            "info",
            "a <b>",
            "Evil\r\nBcc: x@example.com <info@example.com>",
            "\"a\"b\" <info@example.com>",
        ] {
            assert_eq!(MailAddress::parse(text), Err(MailAddressError), "{text:?}");
        }
    }
}
