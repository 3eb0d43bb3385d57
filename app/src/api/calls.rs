//! The call desk: finding the caller, the identity check, logging calls, contact corrections and
//! resend requests, the callback queue, escalations, disposition codes, the desk report and the
//! customer timeline.

use breachdesk::call::disposition::DispositionGroup;
use breachdesk::call::report::CallReport;
use breachdesk::call::{
    CallbackTask, CallerMatch, CallerView, DispositionCode, Escalation, IdentityCheck, LoggedCall, TimelineEntry,
};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Masked matches for the Calls page's box, while typing and on a plain submit.
#[server(prefix = "/api", endpoint = "calls/search")]
pub async fn search_callers(q: String) -> Result<Vec<CallerMatch>, AppError> {
    use crate::context::{lang, require, staff_event, state, with_status};
    use breachdesk::audit::{AuditAction, record_logged};
    use breachdesk::customers::CustomerSearch;
    use breachdesk::role::Capability;
    let session = require(Capability::LogCalls)?;
    with_status(
        async {
            let search = CustomerSearch::parse(&q)
                .map_err(|_| AppError::field("q", lang().calls_texts().error_search_too_long))?;
            if search == CustomerSearch::All {
                return Ok(Vec::new());
            }
            let pool = state()?.pool;
            let found = breachdesk::calls::search::find_callers(&pool, &search).await?;
            // The kind of key and the count, never the term.
            let detail = format!("calls {} total={}", search.kind(), found.len());
            record_logged(
                &pool,
                &staff_event(&session, AuditAction::SearchedCustomers).detail(detail),
            )
            .await;
            Ok(found)
        }
        .await,
    )
}

/// Whether the viewer may see the customer's details: managers and admins always, agents after a
/// passed identity check of their own within the last half hour.
#[cfg(feature = "ssr")]
pub(crate) async fn verified(
    pool: &sqlx::SqlitePool,
    session: &breachdesk::sessions::Session,
    customer_id: i64,
) -> Result<(bool, Option<IdentityCheck>), sqlx::Error> {
    let check =
        breachdesk::calls::identity::recent_check(pool, customer_id, session.staff.id, time::OffsetDateTime::now_utc())
            .await?;
    let manager = session.staff.role != breachdesk::role::Role::Agent;
    Ok((manager || check.as_ref().is_some_and(IdentityCheck::passed), check))
}

/// The customer exists (else 404) and the viewer may see their details (else 403).
#[cfg(feature = "ssr")]
async fn require_verified(
    pool: &sqlx::SqlitePool,
    session: &breachdesk::sessions::Session,
    customer_id: i64,
) -> Result<(), AppError> {
    if breachdesk::calls::search::caller_by_id(pool, customer_id)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound);
    }
    if verified(pool, session, customer_id).await?.0 {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// The caller the Calls page has open: masked, with whether the viewer may see more.
#[server(prefix = "/api", endpoint = "calls/caller")]
pub async fn load_caller(id: i64) -> Result<CallerView, AppError> {
    use crate::context::{require, state, with_status};
    use breachdesk::role::Capability;
    let session = require(Capability::LogCalls)?;
    with_status(
        async {
            let pool = state()?.pool;
            let caller = breachdesk::calls::search::caller_by_id(&pool, id)
                .await?
                .ok_or(AppError::NotFound)?;
            let (verified, check) = verified(&pool, &session, id).await?;
            Ok(CallerView {
                caller,
                verified,
                confirmed: check.map(|check| check.facts().to_vec()).unwrap_or_default(),
                returned_mail: breachdesk::calls::identity::returned_mail(&pool, id).await?,
            })
        }
        .await,
    )
}

/// What the caller answered, as the agent typed it; blank for facts not asked.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityForm {
    pub customer_id: i64,
    #[serde(default)]
    pub reference_code: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub card_last4: String,
}

