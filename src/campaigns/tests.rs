use super::*;
use crate::campaign::bounce::{BounceEntry, ReturnedReason};
use crate::campaign::{CampaignAction as A, CampaignSettings, SettingsInput};
use crate::mail::{MailSettings, Mailer};

async fn demo_pool() -> SqlitePool {
    let pool = crate::db::in_memory().await;
    let folder = std::env::temp_dir().join(format!("breachdesk-campaign-key-{}", rand::random::<u64>()));
    let key = crate::secret::SecretKey::load_or_create(&folder.join("secret.key")).expect("key");
    crate::demo::load(&pool, &key).await.expect("demo");
    let _ = std::fs::remove_dir_all(folder);
    pool
}

fn settings(input: SettingsInput) -> CampaignSettings {
    CampaignSettings::parse(&input).expect("valid settings")
}

async fn new_campaign(pool: &SqlitePool, channel: Channel, audience: Audience, key: Option<&str>) -> i64 {
    let template = match channel {
        Channel::Email => "apology-email",
        Channel::Letter => "apology-letter",
    };
    create(
        pool,
        &NewCampaign {
            template_name: template,
            channel,
            audience,
            settings: settings(SettingsInput::default()),
            idempotency_key: key,
            created_by: None,
        },
    )
    .await
    .expect("created")
}

async fn with_email(pool: &SqlitePool) -> u64 {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM customers WHERE email IS NOT NULL AND email <> ''")
        .fetch_one(pool)
        .await
        .expect("count");
    u64::try_from(count).expect("positive")
}

#[tokio::test]
async fn starting_writes_one_queued_email_per_customer_with_an_address_and_starting_again_writes_nothing() {
    let pool = demo_pool().await;
    let id = new_campaign(&pool, Channel::Email, Audience::All, None).await;
    assert_eq!(
        counts(&pool, id).await.expect("counts").total(),
        0,
        "a draft has no deliveries"
    );

    assert_eq!(
        apply(&pool, id, A::Start).await.expect("started"),
        CampaignState::Running
    );
    assert_eq!(apply(&pool, id, A::Start).await.expect("again"), CampaignState::Running);

    let counts = counts(&pool, id).await.expect("counts");
    assert_eq!(counts.queued, with_email(&pool).await);
    assert_eq!(counts.total(), counts.queued);
}

#[tokio::test]
async fn the_same_idempotency_key_creates_one_campaign() {
    let pool = demo_pool().await;
    let first = new_campaign(&pool, Channel::Email, Audience::All, Some("form-key-1")).await;
    let second = new_campaign(&pool, Channel::Email, Audience::All, Some("form-key-1")).await;
    let third = new_campaign(&pool, Channel::Email, Audience::All, Some("form-key-2")).await;
    assert_eq!(first, second);
    assert_ne!(first, third);
    assert_eq!(list(&pool).await.expect("list").len(), 2);
}

#[tokio::test]
async fn an_email_campaign_needs_an_email_template() {
    let pool = demo_pool().await;
    let error = create(
        &pool,
        &NewCampaign {
            template_name: "apology-letter",
            channel: Channel::Email,
            audience: Audience::All,
            settings: CampaignSettings::default(),
            idempotency_key: None,
            created_by: None,
        },
    )
    .await
    .expect_err("refused");
    assert!(matches!(error, CampaignError::WrongTemplateKind { .. }), "{error}");
}

