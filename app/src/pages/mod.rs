//! One module per page.

mod account;
mod audit;
mod call_report;
mod callbacks;
mod calls;
mod campaigns;
mod case_updates;
mod customer;
mod customers;
mod dashboard;
mod dispositions;
mod escalations;
mod home;
mod import;
mod letters;
mod login;
mod not_found;
mod reports;
mod retention;
mod settings;
mod staff;
mod status;
mod status_lookups;
mod templates;

pub use account::AccountPage;
pub use audit::AuditPage;
pub use call_report::CallReportPage;
pub use callbacks::CallbacksPage;
pub use calls::{CallsPage, Timeline};
pub use campaigns::{CampaignPage, CampaignsPage};
pub use case_updates::CaseUpdatesPage;
pub use customer::{CaseStatusPanel, CustomerPage};
pub use customers::CustomersPage;
pub use dashboard::DashboardPage;
pub use dispositions::DispositionsPage;
pub use escalations::{EscalationsPage, OpenEscalationsNotice};
pub use home::HomePage;
pub use import::ImportPage;
pub use letters::LettersPage;
pub use login::LoginPage;
pub use not_found::NotFoundPage;
pub use reports::ReportsPage;
pub use retention::RetentionPage;
pub use settings::SettingsPage;
pub use staff::StaffPage;
pub use status::StatusPage;
pub use status_lookups::StatusLookupsPage;
pub use templates::TemplatesPage;

use leptos::prelude::*;

use crate::error::AppError;

/// A `<textarea>`'s initial text. tachys writes textarea children into the server's HTML without
/// escaping (as for `<script>`), so a stored `</textarea><script>` would end the element and a
/// stored `&amp;` would come back from the form as `&`. The server escapes `&` and `<`; in the
/// browser the text becomes a DOM text node, which needs no escaping.
pub fn textarea_text(text: &str) -> String {
    if cfg!(feature = "ssr") {
        text.replace('&', "&amp;").replace('<', "&lt;")
    } else {
        text.to_owned()
    }
}

/// `2017-06-01 09:30` in Asia/Tokyo (UTC+9, no daylight saving), from the stored RFC 3339 UTC text.
pub fn tokyo_time(stored: &str) -> String {
    use time::format_description::well_known::Rfc3339;
    use time::macros::{format_description, offset};
    time::OffsetDateTime::parse(stored, &Rfc3339)
        .ok()
        .and_then(|at| {
            at.to_offset(offset!(+9))
                .format(format_description!("[year]-[month]-[day] [hour]:[minute]"))
                .ok()
        })
        .unwrap_or_else(|| stored.to_owned())
}

/// A failed server call, in the reader's language, announced to screen readers.
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let message = error.message(crate::context::texts());
    view! { <p class="notice error" role="alert">{message}</p> }
}

#[cfg(test)]
mod tests {
    use super::tokyo_time;

    #[cfg(feature = "ssr")]
    #[test]
    fn a_textarea_cannot_be_closed_by_its_own_text_on_the_server() {
        assert_eq!(
            super::textarea_text("A&amp;B </textarea><script>alert(1)</script>"),
            "A&amp;amp;B &lt;/textarea>&lt;script>alert(1)&lt;/script>"
        );
    }

    #[test]
    fn an_import_time_is_shown_in_tokyo_time_to_the_minute() {
        assert_eq!(tokyo_time("2026-11-25T23:22:57.043991152Z"), "2026-11-26 08:22");
        assert_eq!(tokyo_time("not a time"), "not a time");
    }
}