/// Compares the answers with the stored values and records the check (which kinds matched only).
#[server(prefix = "/api", endpoint = "calls/identity")]
pub async fn check_identity(check: IdentityForm) -> Result<IdentityCheck, AppError> {
    use crate::context::{require, staff_event, state, with_status};
    use breachdesk::audit::AuditAction;
    use breachdesk::calls::identity::CallerAnswers;
    use breachdesk::role::Capability;
    let session = require(Capability::LogCalls)?;
    with_status(
        async {
            let answers = CallerAnswers {
                reference_code: check.reference_code,
                postal_code: check.postal_code,
                phone: check.phone,
                card_last4: check.card_last4,
            };
            let event = staff_event(&session, AuditAction::CheckedIdentity);
            breachdesk::calls::identity::check(&state()?.pool, check.customer_id, &answers, event)
                .await?
                .ok_or(AppError::NotFound)
        }
        .await,
    )
}

/// What the call form offers: the codes in use, the default line, open callbacks of the customer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallFormData {
    pub dispositions: Vec<DispositionGroup>,
    pub line: String,
    pub callbacks: Vec<CallbackTask>,
    /// Links to the desk report and the code list, for the roles that may open them.
    pub may_view_reports: bool,
    pub may_manage_dispositions: bool,
}

#[server(prefix = "/api", endpoint = "calls/form")]
pub async fn load_call_form(customer_id: Option<i64>) -> Result<CallFormData, AppError> {
    use crate::context::{require, state, with_status};
    use breachdesk::role::Capability;
    let session = require(Capability::LogCalls)?;
    with_status(
        async {
            let pool = state()?.pool;
            let codes = breachdesk::calls::dispositions::list(&pool)
                .await?
                .into_iter()
                .filter(|code| code.active)
                .collect();
            let line = breachdesk::incident::IncidentProfile::load(&pool)
                .await?
                .map(|profile| profile.hotline_number)
                .unwrap_or_default();
            let callbacks = breachdesk::calls::desk::open_callbacks(&pool, time::OffsetDateTime::now_utc())
                .await?
                .into_iter()
                .filter(|task| customer_id.is_some() && task.customer_id == customer_id)
                .collect();
            Ok(CallFormData {
                dispositions: breachdesk::call::disposition::group(codes),
                line,
                callbacks,
                may_view_reports: session.staff.role.may(Capability::ViewCallReports),
                may_manage_dispositions: session.staff.role.may(Capability::ManageDispositions),
            })
        }
        .await,
    )
}

/// One call as the Calls page's form posts it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallForm {
    /// Empty for a caller not on the list.
    #[serde(default)]
    pub customer_id: String,
    /// `2017-12-29T18:00` in Tokyo time (a datetime-local field); empty for now.
    #[serde(default)]
    pub received_at: String,
    #[serde(default)]
    pub caller_phone: String,
    #[serde(default)]
    pub line: String,
    #[serde(default)]
    pub disposition: String,
    #[serde(default)]
    pub notes: String,
    #[serde(default)]
    pub outcome: String,
    #[serde(default)]
    pub talk_minutes: String,
    #[serde(default)]
    pub callback_hours: String,
    /// The open callback this call returns; empty for none.
    #[serde(default)]
    pub callback_id: String,
}

/// Reads a datetime-local value as Tokyo time.
pub fn parse_received_at(input: &str) -> Option<time::OffsetDateTime> {
    let input = input.trim();
    let with_seconds = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]");
    let minutes = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    time::PrimitiveDateTime::parse(input, minutes)
        .or_else(|_| time::PrimitiveDateTime::parse(input, with_seconds))
        .ok()
        .map(|at| at.assume_offset(breachdesk::calendar::TOKYO))
}

