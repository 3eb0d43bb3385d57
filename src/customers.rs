//! The staff customer list: one search box over reference code, name, phone, postal code and card last 4, paged.
//!
//! The wire types compile everywhere (the page renders them in the browser too); the
//! queries are `server`-only. Only the masked card ever leaves the database.

use serde::{Deserialize, Serialize};

use crate::customer::MaskedCard;

/// Rows per page: a screenful for a phone agent.
pub const PAGE_SIZE: u32 = 50;

/// One customer as a staff list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerSummary {
    pub id: i64,
    /// Grouped for reading, e.g. `K7QX-3MHT-9PABF`.
    pub reference_code: String,
    pub name: String,
    pub name_kana: Option<String>,
    pub card: MaskedCard,
    /// `970-8026`
    pub postal_code: String,
    pub address: String,
    /// Grouped, e.g. `090-1234-5678`.
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// One page of a search.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomerPage {
    pub customers: Vec<CustomerSummary>,
    /// Matches over all pages.
    pub total: u64,
    /// 1-based.
    pub page: u32,
    pub pages: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("a search term has at most {} characters", CustomerSearch::MAX_CHARS)]
pub struct SearchTooLong;

/// What the search box was read as; each kind uses its own index or column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CustomerSearch {
    All,
    ReferenceCode(String),
    /// Four digits: the last 4 of a card.
    CardLast4(String),
    /// Seven digits: a postal code (with or without 〒 and hyphen).
    PostalCode(String),
    /// Ten or eleven digits starting with 0: a whole phone number.
    Phone(String),
    /// Other digits: part of a phone number.
    PhonePart(String),
    /// Anything else: part of the name in kanji (spaces ignored) or of its reading in kana.
    Name {
        name: String,
        kana: Option<String>,
    },
}

impl CustomerSearch {
    /// Which kind of key was typed: what the audit trail keeps instead of the search term itself.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::All => "all",
            Self::ReferenceCode(_) => "reference_code",
            Self::CardLast4(_) => "card_last4",
            Self::PostalCode(_) => "postal_code",
            Self::Phone(_) | Self::PhonePart(_) => "phone",
            Self::Name { .. } => "name",
        }
    }

    /// The longest search term: longer than any name, address or number, and far below SQLite's
    /// limit on a LIKE pattern (a 100 KB term made the query fail).
    pub const MAX_CHARS: usize = 200;

    /// Reads what staff type: full-width digits and hyphens, hiragana for kana, codes in any case.
    pub fn parse(input: &str) -> Result<Self, SearchTooLong> {
        if input.chars().count() > Self::MAX_CHARS {
            return Err(SearchTooLong);
        }
        Ok(Self::read(input))
    }

    fn read(input: &str) -> Self {
        use crate::customer::width::{fold_number, fold_width};
        use crate::customer::{NameKana, ReferenceCode};

        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Self::All;
        }
        if let Ok(code) = ReferenceCode::parse(trimmed) {
            return Self::ReferenceCode(code.compact().to_owned());
        }
        let number = fold_number(trimmed);
        let is_number = number
            .chars()
            .all(|c| c.is_ascii_digit() || c == '-' || c == '〒' || c.is_whitespace());
        let digits: String = number.chars().filter(char::is_ascii_digit).collect();
        if is_number && !digits.is_empty() {
            return match digits.len() {
                4 => Self::CardLast4(digits),
                7 => Self::PostalCode(digits),
                10 | 11 if digits.starts_with('0') => Self::Phone(digits),
                _ => Self::PhonePart(digits),
            };
        }
        // Control characters never occur in a name, and a NUL would end the full-text query early.
        let name: String = fold_width(trimmed)
            .chars()
            .filter(|c| !c.is_whitespace() && !c.is_control())
            .collect();
        let kana = NameKana::parse(trimmed).ok().map(|kana| kana.as_str().replace(' ', ""));
        Self::Name { name, kana }
    }
}

#[cfg(feature = "server")]
pub(crate) use server::push_filter;
#[cfg(feature = "server")]
pub use server::*;

#[cfg(feature = "server")]
mod server {
    use sqlx::{QueryBuilder, Sqlite, SqlitePool};

    use super::{CustomerPage, CustomerSearch, CustomerSummary, PAGE_SIZE};
    use crate::customer::{CardBrand, CardLast4, MaskedCard, PhoneNumber, PostalCode, ReferenceCode};

