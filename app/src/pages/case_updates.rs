//! Bulk status updates for managers: upload a card company's list, read the dry run row by row,
//! then apply it all at once.
//!
//! Both steps are plain form posts to `/case-updates/upload` and `/case-updates/confirm`, which
//! answer with a redirect back here carrying `preview`, `done` or `error` in the address, so the
//! page works the same with and without JavaScript.

use breachdesk::case::bulk::{BulkReport, RowOutcome};
use leptos::either::EitherOf3;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::case::load_case_update_preview;
use crate::context::{lang, texts};
use crate::i18n::cases::CaseTexts;
use crate::pages::ErrorNotice;

fn error_message(c: &CaseTexts, code: &str, line: Option<String>) -> String {
    match code {
        "no_file" => c.bulk_error_no_file.to_owned(),
        "too_large" => c.bulk_error_too_large.to_owned(),
        "undecodable" => c.bulk_error_undecodable.to_owned(),
        "empty" => c.bulk_error_empty.to_owned(),
        "missing_columns" => c.bulk_error_missing_columns.to_owned(),
        "malformed" => (c.bulk_error_malformed)(&line.unwrap_or_default()),
        "expired" => c.bulk_error_expired.to_owned(),
        "refused" => c.bulk_error_refused.to_owned(),
        _ => c.bulk_error_internal.to_owned(),
    }
}

#[component]
pub fn CaseUpdatesPage() -> impl IntoView {
    let t = texts();
    let c = lang().case_texts();
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).filter(|value| !value.is_empty());
    let notice = move || {
        param("error").map(|code| {
            view! { <p class="notice error" role="alert" data-testid="bulk-error">{error_message(c, &code, param("line"))}</p> }
        })
    };
    let done = move || {
        param("done").map(
            |id| view! { <p class="notice success" role="status" data-testid="bulk-done">{(c.bulk_done)(&id)}</p> },
        )
    };
    let token = move || param("preview");
    let preview = Resource::new(token, |token| async move {
        match token {
            Some(token) => load_case_update_preview(token.clone())
                .await
                .map(|report| report.map(|report| (token, report))),
            None => Ok(None),
        }
    });
    view! {
        <Title text=c.bulk_title />
        <h1>{c.bulk_title}</h1>
        <p class="lead">{c.bulk_lead}</p>
        {notice}
        {done}
        <Transition fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok(Some((token, report))) => EitherOf3::A(view! { <BulkDryRun token report /> }),
                    Ok(None) => EitherOf3::B(token().map(|_| view! { <p class="notice error" role="alert">{c.bulk_error_expired}</p> })),
                    Err(error) => EitherOf3::C(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
        <section class="card" aria-labelledby="bulk-upload">
            <h2 id="bulk-upload">{c.bulk_file}</h2>
            <p class="hint">{c.bulk_format}</p>
            <form method="post" action="/case-updates/upload" enctype="multipart/form-data" class="form-grid" data-testid="bulk-upload">
                <label for="bulk-file">{c.bulk_file}</label>
                <div><input id="bulk-file" name="file" type="file" accept=".csv,text/csv" required /></div>
                <label for="bulk-encoding">{c.bulk_encoding}</label>
                <div>
                    <select id="bulk-encoding" name="encoding">
                        <option value="auto">{c.bulk_encoding_auto}</option>
                        <option value="utf-8">"UTF-8"</option>
                        <option value="shift_jis">"Shift_JIS (Windows-31J)"</option>
                    </select>
                </div>
                <div></div>
                <div><button type="submit" class="primary" data-testid="bulk-dry-run">{c.bulk_upload}</button></div>
            </form>
        </section>
    }
}

#[component]
fn BulkDryRun(token: String, report: BulkReport) -> impl IntoView {
    let lang = lang();
    let c = lang.case_texts();
    let counts = report.counts;
    let can_apply = report.can_apply();
    let rows = report
        .rows
        .into_iter()
        .map(|row| {
            let problem = row.outcome != RowOutcome::Matched;
            view! {
                <tr class:problem=problem data-outcome=if problem { "problem" } else { "matched" }>
                    <td>{row.line}</td>
                    <td>{c.outcome(row.outcome, lang)}</td>
                    <td>{row.customer.map(|code| view! { <code class="reference-code">{code}</code> })}</td>
                    <td>{row.to.map(|state| lang.state_label(state))}</td>
                </tr>
            }
        })
        .collect_view();
    let confirm = if can_apply {
        leptos::either::Either::Left(view! {
            <form method="post" action="/case-updates/confirm" data-testid="bulk-confirm-form">
                <input type="hidden" name="token" value=token />
                <button type="submit" class="primary" data-testid="bulk-confirm">{c.bulk_confirm}</button>
            </form>
        })
    } else {
        leptos::either::Either::Right(
            view! { <p class="notice error" role="alert" data-testid="bulk-cannot-apply">{c.bulk_cannot_apply}</p> },
        )
    };
    view! {
        <section class="card" aria-labelledby="bulk-dry-run-title" data-testid="bulk-preview">
            <h2 id="bulk-dry-run-title">{(c.bulk_dry_run)(&report.file_name)}</h2>
            <table class="data counts">
                <thead>
                    <tr>
                        <th scope="col">{c.bulk_matched}</th>
                        <th scope="col">{c.bulk_unmatched}</th>
                        <th scope="col">{c.bulk_ambiguous}</th>
                        <th scope="col">{c.bulk_invalid_transition}</th>
                        <th scope="col">{(c.bulk_invalid_value)("…")}</th>
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <td data-testid="bulk-count-matched">{counts.matched}</td>
                        <td data-testid="bulk-count-unmatched">{counts.unmatched}</td>
                        <td data-testid="bulk-count-ambiguous">{counts.ambiguous}</td>
                        <td data-testid="bulk-count-invalid-transition">{counts.invalid_transition}</td>
                        <td data-testid="bulk-count-invalid-value">{counts.invalid_value}</td>
                    </tr>
                </tbody>
            </table>
            <div class="table-wrap">
                <table class="data" data-testid="bulk-rows">
                    <thead>
                        <tr>
                            <th scope="col">{c.bulk_line}</th>
                            <th scope="col">{c.bulk_outcome}</th>
                            <th scope="col">{c.bulk_customer}</th>
                            <th scope="col">{c.bulk_new_status}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {confirm}
        </section>
    }
}
