//! The real server over real HTTP: health, sign-in, sessions, CSRF, staff accounts.

use breachdesk::role::Role;
use breachdesk_tests::{spawn_app, spawn_app_with};
use reqwest::StatusCode;

#[tokio::test]
async fn the_health_check_reports_the_database_and_the_workers_as_json() {
    let app = spawn_app().await;
    let response = app.visitor().get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let health: serde_json::Value = response.json().await.unwrap();
    assert_eq!(health["status"], "ok");
    assert_eq!(health["database"], "ok");
    assert!(health["workers"].get("session_purge").is_some(), "{health}");
}

#[tokio::test]
async fn the_health_check_answers_503_when_the_database_is_gone() {
    let app = spawn_app().await;
    app.pool.close().await;
    let response = app.visitor().get("/healthz").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let health: serde_json::Value = response.json().await.unwrap();
    assert_eq!(health["status"], "unavailable");
    assert_eq!(health["database"], "unreachable");
}

#[tokio::test]
async fn an_upload_over_the_configured_limit_is_refused_with_413_and_the_limit_named() {
    let app = spawn_app_with(&[("BREACHDESK_UPLOAD_LIMIT_MB", "1")]).await;
    let manager = app.signed_in(Role::Manager).await;
    let two_megabytes = vec![b'a'; 2 * 1024 * 1024];
    for path in ["/import/customers", "/case-updates/upload"] {
        let response = manager
            .client
            .post(manager.url(path))
            .header("origin", manager.url(""))
            .header("content-type", "multipart/form-data; boundary=limit-test")
            .body(two_megabytes.clone())
            .send()
            .await
            .expect("the server answers before reading the whole body");
        assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        let page = response.text().await.unwrap();
        assert!(page.contains("1 MB"), "{path}: {page}");
    }
}

#[tokio::test]
async fn the_first_start_loads_the_demo_incident_and_creates_one_admin() {
    let app = spawn_app().await;
    let title: String = sqlx::query_scalar("SELECT title FROM incident")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(title.contains("お詫び"));
    let admins: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE role = 'admin'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(admins, 1);
}

