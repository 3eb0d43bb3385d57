//! Streaming parser for affected-customer CSV files: decodes, maps the header, validates each row and drops card data at once.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::{self, Read};

use csv::StringRecord;
use time::Date;

use super::decode::{DecodingReader, Undecodable};
use super::lines::LineTracker;
use super::{
    Address, CardFingerprint, CardFingerprinter, CardNumber, CardNumberError, CsvEncoding, CsvField, CustomerName,
    Email, ExternalId, MaskedCard, NameKana, PhoneNumber, PostalCode, ProblemReason, RowProblem, parse_order_date,
};

/// One valid row. Holds no full card number, expiry or security code: those were
/// dropped while the row was parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRecord {
    /// The 1-based line of the file where the record starts; the header is line 1.
    pub row: usize,
    pub external_id: Option<ExternalId>,
    pub name: CustomerName,
    pub kana: Option<NameKana>,
    pub card: MaskedCard,
    pub card_fingerprint: CardFingerprint,
    pub postal_code: PostalCode,
    pub address: Address,
    pub email: Option<Email>,
    pub phone: Option<PhoneNumber>,
    pub order_date: Option<Date>,
}

/// The file itself cannot be read (further).
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    #[error(
        "near line {line}, byte {offset} is not valid {encoding}: choose the other encoding or save the file again"
    )]
    Undecodable {
        line: u64,
        offset: u64,
        encoding: CsvEncoding,
    },
    #[error("the file could not be read: {0}")]
    Io(#[from] io::Error),
}

impl FileError {
    pub fn message_ja(&self) -> String {
        match self {
            Self::Undecodable { line, encoding, .. } => {
                let name = match encoding {
                    CsvEncoding::ShiftJis => "Shift_JIS",
                    CsvEncoding::Utf8 | CsvEncoding::Auto => "UTF-8",
                };
                format!(
                    "{line}行目付近に{name}として読めない文字があります。文字コードを選び直すか、ファイルを保存し直してください。"
                )
            }
            Self::Io(_) => "ファイルを読み込めませんでした。".to_owned(),
        }
    }
}

