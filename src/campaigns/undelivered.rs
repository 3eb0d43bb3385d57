//! Mail that did not arrive: bounced emails (from an uploaded list or one customer at a time) and
//! letters the post office returned. A bounced customer then belongs to the `bounced` audience (a
//! letter campaign reaches them), a returned one to `returned` (an email campaign reaches those
//! with an address, and the agent sees the returned letter on the customer's page).

use sqlx::SqlitePool;
use time::OffsetDateTime;

use crate::campaign::bounce::{BounceEntry, ReturnedReason};
use crate::customer::ReferenceCode;

/// Marks the emails of a bounce list bounced: by Message-ID the very message, by address the
/// customer's latest sent email. Returns how many deliveries changed.
pub async fn mark_bounced(pool: &SqlitePool, entries: &[BounceEntry]) -> Result<u64, sqlx::Error> {
    let mut ids = Vec::new();
    let mut addresses = Vec::new();
    for entry in entries {
        match entry {
            BounceEntry::MessageId(id) => ids.push(id.as_str()),
            BounceEntry::Address(email) => addresses.push(email.as_str().to_lowercase()),
        }
    }
    let now = OffsetDateTime::now_utc();
    let mut tx = pool.begin().await?;
    let by_id = sqlx::query(
        "UPDATE deliveries SET state = 'bounced', updated_at = ? WHERE channel = 'email' AND state = 'sent' \
         AND message_id IN (SELECT value FROM json_each(?))",
    )
    .bind(now)
    .bind(serde_json::to_string(&ids).unwrap_or_else(|_| "[]".to_owned()))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let by_address = sqlx::query(
        "UPDATE deliveries SET state = 'bounced', updated_at = ? WHERE id IN ( \
           SELECT MAX(d.id) FROM deliveries d JOIN customers c ON c.id = d.customer_id \
           WHERE d.channel = 'email' AND d.state = 'sent' \
           AND lower(c.email) IN (SELECT value FROM json_each(?)) GROUP BY d.customer_id)",
    )
    .bind(now)
    .bind(serde_json::to_string(&addresses).unwrap_or_else(|_| "[]".to_owned()))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok(by_id + by_address)
}

/// Marks one customer's latest sent email bounced; returns the customer's id, `None` when they have none.
pub async fn mark_customer_bounced(
    pool: &SqlitePool,
    reference_code: &ReferenceCode,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE deliveries SET state = 'bounced', updated_at = ? WHERE id = ( \
           SELECT MAX(d.id) FROM deliveries d JOIN customers c ON c.id = d.customer_id \
           WHERE d.channel = 'email' AND d.state = 'sent' AND c.reference_code = ?) RETURNING customer_id",
    )
    .bind(OffsetDateTime::now_utc())
    .bind(reference_code.compact())
    .fetch_optional(pool)
    .await
}

/// Marks one customer's latest mailed letter returned with the post office's reason; returns the
/// customer's id, `None` when they have none.
pub async fn mark_returned(
    pool: &SqlitePool,
    reference_code: &ReferenceCode,
    reason: ReturnedReason,
) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar(
        "UPDATE deliveries SET state = 'returned', returned_reason = ?, updated_at = ? WHERE id = ( \
           SELECT MAX(d.id) FROM deliveries d JOIN customers c ON c.id = d.customer_id \
           WHERE d.channel = 'letter' AND d.state = 'sent' AND c.reference_code = ?) RETURNING customer_id",
    )
    .bind(reason.label_ja())
    .bind(OffsetDateTime::now_utc())
    .bind(reference_code.compact())
    .fetch_optional(pool)
    .await
}
