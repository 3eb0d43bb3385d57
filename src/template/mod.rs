//! Letter and email templates: `{{placeholder}}` texts checked when saved and filled in for one customer (pure, no I/O).
//!
//! A template is parsed before it is stored ([`TemplateDraft::parse`]), so an unknown or a missing
//! required placeholder is refused while the manager is still editing; rendering parses again because
//! a stored version is plain text, and a parse error there means the rules changed since it was saved.

mod placeholder;

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Serialize};
use time::Date;

use crate::calendar::era::{format_era_date, format_era_date_with_weekday, format_western_ja};
use crate::calendar::schedule::Schedule;
use crate::calendar::text::{change_announcement_ja, hours_text_ja};
use crate::customer::{Address, CustomerName, MaskedCard, PostalCode, ReferenceCode};
use crate::incident::IncidentProfile;
use crate::letter::{LetterContent, LetterRecipient};

pub use placeholder::Placeholder;
use placeholder::{Segment, parse, uses};

/// Postal letter or email: which parts a template has and which placeholders it must use.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TemplateKind {
    /// Title, body paragraphs and the 記 … 以上 notes, printed on A4.
    Letter,
    /// Subject, plain-text body and HTML body, sent as multipart/alternative.
    Email,
}

impl TemplateKind {
    /// The value stored in `templates.kind`.
    pub fn code(self) -> &'static str {
        match self {
            TemplateKind::Letter => "letter",
            TemplateKind::Email => "email",
        }
    }

    /// The kind stored as `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        [TemplateKind::Letter, TemplateKind::Email]
            .into_iter()
            .find(|kind| kind.code() == code)
    }

    /// Placeholders every template of this kind must use, so no customer receives a message
    /// without the code that identifies them or the number to call.
    pub fn required(self) -> &'static [Placeholder] {
        &[Placeholder::ReferenceCode, Placeholder::HotlineNumber]
    }

    /// The parts that must each contain the required placeholders: the 記 block of a letter, and
    /// both parts of an email (a reader sees only one of them).
    fn required_in(self) -> &'static [TemplateField] {
        match self {
            TemplateKind::Letter => &[TemplateField::Notes],
            TemplateKind::Email => &[TemplateField::Body, TemplateField::Html],
        }
    }
}

/// How the letter date, the order date and the affected period are written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DateStyle {
    /// 平成29年12月22日, the usual form in a formal Japanese letter.
    Wareki,
    /// 2017年12月22日.
    Western,
}

impl DateStyle {
    /// The value stored in `template_versions.date_style`.
    pub fn code(self) -> &'static str {
        match self {
            DateStyle::Wareki => "wareki",
            DateStyle::Western => "western",
        }
    }

    /// The style stored as `code`.
    pub fn from_code(code: &str) -> Option<Self> {
        [DateStyle::Wareki, DateStyle::Western]
            .into_iter()
            .find(|style| style.code() == code)
    }

    /// `date` in this style; an era date before 明治 falls back to the Western form.
    pub fn format(self, date: Date) -> String {
        match self {
            DateStyle::Wareki => format_era_date(date).unwrap_or_else(|| format_western_ja(date)),
            DateStyle::Western => format_western_ja(date),
        }
    }
}

/// The editable parts of a template, named in error messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TemplateField {
    /// The email subject, or the letter title.
    Subject,
    /// The plain-text body.
    Body,
    /// The email's HTML body.
    Html,
    /// The letter's 記 … 以上 lines.
    Notes,
}

impl TemplateField {
    /// The name used in English messages and form field names.
    pub fn name(self) -> &'static str {
        match self {
            TemplateField::Subject => "subject",
            TemplateField::Body => "body",
            TemplateField::Html => "html",
            TemplateField::Notes => "notes",
        }
    }

    /// The field's label in Japanese messages.
    pub fn label_ja(self) -> &'static str {
        match self {
            TemplateField::Subject => "件名（表題）",
            TemplateField::Body => "本文",
            TemplateField::Html => "HTML本文",
            TemplateField::Notes => "記の項目",
        }
    }
}

