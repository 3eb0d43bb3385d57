//! Campaigns: the list with each one's counts, creating one (with the form's idempotency key),
//! start/pause/resume/cancel, the live progress of one, its deliveries, the in-doubt decision,
//! confirming a letter batch was mailed, and marking one customer's mail undelivered.
//! The bounce-list upload and the letter downloads are plain routes (`server/src/campaign_routes.rs`).

use breachdesk::audience::Audience;
use breachdesk::campaign::progress::{DeliveryLine, InDoubtDecision, StateCounts};
use breachdesk::campaign::{Campaign, CampaignAction, CampaignState, Channel, SettingsInput};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// A template a campaign can send: its name and channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignTemplate {
    pub name: String,
    pub channel: Channel,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignsOverview {
    pub campaigns: Vec<(Campaign, StateCounts)>,
    pub templates: Vec<CampaignTemplate>,
    /// Whether the reader may create and run campaigns (agents see them read-only).
    pub may_run: bool,
    /// A fresh key for the create form: posting the same form twice creates one campaign.
    pub form_key: String,
}

/// The create form as posted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewCampaignForm {
    pub template: String,
    pub channel: Channel,
    pub audience: Audience,
    #[serde(default)]
    pub settings: SettingsInput,
    pub form_key: String,
}

/// One campaign's progress, as the page polls it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CampaignProgress {
    pub campaign: Campaign,
    pub counts: StateCounts,
    /// Messages per second over the last minute.
    pub rate: f64,
    /// Seconds left at that rate; `None` while nothing moves.
    pub eta_seconds: Option<u64>,
    pub last_errors: Vec<DeliveryLine>,
    pub held_in_doubt: Vec<DeliveryLine>,
    pub may_run: bool,
    pub may_produce_letters: bool,
}

/// What went wrong with one customer's mail, as the form posts it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UndeliveredForm {
    pub reference_code: String,
    /// `bounced` (an email) or a returned letter's reason code.
    pub what: String,
}

#[cfg(feature = "ssr")]
fn campaign_error(error: breachdesk::campaigns::CampaignError) -> AppError {
    use breachdesk::campaigns::CampaignError;
    let t = crate::context::lang().campaigns_texts();
    match error {
        CampaignError::NotFound(_) => AppError::NotFound,
        CampaignError::NoTemplate(_) => AppError::field("template", t.error_no_template),
        CampaignError::WrongTemplateKind { .. } => AppError::field("template", t.error_wrong_template),
        CampaignError::Transition(_) => AppError::Conflict(t.error_transition.to_owned()),
        CampaignError::NotLetters(_) => AppError::Conflict(t.error_not_letters.to_owned()),
        CampaignError::NoFromAddress => AppError::Conflict(t.error_no_from.to_owned()),
        other => {
            tracing::error!(error = %other, "a campaign request failed");
            AppError::Internal
        }
    }
}

/// Every staff member: the campaigns, newest first, with their counts.
#[server(prefix = "/api", endpoint = "campaigns")]
pub async fn load_campaigns() -> Result<CampaignsOverview, AppError> {
    use breachdesk::role::Capability;
    use breachdesk::template::TemplateKind;

    use crate::context::{require, state, with_status};
    let session = require(Capability::ViewCampaigns)?;
    with_status(
        async {
            let pool = &state()?.pool;
            let campaigns = breachdesk::campaigns::list(pool).await.map_err(campaign_error)?;
            let counts = breachdesk::campaigns::counts_by_campaign(pool).await?;
            let campaigns = campaigns
                .into_iter()
                .map(|campaign| {
                    let found = counts.iter().find(|(id, _)| *id == campaign.id);
                    let counts = found.map(|(_, counts)| *counts).unwrap_or_default();
                    (campaign, counts)
                })
                .collect();
            let templates = breachdesk::templates::list_latest(pool)
                .await?
                .into_iter()
                .map(|version| CampaignTemplate {
                    channel: match version.kind {
                        TemplateKind::Email => Channel::Email,
                        TemplateKind::Letter => Channel::Letter,
                    },
                    name: version.template_name,
                })
                .collect();
            // Unique per form shown: who, and the nanosecond it was made.
            let form_key = format!(
                "{}-{}",
                session.staff.id,
                time::OffsetDateTime::now_utc().unix_timestamp_nanos()
            );
            Ok(CampaignsOverview {
                campaigns,
                templates,
                may_run: session.staff.role.may(Capability::RunCampaigns),
                form_key,
            })
        }
        .await,
    )
}

