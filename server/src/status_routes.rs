//! The public status page's posts and its JSON API.
//!
//! The lookup, callback and "done" forms are answered with the page itself rather than a redirect,
//! so the reference code never enters a URL or the history, and the result is never cached. The
//! JSON API shares the lookup, its throttle and its audit with the form.

use std::net::{IpAddr, SocketAddr};
use std::time::Instant;

use app::api::status::{STATUS_COOKIE, StatusContext, StatusMessage, format_due, format_until};
use app::context::AppState;
use app::i18n::Lang;
use app::shell;
use axum::body::Body;
use axum::extract::rejection::JsonRejection;
use axum::extract::{ConnectInfo, Form, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_LENGTH, CONTENT_TYPE, RETRY_AFTER, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use breachdesk::audit::{Actor, AuditAction, AuditEvent, Outcome};
use breachdesk::status_lookup::{self, CallbackOutcome, CustomerStatus, LookupOutcome};
use breachdesk::status_page::{
    CallbackField, CallbackRequest, LookupInput, LookupInputError, MISMATCH_ANSWER_TIME, SESSION_LENGTH,
    retry_after_seconds,
};
use leptos::prelude::provide_context;
use serde::Deserialize;
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::auth_routes::{cookie_value, request_lang};

/// The JSON lookup: it uses no cookie, so the router's cross-origin check does not apply to it.
pub const JSON_LOOKUP_PATH: &str = "/api/status/lookup";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/status", post(lookup_form))
        .route("/status/callback", post(callback_form))
        .route("/status/done", post(done_form))
        .route(JSON_LOOKUP_PATH, post(lookup_json))
}

/// The status page and its API are never stored by a browser or a proxy: they can show a customer's status.
pub async fn no_store(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let private = path == "/status" || path.starts_with("/status/") || path.starts_with("/api/status/");
    let mut response = next.run(request).await;
    if private {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

/// How a lookup ended, for either answer (page or JSON).
enum Answer {
    Found(CustomerStatus),
    Mismatch,
    Throttled(OffsetDateTime),
    Invalid(LookupInputError),
    Failed,
}

async fn answer(state: &AppState, address: IpAddr, reference: &str, last4: &str) -> Answer {
    let started = Instant::now();
    let now = OffsetDateTime::now_utc();
    let input = match LookupInput::parse(reference, last4) {
        Ok(input) => input,
        Err(error) => return refuse_invalid(state, address, error, now).await,
    };
    match status_lookup::lookup(&state.pool, &state.audit_writer, &state.key, address, &input, now).await {
        Ok(LookupOutcome::Found(status)) => Answer::Found(status),
        Ok(LookupOutcome::Mismatch) => {
            tokio::time::sleep_until((started + MISMATCH_ANSWER_TIME).into()).await;
            Answer::Mismatch
        }
        Ok(LookupOutcome::Throttled(until)) => Answer::Throttled(until),
        Err(error) => {
            tracing::error!(%error, "cannot look up a status");
            Answer::Failed
        }
    }
}

/// Input that cannot be a code and last 4: no code could match, so it does not count towards the
/// throttle, but a throttled address is still refused and the trail still shows the try.
async fn refuse_invalid(state: &AppState, address: IpAddr, error: LookupInputError, now: OffsetDateTime) -> Answer {
    let throttled = match status_lookup::throttled_until(&state.pool, address, None, now).await {
        Ok(throttled) => throttled,
        Err(error) => {
            tracing::error!(%error, "cannot read the status throttle");
            return Answer::Failed;
        }
    };
    let (outcome, detail) = match throttled {
        Some(_) => (Outcome::Refused, "throttled"),
        None => (Outcome::Failed, "invalid_input"),
    };
    let event = AuditEvent::new(Actor::Public, AuditAction::LookedUpStatus)
        .from_address(Some(address))
        .outcome(outcome)
        .detail(detail);
    // Through the same group commit as every other lookup's row: a burst of typos is a burst of writes too.
    if let Err(error) = state.audit_writer.record(event).await {
        tracing::error!(%error, "cannot write the audit trail of a status lookup");
    }
    match throttled {
        Some(until) => Answer::Throttled(until),
        None => Answer::Invalid(error),
    }
}

#[derive(Deserialize)]
struct LookupForm {
    #[serde(default)]
    reference: String,
    #[serde(default)]
    card_last4: String,
}

/// `POST /status`: the lookup form, answered with the page showing the result or the one message.
async fn lookup_form(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LookupForm>,
) -> Response {
    let lang = request_lang(&headers);
    let mut cookie = Some(clear_cookie(&state));
    let mut retry_after = None;
    let (status, context) = match answer(&state, peer.ip(), &form.reference, &form.card_last4).await {
        Answer::Found(found) => {
            match status_lookup::start_session(&state.pool, found.customer_id, OffsetDateTime::now_utc()).await {
                Ok(token) => {
                    cookie = Some(session_cookie(&state, &token));
                    (StatusCode::OK, context(Some(found.customer_id), None))
                }
                Err(error) => {
                    tracing::error!(%error, "cannot start a status session");
                    (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        context(None, Some(StatusMessage::Unavailable)),
                    )
                }
            }
        }
        Answer::Mismatch => (StatusCode::OK, context(None, Some(StatusMessage::Mismatch))),
        Answer::Throttled(until) => {
            retry_after = Some(retry_after_seconds(until, OffsetDateTime::now_utc()));
            (
                StatusCode::TOO_MANY_REQUESTS,
                context(None, Some(StatusMessage::Throttled(format_until(until, lang)))),
            )
        }
        Answer::Invalid(error) => {
            let reference = error.reference.map(|error| match lang {
                Lang::Ja => error.message_ja(),
                Lang::En => format!("{}.", capitalised(&error.to_string())),
            });
            let message = StatusMessage::InvalidInput {
                reference,
                last4: error.last4,
            };
            (StatusCode::UNPROCESSABLE_ENTITY, context(None, Some(message)))
        }
        Answer::Failed => {
            cookie = None;
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                context(None, Some(StatusMessage::Unavailable)),
            )
        }
    };
    let mut response = render_page(&state, &headers, context, status).await;
    if let Some(seconds) = retry_after {
        response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds));
    }
    if let Some(value) = cookie.and_then(|cookie| HeaderValue::from_str(&cookie).ok()) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn context(customer_id: Option<i64>, message: Option<StatusMessage>) -> StatusContext {
    StatusContext { customer_id, message }
}

