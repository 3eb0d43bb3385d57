//! Email addresses: a sane shape check, not full RFC 5322.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::width::fold_width;

/// One `@`, a non-empty local part and a dotted domain, no spaces; the domain lower-cased.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("the email address is malformed")]
pub struct EmailError;

impl Email {
    /// The local part is kept as written: old Japanese mobile addresses such as
    /// `taro..yamada.@…` break RFC 5322 but are real, deliverable addresses.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let folded = fold_width(input);
        let address = folded.trim();
        if address.len() > 254 || address.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailError);
        }
        let (local, domain) = address.split_once('@').ok_or(EmailError)?;
        if local.is_empty() || local.len() > 64 || local.chars().any(|c| matches!(c, '<' | '>' | ',' | ';' | '"')) {
            return Err(EmailError);
        }
        let labels_ok = domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
        if !domain.contains('.') || !labels_ok {
            return Err(EmailError);
        }
        Ok(Self(format!("{local}@{}", domain.to_ascii_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(input: &str) -> Result<String, EmailError> {
        Email::parse(input).map(String::from)
    }

    #[test]
    fn a_plain_address_is_kept_with_its_domain_lower_cased() {
        assert_eq!(
            parsed(" Taro.Yamada@Example.JP "),
            Ok("Taro.Yamada@example.jp".to_owned())
        );
    }

    #[test]
    fn a_full_width_at_sign_and_letters_are_folded() {
        assert_eq!(
            parsed("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｃｏｍ"),
            Ok("taro@example.com".to_owned())
        );
    }

    #[test]
    fn legacy_japanese_mobile_local_parts_are_accepted() {
        assert!(parsed("taro..yamada.@docomo.example.jp").is_ok());
    }

    #[test]
    fn missing_or_doubled_at_signs_are_rejected() {
        assert_eq!(parsed("taro.example.com"), Err(EmailError));
        assert_eq!(parsed("taro@@example.com"), Err(EmailError));
        assert_eq!(parsed("taro@yamada@example.com"), Err(EmailError));
    }

    #[test]
    fn empty_parts_undotted_domains_and_spaces_are_rejected() {
        for bad in [
            "@example.com",
            "taro@",
            "taro@localhost",
            "taro@example..com",
            "taro yamada@example.com",
            "taro@exa mple.com",
            "taro@.example.com",
            "",
        ] {
            assert_eq!(parsed(bad), Err(EmailError), "{bad}");
        }
    }

    #[test]
    fn two_addresses_pasted_into_one_cell_are_rejected() {
        assert_eq!(parsed("a@example.com,b@example.com"), Err(EmailError));
    }
}
