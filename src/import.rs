//! Affected-customer import: a dry run or an apply of a parsed CSV stream, in one transaction.
//!
//! The CSV is parsed on a blocking thread and handed over in batches through a bounded
//! channel, so parsing (HMAC per card) and SQLite writing use both cores and memory stays
//! flat however long the file is. Rows are matched by customer number, else by card
//! fingerprint plus name; a matched row whose stored values are identical counts as
//! unchanged and is not written, which is what makes a re-import change nothing.

use serde::{Deserialize, Serialize};

use crate::customer::{CsvEncoding, RowProblem};

#[cfg(feature = "server")]
mod service;
#[cfg(feature = "server")]
pub use service::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportCounts {
    pub new: u64,
    pub updated: u64,
    pub unchanged: u64,
    /// Rows, not problems: a row with three problems counts once.
    pub rejected: u64,
}

impl ImportCounts {
    pub fn rows(&self) -> u64 {
        self.new + self.updated + self.unchanged + self.rejected
    }
}

/// What an import found. Holds problems (row, column, reason) but never a cell value, so
/// it holds no card data and may be stored, shown and downloaded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    pub file_name: String,
    pub encoding: CsvEncoding,
    pub columns: Vec<String>,
    pub ignored_columns: Vec<String>,
    pub counts: ImportCounts,
    pub problems: Vec<RowProblem>,
}

/// One recorded import, as the Import page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(sqlx::FromRow))]
pub struct ImportRecord {
    pub id: i64,
    pub created_at: String,
    pub file_name: String,
    pub encoding: String,
    /// Display name of the staff member; `None` for the command line and the demo.
    pub staff_name: Option<String>,
    pub new_count: i64,
    pub updated_count: i64,
    pub unchanged_count: i64,
    pub rejected_count: i64,
}
