//! The customer export: every customer with their notification, reissue and refund states, for
//! spreadsheets. No card data beyond the brand and the last 4 digits.

use sqlx::SqlitePool;

use crate::case::{RefundState, ReissueState, Yen};
use crate::customer::{CardBrand, CsvEncoding};

#[derive(sqlx::FromRow)]
struct ExportRow {
    reference_code: String,
    external_id: Option<String>,
    name: String,
    card_brand: String,
    card_last4: String,
    postal_code: String,
    email: Option<String>,
    email_state: Option<String>,
    letter_state: Option<String>,
    reissue_state: Option<String>,
    refund_state: Option<String>,
    refund_amount_yen: Option<i64>,
    refunded_on: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error(transparent)]
    Database(#[from] sqlx::Error),
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] csv::Error),
}

/// A channel's outcome for one customer in words: the best state any of its deliveries reached.
fn channel_words(state: Option<&str>) -> &'static str {
    match state {
        Some("sent") => "送付済",
        Some("bounced") => "不達",
        Some("returned") => "返戻",
        Some("failed_permanent") => "送付失敗",
        Some("queued" | "sending" | "failed_temporary") => "送付待ち",
        _ => "未送付",
    }
}

const HEADER: [&str; 13] = [
    "受付番号",
    "顧客番号",
    "氏名",
    "カードブランド",
    "カード下4桁",
    "郵便番号",
    "メールアドレス",
    "メール通知",
    "郵送通知",
    "カード再発行",
    "返金",
    "返金額",
    "返金日",
];

/// The whole customer list as CSV bytes: UTF-8 with a BOM (so Excel reads it as UTF-8) or
/// Shift_JIS. Characters Shift_JIS lacks are written as `&#NNNNN;`, which keeps them recoverable.
pub async fn customers_csv(pool: &SqlitePool, encoding: CsvEncoding) -> Result<Vec<u8>, ExportError> {
    // Per customer and channel the most advanced delivery: sent beats bounced/returned beats waiting.
    let rows: Vec<ExportRow> = sqlx::query_as(
        "SELECT c.reference_code, c.external_id, c.name, c.card_brand, c.card_last4, c.postal_code, c.email, \
         d.email_state, d.letter_state, cc.reissue_state, cc.refund_state, cc.refund_amount_yen, cc.refunded_on \
         FROM customers c \
         LEFT JOIN customer_cases cc ON cc.customer_id = c.id \
         LEFT JOIN (SELECT customer_id, \
             CASE MAX(CASE WHEN channel = 'email' THEN rank END) \
               WHEN 5 THEN 'sent' WHEN 4 THEN 'bounced' WHEN 3 THEN 'failed_permanent' WHEN 2 THEN 'queued' END AS email_state, \
             CASE MAX(CASE WHEN channel = 'letter' THEN rank END) \
               WHEN 5 THEN 'sent' WHEN 4 THEN 'returned' WHEN 3 THEN 'failed_permanent' WHEN 2 THEN 'queued' END AS letter_state \
           FROM (SELECT customer_id, channel, CASE state WHEN 'sent' THEN 5 WHEN 'bounced' THEN 4 WHEN 'returned' THEN 4 \
                   WHEN 'failed_permanent' THEN 3 WHEN 'cancelled' THEN 1 ELSE 2 END AS rank FROM deliveries) \
           GROUP BY customer_id) d ON d.customer_id = c.id \
         ORDER BY c.id",
    )
    .fetch_all(pool)
    .await?;
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    writer.write_record(HEADER)?;
    for row in rows {
        let brand = CardBrand::from_code(&row.card_brand).unwrap_or(CardBrand::Unknown);
        let reissue = row
            .reissue_state
            .as_deref()
            .and_then(ReissueState::from_code)
            .unwrap_or_default();
        let refund = row
            .refund_state
            .as_deref()
            .and_then(RefundState::from_code)
            .unwrap_or_default();
        let amount = row
            .refund_amount_yen
            .and_then(|amount| Yen::new(amount).ok())
            .map(Yen::get)
            .map(|amount| amount.to_string())
            .unwrap_or_default();
        writer.write_record([
            row.reference_code.as_str(),
            row.external_id.as_deref().unwrap_or_default(),
            row.name.as_str(),
            brand.label(),
            row.card_last4.as_str(),
            row.postal_code.as_str(),
            row.email.as_deref().unwrap_or_default(),
            channel_words(row.email_state.as_deref()),
            channel_words(row.letter_state.as_deref()),
            reissue.label_ja(),
            refund.label_ja(),
            amount.as_str(),
            row.refunded_on.as_deref().unwrap_or_default(),
        ])?;
    }
    let utf8 = writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))?;
    Ok(match encoding {
        // Every field was a Rust string, so the lossy conversion never replaces anything.
        CsvEncoding::ShiftJis => encoding_rs::SHIFT_JIS
            .encode(&String::from_utf8_lossy(&utf8))
            .0
            .into_owned(),
        _ => [b"\xEF\xBB\xBF".as_slice(), &utf8].concat(),
    })
}
