//! The public status page's services: the lookup (throttled, audited, the same answer for every
//! mismatch), the short sessions that keep its result, callback requests, the FAQ and the lookup report.

use std::net::IpAddr;

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{Connection, Sqlite, SqliteConnection, SqlitePool};
use time::format_description::well_known::Rfc3339;
use time::{Duration, OffsetDateTime};

use crate::audit::{Actor, AuditAction, AuditEvent, AuditWriter, Outcome, TrailNotWritten};
use crate::calendar::schedule::Schedule;
use crate::case::{RefundState, ReissueState};
use crate::customer::{CardBrand, CustomerName, ReferenceCode};
use crate::secret::SecretKey;
use crate::status_page::{
    CallbackRequest, FaqEntry, LookupAddress, LookupHour, LookupInput, LookupReport, SESSION_LENGTH, THROTTLE_WINDOW,
    callback_due, failure_spikes, retry_at,
};

/// What a customer may see of their own record: the family name, the card's brand and last 4, the
/// two case states and when the letter and the email went out. Nothing else personal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CustomerStatus {
    pub customer_id: i64,
    pub family_name: String,
    pub card_brand: String,
    pub card_last4: String,
    pub reissue: ReissueState,
    pub refund: RefundState,
    /// RFC 3339 UTC, the latest letter handed to the post.
    pub letter_sent_at: Option<String>,
    /// RFC 3339 UTC, the latest email the mail server accepted.
    pub email_sent_at: Option<String>,
}

/// How a lookup ended. A wrong last 4, a code of nobody and a code of someone else are one `Mismatch`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LookupOutcome {
    Found(CustomerStatus),
    Mismatch,
    /// Too many failures from this address or for this code; tries open again at the instant.
    Throttled(OffsetDateTime),
}

/// The reference code as the audit trail and the throttle know it: keyed, so the trail never
/// holds a code that could be typed in, and no one without the key can test guesses against it.
pub fn reference_hash(key: &SecretKey, code: &ReferenceCode) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.bytes()).expect("HMAC takes keys of any length");
    mac.update(b"status-lookup:");
    mac.update(code.compact().as_bytes());
    hex(&mac.finalize().into_bytes())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn rfc3339(at: OffsetDateTime) -> String {
    at.format(&Rfc3339).unwrap_or_default()
}

/// The throttle's two keys: the client's address and the code.
fn throttle_keys(address: IpAddr, code_hash: &str) -> [String; 2] {
    [format!("addr:{address}"), format!("code:{code_hash}")]
}

