//! Letter and email templates: the list, a version's history, the live preview, saving a new version and the test send.

use breachdesk::letter::LetterContent;
use breachdesk::template::{DateStyle, RenderedEmail, TemplateText, TemplateVersion, VersionInfo};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The editor's state as posted: the template's name, its texts as typed, and the customer and
/// date to preview or test with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateEdit {
    pub name: String,
    pub date_style: DateStyle,
    #[serde(default)]
    pub text: TemplateText,
    /// A customer's reference code (with or without hyphens); empty for the first customer.
    #[serde(default)]
    pub reference_code: String,
    /// The sending date as YYYY-MM-DD; empty for today in Tokyo.
    #[serde(default)]
    pub date: String,
}

/// What one customer would receive.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Preview {
    Letter(LetterContent),
    Email(RenderedEmail),
}

/// Managers and admins: every template in its newest version.
#[server(prefix = "/api", endpoint = "templates")]
pub async fn load_templates() -> Result<Vec<TemplateVersion>, AppError> {
    use breachdesk::role::Capability;

    use crate::context::{require, state, with_status};
    require(Capability::EditTemplates)?;
    with_status(async { Ok(breachdesk::templates::list_latest(&state()?.pool).await?) }.await)
}

/// Managers and admins: the versions of one template, newest first.
#[server(prefix = "/api", endpoint = "templates/history")]
pub async fn load_template_history(name: String) -> Result<Vec<VersionInfo>, AppError> {
    use breachdesk::role::Capability;

    use crate::context::{require, state, with_status};
    require(Capability::EditTemplates)?;
    with_status(async { Ok(breachdesk::templates::history(&state()?.pool, &name).await?) }.await)
}

/// Managers and admins: the edited texts filled in for a customer, without saving anything.
#[server(prefix = "/api", endpoint = "templates/preview")]
pub async fn preview_template(edit: TemplateEdit) -> Result<Preview, AppError> {
    use breachdesk::role::Capability;

    use crate::context::{require, state, with_status};
    require(Capability::EditTemplates)?;
    with_status(
        async {
            let pool = state()?.pool;
            let draft = server::draft(&pool, &edit).await?;
            server::render(&pool, &edit, &draft).await
        }
        .await,
    )
}

/// Managers and admins: saves the texts as the template's next version (the earlier ones are kept).
#[server(prefix = "/api", endpoint = "templates/save")]
pub async fn save_template(edit: TemplateEdit) -> Result<TemplateVersion, AppError> {
    use breachdesk::audit::{AuditAction, record_logged};
    use breachdesk::role::Capability;

    use crate::context::{require, staff_event, state, with_status};
    let session = require(Capability::EditTemplates)?;
    with_status(
        async {
            let pool = state()?.pool;
            let draft = server::draft(&pool, &edit).await?;
            let mut conn = pool.acquire().await?;
            let saved = breachdesk::templates::save_version(&mut conn, &edit.name, &draft, Some(session.staff.id))
                .await
                .map_err(server::save_error)?;
            drop(conn);
            let event = staff_event(&session, AuditAction::EditedTemplate)
                .object(format!("{} v{}", saved.template_name, saved.version));
            record_logged(&pool, &event).await;
            Ok(saved)
        }
        .await,
    )
}

