//! Logging a call and what follows from its outcome: a callback task, an escalation, the closing
//! of the callback it returned. One transaction with its audit event.

use sqlx::SqlitePool;
use time::OffsetDateTime;

use super::stamp;
use crate::audit::{Actor, AuditAction, AuditEvent};
use crate::calendar::schedule::Schedule;
use crate::call::{CallNotes, CallbackDelay, CallbackTask, LoggedCall, Outcome, TalkMinutes, callback_due, in_hours};
use crate::customer::PhoneNumber;

/// A call as the agent logged it, already parsed.
pub struct NewCall {
    pub customer_id: Option<i64>,
    pub staff_id: i64,
    pub received_at: OffsetDateTime,
    /// Digits only; empty when withheld.
    pub caller_phone: String,
    pub line: String,
    pub disposition_id: i64,
    pub notes: CallNotes,
    pub outcome: Outcome,
    pub talk: TalkMinutes,
    pub callback_delay: CallbackDelay,
    /// The callback task this call returns, which it closes.
    pub closes_callback: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum CallError {
    #[error("no such customer")]
    CustomerNotFound,
    #[error("no such disposition code, or it is retired")]
    UnknownDisposition,
    #[error("a callback needs a number to call")]
    NoNumberToCall,
    #[error("the schedule has no open hours ahead for the callback")]
    NoOpenHours,
    #[error("the callback is not open")]
    CallbackNotOpen,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Logs the call in one transaction with what its outcome asks for and the audit event
/// (`logged_call`, with the outcome; `handled_callback` when it closes one).
pub async fn log_call(
    pool: &SqlitePool,
    schedule: &Schedule,
    call: NewCall,
    address: Option<std::net::IpAddr>,
) -> Result<LoggedCall, CallError> {
    let mut tx = pool.begin().await?;
    let customer_phone: Option<Option<String>> = match call.customer_id {
        Some(id) => Some(
            sqlx::query_scalar::<_, Option<String>>("SELECT phone FROM customers WHERE id = ?")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(CallError::CustomerNotFound)?,
        ),
        None => None,
    };
    let active: Option<i64> = sqlx::query_scalar("SELECT active FROM disposition_codes WHERE id = ?")
        .bind(call.disposition_id)
        .fetch_optional(&mut *tx)
        .await?;
    if active != Some(1) {
        return Err(CallError::UnknownDisposition);
    }
    let now = OffsetDateTime::now_utc();
    let stamped_in_hours = in_hours(schedule, call.received_at);
    let call_id: i64 = sqlx::query_scalar(
        "INSERT INTO calls (customer_id, staff_id, received_at, in_hours, caller_phone, line, disposition_id, notes, \
         outcome, talk_minutes, callback_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(call.customer_id)
    .bind(call.staff_id)
    .bind(stamp(call.received_at))
    .bind(stamped_in_hours)
    .bind(&call.caller_phone)
    .bind(&call.line)
    .bind(call.disposition_id)
    .bind(call.notes.as_str())
    .bind(call.outcome.code())
    .bind(i64::from(call.talk.get()))
    .bind(call.closes_callback)
    .bind(stamp(now))
    .fetch_one(&mut *tx)
    .await?;

    if let Some(callback) = call.closes_callback {
        let closed = sqlx::query(
            "UPDATE callbacks SET state = 'done', closed_at = ?, closed_by_call_id = ? WHERE id = ? AND state = 'open'",
        )
        .bind(stamp(now))
        .bind(call_id)
        .bind(callback)
        .execute(&mut *tx)
        .await?;
        if closed.rows_affected() == 0 {
            return Err(CallError::CallbackNotOpen);
        }
        let event = AuditEvent::new(Actor::Staff(call.staff_id), AuditAction::HandledCallback)
            .from_address(address)
            .object(format!("callback:{callback}"))
            .detail("closed");
        crate::audit::record(&mut *tx, &with_customer(event, call.customer_id)).await?;
    }

    let mut callback_due_at = None;
    if call.outcome == Outcome::CallbackNeeded {
        // The number the caller gave, else the one on the customer list.
        let phone = Some(call.caller_phone.clone())
            .filter(|phone| !phone.is_empty())
            .or(customer_phone.flatten())
            .ok_or(CallError::NoNumberToCall)?;
        let due = callback_due(schedule, call.received_at, call.callback_delay).ok_or(CallError::NoOpenHours)?;
        sqlx::query(
            "INSERT INTO callbacks (customer_id, source, requested_by_call_id, phone, reason, due_at, state, created_at) \
             VALUES (?, 'call', ?, ?, ?, ?, 'open', ?)",
        )
        .bind(call.customer_id)
        .bind(call_id)
        .bind(&phone)
        .bind(call.notes.as_str())
        .bind(stamp(due))
        .bind(stamp(now))
        .execute(&mut *tx)
        .await?;
        callback_due_at = Some(stamp(due));
    }

    let mut escalation_id = None;
    if call.outcome == Outcome::Escalated {
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO escalations (call_id, customer_id, reason, state, created_at) VALUES (?, ?, ?, 'open', ?) \
             RETURNING id",
        )
        .bind(call_id)
        .bind(call.customer_id)
        .bind(call.notes.as_str())
        .bind(stamp(now))
        .fetch_one(&mut *tx)
        .await?;
        escalation_id = Some(id);
    }

    let detail = format!(
        "{} in_hours={} masked={}",
        call.outcome.code(),
        u8::from(stamped_in_hours),
        call.notes.masked()
    );
    let event = AuditEvent::new(Actor::Staff(call.staff_id), AuditAction::LoggedCall)
        .from_address(address)
        .object(format!("call:{call_id}"))
        .detail(detail);
    crate::audit::record(&mut *tx, &with_customer(event, call.customer_id)).await?;
    tx.commit().await?;
    Ok(LoggedCall {
        call_id,
        in_hours: stamped_in_hours,
        masked: call.notes.masked(),
        callback_due: callback_due_at,
        escalation_id,
        outcome: call.outcome,
    })
}

fn with_customer(event: AuditEvent, customer_id: Option<i64>) -> AuditEvent {
    match customer_id {
        Some(id) => event.customer(id),
        None => event,
    }
}

/// The open callbacks by due time, with who they are assigned to; `now` decides which are overdue.
pub async fn open_callbacks(pool: &SqlitePool, now: OffsetDateTime) -> Result<Vec<CallbackTask>, sqlx::Error> {
    type Row = (
        i64,
        Option<i64>,
        Option<String>,
        String,
        String,
        Option<String>,
        String,
        String,
        Option<i64>,
        Option<String>,
    );
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT b.id, b.customer_id, c.name, b.phone, b.source, b.preferred_time, b.reason, b.due_at, \
         b.assigned_to, s.display_name \
         FROM callbacks b LEFT JOIN customers c ON c.id = b.customer_id LEFT JOIN staff s ON s.id = b.assigned_to \
         WHERE b.state = 'open' ORDER BY b.due_at, b.id",
    )
    .fetch_all(pool)
    .await?;
    let now = stamp(now);
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                customer_id,
                customer_name,
                phone,
                source,
                preferred_time,
                reason,
                due_at,
                assigned_to,
                assigned_name,
            )| {
                CallbackTask {
                    id,
                    customer_id,
                    customer_name,
                    phone: PhoneNumber::parse(&phone).map_or(phone, |phone| phone.to_string()),
                    source,
                    preferred_time,
                    reason,
                    overdue: due_at < now,
                    due_at,
                    assigned_to,
                    assigned_name,
                }
            },
        )
        .collect())
}

