//! Background work of the `serve` process.

use std::time::Duration;

use app::context::AppState;
use time::OffsetDateTime;

/// Starts the background tasks; they run until the process ends.
pub fn spawn(state: &AppState) {
    let pool = state.pool.clone();
    let idle_expiry = state.idle_expiry;
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(Duration::from_secs(3600));
        loop {
            interval.tick().await;
            match breachdesk::sessions::purge_idle(&pool, idle_expiry, OffsetDateTime::now_utc()).await {
                Ok(0) => {}
                Ok(purged) => tracing::info!(purged, "removed idle sessions"),
                Err(error) => tracing::error!(%error, "cannot remove idle sessions"),
            }
        }
    });
}