/// When tries open again for the address or the code, whichever is later; `None` when both may try.
pub async fn throttled_until(
    pool: &SqlitePool,
    address: IpAddr,
    code_hash: Option<&str>,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, sqlx::Error> {
    throttle_of(&mut *pool.acquire().await?, address, code_hash, now).await
}

async fn throttle_of(
    connection: &mut SqliteConnection,
    address: IpAddr,
    code_hash: Option<&str>,
    now: OffsetDateTime,
) -> Result<Option<OffsetDateTime>, sqlx::Error> {
    let address_key = format!("addr:{address}");
    let code_key = code_hash.map(|hash| format!("code:{hash}")).unwrap_or_default();
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT key, failed_at FROM status_lookup_failures WHERE key IN (?, ?) AND failed_at > ?")
            .bind(&address_key)
            .bind(&code_key)
            .bind(rfc3339(now - THROTTLE_WINDOW))
            .fetch_all(connection)
            .await?;
    let times = |key: &str| -> Vec<OffsetDateTime> {
        rows.iter()
            .filter(|(row_key, _)| row_key == key)
            .filter_map(|(_, at)| OffsetDateTime::parse(at, &Rfc3339).ok())
            .collect()
    };
    Ok([retry_at(&times(&address_key), now), retry_at(&times(&code_key), now)]
        .into_iter()
        .flatten()
        .max())
}

/// The status columns of one customer; the caller adds the WHERE.
const STATUS_SELECT: &str = "SELECT c.id, c.name, c.card_brand, c.card_last4, \
     COALESCE(cc.reissue_state, 'not_started'), COALESCE(cc.refund_state, 'awaiting_claim'), \
     (SELECT MAX(d.sent_at) FROM deliveries d WHERE d.customer_id = c.id AND d.channel = 'letter'), \
     (SELECT MAX(d.sent_at) FROM deliveries d WHERE d.customer_id = c.id AND d.channel = 'email') \
     FROM customers c LEFT JOIN customer_cases cc ON cc.customer_id = c.id ";

type StatusRow = (
    i64,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn to_status(row: StatusRow) -> CustomerStatus {
    let (customer_id, name, brand, last4, reissue, refund, letter_sent_at, email_sent_at) = row;
    // Stored names passed CustomerName when imported; an unreadable one shows nothing rather than all of it.
    let family_name = CustomerName::parse(&name)
        .map(|name| name.family_name().to_owned())
        .unwrap_or_default();
    CustomerStatus {
        customer_id,
        family_name,
        card_brand: CardBrand::from_code(&brand).map_or(brand, |brand| brand.label().to_owned()),
        card_last4: last4,
        reissue: ReissueState::from_code(&reissue).unwrap_or_default(),
        refund: RefundState::from_code(&refund).unwrap_or_default(),
        letter_sent_at,
        email_sent_at,
    }
}

/// Compares without stopping at the first difference, so timing says nothing about how many digits were right.
fn same_digits(stored: &str, typed: &str) -> bool {
    stored.len() == typed.len()
        && stored
            .bytes()
            .zip(typed.bytes())
            .fold(0u8, |difference, (a, b)| difference | (a ^ b))
            == 0
}

/// Why a lookup could not be answered.
#[derive(Debug, thiserror::Error)]
pub enum LookupError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error(transparent)]
    Trail(#[from] TrailNotWritten),
}

/// One lookup from the public page or the JSON API. Every mismatch runs the same query, writes the
/// same two failure rows and the same audit row; the caller pads its answer to
/// [`crate::status_page::MISMATCH_ANSWER_TIME`].
pub async fn lookup(
    pool: &SqlitePool,
    trail: &AuditWriter,
    key: &SecretKey,
    address: IpAddr,
    input: &LookupInput,
    now: OffsetDateTime,
) -> Result<LookupOutcome, LookupError> {
    let code_hash = reference_hash(key, input.reference());
    let event = AuditEvent::new(Actor::Public, AuditAction::LookedUpStatus)
        .from_address(Some(address))
        .object(format!("reference:{code_hash}"));
    // One connection for the throttle and the customer: each checkout from the pool is a round trip
    // to a connection's thread.
    let mut connection = pool.acquire().await?;
    if let Some(until) = throttle_of(&mut connection, address, Some(&code_hash), now).await? {
        drop(connection);
        trail
            .record(event.outcome(Outcome::Refused).detail("throttled"))
            .await?;
        return Ok(LookupOutcome::Throttled(until));
    }
    let row: Option<StatusRow> = sqlx::query_as(&format!(
        "{STATUS_SELECT} WHERE c.reference_code = ? AND c.purged_at IS NULL"
    ))
    .bind(input.reference().compact())
    .fetch_optional(&mut *connection)
    .await?;
    // A missing row is compared against a value no input can equal, so both kinds do the same work.
    let stored_last4 = row.as_ref().map_or("----", |row| row.3.as_str());
    let matches = same_digits(stored_last4, input.last4().as_str());
    match row {
        Some(row) if matches => {
            drop(connection);
            let status = to_status(row);
            trail.record(event.customer(status.customer_id)).await?;
            Ok(LookupOutcome::Found(status))
        }
        _ => {
            // The failure rows and their trail entry in one transaction: the throttle counts exactly
            // what the trail shows.
            record_failure(&mut connection, address, &code_hash, now, event).await?;
            Ok(LookupOutcome::Mismatch)
        }
    }
}

async fn record_failure(
    connection: &mut SqliteConnection,
    address: IpAddr,
    code_hash: &str,
    now: OffsetDateTime,
    event: AuditEvent,
) -> Result<(), sqlx::Error> {
    let mut tx = connection.begin().await?;
    for key in throttle_keys(address, code_hash) {
        sqlx::query("INSERT INTO status_lookup_failures (key, failed_at) VALUES (?, ?)")
            .bind(key)
            .bind(rfc3339(now))
            .execute(&mut *tx)
            .await?;
    }
    // Failures past the window no longer count; clearing them here keeps the table small without a worker.
    sqlx::query("DELETE FROM status_lookup_failures WHERE failed_at <= ?")
        .bind(rfc3339(now - THROTTLE_WINDOW))
        .execute(&mut *tx)
        .await?;
    crate::audit::record(&mut *tx, &event.outcome(Outcome::Failed).detail("mismatch")).await?;
    tx.commit().await
}

/// The customer's status by id, for a page within a status session.
pub async fn status_of(pool: &SqlitePool, customer_id: i64) -> Result<Option<CustomerStatus>, sqlx::Error> {
    let row: Option<StatusRow> = sqlx::query_as(&format!("{STATUS_SELECT} WHERE c.id = ? AND c.purged_at IS NULL"))
        .bind(customer_id)
        .fetch_optional(pool)
        .await?;
    Ok(row.map(to_status))
}

fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

/// A new status session for the customer; the token goes into a cookie, its hash into the table.
pub async fn start_session(pool: &SqlitePool, customer_id: i64, now: OffsetDateTime) -> Result<String, sqlx::Error> {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM status_sessions WHERE expires_at <= ?")
        .bind(rfc3339(now))
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO status_sessions (token_hash, customer_id, expires_at) VALUES (?, ?, ?)")
        .bind(token_hash(&token))
        .bind(customer_id)
        .bind(rfc3339(now + SESSION_LENGTH))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(token)
}

/// The customer a live session belongs to; the session is not extended.
pub async fn session_customer(pool: &SqlitePool, token: &str, now: OffsetDateTime) -> Result<Option<i64>, sqlx::Error> {
    sqlx::query_scalar("SELECT customer_id FROM status_sessions WHERE token_hash = ? AND expires_at > ?")
        .bind(token_hash(token))
        .bind(rfc3339(now))
        .fetch_optional(pool)
        .await
}

/// Ends a session (the page's "done" button).
pub async fn end_session(pool: &SqlitePool, token: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM status_sessions WHERE token_hash = ?")
        .bind(token_hash(token))
        .execute(pool)
        .await?;
    Ok(())
}

/// How a callback request ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallbackOutcome {
    /// Queued for the agents, due at the instant.
    Created(OffsetDateTime),
    /// The customer already has an open request from the status page; nothing was added.
    AlreadyOpen,
}

