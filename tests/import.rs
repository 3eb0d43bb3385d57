//! Affected-customer import over real HTTP: upload, dry run, confirm, search, and the card-data guarantee.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use breachdesk::customer::demo_csv::{self, DemoCustomer};
use breachdesk::role::Role;
use breachdesk_tests::{TestApp, Visitor, captured_logs, encode, is_refused, spawn_app};
use reqwest::StatusCode;
use serde_json::Value;
use time::macros::date;

const SHIFT_JIS_FILE: &[u8] = include_bytes!("data/import/shift_jis_japanese_headers.csv");
const BAD_ROWS_FILE: &[u8] = include_bytes!("data/import/bad_rows.csv");
const DEMO_CUSTOMERS: i64 = 6_860;

/// Everything any test in this binary logs down to debug (the HTTP stack's own chatter left at
fn generated(count: usize, seed: u64) -> (Vec<DemoCustomer>, Vec<u8>) {
    // The generator numbers customers from 1 like the demo; a prefix keeps them apart from the demo's.
    let customers: Vec<DemoCustomer> = demo_csv::generate(count, seed, date!(2017 - 02 - 10)..=date!(2017 - 05 - 25))
        .map(|customer| DemoCustomer {
            customer_id: format!("T{seed}-{}", customer.customer_id),
            ..customer
        })
        .collect();
    let mut file = Vec::new();
    demo_csv::write_csv(&mut file, customers.clone()).expect("write to memory");
    (customers, file)
}

/// Uploads `file` for a dry run the way the Import page's form does; returns the redirect target.
async fn upload(visitor: &Visitor, file_name: &str, file: &[u8], encoding: &str) -> (StatusCode, String) {
    let response = visitor.upload_csv("/import/customers", file_name, file, encoding).await;
    let location = response
        .headers()
        .get("location")
        .map(|value| value.to_str().unwrap_or_default().to_owned());
    (response.status(), location.unwrap_or_default())
}

/// The dry-run token from an upload's redirect.
async fn dry_run(visitor: &Visitor, file_name: &str, file: &[u8]) -> String {
    let (status, location) = upload(visitor, file_name, file, "auto").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    location
        .strip_prefix("/import?preview=")
        .unwrap_or_else(|| panic!("a preview, got {location}"))
        .to_owned()
}

