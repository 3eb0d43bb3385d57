//! The call log's CSV export for a date range: a download, so a plain route rather than a server function.

use std::net::SocketAddr;

use app::context::AppState;
use axum::Extension;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use breachdesk::audit::{Actor, AuditAction, AuditEvent, record};
use breachdesk::customer::{CsvEncoding, parse_order_date};
use breachdesk::role::Capability;
use breachdesk::sessions::Session;
use serde::Deserialize;

use crate::auth_routes::authorised;
use crate::download::{attachment, stamp};

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/calls/export.csv", get(export))
}

#[derive(Deserialize)]
struct ExportQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    encoding: String,
}

async fn export(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Query(query): Query<ExportQuery>,
) -> Response {
    let session = match authorised(session, &headers, Capability::ViewCallReports) {
        Ok(session) => session,
        Err(refusal) => return refusal.into_response(),
    };
    let until = match query.until.trim() {
        "" => Ok(breachdesk::calendar::today_in_tokyo()),
        written => parse_order_date(written),
    };
    let from = match (query.from.trim(), until) {
        ("", Ok(until)) => Ok(until - time::Duration::days(30)),
        (written, Ok(_)) => parse_order_date(written),
        (_, Err(error)) => Err(error),
    };
    let (Ok(from), Ok(until)) = (from, until) else {
        return (StatusCode::BAD_REQUEST, "dates as 2017-12-29").into_response();
    };
    let encoding = if query.encoding.trim().is_empty() {
        CsvEncoding::Utf8
    } else {
        match query.encoding.parse::<CsvEncoding>() {
            Ok(CsvEncoding::ShiftJis) => CsvEncoding::ShiftJis,
            Ok(_) => CsvEncoding::Utf8,
            Err(_) => return (StatusCode::BAD_REQUEST, "encoding: utf-8 or shift_jis").into_response(),
        }
    };
    // The export is itself recorded before the file leaves, so a failed write refuses the download.
    let event = AuditEvent::new(Actor::Staff(session.staff.id), AuditAction::Exported)
        .from_address(Some(peer.ip()))
        .object("call_log")
        .detail(format!("{from}..{until} {encoding}"));
    if let Err(error) = record(&state.pool, &event).await {
        tracing::error!(%error, "cannot record the call-log export");
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    }
    match breachdesk::calls::export::calls_csv(&state.pool, from, until, encoding).await {
        Ok(csv) => {
            let content_type = if encoding == CsvEncoding::ShiftJis {
                "text/csv; charset=shift_jis"
            } else {
                "text/csv; charset=utf-8"
            };
            attachment(content_type, &format!("calls-{}.csv", stamp()), csv)
        }
        Err(error) => {
            tracing::error!(%error, "cannot export the call log");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