/// The header row is missing or unusable; no row was read.
#[derive(Debug, thiserror::Error)]
pub enum HeaderError {
    #[error(transparent)]
    File(#[from] FileError),
    #[error("the file is empty: it has no header row")]
    Empty,
    #[error("required columns are missing: {}", missing_labels(.0, CsvField::label_en, ", "))]
    MissingColumns(Vec<CsvField>),
    #[error("columns \"{first}\" and \"{second}\" hold the same data; keep one")]
    DuplicateColumn {
        field: CsvField,
        first: String,
        second: String,
    },
}

impl HeaderError {
    pub fn message_ja(&self) -> String {
        match self {
            Self::File(error) => error.message_ja(),
            Self::Empty => "ファイルが空です（見出し行がありません）。".to_owned(),
            Self::MissingColumns(missing) => {
                format!(
                    "必須の列がありません: {}",
                    missing_labels(missing, CsvField::label_ja, "、")
                )
            }
            Self::DuplicateColumn { first, second, .. } => {
                format!("列「{first}」と「{second}」が同じ項目です。どちらか一方にしてください。")
            }
        }
    }
}

fn missing_labels(fields: &[CsvField], label: fn(CsvField) -> &'static str, separator: &str) -> String {
    fields
        .iter()
        .map(|&field| label(field))
        .collect::<Vec<_>>()
        .join(separator)
}

/// Why a row was not turned into a [`CustomerRecord`].
#[derive(Debug, thiserror::Error)]
pub enum RowError {
    /// The row's values are invalid; reading goes on with the next row.
    #[error("{} problem(s) in the row", .0.len())]
    Invalid(Vec<RowProblem>),
    /// The file cannot be read further; this is the iterator's last item.
    #[error(transparent)]
    File(FileError),
}

#[derive(Debug)]
struct Column {
    index: usize,
    /// The header as written, for problem reports.
    header: String,
}

/// Reads an affected-customer CSV one row at a time. Memory stays flat except for the
/// duplicate checks, which keep a 64-bit hash and a row number per row (hash-map
/// overhead included, about 35 MB per million rows for each of card + name and
/// customer number).
pub struct CustomerCsvReader<R> {
    csv: csv::Reader<LineTracker<DecodingReader<R>>>,
    encoding: CsvEncoding,
    columns: [Option<Column>; CsvField::ALL.len()],
    ignored: Vec<String>,
    fingerprinter: CardFingerprinter,
    record: StringRecord,
    /// Hash of (card fingerprint, name) → first row. A 64-bit hash, so a false
    /// duplicate needs a collision: about 1 in 3 × 10⁷ for a million rows.
    seen_cards: HashMap<u64, usize>,
    seen_ids: HashMap<u64, usize>,
    finished: bool,
}

impl<R: Read> CustomerCsvReader<R> {
    /// Reads and checks the header row. `key` is the deployment's secret for card fingerprints.
    pub fn new(reader: R, encoding: CsvEncoding, key: &[u8]) -> Result<Self, HeaderError> {
        let decoded = DecodingReader::new(reader, encoding).map_err(FileError::from)?;
        let encoding = decoded.encoding();
        let mut csv = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(LineTracker::new(decoded));

        let mut header = StringRecord::new();
        loop {
            match csv.read_record(&mut header) {
                Ok(true) if is_blank(&header) => continue,
                Ok(true) => break,
                Ok(false) => return Err(HeaderError::Empty),
                Err(error) => return Err(file_error(error, csv.get_ref().current_line()).into()),
            }
        }

        let mut columns: [Option<Column>; CsvField::ALL.len()] = std::array::from_fn(|_| None);
        let mut ignored = Vec::new();
        for (index, cell) in header.iter().enumerate() {
            let written = cell.trim();
            if written.is_empty() {
                continue;
            }
            let Some(field) = CsvField::from_header(written) else {
                ignored.push(written.to_owned());
                continue;
            };
            if let Some(first) = &columns[field as usize] {
                return Err(HeaderError::DuplicateColumn {
                    field,
                    first: first.header.clone(),
                    second: written.to_owned(),
                });
            }
            columns[field as usize] = Some(Column {
                index,
                header: written.to_owned(),
            });
        }
        let missing: Vec<CsvField> = CsvField::REQUIRED
            .into_iter()
            .filter(|&field| columns[field as usize].is_none())
            .collect();
        if !missing.is_empty() {
            return Err(HeaderError::MissingColumns(missing));
        }

        Ok(Self {
            csv,
            encoding,
            columns,
            ignored,
            fingerprinter: CardFingerprinter::new(key),
            record: StringRecord::new(),
            seen_cards: HashMap::new(),
            seen_ids: HashMap::new(),
            finished: false,
        })
    }

    /// The encoding the file is read in (detected when `Auto` was asked for).
    pub fn encoding(&self) -> CsvEncoding {
        self.encoding
    }

    /// The recognised columns and their headers as written, in file order. Includes
    /// expiry and security-code columns, which are recognised only to be dropped.
    pub fn columns(&self) -> Vec<(CsvField, &str)> {
        let mut found: Vec<(usize, CsvField, &str)> = CsvField::ALL
            .into_iter()
            .filter_map(|field| {
                let column = self.columns[field as usize].as_ref()?;
                Some((column.index, field, column.header.as_str()))
            })
            .collect();
        found.sort_by_key(|&(index, ..)| index);
        found.into_iter().map(|(_, field, header)| (field, header)).collect()
    }

    /// Headers that matched no known column; their cells are never read.
    pub fn ignored_columns(&self) -> &[String] {
        &self.ignored
    }

