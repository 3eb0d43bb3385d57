//! Stored campaigns: create, start (every delivery row written in one transaction: the outbox),
//! pause, resume, cancel, the progress counts, and the in-doubt rows a crash leaves behind.
//! Sending is in `campaigns/sender.rs`; letter batches in `campaigns/mailing.rs`; bounces and
//! returned letters in `campaigns/undelivered.rs`.

pub mod mailing;
pub mod sender;
pub mod undelivered;

use sqlx::{Row, SqlitePool};
use time::OffsetDateTime;

use crate::audience::Audience;
pub use crate::campaign::progress::{DeliveryLine, InDoubtDecision, StateCounts};
use crate::campaign::{
    Campaign, CampaignAction, CampaignSettings, CampaignState, Channel, DeliveryState, InDoubtPolicy, TransitionRefused,
};
use crate::template::TemplateKind;

#[derive(Debug, thiserror::Error)]
pub enum CampaignError {
    #[error("there is no template called {0:?}")]
    NoTemplate(String),
    #[error("template {name:?} is a {kind} template; a {channel} campaign needs a {channel} template")]
    WrongTemplateKind {
        name: String,
        kind: &'static str,
        channel: Channel,
    },
    #[error("there is no campaign {0}")]
    NotFound(i64),
    #[error(transparent)]
    Transition(#[from] TransitionRefused),
    #[error("the incident has no From address; an admin sets it on the Settings page")]
    NoFromAddress,
    #[error("campaign {0} is not a letter campaign")]
    NotLetters(i64),
    #[error("a stored campaign row no longer reads: {0}")]
    Stored(&'static str),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// What the create form or `campaign create` asks for.
pub struct NewCampaign<'a> {
    pub template_name: &'a str,
    pub channel: Channel,
    pub audience: Audience,
    pub settings: CampaignSettings,
    /// The form's one-time key; `None` from the command line.
    pub idempotency_key: Option<&'a str>,
    /// `None` from the command line.
    pub created_by: Option<i64>,
}

/// Creates a draft and returns its id. A second call with the same idempotency key returns the
/// first call's campaign and creates nothing.
pub async fn create(pool: &SqlitePool, new: &NewCampaign<'_>) -> Result<i64, CampaignError> {
    if let Some(key) = new.idempotency_key
        && let Some(id) = sqlx::query_scalar("SELECT id FROM campaigns WHERE idempotency_key = ?")
            .bind(key)
            .fetch_optional(pool)
            .await?
    {
        return Ok(id);
    }
    let template = crate::templates::latest_by_name(pool, new.template_name)
        .await?
        .ok_or_else(|| CampaignError::NoTemplate(new.template_name.to_owned()))?;
    let wanted = match new.channel {
        Channel::Email => TemplateKind::Email,
        Channel::Letter => TemplateKind::Letter,
    };
    if template.kind != wanted {
        return Err(CampaignError::WrongTemplateKind {
            name: template.template_name,
            kind: template.kind.code(),
            channel: new.channel,
        });
    }
    let settings = &new.settings;
    let now = OffsetDateTime::now_utc();
    // A racing double click: the loser's insert is ignored and it reads the winner's row.
    let inserted: Option<i64> = sqlx::query_scalar(
        "INSERT INTO campaigns (template_version_id, channel, audience, state, concurrency, rate_per_second, \
         hourly_cap, max_attempts, retry_after_seconds, pause_above_percent, hotline_hours_only, in_doubt, \
         idempotency_key, created_by, created_at, updated_at) \
         VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id",
    )
    .bind(template.id)
    .bind(new.channel.code())
    .bind(new.audience.as_str())
    .bind(settings.concurrency)
    .bind(settings.rate_per_second)
    .bind(settings.hourly_cap)
    .bind(settings.max_attempts)
    .bind(settings.retry_after_seconds)
    .bind(settings.pause_above_percent)
    .bind(settings.hotline_hours_only)
    .bind(settings.in_doubt.code())
    .bind(new.idempotency_key)
    .bind(new.created_by)
    .bind(now)
    .bind(now)
    .fetch_optional(pool)
    .await?;
    match inserted {
        Some(id) => Ok(id),
        None => Ok(sqlx::query_scalar("SELECT id FROM campaigns WHERE idempotency_key = ?")
            .bind(new.idempotency_key)
            .fetch_one(pool)
            .await?),
    }
}

const CAMPAIGN_COLUMNS: &str = "k.id, t.name AS template_name, v.version AS template_version, k.template_version_id, \
     k.channel, k.audience, k.state, k.concurrency, k.rate_per_second, k.hourly_cap, k.max_attempts, \
     k.retry_after_seconds, k.pause_above_percent, k.hotline_hours_only, k.in_doubt, k.pause_reason, \
     k.created_at, k.started_at, k.finished_at";
const CAMPAIGN_FROM: &str =
    "campaigns k JOIN template_versions v ON v.id = k.template_version_id JOIN templates t ON t.id = v.template_id";

fn campaign_from_row(row: &sqlx::sqlite::SqliteRow) -> Result<Campaign, CampaignError> {
    let text = |column: &str| row.try_get::<String, _>(column);
    Ok(Campaign {
        id: row.try_get("id")?,
        template_name: text("template_name")?,
        template_version: row.try_get("template_version")?,
        template_version_id: row.try_get("template_version_id")?,
        channel: Channel::from_code(&text("channel")?).ok_or(CampaignError::Stored("channel"))?,
        audience: text("audience")?
            .parse()
            .map_err(|_| CampaignError::Stored("audience"))?,
        state: CampaignState::from_code(&text("state")?).ok_or(CampaignError::Stored("state"))?,
        settings: CampaignSettings {
            concurrency: row.try_get("concurrency")?,
            rate_per_second: row.try_get("rate_per_second")?,
            hourly_cap: row.try_get("hourly_cap")?,
            max_attempts: row.try_get("max_attempts")?,
            retry_after_seconds: row.try_get("retry_after_seconds")?,
            pause_above_percent: row.try_get("pause_above_percent")?,
            hotline_hours_only: row.try_get("hotline_hours_only")?,
            in_doubt: InDoubtPolicy::from_code(&text("in_doubt")?).ok_or(CampaignError::Stored("in_doubt"))?,
        },
        pause_reason: row.try_get("pause_reason")?,
        created_at: row.try_get("created_at")?,
        started_at: row.try_get("started_at")?,
        finished_at: row.try_get("finished_at")?,
    })
}

pub async fn load(pool: &SqlitePool, id: i64) -> Result<Campaign, CampaignError> {
    let row = sqlx::query(&format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM {CAMPAIGN_FROM} WHERE k.id = ?"
    ))
    .bind(id)
    .fetch_optional(pool)
    .await?
    .ok_or(CampaignError::NotFound(id))?;
    campaign_from_row(&row)
}

/// Every campaign, newest first.
pub async fn list(pool: &SqlitePool) -> Result<Vec<Campaign>, CampaignError> {
    let rows = sqlx::query(&format!(
        "SELECT {CAMPAIGN_COLUMNS} FROM {CAMPAIGN_FROM} ORDER BY k.id DESC"
    ))
    .fetch_all(pool)
    .await?;
    rows.iter().map(campaign_from_row).collect()
}

/// The ids of running email campaigns: what the worker sends.
pub async fn running_email_campaigns(pool: &SqlitePool) -> Result<Vec<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT id FROM campaigns WHERE state = 'running' AND channel = 'email' ORDER BY id")
        .fetch_all(pool)
        .await
}

