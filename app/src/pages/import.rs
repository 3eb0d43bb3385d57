//! Importing affected customers, for managers and admins: upload for a dry run, read the counts and
//! every rejected row, then confirm.
//!
//! Both steps are plain form posts to `/import/customers` and `/import/customers/confirm`, which
//! answer with a redirect back here; the address then says what to show (`preview`, `done`,
//! `error`), so the page works the same with and without JavaScript.

use breachdesk::customer::{CsvEncoding, CsvField, RowProblem};
use breachdesk::import::{ImportRecord, ImportReport};
use leptos::either::{Either, EitherOf3};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::import::{list_imports, load_import_preview};
use crate::context::{lang, texts};
use crate::i18n::{Lang, Texts};
use crate::pages::{ErrorNotice, tokyo_time};

#[component]
pub fn ImportPage() -> impl IntoView {
    let t = texts();
    let query = use_query_map();
    let param = move |name: &str| query.read().get(name).filter(|value| !value.is_empty());
    let notice = move || {
        let error = param("error")?;
        Some(
            view! { <p class="notice error" role="alert" data-testid="import-error">{error_message(t, &error, param("columns"), param("line"))}</p> },
        )
    };
    let done = move || {
        param("done").map(
            |id| view! { <p class="notice success" role="status" data-testid="import-done">{(t.import_done)(&id)}</p> },
        )
    };
    let preview_token = move || param("preview");
    let preview = Resource::new(preview_token, |token| async move {
        match token {
            Some(token) => load_import_preview(token.clone())
                .await
                .map(|report| report.map(|report| (token, report))),
            None => Ok(None),
        }
    });
    let imports = Resource::new(|| (), |_| list_imports());
    view! {
        <Title text=t.import_title />
        <h1>{t.import_title}</h1>
        <p class="lead">{t.import_lead}</p>
        {notice}
        {done}
        <Transition fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match preview.await {
                    Ok(Some((token, report))) => EitherOf3::A(view! { <DryRun token report /> }),
                    Ok(None) => EitherOf3::B(preview_token().map(|_| view! { <p class="notice error" role="alert">{t.import_expired}</p> })),
                    Err(error) => EitherOf3::C(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
        <UploadForm />
        <Transition fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match imports.await {
                    Ok(records) => Either::Left(view! { <ImportHistory records /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn UploadForm() -> impl IntoView {
    let t = texts();
    let encodings = [
        (CsvEncoding::Auto, t.import_encoding_auto),
        (CsvEncoding::Utf8, "UTF-8"),
        (CsvEncoding::ShiftJis, "Shift_JIS (Windows-31J)"),
    ]
    .map(|(encoding, label)| view! { <option value=encoding.as_str()>{label}</option> });
    view! {
        <section class="card" aria-labelledby="import-upload">
            <h2 id="import-upload">{t.import_upload_title}</h2>
            <form method="post" action="/import/customers" enctype="multipart/form-data" class="form-grid" data-testid="import-upload">
                <label for="import-file">{t.import_file}</label>
                <div>
                    <input id="import-file" name="file" type="file" accept=".csv,text/csv" required aria-describedby="import-file-hint" />
                    <span class="hint" id="import-file-hint">{t.import_file_hint}</span>
                </div>
                <label for="import-encoding">{t.import_encoding}</label>
                <div><select id="import-encoding" name="encoding">{encodings}</select></div>
                <div></div>
                <div><button type="submit" class="primary" data-testid="import-dry-run">{t.import_dry_run}</button></div>
            </form>
        </section>
    }
}

/// The dry run's counts, every problem, and the confirmation.
#[component]
fn DryRun(token: String, report: ImportReport) -> impl IntoView {
    let t = texts();
    let lang = lang();
    let counts = report.counts;
    let rejected = counts.rejected > 0;
    let encoding = match report.encoding {
        CsvEncoding::ShiftJis => "Shift_JIS",
        CsvEncoding::Utf8 | CsvEncoding::Auto => "UTF-8",
    };
    let problems = report
        .problems
        .into_iter()
        .map(|problem| view! { <ProblemRow problem lang /> })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="import-dry-run-title" data-testid="import-preview">
            <h2 id="import-dry-run-title">{t.import_preview_title}</h2>
            <dl class="facts">
                <dt>{t.import_file}</dt><dd>{report.file_name}</dd>
                <dt>{t.import_encoding}</dt><dd>{encoding}</dd>
                <dt>{t.import_columns}</dt><dd>{report.columns.join("、")}</dd>
            </dl>
            <table class="data counts">
                <thead>
                    <tr>
                        <th scope="col">{t.import_new}</th>
                        <th scope="col">{t.import_updated}</th>
                        <th scope="col">{t.import_unchanged}</th>
                        <th scope="col">{t.import_rejected}</th>
                    </tr>
                </thead>
                <tbody>
                    <tr>
                        <td data-testid="count-new">{counts.new}</td>
                        <td data-testid="count-updated">{counts.updated}</td>
                        <td data-testid="count-unchanged">{counts.unchanged}</td>
                        <td data-testid="count-rejected">{counts.rejected}</td>
                    </tr>
                </tbody>
            </table>
            {rejected.then(|| view! {
                <h3>{t.import_problems}</h3>
                <div class="table-wrap">
                    <table class="data" data-testid="import-problems">
                        <thead>
                            <tr>
                                <th scope="col">{t.import_row}</th>
                                <th scope="col">{t.import_column}</th>
                                <th scope="col">{t.import_reason}</th>
                            </tr>
                        </thead>
                        <tbody>{problems}</tbody>
                    </table>
                </div>
            })}
            <form method="post" action="/import/customers/confirm" class="confirm" data-testid="import-confirm">
                <input type="hidden" name="token" value=token />
                {rejected.then(|| view! {
                    <p>
                        <input id="allow-partial" name="allow_partial" type="checkbox" />
                        " "<label for="allow-partial">{t.import_allow_partial}</label>
                    </p>
                })}
                <button type="submit" class="primary" data-testid="import-confirm-button">{t.import_confirm}</button>
            </form>
        </section>
    }
}

#[component]
fn ProblemRow(problem: RowProblem, lang: Lang) -> impl IntoView {
    let reason = match lang {
        Lang::Ja => problem.reason.message_ja(),
        Lang::En => problem.reason.message_en(),
    };
    view! {
        <tr>
            <td>{problem.row}</td>
            <td>{problem.column}</td>
            <td>{reason}</td>
        </tr>
    }
}

#[component]
fn ImportHistory(records: Vec<ImportRecord>) -> impl IntoView {
    let t = texts();
    if records.is_empty() {
        return Either::Left(view! { <p class="muted">{t.import_none_yet}</p> });
    }
    let rows = records
        .into_iter()
        .map(|record| {
            let report_href = format!("/import/reports/{}", record.id);
            view! {
                <tr>
                    <td>{tokyo_time(&record.created_at)}</td>
                    <td>{record.file_name}</td>
                    <td>{record.encoding}</td>
                    <td>{record.staff_name.unwrap_or_else(|| t.import_by_command_line.to_owned())}</td>
                    <td>{record.new_count}</td>
                    <td>{record.updated_count}</td>
                    <td>{record.unchanged_count}</td>
                    <td>{record.rejected_count}</td>
                    <td><a href=report_href download="">{t.import_report}</a></td>
                </tr>
            }
        })
        .collect_view();
    Either::Right(view! {
        <section aria-labelledby="import-history">
            <h2 id="import-history">{t.import_history}</h2>
            <div class="table-wrap">
                <table class="data" data-testid="import-history">
                    <thead>
                        <tr>
                            <th scope="col">{t.import_when}</th>
                            <th scope="col">{t.import_file}</th>
                            <th scope="col">{t.import_encoding}</th>
                            <th scope="col">{t.import_who}</th>
                            <th scope="col">{t.import_new}</th>
                            <th scope="col">{t.import_updated}</th>
                            <th scope="col">{t.import_unchanged}</th>
                            <th scope="col">{t.import_rejected}</th>
                            <th scope="col">{t.import_report}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    })
}

/// The message for an error code in the address. Only known codes, field names and a line
/// number are read from it, so a crafted link cannot put arbitrary words on this page.
fn error_message(t: &Texts, code: &str, columns: Option<String>, line: Option<String>) -> String {
    match code {
        "no_file" => t.import_error_no_file.to_owned(),
        "too_large" => t.import_error_too_large.to_owned(),
        "empty" => t.import_error_empty.to_owned(),
        "duplicate_column" => t.import_error_duplicate_column.to_owned(),
        "missing_columns" => {
            let labels: Vec<&str> = columns
                .unwrap_or_default()
                .split(',')
                .filter_map(CsvField::from_header)
                .map(|field| {
                    if lang() == Lang::Ja {
                        field.label_ja()
                    } else {
                        field.label_en()
                    }
                })
                .collect();
            (t.import_error_missing_columns)(&labels.join(", "))
        }
        "undecodable" => {
            let line = line.and_then(|line| line.parse::<u64>().ok()).unwrap_or(0);
            (t.import_error_undecodable)(line)
        }
        "rejected" => t.import_error_rejected.to_owned(),
        "expired" => t.import_expired.to_owned(),
        "unreadable" => t.import_error_unreadable.to_owned(),
        _ => t.error_internal.to_owned(),
    }
}
