//! The import service: parse on one core, match and write on the other, one transaction.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use rand::RngCore;
use rand::rngs::OsRng;
use sqlx::{Connection, QueryBuilder, Sqlite, SqliteConnection, SqlitePool};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{ImportCounts, ImportRecord, ImportReport};
use crate::customer::{CsvEncoding, CustomerCsvReader, CustomerRecord, FileError, ReferenceCode, RowError, RowProblem};

/// Rows per batch: one lookup query and one multi-row insert each. 15 columns × 1,000 rows
/// stays well under SQLite's 32,766 bound parameters.
const BATCH_ROWS: usize = 1_000;
/// Batches parsed ahead of the writer; bounds memory (about 0.5 MB a batch) while keeping both
/// cores busy, also while the writer indexes a chunk of names for search.
const BATCHES_AHEAD: usize = 32;
/// A clash with an existing reference code is about 1 in 10⁷ per row; five fresh draws make a
/// failed batch practically impossible.
const REFERENCE_CODE_ATTEMPTS: usize = 5;

/// What to do with the parsed rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ImportOptions {
    /// Write the result; without it the import is a dry run that only counts.
    pub apply: bool,
    /// Write the good rows even when some were rejected. Without it a single rejected row
    /// leaves the database as it was.
    pub allow_partial: bool,
}

/// Where the rows come from, for the import record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportSource {
    pub file_name: String,
    /// The staff member who imported; `None` for the command line and the demo loader.
    pub staff_id: Option<i64>,
    pub encoding: CsvEncoding,
    /// The recognised column headers as written, in file order.
    pub columns: Vec<String>,
    /// Headers that matched no known column.
    pub ignored_columns: Vec<String>,
}

impl ImportSource {
    /// Describes a reader whose header has been read.
    pub fn of<R>(reader: &CustomerCsvReader<R>, file_name: &str, staff_id: Option<i64>) -> Self
    where
        R: Read,
    {
        Self {
            file_name: file_name.to_owned(),
            staff_id,
            encoding: reader.encoding(),
            columns: reader
                .columns()
                .into_iter()
                .map(|(_, header)| header.to_owned())
                .collect(),
            ignored_columns: reader.ignored_columns().to_vec(),
        }
    }
}

