//! Server-side staff sessions: a random token in a signed cookie, its SHA-256 in the database.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore;
use rand::rngs::OsRng;
use sha2::{Digest, Sha256};
use sqlx::SqlitePool;
use time::{Duration, OffsetDateTime};

use crate::secret::SecretKey;
use crate::staff::StaffMember;

/// Name of the session cookie.
pub const COOKIE_NAME: &str = "bd_session";

/// Last-seen times are written at most this often, so reading a page is not a write every time.
const TOUCH_INTERVAL: Duration = Duration::minutes(1);

/// A signed-in staff member and the session they came with.
#[derive(Clone, Debug)]
pub struct Session {
    pub staff: StaffMember,
    /// The database key of the session (the token's hash), used to keep it on a password change.
    pub token_hash: String,
}

/// Starts a session and returns the cookie value `token.signature`.
pub async fn start(pool: &SqlitePool, key: &SecretKey, staff_id: i64) -> Result<String, sqlx::Error> {
    let mut token = [0u8; 32];
    OsRng.fill_bytes(&mut token);
    let token = URL_SAFE_NO_PAD.encode(token);
    let now = OffsetDateTime::now_utc();
    sqlx::query("INSERT INTO sessions (token_hash, staff_id, created_at, last_seen_at) VALUES (?, ?, ?, ?)")
        .bind(token_hash(&token))
        .bind(staff_id)
        .bind(now)
        .bind(now)
        .execute(pool)
        .await?;
    Ok(format!("{token}.{}", sign(key, &token)))
}

/// The session a cookie value belongs to, if it is genuine, not idle too long and its account is enabled.
pub async fn resolve(
    pool: &SqlitePool,
    key: &SecretKey,
    cookie_value: &str,
    idle_expiry: Duration,
    now: OffsetDateTime,
) -> Result<Option<Session>, sqlx::Error> {
    let Some(token) = verified_token(key, cookie_value) else {
        return Ok(None);
    };
    let hash = token_hash(token);
    let row: Option<(i64, String, String, String, OffsetDateTime)> = sqlx::query_as(
        "SELECT staff.id, staff.email, staff.display_name, staff.role, sessions.last_seen_at \
         FROM sessions JOIN staff ON staff.id = sessions.staff_id \
         WHERE sessions.token_hash = ? AND staff.disabled_at IS NULL",
    )
    .bind(&hash)
    .fetch_optional(pool)
    .await?;
    let Some((id, email, display_name, role, last_seen_at)) = row else {
        return Ok(None);
    };
    if now - last_seen_at > idle_expiry {
        end_by_hash(pool, &hash).await?;
        return Ok(None);
    }
    if now - last_seen_at > TOUCH_INTERVAL {
        sqlx::query("UPDATE sessions SET last_seen_at = ? WHERE token_hash = ?")
            .bind(now)
            .bind(&hash)
            .execute(pool)
            .await?;
    }
    let Ok(role) = crate::role::Role::parse(&role) else {
        return Ok(None);
    };
    Ok(Some(Session {
        staff: StaffMember {
            id,
            email,
            display_name,
            role,
            disabled: false,
        },
        token_hash: hash,
    }))
}

/// Ends the session a cookie value belongs to (sign-out); an unknown value is ignored.
pub async fn end(pool: &SqlitePool, key: &SecretKey, cookie_value: &str) -> Result<(), sqlx::Error> {
    match verified_token(key, cookie_value) {
        Some(token) => end_by_hash(pool, &token_hash(token)).await,
        None => Ok(()),
    }
}

async fn end_by_hash(pool: &SqlitePool, hash: &str) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
        .bind(hash)
        .execute(pool)
        .await?;
    Ok(())
}

/// Removes sessions idle longer than the expiry; run now and then by a background task.
pub async fn purge_idle(pool: &SqlitePool, idle_expiry: Duration, now: OffsetDateTime) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM sessions WHERE last_seen_at < ?")
        .bind(now - idle_expiry)
        .execute(pool)
        .await?
        .rows_affected())
}

fn verified_token<'a>(key: &SecretKey, cookie_value: &'a str) -> Option<&'a str> {
    let (token, signature) = cookie_value.split_once('.')?;
    let signature = URL_SAFE_NO_PAD.decode(signature).ok()?;
    let mut mac = mac(key);
    mac.update(token.as_bytes());
    // verify_slice compares in constant time.
    mac.verify_slice(&signature).ok().map(|()| token)
}

fn sign(key: &SecretKey, token: &str) -> String {
    let mut mac = mac(key);
    mac.update(token.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

fn mac(key: &SecretKey) -> Hmac<Sha256> {
    <Hmac<Sha256> as Mac>::new_from_slice(key.bytes()).expect("HMAC takes keys of any length")
}

fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}
