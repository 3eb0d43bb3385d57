//! Group commit for the audit trail: events recorded at the same moment share one transaction.
//!
//! Every public status lookup writes a trail row. One transaction per lookup made the commits, and
//! the page-cache reloads each commit forces on every other connection, most of the server's work
//! under load. Each caller still waits until its own row is committed, so no answer leaves before
//! its trail entry is stored.

use sqlx::SqlitePool;
use tokio::sync::{mpsc, oneshot};

use super::{AuditEvent, record_all};

/// Events written in one statement at most; callers beyond it wait for the next.
const MAX_BATCH: usize = 256;

/// The trail entry was not stored (the database error is logged where it happened).
#[derive(Debug, thiserror::Error)]
#[error("the audit trail could not be written")]
pub struct TrailNotWritten;

type Waiting = (AuditEvent, oneshot::Sender<bool>);

/// A handle to the writer task; cheap to clone.
#[derive(Clone)]
pub struct AuditWriter {
    queue: mpsc::Sender<Waiting>,
}

impl AuditWriter {
    /// Starts the writer on the current tokio runtime. It writes whatever is waiting as soon as the
    /// previous batch is committed, so a lone event is written at once and a burst in a few batches.
    pub fn start(pool: SqlitePool) -> AuditWriter {
        let (queue, mut waiting) = mpsc::channel::<Waiting>(4 * MAX_BATCH);
        tokio::spawn(async move {
            let mut batch = Vec::with_capacity(MAX_BATCH);
            while waiting.recv_many(&mut batch, MAX_BATCH).await > 0 {
                let (events, replies): (Vec<AuditEvent>, Vec<oneshot::Sender<bool>>) = batch.drain(..).unzip();
                let written = match record_all(&pool, &events).await {
                    Ok(()) => true,
                    Err(error) => {
                        tracing::error!(%error, events = events.len(), "cannot write the audit trail");
                        false
                    }
                };
                for reply in replies {
                    // A caller that gave up waiting (its request was dropped) needs no answer.
                    let _ = reply.send(written);
                }
            }
        });
        AuditWriter { queue }
    }

    /// Records the event; returns once it is committed.
    pub async fn record(&self, event: AuditEvent) -> Result<(), TrailNotWritten> {
        let (reply, written) = oneshot::channel();
        self.queue.send((event, reply)).await.map_err(|_| TrailNotWritten)?;
        match written.await {
            Ok(true) => Ok(()),
            _ => Err(TrailNotWritten),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::{Actor, AuditAction, Outcome};

    async fn trail(pool: &SqlitePool) -> Vec<(String, Option<String>, String)> {
        sqlx::query_as("SELECT action, object, outcome FROM audit_log ORDER BY id")
            .fetch_all(pool)
            .await
            .expect("trail")
    }

    #[tokio::test]
    async fn an_event_is_stored_before_record_returns() {
        let pool = crate::db::in_memory().await;
        let writer = AuditWriter::start(pool.clone());
        let event = AuditEvent::new(Actor::Public, AuditAction::LookedUpStatus).object("reference:ab12");
        writer.record(event).await.expect("written");
        assert_eq!(
            trail(&pool).await,
            vec![(
                "looked_up_status".to_owned(),
                Some("reference:ab12".to_owned()),
                "ok".to_owned()
            )]
        );
    }

    #[tokio::test]
    async fn a_burst_larger_than_a_batch_is_stored_whole() {
        let pool = crate::db::in_memory().await;
        let writer = AuditWriter::start(pool.clone());
        let callers = (0..MAX_BATCH * 2 + 3).map(|caller| {
            let writer = writer.clone();
            let event = AuditEvent::new(Actor::Public, AuditAction::LookedUpStatus)
                .object(format!("reference:{caller:04}"))
                .outcome(Outcome::Failed);
            tokio::spawn(async move { writer.record(event).await })
        });
        for caller in callers.collect::<Vec<_>>() {
            caller.await.expect("caller").expect("written");
        }
        let mut objects: Vec<String> = trail(&pool).await.into_iter().filter_map(|row| row.1).collect();
        objects.sort_unstable();
        let expected: Vec<String> = (0..MAX_BATCH * 2 + 3)
            .map(|caller| format!("reference:{caller:04}"))
            .collect();
        assert_eq!(objects, expected);
    }

    #[tokio::test]
    async fn a_failed_write_is_reported_to_every_caller_in_the_batch() {
        let pool = crate::db::in_memory().await;
        let writer = AuditWriter::start(pool.clone());
        sqlx::query("DROP TABLE audit_log").execute(&pool).await.expect("drop");
        let event = AuditEvent::new(Actor::Public, AuditAction::LookedUpStatus);
        assert!(writer.record(event).await.is_err());
    }
}