/// The report and, when the import was written, the id of its record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportOutcome {
    pub report: ImportReport,
    /// `None` for a dry run and for a rejected file without `allow_partial`: nothing was written.
    pub import_id: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The file cannot be read to its end; nothing was written.
    #[error(transparent)]
    File(#[from] FileError),
    #[error("database error during the import; nothing was written: {0}")]
    Database(#[from] sqlx::Error),
    #[error("could not draw unique reference codes; nothing was written")]
    ReferenceCodes,
    #[error("the CSV reader stopped unexpectedly; nothing was written")]
    Reader,
}

/// Counts, and with `options.apply` writes, the rows in one transaction (a savepoint when
/// `conn` is already inside one, as in the demo loader). `progress` is called after each
/// batch with the number of rows read so far.
pub async fn import_rows<I>(
    conn: &mut SqliteConnection,
    rows: I,
    source: ImportSource,
    options: ImportOptions,
    progress: impl FnMut(u64),
) -> Result<ImportOutcome, ImportError>
where
    I: Iterator<Item = Result<CustomerRecord, RowError>> + Send + 'static,
{
    // Random keys (reference codes, fingerprints) touch index pages all over the file; with
    // SQLite's default 2 MB page cache a large import spends its time re-reading them. The
    // larger cache is a fixed ceiling, not proportional to the file, and is given back after.
    sqlx::query("PRAGMA cache_size = -131072").execute(&mut *conn).await?;
    let outcome = import_in_transaction(conn, rows, source, options, progress).await;
    sqlx::query("PRAGMA cache_size = -2000").execute(&mut *conn).await?;
    outcome
}

async fn import_in_transaction<I>(
    conn: &mut SqliteConnection,
    rows: I,
    source: ImportSource,
    options: ImportOptions,
    mut progress: impl FnMut(u64),
) -> Result<ImportOutcome, ImportError>
where
    I: Iterator<Item = Result<CustomerRecord, RowError>> + Send + 'static,
{
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Vec<Result<CustomerRecord, RowError>>>(BATCHES_AHEAD);
    let parser = tokio::task::spawn_blocking(move || {
        let mut batch = Vec::with_capacity(BATCH_ROWS);
        for row in rows {
            batch.push(row);
            if batch.len() == BATCH_ROWS {
                let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH_ROWS));
                // A closed channel means the writer gave up; its error is the one reported.
                if sender.blocking_send(full).is_err() {
                    return;
                }
            }
        }
        if !batch.is_empty() {
            let _ = sender.blocking_send(batch);
        }
    });

    let mut tx = conn.begin().await?;
    let now = now_text();
    let import_id = if options.apply {
        Some(insert_import_record(&mut tx, &source, &now).await?)
    } else {
        None
    };
    // Into an empty table nothing can match: the reader already refuses duplicates within the file.
    let first_import = is_empty(&mut tx).await?;
    let mut deferred = if first_import && options.apply {
        Some(Deferred::set_aside(&mut tx).await?)
    } else {
        None
    };
    let mut report = ImportReport {
        file_name: source.file_name.clone(),
        encoding: source.encoding,
        columns: source.columns.clone(),
        ignored_columns: source.ignored_columns.clone(),
        counts: ImportCounts::default(),
        problems: Vec::new(),
    };
    let writer = Writer { import_id, now };

    while let Some(batch) = batches.recv().await {
        let mut records = Vec::with_capacity(batch.len());
        for row in batch {
            match row {
                Ok(record) => records.push(record),
                Err(RowError::Invalid(problems)) => {
                    report.counts.rejected += 1;
                    report.problems.extend(problems);
                }
                Err(RowError::File(error)) => return Err(error.into()),
            }
        }
        // Once a row is rejected without allow_partial nothing will be kept, so stop writing
        // and only count the rest for the report.
        let writing = import_id.is_some() && (options.allow_partial || report.counts.rejected == 0);
        let plan = if first_import {
            Plan {
                new: records,
                updated: Vec::new(),
                unchanged: 0,
            }
        } else {
            plan_batch(&mut tx, records).await?
        };
        report.counts.new += plan.new.len() as u64;
        report.counts.updated += plan.updated.len() as u64;
        report.counts.unchanged += plan.unchanged;
        if writing {
            writer.insert(&mut tx, &plan.new).await?;
            writer.update(&mut tx, &plan.updated).await?;
            if let Some(deferred) = &mut deferred {
                deferred.written(&mut tx, plan.new.len()).await?;
            }
        }
        progress(report.counts.rows());
    }
    parser.await.map_err(|_| ImportError::Reader)?;

    let keep = import_id.filter(|_| options.allow_partial || report.counts.rejected == 0);
    match keep {
        Some(id) => {
            if let Some(deferred) = deferred {
                deferred.restore(&mut tx).await?;
            }
            finish_import_record(&mut tx, id, &report).await?;
            tx.commit().await?;
        }
        None => tx.rollback().await?,
    }
    Ok(ImportOutcome {
        report,
        import_id: keep,
    })
}

async fn is_empty(conn: &mut SqliteConnection) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT NOT EXISTS (SELECT 1 FROM customers)")
        .fetch_one(conn)
        .await
}

/// What a first import into an empty table sets aside while it writes, and puts back before it
/// commits. Inside the import's transaction: a failed import rolls the drops back too.
struct Deferred {
    /// The customers table's non-unique indexes. One sort per index at the end is several times
    /// faster than updating each with random keys row by row (1,000,000 rows on 2 cores under the
    /// same load: 44 s → 21 s). The definitions are read from the schema, so the migrations stay
    /// the one place that declares them; the unique constraints stay in place and keep guarding
    /// every insert.
    indexes: Vec<String>,
    /// The trigger that indexes each new customer's name for search, row by row. Instead the
    /// rows are indexed [`SEARCH_CHUNK_ROWS`] at a time with one INSERT … SELECT, mostly while
    /// the other core still parses.
    search_trigger: String,
    /// The last customer id already in the name index.
    indexed_up_to: i64,
    /// Rows written since then.
    unindexed: usize,
}

/// Rows put into the search index at once. The index gathers terms in memory and writes them out
/// before every later statement of the transaction, so per batch it would write a thousand small
/// segments and spend the import merging them; 100,000 rows' terms fit its 64 MB (migration 0011).
const SEARCH_CHUNK_ROWS: usize = 100_000;

/// The per-row search trigger of migration 0011, which [`Deferred`] replaces during a first import.
const SEARCH_TRIGGER: &str = "customers_fts_insert";

