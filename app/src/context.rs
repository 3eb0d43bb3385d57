//! What every page and server function reads from its surroundings: the language, and on the
//! server the shared state and the signed-in staff member.

use leptos::prelude::*;

use crate::i18n::{Lang, Texts};

/// The reader's language: provided by the app, else (in server functions) read from the cookie.
pub fn lang() -> Lang {
    if let Some(lang) = use_context::<Lang>() {
        return lang;
    }
    #[cfg(feature = "ssr")]
    {
        if let Some(parts) = use_context::<http::request::Parts>() {
            let cookies = parts
                .headers
                .get(http::header::COOKIE)
                .and_then(|value| value.to_str().ok());
            return Lang::from_cookie_header(cookies.unwrap_or_default());
        }
    }
    Lang::default()
}

pub fn texts() -> &'static Texts {
    lang().texts()
}

/// The language of the page being rendered: from the cookie on the server, from `<html lang>` in the browser.
pub fn detect_lang() -> Lang {
    #[cfg(feature = "hydrate")]
    {
        let from_document = web_sys::window()
            .and_then(|window| window.document())
            .and_then(|document| document.document_element())
            .and_then(|html| html.get_attribute("lang"));
        if let Some(code) = from_document {
            return Lang::from_code(&code);
        }
    }
    lang()
}

#[cfg(feature = "ssr")]
pub use server::*;

#[cfg(feature = "ssr")]
mod server {
    use axum::extract::FromRef;
    use breachdesk::role::Capability;
    use breachdesk::secret::SecretKey;
    use breachdesk::sessions::Session;
    use http::StatusCode;
    use leptos::prelude::*;
    use leptos_axum::ResponseOptions;
    use sqlx::SqlitePool;

    use crate::error::AppError;

    /// Shared by every request: one pool, the secret key and the settings pages need.
    #[derive(Clone)]
    pub struct AppState {
        pub pool: SqlitePool,
        pub key: SecretKey,
        pub leptos_options: LeptosOptions,
        pub idle_expiry: time::Duration,
        /// Whether cookies get the `Secure` flag (the public URL is https).
        pub secure_cookies: bool,
        /// Import dry runs waiting for a manager's confirmation.
        pub pending_imports: breachdesk::import::PendingImports,
        /// Bulk status files between their dry run and a manager's confirmation.
        pub pending_case_updates: breachdesk::cases::bulk::PendingFiles,
        /// The configured email transport (outbox folder or SMTP pool).
        pub mailer: breachdesk::mail::Mailer,
        /// Audit events written in shared transactions (the public lookups' trail).
        pub audit_writer: breachdesk::audit::AuditWriter,
    }

    impl FromRef<AppState> for LeptosOptions {
        fn from_ref(state: &AppState) -> Self {
            state.leptos_options.clone()
        }
    }

    pub fn state() -> Result<AppState, AppError> {
        use_context::<AppState>().ok_or_else(|| {
            tracing::error!("application state missing from the request context");
            AppError::Internal
        })
    }

    /// The session the router's middleware resolved for this request.
    pub fn session() -> Option<Session> {
        use_context::<http::request::Parts>()?
            .extensions
            .get::<Session>()
            .cloned()
    }

    /// The signed-in staff member if their role has the capability; else 401 or 403.
    pub fn require(capability: Capability) -> Result<Session, AppError> {
        let outcome = match session() {
            None => Err(AppError::Unauthenticated),
            Some(session) if session.staff.role.may(capability) => Ok(session),
            Some(_) => Err(AppError::Forbidden),
        };
        with_status(outcome)
    }

    /// The page's Content-Security-Policy: scripts only from this site or carrying this response's nonce
    /// (Leptos puts it on its inline hydration script), WebAssembly allowed, no framing, no plugins.
    pub fn set_content_security_policy() {
        let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<ResponseOptions>()) else {
            return;
        };
        let policy = format!(
            "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
             img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
             form-action 'self'; frame-ancestors 'none'"
        );
        if let Ok(value) = http::HeaderValue::from_str(&policy) {
            response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
        }
    }

    /// An audit event by the signed-in staff member, from the address this request came from.
    pub fn staff_event(session: &Session, action: breachdesk::audit::AuditAction) -> breachdesk::audit::AuditEvent {
        use breachdesk::audit::{Actor, AuditEvent};
        let address = use_context::<http::request::Parts>().and_then(|parts| {
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip())
        });
        AuditEvent::new(Actor::Staff(session.staff.id), action).from_address(address)
    }

    /// Sets the HTTP status that matches an error, so clients and tests can rely on it.
    pub fn with_status<T>(outcome: Result<T, AppError>) -> Result<T, AppError> {
        if let Err(error) = &outcome {
            let status = match error {
                AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
                AppError::Unauthenticated => StatusCode::UNAUTHORIZED,
                AppError::Forbidden => StatusCode::FORBIDDEN,
                AppError::NotFound => StatusCode::NOT_FOUND,
                AppError::Conflict(_) => StatusCode::CONFLICT,
                AppError::Internal => StatusCode::INTERNAL_SERVER_ERROR,
                AppError::Request => StatusCode::BAD_REQUEST,
            };
            if let Some(response) = use_context::<ResponseOptions>()
                && !plain_form_post()
            {
                response.set_status(status);
            }
        }
        outcome
    }

    /// A form posted without JavaScript (the browser asks for HTML): Leptos answers it with a redirect
    /// back to the form carrying the error, which an error status here would replace.
    fn plain_form_post() -> bool {
        use_context::<http::request::Parts>().is_some_and(|parts| {
            parts
                .headers
                .get(http::header::ACCEPT)
                .and_then(|accept| accept.to_str().ok())
                .is_some_and(|accept| accept.contains("text/html"))
        })
    }
}
