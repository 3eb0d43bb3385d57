//! The Import page's form posts: upload for a dry run, confirm, and the report download.
//!
//! Plain axum routes rather than server functions: a file upload must work as an ordinary
//! `multipart/form-data` form post without JavaScript, and each answer is a redirect back
//! to `/import`, which renders the outcome. The dry run keeps the parsed records (no card
//! numbers, see `PendingImports`) under a token, so confirming does not upload the file again.

use std::io::Cursor;
use std::net::SocketAddr;

use app::context::AppState;
use axum::Extension;
use axum::extract::{ConnectInfo, Form, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use breachdesk::audit::{Actor, AuditAction, AuditEvent, record_logged};
use breachdesk::customer::{CsvField, CustomerCsvReader, FileError, HeaderError};
use breachdesk::import::{ImportError, ImportOptions, ImportSource, import_rows};
use breachdesk::role::Capability;
use breachdesk::sessions::Session;
use serde::Deserialize;

use crate::auth_routes::{authorised, redirect};
use crate::upload_limit::read_csv_upload;

/// `upload_limit` is `BREACHDESK_UPLOAD_LIMIT_MB` in bytes; larger files go through
/// `breachdesk import customers`. The upload is held in memory only, never written to disk.
pub fn routes(upload_limit: usize) -> axum::Router<AppState> {
    axum::Router::new()
        .route(
            "/import/customers",
            crate::upload_limit::limited(post(upload), upload_limit, "/import"),
        )
        .route("/import/customers/confirm", post(confirm))
        .route("/import/reports/{id}", get(report))
}

/// The session if its role may import; else the answer to send instead.
fn importer(session: Option<Extension<Session>>, headers: &HeaderMap) -> Result<Session, (StatusCode, &'static str)> {
    authorised(session, headers, Capability::ImportCustomers)
}

async fn upload(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let session = match importer(session, &headers) {
        Ok(session) => session,
        Err(refusal) => return refusal.into_response(),
    };
    let (file_name, bytes, encoding) = match read_csv_upload(multipart).await {
        Ok(Some(upload)) => upload,
        Ok(None) => return redirect("/import?error=no_file"),
        Err(code) => return redirect(&format!("/import?error={code}")),
    };
    let reader = match CustomerCsvReader::new(Cursor::new(bytes), encoding, state.key.bytes()) {
        Ok(reader) => reader,
        Err(error) => return redirect(&header_error_target(&error)),
    };
    let source = ImportSource::of(&reader, &file_name, Some(session.staff.id));
    match state
        .pending_imports
        .dry_run(&state.pool, reader, source, session.staff.id)
        .await
    {
        Ok((token, _)) => redirect(&format!("/import?preview={token}")),
        Err(error) => redirect(&import_error_target(error)),
    }
}

/// Where the page explains a refused header. Only codes, field names and numbers go into the
/// address, never text from the file.
fn header_error_target(error: &HeaderError) -> String {
    match error {
        HeaderError::File(error) => file_error_target(error),
        HeaderError::Empty => "/import?error=empty".to_owned(),
        HeaderError::MissingColumns(fields) => {
            let names: Vec<&str> = fields.iter().map(|&field| CsvField::label_en(field)).collect();
            format!("/import?error=missing_columns&columns={}", names.join(","))
        }
        HeaderError::DuplicateColumn { .. } => "/import?error=duplicate_column".to_owned(),
    }
}

fn file_error_target(error: &FileError) -> String {
    match error {
        FileError::Undecodable { line, .. } => format!("/import?error=undecodable&line={line}"),
        FileError::Io(_) => "/import?error=unreadable".to_owned(),
    }
}

fn import_error_target(error: ImportError) -> String {
    match error {
        ImportError::File(error) => file_error_target(&error),
        other => {
            tracing::error!(error = %other, "an import failed");
            "/import?error=internal".to_owned()
        }
    }
}

#[derive(Deserialize)]
struct Confirmation {
    token: String,
    /// A checkbox: present ("on") when ticked.
    #[serde(default)]
    allow_partial: Option<String>,
}

async fn confirm(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Form(confirmation): Form<Confirmation>,
) -> Response {
    let session = match importer(session, &headers) {
        Ok(session) => session,
        Err(refusal) => return refusal.into_response(),
    };
    let staff_id = session.staff.id;
    let allow_partial = confirmation.allow_partial.is_some();
    let Some(pending) = state.pending_imports.get(&confirmation.token, staff_id) else {
        return redirect("/import?error=expired");
    };
    if pending.report.counts.rejected > 0 && !allow_partial {
        return redirect(&format!("/import?preview={}&error=rejected", confirmation.token));
    }
    // Taken only now, so a refused confirmation can be repeated with the box ticked.
    let Some(pending) = state.pending_imports.take(&confirmation.token, staff_id) else {
        return redirect("/import?error=expired");
    };
    let mut conn = match state.pool.acquire().await {
        Ok(conn) => conn,
        Err(error) => {
            tracing::error!(%error, "cannot reach the database for an import");
            return redirect("/import?error=internal");
        }
    };
    let options = ImportOptions {
        apply: true,
        allow_partial,
    };
    match import_rows(&mut conn, pending.rows(), pending.source.clone(), options, |_| {}).await {
        Ok(outcome) => match outcome.import_id {
            Some(id) => {
                let event = AuditEvent::new(Actor::Staff(staff_id), AuditAction::ImportedCustomers)
                    .from_address(Some(peer.ip()))
                    .object(format!("import:{id}"))
                    .detail(format!(
                        "new={} updated={} rejected={}",
                        outcome.report.counts.new, outcome.report.counts.updated, outcome.report.counts.rejected
                    ));
                record_logged(&state.pool, &event).await;
                redirect(&format!("/import?done={id}"))
            }
            None => redirect("/import?error=internal"),
        },
        Err(error) => redirect(&import_error_target(error)),
    }
}

/// The stored report (counts and problems, no card data) as a JSON download.
async fn report(
    State(state): State<AppState>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    if let Err(refusal) = importer(session, &headers) {
        return refusal.into_response();
    }
    match breachdesk::import::report_json(&state.pool, id).await {
        Ok(Some(json)) => (
            [
                (header::CONTENT_TYPE, "application/json; charset=utf-8".to_owned()),
                (
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"import-{id}-report.json\""),
                ),
            ],
            json,
        )
            .into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(error) => {
            tracing::error!(%error, "cannot read an import report");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
