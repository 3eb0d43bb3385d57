//! Letters for an audience: its customers in postal-code order, each letter filled in from a
//! letter template and drawn into one PDF, and the print shop's mailing list of the same batch.
//!
//! Postal-code order lets the mail room bundle by delivery area (and earns the bulk-mail discount);
//! the reference code breaks ties so a batch comes out the same every time.

use std::io::Write;
use std::sync::LazyLock;

use futures_util::TryStreamExt;
use futures_util::stream::BoxStream;
use sqlx::{QueryBuilder, Sqlite, SqlitePool};
use time::Date;

use crate::audience::Audience;
use crate::calendar::schedule::Schedule;
use crate::customer::{Address, CardBrand, CardLast4, CustomerName, Email, MaskedCard, PostalCode, ReferenceCode};
use crate::hotline::HotlineStoreError;
use crate::incident::IncidentProfile;
use crate::letter::LetterContent;
use crate::letter::pdf::{PdfError, first_pages, render_letter, render_letters};
use crate::template::{
    Recipient, RenderContext, TemplateError, TemplateKind, TemplateVersion, render_letter as fill_letter,
};

/// The template `breachdesk letters` and the Letters page use unless told otherwise.
pub const DEFAULT_TEMPLATE: &str = "apology-letter";

#[derive(Debug, thiserror::Error)]
pub enum LettersError {
    #[error("no incident is set up yet: load the demo or enter the incident profile first")]
    NoIncident,
    #[error("there is no template called {0:?}")]
    NoTemplate(String),
    #[error("template {0:?} is an email template, not a letter template")]
    NotALetter(String),
    #[error("the letter template cannot be filled in: {0}")]
    Template(#[from] TemplateError),
    #[error("customer {customer_id} has a stored {column} that no longer parses")]
    StoredValue { customer_id: i64, column: &'static str },
    #[error("the PDF cannot be drawn: {0}")]
    Pdf(#[from] PdfError),
    #[error("the PDF was not finished")]
    Interrupted,
    #[error(transparent)]
    Schedule(#[from] HotlineStoreError),
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// One customer of an audience: what a letter or email may print, and how to reach them.
#[derive(Clone, Debug)]
pub struct AudienceMember {
    pub customer_id: i64,
    pub recipient: Recipient,
    pub email: Option<Email>,
}

/// Also read by the campaigns, which pick their members by delivery rather than by audience.
#[derive(sqlx::FromRow)]
pub(crate) struct MemberRow {
    id: i64,
    name: String,
    postal_code: String,
    address: String,
    reference_code: String,
    card_brand: String,
    card_last4: String,
    order_date: Option<Date>,
    email: Option<String>,
}

impl TryFrom<MemberRow> for AudienceMember {
    type Error = LettersError;

    /// Stored values were validated on import; one that no longer parses is reported, not
    /// printed wrong or skipped (a skipped customer would silently get no letter).
    fn try_from(row: MemberRow) -> Result<Self, Self::Error> {
        let invalid = |column| LettersError::StoredValue {
            customer_id: row.id,
            column,
        };
        let recipient = Recipient {
            name: CustomerName::parse(&row.name).map_err(|_| invalid("name"))?,
            postal_code: PostalCode::parse(&row.postal_code).map_err(|_| invalid("postal_code"))?,
            address: Address::parse(&row.address).map_err(|_| invalid("address"))?,
            reference_code: ReferenceCode::parse(&row.reference_code).map_err(|_| invalid("reference_code"))?,
            card: MaskedCard {
                brand: CardBrand::from_code(&row.card_brand).ok_or_else(|| invalid("card_brand"))?,
                last4: CardLast4::parse(&row.card_last4).map_err(|_| invalid("card_last4"))?,
            },
            order_date: row.order_date,
        };
        let email = row
            .email
            .map(|email| Email::parse(&email).map_err(|_| invalid("email")))
            .transpose()?;
        Ok(AudienceMember {
            customer_id: row.id,
            recipient,
            email,
        })
    }
}

pub(crate) const MEMBER_COLUMNS: &str =
    "c.id, c.name, c.postal_code, c.address, c.reference_code, c.card_brand, c.card_last4, c.order_date, c.email";

/// The SQL condition on customer `c` for each audience. "Latest" is the delivery with the highest
/// id on that channel: rows are only ever added, so that is the newest one.
pub(crate) fn condition(audience: Audience) -> &'static str {
    match audience {
        Audience::All => "1",
        Audience::WithEmail => "c.email IS NOT NULL AND c.email <> ''",
        Audience::WithoutEmail => "(c.email IS NULL OR c.email = '')",
        Audience::NotNotified => {
            "NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.customer_id = c.id AND d.state = 'sent')"
        }
        Audience::Bounced => {
            "(SELECT d.state FROM deliveries d WHERE d.customer_id = c.id AND d.channel = 'email' \
             ORDER BY d.id DESC LIMIT 1) = 'bounced'"
        }
        Audience::Returned => {
            "(SELECT d.state FROM deliveries d WHERE d.customer_id = c.id AND d.channel = 'letter' \
             ORDER BY d.id DESC LIMIT 1) = 'returned'"
        }
        // Compared as julian days: requests and deliveries write their times in different RFC 3339 forms.
        Audience::ResendRequested => {
            "EXISTS (SELECT 1 FROM resend_requests r WHERE r.customer_id = c.id AND NOT EXISTS \
             (SELECT 1 FROM deliveries d WHERE d.customer_id = c.id AND d.channel = r.channel \
              AND d.state = 'sent' AND julianday(d.sent_at) > julianday(r.created_at)))"
        }
    }
}

/// The audience's customers in postal-code order (then reference code), streamed from one query
/// so a million rows never sit in memory at once.
pub fn members(pool: &SqlitePool, audience: Audience) -> BoxStream<'_, Result<AudienceMember, LettersError>> {
    // Built once: the stream borrows its SQL text for as long as it runs.
    static QUERIES: LazyLock<Vec<String>> = LazyLock::new(|| {
        Audience::ALL
            .into_iter()
            .map(|audience| {
                format!(
                    "SELECT {MEMBER_COLUMNS} FROM customers c WHERE c.purged_at IS NULL AND {} \
                     ORDER BY c.postal_code, c.reference_code",
                    condition(audience)
                )
            })
            .collect()
    });
    let index = Audience::ALL.iter().position(|&a| a == audience).unwrap_or_default();
    Box::pin(
        sqlx::query_as::<_, MemberRow>(&QUERIES[index])
            .fetch(pool)
            .map_err(LettersError::from)
            .and_then(|row| async move { AudienceMember::try_from(row) }),
    )
}

/// The customer with `reference_code`, or with `None` the first customer (the template editor's
/// preview default); `None` when there is no such customer.
pub async fn member_by_reference(
    pool: &SqlitePool,
    reference_code: Option<&ReferenceCode>,
) -> Result<Option<AudienceMember>, LettersError> {
    let row: Option<MemberRow> = sqlx::query_as(&format!(
        "SELECT {MEMBER_COLUMNS} FROM customers c WHERE ?1 IS NULL OR c.reference_code = ?1 ORDER BY c.id LIMIT 1"
    ))
    .bind(reference_code.map(ReferenceCode::compact))
    .fetch_optional(pool)
    .await?;
    row.map(AudienceMember::try_from).transpose()
}

/// One customer as an audience member; `None` if there is no such customer.
pub async fn member(pool: &SqlitePool, customer_id: i64) -> Result<Option<AudienceMember>, LettersError> {
    let row: Option<MemberRow> = sqlx::query_as(&format!("SELECT {MEMBER_COLUMNS} FROM customers c WHERE c.id = ?"))
        .bind(customer_id)
        .fetch_optional(pool)
        .await?;
    row.map(AudienceMember::try_from).transpose()
}

/// How many customers each audience holds, in the order of [`Audience::ALL`], from one pass over the table.
pub async fn counts(pool: &SqlitePool) -> Result<Vec<(Audience, u64)>, sqlx::Error> {
    let mut query = QueryBuilder::<Sqlite>::new("SELECT ");
    for (index, audience) in Audience::ALL.into_iter().enumerate() {
        if index > 0 {
            query.push(", ");
        }
        query.push(format!("COALESCE(SUM({}), 0)", condition(audience)));
    }
    // A purged customer has no name or address left to write to.
    query.push(" FROM customers c WHERE c.purged_at IS NULL");
    let row = query.build().fetch_one(pool).await?;
    Audience::ALL
        .into_iter()
        .enumerate()
        .map(|(index, audience)| {
            let count: i64 = sqlx::Row::try_get(&row, index)?;
            Ok((audience, u64::try_from(count).unwrap_or_default()))
        })
        .collect()
}

/// What every letter of a batch shares: the template version, the incident, the hotline hours and the date.
#[derive(Clone, Debug)]
pub struct LetterSetup {
    pub template: TemplateVersion,
    pub incident: IncidentProfile,
    pub schedule: Schedule,
    pub date: Date,
}

impl LetterSetup {
    /// The newest version of the letter template `template_name`, dated `date`.
    pub async fn load(pool: &SqlitePool, template_name: &str, date: Date) -> Result<Self, LettersError> {
        let template = crate::templates::latest_by_name(pool, template_name)
            .await?
            .ok_or_else(|| LettersError::NoTemplate(template_name.to_owned()))?;
        if template.kind != TemplateKind::Letter {
            return Err(LettersError::NotALetter(template_name.to_owned()));
        }
        let incident = IncidentProfile::load(pool).await?.ok_or(LettersError::NoIncident)?;
        let schedule = crate::hotline::load(pool).await?;
        Ok(Self {
            template,
            incident,
            schedule,
            date,
        })
    }

    /// One customer's letter, every placeholder filled in.
    pub fn letter(&self, recipient: &Recipient) -> Result<LetterContent, LettersError> {
        let context = RenderContext {
            recipient,
            incident: &self.incident,
            schedule: Some(&self.schedule),
            date: self.date,
        };
        Ok(fill_letter(&self.template, &context)?)
    }
}

/// One line of the print shop's mailing list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MailingListEntry {
    /// 1-based position in the batch.
    pub order: u32,
    /// The page of the batch PDF the letter starts on.
    pub page: u32,
    pub reference_code: ReferenceCode,
    pub postal_code: PostalCode,
    pub address: Address,
    pub name: CustomerName,
}

/// A batch PDF and its mailing list, in the same order.
#[derive(Debug)]
pub struct Batch {
    pub pdf: Vec<u8>,
    pub pages: u32,
    pub mailing_list: Vec<MailingListEntry>,
}

/// Every letter for `audience` in one PDF, with the mailing list. `progress` hears how many
/// letters are laid out so far.
pub async fn batch(
    pool: &SqlitePool,
    audience: Audience,
    setup: &LetterSetup,
    progress: impl FnMut(usize) + Send + 'static,
) -> Result<Batch, LettersError> {
    let (letters, mut entries) = fill_in(pool, audience, setup).await?;
    let title = format!("{} ({})", setup.template.subject, audience);
    // Drawing thousands of pages is seconds of CPU: off the async workers, so the server keeps answering.
    let drawn = tokio::task::spawn_blocking(move || render_letters(letters, &title, progress))
        .await
        .map_err(|_| LettersError::Interrupted)??;
    for (entry, page) in entries.iter_mut().zip(drawn.first_pages) {
        entry.page = page;
    }
    Ok(Batch {
        pdf: drawn.pdf,
        pages: drawn.pages,
        mailing_list: entries,
    })
}

/// The mailing list of the batch [`batch`] would make now, page numbers included, without drawing the PDF.
pub async fn mailing_list(
    pool: &SqlitePool,
    audience: Audience,
    setup: &LetterSetup,
) -> Result<Vec<MailingListEntry>, LettersError> {
    let (letters, mut entries) = fill_in(pool, audience, setup).await?;
    let pages = tokio::task::spawn_blocking(move || first_pages(letters))
        .await
        .map_err(|_| LettersError::Interrupted)??;
    for (entry, page) in entries.iter_mut().zip(pages) {
        entry.page = page;
    }
    Ok(entries)
}

/// Each member's letter and mailing-list entry (its page still 0), in batch order.
async fn fill_in(
    pool: &SqlitePool,
    audience: Audience,
    setup: &LetterSetup,
) -> Result<(Vec<LetterContent>, Vec<MailingListEntry>), LettersError> {
    let mut letters = Vec::new();
    let mut entries = Vec::new();
    let mut stream = members(pool, audience);
    while let Some(member) = stream.try_next().await? {
        letters.push(setup.letter(&member.recipient)?);
        let recipient = member.recipient;
        entries.push(MailingListEntry {
            order: u32::try_from(entries.len() + 1).unwrap_or(u32::MAX),
            page: 0,
            reference_code: recipient.reference_code,
            postal_code: recipient.postal_code,
            address: recipient.address,
            name: recipient.name,
        });
    }
    Ok((letters, entries))
}

/// One customer's letter as a PDF, with the customer's reference code (for the file name);
/// `None` if there is no such customer.
pub async fn customer_letter(
    pool: &SqlitePool,
    customer_id: i64,
    setup: &LetterSetup,
) -> Result<Option<(ReferenceCode, Vec<u8>)>, LettersError> {
    let Some(member) = member(pool, customer_id).await? else {
        return Ok(None);
    };
    let letter = setup.letter(&member.recipient)?;
    let pdf = tokio::task::spawn_blocking(move || render_letter(&letter))
        .await
        .map_err(|_| LettersError::Interrupted)??;
    Ok(Some((member.recipient.reference_code, pdf)))
}

/// The mailing list as CSV for the print shop: UTF-8 with a byte-order mark, so Excel opens the
/// Japanese correctly, and Japanese headers.
pub fn write_mailing_list(entries: &[MailingListEntry], out: impl Write) -> Result<(), csv::Error> {
    let mut out = out;
    out.write_all("\u{feff}".as_bytes())?;
    let mut writer = csv::Writer::from_writer(out);
    writer.write_record(["順番", "ページ", "受付番号", "郵便番号", "住所", "氏名"])?;
    for entry in entries {
        writer.write_record([
            entry.order.to_string(),
            entry.page.to_string(),
            entry.reference_code.to_string(),
            entry.postal_code.to_string(),
            entry.address.to_string(),
            entry.name.to_string(),
        ])?;
    }
    writer.flush()?;
    Ok(())
}
