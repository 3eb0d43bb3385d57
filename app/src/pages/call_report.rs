//! The call desk's report: calls per day and hour (in and out of hours), by category and outcome,
//! average talk time and the callback queue; SVG charts drawn on the server, and the CSV export.
//! The date range is a GET form, so it works without JavaScript.

use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::calls::{CallReportView, load_call_report};
use crate::context::lang;
use crate::pages::ErrorNotice;

#[component]
pub fn CallReportPage() -> impl IntoView {
    let t = lang().calls_texts();
    let query = use_query_map();
    let report = Resource::new(
        move || {
            let query = query.read();
            (
                query.get("from").unwrap_or_default(),
                query.get("until").unwrap_or_default(),
            )
        },
        |(from, until)| load_call_report(from, until),
    );
    view! {
        <Title text=t.report_title />
        <h1>{t.report_title}</h1>
        <Transition fallback=move || view! { <p class="loading">{lang().texts().loading}</p> }>
            {move || Suspend::new(async move {
                match report.await {
                    Ok(view) => Either::Left(view! { <Report view /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn Report(view: CallReportView) -> impl IntoView {
    let lang = lang();
    let t = lang.calls_texts();
    let report = view.report;
    let average = report
        .average_talk_tenths
        .map(|tenths| format!("{}.{}", tenths / 10, tenths % 10))
        .unwrap_or_else(|| "—".to_owned());
    let export = |encoding: &str| {
        format!(
            "/calls/export.csv?from={}&until={}&encoding={encoding}",
            view.from, view.until
        )
    };
    let day_rows = report
        .per_day
        .iter()
        .map(|(day, split)| view! { <tr><th scope="row">{day.to_string()}</th><td>{split.in_hours}</td><td>{split.out_of_hours}</td></tr> })
        .collect_view();
    let hour_rows = report
        .per_hour
        .iter()
        .enumerate()
        .filter(|(_, split)| split.total() > 0)
        .map(|(hour, split)| view! { <tr><th scope="row">{format!("{hour}:00")}</th><td>{split.in_hours}</td><td>{split.out_of_hours}</td></tr> })
        .collect_view();
    view! {
        <form method="get" action="/calls/report" class="search-form">
            <label for="report-from">{t.report_from}</label>
            <input id="report-from" name="from" type="date" value=view.from.clone() data-testid="report-from" />
            <label for="report-until">{t.report_until}</label>
            <input id="report-until" name="until" type="date" value=view.until.clone() data-testid="report-until" />
            <button type="submit" class="primary" data-testid="report-show">{t.show}</button>
        </form>
        <dl class="figures">
            <div><dt>{t.total_calls}</dt><dd data-testid="report-total">{report.total.total()}</dd></div>
            <div><dt>{t.in_hours}</dt><dd data-testid="report-in-hours">{report.total.in_hours}</dd></div>
            <div><dt>{t.out_of_hours}</dt><dd data-testid="report-out-of-hours">{report.total.out_of_hours}</dd></div>
            <div><dt>{t.average_talk}</dt><dd data-testid="report-average">{average}</dd></div>
            <div><dt>{t.open_callbacks}</dt><dd data-testid="report-open-callbacks">{view.open_callbacks}</dd></div>
            <div><dt>{t.overdue_callbacks}</dt><dd data-testid="report-overdue-callbacks">{view.overdue_callbacks}</dd></div>
        </dl>
        <ul>
            <li><a href=export("utf-8") rel="external" data-testid="export-calls-utf8">{t.export_utf8}</a></li>
            <li><a href=export("shift_jis") rel="external">{t.export_sjis}</a></li>
        </ul>
        <section class="card">
            <h2>{t.per_day}</h2>
            <div class="chart-box" inner_html=view.day_chart></div>
            <details>
                <summary>{t.chart_numbers}</summary>
                <table class="data compact counts">
                    <thead><tr><th scope="col">{t.when}</th><th scope="col">{t.in_hours}</th><th scope="col">{t.out_of_hours}</th></tr></thead>
                    <tbody>{day_rows}</tbody>
                </table>
            </details>
        </section>
        <section class="card">
            <h2>{t.per_hour}</h2>
            <div class="chart-box" inner_html=view.hour_chart></div>
            <details>
                <summary>{t.chart_numbers}</summary>
                <table class="data compact counts">
                    <thead><tr><th scope="col">{t.when}</th><th scope="col">{t.in_hours}</th><th scope="col">{t.out_of_hours}</th></tr></thead>
                    <tbody>{hour_rows}</tbody>
                </table>
            </details>
        </section>
        <section class="card">
            <h2>{t.per_category}</h2>
            <div class="chart-box" inner_html=view.category_chart></div>
        </section>
        <section class="card">
            <h2>{t.per_outcome}</h2>
            <div class="chart-box" inner_html=view.outcome_chart></div>
        </section>
    }
}
