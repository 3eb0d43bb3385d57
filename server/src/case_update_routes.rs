//! Downloads and uploads around case status: the bulk-update form posts, the customer export and
//! the regulator report as text or PDF.
//!
//! Plain axum routes rather than server functions: an upload must work as an ordinary
//! `multipart/form-data` post without JavaScript, and downloads are files. The dry run keeps the
//! parsed file under a token (`PendingFiles`), so confirming does not upload it again.

use std::net::SocketAddr;

use app::context::AppState;
use axum::Extension;
use axum::extract::{ConnectInfo, Form, Multipart, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use breachdesk::audit::{Actor as AuditActor, AuditAction, AuditEvent, record, record_logged};
use breachdesk::cases::Actor;
use breachdesk::cases::bulk::{Applied, BulkFile, BulkFileError};
use breachdesk::customer::CsvEncoding;
use breachdesk::role::Capability;
use breachdesk::sessions::Session;
use serde::Deserialize;

use crate::auth_routes::{authorised, redirect};
use crate::download::{attachment, stamp};
use crate::upload_limit::read_csv_upload;

/// `upload_limit` is `BREACHDESK_UPLOAD_LIMIT_MB` in bytes (a card company's return list of
/// 100,000 rows is some 8 MB).
pub fn routes(upload_limit: usize) -> axum::Router<AppState> {
    axum::Router::new()
        .route(
            "/case-updates/upload",
            crate::upload_limit::limited(post(upload), upload_limit, "/case-updates"),
        )
        .route("/case-updates/confirm", post(confirm))
        .route("/exports/customers.csv", get(export_customers))
        .route("/reports/appi.txt", get(report_text))
        .route("/reports/appi.pdf", get(report_pdf))
}

fn actor(session: &Session) -> Actor {
    Actor::Staff {
        id: session.staff.id,
        role: session.staff.role,
    }
}

async fn upload(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let session = match authorised(session, &headers, Capability::ManageCaseStatus) {
        Ok(session) => session,
        Err(refusal) => return refusal.into_response(),
    };
    let (file_name, bytes, encoding) = match read_csv_upload(multipart).await {
        Ok(Some(upload)) => upload,
        Ok(None) => return redirect("/case-updates?error=no_file"),
        Err(code) => return redirect(&format!("/case-updates?error={code}")),
    };
    match BulkFile::read(&file_name, &bytes, encoding) {
        Ok(file) => {
            let token = state.pending_case_updates.keep(file, session.staff.id);
            redirect(&format!("/case-updates?preview={token}"))
        }
        // Only codes and line numbers go into the address, never text from the file.
        Err(BulkFileError::Undecodable) => redirect("/case-updates?error=undecodable"),
        Err(BulkFileError::Empty) => redirect("/case-updates?error=empty"),
        Err(BulkFileError::MissingColumns) => redirect("/case-updates?error=missing_columns"),
        Err(BulkFileError::Malformed(line)) => redirect(&format!("/case-updates?error=malformed&line={line}")),
    }
}

#[derive(Deserialize)]
struct Confirmation {
    token: String,
}

async fn confirm(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Form(confirmation): Form<Confirmation>,
) -> Response {
    let session = match authorised(session, &headers, Capability::ManageCaseStatus) {
        Ok(session) => session,
        Err(refusal) => return refusal.into_response(),
    };
    let Some(file) = state.pending_case_updates.get(&confirmation.token, session.staff.id) else {
        return redirect("/case-updates?error=expired");
    };
    match breachdesk::cases::bulk::apply(&state.pool, &file, actor(&session)).await {
        Ok(Applied::Done { bulk_update_id, report }) => {
            state.pending_case_updates.forget(&confirmation.token);
            let event = AuditEvent::new(AuditActor::Staff(session.staff.id), AuditAction::BulkUpdatedCases)
                .from_address(Some(peer.ip()))
                .object(format!("case_bulk_updates/{bulk_update_id}"))
                .detail(format!("rows={}", report.counts.matched));
            record_logged(&state.pool, &event).await;
            redirect(&format!("/case-updates?done={bulk_update_id}"))
        }
        Ok(Applied::Refused(_)) => redirect(&format!("/case-updates?preview={}&error=refused", confirmation.token)),
        Err(error) => {
            tracing::error!(%error, "a bulk case update failed");
            redirect("/case-updates?error=internal")
        }
    }
}

#[derive(Deserialize)]
struct ExportQuery {
    #[serde(default)]
    encoding: Option<String>,
}

async fn export_customers(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Query(query): Query<ExportQuery>,
) -> Response {
    let session = match authorised(session, &headers, Capability::ViewProgramme) {
        Ok(session) => session,
        Err(refusal) => return refusal.into_response(),
    };
    let encoding = match query.encoding.as_deref().map(str::parse::<CsvEncoding>) {
        None => CsvEncoding::Utf8,
        Some(Ok(CsvEncoding::ShiftJis)) => CsvEncoding::ShiftJis,
        Some(Ok(_)) => CsvEncoding::Utf8,
        Some(Err(_)) => return (StatusCode::BAD_REQUEST, "encoding: utf-8 or shift_jis").into_response(),
    };
    // Personal data leaves the desk here, so the export is recorded first; a failed record refuses it.
    let event = AuditEvent::new(AuditActor::Staff(session.staff.id), AuditAction::Exported)
        .from_address(Some(peer.ip()))
        .object("customers.csv")
        .detail(encoding.as_str());
    if let Err(error) = record(&state.pool, &event).await {
        tracing::error!(%error, "cannot record the customer export");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    match breachdesk::cases::export::customers_csv(&state.pool, encoding).await {
        Ok(csv) => {
            let charset = if encoding == CsvEncoding::ShiftJis {
                "shift_jis"
            } else {
                "utf-8"
            };
            attachment(
                &format!("text/csv; charset={charset}"),
                &format!("customers-{}-{}.csv", stamp(), encoding.as_str()),
                csv,
            )
        }
        Err(error) => {
            tracing::error!(%error, "cannot export the customers");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn report_text(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
) -> Response {
    if let Err(refusal) = authorised(session, &headers, Capability::ViewProgramme) {
        return refusal.into_response();
    }
    match breachdesk::cases::report::load(&state.pool).await {
        Ok(report) => attachment(
            "text/plain; charset=utf-8",
            &format!("appi-report-{}.txt", stamp()),
            report.as_text(),
        ),
        Err(error) => {
            tracing::error!(%error, "cannot read the regulator report");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn report_pdf(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
) -> Response {
    if let Err(refusal) = authorised(session, &headers, Capability::ViewProgramme) {
        return refusal.into_response();
    }
    let report = match breachdesk::cases::report::load(&state.pool).await {
        Ok(report) => report,
        Err(error) => {
            tracing::error!(%error, "cannot read the regulator report");
            return StatusCode::INTERNAL_SERVER_ERROR.into_response();
        }
    };
    // Laying out Japanese text with the embedded font takes CPU time: off the async threads.
    let rendered =
        tokio::task::spawn_blocking(move || breachdesk::letter::pdf::render_report(&report.title, &report.sections()))
            .await;
    match rendered {
        Ok(Ok(pdf)) => attachment("application/pdf", &format!("appi-report-{}.pdf", stamp()), pdf),
        Ok(Err(error)) => {
            tracing::error!(%error, "cannot render the regulator report");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
        Err(error) => {
            tracing::error!(%error, "the report renderer stopped");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
