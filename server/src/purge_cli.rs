//! `breachdesk purge --before DATE [--dry-run]`: close the programme from the command line.

use anyhow::Context;
use breachdesk::audit::Actor;
use breachdesk::retention::{self, PurgeCutoff};

use crate::Settings;

#[derive(clap::Args)]
pub struct PurgeArgs {
    /// YYYY-MM-DD: customers whose last activity is before 00:00 Tokyo time on this day (tomorrow at the latest)
    #[arg(long)]
    before: String,
    /// Only count the customers a purge would blank; change nothing
    #[arg(long)]
    dry_run: bool,
}

pub async fn purge(settings: &Settings, args: PurgeArgs) -> anyhow::Result<()> {
    // A malformed or future date is refused before the database is opened (or created).
    let cutoff = PurgeCutoff::parse(&args.before, breachdesk::calendar::today_in_tokyo()).context("--before")?;
    let pool = breachdesk::db::open(&settings.database_url).await?;
    if args.dry_run {
        let summary = retention::preview(&pool, cutoff)
            .await
            .context("cannot count the customers to purge")?;
        println!(
            "dry run: would blank the personal data of {} customers whose last activity is before {} (Tokyo); nothing was changed",
            summary.customers,
            cutoff.date()
        );
    } else {
        let summary = retention::purge(&pool, cutoff, Actor::CommandLine, None)
            .await
            .context("cannot purge; nothing was changed")?;
        println!(
            "blanked the personal data of {} customers whose last activity is before {} (Tokyo)",
            summary.customers,
            cutoff.date()
        );
    }
    Ok(())
}
