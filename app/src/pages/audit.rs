//! The audit trail: filter by staff member, customer, action and date; page through; export as CSV.
//!
//! A GET form, so a filtered view works without JavaScript and can be bookmarked or shared with a reviewer.

use breachdesk::audit::{Actor, AuditAction, AuditQuery, AuditRow, Outcome};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::audit::{AuditView, load_audit};
use crate::context::lang;
use crate::i18n::Lang;
use crate::i18n::audit::AuditTexts;
use crate::pages::{ErrorNotice, tokyo_time};

#[component]
pub fn AuditPage() -> impl IntoView {
    let t = lang().audit_texts();
    let params = use_query_map();
    let query = move || {
        let params = params.read();
        let get = |name: &str| params.get(name).unwrap_or_default();
        AuditQuery {
            staff: get("staff"),
            customer: get("customer"),
            action: get("action"),
            from: get("from"),
            until: get("until"),
            page: get("page").parse().unwrap_or(1),
        }
    };
    let results = Resource::new(query, load_audit);
    view! {
        <Title text=t.title />
        <h1>{t.title}</h1>
        <p class="muted">{t.intro}</p>
        <Transition fallback=move || view! { <p class="loading">{crate::context::texts().loading}</p> }>
            {move || Suspend::new(async move {
                let query = query();
                match results.await {
                    Ok(view) => Either::Left(view! { <AuditResults view query /> }),
                    Err(error) => Either::Right(view! {
                        <AuditFilters query staff=Vec::new() />
                        <ErrorNotice error />
                    }),
                }
            })}
        </Transition>
    }
}

#[component]
fn AuditFilters(query: AuditQuery, staff: Vec<breachdesk::staff::StaffMember>) -> impl IntoView {
    let lang = lang();
    let t = lang.audit_texts();
    let staff_options = staff
        .into_iter()
        .map(|member| {
            let value = member.id.to_string();
            let selected = value == query.staff;
            view! { <option value=value selected=selected>{member.display_name}" <"{member.email}">"</option> }
        })
        .collect_view();
    let action_options = AuditAction::ALL
        .into_iter()
        .map(|action| {
            let selected = action.code() == query.action;
            view! { <option value=action.code() selected=selected>{action_label(lang, action)}</option> }
        })
        .collect_view();
    view! {
        <form method="get" action="/audit" class="filters" aria-label=t.filters data-testid="audit-filters">
            <label>{t.staff}
                <select name="staff">
                    <option value="">{t.anyone}</option>
                    {staff_options}
                </select>
            </label>
            <label>{t.customer_id}
                <input name="customer" inputmode="numeric" value=query.customer.clone() size="8" />
            </label>
            <label>{t.action}
                <select name="action">
                    <option value="">{t.any_action}</option>
                    {action_options}
                </select>
            </label>
            <label>{t.from}<input name="from" type="date" value=query.from.clone() /></label>
            <label>{t.until}<input name="until" type="date" value=query.until.clone() /></label>
            <button type="submit" class="primary">{t.apply}</button>
        </form>
    }
}

#[component]
fn AuditResults(view: AuditView, query: AuditQuery) -> impl IntoView {
    let lang = lang();
    let t = lang.audit_texts();
    let export = format!("/audit/export.csv{}", query_string(&query, None));
    let previous = (view.page.page > 1).then(|| format!("/audit{}", query_string(&query, Some(view.page.page - 1))));
    let next =
        (view.page.page < view.page.pages).then(|| format!("/audit{}", query_string(&query, Some(view.page.page + 1))));
    let summary = (t.count)(view.page.total, view.page.page, view.page.pages);
    let body = if view.page.rows.is_empty() {
        Either::Left(view! { <p class="notice" data-testid="audit-none">{t.none}</p> })
    } else {
        let rows = view
            .page
            .rows
            .into_iter()
            .map(|row| view! { <AuditRowView row lang t /> })
            .collect_view();
        Either::Right(view! {
            <div class="table-wrap">
                <table class="data" data-testid="audit-table">
                    <thead>
                        <tr>
                            <th scope="col">{t.at}</th>
                            <th scope="col">{t.who}</th>
                            <th scope="col">{t.address}</th>
                            <th scope="col">{t.action}</th>
                            <th scope="col">{t.customer}</th>
                            <th scope="col">{t.object}</th>
                            <th scope="col">{t.outcome}</th>
                            <th scope="col">{t.detail}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        })
    };
    view! {
        <AuditFilters query staff=view.staff />
        <p class="muted">
            <span data-testid="audit-total">{summary}</span>" "
            <a href=export download data-testid="audit-export">{t.export}</a>
        </p>
        {body}
        <nav class="pager" aria-label=t.title>
            {previous.map(|href| view! { <a href=href rel="prev">{t.previous}</a> })}
            " "
            {next.map(|href| view! { <a href=href rel="next">{t.next}</a> })}
        </nav>
    }
}

#[component]
fn AuditRowView(row: AuditRow, lang: Lang, t: &'static AuditTexts) -> impl IntoView {
    let who = match row.actor {
        Actor::Staff(_) => row.staff_name.unwrap_or_default(),
        Actor::Public => t.public.to_owned(),
        Actor::CommandLine => t.command_line.to_owned(),
    };
    let (outcome, class) = match row.outcome {
        Outcome::Ok => (t.outcome_ok, "outcome ok"),
        Outcome::Refused => (t.outcome_refused, "outcome refused"),
        Outcome::Failed => (t.outcome_failed, "outcome failed"),
    };
    view! {
        <tr>
            <td>{tokyo_time(&row.at)}</td>
            <td>{who}</td>
            <td>{row.address}</td>
            <td>{action_label(lang, row.action)}</td>
            <td>{row.customer_id.map(|id| view! { <a href=format!("/customers/{id}")>{id}</a> })}</td>
            <td>{row.object}</td>
            <td class=class>{outcome}</td>
            <td>{row.detail}</td>
        </tr>
    }
}

fn action_label(lang: Lang, action: AuditAction) -> &'static str {
    let (ja, en) = action.labels();
    match lang {
        Lang::Ja => ja,
        Lang::En => en,
    }
}

/// `?staff=…&customer=…&action=…&from=…&until=…[&page=N]`: the filters carried to the export and the pager.
/// Every value is digits, a date or an action code, but each is percent-encoded all the same.
fn query_string(query: &AuditQuery, page: Option<u32>) -> String {
    let encode = |value: &str| {
        value
            .bytes()
            .map(|byte| match byte {
                b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' => char::from(byte).to_string(),
                _ => format!("%{byte:02X}"),
            })
            .collect::<String>()
    };
    let mut out = format!(
        "?staff={}&customer={}&action={}&from={}&until={}",
        encode(&query.staff),
        encode(&query.customer),
        encode(&query.action),
        encode(&query.from),
        encode(&query.until)
    );
    if let Some(page) = page {
        out.push_str(&format!("&page={page}"));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pager_keeps_every_filter_and_encodes_what_it_carries() {
        let query = AuditQuery {
            staff: "3".into(),
            action: "viewed_customer".into(),
            from: "2017-12-29".into(),
            customer: "1 2".into(),
            ..AuditQuery::default()
        };
        assert_eq!(
            query_string(&query, Some(2)),
            "?staff=3&customer=1%202&action=viewed_customer&from=2017-12-29&until=&page=2"
        );
    }
}
