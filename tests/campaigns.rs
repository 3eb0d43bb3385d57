//! Campaigns through the real server: the create form's idempotency key, start/pause/resume over
//! HTTP, every email delivered to a real SMTP server on loopback with its Japanese subject decoded,
//! agents read-only, letter campaigns and undelivered mail.

use std::time::Duration;

use breachdesk::role::Role;
use breachdesk_tests::campaign::{Smtp, keep_first, state_of, wait_for};
use breachdesk_tests::{Visitor, encode, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use serde_json::Value;

async fn post_json(visitor: &Visitor, path: &str, body: &str) -> (StatusCode, Value) {
    let response = visitor.post_form(path, body).await;
    let status = response.status();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn create_form(template: &str, channel: &str, audience: &str, key: &str) -> String {
    [
        ("form[template]", template),
        ("form[channel]", channel),
        ("form[audience]", audience),
        ("form[form_key]", key),
        ("form[settings][concurrency]", "4"),
    ]
    .iter()
    .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
    .collect::<Vec<_>>()
    .join("&")
}

async fn create(visitor: &Visitor, template: &str, channel: &str, audience: &str, key: &str) -> i64 {
    let (status, id) = post_json(
        visitor,
        "/api/campaigns/create",
        &create_form(template, channel, audience, key),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{id}");
    id.as_i64().expect("an id")
}

async fn change(visitor: &Visitor, id: i64, action: &str) -> (StatusCode, Value) {
    post_json(visitor, "/api/campaigns/change", &format!("id={id}&action={action}")).await
}

#[tokio::test]
async fn posting_the_create_form_twice_makes_one_campaign_and_starting_twice_queues_nobody_twice() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;

    let first = create(&manager, "apology-letter", "letter", "all", "same-form").await;
    let second = create(&manager, "apology-letter", "letter", "all", "same-form").await;
    assert_eq!(first, second);

    let (status, state) = change(&manager, first, "start").await;
    assert_eq!((status, state), (StatusCode::OK, Value::from("running")));
    let (status, _) = change(&manager, first, "start").await;
    assert_eq!(status, StatusCode::OK);

    let customers: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    let (_, counts) = state_of(&app.pool, first).await;
    assert_eq!(counts.get("queued").copied(), Some(customers));
    let campaigns: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM campaigns")
        .fetch_one(&app.pool)
        .await
        .expect("count");
    assert_eq!(campaigns, 1);
}

#[tokio::test]
async fn an_email_campaign_reaches_each_customer_through_smtp_with_the_japanese_subject_decoded() {
    let sink = Smtp::start("smtp_sink.py", None);
    let app = spawn_app_with(&[("SMTP_URL", &sink.url())]).await;
    let manager = app.signed_in(Role::Manager).await;
    keep_first(&app.pool, 40).await;
    let id = create(&manager, "apology-email", "email", "with-email", "email-1").await;

    let (status, _) = change(&manager, id, "start").await;
    assert_eq!(status, StatusCode::OK);
    wait_for(Duration::from_secs(60), "the campaign to finish", || async {
        (state_of(&app.pool, id).await.0 == "finished").then_some(())
    })
    .await;

    let (_, counts) = state_of(&app.pool, id).await;
    assert_eq!(counts.get("sent").copied(), Some(40), "{counts:?}");
    let messages = sink.messages();
    assert_eq!(messages.len(), 40);
    let rows: Vec<(String, String, String)> = sqlx::query_as(
        "SELECT lower(c.email), c.reference_code, d.message_id FROM deliveries d \
         JOIN customers c ON c.id = d.customer_id WHERE d.campaign_id = ? AND d.state = 'sent'",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .expect("sent rows");
    for (email, code, message_id) in rows {
        let message = messages
            .iter()
            .find(|message| message["rcpt_tos"][0].as_str().map(str::to_lowercase) == Some(email.clone()))
            .unwrap_or_else(|| panic!("a message to {email}"));
        let hyphenated = format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]);
        assert_eq!(message["message_id"], format!("<{message_id}>"));
        assert_eq!(
            message["subject"],
            format!("【常磐興産株式会社】クレジットカード情報流出に関するお詫びとお願い（受付番号 {hyphenated}）")
        );
        let text = message["text"].as_str().expect("text part");
        assert!(text.contains("謹啓") && text.contains(&hyphenated), "{text}");
    }
}

#[tokio::test]
async fn a_paused_campaign_sends_nothing_until_it_is_resumed() {
    let sink = Smtp::start("smtp_faults.py", None);
    let app = spawn_app_with(&[("SMTP_URL", &sink.url())]).await;
    let manager = app.signed_in(Role::Manager).await;
    keep_first(&app.pool, 30).await;
    let id = create(&manager, "apology-email", "email", "all", "pause-1").await;
    sqlx::query("UPDATE campaigns SET rate_per_second = 5 WHERE id = ?")
        .bind(id)
        .execute(&app.pool)
        .await
        .expect("slow enough to pause midway");
    change(&manager, id, "start").await;
    change(&manager, id, "pause").await;
    // The worker notices within half a second; what it sent meanwhile has arrived a moment later.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let received = sink.received().values().sum::<u32>();
    assert!(received < 30, "{received}");

    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        sink.received().values().sum::<u32>(),
        received,
        "nothing sent while paused"
    );

    change(&manager, id, "resume").await;
    wait_for(Duration::from_secs(60), "the campaign to finish", || async {
        (state_of(&app.pool, id).await.0 == "finished").then_some(())
    })
    .await;
    let (_, progress) = post_json(&manager, "/api/campaigns/progress", &format!("id={id}")).await;
    assert_eq!(progress["counts"]["sent"], 30, "{progress}");
    assert_eq!(progress["campaign"]["state"], "finished");
}

