//! The public status page's data, and the managers' lookup report and FAQ editor.
//!
//! The lookup and the callback request are plain form posts (`server/src/status_routes.rs`), so
//! they work without JavaScript and keep the reference code out of every URL; they render the page
//! with a [`StatusContext`] that this module's `load_status_page` reads.

use breachdesk::status_page::FaqEntry;
use breachdesk::status_page::LookupReport;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// The cookie that holds a status session's token (15 minutes, this site only, never script-readable).
pub const STATUS_COOKIE: &str = "bd_status";

/// What the page says after a post, in the reader's language where it carries a time.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StatusMessage {
    /// The one answer for a wrong code, wrong digits and an unknown code.
    Mismatch,
    /// Too many failures; the time tries open again (Tokyo time, formatted).
    Throttled(String),
    /// The typed input cannot be a code or last 4 digits; the code's own message, if it is the code.
    InvalidInput {
        reference: Option<String>,
        last4: bool,
    },
    SessionExpired,
    /// The server failed; details are in its log.
    Unavailable,
    /// Queued; when agents will have called (formatted).
    CallbackCreated(String),
    CallbackAlreadyOpen,
    CallbackInvalid {
        phone: bool,
        time: bool,
    },
}

/// The hotline as the page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HotlineView {
    pub name: String,
    pub number: String,
    /// Digits for the `tel:` link.
    pub tel: String,
    pub open: bool,
    pub hours_text: Option<String>,
    /// While closed, the next opening (formatted).
    pub next_opening: Option<String>,
    /// A change of hours within 30 days.
    pub announcement: Option<String>,
}

/// One FAQ entry in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqItem {
    pub question: String,
    pub answer: String,
}

/// A customer's own status: the family name and nothing else personal beyond the card's brand and last 4.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusResult {
    pub family_name: String,
    pub card: String,
    pub reissue_code: String,
    pub reissue_label: String,
    pub reissue_next: String,
    pub refund_code: String,
    pub refund_label: String,
    pub refund_next: String,
    pub letter_sent: Option<String>,
    pub email_sent: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusPageView {
    pub company_name: String,
    pub notice_title: String,
    pub hotline: Option<HotlineView>,
    pub faq: Vec<FaqItem>,
    pub result: Option<StatusResult>,
    pub message: Option<StatusMessage>,
}

/// The managers' FAQ form: every entry as typed; blank rows are dropped.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FaqForm {
    #[serde(default)]
    pub entries: Vec<FaqEntry>,
}

/// Set by the status page's form posts for the page they render; absent on a plain GET.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, Default)]
pub struct StatusContext {
    pub customer_id: Option<i64>,
    pub message: Option<StatusMessage>,
}

/// Public: the notice, hotline and FAQ, and the reader's own status while their session lasts.
#[server(prefix = "/api", endpoint = "status/page")]
pub async fn load_status_page() -> Result<StatusPageView, AppError> {
    use crate::context::{state, with_status};
    with_status(async { server::page(&state()?).await }.await)
}

/// Managers: lookups per hour with failure spikes, and the addresses behind failures.
#[server(prefix = "/api", endpoint = "status/report")]
pub async fn load_lookup_report() -> Result<LookupReport, AppError> {
    use breachdesk::role::Capability;

    use crate::context::{require, state, with_status};
    require(Capability::ManageStatusPage)?;
    with_status(
        async { Ok(breachdesk::status_lookup::lookup_report(&state()?.pool, time::OffsetDateTime::now_utc()).await?) }
            .await,
    )
}

/// Managers: the FAQ as the editor shows it, with one blank row for a new entry.
#[server(prefix = "/api", endpoint = "status/faq")]
pub async fn load_faq() -> Result<FaqForm, AppError> {
    use breachdesk::role::Capability;

    use crate::context::{require, state, with_status};
    require(Capability::ManageStatusPage)?;
    with_status(
        async {
            let mut entries = breachdesk::status_lookup::faq(&state()?.pool).await?;
            entries.push(FaqEntry::default());
            Ok(FaqForm { entries })
        }
        .await,
    )
}

