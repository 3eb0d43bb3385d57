//! Walks every staff endpoint with every role and with no session, and checks the answer
//! against the capability table in `breachdesk::role`.

use breachdesk::role::{Capability, Role};
use breachdesk_tests::{is_refused, spawn_app};
use reqwest::StatusCode;

/// Server functions: path, a well-formed body, and the capability the endpoint needs (`None`: public).
const SERVER_FUNCTIONS: &[(&str, &str, Option<Capability>)] = &[
    ("/api/shell", "", None),
    ("/api/incident", "", Some(Capability::ViewIncident)),
    (
        "/api/account/password",
        "change[current]=wrong-password-x&change[new]=new-password-long",
        Some(Capability::UseOwnAccount),
    ),
    ("/api/staff/list", "", Some(Capability::ManageStaff)),
    (
        "/api/staff/create",
        "new[email]=walk%40example.jp&new[display_name]=walk&new[role]=agent&new[password]=",
        Some(Capability::ManageStaff),
    ),
    (
        "/api/staff/disable",
        "id=999999&disabled=true",
        Some(Capability::ManageStaff),
    ),
    ("/api/staff/reset-password", "id=999999", Some(Capability::ManageStaff)),
    (
        "/api/customers/search",
        "query[q]=%E5%B1%B1%E7%94%B0&query[page]=1",
        Some(Capability::SearchCustomers),
    ),
    (
        "/api/import/preview",
        "token=unknown",
        Some(Capability::ImportCustomers),
    ),
    ("/api/import/list", "", Some(Capability::ImportCustomers)),
    ("/api/letters/overview", "", Some(Capability::ProduceLetters)),
    ("/api/case/customer", "id=999999", Some(Capability::RecordCaseRequest)),
    // No such customer: allowed roles get 404, and the walk changes no one.
    (
        "/api/case/change",
        "change[customer_id]=999999&change[kind]=reissue&change[to]=requested",
        Some(Capability::RecordCaseRequest),
    ),
    (
        "/api/case/bulk/preview",
        "token=unknown",
        Some(Capability::ManageCaseStatus),
    ),
    ("/api/programme/dashboard", "", Some(Capability::ViewProgramme)),
    ("/api/programme/report", "", Some(Capability::ViewProgramme)),
    (
        "/api/retention/dry-run",
        "request[before]=2017-01-01",
        Some(Capability::PurgePersonalData),
    ),
    // Malformed on purpose: allowed roles get 422, and the walk purges no one.
    (
        "/api/retention/purge",
        "request[before]=2017-01-01&request[expected]=many",
        Some(Capability::PurgePersonalData),
    ),
    // Malformed on purpose: allowed roles get 422, and the walk leaves the report as it was.
    (
        "/api/programme/report/item",
        "form[item]=nonsense",
        Some(Capability::ViewProgramme),
    ),
    (
        "/api/programme/report/reset",
        "item=nonsense",
        Some(Capability::ViewProgramme),
    ),
    (
        "/api/programme/report/known",
        "form[known_on]=not-a-date",
        Some(Capability::ViewProgramme),
    ),
    ("/api/hotline/now", "", Some(Capability::ViewIncident)),
    ("/api/hotline/schedule", "", Some(Capability::ManageSchedule)),
    // Malformed on purpose: allowed roles get 422, and the walk leaves the schedule as it was.
    (
        "/api/hotline/schedule/save",
        "form[periods][0][from]=not-a-date",
        Some(Capability::ManageSchedule),
    ),
    (
        "/api/incident/save",
        "profile[company_name]=",
        Some(Capability::EditIncident),
    ),
    ("/api/audit/list", "query[page]=1", Some(Capability::ViewAudit)),
    // The call desk. Unknown ids and malformed forms on purpose: allowed roles get 404, 409 or 422
    // and the walk logs no call and changes nothing.
    ("/api/calls/search", "q=%E5%B1%B1%E7%94%B0", Some(Capability::LogCalls)),
    ("/api/calls/caller", "id=999999", Some(Capability::LogCalls)),
    (
        "/api/calls/identity",
        "check[customer_id]=999999",
        Some(Capability::LogCalls),
    ),
    ("/api/calls/form", "", Some(Capability::LogCalls)),
    ("/api/calls/log", "call[outcome]=nonsense", Some(Capability::LogCalls)),
    (
        "/api/calls/contact",
        "contact[customer_id]=999999&contact[field]=email&contact[email]=x",
        Some(Capability::LogCalls),
    ),
    (
        "/api/calls/resend",
        "customer_id=999999&channel=letter",
        Some(Capability::LogCalls),
    ),
    ("/api/calls/timeline", "customer_id=999999", Some(Capability::LogCalls)),
    ("/api/callbacks/list", "", Some(Capability::LogCalls)),
    (
        "/api/callbacks/assign",
        "callback_id=999999&staff_id=",
        Some(Capability::LogCalls),
    ),
    ("/api/escalations/list", "", Some(Capability::HandleEscalations)),
    ("/api/escalations/count", "", Some(Capability::HandleEscalations)),
    (
        "/api/escalations/advance",
        "id=999999&step=acknowledge",
        Some(Capability::HandleEscalations),
    ),
    ("/api/dispositions/list", "", Some(Capability::ManageDispositions)),
    (
        "/api/dispositions/add",
        "code[label_ja]=&code[label_en]=",
        Some(Capability::ManageDispositions),
    ),
    (
        "/api/dispositions/active",
        "id=999999&active=true",
        Some(Capability::ManageDispositions),
    ),
    (
        "/api/calls/report",
        "from=not-a-date",
        Some(Capability::ViewCallReports),
    ),
    ("/api/templates", "", Some(Capability::EditTemplates)),
    (
        "/api/templates/history",
        "name=apology-letter",
        Some(Capability::EditTemplates),
    ),
    // An unknown template: allowed roles get 404, and nothing is saved or sent.
    (
        "/api/templates/preview",
        "edit[name]=no-such-template&edit[date_style]=wareki",
        Some(Capability::EditTemplates),
    ),
    (
        "/api/templates/save",
        "edit[name]=no-such-template&edit[date_style]=wareki",
        Some(Capability::EditTemplates),
    ),
    (
        "/api/templates/test-send",
        "edit[name]=no-such-template&edit[date_style]=wareki",
        Some(Capability::EditTemplates),
    ),
    ("/api/campaigns", "", Some(Capability::ViewCampaigns)),
    ("/api/campaigns/progress", "id=999999", Some(Capability::ViewCampaigns)),
    (
        "/api/campaigns/deliveries",
        "id=999999&after_id=0",
        Some(Capability::ViewCampaigns),
    ),
    // Unknown templates, campaigns and customers: allowed roles get 404 or 422, and nothing changes.
    (
        "/api/campaigns/create",
        "form[template]=no-such-template&form[channel]=email&form[audience]=all&form[form_key]=walk",
        Some(Capability::RunCampaigns),
    ),
    (
        "/api/campaigns/change",
        "id=999999&action=start",
        Some(Capability::RunCampaigns),
    ),
    (
        "/api/campaigns/in-doubt",
        "id=999999&decision=send_again",
        Some(Capability::RunCampaigns),
    ),
    ("/api/campaigns/mailed", "id=999999", Some(Capability::RunCampaigns)),
    (
        "/api/campaigns/undelivered",
        "form[reference_code]=nonsense&form[what]=bounced",
        Some(Capability::RunCampaigns),
    ),
    ("/api/status/page", "", None),
    ("/api/status/report", "", Some(Capability::ManageStatusPage)),
    ("/api/status/faq", "", Some(Capability::ManageStatusPage)),
    // An entry without its question: allowed roles get 422, and the FAQ stays as it was.
    (
        "/api/status/faq/save",
        "form[entries][0][question_ja]=&form[entries][0][answer_ja]=x",
        Some(Capability::ManageStatusPage),
    ),
];