/// Logs a call; a callback or an escalation follows from its outcome. Escalations are emailed to
/// the escalation contacts after the record is committed.
#[server(prefix = "/api", endpoint = "calls/log")]
pub async fn log_call(call: CallForm) -> Result<LoggedCall, AppError> {
    use crate::context::{lang, require, state, with_status};
    use breachdesk::call::{CallNotes, CallNotesError, CallbackDelay, Outcome, TalkMinutes};
    use breachdesk::calls::desk::{CallError, NewCall};
    use breachdesk::customer::PhoneNumber;
    use breachdesk::customer::width::fold_number;
    use breachdesk::role::Capability;
    let session = require(Capability::LogCalls)?;
    with_status(
        async {
            let t = lang().calls_texts();
            let mut errors = Vec::new();
            let mut refuse = |field: &str, message: &str| {
                errors.push(crate::error::FieldError {
                    field: field.to_owned(),
                    message: message.to_owned(),
                })
            };
            let customer_id = match call.customer_id.trim() {
                "" => None,
                id => id.parse::<i64>().ok(),
            };
            let received_at = match call.received_at.trim() {
                "" => Some(time::OffsetDateTime::now_utc()),
                written => parse_received_at(written),
            };
            if received_at.is_none() {
                refuse("received_at", t.error_received_at);
            }
            let caller_phone = match call.caller_phone.trim() {
                "" => Some(String::new()),
                written => PhoneNumber::parse(written).ok().map(|phone| phone.digits().to_owned()),
            };
            if caller_phone.is_none() {
                refuse("caller_phone", t.error_phone);
            }
            let line = fold_number(call.line.trim());
            if line.chars().count() > 20 || line.chars().any(|c| !(c.is_ascii_digit() || c == '-')) {
                refuse("line", t.error_line);
            }
            let disposition_id = call.disposition.trim().parse::<i64>().ok();
            if disposition_id.is_none() {
                refuse("disposition", t.error_category);
            }
            let notes = CallNotes::parse(&call.notes);
            match notes {
                Err(CallNotesError::TooLong) => refuse("notes", t.error_notes_long),
                Err(CallNotesError::Hidden) => refuse("notes", t.error_hidden),
                Ok(_) => {}
            }
            let outcome = Outcome::from_code(call.outcome.trim());
            if outcome.is_none() {
                refuse("outcome", t.error_outcome);
            }
            let talk = TalkMinutes::parse(if call.talk_minutes.trim().is_empty() {
                "0"
            } else {
                &call.talk_minutes
            });
            if talk.is_err() {
                refuse("talk_minutes", t.error_talk);
            }
            let delay = CallbackDelay::parse(&call.callback_hours);
            if delay.is_err() {
                refuse("callback_hours", t.error_callback_hours);
            }
            let closes_callback = call.callback_id.trim().parse::<i64>().ok();
            let (
                Some(received_at),
                Some(caller_phone),
                Some(disposition_id),
                Ok(notes),
                Some(outcome),
                Ok(talk),
                Ok(callback_delay),
                true,
            ) = (
                received_at,
                caller_phone,
                disposition_id,
                notes,
                outcome,
                talk,
                delay,
                errors.is_empty(),
            )
            else {
                return Err(AppError::Invalid(errors));
            };
            let app = state()?;
            let schedule = breachdesk::hotline::load(&app.pool).await.map_err(|error| {
                tracing::error!(%error, "cannot read the hotline schedule");
                AppError::Internal
            })?;
            let new = NewCall {
                customer_id,
                staff_id: session.staff.id,
                received_at,
                caller_phone,
                line,
                disposition_id,
                notes,
                outcome,
                talk,
                callback_delay,
                closes_callback,
            };
            let logged = breachdesk::calls::desk::log_call(&app.pool, &schedule, new, address())
                .await
                .map_err(|error| match error {
                    CallError::CustomerNotFound => AppError::NotFound,
                    CallError::UnknownDisposition => AppError::field("disposition", t.error_category),
                    CallError::NoNumberToCall => AppError::field("caller_phone", t.error_no_number),
                    CallError::NoOpenHours => AppError::field("callback_hours", t.error_no_open_hours),
                    CallError::CallbackNotOpen => AppError::Conflict(t.error_callback_closed.to_owned()),
                    CallError::Database(error) => error.into(),
                })?;
            // An escalation's emails go out from the `serve` worker (server/src/workers.rs).
            Ok(logged)
        }
        .await,
    )
}

/// The address the request came from, for the audit trail.
#[cfg(feature = "ssr")]
fn address() -> Option<std::net::IpAddr> {
    use_context::<http::request::Parts>().and_then(|parts| {
        parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip())
    })
}

/// A correction of the address (postal code and address) or of the email.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactForm {
    pub customer_id: i64,
    /// `address` or `email`
    pub field: String,
    #[serde(default)]
    pub postal_code: String,
    #[serde(default)]
    pub address: String,
    #[serde(default)]
    pub email: String,
}