impl fmt::Display for TemplateField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a template text was refused or could not be filled in.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum TemplateError {
    #[error("the {field} uses {{{{{name}}}}}, which is not a placeholder")]
    UnknownPlaceholder { field: TemplateField, name: String },
    #[error("the {field} must contain {placeholder}")]
    MissingPlaceholder {
        field: TemplateField,
        placeholder: Placeholder,
    },
    #[error("the {field} opens {{{{ without closing it near {near:?}")]
    Unclosed { field: TemplateField, near: String },
    #[error("the {field} is empty")]
    Empty { field: TemplateField },
    #[error("the {field} must be a single line")]
    MultiLine { field: TemplateField },
    #[error("a {kind} template has no {field}")]
    NotUsed {
        kind: TemplateKindName,
        field: TemplateField,
    },
    #[error("{placeholder} has no value: the hotline schedule has no hours for that date")]
    NoValue { placeholder: Placeholder },
    #[error("the {field} contains an invisible control or direction character (U+{code_point:04X})")]
    HiddenCharacter { field: TemplateField, code_point: u32 },
}

/// A kind's name inside an error (serialisable on its own so errors can cross to the browser).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateKindName(pub TemplateKind);

impl fmt::Display for TemplateKindName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.code())
    }
}

impl TemplateError {
    /// The field the error is about, so the editor can mark it.
    pub fn field(&self) -> Option<TemplateField> {
        match self {
            TemplateError::UnknownPlaceholder { field, .. }
            | TemplateError::MissingPlaceholder { field, .. }
            | TemplateError::Unclosed { field, .. }
            | TemplateError::Empty { field }
            | TemplateError::MultiLine { field }
            | TemplateError::NotUsed { field, .. }
            | TemplateError::HiddenCharacter { field, .. } => Some(*field),
            TemplateError::NoValue { .. } => None,
        }
    }

    /// The message in Japanese, naming the field and the placeholder.
    pub fn message_ja(&self) -> String {
        match self {
            TemplateError::UnknownPlaceholder { field, name } => {
                format!("{}の {{{{{name}}}}} は使えない差し込み項目です。", field.label_ja())
            }
            TemplateError::MissingPlaceholder { field, placeholder } => {
                format!(
                    "{}に {placeholder}（{}）が必要です。",
                    field.label_ja(),
                    placeholder.description_ja()
                )
            }
            TemplateError::Unclosed { field, near } => {
                format!("{}の「{{{{{near}」が }}}} で閉じられていません。", field.label_ja())
            }
            TemplateError::Empty { field } => format!("{}が空です。", field.label_ja()),
            TemplateError::MultiLine { field } => format!("{}は1行で書いてください。", field.label_ja()),
            TemplateError::NotUsed { kind, field } => {
                let kind = match kind.0 {
                    TemplateKind::Letter => "郵送の書面",
                    TemplateKind::Email => "メール",
                };
                format!("{kind}のテンプレートには{}はありません。", field.label_ja())
            }
            TemplateError::NoValue { placeholder } => {
                format!(
                    "{placeholder}（{}）の値がありません。受付時間の設定を確認してください。",
                    placeholder.description_ja()
                )
            }
            TemplateError::HiddenCharacter { field, code_point } => {
                format!(
                    "{}に見えない制御文字または書字方向の文字（U+{code_point:04X}）が含まれています。削除してください。",
                    field.label_ja()
                )
            }
        }
    }
}

/// The editable texts of a template as typed, before they are checked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateText {
    pub subject: String,
    pub body: String,
    /// Email only; an empty text counts as none.
    pub html_body: Option<String>,
    /// Letter only; an empty text counts as none.
    pub notes: Option<String>,
}

/// A template text that passed every check for its kind: ready to be stored as a new version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateDraft {
    kind: TemplateKind,
    date_style: DateStyle,
    subject: String,
    body: String,
    html_body: Option<String>,
    notes: Option<String>,
}

impl TemplateDraft {
    /// Checks `text` for a template of `kind`: known placeholders only, the required ones present,
    /// a one-line subject, and only the parts the kind has. Line endings become `\n`.
    pub fn parse(kind: TemplateKind, date_style: DateStyle, text: TemplateText) -> Result<Self, TemplateError> {
        let tidy = |text: String| text.replace("\r\n", "\n").trim().to_owned();
        let optional = |text: Option<String>| text.map(tidy).filter(|text| !text.is_empty());
        let draft = TemplateDraft {
            kind,
            date_style,
            subject: tidy(text.subject),
            body: tidy(text.body),
            html_body: optional(text.html_body),
            notes: optional(text.notes),
        };
        draft.check()?;
        Ok(draft)
    }

