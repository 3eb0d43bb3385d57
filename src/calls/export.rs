//! The desk's report over a date range and the call-log CSV export (UTF-8 with BOM, or Shift_JIS).

use sqlx::SqlitePool;
use time::{Date, OffsetDateTime, Time};

use super::stamp;
use crate::calendar::TOKYO;
use crate::call::Outcome;
use crate::call::report::{CallFact, CallReport, aggregate};
use crate::customer::CsvEncoding;

/// From 00:00 Tokyo on `from` to the end of `until`, as stored UTC text.
fn range(from: Date, until: Date) -> (String, String) {
    let start = from.with_time(Time::MIDNIGHT).assume_offset(TOKYO);
    let end = until
        .next_day()
        .unwrap_or(until)
        .with_time(Time::MIDNIGHT)
        .assume_offset(TOKYO);
    (stamp(start), stamp(end))
}

/// Each call's category is its code's parent, or the code itself when it is a category.
const CATEGORY_JOIN: &str = "JOIN disposition_codes d ON d.id = k.disposition_id \
     JOIN disposition_codes g ON g.id = COALESCE(d.parent_id, d.id)";

/// The report's figures for the calls received in the range.
pub async fn report(pool: &SqlitePool, from: Date, until: Date) -> Result<CallReport, sqlx::Error> {
    let (start, end) = range(from, until);
    let rows: Vec<(String, bool, String, String, String, i64)> = sqlx::query_as(&format!(
        "SELECT k.received_at, k.in_hours, g.label_ja, g.label_en, k.outcome, k.talk_minutes FROM calls k \
         {CATEGORY_JOIN} WHERE k.received_at >= ? AND k.received_at < ? ORDER BY k.received_at"
    ))
    .bind(start)
    .bind(end)
    .fetch_all(pool)
    .await?;
    let facts: Vec<CallFact> = rows
        .into_iter()
        .filter_map(|(at, in_hours, ja, en, outcome, minutes)| {
            Some(CallFact {
                received_at: OffsetDateTime::parse(&at, &time::format_description::well_known::Rfc3339).ok()?,
                in_hours,
                category: (ja, en),
                outcome: Outcome::from_code(&outcome)?,
                talk_minutes: u16::try_from(minutes).ok()?,
            })
        })
        .collect();
    Ok(aggregate(&facts))
}

const HEADER: [&str; 12] = [
    "受付日時",
    "受付時間内",
    "回線",
    "発信者番号",
    "受付番号",
    "分類",
    "小分類",
    "結果",
    "通話時間（分）",
    "担当者",
    "メモ",
    "通話ID",
];

/// The calls received in the range, oldest first, as CSV: UTF-8 with a BOM (so Excel reads it as
/// UTF-8) or Shift_JIS. Notes were masked when saved, so the file holds no card numbers.
pub async fn calls_csv(
    pool: &SqlitePool,
    from: Date,
    until: Date,
    encoding: CsvEncoding,
) -> Result<Vec<u8>, anyhow::Error> {
    let (start, end) = range(from, until);
    type Row = (
        i64,
        String,
        bool,
        String,
        String,
        Option<String>,
        String,
        String,
        String,
        i64,
        String,
        String,
    );
    let rows: Vec<Row> = sqlx::query_as(&format!(
        "SELECT k.id, k.received_at, k.in_hours, k.line, k.caller_phone, c.reference_code, g.label_ja, \
         CASE WHEN d.parent_id IS NULL THEN '' ELSE d.label_ja END, k.outcome, k.talk_minutes, s.display_name, k.notes \
         FROM calls k {CATEGORY_JOIN} JOIN staff s ON s.id = k.staff_id LEFT JOIN customers c ON c.id = k.customer_id \
         WHERE k.received_at >= ? AND k.received_at < ? ORDER BY k.received_at, k.id"
    ))
    .bind(start)
    .bind(end)
    .fetch_all(pool)
    .await?;
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    writer.write_record(HEADER)?;
    for (id, at, in_hours, line, phone, reference, category, sub, outcome, minutes, staff, notes) in rows {
        let outcome = Outcome::from_code(&outcome).map_or(outcome, |outcome| outcome.labels().0.to_owned());
        writer.write_record([
            tokyo(&at).as_str(),
            if in_hours { "時間内" } else { "時間外" },
            line.as_str(),
            phone.as_str(),
            reference.as_deref().unwrap_or_default(),
            category.as_str(),
            sub.as_str(),
            outcome.as_str(),
            minutes.to_string().as_str(),
            staff.as_str(),
            notes.as_str(),
            id.to_string().as_str(),
        ])?;
    }
    let utf8 = writer.into_inner().map_err(|error| error.into_error())?;
    Ok(match encoding {
        // Every field was a Rust string, so the lossy conversion never replaces anything; characters
        // Shift_JIS lacks become `&#NNNNN;`, which keeps them recoverable.
        CsvEncoding::ShiftJis => encoding_rs::SHIFT_JIS
            .encode(&String::from_utf8_lossy(&utf8))
            .0
            .into_owned(),
        _ => [b"\xEF\xBB\xBF".as_slice(), &utf8].concat(),
    })
}

/// `2017-12-29 18:00`, Tokyo time.
fn tokyo(stored: &str) -> String {
    OffsetDateTime::parse(stored, &time::format_description::well_known::Rfc3339)
        .ok()
        .and_then(|at| {
            at.to_offset(TOKYO)
                .format(time::macros::format_description!(
                    "[year]-[month]-[day] [hour]:[minute]"
                ))
                .ok()
        })
        .unwrap_or_else(|| stored.to_owned())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    #[test]
    fn a_date_range_runs_from_tokyo_midnight_to_the_next_midnight() {
        assert_eq!(
            super::range(date!(2017 - 12 - 29), date!(2018 - 01 - 02)),
            (
                "2017-12-28T15:00:00.000Z".to_owned(),
                "2018-01-02T15:00:00.000Z".to_owned()
            )
        );
    }
}
