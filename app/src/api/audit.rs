//! The audit trail for managers and admins.

use breachdesk::audit::{AuditPage, AuditQuery};
use breachdesk::staff::StaffMember;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A page of the trail and the staff list for the filter's choices.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AuditView {
    pub page: AuditPage,
    pub staff: Vec<StaffMember>,
}

#[server(prefix = "/api", endpoint = "audit/list")]
pub async fn load_audit(query: AuditQuery) -> Result<AuditView, AppError> {
    use breachdesk::role::Capability;

    use crate::context::{require, state, with_status};
    require(Capability::ViewAudit)?;
    with_status(
        async {
            let filter = query.filter().map_err(|fields| {
                let t = crate::context::lang().audit_texts();
                AppError::Invalid(
                    fields
                        .into_iter()
                        .map(|field| crate::error::FieldError {
                            field: field.name().to_owned(),
                            message: format!("{}: {}", t.field_label(field), t.invalid_filter),
                        })
                        .collect(),
                )
            })?;
            let pool = state()?.pool;
            let page = breachdesk::audit::list(&pool, &filter, query.page).await?;
            let staff = breachdesk::accounts::list(&pool).await?;
            Ok(AuditView { page, staff })
        }
        .await,
    )
}