    fn check(&self) -> Result<(), TemplateError> {
        Parts::of(
            self.kind,
            &self.subject,
            &self.body,
            self.html_body.as_deref(),
            self.notes.as_deref(),
        )
        .map(|_| ())
    }

    pub fn kind(&self) -> TemplateKind {
        self.kind
    }

    pub fn date_style(&self) -> DateStyle {
        self.date_style
    }

    pub fn subject(&self) -> &str {
        &self.subject
    }

    pub fn body(&self) -> &str {
        &self.body
    }

    pub fn html_body(&self) -> Option<&str> {
        self.html_body.as_deref()
    }

    pub fn notes(&self) -> Option<&str> {
        self.notes.as_deref()
    }
}

/// One saved version of a template, as stored (versions are never changed).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TemplateVersion {
    pub id: i64,
    pub template_name: String,
    /// 1, 2, 3… per template.
    pub version: u32,
    pub kind: TemplateKind,
    /// Email subject or letter title.
    pub subject: String,
    pub body: String,
    pub html_body: Option<String>,
    pub notes: Option<String>,
    pub date_style: DateStyle,
}

impl TemplateVersion {
    /// The version's texts, to edit them into the next version.
    pub fn text(&self) -> TemplateText {
        TemplateText {
            subject: self.subject.clone(),
            body: self.body.clone(),
            html_body: self.html_body.clone(),
            notes: self.notes.clone(),
        }
    }
}

/// One entry of a template's version history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionInfo {
    pub id: i64,
    pub version: u32,
    pub created_at: time::OffsetDateTime,
    /// The staff member's display name; `None` for the demo load and the command line.
    pub author: Option<String>,
}

/// The customer a letter or email is made for: only what templates may print (never a card number).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Recipient {
    pub name: CustomerName,
    pub postal_code: PostalCode,
    pub address: Address,
    pub reference_code: ReferenceCode,
    pub card: MaskedCard,
    pub order_date: Option<Date>,
}

/// Everything a template is filled in from.
#[derive(Clone, Copy, Debug)]
pub struct RenderContext<'a> {
    pub recipient: &'a Recipient,
    pub incident: &'a IncidentProfile,
    /// The hotline schedule, for the hours text; `None` before one is set up.
    pub schedule: Option<&'a Schedule>,
    /// The sending date, printed on the letter and used to pick the hours in force.
    pub date: Date,
}

/// An email for one customer, every placeholder filled in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    /// A whole HTML document: the template's HTML inside a plain page, no images or scripts.
    pub html: String,
}

/// The parsed parts of a template, checked for its kind.
struct Parts<'a> {
    subject: Vec<Segment<'a>>,
    body: Vec<Segment<'a>>,
    /// The HTML of an email or the notes of a letter.
    extra: Vec<Segment<'a>>,
}

impl<'a> Parts<'a> {
    fn of(
        kind: TemplateKind,
        subject: &'a str,
        body: &'a str,
        html_body: Option<&'a str>,
        notes: Option<&'a str>,
    ) -> Result<Self, TemplateError> {
        if subject.trim().is_empty() {
            return Err(TemplateError::Empty {
                field: TemplateField::Subject,
            });
        }
        if subject.contains('\n') {
            return Err(TemplateError::MultiLine {
                field: TemplateField::Subject,
            });
        }
        if body.trim().is_empty() {
            return Err(TemplateError::Empty {
                field: TemplateField::Body,
            });
        }
        let (extra_field, extra, other_field, other) = match kind {
            TemplateKind::Letter => (TemplateField::Notes, notes, TemplateField::Html, html_body),
            TemplateKind::Email => (TemplateField::Html, html_body, TemplateField::Notes, notes),
        };
        if other.is_some_and(|text| !text.trim().is_empty()) {
            return Err(TemplateError::NotUsed {
                kind: TemplateKindName(kind),
                field: other_field,
            });
        }
        let extra = extra
            .filter(|text| !text.trim().is_empty())
            .ok_or(TemplateError::Empty { field: extra_field })?;
        // Letters and emails reach thousands of people: a hidden direction override would make them read
        // differently from what the manager saw in the editor.
        for (field, text) in [
            (TemplateField::Subject, subject),
            (TemplateField::Body, body),
            (extra_field, extra),
        ] {
            crate::text::check(text, crate::text::Lines::Multi).map_err(|hidden| TemplateError::HiddenCharacter {
                field,
                code_point: u32::from(hidden.0),
            })?;
        }
        let parts = Parts {
            subject: parse(TemplateField::Subject, subject)?,
            body: parse(TemplateField::Body, body)?,
            extra: parse(extra_field, extra)?,
        };
        for field in kind.required_in() {
            let segments = if *field == TemplateField::Body {
                &parts.body
            } else {
                &parts.extra
            };
            if let Some(missing) = kind.required().iter().find(|required| !uses(segments, **required)) {
                return Err(TemplateError::MissingPlaceholder {
                    field: *field,
                    placeholder: *missing,
                });
            }
        }
        Ok(parts)
    }