fn session_cookie(state: &AppState, token: &str) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!(
        "{STATUS_COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{secure}",
        SESSION_LENGTH.whole_seconds()
    )
}

fn clear_cookie(state: &AppState) -> String {
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    format!("{STATUS_COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0{secure}")
}

#[derive(Deserialize)]
struct CallbackForm {
    #[serde(default)]
    phone: String,
    #[serde(default)]
    preferred_time: String,
}

/// `POST /status/callback`: within a status session, queues a callback for the agents.
async fn callback_form(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<CallbackForm>,
) -> Response {
    let lang = request_lang(&headers);
    let now = OffsetDateTime::now_utc();
    let customer = match cookie_value(&headers, STATUS_COOKIE) {
        Some(token) => status_lookup::session_customer(&state.pool, &token, now).await,
        None => Ok(None),
    };
    let (status, context) = match customer {
        Err(error) => {
            tracing::error!(%error, "cannot read a status session");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                context(None, Some(StatusMessage::Unavailable)),
            )
        }
        Ok(None) => (
            StatusCode::UNAUTHORIZED,
            context(None, Some(StatusMessage::SessionExpired)),
        ),
        Ok(Some(customer_id)) => match CallbackRequest::parse(&form.phone, &form.preferred_time) {
            Err(fields) => {
                let message = StatusMessage::CallbackInvalid {
                    phone: fields.contains(&CallbackField::Phone),
                    time: fields.contains(&CallbackField::PreferredTime),
                };
                (
                    StatusCode::UNPROCESSABLE_ENTITY,
                    context(Some(customer_id), Some(message)),
                )
            }
            Ok(request) => {
                let (status, message) = queue_callback(&state, customer_id, &request, peer.ip(), now, lang).await;
                (status, context(Some(customer_id), Some(message)))
            }
        },
    };
    render_page(&state, &headers, context, status).await
}

