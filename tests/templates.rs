//! Templates through the real server: saving versions, refusals that name the field and the
//! placeholder, the preview, and the test send delivered to a real SMTP server on loopback.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use breachdesk::role::Role;
use breachdesk::template::TemplateVersion;
use breachdesk_tests::{TestApp, Visitor, encode, spawn_app, spawn_app_with};
use reqwest::StatusCode;
use serde_json::Value;

/// The form the editor posts for `version`'s texts, with `change` applied to them first.
fn edit_form(version: &TemplateVersion, change: impl FnOnce(&mut TemplateVersion)) -> String {
    let mut version = version.clone();
    change(&mut version);
    let mut fields = vec![
        ("edit[name]", version.template_name.clone()),
        ("edit[date_style]", version.date_style.code().to_owned()),
        ("edit[text][subject]", version.subject.clone()),
        ("edit[text][body]", version.body.clone()),
        ("edit[date]", "2017-12-22".to_owned()),
    ];
    if let Some(html) = &version.html_body {
        fields.push(("edit[text][html_body]", html.clone()));
    }
    if let Some(notes) = &version.notes {
        fields.push(("edit[text][notes]", notes.clone()));
    }
    fields
        .iter()
        .map(|(name, value)| format!("{}={}", encode(name), encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

async fn latest(app: &TestApp, name: &str) -> TemplateVersion {
    breachdesk::templates::latest_by_name(&app.pool, name)
        .await
        .expect("database")
        .expect("the demo template")
}

async fn post_json(visitor: &Visitor, path: &str, body: &str) -> (StatusCode, Value) {
    let response = visitor.post_form(path, body).await;
    let status = response.status();
    (status, response.json().await.expect("a JSON answer"))
}

#[tokio::test]
async fn a_manager_saves_a_new_version_and_the_old_one_is_kept() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let first = latest(&app, "apology-letter").await;
    assert_eq!(first.version, 1);

    let form = edit_form(&first, |version| version.subject = "お詫びとお願い（改訂）".into());
    let (status, saved) = post_json(&manager, "/api/templates/save", &form).await;

    assert_eq!(status, StatusCode::OK, "{saved}");
    assert_eq!(saved["version"], 2);
    let second = latest(&app, "apology-letter").await;
    assert_eq!(second.subject, "お詫びとお願い（改訂）");
    let kept = breachdesk::templates::load_version(&app.pool, first.id)
        .await
        .expect("database");
    assert_eq!(
        kept.as_ref().map(|version| version.subject.as_str()),
        Some(first.subject.as_str())
    );
    let (_, history) = post_json(&manager, "/api/templates/history", "name=apology-letter").await;
    let versions: Vec<u64> = history
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|v| v["version"].as_u64())
        .collect();
    assert_eq!(versions, [2, 1]);
}

#[tokio::test]
async fn an_unknown_placeholder_is_refused_naming_the_field_and_nothing_is_saved() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let email = latest(&app, "apology-email").await;

    let form = edit_form(&email, |version| version.body.push_str("\n{{card_number}}"));
    let (status, refusal) = post_json(&manager, "/api/templates/save", &form).await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let refusal = refusal.to_string();
    assert!(refusal.contains("\"body\""), "{refusal}");
    assert!(refusal.contains("{{card_number}}"), "{refusal}");
    assert!(refusal.contains("本文"), "{refusal}");
    assert_eq!(latest(&app, "apology-email").await.version, 1);
}

#[tokio::test]
async fn a_missing_reference_code_is_refused_naming_the_html_part() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let email = latest(&app, "apology-email").await;

    let form = edit_form(&email, |version| {
        version.html_body = version
            .html_body
            .as_ref()
            .map(|html| html.replace("{{reference_code}}", ""));
    });
    let (status, refusal) = post_json(&manager, "/api/templates/save", &form).await;

    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let refusal = refusal.to_string();
    assert!(refusal.contains("\"html\""), "{refusal}");
    assert!(refusal.contains("{{reference_code}}"), "{refusal}");
}

#[tokio::test]
async fn the_preview_fills_in_the_first_customer_and_the_announced_change_of_hours() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let letter = latest(&app, "apology-letter").await;
    let (name, code): (String, String) =
        sqlx::query_as("SELECT name, reference_code FROM customers ORDER BY id LIMIT 1")
            .fetch_one(&app.pool)
            .await
            .expect("a demo customer");

    let (status, preview) = post_json(&manager, "/api/templates/preview", &edit_form(&letter, |_| {})).await;

    assert_eq!(status, StatusCode::OK, "{preview}");
    let letter = &preview["Letter"];
    assert_eq!(letter["date_line"], "平成29年12月22日");
    assert_eq!(letter["recipient"]["name_line"], format!("{name} 様"));
    let notes = letter["notes"].to_string();
    let hyphenated = format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]);
    assert!(notes.contains(&hyphenated), "{notes}");
    assert!(notes.contains("0120-034-294"), "{notes}");
    assert!(notes.contains("平成30年1月2日（火）より 10:00～17:00"), "{notes}");
}

/// The loopback SMTP server of `tests/support/smtp_sink.py`, stopped when dropped.
struct SmtpSink {
    child: Child,
    port: u16,
    folder: PathBuf,
}

