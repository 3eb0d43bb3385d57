//! `GET /api/hotline?at=<RFC 3339>`: the hotline's state for anyone (customer pages, phone systems, monitoring).

use app::context::AppState;
use axum::Json;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use breachdesk::calendar::status::parse_instant;
use breachdesk::hotline::{self, StatusError};
use serde::Deserialize;
use time::OffsetDateTime;

#[derive(Deserialize)]
pub struct HotlineQuery {
    /// The instant to answer for; now when absent.
    at: Option<String>,
}

/// Public and read-only: it tells no more than the printed notice does.
pub async fn hotline(State(state): State<AppState>, Query(query): Query<HotlineQuery>) -> Response {
    // An unencoded `+09:00` arrives as ` 09:00` (a `+` in a query means a space); read it as meant.
    let at = query.at.map(|text| text.replace(' ', "+"));
    let instant = match at.as_deref().map(parse_instant).transpose() {
        Ok(instant) => instant.unwrap_or_else(OffsetDateTime::now_utc),
        Err(error) => return (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
    };
    match hotline::status_at(&state.pool, instant).await {
        Ok(status) => Json(status).into_response(),
        Err(StatusError::Instant(error)) => (StatusCode::BAD_REQUEST, error.to_string()).into_response(),
        Err(StatusError::Store(error)) => {
            tracing::error!(%error, "cannot answer the hotline status");
            (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
        }
    }
}
