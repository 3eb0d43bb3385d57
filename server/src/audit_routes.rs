//! The audit trail's CSV export: a download, so a plain route rather than a server function.

use std::net::SocketAddr;

use app::context::AppState;
use axum::Extension;
use axum::extract::{ConnectInfo, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use breachdesk::audit::{Actor, AuditAction, AuditEvent, AuditQuery, export_csv, record};
use breachdesk::role::Capability;
use breachdesk::sessions::Session;

use crate::auth_routes::authorised;
use crate::download::{attachment, stamp};

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new().route("/audit/export.csv", get(export))
}

async fn export(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Query(query): Query<AuditQuery>,
) -> Response {
    let session = match authorised(session, &headers, Capability::ViewAudit) {
        Ok(session) => session,
        Err(refusal) => return refusal.into_response(),
    };
    let Ok(filter) = query.filter() else {
        return (
            StatusCode::BAD_REQUEST,
            "malformed filter: dates as 2017-12-29, numbers as digits",
        )
            .into_response();
    };
    // The export is itself recorded before the file leaves, so a failed write refuses the download.
    let event = AuditEvent::new(Actor::Staff(session.staff.id), AuditAction::Exported)
        .from_address(Some(peer.ip()))
        .object("audit_log");
    let csv = match record(&state.pool, &event).await {
        Ok(()) => export_csv(&state.pool, &filter).await,
        Err(error) => Err(error),
    };
    match csv {
        Ok(csv) => attachment("text/csv; charset=utf-8", &format!("audit-{}.csv", stamp()), csv),
        Err(error) => {
            tracing::error!(%error, "cannot export the audit trail");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}
