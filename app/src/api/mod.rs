//! Server functions: parse the input into domain types, check the role, call the core, map the error.
//!
//! Each has a fixed endpoint under `/api/` so tests and the access-control walk can name it.

pub mod account;
pub mod audit;
pub mod calls;
pub mod campaigns;
pub mod case;
pub mod customers;
pub mod hotline;
pub mod import;
pub mod incident;
pub mod letters;
pub mod retention;
pub mod shell;
pub mod staff;
pub mod status;
pub mod templates;
