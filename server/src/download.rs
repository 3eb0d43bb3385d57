//! File downloads: one way to name them and one set of headers, so no file of personal data is cached.

use axum::http::header;
use axum::response::{IntoResponse, Response};
use time::OffsetDateTime;
use time::macros::format_description;

/// A file download that no browser or proxy keeps.
pub fn attachment(content_type: &str, file_name: &str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

/// `20171222-1530`, Tokyo time: names downloaded files after the moment they describe, so files of
/// different days sort apart.
pub fn stamp() -> String {
    OffsetDateTime::now_utc()
        .to_offset(breachdesk::calendar::TOKYO)
        .format(format_description!("[year][month][day]-[hour][minute]"))
        .unwrap_or_default()
}
