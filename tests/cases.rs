//! Card reissue and refund tracking through the real server: status changes and refusals, bulk
//! files applied all or nothing, the dashboard against the database, the export and the report.

use breachdesk::role::Role;
use breachdesk_tests::{TestApp, Visitor, encode, spawn_app};
use reqwest::StatusCode;
use serde_json::Value;

/// Customers with no recorded change yet (未対応 / 申告待ち), lowest ids first.
async fn untouched_customers(app: &TestApp, count: i64) -> Vec<(i64, String)> {
    sqlx::query_as(
        "SELECT c.id, c.reference_code FROM customers c LEFT JOIN customer_cases cc ON cc.customer_id = c.id \
         WHERE cc.customer_id IS NULL ORDER BY c.id LIMIT ?",
    )
    .bind(count)
    .fetch_all(&app.pool)
    .await
    .expect("untouched customers")
}

async fn change(visitor: &Visitor, customer: i64, kind: &str, to: &str, extra: &str) -> StatusCode {
    let body = format!("change[customer_id]={customer}&change[kind]={kind}&change[to]={to}{extra}");
    visitor.post_form("/api/case/change", &body).await.status()
}

async fn states(app: &TestApp, customer: i64) -> (String, String, Option<i64>) {
    sqlx::query_as("SELECT reissue_state, refund_state, refund_amount_yen FROM customer_cases WHERE customer_id = ?")
        .bind(customer)
        .fetch_one(&app.pool)
        .await
        .expect("the customer's case row")
}

async fn event_count(app: &TestApp, customer: i64) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM case_events WHERE customer_id = ?")
        .bind(customer)
        .fetch_one(&app.pool)
        .await
        .expect("count events")
}

