//! Bulk status files from card companies: read (UTF-8 or Shift_JIS), dry run against the current
//! states, and apply every row in one transaction or none.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::RngCore;
use rand::rngs::OsRng;
use sqlx::{QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use time::{Date, OffsetDateTime};

use super::{Actor, check_for, record, snapshots};
use crate::case::bulk::{BulkField, BulkReport, RowOutcome, RowReport};
use crate::case::{CaseSnapshot, CaseState, ChangeRequest, CheckedChange, Note, Yen};
use crate::customer::{CardLast4, CsvEncoding, ExternalId, PostalCode, ReferenceCode, parse_order_date};

/// How a row names its customer.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum CustomerKey {
    /// Compact (no hyphens).
    Reference(String),
    External(String),
    Card {
        last4: String,
        postal: String,
    },
}

/// A row whose cells all parsed.
#[derive(Clone, Debug)]
struct ParsedRow {
    key: CustomerKey,
    to: CaseState,
    amount: Option<Yen>,
    effective_on: Option<Date>,
    note: Note,
}

/// A read file: every data row, parsed or with the first cell that failed.
#[derive(Clone, Debug)]
pub struct BulkFile {
    pub file_name: String,
    pub encoding: CsvEncoding,
    rows: Vec<(usize, Result<ParsedRow, BulkField>)>,
}

#[derive(Debug, thiserror::Error)]
pub enum BulkFileError {
    #[error("the file is neither UTF-8 nor Shift_JIS")]
    Undecodable,
    #[error("the file has no header row")]
    Empty,
    #[error("the file has no status column, or no reference code, external id or card last 4 with postal code column")]
    MissingColumns,
    #[error("line {0} is not valid CSV")]
    Malformed(usize),
}

impl BulkFile {
    /// Decodes and parses a whole file. Status files are small (one row per customer at most
    /// a few times over), so it is read in one piece rather than streamed.
    pub fn read(file_name: &str, bytes: &[u8], encoding: CsvEncoding) -> Result<BulkFile, BulkFileError> {
        let encoding = match encoding {
            CsvEncoding::Auto => CsvEncoding::detect(bytes, true),
            chosen => chosen,
        };
        let text = match encoding {
            CsvEncoding::ShiftJis => encoding_rs::SHIFT_JIS
                .decode_without_bom_handling_and_without_replacement(bytes)
                .ok_or(BulkFileError::Undecodable)?,
            _ => {
                let without_bom = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
                std::str::from_utf8(without_bom)
                    .map_err(|_| BulkFileError::Undecodable)?
                    .into()
            }
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(text.as_bytes());
        let mut records = reader.records();
        let header = records
            .next()
            .ok_or(BulkFileError::Empty)?
            .map_err(|_| BulkFileError::Malformed(1))?;
        let columns: Vec<Option<BulkField>> = header.iter().map(BulkField::from_header).collect();
        let has = |field| columns.contains(&Some(field));
        let keyed = has(BulkField::ReferenceCode)
            || has(BulkField::ExternalId)
            || (has(BulkField::CardLast4) && has(BulkField::PostalCode));
        if !has(BulkField::Status) || !keyed {
            return Err(BulkFileError::MissingColumns);
        }
        let mut rows = Vec::new();
        for (index, record) in records.enumerate() {
            let line = index + 2;
            let record = record.map_err(|_| BulkFileError::Malformed(line))?;
            if record.iter().all(|cell| cell.trim().is_empty()) {
                continue;
            }
            let cell = |field: BulkField| {
                columns
                    .iter()
                    .position(|column| *column == Some(field))
                    .and_then(|position| record.get(position))
                    .map(str::trim)
                    .filter(|value| !value.is_empty())
            };
            rows.push((line, parse_row(cell)));
        }
        Ok(BulkFile {
            file_name: file_name.to_owned(),
            encoding,
            rows,
        })
    }
}

fn parse_row<'a>(cell: impl Fn(BulkField) -> Option<&'a str>) -> Result<ParsedRow, BulkField> {
    let key = if let Some(code) = cell(BulkField::ReferenceCode) {
        let code = ReferenceCode::parse(code).map_err(|_| BulkField::ReferenceCode)?;
        CustomerKey::Reference(code.compact().to_owned())
    } else if let Some(id) = cell(BulkField::ExternalId) {
        let id = ExternalId::parse(id).map_err(|_| BulkField::ExternalId)?;
        CustomerKey::External(id.as_str().to_owned())
    } else {
        let last4 = cell(BulkField::CardLast4)
            .and_then(|value| CardLast4::parse(value).ok())
            .ok_or(BulkField::CardLast4)?;
        let postal = cell(BulkField::PostalCode)
            .and_then(|value| PostalCode::parse(value).ok())
            .ok_or(BulkField::PostalCode)?;
        CustomerKey::Card {
            last4: last4.as_str().to_owned(),
            postal: postal.digits().to_owned(),
        }
    };
    let to = cell(BulkField::Status)
        .and_then(CaseState::parse_any)
        .ok_or(BulkField::Status)?;
    let amount = cell(BulkField::Amount)
        .map(Yen::parse)
        .transpose()
        .map_err(|_| BulkField::Amount)?;
    let effective_on = cell(BulkField::Date)
        .map(parse_order_date)
        .transpose()
        .map_err(|_| BulkField::Date)?;
    let note = Note::parse(cell(BulkField::Note).unwrap_or_default()).map_err(|_| BulkField::Note)?;
    Ok(ParsedRow {
        key,
        to,
        amount,
        effective_on,
        note,
    })
}