impl Deferred {
    async fn set_aside(conn: &mut SqliteConnection) -> Result<Self, ImportError> {
        let indexes: Vec<(String, String)> = sqlx::query_as(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'customers' \
             AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'",
        )
        .fetch_all(&mut *conn)
        .await?;
        for (name, _) in &indexes {
            sqlx::query(&format!("DROP INDEX \"{}\"", name.replace('"', "\"\"")))
                .execute(&mut *conn)
                .await?;
        }
        let search_trigger: String =
            sqlx::query_scalar("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?")
                .bind(SEARCH_TRIGGER)
                .fetch_one(&mut *conn)
                .await?;
        sqlx::query(&format!("DROP TRIGGER {SEARCH_TRIGGER}"))
            .execute(&mut *conn)
            .await?;
        Ok(Self {
            indexes: indexes.into_iter().map(|(_, definition)| definition).collect(),
            search_trigger,
            // The table is empty: every row from here on is the import's.
            indexed_up_to: 0,
            unindexed: 0,
        })
    }

    /// Counts `rows` just written and indexes them once a chunk is complete.
    async fn written(&mut self, conn: &mut SqliteConnection, rows: usize) -> Result<(), sqlx::Error> {
        self.unindexed += rows;
        if self.unindexed >= SEARCH_CHUNK_ROWS {
            self.index_names(conn).await?;
        }
        Ok(())
    }

    /// Puts the names written since the last call into the search index.
    async fn index_names(&mut self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        let last: Option<i64> = sqlx::query_scalar("SELECT max(id) FROM customers")
            .fetch_one(&mut *conn)
            .await?;
        let Some(last) = last.filter(|last| *last > self.indexed_up_to) else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO customers_fts (rowid, name, name_kana, phone) \
             SELECT id, name, name_kana, phone FROM customers_fts_source WHERE id > ? AND id <= ?",
        )
        .bind(self.indexed_up_to)
        .bind(last)
        .execute(&mut *conn)
        .await?;
        self.indexed_up_to = last;
        self.unindexed = 0;
        Ok(())
    }

    async fn restore(mut self, conn: &mut SqliteConnection) -> Result<(), sqlx::Error> {
        self.index_names(conn).await?;
        sqlx::query(&self.search_trigger).execute(&mut *conn).await?;
        for definition in &self.indexes {
            sqlx::query(definition).execute(&mut *conn).await?;
        }
        Ok(())
    }
}

/// A customer row as stored, for matching and comparison.
#[derive(sqlx::FromRow)]
struct Stored {
    id: i64,
    external_id: Option<String>,
    name: String,
    name_kana: Option<String>,
    card_brand: String,
    card_last4: String,
    card_fingerprint: String,
    postal_code: String,
    address: String,
    email: Option<String>,
    phone: Option<String>,
    order_date: Option<String>,
}

/// The values a record would store, as text.
struct Values<'a> {
    external_id: Option<&'a str>,
    name: &'a str,
    name_kana: Option<&'a str>,
    card_brand: &'static str,
    card_last4: &'a str,
    card_fingerprint: &'a str,
    postal_code: &'a str,
    address: &'a str,
    email: Option<&'a str>,
    phone: Option<&'a str>,
    order_date: Option<String>,
}

impl<'a> Values<'a> {
    fn of(record: &'a CustomerRecord) -> Self {
        Self {
            external_id: record.external_id.as_ref().map(|id| id.as_str()),
            name: record.name.as_str(),
            name_kana: record.kana.as_ref().map(|kana| kana.as_str()),
            card_brand: record.card.brand.code(),
            card_last4: record.card.last4.as_str(),
            card_fingerprint: record.card_fingerprint.as_str(),
            postal_code: record.postal_code.digits(),
            address: record.address.as_str(),
            email: record.email.as_ref().map(|email| email.as_str()),
            phone: record.phone.as_ref().map(|phone| phone.digits()),
            order_date: record.order_date.map(|date| date.to_string()),
        }
    }

    /// Whether storing these values would change the row. A stored customer number is kept
    /// when the file has none, so its absence is no change.
    fn same_as(&self, stored: &Stored) -> bool {
        (self.external_id.is_none() || self.external_id == stored.external_id.as_deref())
            && self.name == stored.name
            && self.name_kana == stored.name_kana.as_deref()
            && self.card_brand == stored.card_brand
            && self.card_last4 == stored.card_last4
            && self.card_fingerprint == stored.card_fingerprint
            && self.postal_code == stored.postal_code
            && self.address == stored.address
            && self.email == stored.email.as_deref()
            && self.phone == stored.phone.as_deref()
            && self.order_date.as_deref() == stored.order_date.as_deref()
    }
}

