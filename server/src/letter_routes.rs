//! Letter downloads: one customer's letter, and an audience's batch PDF and mailing list.
//!
//! Plain axum routes rather than server functions: the answers are files (PDF, CSV) that a link
//! downloads, with or without JavaScript. Every file holds personal data, so each needs
//! `ProduceLetters` and is marked `no-store`.

use std::net::{IpAddr, SocketAddr};

use app::context::AppState;
use app::i18n::Lang;
use axum::Extension;
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use breachdesk::audience::Audience;
use breachdesk::audit::{Actor, AuditAction, AuditEvent};
use breachdesk::letters::{self, DEFAULT_TEMPLATE, LetterSetup, LettersError};
use breachdesk::role::Capability;
use breachdesk::sessions::Session;
use serde::Deserialize;

use crate::auth_routes::{authorised, request_lang};
use crate::download::{attachment, stamp};

pub fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/letters/customer/{id}", get(customer_letter))
        .route("/letters/batch.pdf", get(batch_pdf))
        .route("/letters/mailing-list.csv", get(mailing_list))
}

/// A refused download: the status and a one-line reason in the reader's language.
type Refusal = (StatusCode, &'static str);

/// Optional so that a request without it is still checked for access first.
#[derive(Deserialize)]
struct AudienceQuery {
    #[serde(default)]
    audience: Option<String>,
}

impl AudienceQuery {
    fn parse(&self, lang: Lang) -> Result<Audience, Refusal> {
        self.audience
            .as_deref()
            .unwrap_or_default()
            .parse()
            .map_err(|_| (StatusCode::BAD_REQUEST, lang.letters_texts().error_unknown_audience))
    }
}

async fn setup(state: &AppState, lang: Lang) -> Result<LetterSetup, Refusal> {
    LetterSetup::load(&state.pool, DEFAULT_TEMPLATE, breachdesk::calendar::today_in_tokyo())
        .await
        .map_err(|error| refusal(&error, lang))
}

/// What the manager can fix is said in their language; anything else is logged and answered 500.
fn refusal(error: &LettersError, lang: Lang) -> Refusal {
    let texts = lang.letters_texts();
    let message = match error {
        LettersError::NoTemplate(_) | LettersError::NotALetter(_) => texts.error_no_template,
        LettersError::NoIncident => texts.error_no_incident,
        LettersError::Template(_) => texts.error_template,
        other => {
            tracing::error!(error = %other, "cannot make letters");
            return (StatusCode::INTERNAL_SERVER_ERROR, lang.texts().error_internal);
        }
    };
    (StatusCode::CONFLICT, message)
}

/// Records the download in the audit trail before the file leaves: a file of personal data that the
/// trail cannot account for is not sent.
async fn audited(state: &AppState, address: IpAddr, event: AuditEvent) -> Result<(), Refusal> {
    let event = event.from_address(Some(address));
    breachdesk::audit::record(&state.pool, &event).await.map_err(|error| {
        tracing::error!(%error, "cannot write the audit trail for a letter download");
        (StatusCode::INTERNAL_SERVER_ERROR, Lang::Ja.texts().error_internal)
    })
}

async fn customer_letter(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let session = match authorised(session, &headers, Capability::ProduceLetters) {
        Ok(session) => session,
        Err(refusal) => return refusal.into_response(),
    };
    let lang = request_lang(&headers);
    let setup = match setup(&state, lang).await {
        Ok(setup) => setup,
        Err(refusal) => return refusal.into_response(),
    };
    match letters::customer_letter(&state.pool, id, &setup).await {
        Ok(Some((code, pdf))) => {
            let event = AuditEvent::new(Actor::Staff(session.staff.id), AuditAction::ProducedLetters)
                .customer(id)
                .object("letter");
            if let Err(refusal) = audited(&state, peer.ip(), event).await {
                return refusal.into_response();
            }
            attachment("application/pdf", &format!("letter-{}.pdf", code.compact()), pdf)
        }
        Ok(None) => (StatusCode::NOT_FOUND, lang.letters_texts().error_no_customer).into_response(),
        Err(error) => refusal(&error, lang).into_response(),
    }
}

async fn batch_pdf(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Query(query): Query<AudienceQuery>,
) -> Response {
    let lang = request_lang(&headers);
    let (session, audience, setup) = match checked(&state, session, &headers, &query).await {
        Ok(checked) => checked,
        Err(refusal) => return refusal.into_response(),
    };
    match letters::batch(&state.pool, audience, &setup, |_| {}).await {
        Ok(batch) if batch.mailing_list.is_empty() => {
            (StatusCode::NOT_FOUND, lang.letters_texts().error_empty_audience).into_response()
        }
        Ok(batch) => {
            let event = AuditEvent::new(Actor::Staff(session.staff.id), AuditAction::ProducedLetters)
                .object(format!("letters:{audience}"))
                .detail(format!("letters={}", batch.mailing_list.len()));
            if let Err(refusal) = audited(&state, peer.ip(), event).await {
                return refusal.into_response();
            }
            attachment(
                "application/pdf",
                &format!("letters-{audience}-{}.pdf", stamp()),
                batch.pdf,
            )
        }
        Err(error) => refusal(&error, lang).into_response(),
    }
}

async fn mailing_list(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Query(query): Query<AudienceQuery>,
) -> Response {
    let lang = request_lang(&headers);
    let (session, audience, setup) = match checked(&state, session, &headers, &query).await {
        Ok(checked) => checked,
        Err(refusal) => return refusal.into_response(),
    };
    // The page numbers come from laying the letters out, so the list matches the PDF exactly.
    let entries = match letters::mailing_list(&state.pool, audience, &setup).await {
        Ok(entries) if entries.is_empty() => {
            return (StatusCode::NOT_FOUND, lang.letters_texts().error_empty_audience).into_response();
        }
        Ok(entries) => entries,
        Err(error) => return refusal(&error, lang).into_response(),
    };
    let mut csv = Vec::new();
    if let Err(error) = letters::write_mailing_list(&entries, &mut csv) {
        tracing::error!(%error, "cannot write a mailing list");
        return (StatusCode::INTERNAL_SERVER_ERROR, lang.texts().error_internal).into_response();
    }
    let event = AuditEvent::new(Actor::Staff(session.staff.id), AuditAction::Exported)
        .object(format!("mailing-list:{audience}"))
        .detail(format!("rows={}", entries.len()));
    if let Err(refusal) = audited(&state, peer.ip(), event).await {
        return refusal.into_response();
    }
    attachment(
        "text/csv; charset=utf-8",
        &format!("mailing-list-{audience}-{}.csv", stamp()),
        csv,
    )
}

/// The access check, the audience and the letter setup, in that order: an anonymous visitor
/// learns nothing about audiences or templates.
async fn checked(
    state: &AppState,
    session: Option<Extension<Session>>,
    headers: &HeaderMap,
    query: &AudienceQuery,
) -> Result<(Session, Audience, LetterSetup), Refusal> {
    let session = authorised(session, headers, Capability::ProduceLetters)?;
    let lang = request_lang(headers);
    let audience = query.parse(lang)?;
    Ok((session, audience, setup(state, lang).await?))
}
