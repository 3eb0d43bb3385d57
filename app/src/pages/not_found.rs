//! The page for an unknown address, answered with HTTP 404.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::context::texts;

#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let t = texts();
    view! {
        <Title text=t.error_title />
        <main id="main" class="page narrow">
            <h1>{t.error_not_found}</h1>
            <p><a href="/">{t.back_home}</a></p>
        </main>
    }
}