/// Queues a callback task for the agents, at most one open per customer (the table's partial unique
/// index decides, so two tabs posting at once still make one), with its audit row in the same transaction.
pub async fn request_callback(
    pool: &SqlitePool,
    schedule: &Schedule,
    customer_id: i64,
    request: &CallbackRequest,
    address: IpAddr,
    now: OffsetDateTime,
) -> Result<CallbackOutcome, sqlx::Error> {
    let due = callback_due(schedule, now);
    let mut tx = pool.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO callbacks (customer_id, source, phone, preferred_time, reason, due_at, state, created_at) \
         VALUES (?, 'status_page', ?, ?, '', ?, 'open', ?) ON CONFLICT DO NOTHING",
    )
    .bind(customer_id)
    .bind(request.phone.digits())
    .bind(request.preferred_time.code())
    .bind(rfc3339(due.to_offset(time::UtcOffset::UTC)))
    .bind(rfc3339(now))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    let event = AuditEvent::new(Actor::Public, AuditAction::RequestedCallback)
        .from_address(Some(address))
        .customer(customer_id);
    let (outcome, event) = if inserted == 1 {
        (CallbackOutcome::Created(due), event)
    } else {
        (
            CallbackOutcome::AlreadyOpen,
            event.outcome(Outcome::Refused).detail("already_open"),
        )
    };
    crate::audit::record(&mut *tx, &event).await?;
    tx.commit().await?;
    Ok(outcome)
}

/// The FAQ in page order.
pub async fn faq(pool: &SqlitePool) -> Result<Vec<FaqEntry>, sqlx::Error> {
    let rows: Vec<(String, String, String, String)> =
        sqlx::query_as("SELECT question_ja, answer_ja, question_en, answer_en FROM status_faq ORDER BY position, id")
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .map(|(question_ja, answer_ja, question_en, answer_en)| FaqEntry {
            question_ja,
            answer_ja,
            question_en,
            answer_en,
        })
        .collect())
}

/// Replaces the FAQ with `entries` (already checked by [`FaqEntry::parse`]), with its audit row.
pub async fn save_faq(pool: &SqlitePool, entries: &[FaqEntry], event: &AuditEvent) -> Result<(), sqlx::Error> {
    let now = rfc3339(OffsetDateTime::now_utc());
    let mut tx = pool.begin().await?;
    sqlx::query("DELETE FROM status_faq").execute(&mut *tx).await?;
    if !entries.is_empty() {
        let mut insert = sqlx::QueryBuilder::<Sqlite>::new(
            "INSERT INTO status_faq (position, question_ja, answer_ja, question_en, answer_en, updated_at) ",
        );
        insert.push_values(entries.iter().enumerate(), |mut row, (index, entry)| {
            row.push_bind(i64::try_from(index).unwrap_or(i64::MAX).saturating_add(1))
                .push_bind(&entry.question_ja)
                .push_bind(&entry.answer_ja)
                .push_bind(&entry.question_en)
                .push_bind(&entry.answer_en)
                .push_bind(&now);
        });
        insert.build().execute(&mut *tx).await?;
    }
    crate::audit::record(&mut *tx, event).await?;
    tx.commit().await
}

