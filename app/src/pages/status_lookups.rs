//! Managers: the status page's lookups per hour with failure spikes, and the FAQ it shows.

use breachdesk::status_page::LookupReport;
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::status::{FaqForm, SaveFaq, load_faq, load_lookup_report};
use crate::context::{lang, texts};
use crate::error::AppError;
use crate::pages::{ErrorNotice, textarea_text};

#[component]
pub fn StatusLookupsPage() -> impl IntoView {
    let s = lang().status_texts();
    let report = Resource::new_blocking(|| (), |_| load_lookup_report());
    let save = ServerAction::<SaveFaq>::new();
    let faq = Resource::new_blocking(|| (), |_| load_faq());
    view! {
        <Title text=s.report_title />
        <h1>{s.report_title}</h1>
        <p class="lead">{s.report_lead}</p>
        <Suspense fallback=move || view! { <p class="loading">{texts().loading}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(report) => Either::Left(view! { <ReportView report /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Suspense>
        <FaqEditor stored=faq save />
    }
}

#[component]
fn ReportView(report: LookupReport) -> impl IntoView {
    let s = lang().status_texts();
    let spikes = report.hours.iter().filter(|hour| hour.spike).count();
    let summary = if spikes == 0 {
        Either::Left(view! { <p class="notice" role="status" data-testid="lookup-spikes">{s.report_spikes_none}</p> })
    } else {
        Either::Right(view! {
            <p class="notice error" role="alert" data-testid="lookup-spikes">{(s.report_spikes_found)(spikes)}</p>
        })
    };
    let rows = report
        .hours
        .into_iter()
        .filter(|hour| hour.succeeded + hour.failed + hour.refused > 0)
        .map(|hour| {
            view! {
                <tr class:spike=hour.spike>
                    <th scope="row">{hour.hour}</th>
                    <td class="number">{hour.succeeded}</td>
                    <td class="number">{hour.failed}</td>
                    <td class="number">{hour.refused}</td>
                    <td>{hour.spike.then_some(s.report_spike)}</td>
                </tr>
            }
        })
        .collect_view();
    let addresses = if report.addresses.is_empty() {
        Either::Left(view! { <p>{s.report_addresses_none}</p> })
    } else {
        let rows = report
            .addresses
            .into_iter()
            .map(|address| {
                view! {
                    <tr>
                        <th scope="row">{address.address}</th>
                        <td class="number">{address.failed}</td>
                        <td class="number">{address.refused}</td>
                    </tr>
                }
            })
            .collect_view();
        Either::Right(view! {
            <div class="table-wrap">
                <table class="data" data-testid="lookup-addresses">
                    <thead>
                        <tr>
                            <th scope="col">{s.report_address}</th>
                            <th scope="col">{s.report_failed}</th>
                            <th scope="col">{s.report_refused}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        })
    };
    view! {
        <section class="card" aria-labelledby="lookup-hours">
            <h2 id="lookup-hours" class="visually-hidden">{s.report_hour}</h2>
            {summary}
            <p class="hint">{s.report_quiet_hours_hidden}</p>
            <div class="table-wrap">
                <table class="data" data-testid="lookup-report">
                    <thead>
                        <tr>
                            <th scope="col">{s.report_hour}</th>
                            <th scope="col">{s.report_succeeded}</th>
                            <th scope="col">{s.report_failed}</th>
                            <th scope="col">{s.report_refused}</th>
                            <th scope="col">{s.report_spike}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
        <section class="card" aria-labelledby="lookup-addresses-heading">
            <h2 id="lookup-addresses-heading">{s.report_addresses}</h2>
            {addresses}
        </section>
    }
}

#[component]
fn FaqEditor(stored: Resource<Result<FaqForm, AppError>>, save: ServerAction<SaveFaq>) -> impl IntoView {
    let s = lang().status_texts();
    // Only a successful save replaces the form: after a refusal the manager's entries stay to be corrected.
    let saved = RwSignal::new(None::<FaqForm>);
    Effect::new(move || {
        if let Some(Ok(form)) = save.value().get() {
            saved.set(Some(form));
        }
    });
    let outcome = move || {
        save.value().get().map(|outcome| match outcome {
            Ok(_) => Either::Left(
                view! { <p class="notice success" role="status" data-testid="faq-saved">{s.faq_saved}</p> },
            ),
            Err(error) => Either::Right(view! { <ErrorNotice error /> }),
        })
    };
    view! {
        <section class="card" aria-labelledby="faq-editor">
            <h2 id="faq-editor">{s.faq_editor_heading}</h2>
            <p class="lead">{s.faq_editor_lead}</p>
            {outcome}
            <Transition fallback=move || view! { <p class="loading">{texts().loading}</p> }>
                {move || Suspend::new(async move {
                    let loaded = stored.await;
                    move || match (saved.get(), loaded.clone()) {
                        (Some(form), _) | (None, Ok(form)) => Either::Left(view! { <FaqFormView form save /> }),
                        (None, Err(error)) => Either::Right(view! { <ErrorNotice error /> }),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn FaqFormView(form: FaqForm, save: ServerAction<SaveFaq>) -> impl IntoView {
    let s = lang().status_texts();
    let entries = form
        .entries
        .into_iter()
        .enumerate()
        .map(|(row, entry)| {
            let name = move |field: &str| format!("form[entries][{row}][{field}]");
            let id = move |field: &str| format!("faq-{row}-{field}");
            view! {
                <fieldset class="faq-entry" data-testid="faq-entry">
                    <legend>{(s.faq_entry)(row + 1)}</legend>
                    <label for=id("question_ja")>{s.faq_question_ja}</label>
                    <input id=id("question_ja") name=name("question_ja") value=entry.question_ja />
                    <label for=id("answer_ja")>{s.faq_answer_ja}</label>
                    <textarea id=id("answer_ja") name=name("answer_ja") rows="3">{textarea_text(&entry.answer_ja)}</textarea>
                    <label for=id("question_en")>{s.faq_question_en}</label>
                    <input id=id("question_en") name=name("question_en") value=entry.question_en />
                    <label for=id("answer_en")>{s.faq_answer_en}</label>
                    <textarea id=id("answer_en") name=name("answer_en") rows="3">{textarea_text(&entry.answer_en)}</textarea>
                </fieldset>
            }
        })
        .collect_view();
    view! {
        <ActionForm action=save attr:class="stack" attr:data-testid="faq-form">
            {entries}
            <button type="submit" class="primary">{s.faq_save}</button>
        </ActionForm>
    }
}
