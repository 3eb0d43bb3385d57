//! The identity check before a case is discussed, and what an agent changes for a verified caller:
//! address or email corrections (kept with history) and requests to send the letter again.

use sqlx::SqlitePool;
use time::{Duration, OffsetDateTime};

use super::stamp;
use crate::audit::{Actor, AuditAction, AuditEvent};
use crate::call::{IdentityCheck, IdentityFact};
use crate::customer::{Address, CardLast4, Email, PhoneNumber, PostalCode, ReferenceCode};

/// How long a passed check lets the agent see the customer: about one call and its follow-up.
pub const CHECK_VALID_FOR: Duration = Duration::minutes(30);

/// What the caller said, as the agent typed it; blank for facts not asked.
#[derive(Clone, Debug, Default)]
pub struct CallerAnswers {
    pub reference_code: String,
    pub postal_code: String,
    pub phone: String,
    pub card_last4: String,
}

/// Compares the caller's answers with the customer's stored values and records which kinds
/// matched (never the values). `None` when there is no such customer.
pub async fn check(
    pool: &SqlitePool,
    customer_id: i64,
    answers: &CallerAnswers,
    event: AuditEvent,
) -> Result<Option<IdentityCheck>, sqlx::Error> {
    let stored: Option<(String, String, Option<String>, String)> =
        sqlx::query_as("SELECT reference_code, postal_code, phone, card_last4 FROM customers WHERE id = ?")
            .bind(customer_id)
            .fetch_optional(pool)
            .await?;
    let Some((reference_code, postal_code, phone, card_last4)) = stored else {
        return Ok(None);
    };
    let mut matched = Vec::new();
    if ReferenceCode::parse(&answers.reference_code).is_ok_and(|code| code.compact() == reference_code) {
        matched.push(IdentityFact::ReferenceCode);
    }
    if PostalCode::parse(&answers.postal_code).is_ok_and(|code| code.digits() == postal_code) {
        matched.push(IdentityFact::PostalCode);
    }
    if PhoneNumber::parse(&answers.phone).is_ok_and(|given| phone.as_deref() == Some(given.digits())) {
        matched.push(IdentityFact::Phone);
    }
    if CardLast4::parse(&answers.card_last4).is_ok_and(|last4| last4.as_str() == card_last4) {
        matched.push(IdentityFact::CardLast4);
    }
    let check = IdentityCheck::new(matched);
    let Actor::Staff(staff_id) = event.actor else {
        return Ok(Some(check));
    };
    let mut tx = pool.begin().await?;
    sqlx::query(
        "INSERT INTO identity_checks (customer_id, staff_id, confirmed, passed, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(customer_id)
    .bind(staff_id)
    .bind(check.codes())
    .bind(check.passed())
    .bind(stamp(OffsetDateTime::now_utc()))
    .execute(&mut *tx)
    .await?;
    let outcome = if check.passed() { "passed" } else { "failed" };
    crate::audit::record(
        &mut *tx,
        &event
            .customer(customer_id)
            .detail(format!("{outcome} {}", check.codes())),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(check))
}

/// The staff member's latest check of this customer within [`CHECK_VALID_FOR`] of `now`.
pub async fn recent_check(
    pool: &SqlitePool,
    customer_id: i64,
    staff_id: i64,
    now: OffsetDateTime,
) -> Result<Option<IdentityCheck>, sqlx::Error> {
    let confirmed: Option<String> = sqlx::query_scalar(
        "SELECT confirmed FROM identity_checks WHERE customer_id = ? AND staff_id = ? AND created_at >= ? \
         ORDER BY id DESC LIMIT 1",
    )
    .bind(customer_id)
    .bind(staff_id)
    .bind(stamp(now - CHECK_VALID_FOR))
    .fetch_optional(pool)
    .await?;
    Ok(confirmed.map(|codes| IdentityCheck::from_codes(codes.split(','))))
}

/// A letter came back or an email bounced after the customer's last contact correction.
pub async fn returned_mail(pool: &SqlitePool, customer_id: i64) -> Result<bool, sqlx::Error> {
    let flagged: i64 = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM deliveries d WHERE d.customer_id = ?1 AND d.state IN ('returned', 'bounced') \
           AND julianday(d.updated_at) > julianday(COALESCE((SELECT MAX(created_at) FROM contact_changes \
             WHERE customer_id = ?1), '0001-01-01')))",
    )
    .bind(customer_id)
    .fetch_one(pool)
    .await?;
    Ok(flagged == 1)
}

