//! The incident profile: the facts every letter, email, status page and agent screen reads.

use serde::{Deserialize, Serialize};
use time::Date;

/// One incident per deployment, as the company announced it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncidentProfile {
    pub company_name: String,
    pub representative: String,
    pub shop_name: String,
    pub shop_url: String,
    pub title: String,
    pub affected_from: Date,
    pub affected_until: Date,
    pub leaked_items: String,
    pub announced_customers: u32,
    pub cause_summary: String,
    pub measures_taken: String,
    pub hotline_name: String,
    pub hotline_number: String,
    pub letter_sender: String,
    pub status_page_url: String,
}

#[cfg(feature = "server")]
mod store {
    use super::IncidentProfile;
    use sqlx::SqlitePool;
    use time::OffsetDateTime;

    #[derive(sqlx::FromRow)]
    struct IncidentRow {
        company_name: String,
        representative: String,
        shop_name: String,
        shop_url: String,
        title: String,
        affected_from: time::Date,
        affected_until: time::Date,
        leaked_items: String,
        announced_customers: i64,
        cause_summary: String,
        measures_taken: String,
        hotline_name: String,
        hotline_number: String,
        letter_sender: String,
        status_page_url: String,
    }

    impl IncidentProfile {
        /// The deployment's incident, or `None` before one is loaded.
        pub async fn load(pool: &SqlitePool) -> Result<Option<IncidentProfile>, sqlx::Error> {
            let row: Option<IncidentRow> = sqlx::query_as(
                "SELECT company_name, representative, shop_name, shop_url, title, affected_from, \
                 affected_until, leaked_items, announced_customers, cause_summary, measures_taken, \
                 hotline_name, hotline_number, letter_sender, status_page_url FROM incident WHERE id = 1",
            )
            .fetch_optional(pool)
            .await?;
            Ok(row.map(|row| IncidentProfile {
                company_name: row.company_name,
                representative: row.representative,
                shop_name: row.shop_name,
                shop_url: row.shop_url,
                title: row.title,
                affected_from: row.affected_from,
                affected_until: row.affected_until,
                leaked_items: row.leaked_items,
                announced_customers: u32::try_from(row.announced_customers).unwrap_or(u32::MAX),
                cause_summary: row.cause_summary,
                measures_taken: row.measures_taken,
                hotline_name: row.hotline_name,
                hotline_number: row.hotline_number,
                letter_sender: row.letter_sender,
                status_page_url: row.status_page_url,
            }))
        }

        /// Writes the profile as the deployment's incident, replacing any earlier version.
        pub async fn save<'e, E>(&self, executor: E) -> Result<(), sqlx::Error>
        where
            E: sqlx::Executor<'e, Database = sqlx::Sqlite>,
        {
            sqlx::query(
                "INSERT INTO incident (id, company_name, representative, shop_name, shop_url, title, \
                 affected_from, affected_until, leaked_items, announced_customers, cause_summary, \
                 measures_taken, hotline_name, hotline_number, letter_sender, status_page_url, updated_at) \
                 VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                 ON CONFLICT (id) DO UPDATE SET company_name = excluded.company_name, \
                 representative = excluded.representative, shop_name = excluded.shop_name, \
                 shop_url = excluded.shop_url, title = excluded.title, affected_from = excluded.affected_from, \
                 affected_until = excluded.affected_until, leaked_items = excluded.leaked_items, \
                 announced_customers = excluded.announced_customers, cause_summary = excluded.cause_summary, \
                 measures_taken = excluded.measures_taken, hotline_name = excluded.hotline_name, \
                 hotline_number = excluded.hotline_number, letter_sender = excluded.letter_sender, \
                 status_page_url = excluded.status_page_url, updated_at = excluded.updated_at",
            )
            .bind(&self.company_name)
            .bind(&self.representative)
            .bind(&self.shop_name)
            .bind(&self.shop_url)
            .bind(&self.title)
            .bind(self.affected_from)
            .bind(self.affected_until)
            .bind(&self.leaked_items)
            .bind(i64::from(self.announced_customers))
            .bind(&self.cause_summary)
            .bind(&self.measures_taken)
            .bind(&self.hotline_name)
            .bind(&self.hotline_number)
            .bind(&self.letter_sender)
            .bind(&self.status_page_url)
            .bind(OffsetDateTime::now_utc())
            .execute(executor)
            .await?;
            Ok(())
        }
    }
}
