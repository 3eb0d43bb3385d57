//! Sending one email campaign: claim queued rows (never more in `sending` than the concurrency),
//! render and hand each to the mail transport concurrently, and record the outcomes in batches.
//! A row is marked `sent` as soon as the SMTP server has accepted it, so after a crash only the
//! rows still in `sending` are in doubt.

use std::time::{Duration, Instant};

use sqlx::SqlitePool;
use time::OffsetDateTime;
use tokio::task::JoinSet;

use crate::calendar::schedule::Schedule;
use crate::campaign::pace::{ErrorWindow, TokenBucket, backoff_seconds, hourly_allowance};
use crate::campaign::{Campaign, CampaignState, smtp_reason};
use crate::incident::IncidentProfile;
use crate::letters::{AudienceMember, LettersError, MEMBER_COLUMNS, MemberRow};
use crate::mail::{BuildError, Envelope, Mailer, OutgoingEmail, SendError, build};
use crate::template::{RenderContext, TemplateVersion, render_email};

use super::CampaignError;

/// How often a running campaign re-reads its row, so a pause or cancel from the command line or
/// another page takes effect within this time.
const STATE_CHECK: Duration = Duration::from_millis(500);
/// How long a tick waits for a send to finish before looking around again.
const WAIT_FOR_SENDS: Duration = Duration::from_millis(200);

/// What one tick found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tick {
    /// Messages are moving (or waiting for the rate limit or a retry): tick again.
    Busy,
    /// Nothing to do before `Duration` (a retry's time, the hotline's opening, the hourly cap).
    Idle(Duration),
    /// The campaign is no longer running (paused, cancelled, finished): stop, nothing in flight.
    Stopped(CampaignState),
}

struct Outcome {
    delivery_id: i64,
    attempts: u32,
    result: Result<String, SendError>,
}

/// What every email of the campaign shares.
struct EmailSetup {
    template: TemplateVersion,
    incident: IncidentProfile,
    schedule: Schedule,
    date: time::Date,
}

/// One running email campaign, ticked by the worker until it stops.
pub struct CampaignRun {
    pool: SqlitePool,
    mailer: Mailer,
    campaign: Campaign,
    setup: EmailSetup,
    in_flight: JoinSet<Outcome>,
    bucket: Option<TokenBucket>,
    errors: ErrorWindow,
    origin: Instant,
    last_check: Instant,
    hotline_open: bool,
}

impl CampaignRun {
    pub async fn new(pool: SqlitePool, mailer: Mailer, campaign_id: i64) -> Result<Self, CampaignError> {
        let campaign = super::load(&pool, campaign_id).await?;
        let template = crate::templates::load_version(&pool, campaign.template_version_id)
            .await?
            .ok_or(CampaignError::Stored("template version"))?;
        let incident = IncidentProfile::load(&pool)
            .await?
            .ok_or(CampaignError::Stored("incident"))?;
        let schedule = crate::hotline::load(&pool)
            .await
            .map_err(|_| CampaignError::Stored("hotline schedule"))?;
        let origin = Instant::now();
        let bucket = campaign
            .settings
            .rate_per_second
            .map(|rate| TokenBucket::new(rate, 0.0));
        let mut run = CampaignRun {
            pool,
            mailer,
            campaign,
            setup: EmailSetup {
                template,
                incident,
                schedule,
                date: crate::calendar::today_in_tokyo(),
            },
            in_flight: JoinSet::new(),
            bucket,
            errors: ErrorWindow::default(),
            origin,
            last_check: origin,
            hotline_open: true,
        };
        run.hotline_open = run.hotline_is_open().await;
        Ok(run)
    }

    pub fn campaign_id(&self) -> i64 {
        self.campaign.id
    }

    /// Ticks until the campaign stops; returns the state it stopped in.
    pub async fn run(mut self) -> Result<CampaignState, CampaignError> {
        loop {
            match self.tick().await? {
                Tick::Busy => {}
                Tick::Idle(wait) => tokio::time::sleep(wait.min(STATE_CHECK)).await,
                Tick::Stopped(state) => return Ok(state),
            }
        }
    }