/// Managers and admins: creates a draft and returns its id (the same id for the same form key).
#[server(prefix = "/api", endpoint = "campaigns/create")]
pub async fn create_campaign(form: NewCampaignForm) -> Result<i64, AppError> {
    use breachdesk::audit::{AuditAction, record_logged};
    use breachdesk::campaign::CampaignSettings;
    use breachdesk::campaigns::NewCampaign;
    use breachdesk::role::Capability;

    use crate::context::{lang, require, staff_event, state, with_status};
    let session = require(Capability::RunCampaigns)?;
    with_status(
        async {
            let t = lang().campaigns_texts();
            let settings = CampaignSettings::parse(&form.settings)
                .map_err(|error| AppError::field(error.field, t.error_setting))?;
            let pool = &state()?.pool;
            let key = form.form_key.trim();
            let new = NewCampaign {
                template_name: &form.template,
                channel: form.channel,
                audience: form.audience,
                settings,
                idempotency_key: (!key.is_empty()).then_some(key),
                created_by: Some(session.staff.id),
            };
            let id = breachdesk::campaigns::create(pool, &new)
                .await
                .map_err(campaign_error)?;
            let event = staff_event(&session, AuditAction::ChangedCampaign)
                .object(format!("campaign:{id}"))
                .detail("create");
            record_logged(pool, &event).await;
            Ok(id)
        }
        .await,
    )
}

/// Managers and admins: start, pause, resume or cancel. Starting writes every delivery row.
#[server(prefix = "/api", endpoint = "campaigns/change")]
pub async fn change_campaign(id: i64, action: CampaignAction) -> Result<CampaignState, AppError> {
    use breachdesk::audit::{AuditAction, record_logged};
    use breachdesk::role::Capability;

    use crate::context::{require, staff_event, state, with_status};
    let session = require(Capability::RunCampaigns)?;
    with_status(
        async {
            let pool = &state()?.pool;
            let to = breachdesk::campaigns::apply(pool, id, action)
                .await
                .map_err(campaign_error)?;
            let event = staff_event(&session, AuditAction::ChangedCampaign)
                .object(format!("campaign:{id}"))
                .detail(action.code());
            record_logged(pool, &event).await;
            Ok(to)
        }
        .await,
    )
}

/// Every staff member: one campaign's counts, rate, time left, latest errors and held rows.
#[server(prefix = "/api", endpoint = "campaigns/progress")]
pub async fn load_campaign_progress(id: i64) -> Result<CampaignProgress, AppError> {
    use breachdesk::campaign::progress::{eta_seconds, rate};
    use breachdesk::campaigns::DeliveryFilter;
    use breachdesk::role::Capability;

    use crate::context::{require, state, with_status};
    let session = require(Capability::ViewCampaigns)?;
    with_status(
        async {
            let pool = &state()?.pool;
            let campaign = breachdesk::campaigns::load(pool, id).await.map_err(campaign_error)?;
            let counts = breachdesk::campaigns::counts(pool, id).await?;
            // The last minute, or less just after the start: a minute's average would start near zero.
            let now = time::OffsetDateTime::now_utc();
            let window = campaign
                .started_at
                .map_or(60, |started| (now - started).whole_seconds().clamp(1, 60));
            let sent = breachdesk::campaigns::sent_since(pool, id, now - time::Duration::seconds(window)).await?;
            let rate = rate(sent, u32::try_from(window).unwrap_or(60));
            let list = |filter| breachdesk::campaigns::deliveries(pool, id, filter, 10);
            Ok(CampaignProgress {
                eta_seconds: eta_seconds(counts.pending(), rate),
                rate,
                counts,
                last_errors: list(DeliveryFilter::Errors).await.map_err(campaign_error)?,
                held_in_doubt: list(DeliveryFilter::HeldInDoubt).await.map_err(campaign_error)?,
                may_run: session.staff.role.may(Capability::RunCampaigns),
                may_produce_letters: session.staff.role.may(Capability::ProduceLetters),
                campaign,
            })
        }
        .await,
    )
}

