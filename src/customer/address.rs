//! Postal addresses (住所), NFKC-normalised so that ２丁目１４－３ and 2丁目14-3 are stored alike.

use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::width::{collapse_whitespace, is_hyphen_like};

/// Longer than any real address; a guard against a whole row pasted into one cell.
const MAX_CHARS: usize = 300;

/// A one-line address. Unlike names, addresses are NFKC-normalised: their digits,
/// letters and hyphens carry no personal choice, and letters print and search
/// better with one form.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Address(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    #[error("the address is empty")]
    Empty,
    #[error("the address is longer than 300 characters")]
    TooLong,
    #[error("the address contains control characters")]
    ControlCharacter,
}

impl Address {
    /// Line breaks inside a quoted CSV cell become spaces; a long vowel mark or dash
    /// between digits (2ー14ー3, a common input-method slip) becomes a hyphen.
    pub fn parse(input: &str) -> Result<Self, AddressError> {
        let normalised: String = input.nfkc().collect();
        let address = collapse_whitespace(&hyphens_between_digits(&normalised));
        if address.is_empty() {
            Err(AddressError::Empty)
        } else if address.chars().count() > MAX_CHARS {
            Err(AddressError::TooLong)
        } else if address.chars().any(char::is_control) {
            Err(AddressError::ControlCharacter)
        } else {
            Ok(Self(address))
        }
    }

    /// Joins 都道府県, 市区町村, 番地 (or a whole 住所) and 建物 columns. Japanese
    /// addresses run together without spaces; the building is set off by one. A prefecture
    /// or city that the street part already starts with is not repeated.
    pub fn from_parts(prefecture: &str, city: &str, street: &str, building: &str) -> Result<Self, AddressError> {
        let (prefecture, city, street, building) = (
            normalise_part(prefecture),
            normalise_part(city),
            normalise_part(street),
            normalise_part(building),
        );
        let mut joined = String::new();
        let mut rest = street.as_str();
        for part in [&prefecture, &city] {
            joined.push_str(part);
            if !part.is_empty() {
                rest = rest.strip_prefix(part.as_str()).unwrap_or(rest);
            }
        }
        joined.push_str(rest);
        if !building.is_empty() {
            joined.push(' ');
            joined.push_str(&building);
        }
        Self::parse(&joined)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn normalise_part(part: &str) -> String {
    collapse_whitespace(&part.nfkc().collect::<String>())
}

fn hyphens_between_digits(input: &str) -> String {
    let chars: Vec<char> = input.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| {
            let between_digits =
                i > 0 && chars[i - 1].is_ascii_digit() && chars.get(i + 1).is_some_and(char::is_ascii_digit);
            if c != '-' && is_hyphen_like(c) && between_digits {
                '-'
            } else {
                c
            }
        })
        .collect()
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Address {
    type Error = AddressError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Address> for String {
    fn from(address: Address) -> Self {
        address.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(input: &str) -> Result<String, AddressError> {
        Address::parse(input).map(String::from)
    }

    #[test]
    fn full_width_digits_and_hyphens_are_normalised() {
        assert_eq!(
            parsed("福島県いわき市常磐藤原町蕨平５０－２"),
            Ok("福島県いわき市常磐藤原町蕨平50-2".to_owned())
        );
    }

    #[test]
    fn a_long_vowel_mark_between_digits_becomes_a_hyphen_but_stays_in_words() {
        assert_eq!(
            parsed("平2ー14ー3 コーポ平 101"),
            Ok("平2-14-3 コーポ平 101".to_owned())
        );
    }

    #[test]
    fn line_breaks_from_a_quoted_cell_become_one_space() {
        assert_eq!(
            parsed("いわき市平1-2-3\r\n　ハイツ平 201"),
            Ok("いわき市平1-2-3 ハイツ平 201".to_owned())
        );
    }

    #[test]
    fn half_width_kana_in_building_names_become_full_width() {
        assert_eq!(parsed("平1-2-3 ﾊｲﾂ平"), Ok("平1-2-3 ハイツ平".to_owned()));
    }

    #[test]
    fn empty_and_overlong_addresses_are_rejected() {
        assert_eq!(parsed(" \n "), Err(AddressError::Empty));
        assert_eq!(parsed(&"あ".repeat(301)), Err(AddressError::TooLong));
    }

    #[test]
    fn parts_are_joined_without_spaces_and_the_building_after_one() {
        let address =
            Address::from_parts("福島県", "いわき市", "平字梅本２１", "ハワイアンズビル ３F").map(String::from);
        assert_eq!(address, Ok("福島県いわき市平字梅本21 ハワイアンズビル 3F".to_owned()));
    }

    #[test]
    fn a_street_column_that_already_holds_the_prefecture_and_city_is_not_doubled() {
        let address = Address::from_parts("福島県", "いわき市", "福島県いわき市平字梅本21", "").map(String::from);
        assert_eq!(address, Ok("福島県いわき市平字梅本21".to_owned()));
        let address = Address::from_parts("福島県", "いわき市", "いわき市平字梅本21", "").map(String::from);
        assert_eq!(address, Ok("福島県いわき市平字梅本21".to_owned()));
    }

    #[test]
    fn empty_parts_leave_an_empty_address() {
        assert_eq!(Address::from_parts("", "", "", ""), Err(AddressError::Empty));
    }
}
