//! The router: health check, cookie-setting form posts, the Leptos pages and server functions,
//! static files, and the guards every request passes (request log, CSRF, session, page access).

use std::time::Duration;

use app::context::AppState;
use app::i18n::Lang;
use app::routes::staff_page_capability;
use app::{App, shell};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{HOST, ORIGIN, REFERER};
use axum::http::{HeaderMap, Method, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use breachdesk::sessions::{self, COOKIE_NAME};
use leptos::prelude::provide_context;
use leptos_axum::{LeptosRoutes, generate_route_list};
use time::OffsetDateTime;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use crate::auth_routes::{self, cookie_value};
use crate::workers::WorkerHealth;

/// Pages and server functions answer within this or get 408: a request that takes longer is
/// stuck, and holding its connection helps no one.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// What the router needs beside the application state.
pub struct RouterOptions {
    /// `BREACHDESK_UPLOAD_LIMIT_MB` in bytes.
    pub upload_limit: usize,
    pub workers: WorkerHealth,
}

pub fn router(state: AppState, options: RouterOptions) -> Router {
    let routes = generate_route_list(App);
    let context_state = state.clone();
    Router::new()
        .route("/healthz", get(health).layer(Extension(options.workers)))
        .route("/auth/login", post(auth_routes::sign_in))
        .route("/auth/logout", post(auth_routes::sign_out))
        .route("/lang", post(auth_routes::switch_language))
        .route("/api/hotline", get(crate::hotline_api::hotline))
        .merge(crate::status_routes::routes())
        .leptos_routes_with_context(
            &state,
            routes,
            move || provide_context(context_state.clone()),
            {
                let options = state.leptos_options.clone();
                move || shell(options.clone())
            },
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, REQUEST_TIMEOUT))
        // Merged after the timeout: an upload of the largest allowed file over a slow line, or a
        // letter PDF of every customer, can take minutes. Their size limit bounds the uploads.
        .merge(crate::import_routes::routes(options.upload_limit))
        .merge(crate::letter_routes::routes())
        .merge(crate::campaign_routes::routes(options.upload_limit))
        .merge(crate::case_update_routes::routes(options.upload_limit))
        .merge(crate::audit_routes::routes())
        .merge(crate::call_routes::routes())
        .layer(middleware::from_fn(guard_staff_pages))
        .layer(middleware::from_fn(crate::status_routes::no_store))
        .layer(middleware::from_fn_with_state(state.clone(), resolve_session))
        .layer(middleware::from_fn(refuse_cross_origin_writes))
        .layer(middleware::from_fn_with_state(state.clone(), crate::security_headers::add))
        .layer(
            // One line per request with method, path (never the query: it can hold search terms), status and time.
            TraceLayer::new_for_http()
                .make_span_with(|request: &Request<Body>| {
                    tracing::info_span!("request", method = %request.method(), path = %request.uri().path())
                })
                .on_request(())
                .on_response(|response: &Response, latency: Duration, _span: &tracing::Span| {
                    tracing::info!(status = response.status().as_u16(), ms = latency.as_millis() as u64, "served");
                }),
        )
        .with_state(state)
}

/// `GET /healthz`: one `SELECT 1` (bounded by a short timeout, so a locked or lost database
/// answers 503 rather than hanging the probe) and the workers' last runs, as JSON.
async fn health(State(state): State<AppState>, Extension(workers): Extension<WorkerHealth>) -> Response {
    let probe = tokio::time::timeout(
        Duration::from_secs(2),
        sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&state.pool),
    )
    .await;
    let (status, database) = match probe {
        Ok(Ok(_)) => (StatusCode::OK, "ok"),
        Ok(Err(error)) => {
            tracing::error!(%error, "health check cannot reach the database");
            (StatusCode::SERVICE_UNAVAILABLE, "unreachable")
        }
        Err(_) => {
            tracing::error!("health check timed out waiting for the database");
            (StatusCode::SERVICE_UNAVAILABLE, "unreachable")
        }
    };
    let body = serde_json::json!({
        "status": if status == StatusCode::OK { "ok" } else { "unavailable" },
        "database": database,
        "workers": workers.report(),
    });
    (status, Json(body)).into_response()
}

