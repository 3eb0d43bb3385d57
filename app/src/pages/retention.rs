//! Closing the programme: a dry run of the purge, then the purge confirmed with the dry run's count.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::retention::{PurgeDryRun, PurgePersonalData};
use crate::context::lang;
use crate::pages::ErrorNotice;

#[component]
pub fn RetentionPage() -> impl IntoView {
    let r = lang().retention_texts();
    let dry_run = ServerAction::<PurgeDryRun>::new();
    let purge = ServerAction::<PurgePersonalData>::new();
    let dry_run_outcome = move || {
        dry_run.value().get().map(|outcome| match outcome {
            Ok(summary) => {
                Either::Left(view! { <p class="notice" role="status">{(r.would_purge)(summary.customers)}</p> })
            }
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    let purge_outcome = move || {
        purge.value().get().map(|outcome| match outcome {
            Ok(summary) => {
                Either::Left(view! { <p class="notice success" role="status">{(r.purged)(summary.customers)}</p> })
            }
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    view! {
        <Title text=r.title />
        <h1>{r.title}</h1>
        <section class="card narrow">
            <p>{r.intro}</p>
            <p>{r.kept}</p>
            {dry_run_outcome}
            <ActionForm action=dry_run attr:class="stack">
                <label for="dry-run-before">{r.before}</label>
                <input id="dry-run-before" name="request[before]" type="date" required />
                <button type="submit">{r.dry_run}</button>
            </ActionForm>
        </section>
        <section class="card narrow">
            <h2>{r.purge_heading}</h2>
            {purge_outcome}
            <ActionForm action=purge attr:class="stack">
                <label for="purge-before">{r.before}</label>
                <input id="purge-before" name="request[before]" type="date" required />
                <label for="purge-expected">{r.expected}</label>
                <input id="purge-expected" name="request[expected]" inputmode="numeric" aria-describedby="purge-expected-help" required />
                <p id="purge-expected-help" class="hint">{r.expected_help}</p>
                <button type="submit" class="primary">{r.purge}</button>
            </ActionForm>
        </section>
    }
}