    /// One round: re-read the campaign now and then, claim as many rows as the concurrency, rate
    /// and hourly cap allow, start sending them, and record whatever sends have finished.
    pub async fn tick(&mut self) -> Result<Tick, CampaignError> {
        if self.last_check.elapsed() >= STATE_CHECK {
            self.last_check = Instant::now();
            let stored = super::load(&self.pool, self.campaign.id).await?;
            if stored.settings != self.campaign.settings {
                self.bucket = stored
                    .settings
                    .rate_per_second
                    .map(|rate| TokenBucket::new(rate, self.now()));
            }
            self.campaign = stored;
            self.hotline_open = self.hotline_is_open().await;
        }
        if self.campaign.state != CampaignState::Running {
            self.drain().await?;
            return Ok(Tick::Stopped(self.campaign.state));
        }
        let mut idle = None;
        if self.hotline_open {
            let claimed = self.claim_and_send().await?;
            if claimed == 0 && self.in_flight.is_empty() {
                idle = Some(self.idle_time().await?);
            }
        } else if self.in_flight.is_empty() {
            idle = Some(STATE_CHECK);
        }
        self.collect(WAIT_FOR_SENDS).await?;
        if let Some(wait) = idle {
            if super::finish_if_done(&self.pool, self.campaign.id).await? {
                tracing::info!(campaign = self.campaign.id, "campaign finished");
                self.campaign.state = CampaignState::Finished;
                return Ok(Tick::Stopped(CampaignState::Finished));
            }
            return Ok(Tick::Idle(wait));
        }
        Ok(Tick::Busy)
    }

    fn now(&self) -> f64 {
        self.origin.elapsed().as_secs_f64()
    }

    async fn hotline_is_open(&self) -> bool {
        if !self.campaign.settings.hotline_hours_only {
            return true;
        }
        match crate::hotline::status_at(&self.pool, OffsetDateTime::now_utc()).await {
            Ok(status) => status.open,
            Err(error) => {
                // Unknown hours: hold back rather than send while nobody may answer.
                tracing::error!(%error, campaign = self.campaign.id, "cannot read the hotline's hours");
                false
            }
        }
    }

    async fn claim_and_send(&mut self) -> Result<u32, CampaignError> {
        let settings = self.campaign.settings;
        let in_flight = u32::try_from(self.in_flight.len()).unwrap_or(u32::MAX);
        let mut wanted = settings.concurrency.saturating_sub(in_flight);
        if wanted == 0 {
            return Ok(0);
        }
        if settings.hourly_cap.is_some() {
            let hour_ago = OffsetDateTime::now_utc() - time::Duration::HOUR;
            let sent = super::sent_since(&self.pool, self.campaign.id, hour_ago).await?;
            wanted = wanted.min(hourly_allowance(settings.hourly_cap, sent, in_flight));
        }
        if let Some(bucket) = &mut self.bucket {
            let now = self.origin.elapsed().as_secs_f64();
            wanted = bucket.take(wanted, now);
        }
        if wanted == 0 {
            return Ok(0);
        }
        let claimed = claim(&self.pool, self.campaign.id, wanted).await?;
        let count = u32::try_from(claimed.len()).unwrap_or(u32::MAX);
        if claimed.is_empty() {
            return Ok(0);
        }
        let members = members(&self.pool, claimed.iter().map(|row| row.1)).await?;
        let mut rows = claimed.into_iter();
        while let Some((delivery_id, customer_id, attempts)) = rows.next() {
            let email = members
                .iter()
                .find(|member| member.customer_id == customer_id)
                .ok_or(CampaignError::Stored("customer"))
                .and_then(|member| self.build(member));
            match email {
                Ok(email) => {
                    let mailer = self.mailer.clone();
                    self.in_flight.spawn(async move {
                        let result = mailer.send(&email).await.map(|()| email.message_id);
                        Outcome {
                            delivery_id,
                            attempts,
                            result,
                        }
                    });
                }
                Err(error) => {
                    // The campaign cannot go on (no From address, a template that no longer fills
                    // in): give the rows back and pause with the reason for the manager.
                    let unsent: Vec<i64> = std::iter::once(delivery_id).chain(rows.map(|row| row.0)).collect();
                    unclaim(&self.pool, &unsent).await?;
                    let reason = format!("the message cannot be made: {error}");
                    tracing::error!(campaign = self.campaign.id, %reason, "campaign paused");
                    super::pause_with_reason(&self.pool, self.campaign.id, &reason).await?;
                    self.campaign.state = CampaignState::Paused;
                    break;
                }
            }
        }
        Ok(count)
    }

