//! Background work of the `serve` process, and what each worker last did (for `GET /healthz`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use app::context::AppState;
use serde::Serialize;
use time::OffsetDateTime;

/// The last run of one worker, as `/healthz` shows it.
#[derive(Clone, Copy, Debug, Serialize)]
pub struct LastRun {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub ok: bool,
}

/// What the workers last did; shared between the workers and the health check.
#[derive(Clone, Default)]
pub struct WorkerHealth {
    session_purge: Arc<Mutex<Option<LastRun>>>,
    escalation_mail: Arc<Mutex<Option<LastRun>>>,
}

/// The JSON object under `"workers"`: `null` for a worker that has not run yet.
#[derive(Serialize)]
pub struct WorkerReport {
    pub session_purge: Option<LastRun>,
    pub escalation_mail: Option<LastRun>,
}

impl WorkerHealth {
    pub fn report(&self) -> WorkerReport {
        WorkerReport {
            session_purge: last_run(&self.session_purge),
            escalation_mail: last_run(&self.escalation_mail),
        }
    }
}

// A poisoned lock only means a worker panicked mid-write; the value is still the last run.
fn last_run(slot: &Mutex<Option<LastRun>>) -> Option<LastRun> {
    *slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn ran(slot: &Mutex<Option<LastRun>>, ok: bool) {
    let run = LastRun {
        at: OffsetDateTime::now_utc(),
        ok,
    };
    *slot.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(run);
}

/// Starts the background tasks; they run until the process ends. `public_url` is where links in
/// staff emails point.
pub fn spawn(state: &AppState, public_url: String) -> WorkerHealth {
    let health = WorkerHealth::default();
    let pool = state.pool.clone();
    let idle_expiry = state.idle_expiry;
    let reporter = health.clone();
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(3600));
        loop {
            interval.tick().await;
            let outcome = breachdesk::sessions::purge_idle(&pool, idle_expiry, OffsetDateTime::now_utc()).await;
            match &outcome {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, "removed idle sessions"),
                Err(error) => tracing::error!(%error, "cannot remove idle sessions"),
            }
            ran(&reporter.session_purge, outcome.is_ok());
        }
    });
    let pool = state.pool.clone();
    let mailer = state.mailer.clone();
    let reporter = health.clone();
    tokio::spawn(async move {
        // Escalations are recorded by the request; their emails go out from here within seconds.
        let mut interval = tokio::time::interval(Duration::from_secs(2));
        loop {
            interval.tick().await;
            let outcome = breachdesk::calls::escalations::notify_pending(&pool, &mailer, &public_url).await;
            if let Err(error) = &outcome {
                tracing::error!(%error, "cannot email the escalation contacts");
            }
            ran(&reporter.escalation_mail, outcome.is_ok());
        }
    });
    health
}
