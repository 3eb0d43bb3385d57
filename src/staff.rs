//! Staff account values parsed at the edge: sign-in email, display name, new password.

use serde::{Deserialize, Serialize};

/// A staff member's sign-in address, trimmed and lower-cased.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct StaffEmail(String);

impl StaffEmail {
    pub fn parse(input: &str) -> Result<StaffEmail, StaffFieldError> {
        let email = input.trim().to_lowercase();
        let (local, domain) = email.split_once('@').ok_or(StaffFieldError::EmailMalformed)?;
        let well_formed = !local.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && email.len() <= 254
            && !email.chars().any(|c| c.is_whitespace() || c.is_control());
        if well_formed {
            Ok(StaffEmail(email))
        } else {
            Err(StaffFieldError::EmailMalformed)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for StaffEmail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The name shown in the header and in audit rows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisplayName(String);

impl DisplayName {
    pub const MAX_CHARS: usize = 60;

    pub fn parse(input: &str) -> Result<DisplayName, StaffFieldError> {
        let name = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if name.is_empty() {
            Err(StaffFieldError::DisplayNameMissing)
        } else if name.chars().count() > Self::MAX_CHARS {
            Err(StaffFieldError::DisplayNameTooLong)
        } else if crate::text::check(&name, crate::text::Lines::Single).is_err() {
            Err(StaffFieldError::DisplayNameHidden)
        } else {
            Ok(DisplayName(name))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password a staff member chose or was given; deliberately neither `Debug` nor `Serialize`.
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 12;

    pub fn parse(input: String) -> Result<NewPassword, StaffFieldError> {
        if input.chars().count() < Self::MIN_CHARS {
            Err(StaffFieldError::PasswordTooShort)
        } else if input.len() > 1024 {
            Err(StaffFieldError::PasswordTooLong)
        } else {
            Ok(NewPassword(input))
        }
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

/// Why a staff field was refused; the pages turn it into a message in the reader's language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum StaffFieldError {
    #[error("email address is malformed")]
    EmailMalformed,
    #[error("display name is missing")]
    DisplayNameMissing,
    #[error("display name is too long")]
    DisplayNameTooLong,
    #[error("display name contains an invisible control or direction character")]
    DisplayNameHidden,
    #[error("password must be at least 12 characters")]
    PasswordTooShort,
    #[error("password is too long")]
    PasswordTooLong,
}

/// A staff account as pages and the server see it (never with its password hash).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffMember {
    pub id: i64,
    pub email: String,
    pub display_name: String,
    pub role: crate::role::Role,
    pub disabled: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_is_trimmed_and_lower_cased() {
        let email = StaffEmail::parse("  Sato.Hanako@Example.CO.JP ").unwrap();
        assert_eq!(email.as_str(), "sato.hanako@example.co.jp");
    }

    #[test]
    fn an_email_without_a_dotted_domain_is_refused() {
        for bad in [
            "",
            "sato",
            "sato@",
            "@example.jp",
            "sato@example",
            "sa to@example.jp",
            "a@b@c.jp",
        ] {
            assert_eq!(StaffEmail::parse(bad), Err(StaffFieldError::EmailMalformed), "{bad}");
        }
    }

    #[test]
    fn a_display_name_with_a_control_or_direction_character_is_refused() {
        for hostile in ["佐藤\u{202E}花子", "bell\u{0007}", "nul\u{0000}"] {
            assert_eq!(
                DisplayName::parse(hostile).err(),
                Some(StaffFieldError::DisplayNameHidden),
                "{hostile:?}"
            );
        }
    }

    #[test]
    fn a_display_name_collapses_spaces_including_ideographic_ones() {
        assert_eq!(DisplayName::parse(" 佐藤\u{3000} 花子 ").unwrap().as_str(), "佐藤 花子");
        assert_eq!(DisplayName::parse("  "), Err(StaffFieldError::DisplayNameMissing));
    }

    #[test]
    fn a_password_shorter_than_twelve_characters_is_refused() {
        assert!(matches!(
            NewPassword::parse("short".into()),
            Err(StaffFieldError::PasswordTooShort)
        ));
        assert!(NewPassword::parse("correct horse battery".into()).is_ok());
    }
}
