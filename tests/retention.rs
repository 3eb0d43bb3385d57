//! Closing the programme: the purge's dry run changes nothing, the purge leaves no demo customer's
//! personal data in the database file, and the counts the dashboard and reports use stay the same.

use breachdesk::demo::DEMO_CUSTOMERS;
use breachdesk::role::Role;
use breachdesk_tests::scan::{demo_customers, find_any, personal_values};
use breachdesk_tests::{TestApp, Visitor, spawn_app};
use reqwest::StatusCode;
use time::OffsetDateTime;

/// Tomorrow in Tokyo: the latest cutoff, which reaches every demo customer (all loaded just now).
fn tomorrow() -> String {
    let today = OffsetDateTime::now_utc().to_offset(breachdesk::calendar::TOKYO).date();
    today.next_day().expect("a tomorrow").to_string()
}

/// Everything anonymous the dashboard and reports count, read straight from the tables.
async fn anonymous_counts(app: &TestApp) -> Vec<(String, i64)> {
    sqlx::query_as(
        "SELECT 'brand:' || card_brand, COUNT(*) FROM customers GROUP BY card_brand \
         UNION ALL SELECT 'reissue:' || reissue_state, COUNT(*) FROM customer_cases GROUP BY reissue_state \
         UNION ALL SELECT 'refund:' || refund_state, COUNT(*) FROM customer_cases GROUP BY refund_state \
         UNION ALL SELECT 'delivery:' || channel || ':' || state, COUNT(*) FROM deliveries GROUP BY channel, state \
         UNION ALL SELECT 'events:' || kind || ':' || to_state, COUNT(*) FROM case_events GROUP BY kind, to_state \
         ORDER BY 1",
    )
    .fetch_all(&app.pool)
    .await
    .expect("counts")
}

async fn dashboard(visitor: &Visitor) -> serde_json::Value {
    let response = visitor.post_form("/api/programme/dashboard", "").await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("dashboard JSON")
}

async fn dry_run(visitor: &Visitor, before: &str) -> reqwest::Response {
    visitor
        .post_form("/api/retention/dry-run", &format!("request[before]={before}"))
        .await
}

async fn purge(visitor: &Visitor, before: &str, expected: &str) -> reqwest::Response {
    visitor
        .post_form(
            "/api/retention/purge",
            &format!("request[before]={before}&request[expected]={expected}"),
        )
        .await
}

async fn audit_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM audit_log")
        .fetch_one(&app.pool)
        .await
        .expect("audit count")
}

/// The database file and its write-ahead log, as bytes.
fn database_bytes(app: &TestApp) -> Vec<u8> {
    let mut bytes = std::fs::read(app.data_dir.join("breachdesk.db")).expect("database file");
    if let Ok(wal) = std::fs::read(app.data_dir.join("breachdesk.db-wal")) {
        bytes.extend_from_slice(&wal);
    }
    bytes
}

#[tokio::test]
async fn a_dry_run_counts_every_inactive_customer_and_changes_nothing() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let audit_before = audit_rows(&app).await;

    let response = dry_run(&manager, &tomorrow()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let summary: serde_json::Value = response.json().await.unwrap();
    assert_eq!(summary["customers"], DEMO_CUSTOMERS as u64);

    let old = dry_run(&manager, "2000-01-01")
        .await
        .json::<serde_json::Value>()
        .await
        .unwrap();
    assert_eq!(old["customers"], 0, "nobody was inactive before the demo was loaded");
    assert_eq!(
        audit_rows(&app).await,
        audit_before,
        "a dry run writes nothing, not even to the trail"
    );
    let purged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE purged_at IS NOT NULL")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(purged, 0);
}

#[tokio::test]
async fn a_malformed_or_future_date_and_a_count_that_does_not_match_the_dry_run_are_refused_by_field() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    for (before, expected, field) in [
        ("2018-02-30", "1", "before"),
        ("2999-01-01", "1", "before"),
        (tomorrow().as_str(), "many", "expected"),
        (tomorrow().as_str(), "12", "expected"),
    ] {
        let response = purge(&manager, before, expected).await;
        assert_eq!(
            response.status(),
            StatusCode::UNPROCESSABLE_ENTITY,
            "{before} {expected}"
        );
        let body = response.text().await.unwrap();
        assert!(body.contains(field), "{before} {expected}: {body}");
    }
    let purged: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE purged_at IS NOT NULL")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(purged, 0);
}

#[tokio::test]
async fn an_agent_can_neither_dry_run_nor_purge() {
    let app = spawn_app().await;
    let agent = app.signed_in(Role::Agent).await;
    assert_eq!(dry_run(&agent, &tomorrow()).await.status(), StatusCode::FORBIDDEN);
    let count = DEMO_CUSTOMERS.to_string();
    assert_eq!(purge(&agent, &tomorrow(), &count).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_purge_leaves_no_demo_personal_data_on_disk_and_the_counts_unchanged() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let personal = personal_values(&demo_customers());
    let counts_before = anonymous_counts(&app).await;
    let dashboard_before = dashboard(&manager).await;
    let codes_before: Vec<String> = sqlx::query_scalar("SELECT reference_code FROM customers ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();

    assert!(
        find_any(&database_bytes(&app), &personal).is_some(),
        "the scan finds the demo customers before the purge"
    );
    let audit_before = audit_rows(&app).await;

    let response = purge(&manager, &tomorrow(), &DEMO_CUSTOMERS.to_string()).await;
    assert_eq!(response.status(), StatusCode::OK);
    let summary: serde_json::Value = response.json().await.unwrap();
    assert_eq!(summary["customers"], DEMO_CUSTOMERS as u64);

    assert_eq!(anonymous_counts(&app).await, counts_before);
    assert_eq!(dashboard(&manager).await, dashboard_before);
    let codes_after: Vec<String> = sqlx::query_scalar("SELECT reference_code FROM customers ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert!(
        codes_before
            .iter()
            .zip(&codes_after)
            .all(|(before, after)| before != after),
        "no letter's reference code finds its customer any more"
    );

    assert_eq!(
        find_any(&database_bytes(&app), &personal),
        None,
        "still in the database file"
    );
    assert!(
        audit_rows(&app).await > audit_before,
        "the trail is kept, and the purge is added to it"
    );
    let trail: Vec<String> = sqlx::query_scalar(
        "SELECT concat_ws('|', at, actor, address, action, customer_id, object, outcome, detail) FROM audit_log",
    )
    .fetch_all(&app.pool)
    .await
    .unwrap();
    assert_eq!(
        find_any(trail.join("\n").as_bytes(), &personal),
        None,
        "the trail holds no personal data"
    );

    let (detail, object): (String, String) =
        sqlx::query_as("SELECT detail, object FROM audit_log WHERE action = 'purged_personal_data'")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!(detail, DEMO_CUSTOMERS.to_string());
    assert_eq!(object, format!("before:{}", tomorrow()));
}