/// Applies `action` and returns the new state. Starting a draft writes one queued delivery per
/// member of the audience in the same transaction (the outbox); starting again writes nothing.
/// Cancelling cancels what is not yet sent; rows being sent finish as they end.
pub async fn apply(pool: &SqlitePool, id: i64, action: CampaignAction) -> Result<CampaignState, CampaignError> {
    let now = OffsetDateTime::now_utc();
    let mut tx = pool.begin().await?;
    let (state, channel, audience, version): (String, String, String, i64) =
        sqlx::query_as("SELECT state, channel, audience, template_version_id FROM campaigns WHERE id = ?")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(CampaignError::NotFound(id))?;
    let from = CampaignState::from_code(&state).ok_or(CampaignError::Stored("state"))?;
    let to = from.apply(action)?;
    if from == CampaignState::Draft && to == CampaignState::Running {
        let audience: Audience = audience.parse().map_err(|_| CampaignError::Stored("audience"))?;
        // An email needs an address: an email campaign's audience is always narrowed to those with one.
        let reachable = if channel == "email" {
            " AND c.email IS NOT NULL AND c.email <> ''"
        } else {
            ""
        };
        sqlx::query(&format!(
            "INSERT OR IGNORE INTO deliveries (customer_id, channel, template_version_id, state, attempts, \
             campaign_id, created_at, updated_at) \
             SELECT c.id, ?1, ?2, 'queued', 0, ?3, ?4, ?4 FROM customers c \
             WHERE c.purged_at IS NULL AND {}{reachable} ORDER BY c.postal_code, c.reference_code",
            crate::letters::condition(audience)
        ))
        .bind(&channel)
        .bind(version)
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
    }
    if to == CampaignState::Cancelled {
        sqlx::query(
            "UPDATE deliveries SET state = 'cancelled', next_attempt_at = NULL, updated_at = ? \
             WHERE campaign_id = ? AND state IN ('queued', 'failed_temporary')",
        )
        .bind(now)
        .bind(id)
        .execute(&mut *tx)
        .await?;
    }
    sqlx::query(
        "UPDATE campaigns SET state = ?, updated_at = ?, \
         started_at = COALESCE(started_at, CASE WHEN ? = 'running' THEN ? END), \
         finished_at = CASE WHEN ? = 'cancelled' THEN ? ELSE finished_at END, \
         pause_reason = CASE WHEN ? = 'paused' THEN pause_reason END WHERE id = ?",
    )
    .bind(to.code())
    .bind(now)
    .bind(to.code())
    .bind(now)
    .bind(to.code())
    .bind(now)
    .bind(to.code())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(to)
}

