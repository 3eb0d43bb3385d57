//! Customers affected by the breach: their validated details, reference codes, card masks, and the CSV import that creates them.
//!
//! The types here parse at the edge (`parse` returns a value that can only be valid)
//! and compile without the `server` feature, also to wasm. Card fingerprints and the
//! CSV reader need hmac, encoding_rs and csv, so they are `server`-only.

mod address;
mod card;
mod csv_encoding;
mod csv_header;
#[cfg(feature = "server")]
mod decode;
pub mod demo_csv;
mod demo_tables;
mod email;
mod external_id;
#[cfg(feature = "server")]
mod import_csv;
#[cfg(feature = "server")]
mod lines;
mod name;
mod order_date;
mod phone;
mod postal_code;
mod problem;
mod reference_code;
pub mod width;

pub use address::{Address, AddressError};
pub use card::{CardBrand, CardLast4, CardLast4Error, CardNumber, CardNumberError, MaskedCard, luhn_valid};
#[cfg(feature = "server")]
pub use card::{CardFingerprint, CardFingerprintError, CardFingerprinter};
pub use csv_encoding::{CsvEncoding, UnknownEncoding};
pub use csv_header::{CsvField, normalise_header};
pub use email::{Email, EmailError};
pub use external_id::{ExternalId, ExternalIdError};
#[cfg(feature = "server")]
pub use import_csv::{CustomerCsvReader, CustomerRecord, FileError, HeaderError, RowError};
pub use name::{CustomerName, NameError, NameKana};
pub use order_date::{OrderDateError, parse_order_date};
pub use phone::{PhoneNumber, PhoneNumberError};
pub use postal_code::{PostalCode, PostalCodeError};
pub use problem::{ProblemReason, RowProblem};
pub use reference_code::{ReferenceCode, ReferenceCodeError};
