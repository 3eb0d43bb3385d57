//! Audiences: which affected customers a batch of letters (or, later, a campaign) is for.
//!
//! Pure, so the pages can list them with their labels; the query that finds their customers is
//! in `letters.rs` (server only).

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Audience {
    /// Every affected customer.
    All,
    /// Customers with an email address on file.
    WithEmail,
    /// Customers only a letter can reach.
    WithoutEmail,
    /// Customers with no letter or email sent yet, on any channel.
    NotNotified,
    /// Customers whose latest email bounced.
    Bounced,
    /// Customers whose latest letter came back (宛所不明 and the like), to send again.
    Returned,
    /// Customers who asked on the phone for a letter or email again, and have not had one since.
    ResendRequested,
}

impl Audience {
    pub const ALL: [Audience; 7] = [
        Audience::All,
        Audience::WithEmail,
        Audience::WithoutEmail,
        Audience::NotNotified,
        Audience::Bounced,
        Audience::Returned,
        Audience::ResendRequested,
    ];

    /// The name on the command line, in addresses and in file names.
    pub fn as_str(self) -> &'static str {
        match self {
            Audience::All => "all",
            Audience::WithEmail => "with-email",
            Audience::WithoutEmail => "without-email",
            Audience::NotNotified => "not-notified",
            Audience::Bounced => "bounced",
            Audience::Returned => "returned",
            Audience::ResendRequested => "resend-requested",
        }
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            Audience::All => "全員",
            Audience::WithEmail => "メールアドレスあり",
            Audience::WithoutEmail => "メールアドレスなし",
            Audience::NotNotified => "未通知（手紙もメールも未送付）",
            Audience::Bounced => "メール不達",
            Audience::Returned => "郵便返戻（再送）",
            Audience::ResendRequested => "再送のご依頼（電話受付）",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Audience::All => "Everyone",
            Audience::WithEmail => "With an email address",
            Audience::WithoutEmail => "Without an email address",
            Audience::NotNotified => "Not yet notified (no letter or email sent)",
            Audience::Bounced => "Email bounced",
            Audience::Returned => "Letter returned (to re-send)",
            Audience::ResendRequested => "Asked on the phone for a re-send",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown audience {0:?}: expected all, with-email, without-email, not-notified, bounced, returned or resend-requested"
)]
pub struct UnknownAudience(String);

impl FromStr for Audience {
    type Err = UnknownAudience;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let name = input.trim().to_ascii_lowercase();
        Audience::ALL
            .into_iter()
            .find(|audience| audience.as_str() == name)
            .ok_or_else(|| UnknownAudience(input.trim().to_owned()))
    }
}

impl fmt::Display for Audience {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_audience_parses_back_from_its_name() {
        for audience in Audience::ALL {
            assert_eq!(audience.as_str().parse(), Ok(audience));
        }
        assert_eq!(" Not-Notified ".parse(), Ok(Audience::NotNotified));
    }

    #[test]
    fn an_unknown_audience_is_refused_with_the_list_of_names() {
        let error = "everyone".parse::<Audience>().expect_err("unknown");
        assert!(error.to_string().contains("with-email"));
    }
}