    fn of_version(version: &'a TemplateVersion) -> Result<Self, TemplateError> {
        Parts::of(
            version.kind,
            &version.subject,
            &version.body,
            version.html_body.as_deref(),
            version.notes.as_deref(),
        )
    }
}

/// Fills in one customer's letter from a letter template.
pub fn render_letter(version: &TemplateVersion, ctx: &RenderContext<'_>) -> Result<LetterContent, TemplateError> {
    let parts = Parts::of_version(version)?;
    let style = version.date_style;
    let body = fill(&parts.body, ctx, style, Escape::None)?;
    let paragraphs: Vec<String> = paragraphs(&body);
    let closing = closing_for(paragraphs.first().map(String::as_str).unwrap_or_default());
    let notes = fill(&parts.extra, ctx, style, Escape::None)?
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    let recipient = ctx.recipient;
    let incident = ctx.incident;
    let mut sender_lines: Vec<String> = incident
        .letter_sender
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect();
    if sender_lines.is_empty() {
        sender_lines = vec![incident.company_name.clone(), incident.representative.clone()];
    }
    sender_lines.push(format!("{} {}", incident.hotline_name, incident.hotline_number));
    Ok(LetterContent {
        date_line: style.format(ctx.date),
        recipient: LetterRecipient {
            postal_line: format!("〒{}", recipient.postal_code),
            address_lines: address_lines(&recipient.address),
            name_line: format!("{} 様", recipient.name),
        },
        sender_lines,
        title: fill(&parts.subject, ctx, style, Escape::None)?,
        body: paragraphs,
        closing: closing.to_owned(),
        notes,
        footer: format!(
            "{}  {} v{}",
            recipient.reference_code, version.template_name, version.version
        ),
    })
}

