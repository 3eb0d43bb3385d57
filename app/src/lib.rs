//! BreachDesk pages, components and server functions.

pub mod api;
pub mod context;
pub mod error;
pub mod i18n;
pub mod layout;
pub mod pages;
pub mod routes;

pub use routes::{App, shell};

#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(App);
}
