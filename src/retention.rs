//! Retention: when the programme closes, customers' personal data is blanked and the anonymous
//! counts (case states, deliveries, card brands) and the audit trail are kept.
//!
//! What is blanked, per customer whose last activity is before the cutoff: name (''), kana,
//! email, phone and the sender's customer number (NULL), address (''), postal code ('0000000', the
//! shortest value the column's CHECK allows), the card's last 4 ('0000') and keyed fingerprint
//! (zeros: with the deployment key it would still tell whether a known card was in the breach),
//! and agents' notes on the customer's case events. The reference code is replaced by a fresh
//! random one rather than kept: the old code is printed on a letter in the customer's hands and
//! would still find their case on the status page; blanking it is not possible (it is unique and
//! the letters parse it).

use serde::{Deserialize, Serialize};
use time::Date;
use time::macros::format_description;

/// The purge's cutoff day: customers whose last activity is before 00:00 Tokyo time on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeCutoff(Date);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CutoffError {
    #[error("write the date as YYYY-MM-DD")]
    Malformed,
    #[error("the date may be tomorrow at the latest: a purge cannot reach activity that has not happened yet")]
    Future,
}

impl PurgeCutoff {
    /// `today` is the Tokyo date now; tomorrow is the latest cutoff (everything up to tonight).
    pub fn parse(input: &str, today: Date) -> Result<PurgeCutoff, CutoffError> {
        let date = Date::parse(input.trim(), format_description!("[year]-[month]-[day]"))
            .map_err(|_| CutoffError::Malformed)?;
        match today.next_day() {
            Some(latest) if date <= latest => Ok(PurgeCutoff(date)),
            _ => Err(CutoffError::Future),
        }
    }

    pub fn date(self) -> Date {
        self.0
    }
}

/// What a purge did, or with a dry run would do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PurgeSummary {
    pub customers: u64,
}

#[cfg(feature = "server")]
pub use store::{preview, purge};

#[cfg(feature = "server")]
mod store {
    use rand::RngCore;
    use rand::rngs::OsRng;
    use sqlx::{QueryBuilder, Sqlite, SqlitePool};
    use time::format_description::well_known::Rfc3339;
    use time::{OffsetDateTime, Time};

    use super::{PurgeCutoff, PurgeSummary};
    use crate::audit::{Actor, AuditAction, AuditEvent};
    use crate::calendar::TOKYO;
    use crate::customer::ReferenceCode;

    /// A customer's last activity: their row, their case, a case event, a delivery, or an audit event
    /// about them (a staff member viewing them, the customer looking up their status). `?1` is the cutoff.
    const STALE_CUSTOMERS: &str = "FROM customers c \
         WHERE c.purged_at IS NULL \
           AND julianday(c.updated_at) < julianday(?1) \
           AND NOT EXISTS (SELECT 1 FROM customer_cases k WHERE k.customer_id = c.id AND julianday(k.updated_at) >= julianday(?1)) \
           AND NOT EXISTS (SELECT 1 FROM case_events e WHERE e.customer_id = c.id AND julianday(e.created_at) >= julianday(?1)) \
           AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.customer_id = c.id AND julianday(d.updated_at) >= julianday(?1)) \
           AND NOT EXISTS (SELECT 1 FROM audit_log a WHERE a.customer_id = c.id AND julianday(a.at) >= julianday(?1))";

    /// 64 zeros: the CHECK wants 64 characters, and no HMAC output is all zeros in practice.
    const BLANK_FINGERPRINT: &str = "0000000000000000000000000000000000000000000000000000000000000000";

    /// Rows per insert into the temporary table: two binds each, far below SQLite's bind limit.
    const BATCH: usize = 2_000;

    fn instant(cutoff: PurgeCutoff) -> String {
        cutoff
            .date()
            .with_time(Time::MIDNIGHT)
            .assume_offset(TOKYO)
            .format(&Rfc3339)
            .unwrap_or_default()
    }

