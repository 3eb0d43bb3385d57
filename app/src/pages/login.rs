//! Staff sign-in: a plain form posted to `/auth/login`, so it works without JavaScript.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::context::texts;
use crate::layout::LanguageSwitch;

#[component]
pub fn LoginPage() -> impl IntoView {
    let t = texts();
    let query = use_query_map();
    let notice = move || {
        let query = query.read();
        if query.get("error").is_some() {
            Some(Either::Left(view! {
                <p class="notice error" role="alert" data-testid="sign-in-error">{t.sign_in_failed}</p>
            }))
        } else if query.get("signed_out").is_some() {
            Some(Either::Right(
                view! { <p class="notice" role="status">{t.signed_out}</p> },
            ))
        } else {
            None
        }
    };
    let next = move || query.read().get("next").unwrap_or_default();
    view! {
        <Title text=t.sign_in_title />
        <main id="main" class="login">
            <div class="login-card">
                <div class="login-top">
                    <span class="product">{t.product}</span>
                    <LanguageSwitch />
                </div>
                <h1>{t.sign_in_title}</h1>
                <p class="lead">{t.sign_in_lead}</p>
                {notice}
                <form method="post" action="/auth/login" class="stack">
                    <input type="hidden" name="next" value=next />
                    <label for="email">{t.email}</label>
                    <input id="email" name="email" type="email" autocomplete="username" required autofocus />
                    <label for="password">{t.password}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required />
                    <button type="submit" class="primary">{t.sign_in}</button>
                </form>
            </div>
        </main>
    }
}
