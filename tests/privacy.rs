//! The whole demo flow with debug logging, then two scans: the logs hold none of the demo
//! customers' personal data, and no file under the data folder holds a card number or an
//! expiry + security code pair (the database, its write-ahead log, the outbox, everything).

use breachdesk::role::Role;
use breachdesk_tests::scan::{card_values, demo_customers, files_under, find_any, personal_values};
use breachdesk_tests::{TestApp, Visitor, captured_logs, encode, spawn_app};
use reqwest::StatusCode;

/// The customers whose values the log scan looks for: enough to cover every page and export of the flow.
const SCANNED: usize = 500;

/// A step of the flow that must not fail: its status, checked, and its body read to the end.
async fn expect_ok(response: reqwest::Response, step: &str) -> Vec<u8> {
    let status = response.status();
    let body = response.bytes().await.expect("a body").to_vec();
    assert!(
        status.is_success() || status == StatusCode::SEE_OTHER,
        "{step}: {status} {}",
        String::from_utf8_lossy(&body[..body.len().min(300)])
    );
    body
}

async fn search(admin: &Visitor, term: &str) {
    let body = format!("query[q]={}&query[page]=1", encode(term));
    expect_ok(admin.post_form("/api/customers/search", &body).await, "search").await;
}

/// Uploads a card company's return list for a dry run, as the bulk update page does.
async fn bulk_dry_run(admin: &Visitor, codes: &[String]) {
    let boundary = "breachdesk-privacy-boundary";
    let mut file = String::from("受付番号,状況,日付,金額,備考\n");
    for code in codes {
        file.push_str(&format!("{code},再発行済,2017/09/01,,\n"));
    }
    let body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"encoding\"\r\n\r\nauto\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"returns.csv\"\r\n\
         Content-Type: text/csv\r\n\r\n{file}\r\n--{boundary}--\r\n"
    );
    let response = admin
        .client
        .post(admin.url("/case-updates/upload"))
        .header("origin", admin.url(""))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .expect("upload");
    let location = response.headers()["location"].to_str().expect("location").to_owned();
    let token = location
        .strip_prefix("/case-updates?preview=")
        .unwrap_or_else(|| panic!("a dry run, got {location}"));
    expect_ok(
        admin
            .post_form("/api/case/bulk/preview", &format!("token={token}"))
            .await,
        "bulk preview",
    )
    .await;
}

/// A test email of the demo apology email, rendered for one customer.
async fn test_send(app: &TestApp, admin: &Visitor, reference_code: &str) {
    let email = breachdesk::templates::latest_by_name(&app.pool, "apology-email")
        .await
        .expect("database")
        .expect("the demo email template");
    let mut fields = vec![
        ("edit[name]", email.template_name.clone()),
        ("edit[date_style]", email.date_style.code().to_owned()),
        ("edit[text][subject]", email.subject.clone()),
        ("edit[text][body]", email.body.clone()),
        ("edit[reference_code]", reference_code.to_owned()),
        ("edit[date]", "2017-12-22".to_owned()),
    ];
    if let Some(html) = &email.html_body {
        fields.push(("edit[text][html_body]", html.clone()));
    }
    let body = fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&");
    expect_ok(admin.post_form("/api/templates/test-send", &body).await, "test send").await;
}

#[tokio::test]
async fn the_demo_flow_logs_no_personal_data_and_stores_no_card_data() {
    let logs = captured_logs();
    let app = spawn_app().await;
    let admin = app.signed_in(Role::Admin).await;
    let customers = demo_customers();
    // Customers without a case yet, so the status change below is a real one.
    let first: Vec<(i64, String)> = sqlx::query_as(
        "SELECT id, reference_code FROM customers \
         WHERE id NOT IN (SELECT customer_id FROM customer_cases) ORDER BY id LIMIT 3",
    )
    .fetch_all(&app.pool)
    .await
    .expect("demo customers");
    let codes: Vec<String> = first.iter().map(|(_, code)| code.clone()).collect();

    search(&admin, &customers[0].name).await;
    search(&admin, &customers[1].phone).await;
    search(&admin, &customers[2].email.clone().unwrap_or_default()).await;
    search(&admin, &codes[0]).await;
    for (id, _) in &first {
        expect_ok(
            admin.post_form("/api/case/customer", &format!("id={id}")).await,
            "customer",
        )
        .await;
        expect_ok(admin.get(&format!("/customers/{id}")).await, "customer page").await;
        expect_ok(admin.get(&format!("/letters/customer/{id}")).await, "letter").await;
    }
    let note = format!("{} {} から電話", customers[0].name, customers[0].phone);
    let change = format!(
        "change[customer_id]={}&change[kind]=reissue&change[to]=requested&change[note]={}",
        first[0].0,
        encode(&note)
    );
    expect_ok(admin.post_form("/api/case/change", &change).await, "case change").await;
    let export = expect_ok(admin.get("/exports/customers.csv").await, "customer export").await;
    expect_ok(admin.get("/letters/batch.pdf?audience=all").await, "batch PDF").await;
    expect_ok(
        admin.get("/letters/mailing-list.csv?audience=all").await,
        "mailing list",
    )
    .await;
    test_send(&app, &admin, &codes[1]).await;
    bulk_dry_run(&admin, &codes).await;
    sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
        .execute(&app.pool)
        .await
        .expect("checkpoint");

    let logged = logs.lock().expect("log buffer").clone();
    assert!(!logged.is_empty(), "debug logging was captured");
    let personal = personal_values(&customers[..SCANNED]);
    assert!(
        find_any(&export, &personal).is_some(),
        "the scan finds what the export holds"
    );
    assert_eq!(find_any(&logged, &personal), None, "personal data in the logs");

    let cards = card_values(&customers);
    let mut demo_file = Vec::new();
    breachdesk::customer::demo_csv::write_csv(&mut demo_file, customers.clone()).expect("to memory");
    assert!(
        find_any(&demo_file, &cards).is_some(),
        "the scan finds the cards of the demo file"
    );
    let files = files_under(&app.data_dir);
    assert!(files.iter().any(|(path, _)| path.ends_with("breachdesk.db")));
    for (path, bytes) in &files {
        assert_eq!(find_any(bytes, &cards), None, "card data in {}", path.display());
    }
}
