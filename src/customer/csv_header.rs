//! The columns of an affected-customer CSV and the header names, Japanese or English, that stand for them.

use serde::{Deserialize, Serialize};

use super::width::fold_width;

/// A column the importer understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CsvField {
    Name,
    Kana,
    CardNumber,
    /// Recognised only so it can be dropped: never read.
    Expiry,
    /// Recognised only so it can be dropped: never read.
    SecurityCode,
    PostalCode,
    Prefecture,
    City,
    /// A whole address, or the street part after 都道府県 and 市区町村.
    Address,
    Building,
    Email,
    Phone,
    OrderDate,
    ExternalId,
}

impl CsvField {
    pub const ALL: [CsvField; 14] = [
        Self::Name,
        Self::Kana,
        Self::CardNumber,
        Self::Expiry,
        Self::SecurityCode,
        Self::PostalCode,
        Self::Prefecture,
        Self::City,
        Self::Address,
        Self::Building,
        Self::Email,
        Self::Phone,
        Self::OrderDate,
        Self::ExternalId,
    ];

    /// Columns a file must have.
    pub const REQUIRED: [CsvField; 4] = [Self::Name, Self::CardNumber, Self::PostalCode, Self::Address];

    /// Header names for this column, already in [`normalise_header`] form. The first
    /// Japanese and the first English name are the labels.
    fn aliases(self) -> &'static [&'static str] {
        match self {
            Self::Name => &[
                "カード会員名",
                "氏名",
                "会員名",
                "名前",
                "お名前",
                "name",
                "cardholder",
                "cardholdername",
                "holdername",
            ],
            Self::Kana => &[
                "フリガナ",
                "ふりがな",
                "カナ",
                "氏名カナ",
                "氏名フリガナ",
                "namekana",
                "kana",
                "furigana",
            ],
            Self::CardNumber => &["カード番号", "クレジットカード番号", "cardnumber", "pan", "cardno"],
            Self::Expiry => &[
                "有効期限",
                "カード有効期限",
                "expiry",
                "expirydate",
                "expiration",
                "expirationdate",
                "exp",
            ],
            Self::SecurityCode => &["セキュリティコード", "securitycode", "cvv", "cvc", "cvv2", "cvc2"],
            Self::PostalCode => &["郵便番号", "〒", "postalcode", "zip", "zipcode", "postcode"],
            Self::Prefecture => &["都道府県", "prefecture"],
            Self::City => &["市区町村", "city"],
            Self::Address => &["住所", "番地", "町名番地", "address", "street"],
            Self::Building => &["建物", "建物名", "building"],
            Self::Email => &["メールアドレス", "メール", "email", "mail", "emailaddress"],
            Self::Phone => &["電話番号", "電話", "phone", "tel", "phonenumber", "telephone"],
            Self::OrderDate => &[
                "決済日",
                "注文日",
                "購入日",
                "利用日",
                "orderdate",
                "transactiondate",
                "paymentdate",
            ],
            Self::ExternalId => &[
                "顧客番号",
                "会員番号",
                "顧客id",
                "会員id",
                "customerid",
                "memberid",
                "customerno",
            ],
        }
    }

    /// The column a header cell stands for, ignoring case, width, spaces, `_` and `-`.
    pub fn from_header(header: &str) -> Option<Self> {
        let key = normalise_header(header);
        Self::ALL
            .into_iter()
            .find(|field| field.aliases().contains(&key.as_str()))
    }

    pub fn label_ja(self) -> &'static str {
        self.aliases()
            .iter()
            .find(|alias| !alias.is_ascii())
            .copied()
            .unwrap_or_default()
    }

    pub fn label_en(self) -> &'static str {
        match self {
            // The aliases are squashed (`cardnumber`); labels read better with the underscore.
            Self::CardNumber => "card_number",
            Self::SecurityCode => "security_code",
            Self::PostalCode => "postal_code",
            Self::Kana => "name_kana",
            Self::OrderDate => "order_date",
            Self::ExternalId => "customer_id",
            other => other
                .aliases()
                .iter()
                .find(|alias| alias.is_ascii())
                .copied()
                .unwrap_or_default(),
        }
    }

    /// Card data that must never be read or kept (PCI DSS 3.3.1).
    pub fn is_sensitive_authentication_data(self) -> bool {
        matches!(self, Self::Expiry | Self::SecurityCode)
    }
}

