//! Staff accounts in the database: creation, listing, disabling, passwords and throttled sign-in.

use std::net::IpAddr;
use std::time::Duration;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use rand::Rng;
use rand::rngs::OsRng;
use sqlx::SqlitePool;
use time::OffsetDateTime;

use crate::role::Role;
use crate::staff::{DisplayName, NewPassword, StaffEmail, StaffMember};

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("an account with this email address already exists")]
    EmailTaken,
    #[error("no such staff account")]
    NotFound,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("password hashing failed")]
    Hashing,
}

#[derive(Debug, thiserror::Error)]
pub enum SignInError {
    /// Wrong address, wrong password or a disabled account: callers must not tell which.
    #[error("the email address or password is not correct")]
    Rejected,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("password hashing failed")]
    Hashing,
}

#[derive(sqlx::FromRow)]
struct StaffRow {
    id: i64,
    email: String,
    display_name: String,
    role: String,
    disabled_at: Option<OffsetDateTime>,
}

impl StaffRow {
    fn into_member(self) -> StaffMember {
        StaffMember {
            id: self.id,
            email: self.email,
            display_name: self.display_name,
            // The CHECK constraint keeps unknown roles out; fall back to the least power if one slips in.
            role: Role::parse(&self.role).unwrap_or(Role::Agent),
            disabled: self.disabled_at.is_some(),
        }
    }
}

const STAFF_COLUMNS: &str = "id, email, display_name, role, disabled_at";

pub async fn create(
    pool: &SqlitePool,
    email: &StaffEmail,
    display_name: &DisplayName,
    role: Role,
    password: &NewPassword,
) -> Result<StaffMember, AccountError> {
    let hash = hash_password(password.expose().to_owned()).await?;
    let now = OffsetDateTime::now_utc();
    let inserted = sqlx::query_scalar::<_, i64>(
        "INSERT INTO staff (email, display_name, role, password_hash, created_at, password_changed_at) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(email.as_str())
    .bind(display_name.as_str())
    .bind(role.as_str())
    .bind(hash)
    .bind(now)
    .bind(now)
    .fetch_one(pool)
    .await;
    match inserted {
        Ok(id) => Ok(StaffMember {
            id,
            email: email.as_str().to_owned(),
            display_name: display_name.as_str().to_owned(),
            role,
            disabled: false,
        }),
        Err(sqlx::Error::Database(error)) if error.is_unique_violation() => Err(AccountError::EmailTaken),
        Err(error) => Err(error.into()),
    }
}

pub async fn list(pool: &SqlitePool) -> Result<Vec<StaffMember>, sqlx::Error> {
    let rows: Vec<StaffRow> = sqlx::query_as(&format!(
        "SELECT {STAFF_COLUMNS} FROM staff ORDER BY disabled_at IS NOT NULL, role DESC, display_name"
    ))
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().map(StaffRow::into_member).collect())
}