struct Plan {
    new: Vec<CustomerRecord>,
    /// Stored id and the record that replaces its values.
    updated: Vec<(i64, CustomerRecord)>,
    unchanged: u64,
}

/// Sorts a batch into new, updated and unchanged with one lookup query for the whole batch.
async fn plan_batch(conn: &mut SqliteConnection, records: Vec<CustomerRecord>) -> Result<Plan, sqlx::Error> {
    let mut plan = Plan {
        new: Vec::new(),
        updated: Vec::new(),
        unchanged: 0,
    };
    if records.is_empty() {
        return Ok(plan);
    }
    let mut lookup = QueryBuilder::<Sqlite>::new(
        "SELECT id, external_id, name, name_kana, card_brand, card_last4, card_fingerprint, postal_code, \
         address, email, phone, order_date FROM customers WHERE external_id IN (",
    );
    let mut ids = lookup.separated(", ");
    // Never a customer number (they are not empty), but keeps the list valid SQL when no row has one.
    ids.push_bind("");
    for record in &records {
        if let Some(id) = &record.external_id {
            ids.push_bind(id.as_str().to_owned());
        }
    }
    lookup.push(
        ") UNION SELECT id, external_id, name, name_kana, card_brand, card_last4, card_fingerprint, \
                 postal_code, address, email, phone, order_date FROM customers WHERE card_fingerprint IN (",
    );
    let mut cards = lookup.separated(", ");
    for record in &records {
        cards.push_bind(record.card_fingerprint.as_str().to_owned());
    }
    lookup.push(")");
    let stored: Vec<Stored> = lookup.build_query_as().fetch_all(&mut *conn).await?;

    let by_external_id: HashMap<&str, &Stored> = stored
        .iter()
        .filter_map(|row| Some((row.external_id.as_deref()?, row)))
        .collect();
    let by_card_and_name: HashMap<(&str, &str), &Stored> = stored
        .iter()
        .map(|row| ((row.card_fingerprint.as_str(), row.name.as_str()), row))
        .collect();

    for record in records {
        let values = Values::of(&record);
        let matched = values
            .external_id
            .and_then(|id| by_external_id.get(id))
            .copied()
            .or_else(|| {
                by_card_and_name
                    .get(&(values.card_fingerprint, values.name))
                    .copied()
                    // Another customer number on the stored row means another customer who shares the card.
                    .filter(|row| values.external_id.is_none() || row.external_id.is_none())
            });
        match matched {
            Some(row) if values.same_as(row) => plan.unchanged += 1,
            Some(row) => plan.updated.push((row.id, record)),
            None => plan.new.push(record),
        }
    }
    Ok(plan)
}

struct Writer {
    import_id: Option<i64>,
    now: String,
}

impl Writer {
    /// One multi-row insert per batch, each row with a fresh random reference code. A clash
    /// with a stored code fails the statement (not the transaction), so the batch is retried
    /// with new codes.
    async fn insert(&self, conn: &mut SqliteConnection, records: &[CustomerRecord]) -> Result<(), ImportError> {
        if records.is_empty() {
            return Ok(());
        }
        for _ in 0..REFERENCE_CODE_ATTEMPTS {
            let mut insert = QueryBuilder::<Sqlite>::new(
                "INSERT INTO customers (reference_code, external_id, name, name_kana, card_brand, card_last4, \
                 card_fingerprint, postal_code, address, email, phone, order_date, created_at, updated_at, import_id) ",
            );
            insert.push_values(records, |mut row, record| {
                let values = Values::of(record);
                row.push_bind(new_reference_code().compact().to_owned())
                    .push_bind(values.external_id)
                    .push_bind(values.name)
                    .push_bind(values.name_kana)
                    .push_bind(values.card_brand)
                    .push_bind(values.card_last4)
                    .push_bind(values.card_fingerprint)
                    .push_bind(values.postal_code)
                    .push_bind(values.address)
                    .push_bind(values.email)
                    .push_bind(values.phone)
                    .push_bind(values.order_date)
                    .push_bind(&self.now)
                    .push_bind(&self.now)
                    .push_bind(self.import_id);
            });
            match insert.build().execute(&mut *conn).await {
                Ok(_) => return Ok(()),
                Err(sqlx::Error::Database(error))
                    if error.is_unique_violation() && error.message().contains("reference_code") =>
                {
                    tracing::warn!("a reference code clashed with a stored one; drawing new codes for the batch");
                }
                Err(error) => return Err(error.into()),
            }
        }
        Err(ImportError::ReferenceCodes)
    }