/// The worker's automatic pause, with the reason shown on the progress page. Only a running
/// campaign is paused: a manager's cancel in the meantime wins.
pub async fn pause_with_reason(pool: &SqlitePool, id: i64, reason: &str) -> Result<bool, sqlx::Error> {
    let done = sqlx::query(
        "UPDATE campaigns SET state = 'paused', pause_reason = ?, updated_at = ? WHERE id = ? AND state = 'running'",
    )
    .bind(reason)
    .bind(OffsetDateTime::now_utc())
    .bind(id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Marks a running campaign finished when nothing is left to send (or in doubt).
pub async fn finish_if_done(pool: &SqlitePool, id: i64) -> Result<bool, sqlx::Error> {
    let now = OffsetDateTime::now_utc();
    let done = sqlx::query(
        "UPDATE campaigns SET state = 'finished', finished_at = ?, updated_at = ? WHERE id = ? AND state = 'running' \
         AND NOT EXISTS (SELECT 1 FROM deliveries WHERE campaign_id = ? \
                         AND state IN ('queued', 'sending', 'failed_temporary'))",
    )
    .bind(now)
    .bind(now)
    .bind(id)
    .bind(id)
    .execute(pool)
    .await?;
    Ok(done.rows_affected() == 1)
}

/// Every campaign's deliveries counted per state, from one grouped query (the list page).
pub async fn counts_by_campaign(pool: &SqlitePool) -> Result<Vec<(i64, StateCounts)>, sqlx::Error> {
    let rows: Vec<(i64, String, i64)> = sqlx::query_as(
        "SELECT campaign_id, state, COUNT(*) FROM deliveries WHERE campaign_id IS NOT NULL \
         GROUP BY campaign_id, state ORDER BY campaign_id",
    )
    .fetch_all(pool)
    .await?;
    let mut all: Vec<(i64, StateCounts)> = Vec::new();
    for (id, state, count) in rows {
        if all.last().is_none_or(|(last, _)| *last != id) {
            all.push((id, StateCounts::default()));
        }
        if let (Some((_, counts)), Some(state)) = (all.last_mut(), DeliveryState::from_code(&state)) {
            counts.add(state, u64::try_from(count).unwrap_or_default());
        }
    }
    Ok(all)
}

/// The campaign's deliveries counted per state, from one grouped query.
pub async fn counts(pool: &SqlitePool, id: i64) -> Result<StateCounts, sqlx::Error> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT state, COUNT(*) FROM deliveries WHERE campaign_id = ? GROUP BY state")
            .bind(id)
            .fetch_all(pool)
            .await?;
    let mut counts = StateCounts::default();
    for (state, count) in rows {
        if let Some(state) = DeliveryState::from_code(&state) {
            counts.add(state, u64::try_from(count).unwrap_or_default());
        }
    }
    Ok(counts)
}

/// How many of the campaign's messages the SMTP server accepted since `since`.
pub async fn sent_since(pool: &SqlitePool, id: i64, since: OffsetDateTime) -> Result<u64, sqlx::Error> {
    let count: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM deliveries WHERE campaign_id = ? AND state IN ('sent', 'bounced') AND sent_at >= ?",
    )
    .bind(id)
    .bind(since)
    .fetch_one(pool)
    .await?;
    Ok(u64::try_from(count).unwrap_or_default())
}