async fn preview(visitor: &Visitor, token: &str) -> Value {
    let response = visitor
        .post_form("/api/import/preview", &format!("token={token}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json")
}

async fn confirm(visitor: &Visitor, token: &str, allow_partial: bool) -> String {
    let body = if allow_partial {
        format!("token={token}&allow_partial=on")
    } else {
        format!("token={token}")
    };
    let response = visitor.post_form("/import/customers/confirm", &body).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    response.headers()["location"].to_str().expect("location").to_owned()
}

async fn search(visitor: &Visitor, q: &str) -> Value {
    let response = visitor
        .post_form(
            "/api/customers/search",
            &format!("query[q]={}&query[page]=1", encode(q)),
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    response.json().await.expect("json")
}

async fn customer_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM customers")
        .fetch_one(&app.pool)
        .await
        .expect("count")
}

fn counts(report: &Value) -> [u64; 4] {
    ["new", "updated", "unchanged", "rejected"].map(|kind| report["counts"][kind].as_u64().expect("a count"))
}

#[tokio::test]
async fn no_card_number_expiry_or_security_code_reaches_the_database_the_data_folder_or_the_logs() {
    let logs = captured_logs();
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let (customers, file) = generated(400, 99);

    let token = dry_run(&manager, "cards.csv", &file).await;
    assert_eq!(counts(&preview(&manager, &token).await), [400, 0, 0, 0]);
    assert!(confirm(&manager, &token, false).await.starts_with("/import?done="));
    let found = search(
        &manager,
        &customers[0].card_number[customers[0].card_number.len() - 4..],
    )
    .await;
    assert!(found["total"].as_u64().expect("total") >= 1);
    sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
        .execute(&app.pool)
        .await
        .expect("checkpoint");

    // Raw bytes: the database, its WAL, every file in the data folder, and the logs.
    let mut haystacks: Vec<(String, Vec<u8>)> = Vec::new();
    collect_files(&app.data_dir, &mut haystacks);
    assert!(haystacks.iter().any(|(name, _)| name.ends_with("breachdesk.db")));
    haystacks.push(("logs".into(), logs.lock().expect("logs").clone()));
    // Every stored text value, to compare short secrets (3–4 digit codes) as whole values:
    // as bare substrings they occur by chance inside phone numbers and postal codes.
    let stored_values = all_text_values(&app).await;

    let mut secrets = Vec::new();
    for customer in &customers {
        let digits: String = customer.card_number.chars().filter(char::is_ascii_digit).collect();
        let long_secrets = [
            customer.card_number.clone(),
            digits.clone(),
            // Any 12-digit run of the number, so a partly masked copy would be caught too.
            digits[..12].to_owned(),
            format!("{},{}", customer.expiry, customer.security_code),
        ];
        secrets.extend(long_secrets);
        for value in &stored_values {
            assert_ne!(value, &customer.security_code, "a security code is stored");
            assert_ne!(value, &customer.expiry, "an expiry date is stored");
            assert!(!value.contains(&digits), "a card number is stored");
        }
    }
    for (name, bytes) in &haystacks {
        let found = occurring(bytes, &secrets);
        assert!(found.is_empty(), "{found:?} found in {name}");
    }
    // The expiry dates are MM/YY; slashes appear nowhere else in the database, so none may at all.
    let database = &haystacks
        .iter()
        .find(|(name, _)| name.ends_with("breachdesk.db"))
        .expect("db")
        .1;
    for customer in &customers {
        assert!(
            !contains(database, customer.expiry.as_bytes()),
            "expiry {} in the database",
            customer.expiry
        );
    }
}

fn collect_files(dir: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    for entry in std::fs::read_dir(dir).expect("read the data folder").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_files(&path, out);
        } else if let Ok(bytes) = std::fs::read(&path) {
            out.push((path.display().to_string(), bytes));
        }
    }
}

async fn all_text_values(app: &TestApp) -> Vec<String> {
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
            .fetch_all(&app.pool)
            .await
            .expect("tables");
    let mut values = Vec::new();
    for table in tables {
        // Text columns only: integer ids and counts are not places a code could hide as text. The
        // last 4 digits are kept by design, and a 4-digit AMEX code equals some customer's by chance.
        let columns: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT name FROM pragma_table_info('{table}') WHERE type = 'TEXT' AND name != 'card_last4'"
        ))
        .fetch_all(&app.pool)
        .await
        .expect("columns");
        for column in columns {
            let cells: Vec<Option<Vec<u8>>> =
                sqlx::query_scalar(&format!("SELECT CAST(\"{column}\" AS BLOB) FROM \"{table}\""))
                    .fetch_all(&app.pool)
                    .await
                    .expect("cells");
            values.extend(
                cells
                    .into_iter()
                    .flatten()
                    .map(|cell| String::from_utf8_lossy(&cell).into_owned()),
            );
        }
    }
    values
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle)
}

/// The secrets that occur in `haystack`: one pass per distinct length instead of one per secret.
fn occurring<'a>(haystack: &[u8], secrets: &'a [String]) -> Vec<&'a str> {
    let mut by_length: HashMap<usize, HashSet<&[u8]>> = HashMap::new();
    for secret in secrets {
        by_length.entry(secret.len()).or_default().insert(secret.as_bytes());
    }
    let mut found = Vec::new();
    for (length, set) in by_length {
        for window in haystack.windows(length) {
            if set.contains(window) {
                found.extend(
                    secrets
                        .iter()
                        .filter(|secret| secret.as_bytes() == window)
                        .map(String::as_str),
                );
            }
        }
    }
    found
}