    /// Updated rows keep their id and reference code, so letters and histories stay attached.
    async fn update(&self, conn: &mut SqliteConnection, updates: &[(i64, CustomerRecord)]) -> Result<(), sqlx::Error> {
        for (id, record) in updates {
            let values = Values::of(record);
            sqlx::query(
                "UPDATE customers SET external_id = COALESCE(?, external_id), name = ?, name_kana = ?, \
                 card_brand = ?, card_last4 = ?, card_fingerprint = ?, postal_code = ?, address = ?, email = ?, \
                 phone = ?, order_date = ?, updated_at = ?, import_id = ? WHERE id = ?",
            )
            .bind(values.external_id)
            .bind(values.name)
            .bind(values.name_kana)
            .bind(values.card_brand)
            .bind(values.card_last4)
            .bind(values.card_fingerprint)
            .bind(values.postal_code)
            .bind(values.address)
            .bind(values.email)
            .bind(values.phone)
            .bind(values.order_date)
            .bind(&self.now)
            .bind(self.import_id)
            .bind(id)
            .execute(&mut *conn)
            .await?;
        }
        Ok(())
    }
}

/// A reference code from the operating system's CSPRNG: not guessable from another customer's.
fn new_reference_code() -> ReferenceCode {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    ReferenceCode::from_random(bytes)
}

fn now_text() -> String {
    // Formatting a UTC timestamp as RFC 3339 cannot fail for years 0–9999.
    OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default()
}

async fn insert_import_record(
    conn: &mut SqliteConnection,
    source: &ImportSource,
    now: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO imports (staff_id, created_at, file_name, encoding, new_count, updated_count, \
         unchanged_count, rejected_count, report) VALUES (?, ?, ?, ?, 0, 0, 0, 0, '{}') RETURNING id",
    )
    .bind(source.staff_id)
    .bind(now)
    .bind(&source.file_name)
    .bind(stored_encoding(source.encoding))
    .fetch_one(conn)
    .await
}

async fn finish_import_record(conn: &mut SqliteConnection, id: i64, report: &ImportReport) -> Result<(), ImportError> {
    let json = serde_json::to_string(report).map_err(|error| {
        tracing::error!(%error, "cannot serialise the import report");
        ImportError::Reader
    })?;
    let counts = report.counts;
    sqlx::query(
        "UPDATE imports SET new_count = ?, updated_count = ?, unchanged_count = ?, rejected_count = ?, report = ? \
         WHERE id = ?",
    )
    .bind(counts.new as i64)
    .bind(counts.updated as i64)
    .bind(counts.unchanged as i64)
    .bind(counts.rejected as i64)
    .bind(json)
    .bind(id)
    .execute(conn)
    .await?;
    Ok(())
}

/// `Auto` never reaches storage: the reader has decided by then; UTF-8 is its fallback.
fn stored_encoding(encoding: CsvEncoding) -> &'static str {
    match encoding {
        CsvEncoding::ShiftJis => CsvEncoding::ShiftJis.as_str(),
        CsvEncoding::Utf8 | CsvEncoding::Auto => CsvEncoding::Utf8.as_str(),
    }
}

/// The latest imports first.
pub async fn recent_imports(pool: &SqlitePool, limit: i64) -> Result<Vec<ImportRecord>, sqlx::Error> {
    sqlx::query_as(
        "SELECT imports.id, imports.created_at, imports.file_name, imports.encoding, staff.display_name AS staff_name, \
         imports.new_count, imports.updated_count, imports.unchanged_count, imports.rejected_count \
         FROM imports LEFT JOIN staff ON staff.id = imports.staff_id ORDER BY imports.id DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// The stored report of one import as JSON, for download.
pub async fn report_json(pool: &SqlitePool, id: i64) -> Result<Option<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT report FROM imports WHERE id = ?")
        .bind(id)
        .fetch_optional(pool)
        .await
}

/// A dry run waiting for confirmation on the Import page.
///
/// It keeps the parsed records, never the file: records hold only the masked card and
/// its fingerprint, so confirming needs no second upload and no card number is held
/// while the manager reads the report.
#[derive(Debug, Clone)]
pub struct PendingImport {
    pub staff_id: i64,
    pub source: ImportSource,
    pub report: ImportReport,
    rows: Vec<Result<CustomerRecord, Vec<RowProblem>>>,
    created: Instant,
}

impl PendingImport {
    /// The rows again, for [`import_rows`].
    pub fn rows(&self) -> impl Iterator<Item = Result<CustomerRecord, RowError>> + Send + 'static {
        self.rows.clone().into_iter().map(|row| row.map_err(RowError::Invalid))
    }
}

