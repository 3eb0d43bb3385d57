//! Sending one email campaign: claim queued rows (never more in `sending` than the concurrency),
//! render and hand each to the mail transport concurrently, and record the outcomes. A row is
//! marked `sent` as soon as the SMTP server has accepted it, so after a crash only the rows still
//! in `sending` are in doubt. Each tick takes one database connection for three statements: the
//! finished sends recorded, as many rows claimed as that freed, their customers read (each
//! statement is a round trip to the connection's thread, so no BEGIN and COMMIT: recording before
//! claiming is all the order needs). Each send task renders its own message, so the rendering of
//! several runs on several cores and the tick goes back to waiting at once.

use std::sync::Arc;
use std::time::{Duration, Instant};

use sqlx::{SqliteConnection, SqlitePool};
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
    /// The Message-ID the server accepted.
    result: Result<String, Failure>,
}

/// Why a claimed row was not sent.
enum Failure {
    /// The transport or the SMTP server refused it: counted, retried or given up as the settings say.
    Send(SendError),
    /// The message cannot be made (no From address, a template that no longer fills in): the row
    /// goes back untouched and the campaign pauses with the reason for the manager.
    Unbuildable(CampaignError),
}

/// Why a tick pauses the campaign: a message that cannot be made, or (`automatic`) too many
/// failed sends.
struct PauseFor {
    reason: String,
    automatic: bool,
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
    setup: Arc<EmailSetup>,
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
            setup: Arc::new(EmailSetup {
                template,
                incident,
                schedule,
                date: crate::calendar::today_in_tokyo(),
            }),
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

    /// One round: re-read the campaign now and then, wait a little for a send to finish, record the
    /// finished sends, claim as many rows as the concurrency, rate and hourly cap allow, and start
    /// sending those.
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
        let finished = self.collect(WAIT_FOR_SENDS).await;
        let wanted = if self.hotline_open {
            self.wanted(finished.len()).await?
        } else {
            0
        };
        let claimed = self.settle_and_claim(finished, wanted).await?;
        if claimed > 0 || !self.in_flight.is_empty() || self.campaign.state != CampaignState::Running {
            return Ok(Tick::Busy);
        }
        let wait = if self.hotline_open {
            self.idle_time().await?
        } else {
            STATE_CHECK
        };
        if super::finish_if_done(&self.pool, self.campaign.id).await? {
            tracing::info!(campaign = self.campaign.id, "campaign finished");
            self.campaign.state = CampaignState::Finished;
            return Ok(Tick::Stopped(CampaignState::Finished));
        }
        Ok(Tick::Idle(wait))
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

    /// How many rows to claim now: the concurrency less the sends in flight, within the hourly cap
    /// and the rate. `finished` sends are still `sending` until this tick records them.
    async fn wanted(&mut self, finished: usize) -> Result<u32, CampaignError> {
        let settings = self.campaign.settings;
        let in_flight = u32::try_from(self.in_flight.len()).unwrap_or(u32::MAX);
        let mut wanted = settings.concurrency.saturating_sub(in_flight);
        if wanted == 0 {
            return Ok(0);
        }
        if settings.hourly_cap.is_some() {
            let hour_ago = OffsetDateTime::now_utc() - time::Duration::HOUR;
            let sent = super::sent_since(&self.pool, self.campaign.id, hour_ago).await?;
            let unrecorded = u32::try_from(self.in_flight.len() + finished).unwrap_or(u32::MAX);
            wanted = wanted.min(hourly_allowance(settings.hourly_cap, sent, unrecorded));
        }
        if let Some(bucket) = &mut self.bucket {
            let now = self.origin.elapsed().as_secs_f64();
            wanted = bucket.take(wanted, now);
        }
        Ok(wanted)
    }

