//! The `breachdesk` server: configuration, start-up, router and background workers.

// The route table's view type nests every page; past about twenty pages its layout needs more depth than the default 128.
#![recursion_limit = "256"]

mod audit_routes;
mod auth_routes;
mod call_routes;
mod campaign_cli;
mod campaign_routes;
mod campaign_worker;
mod case_update_routes;
pub mod cli;
pub mod config;
mod download;
mod hotline_api;
mod import_cli;
mod import_routes;
mod letter_routes;
mod letters_cli;
mod purge_cli;
mod router;
mod security_headers;
mod status_import_cli;
mod status_routes;
mod upload_limit;
mod workers;

use std::net::SocketAddr;

use anyhow::Context;
use app::context::AppState;
use axum::serve::ListenerExt;
use breachdesk::accounts;
use breachdesk::role::Role;
use breachdesk::secret::SecretKey;
use breachdesk::staff::{DisplayName, NewPassword, StaffEmail};
use leptos::prelude::LeptosOptions;
use sqlx::SqlitePool;
use tokio::net::TcpListener;

pub use config::Settings;

/// The address of the first admin account, created on the first start of an empty database.
pub const FIRST_ADMIN_EMAIL: &str = "admin@breachdesk.local";

/// A server listening and serving in the background (used by `serve` and by the integration tests).
pub struct RunningServer {
    pub address: SocketAddr,
    pub pool: SqlitePool,
    /// The password of the admin created at this start, if one was; shown once, never stored in clear.
    pub first_admin_password: Option<String>,
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Opens the database, loads the demo when asked and the database is empty, creates the first admin,
/// binds the listen address and starts serving.
pub async fn start(settings: &Settings, load_demo: bool) -> anyhow::Result<RunningServer> {
    let pool = breachdesk::db::open(&settings.database_url).await?;
    let key = SecretKey::load_or_create(&settings.secret_key_path())?;
    if load_demo && breachdesk::demo::database_is_empty(&pool).await? {
        breachdesk::demo::load(&pool, &key).await?;
        tracing::info!("loaded the demo incident");
    }
    let first_admin_password = create_first_admin(&pool).await?;

    let listener = TcpListener::bind(settings.listen)
        .await
        .with_context(|| format!("cannot listen on {}", settings.listen))?;
    let address = listener.local_addr().context("cannot read the listening address")?;
    let state = AppState {
        pool: pool.clone(),
        key,
        leptos_options: leptos_options(settings, address),
        idle_expiry: time::Duration::hours(i64::from(settings.session_idle_hours)),
        secure_cookies: settings.secure_cookies(),
        pending_imports: breachdesk::import::PendingImports::default(),
        pending_case_updates: breachdesk::cases::bulk::PendingFiles::default(),
        mailer: breachdesk::mail::Mailer::new(&settings.mail).context("cannot set up the email transport")?,
        audit_writer: breachdesk::audit::AuditWriter::start(pool.clone()),
    };
    let workers = workers::spawn(&state, settings.public_base_url.clone());
    campaign_worker::spawn(state.pool.clone(), state.mailer.clone());
    let options = router::RouterOptions {
        upload_limit: settings.upload_limit_bytes(),
        workers,
    };
    let app = router::router(state, options).into_make_service_with_connect_info::<SocketAddr>();
    let task = tokio::spawn(async move {
        // Without TCP_NODELAY a response written in two parts (headers, then a file's body) waits
        // for the client's delayed ACK: 44 ms per static file on a kept-alive connection.
        let listener = listener.tap_io(|stream| {
            if let Err(error) = stream.set_nodelay(true) {
                tracing::warn!(%error, "cannot set TCP_NODELAY");
            }
        });
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
    });
    Ok(RunningServer {
        address,
        pool,
        first_admin_password,
        task,
    })
}

/// Built here rather than read from Cargo.toml, whose location differs between cargo-leptos, `make run` and tests.
fn leptos_options(settings: &Settings, address: SocketAddr) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("breachdesk")
        .site_root(settings.site_root.to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(address)
        .build()
}

async fn create_first_admin(pool: &SqlitePool) -> anyhow::Result<Option<String>> {
    if accounts::count(pool).await.context("cannot count staff accounts")? > 0 {
        return Ok(None);
    }
    let password = accounts::generate_password();
    let email = StaffEmail::parse(FIRST_ADMIN_EMAIL).context("the first admin address is malformed")?;
    let name = DisplayName::parse("管理者").context("the first admin name is malformed")?;
    let parsed = NewPassword::parse(password.clone()).context("the generated password is too short")?;
    accounts::create(pool, &email, &name, Role::Admin, &parsed)
        .await
        .context("cannot create the first admin account")?;
    Ok(Some(password))
}

async fn shutdown_signal() {
    let interrupt = tokio::signal::ctrl_c();
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = interrupt => {},
        _ = terminate => {},
    }
}
