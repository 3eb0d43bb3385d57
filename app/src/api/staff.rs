//! Staff accounts, managed by admins.

use breachdesk::staff::{StaffFieldError, StaffMember};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;
use crate::i18n::Texts;

#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NewStaff {
    pub email: String,
    pub display_name: String,
    pub role: String,
    /// Empty: the server generates one.
    #[serde(default)]
    pub password: String,
}

/// A created account and, when the server chose it, its initial password, shown once.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CreatedStaff {
    pub member: StaffMember,
    pub generated_password: Option<String>,
}

pub fn field_message(texts: &Texts, error: StaffFieldError) -> &'static str {
    match error {
        StaffFieldError::EmailMalformed => texts.error_email_malformed,
        StaffFieldError::DisplayNameMissing => texts.error_display_name_missing,
        StaffFieldError::DisplayNameTooLong => texts.error_display_name_too_long,
        StaffFieldError::DisplayNameHidden => texts.error_hidden_characters,
        StaffFieldError::PasswordTooShort => texts.error_password_too_short,
        StaffFieldError::PasswordTooLong => texts.error_password_too_long,
    }
}

/// The accounts, and which one is the caller's (the page offers no "disable" for oneself).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffList {
    pub members: Vec<StaffMember>,
    pub own_id: i64,
}

#[server(prefix = "/api", endpoint = "staff/list")]
pub async fn list_staff() -> Result<StaffList, AppError> {
    use crate::context::{require, state, with_status};
    use breachdesk::role::Capability;
    let session = require(Capability::ManageStaff)?;
    with_status(
        async {
            let members = breachdesk::accounts::list(&state()?.pool).await?;
            Ok(StaffList {
                members,
                own_id: session.staff.id,
            })
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "staff/create")]
pub async fn create_staff(new: NewStaff) -> Result<CreatedStaff, AppError> {
    use crate::context::{require, staff_event, state, texts, with_status};
    use breachdesk::accounts;
    use breachdesk::audit::{AuditAction, record_logged};
    use breachdesk::role::{Capability, Role};
    use breachdesk::staff::{DisplayName, NewPassword, StaffEmail};
    let session = require(Capability::ManageStaff)?;
    with_status(
        async {
            let texts = texts();
            let mut problems = Vec::new();
            let email = StaffEmail::parse(&new.email)
                .map_err(|error| problems.push(("email", field_message(texts, error))))
                .ok();
            let display_name = DisplayName::parse(&new.display_name)
                .map_err(|error| problems.push(("display_name", field_message(texts, error))))
                .ok();
            let role = Role::parse(&new.role)
                .map_err(|_| problems.push(("role", texts.error_role_unknown)))
                .ok();
            let generated = new.password.trim().is_empty().then(accounts::generate_password);
            let password = NewPassword::parse(generated.clone().unwrap_or(new.password))
                .map_err(|error| problems.push(("password", field_message(texts, error))))
                .ok();
            let (Some(email), Some(display_name), Some(role), Some(password)) = (email, display_name, role, password)
            else {
                return Err(AppError::Invalid(
                    problems
                        .into_iter()
                        .map(|(field, message)| crate::error::FieldError {
                            field: field.into(),
                            message: message.into(),
                        })
                        .collect(),
                ));
            };
            let pool = state()?.pool;
            let member = accounts::create(&pool, &email, &display_name, role, &password).await?;
            let event = staff_event(&session, AuditAction::ManagedStaff)
                .object(format!("staff:{}", member.id))
                .detail(format!("created role={role}"));
            record_logged(&pool, &event).await;
            Ok(CreatedStaff {
                member,
                generated_password: generated,
            })
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "staff/disable")]
pub async fn set_staff_disabled(id: i64, disabled: bool) -> Result<(), AppError> {
    use crate::context::{require, staff_event, state, texts, with_status};
    use breachdesk::audit::{AuditAction, record_logged};
    use breachdesk::role::Capability;
    let session = require(Capability::ManageStaff)?;
    with_status(
        async {
            // An admin locking themselves out would leave nobody to undo it.
            if disabled && session.staff.id == id {
                return Err(AppError::Conflict(texts().staff_cannot_disable_self.to_owned()));
            }
            let pool = state()?.pool;
            breachdesk::accounts::set_disabled(&pool, id, disabled).await?;
            let event = staff_event(&session, AuditAction::ManagedStaff)
                .object(format!("staff:{id}"))
                .detail(if disabled { "disabled" } else { "enabled" });
            record_logged(&pool, &event).await;
            Ok(())
        }
        .await,
    )
}

/// Gives the account a new generated password, shown once to the admin, and ends its sessions.
#[server(prefix = "/api", endpoint = "staff/reset-password")]
pub async fn reset_staff_password(id: i64) -> Result<String, AppError> {
    use crate::context::{require, staff_event, state, with_status};
    use breachdesk::accounts;
    use breachdesk::audit::{AuditAction, record_logged};
    use breachdesk::role::Capability;
    use breachdesk::staff::NewPassword;
    let session = require(Capability::ManageStaff)?;
    with_status(
        async {
            let password = accounts::generate_password();
            let parsed = NewPassword::parse(password.clone()).map_err(|_| AppError::Internal)?;
            let pool = state()?.pool;
            accounts::set_password(&pool, id, &parsed, None).await?;
            let event = staff_event(&session, AuditAction::ManagedStaff)
                .object(format!("staff:{id}"))
                .detail("password reset");
            record_logged(&pool, &event).await;
            Ok(password)
        }
        .await,
    )
}
