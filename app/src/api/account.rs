//! A staff member's own account: changing the password.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct PasswordChange {
    pub current: String,
    pub new: String,
}

/// Every role; ends the account's other sessions.
#[server(prefix = "/api", endpoint = "account/password")]
pub async fn change_password(change: PasswordChange) -> Result<(), AppError> {
    use crate::context::{require, state, texts, with_status};
    use breachdesk::accounts;
    use breachdesk::role::Capability;
    use breachdesk::staff::NewPassword;
    let session = require(Capability::UseOwnAccount)?;
    with_status(
        async {
            let texts = texts();
            let new = NewPassword::parse(change.new)
                .map_err(|error| AppError::field("new", crate::api::staff::field_message(texts, error)))?;
            let state = state()?;
            if !accounts::password_matches(&state.pool, session.staff.id, change.current).await? {
                return Err(AppError::field("current", texts.current_password_wrong));
            }
            accounts::set_password(&state.pool, session.staff.id, &new, Some(&session.token_hash)).await?;
            Ok(())
        }
        .await,
    )
}
