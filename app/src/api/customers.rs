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
    use crate::context::{require, state, with_status};
    use breachdesk::customers::{CustomerSearch, search};
    use breachdesk::role::Capability;
    require(Capability::SearchCustomers)?;
    with_status(async { Ok(search(&state()?.pool, &CustomerSearch::parse(&query.q), query.page).await?) }.await)
}
