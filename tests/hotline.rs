//! The hotline calendar through the real server: the public `/api/hotline` at the demo schedule's
//! boundaries, schedule edits on the Settings page's endpoint, and incident profile edits.

use breachdesk::incident::IncidentProfile;
use breachdesk::role::Role;
use breachdesk_tests::{TestApp, encode, spawn_app};
use reqwest::StatusCode;
use serde_json::Value;

/// `GET /api/hotline?at=…` as JSON, with the instant URL-encoded (`+` would otherwise read as a space).
async fn hotline_at(app: &TestApp, at: &str) -> Value {
    let response = app.visitor().get(&format!("/api/hotline?at={}", encode(at))).await;
    assert_eq!(response.status(), StatusCode::OK, "GET /api/hotline?at={at}");
    response.json().await.expect("a JSON answer")
}

/// The demo schedule's two periods as the Settings form posts them, with `second_from` as the second's first day.
fn seed_form(second_from: &str) -> String {
    let weekdays = |row: usize, hours: &str| {
        ["monday", "tuesday", "wednesday", "thursday", "friday"]
            .iter()
            .map(|day| format!("&form[periods][{row}][{day}]={}", encode(hours)))
            .collect::<String>()
    };
    format!(
        "form[periods][0][from]=2017-07-12&form[periods][0][until]=2017-12-29{}&form[periods][0][holidays_closed]=on\
         &form[periods][1][from]={second_from}&form[periods][1][until]={}&form[periods][1][holidays_closed]=on\
         &form[periods][2][from]=&form[periods][2][until]=&form[holidays_off]=&form[holidays_added]=",
        weekdays(0, "9:30-18:30"),
        weekdays(1, "10:00-17:00"),
    )
}

#[tokio::test]
async fn a_call_at_182959_on_the_29th_is_answered() {
    let app = spawn_app().await;
    let answer = hotline_at(&app, "2017-12-29T18:29:59+09:00").await;
    assert_eq!(answer["open"], true);
    assert_eq!(answer["hotline_number"], "0120-034-294");
    assert_eq!(answer["timezone"], "Asia/Tokyo");
    assert_eq!(answer["today"], "2017-12-29");
    assert_eq!(
        answer["hours"],
        serde_json::json!([{ "opens": "09:30", "closes": "18:30" }])
    );
    assert_eq!(answer["closed_reason"], Value::Null);
    assert_eq!(answer["hours_text_ja"], "受付時間 9:30～18:30（土日祝日除く）");
}

#[tokio::test]
async fn a_call_at_1830_on_the_29th_is_out_of_hours_until_january_2nd_at_10() {
    let app = spawn_app().await;
    let answer = hotline_at(&app, "2017-12-29T18:30:00+09:00").await;
    assert_eq!(answer["open"], false);
    assert_eq!(
        answer["closed_reason"],
        Value::Null,
        "the 29th has hours; the call is after them"
    );
    assert_eq!(answer["next_opening"], "2018-01-02T10:00:00+09:00");
    let new_year = hotline_at(&app, "2017-12-31T12:00:00Z").await;
    assert_eq!(new_year["today"], "2017-12-31");
    assert_eq!(new_year["closed_reason"], "no_period");
    assert_eq!(new_year["next_opening"], "2018-01-02T10:00:00+09:00");
}

#[tokio::test]
async fn coming_of_age_day_2018_is_closed_as_a_national_holiday_with_its_name() {
    let app = spawn_app().await;
    let answer = hotline_at(&app, "2018-01-08T11:00:00+09:00").await;
    assert_eq!(answer["open"], false);
    assert_eq!(answer["hours"], serde_json::json!([]));
    assert_eq!(answer["closed_reason"], "national_holiday");
    assert_eq!(answer["closed_reason_name"], "成人の日");
    assert_eq!(answer["next_opening"], "2018-01-09T10:00:00+09:00");
    assert_eq!(
        answer["hours_text_en"],
        "Hours 10:00–17:00 (closed Saturdays, Sundays and national holidays)"
    );
}

#[tokio::test]
async fn a_saturday_is_closed_as_a_weekend() {
    let app = spawn_app().await;
    let answer = hotline_at(&app, "2017-12-16T10:00:00+09:00").await;
    assert_eq!(answer["closed_reason"], "weekend");
    assert_eq!(answer["closed_reason_name"], Value::Null);
    assert_eq!(answer["next_opening"], "2017-12-18T09:30:00+09:00");
}

#[tokio::test]
async fn an_unencoded_plus_in_the_offset_is_read_as_meant_and_no_instant_means_now() {
    let app = spawn_app().await;
    let visitor = app.visitor();
    let response = visitor.get("/api/hotline?at=2017-12-29T18:29:59+09:00").await;
    assert_eq!(response.status(), StatusCode::OK);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["open"], true);
    let now = visitor.get("/api/hotline").await;
    assert_eq!(now.status(), StatusCode::OK);
    let answer: Value = now.json().await.unwrap();
    assert!(answer["today"].as_str().is_some_and(|today| today.len() == 10));
}

#[tokio::test]
async fn a_malformed_instant_gets_400_with_a_one_line_reason() {
    let app = spawn_app().await;
    for bad in ["yesterday", "2017-12-29", "2017-12-29T25:00:00%2B09:00"] {
        let response = app.visitor().get(&format!("/api/hotline?at={bad}")).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{bad}");
        let reason = response.text().await.unwrap();
        assert!(reason.contains("is not an RFC 3339 instant"), "{reason}");
        assert_eq!(reason.lines().count(), 1, "{reason}");
    }
}

