//! A staff member's own account: change the password.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::account::ChangePassword;
use crate::context::texts;
use crate::pages::ErrorNotice;

#[component]
pub fn AccountPage() -> impl IntoView {
    let t = texts();
    let change = ServerAction::<ChangePassword>::new();
    let outcome = change.value();
    let result = move || {
        outcome.get().map(|outcome| match outcome {
            Ok(()) => Either::Left(view! { <p class="notice success" role="status">{t.password_changed}</p> }),
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    view! {
        <Title text=t.account_title />
        <h1>{t.account_title}</h1>
        <section class="card narrow">
            <h2>{t.change_password}</h2>
            {result}
            <ActionForm action=change attr:class="stack">
                <label for="current">{t.current_password}</label>
                <input id="current" name="change[current]" type="password" autocomplete="current-password" required />
                <label for="new">{t.new_password}</label>
                <input id="new" name="change[new]" type="password" autocomplete="new-password" minlength="12" required />
                <button type="submit" class="primary">{t.change_password}</button>
            </ActionForm>
        </section>
    }
}