impl SmtpSink {
    fn start() -> SmtpSink {
        // A port the system just handed out is free for the sink to take a moment later.
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .expect("a free port")
            .port();
        let folder = std::env::temp_dir().join(format!("breachdesk-smtp-{}-{port}", std::process::id()));
        let script = concat!(env!("CARGO_MANIFEST_DIR"), "/support/smtp_sink.py");
        // Debian's interpreter, which python3-aiosmtpd installs into (a python3 earlier on PATH may lack it).
        let mut child = Command::new("/usr/bin/python3")
            .args([script, &port.to_string(), &folder.display().to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .expect("python3 with aiosmtpd (make setup-test installs python3-aiosmtpd)");
        let mut ready = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut ready)
            .expect("the sink starts");
        assert_eq!(ready.trim(), "ready", "the SMTP sink did not start");
        SmtpSink { child, port, folder }
    }

    /// The decoded messages received so far, in order.
    fn messages(&self) -> Vec<(Value, Vec<u8>)> {
        let mut names: Vec<PathBuf> = std::fs::read_dir(&self.folder)
            .map(|entries| entries.filter_map(Result::ok).map(|entry| entry.path()).collect())
            .unwrap_or_default();
        names.retain(|path| path.extension().is_some_and(|ext| ext == "json"));
        names.sort();
        names
            .iter()
            .map(|path| {
                let json = serde_json::from_slice(&std::fs::read(path).expect("json")).expect("valid json");
                let raw = std::fs::read(path.with_extension("eml")).expect("eml");
                (json, raw)
            })
            .collect()
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        // Closing its standard input stops it; kill in case it hangs.
        drop(self.child.stdin.take());
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

#[tokio::test]
async fn a_test_send_reaches_the_managers_own_address_through_smtp_with_japanese_headers_decoded() {
    let sink = SmtpSink::start();
    let smtp_url = format!("smtp://127.0.0.1:{}", sink.port);
    let app = spawn_app_with(&[("SMTP_URL", &smtp_url)]).await;
    let manager_email = "tanaka.manager@example.jp";
    let password = app.add_staff(manager_email, Role::Manager).await;
    let manager = app.visitor();
    manager.sign_in(manager_email, &password).await;
    let email = latest(&app, "apology-email").await;
    let code: String = sqlx::query_scalar("SELECT reference_code FROM customers ORDER BY id LIMIT 1")
        .fetch_one(&app.pool)
        .await
        .expect("a demo customer");
    let hyphenated = format!("{}-{}-{}", &code[..4], &code[4..8], &code[8..]);

    let (status, answer) = post_json(&manager, "/api/templates/test-send", &edit_form(&email, |_| {})).await;

    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer, manager_email);
    let messages = sink.messages();
    assert_eq!(messages.len(), 1, "one message delivered");
    let (message, raw) = &messages[0];
    assert_eq!(message["rcpt_tos"], serde_json::json!([manager_email]));
    assert_eq!(message["mail_from"], "noreply@hawaiians-mall.com");
    assert_eq!(
        message["from"],
        "常磐興産株式会社 ハワイアンズモール <noreply@hawaiians-mall.com>"
    );
    assert_eq!(message["reply_to"], "お客様特別相談窓口 <support@hawaiians-mall.com>");
    assert!(
        message["to"]
            .as_str()
            .is_some_and(|to| to.ends_with("<tanaka.manager@example.jp>")),
        "{message}"
    );
    assert_eq!(
        message["subject"],
        format!("【常磐興産株式会社】クレジットカード情報流出に関するお詫びとお願い（受付番号 {hyphenated}）")
    );
    assert!(
        message["message_id"]
            .as_str()
            .is_some_and(|id| id.ends_with("@hawaiians-mall.com>")),
        "{message}"
    );
    assert!(!message["date"].as_str().unwrap_or_default().is_empty(), "{message}");
    assert_eq!(message["content_type"], "multipart/alternative");
    let text = message["text"].as_str().expect("a text part");
    let html = message["html"].as_str().expect("an HTML part");
    for part in [text, html] {
        assert!(part.contains("謹啓"), "{part}");
        assert!(part.contains(&hyphenated), "{part}");
        assert!(part.contains("0120-034-294"), "{part}");
        assert!(part.contains("平成29年12月22日"), "{part}");
    }
    assert!(!html.to_ascii_lowercase().contains("<img"), "no tracking pixel");
    let raw = String::from_utf8_lossy(raw);
    assert!(
        raw.contains("Subject: =?utf-8?"),
        "the subject is RFC 2047-encoded: {raw}"
    );
}

#[tokio::test]
async fn without_smtp_the_test_send_is_written_to_the_outbox_folder() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let email = latest(&app, "apology-email").await;

    let (status, answer) = post_json(&manager, "/api/templates/test-send", &edit_form(&email, |_| {})).await;

    assert_eq!(status, StatusCode::OK, "{answer}");
    let files = std::fs::read_dir(app.data_dir.join("outbox"))
        .expect("the outbox folder")
        .count();
    assert_eq!(files, 1);
}
