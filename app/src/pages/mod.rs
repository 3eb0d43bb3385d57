//! One module per page.

mod account;
mod home;
mod login;
mod not_found;
mod staff;

pub use account::AccountPage;
pub use home::HomePage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use staff::StaffPage;

use leptos::prelude::*;

use crate::error::AppError;

/// A failed server call, in the reader's language, announced to screen readers.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let message = error.message(crate::context::texts());
    view! { <p class="notice error" role="alert">{message}</p> }
}
