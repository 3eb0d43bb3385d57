//! Case status services: record a checked change as an event and keep the customer's current
//! state in step in the same transaction; read a customer's state and history.

pub mod bulk;
pub mod dashboard;
pub mod demo;
pub mod export;
pub mod report;

use std::collections::HashMap;

use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use time::{Date, OffsetDateTime};

use crate::case::transition::check;
use crate::case::{
    CaseAuthority, CaseEvent, CaseKind, CaseSnapshot, CaseState, ChangeRequest, CheckedChange, RefundState,
    ReissueState, TransitionError, Yen,
};
use crate::role::Role;

/// Who makes a change: a signed-in staff member, or the command line and demo loader, which act
/// with a manager's reach and record no staff member.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Actor {
    Staff { id: i64, role: Role },
    System,
}

impl Actor {
    fn staff_id(self) -> Option<i64> {
        match self {
            Actor::Staff { id, .. } => Some(id),
            Actor::System => None,
        }
    }

    fn authority(self) -> Option<CaseAuthority> {
        match self {
            Actor::Staff { role, .. } => CaseAuthority::of(role),
            Actor::System => Some(CaseAuthority::ManageAll),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum CaseError {
    #[error("no such customer")]
    CustomerNotFound,
    #[error(transparent)]
    Refused(#[from] TransitionError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

#[derive(sqlx::FromRow)]
struct SnapshotRow {
    customer_id: i64,
    reissue_state: Option<String>,
    refund_state: Option<String>,
    refund_amount_yen: Option<i64>,
    refunded_on: Option<Date>,
}

/// A stored row back to the domain. The CHECK constraints keep the codes valid; should one not
/// parse, the initial state is shown and the row logged rather than the page failing.
fn snapshot_of(row: SnapshotRow) -> CaseSnapshot {
    let reissue = row
        .reissue_state
        .as_deref()
        .map_or(Some(ReissueState::default()), ReissueState::from_code);
    let refund = row
        .refund_state
        .as_deref()
        .map_or(Some(RefundState::default()), RefundState::from_code);
    if reissue.is_none() || refund.is_none() {
        tracing::error!(customer = row.customer_id, "a stored case state is not a known code");
    }
    CaseSnapshot {
        reissue: reissue.unwrap_or_default(),
        refund: refund.unwrap_or_default(),
        refund_amount: row.refund_amount_yen.and_then(|amount| Yen::new(amount).ok()),
        refunded_on: row.refunded_on,
    }
}

const SNAPSHOT_SELECT: &str = "SELECT c.id AS customer_id, cc.reissue_state, cc.refund_state, cc.refund_amount_yen, \
     cc.refunded_on FROM customers c LEFT JOIN customer_cases cc ON cc.customer_id = c.id";

/// The customer's current state, or `None` when there is no such customer.
pub async fn snapshot(conn: &mut SqliteConnection, customer_id: i64) -> Result<Option<CaseSnapshot>, sqlx::Error> {
    let row: Option<SnapshotRow> = sqlx::query_as(&format!("{SNAPSHOT_SELECT} WHERE c.id = ?"))
        .bind(customer_id)
        .fetch_optional(conn)
        .await?;
    Ok(row.map(snapshot_of))
}

/// The current state of many customers in one query per 500 ids; unknown ids are left out.
async fn snapshots(conn: &mut SqliteConnection, ids: &[i64]) -> Result<HashMap<i64, CaseSnapshot>, sqlx::Error> {
    let mut found = HashMap::with_capacity(ids.len());
    for chunk in ids.chunks(500) {
        let mut query = QueryBuilder::<Sqlite>::new(SNAPSHOT_SELECT);
        query.push(" WHERE c.id IN (");
        let mut list = query.separated(", ");
        for id in chunk {
            list.push_bind(*id);
        }
        query.push(")");
        let rows: Vec<SnapshotRow> = query.build_query_as().fetch_all(&mut *conn).await?;
        found.extend(rows.into_iter().map(|row| (row.customer_id, snapshot_of(row))));
    }
    Ok(found)
}

/// Checks `request` against `current` for the actor.
fn check_for(current: &CaseSnapshot, request: ChangeRequest, actor: Actor) -> Result<CheckedChange, TransitionError> {
    let authority = actor.authority().ok_or(TransitionError::Forbidden)?;
    let from = current.state(request.to.kind());
    let in_progress = (current.refund == RefundState::RefundInProgress)
        .then_some(current.refund_amount)
        .flatten();
    check(from, in_progress, request, authority)
}

/// Writes the event and the new current state. The caller holds the transaction.
async fn record(
    conn: &mut SqliteConnection,
    customer_id: i64,
    current: CaseSnapshot,
    change: &CheckedChange,
    actor: Actor,
    bulk_update_id: Option<i64>,
    now: OffsetDateTime,
) -> Result<CaseSnapshot, sqlx::Error> {
    sqlx::query(
        "INSERT INTO case_events (customer_id, kind, from_state, to_state, amount_yen, effective_on, note, \
         correction, staff_id, bulk_update_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(customer_id)
    .bind(change.to.kind().code())
    .bind(change.from.code())
    .bind(change.to.code())
    .bind(change.amount.map(Yen::get))
    .bind(change.effective_on)
    .bind(change.note.as_str())
    .bind(change.correction)
    .bind(actor.staff_id())
    .bind(bulk_update_id)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    let next = current.after(change);
    sqlx::query(
        "INSERT INTO customer_cases (customer_id, reissue_state, refund_state, refund_amount_yen, refunded_on, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (customer_id) DO UPDATE SET reissue_state = excluded.reissue_state, \
         refund_state = excluded.refund_state, refund_amount_yen = excluded.refund_amount_yen, \
         refunded_on = excluded.refunded_on, updated_at = excluded.updated_at",
    )
    .bind(customer_id)
    .bind(next.reissue.code())
    .bind(next.refund.code())
    .bind(next.refund_amount.map(Yen::get))
    .bind(next.refunded_on)
    .bind(now)
    .execute(&mut *conn)
    .await?;
    Ok(next)
}

/// Checks and records one change for one customer: the event and the new state, or nothing.
pub async fn apply(
    pool: &SqlitePool,
    customer_id: i64,
    request: ChangeRequest,
    actor: Actor,
) -> Result<CaseSnapshot, CaseError> {
    // IMMEDIATE takes the write lock before reading, so two agents changing the same customer
    // at once are serialised instead of one failing on a stale read.
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let current = snapshot(&mut tx, customer_id)
        .await?
        .ok_or(CaseError::CustomerNotFound)?;
    let change = check_for(&current, request, actor)?;
    let next = record(
        &mut tx,
        customer_id,
        current,
        &change,
        actor,
        None,
        OffsetDateTime::now_utc(),
    )
    .await?;
    tx.commit().await?;
    Ok(next)
}

#[derive(sqlx::FromRow)]
struct EventRow {
    id: i64,
    kind: String,
    from_state: String,
    to_state: String,
    amount_yen: Option<i64>,
    effective_on: Date,
    note: String,
    correction: bool,
    staff_name: Option<String>,
    bulk_update_id: Option<i64>,
    created_at: OffsetDateTime,
}

/// The customer's events, newest first, with the staff member's display name.
pub async fn events(pool: &SqlitePool, customer_id: i64) -> Result<Vec<CaseEvent>, sqlx::Error> {
    let rows: Vec<EventRow> = sqlx::query_as(
        "SELECT e.id, e.kind, e.from_state, e.to_state, e.amount_yen, e.effective_on, e.note, e.correction, \
         s.display_name AS staff_name, e.bulk_update_id, e.created_at \
         FROM case_events e LEFT JOIN staff s ON s.id = e.staff_id WHERE e.customer_id = ? ORDER BY e.id DESC",
    )
    .bind(customer_id)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().filter_map(event_of).collect())
}

fn event_of(row: EventRow) -> Option<CaseEvent> {
    let kind = CaseKind::from_code(&row.kind)?;
    let (Some(from), Some(to)) = (
        CaseState::from_code(kind, &row.from_state),
        CaseState::from_code(kind, &row.to_state),
    ) else {
        tracing::error!(event = row.id, "a stored case event names an unknown state");
        return None;
    };
    Some(CaseEvent {
        id: row.id,
        from,
        to,
        amount: row.amount_yen.and_then(|amount| Yen::new(amount).ok()),
        effective_on: row.effective_on,
        note: row.note,
        correction: row.correction,
        staff_name: row.staff_name,
        bulk_update_id: row.bulk_update_id,
        created_at: row.created_at,
    })
}