pub async fn find(pool: &SqlitePool, id: i64) -> Result<StaffMember, AccountError> {
    let row: Option<StaffRow> = sqlx::query_as(&format!("SELECT {STAFF_COLUMNS} FROM staff WHERE id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    row.map(StaffRow::into_member).ok_or(AccountError::NotFound)
}

pub async fn find_by_email(pool: &SqlitePool, email: &StaffEmail) -> Result<StaffMember, AccountError> {
    let row: Option<StaffRow> = sqlx::query_as(&format!("SELECT {STAFF_COLUMNS} FROM staff WHERE email = ?"))
        .bind(email.as_str())
        .fetch_optional(pool)
        .await?;
    row.map(StaffRow::into_member).ok_or(AccountError::NotFound)
}

pub async fn count(pool: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COUNT(*) FROM staff").fetch_one(pool).await
}

/// Disables or re-enables an account; disabling also ends its sessions at once.
pub async fn set_disabled(pool: &SqlitePool, id: i64, disabled: bool) -> Result<(), AccountError> {
    let mut tx = pool.begin().await?;
    let disabled_at = disabled.then(OffsetDateTime::now_utc);
    let changed = sqlx::query("UPDATE staff SET disabled_at = ? WHERE id = ?")
        .bind(disabled_at)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(AccountError::NotFound);
    }
    if disabled {
        sqlx::query("DELETE FROM sessions WHERE staff_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Sets a new password and ends every session of the account except `keep_session` (the caller's own).
pub async fn set_password(
    pool: &SqlitePool,
    id: i64,
    password: &NewPassword,
    keep_session: Option<&str>,
) -> Result<(), AccountError> {
    let hash = hash_password(password.expose().to_owned()).await?;
    let mut tx = pool.begin().await?;
    let changed = sqlx::query("UPDATE staff SET password_hash = ?, password_changed_at = ? WHERE id = ?")
        .bind(hash)
        .bind(OffsetDateTime::now_utc())
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
    if changed == 0 {
        return Err(AccountError::NotFound);
    }
    sqlx::query("DELETE FROM sessions WHERE staff_id = ? AND token_hash IS NOT ?")
        .bind(id)
        .bind(keep_session)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Checks a password the staff member typed against their current one.
pub async fn password_matches(pool: &SqlitePool, id: i64, password: String) -> Result<bool, AccountError> {
    let hash: Option<String> = sqlx::query_scalar("SELECT password_hash FROM staff WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await?;
    let hash = hash.ok_or(AccountError::NotFound)?;
    verify_password(password, hash).await.map_err(|_| AccountError::Hashing)
}

/// Verifies a sign-in, after a delay that grows with the recent failures of the account and of the address.
pub async fn sign_in(
    pool: &SqlitePool,
    email_input: &str,
    password: String,
    address: IpAddr,
) -> Result<StaffMember, SignInError> {
    let email = StaffEmail::parse(email_input).ok();
    let email_subject = email.as_ref().map(|email| format!("email:{email}"));
    let address_subject = format!("address:{address}");

    let failures: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(failures), 0) FROM sign_in_failures WHERE subject IN (?, ?)")
            .bind(&email_subject)
            .bind(&address_subject)
            .fetch_one(pool)
            .await?;
    tokio::time::sleep(throttle_delay(failures)).await;

    let row: Option<(i64, String, Option<OffsetDateTime>)> = match &email {
        Some(email) => {
            sqlx::query_as("SELECT id, password_hash, disabled_at FROM staff WHERE email = ?")
                .bind(email.as_str())
                .fetch_optional(pool)
                .await?
        }
        None => None,
    };
    // Verify against a real hash even for an unknown address, so timing does not reveal which addresses exist.
    let (id, hash, enabled) = match row {
        Some((id, hash, disabled_at)) => (Some(id), hash, disabled_at.is_none()),
        None => (None, unknown_account_hash().await?, false),
    };
    let password_ok = verify_password(password, hash)
        .await
        .map_err(|_| SignInError::Hashing)?;

    match id {
        Some(id) if password_ok && enabled => {
            sqlx::query("DELETE FROM sign_in_failures WHERE subject IN (?, ?)")
                .bind(&email_subject)
                .bind(&address_subject)
                .execute(pool)
                .await?;
            find(pool, id).await.map_err(|error| match error {
                AccountError::Database(error) => SignInError::Database(error),
                _ => SignInError::Rejected,
            })
        }
        _ => {
            record_failure(pool, email_subject.as_deref()).await?;
            record_failure(pool, Some(&address_subject)).await?;
            Err(SignInError::Rejected)
        }
    }
}

/// No delay for the first three failures, then 1 s, 2 s, 4 s … up to 30 s.
fn throttle_delay(failures: i64) -> Duration {
    if failures < 3 {
        Duration::ZERO
    } else {
        let exponent = u32::try_from((failures - 3).min(5)).unwrap_or(5);
        Duration::from_secs((1u64 << exponent).min(30))
    }
}

async fn record_failure(pool: &SqlitePool, subject: Option<&str>) -> Result<(), sqlx::Error> {
    let Some(subject) = subject else { return Ok(()) };
    sqlx::query(
        "INSERT INTO sign_in_failures (subject, failures, last_failed_at) VALUES (?, 1, ?) \
         ON CONFLICT (subject) DO UPDATE SET failures = failures + 1, last_failed_at = excluded.last_failed_at",
    )
    .bind(subject)
    .bind(OffsetDateTime::now_utc())
    .execute(pool)
    .await?;
    Ok(())
}

/// A readable random password for new accounts and resets: 16 characters without look-alikes.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ";
    let mut rng = OsRng;
    (0..16)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect()
}

async fn hash_password(password: String) -> Result<String, AccountError> {
    // argon2id takes tens of milliseconds of CPU: keep it off the async workers.
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| hash.to_string())
    })
    .await
    .map_err(|_| AccountError::Hashing)?
    .map_err(|_| AccountError::Hashing)
}

async fn verify_password(password: String, hash: String) -> Result<bool, argon2::password_hash::Error> {
    tokio::task::spawn_blocking(move || {
        let parsed = PasswordHash::new(&hash)?;
        Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(Err(argon2::password_hash::Error::Crypto))
}

async fn unknown_account_hash() -> Result<String, SignInError> {
    static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    HASH.get_or_try_init(|| async { hash_password(generate_password()).await })
        .await
        .cloned()
        .map_err(|_| SignInError::Hashing)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_three_failures_are_not_delayed_and_later_ones_grow_to_thirty_seconds() {
        assert_eq!(throttle_delay(0), Duration::ZERO);
        assert_eq!(throttle_delay(2), Duration::ZERO);
        assert_eq!(throttle_delay(3), Duration::from_secs(1));
        assert_eq!(throttle_delay(5), Duration::from_secs(4));
        assert_eq!(throttle_delay(100), Duration::from_secs(30));
    }

    #[test]
    fn generated_passwords_are_long_enough_and_differ() {
        let first = generate_password();
        assert!(NewPassword::parse(first.clone()).is_ok());
        assert_ne!(first, generate_password());
    }
}