/// Which deliveries to list.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeliveryFilter {
    /// Every delivery, in send order, `limit` from `after_id` on.
    All { after_id: i64 },
    /// The latest failures (with their SMTP replies), newest first.
    Errors,
    /// Rows a crash left in doubt and the campaign holds for a manager.
    HeldInDoubt,
}

pub async fn deliveries(
    pool: &SqlitePool,
    id: i64,
    filter: DeliveryFilter,
    limit: u32,
) -> Result<Vec<DeliveryLine>, CampaignError> {
    let (condition, order, after) = match filter {
        DeliveryFilter::All { after_id } => ("d.id > ?", "d.id", after_id),
        DeliveryFilter::Errors => ("d.last_error IS NOT NULL AND ? = 0", "d.updated_at DESC, d.id DESC", 0),
        DeliveryFilter::HeldInDoubt => (
            "d.in_doubt = 1 AND d.state = 'failed_temporary' AND d.next_attempt_at IS NULL AND ? = 0",
            "d.id",
            0,
        ),
    };
    let rows = sqlx::query(&format!(
        "SELECT d.id, d.customer_id, c.reference_code, d.state, d.attempts, d.last_error, d.in_doubt, d.updated_at \
         FROM deliveries d JOIN customers c ON c.id = d.customer_id \
         WHERE d.campaign_id = ? AND {condition} ORDER BY {order} LIMIT ?"
    ))
    .bind(id)
    .bind(after)
    .bind(limit)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(DeliveryLine {
                id: row.try_get("id")?,
                customer_id: row.try_get("customer_id")?,
                reference_code: row.try_get("reference_code")?,
                state: DeliveryState::from_code(&row.try_get::<String, _>("state")?)
                    .ok_or(CampaignError::Stored("delivery state"))?,
                attempts: row.try_get("attempts")?,
                last_error: row.try_get("last_error")?,
                in_doubt: row.try_get("in_doubt")?,
                updated_at: row.try_get("updated_at")?,
            })
        })
        .collect()
}

/// At start-up, before any sending: rows left in `sending` are the ones a crash may have left
/// half-done (the SMTP server may have accepted them). Each campaign's setting decides: queue
/// them again, or hold them for a manager. Returns (queued again, held).
pub async fn recover_in_doubt(pool: &SqlitePool) -> Result<(u64, u64), sqlx::Error> {
    let now = OffsetDateTime::now_utc();
    let mut tx = pool.begin().await?;
    let requeued = sqlx::query(
        "UPDATE deliveries SET state = 'queued', in_doubt = 1, updated_at = ? WHERE state = 'sending' \
         AND campaign_id IN (SELECT id FROM campaigns WHERE in_doubt = 'resend')",
    )
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let held = sqlx::query(
        "UPDATE deliveries SET state = 'failed_temporary', in_doubt = 1, next_attempt_at = NULL, \
         last_error = 'in doubt after a restart: held for a manager', updated_at = ? WHERE state = 'sending' \
         AND campaign_id IN (SELECT id FROM campaigns WHERE in_doubt = 'hold')",
    )
    .bind(now)
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;
    Ok((requeued, held))
}

/// Applies the decision to every held row of the campaign; returns how many changed.
pub async fn decide_in_doubt(pool: &SqlitePool, id: i64, decision: InDoubtDecision) -> Result<u64, sqlx::Error> {
    let now = OffsetDateTime::now_utc();
    let set = match decision {
        InDoubtDecision::SendAgain => "state = 'queued', last_error = NULL",
        InDoubtDecision::MarkSent => "state = 'sent', sent_at = ?1, last_error = NULL",
    };
    let done = sqlx::query(&format!(
        "UPDATE deliveries SET {set}, updated_at = ?1 WHERE campaign_id = ?2 AND in_doubt = 1 \
         AND state = 'failed_temporary' AND next_attempt_at IS NULL"
    ))
    .bind(now)
    .bind(id)
    .execute(pool)
    .await?;
    finish_if_done(pool, id).await?;
    Ok(done.rows_affected())
}

#[cfg(test)]
mod tests;
