//! The command line of the `breachdesk` binary.

use std::io::{IsTerminal, Read};
use std::net::SocketAddr;

use anyhow::{Context, bail};
use breachdesk::accounts;
use breachdesk::role::Role;
use breachdesk::staff::{DisplayName, NewPassword, StaffEmail};
use clap::{Parser, Subcommand};

use crate::Settings;

#[derive(Parser)]
#[command(
    name = "breachdesk",
    version,
    about = "BreachDesk: the desk a company runs after a card-data breach"
)]
pub struct Cli {
    /// SQLite database URL (default sqlite://data/breachdesk.db)
    #[arg(long, global = true, env = "DATABASE_URL")]
    pub database: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand)]
pub enum Command {
    /// Serve the web application (the default command)
    Serve {
        /// Address to listen on (default 127.0.0.1:3000)
        #[arg(long, env = "LEPTOS_SITE_ADDR")]
        listen: Option<SocketAddr>,
        /// Load the demo incident first when the database is empty
        #[arg(long)]
        demo: bool,
    },
    /// Create or update the database schema, then exit
    Migrate,
    /// Manage staff accounts
    #[command(subcommand)]
    User(UserCommand),
    /// Demo data
    #[command(subcommand)]
    Demo(DemoCommand),
    /// Import affected customers, or card companies' status lists, from a CSV file
    #[command(subcommand)]
    Import(crate::import_cli::ImportCommand),
    /// Write a realistic affected-customer CSV (made-up people, valid-Luhn test card numbers)
    DemoData(crate::import_cli::DemoDataArgs),
    /// Write every letter for an audience into one PDF (postal-code order), optionally with the mailing list
    Letters(crate::letters_cli::LettersArgs),
    /// Notification campaigns: create, start, pause, resume, cancel, status
    #[command(subcommand)]
    Campaign(crate::campaign_cli::CampaignCommand),
    /// Measure performance
    #[command(subcommand)]
    Bench(crate::import_cli::BenchCommand),
    /// Write a consistent copy of the database to FILE while the server keeps serving (restore: README)
    Backup {
        /// The new backup file; an existing file is never overwritten
        file: std::path::PathBuf,
    },
    /// Close the programme: blank the personal data of customers inactive since before a date (keeps counts and the audit trail)
    Purge(crate::purge_cli::PurgeArgs),
    /// Print the hotline's state as JSON, as GET /api/hotline answers it
    Hours {
        /// RFC 3339 instant, e.g. 2017-12-29T18:30:00+09:00 (default: now)
        #[arg(long)]
        at: Option<String>,
    },
}

#[derive(Subcommand)]
pub enum UserCommand {
    /// Add a staff account; the password is read from stdin when piped, else generated and printed once
    Add {
        #[arg(long)]
        email: String,
        /// agent, manager or admin
        #[arg(long)]
        role: String,
        /// Name shown in the header (default: the part of the email before @)
        #[arg(long)]
        name: Option<String>,
    },
    /// List staff accounts
    List,
    /// Disable a staff account and end its sessions
    Disable {
        #[arg(long)]
        email: String,
    },
}

#[derive(Subcommand)]
pub enum DemoCommand {
    /// Put the demo incident into an empty database
    Load,
}

