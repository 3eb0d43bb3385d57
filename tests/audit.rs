//! The audit trail over real HTTP: what gets recorded, that it holds no customer data, filters and export.

use breachdesk::role::Role;
use breachdesk_tests::{encode, spawn_app};
use reqwest::StatusCode;
use serde_json::Value;

async fn audit_rows(pool: &sqlx::SqlitePool) -> Vec<(String, String, Option<String>)> {
    sqlx::query_as("SELECT action, outcome, detail FROM audit_log ORDER BY id")
        .fetch_all(pool)
        .await
        .expect("read the audit trail")
}

#[tokio::test]
async fn a_search_is_recorded_by_the_kind_of_key_and_never_by_the_term() {
    let app = spawn_app().await;
    let (name, code): (String, String) =
        sqlx::query_as("SELECT name, reference_code FROM customers ORDER BY id LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .expect("a demo customer");
    let family_name = name.split_whitespace().next().unwrap_or(&name).to_owned();
    let agent = app.signed_in(Role::Agent).await;
    for term in [&family_name, &code] {
        let body = format!("query[q]={}&query[page]=1", encode(term));
        let response = agent.post_form("/api/customers/search", &body).await;
        assert_eq!(response.status(), StatusCode::OK);
    }

    let rows = audit_rows(&app.pool).await;
    let searches: Vec<&str> = rows
        .iter()
        .filter(|(action, _, _)| action == "searched_customers")
        .filter_map(|(_, _, detail)| detail.as_deref())
        .collect();
    assert_eq!(searches.len(), 2, "{rows:?}");
    assert!(searches[0].starts_with("name total="), "{searches:?}");
    assert!(searches[1].starts_with("reference_code total=1"), "{searches:?}");
    let everything = format!("{rows:?}");
    assert!(!everything.contains(&family_name) && !everything.contains(&code));
    assert!(
        rows.iter()
            .any(|(action, outcome, _)| action == "signed_in" && outcome == "ok")
    );
}

#[tokio::test]
async fn a_refused_sign_in_is_recorded_without_the_address_that_was_typed() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    visitor.sign_in("someone@example.jp", "not-the-password").await;
    let rows = audit_rows(&app.pool).await;
    assert!(
        rows.iter()
            .any(|(action, outcome, _)| action == "sign_in_refused" && outcome == "refused")
    );
    assert!(!format!("{rows:?}").contains("someone@example.jp"));
}

#[tokio::test]
async fn a_manager_filters_the_trail_by_action_and_the_export_is_itself_recorded() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    manager
        .post_form("/api/customers/search", "query[q]=1234&query[page]=1")
        .await;

    let filtered: Value = manager
        .post_form("/api/audit/list", "query[action]=searched_customers&query[page]=1")
        .await
        .json()
        .await
        .expect("audit page as JSON");
    assert_eq!(filtered["page"]["total"], 1, "{filtered}");
    assert_eq!(filtered["page"]["rows"][0]["action"], "SearchedCustomers");

    let refused = manager.post_form("/api/audit/list", "query[from]=yesterday").await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let export = manager.get("/audit/export.csv?action=signed_in").await;
    assert_eq!(export.status(), StatusCode::OK);
    let disposition = export.headers()["content-disposition"].to_str().unwrap().to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"audit-"),
        "{disposition}"
    );
    let csv = export.text().await.unwrap();
    assert!(csv.starts_with("\u{feff}id,at,actor"));
    assert_eq!(csv.lines().count(), 2, "header and the manager's sign-in: {csv}");
    let rows = audit_rows(&app.pool).await;
    assert_eq!(rows.last().map(|(action, _, _)| action.as_str()), Some("exported"));
}
