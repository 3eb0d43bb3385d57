//! Escalated calls: recorded with the call, then the escalation contacts (managers and admins) are
//! told by email; they acknowledge and resolve each with a note.

use sqlx::SqlitePool;
use time::OffsetDateTime;

use super::stamp;
use crate::audit::AuditEvent;
use crate::call::{CallNotes, Escalation};

// Aliased to the fields of `Escalation`, which reads the row by name.
const COLUMNS: &str = "SELECT e.id, e.call_id, e.customer_id, c.name AS customer_name, e.reason, e.state, e.created_at, \
     r.display_name AS raised_by, a.display_name AS acknowledged_by, v.display_name AS resolved_by, e.resolution \
     FROM escalations e JOIN calls k ON k.id = e.call_id JOIN staff r ON r.id = k.staff_id \
     LEFT JOIN customers c ON c.id = e.customer_id LEFT JOIN staff a ON a.id = e.acknowledged_by \
     LEFT JOIN staff v ON v.id = e.resolved_by";

/// Open and acknowledged escalations first (oldest first), then the 50 latest resolved ones.
pub async fn list(pool: &SqlitePool) -> Result<Vec<Escalation>, sqlx::Error> {
    let mut rows: Vec<Escalation> = sqlx::query_as(&format!("{COLUMNS} WHERE e.state <> 'resolved' ORDER BY e.id"))
        .fetch_all(pool)
        .await?;
    let resolved: Vec<Escalation> = sqlx::query_as(&format!(
        "{COLUMNS} WHERE e.state = 'resolved' ORDER BY e.id DESC LIMIT 50"
    ))
    .fetch_all(pool)
    .await?;
    rows.extend(resolved);
    Ok(rows)
}

/// How many escalations nobody has resolved yet: the dashboard's notice.
pub async fn unresolved_count(pool: &SqlitePool) -> Result<u64, sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM escalations WHERE state <> 'resolved'")
        .fetch_one(pool)
        .await?;
    Ok(u64::try_from(count).unwrap_or_default())
}

/// A manager moves an escalation on: `acknowledged` from open, `resolved` (with a note) from open
/// or acknowledged. `false` when it is not in a state that allows the step.
pub async fn advance(
    pool: &SqlitePool,
    id: i64,
    staff_id: i64,
    resolution: Option<&CallNotes>,
    event: AuditEvent,
) -> Result<bool, sqlx::Error> {
    let now = stamp(OffsetDateTime::now_utc());
    let mut tx = pool.begin().await?;
    let changed = match resolution {
        None => {
            sqlx::query(
                "UPDATE escalations SET state = 'acknowledged', acknowledged_by = ?, acknowledged_at = ? \
             WHERE id = ? AND state = 'open'",
            )
            .bind(staff_id)
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await?
        }
        Some(note) => {
            sqlx::query(
                "UPDATE escalations SET state = 'resolved', resolved_by = ?, resolved_at = ?, resolution = ?, \
             acknowledged_by = COALESCE(acknowledged_by, ?), acknowledged_at = COALESCE(acknowledged_at, ?) \
             WHERE id = ? AND state <> 'resolved'",
            )
            .bind(staff_id)
            .bind(&now)
            .bind(note.as_str())
            .bind(staff_id)
            .bind(&now)
            .bind(id)
            .execute(&mut *tx)
            .await?
        }
    }
    .rows_affected()
        == 1;
    if changed {
        let step = if resolution.is_some() {
            "resolved"
        } else {
            "acknowledged"
        };
        crate::audit::record(&mut *tx, &event.object(format!("escalation:{id}")).detail(step)).await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// Emails the contacts of every escalation not yet notified (the outbox the `serve` worker drains),
/// then marks it notified. A crash between the two sends that escalation's emails again, never none.
/// Returns how many escalations were handled.
pub async fn notify_pending(
    pool: &SqlitePool,
    mailer: &crate::mail::Mailer,
    public_url: &str,
) -> Result<usize, sqlx::Error> {
    let pending: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM escalations WHERE notified_at IS NULL ORDER BY id LIMIT 50")
            .fetch_all(pool)
            .await?;
    for &escalation_id in &pending {
        let sent = notify(pool, mailer, escalation_id, public_url).await?;
        tracing::info!(escalation_id, sent, "escalation contacts emailed");
        sqlx::query("UPDATE escalations SET notified_at = ? WHERE id = ?")
            .bind(stamp(OffsetDateTime::now_utc()))
            .bind(escalation_id)
            .execute(pool)
            .await?;
    }
    Ok(pending.len())
}

/// Emails every active manager and admin about one escalation, with the reason and where to act.
/// A failed email is logged and not retried: the managers' dashboard shows the escalation either way.
/// Returns how many emails were accepted.
async fn notify(
    pool: &SqlitePool,
    mailer: &crate::mail::Mailer,
    escalation_id: i64,
    public_url: &str,
) -> Result<usize, sqlx::Error> {
    use crate::customer::Email;
    use crate::incident::IncidentProfile;
    use crate::mail::{Envelope, build};
    use crate::template::RenderedEmail;

    let reason: Option<(String, i64)> = sqlx::query_as("SELECT reason, call_id FROM escalations WHERE id = ?")
        .bind(escalation_id)
        .fetch_optional(pool)
        .await?;
    let Some((reason, call_id)) = reason else {
        return Ok(0);
    };
    let profile = IncidentProfile::load(pool).await?;
    let Some(from) = profile.as_ref().and_then(|profile| profile.mail_from.clone()) else {
        tracing::warn!(
            escalation_id,
            "no From address in the incident profile: escalation not emailed"
        );
        return Ok(0);
    };
    let contacts: Vec<(String, String)> = sqlx::query_as(
        "SELECT email, display_name FROM staff WHERE role IN ('manager', 'admin') AND disabled_at IS NULL ORDER BY id",
    )
    .fetch_all(pool)
    .await?;
    let link = format!("{}/escalations", public_url.trim_end_matches('/'));
    let text = format!(
        "通話 #{call_id} がエスカレーションされました（事故対策委員会への報告経路）。\n\n理由:\n{reason}\n\n\
         確認と対応: {link}\n\nCall #{call_id} was escalated.\nReason above. Acknowledge and resolve it at {link}\n"
    );
    let html = format!(
        "<!DOCTYPE html><html><body><pre>{}</pre></body></html>",
        text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    );
    let content = RenderedEmail {
        subject: format!("【エスカレーション】通話 #{call_id} / Escalated call #{call_id}"),
        text,
        html,
    };
    let mut sent = 0;
    for (address, name) in contacts {
        let Ok(to) = Email::parse(&address) else {
            continue;
        };
        let envelope = Envelope {
            from: Some(&from),
            reply_to: None,
            to_name: Some(&name),
            to: &to,
        };
        let outcome = match build(&envelope, &content) {
            Ok(email) => mailer.send(&email).await.map_err(|error| error.to_string()),
            Err(error) => Err(error.to_string()),
        };
        match outcome {
            Ok(()) => sent += 1,
            Err(error) => tracing::error!(escalation_id, %error, "cannot email an escalation contact"),
        }
    }
    Ok(sent)
}
