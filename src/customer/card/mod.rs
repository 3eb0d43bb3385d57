//! Payment cards: the transient full number, and the masked form that is the only card data ever kept.

#[cfg(feature = "server")]
mod fingerprint;

use std::fmt;

use serde::{Deserialize, Serialize};

use super::width::fold_number;

#[cfg(feature = "server")]
pub use fingerprint::{CardFingerprint, CardFingerprintError, CardFingerprinter};

/// A full card number (PAN) that passed the length and Luhn checks.
///
/// It lives only while a row is parsed: it is deliberately not `Clone`, `Serialize`
/// or `Display`, and its `Debug` shows only the brand and last 4 digits, so it
/// cannot reach a database, a log line or a browser by accident (PCI DSS 3.3–3.5).
pub struct CardNumber {
    digits: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CardNumberError {
    #[error("the card number is empty")]
    Empty,
    #[error("a card number may contain only digits, spaces and hyphens")]
    Characters,
    #[error("a card number has 12 to 19 digits")]
    Length,
    #[error("the card number's check digit is wrong (Luhn)")]
    Luhn,
}

impl CardNumber {
    /// Accepts digits separated by spaces or hyphens, in half or full width.
    /// Errors never carry the digits.
    pub fn parse(input: &str) -> Result<Self, CardNumberError> {
        let folded = fold_number(input);
        let mut digits = String::with_capacity(19);
        for c in folded.chars() {
            match c {
                '0'..='9' => digits.push(c),
                '-' => {}
                c if c.is_whitespace() => {}
                _ => return Err(CardNumberError::Characters),
            }
        }
        if digits.is_empty() {
            return Err(CardNumberError::Empty);
        }
        if !(12..=19).contains(&digits.len()) {
            return Err(CardNumberError::Length);
        }
        if !luhn_valid(&digits) {
            return Err(CardNumberError::Luhn);
        }
        Ok(Self { digits })
    }

    /// The brand, from the issuer prefix.
    pub fn brand(&self) -> CardBrand {
        CardBrand::from_digits(&self.digits)
    }

    pub fn last4(&self) -> CardLast4 {
        CardLast4(self.digits[self.digits.len() - 4..].to_owned())
    }

    /// What may be stored and shown: brand and last 4 digits.
    pub fn masked(&self) -> MaskedCard {
        MaskedCard {
            brand: self.brand(),
            last4: self.last4(),
        }
    }
}

impl fmt::Debug for CardNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CardNumber")
            .field("brand", &self.brand())
            .field("last4", &self.last4().as_str())
            .finish_non_exhaustive()
    }
}

/// The Luhn (mod 10) check: from the right, every second digit is doubled.
pub fn luhn_valid(digits: &str) -> bool {
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b.wrapping_sub(b'0'));
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Card brands recognised from the issuer prefix (IIN).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CardBrand {
    Visa,
    Mastercard,
    Amex,
    Jcb,
    Diners,
    Discover,
    UnionPay,
    Unknown,
}

impl CardBrand {
    pub const ALL: [CardBrand; 8] = [
        Self::Visa,
        Self::Mastercard,
        Self::Amex,
        Self::Jcb,
        Self::Diners,
        Self::Discover,
        Self::UnionPay,
        Self::Unknown,
    ];

    fn from_digits(digits: &str) -> Self {
        let prefix = |len: usize| -> u32 {
            digits
                .bytes()
                .take(len)
                .fold(0, |n, b| n * 10 + u32::from(b.wrapping_sub(b'0')))
        };
        let (p1, p2, p3, p4) = (prefix(1), prefix(2), prefix(3), prefix(4));
        match () {
            _ if p1 == 4 => Self::Visa,
            _ if (51..=55).contains(&p2) || (2221..=2720).contains(&p4) => Self::Mastercard,
            _ if p2 == 34 || p2 == 37 => Self::Amex,
            _ if (3528..=3589).contains(&p4) => Self::Jcb,
            _ if (300..=305).contains(&p3) || p4 == 3095 || matches!(p2, 36 | 38 | 39) => Self::Diners,
            _ if p4 == 6011 || (644..=649).contains(&p3) || p2 == 65 => Self::Discover,
            _ if p2 == 62 => Self::UnionPay,
            _ => Self::Unknown,
        }
    }

    /// A stable code for storage (`visa`, `jcb`, …); also the serde name.
    pub fn code(self) -> &'static str {
        match self {
            Self::Visa => "visa",
            Self::Mastercard => "mastercard",
            Self::Amex => "amex",
            Self::Jcb => "jcb",
            Self::Diners => "diners",
            Self::Discover => "discover",
            Self::UnionPay => "union_pay",
            Self::Unknown => "unknown",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|brand| brand.code() == code)
    }

    /// The name printed on letters and screens.
    pub fn label(self) -> &'static str {
        match self {
            Self::Visa => "VISA",
            Self::Mastercard => "Mastercard",
            Self::Amex => "AMEX",
            Self::Jcb => "JCB",
            Self::Diners => "Diners",
            Self::Discover => "Discover",
            Self::UnionPay => "UnionPay",
            Self::Unknown => "CARD",
        }
    }
}