async fn queue_callback(
    state: &AppState,
    customer_id: i64,
    request: &CallbackRequest,
    address: IpAddr,
    now: OffsetDateTime,
    lang: Lang,
) -> (StatusCode, StatusMessage) {
    let schedule = match breachdesk::hotline::load(&state.pool).await {
        Ok(schedule) => schedule,
        Err(error) => {
            tracing::error!(%error, "cannot read the hotline schedule for a callback");
            return (StatusCode::INTERNAL_SERVER_ERROR, StatusMessage::Unavailable);
        }
    };
    match status_lookup::request_callback(&state.pool, &schedule, customer_id, request, address, now).await {
        Ok(CallbackOutcome::Created(due)) => (StatusCode::OK, StatusMessage::CallbackCreated(format_due(due, lang))),
        Ok(CallbackOutcome::AlreadyOpen) => (StatusCode::CONFLICT, StatusMessage::CallbackAlreadyOpen),
        Err(error) => {
            tracing::error!(%error, "cannot queue a callback");
            (StatusCode::INTERNAL_SERVER_ERROR, StatusMessage::Unavailable)
        }
    }
}

/// `POST /status/done`: ends the status session (a shared device) and shows the empty page.
async fn done_form(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Some(token) = cookie_value(&headers, STATUS_COOKIE)
        && let Err(error) = status_lookup::end_session(&state.pool, &token).await
    {
        tracing::error!(%error, "cannot end a status session");
    }
    let mut response = render_page(&state, &headers, StatusContext::default(), StatusCode::OK).await;
    if let Ok(value) = HeaderValue::from_str(&clear_cookie(&state)) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

/// Renders `/status` through Leptos for a form post, with what the post decided in the context.
async fn render_page(state: &AppState, headers: &HeaderMap, context: StatusContext, status: StatusCode) -> Response {
    let mut request = Request::new(Body::empty());
    *request.method_mut() = Method::GET;
    *request.uri_mut() = Uri::from_static("/status");
    *request.headers_mut() = headers.clone();
    request.headers_mut().remove(CONTENT_LENGTH);
    request.headers_mut().remove(CONTENT_TYPE);
    let app_state = state.clone();
    let options = state.leptos_options.clone();
    let handler = leptos_axum::render_app_to_stream_in_order_with_context(
        move || {
            provide_context(app_state.clone());
            provide_context(context.clone());
        },
        move || shell(options.clone()),
    );
    let mut response = handler(request).await;
    *response.status_mut() = status;
    response
}

#[derive(Deserialize)]
struct LookupRequest {
    reference: String,
    card_last4: String,
}

/// `POST /api/status/lookup`: 200 with the two states and the sending dates, 404 `not_found` for
/// every mismatch, 429 with `Retry-After` when throttled, 400 for input that cannot be a code.
async fn lookup_json(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    body: Result<Json<LookupRequest>, JsonRejection>,
) -> Response {
    let Ok(Json(body)) = body else {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": "invalid_request"}))).into_response();
    };
    match answer(&state, peer.ip(), &body.reference, &body.card_last4).await {
        Answer::Found(found) => Json(json!({
            "reissue": {
                "state": found.reissue.code(),
                "label_ja": found.reissue.label_ja(),
                "label_en": found.reissue.label_en(),
            },
            "refund": {
                "state": found.refund.code(),
                "label_ja": found.refund.label_ja(),
                "label_en": found.refund.label_en(),
            },
            "letter_sent_at": api_time(found.letter_sent_at.as_deref()),
            "email_sent_at": api_time(found.email_sent_at.as_deref()),
        }))
        .into_response(),
        Answer::Mismatch => (StatusCode::NOT_FOUND, Json(json!({"error": "not_found"}))).into_response(),
        Answer::Throttled(until) => {
            let seconds = retry_after_seconds(until, OffsetDateTime::now_utc());
            let mut response = (
                StatusCode::TOO_MANY_REQUESTS,
                Json(json!({"error": "throttled", "retry_after": seconds})),
            )
                .into_response();
            response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds));
            response
        }
        Answer::Invalid(error) => {
            let fields: Vec<&str> = [
                error.reference.is_some().then_some("reference"),
                error.last4.then_some("card_last4"),
            ]
            .into_iter()
            .flatten()
            .collect();
            (
                StatusCode::BAD_REQUEST,
                Json(json!({"error": "invalid_input", "fields": fields})),
            )
                .into_response()
        }
        Answer::Failed => (StatusCode::INTERNAL_SERVER_ERROR, Json(json!({"error": "internal"}))).into_response(),
    }
}

/// Stored sending times, RFC 3339 in Tokyo time (+09:00) like the hotline API.
fn api_time(stored: Option<&str>) -> Option<String> {
    let at = OffsetDateTime::parse(stored?, &Rfc3339).ok()?;
    at.to_offset(breachdesk::calendar::TOKYO).format(&Rfc3339).ok()
}