/// Width-folds, lower-cases and drops spaces, `_` and `-`, so that `Card Number`,
/// `CARD_NUMBER` and `ｃａｒｄ－ｎｕｍｂｅｒ` all read `cardnumber`.
pub fn normalise_header(header: &str) -> String {
    fold_width(header)
        .chars()
        .filter(|&c| !c.is_whitespace() && c != '_' && c != '-' && c != '\u{FEFF}')
        .flat_map(char::to_lowercase)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_alias_in_the_issue_is_recognised() {
        let cases = [
            ("カード会員名", CsvField::Name),
            ("氏名", CsvField::Name),
            ("会員名", CsvField::Name),
            ("name", CsvField::Name),
            ("card_holder", CsvField::Name),
            ("フリガナ", CsvField::Kana),
            ("カナ", CsvField::Kana),
            ("name_kana", CsvField::Kana),
            ("カード番号", CsvField::CardNumber),
            ("card_number", CsvField::CardNumber),
            ("pan", CsvField::CardNumber),
            ("有効期限", CsvField::Expiry),
            ("カード有効期限", CsvField::Expiry),
            ("expiry", CsvField::Expiry),
            ("セキュリティコード", CsvField::SecurityCode),
            ("CVV", CsvField::SecurityCode),
            ("CVC", CsvField::SecurityCode),
            ("security_code", CsvField::SecurityCode),
            ("郵便番号", CsvField::PostalCode),
            ("postal_code", CsvField::PostalCode),
            ("zip", CsvField::PostalCode),
            ("住所", CsvField::Address),
            ("address", CsvField::Address),
            ("都道府県", CsvField::Prefecture),
            ("市区町村", CsvField::City),
            ("番地", CsvField::Address),
            ("建物", CsvField::Building),
            ("メールアドレス", CsvField::Email),
            ("email", CsvField::Email),
            ("電話番号", CsvField::Phone),
            ("phone", CsvField::Phone),
            ("決済日", CsvField::OrderDate),
            ("注文日", CsvField::OrderDate),
            ("order_date", CsvField::OrderDate),
            ("顧客番号", CsvField::ExternalId),
            ("会員番号", CsvField::ExternalId),
            ("customer_id", CsvField::ExternalId),
        ];
        for (header, field) in cases {
            assert_eq!(CsvField::from_header(header), Some(field), "{header}");
        }
    }

    #[test]
    fn headers_match_ignoring_case_width_spaces_and_underscores() {
        for header in [
            "Card Number",
            "CARD_NUMBER",
            "ｃａｒｄ－ｎｕｍｂｅｒ",
            " card number ",
            "\u{FEFF}card_number",
        ] {
            assert_eq!(CsvField::from_header(header), Some(CsvField::CardNumber), "{header}");
        }
        assert_eq!(CsvField::from_header("ﾌﾘｶﾞﾅ"), Some(CsvField::Kana));
        assert_eq!(CsvField::from_header("カード　会員名"), Some(CsvField::Name));
    }

    #[test]
    fn all_lists_the_columns_in_declaration_order_so_they_can_index_arrays() {
        for (index, field) in CsvField::ALL.into_iter().enumerate() {
            assert_eq!(field as usize, index, "{field:?}");
        }
    }

    #[test]
    fn unknown_headers_are_not_matched() {
        assert_eq!(CsvField::from_header("備考"), None);
        assert_eq!(CsvField::from_header(""), None);
    }

    #[test]
    fn every_column_has_a_japanese_and_an_english_label() {
        for field in CsvField::ALL {
            assert!(
                !field.label_ja().is_empty() && !field.label_ja().is_ascii(),
                "{field:?}"
            );
            assert!(!field.label_en().is_empty() && field.label_en().is_ascii(), "{field:?}");
        }
        assert_eq!(CsvField::CardNumber.label_ja(), "カード番号");
        assert_eq!(CsvField::Name.label_en(), "name");
    }
}