#[tokio::test]
async fn a_running_campaign_sends_everyone_once_to_the_outbox_and_finishes() {
    let pool = demo_pool().await;
    let folder = std::env::temp_dir().join(format!("breachdesk-campaign-outbox-{}", rand::random::<u64>()));
    let mailer = Mailer::new(&MailSettings::Outbox(folder.clone())).expect("outbox");
    let id = new_campaign(&pool, Channel::Email, Audience::All, None).await;
    apply(&pool, id, A::Start).await.expect("started");

    let run = sender::CampaignRun::new(pool.clone(), mailer, id).await.expect("run");
    let stopped = run.run().await.expect("sent");

    assert_eq!(stopped, CampaignState::Finished);
    let counts = counts(&pool, id).await.expect("counts");
    let expected = with_email(&pool).await;
    assert_eq!(counts.sent, expected);
    assert_eq!(counts.pending(), 0);
    let files = std::fs::read_dir(&folder).expect("outbox").count() as u64;
    assert_eq!(files, expected);
    let distinct: i64 = sqlx::query_scalar("SELECT COUNT(DISTINCT message_id) FROM deliveries WHERE campaign_id = ?")
        .bind(id)
        .fetch_one(&pool)
        .await
        .expect("ids");
    assert_eq!(distinct as u64, expected, "each delivery records its own Message-ID");
    let _ = std::fs::remove_dir_all(folder);
}

#[tokio::test]
async fn rows_left_sending_by_a_crash_are_queued_again_or_held_as_each_campaign_says() {
    let pool = demo_pool().await;
    let resend = new_campaign(&pool, Channel::Email, Audience::All, None).await;
    let hold = create(
        &pool,
        &NewCampaign {
            template_name: "apology-email",
            channel: Channel::Email,
            audience: Audience::All,
            settings: settings(SettingsInput {
                hold_in_doubt: true,
                ..SettingsInput::default()
            }),
            idempotency_key: None,
            created_by: None,
        },
    )
    .await
    .expect("created");
    for id in [resend, hold] {
        apply(&pool, id, A::Start).await.expect("started");
        sqlx::query(
            "UPDATE deliveries SET state = 'sending', attempts = 1 WHERE id IN \
             (SELECT id FROM deliveries WHERE campaign_id = ? ORDER BY id LIMIT 3)",
        )
        .bind(id)
        .execute(&pool)
        .await
        .expect("a crash mid-send");
    }

    assert_eq!(recover_in_doubt(&pool).await.expect("recovered"), (3, 3));

    assert_eq!(counts(&pool, resend).await.expect("counts").sending, 0);
    let held = deliveries(&pool, hold, DeliveryFilter::HeldInDoubt, 10)
        .await
        .expect("held");
    assert_eq!(held.len(), 3);
    assert!(held.iter().all(|line| line.in_doubt));
    assert_eq!(
        decide_in_doubt(&pool, hold, InDoubtDecision::MarkSent)
            .await
            .expect("decided"),
        3
    );
    assert_eq!(counts(&pool, hold).await.expect("counts").sent, 3);
}

#[tokio::test]
async fn cancelling_cancels_what_is_not_yet_sent() {
    let pool = demo_pool().await;
    let id = new_campaign(&pool, Channel::Email, Audience::WithEmail, None).await;
    apply(&pool, id, A::Start).await.expect("started");
    apply(&pool, id, A::Pause).await.expect("paused");
    assert_eq!(
        apply(&pool, id, A::Cancel).await.expect("cancelled"),
        CampaignState::Cancelled
    );
    let counts = counts(&pool, id).await.expect("counts");
    assert_eq!(counts.cancelled, with_email(&pool).await);
    assert!(apply(&pool, id, A::Resume).await.is_err());
}