impl fmt::Display for CardBrand {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// The last 4 digits of a card: exactly four ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CardLast4(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("enter exactly the last 4 digits of the card")]
pub struct CardLast4Error;

impl CardLast4 {
    /// Accepts half- or full-width digits with surrounding spaces (a staff search box).
    pub fn parse(input: &str) -> Result<Self, CardLast4Error> {
        let folded = fold_number(input);
        let trimmed = folded.trim();
        if trimmed.len() == 4 && trimmed.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(CardLast4Error)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CardLast4 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for CardLast4 {
    type Error = CardLast4Error;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<CardLast4> for String {
    fn from(last4: CardLast4) -> Self {
        last4.0
    }
}

/// Brand and last 4 digits: the only card data that is ever stored or shown.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MaskedCard {
    pub brand: CardBrand,
    pub last4: CardLast4,
}

impl fmt::Display for MaskedCard {
    /// `VISA ****1234`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ****{}", self.brand, self.last4)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VISA: &str = "4111111111111111";

    #[test]
    fn a_valid_number_with_spaces_and_hyphens_parses() {
        let card = CardNumber::parse(" 4111 1111-1111 1111 ").expect("valid");
        assert_eq!(card.brand(), CardBrand::Visa);
        assert_eq!(card.last4().as_str(), "1111");
    }

    #[test]
    fn full_width_digits_and_hyphens_are_accepted() {
        let card = CardNumber::parse("３５３０－１１１３－３３３０－００００").expect("valid");
        assert_eq!(card.brand(), CardBrand::Jcb);
        assert_eq!(card.last4().as_str(), "0000");
    }

    #[test]
    fn a_wrong_check_digit_is_rejected() {
        assert_eq!(CardNumber::parse("4111111111111112").err(), Some(CardNumberError::Luhn));
    }

    #[test]
    fn too_short_and_too_long_numbers_are_rejected() {
        assert_eq!(CardNumber::parse("42424242424").err(), Some(CardNumberError::Length));
        assert_eq!(
            CardNumber::parse("42424242424242424242").err(),
            Some(CardNumberError::Length)
        );
    }

    #[test]
    fn letters_and_empty_input_are_rejected() {
        assert_eq!(
            CardNumber::parse("4111-1111-1111-111x").err(),
            Some(CardNumberError::Characters)
        );
        assert_eq!(CardNumber::parse(" - ").err(), Some(CardNumberError::Empty));
    }

    #[test]
    fn brands_are_recognised_from_their_prefixes() {
        let cases = [
            ("4242424242424242", CardBrand::Visa),
            ("5555555555554444", CardBrand::Mastercard),
            ("2223003122003222", CardBrand::Mastercard),
            ("378282246310005", CardBrand::Amex),
            ("371449635398431", CardBrand::Amex),
            ("3530111333300000", CardBrand::Jcb),
            ("3566002020360505", CardBrand::Jcb),
            ("30569309025904", CardBrand::Diners),
            ("36227206271667", CardBrand::Diners),
            ("6011111111111117", CardBrand::Discover),
            ("6200000000000005", CardBrand::UnionPay),
            ("9999999999999995", CardBrand::Unknown),
        ];
        for (number, brand) in cases {
            assert_eq!(CardNumber::parse(number).expect(number).brand(), brand, "{number}");
        }
    }

    #[test]
    fn debug_output_shows_brand_and_last_four_but_never_the_number() {
        let card = CardNumber::parse(VISA).expect("valid");
        let debug = format!("{card:?}");
        assert!(debug.contains("Visa") && debug.contains("1111"), "{debug}");
        assert!(!debug.contains(VISA), "{debug}");
        assert!(!debug.contains("411111"), "{debug}");
    }

    #[test]
    fn errors_never_contain_the_digits() {
        for input in ["4111111111111112", "411111111111111111111", "4111 1111 1111 111x"] {
            let error = CardNumber::parse(input).expect_err("invalid");
            let shown = format!("{error} {error:?}");
            assert!(!shown.contains("4111"), "{shown}");
        }
    }

    #[test]
    fn the_masked_card_reads_brand_then_stars_then_last_four() {
        let card = CardNumber::parse(VISA).expect("valid");
        assert_eq!(card.masked().to_string(), "VISA ****1111");
    }

    #[test]
    fn brand_codes_round_trip() {
        for brand in CardBrand::ALL {
            assert_eq!(CardBrand::from_code(brand.code()), Some(brand));
        }
        assert_eq!(CardBrand::from_code("nope"), None);
    }

    #[test]
    fn last_four_accepts_exactly_four_digits_in_either_width() {
        assert_eq!(CardLast4::parse(" １２３４ ").map(String::from), Ok("1234".to_owned()));
        assert_eq!(CardLast4::parse("123"), Err(CardLast4Error));
        assert_eq!(CardLast4::parse("12345"), Err(CardLast4Error));
        assert_eq!(CardLast4::parse("12a4"), Err(CardLast4Error));
    }
}
