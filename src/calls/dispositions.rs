//! The disposition codes managers maintain: list, add, retire and restore; the demo's set.

use sqlx::SqlitePool;
use time::OffsetDateTime;

use super::stamp;
use crate::audit::AuditEvent;
use crate::call::disposition::DEMO_CODES;
use crate::call::{DispositionCode, DispositionLabel};

/// Every code, retired ones included (the caller filters for the call form).
pub async fn list(pool: &SqlitePool) -> Result<Vec<DispositionCode>, sqlx::Error> {
    let rows: Vec<(i64, Option<i64>, String, String, i64, bool)> = sqlx::query_as(
        "SELECT id, parent_id, label_ja, label_en, position, active FROM disposition_codes ORDER BY position, id",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, parent_id, label_ja, label_en, position, active)| DispositionCode {
                id,
                parent_id,
                label_ja,
                label_en,
                position,
                active,
            },
        )
        .collect())
}

#[derive(Debug, thiserror::Error)]
pub enum DispositionError {
    /// The parent is missing or is itself a sub-category: the list has two levels.
    #[error("a sub-category belongs to a category")]
    BadParent,
    #[error("no such code")]
    NotFound,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Adds a category (no parent) or a sub-category at the end of its list, with its audit event.
pub async fn add(
    pool: &SqlitePool,
    parent_id: Option<i64>,
    label_ja: &DispositionLabel,
    label_en: &DispositionLabel,
    event: AuditEvent,
) -> Result<i64, DispositionError> {
    let mut tx = pool.begin().await?;
    if let Some(parent) = parent_id {
        let grandparent: Option<Option<i64>> =
            sqlx::query_scalar("SELECT parent_id FROM disposition_codes WHERE id = ?")
                .bind(parent)
                .fetch_optional(&mut *tx)
                .await?;
        if grandparent != Some(None) {
            return Err(DispositionError::BadParent);
        }
    }
    let id = insert(&mut tx, parent_id, label_ja.as_str(), label_en.as_str()).await?;
    crate::audit::record(&mut *tx, &event.object(format!("disposition:{id}")).detail("added")).await?;
    tx.commit().await?;
    Ok(id)
}

async fn insert(
    conn: &mut sqlx::SqliteConnection,
    parent_id: Option<i64>,
    label_ja: &str,
    label_en: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO disposition_codes (parent_id, label_ja, label_en, position, active, created_at) \
         VALUES (?1, ?2, ?3, (SELECT COALESCE(MAX(position), 0) + 1 FROM disposition_codes WHERE parent_id IS ?1), 1, ?4) \
         RETURNING id",
    )
    .bind(parent_id)
    .bind(label_ja)
    .bind(label_en)
    .bind(stamp(OffsetDateTime::now_utc()))
    .fetch_one(conn)
    .await
}

/// Retires a code (no longer offered; calls filed under it keep it) or brings it back.
pub async fn set_active(pool: &SqlitePool, id: i64, active: bool, event: AuditEvent) -> Result<(), DispositionError> {
    let mut tx = pool.begin().await?;
    let changed = sqlx::query("UPDATE disposition_codes SET active = ? WHERE id = ?")
        .bind(active)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(DispositionError::NotFound);
    }
    let detail = if active { "restored" } else { "retired" };
    crate::audit::record(&mut *tx, &event.object(format!("disposition:{id}")).detail(detail)).await?;
    tx.commit().await?;
    Ok(())
}

/// The demo's categories and sub-categories, for the demo load.
pub async fn seed_demo(conn: &mut sqlx::SqliteConnection) -> Result<(), sqlx::Error> {
    for ((ja, en), children) in DEMO_CODES {
        let parent = insert(conn, None, ja, en).await?;
        for (ja, en) in *children {
            insert(conn, Some(parent), ja, en).await?;
        }
    }
    Ok(())
}
