//! `breachdesk import customers`, `breachdesk demo-data` and `breachdesk bench import`.

use breachdesk::audit::{Actor, AuditAction, AuditEvent};
use std::io::{BufReader, BufWriter, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, bail};
use breachdesk::customer::{CsvEncoding, CustomerCsvReader, RowProblem, demo_csv};
use breachdesk::import::{ImportOptions, ImportOutcome, ImportSource, import_rows};
use breachdesk::secret::SecretKey;
use clap::{Args, Subcommand};

use crate::Settings;

#[derive(Subcommand)]
pub enum ImportCommand {
    /// Import an affected-customer CSV (UTF-8 or Shift_JIS); any rejected row writes nothing unless --allow-partial
    Customers(ImportCustomersArgs),
    /// Apply a card company's reissue and refund status list (UTF-8 or Shift_JIS); any problem row writes nothing
    Statuses(crate::status_import_cli::ImportStatusesArgs),
}

#[derive(Args)]
pub struct ImportCustomersArgs {
    /// The CSV file
    pub file: PathBuf,
    /// Check and count only; write nothing
    #[arg(long)]
    pub dry_run: bool,
    /// utf-8 or shift_jis (default: detected)
    #[arg(long, default_value = "auto")]
    pub encoding: CsvEncoding,
    /// Import the good rows even when some are rejected (needs --rejects)
    #[arg(long, requires = "rejects")]
    pub allow_partial: bool,
    /// Write every problem (row, column, reason; never the cell values) to this CSV
    #[arg(long)]
    pub rejects: Option<PathBuf>,
}

#[derive(Args)]
pub struct DemoDataArgs {
    /// How many customers
    #[arg(long, default_value_t = breachdesk::demo::DEMO_CUSTOMERS)]
    pub count: usize,
    /// The same seed writes the same file
    #[arg(long, default_value_t = breachdesk::demo::DEMO_CUSTOMER_SEED)]
    pub seed: u64,
    /// The file to write
    #[arg(long)]
    pub out: PathBuf,
    /// utf-8 or shift_jis
    #[arg(long, default_value = "utf-8")]
    pub encoding: CsvEncoding,
}

#[derive(Subcommand)]
pub enum BenchCommand {
    /// Generate ROWS customers, import them into a fresh temporary database, print rows/s and peak memory
    Import {
        #[arg(long, default_value_t = 1_000_000)]
        rows: usize,
    },
    /// Render the demo's 6,860 letters into one batch PDF (temporary database), print letters/s, size and peak memory
    Letters,
}

pub async fn import(settings: &Settings, command: ImportCommand) -> anyhow::Result<()> {
    let args = match command {
        ImportCommand::Customers(args) => args,
        ImportCommand::Statuses(args) => return crate::status_import_cli::import_statuses(settings, args).await,
    };
    let pool = breachdesk::db::open(&settings.database_url).await?;
    let key = SecretKey::load_or_create(&settings.secret_key_path())?;
    let options = ImportOptions {
        apply: !args.dry_run,
        allow_partial: args.allow_partial,
    };
    let outcome = import_file(&pool, &key, &args.file, args.encoding, options).await?;
    let report = &outcome.report;
    if let Some(path) = &args.rejects {
        write_rejects(path, &report.problems)?;
    }
    for problem in report.problems.iter().take(PROBLEMS_SHOWN) {
        eprintln!("  {}", problem.message_en());
    }
    if report.problems.len() > PROBLEMS_SHOWN {
        eprintln!("  … and {} more problems", report.problems.len() - PROBLEMS_SHOWN);
    }
    let counts = report.counts;
    if let Some(id) = outcome.import_id {
        let event = AuditEvent::new(Actor::CommandLine, AuditAction::ImportedCustomers)
            .object(format!("import:{id}"))
            .detail(format!(
                "new={} updated={} rejected={}",
                counts.new, counts.updated, counts.rejected
            ));
        breachdesk::audit::record(&pool, &event).await?;
    }
    let verb = if outcome.import_id.is_some() {
        "imported"
    } else {
        "checked (nothing written)"
    };
    println!(
        "{verb} {} ({}): {} new, {} updated, {} unchanged, {} rejected",
        args.file.display(),
        report.encoding,
        counts.new,
        counts.updated,
        counts.unchanged,
        counts.rejected
    );
    if counts.rejected > 0 {
        let written = if outcome.import_id.is_some() {
            "the good rows were imported"
        } else {
            "nothing was written"
        };
        bail!("{} rows rejected; {written}", counts.rejected);
    }
    Ok(())
}

/// Problems listed on the terminal; the rest go to `--rejects`.
const PROBLEMS_SHOWN: usize = 20;

