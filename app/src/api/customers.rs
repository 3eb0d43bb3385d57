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

/// Every staff role: agents look customers up while on the phone.
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
            let found = search(&pool, &parsed, query.page).await?;
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