    /// Records the finished sends, then (unless the campaign must pause) claims up to `wanted` rows
    /// and reads their customers, on one connection; then starts a task per claimed row that
    /// renders and sends it. Returns how many rows were claimed.
    async fn settle_and_claim(&mut self, outcomes: Vec<Outcome>, wanted: u32) -> Result<usize, CampaignError> {
        if outcomes.is_empty() && wanted == 0 {
            return Ok(0);
        }
        let mut connection = self.pool.acquire().await?;
        let pause = self.record(&mut connection, outcomes).await?;
        let mut claimed = Vec::new();
        let mut members = Vec::new();
        if pause.is_none() && wanted > 0 {
            claimed = claim(&mut connection, self.campaign.id, wanted).await?;
            if !claimed.is_empty() {
                members = customers(&mut connection, claimed.iter().map(|row| row.1)).await?;
            }
        }
        drop(connection);
        if let Some(PauseFor { reason, automatic }) = pause {
            if !automatic {
                tracing::error!(campaign = self.campaign.id, %reason, "campaign paused");
            }
            if super::pause_with_reason(&self.pool, self.campaign.id, &reason).await? {
                if automatic {
                    tracing::warn!(campaign = self.campaign.id, %reason, "campaign paused automatically");
                    self.errors.clear();
                }
                self.campaign.state = CampaignState::Paused;
            }
        }
        let count = claimed.len();
        for (delivery_id, customer_id, attempts) in claimed {
            let member = members
                .iter()
                .position(|member| member.customer_id == customer_id)
                .map(|index| members.swap_remove(index));
            let (mailer, setup) = (self.mailer.clone(), self.setup.clone());
            self.in_flight.spawn(async move {
                let email = member
                    .ok_or(CampaignError::Stored("customer"))
                    .and_then(|member| setup.email(&member));
                let result = match email {
                    Ok(email) => mailer
                        .send(&email)
                        .await
                        .map(|()| email.message_id)
                        .map_err(Failure::Send),
                    Err(error) => Err(Failure::Unbuildable(error)),
                };
                Outcome {
                    delivery_id,
                    attempts,
                    result,
                }
            });
        }
        Ok(count)
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

    /// Waits up to `wait` for one send to finish (when any is in flight), then takes every other
    /// finished one.
    async fn collect(&mut self, wait: Duration) -> Vec<Outcome> {
        let mut done = Vec::new();
        if self.in_flight.is_empty() {
            return Vec::new();
        }
        if let Ok(Some(first)) = tokio::time::timeout(wait, self.in_flight.join_next()).await {
            done.push(first);
        }
        while let Some(next) = self.in_flight.try_join_next() {
            done.push(next);
        }
        done.into_iter()
            .filter_map(|joined| match joined {
                Ok(outcome) => Some(outcome),
                Err(error) => {
                    // A panicked send leaves its row in `sending`: in doubt, like after a crash.
                    tracing::error!(%error, "an email send task failed");
                    None
                }
            })
            .collect()
    }

    /// Waits for every send in flight and records them (before stopping).
    async fn drain(&mut self) -> Result<(), CampaignError> {
        while !self.in_flight.is_empty() {
            let finished = self.collect(Duration::from_secs(60)).await;
            self.settle_and_claim(finished, 0).await?;
        }
        Ok(())
    }

    /// Writes the outcomes: accepted rows `sent` (one statement), refused ones retried
    /// later or given up, unbuildable ones given back. Says whether the campaign must pause.
    async fn record(
        &mut self,
        connection: &mut SqliteConnection,
        outcomes: Vec<Outcome>,
    ) -> Result<Option<PauseFor>, CampaignError> {
        let settings = self.campaign.settings;
        let now = OffsetDateTime::now_utc();
        let mut sent = Vec::new();
        let mut given_back = Vec::new();
        let mut unbuildable = None;
        let mut last_error = None;
        for outcome in outcomes {
            match outcome.result {
                Ok(message_id) => {
                    self.errors.record(false);
                    sent.push((outcome.delivery_id, message_id));
                }
                Err(Failure::Unbuildable(error)) => {
                    given_back.push(outcome.delivery_id);
                    unbuildable.get_or_insert_with(|| format!("the message cannot be made: {error}"));
                }
                Err(Failure::Send(error)) => {
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
                    .execute(&mut *connection)
                    .await?;
                    last_error = Some(reason);
                }
            }
        }
        if !sent.is_empty() {
            let sent = serde_json::to_string(&sent).map_err(|_| CampaignError::Stored("message ids"))?;
            sqlx::query(
                "UPDATE deliveries SET state = 'sent', sent_at = ?1, message_id = accepted.value ->> 1, \
                 last_error = NULL, next_attempt_at = NULL, updated_at = ?1 \
                 FROM json_each(?2) AS accepted \
                 WHERE deliveries.id = accepted.value ->> 0 AND deliveries.state = 'sending'",
            )
            .bind(now)
            .bind(sent)
            .execute(&mut *connection)
            .await?;
        }
        if !given_back.is_empty() {
            unclaim(&mut *connection, &given_back).await?;
        }
        if let Some(reason) = unbuildable {
            return Ok(Some(PauseFor {
                reason,
                automatic: false,
            }));
        }
        Ok(self
            .errors
            .exceeded(settings.pause_above_percent)
            .map(|(failed, of)| PauseFor {
                reason: format!(
                    "{failed} of the last {of} attempts failed (more than {}%); last error: {}",
                    settings.pause_above_percent,
                    last_error.as_deref().unwrap_or("-")
                ),
                automatic: true,
            }))
    }
}

impl EmailSetup {
    /// The member's message, rendered from the campaign's template.
    fn email(&self, member: &AudienceMember) -> Result<OutgoingEmail, CampaignError> {
        let to = member.email.as_ref().ok_or(CampaignError::Stored("email"))?;
        let context = RenderContext {
            recipient: &member.recipient,
            incident: &self.incident,
            schedule: Some(&self.schedule),
            date: self.date,
        };
        let content = render_email(&self.template, &context).map_err(|_| CampaignError::Stored("template"))?;
        let envelope = Envelope {
            from: self.incident.mail_from.as_ref(),
            reply_to: self.incident.reply_to.as_ref(),
            to_name: Some(member.recipient.name.as_str()),
            to,
        };
        build(&envelope, &content).map_err(|error| match error {
            BuildError::NoFromAddress => CampaignError::NoFromAddress,
            _ => CampaignError::Stored("email address"),
        })
    }
}

/// Claims up to `limit` due rows in one statement: they become `sending` with one more attempt.
/// (delivery id, customer id, attempts so far including this one)
async fn claim(
    connection: &mut SqliteConnection,
    campaign_id: i64,
    limit: u32,
) -> Result<Vec<(i64, i64, u32)>, sqlx::Error> {
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
    .fetch_all(connection)
    .await
}

/// Gives claimed rows back untouched (their attempt did not happen).
async fn unclaim(connection: &mut SqliteConnection, delivery_ids: &[i64]) -> Result<(), sqlx::Error> {
    let ids = serde_json::to_string(delivery_ids).unwrap_or_else(|_| "[]".to_owned());
    sqlx::query(
        "UPDATE deliveries SET state = 'queued', attempts = MAX(attempts - 1, 0) \
         WHERE id IN (SELECT value FROM json_each(?)) AND state = 'sending'",
    )
    .bind(ids)
    .execute(connection)
    .await
    .map(drop)
}

/// The claimed rows' customers, from one query.
async fn customers(
    connection: &mut SqliteConnection,
    customer_ids: impl Iterator<Item = i64>,
) -> Result<Vec<AudienceMember>, CampaignError> {
    let ids = serde_json::to_string(&customer_ids.collect::<Vec<_>>()).map_err(|_| CampaignError::Stored("ids"))?;
    let rows: Vec<MemberRow> = sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM customers c WHERE c.id IN (SELECT value FROM json_each(?))"
    ))
    .bind(ids)
    .fetch_all(connection)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audience::Audience;
    use crate::campaign::{CampaignAction, CampaignSettings, Channel, SettingsInput};
    use crate::campaigns::{self, NewCampaign};
    use crate::mail::{MailSettings, Mailer};

    #[tokio::test]
    async fn a_campaign_whose_messages_cannot_be_made_gives_its_rows_back_and_pauses_with_the_reason() {
        let pool = crate::db::in_memory().await;
        let folder = std::env::temp_dir().join(format!("breachdesk-unbuildable-{}", rand::random::<u64>()));
        let key = crate::secret::SecretKey::load_or_create(&folder.join("secret.key")).expect("key");
        crate::demo::load(&pool, &key).await.expect("demo");
        sqlx::query("UPDATE incident SET mail_from = ''")
            .execute(&pool)
            .await
            .expect("no From address");
        let new = NewCampaign {
            template_name: "apology-email",
            channel: Channel::Email,
            audience: Audience::All,
            settings: CampaignSettings::parse(&SettingsInput::default()).expect("settings"),
            idempotency_key: None,
            created_by: None,
        };
        let id = campaigns::create(&pool, &new).await.expect("created");
        campaigns::apply(&pool, id, CampaignAction::Start)
            .await
            .expect("started");
        let mailer = Mailer::new(&MailSettings::Outbox(folder.join("outbox"))).expect("outbox");

        let stopped = CampaignRun::new(pool.clone(), mailer, id)
            .await
            .expect("run")
            .run()
            .await
            .expect("stopped");

        assert_eq!(stopped, CampaignState::Paused);
        let campaign = campaigns::load(&pool, id).await.expect("campaign");
        let reason = campaign.pause_reason.expect("a reason");
        assert!(reason.contains("cannot be made"), "{reason}");
        let touched: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM deliveries WHERE campaign_id = ? AND (state <> 'queued' OR attempts > 0)",
        )
        .bind(id)
        .fetch_one(&pool)
        .await
        .expect("count");
        assert_eq!(touched, 0, "every row is queued again with no attempt counted");
        let _ = std::fs::remove_dir_all(folder);
    }
}