/// The matched customers of each key: one id, or several for an ambiguous card + postal code.
async fn match_keys(
    conn: &mut SqliteConnection,
    keys: &[&CustomerKey],
) -> Result<HashMap<CustomerKey, Vec<(i64, String)>>, sqlx::Error> {
    let mut found: HashMap<CustomerKey, Vec<(i64, String)>> = HashMap::new();
    let references: Vec<&str> = keys
        .iter()
        .filter_map(|key| match key {
            CustomerKey::Reference(code) => Some(code.as_str()),
            _ => None,
        })
        .collect();
    let externals: Vec<&str> = keys
        .iter()
        .filter_map(|key| match key {
            CustomerKey::External(id) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    let last4s: Vec<&str> = keys
        .iter()
        .filter_map(|key| match key {
            CustomerKey::Card { last4, .. } => Some(last4.as_str()),
            _ => None,
        })
        .collect();
    for (column, values) in [
        ("reference_code", references),
        ("external_id", externals),
        ("card_last4", last4s),
    ] {
        for chunk in values.chunks(500) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "SELECT id, reference_code, external_id, card_last4, postal_code FROM customers WHERE ",
            );
            query.push(column).push(" IN (");
            let mut list = query.separated(", ");
            for value in chunk {
                list.push_bind(*value);
            }
            query.push(")");
            let rows: Vec<(i64, String, Option<String>, String, String)> =
                query.build_query_as().fetch_all(&mut *conn).await?;
            for (id, reference, external, last4, postal) in rows {
                let key = match column {
                    "reference_code" => CustomerKey::Reference(reference.clone()),
                    "external_id" => CustomerKey::External(external.unwrap_or_default()),
                    _ => CustomerKey::Card { last4, postal },
                };
                let entry = found.entry(key).or_default();
                if !entry.iter().any(|(known, _)| *known == id) {
                    entry.push((id, reference));
                }
            }
        }
    }
    Ok(found)
}

/// The changes a clean dry run would write, in file order.
type Planned = Vec<(i64, CaseSnapshot, CheckedChange)>;