    #[derive(sqlx::FromRow)]
    struct Row {
        id: i64,
        reference_code: String,
        name: String,
        name_kana: Option<String>,
        card_brand: String,
        card_last4: String,
        postal_code: String,
        address: String,
        phone: Option<String>,
        email: Option<String>,
    }

    /// One page of customers matching `search`, in import order. Every kind of key uses an index:
    /// names, readings and parts of phone numbers the trigram table `customers_fts`.
    pub async fn search(pool: &SqlitePool, search: &CustomerSearch, page: u32) -> Result<CustomerPage, sqlx::Error> {
        let mut count = QueryBuilder::<Sqlite>::new("SELECT COUNT(*) FROM customers");
        push_filter(&mut count, search);
        let total: i64 = count.build_query_scalar().fetch_one(pool).await?;
        let total = u64::try_from(total).unwrap_or_default();
        let pages = u32::try_from(total.div_ceil(u64::from(PAGE_SIZE)))
            .unwrap_or(u32::MAX)
            .max(1);
        let page = page.clamp(1, pages);

        let mut select = QueryBuilder::<Sqlite>::new(
            "SELECT id, reference_code, name, name_kana, card_brand, card_last4, postal_code, address, phone, email \
             FROM customers",
        );
        push_filter(&mut select, search);
        select.push(" ORDER BY id LIMIT ").push_bind(i64::from(PAGE_SIZE));
        select
            .push(" OFFSET ")
            .push_bind(i64::from(page - 1) * i64::from(PAGE_SIZE));
        let rows: Vec<Row> = select.build_query_as().fetch_all(pool).await?;
        Ok(CustomerPage {
            customers: rows.into_iter().filter_map(summary).collect(),
            total,
            page,
            pages,
        })
    }

    /// One customer by id, masked as in the list; `None` when there is no such customer.
    pub async fn find(pool: &SqlitePool, id: i64) -> Result<Option<CustomerSummary>, sqlx::Error> {
        let row: Option<Row> = sqlx::query_as(
            "SELECT id, reference_code, name, name_kana, card_brand, card_last4, postal_code, address, phone, email \
             FROM customers WHERE id = ?",
        )
        .bind(id)
        .fetch_optional(pool)
        .await?;
        Ok(row.and_then(summary))
    }

    /// The WHERE clause for `search`; the call desk's caller search shares it.
    pub(crate) fn push_filter(query: &mut QueryBuilder<'_, Sqlite>, search: &CustomerSearch) {
        match search {
            CustomerSearch::All => {}
            CustomerSearch::ReferenceCode(code) => {
                query.push(" WHERE reference_code = ").push_bind(code.clone());
            }
            CustomerSearch::CardLast4(last4) => {
                query.push(" WHERE card_last4 = ").push_bind(last4.clone());
            }
            CustomerSearch::PostalCode(digits) => {
                query.push(" WHERE postal_code = ").push_bind(digits.clone());
            }
            CustomerSearch::Phone(digits) => {
                query.push(" WHERE phone = ").push_bind(digits.clone());
            }
            CustomerSearch::PhonePart(digits) if digits.chars().count() >= TRIGRAM => {
                query
                    .push(" WHERE id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ")
                    .push_bind(fts_phrase("phone", digits))
                    .push(")");
            }
            CustomerSearch::PhonePart(digits) => {
                query.push(" WHERE phone LIKE ").push_bind(format!("%{digits}%"));
            }
            CustomerSearch::Name { name, kana } => {
                let terms: Vec<(&str, &str)> = std::iter::once(("name", name.as_str()))
                    .chain(kana.as_deref().map(|kana| ("name_kana", kana)))
                    .collect();
                query.push(" WHERE ");
                // Terms of three characters or more go to the trigram index together, in one MATCH.
                let (long, short): (Vec<_>, Vec<_>) =
                    terms.into_iter().partition(|(_, term)| term.chars().count() >= TRIGRAM);
                let mut first = true;
                if !long.is_empty() {
                    let phrases: Vec<String> = long.iter().map(|(column, term)| fts_phrase(column, term)).collect();
                    query
                        .push("id IN (SELECT rowid FROM customers_fts WHERE customers_fts MATCH ")
                        .push_bind(phrases.join(" OR "))
                        .push(")");
                    first = false;
                }
                for (column, term) in short {
                    if !first {
                        query.push(" OR ");
                    }
                    first = false;
                    // A prefix as a range over the compact-name index: 山田 finds 山田 太郎.
                    let compact = format!("replace({column}, ' ', '')");
                    query
                        .push(format!("({compact} >= "))
                        .push_bind(term.to_owned())
                        .push(format!(" AND {compact} < "))
                        .push_bind(format!("{term}\u{10FFFF}"))
                        .push(")");
                }
            }
        }
    }