#[tokio::test]
async fn an_agent_sees_campaigns_but_cannot_create_start_or_mark_anything() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let agent = app.signed_in(Role::Agent).await;
    let id = create(&manager, "apology-letter", "letter", "all", "agent-1").await;

    let (status, overview) = post_json(&agent, "/api/campaigns", "").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(overview["may_run"], false);
    assert_eq!(overview["campaigns"].as_array().map(Vec::len), Some(1));
    let (status, _) = post_json(&agent, "/api/campaigns/progress", &format!("id={id}")).await;
    assert_eq!(status, StatusCode::OK);

    for (path, body) in [
        (
            "/api/campaigns/create",
            create_form("apology-letter", "letter", "all", "agent-2"),
        ),
        ("/api/campaigns/change", format!("id={id}&action=start")),
        ("/api/campaigns/mailed", format!("id={id}")),
        ("/api/campaigns/in-doubt", format!("id={id}&decision=mark_sent")),
        (
            "/api/campaigns/undelivered",
            "form[reference_code]=K7QX3MHT9PABF&form[what]=bounced".to_owned(),
        ),
    ] {
        let response = agent.post_form(path, &body).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    let pdf = agent.get(&format!("/letters/campaigns/{id}/batch.pdf")).await;
    assert_eq!(pdf.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_letter_campaign_gives_its_batch_and_confirming_the_mailing_marks_every_letter_sent() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    keep_first(&app.pool, 5).await;
    let id = create(&manager, "apology-letter", "letter", "all", "letters-1").await;
    change(&manager, id, "start").await;
    let (_, counts) = state_of(&app.pool, id).await;
    let queued = counts.get("queued").copied().expect("queued letters");

    let list = manager.get(&format!("/letters/campaigns/{id}/mailing-list.csv")).await;
    assert_eq!(list.status(), StatusCode::OK);
    let text = list.text().await.expect("csv");
    assert_eq!(
        text.lines().count() as i64,
        queued + 1,
        "a header and one line a letter"
    );
    let pdf = manager.get(&format!("/letters/campaigns/{id}/batch.pdf")).await;
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    assert!(pdf.bytes().await.expect("pdf").starts_with(b"%PDF"));

    let (status, marked) = post_json(&manager, "/api/campaigns/mailed", &format!("id={id}")).await;
    assert_eq!((status, marked), (StatusCode::OK, Value::from(queued)));
    let (state, counts) = state_of(&app.pool, id).await;
    assert_eq!(state, "finished");
    assert_eq!(counts.get("sent").copied(), Some(queued));

    let code: String = sqlx::query_scalar(
        "SELECT c.reference_code FROM deliveries d JOIN customers c ON c.id = d.customer_id \
         WHERE d.campaign_id = ? ORDER BY d.id LIMIT 1",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .expect("a customer");
    let (status, answer) = post_json(
        &manager,
        "/api/campaigns/undelivered",
        &format!("form[reference_code]={code}&form[what]=unknown_address"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let reason: String = sqlx::query_scalar(
        "SELECT d.returned_reason FROM deliveries d JOIN customers c ON c.id = d.customer_id \
         WHERE c.reference_code = ? AND d.state = 'returned'",
    )
    .bind(&code)
    .fetch_one(&app.pool)
    .await
    .expect("returned");
    assert_eq!(reason, "宛所不明");
}

#[tokio::test]
async fn an_uploaded_bounce_list_marks_the_emails_bounced_and_the_customers_join_the_bounced_audience() {
    let sink = Smtp::start("smtp_faults.py", None);
    let app = spawn_app_with(&[("SMTP_URL", &sink.url())]).await;
    let manager = app.signed_in(Role::Manager).await;
    keep_first(&app.pool, 10).await;
    let id = create(&manager, "apology-email", "email", "all", "bounce-1").await;
    change(&manager, id, "start").await;
    wait_for(Duration::from_secs(60), "the campaign to finish", || async {
        (state_of(&app.pool, id).await.0 == "finished").then_some(())
    })
    .await;
    let sent: Vec<(String, String)> = sqlx::query_as(
        "SELECT c.email, d.message_id FROM deliveries d JOIN customers c ON c.id = d.customer_id \
         WHERE d.campaign_id = ? AND d.state = 'sent' ORDER BY d.id LIMIT 2",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .expect("sent");
    let list = format!("address\n{}\n<{}>\nnonsense\n", sent[0].0, sent[1].1);

    let response = manager
        .upload_csv("/campaigns/bounces", "bounces.csv", list.as_bytes(), "utf-8")
        .await;

    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/campaigns?bounced=2&unreadable=1");
    let (_, counts) = state_of(&app.pool, id).await;
    assert_eq!(counts.get("bounced").copied(), Some(2));
    let letters = create(&manager, "apology-letter", "letter", "bounced", "bounce-2").await;
    change(&manager, letters, "start").await;
    let (_, counts) = state_of(&app.pool, letters).await;
    assert_eq!(
        counts.get("queued").copied(),
        Some(2),
        "a bounced email queues a letter"
    );
}
