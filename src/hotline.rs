//! The stored hotline schedule: read on every request (so a saved edit applies at once, without a cache to invalidate) and saved whole.

use sqlx::SqlitePool;
use time::OffsetDateTime;

use crate::calendar::schedule::Schedule;
use crate::calendar::status::{HotlineStatus, InstantError};
use crate::incident::IncidentProfile;

/// Why the stored schedule could not be read.
#[derive(Debug, thiserror::Error)]
pub enum HotlineStoreError {
    #[error("cannot read the hotline schedule")]
    Database(#[from] sqlx::Error),
    /// The row was changed outside BreachDesk and no longer passes [`Schedule::new`]; saving a schedule repairs it.
    #[error("the stored hotline schedule is invalid: {0}")]
    Invalid(#[from] serde_json::Error),
}

/// Why the hotline's state could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum StatusError {
    /// The caller's fault: the instant lies outside the calendar.
    #[error(transparent)]
    Instant(#[from] InstantError),
    /// The server's fault.
    #[error(transparent)]
    Store(#[from] HotlineStoreError),
}

/// The hotline's state at `instant` under the stored schedule, with the incident's free-dial number.
pub async fn status_at(pool: &SqlitePool, instant: OffsetDateTime) -> Result<HotlineStatus, StatusError> {
    let schedule = load(pool).await?;
    let number = IncidentProfile::load(pool)
        .await
        .map_err(HotlineStoreError::from)?
        .map(|profile| profile.hotline_number);
    Ok(HotlineStatus::at(&schedule, number, instant)?)
}

/// The schedule, or an empty one (no periods: the line reads as closed) before any was saved.
pub async fn load(pool: &SqlitePool) -> Result<Schedule, HotlineStoreError> {
    let stored: Option<String> = sqlx::query_scalar("SELECT schedule FROM hotline_schedule WHERE id = 1")
        .fetch_optional(pool)
        .await?;
    // Deserialising runs Schedule::new, so a stored schedule is held to the same rules as a saved one.
    match stored {
        Some(json) => Ok(serde_json::from_str(&json)?),
        None => Ok(Schedule::default()),
    }
}

/// Replaces the stored schedule; `Schedule` can only hold a validated schedule, so nothing invalid is written.
///
/// `updated_by` is the staff member who saved it, `None` for the demo load and the command line.
pub async fn save<'e, E>(executor: E, schedule: &Schedule, updated_by: Option<i64>) -> Result<(), sqlx::Error>
where
    E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
{
    let json = serde_json::to_string(schedule).map_err(|error| sqlx::Error::Encode(error.into()))?;
    sqlx::query(
        "INSERT INTO hotline_schedule (id, schedule, updated_at, updated_by) VALUES (1, ?, ?, ?) \
         ON CONFLICT (id) DO UPDATE SET schedule = excluded.schedule, \
         updated_at = excluded.updated_at, updated_by = excluded.updated_by",
    )
    .bind(json)
    .bind(OffsetDateTime::now_utc())
    .bind(updated_by)
    .execute(executor)
    .await?;
    Ok(())
}