#[tokio::test]
async fn a_shift_jis_file_with_japanese_headers_and_multi_line_addresses_is_imported_and_found() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let token = dry_run(&manager, "対象者.csv", SHIFT_JIS_FILE).await;
    let report = preview(&manager, &token).await;
    assert_eq!(report["encoding"], "shift_jis");
    assert_eq!(counts(&report), [3, 0, 0, 0]);
    assert_eq!(customer_count(&app).await, DEMO_CUSTOMERS, "a dry run writes nothing");

    assert!(confirm(&manager, &token, false).await.starts_with("/import?done="));
    assert_eq!(customer_count(&app).await, DEMO_CUSTOMERS + 3);
    let found = search(&manager, "やまだ たろう").await;
    let yamada = found["customers"]
        .as_array()
        .expect("customers")
        .iter()
        .find(|customer| {
            customer["name"] == "山田 太郎" && customer["address"] == "福島県いわき市平字梅本21 ハイツ梅本 201"
        })
        .expect("山田 太郎 is found by his reading typed in hiragana, his address lines joined");
    assert_eq!(yamada["card"]["brand"], "visa");
    assert_eq!(yamada["card"]["last4"], "1111");
    let (who, file_name, encoding): (Option<i64>, String, String) =
        sqlx::query_as("SELECT staff_id, file_name, encoding FROM imports ORDER BY id DESC LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .expect("the import is recorded");
    assert!(who.is_some());
    assert_eq!((file_name.as_str(), encoding.as_str()), ("対象者.csv", "shift_jis"));
}

#[tokio::test]
async fn a_file_with_every_kind_of_bad_row_reports_each_problem_and_writes_nothing() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let token = dry_run(&manager, "bad.csv", BAD_ROWS_FILE).await;
    let report = preview(&manager, &token).await;
    assert_eq!(counts(&report), [2, 0, 0, 15]);
    let problems: Vec<(u64, String, String)> = report["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|problem| {
            (
                problem["row"].as_u64().expect("row"),
                problem["column"].as_str().expect("column").to_owned(),
                problem["reason"]["kind"].as_str().expect("reason").to_owned(),
            )
        })
        .collect();
    assert_eq!(problems.len(), 20);
    for expected in [
        (3, "氏名", "missing_name"),
        (4, "郵便番号", "postal_code_not_seven_digits"),
        (5, "カード番号", "card_number_luhn"),
        (6, "カード番号", "card_number_length"),
        (9, "メールアドレス", "email_malformed"),
        (10, "カード番号", "duplicate_row"),
    ] {
        assert!(
            problems.contains(&(expected.0, expected.1.to_owned(), expected.2.to_owned())),
            "{expected:?} in {problems:?}"
        );
    }

    assert_eq!(
        confirm(&manager, &token, false).await,
        format!("/import?preview={token}&error=rejected")
    );
    assert_eq!(
        customer_count(&app).await,
        DEMO_CUSTOMERS,
        "a rejected file writes nothing"
    );
    let imports: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM imports")
        .fetch_one(&app.pool)
        .await
        .expect("imports");
    assert_eq!(imports, 1, "only the demo import is recorded");

    assert!(confirm(&manager, &token, true).await.starts_with("/import?done="));
    assert_eq!(
        customer_count(&app).await,
        DEMO_CUSTOMERS + 2,
        "with the box ticked the good rows are imported"
    );
}