/// Agents after a passed identity check, and managers: the change is kept with history.
#[server(prefix = "/api", endpoint = "calls/contact")]
pub async fn correct_contact(contact: ContactForm) -> Result<(), AppError> {
    use crate::context::{lang, require, staff_event, state, with_status};
    use breachdesk::audit::AuditAction;
    use breachdesk::calls::identity::ContactCorrection;
    use breachdesk::customer::{Address, Email, PostalCode};
    use breachdesk::role::Capability;
    let session = require(Capability::LogCalls)?;
    with_status(
        async {
            let t = lang().calls_texts();
            let correction = match contact.field.as_str() {
                "address" => {
                    let postal_code = PostalCode::parse(&contact.postal_code)
                        .map_err(|_| AppError::field("postal_code", t.error_postal_code))?;
                    let address =
                        Address::parse(&contact.address).map_err(|_| AppError::field("address", t.error_address))?;
                    ContactCorrection::Address { postal_code, address }
                }
                _ => ContactCorrection::Email(
                    Email::parse(&contact.email).map_err(|_| AppError::field("email", t.error_email))?,
                ),
            };
            let pool = state()?.pool;
            require_verified(&pool, &session, contact.customer_id).await?;
            let event = staff_event(&session, AuditAction::ChangedContact);
            if breachdesk::calls::identity::correct_contact(&pool, contact.customer_id, &correction, event).await? {
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        }
        .await,
    )
}

/// The customer asked for the letter (`letter`) or the email (`email`) again.
#[server(prefix = "/api", endpoint = "calls/resend")]
pub async fn request_resend(customer_id: i64, channel: String) -> Result<(), AppError> {
    use crate::context::{require, state, with_status};
    use breachdesk::role::Capability;
    let session = require(Capability::LogCalls)?;
    with_status(
        async {
            let pool = state()?.pool;
            require_verified(&pool, &session, customer_id).await?;
            let letter = channel != "email";
            if breachdesk::calls::identity::request_resend(&pool, customer_id, letter, session.staff.id, address())
                .await?
            {
                Ok(())
            } else {
                Err(AppError::NotFound)
            }
        }
        .await,
    )
}

/// The customer's timeline, newest first; agents see it after a passed identity check.
#[server(prefix = "/api", endpoint = "calls/timeline")]
pub async fn load_timeline(customer_id: i64) -> Result<Vec<TimelineEntry>, AppError> {
    use crate::context::{require, state, with_status};
    use breachdesk::role::Capability;
    let session = require(Capability::LogCalls)?;
    with_status(
        async {
            let pool = state()?.pool;
            require_verified(&pool, &session, customer_id).await?;
            Ok(breachdesk::calls::timeline::timeline(&pool, customer_id).await?)
        }
        .await,
    )
}

/// The callback queue and the staff it can be assigned to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallbackQueue {
    pub tasks: Vec<CallbackTask>,
    pub staff: Vec<(i64, String)>,
}

#[server(prefix = "/api", endpoint = "callbacks/list")]
pub async fn load_callbacks() -> Result<CallbackQueue, AppError> {
    use crate::context::{require, state, with_status};
    use breachdesk::role::Capability;
    require(Capability::LogCalls)?;
    with_status(
        async {
            let pool = state()?.pool;
            Ok(CallbackQueue {
                tasks: breachdesk::calls::desk::open_callbacks(&pool, time::OffsetDateTime::now_utc()).await?,
                staff: breachdesk::calls::desk::assignable_staff(&pool).await?,
            })
        }
        .await,
    )
}

