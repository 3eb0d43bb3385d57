//! Finding the caller: the customer search's reading of the box and its indexes, a short list of
//! masked matches.

use sqlx::{QueryBuilder, Sqlite, SqlitePool};

use crate::call::CallerMatch;
use crate::call::wire::{mask_phone, mask_postal_code, mask_reference_code};
use crate::customer::{CardBrand, CardLast4, MaskedCard};
use crate::customers::{CustomerSearch, push_filter};

/// Most matches shown while typing: more means the agent should type more.
pub const CALLER_LIMIT: i64 = 20;

pub(crate) type CallerRow = (
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    String,
    Option<String>,
);

pub(crate) const CALLER_COLUMNS: &str =
    "SELECT id, reference_code, name, name_kana, card_brand, card_last4, postal_code, phone FROM customers";

/// Up to [`CALLER_LIMIT`] customers matching `search`, masked. An empty box finds nobody.
pub async fn find_callers(pool: &SqlitePool, search: &CustomerSearch) -> Result<Vec<CallerMatch>, sqlx::Error> {
    if *search == CustomerSearch::All {
        return Ok(Vec::new());
    }
    let mut query = QueryBuilder::<Sqlite>::new(CALLER_COLUMNS);
    push_filter(&mut query, search);
    query.push(" ORDER BY id LIMIT ").push_bind(CALLER_LIMIT);
    let rows: Vec<CallerRow> = query.build_query_as().fetch_all(pool).await?;
    Ok(rows.into_iter().filter_map(caller).collect())
}

/// One customer, masked; `None` when there is no such customer.
pub async fn caller_by_id(pool: &SqlitePool, id: i64) -> Result<Option<CallerMatch>, sqlx::Error> {
    let row: Option<CallerRow> = sqlx::query_as(&format!("{CALLER_COLUMNS} WHERE id = ?"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    Ok(row.and_then(caller))
}

pub(crate) fn caller(row: CallerRow) -> Option<CallerMatch> {
    let (id, reference_code, name, name_kana, brand, last4, postal_code, phone) = row;
    let Ok(last4) = CardLast4::parse(&last4) else {
        tracing::error!(customer = id, "a stored card_last4 is not four digits");
        return None;
    };
    Some(CallerMatch {
        id,
        name,
        name_kana,
        reference_code: mask_reference_code(&reference_code),
        card: MaskedCard {
            brand: CardBrand::from_code(&brand).unwrap_or(CardBrand::Unknown),
            last4,
        },
        postal_code: mask_postal_code(&postal_code),
        phone: phone.as_deref().map(mask_phone),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn with_customer(name: &str, kana: &str, phone: &str) -> SqlitePool {
        let pool = crate::db::in_memory().await;
        crate::db::record_test_import(&pool).await;
        sqlx::query(
            "INSERT INTO customers (id, reference_code, name, name_kana, card_brand, card_last4, card_fingerprint, \
             postal_code, address, phone, created_at, updated_at, import_id) VALUES (1, 'AAAAAAAAAA', ?1, ?2, 'visa', \
             '1234', ?3, '9708026', 'いわき市', ?4, '2017-07-01T00:00:00Z', '2017-07-01T00:00:00Z', 1)",
        )
        .bind(name)
        .bind(kana)
        .bind("a".repeat(64))
        .bind(phone)
        .execute(&pool)
        .await
        .expect("customer");
        pool
    }

    async fn found(pool: &SqlitePool, input: &str) -> Vec<i64> {
        let search = CustomerSearch::parse(input).expect("search");
        let matches = find_callers(pool, &search).await.expect("find");
        matches.into_iter().map(|caller| caller.id).collect()
    }

    /// The index keeps no copy of the text: it must hold exactly the tokens of the customers' current values.
    async fn assert_index_in_step(pool: &SqlitePool) {
        sqlx::query("INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')")
            .execute(pool)
            .await
            .expect("the search index matches the customers table");
    }

    #[tokio::test]
    async fn a_new_customer_is_found_by_part_of_the_name_reading_and_phone() {
        let pool = with_customer("山田 太郎", "ヤマダ タロウ", "09012345678").await;
        assert_eq!(found(&pool, "田太郎").await, [1]);
        assert_eq!(found(&pool, "やまだたろう").await, [1]);
        assert_eq!(found(&pool, "12345").await, [1]);
        assert_eq!(found(&pool, "山田").await, [1]);
        assert_index_in_step(&pool).await;
    }

    #[tokio::test]
    async fn a_changed_name_and_phone_are_found_by_their_new_values_and_no_longer_by_the_old() {
        let pool = with_customer("山田 太郎", "ヤマダ タロウ", "09012345678").await;
        sqlx::query("UPDATE customers SET name = '佐藤 花子', name_kana = NULL, phone = '08055556666' WHERE id = 1")
            .execute(&pool)
            .await
            .expect("update");
        assert_index_in_step(&pool).await;
        assert_eq!(found(&pool, "藤花子").await, [1]);
        assert_eq!(found(&pool, "55556").await, [1]);
        assert!(found(&pool, "田太郎").await.is_empty());
        assert!(found(&pool, "ヤマダタロウ").await.is_empty());
        assert!(found(&pool, "12345").await.is_empty());
    }

    #[tokio::test]
    async fn a_deleted_customer_leaves_the_search_index() {
        let pool = with_customer("山田 太郎", "ヤマダ タロウ", "09012345678").await;
        sqlx::query("DELETE FROM customers WHERE id = 1")
            .execute(&pool)
            .await
            .expect("delete");
        assert_index_in_step(&pool).await;
        let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers_fts WHERE customers_fts MATCH '田太郎'")
            .fetch_one(&pool)
            .await
            .expect("count");
        assert_eq!(left, 0);
    }
}
