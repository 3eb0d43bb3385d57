//! Card reissue and refund status: the customer page's panel, the dashboard, the regulator report
//! and the bulk-update dry run.

use breachdesk::case::appi::AppiReport;
use breachdesk::case::bulk::BulkReport;
use breachdesk::case::programme::ProgrammeFigures;
use breachdesk::case::{CaseEvent, CaseSnapshot, CaseState};
use breachdesk::customers::CustomerSummary;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Everything the customer page shows: the masked customer, the state, what the viewer may do next, the history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerCase {
    pub customer: CustomerSummary,
    pub snapshot: CaseSnapshot,
    /// The ordinary next states the viewer's role may set, per track.
    pub reissue_next: Vec<CaseState>,
    pub refund_next: Vec<CaseState>,
    /// Managers and admins may correct any state with a reason.
    pub may_correct: bool,
    /// Managers and admins may download the customer's apology letter.
    pub may_produce_letters: bool,
    pub events: Vec<CaseEvent>,
}

/// Every staff role: agents open a customer from the call desk.
#[server(prefix = "/api", endpoint = "case/customer")]
pub async fn load_customer_case(id: i64) -> Result<CustomerCase, AppError> {
    use crate::context::{require, staff_event, state, with_status};
    use breachdesk::audit::{AuditAction, record_logged};
    use breachdesk::case::transition::next_states;
    use breachdesk::case::{CaseAuthority, CaseKind};
    use breachdesk::role::Capability;
    let session = require(Capability::RecordCaseRequest)?;
    with_status(
        async {
            let pool = state()?.pool;
            let customer = breachdesk::customers::find(&pool, id)
                .await?
                .ok_or(AppError::NotFound)?;
            // Agents discuss a case only after the caller's identity check (issue 7).
            if !crate::api::calls::verified(&pool, &session, id).await?.0 {
                return Err(AppError::Forbidden);
            }
            let mut conn = pool.acquire().await?;
            let snapshot = breachdesk::cases::snapshot(&mut conn, id).await?.unwrap_or_default();
            drop(conn);
            let events = breachdesk::cases::events(&pool, id).await?;
            let role = session.staff.role;
            let authority = CaseAuthority::of(role).ok_or(AppError::Forbidden)?;
            record_logged(&pool, &staff_event(&session, AuditAction::ViewedCustomer).customer(id)).await;
            Ok(CustomerCase {
                customer,
                reissue_next: next_states(snapshot.state(CaseKind::Reissue), authority),
                refund_next: next_states(snapshot.state(CaseKind::Refund), authority),
                snapshot,
                may_correct: authority == CaseAuthority::ManageAll,
                may_produce_letters: role.may(Capability::ProduceLetters),
                events,
            })
        }
        .await,
    )
}

/// One status change as the customer page's forms post it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseChangeForm {
    pub customer_id: i64,
    /// `reissue` or `refund`
    pub kind: String,
    /// A state code of that track.
    pub to: String,
    /// Yen as people write it; empty for none.
    #[serde(default)]
    pub amount: String,
    /// YYYY-MM-DD; empty for today in Tokyo.
    #[serde(default)]
    pub effective_on: String,
    #[serde(default)]
    pub note: String,
    /// Present on the correction form.
    #[serde(default)]
    pub correction: Option<String>,
}

/// Every role may call it; what each role may change is the domain's rule (`case::transition`).
#[server(prefix = "/api", endpoint = "case/change")]
pub async fn change_case(change: CaseChangeForm) -> Result<CaseSnapshot, AppError> {
    use crate::context::{lang, require, staff_event, state, with_status};
    use breachdesk::audit::{AuditAction, record_logged};
    use breachdesk::case::{CaseKind, ChangeRequest, Note, TransitionError, Yen};
    use breachdesk::cases::{Actor, CaseError};
    use breachdesk::role::Capability;
    let session = require(Capability::RecordCaseRequest)?;
    with_status(
        async {
            let texts = lang().case_texts();
            let to = CaseKind::from_code(&change.kind)
                .and_then(|kind| CaseState::from_code(kind, &change.to))
                .ok_or_else(|| AppError::field("to", texts.error_state))?;
            let amount = match change.amount.trim() {
                "" => None,
                written => Some(Yen::parse(written).map_err(|_| AppError::field("amount", texts.error_amount))?),
            };
            let effective_on = match change.effective_on.trim() {
                "" => breachdesk::calendar::today_in_tokyo(),
                written => breachdesk::customer::parse_order_date(written)
                    .map_err(|_| AppError::field("effective_on", texts.error_date))?,
            };
            let note = Note::parse(&change.note).map_err(|_| AppError::field("note", texts.error_note_too_long))?;
            let request = ChangeRequest {
                to,
                amount,
                effective_on,
                note,
                correction: change.correction.is_some(),
            };
            let actor = Actor::Staff {
                id: session.staff.id,
                role: session.staff.role,
            };
            let pool = state()?.pool;
            let snapshot = breachdesk::cases::apply(&pool, change.customer_id, request, actor)
                .await
                .map_err(|error| match error {
                    CaseError::CustomerNotFound => AppError::NotFound,
                    CaseError::Database(error) => error.into(),
                    CaseError::Refused(TransitionError::Forbidden) => AppError::Forbidden,
                    CaseError::Refused(error) => {
                        let field = match error {
                            TransitionError::AmountRequired | TransitionError::AmountNotExpected => "amount",
                            TransitionError::ReasonRequired
                            | TransitionError::NoteTooLong
                            | TransitionError::NoteHidden => "note",
                            _ => "to",
                        };
                        AppError::field(field, texts.transition_error(error))
                    }
                })?;
            let detail = format!("{} {}", to.kind().code(), to.code());
            record_logged(
                &pool,
                &staff_event(&session, AuditAction::ChangedCaseStatus)
                    .customer(change.customer_id)
                    .detail(detail),
            )
            .await;
            Ok(snapshot)
        }
        .await,
    )
}

