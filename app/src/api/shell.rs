//! What the staff layout needs on every page: who is signed in and the incident's title.

use breachdesk::staff::StaffMember;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShellInfo {
    pub staff: Option<StaffMember>,
    pub incident_title: Option<String>,
}

/// Open to everyone: answers who is signed in (nobody, for the public).
#[server(prefix = "/api", endpoint = "shell")]
pub async fn load_shell_info() -> Result<ShellInfo, AppError> {
    use crate::context::{session, state, with_status};
    with_status(
        async {
            let Some(session) = session() else {
                return Ok(ShellInfo {
                    staff: None,
                    incident_title: None,
                });
            };
            let state = state()?;
            let incident_title: Option<String> = sqlx::query_scalar("SELECT title FROM incident WHERE id = 1")
                .fetch_optional(&state.pool)
                .await?;
            Ok(ShellInfo {
                staff: Some(session.staff),
                incident_title,
            })
        }
        .await,
    )
}
