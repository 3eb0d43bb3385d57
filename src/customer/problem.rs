//! What is wrong with a row of an affected-customer CSV, in words a manager can act on (Japanese and English).

use std::fmt;

use serde::{Deserialize, Serialize};

/// One problem in one row. Carries no cell values, so no card data can leak through it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    /// The 1-based line of the file where the record starts; the header is line 1.
    pub row: usize,
    /// The column header as written in the file.
    pub column: String,
    pub reason: ProblemReason,
}

impl RowProblem {
    pub fn message_ja(&self) -> String {
        format!("{}行目「{}」: {}", self.row, self.column, self.reason.message_ja())
    }

    pub fn message_en(&self) -> String {
        format!(
            "row {}, column \"{}\": {}",
            self.row,
            self.column,
            self.reason.message_en()
        )
    }
}

impl fmt::Display for RowProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ProblemReason {
    MissingName,
    InvalidName,
    InvalidKana,
    MissingCardNumber,
    CardNumberCharacters,
    CardNumberLength,
    CardNumberLuhn,
    MissingPostalCode,
    PostalCodeNotSevenDigits,
    MissingAddress,
    InvalidAddress,
    EmailMalformed,
    PhoneInvalid,
    OrderDateInvalid,
    InvalidExternalId,
    /// The same card (by fingerprint) and name as an earlier row.
    DuplicateRow {
        first_row: usize,
    },
    /// The same customer number as an earlier row.
    DuplicateExternalId {
        first_row: usize,
    },
}

impl ProblemReason {
    pub fn message_ja(self) -> String {
        let text = match self {
            Self::MissingName => "氏名が空です",
            Self::InvalidName => "氏名が長すぎるか、使えない文字が含まれています",
            Self::InvalidKana => "フリガナはカタカナかひらがなで入力してください",
            Self::MissingCardNumber => "カード番号が空です",
            Self::CardNumberCharacters => "カード番号に数字・空白・ハイフン以外の文字が含まれています",
            Self::CardNumberLength => "カード番号の桁数が正しくありません（12〜19桁）",
            Self::CardNumberLuhn => "カード番号が正しくありません（チェックディジット不一致）",
            Self::MissingPostalCode => "郵便番号が空です",
            Self::PostalCodeNotSevenDigits => "郵便番号が7桁ではありません",
            Self::MissingAddress => "住所が空です",
            Self::InvalidAddress => "住所が長すぎるか、使えない文字が含まれています",
            Self::EmailMalformed => "メールアドレスの形式が正しくありません",
            Self::PhoneInvalid => "電話番号が正しくありません（0から始まる10桁または11桁）",
            Self::OrderDateInvalid => "日付を読み取れません（例: 2017/03/05、2017年3月5日）",
            Self::InvalidExternalId => "顧客番号が長すぎるか、使えない文字が含まれています",
            Self::DuplicateRow { first_row } => {
                return format!("{first_row}行目と同じカード・氏名の行が重複しています");
            }
            Self::DuplicateExternalId { first_row } => {
                return format!("{first_row}行目と顧客番号が重複しています");
            }
        };
        text.to_owned()
    }

    pub fn message_en(self) -> String {
        let text = match self {
            Self::MissingName => "the name is empty",
            Self::InvalidName => "the name is too long or contains control characters",
            Self::InvalidKana => "the reading must be written in katakana or hiragana",
            Self::MissingCardNumber => "the card number is empty",
            Self::CardNumberCharacters => "the card number contains characters other than digits, spaces and hyphens",
            Self::CardNumberLength => "the card number does not have 12 to 19 digits",
            Self::CardNumberLuhn => "the card number is not valid (Luhn check digit)",
            Self::MissingPostalCode => "the postal code is empty",
            Self::PostalCodeNotSevenDigits => "the postal code does not have 7 digits",
            Self::MissingAddress => "the address is empty",
            Self::InvalidAddress => "the address is too long or contains control characters",
            Self::EmailMalformed => "the email address is malformed",
            Self::PhoneInvalid => "the phone number is not a Japanese number of 10 or 11 digits starting with 0",
            Self::OrderDateInvalid => "the date cannot be read (write 2017/03/05 or 2017年3月5日)",
            Self::InvalidExternalId => "the customer number is too long or contains control characters",
            Self::DuplicateRow { first_row } => {
                return format!("the same card and name as row {first_row}");
            }
            Self::DuplicateExternalId { first_row } => {
                return format!("the same customer number as row {first_row}");
            }
        };
        text.to_owned()
    }
}

impl fmt::Display for ProblemReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message_en())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_problem_names_its_row_and_column_in_both_languages() {
        let problem = RowProblem {
            row: 3,
            column: "郵便番号".to_owned(),
            reason: ProblemReason::PostalCodeNotSevenDigits,
        };
        assert_eq!(problem.message_ja(), "3行目「郵便番号」: 郵便番号が7桁ではありません");
        assert_eq!(
            problem.message_en(),
            "row 3, column \"郵便番号\": the postal code does not have 7 digits"
        );
    }

    #[test]
    fn a_duplicate_points_back_to_the_first_row() {
        let reason = ProblemReason::DuplicateRow { first_row: 2 };
        assert!(reason.message_ja().starts_with("2行目"));
        assert!(reason.message_en().ends_with("row 2"));
    }
}
