//! Closing the programme: the purge's dry run and the purge itself (managers and admins).

use breachdesk::retention::PurgeSummary;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PurgeDate {
    pub before: String,
}

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PurgeRequest {
    pub before: String,
    /// The count the dry run showed, typed again: the purge cannot be undone.
    pub expected: String,
}

#[cfg(feature = "ssr")]
fn cutoff(input: &str) -> Result<breachdesk::retention::PurgeCutoff, AppError> {
    use breachdesk::retention::{CutoffError, PurgeCutoff};
    let texts = crate::context::lang().retention_texts();
    PurgeCutoff::parse(input, breachdesk::calendar::today_in_tokyo()).map_err(|error| match error {
        CutoffError::Malformed => AppError::field("before", texts.before_malformed),
        CutoffError::Future => AppError::field("before", texts.before_future),
    })
}

/// Counts what a purge would blank; writes nothing, not even an audit row.
#[server(prefix = "/api", endpoint = "retention/dry-run")]
pub async fn purge_dry_run(request: PurgeDate) -> Result<PurgeSummary, AppError> {
    use crate::context::{require, state, with_status};
    use breachdesk::role::Capability;
    require(Capability::PurgePersonalData)?;
    with_status(
        async {
            let cutoff = cutoff(&request.before)?;
            Ok(breachdesk::retention::preview(&state()?.pool, cutoff).await?)
        }
        .await,
    )
}

/// Purges when the typed count still matches a fresh dry run, so nobody purges more than they saw.
#[server(prefix = "/api", endpoint = "retention/purge")]
pub async fn purge_personal_data(request: PurgeRequest) -> Result<PurgeSummary, AppError> {
    use crate::context::{lang, require, staff_event, state, with_status};
    use breachdesk::audit::AuditAction;
    use breachdesk::role::Capability;
    let session = require(Capability::PurgePersonalData)?;
    with_status(
        async {
            let texts = lang().retention_texts();
            let cutoff = cutoff(&request.before)?;
            let expected: u64 = request
                .expected
                .trim()
                .parse()
                .map_err(|_| AppError::field("expected", texts.expected_malformed))?;
            let pool = &state()?.pool;
            let current = breachdesk::retention::preview(pool, cutoff).await?;
            if current.customers != expected {
                return Err(AppError::field(
                    "expected",
                    &(texts.expected_changed)(current.customers),
                ));
            }
            let event = staff_event(&session, AuditAction::PurgedPersonalData);
            Ok(breachdesk::retention::purge(pool, cutoff, event.actor, event.address).await?)
        }
        .await,
    )
}
