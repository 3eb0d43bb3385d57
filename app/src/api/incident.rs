//! The incident profile as staff read it.

use breachdesk::incident::IncidentProfile;
use leptos::prelude::*;

use crate::error::AppError;

/// Every staff role: agents need the facts in front of them when the phone rings.
#[server(prefix = "/api", endpoint = "incident")]
pub async fn load_incident_profile() -> Result<Option<IncidentProfile>, AppError> {
    use breachdesk::role::Capability;
    use crate::context::{require, state, with_status};
    require(Capability::ViewIncident)?;
    with_status(async { Ok(IncidentProfile::load(&state()?.pool).await?) }.await)
}