/// The dashboard: the figures and its three charts as SVG text drawn here on the server.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub figures: ProgrammeFigures,
    pub notification_chart: String,
    pub reissue_chart: String,
    pub refund_chart: String,
}

#[server(prefix = "/api", endpoint = "programme/dashboard")]
pub async fn load_dashboard() -> Result<Dashboard, AppError> {
    use crate::context::{lang, require, state, with_status};
    use crate::i18n::Lang;
    use breachdesk::case::programme::line_chart;
    use breachdesk::cases::dashboard::{Labels, figures};
    use breachdesk::role::Capability;
    require(Capability::ViewProgramme)?;
    with_status(
        async {
            let lang = lang();
            let texts = lang.case_texts();
            let labels = match lang {
                Lang::Ja => Labels::Japanese,
                Lang::En => Labels::English,
            };
            let figures = figures(&state()?.pool, labels).await?;
            Ok(Dashboard {
                notification_chart: line_chart(
                    "chart-notification",
                    texts.chart_notification,
                    texts.chart_notification_desc,
                    &figures.notification_progress,
                ),
                reissue_chart: line_chart(
                    "chart-reissue",
                    texts.chart_reissue,
                    texts.chart_reissue_desc,
                    &figures.reissue_progress,
                ),
                refund_chart: line_chart(
                    "chart-refund",
                    texts.chart_refund,
                    texts.chart_refund_desc,
                    &figures.refund_progress,
                ),
                figures,
            })
        }
        .await,
    )
}

#[server(prefix = "/api", endpoint = "programme/report")]
pub async fn load_appi_report() -> Result<AppiReport, AppError> {
    use crate::context::{require, state, with_status};
    use breachdesk::role::Capability;
    require(Capability::ViewProgramme)?;
    with_status(async { Ok(breachdesk::cases::report::load(&state()?.pool).await?) }.await)
}

/// One report item as its form posts it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportItemForm {
    /// `ReportItem::code()`
    pub item: String,
    #[serde(default)]
    pub body: String,
}

#[server(prefix = "/api", endpoint = "programme/report/item")]
pub async fn save_report_item(form: ReportItemForm) -> Result<(), AppError> {
    use crate::context::{lang, require, state, with_status};
    use breachdesk::case::appi::ReportItem;
    use breachdesk::cases::report::{ItemBody, ItemError, save_item};
    use breachdesk::role::Capability;
    let session = require(Capability::ViewProgramme)?;
    with_status(
        async {
            let texts = lang().case_texts();
            let item = ReportItem::from_code(&form.item).ok_or_else(|| AppError::field("item", texts.error_state))?;
            let body = ItemBody::parse(&form.body).map_err(|error| match error {
                ItemError::TooLong => AppError::field("body", texts.error_item_too_long),
                ItemError::Hidden(_) => AppError::field("body", crate::context::texts().error_hidden_characters),
            })?;
            Ok(save_item(&state()?.pool, item, &body, session.staff.id).await?)
        }
        .await,
    )
}

/// Forgets an item's edit so it is drafted again from the live figures.
#[server(prefix = "/api", endpoint = "programme/report/reset")]
pub async fn reset_report_item(item: String) -> Result<(), AppError> {
    use crate::context::{lang, require, state, with_status};
    use breachdesk::case::appi::ReportItem;
    use breachdesk::role::Capability;
    require(Capability::ViewProgramme)?;
    with_status(
        async {
            let item =
                ReportItem::from_code(&item).ok_or_else(|| AppError::field("item", lang().case_texts().error_state))?;
            Ok(breachdesk::cases::report::reset_item(&state()?.pool, item).await?)
        }
        .await,
    )
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KnownDateForm {
    /// YYYY-MM-DD
    pub known_on: String,
    /// A checkbox: present when ticked.
    #[serde(default)]
    pub unauthorised_access: Option<String>,
}

#[server(prefix = "/api", endpoint = "programme/report/known")]
pub async fn save_known_date(form: KnownDateForm) -> Result<(), AppError> {
    use crate::context::{lang, require, state, with_status};
    use breachdesk::role::Capability;
    require(Capability::ViewProgramme)?;
    with_status(
        async {
            let texts = lang().case_texts();
            let known_on = breachdesk::customer::parse_order_date(&form.known_on)
                .map_err(|_| AppError::field("known_on", texts.error_date))?;
            let saved =
                breachdesk::cases::report::set_known(&state()?.pool, known_on, form.unauthorised_access.is_some())
                    .await?;
            if saved {
                Ok(())
            } else {
                Err(AppError::Conflict(texts.error_no_incident.to_owned()))
            }
        }
        .await,
    )
}

/// The dry run of an uploaded bulk file, checked again against the current states; `None` once expired.
#[server(prefix = "/api", endpoint = "case/bulk/preview")]
pub async fn load_case_update_preview(token: String) -> Result<Option<BulkReport>, AppError> {
    use crate::context::{require, state, with_status};
    use breachdesk::cases::Actor;
    use breachdesk::role::Capability;
    let session = require(Capability::ManageCaseStatus)?;
    with_status(
        async {
            let state = state()?;
            let Some(file) = state.pending_case_updates.get(&token, session.staff.id) else {
                return Ok(None);
            };
            let actor = Actor::Staff {
                id: session.staff.id,
                role: session.staff.role,
            };
            Ok(Some(breachdesk::cases::bulk::dry_run(&state.pool, &file, actor).await?))
        }
        .await,
    )
}
