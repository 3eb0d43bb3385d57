//! The affected customers as staff search them: one box, one page at a time, masked cards only.

use breachdesk::customers::CustomerPage;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The search box and the page, as the Customers page's GET form sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerQuery {
    #[serde(default)]
    pub q: String,
    /// 1-based; 0 or past the end shows the nearest page.
    #[serde(default)]
    pub page: u32,
}

/// What an agent sees in the list: enough to tell customers apart, as on the Calls page.
#[cfg(feature = "ssr")]
fn mask_for_agent(customer: &mut breachdesk::customers::CustomerSummary) {
    use breachdesk::call::wire::{mask_phone, mask_postal_code, mask_reference_code};
    customer.reference_code = mask_reference_code(&customer.reference_code);
    customer.postal_code = mask_postal_code(&customer.postal_code);
    customer.phone = customer.phone.as_deref().map(mask_phone);
    customer.address = String::new();
    customer.email = None;
}

/// Every staff role: agents look customers up while on the phone (masked, see [`mask_for_agent`]).
#[server(prefix = "/api", endpoint = "customers/search")]
pub async fn search_customers(query: CustomerQuery) -> Result<CustomerPage, AppError> {
    use crate::context::{require, staff_event, state, with_status};
    use breachdesk::audit::{AuditAction, record_logged};
    use breachdesk::customers::{CustomerSearch, search};
    use breachdesk::role::Capability;
    let session = require(Capability::SearchCustomers)?;
    with_status(
        async {
            let pool = state()?.pool;
            let parsed = CustomerSearch::parse(&query.q)
                .map_err(|_| AppError::field("q", crate::context::texts().error_search_too_long))?;
            let mut found = search(&pool, &parsed, query.page).await?;
            // Agents see details only after a caller's identity check (the Calls page): masked here.
            if session.staff.role == breachdesk::role::Role::Agent {
                found.customers.iter_mut().for_each(mask_for_agent);
            }
            // The kind of key and the count, never the term: the trail must not become a copy of the list.
            let detail = format!("{} total={}", parsed.kind(), found.total);
            record_logged(
                &pool,
                &staff_event(&session, AuditAction::SearchedCustomers).detail(detail),
            )
            .await;
            Ok(found)
        }
        .await,
    )
}
