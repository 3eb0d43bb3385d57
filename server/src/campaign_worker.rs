//! The campaign sender of the `serve` process: first settles the rows a crash left in `sending`,
//! then every tenth of a second looks for running email campaigns and sends each in its own task.
//! A pause, resume or cancel from a page or the command line is a row change the tasks read
//! within half a second.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use breachdesk::campaigns::sender::CampaignRun;
use breachdesk::mail::Mailer;
use sqlx::SqlitePool;

/// A started campaign begins sending within this time. The look is one query over a few rows; at
/// half a second a campaign waited a quarter of a second on average, against 3 s for all 6,860 demo
/// emails on loopback.
const LOOK_FOR_CAMPAIGNS: Duration = Duration::from_millis(100);

/// Starts the worker; it runs until the process ends.
pub fn spawn(pool: SqlitePool, mailer: Mailer) {
    tokio::spawn(async move {
        match breachdesk::campaigns::recover_in_doubt(&pool).await {
            Ok((0, 0)) => {}
            Ok((requeued, held)) => {
                tracing::warn!(
                    requeued,
                    held,
                    "deliveries left in sending by the last stop are in doubt"
                );
            }
            Err(error) => {
                // Sending now could let the in-doubt rows look like our own in-flight ones: wait for a restart.
                tracing::error!(%error, "cannot settle in-doubt deliveries; campaigns will not send");
                return;
            }
        }
        let active: Arc<Mutex<HashSet<i64>>> = Arc::default();
        let mut interval = tokio::time::interval(LOOK_FOR_CAMPAIGNS);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            let running = match breachdesk::campaigns::running_email_campaigns(&pool).await {
                Ok(running) => running,
                Err(error) => {
                    tracing::error!(%error, "cannot list running campaigns");
                    continue;
                }
            };
            for id in running {
                // A poisoned lock only means a task panicked while holding it; the set is still right.
                if !active.lock().unwrap_or_else(|p| p.into_inner()).insert(id) {
                    continue;
                }
                let (pool, mailer, active) = (pool.clone(), mailer.clone(), active.clone());
                tokio::spawn(async move {
                    let outcome = match CampaignRun::new(pool, mailer, id).await {
                        Ok(run) => run.run().await,
                        Err(error) => Err(error),
                    };
                    match outcome {
                        Ok(state) => tracing::info!(campaign = id, %state, "campaign sender stopped"),
                        Err(error) => tracing::error!(campaign = id, %error, "campaign sender failed"),
                    }
                    active.lock().unwrap_or_else(|p| p.into_inner()).remove(&id);
                });
            }
        }
    });
}
