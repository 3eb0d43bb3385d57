//! `breachdesk letters` (a batch PDF and its mailing list for an audience) and `breachdesk bench letters`.

use breachdesk::audit::{Actor, AuditAction, AuditEvent};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use breachdesk::audience::Audience;
use breachdesk::letters::{self, Batch, DEFAULT_TEMPLATE, LetterSetup};
use breachdesk::secret::SecretKey;
use clap::Args;
use sqlx::SqlitePool;

use crate::Settings;

#[derive(Args)]
pub struct LettersArgs {
    /// all, with-email, without-email, not-notified, bounced, returned or resend-requested
    #[arg(long)]
    pub audience: Audience,
    /// The batch PDF to write: every letter of the audience, in postal-code order
    #[arg(long)]
    pub out: PathBuf,
    /// Also write the print shop's mailing list (CSV, UTF-8 with BOM) of the same batch, in the same order
    #[arg(long)]
    pub mailing_list: Option<PathBuf>,
    /// The letter template, by name
    #[arg(long, default_value = DEFAULT_TEMPLATE)]
    pub template: String,
}

pub async fn letters(settings: &Settings, args: LettersArgs) -> anyhow::Result<()> {
    let pool = breachdesk::db::open(&settings.database_url).await?;
    let setup = LetterSetup::load(&pool, &args.template, breachdesk::calendar::today_in_tokyo()).await?;
    let batch = make_batch(&pool, args.audience, &setup, std::io::stderr().is_terminal()).await?;
    std::fs::write(&args.out, &batch.pdf).with_context(|| format!("cannot write {}", args.out.display()))?;
    if let Some(path) = &args.mailing_list {
        write_mailing_list(path, &batch)?;
    }
    let event = AuditEvent::new(Actor::CommandLine, AuditAction::ProducedLetters)
        .object(format!("letters:{}", args.audience))
        .detail(format!("letters={}", batch.mailing_list.len()));
    breachdesk::audit::record(&pool, &event).await?;
    println!(
        "wrote {} letters for {} ({} pages, {} KB) to {}{}",
        batch.mailing_list.len(),
        args.audience,
        batch.pages,
        batch.pdf.len() / 1024,
        args.out.display(),
        args.mailing_list
            .as_ref()
            .map(|path| format!("; mailing list: {}", path.display()))
            .unwrap_or_default()
    );
    Ok(())
}

/// The batch, with a progress line on stderr when it is a terminal. An empty audience is refused:
/// an empty PDF sent to the print shop helps nobody.
async fn make_batch(
    pool: &SqlitePool,
    audience: Audience,
    setup: &LetterSetup,
    show_progress: bool,
) -> anyhow::Result<Batch> {
    let total = letters::counts(pool)
        .await
        .context("cannot count the audience")?
        .into_iter()
        .find_map(|(counted, count)| (counted == audience).then_some(count))
        .unwrap_or_default();
    if total == 0 {
        bail!("the audience {audience} holds no customers; nothing written");
    }
    let progress = move |done: usize| {
        if show_progress && (done.is_multiple_of(100) || done as u64 == total) {
            eprint!("\r{done}/{total} letters laid out…");
            if done as u64 == total {
                eprintln!(" drawing the PDF");
            }
        }
    };
    letters::batch(pool, audience, setup, progress)
        .await
        .with_context(|| format!("cannot make the letters for {audience}"))
}

fn write_mailing_list(path: &Path, batch: &Batch) -> anyhow::Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    letters::write_mailing_list(&batch.mailing_list, &mut out)
        .with_context(|| format!("cannot write {}", path.display()))?;
    out.flush().with_context(|| format!("cannot write {}", path.display()))
}

/// Loads the demo (6,860 customers and its letter template) into a temporary database, renders
/// every letter into one batch PDF and prints letters per second, the file size and peak memory.
pub async fn bench() -> anyhow::Result<()> {
    let dir = std::env::temp_dir().join(format!("breachdesk-bench-letters-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let outcome = bench_in(&dir).await;
    let removed = std::fs::remove_dir_all(&dir).with_context(|| format!("cannot remove {}", dir.display()));
    outcome.and(removed)
}

async fn bench_in(dir: &Path) -> anyhow::Result<()> {
    let pool = breachdesk::db::open(&format!("sqlite://{}", dir.join("bench.db").display())).await?;
    let key = SecretKey::load_or_create(&dir.join("secret.key"))?;
    breachdesk::demo::load(&pool, &key).await?;
    // The seed's own letter date, so every run renders the same letters.
    let setup = LetterSetup::load(&pool, DEFAULT_TEMPLATE, time::macros::date!(2017 - 12 - 22)).await?;
    let started = Instant::now();
    let batch = make_batch(&pool, Audience::All, &setup, false).await?;
    let seconds = started.elapsed().as_secs_f64();
    pool.close().await;
    let letters = batch.mailing_list.len();
    println!(
        "rendered {letters} letters ({} pages) in {seconds:.2} s: {:.0} letters/s; batch PDF {:.1} MB, {} bytes per letter; peak memory (VmHWM) {}",
        batch.pages,
        letters as f64 / seconds.max(f64::EPSILON),
        batch.pdf.len() as f64 / 1_048_576.0,
        batch.pdf.len() / letters.max(1),
        crate::import_cli::peak_memory().unwrap_or_else(|| "unknown".to_owned())
    );
    Ok(())
}
