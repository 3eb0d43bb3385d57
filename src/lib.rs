//! BreachDesk core: domain types and rules (pure, always compiled, also to wasm)
//! and, behind the `server` feature, the services that touch the database, mail and files.

pub mod audience;
pub mod audit;
pub mod calendar;
pub mod call;
pub mod campaign;
pub mod case;
pub mod customer;
pub mod customers;
pub mod import;
pub mod incident;
pub mod letter;
pub mod retention;
pub mod role;
pub mod staff;
pub mod status_page;
pub mod template;
pub mod text;

#[cfg(feature = "server")]
pub mod accounts;
#[cfg(feature = "server")]
pub mod calls;
#[cfg(feature = "server")]
pub mod campaigns;
#[cfg(feature = "server")]
pub mod cases;
#[cfg(feature = "server")]
pub mod db;
#[cfg(feature = "server")]
pub mod demo;
#[cfg(feature = "server")]
pub mod hotline;
#[cfg(feature = "server")]
pub mod letters;
#[cfg(feature = "server")]
pub mod mail;
#[cfg(feature = "server")]
pub mod secret;
#[cfg(feature = "server")]
pub mod sessions;
#[cfg(feature = "server")]
pub mod status_lookup;
#[cfg(feature = "server")]
pub mod templates;
