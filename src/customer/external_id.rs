//! The customer or member number (顧客番号) from the shop's own system, used to match re-imports.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::width::fold_width;

const MAX_CHARS: usize = 64;

/// An identifier from the source system: width-folded, trimmed, at most 64 characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ExternalId(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a customer number has 1 to 64 characters and no control characters")]
pub struct ExternalIdError;

impl ExternalId {
    pub fn parse(input: &str) -> Result<Self, ExternalIdError> {
        let folded = fold_width(input);
        let id = folded.trim();
        if id.is_empty() || id.chars().count() > MAX_CHARS || id.chars().any(char::is_control) {
            Err(ExternalIdError)
        } else {
            Ok(Self(id.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ExternalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for ExternalId {
    type Error = ExternalIdError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ExternalId> for String {
    fn from(id: ExternalId) -> Self {
        id.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_customer_numbers_are_folded_and_trimmed() {
        assert_eq!(
            ExternalId::parse(" ＨＭ００１２３ ").map(String::from),
            Ok("HM00123".to_owned())
        );
    }

    #[test]
    fn blank_and_overlong_customer_numbers_are_rejected() {
        assert_eq!(ExternalId::parse("　"), Err(ExternalIdError));
        assert_eq!(ExternalId::parse(&"9".repeat(65)), Err(ExternalIdError));
    }
}
