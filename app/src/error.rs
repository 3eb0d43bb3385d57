//! The one error type of every server function: what the browser may learn about a failure.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::i18n::Texts;

/// A field the user must correct, with the message in the reader's language.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    #[error("some fields need correcting")]
    Invalid(Vec<FieldError>),
    #[error("sign-in required")]
    Unauthenticated,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The request clashes with what is stored; the message is for the user.
    #[error("{0}")]
    Conflict(String),
    /// Details were logged on the server; the browser only learns that it failed.
    #[error("internal error")]
    Internal,
    /// The request never reached the function or its answer could not be read.
    #[error("request failed")]
    Request,
}

impl AppError {
    pub fn field(field: &str, message: &str) -> AppError {
        AppError::Invalid(vec![FieldError {
            field: field.to_owned(),
            message: message.to_owned(),
        }])
    }

    /// The message a user reads, in their language.
    pub fn message(&self, texts: &Texts) -> String {
        match self {
            AppError::Invalid(fields) => fields.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join(" "),
            AppError::Unauthenticated => texts.error_unauthenticated.to_owned(),
            AppError::Forbidden => texts.error_forbidden.to_owned(),
            AppError::NotFound => texts.error_not_found.to_owned(),
            AppError::Conflict(message) => message.clone(),
            AppError::Internal => texts.error_internal.to_owned(),
            AppError::Request => texts.error_request.to_owned(),
        }
    }

    /// The message for one field, if that field was refused.
    pub fn field_message(&self, field: &str) -> Option<String> {
        match self {
            AppError::Invalid(fields) => fields.iter().find(|f| f.field == field).map(|f| f.message.clone()),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        match value {
            // Arguments that do not even decode are the client's fault, not a server failure.
            ServerFnErrorErr::Args(_) => AppError::field("form", "invalid form"),
            ServerFnErrorErr::MissingArg(arg) => AppError::field(&arg, "missing"),
            ServerFnErrorErr::ServerError(_) => AppError::Internal,
            _ => AppError::Request,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<sqlx::Error> for AppError {
    fn from(error: sqlx::Error) -> Self {
        tracing::error!(%error, "database error");
        AppError::Internal
    }
}

#[cfg(feature = "ssr")]
impl From<breachdesk::accounts::AccountError> for AppError {
    fn from(error: breachdesk::accounts::AccountError) -> Self {
        use breachdesk::accounts::AccountError;
        match error {
            AccountError::NotFound => AppError::NotFound,
            AccountError::EmailTaken => AppError::field("email", crate::context::texts().error_email_taken),
            AccountError::Database(error) => error.into(),
            AccountError::Hashing => {
                tracing::error!("password hashing failed");
                AppError::Internal
            }
        }
    }
}