/// Assigns an open callback to a staff member; an empty `staff_id` unassigns it.
#[server(prefix = "/api", endpoint = "callbacks/assign")]
pub async fn assign_callback(callback_id: i64, staff_id: String) -> Result<(), AppError> {
    use crate::context::{lang, require, staff_event, state, with_status};
    use breachdesk::audit::AuditAction;
    use breachdesk::role::Capability;
    let session = require(Capability::LogCalls)?;
    with_status(
        async {
            let assignee = staff_id.trim().parse::<i64>().ok();
            let event = staff_event(&session, AuditAction::HandledCallback);
            if breachdesk::calls::desk::assign_callback(&state()?.pool, callback_id, assignee, event).await? {
                Ok(())
            } else {
                Err(AppError::Conflict(lang().calls_texts().error_state.to_owned()))
            }
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "escalations/list")]
pub async fn load_escalations() -> Result<Vec<Escalation>, AppError> {
    use crate::context::{require, state, with_status};
    use breachdesk::role::Capability;
    require(Capability::HandleEscalations)?;
    with_status(async { Ok(breachdesk::calls::escalations::list(&state()?.pool).await?) }.await)
}

/// Unresolved escalations, for the managers' dashboard.
#[server(prefix = "/api", endpoint = "escalations/count")]
pub async fn count_escalations() -> Result<u64, AppError> {
    use crate::context::{require, state, with_status};
    use breachdesk::role::Capability;
    require(Capability::HandleEscalations)?;
    with_status(async { Ok(breachdesk::calls::escalations::unresolved_count(&state()?.pool).await?) }.await)
}

/// Acknowledges an escalation, or resolves it when `resolution` is given.
#[server(prefix = "/api", endpoint = "escalations/advance")]
pub async fn advance_escalation(id: i64, step: String, #[server(default)] resolution: String) -> Result<(), AppError> {
    use crate::context::{lang, require, staff_event, state, with_status};
    use breachdesk::audit::AuditAction;
    use breachdesk::call::CallNotes;
    use breachdesk::role::Capability;
    let session = require(Capability::HandleEscalations)?;
    with_status(
        async {
            let t = lang().calls_texts();
            let note = match step.as_str() {
                "resolve" => {
                    let note =
                        CallNotes::parse(&resolution).map_err(|_| AppError::field("resolution", t.error_notes_long))?;
                    if note.as_str().is_empty() {
                        return Err(AppError::field("resolution", t.error_resolution));
                    }
                    Some(note)
                }
                _ => None,
            };
            let event = staff_event(&session, AuditAction::HandledEscalation);
            if breachdesk::calls::escalations::advance(&state()?.pool, id, session.staff.id, note.as_ref(), event)
                .await?
            {
                Ok(())
            } else {
                Err(AppError::Conflict(t.error_state.to_owned()))
            }
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "dispositions/list")]
pub async fn load_dispositions() -> Result<Vec<DispositionCode>, AppError> {
    use crate::context::{require, state, with_status};
    use breachdesk::role::Capability;
    require(Capability::ManageDispositions)?;
    with_status(async { Ok(breachdesk::calls::dispositions::list(&state()?.pool).await?) }.await)
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DispositionForm {
    /// Empty for a category.
    #[serde(default)]
    pub parent_id: String,
    pub label_ja: String,
    pub label_en: String,
}

#[server(prefix = "/api", endpoint = "dispositions/add")]
pub async fn add_disposition(code: DispositionForm) -> Result<i64, AppError> {
    use crate::context::{lang, require, staff_event, state, with_status};
    use breachdesk::audit::AuditAction;
    use breachdesk::call::DispositionLabel;
    use breachdesk::calls::dispositions::DispositionError;
    use breachdesk::role::Capability;
    let session = require(Capability::ManageDispositions)?;
    with_status(
        async {
            let t = lang().calls_texts();
            let label_ja =
                DispositionLabel::parse(&code.label_ja).map_err(|_| AppError::field("label_ja", t.error_label))?;
            let label_en =
                DispositionLabel::parse(&code.label_en).map_err(|_| AppError::field("label_en", t.error_label))?;
            let parent = code.parent_id.trim().parse::<i64>().ok();
            let event = staff_event(&session, AuditAction::ChangedDispositions);
            breachdesk::calls::dispositions::add(&state()?.pool, parent, &label_ja, &label_en, event)
                .await
                .map_err(|error| match error {
                    DispositionError::BadParent => AppError::field("parent_id", t.error_parent),
                    DispositionError::NotFound => AppError::NotFound,
                    DispositionError::Database(error) => error.into(),
                })
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "dispositions/active")]
pub async fn set_disposition_active(id: i64, active: bool) -> Result<(), AppError> {
    use crate::context::{require, staff_event, state, with_status};
    use breachdesk::audit::AuditAction;
    use breachdesk::calls::dispositions::DispositionError;
    use breachdesk::role::Capability;
    let session = require(Capability::ManageDispositions)?;
    with_status(
        async {
            let event = staff_event(&session, AuditAction::ChangedDispositions);
            breachdesk::calls::dispositions::set_active(&state()?.pool, id, active, event)
                .await
                .map_err(|error| match error {
                    DispositionError::Database(error) => error.into(),
                    _ => AppError::NotFound,
                })
        }
        .await,
    )
}

/// The desk report's figures with its charts drawn on the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CallReportView {
    pub from: String,
    pub until: String,
    pub report: CallReport,
    pub open_callbacks: u64,
    pub overdue_callbacks: u64,
    pub day_chart: String,
    pub hour_chart: String,
    pub category_chart: String,
    pub outcome_chart: String,
}

/// The range's dates, `YYYY-MM-DD`; empty `from` is 30 days before `until`, empty `until` today (Tokyo).
#[server(prefix = "/api", endpoint = "calls/report")]
pub async fn load_call_report(
    #[server(default)] from: String,
    #[server(default)] until: String,
) -> Result<CallReportView, AppError> {
    use crate::context::{lang, require, state, with_status};
    use breachdesk::call::chart::{BarSeries, bar_chart};
    use breachdesk::customer::parse_order_date;
    use breachdesk::role::Capability;
    require(Capability::ViewCallReports)?;
    with_status(
        async {
            let lang = lang();
            let t = lang.calls_texts();
            let until = match until.trim() {
                "" => breachdesk::calendar::today_in_tokyo(),
                written => parse_order_date(written).map_err(|_| AppError::field("until", t.error_date))?,
            };
            let from = match from.trim() {
                "" => until - time::Duration::days(30),
                written => parse_order_date(written).map_err(|_| AppError::field("from", t.error_date))?,
            };
            let pool = state()?.pool;
            let report = breachdesk::calls::export::report(&pool, from, until).await?;
            let (open_callbacks, overdue_callbacks) =
                breachdesk::calls::desk::callback_counts(&pool, time::OffsetDateTime::now_utc()).await?;
            let split = |splits: Vec<breachdesk::call::report::Split>| {
                [
                    BarSeries {
                        label: t.in_hours,
                        values: splits.iter().map(|split| split.in_hours).collect(),
                    },
                    BarSeries {
                        label: t.out_of_hours,
                        values: splits.iter().map(|split| split.out_of_hours).collect(),
                    },
                ]
            };
            let day_labels: Vec<String> = report
                .per_day
                .iter()
                .map(|(day, _)| format!("{}/{}", u8::from(day.month()), day.day()))
                .collect();
            let day_chart = bar_chart(
                "calls-per-day",
                t.per_day,
                t.per_day,
                &day_labels,
                &split(report.per_day.iter().map(|(_, split)| *split).collect()),
            );
            let hour_labels: Vec<String> = (0..24).map(|hour| hour.to_string()).collect();
            let hour_chart = bar_chart(
                "calls-per-hour",
                t.per_hour,
                t.per_hour,
                &hour_labels,
                &split(report.per_hour.clone()),
            );
            let english = lang == crate::i18n::Lang::En;
            let category_labels: Vec<String> = report
                .per_category
                .iter()
                .map(|(ja, en, _)| if english { en.clone() } else { ja.clone() })
                .collect();
            let category_chart = bar_chart(
                "calls-per-category",
                t.per_category,
                t.per_category,
                &category_labels,
                &[BarSeries {
                    label: t.calls_count,
                    values: report.per_category.iter().map(|(_, _, count)| *count).collect(),
                }],
            );
            let outcome_labels: Vec<String> = report
                .per_outcome
                .iter()
                .map(|(outcome, _)| lang.outcome_label(*outcome).to_owned())
                .collect();
            let outcome_chart = bar_chart(
                "calls-per-outcome",
                t.per_outcome,
                t.per_outcome,
                &outcome_labels,
                &[BarSeries {
                    label: t.calls_count,
                    values: report.per_outcome.iter().map(|(_, count)| *count).collect(),
                }],
            );
            Ok(CallReportView {
                from: from.to_string(),
                until: until.to_string(),
                report,
                open_callbacks,
                overdue_callbacks,
                day_chart,
                hour_chart,
                category_chart,
                outcome_chart,
            })
        }
        .await,
    )
}