/// Puts the signed-in staff member's session into the request, for pages and server functions.
async fn resolve_session(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if let Some(cookie) = cookie_value(request.headers(), COOKIE_NAME) {
        match sessions::resolve(
            &state.pool,
            &state.key,
            &cookie,
            state.idle_expiry,
            OffsetDateTime::now_utc(),
        )
        .await
        {
            Ok(Some(session)) => {
                request.extensions_mut().insert(session);
            }
            Ok(None) => {}
            Err(error) => {
                tracing::error!(%error, "cannot read the session");
                return StatusCode::INTERNAL_SERVER_ERROR.into_response();
            }
        }
    }
    next.run(request).await
}

/// Staff pages: no session → the sign-in page; a role without the page's capability → 403.
async fn guard_staff_pages(request: Request, next: Next) -> Response {
    let is_page_read = matches!(*request.method(), Method::GET | Method::HEAD);
    let Some(capability) = staff_page_capability(request.uri().path()).filter(|_| is_page_read) else {
        return next.run(request).await;
    };
    match request.extensions().get::<sessions::Session>() {
        None => {
            let path = request.uri().path();
            let target = if path == "/" {
                "/login".to_owned()
            } else {
                format!("/login?next={path}")
            };
            auth_routes::redirect(&target)
        }
        Some(session) if !session.staff.role.may(capability) => {
            forbidden_page(auth_routes::request_lang(request.headers()))
        }
        Some(_) => next.run(request).await,
    }
}

fn forbidden_page(lang: Lang) -> Response {
    let texts = lang.texts();
    let body = format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{title} | BreachDesk</title>\
         <link rel=\"stylesheet\" href=\"/pkg/breachdesk.css\"></head><body><main id=\"main\" class=\"page narrow\">\
         <h1>{message}</h1><p><a href=\"/\">{back}</a></p></main></body></html>",
        code = lang.code(),
        title = texts.error_title,
        message = texts.error_forbidden,
        back = texts.back_home,
    );
    (StatusCode::FORBIDDEN, Html(body)).into_response()
}

/// CSRF defence beside SameSite cookies: a state-changing request must come from this site's own pages.
async fn refuse_cross_origin_writes(request: Request, next: Next) -> Response {
    let safe_method = matches!(*request.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    // The public JSON lookup carries no cookie and acts for no one, so another site gains nothing by posting to it.
    let cookieless_api = request.uri().path() == crate::status_routes::JSON_LOOKUP_PATH;
    if safe_method || cookieless_api || same_origin(request.headers()) {
        next.run(request).await
    } else {
        tracing::warn!("refused a cross-origin write");
        (StatusCode::FORBIDDEN, "cross-origin request refused").into_response()
    }
}

/// Whether Origin (or, failing that, Referer) names the host the request was sent to.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(HOST).and_then(|value| value.to_str().ok()) else {
        return false;
    };
    let source = headers
        .get(ORIGIN)
        .or_else(|| headers.get(REFERER))
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let Some(rest) = source
        .strip_prefix("http://")
        .or_else(|| source.strip_prefix("https://"))
    else {
        return false;
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    authority.eq_ignore_ascii_case(host)
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(axum::http::HeaderName, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name.clone(), HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn a_post_from_the_same_origin_is_allowed() {
        assert!(same_origin(&headers(&[
            (HOST, "127.0.0.1:3000"),
            (ORIGIN, "http://127.0.0.1:3000")
        ])));
        assert!(same_origin(&headers(&[
            (HOST, "desk.example.jp"),
            (REFERER, "https://desk.example.jp/staff?x=1")
        ])));
    }

    #[test]
    fn a_post_from_another_origin_or_without_one_is_refused() {
        assert!(!same_origin(&headers(&[
            (HOST, "127.0.0.1:3000"),
            (ORIGIN, "http://evil.example")
        ])));
        assert!(!same_origin(&headers(&[
            (HOST, "127.0.0.1:3000"),
            (ORIGIN, "http://127.0.0.1:3000.evil.example")
        ])));
        assert!(!same_origin(&headers(&[(HOST, "127.0.0.1:3000"), (ORIGIN, "null")])));
        assert!(!same_origin(&headers(&[(HOST, "127.0.0.1:3000")])));
    }
}
