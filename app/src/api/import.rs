//! The Import page's reads: a dry run waiting for confirmation, and the imports so far.
//!
//! Uploading and confirming are plain form posts handled by the server crate
//! (`server/src/import_routes.rs`), so they work without JavaScript.

use breachdesk::import::{ImportRecord, ImportReport};
use leptos::prelude::*;

use crate::error::AppError;

/// The dry run under `token`, if the signed-in manager made it and it has not expired.
#[server(prefix = "/api", endpoint = "import/preview")]
pub async fn load_import_preview(token: String) -> Result<Option<ImportReport>, AppError> {
    use crate::context::{require, state, with_status};
    use breachdesk::role::Capability;
    let session = require(Capability::ImportCustomers)?;
    with_status(state().map(|state| {
        state
            .pending_imports
            .get(&token, session.staff.id)
            .map(|pending| pending.report)
    }))
}

/// The latest imports, newest first.
#[server(prefix = "/api", endpoint = "import/list")]
pub async fn list_imports() -> Result<Vec<ImportRecord>, AppError> {
    use crate::context::{require, state, with_status};
    use breachdesk::role::Capability;
    require(Capability::ImportCustomers)?;
    with_status(async { Ok(breachdesk::import::recent_imports(&state()?.pool, 20).await?) }.await)
}