    fn parse_row(&mut self, row: usize) -> Result<CustomerRecord, Vec<RowProblem>> {
        let mut cells = Cells {
            columns: &self.columns,
            record: &self.record,
            row,
            problems: Vec::new(),
        };

        let name = cells.required(CsvField::Name, ProblemReason::MissingName, CustomerName::parse, |_| {
            ProblemReason::InvalidName
        });
        let kana = cells.optional(CsvField::Kana, NameKana::parse, ProblemReason::InvalidKana);
        let card = cells.required(
            CsvField::CardNumber,
            ProblemReason::MissingCardNumber,
            CardNumber::parse,
            |error| match error {
                CardNumberError::Empty => ProblemReason::MissingCardNumber,
                CardNumberError::Characters => ProblemReason::CardNumberCharacters,
                CardNumberError::Length => ProblemReason::CardNumberLength,
                CardNumberError::Luhn => ProblemReason::CardNumberLuhn,
            },
        );
        // The full number goes no further than this: only its mask and keyed fingerprint are kept.
        let card = card.map(|number| (number.masked(), self.fingerprinter.fingerprint(&number)));
        let postal_code = cells.required(
            CsvField::PostalCode,
            ProblemReason::MissingPostalCode,
            PostalCode::parse,
            |_| ProblemReason::PostalCodeNotSevenDigits,
        );
        let (prefecture, city, building) = (
            cells.cell(CsvField::Prefecture),
            cells.cell(CsvField::City),
            cells.cell(CsvField::Building),
        );
        let address = cells.required(
            CsvField::Address,
            ProblemReason::MissingAddress,
            |street| Address::from_parts(prefecture, city, street, building),
            |_| ProblemReason::InvalidAddress,
        );
        let email = cells.optional(CsvField::Email, Email::parse, ProblemReason::EmailMalformed);
        let phone = cells.optional(CsvField::Phone, PhoneNumber::parse, ProblemReason::PhoneInvalid);
        let order_date = cells.optional(CsvField::OrderDate, parse_order_date, ProblemReason::OrderDateInvalid);
        let external_id = cells.optional(
            CsvField::ExternalId,
            ExternalId::parse,
            ProblemReason::InvalidExternalId,
        );

        if let (Some(name), Some((_, fingerprint))) = (&name, &card) {
            let key = hash_of(&(fingerprint.as_str(), name.as_str()));
            if let Some(first_row) = first_occurrence(&mut self.seen_cards, key, row) {
                cells.report(CsvField::CardNumber, ProblemReason::DuplicateRow { first_row });
            }
        }
        if let Some(id) = &external_id
            && let Some(first_row) = first_occurrence(&mut self.seen_ids, hash_of(&id.as_str()), row)
        {
            cells.report(CsvField::ExternalId, ProblemReason::DuplicateExternalId { first_row });
        }

        match (name, card, postal_code, address) {
            (Some(name), Some((card, card_fingerprint)), Some(postal_code), Some(address))
                if cells.problems.is_empty() =>
            {
                Ok(CustomerRecord {
                    row,
                    external_id,
                    name,
                    kana,
                    card,
                    card_fingerprint,
                    postal_code,
                    address,
                    email,
                    phone,
                    order_date,
                })
            }
            _ => Err(cells.problems),
        }
    }
}

impl<R: Read> Iterator for CustomerCsvReader<R> {
    type Item = Result<CustomerRecord, RowError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.finished {
            match self.csv.read_record(&mut self.record) {
                Ok(true) if is_blank(&self.record) => continue,
                Ok(true) => {
                    let start = self.record.position().map_or(0, csv::Position::byte);
                    let line = self.csv.get_mut().line_of_record_at(start);
                    let row = usize::try_from(line).unwrap_or(usize::MAX);
                    return Some(self.parse_row(row).map_err(RowError::Invalid));
                }
                Ok(false) => self.finished = true,
                Err(error) => {
                    self.finished = true;
                    return Some(Err(RowError::File(file_error(
                        error,
                        self.csv.get_ref().current_line(),
                    ))));
                }
            }
        }
        None
    }
}

/// One row's cells and the problems found in them.
struct Cells<'a> {
    columns: &'a [Option<Column>; CsvField::ALL.len()],
    record: &'a StringRecord,
    row: usize,
    problems: Vec<RowProblem>,
}

impl<'a> Cells<'a> {
    /// The trimmed cell, or "" when the column is absent or the row is short
    /// (spreadsheets drop trailing empty cells).
    fn cell(&self, field: CsvField) -> &'a str {
        self.columns[field as usize]
            .as_ref()
            .and_then(|column| self.record.get(column.index))
            .map_or("", str::trim)
    }

    fn report(&mut self, field: CsvField, reason: ProblemReason) {
        let column = self.columns[field as usize]
            .as_ref()
            .map_or_else(|| field.label_ja().to_owned(), |column| column.header.clone());
        self.problems.push(RowProblem {
            row: self.row,
            column,
            reason,
        });
    }

    fn required<T, E>(
        &mut self,
        field: CsvField,
        missing: ProblemReason,
        parse: impl FnOnce(&str) -> Result<T, E>,
        invalid: impl FnOnce(E) -> ProblemReason,
    ) -> Option<T> {
        let cell = self.cell(field);
        if cell.is_empty() {
            self.report(field, missing);
            return None;
        }
        parse(cell).map_err(|error| self.report(field, invalid(error))).ok()
    }

    fn optional<T, E>(
        &mut self,
        field: CsvField,
        parse: impl FnOnce(&str) -> Result<T, E>,
        invalid: ProblemReason,
    ) -> Option<T> {
        let cell = self.cell(field);
        if cell.is_empty() {
            return None;
        }
        parse(cell).map_err(|_| self.report(field, invalid)).ok()
    }
}