/// Checks every row against the customers' current states (and the file's earlier rows for the
/// same customer) without writing anything.
async fn plan(
    conn: &mut SqliteConnection,
    file: &BulkFile,
    actor: Actor,
    today: Date,
) -> Result<(BulkReport, Planned), sqlx::Error> {
    let keys: Vec<&CustomerKey> = file
        .rows
        .iter()
        .filter_map(|(_, row)| row.as_ref().ok().map(|row| &row.key))
        .collect();
    let matches = match_keys(conn, &keys).await?;
    let ids: Vec<i64> = matches.values().flatten().map(|(id, _)| *id).collect();
    let mut states = snapshots(conn, &ids).await?;
    let mut reports = Vec::with_capacity(file.rows.len());
    let mut planned = Vec::new();
    for (line, row) in &file.rows {
        let line = *line;
        let row = match row {
            Ok(row) => row,
            Err(field) => {
                reports.push(RowReport {
                    line,
                    outcome: RowOutcome::InvalidValue(*field),
                    customer: None,
                    to: None,
                });
                continue;
            }
        };
        let report = |outcome, customer: Option<&String>| RowReport {
            line,
            outcome,
            customer: customer
                .map(|code| ReferenceCode::parse(code).map_or_else(|_| code.clone(), |code| code.to_string())),
            to: Some(row.to),
        };
        let (id, reference) = match matches.get(&row.key).map(Vec::as_slice) {
            None | Some([]) => {
                reports.push(report(RowOutcome::Unmatched, None));
                continue;
            }
            Some([(id, reference)]) => (*id, reference),
            Some(_) => {
                reports.push(report(RowOutcome::Ambiguous, None));
                continue;
            }
        };
        let current = states.get(&id).copied().unwrap_or_default();
        let request = ChangeRequest {
            to: row.to,
            amount: row.amount,
            effective_on: row.effective_on.unwrap_or(today),
            note: row.note.clone(),
            correction: false,
        };
        match check_for(&current, request, actor) {
            Ok(change) => {
                states.insert(id, current.after(&change));
                planned.push((id, current, change));
                reports.push(report(RowOutcome::Matched, Some(reference)));
            }
            Err(error) => reports.push(report(RowOutcome::InvalidTransition(error), Some(reference))),
        }
    }
    Ok((BulkReport::from_rows(file.file_name.clone(), reports), planned))
}

/// The dry run: what applying the file would do, with every problem row.
pub async fn dry_run(pool: &SqlitePool, file: &BulkFile, actor: Actor) -> Result<BulkReport, sqlx::Error> {
    let mut conn = pool.acquire().await?;
    Ok(plan(&mut conn, file, actor, crate::calendar::today_in_tokyo()).await?.0)
}

/// What applying did: the bulk update's id when every row was written, else the report of why nothing was.
#[derive(Debug)]
pub enum Applied {
    Done { bulk_update_id: i64, report: BulkReport },
    Refused(BulkReport),
}