    /// The dry run: how many customers a purge with this cutoff would blank. Writes nothing.
    pub async fn preview(pool: &SqlitePool, cutoff: PurgeCutoff) -> Result<PurgeSummary, sqlx::Error> {
        let count: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) {STALE_CUSTOMERS}"))
            .bind(instant(cutoff))
            .fetch_one(pool)
            .await?;
        Ok(PurgeSummary {
            customers: u64::try_from(count).unwrap_or_default(),
        })
    }

    /// Blanks the personal data of every customer whose last activity is before the cutoff, in one
    /// transaction with its audit event (`purged_personal_data`, the count as detail), then rewrites
    /// the database file so the old values are gone from disk too, not only from the tables.
    pub async fn purge(
        pool: &SqlitePool,
        cutoff: PurgeCutoff,
        actor: Actor,
        address: Option<std::net::IpAddr>,
    ) -> Result<PurgeSummary, sqlx::Error> {
        let mut conn = pool.acquire().await?;
        // Overwrites freed cells with zeros instead of leaving the old bytes in the page.
        sqlx::query("PRAGMA secure_delete = ON").execute(&mut *conn).await?;
        let summary = blank(&mut conn, cutoff, actor, address).await;
        sqlx::query("PRAGMA secure_delete = OFF").execute(&mut *conn).await?;
        let summary = summary?;
        // Copies made earlier (page splits, the write-ahead log) can still hold the old values:
        // VACUUM rebuilds the file from live rows, and the checkpoint empties the log. The purge is
        // committed either way, so a failure here is reported, not returned.
        if let Err(error) = sqlx::query("VACUUM").execute(&mut *conn).await {
            tracing::error!(%error, "purged, but cannot rewrite the database file; run VACUUM by hand");
        } else if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut *conn).await {
            tracing::error!(%error, "purged, but cannot empty the write-ahead log");
        }
        Ok(summary)
    }

    async fn blank(
        conn: &mut sqlx::SqliteConnection,
        cutoff: PurgeCutoff,
        actor: Actor,
        address: Option<std::net::IpAddr>,
    ) -> Result<PurgeSummary, sqlx::Error> {
        use sqlx::Connection;
        let mut tx = conn.begin().await?;
        let ids: Vec<i64> = sqlx::query_scalar(&format!("SELECT c.id {STALE_CUSTOMERS}"))
            .bind(instant(cutoff))
            .fetch_all(&mut *tx)
            .await?;
        // Each customer gets its own new code, drawn here; a temporary table carries them into one UPDATE.
        sqlx::query("CREATE TEMP TABLE purge_targets (customer_id INTEGER PRIMARY KEY, reference_code TEXT NOT NULL)")
            .execute(&mut *tx)
            .await?;
        for chunk in ids.chunks(BATCH) {
            let mut insert =
                QueryBuilder::<Sqlite>::new("INSERT INTO temp.purge_targets (customer_id, reference_code) ");
            insert.push_values(chunk, |mut row, id| {
                row.push_bind(*id).push_bind(new_reference_code().compact().to_owned());
            });
            insert.build().execute(&mut *tx).await?;
        }
        let now = OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default();
        // A clash of a new code with an existing one (odds about 1 in 4 × 10⁹ per customer) fails the
        // UNIQUE constraint and rolls the whole purge back; running it again draws new codes.
        sqlx::query(
            "UPDATE customers SET name = '', name_kana = NULL, postal_code = '0000000', address = '', email = NULL, \
             phone = NULL, external_id = NULL, card_last4 = '0000', card_fingerprint = ?1, \
             reference_code = t.reference_code, purged_at = ?2, updated_at = ?2 \
             FROM temp.purge_targets t WHERE customers.id = t.customer_id",
        )
        .bind(BLANK_FINGERPRINT)
        .bind(&now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE case_events SET note = '' \
             WHERE note <> '' AND customer_id IN (SELECT customer_id FROM temp.purge_targets)",
        )
        .execute(&mut *tx)
        .await?;
        // The call desk's free text and numbers about them: notes, callback numbers and reasons,
        // escalation reasons, and the old and new addresses of contact corrections.
        for blank in [
            "UPDATE calls SET notes = '', caller_phone = '' WHERE customer_id IN (SELECT customer_id FROM temp.purge_targets)",
            "UPDATE callbacks SET phone = '', reason = '' WHERE customer_id IN (SELECT customer_id FROM temp.purge_targets)",
            "UPDATE escalations SET reason = '', resolution = '' \
             WHERE customer_id IN (SELECT customer_id FROM temp.purge_targets)",
            "UPDATE contact_changes SET old_value = '', new_value = '' \
             WHERE customer_id IN (SELECT customer_id FROM temp.purge_targets)",
        ] {
            sqlx::query(blank).execute(&mut *tx).await?;
        }
        // The name index kept the old names' trigrams in older segments beside their deletion
        // markers; merging all segments drops them.
        sqlx::query("INSERT INTO customers_fts (customers_fts) VALUES ('optimize')")
            .execute(&mut *tx)
            .await?;
        sqlx::query("DROP TABLE temp.purge_targets").execute(&mut *tx).await?;
        let summary = PurgeSummary {
            customers: ids.len() as u64,
        };
        let event = AuditEvent::new(actor, AuditAction::PurgedPersonalData)
            .from_address(address)
            .object(format!("before:{}", cutoff.date()))
            .detail(summary.customers.to_string());
        crate::audit::record(&mut *tx, &event).await?;
        tx.commit().await?;
        Ok(summary)
    }

    fn new_reference_code() -> ReferenceCode {
        let mut bytes = [0u8; 16];
        OsRng.fill_bytes(&mut bytes);
        ReferenceCode::from_random(bytes)
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn a_cutoff_is_a_date_up_to_tomorrow() {
        let today = date!(2018 - 03 - 31);
        assert_eq!(
            PurgeCutoff::parse(" 2018-01-05 ", today).map(PurgeCutoff::date),
            Ok(date!(2018 - 01 - 05))
        );
        assert_eq!(
            PurgeCutoff::parse("2018-04-01", today).map(PurgeCutoff::date),
            Ok(date!(2018 - 04 - 01))
        );
        assert_eq!(PurgeCutoff::parse("2018-04-02", today), Err(CutoffError::Future));
        for malformed in ["", "2018/01/05", "2018-02-30", "yesterday"] {
            assert_eq!(
                PurgeCutoff::parse(malformed, today),
                Err(CutoffError::Malformed),
                "{malformed:?}"
            );
        }
    }

    #[cfg(feature = "server")]
    mod store {
        use super::*;
        use crate::audit::Actor;
        use crate::customer::ReferenceCode;

        #[tokio::test]
        async fn a_dry_run_on_an_empty_database_counts_nothing_and_a_purge_still_leaves_its_audit_row() {
            let pool = crate::db::in_memory().await;
            let cutoff = PurgeCutoff::parse("2018-01-05", date!(2018 - 03 - 31)).unwrap();
            assert_eq!(preview(&pool, cutoff).await.unwrap().customers, 0);
            assert_eq!(
                purge(&pool, cutoff, Actor::CommandLine, None).await.unwrap().customers,
                0
            );
            let (action, object, detail): (String, String, String) =
                sqlx::query_as("SELECT action, object, detail FROM audit_log")
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            assert_eq!(
                (action.as_str(), object.as_str(), detail.as_str()),
                ("purged_personal_data", "before:2018-01-05", "0")
            );
        }

        #[tokio::test]
        async fn a_case_events_note_may_be_blanked_but_nothing_else_about_the_event_changed() {
            let pool = crate::db::in_memory().await;
            crate::db::record_test_import(&pool).await;
            sqlx::query(
                "INSERT INTO customers (id, reference_code, name, card_brand, card_last4, card_fingerprint, postal_code, \
                 address, created_at, updated_at, import_id) VALUES (1, 'AAAAAAAAAA', '山田太郎', 'visa', '1234', ?1, \
                 '1000001', '東京都', '2017-07-01T00:00:00Z', '2017-07-01T00:00:00Z', 1)",
            )
            .bind("a".repeat(64))
            .execute(&pool)
            .await
            .unwrap();
            sqlx::query(
                "INSERT INTO case_events (customer_id, kind, from_state, to_state, effective_on, note, correction, \
                 created_at) VALUES (1, 'reissue', 'not_started', 'requested', '2017-07-20', '090-1234-5678 に折り返し', 0, \
                 '2017-07-20T00:00:00Z')",
            )
            .execute(&pool)
            .await
            .unwrap();
            let changed = sqlx::query("UPDATE case_events SET to_state = 'reissued'")
                .execute(&pool)
                .await;
            assert!(changed.is_err(), "the state of an event is never changed");
            let renoted = sqlx::query("UPDATE case_events SET note = 'other'")
                .execute(&pool)
                .await;
            assert!(renoted.is_err(), "a note is never rewritten, only blanked");

            let cutoff = PurgeCutoff::parse("2018-01-05", date!(2018 - 03 - 31)).unwrap();
            assert_eq!(
                purge(&pool, cutoff, Actor::CommandLine, None).await.unwrap().customers,
                1
            );
            let (name, postal_code, reference_code, purged): (String, String, String, Option<String>) =
                sqlx::query_as("SELECT name, postal_code, reference_code, purged_at FROM customers")
                    .fetch_one(&pool)
                    .await
                    .unwrap();
            assert_eq!((name.as_str(), postal_code.as_str()), ("", "0000000"));
            assert_ne!(reference_code, "AAAAAAAAAA");
            assert!(
                ReferenceCode::parse(&reference_code).is_ok(),
                "letters still parse the new code"
            );
            assert!(purged.is_some());
            let note: String = sqlx::query_scalar("SELECT note FROM case_events")
                .fetch_one(&pool)
                .await
                .unwrap();
            assert_eq!(note, "");
        }
    }
}