#[tokio::test]
async fn importing_the_same_file_again_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.signed_in(Role::Admin).await;
    let (_, file) = generated(250, 7);
    let first = dry_run(&admin, "list.csv", &file).await;
    confirm(&admin, &first, false).await;
    let before: Vec<(String, String)> = sqlx::query_as("SELECT reference_code, updated_at FROM customers ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();

    let again = dry_run(&admin, "list.csv", &file).await;
    assert_eq!(counts(&preview(&admin, &again).await), [0, 0, 250, 0]);
    confirm(&admin, &again, false).await;
    let after: Vec<(String, String)> = sqlx::query_as("SELECT reference_code, updated_at FROM customers ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .unwrap();
    assert_eq!(before, after);
    let unchanged: i64 = sqlx::query_scalar("SELECT unchanged_count FROM imports ORDER BY id DESC LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(unchanged, 250);
}

#[tokio::test]
async fn the_demo_incident_holds_6860_customers_each_with_its_own_reference_code() {
    let app = spawn_app().await;
    let (count, distinct): (i64, i64) =
        sqlx::query_as("SELECT COUNT(*), COUNT(DISTINCT reference_code) FROM customers")
            .fetch_one(&app.pool)
            .await
            .unwrap();
    assert_eq!((count, distinct), (DEMO_CUSTOMERS, DEMO_CUSTOMERS));
}

#[tokio::test]
async fn an_agent_finds_a_customer_by_reference_code_phone_postal_code_or_card_last_4() {
    let app = spawn_app().await;
    let agent = app.signed_in(Role::Agent).await;
    let (code, phone, postal_code, last4, name): (String, String, String, String, String) = sqlx::query_as(
        "SELECT reference_code, phone, postal_code, card_last4, name FROM customers WHERE phone IS NOT NULL LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .unwrap();
    let typed_code = format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]).to_lowercase();
    let typed_postal_code = format!("〒{}－{}", &postal_code[..3], &postal_code[3..]);
    for typed in [
        typed_code.as_str(),
        phone.as_str(),
        typed_postal_code.as_str(),
        last4.as_str(),
    ] {
        let found = search(&agent, typed).await;
        let names: Vec<&str> = found["customers"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|customer| customer["name"].as_str())
            .collect();
        assert!(names.contains(&name.as_str()), "{typed:?} finds {name}: {names:?}");
    }
    let by_code = search(&agent, &typed_code).await;
    assert_eq!(by_code["total"], 1);
    let page = agent.get("/customers?q=ZZZZ").await;
    assert_eq!(page.status(), StatusCode::OK);
}

#[tokio::test]
async fn only_managers_and_admins_may_upload_confirm_or_download_reports() {
    let app = spawn_app().await;
    let (_, file) = generated(5, 1);
    let anonymous = app.visitor();
    assert_eq!(
        upload(&anonymous, "x.csv", &file, "auto").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        anonymous
            .post_form("/import/customers/confirm", "token=x")
            .await
            .status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        anonymous.get("/import/reports/1").await.status(),
        StatusCode::UNAUTHORIZED
    );
    for role in Role::ALL {
        let visitor = app.signed_in(role).await;
        let uploaded = upload(&visitor, "x.csv", &file, "auto").await.0;
        let confirmed = visitor
            .post_form("/import/customers/confirm", "token=unknown")
            .await
            .status();
        let report = visitor.get("/import/reports/1").await.status();
        if role == Role::Agent {
            assert_eq!(
                [uploaded, confirmed, report],
                [StatusCode::FORBIDDEN; 3],
                "an agent cannot import"
            );
        } else {
            assert!(
                ![uploaded, confirmed, report].into_iter().any(is_refused),
                "{role} may import"
            );
            assert_eq!(report, StatusCode::OK);
        }
    }
}

#[tokio::test]
async fn a_dry_run_cannot_be_confirmed_by_another_manager() {
    let app = spawn_app().await;
    let first = app.signed_in(Role::Manager).await;
    let second = app.signed_in(Role::Manager).await;
    let (_, file) = generated(5, 2);
    let token = dry_run(&first, "x.csv", &file).await;
    assert_eq!(confirm(&second, &token, false).await, "/import?error=expired");
    assert_eq!(preview(&second, &token).await, Value::Null);
    assert!(confirm(&first, &token, false).await.starts_with("/import?done="));
}

#[tokio::test]
async fn a_file_without_the_required_columns_is_refused_with_their_names() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let (status, location) = upload(&manager, "x.csv", "氏名,住所\n山田 太郎,いわき市\n".as_bytes(), "auto").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        location,
        "/import?error=missing_columns&columns=card_number,postal_code"
    );
}
