//! The regulator report helper (APPI): the date the breach became known and the deadlines that
//! follow from it, the nine items drafted from the incident and live figures, each editable, and
//! the whole report as text or PDF.

use breachdesk::case::appi::{AppiReport, ItemText, ReportDeadlines, japanese_date};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::case::{ResetReportItem, SaveKnownDate, SaveReportItem, load_appi_report};
use crate::context::{lang, texts};
use crate::i18n::Lang;
use crate::pages::{ErrorNotice, textarea_text};

#[component]
pub fn ReportsPage() -> impl IntoView {
    let t = texts();
    let c = lang().case_texts();
    let save_item = ServerAction::<SaveReportItem>::new();
    let reset_item = ServerAction::<ResetReportItem>::new();
    let save_known = ServerAction::<SaveKnownDate>::new();
    let report = Resource::new(
        move || {
            (
                save_item.version().get(),
                reset_item.version().get(),
                save_known.version().get(),
            )
        },
        |_| load_appi_report(),
    );
    let outcome = move || {
        let errors = [
            save_item.value().get().and_then(Result::err),
            save_known.value().get().and_then(Result::err),
        ];
        errors
            .into_iter()
            .flatten()
            .next()
            .map(|error| view! { <ErrorNotice error /> })
    };
    let saved = move || {
        matches!(save_item.value().get(), Some(Ok(())))
            .then(|| view! { <p class="notice success" role="status" data-testid="report-saved">{c.saved}</p> })
    };
    view! {
        <Title text=c.reports_title />
        <h1>{c.reports_title}</h1>
        <p class="lead">{c.reports_lead}</p>
        {outcome}
        {saved}
        <Transition fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(report) => Either::Left(view! { <ReportBody report save_item reset_item save_known /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn ReportBody(
    report: AppiReport,
    save_item: ServerAction<SaveReportItem>,
    reset_item: ServerAction<ResetReportItem>,
    save_known: ServerAction<SaveKnownDate>,
) -> impl IntoView {
    let lang = lang();
    let c = lang.case_texts();
    let items = report
        .items
        .into_iter()
        .enumerate()
        .map(|(index, item)| view! { <ReportItemForm number=index + 1 item save_item reset_item /> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="report-deadlines" data-testid="report-deadlines">
            <h2 id="report-deadlines">{c.deadlines}</h2>
            <Deadlines deadlines=report.deadlines lang />
            <ActionForm action=save_known attr:class="form-grid" attr:data-testid="known-form">
                <label for="known-on">{c.known_on}</label>
                <input id="known-on" name="form[known_on]" type="date" required
                    value=report.deadlines.map(|deadlines| deadlines.known_on.to_string()) />
                <div></div>
                <label class="checkbox">
                    <input type="checkbox" name="form[unauthorised_access]"
                        checked=report.deadlines.is_some_and(|deadlines| deadlines.unauthorised_access) />
                    " "{c.unauthorised_access}
                </label>
                <div></div>
                <div><button type="submit" class="secondary">{c.save}</button></div>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="report-title">
            <h2 id="report-title" data-testid="report-title">{report.title}</h2>
            <p>
                <a href="/reports/appi.txt" rel="external" data-testid="report-text">{c.download_text}</a>
                " ・ "
                <a href="/reports/appi.pdf" rel="external" data-testid="report-pdf">{c.download_pdf}</a>
            </p>
            <ol class="report-items" data-testid="report-items">{items}</ol>
        </section>
    }
}

#[component]
fn Deadlines(deadlines: Option<ReportDeadlines>, lang: Lang) -> impl IntoView {
    let c = lang.case_texts();
    let day = move |date| match lang {
        Lang::Ja => japanese_date(date),
        Lang::En => date.to_string(),
    };
    match deadlines {
        Some(deadlines) => {
            let final_days = if deadlines.unauthorised_access { 60 } else { 30 };
            Either::Left(view! {
                <ul>
                    <li data-testid="deadline-preliminary">{(c.deadline_preliminary)(&day(deadlines.preliminary_from), &day(deadlines.preliminary_by))}</li>
                    <li data-testid="deadline-final">{(c.deadline_final)(&day(deadlines.final_by), final_days)}</li>
                </ul>
            })
        }
        None => Either::Right(view! { <p class="muted">{c.known_missing}</p> }),
    }
}

#[component]
fn ReportItemForm(
    number: usize,
    item: ItemText,
    save_item: ServerAction<SaveReportItem>,
    reset_item: ServerAction<ResetReportItem>,
) -> impl IntoView {
    let lang = lang();
    let c = lang.case_texts();
    let code = item.item.code();
    let id = format!("report-{code}");
    let heading = match lang {
        Lang::Ja => item.item.label_ja().to_owned(),
        Lang::En => format!("{} ({})", item.item.label_ja(), item.item.label_en()),
    };
    let badge = if item.edited { c.edited } else { c.drafted };
    view! {
        <li data-testid=format!("report-item-{code}")>
            <ActionForm action=save_item attr:class="stack">
                <label for=id.clone()>
                    <strong>{number}". "{heading}</strong>" "<span class="badge">{badge}</span>
                </label>
                <input type="hidden" name="form[item]" value=code />
                <textarea id=id name="form[body]" rows="5" maxlength="4000">{textarea_text(&item.body)}</textarea>
                <button type="submit" class="secondary">{c.save}</button>
            </ActionForm>
            {item.edited.then(|| view! {
                <ActionForm action=reset_item attr:class="inline">
                    <input type="hidden" name="item" value=code />
                    <button type="submit" class="link-button">{c.reset}</button>
                </ActionForm>
            })}
        </li>
    }
}