/// Managers: checks every entry and replaces the FAQ; the edit is in the audit trail.
#[server(prefix = "/api", endpoint = "status/faq/save")]
pub async fn save_faq(form: FaqForm) -> Result<FaqForm, AppError> {
    use breachdesk::audit::AuditAction;
    use breachdesk::role::Capability;

    use crate::context::{require, staff_event, state, with_status};
    let session = require(Capability::ManageStatusPage)?;
    with_status(
        async {
            let entries = server::parse_faq(&form)?;
            let pool = state()?.pool;
            let event = staff_event(&session, AuditAction::EditedStatusPage).object("faq");
            breachdesk::status_lookup::save_faq(&pool, &entries, &event).await?;
            let mut entries = entries;
            entries.push(FaqEntry::default());
            Ok(FaqForm { entries })
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
pub use server::{format_due, format_until};

#[cfg(feature = "ssr")]
mod server {
    use breachdesk::calendar::era::{format_en_short, format_western_ja};
    use breachdesk::calendar::status::HotlineStatus;
    use breachdesk::calendar::text::{change_announcement_en, change_announcement_ja};
    use breachdesk::calendar::{TOKYO, text};
    use breachdesk::incident::IncidentProfile;
    use breachdesk::status_lookup::{self, CustomerStatus};
    use breachdesk::status_page::{FAQ_MAX_ENTRIES, FaqEntry};
    use leptos::prelude::use_context;
    use time::OffsetDateTime;
    use time::format_description::well_known::Rfc3339;
    use time::macros::format_description;

    use super::{
        FaqForm, FaqItem, HotlineView, STATUS_COOKIE, StatusContext, StatusMessage, StatusPageView, StatusResult,
    };
    use crate::context::{AppState, lang};
    use crate::error::{AppError, FieldError};
    use crate::i18n::Lang;

    fn clock(at: OffsetDateTime) -> String {
        at.to_offset(TOKYO)
            .format(format_description!("[hour]:[minute]"))
            .unwrap_or_default()
    }

    /// A date and time in Tokyo, e.g. 2018年1月9日 17:00 or Tue 9 Jan 2018 17:00.
    fn day_and_clock(at: OffsetDateTime, lang: Lang) -> String {
        let date = at.to_offset(TOKYO).date();
        match lang {
            Lang::Ja => format!("{} {}", format_western_ja(date), clock(at)),
            Lang::En => format!("{} {}", format_en_short(date), clock(at)),
        }
    }

    /// When a throttled visitor may try again.
    pub fn format_until(at: OffsetDateTime, lang: Lang) -> String {
        match lang {
            Lang::Ja => clock(at),
            Lang::En => format!("{} (Japan time)", clock(at)),
        }
    }

    /// When a requested callback is due.
    pub fn format_due(at: OffsetDateTime, lang: Lang) -> String {
        day_and_clock(at, lang)
    }

    fn sent_on(stored: Option<&str>, lang: Lang) -> Option<String> {
        let date = OffsetDateTime::parse(stored?, &Rfc3339).ok()?.to_offset(TOKYO).date();
        Some(match lang {
            Lang::Ja => format_western_ja(date),
            Lang::En => breachdesk::calendar::era::format_en(date),
        })
    }

    fn result(status: CustomerStatus, lang: Lang) -> StatusResult {
        let t = lang.status_texts();
        let (reissue_label, reissue_next, refund_label, refund_next) = match lang {
            Lang::Ja => (
                status.reissue.label_ja(),
                status.reissue.explanation_ja(),
                status.refund.label_ja(),
                status.refund.explanation_ja(),
            ),
            Lang::En => (
                status.reissue.label_en(),
                status.reissue.explanation_en(),
                status.refund.label_en(),
                status.refund.explanation_en(),
            ),
        };
        StatusResult {
            family_name: status.family_name,
            card: (t.card)(&status.card_brand, &status.card_last4),
            reissue_code: status.reissue.code().to_owned(),
            reissue_label: reissue_label.to_owned(),
            reissue_next: reissue_next.to_owned(),
            refund_code: status.refund.code().to_owned(),
            refund_label: refund_label.to_owned(),
            refund_next: refund_next.to_owned(),
            letter_sent: sent_on(status.letter_sent_at.as_deref(), lang),
            email_sent: sent_on(status.email_sent_at.as_deref(), lang),
        }
    }

    fn cookie_token() -> Option<String> {
        let parts = use_context::<http::request::Parts>()?;
        let header = parts.headers.get(http::header::COOKIE)?.to_str().ok()?;
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == STATUS_COOKIE)
            .map(|(_, value)| value.to_owned())
            .filter(|value| !value.is_empty())
    }

    pub async fn page(state: &AppState) -> Result<StatusPageView, AppError> {
        let lang = lang();
        let pool = &state.pool;
        let now = OffsetDateTime::now_utc();
        let StatusContext { customer_id, message } = match use_context::<StatusContext>() {
            Some(context) => context,
            None => match cookie_token() {
                Some(token) => match status_lookup::session_customer(pool, &token, now).await? {
                    Some(customer_id) => StatusContext {
                        customer_id: Some(customer_id),
                        message: None,
                    },
                    None => StatusContext {
                        customer_id: None,
                        message: Some(StatusMessage::SessionExpired),
                    },
                },
                None => StatusContext::default(),
            },
        };
        let profile = IncidentProfile::load(pool).await?;
        let schedule = breachdesk::hotline::load(pool).await.map_err(|error| {
            tracing::error!(%error, "cannot read the hotline schedule for the status page");
            AppError::Internal
        })?;
        let hotline = match &profile {
            Some(profile) => {
                let status =
                    HotlineStatus::at(&schedule, Some(profile.hotline_number.clone()), now).map_err(|error| {
                        tracing::error!(%error, "the clock is outside the calendar");
                        AppError::Internal
                    })?;
                let today = now.to_offset(TOKYO).date();
                let next_opening = if status.open {
                    None
                } else {
                    schedule.next_opening(now).map(|at| day_and_clock(at, lang))
                };
                Some(HotlineView {
                    name: profile.hotline_name.clone(),
                    number: profile.hotline_number.clone(),
                    tel: profile.hotline_number.chars().filter(char::is_ascii_digit).collect(),
                    open: status.open,
                    hours_text: match lang {
                        Lang::Ja => text::hours_text_ja(&schedule, today),
                        Lang::En => text::hours_text_en(&schedule, today),
                    },
                    next_opening,
                    announcement: match lang {
                        Lang::Ja => change_announcement_ja(&schedule, today),
                        Lang::En => change_announcement_en(&schedule, today),
                    },
                })
            }
            None => None,
        };
        let faq = status_lookup::faq(pool)
            .await?
            .into_iter()
            .map(|entry| match lang {
                Lang::En if !entry.question_en.is_empty() => FaqItem {
                    question: entry.question_en,
                    answer: entry.answer_en,
                },
                _ => FaqItem {
                    question: entry.question_ja,
                    answer: entry.answer_ja,
                },
            })
            .collect();
        let result = match customer_id {
            Some(id) => status_lookup::status_of(pool, id)
                .await?
                .map(|status| result(status, lang)),
            None => None,
        };
        Ok(StatusPageView {
            company_name: profile.as_ref().map(|p| p.company_name.clone()).unwrap_or_default(),
            notice_title: profile.map(|p| p.title).unwrap_or_default(),
            hotline,
            faq,
            result,
            message,
        })
    }

    /// Every non-blank entry checked; problems are named `entries.<row>.<field>`.
    pub fn parse_faq(form: &FaqForm) -> Result<Vec<FaqEntry>, AppError> {
        let lang = lang();
        let mut entries = Vec::new();
        let mut problems = Vec::new();
        for (row, entry) in form.entries.iter().enumerate().filter(|(_, entry)| !entry.is_blank()) {
            match entry.parse() {
                Ok(entry) => entries.push(entry),
                Err(found) => problems.extend(found.into_iter().map(|(field, problem)| FieldError {
                    field: format!("entries.{row}.{field}"),
                    message: format!(
                        "{}: {}",
                        (lang.status_texts().faq_entry)(row + 1),
                        lang.faq_problem(problem)
                    ),
                })),
            }
        }
        if entries.len() > FAQ_MAX_ENTRIES {
            problems.push(FieldError {
                field: "entries".to_owned(),
                message: (lang.status_texts().faq_too_many)(FAQ_MAX_ENTRIES),
            });
        }
        if problems.is_empty() {
            Ok(entries)
        } else {
            Err(AppError::Invalid(problems))
        }
    }
}