/// Dry runs by token, kept in memory for [`PendingImports::LIFETIME`]: a restart simply
/// asks for the upload again, and nothing about an unconfirmed file reaches the disk.
#[derive(Debug, Clone, Default)]
pub struct PendingImports {
    inner: Arc<Mutex<HashMap<String, PendingImport>>>,
}

impl PendingImports {
    pub const LIFETIME: Duration = Duration::from_secs(60 * 60);

    /// Parses `reader` to the end, runs a dry run over the records and keeps both under a new token.
    pub async fn dry_run<R>(
        &self,
        pool: &SqlitePool,
        reader: CustomerCsvReader<R>,
        source: ImportSource,
        staff_id: i64,
    ) -> Result<(String, ImportReport), ImportError>
    where
        R: Read + Send + 'static,
    {
        let rows = tokio::task::spawn_blocking(move || {
            reader
                .map(|row| match row {
                    Ok(record) => Ok(Ok(record)),
                    Err(RowError::Invalid(problems)) => Ok(Err(problems)),
                    Err(RowError::File(error)) => Err(error),
                })
                .collect::<Result<Vec<_>, FileError>>()
        })
        .await
        .map_err(|_| ImportError::Reader)??;
        let replay = rows.clone().into_iter().map(|row| row.map_err(RowError::Invalid));
        let mut conn = pool.acquire().await?;
        let outcome = import_rows(&mut conn, replay, source.clone(), ImportOptions::default(), |_| {}).await?;
        let token = new_token();
        let pending = PendingImport {
            staff_id,
            source,
            report: outcome.report.clone(),
            rows,
            created: Instant::now(),
        };
        let mut map = self.lock();
        map.retain(|_, pending| pending.created.elapsed() < Self::LIFETIME);
        map.insert(token.clone(), pending);
        Ok((token, outcome.report))
    }

    /// The dry run under `token` if `staff_id` made it and it has not expired.
    pub fn get(&self, token: &str, staff_id: i64) -> Option<PendingImport> {
        self.lock()
            .get(token)
            .filter(|pending| pending.staff_id == staff_id && pending.created.elapsed() < Self::LIFETIME)
            .cloned()
    }