/// Fills in one customer's email from an email template.
pub fn render_email(version: &TemplateVersion, ctx: &RenderContext<'_>) -> Result<RenderedEmail, TemplateError> {
    let parts = Parts::of_version(version)?;
    let style = version.date_style;
    let subject = fill(&parts.subject, ctx, style, Escape::None)?;
    let content = fill(&parts.extra, ctx, style, Escape::Html)?;
    let html = format!(
        "<!DOCTYPE html>\n<html lang=\"ja\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{}</title>\n</head>\n\
         <body style=\"margin:0;padding:16px;font-family:sans-serif;font-size:15px;line-height:1.7;color:#222;background:#fff\">\n\
         <div style=\"max-width:640px;margin:0 auto\">\n{content}\n</div>\n</body>\n</html>\n",
        escape_html(&subject)
    );
    Ok(RenderedEmail {
        text: fill(&parts.body, ctx, style, Escape::None)?,
        subject,
        html,
    })
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Escape {
    None,
    Html,
}

fn fill(
    segments: &[Segment<'_>],
    ctx: &RenderContext<'_>,
    style: DateStyle,
    escape: Escape,
) -> Result<String, TemplateError> {
    let mut out = String::new();
    for segment in segments {
        match segment {
            Segment::Text(text) => out.push_str(text),
            Segment::Value(placeholder) => {
                let value = value(*placeholder, ctx, style)?;
                match escape {
                    Escape::None => out.push_str(&value),
                    Escape::Html => out.push_str(&escape_html(&value)),
                }
            }
        }
    }
    Ok(out)
}

fn value<'a>(
    placeholder: Placeholder,
    ctx: &RenderContext<'a>,
    style: DateStyle,
) -> Result<Cow<'a, str>, TemplateError> {
    let recipient = ctx.recipient;
    let incident = ctx.incident;
    Ok(match placeholder {
        Placeholder::FullName => Cow::Borrowed(recipient.name.as_str()),
        Placeholder::FamilyName => Cow::Borrowed(recipient.name.family_name()),
        Placeholder::PostalCode => Cow::Owned(recipient.postal_code.to_string()),
        Placeholder::Address => Cow::Borrowed(recipient.address.as_str()),
        Placeholder::ReferenceCode => Cow::Owned(recipient.reference_code.to_string()),
        Placeholder::CardBrand => Cow::Borrowed(recipient.card.brand.label()),
        Placeholder::CardLast4 => Cow::Borrowed(recipient.card.last4.as_str()),
        // An imported list may lack order dates; a dash reads better in a letter than a gap.
        Placeholder::OrderDate => Cow::Owned(
            recipient
                .order_date
                .map_or_else(|| "—".to_owned(), |date| style.format(date)),
        ),
        Placeholder::Company => Cow::Borrowed(incident.company_name.as_str()),
        Placeholder::Representative => Cow::Borrowed(incident.representative.as_str()),
        Placeholder::Shop => Cow::Borrowed(incident.shop_name.as_str()),
        Placeholder::AffectedPeriod => Cow::Owned(format!(
            "{}～{}",
            style.format(incident.affected_from),
            style.format(incident.affected_until)
        )),
        Placeholder::HotlineName => Cow::Borrowed(incident.hotline_name.as_str()),
        Placeholder::HotlineNumber => Cow::Borrowed(incident.hotline_number.as_str()),
        Placeholder::HotlineHours => Cow::Owned(
            ctx.schedule
                .and_then(|schedule| hours_on(schedule, ctx.date))
                .ok_or(TemplateError::NoValue { placeholder })?,
        ),
        Placeholder::StatusPageUrl => Cow::Borrowed(incident.status_page_url.as_str()),
        Placeholder::Date => Cow::Owned(style.format(ctx.date)),
    })
}

/// The hours text for a message sent on `date`: the hours in force, plus an announced change,
/// e.g. 「受付時間 9:30～18:30（土日祝日除く）、平成30年1月2日（火）より 10:00～17:00」. Between two
/// periods (the year-end closure) the next period's hours with the day they start.
pub fn hours_on(schedule: &Schedule, date: Date) -> Option<String> {
    let hours = hours_text_ja(schedule, date)?;
    if schedule.period_on(date).is_none() {
        let next = schedule.periods().iter().find(|period| period.effective_from > date)?;
        let from =
            format_era_date_with_weekday(next.effective_from).unwrap_or_else(|| format_western_ja(next.effective_from));
        return Some(format!("{hours}（{from}より）"));
    }
    Some(match change_announcement_ja(schedule, date) {
        Some(change) => format!("{hours}、{change}"),
        None => hours,
    })
}

/// Paragraphs separated by blank lines; the lines of one paragraph run together, as Japanese
/// text has no spaces between lines and the PDF wraps it again anyway.
fn paragraphs(text: &str) -> Vec<String> {
    let mut paragraphs = Vec::new();
    let mut current = String::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    paragraphs
}

/// The closing word that answers the opening one: 謹啓…謹白, 拝啓…敬具, 前略…草々.
fn closing_for(first_paragraph: &str) -> &'static str {
    if first_paragraph.starts_with("拝啓") {
        "敬具"
    } else if first_paragraph.starts_with("前略") {
        "草々"
    } else {
        "謹白"
    }
}

/// Longer than this, an address goes on two lines, split before the building.
const ONE_LINE_ADDRESS_CHARS: usize = 22;

fn address_lines(address: &Address) -> Vec<String> {
    let text = address.as_str();
    match text.rsplit_once(' ') {
        Some((street, building)) if text.chars().count() > ONE_LINE_ADDRESS_CHARS => {
            vec![street.to_owned(), building.to_owned()]
        }
        _ => vec![text.to_owned()],
    }
}

/// Escapes text for HTML content and quoted attribute values.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests;