    fn build(&self, member: &AudienceMember) -> Result<OutgoingEmail, CampaignError> {
        let to = member.email.as_ref().ok_or(CampaignError::Stored("email"))?;
        let context = RenderContext {
            recipient: &member.recipient,
            incident: &self.setup.incident,
            schedule: Some(&self.setup.schedule),
            date: self.setup.date,
        };
        let content = render_email(&self.setup.template, &context).map_err(|_| CampaignError::Stored("template"))?;
        let envelope = Envelope {
            from: self.setup.incident.mail_from.as_ref(),
            reply_to: self.setup.incident.reply_to.as_ref(),
            to_name: Some(member.recipient.name.as_str()),
            to,
        };
        build(&envelope, &content).map_err(|error| match error {
            BuildError::NoFromAddress => CampaignError::NoFromAddress,
            _ => CampaignError::Stored("email address"),
        })
    }

    /// When nothing could be claimed: how long until a retry falls due (at most the state check).
    async fn idle_time(&self) -> Result<Duration, CampaignError> {
        let next: Option<i64> = sqlx::query_scalar(
            "SELECT MIN(next_attempt_at) FROM deliveries WHERE campaign_id = ? AND state = 'failed_temporary'",
        )
        .bind(self.campaign.id)
        .fetch_one(&self.pool)
        .await?;
        let now = OffsetDateTime::now_utc().unix_timestamp();
        Ok(next.map_or(STATE_CHECK, |next| {
            Duration::from_secs(u64::try_from(next - now).unwrap_or_default()).min(STATE_CHECK)
        }))
    }

    /// Waits up to `wait` for one send to finish, then takes every other finished one, and
    /// records them all in one transaction.
    async fn collect(&mut self, wait: Duration) -> Result<(), CampaignError> {
        if self.in_flight.is_empty() {
            return Ok(());
        }
        let mut done = Vec::new();
        if let Ok(Some(first)) = tokio::time::timeout(wait, self.in_flight.join_next()).await {
            done.push(first);
        }
        while let Some(next) = self.in_flight.try_join_next() {
            done.push(next);
        }
        let outcomes: Vec<Outcome> = done
            .into_iter()
            .filter_map(|joined| match joined {
                Ok(outcome) => Some(outcome),
                Err(error) => {
                    // A panicked send leaves its row in `sending`: in doubt, like after a crash.
                    tracing::error!(%error, "an email send task failed");
                    None
                }
            })
            .collect();
        self.record(outcomes).await
    }

    /// Waits for every send in flight and records them (before stopping).
    async fn drain(&mut self) -> Result<(), CampaignError> {
        while !self.in_flight.is_empty() {
            self.collect(Duration::from_secs(60)).await?;
        }
        Ok(())
    }

