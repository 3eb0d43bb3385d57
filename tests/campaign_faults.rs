//! The fault test: an SMTP server that answers 451 once, drops the connection once, or rejects with
//! 550 for chosen recipients. Temporary failures are retried and end sent, permanent ones end
//! failed_permanent with the server's reason, and a campaign pauses itself past its error threshold.
//! The faults are run against a server with and without PIPELINING, the two ways of sending.

use std::time::Duration;

use breachdesk::audience::Audience;
use breachdesk::campaign::{CampaignAction, CampaignSettings, Channel, SettingsInput};
use breachdesk::campaigns::{self, NewCampaign};
use breachdesk_tests::campaign::{Smtp, customer_addresses, free_port, keep_first, state_of, wait_for};
use breachdesk_tests::spawn_app_with;
use serde_json::json;
use sqlx::SqlitePool;

async fn start_campaign(pool: &SqlitePool) -> i64 {
    let settings = CampaignSettings::parse(&SettingsInput {
        retry_after_seconds: "1".into(),
        ..SettingsInput::default()
    })
    .expect("settings");
    let new = NewCampaign {
        template_name: "apology-email",
        channel: Channel::Email,
        audience: Audience::All,
        settings,
        idempotency_key: None,
        created_by: None,
    };
    let id = campaigns::create(pool, &new).await.expect("created");
    campaigns::apply(pool, id, CampaignAction::Start)
        .await
        .expect("started");
    id
}

#[tokio::test]
async fn temporary_failures_are_retried_until_sent_and_permanent_ones_end_failed_with_the_reason() {
    faults_settle_as_they_should(false).await;
}

#[tokio::test]
async fn the_same_faults_settle_the_same_way_when_the_server_takes_pipelined_commands() {
    faults_settle_as_they_should(true).await;
}

/// 200 customers against a server that refuses 5 for good, refuses 5 once and drops the
/// connection on 5 once; `pipelining`: whether it lists PIPELINING, so the sender writes MAIL FROM,
/// RCPT TO and DATA in one go and reads the refusals from the middle of the group.
async fn faults_settle_as_they_should(pipelining: bool) {
    let port = free_port();
    let app = spawn_app_with(&[("SMTP_URL", &format!("smtp://127.0.0.1:{port}"))]).await;
    keep_first(&app.pool, 200).await;
    let addresses = customer_addresses(&app.pool).await;
    // Spread out, so no window of recent attempts holds enough failures to pause the campaign.
    let picked: Vec<String> = (0..15).map(|i| addresses[10 + 12 * i].clone()).collect();
    let (rejected, tempfailed, dropped) = (&picked[0..5], &picked[5..10], &picked[10..15]);
    let sink = Smtp::start_on(
        port,
        "smtp_faults.py",
        Some(json!({
            "reject": rejected,
            "tempfail_once": tempfailed,
            "drop_once": dropped,
            "pipelining": pipelining,
        })),
    );

    let id = start_campaign(&app.pool).await;
    wait_for(Duration::from_secs(90), "the campaign to finish", || async {
        (state_of(&app.pool, id).await.0 == "finished").then_some(())
    })
    .await;

    let (_, counts) = state_of(&app.pool, id).await;
    assert_eq!(counts.get("sent").copied(), Some(195), "{counts:?}");
    assert_eq!(counts.get("failed_permanent").copied(), Some(5), "{counts:?}");
    let rows: Vec<(String, String, i64, Option<String>)> = sqlx::query_as(
        "SELECT lower(c.email), d.state, d.attempts, d.last_error FROM deliveries d \
         JOIN customers c ON c.id = d.customer_id WHERE d.campaign_id = ?",
    )
    .bind(id)
    .fetch_all(&app.pool)
    .await
    .expect("rows");
    let row = |address: &String| rows.iter().find(|row| &row.0 == address).expect("a delivery");
    for address in rejected {
        let (_, state, attempts, error) = row(address);
        assert_eq!(
            (state.as_str(), *attempts),
            ("failed_permanent", 1),
            "no retry after a 5xx"
        );
        let error = error.as_deref().unwrap_or_default();
        assert!(error.contains("550"), "{error}");
        assert!(!error.contains('@'), "the reason keeps no address: {error}");
    }
    let received = sink.received();
    for address in tempfailed.iter().chain(dropped) {
        let (_, state, attempts, _) = row(address);
        assert_eq!((state.as_str(), *attempts), ("sent", 2), "{address}");
        assert_eq!(received.get(address).copied(), Some(1), "{address}");
    }
    assert!(rejected.iter().all(|address| !received.contains_key(address)));
}

#[tokio::test]
async fn a_campaign_pauses_itself_when_too_many_sends_fail_and_says_why() {
    let port = free_port();
    let app = spawn_app_with(&[("SMTP_URL", &format!("smtp://127.0.0.1:{port}"))]).await;
    keep_first(&app.pool, 300).await;
    let _sink = Smtp::start_on(port, "smtp_faults.py", Some(json!({ "reject_all": true })));

    let id = start_campaign(&app.pool).await;
    wait_for(Duration::from_secs(60), "the campaign to pause", || async {
        (state_of(&app.pool, id).await.0 == "paused").then_some(())
    })
    .await;

    let campaign = campaigns::load(&app.pool, id).await.expect("campaign");
    let reason = campaign.pause_reason.expect("a reason");
    assert!(reason.contains("550"), "{reason}");
    assert!(reason.contains("of the last"), "{reason}");
    // Let sends in flight at the pause settle.
    tokio::time::sleep(Duration::from_millis(800)).await;
    let (_, counts) = state_of(&app.pool, id).await;
    assert_eq!(counts.get("sent"), None, "{counts:?}");
    assert!(
        counts.get("failed_permanent").copied().unwrap_or_default() >= 20,
        "{counts:?}"
    );
    assert!(
        counts.get("queued").copied().unwrap_or_default() > 0,
        "the rest wait for a manager"
    );
}
