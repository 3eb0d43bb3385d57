//! Security headers on every response.
//!
//! Pages set their own Content-Security-Policy with the response's script nonce (see
//! `app::context::set_content_security_policy`); everything else (downloads, JSON, errors) gets a
//! policy that allows nothing, so a file opened in the browser can never run script.

use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_SECURITY_POLICY, REFERRER_POLICY, STRICT_TRANSPORT_SECURITY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS,
};
use axum::http::{HeaderName, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

use app::context::AppState;

const LOCKED_DOWN: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

pub async fn add(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let headers = response.headers_mut();
    if !headers.contains_key(CONTENT_SECURITY_POLICY) {
        headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static(LOCKED_DOWN));
    }
    headers.insert(X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    // Search terms and ids in our addresses never leak to another site through a link.
    headers.insert(REFERRER_POLICY, HeaderValue::from_static("same-origin"));
    // For browsers that predate frame-ancestors.
    headers.insert(X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(
        HeaderName::from_static("permissions-policy"),
        HeaderValue::from_static("camera=(), microphone=(), geolocation=(), payment=()"),
    );
    if state.secure_cookies {
        headers.insert(STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000"));
    }
    response
}