/// Every staff member: a campaign's deliveries in send order, 100 at a time after `after_id`.
#[server(prefix = "/api", endpoint = "campaigns/deliveries")]
pub async fn load_campaign_deliveries(id: i64, after_id: i64) -> Result<Vec<DeliveryLine>, AppError> {
    use breachdesk::campaigns::DeliveryFilter;
    use breachdesk::role::Capability;

    use crate::context::{require, state, with_status};
    require(Capability::ViewCampaigns)?;
    with_status(
        async {
            breachdesk::campaigns::deliveries(&state()?.pool, id, DeliveryFilter::All { after_id }, 100)
                .await
                .map_err(campaign_error)
        }
        .await,
    )
}

/// Managers and admins: send the held in-doubt messages again, or record them as sent.
#[server(prefix = "/api", endpoint = "campaigns/in-doubt")]
pub async fn decide_in_doubt(id: i64, decision: InDoubtDecision) -> Result<u64, AppError> {
    use breachdesk::audit::{AuditAction, record_logged};
    use breachdesk::role::Capability;

    use crate::context::{require, staff_event, state, with_status};
    let session = require(Capability::RunCampaigns)?;
    with_status(
        async {
            let pool = &state()?.pool;
            breachdesk::campaigns::load(pool, id).await.map_err(campaign_error)?;
            let changed = breachdesk::campaigns::decide_in_doubt(pool, id, decision).await?;
            let detail = match decision {
                InDoubtDecision::SendAgain => "in-doubt send again",
                InDoubtDecision::MarkSent => "in-doubt mark sent",
            };
            let event = staff_event(&session, AuditAction::ChangedCampaign)
                .object(format!("campaign:{id}"))
                .detail(format!("{detail} rows={changed}"));
            record_logged(pool, &event).await;
            Ok(changed)
        }
        .await,
    )
}

/// Managers and admins: the printed letters were handed to the post; they become `sent`.
#[server(prefix = "/api", endpoint = "campaigns/mailed")]
pub async fn confirm_mailed(id: i64) -> Result<u64, AppError> {
    use breachdesk::audit::{AuditAction, record_logged};
    use breachdesk::role::Capability;

    use crate::context::{require, staff_event, state, with_status};
    let session = require(Capability::RunCampaigns)?;
    with_status(
        async {
            let pool = &state()?.pool;
            let marked = breachdesk::campaigns::mailing::confirm_mailed(pool, id)
                .await
                .map_err(campaign_error)?;
            let event = staff_event(&session, AuditAction::ChangedCampaign)
                .object(format!("campaign:{id}"))
                .detail(format!("mailed letters={marked}"));
            record_logged(pool, &event).await;
            Ok(marked)
        }
        .await,
    )
}

/// Managers and admins: one customer's latest email bounced, or latest letter came back.
#[server(prefix = "/api", endpoint = "campaigns/undelivered")]
pub async fn mark_undelivered(form: UndeliveredForm) -> Result<(), AppError> {
    use breachdesk::audit::{AuditAction, record_logged};
    use breachdesk::campaign::bounce::ReturnedReason;
    use breachdesk::campaigns::undelivered;
    use breachdesk::customer::ReferenceCode;
    use breachdesk::role::Capability;

    use crate::context::{lang, require, staff_event, state, with_status};
    let session = require(Capability::RunCampaigns)?;
    with_status(
        async {
            let t = lang().campaigns_texts();
            let code = ReferenceCode::parse(&form.reference_code)
                .map_err(|_| AppError::field("reference_code", t.error_reference_code))?;
            let pool = &state()?.pool;
            let (customer, detail) = if form.what == "bounced" {
                (undelivered::mark_customer_bounced(pool, &code).await?, "bounced")
            } else {
                let reason =
                    ReturnedReason::parse(&form.what).ok_or_else(|| AppError::field("what", t.error_reason))?;
                (undelivered::mark_returned(pool, &code, reason).await?, reason.code())
            };
            let customer = customer.ok_or_else(|| AppError::field("reference_code", t.error_nothing_sent))?;
            let event = staff_event(&session, AuditAction::RecordedUndelivered)
                .customer(customer)
                .detail(detail);
            record_logged(pool, &event).await;
            Ok(())
        }
        .await,
    )
}