#[tokio::test]
async fn a_schedule_with_overlapping_periods_is_refused_and_the_stored_one_kept() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let stored = breachdesk::hotline::load(&app.pool).await.unwrap();

    let response = manager
        .post_form("/api/hotline/schedule/save", &seed_form("2017-12-01"))
        .await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    let problem = &body["Invalid"][0];
    assert_eq!(
        problem["field"], "periods.1.from",
        "the message sits beside the second period's first day"
    );
    let message = problem["message"].as_str().unwrap();
    assert!(
        message.contains("期間1（2017-07-12から）と期間2（2017-12-01から）が重なっています"),
        "{message}"
    );
    assert_eq!(breachdesk::hotline::load(&app.pool).await.unwrap(), stored);
}

#[tokio::test]
async fn a_closing_time_before_the_opening_is_refused_naming_the_period_and_day() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let form = seed_form("2018-01-02").replace(
        "form[periods][1][friday]=10%3A00-17%3A00",
        "form[periods][1][friday]=17%3A00-10%3A00",
    );

    let response = manager.post_form("/api/hotline/schedule/save", &form).await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["Invalid"][0]["field"], "periods.1.friday");
    let message = body["Invalid"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("期間2（2018-01-02から）の金曜日"), "{message}");
}

#[tokio::test]
async fn a_saved_schedule_applies_to_the_next_request_without_a_restart() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;
    let later_start = seed_form("2018-01-02").replace("10%3A00-17%3A00", "11%3A00-17%3A00");

    let response = manager.post_form("/api/hotline/schedule/save", &later_start).await;

    assert_eq!(response.status(), StatusCode::OK);
    let answer = hotline_at(&app, "2018-01-09T10:30:00+09:00").await;
    assert_eq!(answer["open"], false);
    assert_eq!(answer["next_opening"], "2018-01-09T11:00:00+09:00");
    let updated_by: Option<i64> = sqlx::query_scalar("SELECT updated_by FROM hotline_schedule WHERE id = 1")
        .fetch_one(&app.pool)
        .await
        .unwrap();
    assert!(updated_by.is_some(), "the save records who made it");
}

#[tokio::test]
async fn an_agent_cannot_change_the_schedule() {
    let app = spawn_app().await;
    let agent = app.signed_in(Role::Agent).await;
    let stored = breachdesk::hotline::load(&app.pool).await.unwrap();
    let response = agent
        .post_form("/api/hotline/schedule/save", &seed_form("2018-01-03"))
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(breachdesk::hotline::load(&app.pool).await.unwrap(), stored);
}

/// The demo profile as the Settings form posts it, with the hotline number replaced.
fn profile_form(hotline_number: &str) -> String {
    let mut form = breachdesk::demo::incident_profile();
    form.hotline_number = hotline_number.to_owned();
    [
        ("company_name", form.company_name),
        ("representative", form.representative),
        ("shop_name", form.shop_name),
        ("shop_url", form.shop_url),
        ("title", form.title),
        ("affected_from", form.affected_from.to_string()),
        ("affected_until", form.affected_until.to_string()),
        ("leaked_items", form.leaked_items),
        ("announced_customers", form.announced_customers.to_string()),
        ("cause_summary", form.cause_summary),
        ("measures_taken", form.measures_taken),
        ("hotline_name", form.hotline_name),
        ("hotline_number", form.hotline_number),
        ("letter_sender", form.letter_sender),
        ("status_page_url", form.status_page_url),
    ]
    .iter()
    .map(|(field, value)| format!("profile[{field}]={}", encode(value)))
    .collect::<Vec<_>>()
    .join("&")
}

#[tokio::test]
async fn an_admin_edits_the_incident_profile_and_the_hotline_answer_follows() {
    let app = spawn_app().await;
    let admin = app.signed_in(Role::Admin).await;

    let response = admin
        .post_form("/api/incident/save", &profile_form("0120-999-000"))
        .await;

    assert_eq!(response.status(), StatusCode::OK);
    let profile = IncidentProfile::load(&app.pool).await.unwrap().unwrap();
    assert_eq!(profile.hotline_number, "0120-999-000");
    assert_eq!(profile.company_name, "常磐興産株式会社");
    assert_eq!(
        hotline_at(&app, "2018-01-09T12:00:00+09:00").await["hotline_number"],
        "0120-999-000"
    );
}

#[tokio::test]
async fn a_manager_cannot_edit_the_incident_profile() {
    let app = spawn_app().await;
    let manager = app.signed_in(Role::Manager).await;

    let response = manager
        .post_form("/api/incident/save", &profile_form("0120-999-000"))
        .await;

    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let profile = IncidentProfile::load(&app.pool).await.unwrap().unwrap();
    assert_eq!(profile.hotline_number, "0120-034-294");
}

#[tokio::test]
async fn a_profile_with_blank_fields_is_refused_field_by_field() {
    let app = spawn_app().await;
    let admin = app.signed_in(Role::Admin).await;
    let form = profile_form("").replace("profile[announced_customers]=6860", "profile[announced_customers]=many");

    let response = admin.post_form("/api/incident/save", &form).await;

    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = response.json().await.unwrap();
    let fields: Vec<&str> = body["Invalid"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|problem| problem["field"].as_str())
        .collect();
    assert_eq!(fields, ["hotline_number", "announced_customers"]);
    assert_eq!(body["Invalid"][0]["message"], "窓口の電話番号を入力してください。");
}
