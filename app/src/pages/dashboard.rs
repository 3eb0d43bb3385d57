//! The programme dashboard for managers: where the notification, reissue and refund work stands.
//!
//! Charts are SVG drawn on the server (role="img" with a title and description); each chart's
//! numbers are also in a table below it. Unresolved escalations from the call desk are announced
//! at the top; the desk's own figures are on the Calls report page.

use breachdesk::case::programme::{ProgrammeFigures, Series, table};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::case::{Dashboard, load_dashboard};
use crate::context::{lang, texts};
use crate::pages::{ErrorNotice, OpenEscalationsNotice};

#[component]
pub fn DashboardPage() -> impl IntoView {
    let t = texts();
    let c = lang().case_texts();
    let dashboard = Resource::new(|| (), |_| load_dashboard());
    view! {
        <Title text=c.dashboard_title />
        <h1>{c.dashboard_title}</h1>
        <OpenEscalationsNotice />
        <Transition fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match dashboard.await {
                    Ok(dashboard) => Either::Left(view! { <DashboardBody dashboard /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn DashboardBody(dashboard: Dashboard) -> impl IntoView {
    let lang = lang();
    let c = lang.case_texts();
    let ProgrammeFigures {
        affected,
        notified_by_email,
        notified_by_letter,
        not_reached,
        bounced_outstanding,
        returned_outstanding,
        reissue,
        refund,
        refunded_total,
        refund_in_progress_total,
        notification_progress,
        reissue_progress,
        refund_progress,
    } = dashboard.figures;
    let figure = |label: &'static str, value: String, id: &'static str| {
        view! { <div class="figure"><dt>{label}</dt><dd data-testid=id>{value}</dd></div> }
    };
    let reissue_rows = reissue
        .into_iter()
        .map(|(state, count)| {
            let state = breachdesk::case::CaseState::Reissue(state);
            view! { <tr><th scope="row">{lang.state_label(state)}</th><td data-testid=format!("reissue-{}", state.code())>{count}</td></tr> }
        })
        .collect_view();
    let refund_rows = refund
        .into_iter()
        .map(|(state, count)| {
            let state = breachdesk::case::CaseState::Refund(state);
            view! { <tr><th scope="row">{lang.state_label(state)}</th><td data-testid=format!("refund-{}", state.code())>{count}</td></tr> }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="dashboard-notification">
            <h2 id="dashboard-notification">{c.dashboard_notification}</h2>
            <dl class="figures">
                {figure(c.affected, affected.to_string(), "figure-affected")}
                {figure(c.notified_by_email, notified_by_email.to_string(), "figure-email")}
                {figure(c.notified_by_letter, notified_by_letter.to_string(), "figure-letter")}
                {figure(c.not_reached, not_reached.to_string(), "figure-not-reached")}
                {figure(c.bounced_outstanding, bounced_outstanding.to_string(), "figure-bounced")}
                {figure(c.returned_outstanding, returned_outstanding.to_string(), "figure-returned")}
            </dl>
            <Chart svg=dashboard.notification_chart series=notification_progress caption=c.chart_notification />
        </section>
        <div class="two-columns">
            <section class="card" aria-labelledby="dashboard-reissue">
                <h2 id="dashboard-reissue">{lang.kind_label(breachdesk::case::CaseKind::Reissue)}</h2>
                <table class="data compact counts" data-testid="reissue-counts">
                    <thead><tr><th scope="col">{c.state}</th><th scope="col">{c.customers}</th></tr></thead>
                    <tbody>{reissue_rows}</tbody>
                </table>
            </section>
            <section class="card" aria-labelledby="dashboard-refund">
                <h2 id="dashboard-refund">{lang.kind_label(breachdesk::case::CaseKind::Refund)}</h2>
                <table class="data compact counts" data-testid="refund-counts">
                    <thead><tr><th scope="col">{c.state}</th><th scope="col">{c.customers}</th></tr></thead>
                    <tbody>{refund_rows}</tbody>
                </table>
                <dl class="figures">
                    {figure(c.refunded_total, refunded_total.to_string(), "figure-refunded-total")}
                    {figure(c.in_progress_total, refund_in_progress_total.to_string(), "figure-in-progress-total")}
                </dl>
            </section>
        </div>
        <section class="card">
            <Chart svg=dashboard.reissue_chart series=reissue_progress caption=c.chart_reissue />
        </section>
        <section class="card">
            <Chart svg=dashboard.refund_chart series=refund_progress caption=c.chart_refund />
        </section>
        <section class="card" aria-labelledby="dashboard-exports">
            <h2 id="dashboard-exports">{c.exports}</h2>
            <ul>
                <li><a href="/exports/customers.csv?encoding=utf-8" data-testid="export-utf8" rel="external">{c.export_utf8}</a></li>
                <li><a href="/exports/customers.csv?encoding=shift_jis" rel="external">{c.export_sjis}</a></li>
            </ul>
        </section>
    }
}

/// A server-drawn SVG chart and, folded below it, the same numbers as a table.
#[component]
fn Chart(svg: String, series: Vec<Series>, caption: &'static str) -> impl IntoView {
    let c = lang().case_texts();
    let rows = table(&series);
    let has_points = !rows.is_empty();
    let body = if rows.is_empty() {
        Either::Left(view! { <p class="muted">{c.chart_empty}</p> })
    } else {
        let headers = series
            .iter()
            .map(|line| view! { <th scope="col">{line.label.clone()}</th> })
            .collect_view();
        let rows = rows
            .into_iter()
            .map(|(day, values)| {
                let cells = values
                    .into_iter()
                    .map(|value| view! { <td>{value}</td> })
                    .collect_view();
                view! { <tr><th scope="row">{day.to_string()}</th>{cells}</tr> }
            })
            .collect_view();
        Either::Right(view! {
            <details>
                <summary>{c.chart_numbers}</summary>
                <div class="table-wrap">
                    <table class="data compact counts">
                        <caption class="visually-hidden">{caption}</caption>
                        <thead><tr><th scope="col">{c.day}</th>{headers}</tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            </details>
        })
    };
    // An empty chart would only draw axes: the "nothing yet" line says it better.
    let chart = has_points.then(|| view! { <div class="chart-box" inner_html=svg></div> });
    view! {
        <figure class="chart-figure">
            <figcaption>{caption}</figcaption>
            {chart}
            {body}
        </figure>
    }
}