/// How far back the lookup report reaches, and how many addresses it lists.
pub const REPORT_HOURS: i64 = 48;
const REPORT_ADDRESSES: i64 = 20;

/// Read from the audit trail (its `audit_by_action` index), so the report and the trail agree.
pub async fn lookup_report(pool: &SqlitePool, now: OffsetDateTime) -> Result<LookupReport, sqlx::Error> {
    let now = now.to_offset(time::UtcOffset::UTC);
    let current_hour = now
        .replace_minute(0)
        .and_then(|at| at.replace_second(0))
        .and_then(|at| at.replace_nanosecond(0));
    let current_hour = current_hour.unwrap_or(now);
    let since = current_hour - Duration::hours(REPORT_HOURS - 1);
    let counts: Vec<(String, i64, i64, i64)> = sqlx::query_as(
        "SELECT substr(at, 1, 13) AS hour, SUM(outcome = 'ok'), SUM(outcome = 'failed'), SUM(outcome = 'refused') \
         FROM audit_log WHERE action = 'looked_up_status' AND at >= ? GROUP BY hour",
    )
    .bind(rfc3339(since))
    .fetch_all(pool)
    .await?;
    let count = |value: i64| u64::try_from(value).unwrap_or_default();
    let mut hours: Vec<(OffsetDateTime, u64, u64, u64)> = (0..REPORT_HOURS)
        .map(|offset| (since + Duration::hours(offset), 0, 0, 0))
        .collect();
    for (hour, ok, failed, refused) in counts {
        let key = format!("{hour}:00:00Z");
        if let Ok(at) = OffsetDateTime::parse(&key, &Rfc3339)
            && let Some(slot) = hours.iter_mut().find(|slot| slot.0 == at)
        {
            *slot = (at, count(ok), count(failed), count(refused));
        }
    }
    let failures: Vec<u64> = hours.iter().map(|slot| slot.2).collect();
    let spikes = failure_spikes(&failures);
    let clock = time::macros::format_description!("[year]-[month]-[day] [hour]:00");
    let mut report_hours: Vec<LookupHour> = hours
        .into_iter()
        .zip(spikes)
        .map(|((at, succeeded, failed, refused), spike)| LookupHour {
            hour: at.to_offset(crate::calendar::TOKYO).format(clock).unwrap_or_default(),
            succeeded,
            failed,
            refused,
            spike,
        })
        .collect();
    report_hours.reverse();
    let addresses: Vec<(Option<String>, i64, i64)> = sqlx::query_as(
        "SELECT address, SUM(outcome = 'failed') AS failed, SUM(outcome = 'refused') AS refused FROM audit_log \
         WHERE action = 'looked_up_status' AND at >= ? AND outcome <> 'ok' \
         GROUP BY address ORDER BY failed + refused DESC, address LIMIT ?",
    )
    .bind(rfc3339(since))
    .bind(REPORT_ADDRESSES)
    .fetch_all(pool)
    .await?;
    Ok(LookupReport {
        hours: report_hours,
        addresses: addresses
            .into_iter()
            .map(|(address, failed, refused)| LookupAddress {
                address: address.unwrap_or_default(),
                failed: count(failed),
                refused: count(refused),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::CardLast4;

    #[test]
    fn digits_compare_equal_only_when_all_four_match() {
        assert!(same_digits("1234", "1234"));
        assert!(!same_digits("1234", "1235"));
        assert!(!same_digits("----", "1234"));
        assert!(CardLast4::parse("----").is_err(), "the stand-in can never be typed");
    }

    #[test]
    fn the_reference_hash_is_keyed() {
        let code = ReferenceCode::from_random([1; 16]);
        let dir = std::env::temp_dir().join(format!("bd-status-{}", std::process::id()));
        let first = SecretKey::load_or_create(&dir.join("a.key")).expect("key");
        let second = SecretKey::load_or_create(&dir.join("b.key")).expect("key");
        std::fs::remove_dir_all(&dir).expect("clean up");
        assert_eq!(reference_hash(&first, &code).len(), 64);
        assert_ne!(reference_hash(&first, &code), reference_hash(&second, &code));
        assert!(!reference_hash(&first, &code).contains(code.compact()));
    }
}
