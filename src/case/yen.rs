//! Amounts of money in whole yen: refunds are counted in integers, never in floating point.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::customer::width::fold_number;

/// A non-negative amount in yen. Built only by [`Yen::parse`] or [`Yen::new`], so a negative or
/// fractional amount cannot reach the database.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub struct Yen(i64);

/// Why a written amount was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum YenError {
    #[error("no amount given")]
    Empty,
    #[error("an amount is whole yen written with digits (and commas)")]
    NotWholeYen,
    #[error("an amount cannot be negative")]
    Negative,
    #[error("the amount is too large")]
    TooLarge,
}

/// Ten billion yen: far above any one customer's refund, so a larger number is a typing slip.
const LIMIT: i64 = 10_000_000_000;

impl Yen {
    pub fn new(amount: i64) -> Result<Yen, YenError> {
        if amount < 0 {
            Err(YenError::Negative)
        } else if amount > LIMIT {
            Err(YenError::TooLarge)
        } else {
            Ok(Yen(amount))
        }
    }

    /// Reads what people and card companies write: `12000`, `12,000`, `¥12,000`, `１２，０００円`.
    pub fn parse(input: &str) -> Result<Yen, YenError> {
        let folded = fold_number(input.trim()).replace(['￥', '＼'], "¥").replace('，', ",");
        let trimmed = folded.trim();
        let body = trimmed.strip_prefix('¥').unwrap_or(trimmed);
        let body = body.strip_suffix('円').unwrap_or(body).trim();
        if body.is_empty() {
            return Err(YenError::Empty);
        }
        let (negative, digits) = match body.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, body),
        };
        if !digits.chars().all(|c| c.is_ascii_digit() || c == ',') || !digits.starts_with(|c: char| c.is_ascii_digit())
        {
            return Err(YenError::NotWholeYen);
        }
        let digits: String = digits.chars().filter(char::is_ascii_digit).collect();
        if negative {
            return Err(YenError::Negative);
        }
        let amount: i64 = digits.parse().map_err(|_| YenError::TooLarge)?;
        Yen::new(amount)
    }

    pub fn get(self) -> i64 {
        self.0
    }

    /// `12,000`: digits grouped in threes, as Japanese documents print amounts.
    pub fn grouped(self) -> String {
        let digits = self.0.to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (index, digit) in digits.chars().enumerate() {
            if index > 0 && (digits.len() - index).is_multiple_of(3) {
                out.push(',');
            }
            out.push(digit);
        }
        out
    }
}

impl TryFrom<i64> for Yen {
    type Error = YenError;
    fn try_from(value: i64) -> Result<Self, Self::Error> {
        Yen::new(value)
    }
}

impl From<Yen> for i64 {
    fn from(value: Yen) -> i64 {
        value.0
    }
}

impl fmt::Display for Yen {
    /// `12,000円`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}円", self.grouped())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_amount_is_read_with_commas_yen_signs_and_full_width_digits() {
        for written in ["12000", "12,000", "¥12000", "￥12,000", "１２，０００円", " 12,000円 "] {
            assert_eq!(Yen::parse(written), Ok(Yen(12_000)), "{written}");
        }
    }

    #[test]
    fn fractions_words_and_negative_amounts_are_refused() {
        assert_eq!(Yen::parse("12.5"), Err(YenError::NotWholeYen));
        assert_eq!(Yen::parse("千円"), Err(YenError::NotWholeYen));
        assert_eq!(Yen::parse(",000"), Err(YenError::NotWholeYen));
        assert_eq!(Yen::parse("-500"), Err(YenError::Negative));
        assert_eq!(Yen::parse("円"), Err(YenError::Empty));
        assert_eq!(Yen::parse("99999999999999999999"), Err(YenError::TooLarge));
    }

    #[test]
    fn an_amount_prints_grouped_in_threes() {
        assert_eq!(Yen(0).to_string(), "0円");
        assert_eq!(Yen(999).grouped(), "999");
        assert_eq!(Yen(1_234_567).to_string(), "1,234,567円");
    }
}
