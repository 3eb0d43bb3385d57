//! The upload forms' size limit (`BREACHDESK_UPLOAD_LIMIT_MB`): a larger file is refused with 413
//! and a page saying why, before its body is read.

use app::i18n::Lang;
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::{self, Next};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::MethodRouter;
use tower::ServiceBuilder;

use crate::auth_routes::request_lang;

/// The limit of one upload route and the form page a refused visitor goes back to.
#[derive(Clone, Copy)]
struct Limit {
    bytes: usize,
    form: &'static str,
}

/// Wraps an upload route: a declared `Content-Length` over the limit answers 413 at once; a body
/// without one (chunked) is cut off at the limit by `DefaultBodyLimit`, and the route's own
/// multipart error handling answers.
pub fn limited(
    route: MethodRouter<app::context::AppState>,
    bytes: usize,
    form: &'static str,
) -> MethodRouter<app::context::AppState> {
    route.layer(
        ServiceBuilder::new()
            .layer(middleware::from_fn_with_state(Limit { bytes, form }, refuse_oversized))
            .layer(DefaultBodyLimit::max(bytes)),
    )
}

async fn refuse_oversized(State(limit): State<Limit>, request: Request, next: Next) -> Response {
    let declared = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<u64>().ok());
    match declared {
        Some(length) if length > limit.bytes as u64 => {
            tracing::warn!(length, limit = limit.bytes, "refused an upload over the limit");
            too_large_page(request_lang(request.headers()), limit)
        }
        _ => next.run(request).await,
    }
}

/// A plain page rather than a redirect: the browser has not finished sending the file, and 413
/// is the answer a proxy or script also understands.
fn too_large_page(lang: Lang, limit: Limit) -> Response {
    let megabytes = limit.bytes / (1024 * 1024);
    let (title, message, back) = match lang {
        Lang::Ja => (
            "ファイルが大きすぎます",
            format!(
                "アップロードできるファイルは {megabytes} MB までです。大きなファイルはコマンド breachdesk import で取り込んでください。"
            ),
            "戻る",
        ),
        Lang::En => (
            "The file is too large",
            format!("Uploads are limited to {megabytes} MB. Import larger files with the command breachdesk import."),
            "Back",
        ),
    };
    let body = format!(
        "<!DOCTYPE html><html lang=\"{code}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" \
         content=\"width=device-width, initial-scale=1\"><title>{title} | BreachDesk</title>\
         <link rel=\"stylesheet\" href=\"/pkg/breachdesk.css\"></head><body><main id=\"main\" class=\"page narrow\">\
         <h1>{title}</h1><p>{message}</p><p><a href=\"{form}\">{back}</a></p></main></body></html>",
        code = lang.code(),
        form = limit.form,
    );
    (StatusCode::PAYLOAD_TOO_LARGE, Html(body)).into_response()
}

/// A body cut off at the upload limit (sent without a length, so not refused up front) reads as 413.
fn upload_error_code(error: &axum::extract::multipart::MultipartError) -> &'static str {
    if error.status() == StatusCode::PAYLOAD_TOO_LARGE {
        "too_large"
    } else {
        "internal"
    }
}

/// An upload form's CSV: the file, its name and the chosen encoding; `None` without a file.
/// Errors are codes the form's page explains.
pub async fn read_csv_upload(
    mut multipart: axum::extract::Multipart,
) -> Result<Option<(String, axum::body::Bytes, breachdesk::customer::CsvEncoding)>, &'static str> {
    let mut file = None;
    let mut encoding = breachdesk::customer::CsvEncoding::Auto;
    while let Some(field) = multipart
        .next_field()
        .await
        .map_err(|error| upload_error_code(&error))?
    {
        match field.name() {
            Some("file") => {
                let name = field.file_name().unwrap_or_default().to_owned();
                let bytes = field.bytes().await.map_err(|error| upload_error_code(&error))?;
                if !bytes.is_empty() {
                    file = Some((name, bytes));
                }
            }
            Some("encoding") => {
                let text = field.text().await.map_err(|error| upload_error_code(&error))?;
                encoding = text.parse().unwrap_or_default();
            }
            _ => {}
        }
    }
    Ok(file.map(|(name, bytes)| (name, bytes, encoding)))
}
