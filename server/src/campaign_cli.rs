//! `breachdesk campaign create|start|pause|resume|cancel|status`: the same campaigns as the pages.
//! The running `serve` process reads the change within a second.

use anyhow::Context;
use breachdesk::audience::Audience;
use breachdesk::audit::{Actor, AuditAction, AuditEvent};
use breachdesk::campaign::progress::StateCounts;
use breachdesk::campaign::{CampaignAction, CampaignSettings, CampaignState, Channel, SettingsInput};
use breachdesk::campaigns::{self, NewCampaign};
use clap::{Args, Subcommand};
use serde::Serialize;

use crate::Settings;

#[derive(Subcommand)]
pub enum CampaignCommand {
    /// Create a draft campaign; prints its id alone
    Create(CreateArgs),
    /// Start a draft: one queued delivery per customer of the audience (starting twice adds nothing)
    Start { id: i64 },
    /// Pause a running campaign (messages in flight still finish)
    Pause { id: i64 },
    /// Resume a paused campaign
    Resume { id: i64 },
    /// Cancel a campaign: what is not yet sent is cancelled
    Cancel { id: i64 },
    /// Print the campaign's state and its deliveries per state as JSON
    Status { id: i64 },
}

#[derive(Args)]
pub struct CreateArgs {
    /// The template, by name (its newest version is used)
    #[arg(long)]
    template: String,
    /// email or letter
    #[arg(long)]
    channel: Channel,
    /// all, with-email, without-email, not-notified, bounced, returned or resend-requested
    #[arg(long)]
    audience: Audience,
    /// Messages sent at once, 1-64 (default 4)
    #[arg(long)]
    concurrency: Option<u32>,
    /// Messages per second (default: no limit)
    #[arg(long)]
    rate: Option<u32>,
    /// Messages per sliding hour (default: no cap)
    #[arg(long)]
    hourly_cap: Option<u32>,
    /// Attempts before a temporary failure is given up (default 5)
    #[arg(long)]
    max_attempts: Option<u32>,
    /// Seconds before the first retry, doubling each time (default 60)
    #[arg(long)]
    retry_after: Option<u32>,
    /// Pause when more than this percent of recent attempts fail (default 20)
    #[arg(long)]
    pause_above: Option<u32>,
    /// Send only while the hotline is open
    #[arg(long)]
    hotline_hours_only: bool,
    /// After a crash, hold in-doubt messages for a manager instead of sending them again
    #[arg(long)]
    hold_in_doubt: bool,
}

/// The JSON `campaign status` prints.
#[derive(Serialize)]
struct Status {
    id: i64,
    state: CampaignState,
    counts: StateCounts,
    concurrency: u32,
}

pub async fn campaign(settings: &Settings, command: CampaignCommand) -> anyhow::Result<()> {
    let pool = breachdesk::db::open(&settings.database_url).await?;
    let (id, action) = match command {
        CampaignCommand::Create(args) => {
            let text = |value: Option<u32>| value.map(|v| v.to_string()).unwrap_or_default();
            let input = SettingsInput {
                concurrency: text(args.concurrency),
                rate_per_second: text(args.rate),
                hourly_cap: text(args.hourly_cap),
                max_attempts: text(args.max_attempts),
                retry_after_seconds: text(args.retry_after),
                pause_above_percent: text(args.pause_above),
                hotline_hours_only: args.hotline_hours_only,
                hold_in_doubt: args.hold_in_doubt,
            };
            let settings = CampaignSettings::parse(&input)
                .map_err(|error| anyhow::anyhow!("--{}: {error}", error.field.replace('_', "-")))?;
            let new = NewCampaign {
                template_name: &args.template,
                channel: args.channel,
                audience: args.audience,
                settings,
                idempotency_key: None,
                created_by: None,
            };
            let id = campaigns::create(&pool, &new).await?;
            record(&pool, id, "create").await?;
            println!("{id}");
            return Ok(());
        }
        CampaignCommand::Status { id } => {
            let campaign = campaigns::load(&pool, id).await?;
            let status = Status {
                id,
                state: campaign.state,
                counts: campaigns::counts(&pool, id).await?,
                concurrency: campaign.settings.concurrency(),
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&status).context("cannot write the status as JSON")?
            );
            return Ok(());
        }
        CampaignCommand::Start { id } => (id, CampaignAction::Start),
        CampaignCommand::Pause { id } => (id, CampaignAction::Pause),
        CampaignCommand::Resume { id } => (id, CampaignAction::Resume),
        CampaignCommand::Cancel { id } => (id, CampaignAction::Cancel),
    };
    let state = campaigns::apply(&pool, id, action).await?;
    record(&pool, id, action.code()).await?;
    println!("campaign {id} is {state}");
    Ok(())
}

async fn record(pool: &sqlx::SqlitePool, id: i64, action: &str) -> anyhow::Result<()> {
    let event = AuditEvent::new(Actor::CommandLine, AuditAction::ChangedCampaign)
        .object(format!("campaign:{id}"))
        .detail(action.to_owned());
    breachdesk::audit::record(pool, &event).await?;
    Ok(())
}
