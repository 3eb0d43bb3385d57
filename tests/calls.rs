//! The call desk through the real server: finding callers by every kind of key, the identity
//! check, logging calls (masking, the in-hours stamp), callbacks across the year-end change of
//! hours, escalations to managers, contact corrections, the timeline, the report and the export.

use breachdesk::role::Role;
use breachdesk_tests::{TestApp, Visitor, encode, spawn_app};
use reqwest::StatusCode;
use serde_json::Value;

struct Customer {
    id: i64,
    reference_code: String,
    name: String,
    name_kana: Option<String>,
    postal_code: String,
    phone: Option<String>,
    card_last4: String,
}

async fn customer(app: &TestApp, id: i64) -> Customer {
    let (id, reference_code, name, name_kana, postal_code, phone, card_last4): (
        i64,
        String,
        String,
        Option<String>,
        String,
        Option<String>,
        String,
    ) = sqlx::query_as(
        "SELECT id, reference_code, name, name_kana, postal_code, phone, card_last4 FROM customers WHERE id = ?",
    )
    .bind(id)
    .fetch_one(&app.pool)
    .await
    .expect("a demo customer");
    Customer {
        id,
        reference_code,
        name,
        name_kana,
        postal_code,
        phone,
        card_last4,
    }
}

/// A demo customer with a phone number and a kana reading.
async fn demo_customer(app: &TestApp) -> Customer {
    let id: i64 = sqlx::query_scalar(
        "SELECT id FROM customers WHERE phone IS NOT NULL AND name_kana IS NOT NULL ORDER BY id LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("a demo customer with phone and kana");
    customer(app, id).await
}

async fn json(response: reqwest::Response) -> Value {
    let status = response.status();
    let text = response.text().await.expect("body");
    assert_eq!(status, StatusCode::OK, "{text}");
    serde_json::from_str(&text).expect("json")
}

async fn search(visitor: &Visitor, term: &str) -> Value {
    json(
        visitor
            .post_form("/api/calls/search", &format!("q={}", encode(term)))
            .await,
    )
    .await
}

fn ids(found: &Value) -> Vec<i64> {
    found
        .as_array()
        .expect("a list")
        .iter()
        .map(|caller| caller["id"].as_i64().expect("id"))
        .collect()
}

async fn verify(visitor: &Visitor, customer: &Customer) -> Value {
    let body = format!(
        "check[customer_id]={}&check[postal_code]={}&check[card_last4]={}",
        customer.id, customer.postal_code, customer.card_last4
    );
    json(visitor.post_form("/api/calls/identity", &body).await).await
}

/// The first sub-category of the demo's 再発行の依頼.
async fn disposition(app: &TestApp) -> i64 {
    sqlx::query_scalar(
        "SELECT c.id FROM disposition_codes c JOIN disposition_codes p ON p.id = c.parent_id \
         WHERE p.label_ja = '再発行の依頼' ORDER BY c.position LIMIT 1",
    )
    .fetch_one(&app.pool)
    .await
    .expect("the demo disposition codes")
}

async fn log_call(visitor: &Visitor, fields: &[(&str, &str)]) -> reqwest::Response {
    let body: Vec<String> = fields
        .iter()
        .map(|(name, value)| format!("call[{name}]={}", encode(value)))
        .collect();
    visitor.post_form("/api/calls/log", &body.join("&")).await
}

fn full_width(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '-' => '－',
            c if c.is_ascii_alphanumeric() => char::from_u32(c as u32 + 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

#[tokio::test]
async fn an_agent_finds_a_demo_customer_by_every_kind_of_key_and_sees_only_masked_data() {
    let app = spawn_app().await;
    let agent = app.signed_in(Role::Agent).await;
    let customer = demo_customer(&app).await;
    let code = &customer.reference_code;
    let hyphenated = format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]);
    let phone = customer.phone.clone().expect("phone");
    let phone_written = format!("{}-{}-{}", &phone[..3], &phone[3..7], &phone[7..]);
    let compact_name: String = customer.name.split_whitespace().collect();
    let kana = customer.name_kana.clone().expect("kana");
    let compact_kana: String = kana.split_whitespace().collect();
    let family_name = customer.name.split_whitespace().next().expect("family name").to_owned();
    let terms = [
        hyphenated.to_lowercase(),
        full_width(&hyphenated),
        code.clone(),
        phone_written,
        full_width(&phone),
        compact_name.chars().skip(1).collect::<String>(),
        family_name,
        compact_kana.chars().skip(1).collect::<String>(),
        format!("〒{}-{}", &customer.postal_code[..3], &customer.postal_code[3..]),
        customer.card_last4.clone(),
    ];
    for term in &terms {
        let found = search(&agent, term).await;
        assert!(ids(&found).contains(&customer.id), "{term} finds the customer: {found}");
        let text = found.to_string();
        assert!(!text.contains(code.as_str()), "{term}: the reference code is masked");
        assert!(!text.contains(&phone), "{term}: the phone is masked");
        assert!(
            !text.contains(&customer.postal_code),
            "{term}: the postal code is masked"
        );
    }
    assert_eq!(search(&agent, "").await, Value::Array(Vec::new()));
}

#[tokio::test]
async fn details_show_only_after_two_facts_match_and_every_check_is_recorded_without_the_values() {
    let app = spawn_app().await;
    let agent = app.signed_in(Role::Agent).await;
    let customer = demo_customer(&app).await;
    let caller = json(
        agent
            .post_form("/api/calls/caller", &format!("id={}", customer.id))
            .await,
    )
    .await;
    assert_eq!(caller["verified"], false);
    assert_eq!(
        agent
            .post_form("/api/case/customer", &format!("id={}", customer.id))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        agent
            .post_form("/api/calls/timeline", &format!("customer_id={}", customer.id))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // One right, one wrong: not enough.
    let body = format!(
        "check[customer_id]={}&check[card_last4]={}&check[postal_code]=1000001",
        customer.id, customer.card_last4
    );
    let check = json(agent.post_form("/api/calls/identity", &body).await).await;
    assert_eq!(check, serde_json::json!(["CardLast4"]));
    assert_eq!(
        agent
            .post_form("/api/case/customer", &format!("id={}", customer.id))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    let check = verify(&agent, &customer).await;
    assert_eq!(check, serde_json::json!(["PostalCode", "CardLast4"]));
    let caller = json(
        agent
            .post_form("/api/calls/caller", &format!("id={}", customer.id))
            .await,
    )
    .await;
    assert_eq!(caller["verified"], true);
    let case = json(
        agent
            .post_form("/api/case/customer", &format!("id={}", customer.id))
            .await,
    )
    .await;
    assert_eq!(case["customer"]["id"], customer.id);

    let checks: Vec<(String, bool)> =
        sqlx::query_as("SELECT confirmed, passed FROM identity_checks WHERE customer_id = ? ORDER BY id")
            .bind(customer.id)
            .fetch_all(&app.pool)
            .await
            .expect("checks");
    assert_eq!(
        checks,
        vec![
            ("card_last4".to_owned(), false),
            ("postal_code,card_last4".to_owned(), true)
        ]
    );
    let details: Vec<String> =
        sqlx::query_scalar("SELECT detail FROM audit_log WHERE action = 'checked_identity' ORDER BY id")
            .fetch_all(&app.pool)
            .await
            .expect("audit");
    assert_eq!(details, vec!["failed card_last4", "passed postal_code,card_last4"]);

    // A manager sees the details without a check of their own.
    let manager = app.signed_in(Role::Manager).await;
    let caller = json(
        manager
            .post_form("/api/calls/caller", &format!("id={}", customer.id))
            .await,
    )
    .await;
    assert_eq!(caller["verified"], true);
}

#[tokio::test]
async fn a_card_number_in_the_notes_is_masked_before_saving_and_a_late_call_is_stamped_out_of_hours() {
    let app = spawn_app().await;
    let agent = app.signed_in(Role::Agent).await;
    let customer = demo_customer(&app).await;
    let code = disposition(&app).await.to_string();
    let id = customer.id.to_string();
    let logged = json(
        log_call(
            &agent,
            &[
                ("customer_id", &id),
                ("received_at", "2017-12-29T18:30"),
                ("disposition", &code),
                ("notes", "カード番号 4111 1111 1111 1234 を読み上げられた"),
                ("outcome", "resolved"),
                ("talk_minutes", "7"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(logged["in_hours"], false);
    assert_eq!(logged["masked"], 1);
    let in_hours = json(
        log_call(
            &agent,
            &[
                ("customer_id", &id),
                ("received_at", "2017-12-29T18:29"),
                ("disposition", &code),
                ("outcome", "resolved"),
            ],
        )
        .await,
    )
    .await;
    assert_eq!(in_hours["in_hours"], true);

    let notes: Vec<String> = sqlx::query_scalar("SELECT notes FROM calls ORDER BY id")
        .fetch_all(&app.pool)
        .await
        .expect("notes");
    assert_eq!(notes[0], "カード番号 ****1234 を読み上げられた");
    let stored: (String, i64, i64) =
        sqlx::query_as("SELECT received_at, in_hours, talk_minutes FROM calls ORDER BY id LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .expect("the call");
    assert_eq!(stored, ("2017-12-29T09:30:00.000Z".to_owned(), 0, 7));
}

#[tokio::test]
async fn a_callback_asked_for_at_1800_on_29_december_falls_due_on_2_january_and_the_callback_call_closes_it() {
    let app = spawn_app().await;
    let agent = app.signed_in(Role::Agent).await;
    let customer = demo_customer(&app).await;
    let code = disposition(&app).await.to_string();
    let id = customer.id.to_string();
    let logged = json(
        log_call(
            &agent,
            &[
                ("customer_id", &id),
                ("received_at", "2017-12-29T18:00"),
                ("disposition", &code),
                ("notes", "再発行の時期を確認して折り返す"),
                ("outcome", "callback_needed"),
                ("callback_hours", ""),
            ],
        )
        .await,
    )
    .await;
    // Half an hour on the 29th, then 3.5 hours from 10:00 on 2 January: 13:30 Tokyo.
    assert_eq!(logged["callback_due"], "2018-01-02T04:30:00.000Z");

    let queue = json(agent.post_form("/api/callbacks/list", "").await).await;
    let tasks = queue["tasks"].as_array().expect("tasks");
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0]["due_at"], "2018-01-02T04:30:00.000Z");
    assert_eq!(tasks[0]["overdue"], true, "2018 is long past");
    assert_eq!(
        tasks[0]["phone"].as_str().map(|phone| phone.replace('-', "")),
        customer.phone
    );
    let callback = tasks[0]["id"].as_i64().expect("id");

    let agent_id: i64 = queue["staff"][0][0].as_i64().expect("a staff id");
    let assigned = agent
        .post_form(
            "/api/callbacks/assign",
            &format!("callback_id={callback}&staff_id={agent_id}"),
        )
        .await;
    assert_eq!(assigned.status(), StatusCode::OK);

    let closing = [
        ("customer_id", id.as_str()),
        ("disposition", code.as_str()),
        ("outcome", "resolved"),
        ("callback_id", &callback.to_string()),
    ];
    json(log_call(&agent, &closing).await).await;
    let state: (String, Option<i64>) = sqlx::query_as("SELECT state, closed_by_call_id FROM callbacks WHERE id = ?")
        .bind(callback)
        .fetch_one(&app.pool)
        .await
        .expect("the callback");
    assert_eq!(state.0, "done");
    assert!(state.1.is_some());
    assert_eq!(log_call(&agent, &closing).await.status(), StatusCode::CONFLICT);
    let queue = json(agent.post_form("/api/callbacks/list", "").await).await;
    assert_eq!(queue["tasks"], Value::Array(Vec::new()));
}

#[tokio::test]
async fn an_escalated_call_reaches_the_managers_dashboard_and_mailbox_and_a_manager_resolves_it() {
    let app = spawn_app().await;
    let agent = app.signed_in(Role::Agent).await;
    let manager = app.signed_in(Role::Manager).await;
    let code = disposition(&app).await.to_string();
    let logged = json(
        log_call(
            &agent,
            &[
                ("caller_phone", "03-1234-5678"),
                ("disposition", &code),
                ("notes", "報道機関から取材の申し込み"),
                ("outcome", "escalated"),
            ],
        )
        .await,
    )
    .await;
    let escalation = logged["escalation_id"].as_i64().expect("an escalation");
    assert_eq!(json(manager.post_form("/api/escalations/count", "").await).await, 1);
    assert_eq!(
        agent.post_form("/api/escalations/count", "").await.status(),
        StatusCode::FORBIDDEN
    );
    // Recorded by the request, emailed by the server's worker within seconds.
    let read_outbox = || -> Vec<String> {
        std::fs::read_dir(app.data_dir.join("outbox"))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .map(|entry| std::fs::read_to_string(entry.path()).unwrap_or_default())
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut emails = read_outbox();
    for _ in 0..100 {
        if emails.len() >= 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        emails = read_outbox();
    }
    // The first admin and the manager are the escalation contacts; the agent gets none.
    assert_eq!(emails.len(), 2, "{emails:?}");
    assert!(emails.iter().any(|email| email.contains("admin@breachdesk.local")));
    assert!(emails.iter().any(|email| email.contains("manager-")));
    assert!(!emails.iter().any(|email| email.contains("agent-")));

    let list = json(manager.post_form("/api/escalations/list", "").await).await;
    assert_eq!(list[0]["reason"], "報道機関から取材の申し込み");
    assert_eq!(list[0]["state"], "open");
    let acknowledge = format!("id={escalation}&step=acknowledge");
    assert_eq!(
        manager
            .post_form("/api/escalations/advance", &acknowledge)
            .await
            .status(),
        StatusCode::OK
    );
    assert_eq!(
        manager
            .post_form("/api/escalations/advance", &acknowledge)
            .await
            .status(),
        StatusCode::CONFLICT
    );
    let empty = format!("id={escalation}&step=resolve&resolution=");
    assert_eq!(
        manager.post_form("/api/escalations/advance", &empty).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY
    );
    let resolve = format!(
        "id={escalation}&step=resolve&resolution={}",
        encode("事故対策委員会で回答方針を決定")
    );
    assert_eq!(
        manager.post_form("/api/escalations/advance", &resolve).await.status(),
        StatusCode::OK
    );
    assert_eq!(json(manager.post_form("/api/escalations/count", "").await).await, 0);
    let list = json(manager.post_form("/api/escalations/list", "").await).await;
    assert_eq!(list[0]["state"], "resolved");
    let call_customer: Option<i64> = sqlx::query_scalar("SELECT customer_id FROM calls")
        .fetch_one(&app.pool)
        .await
        .expect("the call");
    assert_eq!(
        call_customer, None,
        "a caller not on the list is logged without a customer"
    );
}

#[tokio::test]
async fn a_contact_correction_is_kept_with_history_clears_the_returned_mail_flag_and_joins_the_timeline() {
    let app = spawn_app().await;
    let agent = app.signed_in(Role::Agent).await;
    let customer = demo_customer(&app).await;
    sqlx::query(
        "INSERT INTO deliveries (customer_id, channel, template_version_id, state, returned_reason, created_at, updated_at) \
         SELECT ?, 'letter', MIN(id), 'returned', '転居先不明', '2017-12-01T00:00:00Z', '2017-12-05T00:00:00Z' \
         FROM template_versions",
    )
    .bind(customer.id)
    .execute(&app.pool)
    .await
    .expect("a returned letter");
    let body = format!(
        "contact[customer_id]={}&contact[field]=address&contact[postal_code]=1000001&contact[address]={}",
        customer.id,
        encode("東京都千代田区千代田1-1")
    );
    assert_eq!(
        agent.post_form("/api/calls/contact", &body).await.status(),
        StatusCode::FORBIDDEN,
        "not before the identity check"
    );
    verify(&agent, &customer).await;
    let caller = json(
        agent
            .post_form("/api/calls/caller", &format!("id={}", customer.id))
            .await,
    )
    .await;
    assert_eq!(caller["returned_mail"], true);
    assert_eq!(
        agent.post_form("/api/calls/contact", &body).await.status(),
        StatusCode::OK
    );
    let caller = json(
        agent
            .post_form("/api/calls/caller", &format!("id={}", customer.id))
            .await,
    )
    .await;
    assert_eq!(caller["returned_mail"], false);
    let resend = format!("customer_id={}&channel=letter", customer.id);
    assert_eq!(
        agent.post_form("/api/calls/resend", &resend).await.status(),
        StatusCode::OK
    );

    let (postal_code, address): (String, String) =
        sqlx::query_as("SELECT postal_code, address FROM customers WHERE id = ?")
            .bind(customer.id)
            .fetch_one(&app.pool)
            .await
            .expect("the customer");
    assert_eq!(
        (postal_code.as_str(), address.as_str()),
        ("1000001", "東京都千代田区千代田1-1")
    );
    let history: (String, String) =
        sqlx::query_as("SELECT old_value, new_value FROM contact_changes WHERE customer_id = ?")
            .bind(customer.id)
            .fetch_one(&app.pool)
            .await
            .expect("the history");
    assert!(history.0.starts_with('〒'));
    assert_eq!(history.1, "〒100-0001 東京都千代田区千代田1-1");

    let timeline = json(
        agent
            .post_form("/api/calls/timeline", &format!("customer_id={}", customer.id))
            .await,
    )
    .await;
    let kinds: Vec<&str> = timeline
        .as_array()
        .expect("entries")
        .iter()
        .map(|entry| entry["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds.first(), Some(&"ResendRequest"), "newest first: {kinds:?}");
    for kind in ["ContactChange", "IdentityCheck", "Letter", "Imported"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let position = |kind: &str| kinds.iter().position(|k| *k == kind);
    assert!(
        position("ContactChange") < position("Letter"),
        "the letter of 2017 comes later: {kinds:?}"
    );
    let letter = timeline
        .as_array()
        .expect("entries")
        .iter()
        .find(|entry| entry["kind"] == "Letter")
        .expect("the returned letter");
    assert_eq!(letter["code"], "returned");
    assert_eq!(letter["text"], "転居先不明");
}

#[tokio::test]
async fn the_report_counts_calls_per_day_hour_category_and_outcome_and_the_export_comes_in_both_encodings() {
    let app = spawn_app().await;
    let agent = app.signed_in(Role::Agent).await;
    let manager = app.signed_in(Role::Manager).await;
    let code = disposition(&app).await.to_string();
    for (at, outcome, minutes) in [
        ("2017-12-27T10:00", "resolved", "4"),
        ("2017-12-27T20:00", "resolved", "6"),
        ("2017-12-28T11:15", "identity_not_verified", "2"),
    ] {
        json(
            log_call(
                &agent,
                &[
                    ("received_at", at),
                    ("disposition", &code),
                    ("outcome", outcome),
                    ("talk_minutes", minutes),
                    ("notes", "メモ"),
                ],
            )
            .await,
        )
        .await;
    }
    assert_eq!(
        agent
            .post_form("/api/calls/report", "from=2017-12-27&until=2017-12-28")
            .await
            .status(),
        StatusCode::FORBIDDEN
    );
    let view = json(
        manager
            .post_form("/api/calls/report", "from=2017-12-27&until=2017-12-28")
            .await,
    )
    .await;
    let report = &view["report"];
    assert_eq!(report["total"], serde_json::json!({"in_hours": 2, "out_of_hours": 1}));
    assert_eq!(report["per_day"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        report["per_hour"][20],
        serde_json::json!({"in_hours": 0, "out_of_hours": 1})
    );
    assert_eq!(report["per_category"][0][0], "再発行の依頼");
    assert_eq!(report["per_category"][0][2], 3);
    assert_eq!(report["average_talk_tenths"], 40);
    assert!(view["day_chart"].as_str().expect("svg").starts_with("<svg"));

    let utf8 = manager
        .get("/calls/export.csv?from=2017-12-27&until=2017-12-28&encoding=utf-8")
        .await;
    assert_eq!(utf8.status(), StatusCode::OK);
    let bytes = utf8.bytes().await.expect("csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).expect("utf-8");
    assert_eq!(text.lines().count(), 4, "{text}");
    assert!(text.contains("2017-12-27 20:00,時間外"), "{text}");
    let sjis = manager
        .get("/calls/export.csv?from=2017-12-27&until=2017-12-28&encoding=shift_jis")
        .await
        .bytes()
        .await
        .expect("csv");
    let (decoded, _, failed) = encoding_rs::SHIFT_JIS.decode(&sjis);
    assert!(!failed);
    assert!(decoded.starts_with("受付日時"));
    assert_eq!(agent.get("/calls/export.csv").await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn managers_maintain_the_disposition_codes_and_a_retired_code_is_no_longer_offered() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let agent = app.signed_in(Role::Agent).await;
    let body = format!(
        "code[parent_id]=&code[label_ja]={}&code[label_en]=Lost+card",
        encode("紛失")
    );
    assert_eq!(
        agent.post_form("/api/dispositions/add", &body).await.status(),
        StatusCode::FORBIDDEN
    );
    let category = json(manager.post_form("/api/dispositions/add", &body).await).await;
    let category = category.as_i64().expect("id");
    let child = format!(
        "code[parent_id]={category}&code[label_ja]={}&code[label_en]=Abroad",
        encode("海外で紛失")
    );
    let child = json(manager.post_form("/api/dispositions/add", &child).await)
        .await
        .as_i64()
        .expect("id");
    let grandchild = format!("code[parent_id]={child}&code[label_ja]=x&code[label_en]=x");
    assert_eq!(
        manager.post_form("/api/dispositions/add", &grandchild).await.status(),
        StatusCode::UNPROCESSABLE_ENTITY,
        "two levels only"
    );
    assert_eq!(
        manager
            .post_form("/api/dispositions/active", &format!("id={child}&active=false"))
            .await
            .status(),
        StatusCode::OK
    );
    let form = json(agent.post_form("/api/calls/form", "").await).await;
    let offered = form["dispositions"].to_string();
    assert!(offered.contains("紛失"));
    assert!(!offered.contains("海外で紛失"));
    let refused = log_call(&agent, &[("disposition", &child.to_string()), ("outcome", "resolved")]).await;
    assert_eq!(refused.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_purge_blanks_call_notes_callback_numbers_and_contact_history() {
    let app = spawn_app().await;
    let agent = app.signed_in(Role::Agent).await;
    let customer = demo_customer(&app).await;
    let code = disposition(&app).await.to_string();
    let id = customer.id.to_string();
    json(
        log_call(
            &agent,
            &[
                ("customer_id", &id),
                ("received_at", "2017-12-27T10:00"),
                ("caller_phone", "090-1111-2222"),
                ("disposition", &code),
                ("notes", "住所変更の相談"),
                ("outcome", "callback_needed"),
            ],
        )
        .await,
    )
    .await;
    let tomorrow = breachdesk::calendar::today_in_tokyo().next_day().expect("tomorrow");
    let cutoff =
        breachdesk::retention::PurgeCutoff::parse(&tomorrow.to_string(), breachdesk::calendar::today_in_tokyo())
            .expect("cutoff");
    breachdesk::retention::purge(&app.pool, cutoff, breachdesk::audit::Actor::CommandLine, None)
        .await
        .expect("purge");
    let call: (String, String) = sqlx::query_as("SELECT notes, caller_phone FROM calls")
        .fetch_one(&app.pool)
        .await
        .expect("the call");
    assert_eq!(call, (String::new(), String::new()));
    let callback: (String, String) = sqlx::query_as("SELECT phone, reason FROM callbacks")
        .fetch_one(&app.pool)
        .await
        .expect("the callback");
    assert_eq!(callback, (String::new(), String::new()));
    let name_hits: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers_fts WHERE customers_fts MATCH ?")
        .bind(format!("name : \"{}\"", customer.name.replace(' ', "")))
        .fetch_one(&app.pool)
        .await
        .expect("fts");
    assert_eq!(name_hits, 0, "the search index forgets purged names");
}

#[tokio::test]
async fn an_agent_sees_the_customer_list_masked_and_a_manager_sees_it_in_full() {
    let app = spawn_app().await;
    let agent = app.signed_in(Role::Agent).await;
    let manager = app.signed_in(Role::Manager).await;
    let customer = demo_customer(&app).await;
    let body = format!("query[q]={}&query[page]=1", customer.reference_code);
    let masked = json(agent.post_form("/api/customers/search", &body).await).await;
    let row = &masked["customers"][0];
    assert_eq!(row["id"], customer.id);
    assert_eq!(row["address"], "");
    assert_eq!(row["email"], Value::Null);
    assert!(row["reference_code"].as_str().expect("code").starts_with("****-****-"));
    assert!(row["postal_code"].as_str().expect("postal code").ends_with("-****"));
    let full = json(manager.post_form("/api/customers/search", &body).await).await;
    assert_ne!(full["customers"][0]["address"], "");
}