    /// The shortest term the trigram index can answer; shorter ones match from the start of the name.
    const TRIGRAM: usize = 3;

    /// `name : "term"`, the term quoted as an FTS5 string (its own quotes doubled), so its
    /// characters are never read as query syntax.
    fn fts_phrase(column: &str, term: &str) -> String {
        format!("{column} : \"{}\"", term.replace('"', "\"\""))
    }

    /// Stored values were validated on import; should one not parse again it is shown as stored
    /// (a card's last 4 cannot be: such a row is logged and left out rather than shown wrong).
    fn summary(row: Row) -> Option<CustomerSummary> {
        let reference_code =
            ReferenceCode::parse(&row.reference_code).map_or(row.reference_code, |code| code.to_string());
        let postal_code = PostalCode::parse(&row.postal_code).map_or(row.postal_code, |code| code.to_string());
        let phone = row
            .phone
            .map(|digits| PhoneNumber::parse(&digits).map_or(digits, |phone| phone.to_string()));
        let brand = CardBrand::from_code(&row.card_brand).unwrap_or(CardBrand::Unknown);
        let Ok(last4) = CardLast4::parse(&row.card_last4) else {
            tracing::error!(customer = row.id, "a stored card_last4 is not four digits");
            return None;
        };
        Some(CustomerSummary {
            id: row.id,
            reference_code,
            name: row.name,
            name_kana: row.name_kana,
            card: MaskedCard { brand, last4 },
            postal_code,
            address: row.address,
            phone,
            email: row.email,
        })
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn quotes_in_a_search_term_stay_inside_the_fts_string() {
            assert_eq!(fts_phrase("name", "a\"b OR c"), "name : \"a\"\"b OR c\"");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_search_term_longer_than_the_limit_is_refused() {
        assert_eq!(
            CustomerSearch::parse(&"山".repeat(CustomerSearch::MAX_CHARS + 1)),
            Err(SearchTooLong)
        );
        assert!(CustomerSearch::parse(&"山".repeat(CustomerSearch::MAX_CHARS)).is_ok());
    }

    #[test]
    fn a_reference_code_is_recognised_with_hyphens_lower_case_or_in_full_width() {
        let code = crate::customer::ReferenceCode::from_random([7; 16]);
        let expected = CustomerSearch::ReferenceCode(code.compact().to_owned());
        assert_eq!(CustomerSearch::read(&code.to_string()), expected);
        assert_eq!(CustomerSearch::read(&code.compact().to_lowercase()), expected);
        let full_width: String = code
            .to_string()
            .chars()
            .map(|c| {
                if c == '-' {
                    '－'
                } else {
                    char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
                }
            })
            .collect();
        assert_eq!(CustomerSearch::read(&full_width), expected);
    }

    #[test]
    fn digits_are_read_by_their_count() {
        assert_eq!(
            CustomerSearch::read("１２３４"),
            CustomerSearch::CardLast4("1234".into())
        );
        assert_eq!(
            CustomerSearch::read("〒970-8026"),
            CustomerSearch::PostalCode("9708026".into())
        );
        assert_eq!(
            CustomerSearch::read("０９０－１２３４－５６７８"),
            CustomerSearch::Phone("09012345678".into())
        );
        assert_eq!(CustomerSearch::read("5678"), CustomerSearch::CardLast4("5678".into()));
        assert_eq!(
            CustomerSearch::read("1234-56"),
            CustomerSearch::PhonePart("123456".into())
        );
    }

    #[test]
    fn words_search_the_name_and_a_kana_reading_in_either_script() {
        assert_eq!(
            CustomerSearch::read("やまだ たろう"),
            CustomerSearch::Name {
                name: "やまだたろう".into(),
                kana: Some("ヤマダタロウ".into())
            }
        );
        assert_eq!(
            CustomerSearch::read("山田"),
            CustomerSearch::Name {
                name: "山田".into(),
                kana: None
            }
        );
        assert_eq!(CustomerSearch::read("   "), CustomerSearch::All);
    }

    #[test]
    fn control_characters_are_dropped_from_a_name_search() {
        assert_eq!(
            CustomerSearch::read("山田\u{0000}太郎"),
            CustomerSearch::Name {
                name: "山田太郎".into(),
                kana: None
            }
        );
    }
}