#[tokio::test]
async fn a_letter_campaign_lists_its_letters_and_confirming_the_mailing_marks_them_sent() {
    let pool = demo_pool().await;
    let id = new_campaign(&pool, Channel::Letter, Audience::WithoutEmail, None).await;
    apply(&pool, id, A::Start).await.expect("started");
    let queued = counts(&pool, id).await.expect("counts").queued;
    assert!(queued > 0);

    let batch = mailing::batch(&pool, id, time::macros::date!(2017 - 12 - 22), false)
        .await
        .expect("mailing list");
    assert_eq!(batch.mailing_list.len() as u64, queued);
    let mut sorted = batch.mailing_list.clone();
    sorted.sort_by_key(|entry| entry.postal_code.to_string());
    assert_eq!(sorted, batch.mailing_list, "postal-code order");

    assert_eq!(mailing::confirm_mailed(&pool, id).await.expect("mailed"), queued);
    assert_eq!(load(&pool, id).await.expect("load").state, CampaignState::Finished);

    let code: String = sqlx::query_scalar(
        "SELECT c.reference_code FROM deliveries d JOIN customers c ON c.id = d.customer_id \
         WHERE d.campaign_id = ? LIMIT 1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .expect("a customer");
    let code = crate::customer::ReferenceCode::parse(&code).expect("code");
    assert!(
        undelivered::mark_returned(&pool, &code, ReturnedReason::MovedNoForwarding)
            .await
            .expect("marked")
            .is_some()
    );
    let reason: String = sqlx::query_scalar("SELECT returned_reason FROM deliveries WHERE state = 'returned'")
        .fetch_one(&pool)
        .await
        .expect("returned");
    assert_eq!(reason, "転居先不明");
}

#[tokio::test]
async fn a_bounce_list_marks_the_matching_sent_emails_by_message_id_or_address() {
    let pool = demo_pool().await;
    let id = new_campaign(&pool, Channel::Email, Audience::All, None).await;
    apply(&pool, id, A::Start).await.expect("started");
    sqlx::query(
        "UPDATE deliveries SET state = 'sent', message_id = 'm' || id || '@hawaiians-mall.com' WHERE campaign_id = ?",
    )
    .bind(id)
    .execute(&pool)
    .await
    .expect("sent");
    let (first_id, email): (i64, String) = sqlx::query_as(
        "SELECT d.id, c.email FROM deliveries d JOIN customers c ON c.id = d.customer_id \
         WHERE d.campaign_id = ? ORDER BY d.id DESC LIMIT 1",
    )
    .bind(id)
    .fetch_one(&pool)
    .await
    .expect("one");
    let text = format!(
        "<m1@hawaiians-mall.com>\n{}\nunknown@example.com\n",
        email.to_uppercase()
    );
    let list = crate::campaign::bounce::parse_bounce_list(&text);
    assert!(
        list.entries
            .iter()
            .any(|entry| matches!(entry, BounceEntry::MessageId(_)))
    );

    let marked = undelivered::mark_bounced(&pool, &list.entries).await.expect("marked");

    let bounced: Vec<i64> = sqlx::query_scalar("SELECT id FROM deliveries WHERE state = 'bounced' ORDER BY id")
        .fetch_all(&pool)
        .await
        .expect("bounced");
    assert_eq!(marked, bounced.len() as u64);
    assert!(bounced.contains(&first_id));
    assert_eq!(counts(&pool, id).await.expect("counts").bounced, marked);
}

#[tokio::test]
async fn a_campaign_limited_to_hotline_hours_sends_nothing_while_the_hotline_is_closed() {
    let pool = demo_pool().await;
    let folder = std::env::temp_dir().join(format!("breachdesk-campaign-closed-{}", rand::random::<u64>()));
    let mailer = Mailer::new(&MailSettings::Outbox(folder.clone())).expect("outbox");
    let id = create(
        &pool,
        &NewCampaign {
            template_name: "apology-email",
            channel: Channel::Email,
            audience: Audience::All,
            settings: settings(SettingsInput {
                hotline_hours_only: true,
                ..SettingsInput::default()
            }),
            idempotency_key: None,
            created_by: None,
        },
    )
    .await
    .expect("created");
    apply(&pool, id, A::Start).await.expect("started");
    // Without a schedule the hotline reads as closed, whatever the time of the test.
    sqlx::query("DELETE FROM hotline_schedule")
        .execute(&pool)
        .await
        .expect("no schedule");
    let mut run = sender::CampaignRun::new(pool.clone(), mailer, id).await.expect("run");

    for _ in 0..3 {
        assert!(matches!(run.tick().await.expect("tick"), sender::Tick::Idle(_)));
    }

    let counts = counts(&pool, id).await.expect("counts");
    assert_eq!((counts.sent, counts.sending), (0, 0));
    assert_eq!(counts.queued, with_email(&pool).await);
    assert!(!folder.exists() || std::fs::read_dir(&folder).expect("outbox").count() == 0);
    let _ = std::fs::remove_dir_all(folder);
}
