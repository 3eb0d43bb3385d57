//! Letters, for managers and admins: each audience with its size and links to its batch PDF and
//! mailing list. The links are plain downloads (`server/src/letter_routes.rs`), so the page works
//! without JavaScript.

use breachdesk::audience::Audience;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::letters::{LettersOverview, load_letters_overview};
use crate::context::{lang, texts};
use crate::pages::ErrorNotice;

#[component]
pub fn LettersPage() -> impl IntoView {
    let t = texts();
    let lt = lang().letters_texts();
    let overview = Resource::new(|| (), |_| load_letters_overview());
    view! {
        <Title text=lt.title />
        <h1>{lt.title}</h1>
        <p class="lead">{lt.lead}</p>
        <Transition fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(overview) => Either::Left(view! { <Audiences overview /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
        <p class="hint">{lt.one_letter_hint}</p>
    }
}

#[component]
fn Audiences(overview: LettersOverview) -> impl IntoView {
    let lt = lang().letters_texts();
    let Some((name, version)) = overview.template else {
        return Either::Left(view! { <p class="notice error" role="alert">{lt.error_no_template}</p> });
    };
    let rows = overview
        .audiences
        .into_iter()
        .map(|(audience, count)| view! { <AudienceRow audience count /> })
        .collect_view();
    Either::Right(view! {
        <p class="muted" data-testid="letters-template">{(lt.template_in_use)(&name, version)}</p>
        <div class="table-wrap">
            <table class="data" data-testid="letters-audiences">
                <thead>
                    <tr>
                        <th scope="col">{lt.audience}</th>
                        <th scope="col">{lt.count}</th>
                        <th scope="col">{lt.downloads}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <p class="hint">{lt.slow_hint}</p>
    })
}

#[component]
fn AudienceRow(audience: Audience, count: u64) -> impl IntoView {
    let lang = lang();
    let lt = lang.letters_texts();
    let name = audience.as_str();
    // `download` and rel="external" keep the client-side router from treating the links as pages.
    let links = if count == 0 {
        Either::Left(view! { <span class="muted">{lt.empty}</span> })
    } else {
        Either::Right(view! {
            <a href=format!("/letters/batch.pdf?audience={name}") download rel="external"
                data-testid=format!("letters-pdf-{name}")>{lt.batch_pdf}</a>
            " · "
            <a href=format!("/letters/mailing-list.csv?audience={name}") download rel="external"
                data-testid=format!("letters-csv-{name}")>{lt.mailing_list}</a>
        })
    };
    view! {
        <tr data-testid=format!("audience-{name}")>
            <th scope="row">{lang.audience_label(audience)}</th>
            <td data-testid=format!("audience-count-{name}")>{(lt.customers)(count)}</td>
            <td>{links}</td>
        </tr>
    }
}
