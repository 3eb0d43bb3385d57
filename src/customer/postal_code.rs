//! Japanese postal codes (郵便番号): seven digits, shown as 123-4567.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::width::fold_number;

/// Exactly seven ASCII digits.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PostalCode(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a postal code has 7 digits, like 970-8026")]
pub struct PostalCodeError;

impl PostalCode {
    /// Accepts 〒, hyphens of any width or kind, full-width digits and spaces.
    pub fn parse(input: &str) -> Result<Self, PostalCodeError> {
        let digits: String = fold_number(input)
            .chars()
            .filter(|&c| c != '〒' && c != '-' && !c.is_whitespace())
            .collect();
        if digits.len() == 7 && digits.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(digits))
        } else {
            Err(PostalCodeError)
        }
    }

    /// The seven digits without a hyphen, for storage and search.
    pub fn digits(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PostalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (first, second) = self.0.split_at(3);
        write!(f, "{first}-{second}")
    }
}

impl fmt::Debug for PostalCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PostalCode({self})")
    }
}

impl TryFrom<String> for PostalCode {
    type Error = PostalCodeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PostalCode> for String {
    fn from(code: PostalCode) -> Self {
        code.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(input: &str) -> Result<String, PostalCodeError> {
        PostalCode::parse(input).map(|code| code.to_string())
    }

    #[test]
    fn plain_and_hyphenated_codes_are_shown_with_a_hyphen() {
        assert_eq!(shown("9708026"), Ok("970-8026".to_owned()));
        assert_eq!(shown("970-8026"), Ok("970-8026".to_owned()));
    }

    #[test]
    fn the_postal_mark_full_width_digits_and_japanese_hyphens_are_accepted() {
        assert_eq!(shown("〒９７０－８０２６"), Ok("970-8026".to_owned()));
        assert_eq!(shown("〒 970ー8026"), Ok("970-8026".to_owned()));
        assert_eq!(shown("970‐8026"), Ok("970-8026".to_owned()));
    }

    #[test]
    fn anything_but_seven_digits_is_rejected() {
        assert_eq!(shown("970-802"), Err(PostalCodeError));
        assert_eq!(shown("970-80266"), Err(PostalCodeError));
        assert_eq!(shown("97O-8026"), Err(PostalCodeError));
        assert_eq!(shown(""), Err(PostalCodeError));
    }

    #[test]
    fn digits_are_stored_without_the_hyphen() {
        assert_eq!(
            PostalCode::parse("970-8026").map(String::from),
            Ok("9708026".to_owned())
        );
    }
}
