//! The public status page and its JSON API against the real server with the demo incident.

use std::time::Instant;

use breachdesk::case::{RefundState, ReissueState};
use breachdesk::customer::ReferenceCode;
use breachdesk::role::Role;
use breachdesk::status_page::MISMATCH_ANSWER_TIME;
use breachdesk_tests::{TestApp, Visitor, encode, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// actor, address, customer_id, object, outcome
type AuditRow = (String, Option<String>, Option<i64>, Option<String>, String);
/// customer_id, source, phone, preferred_time, state, due_at
type CallbackRow = (Option<i64>, String, String, Option<String>, String, String);

/// A demo customer's id, code and last 4.
async fn customer(app: &TestApp, offset: i64) -> (i64, String, String) {
    sqlx::query_as("SELECT id, reference_code, card_last4 FROM customers ORDER BY id LIMIT 1 OFFSET ?")
        .bind(offset)
        .fetch_one(&app.pool)
        .await
        .expect("a demo customer")
}

/// A customer's two states as stored (a customer without a row has had no change yet).
async fn states(app: &TestApp, id: i64) -> (ReissueState, RefundState) {
    let stored: Option<(String, String)> =
        sqlx::query_as("SELECT reissue_state, refund_state FROM customer_cases WHERE customer_id = ?")
            .bind(id)
            .fetch_optional(&app.pool)
            .await
            .expect("states");
    stored.map_or(
        (ReissueState::NotStarted, RefundState::AwaitingClaim),
        |(reissue, refund)| {
            (
                ReissueState::from_code(&reissue).expect("a reissue state"),
                RefundState::from_code(&refund).expect("a refund state"),
            )
        },
    )
}

/// Two demo customers whose cards end differently, so one's code with the other's digits is a mismatch.
async fn two_customers(app: &TestApp) -> ((i64, String, String), (i64, String, String)) {
    let first = customer(app, 0).await;
    for offset in 1..50 {
        let other = customer(app, offset).await;
        if other.2 != first.2 {
            return (first, other);
        }
    }
    panic!("fifty demo customers share their last 4")
}

fn unknown_code() -> String {
    ReferenceCode::from_random([0x5A; 16]).to_string()
}

/// The lookup form as a browser without JavaScript posts it.
async fn post_lookup(visitor: &Visitor, reference: &str, last4: &str) -> reqwest::Response {
    visitor
        .client
        .post(visitor.url("/status"))
        .header("origin", visitor.url(""))
        .header("content-type", "application/x-www-form-urlencoded")
        .header("accept", "text/html")
        .body(format!("reference={}&card_last4={}", encode(reference), encode(last4)))
        .send()
        .await
        .expect("POST /status")
}

/// The JSON API as a program calls it: no Origin, no cookie.
async fn api_lookup(app: &TestApp, reference: &str, last4: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(format!("{}/api/status/lookup", app.base_url))
        .json(&json!({"reference": reference, "card_last4": last4}))
        .send()
        .await
        .expect("POST /api/status/lookup")
}

/// The text of the page's message, without the markup around it.
fn message(html: &str) -> String {
    let start = html
        .find("data-testid=\"status-message\"")
        .expect("a message on the page");
    let text = &html[start..];
    let open = text.find('>').expect("tag end") + 1;
    let close = text.find("</p>").expect("paragraph end");
    text[open..close].to_owned()
}

async fn failure_rows(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT COUNT(*) FROM status_lookup_failures")
        .fetch_one(&app.pool)
        .await
        .expect("count failures")
}

#[tokio::test]
async fn the_public_page_shows_the_notice_hotline_and_faq_without_staff_navigation_or_caching() {
    let app = spawn_app().await;
    let response = app.visitor().get("/status").await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(headers["x-content-type-options"], "nosniff");
    assert_eq!(headers["referrer-policy"], "same-origin");
    let csp = headers["content-security-policy"].to_str().expect("ascii");
    assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
    assert!(csp.contains("script-src 'self' 'nonce-"), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let html = response.text().await.expect("body");
    assert!(html.contains("不正アクセスによる個人情報流出に関するお詫びとお知らせ"));
    assert!(html.contains("href=\"tel:"), "the hotline number is a tel: link");
    assert!(html.contains("data-testid=\"status-hotline-state\""));
    assert!(html.contains("カードの再発行に費用はかかりますか？"), "the FAQ");
    assert!(html.contains("action=\"/status\""), "a plain form post");
    assert!(!html.contains("data-testid=\"main-nav\""), "no staff navigation");
}

#[tokio::test]
async fn a_customer_sees_their_own_status_on_the_answer_to_the_post_and_for_fifteen_minutes() {
    let app = spawn_app().await;
    let (id, code, last4) = customer(&app, 0).await;
    let (name, address): (String, String) = sqlx::query_as("SELECT name, address FROM customers WHERE id = ?")
        .bind(id)
        .fetch_one(&app.pool)
        .await
        .expect("name");
    sqlx::query(
        "INSERT INTO deliveries (customer_id, channel, template_version_id, state, created_at, updated_at, sent_at) \
         SELECT ?, 'letter', id, 'sent', '2017-07-12T01:00:00Z', '2017-07-12T01:00:00Z', '2017-07-12T01:00:00Z' \
         FROM template_versions LIMIT 1",
    )
    .bind(id)
    .execute(&app.pool)
    .await
    .expect("a sent letter");
    let visitor = app.visitor();

    let typed = code.to_ascii_lowercase();
    let response = post_lookup(&visitor, &typed, &last4).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let cookie = response.headers()["set-cookie"].to_str().expect("ascii").to_owned();
    assert!(cookie.starts_with("bd_status="), "{cookie}");
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Max-Age=900"));
    let html = response.text().await.expect("body");
    let family = name.split(' ').next().expect("a family name");
    assert!(html.contains(&format!("{family} 様")), "the family name with 様");
    if name.contains(' ') {
        assert!(!html.contains(&name), "never the full name");
    }
    assert!(!html.contains(&address), "never the address");
    assert!(!html.contains(&code), "the code is not echoed");
    let (reissue, refund) = states(&app, id).await;
    assert!(html.contains(reissue.label_ja()), "the reissue state in plain words");
    assert!(html.contains(reissue.explanation_ja()), "what happens next");
    assert!(html.contains(refund.label_ja()), "the refund state");
    assert!(html.contains("2017年7月12日"), "when the letter was posted");
    assert!(html.contains("action=\"/status/callback\""));

    // The same session shows it again, e.g. after the language switch.
    let again = visitor.get("/status").await.text().await.expect("body");
    assert!(again.contains(&format!("{family} 様")));

    // After fifteen minutes it is gone.
    sqlx::query("UPDATE status_sessions SET expires_at = '2000-01-01T00:00:00Z'")
        .execute(&app.pool)
        .await
        .expect("expire");
    let expired = visitor.get("/status").await.text().await.expect("body");
    assert!(!expired.contains(&format!("{family} 様")));
    assert!(message(&expired).contains("15分"));
}

#[tokio::test]
async fn a_wrong_code_wrong_digits_and_an_unknown_code_get_the_same_page_answer_in_the_same_time() {
    let app = spawn_app().await;
    let ((_, code, last4), (_, other_code, _)) = two_customers(&app).await;
    let wrong_digits = if last4 == "0000" { "1111" } else { "0000" };
    let visitor = app.visitor();
    let mut answers = Vec::new();
    for (reference, digits) in [
        (code.as_str(), wrong_digits),
        (other_code.as_str(), last4.as_str()),
        (unknown_code().as_str(), last4.as_str()),
    ] {
        let started = Instant::now();
        let response = post_lookup(&visitor, reference, digits).await;
        let elapsed = started.elapsed();
        assert!(elapsed >= MISMATCH_ANSWER_TIME, "answered in {elapsed:?}");
        let status = response.status();
        let cookie = response.headers()["set-cookie"].to_str().expect("ascii").to_owned();
        let html = response.text().await.expect("body");
        answers.push((status, cookie, message(&html)));
    }
    assert_eq!(answers[0], answers[1]);
    assert_eq!(answers[1], answers[2]);
    assert_eq!(answers[0].0, StatusCode::OK);
    assert!(answers[0].2.contains("一致しません"), "{}", answers[0].2);
    // Each counted the same: one row for the address and one for the code.
    assert_eq!(failure_rows(&app).await, 6);
}

#[tokio::test]
async fn the_api_answers_every_mismatch_with_the_same_404() {
    let app = spawn_app().await;
    let ((_, code, last4), (_, other_code, _)) = two_customers(&app).await;
    let wrong_digits = if last4 == "0000" { "1111" } else { "0000" };
    let mut answers = Vec::new();
    for (reference, digits) in [
        (code.as_str(), wrong_digits),
        (other_code.as_str(), last4.as_str()),
        (unknown_code().as_str(), last4.as_str()),
    ] {
        let response = api_lookup(&app, reference, digits).await;
        assert_eq!(response.headers()["cache-control"], "no-store");
        answers.push((response.status(), response.text().await.expect("body")));
    }
    assert_eq!(
        answers[0],
        (StatusCode::NOT_FOUND, r#"{"error":"not_found"}"#.to_owned())
    );
    assert_eq!(answers[1], answers[0]);
    assert_eq!(answers[2], answers[0]);
}

#[tokio::test]
async fn the_api_answers_both_states_with_labels_and_the_sending_dates() {
    let app = spawn_app().await;
    let (id, code, last4) = customer(&app, 3).await;
    let (reissue, refund) = states(&app, id).await;
    let grouped = format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]);
    let response = api_lookup(&app, &grouped, &last4).await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.expect("json");
    assert_eq!(
        body,
        json!({
            "reissue": {"state": reissue.code(), "label_ja": reissue.label_ja(), "label_en": reissue.label_en()},
            "refund": {"state": refund.code(), "label_ja": refund.label_ja(), "label_en": refund.label_en()},
            "letter_sent_at": null,
            "email_sent_at": null,
        })
    );
    let malformed = api_lookup(&app, "K7QX", &last4).await;
    assert_eq!(malformed.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_sixth_failure_is_refused_with_429_and_retry_after_even_by_a_restarted_server() {
    let app = spawn_app().await;
    let (_, code, last4) = customer(&app, 0).await;
    let wrong_digits = if last4 == "0000" { "1111" } else { "0000" };
    for attempt in 1..=5 {
        let response = api_lookup(&app, &unknown_code(), wrong_digits).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "attempt {attempt}");
    }
    let sixth = api_lookup(&app, &code, &last4).await;
    assert_eq!(
        sixth.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "even the right pair is refused"
    );
    let retry: u64 = sixth.headers()["retry-after"]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!((1..=900).contains(&retry), "{retry}");

    let page = post_lookup(&app.visitor(), &code, &last4).await;
    assert_eq!(page.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(page.headers().contains_key("retry-after"));
    assert!(message(&page.text().await.expect("body")).contains("以降にもう一度"));

    // A second server process on the same database and key, as after a restart, remembers.
    let settings = breachdesk_server::Settings::from_lookup(|name| match name {
        "DATABASE_URL" => Some(format!("sqlite://{}", app.data_dir.join("breachdesk.db").display())),
        "BREACHDESK_DATA_DIR" => Some(app.data_dir.display().to_string()),
        "LEPTOS_SITE_ADDR" => Some("127.0.0.1:0".into()),
        _ => None,
    })
    .expect("settings");
    let restarted = breachdesk_server::start(&settings, false).await.expect("start again");
    let response = reqwest::Client::new()
        .post(format!("http://{}/api/status/lookup", restarted.address))
        .json(&json!({"reference": code, "card_last4": last4}))
        .send()
        .await
        .expect("POST");
    restarted.task.abort();
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn five_failures_for_one_code_refuse_that_code_from_any_address_but_not_others() {
    let app = spawn_app().await;
    let ((_, code, last4), (_, other_code, other_last4)) = two_customers(&app).await;
    let wrong_digits = if last4 == "0000" { "1111" } else { "0000" };
    for _ in 0..5 {
        sqlx::query("INSERT INTO status_lookup_failures (key, failed_at) VALUES (?, ?)")
            .bind(format!(
                "code:{}",
                breachdesk::status_lookup::reference_hash(
                    &breachdesk::secret::SecretKey::load_or_create(&app.data_dir.join("secret.key")).expect("key"),
                    &ReferenceCode::parse(&code).expect("code"),
                )
            ))
            .bind(
                time::OffsetDateTime::now_utc()
                    .format(&time::format_description::well_known::Rfc3339)
                    .expect("time"),
            )
            .execute(&app.pool)
            .await
            .expect("a failure from elsewhere");
    }
    assert_eq!(
        api_lookup(&app, &code, &last4).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        api_lookup(&app, &code, wrong_digits).await.status(),
        StatusCode::TOO_MANY_REQUESTS
    );
    assert_eq!(
        api_lookup(&app, &other_code, &other_last4).await.status(),
        StatusCode::OK
    );
}

#[tokio::test]
async fn every_lookup_is_in_the_audit_trail_with_the_code_hashed() {
    let app = spawn_app().await;
    let (id, code, last4) = customer(&app, 0).await;
    let wrong_digits = if last4 == "0000" { "1111" } else { "0000" };
    api_lookup(&app, &code, &last4).await;
    api_lookup(&app, &code, wrong_digits).await;
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT actor, address, customer_id, object, outcome FROM audit_log \
         WHERE action = 'looked_up_status' ORDER BY id",
    )
    .fetch_all(&app.pool)
    .await
    .expect("audit rows");
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0].0, "public");
    assert_eq!(rows[0].1.as_deref(), Some("127.0.0.1"));
    assert_eq!(rows[0].2, Some(id));
    assert_eq!(rows[0].4, "ok");
    assert_eq!(rows[1].2, None, "a failure names no customer");
    assert_eq!(rows[1].4, "failed");
    assert_eq!(rows[0].3, rows[1].3, "the same code, hashed the same");
    let object = rows[0].3.clone().expect("the hashed code");
    assert!(object.starts_with("reference:") && object.len() == "reference:".len() + 64);
    assert!(!object.contains(&code));
}

#[tokio::test]
async fn a_callback_request_creates_one_open_task_and_a_second_is_refused_politely() {
    let app = spawn_app().await;
    let (id, code, last4) = customer(&app, 0).await;
    let visitor = app.visitor();
    assert_eq!(post_lookup(&visitor, &code, &last4).await.status(), StatusCode::OK);
    let post_callback = |body: &'static str| {
        visitor
            .client
            .post(visitor.url("/status/callback"))
            .header("origin", visitor.url(""))
            .header("content-type", "application/x-www-form-urlencoded")
            .header("accept", "text/html")
            .body(body)
            .send()
    };
    let refused = post_callback("phone=12&preferred_time=evening").await.expect("POST");
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let created = post_callback("phone=090-1234-5678&preferred_time=evening")
        .await
        .expect("POST");
    assert_eq!(created.status(), StatusCode::OK);
    assert!(message(&created.text().await.expect("body")).contains("お電話いたします"));
    let again = post_callback("phone=09012345678&preferred_time=any")
        .await
        .expect("POST");
    assert_eq!(again.status(), StatusCode::CONFLICT);
    assert!(message(&again.text().await.expect("body")).contains("すでに承って"));

    let rows: Vec<CallbackRow> =
        sqlx::query_as("SELECT customer_id, source, phone, preferred_time, state, due_at FROM callbacks ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .expect("callbacks");
    assert_eq!(rows.len(), 1);
    let (customer_id, source, phone, preferred_time, state, due_at) = &rows[0];
    assert_eq!(*customer_id, Some(id));
    assert_eq!(source, "status_page");
    assert_eq!(phone, "09012345678");
    assert_eq!(preferred_time.as_deref(), Some("evening"));
    assert_eq!(state, "open");
    assert!(due_at.ends_with('Z'), "{due_at}");
    let audited: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'requested_callback'")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(audited, 2, "the request and the refused second one");

    // Without a live session there is nothing to call back about.
    let stranger = app.visitor();
    let response = stranger
        .client
        .post(stranger.url("/status/callback"))
        .header("origin", stranger.url(""))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("phone=09012345678&preferred_time=any")
        .send()
        .await
        .expect("POST");
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn managers_see_failure_spikes_and_edit_the_faq_and_agents_cannot() {
    let app = spawn_app().await;
    for _ in 0..12 {
        sqlx::query(
            "INSERT INTO audit_log (at, actor, address, action, outcome, object) \
             VALUES (?, 'public', '203.0.113.9', 'looked_up_status', 'failed', 'reference:x')",
        )
        .bind(
            time::OffsetDateTime::now_utc()
                .format(&time::format_description::well_known::Rfc3339)
                .expect("time"),
        )
        .execute(&app.pool)
        .await
        .expect("a failed lookup");
    }
    let manager = app.signed_in(Role::Manager).await;
    let report: Value = manager
        .post_form("/api/status/report", "")
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(report["hours"][0]["failed"], 12);
    assert_eq!(report["hours"][0]["spike"], true);
    assert_eq!(report["addresses"][0]["address"], "203.0.113.9");

    let body = "form[entries][0][question_ja]=%E8%B3%AA%E5%95%8F&form[entries][0][answer_ja]=%E5%9B%9E%E7%AD%94\
                &form[entries][1][question_ja]=&form[entries][1][answer_ja]=";
    let saved = manager.post_form("/api/status/faq/save", body).await;
    assert_eq!(saved.status(), StatusCode::OK);
    let page = app.visitor().get("/status").await.text().await.expect("body");
    assert!(page.contains("質問") && !page.contains("カードの再発行に費用はかかりますか？"));
    let edits: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM audit_log WHERE action = 'edited_status_page'")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(edits, 1);

    let agent = app.signed_in(Role::Agent).await;
    assert_eq!(
        agent.post_form("/api/status/report", "").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(agent.get("/status-lookups").await.status(), StatusCode::FORBIDDEN);
}