/// Plain GET routes (downloads) and the capability each needs; allowed roles may get 404 for an unknown id.
const DOWNLOADS: &[(&str, Capability)] = &[
    ("/import/reports/999999", Capability::ImportCustomers),
    ("/audit/export.csv", Capability::ViewAudit),
    (
        "/calls/export.csv?from=2017-12-27&until=2017-12-27",
        Capability::ViewCallReports,
    ),
    ("/exports/customers.csv?encoding=shift_jis", Capability::ViewProgramme),
    ("/reports/appi.txt", Capability::ViewProgramme),
    ("/reports/appi.pdf", Capability::ViewProgramme),
    // No such customer and an empty audience: allowed roles get 404 without a PDF being drawn.
    ("/letters/customer/999999", Capability::ProduceLetters),
    ("/letters/batch.pdf?audience=returned", Capability::ProduceLetters),
    (
        "/letters/mailing-list.csv?audience=returned",
        Capability::ProduceLetters,
    ),
    ("/letters/campaigns/999999/batch.pdf", Capability::ProduceLetters),
    ("/letters/campaigns/999999/mailing-list.csv", Capability::ProduceLetters),
];

/// Staff pages and the capability each needs.
const PAGES: &[(&str, Capability)] = &[
    ("/", Capability::ViewIncident),
    ("/staff", Capability::ManageStaff),
    ("/account", Capability::UseOwnAccount),
    ("/customers", Capability::SearchCustomers),
    ("/import", Capability::ImportCustomers),
    ("/customers/1", Capability::RecordCaseRequest),
    ("/case-updates", Capability::ManageCaseStatus),
    ("/dashboard", Capability::ViewProgramme),
    ("/reports", Capability::ViewProgramme),
    ("/settings", Capability::ManageSchedule),
    ("/audit", Capability::ViewAudit),
    ("/retention", Capability::PurgePersonalData),
    ("/templates", Capability::EditTemplates),
    ("/letters", Capability::ProduceLetters),
    ("/campaigns", Capability::ViewCampaigns),
    ("/calls", Capability::LogCalls),
    ("/calls?customer=1", Capability::LogCalls),
    ("/callbacks", Capability::LogCalls),
    ("/calls/report", Capability::ViewCallReports),
    ("/dispositions", Capability::ManageDispositions),
    ("/escalations", Capability::HandleEscalations),
    ("/status-lookups", Capability::ManageStatusPage),
];

