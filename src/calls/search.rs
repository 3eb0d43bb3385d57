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
