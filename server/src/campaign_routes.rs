//! Campaign files: a letter campaign's batch PDF and mailing list (downloads), and the bounce-list
//! upload. Plain routes: files that a link downloads and a form that posts a file, without JavaScript.
//! The downloads live under `/letters/` beside the other letter files, outside the `/campaigns/`
//! pages, so an anonymous request is answered 401 rather than sent to the sign-in page.

use std::net::SocketAddr;

use app::context::AppState;
use app::i18n::Lang;
use axum::Extension;
use axum::extract::{ConnectInfo, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use breachdesk::audit::{Actor, AuditAction, AuditEvent};
use breachdesk::campaigns::mailing::{self, LettersErrorOr};
use breachdesk::role::Capability;
use breachdesk::sessions::Session;

use crate::auth_routes::{authorised, redirect, request_lang};
use crate::download::{attachment, stamp};
use crate::upload_limit::read_csv_upload;

pub fn routes(upload_limit: usize) -> axum::Router<AppState> {
    axum::Router::new()
        .route("/letters/campaigns/{id}/batch.pdf", get(batch_pdf))
        .route("/letters/campaigns/{id}/mailing-list.csv", get(mailing_list))
        .route(
            "/campaigns/bounces",
            crate::upload_limit::limited(post(bounces), upload_limit, "/campaigns"),
        )
}

type Refusal = (StatusCode, &'static str);

fn refusal(error: &LettersErrorOr, lang: Lang) -> Refusal {
    use breachdesk::campaigns::CampaignError;
    let texts = lang.letters_texts();
    match error {
        LettersErrorOr::Campaign(CampaignError::NotFound(_) | CampaignError::NotLetters(_)) => {
            (StatusCode::NOT_FOUND, lang.texts().error_not_found)
        }
        LettersErrorOr::Letters(breachdesk::letters::LettersError::Template(_)) => {
            (StatusCode::CONFLICT, texts.error_template)
        }
        other => {
            tracing::error!(error = %other, "cannot make a campaign's letters");
            (StatusCode::INTERNAL_SERVER_ERROR, lang.texts().error_internal)
        }
    }
}

/// The letters still to mail, and who asked: a file of personal data the audit trail cannot
/// account for is not sent.
async fn prepared(
    state: &AppState,
    peer: SocketAddr,
    session: Option<Extension<Session>>,
    headers: &HeaderMap,
    id: i64,
    draw: bool,
) -> Result<breachdesk::letters::Batch, Refusal> {
    let session = authorised(session, headers, Capability::ProduceLetters)?;
    let lang = request_lang(headers);
    let batch = mailing::batch(&state.pool, id, breachdesk::calendar::today_in_tokyo(), draw)
        .await
        .map_err(|error| refusal(&error, lang))?;
    if batch.mailing_list.is_empty() {
        return Err((StatusCode::NOT_FOUND, lang.letters_texts().error_empty_audience));
    }
    let action = if draw {
        AuditAction::ProducedLetters
    } else {
        AuditAction::Exported
    };
    let event = AuditEvent::new(Actor::Staff(session.staff.id), action)
        .from_address(Some(peer.ip()))
        .object(format!("campaign:{id}"))
        .detail(format!("letters={}", batch.mailing_list.len()));
    breachdesk::audit::record(&state.pool, &event).await.map_err(|error| {
        tracing::error!(%error, "cannot write the audit trail for a campaign download");
        (StatusCode::INTERNAL_SERVER_ERROR, lang.texts().error_internal)
    })?;
    Ok(batch)
}

async fn batch_pdf(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    match prepared(&state, peer, session, &headers, id, true).await {
        Ok(batch) => attachment(
            "application/pdf",
            &format!("campaign-{id}-letters-{}.pdf", stamp()),
            batch.pdf,
        ),
        Err(refusal) => refusal.into_response(),
    }
}

async fn mailing_list(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Response {
    let batch = match prepared(&state, peer, session, &headers, id, false).await {
        Ok(batch) => batch,
        Err(refusal) => return refusal.into_response(),
    };
    let mut csv = Vec::new();
    if let Err(error) = breachdesk::letters::write_mailing_list(&batch.mailing_list, &mut csv) {
        tracing::error!(%error, "cannot write a campaign's mailing list");
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            request_lang(&headers).texts().error_internal,
        )
            .into_response();
    }
    attachment(
        "text/csv; charset=utf-8",
        &format!("campaign-{id}-mailing-list-{}.csv", stamp()),
        csv,
    )
}

/// A bounce list (addresses or Message-IDs, one a line): the matching sent emails become bounced.
/// Answers with a redirect to the campaigns page saying how many were marked.
async fn bounces(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
    multipart: Multipart,
) -> Response {
    let session = match authorised(session, &headers, Capability::RunCampaigns) {
        Ok(session) => session,
        Err(refusal) => return refusal.into_response(),
    };
    let bytes = match read_csv_upload(multipart).await {
        Ok(Some((_, bytes, _))) => bytes,
        Ok(None) => return redirect("/campaigns?error=no_file"),
        Err(code) => return redirect(&format!("/campaigns?error={code}")),
    };
    // Addresses and Message-IDs are ASCII; a file that is not UTF-8 is not a bounce list.
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return redirect("/campaigns?error=undecodable");
    };
    let list = breachdesk::campaign::bounce::parse_bounce_list(text);
    match breachdesk::campaigns::undelivered::mark_bounced(&state.pool, &list.entries).await {
        Ok(marked) => {
            let event = AuditEvent::new(Actor::Staff(session.staff.id), AuditAction::RecordedUndelivered)
                .from_address(Some(peer.ip()))
                .object("bounce-list")
                .detail(format!("lines={} bounced={marked}", list.entries.len()));
            breachdesk::audit::record_logged(&state.pool, &event).await;
            redirect(&format!(
                "/campaigns?bounced={marked}&unreadable={}",
                list.unreadable_lines.len()
            ))
        }
        Err(error) => {
            tracing::error!(%error, "cannot mark a bounce list");
            redirect("/campaigns?error=internal")
        }
    }
}