/// Records `row` under `key`; returns the earlier row if the key was already seen.
fn first_occurrence(seen: &mut HashMap<u64, usize>, key: u64, row: usize) -> Option<usize> {
    match seen.entry(key) {
        Entry::Occupied(entry) => Some(*entry.get()),
        Entry::Vacant(entry) => {
            entry.insert(row);
            None
        }
    }
}

fn hash_of(value: &impl Hash) -> u64 {
    // DefaultHasher::new() has fixed keys: the same file gives the same result every run.
    let mut hasher = DefaultHasher::new();
    value.hash(&mut hasher);
    hasher.finish()
}

fn is_blank(record: &StringRecord) -> bool {
    record.iter().all(|cell| cell.trim().is_empty())
}

fn file_error(error: csv::Error, line: u64) -> FileError {
    match error.into_kind() {
        csv::ErrorKind::Io(io) => match io.get_ref().and_then(|inner| inner.downcast_ref::<Undecodable>()) {
            Some(undecodable) => FileError::Undecodable {
                line,
                offset: undecodable.offset,
                encoding: undecodable.encoding,
            },
            None => FileError::Io(io),
        },
        // With flexible records over decoded text the other kinds cannot occur; their
        // text is not passed on because it could quote a cell.
        _ => FileError::Io(io::Error::other("the CSV structure could not be parsed")),
    }
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    const KEY: &[u8] = b"test-fingerprint-key";
    const SHIFT_JIS_FILE: &[u8] = include_bytes!("../../tests/data/import/shift_jis_japanese_headers.csv");
    const ENGLISH_FILE: &[u8] = include_bytes!("../../tests/data/import/english_headers_bom.csv");
    const BAD_ROWS_FILE: &[u8] = include_bytes!("../../tests/data/import/bad_rows.csv");

    fn read_all(bytes: &[u8], encoding: CsvEncoding) -> (CsvEncoding, Vec<Result<CustomerRecord, RowError>>) {
        let reader = CustomerCsvReader::new(bytes, encoding, KEY).expect("the header is valid");
        let encoding = reader.encoding();
        (encoding, reader.collect())
    }

    fn records(bytes: &[u8]) -> Vec<CustomerRecord> {
        read_all(bytes, CsvEncoding::Auto)
            .1
            .into_iter()
            .map(|item| item.expect("every row is valid"))
            .collect()
    }

    fn header_error(text: &str) -> HeaderError {
        CustomerCsvReader::new(text.as_bytes(), CsvEncoding::Auto, KEY)
            .err()
            .expect("the header is refused")
    }

    #[test]
    fn a_shift_jis_file_with_japanese_headers_and_multi_line_addresses_imports_every_row() {
        let (encoding, items) = read_all(SHIFT_JIS_FILE, CsvEncoding::Auto);
        assert_eq!(encoding, CsvEncoding::ShiftJis);
        let records: Vec<CustomerRecord> = items.into_iter().map(|item| item.expect("valid row")).collect();
        assert_eq!(records.iter().map(|r| r.row).collect::<Vec<_>>(), [2, 4, 6]);

        let yamada = &records[0];
        assert_eq!(yamada.external_id.as_ref().map(ExternalId::as_str), Some("HM0001"));
        assert_eq!(yamada.name.as_str(), "山田 太郎");
        assert_eq!(yamada.kana.as_ref().map(NameKana::as_str), Some("ヤマダ タロウ"));
        assert_eq!(yamada.card.to_string(), "VISA ****1111");
        assert_eq!(yamada.postal_code.to_string(), "970-8026");
        assert_eq!(yamada.address.as_str(), "福島県いわき市平字梅本21 ハイツ梅本 201");
        assert_eq!(yamada.email.as_ref().map(Email::as_str), Some("Taro.Yamada@example.jp"));
        assert_eq!(
            yamada.phone.as_ref().map(ToString::to_string).as_deref(),
            Some("090-1234-5678")
        );
        assert_eq!(yamada.order_date, Some(date!(2017 - 03 - 05)));

        let sato = &records[1];
        assert_eq!(sato.kana.as_ref().map(NameKana::as_str), Some("サトウ ハナコ"));
        assert_eq!(sato.card.to_string(), "JCB ****0000");
        assert_eq!(sato.postal_code.to_string(), "971-8101");
        assert_eq!(sato.address.as_str(), "福島県いわき市小名浜花畑町11-3, 2F");
        assert_eq!(sato.email, None);
        assert_eq!(
            sato.phone.as_ref().map(ToString::to_string).as_deref(),
            Some("0246-43-0000")
        );

        let takahashi = &records[2];
        assert_eq!(takahashi.name.as_str(), "髙橋 一郎");
        assert_eq!(takahashi.card.to_string(), "AMEX ****0005");
        assert_eq!(takahashi.address.as_str(), "東京都千代田区千代田1-1 皇居前ビル 3階");
        assert_eq!(takahashi.order_date, Some(date!(2017 - 05 - 25)));
    }

    #[test]
    fn the_same_file_in_utf8_gives_the_same_records_and_fingerprints() {
        let (text, _, had_errors) = encoding_rs::SHIFT_JIS.decode(SHIFT_JIS_FILE);
        assert!(!had_errors);
        assert_eq!(records(text.as_bytes()), records(SHIFT_JIS_FILE));
    }

    #[test]
    fn english_headers_in_another_order_with_a_bom_and_address_parts_are_read() {
        let (encoding, items) = read_all(ENGLISH_FILE, CsvEncoding::Auto);
        assert_eq!(encoding, CsvEncoding::Utf8);
        let records: Vec<CustomerRecord> = items.into_iter().map(|item| item.expect("valid row")).collect();
        assert_eq!(records.len(), 2);

        let smith = &records[0];
        assert_eq!(smith.external_id.as_ref().map(ExternalId::as_str), Some("E-100"));
        assert_eq!(smith.name.as_str(), "John Smith");
        assert_eq!(smith.card.to_string(), "Mastercard ****4444");
        assert_eq!(smith.address.as_str(), "福島県いわき市平字梅本21");
        assert_eq!(smith.phone.as_ref().map(PhoneNumber::digits), Some("09011112222"));
        assert_eq!(smith.order_date, Some(date!(2017 - 02 - 10)));

        let suzuki = &records[1];
        assert_eq!(suzuki.kana, None);
        assert_eq!(suzuki.postal_code.to_string(), "979-0201");
        assert_eq!(suzuki.address.as_str(), "福島県いわき市勿来町関田1-2 コーポ関田 101");
        assert_eq!(
            (suzuki.email.as_ref(), suzuki.phone.as_ref(), suzuki.order_date),
            (None, None, None)
        );
    }

    #[test]
    fn every_kind_of_bad_row_is_reported_with_its_row_and_column() {
        let (_, items) = read_all(BAD_ROWS_FILE, CsvEncoding::Auto);
        let mut valid_rows = Vec::new();
        let mut problems = Vec::new();
        for item in items {
            match item {
                Ok(record) => valid_rows.push(record.row),
                Err(RowError::Invalid(row_problems)) => {
                    problems.extend(row_problems.into_iter().map(|p| (p.row, p.column, p.reason)));
                }
                Err(RowError::File(error)) => panic!("the file is readable: {error}"),
            }
        }
        use ProblemReason as P;
        let expected = [
            (3, "氏名", P::MissingName),
            (4, "郵便番号", P::PostalCodeNotSevenDigits),
            (5, "カード番号", P::CardNumberLuhn),
            (6, "カード番号", P::CardNumberLength),
            (7, "カード番号", P::CardNumberCharacters),
            (8, "カード番号", P::MissingCardNumber),
            (9, "メールアドレス", P::EmailMalformed),
            (10, "カード番号", P::DuplicateRow { first_row: 2 }),
            (11, "フリガナ", P::InvalidKana),
            (12, "住所", P::MissingAddress),
            (13, "郵便番号", P::MissingPostalCode),
            (14, "電話番号", P::PhoneInvalid),
            (15, "決済日", P::OrderDateInvalid),
            (16, "顧客番号", P::DuplicateExternalId { first_row: 2 }),
            (17, "氏名", P::MissingName),
            (17, "郵便番号", P::PostalCodeNotSevenDigits),
            (17, "住所", P::MissingAddress),
            (17, "メールアドレス", P::EmailMalformed),
            (17, "電話番号", P::PhoneInvalid),
            (17, "決済日", P::OrderDateInvalid),
        ]
        .map(|(row, column, reason)| (row, column.to_owned(), reason));
        assert_eq!(problems, expected);
        assert_eq!(valid_rows, [2, 18]);
    }

    #[test]
    fn no_problem_message_or_debug_output_contains_card_numbers_expiry_or_security_codes() {
        // The sensitive cells of every fixture, read independently of the importer.
        let mut secrets = Vec::new();
        for (file, encoding, card, expiry, code) in [
            (SHIFT_JIS_FILE, encoding_rs::SHIFT_JIS, 3, 4, 5),
            (BAD_ROWS_FILE, encoding_rs::UTF_8, 3, 4, 5),
            (ENGLISH_FILE, encoding_rs::UTF_8, 1, 2, 3),
        ] {
            let (text, _, _) = encoding.decode(file);
            let mut raw = csv::ReaderBuilder::new().flexible(true).from_reader(text.as_bytes());
            for row in raw.records() {
                let row = row.expect("fixture is CSV");
                let number = super::super::width::fold_number(&row[card]);
                let digits: String = number.chars().filter(char::is_ascii_digit).collect();
                if digits.len() > 4 {
                    secrets.extend([row[card].to_owned(), digits]);
                }
                secrets.extend([row[expiry].to_owned(), row[code].to_owned()]);
            }
        }
        secrets.retain(|secret| !secret.is_empty());
        assert!(secrets.len() > 40, "{secrets:?}");

        let mut shown = String::new();
        for file in [SHIFT_JIS_FILE, BAD_ROWS_FILE, ENGLISH_FILE] {
            let (_, items) = read_all(file, CsvEncoding::Auto);
            for item in items {
                shown.push_str(&format!("{item:?}\n"));
                match item {
                    Ok(record) => shown.push_str(&format!("{}\n", record.card)),
                    Err(RowError::Invalid(problems)) => {
                        for problem in problems {
                            shown.push_str(&format!(
                                "{}\n{}\n{problem}\n",
                                problem.message_ja(),
                                problem.message_en()
                            ));
                        }
                    }
                    Err(error) => shown.push_str(&format!("{error}\n")),
                }
            }
        }
        for secret in &secrets {
            assert!(!shown.contains(secret.as_str()), "{secret:?} leaked");
        }
    }

    #[test]
    fn rows_shorter_than_the_header_read_the_missing_cells_as_empty() {
        let text =
            "氏名,カード番号,郵便番号,住所,メールアドレス,電話番号\n山田 太郎,4111111111111111,9708026,いわき市平1-1\n";
        let records = records(text.as_bytes());
        assert_eq!(records.len(), 1);
        assert_eq!((records[0].email.as_ref(), records[0].phone.as_ref()), (None, None));
    }

    #[test]
    fn a_file_arriving_one_byte_at_a_time_reads_the_same() {
        struct OneByteAtATime<'a>(&'a [u8]);
        impl Read for OneByteAtATime<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = buf.len().min(self.0.len()).min(1);
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let trickled: Vec<CustomerRecord> =
            CustomerCsvReader::new(OneByteAtATime(SHIFT_JIS_FILE), CsvEncoding::Auto, KEY)
                .expect("valid header")
                .map(|item| item.expect("valid row"))
                .collect();
        assert_eq!(trickled, records(SHIFT_JIS_FILE));
    }

    #[test]
    fn a_missing_required_column_is_reported_once_by_name() {
        let error = header_error("氏名,住所,電話番号\n山田 太郎,いわき市平1-1,090-1234-5678\n");
        assert!(
            matches!(&error, HeaderError::MissingColumns(missing) if missing == &[CsvField::CardNumber, CsvField::PostalCode])
        );
        assert_eq!(error.message_ja(), "必須の列がありません: カード番号、郵便番号");
        assert_eq!(
            error.to_string(),
            "required columns are missing: card_number, postal_code"
        );
    }

    #[test]
    fn two_columns_for_the_same_data_are_refused() {
        let error = header_error("氏名,カード会員名,カード番号,郵便番号,住所\n");
        assert!(
            matches!(error, HeaderError::DuplicateColumn { field: CsvField::Name, ref first, ref second } if first == "氏名" && second == "カード会員名")
        );
    }

    #[test]
    fn a_file_with_no_header_row_is_refused() {
        assert!(matches!(header_error(""), HeaderError::Empty));
        assert!(matches!(header_error("\r\n\r\n , ,\r\n"), HeaderError::Empty));
    }

    #[test]
    fn unknown_columns_are_listed_and_card_data_columns_recognised_to_be_dropped() {
        let text = "備考,氏名,カード番号,有効期限,CVV,郵便番号,住所,,\n";
        let reader = CustomerCsvReader::new(text.as_bytes(), CsvEncoding::Auto, KEY).expect("valid header");
        assert_eq!(reader.ignored_columns(), ["備考"]);
        let columns: Vec<CsvField> = reader.columns().into_iter().map(|(field, _)| field).collect();
        assert_eq!(
            columns,
            [
                CsvField::Name,
                CsvField::CardNumber,
                CsvField::Expiry,
                CsvField::SecurityCode,
                CsvField::PostalCode,
                CsvField::Address
            ]
        );
    }

    #[test]
    fn a_file_in_the_wrong_encoding_stops_at_the_first_bad_line() {
        let mut bytes = "氏名,カード番号,郵便番号,住所\n山田 太郎,4111111111111111,9708026,いわき市平1-1\n"
            .as_bytes()
            .to_vec();
        let (bad_row, _, _) = encoding_rs::SHIFT_JIS.encode("佐藤 花子,5555555555554444,9708026,いわき市平1-2\n");
        bytes.extend_from_slice(&bad_row);
        bytes.extend_from_slice("鈴木 一郎,3530111333300000,9708026,いわき市平1-3\n".as_bytes());

        let (_, items) = read_all(&bytes, CsvEncoding::Utf8);
        assert_eq!(items.len(), 2);
        assert!(matches!(items[0], Ok(ref record) if record.row == 2));
        match &items[1] {
            Err(RowError::File(
                error @ FileError::Undecodable {
                    line,
                    encoding: CsvEncoding::Utf8,
                    ..
                },
            )) => {
                assert_eq!(*line, 3);
                assert!(error.message_ja().starts_with("3行目付近にUTF-8として読めない文字"));
            }
            other => panic!("expected a decoding error, got {other:?}"),
        }
    }

    // Fuzzing with proptest: `make test` runs the default 256 cases per property; a longer run is
    // `PROPTEST_CASES=200000 cargo test -p breachdesk --features server fuzz_`.
    proptest::proptest! {
        #[test]
        fn fuzz_arbitrary_bytes_never_panic_the_reader(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2048)) {
            for encoding in [CsvEncoding::Auto, CsvEncoding::Utf8, CsvEncoding::ShiftJis] {
                if let Ok(reader) = CustomerCsvReader::new(bytes.as_slice(), encoding, KEY) {
                    for _ in reader {}
                }
            }
        }

        #[test]
        fn fuzz_arbitrary_rows_under_a_valid_header_never_panic_and_never_keep_a_card_number(
            rows in proptest::collection::vec(proptest::num::u8::ANY, 0..4096)
        ) {
            let mut file = header_line(ENGLISH_FILE);
            file.extend_from_slice(&rows);
            let reader = CustomerCsvReader::new(file.as_slice(), CsvEncoding::Auto, KEY).expect("the header is valid");
            for record in reader.flatten() {
                let shown = format!("{record:?}");
                proptest::prop_assert!(!shown.contains("5555555555554444"));
            }
        }
    }

    /// The first line of a file, with its line break.
    fn header_line(file: &[u8]) -> Vec<u8> {
        let end = file
            .iter()
            .position(|&byte| byte == b'\n')
            .map_or(file.len(), |at| at + 1);
        file[..end].to_vec()
    }
}