    async fn record(&mut self, outcomes: Vec<Outcome>) -> Result<(), CampaignError> {
        if outcomes.is_empty() {
            return Ok(());
        }
        let settings = self.campaign.settings;
        let now = OffsetDateTime::now_utc();
        let mut last_error = None;
        let mut tx = self.pool.begin().await?;
        for outcome in &outcomes {
            match &outcome.result {
                Ok(message_id) => {
                    self.errors.record(false);
                    sqlx::query(
                        "UPDATE deliveries SET state = 'sent', sent_at = ?, message_id = ?, last_error = NULL, \
                         next_attempt_at = NULL, updated_at = ? WHERE id = ? AND state = 'sending'",
                    )
                    .bind(now)
                    .bind(message_id)
                    .bind(now)
                    .bind(outcome.delivery_id)
                    .execute(&mut *tx)
                    .await?;
                }
                Err(error) => {
                    self.errors.record(true);
                    let reason = smtp_reason(&error.message);
                    let give_up = error.permanent || outcome.attempts >= settings.max_attempts;
                    let (state, next_attempt_at, reason) = if give_up {
                        let reason = if error.permanent {
                            reason
                        } else {
                            format!("gave up after {} attempts: {reason}", outcome.attempts)
                        };
                        ("failed_permanent", None, reason)
                    } else {
                        let wait = backoff_seconds(settings.retry_after_seconds, outcome.attempts);
                        let at = now.unix_timestamp() + i64::try_from(wait).unwrap_or(i64::MAX / 2);
                        ("failed_temporary", Some(at), reason)
                    };
                    sqlx::query(
                        "UPDATE deliveries SET state = ?, last_error = ?, next_attempt_at = ?, updated_at = ? \
                         WHERE id = ? AND state = 'sending'",
                    )
                    .bind(state)
                    .bind(&reason)
                    .bind(next_attempt_at)
                    .bind(now)
                    .bind(outcome.delivery_id)
                    .execute(&mut *tx)
                    .await?;
                    last_error = Some(reason);
                }
            }
        }
        tx.commit().await?;
        if let Some((failed, of)) = self.errors.exceeded(settings.pause_above_percent) {
            let reason = format!(
                "{failed} of the last {of} attempts failed (more than {}%); last error: {}",
                settings.pause_above_percent,
                last_error.as_deref().unwrap_or("-")
            );
            if super::pause_with_reason(&self.pool, self.campaign.id, &reason).await? {
                tracing::warn!(campaign = self.campaign.id, %reason, "campaign paused automatically");
                self.campaign.state = CampaignState::Paused;
                self.errors.clear();
            }
        }
        Ok(())
    }
}

/// Claims up to `limit` due rows in one statement: they become `sending` with one more attempt.
/// (delivery id, customer id, attempts so far including this one)
async fn claim(pool: &SqlitePool, campaign_id: i64, limit: u32) -> Result<Vec<(i64, i64, u32)>, sqlx::Error> {
    let now = OffsetDateTime::now_utc();
    sqlx::query_as(
        "UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = ?1 \
         WHERE id IN (SELECT id FROM ( \
                          SELECT id FROM (SELECT id FROM deliveries WHERE campaign_id = ?2 AND state = 'queued' \
                                          ORDER BY id LIMIT ?4) \
                          UNION ALL \
                          SELECT id FROM (SELECT id FROM deliveries WHERE campaign_id = ?2 \
                                          AND state = 'failed_temporary' AND next_attempt_at <= ?3 \
                                          ORDER BY id LIMIT ?4)) \
                      ORDER BY id LIMIT ?4) \
         RETURNING id, customer_id, attempts",
    )
    .bind(now)
    .bind(campaign_id)
    .bind(now.unix_timestamp())
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// Gives claimed rows back untouched (their attempt did not happen).
async fn unclaim(pool: &SqlitePool, delivery_ids: &[i64]) -> Result<(), sqlx::Error> {
    let ids = serde_json::to_string(delivery_ids).unwrap_or_else(|_| "[]".to_owned());
    sqlx::query(
        "UPDATE deliveries SET state = 'queued', attempts = MAX(attempts - 1, 0) \
         WHERE id IN (SELECT value FROM json_each(?)) AND state = 'sending'",
    )
    .bind(ids)
    .execute(pool)
    .await
    .map(drop)
}

/// The claimed rows' customers, from one query.
async fn members(
    pool: &SqlitePool,
    customer_ids: impl Iterator<Item = i64>,
) -> Result<Vec<AudienceMember>, CampaignError> {
    let ids = serde_json::to_string(&customer_ids.collect::<Vec<_>>()).map_err(|_| CampaignError::Stored("ids"))?;
    let rows: Vec<MemberRow> = sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM customers c WHERE c.id IN (SELECT value FROM json_each(?))"
    ))
    .bind(ids)
    .fetch_all(pool)
    .await?;
    rows.into_iter()
        .map(|row| {
            AudienceMember::try_from(row).map_err(|error| match error {
                LettersError::Database(error) => CampaignError::Database(error),
                _ => CampaignError::Stored("customer"),
            })
        })
        .collect()
}
