//! Plain form posts that set cookies: sign-in, sign-out and the language switch.
//! They answer with redirects, so they work the same with and without JavaScript.

use std::net::SocketAddr;

use app::context::AppState;
use app::i18n::{LANG_COOKIE, Lang};
use axum::extract::{ConnectInfo, State};
use axum::http::header::{COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Form};
use breachdesk::accounts::{self, SignInError};
use breachdesk::audit::{Actor, AuditAction, AuditEvent, Outcome, record_logged};
use breachdesk::sessions::{self, COOKIE_NAME, Session};
use serde::Deserialize;

#[derive(Deserialize)]
pub struct SignInForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
}

pub async fn sign_in(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    Form(form): Form<SignInForm>,
) -> Response {
    let next = safe_next(&form.next);
    match accounts::sign_in(&state.pool, &form.email, form.password, peer.ip()).await {
        Ok(staff) => match sessions::start(&state.pool, &state.key, staff.id).await {
            Ok(cookie) => {
                tracing::info!(staff_id = staff.id, "signed in");
                let event =
                    AuditEvent::new(Actor::Staff(staff.id), AuditAction::SignedIn).from_address(Some(peer.ip()));
                record_logged(&state.pool, &event).await;
                let cookie = session_cookie(&cookie, state.secure_cookies, None);
                redirect_with_cookie(next, cookie)
            }
            Err(error) => {
                tracing::error!(%error, "cannot start a session");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        },
        Err(SignInError::Rejected) => {
            tracing::info!("sign-in rejected");
            // Not the typed address: it may be a customer's or a password typed into the wrong box.
            let event = AuditEvent::new(Actor::Public, AuditAction::SignInRefused)
                .from_address(Some(peer.ip()))
                .outcome(Outcome::Refused);
            record_logged(&state.pool, &event).await;
            let query = if next == "/" {
                String::new()
            } else {
                format!("&next={}", encode_query(next))
            };
            redirect(&format!("/login?error=1{query}"))
        }
        Err(error) => {
            tracing::error!(%error, "sign-in failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

pub async fn sign_out(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<SocketAddr>,
    session: Option<Extension<Session>>,
    headers: HeaderMap,
) -> Response {
    if let Some(Extension(session)) = session {
        let event =
            AuditEvent::new(Actor::Staff(session.staff.id), AuditAction::SignedOut).from_address(Some(peer.ip()));
        record_logged(&state.pool, &event).await;
    }
    if let Some(value) = cookie_value(&headers, COOKIE_NAME)
        && let Err(error) = sessions::end(&state.pool, &state.key, &value).await
    {
        tracing::error!(%error, "cannot end a session");
    }
    redirect_with_cookie("/login?signed_out=1", session_cookie("", state.secure_cookies, Some(0)))
}

#[derive(Deserialize)]
pub struct LanguageForm {
    lang: String,
    #[serde(default)]
    back: String,
}

pub async fn switch_language(State(state): State<AppState>, Form(form): Form<LanguageForm>) -> Response {
    let lang = Lang::from_code(&form.lang);
    let secure = if state.secure_cookies { "; Secure" } else { "" };
    // Lax, not Strict: a customer following a link to the status page keeps their language.
    let cookie = format!(
        "{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax{secure}",
        lang.code()
    );
    redirect_with_cookie(safe_next(&form.back), cookie)
}

/// The language the request's cookie asks for (Japanese without one).
pub fn request_lang(headers: &HeaderMap) -> Lang {
    cookie_value(headers, LANG_COOKIE).map_or_else(Lang::default, |code| Lang::from_code(&code))
}

/// The value of one cookie from the request headers.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|header| header.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.to_owned())
}

fn session_cookie(value: &str, secure: bool, max_age: Option<u32>) -> String {
    let secure = if secure { "; Secure" } else { "" };
    let max_age = max_age
        .map(|seconds| format!("; Max-Age={seconds}"))
        .unwrap_or_default();
    format!("{COOKIE_NAME}={value}; Path=/; HttpOnly; SameSite=Strict{secure}{max_age}")
}

/// Only paths on this site: an attacker's `next=https://evil.example` must not become a redirect.
fn safe_next(next: &str) -> &str {
    if next.starts_with('/') && !next.starts_with("//") && !next.contains('\\') {
        next
    } else {
        "/"
    }
}

fn encode_query(value: &str) -> String {
    value
        .bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => char::from(byte).to_string(),
            _ => format!("%{byte:02X}"),
        })
        .collect()
}

pub fn redirect(location: &str) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(value) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, value);
    }
    response
}

fn redirect_with_cookie(location: &str, cookie: String) -> Response {
    let mut response = redirect(location);
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().append(SET_COOKIE, value);
    }
    response
}

/// The session if its role has the capability; else the 401 or 403 answer (in the reader's language) to send.
///
/// For plain routes (uploads, downloads); server functions use `app::context::require`.
pub fn authorised(
    session: Option<Extension<Session>>,
    headers: &HeaderMap,
    capability: breachdesk::role::Capability,
) -> Result<Session, (StatusCode, &'static str)> {
    let texts = request_lang(headers).texts();
    match session {
        None => Err((StatusCode::UNAUTHORIZED, texts.error_unauthenticated)),
        Some(Extension(session)) if session.staff.role.may(capability) => Ok(session),
        Some(_) => Err((StatusCode::FORBIDDEN, texts.error_forbidden)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_redirect_target_off_this_site_falls_back_to_the_home_page() {
        assert_eq!(safe_next("/staff"), "/staff");
        assert_eq!(safe_next("https://evil.example/"), "/");
        assert_eq!(safe_next("//evil.example/"), "/");
        assert_eq!(safe_next("/\\evil.example"), "/");
        assert_eq!(safe_next(""), "/");
    }

    #[test]
    fn the_session_cookie_is_http_only_and_strict() {
        let cookie = session_cookie("abc.def", true, None);
        assert_eq!(cookie, "bd_session=abc.def; Path=/; HttpOnly; SameSite=Strict; Secure");
    }

    #[test]
    fn a_cookie_is_found_among_others() {
        let mut headers = HeaderMap::new();
        headers.insert(COOKIE, HeaderValue::from_static("a=1; bd_session=x.y; bd_lang=en"));
        assert_eq!(cookie_value(&headers, "bd_session").as_deref(), Some("x.y"));
        assert_eq!(cookie_value(&headers, "missing"), None);
    }
}