#[tokio::test]
async fn an_agent_records_a_reissue_request_but_only_a_manager_moves_it_on_or_corrects_it() {
    let app = spawn_app().await;
    let agent = app.signed_in(Role::Agent).await;
    let manager = app.signed_in(Role::Manager).await;
    let (customer, _) = untouched_customers(&app, 1).await.remove(0);

    assert_eq!(
        change(&agent, customer, "reissue", "requested", "").await,
        StatusCode::OK
    );
    assert_eq!(
        change(&agent, customer, "reissue", "processing", "").await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        change(&manager, customer, "reissue", "processing", "").await,
        StatusCode::OK
    );
    assert_eq!(
        change(
            &manager,
            customer,
            "reissue",
            "reissued",
            "&change[effective_on]=2017-09-01"
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(states(&app, customer).await.0, "reissued");

    // A reissued card does not go back to not started, except by a correction with a reason.
    assert_eq!(
        change(&manager, customer, "reissue", "not_started", "").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        change(&manager, customer, "reissue", "not_started", "&change[correction]=on").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        change(
            &agent,
            customer,
            "reissue",
            "not_started",
            "&change[correction]=on&change[note]=mistake"
        )
        .await,
        StatusCode::FORBIDDEN
    );
    let reason = encode("別のお客様と取り違えたため");
    assert_eq!(
        change(
            &manager,
            customer,
            "reissue",
            "not_started",
            &format!("&change[correction]=on&change[note]={reason}")
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(states(&app, customer).await.0, "not_started");
    assert_eq!(event_count(&app, customer).await, 4, "refused changes leave no event");
}

#[tokio::test]
async fn a_refund_in_progress_needs_an_amount_in_yen_which_the_refund_paid_keeps() {
    let app = spawn_app().await;
    let agent = app.signed_in(Role::Agent).await;
    let manager = app.signed_in(Role::Manager).await;
    let (customer, _) = untouched_customers(&app, 1).await.remove(0);

    assert_eq!(
        change(&agent, customer, "refund", "investigating", "").await,
        StatusCode::OK
    );
    assert_eq!(
        change(&manager, customer, "refund", "refund_in_progress", "").await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        change(
            &manager,
            customer,
            "refund",
            "refund_in_progress",
            "&change[amount]=12.5"
        )
        .await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let amount = encode("１２，０００円");
    assert_eq!(
        change(
            &manager,
            customer,
            "refund",
            "refund_in_progress",
            &format!("&change[amount]={amount}")
        )
        .await,
        StatusCode::OK
    );
    assert_eq!(
        change(&manager, customer, "refund", "refunded", "").await,
        StatusCode::OK
    );
    assert_eq!(
        states(&app, customer).await,
        ("not_started".to_owned(), "refunded".to_owned(), Some(12_000))
    );
    assert_eq!(
        change(&manager, 999_999_999, "refund", "investigating", "").await,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn case_events_are_never_changed_or_deleted() {
    let app = spawn_app().await;
    let update = sqlx::query("UPDATE case_events SET note = 'x'")
        .execute(&app.pool)
        .await;
    let delete = sqlx::query("DELETE FROM case_events").execute(&app.pool).await;
    assert!(update.is_err() && delete.is_err());
}

/// Uploads a bulk file the way the page's form does; returns the redirect target.
async fn upload(visitor: &Visitor, file: &[u8]) -> String {
    let response = visitor
        .upload_csv("/case-updates/upload", "card-company.csv", file, "auto")
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"].to_str().expect("location").to_owned()
}

async fn confirm(visitor: &Visitor, token: &str) -> String {
    let response = visitor
        .post_form("/case-updates/confirm", &format!("token={token}"))
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"].to_str().expect("location").to_owned()
}

#[tokio::test]
async fn a_bulk_file_with_one_bad_row_applies_nothing_and_the_corrected_file_applies_every_row() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let customers = untouched_customers(&app, 2).await;
    let unknown = breachdesk::customer::ReferenceCode::from_random([3; 16]);
    let good = format!(
        "受付番号,状況,日付,金額,備考\n{},再発行済,2017/09/01,,\n{},refund_in_progress,2017-09-02,\"8,640\",\n",
        customers[0].1, customers[1].1
    );
    let bad = format!("{good}{unknown},再発行済,,,\n{},返金済み,,,\n", customers[0].1);

    let location = upload(&manager, bad.as_bytes()).await;
    let token = location
        .strip_prefix("/case-updates?preview=")
        .expect("a dry-run token")
        .to_owned();
    let preview: Value = manager
        .post_form("/api/case/bulk/preview", &format!("token={token}"))
        .await
        .json()
        .await
        .expect("the dry run");
    assert_eq!(preview["counts"]["matched"], 2);
    assert_eq!(preview["counts"]["unmatched"], 1);
    assert_eq!(preview["counts"]["invalid_value"], 1);
    assert_eq!(
        preview["rows"][2]["line"], 4,
        "rows are reported with their line in the file"
    );
    assert_eq!(
        confirm(&manager, &token).await,
        format!("/case-updates?preview={token}&error=refused")
    );
    assert_eq!(event_count(&app, customers[0].0).await, 0, "nothing applied");
    assert_eq!(event_count(&app, customers[1].0).await, 0, "nothing applied");

    let location = upload(&manager, good.as_bytes()).await;
    let token = location
        .strip_prefix("/case-updates?preview=")
        .expect("a dry-run token")
        .to_owned();
    let done = confirm(&manager, &token).await;
    assert!(done.starts_with("/case-updates?done="), "{done}");
    assert_eq!(states(&app, customers[0].0).await.0, "reissued");
    assert_eq!(states(&app, customers[1].0).await.2, Some(8_640));
    let bulk_events: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM case_events WHERE bulk_update_id IS NOT NULL")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(bulk_events, 2);
    assert_eq!(
        confirm(&manager, &token).await,
        "/case-updates?error=expired",
        "a file applies once"
    );

    let agent = app.signed_in(Role::Agent).await;
    let refused = agent
        .post_form("/case-updates/confirm", &format!("token={token}"))
        .await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
}

fn count_of(list: &Value, state: &str) -> i64 {
    list.as_array()
        .expect("a list of [state, count]")
        .iter()
        .find(|pair| pair[0] == state)
        .and_then(|pair| pair[1].as_i64())
        .expect("the state is listed")
}

#[tokio::test]
async fn the_dashboard_numbers_equal_a_direct_count_from_the_database() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let response = manager.post_form("/api/programme/dashboard", "").await;
    assert_eq!(response.status(), StatusCode::OK);
    let dashboard: Value = response.json().await.expect("the dashboard");
    let figures = &dashboard["figures"];

    let scalar = |sql: &'static str| {
        let pool = app.pool.clone();
        async move { sqlx::query_scalar::<_, i64>(sql).fetch_one(&pool).await.expect(sql) }
    };
    assert_eq!(figures["affected"], scalar("SELECT COUNT(*) FROM customers").await);
    assert_eq!(
        figures["notified_by_email"],
        scalar("SELECT COUNT(DISTINCT customer_id) FROM deliveries WHERE channel = 'email' AND state = 'sent'").await
    );
    assert_eq!(
        figures["notified_by_letter"],
        scalar("SELECT COUNT(DISTINCT customer_id) FROM deliveries WHERE channel = 'letter' AND state = 'sent'").await
    );
    assert_eq!(
        figures["not_reached"],
        scalar(
            "SELECT COUNT(*) FROM customers WHERE id NOT IN (SELECT customer_id FROM deliveries WHERE state = 'sent')"
        )
        .await
    );
    for state in ["requested", "processing", "reissued", "not_needed", "unknown"] {
        let direct: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customer_cases WHERE reissue_state = ?")
            .bind(state)
            .fetch_one(&app.pool)
            .await
            .expect("count");
        assert_eq!(count_of(&figures["reissue"], state), direct, "reissue {state}");
    }
    assert_eq!(
        count_of(&figures["reissue"], "not_started"),
        scalar(
            "SELECT COUNT(*) FROM customers c WHERE NOT EXISTS (SELECT 1 FROM customer_cases cc \
                WHERE cc.customer_id = c.id AND cc.reissue_state <> 'not_started')"
        )
        .await
    );
    for state in [
        "not_applicable",
        "investigating",
        "refund_in_progress",
        "refunded",
        "rejected",
    ] {
        let direct: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customer_cases WHERE refund_state = ?")
            .bind(state)
            .fetch_one(&app.pool)
            .await
            .expect("count");
        assert_eq!(count_of(&figures["refund"], state), direct, "refund {state}");
    }
    assert_eq!(
        figures["refunded_total"],
        scalar("SELECT COALESCE(SUM(refund_amount_yen), 0) FROM customer_cases WHERE refund_state = 'refunded'").await
    );
    assert!(
        count_of(&figures["reissue"], "reissued") > 0,
        "the demo shows a programme under way"
    );
    assert!(
        dashboard["reissue_chart"]
            .as_str()
            .expect("svg")
            .contains("role=\"img\"")
    );

    let agent = app.signed_in(Role::Agent).await;
    assert_eq!(
        agent.post_form("/api/programme/dashboard", "").await.status(),
        StatusCode::FORBIDDEN
    );
}

/// Whether the bytes hold a run of 12 or more digits: anything like a card number.
fn has_long_digit_run(bytes: &[u8]) -> bool {
    bytes.split(|byte| !byte.is_ascii_digit()).any(|run| run.len() >= 12)
}

#[tokio::test]
async fn the_customer_export_has_every_customer_and_no_card_number_in_either_encoding() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
        .fetch_one(&app.pool)
        .await
        .expect("count");

    let response = manager.get("/exports/customers.csv?encoding=utf-8").await;
    assert_eq!(response.status(), StatusCode::OK);
    let disposition = response.headers()["content-disposition"]
        .to_str()
        .expect("header")
        .to_owned();
    assert!(
        disposition.contains("customers-") && disposition.ends_with("-utf-8.csv\""),
        "{disposition}"
    );
    let body = response.bytes().await.expect("body");
    assert!(
        body.starts_with(b"\xEF\xBB\xBF"),
        "a BOM so spreadsheet programs read UTF-8"
    );
    let text = std::str::from_utf8(&body[3..]).expect("UTF-8");
    assert!(text.starts_with("受付番号,"));
    assert_eq!(i64::try_from(text.lines().count()).expect("lines"), customers + 1);
    assert!(!has_long_digit_run(&body));

    let response = manager.get("/exports/customers.csv?encoding=shift_jis").await;
    assert_eq!(response.headers()["content-type"], "text/csv; charset=shift_jis");
    let body = response.bytes().await.expect("body");
    assert!(!body.starts_with(b"\xEF\xBB\xBF"));
    assert!(std::str::from_utf8(&body).is_err(), "Shift_JIS, not UTF-8");
    assert!(!has_long_digit_run(&body));

    let agent = app.signed_in(Role::Agent).await;
    assert_eq!(
        agent.get("/exports/customers.csv").await.status(),
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_regulator_report_is_drafted_from_the_demo_incident_with_its_deadlines_and_keeps_edits() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let report: Value = manager
        .post_form("/api/programme/report", "")
        .await
        .json()
        .await
        .expect("report");
    let day = |value: &Value| serde_json::from_value::<time::Date>(value.clone()).expect("a date");
    assert_eq!(
        day(&report["deadlines"]["known_on"]),
        time::macros::date!(2017 - 05 - 25)
    );
    assert_eq!(
        day(&report["deadlines"]["final_by"]),
        time::macros::date!(2017 - 07 - 24),
        "60 days for unauthorised access"
    );
    assert_eq!(report["items"].as_array().expect("items").len(), 9);
    let count = report["items"][2]["body"].as_str().expect("the person count");
    assert!(count.starts_with("6860名"), "{count}");

    let body = format!("form[item]=other&form[body]={}", encode("警察に相談済み"));
    assert_eq!(
        manager.post_form("/api/programme/report/item", &body).await.status(),
        StatusCode::OK
    );
    let report: Value = manager
        .post_form("/api/programme/report", "")
        .await
        .json()
        .await
        .expect("report");
    assert_eq!(report["items"][8]["body"], "警察に相談済み");
    assert_eq!(report["items"][8]["edited"], true);

    let text = manager.get("/reports/appi.txt").await.text().await.expect("text");
    assert!(text.contains("1. 概要") && text.contains("9. その他参考となる事項\n警察に相談済み"));
    let pdf = manager.get("/reports/appi.pdf").await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert!(pdf.bytes().await.expect("pdf").starts_with(b"%PDF"));
}

#[tokio::test]
async fn a_row_finds_its_customer_by_external_id_or_by_card_last_4_with_postal_code_unless_two_share_them() {
    use breachdesk::case::bulk::RowOutcome;
    use breachdesk::cases::Actor;
    use breachdesk::cases::bulk::{BulkFile, dry_run};
    use breachdesk::customer::CsvEncoding;

    let app = spawn_app().await;
    let untouched: Vec<(i64, String, String, String)> = sqlx::query_as(
        "SELECT c.id, c.external_id, c.card_last4, c.postal_code FROM customers c \
         LEFT JOIN customer_cases cc ON cc.customer_id = c.id WHERE cc.customer_id IS NULL ORDER BY c.id LIMIT 2",
    )
    .fetch_all(&app.pool)
    .await
    .expect("two untouched customers");
    let (first, second) = (&untouched[0], &untouched[1]);
    // A second customer with the first one's card last 4 and postal code, as happens in a family.
    sqlx::query(
        "INSERT INTO customers (reference_code, name, card_brand, card_last4, card_fingerprint, postal_code, address, \
         created_at, updated_at, import_id) SELECT 'ZZZZZZZZZZ', name, card_brand, card_last4, printf('%064d', 7), \
         postal_code, address, created_at, updated_at, import_id FROM customers WHERE id = ?",
    )
    .bind(first.0)
    .execute(&app.pool)
    .await
    .expect("a look-alike customer");
    let file = format!(
        "customer number,card last 4,postal code,new status\n{},,,requested\n,{},{},requested\n,{},{},requested\n",
        first.1, second.2, second.3, first.2, first.3
    );
    let file = BulkFile::read("keys.csv", file.as_bytes(), CsvEncoding::Auto).expect("a readable file");
    let report = dry_run(&app.pool, &file, Actor::System).await.expect("a dry run");
    let outcomes: Vec<RowOutcome> = report.rows.iter().map(|row| row.outcome).collect();
    assert_eq!(outcomes[0], RowOutcome::Matched, "by external id");
    assert_eq!(outcomes[1], RowOutcome::Matched, "by card last 4 and postal code");
    assert_eq!(outcomes[2], RowOutcome::Ambiguous, "two customers share them");
}
