//! `breachdesk import statuses FILE [--dry-run]`: a card company's status list from the command line,
//! checked and applied exactly as the Bulk updates page does (all rows or none).

use breachdesk::audit::{Actor as AuditActor, AuditAction, AuditEvent};
use std::path::PathBuf;

use anyhow::{Context, bail};
use breachdesk::case::bulk::{BulkReport, RowOutcome};
use breachdesk::cases::Actor;
use breachdesk::cases::bulk::{Applied, BulkFile};
use breachdesk::customer::CsvEncoding;
use clap::Args;

use crate::Settings;

#[derive(Args)]
pub struct ImportStatusesArgs {
    /// The CSV file: reference code, external id, or card last 4 with postal code; status; date; amount; note
    pub file: PathBuf,
    /// Check every row and report; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// utf-8 or shift_jis (default: detected)
    #[arg(long, default_value = "auto")]
    pub encoding: CsvEncoding,
}

fn describe(outcome: RowOutcome) -> String {
    match outcome {
        RowOutcome::Matched => "ready".to_owned(),
        RowOutcome::Unmatched => "no matching customer".to_owned(),
        RowOutcome::Ambiguous => "several customers match the card last 4 and postal code".to_owned(),
        RowOutcome::InvalidTransition(error) => format!("change not possible: {error}"),
        RowOutcome::InvalidValue(field) => format!("invalid {}", field.label_en()),
    }
}

fn print_problems(report: &BulkReport) {
    for row in report.rows.iter().filter(|row| row.outcome != RowOutcome::Matched) {
        eprintln!("  line {}: {}", row.line, describe(row.outcome));
    }
}

pub async fn import_statuses(settings: &Settings, args: ImportStatusesArgs) -> anyhow::Result<()> {
    let bytes = std::fs::read(&args.file).with_context(|| format!("cannot read {}", args.file.display()))?;
    let name = args.file.file_name().map_or_else(
        || args.file.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    let file = BulkFile::read(&name, &bytes, args.encoding).with_context(|| format!("{name} cannot be read"))?;
    let pool = breachdesk::db::open(&settings.database_url).await?;
    let report = if args.dry_run {
        breachdesk::cases::bulk::dry_run(&pool, &file, Actor::System)
            .await
            .context("cannot check the file")?
    } else {
        match breachdesk::cases::bulk::apply(&pool, &file, Actor::System)
            .await
            .context("cannot apply the file")?
        {
            Applied::Done { bulk_update_id, report } => {
                let event = AuditEvent::new(AuditActor::CommandLine, AuditAction::BulkUpdatedCases)
                    .object(format!("bulk_update:{bulk_update_id}"))
                    .detail(format!("rows={}", report.counts.matched));
                breachdesk::audit::record(&pool, &event).await?;
                println!(
                    "applied {name} as bulk update #{bulk_update_id}: {} rows",
                    report.counts.matched
                );
                return Ok(());
            }
            Applied::Refused(report) => report,
        }
    };
    let counts = report.counts;
    print_problems(&report);
    println!(
        "checked {name} ({}): {} ready, {} unmatched, {} ambiguous, {} invalid transitions, {} invalid values",
        file.encoding,
        counts.matched,
        counts.unmatched,
        counts.ambiguous,
        counts.invalid_transition,
        counts.invalid_value
    );
    if counts.problems() > 0 {
        bail!("{} rows have problems; nothing was written", counts.problems());
    }
    Ok(())
}