/// The whole `breachdesk` process: logs to standard error, runs the command line, and on failure
/// prints one line (the outermost context, then its causes) and exits with status 1.
pub async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn")),
        )
        .with_writer(std::io::stderr)
        .init();
    match run(Cli::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("breachdesk: {error:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

pub async fn run(cli: Cli) -> anyhow::Result<()> {
    let mut settings = Settings::from_env()?;
    if let Some(database) = cli.database {
        settings.database_url = database;
    }
    match cli.command.unwrap_or(Command::Serve {
        listen: None,
        demo: false,
    }) {
        Command::Serve { listen, demo } => serve(settings, listen, demo).await,
        Command::Migrate => {
            breachdesk::db::open(&settings.database_url).await?;
            println!("database {} is up to date", settings.database_url);
            Ok(())
        }
        Command::User(command) => user(&settings, command).await,
        Command::Import(command) => crate::import_cli::import(&settings, command).await,
        Command::DemoData(args) => crate::import_cli::demo_data(args),
        Command::Letters(args) => crate::letters_cli::letters(&settings, args).await,
        Command::Campaign(command) => crate::campaign_cli::campaign(&settings, command).await,
        Command::Bench(command) => crate::import_cli::bench(command).await,
        Command::Demo(DemoCommand::Load) => {
            let pool = breachdesk::db::open(&settings.database_url).await?;
            let key = breachdesk::secret::SecretKey::load_or_create(&settings.secret_key_path())?;
            breachdesk::demo::load(&pool, &key).await?;
            println!("loaded the demo incident into {}", settings.database_url);
            Ok(())
        }
        Command::Hours { at } => hours(&settings, at.as_deref()).await,
        Command::Purge(args) => crate::purge_cli::purge(&settings, args).await,
        Command::Backup { file } => {
            let pool = breachdesk::db::open(&settings.database_url).await?;
            breachdesk::db::backup(&pool, &file).await?;
            println!("backed up {} to {}", settings.database_url, file.display());
            Ok(())
        }
    }
}

async fn serve(mut settings: Settings, listen: Option<SocketAddr>, demo: bool) -> anyhow::Result<()> {
    if let Some(listen) = listen {
        settings.listen = listen;
    }
    let running = crate::start(&settings, demo).await?;
    // With port 0 the real port is known only now; an explicit public URL wins.
    if std::env::var_os("BREACHDESK_PUBLIC_URL").is_none() {
        settings.public_base_url = format!("http://{}", running.address);
    }
    if let Some(password) = &running.first_admin_password {
        println!();
        println!("  First admin account created (the password is shown only now):");
        println!("    email:    {}", crate::FIRST_ADMIN_EMAIL);
        println!("    password: {password}");
        println!();
    }
    println!("BreachDesk is serving on {}", settings.public_base_url);
    running
        .task
        .await
        .context("the server task failed")?
        .context("the server stopped with an error")
}

async fn hours(settings: &Settings, at: Option<&str>) -> anyhow::Result<()> {
    // A malformed instant is refused before the database is opened (or created).
    let instant = match at {
        Some(text) => breachdesk::calendar::status::parse_instant(text).context("--at")?,
        None => time::OffsetDateTime::now_utc(),
    };
    let pool = breachdesk::db::open(&settings.database_url).await?;
    let status = breachdesk::hotline::status_at(&pool, instant).await?;
    println!(
        "{}",
        serde_json::to_string_pretty(&status).context("cannot write the answer as JSON")?
    );
    Ok(())
}

async fn user(settings: &Settings, command: UserCommand) -> anyhow::Result<()> {
    let pool = breachdesk::db::open(&settings.database_url).await?;
    match command {
        UserCommand::Add { email, role, name } => {
            let email = StaffEmail::parse(&email).context("--email")?;
            let role = Role::parse(&role)?;
            let name = name.unwrap_or_else(|| email.as_str().split('@').next().unwrap_or_default().to_owned());
            let name = DisplayName::parse(&name).context("--name")?;
            let (password, generated) = read_or_generate_password()?;
            let password = NewPassword::parse(password).context("password from stdin")?;
            accounts::create(&pool, &email, &name, role, &password).await?;
            println!("added {role} {email}");
            if generated {
                println!("password: {} (shown only now)", password.expose());
            }
            Ok(())
        }
        UserCommand::List => {
            for member in accounts::list(&pool).await? {
                let state = if member.disabled { "disabled" } else { "active" };
                println!("{}\t{}\t{}\t{}", member.email, member.role, state, member.display_name);
            }
            Ok(())
        }
        UserCommand::Disable { email } => {
            let email = StaffEmail::parse(&email).context("--email")?;
            let member = accounts::find_by_email(&pool, &email).await?;
            accounts::set_disabled(&pool, member.id, true).await?;
            println!("disabled {email}");
            Ok(())
        }
    }
}

/// A password piped on stdin (first line), or a generated one when stdin is a terminal or empty.
fn read_or_generate_password() -> anyhow::Result<(String, bool)> {
    let stdin = std::io::stdin();
    if stdin.is_terminal() {
        return Ok((accounts::generate_password(), true));
    }
    let mut input = String::new();
    stdin
        .lock()
        .read_to_string(&mut input)
        .context("cannot read the password from stdin")?;
    match input.lines().next().map(str::trim_end) {
        Some(line) if !line.is_empty() => Ok((line.to_owned(), false)),
        Some(_) | None if input.trim().is_empty() => Ok((accounts::generate_password(), true)),
        _ => bail!("the password on stdin is empty"),
    }
}