    /// Takes the dry run out so it is confirmed at most once.
    pub fn take(&self, token: &str, staff_id: i64) -> Option<PendingImport> {
        let mut map = self.lock();
        let valid = map.get(token).is_some_and(|pending| pending.staff_id == staff_id);
        if valid {
            map.remove(token)
                .filter(|pending| pending.created.elapsed() < Self::LIFETIME)
        } else {
            None
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, PendingImport>> {
        // A panic while holding the lock leaves a valid map; keep using it.
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn new_token() -> String {
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::customer::demo_csv;
    use time::macros::date;

    const KEY: &[u8] = b"import-test-key";

    fn demo_file(count: usize, seed: u64) -> Vec<u8> {
        let mut bytes = Vec::new();
        demo_csv::write_csv(
            &mut bytes,
            demo_csv::generate(count, seed, date!(2017 - 02 - 10)..=date!(2017 - 05 - 25)),
        )
        .expect("write to memory");
        bytes
    }

    async fn run(pool: &SqlitePool, bytes: Vec<u8>, options: ImportOptions) -> ImportOutcome {
        let reader = CustomerCsvReader::new(std::io::Cursor::new(bytes), CsvEncoding::Auto, KEY).expect("header");
        let source = ImportSource::of(&reader, "test.csv", None);
        let mut conn = pool.acquire().await.expect("connection");
        import_rows(&mut conn, reader, source, options, |_| {})
            .await
            .expect("import")
    }

    async fn customers(pool: &SqlitePool) -> i64 {
        sqlx::query_scalar("SELECT COUNT(*) FROM customers")
            .fetch_one(pool)
            .await
            .expect("count")
    }

    const APPLY: ImportOptions = ImportOptions {
        apply: true,
        allow_partial: false,
    };

    #[tokio::test]
    async fn a_dry_run_counts_every_row_as_new_and_writes_nothing() {
        let pool = crate::db::in_memory().await;
        let outcome = run(&pool, demo_file(2_500, 1), ImportOptions::default()).await;
        assert_eq!(
            outcome.report.counts,
            ImportCounts {
                new: 2_500,
                ..ImportCounts::default()
            }
        );
        assert_eq!(outcome.import_id, None);
        assert_eq!(customers(&pool).await, 0);
    }

    #[tokio::test]
    async fn importing_the_same_file_twice_changes_nothing_the_second_time() {
        let pool = crate::db::in_memory().await;
        let first = run(&pool, demo_file(1_500, 2), APPLY).await;
        assert_eq!(first.report.counts.new, 1_500);
        let codes: Vec<String> = sqlx::query_scalar("SELECT reference_code FROM customers ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
        let second = run(&pool, demo_file(1_500, 2), APPLY).await;
        assert_eq!(
            second.report.counts,
            ImportCounts {
                unchanged: 1_500,
                ..ImportCounts::default()
            }
        );
        let again: Vec<String> = sqlx::query_scalar("SELECT reference_code FROM customers ORDER BY id")
            .fetch_all(&pool)
            .await
            .unwrap();
        assert_eq!(codes, again);
    }

    #[tokio::test]
    async fn a_corrected_row_updates_the_customer_and_keeps_the_reference_code() {
        let pool = crate::db::in_memory().await;
        let header = "顧客番号,氏名,カード番号,郵便番号,住所\n";
        run(
            &pool,
            format!("{header}A1,山田 太郎,4111111111111111,9708026,いわき市平1-1\n").into_bytes(),
            APPLY,
        )
        .await;
        let before: String = sqlx::query_scalar("SELECT reference_code FROM customers")
            .fetch_one(&pool)
            .await
            .unwrap();
        let outcome = run(
            &pool,
            format!("{header}A1,山田 太郎,4111111111111111,9708026,いわき市平2-2\n").into_bytes(),
            APPLY,
        )
        .await;
        assert_eq!(
            outcome.report.counts,
            ImportCounts {
                updated: 1,
                ..ImportCounts::default()
            }
        );
        let (code, address): (String, String) = sqlx::query_as("SELECT reference_code, address FROM customers")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!((code, address.as_str()), (before, "いわき市平2-2"));
    }

    #[tokio::test]
    async fn without_a_customer_number_the_card_and_name_find_the_customer() {
        let pool = crate::db::in_memory().await;
        let header = "氏名,カード番号,郵便番号,住所,電話番号\n";
        run(
            &pool,
            format!("{header}山田 太郎,4111111111111111,9708026,いわき市平1-1,\n").into_bytes(),
            APPLY,
        )
        .await;
        let outcome = run(
            &pool,
            format!("{header}山田 太郎,4111-1111-1111-1111,970-8026,いわき市平1-1,090-1234-5678\n").into_bytes(),
            APPLY,
        )
        .await;
        assert_eq!(outcome.report.counts.updated, 1);
        assert_eq!(customers(&pool).await, 1);
    }

    #[tokio::test]
    async fn a_file_with_a_rejected_row_writes_nothing_unless_partial_imports_are_allowed() {
        let pool = crate::db::in_memory().await;
        let file =
            "氏名,カード番号,郵便番号,住所\n山田 太郎,4111111111111111,9708026,いわき市平1-1\n,4111111111111111,123,\n";
        let refused = run(&pool, file.as_bytes().to_vec(), APPLY).await;
        assert_eq!(
            refused.report.counts,
            ImportCounts {
                new: 1,
                rejected: 1,
                ..ImportCounts::default()
            }
        );
        assert_eq!(refused.import_id, None);
        assert_eq!(customers(&pool).await, 0);
        let imports: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM imports")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert_eq!(imports, 0);

        let partial = run(
            &pool,
            file.as_bytes().to_vec(),
            ImportOptions {
                apply: true,
                allow_partial: true,
            },
        )
        .await;
        assert!(partial.import_id.is_some());
        assert_eq!(customers(&pool).await, 1);
        let report: String = sqlx::query_scalar("SELECT report FROM imports")
            .fetch_one(&pool)
            .await
            .unwrap();
        assert!(report.contains("missing_name"), "{report}");
    }

    /// The customers table's indexes and triggers, which a first import sets aside while it writes.
    async fn customers_schema(pool: &SqlitePool) -> Vec<(String, String)> {
        sqlx::query_as("SELECT name, sql FROM sqlite_master WHERE tbl_name = 'customers' ORDER BY name")
            .fetch_all(pool)
            .await
            .expect("schema")
    }

    async fn found_by_name(pool: &SqlitePool, name: &str) -> Vec<i64> {
        let search = crate::customers::CustomerSearch::parse(name).expect("search");
        let page = crate::customers::search(pool, &search, 1).await.expect("search");
        page.customers.into_iter().map(|customer| customer.id).collect()
    }

    #[tokio::test]
    async fn a_first_import_indexes_every_name_for_search_and_puts_back_its_indexes_and_trigger() {
        let pool = crate::db::in_memory().await;
        let schema = customers_schema(&pool).await;
        run(&pool, demo_file(2_500, 5), APPLY).await;
        assert_eq!(customers_schema(&pool).await, schema);
        sqlx::query("INSERT INTO customers_fts (customers_fts) VALUES ('integrity-check')")
            .execute(&pool)
            .await
            .expect("the search index holds every customer's name, reading and phone");
        let (id, name): (i64, String) = sqlx::query_as("SELECT id, name FROM customers WHERE id = 2000")
            .fetch_one(&pool)
            .await
            .expect("a customer");
        assert!(found_by_name(&pool, &name).await.contains(&id), "{name}");

        // A later import adds rows one statement at a time through the trigger put back.
        let header = "氏名,フリガナ,カード番号,郵便番号,住所\n";
        run(
            &pool,
            format!("{header}鳳凰院 凶真,ホウオウイン キョウマ,4111111111111111,9708026,いわき市平1-1\n").into_bytes(),
            APPLY,
        )
        .await;
        assert_eq!(found_by_name(&pool, "凰院凶").await.len(), 1);
        assert_eq!(found_by_name(&pool, "きょうま").await.len(), 1);
    }

    #[tokio::test]
    async fn a_refused_first_import_leaves_the_indexes_and_trigger_in_place() {
        let pool = crate::db::in_memory().await;
        let schema = customers_schema(&pool).await;
        let mut file = demo_file(1_500, 6);
        file.extend_from_slice("HM9999999,,4111111111111111,1,,,,,,,\n".as_bytes());
        let outcome = run(&pool, file, APPLY).await;
        assert_eq!(outcome.report.counts.rejected, 1);
        assert_eq!(outcome.import_id, None);
        assert_eq!(customers(&pool).await, 0);
        assert_eq!(customers_schema(&pool).await, schema);
    }

    #[tokio::test]
    async fn every_new_customer_gets_a_distinct_valid_reference_code() {
        let pool = crate::db::in_memory().await;
        run(&pool, demo_file(3_000, 3), APPLY).await;
        let codes: Vec<String> = sqlx::query_scalar("SELECT reference_code FROM customers")
            .fetch_all(&pool)
            .await
            .unwrap();
        let distinct: std::collections::HashSet<&String> = codes.iter().collect();
        assert_eq!(distinct.len(), 3_000);
        assert!(codes.iter().all(|code| ReferenceCode::parse(code).is_ok()));
    }

    #[tokio::test]
    async fn a_confirmed_dry_run_imports_the_kept_records_once() {
        let pool = crate::db::in_memory().await;
        let pending = PendingImports::default();
        let reader =
            CustomerCsvReader::new(std::io::Cursor::new(demo_file(50, 4)), CsvEncoding::Auto, KEY).expect("header");
        // No staff row exists in this database, so the record names nobody; the token still belongs to 7.
        let source = ImportSource::of(&reader, "upload.csv", None);
        let (token, report) = pending.dry_run(&pool, reader, source, 7).await.expect("dry run");
        assert_eq!(report.counts.new, 50);
        assert!(pending.get(&token, 8).is_none(), "another staff member cannot see it");
        let kept = pending.take(&token, 7).expect("kept");
        assert!(pending.take(&token, 7).is_none(), "confirmed at most once");
        let mut conn = pool.acquire().await.expect("connection");
        let outcome = import_rows(&mut conn, kept.rows(), kept.source.clone(), APPLY, |_| {})
            .await
            .expect("apply");
        drop(conn);
        assert_eq!(outcome.report.counts.new, 50);
        assert_eq!(customers(&pool).await, 50);
    }
}