async fn import_file(
    pool: &sqlx::SqlitePool,
    key: &SecretKey,
    path: &Path,
    encoding: CsvEncoding,
    options: ImportOptions,
) -> anyhow::Result<ImportOutcome> {
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let reader = CustomerCsvReader::new(BufReader::with_capacity(1 << 16, file), encoding, key.bytes())
        .with_context(|| format!("{} cannot be imported", path.display()))?;
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |name| name.to_string_lossy().into_owned(),
    );
    let source = ImportSource::of(&reader, &name, None);
    let show_progress = std::io::stderr().is_terminal();
    let mut shown = 0;
    let mut conn = pool.acquire().await.context("cannot reach the database")?;
    let outcome = import_rows(&mut conn, reader, source, options, |rows| {
        if show_progress && rows >= shown + 10_000 {
            shown = rows;
            eprint!("\r{rows} rows…");
        }
    })
    .await
    .with_context(|| format!("{} was not imported", path.display()))?;
    if show_progress && shown > 0 {
        eprintln!();
    }
    Ok(outcome)
}

/// Row, column and reason of each problem. The rejected rows themselves are not copied:
/// they may hold card numbers, which must not be written to any file.
fn write_rejects(path: &Path, problems: &[RowProblem]) -> anyhow::Result<()> {
    let file = std::fs::File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut out = BufWriter::new(file);
    let mut write = || -> std::io::Result<()> {
        writeln!(out, "row,column,reason,理由")?;
        for problem in problems {
            writeln!(
                out,
                "{},{},{},{}",
                problem.row,
                quoted(&problem.column),
                quoted(&problem.reason.message_en()),
                quoted(&problem.reason.message_ja())
            )?;
        }
        out.flush()
    };
    write().with_context(|| format!("cannot write {}", path.display()))
}

fn quoted(field: &str) -> String {
    format!("\"{}\"", field.replace('"', "\"\""))
}

pub fn demo_data(args: DemoDataArgs) -> anyhow::Result<()> {
    let profile = breachdesk::demo::incident_profile();
    let customers = demo_csv::generate(args.count, args.seed, profile.affected_from..=profile.affected_until);
    let file = std::fs::File::create(&args.out).with_context(|| format!("cannot create {}", args.out.display()))?;
    match args.encoding {
        CsvEncoding::ShiftJis => demo_csv::write_csv_shift_jis(file, customers),
        CsvEncoding::Utf8 | CsvEncoding::Auto => demo_csv::write_csv(file, customers),
    }
    .with_context(|| format!("cannot write {}", args.out.display()))?;
    println!(
        "wrote {} customers to {} ({})",
        args.count,
        args.out.display(),
        args.encoding
    );
    Ok(())
}

pub async fn bench(command: BenchCommand) -> anyhow::Result<()> {
    let rows = match command {
        BenchCommand::Import { rows } => rows,
        BenchCommand::Letters => return crate::letters_cli::bench().await,
    };
    let dir = std::env::temp_dir().join(format!("breachdesk-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let outcome = bench_in(&dir, rows).await;
    // The generated file holds (made-up) card numbers: it goes whatever happened.
    let removed = std::fs::remove_dir_all(&dir).with_context(|| format!("cannot remove {}", dir.display()));
    outcome.and(removed)
}

async fn bench_in(dir: &Path, rows: usize) -> anyhow::Result<()> {
    let csv = dir.join("customers.csv");
    let started = Instant::now();
    demo_data(DemoDataArgs {
        count: rows,
        seed: breachdesk::demo::DEMO_CUSTOMER_SEED,
        out: csv.clone(),
        encoding: CsvEncoding::Utf8,
    })?;
    let generated = started.elapsed();
    let pool = breachdesk::db::open(&format!("sqlite://{}", dir.join("bench.db").display())).await?;
    let key = SecretKey::load_or_create(&dir.join("secret.key"))?;
    let started = Instant::now();
    let outcome = import_file(
        &pool,
        &key,
        &csv,
        CsvEncoding::Auto,
        ImportOptions {
            apply: true,
            allow_partial: false,
        },
    )
    .await?;
    let imported = started.elapsed();
    pool.close().await;
    let seconds = imported.as_secs_f64();
    println!(
        "generated {rows} rows in {:.2} s; imported {} new in {seconds:.2} s: {:.0} rows/s; peak memory (VmHWM) {}",
        generated.as_secs_f64(),
        outcome.report.counts.new,
        rows as f64 / seconds.max(f64::EPSILON),
        peak_memory().unwrap_or_else(|| "unknown".to_owned())
    );
    Ok(())
}

/// The process's peak resident memory as the kernel reports it.
pub(crate) fn peak_memory() -> Option<String> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    Some(line.trim_start_matches("VmHWM:").trim().to_owned())
}