/// Managers and admins: sends the edited email, filled in for the chosen customer, to the signed-in
/// staff member's own address through the configured transport. Answers that address.
#[server(prefix = "/api", endpoint = "templates/test-send")]
pub async fn send_test_email(edit: TemplateEdit) -> Result<String, AppError> {
    use breachdesk::audit::{AuditAction, record_logged};
    use breachdesk::customer::Email;
    use breachdesk::incident::IncidentProfile;
    use breachdesk::mail::{Envelope, build};
    use breachdesk::role::Capability;

    use crate::context::{require, staff_event, state, with_status};
    let session = require(Capability::EditTemplates)?;
    with_status(
        async {
            let state = state()?;
            let t = crate::i18n::templates::texts();
            let draft = server::draft(&state.pool, &edit).await?;
            let Preview::Email(content) = server::render(&state.pool, &edit, &draft).await? else {
                return Err(AppError::Conflict(t.test_send_email_only.to_owned()));
            };
            let profile = IncidentProfile::load(&state.pool).await?.ok_or(AppError::NotFound)?;
            let to = Email::parse(&session.staff.email)
                .map_err(|_| AppError::Conflict(t.test_send_no_address.to_owned()))?;
            let envelope = Envelope {
                from: profile.mail_from.as_ref(),
                reply_to: profile.reply_to.as_ref(),
                to_name: Some(&session.staff.display_name),
                to: &to,
            };
            let email = build(&envelope, &content).map_err(|error| match error {
                breachdesk::mail::BuildError::NoFromAddress => AppError::Conflict(t.test_send_no_from.to_owned()),
                other => {
                    tracing::error!(error = %other, "cannot build the test email");
                    AppError::Internal
                }
            })?;
            if let Err(error) = state.mailer.send(&email).await {
                tracing::error!(%error, "the test email was not accepted");
                return Err(AppError::Conflict(t.test_send_failed.to_owned()));
            }
            let event = staff_event(&session, AuditAction::SentTestEmail).object(edit.name.clone());
            record_logged(&state.pool, &event).await;
            Ok(to.to_string())
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
mod server {
    use breachdesk::calendar::TOKYO;
    use breachdesk::calendar::entry::parse_date;
    use breachdesk::customer::ReferenceCode;
    use breachdesk::incident::IncidentProfile;
    use breachdesk::template::{
        RenderContext, TemplateDraft, TemplateError, TemplateKind, TemplateVersion, render_email, render_letter,
    };
    use breachdesk::templates::SaveError;
    use sqlx::SqlitePool;

    use super::{Preview, TemplateEdit};
    use crate::context::lang;
    use crate::error::{AppError, FieldError};
    use crate::i18n::Lang;

    /// The edited texts checked for the stored template's kind; only existing templates are edited here.
    pub async fn draft(pool: &SqlitePool, edit: &TemplateEdit) -> Result<TemplateDraft, AppError> {
        let stored = breachdesk::templates::latest_by_name(pool, &edit.name)
            .await?
            .ok_or(AppError::NotFound)?;
        TemplateDraft::parse(stored.kind, edit.date_style, edit.text.clone()).map_err(template_error)
    }

    /// The draft filled in for the chosen customer on the chosen date.
    pub async fn render(pool: &SqlitePool, edit: &TemplateEdit, draft: &TemplateDraft) -> Result<Preview, AppError> {
        let t = crate::i18n::templates::texts();
        let reference_code = match edit.reference_code.trim() {
            "" => None,
            code => {
                Some(ReferenceCode::parse(code).map_err(|_| AppError::field("reference_code", t.unknown_customer))?)
            }
        };
        let date = match edit.date.trim() {
            "" => time::OffsetDateTime::now_utc().to_offset(TOKYO).date(),
            text => parse_date(text).map_err(|_| AppError::field("date", t.invalid_date))?,
        };
        let recipient = match breachdesk::letters::member_by_reference(pool, reference_code.as_ref()).await {
            Ok(Some(member)) => member.recipient,
            Ok(None) => return Err(AppError::field("reference_code", t.unknown_customer)),
            Err(error) => {
                tracing::error!(%error, "cannot read a customer for a template preview");
                return Err(AppError::Internal);
            }
        };
        let incident = IncidentProfile::load(pool).await?.ok_or(AppError::NotFound)?;
        let schedule = match breachdesk::hotline::load(pool).await {
            Ok(schedule) => schedule,
            Err(error) => {
                tracing::error!(%error, "cannot read the hotline schedule for a template preview");
                return Err(AppError::Internal);
            }
        };
        let version = TemplateVersion {
            // Not stored yet: the footer of a preview names the draft of the next version.
            id: 0,
            template_name: edit.name.clone(),
            version: 0,
            kind: draft.kind(),
            subject: draft.subject().to_owned(),
            body: draft.body().to_owned(),
            html_body: draft.html_body().map(str::to_owned),
            notes: draft.notes().map(str::to_owned),
            date_style: draft.date_style(),
        };
        let ctx = RenderContext {
            recipient: &recipient,
            incident: &incident,
            schedule: Some(&schedule),
            date,
        };
        match draft.kind() {
            TemplateKind::Letter => render_letter(&version, &ctx).map(Preview::Letter),
            TemplateKind::Email => render_email(&version, &ctx).map(Preview::Email),
        }
        .map_err(template_error)
    }

    /// A refused template as a field error in the reader's language, naming the field and placeholder.
    pub fn template_error(error: TemplateError) -> AppError {
        let field = error.field().map_or("preview", |field| field.name());
        let message = match lang() {
            Lang::Ja => error.message_ja(),
            Lang::En => sentence(&error.to_string()),
        };
        AppError::Invalid(vec![FieldError {
            field: field.to_owned(),
            message,
        }])
    }

    pub fn save_error(error: SaveError) -> AppError {
        match error {
            SaveError::Database(error) => error.into(),
            SaveError::KindMismatch { .. } => {
                tracing::error!(%error, "template kind changed between load and save");
                AppError::Internal
            }
        }
    }

    fn sentence(message: &str) -> String {
        let mut chars = message.chars();
        match chars.next() {
            Some(first) => format!("{}{}.", first.to_uppercase(), chars.as_str()),
            None => String::new(),
        }
    }
}