/// Plans again inside the write transaction (states may have moved since the dry run) and
/// writes every change, or nothing when any row has a problem.
pub async fn apply(pool: &SqlitePool, file: &BulkFile, actor: Actor) -> Result<Applied, sqlx::Error> {
    let mut tx = pool.begin_with("BEGIN IMMEDIATE").await?;
    let (report, planned) = plan(&mut tx, file, actor, crate::calendar::today_in_tokyo()).await?;
    if !report.can_apply() {
        return Ok(Applied::Refused(report));
    }
    let now = OffsetDateTime::now_utc();
    let staff_id = match actor {
        Actor::Staff { id, .. } => Some(id),
        Actor::System => None,
    };
    let bulk_update_id: i64 = sqlx::query_scalar(
        "INSERT INTO case_bulk_updates (staff_id, file_name, encoding, applied_count, created_at) \
         VALUES (?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(staff_id)
    .bind(&file.file_name)
    .bind(file.encoding.as_str())
    .bind(i64::try_from(planned.len()).unwrap_or(i64::MAX))
    .bind(now)
    .fetch_one(&mut *tx)
    .await?;
    for (customer_id, current, change) in &planned {
        record(
            &mut tx,
            *customer_id,
            *current,
            change,
            actor,
            Some(bulk_update_id),
            now,
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Applied::Done { bulk_update_id, report })
}

/// A read file waiting for a manager's confirmation, kept in memory for [`PENDING_FOR`].
#[derive(Clone, Debug)]
struct PendingFile {
    file: BulkFile,
    staff_id: i64,
    created: Instant,
}

/// An hour: long enough to read the dry run, short enough that an abandoned one does not linger.
const PENDING_FOR: Duration = Duration::from_secs(60 * 60);

/// Uploaded files between the dry run and the confirmation, under a random token, so the
/// confirmation (a plain form post) need not upload the file again. Only the staff member who
/// uploaded a file can confirm it.
#[derive(Clone, Debug, Default)]
pub struct PendingFiles(Arc<Mutex<HashMap<String, PendingFile>>>);

impl PendingFiles {
    pub fn keep(&self, file: BulkFile, staff_id: i64) -> String {
        let mut bytes = [0u8; 16];
        OsRng.fill_bytes(&mut bytes);
        let token: String = bytes.iter().map(|byte| format!("{byte:02x}")).collect();
        let mut pending = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        pending.retain(|_, kept| kept.created.elapsed() < PENDING_FOR);
        pending.insert(
            token.clone(),
            PendingFile {
                file,
                staff_id,
                created: Instant::now(),
            },
        );
        token
    }

    pub fn get(&self, token: &str, staff_id: i64) -> Option<BulkFile> {
        let pending = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        pending
            .get(token)
            .filter(|kept| kept.staff_id == staff_id && kept.created.elapsed() < PENDING_FOR)
            .map(|kept| kept.file.clone())
    }

    pub fn forget(&self, token: &str) {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .remove(token);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_with_japanese_headers_and_status_names_is_read_row_by_row() {
        let text = "受付番号,状況,日付,金額,備考\n\
                    ,再発行済,2017/09/01,,\n\
                    ZZZZ,返金済,2017-10-02,\"12,000\",振込\n\
                    ,わからない,,,\n";
        let file = BulkFile::read("カード会社.csv", text.as_bytes(), CsvEncoding::Auto).unwrap();
        assert_eq!(file.encoding, CsvEncoding::Utf8);
        let lines: Vec<usize> = file.rows.iter().map(|(line, _)| *line).collect();
        assert_eq!(lines, vec![2, 3, 4]);
        assert!(matches!(file.rows[0].1, Err(BulkField::CardLast4)));
        assert!(matches!(file.rows[1].1, Err(BulkField::ReferenceCode)));
    }

    #[test]
    fn a_shift_jis_file_with_card_and_postal_code_columns_is_read() {
        let text = "カード下4桁,郵便番号,状況,金額\n1234,〒970-8026,返金手続中,\"￥8,640\"\n";
        let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(text);
        let file = BulkFile::read("sjis.csv", &bytes, CsvEncoding::Auto).unwrap();
        assert_eq!(file.encoding, CsvEncoding::ShiftJis);
        let row = file.rows[0].1.as_ref().unwrap();
        assert_eq!(
            row.key,
            CustomerKey::Card {
                last4: "1234".into(),
                postal: "9708026".into()
            }
        );
        assert_eq!(row.amount, Yen::new(8_640).ok());
    }

    #[test]
    fn a_file_without_a_status_or_a_customer_column_is_refused() {
        assert!(matches!(
            BulkFile::read("a.csv", "受付番号,備考\n".as_bytes(), CsvEncoding::Auto),
            Err(BulkFileError::MissingColumns)
        ));
        assert!(matches!(
            BulkFile::read("b.csv", "郵便番号,状況\n".as_bytes(), CsvEncoding::Auto),
            Err(BulkFileError::MissingColumns)
        ));
        assert!(matches!(
            BulkFile::read("c.csv", b"", CsvEncoding::Auto),
            Err(BulkFileError::Empty)
        ));
    }
}