/// A new address or email for the customer.
pub enum ContactCorrection {
    Address { postal_code: PostalCode, address: Address },
    Email(Email),
}

/// Changes the customer's address or email, keeps the old and new value in `contact_changes`
/// (which also clears the returned-mail flag) and records `changed_contact`. `false` when there
/// is no such customer.
pub async fn correct_contact(
    pool: &SqlitePool,
    customer_id: i64,
    correction: &ContactCorrection,
    event: AuditEvent,
) -> Result<bool, sqlx::Error> {
    let Actor::Staff(staff_id) = event.actor else {
        return Ok(false);
    };
    let mut tx = pool.begin().await?;
    let current: Option<(String, String, Option<String>)> =
        sqlx::query_as("SELECT postal_code, address, email FROM customers WHERE id = ?")
            .bind(customer_id)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((postal_code, address, email)) = current else {
        return Ok(false);
    };
    let now = stamp(OffsetDateTime::now_utc());
    let (field, old, new) = match correction {
        ContactCorrection::Address {
            postal_code: new_postal,
            address: new_address,
        } => {
            sqlx::query("UPDATE customers SET postal_code = ?, address = ?, updated_at = ? WHERE id = ?")
                .bind(new_postal.digits())
                .bind(new_address.as_str())
                .bind(&now)
                .bind(customer_id)
                .execute(&mut *tx)
                .await?;
            let old_postal = PostalCode::parse(&postal_code).map_or(postal_code, |code| code.to_string());
            (
                "address",
                format!("〒{old_postal} {address}"),
                format!("〒{new_postal} {}", new_address.as_str()),
            )
        }
        ContactCorrection::Email(new_email) => {
            sqlx::query("UPDATE customers SET email = ?, updated_at = ? WHERE id = ?")
                .bind(new_email.as_str())
                .bind(&now)
                .bind(customer_id)
                .execute(&mut *tx)
                .await?;
            ("email", email.unwrap_or_default(), new_email.as_str().to_owned())
        }
    };
    sqlx::query(
        "INSERT INTO contact_changes (customer_id, staff_id, field, old_value, new_value, created_at) \
         VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(customer_id)
    .bind(staff_id)
    .bind(field)
    .bind(old)
    .bind(new)
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    crate::audit::record(&mut *tx, &event.customer(customer_id).detail(field)).await?;
    tx.commit().await?;
    Ok(true)
}

/// Records the customer's request for the letter or email again, for the letters desk. `false`
/// when there is no such customer.
pub async fn request_resend(
    pool: &SqlitePool,
    customer_id: i64,
    letter: bool,
    staff_id: i64,
    address: Option<std::net::IpAddr>,
) -> Result<bool, sqlx::Error> {
    let channel = if letter { "letter" } else { "email" };
    let mut tx = pool.begin().await?;
    let inserted = sqlx::query(
        "INSERT INTO resend_requests (customer_id, staff_id, channel, created_at) \
         SELECT id, ?, ?, ? FROM customers WHERE id = ?",
    )
    .bind(staff_id)
    .bind(channel)
    .bind(stamp(OffsetDateTime::now_utc()))
    .bind(customer_id)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if inserted {
        let event = AuditEvent::new(Actor::Staff(staff_id), AuditAction::LoggedCall)
            .from_address(address)
            .customer(customer_id)
            .object("resend_request")
            .detail(channel);
        crate::audit::record(&mut *tx, &event).await?;
    }
    tx.commit().await?;
    Ok(inserted)
}