#[tokio::test]
async fn every_server_function_answers_each_role_as_the_capability_table_says() {
    let app = spawn_app().await;
    let anonymous = app.visitor();
    for (path, body, capability) in SERVER_FUNCTIONS {
        let status = anonymous.post_form(path, body).await.status();
        match capability {
            None => assert_eq!(status, StatusCode::OK, "{path} is public"),
            Some(_) => assert_eq!(status, StatusCode::UNAUTHORIZED, "{path} without a session"),
        }
    }
    for role in Role::ALL {
        let visitor = app.signed_in(role).await;
        for (path, body, capability) in SERVER_FUNCTIONS {
            let status = visitor.post_form(path, body).await.status();
            let allowed = capability.is_none_or(|capability| role.may(capability));
            if allowed {
                assert!(!is_refused(status), "{role} may call {path}, got {status}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{role} may not call {path}");
            }
        }
    }
}

#[tokio::test]
async fn every_staff_page_answers_each_role_as_the_capability_table_says() {
    let app = spawn_app().await;
    let anonymous = app.visitor();
    for (path, _) in PAGES {
        let response = anonymous.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path} without a session");
        assert!(response.headers()["location"].to_str().unwrap().starts_with("/login"));
    }
    for role in Role::ALL {
        let visitor = app.signed_in(role).await;
        for (path, capability) in PAGES {
            let status = visitor.get(path).await.status();
            let expected = if role.may(*capability) {
                StatusCode::OK
            } else {
                StatusCode::FORBIDDEN
            };
            assert_eq!(status, expected, "{role} opening {path}");
        }
    }
}

#[tokio::test]
async fn every_download_answers_each_role_as_the_capability_table_says() {
    let app = spawn_app().await;
    let anonymous = app.visitor();
    for (path, _) in DOWNLOADS {
        assert_eq!(
            anonymous.get(path).await.status(),
            StatusCode::UNAUTHORIZED,
            "{path} without a session"
        );
    }
    for role in Role::ALL {
        let visitor = app.signed_in(role).await;
        for (path, capability) in DOWNLOADS {
            let status = visitor.get(path).await.status();
            if role.may(*capability) {
                assert!(!is_refused(status), "{role} may download {path}, got {status}");
            } else {
                assert_eq!(status, StatusCode::FORBIDDEN, "{role} may not download {path}");
            }
        }
    }
}
