//! One module per page.

mod account;
mod customers;
mod home;
mod import;
mod login;
mod not_found;
mod settings;
mod staff;

pub use account::AccountPage;
pub use customers::CustomersPage;
pub use home::HomePage;
pub use import::ImportPage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use settings::SettingsPage;
pub use staff::StaffPage;

use leptos::prelude::*;

use crate::error::AppError;

/// A failed server call, in the reader's language, announced to screen readers.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let message = error.message(crate::context::texts());
    view! { <p class="notice error" role="alert">{message}</p> }
}