#[tokio::test]
async fn signing_in_sets_an_http_only_strict_session_cookie() {
    let app = spawn_app().await;
    let response = app
        .visitor()
        .sign_in(breachdesk_server::FIRST_ADMIN_EMAIL, &app.admin_password)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response.headers()["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("bd_session="));
    assert!(cookie.contains("HttpOnly"));
    assert!(cookie.contains("SameSite=Strict"));
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_address_get_the_same_answer() {
    let app = spawn_app().await;
    let wrong_password = app
        .visitor()
        .sign_in(breachdesk_server::FIRST_ADMIN_EMAIL, "wrong-password")
        .await;
    let unknown = app.visitor().sign_in("nobody@example.jp", "wrong-password").await;
    assert_eq!(wrong_password.status(), StatusCode::SEE_OTHER);
    assert_eq!(wrong_password.headers()["location"], "/login?error=1");
    assert_eq!(unknown.headers()["location"], "/login?error=1");
    assert!(wrong_password.headers().get("set-cookie").is_none());
    let failures: i64 = sqlx::query_scalar("SELECT failures FROM sign_in_failures WHERE subject = ?")
        .bind(format!("email:{}", breachdesk_server::FIRST_ADMIN_EMAIL))
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(failures, 1);
}

#[tokio::test]
async fn a_post_from_another_origin_is_refused_even_with_a_session() {
    let app = spawn_app().await;
    let admin = app.signed_in(Role::Admin).await;
    let response = admin
        .client
        .post(admin.url("/api/staff/create"))
        .header("origin", "http://evil.example")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("new[email]=evil%40example.jp&new[display_name]=evil&new[role]=admin&new[password]=")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let created: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff WHERE email = 'evil@example.jp'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(created, 0);
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let app = spawn_app().await;
    let admin = app.signed_in(Role::Admin).await;
    assert_eq!(admin.get("/").await.status(), StatusCode::OK);
    let response = admin.post_form("/auth/logout", "").await;
    assert_eq!(response.headers()["location"], "/login?signed_out=1");
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
    assert_eq!(admin.get("/").await.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn an_admin_creates_an_agent_whose_generated_password_signs_in() {
    let app = spawn_app().await;
    let admin = app.signed_in(Role::Admin).await;
    let response = admin
        .post_form(
            "/api/staff/create",
            "new[email]=Sato%40Example.jp&new[display_name]=%E4%BD%90%E8%97%A4&new[role]=agent&new[password]=",
        )
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let created: serde_json::Value = response.json().await.unwrap();
    assert_eq!(created["member"]["email"], "sato@example.jp");
    let password = created["generated_password"].as_str().unwrap().to_owned();
    let agent = app.visitor().sign_in("sato@example.jp", &password).await;
    assert_eq!(agent.headers()["location"], "/");
}

#[tokio::test]
async fn a_malformed_email_is_refused_naming_the_field_and_nothing_is_stored() {
    let app = spawn_app().await;
    let admin = app.signed_in(Role::Admin).await;
    let response = admin
        .post_form(
            "/api/staff/create",
            "new[email]=not-an-email&new[display_name]=x&new[role]=agent&new[password]=short",
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: serde_json::Value = response.json().await.unwrap();
    let fields: Vec<&str> = error["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["email", "password"]);
    let staff: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM staff")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert_eq!(staff, 1);
}

#[tokio::test]
async fn disabling_an_account_ends_its_sessions_and_refuses_its_sign_in() {
    let app = spawn_app().await;
    let admin = app.signed_in(Role::Admin).await;
    let password = app.add_staff("agent.disabled@example.jp", Role::Agent).await;
    let agent = app.visitor();
    agent.sign_in("agent.disabled@example.jp", &password).await;
    assert_eq!(agent.get("/").await.status(), StatusCode::OK);
    let id: i64 = sqlx::query_scalar("SELECT id FROM staff WHERE email = 'agent.disabled@example.jp'")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    let response = admin
        .post_form("/api/staff/disable", &format!("id={id}&disabled=true"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(agent.get("/").await.status(), StatusCode::SEE_OTHER);
    let again = app.visitor().sign_in("agent.disabled@example.jp", &password).await;
    assert_eq!(again.headers()["location"], "/login?error=1");
}

#[tokio::test]
async fn changing_the_password_keeps_this_session_and_ends_the_others() {
    let app = spawn_app().await;
    let password = app.add_staff("agent.change@example.jp", Role::Agent).await;
    let here = app.visitor();
    here.sign_in("agent.change@example.jp", &password).await;
    let elsewhere = app.visitor();
    elsewhere.sign_in("agent.change@example.jp", &password).await;
    let body = format!("change[current]={password}&change[new]=a-brand-new-password");
    assert_eq!(
        here.post_form("/api/account/password", &body).await.status(),
        StatusCode::OK
    );
    assert_eq!(here.get("/").await.status(), StatusCode::OK);
    assert_eq!(elsewhere.get("/").await.status(), StatusCode::SEE_OTHER);
    let signed_in = app
        .visitor()
        .sign_in("agent.change@example.jp", "a-brand-new-password")
        .await;
    assert_eq!(signed_in.headers()["location"], "/");
}

#[tokio::test]
async fn an_unknown_address_answers_404() {
    let app = spawn_app().await;
    let admin = app.signed_in(Role::Admin).await;
    assert_eq!(admin.get("/no-such-page").await.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_page_allows_only_its_own_nonced_inline_script_and_a_download_allows_no_script_at_all() {
    let app = spawn_app().await;
    let page = app.visitor().get("/login").await;
    let policy = page.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert_eq!(page.headers()["x-content-type-options"], "nosniff");
    assert_eq!(page.headers()["referrer-policy"], "same-origin");
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("a nonce in the policy")
        .to_owned();
    let html = page.text().await.unwrap();
    for script in html.split("<script").skip(1) {
        let tag = script.split('>').next().unwrap_or_default();
        assert!(
            tag.contains(&format!("nonce=\"{nonce}\"")),
            "an inline script without the nonce: <script{tag}>"
        );
    }

    let health = app.visitor().get("/healthz").await;
    let locked = health.headers()["content-security-policy"].to_str().unwrap();
    assert!(locked.starts_with("default-src 'none'"), "{locked}");
}
