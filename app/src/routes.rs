//! The document shell and the route table.

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

use breachdesk::role::Capability;

use crate::context::{detect_lang, lang};
use crate::layout::StaffLayout;
use crate::pages::{
    AccountPage, AuditPage, CallReportPage, CallbacksPage, CallsPage, CampaignPage, CampaignsPage, CaseUpdatesPage,
    CustomerPage, CustomersPage, DashboardPage, DispositionsPage, EscalationsPage, HomePage, ImportPage, LettersPage,
    LoginPage, NotFoundPage, ReportsPage, RetentionPage, SettingsPage, StaffPage, StatusLookupsPage, StatusPage,
    TemplatesPage,
};

/// The HTML document around the app; rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::context::set_content_security_policy();
    let lang = lang();
    view! {
        <!DOCTYPE html>
        <html lang=lang.code()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                {hydrates().then(|| view! { <HydrationScripts options /> })}
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// Whether the page loads the wasm bundle. The public status page is plain HTML and forms, so the
/// customers who open it, mostly on phones, download none of the staff pages' code (1.3 MB gzip).
#[cfg(feature = "ssr")]
fn hydrates() -> bool {
    use_context::<http::request::Parts>().is_none_or(|request| request.uri.path() != "/status")
}

#[cfg(not(feature = "ssr"))]
fn hydrates() -> bool {
    true
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    provide_context(detect_lang());
    // Browser tests wait for this before clicking: it proves the wasm bundle loaded and hydrated.
    Effect::new(|| {
        if let Some(html) = document().document_element() {
            let _ = html.set_attribute("data-hydrated", "true");
        }
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/breachdesk.css" />
        <Title formatter=|page: String| format!("{page} | BreachDesk") />
        <Router>
            <Routes fallback=NotFoundPage>
                <Route path=path!("/login") view=LoginPage />
                // Public, outside the staff layout; in order, so the result is in the HTML itself.
                <Route path=path!("/status") view=StatusPage ssr=SsrMode::InOrder />
                <ParentRoute path=path!("") view=StaffLayout>
                    <Route path=path!("") view=HomePage />
                    <Route path=path!("customers") view=CustomersPage />
                    <Route path=path!("customers/:id") view=CustomerPage ssr=SsrMode::InOrder />
                    // In order: results and forms arrive in the HTML itself, so they work without JavaScript.
                    <Route path=path!("calls") view=CallsPage ssr=SsrMode::InOrder />
                    <Route path=path!("calls/report") view=CallReportPage ssr=SsrMode::InOrder />
                    <Route path=path!("callbacks") view=CallbacksPage ssr=SsrMode::InOrder />
                    <Route path=path!("escalations") view=EscalationsPage ssr=SsrMode::InOrder />
                    <Route path=path!("dispositions") view=DispositionsPage ssr=SsrMode::InOrder />
                    <Route path=path!("case-updates") view=CaseUpdatesPage ssr=SsrMode::InOrder />
                    <Route path=path!("dashboard") view=DashboardPage ssr=SsrMode::InOrder />
                    <Route path=path!("reports") view=ReportsPage ssr=SsrMode::InOrder />
                    <Route path=path!("import") view=ImportPage />
                    <Route path=path!("staff") view=StaffPage />
                    <Route path=path!("account") view=AccountPage />
                    <Route path=path!("audit") view=AuditPage />
                    <Route path=path!("retention") view=RetentionPage />
                    <Route path=path!("templates") view=TemplatesPage />
                    <Route path=path!("letters") view=LettersPage />
                    <Route path=path!("campaigns") view=CampaignsPage />
                    <Route path=path!("campaigns/:id") view=CampaignPage />
                    <Route path=path!("status-lookups") view=StatusLookupsPage ssr=SsrMode::InOrder />
                    // In order: the forms arrive in the HTML itself, so they work without JavaScript.
                    <Route path=path!("settings") view=SettingsPage ssr=SsrMode::InOrder />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Which capability a staff page needs; `None` for public pages and unknown addresses.
///
/// The router's guard redirects or refuses with it, and the navigation hides what a role cannot open.
pub fn staff_page_capability(path: &str) -> Option<Capability> {
    match path.trim_end_matches('/') {
        "" => Some(Capability::ViewIncident),
        "/staff" => Some(Capability::ManageStaff),
        "/account" => Some(Capability::UseOwnAccount),
        "/audit" => Some(Capability::ViewAudit),
        "/retention" => Some(Capability::PurgePersonalData),
        "/customers" => Some(Capability::SearchCustomers),
        "/import" => Some(Capability::ImportCustomers),
        "/case-updates" => Some(Capability::ManageCaseStatus),
        "/dashboard" | "/reports" => Some(Capability::ViewProgramme),
        customer if customer.starts_with("/customers/") => Some(Capability::RecordCaseRequest),
        "/templates" => Some(Capability::EditTemplates),
        "/letters" => Some(Capability::ProduceLetters),
        "/campaigns" => Some(Capability::ViewCampaigns),
        campaign if campaign.starts_with("/campaigns/") => Some(Capability::ViewCampaigns),
        "/calls" | "/callbacks" => Some(Capability::LogCalls),
        "/calls/report" => Some(Capability::ViewCallReports),
        "/dispositions" => Some(Capability::ManageDispositions),
        "/escalations" => Some(Capability::HandleEscalations),
        "/status-lookups" => Some(Capability::ManageStatusPage),
        // Managers edit the hotline hours there; the incident form on it is for admins only.
        "/settings" => Some(Capability::ManageSchedule),
        _ => None,
    }
}
