//! Bulk status files from card companies: the columns they may have and the dry-run report.
//!
//! Reading the file needs the `server` feature (`crate::cases::bulk`); the report is shown in
//! the browser, so it lives here.

use serde::{Deserialize, Serialize};

use super::state::CaseState;
use super::transition::TransitionError;
use crate::customer::normalise_header;

/// A column a bulk status file may have. A row names its customer by reference code, or by
/// external id, or by card last 4 together with the postal code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BulkField {
    ReferenceCode,
    ExternalId,
    CardLast4,
    PostalCode,
    Status,
    Date,
    Amount,
    Note,
}

impl BulkField {
    pub const ALL: [BulkField; 8] = [
        BulkField::ReferenceCode,
        BulkField::ExternalId,
        BulkField::CardLast4,
        BulkField::PostalCode,
        BulkField::Status,
        BulkField::Date,
        BulkField::Amount,
        BulkField::Note,
    ];

    /// The headers recognised for the column, already normalised (see [`normalise_header`]).
    fn aliases(self) -> &'static [&'static str] {
        match self {
            BulkField::ReferenceCode => &["受付番号", "referencecode", "reference"],
            BulkField::ExternalId => &[
                "顧客番号",
                "会員番号",
                "お客様番号",
                "externalid",
                "customernumber",
                "customerid",
            ],
            BulkField::CardLast4 => &["カード下4桁", "下4桁", "カード番号下4桁", "cardlast4", "last4"],
            BulkField::PostalCode => &["郵便番号", "postalcode", "zip", "postcode"],
            BulkField::Status => &[
                "状況",
                "ステータス",
                "新しい状況",
                "対応状況",
                "status",
                "newstatus",
                "state",
            ],
            BulkField::Date => &["日付", "処理日", "発行日", "返金日", "date", "effectivedate"],
            BulkField::Amount => &["金額", "返金額", "amount", "amountyen"],
            BulkField::Note => &["備考", "メモ", "note", "notes", "remarks"],
        }
    }

    /// Which column a header names, in Japanese or English, in any width or case.
    pub fn from_header(header: &str) -> Option<BulkField> {
        let key = normalise_header(header);
        Self::ALL
            .into_iter()
            .find(|field| field.aliases().contains(&key.as_str()))
    }

    pub fn label_ja(self) -> &'static str {
        match self {
            BulkField::ReferenceCode => "受付番号",
            BulkField::ExternalId => "顧客番号",
            BulkField::CardLast4 => "カード下4桁",
            BulkField::PostalCode => "郵便番号",
            BulkField::Status => "状況",
            BulkField::Date => "日付",
            BulkField::Amount => "金額",
            BulkField::Note => "備考",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            BulkField::ReferenceCode => "reference code",
            BulkField::ExternalId => "external id",
            BulkField::CardLast4 => "card last 4",
            BulkField::PostalCode => "postal code",
            BulkField::Status => "status",
            BulkField::Date => "date",
            BulkField::Amount => "amount",
            BulkField::Note => "note",
        }
    }
}

/// What the dry run found for one row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RowOutcome {
    /// Will be applied.
    Matched,
    /// No customer has that key.
    Unmatched,
    /// More than one customer has that card last 4 and postal code.
    Ambiguous,
    /// The customer was found but the change does not follow from their state.
    InvalidTransition(TransitionError),
    /// A cell could not be read.
    InvalidValue(BulkField),
}

/// One row of the dry run. Carries no card data: the customer is named by reference code only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowReport {
    /// The line in the file (the header is line 1).
    pub line: usize,
    pub outcome: RowOutcome,
    /// Grouped reference code of the matched customer.
    pub customer: Option<String>,
    pub to: Option<CaseState>,
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkCounts {
    pub matched: usize,
    pub unmatched: usize,
    pub ambiguous: usize,
    pub invalid_transition: usize,
    pub invalid_value: usize,
}

impl BulkCounts {
    pub fn problems(&self) -> usize {
        self.unmatched + self.ambiguous + self.invalid_transition + self.invalid_value
    }
}

/// The dry run of a whole file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BulkReport {
    pub file_name: String,
    pub counts: BulkCounts,
    pub rows: Vec<RowReport>,
}

impl BulkReport {
    pub fn from_rows(file_name: String, rows: Vec<RowReport>) -> BulkReport {
        let mut counts = BulkCounts::default();
        for row in &rows {
            match row.outcome {
                RowOutcome::Matched => counts.matched += 1,
                RowOutcome::Unmatched => counts.unmatched += 1,
                RowOutcome::Ambiguous => counts.ambiguous += 1,
                RowOutcome::InvalidTransition(_) => counts.invalid_transition += 1,
                RowOutcome::InvalidValue(_) => counts.invalid_value += 1,
            }
        }
        BulkReport {
            file_name,
            counts,
            rows,
        }
    }

    /// Applied only when every row matched: one bad row and nothing is written.
    pub fn can_apply(&self) -> bool {
        self.counts.problems() == 0 && self.counts.matched > 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_and_english_headers_name_the_same_columns() {
        assert_eq!(BulkField::from_header("受付番号"), Some(BulkField::ReferenceCode));
        assert_eq!(BulkField::from_header("Reference Code"), Some(BulkField::ReferenceCode));
        assert_eq!(BulkField::from_header("カード下４桁"), Some(BulkField::CardLast4));
        assert_eq!(BulkField::from_header("new_status"), Some(BulkField::Status));
        assert_eq!(BulkField::from_header("返金額"), Some(BulkField::Amount));
        assert_eq!(BulkField::from_header("氏名"), None);
    }

    #[test]
    fn a_file_with_any_problem_row_cannot_be_applied() {
        let row = |line, outcome| RowReport {
            line,
            outcome,
            customer: None,
            to: None,
        };
        let clean = BulkReport::from_rows("a.csv".into(), vec![row(2, RowOutcome::Matched)]);
        assert!(clean.can_apply());
        let mixed = BulkReport::from_rows(
            "b.csv".into(),
            vec![row(2, RowOutcome::Matched), row(3, RowOutcome::Ambiguous)],
        );
        assert!(!mixed.can_apply());
        assert_eq!(mixed.counts.ambiguous, 1);
    }
}
