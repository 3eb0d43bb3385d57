//! The affected customers for every staff role: one search box, a paged table, masked cards only.
//!
//! The search is a GET form, so it works without JavaScript and a result page can be bookmarked or reloaded.

use breachdesk::customers::{CustomerPage, CustomerSummary};
use leptos::either::Either;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::customers::{CustomerQuery, search_customers};
use crate::context::texts;
use crate::pages::ErrorNotice;

#[component]
pub fn CustomersPage() -> impl IntoView {
    let t = texts();
    let query = use_query_map();
    let search = move || query.read().get("q").unwrap_or_default();
    let page = move || query.read().get("page").and_then(|page| page.parse().ok()).unwrap_or(1);
    let results = Resource::new(
        move || CustomerQuery {
            q: search(),
            page: page(),
        },
        search_customers,
    );
    view! {
        <Title text=t.customers_title />
        <h1>{t.customers_title}</h1>
        <form method="get" action="/customers" class="search-form" role="search">
            <label for="customer-search">{t.customers_search_label}</label>
            <input id="customer-search" name="q" type="search" prop:value=search value=search
                aria-describedby="customer-search-hint" data-testid="customer-search" />
            <button type="submit" class="primary">{t.customers_search}</button>
            <span class="hint" id="customer-search-hint">{t.customers_search_hint}</span>
        </form>
        <Transition fallback=move || view! { <p class="loading">{t.loading}</p> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(found) => Either::Left(view! { <CustomerResults found search=search() /> }),
                    Err(error) => Either::Right(view! { <ErrorNotice error /> }),
                }
            })}
        </Transition>
    }
}

#[component]
fn CustomerResults(found: CustomerPage, search: String) -> impl IntoView {
    let t = texts();
    if found.customers.is_empty() {
        return Either::Left(view! { <p class="notice" data-testid="customers-none">{t.customers_none}</p> });
    }
    let summary = (t.customers_count)(found.total, found.page, found.pages);
    let previous = (found.page > 1).then(|| page_href(&search, found.page - 1));
    let next = (found.page < found.pages).then(|| page_href(&search, found.page + 1));
    let rows = found
        .customers
        .into_iter()
        .map(|customer| view! { <CustomerRow customer /> })
        .collect_view();
    Either::Right(view! {
        <p class="muted" data-testid="customers-total">{summary}</p>
        <div class="table-wrap">
            <table class="data" data-testid="customers-table">
                <thead>
                    <tr>
                        <th scope="col">{t.customers_reference_code}</th>
                        <th scope="col">{t.customers_name}</th>
                        <th scope="col">{t.customers_card}</th>
                        <th scope="col">{t.customers_address}</th>
                        <th scope="col">{t.customers_phone}</th>
                        <th scope="col">{t.email}</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        <nav class="pager" aria-label=t.customers_pages>
            {previous.map(|href| view! { <a href=href rel="prev">{t.customers_previous}</a> })}
            " "
            {next.map(|href| view! { <a href=href rel="next">{t.customers_next}</a> })}
        </nav>
    })
}

#[component]
fn CustomerRow(customer: CustomerSummary) -> impl IntoView {
    let href = format!("/customers/{}", customer.id);
    view! {
        <tr>
            <td><a href=href data-testid="customer-link"><code class="reference-code">{customer.reference_code}</code></a></td>
            <td>
                {customer.name}
                {customer.name_kana.map(|kana| view! { <br /><span class="muted">{kana}</span> })}
            </td>
            <td class="card-mask">{customer.card.to_string()}</td>
            <td>"〒"{customer.postal_code}" "{customer.address}</td>
            <td class="phone">{customer.phone}</td>
            <td>{customer.email}</td>
        </tr>
    }
}

/// `/customers?q=…&page=N`, the search term percent-encoded.
fn page_href(search: &str, page: u32) -> String {
    let mut href = String::from("/customers?q=");
    for byte in search.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => href.push(char::from(byte)),
            _ => href.push_str(&format!("%{byte:02X}")),
        }
    }
    href.push_str(&format!("&page={page}"));
    href
}

#[cfg(test)]
mod tests {
    use super::page_href;

    #[test]
    fn a_page_link_keeps_a_japanese_search_term_encoded() {
        assert_eq!(page_href("山田 1", 2), "/customers?q=%E5%B1%B1%E7%94%B0%201&page=2");
        assert_eq!(page_href("", 3), "/customers?q=&page=3");
    }
}