/// Open and overdue callbacks: the desk report's queue figures.
pub async fn callback_counts(pool: &SqlitePool, now: OffsetDateTime) -> Result<(u64, u64), sqlx::Error> {
    let (open, overdue): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COALESCE(SUM(due_at < ?), 0) FROM callbacks WHERE state = 'open'")
            .bind(stamp(now))
            .fetch_one(pool)
            .await?;
    Ok((
        u64::try_from(open).unwrap_or_default(),
        u64::try_from(overdue).unwrap_or_default(),
    ))
}

/// Assigns an open callback to an active staff member (or to nobody), with its audit event.
/// `false` when the callback is not open or the staff member does not exist or is disabled.
pub async fn assign_callback(
    pool: &SqlitePool,
    callback_id: i64,
    assignee: Option<i64>,
    event: AuditEvent,
) -> Result<bool, sqlx::Error> {
    let mut tx = pool.begin().await?;
    let changed = sqlx::query(
        "UPDATE callbacks SET assigned_to = ?1 WHERE id = ?2 AND state = 'open' \
         AND (?1 IS NULL OR EXISTS (SELECT 1 FROM staff WHERE id = ?1 AND disabled_at IS NULL))",
    )
    .bind(assignee)
    .bind(callback_id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if changed {
        let detail = assignee.map_or_else(|| "unassigned".to_owned(), |id| format!("assigned:{id}"));
        crate::audit::record(
            &mut *tx,
            &event.object(format!("callback:{callback_id}")).detail(detail),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(changed)
}

/// The active staff who can be given a callback: (id, name).
pub async fn assignable_staff(pool: &SqlitePool) -> Result<Vec<(i64, String)>, sqlx::Error> {
    sqlx::query_as("SELECT id, display_name FROM staff WHERE disabled_at IS NULL ORDER BY display_name, id")
        .fetch_all(pool)
        .await
}
